//! The decisions that need the whole API at once: which structs are built by callers
//! (constructor and setters) and which are read from responses (keep unknown fields),
//! and where a cycle of types must be broken with a `Box`.

use std::collections::{BTreeMap, BTreeSet};

use super::ObjectRule;
use crate::ir::{ExtraFields, Model, ModelKind, Operation, TypeRef};
use crate::names::NameSet;

pub(super) fn finish(
    models: &mut [Model],
    operations: &[Operation],
    rules: &BTreeMap<String, ObjectRule>,
) {
    let request_roots = operations.iter().flat_map(|op| {
        op.body.iter().map(|body| body.ty.clone()).chain(
            op.params_struct
                .iter()
                .map(|name| TypeRef::Named(name.clone())),
        )
    });
    let requested = reachable(models, request_roots.collect());
    let response_roots = operations.iter().flat_map(|op| {
        op.success
            .iter()
            .chain(&op.errors)
            .filter_map(|r| r.ty.clone())
    });
    let returned = reachable(models, response_roots.collect());

    for model in models.iter_mut() {
        let ModelKind::Struct(shape) = &mut model.kind else {
            continue;
        };
        shape.builder |= requested.contains(&model.rust_name);
        let extra_value = match rules.get(&model.rust_name) {
            Some(ObjectRule::Open(value)) => Some(value.clone()),
            Some(ObjectRule::Closed) => None,
            Some(ObjectRule::Unspecified) | None => {
                returned.contains(&model.rust_name).then_some(TypeRef::Json)
            }
        };
        if let Some(value) = extra_value {
            let taken = |name: &str| shape.fields.iter().any(|field| field.rust_name == name);
            let rust_name = ["extra", "extra_fields", "unknown_fields"]
                .into_iter()
                .find(|name| !taken(name))
                .map(str::to_string)
                .unwrap_or_else(|| {
                    NameSet::with_reserved(shape.fields.iter().map(|f| f.rust_name.as_str()))
                        .claim("extra")
                });
            shape.extra = Some(ExtraFields { rust_name, value });
        }
        if shape.builder {
            let mut methods = NameSet::with_reserved(["new"]);
            for field in shape.fields.iter_mut().filter(|field| !field.required) {
                field.setter = Some(methods.claim(&field.rust_name));
            }
            for field in shape
                .fields
                .iter_mut()
                .filter(|field| !field.required && field.nullable)
            {
                field.null_setter = Some(methods.claim(&format!("{}_null", field.rust_name)));
            }
        }
    }
    break_cycles(models);
    box_struct_variants(models);
}

/// Struct variants of a union live behind a `Box`: a union's size is its largest variant's,
/// and one large struct would make every string or number variant that large too.
fn box_struct_variants(models: &mut [Model]) {
    let structs: BTreeSet<String> = models
        .iter()
        .filter(|model| matches!(model.kind, ModelKind::Struct(_)))
        .map(|model| model.rust_name.clone())
        .collect();
    for model in models.iter_mut() {
        let ModelKind::Union(union) = &mut model.kind else {
            continue;
        };
        for variant in &mut union.variants {
            if matches!(&variant.ty, TypeRef::Named(name) if structs.contains(name)) {
                variant.ty = TypeRef::Box(Box::new(variant.ty.clone()));
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
                    stack.extend(member_types(model).into_iter().cloned());
                }
            }
            TypeRef::Vec(inner)
            | TypeRef::Map(inner)
            | TypeRef::Option(inner)
            | TypeRef::Box(inner) => stack.push(*inner),
            _ => {}
        }
    }
    seen
}

fn member_types(model: &Model) -> Vec<&TypeRef> {
    match &model.kind {
        ModelKind::Struct(shape) => shape
            .fields
            .iter()
            .map(|f| &f.ty)
            .chain(shape.extra.iter().map(|e| &e.value))
            .collect(),
        ModelKind::Union(union) => union.variants.iter().map(|v| &v.ty).collect(),
        ModelKind::Alias(ty) => vec![ty],
        ModelKind::Enum(_) => Vec::new(),
    }
}

/// Names a type holds directly (not behind a `Vec`, map or `Box`): these make its size.
fn held_by_value(ty: &TypeRef, out: &mut Vec<String>) {
    match ty {
        TypeRef::Named(name) => out.push(name.clone()),
        TypeRef::Option(inner) => held_by_value(inner, out),
        _ => {}
    }
}

/// Boxes every by-value reference that closes a cycle, so every type has a finite size.
fn break_cycles(models: &mut [Model]) {
    let edges: BTreeMap<String, Vec<String>> = models
        .iter()
        .map(|model| {
            let mut held = Vec::new();
            for ty in member_types(model) {
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
        _ => {}
    }
}
