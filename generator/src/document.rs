//! The OpenAPI document as the generator reads it: plain data for the objects of OpenAPI
//! 3.0, 3.1 and 3.2 that generation uses, built by the load stage (`load/read_document.rs`).
//!
//! References are already followed here, except between schemas: a parameter, response or
//! request body that was a `$ref` is the object it named (with the pointer of where it is
//! defined, for messages). Schemas live in one arena ([`Document::schemas`]) and point at
//! each other by [`SchemaId`], because a schema `$ref` is a name (it becomes a named type)
//! and may be recursive.
//!
//! Every object keeps the JSON pointer of where it sits in the bundled document, so that
//! later stages can report a problem at its place.

use serde_json::Value;

/// The OpenAPI version the document declares, by minor version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Version {
    V3_0,
    V3_1,
    V3_2,
}

#[derive(Debug, Clone, Default)]
pub struct Document {
    pub version: Option<Version>,
    pub info: Info,
    pub servers: Vec<Server>,
    /// Path templates and their items, in document order.
    pub paths: Vec<(String, PathItem)>,
    /// 3.1 `webhooks`: requests the API sends to its users.
    pub webhooks: Vec<(String, PathItem)>,
    pub components: Components,
    /// The document's default security requirements; `None` when it states none.
    pub security: Option<Vec<SecurityRequirement>>,
    pub tags: Vec<Tag>,
    /// Every schema of the document, inline or named.
    pub schemas: Vec<Schema>,
}

impl Document {
    pub fn schema(&self, id: SchemaId) -> &Schema {
        &self.schemas[id.0]
    }

    /// The schema a `$ref` leads to, following chains of references (`A: {$ref: B}`)
    /// up to a bound; `id` itself when it is no reference.
    pub fn resolve(&self, id: SchemaId) -> &Schema {
        let mut schema = self.schema(id);
        for _ in 0..64 {
            match schema.reference.as_ref().and_then(|r| r.target) {
                Some(target) if schema.is_bare_ref() => schema = self.schema(target),
                _ => break,
            }
        }
        schema
    }

    /// The named component schema `id` is, when it is one.
    pub fn component_name(&self, id: SchemaId) -> Option<&str> {
        self.components
            .schemas
            .iter()
            .find(|(_, named)| *named == id)
            .map(|(name, _)| name.as_str())
    }
}

#[derive(Debug, Clone, Default)]
pub struct Info {
    pub title: String,
    pub version: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub extensions: Extensions,
}

#[derive(Debug, Clone, Default)]
pub struct Tag {
    pub name: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Server {
    pub pointer: String,
    pub url: String,
    pub description: Option<String>,
    /// `{name}` placeholders of the URL and their defaults.
    pub variables: Vec<(String, ServerVariable)>,
}

#[derive(Debug, Clone)]
pub struct ServerVariable {
    pub default: String,
    pub enumeration: Vec<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct PathItem {
    pub pointer: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// Operations by method, in the order OpenAPI lists the methods.
    pub operations: Vec<Operation>,
    /// Parameters every operation of the item has, unless it overrides them.
    pub parameters: Vec<Parameter>,
}

/// Extension values (`x-...`) of an object, in document order.
pub type Extensions = Vec<(String, Value)>;

/// The fields a path item holds operations under, in the order OpenAPI lists them
/// (`query` is OpenAPI 3.2's).
pub const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace", "query",
];

/// The method an operation is sent with: a fixed field names its method in lowercase,
/// an additional operation's key is the method as sent.
pub fn wire_method(field: &str) -> String {
    if METHODS.contains(&field) {
        field.to_ascii_uppercase()
    } else {
        field.to_string()
    }
}

#[derive(Debug, Clone, Default)]
pub struct Operation {
    pub pointer: String,
    /// The path item's field: lowercase (`get`, `post`, `query`), or for 3.2
    /// `additionalOperations` the method exactly as it is sent (`LINK`).
    pub method: String,
    pub operation_id: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub deprecated: bool,
    pub parameters: Vec<Parameter>,
    pub request_body: Option<RequestBody>,
    /// Responses by status key, in document order.
    pub responses: Vec<(StatusKey, Response)>,
    /// `None` when the operation states nothing: the document's requirements apply.
    pub security: Option<Vec<SecurityRequirement>>,
    pub extensions: Extensions,
}

/// A key of a `responses` map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusKey {
    Code(u16),
    /// `4XX`: the hundreds digit.
    Range(u16),
    Default,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParameterLocation {
    Path,
    Query,
    Header,
    Cookie,
    /// 3.2 `in: querystring`: the whole query string as one value.
    QueryString,
}

#[derive(Debug, Clone)]
pub struct Parameter {
    pub pointer: String,
    pub name: String,
    pub location: ParameterLocation,
    pub description: Option<String>,
    pub required: bool,
    pub deprecated: bool,
    /// `style`, as written; `None` for the location's default.
    pub style: Option<String>,
    pub explode: Option<bool>,
    pub allow_reserved: bool,
    pub schema: Option<SchemaId>,
    /// A parameter described by `content` instead of `schema`: its one media type.
    pub content: Option<MediaType>,
    pub examples: Vec<Example>,
}

#[derive(Debug, Clone)]
pub struct RequestBody {
    pub pointer: String,
    pub description: Option<String>,
    pub required: bool,
    pub content: Vec<MediaType>,
}

#[derive(Debug, Clone)]
pub struct MediaType {
    pub pointer: String,
    /// The key of the content map, as written (`application/json; charset=utf-8`).
    pub media_type: String,
    pub schema: Option<SchemaId>,
    /// 3.2 `itemSchema`: the schema of each item of a sequence (`text/event-stream`).
    pub item_schema: Option<SchemaId>,
    pub examples: Vec<Example>,
    /// Per-property encoding of form and multipart bodies.
    pub encoding: Vec<(String, Encoding)>,
}

#[derive(Debug, Clone, Default)]
pub struct Encoding {
    pub content_type: Option<String>,
    pub style: Option<String>,
    pub explode: Option<bool>,
}

/// An example value and where it is written.
#[derive(Debug, Clone)]
pub struct Example {
    pub pointer: String,
    pub value: Value,
}

#[derive(Debug, Clone, Default)]
pub struct Response {
    pub pointer: String,
    pub description: Option<String>,
    pub headers: Vec<(String, Header)>,
    pub content: Vec<MediaType>,
}

#[derive(Debug, Clone)]
pub struct Header {
    pub pointer: String,
    pub description: Option<String>,
    pub required: bool,
    pub schema: Option<SchemaId>,
}

#[derive(Debug, Clone, Default)]
pub struct Components {
    /// Named schemas, in document order.
    pub schemas: Vec<(String, SchemaId)>,
    pub security_schemes: Vec<(String, SecurityScheme)>,
}

/// One alternative of a `security` list: every scheme named must be satisfied, each with
/// its scopes. An empty requirement (`{}`) means no credentials are needed.
pub type SecurityRequirement = Vec<(String, Vec<String>)>;

#[derive(Debug, Clone)]
pub struct SecurityScheme {
    pub pointer: String,
    pub description: Option<String>,
    pub kind: SecuritySchemeKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecuritySchemeKind {
    ApiKey {
        name: String,
        location: ApiKeyLocation,
    },
    /// `type: http`; `scheme` is lowercase (`bearer`, `basic`, `digest`, ...).
    Http {
        scheme: String,
        bearer_format: Option<String>,
    },
    /// `type: oauth2`: the token goes on the wire as a bearer token.
    OAuth2 {
        flows: Vec<OAuthFlow>,
    },
    /// `type: openIdConnect`: a bearer token too.
    OpenIdConnect {
        url: String,
    },
    MutualTls,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    Header,
    Query,
    Cookie,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthFlow {
    /// `authorizationCode`, `clientCredentials`, `implicit`, `password` or `deviceAuthorization`.
    pub kind: String,
    pub token_url: Option<String>,
    pub refresh_url: Option<String>,
    pub scopes: Vec<String>,
}

/// A schema in [`Document::schemas`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SchemaId(pub usize);

/// A JSON type as `type` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum JsonType {
    Null,
    Boolean,
    Integer,
    Number,
    String,
    Array,
    Object,
}

impl JsonType {
    pub fn name(self) -> &'static str {
        match self {
            JsonType::Null => "null",
            JsonType::Boolean => "boolean",
            JsonType::Integer => "integer",
            JsonType::Number => "number",
            JsonType::String => "string",
            JsonType::Array => "array",
            JsonType::Object => "object",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "null" => JsonType::Null,
            "boolean" => JsonType::Boolean,
            "integer" => JsonType::Integer,
            "number" => JsonType::Number,
            "string" => JsonType::String,
            "array" => JsonType::Array,
            "object" => JsonType::Object,
            _ => return None,
        })
    }
}

/// What `additionalProperties` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Additional {
    /// Not written: other properties are allowed, of any type.
    #[default]
    Unspecified,
    /// `true` (or `{}`).
    Any,
    /// `false`: no other properties.
    Forbidden,
    Schema(SchemaId),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discriminator {
    pub property_name: String,
    /// Wire value to the schema it selects, in document order.
    pub mapping: Vec<(String, String)>,
}

/// A schema `$ref` and what it leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// As written (after bundling made it local).
    pub text: String,
    /// `None` when it leads nowhere (reported by the loader).
    pub target: Option<SchemaId>,
}

/// One schema, with the keywords generation uses. Validation keywords that do not change
/// what a value looks like (`minimum`, `pattern`, `maxLength`, ...) are not kept.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    pub pointer: String,
    pub reference: Option<Reference>,
    /// `type`, a name or (3.1) a list of names; `None` when absent.
    pub types: Option<Vec<JsonType>>,
    /// 3.0 `nullable: true`.
    pub nullable: bool,
    pub format: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    /// `enum`.
    pub enumeration: Option<Vec<Value>>,
    /// 3.1 `const`.
    pub constant: Option<Value>,
    pub default: Option<Value>,
    /// `example` and the entries of 3.1 `examples`.
    pub examples: Vec<Example>,
    pub properties: Vec<(String, SchemaId)>,
    pub required: Vec<String>,
    pub additional_properties: Additional,
    pub items: Option<SchemaId>,
    /// 3.1 `prefixItems`.
    pub prefix_items: Vec<SchemaId>,
    pub all_of: Vec<SchemaId>,
    pub one_of: Vec<SchemaId>,
    pub any_of: Vec<SchemaId>,
    pub not: Option<SchemaId>,
    pub discriminator: Option<Discriminator>,
    pub read_only: bool,
    pub write_only: bool,
    pub deprecated: bool,
    /// 3.1 `contentEncoding` (`base64`) and `contentMediaType`.
    pub content_encoding: Option<String>,
    pub content_media_type: Option<String>,
    /// A boolean schema (3.1): `true` accepts anything, `false` nothing.
    pub boolean: Option<bool>,
    /// Keywords present that change the shape of a value in ways the generator does not
    /// follow (`if`, `$dynamicRef`, `patternProperties`, ...), as written.
    pub unsupported: Vec<&'static str>,
    pub extensions: Extensions,
}

impl Schema {
    /// A `$ref` with nothing beside it that changes the shape (3.0 ignores siblings; 3.1
    /// siblings such as `description` only document).
    pub fn is_bare_ref(&self) -> bool {
        self.reference.is_some()
            && self.types.is_none()
            && !self.nullable
            && self.enumeration.is_none()
            && self.constant.is_none()
            && self.properties.is_empty()
            && self.required.is_empty()
            && self.additional_properties == Additional::Unspecified
            && self.items.is_none()
            && self.prefix_items.is_empty()
            && self.all_of.is_empty()
            && self.one_of.is_empty()
            && self.any_of.is_empty()
            && self.not.is_none()
            && self.discriminator.is_none()
    }

    /// Whether `type` allows `kind` (an absent `type` allows everything).
    pub fn allows(&self, kind: JsonType) -> bool {
        self.types
            .as_ref()
            .is_none_or(|types| types.contains(&kind))
    }

    /// `type` without `null`, when it names exactly one type.
    pub fn single_type(&self) -> Option<JsonType> {
        let types = self.types.as_ref()?;
        let mut non_null = types.iter().filter(|t| **t != JsonType::Null);
        let first = *non_null.next()?;
        non_null.next().is_none().then_some(first)
    }

    /// Whether `null` is allowed by this schema's own keywords: 3.0 `nullable`, a 3.1
    /// type list with `null`, or `null` among the `enum` values.
    pub fn allows_null_itself(&self) -> bool {
        self.nullable
            || self
                .types
                .as_ref()
                .is_some_and(|types| types.contains(&JsonType::Null))
            || self
                .enumeration
                .as_ref()
                .is_some_and(|values| values.iter().any(Value::is_null))
    }

    pub fn extension(&self, name: &str) -> Option<&Value> {
        self.extensions
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value)
    }
}
