//! The runtime modules a crate carries: the sources of `generator/runtime`, where they
//! compile and are tested as a crate, with only the items whose `cfg(feature = ...)`
//! gates name a piece the crate needs (lowering chose the pieces). The gates themselves
//! and the sources' tests (`cfg(test)`) are dropped.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;
use syn::visit_mut::VisitMut;

use crate::ir::{Gate, Piece, Runtime};

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
        path: "src/options.rs",
        text: include_str!("../../runtime/src/options.rs"),
        needed_by: &[],
    },
    Source {
        path: "src/paginate.rs",
        text: include_str!("../../runtime/src/paginate.rs"),
        needed_by: &[Piece::Pagination],
    },
    Source {
        path: "src/signatures.rs",
        text: include_str!("../../runtime/src/signatures.rs"),
        needed_by: &[Piece::WebhookSignatures],
    },
    Source {
        path: "src/oauth.rs",
        text: include_str!("../../runtime/src/oauth.rs"),
        needed_by: &[Piece::Oauth],
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
        needed_by: &[Piece::Base64, Piece::BasicAuth, Piece::WebhookSignatures],
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

/// A runtime module: its path, a key naming its contents, and its syntax tree, built on
/// demand.
pub type Module = (&'static str, String, Box<dyn FnOnce() -> syn::File>);

/// The runtime modules the crate calls for, each with the items it needs; an item that
/// only some tag features need is gated on them.
pub fn modules(runtime: &Runtime) -> Vec<Module> {
    let pieces: BTreeMap<&'static str, Gate> = runtime
        .pieces
        .iter()
        .map(|piece| (piece.feature(), runtime.gate(*piece)))
        .collect();
    SOURCES
        .iter()
        .filter(|source| carried(source, &runtime.pieces))
        .map(|source| {
            // What the module holds depends only on the gates of the pieces it names.
            let named: BTreeMap<&'static str, Gate> = pieces
                .iter()
                .filter(|(feature, _)| source.text.contains(&format!("\"{feature}\"")))
                .map(|(feature, gate)| (*feature, gate.clone()))
                .collect();
            let key = format!("{}{named:?}", source.path);
            let build = move || {
                let mut file = parsed(source);
                Gates { pieces: &named }.visit_file_mut(&mut file);
                file
            };
            (
                source.path,
                key,
                Box::new(build) as Box<dyn FnOnce() -> syn::File>,
            )
        })
        .collect()
}

/// The source's syntax tree, parsed once per thread: every crate of a corpus carries some
/// of the same modules.
fn parsed(source: &Source) -> syn::File {
    thread_local! {
        static PARSED: std::cell::RefCell<BTreeMap<&'static str, syn::File>> = Default::default();
    }
    PARSED.with(|parsed| {
        parsed
            .borrow_mut()
            .entry(source.path)
            .or_insert_with(|| {
                // The sources are this crate's own and compile as a crate: they always parse.
                syn::parse_file(source.text).unwrap_or_else(|_| syn::File {
                    shebang: None,
                    attrs: Vec::new(),
                    items: Vec::new(),
                })
            })
            .clone()
    })
}

fn carried(source: &Source, pieces: &BTreeSet<Piece>) -> bool {
    source.needed_by.is_empty() || source.needed_by.iter().any(|p| pieces.contains(p))
}

/// The runtime modules the crate calls for, each with the gate of the pieces that need it,
/// for `lib.rs`.
pub fn module_paths(runtime: &Runtime) -> Vec<(&'static str, Gate)> {
    SOURCES
        .iter()
        .filter(|source| carried(source, &runtime.pieces))
        .map(|source| {
            let gates: Vec<Gate> = source
                .needed_by
                .iter()
                .filter(|piece| runtime.has(**piece))
                .map(|piece| runtime.gate(*piece))
                .collect();
            (source.path, Gate::any(&gates))
        })
        .collect()
}

/// `source` with only the `features` on: the same rewriting, where every feature is either
/// on (always) or off.
pub fn compiled_under(source: &str, features: &[&str]) -> Option<String> {
    let pieces: BTreeMap<&str, Gate> = features.iter().map(|f| (*f, Gate::always())).collect();
    let mut file = syn::parse_file(source).ok()?;
    Gates { pieces: &pieces }.visit_file_mut(&mut file);
    Some(prettyplease::unparse(&file))
}

/// Rewrites the runtime sources' `cfg`s on pieces into the crate's: a piece the crate
/// always needs holds, one it does not need fails, one that some tag features need becomes
/// those features. Constant gates disappear, with the items they exclude.
struct Gates<'p> {
    /// The feature name of every piece the crate carries, with its gate.
    pieces: &'p BTreeMap<&'p str, Gate>,
}

/// A `cfg` predicate after rewriting.
enum Condition {
    True,
    False,
    Features(TokenStream),
}

impl Gates<'_> {
    /// Whether every `cfg` on a node can hold; `cfg_attr`s are resolved or rewritten in
    /// place, and `cfg`s that depend on the tag features stay, rewritten.
    fn keep(&self, attrs: &mut Vec<syn::Attribute>) -> bool {
        let mut keep = true;
        let mut resolved = Vec::with_capacity(attrs.len());
        for attr in attrs.drain(..) {
            if attr.path().is_ident("cfg") {
                match attr.parse_args::<syn::Meta>().map(|p| self.condition(&p)) {
                    Ok(Condition::True) => {}
                    Ok(Condition::Features(condition)) => {
                        resolved.push(syn::parse_quote!(#[cfg(#condition)]))
                    }
                    Ok(Condition::False) | Err(_) => keep = false,
                }
            } else if attr.path().is_ident("cfg_attr") {
                let parsed = attr.parse_args_with(
                    syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
                );
                if let Ok(list) = parsed {
                    let mut list = list.into_iter();
                    if let Some(predicate) = list.next() {
                        let metas: Vec<syn::Meta> = list.collect();
                        match self.condition(&predicate) {
                            Condition::True => resolved
                                .extend(metas.iter().map(|meta| syn::parse_quote!(#[#meta]))),
                            Condition::Features(condition) => resolved
                                .push(syn::parse_quote!(#[cfg_attr(#condition, #(#metas),*)])),
                            Condition::False => {}
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

    fn condition(&self, predicate: &syn::Meta) -> Condition {
        match predicate {
            syn::Meta::NameValue(pair) if pair.path.is_ident("feature") => match &pair.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(name),
                    ..
                }) => match self.pieces.get(name.value().as_str()) {
                    None => Condition::False,
                    Some(gate) if gate.is_always() => Condition::True,
                    Some(gate) => Condition::Features(super::gate_condition(gate)),
                },
                _ => Condition::False,
            },
            syn::Meta::List(list) => {
                let inner: Vec<Condition> = list
                    .parse_args_with(
                        syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
                    )
                    .map(|inner| inner.iter().map(|p| self.condition(p)).collect())
                    .unwrap_or_default();
                if list.path.is_ident("any") {
                    combine(
                        inner,
                        Condition::True,
                        Condition::False,
                        |c| quote!(any(#(#c),*)),
                    )
                } else if list.path.is_ident("all") {
                    combine(
                        inner,
                        Condition::False,
                        Condition::True,
                        |c| quote!(all(#(#c),*)),
                    )
                } else if list.path.is_ident("not") {
                    match inner.into_iter().next() {
                        Some(Condition::True) => Condition::False,
                        Some(Condition::False) | None => Condition::True,
                        Some(Condition::Features(c)) => Condition::Features(quote!(not(#c))),
                    }
                } else {
                    Condition::False
                }
            }
            // `test`, `doc` and the rest are never set in a generated crate's build.
            _ => Condition::False,
        }
    }
}

/// `any` or `all` of conditions: `absorbing` (true for `any`) decides it, `neutral` drops
/// out, and what is left is joined by `join` (or stands alone).
fn combine(
    inner: Vec<Condition>,
    absorbing: Condition,
    neutral: Condition,
    join: impl Fn(&[TokenStream]) -> TokenStream,
) -> Condition {
    let absorbs = |c: &Condition| {
        matches!(
            (c, &absorbing),
            (Condition::True, Condition::True) | (Condition::False, Condition::False)
        )
    };
    if inner.iter().any(absorbs) {
        return absorbing;
    }
    let left: Vec<TokenStream> = inner
        .into_iter()
        .filter_map(|c| match c {
            Condition::Features(c) => Some(c),
            _ => None,
        })
        .collect();
    match left.as_slice() {
        [] => neutral,
        [only] => Condition::Features(only.clone()),
        several => Condition::Features(join(several)),
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

    fn visit_expr_struct_mut(&mut self, expr: &mut syn::ExprStruct) {
        let fields = std::mem::take(&mut expr.fields);
        expr.fields = fields
            .into_iter()
            .filter_map(|mut field| self.keep(&mut field.attrs).then_some(field))
            .collect();
        syn::visit_mut::visit_expr_struct_mut(self, expr);
    }

    fn visit_expr_match_mut(&mut self, expr: &mut syn::ExprMatch) {
        expr.arms.retain_mut(|arm| self.keep(&mut arm.attrs));
        syn::visit_mut::visit_expr_match_mut(self, expr);
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        block.stmts.retain_mut(|statement| match statement {
            syn::Stmt::Item(item) => self.keep_item(item),
            syn::Stmt::Local(local) => self.keep(&mut local.attrs),
            syn::Stmt::Macro(mac) => self.keep(&mut mac.attrs),
            syn::Stmt::Expr(expr, _) => match crate::syntax::expr_attrs(expr) {
                Some(attrs) => self.keep(attrs),
                None => true,
            },
        });
        syn::visit_mut::visit_block_mut(self, block);
    }
}

impl Gates<'_> {
    /// Whether an item stays (items without attributes, such as verbatim ones, do).
    fn keep_item(&self, item: &mut syn::Item) -> bool {
        match crate::syntax::item_attrs(item) {
            Some(attrs) => self.keep(attrs),
            None => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gated(source: &str, features: &[&str]) -> String {
        compiled_under(source, features).expect("Rust")
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
            fn g() { #[cfg(feature = "b")] h(); #[cfg(feature = "b")] if true {} #[cfg(feature = "b")] println!(); k(); }
            fn l() -> S { S { #[cfg(feature = "b")] gone: 1, kept: 2 } }
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
        assert!(!out.contains("h()") && !out.contains("if true") && !out.contains("println"));
        assert!(out.contains("k()"), "{out}");
        assert!(!out.contains("gone: 1") && out.contains("kept: 2"), "{out}");
        assert!(!out.contains("cfg"), "no gate is left: {out}");
    }

    #[test]
    fn gates_on_pieces_that_some_tag_features_need_become_those_features() {
        let mut pieces = BTreeMap::new();
        pieces.insert("a", Gate::always());
        let tags = Gate {
            features: vec!["x".to_string(), "y".to_string()],
        };
        pieces.insert("b", tags);
        let source = r#"
            #[cfg(feature = "b")] fn b() {}
            #[cfg(any(feature = "a", feature = "b"))] fn either() {}
            #[cfg(all(feature = "a", feature = "b"))] fn both() {}
            #[cfg(feature = "c")] fn c() {}
            #[cfg(not(feature = "b"))] fn not_b() {}
            #[cfg_attr(feature = "b", derive(Debug))] struct S;
        "#;
        let mut file = syn::parse_file(source).unwrap();
        Gates { pieces: &pieces }.visit_file_mut(&mut file);
        let out = prettyplease::unparse(&file).replace('\n', " ");
        let tagged = r#"any(feature = "x", feature = "y")"#;
        assert!(out.contains(&format!("#[cfg({tagged})] fn b()")), "{out}");
        assert!(
            out.contains("fn either()") && !out.contains("] fn either()"),
            "always: {out}"
        );
        assert!(
            out.contains(&format!("#[cfg({tagged})] fn both()")),
            "{out}"
        );
        assert!(!out.contains("fn c()"), "{out}");
        assert!(
            out.contains(&format!("#[cfg(not({tagged}))] fn not_b()")),
            "{out}"
        );
        assert!(
            out.contains(&format!("#[cfg_attr({tagged}, derive(Debug))]")),
            "{out}"
        );
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
