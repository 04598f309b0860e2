//! The contractor's yearly report: the workbook it fills each year, and
//! what it reported checked against what its offer promised.
//!
//! The report's lines come from the library, never from this module: every
//! question with a yearly indicator (`followup`) whose clause applies, its
//! value prefilled from the awarded offer's commitment, and the lines of
//! `[[yearly]]` in `contract.toml` (the reversibility test, a change of
//! model, its notice and its re-tests, the measurement method). Each line
//! says the clause under which it is due and, when the contract sets one,
//! the point of the penalties clause that a miss or a missing line exposes
//! the contractor to.
//!
//! [`super::workbook::template`] writes the workbook; [`check`] reads a
//! filled one back with the same readers and normalisers as any returned
//! questionnaire and gives one [`Checked`] line each: kept, reported, a
//! departure from the offer (for legal staff to weigh: the offer binds, the
//! tolerance is theirs, no penalty is printed), a rule of the contract
//! itself not met (with the penalty incurred), unreported (to ask for) or
//! unreadable. A model put into service without the re-tests the contract
//! requires is first a failure to perform the buyer may suspend; it is a
//! modification of the contract (CCP, art. R. 2194-1 and R. 2194-7) only if
//! the buyer accepts it: a question, never a verdict.

use serde::Serialize;

use super::Award;
use crate::answer::{self, Spec, Value};
use crate::check::Basis;
use crate::date::Date;
use crate::library::{AnswerType, Notice, Penalty, Promise};
use crate::response::Response;
use crate::selection::Selection;
use crate::text::{Lang, Text};

/// The contract's clause that makes the offer's answers binding as the
/// CCAP's own requirements (the ranking of the contractual documents).
pub const BINDING_CLAUSE: &str = "CTR-C01";
/// The metadata key that marks a contractor's yearly report and gives its year.
pub const YEAR_KEY: &str = "report_year";
/// The metadata key that marks the notice of a change the contractor sends
/// before making it.
pub const NOTICE_KEY: &str = "change_notice";
/// The metadata key holding the digest of the commitments it was written for.
pub const AWARD_KEY: &str = "award_digest";

/// What the contractor fills: the report of a year of the contract, or the
/// notice of a change of model it sends before making it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    /// The yearly report of this year (1 for the first).
    Year(u32),
    /// The notice of a change: the lines marked `on_notice`, all asked.
    Notice,
}

impl Form {
    /// The lines of this form among `lines`, those asked on a notice
    /// asked whatever their condition.
    pub fn lines(self, lines: Vec<Line>) -> Vec<Line> {
        match self {
            Form::Year(_) => lines,
            Form::Notice => lines
                .into_iter()
                .filter(|l| l.on_notice)
                .map(|l| Line { when: None, ..l })
                .collect(),
        }
    }

    /// Its title, « Année 2 » or « Avis de changement de modèle ».
    pub fn title(self, lang: Lang) -> String {
        match self {
            Form::Year(y) => format!("{} {y}", lang.pick("Année", "Year")),
            Form::Notice => lang
                .pick(
                    "Avis de changement de modèle",
                    "Notice of a change of model",
                )
                .to_string(),
        }
    }
}

/// One line of the yearly report, as the library and the award define it.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The question id, or `RAP-xx` for a line no question carries.
    pub id: String,
    /// The clause under which it is due.
    pub clause: String,
    /// What the contractor reports.
    pub text: Text,
    /// The kind of answer.
    pub kind: AnswerType,
    /// The unit of a number.
    pub unit: Option<String>,
    /// What the offer promised, as typed, and its value when a number.
    pub promised: Option<(String, Option<f64>)>,
    /// How the year's value is held to the promise.
    pub promise: Option<Promise>,
    /// The answer the contract requires of a yes/no line.
    pub expect: Option<String>,
    /// A notice period before another line's date.
    pub notice: Option<Notice>,
    /// The contract's own limit on a number (a time the clause sets).
    pub at_most: Option<crate::rule::Bound>,
    /// Asked only when this yes/no line is answered yes.
    pub when: Option<String>,
    /// The penalty a miss exposes to.
    pub missed: Option<Penalty>,
    /// The penalty a missing line exposes to.
    pub unreported: Option<Penalty>,
    /// Whether a miss may make a change a modification of the contract.
    pub modification: bool,
    /// Whether it is also asked on the notice of a change.
    pub on_notice: bool,
}

/// The lines of the yearly report of a tender, from its selection and the
/// awarded offer's commitments.
pub fn lines(sel: &Selection, award: &Award) -> Vec<Line> {
    let clause_applies = |id: &str| sel.clauses.iter().any(|c| c.id == id);
    let indicators = sel
        .questions
        .iter()
        .filter(|q| q.audience.contains(&crate::library::Audience::Vendor))
        .filter_map(|q| {
            let f = q.followup.as_ref()?;
            let clause = f.due.clone().or_else(|| q.clauses.first().cloned())?;
            if !clause_applies(&clause) {
                return None;
            }
            // What the offer promised is the indicator's baseline only when
            // it is a number of the same quantity.
            let same_quantity = match q.answer_type {
                AnswerType::Number => f.unit == q.unit,
                AnswerType::Percent => matches!(f.unit.as_deref(), Some("%" | "points")),
                _ => false,
            };
            let promised = award
                .commitments
                .iter()
                .find(|c| c.question == q.id)
                .filter(|_| same_quantity)
                .map(|c| (c.answer.clone(), c.value.as_f64()));
            let comparable = matches!(promised, Some((_, Some(_))));
            Some(Line {
                id: q.id.clone(),
                clause,
                text: Text {
                    fr: f.fr.clone(),
                    en: f.en.clone(),
                },
                kind: AnswerType::Number,
                unit: f.unit.clone(),
                promised,
                promise: f.promise.filter(|_| comparable),
                expect: None,
                notice: None,
                at_most: None,
                when: None,
                missed: f.missed.clone(),
                unreported: f.unreported.clone(),
                modification: false,
                on_notice: false,
            })
        });
    let events = sel.yearly.iter().map(|y| Line {
        id: y.id.clone(),
        clause: y.clause.clone(),
        text: y.text.clone(),
        kind: y.answer_type,
        unit: y.unit.clone(),
        promised: None,
        promise: None,
        expect: y.expect.clone(),
        notice: y.notice.clone(),
        at_most: y.at_most.clone(),
        when: y.when.clone(),
        missed: y.missed.clone(),
        unreported: y.unreported.clone(),
        modification: y.modification,
        on_notice: y.on_notice,
    });
    let articles = crate::annex::article_numbers(sel);
    let place = |clause: &str| -> Vec<u32> {
        articles
            .get(clause)
            .map(|a| a.split('.').filter_map(|n| n.parse().ok()).collect())
            .unwrap_or_default()
    };
    let all: Vec<Line> = indicators.chain(events).collect();
    // In the order of the articles that ask for them, as the annex reads; a
    // line asked only after another's « Oui » stays with that line.
    let clause_of = |id: &str| all.iter().find(|l| l.id == id).map(|l| l.clause.clone());
    let keys: Vec<Vec<u32>> = all
        .iter()
        .map(|l| {
            let clause = l
                .when
                .as_deref()
                .and_then(clause_of)
                .unwrap_or(l.clause.clone());
            place(&clause)
        })
        .collect();
    let mut keyed: Vec<(Vec<u32>, Line)> = keys.into_iter().zip(all).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.into_iter().map(|(_, l)| l).collect()
}

/// What became of one line in a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The value keeps the promise, or the answer is the one required.
    Kept,
    /// Reported; nothing to hold it to.
    Reported,
    /// The value is on the wrong side of the one the offer gave: a gap for
    /// legal staff to weigh (the offer's answers bind the contractor, with
    /// a tolerance and a follow-up that are theirs to decide).
    Deviates,
    /// The contract's own rule is broken: a limit it sets, an answer it
    /// requires, a notice too short.
    Missed,
    /// Nothing reported.
    Unreported,
    /// Something typed that cannot be read for this line.
    Unreadable,
    /// Not asked this year (no change of model, so no notice).
    NotAsked,
}

impl Outcome {
    /// In words.
    pub fn label(self, lang: Lang) -> &'static str {
        let (fr, en) = match self {
            Outcome::Kept => ("tenu", "kept"),
            Outcome::Reported => ("déclaré", "reported"),
            Outcome::Deviates => ("écart à l'offre", "departs from the offer"),
            Outcome::Missed => ("non respecté", "not met"),
            Outcome::Unreported => ("non déclaré", "not reported"),
            Outcome::Unreadable => ("illisible", "unreadable"),
            Outcome::NotAsked => ("sans objet", "not applicable"),
        };
        lang.pick(fr, en)
    }

    /// Whether legal staff have something to look at.
    pub fn is_finding(self) -> bool {
        matches!(
            self,
            Outcome::Deviates | Outcome::Missed | Outcome::Unreported | Outcome::Unreadable
        )
    }
}

/// One line of a year's report, checked.
#[derive(Debug, Clone, Serialize)]
pub struct Checked {
    /// The question id or `RAP-xx`.
    pub id: String,
    /// The clause under which it is due.
    pub clause: String,
    /// Its article in the annex.
    pub article: String,
    /// What the contractor reports, in the report's language.
    pub text: String,
    /// The unit of a number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// What the offer promised, as typed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub promised: Option<String>,
    /// The promised number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub promised_value: Option<f64>,
    /// How the year's value is held to it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub promise: Option<Promise>,
    /// What was typed this year.
    pub raw: String,
    /// The number read, for a number line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// What became of it.
    pub outcome: Outcome,
    /// Why, in the report's language (for a finding).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub why: String,
    /// The penalty that applies, in words (« article 2.9, point f) »).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub penalty: Option<String>,
    /// Whether what happened may be a modification of the contract, for
    /// legal staff to examine.
    pub modification: bool,
}

/// One form the contractor returned (a year's report or a notice), checked.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The file, as given.
    pub file: String,
    /// What it is: `{"year": 1}` or `"notice"`.
    pub form: Form,
    /// The year's period in words, for a yearly report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// The article that makes the offer's answers binding, as the annex
    /// numbers it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub binding_article: Option<String>,
    /// Warnings about the file itself (written for other commitments).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Every line, in the workbook's order.
    pub lines: Vec<Checked>,
}

impl Report {
    /// The lines legal staff have to look at.
    pub fn findings(&self) -> impl Iterator<Item = &Checked> {
        self.lines.iter().filter(|l| l.outcome.is_finding())
    }
}

/// Why a report cannot be checked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// Its year is neither in the file nor given.
    #[error(
        "{0}: the year of the contract is not in the file; give it with --year (1 for the first year)"
    )]
    NoYear(String),
}

/// Checks the yearly report or the notice `response` (read from `file`)
/// against the commitments of `award`; `year` when the file says neither.
pub fn check(
    basis: &Basis,
    award: &Award,
    response: &Response,
    file: &str,
    year: Option<u32>,
) -> Result<Report, Refused> {
    let meta = response.metadata.as_ref().map(|m| &m.values);
    let stated: Option<u32> = meta
        .and_then(|m| m.get(YEAR_KEY))
        .and_then(|y| y.trim().parse().ok());
    let form = if meta.is_some_and(|m| m.contains_key(NOTICE_KEY)) {
        Form::Notice
    } else {
        Form::Year(
            stated
                .or(year)
                .ok_or_else(|| Refused::NoYear(file.to_string()))?,
        )
    };
    let lang = basis.lang;
    let mut warnings = Vec::new();
    if let Some(d) = meta.and_then(|m| m.get(AWARD_KEY))
        && d.trim() != award.digest
    {
        warnings.push(
            lang.pick(
                "Ce rapport a été préparé pour d'autres engagements que ceux de l'offre retenue donnés ici.",
                "This report was prepared for other commitments than those of the awarded offer given here.",
            )
            .to_string(),
        );
    }
    let facts = basis.profile.facts();
    let ctx = crate::rule::Context {
        profile: &facts,
        lists: &basis.selection.lists,
    };
    let articles = crate::annex::article_numbers(&basis.selection);
    let plan = form.lines(lines(&basis.selection, award));
    let read = |line: &Line| -> (String, Option<Result<Value, String>>) {
        let Some(row) = response.rows.iter().find(|r| r.id == line.id) else {
            return (String::new(), None);
        };
        let choices = if line.kind == AnswerType::YesNo {
            crate::library::Question::yes_no_choices()
        } else {
            Vec::new()
        };
        let spec = Spec {
            kind: line.kind,
            unit: line.unit.as_deref(),
            choices: &choices,
        };
        let raw = row.answer.display();
        match answer::normalise_cell(spec, &row.answer) {
            Ok(v) => (raw, Some(Ok(v))),
            Err(answer::Invalid::Empty) => (raw, None),
            Err(e) => (raw, Some(Err(e.describe(lang)))),
        }
    };
    let values: Vec<(String, Option<Result<Value, String>>)> = plan.iter().map(read).collect();
    let value_of = |id: &str| {
        plan.iter()
            .position(|l| l.id == id)
            .and_then(|i| values[i].1.clone())
            .and_then(Result::ok)
    };
    let article = |clause: &str| articles.get(clause).cloned().unwrap_or_default();
    let penalty_words = |p: &Penalty| {
        format!(
            "{} {}, {} {})",
            lang.pick("article", "Article"),
            article(&p.clause),
            lang.pick("point", "point"),
            p.point
        )
    };
    // A line left blank proves nothing yet: the penalty is the one incurred
    // if what it asks is not handed over once asked for.
    let if_not_given = |p: &Penalty| match lang {
        Lang::Fr => format!(
            "si l'élément n'est pas remis une fois demandé : {}",
            penalty_words(p)
        ),
        Lang::En => format!(
            "if it is not handed over once asked for: {}",
            penalty_words(p)
        ),
    };
    let lines = plan
        .iter()
        .zip(&values)
        .map(|(line, (raw, value))| {
            let asked = line
                .when
                .as_deref()
                .is_none_or(|w| value_of(w) == Some(Value::Choice("yes".into())));
            let (outcome, why) = if !asked {
                (Outcome::NotAsked, String::new())
            } else {
                judge(line, value.as_ref(), &value_of, &ctx, form, lang)
            };
            let penalty = match outcome {
                Outcome::Missed | Outcome::Deviates => line.missed.as_ref().map(penalty_words),
                Outcome::Unreported => line.unreported.as_ref().map(if_not_given),
                _ => None,
            };
            Checked {
                id: line.id.clone(),
                clause: line.clause.clone(),
                article: article(&line.clause),
                text: line.text.get(lang).to_string(),
                unit: line.unit.clone(),
                promised: line.promised.as_ref().map(|p| p.0.clone()),
                promised_value: line.promised.as_ref().and_then(|p| p.1),
                promise: line.promise,
                raw: raw.clone(),
                value: match value {
                    Some(Ok(Value::Number(n))) => Some(*n),
                    _ => None,
                },
                outcome,
                why,
                penalty,
                modification: line.modification && outcome == Outcome::Missed,
            }
        })
        .collect();
    Ok(Report {
        file: file.to_string(),
        form,
        period: match form {
            Form::Year(y) => Some(period_words(basis, y, lang)),
            Form::Notice => None,
        },
        binding_article: articles.get(BINDING_CLAUSE).cloned(),
        warnings,
        lines,
    })
}

/// The outcome of an asked line and why, in words.
fn judge(
    line: &Line,
    value: Option<&Result<Value, String>>,
    value_of: &dyn Fn(&str) -> Option<Value>,
    ctx: &crate::rule::Context<'_>,
    form: Form,
    lang: Lang,
) -> (Outcome, String) {
    let value = match value {
        None => {
            let due = match (form, &line.when) {
                (Form::Notice, _) => lang.pick(
                    "rien n'est déclaré pour cette ligne, due sur l'avis de changement : à demander au titulaire",
                    "nothing is reported on this line, due on the notice of change: to ask the contractor for",
                ),
                (_, Some(_)) => lang.pick(
                    "rien n'est déclaré pour cette ligne, due lorsqu'un changement est déclaré : à demander au titulaire",
                    "nothing is reported on this line, due when a change is reported: to ask the contractor for",
                ),
                _ => lang.pick(
                    "rien n'est déclaré pour cette ligne, due chaque année : à demander au titulaire",
                    "nothing is reported on this line, due every year: to ask the contractor for",
                ),
            };
            return (Outcome::Unreported, due.to_string());
        }
        Some(Err(why)) => return (Outcome::Unreadable, why.clone()),
        Some(Ok(v)) => v,
    };
    let quantity = |x: f64| crate::text::quantity(x, line.unit.as_deref(), lang);
    if let (Some(promise), Value::Number(n), Some((_, Some(p)))) =
        (line.promise, value, &line.promised)
    {
        let kept = match promise {
            Promise::AtMost => n <= p,
            Promise::AtLeast => n >= p,
        };
        if kept {
            return (Outcome::Kept, String::new());
        }
        let side = match promise {
            Promise::AtMost => lang.pick("au-dessus de", "above"),
            Promise::AtLeast => lang.pick("en dessous de", "below"),
        };
        let why = match lang {
            Lang::Fr => format!(
                "{} pour l'année, {side} la valeur donnée dans l'offre ({})",
                quantity(*n),
                quantity(*p)
            ),
            Lang::En => format!(
                "{} for the year, {side} the value the offer gave ({})",
                quantity(*n),
                quantity(*p)
            ),
        };
        return (Outcome::Deviates, why);
    }
    if let (Some(limit), Value::Number(n)) = (&line.at_most, value) {
        let Ok(Value::Number(max)) = ctx.bound(limit) else {
            return (Outcome::Reported, String::new());
        };
        if *n <= max {
            return (Outcome::Kept, String::new());
        }
        let why = match lang {
            Lang::Fr => format!(
                "{} constatées, au-delà du maximum de {} que fixe le contrat",
                quantity(*n),
                quantity(max)
            ),
            Lang::En => format!(
                "{} observed, beyond the maximum of {} the contract sets",
                quantity(*n),
                quantity(max)
            ),
        };
        return (Outcome::Missed, why);
    }
    if let (Some(expected), Value::Choice(c)) = (&line.expect, value) {
        if c == expected {
            return (Outcome::Kept, String::new());
        }
        let why = if form == Form::Notice && line.modification {
            lang.pick(
                "réponse « Non » : le changement ne peut être accepté en l'état ; l'acheteur peut le refuser ou en demander la suspension jusqu'à ce que ces tests soient faits et leurs résultats remis",
                "answered \"No\": the change cannot be accepted as it is; the buyer may refuse it or ask for it to be suspended until these tests are done and their results handed over",
            )
        } else {
            lang.pick(
                "réponse « Non », alors que le contrat l'exige",
                "answered \"No\", where the contract requires it",
            )
        };
        return (Outcome::Missed, why.to_string());
    }
    if let (Some(notice), Value::Date(given)) = (&line.notice, value) {
        let Some(Value::Date(change)) = value_of(&notice.before) else {
            return (Outcome::Reported, String::new());
        };
        let Ok(Value::Number(min)) = ctx.bound(&notice.days) else {
            return (Outcome::Reported, String::new());
        };
        let days = change.days_since(*given);
        if days as f64 >= min {
            return (Outcome::Kept, String::new());
        }
        let in_days = |n: usize| crate::text::counted(n, lang, ("jour", "jours"), ("day", "days"));
        let (given, change) = (given.in_words(lang), change.in_words(lang));
        let (days, min) = (in_days(days.max(0) as usize), in_days(min as usize));
        let why = match lang {
            Lang::Fr => format!(
                "l'acheteur a été informé le {given}, {days} avant la mise en service du {change} ; le contrat exige un préavis d'au moins {min}"
            ),
            Lang::En => format!(
                "the buyer was informed on {given}, {days} before the change on {change}; the contract requires at least {min} of notice"
            ),
        };
        return (Outcome::Missed, why);
    }
    (Outcome::Reported, String::new())
}

/// The words said of a change of model made without the tests the
/// contract requires: first a failure to perform, which the buyer may
/// answer by a suspension; a modification of the contract to weigh only if
/// the buyer accepts the new model. A question for legal staff.
pub fn modification_note(lang: Lang) -> &'static str {
    lang.pick(
        "Un modèle mis en service sans ces tests est d'abord un manquement aux obligations d'exécution : l'acheteur peut en demander la suspension jusqu'à ce que les tests soient faits et leurs résultats remis. S'il accepte le nouveau modèle, le changement est une modification du marché à apprécier au regard des articles R. 2194-1 (clause de réexamen) et R. 2194-7 (modification non substantielle) du code de la commande publique : question pour les services juridiques, non une conclusion.",
        "A model put into service without these tests is first a failure to perform: the buyer may ask for it to be suspended until the tests are done and their results handed over. If the buyer accepts the new model, the change is a modification of the contract to be weighed under Articles R. 2194-1 (review clause) and R. 2194-7 (non-substantial modification) of the French public procurement code: a question for legal staff, not a conclusion.",
    )
}

/// The first and last days of a year of the contract, counted from the
/// start of performance (the anniversaries the reporting clauses name).
pub fn year_period(basis: &Basis, year: u32) -> (Date, Date) {
    let start = basis.profile.dates.contract_start;
    let first = start.add_months(12 * year.saturating_sub(1));
    let next = start.add_months(12 * year);
    let epoch = Date::new(1970, 1, 1).unwrap_or(first);
    (first, Date::from_unix_days(next.days_since(epoch) - 1))
}

/// A year of the contract in words: « du 1er avril 2028 au 31 mars 2029 ».
pub fn period_words(basis: &Basis, year: u32, lang: Lang) -> String {
    let (first, last) = year_period(basis, year);
    match lang {
        Lang::Fr => format!("du {} au {}", first.in_words(lang), last.in_words(lang)),
        Lang::En => format!("from {} to {}", first.in_words(lang), last.in_words(lang)),
    }
}
