//! Stage 1, load: read a spec (YAML or JSON) and the files its `$ref`s reach, apply
//! overlays, tell its OpenAPI version, make every `$ref` local, check what can be checked
//! without types, and read the result into the typed [`Document`]. Later stages see one
//! self-contained document.
//!
//! One job per module: `read` (files, parsing, positions of parse errors), `bundle`
//! (references across files), `checks` (version, local references, operation IDs) and
//! `read_document` (JSON to [`Document`]).
//!
//! This stage reads files but never writes, and never touches the network. Its work is
//! bounded on any input: files are read up to a size limit, the parsers limit nesting
//! (serde_json and serde_yaml stop at 128 levels; serde_yaml also stops alias
//! expansion that repeats too much), references are followed without recursion between
//! files, and values copied in place of `$ref`s are limited in depth, chain length and size.

mod bundle;
mod checks;
mod identifiers;
mod read;
mod read_document;
mod roles;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::document::Document;
use crate::error::{Diagnostic, Error};
use crate::pointer;
use crate::position::Sources;

pub use read::read_document;
pub use read::MAX_FILE_BYTES;
pub(crate) use read::{normalize, read_text};

pub use bundle::MAX_TOTAL_BYTES;

/// A spec that loaded: one document, every cross-file reference made local.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The file the spec was read from, as given by the caller.
    pub path: PathBuf,
    pub document: Document,
    /// The bundled document as JSON: overlays applied, every `$ref` local. Pointers in
    /// diagnostics and in [`Document`] are pointers into this value.
    pub bundled: Value,
    /// Problems found while loading that do not stop lowering (a `$ref` that leads
    /// nowhere, a duplicate `operationId`): [`crate::lower::lower`] reports them together
    /// with its own, so that one run shows every problem it can find.
    pub problems: Vec<Diagnostic>,
    /// The text of every file read, and where imported values came from.
    pub(crate) sources: Sources,
    /// `$ref` sites (pointers in the bundled document) already reported as broken.
    pub(crate) broken_refs: BTreeSet<String>,
}

impl Spec {
    /// Gives diagnostics about this spec their place: a diagnostic about a value that was
    /// copied from another file moves to that file and pointer, and each gets its line,
    /// column and source line when the file has them.
    pub fn locate(&self, diagnostics: &mut [Diagnostic]) {
        for diagnostic in diagnostics.iter_mut() {
            self.sources.map_to_origin(&self.path, diagnostic);
        }
        self.sources.locate(diagnostics);
    }

    /// Lowering's diagnostics, located, with the load problems: sorted, without duplicates,
    /// and without a second report of a `$ref` that loading already reported.
    pub(crate) fn finish_diagnostics(&self, mut lowering: Vec<Diagnostic>) -> Vec<Diagnostic> {
        lowering.retain(|d| {
            !self
                .broken_refs
                .contains(&pointer::push(&d.pointer, "$ref"))
        });
        self.locate(&mut lowering);
        lowering.extend(self.problems.iter().cloned());
        lowering.sort();
        lowering.dedup();
        lowering
    }
}

/// How to load a spec beyond reading it: fixes to apply, and where references may lead.
///
/// ```
/// let options = generator::load::LoadOptions {
///     overlays: vec!["spec/overlays/highlevel-contacts.yaml".into()],
///     ref_rewrites: vec![("../common/".into(), "common/".into())],
///     ..Default::default()
/// };
/// # let _ = options;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// OpenAPI Overlay files, applied in order to the spec before anything else.
    pub overlays: Vec<PathBuf>,
    /// The folder that relative `$ref`s may reach into; by default the spec's own folder.
    /// A `$ref` to a file outside it (after resolving `..` and symbolic links) is refused.
    ///
    /// ```
    /// // HighLevel's specs live in `apps/` and refer to `../common/common-schemas.json`.
    /// let options = generator::load::LoadOptions {
    ///     ref_root: Some("../shared/specs/highlevel".into()),
    ///     ..Default::default()
    /// };
    /// # let _ = options;
    /// ```
    pub ref_root: Option<PathBuf>,
    /// Rewrites of the file part of `$ref`s, `(from prefix, to prefix)`, applied first to
    /// last, for specs published with a folder layout that differs from their refs.
    pub ref_rewrites: Vec<(String, String)>,
}

/// Reads and checks the spec at `path`, following `$ref`s into other files.
pub fn load(path: &Path) -> Result<Spec, Error> {
    load_with(path, &LoadOptions::default())
}

/// Sorted, without duplicates, and placed in their files.
fn located(mut diagnostics: Vec<Diagnostic>, path: &Path, sources: &Sources) -> Vec<Diagnostic> {
    for diagnostic in &mut diagnostics {
        sources.map_to_origin(path, diagnostic);
    }
    sources.locate(&mut diagnostics);
    diagnostics.sort();
    diagnostics.dedup();
    diagnostics
}

/// [`load`], with overlays and reference settings.
///
/// Problems that leave a usable document (a broken `$ref`, a duplicate `operationId`)
/// do not make this fail: they are in [`Spec::problems`], and lowering reports them.
pub fn load_with(path: &Path, options: &LoadOptions) -> Result<Spec, Error> {
    let mut sources = Sources::default();
    let (mut root, text) = read::read_source(path).map_err(|d| Error::spec(*d))?;
    let root_bytes = text.len() as u64;
    sources.add_text(path, text);
    for overlay in &options.overlays {
        crate::overlay::apply(&mut root, overlay).map_err(|mut diagnostics| {
            // The overlay's own text places its problems.
            let mut overlay_sources = Sources::default();
            if let Ok(text) = read_text(overlay) {
                overlay_sources.add_text(overlay, text.into());
            }
            overlay_sources.locate(&mut diagnostics);
            Error::Spec(diagnostics)
        })?;
    }
    let version = checks::version(path, &root)
        .map_err(|diagnostic| Error::Spec(located(vec![*diagnostic], path, &sources)))?;
    let ref_root = bundle::ref_root(path, options).map_err(|d| Error::spec(*d))?;

    let bundled = bundle::bundle(path, &mut root, options, ref_root, sources, root_bytes);
    let mut sources = bundled.sources;
    let mut broken = bundled.broken;
    if bundled.over_budget {
        // What is left would be lowered at the cost the limit is there to avoid.
        return Err(Error::Spec(located(bundled.diagnostics, path, &sources)));
    }
    let mut problems = bundled.diagnostics;
    checks::local_refs(path, &root, &mut problems, &mut broken);
    checks::operation_ids(path, &root, &mut problems);

    let (document, invalid) = read_on_large_stack(path, &root, version);
    // Values of the wrong kind are left out of the document, which stays usable: lowering
    // reports its own problems with these, and does not report again what they caused.
    problems.extend(invalid);
    let problems = located(problems, path, &sources);
    Ok(Spec {
        path: path.to_path_buf(),
        document,
        bundled: root,
        problems,
        sources: std::mem::take(&mut sources),
        broken_refs: broken,
    })
}

/// Reading follows the document's nesting, which bundling may have made deeper than one
/// parser allows: it runs on a thread whose stack fits the deepest document the limits let
/// through.
fn read_on_large_stack(
    path: &Path,
    root: &Value,
    version: Option<crate::document::Version>,
) -> (Document, Vec<Diagnostic>) {
    const STACK: usize = 64 * 1024 * 1024;
    let work = || read_document::read(path, root, version);
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("openapi-read".to_string())
            .stack_size(STACK)
            .spawn_scoped(scope, work);
        match spawned {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            // No thread to be had: the caller's stack is all there is.
            Err(_) => work(),
        }
    })
}
