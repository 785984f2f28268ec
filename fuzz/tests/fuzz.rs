//! Fuzz targets, run by `cargo test` with a few cases each and by
//! `FUZZ_CASES=100000 cargo test --release -p codegen-fuzz -- --nocapture` for a long run:
//!
//! - `loader_takes_any_bytes`: raw bytes (random, or a seed spec with bytes flipped) as a
//!   YAML or JSON spec file: loading never panics.
//! - `generator_survives_mutated_specs`: seed specs with their values, keys, types and
//!   `$ref`s mutated: generation never panics, every generated `.rs` file parses with
//!   `syn::parse_file`, and every diagnostic is well formed.
//! - `decoder_takes_any_response`: any status, headers and body into
//!   `highlevel_contacts::decode_create_contact`: no panic.
//!
//! Inputs that once failed are kept as plain tests at the end of this file.

use std::time::Instant;

use codegen_fuzz::{cases, check_outcome, mutate, seeds, workspace_for_specs, Mutation, Scalar};
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestRunner};

fn config(default_cases: u32) -> Config {
    Config {
        cases: cases(default_cases),
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        max_shrink_iters: 256,
        ..Config::default()
    }
}

fn report(target: &str, cases: u32, start: Instant) {
    println!(
        "{target}: {cases} cases in {:.1?} ({:.1} cases/s)",
        start.elapsed(),
        f64::from(cases) / start.elapsed().as_secs_f64().max(1e-9)
    );
}

// ---------------------------------------------------------------------------------------
// Loader, from raw bytes
// ---------------------------------------------------------------------------------------

fn seed_texts() -> Vec<Vec<u8>> {
    let root = codegen_fuzz::root();
    [
        "spec/create-contact.yaml",
        "tests/fixtures/ok/unions.yaml",
        "tests/fixtures/err/syntax-error.json",
    ]
    .iter()
    .map(|path| std::fs::read(root.join(path)).expect("a seed"))
    .chain(std::iter::once(
        serde_json::to_vec(&seeds()[0].1).expect("the main spec as JSON"),
    ))
    .collect()
}

/// Raw bytes: random ones, or a seed with a few bytes overwritten, inserted or cut.
fn bytes_strategy() -> impl Strategy<Value = Vec<u8>> {
    let seeds = seed_texts();
    let random = proptest::collection::vec(any::<u8>(), 0..512);
    let edits = proptest::collection::vec((any::<usize>(), any::<u8>(), 0..3u8), 1..16);
    let mutated = (0..seeds.len(), edits).prop_map(move |(seed, edits)| {
        let mut bytes = seeds[seed].clone();
        for (at, byte, kind) in edits {
            let at = at % (bytes.len() + 1);
            match kind {
                0 if at < bytes.len() => bytes[at] = byte,
                1 => bytes.insert(at, byte),
                _ if at < bytes.len() => {
                    bytes.remove(at);
                }
                _ => {}
            }
        }
        bytes
    });
    prop_oneof![1 => random, 3 => mutated]
}

#[test]
fn loader_takes_any_bytes() {
    let dir = workspace_for_specs();
    let mut runner = TestRunner::new(config(128));
    let start = Instant::now();
    let result = runner.run(&(bytes_strategy(), any::<bool>()), |(bytes, json)| {
        let path = dir
            .path()
            .join(if json { "spec.json" } else { "spec.yaml" });
        std::fs::write(&path, &bytes).expect("written");
        let outcome = generator::load::load(&path);
        if let Err(error) = &outcome {
            prop_assert!(!error.diagnostics().is_empty(), "{error}");
            let _ = error.to_string();
        }
        if let Ok(spec) = outcome {
            // Whatever loads also lowers (or says why) without panicking.
            let lowered = generator::lower::lower(&spec);
            if let Err(error) = &lowered {
                let _ = error.to_string();
            }
        }
        Ok(())
    });
    report("loader_takes_any_bytes", runner.config().cases, start);
    if let Err(failure) = result {
        panic!("{failure}");
    }
}

// ---------------------------------------------------------------------------------------
// The whole generator, on mutated real specs
// ---------------------------------------------------------------------------------------

fn scalar() -> impl Strategy<Value = Scalar> {
    prop_oneof![
        Just(Scalar::Null),
        any::<bool>().prop_map(Scalar::Bool),
        prop_oneof![any::<i64>(), -3i64..300].prop_map(Scalar::Integer),
        any::<f64>().prop_map(Scalar::Float),
        any::<usize>().prop_map(Scalar::Word),
        "\\PC{0,24}".prop_map(Scalar::Text),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let place = any::<usize>();
    prop_oneof![
        (place, scalar()).prop_map(|(place, scalar)| Mutation::Scalar { place, scalar }),
        (place, any::<bool>()).prop_map(|(place, array)| Mutation::Empty { place, array }),
        place.prop_map(|place| Mutation::Delete { place }),
        (place, any::<usize>(), scalar()).prop_map(|(place, key, scalar)| Mutation::Insert {
            place,
            key,
            scalar
        }),
        (place, any::<usize>()).prop_map(|(place, key)| Mutation::Rename { place, key }),
        (place, any::<usize>()).prop_map(|(place, reference)| Mutation::Ref { place, reference }),
        (place, any::<usize>()).prop_map(|(from, to)| Mutation::Copy { from, to }),
        (place, any::<bool>()).prop_map(|(place, all_of)| Mutation::Wrap { place, all_of }),
    ]
}

#[test]
fn generator_survives_mutated_specs() {
    let seeds = seeds();
    let dir = workspace_for_specs();
    let mut runner = TestRunner::new(config(64));
    let strategy = (
        0..seeds.len(),
        proptest::collection::vec(mutation(), 1..6),
        any::<bool>(),
    );
    let start = Instant::now();
    let result = runner.run(&strategy, |(seed, mutations, json)| {
        let mut document = seeds[seed].1.clone();
        mutate(&mut document, &mutations);
        let (path, text) = if json {
            (
                dir.path().join("spec.json"),
                serde_json::to_string_pretty(&document).expect("JSON"),
            )
        } else {
            (
                dir.path().join("spec.yaml"),
                serde_yaml::to_string(&document).expect("YAML"),
            )
        };
        std::fs::write(&path, text).expect("written");
        let settings = generator::Settings::new("fuzzed", "spec.yaml");
        let outcome = generator::generate(&path, &settings);
        if let Err(problem) = check_outcome(&outcome) {
            return Err(TestCaseError::fail(format!(
                "{problem}\nseed {}, mutations {mutations:?}",
                seeds[seed].0
            )));
        }
        Ok(())
    });
    report(
        "generator_survives_mutated_specs",
        runner.config().cases,
        start,
    );
    if let Err(failure) = result {
        panic!("{failure}");
    }
}

// ---------------------------------------------------------------------------------------
// The generated decoder
// ---------------------------------------------------------------------------------------

const HEADER_NAMES: &[&str] = &[
    "content-type",
    "content-length",
    "retry-after",
    "x-ratelimit-remaining",
    "x-ratelimit-limit",
    "x-ratelimit-interval-milliseconds",
    "x-ratelimit-daily-remaining",
    "x-ratelimit-max",
    "x-request-id",
    "date",
];

/// Bodies: random bytes, or JSON shaped like the API's, with values swapped.
fn body() -> impl Strategy<Value = Vec<u8>> {
    let shapes = [
        r#"{"contact":{"id":"x","firstName":"A","tags":["a"],"customFields":[{"id":"f","value":1}],"dnd":true,"dateAdded":"2021-07-28T00:00:00Z"}}"#,
        r#"{"statusCode":422,"message":["bad"],"error":"Unprocessable Entity"}"#,
        r#"{"statusCode":400,"message":"bad"}"#,
        r#"{"statusCode":401,"message":"no"}"#,
        r#"{}"#,
        r#"[]"#,
        r#"null"#,
    ];
    let json = (
        0..shapes.len(),
        proptest::collection::vec((any::<usize>(), any::<u8>()), 0..6),
    )
        .prop_map(move |(shape, edits)| {
            let mut bytes = shapes[shape].as_bytes().to_vec();
            for (at, byte) in edits {
                let at = at % bytes.len();
                bytes[at] = byte;
            }
            bytes
        });
    prop_oneof![1 => proptest::collection::vec(any::<u8>(), 0..256), 3 => json]
}

#[test]
fn decoder_takes_any_response() {
    use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
    let mut runner = TestRunner::new(config(512));
    let headers = proptest::collection::vec((any::<usize>(), "[ -~]{0,24}"), 0..6);
    let strategy = (prop_oneof![100u16..600, 100u16..1000], headers, body());
    let start = Instant::now();
    let result = runner.run(&strategy, |(status, headers, body)| {
        let Ok(status) = reqwest::StatusCode::from_u16(status) else {
            return Ok(());
        };
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            let name = HeaderName::from_static(HEADER_NAMES[name % HEADER_NAMES.len()]);
            if let Ok(value) = HeaderValue::from_str(&value) {
                map.append(name, value);
            }
        }
        let decoded = highlevel_contacts::decode_create_contact(status, map, &body);
        // Whatever the outcome, it can be shown.
        let _ = format!("{decoded:?}");
        Ok(())
    });
    report("decoder_takes_any_response", runner.config().cases, start);
    if let Err(failure) = result {
        panic!("{failure}");
    }
}

// ---------------------------------------------------------------------------------------
// Inputs that once failed
// ---------------------------------------------------------------------------------------
