//! `application/x-www-form-urlencoded` request bodies.

use serde::Serialize;
use serde_json::Value;

use crate::error::Error;

/// The body's fields as `name=value` pairs: absent and `null` fields are left out, a list
/// repeats its name, and nested objects cannot be sent in a form.
pub(crate) fn form_pairs<E>(body: &impl Serialize) -> Result<Vec<(String, String)>, Error<E>> {
    let invalid = |reason: String| {
        Error::InvalidRequest(format!("the form body cannot be encoded: {reason}"))
    };
    let Value::Object(fields) =
        serde_json::to_value(body).map_err(|error| invalid(error.to_string()))?
    else {
        return Err(invalid("it is not an object".to_string()));
    };
    let mut pairs = Vec::with_capacity(fields.len());
    for (name, value) in fields {
        let values = match value {
            Value::Array(items) => items,
            single => vec![single],
        };
        for value in values {
            match value {
                Value::Null => {}
                Value::String(text) => pairs.push((name.clone(), text)),
                Value::Bool(_) | Value::Number(_) => pairs.push((name.clone(), value.to_string())),
                Value::Array(_) | Value::Object(_) => {
                    return Err(invalid(format!("field `{name}` is nested")))
                }
            }
        }
    }
    Ok(pairs)
}
