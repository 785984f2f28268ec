//! What a schema means: the one place that says which kind of Rust type a schema becomes
//! ([`Meaning::shape`]) and which JSON values that type accepts and gives back unchanged
//! ([`Meaning::check`]). Lowering builds its types from shapes, lint reports examples that
//! [`Meaning::check`] rejects, and only examples it accepts become round-trip tests of the
//! generated crate, so the three cannot disagree.
//!
//! The idioms that descriptions use for one idea in several spellings are decided here:
//! `allOf: [{$ref: X}, {nullable: true}]` and `allOf` with one member that has a shape
//! (the others only document) are `X`; `properties` beside a `oneOf` whose members only
//! list `required` is the object (the `oneOf` only validates); a `oneOf` beside `allOf`
//! or `properties` is a union whose variants include the shared part; a `discriminator`
//! makes a tagged union, over its `oneOf`, its `mapping`, or the schemas that extend it
//! with `allOf`; `type: [string, "null"]` and a `oneOf` member `{type: "null"}` make a
//! value nullable; `not`, `if`/`then`/`else` and the other validation keywords do not
//! change the shape.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::document::{Additional, Document, JsonType, Schema, SchemaId};
use crate::pointer;

/// How deep checks and merges follow schemas (cyclic schemas are legal).
const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IntegerKind {
    I32,
    I64,
    U32,
    U64,
}

impl IntegerKind {
    fn of_format(format: Option<&str>) -> Self {
        match format {
            Some("int32" | "int16" | "int8") => IntegerKind::I32,
            Some("uint32" | "uint16" | "uint8") => IntegerKind::U32,
            Some("uint64" | "uint") => IntegerKind::U64,
            _ => IntegerKind::I64,
        }
    }

    /// Whether a JSON number decodes into this type.
    fn holds(self, value: &Value) -> bool {
        match self {
            IntegerKind::I32 => value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
            IntegerKind::I64 => value.is_i64(),
            IntegerKind::U32 => value.as_u64().is_some_and(|n| u32::try_from(n).is_ok()),
            IntegerKind::U64 => value.is_u64(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NumberKind {
    F32,
    F64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StringKind {
    Plain,
    /// `format: byte` or `contentEncoding: base64`: bytes as base64 text.
    Base64,
    /// `format: binary`: raw bytes (a file in multipart, a whole body otherwise).
    Binary,
}

/// One variant of an untagged union, in the order the generated type tries them.
#[derive(Debug, Clone, PartialEq)]
pub enum Member {
    /// A member schema of the `oneOf`/`anyOf`.
    Schema(SchemaId),
    /// A member merged with what the union's schema says beside it: an object with the
    /// properties of the `shared` schemas (their `allOf`s included), the own properties of
    /// the `own` schemas, and the member's.
    Merged {
        shared: Vec<SchemaId>,
        own: Vec<SchemaId>,
        member: SchemaId,
    },
    /// One type of a 3.1 type list (`type: [string, integer]`).
    Type(JsonType),
    /// Whole numbers, tried before a `number` member so that `100` is not sent back as `100.0`.
    WholeNumber,
    /// Whatever no variant describes, kept as received.
    Other,
}

/// A property of an object shape.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldShape {
    pub wire_name: String,
    pub schema: SchemaId,
    pub required: bool,
}

/// What an object does with properties it does not list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extra {
    /// Keeps them, any JSON (`additionalProperties` unspecified or `true`).
    Any,
    /// Keeps them, each of this schema.
    Values(SchemaId),
    /// `additionalProperties: false`: there are none.
    Closed,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ObjectShape {
    pub fields: Vec<FieldShape>,
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TaggedShape {
    /// The property whose value says which variant a value is.
    pub property: String,
    /// Tag value and variant schema, in the description's order.
    pub variants: Vec<(String, SchemaId)>,
}

/// The kind of Rust type a schema becomes.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// Any JSON value.
    Any,
    /// Only `null` (`type: "null"`).
    Null,
    Boolean,
    Integer(IntegerKind),
    Number(NumberKind),
    String(StringKind),
    /// Strings, of which these are documented; others are kept too.
    Enum(Vec<String>),
    /// Whole numbers, of which these are documented; others are kept too.
    IntegerEnum(Vec<i64>),
    Array(Option<SchemaId>),
    /// 3.1 `prefixItems`: a fixed-length list.
    Tuple(Vec<SchemaId>),
    /// An object used as a map from names to values of one schema (`None`: any JSON).
    Map(Option<SchemaId>),
    Object(ObjectShape),
    Union(Vec<Member>),
    Tagged(TaggedShape),
    /// Exactly the schema it names (a `$ref`, a one-member `allOf`).
    Alias(SchemaId),
    /// A schema the generator cannot give a type.
    Invalid {
        pointer: String,
        message: String,
        help: String,
    },
}

impl Shape {
    /// Whether the shape becomes a named type of its own.
    pub fn needs_model(&self) -> bool {
        matches!(
            self,
            Shape::Enum(_)
                | Shape::IntegerEnum(_)
                | Shape::Object(_)
                | Shape::Union(_)
                | Shape::Tagged(_)
        )
    }
}

/// The meaning of the schemas of one document.
pub struct Meaning<'d> {
    pub doc: &'d Document,
    /// The (schema, value) pairs a check is inside of: a schema that leads back to itself
    /// for the same value (a union that is its own member) cannot decode it that way.
    checking: std::cell::RefCell<Vec<(SchemaId, usize)>>,
    /// The schemas whose shape is being found, one inside another: a schema met again
    /// inside its own shape (`A: {allOf: [B]}`, `B: {allOf: [A]}`) is not followed again.
    shaping: std::cell::RefCell<Vec<SchemaId>>,
    /// Schemas with a `discriminator` and no `oneOf`, and the component schemas that
    /// extend them with `allOf` (tag value: the extending schema's name).
    extended_by: BTreeMap<SchemaId, Vec<(String, SchemaId)>>,
}

/// Whether a schema says anything about a value's shape, rather than only documenting it.
fn has_shape(schema: &Schema) -> bool {
    schema.reference.is_some()
        || schema.types.is_some()
        || schema.enumeration.is_some()
        || schema.constant.is_some()
        || !schema.properties.is_empty()
        || schema.additional_properties != Additional::Unspecified
        || schema.items.is_some()
        || !schema.prefix_items.is_empty()
        || !schema.all_of.is_empty()
        || !schema.one_of.is_empty()
        || !schema.any_of.is_empty()
        || schema.discriminator.is_some()
        || schema.boolean.is_some()
        || !schema.unsupported.is_empty()
}

/// Whether a schema only documents or validates (`required`, `description`, `minimum`,
/// or a `oneOf` of such schemas): it adds nothing to the shape of a value.
fn only_validates(doc: &Document, schema: &Schema) -> bool {
    only_validates_within(doc, schema, 0)
}

fn only_validates_within(doc: &Document, schema: &Schema, depth: usize) -> bool {
    if !has_shape(schema) {
        return true;
    }
    let composed_only = schema.reference.is_none()
        && schema.types.is_none()
        && schema.enumeration.is_none()
        && schema.constant.is_none()
        && schema.properties.is_empty()
        && schema.additional_properties == Additional::Unspecified
        && schema.items.is_none()
        && schema.prefix_items.is_empty()
        && schema.discriminator.is_none()
        && schema.boolean.is_none()
        && schema.unsupported.is_empty();
    composed_only
        && depth < 8
        && schema
            .all_of
            .iter()
            .chain(&schema.one_of)
            .chain(&schema.any_of)
            .all(|member| only_validates_within(doc, doc.schema(*member), depth + 1))
}

impl<'d> Meaning<'d> {
    pub fn new(doc: &'d Document) -> Self {
        let mut meaning = Meaning {
            doc,
            checking: Default::default(),
            shaping: Default::default(),
            extended_by: BTreeMap::new(),
        };
        // A base with a discriminator but no `oneOf` stands for the schemas that extend it.
        let bases: Vec<SchemaId> = doc
            .components
            .schemas
            .iter()
            .map(|(_, id)| *id)
            .filter(|id| {
                let schema = doc.schema(*id);
                schema.discriminator.is_some()
                    && schema.one_of.is_empty()
                    && schema.any_of.is_empty()
            })
            .collect();
        for base in bases {
            let children: Vec<(String, SchemaId)> = doc
                .components
                .schemas
                .iter()
                .filter(|(_, id)| {
                    doc.schema(*id)
                        .all_of
                        .iter()
                        .any(|member| meaning.target(*member) == Some(base))
                })
                .map(|(name, id)| (name.clone(), *id))
                .collect();
            meaning.extended_by.insert(base, children);
        }
        meaning
    }

    pub fn schema(&self, id: SchemaId) -> &'d Schema {
        self.doc.schema(id)
    }

    /// Whether `id` (references followed) is a base with a discriminator and no `oneOf`,
    /// which the schemas extending it stand for.
    fn is_extended_base(&self, id: SchemaId) -> bool {
        self.target(id)
            .is_some_and(|target| self.extended_by.contains_key(&target))
    }

    /// The schema a bare `$ref` names, following chains.
    fn target(&self, id: SchemaId) -> Option<SchemaId> {
        let mut current = id;
        for _ in 0..MAX_DEPTH {
            let schema = self.doc.schema(current);
            match schema.reference.as_ref() {
                Some(reference) if schema.is_bare_ref() => current = reference.target?,
                _ => return Some(current),
            }
        }
        None
    }

    /// Whether `{type: "null"}` (or `enum: [null]`) is all the schema allows.
    fn is_null_schema(&self, id: SchemaId) -> bool {
        let schema = self.schema(id);
        let only_null_type = schema
            .types
            .as_ref()
            .is_some_and(|types| types.iter().all(|t| *t == JsonType::Null) && !types.is_empty());
        let only_null_enum = schema
            .enumeration
            .as_ref()
            .is_some_and(|values| !values.is_empty() && values.iter().all(Value::is_null));
        (only_null_type || only_null_enum) && schema.properties.is_empty()
    }

    /// Whether `null` is a valid value: the schema's own keywords, a `$ref` to a nullable
    /// schema, an `allOf` member that says `nullable: true`, or a union member `{type: null}`.
    pub fn nullable(&self, id: SchemaId) -> bool {
        self.nullable_within(id, 0)
    }

    fn nullable_within(&self, id: SchemaId, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        let schema = self.schema(id);
        if schema.allows_null_itself() {
            return true;
        }
        if let Some(reference) = &schema.reference {
            if let Some(target) = reference.target {
                if self.nullable_within(target, depth + 1) {
                    return true;
                }
            }
        }
        let members = if schema.one_of.is_empty() {
            &schema.any_of
        } else {
            &schema.one_of
        };
        if members.iter().any(|m| self.is_null_schema(*m)) {
            return true;
        }
        if !schema.all_of.is_empty() {
            let shaped: Vec<SchemaId> = schema
                .all_of
                .iter()
                .copied()
                .filter(|m| has_shape(self.schema(*m)))
                .collect();
            let says_nullable = schema
                .all_of
                .iter()
                .any(|m| !has_shape(self.schema(*m)) && self.schema(*m).allows_null_itself());
            if says_nullable {
                return true;
            }
            if let [only] = shaped.as_slice() {
                return self.nullable_within(*only, depth + 1);
            }
        }
        false
    }

    /// The shape of a schema.
    pub fn shape(&self, id: SchemaId) -> Shape {
        if self.shaping.borrow().contains(&id) || self.shaping.borrow().len() > MAX_DEPTH {
            // Inside its own shape: whoever asked sees no shape, and finds the cycle itself.
            return Shape::Any;
        }
        self.shaping.borrow_mut().push(id);
        let shape = self.shape_of(id);
        self.shaping.borrow_mut().pop();
        shape
    }

    fn shape_of(&self, id: SchemaId) -> Shape {
        let schema = self.schema(id);
        if schema.boolean.is_some() {
            return Shape::Any;
        }
        if let Some(keyword) = schema.unsupported.first() {
            return Shape::Invalid {
                pointer: pointer::push(&schema.pointer, keyword),
                message: format!("`{keyword}` is not supported"),
                help: "describe the shape with `$ref`, `allOf` or `oneOf` instead".into(),
            };
        }
        if schema.is_bare_ref() {
            return match schema.reference.as_ref().and_then(|r| r.target) {
                Some(target) => Shape::Alias(target),
                None => Shape::Any,
            };
        }
        let union = if !schema.one_of.is_empty() {
            Some(&schema.one_of)
        } else if !schema.any_of.is_empty() {
            Some(&schema.any_of)
        } else {
            None
        };
        if let Some(members) = union {
            if let Some(shape) = self.union_shape(id, schema, members) {
                return shape;
            }
        }
        if !schema.all_of.is_empty() || schema.reference.is_some() {
            return self.all_of_shape(id, schema);
        }
        if schema.discriminator.is_some() {
            if let Some(children) = self.extended_by.get(&id).filter(|c| !c.is_empty()) {
                return self.tagged(schema, children.clone());
            }
        }
        self.own_shape(schema)
    }

    /// The shape from the schema's own keywords, without compositions.
    fn own_shape(&self, schema: &Schema) -> Shape {
        if let Some(values) = schema.enumeration.as_ref() {
            if let Some(shape) = enum_shape(schema, values) {
                return shape;
            }
        }
        if let Some(constant) = &schema.constant {
            match constant {
                Value::String(text) => return Shape::Enum(vec![text.clone()]),
                Value::Number(n) if n.is_i64() => {
                    return Shape::IntegerEnum(vec![n.as_i64().unwrap_or_default()])
                }
                _ => {}
            }
        }
        let non_null: Vec<JsonType> = schema
            .types
            .iter()
            .flatten()
            .copied()
            .filter(|t| *t != JsonType::Null)
            .collect();
        let shape = match non_null.as_slice() {
            [] if schema.types.is_some() => Shape::Null,
            [] => untyped_shape(schema),
            [single] => typed_shape(schema, *single),
            // `integer` and `number` together are numbers, whole ones kept whole.
            [JsonType::Integer, JsonType::Number] | [JsonType::Number, JsonType::Integer] => {
                Shape::Union(vec![Member::WholeNumber, Member::Type(JsonType::Number)])
            }
            several => {
                let mut members: Vec<Member> = several.iter().map(|t| Member::Type(*t)).collect();
                finish_union(&mut members, |m| match m {
                    Member::Type(t) => Some(*t),
                    _ => None,
                });
                Shape::Union(members)
            }
        };
        self.closed_tuple(schema, shape)
    }

    /// `prefixItems` makes a tuple only when `items: false` closes it: otherwise more
    /// items may follow the prefix, and a Rust tuple would refuse them, so it is a list of
    /// any JSON.
    fn closed_tuple(&self, schema: &Schema, shape: Shape) -> Shape {
        let closed = schema
            .items
            .is_some_and(|items| self.schema(items).boolean == Some(false));
        match shape {
            Shape::Tuple(_) if !closed => Shape::Array(None),
            shape => shape,
        }
    }

    /// `oneOf`/`anyOf`, with what sits beside it. `None` when the union only validates.
    fn union_shape(&self, id: SchemaId, schema: &Schema, members: &[SchemaId]) -> Option<Shape> {
        let non_null: Vec<SchemaId> = members
            .iter()
            .copied()
            .filter(|m| !self.is_null_schema(*m))
            .collect();
        let own_object = !schema.properties.is_empty() || !schema.all_of.is_empty();
        if own_object
            && non_null
                .iter()
                .all(|m| only_validates(self.doc, self.schema(*m)))
        {
            return None;
        }
        if non_null.is_empty() {
            return Some(Shape::Null);
        }
        if let Some(discriminator) = &schema.discriminator {
            let variants = self.discriminated(discriminator, &non_null);
            if !variants.is_empty() {
                return Some(self.tagged(schema, variants));
            }
        }
        let shared: Vec<SchemaId> = schema
            .all_of
            .iter()
            .copied()
            .filter(|m| !only_validates(self.doc, self.schema(*m)))
            .collect();
        // The schema's own properties are one more shared part.
        let own: Vec<SchemaId> = if schema.properties.is_empty() {
            Vec::new()
        } else {
            vec![id]
        };
        if let [only] = non_null.as_slice() {
            if shared.is_empty() && own.is_empty() {
                return Some(Shape::Alias(*only));
            }
        }
        let mut variants: Vec<Member> = non_null
            .iter()
            .map(|member| self.merged_member(&shared, &own, *member))
            .collect();
        finish_union(&mut variants, |member| match member {
            Member::Schema(id) => self.json_type_of(*id),
            _ => None,
        });
        Some(Shape::Union(variants))
    }

    /// The variant a union member makes with the parts beside the union: the member as
    /// it is when it already declares every shared property, else merged with them.
    fn merged_member(&self, shared: &[SchemaId], own: &[SchemaId], member: SchemaId) -> Member {
        if shared.is_empty() && own.is_empty() {
            return Member::Schema(member);
        }
        let declared = |names: Vec<String>, face: &ObjectShape| {
            names
                .iter()
                .all(|name| face.fields.iter().any(|f| &f.wire_name == name))
        };
        if let Ok(face) = self.object_face(member) {
            let shared_names = shared
                .iter()
                .filter_map(|part| self.object_face(*part).ok())
                .chain(own.iter().map(|part| self.own_properties(*part)))
                .flat_map(|object| object.fields.into_iter().map(|f| f.wire_name))
                .collect();
            if declared(shared_names, &face) {
                return Member::Schema(member);
            }
        }
        Member::Merged {
            shared: shared.to_vec(),
            own: own.to_vec(),
            member,
        }
    }

    /// The schema's own properties, without its compositions.
    fn own_properties(&self, id: SchemaId) -> ObjectShape {
        let schema = self.schema(id);
        ObjectShape {
            fields: schema
                .properties
                .iter()
                .map(|(name, property)| FieldShape {
                    wire_name: name.clone(),
                    schema: *property,
                    required: schema.required.contains(name),
                })
                .collect(),
            extra: Extra::Any,
        }
    }

    /// The JSON type a union member decodes from, when it is a plain scalar.
    /// Read from the member's own keywords (references followed), never from its shape:
    /// a union may be a member of itself.
    fn json_type_of(&self, id: SchemaId) -> Option<JsonType> {
        let schema = self.schema(self.target(id)?);
        let composed =
            !schema.one_of.is_empty() || !schema.any_of.is_empty() || !schema.all_of.is_empty();
        if composed || schema.reference.is_some() {
            return None;
        }
        if schema
            .enumeration
            .as_ref()
            .is_some_and(|values| values.iter().any(Value::is_i64))
        {
            return Some(JsonType::Integer);
        }
        match schema.single_type() {
            Some(kind @ (JsonType::Integer | JsonType::Number)) => Some(kind),
            Some(_) => None,
            None if schema.types.is_none() && !has_shape(schema) => Some(JsonType::Null),
            None => None,
        }
    }

    /// The shape, aliases followed.
    pub fn resolved_shape(&self, id: SchemaId) -> Shape {
        let mut current = id;
        for _ in 0..MAX_DEPTH {
            match self.shape(current) {
                Shape::Alias(target) => current = target,
                shape => return shape,
            }
        }
        Shape::Any
    }

    /// The variants a discriminator names among `members` (or in its mapping).
    fn discriminated(
        &self,
        discriminator: &crate::document::Discriminator,
        members: &[SchemaId],
    ) -> Vec<(String, SchemaId)> {
        let mut variants: Vec<(String, SchemaId)> = Vec::new();
        for member in members {
            let Some(target) = self.target(*member) else {
                continue;
            };
            let mapped: Vec<&String> = discriminator
                .mapping
                .iter()
                .filter(|(_, to)| self.mapping_target(to) == Some(target))
                .map(|(value, _)| value)
                .collect();
            if mapped.is_empty() {
                // Without a mapping, the tag value is the schema's name.
                match self.doc.component_name(target) {
                    Some(name) => variants.push((name.to_string(), *member)),
                    None => return Vec::new(),
                }
            } else {
                variants.extend(mapped.into_iter().map(|value| (value.clone(), *member)));
            }
        }
        variants
    }

    /// The schema a mapping value names: a `$ref`-style pointer or a bare schema name.
    fn mapping_target(&self, to: &str) -> Option<SchemaId> {
        let name = match to.strip_prefix("#/components/schemas/") {
            Some(name) => pointer::unescape(name).into_owned(),
            None if !to.contains('/') && !to.contains('#') => to.to_string(),
            None => {
                // A `$ref` to another file was made local by bundling only where it was a
                // `$ref`; a mapping to `other.yaml#/components/schemas/X` names `X`.
                to.rsplit('/').next()?.to_string()
            }
        };
        let id = self
            .doc
            .components
            .schemas
            .iter()
            .find(|(schema_name, _)| *schema_name == name)
            .map(|(_, id)| *id)?;
        self.target(id)
    }

    fn tagged(&self, schema: &Schema, variants: Vec<(String, SchemaId)>) -> Shape {
        let property = schema
            .discriminator
            .as_ref()
            .map(|d| d.property_name.clone())
            .unwrap_or_default();
        let mut variants = variants;
        // A base's mapping names its extensions: those its mapping names take the mapping's
        // values, the others their own names.
        if let Some(discriminator) = &schema.discriminator {
            if schema.one_of.is_empty()
                && schema.any_of.is_empty()
                && !discriminator.mapping.is_empty()
            {
                let mapped: Vec<(String, SchemaId)> = discriminator
                    .mapping
                    .iter()
                    .filter_map(|(value, to)| Some((value.clone(), self.mapping_target(to)?)))
                    .collect();
                variants.retain(|(_, child)| {
                    !mapped
                        .iter()
                        .any(|(_, target)| self.target(*child) == Some(*target))
                });
                let mut all = mapped;
                all.extend(variants);
                variants = all;
            }
        }
        Shape::Tagged(TaggedShape { property, variants })
    }

    /// `allOf` (and, in 3.1, a `$ref` with siblings): one member with a shape is that
    /// member; several are merged into one object.
    fn all_of_shape(&self, id: SchemaId, schema: &Schema) -> Shape {
        let mut members: Vec<SchemaId> = Vec::new();
        if let Some(target) = schema.reference.as_ref().and_then(|r| r.target) {
            members.push(target);
        }
        members.extend(
            schema
                .all_of
                .iter()
                .copied()
                .filter(|m| !only_validates(self.doc, self.schema(*m))),
        );
        // A member that only says `required` makes properties of the others required.
        let adds_required = schema
            .all_of
            .iter()
            .any(|m| !has_shape(self.schema(*m)) && !self.schema(*m).required.is_empty());
        let own = !schema.properties.is_empty()
            || schema.additional_properties != Additional::Unspecified
            || adds_required;
        match members.as_slice() {
            // Members that only document or validate: the schema's own keywords say it all.
            [] if !own => return self.own_shape(schema),
            [only] if !own => return Shape::Alias(*only),
            _ => {}
        }
        let shapes: Vec<Shape> = members.iter().map(|m| self.resolved_shape(*m)).collect();
        // `allOf` of scalars (a string, and a `$ref` to a string with a pattern) is the
        // scalar; an enum among them is the most precise.
        if !own && !shapes.is_empty() && shapes.iter().all(is_scalar_shape) {
            let kinds: Vec<Option<JsonType>> = shapes.iter().map(scalar_kind).collect();
            if kinds.windows(2).all(|pair| pair[0] == pair[1]) {
                let chosen = shapes
                    .iter()
                    .position(|shape| matches!(shape, Shape::Enum(_) | Shape::IntegerEnum(_)))
                    .unwrap_or(0);
                return Shape::Alias(members[chosen]);
            }
        }
        // One member is a union: each of its variants, merged with the other members.
        // A base that a discriminator makes stand for its extensions is, inside an
        // extension's `allOf`, only its own properties.
        let unions: Vec<usize> = shapes
            .iter()
            .enumerate()
            .filter(|(index, shape)| {
                matches!(shape, Shape::Union(_) | Shape::Tagged(_))
                    && !self.is_extended_base(members[*index])
            })
            .map(|(index, _)| index)
            .collect();
        if let [union_at] = unions.as_slice() {
            let shared: Vec<SchemaId> = members
                .iter()
                .enumerate()
                .filter(|(index, _)| index != union_at)
                .map(|(_, member)| *member)
                .collect();
            let own: Vec<SchemaId> = if own { vec![id] } else { Vec::new() };
            let inner: Vec<Member> = match &shapes[*union_at] {
                Shape::Union(variants) => variants.clone(),
                Shape::Tagged(tagged) => tagged
                    .variants
                    .iter()
                    .map(|(_, v)| Member::Schema(*v))
                    .collect(),
                _ => Vec::new(),
            };
            let mut variants = Vec::new();
            for variant in inner {
                match variant {
                    Member::Schema(member) => {
                        variants.push(self.merged_member(&shared, &own, member))
                    }
                    Member::Merged {
                        shared: more,
                        own: more_own,
                        member,
                    } => variants.push(Member::Merged {
                        shared: shared.iter().chain(&more).copied().collect(),
                        own: own.iter().chain(&more_own).copied().collect(),
                        member,
                    }),
                    // Scalars cannot take the other members' properties.
                    Member::Type(_) | Member::WholeNumber => {}
                    Member::Other => variants.push(Member::Other),
                }
            }
            if !variants.contains(&Member::Other) {
                variants.push(Member::Other);
            }
            return Shape::Union(variants);
        }
        match self.object_face(id) {
            Ok(object) => Shape::Object(object),
            Err(invalid) => invalid,
        }
    }

    /// The properties of a schema as an object (for merging it into another): its own,
    /// those of its `allOf` members, and those of the schema a `$ref` names. A schema with
    /// a discriminator contributes its own properties, not its variants.
    pub fn object_face(&self, id: SchemaId) -> Result<ObjectShape, Shape> {
        self.object_face_within(id, &mut Vec::new())
    }

    /// [`Self::object_face`] inside the merges of `visiting`, outermost first.
    fn object_face_within(
        &self,
        id: SchemaId,
        visiting: &mut Vec<SchemaId>,
    ) -> Result<ObjectShape, Shape> {
        let schema = self.schema(id);
        if visiting.len() > MAX_DEPTH {
            return Err(Shape::Invalid {
                pointer: schema.pointer.clone(),
                message: format!("`allOf` members nest more than {MAX_DEPTH} levels deep"),
                help: "name the members under `components/schemas` and merge fewer levels".into(),
            });
        }
        visiting.push(id);
        let face = self.merge_faces(id, schema, visiting);
        visiting.pop();
        face
    }

    fn merge_faces(
        &self,
        id: SchemaId,
        schema: &'d Schema,
        visiting: &mut Vec<SchemaId>,
    ) -> Result<ObjectShape, Shape> {
        // A member that leads back to a schema being merged would merge forever.
        let cycle = |member: SchemaId, site: String, visiting: &[SchemaId]| {
            let target = self.target(member).unwrap_or(member);
            visiting.contains(&target).then(|| Shape::Invalid {
                pointer: site,
                message: format!(
                    "`allOf` member `{}` includes the schema it is a member of",
                    self.schema(target).pointer
                ),
                help: "an `allOf` must not lead back to itself through `$ref`s; remove the `$ref` that closes the cycle".into(),
            })
        };
        let mut fields: Vec<FieldShape> = Vec::new();
        let mut required: Vec<String> = schema.required.clone();
        let merge = |fields: &mut Vec<FieldShape>, more: Vec<FieldShape>| {
            for field in more {
                // A later definition of a property wins; once required, it stays required.
                match fields.iter_mut().find(|f| f.wire_name == field.wire_name) {
                    Some(existing) => {
                        existing.schema = field.schema;
                        existing.required |= field.required;
                    }
                    None => fields.push(field),
                }
            }
        };
        if let Some(target) = schema.reference.as_ref().and_then(|r| r.target) {
            if let Some(invalid) = cycle(target, pointer::push(&schema.pointer, "$ref"), visiting) {
                return Err(invalid);
            }
            let face = self.object_face_within(target, visiting)?;
            merge(&mut fields, face.fields);
        }
        for (index, member) in schema.all_of.iter().enumerate() {
            let member_schema = self.schema(*member);
            if only_validates(self.doc, member_schema) {
                required.extend(member_schema.required.iter().cloned());
                continue;
            }
            let site = pointer::join(&schema.pointer, &["allOf", &index.to_string()]);
            if let Some(invalid) = cycle(*member, site, visiting) {
                return Err(invalid);
            }
            match self.object_face_within(*member, visiting) {
                Ok(face) => merge(&mut fields, face.fields),
                Err(invalid @ Shape::Invalid { .. }) if is_merge_error(&invalid) => {
                    return Err(invalid)
                }
                Err(_) => {
                    return Err(Shape::Invalid {
                        pointer: pointer::join(&schema.pointer, &["allOf", &index.to_string()]),
                        message: "`allOf` member is not an object schema".into(),
                        help: "only object schemas can be merged; use `oneOf` for alternatives"
                            .into(),
                    })
                }
            }
        }
        let own_is_object = !schema.properties.is_empty()
            || schema.allows(JsonType::Object) && schema.types.is_some()
            || !schema.all_of.is_empty()
            || schema.reference.is_some();
        if !own_is_object && schema.additional_properties == Additional::Unspecified {
            // A `$ref` to a non-object, an `allOf` of scalars: no properties to merge.
            match self.shape(id) {
                Shape::Map(_) | Shape::Any => {}
                Shape::Alias(target) => return self.object_face_within(target, visiting),
                Shape::Tagged(_) => {}
                _ => {
                    return Err(Shape::Invalid {
                        pointer: schema.pointer.clone(),
                        message: "not an object".into(),
                        help: String::new(),
                    })
                }
            }
        }
        let own: Vec<FieldShape> = schema
            .properties
            .iter()
            .map(|(name, property)| FieldShape {
                wire_name: name.clone(),
                schema: *property,
                required: false,
            })
            .collect();
        merge(&mut fields, own);
        for field in &mut fields {
            field.required |= required.contains(&field.wire_name);
        }
        Ok(ObjectShape {
            fields,
            // Within `allOf`, `additionalProperties: false` on a member speaks of that
            // member alone: only the schema's own word closes the merged object.
            extra: extra_of(schema.additional_properties),
        })
    }

    /// The object a merged union variant is: the shared parts, the own properties, then
    /// the member.
    pub fn merged_face(
        &self,
        shared: &[SchemaId],
        own: &[SchemaId],
        member: SchemaId,
    ) -> Result<ObjectShape, Shape> {
        let mut fields: Vec<FieldShape> = Vec::new();
        let mut faces = Vec::new();
        for part in shared {
            faces.push(self.object_face(*part)?);
        }
        faces.extend(own.iter().map(|part| self.own_properties(*part)));
        faces.push(self.object_face(member)?);
        for face in faces {
            for field in face.fields {
                match fields.iter_mut().find(|f| f.wire_name == field.wire_name) {
                    Some(existing) => {
                        existing.schema = field.schema;
                        existing.required |= field.required;
                    }
                    None => fields.push(field),
                }
            }
        }
        Ok(ObjectShape {
            fields,
            extra: Extra::Any,
        })
    }

    // -----------------------------------------------------------------------------------
    // Which JSON the generated types accept
    // -----------------------------------------------------------------------------------

    /// Why `value` does not fit the type generated for `id`, one line per problem; empty
    /// when it decodes and encodes back to the same JSON (numbers compared as numbers)
    /// and says nothing the schema forbids. Strict: properties a closed object does not
    /// list, values outside an `enum` and missing required properties count too.
    pub fn check(&self, id: SchemaId, value: &Value) -> Vec<String> {
        let mut problems = Vec::new();
        self.check_at(id, value, "", &mut problems, 0);
        problems
    }

    fn check_at(&self, id: SchemaId, value: &Value, at: &str, out: &mut Vec<String>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let Some(_inside) = self.enter(id, value) else {
            out.push("the schema leads back to itself for this value".to_string());
            return;
        };
        let place = || {
            if at.is_empty() {
                "the example".to_string()
            } else {
                format!("`{at}`")
            }
        };
        if value.is_null() {
            if !self.nullable(id) && !matches!(self.resolved_shape(id), Shape::Any | Shape::Null) {
                out.push(format!(
                    "{} is null but the schema is not nullable",
                    place()
                ));
            }
            return;
        }
        let expected = |kind: &str, out: &mut Vec<String>| {
            out.push(format!(
                "{} should be {kind}, found {}",
                place(),
                json_kind(value)
            ))
        };
        match self.shape(id) {
            Shape::Any => {}
            Shape::Null => expected("null", out),
            Shape::Invalid { .. } => {}
            Shape::Alias(target) => self.check_at(target, value, at, out, depth + 1),
            Shape::Boolean => {
                if !value.is_boolean() {
                    expected("a boolean", out);
                }
            }
            Shape::Integer(kind) => {
                if !kind.holds(value) {
                    match value {
                        Value::Number(_) if value.is_i64() || value.is_u64() => out.push(format!(
                            "{} is {value}, out of the range of the generated integer type",
                            place()
                        )),
                        _ => expected("an integer", out),
                    }
                }
            }
            Shape::Number(kind) => match value.as_f64() {
                Some(number) => {
                    if kind == NumberKind::F32 && f64::from(number as f32) != number {
                        out.push(format!(
                            "{} is {value}, which a 32-bit float (`format: float`) cannot hold exactly",
                            place()
                        ));
                    }
                }
                None => expected("a number", out),
            },
            Shape::String(kind) => {
                match value.as_str() {
                    Some(text) => {
                        if kind == StringKind::Base64 && !is_canonical_base64(text) {
                            out.push(format!("{} is not base64 text (`format: byte`) as the client writes it back", place()));
                        }
                    }
                    None => expected("a string", out),
                }
            }
            Shape::Enum(values) => match value.as_str() {
                Some(text) => {
                    if !values.iter().any(|v| v == text) {
                        out.push(format!(
                            "{} is `{text}`, not one of the enum values",
                            place()
                        ));
                    }
                }
                None => expected("a string", out),
            },
            Shape::IntegerEnum(values) => match value.as_i64() {
                Some(number) => {
                    if !values.contains(&number) {
                        out.push(format!(
                            "{} is {number}, not one of the enum values",
                            place()
                        ));
                    }
                }
                None => expected("an integer", out),
            },
            Shape::Array(items) => match value.as_array() {
                Some(list) => {
                    if let Some(items) = items {
                        for (index, item) in list.iter().enumerate() {
                            self.check_at(items, item, &format!("{at}[{index}]"), out, depth + 1);
                        }
                    }
                }
                None => expected("an array", out),
            },
            Shape::Tuple(items) => match value.as_array() {
                Some(list) if list.len() == items.len() => {
                    for (index, (item, schema)) in list.iter().zip(&items).enumerate() {
                        self.check_at(*schema, item, &format!("{at}[{index}]"), out, depth + 1);
                    }
                }
                Some(list) => out.push(format!(
                    "{} has {} items, but the tuple has {}",
                    place(),
                    list.len(),
                    items.len()
                )),
                None => expected("an array", out),
            },
            Shape::Map(values) => match value.as_object() {
                Some(map) => {
                    if let Some(values) = values {
                        for (key, item) in map {
                            self.check_at(values, item, &join_at(at, key), out, depth + 1);
                        }
                    }
                }
                None => expected("an object", out),
            },
            Shape::Object(object) => self.check_object(&object, value, at, out, depth),
            Shape::Union(members) => {
                let chosen = members
                    .iter()
                    .find(|m| self.member_decodes(m, value, depth));
                match chosen {
                    None => out.push(format!("{} matches none of the union's variants", place())),
                    Some(member) => {
                        let mut inner = Vec::new();
                        self.check_member(member, value, at, &mut inner, depth);
                        if let Some(first) = inner.first() {
                            out.push(format!(
                                "{} decodes as the union's variant {}, which does not fit it: {first}",
                                place(),
                                members.iter().position(|m| m == member).map_or(0, |i| i + 1)
                            ));
                        }
                    }
                }
            }
            Shape::Tagged(tagged) => match value.as_object() {
                Some(map) => match map.get(&tagged.property).and_then(Value::as_str) {
                    Some(tag) => match tagged.variants.iter().find(|(v, _)| v == tag) {
                        Some((_, variant)) => self.check_at(*variant, value, at, out, depth + 1),
                        None => out.push(format!(
                            "{} has `{}: {tag}`, which names no variant of the union",
                            place(),
                            tagged.property
                        )),
                    },
                    None => out.push(format!(
                        "{} lacks the string property `{}` that tells the variants apart",
                        place(),
                        tagged.property
                    )),
                },
                None => expected("an object", out),
            },
        }
    }

    fn check_object(
        &self,
        object: &ObjectShape,
        value: &Value,
        at: &str,
        out: &mut Vec<String>,
        depth: usize,
    ) {
        let Some(map) = value.as_object() else {
            let place = if at.is_empty() {
                "the example".to_string()
            } else {
                format!("`{at}`")
            };
            out.push(format!(
                "{place} should be an object, found {}",
                json_kind(value)
            ));
            return;
        };
        for field in &object.fields {
            match map.get(&field.wire_name) {
                None if field.required => {
                    let place = if at.is_empty() {
                        "the example".to_string()
                    } else {
                        format!("`{at}`")
                    };
                    out.push(format!(
                        "{place} lacks the required property `{}`",
                        field.wire_name
                    ));
                }
                None => {}
                Some(item) => self.check_at(
                    field.schema,
                    item,
                    &join_at(at, &field.wire_name),
                    out,
                    depth + 1,
                ),
            }
        }
        for (key, item) in map {
            if object.fields.iter().any(|f| &f.wire_name == key) {
                continue;
            }
            match object.extra {
                Extra::Any => {}
                Extra::Values(values) => {
                    self.check_at(values, item, &join_at(at, key), out, depth + 1)
                }
                Extra::Closed => out.push(format!(
                    "`{}` is not a property the schema lists",
                    join_at(at, key)
                )),
            }
        }
    }

    fn check_member(
        &self,
        member: &Member,
        value: &Value,
        at: &str,
        out: &mut Vec<String>,
        depth: usize,
    ) {
        match member {
            Member::Schema(id) => self.check_at(*id, value, at, out, depth + 1),
            Member::Merged {
                shared,
                own,
                member,
            } => match self.merged_face(shared, own, *member) {
                Ok(object) => self.check_object(&object, value, at, out, depth + 1),
                Err(_) => out.push("the variant has no object shape".into()),
            },
            Member::Type(kind) => {
                if !type_holds(*kind, value) {
                    out.push(format!(
                        "should be {}, found {}",
                        kind.name(),
                        json_kind(value)
                    ));
                }
            }
            Member::WholeNumber => {
                if !value.is_i64() {
                    out.push("should be a whole number".into());
                }
            }
            Member::Other => {}
        }
    }

    /// Notes that `id` is being checked against `value` until the guard drops; `None` when
    /// it already is.
    fn enter(&self, id: SchemaId, value: &Value) -> Option<Inside<'_>> {
        let key = (id, value as *const Value as usize);
        let mut checking = self.checking.borrow_mut();
        if checking.contains(&key) {
            return None;
        }
        checking.push(key);
        Some(Inside(&self.checking))
    }

    /// Whether the generated type of `id` decodes `value` at all (serde's leniency:
    /// unlisted properties and enum values are kept or ignored, never an error).
    pub fn decodes(&self, id: SchemaId, value: &Value) -> bool {
        self.decodes_within(id, value, 0)
    }

    fn decodes_within(&self, id: SchemaId, value: &Value, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return true;
        }
        let Some(_inside) = self.enter(id, value) else {
            return false;
        };
        if value.is_null() && self.nullable(id) {
            return true;
        }
        match self.shape(id) {
            Shape::Any | Shape::Invalid { .. } => true,
            Shape::Null => value.is_null(),
            Shape::Alias(target) => self.decodes_within(target, value, depth + 1),
            Shape::Boolean => value.is_boolean(),
            Shape::Integer(kind) => kind.holds(value),
            Shape::IntegerEnum(_) => value.is_i64(),
            Shape::Number(_) => value.is_number(),
            Shape::String(kind) => value
                .as_str()
                .is_some_and(|text| kind != StringKind::Base64 || is_canonical_base64(text)),
            Shape::Enum(_) => value.is_string(),
            Shape::Array(items) => value.as_array().is_some_and(|list| {
                items.is_none_or(|items| {
                    list.iter()
                        .all(|item| self.decodes_within(items, item, depth + 1))
                })
            }),
            Shape::Tuple(items) => value.as_array().is_some_and(|list| {
                list.len() == items.len()
                    && list
                        .iter()
                        .zip(&items)
                        .all(|(item, schema)| self.decodes_within(*schema, item, depth + 1))
            }),
            Shape::Map(values) => value.as_object().is_some_and(|map| {
                values.is_none_or(|values| {
                    map.values()
                        .all(|item| self.decodes_within(values, item, depth + 1))
                })
            }),
            Shape::Object(object) => self.object_decodes(&object, value, depth),
            Shape::Union(members) => members.iter().any(|m| self.member_decodes(m, value, depth)),
            Shape::Tagged(tagged) => value.as_object().is_some_and(|map| {
                match map.get(&tagged.property).and_then(Value::as_str) {
                    Some(tag) => match tagged.variants.iter().find(|(v, _)| v == tag) {
                        Some((_, variant)) => self.decodes_within(*variant, value, depth + 1),
                        None => true,
                    },
                    None => true,
                }
            }),
        }
    }

    fn object_decodes(&self, object: &ObjectShape, value: &Value, depth: usize) -> bool {
        let Some(map) = value.as_object() else {
            return false;
        };
        object
            .fields
            .iter()
            .all(|field| match map.get(&field.wire_name) {
                None => !field.required || self.nullable(field.schema),
                Some(Value::Null) => {
                    !field.required
                        || self.nullable(field.schema)
                        || matches!(self.resolved_shape(field.schema), Shape::Any | Shape::Null)
                }
                Some(item) => self.decodes_within(field.schema, item, depth + 1),
            })
            && match object.extra {
                Extra::Values(values) => map
                    .iter()
                    .filter(|(key, _)| !object.fields.iter().any(|f| &f.wire_name == *key))
                    .all(|(_, item)| self.decodes_within(values, item, depth + 1)),
                _ => true,
            }
    }

    fn member_decodes(&self, member: &Member, value: &Value, depth: usize) -> bool {
        match member {
            Member::Schema(id) => self.decodes_within(*id, value, depth + 1),
            Member::Merged {
                shared,
                own,
                member,
            } => match self.merged_face(shared, own, *member) {
                Ok(object) => self.object_decodes(&object, value, depth + 1),
                Err(_) => false,
            },
            Member::Type(kind) => type_holds(*kind, value),
            Member::WholeNumber => value.is_i64(),
            Member::Other => true,
        }
    }
}

/// A check in progress; dropping it ends it.
struct Inside<'m>(&'m std::cell::RefCell<Vec<(SchemaId, usize)>>);

impl Drop for Inside<'_> {
    fn drop(&mut self) {
        self.0.borrow_mut().pop();
    }
}

/// Puts whole numbers before the first `number` member (serde_json keeps `100` and
/// `100.0` apart, and a whole number read into `f64` would go back as `100.0`), and ends
/// the union with a variant for what no member describes.
fn finish_union(members: &mut Vec<Member>, json_type: impl Fn(&Member) -> Option<JsonType>) {
    let has_integer = members
        .iter()
        .any(|m| json_type(m) == Some(JsonType::Integer) || *m == Member::WholeNumber);
    if !has_integer {
        if let Some(position) = members
            .iter()
            .position(|m| json_type(m) == Some(JsonType::Number))
        {
            members.insert(position, Member::WholeNumber);
        }
    }
    let has_any = members.iter().any(|m| json_type(m) == Some(JsonType::Null));
    if !has_any {
        members.push(Member::Other);
    }
}

/// No `type`: what the other keywords imply.
fn untyped_shape(schema: &Schema) -> Shape {
    if !schema.properties.is_empty()
        || schema.additional_properties != Additional::Unspecified
        || (!schema.required.is_empty() && schema.items.is_none())
    {
        return typed_shape(schema, JsonType::Object);
    }
    if schema.items.is_some() || !schema.prefix_items.is_empty() {
        return typed_shape(schema, JsonType::Array);
    }
    match schema.format.as_deref() {
        Some("binary") => Shape::String(StringKind::Binary),
        Some("byte") => Shape::String(StringKind::Base64),
        _ => Shape::Any,
    }
}

fn typed_shape(schema: &Schema, kind: JsonType) -> Shape {
    let format = schema.format.as_deref();
    match kind {
        JsonType::Null => Shape::Null,
        JsonType::Boolean => Shape::Boolean,
        JsonType::Integer => Shape::Integer(IntegerKind::of_format(format)),
        JsonType::Number => match format {
            Some("float") => Shape::Number(NumberKind::F32),
            _ => Shape::Number(NumberKind::F64),
        },
        JsonType::String => Shape::String(
            if format == Some("byte") || schema.content_encoding.as_deref() == Some("base64") {
                StringKind::Base64
            } else if format == Some("binary") {
                StringKind::Binary
            } else {
                StringKind::Plain
            },
        ),
        JsonType::Array => {
            if !schema.prefix_items.is_empty() {
                Shape::Tuple(schema.prefix_items.clone())
            } else {
                Shape::Array(schema.items)
            }
        }
        JsonType::Object => {
            if schema.properties.is_empty() {
                return match schema.additional_properties {
                    Additional::Schema(values) => Shape::Map(Some(values)),
                    _ => Shape::Map(None),
                };
            }
            Shape::Object(ObjectShape {
                fields: schema
                    .properties
                    .iter()
                    .map(|(name, property)| FieldShape {
                        wire_name: name.clone(),
                        schema: *property,
                        required: schema.required.contains(name),
                    })
                    .collect(),
                extra: extra_of(schema.additional_properties),
            })
        }
    }
}

fn is_scalar_shape(shape: &Shape) -> bool {
    matches!(
        shape,
        Shape::Boolean
            | Shape::Integer(_)
            | Shape::Number(_)
            | Shape::String(_)
            | Shape::Enum(_)
            | Shape::IntegerEnum(_)
    )
}

/// The JSON type of a scalar shape.
fn scalar_kind(shape: &Shape) -> Option<JsonType> {
    Some(match shape {
        Shape::Boolean => JsonType::Boolean,
        Shape::Integer(_) | Shape::IntegerEnum(_) => JsonType::Integer,
        Shape::Number(_) => JsonType::Number,
        Shape::String(_) | Shape::Enum(_) => JsonType::String,
        _ => return None,
    })
}

/// A problem found while merging, to pass on as it is (not one of a member's own shape).
fn is_merge_error(shape: &Shape) -> bool {
    matches!(shape, Shape::Invalid { message, .. } if message.starts_with("`allOf`"))
}

fn extra_of(additional: Additional) -> Extra {
    match additional {
        Additional::Unspecified | Additional::Any => Extra::Any,
        Additional::Forbidden => Extra::Closed,
        Additional::Schema(values) => Extra::Values(values),
    }
}

/// The shape of an `enum`: strings, or whole numbers; `None` for other values.
fn enum_shape(schema: &Schema, values: &[Value]) -> Option<Shape> {
    let non_null: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
    if non_null.is_empty() {
        return None;
    }
    let wants = |kind| schema.types.is_none() || schema.allows(kind);
    if wants(JsonType::String) && non_null.iter().all(|v| v.is_string()) {
        let mut strings: Vec<String> = Vec::new();
        for value in non_null {
            let text = value.as_str().unwrap_or_default().to_string();
            if !strings.contains(&text) {
                strings.push(text);
            }
        }
        return Some(Shape::Enum(strings));
    }
    if wants(JsonType::Integer) && non_null.iter().all(|v| v.is_i64()) {
        let mut numbers: Vec<i64> = Vec::new();
        for value in non_null {
            let number = value.as_i64().unwrap_or_default();
            if !numbers.contains(&number) {
                numbers.push(number);
            }
        }
        return Some(Shape::IntegerEnum(numbers));
    }
    None
}

fn type_holds(kind: JsonType, value: &Value) -> bool {
    match kind {
        JsonType::Null => value.is_null(),
        JsonType::Boolean => value.is_boolean(),
        JsonType::Integer => value.is_i64() || value.is_u64(),
        JsonType::Number => value.is_number(),
        JsonType::String => value.is_string(),
        JsonType::Array => value.is_array(),
        JsonType::Object => value.is_object(),
    }
}

fn join_at(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_string()
    } else {
        format!("{at}.{key}")
    }
}

pub(crate) fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a fractional number",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Whether `text` is standard, padded base64, exactly as the generated crate writes it.
pub(crate) fn is_canonical_base64(text: &str) -> bool {
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(4) {
        return false;
    }
    let symbol = |b: u8| b.is_ascii_alphanumeric() || b == b'+' || b == b'/';
    let padding = bytes.iter().rev().take_while(|b| **b == b'=').count();
    if padding > 2 || !bytes[..bytes.len() - padding].iter().all(|b| symbol(*b)) {
        return false;
    }
    // The bits after the last whole byte must be zero, or the text would not come back.
    let value = |b: u8| match b {
        b'A'..=b'Z' => b - b'A',
        b'a'..=b'z' => b - b'a' + 26,
        b'0'..=b'9' => b - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    match (padding, bytes.len().checked_sub(padding + 1)) {
        (1, Some(last)) => value(bytes[last]) & 0b11 == 0,
        (2, Some(last)) => value(bytes[last]) & 0b1111 == 0,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_base64() {
        assert!(is_canonical_base64("aGVsbG8="));
        assert!(is_canonical_base64(""));
        assert!(is_canonical_base64("aGk="));
        assert!(!is_canonical_base64("aGVsbG8"));
        assert!(!is_canonical_base64("aGVsbG9="));
        assert!(!is_canonical_base64("aGk_"));
    }
}
