//! `cargo xtask bench`: three comparisons, each against its reference in the same run.
//! (a) The cold debug build of `generated/` against progenitor's crate for the same spec
//! with rustls added, and (b) `cargo check` of the largest HighLevel crate whole and with
//! each of its features alone (both in `bench_builds.rs`); (c) the generator on the
//! corpus, stage by stage, against reading and parsing the same files with `serde_json`
//! alone. Generator figures mean something only from a release build:
//! `cargo run --release -p xtask -- bench`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use crate::corpus::{self, Entry};

/// Arguments of `cargo xtask bench`.
#[derive(clap::Args)]
pub struct BenchArgs {
    /// Folders of spec files [default: the HighLevel corpus, as for `corpus`].
    #[arg(value_name = "DIR")]
    dirs: Vec<PathBuf>,
    /// Timed passes over the corpus, after one untimed warm-up pass.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
    iterations: u32,
    /// The folder relative `$ref`s may reach into (as for `corpus`).
    #[arg(long, value_name = "DIR")]
    ref_root: Option<PathBuf>,
    /// Only (c), the generator against the parse floor: no cargo builds.
    #[arg(long)]
    generator_only: bool,
}

/// Time spent per stage over one or more passes.
#[derive(Debug, Default, Clone, Copy)]
struct Stages {
    /// `read_to_string` + `serde_json::from_str::<Value>`: the floor.
    parse: Duration,
    /// `load::load_with`: read, parse, overlays, `$ref` bundling, openapiv3 types.
    load: Duration,
    /// `lower::lower`: to the IR.
    lower: Duration,
    /// `generate_from_ir`: emit (`quote!`) and format (prettyplease).
    emit: Duration,
    /// The operations of the file (counted, not timed).
    operations: usize,
}

impl Stages {
    fn generator(&self) -> Duration {
        self.load + self.lower + self.emit
    }

    fn add(&mut self, other: &Stages) {
        self.parse += other.parse;
        self.load += other.load;
        self.lower += other.lower;
        self.emit += other.emit;
    }
}

/// Exit codes: 0 measured (or the corpus is absent), 2 bad arguments.
pub fn run(args: BenchArgs) -> ExitCode {
    let root = crate::project_root();
    // By default the HighLevel corpus, which the figures have always been measured on.
    let highlevel = root.join(corpus::HIGHLEVEL);
    let dirs: Vec<std::path::PathBuf> = if args.dirs.is_empty() {
        if !highlevel.is_dir() {
            println!("skipped: {} is absent", corpus::HIGHLEVEL);
            return ExitCode::SUCCESS;
        }
        corpus::DEFAULT_FOLDERS
            .iter()
            .map(|d| highlevel.join(d))
            .collect()
    } else {
        args.dirs.clone()
    };
    let corpus = match corpus::discover(&root, &dirs, args.ref_root.as_deref(), &[]) {
        Ok(Some(corpus)) => corpus,
        Ok(None) => {
            println!("skipped: {} is absent", corpus::HIGHLEVEL);
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    if cfg!(debug_assertions) {
        println!(
            "note: this is a debug build; for meaningful figures run `cargo run --release -p xtask -- bench`"
        );
    }

    // Files that do not go through every stage are left out, so each stage is timed on
    // the same files; the floor parses JSON, so only JSON files are timed.
    let mut timed: Vec<&Entry> = Vec::new();
    let mut largest: Option<(&Entry, usize)> = None;
    let mut left_out: Vec<(String, String)> = Vec::new();
    for entry in &corpus.entries {
        if !is_json(entry) {
            left_out.push((entry.label.clone(), "not JSON".into()));
            continue;
        }
        // The warm-up pass: fills the page cache and checks that every stage succeeds.
        match measure(entry) {
            Ok(stages) => {
                timed.push(entry);
                if largest.is_none_or(|(_, operations)| stages.operations > operations) {
                    largest = Some((entry, stages.operations));
                }
            }
            Err(stage) => left_out.push((entry.label.clone(), format!("fails in {stage}"))),
        }
    }
    if timed.is_empty() {
        eprintln!("error: no file goes through every stage");
        return ExitCode::from(2);
    }
    let bytes: u64 = timed
        .iter()
        .filter_map(|e| std::fs::metadata(&e.spec).ok())
        .map(|m| m.len())
        .sum();
    println!(
        "bench: {} files ({:.1} MB), {} timed passes after a warm-up",
        timed.len(),
        bytes as f64 / 1e6,
        args.iterations
    );

    let threads = crate::parallel::threads();
    // Largest first, so that no worker is left with a large file at the end.
    let mut by_size = timed.clone();
    by_size.sort_by_cached_key(|entry| {
        std::cmp::Reverse(std::fs::metadata(&entry.spec).map_or(0, |m| m.len()))
    });
    let mut total = Stages::default();
    // Each pass's ratios to its own floor: the machine's speed drifts over a run (the
    // floor alone moves by half), and a pass and the parallel pass right after it see the
    // same machine.
    let mut one_thread = Vec::new();
    let mut in_parallel = Vec::new();
    for pass in 1..=args.iterations {
        // Each pass costs what one run over the corpus costs: nothing remembered from the
        // passes before.
        generator::forget_printed();
        let mut this_pass = Stages::default();
        for entry in &timed {
            match measure(entry) {
                Ok(stages) => this_pass.add(&stages),
                Err(stage) => {
                    eprintln!("error: {} failed in {stage} on pass {pass}", entry.label);
                    return ExitCode::from(2);
                }
            }
        }
        let parallel = parallel_pass(&by_size);
        println!(
            "pass {pass}: generator {:.1} ms, parse floor {:.1} ms, generator in parallel {:.1} ms",
            ms(this_pass.generator()),
            ms(this_pass.parse),
            ms(parallel)
        );
        let floor = this_pass.parse.as_secs_f64();
        one_thread.push(this_pass.generator().as_secs_f64() / floor);
        in_parallel.push(parallel.as_secs_f64() / floor);
        total.add(&this_pass);
    }

    let passes = f64::from(args.iterations);
    let files = timed.len() as f64;
    let per_pass = |d: Duration| ms(d) / passes;
    let generator = total.generator();
    println!();
    println!(
        "{:<36} {:>12} {:>12} {:>9}",
        "stage (mean of the passes)", "ms per pass", "ms per file", "share"
    );
    let rows = [
        ("load (read, overlays, $refs, types)", total.load),
        ("lower (to the IR)", total.lower),
        ("emit + format", total.emit),
        ("generator, all stages", generator),
        ("floor: read + serde_json::Value", total.parse),
    ];
    for (name, duration) in rows {
        println!(
            "{:<36} {:>12.1} {:>12.2} {:>8.1}%",
            name,
            per_pass(duration),
            per_pass(duration) / files,
            100.0 * duration.as_secs_f64() / generator.as_secs_f64()
        );
    }
    let (one, one_low, one_high) = median_and_range(&mut one_thread);
    let (par, par_low, par_high) = median_and_range(&mut in_parallel);
    println!(
        "\n(c) generator / floor, one thread: {one:.1}x (median of the {} passes' ratios, \
         {one_low:.1}x to {one_high:.1}x)",
        args.iterations
    );
    println!(
        "    generator / floor, files in parallel on {threads} threads as `corpus` runs them: \
         {par:.1}x (median; each parallel pass against the floor of the pass before it, \
         {par_low:.1}x to {par_high:.1}x)"
    );
    if !left_out.is_empty() {
        println!("\nleft out ({}):", left_out.len());
        for (label, why) in &left_out {
            println!("  {label}: {why}");
        }
    }
    if args.generator_only {
        return ExitCode::SUCCESS;
    }
    if let Err(message) = crate::bench_builds::cold_builds(&root) {
        eprintln!("error: (a) {message}");
        return ExitCode::from(1);
    }
    if let Some((entry, _)) = largest {
        if let Err(message) = largest_crate(entry) {
            eprintln!("error: (b) {message}");
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}

/// (b) for the corpus file with the most operations: its crate, written to a temporary
/// folder, checked whole, per feature, and per tag split into several.
fn largest_crate(entry: &Entry) -> Result<(), String> {
    let spec =
        generator::load::load_with(&entry.spec, &entry.options).map_err(|e| e.to_string())?;
    let api = generator::lower::lower(&spec).map_err(|e| e.to_string())?;
    let settings = generator::Settings::new(entry.crate_name.clone(), entry.label.clone());
    let files = generator::generate_from_ir(&api, &settings).map_err(|e| e.to_string())?;
    let work = tempfile::tempdir().map_err(|e| format!("temporary folder: {e}"))?;
    let dir = work.path().join(&entry.crate_name);
    crate::write::write(&dir, &files).map_err(|e| format!("{}: {e}", dir.display()))?;
    crate::bench_builds::detach(&dir)?;
    println!(
        "\nlargest HighLevel crate: {} ({} operations, {} features for tags or their resources)",
        entry.label,
        api.operations.len(),
        api.features.len()
    );
    let mut selections: Vec<(String, Vec<String>)> = api
        .features
        .iter()
        .map(|f| (format!("only `{}`", f.name), vec![f.name.clone()]))
        .collect();
    // A tag split by path resource, whole: what a user who needs all of it compiles.
    let mut split: BTreeMap<&[String], Vec<String>> = BTreeMap::new();
    for feature in api.features.iter().filter(|f| !f.paths.is_empty()) {
        split
            .entry(&feature.tags)
            .or_default()
            .push(feature.name.clone());
    }
    for (tags, features) in split {
        let label = format!("all {} of `{}`", features.len(), tags.join("`, `"));
        selections.push((label, features));
    }
    crate::bench_builds::feature_checks(&dir, &entry.crate_name, &selections)
}

/// The median of `ratios`, and the least and greatest.
fn median_and_range(ratios: &mut [f64]) -> (f64, f64, f64) {
    ratios.sort_by(f64::total_cmp);
    let Some((&low, &high)) = ratios.first().zip(ratios.last()) else {
        return (f64::NAN, f64::NAN, f64::NAN);
    };
    let middle = ratios.len() / 2;
    let median = if ratios.len().is_multiple_of(2) {
        (ratios[middle - 1] + ratios[middle]) / 2.0
    } else {
        ratios[middle]
    };
    (median, low, high)
}

/// Wall time of one pass of the generator over `entries`, the files in parallel.
fn parallel_pass(entries: &[&Entry]) -> Duration {
    // Nothing remembered from the passes before.
    generator::forget_printed();
    let started = Instant::now();
    // Every file went through every stage in the warm-up.
    crate::parallel::map(entries, |entry| {
        let _ = generator_stages(entry);
    });
    started.elapsed()
}

/// One file through the floor and through every generator stage; `Err` names the stage
/// that failed.
fn measure(entry: &Entry) -> Result<Stages, &'static str> {
    let started = Instant::now();
    let text = std::fs::read_to_string(&entry.spec).map_err(|_| "reading")?;
    let value = serde_json::from_str::<serde_json::Value>(&text).map_err(|_| "parsing")?;
    let parse = started.elapsed();
    drop(value);
    Ok(Stages {
        parse,
        ..generator_stages(entry)?
    })
}

/// One file through every generator stage, each timed.
fn generator_stages(entry: &Entry) -> Result<Stages, &'static str> {
    let mut stages = Stages::default();

    let started = Instant::now();
    let spec = generator::load::load_with(&entry.spec, &entry.options).map_err(|_| "load")?;
    stages.load = started.elapsed();

    let started = Instant::now();
    let api = generator::lower::lower(&spec).map_err(|_| "lower")?;
    stages.lower = started.elapsed();
    stages.operations = api.operations.len();

    let settings = generator::Settings::new(entry.crate_name.clone(), entry.label.clone());
    let started = Instant::now();
    let files = generator::generate_from_ir(&api, &settings).map_err(|_| "emit")?;
    stages.emit = started.elapsed();
    drop(files);
    Ok(stages)
}

/// Whether the floor can parse the file: only JSON files are timed, and (b) takes one.
fn is_json(entry: &Entry) -> bool {
    entry
        .spec
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_are_summed_up_by_their_median_and_range() {
        assert_eq!(median_and_range(&mut [3.0, 1.0, 2.0]), (2.0, 1.0, 3.0));
        assert_eq!(median_and_range(&mut [4.0, 1.0, 3.0, 2.0]), (2.5, 1.0, 4.0));
        assert_eq!(median_and_range(&mut [7.5]), (7.5, 7.5, 7.5));
        assert!(median_and_range(&mut []).0.is_nan());
    }

    /// What (b) times, in lines: the largest HighLevel crate, where one tag reaches two
    /// fifths of the types, has no feature that compiles a third of the crate.
    #[test]
    fn no_feature_of_the_largest_highlevel_crate_compiles_a_third_of_it() {
        let root = crate::project_root();
        let highlevel = root.join(corpus::HIGHLEVEL);
        if !highlevel.is_dir() {
            println!("skipped: {} is absent", corpus::HIGHLEVEL);
            return;
        }
        let dirs: Vec<PathBuf> = corpus::DEFAULT_FOLDERS
            .iter()
            .map(|d| highlevel.join(d))
            .collect();
        let corpus = corpus::discover(&root, &dirs, None, &[])
            .expect("the corpus is readable")
            .expect("the corpus is there");
        // As (b) takes it: the first JSON file with the most operations.
        let mut largest: Option<(&Entry, generator::ir::Api)> = None;
        for entry in &corpus.entries {
            if !is_json(entry) {
                continue;
            }
            let spec = generator::load::load_with(&entry.spec, &entry.options)
                .unwrap_or_else(|e| panic!("{}: {e}", entry.label));
            let api =
                generator::lower::lower(&spec).unwrap_or_else(|e| panic!("{}: {e}", entry.label));
            if largest
                .as_ref()
                .is_none_or(|(_, most)| api.operations.len() > most.operations.len())
            {
                largest = Some((entry, api));
            }
        }
        let (entry, api) = largest.expect("the corpus has JSON files");
        let settings = generator::Settings::new(entry.crate_name.clone(), entry.label.clone());
        let files = generator::generate_from_ir(&api, &settings).expect("it generates");
        let sources: Vec<String> = files
            .iter()
            .filter(|file| file.path.starts_with("src/") && file.path.ends_with(".rs"))
            .map(|file| file.contents.clone())
            .collect();
        let mut every = vec!["rustls"];
        every.extend(api.features.iter().map(|f| f.name.as_str()));
        let whole = crate::bench_builds::compiled_lines(&sources, &every);
        assert!(
            api.features.len() > 2,
            "{}: {:?}",
            entry.label,
            api.features
        );
        for feature in &api.features {
            let alone = crate::bench_builds::compiled_lines(&sources, &["rustls", &feature.name]);
            assert!(
                alone * 3 <= whole,
                "{}: `{}` alone compiles {alone} of {whole} lines",
                entry.label,
                feature.name
            );
        }
    }
}
