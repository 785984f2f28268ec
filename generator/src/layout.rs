//! Printing emitted items without parsing most of them. Emitted code repeats a few
//! shapes (a setter, a field with its serde attribute, an enum's `as_str`) that differ in
//! names, strings and docs only. An item's *skeleton* is its tokens with every name made
//! `x` (`xxxxx` when longer than four characters, a length prettyplease tells apart),
//! every string `""` and every doc comment empty; the doc comments in front, which are
//! always prettyplease's first lines, are left out of it. prettyplease prints the
//! skeleton once; that *layout* is kept, and the item's own names, strings and docs are
//! written into it.
//!
//! The result is prettyplease's text whenever every filled line still fits where the
//! layout's line did: a placeholder is never longer than what replaces it, so a line that
//! fits filled fitted empty, and every break prettyplease took for the skeleton it takes
//! for the item. Its one rule that is not about lines fitting (a struct literal wider than
//! 34 columns is never kept on one line) is checked too. An item that fails either check
//! tries a second skeleton whose placeholders are about as wide as what they stand for,
//! then a third whose placeholders are exactly as wide; one that fails all three, or
//! holds a token no placeholder stands for, goes through syn and prettyplease. The tests
//! in `xtask`'s `layout_oracle.rs` hold the two ways to the same text over the project's
//! fixtures and the corpora.
//!
//! Impls, structs, enums, functions and `match` statements are split: the header, and
//! each impl item, field, variant, statement or arm inside one-element wrappers
//! (`impl w { fn w() { .. } }` around a statement of a method), get layouts of their own;
//! so do the attributes in front of an item, field, variant or arm. prettyplease prints
//! each of them on lines of its own at the same indentation, whatever comes before or
//! after, so their skeletons repeat far more often than whole items do. A piece that no
//! layout can print is remembered by its text, since emitted code repeats statements word
//! for word.

use std::cell::RefCell;
use std::fmt::Write as _;
use std::ops::Range;
use std::rc::Rc;
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};

use proc_macro2::{Delimiter, Group, Punct, Spacing, TokenStream, TokenTree};

use crate::memo::Memo;

/// prettyplease's margin, and the least room it leaves after deep indentation.
const MARGIN: usize = 89;
const MIN_SPACE: usize = 60;
/// prettyplease breaks a struct literal wider than this over lines.
const FLAT_STRUCT_LITERAL: usize = 34;
/// Names up to this long are "short" to prettyplease (it lays out `a.b()` differently).
const SHORT_NAME: usize = 4;
/// The widths of a widened skeleton's placeholders.
const WIDTHS: [usize; 11] = [2, 5, 8, 12, 16, 24, 32, 48, 64, 96, 128];

/// The text of `items`, each under the attributes in `gate`, as prettyplease prints them.
/// `Err` when the tokens do not parse, a generator bug.
pub fn print(gate: &TokenStream, items: TokenStream) -> syn::Result<String> {
    let mut skeleton = Skeleton::default();
    let gate_lines = gate_lines(gate, &mut skeleton)?;
    let mut text = String::new();
    for item in split_items(items.into_iter().collect()) {
        text.push_str(&gate_lines);
        print_piece(&Wrapper::default(), item, &mut skeleton, &mut text)?;
    }
    Ok(text)
}

/// [`print`] for one impl block, `header { elements }`, whose elements come one by one
/// (each one or more impl items), each printed before the next is taken.
pub fn print_block(
    gate: &TokenStream,
    header: TokenStream,
    elements: impl Iterator<Item = TokenStream>,
) -> syn::Result<String> {
    let header: Vec<TokenTree> = header.into_iter().collect();
    let mut elements = elements.filter(|element| !element.is_empty()).peekable();
    if !matches!(item_body(&header), Some(Body::Impl)) || elements.peek().is_none() {
        // Not a block whose elements get layouts of their own: printed whole.
        return print(gate, block_item(header, elements));
    }
    let mut skeleton = Skeleton::default();
    let mut text = gate_lines(gate, &mut skeleton)?;
    print_body(
        &Wrapper::default(),
        header,
        Body::Impl,
        elements,
        &mut skeleton,
        &mut text,
    )?;
    Ok(text)
}

/// The item `header { elements }`, as one stream.
pub fn block_item(
    header: impl IntoIterator<Item = TokenTree>,
    elements: impl IntoIterator<Item = TokenStream>,
) -> TokenStream {
    let body = Group::new(Delimiter::Brace, elements.into_iter().collect());
    header.into_iter().chain([TokenTree::Group(body)]).collect()
}

/// The lines of the gate's attributes above an item. prettyplease prints an item's
/// attributes first, each on lines of its own, so they are the same above every item.
fn gate_lines(gate: &TokenStream, skeleton: &mut Skeleton) -> syn::Result<String> {
    let mut lines = String::new();
    if !gate.is_empty() {
        let attrs = gate.clone().into_iter().collect();
        print_attrs(&Wrapper::default(), attrs, skeleton, &mut lines)?;
    }
    Ok(lines)
}

/// What prettyplease alone prints for `items` under `gate`: the reference [`print`] is held
/// to.
pub fn print_plainly(gate: &TokenStream, items: TokenStream) -> syn::Result<String> {
    let mut file: syn::File = syn::parse2(items)?;
    if !gate.is_empty() {
        let gate = syn::parse::Parser::parse2(syn::Attribute::parse_outer, gate.clone())?;
        for item in &mut file.items {
            if let Some(attrs) = crate::syntax::item_attrs(item) {
                attrs.splice(0..0, gate.iter().cloned());
            }
        }
    }
    Ok(prettyplease::unparse(&file))
}

/// A body whose elements get layouts of their own.
#[derive(Clone, Copy)]
enum Body {
    Impl,
    Struct,
    Enum,
    /// A function's body, whose elements are statements.
    Fn,
    /// A `match` statement, whose elements are its arms: prettyplease prints each arm on
    /// lines of its own, whatever the others are.
    Match,
}

impl Body {
    /// How a wrapper of one element starts.
    fn open(self) -> &'static str {
        match self {
            Body::Impl => "impl w {",
            Body::Struct => "struct w {",
            Body::Enum => "enum w {",
            Body::Fn => "fn w() {",
            Body::Match => "match w {",
        }
    }

    /// An element that stands for any, so that a header is printed above a body that is
    /// not empty (prettyplease prints `{}` for an empty one), and how it is printed.
    fn dummy(self) -> &'static str {
        match self {
            Body::Impl => "fn w() {}",
            Body::Struct => "w: w,",
            Body::Enum => "W,",
            Body::Fn => "w;",
            Body::Match => "w => w,",
        }
    }

    /// [`Body::dummy`] as a skeleton's text, its names left as they are: they stand for
    /// nothing to fill in.
    fn dummy_key(self) -> &'static str {
        match self {
            Body::Impl => "fn w () {} ",
            Body::Struct => "w : w , ",
            Body::Enum => "W , ",
            Body::Fn => "w ; ",
            Body::Match => "w => w , ",
        }
    }
}

/// The items around a piece printed apart from its item, which put it at the indentation
/// it has there: `impl w { fn w() {` around a statement of a method. Their lines are cut
/// off the printed text.
#[derive(Default)]
struct Wrapper {
    open: String,
    close: String,
    depth: usize,
    /// The indentation of the piece's lines, four spaces a level.
    indent: String,
    /// The body the piece is an element of; `None` at the top level.
    body: Option<Body>,
}

impl Wrapper {
    fn inside(&self, body: Body) -> Wrapper {
        Wrapper {
            open: format!("{}{} ", self.open, body.open()),
            close: format!("}} {}", self.close),
            depth: self.depth + 1,
            indent: " ".repeat(4 * (self.depth + 1)),
            body: Some(body),
        }
    }

    /// Whether the attributes in front of an element here are on lines of their own:
    /// everywhere but in a function's body, where an expression statement's attributes
    /// stay on its line.
    fn attrs_apart(&self) -> bool {
        !matches!(self.body, Some(Body::Fn))
    }

    /// An element that stands for any here below its attributes, as a skeleton's text
    /// and as printed.
    fn dummy(&self) -> (&'static str, &'static str) {
        match self.body {
            Some(body) => (body.dummy_key(), body.dummy()),
            None => ("struct w ; ", "struct w;"),
        }
    }

    /// The printed text of the piece alone; `None` when it is not inside the wrapper's
    /// lines.
    fn cut<'a>(&self, text: &'a str) -> Option<&'a str> {
        let mut start = 0;
        for _ in 0..self.depth {
            start += text[start..].find('\n')? + 1;
        }
        let mut end = text.len();
        for _ in 0..self.depth {
            end = text[..end.checked_sub(1)?]
                .rfind('\n')
                .map_or(0, |at| at + 1);
        }
        text.get(start..end.max(start))
    }
}

/// Prints an item, or an element of a body inside `wrapper`: a leaf through its layout,
/// a body's header and elements one by one.
fn print_piece(
    wrapper: &Wrapper,
    mut tokens: Vec<TokenTree>,
    skeleton: &mut Skeleton,
    out: &mut String,
) -> syn::Result<()> {
    let Some(body) = split_body(&tokens) else {
        return print_leaf(wrapper, tokens, &[], skeleton, out);
    };
    let Some(TokenTree::Group(group)) = tokens.pop() else {
        unreachable!("split_body looks at a brace group last");
    };
    let stream = group.stream();
    drop(group);
    print_body(
        wrapper,
        tokens,
        body,
        std::iter::once(stream),
        skeleton,
        out,
    )
}

/// Prints an item with a body, `header { .. }`: its header's lines above the body's
/// elements, each a piece of its own. The elements come in `chunks` of whole elements.
fn print_body(
    wrapper: &Wrapper,
    header: Vec<TokenTree>,
    body: Body,
    chunks: impl Iterator<Item = TokenStream>,
    skeleton: &mut Skeleton,
    out: &mut String,
) -> syn::Result<()> {
    let start = out.len();
    let dummy_body = ["{", body.dummy_key(), "} "];
    print_leaf(wrapper, header, &dummy_body, skeleton, out)?;
    // The header's lines end in `{`, above the dummy element's line and the `}` closing it.
    let indent = wrapper.indent.as_str();
    let open = out[start..]
        .strip_suffix("}\n")
        .and_then(|rest| rest.strip_suffix(indent))
        .and_then(|rest| rest.strip_suffix('\n'))
        .and_then(|rest| rest.strip_suffix(body.dummy()))
        .and_then(|rest| rest.strip_suffix("    "))
        .and_then(|rest| rest.strip_suffix(indent))
        .filter(|open| open.ends_with("{\n"))
        .map(str::len)
        .ok_or_else(|| bug("a header is not printed above its body"))?;
    out.truncate(start + open);
    let inside = wrapper.inside(body);
    for chunk in chunks {
        for element in split_elements(body, chunk.into_iter().collect()) {
            print_piece(&inside, element, skeleton, out)?;
        }
    }
    out.push_str(indent);
    out.push_str("}\n");
    Ok(())
}

/// Prints a piece: its leading doc comments, its leading attributes, and the rest
/// through its layout. `tail` is skeleton text after the piece's tokens.
fn print_leaf(
    wrapper: &Wrapper,
    mut tokens: Vec<TokenTree>,
    tail: &[&str],
    skeleton: &mut Skeleton,
    out: &mut String,
) -> syn::Result<()> {
    // Doc comments in front are prettyplease's first lines, whatever follows; left out of
    // the skeleton, pieces that differ only in how long their docs are share it.
    let mut docs = 0;
    while is_punct(tokens.get(docs), '#') {
        let Some(TokenTree::Group(group)) = tokens.get_mut(docs + 1) else {
            break;
        };
        if group.delimiter() != Delimiter::Bracket {
            break;
        }
        // Taken out of the group, its tokens are not copied to be looked at.
        let taken = std::mem::replace(group, Group::new(Delimiter::Bracket, TokenStream::new()));
        let stream = taken.stream();
        drop(taken);
        let mut inner = stream.into_iter();
        let head = [inner.next(), inner.next(), inner.next(), inner.next()];
        let line = out.len();
        out.push_str(&wrapper.indent);
        out.push_str("///");
        if !push_doc(&head, &mut skeleton.scratch, out) {
            out.truncate(line);
            *group = Group::new(
                Delimiter::Bracket,
                head.into_iter().flatten().chain(inner).collect(),
            );
            break;
        }
        out.push('\n');
        docs += 2;
    }
    tokens.drain(..docs);
    // So are the attributes of an item, field, variant or arm, each on lines of its own
    // (prettyplease breaks the body it is in): printed apart from it, pieces alike but for
    // their attributes share a layout.
    let attrs = outer_attrs(&tokens);
    if attrs > 0 && attrs < tokens.len() && wrapper.attrs_apart() {
        let rest = tokens.split_off(attrs);
        print_attrs(wrapper, tokens, skeleton, out)?;
        tokens = rest;
    }
    print_skeleton(wrapper, tokens, tail, skeleton, out)
}

/// Prints outer attributes as prettyplease prints them above an element of the wrapper's
/// body (where [`Wrapper::attrs_apart`]): above a dummy element, whose line is cut off.
fn print_attrs(
    wrapper: &Wrapper,
    attrs: Vec<TokenTree>,
    skeleton: &mut Skeleton,
    out: &mut String,
) -> syn::Result<()> {
    let (dummy, printed_dummy) = wrapper.dummy();
    let mut above = String::new();
    print_skeleton(wrapper, attrs, &[dummy], skeleton, &mut above)?;
    let indent = wrapper.indent.as_str();
    let lines = above
        .strip_suffix('\n')
        .and_then(|above| above.strip_suffix(printed_dummy))
        .and_then(|above| above.strip_suffix(indent))
        .filter(|lines| lines.ends_with('\n'))
        .ok_or_else(|| bug("attributes are not printed above their element"))?;
    out.push_str(lines);
    Ok(())
}

/// Prints a piece through its layout, or through syn and prettyplease when the layout
/// cannot be filled in. `tail` is skeleton text after the piece's tokens.
fn print_skeleton(
    wrapper: &Wrapper,
    tokens: Vec<TokenTree>,
    tail: &[&str],
    skeleton: &mut Skeleton,
    out: &mut String,
) -> syn::Result<()> {
    skeleton.clear();
    skeleton.key.push_str(&wrapper.open);
    skeleton.walk(tokens.into_iter(), false);
    for text in tail {
        skeleton.key.push_str(text);
    }
    skeleton.key.push_str(&wrapper.close);
    if !skeleton.unsupported {
        if let Some(layout) = layout(&skeleton.key, wrapper) {
            if fill(&layout, skeleton, out) {
                return Ok(());
            }
        }
        for exact in [false, true] {
            if let Some(layout) = skeleton
                .widened(exact)
                .and_then(|key| layout(&key, wrapper))
            {
                if fill(&layout, skeleton, out) {
                    return Ok(());
                }
            }
        }
    }
    let real = skeleton
        .real()
        .ok_or_else(|| bug("a skeleton's placeholders and slots are out of step"))?;
    out.push_str(&printed(&real, wrapper)?);
    Ok(())
}

fn bug(message: &str) -> syn::Error {
    syn::Error::new(proc_macro2::Span::call_site(), message)
}

type Remembered<V> = LazyLock<Mutex<Memo<V>>>;

/// The layouts printed so far, by skeleton; `None` for a skeleton that does not parse.
static LAYOUTS: Remembered<Option<Arc<Layout>>> = LazyLock::new(Mutex::default);

/// Pieces that no layout could print, by their text: emitted code repeats statements
/// word for word (the same header on every request) that are too long for their layout.
static PRINTED: Remembered<Arc<str>> = LazyLock::new(Mutex::default);

/// A thread that panicked while holding the lock left the map whole: every insert is one
/// call.
fn lock<V>(map: &'static Remembered<V>) -> MutexGuard<'static, Memo<V>> {
    map.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

thread_local! {
    /// The layouts this thread used, copied from [`LAYOUTS`]: most look-ups are of a
    /// layout used before, and a thread's own map needs no lock that another thread's
    /// look-ups contend for. Emptied with [`crate::memo::this_generation`].
    static THREAD_LAYOUTS: RefCell<(u64, Memo<Option<Rc<Layout>>>)> = RefCell::default();
}

/// The layout of the skeleton `key`, without the lines of the wrapper it is in.
fn layout(key: &str, wrapper: &Wrapper) -> Option<Rc<Layout>> {
    THREAD_LAYOUTS.with_borrow_mut(|cache| {
        let layouts = crate::memo::this_generation(cache);
        if let Some(layout) = layouts.get(key) {
            return layout.clone();
        }
        let layout = shared_layout(key, wrapper).map(|layout| Rc::new(Layout::clone(&layout)));
        layouts.insert(key.to_string(), layout.clone());
        layout
    })
}

/// [`layout`], from the layouts every thread printed so far.
fn shared_layout(key: &str, wrapper: &Wrapper) -> Option<Arc<Layout>> {
    if let Some(layout) = lock(&LAYOUTS).get(key) {
        return layout.clone();
    }
    // Printed outside the lock: two threads may both print a new skeleton, alike.
    let layout = syn::parse_str::<syn::File>(key).ok().and_then(|file| {
        let printed = prettyplease::unparse(&file);
        wrapper
            .cut(&printed)
            .map(|text| Arc::new(Layout::new(text)))
    });
    lock(&LAYOUTS).insert(key.to_string(), layout.clone());
    layout
}

/// prettyplease's text of the piece whose own text (in its wrapper) is `real`.
fn printed(real: &str, wrapper: &Wrapper) -> syn::Result<Arc<str>> {
    if let Some(text) = lock(&PRINTED).get(real) {
        return Ok(text.clone());
    }
    let whole = prettyplease::unparse(&syn::parse_str::<syn::File>(real)?);
    let text: Arc<str> = wrapper
        .cut(&whole)
        .ok_or_else(|| bug("a piece is not printed inside its wrapper"))?
        .into();
    lock(&PRINTED).insert(real.to_string(), text.clone());
    Ok(text)
}

/// Forgets every layout and every piece printed.
pub fn forget() {
    lock(&LAYOUTS).clear();
    lock(&PRINTED).clear();
}

/// Top-level items, or an impl's: each ends at a `;` or a brace group that no `;`
/// follows. Inner attributes at the start are a piece of their own.
fn split_items(tokens: Vec<TokenTree>) -> Vec<Vec<TokenTree>> {
    split_after(tokens, |token, next, before| match token {
        TokenTree::Punct(punct) => punct.as_char() == ';',
        TokenTree::Group(group) => match group.delimiter() {
            Delimiter::Brace => !is_punct(next, ';'),
            Delimiter::Bracket => {
                before.len() == 2 && is_punct(before.first(), '#') && is_punct(before.get(1), '!')
            }
            _ => false,
        },
        _ => false,
    })
}

/// `tokens` cut after each token that `ends` says ends a piece, given the token after it
/// and the piece's tokens before it.
fn split_after(
    tokens: Vec<TokenTree>,
    mut ends: impl FnMut(&TokenTree, Option<&TokenTree>, &[TokenTree]) -> bool,
) -> Vec<Vec<TokenTree>> {
    let mut pieces = Vec::new();
    let mut current = Vec::new();
    let mut tokens = tokens.into_iter().peekable();
    while let Some(token) = tokens.next() {
        let end = ends(&token, tokens.peek(), &current);
        current.push(token);
        if end {
            pieces.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    pieces
}

/// How many of the tokens in front are outer attributes (`#` and a bracket group each).
fn outer_attrs(tokens: &[TokenTree]) -> usize {
    let mut at = 0;
    while is_punct(tokens.get(at), '#')
        && matches!(tokens.get(at + 1), Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Bracket)
    {
        at += 2;
    }
    at
}

fn is_punct(token: Option<&TokenTree>, ch: char) -> bool {
    matches!(token, Some(TokenTree::Punct(punct)) if punct.as_char() == ch)
}

fn is_ident(token: Option<&TokenTree>, name: &str) -> bool {
    matches!(token, Some(TokenTree::Ident(ident)) if ident == name)
}

/// The kind of an impl, struct, enum or function whose body has elements; `None` for
/// other items.
fn split_body(item: &[TokenTree]) -> Option<Body> {
    match item.last() {
        Some(TokenTree::Group(group))
            if group.delimiter() == Delimiter::Brace && !group.stream().is_empty() => {}
        _ => return None,
    }
    if is_ident(item.first(), "match") {
        // The arms' braces are the only ones: a brace in the scrutinee would be a block
        // or closure that the header's wrapper cannot stand in for.
        let braces = item.iter().filter(|token| {
            matches!(token, TokenTree::Group(group) if group.delimiter() == Delimiter::Brace)
        });
        return (braces.count() == 1).then_some(Body::Match);
    }
    item_body(item)
}

/// The kind of the function, impl, struct or enum that `item` starts, looking past its
/// attributes and qualifiers; `None` for another item.
fn item_body(item: &[TokenTree]) -> Option<Body> {
    let mut at = outer_attrs(item);
    if is_punct(item.get(at), '#') {
        return None;
    }
    if is_ident(item.get(at), "pub") {
        at += 1;
        if matches!(item.get(at), Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Parenthesis)
        {
            at += 1;
        }
    }
    while ["const", "async", "unsafe"]
        .iter()
        .any(|word| is_ident(item.get(at), word))
    {
        at += 1;
    }
    match item.get(at) {
        Some(TokenTree::Ident(ident)) if ident == "fn" => Some(Body::Fn),
        Some(TokenTree::Ident(ident)) if ident == "impl" => Some(Body::Impl),
        Some(TokenTree::Ident(ident)) if ident == "struct" => Some(Body::Struct),
        Some(TokenTree::Ident(ident)) if ident == "enum" => Some(Body::Enum),
        _ => None,
    }
}

/// An impl's items, or a struct's fields or an enum's variants, each with its comma.
/// A comma inside `<...>` does not end a field; were an element cut too late (after two
/// fields), the wrapper would print both, as the item does.
fn split_elements(body: Body, tokens: Vec<TokenTree>) -> Vec<Vec<TokenTree>> {
    match body {
        Body::Impl => return split_items(tokens),
        Body::Fn => return split_statements(tokens),
        Body::Match => return split_arms(tokens),
        Body::Struct | Body::Enum => {}
    }
    let mut depth = 0usize;
    let mut elements = split_after(tokens, |token, _, before| {
        let TokenTree::Punct(punct) = token else {
            return false;
        };
        let arrow = matches!(before.last(), Some(TokenTree::Punct(before))
            if before.spacing() == Spacing::Joint && matches!(before.as_char(), '-' | '='));
        match punct.as_char() {
            '<' => depth += 1,
            '>' if !arrow => depth = depth.saturating_sub(1),
            ',' => return depth == 0,
            _ => {}
        }
        false
    });
    if let Some(last) = elements.last_mut() {
        if !is_punct(last.last(), ',') {
            last.push(TokenTree::Punct(Punct::new(',', Spacing::Alone)));
        }
    }
    elements
}

/// A function body's statements: each ends at a `;`, or at a brace group (`if`, `match`,
/// a block) that no `else`, `as` or operator continues. Cut too late (two statements in
/// one piece), the wrapper prints both, as the body does.
fn split_statements(tokens: Vec<TokenTree>) -> Vec<Vec<TokenTree>> {
    split_after(tokens, |token, next, _| match token {
        TokenTree::Punct(punct) => punct.as_char() == ';',
        TokenTree::Group(group) if group.delimiter() == Delimiter::Brace => match next {
            Some(TokenTree::Punct(_)) => false,
            Some(TokenTree::Ident(next)) => next != "else" && next != "as",
            _ => true,
        },
        _ => false,
    })
}

/// A match's arms: each ends at its comma, or at a block that no comma follows. A comma
/// inside `<...>` or after a closure's `|` does not end an arm; an arm cut too late (two
/// arms in one piece) is printed as the match prints both.
fn split_arms(tokens: Vec<TokenTree>) -> Vec<Vec<TokenTree>> {
    // Within the arm being cut: `<` not yet closed, a `|` seen after the `=>`, and where
    // the body starts.
    let (mut depth, mut closure, mut body) = (0usize, false, None);
    split_after(tokens, |token, next, before| {
        if before.is_empty() {
            (depth, closure, body) = (0, false, None);
        }
        let after = |ch| {
            matches!(before.last(), Some(TokenTree::Punct(before))
            if before.spacing() == Spacing::Joint && before.as_char() == ch)
        };
        match token {
            TokenTree::Punct(punct) => match punct.as_char() {
                '>' if after('=') => body = Some(before.len() + 1),
                '>' if after('-') => {}
                '<' => depth += 1,
                '>' => depth = depth.saturating_sub(1),
                '|' if body.is_some() => closure = true,
                ',' => return body.is_some() && depth == 0 && !closure,
                _ => {}
            },
            // A block body, which needs no comma unless something continues it.
            TokenTree::Group(group) if group.delimiter() == Delimiter::Brace => {
                return body == Some(before.len())
                    && match next {
                        Some(TokenTree::Punct(_)) => false,
                        Some(TokenTree::Ident(next)) => next != "else" && next != "as",
                        _ => true,
                    };
            }
            _ => {}
        }
        false
    })
}

/// What a placeholder stands for: a range of [`Skeleton::text`], and for a doc comment
/// also the range of its text in `docs`.
enum Slot {
    Name {
        text: Range<usize>,
    },
    Str {
        text: Range<usize>,
    },
    Doc {
        text: Range<usize>,
        doc: Range<usize>,
    },
}

/// An item as its skeleton's text (`key`), and what the placeholders stand for, in order.
#[derive(Default)]
struct Skeleton {
    key: String,
    /// The names and literals the placeholders stand for, one after another.
    text: String,
    /// The text of doc comments as prettyplease prints it.
    docs: String,
    slots: Vec<Slot>,
    /// Where each slot's placeholder is in `key`.
    holes: Vec<Range<usize>>,
    /// A token no placeholder stands for in a layout (a char or byte literal, a doc
    /// comment that prettyplease prints as a block, an invisible group): the piece is
    /// printed from its own text.
    unsupported: bool,
    /// Where the strings of the line being filled are, kept for the next line's room.
    strings: Vec<Range<usize>>,
    /// Room for a literal's text while it is looked at.
    scratch: String,
}

impl Skeleton {
    /// Empties the skeleton for the next piece, keeping its room.
    fn clear(&mut self) {
        self.key.clear();
        self.text.clear();
        self.docs.clear();
        self.slots.clear();
        self.holes.clear();
        self.unsupported = false;
    }

    /// `attribute`: the tokens are an attribute's, whose first name (its path) prettyplease
    /// looks at.
    fn walk(&mut self, tokens: impl Iterator<Item = TokenTree>, attribute: bool) {
        let mut tokens = tokens.peekable();
        let mut first = attribute;
        let mut after_hash = false;
        while let Some(token) = tokens.next() {
            let attribute_next = std::mem::take(&mut after_hash);
            match token {
                TokenTree::Ident(ident) => {
                    let start = self.text.len();
                    let _ = write!(self.text, "{ident}");
                    let name = &self.text[start..];
                    // prettyplease knows the standard macros by name.
                    let macro_name = matches!(tokens.peek(), Some(TokenTree::Punct(p))
                        if p.as_char() == '!' && p.spacing() == Spacing::Alone);
                    if first || macro_name || is_keyword(name) {
                        self.key.push_str(name);
                        self.text.truncate(start);
                    } else {
                        let long = name.len() > SHORT_NAME;
                        let hole = self.key.len();
                        self.key.push_str(if long { "xxxxx" } else { "x" });
                        self.holes.push(hole..self.key.len());
                        self.slots.push(Slot::Name {
                            text: start..self.text.len(),
                        });
                    }
                    self.key.push(' ');
                }
                TokenTree::Punct(punct) => {
                    let ch = punct.as_char();
                    self.key.push(ch);
                    if punct.spacing() == Spacing::Alone {
                        self.key.push(' ');
                    }
                    after_hash = ch == '#' || (ch == '!' && attribute_next);
                }
                TokenTree::Literal(literal) => {
                    let start = self.text.len();
                    let _ = write!(self.text, "{literal}");
                    let repr = &self.text[start..];
                    if repr.starts_with(|ch: char| ch.is_ascii_digit()) {
                        self.key.push_str(repr);
                        self.text.truncate(start);
                    } else {
                        self.unsupported |= !repr.starts_with('"') || repr.contains('\n');
                        let hole = self.key.len();
                        self.key.push_str("\"\"");
                        self.holes.push(hole..self.key.len());
                        self.slots.push(Slot::Str {
                            text: start..self.text.len(),
                        });
                    }
                    self.key.push(' ');
                }
                TokenTree::Group(group) => {
                    let delimiter = group.delimiter();
                    let stream = group.stream();
                    drop(group);
                    let (open, close) = match delimiter {
                        Delimiter::Parenthesis => ("(", ")"),
                        Delimiter::Bracket => ("[", "]"),
                        Delimiter::Brace => ("{", "}"),
                        Delimiter::None => {
                            self.unsupported = true;
                            ("", "")
                        }
                    };
                    self.key.push_str(open);
                    if attribute_next && delimiter == Delimiter::Bracket {
                        let inner: Vec<TokenTree> = stream.into_iter().collect();
                        if !self.doc(&inner) {
                            self.walk(inner.into_iter(), true);
                        }
                    } else {
                        self.walk(stream.into_iter(), false);
                    }
                    self.key.push_str(close);
                    self.key.push(' ');
                }
            }
            first = false;
        }
    }

    /// Takes `doc = "..."`, the inside of a doc comment's attribute, when prettyplease
    /// prints it as one `///` (or `//!`) line.
    fn doc(&mut self, inner: &[TokenTree]) -> bool {
        let [TokenTree::Ident(name), TokenTree::Punct(eq), TokenTree::Literal(literal)] = inner
        else {
            return false;
        };
        if name != "doc" || eq.as_char() != '=' {
            return false;
        }
        let start = self.text.len();
        let _ = write!(self.text, "{literal}");
        let Some(value) = string_value(&self.text[start..]) else {
            self.text.truncate(start);
            return false;
        };
        self.unsupported |= !on_one_line(&value);
        let doc_start = self.docs.len();
        self.docs.push_str(value.trim_end_matches(' '));
        self.slots.push(Slot::Doc {
            text: start..self.text.len(),
            doc: doc_start..self.docs.len(),
        });
        self.key.push_str("doc = ");
        let hole = self.key.len();
        self.key.push_str("\"\"");
        self.holes.push(hole..self.key.len());
        true
    }

    /// The key with placeholders about as wide as what they stand for (never wider), for
    /// a piece whose lines do not fit its layout's: prettyplease breaks the lines of such
    /// a skeleton where it breaks the piece's, and pieces alike but for their names' and
    /// strings' exact widths share it. `exact` makes each placeholder exactly as wide, for
    /// a piece that fits neither: one whose lines come close to the margin (an enum's
    /// long variant names), which only breaks taken for its very widths make fit; such
    /// pieces still share a layout more often than they repeat word for word.
    fn widened(&self, exact: bool) -> Option<String> {
        let mut out = String::with_capacity(self.key.len() + self.text.len());
        // The widest of `WIDTHS` that is not wider than `width`; a name's stays short
        // (or long) to prettyplease.
        let bucket = |width: usize, least: usize| {
            if exact {
                return width.max(least);
            }
            WIDTHS
                .iter()
                .rev()
                .find(|w| **w <= width)
                .map_or(least, |w| (*w).max(least))
        };
        let mut at = 0;
        for (slot, hole) in self.slots.iter().zip(&self.holes) {
            out.push_str(self.key.get(at..hole.start)?);
            at = hole.end;
            match slot {
                Slot::Name { text } => {
                    let width = if exact {
                        text.len()
                    } else if text.len() > SHORT_NAME {
                        bucket(text.len(), SHORT_NAME + 1)
                    } else {
                        1
                    };
                    out.extend(std::iter::repeat_n('x', width));
                }
                Slot::Str { text } => {
                    out.push('"');
                    out.extend(std::iter::repeat_n('x', bucket(text.len(), 2) - 2));
                    out.push('"');
                }
                Slot::Doc { .. } => out.push_str("\"\""),
            }
        }
        out.push_str(self.key.get(at..)?);
        Some(out)
    }

    /// The piece's own text, for syn: the key with its placeholders filled in.
    fn real(&self) -> Option<String> {
        let mut out = String::with_capacity(self.key.len() + self.text.len());
        let mut slots = self.slots.iter();
        for piece in Template(&self.key) {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Name { .. } => match slots.next()? {
                    Slot::Name { text, .. } => out.push_str(&self.text[text.clone()]),
                    _ => return None,
                },
                Piece::Str { .. } => match slots.next()? {
                    Slot::Str { text } | Slot::Doc { text, .. } => {
                        out.push_str(&self.text[text.clone()]);
                    }
                    Slot::Name { .. } => return None,
                },
            }
        }
        slots.next().is_none().then_some(out)
    }
}

/// Writes the text of a doc comment's attribute (`doc = "..."`, the first tokens inside
/// its brackets, and then no more) as prettyplease prints it on one `///` line; `false`,
/// and nothing written, when it does not print it so. `scratch` is room for the literal.
fn push_doc(inner: &[Option<TokenTree>; 4], scratch: &mut String, out: &mut String) -> bool {
    let [Some(TokenTree::Ident(name)), Some(TokenTree::Punct(eq)), Some(TokenTree::Literal(literal)), None] =
        inner
    else {
        return false;
    };
    if name != "doc" || eq.as_char() != '=' {
        return false;
    }
    scratch.clear();
    let _ = write!(scratch, "{literal}");
    match string_value(scratch) {
        Some(value) if on_one_line(&value) => {
            out.push_str(value.trim_end_matches(' '));
            true
        }
        _ => false,
    }
}

/// Whether prettyplease prints a doc comment of this text as one `///` line: one without
/// a line break, which does not start like a fourth slash (`////` is no doc comment).
fn on_one_line(doc: &str) -> bool {
    !doc.contains(['\n', '\r']) && !doc.starts_with('/')
}

/// The value of a string literal, when syn can read it.
fn string_value(repr: &str) -> Option<std::borrow::Cow<'_, str>> {
    if let Some(plain) = repr
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
    {
        if !plain.contains('\\') {
            return Some(plain.into());
        }
        if let Some(value) = unescape(plain) {
            return Some(value.into());
        }
    }
    if let Some(raw) = repr.strip_prefix('r') {
        let hashes = &raw[..raw.len() - raw.trim_start_matches('#').len()];
        let value = raw[hashes.len()..]
            .strip_prefix('"')
            .and_then(|rest| rest.strip_suffix(hashes))
            .and_then(|rest| rest.strip_suffix('"'));
        if let Some(value) = value {
            return Some(value.into());
        }
    }
    let literal: proc_macro2::Literal = repr.parse().ok()?;
    match syn::Lit::new(literal) {
        syn::Lit::Str(string) => Some(string.value().into()),
        _ => None,
    }
}

/// The value of a string literal's text between its quotes, for the escapes
/// `Literal::string` writes (`\"`, `\\`, `\n`, `\u{301}`, ...); `None` for any other, which
/// syn reads.
fn unescape(text: &str) -> Option<String> {
    let mut value = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\\') {
        value.push_str(&rest[..at]);
        let mut chars = rest[at + 1..].chars();
        let escaped = match chars.next()? {
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            '0' => '\0',
            ch @ ('\\' | '\'' | '"') => ch,
            'x' => {
                let hex = chars.as_str().get(..2)?;
                let code = u8::from_str_radix(hex, 16).ok().filter(u8::is_ascii)?;
                chars = chars.as_str()[2..].chars();
                char::from(code)
            }
            'u' => {
                let braced = chars.as_str().strip_prefix('{')?;
                let end = braced.find('}')?;
                let hex = &braced[..end];
                if hex.is_empty() || hex.len() > 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                chars = braced[end + 1..].chars();
                char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
            }
            _ => return None,
        };
        value.push(escaped);
        rest = chars.as_str();
    }
    value.push_str(rest);
    Some(value)
}

/// Names prettyplease, or syn's parse of the skeleton, tells apart from any other.
fn is_keyword(name: &str) -> bool {
    matches!(
        name,
        "_" | "as"
            | "async"
            | "auto"
            | "await"
            | "box"
            | "break"
            | "const"
            | "continue"
            | "crate"
            | "default"
            | "do"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "fn"
            | "for"
            | "gen"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "macro"
            | "macro_rules"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "raw"
            | "ref"
            | "return"
            | "safe"
            | "self"
            | "Self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "try"
            | "type"
            | "union"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "yield"
            | "abstract"
            | "become"
            | "final"
            | "override"
            | "priv"
            | "typeof"
            | "unsized"
            | "virtual"
    )
}

/// A layout as filling it reads it: cut once into lines, and each line into text and
/// placeholders.
#[derive(Clone)]
struct Layout {
    text: String,
    lines: Vec<Line>,
    cuts: Vec<Cut>,
}

#[derive(Clone)]
struct Line {
    /// Its indentation, a range of [`Layout::text`]; on a doc comment's line, with the
    /// `///` after it.
    indent: Range<usize>,
    /// What follows the indentation, a range of [`Layout::cuts`]; `None` for a doc
    /// comment's `///` (or `//!`), which the comment's text follows.
    cuts: Option<Range<usize>>,
}

/// A run of a layout's text, or a placeholder.
#[derive(Clone)]
enum Cut {
    Text(Range<usize>),
    Name { width: usize },
    Str { width: usize },
}

impl Layout {
    fn new(text: &str) -> Layout {
        let mut layout = Layout {
            text: text.to_string(),
            lines: Vec::new(),
            cuts: Vec::new(),
        };
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            let whole = line.strip_suffix('\n').unwrap_or(line);
            let content = whole.trim_start_matches(' ');
            let indent = at..at + whole.len() - content.len();
            let mut cut_at = indent.end;
            at += line.len();
            if content == "///" || content == "//!" {
                layout.lines.push(Line {
                    indent: indent.start..indent.end + content.len(),
                    cuts: None,
                });
                continue;
            }
            let first = layout.cuts.len();
            for piece in Template(content) {
                let (cut, width) = match piece {
                    Piece::Text(text) => (Cut::Text(cut_at..cut_at + text.len()), text.len()),
                    Piece::Name { width } => (Cut::Name { width }, width),
                    Piece::Str { width } => (Cut::Str { width }, width),
                };
                cut_at += width;
                // Text next to text is one run, written at once.
                let in_line = layout.cuts.len() > first;
                if let (Cut::Text(next), Some(Cut::Text(run))) = (&cut, layout.cuts.last_mut()) {
                    if in_line {
                        run.end = next.end;
                        continue;
                    }
                }
                layout.cuts.push(cut);
            }
            layout.lines.push(Line {
                indent,
                cuts: Some(first..layout.cuts.len()),
            });
        }
        layout
    }
}

/// A skeleton's text or a layout, cut where placeholders are.
enum Piece<'a> {
    Text(&'a str),
    /// A name's placeholder, `x` repeated.
    Name {
        width: usize,
    },
    /// A string's placeholder, `""` with `x`s between.
    Str {
        width: usize,
    },
}

struct Template<'a>(&'a str);

impl<'a> Iterator for Template<'a> {
    type Item = Piece<'a>;

    fn next(&mut self) -> Option<Piece<'a>> {
        let text = self.0;
        let bytes = text.as_bytes();
        let word = |at: usize| {
            at + bytes[at..]
                .iter()
                .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
                .unwrap_or(bytes.len() - at)
        };
        let placeholder = |at: usize| at + bytes[at..].iter().take_while(|b| **b == b'x').count();
        let (piece, end) = match *bytes.first()? {
            b'"' if bytes.get(placeholder(1)) == Some(&b'"') => {
                let end = placeholder(1) + 1;
                (Piece::Str { width: end }, end)
            }
            byte if byte.is_ascii_alphabetic() || byte == b'_' => {
                let end = word(0);
                if placeholder(0) == end {
                    (Piece::Name { width: end }, end)
                } else {
                    (Piece::Text(&text[..end]), end)
                }
            }
            // A number, whole: `0x1f` holds no placeholder.
            byte if byte.is_ascii_digit() => {
                let mut end = word(0);
                while bytes.get(end) == Some(&b'.')
                    && bytes.get(end + 1).is_some_and(u8::is_ascii_digit)
                {
                    end = word(end + 1);
                }
                (Piece::Text(&text[..end]), end)
            }
            _ => {
                let end = bytes
                    .iter()
                    .position(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'"'))
                    .filter(|end| *end > 0)
                    .unwrap_or(1);
                let end = (end..=text.len())
                    .find(|end| text.is_char_boundary(*end))
                    .unwrap_or(text.len());
                (Piece::Text(&text[..end]), end)
            }
        };
        self.0 = &text[end..];
        Some(piece)
    }
}

/// Writes the layout with the skeleton's placeholders replaced by what they stand for;
/// `false`, and nothing written, where the text might not be prettyplease's (a filled
/// line too long, placeholders and slots out of step).
fn fill(layout: &Layout, skeleton: &mut Skeleton, out: &mut String) -> bool {
    let start = out.len();
    let filled = fill_lines(layout, skeleton, out).is_some();
    if !filled {
        out.truncate(start);
    }
    filled
}

fn fill_lines(layout: &Layout, skeleton: &mut Skeleton, out: &mut String) -> Option<()> {
    let Skeleton {
        text: names,
        docs,
        slots,
        strings,
        ..
    } = skeleton;
    let mut slots = slots.iter();
    for line in &layout.lines {
        let Some(cuts) = line.cuts.clone() else {
            let Some(Slot::Doc { doc, .. }) = slots.next() else {
                return None;
            };
            out.push_str(&layout.text[line.indent.clone()]);
            out.push_str(&docs[doc.clone()]);
            out.push('\n');
            continue;
        };
        let line_start = out.len();
        out.push_str(&layout.text[line.indent.clone()]);
        strings.clear();
        let mut filled = false;
        for cut in &layout.cuts[cuts] {
            match cut {
                Cut::Text(text) => out.push_str(&layout.text[text.clone()]),
                Cut::Name { width } => {
                    let Some(Slot::Name { text }) = slots.next() else {
                        return None;
                    };
                    if *width > text.len() || (*width > SHORT_NAME) != (text.len() > SHORT_NAME) {
                        return None;
                    }
                    out.push_str(&names[text.clone()]);
                    filled = true;
                }
                Cut::Str { width } => {
                    let Some(Slot::Str { text }) = slots.next() else {
                        return None;
                    };
                    if *width > text.len() {
                        return None;
                    }
                    let start = out.len() - line_start;
                    strings.push(start..start + text.len());
                    out.push_str(&names[text.clone()]);
                    filled = true;
                }
            }
        }
        if filled && !fits(&out[line_start..], line.indent.len(), strings) {
            return None;
        }
        out.push('\n');
    }
    slots.next().is_none().then_some(())
}

/// Whether prettyplease would print a filled line as it is: no longer than the room it
/// leaves at this indentation, and no struct literal on it wider than it keeps flat.
/// `strings` are the ranges of string literals, whose braces are text.
fn fits(line: &str, indent: usize, strings: &[Range<usize>]) -> bool {
    if line.len() > MARGIN.max(indent + MIN_SPACE) {
        return false;
    }
    // Only a closing brace ends a struct literal.
    if !line.as_bytes().contains(&b'}') {
        return true;
    }
    // At the top level, braces on one line are an item's empty body, unless they follow
    // the `=` of a `const` or `static`.
    if indent == 0 && !line.contains(" = ") {
        return true;
    }
    let bytes = line.as_bytes();
    let mut opens = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if let Some(string) = strings.iter().find(|string| string.start == at) {
            at = string.end;
            continue;
        }
        match bytes[at] {
            b'{' => opens.push(at),
            b'}' => {
                // A `use` group (`a::{b, c}`) is not a struct literal.
                let literal = opens.pop().filter(|open| !line[..*open].ends_with("::"));
                if let Some(open) = literal {
                    let mut start = open;
                    while start > 0 && bytes[start - 1] == b' ' {
                        start -= 1;
                    }
                    while start > 0
                        && (bytes[start - 1].is_ascii_alphanumeric()
                            || matches!(bytes[start - 1], b'_' | b':'))
                    {
                        start -= 1;
                    }
                    if at + 1 - start >= FLAT_STRUCT_LITERAL {
                        return false;
                    }
                }
            }
            _ => {}
        }
        at += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn skeleton(tokens: TokenStream) -> Skeleton {
        let mut skeleton = Skeleton::default();
        skeleton.walk(tokens.into_iter(), false);
        skeleton
    }

    fn filled(tokens: TokenStream) -> Option<String> {
        let mut skeleton = skeleton(tokens);
        let mut out = String::new();
        let layout = layout(&skeleton.key, &Wrapper::default())?;
        fill(&layout, &mut skeleton, &mut out).then_some(out)
    }

    fn assert_prints_as_prettyplease(tokens: TokenStream) {
        let expected = print_plainly(&TokenStream::new(), tokens.clone()).unwrap();
        assert_eq!(print(&TokenStream::new(), tokens).unwrap(), expected);
    }

    #[test]
    fn string_values_are_read_as_syn_reads_them() {
        let texts = [
            "plain",
            "quote \" and backslash \\ and tab \t",
            "line\nbreak\r\n",
            "nul \0 then 7: \u{0}7",
            "bell \u{7} del \u{7f} accent e\u{301} zero width \u{200b}",
            "déjà vu 🙂 and 'single'",
        ];
        for text in texts {
            let literal = proc_macro2::Literal::string(text).to_string();
            let inner = &literal[1..literal.len() - 1];
            assert_eq!(unescape(inner).as_deref(), Some(text), "{literal}");
            let read = string_value(&literal).map(std::borrow::Cow::into_owned);
            assert_eq!(read.as_deref(), Some(text), "{literal}");
        }
        // Escapes `Literal::string` never writes are left to syn.
        assert_eq!(unescape("\\u{1_F600}"), None);
        assert_eq!(unescape("\\x80"), None);
        assert_eq!(
            string_value("\"\\u{1_F600}\"").as_deref(),
            Some("\u{1F600}")
        );
    }

    #[test]
    fn names_strings_and_docs_are_filled_into_the_layout_of_their_shape() {
        let setter = quote! {
            #[doc = " Sets `firstName`."]
            #[must_use]
            pub fn first_name(mut self, value: impl Into<String>) -> Self {
                self.first_name = Some(value.into());
                self
            }
        };
        let other = quote! {
            #[doc = " Sets `lastName`."]
            #[must_use]
            pub fn last_name(mut self, value: impl Into<Secret>) -> Self {
                self.last_name = Some(value.into());
                self
            }
        };
        assert_eq!(skeleton(setter.clone()).key, skeleton(other).key);
        let text = filled(setter.clone()).expect("the setter fits its layout");
        assert_eq!(text, print_plainly(&TokenStream::new(), setter).unwrap());
        assert!(text.contains("/// Sets `firstName`.\n"), "{text}");
    }

    #[test]
    fn a_line_that_outgrows_its_layout_is_left_to_prettyplease() {
        let long = quote! {
            fn send() {
                request = request.header(reqwest::header::CONTENT_TYPE, "application/json").body(encoded);
            }
        };
        assert_eq!(filled(long.clone()), None);
        assert_prints_as_prettyplease(long);
    }

    #[test]
    fn a_flat_struct_literal_wider_than_prettyplease_keeps_is_left_to_it() {
        let literal = quote! {
            fn new(location_id: String) -> Self {
                Self { location_id: location_id.into() }
            }
        };
        assert_eq!(filled(literal.clone()), None);
        assert_prints_as_prettyplease(literal);
        // A `use` group is no struct literal.
        assert!(
            filled(quote! { pub use credentials::{CredentialError, Secret, TokenProvider}; })
                .is_some()
        );
    }

    #[test]
    fn doc_comments_prettyplease_prints_as_blocks_are_printed_by_it() {
        let block = quote! {
            #[doc = "two\nlines"]
            pub struct Two;
        };
        assert!(skeleton(block.clone()).unsupported);
        assert_prints_as_prettyplease(block);
    }

    #[test]
    fn match_arms_are_cut_where_they_end_and_never_inside_one() {
        let arms = quote! {
            A => 1,
            B if x < y => { y }
            C => Vec::<(u8, u16)>::new(),
            D => |a, b| a + b,
            E => f(),
            _ => {}
        };
        let cut: Vec<String> = split_arms(arms.clone().into_iter().collect())
            .into_iter()
            .map(|arm| arm.into_iter().collect::<TokenStream>().to_string())
            .collect();
        // After a closure's `|`, a comma may be its parameters': the rest stays together.
        assert_eq!(
            cut,
            [
                "A => 1 ,",
                "B if x < y => { y }",
                "C => Vec :: < (u8 , u16) > :: new () ,",
                "D => | a , b | a + b , E => f () , _ => { }",
            ]
        );
        assert_prints_as_prettyplease(quote! {
            fn pick(x: u8, y: u8) -> u8 {
                match x { #arms }
            }
        });
    }

    #[test]
    fn attributes_are_printed_apart_where_prettyplease_puts_them_on_lines_of_their_own() {
        assert_prints_as_prettyplease(quote! {
            #[derive(Debug)]
            #[serde(rename_all = "camelCase")]
            pub struct Contact {
                #[serde(rename = "firstName", default, skip_serializing_if = "Option::is_none")]
                pub first_name: Option<String>,
            }
            impl Contact {
                #[cfg(feature = "contacts")]
                #[must_use]
                pub fn kind(&self, scheme: Scheme) -> &'static str {
                    // An expression statement's attributes stay on its line.
                    #[cfg(feature = "rustls")]
                    builder = builder.use_preconfigured_tls(config);
                    match scheme {
                        #[cfg(feature = "contacts")]
                        Scheme::Bearer => "bearer",
                        Scheme::Other(_) => "other",
                    }
                }
            }
        });
    }

    #[test]
    fn bodies_are_printed_element_by_element_as_prettyplease_prints_them_whole() {
        assert_prints_as_prettyplease(quote! {
            #[derive(Debug, Clone)]
            pub struct Contact<'a> {
                #[doc = " The id."]
                #[serde(rename = "contactId", default, skip_serializing_if = "Option::is_none")]
                pub contact_id: Option<std::collections::HashMap<String, Vec<&'a str>>>,
                pub tags: Vec<String>
            }
            pub enum Kind { A(String), #[serde(other)] B, C { x: i64 } }
            impl<'de> serde::Deserialize<'de> for Kind {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = <String as serde::Deserialize>::deserialize(deserializer)?;
                    if value.is_empty() { return Err(serde::de::Error::custom("empty")); } else { }
                    match value.as_str() { "a" => Ok(Kind::B), _ => Ok(Kind::A(value)) }
                }
            }
        });
    }

    #[test]
    fn a_block_whose_elements_come_one_by_one_prints_as_the_whole_block() {
        let gate = quote!(#[cfg(feature = "contacts")]);
        let header = quote! {
            #[doc = " Operations tagged `Contacts`."]
            impl Client
        };
        let methods = [
            quote! {
                #[doc = " Gets a contact."]
                pub async fn get_contact(&self, contact_id: &str) -> Result<Contact, Error<GetContactError>> {
                    let request = self.get_contact_request(contact_id)?;
                    self.send(request, decode_get_contact).await
                }
            },
            quote!(),
            quote! {
                pub fn delete_contact_request(&self, id: &str) -> Result<reqwest::Request, Error<DeleteContactError>> { todo!() }
                pub fn x(&self) {}
            },
        ];
        let whole = quote!(#header { #(#methods)* });
        let expected = print_plainly(&gate, whole).unwrap();
        let printed = print_block(&gate, header.clone(), methods.clone().into_iter()).unwrap();
        assert_eq!(printed, expected);

        // A block with no elements, and an item that is no impl, are printed whole.
        let empty = print_block(&gate, header.clone(), std::iter::empty()).unwrap();
        assert_eq!(empty, print_plainly(&gate, quote!(#header {})).unwrap());
        let function = quote!(pub fn get());
        let body = quote!(let x = 1;);
        let printed = print_block(&gate, function.clone(), std::iter::once(body.clone())).unwrap();
        assert_eq!(
            printed,
            print_plainly(&gate, quote!(#function { #body })).unwrap()
        );
    }
}
