//! « Revue juridique »: a decision on each finding (accepted, rejected,
//! clarification requested), with the reviewer and a comment. Decisions
//! are kept with the batch and applied to every report exactly as `boussole
//! check --decisions` applies those typed in the scoring workbook, which
//! can be downloaded with them.

use std::collections::BTreeMap;

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::html;

use super::access::Visitor;
use super::analysis::{Batch, batch, recent, vendor_name};
use super::page::{self, Page, Ui, see_other};
use super::{Shared, upload};
use crate::finding::{Decision, DecisionKind};

/// The value a decision has in the form.
fn value(kind: DecisionKind) -> &'static str {
    match kind {
        DecisionKind::Lifted => "lifted",
        DecisionKind::Confirmed => "confirmed",
        DecisionKind::ClarificationRequested => "clarification_requested",
    }
}

/// GET `/revue`: the analyses whose findings can be reviewed.
pub async fn index(State(state): State<Shared>, ui: Ui, who: Visitor) -> Page {
    let title = ui.t("Revue juridique", "Legal review");
    Ok(page::page(
        ui,
        title,
        "/revue",
        html! {
            h1 { (title) }
            p.lead { (ui.t(
                "Choisissez une analyse pour décider de ses constats. Pour en créer une, déposez des réponses dans « Analyser des réponses ».",
                "Choose an analysis to decide on its findings. To make one, drop answers in “Check answers”.",
            )) }
            (super::kept::analyses(&state, ui, &who))
            (recent(&state, ui, &who))
        },
    ))
}

/// GET `/analyse/{id}/revue`: every finding with its decision.
pub async fn form(
    State(state): State<Shared>,
    ui: Ui,
    who: Visitor,
    Path(id): Path<String>,
) -> Page {
    let b = batch(&state, ui, &who, &id).await?;
    let decides = match (&b.dossier, &state.dossiers) {
        (Some(name), Some(store)) => store
            .lock()
            .is_ok_and(|s| who.may(&s, name, crate::dossier::Act::Decide)),
        _ => true,
    };
    let read_only = !decides;
    Ok(render(ui, &who, &id, &b, None, StatusCode::OK, read_only))
}

/// The review form; `posted` (with why it was refused) shows what was sent back.
fn render(
    ui: Ui,
    who: &Visitor,
    id: &str,
    b: &Batch,
    posted: Option<(&BTreeMap<String, String>, &str)>,
    status: StatusCode,
    read_only: bool,
) -> Response {
    // On a shared server, the reviewer is the person logged in unless they say otherwise.
    let reviewer = match who.account() {
        Some(_) => who.full_name(),
        None => "",
    };
    let decided = b.decisions.lock().map(|d| d.clone()).unwrap_or_default();
    let lang = ui.lang;
    let title = ui.t("Revue juridique", "Legal review");
    // The tab's title tells this batch's review from the list of reviews.
    let tab = format!(
        "{title} — {} ({})",
        b.judged.profile.reference,
        crate::text::counted(
            b.judged.results.len(),
            lang,
            ("offre", "offres"),
            ("offer", "offers")
        )
    );
    let total: usize = b.judged.results.iter().map(|r| r.findings.len()).sum();
    let sent = |name: &str| posted.and_then(|(p, _)| p.get(name)).map(String::as_str);
    let body = html! {
        p { a href={ "/analyse/" (id) } { "← " (ui.t("Résultats de l'analyse", "Results")) } }
        h1 { (title) }
        @if let Some(name) = &b.dossier {
            p.notice role="status" { (ui.t(
                "Chaque décision est gardée dans le dossier avec son relecteur et sa date\u{a0}; la dernière sur un constat est celle qui compte, les précédentes restent dans ",
                "Each decision is kept in the dossier with its reviewer and date; the latest on a finding is the one that counts, the earlier ones stay in ",
            )) a href={ (super::dossier::href(name)) "#chronologie" } { (ui.t("la chronologie du dossier", "the dossier's timeline")) } "." }
        }
        @if let Some((_, why)) = posted {
            div.alert role="alert" { p { a href="#relecteur" { (why) } } }
        }
        p.lead { (total) " " (ui.t(
            "constat(s). Un constat levé ne compte plus dans le jugement de l'offre (une décision n'ajoute jamais de points). Un constat confirmé ou une précision demandée ne changent que le dossier.",
            "finding(s). A lifted finding no longer counts in the offer's judgment (a decision never adds points). A confirmed finding or a clarification requested change only the record.",
        )) }
        @if read_only {
            p.notice role="status" { (ui.t(
                "Votre rôle dans ce dossier ne permet pas de décider\u{a0}: les constats et les décisions sont affichés en lecture seule.",
                "Your role in this dossier does not allow deciding: the findings and decisions are shown read-only.",
            )) }
        }
        form method="post" action={ "/analyse/" (id) "/revue" } {
            (page::token(who))
            input type="hidden" name="revision" value=(b.revision);
            div.field.invalid[posted.is_some()] {
                label for="relecteur" { (ui.t("Relecteur", "Reviewer")) span aria-hidden="true" { " *" } }
                input type="text" id="relecteur" name="relecteur" autocomplete="name" value=(sent("relecteur").unwrap_or(reviewer)) required disabled[read_only]
                    aria-describedby=(if posted.is_some() { "relecteur-aide relecteur-erreur" } else { "relecteur-aide" }) aria-invalid=[posted.map(|_| "true")];
                p.hint id="relecteur-aide" { (ui.t("Obligatoire pour toute décision : votre nom, enregistré avec chaque décision nouvelle ou modifiée.", "Required for any decision: your name, recorded with each new or changed decision.")) }
                @if let Some((_, why)) = posted { p.error id="relecteur-erreur" { (ui.t("Erreur : ", "Error: ")) (why) } }
            }
            @for (n, r) in b.judged.results.iter().enumerate().filter(|(_, r)| !r.findings.is_empty()) {
                h2 { (vendor_name(r)) }
                fieldset {
                    legend { (vendor_name(r)) " — " (r.file) }
                    @for (k, f) in r.findings.iter().enumerate() {
                        @let key = (n, f.question.clone(), f.code);
                        @let current = decided.get(&key);
                        @let id_d = format!("d-{n}-{k}");
                        @let id_c = format!("c-{n}-{k}");
                        @let id_w = format!("w-{n}-{k}");
                        @let chosen = sent(&id_d).unwrap_or_else(|| current.map_or("", |d| value(d.decision)));
                        @let comment = sent(&id_c).unwrap_or_else(|| current.map_or("", |d| d.comment.as_str()));
                        // What the form showed: a finding left as it was is not
                        // decided again over another reviewer's decision since.
                        @let was_d = sent(&format!("was-{id_d}")).unwrap_or_else(|| current.map_or("", |d| value(d.decision)));
                        @let was_c = sent(&format!("was-{id_c}")).unwrap_or_else(|| current.map_or("", |d| d.comment.as_str()));
                        input type="hidden" name={ "was-" (id_d) } value=(was_d);
                        input type="hidden" name={ "was-" (id_c) } value=(was_c);
                        div.decision {
                            // The finding describes both controls; its message is in the
                            // report's language, the vendor's words in the tender's.
                            @let parts = super::vendor::Parts::of(&b.basis, lang);
                            p.what id=(id_w) {
                                strong { (f.question) } " · " (f.severity.label(lang)) " · " (f.status.label(lang)) " — " span lang=[parts.report] { (f.message) }
                                br; span.vendor { (ui.t("Réponse : ", "Answer: ")) @if f.answer.is_empty() { em { (ui.t("(vide)", "(empty)")) } } @else { span lang=[parts.words] { (f.answer) } } }
                                @if let Some(d) = current { br; span.recorded { (ui.t("Enregistré : ", "Recorded: ")) (crate::report::decisions::decided(d, lang)) } }
                            }
                            label for=(id_d) { (ui.t("Décision sur ", "Decision on ")) (f.question) " (" (vendor_name(r)) ")" }
                            select id=(id_d) name=(id_d) aria-describedby=(id_w) disabled[read_only] {
                                option value="" selected[chosen.is_empty()] { (ui.t("— pas de décision —", "— no decision —")) }
                                @for kind in DecisionKind::ALL {
                                    option value=(value(kind)) selected[chosen == value(kind)] { (kind.label(lang)) }
                                }
                            }
                            label for=(id_c) { (ui.t("Commentaire sur ", "Comment on ")) (f.question) " (" (vendor_name(r)) ")" }
                            input type="text" id=(id_c) name=(id_c) value=(comment) aria-describedby=(id_w) disabled[read_only];
                        }
                    }
                    // Saving needs no tabbing through the other vendors' findings.
                    @if !read_only { button type="submit" { (ui.t("Enregistrer les décisions", "Save the decisions")) } }
                }
            }
            @if !read_only { button type="submit" { (ui.t("Enregistrer les décisions", "Save the decisions")) } }
        }
        p { a href={ "/analyse/" (id) "/fichiers/rapport.xlsx" } download { (ui.t("Exporter le classeur d'analyse avec les décisions", "Export the scoring workbook with the decisions")) } }
    };
    (status, page::layout(ui, &tab, "/revue", body)).into_response()
}

/// POST `/analyse/{id}/revue`: records the decisions, then back to the results.
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
        crate::dossier::Act::Decide,
        (
            "revue",
            ui.t(
                "Rouvrir la revue juridique du dossier",
                "Open the dossier's legal review again",
            ),
        ),
    )
    .await?;
    let reviewer = input
        .get("relecteur")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let today: String = crate::report::generated_at().chars().take(10).collect();
    let mut decided = b
        .decisions
        .lock()
        .map_err(|_| ui.fail(StatusCode::INTERNAL_SERVER_ERROR, "lock"))?;
    let mut next = decided.clone();
    for (n, r) in b.judged.results.iter().enumerate() {
        for (k, f) in r.findings.iter().enumerate() {
            let key = (n, f.question.clone(), f.code);
            let chosen = input
                .get(&format!("d-{n}-{k}"))
                .map(String::as_str)
                .unwrap_or_default();
            let comment = input
                .get(&format!("c-{n}-{k}"))
                .map(|c| c.trim().to_string())
                .unwrap_or_default();
            let shown = (
                input.get(&format!("was-d-{n}-{k}")),
                input.get(&format!("was-c-{n}-{k}")),
            );
            if let (Some(was_d), Some(was_c)) = shown
                && was_d == chosen
                && was_c.trim() == comment
            {
                continue; // untouched in this form: what is recorded stays
            }
            let Some(kind) = DecisionKind::ALL.into_iter().find(|k| value(*k) == chosen) else {
                next.remove(&key);
                continue;
            };
            let unchanged = decided
                .get(&key)
                .is_some_and(|d| d.decision == kind && d.comment == comment);
            if unchanged {
                continue;
            }
            if reviewer.is_empty() {
                drop(decided);
                let why = ui.t(
                    "Indiquez le relecteur : son nom est enregistré avec chaque décision. Rien n'a encore été enregistré.",
                    "Give the reviewer: the name is recorded with each decision. Nothing has been saved yet.",
                );
                let status = StatusCode::UNPROCESSABLE_ENTITY;
                return Ok(render(
                    ui,
                    &who,
                    &id,
                    &b,
                    Some((&input, why)),
                    status,
                    false,
                ));
            }
            next.insert(
                key,
                Decision {
                    decision: kind,
                    reviewer: reviewer.clone(),
                    date: today.clone(),
                    comment,
                    // as the dossier keeps it (see `Store::decide`)
                    recorded_by: match &b.dossier {
                        Some(_) => who.name().to_string(),
                        None => String::new(),
                    },
                },
            );
        }
    }
    // A dossier's analysis: every change kept in the dossier first, in one
    // transaction; nothing changes here when it cannot be.
    if let Some(name) = &b.dossier {
        let changes = super::kept::changes(&b, &decided, &next, &reviewer);
        if !changes.is_empty() {
            super::kept::decide(&state, ui, &who, name, &changes)?;
        }
    }
    *decided = next;
    Ok(see_other(&format!("/analyse/{id}")))
}
