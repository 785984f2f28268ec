//! `info.x-webhook-signatures`: the signature headers an API puts on the webhooks it sends.
//!
//! ```yaml
//! info:
//!   x-webhook-signatures:
//!     - {header: x-ghl-signature, algorithm: ed25519}
//!     - {header: x-wh-signature, algorithm: rsa-sha256, legacy: true}
//! ```
//!
//! One current signature, and at most one legacy signature that is checked only when the
//! caller asks.

use std::path::Path;

use serde_json::Value;

use crate::document::Document;
use crate::error::Diagnostic;
use crate::ir::{SignatureAlgorithm, WebhookSignature};

const EXTENSION: &str = "x-webhook-signatures";
const POINTER: &str = "#/info/x-webhook-signatures";
const FORM: &str = "list `{header, algorithm}` entries (`ed25519` or `rsa-sha256`), the legacy one with `legacy: true`: one current signature and at most one legacy";

pub(super) fn signatures(
    file: &Path,
    doc: &Document,
) -> Result<Vec<WebhookSignature>, Box<Diagnostic>> {
    let Some((_, value)) = doc.info.extensions.iter().find(|(key, _)| key == EXTENSION) else {
        return Ok(Vec::new());
    };
    let problem =
        |at: String, message: String| Box::new(Diagnostic::new(file, at, message).help(FORM));
    let Value::Array(entries) = value else {
        return Err(problem(
            POINTER.to_string(),
            "x-webhook-signatures is not a list".to_string(),
        ));
    };
    let mut out: Vec<WebhookSignature> = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let at = crate::pointer::push(POINTER, &index.to_string());
        let field = |name: &str| entry.get(name).and_then(Value::as_str).map(str::trim);
        let header = field("header")
            .filter(|header| reqwest_header_name(header))
            .ok_or_else(|| problem(at.clone(), "the entry names no valid `header`".to_string()))?;
        let algorithm = match field("algorithm") {
            Some("ed25519") => SignatureAlgorithm::Ed25519,
            Some("rsa-sha256") => SignatureAlgorithm::RsaSha256,
            other => {
                return Err(problem(
                    at,
                    format!("unsupported signature algorithm {other:?}"),
                ))
            }
        };
        let legacy = entry
            .get("legacy")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if out.iter().any(|seen| seen.legacy == legacy) {
            return Err(problem(
                at,
                "more than one signature of the same kind".to_string(),
            ));
        }
        out.push(WebhookSignature {
            header: header.to_ascii_lowercase(),
            algorithm,
            legacy,
        });
    }
    out.sort_by_key(|signature| signature.legacy);
    if out.first().is_some_and(|signature| signature.legacy) {
        return Err(problem(
            POINTER.to_string(),
            "only a legacy signature is listed".to_string(),
        ));
    }
    Ok(out)
}

/// Whether `name` can be an HTTP header name (RFC 9110 token characters).
fn reqwest_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}
