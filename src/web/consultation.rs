//! « Nouvelle consultation »: the tender profile as a form (or a profile
//! file uploaded), then the annex, the questionnaire, its lock and the
//! profile itself to download.

use std::collections::BTreeMap;

use axum::extract::multipart::MultipartRejection;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use maud::{Markup, html};

use super::access::Visitor;
use super::form::{self, Kind};
use super::labels::{choice, help, label};
use super::page::{self, Offered, Page, Ui, blocking, see_other};
use super::{Shared, store, upload};
use crate::library::Audience;
use crate::office::{docx, markdown};
use crate::profile::Profile;
use crate::profile::check::Problem;
use crate::questionnaire::{self, Questionnaire, lock::Lock};
use crate::selection::Selection;
use crate::text::Lang;

/// A tender described in the browser.
pub struct Tender {
    /// The profile's TOML, as it will be downloaded.
    pub text: String,
    /// The checked profile.
    pub profile: Profile,
    /// Its selection and scoring plan.
    pub selection: Selection,
    /// The profile's warnings.
    pub warnings: Vec<String>,
}

impl Tender {
    /// Checks a profile's TOML against the library, as `boussole plan -p` does.
    pub fn new(state: &Shared, text: String) -> Result<Tender, Vec<Problem>> {
        let library = &state.config.library;
        let parsed = crate::profile::load::read(&text)?;
        let checked = crate::profile::check::check(parsed, library)?;
        let selection = crate::selection::resolve(library, &checked.profile);
        Ok(Tender {
            text,
            profile: checked.profile,
            selection,
            warnings: checked.warnings,
        })
    }

    /// What answers to this tender's questionnaire (or grid) are checked against.
    pub fn basis(&self, audience: Audience) -> crate::check::Basis {
        crate::check::Basis {
            lang: self.profile.tender.language,
            selection: self.selection.clone(),
            profile: self.profile.clone(),
            audience,
            lock: crate::check::LockDigest::NoLock,
        }
    }

    /// The questionnaire (or internal grid) of this tender.
    pub fn questionnaire(&self, audience: Audience) -> Questionnaire<'_> {
        Questionnaire {
            selection: &self.selection,
            profile: &self.profile,
            lang: self.profile.tender.language,
            audience,
            password: None,
        }
    }
}

/// `?depuis=ID`: start the form from a tender described before.
#[derive(Debug, serde::Deserialize)]
pub struct From {
    depuis: Option<String>,
}

/// GET `/consultation`: the form, pre-filled.
pub async fn form(
    State(state): State<Shared>,
    ui: Ui,
    who: Visitor,
    Query(from): Query<From>,
) -> Page {
    let table: Option<toml::Table> = from
        .depuis
        .and_then(|id| state.tenders.lock().ok()?.get(&id, who.owner()))
        .and_then(|t| toml::from_str(&t.text).ok());
    let (values, extras) = match &table {
        Some(t) => (form::values(t), form::extras(t)),
        None => (form::defaults(), toml::Table::new()),
    };
    Ok(render(
        ui,
        &who,
        &values,
        &extras,
        Refused::default(),
        StatusCode::OK,
    ))
}

/// POST `/consultation`: the form's values, written into the profile and checked.
pub async fn submit(
    State(state): State<Shared>,
    ui: Ui,
    who: Visitor,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Page {
    let input = upload::fields(&who, ui, form)?;
    let extras: toml::Table = input
        .get("extras")
        .and_then(|e| toml::from_str(e).ok())
        .unwrap_or_default();
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    // Every field left empty that the profile requires, and every value
    // that cannot be read...
    let mut errors: Vec<(String, String)> = form::sections()
        .iter()
        .flat_map(|s| &s.fields)
        .filter(|f| form::required(&f.path))
        .filter(|f| input.get(&f.path).is_none_or(|v| v.trim().is_empty()))
        .map(|f| {
            let why = ui.t("champ obligatoire, à remplir", "required field, to fill in");
            (f.path.clone(), why.to_string())
        })
        .collect();
    if let Err(unread) = form::to_toml(&input, &extras, ui.lang) {
        let empty: Vec<String> = errors.iter().map(|(p, _)| p.clone()).collect();
        errors.extend(unread.into_iter().filter(|(p, _)| !empty.contains(p)));
    }
    // ... then the profile's own checks, those fields taken at their
    // default meanwhile, so that every error is told at once.
    let mut checked = input.clone();
    let defaults = form::defaults();
    for (path, _) in &errors {
        checked.insert(
            path.clone(),
            defaults.get(path).cloned().unwrap_or_default(),
        );
    }
    let problems = match form::to_toml(&checked, &extras, ui.lang) {
        Err(_) => Vec::new(),
        Ok(text) => match Tender::new(&state, text) {
            Ok(tender) if errors.is_empty() => return keep(&state, ui, &who, tender),
            Ok(_) => Vec::new(),
            Err(problems) => problems,
        },
    };
    // a problem of a field or a section of the form goes to it; any other
    // (an item kept from an uploaded profile) is listed
    let (placed, others): (Vec<Problem>, Vec<Problem>) = problems
        .into_iter()
        .filter(|p| !errors.iter().any(|(e, _)| *e == p.field))
        .partition(|p| form::anchor(&p.field).is_some());
    errors.extend(
        placed
            .into_iter()
            .map(|p| (p.field, p.why.get(ui.lang).to_string())),
    );
    let others: Vec<String> = others.iter().map(|p| p.line(ui.lang)).collect();
    let refused = Refused {
        errors: &errors,
        problems: &others,
        upload: None,
    };
    Ok(render(ui, &who, &input, &extras, refused, status))
}

/// POST `/consultation/profil`: a profile file uploaded.
pub async fn upload(
    State(state): State<Shared>,
    ui: Ui,
    who: Visitor,
    multipart: Result<Multipart, MultipartRejection>,
) -> Page {
    let sent = upload::read(&who, ui, multipart).await?;
    // A file that cannot be taken brings the form back, the error at the
    // file's field: nothing typed is lost, the way on is on the page.
    let refused = |why: String| {
        Ok(render(
            ui,
            &who,
            &form::defaults(),
            &toml::Table::new(),
            Refused {
                upload: Some(&why),
                ..Refused::default()
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        ))
    };
    let Some(file) = sent.files_in("profil").next() else {
        return refused(
            ui.t(
                "choisissez un fichier de profil (profil.toml).",
                "choose a profile file (profil.toml).",
            )
            .to_string(),
        );
    };
    let Ok(text) = String::from_utf8(file.bytes.clone()) else {
        return refused(format!(
            "{} : {}",
            file.name,
            ui.t(
                "ce n'est pas un texte UTF-8 ; choisissez un fichier profil.toml enregistré depuis cette page ou écrit par « boussole init ».",
                "this is not UTF-8 text; choose a profile.toml saved from this page or written by `boussole init`.",
            )
        ));
    };
    if let Some(why) = unreadable(&text, ui) {
        return refused(format!("{} : {why}", file.name));
    }
    match Tender::new(&state, text) {
        Ok(tender) => keep(&state, ui, &who, tender),
        Err(problems) => {
            let lines: Vec<String> = problems.iter().map(|p| p.line(ui.lang)).collect();
            refused(format!("{} : {}", file.name, lines.join(" · ")))
        }
    }
}

/// Why `text` is no profile TOML can read, in the page's language, with
/// the line and column where reading stopped.
fn unreadable(text: &str, ui: Ui) -> Option<String> {
    let e = toml::from_str::<toml::Table>(text).err()?;
    let at = e.span().map(|span| {
        let before = &text[..span.start.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, column)
    });
    Some(match (at, ui.lang) {
        (Some((l, c)), Lang::Fr) => format!(
            "le fichier n'est pas un profil lisible (ligne {l}, colonne {c}) ; choisissez un fichier profil.toml enregistré depuis cette page ou écrit par « boussole init »."
        ),
        (None, Lang::Fr) => "le fichier n'est pas un profil lisible ; choisissez un fichier profil.toml enregistré depuis cette page ou écrit par « boussole init ».".to_string(),
        (Some((l, c)), Lang::En) => format!(
            "the file is not a readable profile (line {l}, column {c}); choose a profile.toml saved from this page or written by `boussole init`."
        ),
        (None, Lang::En) => "the file is not a readable profile; choose a profile.toml saved from this page or written by `boussole init`.".to_string(),
    })
}

/// Keeps `tender` in memory, as `who`'s; its page.
pub fn keep(state: &Shared, ui: Ui, who: &Visitor, tender: Tender) -> Page {
    let bytes = tender.text.len() + store::weight(&tender.selection);
    let id = store::keep(&state.tenders, ui, who, tender, bytes)?;
    Ok(see_other(&format!("/consultation/{id}")))
}

/// The tender `who` kept under `id`.
pub fn tender(
    state: &Shared,
    ui: Ui,
    who: &Visitor,
    id: &str,
) -> Result<std::sync::Arc<Tender>, page::Fail> {
    store::find(&state.tenders, ui, who, id)
}

/// The tender named, or the default one.
pub fn tender_or_default(
    state: &Shared,
    ui: Ui,
    who: &Visitor,
    id: Option<&str>,
) -> Result<std::sync::Arc<Tender>, page::Fail> {
    match id.filter(|i| !i.is_empty()) {
        Some(id) => tender(state, ui, who, id),
        None => Tender::new(state, crate::profile::load::TEMPLATE.to_string())
            .map(std::sync::Arc::new)
            .map_err(|problems| {
                let lines: Vec<String> = problems.iter().map(|p| p.line(ui.lang)).collect();
                ui.fail(StatusCode::INTERNAL_SERVER_ERROR, lines.join(" · "))
            }),
    }
}

/// What a refused submit or upload brings back to the page: the fields in
/// error with why, the problems of no field, the uploaded file's error.
#[derive(Default)]
struct Refused<'a> {
    errors: &'a [(String, String)],
    problems: &'a [String],
    upload: Option<&'a str>,
}

fn render(
    ui: Ui,
    who: &Visitor,
    values: &BTreeMap<String, String>,
    extras: &toml::Table,
    refused: Refused<'_>,
    status: StatusCode,
) -> axum::response::Response {
    let Refused {
        errors,
        problems,
        upload,
    } = refused;
    let title = ui.t("Nouvelle consultation", "New tender");
    let extras_text = toml::to_string(extras).unwrap_or_default();
    let body = html! {
        h1 { (title) }
        p.lead { (ui.t(
            "Décrivez la consultation. Les valeurs proposées sont celles du profil par défaut ; chaque champ est expliqué. boussole en déduit les clauses et les questions applicables, et le plan de notation.",
            "Describe the tender. The values offered are the default profile's; each field is explained. boussole derives the clauses and questions that apply, and the scoring plan.",
        )) }
        @if !errors.is_empty() || !problems.is_empty() || upload.is_some() {
            div.alert role="alert" id="erreurs" tabindex="-1" {
                h2 { (ui.t("Le profil est refusé", "The profile is refused")) }
                ul {
                    @if let Some(why) = upload {
                        li { a href="#profil" { (ui.t("Fichier de profil", "Profile file")) } " : " (why) }
                    }
                    @for (path, why) in errors {
                        li { a href={ "#" (field_id(form::anchor(path).unwrap_or(path))) } { (label(path, ui.lang)) } " : " (why) }
                    }
                    @for p in problems { li { (p) } }
                }
            }
        }
        section aria-labelledby="televerser" {
            h2 id="televerser" { (ui.t("Reprendre un profil enregistré", "Start from a saved profile")) }
            form method="post" action="/consultation/profil" enctype="multipart/form-data" {
                (page::token(who))
                div.field.invalid[upload.is_some()] {
                    label for="profil" { (ui.t("Fichier de profil (profil.toml, obligatoire)", "Profile file (profil.toml, required)")) }
                    input type="file" id="profil" name="profil" accept=".toml,text/plain" required
                        aria-invalid=[upload.map(|_| "true")] aria-describedby=[upload.map(|_| "profil-erreur")];
                    @if let Some(why) = upload { p.error id="profil-erreur" { (ui.t("Erreur : ", "Error: ")) (why) } }
                }
                button type="submit" { (ui.t("Téléverser le profil", "Upload the profile")) }
            }
        }
        section aria-labelledby="decrire" {
        h2 id="decrire" { (ui.t("Décrire la consultation", "Describe the tender")) }
        form method="post" action="/consultation#erreurs" novalidate {
            (page::token(who))
            p.hint { (ui.t(
                "Les champs marqués d’un astérisque (*) sont obligatoires.",
                "Fields marked with an asterisk (*) are required.",
            )) }
            input type="hidden" name="extras" value=(extras_text);
            @if !extras.is_empty() {
                p.hint { (ui.t(
                    "Le profil repris contient aussi des éléments sans champ ici (dérogations, notes minimales supplémentaires…) : ils sont conservés tels quels.",
                    "The profile also holds items with no field here (overrides, further minimum scores…): they are kept as they are.",
                )) }
            }
            @for (k, s) in form::sections().iter().enumerate() {
                // a section's explanation is tied to it: read with each of its fields
                @let h = help(&s.name, &s.help, ui.lang);
                @let hint = format!("section-{}-aide", k + 1);
                fieldset aria-describedby=[(!h.is_empty()).then_some(&hint)] {
                    legend { (label(&s.name, ui.lang)) }
                    @if !h.is_empty() { p.hint id=(hint) { (h) } }
                    @for f in &s.fields {
                        (input(ui, f, values.get(&f.path).map(String::as_str).unwrap_or_default(),
                               errors.iter().find(|(p, _)| form::anchor(p) == Some(f.path.as_str())).map(|(_, w)| w.as_str())))
                    }
                }
            }
            button type="submit" { (ui.t("Préparer les documents", "Prepare the documents")) }
        }
        }
    };
    // After a refused submit, the title says so first: it is what a screen
    // reader reads when the page comes back.
    let shown = errors.len() + problems.len() + usize::from(upload.is_some());
    let head = if shown == 0 {
        title.to_string()
    } else {
        let count =
            crate::text::counted(shown, ui.lang, ("erreur", "erreurs"), ("error", "errors"));
        match ui.lang {
            Lang::Fr => format!("Erreur\u{a0}: {title} ({count})"),
            Lang::En => format!("Error: {title} ({count})"),
        }
    };
    (status, page::layout(ui, &head, "/consultation", body)).into_response()
}

fn field_id(path: &str) -> String {
    format!("f-{}", path.replace('.', "-"))
}

/// One field: label, input, explanation, error.
fn input(ui: Ui, f: &form::Field, value: &str, error: Option<&str>) -> Markup {
    let id = field_id(&f.path);
    let help_id = format!("{id}-aide");
    let error_id = format!("{id}-erreur");
    let h = help(&f.path, &f.help, ui.lang);
    let described = match (h.is_empty(), error.is_some()) {
        (false, true) => format!("{help_id} {error_id}"),
        (false, false) => help_id.clone(),
        (true, true) => error_id.clone(),
        (true, false) => String::new(),
    };
    let described = (!described.is_empty()).then_some(described);
    let invalid = error.map(|_| "true");
    let required = form::required(&f.path);
    html! {
        div.field.invalid[error.is_some()] {
            @match f.kind {
                Kind::Bool => {
                    input type="checkbox" id=(id) name=(f.path) value="true" checked[value == "true"] aria-describedby=[described.as_deref()];
                    label for=(id) { (label(&f.path, ui.lang)) @if required { span aria-hidden="true" { " *" } } }
                }
                Kind::Choice(choices) => {
                    label for=(id) { (label(&f.path, ui.lang)) @if required { span aria-hidden="true" { " *" } } }
                    select id=(id) name=(f.path) aria-describedby=[described.as_deref()] aria-invalid=[invalid] required[required] {
                        @for c in choices { option value=(c) selected[*c == value] { (choice(c, ui.lang)) } }
                    }
                }
                Kind::Date => {
                    label for=(id) { (label(&f.path, ui.lang)) @if required { span aria-hidden="true" { " *" } } }
                    input type="date" id=(id) name=(f.path) value=(value) aria-describedby=[described.as_deref()] aria-invalid=[invalid] required[required];
                }
                Kind::Number => {
                    label for=(id) { (label(&f.path, ui.lang)) @if required { span aria-hidden="true" { " *" } } }
                    input type="text" inputmode="decimal" id=(id) name=(f.path) value=(value) aria-describedby=[described.as_deref()] aria-invalid=[invalid] required[required];
                }
                Kind::Lines => {
                    label for=(id) { (label(&f.path, ui.lang)) @if required { span aria-hidden="true" { " *" } } }
                    textarea id=(id) name=(f.path) rows="3" aria-describedby=[described.as_deref()] aria-invalid=[invalid] required[required] { (value) }
                }
                Kind::Text => {
                    label for=(id) { (label(&f.path, ui.lang)) @if required { span aria-hidden="true" { " *" } } }
                    @if f.key == "description" {
                        textarea id=(id) name=(f.path) rows="3" aria-describedby=[described.as_deref()] aria-invalid=[invalid] required[required] { (value) }
                    } @else {
                        input type="text" id=(id) name=(f.path) value=(value) aria-describedby=[described.as_deref()] aria-invalid=[invalid] required[required];
                    }
                }
            }
            @if !h.is_empty() { p.hint id=(help_id) { (h) } }
            @if let Some(e) = error { p.error id=(error_id) { (ui.t("Erreur : ", "Error: ")) (e) } }
        }
    }
}

/// The files of a tender.
#[rustfmt::skip]
const FILES: &[Offered] = &[
    ("annexe.docx", ["Annexe (Word)", "Annex (Word)"], [
        "les clauses pour le CCTP, le CCAP et le règlement de la consultation",
        "the clauses for the technical and administrative specifications and the tender rules"]),
    ("annexe.md", ["Annexe (Markdown)", "Annex (Markdown)"], [
        "le même texte, pour le relire ou le comparer", "the same text, to proofread or compare"]),
    ("questionnaire.xlsx", ["Questionnaire (Excel)", "Questionnaire (Excel)"], [
        "à joindre au dossier de consultation : listes déroulantes, questions verrouillées",
        "for the tender documents: drop-downs, locked questions"]),
    ("questionnaire.docx", ["Questionnaire (Word)", "Questionnaire (Word)"], [
        "la même grille, pour qui préfère Word", "the same grid, for those who prefer Word"]),
    ("questionnaire.xlsx.boussole.lock", ["Verrou du questionnaire", "Questionnaire lock"], [
        "à garder : les réponses seront analysées contre lui", "keep it: answers will be checked against it"]),
    ("profil.toml", ["Profil de la consultation", "Tender profile"], [
        "à garder pour reprendre ou modifier la consultation", "keep it to come back to or change the tender"]),
];

/// GET `/consultation/{id}`: the tender's summary and its files.
pub async fn show(
    State(state): State<Shared>,
    ui: Ui,
    who: Visitor,
    Path(id): Path<String>,
) -> Page {
    let t = tender(&state, ui, &who, &id)?;
    let lang = t.profile.tender.language;
    let title = ui.t("Documents de la consultation", "Tender documents");
    let vendor_questions = t.questionnaire(Audience::Vendor).questions().count();
    Ok(page::page(
        ui,
        title,
        "/consultation",
        html! {
            h1 { (title) }
            p.lead { (t.profile.tender.reference) " — " (t.profile.tender.title) " (" (t.profile.buyer.name) ")" }
            @if !t.warnings.is_empty() {
                div.notice role="status" {
                    h2 { (ui.t("À vérifier", "To check")) }
                    ul { @for w in &t.warnings { li { (w) } } }
                }
            }
            p { (t.selection.clauses.len()) " " (ui.t("clauses et", "clauses and")) " " (vendor_questions) " " (ui.t("questions aux soumissionnaires.", "questions to vendors.")) }
            table {
                caption { (ui.t("Plan de notation de la boussole", "Compass scoring plan")) }
                thead { tr { th scope="col" { (ui.t("Critère", "Criterion")) } th scope="col" { (ui.t("Sous-pondération (sur 100)", "Sub-weight (out of 100)")) } th scope="col" { (ui.t("Note minimale", "Minimum score")) } } }
                tbody {
                    @for c in &t.selection.criteria {
                        tr {
                            th scope="row" { (c.order) ". " (c.title.get(lang)) }
                            td.num { (crate::text::number(c.weight, ui.lang)) }
                            td.num { @if let Some(m) = c.minimum { (crate::text::number(m, ui.lang)) } @else { "—" } }
                        }
                    }
                }
            }
            h2 { (ui.t("Télécharger", "Download")) }
            (page::downloads(ui, (&format!("/consultation/{id}/"), ""), FILES, &[]))
            (super::kept::issue_form(&state, ui, &who, &id))
            h2 { (ui.t("Ensuite", "Next")) }
            ul {
                li { a href={ "/analyse?consultation=" (id) } { (ui.t("Analyser les réponses à cette consultation", "Check the answers to this tender")) } }
                li { a href={ "/grille?consultation=" (id) } { (ui.t("Préparer la grille interne de cette consultation", "Prepare this tender's internal grid")) } }
                li { a href={ "/consultation?depuis=" (id) } { (ui.t("Modifier la consultation", "Change the tender")) } }
            }
        },
    ))
}

/// GET `/consultation/{id}/{file}`.
pub async fn download(
    State(state): State<Shared>,
    ui: Ui,
    who: Visitor,
    Path((id, file)): Path<(String, String)>,
) -> Page {
    let t = tender(&state, ui, &who, &id)?;
    if !FILES.iter().any(|(f, _, _)| *f == file) {
        return Err(ui.gone());
    }
    let name = file.clone();
    let bytes = blocking(ui, move || {
        let lang = t.profile.tender.language;
        let q = t.questionnaire(Audience::Vendor);
        Ok(match name.as_str() {
            "annexe.docx" => docx::render(&crate::annex::build(&t.selection, &t.profile, lang))?,
            "annexe.md" => {
                markdown::render(&crate::annex::build(&t.selection, &t.profile, lang)).into_bytes()
            }
            "questionnaire.xlsx" => questionnaire::xlsx::render(&q)?,
            "questionnaire.docx" => questionnaire::docx::render(&q)?,
            "questionnaire.xlsx.boussole.lock" => Lock::new(&q).to_json().into_bytes(),
            _ => t.text.clone().into_bytes(),
        })
    })
    .await?;
    Ok(page::download(&file, bytes))
}
