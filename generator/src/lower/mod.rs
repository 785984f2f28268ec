//! Stage 2, lower: turn the loaded [`Document`] into the IR, deciding everything: the name
//! of every type, field, method and helper (through `names.rs`), every representation
//! (from `shape.rs`: structs, enums, unions, boxing, three-state nullables), how bodies
//! and parameters travel, which credentials the client holds, the base URL, and which
//! runtime pieces and Cargo features the crate needs. It collects every diagnostic.
//! It reads no files and produces no Rust tokens.

mod bodies;
mod features;
mod finish;
mod guards;
mod operation;
mod pagination;
mod parameters;
mod responses;
mod runtime;
mod security;
mod server;
mod signatures;
mod types;
mod webhooks;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::document::{Document, Example, SchemaId};
use crate::error::{Diagnostic, Error};
use crate::ir::{Api, ExampleCase, Model, TypeRef};
use crate::load::Spec;
use crate::names::{self, NameSet};
use crate::shape::Meaning;

/// Lowers a loaded spec to the IR, or returns every problem found.
pub fn lower(spec: &Spec) -> Result<Api, Error> {
    let document = &spec.document;
    let meaning = Meaning::new(document);
    let mut lowerer = Lowerer::new(&spec.path, document, &meaning);
    lowerer.reported = spec.problems.iter().map(|d| d.pointer.clone()).collect();
    lowerer.declare_components();
    lowerer.lower_components();
    lowerer.check_alias_cycles();
    let credentials = lowerer.credentials();
    let mut operations = lowerer.lower_operations(&credentials);
    let mut webhooks = lowerer.lower_webhooks();
    let base_url = lowerer.base_url();
    let Lowerer {
        mut models,
        diagnostics,
        examples,
        mut type_names,
        ..
    } = lowerer;
    if !diagnostics.is_empty() || !spec.problems.is_empty() {
        return Err(Error::Spec(spec.finish_diagnostics(diagnostics)));
    }
    finish::finish(&mut models, &mut operations, &mut webhooks, &mut type_names);
    let mut problems = pagination::resolve(&spec.path, document, &models, &mut operations);
    let webhook_signatures =
        signatures::signatures(&spec.path, document).unwrap_or_else(|problem| {
            problems.push(*problem);
            Vec::new()
        });
    if !problems.is_empty() {
        return Err(Error::Spec(spec.finish_diagnostics(problems)));
    }
    models.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
    operations.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));

    let info = &document.info;
    let mut api = Api {
        title: if info.title.trim().is_empty() {
            "the API".to_string()
        } else {
            info.title.clone()
        },
        version: info.version.clone(),
        description: info.description.clone().or_else(|| info.summary.clone()),
        base_url,
        credentials: credentials.into(),
        examples: example_cases(examples),
        models,
        operations,
        runtime: Default::default(),
        client_models: Vec::new(),
        webhooks,
        webhook_models: Vec::new(),
        webhook_signatures,
        highlevel_rate_limit: highlevel_rate_limit(document),
        usage: Default::default(),
        features: Vec::new(),
        security_gate: Default::default(),
        examples_gate: Default::default(),
        models_gate: Default::default(),
        examples_import: None,
    };
    features::assign(&mut api);
    api.examples_import = features::examples_import(&api);
    runtime::decide(&mut api);
    api.client_models = runtime::client_models(&api);
    api.webhook_models = runtime::webhook_models(&api);
    api.usage = runtime::usage(&api);
    Ok(api)
}

/// Whether the description says its API sends HighLevel's rate-limit headers: by
/// `info.x-rate-limit-headers: highlevel`, or by documenting one that only HighLevel sends.
fn highlevel_rate_limit(document: &Document) -> bool {
    const HIGHLEVEL_ONLY: &[&str] = &[
        "x-ratelimit-max",
        "x-ratelimit-interval-milliseconds",
        "x-ratelimit-limit-daily",
        "x-ratelimit-daily-remaining",
    ];
    let declared =
        document.info.extensions.iter().any(|(key, value)| {
            key == "x-rate-limit-headers" && value.as_str() == Some("highlevel")
        });
    let documented = document
        .paths
        .iter()
        .flat_map(|(_, item)| &item.operations)
        .flat_map(|operation| &operation.responses)
        .flat_map(|(_, response)| &response.headers)
        .any(|(name, _)| HIGHLEVEL_ONLY.contains(&name.to_ascii_lowercase().as_str()));
    declared || documented
}

/// An example that fits its schema, before it is named.
struct RecordedExample {
    /// Test name stem.
    name: String,
    ty: TypeRef,
    json: String,
    pointer: String,
}

/// One test per distinct (type, example), in spec order.
fn example_cases(examples: Vec<RecordedExample>) -> Vec<ExampleCase> {
    let mut test_names = NameSet::default();
    let mut seen = std::collections::BTreeSet::new();
    let mut cases = Vec::new();
    for example in examples {
        if !seen.insert((example.ty.clone(), example.json.clone())) {
            continue;
        }
        let test_name = test_names.claim(&names::snake(
            &format!("{}Example", example.name),
            "example",
        ));
        cases.push(ExampleCase {
            gate: Default::default(),
            test_name,
            ty: example.ty,
            json: example.json,
            pointer: example.pointer,
        });
    }
    cases
}

pub(crate) struct Lowerer<'a> {
    file: &'a Path,
    doc: &'a Document,
    meaning: &'a Meaning<'a>,
    /// Every type name in use: models and the operations' own types.
    type_names: NameSet,
    /// Component schema to the Rust name chosen for it.
    component_types: BTreeMap<SchemaId, String>,
    /// Types already made for inline schemas, so that a schema used in two places (a
    /// shared response) is one type.
    inline_types: HashMap<SchemaId, TypeRef>,
    models: Vec<Model>,
    examples: Vec<RecordedExample>,
    diagnostics: Vec<Diagnostic>,
    /// Where loading found problems: lowering does not report what they caused again.
    reported: Vec<String>,
    /// How deep schema lowering is nested (see `types.rs`).
    depth: usize,
}

impl<'a> Lowerer<'a> {
    fn new(file: &'a Path, doc: &'a Document, meaning: &'a Meaning<'a>) -> Self {
        Lowerer {
            file,
            doc,
            meaning,
            type_names: NameSet::with_reserved(names::reserved_types()),
            component_types: BTreeMap::new(),
            inline_types: HashMap::new(),
            models: Vec::new(),
            examples: Vec::new(),
            diagnostics: Vec::new(),
            reported: Vec::new(),
            depth: 0,
        }
    }

    /// Names every component schema first, sorted by spec name, so a schema's Rust name
    /// never depends on which operation happened to reach it first.
    fn declare_components(&mut self) {
        let mut schemas: Vec<&(String, SchemaId)> = self.doc.components.schemas.iter().collect();
        schemas.sort_by(|a, b| a.0.cmp(&b.0));
        let bases: Vec<(&str, String)> = schemas
            .iter()
            .map(|(spec_name, _)| (spec_name.as_str(), names::type_name(spec_name)))
            .collect();
        let rust_names = self.type_names.claim_all(&bases);
        for ((_, id), rust_name) in schemas.into_iter().zip(rust_names) {
            self.component_types.insert(*id, rust_name);
        }
    }

    fn lower_components(&mut self) {
        let mut schemas: Vec<(String, SchemaId)> = self.doc.components.schemas.clone();
        schemas.sort_by(|a, b| a.0.cmp(&b.0));
        for (_, id) in schemas {
            let rust_name = self.component_types[&id].clone();
            self.lower_component(rust_name, id);
        }
    }

    /// Keeps each of `examples` that fits `schema` as a round-trip test of `ty`. Tests are
    /// named after `name`, or after the type when it is a named one.
    pub(crate) fn record_examples(
        &mut self,
        name: Option<&str>,
        ty: &TypeRef,
        schema: SchemaId,
        examples: &[Example],
    ) {
        if examples.is_empty() {
            return;
        }
        let name = name.map(str::to_string).or_else(|| match ty {
            TypeRef::Named(type_name) => Some(type_name.clone()),
            TypeRef::Vec(inner) => match inner.as_ref() {
                TypeRef::Named(type_name) => Some(format!("{type_name}List")),
                _ => None,
            },
            TypeRef::Option(inner) => match inner.as_ref() {
                TypeRef::Named(type_name) => Some(type_name.clone()),
                _ => None,
            },
            _ => None,
        });
        // Any JSON round-trips through `serde_json::Value`: such a test would prove nothing.
        let trivial = matches!(ty, TypeRef::Json | TypeRef::JsonObject | TypeRef::Unit);
        let Some(name) = name.filter(|_| !trivial) else {
            return;
        };
        // A nullable schema's type holds its values; where it is used, `Option` (or
        // `Nullable`) adds the `null`, and so it does for its examples.
        let ty = match ty {
            TypeRef::Option(_) => ty.clone(),
            _ if self.meaning.nullable(schema) => TypeRef::Option(Box::new(ty.clone())),
            _ => ty.clone(),
        };
        let ty = &ty;
        for example in examples {
            if self.meaning.check(schema, &example.value).is_empty() {
                self.examples.push(RecordedExample {
                    name: name.clone(),
                    ty: ty.clone(),
                    json: example.value.to_string(),
                    pointer: example.pointer.clone(),
                });
            }
        }
    }

    /// Whether loading reported a problem at `pointer` or inside it.
    fn reported_within(&self, pointer: &str) -> bool {
        self.reported
            .iter()
            .any(|reported| reported == pointer || reported.starts_with(&format!("{pointer}/")))
    }

    fn error(&mut self, pointer: &str, message: impl Into<String>, help: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::new(self.file, pointer, message).help(help));
    }
}
