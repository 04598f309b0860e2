//! The page frame (header, menu, language, footer), the home page, and the
//! answers every page gives: HTML, downloads, redirections and errors.

use axum::extract::{FromRequestParts, Path, Query};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};

use super::access::Visitor;
use crate::text::Lang;

/// The stylesheet, embedded.
const STYLE: &str = include_str!("../../assets/web/style.css");
/// The cookie holding the language chosen.
const LANG_COOKIE: &str = "boussole-lang";

/// The language of the pages, from the cookie set by `/langue/{lang}`, and
/// whether they are shown to an account of a shared server.
#[derive(Debug, Clone, Copy)]
pub struct Ui {
    /// French unless English was chosen.
    pub lang: Lang,
    /// Whether the visitor is an account (the menu then leads to it).
    pub account: bool,
    /// Whether the page is served by a team's server (`--listen`).
    pub team: bool,
}

/// Put in a request by the guard on a team's server.
#[derive(Debug, Clone, Copy)]
pub struct TeamServer;

impl<S: Send + Sync> FromRequestParts<S> for Ui {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let mut ui = Ui::from_headers(&parts.headers);
        ui.account = parts
            .extensions
            .get::<Visitor>()
            .is_some_and(|v| v.account().is_some());
        ui.team = parts.extensions.get::<TeamServer>().is_some();
        Ok(ui)
    }
}

impl Ui {
    /// The language chosen, from a request's cookies.
    pub fn from_headers(headers: &axum::http::HeaderMap) -> Ui {
        let english = headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .any(|c| c.trim() == format!("{LANG_COOKIE}=en"));
        Ui {
            lang: if english { Lang::En } else { Lang::Fr },
            account: false,
            team: false,
        }
    }

    /// `fr` or `en`, as the page's language.
    pub fn t<'a>(self, fr: &'a str, en: &'a str) -> &'a str {
        match self.lang {
            Lang::Fr => fr,
            Lang::En => en,
        }
    }

    /// The French or the English of a pair.
    pub fn pick(self, pair: [&'static str; 2]) -> &'static str {
        pair[usize::from(self.lang == Lang::En)]
    }

    /// An error page.
    pub fn fail(self, status: StatusCode, message: impl Into<String>) -> Fail {
        Fail {
            ui: self,
            status,
            message: message.into(),
            next: None,
        }
    }

    /// The page for an id that is not (or no longer) kept.
    pub fn gone(self) -> Fail {
        self.fail(
            StatusCode::NOT_FOUND,
            self.t(
                "Cette page n'existe pas ou plus : les travaux sont gardés en mémoire tant que \
                 boussole tourne, et les plus anciens cèdent la place aux nouveaux.",
                "This page does not exist, or no longer: work is kept in memory while boussole \
                 runs, and the oldest makes room for the new.",
            ),
        )
    }

    /// The notice on a page whose work let `dropped` older ones go, the
    /// store keeping at most `cap` bytes; nothing when none went.
    pub fn made_room(self, dropped: usize, cap: usize) -> Markup {
        if dropped == 0 {
            return html! {};
        }
        let mib = cap.div_ceil(1024 * 1024);
        let text = match self.lang {
            Lang::Fr => format!(
                "Pour garder ce travail, boussole a effacé {}\u{a0}: il garde en mémoire au plus \
                 {mib}\u{a0}Mio de travaux de chaque sorte, et efface les plus anciens d’abord.",
                if dropped == 1 {
                    "le plus ancien".to_string()
                } else {
                    format!("les {dropped} plus anciens")
                }
            ),
            Lang::En => format!(
                "To keep this work, boussole let the {} go: it keeps at most {mib} MiB of work \
                 of each kind in memory, and lets the oldest go first.",
                if dropped == 1 {
                    "oldest".to_string()
                } else {
                    format!("{dropped} oldest")
                }
            ),
        };
        html! { div.notice role="status" { p { (text) } } }
    }

    /// The page for an id let go to make room: the store keeps at most `cap` bytes.
    pub fn forgotten(self, cap: usize) -> Fail {
        let mib = cap.div_ceil(1024 * 1024);
        self.fail(
            StatusCode::GONE,
            match self.lang {
                Lang::Fr => format!(
                    "Ce travail a été effacé pour faire de la place\u{a0}: boussole garde en mémoire \
                     au plus {mib}\u{a0}Mio de travaux de chaque sorte, et efface les plus anciens \
                     d’abord. Recommencez-le si vous en avez encore besoin."
                ),
                Lang::En => format!(
                    "This work was let go to make room: boussole keeps at most {mib} MiB of work \
                     of each kind in memory, and lets the oldest go first. Do it again if you \
                     still need it."
                ),
            },
        )
    }
}

/// A page that could not be given, with why.
#[derive(Debug)]
pub struct Fail {
    ui: Ui,
    status: StatusCode,
    message: String,
    /// Where to go on from here besides the home page: address, words.
    next: Option<(String, String)>,
}

impl Fail {
    /// The failure, with a link to where the work goes on.
    pub fn then(mut self, href: impl Into<String>, words: impl Into<String>) -> Fail {
        self.next = Some((href.into(), words.into()));
        self
    }
}

impl IntoResponse for Fail {
    fn into_response(self) -> Response {
        let ui = self.ui;
        // The title names the problem, so that a tab or a history entry
        // tells one failure from another.
        let title = match self.status {
            StatusCode::NOT_FOUND => ui.t("Page introuvable", "Page not found"),
            StatusCode::PAYLOAD_TOO_LARGE => {
                ui.t("Erreur : envoi trop volumineux", "Error: upload too large")
            }
            StatusCode::FORBIDDEN => ui.t("Accès refusé", "Access refused"),
            StatusCode::UNAUTHORIZED => ui.t("Connexion nécessaire", "Login needed"),
            StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST => ui.t(
                "Erreur : fichier ou donnée refusé",
                "Error: file or data refused",
            ),
            _ => ui.t("Impossible d'aller plus loin", "Cannot go further"),
        };
        let body = html! {
            h1 { (title) }
            div.alert role="alert" { p { (self.message) } }
            @if let Some((href, words)) = &self.next { p { a href=(href) { (words) } } }
            p { a href="/" { (ui.t("Retour à l'accueil", "Back to the home page")) } }
        };
        (self.status, layout(ui, title, "", body)).into_response()
    }
}

/// What a handler answers.
pub type Page = Result<Response, Fail>;

/// Runs blocking work (reading, checking, writing documents) off the
/// server's threads.
pub async fn blocking<T: Send + 'static>(
    ui: Ui,
    work: impl FnOnce() -> Result<T, crate::Error> + Send + 'static,
) -> Result<T, Fail> {
    match tokio::task::spawn_blocking(work).await {
        Ok(Ok(t)) => Ok(t),
        Ok(Err(e)) => Err(ui.fail(StatusCode::UNPROCESSABLE_ENTITY, e.to_string())),
        Err(e) => Err(ui.fail(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())),
    }
}

/// A file to download, under a fixed name.
pub fn download(name: &str, bytes: Vec<u8>) -> Response {
    let mime = match name.rsplit('.').next().unwrap_or_default() {
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "md" => "text/markdown; charset=utf-8",
        "json" | "lock" => "application/json",
        "toml" => "application/toml; charset=utf-8",
        "png" => "image/png",
        _ => "application/octet-stream",
    };
    let disposition = format!("attachment; filename=\"{name}\"");
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

/// "See other": where a form's result is.
pub fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}

/// The menu: path and label (the cards' own).
fn menu(ui: Ui) -> impl Iterator<Item = (&'static str, &'static str)> {
    CARDS
        .iter()
        .map(move |(path, label, _)| (*path, ui.pick(*label)))
}

/// The frame of every page; `here` is the menu entry to mark as current.
pub fn layout(ui: Ui, title: &str, here: &str, main: Markup) -> Markup {
    let (lang, other, other_name) = match ui.lang {
        Lang::Fr => ("fr", "en", "English"),
        Lang::En => ("en", "fr", "Français"),
    };
    let back = if here.is_empty() { "/" } else { here };
    html! {
        (DOCTYPE)
        html lang=(lang) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — boussole" }
                link rel="stylesheet" href="/style.css";
            }
            body {
                a.skip href="#contenu" { (ui.t("Aller au contenu", "Skip to content")) }
                header.site {
                    p.brand { a href="/" { "boussole" } span { (ui.t(" — la boussole de l'IA dans vos marchés", " — the AI compass in your tenders")) } }
                    // nobody logged in on a team's server: nothing to go to but the login
                    @if !ui.team || ui.account {
                        nav aria-label=(ui.t("Menu principal", "Main menu")) {
                            ul {
                                @for (path, label) in menu(ui) {
                                    li {
                                        @if path == here {
                                            a href=(path) aria-current="page" { (label) }
                                        } @else {
                                            a href=(path) { (label) }
                                        }
                                    }
                                }
                                @if ui.account {
                                    li {
                                        a href=(super::login::ACCOUNT) aria-current=[(here == super::login::ACCOUNT).then_some("page")] {
                                            (ui.t("Mon compte", "My account"))
                                        }
                                    }
                                }
                            }
                        }
                    }
                    p.lang { a href={ "/langue/" (other) "?retour=" (back) } lang=(other) hreflang=(other) { (other_name) } }
                }
                main id="contenu" tabindex="-1" { (main) }
                footer.site {
                    p {
                        "boussole " (env!("CARGO_PKG_VERSION")) " · "
                        @if ui.team {
                            (ui.t("tout reste sur ce serveur\u{a0}: rien n'est envoyé ailleurs.", "everything stays on this server: nothing is sent elsewhere."))
                        } @else {
                            (ui.t("tout reste sur cet ordinateur : rien n'est envoyé ailleurs.", "everything stays on this computer: nothing is sent elsewhere."))
                        }
                    }
                }
            }
        }
    }
}

/// An HTML page.
pub fn page(ui: Ui, title: &str, here: &str, main: Markup) -> Response {
    layout(ui, title, here, main).into_response()
}

/// The hidden field every form carries: the visitor's token.
pub fn token(who: &Visitor) -> Markup {
    html! { input type="hidden" name=(super::TOKEN_FIELD) value=(who.token()); }
}

/// Something a page offers (a file to download, a page to open): its name
/// in the address, then its label and what it is, in French and English.
pub type Offered = (&'static str, [&'static str; 2], [&'static str; 2]);

/// A list of downloads: each of `files` at `base` + its name + `query`,
/// then `more` (address, label, what it is).
pub fn downloads(
    ui: Ui,
    (base, query): (&str, &str),
    files: &[Offered],
    more: &[(String, String, String)],
) -> Markup {
    html! {
        ul.downloads {
            @for (name, label, what) in files {
                li { a href={ (base) (name) (query) } download { (ui.pick(*label)) } " — " (ui.pick(*what)) }
            }
            @for (href, label, what) in more {
                li { a href=(href) download { (label) } " — " (what) }
            }
        }
        p.hint { (ui.t("Les fichiers sont produits à la demande, à chaque téléchargement.", "Files are made on demand, at each download.")) }
    }
}

/// The home page's cards: the pages.
#[rustfmt::skip]
const CARDS: &[Offered] = &[
    ("/consultation", ["Nouvelle consultation", "New tender"], [
        "Décrire la consultation, puis télécharger l'annexe de clauses, le questionnaire des soumissionnaires et son verrou.",
        "Describe the tender, then download the annex of clauses, the vendor questionnaire and its lock."]),
    ("/analyse", ["Analyser des réponses", "Check answers"], [
        "Déposer les questionnaires remplis : verdicts, notes par critère, constats et rapports.",
        "Drop the completed questionnaires: verdicts, scores by criterion, findings and reports."]),
    ("/revue", ["Revue juridique", "Legal review"], [
        "Décider de chaque constat (constat levé, constat confirmé, précision demandée) : les rapports en tiennent compte.",
        "Decide on each finding (accepted, rejected, clarification requested): the reports take it into account."]),
    ("/grille", ["Grille interne", "Internal grid"], [
        "La grille du groupe projet, puis l'avis proposé à partir de la grille remplie.",
        "The project group's grid, then the opinion proposed from the completed grid."]),
    ("/dossiers", ["Dossiers", "Dossiers"], [
        "Chaque consultation gardée avec ses fichiers, ses décisions et sa chronologie\u{a0}: le travail reprend là où il s'était arrêté, même après un redémarrage.",
        "Each consultation kept with its files, its decisions and its timeline: work resumes where it stopped, even after a restart."]),
];

/// `/`: what boussole does, and its pages.
pub async fn home(ui: Ui) -> Response {
    let title = ui.t("La boussole de l'IA", "The AI compass");
    page(
        ui,
        title,
        "/",
        html! {
            h1 { (title) }
            p.lead { (ui.t(
                "boussole applique les sept critères de la boussole de l'IA aux achats numériques : clauses du marché, questionnaire des soumissionnaires, analyse des réponses.",
                "boussole applies the seven criteria of the AI compass to digital purchases: contract clauses, vendor questionnaire, analysis of the answers.",
            )) }
            ul.cards {
                @for (href, name, what) in CARDS {
                    li { h2 { a href=(href) { (ui.pick(*name)) } } p { (ui.pick(*what)) } }
                }
            }
        },
    )
}

/// `/style.css`.
pub async fn style() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE).into_response()
}

/// Where `/langue/{lang}` goes back to.
#[derive(Debug, serde::Deserialize)]
pub struct Back {
    retour: Option<String>,
}

/// `/langue/{fr|en}`: sets the language and goes back to the page it was
/// chosen on (the `Referer` of this site's own pages, which the referrer
/// policy sends), else to `retour`, else home; never to another site.
pub async fn language(
    Path(lang): Path<String>,
    Query(back): Query<Back>,
    headers: axum::http::HeaderMap,
) -> Response {
    let lang = if lang == "en" { "en" } else { "fr" };
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let referred = match (text(header::REFERER), text(header::HOST)) {
        (Some(referer), Some(host)) => referer
            .strip_prefix("http://")
            .and_then(|r| r.strip_prefix(host))
            .map(str::to_string),
        _ => None,
    };
    let safe = |r: &String| {
        r.starts_with('/')
            && !r.starts_with("//")
            && !r.starts_with("/langue/")
            && r.chars()
                .all(|c| c.is_ascii_alphanumeric() || "/-_#?=&".contains(c))
    };
    let to = referred
        .filter(safe)
        .or(back.retour.filter(safe))
        .unwrap_or_else(|| "/".into());
    let mut response = see_other(&to);
    let cookie = format!("{LANG_COOKIE}={lang}; Path=/; SameSite=Strict; HttpOnly");
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    response
}

/// Any other path.
pub async fn not_found(ui: Ui) -> Fail {
    ui.fail(
        StatusCode::NOT_FOUND,
        ui.t("Cette page n'existe pas.", "This page does not exist."),
    )
}
