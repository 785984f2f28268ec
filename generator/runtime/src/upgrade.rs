//! `101 Switching Protocols`: a connection that leaves HTTP (a WebSocket, for instance).

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// The server agreed to switch protocols; [`Upgraded::connection`] gives the connection
/// to speak the new protocol on.
#[derive(Debug)]
pub struct Upgraded {
    pub status: StatusCode,
    pub headers: HeaderMap,
    response: reqwest::Response,
}

impl Upgraded {
    pub(crate) fn new(response: reqwest::Response) -> Self {
        Upgraded {
            status: response.status(),
            headers: response.headers().clone(),
            response,
        }
    }

    /// The connection, to read and write the new protocol's bytes.
    ///
    /// # Errors
    ///
    /// When the connection cannot be taken over from the HTTP client.
    pub async fn connection(self) -> Result<reqwest::Upgraded, reqwest::Error> {
        self.response.upgrade().await
    }
}
