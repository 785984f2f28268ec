//! Behaviour of `tests/fixtures/ok/no-servers.yaml`'s client: without a server in the
//! description, `Client::new` takes the base URL, and one that cannot take paths is refused.

use fixture_no_servers::*;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn the_base_url_is_the_callers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/root/ping"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("pong", "text/plain"))
        .mount(&server)
        .await;
    let base = format!("{}/root/", server.uri()).parse().unwrap();
    let client = Client::new(base).expect("a client");
    assert_eq!(client.ping().await.expect("pong"), "pong");
}

#[test]
fn a_base_url_that_cannot_take_paths_is_a_setup_error() {
    let error = Client::new("mailto:someone@example.com".parse().unwrap()).expect_err("not a base");
    assert!(matches!(error, SetupError::BaseUrl { .. }), "{error:?}");
    assert!(error.to_string().contains("mailto:someone@example.com"), "{error}");
}
