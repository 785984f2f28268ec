//! Stage 3, emit: IR to Rust syntax (and the crate's `Cargo.toml`). Emitting makes no
//! decisions that lowering should have made; it never renames and never reads the spec.

mod bodies;
mod client;
pub(crate) mod docs;
mod examples;
mod gates;
mod models;
pub(crate) mod runtime;
mod webhooks;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Api, Gate, Piece, TypeRef};
use crate::Settings;

/// A file's parts, emitted as format asks for them: each part's tokens are printed and
/// dropped before the next part is built. A whole crate's tokens far outgrow the
/// processor's caches; built all before any was printed, they were written and read back
/// cold, and the generator took a fifth longer.
pub type Parts<'a> = Box<dyn Iterator<Item = Part<'a>> + 'a>;

/// One emitted file before formatting.
pub enum Emitted<'a> {
    Rust {
        path: &'static str,
        tokens: TokenStream,
    },
    /// A file whose parts are compiled under different features: format puts each part's
    /// `cfg` attribute on every item of the part.
    Gated {
        path: &'static str,
        parts: Parts<'a>,
    },
    /// A runtime module, already text (its source with the crate's gates applied); `Err`
    /// says why its gates could not be applied.
    Module {
        path: &'static str,
        text: Result<String, String>,
    },
    Toml {
        path: &'static str,
        text: String,
    },
}

pub fn emit<'a>(api: &'a Api, settings: &Settings) -> Vec<Emitted<'a>> {
    let mut files = vec![
        Emitted::Toml {
            path: "Cargo.toml",
            text: cargo_toml(api, settings),
        },
        Emitted::Rust {
            path: "src/lib.rs",
            tokens: lib_rs(api, settings),
        },
        Emitted::Gated {
            path: "src/client.rs",
            parts: Box::new(client::emit_client(api)),
        },
    ];
    // A description without schemas has no models module: its glob re-export would be unused.
    if !api.models.is_empty() {
        files.push(Emitted::Gated {
            path: "src/models.rs",
            parts: Box::new(models::emit_models(api)),
        });
    }
    if !api.webhooks.is_empty() {
        files.push(Emitted::Rust {
            path: "src/webhooks.rs",
            tokens: webhooks::emit_webhooks(api),
        });
    }
    files.extend(
        runtime::modules(&api.runtime)
            .into_iter()
            .map(|(path, text)| Emitted::Module { path, text }),
    );
    if !api.examples.is_empty() {
        // The cases sit in a module that rustfmt skips, like every other generated file;
        // the test crate's root stays small enough to be rustfmt-stable.
        files.push(Emitted::Rust {
            path: "tests/examples/main.rs",
            tokens: examples::emit_root(),
        });
        files.push(Emitted::Gated {
            path: "tests/examples/round_trips.rs",
            parts: Box::new(examples::emit_examples(
                api,
                &settings.crate_name.replace('-', "_"),
            )),
        });
    }
    files
}

/// Items that share a gate.
pub struct Part<'a> {
    /// `#[cfg(...)]`, or nothing for items every build compiles.
    pub gate: TokenStream,
    pub items: Items<'a>,
    /// The model the items are, for format to remember their text by.
    pub model: Option<crate::ir::Model>,
    /// The items' text, when it was printed before.
    pub printed: Option<std::sync::Arc<str>>,
}

impl Part<'_> {
    pub(crate) fn new(gate: &Gate, items: TokenStream) -> Part<'static> {
        Part {
            gate: gate_attr(gate),
            items: Items::Tokens(items),
            model: None,
            printed: None,
        }
    }
}

impl<'a> Part<'a> {
    /// One `impl` block, `header { elements }`, whose elements (impl items) are emitted as
    /// they are printed: a tag's methods are never all in memory at once.
    pub(crate) fn block(
        gate: &Gate,
        header: TokenStream,
        elements: impl Iterator<Item = TokenStream> + 'a,
    ) -> Part<'a> {
        Part {
            items: Items::Block {
                header,
                elements: Box::new(elements),
            },
            ..Part::new(gate, TokenStream::new())
        }
    }
}

/// The items of a part.
pub enum Items<'a> {
    Tokens(TokenStream),
    /// See [`Part::block`].
    Block {
        header: TokenStream,
        elements: Box<dyn Iterator<Item = TokenStream> + 'a>,
    },
}

/// The `cfg` predicate of a gate: `feature = "a"`, `any(feature = "a", ...)`, or `all()`
/// (true) for one that is always compiled.
pub(crate) fn gate_condition(gate: &Gate) -> TokenStream {
    match gate.features.as_slice() {
        [] => quote!(all()),
        [only] => quote!(feature = #only),
        several => quote!(any(#(feature = #several),*)),
    }
}

/// `#[cfg(...)]` for an item under `gate`; nothing for an item always compiled.
pub(crate) fn gate_attr(gate: &Gate) -> TokenStream {
    if gate.is_always() {
        return TokenStream::new();
    }
    let condition = gate_condition(gate);
    quote!(#[cfg(#condition)])
}

/// An identifier from a name the IR already made legal.
pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

pub(crate) fn type_tokens(ty: &TypeRef) -> TokenStream {
    type_tokens_in(ty, &quote!(crate))
}

/// The type as written outside the crate whose root is `root` (its tests name it).
pub(crate) fn type_tokens_in(ty: &TypeRef, root: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::U32 => quote!(u32),
        TypeRef::U64 => quote!(u64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
        // Written out: a body or a webhook payload may be base64 too, outside `models.rs`.
        TypeRef::Base64 => quote!(#root::Base64),
        TypeRef::Unit => quote!(()),
        TypeRef::Named(name) => {
            let name = ident(name);
            quote!(#name)
        }
        TypeRef::Vec(inner) => {
            let inner = type_tokens_in(inner, root);
            quote!(Vec<#inner>)
        }
        TypeRef::Tuple(items) => {
            let items = items.iter().map(|item| type_tokens_in(item, root));
            quote!((#(#items,)*))
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens_in(inner, root);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Option(inner) => {
            let inner = type_tokens_in(inner, root);
            quote!(Option<#inner>)
        }
        TypeRef::Box(inner) => {
            let inner = type_tokens_in(inner, root);
            quote!(Box<#inner>)
        }
        TypeRef::File => quote!(FilePart),
    }
}

/// The most paths a split feature's comment in `Cargo.toml` lists before it counts them.
const SHOWN_PATHS: usize = 4;

/// `text` as `#` comment lines of `Cargo.toml`, broken between words. A control character
/// from the spec (a tag's or a path's) is a space: TOML allows none in a comment, and a
/// line break would end it.
fn comment(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut out = String::new();
    let mut line = String::from("#");
    for word in text.split(' ') {
        if line.len() > 1 && line.len() + 1 + word.len() > COMMENT_WIDTH {
            out.push_str(&line);
            out.push('\n');
            line.truncate(1);
        }
        line.push(' ');
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// The width `Cargo.toml`'s comments are broken at, rustfmt's for the crate's code.
const COMMENT_WIDTH: usize = 100;

/// `` `a`, `b` and `c` ``.
fn listed(paths: &[String]) -> String {
    let quoted: Vec<String> = paths.iter().map(|path| format!("`{path}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

fn cargo_toml(api: &Api, settings: &Settings) -> String {
    let description = format!(
        "Typed client for {}, generated from its OpenAPI description",
        api.title
    );
    let reqwest_features = if api.runtime.reqwest_features.is_empty() {
        String::new()
    } else {
        let listed: Vec<String> = api
            .runtime
            .reqwest_features
            .iter()
            .map(|f| format!("\"{f}\""))
            .collect();
        format!(", features = [{}]", listed.join(", "))
    };
    let mut default = vec!["\"rustls\"".to_string()];
    let mut tag_features = String::new();
    if !api.features.is_empty() {
        tag_features.push_str(
            "\n# One feature per tag: each compiles its operations and the types they reach. Keep\n\
             # the ones you call: `default-features = false, features = [\"rustls\", ...]`.\n",
        );
        if api.features.iter().any(|feature| !feature.paths.is_empty()) {
            tag_features.push_str(
                "# A tag that would compile a large share of the crate is split by path resource\n\
                 # instead: one feature per resource, named after the tag and the resource.\n",
            );
        }
    }
    for feature in &api.features {
        default.push(format!("\"{}\"", feature.name));
        let tags: Vec<String> = feature.tags.iter().map(|tag| format!("`{tag}`")).collect();
        let noun = if feature.operations == 1 {
            "operation"
        } else {
            "operations"
        };
        let enables: Vec<String> = feature
            .reqwest_features
            .iter()
            .map(|f| format!("\"reqwest/{f}\""))
            .collect();
        let paths = match feature.paths.len() {
            0 => String::new(),
            1..=SHOWN_PATHS => format!(", on {}", listed(&feature.paths)),
            count => format!(", on `{}` and {} other paths", feature.paths[0], count - 1),
        };
        let about = format!(
            "{} {noun} tagged {}{paths}.",
            feature.operations,
            tags.join(", ")
        );
        tag_features.push_str(&comment(&about));
        tag_features.push_str(&format!("{} = [{}]\n", feature.name, enables.join(", ")));
    }
    let oauth_feature = if api.runtime.has(Piece::Oauth) {
        "# `RefreshingToken`: OAuth 2.0 access tokens renewed with a refresh token, one renewal\n\
         # at a time, each new token saved through your callback before it is used.\n\
         oauth = [\"tokio/sync\", \"reqwest/form\"]\n"
    } else {
        ""
    };
    format!(
        r#"{header}
[package]
name = "{name}"
version = "{version}"
edition = "2021"
rust-version = "1.85"
description = "{description}"
publish = false

[features]
default = [{default}]
# TLS through rustls with the ring crypto provider: pure Rust and a little C and assembly
# that any C compiler builds, no CMake or NASM. `Client::new` makes ring the process's
# rustls provider unless one is installed already.
rustls = ["reqwest/rustls-no-provider", "dep:rustls"]
# rustls with aws-lc-rs as reqwest ships it (faster handshakes, post-quantum key exchange;
# its build needs a C toolchain, and CMake on some platforms). Turn off the default features.
rustls-aws-lc-rs = ["reqwest/rustls"]
# The platform's TLS (OpenSSL, Secure Transport, SChannel) is not a feature here, so that
# this crate's lock file does not list OpenSSL's crates: turn off the default features and
# turn on reqwest's `native-tls` in your own Cargo.toml (Cargo unifies them).
# A `tracing` span for each request (operation, method, path template, status, attempts)
# and an event for each attempt; never a credential, a header value, the query or a body.
tracing = ["dep:tracing"]
{oauth}{signatures}{tag_features}
[dependencies]
reqwest = {{ version = "0.13", default-features = false{reqwest_features} }}
rustls = {{ version = "0.23", default-features = false, features = ["ring", "std", "tls12"], optional = true }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
# Only its timer, to wait between the attempts of a retry policy (reqwest already uses Tokio).
tokio = {{ version = "1", features = ["time"] }}
tracing = {{ version = "0.1", default-features = false, features = ["std"], optional = true }}
{futures_core}{ring}"#,
        futures_core = if api.runtime.has(Piece::Pagination) {
            "# Only its `Stream` trait, which the walks through pages implement.\n\
             futures-core = { version = \"0.3\", default-features = false }\n"
        } else {
            ""
        },
        oauth = oauth_feature,
        signatures = if api.runtime.has(Piece::WebhookSignatures) {
            "# `WebhookVerifier`: checks the signatures of the webhooks the API sends (ring, which\n\
             # the default TLS backend builds anyway).\n\
             webhook-signatures = [\"dep:ring\"]\n"
        } else {
            ""
        },
        ring = if api.runtime.has(Piece::WebhookSignatures) {
            "ring = { version = \"0.17\", optional = true }\n"
        } else {
            ""
        },
        header = settings.header("#"),
        default = default.join(", "),
        name = settings.crate_name,
        version = settings.crate_version,
        description = description.replace('\\', "\\\\").replace('"', "'"),
    )
}

fn lib_rs(api: &Api, settings: &Settings) -> TokenStream {
    let crate_ident = settings.crate_name.replace('-', "_");
    let mut lines = vec![format!("# {}", api.title), String::new()];
    if let Some(description) = &api.description {
        lines.extend(docs::lines(
            &crate::ir::Docs {
                description: Some(description.clone()),
                ..Default::default()
            },
            &[],
        ));
        lines.push(String::new());
    }
    lines.push(format!(
        "A typed client for version {} of the API, generated from `{}`. Every operation is a method \
         of [`Client`]; request and response bodies are plain serde types.",
        api.version.replace('`', "'"),
        settings.spec_display
    ));
    if !api.webhooks.is_empty() {
        lines.push(String::new());
        lines.push(
            "The webhooks the API sends have their bodies decoded by the functions of [`webhooks`]."
                .to_string(),
        );
    }
    lines.push(String::new());
    lines.push("```no_run".to_string());
    lines.push("# async fn example() -> Result<(), Box<dyn std::error::Error>> {".to_string());
    let usage = &api.usage;
    let use_line = |names: &[String]| match names {
        [only] => format!("use {crate_ident}::{only};"),
        several => format!("use {crate_ident}::{{{}}};", several.join(", ")),
    };
    // Without the operation's feature the example still compiles, without its call.
    let always = usage.call_gate.is_always();
    let mut imports = usage.imports.clone();
    let mut call_imports = Vec::new();
    if always {
        imports.extend(usage.call_imports.iter().cloned());
    } else if !usage.call_imports.is_empty() {
        call_imports.push(use_line(&usage.call_imports));
    }
    lines.push(use_line(&imports));
    let mut body = vec![String::new()];
    body.extend(usage.lines.iter().cloned());
    let mut call = Vec::new();
    if always {
        body.extend(usage.call.iter().cloned());
    } else {
        call.extend(usage.call.iter().cloned());
    }
    let tail = ["# Ok(())", "# }", "```"].map(String::from);
    let condition = gate_condition(&usage.call_gate);
    let parts = [
        docs::lines_to_inner_attrs(&lines),
        docs::lines_to_gated_inner_attrs(&call_imports, &condition),
        docs::lines_to_inner_attrs(&body),
        docs::lines_to_gated_inner_attrs(&call, &condition),
        docs::lines_to_inner_attrs(&tail),
    ];
    let inner_doc = quote!(#(#parts)*);
    let module_gates: std::collections::BTreeMap<&str, Gate> = runtime::module_paths(&api.runtime)
        .into_iter()
        .map(|(path, gate)| (runtime::module_name(path), gate))
        .chain([("client", Gate::always())])
        .chain((!api.models.is_empty()).then(|| ("models", Gate::always())))
        .collect();
    let modules = module_gates.iter().map(|(module, gate)| {
        let gate = gate_attr(gate);
        let module = ident(module);
        quote! {
            #gate
            #[rustfmt::skip]
            mod #module;
        }
    });
    // `webhooks` sorts after every other module, where rustfmt would put it.
    let webhooks = (!api.webhooks.is_empty()).then(|| {
        quote! {
            #[rustfmt::skip]
            pub mod webhooks;
        }
    });
    let has = |piece| api.runtime.has(piece);
    // In module order, as rustfmt sorts them: `lib.rs` is the one file rustfmt formats.
    let mut exports: Vec<(&str, TokenStream)> = vec![
        (
            "client",
            quote!(
                pub use client::*;
            ),
        ),
        (
            "error",
            quote!(
                pub use error::{DecodeError, Error, ErrorResponse, RequestState, SetupError};
            ),
        ),
        (
            "response",
            quote!(
                pub use response::{RateLimit, SuccessResponse};
            ),
        ),
        (
            "transport",
            quote!(
                pub use transport::{RetryPolicy, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};
            ),
        ),
        (
            "options",
            quote!(
                pub use options::{RequestOptions, IDEMPOTENCY_KEY};
            ),
        ),
    ];
    let optional = [
        (
            Piece::Nullable,
            "nullable",
            quote!(
                pub use nullable::Nullable;
            ),
        ),
        (
            Piece::Files,
            "multipart",
            quote!(
                pub use multipart::FilePart;
            ),
        ),
        (
            Piece::Base64,
            "base64",
            quote!(
                pub use base64::Base64;
            ),
        ),
        (
            Piece::Stream,
            "stream",
            quote!(
                pub use stream::ByteStream;
            ),
        ),
        (
            Piece::Upgrade,
            "upgrade",
            quote!(
                pub use upgrade::Upgraded;
            ),
        ),
        (
            Piece::TokenProvider,
            "credentials",
            quote!(
                pub use credentials::{CredentialError, Secret, TokenFuture, TokenProvider};
            ),
        ),
        (
            Piece::Pagination,
            "paginate",
            quote!(
                pub use paginate::{Items, Pages};
            ),
        ),
        (
            Piece::WebhookSignatures,
            "signatures",
            quote!(
                pub use signatures::{WebhookError, WebhookVerifier};
            ),
        ),
        (
            Piece::Oauth,
            "oauth",
            quote!(
                pub use oauth::{RefreshingToken, RefreshingTokenBuilder, TokenSet};
            ),
        ),
    ];
    if !api.models.is_empty() {
        let gate = gate_attr(&api.models_gate);
        exports.push((
            "models",
            quote!(
                #gate
                pub use models::*;
            ),
        ));
    }
    exports.extend(
        optional
            .into_iter()
            .filter(|(piece, _, _)| has(*piece))
            .map(|(piece, module, tokens)| {
                let gate = gate_attr(&api.runtime.gate(piece));
                (module, quote!(#gate #tokens))
            }),
    );
    exports.sort_by(|a, b| a.0.cmp(b.0));
    let exports = exports.into_iter().map(|(_, tokens)| tokens);
    quote! {
        #inner_doc

        #(#modules)*
        #webhooks

        #(#exports)*
    }
}
