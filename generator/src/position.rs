//! Where a JSON pointer sits in a source file, for diagnostics. Part of the load stage's
//! bookkeeping: the loader keeps the text of every file it read ([`Sources`]) and, for each
//! value it copied from another file into the root document, where it came from; a
//! diagnostic about the bundled document is moved back to that file and pointer, then
//! given a line, a column and the source line.
//!
//! No index of every value is kept: for a 50 MB spec it would cost hundreds of megabytes
//! for the sake of a handful of messages. Instead, when diagnostics are returned, each file
//! they name is scanned once (a small JSON scanner, or `yaml-rust2`'s event parser, both
//! without recursion) for all of their pointers together.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{Diagnostic, Excerpt};

/// Source lines longer than this are not quoted (a minified JSON spec is one line).
const LONGEST_EXCERPT: usize = 4096;

/// The text of every file a spec was read from, and the origin of every imported value.
#[derive(Clone, Default)]
pub(crate) struct Sources {
    /// By normalized path.
    texts: BTreeMap<PathBuf, Arc<str>>,
    /// Pointer prefix in the bundled root document → the file and pointer it was copied from.
    origins: BTreeMap<String, (PathBuf, String)>,
}

impl std::fmt::Debug for Sources {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sources")
            .field("files", &self.texts.keys().collect::<Vec<_>>())
            .field("origins", &self.origins.len())
            .finish()
    }
}

impl Sources {
    pub(crate) fn add_text(&mut self, path: &Path, text: Arc<str>) {
        self.texts.insert(crate::load::normalize(path), text);
    }

    /// Records that the value at `prefix` in the bundled root came from `pointer` in `file`.
    pub(crate) fn add_origin(&mut self, prefix: String, file: &Path, pointer: String) {
        self.origins.insert(prefix, (file.to_path_buf(), pointer));
    }

    pub(crate) fn origin_count(&self) -> usize {
        self.origins.len()
    }

    /// The origins recorded strictly under `prefix`: (pointer suffix, file, pointer).
    pub(crate) fn origins_under(&self, prefix: &str) -> Vec<(String, PathBuf, String)> {
        self.origins
            .range(prefix.to_string()..)
            .take_while(|(key, _)| key.starts_with(prefix))
            .filter_map(|(key, (file, pointer))| {
                let suffix = &key[prefix.len()..];
                suffix
                    .starts_with('/')
                    .then(|| (suffix.to_string(), file.clone(), pointer.clone()))
            })
            .collect()
    }

    /// A diagnostic about the bundled document (in `root`) is moved to the file and pointer
    /// its value was copied from, when it was copied.
    pub(crate) fn map_to_origin(&self, root: &Path, diagnostic: &mut Diagnostic) {
        if self.origins.is_empty()
            || crate::load::normalize(&diagnostic.file) != crate::load::normalize(root)
        {
            return;
        }
        let pointer = diagnostic.pointer.clone();
        let mut prefix = pointer.as_str();
        loop {
            if let Some((file, original)) = self.origins.get(prefix) {
                diagnostic.file = file.clone();
                diagnostic.pointer = format!("{original}{}", &pointer[prefix.len()..]);
                return;
            }
            match prefix.rfind('/') {
                Some(cut) => prefix = &prefix[..cut],
                None => return,
            }
        }
    }

    /// Gives each diagnostic without a line its line, column and source line, scanning
    /// each file at most once.
    pub(crate) fn locate(&self, diagnostics: &mut [Diagnostic]) {
        let mut by_file: BTreeMap<PathBuf, Vec<usize>> = BTreeMap::new();
        for (index, diagnostic) in diagnostics.iter().enumerate() {
            if diagnostic.line_col.is_none() || diagnostic.excerpt.is_none() {
                by_file
                    .entry(crate::load::normalize(&diagnostic.file))
                    .or_default()
                    .push(index);
            }
        }
        for (file, indices) in by_file {
            let Some(text) = self.texts.get(&file) else {
                continue;
            };
            let mut trie = Trie::default();
            let wanted: Vec<(usize, Option<usize>)> = indices
                .iter()
                .map(|&index| {
                    let diagnostic = &diagnostics[index];
                    let node = diagnostic
                        .line_col
                        .is_none()
                        .then(|| trie.insert(&diagnostic.pointer));
                    (index, node)
                })
                .collect();
            if trie.nodes.len() > 1 || wanted.iter().any(|(_, node)| node.is_some()) {
                let mut finder = Finder::new(&mut trie);
                if is_json(&file) {
                    walk_json(text, &mut finder);
                } else {
                    finder.fix_block_mappings = true;
                    walk_yaml(text, &mut finder);
                }
            }
            let mut lines: BTreeMap<usize, Option<String>> = BTreeMap::new();
            for &(index, node) in &wanted {
                if let Some(node) = node {
                    diagnostics[index].line_col = trie.deepest_place(node);
                }
                if let Some((line, _)) = diagnostics[index].line_col {
                    lines.insert(line, None);
                }
            }
            fill_lines(text, &mut lines);
            for &(index, _) in &wanted {
                let diagnostic = &mut diagnostics[index];
                if let Some((line, column)) = diagnostic.line_col {
                    if let Some(Some(text)) = lines.get(&line) {
                        diagnostic.excerpt = excerpt_of_line(text, column).map(Box::new);
                    }
                }
            }
        }
    }
}

/// Whether a spec file is read as JSON (by its extension), else as YAML.
pub(crate) fn is_json(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("json"))
}

/// The excerpt for a parser's error: the one character it stopped at is underlined.
pub(crate) fn excerpt_at(text: &str, line: usize, column: usize) -> Option<Excerpt> {
    let mut lines = BTreeMap::from([(line, None)]);
    fill_lines(text, &mut lines);
    let mut excerpt = excerpt_of_line(lines.remove(&line)??.as_str(), column)?;
    let (start, _) = excerpt.span;
    let width = excerpt.text[start..]
        .chars()
        .next()
        .map_or(0, char::len_utf8);
    excerpt.span = (start, start + width);
    Some(excerpt)
}

/// Fills in the text of the wanted lines (1-based), in one pass over the file.
fn fill_lines(text: &str, lines: &mut BTreeMap<usize, Option<String>>) {
    let Some(&last) = lines.keys().next_back() else {
        return;
    };
    for (index, line) in text.split('\n').enumerate().take(last) {
        if let Some(slot) = lines.get_mut(&(index + 1)) {
            *slot = Some(line.strip_suffix('\r').unwrap_or(line).to_string());
        }
    }
    // A parser may point just past the last line break.
    if let Some(slot) = lines.get_mut(&(text.split('\n').count() + 1)) {
        *slot = Some(String::new());
    }
}

/// The line, underlined from `column` (1-based, in characters) to its last non-blank.
fn excerpt_of_line(line: &str, column: usize) -> Option<Excerpt> {
    if line.len() > LONGEST_EXCERPT {
        return None;
    }
    let start = line
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line.len(), |(at, _)| at);
    let end = line.trim_end().len().max(start);
    let end = if end == start {
        line[start..]
            .chars()
            .next()
            .map_or(start, |c| start + c.len_utf8())
    } else {
        end
    };
    Some(Excerpt {
        text: line.to_string(),
        span: (start, end),
    })
}

/// 1-based line and column (in characters).
type Place = (usize, usize);

/// The pointers being looked for, as a tree of their reference tokens.
#[derive(Default)]
struct Trie {
    nodes: Vec<TrieNode>,
}

#[derive(Default)]
struct TrieNode {
    children: HashMap<String, usize>,
    parent: Option<usize>,
    place: Option<Place>,
}

impl Trie {
    /// Adds a pointer (`#/a/b~1c`) and returns its node.
    fn insert(&mut self, pointer: &str) -> usize {
        if self.nodes.is_empty() {
            self.nodes.push(TrieNode::default());
        }
        let mut node = 0;
        let Some(rest) = pointer.strip_prefix("#/") else {
            return node;
        };
        for token in rest.split('/') {
            let token = token.replace("~1", "/").replace("~0", "~");
            node = match self.nodes[node].children.get(&token) {
                Some(&child) => child,
                None => {
                    let child = self.nodes.len();
                    self.nodes.push(TrieNode {
                        parent: Some(node),
                        ..TrieNode::default()
                    });
                    self.nodes[node].children.insert(token, child);
                    child
                }
            };
        }
        node
    }

    /// The place of the node, or of its nearest ancestor that was found.
    fn deepest_place(&self, mut node: usize) -> Option<Place> {
        loop {
            if let Some(place) = self.nodes[node].place {
                return Some(place);
            }
            node = self.nodes[node].parent?;
        }
    }

    fn child(&self, node: Option<usize>, token: &str) -> Option<usize> {
        self.nodes[node?].children.get(token).copied()
    }

    fn wants_children(&self, node: Option<usize>) -> bool {
        node.is_some_and(|node| !self.nodes[node].children.is_empty())
    }
}

enum Frame {
    Map {
        node: Option<usize>,
        /// The trie node of the key just read (`Some(None)`: a key nobody looks for).
        key: Option<(Option<usize>, Place)>,
        /// A node whose place is better given by this mapping's first key.
        fix: Option<usize>,
    },
    Seq {
        node: Option<usize>,
        index: usize,
    },
    /// Inside a complex (non-scalar) YAML key.
    Skip {
        depth: usize,
        at: Place,
    },
}

enum Open {
    Map,
    Seq,
}

/// Follows a stream of parse events and records the place of every wanted pointer.
struct Finder<'t> {
    trie: &'t mut Trie,
    stack: Vec<Frame>,
    root_seen: bool,
    /// YAML block mappings report their start oddly: place them at their first key.
    fix_block_mappings: bool,
}

impl<'t> Finder<'t> {
    fn new(trie: &'t mut Trie) -> Self {
        Finder {
            trie,
            stack: Vec::new(),
            root_seen: false,
            fix_block_mappings: false,
        }
    }

    /// Whether the next scalar is a mapping key whose text matters.
    fn wants_key_text(&self) -> bool {
        match self.stack.last() {
            Some(Frame::Map {
                node, key: None, ..
            }) => self.trie.wants_children(*node),
            _ => false,
        }
    }

    fn scalar(&mut self, text: &str, at: Place) {
        if let Some(Frame::Map { node, key, fix }) = self.stack.last_mut() {
            if key.is_none() {
                let child = node.and_then(|node| self.trie.nodes[node].children.get(text).copied());
                *key = Some((child, at));
                if let Some(fixed) = fix.take() {
                    self.trie.nodes[fixed].place = Some(at);
                }
                return;
            }
        }
        if let Some(Frame::Skip { .. }) = self.stack.last() {
            return;
        }
        self.value(at, None);
    }

    fn open(&mut self, kind: Open, at: Place) {
        match self.stack.last_mut() {
            Some(Frame::Skip { depth, .. }) => {
                *depth += 1;
                return;
            }
            Some(Frame::Map { key: None, .. }) => {
                self.stack.push(Frame::Skip { depth: 0, at });
                return;
            }
            _ => {}
        }
        self.value(at, Some(kind));
    }

    fn close(&mut self) {
        match self.stack.last_mut() {
            Some(Frame::Skip { depth, at }) if *depth == 0 => {
                let at = *at;
                self.stack.pop();
                if let Some(Frame::Map { key, .. }) = self.stack.last_mut() {
                    *key = Some((None, at));
                }
            }
            Some(Frame::Skip { depth, .. }) => *depth -= 1,
            _ => {
                self.stack.pop();
            }
        }
    }

    fn value(&mut self, at: Place, opens: Option<Open>) {
        let in_map = matches!(self.stack.last(), Some(Frame::Map { .. }));
        let (node, place) = match self.stack.last_mut() {
            Some(Frame::Map { key, .. }) => match key.take() {
                Some((child, key_at)) => (child, key_at),
                None => (None, at),
            },
            Some(Frame::Seq { node, index }) => {
                let child = if self.trie.wants_children(*node) {
                    self.trie.child(*node, &index.to_string())
                } else {
                    None
                };
                *index += 1;
                (child, at)
            }
            Some(Frame::Skip { .. }) => (None, at),
            None if !self.root_seen => {
                self.root_seen = true;
                (Some(0).filter(|_| !self.trie.nodes.is_empty()), at)
            }
            None => (None, at),
        };
        if let Some(node) = node {
            self.trie.nodes[node].place.get_or_insert(place);
        }
        match opens {
            Some(Open::Map) => {
                let fix = node.filter(|_| self.fix_block_mappings && !in_map);
                self.stack.push(Frame::Map {
                    node,
                    key: None,
                    fix,
                });
            }
            Some(Open::Seq) => self.stack.push(Frame::Seq { node, index: 0 }),
            None => {}
        }
    }
}

/// Scans JSON that already parsed: no validation, no recursion.
fn walk_json(text: &str, finder: &mut Finder) {
    let bytes = text.as_bytes();
    let (mut index, mut line, mut column) = (0, 1, 1);
    while index < bytes.len() {
        let at = (line, column);
        match bytes[index] {
            b'\n' => {
                line += 1;
                column = 0;
            }
            b'{' => finder.open(Open::Map, at),
            b'[' => finder.open(Open::Seq, at),
            b'}' | b']' => finder.close(),
            b'"' => {
                let start = index + 1;
                let mut end = start;
                while end < bytes.len() && bytes[end] != b'"' {
                    end += if bytes[end] == b'\\' { 2 } else { 1 };
                }
                let end = end.min(bytes.len());
                let raw = &text[start..end];
                if finder.wants_key_text() {
                    finder.scalar(&unescape_json(raw), at);
                } else {
                    finder.scalar("", at);
                }
                column += 1 + raw.chars().count();
                index = end;
            }
            b' ' | b'\t' | b'\r' | b',' | b':' => {}
            _ => {
                let start = index;
                while index + 1 < bytes.len()
                    && !matches!(
                        bytes[index + 1],
                        b',' | b'}' | b']' | b' ' | b'\n' | b'\t' | b'\r' | b':'
                    )
                {
                    index += 1;
                }
                finder.scalar("", at);
                column += index - start;
            }
        }
        index += 1;
        column += 1;
    }
}

/// Decodes a JSON string's escapes (the text between its quotes).
fn unescape_json(raw: &str) -> String {
    if !raw.contains('\\') {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('u') => {
                let hex = |chars: &mut std::str::Chars| {
                    let digits: String = chars.by_ref().take(4).collect();
                    u32::from_str_radix(&digits, 16).unwrap_or(0xFFFD)
                };
                let high = hex(&mut chars);
                let code = if (0xD800..0xDC00).contains(&high) {
                    let rest = chars.as_str();
                    if rest.starts_with("\\u") {
                        chars.next();
                        chars.next();
                        let low = hex(&mut chars);
                        0x10000 + ((high - 0xD800) << 10) + (low.wrapping_sub(0xDC00) & 0x3FF)
                    } else {
                        0xFFFD
                    }
                } else {
                    high
                };
                out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// Follows `yaml-rust2`'s events for the first document; stops quietly at anything it
/// cannot parse (the places found until then are kept).
fn walk_yaml(text: &str, finder: &mut Finder) {
    use yaml_rust2::parser::{Event, Parser};
    let mut parser = Parser::new_from_str(text);
    loop {
        let Ok((event, marker)) = parser.next_token() else {
            return;
        };
        let at = (marker.line(), marker.col() + 1);
        match event {
            Event::Scalar(text, ..) => finder.scalar(&text, at),
            Event::Alias(_) => finder.scalar("", at),
            Event::MappingStart(..) => finder.open(Open::Map, at),
            Event::SequenceStart(..) => finder.open(Open::Seq, at),
            Event::MappingEnd | Event::SequenceEnd => finder.close(),
            Event::DocumentEnd | Event::StreamEnd => return,
            Event::Nothing | Event::StreamStart | Event::DocumentStart => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places(text: &str, json: bool, pointers: &[&str]) -> Vec<Option<Place>> {
        let mut trie = Trie::default();
        let nodes: Vec<usize> = pointers.iter().map(|p| trie.insert(p)).collect();
        let mut finder = Finder::new(&mut trie);
        if json {
            walk_json(text, &mut finder);
        } else {
            finder.fix_block_mappings = true;
            walk_yaml(text, &mut finder);
        }
        nodes.iter().map(|&n| trie.deepest_place(n)).collect()
    }

    #[test]
    fn json_pointers_find_their_keys() {
        let text = "{\n  \"a\": {\"b~/c\": [1, {\"d\": \"é\\\"x\"}, 3]},\n  \"é\\u00e9\": true\n}";
        assert_eq!(
            places(
                text,
                true,
                &[
                    "#",
                    "#/a",
                    "#/a/b~0~1c/1/d",
                    "#/a/b~0~1c/2",
                    "#/éé",
                    "#/a/zz/y"
                ]
            ),
            [
                Some((1, 1)),
                Some((2, 3)),
                Some((2, 22)),
                Some((2, 36)),
                Some((3, 3)),
                Some((2, 3))
            ]
        );
    }

    #[test]
    fn yaml_pointers_find_their_keys() {
        let text = "a: 1\nb:\n  c: 'x'\n  d:\n    - name: one\n    - [x, {e: f}]\n";
        assert_eq!(
            places(
                text,
                false,
                &["#/a", "#/b/c", "#/b/d/0", "#/b/d/1/1/e", "#/b/q"]
            ),
            [
                Some((1, 1)),
                Some((3, 3)),
                Some((5, 7)),
                Some((6, 12)),
                Some((2, 1))
            ]
        );
    }

    #[test]
    fn excerpts_underline_from_the_column() {
        let excerpt = excerpt_of_line("  bé: x  ", 3).expect("an excerpt");
        assert_eq!(&excerpt.text[excerpt.span.0..excerpt.span.1], "bé: x");
        let excerpt = excerpt_at("a: 1\n  bé: x  \n", 2, 3).expect("an excerpt");
        assert_eq!(excerpt.text, "  bé: x  ");
        assert_eq!(&excerpt.text[excerpt.span.0..excerpt.span.1], "b");
        assert_eq!(excerpt_at("a: 1\n", 2, 1).map(|e| e.span), Some((0, 0)));
    }
}
