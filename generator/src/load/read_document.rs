//! Part of the load stage: the bundled JSON document becomes the typed [`Document`].
//!
//! A hand-written reader rather than serde derives: a value of the wrong kind is reported
//! at its own pointer (`items` written as a list is an error at `.../items`, not at the
//! schema around it), every problem is collected instead of stopping at the first, and
//! the same code reads 3.0, 3.1 and 3.2 documents. References between objects other than
//! schemas are followed here, wherever an object is expected (also where OpenAPI allows
//! none, as JSON Reference tools do); schema references are resolved to [`SchemaId`]s.

use std::collections::HashMap;
use std::path::Path;

use serde_json::{Map, Value};

use crate::document::*;
use crate::error::Diagnostic;
use crate::pointer;

/// How many `$ref`s may lead from one to the next before a value is reached.
const MAX_REF_HOPS: usize = 32;

/// Reads `root` (the bundled document of the spec at `file`) into a [`Document`], with a
/// diagnostic for every value that is not what its place calls for.
pub(crate) fn read(
    file: &Path,
    root: &Value,
    version: Option<Version>,
) -> (Document, Vec<Diagnostic>) {
    let mut reader = Reader {
        file,
        root,
        version,
        diagnostics: Vec::new(),
        schemas: Vec::new(),
        schema_at: HashMap::default(),
        pending_refs: Vec::new(),
    };
    let document = reader.document();
    (document, reader.diagnostics)
}

struct Reader<'v> {
    file: &'v Path,
    root: &'v Value,
    version: Option<Version>,
    diagnostics: Vec<Diagnostic>,
    schemas: Vec<Schema>,
    /// The schema read at each pointer, so that a `$ref` finds it and no schema is read twice.
    /// Hashed with foldhash: every schema's pointer is hashed twice, and they are long.
    schema_at: HashMap<String, SchemaId, foldhash::fast::RandomState>,
    /// Schemas with a `$ref` still to resolve.
    pending_refs: Vec<SchemaId>,
}

/// A member of a JSON object by name. The objects of a description are small (a schema
/// has a handful of keywords) and the reader asks each for thirty names: a scan of a few
/// entries costs less than hashing the name with serde_json's SipHash.
trait Field {
    fn field(&self, key: &str) -> Option<&Value>;
}

/// Objects larger than this are looked up by hash.
const SCANNED_FIELDS: usize = 8;

impl Field for Map<String, Value> {
    fn field(&self, key: &str) -> Option<&Value> {
        if self.len() > SCANNED_FIELDS {
            return self.get(key);
        }
        self.iter()
            .find_map(|(name, value)| (name == key).then_some(value))
    }
}

impl Field for Value {
    fn field(&self, key: &str) -> Option<&Value> {
        self.as_object()?.field(key)
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

impl<'v> Reader<'v> {
    fn error(&mut self, at: &str, message: impl Into<String>, help: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::new(self.file, at, message).help(help));
    }

    fn wrong_kind(&mut self, at: &str, what: &str, expected: &str, found: &Value) {
        self.error(
            at,
            format!("{what} must be {expected}, found {}", kind_of(found)),
            format!("write {what} as {expected}, as the OpenAPI specification defines it"),
        );
    }

    /// What the `$ref` chain starting at `value` (at `at`) leads to, with its pointer.
    /// Broken targets were reported by the loader's reference check.
    fn follow(&mut self, mut value: &'v Value, at: &str) -> Option<(&'v Value, String)> {
        let mut at = at.to_string();
        for _ in 0..MAX_REF_HOPS {
            let Some(reference) = value.field("$ref").and_then(Value::as_str) else {
                return Some((value, at));
            };
            let fragment = pointer::from_fragment(reference.strip_prefix('#')?);
            value = self.root.pointer(&fragment)?;
            at = format!("#{fragment}");
        }
        self.error(
            &at,
            format!("more than {MAX_REF_HOPS} `$ref`s lead from one to the next here"),
            "point the `$ref` at the value itself, or remove the cycle of references",
        );
        None
    }

    /// The object at `value`, references followed; `what` names it in messages.
    fn object(
        &mut self,
        value: &'v Value,
        at: &str,
        what: &str,
    ) -> Option<(&'v Map<String, Value>, String)> {
        let (value, at) = self.follow(value, at)?;
        match value {
            Value::Object(map) => Some((map, at)),
            other => {
                self.wrong_kind(&at, what, "a mapping", other);
                None
            }
        }
    }

    // -----------------------------------------------------------------------------------
    // Scalars of an object
    // -----------------------------------------------------------------------------------

    fn string(&mut self, obj: &Map<String, Value>, at: &str, key: &str) -> Option<String> {
        match obj.field(key)? {
            Value::String(text) => Some(text.clone()),
            other => {
                let at = pointer::push(at, key);
                self.wrong_kind(&at, &format!("`{key}`"), "a string", other);
                None
            }
        }
    }

    /// A text field whose wrong kind is harmless to ignore (documentation).
    fn text(&mut self, obj: &Map<String, Value>, at: &str, key: &str) -> Option<String> {
        self.string(obj, at, key)
    }

    fn boolean(&mut self, obj: &Map<String, Value>, at: &str, key: &str) -> bool {
        match obj.field(key) {
            None => false,
            Some(Value::Bool(flag)) => *flag,
            Some(other) => {
                let at = pointer::push(at, key);
                self.wrong_kind(&at, &format!("`{key}`"), "`true` or `false`", other);
                false
            }
        }
    }

    fn optional_bool(&mut self, obj: &Map<String, Value>, at: &str, key: &str) -> Option<bool> {
        obj.field(key).is_some().then(|| self.boolean(obj, at, key))
    }

    fn strings(&mut self, obj: &Map<String, Value>, at: &str, key: &str) -> Vec<String> {
        let Some(value) = obj.field(key) else {
            return Vec::new();
        };
        let at = pointer::push(at, key);
        let Value::Array(items) = value else {
            self.wrong_kind(&at, &format!("`{key}`"), "a list of strings", value);
            return Vec::new();
        };
        let mut out = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            match item {
                Value::String(text) => out.push(text.clone()),
                other => {
                    let at = pointer::push(&at, &index.to_string());
                    self.wrong_kind(&at, &format!("each entry of `{key}`"), "a string", other);
                }
            }
        }
        out
    }

    fn map(
        &mut self,
        obj: &'v Map<String, Value>,
        at: &str,
        key: &str,
    ) -> Option<&'v Map<String, Value>> {
        let value = obj.field(key)?;
        match value {
            Value::Object(map) => Some(map),
            Value::Null => None,
            other => {
                let at = pointer::push(at, key);
                self.wrong_kind(&at, &format!("`{key}`"), "a mapping", other);
                None
            }
        }
    }

    fn extensions(obj: &Map<String, Value>) -> Extensions {
        obj.iter()
            .filter(|(key, _)| key.starts_with("x-"))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect()
    }

    // -----------------------------------------------------------------------------------
    // The document
    // -----------------------------------------------------------------------------------

    fn document(&mut self) -> Document {
        let mut document = Document {
            version: self.version,
            ..Document::default()
        };
        let Value::Object(root) = self.root else {
            return document;
        };
        let at = "#";
        if let Some(dialect) = self.string(root, at, "jsonSchemaDialect") {
            let default = "https://spec.openapis.org/oas/3.1/dialect/base";
            if !dialect.starts_with(default)
                && !dialect.starts_with("https://spec.openapis.org/oas/3.")
            {
                self.error(
                    "#/jsonSchemaDialect",
                    format!("schema dialect `{dialect}` is not supported"),
                    format!(
                        "remove `jsonSchemaDialect`, or set it to the OpenAPI default `{default}`"
                    ),
                );
            }
        }
        if let Some(info) = root.field("info") {
            document.info = self.info(info);
        }
        document.servers = self.servers(root, at);
        document.components = self.components(root);
        if let Some(paths) = self.map(root, at, "paths") {
            document.paths = self.path_items(paths, "#/paths");
        }
        if let Some(webhooks) = self.map(root, at, "webhooks") {
            document.webhooks = self.path_items(webhooks, "#/webhooks");
        }
        document.security = self.security(root, at);
        if let Some(Value::Array(tags)) = root.field("tags") {
            for (index, tag) in tags.iter().enumerate() {
                let tag_at = pointer::join(at, &["tags", &index.to_string()]);
                if let Some((obj, tag_at)) = self.object(tag, &tag_at, "a tag") {
                    let name = self.string(obj, &tag_at, "name").unwrap_or_default();
                    let description = self.text(obj, &tag_at, "description");
                    document.tags.push(Tag { name, description });
                }
            }
        }
        self.resolve_schema_refs();
        document.schemas = std::mem::take(&mut self.schemas);
        document
    }

    fn info(&mut self, value: &'v Value) -> Info {
        let Some((obj, at)) = self.object(value, "#/info", "`info`") else {
            return Info::default();
        };
        Info {
            title: self.text(obj, &at, "title").unwrap_or_default(),
            version: self.text(obj, &at, "version").unwrap_or_default(),
            summary: self.text(obj, &at, "summary"),
            description: self.text(obj, &at, "description"),
            extensions: Self::extensions(obj),
        }
    }

    fn servers(&mut self, obj: &'v Map<String, Value>, at: &str) -> Vec<Server> {
        let Some(value) = obj.field("servers") else {
            return Vec::new();
        };
        let list_at = pointer::push(at, "servers");
        let Value::Array(items) = value else {
            self.wrong_kind(&list_at, "`servers`", "a list", value);
            return Vec::new();
        };
        let mut out = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let item_at = pointer::push(&list_at, &index.to_string());
            let Some((server, server_at)) = self.object(item, &item_at, "a server") else {
                continue;
            };
            let Some(url) = self.string(server, &server_at, "url") else {
                self.error(&server_at, "server has no `url`", "add `url: https://...`");
                continue;
            };
            let mut variables = Vec::new();
            if let Some(map) = self.map(server, &server_at, "variables") {
                let variables_at = pointer::push(&server_at, "variables");
                for (name, variable) in map {
                    let variable_at = pointer::push(&variables_at, name);
                    let Some((variable, variable_at)) =
                        self.object(variable, &variable_at, "a server variable")
                    else {
                        continue;
                    };
                    let default = match variable.field("default") {
                        Some(Value::String(text)) => text.clone(),
                        Some(other @ (Value::Number(_) | Value::Bool(_))) => other.to_string(),
                        _ => {
                            self.error(
                                &variable_at,
                                format!("server variable `{name}` has no string `default`"),
                                "add `default:` with the value to use when the caller sets none",
                            );
                            continue;
                        }
                    };
                    let enumeration = self.strings(variable, &variable_at, "enum");
                    let description = self.text(variable, &variable_at, "description");
                    variables.push((
                        name.clone(),
                        ServerVariable {
                            default,
                            enumeration,
                            description,
                        },
                    ));
                }
            }
            let description = self.text(server, &server_at, "description");
            out.push(Server {
                pointer: server_at,
                url,
                description,
                variables,
            });
        }
        out
    }

    fn path_items(&mut self, map: &'v Map<String, Value>, at: &str) -> Vec<(String, PathItem)> {
        let mut out = Vec::with_capacity(map.len());
        for (path, item) in map {
            if path.starts_with("x-") {
                continue;
            }
            let item_at = pointer::push(at, path);
            if let Some(item) = self.path_item(item, &item_at) {
                out.push((path.clone(), item));
            }
        }
        out
    }

    fn path_item(&mut self, value: &'v Value, at: &str) -> Option<PathItem> {
        let (obj, at) = self.object(value, at, "a path item")?;
        let mut item = PathItem {
            summary: self.text(obj, &at, "summary"),
            description: self.text(obj, &at, "description"),
            parameters: self.parameters(obj, &at),
            ..PathItem::default()
        };
        for method in METHODS {
            if let Some(operation) = obj.field(method) {
                let operation_at = pointer::push(&at, method);
                if let Some(operation) = self.operation(operation, &operation_at, method) {
                    item.operations.push(operation);
                }
            }
        }
        // A method under a key the path item does not have would be dropped without a word.
        for key in obj.keys() {
            let lower = key.to_ascii_lowercase();
            let method_like = METHODS.contains(&lower.as_str())
                || (is_method_token(key) && !key.bytes().any(|b| b.is_ascii_lowercase()));
            if method_like && !METHODS.contains(&key.as_str()) {
                let help = if METHODS.contains(&lower.as_str()) {
                    format!("write the method in lowercase: `{lower}`")
                } else {
                    format!("an operation with another method goes under `additionalOperations` (OpenAPI 3.2): `additionalOperations: {{{key}: ...}}`")
                };
                self.error(
                    &pointer::push(&at, key),
                    format!("`{key}` is not a field of a path item"),
                    help,
                );
            }
        }
        if let Some(additional) = self.map(obj, &at, "additionalOperations") {
            let additional_at = pointer::push(&at, "additionalOperations");
            for (method, operation) in additional {
                let operation_at = pointer::push(&additional_at, method);
                if METHODS.contains(&method.to_ascii_lowercase().as_str()) {
                    self.error(
                        &operation_at,
                        format!("`{method}` is one of the fixed fields of a path item, not an additional operation"),
                        format!("move the operation to the path item's `{}` field", method.to_ascii_lowercase()),
                    );
                } else if !is_method_token(method) {
                    self.error(
                        &operation_at,
                        format!("`{method}` is not an HTTP method name"),
                        "a method name is letters, digits and `!#$%&'*+-.^_`|~`, as it is sent (for example `LINK`)",
                    );
                } else if let Some(operation) = self.operation(operation, &operation_at, method) {
                    item.operations.push(operation);
                }
            }
        }
        item.pointer = at;
        Some(item)
    }

    fn operation(&mut self, value: &'v Value, at: &str, method: &str) -> Option<Operation> {
        let (obj, at) = self.object(value, at, &format!("operation `{method}`"))?;
        let map = obj;
        let mut operation = Operation {
            method: method.to_string(),
            operation_id: self.string(map, &at, "operationId"),
            summary: self.text(map, &at, "summary"),
            description: self.text(map, &at, "description"),
            tags: self.strings(map, &at, "tags"),
            deprecated: self.boolean(map, &at, "deprecated"),
            parameters: self.parameters(map, &at),
            security: self.security(map, &at),
            extensions: Self::extensions(map),
            ..Operation::default()
        };
        if let Some(body) = map.field("requestBody") {
            let body_at = pointer::push(&at, "requestBody");
            operation.request_body = self.request_body(body, &body_at);
        }
        if let Some(responses) = self.map(map, &at, "responses") {
            let responses_at = pointer::push(&at, "responses");
            for (key, response) in responses {
                if key.starts_with("x-") {
                    continue;
                }
                let response_at = pointer::push(&responses_at, key);
                let Some(status) = status_key(key) else {
                    self.error(
                        &response_at,
                        format!("`{key}` is not a status code"),
                        "use a code such as `200`, a range such as `4XX`, or `default`",
                    );
                    continue;
                };
                if let Some(response) = self.response(response, &response_at) {
                    operation.responses.push((status, response));
                }
            }
        }
        operation.pointer = at;
        Some(operation)
    }

    fn parameters(&mut self, obj: &'v Map<String, Value>, at: &str) -> Vec<Parameter> {
        let Some(value) = obj.field("parameters") else {
            return Vec::new();
        };
        let list_at = pointer::push(at, "parameters");
        let Value::Array(items) = value else {
            self.wrong_kind(&list_at, "`parameters`", "a list", value);
            return Vec::new();
        };
        let mut out = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let item_at = pointer::push(&list_at, &index.to_string());
            if let Some(parameter) = self.parameter(item, &item_at) {
                out.push(parameter);
            }
        }
        out
    }

    fn parameter(&mut self, value: &'v Value, at: &str) -> Option<Parameter> {
        let (obj, at) = self.object(value, at, "a parameter")?;
        let map = obj;
        let Some(name) = self.string(map, &at, "name") else {
            self.error(
                &at,
                "parameter has no `name`",
                "add `name:` with the parameter's name on the wire",
            );
            return None;
        };
        let location = match map.field("in").and_then(Value::as_str) {
            Some("path") => ParameterLocation::Path,
            Some("query") => ParameterLocation::Query,
            Some("header") => ParameterLocation::Header,
            Some("cookie") => ParameterLocation::Cookie,
            Some("querystring") => ParameterLocation::QueryString,
            Some(other) => {
                self.error(
                    &pointer::push(&at, "in"),
                    format!("parameter location `{other}` is not one of OpenAPI's"),
                    "use `path`, `query`, `header` or `cookie`",
                );
                return None;
            }
            None => {
                self.error(
                    &at,
                    format!("parameter `{name}` has no `in`"),
                    "add `in: path`, `query`, `header` or `cookie`",
                );
                return None;
            }
        };
        let schema = map
            .field("schema")
            .map(|schema| self.schema(schema, pointer::push(&at, "schema")));
        let content = self.content(map, &at).into_iter().next();
        let examples = self.examples(map, &at);
        Some(Parameter {
            description: self.text(map, &at, "description"),
            required: self.boolean(map, &at, "required"),
            deprecated: self.boolean(map, &at, "deprecated"),
            style: self.string(map, &at, "style"),
            explode: self.optional_bool(map, &at, "explode"),
            allow_reserved: self.boolean(map, &at, "allowReserved"),
            pointer: at,
            name,
            location,
            schema,
            content,
            examples,
        })
    }

    fn request_body(&mut self, value: &'v Value, at: &str) -> Option<RequestBody> {
        let (obj, at) = self.object(value, at, "a request body")?;
        Some(RequestBody {
            description: self.text(obj, &at, "description"),
            required: self.boolean(obj, &at, "required"),
            content: self.content(obj, &at),
            pointer: at,
        })
    }

    fn response(&mut self, value: &'v Value, at: &str) -> Option<Response> {
        let (obj, at) = self.object(value, at, "a response")?;
        let mut headers = Vec::new();
        if let Some(map) = self.map(obj, &at, "headers") {
            let headers_at = pointer::push(&at, "headers");
            for (name, header) in map {
                let header_at = pointer::push(&headers_at, name);
                if let Some(header) = self.header(header, &header_at) {
                    headers.push((name.clone(), header));
                }
            }
        }
        Some(Response {
            description: self.text(obj, &at, "description"),
            content: self.content(obj, &at),
            headers,
            pointer: at,
        })
    }

    fn header(&mut self, value: &'v Value, at: &str) -> Option<Header> {
        let (obj, at) = self.object(value, at, "a header")?;
        let schema = match obj.field("schema") {
            Some(schema) => Some(self.schema(schema, pointer::push(&at, "schema"))),
            None => self
                .content(obj, &at)
                .into_iter()
                .next()
                .and_then(|media| media.schema),
        };
        Some(Header {
            description: self.text(obj, &at, "description"),
            required: self.boolean(obj, &at, "required"),
            schema,
            pointer: at,
        })
    }

    fn content(&mut self, obj: &'v Map<String, Value>, at: &str) -> Vec<MediaType> {
        let Some(value) = obj.field("content") else {
            return Vec::new();
        };
        let content_at = pointer::push(at, "content");
        let Some((content, content_at)) = self.object(value, &content_at, "`content`") else {
            return Vec::new();
        };
        let mut out = Vec::with_capacity(content.len());
        for (media_type, media) in content {
            let media_at = pointer::push(&content_at, media_type);
            let Some((media, media_at)) =
                self.object(media, &media_at, &format!("media type `{media_type}`"))
            else {
                continue;
            };
            let schema = media
                .field("schema")
                .map(|schema| self.schema(schema, pointer::push(&media_at, "schema")));
            let item_schema = media
                .field("itemSchema")
                .map(|schema| self.schema(schema, pointer::push(&media_at, "itemSchema")));
            let mut encoding = Vec::new();
            if let Some(map) = self.map(media, &media_at, "encoding") {
                let encoding_at = pointer::push(&media_at, "encoding");
                for (property, value) in map {
                    let property_at = pointer::push(&encoding_at, property);
                    let Some((obj, property_at)) = self.object(value, &property_at, "an encoding")
                    else {
                        continue;
                    };
                    encoding.push((
                        property.clone(),
                        Encoding {
                            content_type: self.string(obj, &property_at, "contentType"),
                            style: self.string(obj, &property_at, "style"),
                            explode: self.optional_bool(obj, &property_at, "explode"),
                        },
                    ));
                }
            }
            let examples = self.examples(media, &media_at);
            out.push(MediaType {
                pointer: media_at,
                media_type: media_type.clone(),
                schema,
                item_schema,
                examples,
                encoding,
            });
        }
        out
    }

    /// `example` and the values of `examples` (a map of Example Objects) of a parameter,
    /// media type or header.
    fn examples(&mut self, obj: &'v Map<String, Value>, at: &str) -> Vec<Example> {
        let mut out = Vec::new();
        if let Some(value) = obj.field("example") {
            out.push(Example {
                pointer: pointer::push(at, "example"),
                value: value.clone(),
            });
        }
        if let Some(Value::Object(map)) = obj.field("examples") {
            let examples_at = pointer::push(at, "examples");
            for (name, example) in map {
                let example_at = pointer::push(&examples_at, name);
                let Some((example, example_at)) = self.object(example, &example_at, "an example")
                else {
                    continue;
                };
                // 3.2 names the value as data `dataValue`, beside its `serializedValue`.
                let found = ["value", "dataValue"]
                    .into_iter()
                    .find_map(|key| Some((key, example.field(key)?)));
                if let Some((key, value)) = found {
                    out.push(Example {
                        pointer: pointer::push(&example_at, key),
                        value: value.clone(),
                    });
                }
            }
        }
        out
    }

    fn components(&mut self, root: &'v Map<String, Value>) -> Components {
        let mut components = Components::default();
        let Some(map) = self.map(root, "#", "components") else {
            return components;
        };
        if let Some(schemas) = self.map(map, "#/components", "schemas") {
            for (name, schema) in schemas {
                let at = pointer::join("#/components/schemas", &[name]);
                let id = self.schema(schema, at);
                components.schemas.push((name.clone(), id));
            }
        }
        if let Some(schemes) = self.map(map, "#/components", "securitySchemes") {
            for (name, scheme) in schemes {
                let at = pointer::join("#/components/securitySchemes", &[name]);
                if let Some(scheme) = self.security_scheme(name, scheme, &at) {
                    components.security_schemes.push((name.clone(), scheme));
                }
            }
        }
        components
    }

    fn security_scheme(
        &mut self,
        name: &str,
        value: &'v Value,
        at: &str,
    ) -> Option<SecurityScheme> {
        let (obj, at) = self.object(value, at, "a security scheme")?;
        let map = obj;
        let kind = match map.field("type").and_then(Value::as_str) {
            Some("apiKey") => {
                let key_name = self.string(map, &at, "name");
                let location = match map.field("in").and_then(Value::as_str) {
                    Some("header") => Some(ApiKeyLocation::Header),
                    Some("query") => Some(ApiKeyLocation::Query),
                    Some("cookie") => Some(ApiKeyLocation::Cookie),
                    _ => None,
                };
                match (key_name, location) {
                    (Some(name), Some(location)) => SecuritySchemeKind::ApiKey { name, location },
                    _ => {
                        self.error(
                            &at,
                            format!("API key scheme `{name}` needs `name` and `in`"),
                            "add `name:` (the header, query or cookie name) and `in: header`, `query` or `cookie`",
                        );
                        return None;
                    }
                }
            }
            Some("http") => {
                let Some(scheme) = self.string(map, &at, "scheme") else {
                    self.error(
                        &at,
                        format!("HTTP scheme `{name}` has no `scheme`"),
                        "add `scheme: bearer` or `scheme: basic`",
                    );
                    return None;
                };
                SecuritySchemeKind::Http {
                    scheme: scheme.to_ascii_lowercase(),
                    bearer_format: self.string(map, &at, "bearerFormat"),
                }
            }
            Some("oauth2") => {
                let mut flows = Vec::new();
                if let Some(map) = self.map(map, &at, "flows") {
                    let flows_at = pointer::push(&at, "flows");
                    for (kind, flow) in map {
                        let flow_at = pointer::push(&flows_at, kind);
                        let Some((flow, flow_at)) = self.object(flow, &flow_at, "an OAuth flow")
                        else {
                            continue;
                        };
                        let scopes = match flow.field("scopes") {
                            Some(Value::Object(scopes)) => scopes.keys().cloned().collect(),
                            _ => Vec::new(),
                        };
                        flows.push(OAuthFlow {
                            kind: kind.clone(),
                            token_url: self.string(flow, &flow_at, "tokenUrl"),
                            refresh_url: self.string(flow, &flow_at, "refreshUrl"),
                            scopes,
                        });
                    }
                }
                SecuritySchemeKind::OAuth2 { flows }
            }
            Some("openIdConnect") => SecuritySchemeKind::OpenIdConnect {
                url: self
                    .string(map, &at, "openIdConnectUrl")
                    .unwrap_or_default(),
            },
            Some("mutualTLS") => SecuritySchemeKind::MutualTls,
            Some(other) => {
                self.error(
                    &pointer::push(&at, "type"),
                    format!("security scheme type `{other}` is not one of OpenAPI's"),
                    "use `apiKey`, `http`, `oauth2`, `openIdConnect` or `mutualTLS`",
                );
                return None;
            }
            None => {
                self.error(
                    &at,
                    format!("security scheme `{name}` has no `type`"),
                    "add `type: http`, `apiKey`, `oauth2` or `openIdConnect`",
                );
                return None;
            }
        };
        Some(SecurityScheme {
            description: self.text(map, &at, "description"),
            pointer: at,
            kind,
        })
    }

    fn security(
        &mut self,
        obj: &'v Map<String, Value>,
        at: &str,
    ) -> Option<Vec<SecurityRequirement>> {
        let value = obj.field("security")?;
        let list_at = pointer::push(at, "security");
        let Value::Array(items) = value else {
            self.wrong_kind(&list_at, "`security`", "a list of requirements", value);
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let item_at = pointer::push(&list_at, &index.to_string());
            let Value::Object(map) = item else {
                self.wrong_kind(
                    &item_at,
                    "a security requirement",
                    "a mapping of scheme names to scopes",
                    item,
                );
                continue;
            };
            let mut requirement = Vec::with_capacity(map.len());
            for name in map.keys() {
                let scopes = self.strings(map, &item_at, name);
                requirement.push((name.clone(), scopes));
            }
            out.push(requirement);
        }
        Some(out)
    }

    // -----------------------------------------------------------------------------------
    // Schemas
    // -----------------------------------------------------------------------------------

    /// Reads the schema at `at` into the arena (once per place) and returns its id.
    fn schema(&mut self, value: &'v Value, at: String) -> SchemaId {
        if let Some(id) = self.schema_at.get(&at) {
            return *id;
        }
        let id = SchemaId(self.schemas.len());
        self.schemas.push(Schema {
            pointer: at.clone(),
            ..Schema::default()
        });
        self.schema_at.insert(at.clone(), id);
        let schema = match value {
            Value::Object(map) => self.schema_object(map, &at, id),
            Value::Bool(flag) => Schema {
                boolean: Some(*flag),
                ..Schema::default()
            },
            other => {
                self.error(
                    &at,
                    format!("a schema must be a mapping, found {}", kind_of(other)),
                    match other {
                        Value::Array(_) => "write one schema here; a list of alternatives goes under `oneOf`, a tuple under `prefixItems`",
                        _ => "write a schema object such as `{type: string}`",
                    },
                );
                Schema::default()
            }
        };
        self.schemas[id.0] = Schema {
            pointer: at,
            ..schema
        };
        id
    }

    fn child_schema(
        &mut self,
        map: &'v Map<String, Value>,
        at: &str,
        key: &str,
    ) -> Option<SchemaId> {
        let value = map.field(key)?;
        Some(self.schema(value, pointer::push(at, key)))
    }

    fn schema_list(&mut self, map: &'v Map<String, Value>, at: &str, key: &str) -> Vec<SchemaId> {
        let Some(value) = map.field(key) else {
            return Vec::new();
        };
        let list_at = pointer::push(at, key);
        let Value::Array(items) = value else {
            self.wrong_kind(&list_at, &format!("`{key}`"), "a list of schemas", value);
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .map(|(index, item)| self.schema(item, pointer::push(&list_at, &index.to_string())))
            .collect()
    }

    fn schema_map(
        &mut self,
        map: &'v Map<String, Value>,
        at: &str,
        key: &str,
    ) -> Vec<(String, SchemaId)> {
        let Some(children) = self.map(map, at, key) else {
            return Vec::new();
        };
        let map_at = pointer::push(at, key);
        children
            .iter()
            .map(|(name, child)| {
                (
                    name.clone(),
                    self.schema(child, pointer::push(&map_at, name)),
                )
            })
            .collect()
    }

    fn schema_object(&mut self, map: &'v Map<String, Value>, at: &str, id: SchemaId) -> Schema {
        let mut schema = Schema::default();
        if let Some(reference) = map.field("$ref") {
            match reference {
                Value::String(text) => {
                    schema.reference = Some(Reference {
                        text: text.clone(),
                        target: None,
                    });
                    self.pending_refs.push(id);
                }
                other => self.wrong_kind(&pointer::push(at, "$ref"), "`$ref`", "a string", other),
            }
            // In 3.0 a `$ref` replaces the whole object: its siblings say nothing.
            if self.version == Some(Version::V3_0) {
                schema.description = self.text(map, at, "description");
                return schema;
            }
        }
        schema.types = self.types(map, at);
        schema.nullable = self.boolean(map, at, "nullable");
        schema.format = match map.field("format") {
            Some(Value::String(format)) => Some(format.clone()),
            // Some descriptions write `format: int64` as a number or leave it `null`.
            _ => None,
        };
        schema.title = self.text(map, at, "title");
        schema.description = self.text(map, at, "description");
        schema.enumeration = match map.field("enum") {
            None => None,
            Some(Value::Array(values)) => Some(values.clone()),
            Some(other) => {
                self.wrong_kind(
                    &pointer::push(at, "enum"),
                    "`enum`",
                    "a list of values",
                    other,
                );
                None
            }
        };
        schema.constant = map.field("const").cloned();
        schema.default = map.field("default").cloned();
        if let Some(example) = map.field("example") {
            schema.examples.push(Example {
                pointer: pointer::push(at, "example"),
                value: example.clone(),
            });
        }
        if let Some(Value::Array(examples)) = map.field("examples") {
            let examples_at = pointer::push(at, "examples");
            for (index, example) in examples.iter().enumerate() {
                schema.examples.push(Example {
                    pointer: pointer::push(&examples_at, &index.to_string()),
                    value: example.clone(),
                });
            }
        }
        schema.properties = self.schema_map(map, at, "properties");
        schema.required = match map.field("required") {
            Some(Value::Bool(_)) => {
                self.error(
                    &pointer::push(at, "required"),
                    "`required` on a schema must list property names, found a boolean",
                    "list the property in its object's `required: [..]` instead (`required: true` is Swagger 2.0 style)",
                );
                Vec::new()
            }
            _ => self.strings(map, at, "required"),
        };
        schema.additional_properties = match map.field("additionalProperties") {
            None => Additional::Unspecified,
            Some(Value::Bool(true)) => Additional::Any,
            Some(Value::Bool(false)) => Additional::Forbidden,
            Some(Value::Object(values)) if values.is_empty() => Additional::Any,
            Some(value) => {
                Additional::Schema(self.schema(value, pointer::push(at, "additionalProperties")))
            }
        };
        let pattern_properties = self.schema_map(map, at, "patternProperties");
        if schema.additional_properties == Additional::Unspecified {
            // A map whose keys follow a pattern: its values are what the generator types.
            if let [(_, values)] = pattern_properties.as_slice() {
                schema.additional_properties = Additional::Schema(*values);
            } else if !pattern_properties.is_empty() {
                schema.additional_properties = Additional::Any;
            }
        }
        schema.items = match map.field("items") {
            Some(Value::Array(_))
                if self.version == Some(Version::V3_0) || self.version.is_none() =>
            {
                self.error(
                    &pointer::push(at, "items"),
                    "`items` must be one schema, found a list",
                    "write the schema of every item under `items:` without the `-`; OpenAPI 3.0 has no tuples",
                );
                None
            }
            Some(Value::Array(_)) => {
                self.error(
                    &pointer::push(at, "items"),
                    "`items` must be one schema, found a list",
                    "a tuple's schemas go under `prefixItems` (JSON Schema 2020-12)",
                );
                None
            }
            _ => self.child_schema(map, at, "items"),
        };
        schema.prefix_items = self.schema_list(map, at, "prefixItems");
        schema.all_of = self.schema_list(map, at, "allOf");
        schema.one_of = self.schema_list(map, at, "oneOf");
        schema.any_of = self.schema_list(map, at, "anyOf");
        schema.not = self.child_schema(map, at, "not");
        if let Some(value) = map.field("discriminator") {
            let discriminator_at = pointer::push(at, "discriminator");
            if let Some((obj, discriminator_at)) =
                self.object(value, &discriminator_at, "`discriminator`")
            {
                match self.string(obj, &discriminator_at, "propertyName") {
                    Some(property_name) => {
                        let mut mapping = Vec::new();
                        if let Some(map) = self.map(obj, &discriminator_at, "mapping") {
                            for (key, target) in map {
                                match target {
                                    Value::String(target) => {
                                        mapping.push((key.clone(), target.clone()))
                                    }
                                    other => self.wrong_kind(
                                        &pointer::join(&discriminator_at, &["mapping", key]),
                                        "a discriminator mapping",
                                        "a string (a schema name or `$ref`)",
                                        other,
                                    ),
                                }
                            }
                        }
                        schema.discriminator = Some(Discriminator {
                            property_name,
                            mapping,
                        });
                    }
                    None => self.error(
                        &discriminator_at,
                        "`discriminator` has no `propertyName`",
                        "add `propertyName:` naming the property that tells the variants apart",
                    ),
                }
            }
        }
        schema.read_only = self.boolean(map, at, "readOnly");
        schema.write_only = self.boolean(map, at, "writeOnly");
        schema.deprecated = self.boolean(map, at, "deprecated");
        schema.content_encoding = self.string(map, at, "contentEncoding");
        schema.content_media_type = self.string(map, at, "contentMediaType");
        // Definitions are read so that `$ref`s into them resolve.
        for key in ["$defs", "definitions"] {
            self.schema_map(map, at, key);
        }
        for key in ["$dynamicRef", "$recursiveRef"] {
            if map.field(key).is_some() {
                schema.unsupported.push(if key == "$dynamicRef" {
                    "$dynamicRef"
                } else {
                    "$recursiveRef"
                });
            }
        }
        schema.extensions = Self::extensions(map);
        schema
    }

    fn types(&mut self, map: &'v Map<String, Value>, at: &str) -> Option<Vec<JsonType>> {
        let value = map.field("type")?;
        let type_at = pointer::push(at, "type");
        let unknown = |reader: &mut Self, name: &str, at: &str| {
            reader.error(
                at,
                format!("schema type `{name}` is not an OpenAPI type"),
                "use one of string, number, integer, boolean, array, object; omit `type` to accept any value",
            );
        };
        match value {
            Value::String(name) => match JsonType::from_name(name) {
                Some(kind) => Some(vec![kind]),
                None => {
                    unknown(self, name, &type_at);
                    None
                }
            },
            Value::Array(names) => {
                let mut out = Vec::with_capacity(names.len());
                for (index, name) in names.iter().enumerate() {
                    let name_at = pointer::push(&type_at, &index.to_string());
                    match name.as_str().map(|n| (n, JsonType::from_name(n))) {
                        Some((_, Some(kind))) => {
                            if !out.contains(&kind) {
                                out.push(kind);
                            }
                        }
                        Some((name, None)) => unknown(self, name, &name_at),
                        None => {
                            self.wrong_kind(&name_at, "each entry of `type`", "a type name", name)
                        }
                    }
                }
                Some(out)
            }
            other => {
                self.wrong_kind(&type_at, "`type`", "a type name or a list of them", other);
                None
            }
        }
    }

    /// Points every schema `$ref` at the schema it names, reading targets that no other
    /// place made a schema of yet.
    fn resolve_schema_refs(&mut self) {
        while let Some(id) = self.pending_refs.pop() {
            let Some(reference) = self.schemas[id.0].reference.clone() else {
                continue;
            };
            let Some(fragment) = reference.text.strip_prefix('#').map(pointer::from_fragment)
            else {
                // Left unresolved: the loader reported it (remote or out of bounds).
                continue;
            };
            let fragment = fragment.as_ref();
            let target_at = format!("#{fragment}");
            let target = match self.schema_at.get(&target_at) {
                Some(target) => Some(*target),
                None => self
                    .root
                    .pointer(fragment)
                    .map(|value| self.schema(value, target_at)),
            };
            if let Some(reference) = &mut self.schemas[id.0].reference {
                reference.target = target;
            }
        }
    }
}

/// A `responses` key as a status: `200`, `4XX`, `default`.
fn status_key(key: &str) -> Option<StatusKey> {
    if key == "default" {
        return Some(StatusKey::Default);
    }
    let bytes = key.as_bytes();
    if bytes.len() == 3 && bytes[0].is_ascii_digit() && bytes[1..].eq_ignore_ascii_case(b"xx") {
        return Some(StatusKey::Range(u16::from(bytes[0] - b'0')));
    }
    if bytes.len() == 3 && bytes.iter().all(u8::is_ascii_digit) {
        return key.parse().ok().map(StatusKey::Code);
    }
    None
}

/// Whether `name` is an HTTP method name (an RFC 9110 token).
pub(crate) fn is_method_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}
