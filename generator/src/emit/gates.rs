//! A crate's features applied to Rust source text: a node whose `cfg` cannot hold is cut
//! out, a `cfg` that always holds disappears, and one that some tag features decide is
//! rewritten to name them. The text is edited rather than parsed and printed again, so
//! the source's comments and layout survive and a crate costs a few string copies; the
//! syntax tree is read once per source, to find where its gates are.

use std::collections::BTreeMap;
use std::ops::Range;

use syn::spanned::Spanned;
use syn::visit::Visit;

use crate::ir::Gate;

/// Where the gates of one source are.
#[derive(Debug)]
pub struct Layout {
    /// The gated nodes in the order they start; a node inside another comes after it.
    nodes: Vec<Gated>,
}

/// A node with at least one `cfg` or `cfg_attr`.
#[derive(Debug)]
struct Gated {
    /// The node's text, attributes and doc comments included, widened to whole lines
    /// (and its trailing comma) where it stands on lines of its own.
    text: Range<usize>,
    attrs: Vec<GateAttr>,
}

#[derive(Debug)]
struct GateAttr {
    /// The attribute's text, widened to whole lines where it stands on lines of its own.
    text: Range<usize>,
    /// The indentation of the line the attribute starts on; `None` when something else
    /// shares its lines, where a replacement stays on the line.
    indent: Option<usize>,
    kind: AttrKind,
}

#[derive(Debug)]
enum AttrKind {
    Cfg(Predicate),
    /// The predicate and each attribute it would apply.
    CfgAttr(Predicate, Vec<Applied>),
}

/// An attribute inside a `cfg_attr`.
#[derive(Debug)]
enum Applied {
    /// `doc = "..."`: its text, written as `///` lines when the gate always holds.
    Doc { text: String, source: String },
    /// Any other, as written.
    Other(String),
}

impl Applied {
    fn source(&self) -> &str {
        match self {
            Applied::Doc { source, .. } | Applied::Other(source) => source,
        }
    }
}

/// A `cfg` predicate as written.
#[derive(Debug)]
enum Predicate {
    Feature(String),
    Any(Vec<Predicate>),
    All(Vec<Predicate>),
    Not(Box<Predicate>),
    /// `test`, `doc` and the rest, which a generated crate's build never sets.
    Unset,
}

/// A predicate under a crate's features.
enum Condition {
    True,
    False,
    /// The predicate on the tag features, as `cfg` text.
    Features(String),
}

impl Layout {
    /// Finds the gates of `source`; `Err` says what is not Rust, or which `cfg` sits on a
    /// kind of node this does not know how to cut out.
    pub fn of(source: &str) -> Result<Layout, String> {
        let file = syn::parse_file(source).map_err(|err| format!("not Rust: {err}"))?;
        let mut collect = Collect {
            source,
            nodes: Vec::new(),
            gates_seen: 0,
            problem: None,
        };
        collect.visit_file(&file);
        if let Some(problem) = collect.problem {
            return Err(problem);
        }
        let placed: usize = collect.nodes.iter().map(|node| node.attrs.len()).sum();
        if placed != collect.gates_seen {
            return Err(format!(
                "{} of {} `cfg` attributes sit on nodes that cannot be cut out alone \
                 (an item, impl member, variant, field, match arm or statement can)",
                collect.gates_seen - placed,
                collect.gates_seen
            ));
        }
        let mut nodes = collect.nodes;
        nodes.sort_by_key(|node| node.text.start);
        Ok(Layout { nodes })
    }

    /// `source` (the text this layout was found in) under `features`: each feature name
    /// with its gate, always for one that is on; a name not in `features` is off.
    pub fn apply(&self, source: &str, features: &BTreeMap<&str, Gate>) -> String {
        let mut out = String::with_capacity(source.len());
        let mut copied = 0;
        for node in &self.nodes {
            if node.text.start < copied {
                continue; // inside a node already cut out
            }
            let conditions: Vec<Condition> = node
                .attrs
                .iter()
                .map(|attr| attr.kind.predicate().under(features))
                .collect();
            let cut = node.attrs.iter().zip(&conditions).any(|(attr, condition)| {
                matches!(attr.kind, AttrKind::Cfg(_)) && matches!(condition, Condition::False)
            });
            if cut {
                let start = comments_above(source, copied, node.text.start);
                out.push_str(&source[copied..start]);
                copied = node.text.end;
                close_seam(&mut out, source, &mut copied);
                continue;
            }
            for (attr, condition) in node.attrs.iter().zip(conditions) {
                out.push_str(&source[copied..attr.text.start]);
                out.push_str(&attr.rewritten(condition));
                copied = attr.text.end;
            }
        }
        out.push_str(&source[copied..]);
        let kept = out.trim_end().len();
        out.truncate(kept);
        out.push('\n');
        out
    }
}

impl AttrKind {
    fn predicate(&self) -> &Predicate {
        match self {
            AttrKind::Cfg(predicate) | AttrKind::CfgAttr(predicate, _) => predicate,
        }
    }
}

/// What stands in a gate's place: an attribute written here, or one of a `cfg_attr`'s.
enum Put<'a> {
    Written(String),
    Applied(&'a Applied),
}

impl GateAttr {
    /// What stands in the attribute's place under `condition` (a node whose `cfg` fails is
    /// cut out before this is asked); nothing for a gate that always holds.
    fn put(&self, condition: Condition) -> Vec<Put<'_>> {
        match (&self.kind, condition) {
            (AttrKind::Cfg(_), Condition::Features(features)) => {
                vec![Put::Written(format!("cfg({features})"))]
            }
            (AttrKind::CfgAttr(_, applied), Condition::True) => {
                applied.iter().map(Put::Applied).collect()
            }
            (AttrKind::CfgAttr(_, applied), Condition::Features(features)) => {
                let applied: Vec<&str> = applied.iter().map(Applied::source).collect();
                vec![Put::Written(format!(
                    "cfg_attr({features}, {})",
                    applied.join(", ")
                ))]
            }
            (AttrKind::Cfg(_) | AttrKind::CfgAttr(..), _) => Vec::new(),
        }
    }

    /// The text that replaces the attribute: on lines of its own, at its indentation, with
    /// an applied doc as `///` lines; on the line it shares with other code otherwise.
    fn rewritten(&self, condition: Condition) -> String {
        let put = self.put(condition);
        let Some(indent) = self.indent.map(|width| " ".repeat(width)) else {
            return put
                .iter()
                .map(|put| match put {
                    Put::Written(inner) => format!("#[{inner}] "),
                    Put::Applied(applied) => format!("#[{}] ", applied.source()),
                })
                .collect();
        };
        let line = |inner: &str| {
            let one = format!("{indent}#[{inner}]\n");
            if one.len() <= 101 {
                return one;
            }
            wrapped(&indent, inner)
        };
        put.iter()
            .map(|put| match put {
                Put::Written(inner) | Put::Applied(Applied::Other(inner)) => line(inner),
                Put::Applied(Applied::Doc { text, .. }) => text
                    .lines()
                    .map(|doc| match doc {
                        "" => format!("{indent}///\n"),
                        doc => format!("{indent}/// {doc}\n"),
                    })
                    .collect(),
            })
            .collect()
    }
}

/// `#[inner]` too long for one line, broken as rustfmt breaks it: the arguments of the
/// first list with more than one, one to a line, the lists around it left on the first
/// line (`#[cfg(not(any(`).
fn wrapped(indent: &str, inner: &str) -> String {
    let list = |text: &str| -> Option<(String, String)> {
        let (head, rest) = text.split_once('(')?;
        Some((head.to_string(), rest.strip_suffix(')')?.to_string()))
    };
    let mut opening = String::new();
    let mut current = inner.to_string();
    let args = loop {
        let Some((head, args)) = list(&current) else {
            return format!("{indent}#[{inner}]\n");
        };
        opening.push_str(&head);
        opening.push('(');
        let split = top_level_args(&args);
        match split.as_slice() {
            [only] if list(only).is_some() => current = only.to_string(),
            _ => break split.into_iter().map(str::to_string).collect::<Vec<_>>(),
        }
    };
    let closing = ")".repeat(opening.matches('(').count());
    let mut out = format!("{indent}#[{opening}\n");
    for (index, arg) in args.iter().enumerate() {
        let comma = if index + 1 < args.len() { "," } else { "" };
        out.push_str(&format!("{indent}    {arg}{comma}\n"));
    }
    out.push_str(&format!("{indent}{closing}]\n"));
    out
}

/// The comma-separated arguments of a list, split where no bracket or string is open.
fn top_level_args(list: &str) -> Vec<&str> {
    let mut args = Vec::new();
    let (mut depth, mut quoted, mut start) = (0usize, false, 0);
    for (at, ch) in list.char_indices() {
        match ch {
            '"' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth = depth.saturating_sub(1),
            ',' if !quoted && depth == 0 => {
                args.push(list[start..at].trim());
                start = at + 1;
            }
            _ => {}
        }
    }
    args.push(list[start..].trim());
    args
}

impl Predicate {
    fn of(meta: &syn::Meta) -> Predicate {
        match meta {
            syn::Meta::NameValue(pair) if pair.path.is_ident("feature") => match &pair.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(name),
                    ..
                }) => Predicate::Feature(name.value()),
                _ => Predicate::Unset,
            },
            syn::Meta::List(list) => {
                let inner: Vec<Predicate> = list
                    .parse_args_with(
                        syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
                    )
                    .map(|inner| inner.iter().map(Predicate::of).collect())
                    .unwrap_or_default();
                if list.path.is_ident("any") {
                    Predicate::Any(inner)
                } else if list.path.is_ident("all") {
                    Predicate::All(inner)
                } else if list.path.is_ident("not") {
                    match inner.into_iter().next() {
                        Some(only) => Predicate::Not(Box::new(only)),
                        None => Predicate::Unset,
                    }
                } else {
                    Predicate::Unset
                }
            }
            _ => Predicate::Unset,
        }
    }

    fn under(&self, features: &BTreeMap<&str, Gate>) -> Condition {
        match self {
            Predicate::Feature(name) => match features.get(name.as_str()) {
                None => Condition::False,
                Some(gate) if gate.is_always() => Condition::True,
                Some(gate) => Condition::Features(condition_text(gate)),
            },
            Predicate::Any(inner) => combine(inner, features, true, "any"),
            Predicate::All(inner) => combine(inner, features, false, "all"),
            Predicate::Not(inner) => match inner.under(features) {
                Condition::True => Condition::False,
                Condition::False => Condition::True,
                Condition::Features(text) => Condition::Features(format!("not({text})")),
            },
            Predicate::Unset => Condition::False,
        }
    }
}

/// `any` (`absorbing_true`) or `all` of predicates: a condition equal to the absorbing one
/// decides it, the neutral one drops out, and what is left is joined (or stands alone).
fn combine(
    inner: &[Predicate],
    features: &BTreeMap<&str, Gate>,
    absorbing_true: bool,
    join: &str,
) -> Condition {
    let mut left = Vec::new();
    for predicate in inner {
        match predicate.under(features) {
            Condition::True if absorbing_true => return Condition::True,
            Condition::False if !absorbing_true => return Condition::False,
            Condition::Features(text) => left.push(text),
            Condition::True | Condition::False => {}
        }
    }
    match left.as_slice() {
        [] if absorbing_true => Condition::False,
        [] => Condition::True,
        [only] => Condition::Features(only.clone()),
        several => Condition::Features(format!("{join}({})", several.join(", "))),
    }
}

/// The `cfg` text of a gate on tag features, as `super::gate_condition` writes it in tokens.
fn condition_text(gate: &Gate) -> String {
    let feature = |name: &String| format!("feature = \"{name}\"");
    match gate.features.as_slice() {
        [only] => feature(only),
        several => format!(
            "any({})",
            several.iter().map(feature).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// Where the line that `at` is on starts.
fn line_start(source: &str, at: usize) -> usize {
    source[..at].rfind('\n').map_or(0, |newline| newline + 1)
}

/// Where a cut starting at `start` begins once the `//` comment lines right above the node
/// (about it, so they go with it) are taken in; never before `floor`.
fn comments_above(source: &str, floor: usize, start: usize) -> usize {
    let mut start = start;
    while start > floor && source.as_bytes()[start - 1] == b'\n' {
        let line_start = line_start(source, start - 1);
        let line = source[line_start..start].trim();
        let about_the_node =
            line.starts_with("//") && !line.starts_with("///") && !line.starts_with("//!");
        if line_start < floor || !about_the_node {
            break;
        }
        start = line_start;
    }
    start
}

/// After a cut, drops the blank line the cut leaves doubled, or left at the opening or
/// closing of a block.
fn close_seam(out: &mut String, source: &str, copied: &mut usize) {
    let rest = &source[*copied..];
    let blank_next = rest.starts_with('\n');
    let blank_before = out.ends_with("\n\n") || out.is_empty();
    let opens_before = out.trim_end().ends_with(['{', '(', '[']);
    let closes_next = rest.trim_start().starts_with(['}', ')', ']']);
    if blank_next && (blank_before || opens_before) {
        *copied += 1;
    } else if blank_before && closes_next {
        out.pop();
    }
}

/// Walks the nodes a gate may sit on and records each one that has gates.
struct Collect<'s> {
    source: &'s str,
    nodes: Vec<Gated>,
    /// Every `cfg` and `cfg_attr` in the file, to check that none sat elsewhere.
    gates_seen: usize,
    problem: Option<String>,
}

fn is_gate(attr: &syn::Attribute) -> bool {
    attr.path().is_ident("cfg") || attr.path().is_ident("cfg_attr")
}

impl Collect<'_> {
    /// Records `node` when its leading attributes include gates; `separated` is true for
    /// nodes of a comma-separated list, whose comma goes with them.
    fn node(&mut self, node: &impl quote::ToTokens, separated: bool) {
        let tokens = node.to_token_stream();
        let Ok(attrs) = syn::parse::Parser::parse2(
            |input: syn::parse::ParseStream| {
                let attrs = syn::Attribute::parse_outer(input)?;
                input.parse::<proc_macro2::TokenStream>()?;
                Ok(attrs)
            },
            tokens,
        ) else {
            return;
        };
        if !attrs.iter().any(is_gate) {
            return;
        }
        let gates: Vec<GateAttr> = attrs
            .iter()
            .filter(|attr| is_gate(attr))
            .filter_map(|attr| self.gate_attr(attr))
            .collect();
        let text = self.lines(node.span().byte_range(), separated);
        if self.source.get(text.clone()).is_none() || gates.iter().any(|g| g.text.end > text.end) {
            self.problem = Some(format!(
                "a gated node at bytes {text:?} has no place in the source"
            ));
            return;
        }
        self.nodes.push(Gated { text, attrs: gates });
    }

    fn gate_attr(&self, attr: &syn::Attribute) -> Option<GateAttr> {
        let kind = if attr.path().is_ident("cfg") {
            AttrKind::Cfg(Predicate::of(&attr.parse_args::<syn::Meta>().ok()?))
        } else {
            let list = attr
                .parse_args_with(
                    syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
                )
                .ok()?;
            let mut list = list.iter();
            let predicate = Predicate::of(list.next()?);
            let applied = list
                .map(|meta| {
                    let source = self.source.get(meta.span().byte_range())?.to_string();
                    Some(match meta {
                        syn::Meta::NameValue(syn::MetaNameValue {
                            path,
                            value:
                                syn::Expr::Lit(syn::ExprLit {
                                    lit: syn::Lit::Str(text),
                                    ..
                                }),
                            ..
                        }) if path.is_ident("doc") => Applied::Doc {
                            text: text.value(),
                            source,
                        },
                        _ => Applied::Other(source),
                    })
                })
                .collect::<Option<Vec<_>>>()?;
            AttrKind::CfgAttr(predicate, applied)
        };
        let range = attr.span().byte_range();
        let line_start = line_start(self.source, range.start);
        let text = self.lines(range.clone(), false);
        let own_lines = text.end > range.end && self.source[..text.end].ends_with('\n');
        Some(GateAttr {
            indent: own_lines.then(|| {
                self.source[line_start..range.start]
                    .chars()
                    .take_while(|ch| *ch == ' ')
                    .count()
            }),
            text,
            kind,
        })
    }

    /// `range` widened to whole lines, with the comma after it when `separated`, where
    /// nothing else shares those lines; otherwise with the comma and the spaces after it.
    fn lines(&self, range: Range<usize>, separated: bool) -> Range<usize> {
        let source = self.source;
        if source.get(range.clone()).is_none() {
            return range;
        }
        let line_start = line_start(source, range.start);
        let mut end = range.end;
        if separated && source[end..].starts_with(',') {
            end += 1;
        }
        let line_end = source[end..]
            .find('\n')
            .map_or(source.len(), |at| end + at + 1);
        let alone = source[line_start..range.start].trim().is_empty()
            && source[end..line_end].trim().is_empty();
        if alone {
            line_start..line_end
        } else {
            // The spaces after it go with it: a replacement brings its own.
            range.start..end + source[end..].len() - source[end..].trim_start_matches(' ').len()
        }
    }
}

impl<'ast> Visit<'ast> for Collect<'_> {
    fn visit_attribute(&mut self, attr: &'ast syn::Attribute) {
        if is_gate(attr) {
            self.gates_seen += 1;
        }
    }

    fn visit_item(&mut self, item: &'ast syn::Item) {
        self.node(item, false);
        syn::visit::visit_item(self, item);
    }

    fn visit_impl_item(&mut self, member: &'ast syn::ImplItem) {
        self.node(member, false);
        syn::visit::visit_impl_item(self, member);
    }

    fn visit_variant(&mut self, variant: &'ast syn::Variant) {
        self.node(variant, true);
        syn::visit::visit_variant(self, variant);
    }

    fn visit_field(&mut self, field: &'ast syn::Field) {
        self.node(field, true);
        syn::visit::visit_field(self, field);
    }

    fn visit_field_value(&mut self, field: &'ast syn::FieldValue) {
        self.node(field, true);
        syn::visit::visit_field_value(self, field);
    }

    fn visit_arm(&mut self, arm: &'ast syn::Arm) {
        self.node(arm, true);
        syn::visit::visit_arm(self, arm);
    }

    fn visit_stmt(&mut self, statement: &'ast syn::Stmt) {
        if !matches!(statement, syn::Stmt::Item(_)) {
            self.node(statement, false);
        }
        syn::visit::visit_stmt(self, statement);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn under(source: &str, features: &[(&'static str, Gate)]) -> String {
        let features: BTreeMap<&str, Gate> = features.iter().cloned().collect();
        Layout::of(source).expect("gates").apply(source, &features)
    }

    const SOURCE: &str = r#"//! A module.

use std::fmt;
#[cfg(feature = "b")]
use std::sync::Arc;

#[cfg(feature = "a")]
fn a() {}

// About `b`.
#[cfg(feature = "b")]
fn b() {}

#[cfg(any(feature = "a", feature = "b"))]
fn either() {}

/// Both.
#[cfg(all(feature = "a", feature = "b"))]
fn both() {}

#[cfg(not(feature = "b"))]
fn not_b() {}

enum E {
    Kept,
    #[cfg(feature = "b")]
    Dropped,
}

fn f(x: u8) -> S {
    match x {
        #[cfg(feature = "b")]
        1 => {}
        _ => {}
    }
    #[cfg(feature = "b")]
    h();
    #[cfg(feature = "b")]
    if true {
        k();
    }
    S {
        #[cfg(feature = "b")]
        gone: 1,
        kept: 2,
    }
}

impl E {
    #[cfg(feature = "a")]
    fn m() {}

    #[cfg(feature = "b")]
    fn n() {}
}

#[cfg_attr(feature = "a", derive(Debug))]
#[cfg_attr(
    feature = "a",
    doc = "Said when `a` is on,\n\
           over two lines."
)]
struct S {
    #[cfg(feature = "b")]
    gone: u8,
    kept: u8,
}

#[cfg(test)]
mod tests {
    #[test]
    fn t() {}
}
"#;

    #[test]
    fn gates_that_fail_cut_their_nodes_out_and_gates_that_hold_disappear() {
        let out = under(SOURCE, &[("a", Gate::always())]);
        let expected = r#"//! A module.

use std::fmt;

fn a() {}

fn either() {}

fn not_b() {}

enum E {
    Kept,
}

fn f(x: u8) -> S {
    match x {
        _ => {}
    }
    S {
        kept: 2,
    }
}

impl E {
    fn m() {}
}

#[derive(Debug)]
/// Said when `a` is on,
/// over two lines.
struct S {
    kept: u8,
}
"#;
        assert_eq!(out, expected);
        syn::parse_file(&out).expect("what is left is Rust");
    }

    #[test]
    fn gates_on_pieces_that_some_tag_features_need_become_those_features() {
        let tags = Gate {
            features: vec!["x".to_string(), "y".to_string()],
        };
        let out = under(SOURCE, &[("a", Gate::always()), ("b", tags)]);
        let tagged = r#"any(feature = "x", feature = "y")"#;
        assert!(out.contains(&format!("#[cfg({tagged})]\nfn b()")), "{out}");
        assert!(out.contains("// About `b`.\n#[cfg"), "{out}");
        assert!(out.contains("\nfn either()"), "always: {out}");
        assert!(
            out.contains(&format!("/// Both.\n#[cfg({tagged})]\nfn both()")),
            "{out}"
        );
        assert!(
            out.contains(&format!("#[cfg(not({tagged}))]\nfn not_b()")),
            "{out}"
        );
        assert!(
            out.contains(&format!("    #[cfg({tagged})]\n    Dropped,")),
            "{out}"
        );
        assert!(
            out.contains(
                "#[derive(Debug)]\n/// Said when `a` is on,\n/// over two lines.\nstruct S"
            ),
            "{out}"
        );
        assert!(!out.contains("mod tests"), "{out}");
        let out = under(
            SOURCE,
            &[(
                "a",
                Gate {
                    features: vec!["x".to_string()],
                },
            )],
        );
        assert!(
            out.contains(
                "#[cfg_attr(feature = \"x\", derive(Debug))]\n#[cfg_attr(feature = \"x\", doc = "
            ),
            "{out}"
        );
    }

    #[test]
    fn a_long_gate_is_broken_as_rustfmt_breaks_it() {
        let many = Gate {
            features: (0..12).map(|n| format!("feature-number-{n}")).collect(),
        };
        let out = under(SOURCE, &[("a", Gate::always()), ("b", many)]);
        assert!(
            out.contains("#[cfg(any(\n    feature = \"feature-number-0\",\n"),
            "{out}"
        );
        assert!(
            out.contains("    feature = \"feature-number-11\"\n))]\nfn b()"),
            "{out}"
        );
        assert!(out.lines().all(|line| line.len() <= 100), "{out}");
        syn::parse_file(&out).expect("Rust");
    }

    #[test]
    fn gates_that_share_a_line_with_code_are_applied_on_that_line() {
        let source =
            "struct S { #[cfg(feature = \"a\")] a: u8, #[cfg(feature = \"b\")] b: u8, c: u8 }\n\
                      #[cfg_attr(feature = \"a\", derive(Debug))] struct T;\n";
        let tag = Gate {
            features: vec!["x".to_string()],
        };
        let out = under(source, &[("a", Gate::always()), ("b", tag)]);
        assert_eq!(
            out,
            "struct S { a: u8, #[cfg(feature = \"x\")] b: u8, c: u8 }\n#[derive(Debug)] struct T;\n"
        );
        let out = under(source, &[]);
        assert_eq!(out, "struct S { c: u8 }\nstruct T;\n");
    }

    #[test]
    fn a_gate_on_a_node_that_cannot_be_cut_out_alone_is_an_error() {
        let source = "fn f(#[cfg(feature = \"a\")] x: u8) {}\n";
        let err = Layout::of(source).expect_err("a gated parameter");
        assert!(err.contains("1 of 1 `cfg`"), "{err}");
    }
}
