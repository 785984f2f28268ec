//! Doc comments from spec text. Spec descriptions are Markdown written for a web page,
//! so they are made safe for rustdoc here: no indented or unlabelled code blocks (they
//! would become doctests), no bare URLs, no stray HTML tags or intra-doc links.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Docs;

/// Examples longer than this go into a JSON block instead of one line.
const INLINE_EXAMPLE_LIMIT: usize = 80;

/// `#[doc]` attributes for `docs`, followed by `extra` paragraphs: Markdown the generator
/// wrote itself, used as is; and `#[deprecated]` when the API deprecates the item.
pub fn attrs(docs: &Docs, extra: &[String]) -> TokenStream {
    let mut attrs = lines_to_attrs(&lines(docs, extra));
    attrs.extend(deprecated(docs));
    attrs
}

/// `#[deprecated]` for an item the API deprecates.
pub fn deprecated(docs: &Docs) -> Option<TokenStream> {
    let note = docs.deprecated.as_deref()?;
    Some(quote!(#[deprecated(note = #note)]))
}

pub fn lines_to_attrs<S: AsRef<str>>(lines: &[S]) -> TokenStream {
    // Each line's tokens are moved into one stream, not copied through a `quote!`.
    let mut attrs = TokenStream::new();
    for line in lines {
        let text = crate::memo::doc_literal(line.as_ref());
        attrs.extend(quote!(#[doc = #text]));
    }
    attrs
}

/// Crate or module docs (`//!`).
pub fn lines_to_inner_attrs(lines: &[String]) -> TokenStream {
    let attrs = lines.iter().map(|line| {
        let text = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#![doc = #text])
    });
    quote!(#(#attrs)*)
}

/// Like [`lines_to_inner_attrs`], each line only where `condition` (a `cfg` predicate) holds.
pub fn lines_to_gated_inner_attrs(lines: &[String], condition: &TokenStream) -> TokenStream {
    let attrs = lines.iter().map(|line| {
        let text = format!(" {line}");
        quote!(#![cfg_attr(#condition, doc = #text)])
    });
    quote!(#(#attrs)*)
}

/// The doc comment as lines of Markdown, paragraphs separated by empty lines.
pub fn lines(docs: &Docs, extra: &[String]) -> Vec<String> {
    let mut paragraphs: Vec<Vec<String>> = Vec::new();
    if let Some(summary) = docs.summary.as_deref().filter(|s| !s.trim().is_empty()) {
        paragraphs.push(markdown(summary));
    }
    if let Some(description) = docs.description.as_deref().filter(|s| !s.trim().is_empty()) {
        let description = markdown(description);
        if paragraphs.first() != Some(&description) {
            paragraphs.push(description);
        }
    }
    for note in &docs.notes {
        paragraphs.push(markdown(note));
    }
    if let Some(example) = &docs.example {
        paragraphs.push(example_lines(example));
    }
    for own in extra {
        paragraphs.push(own.lines().map(str::to_string).collect());
    }
    let mut out = Vec::new();
    for paragraph in paragraphs.into_iter().filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push(String::new());
        }
        out.extend(paragraph);
    }
    out
}

fn example_lines(compact: &str) -> Vec<String> {
    if compact.len() <= INLINE_EXAMPLE_LIMIT && !compact.contains('`') {
        return vec![format!("Example: `{compact}`")];
    }
    let pretty = serde_json::from_str::<serde_json::Value>(compact)
        .ok()
        .and_then(|value| serde_json::to_string_pretty(&value).ok())
        .unwrap_or_else(|| compact.to_string());
    let mut out = vec!["Example:".to_string(), String::new(), "```json".to_string()];
    out.extend(pretty.lines().map(str::to_string));
    out.push("```".to_string());
    out
}

/// Rewrites spec Markdown line by line so rustdoc renders it as written and warns about
/// nothing (nor clippy: no tabs, no list item continued without indentation).
fn markdown(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    // The indentation that continues the list item being written, if one is.
    let mut list_indent: Option<usize> = None;
    let text = text.replace('\t', "    ");
    for raw in text.trim().lines() {
        // Indentation would turn a line into a code block, which rustdoc compiles as a test.
        let line = raw.trim();
        if let Some(info) = line.strip_prefix("```") {
            if in_fence {
                out.push("```".to_string());
            } else {
                let info = info.trim();
                let is_rust = info.is_empty() || info.starts_with("rust");
                out.push(if is_rust {
                    "```text".to_string()
                } else {
                    format!("```{info}")
                });
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(raw.trim_end().to_string());
            continue;
        }
        if line.is_empty() {
            list_indent = None;
            out.push(String::new());
            continue;
        }
        if let Some(marker) = list_marker(line) {
            list_indent = Some(marker);
            out.push(escape_line(line));
        } else if let Some(indent) = list_indent {
            out.push(format!("{}{}", " ".repeat(indent), escape_line(line)));
        } else {
            out.push(escape_line(line));
        }
    }
    if in_fence {
        out.push("```".to_string());
    }
    // Collapse runs of blank lines so paragraphs stay clean.
    out.dedup_by(|a, b| a.is_empty() && b.is_empty());
    out
}

/// The width of a list item's marker (`- `, `* `, `12. `), when the line starts one.
fn list_marker(line: &str) -> Option<usize> {
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return Some(2);
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &line[digits..];
    (digits > 0 && digits < 10 && (rest.starts_with(". ") || rest.starts_with(") ")))
        .then_some(digits + 2)
}

/// Escapes Markdown text outside code spans: brackets, angle brackets, bare URLs.
fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for (index, part) in line.split('`').enumerate() {
        if index > 0 {
            out.push('`');
        }
        let in_code = index % 2 == 1 && line.matches('`').count() > index - 1;
        if in_code {
            out.push_str(part);
        } else {
            out.push_str(&escape_text(part));
        }
    }
    out
}

fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(url_len) = url_at(rest) {
            let url = &rest[..url_len];
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[url_len..];
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        match c {
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '*' if rest.len() == 1 => out.push_str("\\*"),
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Length of a URL starting at the beginning of `text`, if one does.
fn url_at(text: &str) -> Option<usize> {
    if !(text.starts_with("http://") || text.starts_with("https://")) {
        return None;
    }
    let end = text
        .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | ')' | '`'))
        .unwrap_or(text.len());
    let url = text[..end].trim_end_matches(['.', ',', ';', ':']);
    Some(url.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rustdoc_hazards_are_neutralised() {
        let docs = Docs {
            description: Some(
                "See <a href=\"https://x.io/a\">here</a> or https://x.io/b.\n    indented\n```\nlet x = 1;\n```\n[link] `[kept]`"
                    .into(),
            ),
            ..Docs::default()
        };
        assert_eq!(
            lines(&docs, &[]),
            vec![
                "See &lt;a href=\"<https://x.io/a>\"&gt;here&lt;/a&gt; or <https://x.io/b>.",
                "indented",
                "```text",
                "let x = 1;",
                "```",
                "\\[link\\] `[kept]`",
            ]
        );
    }

    #[test]
    fn lists_continue_indented_and_tabs_become_spaces() {
        let docs = Docs {
            description: Some(
                "Steps:\n- first\nstill first\n2. second\n\tindented\n\nafter\twards".into(),
            ),
            ..Docs::default()
        };
        assert_eq!(
            lines(&docs, &[]),
            vec![
                "Steps:",
                "- first",
                "  still first",
                "2. second",
                "   indented",
                "",
                "after    wards"
            ]
        );
    }

    #[test]
    fn long_examples_become_json_blocks() {
        let docs = Docs {
            example: Some(format!("\"{}\"", "x".repeat(90))),
            ..Docs::default()
        };
        let lines = lines(&docs, &[]);
        assert_eq!(lines[2], "```json");
        let short = Docs {
            example: Some("\"Rosan\"".into()),
            ..Docs::default()
        };
        assert_eq!(super::lines(&short, &[]), vec!["Example: `\"Rosan\"`"]);
    }
}
