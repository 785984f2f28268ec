//! Upstream HighLevel specs, fixed by reviewed overlays instead of edited copies:
//! `apps/contacts.json` with `spec/overlays/highlevel/contacts.yaml` (what stops it from
//! generating) and `spec/overlays/highlevel-contacts.yaml` (the Create Contact types)
//! yields a `create_contact` whose request and 201 types hold the seed page's examples,
//! proven by compiling the generated crate and decoding and re-encoding them. The v3
//! contacts file loads once its `../common/` references are rewritten.
//!
//! Every test prints "skipped" and passes when `../shared` is absent.

use std::path::{Path, PathBuf};
use std::process::Command;

use generator::ir::{Api, ModelKind, Operation, StatusMatch, TypeRef};
use generator::load::LoadOptions;
use serde_json::Value;

fn highlevel(shared: &Path) -> PathBuf {
    shared.join("specs/highlevel")
}

fn contacts_options(shared: &Path) -> LoadOptions {
    let overlays = codegen_tests::root().join("spec/overlays");
    LoadOptions {
        overlays: vec![
            overlays.join("highlevel/contacts.yaml"),
            overlays.join("highlevel-contacts.yaml"),
        ],
        ref_root: Some(highlevel(shared)),
        ref_rewrites: Vec::new(),
    }
}

fn contacts_api(shared: &Path) -> Api {
    let spec_path = highlevel(shared).join("apps/contacts.json");
    let spec = generator::load::load_with(&spec_path, &contacts_options(shared))
        .unwrap_or_else(|e| panic!("apps/contacts.json with the overlays does not load:\n{e}"));
    generator::lower::lower(&spec)
        .unwrap_or_else(|e| panic!("apps/contacts.json with the overlays does not lower:\n{e}"))
}

fn operation<'a>(api: &'a Api, rust_name: &str) -> &'a Operation {
    api.operations
        .iter()
        .find(|op| op.rust_name == rust_name)
        .unwrap_or_else(|| panic!("no operation `{rust_name}`"))
}

/// The name of a named type, behind a `Box` too (bodies in enums are boxed).
fn named(ty: &TypeRef) -> &str {
    match ty {
        TypeRef::Named(name) => name,
        TypeRef::Box(inner) => named(inner),
        other => panic!("expected a named type, found {other:?}"),
    }
}

/// Create Contact's request type and its 201 type, by Rust name.
fn create_contact_types(api: &Api) -> (String, String) {
    let create = operation(api, "create_contact");
    assert_eq!(create.method.to_ascii_uppercase(), "POST");
    assert_eq!(create.path, "/contacts/");
    let body = create.body.as_ref().expect("Create Contact has a body");
    let created = create
        .success
        .iter()
        .find(|response| response.status == StatusMatch::Code(201))
        .expect("Create Contact documents 201");
    let response = created
        .body
        .json()
        .expect("the 201 response has a JSON body");
    let request = match &body.contents[0].kind {
        generator::ir::BodyKind::Json(ty) => ty,
        other => panic!("Create Contact sends JSON, not {other:?}"),
    };
    (named(request).to_string(), named(response).to_string())
}

/// The JSON blocks of the seed page: the request (after `--data '`) and the 201 response.
fn seed(shared: &Path) -> (Value, Value) {
    let text = std::fs::read_to_string(shared.join("seed/create-contact.txt"))
        .expect("../shared/seed/create-contact.txt is readable");
    let mut blocks = Vec::new();
    let mut rest = text.as_str();
    while let Some(start) = rest.find("\n{") {
        let tail = &rest[start + 1..];
        let mut stream = serde_json::Deserializer::from_str(tail).into_iter::<Value>();
        let value = stream
            .next()
            .expect("a `{` at the start of a line opens a JSON block")
            .expect("the seed page's JSON block parses");
        blocks.push(value);
        rest = &tail[stream.byte_offset()..];
    }
    assert_eq!(
        blocks.len(),
        2,
        "the seed page holds a request and a 201 body"
    );
    let response = blocks.pop().expect("two blocks");
    (blocks.pop().expect("two blocks"), response)
}

#[test]
fn overlays_fix_what_create_contact_needs_in_the_ir() {
    let Some(shared) = codegen_tests::shared() else {
        println!("skipped: ../shared is absent");
        return;
    };
    let api = contacts_api(&shared);
    let (request, _) = create_contact_types(&api);
    let model = |name: &str| {
        api.models
            .iter()
            .find(|m| m.rust_name == name)
            .unwrap_or_else(|| panic!("no model `{name}`"))
    };
    let field_type = |model_name: &str, wire_name: &str| match &model(model_name).kind {
        ModelKind::Struct(fields) => fields
            .fields
            .iter()
            .find(|f| f.wire_name == wire_name)
            .map(|f| (f.ty.clone(), f.nullable))
            .unwrap_or_else(|| panic!("`{model_name}` has no `{wire_name}`")),
        other => panic!("`{model_name}` is not a struct: {other:?}"),
    };
    // Upstream types dateOfBirth as `object`; the documented value is a string.
    assert_eq!(field_type(&request, "dateOfBirth"), (TypeRef::String, true));
    // Numeric and monetary custom fields take numbers.
    for name in ["NumericField", "MonetoryField"] {
        let (ty, _) = field_type(name, "field_value");
        assert!(matches!(ty, TypeRef::F64 | TypeRef::F32), "{name}: {ty:?}");
    }
    // The status in error bodies is a whole number, and each error has its own type.
    let bad_request = operation(&api, "create_contact")
        .errors
        .iter()
        .find(|r| r.status == StatusMatch::Code(400))
        .and_then(|r| r.body.json().cloned())
        .expect("a typed 400 body");
    assert_eq!(
        field_type(named(&bad_request), "statusCode").0,
        TypeRef::I64
    );
    // Stored custom-field values keep their own type.
    let (value, _) = field_type("CustomFieldSchema", "value");
    let value = match value {
        TypeRef::Named(name) => name,
        other => panic!("CustomFieldSchema.value: {other:?}"),
    };
    assert!(
        matches!(model(&value).kind, ModelKind::Union(_)),
        "CustomFieldSchema.value should be a union"
    );
}

/// Generates the crate into a throwaway workspace with a test that round-trips the seed
/// page's request and 201 body through the generated types, and runs it, offline, in
/// `target/compile-check` (shared with the compile check).
#[test]
fn create_contact_types_hold_the_seed_examples() {
    let Some(shared) = codegen_tests::shared() else {
        println!("skipped: ../shared is absent");
        return;
    };
    let api = contacts_api(&shared);
    let (request_type, response_type) = create_contact_types(&api);
    let (request, response) = seed(&shared);

    let root = codegen_tests::root();
    let workspace = tempfile::tempdir().expect("temporary folder");
    let crate_dir = workspace.path().join("crates/hl-contacts-seed");
    let settings = generator::Settings::new(
        "hl-contacts-seed",
        "../shared/specs/highlevel/apps/contacts.json",
    );
    let files = generator::generate_from_ir(&api, &settings)
        .unwrap_or_else(|e| panic!("the fixed contacts spec does not emit:\n{e}"));
    for file in files {
        write(&crate_dir.join(&file.path), &file.contents);
    }
    write(
        &crate_dir.join("tests/seed.rs"),
        &seed_test(&request_type, &request, &response_type, &response),
    );
    write(
        &workspace.path().join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"crates/*\"]\n",
    );
    std::fs::copy(root.join("Cargo.lock"), workspace.path().join("Cargo.lock"))
        .expect("copy Cargo.lock");

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let output = Command::new(cargo)
        .args(["test", "--offline", "--test", "seed"])
        .current_dir(&crate_dir)
        .env("CARGO_TARGET_DIR", root.join("target/compile-check"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "the seed examples do not round-trip through {request_type} and {response_type}:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("test result: ok. 2 passed"),
        "expected both seed tests to run:\n{stdout}"
    );
}

fn write(path: &Path, contents: &str) {
    std::fs::create_dir_all(path.parent().expect("a file in a folder")).expect("create folder");
    std::fs::write(path, contents).expect("write file");
}

/// A test file for the generated crate: each example decodes into its type and encodes
/// back to the same JSON (numbers compared by value, as JSON does: `8` is `8.0`).
fn seed_test(request_type: &str, request: &Value, response_type: &str, response: &Value) -> String {
    let request = format!("{:?}", request.to_string());
    let response = format!("{:?}", response.to_string());
    format!(
        r#"//! The seed page's Create Contact examples, through the generated types.

use serde_json::Value;

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(example: &str) {{
    let expected: Value = serde_json::from_str(example).expect("the example is JSON");
    let decoded: T = serde_json::from_value(expected.clone())
        .unwrap_or_else(|e| panic!("the example does not decode: {{e}}"));
    let encoded = serde_json::to_value(&decoded).expect("encodes");
    assert!(same(&expected, &encoded), "changed in the round trip:\n{{expected}}\n{{encoded}}");
}}

fn same(expected: &Value, actual: &Value) -> bool {{
    match (expected, actual) {{
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Array(a), Value::Array(b)) => {{
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b))
        }}
        (Value::Object(a), Value::Object(b)) => {{
            a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| same(v, w)))
        }}
        (a, b) => a == b,
    }}
}}

#[test]
fn request_example() {{
    round_trip::<hl_contacts_seed::{request_type}>({request});
}}

#[test]
fn created_example() {{
    round_trip::<hl_contacts_seed::{response_type}>({response});
}}
"#
    )
}

#[test]
fn v3_contacts_resolves_with_the_ref_rewrite() {
    let Some(shared) = codegen_tests::shared() else {
        println!("skipped: ../shared is absent");
        return;
    };
    let spec_path = highlevel(&shared).join("apps/v3/contacts-v3.json");
    let overlay = codegen_tests::root().join("spec/overlays/highlevel/v3/contacts-v3.yaml");
    let mut options = LoadOptions {
        overlays: vec![overlay],
        ref_root: Some(highlevel(&shared)),
        ref_rewrites: Vec::new(),
    };

    // As published, `../common/common-schemas.json` is not where the v3 file says.
    let lowered = generator::load::load_with(&spec_path, &options)
        .and_then(|spec| generator::lower::lower(&spec));
    let Err(error) = lowered else {
        panic!("the v3 file's `../common/` references resolve as published");
    };
    assert!(
        error.to_string().contains("common-schemas.json"),
        "the error names the missing file:\n{error}"
    );

    options.ref_rewrites = vec![("../common/".to_string(), "common/".to_string())];
    let spec = generator::load::load_with(&spec_path, &options)
        .unwrap_or_else(|e| panic!("contacts-v3.json does not load with the rewrite:\n{e}"));
    let api = generator::lower::lower(&spec)
        .unwrap_or_else(|e| panic!("contacts-v3.json does not lower:\n{e}"));
    let create = operation(&api, "create_contact");
    let bad_request = create
        .errors
        .iter()
        .find(|r| r.status == StatusMatch::Code(400))
        .and_then(|r| r.body.json())
        .expect("the 400 body is typed, from the common file");
    let name = named(bad_request);
    assert!(
        api.models.iter().any(|m| m.rust_name == name),
        "the imported `{name}` is a model of the crate"
    );
}
