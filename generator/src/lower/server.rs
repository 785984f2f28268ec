//! Lowering of `servers`: the base URL a new client uses, checked by a URL parser, or none
//! (then `Client::new` asks for one).

use super::Lowerer;
use crate::ir::BaseUrl;

impl<'a> Lowerer<'a> {
    /// The first server whose URL, with its variables at their defaults, is an absolute
    /// `http` or `https` URL that paths can be added to.
    pub(super) fn base_url(&mut self) -> BaseUrl {
        for server in &self.doc.servers {
            let mut url = server.url.clone();
            for (name, variable) in &server.variables {
                url = url.replace(&format!("{{{name}}}"), &variable.default);
            }
            if let Ok(parsed) = url::Url::parse(&url) {
                if matches!(parsed.scheme(), "http" | "https")
                    && !parsed.cannot_be_a_base()
                    && parsed.host().is_some()
                {
                    return BaseUrl::Default(url);
                }
            }
        }
        BaseUrl::Required {
            documented: self.doc.servers.first().map(|server| server.url.clone()),
        }
    }
}
