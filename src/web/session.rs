//! Who may use the page: the browser that opened the link `boussole serve`
//! printed. Each launch draws a secret; the link carries it once, the page
//! trades it for a cookie (`HttpOnly`, `SameSite=Strict`) and every other
//! request must bring that cookie. Another account on the same computer
//! reaches the port but not the secret, and gets nothing.

use std::sync::Mutex;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::Shared;
use super::page::{Fail, Ui, see_other};
use super::store::{random_id, same_secret};
use crate::Error;

/// The path of the link that opens the page.
pub const ENTRY: &str = "/entree";
/// The name of the link's secret in its query.
const KEY: &str = "cle";
/// The cookie the link is traded for, followed by the port: browsers keep
/// one set of cookies for every port of a host, and two servers on two
/// ports must not take each other's.
const COOKIE: &str = "boussole-session-";
/// Most one-time links waiting to be used.
const WAITING: usize = 8;

/// The secrets of one launch.
pub struct Secrets {
    /// The key of the printed link (the terminal shows it to its user only).
    key: String,
    /// Keys good for one use: the link given to the browser opener, whose
    /// command line other accounts may see while it runs.
    once: Mutex<Vec<String>>,
    /// The cookie's name.
    cookie: String,
    /// The cookie's value.
    session: String,
}

impl Secrets {
    /// New secrets, drawn for this launch of a server on `port`.
    pub fn new(port: u16) -> Result<Secrets, Error> {
        Ok(Secrets {
            key: random_id()?,
            once: Mutex::new(Vec::new()),
            cookie: format!("{COOKIE}{port}"),
            session: random_id()?,
        })
    }

    /// The path and query of the printed link.
    pub fn link(&self) -> String {
        format!("{ENTRY}?{KEY}={}", self.key)
    }

    /// The path and query of a link good for one use.
    pub fn link_once(&self) -> Result<String, Error> {
        let key = random_id()?;
        if let Ok(mut once) = self.once.lock() {
            if once.len() >= WAITING {
                once.remove(0);
            }
            once.push(key.clone());
        }
        Ok(format!("{ENTRY}?{KEY}={key}"))
    }

    /// Whether `key` opens the page (a one-time key is spent).
    fn opens(&self, key: &str) -> bool {
        if same_secret(&self.key, key) {
            return true;
        }
        let Ok(mut once) = self.once.lock() else {
            return false;
        };
        match once.iter().position(|k| same_secret(k, key)) {
            Some(i) => {
                once.remove(i);
                true
            }
            None => false,
        }
    }

    /// Whether the request brings this launch's cookie.
    pub fn admits(&self, headers: &HeaderMap) -> bool {
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|c| c.trim().split_once('='))
            .any(|(name, value)| name == self.cookie && same_secret(&self.session, value))
    }
}

/// The link's target: trades a good key for the cookie and goes home,
/// without the key in the address bar.
pub async fn enter(
    State(state): State<Shared>,
    ui: Ui,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    // a shared server opens by logging in, never by a printed link
    if state.config.access != super::Access::Local {
        return super::page::not_found(ui).await.into_response();
    }
    let key = query
        .iter()
        .find(|(k, _)| k == KEY)
        .map(|(_, v)| v.as_str())
        .unwrap_or_default();
    if !state.secrets.opens(key) {
        return refused(ui).into_response();
    }
    let mut response = see_other("/").into_response();
    let secrets = &state.secrets;
    let cookie = format!(
        "{}={}; Path=/; HttpOnly; SameSite=Strict",
        secrets.cookie, secrets.session
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// The page for a request without the cookie, or with a spent link.
pub fn refused(ui: Ui) -> Fail {
    ui.fail(
        StatusCode::FORBIDDEN,
        ui.t(
            "Cette page est réservée à la personne qui a lancé boussole sur cet ordinateur\u{a0}: \
             ouvrez-la par le lien affiché par «\u{a0}boussole serve\u{a0}» à son démarrage \
             (un lien déjà utilisé par l’ouverture automatique ne sert qu’une fois).",
            "This page is for the person who started boussole on this computer: open it through \
             the link printed by “boussole serve” when it started (a link already used by the \
             automatic opening works once only).",
        ),
    )
}
