//! The intermediate representation: a small, typed model of the API that lowering builds
//! and emitting reads. Every name here is final (`names.rs` chose it); emit never renames.
//! Plain data only, in a deterministic order.

/// The whole API, as the generated crate will present it.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// The first server's URL, used as the client's default base URL.
    pub default_server: Option<String>,
    /// Named types, sorted by Rust name.
    pub models: Vec<Model>,
    /// Operations, sorted by Rust name.
    pub operations: Vec<Operation>,
    /// Whether any operation sends a bearer token (the client then needs one).
    pub uses_bearer: bool,
    /// Examples from the spec that fit their schema, each becoming a round-trip test.
    pub examples: Vec<ExampleCase>,
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
}

#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub rust_name: String,
    pub doc: Docs,
    pub kind: ModelKind,
    /// Where the schema sits in the spec, for messages and doc links.
    pub pointer: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ModelKind {
    Struct(Struct),
    /// A string enum that also keeps values the spec does not list.
    Enum(Enum),
    /// `oneOf`/`anyOf`: tried in order, the first variant that decodes wins.
    Union(Union),
    /// A named schema that is just another type (`type: string`, an array, a map).
    Alias(TypeRef),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// Name of the map that keeps undocumented fields, when the struct keeps them.
    pub extra: Option<ExtraFields>,
    /// Whether the type is part of a request, and so gets a constructor and setters.
    pub builder: bool,
    /// Whether the type travels as JSON (serde derives); operation parameter structs do not.
    pub wire_format: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExtraFields {
    pub rust_name: String,
    /// Type of each undocumented value (`additionalProperties`), JSON when unspecified.
    pub value: TypeRef,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub rust_name: String,
    pub wire_name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
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

#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    pub variants: Vec<EnumVariant>,
    /// Variant that keeps a value the spec does not list.
    pub fallback: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    pub rust_name: String,
    pub wire_value: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    pub variants: Vec<UnionVariant>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub rust_name: String,
    pub ty: TypeRef,
    pub doc: Docs,
    /// Whether the union gets `From<ty>` (only when no other variant has the same type).
    pub from_impl: bool,
}

/// A Rust type, as fields and parameters use it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    String,
    Bool,
    I32,
    I64,
    F32,
    F64,
    /// Any JSON value.
    Json,
    /// A JSON object with unknown keys and values.
    JsonObject,
    Named(String),
    Vec(Box<TypeRef>),
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
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Docs {
    pub summary: Option<String>,
    pub description: Option<String>,
    /// The spec's example, as compact JSON.
    pub example: Option<String>,
    /// Extra lines the generator adds (deviations, units, wire names).
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// snake_case method name.
    pub rust_name: String,
    /// The `Client` method that builds the request without sending it.
    pub request_fn: String,
    /// The free function that decodes a response.
    pub decode_fn: String,
    /// PascalCase stem for the operation's own types (`CreateContact`).
    pub type_stem: String,
    pub operation_id: Option<String>,
    pub method: String,
    /// The path template as written in the spec, e.g. `/contacts/{contactId}`.
    pub path: String,
    pub path_segments: Vec<PathSegment>,
    pub doc: Docs,
    pub tags: Vec<String>,
    /// Path parameters (method arguments), then query and header parameters.
    pub parameters: Vec<Parameter>,
    /// The struct that carries the query and header parameters, when there are any.
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
    pub auth: Auth,
    pub pointer: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    None,
    Bearer { scopes: Vec<String> },
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
    pub doc: Docs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterLocation {
    Path,
    Query,
    Header,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// The body's type; for [`BodyEncoding::MultipartRaw`] there is none and this is `Json`.
    pub ty: TypeRef,
    pub required: bool,
    pub doc: Docs,
    pub encoding: BodyEncoding,
}

/// How a request body goes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// `application/json`.
    Json,
    /// `application/x-www-form-urlencoded`: the struct's fields as `name=value` pairs.
    Form,
    /// `multipart/form-data` with documented fields: a struct whose fields become parts,
    /// files ([`TypeRef::File`]) as file parts and everything else as text.
    Multipart,
    /// `multipart/form-data` whose fields the spec does not list: the caller builds the form.
    MultipartRaw,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: StatusMatch,
    /// Variant name in the operation's success or error enum.
    pub variant: String,
    /// `None` when the response has no JSON body.
    pub ty: Option<TypeRef>,
    pub doc: Docs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    Code(u16),
    /// `4XX`: the hundreds digit.
    Range(u16),
    Default,
}
