//! The build-time half of `cargo xtask bench`: what the people who vendor a generated crate
//! pay. (a) A cold debug build of `generated/` beside progenitor's crate for the same spec,
//! with a rustls backend added to it; (b) `cargo check` of the largest HighLevel crate,
//! whole and with one feature at a time.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// What progenitor's crate gets so that it has TLS like ours: reqwest's own `rustls`
/// feature, as a user who adds rustls to it would write.
fn with_rustls(reqwest_line: &str) -> String {
    if let Some((before, after)) = reqwest_line.split_once("features = [") {
        format!("{before}features = [\"rustls\", {after}")
    } else if let Some(before) = reqwest_line.strip_suffix('}') {
        format!("{}, features = [\"rustls\"] }}", before.trim_end())
    } else {
        // `reqwest = "0.x"`: its default features already carry rustls.
        reqwest_line.to_string()
    }
}

/// One timed cold build: wall time and the packages of its lock file.
pub struct ColdBuild {
    pub time: Duration,
    pub packages: usize,
}

/// (a): our crate and progenitor's, each in its own folder with its own target directory.
pub fn cold_builds(root: &Path) -> Result<(), String> {
    let work = tempfile::tempdir().map_err(|e| format!("temporary folder: {e}"))?;
    let ours_dir = work.path().join("ours");
    copy_tree(&root.join("generated"), &ours_dir)?;
    detach(&ours_dir)?;
    let spec = root.join("spec/create-contact.yaml");

    let progenitor = progenitor_version();
    let theirs_dir = work.path().join("progenitor");
    let theirs = match &progenitor {
        Some(version) => {
            println!("progenitor: {version} (error responses without bodies, which it refuses)");
            generate_progenitor(&spec, &theirs_dir, work.path())?;
            Some(&theirs_dir)
        }
        None => {
            println!(
                "progenitor: not installed, and `cargo install cargo-progenitor` failed; only our crate is measured"
            );
            None
        }
    };

    let ours = cold_build(&ours_dir)?;
    let theirs = theirs.map(|dir| cold_build(dir)).transpose()?;
    println!();
    println!("(a) cold debug build of the Create Contact crate (`cargo build`, its own target)");
    println!("{:<44} {:>10} {:>10}", "", "seconds", "packages");
    println!(
        "{:<44} {:>10.1} {:>10}",
        "generated/ (rustls + ring)",
        ours.time.as_secs_f64(),
        ours.packages
    );
    if let Some(theirs) = &theirs {
        println!(
            "{:<44} {:>10.1} {:>10}",
            "progenitor's crate + reqwest's rustls",
            theirs.time.as_secs_f64(),
            theirs.packages
        );
        println!(
            "ours / progenitor's: build {:.2}x, Cargo.lock packages {:.2}x",
            ours.time.as_secs_f64() / theirs.time.as_secs_f64(),
            ours.packages as f64 / theirs.packages as f64
        );
    }
    Ok(())
}

/// cargo-progenitor's version as `cargo install --list` gives it, installing it first when
/// it is missing (its `--version` is the generated crate's version).
fn progenitor_version() -> Option<String> {
    let version = || {
        let output = Command::new(cargo())
            .args(["install", "--list"])
            .output()
            .ok()?;
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .find(|line| line.starts_with("cargo-progenitor "))
            .map(|line| line.trim_end_matches(':').to_string())
    };
    if let Some(found) = version() {
        return Some(found);
    }
    println!("installing cargo-progenitor (`cargo install cargo-progenitor --locked`)...");
    let installed = Command::new(cargo())
        .args(["install", "cargo-progenitor", "--locked"])
        .status()
        .is_ok_and(|status| status.success());
    if installed {
        version()
    } else {
        None
    }
}

/// progenitor's crate for `spec` at `dir`, its reqwest given rustls.
fn generate_progenitor(spec: &Path, dir: &Path, work: &Path) -> Result<(), String> {
    // progenitor refuses references into other files: it gets the spec bundled, as our
    // loader bundles it, in one JSON file.
    let mut bundled = generator::load::load(spec)
        .map_err(|e| e.to_string())?
        .bundled;
    without_error_bodies(&mut bundled);
    let json = work.join("create-contact.json");
    std::fs::write(&json, bundled.to_string()).map_err(|e| format!("{}: {e}", json.display()))?;
    run(Command::new(cargo())
        .args(["progenitor", "-i"])
        .arg(&json)
        .arg("-o")
        .arg(dir)
        .args(["-n", "highlevel-contacts-progenitor", "-v", "0.1.0"]))?;
    let manifest = dir.join("Cargo.toml");
    let text =
        std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let mut replaced = false;
    let text: Vec<String> = text
        .lines()
        .map(|line| {
            if line.starts_with("reqwest") {
                replaced = true;
                let line = with_rustls(line);
                println!("progenitor's crate: {line}");
                line
            } else {
                line.to_string()
            }
        })
        .collect();
    if !replaced {
        return Err(format!(
            "{} has no reqwest dependency to give rustls",
            manifest.display()
        ));
    }
    std::fs::write(&manifest, text.join("\n") + "\n")
        .map_err(|e| format!("{}: {e}", manifest.display()))?;
    detach(dir)
}

/// progenitor 0.15 asserts that an operation's error responses share one type, which the
/// Create Contact spec's 400, 401 and 422 do not: they go without bodies, which leaves
/// progenitor's crate less to compile than ours.
fn without_error_bodies(spec: &mut serde_json::Value) {
    let Some(paths) = spec.get_mut("paths").and_then(|p| p.as_object_mut()) else {
        return;
    };
    for item in paths.values_mut().filter_map(|item| item.as_object_mut()) {
        for operation in item.values_mut().filter_map(|op| op.as_object_mut()) {
            let Some(responses) = operation
                .get_mut("responses")
                .and_then(|r| r.as_object_mut())
            else {
                continue;
            };
            for (status, response) in responses.iter_mut() {
                if !status.starts_with('2') {
                    // A `$ref`ed response would keep its body: each becomes a bare one.
                    *response = serde_json::json!({ "description": format!("status {status}") });
                }
            }
        }
    }
}

/// Fetches the crate's dependencies (untimed), then builds it from nothing (timed).
fn cold_build(dir: &Path) -> Result<ColdBuild, String> {
    // `fetch` writes the lock file first.
    run(Command::new(cargo()).arg("fetch").current_dir(dir))?;
    let target = dir.join("target");
    let started = Instant::now();
    run(Command::new(cargo())
        .args(["build", "--offline"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", &target))?;
    let time = started.elapsed();
    let lock = std::fs::read_to_string(dir.join("Cargo.lock"))
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    let packages = lock.lines().filter(|line| *line == "[[package]]").count();
    Ok(ColdBuild { time, packages })
}

/// (b): `cargo check` of `crate_dir` whole and with each of `selections` (a label and the
/// features it turns on) instead of the defaults, dependencies warm.
pub fn feature_checks(
    crate_dir: &Path,
    name: &str,
    selections: &[(String, Vec<String>)],
) -> Result<(), String> {
    let work = crate_dir
        .parent()
        .ok_or_else(|| format!("{} has no parent", crate_dir.display()))?;
    let target = work.join("target");
    let check = |selection: &[String]| -> Result<Duration, String> {
        let mut args: Vec<String> = vec!["check".into(), "--offline".into()];
        args.extend(selection.iter().cloned());
        // Dependencies for this selection first, untimed; then the crate alone, timed.
        run(Command::new(cargo())
            .args(&args)
            .current_dir(crate_dir)
            .env("CARGO_TARGET_DIR", &target))?;
        run(Command::new(cargo())
            .args(["clean", "--offline", "-p", name])
            .current_dir(crate_dir)
            .env("CARGO_TARGET_DIR", &target))?;
        let started = Instant::now();
        run(Command::new(cargo())
            .args(&args)
            .current_dir(crate_dir)
            .env("CARGO_TARGET_DIR", &target))?;
        Ok(started.elapsed())
    };
    let sources = rust_sources(&crate_dir.join("src"))?;
    let lines = |features: &[&str]| compiled_lines(&sources, features);
    // `fetch` writes the lock file first.
    run(Command::new(cargo()).arg("fetch").current_dir(crate_dir))?;

    let all: Vec<&str> = std::iter::once("rustls")
        .chain(
            selections
                .iter()
                .flat_map(|(_, features)| features.iter().map(String::as_str)),
        )
        .collect();
    let whole = check(&[])?;
    let whole_lines = lines(&all);
    println!();
    println!("(b) `cargo check` of {name}, dependencies already built");
    println!(
        "{:<44} {:>10} {:>10} {:>8}",
        "features", "seconds", "lines", "of whole"
    );
    println!(
        "{:<44} {:>10.1} {:>10} {:>8}",
        "default (every feature)",
        whole.as_secs_f64(),
        whole_lines,
        "1.00x"
    );
    let mut worst: Option<(f64, &str)> = None;
    for (label, features) in selections {
        let mut turned_on = vec!["rustls"];
        turned_on.extend(features.iter().map(String::as_str));
        let time = check(&[
            "--no-default-features".to_string(),
            "--features".to_string(),
            turned_on.join(","),
        ])?;
        let ratio = time.as_secs_f64() / whole.as_secs_f64();
        println!(
            "{:<44} {:>10.1} {:>10} {:>7.2}x",
            label,
            time.as_secs_f64(),
            lines(&turned_on),
            ratio
        );
        if features.len() == 1 && worst.is_none_or(|(before, _)| ratio > before) {
            worst = Some((ratio, &features[0]));
        }
    }
    if let Some((ratio, feature)) = worst {
        println!("one feature alone, at most: {ratio:.2}x of the whole (`{feature}`)");
    }
    Ok(())
}

/// The lines of `sources` (Rust files) that the compiler sees with only `features` on.
pub fn compiled_lines(sources: &[String], features: &[&str]) -> usize {
    sources
        .iter()
        .map(|text| match generator::compiled_under(text, features) {
            Some(compiled) => compiled.lines().count(),
            None => text.lines().count(),
        })
        .sum()
}

fn rust_sources(dir: &Path) -> Result<Vec<String>, String> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display())))
        .collect()
}

/// Makes a copied crate its own workspace, so that no folder above it claims it.
pub fn detach(dir: &Path) -> Result<(), String> {
    let manifest = dir.join("Cargo.toml");
    let mut text =
        std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    if !text.contains("[workspace]") {
        text.push_str("\n[workspace]\n");
    }
    std::fs::write(&manifest, text).map_err(|e| format!("{}: {e}", manifest.display()))
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}

fn run(command: &mut Command) -> Result<(), String> {
    let shown = format!("{command:?}");
    let output = command
        .env_remove("RUSTFLAGS")
        .output()
        .map_err(|e| format!("{shown}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{shown} failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| format!("{}: {e}", from.display()))?;
        let name = entry.file_name();
        if name == "target" || name == "Cargo.lock" {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_tree(&path, &to.join(&name))?;
        } else {
            std::fs::copy(&path, to.join(&name)).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(())
}
