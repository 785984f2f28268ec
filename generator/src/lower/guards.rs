//! A check that keeps lowering's output compilable on any input: component schemas that
//! are only `$ref`s leading back to themselves (`A: {$ref: B}`, `B: {$ref: A}` would become
//! `type A = B; type B = A;`, which does not compile).

use std::collections::BTreeMap;

use super::Lowerer;
use crate::ir::{ModelKind, TypeRef};

impl Lowerer<'_> {
    /// Reports every cycle of component schemas that are type aliases of one another.
    pub(super) fn check_alias_cycles(&mut self) {
        let spec_names: BTreeMap<&str, &str> = self
            .doc
            .components
            .schemas
            .iter()
            .filter_map(|(spec, id)| Some((self.component_types.get(id)?.as_str(), spec.as_str())))
            .collect();
        let aliases: BTreeMap<&str, (Vec<&str>, &str)> = self
            .models
            .iter()
            .filter_map(|model| match &model.kind {
                ModelKind::Alias(ty) => {
                    let mut named = Vec::new();
                    names_in(ty, &mut named);
                    Some((model.rust_name.as_str(), (named, model.pointer.as_str())))
                }
                _ => None,
            })
            .collect();
        // Depth-first search without recursion: a chain of 10,000 aliases is legal.
        let mut state: BTreeMap<&str, Visit> = BTreeMap::new();
        let mut cycles: Vec<Vec<&str>> = Vec::new();
        for &start in aliases.keys() {
            if state.contains_key(start) {
                continue;
            }
            state.insert(start, Visit::Open);
            let mut path: Vec<(&str, usize)> = vec![(start, 0)];
            while let Some((node, next_edge)) = path.last_mut() {
                let targets = &aliases[*node].0;
                let Some(&target) = targets.get(*next_edge) else {
                    state.insert(*node, Visit::Done);
                    path.pop();
                    continue;
                };
                *next_edge += 1;
                if !aliases.contains_key(target) {
                    continue;
                }
                match state.get(target) {
                    None => {
                        state.insert(target, Visit::Open);
                        path.push((target, 0));
                    }
                    Some(Visit::Open) => {
                        let from = path.iter().position(|(n, _)| *n == target).unwrap_or(0);
                        cycles.push(path[from..].iter().map(|(n, _)| *n).collect());
                    }
                    Some(Visit::Done) => {}
                }
            }
        }
        let problems: Vec<(String, String)> = cycles
            .into_iter()
            .map(|cycle| {
                let name = |rust: &str| spec_names.get(rust).copied().unwrap_or(rust).to_string();
                let mut chain: Vec<String> = cycle
                    .iter()
                    .map(|rust| format!("`{}`", name(rust)))
                    .collect();
                chain.push(chain[0].clone());
                let message = if cycle.len() == 1 {
                    format!("schema `{}` is a `$ref` to itself", name(cycle[0]))
                } else {
                    format!(
                        "schemas {} are `$ref`s to one another and never define a type",
                        chain.join(" → ")
                    )
                };
                (aliases[cycle[0]].1.to_string(), message)
            })
            .collect();
        for (pointer, message) in problems {
            self.error(
                &pointer,
                message,
                "give one of these schemas a type of its own (an object with properties, a string...), or point the `$ref` elsewhere",
            );
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Visit {
    Open,
    Done,
}

/// The named types a type mentions, at any depth.
fn names_in<'t>(ty: &'t TypeRef, out: &mut Vec<&'t str>) {
    match ty {
        TypeRef::Named(name) => out.push(name),
        TypeRef::Vec(inner)
        | TypeRef::Map(inner)
        | TypeRef::Option(inner)
        | TypeRef::Box(inner) => names_in(inner, out),
        TypeRef::Tuple(items) => items.iter().for_each(|item| names_in(item, out)),
        _ => {}
    }
}
