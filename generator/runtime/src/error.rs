//! The error every operation returns, and the decoding helpers that choose it.

use std::fmt;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use crate::response::RateLimit;

/// Why a call did not return its documented success value.
///
/// `E` is the operation's own enum of documented error bodies. Which variant you get
/// depends only on the status code the server sent, never on the shape of the body.
/// [`Error::request_state`] tells whether the request may have reached the server.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The server answered with a status that the API documents as an error for this
    /// operation, and the body decoded as documented.
    Api(Box<ErrorResponse<E>>),
    /// The server answered with a status that the API does not document for this
    /// operation; the body is kept as received.
    UnexpectedStatus(Box<ErrorResponse<Vec<u8>>>),
    /// The server answered `429 Too Many Requests`, which the API does not document for
    /// this operation: it turned the request away because of its rate limit. The body is
    /// kept as received; `rate_limit` says when to try again. (Where the API documents a
    /// 429, it comes as [`Error::Api`], and [`Error::rate_limit`] reads the same figures.)
    RateLimited {
        response: Box<ErrorResponse<Vec<u8>>>,
        rate_limit: RateLimit,
    },
    /// The body did not decode as the type documented for its status; it is kept as received.
    Decode {
        response: Box<ErrorResponse<Vec<u8>>>,
        source: DecodeError,
    },
    /// The request could not be sent, or the response could not be read. `state` says how
    /// far the request got, and so whether the server may have acted on it; `response` is
    /// the status, headers and partial body when the answer broke off after it began.
    Transport {
        source: reqwest::Error,
        state: RequestState,
        response: Option<Box<ErrorResponse<Vec<u8>>>>,
    },
    /// The request could not be built (a value that cannot appear in a URL or header,
    /// credentials the operation needs and the client does not have).
    InvalidRequest(String),
    /// The client's [`TokenProvider`](crate::TokenProvider) could not supply a token, so
    /// the request was not sent.
    #[cfg(feature = "token-provider")]
    Credentials(crate::credentials::CredentialError),
    /// A walk through pages stopped because the server's answers do not lead on: it gave
    /// the same position twice, or a next page on another server. The pages before it
    /// were returned.
    #[cfg(feature = "pagination")]
    Pagination(String),
}

/// An error that holds no operation's documented body (from the transport, the
/// credentials, a body that does not decode): code that makes one is compiled once for
/// all operations instead of once per error type, and [`Error::widen`] makes it an
/// operation's.
pub(crate) type SendError = Error<std::convert::Infallible>;

impl SendError {
    /// The same error, as one of an operation whose documented errors are `E`.
    pub(crate) fn widen<E>(self) -> Error<E> {
        match self {
            Error::Api(response) => match response.body {},
            Error::UnexpectedStatus(response) => Error::UnexpectedStatus(response),
            Error::RateLimited {
                response,
                rate_limit,
            } => Error::RateLimited {
                response,
                rate_limit,
            },
            Error::Decode { response, source } => Error::Decode { response, source },
            Error::Transport {
                source,
                state,
                response,
            } => Error::Transport {
                source,
                state,
                response,
            },
            Error::InvalidRequest(reason) => Error::InvalidRequest(reason),
            #[cfg(feature = "token-provider")]
            Error::Credentials(error) => Error::Credentials(error),
            #[cfg(feature = "pagination")]
            Error::Pagination(reason) => Error::Pagination(reason),
        }
    }
}

/// Why a response body did not decode as its documented type.
#[derive(Debug)]
#[non_exhaustive]
pub enum DecodeError {
    /// The body is not JSON of the documented shape.
    Json(serde_json::Error),
    /// The body is documented as text and is not UTF-8.
    Text(std::string::FromUtf8Error),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Json(error) => error.fmt(f),
            DecodeError::Text(error) => write!(f, "the text is not UTF-8: {error}"),
        }
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DecodeError::Json(error) => Some(error),
            DecodeError::Text(error) => Some(error),
        }
    }
}

/// Why a client could not be set up.
#[derive(Debug)]
#[non_exhaustive]
pub enum SetupError {
    /// reqwest could not build its HTTP client, for instance when the platform's root
    /// certificates cannot be loaded.
    Http(reqwest::Error),
    /// The base URL is not an absolute `http` or `https` URL that paths can be added to.
    BaseUrl { url: String, reason: String },
}

impl fmt::Display for SetupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SetupError::Http(error) => write!(f, "the HTTP client could not be set up: {error}"),
            SetupError::BaseUrl { url, reason } => {
                write!(f, "the base URL `{url}` cannot be used: {reason}")
            }
        }
    }
}

impl std::error::Error for SetupError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SetupError::Http(error) => Some(error),
            SetupError::BaseUrl { .. } => None,
        }
    }
}

/// How far a request got before its call ended: whether the server may have seen it, and
/// so whether sending it again could make it act twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RequestState {
    /// Provably not sent: the request could not be built, or no connection was made (the
    /// name did not resolve, the connection was refused or timed out, the TLS handshake
    /// failed). Sending it again is safe.
    NotSent,
    /// It may have reached the server, which may have acted on it: the connection broke,
    /// or the timeout ran out, once the connection was made and before an answer arrived.
    MaybeSent,
    /// The server received it and answered, at least with a status.
    Sent,
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
        self.response_parts().map(|(status, _)| status)
    }

    /// The response headers, when the server answered.
    pub fn headers(&self) -> Option<&HeaderMap> {
        self.response_parts().map(|(_, headers)| headers)
    }

    /// The raw body, for an undocumented status or a body that did not decode, and the
    /// part that arrived of a body that broke off.
    pub fn raw_body(&self) -> Option<&[u8]> {
        match self {
            Error::UnexpectedStatus(response)
            | Error::RateLimited { response, .. }
            | Error::Decode { response, .. }
            | Error::Transport {
                response: Some(response),
                ..
            } => Some(&response.body),
            _ => None,
        }
    }

    /// The rate-limit figures of the response, when the server answered (whatever the
    /// status: a documented 429 has them too).
    pub fn rate_limit(&self) -> Option<RateLimit> {
        match self {
            Error::RateLimited { rate_limit, .. } => Some(*rate_limit),
            _ => self.headers().map(RateLimit::from_headers),
        }
    }

    /// How far the request got: [`RequestState::Sent`] whenever the server answered,
    /// [`RequestState::NotSent`] when the request could not be built.
    pub fn request_state(&self) -> RequestState {
        match self {
            Error::Transport { state, .. } => *state,
            Error::InvalidRequest(_) => RequestState::NotSent,
            #[cfg(feature = "token-provider")]
            Error::Credentials(_) => RequestState::NotSent,
            #[cfg(feature = "pagination")]
            Error::Pagination(_) => RequestState::NotSent,
            Error::Api(_)
            | Error::UnexpectedStatus(_)
            | Error::RateLimited { .. }
            | Error::Decode { .. } => RequestState::Sent,
        }
    }

    /// Whether the server may have received the request, and so may have acted on it.
    /// When this is `false`, sending the request again cannot make anything happen twice.
    pub fn may_have_been_sent(&self) -> bool {
        self.request_state() != RequestState::NotSent
    }

    fn response_parts(&self) -> Option<(StatusCode, &HeaderMap)> {
        match self {
            Error::Api(response) => Some((response.status, &response.headers)),
            Error::UnexpectedStatus(response)
            | Error::RateLimited { response, .. }
            | Error::Decode { response, .. }
            | Error::Transport {
                response: Some(response),
                ..
            } => Some((response.status, &response.headers)),
            Error::Transport { response: None, .. } | Error::InvalidRequest(_) => None,
            #[cfg(feature = "token-provider")]
            Error::Credentials(_) => None,
            #[cfg(feature = "pagination")]
            Error::Pagination(_) => None,
        }
    }

    /// What went wrong, in a few words that quote nothing the server or the caller sent:
    /// what traces record.
    #[cfg(feature = "tracing")]
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Error::Api(_) => "a documented error status",
            Error::UnexpectedStatus(_) => "an undocumented status",
            Error::RateLimited { .. } => "rate limited",
            Error::Decode { .. } => "the body did not decode",
            Error::Transport { source, .. } if source.is_timeout() => "timed out",
            Error::Transport { source, .. } if source.is_connect() => "could not connect",
            Error::Transport { .. } => "the connection failed",
            Error::InvalidRequest(_) => "the request could not be built",
            #[cfg(feature = "token-provider")]
            Error::Credentials(_) => "no token",
            #[cfg(feature = "pagination")]
            Error::Pagination(_) => "the pages do not lead on",
        }
    }
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(response) => {
                write!(
                    f,
                    "the server answered {}: {:?}",
                    response.status, response.body
                )
            }
            Error::UnexpectedStatus(response) => write!(
                f,
                "the server answered {}, a status the API does not document for this \
                 operation ({} bytes of body)",
                response.status,
                response.body.len()
            ),
            Error::RateLimited { rate_limit, .. } => {
                write!(
                    f,
                    "the server refused the request because of its rate limit \
                     (429 Too Many Requests)"
                )?;
                match rate_limit.delay() {
                    Some(delay) => write!(f, "; try again in {} ms", delay.as_millis()),
                    None => Ok(()),
                }
            }
            Error::Decode { response, source } => write!(
                f,
                "the {} response body does not match the API description: {source}",
                response.status
            ),
            Error::Transport {
                source,
                state,
                response,
            } => {
                let failed = if source.is_timeout() {
                    "timed out"
                } else {
                    "failed"
                };
                match (state, response) {
                    (RequestState::NotSent, _) => {
                        write!(f, "the request {failed} before it was sent: {source}")
                    }
                    (_, Some(response)) => {
                        let broke = if source.is_timeout() {
                            "timed out"
                        } else {
                            "broke off"
                        };
                        write!(
                            f,
                            "the {} response {broke} after {} bytes of body: {source}",
                            response.status,
                            response.body.len()
                        )
                    }
                    (_, None) => write!(
                        f,
                        "the request {failed} and may have reached the server: {source}"
                    ),
                }
            }
            Error::InvalidRequest(reason) => write!(f, "the request could not be built: {reason}"),
            #[cfg(feature = "token-provider")]
            Error::Credentials(error) => write!(f, "no token to send: {error}"),
            #[cfg(feature = "pagination")]
            Error::Pagination(reason) => write!(f, "the walk through the pages stopped: {reason}"),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Decode { source, .. } => Some(source),
            Error::Transport { source, .. } => Some(source),
            #[cfg(feature = "token-provider")]
            Error::Credentials(error) => Some(error),
            _ => None,
        }
    }
}

/// A request that reqwest could not build: a value that cannot appear in a URL or header.
/// The reason is reqwest's, with its causes (they never quote the value).
#[cfg(feature = "requests")]
pub(crate) fn invalid_request<E>(error: reqwest::Error) -> Error<E> {
    Error::InvalidRequest(unbuilt(error))
}

/// Why reqwest could not build a request, apart from the operation's error type.
#[cfg(feature = "requests")]
fn unbuilt(error: reqwest::Error) -> String {
    // The URL may carry an API key in its query.
    let error = error.without_url();
    let mut reason = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        reason.push_str(": ");
        reason.push_str(&cause.to_string());
        source = cause.source();
    }
    reason
}

/// A status the operation does not document.
#[cfg(feature = "unexpected-status")]
pub(crate) fn unexpected_status<E>(
    status: StatusCode,
    headers: HeaderMap,
    body: &[u8],
) -> Error<E> {
    Error::UnexpectedStatus(Box::new(ErrorResponse {
        status,
        headers,
        body: body.to_vec(),
    }))
}

/// A body that did not decode as documented.
#[cfg(any(
    feature = "decode-json",
    feature = "decode-error",
    feature = "text",
    feature = "text-error",
    feature = "pagination"
))]
pub(crate) fn undecodable(
    status: StatusCode,
    headers: HeaderMap,
    body: &[u8],
    source: DecodeError,
) -> SendError {
    Error::Decode {
        response: Box::new(ErrorResponse {
            status,
            headers,
            body: body.to_vec(),
        }),
        source,
    }
}

/// A response as it arrived, which an operation's decoder turns into its result by the
/// status alone: one short call per documented status instead of a copy of the same
/// steps in every decoder.
#[cfg(feature = "requests")]
pub(crate) struct Answer<'a>(ErrorResponse<&'a [u8]>);

#[cfg(feature = "requests")]
impl<'a> Answer<'a> {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: &'a [u8]) -> Self {
        Answer(ErrorResponse {
            status,
            headers,
            body,
        })
    }

    /// A JSON success body.
    #[cfg(feature = "decode-json")]
    pub(crate) fn json<T: serde::de::DeserializeOwned, E>(self) -> Result<T, Error<E>> {
        serde_json::from_slice(self.0.body)
            .map_err(|source| self.undecodable(DecodeError::Json(source)))
    }

    /// A text success body, which must be UTF-8.
    #[cfg(feature = "text")]
    pub(crate) fn text<E>(self) -> Result<String, Error<E>> {
        String::from_utf8(self.0.body.to_vec())
            .map_err(|source| self.undecodable(DecodeError::Text(source)))
    }

    /// A documented error whose body needs no decoding (none, or bytes): `body`.
    #[cfg(feature = "empty-error")]
    pub(crate) fn error<T, E>(self, body: E) -> Result<T, Error<E>> {
        Err(self.api_error(body))
    }

    /// A documented JSON error body, wrapped in the operation's error enum.
    #[cfg(feature = "decode-error")]
    pub(crate) fn json_error<B: serde::de::DeserializeOwned, T, E>(
        self,
        wrap: fn(B) -> E,
    ) -> Result<T, Error<E>> {
        Err(match serde_json::from_slice(self.0.body) {
            Ok(decoded) => self.api_error(wrap(decoded)),
            Err(source) => self.undecodable(DecodeError::Json(source)),
        })
    }

    /// A documented text error body, wrapped in the operation's error enum.
    #[cfg(feature = "text-error")]
    pub(crate) fn text_error<T, E>(self, wrap: fn(String) -> E) -> Result<T, Error<E>> {
        Err(match String::from_utf8(self.0.body.to_vec()) {
            Ok(text) => self.api_error(wrap(text)),
            Err(source) => self.undecodable(DecodeError::Text(source)),
        })
    }

    /// A 429 the operation does not document, with the rate-limit figures read as it
    /// arrived.
    #[cfg(feature = "rate-limited")]
    pub(crate) fn rate_limited<T, E>(self) -> Result<T, Error<E>> {
        Err(self.rate_limit_error().widen())
    }

    #[cfg(feature = "rate-limited")]
    fn rate_limit_error(self) -> SendError {
        let ErrorResponse {
            status,
            headers,
            body,
        } = self.0;
        let rate_limit = RateLimit::from_headers(&headers);
        Error::RateLimited {
            response: Box::new(ErrorResponse {
                status,
                headers,
                body: body.to_vec(),
            }),
            rate_limit,
        }
    }

    /// A status the operation does not document.
    #[cfg(feature = "unexpected-status")]
    pub(crate) fn unexpected<T, E>(self) -> Result<T, Error<E>> {
        Err(unexpected_status(
            self.0.status,
            self.0.headers,
            self.0.body,
        ))
    }

    #[cfg(any(
        feature = "decode-error",
        feature = "empty-error",
        feature = "text-error"
    ))]
    fn api_error<E>(self, body: E) -> Error<E> {
        Error::Api(Box::new(ErrorResponse {
            status: self.0.status,
            headers: self.0.headers,
            body,
        }))
    }

    #[cfg(any(
        feature = "decode-json",
        feature = "decode-error",
        feature = "text",
        feature = "text-error"
    ))]
    fn undecodable<E>(self, source: DecodeError) -> Error<E> {
        undecodable(self.0.status, self.0.headers, self.0.body, source).widen()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_alone_decides_and_bodies_are_kept() {
        let headers = HeaderMap::new();
        let answer = |status, body| Answer::new(status, headers.clone(), body);
        let error: Error<()> = unexpected_status(StatusCode::IM_A_TEAPOT, headers.clone(), b"tea");
        assert_eq!(error.status(), Some(StatusCode::IM_A_TEAPOT));
        assert_eq!(error.raw_body(), Some(&b"tea"[..]));
        assert_eq!(error.request_state(), RequestState::Sent);
        let unexpected: Result<(), Error<()>> =
            answer(StatusCode::IM_A_TEAPOT, b"tea").unexpected();
        assert!(
            matches!(unexpected, Err(Error::UnexpectedStatus(response)) if response.body == b"tea")
        );
        let decoded: Result<Vec<u32>, Error<()>> = answer(StatusCode::OK, b"[1, 2]").json();
        assert_eq!(decoded.ok(), Some(vec![1, 2]));
        let broken: Result<Vec<u32>, Error<()>> = answer(StatusCode::OK, b"{").json();
        assert!(matches!(
            broken,
            Err(Error::Decode {
                source: DecodeError::Json(_),
                ..
            })
        ));
        let text: Result<String, Error<()>> = answer(StatusCode::OK, &[0xff, 0xfe]).text();
        assert!(matches!(
            text,
            Err(Error::Decode {
                source: DecodeError::Text(_),
                ..
            })
        ));
        let wrapped: Result<(), Error<Option<u32>>> =
            answer(StatusCode::NOT_FOUND, b"7").json_error(Some);
        assert!(matches!(wrapped, Err(Error::Api(response)) if response.body == Some(7)));
        let undecodable: Result<(), Error<Option<u32>>> =
            answer(StatusCode::NOT_FOUND, b"seven").json_error(Some);
        assert!(matches!(
            undecodable,
            Err(Error::Decode { response, .. }) if response.body == b"seven"
        ));
        let texts: Result<(), Error<String>> =
            answer(StatusCode::BAD_REQUEST, b"no").text_error(|text| text);
        assert!(matches!(texts, Err(Error::Api(response)) if response.body == "no"));
        let empty: Result<(), Error<&str>> = answer(StatusCode::GONE, b"").error("gone");
        assert!(matches!(empty, Err(Error::Api(response)) if response.status == StatusCode::GONE));
    }

    #[test]
    fn invalid_requests_were_never_sent() {
        let error: Error<()> = Error::InvalidRequest("no".into());
        assert!(!error.may_have_been_sent());
        assert_eq!(error.to_string(), "the request could not be built: no");
    }
}
