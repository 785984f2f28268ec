//! Behaviour of the generated models: the spec's own examples decode and re-encode without
//! loss, the builder writes the documented request, unknown fields survive, and the three
//! special shapes (three-state nullables, open enums, untagged unions) keep what they read.

use highlevel_contacts::{
    BadRequest, Contact, ContactCustomField, CreateContactRequest, CreateContactResponse,
    CustomFieldInput, CustomFieldValue, DndSetting, DndSettings, DndStatus, InboundDndSetting,
    InboundDndSettings, InboundDndStatus, Nullable, Unauthorized, UnprocessableEntity,
};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// The main spec, loaded by the generator's own loader and turned into JSON so that
/// examples can be reached with JSON pointers.
fn spec() -> Value {
    let spec = generator::load::load(&codegen_tests::main_spec())
        .unwrap_or_else(|e| panic!("spec/create-contact.yaml does not load:\n{e}"));
    spec.bundled
}

fn pointer(spec: &Value, pointer: &str) -> Value {
    spec.pointer(pointer)
        .unwrap_or_else(|| panic!("the spec has nothing at {pointer}"))
        .clone()
}

const REQUEST_EXAMPLE: &str =
    "/components/requestBodies/CreateContact/content/application~1json/example";
const CREATED_EXAMPLE: &str =
    "/paths/~1contacts~1/post/responses/201/content/application~1json/example";
const BAD_REQUEST_EXAMPLE: &str =
    "/components/responses/BadRequest/content/application~1json/example";
const UNAUTHORIZED_EXAMPLE: &str =
    "/components/responses/Unauthorized/content/application~1json/example";
const UNPROCESSABLE_EXAMPLE: &str =
    "/components/responses/UnprocessableEntity/content/application~1json/example";

fn request_example() -> Value {
    pointer(&spec(), REQUEST_EXAMPLE)
}

fn created_example() -> Value {
    pointer(&spec(), CREATED_EXAMPLE)
}

/// Decodes `$value` as `$ty`, re-encodes it, and asserts nothing changed, both through
/// `serde_json::Value` and through bytes (the way the client reads bodies). Evaluates to
/// the decoded value. (A macro because `serde` itself is not a dependency of this crate.)
macro_rules! assert_roundtrip {
    ($ty:ty, $value:expr) => {{
        let value: &Value = $value;
        let decoded: $ty = serde_json::from_value(value.clone())
            .unwrap_or_else(|e| panic!("{value} does not decode as {}: {e}", stringify!($ty)));
        let reencoded = serde_json::to_value(&decoded).expect("re-encodes");
        assert_eq!(
            &reencoded,
            value,
            "{} lost or changed something on the round trip",
            stringify!($ty)
        );
        let bytes = serde_json::to_vec(value).expect("encodes");
        let from_bytes: $ty = serde_json::from_slice(&bytes).expect("decodes from bytes");
        assert_eq!(
            from_bytes, decoded,
            "decoding from bytes and from a Value disagree"
        );
        assert_eq!(
            serde_json::to_vec(&from_bytes).expect("re-encodes"),
            bytes,
            "{} changed the bytes on the round trip",
            stringify!($ty)
        );
        decoded
    }};
}

/// The JSON blocks of the seed page: the request (after `--data '`) and the 201 response.
fn seed_blocks(text: &str) -> Vec<Value> {
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("\n{") {
        let tail = &rest[start + 1..];
        let mut stream = serde_json::Deserializer::from_str(tail).into_iter::<Value>();
        let value = stream
            .next()
            .expect("a `{` at the start of a line opens a JSON block")
            .expect("the JSON block of the seed page parses");
        let consumed = stream.byte_offset();
        blocks.push(value);
        rest = &tail[consumed..];
    }
    blocks
}

/// The request and 201 blocks of the seed page, or `None` when `../shared` is absent.
fn seed() -> Option<(Value, Value)> {
    let shared = codegen_tests::shared()?;
    let text = std::fs::read_to_string(shared.join("seed/create-contact.txt"))
        .expect("../shared/seed/create-contact.txt is readable");
    let blocks = seed_blocks(&text);
    assert_eq!(
        blocks.len(),
        2,
        "the seed page holds exactly two JSON blocks (request, 201 response)"
    );
    let mut blocks = blocks.into_iter();
    Some((blocks.next().unwrap(), blocks.next().unwrap()))
}

fn active_setting() -> DndSetting {
    DndSetting::new(DndStatus::Active)
        .message("<string>")
        .code("<string>")
}

/// The documented request, written with the builder.
fn built_request() -> CreateContactRequest {
    CreateContactRequest::new("ve9EPM428h8vShlRW1KT")
        .first_name("Rosan")
        .last_name("Deo")
        .name("Rosan Deo")
        .email("rosan@deos.com")
        .gender("male")
        .phone("+1 888-888-8888")
        .address1("3535 1st St N")
        .city("Dolomite")
        .state("AL")
        .postal_code("35061")
        .website("https://www.tesla.com")
        .timezone("America/Chihuahua")
        .dnd(true)
        .dnd_settings(
            DndSettings::default()
                .call(active_setting())
                .email(active_setting())
                .sms(active_setting())
                .whats_app(active_setting())
                .gmb(active_setting())
                .fb(active_setting()),
        )
        .inbound_dnd_settings(
            InboundDndSettings::default().all(InboundDndSetting::new("active").message("<string>")),
        )
        .tags(vec![
            "nisi sint commodo amet".to_string(),
            "consequat".to_string(),
        ])
        .custom_fields(vec![CustomFieldInput::new("6dvNaf7VhkQ9snc5vnjJ")
            .key("my_custom_field")
            .field_value("My Text")])
        .source("public api")
        .date_of_birth("1990-09-25")
        .country("US")
        .company_name("DGS VolMAX")
        .assigned_to("y0BeYjuRIlDwsDcOHOJo")
}

// ---------------------------------------------------------------------------------------
// The spec's examples
// ---------------------------------------------------------------------------------------

#[test]
fn request_example_roundtrips_through_create_contact_request() {
    let example = request_example();
    let request = assert_roundtrip!(CreateContactRequest, &example);
    assert_eq!(request.location_id, "ve9EPM428h8vShlRW1KT");
    assert_eq!(request.first_name, Nullable::Value("Rosan".to_string()));
    assert_eq!(request.dnd, Some(true));
    let sms = request
        .dnd_settings
        .as_ref()
        .and_then(|s| s.sms.as_ref())
        .expect("SMS setting");
    assert_eq!(sms.status, DndStatus::Active);
    assert_eq!(
        request
            .inbound_dnd_settings
            .as_ref()
            .and_then(|s| s.all.as_ref())
            .map(|a| &a.status),
        Some(&InboundDndStatus::Active)
    );
    let custom = &request.custom_fields.as_ref().expect("custom fields")[0];
    assert_eq!(
        custom.field_value,
        Some(CustomFieldValue::Text("My Text".to_string()))
    );
    // The builder's value is the very same request.
    assert_eq!(request, built_request());
}

#[test]
fn builder_writes_exactly_the_documented_request() {
    // The seed page's request when it is available, the spec's example otherwise (the two
    // are compared with each other in `spec_examples_match_the_seed_page`).
    let expected = match seed() {
        Some((request, _)) => request,
        None => {
            println!("skipped: ../shared is absent; comparing with the spec's example instead");
            request_example()
        }
    };
    let built = built_request();
    assert_eq!(serde_json::to_value(&built).expect("encodes"), expected);
    // Byte for byte, in the documented key order.
    assert_eq!(
        serde_json::to_string(&built).expect("encodes"),
        serde_json::to_string(&expected).expect("encodes")
    );
}

#[test]
fn builder_with_only_the_required_field_sends_only_location_id() {
    let request = CreateContactRequest::new("loc-1");
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({"locationId": "loc-1"})
    );
}

#[test]
fn created_example_roundtrips_through_create_contact_response() {
    let example = created_example();
    let response = assert_roundtrip!(CreateContactResponse, &example);
    assert!(
        response.extra.is_empty(),
        "every documented field has a home: {:?}",
        response.extra
    );
    let contact = response.contact.expect("contact");
    assert!(
        contact.extra.is_empty(),
        "every documented contact field has a home: {:?}",
        contact.extra
    );
    assert_eq!(contact.id.as_deref(), Some("seD4PfOuKoVMLkEZqohJ"));
    assert_eq!(contact.type_.as_deref(), Some("read"));
    assert_eq!(contact.birth_month, Some(8));
    assert_eq!(contact.birth_day, Some(25));
    assert_eq!(contact.offers, Some(vec![]));
    assert_eq!(
        contact
            .dnd_settings
            .as_ref()
            .and_then(|s| s.fb.as_ref())
            .map(|s| &s.status),
        Some(&DndStatus::Active)
    );
    assert_eq!(
        contact.custom_fields,
        Some(vec![ContactCustomField {
            id: Some("MgobCB14YMVKuE4Ka8p1".to_string()),
            value: Some(CustomFieldValue::Text("name".to_string())),
            extra: Default::default(),
        }])
    );
}

#[test]
fn undocumented_response_fields_survive_and_are_readable() {
    let mut body = created_example();
    body["traceId"] = json!("a1b2c3");
    body["contact"]["additionalEmails"] = json!(["second@deos.com", "third@deos.com"]);
    body["contact"]["attributionSource"] =
        json!({"url": "https://example.com/form", "medium": "form", "sessionSource": "CRM UI"});
    body["contact"]["dndSettings"]["SMS"]["updatedAt"] = json!("2024-01-02T03:04:05.000Z");
    body["contact"]["dndSettings"]["Instagram"] = json!({"status": "inactive"});
    body["contact"]["customFields"][0]["fieldKey"] = json!("contact.name");

    let response = assert_roundtrip!(CreateContactResponse, &body);

    assert_eq!(response.extra.get("traceId"), Some(&json!("a1b2c3")));
    assert_eq!(response.extra.len(), 1);
    let contact: &Contact = response.contact.as_ref().expect("contact");
    assert_eq!(
        contact.extra.get("additionalEmails"),
        Some(&json!(["second@deos.com", "third@deos.com"]))
    );
    assert_eq!(
        contact
            .extra
            .get("attributionSource")
            .and_then(|s| s.get("medium")),
        Some(&json!("form"))
    );
    assert_eq!(
        contact.extra.len(),
        2,
        "only the undocumented fields land in `extra`: {:?}",
        contact.extra
    );
    let settings = contact.dnd_settings.as_ref().expect("dndSettings");
    let sms = settings.sms.as_ref().expect("SMS");
    assert_eq!(sms.status, DndStatus::Active);
    assert_eq!(
        sms.extra.get("updatedAt"),
        Some(&json!("2024-01-02T03:04:05.000Z"))
    );
    assert_eq!(
        settings.extra.get("Instagram"),
        Some(&json!({"status": "inactive"}))
    );
    let custom = &contact.custom_fields.as_ref().expect("customFields")[0];
    assert_eq!(custom.extra.get("fieldKey"), Some(&json!("contact.name")));
}

#[test]
fn response_with_nulls_and_missing_fields_still_decodes() {
    let body = json!({"contact": {"id": "c1", "email": null, "tags": null, "dndSettings": {}}});
    let response: CreateContactResponse = serde_json::from_value(body).expect("decodes");
    let contact = response.contact.expect("contact");
    assert_eq!(contact.id.as_deref(), Some("c1"));
    assert_eq!(contact.email, None);
    assert_eq!(contact.tags, None);
    assert_eq!(contact.dnd_settings, Some(DndSettings::default()));
    let empty: CreateContactResponse =
        serde_json::from_value(json!({})).expect("an empty object decodes");
    assert_eq!(empty, CreateContactResponse::default());
}

#[test]
fn error_examples_roundtrip_through_their_types() {
    let spec = spec();

    let bad = assert_roundtrip!(BadRequest, &pointer(&spec, BAD_REQUEST_EXAMPLE));
    assert_eq!(bad.status_code, Some(400));
    assert_eq!(bad.message.as_deref(), Some("Bad Request"));
    assert_eq!(bad.error.as_deref(), Some("Bad Request"));

    let unauthorized = assert_roundtrip!(Unauthorized, &pointer(&spec, UNAUTHORIZED_EXAMPLE));
    assert_eq!(unauthorized.status_code, Some(401));
    assert_eq!(
        unauthorized.message.as_deref(),
        Some("Invalid token: access token is invalid")
    );
    assert_eq!(unauthorized.error.as_deref(), Some("Unauthorized"));

    let unprocessable =
        assert_roundtrip!(UnprocessableEntity, &pointer(&spec, UNPROCESSABLE_EXAMPLE));
    assert_eq!(unprocessable.status_code, Some(422));
    assert_eq!(
        unprocessable.message,
        Some(vec!["Unprocessable Entity".to_string()])
    );
    assert_eq!(unprocessable.error.as_deref(), Some("Unprocessable Entity"));

    // Extra fields on error bodies are kept too.
    let with_extra = json!({"statusCode": 422, "message": ["a", "b"], "error": "Unprocessable Entity", "traceId": "t-1"});
    let decoded = assert_roundtrip!(UnprocessableEntity, &with_extra);
    assert_eq!(decoded.extra.get("traceId"), Some(&json!("t-1")));
}

#[test]
fn spec_examples_match_the_seed_page() {
    let Some((seed_request, seed_created)) = seed() else {
        println!("skipped: ../shared is absent");
        return;
    };
    assert_eq!(
        request_example(),
        seed_request,
        "the spec's request example differs from the seed page"
    );
    assert_eq!(
        created_example(),
        seed_created,
        "the spec's 201 example differs from the seed page"
    );
    // And the seed's own bodies go through the generated types unchanged.
    let _ = assert_roundtrip!(CreateContactRequest, &seed_request);
    let _ = assert_roundtrip!(CreateContactResponse, &seed_created);
}

#[test]
fn seed_block_parser_finds_nested_blocks() {
    // The parser used above must not stop at the first inner `}`.
    let text = "curl --data '\n{\n  \"a\": {\"b\": 1}\n}\n'\n{\n  \"c\": [1, {\"d\": 2}]\n}\n\nAuthorizations\n";
    assert_eq!(
        seed_blocks(text),
        vec![json!({"a": {"b": 1}}), json!({"c": [1, {"d": 2}]})]
    );
}

// ---------------------------------------------------------------------------------------
// Three-state nullables
// ---------------------------------------------------------------------------------------

#[test]
fn nullable_absent_null_and_value_stay_apart_when_decoding() {
    let absent: CreateContactRequest =
        serde_json::from_value(json!({"locationId": "loc"})).unwrap();
    assert_eq!(absent.first_name, Nullable::Absent);
    assert!(absent.first_name.is_absent());

    let null: CreateContactRequest =
        serde_json::from_value(json!({"locationId": "loc", "firstName": null})).unwrap();
    assert_eq!(null.first_name, Nullable::Null);
    assert!(null.first_name.is_null());
    assert_eq!(null.first_name.value(), None);

    let value: CreateContactRequest =
        serde_json::from_value(json!({"locationId": "loc", "firstName": "Rosan"})).unwrap();
    assert_eq!(value.first_name, Nullable::Value("Rosan".to_string()));
    assert_eq!(value.first_name.value().map(String::as_str), Some("Rosan"));

    // A wrong type is an error, not silently Absent or Null.
    assert!(serde_json::from_value::<CreateContactRequest>(
        json!({"locationId": "loc", "firstName": 5})
    )
    .is_err());
}

#[test]
fn nullable_absent_null_and_value_stay_apart_when_encoding() {
    let mut request = CreateContactRequest::new("loc");

    request.first_name = Nullable::Absent;
    let encoded = serde_json::to_value(&request).unwrap();
    assert!(
        encoded.get("firstName").is_none(),
        "Absent must leave the key out: {encoded}"
    );
    assert_eq!(encoded, json!({"locationId": "loc"}));

    request.first_name = Nullable::Null;
    let encoded = serde_json::to_value(&request).unwrap();
    assert_eq!(encoded, json!({"locationId": "loc", "firstName": null}));
    assert!(serde_json::to_string(&request)
        .unwrap()
        .contains("\"firstName\":null"));

    request.first_name = Nullable::Value("Rosan".to_string());
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({"locationId": "loc", "firstName": "Rosan"})
    );

    // Every nullable field round-trips its `null`.
    let all_null = json!({
        "locationId": "loc", "firstName": null, "lastName": null, "name": null, "email": null,
        "phone": null, "address1": null, "city": null, "state": null, "website": null,
        "timezone": null, "dateOfBirth": null, "companyName": null
    });
    let decoded = assert_roundtrip!(CreateContactRequest, &all_null);
    assert_eq!(decoded.company_name, Nullable::Null);
    assert_eq!(decoded.date_of_birth, Nullable::Null);
}

#[test]
fn builder_null_setters_send_null() {
    let request = CreateContactRequest::new("loc")
        .first_name_null()
        .email_null()
        .company_name_null();
    assert_eq!(request.first_name, Nullable::Null);
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({"locationId": "loc", "firstName": null, "email": null, "companyName": null})
    );
    // The last call wins: a value after null, null after a value.
    let request = CreateContactRequest::new("loc")
        .first_name_null()
        .first_name("Rosan")
        .last_name("Deo")
        .last_name_null();
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({"locationId": "loc", "firstName": "Rosan", "lastName": null})
    );
}

#[test]
fn non_nullable_optional_fields_reject_null_or_omit_it() {
    // `gender` is optional but not nullable: `None` leaves it out (never `null`).
    let request = CreateContactRequest::new("loc");
    assert_eq!(request.gender, None);
    assert!(serde_json::to_value(&request)
        .unwrap()
        .get("gender")
        .is_none());
}

#[test]
fn nullable_helpers_behave() {
    assert_eq!(Nullable::<i32>::default(), Nullable::Absent);
    assert_eq!(Nullable::from_option(Some(3)), Nullable::Value(3));
    assert_eq!(Nullable::<i32>::from_option(None), Nullable::Null);
    assert_eq!(Nullable::from(4), Nullable::Value(4));
    assert_eq!(Nullable::Value(5).into_value(), Some(5));
    assert_eq!(Nullable::<i32>::Null.into_value(), None);
    assert_eq!(Nullable::<i32>::Absent.into_value(), None);
}

// ---------------------------------------------------------------------------------------
// Open enums
// ---------------------------------------------------------------------------------------

#[test]
fn known_dnd_status_values_map_to_their_variants() {
    for (text, variant) in [
        ("active", DndStatus::Active),
        ("inactive", DndStatus::Inactive),
        ("permanent", DndStatus::Permanent),
    ] {
        let decoded: DndStatus = serde_json::from_value(json!(text)).unwrap();
        assert_eq!(decoded, variant);
        assert_eq!(serde_json::to_value(&decoded).unwrap(), json!(text));
        assert_eq!(decoded.as_str(), text);
        assert_eq!(decoded.to_string(), text);
        assert_eq!(DndStatus::from(text), variant);
        assert_eq!(DndStatus::from(text.to_string()), variant);
    }
    for (text, variant) in [
        ("active", InboundDndStatus::Active),
        ("inactive", InboundDndStatus::Inactive),
    ] {
        let decoded: InboundDndStatus = serde_json::from_value(json!(text)).unwrap();
        assert_eq!(decoded, variant);
        assert_eq!(serde_json::to_value(&decoded).unwrap(), json!(text));
    }
}

#[test]
fn unknown_dnd_status_keeps_its_string_and_reencodes_unchanged() {
    let decoded: DndStatus = serde_json::from_value(json!("paused")).unwrap();
    assert_eq!(decoded, DndStatus::Other("paused".to_string()));
    assert_eq!(decoded.as_str(), "paused");
    assert_eq!(serde_json::to_value(&decoded).unwrap(), json!("paused"));

    // Matching is exact: a different case is not the known value.
    let upper: DndStatus = serde_json::from_value(json!("ACTIVE")).unwrap();
    assert_eq!(upper, DndStatus::Other("ACTIVE".to_string()));
    assert_eq!(serde_json::to_value(&upper).unwrap(), json!("ACTIVE"));

    // Inside a full response too.
    let mut body = created_example();
    body["contact"]["dndSettings"]["Call"]["status"] = json!("paused");
    let response = assert_roundtrip!(CreateContactResponse, &body);
    let call = response
        .contact
        .and_then(|c| c.dnd_settings)
        .and_then(|s| s.call)
        .expect("Call setting");
    assert_eq!(call.status, DndStatus::Other("paused".to_string()));

    let inbound: InboundDndStatus = serde_json::from_value(json!("snoozed")).unwrap();
    assert_eq!(inbound, InboundDndStatus::Other("snoozed".to_string()));
    assert_eq!(serde_json::to_value(&inbound).unwrap(), json!("snoozed"));

    // Still a string type: a number is rejected.
    assert!(serde_json::from_value::<DndStatus>(json!(1)).is_err());
}

// ---------------------------------------------------------------------------------------
// Unions
// ---------------------------------------------------------------------------------------

#[test]
fn custom_field_value_decodes_each_shape_into_its_variant() {
    let cases = [
        (
            json!("My Text"),
            CustomFieldValue::Text("My Text".to_string()),
        ),
        (json!(12.5), CustomFieldValue::Number(12.5)),
        (json!(-0.25), CustomFieldValue::Number(-0.25)),
        (
            json!(["red", "green"]),
            CustomFieldValue::Options(vec!["red".to_string(), "green".to_string()]),
        ),
        (json!([]), CustomFieldValue::Options(vec![])),
        (
            json!({"upload-1": {"url": "https://example.com/a.pdf", "meta": {"size": 10}}}),
            CustomFieldValue::Files(
                json!({"upload-1": {"url": "https://example.com/a.pdf", "meta": {"size": 10}}})
                    .as_object()
                    .unwrap()
                    .clone(),
            ),
        ),
        (json!({}), CustomFieldValue::Files(serde_json::Map::new())),
    ];
    for (value, expected) in cases {
        let decoded = assert_roundtrip!(CustomFieldValue, &value);
        assert_eq!(decoded, expected, "{value} decoded into the wrong variant");
    }
    // Shapes the spec does not list are kept as received instead of failing the whole body.
    for value in [json!(true), json!(null), json!([1, 2])] {
        let decoded = assert_roundtrip!(CustomFieldValue, &value);
        assert_eq!(
            decoded,
            CustomFieldValue::Other(value.clone()),
            "{value} is not kept as Other"
        );
    }
}

#[test]
fn custom_field_value_whole_numbers_stay_whole() {
    // Numeric custom fields usually hold whole numbers; 42 must not come back as 42.0.
    let decoded = assert_roundtrip!(CustomFieldValue, &json!(42));
    assert_eq!(decoded, CustomFieldValue::Integer(42));
    let decoded = assert_roundtrip!(CustomFieldValue, &json!(100.5));
    assert_eq!(decoded, CustomFieldValue::Number(100.5));
    let mut body = created_example();
    body["contact"]["customFields"][0]["value"] = json!(42);
    assert_roundtrip!(CreateContactResponse, &body);
}

#[test]
fn an_undocumented_custom_field_value_does_not_fail_the_contact() {
    let mut body = created_example();
    body["contact"]["customFields"][0]["value"] = json!(true);
    let decoded = assert_roundtrip!(CreateContactResponse, &body);
    let fields = decoded.contact.unwrap().custom_fields.unwrap();
    assert_eq!(fields[0].value, Some(CustomFieldValue::Other(json!(true))));
}

#[test]
fn custom_field_values_inside_request_and_response_roundtrip() {
    let request = json!({
        "locationId": "loc",
        "customFields": [
            {"id": "a", "key": "text", "field_value": "hello"},
            {"id": "b", "key": "money", "field_value": 19.99},
            {"id": "c", "key": "boxes", "field_value": ["x", "y"]},
            {"id": "d", "key": "file", "field_value": {"u1": {"name": "f.txt"}}}
        ]
    });
    let decoded = assert_roundtrip!(CreateContactRequest, &request);
    let values: Vec<_> = decoded
        .custom_fields
        .unwrap()
        .into_iter()
        .map(|f| f.field_value.unwrap())
        .collect();
    assert!(matches!(values[0], CustomFieldValue::Text(_)));
    assert!(matches!(values[1], CustomFieldValue::Number(n) if n == 19.99));
    assert!(matches!(&values[2], CustomFieldValue::Options(o) if o.len() == 2));
    assert!(matches!(&values[3], CustomFieldValue::Files(f) if f.contains_key("u1")));

    let mut body = created_example();
    body["contact"]["customFields"] = json!([
        {"id": "a", "value": "name"},
        {"id": "b", "value": 3.5},
        {"id": "c", "value": ["one"]},
        {"id": "d", "value": {"u1": {"name": "f.txt"}}}
    ]);
    let response = assert_roundtrip!(CreateContactResponse, &body);
    let stored = response.contact.unwrap().custom_fields.unwrap();
    assert_eq!(stored[1].value, Some(CustomFieldValue::Number(3.5)));
    assert_eq!(
        stored[2].value,
        Some(CustomFieldValue::Options(vec!["one".to_string()]))
    );

    // The builder's `field_value` takes every shape through `Into`.
    let inputs = [
        CustomFieldInput::new("a").field_value("text"),
        CustomFieldInput::new("b").field_value(2.5),
        CustomFieldInput::new("c").field_value(vec!["x".to_string()]),
        CustomFieldInput::new("d").field_value(json!({"u": 1}).as_object().unwrap().clone()),
    ];
    assert_eq!(
        serde_json::to_value(inputs).unwrap(),
        json!([{"id": "a", "field_value": "text"}, {"id": "b", "field_value": 2.5}, {"id": "c", "field_value": ["x"]}, {"id": "d", "field_value": {"u": 1}}])
    );
}
