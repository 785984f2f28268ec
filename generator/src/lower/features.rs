//! Cargo features per tag: an API whose operations carry several tags gets one feature per
//! tag, all on by default, so that a user who needs one group compiles only its operations
//! and the types they reach. A tag that would compile a large share of the crate gets one
//! feature per path resource instead. Every item gets a gate here: an operation the
//! features of its tags (or resources), a model those of the operations that reach it
//! (always, when an untagged operation, a webhook, every feature or nothing reaches it), a
//! credential those of the operations that may use it.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Api, BodyKind, Feature, Gate, ModelKind, Operation, ParameterLocation, TypeRef};
use crate::names;

/// Fewer distinct tags than this and the crate has no tag features: one group is the whole.
const MIN_TAGS: usize = 2;

/// A tag whose feature would compile more than this share of the crate (a quarter) is
/// split by path resource, so that no one feature costs close to the whole build (the
/// runtime modules that every build has come on top).
const SPLIT_SHARE: usize = 4;

/// ...but only when the tag is big enough to matter: about this many lines of Rust, what
/// `cargo check` gets through in a few tenths of a second.
const MIN_SPLIT_SIZE: usize = 1_000;

pub(super) fn assign(api: &mut Api) {
    let mut by_feature: BTreeMap<String, (BTreeSet<String>, Vec<usize>)> = BTreeMap::new();
    for (index, op) in api.operations.iter().enumerate() {
        for tag in &op.tags {
            let (tags, operations) = by_feature.entry(names::feature(tag)).or_default();
            tags.insert(tag.clone());
            if operations.last() != Some(&index) {
                operations.push(index);
            }
        }
    }
    if by_feature.len() < MIN_TAGS {
        return;
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
    let groups = groups(api, &edges, by_feature);

    let mut gates = vec![BTreeSet::new(); api.operations.len()];
    for group in &groups {
        for &index in &group.operations {
            gates[index].insert(group.name.clone());
        }
    }
    for (op, features) in api.operations.iter_mut().zip(gates) {
        op.gate = Gate {
            features: features.into_iter().collect(),
        };
    }
    api.features = groups
        .into_iter()
        .map(|group| Feature {
            name: group.name,
            tags: group.tags,
            operations: group.operations.len(),
            paths: group.paths,
            reqwest_features: Vec::new(),
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
    // A type that every feature reaches is left ungated: it only costs a build with none
    // at all, and it spares every reader a `cfg` that lists them all.
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
    api.models_gate = Gate::any(api.models.iter().map(|model| &model.gate));

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

/// The features' groups of operations: one per tag, or per path resource of a tag too
/// large for one, in name order.
fn groups(
    api: &Api,
    edges: &BTreeMap<&str, Vec<String>>,
    by_feature: BTreeMap<String, (BTreeSet<String>, Vec<usize>)>,
) -> Vec<Group> {
    let sizes = Sizes::new(api, edges);
    // A resource's feature may not take a tag's name, nor one the crate defines itself.
    let mut taken = names::NameSet::with_reserved(
        by_feature
            .keys()
            .map(String::as_str)
            .chain(names::RESERVED_FEATURES.iter().copied()),
    );
    let mut groups = Vec::new();
    for (name, (tags, operations)) in by_feature {
        let group = Group {
            name,
            tags: tags.into_iter().collect(),
            operations,
            paths: Vec::new(),
        };
        let size = sizes.of(api, &group.operations);
        split(group, size, api, &sizes, &mut taken, &mut groups);
    }
    groups.sort_by(|a, b| a.name.cmp(&b.name));
    groups
}

/// The operations of a feature, and the paths they were split by, if they were.
struct Group {
    name: String,
    tags: Vec<String>,
    operations: Vec<usize>,
    paths: Vec<String>,
}

/// Pushes `group` (which compiles `size`) to `out`, or, when it is too large a share of
/// the crate, the groups of
/// its operations by the first literal path segment after the part of the path they all
/// share (split again while still too large). Operations with no literal segment there
/// (the shared path itself, or it and parameters) are named for its last literal segment,
/// or `root` when it has none.
fn split(
    group: Group,
    size: usize,
    api: &Api,
    sizes: &Sizes,
    taken: &mut names::NameSet,
    out: &mut Vec<Group>,
) {
    if size * SPLIT_SHARE <= sizes.total || size < MIN_SPLIT_SIZE {
        out.push(group);
        return;
    }
    let paths: Vec<Vec<&str>> = group
        .operations
        .iter()
        .map(|&index| {
            api.operations[index]
                .path
                .split('/')
                .filter(|segment| !segment.is_empty())
                .collect()
        })
        .collect();
    let shared = paths.iter().skip(1).fold(paths[0].len(), |shared, path| {
        shared.min(
            path.iter()
                .zip(&paths[0])
                .take_while(|(a, b)| a == b)
                .count(),
        )
    });
    let literal = |segment: &&&str| !segment.contains('{');
    let mut by_resource: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (path, &index) in paths.iter().zip(&group.operations) {
        let resource = path[shared..]
            .iter()
            .find(literal)
            .or_else(|| path[..shared].iter().rev().find(literal))
            .copied()
            .unwrap_or("");
        by_resource.entry(resource).or_default().push(index);
    }
    let parts: Vec<(&str, Vec<usize>, usize)> = by_resource
        .into_iter()
        .map(|(resource, operations)| {
            let size = sizes.of(api, &operations);
            (resource, operations, size)
        })
        .collect();
    // A split that does not halve the largest part's cost only adds features: the parts
    // share most of what they reach.
    let largest = parts.iter().map(|(_, _, size)| *size).max().unwrap_or(size);
    if parts.len() < 2 || largest * 2 > size {
        out.push(group);
        return;
    }
    for (resource, operations, part_size) in parts {
        let mut paths: Vec<String> = operations
            .iter()
            .map(|&index| api.operations[index].path.clone())
            .collect();
        paths.sort();
        paths.dedup();
        // Tags that differ only in case share a feature; a part keeps those it carries.
        let tags = group
            .tags
            .iter()
            .filter(|tag| {
                operations
                    .iter()
                    .any(|&i| api.operations[i].tags.contains(tag))
            })
            .cloned()
            .collect();
        let part = Group {
            name: taken.claim(&names::resource_feature(&group.name, resource)),
            tags,
            operations,
            paths,
        };
        split(part, part_size, api, sizes, taken, out);
    }
}

/// Rough lines of Rust that each model and operation becomes, to weigh what a feature
/// compiles against the whole crate.
struct Sizes<'a> {
    edges: &'a BTreeMap<&'a str, Vec<String>>,
    models: BTreeMap<&'a str, usize>,
    total: usize,
}

impl<'a> Sizes<'a> {
    fn new(api: &'a Api, edges: &'a BTreeMap<&'a str, Vec<String>>) -> Self {
        let models: BTreeMap<&str, usize> = api
            .models
            .iter()
            .map(|model| (model.rust_name.as_str(), model_size(&model.kind)))
            .collect();
        let total = models.values().sum::<usize>()
            + api.operations.iter().map(operation_size).sum::<usize>();
        Sizes {
            edges,
            models,
            total,
        }
    }

    /// The operations at `indices` and every model they reach.
    fn of(&self, api: &Api, indices: &[usize]) -> usize {
        let roots = indices
            .iter()
            .flat_map(|&index| operation_names(&api.operations[index]))
            .collect();
        let models: usize = closure(self.edges, roots)
            .iter()
            .filter_map(|name| self.models.get(name.as_str()))
            .sum();
        models
            + indices
                .iter()
                .map(|&index| operation_size(&api.operations[index]))
                .sum::<usize>()
    }
}

fn model_size(kind: &ModelKind) -> usize {
    match kind {
        ModelKind::Struct(shape) => 6 + 3 * shape.fields.len(),
        ModelKind::Enum(list) => 12 + 3 * list.variants.len(),
        ModelKind::IntegerEnum(list) => 12 + 3 * list.values.len(),
        ModelKind::Union(union) => 12 + 3 * union.variants.len(),
        ModelKind::Tagged(tagged) => 12 + 3 * tagged.variants.len(),
        ModelKind::Alias(_) => 2,
    }
}

fn operation_size(op: &Operation) -> usize {
    40 + 3 * op.parameters.len() + 6 * (op.success.len() + op.errors.len())
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
