//! Lowering of schemas: each schema becomes a [`TypeRef`], and the shapes that need a type
//! of their own (objects, enums, unions) become [`Model`]s named from their place in the
//! spec. What a schema means comes from `shape.rs`; this module only names and records.

use super::Lowerer;
use crate::document::{JsonType, SchemaId};
use crate::ir::{
    Docs, Enum, EnumVariant, ExtraFields, Field, IntegerEnum, Model, ModelKind, Struct, Tagged,
    TaggedVariant, TypeRef, Union, UnionVariant,
};
use crate::names::{self, NameSet};
use crate::shape::{
    Extra, FieldShape, IntegerKind, Member, NumberKind, ObjectShape, Shape, StringKind, TaggedShape,
};

/// How many schemas may nest inside one another (objects in arrays in maps...). Real
/// specs stay under a dozen; the limit keeps lowering's recursion far from the stack's end.
pub(crate) const MAX_SCHEMA_DEPTH: usize = 64;

impl<'a> Lowerer<'a> {
    /// Documentation of a schema: title, description, first example, and notes.
    pub(crate) fn schema_docs(&self, id: SchemaId) -> Docs {
        let schema = self.doc.schema(id);
        let mut notes = Vec::new();
        if let Some(format) = &schema.format {
            if !schema.is_bare_ref() {
                notes.push(format!("Format: `{format}`."));
            }
        }
        if schema.read_only {
            notes.push("Set by the server: not sent in requests.".to_string());
        }
        if schema.write_only {
            notes.push("Sent in requests only: the server never returns it.".to_string());
        }
        Docs {
            summary: schema.title.clone(),
            description: schema.description.clone(),
            example: schema
                .examples
                .first()
                .map(|example| example.value.to_string()),
            notes,
            deprecated: schema
                .deprecated
                .then(|| "deprecated by the API".to_string()),
        }
    }

    /// Documentation of a named type. A deprecated schema is said to be so in words, not
    /// with `#[deprecated]`: the fields and variants that hold the type would each warn.
    fn model_docs(&self, id: SchemaId) -> Docs {
        let mut docs = self.schema_docs(id);
        if docs.deprecated.take().is_some() {
            docs.notes.push("Deprecated by the API.".to_string());
        }
        docs
    }

    /// Lowers one component schema into the model that carries its name.
    pub(super) fn lower_component(&mut self, rust_name: String, id: SchemaId) {
        let doc = self.model_docs(id);
        let pointer = self.doc.schema(id).pointer.clone();
        // An alias of an inline schema (`allOf` with one inline member) is that schema,
        // under the component's name.
        let mut shape = self.meaning.shape(id);
        for _ in 0..MAX_SCHEMA_DEPTH {
            match shape {
                Shape::Alias(target) if !self.component_types.contains_key(&target) => {
                    self.inline_types
                        .insert(target, TypeRef::Named(rust_name.clone()));
                    shape = self.meaning.shape(target);
                }
                _ => break,
            }
        }
        let kind = match shape {
            Shape::Invalid {
                pointer,
                message,
                help,
            } => {
                self.error(&pointer, message, help);
                return;
            }
            shape if shape.needs_model() => self.model_kind(&rust_name, shape, id),
            Shape::Alias(target) => ModelKind::Alias(self.schema_type(target, &rust_name)),
            other => ModelKind::Alias(self.plain_type(other, &rust_name)),
        };
        let ty = TypeRef::Named(rust_name.clone());
        let examples = self.doc.schema(id).examples.clone();
        self.record_examples(None, &ty, id, &examples);
        self.models.push(Model {
            gate: Default::default(),
            rust_name,
            doc,
            kind,
            pointer,
        });
    }

    /// The type of the schema `id`; `hint` names any type that must be created for it.
    pub(crate) fn schema_type(&mut self, id: SchemaId, hint: &str) -> TypeRef {
        if let Some(name) = self.component_types.get(&id) {
            return TypeRef::Named(name.clone());
        }
        if let Some(ty) = self.inline_types.get(&id) {
            return ty.clone();
        }
        if self.depth >= MAX_SCHEMA_DEPTH {
            let pointer = self.doc.schema(id).pointer.clone();
            self.error(
                &pointer,
                format!("schemas are nested more than {MAX_SCHEMA_DEPTH} levels deep here"),
                "name the inner schemas under `components/schemas` and refer to them with `$ref`",
            );
            return TypeRef::Json;
        }
        self.depth += 1;
        let ty = match self.meaning.shape(id) {
            Shape::Alias(target) => self.schema_type(target, hint),
            Shape::Invalid {
                pointer,
                message,
                help,
            } => {
                self.error(&pointer, message, help);
                TypeRef::Json
            }
            shape if shape.needs_model() => {
                let rust_name = self.type_names.claim(&names::type_name(hint));
                let ty = TypeRef::Named(rust_name.clone());
                // Claimed before its insides are lowered, so that a schema inside itself
                // refers back to this type.
                self.inline_types.insert(id, ty.clone());
                let kind = self.model_kind(&rust_name, shape, id);
                self.models.push(Model {
                    gate: Default::default(),
                    rust_name,
                    doc: self.model_docs(id),
                    kind,
                    pointer: self.doc.schema(id).pointer.clone(),
                });
                ty
            }
            other => self.plain_type(other, hint),
        };
        self.depth -= 1;
        self.inline_types.insert(id, ty.clone());
        ty
    }

    /// Like [`Self::schema_type`], for values inside a container, where `null` must be kept.
    pub(crate) fn element_type(&mut self, id: SchemaId, hint: &str) -> TypeRef {
        let ty = self.schema_type(id, hint);
        if self.meaning.nullable(id) && !matches!(ty, TypeRef::Json | TypeRef::Unit) {
            TypeRef::Option(Box::new(ty))
        } else {
            ty
        }
    }

    /// The type of a shape that needs no model of its own.
    fn plain_type(&mut self, shape: Shape, hint: &str) -> TypeRef {
        match shape {
            Shape::Any | Shape::Invalid { .. } => TypeRef::Json,
            Shape::Null => TypeRef::Unit,
            Shape::Boolean => TypeRef::Bool,
            Shape::Integer(IntegerKind::I32) => TypeRef::I32,
            Shape::Integer(IntegerKind::I64) => TypeRef::I64,
            Shape::Integer(IntegerKind::U32) => TypeRef::U32,
            Shape::Integer(IntegerKind::U64) => TypeRef::U64,
            Shape::Number(NumberKind::F32) => TypeRef::F32,
            Shape::Number(NumberKind::F64) => TypeRef::F64,
            Shape::String(StringKind::Base64) => TypeRef::Base64,
            Shape::String(_) => TypeRef::String,
            Shape::Array(Some(items)) => {
                TypeRef::Vec(Box::new(self.element_type(items, &format!("{hint}Item"))))
            }
            Shape::Array(None) => TypeRef::Vec(Box::new(TypeRef::Json)),
            Shape::Tuple(items) => TypeRef::Tuple(
                items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| {
                        self.element_type(*item, &format!("{hint}Item{}", index + 1))
                    })
                    .collect(),
            ),
            Shape::Map(Some(values)) => {
                TypeRef::Map(Box::new(self.element_type(values, &format!("{hint}Value"))))
            }
            Shape::Map(None) => TypeRef::JsonObject,
            Shape::Alias(target) => self.schema_type(target, hint),
            Shape::Enum(_)
            | Shape::IntegerEnum(_)
            | Shape::Object(_)
            | Shape::Union(_)
            | Shape::Tagged(_) => TypeRef::Json,
        }
    }

    /// Builds the model of a shape that needs one; `rust_name` is already claimed.
    fn model_kind(&mut self, rust_name: &str, shape: Shape, id: SchemaId) -> ModelKind {
        match shape {
            Shape::Object(object) => ModelKind::Struct(self.struct_of(rust_name, &object)),
            Shape::Enum(values) => ModelKind::Enum(string_enum(&values)),
            Shape::IntegerEnum(values) => ModelKind::IntegerEnum(self.integer_enum(id, &values)),
            Shape::Union(members) => ModelKind::Union(self.union(rust_name, &members)),
            Shape::Tagged(tagged) => ModelKind::Tagged(self.tagged(rust_name, &tagged)),
            _ => ModelKind::Alias(TypeRef::Json),
        }
    }

    /// Documentation of a property: the schema's own, or for a `$ref`, what is written
    /// beside it.
    fn property_docs(&self, id: SchemaId) -> Docs {
        let schema = self.doc.schema(id);
        if schema.is_bare_ref() {
            let target_deprecated = schema
                .reference
                .as_ref()
                .and_then(|r| r.target)
                .is_some_and(|target| self.doc.schema(target).deprecated);
            return Docs {
                summary: schema.title.clone(),
                description: schema.description.clone(),
                deprecated: (schema.deprecated || target_deprecated)
                    .then(|| "deprecated by the API".to_string()),
                ..Docs::default()
            };
        }
        self.schema_docs(id)
    }

    /// Whether a property's schema (or the schema its `$ref` names) says `readOnly` or `writeOnly`.
    fn access(&self, id: SchemaId) -> (bool, bool) {
        let schema = self.doc.schema(id);
        let target = self.doc.resolve(id);
        (
            schema.read_only || target.read_only,
            schema.write_only || target.write_only,
        )
    }

    pub(crate) fn struct_of(&mut self, rust_name: &str, object: &ObjectShape) -> Struct {
        let mut fields: Vec<Field> = Vec::with_capacity(object.fields.len());
        for FieldShape {
            wire_name,
            schema,
            required,
        } in &object.fields
        {
            let hint = format!("{rust_name}{}", names::pascal(wire_name, "Field", "V"));
            let ty = self.schema_type(*schema, &hint);
            let nullable = self.meaning.nullable(*schema);
            let doc = self.property_docs(*schema);
            let (read_only, write_only) = self.access(*schema);
            if !self.doc.schema(*schema).is_bare_ref() {
                // `null` examples of nullable properties decode as `None`, not as the type.
                let example_type = if nullable && !matches!(ty, TypeRef::Json) {
                    TypeRef::Option(Box::new(ty.clone()))
                } else {
                    ty.clone()
                };
                let examples = self.doc.schema(*schema).examples.clone();
                self.record_examples(Some(&hint), &example_type, *schema, &examples);
            }
            fields.push(Field {
                rust_name: names::snake(wire_name, "field"),
                wire_name: wire_name.clone(),
                ty,
                required: *required,
                nullable,
                deprecated: doc.deprecated.is_some(),
                read_only,
                write_only,
                doc,
                setter: None,
                null_setter: None,
            });
        }
        // Named once every property is known, so that a property whose wire name is already
        // a Rust name keeps it whatever order the spec lists them in.
        let bases: Vec<(&str, String)> = fields
            .iter()
            .map(|field| (field.wire_name.as_str(), field.rust_name.clone()))
            .collect();
        let rust_names = NameSet::default().claim_all(&bases);
        for (field, rust_field) in fields.iter_mut().zip(rust_names) {
            field.rust_name = rust_field;
        }
        let extra_value = match object.extra {
            Extra::Closed => None,
            Extra::Any => Some(TypeRef::Json),
            Extra::Values(values) => Some(self.element_type(values, &format!("{rust_name}Value"))),
        };
        let extra = extra_value.map(|value| {
            let taken = |name: &str| fields.iter().any(|field| field.rust_name == name);
            let rust_name = ["extra", "extra_fields", "unknown_fields"]
                .into_iter()
                .find(|name| !taken(name))
                .map(str::to_string)
                .unwrap_or_else(|| {
                    NameSet::with_reserved(fields.iter().map(|f| f.rust_name.as_str()))
                        .claim("extra")
                });
            ExtraFields { rust_name, value }
        });
        Struct {
            fields,
            extra,
            builder: false,
            wire_format: true,
            multipart: false,
        }
    }

    fn integer_enum(&self, id: SchemaId, values: &[i64]) -> IntegerEnum {
        // `x-enum-varnames` (openapi-generator's extension) names the values when it can.
        let given: Option<Vec<String>> = self
            .doc
            .schema(id)
            .extension("x-enum-varnames")
            .and_then(|names| names.as_array())
            .filter(|names| names.len() == values.len())
            .and_then(|names| {
                names
                    .iter()
                    .map(|n| n.as_str().map(str::to_string))
                    .collect()
            });
        let mut constants = NameSet::with_reserved(["Self"]);
        let values = values
            .iter()
            .enumerate()
            .map(|(index, value)| {
                let base = match &given {
                    Some(given) => names::constant(&given[index], "VALUE"),
                    None if *value < 0 => format!("MINUS_{}", value.unsigned_abs()),
                    None => format!("VALUE_{value}"),
                };
                (constants.claim(&base), *value)
            })
            .collect();
        IntegerEnum { values }
    }

    fn union(&mut self, rust_name: &str, members: &[Member]) -> Union {
        let mut variant_names = NameSet::default();
        let mut variants = Vec::with_capacity(members.len());
        for (index, member) in members.iter().enumerate() {
            let (ty, base, doc) = match member {
                Member::Schema(id) => {
                    let schema = self.doc.schema(*id);
                    let title = (!schema.is_bare_ref())
                        .then(|| schema.title.clone())
                        .flatten();
                    let hint = format!(
                        "{rust_name}{}",
                        title
                            .as_deref()
                            .map(|t| names::pascal(t, "Variant", "V"))
                            .unwrap_or_else(|| format!("Variant{}", index + 1))
                    );
                    let ty = self.element_type(*id, &hint);
                    let base = match &title {
                        Some(title) => names::variant_name(title, "Variant"),
                        None => variant_name_for(&ty),
                    };
                    let doc = if schema.is_bare_ref() {
                        Docs::default()
                    } else {
                        Docs {
                            summary: None,
                            ..self.schema_docs(*id)
                        }
                    };
                    (ty, base, doc)
                }
                Member::Merged {
                    shared,
                    own,
                    member,
                } => {
                    let member_name = self
                        .doc
                        .component_name(*member)
                        .map(|name| names::pascal(name, "Variant", "V"))
                        .unwrap_or_else(|| format!("Variant{}", index + 1));
                    let struct_name = self.type_names.claim(&format!("{rust_name}{member_name}"));
                    let object = match self.meaning.merged_face(shared, own, *member) {
                        Ok(object) => object,
                        Err(_) => ObjectShape {
                            fields: Vec::new(),
                            extra: Extra::Any,
                        },
                    };
                    let shape = self.struct_of(&struct_name, &object);
                    let pointer = self.doc.schema(*member).pointer.clone();
                    self.models.push(Model {
                        gate: Default::default(),
                        rust_name: struct_name.clone(),
                        doc: Docs::default(),
                        kind: ModelKind::Struct(shape),
                        pointer,
                    });
                    (TypeRef::Named(struct_name), member_name, Docs::default())
                }
                Member::Type(kind) => {
                    let ty = json_type(*kind);
                    let base = variant_name_for(&ty);
                    (ty, base, Docs::default())
                }
                Member::WholeNumber => (
                    TypeRef::I64,
                    "Integer".to_string(),
                    Docs {
                        description: Some(
                            "A whole number, kept whole (the description says `number`)."
                                .to_string(),
                        ),
                        ..Docs::default()
                    },
                ),
                Member::Other => (
                    TypeRef::Json,
                    "Other".to_string(),
                    Docs {
                        description: Some(
                            "A value of none of the documented shapes, kept as received."
                                .to_string(),
                        ),
                        ..Docs::default()
                    },
                ),
            };
            variants.push(UnionVariant {
                rust_name: variant_names.claim(&base),
                ty,
                doc,
                from_impl: false,
            });
        }
        // Which variants convert with `From` is decided once every type is known (`finish`).
        Union { variants }
    }

    fn tagged(&mut self, rust_name: &str, tagged: &TaggedShape) -> Tagged {
        let mut variant_names = NameSet::default();
        let mut variants = Vec::with_capacity(tagged.variants.len());
        for (tag, schema) in &tagged.variants {
            let hint = format!("{rust_name}{}", names::pascal(tag, "Variant", "V"));
            let ty = self.schema_type(*schema, &hint);
            let writes_tag = self
                .meaning
                .object_face(*schema)
                .is_ok_and(|object| object.fields.iter().any(|f| f.wire_name == tagged.property));
            variants.push(TaggedVariant {
                rust_name: variant_names.claim(&names::variant_name(tag, "Variant")),
                tag: tag.clone(),
                ty,
                writes_tag,
            });
        }
        let fallback = variant_names.claim("Other");
        Tagged {
            property: tagged.property.clone(),
            variants,
            fallback,
        }
    }
}

/// The type a JSON type name stands for, alone.
fn json_type(kind: JsonType) -> TypeRef {
    match kind {
        JsonType::Null => TypeRef::Unit,
        JsonType::Boolean => TypeRef::Bool,
        JsonType::Integer => TypeRef::I64,
        JsonType::Number => TypeRef::F64,
        JsonType::String => TypeRef::String,
        JsonType::Array => TypeRef::Vec(Box::new(TypeRef::Json)),
        JsonType::Object => TypeRef::JsonObject,
    }
}

fn variant_name_for(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".into(),
        TypeRef::Bool => "Boolean".into(),
        TypeRef::I32 | TypeRef::I64 | TypeRef::U32 | TypeRef::U64 => "Integer".into(),
        TypeRef::F32 | TypeRef::F64 => "Number".into(),
        TypeRef::Json => "Value".into(),
        TypeRef::Unit => "Null".into(),
        TypeRef::Base64 => "Bytes".into(),
        TypeRef::JsonObject | TypeRef::Map(_) => "Object".into(),
        TypeRef::Vec(_) | TypeRef::Tuple(_) => "List".into(),
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
