//! Who is asking, and what they may do.
//!
//! On 127.0.0.1 ([`Access::Local`]) the page belongs to the person who
//! started boussole: the printed link's key, traded for a cookie
//! (`session`), and everything is theirs. On a shared server
//! ([`Access::Accounts`], `serve --listen`) every request comes from an
//! account of the data folder: logged in with its password (`login`), or
//! named by a trusted reverse proxy's header when one was configured. The
//! guard resolves the [`Visitor`] before anything else and hands it to the
//! handlers; each dossier's page and action is then checked against the
//! visitor's duties in that dossier ([`Visitor::may`]), and work kept in
//! memory belongs to whoever made it ([`Visitor::owner`]).

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use sha2::{Digest, Sha256};

use super::Shared;
use super::page::{Fail, Ui};
use crate::dossier::{Act, Duty, Store, any_may};

/// How people reach the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// The person who started boussole, through the printed link.
    Local,
    /// Accounts of the data folder.
    Accounts(Team),
}

/// How the accounts of a shared server are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    /// The header a trusted reverse proxy names the account in (its single
    /// sign-on), instead of logging in with a password.
    pub header: Option<String>,
    /// Whether the session cookie is marked `Secure` (sent back over HTTPS
    /// only; browsers accept it on `http://localhost` too).
    pub secure: bool,
}

/// The person behind a request.
#[derive(Debug, Clone)]
pub struct Visitor(Arc<Seen>);

#[derive(Debug)]
struct Seen {
    /// Who the trail names.
    name: String,
    /// The person's name.
    full_name: String,
    /// The token their forms carry.
    token: String,
    /// Their account's row; `None` on the local page.
    account: Option<i64>,
    /// The key of their session's cookie, if they logged in.
    key: Option<String>,
}

impl Visitor {
    /// The person who started boussole, on the local page.
    pub fn local(token: &str) -> Visitor {
        let name = crate::dossier::who();
        Visitor(Arc::new(Seen {
            full_name: name.clone(),
            name,
            token: token.to_string(),
            account: None,
            key: None,
        }))
    }

    /// Who the trail names: the account's login, or the computer's user.
    pub fn name(&self) -> &str {
        &self.0.name
    }

    /// The person's name, as the pages show it.
    pub fn full_name(&self) -> &str {
        &self.0.full_name
    }

    /// The token the visitor's forms carry.
    pub fn token(&self) -> &str {
        &self.0.token
    }

    /// Their account's row, on a shared server.
    pub fn account(&self) -> Option<i64> {
        self.0.account
    }

    /// The key of their session's cookie, if they logged in.
    pub fn key(&self) -> Option<&str> {
        self.0.key.as_deref()
    }

    /// Whose work kept in memory is theirs: everyone's on the local page,
    /// their own on a shared server.
    pub fn owner(&self) -> &str {
        match self.0.account {
            Some(_) => &self.0.name,
            None => "",
        }
    }

    /// Their duties in the dossier `name`: every duty on the local page.
    pub fn duties(&self, store: &Store, name: &str) -> Vec<Duty> {
        match self.0.account {
            None => Duty::ALL.to_vec(),
            Some(id) => store.duties(id, name).unwrap_or_default(),
        }
    }

    /// Whether they may do `act` in the dossier `name`.
    pub fn may(&self, store: &Store, name: &str, act: Act) -> bool {
        any_may(&self.duties(store, name), act)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = Fail;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Visitor>().cloned().ok_or_else(|| {
            let ui = Ui::from_headers(&parts.headers);
            ui.fail(
                StatusCode::FORBIDDEN,
                ui.t("Personne n'est connecté.", "Nobody is logged in."),
            )
        })
    }
}

/// The visitor behind `headers`, if they are known: the local page's
/// cookie, a session's cookie, or the trusted proxy's header.
pub fn identify(state: &Shared, headers: &HeaderMap) -> Option<Visitor> {
    let team = match &state.config.access {
        Access::Local => {
            return state
                .secrets
                .admits(headers)
                .then(|| Visitor::local(&state.token));
        }
        Access::Accounts(team) => team,
    };
    let store = state.dossiers.as_ref()?.lock().ok()?;
    if let Some(header) = &team.header {
        let name = headers.get(header.as_str())?.to_str().ok()?.trim();
        let person = store.person(name).ok()??;
        // A token of the person's own, the same until the server restarts.
        let token = hex::encode(Sha256::digest(format!("{}\n{}", state.token, person.name)));
        return Some(Visitor(Arc::new(Seen {
            name: person.name,
            full_name: person.full_name,
            token,
            account: Some(person.id),
            key: None,
        })));
    }
    let key = cookie(headers, &state.account_cookie)?;
    let (person, token) = store.session(key).ok()??;
    Some(Visitor(Arc::new(Seen {
        name: person.name,
        full_name: person.full_name,
        token,
        account: Some(person.id),
        key: Some(key.to_string()),
    })))
}

/// The value of the cookie `name` in `headers`.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
}
