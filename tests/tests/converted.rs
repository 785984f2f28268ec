//! A description converted from OpenAPI 3.0 to 3.1 the way a person does it (`nullable`
//! as a type array or a `null` alternative, `example` as `examples`, boolean
//! `exclusiveMinimum` as a number) generates the same crate as the original: the same
//! public API, and the same code behind it.

use std::path::Path;

use codegen_tests::fixtures;

fn generated(spec: &Path) -> Vec<generator::GeneratedFile> {
    // One name for both, so that the files can only differ by what the specs mean.
    let settings = generator::Settings::new("orders", "spec/orders.yaml");
    generator::generate(spec, &settings)
        .unwrap_or_else(|error| panic!("{} does not generate:\n{error}", spec.display()))
}

#[test]
fn a_spec_converted_from_3_0_to_3_1_generates_the_same_crate() {
    let folder = fixtures("converted");
    let original = generated(&folder.join("orders-3.0.yaml"));
    let converted = generated(&folder.join("orders-3.1.yaml"));
    let paths = |files: &[generator::GeneratedFile]| -> Vec<String> {
        files.iter().map(|file| file.path.clone()).collect()
    };
    assert_eq!(paths(&original), paths(&converted), "the same files");
    for (before, after) in original.iter().zip(&converted) {
        if before.path.starts_with("tests/") {
            // The example tests name where each example sits (`example`, `examples/0`):
            // the same tests, of the same values, are what must match.
            let without_pointers = |text: &str| -> String {
                text.lines()
                    .filter(|line| !line.starts_with("/// The example at"))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            assert_eq!(
                without_pointers(&before.contents),
                without_pointers(&after.contents),
                "`{}`: the same example tests",
                before.path
            );
            continue;
        }
        if before.contents != after.contents {
            let diff = similar::TextDiff::from_lines(&before.contents, &after.contents);
            panic!(
                "`{}` differs between the 3.0 and the 3.1 spec:\n{}",
                before.path,
                diff.unified_diff().context_radius(2)
            );
        }
    }
    // The comparison means something only if both have the constructs that differ.
    let models = original
        .iter()
        .find(|file| file.path == "src/models.rs")
        .expect("models");
    for expected in [
        "Nullable<String>",
        "Option<String>",
        "Nullable<Address>",
        "Nullable<Vec<String>>",
    ] {
        assert!(
            models.contents.contains(expected),
            "models.rs has `{expected}`"
        );
    }
}
