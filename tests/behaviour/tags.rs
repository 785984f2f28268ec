//! Behaviour of `tests/fixtures/ok/tags.yaml`'s client on a loopback server, feature by
//! feature: the compile check also runs these tests with one tag's feature at a time, so
//! each test names only what its feature compiles.

use fixture_tags::*;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::new(
        Credentials::new()
            .bearer_auth("pets-token")
            .store_key("store-key"),
    )
    .expect("a client")
    .with_base_url(server.uri().parse().expect("the server's URL"))
}

#[tokio::test]
async fn an_untagged_operation_is_in_every_build() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/health"))
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(client(&server).health().await.expect("up"), "ok");
}

#[cfg(feature = "pets")]
#[tokio::test]
async fn pets_lists_with_the_bearer_token_and_creates_with_a_form() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets"))
        .and(wiremock::matchers::header("authorization", "Bearer pets-token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(r#"[{"id":7,"name":"Rex","kind":"ferret"}]"#, "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/pets"))
        .and(wiremock::matchers::body_string_contains("name=Rex"))
        .respond_with(
            ResponseTemplate::new(201).set_body_raw(r#"{"id":8,"name":"Rex"}"#, "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let pets = client
        .list_pets(&ListPetsParams::default())
        .await
        .expect("the pets");
    assert_eq!(pets[0].name, "Rex");
    assert_eq!(pets[0].kind, Some(PetKind::Other("ferret".to_string())));
    let created = client.create_pet(&NewPet::new("Rex")).await.expect("created");
    assert_eq!(created.id, 8);
}

#[cfg(feature = "store")]
#[tokio::test]
async fn store_sends_its_key_and_keeps_a_null_note_apart_from_none() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/store/orders"))
        .and(wiremock::matchers::header("x-store-key", "store-key"))
        .and(wiremock::matchers::body_string_contains(r#""note":null"#))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(r#"{"petId":7,"note":null}"#, "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let order = Order::new(7).note_null();
    let placed = client(&server).place_order(&order).await.expect("placed");
    assert_eq!(placed.note, Nullable::Null);
    assert!(server
        .received_requests()
        .await
        .expect("recorded")
        .iter()
        .all(|request| !request.headers.contains_key("authorization")));
}

#[cfg(feature = "users")]
#[tokio::test]
async fn users_decodes_base64_bytes() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/users/ada"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(r#"{"username":"ada","avatar":"aGk="}"#, "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let user = client(&server)
        .get_user("ada", &GetUserParams::default())
        .await
        .expect("the user");
    assert_eq!(user.avatar.map(|bytes| bytes.0), Some(b"hi".to_vec()));
}

#[cfg(feature = "pet-media")]
#[tokio::test]
async fn pet_media_alone_streams_a_photo() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets/7/photo"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(vec![1u8, 2, 3], "image/png"))
        .expect(1)
        .mount(&server)
        .await;
    let mut stream = client(&server).get_pet_photo_stream(7).await.expect("a stream");
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.chunk().await.expect("a chunk") {
        bytes.extend_from_slice(&chunk);
    }
    assert_eq!(bytes, [1, 2, 3]);
}
