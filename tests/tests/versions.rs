//! OpenAPI 3.1 and 3.2 in the IR: webhooks, `examples` arrays read by lint and by the
//! example tests alike, `$anchor` references, the `QUERY` method and additional
//! operations; and the 3.2 features that are refused, by name.

use codegen_tests::fixtures;
use generator::ir::{Api, ModelKind, ResponseBody, TypeRef};

fn lower(fixture: &str) -> Api {
    let spec = generator::load::load(&fixtures("ok").join(fixture))
        .unwrap_or_else(|error| panic!("{fixture} loads:\n{error}"));
    generator::lower::lower(&spec).unwrap_or_else(|error| panic!("{fixture} lowers:\n{error}"))
}

fn messages(fixture: &str) -> Vec<String> {
    match generator::generate(
        &fixtures("err").join(fixture),
        &generator::Settings::new("x", "x"),
    ) {
        Ok(_) => panic!("{fixture} generated, but it should have been refused"),
        Err(error) => error.diagnostics().iter().map(|d| d.to_string()).collect(),
    }
}

#[test]
fn each_webhook_gets_its_payload_type_and_a_decoder_in_spec_order() {
    let api = lower("openapi-3-1.yaml");
    let webhooks: Vec<(&str, &str, Option<&str>, &ResponseBody)> = api
        .webhooks
        .iter()
        .map(|w| {
            (
                w.name.as_str(),
                w.method.as_str(),
                w.decode_fn.as_deref(),
                &w.body,
            )
        })
        .collect();
    assert_eq!(
        webhooks,
        [
            (
                "petAdopted",
                "POST",
                Some("pet_adopted"),
                &ResponseBody::Json(TypeRef::Named("Adoption".into()))
            ),
            (
                "kennelNote",
                "POST",
                Some("kennel_note"),
                &ResponseBody::Text
            ),
            ("heartbeat", "POST", None, &ResponseBody::Empty),
        ]
    );
    assert_eq!(api.webhook_models, ["Adoption"]);
    assert_eq!(api.webhooks[0].media_types, ["application/json"]);
}

#[test]
fn a_description_with_only_webhooks_has_a_client_without_operations() {
    let api = lower("webhooks-only.yaml");
    assert!(api.operations.is_empty());
    assert_eq!(api.webhooks.len(), 2);
    assert_eq!(
        api.webhooks[1].body,
        ResponseBody::Bytes,
        "an octet stream has nothing to decode"
    );
    assert!(
        !api.runtime.has(generator::ir::Piece::Requests),
        "nothing builds requests"
    );
}

#[test]
fn examples_arrays_are_read_by_lint_and_by_the_example_tests_alike() {
    let spec = generator::load::load(&fixtures("ok").join("openapi-3-1.yaml")).expect("loads");
    let flagged: Vec<String> = generator::lint::lint(&spec)
        .into_iter()
        .map(|d| d.pointer)
        .collect();
    assert_eq!(
        flagged,
        ["#/components/schemas/Photo/examples/1"],
        "the one without `data`"
    );
    let api = generator::lower::lower(&spec).expect("lowers");
    let tested: Vec<&str> = api
        .examples
        .iter()
        .map(|case| case.pointer.as_str())
        .collect();
    for pointer in [
        "#/components/schemas/Pet/examples/0",
        "#/components/schemas/Pet/properties/name/examples/1",
        "#/components/schemas/Photo/examples/0",
        "#/webhooks/petAdopted/post/requestBody/content/application~1json/examples/ada/value",
    ] {
        assert!(
            tested.contains(&pointer),
            "{pointer} is tested: {tested:#?}"
        );
    }
    assert!(
        !tested.contains(&"#/components/schemas/Photo/examples/1"),
        "{tested:#?}"
    );
}

#[test]
fn an_anchor_reference_is_the_schema_that_declares_it() {
    let api = lower("openapi-3-1.yaml");
    let pet = api
        .models
        .iter()
        .find(|m| m.rust_name == "Pet")
        .expect("Pet");
    let ModelKind::Struct(shape) = &pet.kind else {
        panic!("Pet is a struct")
    };
    let species = shape
        .fields
        .iter()
        .find(|f| f.wire_name == "species")
        .expect("species");
    assert_eq!(species.ty, TypeRef::Named("Species".into()));
}

#[test]
fn an_anchor_no_schema_declares_is_reported_at_the_ref() {
    let messages = messages("missing-anchor.yaml");
    assert_eq!(messages.len(), 1, "{messages:#?}");
    assert!(
        messages[0].contains("the anchor `species`"),
        "{}",
        messages[0]
    );
    assert!(
        messages[0].contains("#/components/schemas/Pet/properties/species/$ref"),
        "{}",
        messages[0]
    );
}

#[test]
fn query_and_additional_operations_keep_their_methods() {
    let api = lower("openapi-3-2.yaml");
    let methods: Vec<(&str, &str, bool)> = api
        .operations
        .iter()
        .map(|op| {
            (
                op.rust_name.as_str(),
                op.method.as_str(),
                op.standard_method,
            )
        })
        .collect();
    assert_eq!(
        methods,
        [
            ("link_document", "LINK", false),
            ("search_documents", "QUERY", false)
        ]
    );
}

#[test]
fn refused_3_2_features_are_named() {
    let messages = messages("openapi-3-2-unsupported.yaml");
    for feature in [
        "`in: querystring` (OpenAPI 3.2)",
        "`itemSchema` (OpenAPI 3.2 sequential media types)",
    ] {
        assert!(
            messages.iter().any(|m| m.contains(feature)),
            "{feature} is named: {messages:#?}"
        );
    }
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`LINK` is not a field of a path item")
                && m.contains("additionalOperations")),
        "a method outside `additionalOperations` is pointed to it: {messages:#?}"
    );
}
