//! The decisions that need the whole API at once: which types requests and responses use
//! (a type both use that has `readOnly` or `writeOnly` properties gets a second form for
//! requests, `{Name}Input`), which structs are built by callers (constructor and setters),
//! and where a cycle of types must be broken with a `Box`.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{BodyKind, Model, ModelKind, Operation, ResponseBody, TypeRef, Webhook};
use crate::names::{self, NameSet};

pub(super) fn finish(
    models: &mut Vec<Model>,
    operations: &mut [Operation],
    webhooks: &mut [Webhook],
    type_names: &mut NameSet,
) {
    split_directions(models, operations, webhooks, type_names);
    let requested = reachable(models, request_roots(operations));
    for model in models.iter_mut() {
        let ModelKind::Struct(shape) = &mut model.kind else {
            continue;
        };
        shape.builder |= requested.contains(&model.rust_name);
        if shape.builder {
            let mut methods = NameSet::with_reserved(["new"]);
            // A field that can only be `null` (`type: 'null'`) is set by its null setter.
            let only_null = |field: &crate::ir::Field| field.nullable && field.ty == TypeRef::Unit;
            for field in shape
                .fields
                .iter_mut()
                .filter(|field| !field.required && !only_null(field))
            {
                field.setter = Some(methods.claim(&names::setter(&field.rust_name)));
            }
            for field in shape
                .fields
                .iter_mut()
                .filter(|field| !field.required && field.nullable)
            {
                field.null_setter = Some(methods.claim(&names::null_setter(&field.rust_name)));
            }
        }
    }
    break_cycles(models);
    box_struct_variants(models, operations);
    name_complex_types(models, operations, webhooks, type_names);
    union_conversions(models);
}

/// `From` conversions of unions: one per variant whose type, aliases followed, no other
/// variant has (two would conflict), and none for the variant that keeps any JSON.
fn union_conversions(models: &mut [Model]) {
    let aliases: BTreeMap<String, TypeRef> = models
        .iter()
        .filter_map(|model| match &model.kind {
            ModelKind::Alias(ty) => Some((model.rust_name.clone(), ty.clone())),
            _ => None,
        })
        .collect();
    let resolved = |ty: &TypeRef| {
        let mut ty = ty.clone();
        for _ in 0..64 {
            match &ty {
                TypeRef::Named(name) => match aliases.get(name) {
                    Some(target) => ty = target.clone(),
                    None => break,
                },
                TypeRef::Box(inner) => ty = (**inner).clone(),
                _ => break,
            }
        }
        ty
    };
    for model in models.iter_mut() {
        let ModelKind::Union(union) = &mut model.kind else {
            continue;
        };
        let types: Vec<TypeRef> = union.variants.iter().map(|v| resolved(&v.ty)).collect();
        for (index, variant) in union.variants.iter_mut().enumerate() {
            let unique = types.iter().filter(|ty| **ty == types[index]).count() == 1;
            variant.from_impl = unique && types[index] != TypeRef::Json;
        }
    }
}

/// How clippy scores a type's complexity (`type_complexity`): each path `10 * nesting`,
/// each tuple `50 * nesting`, nesting growing by one inside each.
fn complexity(ty: &TypeRef, nest: usize) -> usize {
    match ty {
        TypeRef::Vec(inner) | TypeRef::Option(inner) | TypeRef::Box(inner) => {
            10 * nest + complexity(inner, nest + 1)
        }
        TypeRef::Map(inner) => 10 * nest + 10 * (nest + 1) + complexity(inner, nest + 1),
        TypeRef::JsonObject => 10 * nest + 20 * (nest + 1),
        TypeRef::Tuple(items) => {
            50 * nest
                + items
                    .iter()
                    .map(|item| complexity(item, nest + 1))
                    .sum::<usize>()
        }
        TypeRef::Unit => 50 * nest,
        _ => 10 * nest,
    }
}

/// A type in a field, variant or signature scores at most this, so that with the
/// wrappers around it (`Option`, `Result<_, Error<_>>`) it stays under clippy's 250.
const MAX_COMPLEXITY: usize = 150;

/// Gives types too complex for clippy a name (`pub type {Owner}{Field} = ...;`).
fn name_complex_types(
    models: &mut Vec<Model>,
    operations: &mut [Operation],
    webhooks: &mut [Webhook],
    type_names: &mut NameSet,
) {
    let mut named: Vec<Model> = Vec::new();
    let mut name = |ty: &mut TypeRef, hint: String, pointer: &str| {
        if complexity(ty, 2) <= MAX_COMPLEXITY {
            return;
        }
        let rust_name = type_names.claim(&names::type_name(&hint));
        named.push(Model {
            gate: Default::default(),
            rust_name: rust_name.clone(),
            doc: crate::ir::Docs::default(),
            kind: ModelKind::Alias(ty.clone()),
            pointer: pointer.to_string(),
        });
        *ty = TypeRef::Named(rust_name);
    };
    for model in models.iter_mut() {
        let owner = model.rust_name.clone();
        match &mut model.kind {
            ModelKind::Struct(shape) => {
                for field in &mut shape.fields {
                    let hint = format!("{owner}{}", names::pascal(&field.wire_name, "Field", "V"));
                    name(&mut field.ty, hint, &model.pointer);
                }
            }
            ModelKind::Union(union) => {
                for variant in &mut union.variants {
                    name(
                        &mut variant.ty,
                        format!("{owner}{}", variant.rust_name),
                        &model.pointer,
                    );
                }
            }
            _ => {}
        }
    }
    for operation in operations.iter_mut() {
        let stem = names::pascal(&operation.rust_name, "Operation", "Op");
        for response in operation
            .success
            .iter_mut()
            .chain(operation.errors.iter_mut())
        {
            if let ResponseBody::Json(ty) = &mut response.body {
                name(
                    ty,
                    format!("{stem}{}", response.variant),
                    &operation.pointer,
                );
            }
        }
        for content in operation
            .body
            .iter_mut()
            .flat_map(|body| body.contents.iter_mut())
        {
            if let BodyKind::Json(ty) | BodyKind::Form(ty) = &mut content.kind {
                name(ty, format!("{stem}Body"), &operation.pointer);
            }
        }
    }
    for webhook in webhooks.iter_mut() {
        if let ResponseBody::Json(ty) = &mut webhook.body {
            let hint = format!("{}Webhook", names::type_name(&webhook.name));
            name(ty, hint, &webhook.pointer);
        }
    }
    models.extend(named);
}

fn request_roots(operations: &[Operation]) -> Vec<TypeRef> {
    let mut roots = Vec::new();
    for operation in operations {
        for content in operation.body.iter().flat_map(|body| &body.contents) {
            match &content.kind {
                BodyKind::Json(ty) | BodyKind::Form(ty) => roots.push(ty.clone()),
                BodyKind::Multipart(name) => roots.push(TypeRef::Named(name.clone())),
                BodyKind::Text | BodyKind::Bytes | BodyKind::MultipartRaw => {}
            }
        }
        if let Some(name) = &operation.params_struct {
            roots.push(TypeRef::Named(name.clone()));
        }
        roots.extend(
            operation
                .parameters
                .iter()
                .map(|parameter| parameter.ty.clone()),
        );
    }
    roots
}

/// What the client receives: response bodies, and webhook bodies (the API sends them too).
fn response_roots(operations: &[Operation], webhooks: &[Webhook]) -> Vec<TypeRef> {
    operations
        .iter()
        .flat_map(|op| op.success.iter().chain(&op.errors))
        .filter_map(|response| response.body.json().cloned())
        .chain(
            webhooks
                .iter()
                .filter_map(|webhook| webhook.body.json().cloned()),
        )
        .collect()
}

/// `readOnly` properties are not sent and `writeOnly` ones not returned: a type only
/// requests use loses its `readOnly` fields, one only responses use its `writeOnly` ones,
/// and a type both use (with such fields somewhere inside) is copied for requests.
fn split_directions(
    models: &mut Vec<Model>,
    operations: &mut [Operation],
    webhooks: &[Webhook],
    type_names: &mut NameSet,
) {
    let requested = reachable(models, request_roots(operations));
    let returned = reachable(models, response_roots(operations, webhooks));
    let involved = involving(models, |field| field.read_only || field.write_only);
    let copied: BTreeMap<String, String> = models
        .iter()
        .filter(|m| {
            requested.contains(&m.rust_name)
                && returned.contains(&m.rust_name)
                && involved.contains(&m.rust_name)
        })
        .map(|m| {
            (
                m.rust_name.clone(),
                type_names.claim(&format!("{}Input", m.rust_name)),
            )
        })
        .collect();
    let mut inputs = Vec::new();
    for model in models.iter() {
        let Some(input_name) = copied.get(&model.rust_name) else {
            continue;
        };
        let mut input = model.clone();
        input.rust_name = input_name.clone();
        input.doc.notes.push(format!(
            "The form of `{}` that requests send: without the properties only the server sets.",
            model.rust_name
        ));
        rename_members(&mut input.kind, &copied);
        drop_fields(&mut input.kind, |field| field.read_only);
        inputs.push(input);
    }
    for model in models.iter_mut() {
        let name = &model.rust_name;
        if returned.contains(name) {
            drop_fields(&mut model.kind, |field| field.write_only);
        } else if requested.contains(name) {
            drop_fields(&mut model.kind, |field| field.read_only);
        }
    }
    models.extend(inputs);
    for operation in operations.iter_mut() {
        for content in operation
            .body
            .iter_mut()
            .flat_map(|body| body.contents.iter_mut())
        {
            if let BodyKind::Json(ty) | BodyKind::Form(ty) = &mut content.kind {
                rename(ty, &copied);
            }
        }
    }
}

/// Models that have a field for which `pick` holds, or that hold such a model.
fn involving(models: &[Model], pick: impl Fn(&crate::ir::Field) -> bool) -> BTreeSet<String> {
    let mut found: BTreeSet<String> = models
        .iter()
        .filter(|model| matches!(&model.kind, ModelKind::Struct(shape) if shape.fields.iter().any(&pick)))
        .map(|model| model.rust_name.clone())
        .collect();
    loop {
        let before = found.len();
        for model in models {
            if found.contains(&model.rust_name) {
                continue;
            }
            let mut named = Vec::new();
            for ty in model.kind.member_types() {
                names_in(ty, &mut named);
            }
            if named.iter().any(|name| found.contains(name)) {
                found.insert(model.rust_name.clone());
            }
        }
        if found.len() == before {
            return found;
        }
    }
}

fn drop_fields(kind: &mut ModelKind, drop: impl Fn(&crate::ir::Field) -> bool) {
    if let ModelKind::Struct(shape) = kind {
        shape.fields.retain(|field| !drop(field));
    }
}

fn rename_members(kind: &mut ModelKind, copied: &BTreeMap<String, String>) {
    match kind {
        ModelKind::Struct(shape) => {
            for field in &mut shape.fields {
                rename(&mut field.ty, copied);
            }
            if let Some(extra) = &mut shape.extra {
                rename(&mut extra.value, copied);
            }
        }
        ModelKind::Union(union) => union
            .variants
            .iter_mut()
            .for_each(|v| rename(&mut v.ty, copied)),
        ModelKind::Tagged(tagged) => tagged
            .variants
            .iter_mut()
            .for_each(|v| rename(&mut v.ty, copied)),
        ModelKind::Alias(ty) => rename(ty, copied),
        ModelKind::Enum(_) | ModelKind::IntegerEnum(_) => {}
    }
}

fn rename(ty: &mut TypeRef, copied: &BTreeMap<String, String>) {
    match ty {
        TypeRef::Named(name) => {
            if let Some(input) = copied.get(name) {
                *name = input.clone();
            }
        }
        TypeRef::Vec(inner)
        | TypeRef::Map(inner)
        | TypeRef::Option(inner)
        | TypeRef::Box(inner) => rename(inner, copied),
        TypeRef::Tuple(items) => items.iter_mut().for_each(|item| rename(item, copied)),
        _ => {}
    }
}

/// Struct variants of a union live behind a `Box`: a union's size is its largest variant's,
/// and one large struct would make every string or number variant that large too. So do
/// the struct bodies in an operation's enums of error and success bodies.
fn box_struct_variants(models: &mut [Model], operations: &mut [Operation]) {
    let structs: BTreeSet<String> = models
        .iter()
        .filter(|model| matches!(model.kind, ModelKind::Struct(_)))
        .map(|model| model.rust_name.clone())
        .collect();
    let boxed = |ty: &mut TypeRef| {
        if matches!(&*ty, TypeRef::Named(name) if structs.contains(name)) {
            *ty = TypeRef::Box(Box::new(ty.clone()));
        }
    };
    for model in models.iter_mut() {
        match &mut model.kind {
            ModelKind::Union(union) => union.variants.iter_mut().for_each(|v| boxed(&mut v.ty)),
            ModelKind::Tagged(tagged) => tagged.variants.iter_mut().for_each(|v| boxed(&mut v.ty)),
            _ => {}
        }
    }
    for operation in operations.iter_mut() {
        let in_enum = operation.success_enum.is_some();
        let successes = operation.success.iter_mut().filter(|_| in_enum);
        for response in successes.chain(operation.errors.iter_mut()) {
            if let ResponseBody::Json(ty) = &mut response.body {
                boxed(ty);
            }
        }
    }
}

/// Every named type reachable from `roots`, through fields, variants, aliases and containers.
fn reachable(models: &[Model], roots: Vec<TypeRef>) -> BTreeSet<String> {
    let by_name: BTreeMap<&str, &Model> =
        models.iter().map(|m| (m.rust_name.as_str(), m)).collect();
    let mut seen = BTreeSet::new();
    let mut stack = roots;
    while let Some(ty) = stack.pop() {
        match ty {
            TypeRef::Named(name) => {
                if !seen.insert(name.clone()) {
                    continue;
                }
                if let Some(model) = by_name.get(name.as_str()) {
                    stack.extend(model.kind.member_types().into_iter().cloned());
                }
            }
            TypeRef::Vec(inner)
            | TypeRef::Map(inner)
            | TypeRef::Option(inner)
            | TypeRef::Box(inner) => stack.push(*inner),
            TypeRef::Tuple(items) => stack.extend(items),
            _ => {}
        }
    }
    seen
}

/// The named types a type mentions, at any depth.
pub(super) fn names_in(ty: &TypeRef, out: &mut Vec<String>) {
    match ty {
        TypeRef::Named(name) => out.push(name.clone()),
        TypeRef::Vec(inner)
        | TypeRef::Map(inner)
        | TypeRef::Option(inner)
        | TypeRef::Box(inner) => names_in(inner, out),
        TypeRef::Tuple(items) => items.iter().for_each(|item| names_in(item, out)),
        _ => {}
    }
}

/// Names a type holds directly (not behind a `Vec`, map or `Box`): these make its size.
fn held_by_value(ty: &TypeRef, out: &mut Vec<String>) {
    match ty {
        TypeRef::Named(name) => out.push(name.clone()),
        TypeRef::Option(inner) => held_by_value(inner, out),
        TypeRef::Tuple(items) => items.iter().for_each(|item| held_by_value(item, out)),
        _ => {}
    }
}

/// Boxes every by-value reference that closes a cycle, so every type has a finite size.
fn break_cycles(models: &mut [Model]) {
    let edges: BTreeMap<String, Vec<String>> = models
        .iter()
        .map(|model| {
            let mut held = Vec::new();
            for ty in model.kind.member_types() {
                held_by_value(ty, &mut held);
            }
            (model.rust_name.clone(), held)
        })
        .collect();
    let reaches = |from: &str, to: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_string()];
        while let Some(name) = stack.pop() {
            if name == to {
                return true;
            }
            if seen.insert(name.clone()) {
                stack.extend(edges.get(&name).into_iter().flatten().cloned());
            }
        }
        false
    };
    for model in models.iter_mut() {
        let owner = model.rust_name.clone();
        let slots: Vec<&mut TypeRef> = match &mut model.kind {
            ModelKind::Struct(shape) => shape.fields.iter_mut().map(|f| &mut f.ty).collect(),
            ModelKind::Union(union) => union.variants.iter_mut().map(|v| &mut v.ty).collect(),
            ModelKind::Tagged(tagged) => tagged.variants.iter_mut().map(|v| &mut v.ty).collect(),
            _ => Vec::new(),
        };
        for slot in slots {
            box_if(slot, &|name| reaches(name, &owner));
        }
    }
}

fn box_if(ty: &mut TypeRef, closes_cycle: &dyn Fn(&str) -> bool) {
    match ty {
        TypeRef::Named(name) if closes_cycle(name) => *ty = TypeRef::Box(Box::new(ty.clone())),
        TypeRef::Option(inner) => box_if(inner, closes_cycle),
        TypeRef::Tuple(items) => items.iter_mut().for_each(|item| box_if(item, closes_cycle)),
        _ => {}
    }
}
