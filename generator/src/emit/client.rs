//! Emits `client.rs`: the `Client`, and per operation a method, a request builder, a
//! response decoder and the enums of documented bodies. Building and decoding are plain
//! functions so that they can be used and tested without a network.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{docs, ident, type_tokens};
use crate::ir::{
    BodyEncoding,
    Api, Auth, Docs, ModelKind, Operation, ParameterLocation, PathSegment, Presence, Response,
    StatusMatch, TypeRef,
};

pub fn emit_client(api: &Api) -> TokenStream {
    let used_models = used_models(api);
    let model_use = (!used_models.is_empty()).then(|| {
        let names = used_models.iter().map(|name| ident(name));
        quote!(use crate::models::{#(#names),*};)
    });
    let core = emit_core(api);
    let operations = api.operations.iter().map(|op| emit_operation(api, op));
    let content_type = super::uses_encoding(api, BodyEncoding::Json).then(|| quote!(CONTENT_TYPE,));
    let form_use = super::uses_encoding(api, BodyEncoding::Form).then(|| quote!(use crate::form::form_pairs;));
    let authorization = api.uses_bearer.then(|| quote!(AUTHORIZATION,));
    let header_value =
        (api.uses_bearer || uses_header_parameters(api)).then(|| quote!(HeaderValue,));
    let decode_error = uses_decode_error(api).then(|| quote!(decode_error,));
    let decode_body = uses_decode_body(api).then(|| quote!(decode_body,));
    let uses_error_response = api
        .operations
        .iter()
        .any(|op| op.errors.iter().any(|r| r.ty.is_none()));
    let error_response = uses_error_response.then(|| quote!(ErrorResponse,));
    quote! {
        //! The HTTP client: one method per operation of the API.

        use reqwest::header::{HeaderMap, #header_value ACCEPT, #authorization #content_type};
        use reqwest::{Method, StatusCode, Url};

        use crate::error::{#decode_body #decode_error unexpected_status, Error, #error_response};
        #form_use
        #model_use

        #core
        #(#operations)*
    }
}

/// Whether some documented error response has a body (the client then needs `decode_error`).
pub fn uses_decode_error(api: &Api) -> bool {
    api.operations
        .iter()
        .any(|op| op.errors.iter().any(|r| r.ty.is_some()))
}

/// Whether some documented success response has a body (the client then needs `decode_body`).
pub fn uses_decode_body(api: &Api) -> bool {
    api.operations
        .iter()
        .any(|op| op.success.iter().any(|r| r.ty.is_some()))
}

fn uses_header_parameters(api: &Api) -> bool {
    api.operations.iter().any(|op| {
        op.parameters
            .iter()
            .any(|p| p.location == ParameterLocation::Header)
    })
}

/// Named types the client code mentions (bodies, parameters, responses).
fn used_models(api: &Api) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut add = |ty: &TypeRef| collect_named(ty, &mut out);
    for op in &api.operations {
        op.body.iter().for_each(|body| add(&body.ty));
        op.parameters
            .iter()
            .filter(|p| p.location == ParameterLocation::Path)
            .for_each(|p| add(&p.ty));
        op.success
            .iter()
            .chain(&op.errors)
            .filter_map(|r| r.ty.as_ref())
            .for_each(&mut add);
        if let Some(params) = &op.params_struct {
            add(&TypeRef::Named(params.clone()));
        }
    }
    out
}

fn collect_named(ty: &TypeRef, out: &mut BTreeSet<String>) {
    match ty {
        TypeRef::Named(name) => {
            out.insert(name.clone());
        }
        TypeRef::Vec(inner)
        | TypeRef::Map(inner)
        | TypeRef::Option(inner)
        | TypeRef::Box(inner) => collect_named(inner, out),
        _ => {}
    }
}

fn emit_core(api: &Api) -> TokenStream {
    let default_server = api
        .default_server
        .as_deref()
        .filter(|url| url.starts_with("https://") || url.starts_with("http://"));
    let title = format!(" A client for {}.", api.title);
    let token_field = api.uses_bearer.then(|| quote!(token: String,));
    let token_debug = api
        .uses_bearer
        .then(|| quote!(.field("token", &"<redacted>")));
    let token_param = api.uses_bearer.then(|| quote!(token: impl Into<String>,));
    let token_arg = api.uses_bearer.then(|| quote!(token,));
    let token_init = api.uses_bearer.then(|| quote!(token: token.into(),));
    let clone_doc = if api.uses_bearer {
        " Cheap to clone: clones share one connection pool. Its `Debug` output never shows the token."
    } else {
        " Cheap to clone: clones share one connection pool."
    };
    let token_doc = if api.uses_bearer {
        " that authenticates with the bearer `token`"
    } else {
        ""
    };

    // `Client::new()` without arguments: clippy (and users) expect `Default` too.
    let default_impl = (default_server.is_some() && !api.uses_bearer).then(|| {
        quote! {
            impl Default for Client {
                /// The same as [`Client::new`].
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    let (constant, new_fns) = match default_server {
        Some(url) => {
            let new_doc = format!(" Creates a client for [`DEFAULT_BASE_URL`]{token_doc}.");
            let with_doc = format!(
                " Creates a client for [`DEFAULT_BASE_URL`]{token_doc}, sending through `http`."
            );
            (
                quote! {
                    /// The API's server, where a new [`Client`] sends its requests.
                    pub const DEFAULT_BASE_URL: &str = #url;
                },
                quote! {
                    #[doc = #new_doc]
                    ///
                    /// # Panics
                    ///
                    /// When reqwest cannot initialise its TLS backend; [`Client::with_http_client`]
                    /// takes a `reqwest::Client` you built yourself instead.
                    pub fn new(#token_param) -> Self {
                        Self::with_http_client(#token_arg reqwest::Client::new())
                    }

                    #[doc = #with_doc]
                    ///
                    /// Use it to set timeouts, proxies or connection limits on the `reqwest::Client`.
                    pub fn with_http_client(#token_param http: reqwest::Client) -> Self {
                        let base_url = Url::parse(DEFAULT_BASE_URL).expect("the server URL of the API description is valid");
                        Client { http, base_url, #token_init }
                    }
                },
            )
        }
        None => (
            quote!(),
            quote! {
                /// Creates a client for the server at `base_url`.
                pub fn new(base_url: Url, #token_param) -> Self {
                    Self::with_http_client(base_url, #token_arg reqwest::Client::new())
                }

                /// Creates a client for the server at `base_url`, sending through `http`.
                pub fn with_http_client(base_url: Url, #token_param http: reqwest::Client) -> Self {
                    Client { http, base_url, #token_init }
                }
            },
        ),
    };
    let authorization = api.uses_bearer.then(|| {
        quote! {
            /// The `Authorization` header, marked sensitive so that it is never logged.
            fn authorization<E>(&self) -> Result<HeaderValue, Error<E>> {
                let mut value = HeaderValue::from_str(&format!("Bearer {}", self.token)).map_err(|_| {
                    Error::InvalidRequest("the bearer token contains characters that cannot appear in an HTTP header".to_string())
                })?;
                value.set_sensitive(true);
                Ok(value)
            }
        }
    });
    let header_value = uses_header_parameters(api).then(|| {
        quote! {
            fn header_value<E>(name: &str, value: &str) -> Result<HeaderValue, Error<E>> {
                HeaderValue::from_str(value)
                    .map_err(|_| Error::InvalidRequest(format!("the value of header `{name}` cannot appear in an HTTP header")))
            }
        }
    });
    quote! {
        #constant

        #[doc = #title]
        ///
        #[doc = #clone_doc]
        #[derive(Clone)]
        pub struct Client {
            http: reqwest::Client,
            base_url: Url,
            #token_field
        }

        impl std::fmt::Debug for Client {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct("Client").field("base_url", &self.base_url.as_str()) #token_debug .finish_non_exhaustive()
            }
        }

        impl Client {
            #new_fns

            /// Sends requests to `base_url` instead (a sandbox, a proxy, a test server).
            #[must_use]
            pub fn with_base_url(mut self, base_url: Url) -> Self {
                self.base_url = base_url;
                self
            }

            /// Where requests are sent.
            pub fn base_url(&self) -> &Url {
                &self.base_url
            }

            /// The base URL with `segments` appended, each percent-encoded.
            fn url<E>(&self, segments: &[&str]) -> Result<Url, Error<E>> {
                let mut url = self.base_url.clone();
                url.path_segments_mut()
                    .map_err(|()| Error::InvalidRequest(format!("the base URL `{}` cannot have a path", self.base_url)))?
                    .pop_if_empty()
                    .extend(segments);
                Ok(url)
            }

            #authorization

            async fn send<E>(&self, request: reqwest::Request) -> Result<(StatusCode, HeaderMap, Vec<u8>), Error<E>> {
                let response = self.http.execute(request).await.map_err(Error::Transport)?;
                let status = response.status();
                let headers = response.headers().clone();
                let body = response.bytes().await.map_err(Error::Transport)?;
                Ok((status, headers, body.to_vec()))
            }
        }

        #default_impl

        #header_value
    }
}

fn success_type(op: &Operation) -> TokenStream {
    match (&op.success_enum, op.success.as_slice()) {
        (Some(name), _) => {
            let name = ident(name);
            quote!(#name)
        }
        (None, [response]) => response
            .ty
            .as_ref()
            .map(type_tokens)
            .unwrap_or_else(|| quote!(())),
        (None, _) => quote!(()),
    }
}

/// Arguments of the method and the request builder, and the names to pass them on.
fn arguments(op: &Operation) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let mut params = Vec::new();
    let mut names = Vec::new();
    for parameter in op
        .parameters
        .iter()
        .filter(|p| p.location == ParameterLocation::Path)
    {
        let name = ident(&parameter.rust_name);
        let ty = match &parameter.ty {
            TypeRef::String => quote!(&str),
            scalar
            @ (TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64) => {
                type_tokens(scalar)
            }
            other => {
                let ty = type_tokens(other);
                quote!(&#ty)
            }
        };
        params.push(quote!(#name: #ty));
        names.push(quote!(#name));
    }
    if let Some(struct_name) = &op.params_struct {
        let ty = ident(struct_name);
        params.push(quote!(params: &#ty));
        names.push(quote!(params));
    }
    if let Some(body) = &op.body {
        params.push(super::bodies::argument(body));
        names.push(quote!(body));
    }
    (params, names)
}

fn emit_operation(api: &Api, op: &Operation) -> TokenStream {
    let method_name = ident(&op.rust_name);
    let request_fn = ident(&op.request_fn);
    let decode_fn = ident(&op.decode_fn);
    let error_enum = ident(&op.error_enum);
    let success = success_type(op);
    let (params, names) = arguments(op);
    let errors_doc = errors_doc(op);
    let doc = docs::attrs(&op.doc, &[errors_doc]);
    let request_doc = format!(
        " Builds the request that [`Client::{}`] sends, without sending it.",
        op.rust_name
    );
    let decode_doc = format!(
        " Decodes a response to [`Client::{}`]; the status code alone decides how the body is read.",
        op.rust_name
    );
    let request_body = emit_request(api, op);
    let decode_body = emit_decode(op);
    let enums = emit_body_enums(op);
    quote! {
        impl Client {
            #doc
            pub async fn #method_name(&self, #(#params),*) -> Result<#success, Error<#error_enum>> {
                let request = self.#request_fn(#(#names),*)?;
                let (status, headers, body) = self.send(request).await?;
                #decode_fn(status, headers, &body)
            }

            #[doc = #request_doc]
            ///
            /// # Errors
            ///
            /// [`Error::InvalidRequest`] when a value cannot be written into the URL or a header.
            pub fn #request_fn(&self, #(#params),*) -> Result<reqwest::Request, Error<#error_enum>> {
                #request_body
            }
        }

        #[doc = #decode_doc]
        ///
        /// # Errors
        ///
        /// [`Error::Api`] for a documented error status, [`Error::UnexpectedStatus`] for any
        /// other status that is not a documented success, [`Error::Decode`] when the body does
        /// not match the type documented for its status.
        pub fn #decode_fn(status: StatusCode, headers: HeaderMap, body: &[u8]) -> Result<#success, Error<#error_enum>> {
            #decode_body
        }

        #enums
    }
}

fn errors_doc(op: &Operation) -> String {
    let mut text = "# Errors\n\n".to_string();
    if op.errors.is_empty() {
        text.push_str("The API documents no error responses for this operation: ");
    } else {
        let statuses = op
            .errors
            .iter()
            .map(|r| status_label(r.status))
            .collect::<Vec<_>>()
            .join(", ");
        text.push_str(&format!(
            "[`Error::Api`] with a [`{}`] for status {statuses}; ",
            op.error_enum
        ));
    }
    text.push_str(
        "[`Error::UnexpectedStatus`] for any other status, [`Error::Decode`] when a body does not \
         match its documented type, [`Error::Transport`] when the request fails on the way.",
    );
    text
}

fn status_label(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => code.to_string(),
        StatusMatch::Range(range) => format!("{range}XX"),
        StatusMatch::Default => "any other".to_string(),
    }
}

fn emit_request(api: &Api, op: &Operation) -> TokenStream {
    let segments = url_segments(op);
    let method = format_ident!("{}", op.method);
    let query = emit_query(op);
    let url_mut = (!query.is_empty()).then(|| quote!(mut));
    let constant_headers = op
        .constant_headers
        .iter()
        .map(|(name, value)| quote!(.header(#name, #value)));
    let auth = match (&op.auth, api.uses_bearer) {
        (Auth::Bearer { .. }, true) => Some(quote!(.header(AUTHORIZATION, self.authorization()?))),
        _ => None,
    };
    let header_params = op.parameters.iter().filter(|p| p.location == ParameterLocation::Header).map(|parameter| {
        let field = ident(&parameter.rust_name);
        let wire = &parameter.wire_name;
        if parameter.required {
            quote! { request = request.header(#wire, header_value(#wire, &params.#field.to_string())?); }
        } else {
            quote! {
                if let Some(value) = &params.#field {
                    request = request.header(#wire, header_value(#wire, &value.to_string())?);
                }
            }
        }
    });
    let header_params: Vec<TokenStream> = header_params.collect();
    let body = op.body.as_ref().map(|body| super::bodies::encode(api, body));
    let request_mut = (!header_params.is_empty() || body.is_some()).then(|| quote!(mut));
    quote! {
        let #url_mut url = self.url(&[#(#segments),*])?;
        #query
        let #request_mut request = self
            .http
            .request(Method::#method, url)
            .header(ACCEPT, "application/json")
            #(#constant_headers)*
            #auth;
        #(#header_params)*
        #body
        request.build().map_err(Error::Transport)
    }
}

/// One expression per path segment: a literal, or the parameters written into it.
fn url_segments(op: &Operation) -> Vec<TokenStream> {
    // Pieces of each `/`-separated segment, in order.
    let mut grouped: Vec<Vec<PathSegment>> = vec![Vec::new()];
    for piece in &op.path_segments {
        match piece {
            PathSegment::Literal(text) => {
                for (index, part) in text.split('/').enumerate() {
                    if index > 0 {
                        grouped.push(Vec::new());
                    }
                    if !part.is_empty() {
                        grouped
                            .last_mut()
                            .into_iter()
                            .for_each(|group| group.push(PathSegment::Literal(part.to_string())));
                    }
                }
            }
            PathSegment::Parameter(_) => grouped
                .last_mut()
                .into_iter()
                .for_each(|group| group.push(piece.clone())),
        }
    }
    // A template starts with `/`: the first group is the nothing before it.
    let skip = usize::from(op.path.starts_with('/'));
    grouped
        .into_iter()
        .skip(skip)
        .map(|pieces| match pieces.as_slice() {
            [] => quote!(""),
            [PathSegment::Literal(text)] => quote!(#text),
            [PathSegment::Parameter(index)] => path_argument_text(op, *index),
            _ => {
                let mut format = String::new();
                let mut args = Vec::new();
                for piece in &pieces {
                    match piece {
                        PathSegment::Literal(text) => {
                            format.push_str(&text.replace('{', "{{").replace('}', "}}"))
                        }
                        PathSegment::Parameter(index) => {
                            format.push_str("{}");
                            args.push(ident(&op.parameters[*index].rust_name));
                        }
                    }
                }
                quote!(&format!(#format, #(#args),*))
            }
        })
        .collect()
}

fn path_argument_text(op: &Operation, index: usize) -> TokenStream {
    let parameter = &op.parameters[index];
    let name = ident(&parameter.rust_name);
    match &parameter.ty {
        TypeRef::String => quote!(#name),
        TypeRef::Vec(_) => {
            quote!(&#name.iter().map(ToString::to_string).collect::<Vec<_>>().join(","))
        }
        _ => quote!(&#name.to_string()),
    }
}

fn emit_query(op: &Operation) -> TokenStream {
    let query: Vec<_> = op
        .parameters
        .iter()
        .filter(|p| p.location == ParameterLocation::Query)
        .collect();
    if query.is_empty() {
        return quote!();
    }
    let mut initial = Vec::new();
    let mut later = Vec::new();
    for parameter in query {
        let field = ident(&parameter.rust_name);
        let wire = &parameter.wire_name;
        match (&parameter.ty, parameter.required) {
            (TypeRef::Vec(_), true) => later.push(quote! {
                query.extend(params.#field.iter().map(|value| (#wire, value.to_string())));
            }),
            (TypeRef::Vec(_), false) => later.push(quote! {
                if let Some(values) = &params.#field {
                    query.extend(values.iter().map(|value| (#wire, value.to_string())));
                }
            }),
            (_, true) => initial.push(quote!((#wire, params.#field.to_string()))),
            (_, false) => later.push(quote! {
                if let Some(value) = &params.#field {
                    query.push((#wire, value.to_string()));
                }
            }),
        }
    }
    let query_mut = (!later.is_empty()).then(|| quote!(mut));
    quote! {
        let #query_mut query: Vec<(&str, String)> = vec![#(#initial),*];
        #(#later)*
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
    }
}

fn emit_decode(op: &Operation) -> TokenStream {
    let error_enum = ident(&op.error_enum);
    let mut arms = Vec::new();
    let mut ranges = Vec::new();
    let mut fallback = quote!(_ => Err(unexpected_status(status, headers, body)),);
    for response in &op.success {
        let value = match (&op.success_enum, &response.ty) {
            (Some(name), Some(_)) => {
                let name = ident(name);
                let variant = ident(&response.variant);
                quote!(decode_body(status, headers, body).map(#name::#variant))
            }
            (Some(name), None) => {
                let name = ident(name);
                let variant = ident(&response.variant);
                quote!(Ok(#name::#variant))
            }
            (None, Some(_)) => quote!(decode_body(status, headers, body)),
            (None, None) => quote!(Ok(())),
        };
        push_arm(
            response.status,
            value,
            &mut arms,
            &mut ranges,
            &mut fallback,
        );
    }
    for response in &op.errors {
        let variant = ident(&response.variant);
        let value = match &response.ty {
            Some(_) => quote!(Err(decode_error(status, headers, body, #error_enum::#variant))),
            None => {
                quote!(Err(Error::Api(Box::new(ErrorResponse { status, headers, body: #error_enum::#variant }))))
            }
        };
        push_arm(
            response.status,
            value,
            &mut arms,
            &mut ranges,
            &mut fallback,
        );
    }
    quote! {
        match status.as_u16() {
            #(#arms)*
            #(#ranges)*
            #fallback
        }
    }
}

fn push_arm(
    status: StatusMatch,
    value: TokenStream,
    arms: &mut Vec<TokenStream>,
    ranges: &mut Vec<TokenStream>,
    fallback: &mut TokenStream,
) {
    match status {
        StatusMatch::Code(code) => {
            let code = proc_macro2::Literal::u16_unsuffixed(code);
            arms.push(quote!(#code => #value,));
        }
        StatusMatch::Range(range) => {
            let low = proc_macro2::Literal::u16_unsuffixed(range * 100);
            let high = proc_macro2::Literal::u16_unsuffixed(range * 100 + 99);
            ranges.push(quote!(#low..=#high => #value,));
        }
        StatusMatch::Default => *fallback = quote!(_ => #value,),
    }
}

fn emit_body_enums(op: &Operation) -> TokenStream {
    let method = &op.rust_name;
    let error_doc = if op.errors.is_empty() {
        format!(
            " [`Client::{method}`] has no documented error responses, so this enum has no values."
        )
    } else {
        format!(" Documented error bodies of [`Client::{method}`], one variant per status.")
    };
    let error_enum = ident(&op.error_enum);
    let error_variants = op.errors.iter().map(response_variant);
    let success_enum = op.success_enum.as_ref().map(|name| {
        let name = ident(name);
        let doc =
            format!(" Documented success bodies of [`Client::{method}`], one variant per status.");
        let variants = op.success.iter().map(response_variant);
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, PartialEq)]
            pub enum #name {
                #(#variants)*
            }
        }
    });
    quote! {
        #[doc = #error_doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #error_enum {
            #(#error_variants)*
        }
        #success_enum
    }
}

fn response_variant(response: &Response) -> TokenStream {
    let variant = ident(&response.variant);
    let label = status_label(response.status);
    let summary = match &response.doc.description {
        Some(description) => format!("Status {label}: {description}"),
        None => format!("Status {label}."),
    };
    let doc = docs::attrs(
        &Docs {
            summary: Some(summary),
            ..Docs::default()
        },
        &[],
    );
    match &response.ty {
        Some(ty) => {
            let ty = type_tokens(ty);
            quote!(#doc #variant(#ty),)
        }
        None => quote!(#doc #variant,),
    }
}

/// For the crate docs: a call of `op` written with literals, when one can be written.
/// Returns the names to import and the lines of the example.
pub fn example_call(api: &Api, op: &Operation) -> Option<(Vec<String>, Vec<String>)> {
    if !op.parameters.is_empty() {
        return None;
    }
    let mut imports = vec!["Client".to_string()];
    let mut lines = Vec::new();
    let call = match &op.body {
        None => format!("client.{}().await?", op.rust_name),
        Some(body) => {
            let TypeRef::Named(name) = &body.ty else {
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
            let constructor = if arguments.is_empty() {
                format!("{name}::default()")
            } else {
                format!("{name}::new({})", arguments.join(", "))
            };
            imports.push(name.clone());
            let setter = shape.fields.iter().find_map(|field| {
                let example = string_example(&field.doc)?;
                let setter = field.setter.as_ref()?;
                (field.ty == TypeRef::String).then(|| format!("    .{setter}({example})"))
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
