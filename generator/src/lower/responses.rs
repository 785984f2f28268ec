//! Lowering of responses: split into successes and errors by status, each with what its
//! body is read as, and the `Accept` header that asks for those media types.

use super::bodies::MediaKind;
use super::Lowerer;
use crate::document::{self, StatusKey};
use crate::ir::{Docs, Response, ResponseBody, StatusMatch, TypeRef};
use crate::names::{self, NameSet};

pub(super) struct LoweredResponses {
    pub(super) success: Vec<Response>,
    pub(super) errors: Vec<Response>,
    pub(super) accept: String,
}

/// Whether a status is a success: 2xx, and `101 Switching Protocols`, which is what an
/// upgrade (a WebSocket) succeeds with.
fn is_success(status: StatusMatch) -> bool {
    match status {
        StatusMatch::Code(code) => (200..300).contains(&code) || code == 101,
        StatusMatch::Range(range) => range == 2,
        StatusMatch::Default => false,
    }
}

impl<'a> Lowerer<'a> {
    pub(super) fn responses(
        &mut self,
        operation: &'a document::Operation,
        type_stem: &str,
    ) -> LoweredResponses {
        let mut listed: Vec<(StatusMatch, &'a document::Response)> = operation
            .responses
            .iter()
            .map(|(status, response)| {
                let status = match status {
                    StatusKey::Code(code) => StatusMatch::Code(*code),
                    StatusKey::Range(range) => StatusMatch::Range(*range),
                    StatusKey::Default => StatusMatch::Default,
                };
                (status, response)
            })
            .collect();
        listed.sort_by_key(|(status, _)| *status);
        let successes = listed
            .iter()
            .filter(|(status, _)| is_success(*status))
            .count();
        let mut lowered = LoweredResponses {
            success: Vec::new(),
            errors: Vec::new(),
            accept: String::new(),
        };
        let mut accepted: Vec<String> = Vec::new();
        let mut success_names = NameSet::default();
        let mut error_names = NameSet::default();
        for (status, response) in listed {
            let variant_base = match status {
                StatusMatch::Code(code) => names::status_variant(code),
                StatusMatch::Range(range) => format!("Status{range}xx"),
                StatusMatch::Default => "Other".to_string(),
            };
            let ok = is_success(status);
            let hint = match (ok, successes) {
                (true, 1) => format!("{type_stem}Response"),
                _ => format!("{type_stem}{variant_base}"),
            };
            let body = if status == StatusMatch::Code(101) {
                ResponseBody::Upgrade
            } else {
                self.read_body(&response.content, &hint, &mut accepted)
            };
            let names = if ok {
                &mut success_names
            } else {
                &mut error_names
            };
            let response = Response {
                status,
                variant: names.claim(&variant_base),
                body,
                doc: Docs {
                    description: response
                        .description
                        .clone()
                        .filter(|d| !d.trim().is_empty()),
                    ..Docs::default()
                },
            };
            if ok {
                lowered.success.push(response);
            } else {
                lowered.errors.push(response);
            }
        }
        lowered.accept = if accepted.is_empty() {
            "application/json".to_string()
        } else {
            accepted.join(", ")
        };
        lowered
    }

    /// A body the client receives (a response, or a webhook's request), read as its
    /// preferred media type (JSON first), which is added to `accepted` with every other
    /// media type read the same way.
    pub(super) fn read_body(
        &mut self,
        content: &'a [document::MediaType],
        hint: &str,
        accepted: &mut Vec<String>,
    ) -> ResponseBody {
        for media in content {
            self.check_media(media);
        }
        let kinds: Vec<(MediaKind, &'a document::MediaType)> = content
            .iter()
            .map(|media| (self.content_kind(&media.media_type, media.schema), media))
            .collect();
        let chosen = kinds
            .iter()
            .find(|(kind, _)| *kind == MediaKind::Json)
            .or_else(|| kinds.first());
        let Some((kind, media)) = chosen else {
            return ResponseBody::Empty;
        };
        // Every media type read the same way can be asked for: the body is read alike.
        for (other_kind, other) in &kinds {
            if other_kind == kind && !accepted.contains(&other.media_type) {
                accepted.push(other.media_type.clone());
            }
        }
        match kind {
            MediaKind::Json => match media.schema {
                Some(schema) => {
                    let ty = self.schema_type(schema, hint);
                    self.record_examples(None, &ty, schema, &media.examples);
                    ResponseBody::Json(ty)
                }
                None => ResponseBody::Json(TypeRef::Json),
            },
            MediaKind::Text => ResponseBody::Text,
            MediaKind::Bytes | MediaKind::Form | MediaKind::Multipart | MediaKind::Any => {
                ResponseBody::Bytes
            }
        }
    }
}
