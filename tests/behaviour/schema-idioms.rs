//! Behaviour of `tests/fixtures/ok/schema-idioms.yaml`'s types: what each idiom decodes
//! to, and that it encodes back to the same JSON; and the request and response forms of a
//! type with `readOnly` and `writeOnly` properties, on a loopback server.

use fixture_schema_idioms::*;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(value: Value) -> T {
    let decoded: T = serde_json::from_value(value.clone()).expect("decodes");
    assert_eq!(serde_json::to_value(&decoded).unwrap(), value, "encodes back unchanged");
    decoded
}

#[tokio::test]
async fn read_only_properties_stay_out_of_requests_and_write_only_ones_out_of_responses() {
    let server = MockServer::start().await;
    let stored = json!({"id": 1, "name": "Rex", "createdAt": "2024-01-01T00:00:00Z", "owner": null});
    Mock::given(method("POST"))
        .and(path("/pets"))
        .respond_with(ResponseTemplate::new(201).set_body_json(stored.clone()))
        .mount(&server)
        .await;
    let client = Client::new().unwrap().with_base_url(server.uri().parse().unwrap());
    let input = PetInput::new("Rex").password("hunter2").owner_null();
    let pet: Pet = client.create_pet(&input).await.expect("created");
    assert_eq!(pet.id, 1);
    assert_eq!(pet.created_at.as_deref(), Some("2024-01-01T00:00:00Z"));
    assert!(pet.owner.is_null(), "`owner: null` is kept apart from absent");
    let sent: Value = serde_json::from_slice(&server.received_requests().await.unwrap()[0].body).unwrap();
    assert_eq!(sent, json!({"name": "Rex", "password": "hunter2", "owner": null}));
}

#[test]
fn a_documenting_all_of_is_the_type_it_wraps() {
    let pet: Pet = round_trip(json!({"id": 2, "name": "Tom", "previousOwner": {"name": "Ada"}}));
    assert_eq!(pet.previous_owner.map(|owner| owner.name).as_deref(), Some("Ada"));
}

#[test]
fn a_discriminator_with_a_mapping_picks_the_variant_by_tag() {
    match round_trip::<Event>(json!({"kind": "click", "x": 3})) {
        Event::Click(click) => assert_eq!(click.x, 3),
        other => panic!("a click: {other:?}"),
    }
    assert!(matches!(round_trip::<Event>(json!({"kind": "scroll", "delta": 1.5})), Event::Scroll(_)));
    match round_trip::<Event>(json!({"kind": "hover", "y": 1})) {
        Event::Other(value) => assert_eq!(value["kind"], "hover"),
        other => panic!("an unknown tag is kept: {other:?}"),
    }
    assert!(serde_json::from_value::<Event>(json!({"kind": "click"})).is_err(), "a click needs `x`");
}

#[test]
fn without_a_mapping_the_tag_is_the_schema_name_and_encoding_writes_it() {
    assert!(matches!(round_trip::<Shape>(json!({"shapeType": "Circle", "radius": 1.0})), Shape::Circle(_)));
    let square: Shape = serde_json::from_value(json!({"shapeType": "Square", "side": 2.0})).unwrap();
    assert!(matches!(square, Shape::Square(_)));
    // `Square` does not declare the tag: the union writes it.
    assert_eq!(serde_json::to_value(&square).unwrap()["shapeType"], "Square");
}

#[test]
fn a_base_with_a_discriminator_stands_for_the_schemas_that_extend_it() {
    match round_trip::<Catalog>(json!({"type": "INTERNAL", "name": "main", "location": "s3://x"})) {
        Catalog::Internal(catalog) => assert_eq!(catalog.location.as_deref(), Some("s3://x")),
        other => panic!("an internal catalog: {other:?}"),
    }
    assert!(matches!(round_trip::<Catalog>(json!({"type": "EXTERNAL", "name": "e", "url": "u"})), Catalog::External(_)));
}

#[test]
fn properties_beside_a_validating_one_of_are_an_object_and_all_of_beside_one_of_merges() {
    let report: Report = round_trip(json!({"from": "a", "window": {"timezone": "UTC", "days": 7}}));
    assert_eq!(report.from.as_deref(), Some("a"));
    match report.window {
        Some(Window::Variant1(window)) => {
            assert_eq!(window.timezone.as_deref(), Some("UTC"));
            assert_eq!(window.days, 7);
        }
        other => panic!("the first variant, with the shared `timezone`: {other:?}"),
    }
    let start: Report = round_trip(json!({"to": "b", "window": {"timezone": "UTC", "start": "monday"}}));
    assert!(matches!(start.window, Some(Window::Variant2(_))));
}

#[test]
fn formats_keep_their_range_and_bytes_travel_as_base64() {
    let numbers: Numbers = round_trip(json!({
        "small": -5, "big": -9007199254740993i64, "huge": u64::MAX, "ratio": 0.5,
        "payload": "aGVsbG8=", "blob": "raw", "level": 2, "anything": {"a": [1]}
    }));
    assert_eq!(numbers.small, Some(-5i32));
    assert_eq!(numbers.huge, Some(u64::MAX));
    assert_eq!(numbers.payload.as_ref().map(|b| b.0.as_slice()), Some(&b"hello"[..]));
    assert_eq!(numbers.level, Some(Level::MEDIUM));
    let unknown: Numbers = round_trip(json!({"level": 9}));
    assert_eq!(unknown.level, Some(Level(9)), "an unlisted value is kept");
    assert!(serde_json::from_value::<Numbers>(json!({"small": 3_000_000_000u64})).is_err());
}

#[test]
fn recursive_types_nest() {
    let tree: Node = round_trip(json!({"value": "root", "children": [{"value": "leaf"}], "parent": {"value": "up"}}));
    assert_eq!(tree.children.unwrap()[0].value.as_deref(), Some("leaf"));
    assert_eq!(tree.parent.unwrap().value.as_deref(), Some("up"));
}
