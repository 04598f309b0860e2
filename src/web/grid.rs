//! « Grille interne »: the project group's grid to download, then the
//! completed grid (and any yearly follow-up sheets) uploaded, and the
//! opinion boussole proposes, to read and download.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use maud::html;

use super::access::Visitor;
use super::analysis::{Against, basis};
use super::consultation::tender_or_default;
use super::page::{self, Fail, Offered, Page, Ui, blocking, see_other};
use super::{Shared, store, upload};
use crate::check::Basis;
use crate::grid::Opinion;
use crate::grid::opinion::{self, Review};
use crate::library::Audience;
use crate::office::{docx, markdown};
use crate::questionnaire::lock::Lock;
use crate::text::Lang;

/// A completed grid, reviewed.
pub struct Reviewed {
    /// What it was reviewed against.
    pub basis: Basis,
    /// The opinion proposed.
    pub review: Review,
}

/// The grid's files.
#[rustfmt::skip]
const FILES: &[Offered] = &[
    ("grille.xlsx", ["Grille d'évaluation (Excel)", "Evaluation grid (Excel)"], [
        "à remplir par le groupe projet, avec l'avis par critère",
        "for the project group to complete, with the opinion per criterion"]),
    ("grille.docx", ["Grille d'évaluation (Word)", "Evaluation grid (Word)"], [
        "la même grille, pour qui préfère Word", "the same grid, for those who prefer Word"]),
    ("grille.xlsx.boussole.lock", ["Verrou de la grille", "Grid lock"], [
        "à garder : la grille remplie sera relue contre lui",
        "keep it: the completed grid will be reviewed against it"]),
    ("suivi-annee-1.xlsx", ["Fiche de suivi, année 1", "Follow-up sheet, year 1"], [
        "le suivi annuel des indicateurs après la mise en service",
        "the yearly follow-up of the indicators after go-live"]),
];

/// The opinion's files.
#[rustfmt::skip]
const OPINION: &[Offered] = &[
    ("avis.docx", ["Avis (Word)", "Opinion (Word)"], ["pour la validation politique", "for political validation"]),
    ("avis.md", ["Avis (Markdown)", "Opinion (Markdown)"], ["le même texte", "the same text"]),
    ("avis.json", ["Avis (JSON)", "Opinion (JSON)"], ["pour d'autres outils", "for other tools"]),
];

/// GET `/grille`: the grid to download, and the form for the completed one.
pub async fn page(
    State(state): State<Shared>,
    ui: Ui,
    who: Visitor,
    Query(q): Query<Against>,
) -> Page {
    let id = q.consultation.unwrap_or_default();
    render(&state, ui, &who, &id, None)
}

/// A file of the form that could not be taken: its field (`grille`,
/// `suivis`) and why, in the page's language.
type Refused<'a> = Option<(&'a str, &'a str)>;

/// The grid page for the tender `id`; after a refused upload, the form
/// again with the error at its field.
fn render(state: &Shared, ui: Ui, who: &Visitor, id: &str, refused: Refused<'_>) -> Page {
    let t = tender_or_default(state, ui, who, Some(id))?;
    let suffix = if id.is_empty() {
        String::new()
    } else {
        format!("?consultation={id}")
    };
    let title = ui.t("Grille interne", "Internal grid");
    let head = match (refused, ui.lang) {
        (None, _) => title.to_string(),
        (Some(_), Lang::Fr) => format!("Erreur\u{a0}: {title}"),
        (Some(_), Lang::En) => format!("Error: {title}"),
    };
    let error = |field: &str| refused.filter(|(f, _)| *f == field).map(|(_, why)| why);
    let invalid = |field: &str| error(field).map(|_| "true");
    let described = |field: &str| error(field).map(|_| format!("{field}-erreur"));
    let body = html! {
        h1 { (title) }
        p.lead { (ui.t(
            "Avant tout achat, le groupe projet applique la boussole au cas d'usage : la grille interne, puis l'avis proposé pour la validation.",
            "Before anything is bought, the project group applies the compass to the use case: the internal grid, then the opinion proposed for validation.",
        )) }
        @if let Some((field, why)) = refused {
            div.alert role="alert" id="erreurs" tabindex="-1" {
                p { a href={ "#" (field) } { (why) } }
            }
        }
        p { (ui.t("Consultation : ", "Tender: ")) strong { (t.profile.tender.reference) " — " (t.profile.tender.title) } }
        h2 { (ui.t("1. Télécharger la grille", "1. Download the grid")) }
        (page::downloads(ui, ("/grille/fichiers/", &suffix), FILES, &[]))
        h2 { (ui.t("2. Relire la grille remplie", "2. Review the completed grid")) }
        form method="post" action="/grille#erreurs" enctype="multipart/form-data" {
            (page::token(who))
            input type="hidden" name="consultation" value=(id);
            div.field.invalid[error("grille").is_some()] {
                label for="grille" { (ui.t("Grille remplie (obligatoire)", "Completed grid (required)")) }
                input type="file" id="grille" name="grille" required accept=".xlsx,.xlsm,.xls,.ods,.docx"
                    aria-invalid=[invalid("grille")] aria-describedby=[described("grille")];
                @if let Some(why) = error("grille") { p.error id="grille-erreur" { (ui.t("Erreur : ", "Error: ")) (why) } }
            }
            div.field.invalid[error("suivis").is_some()] {
                label for="suivis" { (ui.t("Fiches de suivi annuel (facultatif)", "Yearly follow-up sheets (optional)")) }
                input type="file" id="suivis" name="suivis" multiple accept=".xlsx,.xlsm,.xls,.ods"
                    aria-invalid=[invalid("suivis")] aria-describedby=[described("suivis")];
                @if let Some(why) = error("suivis") { p.error id="suivis-erreur" { (ui.t("Erreur : ", "Error: ")) (why) } }
            }
            div.field {
                label for="verrou" { (ui.t("Verrou de la grille (facultatif)", "Grid lock (optional)")) }
                input type="file" id="verrou" name="verrou" accept=".lock,application/json" aria-describedby="verrou-aide";
                p.hint id="verrou-aide" { (ui.t("Sans lui, la grille est relue contre la consultation ci-dessus.", "Without it, the grid is reviewed against the tender above.")) }
            }
            button type="submit" { (ui.t("Proposer l'avis", "Propose the opinion")) }
        }
    };
    let status = if refused.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, page::layout(ui, &head, "/grille", body)).into_response())
}

/// GET `/grille/fichiers/{file}`.
pub async fn download(
    State(state): State<Shared>,
    ui: Ui,
    who: Visitor,
    Path(file): Path<String>,
    Query(q): Query<Against>,
) -> Page {
    if !FILES.iter().any(|(f, _, _)| *f == file) {
        return Err(ui.gone());
    }
    let t = tender_or_default(&state, ui, &who, q.consultation.as_deref())?;
    let name = file.clone();
    let bytes = blocking(ui, move || {
        let q = t.questionnaire(Audience::Internal);
        Ok(match name.as_str() {
            "grille.xlsx" => crate::questionnaire::xlsx::render(&q)?,
            "grille.docx" => crate::questionnaire::docx::render(&q)?,
            "grille.xlsx.boussole.lock" => Lock::new(&q).to_json().into_bytes(),
            _ => crate::grid::followup::sheet(&t.basis(Audience::Internal), q.lang, 1)?,
        })
    })
    .await?;
    Ok(page::download(&file, bytes))
}

/// POST `/grille`: reviews the completed grid.
pub async fn submit(
    State(state): State<Shared>,
    ui: Ui,
    who: Visitor,
    multipart: Result<Multipart, MultipartRejection>,
) -> Page {
    let sent = upload::read(&who, ui, multipart).await?;
    let basis = basis(&state, ui, &who, &sent, Audience::Internal)?;
    let id = sent.fields.get("consultation").cloned().unwrap_or_default();
    let Some(grid) = sent.files_in("grille").next().cloned() else {
        let why = ui.t(
            "choisissez la grille remplie.",
            "choose the completed grid.",
        );
        return render(&state, ui, &who, &id, Some(("grille", why)));
    };
    let yearly: Vec<upload::File> = sent.files_in("suivis").cloned().collect();
    let isolate = state.config.isolate.clone();
    let lang = ui.lang;
    // A file that cannot be read brings the form back, the error at its field.
    let reviewed = blocking(ui, move || {
        let read = |f: &upload::File| {
            let r = match &isolate {
                Some(exe) => crate::response::read_bytes_isolating_xls(&f.bytes, exe),
                None => crate::response::read_bytes(&f.bytes),
            };
            r.map_err(|e| format!("{} : {}", f.name, e.describe(lang)))
        };
        let completed = match read(&grid) {
            Ok(c) => c,
            Err(why) => return Ok(Err(("grille", why))),
        };
        if opinion::is_followup(&completed) {
            let why = match lang {
                Lang::Fr => format!(
                    "{} : c'est une fiche de suivi annuel, pas la grille remplie.",
                    grid.name
                ),
                Lang::En => format!(
                    "{}: this is a yearly follow-up sheet, not the completed grid.",
                    grid.name
                ),
            };
            return Ok(Err(("grille", why)));
        }
        let sheets = match yearly.iter().map(read).collect::<Result<Vec<_>, _>>() {
            Ok(s) => s,
            Err(why) => return Ok(Err(("suivis", why))),
        };
        let review = opinion::review(&grid.name, &completed, &basis, &sheets);
        Ok(Ok(Reviewed { basis, review }))
    })
    .await?;
    let reviewed = match reviewed {
        Ok(r) => r,
        Err((field, why)) => return render(&state, ui, &who, &id, Some((field, &why))),
    };
    let bytes = store::weight(&reviewed.review) + store::weight(&reviewed.basis.selection);
    let id = store::keep(&state.opinions, ui, &who, reviewed, bytes)?;
    Ok(see_other(&format!("/grille/avis/{id}")))
}

pub fn reviewed(
    state: &Shared,
    ui: Ui,
    who: &Visitor,
    id: &str,
) -> Result<std::sync::Arc<Reviewed>, Fail> {
    store::find(&state.opinions, ui, who, id)
}

fn opinion_label(o: Opinion, lang: Lang) -> &'static str {
    o.label(lang)
}

/// GET `/grille/avis/{id}`: the opinion proposed, criterion by criterion.
pub async fn opinion(
    State(state): State<Shared>,
    ui: Ui,
    who: Visitor,
    Path(id): Path<String>,
) -> Page {
    let r = reviewed(&state, ui, &who, &id)?;
    let lang = ui.lang;
    let title = ui.t("Avis proposé", "Proposed opinion");
    let criterion = |cid: &str| {
        r.basis
            .selection
            .criteria
            .iter()
            .find(|c| c.id == cid)
            .map(|c| format!("{}. {}", c.order, c.title.get(r.basis.lang)))
            .unwrap_or_else(|| cid.to_string())
    };
    Ok(page::page(
        ui,
        title,
        "/grille",
        html! {
            h1 { (title) }
            p.lead { (r.review.tender) " — " (r.review.file) }
            (super::analysis::unverified_lock(&r.basis, ui))
            table {
                caption { (ui.t("Avis par critère : proposition de boussole, avis du groupe projet, avis retenu", "Opinion per criterion: boussole's proposal, the project group's opinion, the opinion retained")) }
                thead { tr {
                    th scope="col" { (ui.t("Critère", "Criterion")) }
                    th scope="col" { (ui.t("Proposition", "Proposal")) }
                    th scope="col" { (ui.t("Avis du groupe", "Group's opinion")) }
                    th scope="col" { (ui.t("Avis retenu", "Retained")) }
                    th scope="col" { (ui.t("Motifs et conditions", "Reasons and conditions")) }
                } }
                tbody {
                    @for c in &r.review.criteria {
                        tr {
                            th scope="row" { (criterion(&c.criterion)) }
                            td { (opinion_label(c.proposal, lang)) }
                            td { @if let Some(g) = c.group { (opinion_label(g, lang)) } @else { "—" }
                                 @if c.disagreement { br; strong { (ui.t("désaccord avec la proposition", "disagrees with the proposal")) } } }
                            td { strong { (opinion_label(c.retained, lang)) } }
                            td {
                                @if !c.reasons.is_empty() { p { (c.reasons) } }
                                @if !c.eliminatory.is_empty() { p { (ui.t("Éliminatoire : ", "Eliminatory: ")) (c.eliminatory.join(", ")) } }
                                @if !c.conditions.is_empty() { ul { @for k in &c.conditions { li { (k.question) " : " (k.message) } } } }
                            }
                        }
                    }
                }
            }
            h2 { (ui.t("Télécharger", "Download")) }
            (page::downloads(ui, (&format!("/grille/avis/{id}/"), ""), OPINION, &[]))
            (super::kept::opinion_form(&state, ui, &who, &id))
        },
    ))
}

/// GET `/grille/avis/{id}/{file}`.
pub async fn opinion_download(
    State(state): State<Shared>,
    ui: Ui,
    who: Visitor,
    Path((id, file)): Path<(String, String)>,
) -> Page {
    let r = reviewed(&state, ui, &who, &id)?;
    if !OPINION.iter().any(|(f, _, _)| *f == file) {
        return Err(ui.gone());
    }
    let name = file.clone();
    let bytes = blocking(ui, move || {
        let lang = r.basis.lang;
        Ok(match name.as_str() {
            "avis.docx" => docx::render(&opinion::document(&r.review, &r.basis, lang))?,
            "avis.md" => {
                markdown::render(&opinion::document(&r.review, &r.basis, lang)).into_bytes()
            }
            _ => (serde_json::to_string_pretty(&r.review).unwrap_or_default() + "\n").into_bytes(),
        })
    })
    .await?;
    Ok(page::download(&file, bytes))
}
