//! Part of the load stage: JSON Schema's plain-name fragments. A schema with `$anchor:
//! pet` can be named `#pet` (or `other.yaml#pet`) instead of by its pointer; bundling
//! turns such a `$ref` into the pointer of the schema that declares the anchor.

use std::collections::HashMap;

use serde_json::Value;

use super::roles::{Kind, Role};
use crate::pointer;

/// Every `$anchor` of a document, with the pointer (no leading `#`) of its schema. When
/// two schemas declare one name, the first in document order keeps it.
pub(super) fn anchors(document: &Value) -> HashMap<String, String> {
    let mut found = HashMap::new();
    collect(
        document,
        &mut String::new(),
        Role::Object(Kind::Other),
        &mut found,
    );
    found
}

fn collect(value: &Value, at: &mut String, role: Role, found: &mut HashMap<String, String>) {
    if role == Role::Data {
        return;
    }
    match value {
        Value::Object(map) => {
            if role == Role::Object(Kind::Schema) {
                if let Some(Value::String(name)) = map.get("$anchor") {
                    found.entry(name.clone()).or_insert_with(|| at.clone());
                }
            }
            for (key, child) in map {
                descend(key, child, role.child(key, child), at, found);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                descend(&index.to_string(), child, role.child("", child), at, found);
            }
        }
        _ => {}
    }
}

fn descend(
    key: &str,
    child: &Value,
    role: Role,
    at: &mut String,
    found: &mut HashMap<String, String>,
) {
    if matches!(child, Value::Object(_) | Value::Array(_)) {
        let len = at.len();
        at.push('/');
        at.push_str(&pointer::escape(key));
        collect(child, at, role, found);
        at.truncate(len);
    }
}

/// Whether a `$ref`'s fragment (after `#`, percent-decoded) is a plain name, not a pointer.
pub(super) fn is_plain_name(fragment: &str) -> bool {
    !fragment.is_empty() && !fragment.starts_with('/')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn anchors_are_found_in_schemas_and_not_in_data() {
        let document = json!({
            "components": {"schemas": {
                "Pet": {"type": "object", "properties": {
                    "tag": {"$anchor": "tag", "type": "string"}
                }},
                "Kept": {"$anchor": "kept", "example": {"$anchor": "data"}},
            }},
        });
        let found = anchors(&document);
        assert_eq!(found["tag"], "/components/schemas/Pet/properties/tag");
        assert_eq!(found["kept"], "/components/schemas/Kept");
        assert!(!found.contains_key("data"), "an example is data: {found:?}");
    }
}
