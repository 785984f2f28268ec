//! `multipart/form-data` request bodies: files, and values sent as parts.

#[cfg(feature = "files")]
use std::fmt;

use crate::error::Error;

/// A file sent as one part of a `multipart/form-data` body.
#[cfg(feature = "files")]
#[derive(Clone, PartialEq, Eq)]
pub struct FilePart {
    /// The file name the server sees.
    pub file_name: String,
    /// The media type, e.g. `text/csv`; the server guesses when it is not given.
    pub content_type: Option<String>,
    /// The file's contents.
    pub bytes: Vec<u8>,
}

#[cfg(feature = "files")]
impl FilePart {
    /// A file named `file_name` with the given contents.
    pub fn new(file_name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        FilePart {
            file_name: file_name.into(),
            content_type: None,
            bytes: bytes.into(),
        }
    }

    /// Sets the media type of the file.
    #[must_use]
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    pub(crate) fn to_part<E>(&self) -> Result<reqwest::multipart::Part, Error<E>> {
        let part =
            reqwest::multipart::Part::bytes(self.bytes.clone()).file_name(self.file_name.clone());
        match &self.content_type {
            Some(content_type) => part.mime_str(content_type).map_err(|_| {
                Error::InvalidRequest(format!("`{content_type}` is not a valid media type"))
            }),
            None => Ok(part),
        }
    }
}

#[cfg(feature = "files")]
impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The contents can be large and private: show their size only.
        f.debug_struct("FilePart")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("bytes", &format_args!("<{} bytes>", self.bytes.len()))
            .finish()
    }
}

/// Adds `value` to `form` as the part `name`: text for strings, numbers and booleans
/// (written as JSON writes them), one text part per item of a list of those, a JSON part
/// for objects and other lists, and nothing for `null`.
#[cfg(feature = "multipart")]
pub(crate) fn add_value<E>(
    form: reqwest::multipart::Form,
    name: &str,
    value: &impl serde::Serialize,
) -> Result<reqwest::multipart::Form, Error<E>> {
    let value = serde_json::to_value(value).map_err(|error| {
        Error::InvalidRequest(format!("part `{name}` could not be encoded: {error}"))
    })?;
    add_json_value(form, name, value)
}

#[cfg(feature = "multipart")]
fn add_json_value<E>(
    form: reqwest::multipart::Form,
    name: &str,
    value: serde_json::Value,
) -> Result<reqwest::multipart::Form, Error<E>> {
    use serde_json::Value;
    Ok(match value {
        Value::Null => form,
        Value::String(text) => form.text(name.to_string(), text),
        Value::Bool(_) | Value::Number(_) => form.text(name.to_string(), value.to_string()),
        Value::Array(items)
            if items
                .iter()
                .all(|item| !item.is_array() && !item.is_object()) =>
        {
            let mut form = form;
            for item in items {
                form = add_json_value(form, name, item)?;
            }
            form
        }
        Value::Array(_) | Value::Object(_) => {
            let part = reqwest::multipart::Part::text(value.to_string())
                .mime_str("application/json")
                .map_err(|error| Error::InvalidRequest(error.to_string()))?;
            form.part(name.to_string(), part)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_contents_stay_out_of_debug() {
        let file = FilePart::new("a.csv", b"secret,rows".to_vec()).content_type("text/csv");
        let shown = format!("{file:?}");
        assert!(
            shown.contains("a.csv") && shown.contains("<11 bytes>") && !shown.contains("secret")
        );
        assert!(file.to_part::<()>().is_ok());
        assert!(FilePart::new("a", Vec::new())
            .content_type("not a type")
            .to_part::<()>()
            .is_err());
    }

    #[test]
    fn values_become_text_or_json_parts() {
        let form = reqwest::multipart::Form::new();
        let form = add_value::<()>(form, "n", &3).unwrap();
        let form = add_value::<()>(form, "o", &serde_json::json!({"a": [1]})).unwrap();
        let form = add_value::<()>(form, "skip", &Option::<u8>::None).unwrap();
        assert!(!form.boundary().is_empty());
    }
}
