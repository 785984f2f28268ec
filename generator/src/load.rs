//! Stage 1, load: read a spec (YAML or JSON), check that it is OpenAPI 3.0.x, pull every
//! component that a `$ref` reaches in another file into the root document, and check that
//! every local `$ref` resolves. Later stages see one self-contained `openapiv3::OpenAPI`.
//!
//! This stage reads files but never writes, and never touches the network.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{pointer_push, Diagnostic, Error};

/// A spec that loaded: one document, every cross-file reference made local.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The file the spec was read from, as given by the caller.
    pub path: PathBuf,
    pub openapi: openapiv3::OpenAPI,
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
pub fn load_with(path: &Path, options: &LoadOptions) -> Result<Spec, Error> {
    let mut root = read_document(path).map_err(Error::spec)?;
    for overlay in &options.overlays {
        crate::overlay::apply(&mut root, overlay).map_err(Error::Spec)?;
    }
    check_version(path, &root).map_err(Error::spec)?;

    let mut bundler = Bundler::new(path, &root, options);
    let mut root = root;
    bundler.rewrite(&mut root, path, "#".to_string(), true);
    let Bundler {
        imports,
        mut diagnostics,
        ..
    } = bundler;
    add_imports(&mut root, imports);
    check_local_refs(path, &root, &root, "#".to_string(), &mut diagnostics);
    if !diagnostics.is_empty() {
        diagnostics.sort();
        diagnostics.dedup();
        return Err(Error::Spec(diagnostics));
    }

    let openapi =
        serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&root).map_err(|err| {
            let pointer = path_to_pointer(err.path());
            Error::spec(
                Diagnostic::new(
                    path,
                    pointer,
                    format!("not a valid OpenAPI 3.0 document: {}", err.inner()),
                )
                .help(
                    "compare this value with the OpenAPI 3.0.3 specification's object definitions",
                ),
            )
        })?;
    Ok(Spec {
        path: path.to_path_buf(),
        openapi,
    })
}

/// Parses one file as JSON (by extension) or YAML, into a JSON value.
pub(crate) fn read_document(path: &Path) -> Result<Value, Diagnostic> {
    let text = std::fs::read_to_string(path).map_err(|err| {
        // The operating system's wording of "not found" differs between platforms.
        let reason = match err.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            _ => err.to_string(),
        };
        Diagnostic::new(path, "#", format!("cannot read the spec file: {reason}"))
            .help("check that the path exists and is a readable UTF-8 file")
    })?;
    let is_json = path
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("json"));
    if is_json {
        serde_json::from_str(&text).map_err(|err| {
            // serde_json ends its message with the place, which the diagnostic shows already.
            let message = err.to_string();
            let place = format!(" at line {} column {}", err.line(), err.column());
            let message = message.strip_suffix(&place).unwrap_or(&message);
            Diagnostic::new(path, "#", format!("invalid JSON: {message}"))
                .at_line(err.line(), err.column())
                .help("fix the JSON syntax at the place shown")
        })
    } else {
        serde_yaml::from_str(&text).map_err(|err| {
            let message = format!("invalid YAML: {err}");
            let diagnostic =
                Diagnostic::new(path, "#", message).help("fix the YAML syntax at the place shown");
            match err.location() {
                Some(at) => diagnostic.at_line(at.line(), at.column()),
                None => diagnostic,
            }
        })
    }
}

fn check_version(path: &Path, root: &Value) -> Result<(), Diagnostic> {
    let Some(object) = root.as_object() else {
        return Err(
            Diagnostic::new(path, "#", "the document is not an object").help(
                "an OpenAPI document is a mapping with `openapi`, `info` and `paths` at the top",
            ),
        );
    };
    if let Some(swagger) = object.get("swagger") {
        return Err(Diagnostic::new(
            path,
            "#/swagger",
            format!(
                "this is a Swagger {} document; only OpenAPI 3.0.x is supported",
                plain(swagger)
            ),
        )
        .help("convert it to OpenAPI 3.0 first, for example with swagger2openapi"));
    }
    let Some(version) = object.get("openapi") else {
        return Err(
            Diagnostic::new(path, "#", "the document has no `openapi` version field")
                .help("add `openapi: 3.0.3` at the top level"),
        );
    };
    let version = plain(version);
    if version == "3.0" || version.starts_with("3.0.") {
        return Ok(());
    }
    let help = if version.starts_with("3.1") {
        "OpenAPI 3.1 is not supported yet; describe the API in OpenAPI 3.0.3 (`nullable: true` instead of type lists)"
    } else {
        "set `openapi` to a 3.0.x version such as 3.0.3"
    };
    Err(Diagnostic::new(
        path,
        "#/openapi",
        format!("unsupported OpenAPI version `{version}`"),
    )
    .help(help))
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

/// Makes cross-file references local by copying their targets into the root's components.
struct Bundler {
    root_file: PathBuf,
    documents: BTreeMap<PathBuf, Option<Value>>,
    /// Local ref given to each imported target, so it is copied once.
    imported: BTreeMap<Target, String>,
    /// Names in use per component kind, in the root or by earlier imports.
    taken: BTreeMap<String, BTreeSet<String>>,
    /// Copied components, in the order they were first reached (deterministic).
    imports: Vec<(String, String, Value)>,
    /// Non-component targets being inlined, to stop a reference cycle.
    inlining: Vec<Target>,
    ref_rewrites: Vec<(String, String)>,
    diagnostics: Vec<Diagnostic>,
}

impl Bundler {
    fn new(root_file: &Path, root: &Value, options: &LoadOptions) -> Self {
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
        Bundler {
            root_file: normalize(root_file),
            documents,
            imported: BTreeMap::new(),
            taken,
            imports: Vec::new(),
            inlining: Vec::new(),
            ref_rewrites: options.ref_rewrites.clone(),
            diagnostics: Vec::new(),
        }
    }

    /// Rewrites every `$ref` under `value`, which sits at `pointer` in `file`.
    /// In the root document local refs stay as they are; in other files they point
    /// into that file and are imported like any cross-file ref.
    fn rewrite(&mut self, value: &mut Value, file: &Path, pointer: String, in_root: bool) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    let reference = reference.clone();
                    let site = pointer_push(&pointer, "$ref");
                    if let Some(replacement) = self.resolve(&reference, file, &site, in_root) {
                        match replacement {
                            Resolved::Ref(local) => {
                                map.insert("$ref".to_string(), Value::String(local));
                            }
                            Resolved::Inline(inlined) => *value = inlined,
                        }
                    }
                    return;
                }
                for (key, child) in map.iter_mut() {
                    let child_pointer = pointer_push(&pointer, key);
                    self.rewrite(child, file, child_pointer, in_root);
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter_mut().enumerate() {
                    let child_pointer = pointer_push(&pointer, &index.to_string());
                    self.rewrite(child, file, child_pointer, in_root);
                }
            }
            _ => {}
        }
    }

    fn resolve(
        &mut self,
        reference: &str,
        file: &Path,
        site: &str,
        in_root: bool,
    ) -> Option<Resolved> {
        if reference.starts_with("http://") || reference.starts_with("https://") {
            self.diagnostics.push(
                Diagnostic::new(file, site, format!("remote `$ref` `{reference}` is not followed"))
                    .help("generation never uses the network: download the file and refer to it by a relative path"),
            );
            return None;
        }
        let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let file_part = self.rewritten(file_part);
        let file_part = file_part.as_str();
        if file_part.is_empty() && in_root {
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
        let document = self.document(&target.file, file, site)?;
        let Some(found) = document.pointer(fragment).cloned() else {
            self.diagnostics.push(
                Diagnostic::new(
                    file,
                    site,
                    format!("`$ref` target `{reference}` does not exist"),
                )
                .help(format!(
                    "check that `{}` has a value at `#{fragment}`",
                    target.file.display()
                )),
            );
            return None;
        };
        let target_pointer = format!("#{fragment}");
        match component_place(fragment) {
            Some((kind, name)) => {
                let local_name = self.claim_name(kind, name);
                let local = format!("#/components/{kind}/{local_name}");
                self.imported.insert(target.clone(), local.clone());
                let mut copy = found;
                self.rewrite(&mut copy, &target.file, target_pointer, false);
                self.imports.push((kind.to_string(), local_name, copy));
                Some(Resolved::Ref(local))
            }
            None => {
                if self.inlining.contains(&target) {
                    self.diagnostics.push(
                        Diagnostic::new(file, site, format!("`$ref` `{reference}` refers to itself"))
                            .help("move the recursive schema under `components/schemas` so it can be named"),
                    );
                    return None;
                }
                self.inlining.push(target.clone());
                let mut copy = found;
                self.rewrite(&mut copy, &target.file, target_pointer, false);
                self.inlining.pop();
                Some(Resolved::Inline(copy))
            }
        }
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

    fn document(&mut self, path: &Path, from: &Path, site: &str) -> Option<&Value> {
        if !self.documents.contains_key(path) {
            match read_document(path) {
                Ok(value) => {
                    self.documents.insert(path.to_path_buf(), Some(value));
                }
                Err(mut diagnostic) => {
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
                }
            }
        }
        self.documents.get(path).and_then(Option::as_ref)
    }

    /// Picks the name an imported component gets in the root: its own, unless taken.
    fn claim_name(&mut self, kind: &str, name: &str) -> String {
        let taken = self.taken.entry(kind.to_string()).or_default();
        let mut candidate = name.to_string();
        let mut suffix = 2;
        while taken.contains(&candidate) {
            candidate = format!("{name}{suffix}");
            suffix += 1;
        }
        taken.insert(candidate.clone());
        candidate
    }
}

enum Resolved {
    Ref(String),
    Inline(Value),
}

/// `/components/schemas/Name` gives `("schemas", "Name")`.
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

fn check_local_refs(
    file: &Path,
    root: &Value,
    value: &Value,
    pointer: String,
    out: &mut Vec<Diagnostic>,
) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                if let Some(fragment) = reference.strip_prefix('#') {
                    if root.pointer(fragment).is_none() {
                        out.push(
                            Diagnostic::new(
                                file,
                                pointer_push(&pointer, "$ref"),
                                format!("`$ref` target `{reference}` does not exist"),
                            )
                            .help(suggest_component(root, fragment)),
                        );
                    }
                }
                return;
            }
            for (key, child) in map {
                check_local_refs(file, root, child, pointer_push(&pointer, key), out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                check_local_refs(
                    file,
                    root,
                    child,
                    pointer_push(&pointer, &index.to_string()),
                    out,
                );
            }
        }
        _ => {}
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
fn normalize(path: &Path) -> PathBuf {
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
