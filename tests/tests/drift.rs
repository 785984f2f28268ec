//! `generated/` is exactly what the generator makes from `spec/` today, so `cargo test`
//! alone catches a spec or generator change that was not followed by `cargo xtask codegen`.

use std::collections::BTreeSet;

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
    let on_disk: BTreeSet<String> = ["Cargo.toml"]
        .into_iter()
        .map(str::to_string)
        .chain(
            std::fs::read_dir(generated.join("src"))
                .expect("generated/src exists")
                .map(|entry| {
                    format!(
                        "src/{}",
                        entry.expect("readable entry").file_name().to_string_lossy()
                    )
                }),
        )
        .collect();
    assert_eq!(
        on_disk, expected,
        "generated/ holds files the generator does not make, or lacks some"
    );
}
