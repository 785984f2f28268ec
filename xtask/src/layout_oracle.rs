//! The generator prints most items by filling in layouts that prettyplease printed for
//! items of the same shape; this holds that shortcut to prettyplease's own text, part by
//! part, over every spec of the corpora.

use crate::corpus;

#[test]
fn layouts_print_what_prettyplease_prints() {
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
    // Parts remembered from other tests' crates would not be printed again.
    generator::forget_printed();
    let results = crate::parallel::map(&corpus.entries, |entry| {
        let spec = generator::load::load_with(&entry.spec, &entry.options)
            .map_err(|err| format!("{}: {err}", entry.label))?;
        let api =
            generator::lower::lower(&spec).map_err(|err| format!("{}: {err}", entry.label))?;
        let settings = generator::Settings::new(&entry.crate_name, &entry.label);
        let found = generator::layout_mismatches(&api, &settings)
            .map_err(|err| format!("{}: {err}", entry.label))?;
        Ok::<_, String>(
            found
                .into_iter()
                .map(|mismatch| {
                    format!(
                        "{} {}:\n{}",
                        entry.label,
                        mismatch.file,
                        first_difference(&mismatch)
                    )
                })
                .collect::<Vec<_>>(),
        )
    });
    let mut failures = Vec::new();
    for result in results {
        match result.expect("every spec was worked on") {
            Ok(found) => failures.extend(found),
            Err(message) => failures.push(message),
        }
    }
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
