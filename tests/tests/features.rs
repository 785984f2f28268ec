//! Cargo features per tag, decided in lowering: which feature compiles each operation,
//! type, credential and runtime piece. The compile check builds `tags.yaml`'s crate with
//! each feature alone; these tests say what each build holds.

use codegen_tests::fixtures;
use generator::ir::{Api, Gate, Piece};

fn lower(fixture: &str) -> Api {
    let spec = generator::load::load(&fixtures("ok").join(fixture))
        .unwrap_or_else(|error| panic!("{fixture} loads:\n{error}"));
    generator::lower::lower(&spec).unwrap_or_else(|error| panic!("{fixture} lowers:\n{error}"))
}

/// The IR of a spec written out by the test.
fn lower_text(spec: &str) -> Api {
    let folder = tempfile::tempdir().expect("temporary folder");
    let path = folder.path().join("spec.yaml");
    std::fs::write(&path, spec).expect("write the spec");
    let spec = generator::load::load(&path).expect("the spec loads");
    generator::lower::lower(&spec).expect("the spec lowers")
}

fn gate(features: &[&str]) -> Gate {
    Gate {
        features: features.iter().map(|f| f.to_string()).collect(),
    }
}

fn model_gate(api: &Api, name: &str) -> Gate {
    api.models
        .iter()
        .find(|model| model.rust_name == name)
        .unwrap_or_else(|| panic!("a model {name}"))
        .gate
        .clone()
}

fn operation_gate(api: &Api, name: &str) -> Gate {
    api.operations
        .iter()
        .find(|op| op.rust_name == name)
        .unwrap_or_else(|| panic!("an operation {name}"))
        .gate
        .clone()
}

#[test]
fn each_tag_is_a_feature_named_in_kebab_case() {
    let api = lower("tags.yaml");
    let features: Vec<(&str, usize)> = api
        .features
        .iter()
        .map(|f| (f.name.as_str(), f.operations))
        .collect();
    assert_eq!(
        features,
        [("pet-media", 1), ("pets", 3), ("store", 2), ("users", 2)]
    );
    let media = &api.features[0];
    assert_eq!(media.tags, ["Pet Media"]);
    // Small tags are never split by path.
    assert!(api.features.iter().all(|f| f.paths.is_empty()));
}

#[test]
fn a_tag_that_reaches_most_of_the_crate_gets_a_feature_per_path_resource() {
    let api = lower("split-tags.yaml");
    let features: Vec<(&str, usize, Vec<&str>)> = api
        .features
        .iter()
        .map(|f| {
            let paths = f.paths.iter().map(String::as_str).collect();
            (f.name.as_str(), f.operations, paths)
        })
        .collect();
    assert_eq!(
        features,
        [
            // The operation on the path the others share is named for its last segment.
            ("ads-ads", 1, vec!["/ads"]),
            (
                "ads-campaigns",
                2,
                vec!["/ads/campaigns", "/ads/campaigns/{campaignId}"]
            ),
            ("ads-creatives", 1, vec!["/ads/creatives/{creativeId}"]),
            ("ads-reports", 1, vec!["/ads/reports"]),
            ("users", 2, vec![]),
        ]
    );
    assert!(api.features[..4].iter().all(|f| f.tags == ["Ads"]));
}

#[test]
fn a_tag_whose_resources_share_most_of_what_they_reach_stays_one_feature() {
    // Campaigns hold the creatives and reports: splitting would not halve any build.
    let fixture = std::fs::read_to_string(fixtures("ok").join("split-tags.yaml"))
        .expect("read split-tags.yaml");
    let shared = fixture.replacen(
        "        budget: {$ref: '#/components/schemas/Money'}\n",
        "        budget: {$ref: '#/components/schemas/Money'}\n        \
         creative: {$ref: '#/components/schemas/Creative'}\n        \
         report: {$ref: '#/components/schemas/Report'}\n",
        1,
    );
    assert_ne!(shared, fixture, "the fixture's Campaign has a budget");
    let api = lower_text(&shared);
    let names: Vec<&str> = api.features.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["ads", "users"]);
}

#[test]
fn a_resource_feature_never_takes_a_name_the_crate_defines_itself() {
    // `Webhook` and its `signatures` resource would make the crate's `webhook-signatures`.
    let fixture = std::fs::read_to_string(fixtures("ok").join("split-tags.yaml"))
        .expect("read split-tags.yaml");
    let renamed = fixture
        .replace("[Ads]", "[Webhook]")
        .replace("[Ads, Users]", "[Webhook, Users]")
        .replace("/ads/campaigns", "/ads/signatures");
    let api = lower_text(&renamed);
    let names: Vec<&str> = api.features.iter().map(|f| f.name.as_str()).collect();
    assert!(names.contains(&"webhook-creatives"), "{names:?}");
    for name in &names {
        assert!(
            !generator::names::RESERVED_FEATURES.contains(name),
            "`{name}` is the crate's own: {names:?}"
        );
    }
}

#[test]
fn a_split_tag_compiles_each_operation_and_type_under_its_resource_feature() {
    let api = lower("split-tags.yaml");
    assert_eq!(
        operation_gate(&api, "get_campaign"),
        gate(&["ads-campaigns"])
    );
    assert_eq!(
        operation_gate(&api, "get_creative"),
        gate(&["ads-creatives"])
    );
    // Also tagged `Users`, which is not split.
    assert_eq!(
        operation_gate(&api, "get_report"),
        gate(&["ads-reports", "users"])
    );
    assert_eq!(model_gate(&api, "Campaign"), gate(&["ads-campaigns"]));
    assert_eq!(
        model_gate(&api, "Money"),
        gate(&["ads-ads", "ads-campaigns", "ads-creatives"])
    );
    assert_eq!(model_gate(&api, "Report"), gate(&["ads-reports", "users"]));
}

#[test]
fn operations_compile_under_any_of_their_tags_and_untagged_ones_always() {
    let api = lower("tags.yaml");
    assert_eq!(operation_gate(&api, "list_pets"), gate(&["pets"]));
    assert_eq!(
        operation_gate(&api, "get_pet_photo"),
        gate(&["pet-media", "pets"])
    );
    assert_eq!(operation_gate(&api, "place_order"), gate(&["store"]));
    assert!(operation_gate(&api, "health").is_always());
}

#[test]
fn a_type_compiles_for_the_operations_that_reach_it() {
    let api = lower("tags.yaml");
    assert_eq!(model_gate(&api, "Pet"), gate(&["pets"]));
    // Reached through `Pet`, and held by `Unused`, which every build has.
    assert!(model_gate(&api, "PetKind").is_always());
    assert_eq!(model_gate(&api, "Problem"), gate(&["pets", "store"]));
    assert_eq!(model_gate(&api, "User"), gate(&["users"]));
    assert!(model_gate(&api, "Unused").is_always(), "nothing reaches it");
    let problem_import = api
        .client_models
        .iter()
        .find(|(name, _)| name == "Problem")
        .expect("client.rs names Problem");
    assert_eq!(problem_import.1, gate(&["pets", "store"]));
}

#[test]
fn example_tests_import_the_crate_only_where_an_example_names_its_types() {
    let api = lower("tags.yaml");
    // `Unused.note`'s example is a `String`: every build runs it, and it names no type.
    let note = api
        .examples
        .iter()
        .find(|case| case.pointer.contains("Unused"))
        .expect("the example of Unused.note");
    assert!(note.gate.is_always());
    assert!(api.examples_gate.is_always(), "the helpers serve it");
    assert_eq!(
        api.examples_import,
        Some(gate(&["pets", "store", "users"])),
        "a build with no tag runs only that example, which imports nothing"
    );
}

#[test]
fn runtime_pieces_and_reqwest_features_follow_the_operations_that_need_them() {
    let api = lower("tags.yaml");
    assert_eq!(api.runtime.gate(Piece::Form), gate(&["pets"]));
    assert_eq!(api.runtime.gate(Piece::Nullable), gate(&["store"]));
    assert_eq!(api.runtime.gate(Piece::Base64), gate(&["users"]));
    assert_eq!(
        api.runtime.gate(Piece::Stream),
        gate(&["pet-media", "pets"])
    );
    assert_eq!(
        api.runtime.gate(Piece::Bearer),
        gate(&["pet-media", "pets", "users"])
    );
    assert!(
        api.runtime.gate(Piece::Text).is_always(),
        "`health` is untagged"
    );
    assert!(api.runtime.reqwest_features.is_empty());
    let reqwest: Vec<(&str, &[&str])> = api
        .features
        .iter()
        .map(|f| (f.name.as_str(), f.reqwest_features.as_slice()))
        .collect();
    assert_eq!(
        reqwest,
        [
            ("pet-media", &[][..]),
            ("pets", &["form"][..]),
            ("store", &["multipart"][..]),
            ("users", &[][..])
        ]
    );
}

#[test]
fn credentials_compile_for_the_operations_that_send_them() {
    let api = lower("tags.yaml");
    let gates: Vec<(&str, &Gate)> = api
        .credentials
        .iter()
        .map(|c| (c.rust_name.as_str(), &c.gate))
        .collect();
    assert_eq!(
        gates,
        [
            ("bearer_auth", &gate(&["pet-media", "pets", "users"])),
            ("store_key", &gate(&["store"]))
        ]
    );
    assert_eq!(
        api.security_gate,
        gate(&["pet-media", "pets", "store", "users"])
    );
}

#[test]
fn the_crate_docs_call_an_operation_every_build_has() {
    let api = lower("tags.yaml");
    assert!(api.usage.call_gate.is_always());
    assert!(
        api.usage
            .call
            .iter()
            .any(|line| line.contains("client.health()")),
        "{:?}",
        api.usage.call
    );
}

#[test]
fn one_tag_or_none_means_no_features() {
    // One tag, and none.
    for fixture in ["openapi-3-2.yaml", "security.yaml"] {
        let api = lower(fixture);
        assert!(api.features.is_empty(), "{fixture}: {:?}", api.features);
        assert!(api.operations.iter().all(|op| op.gate.is_always()));
        // Only the crate's own optional features gate runtime pieces.
        let gated: Vec<_> = api.runtime.gates.keys().collect();
        assert!(
            gated
                .iter()
                .all(|piece| matches!(piece, Piece::Tracing | Piece::Oauth)),
            "{fixture}: {gated:?}"
        );
    }
}
