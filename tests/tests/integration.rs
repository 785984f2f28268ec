//! What an integration needs beyond one call, against loopback servers: per-call options
//! and idempotency keys on the wire, the metadata of a success, tokens from a provider
//! (renewed once on a 401), the refreshing OAuth provider (one renewal however many calls
//! wait, saved before use), and traces that record no secret.

use std::io::Write;
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use codegen_tests::{assert_no_token, TOKEN};
use highlevel_contacts::{
    Client, CreateContactRequest, CredentialError, Credentials, Error, RefreshingToken,
    RequestOptions, RequestState, RetryPolicy, Secret, TokenFuture, TokenProvider, TokenSet,
};
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::StatusCode;
use serde_json::json;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const REFRESH_TOKEN: &str = "refresh-1-SECRET-r1";
const NEW_REFRESH_TOKEN: &str = "refresh-2-SECRET-r2";
const NEW_ACCESS_TOKEN: &str = "access-2-SECRET-a2";
const CLIENT_SECRET: &str = "client-SECRET-cs";

fn body() -> CreateContactRequest {
    CreateContactRequest::new("ve9EPM428h8vShlRW1KT").first_name("Rosan")
}

fn created() -> ResponseTemplate {
    ResponseTemplate::new(201).set_body_json(json!({"contact": {"id": "c1"}}))
}

fn client_with(credentials: Credentials, server: &MockServer) -> Client {
    let http = Client::http_client_builder()
        .build()
        .expect("reqwest client");
    Client::with_http_client(credentials, http)
        .expect("client")
        .with_base_url(server.uri().parse().expect("URL"))
}

async fn requests_to(server: &MockServer, wanted: &str) -> Vec<Request> {
    let requests = server.received_requests().await.expect("recording is on");
    requests
        .into_iter()
        .filter(|request| request.url.path() == wanted)
        .collect()
}

fn bearer_of(request: &Request) -> String {
    request
        .headers
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
        .to_string()
}

// ---------------------------------------------------------------------------------------
// Options and metadata
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn options_of_one_call_reach_the_wire_and_leave_the_client_as_it_was() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(created())
        .mount(&server)
        .await;
    let client = client_with(Credentials::new().bearer(TOKEN), &server);
    let options = RequestOptions::new()
        .header(
            HeaderName::from_static("x-request-source"),
            HeaderValue::from_static("nightly-sync"),
        )
        .idempotency_key("contact-import-42")
        .timeout(Duration::from_secs(5));
    client
        .with_request_options(options)
        .create_contact(&body())
        .await
        .expect("created");
    client.create_contact(&body()).await.expect("created");
    let requests = requests_to(&server, "/contacts/").await;
    assert_eq!(requests.len(), 2);
    let first = &requests[0].headers;
    assert_eq!(first.get("x-request-source").unwrap(), "nightly-sync");
    assert_eq!(first.get("idempotency-key").unwrap(), "contact-import-42");
    assert_eq!(first.get("version").unwrap(), "2021-07-28");
    let second = &requests[1].headers;
    assert!(second.get("x-request-source").is_none() && second.get("idempotency-key").is_none());
}

#[tokio::test]
async fn a_timeout_of_one_call_applies_to_that_call() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(created().set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let client = client_with(Credentials::new().bearer(TOKEN), &server);
    let error = client
        .with_request_options(RequestOptions::new().timeout(Duration::from_millis(200)))
        .create_contact(&body())
        .await
        .expect_err("times out");
    assert!(
        matches!(&error, Error::Transport { source, .. } if source.is_timeout()),
        "{error:?}"
    );
}

#[tokio::test]
async fn with_response_returns_status_headers_rate_limit_and_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            created()
                .insert_header("x-ratelimit-remaining", "97")
                .insert_header("x-request-id", "req-1"),
        )
        .mount(&server)
        .await;
    let client = client_with(Credentials::new().bearer(TOKEN), &server);
    let response = client
        .create_contact_with_response(&body())
        .await
        .expect("created");
    assert_eq!(response.status, StatusCode::CREATED);
    assert_eq!(response.headers.get("x-request-id").unwrap(), "req-1");
    assert_eq!(response.rate_limit.burst_remaining, Some(97));
    assert_eq!(response.attempts, 1);
    assert_eq!(
        response
            .body
            .contact
            .and_then(|contact| contact.id)
            .as_deref(),
        Some("c1")
    );
}

/// A server that reads each request and, for the first `drops` connections, closes
/// without answering (the request may have been acted on); then answers 201. Records
/// every request's head.
fn dropping_server(drops: usize) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let address = listener.local_addr().expect("address");
    let heads = Arc::new(Mutex::new(Vec::new()));
    let seen = heads.clone();
    std::thread::spawn(move || {
        for (index, stream) in listener.incoming().enumerate() {
            let Ok(mut stream) = stream else { continue };
            let request = codegen_tests::read_request(&mut stream);
            seen.lock()
                .unwrap()
                .push(String::from_utf8_lossy(&request).to_ascii_lowercase());
            if index >= drops {
                let body = r#"{"contact":{"id":"c1"}}"#;
                let _ = write!(
                    stream,
                    "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        }
    });
    (format!("http://{address}"), heads)
}

/// A client for `base` that may send a request three times.
fn retrying_client(base: &str) -> Client {
    let http = Client::http_client_builder()
        .build()
        .expect("reqwest client");
    Client::with_http_client(TOKEN, http)
        .expect("client")
        .with_base_url(base.parse().expect("URL"))
        .with_retry_policy(RetryPolicy::new(3).with_base_delay(Duration::from_millis(10)))
}

#[tokio::test]
async fn a_post_with_an_idempotency_key_is_sent_again_with_the_same_key() {
    let (base, heads) = dropping_server(1);
    let client = retrying_client(&base);
    client
        .with_request_options(RequestOptions::new().idempotency_key("order-77"))
        .create_contact(&body())
        .await
        .expect("the second attempt is answered");
    let heads = heads.lock().unwrap().clone();
    assert_eq!(heads.len(), 2, "{heads:?}");
    for head in &heads {
        assert!(head.contains("idempotency-key: order-77"), "{head}");
    }
}

#[tokio::test]
async fn a_post_without_a_key_that_may_have_been_sent_is_not_sent_again() {
    let (base, heads) = dropping_server(1);
    let client = retrying_client(&base);
    let error = client.create_contact(&body()).await.expect_err("dropped");
    assert_ne!(error.request_state(), RequestState::NotSent, "{error:?}");
    assert_eq!(heads.lock().unwrap().len(), 1);
}

// ---------------------------------------------------------------------------------------
// Token providers
// ---------------------------------------------------------------------------------------

/// Hands out `old` until told it was rejected, then `new`.
#[derive(Debug, Default)]
struct Rotating {
    rejected: AtomicUsize,
    asked: AtomicUsize,
}

impl TokenProvider for Rotating {
    fn token(&self) -> TokenFuture<'_, Secret> {
        self.asked.fetch_add(1, Ordering::SeqCst);
        let token = if self.rejected.load(Ordering::SeqCst) == 0 {
            "old-token"
        } else {
            "new-token"
        };
        Box::pin(async move { Ok(Secret::from(token)) })
    }

    fn rejected(&self, rejected: &Secret) -> TokenFuture<'_, ()> {
        assert_eq!(rejected.expose_secret(), "old-token");
        self.rejected.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Ok(()) })
    }
}

#[tokio::test]
async fn a_401_makes_the_client_renew_the_token_once_and_send_again() {
    let server = MockServer::start().await;
    Mock::given(header("authorization", "Bearer new-token"))
        .respond_with(created())
        .mount(&server)
        .await;
    Mock::given(header("authorization", "Bearer old-token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"message": "expired"})))
        .mount(&server)
        .await;
    let provider = Arc::new(Rotating::default());
    let client = client_with(
        Credentials::new().bearer_provider(Shared(provider.clone())),
        &server,
    );
    let response = client
        .create_contact_with_response(&body())
        .await
        .expect("created after renewal");
    assert_eq!(response.attempts, 2);
    assert_eq!(provider.rejected.load(Ordering::SeqCst), 1);
    let requests = requests_to(&server, "/contacts/").await;
    let tokens: Vec<String> = requests.iter().map(bearer_of).collect();
    assert_eq!(tokens, ["Bearer old-token", "Bearer new-token"]);
}

#[tokio::test]
async fn a_second_401_is_returned_after_one_resend() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"message": "no"})))
        .mount(&server)
        .await;
    let provider = Arc::new(Rotating::default());
    let client = client_with(
        Credentials::new().bearer_provider(Shared(provider.clone())),
        &server,
    );
    let error = client.create_contact(&body()).await.expect_err("401");
    assert_eq!(error.status(), Some(StatusCode::UNAUTHORIZED));
    assert_eq!(requests_to(&server, "/contacts/").await.len(), 2);
    assert_eq!(provider.rejected.load(Ordering::SeqCst), 1);
}

/// A provider shared with the test, which reads its counters.
#[derive(Debug)]
struct Shared<P>(Arc<P>);

impl<P: TokenProvider> TokenProvider for Shared<P> {
    fn token(&self) -> TokenFuture<'_, Secret> {
        self.0.token()
    }

    fn rejected(&self, rejected: &Secret) -> TokenFuture<'_, ()> {
        self.0.rejected(rejected)
    }
}

#[derive(Debug)]
struct Failing;

impl TokenProvider for Failing {
    fn token(&self) -> TokenFuture<'_, Secret> {
        Box::pin(async { Err(CredentialError::new("the vault is sealed")) })
    }
}

#[tokio::test]
async fn a_provider_that_fails_stops_the_call_before_anything_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(created())
        .mount(&server)
        .await;
    let client = client_with(Credentials::new().bearer_provider(Failing), &server);
    let error = client.create_contact(&body()).await.expect_err("no token");
    assert!(matches!(error, Error::Credentials(_)), "{error:?}");
    assert_eq!(error.request_state(), RequestState::NotSent);
    assert!(error.to_string().contains("the vault is sealed"), "{error}");
    assert!(requests_to(&server, "/contacts/").await.is_empty());
}

// ---------------------------------------------------------------------------------------
// The refreshing OAuth provider
// ---------------------------------------------------------------------------------------

/// Mounts HighLevel's token endpoint, answering a renewal with new tokens after `delay`.
async fn token_endpoint(server: &MockServer, delay: Duration) {
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(body_string_contains("grant_type=refresh_token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_delay(delay)
                .set_body_json(json!({
                    "access_token": NEW_ACCESS_TOKEN,
                    "token_type": "Bearer",
                    "expires_in": 86399,
                    "refresh_token": NEW_REFRESH_TOKEN,
                    "scope": "contacts.write",
                    "userType": "Location",
                    "locationId": "ve9EPM428h8vShlRW1KT"
                })),
        )
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path("/contacts/"))
        .and(header(
            "authorization",
            format!("Bearer {NEW_ACCESS_TOKEN}").as_str(),
        ))
        .respond_with(created())
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path("/contacts/"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"message": "expired"})))
        .mount(server)
        .await;
}

fn refreshing(
    server: &MockServer,
    save: impl Fn(TokenSet) -> Result<(), String> + Send + Sync + 'static,
) -> RefreshingToken {
    let endpoint = format!("{}/oauth/token", server.uri())
        .parse()
        .expect("URL");
    let http = Client::http_client_builder()
        .build()
        .expect("reqwest client");
    let save = Arc::new(save);
    RefreshingToken::builder(endpoint, "app-client-id", CLIENT_SECRET, REFRESH_TOKEN)
        // Expired a minute ago.
        .access_token(TOKEN, Some(SystemTime::now() - Duration::from_secs(60)))
        .param("user_type", "Location")
        .build(http, move |set| {
            let save = save.clone();
            async move { save(set) }
        })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_calls_with_an_expired_token_cause_one_renewal_saved_before_use() {
    let server = Arc::new(MockServer::start().await);
    token_endpoint(&server, Duration::from_millis(100)).await;
    let saved: Arc<Mutex<Vec<String>>> = Arc::default();
    let (saved_by_callback, watched) = (saved.clone(), server.clone());
    let endpoint = format!("{}/oauth/token", server.uri())
        .parse()
        .expect("URL");
    let http = Client::http_client_builder()
        .build()
        .expect("reqwest client");
    let provider =
        RefreshingToken::builder(endpoint, "app-client-id", CLIENT_SECRET, REFRESH_TOKEN)
            .access_token(TOKEN, Some(SystemTime::now() - Duration::from_secs(60)))
            .param("user_type", "Location")
            .build(http, move |set: TokenSet| {
                let (saved, watched) = (saved_by_callback.clone(), watched.clone());
                async move {
                    // Nothing may have used the new access token before it is saved.
                    let used = requests_to(&watched, "/contacts/")
                        .await
                        .iter()
                        .filter(|request| bearer_of(request).contains(NEW_ACCESS_TOKEN))
                        .count();
                    if used > 0 {
                        return Err(format!(
                            "{used} requests used the new token before it was saved"
                        ));
                    }
                    let refresh = set.refresh_token.as_ref().ok_or("no new refresh token")?;
                    saved
                        .lock()
                        .unwrap()
                        .push(refresh.expose_secret().to_string());
                    Ok(())
                }
            });
    let client = client_with(
        Credentials::new().bearer_provider(provider.clone()),
        &server,
    );
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let client = client.clone();
        calls.spawn(async move { client.create_contact(&body()).await.map(|_| ()) });
    }
    while let Some(outcome) = calls.join_next().await {
        outcome.expect("the task ran").expect("each call succeeds");
    }
    let renewals = requests_to(&server, "/oauth/token").await;
    assert_eq!(renewals.len(), 1, "exactly one renewal");
    assert_eq!(saved.lock().unwrap().as_slice(), [NEW_REFRESH_TOKEN]);
    let form = String::from_utf8(renewals[0].body.clone()).expect("a form");
    for pair in [
        "grant_type=refresh_token",
        &format!("refresh_token={REFRESH_TOKEN}"),
        "client_id=app-client-id",
        &format!("client_secret={CLIENT_SECRET}"),
        "user_type=Location",
    ] {
        assert!(form.contains(pair), "{pair} in {form}");
    }
    let calls = requests_to(&server, "/contacts/").await;
    assert_eq!(calls.len(), 50, "no call was sent with the expired token");
    assert!(calls
        .iter()
        .all(|request| bearer_of(request) == format!("Bearer {NEW_ACCESS_TOKEN}")));
    let shown = format!("{provider:?} {client:?}");
    for secret in [
        TOKEN,
        NEW_ACCESS_TOKEN,
        REFRESH_TOKEN,
        NEW_REFRESH_TOKEN,
        CLIENT_SECRET,
    ] {
        assert!(!shown.contains(secret), "{shown}");
    }
}

#[tokio::test]
async fn a_failing_save_is_an_error_and_the_new_token_is_not_used_until_saved() {
    let server = MockServer::start().await;
    token_endpoint(&server, Duration::ZERO).await;
    let attempts = Arc::new(AtomicUsize::new(0));
    let counted = attempts.clone();
    let provider = refreshing(&server, move |_| {
        if counted.fetch_add(1, Ordering::SeqCst) == 0 {
            Err("the database is down".to_string())
        } else {
            Ok(())
        }
    });
    let client = client_with(Credentials::new().bearer_provider(provider), &server);
    let error = client.create_contact(&body()).await.expect_err("not saved");
    assert!(matches!(error, Error::Credentials(_)), "{error:?}");
    assert_eq!(error.request_state(), RequestState::NotSent);
    let source = std::error::Error::source(&error)
        .and_then(std::error::Error::source)
        .map(ToString::to_string);
    assert_eq!(source.as_deref(), Some("the database is down"));
    assert!(requests_to(&server, "/contacts/").await.is_empty());
    // The next call saves the same tokens again instead of renewing with the old refresh
    // token, which the server no longer accepts.
    client
        .create_contact(&body())
        .await
        .expect("saved, then sent");
    assert_eq!(requests_to(&server, "/oauth/token").await.len(), 1);
    assert_eq!(attempts.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_refused_renewal_says_why_without_a_secret() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "error": "invalid_grant",
            "error_description": "refresh token revoked"
        })))
        .mount(&server)
        .await;
    let provider = refreshing(&server, |_| Ok(()));
    let client = client_with(Credentials::new().bearer_provider(provider), &server);
    let error = client.create_contact(&body()).await.expect_err("refused");
    let shown = format!("{error} {error:?}");
    assert!(
        shown.contains("invalid_grant") && shown.contains("revoked"),
        "{shown}"
    );
    for secret in [REFRESH_TOKEN, CLIENT_SECRET, TOKEN] {
        assert!(!shown.contains(secret), "{shown}");
    }
}

#[tokio::test]
async fn a_401_with_a_fresh_token_renews_it_once() {
    let server = MockServer::start().await;
    token_endpoint(&server, Duration::ZERO).await;
    let endpoint = format!("{}/oauth/token", server.uri())
        .parse()
        .expect("URL");
    let http = Client::http_client_builder()
        .build()
        .expect("reqwest client");
    // The app believes its token lasts another hour; the server revoked it.
    let provider = RefreshingToken::builder(endpoint, "id", CLIENT_SECRET, REFRESH_TOKEN)
        .access_token(TOKEN, Some(SystemTime::now() + Duration::from_secs(3600)))
        .build(http, |_| async { Ok::<(), String>(()) });
    let client = client_with(Credentials::new().bearer_provider(provider), &server);
    let response = client
        .create_contact_with_response(&body())
        .await
        .expect("renewed");
    assert_eq!(response.attempts, 2);
    let calls = requests_to(&server, "/contacts/").await;
    assert_eq!(bearer_of(&calls[0]), format!("Bearer {TOKEN}"));
    assert_eq!(bearer_of(&calls[1]), format!("Bearer {NEW_ACCESS_TOKEN}"));
    assert_eq!(requests_to(&server, "/oauth/token").await.len(), 1);
}

// ---------------------------------------------------------------------------------------
// Traces
// ---------------------------------------------------------------------------------------

/// Everything a `tracing` subscriber wrote, shared with the test.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn traces_name_the_operation_status_and_attempts_and_no_secret() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(created())
        .mount(&server)
        .await;
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_writer(move || writer.clone())
        .finish();
    // Global, not `set_default`: a callsite another test's thread reaches first, while this
    // thread's default is not yet set, can stay disabled for every thread. Other tests'
    // events land here too, which only widens the search for secrets below.
    tracing::subscriber::set_global_default(subscriber)
        .expect("this test sets the binary's only global subscriber");
    let client = client_with(Credentials::new().bearer(TOKEN), &server).with_request_options(
        RequestOptions::new()
            .header(
                HeaderName::from_static("x-api-secret"),
                HeaderValue::from_static("hdr-SECRET-h1"),
            )
            .idempotency_key("idem-SECRET-k1"),
    );
    client.create_contact(&body()).await.expect("created");
    let text = String::from_utf8(captured.0.lock().unwrap().clone()).expect("UTF-8");
    for wanted in [
        "operation=\"create_contact\"",
        "method=POST",
        "path=\"/contacts/\"",
        "status=201",
        "attempts=1",
        "answered",
    ] {
        assert!(text.contains(wanted), "{wanted} in:\n{text}");
    }
    assert_no_token("traces", &text);
    for secret in [
        "hdr-SECRET-h1",
        "idem-SECRET-k1",
        "Rosan",
        "ve9EPM428h8vShlRW1KT",
    ] {
        assert!(!text.contains(secret), "{secret} in:\n{text}");
    }
}

// ---------------------------------------------------------------------------------------
// Pages of `GET /contacts/`
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn the_contacts_list_is_a_stream_of_every_page_by_id_and_date() {
    use futures_util::StreamExt;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/contacts/"))
        .and(wiremock::matchers::query_param("startAfterId", "c2"))
        .and(wiremock::matchers::query_param(
            "startAfter",
            "1700000000002",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "contacts": [{"id": "c3"}],
            "meta": {"startAfterId": null, "startAfter": null, "total": 3}
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/contacts/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "contacts": [{"id": "c1"}, {"id": "c2"}],
            "meta": {"startAfterId": "c2", "startAfter": 1700000000002u64, "total": 3}
        })))
        .mount(&server)
        .await;
    let client = client_with(Credentials::new().bearer(TOKEN), &server);
    let params = highlevel_contacts::GetContactsParams::new("ve9EPM428h8vShlRW1KT").limit(2);
    let ids: Vec<String> = client
        .get_contacts_items(&params)
        .map(|contact| contact.expect("a contact").id.unwrap_or_default())
        .collect()
        .await;
    assert_eq!(ids, ["c1", "c2", "c3"]);
    let sent = requests_to(&server, "/contacts/").await;
    assert_eq!(sent.len(), 2);
    for request in &sent {
        assert_eq!(request.headers.get("version").unwrap(), "2021-07-28");
        assert_eq!(bearer_of(request), format!("Bearer {TOKEN}"));
    }
}
