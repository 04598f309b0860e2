//! After award, on a ranked offer's page: its answers as the contract's
//! commitments and the forms its contractor fills, made on demand exactly
//! as `boussole award` and `boussole followup template` make them.

use axum::extract::{Path, State};
use maud::{Markup, html};

use super::Shared;
use super::access::Visitor;
use super::analysis::batch;
use super::page::{self, Offered, Page, Ui, blocking};
use crate::award::{self, yearly::Form};
use crate::judgment::Standing;
use crate::report::FileReport;

/// What a ranked offer's page offers for after the award.
#[rustfmt::skip]
const FILES: &[Offered] = &[
    ("engagements.md", ["Engagements du titulaire", "The contractor's commitments"], [
        "Les réponses de l'offre qui engagent le titulaire, question par question, avec leurs clauses.",
        "The answers of the offer that bind the contractor, question by question, with their clauses."]),
    ("engagements.json", ["Engagements scellés (JSON)", "Sealed commitments (JSON)"], [
        "Le même relevé scellé par son empreinte : la base contre laquelle les rapports annuels sont vérifiés.",
        "The same record sealed by its digest: what the yearly reports are checked against."]),
    ("rapport-annee-1.xlsx", ["Rapport annuel, année 1", "Yearly report, year 1"], [
        "Le classeur que le titulaire remplit chaque année, prérempli des valeurs promises.",
        "The workbook the contractor fills every year, prefilled with the values promised."]),
    ("avis-changement-modele.xlsx", ["Avis de changement de modèle", "Notice of a change of model"], [
        "Ce que le titulaire remplit avant de changer de modèle : quoi, pourquoi, quand, les tests refaits.",
        "What the contractor fills before changing its model: what, why, when, the tests repeated."]),
];

/// The section of the offer's page, when the offer may be awarded (ranked).
pub fn section(ui: Ui, id: &str, n: usize, r: &FileReport) -> Markup {
    let ranked = r.error.is_none()
        && r.judgment
            .as_ref()
            .is_some_and(|j| j.standing == Standing::Ranked);
    if !ranked {
        return html! {};
    }
    html! {
        section aria-labelledby="attribution" {
            h2 #attribution { (ui.t("Après l'attribution", "After the award")) }
            p { (ui.t(
                "Si le marché est attribué à ce soumissionnaire, ses réponses deviennent les engagements du contrat ; chaque année, il déclare ce qu'il a fait et boussole le rapproche de ce qu'il a promis (commande « boussole followup check »).",
                "If the contract is awarded to this vendor, its answers become the contract's commitments; every year, it reports what it did and boussole compares it with what it promised (command « boussole followup check »).",
            )) }
            (page::downloads(ui, (&format!("/analyse/{id}/offre/{n}/attribution/"), ""), FILES, &[]))
        }
    }
}

/// GET `/analyse/{id}/offre/{n}/attribution/{file}`: the commitments or a
/// form, made now; `rapport-annee-N.xlsx` for any year from 1 to 20.
pub async fn download(
    State(state): State<Shared>,
    ui: Ui,
    who: Visitor,
    Path((id, n, file)): Path<(String, String, String)>,
) -> Page {
    let b = batch(&state, ui, &who, &id).await?;
    let index = n
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .ok_or_else(|| ui.gone())?;
    let name = file.clone();
    let bytes = blocking(ui, move || {
        let report = b.report();
        let Some(r) = report.results.get(index) else {
            return Ok(None);
        };
        let Ok(award) = award::commitments(r, &b.basis) else {
            return Ok(None);
        };
        let year = name
            .strip_prefix("rapport-annee-")
            .and_then(|y| y.strip_suffix(".xlsx"))
            .and_then(|y| y.parse::<u32>().ok())
            .filter(|y| (1..=20).contains(y));
        Ok(Some(match (name.as_str(), year) {
            ("engagements.json", _) => serde_json::to_string_pretty(&award)
                .map_err(|e| crate::Error::Usage(e.to_string()))?
                .into_bytes(),
            ("engagements.md", _) => award
                .markdown(
                    b.basis.lang,
                    &crate::annex::article_numbers(&b.basis.selection),
                )
                .into_bytes(),
            ("avis-changement-modele.xlsx", _) => {
                award::workbook::template(&b.basis, &award, Form::Notice)?
            }
            (_, Some(year)) => award::workbook::template(&b.basis, &award, Form::Year(year))?,
            _ => return Ok(None),
        }))
    })
    .await?
    .ok_or_else(|| ui.gone())?;
    Ok(page::download(&file, bytes))
}
