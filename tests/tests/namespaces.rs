//! The names the emitted code imports, defines and re-exports are the ones `names.rs`
//! reserves (or ones lowering claimed for the spec's own types and operations), for every
//! fixture: so its reservation tables cannot drift from what emit writes, and no name from
//! a spec can meet one of the generator's. `hard-names.yaml` takes every such name and
//! compiles (the compile check).

use std::collections::BTreeSet;

use codegen_tests::{fixture_settings, fixtures};
use generator::names::generated;

/// The leaf names a `use` item brings in (`use a::{B, C}` gives `B`, `C`; globs nothing).
fn use_leaves(tree: &syn::UseTree, out: &mut Vec<String>) {
    match tree {
        syn::UseTree::Path(path) => use_leaves(&path.tree, out),
        syn::UseTree::Name(name) => out.push(name.ident.to_string()),
        syn::UseTree::Rename(rename) => out.push(rename.rename.to_string()),
        syn::UseTree::Glob(_) => {}
        syn::UseTree::Group(group) => group.items.iter().for_each(|item| use_leaves(item, out)),
    }
}

/// The `use` leaves and the names of the items `source` defines at its top level.
fn names_in(source: &str) -> (Vec<String>, Vec<String>) {
    let file = syn::parse_file(source).expect("emitted code parses");
    let mut imported = Vec::new();
    let mut defined = Vec::new();
    for item in &file.items {
        match item {
            syn::Item::Use(item) => use_leaves(&item.tree, &mut imported),
            syn::Item::Struct(item) => defined.push(item.ident.to_string()),
            syn::Item::Enum(item) => defined.push(item.ident.to_string()),
            syn::Item::Fn(item) => defined.push(item.sig.ident.to_string()),
            syn::Item::Const(item) => defined.push(item.ident.to_string()),
            syn::Item::Type(item) => defined.push(item.ident.to_string()),
            _ => {}
        }
    }
    (imported, defined)
}

#[test]
fn emitted_names_are_the_reserved_ones_or_the_specs_own() {
    let mut checked = 0;
    for entry in std::fs::read_dir(fixtures("ok")).expect("fixtures") {
        let spec = entry.expect("an entry").path();
        if spec.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let loaded = generator::load::load(&spec).expect("the fixture loads");
        let api = generator::lower::lower(&loaded).expect("the fixture lowers");
        let files = generator::generate_from_ir(&api, &fixture_settings(&spec)).expect("generates");
        let file = |path: &str| &files.iter().find(|f| f.path == path).expect(path).contents;
        let models: BTreeSet<String> = api.models.iter().map(|m| m.rust_name.clone()).collect();
        let mut operation_items: BTreeSet<String> = BTreeSet::new();
        for op in &api.operations {
            operation_items.insert(op.decode_fn.clone());
            operation_items.insert(op.error_enum.clone());
            operation_items.extend(op.success_enum.clone());
            operation_items.extend(op.body.as_ref().and_then(|b| b.choice.clone()));
        }

        let (imported, defined) = names_in(file("src/client.rs"));
        let allowed_imports: BTreeSet<&str> = generated::CLIENT_IMPORTS
            .iter()
            .map(|(name, _)| *name)
            .collect();
        for name in &imported {
            assert!(
                allowed_imports.contains(name.as_str())
                    || api.client_models.iter().any(|(model, _)| model == name),
                "{}: client.rs imports `{name}`, which names.rs does not reserve",
                spec.display()
            );
        }
        for name in &defined {
            let reserved = generated::CLIENT_TYPES.contains(&name.as_str())
                || generated::CLIENT_CONSTANTS.contains(&name.as_str())
                || generated::CLIENT_FUNCTIONS.contains(&name.as_str());
            assert!(
                reserved || operation_items.contains(name),
                "{}: client.rs defines `{name}`, neither reserved nor claimed for an operation",
                spec.display()
            );
        }
        // Every type the client module defines for operations is claimed in the type
        // namespace too: no model has its name.
        for name in operation_items
            .iter()
            .filter(|n| n.starts_with(char::is_uppercase))
        {
            assert!(
                !models.contains(name),
                "{}: `{name}` is a model and an operation's type",
                spec.display()
            );
        }

        let models_rs = files.iter().find(|f| f.path == "src/models.rs");
        let (imported, _) = models_rs.map(|f| names_in(&f.contents)).unwrap_or_default();
        for name in &imported {
            assert!(
                generated::MODEL_IMPORTS.contains(&name.as_str()),
                "{}: models.rs imports `{name}`, which names.rs does not reserve",
                spec.display()
            );
        }

        let (exported, _) = names_in(file("src/lib.rs"));
        for name in &exported {
            assert!(
                generated::ROOT_EXPORTS.contains(&name.as_str()),
                "{}: lib.rs re-exports `{name}`, which names.rs does not reserve",
                spec.display()
            );
            assert!(
                !models.contains(name),
                "{}: a model is named `{name}`",
                spec.display()
            );
        }
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} fixtures were checked");
}
