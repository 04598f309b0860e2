//! Judging the library: every problem, with a stable code, its file and id.
//!
//! Each check is one function over the loaded [`Library`]; they all push
//! [`Diagnostic`]s to one list, so that a buyer editing a copy sees every
//! problem at once. Codes never change meaning (see [`Code::describe`]).

mod published;
mod roles;
mod yearly;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use super::model::*;
use crate::answer;
use crate::condition::{Condition, Expr, Op, Operand};
use crate::profile::Profile;
use crate::rule::{self, Bound, RuleKind, Severity};
use crate::text::{self, Text};

/// How serious a lint problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// The library cannot be used.
    Error,
    /// Allowed, but to be looked at.
    Warning,
}

/// The kinds of problem, each with a stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// Two entries share an id.
    DuplicateId,
    /// An id does not follow its pattern.
    BadId,
    /// A reference names nothing (question, clause, theme, list, profile field).
    UnknownReference,
    /// The seven criteria are not all there, once each, in order.
    CriterionSet,
    /// A text lacks its French or English version.
    MissingTranslation,
    /// A placeholder names no field of the profile.
    UnknownPlaceholder,
    /// A condition does not parse.
    ConditionSyntax,
    /// Conditions depend on each other in a circle.
    ConditionCycle,
    /// A condition compares an answer with a value it can never take.
    ConditionValue,
    /// A clause's condition depends on an answer.
    ClauseAnswerCondition,
    /// A question has no rule.
    MissingRule,
    /// A rule does not fit its answer type, or lacks values or bound.
    RuleMisfit,
    /// A regular expression does not compile.
    BadPattern,
    /// A bound is not a number or a date of the profile.
    BadBound,
    /// `from` is not before `until`.
    BadPeriod,
    /// An example is not a valid answer or fails its rule.
    ExampleFails,
    /// Choices are missing, duplicated or badly labelled.
    BadChoice,
    /// A unit is missing on a number or given on something else.
    BadUnit,
    /// A weight is out of range.
    BadWeight,
    /// A question has no audience.
    BadAudience,
    /// A clause is verified by no question.
    UnverifiedClause,
    /// A criterion 1 rule is not eliminatory.
    NotEliminatory,
    /// A seat/ownership/jurisdiction rule is above `major`.
    JurisdictionSeverity,
    /// A legal reference still has to be verified.
    LegalToVerify,
    /// The library has less content than the compass needs.
    ContentMinimum,
    /// A regularity question lacks an eliminatory rule, or an information
    /// question is weighted or judged.
    RoleMisfit,
    /// A scale does not fit the question's answer, or its role.
    ScaleMisfit,
    /// A scored element earns full points with any value.
    ScoredAnyValue,
    /// A rule across answers names unknown questions or does not parse.
    BadConsistency,
    /// A verified reference to a high-risk-only article of the AI Act does
    /// not say its scope.
    HighRiskScope,
    /// A question on the operator's seat, ownership or nationality is scored
    /// or eliminatory.
    ScoresOperator,
    /// An award clause opens a list of assessed elements with « notamment ».
    VagueAward,
    /// A minimum requirement that no regularity question enforces.
    UnenforcedRequirement,
    /// A clause cites, between brackets, a clause that does not exist.
    CitesUnknownClause,
    /// An award clause names its sub-criterion otherwise than the weighting
    /// table does.
    SubCriterionName,
    /// A question's `evidence_check` does not fit its answer (a number of
    /// energy, a text, a choice of method).
    EvidenceCheckMisfit,
    /// A yearly indicator or a line of the contractor's yearly report names
    /// a clause or line that does not exist, or its answer does not fit.
    YearlyMisfit,
}

impl Code {
    /// Every code.
    pub const ALL: [Code; 37] = [
        Code::DuplicateId,
        Code::BadId,
        Code::UnknownReference,
        Code::CriterionSet,
        Code::MissingTranslation,
        Code::UnknownPlaceholder,
        Code::ConditionSyntax,
        Code::ConditionCycle,
        Code::ConditionValue,
        Code::ClauseAnswerCondition,
        Code::MissingRule,
        Code::RuleMisfit,
        Code::BadPattern,
        Code::BadBound,
        Code::BadPeriod,
        Code::ExampleFails,
        Code::BadChoice,
        Code::BadUnit,
        Code::BadWeight,
        Code::BadAudience,
        Code::UnverifiedClause,
        Code::NotEliminatory,
        Code::JurisdictionSeverity,
        Code::LegalToVerify,
        Code::ContentMinimum,
        Code::RoleMisfit,
        Code::ScaleMisfit,
        Code::ScoredAnyValue,
        Code::BadConsistency,
        Code::HighRiskScope,
        Code::ScoresOperator,
        Code::VagueAward,
        Code::UnenforcedRequirement,
        Code::CitesUnknownClause,
        Code::SubCriterionName,
        Code::EvidenceCheckMisfit,
        Code::YearlyMisfit,
    ];

    /// The stable code, as printed.
    pub fn name(self) -> &'static str {
        match self {
            Code::DuplicateId => "duplicate-id",
            Code::BadId => "bad-id",
            Code::UnknownReference => "unknown-reference",
            Code::CriterionSet => "criterion-set",
            Code::MissingTranslation => "missing-translation",
            Code::UnknownPlaceholder => "unknown-placeholder",
            Code::ConditionSyntax => "condition-syntax",
            Code::ConditionCycle => "condition-cycle",
            Code::ConditionValue => "condition-value",
            Code::ClauseAnswerCondition => "clause-answer-condition",
            Code::MissingRule => "missing-rule",
            Code::RuleMisfit => "rule-misfit",
            Code::BadPattern => "bad-pattern",
            Code::BadBound => "bad-bound",
            Code::BadPeriod => "bad-period",
            Code::ExampleFails => "example-fails",
            Code::BadChoice => "bad-choice",
            Code::BadUnit => "bad-unit",
            Code::BadWeight => "bad-weight",
            Code::BadAudience => "bad-audience",
            Code::UnverifiedClause => "unverified-clause",
            Code::NotEliminatory => "not-eliminatory",
            Code::JurisdictionSeverity => "jurisdiction-severity",
            Code::LegalToVerify => "legal-to-verify",
            Code::ContentMinimum => "content-minimum",
            Code::RoleMisfit => "role-misfit",
            Code::ScaleMisfit => "scale-misfit",
            Code::ScoredAnyValue => "scored-any-value",
            Code::BadConsistency => "bad-consistency",
            Code::HighRiskScope => "high-risk-scope",
            Code::ScoresOperator => "scores-operator",
            Code::VagueAward => "vague-award",
            Code::UnenforcedRequirement => "unenforced-requirement",
            Code::CitesUnknownClause => "cites-unknown-clause",
            Code::SubCriterionName => "sub-criterion-name",
            Code::EvidenceCheckMisfit => "evidence-check-misfit",
            Code::YearlyMisfit => "yearly-misfit",
        }
    }

    /// One line on what the code means.
    pub fn describe(self) -> &'static str {
        match self {
            Code::DuplicateId => "two entries share an id",
            Code::BadId => "an id does not follow its pattern (BIO-01, BIO-C01, snake_case)",
            Code::UnknownReference => {
                "a reference names no question, clause, theme, list or profile field"
            }
            Code::CriterionSet => "the seven criteria must each be present once, in compass order",
            Code::MissingTranslation => "a text lacks its French or English version",
            Code::UnknownPlaceholder => "a {placeholder} names no field of the profile",
            Code::ConditionSyntax => "a `when` condition does not parse",
            Code::ConditionCycle => "conditions depend on each other in a circle",
            Code::ConditionValue => "a condition compares an answer with a value it can never take",
            Code::ClauseAnswerCondition => "a clause's condition may only read the profile",
            Code::MissingRule => "a question has no rule",
            Code::RuleMisfit => "a rule does not fit its answer type, or lacks its values or bound",
            Code::BadPattern => "a regular expression does not compile",
            Code::BadBound => "a bound is not a number, a date or a numeric profile field",
            Code::BadPeriod => "a rule's `from` is not before its `until`",
            Code::ExampleFails => {
                "an example is not a valid answer or fails its rule under the default profile"
            }
            Code::BadChoice => "choices are missing, duplicated, or labelled with `,` or `;`",
            Code::BadUnit => "a number lacks its unit, or another answer type has one",
            Code::BadWeight => "a weight is outside 0 to 10",
            Code::BadAudience => "a question has no audience",
            Code::UnverifiedClause => "no question verifies a clause",
            Code::NotEliminatory => {
                "every rule of criterion 1 must be eliminatory, with no exception"
            }
            Code::JurisdictionSeverity => {
                "a rule on seat, ownership or jurisdiction is at most major"
            }
            Code::LegalToVerify => "a legal reference is not verified yet and will not be printed",
            Code::ContentMinimum => {
                "the library has fewer questions or clauses than the compass needs"
            }
            Code::RoleMisfit => {
                "a regularity question needs an eliminatory rule; an information question has no weight"
            }
            Code::ScaleMisfit => {
                "a scale does not fit the answer type, or the question is not an award element"
            }
            Code::ScoredAnyValue => "a scored element would earn full points with any value",
            Code::BadConsistency => {
                "a rule across answers names an unknown question or does not parse"
            }
            Code::HighRiskScope => {
                "a high-risk-only article of the AI Act is cited without « (lorsque le système est à haut risque) » or « (par analogie) »"
            }
            Code::ScoresOperator => {
                "a question on the operator's seat, ownership or nationality is scored or eliminatory"
            }
            Code::VagueAward => "an award clause lists what is assessed after « notamment »",
            Code::UnenforcedRequirement => {
                "a minimum requirement (CCTP) is enforced by no regularity question vendors answer"
            }
            Code::CitesUnknownClause => {
                "a clause cites, between brackets, a clause that does not exist (a penalty naming no obligation)"
            }
            Code::SubCriterionName => {
                "an award clause names its sub-criterion otherwise than the weighting table (« sous-critère « … » » with the criterion's exact title)"
            }
            Code::EvidenceCheckMisfit => {
                "an `evidence_check` does not fit its answer: energy on a number in Wh or kWh, licence, training data and model on a text, energy_method on a choice whose choices say measured or estimated"
            }
            Code::YearlyMisfit => {
                "a yearly indicator or a line of the contractor's yearly report (`[[yearly]]`, RAP-xx) names a clause or line that does not exist, or its answer does not fit (`promise` on a number, `expect` on yes/no, a notice between two dates)"
            }
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One problem found in the library.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// Error or warning.
    pub level: Level,
    /// Stable code.
    pub code: Code,
    /// The file at fault.
    pub file: String,
    /// The entry at fault, when there is one.
    pub id: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        write!(f, "{level}[{}] {}", self.code, self.file)?;
        if let Some(id) = &self.id {
            write!(f, " {id}")?;
        }
        write!(f, ": {}", self.message)
    }
}

struct Sink<'a> {
    out: Vec<Diagnostic>,
    file: &'a str,
    id: Option<&'a str>,
}

impl<'a> Sink<'a> {
    fn at(&mut self, file: &'a str, id: Option<&'a str>) {
        self.file = file;
        self.id = id;
    }
    fn push(&mut self, level: Level, code: Code, message: String) {
        self.out.push(Diagnostic {
            level,
            code,
            file: self.file.to_string(),
            id: self.id.map(String::from),
            message,
        });
    }
    fn error(&mut self, code: Code, message: impl Into<String>) {
        self.push(Level::Error, code, message.into());
    }
    fn warn(&mut self, code: Code, message: impl Into<String>) {
        self.push(Level::Warning, code, message.into());
    }
}

/// Lints the library against the default profile.
pub fn lint(lib: &Library) -> Vec<Diagnostic> {
    lint_with(lib, &Profile::embedded())
}

/// Lints the library; placeholders, bounds and examples are judged against `profile`.
pub fn lint_with(lib: &Library, profile: &Profile) -> Vec<Diagnostic> {
    let facts = profile.facts();
    let mut s = Sink {
        out: Vec::new(),
        file: "library.toml",
        id: None,
    };
    index(lib, &mut s);
    criteria(lib, &mut s);
    for c in &lib.clauses {
        clause(lib, c, &facts, &mut s);
    }
    for q in &lib.questions {
        question(lib, q, profile, &facts, &mut s);
    }
    cycles(lib, &mut s);
    roles::consistency(lib, &mut s);
    published::check(lib, &mut s);
    yearly::check(lib, &facts, &mut s);
    content(lib, &mut s);
    s.out
        .sort_by(|a, b| a.level.cmp(&b.level).then(a.file.cmp(&b.file)));
    s.out
}

fn is_snake(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn id_matches(id: &str, clause: bool) -> bool {
    let b = id.as_bytes();
    let tail = if clause { b.get(4..) } else { b.get(3..) };
    let digits = match tail {
        Some([b'C', d1, d2]) if clause => [*d1, *d2],
        Some([b'-', d1, d2]) if !clause => [*d1, *d2],
        _ => return false,
    };
    b.len() == if clause { 7 } else { 6 }
        && b[..3].iter().all(u8::is_ascii_uppercase)
        && (!clause || b[3] == b'-')
        && digits.iter().all(u8::is_ascii_digit)
}

fn texts(s: &mut Sink<'_>, items: &[(&str, &Text)]) {
    for (what, t) in items {
        for lang in t.missing() {
            s.error(
                Code::MissingTranslation,
                format!("{what} has no `{lang}` text"),
            );
        }
    }
}

fn legal(s: &mut Sink<'_>, refs: &[LegalRef]) {
    for r in refs.iter().filter(|r| r.status == LegalStatus::ToVerify) {
        s.warn(Code::LegalToVerify, format!("`{}` is to verify", r.text));
    }
}

fn duplicates<'a>(s: &mut Sink<'a>, what: &str, items: impl Iterator<Item = (&'a str, &'a str)>) {
    let mut seen = BTreeSet::new();
    for (file, id) in items {
        if !seen.insert(id) {
            s.at(file, Some(id));
            s.error(
                Code::DuplicateId,
                format!("another {what} already has this id"),
            );
        }
    }
}

fn index<'a>(lib: &'a Library, s: &mut Sink<'a>) {
    s.at("library.toml", None);
    if lib.version.trim().is_empty() {
        s.error(Code::BadId, "`version` is empty");
    }
    for t in &lib.themes {
        s.at("library.toml", Some(&t.id));
        if !is_snake(&t.id) {
            s.error(Code::BadId, "theme ids are snake_case");
        }
        texts(s, &[("title", &t.title), ("summary", &t.summary)]);
    }
    duplicates(
        s,
        "theme",
        lib.themes.iter().map(|t| ("library.toml", t.id.as_str())),
    );
    for l in &lib.lists {
        s.at("lists.toml", Some(&l.id));
        if !is_snake(&l.id) {
            s.error(Code::BadId, "list ids are snake_case");
        }
        texts(s, &[("title", &l.title)]);
    }
    duplicates(
        s,
        "list",
        lib.lists.iter().map(|l| ("lists.toml", l.id.as_str())),
    );
    duplicates(
        s,
        "clause",
        lib.clauses.iter().map(|c| (c.file.as_str(), c.id.as_str())),
    );
    duplicates(
        s,
        "question",
        lib.questions
            .iter()
            .map(|q| (q.file.as_str(), q.id.as_str())),
    );
}

fn criteria<'a>(lib: &'a Library, s: &mut Sink<'a>) {
    for c in &lib.criteria {
        s.at(&c.file, Some(&c.id));
        match CRITERIA.iter().position(|k| *k == c.id) {
            None => s.error(
                Code::CriterionSet,
                format!("unknown criterion (criteria: {})", CRITERIA.join(", ")),
            ),
            Some(i) if i + 1 != c.order as usize => s.error(
                Code::CriterionSet,
                format!("`order` is {}, the compass puts it at {}", c.order, i + 1),
            ),
            Some(_) => {}
        }
        texts(s, &[("title", &c.title), ("summary", &c.summary)]);
    }
    duplicates(
        s,
        "criterion",
        lib.criteria
            .iter()
            .map(|c| (c.file.as_str(), c.id.as_str())),
    );
    s.at("library.toml", None);
    for id in CRITERIA.iter().filter(|id| lib.criterion(id).is_none()) {
        s.error(
            Code::CriterionSet,
            format!("criterion `{id}` is missing (one file per criterion)"),
        );
    }
}

fn condition(lib: &Library, facts: &serde_json::Value, c: &Condition, s: &mut Sink<'_>) {
    let expr = match c.expr() {
        Ok(e) => e,
        Err(e) => {
            return s.error(
                Code::ConditionSyntax,
                format!("`when = \"{}\"`: {e}", c.excerpt()),
            );
        }
    };
    for path in c.profile_refs() {
        if path.split('.').try_fold(facts, |v, k| v.get(k)).is_none() {
            s.error(
                Code::UnknownReference,
                format!("`when` reads `profile.{path}`, which the profile does not have"),
            );
        }
    }
    for id in c.answer_refs() {
        if lib.question(id).is_none() {
            s.error(
                Code::UnknownReference,
                format!("`when` reads the answer to `{id}`, which is no question"),
            );
        }
    }
    compared_values(lib, expr, s);
}

fn compared_values(lib: &Library, e: &Expr, s: &mut Sink<'_>) {
    match e {
        Expr::And(a, b) | Expr::Or(a, b) => {
            compared_values(lib, a, s);
            compared_values(lib, b, s);
        }
        Expr::Not(a) => compared_values(lib, a, s),
        Expr::Compare(Operand::Answer(id), Some((op, right))) => {
            let Some(q) = lib.question(id).filter(|q| q.answer.has_choices()) else {
                return;
            };
            let values: Vec<&Operand> = match (op, right) {
                (Op::In, Operand::List(items)) => items.iter().collect(),
                (Op::Eq | Op::Ne | Op::Contains, v) => vec![v],
                _ => return,
            };
            let choices = q.effective_choices();
            for v in values {
                let known = matches!(v, Operand::Text(t) if choices.iter().any(|c| &c.id == t));
                if !known {
                    s.error(
                        Code::ConditionValue,
                        format!(
                            "`{id}` never takes the value {v:?}: its choices are {}",
                            choices
                                .iter()
                                .map(|c| c.id.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                }
            }
        }
        Expr::Compare(..) => {}
    }
}

fn placeholders(facts: &serde_json::Value, t: &Text, s: &mut Sink<'_>) {
    for lang in text::Lang::ALL {
        for p in text::placeholders(t.get(lang)) {
            let found = p.split('.').try_fold(facts, |v, k| v.get(k));
            if found.is_none_or(|v| v.is_object() || v.is_array()) {
                s.error(
                    Code::UnknownPlaceholder,
                    format!("`{{{p}}}` ({lang}) names no field of the profile"),
                );
            }
        }
    }
}

fn clause<'a>(lib: &'a Library, c: &'a Clause, facts: &serde_json::Value, s: &mut Sink<'a>) {
    s.at(&c.file, Some(&c.id));
    if !id_matches(&c.id, true) {
        s.error(Code::BadId, "clause ids look like BIO-C01");
    }
    texts(s, &[("title", &c.title), ("text", &c.text)]);
    for lang in text::Lang::ALL {
        for id in super::model::cited_clauses(c.text.get(lang)) {
            if lib.clause(&id).is_none() {
                s.error(
                    Code::CitesUnknownClause,
                    format!("the {lang} text cites [{id}], which is no clause"),
                );
            } else if id == c.id {
                s.error(
                    Code::CitesUnknownClause,
                    format!("the {lang} text cites itself"),
                );
            }
        }
    }
    placeholders(facts, &c.text, s);
    placeholders(facts, &c.title, s);
    if let Some(w) = &c.when {
        condition(lib, facts, w, s);
        if !w.answer_refs().is_empty() {
            s.error(
                Code::ClauseAnswerCondition,
                "a clause's `when` may only read the profile",
            );
        }
    }
    if c.questions.is_empty() {
        s.error(
            Code::UnverifiedClause,
            "no question lists this clause in its `clauses`",
        );
    }
    legal(s, &c.legal);
}

/// Whether a question's `evidence_check` fits its answer.
fn evidence_check(q: &Question, s: &mut Sink<'_>) {
    use crate::library::EvidenceCheck as E;
    let Some(check) = q.evidence_check else {
        return;
    };
    let energy = q
        .unit
        .as_deref()
        .is_some_and(|u| crate::evidence::fact::to_wh(1.0, u).is_some());
    let fits = match check {
        E::TaskEnergy | E::TrainingEnergy => q.answer == AnswerType::Number && energy,
        E::Licence | E::TrainingData | E::Model => q.answer == AnswerType::Text,
        E::EnergyMethod => {
            q.answer == AnswerType::Choice && q.choices.iter().any(|c| c.method.is_some())
        }
    };
    if !fits {
        let name = serde_json::to_value(check)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default();
        s.error(
            Code::EvidenceCheckMisfit,
            format!(
                "`evidence_check = \"{name}\"` does not fit a `{}` answer{}",
                q.answer.name(),
                q.unit
                    .as_deref()
                    .map(|u| format!(" in {u}"))
                    .unwrap_or_default()
            ),
        );
    }
}

fn question<'a>(
    lib: &'a Library,
    q: &'a Question,
    profile: &Profile,
    facts: &serde_json::Value,
    s: &mut Sink<'a>,
) {
    s.at(&q.file, Some(&q.id));
    if !id_matches(&q.id, false) {
        s.error(Code::BadId, "question ids look like BIO-01");
    }
    texts(s, &[("text", &q.text), ("help", &q.help)]);
    if let Some(f) = &q.followup {
        texts(
            s,
            &[(
                "followup",
                &Text {
                    fr: f.fr.clone(),
                    en: f.en.clone(),
                },
            )],
        );
    }
    if q.audience.is_empty() {
        s.error(
            Code::BadAudience,
            "`audience` is empty: vendor, internal, or both",
        );
    }
    if q.weight > 10 {
        s.error(
            Code::BadWeight,
            format!("weight {} is outside 0 to 10", q.weight),
        );
    }
    match (q.answer, &q.unit) {
        (AnswerType::Number, None) => s.error(Code::BadUnit, "a number question names its `unit`"),
        (AnswerType::Number, Some(_)) | (_, None) => {}
        (t, Some(u)) => s.error(
            Code::BadUnit,
            format!("a `{}` answer has no unit, yet `unit = \"{u}\"`", t.name()),
        ),
    }
    choices(q, s);
    evidence_check(q, s);
    for t in q
        .themes
        .iter()
        .filter(|t| !lib.themes.iter().any(|x| &x.id == *t))
    {
        s.error(
            Code::UnknownReference,
            format!("theme `{t}` is not in library.toml"),
        );
    }
    for c in q.clauses.iter().filter(|c| lib.clause(c).is_none()) {
        s.error(
            Code::UnknownReference,
            format!("clause `{c}` does not exist"),
        );
    }
    if let Some(w) = &q.when {
        condition(lib, facts, w, s);
    }
    legal(s, &q.legal);
    match &q.rule {
        None if q.role() != crate::library::Role::Information && !q.requires_document() => s.error(
            Code::MissingRule,
            "every question but an information one or a required document carries one `rule`",
        ),
        None => {}
        Some(r) => question_rule(lib, q, r, profile, facts, s),
    }
    roles::question(q, facts, s);
}

fn choices(q: &Question, s: &mut Sink<'_>) {
    match q.answer {
        AnswerType::YesNo if q.choices != q.effective_choices() => s.error(
            Code::BadChoice,
            "yes_no questions have the fixed choices yes and no",
        ),
        AnswerType::Choice | AnswerType::MultiChoice if q.choices.len() < 2 => s.error(
            Code::BadChoice,
            "a choice question offers at least two `choices`",
        ),
        AnswerType::YesNo | AnswerType::Choice | AnswerType::MultiChoice => {}
        _ if !q.choices.is_empty() => s.error(
            Code::BadChoice,
            format!("a `{}` answer has no choices", q.answer.name()),
        ),
        _ => {}
    }
    let mut seen = BTreeSet::new();
    for c in &q.choices {
        if !is_snake(&c.id) {
            s.error(
                Code::BadChoice,
                format!("choice id `{}` is not snake_case", c.id),
            );
        }
        if !seen.insert(&c.id) {
            s.error(Code::BadChoice, format!("choice `{}` appears twice", c.id));
        }
        for lang in c.label.missing() {
            s.error(
                Code::MissingTranslation,
                format!("choice `{}` has no `{lang}` label", c.id),
            );
        }
        for lang in text::Lang::ALL {
            if c.label.get(lang).contains([',', ';']) {
                s.error(
                    Code::BadChoice,
                    format!("the {lang} label of `{}` holds `,` or `;`", c.id),
                );
            }
        }
    }
}

fn question_rule(
    lib: &Library,
    q: &Question,
    r: &rule::Rule,
    profile: &Profile,
    facts: &serde_json::Value,
    s: &mut Sink<'_>,
) {
    if !r.kind.fits(q.answer) {
        s.error(
            Code::RuleMisfit,
            format!(
                "a `{}` rule cannot judge a `{}` answer",
                r.kind.name(),
                q.answer.name()
            ),
        );
        return;
    }
    // a `words` rule may hold the one value "figure", checked below
    let extra = !r.values.is_empty() && r.kind != RuleKind::Words;
    if r.kind.takes_bound() && (r.bound.is_none() || extra) {
        s.error(
            Code::RuleMisfit,
            format!("a `{}` rule takes a `bound` and no `values`", r.kind.name()),
        );
        return;
    }
    if !r.kind.takes_bound() && (r.values.is_empty() || r.bound.is_some()) {
        s.error(
            Code::RuleMisfit,
            format!("a `{}` rule takes `values` and no `bound`", r.kind.name()),
        );
        return;
    }
    let ctx = rule::Context {
        profile: facts,
        lists: &lib.lists,
    };
    match r.kind {
        RuleKind::Expect | RuleKind::Forbid => {
            let ids = q.effective_choices();
            for v in r.values.iter().filter(|v| !ids.iter().any(|c| &c.id == *v)) {
                s.error(
                    Code::RuleMisfit,
                    format!("`{v}` is not one of the question's choices"),
                );
            }
        }
        RuleKind::Pattern | RuleKind::ForbidPattern => {
            if let Err(e) = r.patterns() {
                s.error(Code::BadPattern, e.to_string());
            }
        }
        RuleKind::InList => {
            if let Err(e) = ctx.list_values(&r.values) {
                s.error(Code::UnknownReference, e.to_string());
            }
        }
        RuleKind::Words if r.values.iter().any(|v| v != crate::rule::Rule::FIGURE) => s.error(
            Code::RuleMisfit,
            "a `words` rule's only value is \"figure\" (the answer holds a figure too)",
        ),
        RuleKind::Words => match r.bound.as_ref().map(|b| (b, ctx.bound(b))) {
            Some((_, Ok(answer::Value::Number(n)))) if n >= 1.0 && n.fract() == 0.0 => {}
            Some((Bound::Profile(p), Err(_))) => s.error(
                Code::BadBound,
                format!("`{p}` is not a number or a date of the profile"),
            ),
            _ => s.error(
                Code::BadBound,
                "a `words` rule counts words: its bound is a whole number, 1 or more",
            ),
        },
        RuleKind::Min | RuleKind::Max => match r.bound.as_ref().map(|b| (b, ctx.bound(b))) {
            Some((Bound::Profile(p), Err(_))) => s.error(
                Code::BadBound,
                format!("`{p}` is not a number or a date of the profile"),
            ),
            Some((_, Ok(answer::Value::Date(_)))) if q.answer != AnswerType::Date => {
                s.error(Code::BadBound, "a date bound on a number question")
            }
            Some((_, Ok(answer::Value::Number(_)))) if q.answer == AnswerType::Date => {
                s.error(Code::BadBound, "a number bound on a date question")
            }
            _ => {}
        },
    }
    if let (Some(f), Some(u)) = (r.from, r.until)
        && f >= u
    {
        s.error(
            Code::BadPeriod,
            format!("`from` {f} is not before `until` {u}"),
        );
    }
    if q.criterion == ELIMINATORY_CRITERION && r.severity != Severity::Eliminatory {
        s.error(
            Code::NotEliminatory,
            format!(
                "criterion 1 is eliminatory with no exception, yet this rule is `{}`",
                r.severity
            ),
        );
    }
    if q.jurisdiction && r.severity > Severity::Major {
        s.error(Code::JurisdictionSeverity, "eliminating an offer on the vendor's seat, ownership or jurisdiction risks breaching equal treatment: `major` at most (a profile may raise it with a justification)");
    }
    example(q, r, &ctx, profile, s);
}

fn example(
    q: &Question,
    r: &rule::Rule,
    ctx: &rule::Context<'_>,
    profile: &Profile,
    s: &mut Sink<'_>,
) {
    if s.out
        .iter()
        .any(|d| d.level == Level::Error && d.id.as_deref() == Some(&q.id))
    {
        return;
    }
    let examples = std::iter::once(("example", &q.example))
        .chain(q.example_en.as_ref().map(|e| ("example_en", e)));
    for (key, example) in examples {
        match answer::normalise(q.spec(), example) {
            Err(e) => s.error(
                Code::ExampleFails,
                format!("{key} `{example}` is not a valid answer: {e}"),
            ),
            Ok(v) => {
                let (start, end) = (profile.dates.contract_start, profile.dates.contract_end());
                match r.passes(&v, ctx) {
                    Ok(true) => {}
                    Ok(false) if !r.in_force(start, end) => {}
                    Ok(false) => s.error(
                        Code::ExampleFails,
                        format!(
                            "{key} `{example}` fails its rule: {}",
                            r.describe(q.spec(), ctx, text::Lang::En)
                        ),
                    ),
                    Err(e) => s.error(Code::RuleMisfit, e.to_string()),
                }
            }
        }
    }
}

fn cycles<'a>(lib: &'a Library, s: &mut Sink<'a>) {
    let deps: BTreeMap<&str, Vec<&str>> = lib
        .questions
        .iter()
        .map(|q| {
            (
                q.id.as_str(),
                q.when.as_ref().map(|w| w.answer_refs()).unwrap_or_default(),
            )
        })
        .collect();
    for q in &lib.questions {
        let mut stack = vec![q.id.as_str()];
        let mut seen = BTreeSet::new();
        while let Some(id) = stack.pop() {
            for &d in deps.get(id).map(Vec::as_slice).unwrap_or(&[]) {
                if d == q.id {
                    s.at(&q.file, Some(&q.id));
                    s.error(
                        Code::ConditionCycle,
                        "its `when` depends, through other questions, on its own answer",
                    );
                    stack.clear();
                    break;
                }
                if seen.insert(d) {
                    stack.push(d);
                }
            }
        }
    }
}

/// Fewest questions in the library, per criterion, and clauses per criterion.
pub const MIN_QUESTIONS: usize = 80;
/// Fewest questions per criterion.
pub const MIN_QUESTIONS_PER_CRITERION: usize = 6;
/// Fewest clauses per criterion.
pub const MIN_CLAUSES_PER_CRITERION: usize = 3;

fn content<'a>(lib: &'a Library, s: &mut Sink<'a>) {
    s.at("library.toml", None);
    if lib.questions.len() < MIN_QUESTIONS {
        s.warn(
            Code::ContentMinimum,
            format!(
                "{} questions; the compass's grid has at least {MIN_QUESTIONS}",
                lib.questions.len()
            ),
        );
    }
    for c in &lib.criteria {
        s.at(&c.file, Some(&c.id));
        let nq = lib.questions.iter().filter(|q| q.criterion == c.id).count();
        let nc = lib.clauses.iter().filter(|x| x.criterion == c.id).count();
        if nq < MIN_QUESTIONS_PER_CRITERION {
            s.warn(
                Code::ContentMinimum,
                format!("{nq} questions; at least {MIN_QUESTIONS_PER_CRITERION} per criterion"),
            );
        }
        if nc < MIN_CLAUSES_PER_CRITERION {
            s.warn(
                Code::ContentMinimum,
                format!("{nc} clauses; at least {MIN_CLAUSES_PER_CRITERION} per criterion"),
            );
        }
    }
}
