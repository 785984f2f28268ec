//! Cargo features per tag: an API whose operations carry several tags gets one feature per
//! tag, all on by default, so that a user who needs one group compiles only its operations
//! and the types they reach. Every item gets a gate here: an operation the features of its
//! tags, a model those of the operations that reach it (always, when an untagged operation,
//! a webhook, every tag or nothing reaches it), a credential those of the operations that
//! may use it.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Api, BodyKind, Feature, Gate, Operation, ParameterLocation, TypeRef};
use crate::names;

/// Fewer distinct tags than this and the crate has no tag features: one group is the whole.
const MIN_TAGS: usize = 2;

pub(super) fn assign(api: &mut Api) {
    let mut by_feature: BTreeMap<String, (BTreeSet<String>, usize)> = BTreeMap::new();
    for op in &api.operations {
        let features: BTreeSet<String> = op.tags.iter().map(|tag| names::feature(tag)).collect();
        for tag in &op.tags {
            by_feature
                .entry(names::feature(tag))
                .or_default()
                .0
                .insert(tag.clone());
        }
        for feature in features {
            by_feature.entry(feature).or_default().1 += 1;
        }
    }
    if by_feature.len() < MIN_TAGS {
        return;
    }
    api.features = by_feature
        .into_iter()
        .map(|(name, (tags, operations))| Feature {
            name,
            tags: tags.into_iter().collect(),
            operations,
            reqwest_features: Vec::new(),
        })
        .collect();

    for op in &mut api.operations {
        let features: BTreeSet<String> = op.tags.iter().map(|tag| names::feature(tag)).collect();
        op.gate = Gate {
            features: features.into_iter().collect(),
        };
    }

    let edges: BTreeMap<&str, Vec<String>> = api
        .models
        .iter()
        .map(|model| {
            let mut named = Vec::new();
            for ty in model.kind.member_types() {
                super::finish::names_in(ty, &mut named);
            }
            (model.rust_name.as_str(), named)
        })
        .collect();
    let mut reached: BTreeMap<String, Vec<Gate>> = BTreeMap::new();
    let mut reach = |roots: Vec<String>, gate: &Gate| {
        for name in closure(&edges, roots) {
            reached.entry(name).or_default().push(gate.clone());
        }
    };
    for op in &api.operations {
        reach(operation_names(op), &op.gate);
    }
    for webhook in &api.webhooks {
        let mut named = Vec::new();
        if let Some(ty) = webhook.body.json() {
            super::finish::names_in(ty, &mut named);
        }
        reach(named, &Gate::always());
    }
    // A type that every tag reaches is left ungated: it only costs a build with no tag at
    // all, and it spares every reader a `cfg` that lists every feature.
    let every = api.features.len();
    let normal = |gate: Gate| {
        if gate.features.len() == every {
            Gate::always()
        } else {
            gate
        }
    };
    let mut gates: BTreeMap<String, Gate> = api
        .models
        .iter()
        .map(|model| {
            let gate = reached
                .get(&model.rust_name)
                .map(Gate::any)
                .unwrap_or_default();
            (model.rust_name.clone(), normal(gate))
        })
        .collect();
    // A type is compiled wherever a type that holds it is: one that nothing reaches (always
    // compiled) may hold one that a tag reaches.
    loop {
        let mut changed = false;
        for (name, held) in &edges {
            let Some(holder) = gates.get(*name).cloned() else {
                continue;
            };
            for inner in held {
                let Some(current) = gates.get(inner) else {
                    continue;
                };
                let merged = normal(Gate::any([current, &holder]));
                if &merged != current {
                    gates.insert(inner.clone(), merged);
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    for model in &mut api.models {
        model.gate = gates.remove(&model.rust_name).unwrap_or_default();
    }

    let gates: BTreeMap<&str, &Gate> = api
        .models
        .iter()
        .map(|model| (model.rust_name.as_str(), &model.gate))
        .collect();
    for case in &mut api.examples {
        let mut named = Vec::new();
        super::finish::names_in(&case.ty, &mut named);
        case.gate = intersection(named.iter().map(|name| gates.get(name.as_str()).copied()));
    }
    api.examples_gate = Gate::any(api.examples.iter().map(|case| &case.gate));

    for (index, credential) in api.credentials.iter_mut().enumerate() {
        let users: Vec<&Gate> = api
            .operations
            .iter()
            .filter(|op| op.security.iter().flatten().any(|&i| i == index))
            .map(|op| &op.gate)
            .collect();
        credential.gate = Gate::any(users);
    }
    let secured: Vec<&Gate> = api
        .operations
        .iter()
        .filter(|op| !op.security.is_empty())
        .map(|op| &op.gate)
        .collect();
    api.security_gate = if secured.is_empty() {
        Gate::always()
    } else {
        Gate::any(secured)
    };
}

/// The gate of the example tests' glob import of the crate: the examples that name one of
/// its types (a model or `FilePart`) use it, the others would leave it unused.
pub(super) fn examples_import(api: &Api) -> Option<Gate> {
    let users: Vec<&Gate> = api
        .examples
        .iter()
        .filter(|case| names_a_type(&case.ty))
        .map(|case| &case.gate)
        .collect();
    (!users.is_empty()).then(|| Gate::any(users))
}

fn names_a_type(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(_) | TypeRef::File => true,
        TypeRef::Vec(inner)
        | TypeRef::Map(inner)
        | TypeRef::Option(inner)
        | TypeRef::Box(inner) => names_a_type(inner),
        TypeRef::Tuple(items) => items.iter().any(names_a_type),
        _ => false,
    }
}

/// A gate under which every one of `gates` is compiled: the features they all share, or,
/// when they share none, the `default` feature (which turns every tag on).
fn intersection<'a>(gates: impl Iterator<Item = Option<&'a Gate>>) -> Gate {
    let mut shared: Option<BTreeSet<String>> = None;
    for gate in gates.flatten() {
        if gate.is_always() {
            continue;
        }
        let features: BTreeSet<String> = gate.features.iter().cloned().collect();
        shared = Some(match shared {
            None => features,
            Some(before) => before.intersection(&features).cloned().collect(),
        });
    }
    match shared {
        Some(features) if features.is_empty() => Gate {
            features: vec!["default".to_string()],
        },
        Some(features) => Gate {
            features: features.into_iter().collect(),
        },
        None => Gate::always(),
    }
}

/// The models an operation names in `client.rs`: its path parameters, its parameters
/// struct (whose fields are the rest of its parameters), its bodies and its responses.
pub(super) fn operation_names(op: &Operation) -> Vec<String> {
    let mut named = Vec::new();
    for parameter in op
        .parameters
        .iter()
        .filter(|p| p.location == ParameterLocation::Path)
    {
        super::finish::names_in(&parameter.ty, &mut named);
    }
    if let Some(params) = &op.params_struct {
        named.push(params.clone());
    }
    for content in op.body.iter().flat_map(|body| &body.contents) {
        match &content.kind {
            BodyKind::Json(ty) | BodyKind::Form(ty) => super::finish::names_in(ty, &mut named),
            BodyKind::Multipart(name) => named.push(name.clone()),
            BodyKind::Text | BodyKind::Bytes | BodyKind::MultipartRaw => {}
        }
    }
    for response in op.success.iter().chain(&op.errors) {
        if let Some(ty) = response.body.json() {
            super::finish::names_in(ty, &mut named);
        }
    }
    if let Some(pagination) = &op.pagination {
        super::finish::names_in(&pagination.item, &mut named);
    }
    named
}

/// Every model reachable from `roots`, the roots included.
fn closure(edges: &BTreeMap<&str, Vec<String>>, roots: Vec<String>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack = roots;
    while let Some(name) = stack.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(next) = edges.get(name.as_str()) {
            stack.extend(next.iter().filter(|n| !seen.contains(*n)).cloned());
        }
    }
    seen
}
