//! Lint of what the contractor reports each year: the questions' yearly
//! indicators (`followup`) and the lines of `[[yearly]]` in `contract.toml`
//! (see [`crate::award::yearly`]).

use super::{Code, Sink};
use crate::library::load::CONTRACT_FILE;
use crate::library::model::*;
use crate::rule::Bound;

/// Every clause, line and penalty they name exists, and each line's
/// answer fits what is asked of it.
pub(super) fn check<'a>(lib: &'a Library, facts: &serde_json::Value, s: &mut Sink<'a>) {
    let clause = |id: &str| lib.clauses.iter().any(|c| c.id == id);
    for q in &lib.questions {
        let Some(f) = &q.followup else { continue };
        s.at(&q.file, Some(&q.id));
        let named = f.due.iter().chain(
            [&f.missed, &f.unreported]
                .into_iter()
                .flatten()
                .map(|p| &p.clause),
        );
        for id in named.filter(|id| !clause(id)) {
            s.error(
                Code::YearlyMisfit,
                format!("the yearly indicator names clause {id}, which does not exist"),
            );
        }
        if f.promise.is_some() && !matches!(q.answer, AnswerType::Number | AnswerType::Percent) {
            s.error(
                Code::YearlyMisfit,
                format!(
                    "a `promise` holds the year's value to a number promised, not to a `{}` answer",
                    q.answer.name()
                ),
            );
        }
    }
    for y in &lib.yearly {
        s.at(CONTRACT_FILE, Some(&y.id));
        let b = y.id.as_bytes();
        if !(y.id.starts_with("RAP-") && b.len() == 6 && b[4..].iter().all(u8::is_ascii_digit)) {
            s.error(
                Code::YearlyMisfit,
                "a yearly line's id is `RAP-` and two digits",
            );
        }
        if lib.yearly.iter().filter(|x| x.id == y.id).count() > 1 {
            s.error(Code::YearlyMisfit, "two yearly lines share this id");
        }
        let named = std::iter::once(&y.clause).chain(
            [&y.missed, &y.unreported]
                .into_iter()
                .flatten()
                .map(|p| &p.clause),
        );
        for id in named.filter(|id| !clause(id)) {
            s.error(
                Code::YearlyMisfit,
                format!("the line names clause {id}, which does not exist"),
            );
        }
        let line = |id: &str| lib.yearly.iter().find(|x| x.id == id);
        if let Some(w) = &y.when
            && line(w).is_none_or(|x| x.answer_type != AnswerType::YesNo)
        {
            s.error(
                Code::YearlyMisfit,
                format!("`when = \"{w}\"` must name a yes/no line of the yearly report"),
            );
        }
        if y.at_most.is_some() && y.answer_type != AnswerType::Number {
            s.error(Code::YearlyMisfit, "`at_most` is for a number line");
        }
        if y.expect.is_some() && y.answer_type != AnswerType::YesNo {
            s.error(Code::YearlyMisfit, "`expect` is for a yes/no line");
        }
        if let Some(n) = &y.notice {
            if y.answer_type != AnswerType::Date
                || line(&n.before).is_none_or(|x| x.answer_type != AnswerType::Date)
            {
                s.error(
                    Code::YearlyMisfit,
                    format!(
                        "a notice is a date line before another date line; `before = \"{}\"` is not one",
                        n.before
                    ),
                );
            }
            if let Bound::Profile(path) = &n.days {
                let found = path
                    .strip_prefix("profile.")
                    .into_iter()
                    .flat_map(|p| p.split('.'))
                    .try_fold(facts, |v, k| v.get(k))
                    .is_some_and(serde_json::Value::is_number);
                if !found {
                    s.error(
                        Code::YearlyMisfit,
                        format!("the notice's days `{path}` is no number of the profile"),
                    );
                }
            }
        }
    }
}
