//! Stage 2, lower: turn the loaded `openapiv3` document into the IR. Lowering names every
//! type (through `names.rs`), decides every representation (boxing, three-state nullables,
//! which structs get builders or keep unknown fields) and collects every diagnostic.
//! It reads no files and produces no Rust tokens.

mod finish;
mod guards;
mod operation;
mod schema;

use std::collections::BTreeMap;
use std::path::Path;

use openapiv3::OpenAPI;

use crate::error::{Diagnostic, Error};
use crate::ir::{Api, ExampleCase, Model, TypeRef};
use crate::load::Spec;
use crate::names::{self, NameSet};

/// Lowers a loaded spec to the IR, or returns every problem found.
pub fn lower(spec: &Spec) -> Result<Api, Error> {
    let mut lowerer = Lowerer::new(&spec.path, &spec.openapi);
    lowerer.declare_components();
    lowerer.lower_components();
    lowerer.check_alias_cycles();
    let operations = lowerer.lower_operations();
    let Lowerer {
        mut models,
        diagnostics,
        object_rules,
        examples,
        ..
    } = lowerer;
    if !diagnostics.is_empty() || !spec.problems.is_empty() {
        return Err(Error::Spec(spec.finish_diagnostics(diagnostics)));
    }
    finish::finish(&mut models, &operations, &object_rules);
    models.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
    let mut operations = operations;
    operations.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));

    let openapi = &spec.openapi;
    Ok(Api {
        title: openapi.info.title.clone(),
        version: openapi.info.version.clone(),
        description: openapi.info.description.clone(),
        default_server: openapi.servers.first().map(|server| server.url.clone()),
        uses_bearer: operations
            .iter()
            .any(|op| matches!(op.auth, crate::ir::Auth::Bearer { .. })),
        examples: example_cases(examples),
        models,
        operations,
    })
}

/// One test per distinct (type, example), in spec order.
fn example_cases(examples: Vec<(String, TypeRef, &serde_json::Value, String)>) -> Vec<ExampleCase> {
    let mut test_names = NameSet::default();
    let mut seen = std::collections::BTreeSet::new();
    let mut cases = Vec::new();
    for (name, ty, example, pointer) in examples {
        let json = example.to_string();
        if !seen.insert((ty.clone(), json.clone())) {
            continue;
        }
        let test_name = test_names.claim(&names::snake(&format!("{name}Example"), "example"));
        cases.push(ExampleCase {
            test_name,
            ty,
            json,
            pointer,
        });
    }
    cases
}

/// What a struct does with properties the spec does not list (`additionalProperties`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ObjectRule {
    /// Not said: keep unknown fields when the type is read from responses.
    Unspecified,
    /// `additionalProperties: false`.
    Closed,
    /// `additionalProperties: true` or a schema: always keep them, with this value type.
    Open(crate::ir::TypeRef),
}

pub(crate) struct Lowerer<'a> {
    file: &'a Path,
    openapi: &'a OpenAPI,
    /// Every type name in use: models and the operations' own types.
    type_names: NameSet,
    /// Component schema name to the Rust name chosen for it.
    component_types: BTreeMap<String, String>,
    models: Vec<Model>,
    object_rules: BTreeMap<String, ObjectRule>,
    /// Examples that fit their schema: (test name stem, type, example, pointer).
    examples: Vec<(String, TypeRef, &'a serde_json::Value, String)>,
    diagnostics: Vec<Diagnostic>,
    /// Depth and `allOf` limits (see `guards.rs`).
    guard: guards::Guard,
}

impl<'a> Lowerer<'a> {
    fn new(file: &'a Path, openapi: &'a OpenAPI) -> Self {
        Lowerer {
            file,
            openapi,
            type_names: NameSet::default(),
            component_types: BTreeMap::new(),
            models: Vec::new(),
            object_rules: BTreeMap::new(),
            examples: Vec::new(),
            diagnostics: Vec::new(),
            guard: guards::Guard::default(),
        }
    }

    /// Names every component schema first, sorted by spec name, so a schema's Rust name
    /// never depends on which operation happened to reach it first.
    fn declare_components(&mut self) {
        let Some(components) = &self.openapi.components else {
            return;
        };
        let mut spec_names: Vec<&String> = components.schemas.keys().collect();
        spec_names.sort();
        let bases: Vec<(&str, String)> = spec_names
            .iter()
            .map(|spec_name| (spec_name.as_str(), names::type_name(spec_name)))
            .collect();
        let rust_names = self.type_names.claim_all(&bases);
        for (spec_name, rust_name) in spec_names.into_iter().zip(rust_names) {
            self.component_types.insert(spec_name.clone(), rust_name);
        }
    }

    fn lower_components(&mut self) {
        let Some(components) = &self.openapi.components else {
            return;
        };
        let mut schemas: Vec<_> = components.schemas.iter().collect();
        schemas.sort_by(|a, b| a.0.cmp(b.0));
        for (spec_name, schema) in schemas {
            let rust_name = self.component_types[spec_name].clone();
            let pointer = crate::error::pointer_push("#/components/schemas", spec_name);
            self.lower_component(rust_name, schema, pointer);
        }
    }

    /// Keeps `example` as a round-trip test of `ty` when it fits `schema`. Tests are named
    /// after `name`, or after the type when it is a named one.
    pub(crate) fn record_example(
        &mut self,
        name: Option<String>,
        ty: &TypeRef,
        schema: Option<&'a openapiv3::Schema>,
        example: Option<&'a serde_json::Value>,
        pointer: String,
    ) {
        let Some(example) = example else { return };
        let name = name.or_else(|| match ty {
            TypeRef::Named(type_name) => Some(type_name.clone()),
            TypeRef::Vec(inner) => match inner.as_ref() {
                TypeRef::Named(type_name) => Some(format!("{type_name}List")),
                _ => None,
            },
            _ => None,
        });
        // Any JSON round-trips through `serde_json::Value`: such a test would prove nothing.
        let trivial = matches!(ty, TypeRef::Json | TypeRef::JsonObject);
        let Some(name) = name.filter(|_| !trivial) else {
            return;
        };
        if crate::lint::example_problems(self.openapi, schema, example).is_empty() {
            self.examples.push((name, ty.clone(), example, pointer));
        }
    }

    fn error(&mut self, pointer: &str, message: impl Into<String>, help: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::new(self.file, pointer, message).help(help));
    }
}
