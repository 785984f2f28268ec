//! Sending a request: how long to wait for it, and when to send it again (only when that
//! cannot make the server do anything twice).

use std::hash::{BuildHasher, Hasher};
#[cfg(feature = "token-provider")]
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

#[cfg(feature = "token-provider")]
use crate::credentials::{Secret, TokenProvider};
use crate::error::{Error, ErrorResponse, RequestState, SendError};
use crate::options::{RequestOptions, IDEMPOTENCY_KEY};
use crate::response::RateLimit;

/// How long a [`Client::new`](crate::Client::new) waits for a connection to be made.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a [`Client::new`](crate::Client::new) waits for each attempt of a request, from
/// connecting to the last byte of the answer.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// When a call sends its request again. A client never does unless it is given a policy
/// ([`Client::with_retry_policy`](crate::Client::with_retry_policy)).
///
/// With a policy, a request is sent again, up to `max_attempts` times in all:
///
/// - after `429 Too Many Requests`, once the server's `Retry-After` (or, without it, the
///   burst window of `X-RateLimit-Interval-Milliseconds`) has passed. When the server asks
///   for a longer wait than `max_delay`, or only says that the daily allowance is used
///   up, the 429 is returned instead.
/// - after a failure that provably happened before the request was sent
///   ([`RequestState::NotSent`](crate::RequestState::NotSent): the name did not resolve,
///   the connection was refused or timed out, the TLS handshake failed).
/// - after a failure that may have happened after the server received the request
///   (a reset connection, a timeout while waiting for the answer, an answer cut short),
///   only if the method is idempotent (`GET`, `HEAD`, `OPTIONS`, `TRACE`, `PUT`,
///   `DELETE`, `QUERY`), if the request carries an `Idempotency-Key` (the same on every
///   attempt), or if `retry_unsafe_methods` is set. A `POST` that may have reached the
///   server is never sent again by default: the server may have acted on it already.
///
/// Nothing else is retried: not other statuses (a 5xx may come after the server acted),
/// not bodies that fail to decode, not multipart bodies (they are streamed, so there is
/// no copy to send again). Between attempts the client waits an exponential backoff,
/// `base_delay` doubled after each attempt up to `max_delay`, with random jitter of up to
/// half of it, and at least what the server asked for. Each attempt has the client's
/// whole timeout; the error of the last attempt is the one returned.
///
/// Waiting uses Tokio's timer, so the Tokio runtime must have time enabled (as reqwest's
/// own timeouts need).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// How many times a request may be sent in all, the first time included; 1 (or 0)
    /// means never again.
    pub max_attempts: u32,
    /// The wait after the first attempt; it doubles after each further one.
    pub base_delay: Duration,
    /// The longest wait between two attempts, and the longest `Retry-After` the client waits for.
    pub max_delay: Duration,
    /// Also send again a request whose method is not idempotent (`POST`, `PATCH`) after a
    /// failure that may have reached the server. Only for operations the server is known
    /// to deduplicate: otherwise a retry can, for instance, create a second contact.
    pub retry_unsafe_methods: bool,
}

impl RetryPolicy {
    /// Never send a request twice: what every client does unless told otherwise.
    pub const fn never() -> Self {
        RetryPolicy {
            max_attempts: 1,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            retry_unsafe_methods: false,
        }
    }

    /// Send a request up to `max_attempts` times in all, waiting from half a second up to
    /// 30 seconds between attempts, and never again after a failure that may have reached
    /// the server unless its method is idempotent.
    pub const fn new(max_attempts: u32) -> Self {
        RetryPolicy {
            max_attempts,
            ..Self::never()
        }
    }

    /// Sets the wait after the first attempt.
    #[must_use]
    pub const fn with_base_delay(mut self, base_delay: Duration) -> Self {
        self.base_delay = base_delay;
        self
    }

    /// Sets the longest wait between two attempts.
    #[must_use]
    pub const fn with_max_delay(mut self, max_delay: Duration) -> Self {
        self.max_delay = max_delay;
        self
    }

    /// Whether a request with a method that is not idempotent (`POST`, `PATCH`) may be
    /// sent again after a failure that may have reached the server (off by default).
    #[must_use]
    pub const fn with_retry_unsafe_methods(mut self, retry_unsafe_methods: bool) -> Self {
        self.retry_unsafe_methods = retry_unsafe_methods;
        self
    }

    /// The wait before attempt `attempt + 1`, `None` when the outcome of `attempt` is final.
    /// A 429 that says only that the daily allowance is used up is final: only a new day
    /// helps, and no header says when that is. So is a request reqwest could not build: it
    /// would fail the same way again.
    fn delay_after(
        &self,
        repeatable: bool,
        attempt: u32,
        outcome: Result<&Received, &SendError>,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let backoff = self.backoff(attempt);
        match outcome {
            Ok(received) if received.status == StatusCode::TOO_MANY_REQUESTS => {
                let rate_limit = RateLimit::from_headers(&received.headers);
                if rate_limit.retry_after.is_none() && rate_limit.daily_remaining == Some(0) {
                    return None;
                }
                match rate_limit
                    .retry_after
                    .or(rate_limit.reset)
                    .or(rate_limit.burst_interval)
                {
                    Some(asked) if asked > self.max_delay => None,
                    Some(asked) => Some(asked.max(backoff)),
                    None => Some(backoff),
                }
            }
            Ok(_) => None,
            Err(Error::Transport { source, .. }) if source.is_builder() => None,
            Err(error) => match error.request_state() {
                RequestState::NotSent => Some(backoff),
                _ if self.retry_unsafe_methods || repeatable => Some(backoff),
                _ => None,
            },
        }
    }

    /// `base_delay` doubled `attempt - 1` times, at most `max_delay`, with the upper half
    /// jittered so that clients that failed together do not come back together.
    fn backoff(&self, attempt: u32) -> Duration {
        let factor = 1u32
            .checked_shl(attempt.saturating_sub(1))
            .unwrap_or(u32::MAX);
        let delay = self.base_delay.saturating_mul(factor).min(self.max_delay);
        let half = delay / 2;
        half + jitter(delay - half)
    }
}

impl Default for RetryPolicy {
    /// [`RetryPolicy::never`].
    fn default() -> Self {
        Self::never()
    }
}

/// Methods that can be sent twice with the effect of once (RFC 9110, section 9.2.2), and
/// `QUERY`, which is safe (its draft, which OpenAPI 3.2 adopts, makes it so).
fn is_idempotent(method: &Method) -> bool {
    [
        Method::GET,
        Method::HEAD,
        Method::OPTIONS,
        Method::TRACE,
        Method::PUT,
        Method::DELETE,
    ]
    .contains(method)
        || method.as_str() == "QUERY"
}

/// A random duration from zero up to `max`. The randomness comes from the standard
/// library's randomly keyed hasher, which is plenty for spreading retries.
fn jitter(max: Duration) -> Duration {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_nanos()),
    );
    let max_nanos = u64::try_from(max.as_nanos()).unwrap_or(u64::MAX);
    let nanos = (u128::from(max_nanos) * u128::from(hasher.finish())) >> 64;
    Duration::from_nanos(u64::try_from(nanos).unwrap_or(max_nanos))
}

/// A response read in full.
pub(crate) struct Received {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
    /// How many times the request was sent.
    pub(crate) attempts: u32,
}

/// The call a request belongs to, beyond the client's settings: which operation it is
/// (for traces), the options it is sent with, and where its bearer token comes from when
/// a provider hands it out.
pub(crate) struct Call<'a> {
    /// The operation's method name and path template; `None` for a request given to
    /// `Client::execute`.
    #[cfg(feature = "tracing")]
    operation: Option<(&'static str, &'static str)>,
    options: &'a RequestOptions,
    #[cfg(feature = "token-provider")]
    token: Option<Arc<dyn TokenProvider>>,
}

impl<'a> Call<'a> {
    /// A call of the operation `name` at `path` (its template, as the spec writes it).
    #[cfg(feature = "requests")]
    pub(crate) fn operation(
        name: &'static str,
        path: &'static str,
        options: &'a RequestOptions,
    ) -> Self {
        // Only traces name the operation.
        #[cfg(not(feature = "tracing"))]
        let _ = (name, path);
        Call {
            #[cfg(feature = "tracing")]
            operation: Some((name, path)),
            options,
            #[cfg(feature = "token-provider")]
            token: None,
        }
    }

    /// A request built elsewhere, sent as it is.
    pub(crate) fn request(options: &'a RequestOptions) -> Self {
        Call {
            #[cfg(feature = "tracing")]
            operation: None,
            options,
            #[cfg(feature = "token-provider")]
            token: None,
        }
    }

    /// Puts a token from `provider` on each attempt, and renews it once on a 401.
    #[cfg(all(feature = "token-provider", feature = "bearer"))]
    #[must_use]
    pub(crate) fn with_token(mut self, provider: Option<Arc<dyn TokenProvider>>) -> Self {
        self.token = provider;
        self
    }

    /// The span of the whole call: operation, method and path template (or, for a request
    /// built elsewhere, its path without the query). Never a header, a body or the query.
    #[cfg(feature = "tracing")]
    fn span(&self, request: &reqwest::Request) -> tracing::Span {
        let (operation, path) = self.operation.unwrap_or(("execute", request.url().path()));
        tracing::info_span!(
            "request",
            operation,
            method = %request.method(),
            path,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
        )
    }
}

/// Sends `request` (with `timeout` for each attempt, unless the request has its own) and
/// reads the whole response, sending it again as `policy` allows. Each attempt sends a
/// copy made beforehand; a request with a streamed body has no copy and is sent once.
pub(crate) async fn send(
    http: &reqwest::Client,
    policy: &RetryPolicy,
    timeout: Option<Duration>,
    call: &Call<'_>,
    request: reqwest::Request,
) -> Result<Received, SendError> {
    match attempts(http, policy, timeout, call, request, false).await? {
        Attempt::Read(received) => Ok(received),
        // Only asked for when `open_success` is set.
        Attempt::Open { response, attempts } => read_whole(response, attempts).await,
    }
}

/// Like [`send`], but a success (2xx, or 101 for an upgrade) comes back before its body
/// is read.
#[cfg(any(feature = "stream", feature = "upgrade"))]
pub(crate) async fn send_open(
    http: &reqwest::Client,
    policy: &RetryPolicy,
    timeout: Option<Duration>,
    call: &Call<'_>,
    request: reqwest::Request,
) -> Result<Attempt, SendError> {
    attempts(http, policy, timeout, call, request, true).await
}

/// What an attempt ended with.
pub(crate) enum Attempt {
    /// The whole response.
    Read(Received),
    /// A success whose body is left to the caller.
    Open {
        response: reqwest::Response,
        attempts: u32,
    },
}

/// Every attempt of `request`, within the call's span.
async fn attempts(
    http: &reqwest::Client,
    policy: &RetryPolicy,
    timeout: Option<Duration>,
    call: &Call<'_>,
    request: reqwest::Request,
    open_success: bool,
) -> Result<Attempt, SendError> {
    #[cfg(feature = "tracing")]
    let span = call.span(&request);
    let sent = each_attempt(http, policy, timeout, call, request, open_success);
    #[cfg(feature = "tracing")]
    let sent = tracing::Instrument::instrument(sent, span);
    sent.await
}

async fn each_attempt(
    http: &reqwest::Client,
    policy: &RetryPolicy,
    timeout: Option<Duration>,
    call: &Call<'_>,
    mut request: reqwest::Request,
    open_success: bool,
) -> Result<Attempt, SendError> {
    call.options.apply(&mut request);
    let policy = call.options.retry_policy.as_ref().unwrap_or(policy);
    if call.options.timeout.is_some() {
        *request.timeout_mut() = call.options.timeout;
    } else if request.timeout().is_none() {
        *request.timeout_mut() = timeout;
    }
    let repeatable =
        is_idempotent(request.method()) || request.headers().contains_key(IDEMPOTENCY_KEY);
    // A token from a provider is renewed, and the request sent again, once.
    #[cfg(feature = "token-provider")]
    let mut may_renew = call.token.is_some();
    #[cfg(not(feature = "token-provider"))]
    let may_renew = false;
    let mut attempt = 1;
    loop {
        let copy = if attempt < policy.max_attempts || may_renew {
            request.try_clone()
        } else {
            None
        };
        #[cfg(feature = "token-provider")]
        let token = put_token(call, &mut request).await?;
        #[cfg(feature = "tracing")]
        let started = std::time::Instant::now();
        let outcome = match dispatch(http, request).await {
            Ok(response) => {
                let status = response.status();
                if open_success
                    && (status.is_success() || status == StatusCode::SWITCHING_PROTOCOLS)
                {
                    #[cfg(feature = "tracing")]
                    traced(attempt, started, Ok(status));
                    // A success is final: nothing would send it again.
                    return Ok(Attempt::Open {
                        response,
                        attempts: attempt,
                    });
                }
                read_whole(response, attempt).await
            }
            Err(error) => Err(error),
        };
        #[cfg(feature = "tracing")]
        traced(
            attempt,
            started,
            outcome.as_ref().map(|received| received.status),
        );
        #[cfg(feature = "token-provider")]
        let renew = match (&call.token, token, &outcome) {
            (Some(provider), Some(token), Ok(received))
                if may_renew && received.status == StatusCode::UNAUTHORIZED =>
            {
                Some((provider, token))
            }
            _ => None,
        };
        #[cfg(feature = "token-provider")]
        let copy = match (renew, copy) {
            (Some((provider, token)), Some(copy)) => {
                #[cfg(feature = "tracing")]
                tracing::info!(
                    attempt,
                    "the server rejected the token; renewing it and sending again"
                );
                provider
                    .rejected(&token)
                    .await
                    .map_err(Error::Credentials)?;
                may_renew = false;
                request = copy;
                attempt += 1;
                continue;
            }
            (_, copy) => copy,
        };
        let delay = policy.delay_after(repeatable, attempt, outcome.as_ref());
        let (Some(copy), Some(delay)) = (copy, delay) else {
            return outcome.map(Attempt::Read);
        };
        #[cfg(feature = "tracing")]
        tracing::debug!(
            attempt,
            delay_ms = delay.as_millis() as u64,
            "waiting to send again"
        );
        tokio::time::sleep(delay).await;
        request = copy;
        attempt += 1;
    }
}

/// Puts the provider's current token on one attempt, and says which token that was.
#[cfg(feature = "token-provider")]
async fn put_token(
    call: &Call<'_>,
    request: &mut reqwest::Request,
) -> Result<Option<Secret>, SendError> {
    let Some(provider) = &call.token else {
        return Ok(None);
    };
    let token = provider.token().await.map_err(Error::Credentials)?;
    request.headers_mut().insert(
        reqwest::header::AUTHORIZATION,
        crate::credentials::bearer(&token)?,
    );
    Ok(Some(token))
}

/// One attempt's outcome, as an event of the call's span: its number, how long it took,
/// and the status or the kind of failure (never a header, a body or the query).
#[cfg(feature = "tracing")]
fn traced(attempt: u32, started: std::time::Instant, outcome: Result<StatusCode, &SendError>) {
    let elapsed_ms = started.elapsed().as_millis() as u64;
    let span = tracing::Span::current();
    span.record("attempts", attempt);
    match outcome {
        Ok(status) => {
            span.record("status", status.as_u16());
            tracing::debug!(attempt, status = status.as_u16(), elapsed_ms, "answered");
        }
        Err(error) => {
            let state = format!("{:?}", error.request_state());
            tracing::warn!(attempt, elapsed_ms, state, "failed: {}", error.kind());
        }
    }
}

/// Sends one attempt and waits for the status line. How far a failure got decides its
/// [`RequestState`]: a failure to connect (which includes name resolution, a connect
/// timeout and the TLS handshake) or to build the request is before sending; any other
/// failure before the status line arrives may be after the server received the request.
async fn dispatch(
    http: &reqwest::Client,
    request: reqwest::Request,
) -> Result<reqwest::Response, SendError> {
    http.execute(request).await.map_err(|source| {
        let state = if source.is_connect() || source.is_builder() {
            RequestState::NotSent
        } else {
            RequestState::MaybeSent
        };
        Error::Transport {
            source: redact(source),
            state,
            response: None,
        }
    })
}

/// Reads a whole body; a failure while reading it is after the server answered.
async fn read_whole(mut response: reqwest::Response, attempt: u32) -> Result<Received, SendError> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) => {
                return Ok(Received {
                    status,
                    headers,
                    body,
                    attempts: attempt,
                })
            }
            Err(source) => {
                return Err(Error::Transport {
                    source: redact(source),
                    state: RequestState::Sent,
                    response: Some(Box::new(ErrorResponse {
                        status,
                        headers,
                        body,
                    })),
                })
            }
        }
    }
}

/// reqwest's errors name the URL, whose query may carry an API key: it is left out.
pub(crate) fn redact(mut error: reqwest::Error) -> reqwest::Error {
    if let Some(url) = error.url_mut() {
        url.set_query(None);
    }
    error
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_limit_with_jitter_in_the_upper_half() {
        let policy = RetryPolicy::new(5)
            .with_base_delay(Duration::from_millis(100))
            .with_max_delay(Duration::from_millis(300));
        for (attempt, full) in [(1, 100), (2, 200), (3, 300), (4, 300)] {
            let delay = policy.backoff(attempt);
            assert!(
                delay >= Duration::from_millis(full / 2) && delay <= Duration::from_millis(full),
                "{attempt}: {delay:?}"
            );
        }
    }

    #[test]
    fn query_is_idempotent_and_extension_methods_are_not() {
        assert!(is_idempotent(&Method::from_bytes(b"QUERY").unwrap()));
        assert!(!is_idempotent(&Method::from_bytes(b"LINK").unwrap()));
        assert!(!is_idempotent(&Method::PATCH));
    }

    #[test]
    fn a_post_that_may_have_been_sent_is_not_retried_by_default() {
        let policy = RetryPolicy::new(3);
        let not_sent: SendError = Error::InvalidRequest(String::new());
        assert!(
            policy.delay_after(false, 1, Err(&not_sent)).is_some(),
            "not sent: safe to retry"
        );
        let answered = Received {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            headers: HeaderMap::new(),
            body: Vec::new(),
            attempts: 1,
        };
        assert!(
            policy.delay_after(true, 1, Ok(&answered)).is_none(),
            "5xx is never retried"
        );
        assert!(
            policy.delay_after(true, 3, Err(&not_sent)).is_none(),
            "attempts used up"
        );
    }
}
