//! The generated client under faults, against real servers on loopback only: a stalled
//! server, a reset connection, a refused connection, a failed TLS handshake, 429s with
//! good and bad headers, and a body cut short. Each error must say whether the request
//! may have reached the server, a retry policy must never send a POST again when it may
//! have, and the token must never show.
//!
//! Servers are tasks of the test's own runtime (they end with the test) and serve a
//! bounded number of connections; every call runs under a hang guard.

use std::fmt::Debug;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use codegen_tests::{assert_error_hides_token, assert_no_token, TOKEN};
use highlevel_contacts::{
    decode_create_contact, Client, CreateContactError, CreateContactRequest, CreateContactResponse,
    Error, RateLimit, RequestState, RetryPolicy, SuccessResponse, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_TIMEOUT,
};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The longest any single call may take before the test calls it a hang.
const HANG_GUARD: Duration = Duration::from_secs(20);

/// The timeout of the clients that meet stalled servers.
const SHORT_TIMEOUT: Duration = Duration::from_millis(300);

/// Retries that wait a few milliseconds, so that tests stay fast.
fn quick_retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy::new(max_attempts)
        .with_base_delay(Duration::from_millis(10))
        .with_max_delay(Duration::from_millis(50))
}

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

fn contact() -> CreateContactRequest {
    CreateContactRequest::new("ve9EPM428h8vShlRW1KT").first_name("Rosan")
}

fn created_body() -> serde_json::Value {
    json!({"contact": {"id": "seD4PfOuKoVMLkEZqohJ", "locationId": "ve9EPM428h8vShlRW1KT"}})
}

/// A client for `base` whose calls give up after a few seconds, whatever the server does.
fn client_for(base: &str) -> Client {
    Client::new(TOKEN)
        .expect("reqwest sets up its TLS backend")
        .with_base_url(base.parse().expect("a base URL"))
        .with_timeout(Duration::from_secs(5))
}

/// Runs `call`, failing the test if it has not ended within [`HANG_GUARD`]; returns its
/// output and how long it took.
async fn timed<T>(call: impl Future<Output = T>) -> (T, Duration) {
    let start = Instant::now();
    let output = tokio::time::timeout(HANG_GUARD, call)
        .await
        .unwrap_or_else(|_| panic!("the call did not end within {HANG_GUARD:?}"));
    (output, start.elapsed())
}

async fn create(client: &Client) -> Result<CreateContactResponse, Error<CreateContactError>> {
    timed(client.create_contact(&contact())).await.0
}

/// The parts of an `Error::Transport`, after checking that the token does not show.
#[track_caller]
fn transport<E: Debug>(error: &Error<E>) -> (&reqwest::Error, RequestState) {
    assert_error_hides_token(error);
    match error {
        Error::Transport { source, state, .. } => {
            assert_eq!(error.request_state(), *state);
            assert_eq!(error.may_have_been_sent(), *state != RequestState::NotSent);
            (source, *state)
        }
        other => panic!("expected Error::Transport, got {other:?}"),
    }
}

/// A raw HTTP server on loopback for faults that HTTP itself cannot express. It serves up
/// to `connections` connections, each in its own task: `answer` gets the stream and the
/// request read from it (head and body, as far as the client sent them). Returns the base
/// URL and the count of connections accepted.
async fn raw_server<F, Fut>(connections: usize, answer: F) -> (String, Arc<AtomicUsize>)
where
    F: Fn(TcpStream, Vec<u8>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let address = listener.local_addr().expect("local address");
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        for _ in 0..connections {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            counter.fetch_add(1, Ordering::SeqCst);
            let request = read_request(&mut stream).await;
            tokio::spawn(answer(stream, request));
        }
    });
    (format!("http://{address}"), accepted)
}

/// Reads a request's head and as much body as its Content-Length announces, giving up
/// after a few seconds or when the client stops sending.
async fn read_request(stream: &mut TcpStream) -> Vec<u8> {
    let mut data = Vec::new();
    let mut buffer = [0u8; 4096];
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        if codegen_tests::request_complete(&data) {
            return data;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) | Err(_) => return data,
            Ok(Ok(n)) => data.extend_from_slice(&buffer[..n]),
        }
    }
}

/// Closes the connection with a TCP reset instead of an orderly close.
fn reset(stream: TcpStream) {
    stream.set_zero_linger().expect("SO_LINGER 0");
    drop(stream);
}

async fn respond(mut stream: TcpStream, status: &str, headers: &str, body: &[u8]) {
    let head = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n{headers}\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.expect("write head");
    stream.write_all(body).await.expect("write body");
    stream.flush().await.expect("flush");
}

/// A loopback address where nothing listens: bound, then let go.
async fn closed_port() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    listener.local_addr().expect("local address")
}

async fn requests_seen(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .expect("request recording is on")
        .len()
}

/// A wiremock server that answers the first `first_times` requests with `first` and every
/// later one with `then`.
async fn server_answering(
    first: ResponseTemplate,
    first_times: u64,
    then: ResponseTemplate,
) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(first)
        .up_to_n_times(first_times)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(then)
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

fn too_many_requests() -> ResponseTemplate {
    ResponseTemplate::new(429).set_body_json(json!({"message": "Too many requests"}))
}

fn created() -> ResponseTemplate {
    ResponseTemplate::new(201).set_body_json(created_body())
}

// ---------------------------------------------------------------------------------------
// Timeouts
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_stalled_server_ends_in_a_timeout_that_may_have_reached_it() {
    // Reads the request, then says nothing for longer than any client waits.
    let (base, connections) = raw_server(2, |stream, _request| async move {
        tokio::time::sleep(Duration::from_secs(3)).await;
        drop(stream);
    })
    .await;
    let client = client_for(&base).with_timeout(SHORT_TIMEOUT);
    let (result, elapsed) = timed(client.create_contact(&contact())).await;
    let error = result.expect_err("no answer in time");
    let (source, state) = transport(&error);
    assert!(source.is_timeout(), "a timeout: {source:?}");
    assert_eq!(
        state,
        RequestState::MaybeSent,
        "the server read the request before the time ran out"
    );
    assert!(
        elapsed >= SHORT_TIMEOUT,
        "gave up after {elapsed:?}, before the timeout"
    );
    assert!(
        elapsed < Duration::from_secs(3),
        "gave up after {elapsed:?}: the timeout of {SHORT_TIMEOUT:?} was not applied"
    );
    assert!(
        error.to_string().contains("timed out") && error.to_string().contains("may have reached"),
        "Display says what happened: {error}"
    );
    assert_eq!(error.status(), None);
    assert_eq!(connections.load(Ordering::SeqCst), 1);

    // A retry policy does not send the POST again: the server may be creating the contact.
    let retrying = client.with_retry_policy(quick_retries(3));
    let error = create(&retrying).await.expect_err("no answer in time");
    let (source, state) = transport(&error);
    assert!(source.is_timeout());
    assert_eq!(state, RequestState::MaybeSent);
    assert_eq!(
        connections.load(Ordering::SeqCst),
        2,
        "exactly one more request: the POST was not retried"
    );
}

#[tokio::test]
async fn the_timeout_of_a_callers_http_client_applies_as_it_is() {
    let (base, _) = raw_server(1, |stream, _request| async move {
        tokio::time::sleep(Duration::from_secs(3)).await;
        drop(stream);
    })
    .await;
    let http = Client::http_client_builder()
        .timeout(SHORT_TIMEOUT)
        .build()
        .expect("reqwest client");
    let client = Client::with_http_client(TOKEN, http)
        .expect("client")
        .with_base_url(base.parse().expect("base URL"));
    let (result, elapsed) = timed(client.create_contact(&contact())).await;
    let error = result.expect_err("no answer in time");
    let (source, _) = transport(&error);
    assert!(source.is_timeout(), "a timeout: {source:?}");
    assert!(
        elapsed < Duration::from_secs(3),
        "the caller's timeout was kept"
    );
}

#[test]
fn new_clients_have_timeouts_and_send_each_request_once() {
    assert_eq!(DEFAULT_CONNECT_TIMEOUT, Duration::from_secs(10));
    assert_eq!(DEFAULT_TIMEOUT, Duration::from_secs(30));
    assert_eq!(RetryPolicy::default(), RetryPolicy::never());
    assert_eq!(RetryPolicy::never().max_attempts, 1);
    assert!(!RetryPolicy::new(3).retry_unsafe_methods);

    let client = Client::new(TOKEN).expect("reqwest sets up its TLS backend");
    let debug = format!("{client:?}");
    assert!(
        debug.contains("timeout: Some(30s)"),
        "Client::new applies DEFAULT_TIMEOUT: {debug}"
    );
    assert!(
        debug.contains("max_attempts: 1"),
        "no retries by default: {debug}"
    );
    let custom = Client::with_http_client(TOKEN, Client::http_client_builder().build().unwrap())
        .expect("client");
    assert!(
        format!("{custom:?}").contains("timeout: None"),
        "a caller's client keeps its own timeouts: {custom:?}"
    );
}

// ---------------------------------------------------------------------------------------
// Connections that break
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_reset_after_reading_the_request_may_have_been_sent_and_a_post_is_not_replayed() {
    let (base, connections) = raw_server(10, |stream, request| async move {
        assert!(
            request.starts_with(b"POST /contacts/ HTTP/1.1\r\n"),
            "{}",
            String::from_utf8_lossy(&request)
        );
        reset(stream);
    })
    .await;
    let client = client_for(&base).with_retry_policy(quick_retries(3));
    let error = create(&client).await.expect_err("the connection was reset");
    let (source, state) = transport(&error);
    assert!(!source.is_timeout(), "not a timeout: {source:?}");
    assert!(!source.is_connect(), "the connection was made: {source:?}");
    assert_eq!(state, RequestState::MaybeSent);
    assert!(error.may_have_been_sent());
    assert!(
        error.to_string().contains("may have reached the server"),
        "Display says so: {error}"
    );
    assert_eq!(
        connections.load(Ordering::SeqCst),
        1,
        "exactly one request reached the server: the POST was not replayed"
    );

    // Only when the caller says the server deduplicates does the policy send it again.
    let unsafe_retries = client.with_retry_policy(quick_retries(3).with_retry_unsafe_methods(true));
    let error = create(&unsafe_retries).await.expect_err("reset every time");
    assert_eq!(transport(&error).1, RequestState::MaybeSent);
    assert_eq!(connections.load(Ordering::SeqCst), 1 + 3);
}

#[tokio::test]
async fn an_idempotent_request_is_sent_again_after_a_reset() {
    // Resets the first two connections, answers the third.
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    let (base, connections) = raw_server(5, move |stream, request| {
        let call = seen.fetch_add(1, Ordering::SeqCst);
        async move {
            assert!(request.starts_with(b"GET /contacts/abc HTTP/1.1\r\n"));
            if call < 2 {
                reset(stream);
            } else {
                respond(stream, "200 OK", "x-ratelimit-remaining: 7\r\n", b"{}").await;
            }
        }
    })
    .await;
    let client = client_for(&base).with_retry_policy(quick_retries(3));
    let request = reqwest::Request::new(
        Method::GET,
        format!("{base}/contacts/abc").parse().expect("a URL"),
    );
    let (result, _) = timed(client.execute(request, |status, _headers, body: &[u8]| {
        Ok::<_, Error<()>>((status, body.to_vec()))
    }))
    .await;
    let response = result.unwrap_or_else(|e| panic!("the third attempt succeeds: {e}"));
    assert_eq!(response.body, (StatusCode::OK, b"{}".to_vec()));
    assert_eq!(response.attempts, 3);
    assert_eq!(response.rate_limit.burst_remaining, Some(7));
    assert_eq!(connections.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_connection_refused_was_provably_not_sent_and_is_retried() {
    let address = closed_port().await;
    let base = format!("http://{address}");

    // Without a policy: one attempt, and the error says that nothing was sent.
    let error = create(&client_for(&base))
        .await
        .expect_err("nothing listens");
    let (source, state) = transport(&error);
    assert!(source.is_connect(), "a connect error: {source:?}");
    assert_eq!(state, RequestState::NotSent);
    assert!(!error.may_have_been_sent());
    assert!(
        error.to_string().contains("before it was sent"),
        "Display says so: {error}"
    );

    // With a policy, the POST is sent again (it never left), until the server is up.
    let server = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(150)).await;
        let listener = TcpListener::bind(address)
            .await
            .expect("bind the port again");
        let (mut stream, _) = listener.accept().await.expect("a connection");
        let request = read_request(&mut stream).await;
        let body = serde_json::to_vec(&created_body()).expect("JSON");
        respond(stream, "201 Created", "", &body).await;
        request
    });
    let client = client_for(&base).with_retry_policy(
        RetryPolicy::new(100)
            .with_base_delay(Duration::from_millis(20))
            .with_max_delay(Duration::from_millis(20)),
    );
    let request = client
        .create_contact_request(&contact())
        .expect("the request builds");
    let (result, elapsed) = timed(client.execute(request, decode_create_contact)).await;
    let response = result.unwrap_or_else(|e| panic!("succeeds once the server is up: {e}"));
    assert!(
        response.attempts > 1,
        "attempts: {}, after {elapsed:?}",
        response.attempts
    );
    assert!(elapsed >= Duration::from_millis(150));
    assert_eq!(response.status, StatusCode::CREATED);
    assert_eq!(
        response.body.contact.and_then(|c| c.id).as_deref(),
        Some("seD4PfOuKoVMLkEZqohJ")
    );
    let request = server.await.expect("the server task ends");
    assert!(request.starts_with(b"POST /contacts/ HTTP/1.1\r\n"));
}

#[tokio::test]
async fn a_failed_tls_handshake_was_not_sent_and_is_retried_up_to_max_attempts() {
    // Answers a TLS ClientHello with plain HTTP: the handshake fails before any of the
    // request is written, so each attempt is one connection and nothing else.
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let base = format!("https://{}", listener.local_addr().expect("local address"));
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = connections.clone();
    tokio::spawn(async move {
        for _ in 0..10 {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            counter.fetch_add(1, Ordering::SeqCst);
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n").await;
        }
    });
    let error = create(&client_for(&base))
        .await
        .expect_err("the handshake fails");
    let (source, state) = transport(&error);
    assert!(source.is_connect(), "a connect error: {source:?}");
    assert_eq!(state, RequestState::NotSent);
    assert_eq!(connections.load(Ordering::SeqCst), 1, "no policy, no retry");

    let (result, elapsed) = timed(
        client_for(&base)
            .with_retry_policy(quick_retries(4))
            .create_contact(&contact()),
    )
    .await;
    let error = result.expect_err("the handshake fails every time");
    assert_eq!(transport(&error).1, RequestState::NotSent);
    assert_eq!(
        connections.load(Ordering::SeqCst),
        1 + 4,
        "sent up to max_attempts times, not more"
    );
    // Three waits of at least half the backoff: 5 + 10 + 20 ms.
    assert!(elapsed >= Duration::from_millis(35), "waited {elapsed:?}");
}

#[tokio::test]
async fn a_truncated_body_was_sent_keeps_what_arrived_and_is_not_replayed() {
    let partial: &[u8] = br#"{"contact": {"id": "seD4Pf"#;
    let (base, connections) = raw_server(5, move |mut stream, _request| async move {
        let head = format!(
            "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: {}\r\nx-ratelimit-remaining: 3\r\n\r\n",
            partial.len() + 500
        );
        stream.write_all(head.as_bytes()).await.expect("write head");
        stream.write_all(partial).await.expect("write partial body");
        stream.flush().await.expect("flush");
        let _ = stream.shutdown().await;
    })
    .await;
    let client = client_for(&base).with_retry_policy(quick_retries(3));
    let error = create(&client).await.expect_err("the body is cut short");
    let (source, state) = transport(&error);
    assert!(!source.is_timeout(), "the close, not a timeout: {source:?}");
    assert_eq!(state, RequestState::Sent, "the server answered");
    assert_eq!(error.status(), Some(StatusCode::CREATED));
    assert_eq!(error.raw_body(), Some(partial));
    assert_eq!(error.rate_limit().and_then(|r| r.burst_remaining), Some(3));
    assert!(
        error.to_string().contains("201 Created response broke off"),
        "Display: {error}"
    );
    assert_eq!(
        connections.load(Ordering::SeqCst),
        1,
        "the contact was created (201): the POST is not sent again"
    );
}

// ---------------------------------------------------------------------------------------
// 429 Too Many Requests
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_429_without_a_policy_is_rate_limited_with_its_figures() {
    let server = server_answering(
        too_many_requests()
            .insert_header("retry-after", "7")
            .insert_header("x-ratelimit-limit-daily", "200000")
            .insert_header("x-ratelimit-daily-remaining", "199000")
            .insert_header("x-ratelimit-interval-milliseconds", "10000")
            .insert_header("x-ratelimit-max", "100")
            .insert_header("x-ratelimit-remaining", "0"),
        1,
        created(),
    )
    .await;
    let error = create(&client_for(&server.uri()))
        .await
        .expect_err("429 without a policy");
    assert_error_hides_token(&error);
    assert_eq!(error.status(), Some(StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(error.request_state(), RequestState::Sent);
    let expected = (
        Some(100),
        Some(0),
        Some(Duration::from_millis(10_000)),
        Some(200_000),
        Some(199_000),
        Some(Duration::from_secs(7)),
    );
    match &error {
        Error::RateLimited {
            response,
            rate_limit,
        } => {
            assert_eq!(
                response.body,
                serde_json::to_vec(&json!({"message": "Too many requests"})).unwrap()
            );
            assert_eq!(figures(rate_limit), expected);
            assert_eq!(rate_limit.delay(), Some(Duration::from_secs(7)));
        }
        other => panic!("expected Error::RateLimited, got {other:?}"),
    }
    assert_eq!(error.rate_limit().as_ref().map(figures), Some(expected));
    assert!(
        error.to_string().contains("429") && error.to_string().contains("7000 ms"),
        "Display says when to try again: {error}"
    );
    assert_eq!(requests_seen(&server).await, 1, "no policy, no retry");
}

/// Burst limit, burst remaining, burst interval, daily limit, daily remaining, retry after.
type Figures = (
    Option<u64>,
    Option<u64>,
    Option<Duration>,
    Option<u64>,
    Option<u64>,
    Option<Duration>,
);

fn figures(rate_limit: &RateLimit) -> Figures {
    (
        rate_limit.burst_limit,
        rate_limit.burst_remaining,
        rate_limit.burst_interval,
        rate_limit.daily_limit,
        rate_limit.daily_remaining,
        rate_limit.retry_after,
    )
}

#[tokio::test]
async fn a_429_with_retry_after_is_retried_once_the_delay_has_passed() {
    let server = server_answering(
        too_many_requests().insert_header("retry-after", "1"),
        1,
        created(),
    )
    .await;
    let client = client_for(&server.uri())
        .with_retry_policy(quick_retries(3).with_max_delay(Duration::from_secs(2)));
    let request = client.create_contact_request(&contact()).expect("builds");
    let (result, elapsed) = timed(client.execute(request, decode_create_contact)).await;
    let response = result.unwrap_or_else(|e| panic!("the second attempt succeeds: {e}"));
    assert_eq!(response.status, StatusCode::CREATED);
    assert_eq!(response.attempts, 2);
    assert!(
        elapsed >= Duration::from_secs(1),
        "Retry-After: 1 was honoured, but only {elapsed:?} passed"
    );
    assert_eq!(requests_seen(&server).await, 2);
}

#[tokio::test]
async fn a_429_with_only_highlevels_interval_waits_for_the_burst_window() {
    let server = server_answering(
        too_many_requests()
            .insert_header("x-ratelimit-interval-milliseconds", "250")
            .insert_header("x-ratelimit-remaining", "0"),
        2,
        created(),
    )
    .await;
    let client = client_for(&server.uri())
        .with_retry_policy(quick_retries(3).with_max_delay(Duration::from_secs(1)));
    let (result, elapsed) = timed(client.create_contact(&contact())).await;
    result.unwrap_or_else(|e| panic!("the third attempt succeeds: {e}"));
    assert!(
        elapsed >= Duration::from_millis(500),
        "two burst windows of 250 ms were waited, but only {elapsed:?} passed"
    );
    assert_eq!(requests_seen(&server).await, 3);
}

#[tokio::test]
async fn a_429_is_returned_when_the_wait_is_longer_than_the_policy_allows() {
    let server = server_answering(
        too_many_requests().insert_header("retry-after", "3600"),
        1,
        created(),
    )
    .await;
    let client = client_for(&server.uri()).with_retry_policy(quick_retries(5));
    let (result, elapsed) = timed(client.create_contact(&contact())).await;
    let error = result.expect_err("an hour is longer than max_delay");
    assert_eq!(
        error.rate_limit().and_then(|r| r.retry_after),
        Some(Duration::from_secs(3600))
    );
    assert!(matches!(error, Error::RateLimited { .. }), "got {error:?}");
    assert!(
        elapsed < Duration::from_secs(2),
        "did not wait: {elapsed:?}"
    );
    assert_eq!(requests_seen(&server).await, 1);

    // The daily allowance is used up and nothing says when it comes back: no retry either.
    let server = server_answering(
        too_many_requests()
            .insert_header("x-ratelimit-daily-remaining", "0")
            .insert_header("x-ratelimit-interval-milliseconds", "10"),
        1,
        created(),
    )
    .await;
    let client = client_for(&server.uri()).with_retry_policy(quick_retries(5));
    let error = create(&client).await.expect_err("the day is over");
    assert_eq!(error.rate_limit().and_then(|r| r.daily_remaining), Some(0));
    assert_eq!(requests_seen(&server).await, 1);
}

#[tokio::test]
async fn a_429_with_garbage_headers_does_not_panic() {
    let server = server_answering(
        too_many_requests()
            .insert_header("retry-after", "soon, maybe")
            .insert_header("x-ratelimit-limit-daily", "-1")
            .insert_header("x-ratelimit-daily-remaining", "1e9")
            .insert_header(
                "x-ratelimit-interval-milliseconds",
                "99999999999999999999999999",
            )
            .insert_header("x-ratelimit-max", "")
            .insert_header("x-ratelimit-remaining", "0x10"),
        2,
        created(),
    )
    .await;
    let error = create(&client_for(&server.uri()))
        .await
        .expect_err("429 without a policy");
    assert_error_hides_token(&error);
    assert_eq!(
        error.rate_limit(),
        Some(RateLimit::default()),
        "nothing readable, nothing made up"
    );
    assert!(error.to_string().contains("429"));

    // With a policy the client falls back to its own backoff.
    let client = client_for(&server.uri()).with_retry_policy(quick_retries(3));
    let response = create(&client).await.expect("the second attempt succeeds");
    assert!(response.contact.is_some());
    assert_eq!(requests_seen(&server).await, 3);
}

#[tokio::test]
async fn a_429_with_bytes_that_are_not_text_does_not_panic() {
    let (base, _) = raw_server(1, |stream, _request| async move {
        let headers = "retry-after: \u{e9}t\u{e9}\r\nx-ratelimit-remaining: \u{2167}\r\n";
        respond(stream, "429 Too Many Requests", headers, b"\xff\xfe").await;
    })
    .await;
    let error = create(&client_for(&base)).await.expect_err("429");
    assert_error_hides_token(&error);
    assert_eq!(error.rate_limit(), Some(RateLimit::default()));
    assert_eq!(error.raw_body(), Some(b"\xff\xfe".as_slice()));
}

#[test]
fn rate_limit_headers_are_read_strictly_and_never_panic() {
    let read = |pairs: &[(&str, &[u8])]| {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(
                HeaderName::from_bytes(name.as_bytes()).expect("a header name"),
                HeaderValue::from_bytes(value).expect("a legal header value"),
            );
        }
        RateLimit::from_headers(&headers)
    };
    assert_eq!(read(&[]), RateLimit::default());
    assert_eq!(read(&[]).delay(), None);
    for garbage in [
        &b""[..],
        b" ",
        b"-3",
        b"+3",
        b"3.5",
        b"1e3",
        b"0x1f",
        b"three",
        b"18446744073709551616",
        b"\xff\xfe",
        b"\xe2\x85\xa7",
    ] {
        let rate_limit = read(&[
            ("x-ratelimit-max", garbage),
            ("x-ratelimit-remaining", garbage),
            ("x-ratelimit-interval-milliseconds", garbage),
            ("x-ratelimit-limit-daily", garbage),
            ("x-ratelimit-daily-remaining", garbage),
            ("retry-after", garbage),
        ]);
        assert_eq!(rate_limit, RateLimit::default(), "{garbage:?}");
    }
    let rate_limit = read(&[
        ("X-RateLimit-Max", b" 100 "),
        ("x-ratelimit-remaining", b"0"),
        ("x-ratelimit-remaining", b"55"),
        ("x-ratelimit-interval-milliseconds", b"10000"),
        ("retry-after", b"18446744073709551615"),
    ]);
    assert_eq!(
        rate_limit.burst_limit,
        Some(100),
        "names in any case, spaces trimmed"
    );
    assert_eq!(
        rate_limit.burst_remaining,
        Some(0),
        "the first of repeated headers"
    );
    assert_eq!(rate_limit.retry_after, Some(Duration::from_secs(u64::MAX)));
    assert_eq!(rate_limit.delay(), Some(Duration::from_secs(u64::MAX)));
    let burst_used_up = read(&[
        ("x-ratelimit-remaining", b"0"),
        ("x-ratelimit-interval-milliseconds", b"10000"),
    ]);
    assert_eq!(burst_used_up.delay(), Some(Duration::from_secs(10)));
    let day_used_up = read(&[
        ("x-ratelimit-daily-remaining", b"0"),
        ("x-ratelimit-interval-milliseconds", b"10000"),
    ]);
    assert_eq!(
        day_used_up.delay(),
        None,
        "no header says when the day ends"
    );
}

#[test]
fn retry_after_dates_are_read_in_all_three_http_forms() {
    // 1994-11-06 08:49:37 UTC, the example of RFC 9110.
    let date = UNIX_EPOCH + Duration::from_secs(784_111_777);
    let retry_after = |value: &str, received: SystemTime| {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", HeaderValue::from_str(value).expect("ASCII"));
        RateLimit::from_headers_at(&headers, received).retry_after
    };
    let ten_seconds_before = date - Duration::from_secs(10);
    for form in [
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
    ] {
        assert_eq!(
            retry_after(form, ten_seconds_before),
            Some(Duration::from_secs(10)),
            "{form}"
        );
        assert_eq!(
            retry_after(form, date + Duration::from_secs(60)),
            Some(Duration::ZERO),
            "a date that has passed means now: {form}"
        );
    }
    assert_eq!(
        retry_after("Thu, 01 Jan 1970 00:00:00 GMT", UNIX_EPOCH),
        Some(Duration::ZERO)
    );
    assert_eq!(
        retry_after("Tue, 29 Feb 2028 12:00:00 GMT", UNIX_EPOCH),
        Some(Duration::from_secs(1_835_438_400))
    );
    for garbage in [
        "Sun, 06 Nov 1994 08:49:37",
        "Sun, 06 Nov 1994 08:49 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 32 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nox 1994 08:49:37 GMT",
        "Sun, 06 Nov 1969 08:49:37 GMT",
        "Sun, 06 Nov 99999 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37:00 GMT",
        "Sun, 00 Nov 1994 08:49:37 GMT",
        "Sun,,,",
        "Sun",
        "tomorrow",
        "",
    ] {
        assert_eq!(retry_after(garbage, date), None, "{garbage:?}");
    }
}

#[test]
fn a_429_decodes_as_rate_limited_without_a_network() {
    let mut headers = HeaderMap::new();
    headers.insert("retry-after", HeaderValue::from_static("2"));
    headers.insert("x-request-id", HeaderValue::from_static("r-429"));
    let error = decode_create_contact(StatusCode::TOO_MANY_REQUESTS, headers, b"slow down")
        .expect_err("429 is an error");
    match &error {
        Error::RateLimited {
            response,
            rate_limit,
        } => {
            assert_eq!(response.headers.get("x-request-id").unwrap(), "r-429");
            assert_eq!(response.body, b"slow down");
            assert_eq!(rate_limit.retry_after, Some(Duration::from_secs(2)));
        }
        other => panic!("expected Error::RateLimited, got {other:?}"),
    }
    assert_eq!(error.raw_body(), Some(b"slow down".as_slice()));
}

// ---------------------------------------------------------------------------------------
// Rate limits on success
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn rate_limit_headers_are_readable_on_a_201() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            created()
                .insert_header("x-ratelimit-limit-daily", "200000")
                .insert_header("x-ratelimit-daily-remaining", "199998")
                .insert_header("x-ratelimit-interval-milliseconds", "10000")
                .insert_header("x-ratelimit-max", "100")
                .insert_header("x-ratelimit-remaining", "99")
                .insert_header("x-request-id", "r-201"),
        )
        .expect(2)
        .mount(&server)
        .await;
    let client = client_for(&server.uri());
    let request = client.create_contact_request(&contact()).expect("builds");
    let (result, _) = timed(client.execute(request, decode_create_contact)).await;
    let response: SuccessResponse<CreateContactResponse> =
        result.unwrap_or_else(|e| panic!("201: {e}"));
    assert_eq!(response.status, StatusCode::CREATED);
    assert_eq!(response.attempts, 1);
    assert_eq!(response.headers.get("x-request-id").unwrap(), "r-201");
    assert_eq!(
        figures(&response.rate_limit),
        (
            Some(100),
            Some(99),
            Some(Duration::from_secs(10)),
            Some(200_000),
            Some(199_998),
            None
        )
    );
    assert_eq!(response.rate_limit.delay(), None, "nothing says to wait");
    assert_no_token("the response's Debug", &format!("{response:?}"));
    let body = response.into_body();
    assert_eq!(serde_json::to_value(&body).unwrap(), created_body());

    // The plain method returns the same body.
    let plain = create(&client).await.expect("201");
    assert_eq!(plain, body);
    server.verify().await;
}

// ---------------------------------------------------------------------------------------
// What the API documents wins
// ---------------------------------------------------------------------------------------

#[test]
fn a_documented_429_keeps_its_documented_type() {
    let spec = r#"
openapi: 3.0.3
info: {title: Limits, version: '1'}
servers: [{url: 'https://api.example.com'}]
paths:
  /documented:
    get:
      operationId: documented
      responses:
        '200': {description: ok}
        '429':
          description: Slow down.
          content:
            application/json:
              schema: {type: object, properties: {wait: {type: integer}}}
  /ranged:
    get:
      operationId: ranged
      responses:
        '200': {description: ok}
        '4XX': {description: Any client error.}
  /undocumented:
    get:
      operationId: undocumented
      responses:
        '200': {description: ok}
        default: {description: Anything else.}
"#;
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("limits.yaml");
    std::fs::write(&path, spec).expect("write spec");
    let files = generator::generate(&path, &codegen_tests::fixture_settings(&path))
        .unwrap_or_else(|e| panic!("the spec generates:\n{e}"));
    let client = files
        .iter()
        .find(|file| file.path == "src/client.rs")
        .expect("a client");
    let decoder = |name: &str| {
        let start = client
            .contents
            .find(&format!("pub fn decode_{name}("))
            .unwrap_or_else(|| panic!("decode_{name} is emitted"));
        let end = client.contents[start..]
            .find("\n}\n")
            .expect("the function ends");
        client.contents[start..start + end].to_string()
    };
    let documented = decoder("documented");
    assert!(
        documented.contains("429 =>") && !documented.contains("rate_limited("),
        "a documented 429 decodes as documented:\n{documented}"
    );
    let ranged = decoder("ranged");
    assert!(
        !ranged.contains("rate_limited("),
        "4XX documents 429 too:\n{ranged}"
    );
    let undocumented = decoder("undocumented");
    assert!(
        undocumented.contains("429 => answer.rate_limited()"),
        "`default` does not document a 429:\n{undocumented}"
    );
}

// ---------------------------------------------------------------------------------------
// The token never shows
// ---------------------------------------------------------------------------------------

#[test]
fn the_token_never_shows_in_the_new_types() {
    let client = Client::new(TOKEN)
        .expect("reqwest sets up its TLS backend")
        .with_timeout(Duration::from_millis(1234))
        .with_retry_policy(RetryPolicy::new(4).with_retry_unsafe_methods(true));
    for text in [format!("{client:?}"), format!("{client:#?}")] {
        assert_no_token("Client's Debug", &text);
        assert!(text.contains("1.234s"), "Debug shows the timeout: {text}");
        assert!(
            text.contains("max_attempts: 4"),
            "Debug shows the policy: {text}"
        );
    }
    assert_no_token("RetryPolicy's Debug", &format!("{:?}", RetryPolicy::new(9)));
    assert_no_token("RateLimit's Debug", &format!("{:?}", RateLimit::default()));

    let error = client
        .clone()
        .with_base_url("mailto:api@example.com".parse().unwrap())
        .create_contact_request(&contact())
        .expect_err("a base URL that cannot have a path");
    assert_error_hides_token(&error);
    assert_eq!(
        error.request_state(),
        RequestState::NotSent,
        "a request that was never built was never sent"
    );
    assert!(!error.may_have_been_sent());
}
