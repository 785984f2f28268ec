//! Lowering of request bodies and the media types of bodies in general: what a media type
//! is in Rust (JSON of a type, text, bytes, a form, multipart parts), which of several the
//! client prefers (JSON first), and the struct of a multipart body's parts.

use super::Lowerer;
use crate::document::{MediaType, RequestBody, SchemaId};
use crate::ir::{self, BodyContent, BodyKind, Docs, Field, Model, ModelKind, Struct, TypeRef};
use crate::names::{self, NameSet};
use crate::shape::{Shape, StringKind};

/// What a media type carries, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MediaKind {
    Json,
    Text,
    Bytes,
    Form,
    Multipart,
    /// `*/*`: whatever the schema says.
    Any,
}

/// The media type without parameters, lowercase: `application/json; charset=utf-8` is
/// `application/json`.
pub(crate) fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

pub(crate) fn is_json(media_type: &str) -> bool {
    media_kind(media_type) == MediaKind::Json
}

pub(crate) fn media_kind(media_type: &str) -> MediaKind {
    let essence = essence(media_type);
    let (top, sub) = essence.split_once('/').unwrap_or((essence.as_str(), ""));
    match (top, sub) {
        ("*", "*") | ("application", "*") => MediaKind::Any,
        ("application", "json") | ("text", "json") => MediaKind::Json,
        (_, sub) if sub.ends_with("+json") || sub.ends_with("-json") => MediaKind::Json,
        ("application", "x-www-form-urlencoded") => MediaKind::Form,
        ("multipart", "form-data") => MediaKind::Multipart,
        ("text", _) => MediaKind::Text,
        (
            "application",
            "xml" | "yaml" | "x-yaml" | "javascript" | "x-ndjson" | "jsonl" | "x-jsonlines"
            | "graphql" | "sql",
        ) => MediaKind::Text,
        (_, sub) if sub.ends_with("+xml") || sub.ends_with("+yaml") => MediaKind::Text,
        _ => MediaKind::Bytes,
    }
}

impl<'a> Lowerer<'a> {
    /// What a media type with `schema` is read or sent as: JSON of a type unless the
    /// media type or the schema (`format: binary`) says text or bytes.
    pub(crate) fn content_kind(&self, media_type: &str, schema: Option<SchemaId>) -> MediaKind {
        let binary = schema.is_some_and(|schema| {
            matches!(
                self.meaning.resolved_shape(schema),
                Shape::String(StringKind::Binary)
            )
        });
        match media_kind(media_type) {
            MediaKind::Any | MediaKind::Json if binary => MediaKind::Bytes,
            MediaKind::Any => match schema.map(|schema| self.meaning.resolved_shape(schema)) {
                None => MediaKind::Bytes,
                Some(Shape::String(_)) => MediaKind::Text,
                Some(_) => MediaKind::Json,
            },
            MediaKind::Text if binary => MediaKind::Bytes,
            kind => kind,
        }
    }

    pub(super) fn request_body(
        &mut self,
        body: &'a RequestBody,
        type_stem: &str,
    ) -> Option<ir::RequestBody> {
        if body.content.is_empty() {
            return None;
        }
        let mut contents: Vec<BodyContent> = Vec::new();
        for media in &body.content {
            let Some(kind) = self.body_kind(media, type_stem) else {
                continue;
            };
            if contents.iter().any(|content| content.kind == kind) {
                // The same Rust body under another name (`text/json` beside `application/json`).
                continue;
            }
            contents.push(BodyContent {
                media_type: sent_media_type(&media.media_type, &kind),
                kind,
                variant: String::new(),
                from_impl: false,
            });
        }
        // JSON first: it is what the client prefers and what the method takes by default.
        contents.sort_by_key(|content| !matches!(content.kind, BodyKind::Json(_)));
        let choice =
            (contents.len() > 1).then(|| self.type_names.claim(&format!("{type_stem}Body")));
        let mut variant_names = NameSet::default();
        let mut argument_types: Vec<String> = Vec::new();
        for content in &mut contents {
            let media = essence(&content.media_type);
            let base =
                names::variant_name(media.strip_prefix("application/").unwrap_or(&media), "Body");
            content.variant = variant_names.claim(&base);
            let argument = argument_key(&content.kind);
            content.from_impl = !argument_types.contains(&argument);
            argument_types.push(argument);
        }
        if contents.is_empty() {
            return None;
        }
        Some(ir::RequestBody {
            required: body.required,
            doc: Docs {
                description: body.description.clone(),
                ..Docs::default()
            },
            contents,
            choice,
        })
    }

    /// Refuses what a media type says that the generated body would not follow.
    pub(super) fn check_media(&mut self, media: &MediaType) {
        if media.item_schema.is_some() {
            self.error(
                &crate::pointer::push(&media.pointer, "itemSchema"),
                "`itemSchema` (OpenAPI 3.2 sequential media types) is not supported yet",
                "describe the whole body with `schema`; a stream of items can then be read as text or bytes",
            );
        }
    }

    fn body_kind(&mut self, media: &'a MediaType, type_stem: &str) -> Option<BodyKind> {
        self.check_media(media);
        let hint = format!("{type_stem}Request");
        Some(match self.content_kind(&media.media_type, media.schema) {
            MediaKind::Json | MediaKind::Any => {
                let ty = match media.schema {
                    Some(schema) => {
                        let ty = self.schema_type(schema, &hint);
                        self.record_examples(None, &ty, schema, &media.examples);
                        ty
                    }
                    None => TypeRef::Json,
                };
                BodyKind::Json(ty)
            }
            MediaKind::Text => BodyKind::Text,
            MediaKind::Bytes => BodyKind::Bytes,
            MediaKind::Form => BodyKind::Form(match media.schema {
                Some(schema) => self.schema_type(schema, &hint),
                None => TypeRef::JsonObject,
            }),
            MediaKind::Multipart => match media
                .schema
                .and_then(|schema| self.multipart_struct(type_stem, schema))
            {
                Some(form) => BodyKind::Multipart(form),
                None => BodyKind::MultipartRaw,
            },
        })
    }

    /// The struct of a multipart body: `format: binary` properties become files, objects
    /// and lists JSON parts, the rest text parts. `None` when the schema lists no properties.
    fn multipart_struct(&mut self, type_stem: &str, schema: SchemaId) -> Option<String> {
        let Shape::Object(object) = self.meaning.resolved_shape(schema) else {
            return None;
        };
        if object.fields.is_empty() {
            return None;
        }
        let rust_name = self.type_names.claim(&format!("{type_stem}Form"));
        let mut field_names = NameSet::default();
        let mut fields = Vec::new();
        for field in &object.fields {
            let ty = match self.file_type(field.schema) {
                Some(file) => file,
                None => {
                    let hint = format!(
                        "{rust_name}{}",
                        names::pascal(&field.wire_name, "Field", "V")
                    );
                    self.schema_type(field.schema, &hint)
                }
            };
            let doc = self.schema_docs(field.schema);
            fields.push(Field {
                rust_name: field_names.claim(&names::snake(&field.wire_name, "field")),
                wire_name: field.wire_name.clone(),
                ty,
                required: field.required,
                nullable: false,
                deprecated: doc.deprecated.is_some(),
                read_only: false,
                write_only: false,
                doc,
                setter: None,
                null_setter: None,
            });
        }
        let pointer = self.doc.schema(schema).pointer.clone();
        self.models.push(Model {
            gate: Default::default(),
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
                multipart: true,
            }),
            pointer,
        });
        Some(rust_name)
    }

    /// The file type of a multipart field: a string with `format: binary` is a file, an
    /// array of those a list of files.
    fn file_type(&self, schema: SchemaId) -> Option<TypeRef> {
        match self.meaning.resolved_shape(schema) {
            Shape::String(StringKind::Binary) => Some(TypeRef::File),
            Shape::Array(Some(items)) => (self.file_type(items)? == TypeRef::File)
                .then(|| TypeRef::Vec(Box::new(TypeRef::File))),
            _ => None,
        }
    }
}

/// The `Content-Type` a body of `kind` is sent with: the media type as written, unless it
/// is a range (`*/*`, `image/*`), which names no type a body can have.
fn sent_media_type(media_type: &str, kind: &BodyKind) -> String {
    if !essence(media_type).contains('*') {
        return media_type.to_string();
    }
    match kind {
        BodyKind::Json(_) => "application/json",
        BodyKind::Text => "text/plain",
        BodyKind::Form(_) => "application/x-www-form-urlencoded",
        BodyKind::Multipart(_) | BodyKind::MultipartRaw => "multipart/form-data",
        BodyKind::Bytes => "application/octet-stream",
    }
    .to_string()
}

/// What a method takes for a body of this kind, to tell which kinds take the same Rust
/// value (only the first of those converts from it).
fn argument_key(kind: &BodyKind) -> String {
    match kind {
        BodyKind::Json(ty) | BodyKind::Form(ty) => format!("{ty:?}"),
        BodyKind::Text => "text".to_string(),
        BodyKind::Bytes => "bytes".to_string(),
        BodyKind::Multipart(name) => name.clone(),
        BodyKind::MultipartRaw => "form".to_string(),
    }
}
