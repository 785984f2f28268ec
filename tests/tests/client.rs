//! Behaviour of the generated client against real HTTP on loopback: a wiremock server for
//! answers that follow HTTP, raw sockets for connections that break, and the request
//! builder and response decoder on their own, without a network.

use std::error::Error as _;
use std::io::Write;
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use codegen_tests::{assert_error_hides_token, assert_no_token, read_request, TOKEN};
use highlevel_contacts::{
    decode_create_contact, BadRequest, Client, CreateContactError, CreateContactRequest,
    CreateContactResponse, CustomFieldInput, DndSetting, DndSettings, Error, RequestState,
    Unauthorized, UnprocessableEntity, DEFAULT_BASE_URL,
};
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

fn spec() -> Value {
    let spec = generator::load::load(&codegen_tests::main_spec())
        .unwrap_or_else(|e| panic!("spec/create-contact.yaml does not load:\n{e}"));
    spec.bundled
}

fn example(pointer: &str) -> Value {
    spec()
        .pointer(pointer)
        .unwrap_or_else(|| panic!("the spec has nothing at {pointer}"))
        .clone()
}

fn created_example() -> Value {
    example("/paths/~1contacts~1/post/responses/201/content/application~1json/example")
}

fn bad_request_example() -> Value {
    example("/components/responses/BadRequest/content/application~1json/example")
}

fn unauthorized_example() -> Value {
    example("/components/responses/Unauthorized/content/application~1json/example")
}

fn unprocessable_example() -> Value {
    example("/components/responses/UnprocessableEntity/content/application~1json/example")
}

/// The spec's request example, decoded.
fn example_request() -> CreateContactRequest {
    serde_json::from_value(example(
        "/components/requestBodies/CreateContact/content/application~1json/example",
    ))
    .expect("the request example decodes")
}

/// A small request built with the builder, exercising a null, an open enum and a union.
fn small_request() -> CreateContactRequest {
    CreateContactRequest::new("ve9EPM428h8vShlRW1KT")
        .first_name("Rosan")
        .last_name_null()
        .dnd_settings(DndSettings::default().sms(DndSetting::new("paused")))
        .custom_fields(vec![
            CustomFieldInput::new("cf1").field_value(vec!["a".to_string(), "b".to_string()])
        ])
}

/// `Client::new`, which only fails when reqwest cannot set up TLS.
fn new_client(token: &str) -> Client {
    Client::new(token).expect("reqwest sets up its TLS backend")
}

fn client_for(server: &MockServer) -> Client {
    new_client(TOKEN).with_base_url(
        server
            .uri()
            .parse()
            .expect("the mock server's URI is a URL"),
    )
}

/// A client whose requests give up after a few seconds, for servers that misbehave.
fn impatient_client(base: &str) -> Client {
    let http = Client::http_client_builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("reqwest client");
    Client::with_http_client(TOKEN, http)
        .expect("client")
        .with_base_url(base.parse().expect("base URL"))
}

/// Mounts one answer for any request, and returns the server.
async fn server_answering(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

#[track_caller]
fn single_header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    let values: Vec<_> = headers.get_all(name).iter().collect();
    assert_eq!(
        values.len(),
        1,
        "expected exactly one `{name}` header, got {values:?}"
    );
    values[0].to_str().expect("a visible ASCII header value")
}

async fn received_exactly_one(server: &MockServer) -> wiremock::Request {
    let mut requests = server
        .received_requests()
        .await
        .expect("request recording is on");
    assert_eq!(
        requests.len(),
        1,
        "exactly one request per call (no automatic retry), got {}",
        requests.len()
    );
    requests.remove(0)
}

/// Unwraps `Error::Api`, checking the status.
#[track_caller]
fn api_error(
    result: Result<CreateContactResponse, Error<CreateContactError>>,
    status: u16,
) -> CreateContactError {
    let error = result.expect_err("a documented error status is an error");
    assert_error_hides_token(&error);
    assert_eq!(error.status(), Some(StatusCode::from_u16(status).unwrap()));
    match error {
        Error::Api(response) => {
            assert_eq!(response.status.as_u16(), status);
            response.body
        }
        other => panic!("expected Error::Api for status {status}, got {other:?}"),
    }
}

/// Unwraps `Error::Decode`, checking the status, the kept body and the serde source.
#[track_caller]
fn decode_error(
    result: Result<CreateContactResponse, Error<CreateContactError>>,
    status: u16,
    body: &[u8],
) {
    let error = result.expect_err("a body that does not match its type is an error");
    assert_error_hides_token(&error);
    assert_eq!(error.status(), Some(StatusCode::from_u16(status).unwrap()));
    assert_eq!(error.raw_body(), Some(body), "the raw body is kept");
    let source = error.source().expect("a decode error has a source");
    let json = source
        .downcast_ref::<highlevel_contacts::DecodeError>()
        .and_then(std::error::Error::source)
        .and_then(|inner| inner.downcast_ref::<serde_json::Error>());
    assert!(
        json.is_some(),
        "the source is the serde error, got {source:?}"
    );
    match &error {
        Error::Decode { response, source } => {
            assert_eq!(response.status.as_u16(), status);
            assert_eq!(response.body, body);
            assert!(
                error.to_string().contains(&source.to_string()),
                "Display names the serde error: {error}"
            );
        }
        other => panic!("expected Error::Decode for status {status}, got {other:?}"),
    }
}

/// A one-shot raw HTTP server on loopback that reads one whole request, lets `answer`
/// write whatever it likes, then closes the connection. Counts the connections it accepts.
fn raw_server(answer: fn(&mut std::net::TcpStream)) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let address = listener.local_addr().expect("local address");
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = connections.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            counter.fetch_add(1, Ordering::SeqCst);
            answer(&mut stream);
            // Dropping the stream closes the connection.
        }
    });
    (format!("http://{address}"), connections)
}

// ---------------------------------------------------------------------------------------
// Success
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn created_201_sends_the_documented_request_and_decodes_the_example() {
    let server = MockServer::start().await;
    let request = example_request();
    let created = created_example();
    Mock::given(method("POST"))
        .and(path("/contacts/"))
        .and(header("Authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("Version", "2021-07-28"))
        .and(header("Content-Type", "application/json"))
        .and(header("Accept", "application/json"))
        .and(body_json(&request))
        .respond_with(ResponseTemplate::new(201).set_body_json(&created))
        .expect(1)
        .mount(&server)
        .await;

    let client = client_for(&server);
    let response = client
        .create_contact(&request)
        .await
        .unwrap_or_else(|e| panic!("the documented exchange fails: {e} ({e:?})"));

    let expected: CreateContactResponse =
        serde_json::from_value(created.clone()).expect("the 201 example decodes");
    assert_eq!(response, expected);
    assert_eq!(serde_json::to_value(&response).unwrap(), created);
    assert_eq!(
        response.contact.as_ref().and_then(|c| c.id.as_deref()),
        Some("seD4PfOuKoVMLkEZqohJ")
    );

    let received = received_exactly_one(&server).await;
    assert_eq!(received.method.as_str(), "POST");
    assert_eq!(
        received.url.path(),
        "/contacts/",
        "the path keeps its trailing slash"
    );
    assert_eq!(received.url.query(), None);
    assert_eq!(
        single_header(&received.headers, "authorization"),
        format!("Bearer {TOKEN}")
    );
    assert_eq!(single_header(&received.headers, "version"), "2021-07-28");
    assert_eq!(
        single_header(&received.headers, "content-type"),
        "application/json"
    );
    assert_eq!(
        single_header(&received.headers, "accept"),
        "application/json"
    );
    assert_eq!(
        received.body,
        serde_json::to_vec(&request).unwrap(),
        "the body is exactly the serialized request"
    );
    assert_eq!(
        received.body_json::<Value>().unwrap(),
        serde_json::to_value(&request).unwrap()
    );
    server.verify().await;
}

#[tokio::test]
async fn builder_request_reaches_the_server_with_nulls_and_open_values() {
    let server = server_answering(
        ResponseTemplate::new(201).set_body_json(json!({"contact": {"id": "new"}})),
    )
    .await;
    let response = client_for(&server)
        .create_contact(&small_request())
        .await
        .expect("201");
    assert_eq!(response.contact.and_then(|c| c.id), Some("new".to_string()));
    let received = received_exactly_one(&server).await;
    assert_eq!(
        received.body_json::<Value>().unwrap(),
        json!({
            "locationId": "ve9EPM428h8vShlRW1KT",
            "firstName": "Rosan",
            "lastName": null,
            "dndSettings": {"SMS": {"status": "paused"}},
            "customFields": [{"id": "cf1", "field_value": ["a", "b"]}]
        })
    );
}

// ---------------------------------------------------------------------------------------
// Documented errors: the status decides
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn bad_request_400_is_an_api_error() {
    let server =
        server_answering(ResponseTemplate::new(400).set_body_json(bad_request_example())).await;
    let error = api_error(
        client_for(&server).create_contact(&small_request()).await,
        400,
    );
    let expected: BadRequest = serde_json::from_value(bad_request_example()).unwrap();
    assert_eq!(error, CreateContactError::BadRequest(Box::new(expected)));
    received_exactly_one(&server).await;
}

#[tokio::test]
async fn unauthorized_401_is_an_api_error() {
    let server =
        server_answering(ResponseTemplate::new(401).set_body_json(unauthorized_example())).await;
    let error = api_error(
        client_for(&server).create_contact(&small_request()).await,
        401,
    );
    let expected: Unauthorized = serde_json::from_value(unauthorized_example()).unwrap();
    assert_eq!(error, CreateContactError::Unauthorized(Box::new(expected)));
    received_exactly_one(&server).await;
}

#[tokio::test]
async fn unprocessable_422_is_an_api_error_and_is_not_retried() {
    let server = server_answering(
        ResponseTemplate::new(422)
            .set_body_json(unprocessable_example())
            .insert_header("x-request-id", "req-422"),
    )
    .await;
    let result = client_for(&server).create_contact(&example_request()).await;
    let error = result.expect_err("422 is an error");
    assert_eq!(
        error
            .headers()
            .and_then(|h| h.get("x-request-id"))
            .map(|v| v.to_str().unwrap()),
        Some("req-422")
    );
    let body = api_error(Err(error), 422);
    let expected: UnprocessableEntity = serde_json::from_value(unprocessable_example()).unwrap();
    assert_eq!(
        body,
        CreateContactError::UnprocessableEntity(Box::new(expected))
    );
    // The contact may have been created: the client must not have sent the POST again.
    received_exactly_one(&server).await;
}

#[tokio::test]
async fn a_401_with_the_400_body_shape_is_still_unauthorized() {
    let server =
        server_answering(ResponseTemplate::new(401).set_body_json(bad_request_example())).await;
    let error = api_error(
        client_for(&server).create_contact(&small_request()).await,
        401,
    );
    match error {
        CreateContactError::Unauthorized(body) => {
            assert_eq!(body.status_code, Some(400));
            assert_eq!(body.message.as_deref(), Some("Bad Request"));
        }
        other => panic!("the variant follows the status (401), not the body's shape: {other:?}"),
    }
}

#[tokio::test]
async fn a_422_with_the_401_body_shape_is_a_decode_error() {
    let body = serde_json::to_vec(&unauthorized_example()).unwrap();
    let server =
        server_answering(ResponseTemplate::new(422).set_body_raw(body.clone(), "application/json"))
            .await;
    decode_error(
        client_for(&server).create_contact(&small_request()).await,
        422,
        &body,
    );
    received_exactly_one(&server).await;
}

#[tokio::test]
async fn a_400_with_the_422_body_shape_is_a_decode_error() {
    let body = serde_json::to_vec(&unprocessable_example()).unwrap();
    let server =
        server_answering(ResponseTemplate::new(400).set_body_raw(body.clone(), "application/json"))
            .await;
    decode_error(
        client_for(&server).create_contact(&small_request()).await,
        400,
        &body,
    );
}

// ---------------------------------------------------------------------------------------
// Undocumented statuses and broken bodies
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn server_error_500_with_html_keeps_status_headers_and_raw_body() {
    let html = b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1>\xff</body></html>".to_vec();
    let server = server_answering(
        ResponseTemplate::new(500)
            .set_body_raw(html.clone(), "text/html; charset=utf-8")
            .insert_header("x-request-id", "req-500"),
    )
    .await;
    let error = client_for(&server)
        .create_contact(&small_request())
        .await
        .expect_err("500 is an error");
    assert_error_hides_token(&error);
    assert_eq!(error.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert_eq!(error.raw_body(), Some(html.as_slice()));
    assert!(
        error.source().is_none(),
        "an unexpected status has no source"
    );
    match &error {
        Error::UnexpectedStatus(response) => {
            assert_eq!(response.status, StatusCode::INTERNAL_SERVER_ERROR);
            assert_eq!(response.body, html);
            assert_eq!(response.headers.get("x-request-id").unwrap(), "req-500");
            assert_eq!(
                response.headers.get(CONTENT_TYPE).unwrap(),
                "text/html; charset=utf-8"
            );
        }
        other => panic!("expected Error::UnexpectedStatus, got {other:?}"),
    }
    assert!(
        error.to_string().contains("500"),
        "Display names the status: {error}"
    );
    // No retry on a server error either.
    received_exactly_one(&server).await;
}

#[tokio::test]
async fn created_201_with_invalid_json_is_a_decode_error() {
    let body = br#"{"contact": {"id": "abc", "#.to_vec();
    let server =
        server_answering(ResponseTemplate::new(201).set_body_raw(body.clone(), "application/json"))
            .await;
    decode_error(
        client_for(&server).create_contact(&small_request()).await,
        201,
        &body,
    );
    received_exactly_one(&server).await;
}

#[tokio::test]
async fn created_201_with_json_of_the_wrong_shape_is_a_decode_error() {
    let body = br#"{"contact": "not an object"}"#.to_vec();
    let server =
        server_answering(ResponseTemplate::new(201).set_body_raw(body.clone(), "application/json"))
            .await;
    decode_error(
        client_for(&server).create_contact(&small_request()).await,
        201,
        &body,
    );
}

// ---------------------------------------------------------------------------------------
// Broken connections
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_connection_closed_without_an_answer_is_a_transport_error() {
    let (base, connections) = raw_server(|_stream| {});
    let error = impatient_client(&base)
        .create_contact(&small_request())
        .await
        .expect_err("no answer");
    assert_error_hides_token(&error);
    match &error {
        Error::Transport {
            source,
            state,
            response,
        } => {
            assert!(
                !source.is_timeout(),
                "the client saw the close, not a timeout: {source:?}"
            );
            assert_eq!(
                *state,
                RequestState::MaybeSent,
                "the connection was made, so the server may have read the request"
            );
            assert!(response.is_none(), "nothing was answered");
        }
        other => panic!("expected Error::Transport, got {other:?}"),
    }
    assert!(error.may_have_been_sent());
    assert_eq!(error.status(), None);
    assert_eq!(error.raw_body(), None);
    assert!(error.source().is_some(), "the reqwest error is the source");
    assert_eq!(
        connections.load(Ordering::SeqCst),
        1,
        "the POST is not retried on a new connection"
    );
}

#[tokio::test]
async fn a_connection_closed_after_reading_the_request_is_a_transport_error() {
    let (base, connections) = raw_server(|stream| {
        read_request(stream);
    });
    let error = impatient_client(&base)
        .create_contact(&small_request())
        .await
        .expect_err("no answer");
    assert_error_hides_token(&error);
    assert!(
        matches!(
            error,
            Error::Transport {
                state: RequestState::MaybeSent,
                response: None,
                ..
            }
        ),
        "expected Error::Transport that may have been sent, got {error:?}"
    );
    assert_eq!(
        connections.load(Ordering::SeqCst),
        1,
        "the POST is not retried on a new connection"
    );
}

#[tokio::test]
async fn a_truncated_body_is_a_transport_error() {
    let (base, connections) = raw_server(|stream| {
        let request = read_request(stream);
        assert!(
            request.starts_with(b"POST /contacts/ HTTP/1.1\r\n"),
            "{}",
            String::from_utf8_lossy(&request)
        );
        let partial = br#"{"contact": {"id": "seD4Pf"#;
        let head = format!(
            "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            partial.len() + 500
        );
        stream.write_all(head.as_bytes()).expect("write head");
        stream.write_all(partial).expect("write partial body");
        stream.flush().expect("flush");
        let _ = stream.shutdown(std::net::Shutdown::Both);
    });
    let error = impatient_client(&base)
        .create_contact(&small_request())
        .await
        .expect_err("the body is cut short");
    assert_error_hides_token(&error);
    match &error {
        Error::Transport { source, state, .. } => {
            assert!(
                !source.is_timeout(),
                "the client saw the close, not a timeout: {source:?}"
            );
            assert_eq!(*state, RequestState::Sent, "the server answered 201");
        }
        other => panic!("expected Error::Transport for a truncated body, got {other:?}"),
    }
    // What arrived is kept: a 201 means the contact exists, even without its body.
    assert_eq!(error.status(), Some(StatusCode::CREATED));
    assert_eq!(
        error.raw_body(),
        Some(br#"{"contact": {"id": "seD4Pf"#.as_slice())
    );
    assert!(
        error.to_string().contains("201 Created"),
        "Display names the status that arrived: {error}"
    );
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}

// ---------------------------------------------------------------------------------------
// Building requests and decoding responses without a network
// ---------------------------------------------------------------------------------------

#[test]
fn create_contact_request_builds_the_documented_request() {
    let client = new_client(TOKEN);
    assert_eq!(
        client.base_url().as_str(),
        "https://services.leadconnectorhq.com/"
    );
    assert_eq!(DEFAULT_BASE_URL, "https://services.leadconnectorhq.com");

    let body = example_request();
    let request = client
        .create_contact_request(&body)
        .expect("the request builds");
    assert_eq!(request.method(), Method::POST);
    assert_eq!(
        request.url().as_str(),
        "https://services.leadconnectorhq.com/contacts/"
    );
    let headers = request.headers();
    assert_eq!(single_header(headers, "accept"), "application/json");
    assert_eq!(single_header(headers, "content-type"), "application/json");
    assert_eq!(single_header(headers, "version"), "2021-07-28");
    let authorization = headers.get(AUTHORIZATION).expect("an Authorization header");
    assert_eq!(authorization, format!("Bearer {TOKEN}").as_str());
    assert!(
        authorization.is_sensitive(),
        "the Authorization header is marked sensitive"
    );
    let bytes = request
        .body()
        .and_then(|b| b.as_bytes())
        .expect("a buffered body");
    assert_eq!(bytes, serde_json::to_vec(&body).unwrap().as_slice());
    assert_eq!(
        serde_json::from_slice::<CreateContactRequest>(bytes).unwrap(),
        body
    );

    assert_no_token("the built request's Debug", &format!("{request:?}"));
    assert_no_token(
        "the built request's alternate Debug",
        &format!("{request:#?}"),
    );
    assert_no_token("the request headers' Debug", &format!("{headers:?}"));
}

#[test]
fn create_contact_request_respects_the_base_url_path() {
    let body = small_request();
    for (base, expected) in [
        ("http://localhost:8080", "http://localhost:8080/contacts/"),
        ("http://localhost:8080/", "http://localhost:8080/contacts/"),
        (
            "http://localhost:8080/proxy",
            "http://localhost:8080/proxy/contacts/",
        ),
        (
            "http://localhost:8080/proxy/",
            "http://localhost:8080/proxy/contacts/",
        ),
        (
            "https://gw.example/a/b/",
            "https://gw.example/a/b/contacts/",
        ),
    ] {
        let client = new_client(TOKEN).with_base_url(base.parse().unwrap());
        assert_eq!(
            client.base_url().as_str(),
            reqwest::Url::parse(base).unwrap().as_str()
        );
        let request = client.create_contact_request(&body).expect("builds");
        assert_eq!(request.url().as_str(), expected, "base URL {base}");
    }
}

#[test]
fn create_contact_request_rejects_what_cannot_be_sent() {
    // A token that cannot appear in a header.
    let client = new_client(&format!("{TOKEN}\r\nX-Injected: 1"));
    let error = client
        .create_contact_request(&small_request())
        .expect_err("a token with CR LF is refused");
    assert!(matches!(error, Error::InvalidRequest(_)), "got {error:?}");
    assert_error_hides_token(&error);
    assert_no_token("a client with a bad token", &format!("{client:?}"));

    // A base URL that cannot have a path.
    let client = new_client(TOKEN).with_base_url("mailto:api@example.com".parse().unwrap());
    let error = client
        .create_contact_request(&small_request())
        .expect_err("a cannot-be-a-base URL is refused");
    assert!(matches!(error, Error::InvalidRequest(_)), "got {error:?}");
    assert_error_hides_token(&error);
    assert_eq!(error.status(), None);
    assert_eq!(error.headers(), None);
}

#[test]
fn decode_create_contact_chooses_by_status() {
    let headers = || {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert("x-request-id", HeaderValue::from_static("r-1"));
        headers
    };
    let bytes = |value: Value| serde_json::to_vec(&value).unwrap();

    // 201: the documented success.
    let created = created_example();
    let decoded = decode_create_contact(StatusCode::CREATED, headers(), &bytes(created.clone()))
        .expect("201 decodes");
    assert_eq!(serde_json::to_value(&decoded).unwrap(), created);

    // 400, 401, 422: the documented errors, with their headers.
    let cases = [
        (
            400,
            bad_request_example(),
            CreateContactError::BadRequest(serde_json::from_value(bad_request_example()).unwrap()),
        ),
        (
            401,
            unauthorized_example(),
            CreateContactError::Unauthorized(
                serde_json::from_value(unauthorized_example()).unwrap(),
            ),
        ),
        (
            422,
            unprocessable_example(),
            CreateContactError::UnprocessableEntity(
                serde_json::from_value(unprocessable_example()).unwrap(),
            ),
        ),
        // The body's shape does not pick the variant.
        (
            401,
            bad_request_example(),
            CreateContactError::Unauthorized(
                serde_json::from_value(bad_request_example()).unwrap(),
            ),
        ),
        (
            400,
            unauthorized_example(),
            CreateContactError::BadRequest(serde_json::from_value(unauthorized_example()).unwrap()),
        ),
    ];
    for (status, body, expected) in cases {
        let result = decode_create_contact(
            StatusCode::from_u16(status).unwrap(),
            headers(),
            &bytes(body),
        );
        let error = result.expect_err("an error status");
        assert_eq!(
            error.headers().and_then(|h| h.get("x-request-id")).unwrap(),
            "r-1"
        );
        assert_eq!(
            error.raw_body(),
            None,
            "a decoded API error has no raw body"
        );
        assert_eq!(api_error(Err(error), status), expected, "status {status}");
    }

    // Bodies that do not match the type documented for their status.
    for (status, body) in [
        (422, bytes(unauthorized_example())),
        (400, bytes(unprocessable_example())),
        (201, b"{\"contact\": ".to_vec()),
        (201, Vec::new()),
        (201, b"null".to_vec()),
        (401, b"<html>Unauthorized</html>".to_vec()),
    ] {
        decode_error(
            decode_create_contact(StatusCode::from_u16(status).unwrap(), headers(), &body),
            status,
            &body,
        );
    }

    // Statuses the operation does not document, even 2xx ones and even with a valid body.
    for status in [200, 202, 204, 301, 403, 404, 500, 503] {
        let body = bytes(created.clone());
        let error = decode_create_contact(StatusCode::from_u16(status).unwrap(), headers(), &body)
            .expect_err("an undocumented status");
        assert_error_hides_token(&error);
        match &error {
            Error::UnexpectedStatus(response) => {
                assert_eq!(response.status.as_u16(), status);
                assert_eq!(response.body, body);
                assert_eq!(response.headers.get("x-request-id").unwrap(), "r-1");
            }
            other => panic!("expected Error::UnexpectedStatus for {status}, got {other:?}"),
        }
    }
}

// ---------------------------------------------------------------------------------------
// The client itself
// ---------------------------------------------------------------------------------------

#[test]
fn the_token_never_appears_in_the_clients_debug() {
    let client = new_client(TOKEN);
    assert_no_token("Client's Debug", &format!("{client:?}"));
    assert_no_token("Client's alternate Debug", &format!("{client:#?}"));
    let client = client.with_base_url("http://127.0.0.1:9/x/".parse().unwrap());
    assert_no_token("Client's Debug", &format!("{client:?}"));
    assert!(
        format!("{client:?}").contains("127.0.0.1:9"),
        "Debug still shows the base URL: {client:?}"
    );
    let cloned = client.clone();
    assert_no_token("a clone's Debug", &format!("{cloned:?}"));
    let custom = Client::with_http_client(TOKEN, Client::http_client_builder().build().unwrap())
        .expect("client");
    assert_no_token("Client's Debug", &format!("{custom:?}"));
}

#[tokio::test]
async fn a_base_url_with_a_path_prefix_is_kept() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/proxy/contacts/"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"contact": {"id": "p"}})))
        .expect(1)
        .mount(&server)
        .await;
    let client =
        new_client(TOKEN).with_base_url(format!("{}/proxy/", server.uri()).parse().unwrap());
    let response = client
        .create_contact(&small_request())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(response.contact.and_then(|c| c.id).as_deref(), Some("p"));
    let received = received_exactly_one(&server).await;
    assert_eq!(received.url.path(), "/proxy/contacts/");
}

#[tokio::test]
async fn with_http_client_sends_through_the_given_client() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/contacts/"))
        .and(header("user-agent", "codegen-tests/1.0"))
        .and(header("x-from-custom-client", "yes"))
        .and(header("Authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(201).set_body_json(created_example()))
        .expect(1)
        .mount(&server)
        .await;
    let mut defaults = HeaderMap::new();
    defaults.insert("x-from-custom-client", HeaderValue::from_static("yes"));
    let http = Client::http_client_builder()
        .user_agent("codegen-tests/1.0")
        .default_headers(defaults)
        .timeout(Duration::from_secs(10))
        .build()
        .expect("reqwest client");
    let client = Client::with_http_client(TOKEN, http)
        .expect("client")
        .with_base_url(server.uri().parse().unwrap());
    assert_no_token("Client's Debug", &format!("{client:?}"));

    let response = client
        .create_contact(&example_request())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(serde_json::to_value(&response).unwrap(), created_example());
    let received = received_exactly_one(&server).await;
    assert_eq!(
        single_header(&received.headers, "user-agent"),
        "codegen-tests/1.0"
    );
    assert_eq!(
        single_header(&received.headers, "x-from-custom-client"),
        "yes"
    );
    server.verify().await;
}

#[tokio::test]
async fn every_call_sends_exactly_one_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).set_body_string("try again"))
        .mount(&server)
        .await;
    let client = client_for(&server);
    for round in 1..=3 {
        let error = client
            .create_contact(&small_request())
            .await
            .expect_err("503");
        assert!(matches!(error, Error::UnexpectedStatus(_)), "got {error:?}");
        let count = server.received_requests().await.unwrap().len();
        assert_eq!(
            count, round,
            "after {round} calls the server saw {count} requests"
        );
    }
}
