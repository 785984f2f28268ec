//! Behaviour of `tests/fixtures/ok/media-types.yaml`'s client on a loopback server: text,
//! bytes, vendor JSON, several media types for one body, multipart parts, downloads read
//! as they arrive, and a protocol upgrade.

use fixture_media_types::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::new()
        .expect("a client")
        .with_base_url(server.uri().parse().expect("the server's URL"))
}

async fn answering(verb: &str, at: &str, response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .and(path(at))
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

async fn only_request(server: &MockServer) -> Request {
    let mut received = server.received_requests().await.expect("requests are recorded");
    assert_eq!(received.len(), 1, "one request");
    received.remove(0)
}

fn content_type(request: &Request) -> &str {
    request.headers.get("content-type").expect("a content type").to_str().unwrap()
}

#[tokio::test]
async fn text_goes_out_and_comes_back_as_text() {
    let server = answering("PUT", "/notes/n1", ResponseTemplate::new(200).set_body_raw("stored: é", "text/plain")).await;
    let stored = client(&server).put_note("n1", "hello é").await.expect("stored");
    assert_eq!(stored, "stored: é");
    let request = only_request(&server).await;
    assert_eq!(content_type(&request), "text/plain");
    assert_eq!(request.body, "hello é".as_bytes());
    let accept = request.headers.get("accept").unwrap().to_str().unwrap();
    assert_eq!(accept, "text/plain, text/html");
}

#[tokio::test]
async fn a_documented_html_error_is_its_text() {
    let server = answering("PUT", "/notes/gone", ResponseTemplate::new(404).set_body_raw("<p>gone</p>", "text/html")).await;
    match client(&server).put_note("gone", "x").await {
        Err(Error::Api(response)) => assert_eq!(response.body, PutNoteError::NotFound("<p>gone</p>".to_string())),
        other => panic!("a documented 404: {other:?}"),
    }
}

#[tokio::test]
async fn text_that_is_not_utf8_is_a_decode_error() {
    let server = answering("PUT", "/notes/bad", ResponseTemplate::new(200).set_body_raw(vec![0xff, 0xfe], "text/plain")).await;
    let error = client(&server).put_note("bad", "x").await.expect_err("not UTF-8");
    assert!(matches!(error, Error::Decode { source: DecodeError::Text(_), .. }), "{error:?}");
}

#[tokio::test]
async fn bytes_go_out_as_they_are() {
    let server = answering("PUT", "/files/a.bin", ResponseTemplate::new(201)).await;
    let bytes: Vec<u8> = (0..=255).collect();
    client(&server).upload_file("a.bin", bytes.clone()).await.expect("stored");
    let request = only_request(&server).await;
    assert_eq!(content_type(&request), "application/octet-stream");
    assert_eq!(request.body, bytes);
}

#[tokio::test]
async fn downloads_come_back_whole_or_piece_by_piece() {
    let file: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let server = answering("GET", "/files/big.pdf", ResponseTemplate::new(200).set_body_raw(file.clone(), "application/pdf")).await;
    let whole = client(&server).download_file("big.pdf").await.expect("downloaded");
    assert_eq!(whole, file);
    let mut stream = client(&server).download_file_stream("big.pdf").await.expect("the download starts");
    assert_eq!(stream.status.as_u16(), 200);
    let mut read = Vec::new();
    let mut pieces = 0;
    while let Some(piece) = stream.chunk().await.expect("a piece") {
        read.extend_from_slice(&piece);
        pieces += 1;
    }
    assert_eq!(read, file);
    assert!(pieces >= 1);
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].headers.get("accept").unwrap(), "application/pdf, image/*");
}

#[tokio::test]
async fn a_download_that_fails_is_an_error_not_a_stream() {
    let server = answering("GET", "/files/none", ResponseTemplate::new(404).set_body_string("no")).await;
    let error = client(&server).download_file_stream("none").await.expect_err("a 404");
    assert!(matches!(error, Error::UnexpectedStatus(_)), "{error:?}");
    assert_eq!(error.raw_body(), Some(&b"no"[..]));
}

#[tokio::test]
async fn a_body_of_any_type_is_bytes_and_may_be_left_out() {
    let server = answering("POST", "/anything", ResponseTemplate::new(204)).await;
    client(&server).post_anything(None).await.expect("taken");
    client(&server).post_anything(Some(b"raw".to_vec().into())).await.expect("taken");
    let received = server.received_requests().await.unwrap();
    assert!(received[0].body.is_empty());
    assert_eq!(received[1].body, b"raw");
    assert_eq!(content_type(&received[1]), "application/octet-stream", "a wildcard is not a content type");
}

#[tokio::test]
async fn one_body_several_media_types_json_by_default() {
    let thing = serde_json::json!({"id": 7, "name": "seven"});
    let server = answering(
        "PATCH",
        "/things/7",
        ResponseTemplate::new(200).set_body_raw(thing.to_string(), "application/vnd.example.thing+json"),
    )
    .await;
    let patch = ThingPatch::default().name_null();
    let updated = client(&server).patch_thing(7, &patch).await.expect("patched");
    assert_eq!(updated.id, 7);
    let request = only_request(&server).await;
    assert_eq!(content_type(&request), "application/merge-patch+json");
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&request.body).unwrap(), serde_json::json!({"name": null}));

    let server = answering("PATCH", "/things/7", ResponseTemplate::new(200).set_body_raw(thing.to_string(), "application/json")).await;
    client(&server).patch_thing(7, PatchThingBody::TextCsv("name\nseven\n")).await.expect("patched");
    let request = only_request(&server).await;
    assert_eq!(content_type(&request), "text/csv");
    assert_eq!(request.body, b"name\nseven\n");
}

#[tokio::test]
async fn a_problem_json_error_is_typed() {
    let problem = serde_json::json!({"title": "bad", "status": 400});
    let server = answering(
        "PATCH",
        "/things/1",
        ResponseTemplate::new(400).set_body_raw(problem.to_string(), "application/problem+json"),
    )
    .await;
    match client(&server).patch_thing(1, &ThingPatch::default()).await {
        Err(Error::Api(response)) => match &response.body {
            PatchThingError::BadRequest(problem) => assert_eq!(problem.title.as_deref(), Some("bad")),
        },
        other => panic!("a documented 400: {other:?}"),
    }
}

#[tokio::test]
async fn json_with_a_charset_is_json() {
    let server = answering(
        "GET",
        "/things/3",
        ResponseTemplate::new(200).set_body_raw(r#"{"id":3}"#, "application/json; charset=utf-8"),
    )
    .await;
    assert_eq!(client(&server).get_thing(3).await.expect("got").id, 3);
}

#[tokio::test]
async fn multipart_parts_are_files_text_json_and_repeated_values() {
    let server = answering("POST", "/uploads", ResponseTemplate::new(201)).await;
    let form = CreateUploadForm::new(FilePart::new("a.txt", b"file body".to_vec()).content_type("text/plain"))
        .title("A title")
        .meta(Meta::default().author("ada"))
        .tags(vec!["x".to_string(), "y".to_string()]);
    client(&server).create_upload(&form).await.expect("uploaded");
    let request = only_request(&server).await;
    assert!(content_type(&request).starts_with("multipart/form-data; boundary="));
    let body = String::from_utf8(request.body.clone()).expect("a text body");
    assert!(body.contains("name=\"file\"; filename=\"a.txt\"") && body.contains("file body"), "{body}");
    assert!(body.contains("name=\"title\"\r\n\r\nA title"), "{body}");
    assert!(body.contains("name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{\"author\":\"ada\"}"), "{body}");
    assert_eq!(body.matches("name=\"tags\"").count(), 2, "{body}");
}

/// A server that answers the first request with `101 Switching Protocols`, then echoes.
async fn upgrading_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("a connection");
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            socket.read_exact(&mut byte).await.expect("the request");
            head.push(byte[0]);
        }
        socket
            .write_all(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
            .await
            .unwrap();
        let mut buffer = [0u8; 4];
        socket.read_exact(&mut buffer).await.expect("the client's bytes");
        socket.write_all(&buffer).await.unwrap();
    });
    format!("http://{address}")
}

#[tokio::test]
async fn a_101_gives_the_connection_to_speak_the_new_protocol() {
    let base = upgrading_server().await;
    let client = Client::new().unwrap().with_base_url(base.parse().unwrap());
    let upgraded = client.open_stream().await.expect("switched");
    assert_eq!(upgraded.status.as_u16(), 101);
    let mut connection = upgraded.connection().await.expect("the connection");
    connection.write_all(b"ping").await.unwrap();
    let mut echoed = [0u8; 4];
    connection.read_exact(&mut echoed).await.unwrap();
    assert_eq!(&echoed, b"ping");
}

#[tokio::test]
async fn a_refused_upgrade_is_its_documented_error() {
    let server = answering("GET", "/stream", ResponseTemplate::new(426)).await;
    match client(&server).open_stream().await {
        Err(Error::Api(response)) => assert_eq!(response.body, OpenStreamError::UpgradeRequired),
        other => panic!("a documented 426: {other:?}"),
    }
}
