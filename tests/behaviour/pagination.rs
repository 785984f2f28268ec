//! Walking `tests/fixtures/ok/pagination.yaml`'s lists on a loopback server, under each
//! scheme its `x-pagination` extensions declare: every page is fetched once, in order,
//! with the position the last page gave, and the walk ends where the server says (or with
//! an error where it would never end).

use fixture_pagination::*;
use serde_json::{json, Value};
use wiremock::matchers::{body_partial_json, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::new("list-token")
        .expect("a client")
        .with_base_url(server.uri().parse().expect("the server's URL"))
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

async fn requests(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.expect("recording is on")
}

fn query(request: &wiremock::Request) -> String {
    request.url.query().unwrap_or("").to_string()
}

async fn ids<I, T, E: std::fmt::Debug>(mut items: Items<'_, I, T, E>, id: impl Fn(&I) -> Option<String>) -> Vec<String>
where
    I: serde::de::DeserializeOwned,
{
    let mut out = Vec::new();
    while let Some(item) = items.next_item().await {
        out.push(id(&item.expect("an item")).unwrap_or_default());
    }
    out
}

#[tokio::test]
async fn two_cursors_from_the_meta_lead_to_the_last_page() {
    let server = MockServer::start().await;
    Mock::given(path("/contacts/"))
        .and(query_param_is_missing("startAfterId"))
        .respond_with(ok(json!({
            "contacts": [{"id": "a"}, {"id": "b"}],
            "meta": {"startAfterId": "b", "startAfter": 1700000000000u64}
        })))
        .mount(&server)
        .await;
    Mock::given(path("/contacts/"))
        .and(query_param("startAfterId", "b"))
        .and(query_param("startAfter", "1700000000000"))
        .respond_with(ok(json!({"contacts": [{"id": "c"}], "meta": {"startAfterId": null, "startAfter": null}})))
        .mount(&server)
        .await;
    let params = ListContactsParams::new("loc-1").limit(2);
    let client = client(&server);
    let items = client.list_contacts_items(&params);
    assert_eq!(ids(items, |c: &Contact| c.id.clone()).await, ["a", "b", "c"]);
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 2);
    assert!(query(&sent[1]).contains("locationId=loc-1") && query(&sent[1]).contains("limit=2"));
    assert_eq!(
        sent[1].headers.get("authorization").unwrap(),
        "Bearer list-token"
    );
}

#[tokio::test]
async fn pages_keep_their_status_headers_and_rate_limit() {
    let server = MockServer::start().await;
    Mock::given(path("/contacts/"))
        .respond_with(
            ok(json!({"contacts": [{"id": "a"}], "meta": {}})).insert_header("x-ratelimit-remaining", "41"),
        )
        .mount(&server)
        .await;
    let params = ListContactsParams::new("loc-1");
    let client = client(&server);
    let mut pages = client.list_contacts_pages(&params);
    let page = pages.next_page().await.expect("a page").expect("answered");
    assert_eq!(page.status.as_u16(), 200);
    assert_eq!(page.rate_limit.burst_remaining, Some(41));
    assert_eq!(page.body.contacts.as_ref().map(Vec::len), Some(1));
    assert!(pages.next_page().await.is_none(), "no cursor: the last page");
}

#[tokio::test]
async fn a_cursor_given_twice_ends_the_walk_with_an_error() {
    let server = MockServer::start().await;
    Mock::given(path("/contacts/"))
        .respond_with(ok(json!({"contacts": [{"id": "a"}], "meta": {"startAfterId": "a"}})))
        .mount(&server)
        .await;
    let params = ListContactsParams::new("loc-1");
    let client = client(&server);
    let mut pages = client.list_contacts_pages(&params);
    assert!(pages.next_page().await.expect("first").is_ok());
    assert!(pages.next_page().await.expect("second").is_ok());
    let error = pages.next_page().await.expect("the error").expect_err("repeated");
    assert!(matches!(error, Error::Pagination(_)), "{error:?}");
    assert!(pages.next_page().await.is_none());
    assert_eq!(requests(&server).await.len(), 2, "nothing is sent after the repeat");
}

/// A server whose contacts never end: each page gives a new cursor.
async fn endless_contacts() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/contacts/"))
        .and(query_param_is_missing("startAfterId"))
        .respond_with(ok(json!({"contacts": [{"id": "a"}, {"id": "b"}], "meta": {"startAfterId": "b"}})))
        .mount(&server)
        .await;
    Mock::given(path("/contacts/"))
        .and(query_param("startAfterId", "b"))
        .respond_with(ok(json!({"contacts": [{"id": "c"}, {"id": "d"}], "meta": {"startAfterId": "d"}})))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn caps_stop_before_the_server_does() {
    let params = ListContactsParams::new("loc-1");
    let server = endless_contacts().await;
    let paged = client(&server);
    let mut pages = paged.list_contacts_pages(&params).max_pages(1);
    assert!(pages.next_page().await.expect("one").is_ok());
    assert!(pages.next_page().await.is_none());
    assert_eq!(requests(&server).await.len(), 1);

    let server = endless_contacts().await;
    let listed = client(&server);
    let items = listed.list_contacts_items(&params).max_items(3);
    assert_eq!(ids(items, |c: &Contact| c.id.clone()).await, ["a", "b", "c"]);
    assert_eq!(requests(&server).await.len(), 2, "no page beyond the third item");
}

#[tokio::test]
async fn next_page_urls_are_followed_on_the_same_server_only() {
    let server = MockServer::start().await;
    Mock::given(path("/contacts/by-url"))
        .and(query_param_is_missing("page"))
        .respond_with(ok(json!({"contacts": [{"id": "a"}], "meta": {"nextPageUrl": "/contacts/by-url?page=2"}})))
        .mount(&server)
        .await;
    let third = format!("{}/contacts/by-url?page=3", server.uri());
    Mock::given(path("/contacts/by-url"))
        .and(query_param("page", "2"))
        .respond_with(ok(json!({"contacts": [{"id": "b"}], "meta": {"nextPageUrl": third}})))
        .mount(&server)
        .await;
    Mock::given(path("/contacts/by-url"))
        .and(query_param("page", "3"))
        .respond_with(ok(json!({"contacts": [{"id": "c"}], "meta": {"nextPageUrl": "https://elsewhere.test/steal"}})))
        .mount(&server)
        .await;
    let client = client(&server);
    let mut items = client.list_contacts_by_url_items();
    let mut seen = Vec::new();
    let mut failure = None;
    while let Some(item) = items.next_item().await {
        match item {
            Ok(contact) => seen.push(contact.id.unwrap_or_default()),
            Err(error) => failure = Some(error),
        }
    }
    assert_eq!(seen, ["a", "b", "c"]);
    let failure = failure.expect("a next page on another server is refused");
    assert!(failure.to_string().contains("another server"), "{failure}");
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 3);
    assert!(sent.iter().all(|r| r.headers.get("authorization").is_some()));
}

#[tokio::test]
async fn page_numbers_count_up_until_the_total_is_reached() {
    let server = MockServer::start().await;
    for (page, items) in [(None, json!([{"id": "1"}, {"id": "2"}])), (Some("2"), json!([{"id": "3"}, {"id": "4"}])), (Some("3"), json!([{"id": "5"}]))] {
        let mock = Mock::given(path("/forms/submissions"));
        let mock = match page {
            None => mock.and(query_param_is_missing("page")),
            Some(page) => mock.and(query_param("page", page)),
        };
        mock.respond_with(ok(json!({"submissions": items, "meta": {"total": 5}})))
            .mount(&server)
            .await;
    }
    let params = ListSubmissionsParams::default().limit(2);
    let client = client(&server);
    let items = client.list_submissions_items(&params);
    assert_eq!(ids(items, |c: &Contact| c.id.clone()).await, ["1", "2", "3", "4", "5"]);
    assert_eq!(requests(&server).await.len(), 3, "no request after the total");
}

#[tokio::test]
async fn search_after_takes_the_last_items_sort_values_into_the_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/objects/search"))
        .and(body_partial_json(json!({"searchAfter": [20, "r2"]})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"records": []})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/objects/search"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"records": [
            {"id": "r1", "searchAfter": [10, "r1"]},
            {"id": "r2", "searchAfter": [20, "r2"]}
        ]})))
        .mount(&server)
        .await;
    let body = SearchRecordsRequest::new("pets").page_limit(2);
    let client = client(&server);
    let mut pages = client.search_records_pages(&body);
    let mut count = 0;
    while let Some(page) = pages.next_page().await {
        page.expect("answered");
        count += 1;
    }
    assert_eq!(count, 2, "the empty page is the last");
    let sent = requests(&server).await;
    let second: Value = serde_json::from_slice(&sent[1].body).expect("JSON");
    assert_eq!(second, json!({"query": "pets", "pageLimit": 2, "searchAfter": [20, "r2"]}));
}

#[tokio::test]
async fn a_cursor_out_becomes_the_cursor_in() {
    let server = MockServer::start().await;
    Mock::given(path("/messages/export"))
        .and(query_param_is_missing("cursor"))
        .respond_with(ok(json!({"messages": [{"id": "m1"}], "nextCursor": "eyJ9"})))
        .mount(&server)
        .await;
    Mock::given(path("/messages/export"))
        .and(query_param("cursor", "eyJ9"))
        .respond_with(ok(json!({"messages": [{"id": "m2"}], "nextCursor": null})))
        .mount(&server)
        .await;
    let params = ExportMessagesParams::default();
    let client = client(&server);
    let items = client.export_messages_items(&params);
    assert_eq!(ids(items, |m: &ExportMessagesResponseMessagesItem| m.id.clone()).await, ["m1", "m2"]);
}

#[tokio::test]
async fn offsets_grow_by_the_items_received_until_an_empty_page() {
    let server = MockServer::start().await;
    for (offset, items) in [(None, json!([{"id": "1"}, {"id": "2"}])), (Some("2"), json!([{"id": "3"}, {"id": "4"}])), (Some("4"), json!([]))] {
        let mock = Mock::given(path("/invoices/"));
        let mock = match offset {
            None => mock.and(query_param_is_missing("offset")),
            Some(offset) => mock.and(query_param("offset", offset)),
        };
        mock.respond_with(ok(json!({"invoices": items}))).mount(&server).await;
    }
    let params = ListInvoicesParams::default().limit(2);
    let client = client(&server);
    let items = client.list_invoices_items(&params);
    assert_eq!(ids(items, |i: &ListInvoicesResponseInvoicesItem| i.id.clone()).await, ["1", "2", "3", "4"]);
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn has_more_false_ends_a_skip_walk() {
    let server = MockServer::start().await;
    Mock::given(path("/users/search"))
        .respond_with(ok(json!({"users": [{"id": "u1"}], "count": 100, "more": false})))
        .mount(&server)
        .await;
    let params = SearchUsersParams::default();
    let client = client(&server);
    let items = client.search_users_items(&params);
    assert_eq!(ids(items, |u: &SearchUsersResponseUsersItem| u.id.clone()).await, ["u1"]);
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn an_api_without_highlevels_headers_has_the_standard_rate_limit_read() {
    let server = MockServer::start().await;
    Mock::given(path("/invoices/"))
        .respond_with(
            ok(json!({"invoices": []}))
                .insert_header("ratelimit-limit", "100")
                .insert_header("ratelimit-remaining", "0")
                .insert_header("ratelimit-reset", "7")
                .insert_header("x-ratelimit-max", "5"),
        )
        .mount(&server)
        .await;
    Mock::given(path("/users/search"))
        .respond_with(ok(json!({"users": []})).insert_header("ratelimit", "\"default\";r=3;t=12"))
        .mount(&server)
        .await;
    let client = client(&server);
    let invoices = client
        .list_invoices_with_response(&ListInvoicesParams::default())
        .await
        .expect("answered");
    let limit = invoices.rate_limit;
    assert_eq!((limit.burst_limit, limit.burst_remaining), (Some(100), Some(0)), "{limit:?}");
    assert_eq!(limit.reset, Some(std::time::Duration::from_secs(7)));
    assert_eq!(limit.delay(), Some(std::time::Duration::from_secs(7)));
    let users = client
        .search_users_with_response(&SearchUsersParams::default())
        .await
        .expect("answered");
    assert_eq!(users.rate_limit.burst_remaining, Some(3));
    assert_eq!(users.rate_limit.reset, Some(std::time::Duration::from_secs(12)));
}
