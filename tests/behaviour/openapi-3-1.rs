//! Behaviour of `tests/fixtures/ok/openapi-3-1.yaml`'s crate: what JSON Schema 2020-12's
//! spellings become on the wire (type arrays with `null`, type arrays as unions, `const`,
//! `contentEncoding: base64`, `prefixItems`, `$anchor`), a path item from
//! `components/pathItems`, and the decoders of webhook bodies.

use fixture_openapi_3_1::*;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(value: Value) -> T {
    let decoded: T = serde_json::from_value(value.clone()).expect("decodes");
    assert_eq!(serde_json::to_value(&decoded).unwrap(), value, "encodes back unchanged");
    decoded
}

fn rex() -> Value {
    json!({"id": 7, "name": "Rex", "species": "dog", "nickname": null})
}

#[tokio::test]
async fn an_optional_type_array_with_null_sends_absent_null_and_a_value_apart() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/pets"))
        .respond_with(ResponseTemplate::new(201).set_body_json(rex()))
        .mount(&server)
        .await;
    let client = Client::new().unwrap().with_base_url(server.uri().parse().unwrap());
    let absent = Pet::new(7, "Rex", Species::Dog, None);
    client.add_pet(&absent).await.expect("added");
    client.add_pet(&absent.clone().age_null()).await.expect("added");
    client.add_pet(&absent.age(3)).await.expect("added");
    let sent: Vec<Value> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|request| serde_json::from_slice(&request.body).unwrap())
        .collect();
    assert_eq!(sent[0], rex(), "absent: no `age` key, and the required `nickname` is null");
    assert_eq!(sent[1]["age"], Value::Null);
    assert_eq!(sent[2]["age"], 3);
}

#[test]
fn a_required_type_array_with_null_is_an_option_that_is_always_written() {
    let pet: Pet = round_trip(json!({"id": 1, "name": "Tom", "species": "cat", "nickname": "Tommy", "age": null}));
    assert_eq!(pet.nickname.as_deref(), Some("Tommy"));
    assert!(pet.age.is_null(), "`age: null` is kept apart from absent");
    // A server that leaves it out is still understood; the client always writes it.
    let without: Pet = serde_json::from_value(json!({"id": 1, "name": "Tom", "species": "cat"})).unwrap();
    assert_eq!(serde_json::to_value(&without).unwrap()["nickname"], Value::Null);
}

#[test]
fn a_type_array_of_two_types_is_a_union_of_both() {
    let number: Pet = round_trip(json!({"id": 1, "name": "A", "species": "dog", "nickname": null, "badge": 12}));
    assert!(matches!(number.badge, Some(PetBadge::Integer(12))), "{:?}", number.badge);
    let code: Pet = round_trip(json!({"id": 1, "name": "A", "species": "dog", "nickname": null, "badge": "A-12"}));
    assert!(matches!(code.badge, Some(PetBadge::String(ref c)) if c == "A-12"), "{:?}", code.badge);
}

#[test]
fn const_is_a_one_value_enum_that_keeps_other_values() {
    let pet: Pet = round_trip(json!({"id": 1, "name": "A", "species": "dog", "nickname": null, "kind": "pet"}));
    assert_eq!(pet.kind, Some(PetKind::Pet));
    let other: Pet = round_trip(json!({"id": 1, "name": "A", "species": "dog", "nickname": null, "kind": "plant"}));
    assert_eq!(other.kind.as_ref().map(PetKind::as_str), Some("plant"));
}

#[test]
fn prefix_items_are_a_tuple_and_an_anchor_ref_is_its_schema() {
    let pet: Pet = round_trip(json!({
        "id": 1, "name": "A", "species": "bird", "nickname": null,
        "position": [52.5, 13.4], "collar": {"color": "red"}
    }));
    assert_eq!(pet.position, Some((52.5, 13.4)));
    assert_eq!(pet.species, Species::Bird);
    assert_eq!(pet.collar.and_then(|collar| collar.color).as_deref(), Some("red"));
    assert!(serde_json::from_value::<Pet>(json!({"id": 1, "name": "A", "species": "dog", "nickname": null, "position": [1.0]})).is_err());
}

#[tokio::test]
async fn base64_content_inside_json_arrives_as_bytes() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets/7/photo"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": "iVBORw==", "caption": null})))
        .mount(&server)
        .await;
    let client = Client::new().unwrap().with_base_url(server.uri().parse().unwrap());
    let photo = client.get_photo(7).await.expect("a photo");
    assert_eq!(photo.data.0, vec![0x89, b'P', b'N', b'G']);
    assert!(photo.caption.is_null());
    assert_eq!(serde_json::to_value(&photo).unwrap(), json!({"data": "iVBORw==", "caption": null}));
}

#[tokio::test]
async fn a_base64_string_as_the_whole_body_is_bytes_too() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets/7/thumbnail"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!("AAEC")))
        .mount(&server)
        .await;
    let client = Client::new().unwrap().with_base_url(server.uri().parse().unwrap());
    assert_eq!(client.get_thumbnail(7).await.expect("a thumbnail").0, vec![0, 1, 2]);
}

#[tokio::test]
async fn a_path_item_from_components_is_an_operation_with_its_parameters() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets/7"))
        .respond_with(ResponseTemplate::new(200).set_body_json(rex()))
        .mount(&server)
        .await;
    let client = Client::new().unwrap().with_base_url(server.uri().parse().unwrap());
    assert_eq!(client.get_pet(7).await.expect("the pet").name, "Rex");
}

#[test]
fn webhook_bodies_decode_into_their_payload_types() {
    let body = br#"{"pet": {"id": 3, "name": "Tom", "species": "cat", "nickname": "Tommy"}, "adopter": "Ada"}"#;
    let adoption = webhooks::pet_adopted(body).expect("an adoption");
    assert_eq!(adoption.adopter, "Ada");
    assert_eq!(adoption.pet.species, Species::Cat);
    let error = webhooks::pet_adopted(br#"{"pet": 3}"#).expect_err("not an adoption");
    assert!(matches!(error, DecodeError::Json(_)), "{error:?}");
    assert_eq!(webhooks::kennel_note(b"closed on Monday").unwrap(), "closed on Monday");
    let error = webhooks::kennel_note(&[0xff, 0xfe]).expect_err("not UTF-8");
    assert!(matches!(error, DecodeError::Text(_)), "{error:?}");
}

#[test]
fn refs_inside_an_id_resolve_against_it() {
    let pet: Pet = round_trip(json!({
        "id": 1, "name": "A", "species": "dog", "nickname": null,
        "keeper": {"name": "Ada", "shift": "night", "deputy": {"name": "Bo"}}
    }));
    let keeper = pet.keeper.expect("a keeper");
    assert_eq!(keeper.name, "Ada");
    assert_eq!(keeper.shift, Some(KeeperShift::Night));
    assert_eq!(keeper.deputy.map(|deputy| deputy.name).as_deref(), Some("Bo"));
}
