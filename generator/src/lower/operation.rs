//! Lowering of operations: method names, parameters (constant headers apart), request
//! body, responses split into success and error by status, and authentication.

use openapiv3::{
    Parameter as SpecParameter, ParameterSchemaOrContent, ReferenceOr, SecurityScheme, StatusCode,
};

use super::schema::{schema_docs, SchemaRef};
use super::{Lowerer, ObjectRule};
use crate::error::pointer_push;
use crate::ir::{
    Auth, BodyEncoding, Docs, Field, Model, ModelKind, Operation, Parameter, ParameterLocation,
    PathSegment, RequestBody, Response, StatusMatch, Struct, TypeRef,
};
use crate::names::{self, NameSet};

/// Methods the generated `Client` defines itself, or has from the traits it implements.
const CLIENT_METHODS: &[&str] = &[
    "new",
    "with_base_url",
    "with_http_client",
    "with_timeout",
    "with_retry_policy",
    "execute",
    "base_url",
    "http_client",
    "url",
    "authorization",
    "send",
    "clone",
    "default",
    "fmt",
];

/// Headers that OpenAPI says are not parameters: the client sets them itself.
const MANAGED_HEADERS: &[&str] = &["accept", "content-type", "authorization"];

impl<'a> Lowerer<'a> {
    pub(super) fn lower_operations(&mut self) -> Vec<Operation> {
        let mut method_names = NameSet::with_reserved(CLIENT_METHODS.iter().copied());
        let mut operations = Vec::new();
        let openapi = self.openapi;
        for (path, item) in &openapi.paths.paths {
            let item_pointer = pointer_push("#/paths", path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { .. } => {
                    self.error(
                        &item_pointer,
                        "path item `$ref`s are not supported",
                        "write the path item inline",
                    );
                    continue;
                }
            };
            for (method, operation) in item.iter() {
                let pointer = pointer_push(&item_pointer, method);
                let base = match &operation.operation_id {
                    Some(id) => names::snake(id, "operation"),
                    None => names::snake(&format!("{method} {path}"), "operation"),
                };
                let rust_name = method_names.claim(&base);
                let lowered = self.lower_operation(
                    rust_name,
                    method,
                    path,
                    &item.parameters,
                    operation,
                    pointer,
                );
                operations.push(lowered);
            }
        }
        // Helpers are named after every operation has its name, so an operation is never
        // renamed because another one's helper took its name first.
        let mut decode_names = NameSet::with_reserved(["header_value"]);
        for operation in &mut operations {
            operation.request_fn = method_names.claim(&names::request_method(&operation.rust_name));
            operation.decode_fn = decode_names.claim(&names::decode_function(&operation.rust_name));
        }
        operations
    }

    fn lower_operation(
        &mut self,
        rust_name: String,
        method: &str,
        path: &str,
        shared_parameters: &'a [ReferenceOr<SpecParameter>],
        operation: &'a openapiv3::Operation,
        pointer: String,
    ) -> Operation {
        let type_stem = names::pascal(&rust_name, "Operation", "Op");
        let mut notes = vec![format!("`{} {path}`", method.to_ascii_uppercase())];
        let auth = self.auth(operation, &pointer);
        if let Auth::Bearer { scopes } = &auth {
            if !scopes.is_empty() {
                let scopes = scopes
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                notes.push(format!("Token scopes: {scopes}."));
            }
        }
        if operation.deprecated {
            notes.push("Deprecated by the API.".to_string());
        }
        let doc = Docs {
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            example: None,
            notes,
        };

        let mut parameters = Vec::new();
        let mut constant_headers = Vec::new();
        let mut argument_names = NameSet::with_reserved(["body", "params", "self"]);
        let mut query_fields = Vec::new();
        for (parameter, parameter_pointer) in
            self.operation_parameters(shared_parameters, operation, &pointer)
        {
            let data = parameter.parameter_data_ref();
            let location = match parameter {
                SpecParameter::Path { .. } => ParameterLocation::Path,
                SpecParameter::Query { .. } => ParameterLocation::Query,
                SpecParameter::Header { .. } => ParameterLocation::Header,
                SpecParameter::Cookie { .. } => {
                    self.error(
                        &parameter_pointer,
                        "cookie parameters are not supported",
                        "send the value in a header or query parameter",
                    );
                    continue;
                }
            };
            if location == ParameterLocation::Header
                && MANAGED_HEADERS.contains(&data.name.to_ascii_lowercase().as_str())
            {
                continue;
            }
            let schema = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => SchemaRef::of(schema),
                ParameterSchemaOrContent::Content(_) => {
                    self.error(
                        &parameter_pointer,
                        "parameters described by `content` are not supported",
                        "describe the parameter with `schema`",
                    );
                    continue;
                }
            };
            if location == ParameterLocation::Header && data.required {
                if let Some(value) = self.single_value(schema) {
                    constant_headers.push((data.name.clone(), value));
                    continue;
                }
            }
            let hint = format!("{type_stem}{}", names::pascal(&data.name, "Param", "V"));
            let schema_pointer = pointer_push(&parameter_pointer, "schema");
            let ty = self.schema_type(schema, &hint, &schema_pointer);
            if !self.is_simple(&ty) {
                self.error(
                    &schema_pointer,
                    format!(
                        "parameter `{}` has a type that cannot be written into a URL or header",
                        data.name
                    ),
                    "use a string, number, boolean, string enum, or an array of those",
                );
                continue;
            }
            let mut doc = Docs {
                description: data.description.clone(),
                ..Docs::default()
            };
            if let SchemaRef::Inline(inline) = schema {
                doc.example = schema_docs(inline).example;
            }
            if location == ParameterLocation::Path {
                parameters.push(Parameter {
                    rust_name: argument_names.claim(&names::snake(&data.name, "param")),
                    wire_name: data.name.clone(),
                    location,
                    ty,
                    required: true,
                    doc,
                });
            } else {
                query_fields.push((data.name.clone(), location, ty, data.required, doc));
            }
        }

        let path_segments = self.path_segments(path, &parameters, &pointer);
        let params_struct = (!query_fields.is_empty()).then(|| {
            self.params_struct(
                &rust_name,
                &type_stem,
                query_fields,
                &mut parameters,
                &pointer,
            )
        });
        let body = self.request_body(operation, &type_stem, &pointer);
        let (success, errors) = self.responses(operation, &type_stem, &pointer);
        let success_enum =
            (success.len() > 1).then(|| self.type_names.claim(&format!("{type_stem}Success")));
        let error_enum = self.type_names.claim(&format!("{type_stem}Error"));

        Operation {
            rust_name,
            request_fn: String::new(),
            decode_fn: String::new(),
            type_stem,
            operation_id: operation.operation_id.clone(),
            method: method.to_ascii_uppercase(),
            path: path.to_string(),
            path_segments,
            doc,
            tags: operation.tags.clone(),
            parameters,
            params_struct,
            constant_headers,
            body,
            success,
            errors,
            success_enum,
            error_enum,
            auth,
            pointer,
        }
    }

    /// The path item's parameters overridden by the operation's own, references resolved.
    fn operation_parameters(
        &mut self,
        shared: &'a [ReferenceOr<SpecParameter>],
        operation: &'a openapiv3::Operation,
        pointer: &str,
    ) -> Vec<(&'a SpecParameter, String)> {
        let item_pointer = pointer
            .rsplit_once('/')
            .map(|(item, _)| item.to_string())
            .unwrap_or_default();
        let mut out: Vec<(&'a SpecParameter, String)> = Vec::new();
        let lists = [
            (shared, pointer_push(&item_pointer, "parameters")),
            (
                &operation.parameters[..],
                pointer_push(pointer, "parameters"),
            ),
        ];
        for (list, list_pointer) in lists {
            for (index, parameter) in list.iter().enumerate() {
                let parameter_pointer = pointer_push(&list_pointer, &index.to_string());
                let Some(parameter) = self.resolve_parameter(parameter, &parameter_pointer) else {
                    continue;
                };
                let data = parameter.parameter_data_ref();
                let same = |(existing, _): &(&SpecParameter, String)| {
                    let existing_data = existing.parameter_data_ref();
                    existing_data.name == data.name
                        && std::mem::discriminant(*existing) == std::mem::discriminant(parameter)
                };
                out.retain(|entry| !same(entry));
                out.push((parameter, parameter_pointer));
            }
        }
        out
    }

    fn resolve_parameter(
        &mut self,
        parameter: &'a ReferenceOr<SpecParameter>,
        pointer: &str,
    ) -> Option<&'a SpecParameter> {
        self.component(
            parameter,
            "parameters",
            "a parameter",
            |c| &c.parameters,
            pointer,
        )
    }

    /// What a `$ref` to `#/components/<section>/<name>` names, or a diagnostic saying it
    /// names nothing of that kind (`what`).
    fn component<T>(
        &mut self,
        item: &'a ReferenceOr<T>,
        section: &str,
        what: &str,
        pick: impl Fn(&'a openapiv3::Components) -> &'a indexmap::IndexMap<String, ReferenceOr<T>>,
        pointer: &str,
    ) -> Option<&'a T> {
        let reference = match item {
            ReferenceOr::Item(item) => return Some(item),
            ReferenceOr::Reference { reference } => reference,
        };
        let openapi = self.openapi;
        let found = reference
            .strip_prefix(&format!("#/components/{section}/"))
            .and_then(|name| pick(openapi.components.as_ref()?).get(name))
            .and_then(ReferenceOr::as_item);
        if found.is_none() {
            self.error(
                pointer,
                format!("`$ref` `{reference}` does not name {what}"),
                format!("point it at `#/components/{section}/<name>`"),
            );
        }
        found
    }

    /// The only value a string schema allows, when it allows exactly one.
    fn single_value(&self, schema: SchemaRef<'a>) -> Option<String> {
        let schema = match schema {
            SchemaRef::Ref(reference) => self.resolve(reference)?,
            SchemaRef::Inline(schema) => schema,
        };
        match &schema.schema_kind {
            openapiv3::SchemaKind::Type(openapiv3::Type::String(string)) => {
                match string.enumeration.as_slice() {
                    [Some(value)] => Some(value.clone()),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    fn path_segments(
        &mut self,
        path: &str,
        parameters: &[Parameter],
        pointer: &str,
    ) -> Vec<PathSegment> {
        let mut segments = Vec::new();
        let mut used = vec![false; parameters.len()];
        let mut rest = path;
        while let Some(start) = rest.find('{') {
            if start > 0 {
                segments.push(PathSegment::Literal(rest[..start].to_string()));
            }
            let Some(end) = rest[start..].find('}') else {
                self.error(
                    pointer,
                    format!("path `{path}` has an unclosed `{{`"),
                    "close the parameter name with `}`",
                );
                return segments;
            };
            let name = &rest[start + 1..start + end];
            match parameters.iter().position(|p| p.wire_name == name) {
                Some(index) => {
                    used[index] = true;
                    segments.push(PathSegment::Parameter(index));
                }
                None => self.error(
                    pointer,
                    format!("path parameter `{{{name}}}` is not declared"),
                    format!("add a parameter with `name: {name}`, `in: path`, `required: true`"),
                ),
            }
            rest = &rest[start + end + 1..];
        }
        if !rest.is_empty() {
            segments.push(PathSegment::Literal(rest.to_string()));
        }
        for (parameter, used) in parameters.iter().zip(used) {
            if !used {
                self.error(
                    &pointer_push(pointer, "parameters"),
                    format!(
                        "path parameter `{}` does not appear in the path `{path}`",
                        parameter.wire_name
                    ),
                    "add it to the path template or change `in: path`",
                );
            }
        }
        segments
    }

    /// Query and header parameters become one struct with a constructor and setters.
    fn params_struct(
        &mut self,
        method: &str,
        type_stem: &str,
        fields: Vec<(String, ParameterLocation, TypeRef, bool, Docs)>,
        parameters: &mut Vec<Parameter>,
        pointer: &str,
    ) -> String {
        let rust_name = self.type_names.claim(&format!("{type_stem}Params"));
        let mut field_names = NameSet::default();
        let mut struct_fields = Vec::new();
        for (wire_name, location, ty, required, doc) in fields {
            let rust_field = field_names.claim(&names::snake(&wire_name, "param"));
            struct_fields.push(Field {
                rust_name: rust_field.clone(),
                wire_name: wire_name.clone(),
                ty: ty.clone(),
                required,
                nullable: false,
                doc: doc.clone(),
                setter: None,
                null_setter: None,
            });
            parameters.push(Parameter {
                rust_name: rust_field,
                wire_name,
                location,
                ty,
                required,
                doc,
            });
        }
        let doc = Docs {
            summary: Some(format!(
                "Query and header parameters of `Client::{method}`."
            )),
            ..Docs::default()
        };
        self.object_rules
            .insert(rust_name.clone(), ObjectRule::Closed);
        self.models.push(Model {
            rust_name: rust_name.clone(),
            doc,
            kind: ModelKind::Struct(Struct {
                fields: struct_fields,
                extra: None,
                builder: true,
                wire_format: false,
            }),
            pointer: pointer_push(pointer, "parameters"),
        });
        rust_name
    }

    fn request_body(
        &mut self,
        operation: &'a openapiv3::Operation,
        type_stem: &str,
        pointer: &str,
    ) -> Option<RequestBody> {
        let body_pointer = pointer_push(pointer, "requestBody");
        let body = self.component(
            operation.request_body.as_ref()?,
            "requestBodies",
            "a request body",
            |c| &c.request_bodies,
            &body_pointer,
        )?;
        let doc = Docs {
            description: body.description.clone(),
            ..Docs::default()
        };
        let Some((media_type, media, encoding)) = body_media(&body.content) else {
            let types = listed_media_types(&body.content);
            self.error(
                &pointer_push(&body_pointer, "content"),
                format!("request body has no supported media type (found {types})"),
                "use `application/json`, `application/x-www-form-urlencoded` or `multipart/form-data`",
            );
            return None;
        };
        let schema_pointer = pointer_push(
            &pointer_push(&pointer_push(&body_pointer, "content"), media_type),
            "schema",
        );
        let schema = media.schema.as_ref().map(SchemaRef::of);
        let (ty, encoding) = match (encoding, schema) {
            (BodyEncoding::Multipart, schema) => {
                match schema.and_then(|schema| self.object_properties(schema)) {
                    Some((properties, required)) => {
                        let form =
                            self.multipart_struct(type_stem, properties, required, &schema_pointer);
                        (TypeRef::Named(form), BodyEncoding::Multipart)
                    }
                    None => (TypeRef::Json, BodyEncoding::MultipartRaw),
                }
            }
            (encoding, Some(schema)) => {
                let ty = self.schema_type(schema, &format!("{type_stem}Request"), &schema_pointer);
                if encoding == BodyEncoding::Json {
                    self.record_media_example(&ty, schema, media, &schema_pointer);
                }
                (ty, encoding)
            }
            (encoding, None) => (TypeRef::Json, encoding),
        };
        Some(RequestBody {
            ty,
            required: body.required,
            doc,
            encoding,
        })
    }

    /// Keeps a media type's `example` (beside its schema at `schema_pointer`) as a round-trip test.
    fn record_media_example(
        &mut self,
        ty: &TypeRef,
        schema: SchemaRef<'a>,
        media: &'a openapiv3::MediaType,
        schema_pointer: &str,
    ) {
        let media_pointer = schema_pointer
            .strip_suffix("/schema")
            .unwrap_or(schema_pointer);
        let example_pointer = pointer_push(media_pointer, "example");
        self.record_example(
            None,
            ty,
            self.schema_of(schema),
            media.example.as_ref(),
            example_pointer,
        );
    }

    /// The properties of an object schema, looking through a reference or a one-member `allOf`.
    fn object_properties(&self, schema: SchemaRef<'a>) -> Option<ObjectProperties<'a>> {
        let schema = match schema {
            SchemaRef::Ref(reference) => self.resolve(reference)?,
            SchemaRef::Inline(schema) => schema,
        };
        match &schema.schema_kind {
            openapiv3::SchemaKind::Type(openapiv3::Type::Object(object))
                if !object.properties.is_empty() =>
            {
                Some((
                    object
                        .properties
                        .iter()
                        .map(|(name, property)| (name.as_str(), SchemaRef::of_boxed(property)))
                        .collect(),
                    &object.required,
                ))
            }
            openapiv3::SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                self.object_properties(SchemaRef::of(&all_of[0]))
            }
            _ => None,
        }
    }

    /// The struct of a multipart body: `format: binary` properties become files, the
    /// rest text parts.
    fn multipart_struct(
        &mut self,
        type_stem: &str,
        properties: Vec<(&'a str, SchemaRef<'a>)>,
        required: &'a [String],
        pointer: &str,
    ) -> String {
        let rust_name = self.type_names.claim(&format!("{type_stem}Form"));
        let mut field_names = NameSet::default();
        let mut fields = Vec::new();
        for (wire_name, schema) in properties {
            let property_pointer = pointer_push(&pointer_push(pointer, "properties"), wire_name);
            let ty = if let Some(file) = super::schema::file_type(schema) {
                file
            } else {
                let hint = format!("{rust_name}{}", names::pascal(wire_name, "Field", "V"));
                let ty = self.schema_type(schema, &hint, &property_pointer);
                if !self.is_simple(&ty) {
                    self.error(
                        &property_pointer,
                        format!("multipart field `{wire_name}` is not a file or a plain value"),
                        "describe nested data as a string field holding JSON",
                    );
                }
                ty
            };
            let doc = match schema {
                SchemaRef::Inline(inline) => schema_docs(inline),
                SchemaRef::Ref(_) => Docs::default(),
            };
            fields.push(Field {
                rust_name: field_names.claim(&names::snake(wire_name, "field")),
                wire_name: wire_name.to_string(),
                ty,
                required: required.iter().any(|name| name == wire_name),
                nullable: false,
                doc,
                setter: None,
                null_setter: None,
            });
        }
        self.object_rules
            .insert(rust_name.clone(), ObjectRule::Closed);
        self.models.push(Model {
            rust_name: rust_name.clone(),
            doc: Docs {
                summary: Some("The parts of a `multipart/form-data` request body.".to_string()),
                ..Docs::default()
            },
            kind: ModelKind::Struct(Struct {
                fields,
                extra: None,
                builder: true,
                wire_format: false,
            }),
            pointer: pointer.to_string(),
        });
        rust_name
    }

    fn responses(
        &mut self,
        operation: &'a openapiv3::Operation,
        type_stem: &str,
        pointer: &str,
    ) -> (Vec<Response>, Vec<Response>) {
        let responses_pointer = pointer_push(pointer, "responses");
        let mut listed: Vec<(StatusMatch, &'a ReferenceOr<openapiv3::Response>, String)> =
            operation
                .responses
                .responses
                .iter()
                .map(|(code, response)| {
                    let status = match code {
                        StatusCode::Code(code) => StatusMatch::Code(*code),
                        StatusCode::Range(range) => StatusMatch::Range(*range),
                    };
                    (
                        status,
                        response,
                        pointer_push(&responses_pointer, &code.to_string()),
                    )
                })
                .collect();
        if let Some(default) = &operation.responses.default {
            listed.push((
                StatusMatch::Default,
                default,
                pointer_push(&responses_pointer, "default"),
            ));
        }
        listed.sort_by_key(|(status, _, _)| *status);

        let mut success = Vec::new();
        let mut errors = Vec::new();
        let mut success_names = NameSet::default();
        let mut error_names = NameSet::default();
        let successes = listed
            .iter()
            .filter(|(status, _, _)| is_success(*status))
            .count();
        for (status, response, response_pointer) in listed {
            let Some(response) = self.component(
                response,
                "responses",
                "a response",
                |c| &c.responses,
                &response_pointer,
            ) else {
                continue;
            };
            let variant_base = match status {
                StatusMatch::Code(code) => names::status_variant(code),
                StatusMatch::Range(range) => format!("Status{range}xx"),
                StatusMatch::Default => "Other".to_string(),
            };
            let ok = is_success(status);
            let hint = match (ok, successes) {
                (true, 1) => format!("{type_stem}Response"),
                _ => format!("{type_stem}{variant_base}"),
            };
            let ty = if response.content.is_empty() {
                None
            } else {
                match json_media(&response.content) {
                    Some((media_type, media)) => {
                        let schema_pointer = pointer_push(
                            &pointer_push(&pointer_push(&response_pointer, "content"), media_type),
                            "schema",
                        );
                        let ty = match &media.schema {
                            Some(schema) => {
                                let schema = SchemaRef::of(schema);
                                let ty = self.schema_type(schema, &hint, &schema_pointer);
                                self.record_media_example(&ty, schema, media, &schema_pointer);
                                ty
                            }
                            None => TypeRef::Json,
                        };
                        Some(ty)
                    }
                    None => {
                        let types = listed_media_types(&response.content);
                        self.error(
                            &pointer_push(&response_pointer, "content"),
                            format!("response has no JSON media type (found {types})"),
                            "only JSON response bodies are supported so far",
                        );
                        continue;
                    }
                }
            };
            let names = if ok {
                &mut success_names
            } else {
                &mut error_names
            };
            let lowered = Response {
                status,
                variant: names.claim(&variant_base),
                ty,
                doc: Docs {
                    description: Some(response.description.clone()).filter(|d| !d.is_empty()),
                    ..Docs::default()
                },
            };
            if ok {
                success.push(lowered);
            } else {
                errors.push(lowered);
            }
        }
        (success, errors)
    }

    fn auth(&mut self, operation: &'a openapiv3::Operation, pointer: &str) -> Auth {
        let requirements = operation
            .security
            .as_ref()
            .or(self.openapi.security.as_ref());
        let Some(requirements) = requirements else {
            return Auth::None;
        };
        let security_pointer = pointer_push(pointer, "security");
        let schemes = self
            .openapi
            .components
            .as_ref()
            .map(|c| &c.security_schemes);
        for requirement in requirements {
            for (name, scopes) in requirement {
                let scheme = schemes
                    .and_then(|s| s.get(name))
                    .and_then(ReferenceOr::as_item);
                match scheme {
                    Some(SecurityScheme::HTTP { scheme, .. }) if scheme.eq_ignore_ascii_case("bearer") => {
                        return Auth::Bearer { scopes: scopes.clone() };
                    }
                    Some(_) => self.error(
                        &security_pointer,
                        format!("security scheme `{name}` is not supported"),
                        "only HTTP bearer authentication (`type: http`, `scheme: bearer`) is supported so far",
                    ),
                    None => self.error(
                        &security_pointer,
                        format!("security scheme `{name}` is not defined"),
                        "define it under `components/securitySchemes`",
                    ),
                }
            }
        }
        Auth::None
    }
}

/// An object schema's properties in spec order, and its `required` list.
type ObjectProperties<'a> = (Vec<(&'a str, SchemaRef<'a>)>, &'a [String]);

/// The media type a request body is sent as: JSON first, then a form, then multipart.
fn body_media(
    content: &indexmap::IndexMap<String, openapiv3::MediaType>,
) -> Option<(&String, &openapiv3::MediaType, BodyEncoding)> {
    if let Some((media_type, media)) = json_media(content) {
        return Some((media_type, media, BodyEncoding::Json));
    }
    content.iter().find_map(|(media_type, media)| {
        let essence = media_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match essence.as_str() {
            "application/x-www-form-urlencoded" => Some((media_type, media, BodyEncoding::Form)),
            "multipart/form-data" => Some((media_type, media, BodyEncoding::Multipart)),
            _ => None,
        }
    })
}

/// The media types of a `content` map, for messages: "`a`, `b`".
fn listed_media_types(content: &indexmap::IndexMap<String, openapiv3::MediaType>) -> String {
    content
        .keys()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn json_media(
    content: &indexmap::IndexMap<String, openapiv3::MediaType>,
) -> Option<(&String, &openapiv3::MediaType)> {
    content.iter().find(|(media_type, _)| {
        let essence = media_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        essence == "application/json" || essence.ends_with("+json") || essence == "*/*"
    })
}

fn is_success(status: StatusMatch) -> bool {
    match status {
        StatusMatch::Code(code) => (200..300).contains(&code),
        StatusMatch::Range(range) => range == 2,
        StatusMatch::Default => false,
    }
}

impl Lowerer<'_> {
    /// Whether a type has a plain text form for URLs and headers: scalars, string enums,
    /// and lists of those (repeated in the query).
    fn is_simple(&self, ty: &TypeRef) -> bool {
        self.is_scalar(ty) || matches!(ty, TypeRef::Vec(inner) if self.is_scalar(inner))
    }

    fn is_scalar(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::String
            | TypeRef::Bool
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::F32
            | TypeRef::F64 => true,
            TypeRef::Named(name) => self.models.iter().any(|model| {
                &model.rust_name == name
                    && match &model.kind {
                        ModelKind::Enum(_) => true,
                        ModelKind::Alias(inner) => {
                            !matches!(inner, TypeRef::Named(_)) && self.is_scalar(inner)
                        }
                        _ => false,
                    }
            }),
            _ => false,
        }
    }
}
