//! OpenAPI Overlay 1.0: reviewed fixes kept beside an untouched upstream spec. Each action
//! selects nodes of the spec with a JSONPath (RFC 9535) and merges `update` into them or
//! removes them. Part of the load stage; it runs before `$ref`s are followed.

use std::path::Path;

use serde_json::Value;
use serde_json_path::JsonPath;

use crate::error::Diagnostic;
use crate::pointer;

/// Applies the overlay at `overlay_path` to `document`, action by action.
pub fn apply(document: &mut Value, overlay_path: &Path) -> Result<(), Vec<Diagnostic>> {
    let overlay = crate::load::read_document(overlay_path).map_err(|d| vec![*d])?;
    let at = |pointer: &str, message: String, help: &str| {
        Diagnostic::new(overlay_path, pointer, message).help(help)
    };
    if overlay
        .get("overlay")
        .and_then(Value::as_str)
        .is_none_or(|v| !v.starts_with("1."))
    {
        return Err(vec![at(
            "#/overlay",
            "not an OpenAPI Overlay 1.x document".into(),
            "start the file with `overlay: 1.0.0`",
        )]);
    }
    let Some(actions) = overlay.get("actions").and_then(Value::as_array) else {
        return Err(vec![at(
            "#/actions",
            "the overlay has no `actions` list".into(),
            "add `actions:` with `target` and `update` or `remove`",
        )]);
    };
    let mut problems = Vec::new();
    for (index, action) in actions.iter().enumerate() {
        let pointer = pointer::push("#/actions", &index.to_string());
        if let Err(problem) = apply_action(document, action) {
            problems.push(at(&pointer, problem.0, &problem.1));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Applies one action, or says (message, help) why it could not.
fn apply_action(document: &mut Value, action: &Value) -> Result<(), (String, String)> {
    let Some(target) = action.get("target").and_then(Value::as_str) else {
        return Err((
            "action has no `target`".into(),
            "give a JSONPath such as `$.paths['/pets'].get`".into(),
        ));
    };
    let path = JsonPath::parse(target).map_err(|err| {
        (
            format!("`{target}` is not a valid JSONPath: {err}"),
            "see RFC 9535 for the syntax".to_string(),
        )
    })?;
    let pointers: Vec<String> = path
        .query_located(document)
        .locations()
        .map(|location| location.to_json_pointer())
        .collect();
    if pointers.is_empty() {
        // An overlay is a reviewed fix: one that matches nothing means upstream changed.
        return Err((
            format!("target `{target}` matches nothing in the spec"),
            "update or delete this action".into(),
        ));
    }
    let remove = action
        .get("remove")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    match (remove, action.get("update")) {
        (true, _) => {
            // Remove from the end so earlier array indices stay valid.
            for pointer in pointers.iter().rev() {
                remove_at(document, pointer);
            }
        }
        (false, Some(update)) => {
            for pointer in &pointers {
                if let Some(node) = document.pointer_mut(pointer) {
                    merge(node, update);
                }
            }
        }
        (false, None) => {
            return Err((
                "action has neither `update` nor `remove: true`".into(),
                "say what the action does".into(),
            ))
        }
    }
    Ok(())
}

/// Overlay merge: objects merge key by key, arrays get the update's items appended (or
/// its value when the update is not an array), anything else is replaced.
fn merge(node: &mut Value, update: &Value) {
    match (node, update) {
        (Value::Object(node), Value::Object(update)) => {
            for (key, value) in update {
                match node.get_mut(key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        node.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (Value::Array(items), Value::Array(update)) => items.extend(update.iter().cloned()),
        (Value::Array(items), update) => items.push(update.clone()),
        (node, update) => *node = update.clone(),
    }
}

fn remove_at(document: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    let key = last.replace("~1", "/").replace("~0", "~");
    match document.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.shift_remove(&key);
        }
        Some(Value::Array(items)) => {
            if let Ok(index) = key.parse::<usize>() {
                if index < items.len() {
                    items.remove(index);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn update_merges_and_remove_deletes() {
        let mut spec = json!({"paths": {"/a/{id}": {"get": {"parameters": [{"name": "x"}], "summary": "old"}}}});
        apply_action(&mut spec, &json!({"target": "$.paths['/a/{id}'].get", "update": {"summary": "new", "parameters": [{"name": "id"}]}})).unwrap();
        assert_eq!(spec["paths"]["/a/{id}"]["get"]["summary"], "new");
        assert_eq!(
            spec["paths"]["/a/{id}"]["get"]["parameters"],
            json!([{"name": "x"}, {"name": "id"}])
        );
        apply_action(
            &mut spec,
            &json!({"target": "$.paths['/a/{id}'].get.parameters[0]", "remove": true}),
        )
        .unwrap();
        assert_eq!(
            spec["paths"]["/a/{id}"]["get"]["parameters"],
            json!([{"name": "id"}])
        );
    }

    #[test]
    fn a_target_that_matches_nothing_is_an_error() {
        let mut spec = json!({"paths": {}});
        let (message, _) = apply_action(
            &mut spec,
            &json!({"target": "$.paths['/gone']", "remove": true}),
        )
        .unwrap_err();
        assert!(message.contains("matches nothing"), "{message}");
        let (message, _) =
            apply_action(&mut spec, &json!({"target": "$[", "remove": true})).unwrap_err();
        assert!(message.contains("not a valid JSONPath"), "{message}");
    }
}
