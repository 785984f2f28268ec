//! The generator prints most items by filling in layouts that prettyplease printed for
//! items of the same shape; these tests hold that shortcut to prettyplease's own text,
//! part by part, over the project's specs and fixtures and over every spec of the corpora.

use std::path::Path;

use crate::corpus;

#[test]
fn layouts_print_what_prettyplease_prints_for_the_fixtures() {
    let root = crate::project_root();
    let mut specs = vec![root.join("spec/create-contact.yaml")];
    let fixtures =
        std::fs::read_dir(root.join("tests/fixtures/ok")).expect("the fixtures are there");
    specs.extend(
        fixtures
            .map(|entry| entry.expect("the fixtures folder is readable").path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "yaml")),
    );
    specs.sort();
    assert!(specs.len() > 10, "the fixtures were not found: {specs:?}");
    let failures = check(&specs, |spec| {
        let label = spec.display().to_string();
        (
            label,
            spec.clone(),
            generator::load::LoadOptions::default(),
            "fixture".to_string(),
        )
    });
    assert_no_failures(&failures);
}

#[test]
fn layouts_print_what_prettyplease_prints_for_the_corpora() {
    let root = crate::project_root();
    let Some(corpus) = corpus::discover(&root, &[], None, &[]).expect("the corpora are readable")
    else {
        println!(
            "skipped: {} and {} are absent",
            corpus::HIGHLEVEL,
            corpus::PUBLIC
        );
        return;
    };
    let failures = check(&corpus.entries, |entry| {
        (
            entry.label.clone(),
            entry.spec.clone(),
            entry.options.clone(),
            entry.crate_name.clone(),
        )
    });
    assert_no_failures(&failures);
}

type Job = (
    String,
    std::path::PathBuf,
    generator::load::LoadOptions,
    String,
);

/// Every part printed differently (or a spec that does not generate), over `items`.
fn check<T: Sync>(items: &[T], job: impl Fn(&T) -> Job + Sync) -> Vec<String> {
    // Parts remembered from other crates would not be printed again.
    generator::forget_printed();
    let results = crate::parallel::map(items, |item| {
        let (label, spec, options, crate_name) = job(item);
        mismatches(&label, &spec, &options, &crate_name)
    });
    let mut failures = Vec::new();
    for result in results {
        match result.expect("every spec was worked on") {
            Ok(found) => failures.extend(found),
            Err(message) => failures.push(message),
        }
    }
    failures
}

fn mismatches(
    label: &str,
    spec: &Path,
    options: &generator::load::LoadOptions,
    crate_name: &str,
) -> Result<Vec<String>, String> {
    let spec =
        generator::load::load_with(spec, options).map_err(|err| format!("{label}: {err}"))?;
    let api = generator::lower::lower(&spec).map_err(|err| format!("{label}: {err}"))?;
    let settings = generator::Settings::new(crate_name, label);
    let found =
        generator::layout_mismatches(&api, &settings).map_err(|err| format!("{label}: {err}"))?;
    Ok(found
        .into_iter()
        .map(|mismatch| {
            format!(
                "{label} {}:\n{}",
                mismatch.file,
                first_difference(&mismatch)
            )
        })
        .collect())
}

fn assert_no_failures(failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} parts are printed differently; the first:\n{}",
        failures.len(),
        failures[0]
    );
}

/// The lines around the first line where the two texts differ.
fn first_difference(mismatch: &generator::LayoutMismatch) -> String {
    let ours: Vec<&str> = mismatch.layouts.lines().collect();
    let theirs: Vec<&str> = mismatch.prettyplease.lines().collect();
    let at = ours
        .iter()
        .zip(&theirs)
        .position(|(a, b)| a != b)
        .unwrap_or(ours.len().min(theirs.len()));
    let around = |lines: &[&str]| lines[at.saturating_sub(3)..(at + 4).min(lines.len())].join("\n");
    format!(
        "from layouts:\n{}\nfrom prettyplease:\n{}",
        around(&ours),
        around(&theirs)
    )
}
