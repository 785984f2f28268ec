//! Bytes carried as base64 text (`format: byte`), and the encoding itself: standard
//! alphabet, padded (RFC 4648, section 4), written here rather than taken from a crate so
//! that a generated client depends on nothing more for it.

#[cfg(feature = "base64")]
use serde::{Deserialize, Deserializer, Serialize, Serializer};

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard, padded base64 of `bytes`.
#[cfg(any(feature = "base64", feature = "basic-auth"))]
pub(crate) fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let group = match chunk {
            [a] => u32::from(*a) << 16,
            [a, b] => u32::from(*a) << 16 | u32::from(*b) << 8,
            [a, b, c, ..] => u32::from(*a) << 16 | u32::from(*b) << 8 | u32::from(*c),
            [] => 0,
        };
        for index in 0..4 {
            if index <= chunk.len() {
                out.push(char::from(
                    ALPHABET[(group >> (18 - 6 * index) & 0x3f) as usize],
                ));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The bytes of standard base64 text, padded or not; `None` when it is not base64.
#[cfg(any(feature = "base64", feature = "webhook-signatures"))]
pub(crate) fn decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut group = 0u32;
    let mut bits = 0;
    for byte in text.bytes() {
        let value = ALPHABET.iter().position(|symbol| *symbol == byte)? as u32;
        group = group << 6 | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((group >> bits & 0xff) as u8);
        }
    }
    (bits < 6).then_some(out)
}

/// Bytes that travel as base64 text in JSON (`format: byte`).
#[cfg(feature = "base64")]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Base64(pub Vec<u8>);

#[cfg(feature = "base64")]
impl From<Vec<u8>> for Base64 {
    fn from(bytes: Vec<u8>) -> Self {
        Base64(bytes)
    }
}

#[cfg(feature = "base64")]
impl From<&[u8]> for Base64 {
    fn from(bytes: &[u8]) -> Self {
        Base64(bytes.to_vec())
    }
}

#[cfg(feature = "base64")]
impl Serialize for Base64 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&encode(&self.0))
    }
}

#[cfg(feature = "base64")]
impl<'de> Deserialize<'de> for Base64 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        decode(&text)
            .map(Base64)
            .ok_or_else(|| serde::de::Error::custom("the text is not base64"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_as_rfc_4648_says() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(encode(plain.as_bytes()), encoded);
            assert_eq!(decode(encoded).as_deref(), Some(plain.as_bytes()));
        }
        assert_eq!(
            decode("Zm9vYg"),
            Some(b"foob".to_vec()),
            "padding is optional when reading"
        );
        assert_eq!(decode("Zm9v!"), None);
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(decode(&encode(&all)), Some(all));
    }

    #[test]
    fn travels_as_a_json_string() {
        let value: Base64 = serde_json::from_str("\"aGk=\"").unwrap();
        assert_eq!(value.0, b"hi");
        assert_eq!(serde_json::to_string(&value).unwrap(), "\"aGk=\"");
        assert!(serde_json::from_str::<Base64>("\"a*\"").is_err());
    }
}
