//! Rendering of a [`Diagnostic`] the way rustc shows an error, with `annotate-snippets`
//! (the renderer rustc itself uses). Rendering only reads the diagnostic: finding its
//! place is `position.rs`'s job, and a diagnostic with no place still renders.
//!
//! ```text
//! error: schema type `strang` is not an OpenAPI type
//!   --> spec/broken.yaml:18:19
//!    |
//! 18 |                   n:
//!    |                   ^^
//!    |
//!    = note: at #/paths/~1a/get/responses/200/content/application~1json/schema/properties/n
//!    = help: use one of string, number, integer, boolean, array, object
//! ```

use annotate_snippets::{AnnotationKind, Level, Origin, Renderer, Snippet};

use crate::error::Diagnostic;

/// The diagnostic as plain text (no colour), without a trailing line break.
pub(crate) fn render(diagnostic: &Diagnostic) -> String {
    let file = diagnostic.file.display().to_string();
    let pointer = format!("at {}", diagnostic.pointer);
    let mut group = Level::ERROR
        .primary_title(diagnostic.message.as_str())
        .element(match (&diagnostic.excerpt, diagnostic.line_col) {
            (Some(excerpt), Some((line, _))) => Snippet::source(excerpt.text.as_str())
                .line_start(line)
                .path(file.as_str())
                .annotation(AnnotationKind::Primary.span(excerpt.span.0..excerpt.span.1))
                .into(),
            (_, Some((line, column))) => Origin::path(file.as_str())
                .line(line)
                .char_column(column)
                .into(),
            (_, None) => annotate_snippets::Element::from(Origin::path(file.as_str())),
        });
    group = group.element(Level::NOTE.message(pointer.as_str()));
    if let Some(help) = &diagnostic.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    Renderer::plain().render(&[group])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Excerpt;
    use std::path::Path;

    #[test]
    fn a_located_diagnostic_shows_its_line_underlined() {
        let mut diagnostic = Diagnostic::new(Path::new("spec/a.yaml"), "#/x", "bad thing")
            .at_line(3, 5)
            .help("fix it");
        diagnostic.excerpt = Some(Box::new(Excerpt {
            text: "    x: 1".to_string(),
            span: (4, 8),
        }));
        let text = render(&diagnostic);
        assert_eq!(
            text,
            "error: bad thing\n --> spec/a.yaml:3:5\n  |\n3 |     x: 1\n  |     ^^^^\n  |\n  = note: at #/x\n  = help: fix it"
        );
    }

    #[test]
    fn a_diagnostic_without_a_place_still_names_the_file_and_pointer() {
        let diagnostic = Diagnostic::new(Path::new("spec/a.yaml"), "#", "cannot read").help("h");
        let text = render(&diagnostic);
        assert!(text.starts_with("error: cannot read\n"), "{text}");
        assert!(text.contains("spec/a.yaml"), "{text}");
        assert!(text.contains("at #"), "{text}");
        assert!(text.ends_with("= help: h"), "{text}");
    }
}
