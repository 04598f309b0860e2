//! « Dossiers »: the consultations kept in the data folder, the same
//! dossiers as `boussole dossier` shows; one page per dossier with its
//! state, its files and its timeline, and the way to work in it.

use std::collections::BTreeMap;
use std::sync::MutexGuard;

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use maud::{Markup, html};

use super::access::Visitor;
use super::analysis::when;
use super::page::{self, Fail, Page, Ui, see_other};
use super::{Shared, upload};
use crate::dossier::{self, Act, Dossier, Duty, Event, Role, Store, any_may};
use crate::text::Lang;

/// The dossiers' database, or the page saying none is open.
pub fn store(state: &Shared, ui: Ui) -> Result<MutexGuard<'_, Store>, Fail> {
    let Some(store) = &state.dossiers else {
        return Err(ui.fail(
            StatusCode::NOT_FOUND,
            ui.t(
                "Les dossiers ne sont pas ouverts\u{a0}: boussole a été lancé sans dossier de données. Relancez «\u{a0}boussole serve\u{a0}» sans --data pour le dossier de données habituel, ou avec --data suivi du dossier voulu.",
                "Dossiers are not open: boussole was started without a data folder. Start `boussole serve` again without --data for the usual data folder, or with --data and the folder wanted.",
            ),
        ));
    };
    store
        .lock()
        .map_err(|_| ui.fail(StatusCode::INTERNAL_SERVER_ERROR, "lock"))
}

/// A failure of the database, told to people without its paths; the
/// details go to the server's standard error.
pub fn failed(ui: Ui, e: &crate::Error) -> Fail {
    eprintln!("boussole: dossiers: {e}");
    ui.fail(
        StatusCode::INTERNAL_SERVER_ERROR,
        ui.t(
            "Le dossier n'a pas pu être lu ou enregistré (le détail est affiché là où boussole a été lancé). Rien n'a été modifié à moitié\u{a0}: recommencez.",
            "The dossier could not be read or saved (the details are shown where boussole was started). Nothing was changed halfway: try again.",
        ),
    )
}

/// The dossiers' database, to change: the trail names `who`.
pub fn writer<'a>(state: &'a Shared, ui: Ui, who: &Visitor) -> Result<MutexGuard<'a, Store>, Fail> {
    let mut store = store(state, ui)?;
    store.act_as(who.name());
    Ok(store)
}

/// The dossier `name` if `who` may do `act` in it, or the page saying
/// why not: a dossier where they hold no duty is as good as missing.
pub fn open(store: &Store, ui: Ui, who: &Visitor, name: &str, act: Act) -> Result<Dossier, Fail> {
    let duties = who.duties(store, name);
    let exists = match store.exists(name) {
        Ok(exists) => exists && !duties.is_empty(),
        Err(e) => return Err(failed(ui, &e)),
    };
    if exists && !any_may(&duties, act) {
        let held: Vec<&str> = duties.iter().map(|d| d.label(ui.lang)).collect();
        return Err(ui.fail(
            StatusCode::FORBIDDEN,
            match ui.lang {
                Lang::Fr => format!(
                    "Votre rôle dans ce dossier ({}) ne permet pas cette action\u{a0}; la personne qui gère ce boussole attribue les rôles.",
                    held.join(", ")
                ),
                Lang::En => format!(
                    "Your role in this dossier ({}) does not allow this action; the person who runs this boussole grants roles.",
                    held.join(", ")
                ),
            },
        ));
    }
    match exists {
        true => store.dossier(name).map_err(|e| failed(ui, &e)),
        false => Err(ui.fail(
            StatusCode::NOT_FOUND,
            ui.t(
                "Aucun dossier de ce nom\u{a0}: la page «\u{a0}Dossiers\u{a0}» les liste tous.",
                "No dossier of that name: the “Dossiers” page lists them all.",
            ),
        )),
    }
}

/// Where a dossier stands, as the list and its page show it.
pub struct Standing {
    /// The latest questionnaire issued, if any.
    pub questionnaire: Option<u32>,
    /// The offers received (distinct names).
    pub offers: usize,
    /// The letters recorded.
    pub letters: usize,
    /// Decisions taken and findings still without one, when known.
    pub decisions: Option<(usize, usize)>,
    /// Marks given and elements still without one, when known.
    pub marks: Option<(usize, usize)>,
    /// The latest opinion of the project group kept, if any.
    pub opinion: Option<u32>,
}

impl Standing {
    /// What `d`'s files say; the decisions are told by the analysis.
    pub fn of(d: &Dossier) -> Standing {
        let names = |role: Role| {
            d.files
                .iter()
                .filter(|f| f.role == role)
                .map(|f| f.name.as_str())
                .collect::<std::collections::BTreeSet<_>>()
                .len()
        };
        Standing {
            questionnaire: d
                .files
                .iter()
                .filter(|f| f.role == Role::Questionnaire)
                .map(|f| f.version)
                .max(),
            offers: names(Role::Offer),
            letters: names(Role::Letter),
            decisions: None,
            marks: None,
            opinion: d
                .files
                .iter()
                .filter(|f| f.role == Role::Opinion)
                .map(|f| f.version)
                .max(),
        }
    }

    /// The decisions and marks, told by the dossier's analysis.
    fn told(&mut self, progress: Option<((usize, usize), (usize, usize))>) {
        self.decisions = progress.map(|p| p.0);
        self.marks = progress.map(|p| p.1);
    }

    fn marks(&self, ui: Ui) -> String {
        match self.marks {
            None => "—".into(),
            Some((0, 0)) => ui.t("aucun élément à noter", "nothing to mark").into(),
            Some((given, pending)) => format!(
                "{}, {}",
                crate::text::counted(given, ui.lang, ("donnée", "données"), ("given", "given")),
                crate::text::counted(
                    pending,
                    ui.lang,
                    ("en attente", "en attente"),
                    ("pending", "pending")
                )
            ),
        }
    }

    fn opinion(&self, ui: Ui) -> String {
        match self.opinion {
            None => ui.t("pas encore gardé", "not kept yet").to_string(),
            Some(1) => ui.t("gardé", "kept").to_string(),
            Some(v) => format!(
                "{} ({} {v})",
                ui.t("gardé", "kept"),
                ui.t("version", "version")
            ),
        }
    }

    fn questionnaire(&self, ui: Ui) -> String {
        match self.questionnaire {
            Some(1) => ui.t("diffusé", "issued").to_string(),
            Some(v) => format!(
                "{} ({} {v})",
                ui.t("diffusé", "issued"),
                ui.t("version", "version")
            ),
            None => ui.t("pas encore diffusé", "not issued yet").to_string(),
        }
    }

    fn decisions(&self, ui: Ui) -> String {
        match self.decisions {
            None => "—".into(),
            Some((taken, pending)) => format!(
                "{}, {}",
                crate::text::counted(taken, ui.lang, ("prise", "prises"), ("taken", "taken")),
                crate::text::counted(
                    pending,
                    ui.lang,
                    ("en attente", "en attente"),
                    ("pending", "pending")
                )
            ),
        }
    }

    fn letters(&self, ui: Ui) -> String {
        match self.letters {
            0 => ui.t("aucun enregistré", "none recorded").to_string(),
            n => crate::text::counted(n, ui.lang, ("courrier", "courriers"), ("letter", "letters")),
        }
    }
}

/// The address of a dossier's page (its name as a path segment).
pub fn href(name: &str) -> String {
    format!("/dossiers/{}", segment(name))
}

/// `name` fit for a path segment: letters and digits as they are, any
/// other character percent-encoded.
pub fn segment(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// GET `/dossiers`: every dossier with where it stands, and the form to
/// create one.
pub async fn list(State(state): State<Shared>, ui: Ui, who: Visitor) -> Page {
    render(&state, ui, &who, &BTreeMap::new(), &[]).await
}

/// The list and the form; `sent` and `errors` (field, why) after a
/// refused creation.
async fn render(
    state: &Shared,
    ui: Ui,
    who: &Visitor,
    sent: &BTreeMap<String, String>,
    errors: &[(&str, String)],
) -> Page {
    let dossiers: Vec<(dossier::Summary, Standing)> = {
        let store = store(state, ui)?;
        let mut all = Vec::new();
        let listed = store.list().map_err(|e| failed(ui, &e))?;
        for s in listed
            .into_iter()
            .filter(|s| who.may(&store, &s.name, Act::Read))
        {
            let d = store.dossier(&s.name).map_err(|e| failed(ui, &e))?;
            all.push((s, Standing::of(&d)));
        }
        all
    };
    let mut rows = Vec::new();
    for (s, mut standing) in dossiers {
        standing.told(super::kept::progress(state, ui, who, &s.name).await);
        rows.push((s, standing));
    }
    let title = ui.t("Dossiers", "Dossiers");
    let head = if errors.is_empty() {
        title.to_string()
    } else {
        let count = crate::text::counted(
            errors.len(),
            ui.lang,
            ("erreur", "erreurs"),
            ("error", "errors"),
        );
        match ui.lang {
            Lang::Fr => format!("Erreur\u{a0}: {title} ({count})"),
            Lang::En => format!("Error: {title} ({count})"),
        }
    };
    let error = |field: &str| errors.iter().find(|(f, _)| *f == field).map(|(_, w)| w);
    let value = |field: &str| sent.get(field).map(String::as_str).unwrap_or_default();
    let body = html! {
        h1 { (title) }
        p.lead { (ui.t(
            "Un dossier garde tout d'une consultation, pour les années où elle doit être archivée\u{a0}: le profil, le questionnaire diffusé et son verrou, chaque réponse telle que reçue, les décisions de la revue juridique, avec leur chronologie. Ce sont les mêmes dossiers que ceux de la commande «\u{a0}boussole dossier\u{a0}».",
            "A dossier keeps everything of a consultation, for the years it must be archived: the profile, the questionnaire issued and its lock, each answer as received, the legal review's decisions, with their timeline. These are the same dossiers as those of the command `boussole dossier`.",
        )) }
        @if !errors.is_empty() {
            div.alert role="alert" id="erreurs" tabindex="-1" {
                h2 { (ui.t("Le dossier n'a pas été créé", "The dossier was not created")) }
                ul { @for (field, why) in errors { li { a href={ "#" (field) } { (field_label(field, ui)) } "\u{a0}: " (why) } } }
            }
        }
        section aria-labelledby="liste" {
            h2 id="liste" { (ui.t("Les dossiers", "The dossiers")) }
            @if rows.is_empty() {
                p { (ui.t("Aucun dossier pour l'instant\u{a0}: créez-en un ci-dessous.", "No dossier yet: create one below.")) }
            } @else {
                div.scroll role="region" aria-labelledby="etat" tabindex="0" {
                    table {
                        caption id="etat" { (ui.t("Où en est chaque dossier", "Where each dossier stands")) }
                        thead { tr {
                            th scope="col" { (ui.t("Dossier", "Dossier")) }
                            th scope="col" { (ui.t("Questionnaire", "Questionnaire")) }
                            th scope="col" { (ui.t("Réponses reçues", "Answers received")) }
                            th scope="col" { (ui.t("Notes de la commission", "Committee marks")) }
                            th scope="col" { (ui.t("Décisions", "Decisions")) }
                            th scope="col" { (ui.t("Courriers", "Letters")) }
                            th scope="col" { (ui.t("Avis du groupe projet", "Project group's opinion")) }
                            th scope="col" { (ui.t("Dernière modification", "Last change")) }
                        } }
                        tbody {
                            @for (s, st) in &rows {
                                tr {
                                    th scope="row" { a href=(href(&s.name)) { (s.name) } @if !s.title.is_empty() { br; span.file { (s.title) } } }
                                    td { (st.questionnaire(ui)) }
                                    td.num { (st.offers) }
                                    td { (st.marks(ui)) }
                                    td { (st.decisions(ui)) }
                                    td { (st.letters(ui)) }
                                    td { (st.opinion(ui)) }
                                    td { (when(&s.changed, ui.lang)) }
                                }
                            }
                        }
                    }
                }
            }
        }
        section aria-labelledby="creer" {
            h2 id="creer" { (ui.t("Créer un dossier", "Create a dossier")) }
            form method="post" action="/dossiers#erreurs" novalidate {
                (page::token(who))
                p.hint { (ui.t("Les champs marqués d’un astérisque (*) sont obligatoires.", "Fields marked with an asterisk (*) are required.")) }
                (field(ui, "nom", value("nom"), error("nom"), true))
                (field(ui, "titre", value("titre"), error("titre"), false))
                button type="submit" { (ui.t("Créer le dossier", "Create the dossier")) }
            }
        }
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, page::layout(ui, &head, "/dossiers", body)).into_response())
}

fn field_label(field: &str, ui: Ui) -> &'static str {
    match field {
        "nom" => ui.t("Nom du dossier", "Dossier name"),
        _ => ui.t("Titre", "Title"),
    }
}

/// A text field of the creation form: label (with `*` when required),
/// explanation, error, each tied to the input.
fn field(ui: Ui, id: &str, value: &str, error: Option<&String>, required: bool) -> Markup {
    let help = match id {
        "nom" => ui.t(
            "De 1 à 100 lettres, chiffres, «\u{a0}-\u{a0}», «\u{a0}_\u{a0}» ou «\u{a0}.\u{a0}» (pas en premier), sans espace\u{a0}; par exemple ia-accueil-2027. Il nomme le dossier en ligne de commande et dans ses archives.",
            "1 to 100 letters, digits, '-', '_' or '.' (not first), no space; e.g. ia-accueil-2027. It names the dossier on the command line and in its archives.",
        ),
        _ => ui.t(
            "L'objet de la consultation, tel qu'on le lit dans la liste\u{a0}; facultatif.",
            "The consultation's subject, as read in the list; optional.",
        ),
    };
    let described = match error {
        Some(_) => format!("{id}-aide {id}-erreur"),
        None => format!("{id}-aide"),
    };
    html! {
        div.field.invalid[error.is_some()] {
            label for=(id) { (field_label(id, ui)) @if required { span aria-hidden="true" { " *" } } }
            input type="text" id=(id) name=(id) value=(value) required[required]
                aria-describedby=(described) aria-invalid=[error.map(|_| "true")];
            p.hint id={ (id) "-aide" } { (help) }
            @if let Some(why) = error { p.error id={ (id) "-erreur" } { (ui.t("Erreur\u{a0}: ", "Error: ")) (why) } }
        }
    }
}

/// POST `/dossiers`: creates the dossier, then its page; a refused name or
/// title brings the form back, each error at its field.
pub async fn create(
    State(state): State<Shared>,
    ui: Ui,
    who: Visitor,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Page {
    let input = upload::fields(&who, ui, form)?;
    let name = input.get("nom").map(|s| s.trim()).unwrap_or_default();
    let title = input.get("titre").map(|s| s.trim()).unwrap_or_default();
    let mut errors = Vec::new();
    if name.is_empty() {
        errors.push((
            "nom",
            ui.t("champ obligatoire, à remplir", "required field, to fill in")
                .to_string(),
        ));
    } else if dossier::check_name(name).is_err() {
        errors.push(("nom", ui.t(
            "ce nom ne peut pas être gardé\u{a0}: utilisez de 1 à 100 lettres, chiffres, «\u{a0}-\u{a0}», «\u{a0}_\u{a0}» ou «\u{a0}.\u{a0}» (pas en premier), sans espace ni barre oblique.",
            "this name cannot be kept: use 1 to 100 letters, digits, '-', '_' or '.' (not first), no space nor slash.",
        ).to_string()));
    }
    if title.chars().count() > dossier::MAX_TITLE {
        errors.push((
            "titre",
            match ui.lang {
                Lang::Fr => format!(
                    "le titre dépasse {}\u{a0}caractères\u{a0}: raccourcissez-le.",
                    dossier::MAX_TITLE
                ),
                Lang::En => format!(
                    "the title is over {} characters: shorten it.",
                    dossier::MAX_TITLE
                ),
            },
        ));
    }
    if errors.is_empty() {
        let mut store = writer(&state, ui, &who)?;
        if store.exists(name).map_err(|e| failed(ui, &e))? {
            errors.push(("nom", ui.t(
                "un dossier de ce nom existe déjà\u{a0}: choisissez-en un autre, ou ouvrez-le depuis la liste.",
                "a dossier of that name already exists: choose another, or open it from the list.",
            ).to_string()));
        } else {
            // on a shared server, whoever creates a dossier is its buyer
            let buyer = who.account().map(|_| (who.name(), Duty::Acheteur));
            store
                .create_with(name, title, buyer)
                .map_err(|e| failed(ui, &e))?;
            return Ok(see_other(&format!("{}?fait=cree", href(name))));
        }
    }
    render(&state, ui, &who, &input, &errors).await
}

/// `?fait=…`: what was just done, said on the page that follows.
#[derive(Debug, serde::Deserialize)]
pub struct Done {
    fait: Option<String>,
}

/// GET `/dossiers/{name}`: where the dossier stands, its files, its timeline.
pub async fn show(
    State(state): State<Shared>,
    ui: Ui,
    who: Visitor,
    Path(name): Path<String>,
    Query(done): Query<Done>,
) -> Page {
    let (d, duties) = {
        let store = store(&state, ui)?;
        (
            open(&store, ui, &who, &name, Act::Read)?,
            who.duties(&store, &name),
        )
    };
    let files_in = any_may(&duties, Act::File);
    let mut standing = Standing::of(&d);
    standing.told(super::kept::progress(&state, ui, &who, &d.name).await);
    let profiled = d.files.iter().any(|f| f.role == Role::Profile);
    let lang = ui.lang;
    let title = match lang {
        Lang::Fr => format!("Dossier «\u{a0}{}\u{a0}»", d.name),
        Lang::En => format!("Dossier “{}”", d.name),
    };
    let body = html! {
        p { a href="/dossiers" { "← " (ui.t("Tous les dossiers", "All dossiers")) } }
        h1 { (title) }
        @match done.fait.as_deref() {
            Some("cree") => p.notice role="status" { (ui.t("Le dossier est créé.", "The dossier is created.")) }
            Some("avis") => p.notice role="status" { (ui.t(
                "L'avis du groupe projet est gardé dans le dossier.",
                "The project group's opinion is kept in the dossier.",
            )) }
            Some("courrier") => p.notice role="status" { (ui.t(
                "Le courrier est gardé dans le dossier comme envoyé.",
                "The letter is kept in the dossier as sent.",
            )) }
            Some("questionnaire") => p.notice role="status" { (ui.t(
                "Le profil, le questionnaire et son verrou sont gardés dans le dossier.",
                "The profile, the questionnaire and its lock are kept in the dossier.",
            )) }
            _ => {}
        }
        @if !d.title.is_empty() { p.lead { (d.title) } }
        dl.facts {
            dt { (ui.t("Créé le", "Created on")) } dd { (when(&d.created, lang)) }
            dt { (ui.t("Questionnaire", "Questionnaire")) } dd { (standing.questionnaire(ui)) }
            dt { (ui.t("Réponses reçues", "Answers received")) } dd { (standing.offers) }
            dt { (ui.t("Notes de la commission", "Committee marks")) } dd { (standing.marks(ui)) }
            dt { (ui.t("Décisions de la revue juridique", "Legal review decisions")) } dd { (standing.decisions(ui)) }
            dt { (ui.t("Courriers", "Letters")) } dd { (standing.letters(ui)) }
            dt { (ui.t("Avis du groupe projet", "Project group's opinion")) } dd { (standing.opinion(ui)) }
        }
        h2 { (ui.t("Travailler dans ce dossier", "Work in this dossier")) }
        @let analysis = super::kept::href(&d.name);
        @if who.account().is_some() {
            p { (ui.t("Votre rôle dans ce dossier\u{a0}: ", "Your role in this dossier: ")) (duties.iter().map(|d| d.label(ui.lang)).collect::<Vec<_>>().join(", ")) "." }
        }
        ul {
            @if files_in {
                li { a href="/consultation" { (ui.t("Décrire la consultation", "Describe the tender")) } " — " (ui.t("puis, sur la page de ses documents, garder le questionnaire diffusé dans ce dossier", "then, on its documents' page, keep the questionnaire issued in this dossier")) }
                li { a href={ "/analyse?dossier=" (segment(&d.name)) } { (ui.t("Déposer des réponses reçues", "Drop answers received")) } }
            }
            @if standing.offers > 0 {
                li { a href=(analysis) { (ui.t("Résultats de l'analyse du dossier", "The dossier's analysis")) } }
                li { a href={ (analysis) "/revue" } { (ui.t("Revue juridique du dossier", "The dossier's legal review")) } }
                li { a href={ (analysis) "/notes" } { (ui.t("Notation de la commission", "Committee marks")) } }
            }
        }
        @if profiled && files_in {
            form method="post" action={ (href(&d.name)) "/consultation" } {
                (page::token(&who))
                button type="submit" { (ui.t("Reprendre la consultation du dossier (son dernier profil)", "Take up the dossier's tender again (its latest profile)")) }
            }
        }
        (files(&d, ui))
        (timeline(&d.audit, ui))
    };
    Ok(page::page(ui, &title, "/dossiers", body))
}

/// The files, by role, version and name, with when each was received.
fn files(d: &Dossier, ui: Ui) -> Markup {
    html! {
        h2 id="fichiers" { (ui.t("Fichiers", "Files")) }
        @if d.files.is_empty() {
            p { (ui.t("Aucun pour l'instant.", "None yet.")) }
        } @else {
            div.scroll role="region" aria-labelledby="fichiers-legende" tabindex="0" {
                table {
                    caption id="fichiers-legende" { (ui.t("Chaque fichier tel que reçu ou produit\u{a0}: une nouvelle version ne remplace jamais la précédente", "Each file as received or produced: a new version never replaces the one before")) }
                    thead { tr {
                        th scope="col" { (ui.t("Pièce", "Item")) }
                        th scope="col" { (ui.t("Version", "Version")) }
                        th scope="col" { (ui.t("Nom du fichier", "File name")) }
                        th scope="col" { (ui.t("Reçu le", "Received on")) }
                    } }
                    tbody {
                        @for f in &d.files {
                            tr {
                                td { (f.role.label(ui.lang)) }
                                td.num { (f.version) }
                                th scope="row" { (f.name) }
                                td { (when(&f.received, ui.lang)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The audit trail, oldest first.
fn timeline(audit: &[Event], ui: Ui) -> Markup {
    html! {
        h2 id="chronologie" { (ui.t("Chronologie", "Timeline")) }
        p.hint { (ui.t("Chaque changement du dossier, qui l'a fait et quand\u{a0}; rien n'y est jamais effacé ni modifié.", "Each change of the dossier, who made it and when; nothing in it is ever deleted or changed.")) }
        ol.timeline {
            @for e in audit {
                li { (when(&e.at, ui.lang)) " — " (e.who) " — " strong { (e.label(ui.lang)) } " — " (detail(e, ui.lang)) }
            }
        }
    }
}

/// The decisions a trail's entry may name, as kept.
const DECISIONS: [&str; 4] = [
    "lifted",
    "confirmed",
    "clarification_requested",
    dossier::WITHDRAWN,
];

/// A decision kept, in words.
fn decision_label(code: &str, lang: Lang) -> String {
    match serde_json::from_value::<crate::finding::DecisionKind>(serde_json::Value::from(code)) {
        Ok(kind) => kind.label(lang).to_string(),
        Err(_) => lang
            .pick("décision retirée", "decision withdrawn")
            .to_string(),
    }
}

/// An entry's details for people: a file as its name, version and role,
/// an archive by its name, no hash nor folder.
fn detail(e: &Event, lang: Lang) -> String {
    let archived = matches!(e.action.as_str(), "exported" | "imported");
    e.detail
        .split(" — ")
        .filter(|part| !(part.len() == 64 && part.bytes().all(|b| b.is_ascii_hexdigit())))
        .enumerate()
        .map(|(i, part)| {
            if archived && i == 0 {
                return part.rsplit(['/', '\\']).next().unwrap_or(part).to_string();
            }
            if let Some(n) = part.strip_suffix(" file(s)").and_then(|n| n.parse().ok()) {
                return crate::text::counted(n, lang, ("fichier", "fichiers"), ("file", "files"));
            }
            let mut pieces = part.splitn(3, '/');
            let (role, version, name) = (pieces.next(), pieces.next(), pieces.next());
            let role = role.and_then(Role::from_code);
            let version = version
                .and_then(|v| v.strip_prefix('v'))
                .and_then(|v| v.parse::<u32>().ok());
            match (role, version, name) {
                _ if DECISIONS.contains(&part) => decision_label(part, lang),
                (Some(role), Some(v), Some(name)) => match lang {
                    Lang::Fr => format!(
                        "«\u{a0}{name}\u{a0}», version {v} ({})",
                        role.label(lang).to_lowercase()
                    ),
                    Lang::En => format!(
                        "“{name}”, version {v} ({})",
                        role.label(lang).to_lowercase()
                    ),
                },
                _ => part.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" — ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_names_its_file_without_hash_or_path() {
        let e = Event {
            at: "2027-01-12T09:30:00Z".into(),
            who: "ana".into(),
            action: "generated".into(),
            detail: format!(
                "boussole serve — lock/v2/questionnaire.xlsx.boussole.lock — {}",
                "a".repeat(64)
            ),
        };
        assert_eq!(
            detail(&e, Lang::Fr),
            "boussole serve — «\u{a0}questionnaire.xlsx.boussole.lock\u{a0}», version 2 (verrou du questionnaire)"
        );
        assert_eq!(segment("Métropole 2027"), "M%C3%A9tropole%202027");
        let e = Event {
            action: "exported".into(),
            detail: "/home/ana/archives/ia-accueil-2027.zip — 7 file(s)".into(),
            ..e
        };
        assert_eq!(
            detail(&e, Lang::Fr),
            "ia-accueil-2027.zip — 7\u{a0}fichiers"
        );
    }
}
