//! Parameters written from values, as OpenAPI's `style` and `explode` say (OpenAPI 3.1,
//! "Style Values"). Every value goes through its JSON form first, so one function per
//! place serves every type: strings, numbers, enums, lists and objects.

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// A value in its JSON form, object keys in the order the value writes them (a struct's
/// fields in declaration order; `serde_json::Value` would sort them).
enum Node {
    Null,
    Scalar(String),
    List(Vec<Node>),
    Object(Vec<(String, Node)>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> serde::de::Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_bool<E>(self, value: bool) -> Result<Node, E> {
        Ok(Node::Scalar(value.to_string()))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Node, E> {
        Ok(Node::Scalar(value.to_string()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Node, E> {
        Ok(Node::Scalar(value.to_string()))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Node, E> {
        // As JSON writes it (`1.0`, `0.5`), which is how the value would read in a body.
        Ok(Node::Scalar(
            serde_json::Number::from_f64(value).map_or_else(String::new, |n| n.to_string()),
        ))
    }

    fn visit_str<E>(self, value: &str) -> Result<Node, E> {
        Ok(Node::Scalar(value.to_string()))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::List(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry::<String, Node>()? {
            entries.push(entry);
        }
        Ok(Node::Object(entries))
    }
}

/// `value` as JSON text, or why it cannot be written. The one step that depends on the
/// value's type: everything after it reads the text, so it is compiled once rather than
/// once for every parameter type.
fn json_text(name: &str, value: &impl Serialize) -> Result<String, String> {
    serde_json::to_string(value)
        .map_err(|error| format!("parameter `{name}` could not be encoded: {error}"))
}

/// The JSON form that `text` writes.
fn node(name: &str, text: &str) -> Result<Node, String> {
    serde_json::from_str(text)
        .map_err(|error| format!("parameter `{name}` could not be encoded: {error}"))
}

/// A scalar's text: strings as they are, numbers and booleans as JSON writes them.
fn scalar(name: &str, value: &Node) -> Result<String, String> {
    match value {
        Node::Scalar(text) => Ok(text.clone()),
        Node::Null => Ok(String::new()),
        Node::List(_) | Node::Object(_) => Err(format!(
            "parameter `{name}` holds nested lists or objects, which its style cannot write"
        )),
    }
}

/// The texts of a list's items, or of an object's keys and values (`k, v, k, v`), or of a
/// scalar alone.
fn pieces(name: &str, value: &Node) -> Result<Vec<String>, String> {
    match value {
        Node::List(items) => items.iter().map(|item| scalar(name, item)).collect(),
        Node::Object(entries) => {
            let mut out = Vec::with_capacity(entries.len() * 2);
            for (key, item) in entries {
                out.push(key.clone());
                out.push(scalar(name, item)?);
            }
            Ok(out)
        }
        other => Ok(vec![scalar(name, other)?]),
    }
}

/// An object's `k=v` pairs.
#[cfg(any(feature = "path", feature = "header", feature = "cookie-params"))]
fn pairs(name: &str, entries: &[(String, Node)]) -> Result<Vec<String>, String> {
    entries
        .iter()
        .map(|(key, item)| Ok(format!("{key}={}", scalar(name, item)?)))
        .collect()
}

/// Appends the query pairs of parameter `name` with `style` (`form`, `spaceDelimited`,
/// `pipeDelimited`, `deepObject`, or `json` for a parameter described as JSON content).
/// `null` and absent values add nothing.
#[cfg(feature = "query")]
pub(crate) fn query<E>(
    pairs_out: &mut Vec<(String, String)>,
    name: &str,
    value: &impl Serialize,
    style: &str,
    explode: bool,
) -> Result<(), Error<E>> {
    json_text(name, value)
        .and_then(|text| query_pairs(pairs_out, name, &text, style, explode))
        .map_err(Error::InvalidRequest)
}

#[cfg(feature = "query")]
fn query_pairs(
    pairs_out: &mut Vec<(String, String)>,
    name: &str,
    text: &str,
    style: &str,
    explode: bool,
) -> Result<(), String> {
    if style == "json" {
        if text != "null" {
            pairs_out.push((name.to_string(), text.to_string()));
        }
        return Ok(());
    }
    let value = node(name, text)?;
    match (style, &value) {
        (_, Node::Null) => {}
        ("deepObject", Node::Object(map)) => deep_object(pairs_out, name, map)?,
        ("deepObject", _) => {
            return Err(format!(
                "parameter `{name}` has style `deepObject` but is not an object"
            ))
        }
        ("form", Node::List(items)) if explode => {
            for item in items {
                pairs_out.push((name.to_string(), scalar(name, item)?));
            }
        }
        ("form", Node::Object(map)) if explode => {
            for (key, item) in map {
                pairs_out.push((key.clone(), scalar(name, item)?));
            }
        }
        ("spaceDelimited", _) => {
            pairs_out.push((name.to_string(), pieces(name, &value)?.join(" ")))
        }
        ("pipeDelimited", _) => pairs_out.push((name.to_string(), pieces(name, &value)?.join("|"))),
        _ => pairs_out.push((name.to_string(), pieces(name, &value)?.join(","))),
    }
    Ok(())
}

/// `name[key]=value` for each key, nested objects as `name[key][inner]`.
#[cfg(feature = "query")]
fn deep_object(
    pairs_out: &mut Vec<(String, String)>,
    prefix: &str,
    map: &[(String, Node)],
) -> Result<(), String> {
    for (key, item) in map {
        let name = format!("{prefix}[{key}]");
        match item {
            Node::Null => {}
            Node::Object(inner) => deep_object(pairs_out, &name, inner)?,
            Node::List(items) => {
                for item in items {
                    pairs_out.push((name.clone(), scalar(&name, item)?));
                }
            }
            other => pairs_out.push((name, scalar(prefix, other)?)),
        }
    }
    Ok(())
}

/// The text of path parameter `name` with `style` (`simple`, `label` or `matrix`), before
/// percent-encoding.
#[cfg(feature = "path")]
pub(crate) fn path<E>(
    name: &str,
    value: &impl Serialize,
    style: &str,
    explode: bool,
) -> Result<String, Error<E>> {
    json_text(name, value)
        .and_then(|text| path_text(name, &text, style, explode))
        .map_err(Error::InvalidRequest)
}

#[cfg(feature = "path")]
fn path_text(name: &str, text: &str, style: &str, explode: bool) -> Result<String, String> {
    let value = node(name, text)?;
    let listed = |separator: &str| -> Result<String, String> {
        match &value {
            Node::Object(map) if explode => Ok(pairs(name, map)?.join(separator)),
            _ => Ok(pieces(name, &value)?.join(",")),
        }
    };
    Ok(match style {
        "label" => match &value {
            Node::List(_) if explode => format!(".{}", pieces(name, &value)?.join(".")),
            _ => format!(".{}", listed(".")?),
        },
        "matrix" => match &value {
            Node::List(items) if explode => items
                .iter()
                .map(|item| Ok(format!(";{name}={}", scalar(name, item)?)))
                .collect::<Result<String, String>>()?,
            Node::Object(map) if explode => pairs(name, map)?
                .iter()
                .map(|pair| format!(";{pair}"))
                .collect(),
            _ => format!(";{name}={}", listed(",")?),
        },
        _ => listed(",")?,
    })
}

/// The value of header parameter `name` (`simple` style).
#[cfg(feature = "header")]
pub(crate) fn header<E>(
    name: &str,
    value: &impl Serialize,
    explode: bool,
) -> Result<reqwest::header::HeaderValue, Error<E>> {
    json_text(name, value)
        .and_then(|text| header_value(name, &text, explode))
        .map_err(Error::InvalidRequest)
}

#[cfg(feature = "header")]
fn header_value(
    name: &str,
    text: &str,
    explode: bool,
) -> Result<reqwest::header::HeaderValue, String> {
    let value = node(name, text)?;
    let text = match &value {
        Node::Object(map) if explode => pairs(name, map)?.join(","),
        _ => pieces(name, &value)?.join(","),
    };
    reqwest::header::HeaderValue::from_str(&text)
        .map_err(|_| format!("the value of header `{name}` cannot appear in an HTTP header"))
}

/// Adds the `name=value` pairs of cookie parameter `name` (`form` style) to the request's
/// `Cookie` header.
#[cfg(feature = "cookie-params")]
pub(crate) fn cookie<E>(
    headers: &mut reqwest::header::HeaderMap,
    name: &str,
    value: &impl Serialize,
    explode: bool,
) -> Result<(), Error<E>> {
    json_text(name, value)
        .and_then(|text| cookie_pairs(headers, name, &text, explode))
        .map_err(Error::InvalidRequest)
}

#[cfg(feature = "cookie-params")]
fn cookie_pairs(
    headers: &mut reqwest::header::HeaderMap,
    name: &str,
    text: &str,
    explode: bool,
) -> Result<(), String> {
    let value = node(name, text)?;
    let mut cookies = Vec::new();
    match &value {
        Node::Null => {}
        Node::List(items) if explode => {
            for item in items {
                cookies.push(format!("{name}={}", scalar(name, item)?));
            }
        }
        Node::Object(map) if explode => cookies.extend(pairs(name, map)?),
        _ => cookies.push(format!("{name}={}", pieces(name, &value)?.join(","))),
    }
    append_cookies(headers, &cookies, false)
}

/// Adds `cookies` (`name=value` each) to the one `Cookie` header a request may have, marked
/// sensitive when one of them carries a credential.
#[cfg(feature = "cookie-key")]
pub(crate) fn add_cookies<E>(
    headers: &mut reqwest::header::HeaderMap,
    cookies: &[String],
    secret: bool,
) -> Result<(), Error<E>> {
    append_cookies(headers, cookies, secret).map_err(Error::InvalidRequest)
}

#[cfg(any(feature = "cookie-params", feature = "cookie-key"))]
fn append_cookies(
    headers: &mut reqwest::header::HeaderMap,
    cookies: &[String],
    secret: bool,
) -> Result<(), String> {
    use reqwest::header::{HeaderValue, COOKIE};
    if cookies.is_empty() {
        return Ok(());
    }
    let unwritable = "a cookie value cannot appear in an HTTP header";
    let mut text = cookies.join("; ");
    let mut sensitive = secret;
    if let Some(existing) = headers.get(COOKIE) {
        let existing_text = existing.to_str().map_err(|_| unwritable.to_string())?;
        text = format!("{existing_text}; {text}");
        sensitive |= existing.is_sensitive();
    }
    let mut header = HeaderValue::from_str(&text).map_err(|_| unwritable.to_string())?;
    header.set_sensitive(sensitive);
    headers.insert(COOKIE, header);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn query_of(value: Value, style: &str, explode: bool) -> Vec<(String, String)> {
        let mut out = Vec::new();
        query::<()>(&mut out, "id", &value, style, explode).unwrap();
        out
    }

    fn pair(name: &str, value: &str) -> (String, String) {
        (name.to_string(), value.to_string())
    }

    // The examples of OpenAPI 3.1's style table, with `id` for the name.
    #[test]
    fn query_styles_follow_the_openapi_table() {
        let list = json!(["blue", "black", "brown"]);
        let object = json!({"R": 100, "G": 200, "B": 150});
        assert_eq!(query_of(json!("blue"), "form", true), [pair("id", "blue")]);
        assert_eq!(
            query_of(list.clone(), "form", true),
            [pair("id", "blue"), pair("id", "black"), pair("id", "brown")]
        );
        assert_eq!(
            query_of(list.clone(), "form", false),
            [pair("id", "blue,black,brown")]
        );
        assert_eq!(
            query_of(object.clone(), "form", true),
            [pair("R", "100"), pair("G", "200"), pair("B", "150")]
        );
        assert_eq!(
            query_of(object.clone(), "form", false),
            [pair("id", "R,100,G,200,B,150")]
        );
        assert_eq!(
            query_of(list.clone(), "spaceDelimited", false),
            [pair("id", "blue black brown")]
        );
        assert_eq!(
            query_of(list, "pipeDelimited", false),
            [pair("id", "blue|black|brown")]
        );
        assert_eq!(
            query_of(object.clone(), "deepObject", true),
            [
                pair("id[R]", "100"),
                pair("id[G]", "200"),
                pair("id[B]", "150")
            ]
        );
        assert_eq!(
            query_of(json!({"a": {"b": true}}), "deepObject", true),
            [pair("id[a][b]", "true")]
        );
        assert_eq!(
            query_of(json!({"a": 1}), "json", false),
            [pair("id", "{\"a\":1}")]
        );
        assert!(query_of(Value::Null, "form", true).is_empty());
        let mut out = Vec::new();
        assert!(query::<()>(&mut out, "id", &json!([[1]]), "form", true).is_err());
    }

    #[test]
    fn objects_keep_their_fields_in_declaration_order() {
        #[derive(serde::Serialize)]
        struct Filter {
            status: &'static str,
            min: u8,
        }
        let mut out = Vec::new();
        query::<()>(
            &mut out,
            "f",
            &Filter {
                status: "open",
                min: 2,
            },
            "deepObject",
            true,
        )
        .unwrap();
        assert_eq!(out, [pair("f[status]", "open"), pair("f[min]", "2")]);
        let text = path::<()>(
            "p",
            &Filter {
                status: "x",
                min: 1,
            },
            "matrix",
            false,
        )
        .unwrap();
        assert_eq!(text, ";p=status,x,min,1");
    }

    #[test]
    fn path_styles_follow_the_openapi_table() {
        let list = json!(["blue", "black", "brown"]);
        let object = json!({"R": 100, "G": 200, "B": 150});
        let path_of =
            |value: &Value, style, explode| path::<()>("color", value, style, explode).unwrap();
        assert_eq!(path_of(&json!(5), "simple", false), "5");
        assert_eq!(path_of(&list, "simple", false), "blue,black,brown");
        assert_eq!(path_of(&object, "simple", false), "R,100,G,200,B,150");
        assert_eq!(path_of(&object, "simple", true), "R=100,G=200,B=150");
        assert_eq!(path_of(&json!("blue"), "label", false), ".blue");
        assert_eq!(path_of(&list, "label", false), ".blue,black,brown");
        assert_eq!(path_of(&list, "label", true), ".blue.black.brown");
        assert_eq!(path_of(&object, "label", true), ".R=100.G=200.B=150");
        assert_eq!(path_of(&json!("blue"), "matrix", false), ";color=blue");
        assert_eq!(path_of(&list, "matrix", false), ";color=blue,black,brown");
        assert_eq!(
            path_of(&list, "matrix", true),
            ";color=blue;color=black;color=brown"
        );
        assert_eq!(path_of(&object, "matrix", true), ";R=100;G=200;B=150");
        assert_eq!(
            path_of(&object, "matrix", false),
            ";color=R,100,G,200,B,150"
        );
    }

    #[test]
    fn headers_and_cookies() {
        assert_eq!(header::<()>("X-Ids", &vec![1, 2], false).unwrap(), "1,2");
        assert_eq!(
            header::<()>("X-Obj", &json!({"a": 1, "b": 2}), true).unwrap(),
            "a=1,b=2"
        );
        assert!(header::<()>("X-Bad", &"line\nbreak", false).is_err());
        let mut headers = reqwest::header::HeaderMap::new();
        cookie::<()>(&mut headers, "session", &"abc", true).unwrap();
        cookie::<()>(&mut headers, "ids", &vec![1, 2], false).unwrap();
        cookie::<()>(&mut headers, "none", &Option::<u8>::None, true).unwrap();
        assert_eq!(headers[reqwest::header::COOKIE], "session=abc; ids=1,2");
        assert!(!headers[reqwest::header::COOKIE].is_sensitive());
        add_cookies::<()>(&mut headers, &["key=secret".to_string()], true).unwrap();
        assert_eq!(
            headers[reqwest::header::COOKIE],
            "session=abc; ids=1,2; key=secret"
        );
        assert!(
            headers[reqwest::header::COOKIE].is_sensitive(),
            "a credential makes the header sensitive"
        );
        assert_eq!(headers.get_all(reqwest::header::COOKIE).iter().count(), 1);
    }
}
