//! The generated `WebhookVerifier` against webhooks signed here: HighLevel's Ed25519
//! `x-ghl-signature` with a key made in the test, and the legacy RSA-SHA256
//! `x-wh-signature` with the test key pair in `tests/fixtures/keys/`. It fails closed.

use highlevel_contacts::{WebhookError, WebhookVerifier};
use reqwest::header::{HeaderMap, HeaderValue};
use ring::rand::SystemRandom;
use ring::signature::{Ed25519KeyPair, KeyPair, RsaKeyPair, RSA_PKCS1_SHA256};

const BODY: &[u8] = br#"{"type":"ContactCreate","locationId":"ve9EPM428h8vShlRW1KT","id":"c1"}"#;

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let group =
            chunk.iter().fold(0u32, |g, b| (g << 8) | u32::from(*b)) << (8 * (3 - chunk.len()));
        for index in 0..4 {
            if index <= chunk.len() {
                out.push(ALPHABET[(group >> (18 - 6 * index) & 0x3f) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// An Ed25519 key pair, and its public key as the PEM HighLevel publishes keys in.
fn ed25519() -> (Ed25519KeyPair, String) {
    let document = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).expect("a key");
    let pair = Ed25519KeyPair::from_pkcs8(document.as_ref()).expect("the key reads");
    let spki = [
        &[
            0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
        ][..],
        pair.public_key().as_ref(),
    ]
    .concat();
    let pem = format!(
        "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
        base64(&spki)
    );
    (pair, pem)
}

fn rsa() -> (RsaKeyPair, String) {
    let keys = codegen_tests::fixtures("keys");
    let private = std::fs::read(keys.join("test-rsa-private.der")).expect("the test key");
    let public = std::fs::read_to_string(keys.join("test-rsa-public.pem")).expect("the test key");
    (
        RsaKeyPair::from_der(&private).expect("a PKCS#1 RSA key"),
        public,
    )
}

fn rsa_sign(pair: &RsaKeyPair, body: &[u8]) -> String {
    let mut signature = vec![0; pair.public().modulus_len()];
    pair.sign(
        &RSA_PKCS1_SHA256,
        &SystemRandom::new(),
        body,
        &mut signature,
    )
    .expect("signed");
    base64(&signature)
}

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.append(*name, HeaderValue::from_str(value).expect("a header value"));
    }
    map
}

#[test]
fn a_signed_body_passes_and_comes_back_as_json() {
    let (pair, pem) = ed25519();
    let verifier = WebhookVerifier::new(&pem).expect("an Ed25519 key");
    let signed = headers(&[("x-ghl-signature", &base64(pair.sign(BODY).as_ref()))]);
    let event = verifier.verify(&signed, BODY).expect("verified");
    assert_eq!(event["type"], "ContactCreate");
    // The raw key works as well as the PEM.
    let raw = WebhookVerifier::new(pair.public_key().as_ref()).expect("32 bytes");
    assert!(raw.verify(&signed, BODY).is_ok());
}

#[test]
fn a_tampered_body_a_wrong_key_and_a_missing_or_bad_header_fail() {
    let (pair, pem) = ed25519();
    let (_, other_pem) = ed25519();
    let verifier = WebhookVerifier::new(&pem).expect("key");
    let signature = base64(pair.sign(BODY).as_ref());
    let signed = headers(&[("x-ghl-signature", &signature)]);
    let tampered = BODY
        .to_vec()
        .into_iter()
        .map(|b| if b == b'1' { b'2' } else { b })
        .collect::<Vec<_>>();
    assert!(matches!(
        verifier.verify(&signed, &tampered),
        Err(WebhookError::BadSignature { .. })
    ));
    // The same event, parsed and written again, is other bytes: it must not pass.
    let rewritten =
        serde_json::to_vec_pretty(&serde_json::from_slice::<serde_json::Value>(BODY).unwrap())
            .unwrap();
    assert!(verifier.verify(&signed, &rewritten).is_err());
    let wrong_key = WebhookVerifier::new(&other_pem).expect("key");
    assert!(matches!(
        wrong_key.verify(&signed, BODY),
        Err(WebhookError::BadSignature { .. })
    ));
    assert!(matches!(
        verifier.verify(&HeaderMap::new(), BODY),
        Err(WebhookError::MissingSignature { .. })
    ));
    for bad in ["", "not base64!", "AAAA"] {
        let outcome = verifier.verify(&headers(&[("x-ghl-signature", bad)]), BODY);
        assert!(outcome.is_err(), "{bad:?} passed");
    }
    let twice = headers(&[
        ("x-ghl-signature", &signature),
        ("x-ghl-signature", &signature),
    ]);
    assert!(matches!(
        verifier.verify(&twice, BODY),
        Err(WebhookError::MalformedSignature { .. })
    ));
}

#[test]
fn the_legacy_rsa_signature_counts_only_where_asked() {
    let (ed_pair, ed_pem) = ed25519();
    let (rsa_pair, rsa_pem) = rsa();
    let legacy = headers(&[("x-wh-signature", &rsa_sign(&rsa_pair, BODY))]);
    let current_only = WebhookVerifier::new(&ed_pem).expect("key");
    assert!(matches!(
        current_only.verify(&legacy, BODY),
        Err(WebhookError::MissingSignature { .. })
    ));
    let both = WebhookVerifier::new(&ed_pem)
        .expect("key")
        .accept_legacy(&rsa_pem)
        .expect("an RSA key");
    assert_eq!(
        both.verify(&legacy, BODY).expect("legacy accepted")["id"],
        "c1"
    );
    assert!(both.verify(&legacy, b"{\"id\":\"c2\"}").is_err());
    // A bad current signature is refused even beside a good legacy one.
    let mixed = headers(&[
        ("x-ghl-signature", &base64(ed_pair.sign(b"other").as_ref())),
        ("x-wh-signature", &rsa_sign(&rsa_pair, BODY)),
    ]);
    assert!(matches!(
        both.verify(&mixed, BODY),
        Err(WebhookError::BadSignature {
            header: "x-ghl-signature"
        })
    ));
    // Keys of the wrong algorithm are refused when the verifier is made.
    assert!(WebhookVerifier::new(&rsa_pem).is_err());
    assert!(WebhookVerifier::new(&ed_pem)
        .expect("key")
        .accept_legacy(&ed_pem)
        .is_err());
}

#[test]
fn a_signed_body_that_is_not_json_is_an_error_after_the_check() {
    let (pair, pem) = ed25519();
    let verifier = WebhookVerifier::new(&pem).expect("key");
    let body = b"plain text";
    let signed = headers(&[("x-ghl-signature", &base64(pair.sign(body).as_ref()))]);
    assert!(matches!(
        verifier.verify(&signed, body),
        Err(WebhookError::Body(_))
    ));
}
