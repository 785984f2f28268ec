//! Behaviour of `tests/fixtures/ok/parameter-styles.yaml`'s client on a loopback server:
//! unions, enums, objects and lists go into the query, path, header and cookie in the
//! style each parameter declares.

use std::collections::BTreeMap;

use fixture_parameter_styles::*;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn sent(call: impl FnOnce(Client) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>) -> Request {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = Client::new().expect("a client").with_base_url(server.uri().parse().unwrap());
    call(client).await;
    let mut received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    received.remove(0)
}

fn pairs(request: &Request) -> Vec<(String, String)> {
    request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

fn pair(name: &str, value: &str) -> (String, String) {
    (name.to_string(), value.to_string())
}

#[tokio::test]
async fn every_query_style_is_written_as_openapi_says() {
    let params = SearchParams::default()
        .id(SearchId::Integer(42))
        .color(Color::Red)
        .shade(Color::Blue)
        .label("hi")
        .filter(SearchFilter::default().status("open").min(2))
        .point(SearchPoint::default().x(1).y(2))
        .tags(vec!["a".to_string(), "b".to_string()])
        .ids(vec![1, 2, 3])
        .sizes(vec!["s".to_string(), "m".to_string()])
        .repeated(vec![1, 2])
        .where_(BTreeMap::from([("a".to_string(), 1)]));
    let request = sent(|client| Box::pin(async move { client.search(&params).await.expect("found") })).await;
    assert_eq!(
        pairs(&request),
        [
            pair("id", "42"),
            pair("color", "red"),
            pair("shade", "blue"),
            pair("label", "hi"),
            pair("filter[status]", "open"),
            pair("filter[min]", "2"),
            pair("x", "1"),
            pair("y", "2"),
            pair("tags", "a,b"),
            pair("ids", "1 2 3"),
            pair("sizes", "s|m"),
            pair("repeated", "1"),
            pair("repeated", "2"),
            pair("where", r#"{"a":1}"#),
        ]
    );
}

#[tokio::test]
async fn a_union_parameter_writes_the_variant_it_holds() {
    let params = SearchParams::default().id("name-7");
    let request = sent(|client| Box::pin(async move { client.search(&params).await.expect("found") })).await;
    assert_eq!(pairs(&request), [pair("id", "name-7")]);
}

#[tokio::test]
async fn unset_parameters_are_left_out() {
    let params = SearchParams::default();
    let request = sent(|client| Box::pin(async move { client.search(&params).await.expect("found") })).await;
    assert_eq!(request.url.query(), None);
    assert!(request.headers.get("cookie").is_none());
    assert!(request.headers.get("x-trace").is_none());
}

#[tokio::test]
async fn cookies_and_headers_take_their_styles() {
    let params = SearchParams::default()
        .session("abc")
        .prefs(vec!["dark".to_string(), "compact".to_string()])
        .x_trace(vec!["t1".to_string(), "t2".to_string()]);
    let request = sent(|client| Box::pin(async move { client.search(&params).await.expect("found") })).await;
    assert_eq!(request.headers.get("cookie").unwrap(), "session=abc; prefs=dark,compact");
    assert_eq!(request.headers.get("x-trace").unwrap(), "t1,t2");
}

#[tokio::test]
async fn path_styles_label_matrix_and_simple() {
    let labels = vec!["a".to_string(), "b".to_string()];
    let matrix = GetShapeMatrix::default().r(1).g(2);
    let request = sent(|client| {
        Box::pin(async move { client.get_shape(&labels, &matrix, &Color::Red).await.expect("shape") })
    })
    .await;
    assert_eq!(request.url.path(), "/shapes/.a.b/;matrix=r,1,g,2/red");
}
