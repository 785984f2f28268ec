//! Downloads read as they arrive, instead of held in memory whole.

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use crate::response::RateLimit;

/// The body of a successful download, read piece by piece as it arrives.
///
/// The client's timeout covers the whole download (see `Client::with_timeout`); give a
/// client meant for large files a longer one.
#[derive(Debug)]
pub struct ByteStream {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The rate-limit figures of the response, read from `headers`.
    pub rate_limit: RateLimit,
    /// How many times the request was sent.
    pub attempts: u32,
    response: reqwest::Response,
}

impl ByteStream {
    pub(crate) fn new(response: reqwest::Response, attempts: u32) -> Self {
        let headers = response.headers().clone();
        ByteStream {
            status: response.status(),
            rate_limit: RateLimit::from_headers(&headers),
            headers,
            attempts,
            response,
        }
    }

    /// The next piece of the body, or `None` at its end.
    ///
    /// # Errors
    ///
    /// When the connection breaks or the timeout runs out before the end.
    pub async fn chunk(&mut self) -> Result<Option<Vec<u8>>, reqwest::Error> {
        match self.response.chunk().await {
            Ok(chunk) => Ok(chunk.map(|bytes| bytes.to_vec())),
            Err(error) => Err(crate::transport::redact(error)),
        }
    }

    /// The rest of the body, read to its end.
    ///
    /// # Errors
    ///
    /// When the connection breaks or the timeout runs out before the end.
    pub async fn collect(mut self) -> Result<Vec<u8>, reqwest::Error> {
        let mut body = Vec::new();
        while let Some(chunk) = self.chunk().await? {
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    /// The reqwest response itself, for reading it another way.
    pub fn into_response(self) -> reqwest::Response {
        self.response
    }
}
