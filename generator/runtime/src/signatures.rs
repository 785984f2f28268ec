//! Checking that a webhook came from the API: a signature header over the raw body, made
//! with the API's private key and checked with the public key it publishes. Verification
//! fails closed: a missing, repeated or malformed header, an unknown key or a body that
//! does not match is an error, never a pass.

use std::fmt;

use reqwest::header::HeaderMap;
use ring::signature::{UnparsedPublicKey, ED25519, RSA_PKCS1_2048_8192_SHA256};
use serde::de::DeserializeOwned;

/// A signature algorithm an API signs webhooks with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Algorithm {
    Ed25519,
    /// RSASSA-PKCS1-v1_5 with SHA-256, keys of 2048 to 8192 bits.
    RsaSha256,
}

/// Why a webhook was not accepted. Its messages quote no body and no signature.
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookError {
    /// None of the signature headers the verifier checks was sent.
    MissingSignature { expected: Vec<&'static str> },
    /// The header was sent more than once, or is not base64 of a signature.
    MalformedSignature { header: &'static str },
    /// The signature does not match the body (or was made with another key).
    BadSignature { header: &'static str },
    /// A public key given to the verifier is not one of its algorithm.
    InvalidKey(String),
    /// The signature matched, but the body is not the JSON expected.
    Body(serde_json::Error),
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::MissingSignature { expected } => {
                write!(
                    f,
                    "the webhook carries no signature (expected `{}`)",
                    expected.join("` or `")
                )
            }
            WebhookError::MalformedSignature { header } => {
                write!(f, "the webhook's `{header}` is not one base64 signature")
            }
            WebhookError::BadSignature { header } => {
                write!(f, "the webhook's `{header}` does not match its body")
            }
            WebhookError::InvalidKey(reason) => {
                write!(f, "the public key cannot be used: {reason}")
            }
            WebhookError::Body(error) => {
                write!(f, "the signed body is not the JSON expected: {error}")
            }
        }
    }
}

impl std::error::Error for WebhookError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WebhookError::Body(error) => Some(error),
            _ => None,
        }
    }
}

struct Key {
    header: &'static str,
    algorithm: Algorithm,
    /// What ring verifies with: the 32 bytes of an Ed25519 key, an RSA key's
    /// `RSAPublicKey` DER.
    bytes: Vec<u8>,
}

/// Checks the signatures of webhooks, with the public keys you pass (nothing is fetched).
///
/// The headers are tried in the order the keys were given; the first one present decides,
/// so a request with a bad current signature is refused even when it also carries a legacy
/// one.
pub struct WebhookVerifier {
    keys: Vec<Key>,
}

impl fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<&str> = self.keys.iter().map(|key| key.header).collect();
        f.debug_struct("WebhookVerifier")
            .field("headers", &headers)
            .finish()
    }
}

impl WebhookVerifier {
    /// A verifier that checks `header` with `public_key`: PEM (`BEGIN PUBLIC KEY`, or
    /// `BEGIN RSA PUBLIC KEY` for RSA), DER, or the 32 raw bytes of an Ed25519 key.
    pub(crate) fn with_key(
        header: &'static str,
        algorithm: Algorithm,
        public_key: &[u8],
    ) -> Result<Self, WebhookError> {
        WebhookVerifier { keys: Vec::new() }.and_key(header, algorithm, public_key)
    }

    /// This verifier, also checking `header` with `public_key`.
    pub(crate) fn and_key(
        mut self,
        header: &'static str,
        algorithm: Algorithm,
        public_key: &[u8],
    ) -> Result<Self, WebhookError> {
        let bytes = key_bytes(algorithm, public_key)?;
        self.keys.push(Key {
            header,
            algorithm,
            bytes,
        });
        Ok(self)
    }

    /// Checks the signature of a webhook: `headers` as received and `body` byte for byte as
    /// received (not parsed and written again, which changes the bytes), then reads the body
    /// as JSON.
    ///
    /// # Errors
    ///
    /// [`WebhookError`] for a missing, malformed or wrong signature, or a body that is not JSON.
    pub fn verify(
        &self,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<serde_json::Value, WebhookError> {
        self.verify_as(headers, body)
    }

    /// [`WebhookVerifier::verify`], reading the body as `T`.
    ///
    /// # Errors
    ///
    /// As for [`WebhookVerifier::verify`].
    pub fn verify_as<T: DeserializeOwned>(
        &self,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<T, WebhookError> {
        self.check(headers, body)?;
        serde_json::from_slice(body).map_err(WebhookError::Body)
    }

    fn check(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), WebhookError> {
        for key in &self.keys {
            let mut values = headers.get_all(key.header).iter();
            let Some(value) = values.next() else {
                continue;
            };
            let malformed = || WebhookError::MalformedSignature { header: key.header };
            if values.next().is_some() {
                return Err(malformed());
            }
            let text = value.to_str().map_err(|_| malformed())?.trim();
            let signature = crate::base64::decode(text)
                .filter(|s| !s.is_empty())
                .ok_or_else(malformed)?;
            let algorithm: &dyn ring::signature::VerificationAlgorithm = match key.algorithm {
                Algorithm::Ed25519 => &ED25519,
                Algorithm::RsaSha256 => &RSA_PKCS1_2048_8192_SHA256,
            };
            return UnparsedPublicKey::new(algorithm, &key.bytes)
                .verify(body, &signature)
                .map_err(|_| WebhookError::BadSignature { header: key.header });
        }
        Err(WebhookError::MissingSignature {
            expected: self.keys.iter().map(|key| key.header).collect(),
        })
    }
}

/// The key ring verifies with, from PEM, DER or raw bytes.
fn key_bytes(algorithm: Algorithm, key: &[u8]) -> Result<Vec<u8>, WebhookError> {
    let invalid = |reason: &str| WebhookError::InvalidKey(reason.to_string());
    let text = std::str::from_utf8(key).ok().map(str::trim);
    let (der, pkcs1) = match text.filter(|text| text.starts_with("-----BEGIN")) {
        Some(pem) => {
            let pkcs1 = pem.starts_with("-----BEGIN RSA PUBLIC KEY-----");
            let body: String = pem
                .lines()
                .filter(|line| !line.starts_with("-----"))
                .map(str::trim)
                .collect();
            (
                crate::base64::decode(&body).ok_or_else(|| invalid("the PEM is not base64"))?,
                pkcs1,
            )
        }
        None => (key.to_vec(), false),
    };
    match algorithm {
        Algorithm::Ed25519 if der.len() == 32 => Ok(der),
        Algorithm::RsaSha256 if pkcs1 => Ok(der),
        _ => {
            let (oid, public) =
                spki(&der).ok_or_else(|| invalid("it is not a DER SubjectPublicKeyInfo"))?;
            let expected: &[u8] = match algorithm {
                // 1.3.101.112
                Algorithm::Ed25519 => &[0x2b, 0x65, 0x70],
                // 1.2.840.113549.1.1.1, rsaEncryption
                Algorithm::RsaSha256 => &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01],
            };
            if oid != expected {
                return Err(invalid("it is a key of another algorithm"));
            }
            Ok(public.to_vec())
        }
    }
}

/// The algorithm's OID and the key bits of a SubjectPublicKeyInfo (RFC 5280, 4.1).
fn spki(der: &[u8]) -> Option<(&[u8], &[u8])> {
    let (info, rest) = element(der, 0x30)?;
    if !rest.is_empty() {
        return None;
    }
    let (algorithm, info) = element(info, 0x30)?;
    let (oid, _parameters) = element(algorithm, 0x06)?;
    let (bits, rest) = element(info, 0x03)?;
    // A key's bit string has no unused bits.
    let (&0, key) = bits.split_first()? else {
        return None;
    };
    rest.is_empty().then_some((oid, key))
}

/// One DER element with `tag`: its contents and what follows it.
fn element(der: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (&found, rest) = der.split_first()?;
    if found != tag {
        return None;
    }
    let (&first, rest) = rest.split_first()?;
    let (length, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let length = rest[..count]
            .iter()
            .fold(0usize, |n, byte| (n << 8) | usize::from(*byte));
        (length, &rest[count..])
    };
    (rest.len() >= length).then(|| rest.split_at(length))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_lengths_long_and_short() {
        assert_eq!(
            element(&[0x04, 0x02, 1, 2, 9], 0x04),
            Some((&[1u8, 2][..], &[9u8][..]))
        );
        let long = [vec![0x04, 0x81, 0x80], vec![7; 0x80]].concat();
        assert_eq!(element(&long, 0x04).map(|(c, _)| c.len()), Some(0x80));
        assert_eq!(element(&[0x04, 0x05, 1], 0x04), None, "cut short");
        assert_eq!(element(&[0x30, 0x00], 0x04), None, "another tag");
    }

    #[test]
    fn keys_of_the_wrong_kind_are_refused() {
        let ed25519_spki = [
            &[
                0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
            ][..],
            &[5u8; 32][..],
        ]
        .concat();
        assert_eq!(
            key_bytes(Algorithm::Ed25519, &ed25519_spki).unwrap(),
            vec![5u8; 32]
        );
        assert!(matches!(
            key_bytes(Algorithm::RsaSha256, &ed25519_spki),
            Err(WebhookError::InvalidKey(_))
        ));
        assert!(key_bytes(Algorithm::Ed25519, b"not a key").is_err());
    }

    #[test]
    fn no_key_means_no_webhook_passes() {
        let verifier = WebhookVerifier { keys: Vec::new() };
        assert!(matches!(
            verifier.verify(&HeaderMap::new(), b"{}"),
            Err(WebhookError::MissingSignature { .. })
        ));
    }
}
