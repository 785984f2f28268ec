//! An operation's `x-pagination` extension, checked against the finished types: where a
//! page's items are, and where the next page's position comes from and goes.
//!
//! ```yaml
//! x-pagination:
//!   items: contacts                     # the list in the response body (a dotted path)
//!   cursor:                             # request parameter or body field: response field
//!     startAfterId: meta.startAfterId
//!     startAfter: meta.startAfter       # `$last.sort` reads the last item instead
//!   # or  offset: skip                  (grows by the number of items received)
//!   # or  page: page, first-page: 1     (grows by one)
//!   # or  next-url: meta.nextPageUrl
//!   has-more: meta.hasMore              # optional: `false` ends
//!   total: total                        # optional: ends once this many items came
//! ```
//!
//! Datadog's dialect of the same extension (`limitParam`, `pageOffsetParam`, `pageParam`
//! counted from 0, `cursorParam` with `cursorPath`, `resultsPath`, the body itself being
//! the list without it) is read as the same schemes.
//!
//! Nothing is guessed: an operation without the extension gets no pagination.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::document::Document;
use crate::error::Diagnostic;
use crate::ir::{
    BodyKind, Model, ModelKind, Operation, PageField, PageScheme, PageTarget, Pagination,
    ParameterLocation, TypeRef,
};
use crate::names::{self, NameSet};

const EXTENSION: &str = "x-pagination";

/// Fills in the pagination of every operation that declares one, or says what is wrong.
pub(super) fn resolve(
    file: &Path,
    doc: &Document,
    models: &[Model],
    operations: &mut [Operation],
) -> Vec<Diagnostic> {
    let declared: BTreeMap<&str, &Value> = doc
        .paths
        .iter()
        .flat_map(|(_, item)| &item.operations)
        .filter_map(|operation| {
            let (_, value) = operation
                .extensions
                .iter()
                .find(|(key, _)| key == EXTENSION)?;
            Some((operation.pointer.as_str(), value))
        })
        .collect();
    if declared.is_empty() {
        return Vec::new();
    }
    let mut method_names = NameSet::with_reserved(names::reserved_methods());
    for op in operations.iter() {
        for name in [
            Some(&op.rust_name),
            Some(&op.request_fn),
            op.stream_fn.as_ref(),
            op.with_response_fn.as_ref(),
        ]
        .into_iter()
        .flatten()
        {
            method_names.claim(name);
        }
    }
    let types: BTreeMap<&str, &ModelKind> = models
        .iter()
        .map(|model| (model.rust_name.as_str(), &model.kind))
        .collect();
    let mut diagnostics = Vec::new();
    for op in operations.iter_mut() {
        let Some(value) = declared.get(op.pointer.as_str()) else {
            continue;
        };
        let pointer = crate::pointer::push(&op.pointer, EXTENSION);
        let checker = Checker { types: &types, op };
        match checker.pagination(value) {
            Ok(mut pagination) => {
                pagination.pages_fn =
                    method_names.claim(&names::snake(&format!("{} pages", op.rust_name), "pages"));
                pagination.items_fn =
                    method_names.claim(&names::snake(&format!("{} items", op.rust_name), "items"));
                op.pagination = Some(pagination);
            }
            Err((place, message, help)) => {
                let at = if place.is_empty() {
                    pointer.clone()
                } else {
                    crate::pointer::push(&pointer, place)
                };
                diagnostics.push(Diagnostic::new(file, at, message).help(help));
            }
        }
    }
    diagnostics
}

/// What is wrong: the key of the extension it is under, the message and the help.
type Problem = (&'static str, String, String);

struct Checker<'a> {
    types: &'a BTreeMap<&'a str, &'a ModelKind>,
    op: &'a Operation,
}

const FORM: &str = "x-pagination takes `items`, one of `cursor` (request name: response field), \
    `offset`, `page` or `next-url`, and optionally `has-more`, `total` and `first-page`";

impl Checker<'_> {
    fn pagination(&self, value: &Value) -> Result<Pagination, Problem> {
        let Value::Object(fields) = value else {
            return Err((
                "",
                "x-pagination is not an object".to_string(),
                FORM.to_string(),
            ));
        };
        let translated;
        let fields = match datadog(fields) {
            Some(fields) => {
                translated = fields;
                &translated
            }
            None => fields,
        };
        for key in fields.keys() {
            if ![
                "items",
                "cursor",
                "offset",
                "page",
                "next-url",
                "has-more",
                "total",
                "first-page",
            ]
            .contains(&key.as_str())
            {
                return Err((
                    "",
                    format!("x-pagination has an unknown key `{key}`"),
                    FORM.to_string(),
                ));
            }
        }
        let page_type = self.page_type()?;
        let text = |key: &'static str| -> Result<Option<&str>, Problem> {
            match fields.get(key) {
                None => Ok(None),
                Some(Value::String(text)) if !text.trim().is_empty() => Ok(Some(text.trim())),
                Some(_) => Err((
                    key,
                    format!("`{key}` is not a field path"),
                    "write it as dotted field names, e.g. `meta.nextCursor`".to_string(),
                )),
            }
        };
        // An empty path is the body itself.
        let items_path = match fields.get("items") {
            Some(Value::String(path)) => path.trim(),
            _ => {
                return Err((
                    "",
                    "x-pagination does not say where the items are".to_string(),
                    "add `items:` with the path of the list in the response body".to_string(),
                ))
            }
        };
        let list = self
            .type_at(&page_type, items_path)
            .map_err(|message| ("items", message, self.fix_help()))?;
        let item = match list {
            TypeRef::Vec(item) => *item,
            other => {
                return Err((
                    "items",
                    format!(
                        "`{items_path}` is not a list in the response (it is {})",
                        describe(&other)
                    ),
                    self.fix_help(),
                ))
            }
        };
        let field = |key: &'static str, path: &str| -> Result<PageField, Problem> {
            match path.strip_prefix("$last.") {
                Some(rest) => {
                    self.type_at(&item, rest)
                        .map_err(|message| (key, message, self.fix_help()))?;
                    Ok(PageField::LastItem(json_pointer(rest)))
                }
                None => {
                    self.type_at(&page_type, path)
                        .map_err(|message| (key, message, self.fix_help()))?;
                    Ok(PageField::Page(json_pointer(path)))
                }
            }
        };
        let schemes: Vec<&str> = ["cursor", "offset", "page", "next-url"]
            .into_iter()
            .filter(|key| fields.contains_key(*key))
            .collect();
        let scheme = match schemes.as_slice() {
            ["cursor"] => {
                let Some(Value::Object(pairs)) = fields.get("cursor") else {
                    return Err((
                        "cursor",
                        "`cursor` is not a map of request names to response fields".to_string(),
                        FORM.to_string(),
                    ));
                };
                if pairs.is_empty() {
                    return Err((
                        "cursor",
                        "`cursor` names no request parameter".to_string(),
                        FORM.to_string(),
                    ));
                }
                let mut pairs_out = Vec::new();
                for (name, path) in pairs {
                    let Some(path) = path.as_str() else {
                        return Err((
                            "cursor",
                            format!("the response field of `{name}` is not a path"),
                            FORM.to_string(),
                        ));
                    };
                    pairs_out.push((self.target("cursor", name)?, field("cursor", path.trim())?));
                }
                PageScheme::Cursor(pairs_out)
            }
            ["offset"] => {
                PageScheme::Offset(self.target("offset", text("offset")?.unwrap_or_default())?)
            }
            ["page"] => {
                let first = match fields.get("first-page") {
                    None => 1,
                    Some(value) => value.as_u64().ok_or_else(|| {
                        (
                            "first-page",
                            "`first-page` is not a whole number".to_string(),
                            "the number of the first page, e.g. 0 or 1".to_string(),
                        )
                    })?,
                };
                PageScheme::Page {
                    target: self.target("page", text("page")?.unwrap_or_default())?,
                    first,
                }
            }
            ["next-url"] => {
                PageScheme::NextUrl(field("next-url", text("next-url")?.unwrap_or_default())?)
            }
            [] => {
                return Err((
                    "",
                    "x-pagination says nothing about the next page".to_string(),
                    FORM.to_string(),
                ))
            }
            _ => {
                return Err((
                    "",
                    format!(
                        "x-pagination has more than one scheme: {}",
                        schemes.join(", ")
                    ),
                    "keep the one the API uses".to_string(),
                ))
            }
        };
        let optional = |key: &'static str| -> Result<Option<String>, Problem> {
            text(key)?
                .map(|path| {
                    self.type_at(&page_type, path)
                        .map_err(|message| (key, message, self.fix_help()))?;
                    Ok(json_pointer(path))
                })
                .transpose()
        };
        Ok(Pagination {
            pages_fn: String::new(),
            items_fn: String::new(),
            item,
            items: json_pointer(items_path),
            scheme,
            has_more: optional("has-more")?,
            total: optional("total")?,
        })
    }

    /// The type of the operation's one JSON success body.
    fn page_type(&self) -> Result<TypeRef, Problem> {
        let bodies: Vec<&TypeRef> = self
            .op
            .success
            .iter()
            .filter_map(|r| r.body.json())
            .collect();
        match (bodies.as_slice(), self.op.success.len()) {
            ([only], 1) => Ok((*only).clone()),
            _ => Err((
                "",
                format!(
                    "`{}` does not have one JSON success response, so its pages cannot be read",
                    self.op.rust_name
                ),
                "x-pagination applies to operations that answer a list as one JSON body"
                    .to_string(),
            )),
        }
    }

    /// Where a request carries `name`: a query parameter, or a field of the JSON body.
    fn target(&self, key: &'static str, name: &str) -> Result<PageTarget, Problem> {
        let query = self
            .op
            .parameters
            .iter()
            .any(|p| p.location == ParameterLocation::Query && p.wire_name == name);
        if query {
            return Ok(PageTarget::Query(name.to_string()));
        }
        let body = self
            .op
            .body
            .as_ref()
            .and_then(|body| body.contents.first())
            .and_then(|content| match &content.kind {
                BodyKind::Json(ty) => Some(ty.clone()),
                _ => None,
            });
        if let Some(ty) = body {
            if self.type_at(&ty, name).is_ok() {
                return Ok(PageTarget::Body(name.to_string()));
            }
        }
        Err((
            key,
            format!(
                "`{name}` is neither a query parameter of `{}` nor a field of its JSON body",
                self.op.rust_name
            ),
            "name the request parameter that takes the position".to_string(),
        ))
    }

    /// The type at a dotted path of fields from `ty`.
    fn type_at(&self, ty: &TypeRef, path: &str) -> Result<TypeRef, String> {
        let mut current = ty.clone();
        for segment in path.split('.').filter(|segment| !segment.is_empty()) {
            current = self.unwrap(current);
            let TypeRef::Named(name) = &current else {
                return Err(format!(
                    "`{path}`: `{segment}` is not a field of {}",
                    describe(&current)
                ));
            };
            let Some(ModelKind::Struct(shape)) = self.types.get(name.as_str()) else {
                return Err(format!(
                    "`{path}`: `{name}` has no fields, so `{segment}` is not one of them"
                ));
            };
            let Some(field) = shape.fields.iter().find(|f| f.wire_name == segment) else {
                return Err(format!(
                    "`{path}`: `{segment}` is not a documented field of `{name}`"
                ));
            };
            current = field.ty.clone();
        }
        Ok(self.unwrap(current))
    }

    /// Looks through boxes, options and aliases.
    fn unwrap(&self, ty: TypeRef) -> TypeRef {
        let mut ty = ty;
        for _ in 0..32 {
            ty = match ty {
                TypeRef::Box(inner) | TypeRef::Option(inner) => *inner,
                TypeRef::Named(name) => match self.types.get(name.as_str()) {
                    Some(ModelKind::Alias(aliased)) => aliased.clone(),
                    _ => return TypeRef::Named(name),
                },
                other => return other,
            };
        }
        ty
    }

    fn fix_help(&self) -> String {
        "fix the path, or document the field in the response schema (an overlay can add it)"
            .to_string()
    }
}

fn describe(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => format!("`{name}`"),
        TypeRef::Vec(_) => "a list".to_string(),
        TypeRef::Map(_) | TypeRef::JsonObject => "a map".to_string(),
        TypeRef::Json => "any JSON value".to_string(),
        _ => "a plain value".to_string(),
    }
}

/// Datadog's keys as this module's, when `fields` uses them.
fn datadog(fields: &serde_json::Map<String, Value>) -> Option<serde_json::Map<String, Value>> {
    const KEYS: &[&str] = &[
        "limitParam",
        "pageOffsetParam",
        "pageParam",
        "cursorParam",
        "cursorPath",
        "resultsPath",
    ];
    if !fields.keys().any(|key| KEYS.contains(&key.as_str())) {
        return None;
    }
    let mut out = serde_json::Map::new();
    let text = |key: &str| fields.get(key).cloned();
    out.insert(
        "items".to_string(),
        text("resultsPath").unwrap_or(Value::from("")),
    );
    if let Some(offset) = text("pageOffsetParam") {
        out.insert("offset".to_string(), offset);
    }
    if let Some(page) = text("pageParam") {
        out.insert("page".to_string(), page);
        out.insert("first-page".to_string(), Value::from(0));
    }
    if let (Some(Value::String(param)), Some(path)) = (text("cursorParam"), text("cursorPath")) {
        let mut cursor = serde_json::Map::new();
        cursor.insert(param, path);
        out.insert("cursor".to_string(), Value::Object(cursor));
    }
    for (key, value) in fields {
        if !KEYS.contains(&key.as_str()) {
            out.insert(key.clone(), value.clone());
        }
    }
    Some(out)
}

/// `meta.nextCursor` as the JSON pointer `/meta/nextCursor`; the empty path is the root.
fn json_pointer(path: &str) -> String {
    let tokens: Vec<&str> = path.split('.').filter(|token| !token.is_empty()).collect();
    crate::pointer::join("", &tokens)
}
