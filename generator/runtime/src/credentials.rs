//! Credentials: secret values that never show in `Debug`, and the headers that carry them.

use std::fmt;

#[cfg(any(feature = "secret-header", feature = "bearer", feature = "basic-auth"))]
use reqwest::header::HeaderValue;

#[cfg(any(feature = "secret-header", feature = "bearer", feature = "basic-auth"))]
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
    #[cfg(feature = "sends-credentials")]
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A header value that carries a secret: marked sensitive, so that it is never logged.
#[cfg(any(feature = "secret-header", feature = "bearer", feature = "basic-auth"))]
pub(crate) fn secret_header<E>(value: &str, what: &str) -> Result<HeaderValue, Error<E>> {
    let mut header = HeaderValue::from_str(value).map_err(|_| {
        Error::InvalidRequest(format!(
            "the {what} contains characters that cannot appear in an HTTP header"
        ))
    })?;
    header.set_sensitive(true);
    Ok(header)
}

/// `Authorization: Bearer <token>`.
#[cfg(feature = "bearer")]
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
