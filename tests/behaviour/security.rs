//! Behaviour of `tests/fixtures/ok/security.yaml`'s client on a loopback server: each
//! operation sends the credentials it asks for, where it asks for them, and no others.

use fixture_security::*;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const SECRET: &str = "s3cr3t-value-9f2";

async fn answering_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer, credentials: Credentials) -> Client {
    Client::new(credentials)
        .expect("a client")
        .with_base_url(server.uri().parse().expect("the server's URL"))
}

async fn only_request(server: &MockServer) -> Request {
    let mut received = server.received_requests().await.expect("requests are recorded");
    assert_eq!(received.len(), 1, "one request: {received:?}");
    received.remove(0)
}

fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).map(|value| value.to_str().expect("a text header"))
}

fn all_credentials() -> Credentials {
    Credentials::new()
        .bearer_auth("bearer-token")
        .basic_auth("ada", "pass")
        .api_key("api")
        .app_key("app")
        .query_key("query")
        .cookie_key("cookie")
        .oauth("oauth-token")
        .open_id("oidc-token")
}

#[tokio::test]
async fn the_default_requirement_sends_the_bearer_token_and_nothing_else() {
    let server = answering_server().await;
    client(&server, all_credentials()).get_me().await.expect_err("a 204 is not the documented 200");
    let request = only_request(&server).await;
    assert_eq!(header(&request, "authorization"), Some("Bearer bearer-token"));
    for other in ["dd-api-key", "dd-application-key", "cookie"] {
        assert_eq!(header(&request, other), None, "{other} is not sent to get_me");
    }
    assert_eq!(request.url.query(), None);
}

#[tokio::test]
async fn two_keys_together_are_both_sent_and_one_alone_is_refused_before_sending() {
    let server = answering_server().await;
    client(&server, all_credentials()).list_reports().await.expect("listed");
    let request = only_request(&server).await;
    assert_eq!(header(&request, "dd-api-key"), Some("api"));
    assert_eq!(header(&request, "dd-application-key"), Some("app"));
    assert_eq!(header(&request, "authorization"), None);

    let lonely = MockServer::start().await;
    let error = client(&lonely, Credentials::new().api_key("api"))
        .list_reports()
        .await
        .expect_err("the application key is missing");
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(!error.may_have_been_sent());
    assert!(error.to_string().contains("`api_key` and `app_key`"), "{error}");
    assert!(lonely.received_requests().await.unwrap().is_empty(), "nothing is sent");
}

#[tokio::test]
async fn a_query_key_goes_in_the_query_beside_the_parameters() {
    let server = answering_server().await;
    let params = SearchParams::default().q("rust");
    client(&server, Credentials::new().query_key(SECRET)).search(&params).await.expect("found");
    let request = only_request(&server).await;
    assert_eq!(request.url.query(), Some(format!("q=rust&api_key={SECRET}").as_str()));
}

#[tokio::test]
async fn a_cookie_key_shares_the_one_cookie_header_with_cookie_parameters() {
    let server = answering_server().await;
    let params = GetSessionParams::default().theme("dark");
    client(&server, Credentials::new().cookie_key("sid-1")).get_session(&params).await.expect("session");
    let request = only_request(&server).await;
    let cookies: Vec<&str> = request.headers.get_all("cookie").iter().map(|v| v.to_str().unwrap()).collect();
    assert_eq!(cookies, ["theme=dark; sid=sid-1"]);
}

#[tokio::test]
async fn alternatives_take_the_first_the_client_has() {
    let server = answering_server().await;
    client(&server, Credentials::new().basic_auth("Aladdin", "open sesame")).login().await.expect("in");
    assert_eq!(
        header(&only_request(&server).await, "authorization"),
        Some("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
    );
    let server = answering_server().await;
    client(&server, Credentials::new().bearer_auth("tok")).login().await.expect("in");
    assert_eq!(header(&only_request(&server).await, "authorization"), Some("Bearer tok"));
    let server = answering_server().await;
    client(&server, all_credentials()).login().await.expect("in");
    let request = only_request(&server).await;
    assert!(header(&request, "authorization").unwrap().starts_with("Basic "), "basic is listed first");
}

#[tokio::test]
async fn optional_credentials_are_sent_when_given_and_skipped_when_not() {
    let server = answering_server().await;
    client(&server, Credentials::new()).get_public().await.expect("public");
    assert_eq!(header(&only_request(&server).await, "authorization"), None);
    let server = answering_server().await;
    client(&server, Credentials::new().bearer_auth("tok")).get_public().await.expect("public");
    assert_eq!(header(&only_request(&server).await, "authorization"), Some("Bearer tok"));
}

#[tokio::test]
async fn an_operation_without_security_never_sends_credentials() {
    let server = answering_server().await;
    client(&server, all_credentials()).get_health().await.expect("healthy");
    let request = only_request(&server).await;
    for name in ["authorization", "dd-api-key", "dd-application-key", "cookie"] {
        assert_eq!(header(&request, name), None, "{name}");
    }
    assert_eq!(request.url.query(), None);
}

#[tokio::test]
async fn oauth_and_openid_tokens_go_as_bearer_tokens_and_mutual_tls_needs_nothing() {
    let server = answering_server().await;
    client(&server, Credentials::new().open_id("oidc-token")).get_with_oauth().await.expect("done");
    assert_eq!(header(&only_request(&server).await, "authorization"), Some("Bearer oidc-token"));
    let server = answering_server().await;
    client(&server, Credentials::new()).get_with_tls().await.expect("done");
    assert_eq!(header(&only_request(&server).await, "authorization"), None);
}

#[test]
fn no_credential_shows_in_debug_output() {
    let credentials = Credentials::new()
        .bearer_auth(SECRET)
        .basic_auth("ada", SECRET)
        .query_key(SECRET)
        .cookie_key(SECRET);
    let client = Client::new(credentials.clone()).expect("a client");
    for shown in [format!("{credentials:?}"), format!("{credentials:#?}"), format!("{client:?}")] {
        assert!(!shown.contains(SECRET), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
    }
    let request = client
        .list_reports_request()
        .expect_err("no keys: the request is not built");
    assert!(!format!("{request:?}").contains(SECRET));
}
