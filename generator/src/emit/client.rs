//! Emits `client.rs`: the `Client`, its `Credentials`, and per operation a method, a
//! request builder, a response decoder and the enums of documented bodies. Building and
//! decoding are plain functions so that they can be used and tested without a network.
//! Only `quote!`: every name and choice comes from the IR, and everything outside the
//! module is written with its full path, so that no name from a spec can shadow it.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{bodies, docs, gate_attr, ident, type_tokens, Part};
use crate::ir::{
    Api, BaseUrl, CredentialKind, Docs, Gate, KeyLocation, Operation, PageField, PageScheme,
    PageTarget, Pagination, ParameterLocation, ParameterStyle, PathSegment, Piece, Response,
    ResponseBody, SignatureAlgorithm, StatusMatch, TypeRef, WebhookSignature,
};
use crate::names;

/// `client.rs`: imports, credentials and the client, then the operations, each under the
/// gate of its features.
pub fn emit_client(api: &Api) -> impl Iterator<Item = Part<'_>> + '_ {
    let imports = names::generated::CLIENT_IMPORTS.iter().map(|(_, path)| {
        let path: syn::Path = syn::parse_str(path).unwrap_or_else(|_| syn::parse_quote!(crate));
        quote!(use #path;)
    });
    let mut model_uses: std::collections::BTreeMap<&Gate, Vec<proc_macro2::Ident>> =
        Default::default();
    for (name, gate) in &api.client_models {
        model_uses.entry(gate).or_default().push(ident(name));
    }
    let model_uses = model_uses
        .into_iter()
        .map(|(gate, names)| Part::new(gate, quote!(use crate::models::{#(#names),*};)));
    let head = Part::new(
        &Gate::always(),
        quote! {
            //! The HTTP client: one method per operation of the API.

            #(#imports)*
        },
    );
    let body = std::iter::once_with(|| {
        let credentials = (!api.credentials.is_empty()).then(|| emit_credentials(api));
        let core = emit_core(api);
        let verifier = emit_verifier(api);
        Part::new(&Gate::always(), quote!(#credentials #core #verifier))
    });
    std::iter::once(head)
        .chain(model_uses)
        .chain(body)
        .chain(emit_operation_groups(api))
}

fn emit_credentials(api: &Api) -> TokenStream {
    let credentials = api.credentials.as_slice();
    let security = gate_attr(&api.security_gate);
    let fields = credentials.iter().map(|credential| {
        let name = ident(&credential.rust_name);
        match credential.kind {
            CredentialKind::Basic => quote!(#name: Option<(String, crate::credentials::Secret)>,),
            CredentialKind::Bearer => quote!(#name: Option<crate::credentials::Token>,),
            CredentialKind::ApiKey { .. } => quote!(#name: Option<crate::credentials::Secret>,),
        }
    });
    let debug_fields = credentials.iter().map(|credential| {
        let name = ident(&credential.rust_name);
        let shown = &credential.rust_name;
        match credential.kind {
            // `<redacted>`, or the provider's own output.
            CredentialKind::Bearer => quote!(.field(#shown, &self.#name)),
            _ => quote!(.field(#shown, &self.#name.as_ref().map(|_| "<redacted>"))),
        }
    });
    let setters = credentials.iter().map(|credential| {
        let name = ident(&credential.rust_name);
        let doc = docs::attrs(&credential.doc, &[]);
        match credential.kind {
            CredentialKind::Basic => quote! {
                #doc
                #[must_use]
                pub fn #name(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
                    self.#name = Some((user.into(), crate::credentials::Secret::new(password)));
                    self
                }
            },
            CredentialKind::Bearer => {
                let provider = credential.provider_setter.as_deref().map(|setter| {
                    let setter = ident(setter);
                    let doc = format!(
                        " Takes the `{}` token from `provider` before each attempt of a request, instead of a fixed one.",
                        credential.scheme_name
                    );
                    quote! {
                        #[doc = #doc]
                        ///
                        /// When the server answers `401 Unauthorized`, the client tells the provider
                        /// ([`TokenProvider::rejected`](crate::TokenProvider::rejected)), asks it for a
                        /// token again and sends the request once more. `RefreshingToken` (the `oauth`
                        /// feature) renews OAuth 2.0 tokens with a refresh token.
                        #[must_use]
                        pub fn #setter(mut self, provider: impl crate::credentials::TokenProvider + 'static) -> Self {
                            self.#name = Some(crate::credentials::Token::Provided(std::sync::Arc::new(provider)));
                            self
                        }
                    }
                });
                quote! {
                    #doc
                    #[must_use]
                    pub fn #name(mut self, value: impl Into<String>) -> Self {
                        self.#name = Some(crate::credentials::Token::Fixed(crate::credentials::Secret::new(value)));
                        self
                    }

                    #provider
                }
            }
            CredentialKind::ApiKey { .. } => quote! {
                #doc
                #[must_use]
                pub fn #name(mut self, value: impl Into<String>) -> Self {
                    self.#name = Some(crate::credentials::Secret::new(value));
                    self
                }
            },
        }
    });
    let provider_arms = credentials.iter().map(|credential| {
        let variant = ident(&credential.variant);
        let name = ident(&credential.rust_name);
        let gate = gate_attr(&credential.gate);
        match credential.kind {
            CredentialKind::Bearer => quote!(#gate Scheme::#variant => self.#name.as_ref().and_then(crate::credentials::Token::provider),),
            _ => quote!(#gate Scheme::#variant => None,),
        }
    });
    let provider = api.runtime.has(Piece::TokenProvider).then(|| {
        let bearer = gate_attr(&api.runtime.gate(Piece::Bearer));
        quote! {
            /// The provider whose token goes on each attempt of a request, when the
            /// alternative of `security` the client uses has one.
            #bearer
            fn provider(&self, security: &[&[Scheme]]) -> Option<std::sync::Arc<dyn crate::credentials::TokenProvider>> {
                self.choose(security)?.iter().find_map(|scheme| match scheme {
                    #(#provider_arms)*
                })
            }
        }
    });
    let variants = credentials.iter().map(|credential| {
        let variant = ident(&credential.variant);
        let doc = format!(" `{}`", credential.scheme_name);
        let gate = gate_attr(&credential.gate);
        quote!(#[doc = #doc] #gate #variant,)
    });
    let has_arms = credentials.iter().map(|credential| {
        let variant = ident(&credential.variant);
        let name = ident(&credential.rust_name);
        let gate = gate_attr(&credential.gate);
        quote!(#gate Scheme::#variant => self.#name.is_some(),)
    });
    let name_arms = credentials.iter().map(|credential| {
        let variant = ident(&credential.variant);
        let shown = format!("`{}`", credential.rust_name);
        let gate = gate_attr(&credential.gate);
        quote!(#gate Scheme::#variant => #shown,)
    });
    let apply_arms = credentials.iter().map(|credential| {
        let gate = gate_attr(&credential.gate);
        let variant = ident(&credential.variant);
        let name = ident(&credential.rust_name);
        let apply = match &credential.kind {
            CredentialKind::Bearer => quote! {
                // A token from a provider is put on when the request is sent.
                if let Some(value) = value.fixed() {
                    request.headers_mut().insert(reqwest::header::AUTHORIZATION, crate::credentials::bearer(value)?);
                }
            },
            CredentialKind::Basic => quote! {
                let (user, password) = value;
                request.headers_mut().insert(reqwest::header::AUTHORIZATION, crate::credentials::basic(user, password)?);
            },
            CredentialKind::ApiKey { location: KeyLocation::Header, name } => {
                let header = name.to_ascii_lowercase();
                quote! {
                    let name = const { reqwest::header::HeaderName::from_static(#header) };
                    request.headers_mut().insert(name, crate::credentials::secret_header(value.expose(), "API key")?);
                }
            }
            CredentialKind::ApiKey { location: KeyLocation::Query, name } => quote! {
                request.url_mut().query_pairs_mut().append_pair(#name, value.expose());
            },
            CredentialKind::ApiKey { location: KeyLocation::Cookie, name } => {
                let prefix = format!("{name}=");
                quote! {
                    crate::params::add_cookies(request.headers_mut(), &[format!("{}{}", #prefix, value.expose())], true)?;
                }
            }
        };
        quote! {
            #gate
            Scheme::#variant => {
                if let Some(value) = &self.#name {
                    #apply
                }
            }
        }
    });
    let from_str = match credentials {
        [single] if !matches!(single.kind, CredentialKind::Basic) => {
            let name = ident(&single.rust_name);
            Some(quote! {
                impl From<&str> for Credentials {
                    fn from(value: &str) -> Self {
                        Credentials::new().#name(value)
                    }
                }

                impl From<String> for Credentials {
                    fn from(value: String) -> Self {
                        Credentials::new().#name(value)
                    }
                }
            })
        }
        _ => None,
    };
    quote! {
        /// The credentials a [`Client`] sends, each only to the operations that ask for it.
        ///
        /// Give the ones you have; an operation that needs one the client was not given
        /// fails with [`Error::InvalidRequest`] before anything is sent. Their `Debug`
        /// output shows which are set, never their values.
        #[derive(Clone, Default)]
        pub struct Credentials {
            #(#fields)*
        }

        impl std::fmt::Debug for Credentials {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct("Credentials")
                    #(#debug_fields)*
                    .finish()
            }
        }

        impl Credentials {
            /// No credentials: only operations that need none can be called.
            pub fn new() -> Self {
                Self::default()
            }

            #(#setters)*

            #security
            fn has(&self, scheme: Scheme) -> bool {
                match scheme {
                    #(#has_arms)*
                }
            }

            /// The first alternative of `security` the client has in full; with none of
            /// them, the empty alternative, when the operation may be called without
            /// credentials.
            #security
            fn choose<'s>(&self, security: &[&'s [Scheme]]) -> Option<&'s [Scheme]> {
                security
                    .iter()
                    .find(|alternative| !alternative.is_empty() && alternative.iter().all(|scheme| self.has(*scheme)))
                    .or_else(|| security.iter().find(|alternative| alternative.is_empty()))
                    .copied()
            }

            /// Puts on `request` the credentials of the alternative of `security` the
            /// client uses ([`Credentials::choose`]), or fails when it has none.
            #security
            fn authorize<E>(&self, request: &mut reqwest::Request, security: &[&[Scheme]], operation: &str) -> Result<(), Error<E>> {
                self.put_chosen(request, security, operation).map_err(crate::error::SendError::widen)
            }

            /// [`Credentials::authorize`], compiled once rather than for every operation's
            /// error type.
            #security
            fn put_chosen(&self, request: &mut reqwest::Request, security: &[&[Scheme]], operation: &str) -> Result<(), crate::error::SendError> {
                let Some(chosen) = self.choose(security) else {
                    let wanted: Vec<String> = security
                        .iter()
                        .map(|alternative| alternative.iter().map(|scheme| scheme.name()).collect::<Vec<_>>().join(" and "))
                        .collect();
                    return Err(Error::InvalidRequest(format!(
                        "`{operation}` needs credentials the client was not given: {}",
                        wanted.join(", or ")
                    )));
                };
                for scheme in chosen {
                    match scheme {
                        #(#apply_arms)*
                    }
                }
                Ok(())
            }

            #provider
        }

        #from_str

        /// A security scheme of the API description.
        #security
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        enum Scheme {
            #(#variants)*
        }

        #security
        impl Scheme {
            /// The `Credentials` setter that gives it.
            fn name(self) -> &'static str {
                match self {
                    #(#name_arms)*
                }
            }
        }
    }
}

fn emit_core(api: &Api) -> TokenStream {
    let title = format!(" A client for {}.", api.title);
    let has_credentials = !api.credentials.is_empty();
    let credentials_field = has_credentials.then(|| quote!(credentials: Credentials,));
    let credentials_debug =
        has_credentials.then(|| quote!(.field("credentials", &self.credentials)));
    let credentials_param = has_credentials.then(|| quote!(credentials: impl Into<Credentials>,));
    let credentials_arg = has_credentials.then(|| quote!(credentials,));
    let credentials_init = has_credentials.then(|| quote!(credentials: credentials.into(),));
    let clone_doc = if has_credentials {
        " Cheap to clone: clones share one connection pool. Its `Debug` output never shows a credential."
    } else {
        " Cheap to clone: clones share one connection pool."
    };
    let credentials_doc = if has_credentials {
        " with `credentials`"
    } else {
        ""
    };
    let (constant, base_url_param, base_url_arg, base_url_init, target) = match &api.base_url {
        BaseUrl::Default(url) => (
            quote! {
                /// The API's server, where a new [`Client`] sends its requests.
                pub const DEFAULT_BASE_URL: &str = #url;
            },
            None,
            None,
            quote! {
                let base_url = Url::parse(DEFAULT_BASE_URL).map_err(|error| crate::error::SetupError::BaseUrl {
                    url: DEFAULT_BASE_URL.to_string(),
                    reason: error.to_string(),
                })?;
            },
            "[`DEFAULT_BASE_URL`]".to_string(),
        ),
        BaseUrl::Required { documented } => {
            let note = match documented {
                Some(url) => {
                    format!(" (the API description names `{url}`, which is not a complete URL)")
                }
                None => " (the API description names no server)".to_string(),
            };
            (
                quote!(),
                Some(quote!(base_url: Url,)),
                Some(quote!(base_url,)),
                quote! {
                    if base_url.cannot_be_a_base() {
                        return Err(crate::error::SetupError::BaseUrl {
                            url: base_url.to_string(),
                            reason: "paths cannot be added to it".to_string(),
                        });
                    }
                },
                format!("the server at `base_url`{note}"),
            )
        }
    };
    let new_doc = format!(" Creates a client for {target}{credentials_doc}.");
    let with_doc =
        format!(" Creates a client for {target}{credentials_doc}, sending through `http`.");
    let execute_example = api.operations.first().map(|op| {
        let line = format!(
            " For instance: `client.execute(client.{}(..)?, {}).await?`.",
            op.request_fn, op.decode_fn
        );
        quote!(#[doc = ""] #[doc = #line])
    });
    let provider_note = api.runtime.has(Piece::TokenProvider).then(|| {
        quote!(#[doc = " A token from a `TokenProvider` is not added here: the operations' methods add it."])
    });
    let execute_stream = api.runtime.has(Piece::Stream).then(|| {
        let gate = gate_attr(&api.runtime.gate(Piece::Stream));
        quote! {
            /// Sends `request` like [`Client::execute`], but gives a successful answer's body
            /// as a [`ByteStream`](crate::ByteStream) to read as it arrives; any other answer
            /// is read whole and decoded by `decode` into its error.
            ///
            /// # Errors
            ///
            /// Those of `decode`, and [`Error::Transport`] when the request fails on the way.
            #gate
            pub async fn execute_stream<T, E, D>(&self, request: reqwest::Request, decode: D) -> Result<crate::ByteStream, Error<E>>
            where
                D: FnOnce(StatusCode, HeaderMap, &[u8]) -> Result<T, Error<E>>,
            {
                self.stream_call(request, decode, crate::transport::Call::request(&self.options)).await
            }

            /// [`Client::execute_stream`] for a request of `call`.
            #gate
            async fn stream_call<T, E, D>(&self, request: reqwest::Request, decode: D, call: crate::transport::Call<'_>) -> Result<crate::ByteStream, Error<E>>
            where
                D: FnOnce(StatusCode, HeaderMap, &[u8]) -> Result<T, Error<E>>,
            {
                match crate::transport::send_open(&self.http, &self.retry_policy, self.timeout, &call, request).await.map_err(crate::error::SendError::widen)? {
                    crate::transport::Attempt::Open { response, attempts } => Ok(crate::stream::ByteStream::new(response, attempts)),
                    crate::transport::Attempt::Read(received) => {
                        decode(received.status, received.headers.clone(), &received.body)?;
                        Err(crate::error::unexpected_status(received.status, received.headers, &received.body))
                    }
                }
            }
        }
    });
    let url = api.runtime.has(Piece::Requests).then(|| {
        let gate = gate_attr(&api.runtime.gate(Piece::Requests));
        quote! {
            /// The base URL with `segments` appended, each percent-encoded.
            #gate
            fn url<E>(&self, segments: &[&str]) -> Result<Url, Error<E>> {
                let mut url = self.base_url.clone();
                url.path_segments_mut()
                    .map_err(|()| Error::InvalidRequest(format!("the base URL `{}` cannot have a path", self.base_url)))?
                    .pop_if_empty()
                    .extend(segments);
                Ok(url)
            }

            /// What the transport is told of a call of the operation `name`: the name and
            /// `path` template for traces, and this client's options.
            #gate
            fn call(&self, name: &'static str, path: &'static str) -> crate::transport::Call<'_> {
                crate::transport::Call::operation(name, path, &self.options)
            }
        }
    });
    let execute_upgrade = api.runtime.has(Piece::Upgrade).then(|| {
        let gate = gate_attr(&api.runtime.gate(Piece::Upgrade));
        quote! {
            /// Sends `request` and, when the server answers `101 Switching Protocols`,
            /// gives the connection to speak the new protocol on; any other answer is read
            /// whole and decoded by `decode` into its error.
            ///
            /// # Errors
            ///
            /// Those of `decode`, [`Error::UnexpectedStatus`] for a success that is not an
            /// upgrade, and [`Error::Transport`] when the request fails on the way.
            #gate
            pub async fn execute_upgrade<T, E, D>(&self, request: reqwest::Request, decode: D) -> Result<crate::Upgraded, Error<E>>
            where
                D: FnOnce(StatusCode, HeaderMap, &[u8]) -> Result<T, Error<E>>,
            {
                self.upgrade_call(request, decode, crate::transport::Call::request(&self.options)).await
            }

            /// [`Client::execute_upgrade`] for a request of `call`.
            #gate
            async fn upgrade_call<T, E, D>(&self, request: reqwest::Request, decode: D, call: crate::transport::Call<'_>) -> Result<crate::Upgraded, Error<E>>
            where
                D: FnOnce(StatusCode, HeaderMap, &[u8]) -> Result<T, Error<E>>,
            {
                match crate::transport::send_open(&self.http, &self.retry_policy, self.timeout, &call, request).await.map_err(crate::error::SendError::widen)? {
                    crate::transport::Attempt::Open { response, .. } if response.status() == StatusCode::SWITCHING_PROTOCOLS => {
                        Ok(crate::upgrade::Upgraded::new(response))
                    }
                    crate::transport::Attempt::Open { response, .. } => {
                        Err(crate::error::unexpected_status(response.status(), response.headers().clone(), &[]))
                    }
                    crate::transport::Attempt::Read(received) => {
                        decode(received.status, received.headers.clone(), &received.body)?;
                        Err(crate::error::unexpected_status(received.status, received.headers, &received.body))
                    }
                }
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
            timeout: Option<std::time::Duration>,
            retry_policy: crate::transport::RetryPolicy,
            options: crate::options::RequestOptions,
            #credentials_field
        }

        impl std::fmt::Debug for Client {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct("Client")
                    .field("base_url", &self.base_url.as_str())
                    .field("timeout", &self.timeout)
                    .field("retry_policy", &self.retry_policy)
                    .field("options", &self.options)
                    #credentials_debug
                    .finish_non_exhaustive()
            }
        }

        impl Client {
            #[doc = #new_doc]
            ///
            /// A connection gives up after [`DEFAULT_CONNECT_TIMEOUT`](crate::DEFAULT_CONNECT_TIMEOUT)
            /// and each attempt of a request after [`DEFAULT_TIMEOUT`](crate::DEFAULT_TIMEOUT)
            /// (see [`Client::with_timeout`]); no request is sent twice (see
            /// [`Client::with_retry_policy`]).
            ///
            /// # Errors
            ///
            /// When reqwest cannot set up its TLS backend, for instance when the platform's
            /// root certificates cannot be loaded, or when the base URL cannot take paths.
            /// [`Client::with_http_client`] takes a `reqwest::Client` you built yourself.
            pub fn new(#base_url_param #credentials_param) -> Result<Self, crate::error::SetupError> {
                let http = Self::http_client_builder()
                    .build()
                    .map_err(crate::error::SetupError::Http)?;
                Ok(Self::with_http_client(#base_url_arg #credentials_arg http)?.with_timeout(crate::transport::DEFAULT_TIMEOUT))
            }

            /// The `reqwest` builder that [`Client::new`] starts from: its connect timeout,
            /// and with the default `rustls` feature, ring as the process's rustls crypto
            /// provider (unless the process installed one). Build your own HTTP client from
            /// it (proxies, extra root certificates, connection limits) and pass it to
            /// [`Client::with_http_client`]; a `reqwest::Client` built otherwise needs a
            /// provider installed first.
            pub fn http_client_builder() -> reqwest::ClientBuilder {
                // `Err` means the process chose its provider already; that one is used.
                #[cfg(feature = "rustls")]
                let _ = rustls::crypto::ring::default_provider().install_default();
                reqwest::Client::builder().connect_timeout(crate::transport::DEFAULT_CONNECT_TIMEOUT)
            }

            #[doc = #with_doc]
            ///
            /// The settings of `http` (its timeouts, proxies, connection limits) apply as they
            /// are: this client adds no timeout of its own unless [`Client::with_timeout`] asks.
            ///
            /// # Errors
            ///
            /// When the base URL cannot take paths.
            pub fn with_http_client(#base_url_param #credentials_param http: reqwest::Client) -> Result<Self, crate::error::SetupError> {
                #base_url_init
                Ok(Client {
                    http,
                    base_url,
                    timeout: None,
                    retry_policy: crate::transport::RetryPolicy::never(),
                    options: crate::options::RequestOptions::default(),
                    #credentials_init
                })
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

            /// A copy of this client whose calls also use `options` (a timeout, extra
            /// headers, an idempotency key, a retry policy), which win over what this client
            /// set. For one call: `client.with_request_options(options).some_operation(..)`;
            /// this client stays as it is, and the copy shares its connection pool.
            #[must_use]
            pub fn with_request_options(&self, options: crate::options::RequestOptions) -> Self {
                let mut client = self.clone();
                client.options = self.options.merged(&options);
                client
            }

            /// Where requests are sent.
            pub fn base_url(&self) -> &Url {
                &self.base_url
            }

            /// Sends `request` as it is with this client's timeout, retry policy and request
            /// options, and decodes the answer with `decode`: the way to send a request that
            /// you changed after building it. (Each operation's `..._with_response` method
            /// returns the status, headers and [`RateLimit`](crate::RateLimit) of its answer.)
            #provider_note
            #execute_example
            ///
            /// # Errors
            ///
            /// Those of `decode`, and [`Error::Transport`] when the request fails on the way.
            pub async fn execute<T, E, D>(&self, request: reqwest::Request, decode: D) -> Result<crate::response::SuccessResponse<T>, Error<E>>
            where
                D: FnOnce(StatusCode, HeaderMap, &[u8]) -> Result<T, Error<E>>,
            {
                self.send(request, decode, crate::transport::Call::request(&self.options)).await
            }

            /// [`Client::execute`] for a request of `call`.
            async fn send<T, E, D>(&self, request: reqwest::Request, decode: D, call: crate::transport::Call<'_>) -> Result<crate::response::SuccessResponse<T>, Error<E>>
            where
                D: FnOnce(StatusCode, HeaderMap, &[u8]) -> Result<T, Error<E>>,
            {
                let received = crate::transport::send(&self.http, &self.retry_policy, self.timeout, &call, request)
                    .await
                    .map_err(crate::error::SendError::widen)?;
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

            #execute_stream
            #execute_upgrade

            #url
        }
    }
}

/// What a successful call returns.
fn success_type(op: &Operation) -> TokenStream {
    if op.success.iter().any(|r| r.body == ResponseBody::Upgrade) {
        return quote!(crate::Upgraded);
    }
    decoded_type(op)
}

/// What the operation's decoder returns on success.
fn decoded_type(op: &Operation) -> TokenStream {
    let decoded: Vec<&Response> = op
        .success
        .iter()
        .filter(|r| r.body != ResponseBody::Upgrade)
        .collect();
    match (&op.success_enum, decoded.as_slice()) {
        (Some(name), _) if decoded.len() > 1 => {
            let name = ident(name);
            quote!(#name)
        }
        (_, [response]) => body_type(&response.body).unwrap_or_else(|| quote!(())),
        _ => quote!(()),
    }
}

/// The Rust type of a response body, `None` when it has none.
fn body_type(body: &ResponseBody) -> Option<TokenStream> {
    match body {
        ResponseBody::Json(ty) => Some(type_tokens(ty)),
        ResponseBody::Text => Some(quote!(String)),
        ResponseBody::Bytes => Some(quote!(Vec<u8>)),
        ResponseBody::Empty | ResponseBody::Upgrade => None,
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
            scalar @ (TypeRef::Bool
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::U32
            | TypeRef::U64
            | TypeRef::F32
            | TypeRef::F64) => type_tokens(scalar),
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
        params.push(bodies::argument(body));
        names.push(quote!(body));
    }
    (params, names)
}

/// The method's documentation: the operation's, what its arguments are, and its errors.
fn method_docs(op: &Operation) -> TokenStream {
    let mut arguments = Vec::new();
    for parameter in op
        .parameters
        .iter()
        .filter(|p| p.location == ParameterLocation::Path)
    {
        let mut line = format!(
            "- `{}`: path parameter `{}`",
            parameter.rust_name, parameter.wire_name
        );
        if let Some(description) = first_line(&parameter.doc) {
            line.push_str(&format!(". {description}"));
        }
        arguments.push(line);
    }
    if let Some(name) = &op.params_struct {
        arguments.push(format!(
            "- `params`: the query, header and cookie parameters, [`{name}`]"
        ));
    }
    if let Some(body) = &op.body {
        let mut line = "- `body`: the request body".to_string();
        if let Some(description) = first_line(&body.doc) {
            line.push_str(&format!(". {description}"));
        }
        arguments.push(line);
    }
    let mut extra = Vec::new();
    if !arguments.is_empty() {
        extra.push(format!("# Arguments\n\n{}", arguments.join("\n")));
    }
    extra.push(errors_doc(op));
    docs::attrs(&op.doc, &extra)
}

/// The first line of a description, made safe for Markdown, for an argument list.
fn first_line(doc: &Docs) -> Option<String> {
    let description = doc.description.as_deref()?.trim();
    let line = description.lines().next()?.trim();
    (!line.is_empty()).then(|| {
        docs::lines(
            &Docs {
                description: Some(line.to_string()),
                ..Docs::default()
            },
            &[],
        )
        .join(" ")
    })
}

/// An operation's methods on `Client`: the call, its variants, and the request builder.
fn operation_methods(api: &Api, op: &Operation) -> TokenStream {
    let method_name = ident(&op.rust_name);
    let request_fn = ident(&op.request_fn);
    let decode_fn = ident(&op.decode_fn);
    let error_enum = ident(&op.error_enum);
    let success = success_type(op);
    let (params, names) = arguments(op);
    let lifetime = bodies::lifetime(op.body.as_ref());
    let doc = method_docs(op);
    let gate = gate_attr(&op.gate);
    let allow_deprecated = op.uses_deprecated.then(|| quote!(#[allow(deprecated)]));
    let deprecated = docs::deprecated(&op.doc);
    let request_body = emit_request(api, op);
    let provider_note = (api.runtime.has(Piece::TokenProvider) && !op.security.is_empty()).then(|| {
        docs::lines_to_attrs(&[
            "A token from a `TokenProvider` is not on it: the operation's own methods put it on each attempt.",
        ])
    });
    let call = call_tokens(api, op);
    let with_response = op.with_response_fn.as_deref().map(ident);
    let body_call = match &with_response {
        Some(with_response) => quote! {
            self.#with_response(#(#names),*).await.map(crate::response::SuccessResponse::into_body)
        },
        None => quote! {
            let request = self.#request_fn(#(#names),*)?;
            let call = #call;
            self.upgrade_call(request, #decode_fn, call).await
        },
    };
    let with_response = with_response.map(|with_response| {
        let doc = format!(
            " Like [`Client::{}`], and returns the decoded body with the status, the headers, \
             the [`RateLimit`](crate::RateLimit) and the number of attempts of the answer.",
            op.rust_name
        );
        quote! {
            #[doc = #doc]
            ///
            /// # Errors
            ///
            /// As for the method without `_with_response`.
            #deprecated
            #allow_deprecated
            #gate
            pub async fn #with_response #lifetime(&self, #(#params),*) -> Result<crate::response::SuccessResponse<#success>, Error<#error_enum>> {
                let request = self.#request_fn(#(#names),*)?;
                let call = #call;
                self.send(request, #decode_fn, call).await
            }
        }
    });
    let stream = op.stream_fn.as_ref().map(|stream_fn| {
        let stream_fn = ident(stream_fn);
        let stream_errors = docs::lines_to_attrs(&[decode_errors_doc(op)]);
        let doc = format!(
            " Like [`Client::{}`], but gives the body of a successful answer as a \
             [`ByteStream`](crate::ByteStream) to read as it arrives, instead of holding it in memory whole.",
            op.rust_name
        );
        quote! {
            #[doc = #doc]
            ///
            /// # Errors
            ///
            #stream_errors
            #deprecated
            #allow_deprecated
            #gate
            pub async fn #stream_fn #lifetime(&self, #(#params),*) -> Result<crate::ByteStream, Error<#error_enum>> {
                let request = self.#request_fn(#(#names),*)?;
                let call = #call;
                self.stream_call(request, #decode_fn, call).await
            }
        }
    });
    let pages = op.pagination.as_ref().map(|pagination| {
        let pages_fn = ident(&pagination.pages_fn);
        let items_fn = ident(&pagination.items_fn);
        let item = type_tokens(&pagination.item);
        let plan = plan_tokens(pagination);
        let pages_doc = format!(
            " The pages of [`Client::{}`], from the one the arguments ask for to the last, each \
             with its status, headers and rate limit; a request is sent when a page is asked for.",
            op.rust_name
        );
        let items_doc = format!(
            " The items of every page of [`Client::{}`], in order, fetching pages as they are needed.",
            op.rust_name
        );
        quote! {
            #[doc = #pages_doc]
            ///
            /// It ends after the last page, or with an error: the first failed request, a
            /// position the server gave twice, or a next page on another server.
            #deprecated
            #allow_deprecated
            #gate
            pub fn #pages_fn #lifetime(&self, #(#params),*) -> crate::Pages<'_, #success, #error_enum> {
                const PLAN: crate::paginate::Plan = #plan;
                let first = self.#request_fn(#(#names),*);
                crate::paginate::Pages::new(&PLAN, first, move |request| {
                    Box::pin(self.send(request, crate::paginate::keeping_json(#decode_fn), #call))
                })
            }

            #[doc = #items_doc]
            ///
            /// It ends like the pages do, and with an error when a page's items do not decode.
            #deprecated
            #allow_deprecated
            #gate
            pub fn #items_fn #lifetime(&self, #(#params),*) -> crate::Items<'_, #item, #success, #error_enum> {
                self.#pages_fn(#(#names),*).items()
            }
        }
    });
    // Doc lines go in as values: a `///` line in a `quote!` template is lexed each time.
    // Those of every operation are escaped once ([`docs::lines_to_attrs`]).
    let request_fn_doc = docs::lines_to_attrs(&[
        &format!(
            "Builds the request that [`Client::{}`] sends, without sending it.",
            op.rust_name
        ),
        "",
        "[`Client::execute`] sends it with this client's timeout, retry policy and options.",
    ]);
    let request_errors = docs::lines_to_attrs(&[
        "",
        "# Errors",
        "",
        "[`Error::InvalidRequest`] when a value cannot be written into the URL or a header,",
        "or when the operation needs credentials the client was not given.",
    ]);
    let methods = quote! {
        #doc
        #allow_deprecated
        #gate
        pub async fn #method_name #lifetime(&self, #(#params),*) -> Result<#success, Error<#error_enum>> {
            #body_call
        }

        #with_response

        #pages

        #stream

        #request_fn_doc
        #provider_note
        #request_errors
        #deprecated
        #allow_deprecated
        #gate
        pub fn #request_fn #lifetime(&self, #(#params),*) -> Result<reqwest::Request, Error<#error_enum>> {
            #request_body
        }
    };
    methods
}

/// The items that follow an operation's group: its decoder and the enums of its bodies.
fn operation_decoder(op: &Operation) -> TokenStream {
    let decode_fn = ident(&op.decode_fn);
    let error_enum = ident(&op.error_enum);
    let decoded = decoded_type(op);
    let deprecated = docs::deprecated(&op.doc);
    let decode_fn_doc = docs::lines_to_attrs(&[
        &format!(
            "Decodes a response to [`Client::{}`]; the status code alone decides how the body is read.",
            op.rust_name
        ),
        "",
        "# Errors",
        "",
        decode_errors_doc(op),
    ]);
    let decode_body = emit_decode(op);
    let enums = emit_body_enums(op);
    quote! {
        #decode_fn_doc
        #deprecated
        pub fn #decode_fn(status: StatusCode, headers: HeaderMap, body: &[u8]) -> Result<#decoded, Error<#error_enum>> {
            #decode_body
        }

        #enums
    }
}

/// The `# Errors` text of a method that decodes the answer.
fn decode_errors_doc(op: &Operation) -> &'static str {
    if op.documents_429 {
        "[`Error::Api`] for a documented error status, [`Error::UnexpectedStatus`] for any \
         other status that is not a documented success, [`Error::Decode`] when the body does \
         not match the type documented for its status."
    } else {
        "[`Error::Api`] for a documented error status, [`Error::RateLimited`] for 429, \
         [`Error::UnexpectedStatus`] for any other status that is not a documented success, \
         [`Error::Decode`] when the body does not match the type documented for its status."
    }
}

/// The operations grouped by their tag (tags in name order, untagged last), each group one
/// `impl Client` block followed by the group's decoders and body enums, so that an API
/// with many operations reads as a table of contents.
fn emit_operation_groups(api: &Api) -> impl Iterator<Item = Part<'_>> + '_ {
    let mut groups: std::collections::BTreeMap<(bool, &str), Vec<&Operation>> =
        std::collections::BTreeMap::new();
    for op in &api.operations {
        let key = match &op.group {
            Some(tag) => (false, tag.as_str()),
            None => (true, ""),
        };
        groups.entry(key).or_default().push(op);
    }
    groups.into_iter().flat_map(move |((untagged, tag), ops)| {
        let doc = if untagged {
            " Operations without a tag.".to_string()
        } else {
            format!(" Operations tagged `{}`.", tag.replace('`', "'"))
        };
        let methods = ops.clone().into_iter().map(|op| operation_methods(api, op));
        let block = Part::block(
            &Gate::always(),
            quote! {
                #[doc = #doc]
                impl Client
            },
            methods,
        );
        let decoders = ops
            .into_iter()
            .map(|op| Part::new(&op.gate, operation_decoder(op)));
        std::iter::once(block).chain(decoders)
    })
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
    if !op.documents_429 {
        text.push_str("[`Error::RateLimited`] for status 429 (too many requests); ");
    }
    if !op.security.is_empty() {
        text.push_str("[`Error::InvalidRequest`] when the client has none of the credentials the operation needs; ");
    }
    text.push_str(
        "[`Error::UnexpectedStatus`] for any other status, [`Error::Decode`] when a body does not \
         match its documented type, [`Error::Transport`] when the request fails on the way (its \
         `state` says whether it may have reached the server).",
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

/// The text of a style, as the runtime's parameter writers take it.
fn style_tokens(style: ParameterStyle) -> (&'static str, bool) {
    match style {
        ParameterStyle::Simple { explode } => ("simple", explode),
        ParameterStyle::Form { explode } => ("form", explode),
        ParameterStyle::SpaceDelimited => ("spaceDelimited", false),
        ParameterStyle::PipeDelimited => ("pipeDelimited", false),
        ParameterStyle::DeepObject => ("deepObject", true),
        ParameterStyle::Label { explode } => ("label", explode),
        ParameterStyle::Matrix { explode } => ("matrix", explode),
        ParameterStyle::Json => ("json", false),
    }
}

fn emit_request(api: &Api, op: &Operation) -> TokenStream {
    let segments = url_segments(op);
    let method = if op.standard_method {
        let method = format_ident!("{}", op.method);
        quote!(reqwest::Method::#method)
    } else {
        let method = proc_macro2::Literal::byte_string(op.method.as_bytes());
        quote!(reqwest::Method::from_bytes(#method).map_err(|error| Error::InvalidRequest(error.to_string()))?)
    };
    let accept = &op.accept;
    let query: Vec<TokenStream> = op
        .parameters
        .iter()
        .filter(|p| p.location == ParameterLocation::Query)
        .map(|parameter| {
            let field = ident(&parameter.rust_name);
            let wire = &parameter.wire_name;
            let (style, explode) = style_tokens(parameter.style);
            quote!(crate::params::query(&mut query, #wire, &params.#field, #style, #explode)?;)
        })
        .collect();
    let query = (!query.is_empty()).then(|| {
        quote! {
            let mut query: Vec<(String, String)> = Vec::new();
            #(#query)*
            if !query.is_empty() {
                url.query_pairs_mut().extend_pairs(query);
            }
        }
    });
    let url_mut = query.is_some().then(|| quote!(mut));
    let constant_headers = op
        .constant_headers
        .iter()
        .map(|(name, value)| quote!(.header(#name, #value)));
    let header_params: Vec<TokenStream> = op
        .parameters
        .iter()
        .filter(|p| p.location == ParameterLocation::Header)
        .map(|parameter| {
            let field = ident(&parameter.rust_name);
            let wire = &parameter.wire_name;
            let (_, explode) = style_tokens(parameter.style);
            if parameter.required {
                quote! { request = request.header(#wire, crate::params::header(#wire, &params.#field, #explode)?); }
            } else {
                quote! {
                    if let Some(value) = &params.#field {
                        request = request.header(#wire, crate::params::header(#wire, value, #explode)?);
                    }
                }
            }
        })
        .collect();
    let cookie_params: Vec<TokenStream> = op
        .parameters
        .iter()
        .filter(|p| p.location == ParameterLocation::Cookie)
        .map(|parameter| {
            let field = ident(&parameter.rust_name);
            let wire = &parameter.wire_name;
            let (_, explode) = style_tokens(parameter.style);
            quote!(crate::params::cookie(request.headers_mut(), #wire, &params.#field, #explode)?;)
        })
        .collect();
    let body = op.body.as_ref().map(bodies::encode);
    let builder_mut = (!header_params.is_empty() || body.is_some()).then(|| quote!(mut));
    let authorize = (!op.security.is_empty()).then(|| {
        let security = security_tokens(api, op);
        let operation = &op.rust_name;
        quote!(self.credentials.authorize(&mut request, #security, #operation)?;)
    });
    let request_mut = (authorize.is_some() || !cookie_params.is_empty()).then(|| quote!(mut));
    quote! {
        let #url_mut url = self.url(&[#(#segments),*])?;
        #query
        let #builder_mut request = self
            .http
            .request(#method, url)
            .header(reqwest::header::ACCEPT, #accept)
            #(#constant_headers)*;
        #(#header_params)*
        #body
        let #request_mut request = request.build().map_err(crate::error::invalid_request)?;
        #(#cookie_params)*
        #authorize
        Ok(request)
    }
}

/// The constructors of `WebhookVerifier` for the signatures the API documents.
fn emit_verifier(api: &Api) -> Option<TokenStream> {
    let current = api.webhook_signatures.iter().find(|s| !s.legacy)?;
    let algorithm = |signature: &WebhookSignature| match signature.algorithm {
        SignatureAlgorithm::Ed25519 => (quote!(crate::signatures::Algorithm::Ed25519), "Ed25519"),
        SignatureAlgorithm::RsaSha256 => (
            quote!(crate::signatures::Algorithm::RsaSha256),
            "RSA-SHA256",
        ),
    };
    let gate = gate_attr(&api.runtime.gate(Piece::WebhookSignatures));
    let (current_algorithm, current_name) = algorithm(current);
    let header = &current.header;
    let new_doc = format!(
        " A verifier of the `{header}` signature ({current_name}) of the API's webhooks, with the \
         API's public key: PEM, DER, or for Ed25519 its 32 bytes."
    );
    let legacy = api.webhook_signatures.iter().find(|s| s.legacy).map(|legacy| {
        let (legacy_algorithm, legacy_name) = algorithm(legacy);
        let legacy_header = &legacy.header;
        let doc = format!(
            " Also accepts the legacy `{legacy_header}` signature ({legacy_name}), checked with \
             `public_key` when a webhook does not carry `{header}`."
        );
        quote! {
            #[doc = #doc]
            ///
            /// # Errors
            ///
            /// When `public_key` is not a key of that algorithm.
            pub fn accept_legacy(self, public_key: impl AsRef<[u8]>) -> Result<Self, crate::signatures::WebhookError> {
                self.and_key(#legacy_header, #legacy_algorithm, public_key.as_ref())
            }
        }
    });
    Some(quote! {
        #gate
        impl crate::signatures::WebhookVerifier {
            #[doc = #new_doc]
            ///
            /// # Errors
            ///
            /// When `public_key` is not a key of that algorithm.
            pub fn new(public_key: impl AsRef<[u8]>) -> Result<Self, crate::signatures::WebhookError> {
                Self::with_key(#header, #current_algorithm, public_key.as_ref())
            }

            #legacy
        }
    })
}

/// The runtime's `Plan` of a pagination, as a constant expression.
fn plan_tokens(pagination: &Pagination) -> TokenStream {
    let target = |target: &PageTarget| match target {
        PageTarget::Query(name) => quote!(crate::paginate::Target::Query(#name)),
        PageTarget::Body(name) => quote!(crate::paginate::Target::Body(#name)),
    };
    let field = |field: &PageField| match field {
        PageField::Page(pointer) => quote!(crate::paginate::Field::Page(#pointer)),
        PageField::LastItem(pointer) => quote!(crate::paginate::Field::LastItem(#pointer)),
    };
    let scheme = match &pagination.scheme {
        PageScheme::Cursor(pairs) => {
            let pairs = pairs.iter().map(|(t, f)| {
                let (t, f) = (target(t), field(f));
                quote!((#t, #f))
            });
            quote!(crate::paginate::Scheme::Cursor(&[#(#pairs),*]))
        }
        PageScheme::Offset(t) => {
            let t = target(t);
            quote!(crate::paginate::Scheme::Offset(#t))
        }
        PageScheme::Page { target: t, first } => {
            let t = target(t);
            quote!(crate::paginate::Scheme::Page { target: #t, first: #first })
        }
        PageScheme::NextUrl(f) => {
            let f = field(f);
            quote!(crate::paginate::Scheme::NextUrl(#f))
        }
    };
    let items = &pagination.items;
    let optional = |pointer: &Option<String>| match pointer {
        Some(pointer) => quote!(Some(#pointer)),
        None => quote!(None),
    };
    let (has_more, total) = (optional(&pagination.has_more), optional(&pagination.total));
    quote! {
        crate::paginate::Plan { scheme: #scheme, items: #items, has_more: #has_more, total: #total }
    }
}

/// The operation's alternatives of schemes, as `Credentials` takes them.
fn security_tokens(api: &Api, op: &Operation) -> TokenStream {
    let alternatives = op.security.iter().map(|alternative| {
        let schemes = alternative.iter().map(|index| {
            let variant = ident(&api.credentials[*index].variant);
            quote!(Scheme::#variant)
        });
        quote!(&[#(#schemes),*])
    });
    quote!(&[#(#alternatives),*])
}

/// What the transport is told of a call of the operation: its name and path template, the
/// client's options, and the token provider of its credentials, when one may apply.
fn call_tokens(api: &Api, op: &Operation) -> TokenStream {
    let name = &op.rust_name;
    let path = &op.path;
    let call = quote!(self.call(#name, #path));
    if op.takes_provided_token {
        let security = security_tokens(api, op);
        quote!(#call.with_token(self.credentials.provider(#security)))
    } else {
        call
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
                        if let Some(group) = grouped.last_mut() {
                            group.push(PathSegment::Literal(part.to_string()));
                        }
                    }
                }
            }
            PathSegment::Parameter(_) => {
                if let Some(group) = grouped.last_mut() {
                    group.push(piece.clone());
                }
            }
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
            [PathSegment::Parameter(index)] => {
                let text = path_argument_text(op, *index);
                quote!(&#text)
            }
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
                            args.push(path_argument_text(op, *index));
                        }
                    }
                }
                quote!(&format!(#format, #(#args),*))
            }
        })
        .collect()
}

/// The text of a path parameter, as its style writes it.
fn path_argument_text(op: &Operation, index: usize) -> TokenStream {
    let parameter = &op.parameters[index];
    let name = ident(&parameter.rust_name);
    let wire = &parameter.wire_name;
    let (style, explode) = style_tokens(parameter.style);
    quote!(crate::params::path(#wire, &#name, #style, #explode)?)
}

fn emit_decode(op: &Operation) -> TokenStream {
    let error_enum = ident(&op.error_enum);
    // Codes answered by an arm of their own, which a range's arm leaves out (clippy's
    // `match_overlapping_arm` would see the overlap).
    let mut codes: Vec<u16> = op
        .success
        .iter()
        .chain(&op.errors)
        .filter(|r| r.body != ResponseBody::Upgrade)
        .filter_map(|r| match r.status {
            StatusMatch::Code(code) => Some(code),
            _ => None,
        })
        .collect();
    if !op.documents_429 {
        codes.push(429);
    }
    let mut arms = Vec::new();
    let mut ranges = Vec::new();
    let mut fallback = quote!(_ => answer.unexpected(),);
    let several = op
        .success
        .iter()
        .filter(|r| r.body != ResponseBody::Upgrade)
        .count()
        > 1;
    for response in op
        .success
        .iter()
        .filter(|r| r.body != ResponseBody::Upgrade)
    {
        let variant = ident(&response.variant);
        let decoded = match &response.body {
            ResponseBody::Json(_) => quote!(answer.json()),
            ResponseBody::Text => quote!(answer.text()),
            ResponseBody::Bytes => quote!(Ok(body.to_vec())),
            ResponseBody::Empty | ResponseBody::Upgrade => quote!(Ok(())),
        };
        let value = match (&op.success_enum, several, &response.body) {
            (Some(name), true, ResponseBody::Empty) => {
                let name = ident(name);
                quote!(Ok(#name::#variant))
            }
            (Some(name), true, _) => {
                let name = ident(name);
                quote!(#decoded.map(#name::#variant))
            }
            _ => decoded,
        };
        push_arm(
            response.status,
            value,
            &codes,
            &mut arms,
            &mut ranges,
            &mut fallback,
        );
    }
    for response in &op.errors {
        let variant = ident(&response.variant);
        let value = match &response.body {
            ResponseBody::Json(_) => quote!(answer.json_error(#error_enum::#variant)),
            ResponseBody::Text => quote!(answer.text_error(#error_enum::#variant)),
            ResponseBody::Bytes => quote!(answer.error(#error_enum::#variant(body.to_vec()))),
            ResponseBody::Empty | ResponseBody::Upgrade => {
                quote!(answer.error(#error_enum::#variant))
            }
        };
        push_arm(
            response.status,
            value,
            &codes,
            &mut arms,
            &mut ranges,
            &mut fallback,
        );
    }
    if !op.documents_429 {
        arms.push(quote!(429 => answer.rate_limited(),));
    }
    quote! {
        let answer = crate::error::Answer::new(status, headers, body);
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
    codes: &[u16],
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
            let patterns = range_patterns(range * 100, range * 100 + 99, codes);
            if !patterns.is_empty() {
                ranges.push(quote!(#(#patterns)|* => #value,));
            }
        }
        StatusMatch::Default => *fallback = quote!(_ => #value,),
    }
}

/// The patterns for `low..=high` without the `codes` that have arms of their own.
fn range_patterns(low: u16, high: u16, codes: &[u16]) -> Vec<TokenStream> {
    let mut patterns = Vec::new();
    let mut start = low;
    let literal = proc_macro2::Literal::u16_unsuffixed;
    let mut push = |from: u16, to: u16| {
        let (a, b) = (literal(from), literal(to));
        patterns.push(if from == to {
            quote!(#a)
        } else {
            quote!(#a..=#b)
        });
    };
    let mut inside: Vec<u16> = codes
        .iter()
        .copied()
        .filter(|c| (low..=high).contains(c))
        .collect();
    inside.sort_unstable();
    inside.dedup();
    for code in inside {
        if code > start {
            push(start, code - 1);
        }
        start = code + 1;
    }
    if start <= high {
        push(start, high);
    }
    patterns
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
    let decoded: Vec<&Response> = op
        .success
        .iter()
        .filter(|r| r.body != ResponseBody::Upgrade)
        .collect();
    let success_enum = op
        .success_enum
        .as_ref()
        .filter(|_| decoded.len() > 1)
        .map(|name| {
            let name = ident(name);
            let doc = format!(
                " Documented success bodies of [`Client::{method}`], one variant per status."
            );
            let variants = decoded.iter().map(|response| response_variant(response));
            quote! {
                #[doc = #doc]
                #[derive(Debug, Clone, PartialEq)]
                pub enum #name {
                    #(#variants)*
                }
            }
        });
    let body_enum = op
        .body
        .as_ref()
        .and_then(|body| bodies::choice_enum(body, method));
    quote! {
        #[doc = #error_doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #error_enum {
            #(#error_variants)*
        }
        #success_enum
        #body_enum
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
    match body_type(&response.body) {
        Some(ty) => quote!(#doc #variant(#ty),),
        None => quote!(#doc #variant,),
    }
}
