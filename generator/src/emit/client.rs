//! Emits `client.rs`: the `Client`, and per operation a method, a request builder, a
//! response decoder and the enums of documented bodies. Building and decoding are plain
//! functions so that they can be used and tested without a network.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{docs, ident, type_tokens};
use crate::ir::{
    Api, Auth, BodyEncoding, Docs, ModelKind, Operation, ParameterLocation, PathSegment, Presence,
    Response, StatusMatch, TypeRef,
};

pub fn emit_client(api: &Api) -> TokenStream {
    let used_models = used_models(api);
    let model_use = (!used_models.is_empty()).then(|| {
        let names = used_models.iter().map(|name| ident(name));
        quote!(use crate::models::{#(#names),*};)
    });
    let core = emit_core(api);
    let operations = emit_operation_groups(api);
    let content_type = super::uses_encoding(api, BodyEncoding::Json).then(|| quote!(CONTENT_TYPE,));
    let form_use = super::uses_encoding(api, BodyEncoding::Form).then(|| {
        quote!(
            use crate::form::form_pairs;
        )
    });
    let authorization = api.uses_bearer.then(|| quote!(AUTHORIZATION,));
    let header_value =
        (api.uses_bearer || uses_header_parameters(api)).then(|| quote!(HeaderValue,));
    let decode_error = uses_decode_error(api).then(|| quote!(decode_error,));
    let decode_body = uses_decode_body(api).then(|| quote!(decode_body,));
    let rate_limited = uses_rate_limited(api).then(|| quote!(rate_limited,));
    let uses_error_response = api
        .operations
        .iter()
        .any(|op| op.errors.iter().any(|r| r.ty.is_none()));
    let error_response = uses_error_response.then(|| quote!(ErrorResponse,));
    quote! {
        //! The HTTP client: one method per operation of the API.

        use reqwest::header::{HeaderMap, #header_value ACCEPT, #authorization #content_type};
        use reqwest::{Method, StatusCode, Url};

        use crate::error::{#decode_body #decode_error invalid_request, #rate_limited unexpected_status, Error, #error_response};
        use crate::transport::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};
        #form_use
        #model_use

        #core
        #operations
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
    // Only a URL that parses for certain becomes the default: a server with variables
    // (`https://{region}.example.com`) would make `Client::new` fail at run time.
    let default_server = api.default_server.as_deref().filter(|url| {
        (url.starts_with("https://") || url.starts_with("http://"))
            && !url.contains(|c: char| c == '{' || c == '}' || c.is_whitespace())
    });
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
    let new_doc = match default_server {
        Some(_) => format!(" Creates a client for [`DEFAULT_BASE_URL`]{token_doc}."),
        None => format!(" Creates a client for the server at `base_url`{token_doc}."),
    };
    let with_doc = match default_server {
        Some(_) => format!(
            " Creates a client for [`DEFAULT_BASE_URL`]{token_doc}, sending through `http`."
        ),
        None => format!(
            " Creates a client for the server at `base_url`{token_doc}, sending through `http`."
        ),
    };
    let (constant, base_url_param, base_url_arg, base_url_init) = match default_server {
        Some(url) => (
            quote! {
                /// The API's server, where a new [`Client`] sends its requests.
                pub const DEFAULT_BASE_URL: &str = #url;
            },
            None,
            None,
            quote!(let base_url = Url::parse(DEFAULT_BASE_URL).expect("the server URL of the API description is valid");),
        ),
        None => (
            quote!(),
            Some(quote!(base_url: Url,)),
            Some(quote!(base_url,)),
            quote!(),
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
    // For instance `client.execute(client.create_contact_request(..)?, decode_create_contact)`.
    let execute_example = api.operations.first().map(|op| {
        let line = format!(
            " For instance: `client.execute(client.{}(..)?, {}).await?`.",
            op.request_fn, op.decode_fn
        );
        quote!(#[doc = ""] #[doc = #line])
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
            timeout: Option<std::time::Duration>,
            retry_policy: crate::transport::RetryPolicy,
            #token_field
        }

        impl std::fmt::Debug for Client {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct("Client")
                    .field("base_url", &self.base_url.as_str())
                    .field("timeout", &self.timeout)
                    .field("retry_policy", &self.retry_policy)
                    #token_debug
                    .finish_non_exhaustive()
            }
        }

        impl Client {
            #[doc = #new_doc]
            ///
            /// A connection gives up after [`DEFAULT_CONNECT_TIMEOUT`] and each attempt of a
            /// request after [`DEFAULT_TIMEOUT`] (see [`Client::with_timeout`]); no request is
            /// sent twice (see [`Client::with_retry_policy`]).
            ///
            /// # Errors
            ///
            /// When reqwest cannot set up its TLS backend, for instance when the platform's
            /// root certificates cannot be loaded. [`Client::with_http_client`] takes a
            /// `reqwest::Client` you built yourself instead.
            pub fn new(#base_url_param #token_param) -> Result<Self, reqwest::Error> {
                let http = reqwest::Client::builder().connect_timeout(DEFAULT_CONNECT_TIMEOUT).build()?;
                Ok(Self::with_http_client(#base_url_arg #token_arg http).with_timeout(DEFAULT_TIMEOUT))
            }

            #[doc = #with_doc]
            ///
            /// The settings of `http` (its timeouts, proxies, connection limits) apply as they
            /// are: this client adds no timeout of its own unless [`Client::with_timeout`] asks.
            pub fn with_http_client(#base_url_param #token_param http: reqwest::Client) -> Self {
                #base_url_init
                Client {
                    http,
                    base_url,
                    timeout: None,
                    retry_policy: crate::transport::RetryPolicy::never(),
                    #token_init
                }
            }

            /// Sends requests to `base_url` instead (a sandbox, a proxy, a test server).
            #[must_use]
            pub fn with_base_url(mut self, base_url: Url) -> Self {
                self.base_url = base_url;
                self
            }

            /// Gives each attempt of a request `timeout`, from connecting to the last byte of
            /// the answer, whatever the `reqwest::Client` says. A request that ran out of
            /// time ends in [`Error::Transport`]; whether it may have reached the server is
            /// in its `state`.
            #[must_use]
            pub fn with_timeout(mut self, timeout: std::time::Duration) -> Self {
                self.timeout = Some(timeout);
                self
            }

            /// Sends requests again when `policy` allows it (by default no request is sent
            /// twice). A policy never sends again a `POST` that may have reached the server,
            /// unless it says so; see [`RetryPolicy`](crate::RetryPolicy).
            #[must_use]
            pub fn with_retry_policy(mut self, policy: crate::transport::RetryPolicy) -> Self {
                self.retry_policy = policy;
                self
            }

            /// Where requests are sent.
            pub fn base_url(&self) -> &Url {
                &self.base_url
            }

            /// Sends `request` with this client's timeout and retry policy, and decodes the
            /// answer with `decode`: the way to read the status, the headers and the
            /// [`RateLimit`](crate::RateLimit) of a successful call, or to send a request
            /// that you changed after building it.
            #execute_example
            ///
            /// # Errors
            ///
            /// Those of `decode`, and [`Error::Transport`] when the request fails on the way.
            pub async fn execute<T, E, D>(&self, request: reqwest::Request, decode: D) -> Result<crate::response::SuccessResponse<T>, Error<E>>
            where
                D: FnOnce(StatusCode, HeaderMap, &[u8]) -> Result<T, Error<E>>,
            {
                let received = crate::transport::send(&self.http, &self.retry_policy, self.timeout, request).await?;
                let rate_limit = crate::response::RateLimit::from_headers(&received.headers);
                let body = decode(received.status, received.headers.clone(), &received.body)?;
                Ok(crate::response::SuccessResponse {
                    status: received.status,
                    headers: received.headers,
                    rate_limit,
                    attempts: received.attempts,
                    body,
                })
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
        }

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

fn emit_operation(api: &Api, op: &Operation) -> (TokenStream, TokenStream) {
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
    let decode_errors_doc = if documents_too_many_requests(op) {
        " [`Error::Api`] for a documented error status, [`Error::UnexpectedStatus`] for any \
         other status that is not a documented success, [`Error::Decode`] when the body does \
         not match the type documented for its status."
    } else {
        " [`Error::Api`] for a documented error status, [`Error::RateLimited`] for 429, \
         [`Error::UnexpectedStatus`] for any other status that is not a documented success, \
         [`Error::Decode`] when the body does not match the type documented for its status."
    };
    let request_body = emit_request(api, op);
    let decode_body = emit_decode(op);
    let enums = emit_body_enums(op);
    let methods = quote! {
        #doc
        pub async fn #method_name(&self, #(#params),*) -> Result<#success, Error<#error_enum>> {
            let request = self.#request_fn(#(#names),*)?;
            self.execute(request, #decode_fn).await.map(crate::response::SuccessResponse::into_body)
        }

        #[doc = #request_doc]
        ///
        /// [`Client::execute`] sends it with this client's timeout and retry policy.
        ///
        /// # Errors
        ///
        /// [`Error::InvalidRequest`] when a value cannot be written into the URL or a header.
        pub fn #request_fn(&self, #(#params),*) -> Result<reqwest::Request, Error<#error_enum>> {
            #request_body
        }
    };
    let items = quote! {
        #[doc = #decode_doc]
        ///
        /// # Errors
        ///
        #[doc = #decode_errors_doc]
        pub fn #decode_fn(status: StatusCode, headers: HeaderMap, body: &[u8]) -> Result<#success, Error<#error_enum>> {
            #decode_body
        }

        #enums
    };
    (methods, items)
}

/// The operations grouped by their first tag (tags in name order, untagged last), each
/// group one `impl Client` block followed by the group's decoders and body enums, so that
/// an API with many operations reads as a table of contents.
fn emit_operation_groups(api: &Api) -> TokenStream {
    let mut groups: std::collections::BTreeMap<(bool, &str), Vec<&Operation>> =
        std::collections::BTreeMap::new();
    for op in &api.operations {
        let key = match op.tags.first() {
            Some(tag) => (false, tag.as_str()),
            None => (true, ""),
        };
        groups.entry(key).or_default().push(op);
    }
    let blocks = groups.into_iter().map(|((untagged, tag), ops)| {
        let doc = if untagged {
            " Operations without a tag.".to_string()
        } else {
            format!(" Operations tagged `{tag}`.")
        };
        let (methods, items): (Vec<_>, Vec<_>) =
            ops.into_iter().map(|op| emit_operation(api, op)).unzip();
        quote! {
            #[doc = #doc]
            impl Client {
                #(#methods)*
            }

            #(#items)*
        }
    });
    quote!(#(#blocks)*)
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
    if !documents_too_many_requests(op) {
        text.push_str("[`Error::RateLimited`] for status 429 (too many requests); ");
    }
    text.push_str(
        "[`Error::UnexpectedStatus`] for any other status, [`Error::Decode`] when a body does not \
         match its documented type, [`Error::Transport`] when the request fails on the way (its \
         `state` says whether it may have reached the server).",
    );
    text
}

/// Whether the API documents what a 429 looks like for `op`, by its code or by `4XX`; the
/// catch-all `default` does not count. Otherwise a 429 becomes `Error::RateLimited`.
fn documents_too_many_requests(op: &Operation) -> bool {
    op.success
        .iter()
        .chain(&op.errors)
        .any(|r| matches!(r.status, StatusMatch::Code(429) | StatusMatch::Range(4)))
}

/// Whether some operation leaves 429 undocumented (the client then needs `rate_limited`).
pub fn uses_rate_limited(api: &Api) -> bool {
    api.operations
        .iter()
        .any(|op| !documents_too_many_requests(op))
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
    let body = op
        .body
        .as_ref()
        .map(|body| super::bodies::encode(api, body));
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
        request.build().map_err(invalid_request)
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
    if !documents_too_many_requests(op) {
        arms.push(quote!(429 => Err(rate_limited(status, headers, body)),));
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
