//! The error every operation returns, and the decoding helpers that choose it.

use std::fmt;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// Why a call did not return its documented success value.
///
/// `E` is the operation's own enum of documented error bodies. Which variant you get
/// depends only on the status code the server sent, never on the shape of the body.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The server answered with a status that the API documents as an error for this
    /// operation, and the body decoded as documented.
    Api(Box<ErrorResponse<E>>),
    /// The server answered with a status that the API does not document for this
    /// operation; the body is kept as received.
    UnexpectedStatus(Box<ErrorResponse<Vec<u8>>>),
    /// The body did not decode as the type documented for its status; it is kept as received.
    Decode {
        response: Box<ErrorResponse<Vec<u8>>>,
        source: serde_json::Error,
    },
    /// The request could not be sent, or the response could not be read.
    Transport(reqwest::Error),
    /// The request could not be built (a value that cannot appear in a URL or header).
    InvalidRequest(String),
}

/// The parts of a response that ended in an [`Error`].
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorResponse<T> {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: T,
}

impl<E> Error<E> {
    /// The status code, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(response) => Some(response.status),
            Error::UnexpectedStatus(response) | Error::Decode { response, .. } => Some(response.status),
            Error::Transport(error) => error.status(),
            Error::InvalidRequest(_) => None,
        }
    }

    /// The response headers, when the server answered.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api(response) => Some(&response.headers),
            Error::UnexpectedStatus(response) | Error::Decode { response, .. } => Some(&response.headers),
            Error::Transport(_) | Error::InvalidRequest(_) => None,
        }
    }

    /// The raw body, for an undocumented status or a body that did not decode.
    pub fn raw_body(&self) -> Option<&[u8]> {
        match self {
            Error::UnexpectedStatus(response) | Error::Decode { response, .. } => Some(&response.body),
            _ => None,
        }
    }
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(response) => write!(f, "the server answered {}: {:?}", response.status, response.body),
            Error::UnexpectedStatus(response) => write!(
                f,
                "the server answered {}, a status the API does not document for this operation ({} bytes of body)",
                response.status,
                response.body.len()
            ),
            Error::Decode { response, source } => write!(
                f,
                "the {} response body does not match the API description: {source}",
                response.status
            ),
            Error::Transport(error) => write!(f, "the request failed: {error}"),
            Error::InvalidRequest(reason) => write!(f, "the request could not be built: {reason}"),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Decode { source, .. } => Some(source),
            Error::Transport(error) => Some(error),
            _ => None,
        }
    }
}

/// A status the operation does not document.
pub(crate) fn unexpected_status<E>(status: StatusCode, headers: HeaderMap, body: &[u8]) -> Error<E> {
    Error::UnexpectedStatus(Box::new(ErrorResponse { status, headers, body: body.to_vec() }))
}
