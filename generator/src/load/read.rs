//! Part of the load stage: reading one file (YAML or JSON) into a JSON value, within size
//! and nesting limits, with a positioned diagnostic when it does not parse.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use crate::error::Diagnostic;

/// The largest file read (spec, overlay or `$ref` target), so that memory stays bounded:
/// parsed, a file takes up to some 25 times its size (a JSON file of small numbers).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Parses one file as JSON (by extension) or YAML, into a JSON value, as the loader reads
/// every file (within its size limits; big integers as numbers; libyaml's quirks eased).
pub fn read_document(path: &Path) -> Result<Value, Box<Diagnostic>> {
    read_source(path).map(|(value, _)| value)
}

/// A YAML value as JSON. Integers too large for 64 bits (`maximum: 18446744073709551616`)
/// become floating-point numbers, as JSON parsers treat them, instead of failing the file.
struct YamlValue(Value);

impl<'de> serde::Deserialize<'de> for YamlValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(YamlVisitor).map(YamlValue)
    }
}

struct YamlVisitor;

impl<'de> serde::de::Visitor<'de> for YamlVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a YAML value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_i128<E>(self, value: i128) -> Result<Value, E> {
        Ok(float(value as f64))
    }

    fn visit_u128<E>(self, value: u128) -> Result<Value, E> {
        Ok(float(value as f64))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(float(value))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_string()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(YamlVisitor)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(YamlValue(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some((key, YamlValue(value))) = map.next_entry::<String, YamlValue>()? {
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// A JSON number, or `null` for the infinities and NaN that JSON cannot hold.
fn float(value: f64) -> Value {
    serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number)
}

/// Reads one file, at most [`MAX_FILE_BYTES`] of it, and parses it; also returns its text
/// for diagnostics. A parse error comes with its line, column and source line.
pub(crate) fn read_source(path: &Path) -> Result<(Value, Arc<str>), Box<Diagnostic>> {
    let text = read_text(path).map_err(|reason| {
        Box::new(
            Diagnostic::new(path, "#", format!("cannot read the spec file: {reason}"))
                .help("check that the path exists and is a readable UTF-8 file"),
        )
    })?;
    let parsed = if crate::position::is_json(path) {
        serde_json::from_str(&text).map_err(|err| {
            // serde_json ends its message with the place, which the diagnostic shows already.
            let message = err.to_string();
            let place = format!(" at line {} column {}", err.line(), err.column());
            let message = message.strip_suffix(&place).unwrap_or(&message);
            let help = if err.to_string().contains("recursion limit") {
                "an OpenAPI document needs far fewer than 128 levels of nesting"
            } else {
                "fix the JSON syntax at the place shown"
            };
            Diagnostic::new(path, "#", format!("invalid JSON: {message}"))
                .at_line(err.line(), err.column())
                .help(help)
        })
    } else if let Some((line, column)) = yaml_flow_deeper_than(&text, MAX_YAML_FLOW_DEPTH) {
        Err(Diagnostic::new(
            path,
            "#",
            format!("invalid YAML: recursion limit exceeded: `[` and `{{` nest more than {MAX_YAML_FLOW_DEPTH} deep"),
        )
        .at_line(line, column)
        .help("an OpenAPI document needs far fewer than 128 levels of nesting"))
    } else {
        parse_yaml(&text).map_err(|err| {
            let message = format!("invalid YAML: {err}");
            let help = if message.contains("recursion limit") {
                "an OpenAPI document needs far fewer than 128 levels of nesting"
            } else if message.contains("repetition limit") {
                "the document's aliases (`*name`) expand to too much; write the values out or use `$ref`s"
            } else {
                "fix the YAML syntax at the place shown"
            };
            let diagnostic = Diagnostic::new(path, "#", message).help(help);
            match err.location() {
                Some(at) => diagnostic.at_line(at.line(), at.column()),
                None => diagnostic,
            }
        })
    };
    match parsed {
        Ok(value) => Ok((value, text.into())),
        Err(mut diagnostic) => {
            if let Some((line, column)) = diagnostic.line_col {
                diagnostic.excerpt = crate::position::excerpt_at(&text, line, column).map(Box::new);
            }
            Err(Box::new(diagnostic))
        }
    }
}

/// How many `key:[` spots one file may have read as `key: [`.
const MAX_FLOW_COLON_REPAIRS: usize = 64;

/// The YAML text as JSON. libyaml refuses a plain key followed directly by `:` and a flow
/// collection or quote inside a flow collection (`{"a": 1, indexes:[ ]}`), which PyYAML
/// and SnakeYAML, and so the tools of the APIs that publish such files, read as
/// `indexes: [ ]`: where libyaml stops at one, a space is put after the `:` and the text
/// read again.
fn parse_yaml(text: &str) -> Result<Value, serde_yaml::Error> {
    let mut repaired: Option<String> = None;
    for _ in 0..=MAX_FLOW_COLON_REPAIRS {
        let current = repaired.as_deref().unwrap_or(text);
        let error = match serde_yaml::from_str::<YamlValue>(current) {
            Ok(YamlValue(value)) => return Ok(value),
            Err(error) => error,
        };
        let Some(at) = error
            .location()
            .filter(|_| error.to_string().contains("found unexpected ':'"))
        else {
            return Err(first_error(text, error, repaired.is_some()));
        };
        let offset = at.index();
        let fixable = current.as_bytes().get(offset) == Some(&b':')
            && matches!(
                current.as_bytes().get(offset + 1),
                Some(b'[' | b'{' | b'"' | b'\'')
            );
        if !fixable {
            return Err(first_error(text, error, repaired.is_some()));
        }
        let mut next = current.to_string();
        next.insert(offset + 1, ' ');
        repaired = Some(next);
    }
    serde_yaml::from_str::<YamlValue>(text).map(|YamlValue(value)| value)
}

/// The error the text itself gives, rather than one of a repaired copy (whose places differ).
fn first_error(text: &str, error: serde_yaml::Error, repaired: bool) -> serde_yaml::Error {
    if !repaired {
        return error;
    }
    match serde_yaml::from_str::<YamlValue>(text) {
        Err(original) => original,
        Ok(_) => error,
    }
}

/// libyaml's time grows with the square of flow nesting (100,000 `[`s take minutes) before
/// serde_yaml's own limit of 128 applies: deeper flow collections are refused first.
const MAX_YAML_FLOW_DEPTH: usize = 1000;

/// Where `[` and `{` first nest deeper than `limit` in YAML text, if they do. A rough
/// scanner: quotes and comments are skipped, and a bracket counts in block context only
/// at the start of a token (`see [1]` in prose opens and closes again; only a thousand
/// unclosed ones could be mistaken for nesting).
fn yaml_flow_deeper_than(text: &str, limit: usize) -> Option<(usize, usize)> {
    let (mut line, mut column) = (1, 0);
    let mut depth = 0usize;
    let mut previous = '\n';
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        column += 1;
        let token_start = matches!(
            previous,
            '\n' | ' ' | '\t' | '[' | '{' | ',' | ':' | '-' | '?'
        );
        match c {
            '\n' => {
                line += 1;
                column = 0;
            }
            '#' if matches!(previous, '\n' | ' ' | '\t') => {
                while chars.peek().is_some_and(|&next| next != '\n') {
                    chars.next();
                }
            }
            '\'' | '"' if token_start => {
                let quote = c;
                while let Some(inner) = chars.next() {
                    column += 1;
                    match inner {
                        '\n' => {
                            line += 1;
                            column = 0;
                        }
                        '\\' if quote == '"' => {
                            chars.next();
                            column += 1;
                        }
                        _ if inner == quote => break,
                        _ => {}
                    }
                }
            }
            '[' | '{' if depth > 0 || token_start => {
                depth += 1;
                if depth > limit {
                    return Some((line, column));
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        previous = c;
    }
    None
}

/// The file's text, or why it cannot be had.
pub(crate) fn read_text(path: &Path) -> Result<String, String> {
    let reason = |err: std::io::Error| match err.kind() {
        // The operating system's wording of "not found" differs between platforms.
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::InvalidData => "it is not UTF-8 text".to_string(),
        _ => err.to_string(),
    };
    let metadata = std::fs::metadata(path).map_err(reason)?;
    // A folder, a pipe or a device would fail or never end.
    if !metadata.is_file() {
        return Err("it is not a regular file".to_string());
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(format!(
            "it is {} MiB, more than the {} MiB a spec file may have",
            metadata.len() / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    let mut text = String::new();
    std::fs::File::open(path)
        .map_err(reason)?
        .take(MAX_FILE_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(reason)?;
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "it is more than the {} MiB a spec file may have",
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    Ok(text)
}

/// Removes `.` and `..` components without touching the disk, so the same file reached
/// by two relative paths is one document (and messages show a readable path).
pub(crate) fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                let can_pop = matches!(out.components().next_back(), Some(Component::Normal(_)));
                if can_pop {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_flow_depth_is_counted_outside_quotes_comments_and_prose() {
        assert_eq!(yaml_flow_deeper_than("a: [[[1]]]\n", 2), Some((1, 6)));
        assert_eq!(yaml_flow_deeper_than("a: [[[1]]]\n", 3), None);
        let prose = "a: see [1] and [2 # [[[[\nb: '[[[[' \"{{{{\" it's [x]\n";
        // `[2` stays open (prose), `[x]` makes two.
        assert_eq!(yaml_flow_deeper_than(prose, 2), None);
        assert_eq!(yaml_flow_deeper_than(prose, 1), Some((2, 23)));
        assert_eq!(
            yaml_flow_deeper_than("a:\n  - {b: [\n    {c: 1}]}\n", 2),
            Some((3, 5))
        );
    }

    #[test]
    fn a_key_glued_to_a_flow_collection_reads_as_its_tools_read_it() {
        let value = parse_yaml("a: {\"b\": 1,\n  indexes:[ ], c:{d: 2}}\n").unwrap();
        assert_eq!(
            value,
            serde_json::json!({"a": {"b": 1, "indexes": [], "c": {"d": 2}}})
        );
        let error = parse_yaml("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(
            error.location().is_some(),
            "other syntax errors stay errors: {error}"
        );
    }

    #[test]
    fn yaml_integers_past_64_bits_are_numbers() {
        let value: YamlValue =
            serde_yaml::from_str("max: 18446744073709551616\nmin: -9223372036854775809\n200: ok\n")
                .unwrap();
        assert_eq!(value.0["max"].as_f64(), Some(18446744073709551616.0));
        assert_eq!(value.0["min"].as_f64(), Some(-9223372036854775809.0));
        assert_eq!(value.0["200"], "ok");
    }
}
