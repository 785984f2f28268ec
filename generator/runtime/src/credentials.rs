//! Credentials: secret values that never show in `Debug`, the headers that carry them, and
//! tokens that a provider hands out (and renews) as requests are sent.

use std::fmt;
#[cfg(feature = "token-provider")]
use std::future::Future;
#[cfg(feature = "token-provider")]
use std::pin::Pin;
#[cfg(feature = "token-provider")]
use std::sync::Arc;

#[cfg(any(
    feature = "secret-header",
    feature = "bearer",
    feature = "basic-auth",
    feature = "token-provider"
))]
use reqwest::header::HeaderValue;

#[cfg(any(
    feature = "secret-header",
    feature = "bearer",
    feature = "basic-auth",
    feature = "token-provider"
))]
use crate::error::Error;

/// A credential's value (a token, a key, a password). Its `Debug` output is `<redacted>`,
/// and the headers made from it are marked sensitive, so that it is never logged.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub(crate) fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value, for the one place that sends it.
    #[cfg(any(feature = "sends-credentials", feature = "token-provider"))]
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// The value itself, to store it (the refresh token of a renewal, say). Keep it out
    /// of logs and error messages.
    #[cfg(feature = "token-provider")]
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A token a [`TokenProvider`] hands out.
#[cfg(feature = "token-provider")]
impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

/// A token a [`TokenProvider`] hands out.
#[cfg(feature = "token-provider")]
impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_string())
    }
}

/// What a [`TokenProvider`] returns: a boxed future, so that providers can be stored as
/// trait objects.
#[cfg(feature = "token-provider")]
pub type TokenFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, CredentialError>> + Send + 'a>>;

/// Where a bearer token comes from when it is not fixed: asked for before each attempt
/// of a request, so that a token that expires is replaced without the caller noticing.
///
/// Implement it for a token kept elsewhere (a vault, another service), or use the
/// refreshing OAuth 2.0 provider of the `oauth` feature. Its `Debug` output shows in the
/// client's, so it must not print a token.
#[cfg(feature = "token-provider")]
pub trait TokenProvider: fmt::Debug + Send + Sync {
    /// The token to send now. Called before every attempt, so it should be cheap while the
    /// token it holds is fresh.
    fn token(&self) -> TokenFuture<'_, Secret>;

    /// The server answered `401 Unauthorized` to a request that carried `rejected`. The
    /// client asks for a token again and sends the request once more (a 401 means the
    /// server did not act on it); a provider that can get a new token should do so on
    /// that next [`TokenProvider::token`]. By default nothing changes, and the second 401
    /// is returned.
    fn rejected(&self, rejected: &Secret) -> TokenFuture<'_, ()> {
        let _ = rejected;
        Box::pin(async { Ok(()) })
    }
}

/// Why a [`TokenProvider`] could not supply a token. Its message never holds a credential.
#[cfg(feature = "token-provider")]
#[derive(Debug)]
pub struct CredentialError {
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

#[cfg(feature = "token-provider")]
impl CredentialError {
    /// An error with `message`, which must not quote a secret.
    pub fn new(message: impl Into<String>) -> Self {
        CredentialError {
            message: message.into(),
            source: None,
        }
    }

    /// The same error, caused by `source`.
    #[must_use]
    pub fn with_source(
        mut self,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        self.source = Some(source.into());
        self
    }
}

#[cfg(feature = "token-provider")]
impl fmt::Display for CredentialError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[cfg(feature = "token-provider")]
impl std::error::Error for CredentialError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn std::error::Error + 'static))
    }
}

/// A bearer token as the client holds it: fixed, or asked of a provider on each attempt.
#[cfg(feature = "token-provider")]
#[derive(Clone)]
pub(crate) enum Token {
    Fixed(Secret),
    Provided(Arc<dyn TokenProvider>),
}

/// `<redacted>` for a fixed token; the provider's own `Debug` output.
#[cfg(feature = "token-provider")]
impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Token::Fixed(secret) => secret.fmt(f),
            Token::Provided(provider) => provider.fmt(f),
        }
    }
}

#[cfg(all(feature = "token-provider", feature = "bearer"))]
impl Token {
    /// The fixed token; `None` for one from a provider, which is put on at sending time.
    pub(crate) fn fixed(&self) -> Option<&Secret> {
        match self {
            Token::Fixed(secret) => Some(secret),
            Token::Provided(_) => None,
        }
    }

    pub(crate) fn provider(&self) -> Option<Arc<dyn TokenProvider>> {
        match self {
            Token::Fixed(_) => None,
            Token::Provided(provider) => Some(Arc::clone(provider)),
        }
    }
}

/// A header value that carries a secret: marked sensitive, so that it is never logged.
#[cfg(any(
    feature = "secret-header",
    feature = "bearer",
    feature = "basic-auth",
    feature = "token-provider"
))]
pub(crate) fn secret_header<E>(value: &str, what: &str) -> Result<HeaderValue, Error<E>> {
    let mut header = HeaderValue::from_str(value).map_err(|_| {
        Error::InvalidRequest(format!(
            "the {what} contains characters that cannot appear in an HTTP header"
        ))
    })?;
    header.set_sensitive(true);
    Ok(header)
}

/// `Authorization: Bearer <token>`, for a fixed token or one from a provider.
#[cfg(any(feature = "bearer", feature = "token-provider"))]
pub(crate) fn bearer<E>(token: &Secret) -> Result<HeaderValue, Error<E>> {
    secret_header(&format!("Bearer {}", token.expose()), "bearer token")
}

/// `Authorization: Basic <base64 of user:password>` (RFC 7617).
#[cfg(feature = "basic-auth")]
pub(crate) fn basic<E>(user: &str, password: &Secret) -> Result<HeaderValue, Error<E>> {
    let encoded = crate::base64::encode(format!("{user}:{}", password.expose()).as_bytes());
    secret_header(&format!("Basic {encoded}"), "user name or password")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_show() {
        let secret = Secret::new("hunter2");
        assert_eq!(format!("{secret:?}"), "<redacted>");
        let header = bearer::<()>(&secret).unwrap();
        assert!(header.is_sensitive());
        assert!(!format!("{header:?}").contains("hunter2"));
        assert!(bearer::<()>(&Secret::new("bad\nvalue")).is_err());
    }

    #[test]
    fn credential_errors_keep_their_cause() {
        let error = CredentialError::new("the token endpoint answered 400")
            .with_source(std::io::Error::other("invalid_grant"));
        assert_eq!(error.to_string(), "the token endpoint answered 400");
        let source = std::error::Error::source(&error).map(ToString::to_string);
        assert_eq!(source.as_deref(), Some("invalid_grant"));
        assert!(Token::Fixed(Secret::new("t")).provider().is_none());
    }

    #[test]
    fn basic_auth_is_rfc_7617() {
        // RFC 7617's own example.
        let header = basic::<()>("Aladdin", &Secret::new("open sesame")).unwrap();
        assert_eq!(
            header.to_str().unwrap(),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        assert!(header.is_sensitive());
    }
}
