//! `cargo xtask`: the project's commands. Arguments, files and messages live here; the
//! generation itself is the `generator` library's.

mod bench;
mod bench_builds;
mod corpus;
#[cfg(test)]
mod layout_oracle;
mod parallel;
mod write;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

// Generation allocates and frees millions of small token trees; mimalloc does that in about
// half the time of the system allocator, and the generator is a third allocator calls.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The project's own commands (run them as `cargo xtask <command>`).
#[derive(Parser)]
#[command(name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a client crate from an OpenAPI description (by default, `generated/` from `spec/create-contact.yaml`).
    Codegen(CodegenArgs),
    /// Check a spec for misleading content: examples that contradict their schema, unions
    /// whose variants cannot be told apart, names that collide in Rust. Exits 1 on findings.
    Lint(LintArgs),
    /// Generate, clippy and test a crate per spec file of a corpus (by default HighLevel's, in ../shared).
    Corpus(corpus::CorpusArgs),
    /// Time the generated crate's cold build against progenitor's, the largest HighLevel
    /// crate's check whole and per feature, and the generator against parsing its input.
    Bench(bench::BenchArgs),
}

#[derive(clap::Args)]
struct LintArgs {
    /// The OpenAPI 3.0 description (YAML or JSON).
    #[arg(long, value_name = "FILE")]
    spec: PathBuf,
    #[command(flatten)]
    load: LoadArgs,
}

#[derive(clap::Args)]
struct CodegenArgs {
    /// The OpenAPI 3.0 description (YAML or JSON).
    #[arg(long, value_name = "FILE")]
    spec: Option<PathBuf>,
    /// Where to write the crate (`Cargo.toml`, `src/`).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// The generated crate's package name [default: from the spec's title].
    #[arg(long, value_name = "NAME")]
    crate_name: Option<String>,
    /// Write nothing; exit 1 with a diff when the output folder is not what generation gives.
    #[arg(long)]
    check: bool,
    #[command(flatten)]
    load: LoadArgs,
}

/// How to read a spec: fixes to apply and where its `$ref`s may lead.
#[derive(clap::Args, Default)]
struct LoadArgs {
    /// An OpenAPI Overlay 1.0 file applied before generation; repeat to apply several in order.
    #[arg(long = "overlay", value_name = "FILE")]
    overlays: Vec<PathBuf>,
    /// The folder relative `$ref`s may reach into [default: the spec's folder].
    #[arg(long, value_name = "DIR")]
    ref_root: Option<PathBuf>,
    /// Rewrite the file part of `$ref`s that start with FROM to start with TO (e.g. `../common/=common/`).
    #[arg(long = "ref-rewrite", value_name = "FROM=TO", value_parser = parse_rewrite)]
    ref_rewrites: Vec<(String, String)>,
}

impl LoadArgs {
    fn options(&self) -> generator::load::LoadOptions {
        generator::load::LoadOptions {
            overlays: self.overlays.clone(),
            ref_root: self.ref_root.clone(),
            ref_rewrites: self.ref_rewrites.clone(),
        }
    }

    /// The flags again, for the command named in file headers.
    fn flags(&self, root: &Path) -> String {
        let mut flags = String::new();
        for overlay in &self.overlays {
            flags.push_str(&format!(" --overlay {}", display_path(overlay, root)));
        }
        if let Some(ref_root) = &self.ref_root {
            flags.push_str(&format!(" --ref-root {}", display_path(ref_root, root)));
        }
        for (from, to) in &self.ref_rewrites {
            flags.push_str(&format!(" --ref-rewrite {from}={to}"));
        }
        flags
    }
}

fn parse_rewrite(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .map(|(from, to)| (from.to_string(), to.to_string()))
        .ok_or_else(|| "expected FROM=TO".to_string())
}

const DEFAULT_SPEC: &str = "spec/create-contact.yaml";
const DEFAULT_OUT: &str = "generated";
const DEFAULT_CRATE: &str = "highlevel-contacts";

fn main() -> ExitCode {
    without_huge_pages();
    let cli = Cli::parse();
    match cli.command {
        Command::Codegen(args) => codegen(args),
        Command::Corpus(args) => corpus::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Lint(args) => lint(args),
    }
}

/// mimalloc keeps taking fresh pages as idle ones are given back, and where transparent
/// huge pages are on, each first touch zeroes 2 MiB: page faults were 8.8% of the
/// generator's time on the HighLevel corpus, and 2.4% with huge pages off. Processes this
/// one starts (cargo in `corpus` and `bench`) inherit the setting.
#[cfg(target_os = "linux")]
fn without_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and changes only how this process's
    // memory is paged; a kernel without it returns an error, which leaves things as they were.
    let _ = unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
}

#[cfg(not(target_os = "linux"))]
fn without_huge_pages() {}

/// Exit codes: 0 done (or up to date), 1 stale output under `--check`, 2 bad input or I/O failure.
fn codegen(args: CodegenArgs) -> ExitCode {
    let root = project_root();
    let is_default = args.spec.is_none() && args.out.is_none();
    let spec = args.spec.unwrap_or_else(|| root.join(DEFAULT_SPEC));
    let out = args.out.unwrap_or_else(|| root.join(DEFAULT_OUT));
    let spec_display = display_path(&spec, &root);
    let mut settings = generator::Settings::new(
        args.crate_name
            .clone()
            .unwrap_or_else(|| DEFAULT_CRATE.to_string()),
        spec_display.clone(),
    );
    if !is_default {
        settings.regenerate_command = regenerate_command(
            &spec_display,
            &display_path(&out, &root),
            args.crate_name.as_deref(),
        );
        settings
            .regenerate_command
            .push_str(&args.load.flags(&root));
    }
    let files = match generate(
        &spec,
        &root,
        &args.load.options(),
        settings,
        args.crate_name.is_none() && !is_default,
    ) {
        Ok(files) => files,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::from(2);
        }
    };
    if args.check {
        return match write::check(&out, &files) {
            Ok(report) if report.is_clean() => {
                println!("{} is up to date ({} files)", out.display(), files.len());
                ExitCode::SUCCESS
            }
            Ok(report) => {
                eprint!("{report}");
                eprintln!(
                    "error: {} is stale; run `cargo xtask codegen` to regenerate it",
                    out.display()
                );
                ExitCode::from(1)
            }
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::from(2)
            }
        };
    }
    match write::write(&out, &files) {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

/// Exit codes: 0 clean, 1 findings, 2 a spec that does not load.
fn lint(args: LintArgs) -> ExitCode {
    let root = project_root();
    let spec = match generator::load::load_with(&args.spec, &args.load.options()) {
        Ok(spec) => spec,
        Err(error) => {
            eprintln!("{}", relabel(error, &root));
            return ExitCode::from(2);
        }
    };
    let findings = generator::lint::lint(&spec);
    for finding in &findings {
        let place = match finding.line_col {
            Some((line, column)) => format!("{}:{line}:{column}", finding.file.display()),
            None => finding.file.display().to_string(),
        };
        let help = finding
            .help
            .as_deref()
            .map(|help| format!(" (help: {help})"))
            .unwrap_or_default();
        println!("{place}: {}: {}{help}", finding.pointer, finding.message);
    }
    let (checked, contradicting) = generator::lint::example_counts(&spec);
    eprintln!(
        "{} finding(s); {checked} example(s) checked, {contradicting} contradict their schema",
        findings.len()
    );
    if findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn generate(
    spec: &Path,
    root: &Path,
    options: &generator::load::LoadOptions,
    mut settings: generator::Settings,
    name_from_title: bool,
) -> Result<Vec<generator::GeneratedFile>, generator::Error> {
    let loaded = generator::load::load_with(spec, options).map_err(|error| relabel(error, root))?;
    let api = generator::lower::lower(&loaded).map_err(|error| relabel(error, root))?;
    if name_from_title {
        settings.crate_name = generator::names::snake(&api.title, "api").replace('_', "-");
    }
    generator::generate_from_ir(&api, &settings)
}

/// Diagnostics show paths relative to the project root when they are under it.
fn relabel(error: generator::Error, root: &Path) -> generator::Error {
    match error {
        generator::Error::Spec(mut diagnostics) => {
            for diagnostic in &mut diagnostics {
                if let Ok(relative) = diagnostic.file.strip_prefix(root) {
                    diagnostic.file = relative.to_path_buf();
                }
            }
            generator::Error::Spec(diagnostics)
        }
        other => other,
    }
}

fn regenerate_command(spec: &str, out: &str, crate_name: Option<&str>) -> String {
    let mut command = format!("cargo xtask codegen --spec {spec} --out {out}");
    if let Some(name) = crate_name {
        command.push_str(&format!(" --crate-name {name}"));
    }
    command
}

fn display_path(path: &Path, root: &Path) -> String {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    absolute
        .strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The workspace root: xtask's manifest sits one folder below it.
fn project_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}
