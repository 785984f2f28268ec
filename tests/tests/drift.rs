//! `generated/` is exactly what the generator makes from `spec/` today, so `cargo test`
//! alone catches a spec or generator change that was not followed by `cargo xtask codegen`.

use std::collections::BTreeSet;
use std::path::Path;

#[test]
fn checked_in_crate_matches_a_fresh_generation() {
    let files = generator::generate(&codegen_tests::main_spec(), &codegen_tests::main_settings())
        .expect("the main spec generates");
    let generated = codegen_tests::root().join("generated");
    let mut stale = Vec::new();
    for file in &files {
        let on_disk = std::fs::read_to_string(generated.join(&file.path)).unwrap_or_default();
        if on_disk != file.contents {
            stale.push(file.path.clone());
        }
    }
    assert!(
        stale.is_empty(),
        "generated/ is stale in {stale:?}; run `cargo xtask codegen`"
    );

    let expected: BTreeSet<String> = files.iter().map(|f| f.path.clone()).collect();
    let mut on_disk = BTreeSet::new();
    list_files(&generated, &generated, &mut on_disk);
    assert_eq!(
        on_disk, expected,
        "generated/ holds files the generator does not make, or lacks some"
    );
}

fn list_files(root: &Path, dir: &Path, out: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).expect("readable folder") {
        let path = entry.expect("readable entry").path();
        let relative = path
            .strip_prefix(root)
            .expect("under root")
            .to_string_lossy()
            .replace('\\', "/");
        if relative == "target" || relative == "Cargo.lock" {
            continue;
        }
        if path.is_dir() {
            list_files(root, &path, out);
        } else {
            out.insert(relative);
        }
    }
}
