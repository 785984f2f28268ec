//! Part of the load stage: checks of the whole bundled document that need no types: its
//! OpenAPI version, local `$ref`s that lead nowhere, and `operationId`s used twice.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde_json::Value;

use super::roles::{Kind, Role};
use crate::document::Version;
use crate::document::METHODS;
use crate::error::Diagnostic;
use crate::pointer;

/// The document's OpenAPI version, or why it is not one the generator reads.
pub(super) fn version(path: &Path, root: &Value) -> Result<Option<Version>, Box<Diagnostic>> {
    if let Some(problem) = version_problem(path, root) {
        return Err(Box::new(problem));
    }
    let declared = root.get("openapi").map(plain).unwrap_or_default();
    Ok(Some(if declared.starts_with("3.1") {
        Version::V3_1
    } else if declared.starts_with("3.2") {
        Version::V3_2
    } else {
        Version::V3_0
    }))
}

/// Why the document is not OpenAPI 3.0.x, if it is not.
fn version_problem(path: &Path, root: &Value) -> Option<Diagnostic> {
    let Some(object) = root.as_object() else {
        return Some(
            Diagnostic::new(path, "#", "the document is not an object").help(
                "an OpenAPI document is a mapping with `openapi`, `info` and `paths` at the top",
            ),
        );
    };
    if let Some(swagger) = object.get("swagger") {
        return Some(
            Diagnostic::new(
                path,
                "#/swagger",
                format!(
                    "this is a Swagger {} document; only OpenAPI 3.x is supported",
                    plain(swagger)
                ),
            )
            .help("convert it to OpenAPI 3.0 first, for example with swagger2openapi"),
        );
    }
    let Some(version) = object.get("openapi") else {
        return Some(
            Diagnostic::new(path, "#", "the document has no `openapi` version field")
                .help("add `openapi: 3.0.3` at the top level"),
        );
    };
    let version = plain(version);
    let minor = ["3.0", "3.1", "3.2"];
    if minor
        .iter()
        .any(|m| version == *m || version.starts_with(&format!("{m}.")))
    {
        return None;
    }
    let help = "set `openapi` to the 3.0, 3.1 or 3.2 version the document follows, such as 3.1.1";
    Some(
        Diagnostic::new(
            path,
            "#/openapi",
            format!("unsupported OpenAPI version `{version}`"),
        )
        .help(help),
    )
}

fn plain(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Reports every local `$ref` of the bundled document whose target does not exist, unless
/// it was reported already.
pub(super) fn local_refs(
    file: &Path,
    root: &Value,
    out: &mut Vec<Diagnostic>,
    broken: &mut BTreeSet<String>,
) {
    // Iterative: the bundled document may be deeper than one parser allows.
    let is_container = |value: &&Value| matches!(value, Value::Object(_) | Value::Array(_));
    let mut stack = vec![(root, "#".to_string(), Role::Object(Kind::Other))];
    while let Some((value, pointer, role)) = stack.pop() {
        if role == Role::Data {
            continue;
        }
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    let site = pointer::push(&pointer, "$ref");
                    if let Some(fragment) = reference.strip_prefix('#').map(pointer::from_fragment)
                    {
                        let fragment = fragment.as_ref();
                        if root.pointer(fragment).is_none() && !broken.contains(&site) {
                            out.push(
                                Diagnostic::new(
                                    file,
                                    &site,
                                    format!("`$ref` target `{reference}` does not exist"),
                                )
                                .help(suggest_component(root, fragment)),
                            );
                            broken.insert(site);
                        }
                    }
                    continue;
                }
                for (key, child) in map.iter().filter(|(_, child)| is_container(child)) {
                    stack.push((child, pointer::push(&pointer, key), role.child(key, child)));
                }
            }
            Value::Array(items) => {
                for (index, child) in items
                    .iter()
                    .enumerate()
                    .filter(|(_, child)| is_container(child))
                {
                    let child_role = role.child("", child);
                    stack.push((
                        child,
                        pointer::push(&pointer, &index.to_string()),
                        child_role,
                    ));
                }
            }
            _ => {}
        }
    }
}

/// Reports every `operationId` used by a second operation: the generated method names
/// would otherwise depend on which one came first.
pub(super) fn operation_ids(file: &Path, root: &Value, out: &mut Vec<Diagnostic>) {
    let Some(paths) = root.get("paths").and_then(Value::as_object) else {
        return;
    };
    let mut first_use: HashMap<&str, (String, String)> = HashMap::new();
    for (path, item) in paths {
        let fixed = METHODS
            .iter()
            .filter_map(|method| Some((*method, item.get(method)?, vec![*method])));
        let additional = item
            .get("additionalOperations")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(method, operation)| {
                (
                    method.as_str(),
                    operation,
                    vec!["additionalOperations", method],
                )
            });
        for (method, operation, place) in fixed.chain(additional) {
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let mut tokens = vec![path.as_str()];
            tokens.extend(place);
            tokens.push("operationId");
            let pointer = pointer::join("#/paths", &tokens);
            let operation = format!("{} {path}", method.to_ascii_uppercase());
            match first_use.get(id) {
                Some((first, first_pointer)) => out.push(
                    Diagnostic::new(file, pointer, format!("duplicate operationId `{id}`"))
                        .help(format!(
                            "`{first}` has it already ({first_pointer}); give each operation its own operationId"
                        )),
                ),
                None => {
                    first_use.insert(id, (operation, pointer));
                }
            }
        }
    }
}

/// Suggests the closest existing component name, when the ref looks like a typo.
fn suggest_component(root: &Value, fragment: &str) -> String {
    if let Some((kind, name)) = super::bundle::component_place(fragment) {
        let known = root
            .pointer(&format!("/components/{kind}"))
            .and_then(Value::as_object)
            .map(|map| map.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default();
        let lower = name.to_ascii_lowercase();
        if let Some(close) = known
            .iter()
            .find(|candidate| candidate.to_ascii_lowercase() == lower)
        {
            return format!("did you mean `#/components/{kind}/{close}`?");
        }
        return format!("define `{name}` under `components/{kind}`, or correct the name");
    }
    "point the `$ref` at an existing value (JSON pointer syntax, `~1` for `/`)".to_string()
}
