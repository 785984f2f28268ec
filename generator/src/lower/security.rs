//! Lowering of security: which credentials the client can hold (one per usable security
//! scheme the spec's requirements name) and, per operation, which combinations of them
//! satisfy it. Alternatives that name a scheme the client cannot use (HTTP `negotiate`,
//! `digest`) are left out; an operation none of whose alternatives is usable is an error.

use std::collections::BTreeMap;

use super::Lowerer;
use crate::document::{self, ApiKeyLocation, SecurityRequirement, SecuritySchemeKind};
use crate::ir::{Credential, CredentialKind, Docs, KeyLocation};
use crate::names::{self, NameSet};

/// The credentials of the client, and what each scheme of the spec became.
pub(crate) struct Credentials {
    pub(crate) list: Vec<Credential>,
    schemes: BTreeMap<String, Usable>,
}

impl std::ops::Deref for Credentials {
    type Target = [Credential];
    fn deref(&self) -> &[Credential] {
        &self.list
    }
}

#[derive(Debug, Clone)]
enum Usable {
    /// The credential at this index.
    Credential(usize),
    /// Met without a credential the client holds (mutual TLS: the caller's HTTP client).
    Always,
    /// Not usable, and why.
    No(String),
}

impl From<Credentials> for Vec<Credential> {
    fn from(credentials: Credentials) -> Self {
        credentials.list
    }
}

impl<'a> Lowerer<'a> {
    /// One credential per usable scheme that some requirement names, in the order the
    /// spec defines the schemes.
    pub(super) fn credentials(&mut self) -> Credentials {
        let doc = self.doc;
        let mut named: Vec<&str> = Vec::new();
        let requirements =
            doc.security
                .iter()
                .chain(doc.paths.iter().flat_map(|(_, item)| {
                    item.operations.iter().filter_map(|op| op.security.as_ref())
                }));
        for list in requirements {
            for requirement in list {
                for (name, _) in requirement {
                    if !named.contains(&name.as_str()) {
                        named.push(name);
                    }
                }
            }
        }
        let mut credentials = Credentials {
            list: Vec::new(),
            schemes: BTreeMap::new(),
        };
        let mut field_names = NameSet::with_reserved([
            "new",
            "default",
            "clone",
            "fmt",
            "has",
            "choose",
            "authorize",
            "provider",
        ]);
        let mut variant_names = NameSet::default();
        for (name, scheme) in &doc.components.security_schemes {
            if !named.contains(&name.as_str()) {
                continue;
            }
            let (kind, wire) = match &scheme.kind {
                SecuritySchemeKind::ApiKey {
                    name: key,
                    location,
                } => {
                    let location = match location {
                        ApiKeyLocation::Header => KeyLocation::Header,
                        ApiKeyLocation::Query => KeyLocation::Query,
                        ApiKeyLocation::Cookie => KeyLocation::Cookie,
                    };
                    let place = match location {
                        KeyLocation::Header => "header",
                        KeyLocation::Query => "query parameter",
                        KeyLocation::Cookie => "cookie",
                    };
                    (
                        CredentialKind::ApiKey {
                            location,
                            name: key.clone(),
                        },
                        format!("An API key, sent as the `{key}` {place}."),
                    )
                }
                SecuritySchemeKind::Http { scheme: http, .. } if http == "bearer" => (
                    CredentialKind::Bearer,
                    "A bearer token, sent as `Authorization: Bearer <token>`.".to_string(),
                ),
                SecuritySchemeKind::Http { scheme: http, .. } if http == "basic" => (
                    CredentialKind::Basic,
                    "A user name and password, sent as `Authorization: Basic` (RFC 7617)."
                        .to_string(),
                ),
                SecuritySchemeKind::Http { scheme: http, .. } => {
                    credentials.schemes.insert(
                        name.clone(),
                        Usable::No(format!("HTTP `{http}` authentication")),
                    );
                    continue;
                }
                SecuritySchemeKind::OAuth2 { .. } => (
                    CredentialKind::Bearer,
                    "An OAuth 2.0 access token, sent as `Authorization: Bearer <token>`."
                        .to_string(),
                ),
                SecuritySchemeKind::OpenIdConnect { .. } => (
                    CredentialKind::Bearer,
                    "An OpenID Connect access token, sent as `Authorization: Bearer <token>`."
                        .to_string(),
                ),
                SecuritySchemeKind::MutualTls => {
                    credentials.schemes.insert(name.clone(), Usable::Always);
                    continue;
                }
            };
            let index = credentials.list.len();
            credentials.list.push(Credential {
                gate: Default::default(),
                provider_setter: None,
                scheme_name: name.clone(),
                rust_name: field_names.claim(&names::snake(name, "credential")),
                variant: variant_names.claim(&names::variant_name(name, "Scheme")),
                kind,
                doc: Docs {
                    summary: Some(wire),
                    description: scheme.description.clone(),
                    notes: vec![format!("Security scheme `{name}`.")],
                    ..Docs::default()
                },
            });
            credentials
                .schemes
                .insert(name.clone(), Usable::Credential(index));
        }
        // Named once every scheme has its setter, so that none is renamed for them.
        for credential in &mut credentials.list {
            if credential.kind == CredentialKind::Bearer {
                credential.provider_setter = Some(field_names.claim(&names::snake(
                    &format!("{} provider", credential.rust_name),
                    "provider",
                )));
            }
        }
        credentials
    }

    /// The alternatives of credentials an operation accepts, as indices into `credentials`;
    /// empty when it needs none. Notes the scopes and schemes in its docs.
    pub(super) fn operation_security(
        &mut self,
        operation: &document::Operation,
        credentials: &Credentials,
        notes: &mut Vec<String>,
    ) -> Vec<Vec<usize>> {
        let Some(requirements) = operation.security.as_ref().or(self.doc.security.as_ref()) else {
            return Vec::new();
        };
        if requirements.is_empty() {
            return Vec::new();
        }
        let security_pointer = crate::pointer::push(&operation.pointer, "security");
        let mut alternatives: Vec<Vec<usize>> = Vec::new();
        let mut refused: Vec<String> = Vec::new();
        let mut scopes: Vec<String> = Vec::new();
        for requirement in requirements {
            match self.alternative(requirement, credentials, &security_pointer) {
                Ok(alternative) => {
                    if !alternatives.contains(&alternative) {
                        alternatives.push(alternative);
                    }
                    for (_, wanted) in requirement {
                        for scope in wanted {
                            if !scopes.contains(scope) {
                                scopes.push(scope.clone());
                            }
                        }
                    }
                }
                Err(Some(reason)) => refused.push(reason),
                Err(None) => {}
            }
        }
        if alternatives.is_empty() {
            if !refused.is_empty() {
                self.error(
                    &security_pointer,
                    format!("no security requirement of this operation can be met: {} is not supported", refused.join(", ")),
                    "add an alternative with a bearer, basic, API key, OAuth 2.0 or OpenID Connect scheme",
                );
            }
            return Vec::new();
        }
        if alternatives.iter().all(Vec::is_empty) {
            return Vec::new();
        }
        if !scopes.is_empty() {
            let listed = scopes
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ");
            notes.push(format!("Token scopes: {listed}."));
        }
        alternatives
    }

    /// The credentials one requirement needs; `Err(Some(reason))` when it names a scheme
    /// the client cannot use, `Err(None)` when it names an undefined one (reported).
    fn alternative(
        &mut self,
        requirement: &SecurityRequirement,
        credentials: &Credentials,
        pointer: &str,
    ) -> Result<Vec<usize>, Option<String>> {
        let mut needed = Vec::new();
        for (name, _) in requirement {
            match credentials.schemes.get(name) {
                Some(Usable::Credential(index)) => needed.push(*index),
                Some(Usable::Always) => {}
                Some(Usable::No(reason)) => return Err(Some(format!("`{name}` ({reason})"))),
                None => {
                    self.error(
                        pointer,
                        format!("security scheme `{name}` is not defined"),
                        "define it under `components/securitySchemes`",
                    );
                    return Err(None);
                }
            }
        }
        Ok(needed)
    }
}
