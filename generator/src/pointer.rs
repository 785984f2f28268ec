//! JSON pointers (RFC 6901) as the generator writes them: `#` for the document root, then
//! one `/`-separated reference token per step, `~` and `/` inside a token escaped as `~0`
//! and `~1`. Every stage names places this way; this module is the only one that escapes
//! or unescapes a token.

use std::borrow::Cow;

/// Appends one reference token to a pointer: `push("#/paths", "/a")` is `#/paths/~1a`.
pub fn push(pointer: &str, token: &str) -> String {
    let token = escape(token);
    let mut out = String::with_capacity(pointer.len() + 1 + token.len());
    out.push_str(pointer);
    out.push('/');
    out.push_str(&token);
    out
}

/// Appends several tokens: `join("#", &["a", "b/c"])` is `#/a/b~1c`.
pub fn join(pointer: &str, tokens: &[&str]) -> String {
    tokens
        .iter()
        .fold(pointer.to_string(), |pointer, token| push(&pointer, token))
}

/// A token escaped for a pointer.
pub fn escape(token: &str) -> Cow<'_, str> {
    if token.contains(['~', '/']) {
        Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(token)
    }
}

/// An escaped token decoded (`~1` is `/`, `~0` is `~`).
pub fn unescape(token: &str) -> Cow<'_, str> {
    if token.contains('~') {
        Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(token)
    }
}

/// The decoded tokens of a pointer, with or without its leading `#`.
pub fn tokens(pointer: &str) -> Vec<String> {
    let rest = pointer.strip_prefix('#').unwrap_or(pointer);
    if rest.is_empty() {
        return Vec::new();
    }
    rest.trim_start_matches('/')
        .split('/')
        .map(|token| unescape(token).into_owned())
        .collect()
}

/// The pointer one step up, `None` for the root.
pub fn parent(pointer: &str) -> Option<&str> {
    let cut = pointer.rfind('/')?;
    Some(&pointer[..cut])
}

/// The last token of a pointer, decoded.
pub fn last(pointer: &str) -> Option<String> {
    let cut = pointer.rfind('/')?;
    Some(unescape(&pointer[cut + 1..]).into_owned())
}

/// The JSON pointer a URI fragment holds: RFC 6901 (section 6) percent-encodes pointers in
/// fragments, so `#/paths/~1a~1%7Bid%7D` is the pointer `/paths/~1a~1{id}`.
pub fn from_fragment(fragment: &str) -> Cow<'_, str> {
    if !fragment.contains('%') {
        return Cow::Borrowed(fragment);
    }
    let bytes = fragment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[index],
            bytes.get(index + 1).copied().and_then(hex),
            bytes.get(index + 2).copied().and_then(hex),
        ) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                index += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                index += 1;
            }
        }
    }
    match String::from_utf8(out) {
        Ok(decoded) => Cow::Owned(decoded),
        Err(_) => Cow::Borrowed(fragment),
    }
}

/// The RFC 6901 form of a `#`-pointer, for `serde_json::Value::pointer`: `#/a` is `/a`.
pub fn to_rfc(pointer: &str) -> &str {
    pointer.strip_prefix('#').unwrap_or(pointer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_escaped_and_decoded() {
        assert_eq!(
            push("#/paths", "/contacts/{id}"),
            "#/paths/~1contacts~1{id}"
        );
        assert_eq!(push("#", "a~b"), "#/a~0b");
        assert_eq!(
            join("#", &["components", "schemas", "A/B"]),
            "#/components/schemas/A~1B"
        );
        assert_eq!(tokens("#/paths/~1a~1b/get"), ["paths", "/a/b", "get"]);
        assert_eq!(tokens("#"), Vec::<String>::new());
        assert_eq!(tokens("/x/~01"), ["x", "~1"]);
        assert_eq!(parent("#/a/b"), Some("#/a"));
        assert_eq!(parent("#"), None);
        assert_eq!(last("#/a/b~1c").as_deref(), Some("b/c"));
        assert_eq!(to_rfc("#/a"), "/a");
        assert_eq!(from_fragment("/paths/~1a~1%7Bid%7D"), "/paths/~1a~1{id}");
        assert_eq!(from_fragment("/a%2"), "/a%2");
    }
}
