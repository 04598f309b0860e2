//! « Notation de la commission »: the evaluation committee's marks on the
//! elements boussole never marks (free-text answers), 0 to 4 against the
//! published levels, with the committee's reasons; applied to every report
//! exactly as `boussole check --marks` applies a marking sheet's. On a
//! dossier's analysis the marks are kept in the dossier, each with who
//! recorded it and when; only members of the committee record them.

use std::collections::BTreeMap;

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::html;

use super::access::Visitor;
use super::analysis::{Batch, batch, vendor_name};
use super::page::{self, Page, Ui, see_other};
use super::{Shared, upload};
use crate::check::QuestionResult;
use crate::dossier::{Act, Marked};
use crate::report::marks::{self, Mark, Marks};
use crate::report::{FileReport, Report};
use crate::scoring::{self, COMMITTEE_MAX, Earned};
use crate::text::Lang;

/// An element of an offer the committee marks: the offer's place in the
/// batch, the question.
pub type Key = (usize, String);

/// A mark given on the page, or kept in the dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Given {
    /// 0 to 4.
    pub mark: u8,
    /// The committee's reasons.
    pub reasons: String,
    /// When and by whom it was recorded (`2027-01-12 — camille`).
    pub recorded: String,
}

/// An offer with its elements to mark: its place in the batch, its report,
/// each element's place among its questions and its result.
type Offer<'a> = (usize, &'a FileReport, Vec<(usize, &'a QuestionResult)>);

/// The elements of `report`'s offers the committee marks: offers that may
/// be scored, questions on the committee's scale.
pub fn elements(report: &Report) -> Vec<(usize, &FileReport, usize, &QuestionResult)> {
    let mut out = Vec::new();
    for (n, r) in report.results.iter().enumerate() {
        if !r.judgment.as_ref().is_some_and(|j| j.scored()) {
            continue;
        }
        for (k, q) in r.questions.iter().enumerate() {
            if q.earned == Some(Earned::ToMark) {
                out.push((n, r, k, q));
            }
        }
    }
    out
}

/// `report` with the marks `given` on the elements of `b`'s offers.
pub fn apply(b: &Batch, report: &mut Report, given: &BTreeMap<Key, Given>) {
    if given.is_empty() {
        return;
    }
    let entries = (1..)
        .zip(given)
        .filter_map(|(row, ((n, question), g))| {
            let r = b.judged.results.get(*n)?;
            Some(Mark {
                row,
                sha256: r.sha256.clone(),
                file: r.file.clone(),
                question: question.clone(),
                mark: g.mark,
                reasons: g.reasons.clone(),
                recorded: g.recorded.clone(),
            })
        })
        .collect();
    let source = match b.basis.lang {
        Lang::Fr => "notation de la commission (boussole serve)",
        Lang::En => "committee marks (boussole serve)",
    };
    let marks = Marks {
        source: source.into(),
        sha256: String::new(),
        entries,
        warnings: Vec::new(),
    };
    marks::apply(report, &b.basis, marks);
}

/// The marks in force on the elements of `b`'s offers, from those kept in
/// its dossier (a new version of an offer is marked anew).
pub fn in_force(report: &Report, kept: &[Marked]) -> BTreeMap<Key, Given> {
    let mut out = BTreeMap::new();
    for ((offer, sha256, question), m) in crate::dossier::marks_in_force(kept) {
        let n = report
            .results
            .iter()
            .position(|r| r.file == offer && r.sha256 == sha256);
        if let (Some(n), Some(mark)) = (n, m.mark) {
            let given = Given {
                mark,
                reasons: m.reasons.clone(),
                recorded: format!("{} — {}", m.at.chars().take(10).collect::<String>(), m.who),
            };
            out.insert((n, question.to_string()), given);
        }
    }
    out
}

/// GET `/analyse/{id}/notes`: every element to mark, with its mark.
pub async fn form(
    State(state): State<Shared>,
    ui: Ui,
    who: Visitor,
    Path(id): Path<String>,
) -> Page {
    let b = batch(&state, ui, &who, &id).await?;
    let marks = match (&b.dossier, &state.dossiers) {
        (Some(name), Some(store)) => store.lock().is_ok_and(|s| who.may(&s, name, Act::Mark)),
        _ => true,
    };
    Ok(render(ui, &who, &id, &b, None, !marks))
}

/// The marking form; `refused` says why what was sent was not kept.
fn render(
    ui: Ui,
    who: &Visitor,
    id: &str,
    b: &Batch,
    refused: Option<&str>,
    read_only: bool,
) -> Response {
    let given = b.marks.lock().map(|m| m.clone()).unwrap_or_default();
    let lang = ui.lang;
    let words = b.basis.lang;
    let title = ui.t("Notation de la commission", "Committee marks");
    let elements = elements(&b.judged);
    let questions = &b.basis.selection.questions;
    let mut offers: Vec<Offer<'_>> = Vec::new();
    for (n, r, k, q) in elements {
        match offers.last_mut() {
            Some((m, _, list)) if *m == n => list.push((k, q)),
            _ => offers.push((n, r, vec![(k, q)])),
        }
    }
    let body = html! {
        p { a href={ "/analyse/" (id) } { "← " (ui.t("Résultats de l'analyse", "Results")) } }
        h1 { (title) }
        @if let Some(why) = refused { div.alert role="alert" { p { (why) } } }
        p.lead { (ui.t(
            "boussole ne note jamais un texte libre\u{a0}: la commission d'évaluation note chacun de ces éléments de 0 à 4 selon les niveaux publiés, et dit pourquoi. Tant qu'un élément attend sa note, il compte 0 et le classement est provisoire.",
            "boussole never marks free text: the evaluation committee marks each of these elements from 0 to 4 against the published levels, and says why. While an element waits for its mark, it counts 0 and the ranking is provisional.",
        )) }
        @if read_only {
            p.notice role="status" { (ui.t(
                "Votre rôle dans ce dossier ne permet pas de noter\u{a0}: les notes sont affichées en lecture seule.",
                "Your role in this dossier does not allow marking: the marks are shown read-only.",
            )) }
        }
        @if offers.is_empty() {
            p { (ui.t("Aucun élément à noter dans cette analyse.", "No element to mark in this analysis.")) }
        } @else {
            form method="post" action={ "/analyse/" (id) "/notes" } {
                (page::token(who))
                input type="hidden" name="revision" value=(b.revision);
                @for (n, r, list) in &offers {
                    h2 { (vendor_name(r)) }
                    @for (k, q) in list {
                        @let key = (*n, q.id.clone());
                        @let current = given.get(&key);
                        @let id_m = format!("m-{n}-{k}");
                        @let id_r = format!("r-{n}-{k}");
                        @let id_w = format!("w-{n}-{k}");
                        @let shown = current.map_or(String::new(), |g| g.mark.to_string());
                        @let reasons = current.map_or("", |g| g.reasons.as_str());
                        @let question = questions.iter().find(|x| x.id == q.id);
                        @let levels = scoring::descriptors(question.map_or(&[][..], |x| &x.descriptors[..]), lang);
                        fieldset.decision {
                            legend { (q.id) " — " (vendor_name(r)) }
                            input type="hidden" name={ "was-" (id_m) } value=(shown);
                            input type="hidden" name={ "was-" (id_r) } value=(reasons);
                            p.what id=(id_w) {
                                @if let Some(x) = question { span lang=[(words != lang).then(|| words.code())] { (x.text.get(words)) } br; }
                                span.vendor { (ui.t("Réponse : ", "Answer: ")) @if q.raw.is_empty() { em { (ui.t("(vide)", "(empty)")) } } @else { span lang=(words.code()) { (crate::finding::shown(&q.raw, words)) } } }
                                @if !q.document.is_empty() { br; span.vendor { (ui.t("Pièce citée : ", "Document cited: ")) (q.document) } }
                            }
                            label for=(id_m) { (ui.t("Note de ", "Mark of ")) (q.id) " (" (vendor_name(r)) ")" }
                            select id=(id_m) name=(id_m) aria-describedby=(id_w) disabled[read_only] {
                                option value="" selected[shown.is_empty()] { (ui.t("— pas encore notée —", "— not marked yet —")) }
                                @for (v, level) in (0..=COMMITTEE_MAX).zip(&levels) {
                                    option value=(v) selected[shown == v.to_string()] { (v) " — " (level) }
                                }
                            }
                            label for=(id_r) { (ui.t("Motifs de la note ", "Reasons for the mark ")) (q.id) " (" (vendor_name(r)) ")" }
                            input type="text" id=(id_r) name=(id_r) value=(reasons) aria-describedby=(id_w) disabled[read_only];
                        }
                    }
                }
                @if !read_only { button type="submit" { (ui.t("Enregistrer les notes", "Save the marks")) } }
            }
        }
    };
    page::layout(ui, title, "/analyse", body).into_response()
}

/// POST `/analyse/{id}/notes`: records the marks changed in the form, then
/// back to the results.
pub async fn submit(
    State(state): State<Shared>,
    ui: Ui,
    who: Visitor,
    Path(id): Path<String>,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Page {
    let input = upload::fields(&who, ui, form)?;
    let b = super::kept::sent_for(
        &state,
        ui,
        &who,
        (&id, input.get("revision")),
        Act::Mark,
        (
            "notes",
            ui.t(
                "Rouvrir la notation de la commission",
                "Open the committee marks again",
            ),
        ),
    )
    .await?;
    let field = |k: &str| input.get(k).map(|v| v.trim().to_string());
    let today: String = crate::report::generated_at().chars().take(10).collect();
    let mut given = b
        .marks
        .lock()
        .map_err(|_| ui.fail(StatusCode::INTERNAL_SERVER_ERROR, "lock"))?;
    let mut next = given.clone();
    let mut changes = Vec::new();
    for (n, r, k, q) in elements(&b.judged) {
        let (id_m, id_r) = (format!("m-{n}-{k}"), format!("r-{n}-{k}"));
        let chosen = field(&id_m).unwrap_or_default();
        let reasons = field(&id_r).unwrap_or_default();
        let was = (field(&format!("was-{id_m}")), field(&format!("was-{id_r}")));
        if was == (Some(chosen.clone()), Some(reasons.clone())) {
            continue; // untouched in this form: what is recorded stays
        }
        let mark = match chosen.as_str() {
            "" => None,
            v => match v.parse::<u8>() {
                Ok(m) if m <= COMMITTEE_MAX => Some(m),
                _ => {
                    drop(given);
                    let why = ui.t(
                        "Une note est un nombre entier de 0 à 4. Rien n'a été enregistré.",
                        "A mark is a whole number from 0 to 4. Nothing was saved.",
                    );
                    return Ok((
                        StatusCode::UNPROCESSABLE_ENTITY,
                        render(ui, &who, &id, &b, Some(why), false),
                    )
                        .into_response());
                }
            },
        };
        let key = (n, q.id.clone());
        let before = given.get(&key);
        let after = mark.map(|mark| Given {
            mark,
            reasons: reasons.clone(),
            recorded: format!("{today} — {}", who.name()),
        });
        let same = |a: &Given, b: &Given| a.mark == b.mark && a.reasons == b.reasons;
        if before.zip(after.as_ref()).is_some_and(|(b, a)| same(b, a)) {
            continue;
        }
        if before.is_none() && after.is_none() {
            continue;
        }
        changes.push(Marked {
            at: String::new(),
            who: String::new(),
            offer: r.file.clone(),
            sha256: r.sha256.clone(),
            question: q.id.clone(),
            mark,
            reasons,
        });
        match after {
            Some(g) => next.insert(key, g),
            None => next.remove(&key),
        };
    }
    // A dossier's analysis: every change kept in the dossier first, in one
    // transaction, if the person marks there; nothing changes here when it
    // cannot be.
    if let Some(name) = &b.dossier
        && !changes.is_empty()
    {
        super::kept::mark(&state, ui, &who, name, &changes)?;
    }
    *given = next;
    Ok(see_other(&format!("/analyse/{id}")))
}
