//! Stage 1, load: read a spec (YAML or JSON), check that it is OpenAPI 3.0.x, pull every
//! component that a `$ref` reaches in another file into the root document, and check that
//! every local `$ref` resolves. Later stages see one self-contained `openapiv3::OpenAPI`.
//!
//! This stage reads files but never writes, and never touches the network. Its work is
//! bounded on any input: files are read up to a size limit, the parsers limit nesting
//! (serde_json and serde_yaml stop at 128 levels; serde_yaml also stops alias
//! expansion that repeats too much), references are followed without recursion between
//! files, and values copied in place of `$ref`s are limited in depth, chain length and size.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use crate::error::{pointer_push, Diagnostic, Error};
use crate::position::Sources;

/// A spec that loaded: one document, every cross-file reference made local.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The file the spec was read from, as given by the caller.
    pub path: PathBuf,
    pub openapi: openapiv3::OpenAPI,
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
        lowering.retain(|d| !self.broken_refs.contains(&pointer_push(&d.pointer, "$ref")));
        self.locate(&mut lowering);
        lowering.extend(self.problems.iter().cloned());
        lowering.sort();
        lowering.dedup();
        lowering
    }
}

/// The sections of `components` that a cross-file `$ref` may import from.
const COMPONENT_KINDS: &[&str] = &[
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
];

/// The largest file read (spec, overlay or `$ref` target), so that memory stays bounded:
/// parsed, a file takes up to some 25 times its size (a JSON file of small numbers).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// The most the spec and every file its `$ref`s reach may add up to.
pub const MAX_TOTAL_BYTES: u64 = 128 * 1024 * 1024;
/// How many non-component `$ref`s may be copied one inside another.
const MAX_INLINE_CHAIN: usize = 32;
/// How deep a copied value may end up in the bundled document (each file alone is
/// limited to 128 levels by its parser).
const MAX_BUNDLED_DEPTH: usize = 160;
/// How many JSON values copying non-component `$ref`s may add in all: a few files of
/// `$ref`s to `$ref`s can otherwise ask for billions of copies.
const MAX_INLINED_VALUES: usize = 500_000;

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

/// [`load`], with overlays and reference settings.
///
/// Problems that leave a usable document (a broken `$ref`, a duplicate `operationId`)
/// do not make this fail: they are in [`Spec::problems`], and lowering reports them.
pub fn load_with(path: &Path, options: &LoadOptions) -> Result<Spec, Error> {
    let mut sources = Sources::default();
    let (mut root, text) = read_source(path).map_err(|d| Error::spec(*d))?;
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
    if let Some(diagnostic) = version_problem(path, &root) {
        let mut list = vec![diagnostic];
        sources.locate(&mut list);
        return Err(Error::Spec(list));
    }
    let ref_root = ref_root(path, options).map_err(|d| Error::spec(*d))?;

    let mut bundler = Bundler::new(path, &root, options, ref_root, sources);
    bundler.bytes_read = root_bytes;
    bundler.bundle(&mut root, path);
    let Bundler {
        imports,
        mut diagnostics,
        mut sources,
        mut broken,
        over_budget,
        ..
    } = bundler;
    if over_budget {
        // What is left would be lowered at the cost the limit is there to avoid.
        for diagnostic in &mut diagnostics {
            sources.map_to_origin(path, diagnostic);
        }
        sources.locate(&mut diagnostics);
        diagnostics.sort();
        diagnostics.dedup();
        return Err(Error::Spec(diagnostics));
    }
    add_imports(&mut root, imports);
    check_local_refs(path, &root, &mut diagnostics, &mut broken);
    check_operation_ids(path, &root, &mut diagnostics);

    let openapi = deserialize(&root);
    let mut spec = Spec {
        path: path.to_path_buf(),
        openapi: openapiv3::OpenAPI::default(),
        problems: Vec::new(),
        sources: std::mem::take(&mut sources),
        broken_refs: broken,
    };
    match openapi {
        Ok(openapi) => spec.openapi = openapi,
        Err((pointer, message)) => {
            diagnostics.push(
                Diagnostic::new(
                    path,
                    pointer,
                    format!("not a valid OpenAPI 3.0 document: {message}"),
                )
                .help(
                    "compare this value with the OpenAPI 3.0.3 specification's object definitions",
                ),
            );
            spec.locate(&mut diagnostics);
            diagnostics.sort();
            diagnostics.dedup();
            return Err(Error::Spec(diagnostics));
        }
    }
    spec.locate(&mut diagnostics);
    diagnostics.sort();
    diagnostics.dedup();
    spec.problems = diagnostics;
    Ok(spec)
}

/// Parses one file as JSON (by extension) or YAML, into a JSON value.
pub(crate) fn read_document(path: &Path) -> Result<Value, Box<Diagnostic>> {
    read_source(path).map(|(value, _)| value)
}

/// Reads one file, at most [`MAX_FILE_BYTES`] of it, and parses it; also returns its text
/// for diagnostics. A parse error comes with its line, column and source line.
fn read_source(path: &Path) -> Result<(Value, Arc<str>), Box<Diagnostic>> {
    let text = read_text(path).map_err(|reason| {
        Box::new(
            Diagnostic::new(path, "#", format!("cannot read the spec file: {reason}"))
                .help("check that the path exists and is a readable UTF-8 file"),
        )
    })?;
    let parsed = if crate::position::is_json(path) {
        serde_json::from_str(&text).map_err(|err| {
            // serde_json ends its message with the place, which the diagnostic shows already.
            let message = err.to_string();
            let place = format!(" at line {} column {}", err.line(), err.column());
            let message = message.strip_suffix(&place).unwrap_or(&message);
            let help = if err.to_string().contains("recursion limit") {
                "an OpenAPI document needs far fewer than 128 levels of nesting"
            } else {
                "fix the JSON syntax at the place shown"
            };
            Diagnostic::new(path, "#", format!("invalid JSON: {message}"))
                .at_line(err.line(), err.column())
                .help(help)
        })
    } else if let Some((line, column)) = yaml_flow_deeper_than(&text, MAX_YAML_FLOW_DEPTH) {
        Err(Diagnostic::new(
            path,
            "#",
            format!("invalid YAML: recursion limit exceeded: `[` and `{{` nest more than {MAX_YAML_FLOW_DEPTH} deep"),
        )
        .at_line(line, column)
        .help("an OpenAPI document needs far fewer than 128 levels of nesting"))
    } else {
        serde_yaml::from_str(&text).map_err(|err| {
            let message = format!("invalid YAML: {err}");
            let help = if message.contains("recursion limit") {
                "an OpenAPI document needs far fewer than 128 levels of nesting"
            } else if message.contains("repetition limit") {
                "the document's aliases (`*name`) expand to too much; write the values out or use `$ref`s"
            } else {
                "fix the YAML syntax at the place shown"
            };
            let diagnostic = Diagnostic::new(path, "#", message).help(help);
            match err.location() {
                Some(at) => diagnostic.at_line(at.line(), at.column()),
                None => diagnostic,
            }
        })
    };
    match parsed {
        Ok(value) => Ok((value, text.into())),
        Err(mut diagnostic) => {
            if let Some((line, column)) = diagnostic.line_col {
                diagnostic.excerpt = crate::position::excerpt_at(&text, line, column).map(Box::new);
            }
            Err(Box::new(diagnostic))
        }
    }
}

/// libyaml's time grows with the square of flow nesting (100,000 `[`s take minutes) before
/// serde_yaml's own limit of 128 applies: deeper flow collections are refused first.
const MAX_YAML_FLOW_DEPTH: usize = 1000;

/// Where `[` and `{` first nest deeper than `limit` in YAML text, if they do. A rough
/// scanner: quotes and comments are skipped, and a bracket counts in block context only
/// at the start of a token (`see [1]` in prose opens and closes again; only a thousand
/// unclosed ones could be mistaken for nesting).
fn yaml_flow_deeper_than(text: &str, limit: usize) -> Option<(usize, usize)> {
    let (mut line, mut column) = (1, 0);
    let mut depth = 0usize;
    let mut previous = '\n';
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        column += 1;
        let token_start = matches!(
            previous,
            '\n' | ' ' | '\t' | '[' | '{' | ',' | ':' | '-' | '?'
        );
        match c {
            '\n' => {
                line += 1;
                column = 0;
            }
            '#' if matches!(previous, '\n' | ' ' | '\t') => {
                while chars.peek().is_some_and(|&next| next != '\n') {
                    chars.next();
                }
            }
            '\'' | '"' if token_start => {
                let quote = c;
                while let Some(inner) = chars.next() {
                    column += 1;
                    match inner {
                        '\n' => {
                            line += 1;
                            column = 0;
                        }
                        '\\' if quote == '"' => {
                            chars.next();
                            column += 1;
                        }
                        _ if inner == quote => break,
                        _ => {}
                    }
                }
            }
            '[' | '{' if depth > 0 || token_start => {
                depth += 1;
                if depth > limit {
                    return Some((line, column));
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        previous = c;
    }
    None
}

/// The file's text, or why it cannot be had.
fn read_text(path: &Path) -> Result<String, String> {
    let reason = |err: std::io::Error| match err.kind() {
        // The operating system's wording of "not found" differs between platforms.
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::InvalidData => "it is not UTF-8 text".to_string(),
        _ => err.to_string(),
    };
    let metadata = std::fs::metadata(path).map_err(reason)?;
    // A folder, a pipe or a device would fail or never end.
    if !metadata.is_file() {
        return Err("it is not a regular file".to_string());
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(format!(
            "it is {} MiB, more than the {} MiB a spec file may have",
            metadata.len() / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    let mut text = String::new();
    std::fs::File::open(path)
        .map_err(reason)?
        .take(MAX_FILE_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(reason)?;
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "it is more than the {} MiB a spec file may have",
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    Ok(text)
}

/// The folder `$ref`s may reach, canonical so that `..` and symbolic links cannot leave it.
fn ref_root(spec: &Path, options: &LoadOptions) -> Result<PathBuf, Box<Diagnostic>> {
    let folder = match &options.ref_root {
        Some(folder) => folder.clone(),
        None => match spec.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        },
    };
    std::fs::canonicalize(&folder).map_err(|err| {
        Box::new(
            Diagnostic::new(
                spec,
                "#",
                format!(
                    "the folder `$ref`s may reach, `{}`, cannot be used: {err}",
                    folder.display()
                ),
            )
            .help("pass an existing folder with `--ref-root` (`LoadOptions::ref_root`)"),
        )
    })
}

/// Why the document is not OpenAPI 3.0.x, if it is not.
fn version_problem(path: &Path, root: &Value) -> Option<Diagnostic> {
    let Some(object) = root.as_object() else {
        return Some(
            Diagnostic::new(path, "#", "the document is not an object").help(
                "an OpenAPI document is a mapping with `openapi`, `info` and `paths` at the top",
            ),
        );
    };
    if let Some(swagger) = object.get("swagger") {
        return Some(
            Diagnostic::new(
                path,
                "#/swagger",
                format!(
                    "this is a Swagger {} document; only OpenAPI 3.0.x is supported",
                    plain(swagger)
                ),
            )
            .help("convert it to OpenAPI 3.0 first, for example with swagger2openapi"),
        );
    }
    let Some(version) = object.get("openapi") else {
        return Some(
            Diagnostic::new(path, "#", "the document has no `openapi` version field")
                .help("add `openapi: 3.0.3` at the top level"),
        );
    };
    let version = plain(version);
    if version == "3.0" || version.starts_with("3.0.") {
        return None;
    }
    let help = if version.starts_with("3.1") {
        "OpenAPI 3.1 is not supported yet; describe the API in OpenAPI 3.0.3 (`nullable: true` instead of type lists)"
    } else {
        "set `openapi` to a 3.0.x version such as 3.0.3"
    };
    Some(
        Diagnostic::new(
            path,
            "#/openapi",
            format!("unsupported OpenAPI version `{version}`"),
        )
        .help(help),
    )
}

fn plain(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Where a referenced value lives: a file and a JSON pointer (without the leading `#`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Target {
    file: PathBuf,
    pointer: String,
}

/// Where a value being rewritten sits: in the file it was read from, and in the bundled
/// root document (the same pointer for the root's own values).
struct At {
    pointer: String,
    bundled: String,
    in_root: bool,
    depth: usize,
}

impl At {
    /// The place `path` (escaped reference tokens) below this one.
    fn below(&self, path: &[String]) -> At {
        let suffix: String = path
            .iter()
            .flat_map(|token| ["/", token.as_str()])
            .collect();
        At {
            pointer: format!("{}{suffix}", self.pointer),
            bundled: format!("{}{suffix}", self.bundled),
            in_root: self.in_root,
            depth: self.depth + path.len(),
        }
    }
}

/// A reference token, escaped for a JSON pointer.
fn escape_token(token: &str) -> String {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1")
    } else {
        token.to_string()
    }
}

/// A component copied from another file, whose own `$ref`s are still to be rewritten.
struct Pending {
    file: PathBuf,
    pointer: String,
    kind: &'static str,
    name: String,
    value: Value,
}

/// Makes cross-file references local by copying their targets into the root's components.
/// Components are rewritten from a queue, not by recursion, so a chain of `$ref`s through
/// thousands of components costs no stack.
struct Bundler {
    root_file: PathBuf,
    /// Canonical: a `$ref`d file must be inside it.
    ref_root: PathBuf,
    /// `ref_root` as the user would recognize it, for messages.
    ref_root_shown: String,
    /// Every file read, or `None` when it could not be (reported once).
    documents: BTreeMap<PathBuf, Option<Value>>,
    /// Local ref given to each imported target, so it is copied once.
    imported: BTreeMap<Target, String>,
    /// Names in use per component kind, in the root or by earlier imports.
    taken: BTreeMap<String, BTreeSet<String>>,
    /// The next number to try for a name already taken, so thousands of equal names
    /// cost thousands of steps, not millions.
    next_suffix: HashMap<(&'static str, String), usize>,
    /// Copied components, in the order they were rewritten (deterministic).
    imports: Vec<(String, String, Value)>,
    pending: std::collections::VecDeque<Pending>,
    /// Non-component targets being inlined, to stop a reference cycle.
    inlining: Vec<Target>,
    /// Values copied in place of non-component `$ref`s so far.
    inlined_values: usize,
    /// Bytes of the files read so far, the root's included.
    bytes_read: u64,
    /// Whether that exceeded [`MAX_INLINED_VALUES`] (reported once).
    over_budget: bool,
    /// Each non-component target copied so far, rewritten: copied again without rewriting.
    inlined: BTreeMap<Target, Inlined>,
    ref_rewrites: Vec<(String, String)>,
    diagnostics: Vec<Diagnostic>,
    sources: Sources,
    /// `$ref` sites in the bundled document that are reported broken.
    broken: BTreeSet<String>,
}

impl Bundler {
    fn new(
        root_file: &Path,
        root: &Value,
        options: &LoadOptions,
        ref_root: PathBuf,
        sources: Sources,
    ) -> Self {
        let mut taken = BTreeMap::new();
        for kind in COMPONENT_KINDS {
            let names = root
                .pointer(&format!("/components/{kind}"))
                .and_then(Value::as_object)
                .map(|map| map.keys().cloned().collect())
                .unwrap_or_default();
            taken.insert((*kind).to_string(), names);
        }
        let mut documents = BTreeMap::new();
        documents.insert(normalize(root_file), None);
        let ref_root_shown = match &options.ref_root {
            Some(folder) => folder.display().to_string(),
            None => match root_file.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => parent.display().to_string(),
                _ => ".".to_string(),
            },
        };
        Bundler {
            root_file: normalize(root_file),
            ref_root,
            ref_root_shown,
            documents,
            imported: BTreeMap::new(),
            taken,
            next_suffix: HashMap::new(),
            imports: Vec::new(),
            pending: Default::default(),
            inlining: Vec::new(),
            inlined_values: 0,
            bytes_read: 0,
            over_budget: false,
            inlined: BTreeMap::new(),
            ref_rewrites: options.ref_rewrites.clone(),
            diagnostics: Vec::new(),
            sources,
            broken: BTreeSet::new(),
        }
    }

    /// Rewrites the root (read from `root_path`), then every component it imports.
    fn bundle(&mut self, root: &mut Value, root_path: &Path) {
        let at = At {
            pointer: "#".to_string(),
            bundled: "#".to_string(),
            in_root: true,
            depth: 0,
        };
        self.rewrite(root, root_path, at);
        while let Some(mut pending) = self.pending.pop_front() {
            let bundled = pointer_push(&format!("#/components/{}", pending.kind), &pending.name);
            let at = At {
                pointer: format!("#{}", pending.pointer),
                bundled,
                in_root: false,
                depth: 3,
            };
            self.rewrite(&mut pending.value, &pending.file, at);
            self.imports
                .push((pending.kind.to_string(), pending.name, pending.value));
        }
    }

    /// Rewrites every `$ref` under `value`, which sits `at` a place in `file`.
    /// In the root document local refs stay as they are; in other files they point
    /// into that file and are imported like any cross-file ref.
    fn rewrite(&mut self, value: &mut Value, file: &Path, at: At) {
        self.rewrite_below(value, file, &at, &mut Vec::new());
    }

    /// Pointers are spelled out only where a `$ref` is: a 50 MB spec has millions of
    /// values, and a pointer string for each would cost more than the parse.
    fn rewrite_below(&mut self, value: &mut Value, file: &Path, base: &At, path: &mut Vec<String>) {
        let is_container = |value: &Value| matches!(value, Value::Object(_) | Value::Array(_));
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    let reference = reference.clone();
                    match self.resolve(&reference, file, &base.below(path)) {
                        Some(Resolved::Ref(local)) => {
                            map.insert("$ref".to_string(), Value::String(local));
                        }
                        Some(Resolved::Inline(inlined)) => *value = inlined,
                        None => {}
                    }
                    return;
                }
                for (key, child) in map.iter_mut().filter(|(_, child)| is_container(child)) {
                    path.push(escape_token(key));
                    self.rewrite_below(child, file, base, path);
                    path.pop();
                }
            }
            Value::Array(items) => {
                for (index, child) in items
                    .iter_mut()
                    .enumerate()
                    .filter(|(_, child)| is_container(child))
                {
                    path.push(index.to_string());
                    self.rewrite_below(child, file, base, path);
                    path.pop();
                }
            }
            _ => {}
        }
    }

    fn resolve(&mut self, reference: &str, file: &Path, at: &At) -> Option<Resolved> {
        let site = pointer_push(&at.pointer, "$ref");
        if reference.starts_with("http://") || reference.starts_with("https://") {
            return self.broken_ref(at, Some(
                Diagnostic::new(file, site, format!("remote `$ref` `{reference}` is not followed"))
                    .help("generation never uses the network: download the file and refer to it by a relative path"),
            ));
        }
        let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let file_part = self.rewritten(file_part);
        let file_part = file_part.as_str();
        if file_part.is_empty() && at.in_root {
            return None;
        }
        let target_file = if file_part.is_empty() {
            normalize(file)
        } else {
            normalize(&file.parent().unwrap_or(Path::new("")).join(file_part))
        };
        let target = Target {
            file: target_file,
            pointer: fragment.to_string(),
        };
        if target.file == self.root_file {
            return Some(Resolved::Ref(format!("#{fragment}")));
        }
        if let Some(local) = self.imported.get(&target) {
            return Some(Resolved::Ref(local.clone()));
        }
        if !self.document(&target.file, file, &site) {
            return self.broken_ref(at, None);
        }
        let target_pointer = format!("#{fragment}");
        if let Some((kind, name)) = component_place(fragment) {
            let found = self
                .documents
                .get(&target.file)
                .and_then(Option::as_ref)
                .and_then(|document| document.pointer(fragment))
                .cloned();
            let Some(found) = found else {
                return self.missing_target(reference, &target, file, site, at);
            };
            let name = name.replace("~1", "/").replace("~0", "~");
            let local_name = self.claim_name(kind, &name);
            let local = pointer_push(&format!("#/components/{kind}"), &local_name);
            self.imported.insert(target.clone(), local.clone());
            self.sources
                .add_origin(local.clone(), &target.file, target_pointer);
            self.pending.push_back(Pending {
                file: target.file,
                pointer: fragment.to_string(),
                kind,
                name: local_name,
                value: found,
            });
            return Some(Resolved::Ref(local));
        }

        // A value outside `components` has no name to refer to: it is copied in place.
        let refuse =
            |message: String, help: &str| Some(Diagnostic::new(file, &site, message).help(help));
        const NAME_IT: &str =
            "move the values these `$ref`s copy under `components`, so that they are named instead of copied";
        if self.inlining.contains(&target) {
            return self.broken_ref(
                at,
                refuse(
                    format!("`$ref` `{reference}` refers to itself"),
                    "move the recursive schema under `components/schemas` so it can be named",
                ),
            );
        }
        if self.inlining.len() >= MAX_INLINE_CHAIN {
            return self.broken_ref(at, refuse(
                format!("`$ref` `{reference}` is reached through more than {MAX_INLINE_CHAIN} `$ref`s to values outside `components`"),
                NAME_IT,
            ));
        }
        if self.over_budget {
            return self.broken_ref(at, None);
        }
        let copied = self
            .inlined
            .get(&target)
            .map(|done| (done.depth, done.size));
        let (copy, depth, size) = match copied {
            // Copied before: the same value again, with the same notes about its insides.
            Some((depth, size)) => {
                if let Some(refused) = self.refuse_copy(reference, at, depth, size, &refuse) {
                    return refused;
                }
                let done = &self.inlined[&target];
                let copy = done.value.clone();
                for (suffix, origin_file, origin_pointer) in done.origins.clone() {
                    self.sources.add_origin(
                        format!("{}{suffix}", at.bundled),
                        &origin_file,
                        origin_pointer,
                    );
                }
                for suffix in done.broken.clone() {
                    self.broken.insert(format!("{}{suffix}", at.bundled));
                }
                (copy, depth, size)
            }
            None => {
                let found = self
                    .documents
                    .get(&target.file)
                    .and_then(Option::as_ref)
                    .and_then(|document| document.pointer(fragment))
                    .map(|found| (measure(found, usize::MAX).0, found.clone()));
                let Some((raw_depth, mut copy)) = found else {
                    return self.missing_target(reference, &target, file, site, at);
                };
                // Refused before rewriting, so that rewriting the copy stays shallow.
                if let Some(refused) = self.refuse_copy(reference, at, raw_depth, 0, &refuse) {
                    return refused;
                }
                self.inlining.push(target.clone());
                let inner = At {
                    pointer: target_pointer.clone(),
                    bundled: at.bundled.clone(),
                    in_root: false,
                    depth: at.depth,
                };
                let origins_before = self.sources.origin_count();
                self.rewrite(&mut copy, &target.file, inner);
                self.inlining.pop();
                let (depth, size) = measure(&copy, MAX_INLINED_VALUES + 1);
                if let Some(refused) = self.refuse_copy(reference, at, depth, size, &refuse) {
                    return refused;
                }
                let prefix = &at.bundled;
                let origins = if self.sources.origin_count() > origins_before {
                    self.sources.origins_under(prefix)
                } else {
                    Vec::new()
                };
                let broken = self
                    .broken
                    .range(prefix.clone()..)
                    .take_while(|site| site.starts_with(prefix.as_str()))
                    .filter_map(|site| site.strip_prefix(prefix.as_str()))
                    .filter(|suffix| suffix.starts_with('/'))
                    .map(str::to_string)
                    .collect();
                self.inlined.insert(
                    target.clone(),
                    Inlined {
                        value: copy.clone(),
                        depth,
                        size,
                        origins,
                        broken,
                    },
                );
                (copy, depth, size)
            }
        };
        let _ = depth;
        self.inlined_values += size;
        self.sources
            .add_origin(at.bundled.clone(), &target.file, target_pointer);
        Some(Resolved::Inline(copy))
    }

    /// Why a copy of `depth` levels and `size` values may not go `at` its place, if so.
    fn refuse_copy(
        &mut self,
        reference: &str,
        at: &At,
        depth: usize,
        size: usize,
        refuse: &dyn Fn(String, &str) -> Option<Diagnostic>,
    ) -> Option<Option<Resolved>> {
        if at.depth + depth > MAX_BUNDLED_DEPTH {
            return Some(self.broken_ref(at, refuse(
                format!("copying `$ref` `{reference}` here would nest the document more than {MAX_BUNDLED_DEPTH} levels deep"),
                "move the value under `components`, so that it is named instead of copied",
            )));
        }
        if self.inlined_values + size > MAX_INLINED_VALUES {
            // Said once: every later copy would say it again.
            let first = !self.over_budget;
            self.over_budget = true;
            let diagnostic = refuse(
                format!("`$ref`s to values outside `components` copy more than {MAX_INLINED_VALUES} values in all"),
                "move the values these `$ref`s copy under `components`, so that they are named instead of copied",
            );
            return Some(self.broken_ref(at, diagnostic.filter(|_| first)));
        }
        None
    }

    fn missing_target(
        &mut self,
        reference: &str,
        target: &Target,
        file: &Path,
        site: String,
        at: &At,
    ) -> Option<Resolved> {
        let diagnostic = Diagnostic::new(
            file,
            site,
            format!("`$ref` target `{reference}` does not exist"),
        )
        .help(format!(
            "check that `{}` has a value at `#{}`",
            target.file.display(),
            target.pointer
        ));
        self.broken_ref(at, Some(diagnostic))
    }

    /// Records a `$ref` that stays unresolved, and why (once per cause).
    fn broken_ref(&mut self, at: &At, diagnostic: Option<Diagnostic>) -> Option<Resolved> {
        self.diagnostics.extend(diagnostic);
        self.broken.insert(pointer_push(&at.bundled, "$ref"));
        None
    }

    fn rewritten(&self, file_part: &str) -> String {
        let mut file_part = file_part.to_string();
        for (from, to) in &self.ref_rewrites {
            if let Some(rest) = file_part.strip_prefix(from.as_str()) {
                file_part = format!("{to}{rest}");
            }
        }
        file_part
    }

    /// Reads `path` the first time a `$ref` (in `from`, at `site`) names it; whether it is
    /// there to use. Why it is not is reported once, at the first `$ref` that named it.
    fn document(&mut self, path: &Path, from: &Path, site: &str) -> bool {
        if let Some(document) = self.documents.get(path) {
            return document.is_some();
        }
        if let Ok(canonical) = std::fs::canonicalize(path) {
            if !canonical.starts_with(&self.ref_root) {
                self.diagnostics.push(
                    Diagnostic::new(
                        from,
                        site,
                        format!(
                            "`$ref` leads to `{}`, outside the folder `$ref`s may reach (`{}`)",
                            path.display(),
                            self.ref_root_shown
                        ),
                    )
                    .help(format!(
                        "to allow it, pass `--ref-root {}` (`LoadOptions::ref_root`), or another folder that holds both files",
                        common_ancestor(&self.ref_root, &canonical).display()
                    )),
                );
                self.documents.insert(path.to_path_buf(), None);
                return false;
            }
        }
        let size = std::fs::metadata(path).map_or(0, |metadata| metadata.len());
        if self.bytes_read + size > MAX_TOTAL_BYTES {
            self.diagnostics.push(
                Diagnostic::new(
                    from,
                    site,
                    format!(
                        "`$ref` leads to `{}`, past the {} MiB that a spec and its `$ref`d files may add up to",
                        path.display(),
                        MAX_TOTAL_BYTES / (1024 * 1024)
                    ),
                )
                .help("refer to fewer or smaller files"),
            );
            self.documents.insert(path.to_path_buf(), None);
            return false;
        }
        match read_source(path) {
            Ok((value, text)) => {
                self.bytes_read += text.len() as u64;
                self.sources.add_text(path, text);
                self.documents.insert(path.to_path_buf(), Some(value));
                true
            }
            Err(diagnostic) => {
                let mut diagnostic = *diagnostic;
                if diagnostic.line_col.is_none() && diagnostic.pointer == "#" {
                    // The file itself is missing or unreadable: the user must look at the ref.
                    diagnostic = Diagnostic::new(
                        from,
                        site,
                        diagnostic
                            .message
                            .replace("the spec file", "the file a `$ref` names"),
                    )
                    .help(format!("check the relative path `{}`", path.display()));
                }
                self.diagnostics.push(diagnostic);
                self.documents.insert(path.to_path_buf(), None);
                false
            }
        }
    }

    /// Picks the name an imported component gets in the root: its own, unless taken.
    fn claim_name(&mut self, kind: &'static str, name: &str) -> String {
        let taken = self.taken.entry(kind.to_string()).or_default();
        if taken.insert(name.to_string()) {
            return name.to_string();
        }
        let next = self
            .next_suffix
            .entry((kind, name.to_string()))
            .or_insert(2);
        loop {
            let candidate = format!("{name}{next}");
            *next += 1;
            if taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// The deepest folder that holds both paths.
fn common_ancestor(a: &Path, b: &Path) -> PathBuf {
    a.components()
        .zip(b.components())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x)
        .collect()
}

/// A non-component `$ref` target after its first copy was rewritten.
struct Inlined {
    value: Value,
    depth: usize,
    size: usize,
    /// Origins recorded inside the copy: (pointer suffix, file, pointer).
    origins: Vec<(String, PathBuf, String)>,
    /// Broken `$ref` sites inside the copy, as pointer suffixes.
    broken: Vec<String>,
}

enum Resolved {
    Ref(String),
    Inline(Value),
}

/// The depth and the number of values of `value`, counting no further than `budget` values.
fn measure(value: &Value, budget: usize) -> (usize, usize) {
    let mut stack = vec![(value, 1)];
    let (mut depth, mut size) = (0, 0);
    while let Some((value, level)) = stack.pop() {
        depth = depth.max(level);
        size += 1;
        if size > budget {
            break;
        }
        match value {
            Value::Object(map) => stack.extend(map.values().map(|child| (child, level + 1))),
            Value::Array(items) => stack.extend(items.iter().map(|child| (child, level + 1))),
            _ => {}
        }
    }
    (depth, size)
}

/// `/components/schemas/Name` gives `("schemas", "Name")` (the name still escaped).
fn component_place(fragment: &str) -> Option<(&'static str, &str)> {
    let rest = fragment.strip_prefix("/components/")?;
    let (kind, name) = rest.split_once('/')?;
    let kind = COMPONENT_KINDS.iter().find(|known| **known == kind)?;
    if name.contains('/') {
        return None;
    }
    Some((kind, name))
}

fn add_imports(root: &mut Value, imports: Vec<(String, String, Value)>) {
    if imports.is_empty() {
        return;
    }
    let Some(object) = root.as_object_mut() else {
        return;
    };
    let components = object
        .entry("components")
        .or_insert_with(|| Value::Object(Default::default()));
    let Some(components) = components.as_object_mut() else {
        return;
    };
    for (kind, name, value) in imports {
        let section = components
            .entry(kind)
            .or_insert_with(|| Value::Object(Default::default()));
        if let Some(section) = section.as_object_mut() {
            section.insert(name, value);
        }
    }
}

/// Reports every local `$ref` of the bundled document whose target does not exist, unless
/// it was reported already.
fn check_local_refs(
    file: &Path,
    root: &Value,
    out: &mut Vec<Diagnostic>,
    broken: &mut BTreeSet<String>,
) {
    // Iterative: the bundled document may be deeper than one parser allows.
    let is_container = |value: &&Value| matches!(value, Value::Object(_) | Value::Array(_));
    let mut stack = vec![(root, "#".to_string())];
    while let Some((value, pointer)) = stack.pop() {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    let site = pointer_push(&pointer, "$ref");
                    if let Some(fragment) = reference.strip_prefix('#') {
                        if root.pointer(fragment).is_none() && !broken.contains(&site) {
                            out.push(
                                Diagnostic::new(
                                    file,
                                    &site,
                                    format!("`$ref` target `{reference}` does not exist"),
                                )
                                .help(suggest_component(root, fragment)),
                            );
                            broken.insert(site);
                        }
                    }
                    continue;
                }
                for (key, child) in map.iter().filter(|(_, child)| is_container(child)) {
                    stack.push((child, pointer_push(&pointer, key)));
                }
            }
            Value::Array(items) => {
                for (index, child) in items
                    .iter()
                    .enumerate()
                    .filter(|(_, child)| is_container(child))
                {
                    stack.push((child, pointer_push(&pointer, &index.to_string())));
                }
            }
            _ => {}
        }
    }
}

/// The HTTP methods a path item may hold an operation under.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Reports every `operationId` used by a second operation: the generated method names
/// would otherwise depend on which one came first.
fn check_operation_ids(file: &Path, root: &Value, out: &mut Vec<Diagnostic>) {
    let Some(paths) = root.get("paths").and_then(Value::as_object) else {
        return;
    };
    let mut first_use: HashMap<&str, (String, String)> = HashMap::new();
    for (path, item) in paths {
        for method in METHODS {
            let Some(id) = item
                .get(method)
                .and_then(|operation| operation.get("operationId"))
                .and_then(Value::as_str)
            else {
                continue;
            };
            let pointer = pointer_push(
                &pointer_push(&pointer_push("#/paths", path), method),
                "operationId",
            );
            let operation = format!("{} {path}", method.to_ascii_uppercase());
            match first_use.get(id) {
                Some((first, first_pointer)) => out.push(
                    Diagnostic::new(file, pointer, format!("duplicate operationId `{id}`"))
                        .help(format!(
                            "`{first}` has it already ({first_pointer}); give each operation its own operationId"
                        )),
                ),
                None => {
                    first_use.insert(id, (operation, pointer));
                }
            }
        }
    }
}

/// Suggests the closest existing component name, when the ref looks like a typo.
fn suggest_component(root: &Value, fragment: &str) -> String {
    if let Some((kind, name)) = component_place(fragment) {
        let known = root
            .pointer(&format!("/components/{kind}"))
            .and_then(Value::as_object)
            .map(|map| map.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default();
        let lower = name.to_ascii_lowercase();
        if let Some(close) = known
            .iter()
            .find(|candidate| candidate.to_ascii_lowercase() == lower)
        {
            return format!("did you mean `#/components/{kind}/{close}`?");
        }
        return format!("define `{name}` under `components/{kind}`, or correct the name");
    }
    "point the `$ref` at an existing value (JSON pointer syntax, `~1` for `/`)".to_string()
}

/// openapiv3's types use `#[serde(flatten)]`, whose buffering costs some 25 KiB of stack per
/// nested schema in an unoptimized build: the document (up to [`MAX_BUNDLED_DEPTH`] plus one
/// file's 128 levels deep) is deserialized on a thread whose stack fits the deepest one.
const DESERIALIZE_STACK: usize = 64 * 1024 * 1024;

/// The typed document, or the pointer and message of the innermost value that is wrong.
fn deserialize(root: &Value) -> Result<openapiv3::OpenAPI, (String, String)> {
    let work = || {
        serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(root)
            .map_err(|err| narrow(root, path_to_pointer(err.path()), err.inner().to_string()))
    };
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("openapi-deserialize".to_string())
            .stack_size(DESERIALIZE_STACK)
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

/// Finds the innermost value that does not deserialize, starting from where serde's path
/// stopped (it stops at every `#[serde(flatten)]` and untagged enum, which openapiv3 uses
/// a lot): children are tried one by one as the OpenAPI object their place calls for, and
/// the value a type error quotes is then looked for in what is left.
fn narrow(root: &Value, mut pointer: String, mut message: String) -> (String, String) {
    for _ in 0..32 {
        let Some(value) = root.pointer(&pointer[1..]) else {
            break;
        };
        let children: Vec<(String, &Value)> = match value {
            Value::Object(map) => map
                .iter()
                .map(|(k, v)| (pointer_push(&pointer, k), v))
                .collect(),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (pointer_push(&pointer, &i.to_string()), v))
                .collect(),
            _ => break,
        };
        let deeper = children.into_iter().find_map(|(child, value)| {
            let (inner, inner_message) = deserialize_as_place(&child, value)?.err()?;
            Some((format!("{child}{}", &inner[1..]), inner_message))
        });
        match deeper {
            Some((deeper, deeper_message)) if deeper != pointer => {
                pointer = deeper;
                message = deeper_message;
            }
            _ => break,
        }
    }
    if let Some(quoted) = quoted_value(&message) {
        if let Some(found) = root
            .pointer(&pointer[1..])
            .and_then(|v| find_scalar(v, &quoted, &pointer))
        {
            pointer = found;
        }
    }
    (pointer, message)
}

/// Deserializes `value` as the OpenAPI object its place calls for, when the place is known:
/// the error's pointer (relative to `value`) and message.
fn deserialize_as_place(pointer: &str, value: &Value) -> Option<Result<(), (String, String)>> {
    fn check<T: serde::de::DeserializeOwned>(value: &Value) -> Result<(), (String, String)> {
        serde_path_to_error::deserialize::<_, T>(value)
            .map(|_| ())
            .map_err(|err| (path_to_pointer(err.path()), err.inner().to_string()))
    }
    fn check_ref_or<T: serde::de::DeserializeOwned>(value: &Value) -> Result<(), (String, String)> {
        // Without `$ref`, the item's own error says more than the untagged enum's.
        match value.get("$ref") {
            Some(_) => check::<openapiv3::ReferenceOr<T>>(value),
            None => check::<T>(value),
        }
    }
    let tokens: Vec<&str> = pointer.split('/').skip(1).collect();
    Some(match tokens.as_slice() {
        ["info"] => check::<openapiv3::Info>(value),
        ["servers", _] => check::<openapiv3::Server>(value),
        ["components"] => check::<openapiv3::Components>(value),
        ["paths", _] => check::<openapiv3::PathItem>(value),
        ["paths", _, method] if METHODS.contains(method) => check::<openapiv3::Operation>(value),
        [.., "parameters", _] => check_ref_or::<openapiv3::Parameter>(value),
        [.., "responses", _] => check_ref_or::<openapiv3::Response>(value),
        [.., "requestBody"] | ["components", "requestBodies", _] => {
            check_ref_or::<openapiv3::RequestBody>(value)
        }
        [.., "schemas" | "properties", _]
        | [.., "schema" | "items" | "additionalProperties" | "not"]
        | [.., "allOf" | "oneOf" | "anyOf", _] => check_ref_or::<openapiv3::Schema>(value),
        _ => return None,
    })
}

/// The value a serde type error quotes: `invalid type: string "maybe", expected a boolean`.
fn quoted_value(message: &str) -> Option<Value> {
    let rest = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))?;
    if let Some(text) = rest.strip_prefix("string \"") {
        return Some(Value::String(
            text.split("\", expected").next()?.to_string(),
        ));
    }
    for kind in ["integer `", "floating point `", "boolean `"] {
        if let Some(text) = rest.strip_prefix(kind) {
            return serde_json::from_str(text.split('`').next()?).ok();
        }
    }
    None
}

/// The pointer of the first scalar equal to `wanted` under `value` (which is at `pointer`).
fn find_scalar(value: &Value, wanted: &Value, pointer: &str) -> Option<String> {
    let mut stack = vec![(value, pointer.to_string())];
    while let Some((value, pointer)) = stack.pop() {
        match value {
            Value::Object(map) => stack.extend(
                map.iter()
                    .rev()
                    .map(|(k, v)| (v, pointer_push(&pointer, k))),
            ),
            Value::Array(items) => stack.extend(
                items
                    .iter()
                    .enumerate()
                    .rev()
                    .map(|(i, v)| (v, pointer_push(&pointer, &i.to_string()))),
            ),
            scalar if scalar == wanted => return Some(pointer),
            _ => {}
        }
    }
    None
}

/// `paths./contacts/.post` becomes `#/paths/~1contacts~1/post`.
fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = "#".to_string();
    for segment in path.iter() {
        pointer = match segment {
            Segment::Seq { index } => pointer_push(&pointer, &index.to_string()),
            Segment::Map { key } => pointer_push(&pointer, key),
            Segment::Enum { variant } => pointer_push(&pointer, variant),
            Segment::Unknown => pointer,
        };
    }
    pointer
}

/// Removes `.` and `..` components without touching the disk, so the same file reached
/// by two relative paths is one document (and messages show a readable path).
pub(crate) fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                let can_pop = matches!(out.components().next_back(), Some(Component::Normal(_)));
                if can_pop {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_flow_depth_is_counted_outside_quotes_comments_and_prose() {
        assert_eq!(yaml_flow_deeper_than("a: [[[1]]]\n", 2), Some((1, 6)));
        assert_eq!(yaml_flow_deeper_than("a: [[[1]]]\n", 3), None);
        let prose = "a: see [1] and [2 # [[[[\nb: '[[[[' \"{{{{\" it's [x]\n";
        // `[2` stays open (prose), `[x]` makes two.
        assert_eq!(yaml_flow_deeper_than(prose, 2), None);
        assert_eq!(yaml_flow_deeper_than(prose, 1), Some((2, 23)));
        assert_eq!(
            yaml_flow_deeper_than("a:\n  - {b: [\n    {c: 1}]}\n", 2),
            Some((3, 5))
        );
    }

    #[test]
    fn component_names_are_claimed_once_each() {
        let root = serde_json::json!({"components": {"schemas": {"A": {}}}});
        let mut bundler = Bundler::new(
            Path::new("spec.yaml"),
            &root,
            &LoadOptions::default(),
            PathBuf::from("/"),
            Sources::default(),
        );
        let claimed: Vec<String> = (0..4).map(|_| bundler.claim_name("schemas", "A")).collect();
        assert_eq!(claimed, ["A2", "A3", "A4", "A5"]);
        assert_eq!(bundler.claim_name("schemas", "A3"), "A32");
    }
}
