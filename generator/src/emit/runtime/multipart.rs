//! Files for `multipart/form-data` request bodies.

use std::fmt;

/// A file sent as one part of a `multipart/form-data` body.
#[derive(Clone, PartialEq, Eq)]
pub struct FilePart {
    /// The file name the server sees.
    pub file_name: String,
    /// The media type, e.g. `text/csv`; the server guesses when it is not given.
    pub content_type: Option<String>,
    /// The file's contents.
    pub bytes: Vec<u8>,
}

impl FilePart {
    /// A file named `file_name` with the given contents.
    pub fn new(file_name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        FilePart { file_name: file_name.into(), content_type: None, bytes: bytes.into() }
    }

    /// Sets the media type of the file.
    #[must_use]
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    pub(crate) fn to_part(&self) -> Result<reqwest::multipart::Part, String> {
        let part = reqwest::multipart::Part::bytes(self.bytes.clone()).file_name(self.file_name.clone());
        match &self.content_type {
            Some(content_type) => part
                .mime_str(content_type)
                .map_err(|_| format!("`{content_type}` is not a valid media type")),
            None => Ok(part),
        }
    }
}

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
