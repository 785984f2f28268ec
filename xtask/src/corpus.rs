//! `cargo xtask corpus`: the generator against real-world specs. Every spec file of the
//! corpus folders becomes one crate of a single cargo workspace under `target/corpus/`;
//! the workspace is checked with one clippy run (warnings denied) and its tests are run,
//! and a table says, per file, what generated, what compiled and which examples
//! round-tripped.
//!
//! Conventions (see the README's "The HighLevel corpus"):
//! - corpus folders are named by their path under the reference root, by default
//!   `../shared/specs/highlevel`: `apps`, `apps/v3`;
//! - a file's *corpus name* is its path under `apps/` without the extension
//!   (`contacts`, `v3/contacts-v3`); its crate is `hl-` + the corpus name with `/` as `-`
//!   (`hl-contacts`, `hl-v3-contacts-v3`), and its overlay, applied when present, is
//!   `spec/overlays/highlevel/<corpus name>.yaml`, after `every-file.yaml` beside it;
//! - `$ref` rewrites per folder come from [`FOLDER_REWRITES`].

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The HighLevel corpus, relative to the project root.
pub const HIGHLEVEL: &str = "../shared/specs/highlevel";
/// The corpus of other APIs' published descriptions, one folder each, relative to the
/// project root.
pub const PUBLIC: &str = "../shared/specs/public";
/// Specs larger than this are generated, but compiled and tested only with `--full`:
/// their crates are the bulk of a corpus run's time.
const LARGE_SPEC_BYTES: u64 = 1024 * 1024;
/// Its folders that `corpus` and `bench` read when given none.
pub const DEFAULT_FOLDERS: &[&str] = &["apps", "apps/v3"];
/// Where per-file overlays live, relative to the project root.
pub const OVERLAYS: &str = "spec/overlays/highlevel";
/// The overlay applied to every HighLevel file before its own, in [`OVERLAYS`].
const EVERY_FILE: &str = "every-file.yaml";
/// Where the overlays of a folder of spec folders live: `spec/overlays/<folder>/`.
const OVERLAYS_ROOT: &str = "spec/overlays";
/// The folder whose files get crates named without a sub-folder part.
const APPS: &str = "apps";
/// Crate-name prefix of corpus crates.
const CRATE_PREFIX: &str = "hl-";
/// `$ref` rewrites for the files of a folder (named under the reference root): HighLevel's
/// v3 files refer to `../common/` but ship the common file in `common/` beside them.
const FOLDER_REWRITES: &[(&str, &str, &str)] = &[("apps/v3", "../common/", "common/")];

/// Arguments of `cargo xtask corpus`.
#[derive(clap::Args)]
pub struct CorpusArgs {
    /// Folders of spec files (`*.json`, `*.yaml`, `*.yml`, not recursive)
    /// [default: ../shared/specs/highlevel/apps and ../shared/specs/highlevel/apps/v3].
    #[arg(value_name = "DIR")]
    dirs: Vec<PathBuf>,
    /// The folder relative `$ref`s may reach into [default: ../shared/specs/highlevel when
    /// DIR is inside it, else DIR's parent].
    #[arg(long, value_name = "DIR")]
    ref_root: Option<PathBuf>,
    /// An extra `$ref` rewrite for every file, on top of the per-folder ones.
    #[arg(long = "ref-rewrite", value_name = "FROM=TO", value_parser = crate::parse_rewrite)]
    ref_rewrites: Vec<(String, String)>,
    /// The workspace of generated crates [default: target/corpus].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Cargo's target directory for that workspace [default: target/corpus-target].
    #[arg(long, value_name = "DIR")]
    target_dir: Option<PathBuf>,
    /// Build with `--release` (slower to build, the same checks).
    #[arg(long)]
    release: bool,
    /// Generate only: no clippy, no tests.
    #[arg(long)]
    no_build: bool,
    /// Generate and run clippy, but run no tests.
    #[arg(long, conflicts_with = "no_build")]
    no_test: bool,
    /// Also compile and test the crates of the largest specs (over 1 MiB), which are
    /// otherwise only generated.
    #[arg(long)]
    full: bool,
}

/// One spec file of the corpus and how to load it.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The file as shown in tables, e.g. `apps/v3/contacts-v3.json`.
    pub label: String,
    pub spec: PathBuf,
    pub crate_name: String,
    pub options: generator::load::LoadOptions,
    /// Whether the spec is over [`LARGE_SPEC_BYTES`].
    pub large: bool,
}

/// What the folders hold, or why they cannot be read.
pub struct Corpus {
    pub entries: Vec<Entry>,
    /// Overlay files that belong to no spec file (a typo or a removed spec).
    pub orphan_overlays: Vec<PathBuf>,
}

/// Finds the spec files of `dirs` (or of the default corpus) and how to load each.
/// `Ok(None)`: the default corpus is not there (`../shared` is absent).
pub fn discover(
    root: &Path,
    dirs: &[PathBuf],
    ref_root: Option<&Path>,
    extra_rewrites: &[(String, String)],
) -> Result<Option<Corpus>, String> {
    let highlevel = normalize(&root.join(HIGHLEVEL));
    let public = normalize(&root.join(PUBLIC));
    let dirs: Vec<PathBuf> = if dirs.is_empty() {
        let mut defaults: Vec<PathBuf> = Vec::new();
        if highlevel.is_dir() {
            defaults.extend(DEFAULT_FOLDERS.iter().map(|d| highlevel.join(d)));
        }
        if public.is_dir() {
            defaults.push(public.clone());
        }
        if defaults.is_empty() {
            return Ok(None);
        }
        defaults
    } else {
        dirs.iter().map(|d| normalize(&absolute(d))).collect()
    };
    let overlays_root = root.join(OVERLAYS);
    let mut entries = Vec::new();
    let mut wanted_overlays = BTreeSet::new();
    let mut overlay_dirs = BTreeSet::new();
    for dir in &dirs {
        if !dir.is_dir() {
            return Err(format!("{} is not a folder", dir.display()));
        }
        if !holds_specs(dir)? {
            discover_suite(
                root,
                dir,
                ref_root,
                extra_rewrites,
                &mut entries,
                &mut wanted_overlays,
                &mut overlay_dirs,
            )?;
            continue;
        }
        let dir_ref_root = match ref_root {
            Some(given) => normalize(&absolute(given)),
            None if dir.starts_with(&highlevel) => highlevel.clone(),
            None => dir
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| dir.clone()),
        };
        let folder = dir
            .strip_prefix(&dir_ref_root)
            .map_err(|_| {
                format!(
                    "{} is not inside the reference root {}",
                    dir.display(),
                    dir_ref_root.display()
                )
            })?
            .to_string_lossy()
            .replace('\\', "/");
        // The folder's part of corpus names: `apps` -> "", `apps/v3` -> "v3".
        let sub = folder
            .strip_prefix(APPS)
            .filter(|rest| rest.is_empty() || rest.starts_with('/'))
            .map(|rest| rest.trim_start_matches('/').to_string())
            .unwrap_or_else(|| folder.clone());
        let mut rewrites: Vec<(String, String)> = FOLDER_REWRITES
            .iter()
            .filter(|(name, _, _)| *name == folder && dir.starts_with(&highlevel))
            .map(|(_, from, to)| (from.to_string(), to.to_string()))
            .collect();
        rewrites.extend(extra_rewrites.iter().cloned());
        let overlay_dir = if sub.is_empty() {
            overlays_root.clone()
        } else {
            overlays_root.join(&sub)
        };
        overlay_dirs.insert(overlay_dir.clone());

        // HighLevel's files share what they all leave out.
        let every_file: Option<PathBuf> = Some(overlays_root.join(EVERY_FILE))
            .filter(|path| dir.starts_with(&highlevel) && path.is_file());
        if let Some(path) = &every_file {
            wanted_overlays.insert(path.clone());
        }
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.is_file() && is_spec(path))
            .collect();
        files.sort();
        for spec in files {
            let stem = spec
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let corpus_name = if sub.is_empty() {
                stem.clone()
            } else {
                format!("{sub}/{stem}")
            };
            let overlay = overlay_dir.join(format!("{stem}.yaml"));
            wanted_overlays.insert(overlay.clone());
            let file_name = spec
                .file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            entries.push(Entry {
                label: format!("{folder}/{file_name}"),
                crate_name: crate_name(&corpus_name),
                options: generator::load::LoadOptions {
                    overlays: every_file
                        .iter()
                        .cloned()
                        .chain(overlay.is_file().then_some(overlay))
                        .collect(),
                    ref_root: Some(dir_ref_root.clone()),
                    ref_rewrites: rewrites.clone(),
                },
                large: is_large(&spec),
                spec,
            });
        }
    }
    let mut seen = BTreeMap::new();
    for entry in &entries {
        if let Some(other) = seen.insert(entry.crate_name.clone(), entry.label.clone()) {
            return Err(format!(
                "{} and {} would both become crate `{}`",
                other, entry.label, entry.crate_name
            ));
        }
    }
    let mut orphan_overlays = Vec::new();
    for dir in &overlay_dirs {
        let Ok(listing) = std::fs::read_dir(dir) else {
            continue;
        };
        for path in listing.filter_map(|e| e.ok().map(|e| e.path())) {
            let is_yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
            if path.is_file() && is_yaml && !wanted_overlays.contains(&path) {
                orphan_overlays.push(path);
            }
        }
    }
    orphan_overlays.sort();
    Ok(Some(Corpus {
        entries,
        orphan_overlays,
    }))
}

/// Whether `dir` holds spec files itself (else it is a folder of spec folders).
fn holds_specs(dir: &Path) -> Result<bool, String> {
    let listing = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(listing
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .any(|path| path.is_file() && is_spec(&path)))
}

fn is_large(spec: &Path) -> bool {
    std::fs::metadata(spec).is_ok_and(|metadata| metadata.len() > LARGE_SPEC_BYTES)
}

/// A folder of spec folders (the layout of `../shared/specs/public`): each sub-folder is one
/// API, whose entry file its README table names (`| `folder` | `entry` | ...`) or, without
/// one, its `openapi.*` file. `$ref`s may reach anywhere in the API's folder. The crate of
/// `public/lob` is `public-lob`; its overlay `spec/overlays/public/lob.yaml`.
fn discover_suite(
    root: &Path,
    dir: &Path,
    ref_root: Option<&Path>,
    extra_rewrites: &[(String, String)],
    entries: &mut Vec<Entry>,
    wanted_overlays: &mut BTreeSet<PathBuf>,
    overlay_dirs: &mut BTreeSet<PathBuf>,
) -> Result<(), String> {
    let suite = dir
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "corpus".to_string());
    let named = readme_entries(&dir.join("README.md"));
    let overlay_dir = root.join(OVERLAYS_ROOT).join(&suite);
    overlay_dirs.insert(overlay_dir.clone());
    let mut folders: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_dir())
        .collect();
    folders.sort();
    for folder in folders {
        let name = folder
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let entry_file = match named.get(&name) {
            Some(entry) => entry.clone(),
            None => entry_file(&folder)?,
        };
        let spec = folder.join(&entry_file);
        if !spec.is_file() {
            return Err(format!(
                "{}: the entry file `{entry_file}` is not there",
                folder.display()
            ));
        }
        let overlay = overlay_dir.join(format!("{name}.yaml"));
        wanted_overlays.insert(overlay.clone());
        entries.push(Entry {
            label: format!("{suite}/{name}/{entry_file}"),
            crate_name: crate_name_in(&suite, &name),
            options: generator::load::LoadOptions {
                overlays: overlay.is_file().then_some(overlay).into_iter().collect(),
                ref_root: Some(
                    ref_root
                        .map(|r| normalize(&absolute(r)))
                        .unwrap_or_else(|| folder.clone()),
                ),
                ref_rewrites: extra_rewrites.to_vec(),
            },
            large: is_large(&spec),
            spec,
        });
    }
    Ok(())
}

/// The entry files a corpus README's table names: `| `folder` | `entry file` | ...`.
fn readme_entries(readme: &Path) -> BTreeMap<String, String> {
    let Ok(text) = std::fs::read_to_string(readme) else {
        return BTreeMap::new();
    };
    let quoted = |cell: &str| {
        let cell = cell.trim();
        (cell.len() > 2 && cell.starts_with('`') && cell.ends_with('`'))
            .then(|| cell[1..cell.len() - 1].to_string())
    };
    text.lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').collect();
            let folder = quoted(cells.get(1)?)?;
            let entry = quoted(cells.get(2)?)?;
            is_spec(Path::new(&entry)).then_some((folder, entry))
        })
        .collect()
}

/// The entry file of an API folder without a README row: its `openapi.*` file.
fn entry_file(folder: &Path) -> Result<String, String> {
    for name in ["openapi.yaml", "openapi.yml", "openapi.json"] {
        if folder.join(name).is_file() {
            return Ok(name.to_string());
        }
    }
    Err(format!(
        "{}: no `openapi.yaml`, `openapi.yml` or `openapi.json`; name the entry file in the corpus README's table",
        folder.display()
    ))
}

/// `public`, `lob` -> `public-lob`.
fn crate_name_in(suite: &str, name: &str) -> String {
    let mut out = String::new();
    for c in format!("{suite}-{name}").chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn is_spec(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "json" | "yaml" | "yml"))
}

/// `v3/contacts-v3` -> `hl-v3-contacts-v3`: lowercase, anything but letters and digits
/// becomes `-`.
fn crate_name(corpus_name: &str) -> String {
    let mut name = String::from(CRATE_PREFIX);
    for c in corpus_name.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.ends_with('-') {
            name.push('-');
        }
    }
    name.trim_end_matches('-').to_string()
}

fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    }
}

/// Removes `.` and `name/..` without touching the file system (the folders may not exist).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// A path as the user reads it: relative to the project root when under it or beside it.
pub fn shown(path: &Path, root: &Path) -> String {
    if let Ok(relative) = path.strip_prefix(root) {
        return relative.display().to_string();
    }
    if let Some(parent) = root.parent() {
        if let Ok(relative) = path.strip_prefix(parent) {
            return format!("../{}", relative.display());
        }
    }
    path.display().to_string()
}

/// The result of one file, filled in stage by stage.
#[derive(Debug, Default)]
struct Outcome {
    operations: usize,
    types: usize,
    /// Problems that stopped generation (0 when it generated).
    diagnostics: usize,
    /// `cargo xtask lint` findings: contradicting examples, shadowed union variants, name collisions.
    lint: usize,
    generation: Duration,
    /// The rendered generation error.
    error: Option<String>,
    generated: bool,
    /// Whether the crate is compiled and tested in this run (large ones only with `--full`).
    built: bool,
    /// Errors clippy reported in the crate, and the first of them.
    clippy_errors: usize,
    first_clippy_error: Option<String>,
    /// Clippy errors by lint or error code (the message when there is no code).
    clippy_kinds: BTreeMap<String, usize>,
    /// Whether clippy finished the crate (an artifact was reported).
    checked: bool,
    examples: Tally,
    tests: Tally,
    failed_tests: Vec<String>,
    /// A test binary that did not build or could not run.
    test_trouble: Option<String>,
}

#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    passed: usize,
    total: usize,
}

impl Outcome {
    fn compiled(&self) -> bool {
        self.generated && self.checked && self.clippy_errors == 0
    }
}

/// Exit codes: 0 every file generated, compiled and passed its tests (or the corpus is
/// absent); 1 some did not; 2 bad arguments or I/O failure.
pub fn run(args: CorpusArgs) -> ExitCode {
    let root = crate::project_root();
    let corpus = match discover(
        &root,
        &args.dirs,
        args.ref_root.as_deref(),
        &args.ref_rewrites,
    ) {
        Ok(Some(corpus)) => corpus,
        Ok(None) => {
            println!("skipped: {HIGHLEVEL} and {PUBLIC} are absent");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    if corpus.entries.is_empty() {
        eprintln!("error: no spec files (*.json, *.yaml, *.yml) in the given folders");
        return ExitCode::from(2);
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| root.join("target/corpus"));
    let out = normalize(&absolute(&out));
    let target_dir = args
        .target_dir
        .clone()
        .unwrap_or_else(|| root.join("target/corpus-target"));
    let target_dir = normalize(&absolute(&target_dir));
    let entries = &corpus.entries;
    let count = entries.len();

    println!("corpus: {count} spec files -> {}", shown(&out, &root));
    let mut outcomes: Vec<Outcome> = Vec::with_capacity(count);
    let generation_started = Instant::now();
    let generated = generate_all(entries, &out, &root);
    for (index, (entry, outcome)) in entries.iter().zip(generated).enumerate() {
        let outcome = match outcome {
            Ok(outcome) => outcome,
            Err(message) => {
                eprintln!("error: {message}");
                return ExitCode::from(2);
            }
        };
        let status = if outcome.generated {
            format!("{} operations, {} types", outcome.operations, outcome.types)
        } else {
            format!("FAILED, {} problem(s)", outcome.diagnostics)
        };
        println!(
            "[{:>3}/{count}] generate {:<42} {:>7.1} ms  {status}",
            index + 1,
            entry.label,
            ms(outcome.generation)
        );
        outcomes.push(outcome);
    }
    let generation_wall = generation_started.elapsed();

    for (entry, outcome) in entries.iter().zip(outcomes.iter_mut()) {
        outcome.built = outcome.generated && !args.no_build && (!entry.large || args.full);
    }
    let generated: Vec<&str> = entries
        .iter()
        .zip(&outcomes)
        .filter(|(_, outcome)| outcome.generated)
        .map(|(entry, _)| entry.crate_name.as_str())
        .collect();
    let members: Vec<&str> = entries
        .iter()
        .zip(&outcomes)
        .filter(|(_, outcome)| outcome.built)
        .map(|(entry, _)| entry.crate_name.as_str())
        .collect();
    if let Err(message) = write_workspace(&out, &root, &members, &generated) {
        eprintln!("error: {message}");
        return ExitCode::from(2);
    }

    let mut clippy_time = None;
    let mut test_time = None;
    let mut cargo_trouble = Vec::new();
    if !args.no_build && !members.is_empty() {
        let crate_index: BTreeMap<String, usize> = entries
            .iter()
            .enumerate()
            .map(|(index, entry)| (entry.crate_name.clone(), index))
            .collect();
        let started = Instant::now();
        println!(
            "\n==> cargo clippy --workspace --all-targets -- -D warnings ({} crates; the first run builds the dependencies too)",
            members.len()
        );
        match clippy(&out, &target_dir, args.release, &crate_index, &mut outcomes) {
            Ok(None) => {}
            Ok(Some(trouble)) => cargo_trouble.push(trouble),
            Err(message) => {
                eprintln!("error: {message}");
                return ExitCode::from(2);
            }
        }
        clippy_time = Some(started.elapsed());
        println!("clippy took {:.1} s", secs(started.elapsed()));

        if !args.no_test {
            let started = Instant::now();
            println!(
                "\n==> cargo test --workspace --test '*' (building the integration tests, then running them)"
            );
            match tests(
                &out,
                &target_dir,
                args.release,
                entries,
                &crate_index,
                &mut outcomes,
            ) {
                Ok(None) => {}
                Ok(Some(trouble)) => cargo_trouble.push(trouble),
                Err(message) => {
                    eprintln!("error: {message}");
                    return ExitCode::from(2);
                }
            }
            test_time = Some(started.elapsed());
            println!("tests took {:.1} s", secs(started.elapsed()));
        }
    }

    let report = report(
        entries,
        &outcomes,
        &corpus.orphan_overlays,
        &root,
        !args.no_build,
        !args.no_build && !args.no_test,
    );
    println!("\n{report}");
    let mut times = format!(
        "time: generation (with writing the crates) {:.1} s",
        secs(generation_wall)
    );
    if let Some(clippy) = clippy_time {
        let _ = write!(times, ", clippy {:.1} s", secs(clippy));
    }
    if let Some(tests) = test_time {
        let _ = write!(times, ", tests {:.1} s", secs(tests));
    }
    println!("{times}");
    let _ = std::fs::write(out.join("report.txt"), format!("{report}\n{times}\n"));
    for trouble in &cargo_trouble {
        eprintln!("\n{trouble}");
    }

    let build = !args.no_build;
    let test = build && !args.no_test;
    let all_good = corpus.orphan_overlays.is_empty()
        && cargo_trouble.is_empty()
        && outcomes.iter().all(|outcome| {
            outcome.generated
                && (!build || !outcome.built || outcome.compiled())
                && (!test
                    || !outcome.built
                    || (outcome.failed_tests.is_empty()
                        && outcome.test_trouble.is_none()
                        && outcome.examples.passed == outcome.examples.total
                        && outcome.tests.passed == outcome.tests.total))
        });
    if all_good {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Generates one file's crate into `out/crates/<crate>/`; `Err` only for I/O failures.
/// Every entry through [`generate_one`], as many at a time as the machine has cores (the
/// files are independent), the outcomes in the entries' order.
fn generate_all(entries: &[Entry], out: &Path, root: &Path) -> Vec<Result<Outcome, String>> {
    crate::parallel::map(entries, |entry| generate_one(entry, out, root))
        .into_iter()
        .map(|outcome| outcome.unwrap_or_else(|| Err("a generation thread stopped".to_string())))
        .collect()
}

fn generate_one(entry: &Entry, out: &Path, root: &Path) -> Result<Outcome, String> {
    let mut outcome = Outcome::default();
    let mut settings = generator::Settings::new(entry.crate_name.clone(), shown(&entry.spec, root));
    settings.regenerate_command = "cargo xtask corpus".to_string();
    let started = Instant::now();
    let result = generator::load::load_with(&entry.spec, &entry.options).and_then(|spec| {
        // Lint findings do not stop generation; the table counts them beside the errors.
        outcome.lint = generator::lint::lint(&spec).len();
        let api = generator::lower::lower(&spec)?;
        outcome.operations = api.operations.len();
        outcome.types = api.models.len();
        generator::generate_from_ir(&api, &settings)
    });
    outcome.generation = started.elapsed();
    match result {
        Ok(files) => {
            crate::write::write(&out.join("crates").join(&entry.crate_name), &files)
                .map_err(|e| e.to_string())?;
            outcome.generated = true;
        }
        Err(error) => {
            outcome.diagnostics = error.diagnostics().len().max(1);
            outcome.error = Some(crate::relabel(error, root).to_string());
        }
    }
    Ok(outcome)
}

/// Writes the workspace manifest (with `members`, the crates to build) and lock file, and
/// removes crates of earlier runs that this run did not generate.
fn write_workspace(
    out: &Path,
    root: &Path,
    members: &[&str],
    generated: &[&str],
) -> Result<(), String> {
    let crates = out.join("crates");
    std::fs::create_dir_all(&crates).map_err(|e| format!("{}: {e}", crates.display()))?;
    let keep: BTreeSet<&str> = generated.iter().copied().collect();
    for entry in std::fs::read_dir(&crates)
        .map_err(|e| format!("{}: {e}", crates.display()))?
        .filter_map(Result::ok)
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !keep.contains(name.as_str()) {
            let path = entry.path();
            let removed = if path.is_dir() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
            removed.map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    let mut manifest = String::from(
        "# @generated by `cargo xtask corpus`. Do not edit by hand.\n\n[workspace]\nresolver = \"2\"\nmembers = [\n",
    );
    for member in members {
        let _ = writeln!(manifest, "    \"crates/{member}\",");
    }
    manifest.push_str("]\n");
    write_if_changed(&out.join("Cargo.toml"), &manifest)?;
    // The project's lock file: the dependencies the project already built, no fetching.
    let lock =
        std::fs::read_to_string(root.join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    write_if_changed(&out.join("Cargo.lock"), &lock)
}

fn write_if_changed(path: &Path, contents: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).ok().as_deref() == Some(contents) {
        return Ok(());
    }
    std::fs::write(path, contents).map_err(|e| format!("{}: {e}", path.display()))
}

/// A cargo command in the corpus workspace, reporting JSON messages on stdout.
fn cargo(out: &Path, target_dir: &Path, release: bool, args: &[&str]) -> Command {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut command = Command::new(cargo);
    command.args(args);
    command.args(["--workspace", "--offline", "--message-format=json"]);
    if release {
        command.arg("--release");
    }
    command
        .current_dir(out)
        .env("CARGO_TARGET_DIR", target_dir)
        .env_remove("RUSTFLAGS")
        // A hundred crates built once: incremental caches and full debug info would take
        // tens of gigabytes of disk for nothing a corpus run reads.
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .env("CARGO_TERM_COLOR", "never");
    command
}

/// The crate a cargo JSON message is about, by its manifest's folder name.
fn message_crate(message: &Value, crate_index: &BTreeMap<String, usize>) -> Option<usize> {
    let manifest = message.get("manifest_path")?.as_str()?;
    let name = Path::new(manifest).parent()?.file_name()?.to_str()?;
    crate_index.get(name).copied()
}

/// What one cargo JSON-message run gave: per-crate errors and artifacts.
struct CargoRun {
    success: bool,
    stderr: String,
}

/// Runs `command`, calling `on_message` for each JSON message; keeps stderr for reports.
fn run_cargo(mut command: Command, mut on_message: impl FnMut(&Value)) -> Result<CargoRun, String> {
    let stderr_file = tempfile::tempfile().map_err(|e| format!("temporary file: {e}"))?;
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::from(
            stderr_file
                .try_clone()
                .map_err(|e| format!("temporary file: {e}"))?,
        ))
        .spawn()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stdout = child.stdout.take().expect("stdout is piped");
    for line in BufReader::new(stdout).lines() {
        let line = line.map_err(|e| format!("reading cargo's output: {e}"))?;
        if let Ok(message) = serde_json::from_str::<Value>(&line) {
            on_message(&message);
        }
    }
    let status = child.wait().map_err(|e| format!("cargo: {e}"))?;
    let mut stderr = String::new();
    let mut file = stderr_file;
    use std::io::{Read, Seek};
    let _ = file.rewind();
    let _ = file.read_to_string(&mut stderr);
    Ok(CargoRun {
        success: status.success(),
        stderr,
    })
}

/// The last `lines` lines of `text`.
fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// One clippy run over the workspace; errors are attributed to crates. `Ok(Some(text))`
/// when cargo failed in a way no crate accounts for.
fn clippy(
    out: &Path,
    target_dir: &Path,
    release: bool,
    crate_index: &BTreeMap<String, usize>,
    outcomes: &mut [Outcome],
) -> Result<Option<String>, String> {
    let total = outcomes.iter().filter(|o| o.generated).count();
    let mut done = BTreeSet::new();
    let mut seen = BTreeSet::new();
    let command = cargo(
        out,
        target_dir,
        release,
        &["clippy", "--all-targets", "--keep-going"],
    );
    let mut command = command;
    command.args(["--", "-D", "warnings"]);
    let run = run_cargo(command, |message| {
        let Some(index) = message_crate(message, crate_index) else {
            return;
        };
        match message.get("reason").and_then(Value::as_str) {
            Some("compiler-message") => {
                let Some(diagnostic) = message.get("message") else {
                    return;
                };
                let text = diagnostic
                    .get("message")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let is_error = diagnostic.get("level").and_then(Value::as_str) == Some("error");
                let rendered = diagnostic
                    .get("rendered")
                    .and_then(Value::as_str)
                    .unwrap_or(text);
                // The library and its test build report the same error twice.
                let fresh = seen.insert((index, rendered.to_string()));
                if is_error && fresh && !text.starts_with("aborting due to") {
                    let outcome = &mut outcomes[index];
                    if outcome.clippy_errors == 0 {
                        println!("error in {}: {text}", message_name(message));
                    }
                    let kind = diagnostic
                        .pointer("/code/code")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                        .unwrap_or_else(|| text.to_string());
                    *outcome.clippy_kinds.entry(kind).or_default() += 1;
                    outcome.clippy_errors += 1;
                    if outcome.first_clippy_error.is_none() {
                        outcome.first_clippy_error = Some(rendered.to_string());
                    }
                }
            }
            Some("compiler-artifact") => {
                outcomes[index].checked = true;
                let is_lib = message
                    .pointer("/target/kind")
                    .and_then(Value::as_array)
                    .is_some_and(|kinds| kinds.iter().any(|k| k == "lib"));
                let is_test = message
                    .pointer("/profile/test")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                if is_lib && !is_test && done.insert(index) {
                    println!(
                        "[{:>3}/{total}] checked {}",
                        done.len(),
                        message_name(message)
                    );
                }
            }
            _ => {}
        }
    })?;
    // A crate with errors never reports its artifact; say so once at the end.
    for outcome in outcomes.iter_mut().filter(|o| o.clippy_errors > 0) {
        outcome.checked = true;
    }
    let attributed = outcomes.iter().any(|o| o.clippy_errors > 0);
    if !run.success && !attributed {
        return Ok(Some(format!(
            "error: cargo clippy failed before checking the crates:\n{}",
            tail(&run.stderr, 30)
        )));
    }
    Ok(None)
}

fn message_name(message: &Value) -> String {
    message
        .get("manifest_path")
        .and_then(Value::as_str)
        .and_then(|m| {
            Path::new(m)
                .parent()?
                .file_name()?
                .to_str()
                .map(str::to_string)
        })
        .unwrap_or_default()
}

/// Builds the crates' integration tests (`tests/*.rs`, where the generator puts its
/// example round trips) in one cargo run, then runs each binary and counts its tests.
/// Tests of the `examples` target are counted apart from the others. Library unit tests
/// and doctests are not run: the generated crates have none of the first, and building
/// every library a second time as a test harness doubled the corpus's build time.
fn tests(
    out: &Path,
    target_dir: &Path,
    release: bool,
    entries: &[Entry],
    crate_index: &BTreeMap<String, usize>,
    outcomes: &mut [Outcome],
) -> Result<Option<String>, String> {
    let mut binaries: Vec<(usize, String, PathBuf)> = Vec::new();
    let mut build_errors: BTreeMap<usize, usize> = BTreeMap::new();
    let command = cargo(
        out,
        target_dir,
        release,
        &["test", "--no-run", "--no-fail-fast", "--test", "*"],
    );
    let run = run_cargo(command, |message| {
        let Some(index) = message_crate(message, crate_index) else {
            return;
        };
        match message.get("reason").and_then(Value::as_str) {
            Some("compiler-artifact") => {
                let is_test = message
                    .pointer("/profile/test")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                let executable = message.get("executable").and_then(Value::as_str);
                if let (true, Some(executable)) = (is_test, executable) {
                    let target = message
                        .pointer("/target/name")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string();
                    binaries.push((index, target, PathBuf::from(executable)));
                }
            }
            Some("compiler-message")
                if message.pointer("/message/level").and_then(Value::as_str) == Some("error") =>
            {
                *build_errors.entry(index).or_default() += 1;
            }
            _ => {}
        }
    })?;
    for (index, errors) in &build_errors {
        outcomes[*index].test_trouble = Some(format!("{errors} error(s) building the tests"));
    }
    if !run.success && build_errors.is_empty() {
        return Ok(Some(format!(
            "error: cargo test --no-run failed before building the crates' tests:\n{}",
            tail(&run.stderr, 30)
        )));
    }
    binaries.sort();
    let total = binaries.len();
    for (number, (index, target, executable)) in binaries.iter().enumerate() {
        let entry = &entries[*index];
        let crate_dir = out.join("crates").join(&entry.crate_name);
        let output = Command::new(executable)
            .current_dir(&crate_dir)
            .output()
            .map_err(|e| format!("cannot run {}: {e}", executable.display()))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let (passed, failed, failures) = libtest_counts(&stdout);
        let outcome = &mut outcomes[*index];
        let tally = if target == "examples" {
            &mut outcome.examples
        } else {
            &mut outcome.tests
        };
        tally.passed += passed;
        tally.total += passed + failed;
        outcome
            .failed_tests
            .extend(failures.into_iter().map(|name| format!("{target}::{name}")));
        if !output.status.success() && failed == 0 {
            outcome.test_trouble = Some(format!(
                "test binary `{target}` failed: {}",
                tail(&String::from_utf8_lossy(&output.stderr), 5)
            ));
        }
        println!(
            "[{:>3}/{total}] tested {} ({target}): {passed} passed, {failed} failed",
            number + 1,
            entry.crate_name
        );
    }
    Ok(None)
}

/// Passed and failed counts, and failed test names, from libtest's plain output.
fn libtest_counts(stdout: &str) -> (usize, usize, Vec<String>) {
    let mut passed = 0;
    let mut failed = 0;
    let mut failures = Vec::new();
    for line in stdout.lines() {
        if let Some(rest) = line.strip_prefix("test result: ") {
            for part in rest.split(';') {
                let words: Vec<&str> = part.split_whitespace().collect();
                let number = |i: usize| words.get(i).and_then(|w| w.parse::<usize>().ok());
                // "ok. 3 passed" / "FAILED. 1 passed" / " 2 failed"
                match words.as_slice() {
                    [_, _, "passed"] => passed += number(1).unwrap_or(0),
                    [_, "failed"] => failed += number(0).unwrap_or(0),
                    _ => {}
                }
            }
        } else if let Some(name) = line
            .strip_prefix("test ")
            .and_then(|rest| rest.strip_suffix(" ... FAILED"))
        {
            failures.push(name.to_string());
        }
    }
    (passed, failed, failures)
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn secs(duration: Duration) -> f64 {
    duration.as_secs_f64()
}

/// The table, the totals, and what went wrong, file by file.
fn report(
    entries: &[Entry],
    outcomes: &[Outcome],
    orphan_overlays: &[PathBuf],
    root: &Path,
    built: bool,
    tested: bool,
) -> String {
    let tally = |t: Tally| {
        if t.total == 0 {
            "-".to_string()
        } else {
            format!("{}/{}", t.passed, t.total)
        }
    };
    let mut rows: Vec<[String; 10]> = vec![[
        "file".into(),
        "crate".into(),
        "overlay".into(),
        "operations".into(),
        "types".into(),
        "diagnostics".into(),
        "lint".into(),
        "gen ms".into(),
        "compiled".into(),
        "examples".into(),
    ]];
    for (entry, outcome) in entries.iter().zip(outcomes) {
        let compiled = match (outcome.generated, built) {
            (false, _) => "-",
            (true, false) => "not run",
            (true, true) if !outcome.built => "--full",
            (true, true) if outcome.compiled() => "yes",
            (true, true) => "no",
        };
        let examples = if !tested {
            "-".to_string()
        } else {
            tally(outcome.examples)
        };
        rows.push([
            entry.label.clone(),
            entry.crate_name.clone(),
            if entry.options.overlays.is_empty() {
                "-".into()
            } else {
                "yes".into()
            },
            if outcome.generated {
                outcome.operations.to_string()
            } else {
                "-".into()
            },
            if outcome.generated {
                outcome.types.to_string()
            } else {
                "-".into()
            },
            outcome.diagnostics.to_string(),
            outcome.lint.to_string(),
            format!("{:.1}", ms(outcome.generation)),
            compiled.into(),
            examples,
        ]);
    }
    let generated = outcomes.iter().filter(|o| o.generated).count();
    let compiled = outcomes.iter().filter(|o| o.compiled()).count();
    let sum = |f: fn(&Outcome) -> usize| outcomes.iter().map(f).sum::<usize>();
    let examples = Tally {
        passed: sum(|o| o.examples.passed),
        total: sum(|o| o.examples.total),
    };
    let other_tests = Tally {
        passed: sum(|o| o.tests.passed),
        total: sum(|o| o.tests.total),
    };
    let generation: Duration = outcomes.iter().map(|o| o.generation).sum();
    rows.push([
        format!("total: {} files", entries.len()),
        format!("{generated} generated"),
        format!(
            "{}",
            entries
                .iter()
                .filter(|e| !e.options.overlays.is_empty())
                .count()
        ),
        sum(|o| o.operations).to_string(),
        sum(|o| o.types).to_string(),
        sum(|o| o.diagnostics).to_string(),
        sum(|o| o.lint).to_string(),
        format!("{:.1}", ms(generation)),
        if built {
            format!("{compiled} yes")
        } else {
            "not run".into()
        },
        if tested { tally(examples) } else { "-".into() },
    ]);

    let mut widths = [0usize; 10];
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut text = String::new();
    let last = rows.len() - 1;
    for (number, row) in rows.iter().enumerate() {
        if number == last {
            let rule: usize = widths.iter().sum::<usize>() + 2 * (widths.len() - 1);
            let _ = writeln!(text, "{}", "-".repeat(rule));
        }
        let mut line = String::new();
        for (column, (cell, width)) in row.iter().zip(widths).enumerate() {
            // Text columns left-aligned, numbers right-aligned.
            if column < 3 || column == 7 {
                let _ = write!(line, "{cell:<width$}  ");
            } else {
                let _ = write!(line, "{cell:>width$}  ");
            }
        }
        let _ = writeln!(text, "{}", line.trim_end());
    }
    if tested {
        let _ = writeln!(
            text,
            "other tests: {} (examples: the `examples` test target's round trips)",
            tally(other_tests)
        );
    }

    let mut problems = String::new();
    for overlay in orphan_overlays {
        let _ = writeln!(
            problems,
            "\n{}: matches no spec file of the corpus (a typo, or a removed spec?)",
            shown(overlay, root)
        );
    }
    for (entry, outcome) in entries.iter().zip(outcomes) {
        if let Some(error) = &outcome.error {
            let _ = writeln!(
                problems,
                "\n{} did not generate:\n{}",
                entry.label,
                shorten(error, 40)
            );
        }
        if built && outcome.built && outcome.generated && !outcome.compiled() {
            let first = outcome
                .first_clippy_error
                .as_deref()
                .map(|e| shorten(e, 12))
                .unwrap_or_else(|| "(no diagnostics; see the cargo output above)".into());
            let _ = writeln!(
                problems,
                "\n{} ({}) did not pass clippy: {} error(s); the first:\n{}",
                entry.label, entry.crate_name, outcome.clippy_errors, first
            );
        }
        if tested && !outcome.failed_tests.is_empty() {
            let _ = writeln!(
                problems,
                "\n{} ({}) failed tests: {}",
                entry.label,
                entry.crate_name,
                outcome.failed_tests.join(", ")
            );
        }
        if let (true, Some(trouble)) = (tested, &outcome.test_trouble) {
            let _ = writeln!(
                problems,
                "\n{} ({}): {trouble}",
                entry.label, entry.crate_name
            );
        }
    }
    // What the compile failures have in common: one line per kind of error.
    let mut kinds: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for outcome in outcomes {
        for (kind, count) in &outcome.clippy_kinds {
            let (crates, errors) = kinds.entry(kind.as_str()).or_default();
            *crates += 1;
            *errors += count;
        }
    }
    if !kinds.is_empty() {
        let mut kinds: Vec<_> = kinds.into_iter().collect();
        kinds.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
        let _ = writeln!(problems, "\nclippy errors by kind (crates, errors):");
        for (kind, (crates, errors)) in kinds {
            let _ = writeln!(problems, "  {crates:>3} {errors:>6}  {kind}");
        }
    }
    if !problems.is_empty() {
        text.push_str(&problems);
    }
    text.trim_end().to_string()
}

/// At most `lines` lines of `text`, saying how many were left out.
fn shorten(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.trim_end().lines().collect();
    if all.len() <= lines {
        return all.join("\n");
    }
    format!(
        "{}\n... {} more lines",
        all[..lines].join("\n"),
        all.len() - lines
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names_follow_the_corpus_name() {
        assert_eq!(crate_name("contacts"), "hl-contacts");
        assert_eq!(crate_name("v3/contacts-v3"), "hl-v3-contacts-v3");
        assert_eq!(crate_name("v3/Odd Name_2"), "hl-v3-odd-name-2");
    }

    #[test]
    fn libtest_output_is_counted() {
        let output = "running 3 tests\ntest a ... ok\ntest b ... FAILED\ntest c ... ok\n\nfailures:\n\ntest result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n";
        assert_eq!(libtest_counts(output), (2, 1, vec!["b".to_string()]));
        let output = "running 0 tests\n\ntest result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n";
        assert_eq!(libtest_counts(output), (0, 0, vec![]));
    }

    #[test]
    fn default_corpus_is_skipped_when_absent() {
        let root = tempfile::tempdir().unwrap();
        let project = root.path().join("main");
        std::fs::create_dir_all(&project).unwrap();
        assert!(discover(&project, &[], None, &[]).unwrap().is_none());
    }

    #[test]
    fn files_get_crates_overlays_and_rewrites() {
        let root = tempfile::tempdir().unwrap();
        let project = root.path().join("main");
        let highlevel = root.path().join("shared/specs/highlevel");
        std::fs::create_dir_all(highlevel.join("apps/v3")).unwrap();
        std::fs::write(highlevel.join("apps/contacts.json"), "{}").unwrap();
        std::fs::write(highlevel.join("apps/v3/contacts-v3.json"), "{}").unwrap();
        std::fs::write(highlevel.join("apps/README.md"), "").unwrap();
        std::fs::create_dir_all(project.join("spec/overlays/highlevel/v3")).unwrap();
        std::fs::write(project.join("spec/overlays/highlevel/contacts.yaml"), "").unwrap();
        std::fs::write(project.join("spec/overlays/highlevel/v3/gone.yaml"), "").unwrap();

        let corpus = discover(&project, &[], None, &[]).unwrap().unwrap();
        let entries = &corpus.entries;
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].label, "apps/contacts.json");
        assert_eq!(entries[0].crate_name, "hl-contacts");
        assert_eq!(
            entries[0].options.overlays,
            vec![project.join("spec/overlays/highlevel/contacts.yaml")]
        );
        assert_eq!(
            entries[0].options.ref_root.as_deref(),
            Some(highlevel.as_path())
        );
        assert!(entries[0].options.ref_rewrites.is_empty());
        assert_eq!(entries[1].label, "apps/v3/contacts-v3.json");
        assert_eq!(entries[1].crate_name, "hl-v3-contacts-v3");
        assert!(entries[1].options.overlays.is_empty());
        assert_eq!(
            entries[1].options.ref_rewrites,
            vec![("../common/".to_string(), "common/".to_string())]
        );
        assert_eq!(
            corpus.orphan_overlays,
            vec![project.join("spec/overlays/highlevel/v3/gone.yaml")]
        );
    }
}
