//! Contradictions between two answers of one offer, from the library's
//! consistency rules (see [`crate::library::Consistency`]): a finding
//! `inconsistent` naming both questions and both answers.

use super::{Basis, QuestionResult};
use crate::answer::Value;
use crate::condition::{Answers, Facts, Truth};
use crate::finding::{Code, Finding, FindingStatus, Status};
use crate::library::{Consistency, ConsistencyTest};
use crate::text::Lang;

/// The contradictions among the answers `values` (applicable, readable);
/// `facts` is the profile as conditions read it
/// ([`Profile::facts`](crate::profile::model::Profile::facts)).
pub fn check(
    basis: &Basis,
    facts: &serde_json::Value,
    values: &Answers,
    questions: &[QuestionResult],
) -> Vec<Finding> {
    basis
        .selection
        .consistency
        .iter()
        .filter(|k| contradicted(k, values, facts))
        .map(|k| finding(basis, k, questions))
        .collect()
}

fn contradicted(k: &Consistency, values: &Answers, facts: &serde_json::Value) -> bool {
    match &k.test {
        ConsistencyTest::Within { answer, within } => {
            let ids = |v: Option<&Value>| match v {
                Some(Value::Choices(ids)) => Some(ids.clone()),
                Some(Value::Choice(id)) => Some(vec![id.clone()]),
                _ => None,
            };
            // Concluded only when every answer compared is known.
            let union: Option<Vec<Vec<String>>> = within
                .iter()
                .map(|w| ids(values.get(w.as_str()).copied()))
                .collect();
            match (ids(values.get(answer.as_str()).copied()), union) {
                (Some(a), Some(w)) => a
                    .iter()
                    .any(|x| !w.iter().flatten().any(|y| y.eq_ignore_ascii_case(x))),
                _ => false,
            }
        }
        ConsistencyTest::Never { when } => {
            let known = Facts {
                profile: facts,
                answers: Some(values),
            };
            when.eval(&known) == Truth::True
        }
    }
}

fn finding(basis: &Basis, k: &Consistency, questions: &[QuestionResult]) -> Finding {
    let lang = basis.lang;
    let ids = k.questions();
    let first = ids.first().copied().unwrap_or_default();
    let q = basis.selection.questions.iter().find(|q| q.id == first);
    let answers: Vec<String> = ids
        .iter()
        .map(|id| {
            let raw = questions
                .iter()
                .find(|r| r.id == *id && r.status != Status::NotApplicable)
                .map_or("", |r| r.raw.as_str());
            format!("{id} : « {raw} »")
        })
        .collect();
    let message = match lang {
        Lang::Fr => format!("{} Réponses : {}.", k.text.get(lang), answers.join(" ; ")),
        Lang::En => format!(
            "{} Answers: {}.",
            k.text.get(lang),
            answers
                .join("; ")
                .replace(" : « ", ": \"")
                .replace(" »", "\"")
        ),
    };
    Finding {
        code: Code::Inconsistent,
        status: FindingStatus::Suspect,
        severity: k.severity,
        criterion: k.criterion.clone(),
        themes: q.map(|q| q.themes.clone()).unwrap_or_default(),
        question: first.to_string(),
        question_text: q.map(|q| q.text.get(lang).to_string()).unwrap_or_default(),
        answer: questions
            .iter()
            .find(|r| r.id == first)
            .map(|r| crate::finding::shown(&r.raw, lang))
            .unwrap_or_default(),
        comment: String::new(),
        message,
        clauses: q.map(|q| q.clauses.clone()).unwrap_or_default(),
        legal: Vec::new(),
        related: ids.iter().skip(1).map(|s| s.to_string()).collect(),
        decision: None,
    }
}
