//! Lowering of webhooks (3.1 `webhooks`): requests the API sends to its users. The crate
//! cannot receive them (the HTTP server is the user's); it gives each one's body a type
//! and a function that decodes it.

use super::Lowerer;
use crate::ir::{Docs, ResponseBody, Webhook};
use crate::names::{self, NameSet};

impl<'a> Lowerer<'a> {
    pub(super) fn lower_webhooks(&mut self) -> Vec<Webhook> {
        let doc = self.doc;
        let mut function_names = NameSet::default();
        let mut webhooks = Vec::new();
        for (name, item) in &doc.webhooks {
            for operation in &item.operations {
                // The webhook's key names it; an item with several methods adds the method.
                let base = match &operation.operation_id {
                    Some(id) => names::snake(id, "webhook"),
                    None if item.operations.len() > 1 => {
                        names::snake(&format!("{name} {}", operation.method), "webhook")
                    }
                    None => names::snake(name, "webhook"),
                };
                let stem = format!("{}Webhook", names::pascal(&base, "Webhook", "W"));
                let mut media_types = Vec::new();
                let body = match &operation.request_body {
                    Some(body) => self.read_body(&body.content, &stem, &mut media_types),
                    None => ResponseBody::Empty,
                };
                let decode_fn = match body {
                    ResponseBody::Json(_) | ResponseBody::Text => Some(function_names.claim(&base)),
                    ResponseBody::Bytes | ResponseBody::Empty | ResponseBody::Upgrade => None,
                };
                let summary = operation.summary.clone().or_else(|| item.summary.clone());
                let description = operation
                    .description
                    .clone()
                    .or_else(|| item.description.clone())
                    .or_else(|| {
                        operation
                            .request_body
                            .as_ref()
                            .and_then(|body| body.description.clone())
                    })
                    .filter(|d| Some(d.trim()) != summary.as_deref().map(str::trim));
                let method = crate::document::wire_method(&operation.method);
                let mut note = format!("The `{name}` webhook: a `{method}` request");
                if !media_types.is_empty() {
                    let listed: Vec<String> = media_types
                        .iter()
                        .map(|media| format!("`{media}`"))
                        .collect();
                    note.push_str(&format!(" with a body of {}", listed.join(" or ")));
                }
                note.push('.');
                webhooks.push(Webhook {
                    name: name.clone(),
                    method,
                    decode_fn,
                    body,
                    media_types,
                    doc: Docs {
                        summary,
                        description,
                        notes: vec![note],
                        deprecated: operation
                            .deprecated
                            .then(|| "deprecated by the API".to_string()),
                        ..Docs::default()
                    },
                    pointer: operation.pointer.clone(),
                });
            }
        }
        webhooks
    }
}
