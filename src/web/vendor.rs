//! A vendor's page: its identity, verdict and score, doubts about its file,
//! and each finding with the question, the vendor's words, the rule, the
//! clauses and the legal basis, eliminatory and major first.

use axum::extract::{Path, State};
use maud::{Markup, html};

use super::Shared;
use super::access::Visitor;
use super::analysis::{batch, score, vendor_name, verdict};
use super::page::{self, Page, Ui};
use crate::finding::Finding;
use crate::report::{FileStatus, decisions};
use crate::text::Lang;

/// GET `/analyse/{id}/offre/{n}`: one vendor's findings, eliminatory and major first.
pub async fn page(
    State(state): State<Shared>,
    ui: Ui,
    who: Visitor,
    Path((id, n)): Path<(String, String)>,
) -> Page {
    let b = batch(&state, ui, &who, &id).await?;
    let report = b.report();
    let number = n.parse::<usize>().ok().ok_or_else(|| ui.gone())?;
    let r = number
        .checked_sub(1)
        .and_then(|i| report.results.get(i))
        .ok_or_else(|| ui.gone())?;
    let lang = ui.lang;
    let name = vendor_name(r).to_string();
    let parts = Parts::of(&b.basis, lang);
    Ok(page::page(
        ui,
        &name,
        "/analyse",
        html! {
            p { a href={ "/analyse/" (id) } { "← " (ui.t("Tous les résultats", "All results")) } }
            h1 { (name) }
            dl.facts {
                dt { (ui.t("Fichier", "File")) } dd { (r.file) }
                dt { (ui.t("Verdict", "Verdict")) } dd { (verdict(r, lang)) }
                dt { (ui.t("Note boussole (sur 100)", "Compass score (out of 100)")) } dd { (r.score_text(lang)) }
                dt { (ui.t("Rang", "Rank")) } dd { (r.rank_text(lang)) }
                @if let Some(j) = &r.judgment {
                    @if !j.grounds.is_empty() {
                        dt { (ui.t("Motifs", "Grounds")) }
                        dd { ul { @for g in &j.grounds { li { (g.describe(&b.basis.selection, lang)) } } } }
                    }
                    @if !j.pending.is_empty() {
                        dt { (ui.t("Notes en attente", "Marks pending")) }
                        dd { (j.pending.iter().map(|p| p.question.as_str()).collect::<Vec<_>>().join(", ")) }
                    }
                }
                @if let Some(before) = &r.before_decisions {
                    dt { (ui.t("Avant les décisions", "Before the decisions")) } dd { (before.verdict.label(lang)) ", " (score(before.score, lang)) }
                }
                @if !r.vendor.siret.is_empty() { dt { "SIRET" } dd { (r.vendor.siret) } }
                @if !r.vendor.contact.is_empty() { dt { (ui.t("Contact", "Contact")) } dd { (r.vendor.contact) " " (r.vendor.email) } }
            }
            @if let Some(e) = &r.error {
                div.alert role="alert" { p { (ui.t("Le fichier n'a pas pu être lu : ", "The file could not be read: ")) (e) } }
            }
            @if !r.integrity.is_empty() {
                h2 { (ui.t("Doutes sur le fichier", "Doubts about the file")) }
                ul { @for i in &r.integrity { li { code lang="en" { (i.code) } " " span lang=[parts.report] { (i.message) } } } }
            }
            @if r.status == FileStatus::Ok {
                h2 { (ui.t("Constats", "Findings")) " (" (r.findings.len()) ")" }
                @if r.findings.is_empty() { p { (ui.t("Aucun constat.", "No finding.")) } }
                @for f in &r.findings { (finding(f, lang, parts)) }
            }
            (super::award::section(ui, &id, number, r))
        },
    ))
}

/// The languages of a finding's parts, when not the page's: the report's
/// (question, rule, doubts), the tender's (the vendor's words), French (the
/// legal references, as the law is written).
#[derive(Debug, Clone, Copy)]
pub struct Parts {
    /// The report's language.
    pub report: Option<&'static str>,
    /// The language the vendors answered in.
    pub words: Option<&'static str>,
    /// The legal references'.
    pub law: Option<&'static str>,
}

impl Parts {
    /// The parts' languages on a page in `page` of a batch checked against `basis`.
    pub fn of(basis: &crate::check::Basis, page: Lang) -> Parts {
        let other = |l: Lang| (l != page).then(|| l.code());
        Parts {
            report: other(basis.lang),
            words: other(basis.profile.tender.language),
            law: other(Lang::Fr),
        }
    }
}

/// One finding: the question, the vendor's words, the rule, the clause and
/// the legal basis, each part marked with its language when not the page's.
pub fn finding(f: &Finding, lang: Lang, parts: Parts) -> Markup {
    let t = |fr: &'static str, en: &'static str| if lang == Lang::Fr { fr } else { en };
    let legal = f.printed_legal();
    html! {
        article.finding {
            h3 {
                span class={ "severity " (f.severity.name()) } { (f.severity.label(lang)) }
                " · " (f.question) " · " (f.status.label(lang))
            }
            dl {
                dt { (t("Question", "Question")) } dd lang=[parts.report] { (f.question_text) }
                dt { (t("Réponse du soumissionnaire", "Vendor's answer")) } dd.vendor { @if f.answer.is_empty() { em { (t("(vide)", "(empty)")) } } @else { span lang=[parts.words] { (f.answer) } } }
                @if !f.comment.is_empty() { dt { (t("Commentaire du soumissionnaire", "Vendor's comment")) } dd.vendor lang=[parts.words] { (f.comment) } }
                dt { (t("Règle et motif", "Rule and reason")) } dd lang=[parts.report] { (f.message) }
                dt { (t("Clauses", "Clauses")) } dd { (f.clauses.join(", ")) }
                dt { (t("Base légale", "Legal basis")) } dd { @if legal.is_empty() { "—" } @else { span lang=[parts.law] { (legal.join(" ; ")) } } }
                dt { (t("Code", "Code")) } dd { code lang="en" { (f.code) } }
                @if let Some(d) = &f.decision { dt { (t("Décision", "Decision")) } dd { (decisions::decided(d, lang)) } }
            }
        }
    }
}
