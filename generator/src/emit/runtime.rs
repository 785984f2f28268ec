//! The runtime modules a crate carries: the sources of `generator/runtime`, where they
//! compile and are tested as a crate, with only the items whose `cfg(feature = ...)`
//! gates name a piece the crate needs (lowering chose the pieces). The gates themselves
//! and the sources' tests (`cfg(test)`) are dropped.

use std::collections::BTreeSet;

use syn::visit_mut::VisitMut;

use crate::ir::Piece;

/// A runtime module: its path in the generated crate, its source, and the pieces any one
/// of which makes a crate carry it.
struct Source {
    path: &'static str,
    text: &'static str,
    needed_by: &'static [Piece],
}

/// Modules every crate carries have no pieces listed.
const SOURCES: &[Source] = &[
    Source {
        path: "src/error.rs",
        text: include_str!("../../runtime/src/error.rs"),
        needed_by: &[],
    },
    Source {
        path: "src/response.rs",
        text: include_str!("../../runtime/src/response.rs"),
        needed_by: &[],
    },
    Source {
        path: "src/transport.rs",
        text: include_str!("../../runtime/src/transport.rs"),
        needed_by: &[],
    },
    Source {
        path: "src/nullable.rs",
        text: include_str!("../../runtime/src/nullable.rs"),
        needed_by: &[Piece::Nullable],
    },
    Source {
        path: "src/form.rs",
        text: include_str!("../../runtime/src/form.rs"),
        needed_by: &[Piece::Form],
    },
    Source {
        path: "src/multipart.rs",
        text: include_str!("../../runtime/src/multipart.rs"),
        needed_by: &[Piece::Multipart, Piece::Files],
    },
    Source {
        path: "src/base64.rs",
        text: include_str!("../../runtime/src/base64.rs"),
        needed_by: &[Piece::Base64, Piece::BasicAuth],
    },
    Source {
        path: "src/params.rs",
        text: include_str!("../../runtime/src/params.rs"),
        needed_by: &[
            Piece::Query,
            Piece::Path,
            Piece::Header,
            Piece::CookieParams,
            Piece::CookieKey,
        ],
    },
    Source {
        path: "src/credentials.rs",
        text: include_str!("../../runtime/src/credentials.rs"),
        needed_by: &[Piece::Credentials],
    },
    Source {
        path: "src/stream.rs",
        text: include_str!("../../runtime/src/stream.rs"),
        needed_by: &[Piece::Stream],
    },
    Source {
        path: "src/upgrade.rs",
        text: include_str!("../../runtime/src/upgrade.rs"),
        needed_by: &[Piece::Upgrade],
    },
];

/// The module name of a runtime file (`src/error.rs` is `error`).
pub fn module_name(path: &str) -> &str {
    path.trim_start_matches("src/").trim_end_matches(".rs")
}

/// The runtime modules `pieces` call for, each with the items they need, as syntax trees.
pub fn modules(pieces: &BTreeSet<Piece>) -> Vec<(&'static str, syn::File)> {
    let features: BTreeSet<&str> = pieces.iter().map(|piece| piece.feature()).collect();
    SOURCES
        .iter()
        .filter(|source| {
            source.needed_by.is_empty() || source.needed_by.iter().any(|p| pieces.contains(p))
        })
        .map(|source| {
            // The sources are this crate's own and compile as a crate: they always parse.
            let mut file = syn::parse_file(source.text).unwrap_or_else(|_| syn::File {
                shebang: None,
                attrs: Vec::new(),
                items: Vec::new(),
            });
            Gates {
                features: &features,
            }
            .visit_file_mut(&mut file);
            (source.path, file)
        })
        .collect()
}

/// The paths of the runtime modules `pieces` call for, for `lib.rs`.
pub fn module_paths(pieces: &BTreeSet<Piece>) -> Vec<&'static str> {
    SOURCES
        .iter()
        .filter(|source| {
            source.needed_by.is_empty() || source.needed_by.iter().any(|p| pieces.contains(p))
        })
        .map(|source| source.path)
        .collect()
}

/// Removes what the gates exclude, and the gates.
struct Gates<'f> {
    features: &'f BTreeSet<&'f str>,
}

impl Gates<'_> {
    /// Whether every `cfg` on a node holds; `cfg_attr`s are resolved in place.
    fn keep(&self, attrs: &mut Vec<syn::Attribute>) -> bool {
        let mut keep = true;
        let mut resolved = Vec::with_capacity(attrs.len());
        for attr in attrs.drain(..) {
            if attr.path().is_ident("cfg") {
                match attr.parse_args::<syn::Meta>() {
                    Ok(predicate) => keep &= self.holds(&predicate),
                    Err(_) => keep = false,
                }
            } else if attr.path().is_ident("cfg_attr") {
                let parsed = attr.parse_args_with(
                    syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
                );
                if let Ok(list) = parsed {
                    let mut list = list.into_iter();
                    if let Some(predicate) = list.next() {
                        if self.holds(&predicate) {
                            for meta in list {
                                resolved.push(syn::parse_quote!(#[#meta]));
                            }
                        }
                    }
                }
            } else {
                resolved.push(attr);
            }
        }
        *attrs = resolved;
        keep
    }

    fn holds(&self, predicate: &syn::Meta) -> bool {
        match predicate {
            syn::Meta::NameValue(pair) if pair.path.is_ident("feature") => match &pair.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(name),
                    ..
                }) => self.features.contains(name.value().as_str()),
                _ => false,
            },
            syn::Meta::List(list) => {
                let inner = list
                    .parse_args_with(
                        syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
                    )
                    .map(|inner| inner.into_iter().collect::<Vec<_>>())
                    .unwrap_or_default();
                if list.path.is_ident("any") {
                    inner.iter().any(|p| self.holds(p))
                } else if list.path.is_ident("all") {
                    inner.iter().all(|p| self.holds(p))
                } else if list.path.is_ident("not") {
                    !inner.iter().any(|p| self.holds(p))
                } else {
                    false
                }
            }
            // `test`, `doc` and the rest are never set in a generated crate's build.
            _ => false,
        }
    }
}

impl VisitMut for Gates<'_> {
    fn visit_file_mut(&mut self, file: &mut syn::File) {
        file.items.retain_mut(|item| self.keep_item(item));
        syn::visit_mut::visit_file_mut(self, file);
    }

    fn visit_item_mod_mut(&mut self, module: &mut syn::ItemMod) {
        if let Some((_, items)) = &mut module.content {
            items.retain_mut(|item| self.keep_item(item));
        }
        syn::visit_mut::visit_item_mod_mut(self, module);
    }

    fn visit_item_impl_mut(&mut self, item: &mut syn::ItemImpl) {
        item.items.retain_mut(|member| match member {
            syn::ImplItem::Fn(function) => self.keep(&mut function.attrs),
            syn::ImplItem::Const(constant) => self.keep(&mut constant.attrs),
            syn::ImplItem::Type(alias) => self.keep(&mut alias.attrs),
            _ => true,
        });
        syn::visit_mut::visit_item_impl_mut(self, item);
    }

    fn visit_item_enum_mut(&mut self, item: &mut syn::ItemEnum) {
        let variants = std::mem::take(&mut item.variants);
        item.variants = variants
            .into_iter()
            .filter_map(|mut variant| self.keep(&mut variant.attrs).then_some(variant))
            .collect();
        syn::visit_mut::visit_item_enum_mut(self, item);
    }

    fn visit_fields_named_mut(&mut self, fields: &mut syn::FieldsNamed) {
        let named = std::mem::take(&mut fields.named);
        fields.named = named
            .into_iter()
            .filter_map(|mut field| self.keep(&mut field.attrs).then_some(field))
            .collect();
        syn::visit_mut::visit_fields_named_mut(self, fields);
    }

    fn visit_expr_match_mut(&mut self, expr: &mut syn::ExprMatch) {
        expr.arms.retain_mut(|arm| self.keep(&mut arm.attrs));
        syn::visit_mut::visit_expr_match_mut(self, expr);
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        block.stmts.retain_mut(|statement| match statement {
            syn::Stmt::Item(item) => self.keep_item(item),
            syn::Stmt::Local(local) => self.keep(&mut local.attrs),
            syn::Stmt::Expr(_, _) | syn::Stmt::Macro(_) => true,
        });
        syn::visit_mut::visit_block_mut(self, block);
    }
}

impl Gates<'_> {
    /// Whether an item stays (items without attributes, such as verbatim ones, do).
    fn keep_item(&self, item: &mut syn::Item) -> bool {
        use syn::Item;
        let attrs = match item {
            Item::Const(i) => &mut i.attrs,
            Item::Enum(i) => &mut i.attrs,
            Item::ExternCrate(i) => &mut i.attrs,
            Item::Fn(i) => &mut i.attrs,
            Item::ForeignMod(i) => &mut i.attrs,
            Item::Impl(i) => &mut i.attrs,
            Item::Macro(i) => &mut i.attrs,
            Item::Mod(i) => &mut i.attrs,
            Item::Static(i) => &mut i.attrs,
            Item::Struct(i) => &mut i.attrs,
            Item::Trait(i) => &mut i.attrs,
            Item::TraitAlias(i) => &mut i.attrs,
            Item::Type(i) => &mut i.attrs,
            Item::Union(i) => &mut i.attrs,
            Item::Use(i) => &mut i.attrs,
            _ => return true,
        };
        self.keep(attrs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gated(source: &str, features: &[&str]) -> String {
        let features: BTreeSet<&str> = features.iter().copied().collect();
        let mut file = syn::parse_file(source).unwrap();
        Gates {
            features: &features,
        }
        .visit_file_mut(&mut file);
        prettyplease::unparse(&file)
    }

    #[test]
    fn gates_keep_what_the_features_name_and_disappear() {
        let source = r#"
            #[cfg(feature = "a")] fn a() {}
            #[cfg(feature = "b")] fn b() {}
            #[cfg(any(feature = "a", feature = "b"))] fn either() {}
            #[cfg(all(feature = "a", feature = "b"))] fn both() {}
            #[cfg(not(feature = "b"))] fn not_b() {}
            #[cfg(test)] mod tests {}
            enum E { Kept, #[cfg(feature = "b")] Dropped }
            fn f(x: u8) { match x { #[cfg(feature = "b")] 1 => {} _ => {} } }
            impl E { #[cfg(feature = "a")] fn m() {} #[cfg(feature = "b")] fn n() {} }
            #[cfg_attr(feature = "a", derive(Debug))] struct S { #[cfg(feature = "b")] gone: u8, kept: u8 }
        "#;
        let out = gated(source, &["a"]);
        assert!(out.contains("fn a()") && !out.contains("fn b()"));
        assert!(
            out.contains("fn either()") && !out.contains("fn both()") && out.contains("fn not_b()")
        );
        assert!(!out.contains("mod tests") && !out.contains("Dropped") && out.contains("Kept"));
        assert!(!out.contains("1 =>") && out.contains("fn m()") && !out.contains("fn n()"));
        assert!(out.contains("#[derive(Debug)]") && !out.contains("gone") && out.contains("kept"));
        assert!(!out.contains("cfg"), "no gate is left: {out}");
    }

    #[test]
    fn every_runtime_source_parses() {
        for source in SOURCES {
            assert!(
                syn::parse_file(source.text).is_ok(),
                "{} does not parse",
                source.path
            );
        }
    }
}
