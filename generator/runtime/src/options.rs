//! Settings for some calls only: a timeout, extra headers, an idempotency key, a retry
//! policy, given to [`Client::with_request_options`](crate::Client::with_request_options).

use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::transport::RetryPolicy;

/// The header that carries an idempotency key (the IETF's `Idempotency-Key` draft, which
/// Stripe's, Adyen's and many other APIs follow).
pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");

/// What some calls do differently from the client's defaults.
///
/// `client.with_request_options(RequestOptions::new().timeout(..))` is a client whose calls
/// use them; the client it came from is unchanged.
///
/// Its `Debug` output names the extra headers, never their values.
#[derive(Clone, Default)]
pub struct RequestOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) headers: HeaderMap,
    pub(crate) idempotency_key: Option<HeaderValue>,
    pub(crate) retry_policy: Option<RetryPolicy>,
}

impl RequestOptions {
    /// No changes: requests go out as the client sends them.
    pub fn new() -> Self {
        Self::default()
    }

    /// Gives each attempt `timeout`, from connecting to the last byte of the answer,
    /// instead of the client's.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sends `name: value` with every request, replacing a header of that name that the
    /// operation would send. The value is marked sensitive, so that it is never logged.
    #[must_use]
    pub fn header(mut self, name: HeaderName, mut value: HeaderValue) -> Self {
        value.set_sensitive(true);
        self.headers.insert(name, value);
        self
    }

    /// Sends `Idempotency-Key: <key>`, the same key on every attempt. A request that
    /// carries one may be sent again after a failure that may have reached the server,
    /// whatever its method, when the retry policy allows attempts: the server is trusted
    /// to act on the key once. Characters that cannot appear in a header are left out.
    #[must_use]
    pub fn idempotency_key(mut self, key: impl AsRef<str>) -> Self {
        let key: String = key
            .as_ref()
            .chars()
            .filter(|c| c.is_ascii_graphic() || *c == ' ')
            .collect();
        self.idempotency_key = HeaderValue::from_str(key.trim()).ok();
        self
    }

    /// Sends with `policy` instead of the client's.
    #[must_use]
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = Some(policy);
        self
    }

    /// These options, then `later`'s where it sets them.
    pub(crate) fn merged(&self, later: &RequestOptions) -> RequestOptions {
        let mut headers = self.headers.clone();
        for (name, value) in &later.headers {
            headers.insert(name.clone(), value.clone());
        }
        RequestOptions {
            timeout: later.timeout.or(self.timeout),
            headers,
            idempotency_key: later
                .idempotency_key
                .clone()
                .or_else(|| self.idempotency_key.clone()),
            retry_policy: later.retry_policy.or(self.retry_policy),
        }
    }

    /// Puts the headers and the idempotency key on `request`.
    pub(crate) fn apply(&self, request: &mut reqwest::Request) {
        for (name, value) in &self.headers {
            request.headers_mut().insert(name.clone(), value.clone());
        }
        if let Some(key) = &self.idempotency_key {
            request.headers_mut().insert(IDEMPOTENCY_KEY, key.clone());
        }
    }
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<&str> = self.headers.keys().map(HeaderName::as_str).collect();
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("headers", &headers)
            .field(
                "idempotency_key",
                &self.idempotency_key.as_ref().map(|_| "<set>"),
            )
            .field("retry_policy", &self.retry_policy)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_options_win_and_headers_add_up() {
        let first = RequestOptions::new()
            .timeout(Duration::from_secs(1))
            .header(
                HeaderName::from_static("x-a"),
                HeaderValue::from_static("1"),
            )
            .idempotency_key("k1");
        let later = RequestOptions::new()
            .header(
                HeaderName::from_static("x-b"),
                HeaderValue::from_static("2"),
            )
            .idempotency_key("k2");
        let merged = first.merged(&later);
        assert_eq!(merged.timeout, Some(Duration::from_secs(1)));
        assert_eq!(merged.headers.len(), 2);
        assert_eq!(merged.idempotency_key.unwrap(), "k2");
    }

    #[test]
    fn debug_shows_no_header_value_or_key() {
        let options = RequestOptions::new()
            .header(
                HeaderName::from_static("x-secret"),
                HeaderValue::from_static("hunter2"),
            )
            .idempotency_key("order-77");
        let shown = format!("{options:?}");
        assert!(shown.contains("x-secret"), "{shown}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("order-77"),
            "{shown}"
        );
    }

    #[test]
    fn a_key_keeps_only_header_characters() {
        let options = RequestOptions::new().idempotency_key("a\nb c");
        assert_eq!(options.idempotency_key.unwrap(), "ab c");
    }
}
