//! Behaviour of `tests/fixtures/ok/openapi-3-2.yaml`'s client: the `QUERY` method and an
//! operation under `additionalOperations` go out with their own methods.

use fixture_openapi_3_2::*;
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn query_sends_its_body_with_the_query_method() {
    let server = MockServer::start().await;
    Mock::given(method("QUERY"))
        .and(path("/documents"))
        .and(body_json(json!({"text": "kennel", "limit": 10})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": "d1", "score": 0.9}])))
        .mount(&server)
        .await;
    let client = Client::new().unwrap().with_base_url(server.uri().parse().unwrap());
    let hits = client
        .search_documents(&Search::new("kennel").limit(10))
        .await
        .expect("hits");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].id, "d1");
}

#[tokio::test]
async fn an_additional_operation_is_sent_with_its_method_as_written() {
    let server = MockServer::start().await;
    Mock::given(method("LINK"))
        .and(path("/documents/d1"))
        .and(header("link", "</documents/d2>; rel=\"next\""))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = Client::new().unwrap().with_base_url(server.uri().parse().unwrap());
    client
        .link_document("d1", &LinkDocumentParams::new("</documents/d2>; rel=\"next\""))
        .await
        .expect("linked");
}
