//! Lint of what questions are for in the judgment: roles, scales and the
//! rules across answers (see [`crate::library::Role`], [`Scale`] and
//! [`Consistency`]).

use super::{Code, Sink};
use crate::library::model::*;
use crate::rule::{Bound, RuleKind, Severity};

/// A question's role, and its scale, fit what it asks.
pub(super) fn question<'a>(q: &'a Question, facts: &serde_json::Value, s: &mut Sink<'a>) {
    s.at(&q.file, Some(&q.id));
    match q.role() {
        Role::Regularity
            if !q.requires_document()
                && q.rule
                    .as_ref()
                    .is_none_or(|r| r.severity != Severity::Eliminatory) =>
        {
            s.error(
                Code::RoleMisfit,
                "a regularity question carries an eliminatory rule (an answer that breaks it makes the offer irregular), or is a required document with no rule",
            );
        }
        Role::Regularity
            if q.requires_document()
                && q.rule
                    .as_ref()
                    .is_some_and(|r| r.severity != Severity::Eliminatory) =>
        {
            s.error(
                Code::RoleMisfit,
                "a regularity question's rule is eliminatory: an answer that breaks it makes the offer irregular",
            );
        }
        Role::Information if q.weight > 0 => s.error(
            Code::RoleMisfit,
            "an information question is never scored: give it `weight = 0`",
        ),
        _ => {}
    }
    if let Some(scale) = &q.scale {
        self::scale(q, scale, facts, s);
    } else if q.role() == Role::Award && q.weight > 0 {
        any_value(q, s);
    }
}

fn scale<'a>(q: &'a Question, scale: &Scale, facts: &serde_json::Value, s: &mut Sink<'a>) {
    if q.role() != Role::Award {
        s.error(
            Code::ScaleMisfit,
            format!(
                "only award elements are scored, and this question's role is `{}`",
                q.role().name()
            ),
        );
    }
    if let Some(why) = scale.misfit(q) {
        s.error(Code::ScaleMisfit, why);
    }
    if let Scale::Linear { zero, full } = scale {
        for b in [zero, full] {
            if number(b, facts).is_none() {
                s.error(
                    Code::ScaleMisfit,
                    "a linear scale's `zero` and `full` are numbers or numeric fields of the profile",
                );
            }
        }
        if let (Some(z), Some(f)) = (number(zero, facts), number(full, facts))
            && z == f
        {
            s.error(
                Code::ScaleMisfit,
                "a linear scale's `zero` and `full` differ",
            );
        }
    }
}

/// An award element marked by its rule must not pass with any value.
fn any_value<'a>(q: &'a Question, s: &mut Sink<'a>) {
    let Some(r) = &q.rule else { return };
    let any = match (r.kind, &r.bound) {
        (RuleKind::Min, Some(Bound::Number(n))) => *n <= 0.0,
        _ => false,
    };
    if any {
        s.error(
            Code::ScoredAnyValue,
            "any value at or above 0 passes this rule: give the element a `scale` that separates offers",
        );
    }
}

fn number(b: &Bound, facts: &serde_json::Value) -> Option<f64> {
    match b {
        Bound::Number(n) => Some(*n),
        Bound::Date(_) => None,
        Bound::Profile(path) => path
            .strip_prefix("profile.")?
            .split('.')
            .try_fold(facts, |v, k| v.get(k))?
            .as_f64(),
    }
}

/// Rules across answers name questions that exist and parse.
pub(super) fn consistency<'a>(lib: &'a Library, s: &mut Sink<'a>) {
    for k in &lib.consistency {
        let file = lib
            .criteria
            .iter()
            .find(|c| c.id == k.criterion)
            .map_or("library.toml", |c| c.file.as_str());
        s.at(file, Some(&k.id));
        let b = k.id.as_bytes();
        let well_formed = b.len() == 7
            && b[..3].iter().all(u8::is_ascii_uppercase)
            && &b[3..5] == b"-K"
            && b[5..].iter().all(u8::is_ascii_digit);
        if !well_formed {
            s.error(
                Code::BadConsistency,
                "the id of a rule across answers reads like `SOV-K01`",
            );
        }
        if let ConsistencyTest::Never { when } = &k.test
            && let Err(e) = when.expr()
        {
            s.error(
                Code::BadConsistency,
                format!("the condition does not parse: {e}"),
            );
        }
        let ids = k.questions();
        if ids.len() < 2 {
            s.error(
                Code::BadConsistency,
                "a rule across answers compares at least two answers",
            );
        }
        for id in ids.iter().filter(|id| lib.question(id).is_none()) {
            s.error(
                Code::BadConsistency,
                format!("question `{id}` does not exist"),
            );
        }
    }
}
