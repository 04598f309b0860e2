//! Logging in and out of a shared server, and the account's page.
//!
//! `/connexion` asks for the login and the password; the password is
//! checked against its argon2id hash off the server's threads, outside the
//! database's lock. A good one opens a session: a random key in a cookie
//! (`HttpOnly`, `SameSite=Strict`, `Secure` unless the server was told it
//! is reached over plain HTTP), of which the database keeps the SHA-256
//! only. Five failures in a row lock the account for fifteen minutes; an
//! unknown login costs the same time as a wrong password and gets the same
//! answer.

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use super::access::{Access, Visitor};
use super::dossier::{failed, store};
use super::page::{self, Page, Ui, blocking, see_other};
use super::{Shared, upload};
use crate::dossier::account::{self, LOCKOUT_MINUTES, MAX_FAILURES};
use crate::text::Lang;

/// The login page's path.
pub const LOGIN: &str = "/connexion";
/// The logout's path.
pub const LOGOUT: &str = "/deconnexion";
/// The account's page.
pub const ACCOUNT: &str = "/compte";

/// `?retour=…&fait=…`: where to go after logging in, what was just done.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Back {
    retour: Option<String>,
    fait: Option<String>,
}

/// Where to go back to: a path of this server only.
fn back_to(retour: Option<&str>) -> &str {
    match retour {
        Some(r) if r.starts_with('/') && !r.starts_with("//") && !r.contains('\\') => r,
        _ => "/",
    }
}

/// GET `/connexion`.
pub async fn form(State(state): State<Shared>, ui: Ui, Query(back): Query<Back>) -> Page {
    if state.config.access == Access::Local {
        return Err(page::not_found(ui).await);
    }
    let notice = match back.fait.as_deref() {
        Some("sortie") => Some(ui.t("Vous êtes déconnecté.", "You are logged out.")),
        _ => None,
    };
    Ok(render(
        ui,
        back_to(back.retour.as_deref()),
        "",
        None,
        notice,
        StatusCode::OK,
    ))
}

/// The login form, with the login typed and why it was refused.
fn render(
    ui: Ui,
    retour: &str,
    login: &str,
    error: Option<String>,
    notice: Option<&str>,
    status: StatusCode,
) -> Response {
    let title = ui.t("Connexion", "Log in");
    let head = match &error {
        Some(_) => format!("{}{title}", ui.t("Erreur\u{a0}: ", "Error: ")),
        None => title.to_string(),
    };
    let described = |id: &str| match error {
        Some(_) => format!("{id}-aide connexion-erreur"),
        None => format!("{id}-aide"),
    };
    let body = html! {
        h1 { (title) }
        @if let Some(n) = notice { p.notice role="status" { (n) } }
        p.lead { (ui.t(
            "Cette installation de boussole est partagée par une équipe\u{a0}: chacun y travaille avec son compte, et ne voit que les dossiers où il a un rôle.",
            "This installation of boussole is shared by a team: each person works with their own account, and sees only the dossiers where they hold a role.",
        )) }
        @if let Some(why) = &error {
            div.alert role="alert" id="connexion-erreur" tabindex="-1" { p { (why) } }
        }
        form method="post" action=(LOGIN) novalidate {
            input type="hidden" name="retour" value=(retour);
            p.hint { (ui.t("Les champs marqués d’un astérisque (*) sont obligatoires.", "Fields marked with an asterisk (*) are required.")) }
            div.field.invalid[error.is_some()] {
                label for="identifiant" { (ui.t("Identifiant", "Login")) span aria-hidden="true" { " *" } }
                input type="text" id="identifiant" name="identifiant" value=(login) required
                    autocomplete="username" autocapitalize="none" spellcheck="false"
                    aria-describedby=(described("identifiant")) aria-invalid=[error.as_ref().map(|_| "true")];
                p.hint id="identifiant-aide" { (ui.t("Celui que vous a donné la personne qui gère ce boussole, par exemple marie.durand.", "The one given by the person who runs this boussole, e.g. marie.durand.")) }
            }
            div.field.invalid[error.is_some()] {
                label for="mot-de-passe" { (ui.t("Mot de passe", "Password")) span aria-hidden="true" { " *" } }
                input type="password" id="mot-de-passe" name="mot_de_passe" required
                    autocomplete="current-password"
                    aria-describedby=(described("mot-de-passe")) aria-invalid=[error.as_ref().map(|_| "true")];
                p.hint id="mot-de-passe-aide" { (match ui.lang {
                    Lang::Fr => format!("Après {MAX_FAILURES}\u{a0}essais manqués de suite, le compte est bloqué {LOCKOUT_MINUTES}\u{a0}minutes."),
                    Lang::En => format!("After {MAX_FAILURES} failed attempts in a row, the account is locked for {LOCKOUT_MINUTES} minutes."),
                }) }
            }
            button type="submit" { (ui.t("Se connecter", "Log in")) }
        }
    };
    (status, page::layout(ui, &head, "", body)).into_response()
}

/// POST `/connexion`: opens a session and goes back where the visitor was
/// going, or brings the form back saying why not.
pub async fn submit(
    State(state): State<Shared>,
    ui: Ui,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Page {
    let Access::Accounts(team) = state.config.access.clone() else {
        return Err(page::not_found(ui).await);
    };
    let fields = upload::pairs(ui, form)?;
    let field = |k: &str| fields.get(k).map(String::as_str).unwrap_or_default();
    let login = field("identifiant").trim().to_string();
    let password = field("mot_de_passe").to_string();
    let retour = back_to(fields.get("retour").map(String::as_str)).to_string();
    let refused = |why: &str| {
        Ok(render(
            ui,
            &retour,
            &login,
            Some(why.to_string()),
            None,
            StatusCode::UNAUTHORIZED,
        ))
    };
    if login.is_empty() || password.is_empty() {
        return refused(ui.t(
            "Indiquez votre identifiant et votre mot de passe.",
            "Give your login and your password.",
        ));
    }
    let credentials = {
        let store = store(&state, ui)?;
        store.credentials(&login).map_err(|e| failed(ui, &e))?
    };
    if credentials.as_ref().is_some_and(|c| c.locked) {
        return refused(&match ui.lang {
            Lang::Fr => format!(
                "Ce compte est bloqué après {MAX_FAILURES}\u{a0}essais manqués de suite\u{a0}: réessayez dans {LOCKOUT_MINUTES}\u{a0}minutes, ou demandez à la personne qui gère ce boussole de le débloquer."
            ),
            Lang::En => format!(
                "This account is locked after {MAX_FAILURES} failed attempts in a row: try again in {LOCKOUT_MINUTES} minutes, or ask the person who runs this boussole to unlock it."
            ),
        });
    }
    let hash = credentials.as_ref().and_then(|c| c.hash.clone());
    // no password is longer than an account may have: not hashed, refused
    let fits = password.len() <= account::MAX_PASSWORD;
    let good =
        fits && blocking(ui, move || Ok(account::verify(&password, hash.as_deref()))).await?;
    let mut store = store(&state, ui)?;
    let Some(c) = credentials else {
        return refused(wrong(ui));
    };
    if !good {
        let locked = store.failed_login(c.id).map_err(|e| failed(ui, &e))?;
        if locked {
            return refused(&match ui.lang {
                Lang::Fr => format!(
                    "Identifiant ou mot de passe incorrect. C'était le {MAX_FAILURES}e\u{a0}essai manqué de suite\u{a0}: le compte est bloqué {LOCKOUT_MINUTES}\u{a0}minutes."
                ),
                Lang::En => format!(
                    "Wrong login or password. That was the {MAX_FAILURES}th failed attempt in a row: the account is locked for {LOCKOUT_MINUTES} minutes."
                ),
            });
        }
        return refused(wrong(ui));
    }
    let session = store.open_session(c.id).map_err(|e| failed(ui, &e))?;
    let mut response = see_other(&retour);
    let secure = if team.secure { "; Secure" } else { "" };
    let cookie = format!(
        "{}={}; Path=/; HttpOnly; SameSite=Strict{secure}",
        state.account_cookie, session.key
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    Ok(response)
}

fn wrong(ui: Ui) -> &'static str {
    ui.t(
        "Identifiant ou mot de passe incorrect.",
        "Wrong login or password.",
    )
}

/// POST `/deconnexion`: closes the session, forgets the cookie.
pub async fn logout(
    State(state): State<Shared>,
    ui: Ui,
    who: Visitor,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Page {
    upload::fields(&who, ui, form)?;
    if let Some(key) = who.key() {
        store(&state, ui)?
            .close_session(key)
            .map_err(|e| failed(ui, &e))?;
    }
    let mut response = see_other(&format!("{LOGIN}?fait=sortie"));
    let cookie = format!(
        "{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0",
        state.account_cookie
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    Ok(response)
}

/// GET `/compte`: who is logged in, their dossiers and duties, the logout.
pub async fn show(State(state): State<Shared>, ui: Ui, who: Visitor) -> Page {
    let Some(id) = who.account() else {
        return Err(page::not_found(ui).await);
    };
    let dossiers = store(&state, ui)?
        .duties_of(id)
        .map_err(|e| failed(ui, &e))?;
    let title = ui.t("Mon compte", "My account");
    let body = html! {
        h1 { (title) }
        dl.facts {
            dt { (ui.t("Nom", "Name")) } dd { (who.full_name()) }
            dt { (ui.t("Identifiant", "Login")) } dd { (who.name()) }
        }
        h2 { (ui.t("Mes dossiers", "My dossiers")) }
        (duties(ui, &dossiers))
        @if who.key().is_some() {
            form method="post" action=(LOGOUT) {
                (page::token(&who))
                button type="submit" { (ui.t("Se déconnecter", "Log out")) }
            }
        }
    };
    Ok(page::page(ui, title, ACCOUNT, body))
}

/// The dossiers and the duties held in each.
fn duties(ui: Ui, dossiers: &[(String, Vec<crate::dossier::Duty>)]) -> Markup {
    html! {
        @if dossiers.is_empty() {
            p { (ui.t(
                "Aucun rôle dans un dossier pour l'instant\u{a0}: la personne qui gère ce boussole les attribue («\u{a0}boussole user grant\u{a0}»), et un dossier que vous créez vous a pour acheteur.",
                "No role in a dossier yet: the person who runs this boussole grants them (`boussole user grant`), and a dossier you create has you as its buyer.",
            )) }
        } @else {
            ul {
                @for (name, held) in dossiers {
                    li {
                        a href=(super::dossier::href(name)) { (name) } "\u{a0}: "
                        (held.iter().map(|d| d.label(ui.lang)).collect::<Vec<_>>().join(", "))
                    }
                }
            }
        }
    }
}
