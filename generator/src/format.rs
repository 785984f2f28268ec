//! Stage 4, format: parse emitted tokens with `syn` (a failure is a generator bug, reported
//! with the offending file), print them with prettyplease, and put the header on top.
//! prettyplease, not rustfmt: its output does not change with the toolchain, so
//! `codegen --check` does not flap.

use crate::emit::Emitted;
use crate::error::Error;
use crate::{GeneratedFile, Settings};

pub fn format(emitted: Vec<Emitted>, settings: &Settings) -> Result<Vec<GeneratedFile>, Error> {
    let mut files: Vec<GeneratedFile> = emitted
        .into_iter()
        .map(|file| match file {
            Emitted::Rust { path, tokens } => {
                let source = tokens.to_string();
                rust_file(path, &source, settings)
            }
            Emitted::Syntax { path, file } => Ok(GeneratedFile {
                path: path.to_string(),
                contents: format!(
                    "{}\n{}",
                    settings.header("//"),
                    space_items(&prettyplease::unparse(&file))
                ),
            }),
            Emitted::Toml { path, text } => Ok(GeneratedFile {
                path: path.to_string(),
                contents: text,
            }),
        })
        .collect::<Result<_, _>>()?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

fn rust_file(path: &str, source: &str, settings: &Settings) -> Result<GeneratedFile, Error> {
    let syntax = syn::parse_file(source).map_err(|err| Error::Internal {
        file: path.to_string(),
        message: format!("{err} in:\n{source}"),
    })?;
    let body = space_items(&prettyplease::unparse(&syntax));
    Ok(GeneratedFile {
        path: path.to_string(),
        contents: format!("{}\n{body}", settings.header("//")),
    })
}

/// Puts a blank line between items, as a person would; prettyplease packs them together.
/// An item starts where a line at some indentation follows the end (`}` or `;`) of the
/// previous item at the same indentation, or the module docs. Consecutive `use` lines stay
/// together.
fn space_items(source: &str) -> String {
    let mut out = String::with_capacity(source.len() + source.len() / 16);
    let mut previous: Option<&str> = None;
    for line in source.lines() {
        if let Some(before) = previous {
            if starts_item(before, line) {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
        previous = Some(line);
    }
    out
}

fn starts_item(before: &str, line: &str) -> bool {
    let indent = |text: &str| text.len() - text.trim_start().len();
    let (before_trimmed, trimmed) = (before.trim(), line.trim());
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
    if indent(before) != indent(line) || !ends_item || !item_like(trimmed) {
        return false;
    }
    let is_use = |text: &str| text.starts_with("use ") || text.starts_with("pub use ");
    !(is_use(before_trimmed) && is_use(trimmed))
}
