//! Lowering of schemas: each schema becomes a [`TypeRef`], and the schemas that need a
//! type of their own (objects with properties, string enums, unions, merged `allOf`s)
//! become [`Model`]s named from their place in the spec.

use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type, VariantOrUnknownOrEmpty,
};

use super::{Lowerer, ObjectRule};
use crate::error::pointer_push;
use crate::ir::{
    Docs, Enum, EnumVariant, Field, Model, ModelKind, Struct, TypeRef, Union, UnionVariant,
};
use crate::names::{self, NameSet};

/// A schema as written at a place: a reference or an inline schema.
#[derive(Debug, Clone, Copy)]
pub(crate) enum SchemaRef<'a> {
    Ref(&'a str),
    Inline(&'a Schema),
}

impl<'a> SchemaRef<'a> {
    pub(crate) fn of(schema: &'a ReferenceOr<Schema>) -> Self {
        match schema {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(schema) => SchemaRef::Inline(schema),
        }
    }

    pub(crate) fn of_boxed(schema: &'a ReferenceOr<Box<Schema>>) -> Self {
        match schema {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(schema) => SchemaRef::Inline(schema),
        }
    }
}

/// The kinds of schema the generator tells apart, whatever way the spec spelled them.
enum Shape<'a> {
    String {
        values: Vec<String>,
    },
    Integer {
        int32: bool,
    },
    Number {
        float: bool,
    },
    Boolean,
    Object {
        properties: Vec<(&'a str, SchemaRef<'a>)>,
        required: &'a [String],
        additional: Option<&'a AdditionalProperties>,
    },
    Array {
        items: Option<SchemaRef<'a>>,
    },
    Union(&'a [ReferenceOr<Schema>]),
    AllOf(&'a [ReferenceOr<Schema>]),
    Any,
}

impl Shape<'_> {
    fn needs_model(&self) -> bool {
        match self {
            Shape::String { values, .. } => !values.is_empty(),
            Shape::Object { properties, .. } => !properties.is_empty(),
            Shape::Union(members) | Shape::AllOf(members) => members.len() > 1,
            _ => false,
        }
    }
}

const OPENAPI_TYPES: &[&str] = &["string", "number", "integer", "boolean", "array", "object"];

/// The `format` of a string schema, as written.
fn string_format(schema: &Schema) -> Option<String> {
    use openapiv3::StringFormat;
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => match &string.format {
            VariantOrUnknownOrEmpty::Item(known) => Some(
                match known {
                    StringFormat::Date => "date",
                    StringFormat::DateTime => "date-time",
                    StringFormat::Password => "password",
                    StringFormat::Byte => "byte",
                    StringFormat::Binary => "binary",
                }
                .to_string(),
            ),
            VariantOrUnknownOrEmpty::Unknown(other) => Some(other.clone()),
            VariantOrUnknownOrEmpty::Empty => None,
        },
        SchemaKind::Any(any) if any.typ.as_deref() == Some("string") => any.format.clone(),
        _ => None,
    }
}

/// Classifies a schema, or says (message, help) why it cannot be used.
fn shape(schema: &Schema) -> Result<Shape<'_>, (String, String)> {
    use openapiv3::NumberFormat;
    Ok(match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => Shape::String {
            values: string.enumeration.iter().flatten().cloned().collect(),
        },
        SchemaKind::Type(Type::Integer(integer)) => Shape::Integer {
            int32: matches!(
                &integer.format,
                VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32)
            ),
        },
        SchemaKind::Type(Type::Number(number)) => Shape::Number {
            float: matches!(
                &number.format,
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float)
            ),
        },
        SchemaKind::Type(Type::Boolean(_)) => Shape::Boolean,
        SchemaKind::Type(Type::Object(object)) => Shape::Object {
            properties: object
                .properties
                .iter()
                .map(|(k, v)| (k.as_str(), SchemaRef::of_boxed(v)))
                .collect(),
            required: &object.required,
            additional: object.additional_properties.as_ref(),
        },
        SchemaKind::Type(Type::Array(array)) => Shape::Array {
            items: array.items.as_ref().map(SchemaRef::of_boxed),
        },
        SchemaKind::OneOf { one_of } => Shape::Union(one_of),
        SchemaKind::AnyOf { any_of } => Shape::Union(any_of),
        SchemaKind::AllOf { all_of } => Shape::AllOf(all_of),
        SchemaKind::Not { .. } => {
            return Err((
                "`not` schemas are not supported".into(),
                "describe the allowed values positively, or remove the `not`".into(),
            ))
        }
        SchemaKind::Any(any) => {
            if let Some(kind) = &any.typ {
                if !OPENAPI_TYPES.contains(&kind.as_str()) {
                    return Err((
                        format!("schema type `{kind}` is not an OpenAPI type"),
                        "use one of string, number, integer, boolean, array, object; omit `type` to accept any value".into(),
                    ));
                }
            }
            if any.not.is_some() {
                return Err((
                    "`not` schemas are not supported".into(),
                    "describe the allowed values positively, or remove the `not`".into(),
                ));
            }
            let compositions = [
                !any.one_of.is_empty(),
                !any.any_of.is_empty(),
                !any.all_of.is_empty(),
            ]
            .iter()
            .filter(|set| **set)
            .count();
            let has_properties = !any.properties.is_empty();
            if compositions > 1 || (compositions == 1 && has_properties) {
                return Err((
                    "schema mixes `properties`, `oneOf`, `anyOf` or `allOf` at one level".into(),
                    "move the properties into an inline object and list it as one more `allOf` member".into(),
                ));
            }
            if !any.one_of.is_empty() {
                return Ok(Shape::Union(&any.one_of));
            }
            if !any.any_of.is_empty() {
                return Ok(Shape::Union(&any.any_of));
            }
            if !any.all_of.is_empty() {
                return Ok(Shape::AllOf(&any.all_of));
            }
            let strings = || {
                any.enumeration
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            };
            match any.typ.as_deref() {
                Some("object") | None
                    if has_properties
                        || any.additional_properties.is_some()
                        || any.typ.is_some() =>
                {
                    Shape::Object {
                        properties: any
                            .properties
                            .iter()
                            .map(|(k, v)| (k.as_str(), SchemaRef::of_boxed(v)))
                            .collect(),
                        required: &any.required,
                        additional: any.additional_properties.as_ref(),
                    }
                }
                Some("array") => Shape::Array {
                    items: any.items.as_ref().map(SchemaRef::of_boxed),
                },
                None if any.items.is_some() => Shape::Array {
                    items: any.items.as_ref().map(SchemaRef::of_boxed),
                },
                Some("string") => Shape::String { values: strings() },
                None if !any.enumeration.is_empty()
                    && any.enumeration.iter().all(|v| v.is_string()) =>
                {
                    Shape::String { values: strings() }
                }
                Some("integer") => Shape::Integer {
                    int32: any.format.as_deref() == Some("int32"),
                },
                Some("number") => Shape::Number {
                    float: any.format.as_deref() == Some("float"),
                },
                Some("boolean") => Shape::Boolean,
                _ => Shape::Any,
            }
        }
    })
}

/// The file type of a multipart field: a string with `format: binary` is a file, an
/// array of those a list of files.
pub(crate) fn file_type(schema: SchemaRef<'_>) -> Option<TypeRef> {
    let SchemaRef::Inline(schema) = schema else {
        return None;
    };
    if string_format(schema).as_deref() == Some("binary") {
        return Some(TypeRef::File);
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::Array(array)) => {
            let items = array.items.as_ref().map(SchemaRef::of_boxed)?;
            (file_type(items)? == TypeRef::File).then(|| TypeRef::Vec(Box::new(TypeRef::File)))
        }
        _ => None,
    }
}

/// Documentation of a schema: title, description, example, and its string format.
pub(crate) fn schema_docs(schema: &Schema) -> Docs {
    let data = &schema.schema_data;
    let mut notes = Vec::new();
    if let Some(format) = string_format(schema) {
        notes.push(format!("Format: `{format}`."));
    }
    if data.deprecated {
        notes.push("Deprecated by the API.".to_string());
    }
    if data.read_only {
        notes.push("Set by the server; ignored in requests.".to_string());
    }
    Docs {
        summary: data.title.clone(),
        description: data.description.clone(),
        example: data.example.as_ref().map(|example| example.to_string()),
        notes,
    }
}

impl<'a> Lowerer<'a> {
    /// Lowers one component schema into the model that carries its name.
    pub(super) fn lower_component(
        &mut self,
        rust_name: String,
        schema: &'a ReferenceOr<Schema>,
        pointer: String,
    ) {
        let (kind, doc) = match schema {
            ReferenceOr::Reference { reference } => (
                ModelKind::Alias(self.ref_type(reference, &pointer)),
                Docs::default(),
            ),
            ReferenceOr::Item(schema) => {
                let doc = schema_docs(schema);
                match shape(schema) {
                    Ok(shape) if shape.needs_model() => {
                        (self.model_kind(&rust_name, shape, &pointer), doc)
                    }
                    Ok(Shape::AllOf([member])) => (
                        ModelKind::Alias(self.schema_type(
                            SchemaRef::of(member),
                            &rust_name,
                            &format!("{pointer}/allOf/0"),
                        )),
                        doc,
                    ),
                    Ok(_) => (
                        ModelKind::Alias(self.inline_type(schema, &rust_name, &pointer)),
                        doc,
                    ),
                    Err((message, help)) => {
                        self.error(&pointer, message, help);
                        return;
                    }
                }
            }
        };
        if let ReferenceOr::Item(schema) = schema {
            let example = schema.schema_data.example.as_ref();
            let ty = TypeRef::Named(rust_name.clone());
            self.record_example(
                None,
                &ty,
                Some(schema),
                example,
                pointer_push(&pointer, "example"),
            );
        }
        self.models.push(Model {
            rust_name,
            doc,
            kind,
            pointer,
        });
    }

    /// The schema a reference or inline schema stands for.
    pub(crate) fn schema_of(&self, schema: SchemaRef<'a>) -> Option<&'a Schema> {
        match schema {
            SchemaRef::Ref(reference) => self.resolve(reference),
            SchemaRef::Inline(schema) => Some(schema),
        }
    }

    /// The type of a schema at a place; `hint` names any type that must be created for it.
    pub(crate) fn schema_type(
        &mut self,
        schema: SchemaRef<'a>,
        hint: &str,
        pointer: &str,
    ) -> TypeRef {
        if self.guard.depth >= super::guards::MAX_SCHEMA_DEPTH {
            self.error(
                pointer,
                format!(
                    "schemas are nested more than {} levels deep here",
                    super::guards::MAX_SCHEMA_DEPTH
                ),
                "name the inner schemas under `components/schemas` and refer to them with `$ref`",
            );
            return TypeRef::Json;
        }
        self.guard.depth += 1;
        let ty = match schema {
            SchemaRef::Ref(reference) => self.ref_type(reference, pointer),
            SchemaRef::Inline(schema) => self.inline_type(schema, hint, pointer),
        };
        self.guard.depth -= 1;
        ty
    }

    /// Like [`Self::schema_type`], for values inside a container, where `null` must be kept.
    fn element_type(&mut self, schema: SchemaRef<'a>, hint: &str, pointer: &str) -> TypeRef {
        let ty = self.schema_type(schema, hint, pointer);
        if self.is_nullable(schema) {
            TypeRef::Option(Box::new(ty))
        } else {
            ty
        }
    }

    pub(crate) fn ref_type(&mut self, reference: &str, pointer: &str) -> TypeRef {
        let found = reference
            .strip_prefix("#/components/schemas/")
            .map(unescape_token)
            .and_then(|name| self.component_types.get(&name).cloned());
        match found {
            Some(rust_name) => TypeRef::Named(rust_name),
            None => {
                self.error(
                    pointer,
                    format!("`$ref` `{reference}` does not name a schema"),
                    "a schema `$ref` must point at `#/components/schemas/<name>`",
                );
                TypeRef::Json
            }
        }
    }

    /// The component schema a reference names, if it names one.
    pub(crate) fn resolve(&self, reference: &str) -> Option<&'a Schema> {
        let name = unescape_token(reference.strip_prefix("#/components/schemas/")?);
        self.openapi
            .components
            .as_ref()?
            .schemas
            .get(&name)?
            .as_item()
    }

    /// Whether `null` is a valid value, looking through references and one-member `allOf`s.
    pub(crate) fn is_nullable(&self, schema: SchemaRef<'a>) -> bool {
        self.is_nullable_within(schema, 0)
    }

    fn is_nullable_within(&self, schema: SchemaRef<'a>, depth: usize) -> bool {
        if depth > 16 {
            return false;
        }
        let schema = match schema {
            SchemaRef::Ref(reference) => match self.resolve(reference) {
                Some(schema) => schema,
                None => return false,
            },
            SchemaRef::Inline(schema) => schema,
        };
        if schema.schema_data.nullable {
            return true;
        }
        match &schema.schema_kind {
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                self.is_nullable_within(SchemaRef::of(&all_of[0]), depth + 1)
            }
            _ => false,
        }
    }

    fn inline_type(&mut self, schema: &'a Schema, hint: &str, pointer: &str) -> TypeRef {
        let shape = match shape(schema) {
            Ok(shape) => shape,
            Err((message, help)) => {
                self.error(pointer, message, help);
                return TypeRef::Json;
            }
        };
        if shape.needs_model() {
            let rust_name = self.type_names.claim(&names::type_name(hint));
            let kind = self.model_kind(&rust_name, shape, pointer);
            self.models.push(Model {
                rust_name: rust_name.clone(),
                doc: schema_docs(schema),
                kind,
                pointer: pointer.to_string(),
            });
            return TypeRef::Named(rust_name);
        }
        match shape {
            Shape::String { .. } => TypeRef::String,
            Shape::Integer { int32: true } => TypeRef::I32,
            Shape::Integer { int32: false } => TypeRef::I64,
            Shape::Number { float: true } => TypeRef::F32,
            Shape::Number { float: false } => TypeRef::F64,
            Shape::Boolean => TypeRef::Bool,
            Shape::Object {
                additional: Some(AdditionalProperties::Schema(values)),
                ..
            } => {
                let values = SchemaRef::of(values);
                let value_pointer = pointer_push(pointer, "additionalProperties");
                TypeRef::Map(Box::new(self.element_type(
                    values,
                    &format!("{hint}Value"),
                    &value_pointer,
                )))
            }
            Shape::Object { .. } => TypeRef::JsonObject,
            Shape::Array { items: Some(items) } => {
                let item_pointer = pointer_push(pointer, "items");
                TypeRef::Vec(Box::new(self.element_type(
                    items,
                    &format!("{hint}Item"),
                    &item_pointer,
                )))
            }
            Shape::Array { items: None } => TypeRef::Vec(Box::new(TypeRef::Json)),
            Shape::Union([member]) => {
                self.schema_type(SchemaRef::of(member), hint, &format!("{pointer}/oneOf/0"))
            }
            Shape::AllOf([member]) => {
                self.schema_type(SchemaRef::of(member), hint, &format!("{pointer}/allOf/0"))
            }
            Shape::Union(_) | Shape::AllOf(_) | Shape::Any => TypeRef::Json,
        }
    }

    /// Builds the model of a shape that needs one; `rust_name` is already claimed.
    fn model_kind(&mut self, rust_name: &str, shape: Shape<'a>, pointer: &str) -> ModelKind {
        match shape {
            Shape::String { values, .. } => ModelKind::Enum(string_enum(&values)),
            Shape::Object {
                properties,
                required,
                additional,
            } => {
                let rule = self.object_rule(additional, rust_name, pointer);
                self.object_rules.insert(rust_name.to_string(), rule);
                let properties = properties
                    .into_iter()
                    .map(|(wire, schema)| {
                        (
                            wire,
                            schema,
                            pointer_push(&pointer_push(pointer, "properties"), wire),
                        )
                    })
                    .collect();
                ModelKind::Struct(self.struct_fields(rust_name, properties, required))
            }
            Shape::Union(members) => ModelKind::Union(self.union(rust_name, members, pointer)),
            Shape::AllOf(members) => {
                let mut properties = Vec::new();
                let mut required = Vec::new();
                self.guard.all_of.push(pointer.to_string());
                self.merge_all_of(members, pointer, &mut properties, &mut required, 0);
                self.guard.all_of.pop();
                self.object_rules
                    .insert(rust_name.to_string(), ObjectRule::Unspecified);
                ModelKind::Struct(self.struct_fields(rust_name, properties, &required))
            }
            _ => unreachable!("model_kind is only called for shapes that need a model"),
        }
    }

    fn object_rule(
        &mut self,
        additional: Option<&'a AdditionalProperties>,
        rust_name: &str,
        pointer: &str,
    ) -> ObjectRule {
        match additional {
            None => ObjectRule::Unspecified,
            Some(AdditionalProperties::Any(false)) => ObjectRule::Closed,
            Some(AdditionalProperties::Any(true)) => ObjectRule::Open(TypeRef::Json),
            Some(AdditionalProperties::Schema(values)) => {
                let value_pointer = pointer_push(pointer, "additionalProperties");
                ObjectRule::Open(self.element_type(
                    SchemaRef::of(values),
                    &format!("{rust_name}Value"),
                    &value_pointer,
                ))
            }
        }
    }

    fn struct_fields(
        &mut self,
        rust_name: &str,
        properties: Vec<(&'a str, SchemaRef<'a>, String)>,
        required: &[String],
    ) -> Struct {
        let mut fields: Vec<Field> = Vec::with_capacity(properties.len());
        for (wire, schema, pointer) in properties {
            let hint = format!("{rust_name}{}", names::pascal(wire, "Field", "V"));
            let ty = self.schema_type(schema, &hint, &pointer);
            let doc = match schema {
                SchemaRef::Inline(inline) => schema_docs(inline),
                SchemaRef::Ref(_) => Docs::default(),
            };
            if let SchemaRef::Inline(inline) = schema {
                // `null` examples of nullable properties decode as `None`, not as the type.
                let example_type = if self.is_nullable(schema) {
                    TypeRef::Option(Box::new(ty.clone()))
                } else {
                    ty.clone()
                };
                let example = inline.schema_data.example.as_ref();
                self.record_example(
                    Some(hint.clone()),
                    &example_type,
                    Some(inline),
                    example,
                    pointer_push(&pointer, "example"),
                );
            }
            let field = Field {
                rust_name: names::snake(wire, "field"),
                wire_name: wire.to_string(),
                ty,
                required: required.iter().any(|name| name == wire),
                nullable: self.is_nullable(schema),
                doc,
                setter: None,
                null_setter: None,
            };
            // A later `allOf` member may redefine a property: the last definition wins.
            if let Some(existing) = fields.iter_mut().find(|f| f.wire_name == wire) {
                existing.ty = field.ty;
                existing.nullable = field.nullable;
                existing.required |= field.required;
                existing.doc = field.doc;
                continue;
            }
            fields.push(field);
        }
        // Named once every property is known, so that a property whose wire name is already
        // a Rust name keeps it whatever order the spec lists them in.
        let bases: Vec<(&str, String)> = fields
            .iter()
            .map(|field| (field.wire_name.as_str(), field.rust_name.clone()))
            .collect();
        let rust_names = NameSet::default().claim_all(&bases);
        for (field, rust_name) in fields.iter_mut().zip(rust_names) {
            field.rust_name = rust_name;
        }
        Struct {
            fields,
            extra: None,
            builder: false,
            wire_format: true,
        }
    }

    /// Collects the properties of every `allOf` member into one list.
    fn merge_all_of(
        &mut self,
        members: &'a [ReferenceOr<Schema>],
        pointer: &str,
        properties: &mut Vec<(&'a str, SchemaRef<'a>, String)>,
        required: &mut Vec<String>,
        depth: usize,
    ) {
        for (index, member) in members.iter().enumerate() {
            let member_pointer = pointer_push(&pointer_push(pointer, "allOf"), &index.to_string());
            let (schema, schema_pointer) = match member {
                ReferenceOr::Reference { reference } => match self.resolve(reference) {
                    Some(schema) => (schema, reference.to_string()),
                    None => {
                        self.ref_type(reference, &member_pointer);
                        continue;
                    }
                },
                ReferenceOr::Item(schema) => (schema, member_pointer.clone()),
            };
            match shape(schema) {
                Ok(Shape::Object {
                    properties: member_properties,
                    required: member_required,
                    ..
                }) => {
                    for (wire, property) in member_properties {
                        let property_pointer =
                            pointer_push(&pointer_push(&schema_pointer, "properties"), wire);
                        properties.push((wire, property, property_pointer));
                    }
                    required.extend(member_required.iter().cloned());
                }
                Ok(Shape::AllOf(_)) if self.guard.all_of.contains(&schema_pointer) || depth >= 16 => self.error(
                    &member_pointer,
                    format!("`allOf` member `{schema_pointer}` includes the schema it is a member of"),
                    "an `allOf` must not lead back to itself through `$ref`s; remove the `$ref` that closes the cycle",
                ),
                Ok(Shape::AllOf(inner)) => {
                    self.guard.all_of.push(schema_pointer.clone());
                    self.merge_all_of(inner, &schema_pointer, properties, required, depth + 1);
                    self.guard.all_of.pop();
                }
                Ok(_) => self.error(
                    &member_pointer,
                    "`allOf` member is not an object schema",
                    "only object schemas can be merged; use `oneOf` for alternatives",
                ),
                Err((message, help)) => self.error(&member_pointer, message, help),
            }
        }
    }

    fn union(
        &mut self,
        rust_name: &str,
        members: &'a [ReferenceOr<Schema>],
        pointer: &str,
    ) -> Union {
        let mut variant_names = NameSet::default();
        let mut variants = Vec::with_capacity(members.len());
        for (index, member) in members.iter().enumerate() {
            let member = SchemaRef::of(member);
            let member_pointer = pointer_push(pointer, &index.to_string());
            let title = match member {
                SchemaRef::Inline(schema) => schema.schema_data.title.clone(),
                SchemaRef::Ref(_) => None,
            };
            let hint = format!(
                "{rust_name}{}",
                title
                    .as_deref()
                    .map(|t| names::pascal(t, "Variant", "V"))
                    .unwrap_or_else(|| format!("Variant{}", index + 1))
            );
            let ty = self.element_type(member, &hint, &member_pointer);
            let base = match &title {
                Some(title) => names::variant_name(title, "Variant"),
                None => variant_name_for(&ty),
            };
            let doc = match member {
                SchemaRef::Inline(schema) => Docs {
                    summary: None,
                    ..schema_docs(schema)
                },
                SchemaRef::Ref(_) => Docs::default(),
            };
            variants.push(UnionVariant {
                rust_name: variant_names.claim(&base),
                ty,
                doc,
                from_impl: false,
            });
        }
        // serde_json keeps 100 and 100.0 apart, and a whole number read into `f64` would be
        // sent back as `100.0`: an integer variant, tried first, keeps whole numbers whole.
        let has_integer = variants
            .iter()
            .any(|v| matches!(v.ty, TypeRef::I32 | TypeRef::I64));
        if let Some(position) = variants
            .iter()
            .position(|v| v.ty == TypeRef::F64)
            .filter(|_| !has_integer)
        {
            let doc = Docs {
                description: Some(
                    "A whole number, kept whole (the description says `number`).".to_string(),
                ),
                ..Docs::default()
            };
            let integer = UnionVariant {
                rust_name: variant_names.claim("Integer"),
                ty: TypeRef::I64,
                doc,
                from_impl: false,
            };
            variants.insert(position, integer);
        }
        // A server may send a shape no variant describes; keeping it beats failing the whole body.
        if !variants.iter().any(|v| v.ty == TypeRef::Json) {
            let doc = Docs {
                description: Some(
                    "A value of none of the documented shapes, kept as received.".to_string(),
                ),
                ..Docs::default()
            };
            variants.push(UnionVariant {
                rust_name: variant_names.claim("Other"),
                ty: TypeRef::Json,
                doc,
                from_impl: false,
            });
        }
        for index in 0..variants.len() {
            let ty = &variants[index].ty;
            let unique = variants.iter().filter(|other| &other.ty == ty).count() == 1;
            variants[index].from_impl = unique && *ty != TypeRef::Json;
        }
        Union { variants }
    }
}

fn variant_name_for(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".into(),
        TypeRef::Bool => "Boolean".into(),
        TypeRef::I32 | TypeRef::I64 => "Integer".into(),
        TypeRef::F32 | TypeRef::F64 => "Number".into(),
        TypeRef::Json => "Value".into(),
        TypeRef::JsonObject | TypeRef::Map(_) => "Object".into(),
        TypeRef::Vec(_) => "List".into(),
        TypeRef::Named(name) => name.clone(),
        TypeRef::File => "File".into(),
        TypeRef::Option(inner) | TypeRef::Box(inner) => variant_name_for(inner),
    }
}

fn string_enum(values: &[String]) -> Enum {
    let mut variant_names = NameSet::default();
    let mut variants = Vec::new();
    for value in values {
        if variants
            .iter()
            .any(|v: &EnumVariant| &v.wire_value == value)
        {
            continue;
        }
        let base = names::variant_name(value, "Empty");
        variants.push(EnumVariant {
            rust_name: variant_names.claim(&base),
            wire_value: value.clone(),
        });
    }
    let fallback = ["Other", "UnknownValue", "Unlisted"]
        .iter()
        .find(|name| !variant_names.contains(name))
        .map(|name| name.to_string())
        .unwrap_or_else(|| variant_names.claim("Other"));
    Enum { variants, fallback }
}

/// Decodes one JSON pointer token (`~1` is `/`, `~0` is `~`).
fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}
