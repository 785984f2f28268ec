//! Stage 4, format: print emitted tokens as prettyplease does (a failure to parse is a
//! generator bug, reported with the offending file), and put the header on top.
//! prettyplease, not rustfmt: its output does not change with the toolchain, so
//! `codegen --check` does not flap.

use proc_macro2::TokenStream;

use crate::emit::{Emitted, Items, Part, Parts};
use crate::error::Error;
use crate::ir::Gate;
use crate::{GeneratedFile, Settings};

pub fn format(emitted: Vec<Emitted>, settings: &Settings) -> Result<Vec<GeneratedFile>, Error> {
    let mut files: Vec<GeneratedFile> = emitted
        .into_iter()
        .map(|file| match file {
            Emitted::Rust { path, tokens } => gated_file(path, whole_file(tokens), settings),
            Emitted::Gated { path, parts } => gated_file(path, parts, settings),
            Emitted::Module { path, text } => match text {
                Ok(text) => Ok(GeneratedFile {
                    path: path.to_string(),
                    contents: format!("{}\n{text}", settings.header("//")),
                }),
                Err(message) => Err(Error::Internal {
                    file: path.to_string(),
                    message: format!("the runtime module's gates cannot be applied: {message}"),
                }),
            },
            Emitted::Toml { path, text } => Ok(GeneratedFile {
                path: path.to_string(),
                contents: text,
            }),
        })
        .collect::<Result<_, _>>()?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The parts one after the other, each item of a part under the part's `cfg` attribute,
/// printed through [`crate::layout`] (prettyplease's text, mostly without parsing). Each
/// part is printed alone (prettyplease prints the items of a file one after another, so
/// the text is the same), and a model's text is remembered for the next crate.
fn gated_file<'a>(
    path: &str,
    parts: impl Iterator<Item = Part<'a>>,
    settings: &Settings,
) -> Result<GeneratedFile, Error> {
    let mut text = String::new();
    for part in parts {
        if let Some(printed) = &part.printed {
            text.push_str(printed);
            continue;
        }
        let printed: std::sync::Arc<str> = print_items(&part.gate, part.items)
            .map_err(|err| Error::Internal {
                file: path.to_string(),
                message: format!("emitted tokens do not parse: {err}"),
            })?
            .into();
        text.push_str(&printed);
        if let Some(model) = part.model {
            crate::memo::remember_model(model, printed);
        }
    }
    let mut contents = settings.header("//");
    contents.push('\n');
    space_items(&text, &mut contents);
    Ok(GeneratedFile {
        path: path.to_string(),
        contents,
    })
}

/// A file emitted whole, as one part that every build compiles.
fn whole_file<'a>(tokens: TokenStream) -> Parts<'a> {
    Box::new(std::iter::once(Part::new(&Gate::always(), tokens)))
}

/// The items as one stream, and the items again: to print them two ways (a block's
/// elements can be taken only once).
fn twice(items: Items) -> (TokenStream, Items<'static>) {
    match items {
        Items::Tokens(tokens) => (tokens.clone(), Items::Tokens(tokens)),
        Items::Block { header, elements } => {
            let elements: Vec<TokenStream> = elements.collect();
            let whole = crate::layout::block_item(header.clone(), elements.iter().cloned());
            let block = Items::Block {
                header,
                elements: Box::new(elements.into_iter()),
            };
            (whole, block)
        }
    }
}

/// A part's items under `gate`, as prettyplease prints them (through layouts).
fn print_items(gate: &TokenStream, items: Items) -> syn::Result<String> {
    match items {
        Items::Tokens(tokens) => crate::layout::print(gate, tokens),
        Items::Block { header, elements } => crate::layout::print_block(gate, header, elements),
    }
}

/// See [`crate::layout_mismatches`].
pub fn mismatches(emitted: Vec<Emitted>) -> Result<Vec<crate::LayoutMismatch>, Error> {
    let mut found = Vec::new();
    for file in emitted {
        let (path, parts) = match file {
            Emitted::Rust { path, tokens } => (path, whole_file(tokens)),
            Emitted::Gated { path, parts } => (path, parts),
            Emitted::Module { .. } | Emitted::Toml { .. } => continue,
        };
        for part in parts.filter(|part| part.printed.is_none()) {
            let internal = |err: syn::Error| Error::Internal {
                file: path.to_string(),
                message: format!("emitted tokens do not parse: {err}"),
            };
            let (whole, items) = twice(part.items);
            let prettyplease = crate::layout::print_plainly(&part.gate, whole).map_err(internal)?;
            let layouts = print_items(&part.gate, items).map_err(internal)?;
            if layouts != prettyplease {
                found.push(crate::LayoutMismatch {
                    file: path.to_string(),
                    layouts,
                    prettyplease,
                });
            }
        }
    }
    Ok(found)
}

/// Puts a blank line between items, as a person would; prettyplease packs them together.
/// An item starts where a line at some indentation follows the end (`}` or `;`) of the
/// previous item at the same indentation, or the module docs. Consecutive `use` lines stay
/// together.
fn space_items(source: &str, out: &mut String) {
    out.reserve(source.len() + source.len() / 16);
    let mut previous: Option<Line> = None;
    for text in source.lines() {
        let line = Line::of(text);
        if previous.is_some_and(|before| starts_item(before, line)) {
            out.push('\n');
        }
        out.push_str(text);
        out.push('\n');
        previous = Some(line);
    }
}

/// A line without the whitespace around it, and how far it is indented.
#[derive(Clone, Copy)]
struct Line<'a> {
    trimmed: &'a str,
    indent: usize,
}

impl<'a> Line<'a> {
    fn of(text: &'a str) -> Line<'a> {
        let start = text.trim_start();
        Line {
            trimmed: start.trim_end(),
            indent: text.len() - start.len(),
        }
    }
}

fn starts_item(before: Line, line: Line) -> bool {
    let (before_trimmed, trimmed) = (before.trimmed, line.trimmed);
    if trimmed.is_empty()
        || trimmed.starts_with('}')
        || trimmed.starts_with(')')
        || trimmed.starts_with('.')
    {
        return false;
    }
    if before_trimmed.starts_with("//!") {
        return !trimmed.starts_with("//!");
    }
    let item_like = |text: &str| {
        [
            "pub ",
            "fn ",
            "impl",
            "struct ",
            "enum ",
            "type ",
            "const ",
            "mod ",
            "use ",
            "#[",
            "///",
            "async fn ",
        ]
        .iter()
        .any(|start| text.starts_with(start))
    };
    let is_comment = before_trimmed.starts_with("//");
    let ends_item = before_trimmed == "}"
        || (before_trimmed.ends_with(';') && item_like(before_trimmed) && !is_comment)
        || (before_trimmed.ends_with("{}") && item_like(before_trimmed))
        || before_trimmed.ends_with("};");
    if before.indent != line.indent || !ends_item || !item_like(trimmed) {
        return false;
    }
    let is_use = |text: &str| text.starts_with("use ") || text.starts_with("pub use ");
    !(is_use(before_trimmed) && is_use(trimmed))
}
