//! Stage 3, emit: IR to Rust tokens (and the crate's `Cargo.toml`). Emitting makes no
//! decisions that lowering should have made; it never renames and never reads the spec.

mod bodies;
mod client;
pub(crate) mod docs;
mod examples;
mod models;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Api, BodyEncoding, TypeRef};
use crate::Settings;

/// One emitted file before formatting.
pub enum Emitted {
    Rust {
        path: &'static str,
        tokens: TokenStream,
    },
    /// Rust support modules shipped as source, parsed and printed like the rest.
    RustSource {
        path: &'static str,
        source: String,
    },
    Toml {
        path: &'static str,
        text: String,
    },
}

pub fn emit(api: &Api, settings: &Settings) -> Vec<Emitted> {
    let mut files = vec![
        Emitted::Toml {
            path: "Cargo.toml",
            text: cargo_toml(api, settings),
        },
        Emitted::Rust {
            path: "src/lib.rs",
            tokens: lib_rs(api, settings),
        },
        Emitted::Rust {
            path: "src/client.rs",
            tokens: client::emit_client(api),
        },
        Emitted::RustSource {
            path: "src/error.rs",
            source: error_rs(api),
        },
        Emitted::Rust {
            path: "src/models.rs",
            tokens: models::emit_models(api),
        },
        Emitted::RustSource {
            path: "src/nullable.rs",
            source: include_str!("emit/runtime/nullable.rs").to_string(),
        },
        Emitted::RustSource {
            path: "src/response.rs",
            source: include_str!("emit/runtime/response.rs").to_string(),
        },
        Emitted::RustSource {
            path: "src/transport.rs",
            source: include_str!("emit/runtime/transport.rs").to_string(),
        },
    ];
    if !api.examples.is_empty() {
        // The cases sit in a module that rustfmt skips, like every other generated file;
        // the test crate's root stays small enough to be rustfmt-stable.
        files.push(Emitted::Rust {
            path: "tests/examples/main.rs",
            tokens: examples::emit_root(),
        });
        files.push(Emitted::Rust {
            path: "tests/examples/round_trips.rs",
            tokens: examples::emit_examples(api, &settings.crate_name.replace('-', "_")),
        });
    }
    if uses_encoding(api, BodyEncoding::Form) {
        files.push(Emitted::RustSource {
            path: "src/form.rs",
            source: include_str!("emit/runtime/form.rs").to_string(),
        });
    }
    if uses_files(api) {
        files.push(Emitted::RustSource {
            path: "src/multipart.rs",
            source: include_str!("emit/runtime/multipart.rs").to_string(),
        });
    }
    files
}

/// Whether some multipart body has a file field (the crate then needs `FilePart`).
pub(crate) fn uses_files(api: &Api) -> bool {
    api.models.iter().any(|model| match &model.kind {
        crate::ir::ModelKind::Struct(shape) => shape
            .fields
            .iter()
            .any(|field| models::holds_file(&field.ty)),
        _ => false,
    })
}

/// Whether some operation sends a body encoded this way.
pub(crate) fn uses_encoding(api: &Api, encoding: BodyEncoding) -> bool {
    api.operations.iter().any(|op| {
        op.body
            .as_ref()
            .is_some_and(|body| body.encoding == encoding)
    })
}

/// The error module, with only the decoding helpers the client calls: a helper that no
/// operation needs would be dead code in the generated crate.
fn error_rs(api: &Api) -> String {
    let mut source = include_str!("emit/runtime/error.rs").to_string();
    if client::uses_rate_limited(api) {
        source.push('\n');
        source.push_str(include_str!("emit/runtime/rate_limited.rs"));
    }
    if client::uses_decode_body(api) {
        source.push('\n');
        source.push_str(include_str!("emit/runtime/decode_body.rs"));
    }
    if client::uses_decode_error(api) {
        source.push('\n');
        source.push_str(include_str!("emit/runtime/decode_error.rs"));
    }
    source
}

/// An identifier from a name the IR already made legal.
pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

pub(crate) fn type_tokens(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
        TypeRef::Named(name) => {
            let name = ident(name);
            quote!(#name)
        }
        TypeRef::Vec(inner) => {
            let inner = type_tokens(inner);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(inner);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Option(inner) => {
            let inner = type_tokens(inner);
            quote!(Option<#inner>)
        }
        TypeRef::Box(inner) => {
            let inner = type_tokens(inner);
            quote!(Box<#inner>)
        }
        TypeRef::File => quote!(FilePart),
    }
}

fn cargo_toml(api: &Api, settings: &Settings) -> String {
    let description = format!(
        "Typed client for {}, generated from its OpenAPI description",
        api.title
    );
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
default = ["rustls"]
# TLS through rustls (the default) or the platform's native TLS.
rustls = ["reqwest/rustls"]
native-tls = ["reqwest/native-tls"]

[dependencies]
reqwest = {{ version = "0.13", default-features = false{reqwest_features} }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
# Only its timer, to wait between the attempts of a retry policy (reqwest already uses Tokio).
tokio = {{ version = "1", features = ["time"] }}
"#,
        header = settings.header("#"),
        name = settings.crate_name,
        version = settings.crate_version,
        description = description.replace('"', "'"),
        reqwest_features = reqwest_features(api),
    )
}

/// reqwest features the API's request bodies need beyond the defaults.
fn reqwest_features(api: &Api) -> String {
    let mut features = Vec::new();
    if uses_encoding(api, BodyEncoding::Form) {
        features.push("\"form\"");
    }
    if uses_encoding(api, BodyEncoding::Multipart) || uses_encoding(api, BodyEncoding::MultipartRaw)
    {
        features.push("\"multipart\"");
    }
    if features.is_empty() {
        String::new()
    } else {
        format!(", features = [{}]", features.join(", "))
    }
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
        api.version, settings.spec_display
    ));
    lines.push(String::new());
    lines.extend(usage_example(api, &crate_ident));
    let inner_doc = docs::lines_to_inner_attrs(&lines);
    let form = uses_encoding(api, BodyEncoding::Form).then(|| {
        quote! {
            #[rustfmt::skip]
            mod form;
        }
    });
    let multipart = uses_files(api).then(|| {
        quote! {
            #[rustfmt::skip]
            mod multipart;
            pub use multipart::FilePart;
        }
    });
    quote! {
        #inner_doc

        #[rustfmt::skip]
        mod client;
        #[rustfmt::skip]
        mod error;
        #[rustfmt::skip]
        mod models;
        #[rustfmt::skip]
        mod nullable;
        #[rustfmt::skip]
        mod response;
        #[rustfmt::skip]
        mod transport;

        pub use client::*;
        pub use error::{Error, ErrorResponse, RequestState};
        pub use models::*;
        pub use nullable::Nullable;
        pub use response::{RateLimit, SuccessResponse};
        pub use transport::{RetryPolicy, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};
        #form
        #multipart
    }
}

/// A compiled (`no_run`) example of the first operation that can be called with literals.
fn usage_example(api: &Api, crate_ident: &str) -> Vec<String> {
    let mut lines = vec![
        "```no_run".to_string(),
        "# async fn example() -> Result<(), Box<dyn std::error::Error>> {".to_string(),
    ];
    let client = if api.uses_bearer {
        "Client::new(\"YOUR_ACCESS_TOKEN\")?"
    } else {
        "Client::new()?"
    };
    let call = api
        .operations
        .iter()
        .find_map(|op| client::example_call(api, op));
    match call {
        Some((imports, body)) => {
            let imports = match imports.as_slice() {
                [only] => only.clone(),
                _ => format!("{{{}}}", imports.join(", ")),
            };
            lines.push(format!("use {crate_ident}::{imports};"));
            lines.push(String::new());
            lines.push(format!("let client = {client};"));
            lines.extend(body);
        }
        None => {
            lines.push(format!("use {crate_ident}::Client;"));
            lines.push(String::new());
            lines.push(format!("let client = {client};"));
            lines.push("# let _ = client;".to_string());
        }
    }
    lines.push("# Ok(())".to_string());
    lines.push("# }".to_string());
    lines.push("```".to_string());
    lines
}
