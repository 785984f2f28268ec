//! Part of the load stage: what a value in an OpenAPI document is, from the keys that lead
//! to it, for the walks that look for `$ref`s before the document has types. A `$ref` in
//! data (`example`, `default`, `enum`, `const`, an Example Object's `value`, `x-`
//! extensions) is part of the data, and the place of a `$ref` says what kind of object it
//! stands for (a schema under `items`, a response under `responses`).

use serde_json::Value;

/// The kind of object a place holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Schema,
    Response,
    Parameter,
    RequestBody,
    Header,
    Example,
    Link,
    Callback,
    PathItem,
    SecurityScheme,
    MediaType,
    Other,
}

impl Kind {
    /// The `components` section that holds objects of this kind, if there is one.
    pub(super) fn section(self) -> Option<&'static str> {
        Some(match self {
            Kind::Schema => "schemas",
            Kind::Response => "responses",
            Kind::Parameter => "parameters",
            Kind::RequestBody => "requestBodies",
            Kind::Header => "headers",
            Kind::Example => "examples",
            Kind::Link => "links",
            Kind::Callback => "callbacks",
            Kind::PathItem => "pathItems",
            Kind::SecurityScheme => "securitySchemes",
            Kind::MediaType | Kind::Other => return None,
        })
    }

    pub(super) fn of_section(section: &str) -> Kind {
        match section {
            "schemas" => Kind::Schema,
            "responses" => Kind::Response,
            "parameters" => Kind::Parameter,
            "requestBodies" => Kind::RequestBody,
            "headers" => Kind::Header,
            "examples" => Kind::Example,
            "links" => Kind::Link,
            "callbacks" => Kind::Callback,
            "pathItems" => Kind::PathItem,
            "securitySchemes" => Kind::SecurityScheme,
            _ => Kind::Other,
        }
    }
}

/// How the keys of a value are to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// An object of this kind: its keys are keywords.
    Object(Kind),
    /// A map from names to objects of this kind.
    Names(Kind),
    /// A list of objects of this kind.
    List(Kind),
    /// Data: never searched for `$ref`s.
    Data,
}

impl Role {
    /// The role of the value at `key` (an object key or, for lists, ignored) below a value
    /// of this role.
    pub(super) fn child(self, key: &str, child: &Value) -> Role {
        match self {
            Role::Data => Role::Data,
            Role::List(kind) => Role::Object(kind),
            Role::Names(Kind::Callback) => Role::Names(Kind::PathItem),
            Role::Names(kind) => {
                // Property names may look like anything; elsewhere `x-` keys are extensions.
                if key.starts_with("x-") && kind != Kind::Schema {
                    Role::Data
                } else {
                    Role::Object(kind)
                }
            }
            Role::Object(kind) => keyword_role(kind, key, child),
        }
    }
}

fn keyword_role(parent: Kind, key: &str, child: &Value) -> Role {
    if key.starts_with("x-") {
        return Role::Data;
    }
    let list_or_names = |kind| match child {
        Value::Array(_) => Role::List(kind),
        _ => Role::Names(kind),
    };
    match key {
        "example" | "default" | "enum" | "const" | "value" | "externalValue" | "dataValue"
        | "serializedValue" => Role::Data,
        "examples" => match child {
            // 3.1 schema `examples` are values; elsewhere a map of Example Objects.
            Value::Array(_) => Role::Data,
            _ => Role::Names(Kind::Example),
        },
        "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas"
        | "schemas" => Role::Names(Kind::Schema),
        "schema"
        | "items"
        | "additionalProperties"
        | "not"
        | "if"
        | "then"
        | "else"
        | "contains"
        | "propertyNames"
        | "unevaluatedProperties"
        | "unevaluatedItems"
        | "additionalItems"
        | "itemSchema"
        | "contentSchema" => match child {
            Value::Array(_) => Role::List(Kind::Schema),
            _ => Role::Object(Kind::Schema),
        },
        "allOf" | "oneOf" | "anyOf" | "prefixItems" => Role::List(Kind::Schema),
        "responses" => Role::Names(Kind::Response),
        "parameters" if parent != Kind::Link => list_or_names(Kind::Parameter),
        "requestBodies" => Role::Names(Kind::RequestBody),
        "requestBody" if parent != Kind::Link => Role::Object(Kind::RequestBody),
        "headers" => Role::Names(Kind::Header),
        "securitySchemes" => Role::Names(Kind::SecurityScheme),
        "links" => Role::Names(Kind::Link),
        "callbacks" => Role::Names(Kind::Callback),
        "paths" | "webhooks" | "pathItems" => Role::Names(Kind::PathItem),
        "content" => Role::Names(Kind::MediaType),
        "encoding" | "variables" | "mapping" | "flows" | "scopes" => Role::Names(Kind::Other),
        "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace" | "query"
            if parent == Kind::PathItem =>
        {
            Role::Object(Kind::Other)
        }
        // A Link's `parameters` and `requestBody` are expressions and values.
        "parameters" | "requestBody" => Role::Data,
        _ => Role::Object(Kind::Other),
    }
}
