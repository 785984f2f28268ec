//! Checks a loaded spec for problems that do not stop generation but mislead users of the
//! generated code: examples that contradict their schema, unions whose variants cannot be
//! told apart, and names that collide after conversion to Rust. Reads the spec, never the
//! IR; what a schema accepts comes from `shape.rs`, the same module lowering uses, so an
//! example lint accepts is exactly one that becomes a passing round-trip test.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::document::{Document, Example, MediaType, SchemaId};
use crate::error::Diagnostic;
use crate::load::Spec;
use crate::names;
use crate::pointer;
use crate::shape::{Meaning, Member, Shape};

/// Every lint finding of `spec`, with the problems loading found (refs that lead
/// nowhere, duplicate operation IDs), placed in their files and sorted.
pub fn lint(spec: &Spec) -> Vec<Diagnostic> {
    let meaning = Meaning::new(&spec.document);
    let mut linter = Linter {
        file: &spec.path,
        doc: &spec.document,
        meaning: &meaning,
        out: Vec::new(),
        examples_checked: 0,
    };
    linter.examples();
    linter.unions();
    linter.names();
    let mut out = linter.out;
    out.extend(spec.problems.iter().cloned());
    spec.locate(&mut out);
    out.sort();
    out.dedup();
    out
}

/// How many examples a lint run checked, and how many contradict their schema.
pub fn example_counts(spec: &Spec) -> (usize, usize) {
    let meaning = Meaning::new(&spec.document);
    let mut linter = Linter {
        file: &spec.path,
        doc: &spec.document,
        meaning: &meaning,
        out: Vec::new(),
        examples_checked: 0,
    };
    linter.examples();
    (linter.examples_checked, linter.out.len())
}

struct Linter<'a> {
    file: &'a Path,
    doc: &'a Document,
    meaning: &'a Meaning<'a>,
    out: Vec<Diagnostic>,
    examples_checked: usize,
}

impl<'a> Linter<'a> {
    fn report(&mut self, pointer: &str, message: String, help: &str) {
        self.out
            .push(Diagnostic::new(self.file, pointer, message).help(help));
    }

    /// Every example: of every schema, and of every media type and parameter, each checked
    /// against its schema once.
    fn examples(&mut self) {
        let mut places: Vec<(SchemaId, &'a Example)> = Vec::new();
        for (index, schema) in self.doc.schemas.iter().enumerate() {
            for example in &schema.examples {
                places.push((SchemaId(index), example));
            }
        }
        let mut seen = BTreeSet::new();
        let doc = self.doc;
        let media_of = |media: &'a MediaType, places: &mut Vec<(SchemaId, &'a Example)>| {
            if let Some(schema) = media.schema {
                places.extend(media.examples.iter().map(|example| (schema, example)));
            }
        };
        for (_, item) in doc.paths.iter().chain(&doc.webhooks) {
            for parameter in &item.parameters {
                if let Some(schema) = parameter.schema {
                    places.extend(parameter.examples.iter().map(|example| (schema, example)));
                }
            }
            for operation in &item.operations {
                for parameter in &operation.parameters {
                    if let Some(schema) = parameter.schema {
                        places.extend(parameter.examples.iter().map(|example| (schema, example)));
                    }
                }
                for media in operation.request_body.iter().flat_map(|body| &body.content) {
                    media_of(media, &mut places);
                }
                for (_, response) in &operation.responses {
                    for media in &response.content {
                        media_of(media, &mut places);
                    }
                }
            }
        }
        for (schema, example) in places {
            // A shared response or parameter is reached from every operation that uses it.
            if !seen.insert(example.pointer.as_str()) {
                continue;
            }
            self.examples_checked += 1;
            let problems = self.meaning.check(schema, &example.value);
            if let Some(first) = problems.first() {
                let more = if problems.len() > 1 {
                    format!(" (and {} more)", problems.len() - 1)
                } else {
                    String::new()
                };
                self.report(
                    &example.pointer,
                    format!("example does not match its schema: {first}{more}"),
                    "fix the example, or the schema if the example shows what the server really sends",
                );
            }
        }
    }

    /// `oneOf`/`anyOf` variants that accept the same JSON: an untagged decode always picks
    /// the first of them.
    fn unions(&mut self) {
        for index in 0..self.doc.schemas.len() {
            let id = SchemaId(index);
            let Shape::Union(members) = self.meaning.shape(id) else {
                continue;
            };
            let schema = self.doc.schema(id);
            let keyword = if schema.one_of.is_empty() {
                "anyOf"
            } else {
                "oneOf"
            };
            let listed: Vec<SchemaId> = if schema.one_of.is_empty() {
                schema.any_of.clone()
            } else {
                schema.one_of.clone()
            };
            let classes: Vec<Option<Class>> = members
                .iter()
                .map(|member| match member {
                    Member::Schema(member) => self.class(*member),
                    _ => None,
                })
                .collect();
            for later in 1..classes.len() {
                for earlier in 0..later {
                    let (Some(a), Some(b)) = (&classes[earlier], &classes[later]) else {
                        continue;
                    };
                    if !a.shadows(b) {
                        continue;
                    }
                    let position = |member: &Member| match member {
                        Member::Schema(id) => listed.iter().position(|m| m == id),
                        _ => None,
                    };
                    let (Some(earlier_at), Some(later_at)) =
                        (position(&members[earlier]), position(&members[later]))
                    else {
                        continue;
                    };
                    self.report(
                        &pointer::join(&schema.pointer, &[keyword, &later_at.to_string()]),
                        format!("union variant {later_at} can never be chosen: variant {earlier_at} accepts everything it accepts"),
                        "merge the variants, give them distinguishing required properties, or add a discriminator",
                    );
                    break;
                }
            }
        }
    }

    /// What JSON a union variant accepts, coarsely enough to spot variants that shadow others.
    fn class(&self, id: SchemaId) -> Option<Class> {
        Some(match self.meaning.resolved_shape(id) {
            Shape::String(_) => Class::String,
            Shape::Number(_) => Class::Number,
            Shape::Integer(_) => Class::Integer,
            Shape::Boolean => Class::Boolean,
            Shape::Array(_) => Class::Array,
            Shape::Object(object) => Class::Object {
                required: object
                    .fields
                    .iter()
                    .filter(|field| field.required)
                    .map(|field| field.wire_name.clone())
                    .collect(),
            },
            _ => return None,
        })
    }

    /// Schema and property names that become the same Rust name.
    fn names(&mut self) {
        let doc = self.doc;
        let mut by_rust: BTreeMap<String, Vec<&String>> = BTreeMap::new();
        for (name, _) in &doc.components.schemas {
            by_rust
                .entry(names::type_name(name))
                .or_default()
                .push(name);
        }
        for (rust, spec_names) in by_rust
            .into_iter()
            .filter(|(_, spec_names)| spec_names.len() > 1)
        {
            let listed = spec_names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let pointer = pointer::join("#/components/schemas", &[spec_names[1]]);
            self.report(
                &pointer,
                format!("schemas {listed} all become `{rust}` in Rust; later ones get a number"),
                "rename one of them",
            );
        }
        for (name, id) in &doc.components.schemas {
            let schema = doc.schema(*id);
            let mut fields: BTreeMap<String, Vec<&String>> = BTreeMap::new();
            for (property, _) in &schema.properties {
                fields
                    .entry(names::snake(property, "field"))
                    .or_default()
                    .push(property);
            }
            for (rust, properties) in fields.into_iter().filter(|(_, p)| p.len() > 1) {
                let listed = properties
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let pointer =
                    pointer::join("#/components/schemas", &[name, "properties", properties[1]]);
                self.report(
                    &pointer,
                    format!(
                        "properties {listed} all become field `{rust}`; later ones get a number"
                    ),
                    "rename one of them if you can",
                );
            }
        }
    }
}

/// What JSON a union variant accepts, coarsely.
#[derive(Debug, PartialEq)]
enum Class {
    String,
    Number,
    Integer,
    Boolean,
    Array,
    /// An object with these required properties (an object without them is accepted too
    /// when the list is empty).
    Object {
        required: Vec<String>,
    },
}

impl Class {
    /// Whether every value `later` accepts is already accepted by `self` (tried first).
    fn shadows(&self, later: &Class) -> bool {
        match (self, later) {
            (Class::Object { required: first }, Class::Object { required: second }) => {
                first.iter().all(|name| second.contains(name))
            }
            (Class::Number, Class::Integer) => true,
            (first, second) => first == second,
        }
    }
}
