//! What every request goes through, before its body is read: the `Host`
//! check, the page's cookie, the `Origin` check; then the body's deadline,
//! the security headers, and the form token.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::Shared;
use super::connection::Deadline;
use super::page::{Fail, Ui};
use super::session;
use super::store::same_secret;

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
    // The link's target, and the style of the page saying to use it, are open.
    let open = [session::ENTRY, "/style.css"].contains(&request.uri().path());
    if !open && !state.secrets.admits(request.headers()) {
        let ui = Ui::from_headers(request.headers());
        return secured(session::refused(ui).into_response());
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

/// Refuses a form without the server's token (compared in constant time).
pub fn check_token(state: &Shared, ui: Ui, given: Option<&String>) -> Result<(), Fail> {
    let valid = given.is_some_and(|given| same_secret(&state.token, given));
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
