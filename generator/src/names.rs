//! Naming: the only module that turns spec names into Rust identifiers. It applies heck's
//! case conversions (snake and upper camel case with heck's word boundaries, found here
//! over the ASCII a name is reduced to: heck writes a name char by char through `fmt`,
//! which was 6% of a run over the HighLevel corpus; a test holds the two to the same
//! names), then makes the result a legal, unsurprising identifier (keywords, leading
//! digits, punctuation, names that would shadow the prelude), and [`NameSet`] resolves
//! collisions deterministically. Nothing else in the generator invents or changes a name.

use std::collections::BTreeSet;

use heck::{ToKebabCase, ToShoutySnakeCase};

/// Rust keywords of every edition, strict and reserved, that cannot be plain identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names the generated code uses unqualified: the prelude, the derives, and the
/// crate's own support types and imports. A model with one of these names gets a `Model`
/// suffix, so that `use crate::models::*` never changes what `Option` or `Error` means and
/// no import in `client.rs` or re-export in `lib.rs` meets a model of the same name.
const RESERVED_TYPES: &[&str] = &[
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "Deserialize",
    "Display",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "FromStr",
    "Hash",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Serialize",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
];

/// What the generated crate itself defines or imports by name, by module. Emit writes
/// `client.rs`'s imports from [`generated::CLIENT_IMPORTS`] and the crate root's
/// re-exports from [`generated::ROOT_EXPORTS`]; lowering seeds its namespaces from all of
/// these, so no name from a spec can collide with a name the generator writes. A test checks the emitted files
/// against these tables.
pub mod generated {
    /// Types and traits `client.rs` imports: `(name, path)`.
    pub const CLIENT_IMPORTS: &[(&str, &str)] = &[
        ("Error", "crate::error::Error"),
        ("HeaderMap", "reqwest::header::HeaderMap"),
        ("StatusCode", "reqwest::StatusCode"),
        ("Url", "reqwest::Url"),
    ];

    /// Types `client.rs` defines besides the operations' own.
    pub const CLIENT_TYPES: &[&str] = &["Client", "Credentials", "Scheme"];

    /// Free functions `client.rs` defines besides the operations' decoders.
    pub const CLIENT_FUNCTIONS: &[&str] = &["header_value"];

    /// Methods the generated `Client` defines itself, or has from the traits it implements.
    pub const CLIENT_METHODS: &[&str] = &[
        "new",
        "with_base_url",
        "with_http_client",
        "http_client_builder",
        "with_timeout",
        "with_retry_policy",
        "with_request_options",
        "execute",
        "execute_stream",
        "execute_upgrade",
        "stream_call",
        "upgrade_call",
        "base_url",
        "http_client",
        "url",
        "authorize",
        "send",
        "clone",
        "default",
        "fmt",
    ];

    /// Names the crate root re-exports from its support modules (besides `client::*` and
    /// `models::*`).
    pub const ROOT_EXPORTS: &[&str] = &[
        "Base64",
        "ByteStream",
        "DecodeError",
        "Error",
        "ErrorResponse",
        "FilePart",
        "Nullable",
        "CredentialError",
        "RateLimit",
        "RefreshingToken",
        "RefreshingTokenBuilder",
        "RequestOptions",
        "RequestState",
        "RetryPolicy",
        "Secret",
        "SetupError",
        "SuccessResponse",
        "TokenFuture",
        "TokenProvider",
        "TokenSet",
        "Upgraded",
        "DEFAULT_CONNECT_TIMEOUT",
        "IDEMPOTENCY_KEY",
        "WebhookError",
        "WebhookVerifier",
        "Items",
        "Pages",
        "DEFAULT_TIMEOUT",
    ];

    /// Types `models.rs` imports: serde's derives and the crate's field types.
    pub const MODEL_IMPORTS: &[&str] = &["Deserialize", "Serialize", "Nullable", "FilePart"];

    /// Constants the crate defines in `client.rs`.
    pub const CLIENT_CONSTANTS: &[&str] = &["DEFAULT_BASE_URL"];
}

/// Every type name no model may take.
pub fn reserved_types() -> impl Iterator<Item = &'static str> {
    RESERVED_TYPES
        .iter()
        .chain(generated::CLIENT_TYPES)
        .chain(generated::CLIENT_IMPORTS.iter().map(|(name, _)| name))
        .chain(generated::ROOT_EXPORTS)
        .chain(generated::MODEL_IMPORTS)
        .copied()
}

/// Every free-function name of `client.rs` no decoder may take (the helpers it defines).
pub fn reserved_functions() -> impl Iterator<Item = &'static str> {
    generated::CLIENT_FUNCTIONS.iter().copied()
}

/// Every method name of `Client` no operation may take.
pub fn reserved_methods() -> impl Iterator<Item = &'static str> {
    generated::CLIENT_METHODS.iter().copied()
}

/// Splits a spec name into words heck understands: punctuation becomes a word break and
/// characters that cannot appear in an identifier are dropped.
fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        out.push(if c.is_ascii_alphanumeric() { c } else { ' ' });
    }
    out
}

/// Calls `word` with each word of `text` (ASCII letters, digits and spaces, as [`words`]
/// leaves a name), cut where heck's case conversions cut: at spaces, after a lowercase
/// letter that an uppercase one follows (`firstName`), and before the last of several
/// uppercase letters that a lowercase one follows (`HTTPServer`). A digit keeps the case
/// of the letter before it.
fn for_each_heck_word<'a>(text: &'a str, mut word: impl FnMut(&'a str)) {
    for part in text.split(' ') {
        let bytes = part.as_bytes();
        let mut start = 0;
        // The case of the last letter since the last cut: `None` before any.
        let mut lower: Option<bool> = None;
        for at in 0..bytes.len().saturating_sub(1) {
            let (this, next) = (bytes[at], bytes[at + 1]);
            let this_lower = if this.is_ascii_lowercase() {
                Some(true)
            } else if this.is_ascii_uppercase() {
                Some(false)
            } else {
                lower
            };
            let cut = if this_lower == Some(true) && next.is_ascii_uppercase() {
                at + 1
            } else if lower == Some(false) && this.is_ascii_uppercase() && next.is_ascii_lowercase()
            {
                at
            } else {
                lower = this_lower;
                continue;
            };
            if cut > start {
                word(&part[start..cut]);
            }
            start = cut;
            lower = None;
        }
        if start < part.len() {
            word(&part[start..]);
        }
    }
}

/// `snake_case` as heck writes it for the output of [`words`].
fn snake_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for_each_heck_word(text, |word| {
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(word);
    });
    out.make_ascii_lowercase();
    out
}

/// `UpperCamelCase` as heck writes it for the output of [`words`].
fn upper_camel_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for_each_heck_word(text, |word| {
        let at = out.len();
        out.push_str(word);
        out[at..].make_ascii_lowercase();
        out[at..at + 1].make_ascii_uppercase();
    });
    out
}

/// `UpperCamelCase` for types and enum variants. An empty result becomes `fallback`;
/// a leading digit gets `digit_prefix` in front (`2021-07-28` becomes `V20210728`).
pub fn pascal(raw: &str, fallback: &str, digit_prefix: &str) -> String {
    let name = upper_camel_words(&words(raw));
    let name = if name.is_empty() {
        fallback.to_string()
    } else {
        name
    };
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{digit_prefix}{name}")
    } else {
        name
    };
    if name == "Self" {
        return "SelfValue".to_string();
    }
    name
}

/// A model's type name.
pub fn type_name(raw: &str) -> String {
    let name = pascal(raw, "Unnamed", "T");
    if reserved_types().any(|reserved| reserved == name) {
        format!("{name}Model")
    } else {
        name
    }
}

/// An enum or union variant name.
pub fn variant_name(raw: &str, fallback: &str) -> String {
    pascal(raw, fallback, "V")
}

/// `SCREAMING_SNAKE_CASE` for constants; a leading digit gets `V_` in front.
pub fn constant(raw: &str, fallback: &str) -> String {
    let name = words(raw).to_shouty_snake_case();
    let name = if name.is_empty() {
        fallback.to_string()
    } else {
        name
    };
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V_{name}")
    } else {
        name
    }
}

/// `snake_case` for fields, parameters and methods. Keywords get a trailing underscore
/// (`type` becomes `type_`), a leading digit a leading underscore.
pub fn snake(raw: &str, fallback: &str) -> String {
    let name = snake_words(&words(raw));
    let name = if name.is_empty() {
        fallback.to_string()
    } else {
        name
    };
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{name}")
    } else {
        name
    };
    if KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// Cargo feature names the generated `Cargo.toml` defines itself, `native-tls` (which its
/// README tells users to turn on in reqwest: a tag feature of that name would read as TLS),
/// and its dependencies' names (a feature may not share a dependency's name).
pub const RESERVED_FEATURES: &[&str] = &[
    "default",
    "rustls",
    "rustls-aws-lc-rs",
    "native-tls",
    "oauth",
    "tracing",
    "reqwest",
    "serde",
    "serde_json",
    "serde-json",
    "futures-core",
    "ring",
    "webhook-signatures",
    "tokio",
];

/// A tag's Cargo feature name, `kebab-case` (`Custom Fields` becomes `custom-fields`); one
/// that is reserved or starts with something other than a letter gets `tag-` in front.
pub fn feature(tag: &str) -> String {
    let name = words(tag).to_kebab_case();
    if name.is_empty() {
        return "untitled".to_string();
    }
    if RESERVED_FEATURES.contains(&name.as_str())
        || !name.starts_with(|c: char| c.is_ascii_alphabetic())
    {
        return format!("tag-{name}");
    }
    name
}

/// The feature of one path resource of a tag split by resource: `google-ads` and `ads`
/// become `google-ads-ads`; a resource with no letters or digits, `google-ads-root`.
pub fn resource_feature(tag_feature: &str, resource: &str) -> String {
    let resource = words(resource).to_kebab_case();
    if resource.is_empty() {
        format!("{tag_feature}-root")
    } else {
        format!("{tag_feature}-{resource}")
    }
}

/// Names already given in one namespace; a second claim of the same name gets a number.
#[derive(Debug, Default, Clone)]
pub struct NameSet {
    taken: BTreeSet<String>,
    /// The next number to try per base: names are never released, so the numbers below
    /// it stay taken, and thousands of equal names cost thousands of steps, not millions.
    next_number: std::collections::HashMap<String, usize>,
}

impl NameSet {
    /// A set where `reserved` names can never be claimed.
    pub fn with_reserved<'a>(reserved: impl IntoIterator<Item = &'a str>) -> Self {
        NameSet {
            taken: reserved.into_iter().map(str::to_string).collect(),
            next_number: Default::default(),
        }
    }

    /// Claims `base`, or `base2`, `base3`... when it is taken (`base_2` for snake_case names,
    /// `type_2` for a name that already ends in `_`).
    pub fn claim(&mut self, base: &str) -> String {
        if self.taken.insert(base.to_string()) {
            return base.to_string();
        }
        let snake_case = base.contains('_') || base.chars().all(|c| !c.is_ascii_uppercase());
        let separator = if snake_case && !base.ends_with('_') {
            "_"
        } else {
            ""
        };
        let next = self.next_number.entry(base.to_string()).or_insert(2);
        loop {
            let candidate = format!("{base}{separator}{next}");
            *next += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }

    /// Claims one name per `(spec_name, base)` pair and returns them in the same order.
    /// A spec name that is already its own Rust name (`id`, `UserDto`) is served first, so
    /// it keeps that name when another spec name (`@id`, `userDTO`) converts to the same one;
    /// the rest are claimed in order.
    pub fn claim_all(&mut self, names: &[(&str, String)]) -> Vec<String> {
        let mut claimed: Vec<Option<String>> = names
            .iter()
            .map(|(spec_name, base)| {
                (*spec_name == base.as_str() && !self.contains(base)).then(|| self.claim(base))
            })
            .collect();
        for (slot, (_, base)) in claimed.iter_mut().zip(names) {
            if slot.is_none() {
                *slot = Some(self.claim(base));
            }
        }
        claimed.into_iter().flatten().collect()
    }

    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

/// Methods of standard traits that clippy expects a method of the same name to implement
/// (`should_implement_trait`): a setter never takes one of these names.
const TRAIT_METHODS: &[&str] = &[
    "add",
    "as_mut",
    "as_ref",
    "bitand",
    "bitor",
    "bitxor",
    "borrow",
    "borrow_mut",
    "clone",
    "cmp",
    "default",
    "deref",
    "deref_mut",
    "div",
    "drop",
    "eq",
    "from_iter",
    "from_str",
    "hash",
    "index",
    "index_mut",
    "into_iter",
    "mul",
    "neg",
    "next",
    "not",
    "partial_cmp",
    "rem",
    "shl",
    "shr",
    "sub",
];

/// The setter of a builder field: the field's name, or `set_<name>` where that is the
/// name of a standard trait's method.
pub fn setter(field: &str) -> String {
    if TRAIT_METHODS.contains(&field) {
        format!("set_{field}")
    } else {
        field.to_string()
    }
}

/// The setter that sends a field as `null`: `type_` gives `type_null`.
pub fn null_setter(field: &str) -> String {
    format!("{}_null", field.trim_end_matches('_'))
}

/// The `Client` method that builds an operation's request without sending it.
pub fn request_method(operation: &str) -> String {
    snake(&format!("{operation} request"), "request")
}

/// The free function that decodes a response to an operation.
pub fn decode_function(operation: &str) -> String {
    snake(&format!("decode {operation}"), "decode")
}

/// The reason phrase of a status code as a variant name, e.g. `UnprocessableEntity` for 422.
pub fn status_variant(code: u16) -> String {
    let phrase = match code {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        300 => "MultipleChoices",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        407 => "ProxyAuthenticationRequired",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "LengthRequired",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        414 => "UriTooLong",
        415 => "UnsupportedMediaType",
        416 => "RangeNotSatisfiable",
        417 => "ExpectationFailed",
        421 => "MisdirectedRequest",
        422 => "UnprocessableEntity",
        423 => "Locked",
        424 => "FailedDependency",
        425 => "TooEarly",
        426 => "UpgradeRequired",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        431 => "RequestHeaderFieldsTooLarge",
        451 => "UnavailableForLegalReasons",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        505 => "HttpVersionNotSupported",
        507 => "InsufficientStorage",
        508 => "LoopDetected",
        511 => "NetworkAuthenticationRequired",
        101 => "SwitchingProtocols",
        _ => return format!("Status{code}"),
    };
    phrase.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_get_a_trailing_underscore() {
        assert_eq!(snake("type", "f"), "type_");
        assert_eq!(snake("self", "f"), "self_");
        assert_eq!(snake("async", "f"), "async_");
        assert_eq!(snake("gen", "f"), "gen_");
        assert_eq!(pascal("Self", "F", "V"), "SelfValue");
    }

    #[test]
    fn leading_digits_and_punctuation() {
        assert_eq!(snake("2fa", "f"), "_2fa");
        assert_eq!(snake("x-rate-limit", "f"), "x_rate_limit");
        assert_eq!(snake("$ref", "f"), "ref_");
        assert_eq!(snake("@@", "field"), "field");
        assert_eq!(variant_name("2021-07-28", "Value"), "V20210728");
        assert_eq!(variant_name("", "Empty"), "Empty");
        assert_eq!(type_name("3d-model"), "T3dModel");
        assert_eq!(type_name("déjà vu"), "DJVu");
    }

    #[test]
    fn case_conversions_find_the_words_heck_finds() {
        use heck::{ToSnakeCase, ToUpperCamelCase};
        let alphabet = b"aAbZz09 xXyY";
        // Every string of up to five characters over letters of both cases, digits and a
        // space, and some names seen in specs.
        let mut cases = vec![String::new()];
        let mut longest = vec![String::new()];
        for _ in 0..5 {
            longest = longest
                .iter()
                .flat_map(|case| {
                    alphabet
                        .iter()
                        .map(move |c| format!("{case}{}", char::from(*c)))
                })
                .collect();
            cases.extend(longest.iter().cloned());
        }
        cases.extend(
            [
                "HTTPServerError",
                "getV2Contacts",
                "x  rate  LIMIT",
                " A1bC2 ",
                "ID",
                "aB1C",
            ]
            .map(String::from),
        );
        for case in &cases {
            assert_eq!(
                snake_words(case),
                case.to_snake_case(),
                "snake case of {case:?}"
            );
            assert_eq!(
                upper_camel_words(case),
                case.to_upper_camel_case(),
                "upper camel case of {case:?}"
            );
        }
    }

    #[test]
    fn camel_case_and_acronyms() {
        assert_eq!(snake("firstNameLowerCase", "f"), "first_name_lower_case");
        assert_eq!(snake("SMS", "f"), "sms");
        assert_eq!(snake("WhatsApp", "f"), "whats_app");
        assert_eq!(type_name("BadRequestDTO"), "BadRequestDto");
        assert_eq!(snake("create-contact", "f"), "create_contact");
    }

    #[test]
    fn prelude_names_are_not_shadowed() {
        assert_eq!(type_name("Option"), "OptionModel");
        assert_eq!(type_name("string"), "StringModel");
        assert_eq!(type_name("box"), "BoxModel");
        assert_eq!(type_name("Error"), "ErrorModel");
        assert_eq!(type_name("Contact"), "Contact");
    }

    #[test]
    fn collisions_get_numbers_in_claim_order() {
        let mut fields = NameSet::default();
        assert_eq!(fields.claim(&snake("id", "f")), "id");
        assert_eq!(fields.claim(&snake("_id", "f")), "id_2");
        assert_eq!(fields.claim(&snake("ID", "f")), "id_3");
        let mut types = NameSet::with_reserved(["Client"]);
        assert_eq!(type_name("Url"), "UrlModel");
        assert_eq!(type_name("header map"), "HeaderMapModel");
        assert_eq!(types.claim("Client"), "Client2");
        assert_eq!(types.claim("UserDto"), "UserDto");
        assert_eq!(types.claim("UserDto"), "UserDto2");
        let mut keywords = NameSet::default();
        assert_eq!(keywords.claim(&snake("self", "f")), "self_");
        assert_eq!(keywords.claim(&snake("Self", "f")), "self_2");
    }

    #[test]
    fn exact_names_are_served_first() {
        let spec = ["@id", "id", "_id", "ID"];
        let pairs: Vec<(&str, String)> = spec.iter().map(|n| (*n, snake(n, "f"))).collect();
        let mut fields = NameSet::default();
        assert_eq!(fields.claim_all(&pairs), ["id_2", "id", "id_3", "id_4"]);
        let pairs = [
            ("UserDto", type_name("UserDto")),
            ("userDTO", type_name("userDTO")),
        ];
        let mut reversed = NameSet::default();
        assert_eq!(
            reversed.claim_all(&[pairs[1].clone(), pairs[0].clone()]),
            ["UserDto2", "UserDto"]
        );
    }

    #[test]
    fn setters_stay_clear_of_trait_methods() {
        assert_eq!(setter("add"), "set_add");
        assert_eq!(setter("name"), "name");
        assert_eq!(null_setter("type_"), "type_null");
        assert_eq!(null_setter("phone"), "phone_null");
    }

    #[test]
    fn operation_helpers_are_snake_case() {
        assert_eq!(request_method("type_"), "type_request");
        assert_eq!(decode_function("type_"), "decode_type");
        assert_eq!(request_method("create_contact"), "create_contact_request");
        assert_eq!(decode_function("create_contact"), "decode_create_contact");
    }
}
