//! The generator's one error type, and the diagnostics that carry a place in a spec.
//!
//! Messages follow rustc's shape: what is wrong, where (file, line:column, JSON pointer),
//! the source line with the place underlined, and a `help` line saying what to do. The
//! rendering itself lives in `render.rs`; positions are found by `position.rs`.

use std::fmt;
use std::path::{Path, PathBuf};

/// Everything that can stop generation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The spec has one or more problems; all of them are listed, sorted by place.
    #[error("{}", render_all(.0))]
    Spec(Vec<Diagnostic>),
    /// The generator produced tokens that do not parse as Rust: a bug in the generator.
    #[error("internal error: generated `{file}` does not parse as Rust: {message}\n   = help: this is a generator bug; please report it with the spec that caused it")]
    Internal { file: String, message: String },
}

impl Error {
    /// A spec error with a single diagnostic.
    pub fn spec(diagnostic: Diagnostic) -> Self {
        Error::Spec(vec![diagnostic])
    }

    /// The diagnostics of a spec error, or none for other errors.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Spec(list) => list,
            Error::Internal { .. } => &[],
        }
    }
}

/// One problem in a spec, with its place. Plain data: [`crate::load`] and [`crate::lower`]
/// fill in `line_col` and `excerpt` from the source files before they return it, and its
/// `Display` renders it the way rustc shows an error.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The file the problem is in, as the user named it (or as reached through a `$ref`).
    pub file: PathBuf,
    /// Line and column, 1-based (the column counts characters), when the place is known.
    pub line_col: Option<(usize, usize)>,
    /// JSON pointer to the offending value in `file`, `#` for the document root.
    pub pointer: String,
    /// Lowercase, no trailing period: what is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// The source line at `line_col`, for showing it under the message (boxed: a
    /// diagnostic is passed around by value, and most of them are cheap to move).
    pub excerpt: Option<Box<Excerpt>>,
}

/// One line of a spec and the part of it a diagnostic is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Excerpt {
    /// The line, without its line break.
    pub text: String,
    /// The byte range of `text` to underline, `(start, end)`.
    pub span: (usize, usize),
}

impl Diagnostic {
    pub fn new(file: &Path, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_path_buf(),
            line_col: None,
            pointer: pointer.into(),
            message: message.into(),
            help: None,
            excerpt: None,
        }
    }

    pub fn at_line(mut self, line: usize, column: usize) -> Self {
        self.line_col = Some((line, column));
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::render::render(self))
    }
}

/// At most this many diagnostics are rendered: a spec with thousands of problems is read
/// from its first ones, and the rest would only bury them.
const SHOWN: usize = 100;

fn render_all(diagnostics: &[Diagnostic]) -> String {
    let mut out = diagnostics
        .iter()
        .take(SHOWN)
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n\n");
    if diagnostics.len() > SHOWN {
        out.push_str(&format!(
            "\n\nerror: aborting due to {} problems in the spec (the first {SHOWN} are shown)",
            diagnostics.len()
        ));
    } else if diagnostics.len() > 1 {
        out.push_str(&format!(
            "\n\nerror: aborting due to {} problems in the spec",
            diagnostics.len()
        ));
    }
    out
}
