//! Decisions about the crate as a whole, from the finished IR: which runtime pieces and
//! reqwest features it needs (so that it carries no unused code and no unused dependency
//! feature), and the example in its documentation.

use crate::ir::{
    Api, BaseUrl, BodyKind, CredentialKind, Docs, Gate, KeyLocation, ModelKind, Operation,
    PageField, PageScheme, PageTarget, ParameterLocation, Piece, Presence, ResponseBody, Runtime,
    TypeRef, Usage,
};

/// The runtime pieces and reqwest features of the crate; with tag features, the gate of
/// each piece that only some of them need, and each feature's own reqwest features.
pub(super) fn decide(api: &mut Api) {
    let mut runtime = needs(api, &Unit::All);
    if !api.features.is_empty() {
        let always = needs(api, &Unit::Always);
        let units: Vec<(String, Runtime)> = api
            .features
            .iter()
            .map(|feature| {
                (
                    feature.name.clone(),
                    needs(api, &Unit::Feature(&feature.name)),
                )
            })
            .collect();
        for piece in &runtime.pieces {
            if always.pieces.contains(piece) {
                continue;
            }
            let features = units
                .iter()
                .filter(|(_, unit)| unit.pieces.contains(piece))
                .map(|(name, _)| name.clone())
                .collect();
            runtime.gates.insert(*piece, Gate { features });
        }
        for (feature, (_, unit)) in api.features.iter_mut().zip(&units) {
            feature.reqwest_features = unit
                .reqwest_features
                .iter()
                .filter(|f| !always.reqwest_features.contains(f))
                .copied()
                .collect();
        }
        runtime.reqwest_features = always.reqwest_features;
    }
    // A bearer token may come from a provider whichever operations are compiled (the
    // `Credentials` struct holds it), and the rate-limit headers are the API's; the
    // provider that renews OAuth tokens, webhook signatures and traces are the crate's
    // own optional features, each gated on the Cargo feature of its name.
    if api
        .credentials
        .iter()
        .any(|credential| credential.kind == CredentialKind::Bearer)
    {
        optional(&mut runtime, Piece::Oauth);
        runtime.pieces.insert(Piece::TokenProvider);
    }
    if !api.webhook_signatures.is_empty() {
        optional(&mut runtime, Piece::WebhookSignatures);
    }
    optional(&mut runtime, Piece::Tracing);
    if api.highlevel_rate_limit {
        runtime.pieces.insert(Piece::HighLevelRateLimit);
    }
    api.runtime = runtime;
}

/// Adds `piece`, compiled under the crate's Cargo feature of the same name.
fn optional(runtime: &mut Runtime, piece: Piece) {
    runtime.pieces.insert(piece);
    let gate = Gate {
        features: vec![piece.feature().to_string()],
    };
    runtime.gates.insert(piece, gate);
}

/// The runtime pieces a pagination scheme uses.
fn page_pieces(scheme: &PageScheme) -> Vec<Piece> {
    let target = |target: &PageTarget| match target {
        PageTarget::Query(_) => Piece::PageQuery,
        PageTarget::Body(_) => Piece::PageBody,
    };
    let field = |field: &PageField| match field {
        PageField::Page(_) => Piece::PageField,
        PageField::LastItem(_) => Piece::PageLastItem,
    };
    match scheme {
        PageScheme::Cursor(pairs) => std::iter::once(Piece::PageCursor)
            .chain(pairs.iter().flat_map(|(t, f)| [target(t), field(f)]))
            .collect(),
        PageScheme::Offset(t) => vec![Piece::PageOffset, target(t)],
        PageScheme::Page { target: t, .. } => vec![Piece::PageNumber, target(t)],
        PageScheme::NextUrl(f) => vec![Piece::PageNextUrl, field(f)],
    }
}

/// The part of the crate whose needs are counted: all of it, what is compiled whatever the
/// features, or what one feature compiles.
enum Unit<'a> {
    All,
    Always,
    Feature(&'a str),
}

impl Unit<'_> {
    fn admits(&self, gate: &Gate) -> bool {
        match self {
            Unit::All => true,
            Unit::Always => gate.is_always(),
            Unit::Feature(name) => gate.is_always() || gate.features.iter().any(|f| f == name),
        }
    }
}

fn needs(api: &Api, unit: &Unit) -> Runtime {
    let mut runtime = Runtime::default();
    let mut add = |piece: Piece| {
        runtime.pieces.insert(piece);
    };
    let operations = || api.operations.iter().filter(|op| unit.admits(&op.gate));
    for operation in operations() {
        add(Piece::Requests);
        for response in &operation.success {
            match &response.body {
                ResponseBody::Json(_) => add(Piece::DecodeJson),
                ResponseBody::Text => add(Piece::Text),
                ResponseBody::Upgrade => add(Piece::Upgrade),
                ResponseBody::Bytes | ResponseBody::Empty => {}
            }
        }
        for response in &operation.errors {
            match &response.body {
                ResponseBody::Json(_) => add(Piece::DecodeError),
                ResponseBody::Text => add(Piece::TextError),
                ResponseBody::Empty | ResponseBody::Bytes | ResponseBody::Upgrade => {
                    add(Piece::EmptyError)
                }
            }
        }
        if !operation.documents_429 {
            add(Piece::RateLimited);
        }
        let documents_default = operation
            .errors
            .iter()
            .any(|r| r.status == crate::ir::StatusMatch::Default);
        if !documents_default
            || operation.stream_fn.is_some()
            || operation
                .success
                .iter()
                .any(|r| r.body == ResponseBody::Upgrade)
        {
            add(Piece::UnexpectedStatus);
        }
        if operation.stream_fn.is_some() {
            add(Piece::Stream);
        }
        if let Some(pagination) = &operation.pagination {
            add(Piece::Pagination);
            for piece in page_pieces(&pagination.scheme) {
                add(piece);
            }
        }
        if !operation.security.is_empty() {
            add(Piece::SendsCredentials);
        }
        for parameter in &operation.parameters {
            add(match parameter.location {
                ParameterLocation::Path => Piece::Path,
                ParameterLocation::Query => Piece::Query,
                ParameterLocation::Header => Piece::Header,
                ParameterLocation::Cookie => Piece::CookieParams,
            });
        }
        for content in operation.body.iter().flat_map(|body| &body.contents) {
            match &content.kind {
                BodyKind::Form(_) => add(Piece::Form),
                BodyKind::Multipart(name) => {
                    if multipart_has_values(api, name) {
                        add(Piece::Multipart);
                    }
                }
                BodyKind::Json(_) | BodyKind::Text | BodyKind::Bytes | BodyKind::MultipartRaw => {}
            }
        }
    }
    // The `Credentials` struct holds secrets whichever operations are compiled.
    if !api.credentials.is_empty() {
        add(Piece::Credentials);
    }
    for credential in api.credentials.iter().filter(|c| unit.admits(&c.gate)) {
        match &credential.kind {
            CredentialKind::Bearer => add(Piece::Bearer),
            CredentialKind::Basic => add(Piece::BasicAuth),
            CredentialKind::ApiKey {
                location: KeyLocation::Header,
                ..
            } => add(Piece::SecretHeader),
            CredentialKind::ApiKey {
                location: KeyLocation::Cookie,
                ..
            } => add(Piece::CookieKey),
            CredentialKind::ApiKey {
                location: KeyLocation::Query,
                ..
            } => {}
        }
    }
    let models = || api.models.iter().filter(|model| unit.admits(&model.gate));
    for model in models() {
        if matches!(&model.kind, ModelKind::Struct(shape) if shape.wire_format)
            || matches!(model.kind, ModelKind::Union(_))
        {
            add(Piece::Derives);
        }
        if let ModelKind::Struct(shape) = &model.kind {
            if shape.wire_format
                && shape
                    .fields
                    .iter()
                    .any(|f| f.presence() == Presence::OptionalNullable)
            {
                add(Piece::Nullable);
            }
            if shape
                .fields
                .iter()
                .any(|f| holds(&f.ty, &|t| *t == TypeRef::File))
            {
                add(Piece::Files);
            }
        }
    }
    let operation_types = operations().flat_map(|op| {
        let bodies = op
            .body
            .iter()
            .flat_map(|body| &body.contents)
            .filter_map(|content| match &content.kind {
                BodyKind::Json(ty) | BodyKind::Form(ty) => Some(ty),
                _ => None,
            });
        let responses = op
            .success
            .iter()
            .chain(&op.errors)
            .filter_map(|response| response.body.json());
        let parameters = op.parameters.iter().map(|parameter| &parameter.ty);
        bodies.chain(responses).chain(parameters)
    });
    let webhook_types = api
        .webhooks
        .iter()
        .filter_map(|webhook| webhook.body.json());
    let mut every_type = models()
        .flat_map(|model| model.kind.member_types())
        .chain(operation_types)
        .chain(webhook_types);
    if every_type.any(|ty| holds(ty, &|t| *t == TypeRef::Base64)) {
        add(Piece::Base64);
    }
    let mut reqwest_features = Vec::new();
    let bodies = || operations().flat_map(|op| op.body.iter().flat_map(|body| &body.contents));
    if bodies().any(|content| matches!(content.kind, BodyKind::Form(_))) {
        reqwest_features.push("form");
    }
    if bodies().any(|content| {
        matches!(
            content.kind,
            BodyKind::Multipart(_) | BodyKind::MultipartRaw
        )
    }) {
        reqwest_features.push("multipart");
    }
    runtime.reqwest_features = reqwest_features;
    runtime
}

/// The models `client.rs` mentions by name: bodies, path parameters, parameter structs,
/// responses, sorted, each with the gate of the operations that mention it.
pub(super) fn client_models(api: &Api) -> Vec<(String, Gate)> {
    let mut out: std::collections::BTreeMap<String, Vec<&Gate>> = Default::default();
    for op in &api.operations {
        for name in super::features::operation_names(op) {
            out.entry(name).or_default().push(&op.gate);
        }
    }
    out.into_iter()
        .map(|(name, gates)| (name, Gate::any(gates)))
        .collect()
}

/// The models `webhooks.rs` mentions by name: the bodies it decodes, sorted.
pub(super) fn webhook_models(api: &Api) -> Vec<String> {
    let mut out = std::collections::BTreeSet::new();
    for ty in api
        .webhooks
        .iter()
        .filter_map(|webhook| webhook.body.json())
    {
        let mut named = Vec::new();
        super::finish::names_in(ty, &mut named);
        out.extend(named);
    }
    out.into_iter().collect()
}

/// Whether a multipart struct has fields other than files (sent through `add_value`).
fn multipart_has_values(api: &Api, name: &str) -> bool {
    api.models.iter().any(|model| {
        model.rust_name == name
            && matches!(&model.kind, ModelKind::Struct(shape)
                if shape.fields.iter().any(|f| !holds(&f.ty, &|t| *t == TypeRef::File)))
    })
}

/// Whether `pick` holds for `ty` or a type inside it.
fn holds(ty: &TypeRef, pick: &dyn Fn(&TypeRef) -> bool) -> bool {
    if pick(ty) {
        return true;
    }
    match ty {
        TypeRef::Vec(inner)
        | TypeRef::Map(inner)
        | TypeRef::Option(inner)
        | TypeRef::Box(inner) => holds(inner, pick),
        TypeRef::Tuple(items) => items.iter().any(|item| holds(item, pick)),
        _ => false,
    }
}

/// The crate documentation's example: a client made with placeholder credentials, and a
/// call of the first operation that can be written with literals.
pub(super) fn usage(api: &Api) -> Usage {
    let mut imports = vec!["Client".to_string()];
    let mut arguments = Vec::new();
    if let BaseUrl::Required { .. } = api.base_url {
        arguments.push("\"https://api.example.com\".parse()?".to_string());
    }
    match api.credentials.as_slice() {
        [] => {}
        [single] if !matches!(single.kind, CredentialKind::Basic) => {
            arguments.push("\"YOUR_CREDENTIAL\"".to_string())
        }
        several => {
            imports.push("Credentials".to_string());
            let setters: String = several
                .iter()
                .map(|credential| match credential.kind {
                    CredentialKind::Basic => {
                        format!(".{}(\"USER\", \"PASSWORD\")", credential.rust_name)
                    }
                    _ => format!(".{}(\"YOUR_CREDENTIAL\")", credential.rust_name),
                })
                .collect();
            arguments.push(format!("Credentials::new(){setters}"));
        }
    }
    let lines = vec![format!(
        "let client = Client::new({})?;",
        arguments.join(", ")
    )];
    // An operation that every build compiles, when there is one that can be written.
    let calls = || {
        api.operations
            .iter()
            .filter_map(|op| example_call(api, op).map(|call| (op, call)))
    };
    let chosen = calls()
        .find(|(op, _)| op.gate.is_always())
        .or_else(|| calls().next());
    let mut usage = Usage {
        imports,
        lines,
        ..Usage::default()
    };
    match chosen {
        Some((op, (call_imports, call))) => {
            usage.call_imports = call_imports;
            usage.call = call;
            usage.call_gate = op.gate.clone();
        }
        None => usage.lines.push("# let _ = client;".to_string()),
    }
    usage
}

/// A call of `op` written with literals, when one can be written: the names to import
/// and the lines of the example.
fn example_call(api: &Api, op: &Operation) -> Option<(Vec<String>, Vec<String>)> {
    if !op.parameters.is_empty()
        || op.doc.deprecated.is_some()
        || op.success.iter().any(|r| r.body == ResponseBody::Upgrade)
    {
        return None;
    }
    let mut imports = Vec::new();
    let mut lines = Vec::new();
    let call = match &op.body {
        None => format!("client.{}().await?", op.rust_name),
        Some(body) => {
            let [content] = body.contents.as_slice() else {
                return None;
            };
            let BodyKind::Json(TypeRef::Named(name)) = &content.kind else {
                return None;
            };
            let model = api.models.iter().find(|m| &m.rust_name == name)?;
            let ModelKind::Struct(shape) = &model.kind else {
                return None;
            };
            let mut arguments = Vec::new();
            for field in shape.fields.iter().filter(|f| f.required) {
                if field.presence() != Presence::Required || field.ty != TypeRef::String {
                    return None;
                }
                arguments.push(string_example(&field.doc).unwrap_or_else(|| "\"...\"".to_string()));
            }
            if shape.fields.iter().any(|f| f.deprecated && f.required) {
                return None;
            }
            let constructor = if arguments.is_empty() {
                format!("{name}::default()")
            } else {
                format!("{name}::new({})", arguments.join(", "))
            };
            imports.push(name.clone());
            let setter = shape.fields.iter().find_map(|field| {
                let example = string_example(&field.doc)?;
                let setter = field.setter.as_ref()?;
                (field.ty == TypeRef::String && !field.deprecated)
                    .then(|| format!("    .{setter}({example})"))
            });
            match setter {
                Some(setter) => {
                    lines.push(format!("let body = {constructor}"));
                    lines.push(format!("{setter};"));
                }
                None => lines.push(format!("let body = {constructor};")),
            }
            if body.required {
                format!("client.{}(&body).await?", op.rust_name)
            } else {
                format!("client.{}(Some(&body)).await?", op.rust_name)
            }
        }
    };
    lines.push(format!("let response = {call};"));
    lines.push("println!(\"{response:?}\");".to_string());
    Some((imports, lines))
}

fn string_example(doc: &Docs) -> Option<String> {
    let example = doc.example.as_deref()?;
    match serde_json::from_str::<serde_json::Value>(example).ok()? {
        serde_json::Value::String(text) => Some(format!("{text:?}")),
        _ => None,
    }
}
