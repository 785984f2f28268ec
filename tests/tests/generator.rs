//! The generator, tested from the outside: snapshots of every file it emits for each
//! fixture spec and for the main spec, snapshots of its error messages for bad specs, and
//! assertions on the IR for what a snapshot would only show in passing (names, boxing,
//! presence of nullable fields, constant headers, open enums, imported schemas).
//!
//! Snapshots change only through `cargo insta review`; CI runs with `INSTA_UPDATE=no`.

use std::path::{Path, PathBuf};

use codegen_tests::{fixture_settings, fixtures, main_settings, main_spec, root};
use generator::ir::{Api, Field, Model, ModelKind, Presence, StatusMatch, TypeRef};
use generator::{Diagnostic, Error, GeneratedFile};

// ---------------------------------------------------------------------------------------
// Snapshots
// ---------------------------------------------------------------------------------------

/// `src/models.rs` becomes `src__models.rs`: one snapshot per emitted file.
fn snapshot_name(file: &GeneratedFile) -> String {
    file.path.replace('/', "__")
}

#[test]
fn ok_fixtures_emit_the_snapshotted_files() {
    insta::glob!("../fixtures/ok", "*.yaml", |spec| {
        let files = generator::generate(spec, &fixture_settings(spec))
            .unwrap_or_else(|error| panic!("{} does not generate:\n{error}", spec.display()));
        for file in &files {
            insta::assert_snapshot!(snapshot_name(file), file.contents);
        }
    });
}

#[test]
fn main_spec_emits_the_snapshotted_files() {
    let files =
        generator::generate(&main_spec(), &main_settings()).expect("the main spec generates");
    insta::with_settings!({ snapshot_suffix => "create-contact.yaml" }, {
        for file in &files {
            insta::assert_snapshot!(snapshot_name(file), file.contents);
        }
    });
}

#[test]
fn err_fixtures_render_the_snapshotted_messages() {
    insta::glob!("../fixtures/err", "*.*", |spec| {
        insta::assert_snapshot!("message", render(&expect_error(spec)));
    });
}

/// The error as the user reads it, with the workspace root taken out of paths so that the
/// snapshot is the same on every machine.
fn render(error: &Error) -> String {
    let root = format!("{}/", root().display());
    error.to_string().replace(&root, "")
}

// ---------------------------------------------------------------------------------------
// Error fixtures: what each message must say, beyond its snapshot
// ---------------------------------------------------------------------------------------

fn err_fixture(name: &str) -> PathBuf {
    fixtures("err").join(name)
}

fn expect_error(spec: &Path) -> Error {
    match generator::generate(spec, &fixture_settings(spec)) {
        Ok(_) => panic!(
            "{} generated, but it should have been rejected",
            spec.display()
        ),
        Err(error) => error,
    }
}

fn diagnostics(name: &str) -> Vec<Diagnostic> {
    let error = expect_error(&err_fixture(name));
    assert!(
        matches!(error, Error::Spec(_)),
        "{name}: a bad spec is a spec error, not {error:?}"
    );
    error.diagnostics().to_vec()
}

fn only_diagnostic(name: &str) -> Diagnostic {
    let mut list = diagnostics(name);
    assert_eq!(
        list.len(),
        1,
        "{name}: expected one diagnostic, got {list:#?}"
    );
    list.remove(0)
}

#[test]
fn every_err_fixture_is_rejected_with_well_formed_diagnostics() {
    let mut seen = 0;
    for entry in std::fs::read_dir(fixtures("err")).expect("tests/fixtures/err exists") {
        let spec = entry.expect("a readable directory entry").path();
        if !spec.is_file() {
            // `parts/` holds files that the fixtures refer to.
            continue;
        }
        let error = expect_error(&spec);
        let list = error.diagnostics();
        assert!(!list.is_empty(), "{}: no diagnostics", spec.display());
        for diagnostic in list {
            let first = diagnostic.message.chars().next().expect("a message");
            assert!(
                !first.is_uppercase(),
                "message starts lowercase: {diagnostic}"
            );
            assert!(
                !diagnostic.message.ends_with('.'),
                "no trailing period: {diagnostic}"
            );
            assert!(
                diagnostic.pointer.starts_with('#'),
                "a JSON pointer: {diagnostic}"
            );
            assert!(diagnostic.help.is_some(), "a help line: {diagnostic}");
            assert!(
                diagnostic
                    .file
                    .ends_with(spec.file_name().expect("a file name"))
                    || diagnostic.file.starts_with(fixtures("err").join("parts")),
                "names the spec, or the file a `$ref` led to: {diagnostic}"
            );
            let (line, column) = diagnostic
                .line_col
                .unwrap_or_else(|| panic!("a line and column: {diagnostic}"));
            assert!(line >= 1 && column >= 1, "1-based: {diagnostic}");
            let excerpt = diagnostic
                .excerpt
                .as_ref()
                .unwrap_or_else(|| panic!("the source line: {diagnostic}"));
            assert!(
                excerpt.span.0 <= excerpt.span.1 && excerpt.span.1 <= excerpt.text.len(),
                "the underline is inside the line: {diagnostic}"
            );
            let rendered = diagnostic.to_string();
            assert!(
                rendered.contains(&format!(":{line}:{column}\n"))
                    && rendered.contains(&diagnostic.pointer),
                "the rendering names the place and the pointer:\n{rendered}"
            );
        }
        assert!(
            list.windows(2).all(|pair| pair[0] <= pair[1]),
            "sorted: {list:#?}"
        );
        seen += 1;
    }
    assert_eq!(seen, 24, "every error fixture was checked");
}

#[test]
fn no_fixture_makes_the_generator_panic() {
    let mut specs = Vec::new();
    for kind in ["ok", "err"] {
        for entry in std::fs::read_dir(fixtures(kind)).expect("the fixture folder exists") {
            let path = entry.expect("a readable directory entry").path();
            if path.is_file() {
                specs.push(path);
            }
        }
    }
    for spec in specs {
        let settings = fixture_settings(&spec);
        let outcome = std::panic::catch_unwind(|| generator::generate(&spec, &settings));
        assert!(
            outcome.is_ok(),
            "{} made the generator panic",
            spec.display()
        );
    }
}

#[test]
fn syntax_errors_point_at_a_line_and_column() {
    let yaml = only_diagnostic("syntax-error.yaml");
    assert_eq!(yaml.line_col.map(|(line, _)| line), Some(11), "{yaml}");
    assert!(yaml.message.starts_with("invalid YAML"), "{yaml}");

    let json = only_diagnostic("syntax-error.json");
    assert_eq!(json.line_col, Some((6, 57)), "{json}");
    assert!(json.message.starts_with("invalid JSON"), "{json}");
    assert!(
        !json.message.contains("line 6"),
        "the place is said once: {json}"
    );
}

#[test]
fn missing_ref_points_at_each_ref_site_and_suggests_the_right_case() {
    let list = diagnostics("missing-ref.yaml");
    let pointers: Vec<&str> = list.iter().map(|d| d.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "#/paths/~1contacts/get/responses/200/content/application~1json/schema/items/$ref",
            "#/paths/~1contacts/post/requestBody/content/application~1json/schema/$ref",
        ]
    );
    assert!(
        list[0].message.contains("#/components/schemas/contact"),
        "{}",
        list[0]
    );
    assert_eq!(
        list[0].help.as_deref(),
        Some("did you mean `#/components/schemas/Contact`?")
    );
    assert!(list[1].message.contains("NewContact"), "{}", list[1]);
}

#[test]
fn missing_file_points_at_the_ref_that_names_it() {
    let diagnostic = only_diagnostic("missing-file.yaml");
    assert_eq!(
        diagnostic.pointer,
        "#/paths/~1things/get/responses/200/content/application~1json/schema/$ref"
    );
    assert!(
        diagnostic.file.ends_with("missing-file.yaml"),
        "{diagnostic}"
    );
    assert!(diagnostic.message.contains("cannot read"), "{diagnostic}");
    let help = diagnostic.help.expect("a help line");
    assert!(help.contains("does-not-exist.yaml"), "{help}");
}

#[test]
fn swagger_2_is_named_as_such() {
    let diagnostic = only_diagnostic("swagger-2.yaml");
    assert_eq!(diagnostic.pointer, "#/swagger");
    assert!(diagnostic.message.contains("Swagger 2.0"), "{diagnostic}");
    assert!(diagnostic
        .help
        .expect("a help line")
        .contains("OpenAPI 3.0"));
}

#[test]
fn an_unknown_openapi_version_is_rejected_with_its_version() {
    let diagnostic = only_diagnostic("openapi-4.yaml");
    assert_eq!(diagnostic.pointer, "#/openapi");
    assert!(diagnostic.message.contains("`4.0.0`"), "{diagnostic}");
    assert!(diagnostic.help.expect("a help line").contains("3.1"));
}

#[test]
fn bad_type_names_the_type_and_the_schema() {
    let diagnostic = only_diagnostic("bad-type.yaml");
    assert_eq!(
        diagnostic.pointer,
        "#/paths/~1a/get/responses/200/content/application~1json/schema/properties/n/type",
        "the pointer of the broken value itself"
    );
    assert!(diagnostic.message.contains("`strang`"), "{diagnostic}");
}

#[test]
fn undeclared_path_parameter_is_named() {
    let diagnostic = only_diagnostic("undeclared-path-param.yaml");
    assert_eq!(diagnostic.pointer, "#/paths/~1things~1{thingId}/get");
    assert!(diagnostic.message.contains("`{thingId}`"), "{diagnostic}");
}

#[test]
fn a_document_that_is_not_a_mapping_is_rejected_at_the_root() {
    let diagnostic = only_diagnostic("not-an-object.yaml");
    assert_eq!(diagnostic.pointer, "#");
    assert!(diagnostic.message.contains("not an object"), "{diagnostic}");
}

#[test]
fn several_problems_are_reported_together_and_sorted() {
    let list = diagnostics("several-problems.yaml");
    assert!(list.len() >= 2, "{list:#?}");
    assert!(
        list.windows(2).all(|pair| pair[0] < pair[1]),
        "sorted, no duplicates: {list:#?}"
    );
    let messages = list
        .iter()
        .map(|d| d.message.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    for expected in [
        "`strang`",
        "`items` must be one schema",
        "`{thingId}`",
        "style `form`",
    ] {
        assert!(
            messages.contains(expected),
            "{expected} is reported in:\n{messages}"
        );
    }
    let rendered = render(&expect_error(&err_fixture("several-problems.yaml")));
    assert!(
        rendered.ends_with(&format!(
            "error: aborting due to {} problems in the spec",
            list.len()
        )),
        "{rendered}"
    );
}

// ---------------------------------------------------------------------------------------
// Determinism
// ---------------------------------------------------------------------------------------

#[test]
fn generating_twice_gives_the_same_bytes() {
    let first =
        generator::generate(&main_spec(), &main_settings()).expect("the main spec generates");
    let second =
        generator::generate(&main_spec(), &main_settings()).expect("the main spec generates");
    assert_eq!(first, second);

    for entry in std::fs::read_dir(fixtures("ok")).expect("tests/fixtures/ok exists") {
        let spec = entry.expect("a readable directory entry").path();
        if spec.extension().is_some_and(|ext| ext == "yaml") {
            let settings = fixture_settings(&spec);
            let first = generator::generate(&spec, &settings).expect("the fixture generates");
            let second = generator::generate(&spec, &settings).expect("the fixture generates");
            assert_eq!(first, second, "{}", spec.display());
        }
    }
}

// ---------------------------------------------------------------------------------------
// The IR
// ---------------------------------------------------------------------------------------

fn lower(fixture: &str) -> Api {
    let spec = generator::load::load(&fixtures("ok").join(fixture))
        .unwrap_or_else(|error| panic!("{fixture} loads:\n{error}"));
    generator::lower::lower(&spec).unwrap_or_else(|error| panic!("{fixture} lowers:\n{error}"))
}

fn model<'a>(api: &'a Api, rust_name: &str) -> &'a Model {
    api.models
        .iter()
        .find(|model| model.rust_name == rust_name)
        .unwrap_or_else(|| {
            let names: Vec<&str> = api.models.iter().map(|m| m.rust_name.as_str()).collect();
            panic!("no model `{rust_name}` among {names:?}")
        })
}

fn fields<'a>(api: &'a Api, rust_name: &str) -> &'a [Field] {
    match &model(api, rust_name).kind {
        ModelKind::Struct(shape) => &shape.fields,
        other => panic!("`{rust_name}` is not a struct: {other:?}"),
    }
}

fn field<'a>(api: &'a Api, model_name: &str, wire_name: &str) -> &'a Field {
    fields(api, model_name)
        .iter()
        .find(|field| field.wire_name == wire_name)
        .unwrap_or_else(|| panic!("`{model_name}` has no field `{wire_name}`"))
}

/// `(wire name, Rust name)` of every field of a struct, in order.
fn field_names<'a>(api: &'a Api, model_name: &str) -> Vec<(&'a str, &'a str)> {
    fields(api, model_name)
        .iter()
        .map(|field| (field.wire_name.as_str(), field.rust_name.as_str()))
        .collect()
}

fn named(name: &str) -> TypeRef {
    TypeRef::Named(name.to_string())
}

fn boxed(ty: TypeRef) -> TypeRef {
    TypeRef::Box(Box::new(ty))
}

fn vec_of(ty: TypeRef) -> TypeRef {
    TypeRef::Vec(Box::new(ty))
}

fn map_of(ty: TypeRef) -> TypeRef {
    TypeRef::Map(Box::new(ty))
}

fn option_of(ty: TypeRef) -> TypeRef {
    TypeRef::Option(Box::new(ty))
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

#[test]
fn keywords_digits_and_punctuation_become_legal_field_names() {
    let api = lower("names.yaml");
    assert_eq!(
        field_names(&api, "Keywords"),
        [
            ("type", "type_"),
            ("self", "self_"),
            ("Self", "self_2"),
            ("async", "async_"),
            ("match", "match_"),
        ]
    );
    let awkward = field_names(&api, "Awkward");
    for expected in [
        ("2fa", "_2fa"),
        ("x-rate-limit", "x_rate_limit"),
        ("$ref", "ref_"),
        ("first name", "first_name"),
    ] {
        assert!(awkward.contains(&expected), "{expected:?} in {awkward:?}");
    }
    for model in &api.models {
        assert!(is_identifier(&model.rust_name), "{}", model.rust_name);
        if let ModelKind::Struct(shape) = &model.kind {
            for field in &shape.fields {
                assert!(is_identifier(&field.rust_name), "{}", field.rust_name);
            }
        }
    }
}

#[test]
fn names_that_collide_after_case_conversion_stay_distinct() {
    let api = lower("names.yaml");
    let awkward = field_names(&api, "Awkward");
    let ids: Vec<(&str, &str)> = awkward
        .iter()
        .copied()
        .filter(|(wire, _)| ["id", "@id", "_id", "ID"].contains(wire))
        .collect();
    // The property already called `id` keeps the name; the others are numbered in order.
    assert_eq!(
        ids,
        [
            ("@id", "id_2"),
            ("id", "id"),
            ("_id", "id_3"),
            ("ID", "id_4")
        ]
    );

    // `UserDto` keeps its name; `userDTO` converts to the same one and is numbered.
    assert_eq!(field(&api, "Awkward", "other_user").ty, named("UserDto"));
    assert_eq!(field(&api, "Awkward", "user").ty, named("UserDto2"));
    assert_eq!(
        model(&api, "UserDto").pointer,
        "#/components/schemas/UserDto"
    );
    assert_eq!(
        model(&api, "UserDto2").pointer,
        "#/components/schemas/userDTO"
    );
}

#[test]
fn types_that_would_shadow_std_names_are_renamed() {
    let api = lower("names.yaml");
    for (wire, rust) in [
        ("option", "OptionModel"),
        ("string", "StringModel"),
        ("box", "BoxModel"),
        ("result", "ResultModel"),
        ("error", "ErrorModel"),
    ] {
        assert_eq!(field(&api, "Awkward", wire).ty, named(rust));
        model(&api, rust);
    }
    for shadowing in ["Option", "String", "Box", "Result", "Error"] {
        assert!(
            api.models.iter().all(|model| model.rust_name != shadowing),
            "no model is called `{shadowing}`"
        );
    }
}

#[test]
fn operation_names_are_legal_and_never_clash_with_the_clients_own() {
    let api = lower("names.yaml");
    let names: Vec<(&str, &str, &str)> = api
        .operations
        .iter()
        .map(|op| {
            (
                op.rust_name.as_str(),
                op.request_fn.as_str(),
                op.decode_fn.as_str(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("get_option", "get_option_request", "decode_get_option"),
            ("type_", "type_request", "decode_type"),
            ("url_2", "url_2_request", "decode_url_2"),
        ]
    );
}

#[test]
fn only_fields_that_close_a_cycle_by_value_are_boxed() {
    let api = lower("recursion.yaml");
    let tree = |wire| field(&api, "TreeNode", wire).ty.clone();
    assert_eq!(tree("left"), boxed(named("TreeNode")));
    assert_eq!(tree("right"), boxed(named("TreeNode")));
    assert_eq!(tree("children"), vec_of(named("TreeNode")));
    assert_eq!(tree("byName"), map_of(named("TreeNode")));
    assert_eq!(tree("value"), TypeRef::I64);

    assert_eq!(field(&api, "Person", "team").ty, boxed(named("Team")));
    assert_eq!(field(&api, "Team", "lead").ty, boxed(named("Person")));
    assert_eq!(field(&api, "Team", "members").ty, vec_of(named("Person")));
    assert_eq!(
        field(&api, "Comment", "replies").ty,
        vec_of(named("Comment"))
    );

    let boxes = api
        .models
        .iter()
        .filter_map(|model| match &model.kind {
            ModelKind::Struct(shape) => Some(&shape.fields),
            _ => None,
        })
        .flatten()
        .filter(|field| matches!(field.ty, TypeRef::Box(_)))
        .count();
    assert_eq!(boxes, 4, "left, right, team and lead, nothing else");

    // Nothing in a fixture without recursion is boxed.
    let flat = lower("inline-objects.yaml");
    for model in &flat.models {
        if let ModelKind::Struct(shape) = &model.kind {
            assert!(shape
                .fields
                .iter()
                .all(|f| !matches!(f.ty, TypeRef::Box(_))));
        }
    }
}

#[test]
fn nullable_fields_keep_absent_null_and_value_apart() {
    let api = lower("nullable.yaml");
    let presence = |wire| field(&api, "Profile", wire).presence();
    assert_eq!(presence("id"), Presence::Required);
    assert_eq!(presence("nickname"), Presence::RequiredNullable);
    assert_eq!(presence("bio"), Presence::Optional);
    assert_eq!(presence("website"), Presence::OptionalNullable);
    assert_eq!(presence("age"), Presence::OptionalNullable);
    // A nullable `$ref` is written as a one-member `allOf`: still the referenced type.
    assert_eq!(presence("home"), Presence::RequiredNullable);
    assert_eq!(presence("work"), Presence::OptionalNullable);
    assert_eq!(field(&api, "Profile", "home").ty, named("Address"));
    assert_eq!(field(&api, "Profile", "work").ty, named("Address"));
    // Only the optional nullable fields get a setter that sends `null`.
    let null_setters: Vec<&str> = fields(&api, "Profile")
        .iter()
        .filter_map(|f| f.null_setter.as_deref())
        .collect();
    assert_eq!(null_setters, ["website_null", "work_null", "age_null"]);
}

#[test]
fn parameters_are_split_by_place_and_constant_headers_are_not_asked_for() {
    let api = lower("parameters.yaml");
    let op = |name: &str| {
        api.operations
            .iter()
            .find(|op| op.rust_name == name)
            .unwrap_or_else(|| panic!("no operation `{name}`"))
    };

    let get_item = op("get_item");
    assert_eq!(
        get_item.constant_headers,
        [("Version".to_string(), "2021-07-28".to_string())]
    );
    assert!(get_item.parameters.iter().all(|p| p.wire_name != "Version"));
    let wire: Vec<&str> = get_item
        .parameters
        .iter()
        .map(|p| p.wire_name.as_str())
        .collect();
    assert_eq!(wire, ["accountId", "itemId", "fields", "X-Request-Id"]);
    assert_eq!(get_item.parameters[1].ty, TypeRef::I64);
    assert_eq!(get_item.parameters[2].ty, vec_of(TypeRef::String));
    assert!(!get_item.parameters[3].required);
    assert_eq!(get_item.params_struct.as_deref(), Some("GetItemParams"));

    // Parameters of the path item are shared by its operations.
    let delete_item = op("delete_item");
    let wire: Vec<&str> = delete_item
        .parameters
        .iter()
        .map(|p| p.wire_name.as_str())
        .collect();
    assert_eq!(wire, ["accountId", "itemId"]);
    assert_eq!(delete_item.params_struct, None);
    assert_eq!(delete_item.success.len(), 1);
    assert_eq!(delete_item.success[0].status, StatusMatch::Code(204));
    assert_eq!(
        delete_item.success[0].body,
        generator::ir::ResponseBody::Empty
    );

    let get_item_as = op("get_item_as");
    let types: Vec<&TypeRef> = get_item_as.parameters.iter().map(|p| &p.ty).collect();
    assert_eq!(
        types,
        [&named("Kind"), &TypeRef::I32, &named("GetItemAsFormat")]
    );

    let list_items = op("list_items");
    let required: Vec<(&str, bool)> = list_items
        .parameters
        .iter()
        .map(|p| (p.wire_name.as_str(), p.required))
        .collect();
    assert_eq!(
        required,
        [
            ("limit", true),
            ("cursor", false),
            ("kind", false),
            ("archived", false)
        ]
    );
    assert_eq!(list_items.parameters[2].ty, vec_of(named("Kind")));

    let upsert_item = op("upsert_item");
    let success: Vec<StatusMatch> = upsert_item.success.iter().map(|r| r.status).collect();
    assert_eq!(success, [StatusMatch::Code(200), StatusMatch::Code(201)]);
    assert_eq!(
        upsert_item.success_enum.as_deref(),
        Some("UpsertItemSuccess")
    );
    assert_eq!(upsert_item.errors.len(), 1);
    assert_eq!(upsert_item.errors[0].status, StatusMatch::Default);

    // No operationId: named from method and path. `security: []`: no token.
    let health = op("get_health");
    assert!(
        health.security.is_empty(),
        "`security: []` needs no credentials"
    );
    let [bearer] = api.credentials.as_slice() else {
        panic!("one credential: {:?}", api.credentials);
    };
    assert_eq!(bearer.kind, generator::ir::CredentialKind::Bearer);
    assert_eq!(
        get_item.security,
        [vec![0]],
        "the bearer token, from the document's requirement"
    );
}

#[test]
fn string_enums_keep_unlisted_values_in_a_fallback_variant() {
    let api = lower("enums.yaml");
    let enumeration = |name: &str| match &model(&api, name).kind {
        ModelKind::Enum(values) => values.clone(),
        other => panic!("`{name}` is not an enum: {other:?}"),
    };
    let variants = |name: &str| {
        enumeration(name)
            .variants
            .into_iter()
            .map(|v| (v.wire_value, v.rust_name))
            .collect::<Vec<_>>()
    };
    let pairs = |list: &[(&str, &str)]| {
        list.iter()
            .map(|(wire, rust)| (wire.to_string(), rust.to_string()))
            .collect::<Vec<_>>()
    };

    assert_eq!(
        variants("ApiVersion"),
        pairs(&[("2021-07-28", "V20210728"), ("2021-04-15", "V20210415")])
    );
    // The duplicate `done` is listed once; `Other` is a value, so the fallback moves aside.
    assert_eq!(
        variants("Status"),
        pairs(&[
            ("in-progress", "InProgress"),
            ("done", "Done"),
            ("", "Empty"),
            ("Other", "Other")
        ])
    );
    assert_eq!(enumeration("Status").fallback, "UnknownValue");
    assert_eq!(enumeration("Fallbacks").fallback, "Other2");
    assert_eq!(
        variants("Case"),
        pairs(&[
            ("active", "Active"),
            ("ACTIVE", "Active2"),
            ("Active", "Active3")
        ])
    );
    for model in &api.models {
        if let ModelKind::Enum(values) = &model.kind {
            assert!(
                values
                    .variants
                    .iter()
                    .all(|v| v.rust_name != values.fallback),
                "`{}`: the fallback is a variant of its own",
                model.rust_name
            );
        }
    }
    assert_eq!(field(&api, "Task", "priority").ty, named("TaskPriority"));
}

#[test]
fn an_imported_schema_with_a_local_name_becomes_a_second_model() {
    let api = lower("external-refs.yaml");
    let wire = |name: &str| -> Vec<&str> {
        fields(&api, name)
            .iter()
            .map(|f| f.wire_name.as_str())
            .collect()
    };
    assert_eq!(wire("Widget"), ["id", "owner"]);
    assert_eq!(wire("Widget2"), ["serial"]);
    assert_eq!(
        field(&api, "WidgetPage", "items").ty,
        vec_of(named("Widget"))
    );
    assert_eq!(field(&api, "WidgetPage", "imported").ty, named("Widget2"));
    // `Cause` is only reached through a ref local to the shared file.
    assert_eq!(field(&api, "Problem", "cause").ty, named("Cause"));
    assert_eq!(field(&api, "Widget", "owner").ty, named("Owner"));
}

#[test]
fn all_of_merges_properties_and_required_from_every_member() {
    let api = lower("all-of.yaml");
    let required: Vec<(&str, bool)> = fields(&api, "Pet")
        .iter()
        .map(|f| (f.wire_name.as_str(), f.required))
        .collect();
    assert_eq!(
        required,
        [
            ("name", true),
            ("species", true),
            ("owner", false),
            ("createdAt", true),
            ("updatedAt", false),
            ("id", true),
        ]
    );
    // A one-member `allOf` around a `$ref` is that type, with the wrapper's description.
    let owner = field(&api, "NewPet", "owner");
    assert_eq!(owner.ty, named("Owner"));
    assert_eq!(owner.doc.description.as_deref(), Some("Who owns the pet."));
    let primary = model(&api, "PrimaryOwner");
    assert_eq!(primary.kind, ModelKind::Alias(named("Owner")));
    assert_eq!(
        primary.doc.description.as_deref(),
        Some("The owner to contact first.")
    );
}

#[test]
fn arrays_and_maps_keep_their_element_types() {
    let api = lower("arrays-and-maps.yaml");
    let ty = |wire| field(&api, "Inventory", wire).ty.clone();
    assert_eq!(ty("skus"), vec_of(TypeRef::String));
    assert_eq!(ty("readings"), vec_of(option_of(TypeRef::F64)));
    assert_eq!(ty("matrix"), vec_of(vec_of(TypeRef::I32)));
    assert_eq!(ty("counts"), map_of(TypeRef::I64));
    assert_eq!(ty("bins"), map_of(named("Bin")));
    assert_eq!(ty("labels"), map_of(option_of(TypeRef::String)));
    assert_eq!(ty("metadata"), TypeRef::JsonObject);
    assert_eq!(ty("settings"), TypeRef::JsonObject);
    assert_eq!(ty("tags"), named("TagList"));
    assert_eq!(
        model(&api, "TagList").kind,
        ModelKind::Alias(vec_of(TypeRef::String))
    );
    assert_eq!(
        model(&api, "Attributes").kind,
        ModelKind::Alias(map_of(TypeRef::String))
    );

    let extra = |name: &str| match &model(&api, name).kind {
        ModelKind::Struct(shape) => shape.extra.as_ref().map(|extra| extra.value.clone()),
        other => panic!("`{name}` is not a struct: {other:?}"),
    };
    assert_eq!(extra("Extensible"), Some(TypeRef::Json));
    assert_eq!(extra("Closed"), None);
}

#[test]
fn unions_name_their_variants_from_types_or_titles() {
    let api = lower("unions.yaml");
    let variants = |name: &str| match &model(&api, name).kind {
        ModelKind::Union(union) => union
            .variants
            .iter()
            .map(|v| (v.rust_name.clone(), v.ty.clone(), v.from_impl))
            .collect::<Vec<_>>(),
        other => panic!("`{name}` is not a union: {other:?}"),
    };
    // The members of the spec, in order; lowering may add variants of its own around them
    // (a fallback that keeps any JSON value, for one), but never reorders these.
    let documented = |name: &str, expected: &[(&str, TypeRef, bool)]| {
        let all = variants(name);
        let mut rest = all.iter();
        for (rust_name, ty, from_impl) in expected {
            assert!(
                rest.any(|v| v.0 == *rust_name && v.1 == *ty && v.2 == *from_impl),
                "`{name}` has ({rust_name}, {ty:?}, {from_impl}) in order: {all:?}"
            );
        }
    };
    documented(
        "Shape",
        &[
            ("Circle", boxed(named("Circle")), true),
            ("Square", boxed(named("Square")), true),
        ],
    );
    documented(
        "Label",
        &[
            ("String", TypeRef::String, true),
            ("Integer", TypeRef::I64, true),
            ("List", vec_of(TypeRef::String), true),
        ],
    );
    // Two members of the same type: no `From`, it could not choose between them.
    documented(
        "Measurement",
        &[
            ("Metres", TypeRef::F64, false),
            ("Feet", TypeRef::F64, false),
            ("Described", boxed(named("MeasurementDescribed")), true),
        ],
    );
    documented(
        "Mixed",
        &[
            ("Shape", named("Shape"), true),
            ("String", TypeRef::String, true),
            ("Boolean", TypeRef::Bool, true),
        ],
    );
    assert_eq!(field(&api, "Holder", "value").ty, named("HolderValue"));
}

#[test]
fn inline_objects_are_named_from_their_place() {
    let api = lower("inline-objects.yaml");
    let names: Vec<&str> = api.models.iter().map(|m| m.rust_name.as_str()).collect();
    assert_eq!(
        names,
        [
            "CreateOrderRequest",
            "CreateOrderRequestItemsItem",
            "CreateOrderResponse",
            "CreateOrderResponseStatus",
            "Shipping",
            "ShippingAddress",
            "ShippingAddressGeo",
        ]
    );
    assert_eq!(
        model(&api, "ShippingAddressGeo").pointer,
        "#/components/schemas/Shipping/properties/address/properties/geo"
    );
}

#[test]
fn scalar_formats_choose_the_rust_type() {
    let api = lower("formats.yaml");
    let types: Vec<(&str, &TypeRef)> = fields(&api, "Sample")
        .iter()
        .map(|f| (f.wire_name.as_str(), &f.ty))
        .collect();
    assert_eq!(
        types,
        [
            ("small", &TypeRef::I32),
            ("large", &TypeRef::I64),
            ("plain", &TypeRef::I64),
            ("single", &TypeRef::F32),
            ("double", &TypeRef::F64),
            ("number", &TypeRef::F64),
            ("when", &TypeRef::String),
            ("day", &TypeRef::String),
            ("id", &TypeRef::String),
            ("file", &TypeRef::String),
            ("flag", &TypeRef::Bool),
            ("anything", &TypeRef::Json),
        ]
    );
    assert_eq!(model(&api, "Count").kind, ModelKind::Alias(TypeRef::I32));
    assert_eq!(model(&api, "Ratio").kind, ModelKind::Alias(TypeRef::F32));
    let when = field(&api, "Sample", "when");
    assert_eq!(when.doc.notes, ["Format: `date-time`."]);
}

#[test]
fn a_refused_path_parameter_is_reported_once() {
    let diagnostic = only_diagnostic("refused-path-parameter.yaml");
    assert!(
        diagnostic.message.contains("parameter `contents`"),
        "{diagnostic}"
    );
    assert_eq!(
        diagnostic.pointer,
        "#/paths/~1boxes~1{contents}/get/parameters/0/schema"
    );
}

#[test]
fn items_written_as_a_list_are_reported_at_the_list() {
    let diagnostic = only_diagnostic("items-list.yaml");
    assert_eq!(diagnostic.pointer, "#/components/schemas/Tags/items");
    assert_eq!(diagnostic.line_col, Some((10, 7)), "{diagnostic}");
}

#[test]
fn big_bounds_and_refs_in_data_load() {
    let api = lower("loader-edges.yaml");
    assert_eq!(field(&api, "Counter", "value").ty, TypeRef::U64);
    assert_eq!(field(&api, "Counter", "$ref").ty, TypeRef::String);
    let examples: Vec<&str> = api.examples.iter().map(|case| case.json.as_str()).collect();
    assert!(
        examples.contains(&r##"{"$ref":"#/components/schemas/Counter","value":7}"##),
        "the `$ref` of an example is its data: {examples:?}"
    );
    assert!(
        examples.contains(&r#"{"$ref":"also/not/a/file.yaml","value":18446744073709551615}"#),
        "{examples:?}"
    );
}

#[test]
fn lint_and_the_example_tests_agree_on_what_fits() {
    let spec = generator::load::load(&fixtures("ok").join("examples.yaml")).expect("loads");
    let findings = generator::lint::lint(&spec);
    let flagged: Vec<&str> = findings.iter().map(|d| d.pointer.as_str()).collect();
    assert_eq!(
        flagged,
        [
            "#/paths/~1profiles/get/responses/200/content/application~1json/examples/missing-name/value",
            "#/components/schemas/Profile/example",
        ],
        "a missing required property and an `int32` out of range, in file order: {findings:#?}"
    );
    let api = generator::lower::lower(&spec).expect("lowers");
    let tested: Vec<&str> = api
        .examples
        .iter()
        .map(|case| case.pointer.as_str())
        .collect();
    assert_eq!(
        tested,
        [
            "#/components/schemas/EndedAt/example",
            "#/paths/~1profiles/get/responses/200/content/application~1json/examples/fits/value",
        ],
        "only the examples that fit become tests (components first)"
    );
    let ended = &api.examples[0];
    assert_eq!(
        (ended.ty.clone(), ended.json.as_str()),
        (option_of(named("EndedAt")), "null"),
        "a nullable schema's `null` example is tested as an `Option` of its type"
    );
}

#[test]
fn a_token_provider_applies_where_an_alternative_uses_a_bearer_scheme() {
    let api = lower("security.yaml");
    let takes = |rust_name: &str| {
        api.operations
            .iter()
            .find(|op| op.rust_name == rust_name)
            .unwrap_or_else(|| panic!("operation `{rust_name}`"))
            .takes_provided_token
    };
    // OAuth 2.0 and OpenID Connect send bearer tokens too.
    for rust_name in ["get_me", "login", "get_public", "get_with_oauth"] {
        assert!(takes(rust_name), "`{rust_name}` may send a provided token");
    }
    for rust_name in ["list_reports", "search", "get_session", "get_health"] {
        assert!(!takes(rust_name), "`{rust_name}` has no bearer alternative");
    }
}

// ---------------------------------------------------------------------------------------
// Runtime modules
// ---------------------------------------------------------------------------------------

/// A runtime module in a generated crate is its source as written, comments included, with
/// only gated nodes cut out and gates taken off or rewritten: every line of it that is not
/// a gate is a line of the source, in the same order.
#[test]
fn runtime_modules_are_their_source_text_with_only_gates_applied() {
    let files =
        generator::generate(&main_spec(), &main_settings()).expect("the main spec generates");
    let runtime = root().join("generator/runtime/src");
    let mut compared = 0;
    for file in &files {
        // The runtime crate's own root is not copied; the crate's `lib.rs` is emitted.
        let Some(module) = file.path.strip_prefix("src/").filter(|m| *m != "lib.rs") else {
            continue;
        };
        let Ok(source) = std::fs::read_to_string(runtime.join(module)) else {
            continue; // emitted from the spec, not a runtime module
        };
        let source_lines: Vec<&str> = source.lines().collect();
        let mut next = 0;
        let body = file
            .contents
            .lines()
            .skip_while(|line| line.starts_with("// @generated") || line.is_empty());
        let mut in_gate = false;
        for line in body {
            // A rewritten gate, possibly over several lines.
            if line.trim_start().starts_with("#[cfg(") || in_gate {
                in_gate = !line.trim_end().ends_with(")]");
                continue;
            }
            if let Some(at) = source_lines[next..].iter().position(|c| *c == line) {
                next += at + 1;
                continue;
            }
            // A `cfg_attr(..., doc = "...")` that holds becomes doc lines.
            let doc = line.trim_start().strip_prefix("/// ");
            assert!(
                doc.is_some_and(|doc| source.contains(doc)),
                "{}: `{line}` is not a line of the runtime source, in order",
                file.path
            );
        }
        compared += 1;
    }
    assert!(
        compared >= 5,
        "only {compared} runtime modules were compared"
    );
    let transport = files
        .iter()
        .find(|file| file.path == "src/transport.rs")
        .expect("every crate carries the transport");
    assert!(
        transport.contents.contains("    // "),
        "a comment of the transport's source is in the crate"
    );
}
