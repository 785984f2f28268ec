//! OAuth 2.0 access tokens that renew themselves with a refresh token (RFC 6749, section 6):
//! ahead of expiry, one renewal at a time however many requests wait, and never using a new
//! token before the refresh token that came with it is saved.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use reqwest::Url;
use serde_json::{Map, Value};

use crate::credentials::{CredentialError, Secret, TokenFuture, TokenProvider};

/// How long before its expiry a token is renewed unless told otherwise: HighLevel's own
/// SDKs use the same margin.
const DEFAULT_REFRESH_AHEAD: Duration = Duration::from_secs(30);

/// What a token endpoint answered: the new access token, the refresh token that replaces
/// the old one (which usually stops working), and everything else it said.
///
/// Its `Debug` output shows no token, and of the other fields only their names.
#[derive(Clone)]
#[non_exhaustive]
pub struct TokenSet {
    pub access_token: Secret,
    /// The refresh token to use next time; `None` when the server kept the old one.
    pub refresh_token: Option<Secret>,
    /// How long the access token lasts from `received_at`, when the server said.
    pub expires_in: Option<Duration>,
    pub received_at: SystemTime,
    /// The other fields of the answer (`scope`, `token_type`, and for HighLevel
    /// `locationId`, `companyId`, `userType`, ...).
    pub other: Map<String, Value>,
}

impl TokenSet {
    /// When the access token expires, when the server said.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.received_at.checked_add(self.expires_in?)
    }
}

impl fmt::Debug for TokenSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let other: Vec<&str> = self.other.keys().map(String::as_str).collect();
        f.debug_struct("TokenSet")
            .field("access_token", &self.access_token)
            .field("refresh_token", &self.refresh_token)
            .field("expires_in", &self.expires_in)
            .field("received_at", &self.received_at)
            .field("other", &other)
            .finish()
    }
}

type SaveFuture =
    Pin<Box<dyn Future<Output = Result<(), Box<dyn std::error::Error + Send + Sync>>> + Send>>;
type Save = Box<dyn Fn(TokenSet) -> SaveFuture + Send + Sync>;

/// A [`TokenProvider`] for an OAuth 2.0 app: it holds an access token and a refresh token,
/// and gets a new pair from the token endpoint when the access token is about to expire
/// or the server rejects it.
///
/// - One renewal at a time: requests that need a token while one is being renewed wait
///   for it, however many there are.
/// - Every new token set goes to the save callback first; the new access token is used
///   only once the callback succeeded. When it fails, the call that wanted a token fails
///   with an [`Error::Credentials`](crate::Error::Credentials), and the next one tries
///   to save the same set again (the old refresh token may no longer work).
/// - A `401 Unauthorized` makes the client renew the token once and send the request again.
/// - No token or secret shows in its `Debug` output, in errors or in traces.
///
/// Cheap to clone: clones share their tokens.
#[derive(Clone)]
pub struct RefreshingToken {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    endpoint: Url,
    client_id: String,
    client_secret: Secret,
    secret_in_header: bool,
    params: Vec<(String, String)>,
    ahead: Duration,
    save: Save,
    state: tokio::sync::Mutex<State>,
}

struct State {
    /// The access token in use, and when it expires (when known).
    access: Option<(Secret, Option<Instant>)>,
    refresh: Secret,
    /// A set the endpoint gave that could not be saved yet: saved before anything else.
    unsaved: Option<TokenSet>,
}

impl fmt::Debug for RefreshingToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RefreshingToken")
            .field("endpoint", &self.inner.endpoint.as_str())
            .field("client_id", &self.inner.client_id)
            .finish_non_exhaustive()
    }
}

/// Sets up a [`RefreshingToken`]; from [`RefreshingToken::builder`].
pub struct RefreshingTokenBuilder {
    endpoint: Url,
    client_id: String,
    client_secret: Secret,
    refresh_token: Secret,
    access: Option<(Secret, Option<SystemTime>)>,
    secret_in_header: bool,
    params: Vec<(String, String)>,
    ahead: Duration,
}

impl fmt::Debug for RefreshingTokenBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RefreshingTokenBuilder")
            .field("endpoint", &self.endpoint.as_str())
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

impl RefreshingToken {
    /// Starts a provider for the app `client_id` with `client_secret`, renewing tokens at
    /// the token endpoint `endpoint`, from the last refresh token the app saved.
    pub fn builder(
        endpoint: Url,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        refresh_token: impl Into<String>,
    ) -> RefreshingTokenBuilder {
        RefreshingTokenBuilder {
            endpoint,
            client_id: client_id.into(),
            client_secret: Secret::new(client_secret),
            refresh_token: Secret::new(refresh_token),
            access: None,
            secret_in_header: false,
            params: Vec::new(),
            ahead: DEFAULT_REFRESH_AHEAD,
        }
    }

    /// The provider's access token, renewed first when it is stale.
    async fn current(&self) -> Result<Secret, CredentialError> {
        let mut state = self.inner.state.lock().await;
        if let Some(unsaved) = state.unsaved.take() {
            self.save(&mut state, unsaved).await?;
        }
        if let Some((token, expires)) = &state.access {
            let fresh = expires.is_none_or(|expires| Instant::now() + self.inner.ahead < expires);
            if fresh {
                return Ok(token.clone());
            }
        }
        let set = self.request(&state.refresh).await?;
        self.save(&mut state, set).await
    }

    /// Hands `set` to the save callback and, once it succeeded, uses it.
    async fn save(&self, state: &mut State, set: TokenSet) -> Result<Secret, CredentialError> {
        if let Err(error) = (self.inner.save)(set.clone()).await {
            state.unsaved = Some(set);
            return Err(CredentialError::new(
                "the renewed tokens could not be saved, so the new access token is not used",
            )
            .with_source(error));
        }
        let expires = set
            .expires_in
            .and_then(|lasts| Instant::now().checked_add(lasts));
        if let Some(refresh) = set.refresh_token {
            state.refresh = refresh;
        }
        state.access = Some((set.access_token.clone(), expires));
        Ok(set.access_token)
    }

    /// Asks the token endpoint for new tokens with the current refresh token.
    async fn request(&self, refresh: &Secret) -> Result<TokenSet, CredentialError> {
        let inner = &self.inner;
        let mut form: Vec<(&str, &str)> = vec![
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh.expose()),
        ];
        if !inner.secret_in_header {
            form.push(("client_id", &inner.client_id));
            form.push(("client_secret", inner.client_secret.expose()));
        }
        form.extend(
            inner
                .params
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str())),
        );
        let mut request = inner
            .http
            .post(inner.endpoint.clone())
            .header(reqwest::header::ACCEPT, "application/json")
            .form(&form);
        if inner.secret_in_header {
            request = request.basic_auth(&inner.client_id, Some(inner.client_secret.expose()));
        }
        let unreachable = |error: reqwest::Error| {
            CredentialError::new("the token endpoint could not be reached")
                .with_source(crate::transport::redact(error))
        };
        let response = request.send().await.map_err(unreachable)?;
        let status = response.status();
        let received_at = SystemTime::now();
        let body = response.bytes().await.map_err(unreachable)?;
        let answer: Map<String, Value> = serde_json::from_slice(&body).unwrap_or_default();
        if !status.is_success() {
            // RFC 6749, section 5.2: `error` and `error_description` say why; they quote no token.
            let text = |name: &str| answer.get(name).and_then(Value::as_str).unwrap_or("");
            let mut message = format!("the token endpoint answered {status}");
            for said in [text("error"), text("error_description")] {
                if !said.is_empty() {
                    message.push_str(": ");
                    message.push_str(said);
                }
            }
            return Err(CredentialError::new(message));
        }
        token_set(answer, received_at)
    }
}

/// The token set of a successful answer (RFC 6749, section 5.1).
fn token_set(
    mut answer: Map<String, Value>,
    received_at: SystemTime,
) -> Result<TokenSet, CredentialError> {
    let mut secret = |name: &str| match answer.remove(name) {
        Some(Value::String(value)) if !value.is_empty() => Some(Secret::new(value)),
        _ => None,
    };
    let access_token = secret("access_token")
        .ok_or_else(|| CredentialError::new("the token endpoint's answer has no `access_token`"))?;
    let refresh_token = secret("refresh_token");
    // Some servers send the number as a string.
    let expires_in = match answer.get("expires_in") {
        Some(Value::Number(seconds)) => seconds.as_u64(),
        Some(Value::String(seconds)) => seconds.trim().parse().ok(),
        _ => None,
    }
    .map(Duration::from_secs);
    Ok(TokenSet {
        access_token,
        refresh_token,
        expires_in,
        received_at,
        other: answer,
    })
}

impl RefreshingTokenBuilder {
    /// The access token the app holds now, and when it expires (`None` when unknown: it is
    /// then used until the server rejects it). Without one, the first request renews.
    #[must_use]
    pub fn access_token(
        mut self,
        token: impl Into<String>,
        expires_at: Option<SystemTime>,
    ) -> Self {
        self.access = Some((Secret::new(token), expires_at));
        self
    }

    /// Sends `name=value` with every renewal as well, e.g. HighLevel's `user_type`
    /// (`Company` or `Location`).
    #[must_use]
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.push((name.into(), value.into()));
        self
    }

    /// Renews a token this long before it expires (30 seconds unless told otherwise).
    #[must_use]
    pub fn refresh_ahead(mut self, ahead: Duration) -> Self {
        self.ahead = ahead;
        self
    }

    /// Sends the client secret as HTTP basic authentication (`client_secret_basic`)
    /// instead of in the form (`client_secret_post`, what HighLevel expects).
    #[must_use]
    pub fn client_secret_in_header(mut self) -> Self {
        self.secret_in_header = true;
        self
    }

    /// The provider, renewing through `http` and handing every new token set to `save`
    /// (store the refresh token where the app will find it after a restart). `http` can
    /// be [`Client::http_client_builder`](crate::Client::http_client_builder)`().build()?`.
    pub fn build<F, Fut, E>(self, http: reqwest::Client, save: F) -> RefreshingToken
    where
        F: Fn(TokenSet) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let save: Save = Box::new(move |set| {
            let saved = save(set);
            Box::pin(async move { saved.await.map_err(Into::into) })
        });
        let now = (Instant::now(), SystemTime::now());
        let access = self.access.map(|(token, expires_at)| {
            let expires = expires_at.map(|at| match at.duration_since(now.1) {
                Ok(left) => now.0 + left,
                Err(_) => now.0,
            });
            (token, expires)
        });
        RefreshingToken {
            inner: Arc::new(Inner {
                http,
                endpoint: self.endpoint,
                client_id: self.client_id,
                client_secret: self.client_secret,
                secret_in_header: self.secret_in_header,
                params: self.params,
                ahead: self.ahead,
                save,
                state: tokio::sync::Mutex::new(State {
                    access,
                    refresh: self.refresh_token,
                    unsaved: None,
                }),
            }),
        }
    }
}

impl TokenProvider for RefreshingToken {
    fn token(&self) -> TokenFuture<'_, Secret> {
        Box::pin(self.current())
    }

    fn rejected(&self, rejected: &Secret) -> TokenFuture<'_, ()> {
        let rejected = rejected.clone();
        Box::pin(async move {
            let mut state = self.inner.state.lock().await;
            // Another request may have renewed it already.
            if state
                .access
                .as_ref()
                .is_some_and(|(token, _)| *token == rejected)
            {
                state.access = None;
            }
            Ok(())
        })
    }
}
