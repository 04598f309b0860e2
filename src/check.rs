//! Checking one returned file: answers → normalised values → findings →
//! scores → verdict.
//!
//! A [`Basis`] is what a file is checked against: the selection as issued
//! (from the questionnaire's lock) or as resolved now (library + profile).
//! [`check`] matches the file's rows to the questions by id — never by
//! position —, decides which questions apply given the other answers,
//! judges each answer by its rule, raises a [`Finding`] for each failure,
//! missing or unreadable answer, notes integrity doubts, and scores the
//! outcomes with the one scoring plan.

mod integrity;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::answer::{self, Invalid, Value};
use crate::condition::{Condition, Facts, Truth};
use crate::finding::{Code, Finding, FindingStatus, Integrity, Status};
use crate::library::Audience;
use crate::profile::Profile;
use crate::response::{Cell, Response, Row};
use crate::rule::{self, Severity};
use crate::scoring::{self, Outcome, Scores};
use crate::selection::{SelectedQuestion, Selection};
use crate::text::Lang;

pub use integrity::siret_is_valid;

/// What returned files are checked against.
#[derive(Debug, Clone)]
pub struct Basis {
    /// The selection (as issued, or resolved now).
    pub selection: Selection,
    /// The tender profile.
    pub profile: Profile,
    /// The language of reports.
    pub lang: Lang,
    /// Who answered: vendors (the questionnaire) or the project group (the grid).
    pub audience: Audience,
}

/// The verdict on one offer, the first that matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// An eliminatory rule fails on an answer given, or a criterion is below its minimum.
    NonCompliant,
    /// A required answer is missing or unreadable (regularisable).
    Incomplete,
    /// A major rule fails.
    CompliantWithReservations,
    /// Everything required is there and no major rule fails.
    Compliant,
}

impl Verdict {
    /// The verdict in words.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Verdict::NonCompliant, Lang::Fr) => "non conforme",
            (Verdict::Incomplete, Lang::Fr) => "incomplète",
            (Verdict::CompliantWithReservations, Lang::Fr) => "conforme avec réserves",
            (Verdict::Compliant, Lang::Fr) => "conforme",
            (Verdict::NonCompliant, Lang::En) => "non-compliant",
            (Verdict::Incomplete, Lang::En) => "incomplete",
            (Verdict::CompliantWithReservations, Lang::En) => "compliant with reservations",
            (Verdict::Compliant, Lang::En) => "compliant",
        }
    }
}

/// One question's outcome for one file.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct QuestionResult {
    /// Question id.
    pub id: String,
    /// What became of it.
    pub status: Status,
    /// The answer as read (empty when none).
    pub raw: String,
    /// The normalised value, when the answer could be read.
    pub value: Option<serde_json::Value>,
}

/// A criterion's result.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CriterionResult {
    /// Criterion id.
    pub id: String,
    /// Score out of 100.
    pub score: f64,
    /// Applicable questions answered readably.
    pub answered: usize,
    /// Applicable questions.
    pub total: usize,
}

/// A theme's score.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ThemeResult {
    /// Theme id.
    pub id: String,
    /// Score out of 100 over the counted questions of the theme.
    pub score: f64,
}

/// Everything the checker concluded about one file.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// Per question, in questionnaire order.
    pub questions: Vec<QuestionResult>,
    /// Findings, eliminatory and major first.
    pub findings: Vec<Finding>,
    /// Integrity warnings.
    pub integrity: Vec<Integrity>,
    /// Scores from the plan.
    pub scores: Scores,
    /// Per criterion.
    pub criteria: Vec<CriterionResult>,
    /// Per theme.
    pub themes: Vec<ThemeResult>,
    /// The verdict.
    pub verdict: Verdict,
}

/// An answer read from the file, before applicability is decided.
struct Read<'a> {
    row: Option<&'a Row>,
    value: Result<Value, Invalid>,
    conflict: bool,
}

/// Checks one response against `basis`.
pub fn check(response: &Response, basis: &Basis) -> Checked {
    let sel = &basis.selection;
    let asked: Vec<&SelectedQuestion> = sel.questions_for(basis.audience).collect();
    let mut integrity = integrity::of_file(response, basis, &asked);
    let reads: BTreeMap<&str, Read> = asked
        .iter()
        .map(|q| (q.id.as_str(), read(q, response)))
        .collect();
    let applicable = applicability(&asked, &reads, basis);

    let facts = basis.profile.facts();
    let ctx = rule::Context {
        profile: &facts,
        lists: &sel.lists,
    };
    let mut questions = Vec::new();
    let mut findings = Vec::new();
    for q in &asked {
        let r = &reads[q.id.as_str()];
        let raw = r.row.map(|row| row.answer.display()).unwrap_or_default();
        let status = if !applicable[q.id.as_str()] {
            Status::NotApplicable
        } else if r.conflict {
            Status::Invalid
        } else {
            match (&r.value, &q.rule) {
                (Err(Invalid::Empty), _) => Status::Missing,
                (Err(_), _) => Status::Invalid,
                (Ok(_), None) => Status::Info,
                (Ok(v), Some(rule)) => match rule.passes(v, &ctx) {
                    Ok(true) => Status::Pass,
                    Ok(false) => Status::Fail,
                    Err(_) => Status::Invalid,
                },
            }
        };
        if let Some(f) = finding(q, r, status, &raw, basis.lang) {
            findings.push(f);
        }
        if r.conflict {
            integrity.push(Integrity {
                code: Code::ConflictingAnswers,
                question: Some(q.id.clone()),
                message: match basis.lang {
                    Lang::Fr => format!(
                        "{} a reçu plusieurs réponses différentes : {}",
                        q.id,
                        conflicting(q, response)
                    ),
                    Lang::En => format!(
                        "{} is answered several times, differently: {}",
                        q.id,
                        conflicting(q, response)
                    ),
                },
            });
        }
        let value = match (&r.value, status) {
            (Ok(v), Status::Pass | Status::Fail | Status::Info) => serde_json::to_value(v).ok(),
            _ => None,
        };
        questions.push(QuestionResult {
            id: q.id.clone(),
            status,
            raw,
            value,
        });
    }
    findings.sort_by_key(|f| (std::cmp::Reverse(f.severity), f.question.clone()));
    let Conclusion {
        scores,
        criteria,
        themes,
        verdict,
    } = conclude(basis, &questions, &BTreeSet::new());
    Checked {
        questions,
        findings,
        integrity,
        scores,
        criteria,
        themes,
        verdict,
    }
}

/// What the outcomes of a file's questions add up to.
#[derive(Debug, Clone, PartialEq)]
pub struct Conclusion {
    /// Scores from the plan.
    pub scores: Scores,
    /// Per criterion.
    pub criteria: Vec<CriterionResult>,
    /// Per theme.
    pub themes: Vec<ThemeResult>,
    /// The verdict.
    pub verdict: Verdict,
}

/// Scores and verdict of a file from its questions' results.
///
/// The questions in `waived` are those whose finding legal staff accepted
/// (see `crate::report::decisions`): each counts as passed, with its full
/// weight, in the scores and the verdict, as if the answer met its rule.
/// Their status, and the counts of answered questions per criterion, stay
/// as judged.
pub fn conclude(
    basis: &Basis,
    questions: &[QuestionResult],
    waived: &BTreeSet<String>,
) -> Conclusion {
    let sel = &basis.selection;
    let asked: Vec<&SelectedQuestion> = sel.questions_for(basis.audience).collect();
    let plan = if basis.audience == Audience::Vendor {
        sel.plan.clone()
    } else {
        sel.plan_for(basis.audience)
    };
    let decided: Vec<QuestionResult> = questions
        .iter()
        .map(|r| {
            let mut r = r.clone();
            if waived.contains(&r.id) && r.status != Status::NotApplicable {
                r.status = Status::Pass;
            }
            r
        })
        .collect();
    let outcomes: BTreeMap<String, Outcome> = decided
        .iter()
        .map(|r| (r.id.clone(), outcome(r.status)))
        .collect();
    let scores = scoring::score(&plan, &outcomes);
    Conclusion {
        criteria: criteria(sel, questions, &scores),
        themes: themes(sel, &plan, &outcomes),
        verdict: verdict(&asked, &decided, &scores),
        scores,
    }
}

/// The rows of a question, read. Duplicates with different answers conflict.
fn read<'a>(q: &SelectedQuestion, response: &'a Response) -> Read<'a> {
    let rows: Vec<&Row> = response.rows.iter().filter(|r| r.id == q.id).collect();
    let Some(first) = rows.first().copied() else {
        return Read {
            row: None,
            value: Err(Invalid::Empty),
            conflict: false,
        };
    };
    let values: Vec<Result<Value, Invalid>> = rows
        .iter()
        .map(|r| answer::normalise_cell(q.spec(), &r.answer))
        .collect();
    let conflict = values.windows(2).any(|w| w[0] != w[1]);
    Read {
        row: Some(first),
        value: values.into_iter().next().unwrap_or(Err(Invalid::Empty)),
        conflict,
    }
}

fn conflicting(q: &SelectedQuestion, response: &Response) -> String {
    response
        .rows
        .iter()
        .filter(|r| r.id == q.id)
        .map(|r| format!("« {} » ({})", r.answer.display(), r.location))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Which questions apply, given the answers: a question ruled out by another
/// answer is not applicable and its own answer stops counting for the
/// questions that depend on it, until nothing changes.
fn applicability<'a>(
    asked: &[&'a SelectedQuestion],
    reads: &BTreeMap<&str, Read>,
    basis: &Basis,
) -> BTreeMap<&'a str, bool> {
    let facts = basis.profile.facts();
    let conditions: Vec<(&str, Option<Condition>)> = asked
        .iter()
        .map(|q| (q.id.as_str(), q.condition.as_deref().map(Condition::new)))
        .collect();
    let mut applies: BTreeMap<&str, bool> = asked.iter().map(|q| (q.id.as_str(), true)).collect();
    for _ in 0..=asked.len() {
        let values: BTreeMap<String, Value> = reads
            .iter()
            .filter(|(id, r)| applies.get(*id).copied().unwrap_or(false) && !r.conflict)
            .filter_map(|(id, r)| r.value.as_ref().ok().map(|v| (id.to_string(), v.clone())))
            .collect();
        let known = Facts {
            profile: &facts,
            answers: Some(&values),
        };
        let next: BTreeMap<&str, bool> = conditions
            .iter()
            .map(|(id, c)| {
                (
                    *id,
                    c.as_ref().is_none_or(|c| c.eval(&known) != Truth::False),
                )
            })
            .collect();
        if next == applies {
            break;
        }
        applies = next;
    }
    applies
}

fn outcome(status: Status) -> Outcome {
    match status {
        Status::Pass | Status::Info => Outcome::Passed,
        Status::Fail => Outcome::Failed,
        Status::Missing => Outcome::Missing,
        Status::Invalid => Outcome::Invalid,
        Status::NotApplicable => Outcome::NotApplicable,
    }
}

fn finding(
    q: &SelectedQuestion,
    r: &Read,
    status: Status,
    raw: &str,
    lang: Lang,
) -> Option<Finding> {
    let rule_text = q
        .rule_text
        .as_ref()
        .map(|t| t.get(lang).to_string())
        .unwrap_or_default();
    let (code, kind, message) = match (status, &r.value) {
        (Status::Fail, _) => (Code::RuleFailed, FindingStatus::Fail, rule_text),
        (Status::Missing, _) if q.required || q.counts() => {
            (Code::MissingAnswer, FindingStatus::Missing, rule_text)
        }
        (Status::Invalid, _) if r.conflict => {
            (Code::ConflictingAnswers, FindingStatus::Invalid, rule_text)
        }
        (Status::Invalid, Err(e)) => {
            let code = match e {
                Invalid::NonAnswer(_) => Code::NonAnswer,
                Invalid::Ambiguous(_) => Code::AmbiguousNumber,
                Invalid::UnknownUnit(_) => Code::UnknownUnit,
                Invalid::Formula(_) => Code::Formula,
                Invalid::Empty | Invalid::Unreadable(_) => Code::Unreadable,
            };
            let sep = if rule_text.is_empty() { "" } else { " — " };
            (
                code,
                FindingStatus::Invalid,
                format!("{}{sep}{rule_text}", e.describe(lang)),
            )
        }
        (Status::Invalid, Ok(_)) => (Code::Unreadable, FindingStatus::Invalid, rule_text),
        _ => return None,
    };
    Some(Finding {
        code,
        status: kind,
        severity: q.rule.as_ref().map_or(Severity::Info, |r| r.severity),
        criterion: q.criterion.clone(),
        themes: q.themes.clone(),
        question: q.id.clone(),
        question_text: q.text.get(lang).to_string(),
        answer: raw.to_string(),
        comment: r.row.map(|row| row.comment.clone()).unwrap_or_default(),
        message,
        clauses: q.clauses.clone(),
        legal: q.legal.clone(),
        decision: None,
    })
}

fn criteria(
    sel: &Selection,
    questions: &[QuestionResult],
    scores: &Scores,
) -> Vec<CriterionResult> {
    sel.criteria
        .iter()
        .map(|c| {
            let of_criterion = |r: &&QuestionResult| {
                r.status != Status::NotApplicable
                    && sel
                        .questions
                        .iter()
                        .any(|q| q.id == r.id && q.criterion == c.id)
            };
            let applicable: Vec<&QuestionResult> = questions.iter().filter(of_criterion).collect();
            let answered = applicable
                .iter()
                .filter(|r| matches!(r.status, Status::Pass | Status::Fail | Status::Info))
                .count();
            let score = scores
                .criteria
                .iter()
                .find(|s| s.criterion == c.id)
                .map_or(100.0, |s| s.score);
            CriterionResult {
                id: c.id.clone(),
                score,
                answered,
                total: applicable.len(),
            }
        })
        .collect()
}

fn themes(
    sel: &Selection,
    plan: &scoring::ScoringPlan,
    outcomes: &BTreeMap<String, Outcome>,
) -> Vec<ThemeResult> {
    let mut ids: Vec<&str> = sel
        .questions
        .iter()
        .flat_map(|q| q.themes.iter().map(String::as_str))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter()
        .map(|theme| {
            let (mut passed, mut counted) = (0, 0);
            for c in plan.criteria.iter().flat_map(|c| &c.questions) {
                let tagged = sel
                    .questions
                    .iter()
                    .any(|q| q.id == c.question && q.themes.iter().any(|t| t == theme));
                let o = outcomes
                    .get(&c.question)
                    .copied()
                    .unwrap_or(Outcome::Missing);
                if tagged && o != Outcome::NotApplicable {
                    counted += c.weight;
                    if o == Outcome::Passed {
                        passed += c.weight;
                    }
                }
            }
            let score = if counted == 0 {
                100.0
            } else {
                100.0 * passed as f64 / counted as f64
            };
            ThemeResult {
                id: theme.to_string(),
                score,
            }
        })
        .collect()
}

fn verdict(asked: &[&SelectedQuestion], questions: &[QuestionResult], scores: &Scores) -> Verdict {
    let severity = |id: &str| {
        asked
            .iter()
            .find(|q| q.id == id)
            .and_then(|q| q.rule.as_ref())
            .map_or(Severity::Info, |r| r.severity)
    };
    let required = |id: &str| {
        asked
            .iter()
            .any(|q| q.id == id && (q.required || severity(id) == Severity::Eliminatory))
    };
    let failed = |s: Severity| {
        questions
            .iter()
            .any(|r| r.status == Status::Fail && severity(&r.id) == s)
    };
    if failed(Severity::Eliminatory) {
        Verdict::NonCompliant
    } else if questions
        .iter()
        .any(|r| matches!(r.status, Status::Missing | Status::Invalid) && required(&r.id))
    {
        Verdict::Incomplete
    } else if !scores.below_minimum.is_empty() {
        Verdict::NonCompliant
    } else if failed(Severity::Major) {
        Verdict::CompliantWithReservations
    } else {
        Verdict::Compliant
    }
}

/// Whether a cell holds a formula. LibreOffice writes a boolean cell as
/// the formula `TRUE()` or `FALSE()`: that is a value, not a formula.
pub fn is_formula(cell: &Cell) -> bool {
    match cell {
        Cell::Formula { formula, .. } => {
            let f = formula
                .trim()
                .trim_start_matches("of:")
                .trim_start_matches('=')
                .to_ascii_uppercase();
            !matches!(f.as_str(), "TRUE()" | "FALSE()" | "TRUE" | "FALSE")
        }
        _ => false,
    }
}
