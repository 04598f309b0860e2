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

mod consistency;
pub mod evidence;
mod integrity;
pub mod suspect;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::answer::{self, Invalid, Value};
use crate::condition::{Answers, Condition, Facts, Truth};
use crate::finding::{Code, Finding, FindingStatus, Integrity, Status};
use crate::library::Audience;
use crate::profile::Profile;
use crate::response::{Cell, Response, Row};
use crate::rule::{self, Severity};
use crate::scoring::{self, Earned, Scale};
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
    /// The lock's digest, when files are checked against a lock.
    pub lock: LockDigest,
}

/// What the lock answers are checked against says of its own content.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum LockDigest {
    /// No lock: the library and profile resolved now.
    #[default]
    NoLock,
    /// A lock issued before locks stated their digest: its content cannot
    /// be verified.
    Unstated,
    /// The digest the lock states, verified against its content when read.
    Verified(String),
}

impl Basis {
    /// The plan answers are scored with: the vendors' as issued, or the
    /// project group's own.
    pub fn plan(&self) -> std::borrow::Cow<'_, scoring::ScoringPlan> {
        if self.audience == Audience::Vendor {
            std::borrow::Cow::Borrowed(&self.selection.plan)
        } else {
            std::borrow::Cow::Owned(self.selection.plan_for(self.audience))
        }
    }
}

/// The verdict on one offer, as its judgment sets it.
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct QuestionResult {
    /// Question id.
    pub id: String,
    /// What became of it.
    pub status: Status,
    /// The answer as read (empty when none).
    pub raw: String,
    /// The normalised value, when the answer could be read.
    pub value: Option<serde_json::Value>,
    /// The supporting document the vendor referenced, as typed.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub document: String,
    /// What it earned, for an award element (before the batch and the
    /// committee are known).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<serde_json::Value>")]
    pub earned: Option<Earned>,
    /// The evaluation committee's mark, 0 to 4, when read back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mark: Option<u8>,
}

/// A criterion's result.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CriterionResult {
    /// Criterion id.
    pub id: String,
    /// Score out of 100; null when the offer is irregular.
    pub score: Option<f64>,
    /// Points of the total mark it brings; null when the offer is irregular.
    pub points: Option<f64>,
    /// The points it may bring at most.
    pub out_of: f64,
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
    /// Score out of 100 over the scored elements of the theme; null when
    /// the offer is irregular.
    pub score: Option<f64>,
}

/// Everything the checker read and judged in one file, before the batch.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// Per question, in questionnaire order.
    pub questions: Vec<QuestionResult>,
    /// Findings, eliminatory and major first.
    pub findings: Vec<Finding>,
    /// Integrity warnings.
    pub integrity: Vec<Integrity>,
}

/// An answer read from the file, before applicability is decided.
struct Read<'a> {
    row: Option<&'a Row>,
    value: Result<Value, Invalid>,
    conflict: bool,
}

/// Checks one response against `basis`: each answer judged by its rule,
/// each award element's earnings, the findings. Scores and standing need
/// the batch: see [`crate::judgment::conclude`].
///
/// `attached` are the evidence files that came with the file: each answer
/// they speak of is compared with them (see [`evidence`]), and a file that
/// could not be read is an integrity warning naming it.
pub fn check(response: &Response, attached: &crate::evidence::Attached, basis: &Basis) -> Checked {
    let sel = &basis.selection;
    let asked: Vec<&SelectedQuestion> = sel.questions_for(basis.audience).collect();
    let mut integrity = integrity::of_file(response, basis, &asked);
    integrity.extend(attached.unread.iter().map(|u| Integrity {
        code: Code::EvidenceUnreadable,
        question: None,
        message: match basis.lang {
            Lang::Fr => format!("Pièce jointe {} non lue : {}", u.file, u.problem),
            Lang::En => format!("Attached file {} not read: {}", u.file, u.problem),
        },
    }));
    integrity.extend(
        attached
            .files
            .iter()
            .filter(|e| !e.unconverted.is_empty())
            .map(|e| {
                let left: Vec<String> = e
                    .unconverted
                    .iter()
                    .map(|u| u.describe(basis.lang))
                    .collect();
                Integrity {
                    code: Code::EvidenceUnreadable,
                    question: None,
                    message: match basis.lang {
                        Lang::Fr => format!(
                            "Pièce jointe {} lue en partie : {}.",
                            e.file,
                            left.join(" ; ")
                        ),
                        Lang::En => format!(
                            "Attached file {} read in part: {}.",
                            e.file,
                            left.join("; ")
                        ),
                    },
                }
            }),
    );
    let rows = response.rows_by_id();
    let reads: BTreeMap<&str, Read> = asked
        .iter()
        .map(|q| {
            let found = rows.get(q.id.as_str()).map_or(&[][..], Vec::as_slice);
            (q.id.as_str(), read(q, found))
        })
        .collect();
    // the profile as conditions and rules read it, made once for the file
    let facts = basis.profile.facts();
    let (applicable, converged) = applicability(&asked, &reads, &facts);
    let plan = basis.plan();

    let ctx = rule::Context {
        profile: &facts,
        lists: &sel.lists,
    };
    let mut questions = Vec::new();
    let mut findings = Vec::new();
    for q in &asked {
        let r = &reads[q.id.as_str()];
        let raw = r.row.map(Row::answer_text).unwrap_or_default();
        let document = r
            .row
            .map(|row| row.document.trim().to_string())
            .unwrap_or_default();
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
        let answered = matches!(status, Status::Pass | Status::Fail | Status::Info);
        // Documents and examples are the vendors' business, not the project group's.
        let vendor = basis.audience == Audience::Vendor;
        let said = if answered {
            let value = r.value.as_ref().ok();
            evidence::compare(q, value, &raw, attached, &basis.profile, basis.lang)
        } else {
            evidence::Outcome::Silent
        };
        let backed = said == evidence::Outcome::Backs;
        let lacks_evidence =
            vendor && answered && q.evidence.is_some() && document.is_empty() && !backed;
        if let evidence::Outcome::Disagrees(why, files) = said {
            findings.push(evidence::finding(q, &raw, why, files, basis.lang));
        }
        if let Some(f) = finding(q, r, status, &raw, basis.lang) {
            findings.push(f);
        }
        if lacks_evidence {
            findings.push(evidence_missing(q, &raw, basis.lang));
        }
        if vendor && answered && q.answer_type == crate::library::AnswerType::Text {
            let example = match basis.lang {
                Lang::En => q.example_en.as_deref().unwrap_or(&q.example),
                Lang::Fr => &q.example,
            };
            // The French example is asked once, when it is the one in the report's language.
            let copied = suspect::copies_example(&raw, example)
                || (example != q.example && suspect::copies_example(&raw, &q.example));
            if copied {
                findings.push(example_copied(q, &raw, basis.lang));
            }
        }
        if r.conflict {
            integrity.push(Integrity {
                code: Code::ConflictingAnswers,
                question: Some(q.id.clone()),
                message: match basis.lang {
                    Lang::Fr => format!(
                        "{} a reçu plusieurs réponses différentes : {}",
                        q.id,
                        conflicting(q, response, Lang::Fr)
                    ),
                    Lang::En => format!(
                        "{} is answered several times, differently: {}",
                        q.id,
                        conflicting(q, response, Lang::En)
                    ),
                },
            });
        }
        let earned = plan
            .counted(&q.id)
            .map(|c| earned(&c.scale, status, r.value.as_ref().ok(), lacks_evidence));
        let value = match (&r.value, status) {
            (Ok(v), Status::Pass | Status::Fail | Status::Info) => serde_json::to_value(v).ok(),
            _ => None,
        };
        questions.push(QuestionResult {
            id: q.id.clone(),
            status,
            raw,
            value,
            document,
            earned,
            mark: None,
        });
    }
    let values = converged.unwrap_or_else(|| values_applying(&reads, &applicable));
    findings.extend(consistency::check(basis, &facts, &values, &questions));
    for f in &mut findings {
        with_clause_basis(f, &basis.selection);
    }
    sort(&mut findings);
    Checked {
        questions,
        findings,
        integrity,
    }
}

/// A finding's legal basis is its question's references and those of the
/// clauses at stake, each once: every report prints this one list.
fn with_clause_basis(f: &mut Finding, selection: &crate::selection::Selection) {
    for id in &f.clauses {
        let Some(c) = selection.clauses.iter().find(|c| &c.id == id) else {
            continue;
        };
        for l in &c.legal {
            if !f.legal.iter().any(|x| x.text == l.text) {
                f.legal.push(l.clone());
            }
        }
    }
}

/// Findings in the order people read them: most serious first, then by question.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (std::cmp::Reverse(a.severity), &a.question, a.code).cmp(&(
            std::cmp::Reverse(b.severity),
            &b.question,
            b.code,
        ))
    });
}

/// What an award element earned from its answer.
fn earned(scale: &Scale, status: Status, value: Option<&Value>, lacks_evidence: bool) -> Earned {
    match status {
        Status::NotApplicable => return Earned::NotApplicable,
        Status::Missing | Status::Invalid | Status::Fail => return Earned::Share(0.0),
        Status::Pass | Status::Info if lacks_evidence => return Earned::Share(0.0),
        Status::Pass | Status::Info => {}
    }
    let number = match value {
        Some(Value::Number(n)) if n.is_finite() => Some(*n),
        _ => None,
    };
    match (scale, value) {
        (Scale::Rule, _) => Earned::Share(1.0),
        (Scale::Linear { zero, full }, _) => {
            Earned::Share(number.map_or(0.0, |n| Scale::linear(*zero, *full, n)))
        }
        (Scale::Relative { .. }, _) => number.map_or(Earned::Share(0.0), Earned::Measured),
        (Scale::Points { points }, Some(Value::Choice(id))) => {
            Earned::Share(points.get(id).copied().unwrap_or(0.0))
        }
        (Scale::Points { points }, Some(Value::Choices(ids))) => Earned::Share(
            ids.iter()
                .filter_map(|id| points.get(id))
                .fold(0.0, |a: f64, b| a.max(*b)),
        ),
        (Scale::Points { .. }, _) => Earned::Share(0.0),
        (Scale::Committee, _) => Earned::ToMark,
    }
}

/// The rows of a question (those of the file with its id, in order), read.
/// Duplicates with different answers conflict.
fn read<'a>(q: &SelectedQuestion, rows: &[&'a Row]) -> Read<'a> {
    let Some(first) = rows.first().copied() else {
        return Read {
            row: None,
            value: Err(Invalid::Empty),
            conflict: false,
        };
    };
    let values: Vec<Result<Value, Invalid>> = rows
        .iter()
        .map(|r| answer::normalise_row(q.spec(), r))
        .collect();
    let conflict = values.windows(2).any(|w| w[0] != w[1]);
    Read {
        row: Some(first),
        value: values.into_iter().next().unwrap_or(Err(Invalid::Empty)),
        conflict,
    }
}

fn conflicting(q: &SelectedQuestion, response: &Response, lang: Lang) -> String {
    response
        .rows
        .iter()
        .filter(|r| r.id == q.id)
        .map(|r| {
            let answer = crate::text::excerpt(&r.answer_text(), crate::text::QUOTED_CHARS, lang)
                .into_owned();
            format!(
                "« {answer} » ({})",
                crate::response::place(&r.location, lang)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The answers that count: those read, without conflict, of the questions
/// that apply (borrowed from the reads).
fn values_applying<'r>(
    reads: &'r BTreeMap<&str, Read>,
    applies: &BTreeMap<&str, bool>,
) -> Answers<'r> {
    reads
        .iter()
        .filter(|(id, r)| applies.get(*id).copied().unwrap_or(false) && !r.conflict)
        .filter_map(|(id, r)| r.value.as_ref().ok().map(|v| (*id, v)))
        .collect()
}

/// Which questions apply, given the answers: a question ruled out by another
/// answer is not applicable and its own answer stops counting for the
/// questions that depend on it, until nothing changes. With it, when it
/// settled, the answers that count given it (see [`values_applying`]).
/// `facts` is the profile as conditions read it ([`Profile::facts`]).
fn applicability<'a, 'r>(
    asked: &[&'a SelectedQuestion],
    reads: &'r BTreeMap<&str, Read>,
    facts: &serde_json::Value,
) -> (BTreeMap<&'a str, bool>, Option<Answers<'r>>) {
    let conditions: Vec<(&str, Option<&Condition>)> = asked
        .iter()
        .map(|q| (q.id.as_str(), q.condition.as_ref()))
        .collect();
    let mut applies: BTreeMap<&str, bool> = asked.iter().map(|q| (q.id.as_str(), true)).collect();
    for _ in 0..=asked.len() {
        let values = values_applying(reads, &applies);
        let known = Facts {
            profile: facts,
            answers: Some(&values),
        };
        let next: BTreeMap<&str, bool> = conditions
            .iter()
            .map(|(id, c)| (*id, c.is_none_or(|c| c.eval(&known) != Truth::False)))
            .collect();
        if next == applies {
            return (applies, Some(values));
        }
        applies = next;
    }
    (applies, None)
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
        severity: match (q.role, status) {
            // A regularity answer missing or unreadable is to regularise,
            // not eliminatory: only an answer given against it is.
            (crate::library::Role::Regularity, Status::Missing | Status::Invalid) => {
                Severity::Major
            }
            _ => severity(q),
        },
        criterion: q.criterion.clone(),
        themes: q.themes.clone(),
        question: q.id.clone(),
        question_text: q.text.get(lang).to_string(),
        answer: crate::finding::shown(raw, lang),
        comment: r
            .row
            .map(|row| crate::finding::shown(&row.comment, lang))
            .unwrap_or_default(),
        message,
        clauses: q.clauses.clone(),
        legal: q.legal.clone(),
        related: Vec::new(),
        decision: None,
    })
}

/// How serious a failed rule on `q` is: a regularity question's is
/// eliminatory (the offer is irregular), others carry their rule's.
fn severity(q: &SelectedQuestion) -> Severity {
    match (q.role, &q.rule) {
        (crate::library::Role::Regularity, Some(_)) => Severity::Eliminatory,
        (_, Some(r)) => r.severity,
        (_, None) => Severity::Info,
    }
}

fn evidence_missing(q: &SelectedQuestion, raw: &str, lang: Lang) -> Finding {
    let kind = q.evidence.as_ref().map(|e| e.get(lang)).unwrap_or_default();
    let effect = match (q.role, lang) {
        (crate::library::Role::Regularity, Lang::Fr) => "à régulariser",
        (crate::library::Role::Regularity, Lang::En) => "to be regularised",
        (_, Lang::Fr) => "l'élément n'est pas crédité",
        (_, Lang::En) => "the element is not credited",
    };
    let mut f = Finding::about(q, Code::EvidenceMissing, FindingStatus::Evidence, raw, lang);
    f.message = match lang {
        Lang::Fr => format!("Pièce justificative attendue et non référencée : {kind} ({effect})."),
        Lang::En => format!("Supporting document required and not referenced: {kind} ({effect})."),
    };
    f
}

fn example_copied(q: &SelectedQuestion, raw: &str, lang: Lang) -> Finding {
    let mut f = Finding::about(q, Code::ExampleCopied, FindingStatus::Suspect, raw, lang);
    f.message = match lang {
        Lang::Fr => {
            "La réponse reprend, à la mise en forme près, l'exemple publié dans le questionnaire."
                .into()
        }
        Lang::En => {
            "The answer repeats, but for its layout, the example published in the questionnaire."
                .into()
        }
    };
    f
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
