//! Builds generated crates the way someone who vendors them would: as standalone crates
//! outside this workspace, with clippy and rustdoc warnings denied, then runs their own
//! tests (doctests and example round trips included). The checked-in `generated/` and a
//! crate for every fixture spec share one throwaway workspace, so the dependencies are
//! built once, in `target/compile-check`.
//!
//! A crate with one Cargo feature per tag is also built and tested with each alone.
//!
//! A fixture with a file in `tests/behaviour/` (same name) gets it as an integration test:
//! code written against the generated crate's API that checks what goes on the wire,
//! against a loopback server.

use std::path::Path;
use std::process::Command;

#[test]
fn generated_crates_build_standalone_clippy_and_rustdoc_clean() {
    let root = codegen_tests::root();
    let workspace = tempfile::tempdir().expect("temporary folder");
    let crates = workspace.path().join("crates");

    copy_tree(&root.join("generated"), &crates.join("highlevel-contacts"));
    let mut fixture_specs: Vec<_> = std::fs::read_dir(codegen_tests::fixtures("ok"))
        .expect("tests/fixtures/ok exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ext == "yaml" || ext == "json")
        })
        .collect();
    fixture_specs.sort();
    assert!(!fixture_specs.is_empty(), "no fixture specs found");
    let mut tagged = Vec::new();
    for spec in &fixture_specs {
        let settings = codegen_tests::fixture_settings(spec);
        let files = generator::generate(spec, &settings)
            .unwrap_or_else(|e| panic!("{} does not generate:\n{e}", spec.display()));
        let dir = crates.join(&settings.crate_name);
        for file in files {
            let path = dir.join(&file.path);
            std::fs::create_dir_all(path.parent().expect("file in a folder"))
                .expect("create folder");
            std::fs::write(&path, file.contents).expect("write generated file");
        }
        add_behaviour_test(spec, &dir);
        let features = tag_features(&dir);
        if !features.is_empty() {
            tagged.push((settings.crate_name.clone(), features));
        }
    }
    assert!(
        !tagged.is_empty(),
        "no fixture has tag features, so their builds one at a time are not checked"
    );

    std::fs::write(
        workspace.path().join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"crates/*\"]\n",
    )
    .expect("write manifest");
    // The project's lock file pins the same dependency versions the workspace already built.
    std::fs::copy(root.join("Cargo.lock"), workspace.path().join("Cargo.lock"))
        .expect("copy Cargo.lock");

    let target = root.join("target/compile-check");
    cargo(
        workspace.path(),
        &target,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--offline",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    );
    cargo(
        workspace.path(),
        &target,
        &["doc", "--workspace", "--no-deps", "--offline"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    );
    cargo(
        workspace.path(),
        &target,
        &["test", "--workspace", "--offline"],
        &[],
    );

    // A crate with tag features builds clean, and passes its tests, with each one alone
    // and with none: what a user who turns the defaults off gets.
    for (name, features) in &tagged {
        for feature in std::iter::once("").chain(features.iter().map(String::as_str)) {
            let selected = format!("rustls,{feature}");
            let selection = ["-p", name, "--no-default-features", "--features", &selected];
            let mut clippy = vec!["clippy", "--all-targets", "--offline"];
            clippy.extend(selection);
            clippy.extend(["--", "-D", "warnings"]);
            cargo(workspace.path(), &target, &clippy, &[]);
            let mut test = vec!["test", "--offline"];
            test.extend(selection);
            cargo(workspace.path(), &target, &test, &[]);
        }
    }
}

/// The tag features of the generated crate at `dir`: its default features but TLS.
fn tag_features(dir: &Path) -> Vec<String> {
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).expect("read manifest");
    let line = manifest
        .lines()
        .find_map(|line| line.strip_prefix("default = ["))
        .expect("a default feature list");
    line.trim_end_matches(']')
        .split(',')
        .map(|item| item.trim().trim_matches('"').to_string())
        .filter(|item| !item.is_empty() && item != "rustls")
        .collect()
}

/// Gives the fixture crate at `dir` its behaviour test, when `tests/behaviour/` has one for
/// `spec`, and the dev-dependencies such tests use.
fn add_behaviour_test(spec: &Path, dir: &Path) {
    let stem = spec
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("a named spec");
    let behaviour = codegen_tests::root().join(format!("tests/behaviour/{stem}.rs"));
    if !behaviour.is_file() {
        return;
    }
    std::fs::create_dir_all(dir.join("tests")).expect("create tests folder");
    std::fs::copy(&behaviour, dir.join("tests/behaviour.rs")).expect("copy behaviour test");
    let manifest = dir.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest).expect("read manifest");
    text.push_str(
        "\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\", \"net\", \"io-util\"] }\nwiremock = \"0.6\"\nserde_json = \"1\"\n",
    );
    std::fs::write(&manifest, text).expect("write manifest");
}

fn cargo(dir: &Path, target: &Path, args: &[&str], env: &[(&str, &str)]) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let output = Command::new(cargo)
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .envs(env.iter().copied())
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "`cargo {}` failed on the generated crates:\n{}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("readable folder") {
        let entry = entry.expect("readable entry");
        let name = entry.file_name();
        if name == "target" {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_tree(&path, &to.join(name));
        } else {
            std::fs::copy(&path, to.join(name)).expect("copy file");
        }
    }
}
