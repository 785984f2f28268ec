//! The runtime modules a crate carries: the sources of `generator/runtime`, where they
//! compile and are tested as a crate, with only the items whose `cfg(feature = ...)`
//! gates name a piece the crate needs (lowering chose the pieces). The gates themselves
//! and the sources' tests (`cfg(test)`) are dropped.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use super::gates::Layout;
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

/// The runtime modules the crate calls for, each with the items it needs; an item that
/// only some tag features need is gated on them. `Err` is a generator bug: a source whose
/// gates cannot be applied (a test checks every source).
pub fn modules(runtime: &Runtime) -> Vec<(&'static str, Result<String, String>)> {
    let features: BTreeMap<&'static str, Gate> = runtime
        .pieces
        .iter()
        .map(|piece| (piece.feature(), runtime.gate(*piece)))
        .collect();
    SOURCES
        .iter()
        .zip(layouts())
        .filter(|(source, _)| carried(source, &runtime.pieces))
        .map(|(source, layout)| {
            let text = match layout {
                Ok(layout) => Ok(layout.apply(source.text, &features)),
                Err(problem) => Err(format!("{}: {problem}", source.path)),
            };
            (source.path, text)
        })
        .collect()
}

/// Where the gates of each source are, found once for the whole process.
fn layouts() -> &'static [Result<Layout, String>] {
    static LAYOUTS: LazyLock<Vec<Result<Layout, String>>> = LazyLock::new(|| {
        SOURCES
            .iter()
            .map(|source| Layout::of(source.text))
            .collect()
    });
    &LAYOUTS
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
    let features: BTreeMap<&str, Gate> = features.iter().map(|f| (*f, Gate::always())).collect();
    Some(Layout::of(source).ok()?.apply(source, &features))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gates_of_every_runtime_source_can_be_applied() {
        for (source, layout) in SOURCES.iter().zip(layouts()) {
            if let Err(problem) = layout {
                panic!("{}: {problem}", source.path);
            }
        }
    }

    #[test]
    fn every_runtime_source_is_rust_with_all_pieces_on_and_with_none() {
        for source in SOURCES {
            let all: Vec<&str> = source
                .text
                .split("feature = \"")
                .skip(1)
                .filter_map(|rest| rest.split('"').next())
                .collect();
            for features in [&all[..], &[]] {
                let out = compiled_under(source.text, features).expect("gates apply");
                assert!(
                    syn::parse_file(&out).is_ok(),
                    "{} under {features:?} is not Rust:\n{out}",
                    source.path
                );
                assert!(!out.contains("#[cfg"), "{}: a gate is left", source.path);
            }
        }
    }
}
