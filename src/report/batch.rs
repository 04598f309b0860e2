//! What a batch adds to each offer's judgment: texts shared between
//! offers, the best value of each relative element, and the ranking.
//!
//! [`shared_texts`] runs once, when the batch is first gathered; [`conclude`]
//! runs then and again whenever legal staff's decisions or the committee's
//! marks are read back, so every report renders the same conclusion.

use std::collections::BTreeMap;

use super::{FileReport, FileStatus};
use crate::check::{self, Basis};
use crate::finding::{Code, Finding, FindingStatus, Status};
use crate::judgment::{self, Standing};
use crate::rule::Severity;
use crate::scoring::{Earned, Scale};
use crate::text::Lang;

/// Other offers named in a `shared_text` finding's message.
const NAMED: usize = 5;
/// Other offers' files listed in a `shared_text` finding (a batch of copies
/// would otherwise make the report grow as the square of the batch).
const RELATED: usize = 20;

/// Adds a `shared_text` finding to each offer whose free-text answer is the
/// same, or nearly, as another offer's; each names the others (the first
/// five in words, twenty files at most, and how many in all).
pub fn shared_texts(results: &mut [FileReport], basis: &Basis) {
    let sel = &basis.selection;
    let texts = sel.questions_for(basis.audience).filter(|q| {
        q.answer_type == crate::library::AnswerType::Text && q.scale == Some(Scale::Committee)
    });
    let mut found: Vec<(usize, Finding)> = Vec::new();
    for q in texts {
        let answers: Vec<(usize, &str)> = results
            .iter()
            .enumerate()
            .filter(|(_, r)| r.status == FileStatus::Ok)
            .filter_map(|(i, r)| {
                r.questions
                    .iter()
                    .find(|x| x.id == q.id && x.status != Status::NotApplicable)
                    .map(|x| (i, x.raw.as_str()))
            })
            .collect();
        let raw: Vec<&str> = answers.iter().map(|(_, t)| *t).collect();
        for (k, others) in check::suspect::shared(&raw) {
            let (i, text) = answers[k];
            let names: Vec<String> = others
                .iter()
                .take(NAMED)
                .map(|o| results[answers[*o].0].vendor_label(basis.lang))
                .collect();
            let more = others.len().saturating_sub(NAMED);
            let message = match (basis.lang, more) {
                (Lang::Fr, 0) => format!(
                    "Le même texte, ou presque, figure dans l'offre de : {}.",
                    names.join(", ")
                ),
                (Lang::Fr, _) => format!(
                    "Le même texte, ou presque, figure dans {} autres offres, dont celles de : {}.",
                    others.len(),
                    names.join(", ")
                ),
                (Lang::En, 0) => format!(
                    "The same text, or nearly, is in the offer of: {}.",
                    names.join(", ")
                ),
                (Lang::En, _) => format!(
                    "The same text, or nearly, is in {} other offers, among which those of: {}.",
                    others.len(),
                    names.join(", ")
                ),
            };
            found.push((
                i,
                Finding {
                    code: Code::SharedText,
                    status: FindingStatus::Suspect,
                    severity: Severity::Major,
                    criterion: q.criterion.clone(),
                    themes: q.themes.clone(),
                    question: q.id.clone(),
                    question_text: q.text.get(basis.lang).to_string(),
                    answer: crate::finding::shown(text, basis.lang),
                    comment: String::new(),
                    message,
                    clauses: q.clauses.clone(),
                    legal: Vec::new(),
                    related: others
                        .iter()
                        .take(RELATED)
                        .map(|o| results[answers[*o].0].file.clone())
                        .collect(),
                    decision: None,
                },
            ));
        }
    }
    for (i, f) in found {
        results[i].findings.push(f);
    }
    for r in results.iter_mut() {
        check::sort(&mut r.findings);
    }
}

/// Concludes every checked file with the batch: its standing and grounds,
/// its scores (relative elements against the best offer that is not set
/// aside; committee marks as read back), then the ranking.
pub fn conclude(results: &mut [FileReport], basis: &Basis) {
    let alone = BTreeMap::new();
    let regular: Vec<usize> = results
        .iter()
        .enumerate()
        .filter(|(_, r)| r.status == FileStatus::Ok)
        .filter(|(_, r)| {
            let c = judgment::conclude(basis, &r.questions, &r.findings, &alone);
            !c.judgment
                .grounds
                .iter()
                .any(|g| g.kind == judgment::GroundKind::Breaks)
        })
        .map(|(i, _)| i)
        .collect();
    let best = best_values(results, &regular, basis);
    for r in results.iter_mut().filter(|r| r.status == FileStatus::Ok) {
        let c = judgment::conclude(basis, &r.questions, &r.findings, &best);
        r.verdict = Some(c.verdict);
        r.score = c.judgment.scored().then_some(c.scores.compass);
        r.criteria = c.criteria;
        r.themes = c.themes;
        r.judgment = Some(c.judgment);
    }
    let mut judgments: Vec<&mut judgment::Judgment> = results
        .iter_mut()
        .filter_map(|r| r.judgment.as_mut())
        .collect();
    judgment::rank(&mut judgments);
}

/// The best value of each relative element among the offers `among`, when
/// there are at least two of them.
fn best_values(results: &[FileReport], among: &[usize], basis: &Basis) -> BTreeMap<String, f64> {
    let mut best = BTreeMap::new();
    if among.len() < 2 {
        return best;
    }
    let plan = &basis.selection.plan;
    for counted in plan.criteria.iter().flat_map(|c| &c.questions) {
        let Scale::Relative { better } = counted.scale else {
            continue;
        };
        let values = among.iter().filter_map(|i| {
            results[*i]
                .questions
                .iter()
                .find(|q| q.id == counted.question)
                .and_then(|q| match q.earned {
                    Some(Earned::Measured(v)) => Some(v),
                    _ => None,
                })
        });
        let top = match better {
            crate::library::Better::Lower => {
                values.fold(None, |a: Option<f64>, v| Some(a.map_or(v, |a| a.min(v))))
            }
            crate::library::Better::Higher => {
                values.fold(None, |a: Option<f64>, v| Some(a.map_or(v, |a| a.max(v))))
            }
        };
        if let Some(top) = top {
            best.insert(counted.question.clone(), top);
        }
    }
    best
}

/// Whether any ranked offer of the batch still waits for a mark.
pub fn provisional(results: &[FileReport]) -> bool {
    results
        .iter()
        .filter_map(|r| r.judgment.as_ref())
        .any(|j| j.standing == Standing::Ranked && j.provisional)
}
