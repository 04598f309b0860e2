//! What every request goes through, before its body is read: the `Host`
//! check, the page's cookie, the `Origin` check; then the body's deadline,
//! the security headers, and the form token.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::access::{self, Access, Visitor};
use super::connection::Deadline;
use super::page::{Fail, Ui, see_other};
use super::store::same_secret;
use super::{Shared, login, session};

/// The name of the hidden field holding the form token.
pub const TOKEN_FIELD: &str = "jeton";

/// The content security policy: nothing but boussole's own styles and
/// pictures, no script, no frame, forms posted to boussole only.
const POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
                      form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Refuses requests addressed to another name (DNS rebinding), without the
/// page's cookie (another account, another program) or posted from another
/// origin than the page's own — all without reading their body — and adds
/// the security headers to every answer.
pub async fn guard(State(state): State<Shared>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let hosts = &state.config.hosts;
    if !hosts.iter().any(|h| h.eq_ignore_ascii_case(&host)) {
        let ui = Ui::from_headers(request.headers());
        let why = ui.t(
            "boussole ne répond qu'aux demandes adressées à l'adresse où il écoute : ouvrez la page par l'adresse affichée au démarrage.",
            "boussole answers only requests addressed to the address it listens on: open the page at the address shown when it started.",
        );
        return secured(
            ui.fail(StatusCode::MISDIRECTED_REQUEST, why)
                .into_response(),
        );
    }
    // The way in (the link's target, or the login page), the style and the
    // language of the page saying to use it are open.
    let path = request.uri().path();
    let local = state.config.access == Access::Local;
    let way_in = if local { session::ENTRY } else { login::LOGIN };
    let open = [way_in, "/style.css"].contains(&path) || (!local && path.starts_with("/langue/"));
    let visitor = access::identify(&state, request.headers());
    if !open && visitor.is_none() {
        let mut ui = Ui::from_headers(request.headers());
        ui.team = !local;
        if local {
            return secured(session::refused(ui).into_response());
        }
        // A page asked for: the login, then back to it; a form sent after
        // the session ended: say so.
        if request.method() == Method::GET {
            let back = request
                .uri()
                .path_and_query()
                .map_or("/", |p| p.as_str())
                .to_string();
            let to = format!("{}?retour={}", login::LOGIN, encoded(&back));
            return secured(see_other(&to));
        }
        return secured(login_needed(ui).into_response());
    }
    let mut request = request;
    if let Some(v) = visitor {
        request.extensions_mut().insert(v);
    }
    if !local {
        request.extensions_mut().insert(super::page::TeamServer);
    }
    let writes = request.method() != Method::GET && request.method() != Method::HEAD;
    let origin = request
        .headers()
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok());
    let foreign = origin.is_some_and(|o| !o.eq_ignore_ascii_case(&format!("http://{host}")));
    if writes && foreign {
        let ui = Ui::from_headers(request.headers());
        let why = ui.t(
            "boussole n'accepte que les formulaires de ses propres pages.",
            "boussole accepts forms from its own pages only.",
        );
        return secured(ui.fail(StatusCode::FORBIDDEN, why).into_response());
    }
    let within = state.config.limits.body;
    let request = request.map(|body| Deadline::wrap(body, within));
    secured(next.run(request).await)
}

/// `response` with the security headers.
fn secured(mut response: Response) -> Response {
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::CACHE_CONTROL, "no-store"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// Refuses a form without the visitor's token (compared in constant time).
pub fn check_token(who: &Visitor, ui: Ui, given: Option<&String>) -> Result<(), Fail> {
    let valid = given.is_some_and(|given| same_secret(who.token(), given));
    if valid {
        return Ok(());
    }
    Err(ui.fail(
        StatusCode::FORBIDDEN,
        ui.t(
            "Ce formulaire ne vient pas d'une page de ce boussole, ou boussole a redémarré depuis : rechargez la page et recommencez.",
            "This form does not come from a page of this boussole, or boussole has restarted since: reload the page and try again.",
        ),
    ))
}

/// The page for a form sent without a session (ended, or never opened).
fn login_needed(ui: Ui) -> Fail {
    ui.fail(
        StatusCode::UNAUTHORIZED,
        ui.t(
            "Votre session a pris fin (ou vous n'êtes pas connecté)\u{a0}: connectez-vous, puis envoyez de nouveau le formulaire depuis sa page.",
            "Your session has ended (or you are not logged in): log in, then send the form again from its page.",
        ),
    )
    .then(login::LOGIN, ui.t("Se connecter", "Log in"))
}

/// `text` as a query's value: every byte but letters, digits and `-._~/`
/// percent-encoded.
fn encoded(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
