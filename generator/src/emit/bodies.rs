//! Request bodies: the argument an operation takes for its body, and the statements that
//! put it on the request (JSON, form, multipart). Only `quote!`; the encoding is the IR's.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, type_tokens};
use crate::ir::{Api, BodyEncoding, ModelKind, RequestBody, TypeRef};

/// `body: &T`, `body: Option<&T>`, or a caller-built multipart form.
pub fn argument(body: &RequestBody) -> TokenStream {
    let ty = match body.encoding {
        BodyEncoding::MultipartRaw => quote!(reqwest::multipart::Form),
        _ => {
            let ty = type_tokens(&body.ty);
            quote!(&#ty)
        }
    };
    if body.required {
        quote!(body: #ty)
    } else {
        quote!(body: Option<#ty>)
    }
}

/// Statements that set the body on `request` (a mutable `reqwest::RequestBuilder`).
pub fn encode(api: &Api, body: &RequestBody) -> TokenStream {
    let encode = match body.encoding {
        BodyEncoding::Json => quote! {
            let encoded = serde_json::to_vec(body)
                .map_err(|error| Error::InvalidRequest(format!("the body could not be encoded as JSON: {error}")))?;
            request = request.header(CONTENT_TYPE, "application/json").body(encoded);
        },
        BodyEncoding::Form => quote! {
            request = request.form(&form_pairs(body)?);
        },
        BodyEncoding::MultipartRaw => quote! {
            request = request.multipart(body);
        },
        BodyEncoding::Multipart => multipart(api, &body.ty),
    };
    if body.required {
        encode
    } else {
        quote!(if let Some(body) = body { #encode })
    }
}

/// One part per field of the body's struct: files as file parts, values as text.
fn multipart(api: &Api, ty: &TypeRef) -> TokenStream {
    let fields = match ty {
        TypeRef::Named(name) => api
            .models
            .iter()
            .find(|model| &model.rust_name == name)
            .and_then(|model| match &model.kind {
                ModelKind::Struct(shape) => Some(&shape.fields),
                _ => None,
            }),
        _ => None,
    };
    let parts = fields.into_iter().flatten().map(|field| {
        let name = ident(&field.rust_name);
        let wire = &field.wire_name;
        let (is_list, inner) = match &field.ty {
            TypeRef::Vec(inner) => (true, inner.as_ref()),
            other => (false, other),
        };
        let add = |value: TokenStream| {
            if *inner == TypeRef::File {
                quote!(form = form.part(#wire, #value.to_part().map_err(Error::InvalidRequest)?);)
            } else {
                quote!(form = form.text(#wire, #value.to_string());)
            }
        };
        match (field.required, is_list) {
            (true, false) => add(quote!(body.#name)),
            (true, true) => {
                let add = add(quote!(value));
                quote!(for value in &body.#name { #add })
            }
            (false, false) => {
                let add = add(quote!(value));
                quote!(if let Some(value) = &body.#name { #add })
            }
            (false, true) => {
                let add = add(quote!(value));
                quote!(if let Some(values) = &body.#name { for value in values { #add } })
            }
        }
    });
    quote! {
        let mut form = reqwest::multipart::Form::new();
        #(#parts)*
        request = request.multipart(form);
    }
}
