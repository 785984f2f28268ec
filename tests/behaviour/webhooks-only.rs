//! Behaviour of `tests/fixtures/ok/webhooks-only.yaml`'s crate: a description with no
//! paths, only webhooks, gives the decoders of their bodies.

use fixture_webhooks_only::*;

#[test]
fn a_webhook_body_decodes_with_a_nullable_field_kept_apart_from_absent() {
    let build = webhooks::build_finished(br#"{"id": "b1", "outcome": "failed", "duration": null}"#)
        .expect("a build");
    assert_eq!(build.outcome, BuildOutcome::Failed);
    assert!(build.duration.is_null());
    let build = webhooks::build_finished(br#"{"id": "b2", "outcome": "retried"}"#).expect("a build");
    assert!(build.duration.is_absent());
    assert_eq!(build.outcome.as_str(), "retried", "an unknown value is kept");
}
