//! Part of the load stage: bundling. Every `$ref` that leads into another file is made
//! local to the root document: a component (`other.yaml#/components/schemas/A`), and any
//! value whose place says what it is (a whole file `$ref`d as a schema, a response, a
//! parameter), is imported under `components` with a name of its own, so that it stays one
//! shared, named thing however many places use it; what has no such place is copied in.
//! Files are read on demand, never from the network, and only inside the folder `$ref`s
//! may reach.
//!
//! Values that are data (`example`, `default`, `enum`, `const`, `x-` extensions, the
//! `value` of an Example Object) are never searched for `$ref`s: a `$ref` key there is
//! part of the data.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::identifiers::Identifiers;
use super::read::{normalize, read_source};
use super::roles::{Kind, Role};
use super::LoadOptions;
use crate::error::Diagnostic;
use crate::pointer;
use crate::position::Sources;

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
    "pathItems",
];

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

/// The folder `$ref`s may reach, canonical so that `..` and symbolic links cannot leave it.
pub(super) fn ref_root(spec: &Path, options: &LoadOptions) -> Result<PathBuf, Box<Diagnostic>> {
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

/// What bundling made of the document, beside the document itself.
pub(super) struct Bundled {
    pub(super) sources: Sources,
    pub(super) diagnostics: Vec<Diagnostic>,
    /// `$ref` sites (pointers in the bundled document) that stay unresolved.
    pub(super) broken: BTreeSet<String>,
    /// Whether copies exceeded [`MAX_INLINED_VALUES`]: the rest would cost what the limit
    /// is there to avoid.
    pub(super) over_budget: bool,
}

/// Makes every `$ref` of `root` (read from `path`, `root_bytes` long) local.
pub(super) fn bundle(
    path: &Path,
    root: &mut Value,
    options: &LoadOptions,
    ref_root: PathBuf,
    sources: Sources,
    root_bytes: u64,
) -> Bundled {
    let mut bundler = Bundler::new(path, root, options, ref_root, sources);
    bundler.bytes_read = root_bytes;
    bundler.bundle(root, path);
    let Bundler {
        imports,
        diagnostics,
        sources,
        broken,
        over_budget,
        ..
    } = bundler;
    if !over_budget {
        add_imports(root, imports);
    }
    Bundled {
        sources,
        diagnostics,
        broken,
        over_budget,
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

/// The name an imported value that is not a component gets: the last step of its
/// pointer, or the file's name without its extension for a whole file.
fn import_name(target: &Target) -> String {
    match pointer::last(&target.pointer).filter(|name| !name.is_empty()) {
        Some(name) => name,
        None => target
            .file
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_else(|| "imported".to_string()),
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
    /// The `$id`s and `$anchor`s of each document read, the root's included.
    identifiers: BTreeMap<PathBuf, Identifiers>,
    /// The URIs of the `$id` resources around the value being rewritten, innermost last.
    scopes: Vec<String>,
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
        let identifiers = BTreeMap::from([(normalize(root_file), Identifiers::of(root))]);
        Bundler {
            root_file: normalize(root_file),
            ref_root,
            ref_root_shown,
            documents,
            identifiers,
            scopes: Vec::new(),
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
        self.rewrite(root, root_path, at, Role::Object(Kind::Other));
        while let Some(mut pending) = self.pending.pop_front() {
            let bundled = pointer::join("#/components", &[pending.kind, &pending.name]);
            let at = At {
                pointer: format!("#{}", pending.pointer),
                bundled,
                in_root: false,
                depth: 3,
            };
            let role = Role::Object(Kind::of_section(pending.kind));
            self.rewrite(&mut pending.value, &pending.file, at, role);
            self.imports
                .push((pending.kind.to_string(), pending.name, pending.value));
        }
    }

    /// Rewrites every `$ref` under `value`, which sits `at` a place in `file` and plays
    /// `role` there. In the root document local refs stay as they are; in other files
    /// they point into that file and are imported like any cross-file ref.
    fn rewrite(&mut self, value: &mut Value, file: &Path, at: At, role: Role) {
        self.rewrite_below(value, file, &at, &mut Vec::new(), role);
    }

    /// Pointers are spelled out only where a `$ref` is: a 50 MB spec has millions of
    /// values, and a pointer string for each would cost more than the parse.
    fn rewrite_below(
        &mut self,
        value: &mut Value,
        file: &Path,
        base: &At,
        path: &mut Vec<String>,
        role: Role,
    ) {
        let is_container = |value: &Value| matches!(value, Value::Object(_) | Value::Array(_));
        if role == Role::Data {
            return;
        }
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    let reference = reference.clone();
                    let kind = match role {
                        Role::Object(kind) => kind,
                        _ => Kind::Other,
                    };
                    match self.resolve(&reference, file, &base.below(path), kind) {
                        Some(Resolved::Ref(local)) => {
                            map.insert("$ref".to_string(), Value::String(local));
                        }
                        Some(Resolved::Inline(inlined)) => *value = inlined,
                        None => {}
                    }
                    return;
                }
                let scoped =
                    role == Role::Object(Kind::Schema) && self.enter_resource(map.get("$id"), file);
                for (key, child) in map.iter_mut().filter(|(_, child)| is_container(child)) {
                    let child_role = role.child(key, child);
                    path.push(pointer::escape(key).into_owned());
                    self.rewrite_below(child, file, base, path, child_role);
                    path.pop();
                }
                if scoped {
                    self.scopes.pop();
                }
            }
            Value::Array(items) => {
                for (index, child) in items
                    .iter_mut()
                    .enumerate()
                    .filter(|(_, child)| is_container(child))
                {
                    let child_role = role.child("", child);
                    path.push(index.to_string());
                    self.rewrite_below(child, file, base, path, child_role);
                    path.pop();
                }
            }
            _ => {}
        }
    }

    /// Where `reference` (in `file`, `at` a place that holds an object of `kind`) leads,
    /// made local.
    fn resolve(&mut self, reference: &str, file: &Path, at: &At, kind: Kind) -> Option<Resolved> {
        let site = pointer::push(&at.pointer, "$ref");
        let (target_file, fragment) = match self.identified(reference, file) {
            Some(Ok(pointer)) => (normalize(file), pointer),
            Some(Err(anchor)) => return self.missing_anchor(reference, &anchor, file, site, at),
            None => {
                if reference.starts_with("http://") || reference.starts_with("https://") {
                    return self.broken_ref(at, Some(
                        Diagnostic::new(file, site, format!("remote `$ref` `{reference}` is not followed"))
                            .help("generation never uses the network: download the file and refer to it by a relative path"),
                    ));
                }
                let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
                let fragment = pointer::from_fragment(fragment);
                let file_part = self.rewritten(file_part);
                let anchor = !fragment.is_empty() && !fragment.starts_with('/');
                if file_part.is_empty() && at.in_root && !anchor {
                    return None;
                }
                let target_file = if file_part.is_empty() {
                    normalize(file)
                } else {
                    normalize(&file.parent().unwrap_or(Path::new("")).join(&file_part))
                };
                if !anchor {
                    (target_file, fragment.into_owned())
                } else {
                    if target_file != self.root_file && !self.document(&target_file, file, &site) {
                        return self.broken_ref(at, None);
                    }
                    let found = self.identifiers.get(&target_file).and_then(|identifiers| {
                        identifiers.resolve(identifiers.scope_uri(None), &format!("#{fragment}"))
                    });
                    match found {
                        Some(Ok(pointer)) => (target_file, pointer),
                        _ => return self.missing_anchor(reference, &fragment, file, site, at),
                    }
                }
            }
        };
        let fragment = fragment.as_str();
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
        // A component keeps its name; a value whose place says what it is (a whole file
        // `$ref`d as a schema) is named after the file or the last step of its pointer, so
        // that it is shared, not copied into every place that uses it.
        let place = component_place(fragment)
            .map(|(section, name)| (section, pointer::unescape(name).into_owned()))
            .or_else(|| Some((kind.section()?, import_name(&target))));
        if let Some((kind, name)) = place {
            let found = self
                .documents
                .get(&target.file)
                .and_then(Option::as_ref)
                .and_then(|document| document.pointer(fragment))
                .cloned();
            let Some(found) = found else {
                return self.missing_target(reference, &target, file, site, at);
            };
            let local_name = self.claim_name(kind, &name);
            let local = pointer::join("#/components", &[kind, &local_name]);
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
                let role = match kind {
                    Kind::Other => Role::Object(Kind::Other),
                    kind => Role::Object(kind),
                };
                self.rewrite(&mut copy, &target.file, inner, role);
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

    /// Where `reference` leads by the `$id`s and `$anchor`s of `file`, resolved against
    /// the resource it sits in: `None` when it names none of them (a pointer into the
    /// document outside any resource, or another file).
    fn identified(&self, reference: &str, file: &Path) -> Option<Result<String, String>> {
        let identifiers = self.identifiers.get(&normalize(file))?;
        let scope = self.scopes.last();
        if !identifiers.any() && scope.is_none() {
            return None;
        }
        if scope.is_none() && (reference.starts_with("#/") || reference == "#") {
            return None;
        }
        identifiers.resolve(identifiers.scope_uri(scope.map(String::as_str)), reference)
    }

    /// Enters the schema resource a schema's `$id` declares, if it has one.
    fn enter_resource(&mut self, id: Option<&Value>, file: &Path) -> bool {
        let Some(Value::String(id)) = id else {
            return false;
        };
        let Some(identifiers) = self.identifiers.get(&normalize(file)) else {
            return false;
        };
        let scope = identifiers.scope_uri(self.scopes.last().map(String::as_str));
        match Identifiers::id_uri(scope, id) {
            Some(uri) => {
                self.scopes.push(uri);
                true
            }
            None => false,
        }
    }

    fn missing_anchor(
        &mut self,
        reference: &str,
        anchor: &str,
        file: &Path,
        site: String,
        at: &At,
    ) -> Option<Resolved> {
        let diagnostic = Diagnostic::new(
            file,
            site,
            format!("`$ref` `{reference}` names the anchor `{anchor}`, which no schema in its scope declares"),
        )
        .help(format!(
            "add `$anchor: {anchor}` to the schema it means (in the same `$id` resource), or refer to it by its JSON pointer"
        ));
        self.broken_ref(at, Some(diagnostic))
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
        self.broken.insert(pointer::push(&at.bundled, "$ref"));
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
                self.identifiers
                    .insert(path.to_path_buf(), Identifiers::of(&value));
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
pub(super) fn component_place(fragment: &str) -> Option<(&'static str, &str)> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
