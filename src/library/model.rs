//! What the library holds: criteria, themes, clauses, questions and rules.
//!
//! These types are read straight from the TOML files of `clauses/` and
//! exported as JSON (`library export`). Loading never judges them: anything
//! wrong inside (a bad condition, a regex that does not compile, a missing
//! translation) is a lint finding, so that `library lint` can report every
//! problem at once, with its file and id.

use serde::{Deserialize, Serialize};

use crate::condition::Condition;
use crate::text::Text;

/// The seven criteria of the compass, in order.
pub const CRITERIA: [&str; 7] = [
    "biometrics",
    "legal",
    "public_service",
    "working_conditions",
    "sobriety",
    "transparency",
    "alternative",
];

/// The criterion whose every rule is eliminatory, with no exception.
pub const ELIMINATORY_CRITERION: &str = "biometrics";

/// One of the seven criteria.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// One of [`CRITERIA`].
    pub id: String,
    /// Position in the compass, 1 to 7.
    pub order: u8,
    /// Short title.
    pub title: Text,
    /// What the criterion asks, in two or three sentences.
    pub summary: Text,
    /// The file it was read from.
    #[serde(skip)]
    pub file: String,
}

/// A theme that cuts across criteria (sovereignty, reversibility…).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    /// Stable id.
    pub id: String,
    /// Short title.
    pub title: Text,
    /// One sentence.
    #[serde(default)]
    pub summary: Text,
}

/// A named list of values for `in_list` rules (countries, licences).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NamedList {
    /// Stable id, named by rules.
    pub id: String,
    /// What the list holds.
    pub title: Text,
    /// The values, compared without regard to case.
    pub values: Vec<String>,
}

/// Where a clause goes in the consultation documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// A requirement whose breach makes the offer irregular (CCTP).
    MinimumRequirement,
    /// An obligation during the contract (CCAP).
    Execution,
    /// An award sub-criterion (RC).
    Award,
}

/// A legal reference and whether it was verified.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LegalRef {
    /// As printed: `Règlement (UE) 2024/1689, art. 5, §1, g)`.
    pub text: String,
    /// Documents print only verified references.
    pub status: LegalStatus,
}

/// Whether a legal reference may be printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LegalStatus {
    /// Checked on the primary text: printed.
    Verified,
    /// Not yet checked: listed by lint, never printed.
    ToVerify,
}

/// A clause to put in the tender.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Clause {
    /// `^[A-Z]{3}-C[0-9]{2}$`, e.g. `SOB-C02`.
    pub id: String,
    /// The document part it belongs in.
    pub part: Part,
    /// Short title.
    pub title: Text,
    /// The clause, with `{placeholders}` filled from the profile.
    pub text: Text,
    /// When the clause applies (a condition on the profile).
    #[serde(default)]
    pub when: Option<Condition>,
    /// Legal basis.
    #[serde(default)]
    pub legal: Vec<LegalRef>,
    /// The criterion of the file it was read from; empty for the contract's
    /// own clauses (`contract.toml`: documents, penalties, termination…).
    #[serde(skip_deserializing)]
    pub criterion: String,
    /// The questions that verify it (derived from the questions' `clauses`).
    #[serde(skip_deserializing)]
    pub questions: Vec<String>,
    /// The file it was read from.
    #[serde(skip)]
    pub file: String,
}

/// Who answers a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Vendors, in the questionnaire.
    Vendor,
    /// The buyer's project group, in the internal evaluation grid.
    Internal,
}

/// The kind of answer a question expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AnswerType {
    /// Oui / Non.
    YesNo,
    /// One of the question's choices.
    Choice,
    /// Several of the question's choices.
    MultiChoice,
    /// A number in the question's unit.
    Number,
    /// A percentage (0 to 100).
    Percent,
    /// Free text.
    Text,
    /// A web address.
    Url,
    /// One or several ISO 3166-1 alpha-2 country codes.
    Country,
    /// A date.
    Date,
}

impl AnswerType {
    /// The name used in the library files.
    pub fn name(self) -> &'static str {
        match self {
            AnswerType::YesNo => "yes_no",
            AnswerType::Choice => "choice",
            AnswerType::MultiChoice => "multi_choice",
            AnswerType::Number => "number",
            AnswerType::Percent => "percent",
            AnswerType::Text => "text",
            AnswerType::Url => "url",
            AnswerType::Country => "country",
            AnswerType::Date => "date",
        }
    }

    /// Whether answers are picked among choices (yes/no included).
    pub fn has_choices(self) -> bool {
        matches!(
            self,
            AnswerType::YesNo | AnswerType::Choice | AnswerType::MultiChoice
        )
    }
}

/// One option of a choice question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// Stable id, what the checker compares.
    pub id: String,
    /// What the vendor picks; holds no `,` or `;`.
    pub label: Text,
    /// On a question asking how a figure was obtained (`evidence_check =
    /// "energy_method"`): whether this choice says measured or estimated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<Method>,
}

/// How a figure was obtained, as a choice says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Measured (a meter, a software measurement, a benchmark run).
    Measured,
    /// Estimated from a model of calculation.
    Estimated,
}

/// What a question is for in the judgment of an offer.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// It checks a minimum requirement of the CCTP, or the acceptance of a
    /// CCAP obligation: an answer given that breaks it makes the offer
    /// irregular (CCP L. 2152-2); a missing or unreadable answer may be
    /// regularised (R. 2152-2). Never scored.
    Regularity,
    /// An element of an award sub-criterion, scored on its announced scale;
    /// it never eliminates by itself. A missing answer scores 0.
    #[default]
    Award,
    /// Asked to know; never scored, never eliminates.
    Information,
}

impl Role {
    /// The name used in the library files and reports.
    pub fn name(self) -> &'static str {
        match self {
            Role::Regularity => "regularity",
            Role::Award => "award",
            Role::Information => "information",
        }
    }
}

/// Which way a number is better, for a relative scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    /// The lowest value of the batch gets full marks (energy, delays).
    Lower,
    /// The highest value of the batch gets full marks (hours of training).
    Higher,
}

/// How an award element is marked, as the RC announces it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Scale {
    /// Numbers: no point at `zero`, full points at `full`, linear between
    /// and clamped outside (either way: `zero` may be above `full`).
    Linear {
        /// The value that earns no point (a number or a profile field).
        zero: crate::rule::Bound,
        /// The value that earns full points.
        full: crate::rule::Bound,
    },
    /// Numbers: relative to the best offer of the batch, which gets full
    /// points; others get best ÷ value (lower is better) or value ÷ best
    /// (higher is better).
    Relative {
        /// Which way is better.
        better: Better,
    },
    /// Choices: a share of the element's points for each choice id, 0 to 1
    /// (a choice not listed earns nothing; for several choices, the best).
    Points {
        /// Choice id → share of the points.
        points: std::collections::BTreeMap<String, f64>,
    },
    /// Free text: marked 0 to 4 by the evaluation committee against the
    /// published descriptors (the standard ones when none are given).
    Committee {
        /// One descriptor per mark, 0 to 4.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        descriptors: Vec<Text>,
    },
}

impl Scale {
    /// Why the scale cannot mark `q`'s answers, if it cannot: the kind of
    /// answer it needs, or a choice it names that `q` does not offer.
    pub fn misfit(&self, q: &Question) -> Option<String> {
        let numeric = matches!(q.answer, AnswerType::Number | AnswerType::Percent);
        match self {
            Scale::Linear { .. } if !numeric => {
                Some("a linear scale marks numbers or percentages".into())
            }
            Scale::Relative { .. } if !numeric => {
                Some("a relative scale compares numbers or percentages".into())
            }
            Scale::Points { .. } if !q.answer.has_choices() => {
                Some("points are given per choice".into())
            }
            Scale::Points { points } => points.iter().find_map(|(id, share)| {
                if !q.effective_choices().iter().any(|c| &c.id == id) {
                    Some(format!("points name `{id}`, which is not a choice"))
                } else if !(0.0..=1.0).contains(share) {
                    Some(format!("the share of `{id}` is {share}, outside 0 to 1"))
                } else {
                    None
                }
            }),
            Scale::Committee { .. } if !matches!(q.answer, AnswerType::Text | AnswerType::Url) => {
                Some("the committee marks free text and documents".into())
            }
            Scale::Committee { descriptors }
                if !descriptors.is_empty() && descriptors.len() != 5 =>
            {
                Some("the committee's descriptors are five, one per mark from 0 to 4".into())
            }
            _ => None,
        }
    }
}

/// A rule across two answers of one offer, which must agree.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Consistency {
    /// `^[A-Z]{3}-K[0-9]{2}$`, e.g. `SOV-K01`.
    pub id: String,
    /// What the answers must agree on, in words, for the finding.
    pub text: Text,
    /// How serious a contradiction is.
    pub severity: crate::rule::Severity,
    /// What is compared.
    pub test: ConsistencyTest,
    /// The criterion of the file it was read from (set by the loader; kept
    /// in a lock).
    #[serde(default)]
    pub criterion: String,
}

/// How two answers are compared.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ConsistencyTest {
    /// Every value of `answer` (countries, choices) is among those of `within`.
    Within {
        /// The question whose values must be included.
        answer: String,
        /// The questions whose values, together, include them (one id or a
        /// list).
        #[serde(deserialize_with = "one_or_many")]
        within: Vec<String>,
    },
    /// The condition on answers must never hold.
    Never {
        /// A condition on two or more answers.
        when: Condition,
    },
}

/// One question id, or a list of them.
fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(id) => vec![id],
        OneOrMany::Many(ids) => ids,
    })
}

impl Consistency {
    /// The questions it compares.
    pub fn questions(&self) -> Vec<&str> {
        match &self.test {
            ConsistencyTest::Within { answer, within } => std::iter::once(answer.as_str())
                .chain(within.iter().map(String::as_str))
                .collect(),
            ConsistencyTest::Never { when } => {
                let mut ids = when.answer_refs();
                ids.dedup();
                ids
            }
        }
    }
}

/// A yearly indicator followed during the contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Followup {
    /// French text of the indicator.
    #[serde(default)]
    pub fr: String,
    /// English text of the indicator.
    #[serde(default)]
    pub en: String,
    /// Its unit.
    #[serde(default)]
    pub unit: Option<String>,
    /// The clause under which the contractor reports it each year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    /// How the year's value is held to the value the offer promised, when
    /// the answer is a commitment the contractor must keep every year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promise: Option<Promise>,
    /// The point of the penalties clause that sanctions a value that
    /// breaks the promise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missed: Option<Penalty>,
    /// The point of the penalties clause that sanctions a value not
    /// reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unreported: Option<Penalty>,
}

/// How a yearly value is held to the value the offer promised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Promise {
    /// The year's value may not exceed it (energy, times, error rates).
    AtMost,
    /// The year's value may not fall below it (renewable share).
    AtLeast,
}

/// The point of a penalties clause that applies to a breach:
/// `{ clause = "CTR-C05", point = "f" }`, printed « article 2.9, point f) ».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Penalty {
    /// The clause that sets the penalties.
    pub clause: String,
    /// The letter of its point.
    pub point: String,
}

/// A line of the contractor's yearly report that no question of the
/// questionnaire carries: what the contract's clauses ask to be reported
/// each year (the reversibility test, a change of model and its re-tests,
/// the measurement method). Read from `[[yearly]]` in `contract.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct YearlyItem {
    /// `RAP-` and two digits, e.g. `RAP-01`.
    pub id: String,
    /// The clause that asks for it.
    pub clause: String,
    /// What the contractor reports.
    pub text: Text,
    /// The kind of answer: `yes_no`, `date`, `number` or `text`.
    pub answer_type: AnswerType,
    /// The unit of a number.
    #[serde(default)]
    pub unit: Option<String>,
    /// Asked only when this other line (a `yes_no`) is answered yes.
    #[serde(default)]
    pub when: Option<String>,
    /// The answer the contract requires of a `yes_no` line (`yes`).
    #[serde(default)]
    pub expect: Option<String>,
    /// The contract's own limit on a number: at most this (a number or
    /// `profile.thresholds.<name>`).
    #[serde(default)]
    pub at_most: Option<crate::rule::Bound>,
    /// A date that must come at least so many days before another line's
    /// date (a notice before a change).
    #[serde(default)]
    pub notice: Option<Notice>,
    /// The point of the penalties clause that sanctions a miss.
    #[serde(default)]
    pub missed: Option<Penalty>,
    /// The point of the penalties clause that sanctions a line not
    /// reported.
    #[serde(default)]
    pub unreported: Option<Penalty>,
    /// Whether a miss may make what happened a modification of the
    /// contract, for legal staff to examine.
    #[serde(default)]
    pub modification: bool,
    /// Whether the line is also asked on the notice of a change the
    /// contractor sends before making it (asked there whatever `when` says).
    #[serde(default)]
    pub on_notice: bool,
}

/// A notice period: this line's date at least `days` before the date of
/// line `before`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    /// The line whose date the notice precedes.
    pub before: String,
    /// The minimum number of days: a number or `profile.thresholds.<name>`.
    pub days: crate::rule::Bound,
}

/// What a question's answer is compared with in the evidence files an
/// offer attaches (see `crate::evidence`): a file that agrees backs the
/// answer as its document would; one that disagrees is a finding
/// `inconsistent` naming the file and the place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceCheck {
    /// A number of energy (its unit Wh, kWh…) against the energy of the
    /// runs a measurement file records, which measure 1,000 runs of the
    /// reference task.
    TaskEnergy,
    /// A number of energy against the training or fine-tuning energy a
    /// bill of materials states.
    TrainingEnergy,
    /// A licence identifier against the licences a model card or bill of
    /// materials gives the model.
    Licence,
    /// A text on training data against the data sets the files list: each
    /// must be named.
    TrainingData,
    /// A text naming the model against the models the files describe, with
    /// their versions.
    Model,
    /// A choice of measurement method (its choices carry `method`) against
    /// how the files say their energy figures were obtained: a measurement
    /// answered while the files hold only estimates disagrees.
    EnergyMethod,
}

/// A question of the grid.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// `^[A-Z]{3}-[0-9]{2}$`, e.g. `BIO-01`.
    pub id: String,
    /// Cross-cutting themes.
    #[serde(default)]
    pub themes: Vec<String>,
    /// Who answers it.
    pub audience: Vec<Audience>,
    /// The question.
    pub text: Text,
    /// What is expected: format, unit, method, evidence.
    #[serde(default)]
    pub help: Text,
    /// The kind of answer (`answer` in the library files).
    #[serde(rename = "answer_type", alias = "answer")]
    pub answer: AnswerType,
    /// The unit numbers are given in.
    #[serde(default)]
    pub unit: Option<String>,
    /// Options of choice questions.
    #[serde(default)]
    pub choices: Vec<Choice>,
    /// Whether an empty answer is a finding.
    #[serde(default)]
    pub required: bool,
    /// Weight in its criterion's score, 0 to 10.
    #[serde(default)]
    pub weight: u32,
    /// A compliant answer, as a vendor would type it.
    #[serde(default)]
    pub example: String,
    /// The example in English, for free-text answers (other examples are
    /// shown in English as they are: choice labels, `Yes`/`No`, numbers).
    #[serde(default)]
    pub example_en: Option<String>,
    /// When the question applies (profile and/or other answers).
    #[serde(default)]
    pub when: Option<Condition>,
    /// A yearly indicator for the follow-up period.
    #[serde(default)]
    pub followup: Option<Followup>,
    /// The clauses it verifies.
    #[serde(default)]
    pub clauses: Vec<String>,
    /// Legal basis.
    #[serde(default)]
    pub legal: Vec<LegalRef>,
    /// A question on the vendor's seat, ownership or jurisdiction.
    #[serde(default)]
    pub jurisdiction: bool,
    /// What the question is for: regularity, award or information
    /// (derived when the file does not say: see [`Question::derived_role`]).
    #[serde(default)]
    pub role: Option<Role>,
    /// How an award element is marked; when absent, a rule that passes
    /// earns full points, and free text is marked by the committee.
    #[serde(default)]
    pub scale: Option<Scale>,
    /// The document that must back the answer, in words (« certificat
    /// ISO/IEC 27001 et son périmètre »); absent when none is required.
    #[serde(default)]
    pub evidence: Option<Text>,
    /// What an evidence file attached to the offer is compared with the
    /// answer on (see [`EvidenceCheck`]); absent when none is.
    #[serde(default)]
    pub evidence_check: Option<EvidenceCheck>,
    /// How the answer is judged.
    pub rule: Option<crate::rule::Rule>,
    /// The criterion of the file it was read from.
    #[serde(skip_deserializing)]
    pub criterion: String,
    /// The file it was read from.
    #[serde(skip)]
    pub file: String,
}

impl Question {
    /// The fixed choices of yes/no questions.
    pub fn yes_no_choices() -> Vec<Choice> {
        let c = |id: &str, fr: &str, en: &str| Choice {
            id: id.into(),
            label: Text {
                fr: fr.into(),
                en: en.into(),
            },
            method: None,
        };
        vec![c("yes", "Oui", "Yes"), c("no", "Non", "No")]
    }

    /// The choices an answer may take: the question's, or yes/no.
    pub fn effective_choices(&self) -> Vec<Choice> {
        if self.answer == AnswerType::YesNo {
            Question::yes_no_choices()
        } else {
            self.choices.clone()
        }
    }

    /// What a rule description needs of the expected answer.
    pub fn spec(&self) -> crate::answer::Spec<'_> {
        crate::answer::Spec {
            kind: self.answer,
            unit: self.unit.as_deref(),
            choices: &self.choices,
        }
    }

    /// The role a question has when its file does not state one: an
    /// eliminatory rule checks regularity; no weight informs; anything else
    /// is an award element.
    pub fn derived_role(&self) -> Role {
        match &self.rule {
            Some(r) if r.severity == crate::rule::Severity::Eliminatory => Role::Regularity,
            _ if self.weight == 0 => Role::Information,
            _ => Role::Award,
        }
    }

    /// Its role, as stated or derived.
    pub fn role(&self) -> Role {
        self.role.unwrap_or_else(|| self.derived_role())
    }

    /// Whether it asks for a document and no more: a regularity question
    /// with `evidence` and no rule, met by an answer and its document (a
    /// missing one is regularised), whose content is judged elsewhere.
    pub fn requires_document(&self) -> bool {
        self.role() == Role::Regularity && self.rule.is_none() && self.evidence.is_some()
    }

    /// Whether `who` answers it.
    pub fn asks(&self, who: Audience) -> bool {
        self.audience.contains(&who)
    }
}

/// The whole library, loaded and linked.
#[derive(Debug, Clone)]
pub struct Library {
    /// `version` of `library.toml`.
    pub version: String,
    /// SHA-256 of the library's content (its export without the hash).
    pub hash: String,
    /// Cross-cutting themes.
    pub themes: Vec<Theme>,
    /// Named lists.
    pub lists: Vec<NamedList>,
    /// The criteria, in compass order.
    pub criteria: Vec<Criterion>,
    /// The clauses, criterion by criterion.
    pub clauses: Vec<Clause>,
    /// The questions, criterion by criterion.
    pub questions: Vec<Question>,
    /// Rules across answers, criterion by criterion.
    pub consistency: Vec<Consistency>,
    /// The lines of the contractor's yearly report no question carries.
    pub yearly: Vec<YearlyItem>,
}

impl Clause {
    /// Whether it belongs to the contract as a whole, not to a criterion.
    pub fn is_contract(&self) -> bool {
        self.criterion.is_empty()
    }
}

/// Whether `s` is a clause id, `BIO-C01`.
fn is_clause_id(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 7
        && b[..3].iter().all(u8::is_ascii_uppercase)
        && &b[3..5] == b"-C"
        && b[5..].iter().all(u8::is_ascii_digit)
}

/// Rewrites each clause a text cites between brackets (« à l'article
/// [CYB-C02] ») with `cite(id)`; a citation `cite` returns `None` for is
/// left as it is.
pub fn cite_clauses(text: &str, mut cite: impl FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let (before, after) = rest.split_at(open);
        out.push_str(before);
        let id = after.get(1..8).filter(|id| is_clause_id(id));
        match id.filter(|_| after.get(8..9) == Some("]")) {
            Some(id) => {
                out.push_str(&cite(id).unwrap_or_else(|| format!("[{id}]")));
                rest = &after[9..];
            }
            None => {
                out.push('[');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The clauses a text cites between brackets, in order.
pub fn cited_clauses(text: &str) -> Vec<String> {
    let mut ids = Vec::new();
    cite_clauses(text, |id| {
        ids.push(id.to_string());
        None
    });
    ids
}

impl Library {
    /// The question with this id.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// The clause with this id.
    pub fn clause(&self, id: &str) -> Option<&Clause> {
        self.clauses.iter().find(|c| c.id == id)
    }

    /// The criterion with this id.
    pub fn criterion(&self, id: &str) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.id == id)
    }

    /// The named list with this id.
    pub fn list(&self, id: &str) -> Option<&NamedList> {
        self.lists.iter().find(|l| l.id == id)
    }
}
