//! Request bodies: the argument an operation takes for its body, the statements that put it
//! on the request (JSON, text, bytes, form, multipart), and the enum of an operation's
//! body kinds when it has several. Only `quote!`; the kinds are the IR's.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, type_tokens};
use crate::ir::{BodyContent, BodyKind, RequestBody, TypeRef};

/// Whether a body kind is held by reference (and so needs the method's lifetime).
fn borrowed(kind: &BodyKind) -> bool {
    !matches!(kind, BodyKind::Bytes | BodyKind::MultipartRaw)
}

/// `<'a>` on the method, when its body is a choice that borrows.
pub fn lifetime(body: Option<&RequestBody>) -> Option<TokenStream> {
    let body = body?;
    (body.choice.is_some() && body.contents.iter().any(|c| borrowed(&c.kind))).then(|| quote!(<'a>))
}

/// What a method takes for one body kind.
fn held_type(kind: &BodyKind, lifetime: TokenStream) -> TokenStream {
    match kind {
        BodyKind::Json(ty) | BodyKind::Form(ty) => {
            let ty = type_tokens(ty);
            quote!(&#lifetime #ty)
        }
        BodyKind::Multipart(name) => {
            let ty = type_tokens(&TypeRef::Named(name.clone()));
            quote!(&#lifetime #ty)
        }
        BodyKind::Text => quote!(&#lifetime str),
        BodyKind::Bytes => quote!(reqwest::Body),
        BodyKind::MultipartRaw => quote!(reqwest::multipart::Form),
    }
}

/// `body: &T`, `body: Option<&T>`, or the choice of several kinds.
pub fn argument(body: &RequestBody) -> TokenStream {
    if let Some(choice) = &body.choice {
        let choice = ident(choice);
        let lifetime = lifetime(Some(body)).map(|_| quote!(<'a>));
        return if body.required {
            quote!(body: impl Into<#choice #lifetime>)
        } else {
            quote!(body: Option<#choice #lifetime>)
        };
    }
    let ty = match body.contents.first().map(|content| &content.kind) {
        Some(BodyKind::Bytes) if body.required => quote!(impl Into<reqwest::Body>),
        Some(kind) => held_type(kind, quote!()),
        None => quote!(()),
    };
    if body.required {
        quote!(body: #ty)
    } else {
        quote!(body: Option<#ty>)
    }
}

/// Statements that set the body `body` (of `content`'s kind) on `request`, a mutable
/// `reqwest::RequestBuilder`.
fn encode_content(content: &BodyContent) -> TokenStream {
    let media_type = &content.media_type;
    match &content.kind {
        BodyKind::Json(_) => quote! {
            let encoded = serde_json::to_vec(body)
                .map_err(|error| Error::InvalidRequest(format!("the body could not be encoded as JSON: {error}")))?;
            request = request.header(reqwest::header::CONTENT_TYPE, #media_type).body(encoded);
        },
        BodyKind::Text => quote! {
            request = request.header(reqwest::header::CONTENT_TYPE, #media_type).body(body.to_string());
        },
        BodyKind::Bytes => quote! {
            request = request.header(reqwest::header::CONTENT_TYPE, #media_type).body(body);
        },
        BodyKind::Form(_) => quote! {
            request = request.form(&crate::form::form_pairs(body)?);
        },
        BodyKind::MultipartRaw => quote! {
            request = request.multipart(body);
        },
        BodyKind::Multipart(_) => quote! {
            request = request.multipart(body.to_form()?);
        },
    }
}

/// Statements that put the body on the request.
pub fn encode(body: &RequestBody) -> TokenStream {
    let encode = match &body.choice {
        Some(choice) => {
            let choice = ident(choice);
            let arms = body.contents.iter().map(|content| {
                let variant = ident(&content.variant);
                let encode = encode_content(content);
                quote!(#choice::#variant(body) => { #encode })
            });
            let value = if body.required {
                quote!(body.into())
            } else {
                quote!(body)
            };
            quote! {
                match #value {
                    #(#arms)*
                }
            }
        }
        None => match body.contents.first() {
            Some(content) if content.kind == BodyKind::Bytes && body.required => {
                let media_type = &content.media_type;
                quote! {
                    request = request.header(reqwest::header::CONTENT_TYPE, #media_type).body(body.into());
                }
            }
            Some(content) => encode_content(content),
            None => quote!(),
        },
    };
    if body.required {
        encode
    } else {
        quote!(if let Some(body) = body { #encode })
    }
}

/// The enum of an operation's body kinds, when it has several: one variant per media type,
/// converted from the value of the first kind of each Rust type.
pub fn choice_enum(body: &RequestBody, method: &str) -> Option<TokenStream> {
    let choice = ident(body.choice.as_ref()?);
    let lifetime = lifetime(Some(body));
    let variants = body.contents.iter().map(|content| {
        let variant = ident(&content.variant);
        let ty = held_type(&content.kind, quote!('a));
        let doc = format!(" Sent as `{}`.", content.media_type);
        quote!(#[doc = #doc] #variant(#ty),)
    });
    let from_impls = body.contents.iter().filter(|c| c.from_impl).map(|content| {
        let variant = ident(&content.variant);
        let ty = held_type(&content.kind, quote!('a));
        quote! {
            impl #lifetime From<#ty> for #choice #lifetime {
                fn from(body: #ty) -> Self {
                    #choice::#variant(body)
                }
            }
        }
    });
    let doc = format!(
        " The ways [`Client::{method}`] can send its body; a value of the preferred kind converts into it."
    );
    Some(quote! {
        #[doc = #doc]
        #[derive(Debug)]
        pub enum #choice #lifetime {
            #(#variants)*
        }
        #(#from_impls)*
    })
}
