//! Emits `webhooks.rs`: a function per webhook that decodes the body of the request the
//! API sends, into the webhook's payload type. Only `quote!`: names and kinds come from
//! the IR.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, ident, type_tokens};
use crate::ir::{Api, ResponseBody};

pub fn emit_webhooks(api: &Api) -> TokenStream {
    let mut lines = vec![
        "Webhooks: the requests the API sends to you. Each function decodes the body of one \
         of them into its payload type; receiving the request is your HTTP server's job."
            .to_string(),
    ];
    let undecoded: Vec<String> = api
        .webhooks
        .iter()
        .filter(|webhook| webhook.decode_fn.is_none())
        .map(|webhook| {
            let what = match webhook.body {
                ResponseBody::Empty => "has no body",
                _ => "has a body of bytes, used as they come",
            };
            format!("- `{}` (`{}`) {what}.", webhook.name, webhook.method)
        })
        .collect();
    if !undecoded.is_empty() {
        lines.push(String::new());
        lines.push("These have nothing to decode:".to_string());
        lines.push(String::new());
        lines.extend(undecoded);
    }
    let module_doc = docs::lines_to_inner_attrs(&lines);
    let model_use = (!api.webhook_models.is_empty()).then(|| {
        let names = api.webhook_models.iter().map(|name| ident(name));
        quote!(use crate::models::{#(#names),*};)
    });
    let functions = api.webhooks.iter().filter_map(|webhook| {
        let name = ident(webhook.decode_fn.as_deref()?);
        let doc = docs::attrs(&webhook.doc, &[]);
        let (ty, decode) = match &webhook.body {
            ResponseBody::Json(ty) => (
                type_tokens(ty),
                quote!(serde_json::from_slice(body).map_err(crate::error::DecodeError::Json)),
            ),
            ResponseBody::Text => (
                quote!(String),
                quote!(String::from_utf8(body.to_vec()).map_err(crate::error::DecodeError::Text)),
            ),
            ResponseBody::Bytes | ResponseBody::Empty | ResponseBody::Upgrade => return None,
        };
        Some(quote! {
            #doc
            pub fn #name(body: &[u8]) -> Result<#ty, crate::error::DecodeError> {
                #decode
            }
        })
    });
    quote! {
        #module_doc

        #model_use

        #(#functions)*
    }
}
