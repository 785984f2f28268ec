//! The intermediate representation: a small, typed model of the API that lowering builds
//! and emitting reads. Every name here is final (`names.rs` chose it) and every choice is
//! made (body kinds, credentials, the base URL, which runtime pieces and Cargo features the
//! crate needs); emit only writes it out. Plain data only, in a deterministic order.

use std::collections::BTreeSet;

/// The whole API, as the generated crate will present it.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    pub base_url: BaseUrl,
    /// The credentials the client can hold, one per usable security scheme.
    pub credentials: Vec<Credential>,
    /// Named types, sorted by Rust name.
    pub models: Vec<Model>,
    /// Operations, sorted by Rust name.
    pub operations: Vec<Operation>,
    /// Examples from the spec that fit their schema, each becoming a round-trip test.
    pub examples: Vec<ExampleCase>,
    /// The runtime pieces and dependency features the generated code uses.
    pub runtime: Runtime,
    /// The models `client.rs` names (it imports them), sorted, each with the gate of the
    /// operations that name it.
    pub client_models: Vec<(String, Gate)>,
    /// Requests the API sends to its users (3.1 `webhooks`), in spec order.
    pub webhooks: Vec<Webhook>,
    /// The models `webhooks.rs` names (it imports them), sorted.
    pub webhook_models: Vec<String>,
    /// How the API signs the webhooks it sends (`info.x-webhook-signatures`): the current
    /// signature first, then a legacy one.
    pub webhook_signatures: Vec<WebhookSignature>,
    /// Whether the API sends HighLevel's rate-limit headers (`X-RateLimit-Max`, ...) rather
    /// than the standard `RateLimit` ones: its responses document them, or
    /// `info.x-rate-limit-headers` is `highlevel`.
    pub highlevel_rate_limit: bool,
    /// The crate documentation's example: imports and lines of a compiled `no_run` block.
    pub usage: Usage,
    /// The Cargo features that each compile one tag's operations, when the API has
    /// several tags; empty otherwise.
    pub features: Vec<Feature>,
    /// What compiles the parts of `client.rs` that only operations with credentials use.
    pub security_gate: Gate,
    /// What compiles the helpers of the example tests.
    pub examples_gate: Gate,
    /// What compiles the re-export of the models: what any one of them needs.
    pub models_gate: Gate,
    /// What compiles the example tests' import of the crate's types, when one of them
    /// names such a type.
    pub examples_import: Option<Gate>,
}

/// A Cargo feature that compiles the operations of one tag, or of one path resource of a
/// tag too large for one feature, and the types they reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feature {
    /// The feature's name in `Cargo.toml`.
    pub name: String,
    /// The tags it stands for, as the spec writes them (tags that differ only in case or
    /// punctuation share a feature).
    pub tags: Vec<String>,
    /// How many operations it compiles.
    pub operations: usize,
    /// The paths of its operations, when it is one part of a tag split by path resource
    /// (a tag too large for one feature); empty when it is the whole tag.
    pub paths: Vec<String>,
    /// reqwest features that only this feature's operations need.
    pub reqwest_features: Vec<&'static str>,
}

/// Which Cargo features compile an item: always, when the list is empty; otherwise when any
/// of the listed features is on.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Gate {
    pub features: Vec<String>,
}

impl Gate {
    pub fn always() -> Self {
        Gate::default()
    }

    pub fn is_always(&self) -> bool {
        self.features.is_empty()
    }

    /// The gate of an item that any of `gates` needs: always when one of them is.
    pub fn any<'a>(gates: impl IntoIterator<Item = &'a Gate>) -> Gate {
        let mut features = BTreeSet::new();
        for gate in gates {
            if gate.is_always() {
                return Gate::always();
            }
            features.extend(gate.features.iter().cloned());
        }
        Gate {
            features: features.into_iter().collect(),
        }
    }
}

/// Where a new client sends its requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BaseUrl {
    /// An absolute `http(s)` URL from `servers` (variables set to their defaults) that
    /// parsed: `Client::new` uses it.
    Default(String),
    /// No usable server: `Client::new` takes the base URL. `documented` is what the spec
    /// says, for the docs (a relative URL, a URL that did not parse).
    Required { documented: Option<String> },
}

/// A credential the client can be given, from one security scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    /// The scheme's name in the spec.
    pub scheme_name: String,
    /// snake_case: the setter of `Credentials` and its field.
    pub rust_name: String,
    /// PascalCase: the scheme's variant in the client's private `Scheme` enum.
    pub variant: String,
    /// The `Credentials` setter that takes a `TokenProvider` instead of a fixed token
    /// (bearer-token schemes only).
    pub provider_setter: Option<String>,
    pub kind: CredentialKind,
    pub doc: Docs,
    /// The features of the operations that may use it.
    pub gate: Gate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialKind {
    /// `Authorization: Bearer <token>` (HTTP bearer, OAuth 2.0, OpenID Connect).
    Bearer,
    /// `Authorization: Basic <user:password>`.
    Basic,
    ApiKey {
        location: KeyLocation,
        /// The header, query parameter or cookie name.
        name: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum KeyLocation {
    Header,
    Query,
    Cookie,
}

/// The runtime pieces a crate needs, each a feature of the runtime sources
/// (`generator/runtime`): emit keeps the items gated on these and drops the rest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Runtime {
    pub pieces: BTreeSet<Piece>,
    /// The pieces that only some features need, with their gates; the others are always
    /// compiled.
    pub gates: std::collections::BTreeMap<Piece, Gate>,
    /// reqwest features beyond the TLS backend, e.g. `multipart`.
    pub reqwest_features: Vec<&'static str>,
}

impl Runtime {
    pub fn has(&self, piece: Piece) -> bool {
        self.pieces.contains(&piece)
    }

    /// What compiles `piece` (always, for a piece the crate does not carry).
    pub fn gate(&self, piece: Piece) -> Gate {
        self.gates.get(&piece).cloned().unwrap_or_default()
    }
}

/// A piece of runtime support that only some crates need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Piece {
    /// JSON success bodies.
    DecodeJson,
    /// JSON bodies of documented errors.
    DecodeError,
    /// Documented errors without a body.
    EmptyError,
    /// A 429 the operation does not document becomes `Error::RateLimited`.
    RateLimited,
    /// Text success bodies.
    Text,
    /// Text bodies of documented errors.
    TextError,
    /// Downloads read piece by piece.
    Stream,
    /// `101 Switching Protocols` answers.
    Upgrade,
    /// `application/x-www-form-urlencoded` bodies.
    Form,
    /// `multipart/form-data` bodies.
    Multipart,
    /// Files in multipart bodies (`FilePart`).
    Files,
    /// Fields that tell absent, `null` and a value apart (`Nullable`).
    Nullable,
    /// Bytes carried as base64 text in JSON (`Base64`).
    Base64,
    /// Query parameters written from values.
    Query,
    /// Path parameters written from values.
    Path,
    /// Header parameters written from values.
    Header,
    /// Cookie parameters.
    CookieParams,
    /// API keys in cookies.
    CookieKey,
    /// Models that travel as JSON derive serde's traits (`models.rs` imports them).
    Derives,
    /// Operations: requests are built (`Client::url`, `invalid_request`).
    Requests,
    /// Answers with a status the operation does not document.
    UnexpectedStatus,
    /// Credentials of any kind (`Secret`).
    Credentials,
    /// Operations that send credentials (`Secret::expose`).
    SendsCredentials,
    /// Bearer tokens.
    Bearer,
    /// HTTP basic authentication.
    BasicAuth,
    /// API keys in headers.
    SecretHeader,
    /// Bearer tokens a `TokenProvider` hands out on each attempt.
    TokenProvider,
    /// The refreshing OAuth 2.0 provider, behind the crate's `oauth` feature.
    Oauth,
    /// Spans and events of requests, behind the crate's `tracing` feature.
    Tracing,
    /// Walks through the pages of list operations.
    Pagination,
    /// Checks webhook signatures, behind the crate's `webhook-signatures` feature.
    WebhookSignatures,
    /// Pagination by cursors (`x-pagination`'s `cursor`).
    PageCursor,
    /// Pagination by offsets.
    PageOffset,
    /// Pagination by page numbers.
    PageNumber,
    /// Pagination by next-page URLs.
    PageNextUrl,
    /// Positions in query parameters.
    PageQuery,
    /// Positions in JSON body fields.
    PageBody,
    /// Positions read from a page's fields.
    PageField,
    /// Positions read from a page's last item.
    PageLastItem,
    /// HighLevel's rate-limit headers instead of the standard ones.
    HighLevelRateLimit,
}

impl Piece {
    /// The feature of the runtime sources that gates this piece.
    pub fn feature(self) -> &'static str {
        match self {
            Piece::DecodeJson => "decode-json",
            Piece::DecodeError => "decode-error",
            Piece::EmptyError => "empty-error",
            Piece::RateLimited => "rate-limited",
            Piece::Text => "text",
            Piece::TextError => "text-error",
            Piece::Stream => "stream",
            Piece::Upgrade => "upgrade",
            Piece::Form => "form",
            Piece::Multipart => "multipart",
            Piece::Files => "files",
            Piece::Nullable => "nullable",
            Piece::Base64 => "base64",
            Piece::Query => "query",
            Piece::Path => "path",
            Piece::Header => "header",
            Piece::CookieParams => "cookie-params",
            Piece::CookieKey => "cookie-key",
            Piece::Derives => "derives",
            Piece::Requests => "requests",
            Piece::UnexpectedStatus => "unexpected-status",
            Piece::Credentials => "credentials",
            Piece::SendsCredentials => "sends-credentials",
            Piece::Bearer => "bearer",
            Piece::BasicAuth => "basic-auth",
            Piece::SecretHeader => "secret-header",
            Piece::TokenProvider => "token-provider",
            Piece::Oauth => "oauth",
            Piece::Tracing => "tracing",
            Piece::Pagination => "pagination",
            Piece::WebhookSignatures => "webhook-signatures",
            Piece::PageCursor => "page-cursor",
            Piece::PageOffset => "page-offset",
            Piece::PageNumber => "page-number",
            Piece::PageNextUrl => "page-next-url",
            Piece::PageQuery => "page-query",
            Piece::PageBody => "page-body",
            Piece::PageField => "page-field",
            Piece::PageLastItem => "page-last-item",
            Piece::HighLevelRateLimit => "highlevel-rate-limit",
        }
    }
}

/// A request the API sends to its users (a webhook), and how its body is decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    /// The webhook's key in the spec's `webhooks`.
    pub name: String,
    /// As sent, e.g. `POST`.
    pub method: String,
    /// The function of the `webhooks` module that decodes its body; `None` when the body
    /// is bytes or absent, so there is nothing to decode.
    pub decode_fn: Option<String>,
    /// What the body is read as (never [`ResponseBody::Upgrade`]).
    pub body: ResponseBody,
    /// The media types the body may come as, all read as `body`.
    pub media_types: Vec<String>,
    pub doc: Docs,
    pub pointer: String,
}

/// A signature header an API puts on its webhooks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookSignature {
    /// The header, lowercase.
    pub header: String,
    pub algorithm: SignatureAlgorithm,
    /// Accepted only when the caller gives its key (`WebhookVerifier::accept_legacy`).
    pub legacy: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureAlgorithm {
    Ed25519,
    RsaSha256,
}

/// A compiled example for the crate docs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Usage {
    /// Names imported from the crate.
    pub imports: Vec<String>,
    /// The lines of the example's body, after the imports.
    pub lines: Vec<String>,
    /// The names the call of an operation imports, and the lines of the call, both
    /// compiled under `call_gate` (the operation's).
    pub call_imports: Vec<String>,
    pub call: Vec<String>,
    pub call_gate: Gate,
}

/// An example that must decode into `ty` and encode back to the same JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleCase {
    /// snake_case test name.
    pub test_name: String,
    pub ty: TypeRef,
    /// The example as compact JSON.
    pub json: String,
    /// Where the example sits in the spec.
    pub pointer: String,
    /// Its type's gate.
    pub gate: Gate,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Model {
    pub rust_name: String,
    pub doc: Docs,
    pub kind: ModelKind,
    /// Where the schema sits in the spec, for messages and doc links.
    pub pointer: String,
    /// The features of the operations that reach the type.
    pub gate: Gate,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ModelKind {
    Struct(Struct),
    /// A string enum that also keeps values the spec does not list.
    Enum(Enum),
    /// A whole-number enum that also keeps values the spec does not list.
    IntegerEnum(IntegerEnum),
    /// `oneOf`/`anyOf`: tried in order, the first variant that decodes wins.
    Union(Union),
    /// A `discriminator`: the tag property says which variant a value is.
    Tagged(Tagged),
    /// A named schema that is just another type (`type: string`, an array, a map).
    Alias(TypeRef),
}

impl ModelKind {
    /// The types the model holds: fields, extra values, variants, the aliased type.
    pub fn member_types(&self) -> Vec<&TypeRef> {
        match self {
            ModelKind::Struct(shape) => shape
                .fields
                .iter()
                .map(|f| &f.ty)
                .chain(shape.extra.iter().map(|e| &e.value))
                .collect(),
            ModelKind::Union(union) => union.variants.iter().map(|v| &v.ty).collect(),
            ModelKind::Tagged(tagged) => tagged.variants.iter().map(|v| &v.ty).collect(),
            ModelKind::Alias(ty) => vec![ty],
            ModelKind::Enum(_) | ModelKind::IntegerEnum(_) => Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// The map that keeps undocumented fields, when the struct keeps them.
    pub extra: Option<ExtraFields>,
    /// Whether the type is part of a request, and so gets a constructor and setters.
    pub builder: bool,
    /// Whether the type travels as JSON (serde derives); parameter and form structs do not.
    pub wire_format: bool,
    /// Whether the type is the parts of a `multipart/form-data` body (it builds the form).
    pub multipart: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ExtraFields {
    pub rust_name: String,
    /// Type of each undocumented value (`additionalProperties`), JSON when unspecified.
    pub value: TypeRef,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    pub rust_name: String,
    pub wire_name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    pub deprecated: bool,
    /// `readOnly`: sent by the server only, so left out of request types.
    pub read_only: bool,
    /// `writeOnly`: sent by the client only, so left out of response types.
    pub write_only: bool,
    pub doc: Docs,
    /// Setter names, present on structs with a builder.
    pub setter: Option<String>,
    /// Setter that sends an explicit `null`, for optional nullable fields.
    pub null_setter: Option<String>,
}

impl Field {
    /// How the field is held: which of absent, `null` and a value it can tell apart.
    pub fn presence(&self) -> Presence {
        match (self.required, self.nullable) {
            (true, false) => Presence::Required,
            (true, true) => Presence::RequiredNullable,
            (false, false) => Presence::Optional,
            (false, true) => Presence::OptionalNullable,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// `T`
    Required,
    /// `Option<T>`, always sent (`null` when `None`).
    RequiredNullable,
    /// `Option<T>`, omitted when `None`.
    Optional,
    /// `Nullable<T>`: absent, `null` or a value, kept apart both ways.
    OptionalNullable,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Enum {
    pub variants: Vec<EnumVariant>,
    /// Variant that keeps a value the spec does not list.
    pub fallback: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EnumVariant {
    pub rust_name: String,
    pub wire_value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IntegerEnum {
    /// Associated constants, one per documented value.
    pub values: Vec<(String, i64)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Union {
    pub variants: Vec<UnionVariant>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnionVariant {
    pub rust_name: String,
    pub ty: TypeRef,
    pub doc: Docs,
    /// Whether the union gets `From<ty>` (only when no other variant has the same type).
    pub from_impl: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Tagged {
    /// The wire name of the tag property.
    pub property: String,
    pub variants: Vec<TaggedVariant>,
    /// The variant that keeps a value with a tag no variant has.
    pub fallback: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TaggedVariant {
    pub rust_name: String,
    pub tag: String,
    pub ty: TypeRef,
    /// Whether the variant's type writes the tag itself; when not, encoding adds it.
    pub writes_tag: bool,
}

/// A Rust type, as fields and parameters use it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    String,
    Bool,
    I32,
    I64,
    U32,
    U64,
    F32,
    F64,
    /// Any JSON value.
    Json,
    /// A JSON object with unknown keys and values.
    JsonObject,
    /// Bytes carried as base64 text.
    Base64,
    /// `null` only: `()`.
    Unit,
    Named(String),
    Vec(Box<TypeRef>),
    /// A fixed-length list: a Rust tuple.
    Tuple(Vec<TypeRef>),
    /// A map from string keys (`additionalProperties`), ordered for stable output.
    Map(Box<TypeRef>),
    /// Nullable inside a container (`items: {nullable: true}`).
    Option(Box<TypeRef>),
    /// Breaks a cycle of types that contain each other by value.
    Box(Box<TypeRef>),
    /// A file in a multipart body (`format: binary`).
    File,
}

/// Documentation gathered from the spec for one item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Docs {
    pub summary: Option<String>,
    pub description: Option<String>,
    /// The spec's example, as compact JSON.
    pub example: Option<String>,
    /// Extra lines the generator adds (deviations, units, wire names).
    pub notes: Vec<String>,
    /// Why the item is deprecated, when the API deprecates it: `#[deprecated]`.
    pub deprecated: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// snake_case method name.
    pub rust_name: String,
    /// The `Client` method that builds the request without sending it.
    pub request_fn: String,
    /// The free function that decodes a response.
    pub decode_fn: String,
    /// The method that returns the response's body as it arrives, for a download.
    pub stream_fn: Option<String>,
    /// The method that returns the decoded body with the status, headers, rate limit and
    /// attempts; `None` for an upgrade, whose connection carries them.
    pub with_response_fn: Option<String>,
    /// How the operation's pages follow each other, when its `x-pagination` says.
    pub pagination: Option<Pagination>,
    /// As sent: `GET`, `QUERY`, `LINK`.
    pub method: String,
    /// Whether `reqwest::Method` has a constant for `method`.
    pub standard_method: bool,
    /// The path template as written in the spec, e.g. `/contacts/{contactId}`.
    pub path: String,
    pub path_segments: Vec<PathSegment>,
    pub doc: Docs,
    /// The tag whose group the operation is listed in.
    pub group: Option<String>,
    /// Every tag of the operation, as the spec writes them.
    pub tags: Vec<String>,
    /// The features of its tags.
    pub gate: Gate,
    /// Path parameters (method arguments), then the fields of the parameters struct.
    pub parameters: Vec<Parameter>,
    /// The struct that carries the query, header and cookie parameters, when there are any.
    pub params_struct: Option<String>,
    /// Headers with a single allowed value: sent on every call, never asked for.
    pub constant_headers: Vec<(String, String)>,
    pub body: Option<RequestBody>,
    pub success: Vec<Response>,
    pub errors: Vec<Response>,
    /// Name of the generated enum of success bodies, when there is more than one.
    pub success_enum: Option<String>,
    /// Name of the generated enum of documented error bodies.
    pub error_enum: String,
    /// Whether a 429 is documented for this operation (otherwise it is `RateLimited`).
    pub documents_429: bool,
    /// Whether the operation's code uses deprecated items (the operation, or fields of its
    /// parameters): its functions allow that use.
    pub uses_deprecated: bool,
    /// The media types the operation accepts in answers, for `Accept`.
    pub accept: String,
    /// Alternatives of credentials, each a list of indices into [`Api::credentials`]
    /// that must all be given; an empty alternative means none are needed. Empty when
    /// the operation needs no credentials at all.
    pub security: Vec<Vec<usize>>,
    /// Whether a token from a `TokenProvider` may authorize a call: one alternative of
    /// [`Operation::security`] uses a bearer scheme.
    pub takes_provided_token: bool,
    pub pointer: String,
}

/// A list operation's pagination, from its `x-pagination` extension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// The `Client` method that walks the pages.
    pub pages_fn: String,
    /// The `Client` method that walks the items of every page.
    pub items_fn: String,
    /// The type of one item.
    pub item: TypeRef,
    /// The JSON pointer of the list of items in a page.
    pub items: String,
    pub scheme: PageScheme,
    /// The JSON pointer of a field saying whether more pages follow.
    pub has_more: Option<String>,
    /// The JSON pointer of the number of items in all pages.
    pub total: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageScheme {
    /// Request parameters or body fields take the values of response fields.
    Cursor(Vec<(PageTarget, PageField)>),
    /// Grows by the number of items received.
    Offset(PageTarget),
    /// Grows by one, from `first` when the request does not set it.
    Page { target: PageTarget, first: u64 },
    /// The response field holds the next page's URL.
    NextUrl(PageField),
}

/// Where a request carries a position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageTarget {
    Query(String),
    Body(String),
}

/// A JSON pointer into a page, from its root or from its last item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageField {
    Page(String),
    LastItem(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    Literal(String),
    /// Index into `Operation::parameters`.
    Parameter(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub rust_name: String,
    pub wire_name: String,
    pub location: ParameterLocation,
    pub ty: TypeRef,
    pub required: bool,
    pub style: ParameterStyle,
    pub doc: Docs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterLocation {
    Path,
    Query,
    Header,
    Cookie,
}

/// How a parameter's value is written (OpenAPI's `style` and `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterStyle {
    /// `a,b,c`; objects as `k,v,k,v` (`k=v,k=v` exploded). Path and header default.
    Simple { explode: bool },
    /// `name=a&name=b` exploded (the query default), `name=a,b` not; objects as `k=v` pairs.
    Form { explode: bool },
    /// `name=a b c`.
    SpaceDelimited,
    /// `name=a|b|c`.
    PipeDelimited,
    /// `name[k]=v` for each key of an object.
    DeepObject,
    /// `.a.b` in a path.
    Label { explode: bool },
    /// `;name=a,b` in a path.
    Matrix { explode: bool },
    /// The value as JSON text (a parameter with `content: application/json`).
    Json,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    pub required: bool,
    pub doc: Docs,
    /// The ways the body can be sent, the preferred first.
    pub contents: Vec<BodyContent>,
    /// With several contents: the enum of them the method takes.
    pub choice: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BodyContent {
    /// The `Content-Type` sent, as the spec writes it.
    pub media_type: String,
    pub kind: BodyKind,
    /// The variant in [`RequestBody::choice`].
    pub variant: String,
    /// Whether the choice enum converts from this content's value (only the first content
    /// of each Rust type does).
    pub from_impl: bool,
}

/// What a request body is in Rust and on the wire.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyKind {
    /// JSON (`application/json`, `+json`, `*/*`) of this type.
    Json(TypeRef),
    /// Text, sent as it is.
    Text,
    /// Bytes, sent as they are.
    Bytes,
    /// `application/x-www-form-urlencoded`: the struct's fields as `name=value` pairs.
    Form(TypeRef),
    /// `multipart/form-data` with documented fields: a struct whose fields become parts,
    /// files as file parts, objects and lists as JSON parts, the rest as text.
    Multipart(String),
    /// `multipart/form-data` whose fields the spec does not list: the caller builds the form.
    MultipartRaw,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: StatusMatch,
    /// Variant name in the operation's success or error enum.
    pub variant: String,
    pub body: ResponseBody,
    pub doc: Docs,
}

/// What a response's body is read as.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseBody {
    /// No body is documented.
    Empty,
    Json(TypeRef),
    Text,
    Bytes,
    /// `101 Switching Protocols`: the connection, to be upgraded.
    Upgrade,
}

impl ResponseBody {
    pub fn json(&self) -> Option<&TypeRef> {
        match self {
            ResponseBody::Json(ty) => Some(ty),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    Code(u16),
    /// `4XX`: the hundreds digit.
    Range(u16),
    Default,
}
