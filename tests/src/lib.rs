//! Helpers shared by the test suites: where the project and its fixtures are, and how to
//! run the generator on them. The README is included below so that its client example is
//! compiled by `cargo test` and cannot go stale.
#![doc = include_str!("../../README.md")]

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace")
        .to_path_buf()
}

/// The main spec, `spec/create-contact.yaml`.
pub fn main_spec() -> PathBuf {
    root().join("spec/create-contact.yaml")
}

/// `tests/fixtures/<kind>/`.
pub fn fixtures(kind: &str) -> PathBuf {
    root().join("tests/fixtures").join(kind)
}

/// The read-only `../shared` folder beside the project, when it is there. Tests that need
/// it print that they were skipped when it is not.
pub fn shared() -> Option<PathBuf> {
    let shared = root().parent()?.join("shared");
    shared.is_dir().then_some(shared)
}

/// The settings `cargo xtask codegen` uses for `generated/`.
pub fn main_settings() -> generator::Settings {
    generator::Settings::new("highlevel-contacts", "spec/create-contact.yaml")
}

/// Settings for a fixture crate, named after its file.
pub fn fixture_settings(spec: &Path) -> generator::Settings {
    let stem = spec
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("fixture");
    let mut settings = generator::Settings::new(
        format!("fixture-{stem}"),
        format!("tests/fixtures/ok/{stem}.yaml"),
    );
    settings.regenerate_command = "cargo insta test (fixture)".to_string();
    settings
}
