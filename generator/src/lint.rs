//! Checks a loaded spec for problems that do not stop generation but mislead users of the
//! generated code: examples that contradict their schema, unions whose variants cannot be
//! told apart, and names that collide after conversion to Rust. Reads the spec, never the IR.

use std::collections::BTreeMap;
use std::path::Path;

use openapiv3::{AdditionalProperties, OpenAPI, ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;

use crate::error::{pointer_push, Diagnostic};
use crate::load::Spec;
use crate::names;

/// Deeper than this, an example or schema is not followed further (cyclic schemas).
const MAX_DEPTH: usize = 64;

/// Every lint finding of `spec`, with the problems loading found (refs that lead
/// nowhere, duplicate operation IDs), placed in their files and sorted.
pub fn lint(spec: &Spec) -> Vec<Diagnostic> {
    let mut linter = Linter {
        file: &spec.path,
        openapi: &spec.openapi,
        out: Vec::new(),
        examples_checked: 0,
    };
    linter.run();
    let mut out = linter.out;
    out.extend(spec.problems.iter().cloned());
    spec.locate(&mut out);
    out.sort();
    out.dedup();
    out
}

/// How many examples a lint run checked, and how many contradict their schema.
pub fn example_counts(spec: &Spec) -> (usize, usize) {
    let mut linter = Linter {
        file: &spec.path,
        openapi: &spec.openapi,
        out: Vec::new(),
        examples_checked: 0,
    };
    linter.examples();
    (linter.examples_checked, linter.out.len())
}

/// Why `example` does not fit `schema`, one line per problem; empty when it fits. Strict:
/// properties that an object schema does not list count as problems too, so that an
/// accepted example round-trips through the generated type unchanged.
pub(crate) fn example_problems(
    openapi: &OpenAPI,
    schema: Option<&Schema>,
    example: &Value,
) -> Vec<String> {
    let mut problems = Vec::new();
    check(openapi, schema, example, "", &mut problems, 0);
    problems
}

/// Where an example sits, the schema it claims to follow, and the example.
type Place<'a> = (String, Option<&'a Schema>, &'a Value);

struct Linter<'a> {
    file: &'a Path,
    openapi: &'a OpenAPI,
    out: Vec<Diagnostic>,
    examples_checked: usize,
}

impl<'a> Linter<'a> {
    fn run(&mut self) {
        self.examples();
        self.unions();
        self.names();
    }

    fn report(&mut self, pointer: &str, message: String, help: &str) {
        self.out
            .push(Diagnostic::new(self.file, pointer, message).help(help));
    }

    fn examples(&mut self) {
        let openapi = self.openapi;
        let mut places: Vec<Place<'a>> = Vec::new();
        if let Some(components) = &openapi.components {
            for (name, schema) in &components.schemas {
                collect_schema_examples(
                    &pointer_push("#/components/schemas", name),
                    schema,
                    &mut places,
                    0,
                );
            }
            for (name, body) in &components.request_bodies {
                if let ReferenceOr::Item(body) = body {
                    collect_media(
                        openapi,
                        &pointer_push("#/components/requestBodies", name),
                        &body.content,
                        &mut places,
                    );
                }
            }
            for (name, response) in &components.responses {
                if let ReferenceOr::Item(response) = response {
                    collect_media(
                        openapi,
                        &pointer_push("#/components/responses", name),
                        &response.content,
                        &mut places,
                    );
                }
            }
        }
        for (path, item) in &openapi.paths.paths {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            for (method, operation) in item.iter() {
                let pointer = pointer_push(&pointer_push("#/paths", path), method);
                if let Some(ReferenceOr::Item(body)) = &operation.request_body {
                    collect_media(
                        openapi,
                        &pointer_push(&pointer, "requestBody"),
                        &body.content,
                        &mut places,
                    );
                }
                for (status, response) in &operation.responses.responses {
                    if let ReferenceOr::Item(response) = response {
                        let at =
                            pointer_push(&pointer_push(&pointer, "responses"), &status.to_string());
                        collect_media(openapi, &at, &response.content, &mut places);
                    }
                }
            }
        }
        for (pointer, schema, example) in places {
            self.examples_checked += 1;
            let problems = example_problems(openapi, schema, example);
            if let Some(first) = problems.first() {
                let more = if problems.len() > 1 {
                    format!(" (and {} more)", problems.len() - 1)
                } else {
                    String::new()
                };
                self.report(
                    &pointer,
                    format!("example does not match its schema: {first}{more}"),
                    "fix the example, or the schema if the example shows what the server really sends",
                );
            }
        }
    }

    /// `oneOf`/`anyOf` variants that accept the same JSON: an untagged decode always picks
    /// the first of them.
    fn unions(&mut self) {
        let openapi = self.openapi;
        let mut places = Vec::new();
        if let Some(components) = &openapi.components {
            for (name, schema) in &components.schemas {
                if let ReferenceOr::Item(schema) = schema {
                    collect_unions(
                        &pointer_push("#/components/schemas", name),
                        schema,
                        &mut places,
                        0,
                    );
                }
            }
        }
        for (pointer, members) in places {
            let shapes: Vec<Option<Shape>> = members.iter().map(|m| shape_of(openapi, m)).collect();
            for later in 1..shapes.len() {
                for earlier in 0..later {
                    if let (Some(a), Some(b)) = (&shapes[earlier], &shapes[later]) {
                        if a.shadows(b) {
                            self.report(
                                &pointer_push(&pointer, &later.to_string()),
                                format!("union variant {later} can never be chosen: variant {earlier} accepts everything it accepts"),
                                "merge the variants, give them distinguishing required properties, or add a discriminator",
                            );
                            break;
                        }
                    }
                }
            }
        }
    }

    /// Schema and property names that become the same Rust name.
    fn names(&mut self) {
        let Some(components) = &self.openapi.components else {
            return;
        };
        let mut by_rust: BTreeMap<String, Vec<&String>> = BTreeMap::new();
        for name in components.schemas.keys() {
            by_rust
                .entry(names::type_name(name))
                .or_default()
                .push(name);
        }
        let collisions: Vec<_> = by_rust
            .into_iter()
            .filter(|(_, spec_names)| spec_names.len() > 1)
            .collect();
        for (rust, spec_names) in collisions {
            let listed = spec_names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let pointer = pointer_push("#/components/schemas", spec_names[1]);
            self.report(
                &pointer,
                format!("schemas {listed} all become `{rust}` in Rust; later ones get a number"),
                "rename one of them",
            );
        }
        let schemas: Vec<_> = components.schemas.iter().collect();
        for (name, schema) in schemas {
            let ReferenceOr::Item(schema) = schema else {
                continue;
            };
            let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
                continue;
            };
            let mut fields: BTreeMap<String, Vec<&String>> = BTreeMap::new();
            for property in object.properties.keys() {
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
                let pointer = pointer_push(
                    &pointer_push(&pointer_push("#/components/schemas", name), "properties"),
                    properties[1],
                );
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

fn collect_media<'a>(
    openapi: &'a OpenAPI,
    pointer: &str,
    content: &'a indexmap::IndexMap<String, openapiv3::MediaType>,
    out: &mut Vec<Place<'a>>,
) {
    for (media_type, media) in content {
        let at = pointer_push(&pointer_push(pointer, "content"), media_type);
        let Some(schema) = &media.schema else {
            continue;
        };
        let schema = schema_of(openapi, schema);
        if let Some(example) = &media.example {
            out.push((pointer_push(&at, "example"), schema, example));
        }
        {
            for (name, example) in &media.examples {
                if let ReferenceOr::Item(example) = example {
                    if let Some(value) = &example.value {
                        out.push((
                            pointer_push(
                                &pointer_push(&pointer_push(&at, "examples"), name),
                                "value",
                            ),
                            schema,
                            value,
                        ));
                    }
                }
            }
        }
    }
}

/// Examples written on a schema and, recursively, on its inline sub-schemas.
fn collect_schema_examples<'a>(
    pointer: &str,
    schema: &'a ReferenceOr<Schema>,
    out: &mut Vec<Place<'a>>,
    depth: usize,
) {
    if let ReferenceOr::Item(inline) = schema {
        collect_inline_examples(pointer, inline, out, depth);
    }
}

fn collect_inline_examples<'a>(
    pointer: &str,
    schema: &'a Schema,
    out: &mut Vec<Place<'a>>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    if let Some(example) = &schema.schema_data.example {
        out.push((pointer_push(pointer, "example"), Some(schema), example));
    }
    for (key, child) in inline_children(schema) {
        collect_inline_examples(&format!("{pointer}/{key}"), child, out, depth + 1);
    }
}

fn collect_unions<'a>(
    pointer: &str,
    schema: &'a Schema,
    out: &mut Vec<(String, &'a [ReferenceOr<Schema>])>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    match &schema.schema_kind {
        SchemaKind::OneOf { one_of } => out.push((pointer_push(pointer, "oneOf"), one_of)),
        SchemaKind::AnyOf { any_of } => out.push((pointer_push(pointer, "anyOf"), any_of)),
        _ => {}
    }
    for (key, child) in inline_children(schema) {
        collect_unions(&format!("{pointer}/{key}"), child, out, depth + 1);
    }
}

/// Inline sub-schemas (references are checked where they are defined), with the pointer
/// tokens from their parent.
fn inline_children(schema: &Schema) -> Vec<(String, &Schema)> {
    let mut out = Vec::new();
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => {
            for (name, property) in &object.properties {
                if let ReferenceOr::Item(inline) = property {
                    out.push((
                        format!("properties/{}", name.replace('~', "~0").replace('/', "~1")),
                        inline.as_ref(),
                    ));
                }
            }
        }
        SchemaKind::Type(Type::Array(array)) => {
            if let Some(ReferenceOr::Item(items)) = &array.items {
                out.push(("items".to_string(), items.as_ref()));
            }
        }
        SchemaKind::OneOf { one_of: members }
        | SchemaKind::AnyOf { any_of: members }
        | SchemaKind::AllOf { all_of: members } => {
            let key = match &schema.schema_kind {
                SchemaKind::OneOf { .. } => "oneOf",
                SchemaKind::AnyOf { .. } => "anyOf",
                _ => "allOf",
            };
            for (index, member) in members.iter().enumerate() {
                if let ReferenceOr::Item(inline) = member {
                    out.push((format!("{key}/{index}"), inline));
                }
            }
        }
        _ => {}
    }
    out
}

/// The schema a reference or inline schema stands for.
fn schema_of<'a>(openapi: &'a OpenAPI, schema: &'a ReferenceOr<Schema>) -> Option<&'a Schema> {
    match schema {
        ReferenceOr::Item(schema) => Some(schema),
        ReferenceOr::Reference { reference } => resolve(openapi, reference),
    }
}

fn resolve<'a>(openapi: &'a OpenAPI, reference: &str) -> Option<&'a Schema> {
    let name = reference
        .strip_prefix("#/components/schemas/")?
        .replace("~1", "/")
        .replace("~0", "~");
    openapi.components.as_ref()?.schemas.get(&name)?.as_item()
}

fn check(
    openapi: &OpenAPI,
    schema: Option<&Schema>,
    value: &Value,
    at: &str,
    problems: &mut Vec<String>,
    depth: usize,
) {
    let Some(schema) = schema else { return };
    if depth > MAX_DEPTH {
        return;
    }
    let place = if at.is_empty() {
        "the example".to_string()
    } else {
        format!("`{at}`")
    };
    if value.is_null() {
        if !schema.schema_data.nullable && !matches!(schema.schema_kind, SchemaKind::Any(_)) {
            problems.push(format!("{place} is null but the schema is not nullable"));
        }
        return;
    }
    let expected = |kind: &str, problems: &mut Vec<String>| {
        problems.push(format!(
            "{place} should be {kind}, found {}",
            json_kind(value)
        ))
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => match value.as_str() {
            Some(text) => {
                let allowed: Vec<&String> = string.enumeration.iter().flatten().collect();
                if !allowed.is_empty() && !allowed.iter().any(|a| a.as_str() == text) {
                    problems.push(format!("{place} is `{text}`, not one of the enum values"));
                }
            }
            None => expected("a string", problems),
        },
        SchemaKind::Type(Type::Integer(_)) => {
            if !(value.is_i64() || value.is_u64()) {
                expected("an integer", problems);
            }
        }
        SchemaKind::Type(Type::Number(_)) => {
            if !value.is_number() {
                expected("a number", problems);
            }
        }
        SchemaKind::Type(Type::Boolean(_)) => {
            if !value.is_boolean() {
                expected("a boolean", problems);
            }
        }
        SchemaKind::Type(Type::Array(array)) => match value.as_array() {
            Some(items) => {
                if let Some(item_schema) = &array.items {
                    for (index, item) in items.iter().enumerate() {
                        let item_schema = match item_schema {
                            ReferenceOr::Item(inline) => Some(inline.as_ref()),
                            ReferenceOr::Reference { reference } => resolve(openapi, reference),
                        };
                        check(
                            openapi,
                            item_schema,
                            item,
                            &format!("{at}[{index}]"),
                            problems,
                            depth + 1,
                        );
                    }
                }
            }
            None => expected("an array", problems),
        },
        SchemaKind::Type(Type::Object(object)) => match value.as_object() {
            Some(fields) => {
                for required in &object.required {
                    if !fields.contains_key(required) {
                        problems.push(format!("{place} lacks the required property `{required}`"));
                    }
                }
                for (name, field) in fields {
                    let field_at = if at.is_empty() {
                        name.clone()
                    } else {
                        format!("{at}.{name}")
                    };
                    match object.properties.get(name) {
                        Some(ReferenceOr::Item(inline)) => {
                            check(openapi, Some(inline), field, &field_at, problems, depth + 1)
                        }
                        Some(ReferenceOr::Reference { reference }) => check(
                            openapi,
                            resolve(openapi, reference),
                            field,
                            &field_at,
                            problems,
                            depth + 1,
                        ),
                        None => match &object.additional_properties {
                            Some(AdditionalProperties::Schema(extra)) => check(
                                openapi,
                                schema_of(openapi, extra),
                                field,
                                &field_at,
                                problems,
                                depth + 1,
                            ),
                            Some(AdditionalProperties::Any(true)) => {}
                            _ if object.properties.is_empty() => {}
                            _ => problems
                                .push(format!("`{field_at}` is not a property the schema lists")),
                        },
                    }
                }
            }
            None => expected("an object", problems),
        },
        SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } => {
            let fits = members.iter().any(|member| {
                let mut inner = Vec::new();
                check(
                    openapi,
                    schema_of(openapi, member),
                    value,
                    at,
                    &mut inner,
                    depth + 1,
                );
                inner.is_empty()
            });
            if !fits {
                problems.push(format!("{place} matches none of the union's variants"));
            }
        }
        SchemaKind::AllOf { all_of } => {
            if let [member] = all_of.as_slice() {
                check(
                    openapi,
                    schema_of(openapi, member),
                    value,
                    at,
                    problems,
                    depth + 1,
                );
            } else {
                for member in all_of {
                    let mut inner = Vec::new();
                    check(
                        openapi,
                        schema_of(openapi, member),
                        value,
                        at,
                        &mut inner,
                        depth + 1,
                    );
                    // Each member sees only its own properties; "not listed" is expected here.
                    problems.extend(
                        inner
                            .into_iter()
                            .filter(|p| !p.ends_with("is not a property the schema lists")),
                    );
                }
            }
        }
        SchemaKind::Any(any) => {
            // A schema openapiv3 could not classify (e.g. an enum of the wrong type) still
            // says what JSON type it wants.
            let fits = match any.typ.as_deref() {
                Some("string") => value.is_string(),
                Some("number") => value.is_number(),
                Some("integer") => value.is_i64() || value.is_u64(),
                Some("boolean") => value.is_boolean(),
                Some("array") => value.is_array(),
                Some("object") => value.is_object(),
                _ => true,
            };
            if !fits {
                problems.push(format!(
                    "{place} should be of type `{}`, found {}",
                    any.typ.as_deref().unwrap_or(""),
                    json_kind(value)
                ));
            }
        }
        SchemaKind::Not { .. } => {}
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a fractional number",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// What JSON a union variant accepts, coarsely enough to spot variants that shadow others.
#[derive(Debug, PartialEq)]
enum Shape {
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

impl Shape {
    /// Whether every value `later` accepts is already accepted by `self` (tried first).
    fn shadows(&self, later: &Shape) -> bool {
        match (self, later) {
            (Shape::Object { required: first }, Shape::Object { required: second }) => {
                first.iter().all(|name| second.contains(name))
            }
            (Shape::Number, Shape::Integer) => true,
            (first, second) => first == second,
        }
    }
}

fn shape_of(openapi: &OpenAPI, member: &ReferenceOr<Schema>) -> Option<Shape> {
    let schema = schema_of(openapi, member)?;
    Some(match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) if string.enumeration.is_empty() => Shape::String,
        SchemaKind::Type(Type::Number(_)) => Shape::Number,
        SchemaKind::Type(Type::Integer(_)) => Shape::Integer,
        SchemaKind::Type(Type::Boolean(_)) => Shape::Boolean,
        SchemaKind::Type(Type::Array(_)) => Shape::Array,
        SchemaKind::Type(Type::Object(object)) => Shape::Object {
            required: object.required.clone(),
        },
        _ => return None,
    })
}
