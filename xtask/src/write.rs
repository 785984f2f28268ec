//! Writing a generated crate: never half-written. Files are staged in a sibling folder,
//! unchanged files are hard-linked (so their timestamps, and cargo's caches, survive),
//! files the generator did not make are carried over and reported, and the staged folder
//! replaces the old one by rename only when everything is in place.
//!
//! A run that dies on the way (killed, power cut) leaves the old folder as it was: on
//! Linux the two folders are exchanged in one `renameat2(RENAME_EXCHANGE)`; elsewhere the
//! old folder is renamed aside first, and a run that dies between the two renames leaves it
//! beside the output as `.NAME.staging-*.old`. The next run puts such a backup back (when
//! the output is missing) and removes leftover staging folders, and says so; `--check`
//! reports them.
//!
//! Test hooks (read here only; the CLI tests use them to prove the above):
//! `XTASK_FAIL_AFTER_FILES=N` aborts the process after N files are staged, and
//! `XTASK_FAIL_AFTER_RENAME=1` aborts it right after the first rename of the swap.

use std::collections::BTreeSet;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use generator::GeneratedFile;

/// Entries of an output folder that are the build's, not the generator's, and never reported.
const BUILD_ARTIFACTS: &[&str] = &["target", "Cargo.lock"];

/// How an output folder differs from what generation gives.
#[derive(Debug, Default)]
pub struct Report {
    pub changed: Vec<(String, String)>,
    pub missing: Vec<String>,
    pub extra: Vec<String>,
    /// Staging or backup folders beside the output, left by a run that died.
    pub leftovers: Vec<String>,
}

impl Report {
    pub fn is_clean(&self) -> bool {
        self.changed.is_empty()
            && self.missing.is_empty()
            && self.extra.is_empty()
            && self.leftovers.is_empty()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for path in &self.missing {
            writeln!(f, "missing: {path}")?;
        }
        for path in &self.extra {
            writeln!(f, "not generated: {path}")?;
        }
        for (path, diff) in &self.changed {
            writeln!(f, "changed: {path}")?;
            write!(f, "{diff}")?;
        }
        for path in &self.leftovers {
            writeln!(f, "left by an interrupted run: {path}")?;
        }
        Ok(())
    }
}

/// Compares `out` with `files` without writing anything.
pub fn check(out: &Path, files: &[GeneratedFile]) -> io::Result<Report> {
    let mut report = Report::default();
    for file in files {
        match fs::read_to_string(out.join(&file.path)) {
            Ok(existing) if existing == file.contents => {}
            Ok(existing) => report.changed.push((
                file.path.clone(),
                short_diff(&file.path, &existing, &file.contents),
            )),
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                report.missing.push(file.path.clone())
            }
            Err(error) => return Err(with_path(error, &out.join(&file.path))),
        }
    }
    report.extra = extra_files(out, files)?;
    report.leftovers = leftovers(out)?
        .into_iter()
        .map(|path| path.display().to_string())
        .collect();
    Ok(report)
}

/// The staging prefix of the folders `write` makes beside `out`.
fn staging_prefix(out: &Path) -> String {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".to_string());
    format!(".{name}.staging-")
}

fn parent_of(out: &Path) -> PathBuf {
    match out.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Staging and backup folders of `out` that a run which died left behind, sorted.
fn leftovers(out: &Path) -> io::Result<Vec<PathBuf>> {
    let parent = parent_of(out);
    let prefix = staging_prefix(out);
    let entries = match fs::read_dir(&parent) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(with_path(error, &parent)),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with(&prefix) && entry.file_type()?.is_dir() {
            found.push(entry.path());
        }
    }
    found.sort();
    Ok(found)
}

/// Cleans up after a run that died: a backup comes back when the output is missing (the
/// run died between the two renames of a swap), anything else of ours is removed.
fn recover(out: &Path) -> io::Result<Vec<String>> {
    let mut notes = Vec::new();
    for leftover in leftovers(out)? {
        let is_backup = leftover.extension().is_some_and(|ext| ext == "old");
        if is_backup && !out.exists() {
            fs::rename(&leftover, out).map_err(|e| with_path(e, &leftover))?;
            notes.push(format!(
                "note: restored {} from {}, left by an interrupted run",
                out.display(),
                leftover.display()
            ));
        } else {
            fs::remove_dir_all(&leftover).map_err(|e| with_path(e, &leftover))?;
            notes.push(format!(
                "note: removed {}, left by an interrupted run",
                leftover.display()
            ));
        }
    }
    Ok(notes)
}

/// The test hook `XTASK_FAIL_AFTER_FILES`: how many files to stage before dying.
fn fail_after_files() -> Option<usize> {
    std::env::var("XTASK_FAIL_AFTER_FILES").ok()?.parse().ok()
}

/// The test hooks end the process the way a kill would: no destructor runs.
fn die(hook: &str) -> ! {
    eprintln!("xtask: {hook} is set: aborting as a crash would");
    std::process::abort()
}

/// A unified diff of at most 60 lines.
fn short_diff(path: &str, old: &str, new: &str) -> String {
    const LIMIT: usize = 60;
    let diff = similar::TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string();
    let lines: Vec<&str> = text.lines().collect();
    let mut out = lines
        .iter()
        .take(LIMIT)
        .map(|line| format!("{line}\n"))
        .collect::<String>();
    if lines.len() > LIMIT {
        out.push_str(&format!("... {} more diff lines\n", lines.len() - LIMIT));
    }
    out
}

/// Files under `out` (relative paths) that generation does not produce.
fn extra_files(out: &Path, files: &[GeneratedFile]) -> io::Result<Vec<String>> {
    let generated: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut extra = Vec::new();
    if out.is_dir() {
        walk(out, out, &mut |relative| {
            if !generated.contains(relative) {
                extra.push(relative.to_string());
            }
        })?;
    }
    extra.sort();
    Ok(extra)
}

fn walk(root: &Path, dir: &Path, visit: &mut dyn FnMut(&str)) -> io::Result<()> {
    let mut entries = fs::read_dir(dir)
        .map_err(|e| with_path(e, dir))?
        .collect::<Result<Vec<_>, _>>()?;
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let path = entry.path();
        let relative = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        if dir == root && BUILD_ARTIFACTS.contains(&relative.as_str()) {
            continue;
        }
        if entry.file_type()?.is_dir() {
            walk(root, &path, visit)?;
        } else {
            visit(&relative);
        }
    }
    Ok(())
}

/// Replaces `out` with `files`, atomically from the reader's point of view.
pub fn write(out: &Path, files: &[GeneratedFile]) -> io::Result<String> {
    let recovered = recover(out)?;
    let recovered: String = recovered.iter().map(|note| format!("{note}\n")).collect();
    let report = check(out, files)?;
    let shown = out.display();
    if report.changed.is_empty() && report.missing.is_empty() {
        return Ok(format!(
            "{recovered}{shown} is up to date ({} files){}",
            files.len(),
            kept_note(&report.extra)
        ));
    }
    let parent = parent_of(out);
    fs::create_dir_all(&parent).map_err(|e| with_path(e, &parent))?;
    let staging = tempfile::Builder::new()
        .prefix(&staging_prefix(out))
        .tempdir_in(&parent)?;

    let fail_after = fail_after_files();
    for (staged, file) in files.iter().enumerate() {
        if fail_after == Some(staged) {
            die("XTASK_FAIL_AFTER_FILES");
        }
        let target = staging.path().join(&file.path);
        if let Some(folder) = target.parent() {
            fs::create_dir_all(folder).map_err(|e| with_path(e, folder))?;
        }
        let unchanged = !report.missing.contains(&file.path)
            && !report.changed.iter().any(|(path, _)| path == &file.path);
        if unchanged {
            link_or_copy(&out.join(&file.path), &target)?;
        } else {
            fs::write(&target, &file.contents).map_err(|e| with_path(e, &target))?;
        }
    }
    let mut carried = report.extra.clone();
    carried.extend(
        BUILD_ARTIFACTS
            .iter()
            .filter(|a| out.join(a).exists())
            .map(|a| a.to_string()),
    );
    for relative in &carried {
        carry_over(&out.join(relative), &staging.path().join(relative))?;
    }

    swap(out, staging.keep())?;
    let written = report.changed.len() + report.missing.len();
    Ok(format!(
        "{recovered}wrote {shown}: {written} of {} files changed{}",
        files.len(),
        kept_note(&report.extra)
    ))
}

fn kept_note(extra: &[String]) -> String {
    if extra.is_empty() {
        return String::new();
    }
    format!(
        "\nwarning: kept {} file(s) that the generator does not produce: {}\n   = help: delete them if they are stale",
        extra.len(),
        extra.join(", ")
    )
}

/// Puts `staged` where `out` was: at every moment `out` is either the old, complete folder
/// or the new one (with the fallback, a moment without it, repaired by [`recover`]).
fn swap(out: &Path, staged: PathBuf) -> io::Result<()> {
    let fail_after_rename = std::env::var_os("XTASK_FAIL_AFTER_RENAME").is_some();
    if !out.exists() {
        fs::rename(&staged, out).map_err(|e| with_path(e, out))?;
        if fail_after_rename {
            die("XTASK_FAIL_AFTER_RENAME");
        }
        return Ok(());
    }
    if exchange(&staged, out)? {
        // `staged` now holds the old folder.
        if fail_after_rename {
            die("XTASK_FAIL_AFTER_RENAME");
        }
        return fs::remove_dir_all(&staged).map_err(|e| with_path(e, &staged));
    }
    let backup = staged.with_extension("old");
    fs::rename(out, &backup).map_err(|e| with_path(e, out))?;
    if fail_after_rename {
        die("XTASK_FAIL_AFTER_RENAME");
    }
    if let Err(error) = fs::rename(&staged, out) {
        // Put the old folder back so the user keeps a working crate.
        let _ = fs::rename(&backup, out);
        return Err(with_path(error, out));
    }
    fs::remove_dir_all(&backup).map_err(|e| with_path(e, &backup))
}

/// Exchanges two folders in one step where the system can; `false` when it cannot (then
/// nothing was done).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let to_c = |path: &Path| {
        CString::new(path.as_os_str().as_bytes())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a NUL in a path"))
    };
    let (a_c, b_c) = (to_c(a)?, to_c(b)?);
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call, and
    // renameat2 does not keep them.
    let result = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a_c.as_ptr(),
            libc::AT_FDCWD,
            b_c.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if result == 0 {
        return Ok(true);
    }
    let error = io::Error::last_os_error();
    match error.raw_os_error() {
        // Not supported by this kernel or file system: use the two renames.
        Some(libc::EINVAL | libc::ENOSYS | libc::ENOTSUP) => Ok(false),
        _ => Err(with_path(error, b)),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<bool> {
    Ok(false)
}

fn carry_over(from: &Path, to: &Path) -> io::Result<()> {
    if from.is_dir() {
        fs::create_dir_all(to).map_err(|e| with_path(e, to))?;
        for entry in fs::read_dir(from).map_err(|e| with_path(e, from))? {
            let entry = entry?;
            carry_over(&entry.path(), &to.join(entry.file_name()))?;
        }
        Ok(())
    } else {
        if let Some(folder) = to.parent() {
            fs::create_dir_all(folder).map_err(|e| with_path(e, folder))?;
        }
        link_or_copy(from, to)
    }
}

fn link_or_copy(from: &Path, to: &Path) -> io::Result<()> {
    if fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| with_path(e, from))
}

fn with_path(error: io::Error, path: &Path) -> io::Error {
    io::Error::new(error.kind(), format!("{}: {error}", path.display()))
}
