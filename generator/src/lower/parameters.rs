//! Lowering of parameters: path parameters become method arguments; query, header and
//! cookie parameters the fields of one struct per operation; a required header with one
//! allowed value a constant the client always sends. Each keeps the `style` and
//! `explode` it is written with.

use super::Lowerer;
use crate::document::{self, ParameterLocation as Location, PathItem};
use crate::ir::{
    Docs, Field, Model, ModelKind, Parameter, ParameterLocation, ParameterStyle, Struct, TypeRef,
};
use crate::names::{self, NameSet};
use crate::shape::Shape;

/// Headers that OpenAPI says are not parameters: the client sets them itself.
const MANAGED_HEADERS: &[&str] = &["accept", "content-type", "authorization"];

/// What an operation's parameters became.
pub(super) struct LoweredParameters {
    /// Path parameters, then the fields of the parameters struct.
    pub(super) parameters: Vec<Parameter>,
    pub(super) params_struct: Option<String>,
    pub(super) constant_headers: Vec<(String, String)>,
    /// Path parameters that were declared but could not be lowered (already reported).
    pub(super) declared: Vec<String>,
}

impl<'a> Lowerer<'a> {
    pub(super) fn operation_parameters(
        &mut self,
        type_stem: &str,
        method_name: &str,
        item: &'a PathItem,
        operation: &'a document::Operation,
    ) -> LoweredParameters {
        // The path item's parameters, each overridden by the operation's of the same name
        // and place.
        let mut merged: Vec<&'a document::Parameter> = Vec::new();
        for parameter in item.parameters.iter().chain(&operation.parameters) {
            merged.retain(|p| !(p.name == parameter.name && p.location == parameter.location));
            merged.push(parameter);
        }
        let mut lowered = LoweredParameters {
            parameters: Vec::new(),
            params_struct: None,
            constant_headers: Vec::new(),
            declared: Vec::new(),
        };
        let mut argument_names = NameSet::with_reserved(["body", "params", "self", "options"]);
        let mut struct_fields: Vec<Parameter> = Vec::new();
        for parameter in merged {
            let location = match parameter.location {
                Location::Path => ParameterLocation::Path,
                Location::Query => ParameterLocation::Query,
                Location::Header => ParameterLocation::Header,
                Location::Cookie => ParameterLocation::Cookie,
                Location::QueryString => {
                    self.error(
                        &crate::pointer::push(&parameter.pointer, "in"),
                        "`in: querystring` (OpenAPI 3.2) is not supported yet",
                        "describe the query string's parts as `in: query` parameters",
                    );
                    continue;
                }
            };
            if location == ParameterLocation::Header
                && MANAGED_HEADERS.contains(&parameter.name.to_ascii_lowercase().as_str())
            {
                continue;
            }
            match self.parameter(type_stem, location, parameter) {
                Some(Lowered::Constant(value)) => lowered
                    .constant_headers
                    .push((parameter.name.clone(), value)),
                Some(Lowered::Parameter(mut lowered_parameter)) => {
                    if location == ParameterLocation::Path {
                        lowered_parameter.rust_name =
                            argument_names.claim(&names::snake(&parameter.name, "param"));
                        lowered.parameters.push(lowered_parameter);
                    } else {
                        struct_fields.push(lowered_parameter);
                    }
                }
                None if location == ParameterLocation::Path => {
                    lowered.declared.push(parameter.name.clone())
                }
                None => {}
            }
        }
        if !struct_fields.is_empty() {
            let struct_name = self.params_struct(
                method_name,
                type_stem,
                &mut struct_fields,
                &operation.pointer,
            );
            lowered.params_struct = Some(struct_name);
            lowered.parameters.extend(struct_fields);
        }
        lowered
    }

    fn parameter(
        &mut self,
        type_stem: &str,
        location: ParameterLocation,
        parameter: &document::Parameter,
    ) -> Option<Lowered> {
        let (schema, json) = match (&parameter.schema, &parameter.content) {
            (Some(schema), _) => (*schema, false),
            (None, Some(media)) => match media.schema {
                Some(schema) => (schema, super::bodies::is_json(&media.media_type)),
                None => {
                    self.error(
                        &media.pointer,
                        format!(
                            "parameter `{}` has content without a schema",
                            parameter.name
                        ),
                        "add `schema:` to the parameter's media type",
                    );
                    return None;
                }
            },
            (None, None) => {
                self.error(
                    &parameter.pointer,
                    format!(
                        "parameter `{}` has neither `schema` nor `content`",
                        parameter.name
                    ),
                    "add `schema:` describing the parameter's value",
                );
                return None;
            }
        };
        if location == ParameterLocation::Header && parameter.required {
            if let Shape::Enum(values) = self.meaning.resolved_shape(schema) {
                if let [value] = values.as_slice() {
                    return Some(Lowered::Constant(value.clone()));
                }
            }
        }
        let style = self.style(location, parameter, json)?;
        let hint = format!(
            "{type_stem}{}",
            names::pascal(&parameter.name, "Param", "V")
        );
        let ty = self.schema_type(schema, &hint);
        if !self.writable(&ty, style) {
            self.error(
                &crate::pointer::push(&parameter.pointer, "schema"),
                format!(
                    "parameter `{}` has a type that cannot be written into a URL, header or cookie",
                    parameter.name
                ),
                "use a scalar, an enum, a list of scalars or an object of scalars; describe anything else with `content: {application/json: ...}`",
            );
            return None;
        }
        let mut doc = Docs {
            description: parameter.description.clone(),
            deprecated: parameter
                .deprecated
                .then(|| "deprecated by the API".to_string()),
            ..Docs::default()
        };
        doc.example = parameter
            .examples
            .first()
            .map(|example| example.value.to_string())
            .or_else(|| self.schema_docs(schema).example);
        Some(Lowered::Parameter(Parameter {
            rust_name: String::new(),
            wire_name: parameter.name.clone(),
            location,
            ty,
            required: parameter.required || location == ParameterLocation::Path,
            style,
            doc,
        }))
    }

    /// The style a parameter is written in, from `style` and `explode` and the place's
    /// defaults, or a diagnostic when the place does not allow it.
    fn style(
        &mut self,
        location: ParameterLocation,
        parameter: &document::Parameter,
        json: bool,
    ) -> Option<ParameterStyle> {
        if json {
            return Some(ParameterStyle::Json);
        }
        let name = parameter.style.as_deref();
        let default = match location {
            ParameterLocation::Path | ParameterLocation::Header => "simple",
            ParameterLocation::Query | ParameterLocation::Cookie => "form",
        };
        let style = name.unwrap_or(default);
        let explode = parameter.explode.unwrap_or(style == "form");
        let allowed: &[&str] = match location {
            ParameterLocation::Path => &["simple", "label", "matrix"],
            ParameterLocation::Query => &["form", "spaceDelimited", "pipeDelimited", "deepObject"],
            ParameterLocation::Header => &["simple"],
            ParameterLocation::Cookie => &["form"],
        };
        if !allowed.contains(&style) {
            let place = match location {
                ParameterLocation::Path => "path",
                ParameterLocation::Query => "query",
                ParameterLocation::Header => "header",
                ParameterLocation::Cookie => "cookie",
            };
            self.error(
                &crate::pointer::push(&parameter.pointer, "style"),
                format!("style `{style}` is not one of a {place} parameter's"),
                format!(
                    "use one of {}",
                    allowed
                        .iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
            return None;
        }
        Some(match style {
            "simple" => ParameterStyle::Simple { explode },
            "form" => ParameterStyle::Form { explode },
            "spaceDelimited" => ParameterStyle::SpaceDelimited,
            "pipeDelimited" => ParameterStyle::PipeDelimited,
            "deepObject" => ParameterStyle::DeepObject,
            "label" => ParameterStyle::Label { explode },
            _ => ParameterStyle::Matrix { explode },
        })
    }

    /// `ty` with type aliases followed (a bounded number of them).
    fn unaliased(&self, ty: &TypeRef) -> TypeRef {
        let mut ty = ty.clone();
        for _ in 0..64 {
            match &ty {
                TypeRef::Named(name) => match self.model_kind_of(name) {
                    Some(ModelKind::Alias(inner)) => ty = inner.clone(),
                    _ => break,
                },
                _ => break,
            }
        }
        ty
    }

    /// Whether a value of `ty` has a text form in `style`: scalars and enums always,
    /// lists and objects of scalars where the style has a form for them, anything as JSON.
    fn writable(&self, ty: &TypeRef, style: ParameterStyle) -> bool {
        if style == ParameterStyle::Json {
            return true;
        }
        match &self.unaliased(ty) {
            TypeRef::Vec(inner) => self.is_scalar(inner),
            TypeRef::Map(inner) => self.is_scalar(inner) && style != ParameterStyle::SpaceDelimited,
            TypeRef::JsonObject | TypeRef::Json => true,
            TypeRef::Named(name) => match self.model_kind_of(name) {
                // A union writes whichever variant it holds: each must be writable.
                Some(ModelKind::Union(union)) => union.variants.iter().all(|variant| {
                    matches!(variant.ty, TypeRef::Json) || self.writable(&variant.ty, style)
                }),
                Some(ModelKind::Struct(shape)) => shape.fields.iter().all(|field| {
                    self.is_scalar(&field.ty)
                        || field.ty == TypeRef::Json
                        || style == ParameterStyle::DeepObject
                }),
                _ => self.is_scalar(ty),
            },
            other => self.is_scalar(other),
        }
    }

    fn model_kind_of(&self, name: &str) -> Option<&ModelKind> {
        self.models
            .iter()
            .find(|model| model.rust_name == name)
            .map(|model| &model.kind)
    }

    /// Whether a type is one value with a plain text form: scalars, enums, unions of those.
    fn is_scalar(&self, ty: &TypeRef) -> bool {
        match &self.unaliased(ty) {
            TypeRef::String
            | TypeRef::Bool
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::U32
            | TypeRef::U64
            | TypeRef::F32
            | TypeRef::F64
            | TypeRef::Json => true,
            TypeRef::Option(inner) | TypeRef::Box(inner) => self.is_scalar(inner),
            TypeRef::Named(name) => match self.model_kind_of(name) {
                Some(ModelKind::Enum(_) | ModelKind::IntegerEnum(_)) => true,
                Some(ModelKind::Union(union)) => {
                    union.variants.iter().all(|v| self.is_scalar(&v.ty))
                }
                _ => false,
            },
            _ => false,
        }
    }

    /// Query, header and cookie parameters become one struct with a constructor and setters.
    fn params_struct(
        &mut self,
        method: &str,
        type_stem: &str,
        parameters: &mut [Parameter],
        pointer: &str,
    ) -> String {
        let rust_name = self.type_names.claim(&format!("{type_stem}Params"));
        let mut field_names = NameSet::default();
        let mut fields = Vec::with_capacity(parameters.len());
        for parameter in parameters.iter_mut() {
            parameter.rust_name = field_names.claim(&names::snake(&parameter.wire_name, "param"));
            fields.push(Field {
                rust_name: parameter.rust_name.clone(),
                wire_name: parameter.wire_name.clone(),
                ty: parameter.ty.clone(),
                required: parameter.required,
                nullable: false,
                deprecated: parameter.doc.deprecated.is_some(),
                read_only: false,
                write_only: false,
                doc: parameter.doc.clone(),
                setter: None,
                null_setter: None,
            });
        }
        self.models.push(Model {
            gate: Default::default(),
            rust_name: rust_name.clone(),
            doc: Docs {
                summary: Some(format!(
                    "Query, header and cookie parameters of [`Client::{method}`](crate::Client::{method})."
                )),
                ..Docs::default()
            },
            kind: ModelKind::Struct(Struct {
                fields,
                extra: None,
                builder: true,
                wire_format: false,
                multipart: false,
            }),
            pointer: crate::pointer::push(pointer, "parameters"),
        });
        rust_name
    }
}

enum Lowered {
    Parameter(Parameter),
    /// A required header with one allowed value.
    Constant(String),
}
