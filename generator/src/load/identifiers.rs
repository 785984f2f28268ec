//! Part of the load stage: JSON Schema 2020-12's identifiers. A schema with `$id` is a
//! resource that `$ref`s can name by its URI, and that relative `$ref`s inside it resolve
//! against; a schema with `$anchor: pet` can be named `#pet` (within its resource) instead
//! of by its pointer. OpenAPI 3.2's `$self` gives the whole document a URI. Bundling turns
//! every such `$ref` into the pointer of the schema it names.

use std::collections::HashMap;

use serde_json::Value;
use url::Url;

use super::roles::{Kind, Role};
use crate::pointer;

/// The base URI of a document without `$self`: a stand-in that relative `$id`s resolve
/// against, never a place files are read from.
const DOCUMENT_BASE: &str = "openapi-document:/";

/// The `$id`s and `$anchor`s of one document.
#[derive(Debug, Default)]
pub(super) struct Identifiers {
    /// The document's own URI (`$self`, or [`DOCUMENT_BASE`]).
    base: String,
    /// Each schema resource's URI (without fragment), to its pointer (no leading `#`).
    resources: HashMap<String, String>,
    /// `(resource URI, anchor)` to the pointer of the schema that declares it. When a
    /// name is declared twice, the first in document order keeps it.
    anchors: HashMap<(String, String), String>,
}

impl Identifiers {
    pub(super) fn of(document: &Value) -> Self {
        let base = document
            .get("$self")
            .and_then(Value::as_str)
            .and_then(|uri| Url::parse(DOCUMENT_BASE).ok()?.join(uri).ok())
            .map(|uri| without_fragment(&uri))
            .unwrap_or_else(|| DOCUMENT_BASE.to_string());
        let mut found = Identifiers {
            base: base.clone(),
            resources: HashMap::from([(base.clone(), String::new())]),
            anchors: HashMap::new(),
        };
        let mut walk = Walk {
            found: &mut found,
            at: String::new(),
            scope: base,
        };
        walk.collect(document, Role::Object(Kind::Other));
        found
    }

    /// Whether the document declares anything that `$ref`s may name besides pointers.
    pub(super) fn any(&self) -> bool {
        self.resources.len() > 1 || !self.anchors.is_empty() || self.base != DOCUMENT_BASE
    }

    /// The URI of the resource a value sits in: `scope` when inside a schema with `$id`.
    pub(super) fn scope_uri<'a>(&'a self, scope: Option<&'a str>) -> &'a str {
        scope.unwrap_or(&self.base)
    }

    /// The pointer `reference` names, resolved against the resource `scope`, when it
    /// names a resource of this document (by `$id` or `$self`) or an anchor in one.
    /// `Err(anchor)` when it names the resource but no schema there declares the anchor.
    pub(super) fn resolve(&self, scope: &str, reference: &str) -> Option<Result<String, String>> {
        let uri = Url::parse(scope).ok()?.join(reference).ok()?;
        let resource = self.resources.get(&without_fragment(&uri))?;
        let fragment = pointer::from_fragment(uri.fragment().unwrap_or(""));
        Some(if fragment.is_empty() || fragment.starts_with('/') {
            Ok(format!("{resource}{fragment}"))
        } else {
            self.anchors
                .get(&(without_fragment(&uri), fragment.to_string()))
                .cloned()
                .ok_or_else(|| fragment.into_owned())
        })
    }

    /// The URI of a schema's `$id`, resolved against the resource it sits in.
    pub(super) fn id_uri(scope: &str, id: &str) -> Option<String> {
        let uri = Url::parse(scope).ok()?.join(id).ok()?;
        Some(without_fragment(&uri))
    }
}

fn without_fragment(uri: &Url) -> String {
    let mut uri = uri.clone();
    uri.set_fragment(None);
    uri.to_string()
}

struct Walk<'a> {
    found: &'a mut Identifiers,
    /// The pointer of the value being walked.
    at: String,
    /// The URI of the resource it sits in.
    scope: String,
}

impl Walk<'_> {
    fn collect(&mut self, value: &Value, role: Role) {
        if role == Role::Data {
            return;
        }
        match value {
            Value::Object(map) => {
                let outer = self.scope.clone();
                if role == Role::Object(Kind::Schema) {
                    let id = map.get("$id").and_then(Value::as_str);
                    if let Some(uri) = id.and_then(|id| Identifiers::id_uri(&self.scope, id)) {
                        self.found
                            .resources
                            .entry(uri.clone())
                            .or_insert_with(|| self.at.clone());
                        self.scope = uri;
                    }
                    if let Some(Value::String(name)) = map.get("$anchor") {
                        self.found
                            .anchors
                            .entry((self.scope.clone(), name.clone()))
                            .or_insert_with(|| self.at.clone());
                    }
                }
                for (key, child) in map {
                    self.descend(key, child, role.child(key, child));
                }
                self.scope = outer;
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    self.descend(&index.to_string(), child, role.child("", child));
                }
            }
            _ => {}
        }
    }

    fn descend(&mut self, key: &str, child: &Value, role: Role) {
        if matches!(child, Value::Object(_) | Value::Array(_)) {
            let len = self.at.len();
            self.at.push('/');
            self.at.push_str(&pointer::escape(key));
            self.collect(child, role);
            self.at.truncate(len);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn document() -> Value {
        json!({
            "components": {"schemas": {
                "Pet": {"type": "object", "properties": {
                    "tag": {"$anchor": "tag", "type": "string"}
                }},
                "Kept": {"$anchor": "kept", "example": {"$anchor": "data"}},
                "Owner": {
                    "$id": "https://example.com/schemas/owner",
                    "$defs": {"Name": {"$anchor": "name", "type": "string"}},
                    "properties": {"address": {"$id": "address", "type": "object"}},
                },
            }},
        })
    }

    #[test]
    fn anchors_are_found_in_schemas_and_not_in_data() {
        let found = Identifiers::of(&document());
        let top = found.scope_uri(None).to_string();
        let resolve = |reference: &str| found.resolve(&top, reference);
        assert_eq!(
            resolve("#tag"),
            Some(Ok("/components/schemas/Pet/properties/tag".into()))
        );
        assert_eq!(
            resolve("#kept"),
            Some(Ok("/components/schemas/Kept".into()))
        );
        assert_eq!(
            resolve("#data"),
            Some(Err("data".into())),
            "an example is data"
        );
        assert_eq!(
            resolve("#/components/schemas/Pet"),
            Some(Ok("/components/schemas/Pet".into()))
        );
    }

    #[test]
    fn ids_name_resources_and_scope_their_anchors_and_relative_ids() {
        let found = Identifiers::of(&document());
        let top = found.scope_uri(None).to_string();
        assert_eq!(
            found.resolve(&top, "https://example.com/schemas/owner#name"),
            Some(Ok("/components/schemas/Owner/$defs/Name".into()))
        );
        assert_eq!(
            found.resolve(&top, "#name"),
            Some(Err("name".into())),
            "not in the document's scope"
        );
        let owner = "https://example.com/schemas/owner";
        assert_eq!(
            found.resolve(owner, "#name"),
            Some(Ok("/components/schemas/Owner/$defs/Name".into()))
        );
        assert_eq!(
            found.resolve(owner, "#/$defs/Name"),
            Some(Ok("/components/schemas/Owner/$defs/Name".into())),
            "a pointer is within the resource"
        );
        assert_eq!(
            found.resolve(owner, "address"),
            Some(Ok("/components/schemas/Owner/properties/address".into())),
            "a relative `$id` resolves against its resource"
        );
        assert_eq!(
            found.resolve(owner, "other.yaml"),
            None,
            "not a resource of the document"
        );
    }
}
