//! Structure-aware fuzzing on stable Rust: inputs for the generator made by proptest from
//! real specs (mutated values, keys, types and `$ref`s) or from raw bytes, and the checks
//! every run must pass. The targets are in `tests/fuzz.rs`; `FUZZ_CASES` sets how many
//! cases each runs (a short run by default, so `cargo test` stays fast).
//!
//! Nothing here is specific to proptest's runner: [`mutate`] takes plain data, so a
//! coverage-guided harness (cargo-fuzz) could drive the same mutations.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("fuzz/ sits in the workspace")
        .to_path_buf()
}

/// How many cases a target runs: `FUZZ_CASES`, or `default`.
pub fn cases(default: u32) -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(default)
}

/// The specs mutations start from: the main spec and every fixture that generates.
pub fn seeds() -> Vec<(String, Value)> {
    let mut paths = vec![root().join("spec/create-contact.yaml")];
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(root().join("tests/fixtures/ok"))
        .expect("the fixtures exist")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.is_file())
        .collect();
    fixtures.sort();
    paths.extend(fixtures);
    paths
        .into_iter()
        .map(|path| {
            let value: Value = generator::load::read_document(&path).expect("a readable seed");
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (name, value)
        })
        .collect()
}

/// A folder with the files the seeds refer to (`common.yaml`, `shared/common.yaml`), where
/// a mutated spec is written as `spec.yaml` or `spec.json`.
pub fn workspace_for_specs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::copy(
        root().join("spec/common.yaml"),
        dir.path().join("common.yaml"),
    )
    .expect("common.yaml is copied");
    std::fs::create_dir_all(dir.path().join("shared")).expect("a folder");
    std::fs::copy(
        root().join("tests/fixtures/ok/shared/common.yaml"),
        dir.path().join("shared/common.yaml"),
    )
    .expect("shared/common.yaml is copied");
    dir
}

/// Keys the mutations insert or rename to: OpenAPI's own words, and awkward ones.
pub const KEYS: &[&str] = &[
    "type",
    "$ref",
    "items",
    "properties",
    "required",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "nullable",
    "enum",
    "format",
    "additionalProperties",
    "description",
    "example",
    "default",
    "operationId",
    "parameters",
    "in",
    "name",
    "schema",
    "responses",
    "content",
    "application/json",
    "text/plain",
    "requestBody",
    "components",
    "schemas",
    "paths",
    "/x/{id}",
    "security",
    "servers",
    "title",
    "x-ext",
    "",
    "~/",
    "Self",
    "type ",
    "200",
    "default",
    "4XX",
    "🦀",
];

/// Strings the mutations put in place of values.
pub const STRINGS: &[&str] = &[
    "string",
    "integer",
    "number",
    "boolean",
    "array",
    "object",
    "strang",
    "int32",
    "int64",
    "float",
    "date-time",
    "binary",
    "",
    "{",
    "{id}",
    "/x/{id}",
    "path",
    "query",
    "header",
    "cookie",
    "3.0.3",
    "3.1.0",
    "2.0",
    "bearer",
    "\u{0}",
    "🦀",
    "née",
    "self",
    "type",
    "Option",
    "a b-c.d",
];

/// `$ref`s the mutations set: good, broken, remote, outside the folder, odd.
pub const REFS: &[&str] = &[
    "#/components/schemas/CreateContactRequest",
    "#/components/schemas/Contact",
    "#/components/schemas/Pet",
    "#/components/schemas/Missing",
    "#/components/parameters/Version",
    "#/components/responses/Missing",
    "#/paths",
    "#",
    "#/",
    "#components",
    "common.yaml#/components/schemas/BadRequest",
    "common.yaml#/components/schemas/Missing",
    "common.yaml",
    "common.yaml#/info",
    "shared/common.yaml#/components/schemas/Problem",
    "missing.yaml#/components/schemas/X",
    "../outside.yaml#/components/schemas/X",
    "/etc/passwd#/x",
    "https://example.com/spec.yaml#/components/schemas/X",
    "spec.yaml#/components/schemas/Contact",
    "#/components/schemas/a~1b",
    "#/components/schemas/%7B",
];

/// One change to a document. Numbers pick a place or a word modulo what there is, so any
/// value of the fields is a valid mutation (what a fuzzer's bytes would give).
#[derive(Debug, Clone)]
pub enum Mutation {
    /// Replace the value at a place by a scalar.
    Scalar { place: usize, scalar: Scalar },
    /// Replace the value at a place by `{}` or `[]`.
    Empty { place: usize, array: bool },
    /// Remove the value at a place from its parent.
    Delete { place: usize },
    /// Add `key: scalar` to the object at a place.
    Insert {
        place: usize,
        key: usize,
        scalar: Scalar,
    },
    /// Rename the key of the value at a place.
    Rename { place: usize, key: usize },
    /// Make the value at a place `{$ref: ...}`.
    Ref { place: usize, reference: usize },
    /// Copy the value at one place over another (or into itself).
    Copy { from: usize, to: usize },
    /// Wrap the value at a place in `[...]` or `{allOf: [...]}`.
    Wrap { place: usize, all_of: bool },
}

/// A scalar to put somewhere.
#[derive(Debug, Clone)]
pub enum Scalar {
    Null,
    Bool(bool),
    Integer(i64),
    Float(f64),
    Word(usize),
    Text(String),
}

impl Scalar {
    fn value(&self) -> Value {
        match self {
            Scalar::Null => Value::Null,
            Scalar::Bool(b) => Value::Bool(*b),
            Scalar::Integer(i) => Value::from(*i),
            Scalar::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            Scalar::Word(i) => Value::String(STRINGS[i % STRINGS.len()].to_string()),
            Scalar::Text(text) => Value::String(text.clone()),
        }
    }
}

/// Every place (JSON pointer) in `document`, in document order.
pub fn places(document: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![(document, String::new())];
    while let Some((value, pointer)) = stack.pop() {
        out.push(pointer.clone());
        match value {
            Value::Object(map) => {
                for (key, child) in map.iter().rev() {
                    let token = key.replace('~', "~0").replace('/', "~1");
                    stack.push((child, format!("{pointer}/{token}")));
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate().rev() {
                    stack.push((child, format!("{pointer}/{index}")));
                }
            }
            _ => {}
        }
    }
    out
}

fn split(pointer: &str) -> Option<(&str, String)> {
    let (parent, last) = pointer.rsplit_once('/')?;
    Some((parent, last.replace("~1", "/").replace("~0", "~")))
}

/// Applies the mutations in order; each picks its place among the places of the document
/// as it is by then.
pub fn mutate(document: &mut Value, mutations: &[Mutation]) {
    for mutation in mutations {
        let all = places(document);
        let at = |index: usize| all[index % all.len()].clone();
        match mutation {
            Mutation::Scalar { place, scalar } => {
                if let Some(node) = document.pointer_mut(&at(*place)) {
                    *node = scalar.value();
                }
            }
            Mutation::Empty { place, array } => {
                if let Some(node) = document.pointer_mut(&at(*place)) {
                    *node = if *array {
                        Value::Array(Vec::new())
                    } else {
                        Value::Object(Default::default())
                    };
                }
            }
            Mutation::Delete { place } => {
                let pointer = at(*place);
                if let Some((parent, last)) = split(&pointer) {
                    match document.pointer_mut(parent) {
                        Some(Value::Object(map)) => {
                            map.shift_remove(&last);
                        }
                        Some(Value::Array(items)) => {
                            if let Ok(index) = last.parse::<usize>() {
                                if index < items.len() {
                                    items.remove(index);
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            Mutation::Insert { place, key, scalar } => {
                if let Some(Value::Object(map)) = document.pointer_mut(&at(*place)) {
                    map.insert(KEYS[key % KEYS.len()].to_string(), scalar.value());
                }
            }
            Mutation::Rename { place, key } => {
                let pointer = at(*place);
                if let Some((parent, last)) = split(&pointer) {
                    if let Some(Value::Object(map)) = document.pointer_mut(parent) {
                        if let Some(value) = map.shift_remove(&last) {
                            map.insert(KEYS[key % KEYS.len()].to_string(), value);
                        }
                    }
                }
            }
            Mutation::Ref { place, reference } => {
                if let Some(node) = document.pointer_mut(&at(*place)) {
                    *node = serde_json::json!({ "$ref": REFS[reference % REFS.len()] });
                }
            }
            Mutation::Copy { from, to } => {
                let copied = document.pointer(&at(*from)).cloned();
                if let (Some(copied), Some(node)) = (copied, document.pointer_mut(&at(*to))) {
                    *node = copied;
                }
            }
            Mutation::Wrap { place, all_of } => {
                if let Some(node) = document.pointer_mut(&at(*place)) {
                    let inner = node.take();
                    *node = if *all_of {
                        serde_json::json!({ "allOf": [inner] })
                    } else {
                        Value::Array(vec![inner])
                    };
                }
            }
        }
    }
}

/// Checks what the generator returned: every Rust file parses, or every diagnostic is
/// well formed and its excerpt is inside its line. Returns what was wrong.
pub fn check_outcome(
    outcome: &Result<Vec<generator::GeneratedFile>, generator::Error>,
) -> Result<(), String> {
    match outcome {
        Ok(files) => {
            for file in files.iter().filter(|f| f.path.ends_with(".rs")) {
                syn::parse_file(&file.contents)
                    .map_err(|error| format!("{} does not parse: {error}", file.path))?;
            }
            Ok(())
        }
        Err(error) => {
            let list = error.diagnostics();
            if list.is_empty() {
                return Err(format!("an error without diagnostics: {error}"));
            }
            for diagnostic in list {
                if diagnostic.message.is_empty() || !diagnostic.pointer.starts_with('#') {
                    return Err(format!("a malformed diagnostic: {diagnostic:?}"));
                }
                if let Some(excerpt) = &diagnostic.excerpt {
                    let (start, end) = excerpt.span;
                    if start > end
                        || end > excerpt.text.len()
                        || !excerpt.text.is_char_boundary(start)
                        || !excerpt.text.is_char_boundary(end)
                    {
                        return Err(format!("an excerpt out of its line: {diagnostic:?}"));
                    }
                }
            }
            if list.windows(2).any(|pair| pair[0] > pair[1]) {
                return Err("diagnostics are not sorted".to_string());
            }
            // Rendering must not panic either.
            let _ = error.to_string();
            Ok(())
        }
    }
}
