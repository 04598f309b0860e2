//! After award: the algorithm's public record, from the sealed award, the
//! project group's completed grid and the tender profile.
//!
//! Two texts are owed once an administration uses the system bought:
//!
//! - **The sheet given to a person, on request.** Where an individual
//!   decision is taken on the basis of an algorithmic processing, the
//!   person concerned may obtain the rules defining the processing and the
//!   main characteristics of its implementation (CRPA art. L. 311-3-1), in
//!   intelligible form: 1° the degree and mode of the processing's
//!   contribution to the decision; 2° the data processed and their
//!   sources; 3° its parameters and, where relevant, their weighting,
//!   applied to the person's situation; 4° the operations it carries out
//!   (art. R. 311-3-1-2). The sheet applies only where an individual
//!   decision is taken on the basis of the algorithm: the document says
//!   what the tender profile declares (`system.individual_decisions`), never
//!   a legal verdict.
//! - **The entry of the public inventory.** Administrations publish online
//!   the rules of the main algorithmic processings that found individual
//!   decisions (art. L. 312-1-3), except those with fewer than 50 agents or
//!   employees in full-time equivalent (threshold set by décret
//!   n° 2016-1922 of 28 December 2016, art. 1, 2°; its article number in
//!   the code, D. 312-1-4, is not printed until legal staff confirm it).
//!
//! [`build`] fills each field of both from what the inputs really hold;
//! [`document`] writes the sheet and the inventory entry for people (DOCX or
//! Markdown, through [`crate::office`]), [`register`] the entry as JSON.
//!
//! ## Where each field comes from
//!
//! [`FIELDS`] is the one table: for each field, the sources read in order
//! (all that hold something are kept), and who completes it otherwise. A
//! source is the winner's commitment on a question, else the project
//! group's answer to it in the grid (*answer*); the grid alone (*grid*); an
//! item of the grid's instruction record (*record*); the tender profile; the
//! contractor named by the award; the compass's yearly follow-up, whose
//! first review is due a year after go-live. A field nothing holds is
//! **asked for, never invented**: the documents print « À compléter par
//! *who* : *what is needed* », the JSON export leaves it empty and names it
//! in `missing`.
//!
//! | Field | Part of the sheet | Sources |
//! |---|---|---|
//! | `name` | presentation | profile: tender title |
//! | `organization` | presentation | profile: buyer |
//! | `department` | presentation | profile: buyer's department |
//! | `description_short` | presentation | record: use case |
//! | `goal` | presentation | grid: PUB-01 (users' need, benefit) |
//! | `decision_making_process` | presentation | — (user service) |
//! | `lawful_basis` | presentation | — (legal staff) |
//! | `contribution` | 1° | grid: AGT-03 (tasks, checking the results) |
//! | `human_intervention` | 1° | answer: PUB-05, AGT-07, LEG-10 |
//! | `source_data` | 2° | — (user service) |
//! | `connected_data_sources` | 2° | — (data protection officer) |
//! | `special_data` | 2° | answer: BIO-08, BIO-07 |
//! | `reuse` | 2° | answer: LEG-08 |
//! | `training_data` | 2° | answer: TRA-03; BIO-10 |
//! | `data_bias` | 2° | answer: BIO-11, BIO-13 |
//! | `DPIA_description` | 2° | record: DPIA |
//! | `parameters` | 3° | — (the agent handling the request: always per person) |
//! | `explanation` | 3° | answer: TRA-05 (the four items, result by result) |
//! | `description` | 4° | profile: the system bought |
//! | `methods_and_models` | 4° | answer: LEG-05, SOB-04 |
//! | `product_information` | 4° | answer: TRA-02 (model card) |
//! | `contractor` | 4° | the award's contractor |
//! | `hosting` | 4° | answer: SOV-04 |
//! | `retention` | 4° | answer: LEG-15, CYB-07 |
//! | `performance` | 4° | answer: PUB-04 |
//! | `contact_email` | rights | — (publishing service) |
//! | `mention` | rights | grid: TRA-06 (the mention on decisions) |
//! | `objection_procedure` | rights | answer: PUB-06, else legal staff |
//! | `impact` | inventory | answer: PUB-05, PUB-07 |
//! | `risk_category` | inventory | profile: AI Act risk class |
//! | `algorithm_type` | inventory | profile: kind of system (generative, vision, speech: self-learning) |
//! | `type` | inventory | — (user service) |
//! | `risks` | inventory | — (user service) |
//! | `AIA_description` | inventory | record: FRIA |
//! | `proportionality` | inventory | — (user service) |
//! | `alternatives_considered` | inventory | grid: ALT-01, ALT-02 |
//! | `monitoring` | inventory | answer: PUB-03; follow-up plan |
//! | `rollback` | inventory | answer: ALT-05, ALT-06 |
//! | `area`, `domain`, `status` | inventory | — (publishing service) |
//! | `publication_date`, `last_change_date` | inventory | — (publishing service) |
//! | `revision_date`, `revision_note` | inventory | follow-up plan: first yearly review |
//!
//! An answer given in words is kept as typed; a choice, a number or a yes
//! or no is printed after its question, so that it reads on its own.
//!
//! ## The export: Algorithmic Transparency Standard 0.3.1
//!
//! [`register`] follows the *Algorithmic Transparency Standard* of
//! Eurocities and the Algorithm Register consortium, version 0.3.1, whose
//! JSON Schema is vendored in `schema/register/` (source, version and terms
//! in its README). Each field of the table above whose name is an attribute
//! of the standard is exported under that name: text fields as text (empty
//! when missing), the fields the schema types (a choice from its list, a
//! URL, a date) only when held, since an empty value would break the
//! schema; `standard_version` is `0.3.1` and `lang` the document's language.
//! The standard has no way to say a field is still to be completed: the
//! export adds `missing`, the attributes left empty, which the schema
//! allows. The sheet's own fields (1° to 4° without an attribute of the
//! standard) are not exported. The standard's optional links (`website`,
//! `documentation`, `codebase_url`, `product_page`, `DPIA_url`, `AIA_url`),
//! `contact_name`, `contact_phone`, `remark`, `uuid` and `keywords` are held
//! by no input and left out.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::award::Award;
use crate::check::Basis;
use crate::finding::Status;
use crate::library::AnswerType;
use crate::office::document::{Block, Document, Span};
use crate::office::typography;
use crate::profile::{RiskClass, SystemKind};
use crate::response::Response;
use crate::selection::SelectedQuestion;
use crate::text::Lang;

mod fields;
mod register;
mod sheet;

use Part::{About, Contribution, Data, Inventory, Operations, Parameters, Rights};
use Shape::{Choice, Date, Email, Text, Url};
use Source::{Answer, Contractor, FirstReview, Followup, Grid, Profile, Record};
pub use fields::*;
pub use register::{STANDARD_VERSION, register};
pub use sheet::document;

/// One field as filled.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// The field's key (see [`FIELDS`]).
    pub key: String,
    /// Where it is printed.
    pub part: Part,
    /// Its label.
    pub label: String,
    /// What the inputs hold, one piece per source that holds something.
    pub pieces: Vec<String>,
    /// The value the export gives a field of a typed shape, when held.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub typed: Option<String>,
    /// Who completes it when nothing holds it.
    pub who: Who,
    /// What is needed then.
    pub needed: String,
}

impl Entry {
    /// Whether nothing holds it.
    pub fn missing(&self) -> bool {
        self.pieces.is_empty()
    }
}

/// The sheet and the inventory entry, as filled.
#[derive(Debug, Clone, Serialize)]
pub struct Filled {
    /// The tender's title.
    pub title: String,
    /// The buyer.
    pub buyer: String,
    /// Whether the profile declares that the system founds or prepares
    /// individual decisions.
    pub individual_decisions: bool,
    /// The language of the texts.
    pub lang: Lang,
    /// Each field of [`FIELDS`], in order.
    pub entries: Vec<Entry>,
}

impl Filled {
    /// The entry of `key`.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    /// The fields nothing holds.
    pub fn missing(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.missing())
    }
}

/// An answer found for a question: its value and the words typed.
struct Found<'a> {
    value: &'a Value,
    raw: &'a str,
}

/// Fills every field of [`FIELDS`] from the award, the completed grid when
/// given (checked against `basis`, as `grid review` does) and the profile.
pub fn build(award: &Award, grid: Option<&Response>, basis: &Basis) -> Filled {
    let lang = basis.lang;
    let checked =
        grid.map(|g| crate::check::check(g, &crate::evidence::Attached::default(), basis));
    let committed = |id: &str| {
        award
            .commitments
            .iter()
            .find(|c| c.question == id)
            .map(|c| Found {
                value: &c.value,
                raw: &c.answer,
            })
    };
    let grid_answer = |id: &str| {
        checked.as_ref().and_then(|c| {
            c.questions
                .iter()
                .filter(|r| matches!(r.status, Status::Pass | Status::Fail | Status::Info))
                .find(|r| r.id == id)
                .and_then(|r| r.value.as_ref().map(|value| Found { value, raw: &r.raw }))
        })
    };
    let question = |id: &str| basis.selection.questions.iter().find(|q| q.id == id);
    let plan = crate::grid::followup::plan(basis);
    let p = &basis.profile;
    let entries = FIELDS
        .iter()
        .map(|f| {
            let mut pieces = Vec::new();
            let mut typed = None;
            for source in f.sources {
                let (piece, value) = match *source {
                    Answer(id) | Grid(id) => {
                        let found = match source {
                            Answer(_) => committed(id).or_else(|| grid_answer(id)),
                            _ => grid_answer(id),
                        };
                        let Some(found) = found else { continue };
                        let piece = said(question(id), &found, lang);
                        let bare = found.value.as_str().map(str::to_string);
                        (piece, bare)
                    }
                    Record(item) => {
                        let answer = grid
                            .and_then(|g| g.extra(&crate::grid::record_id(item)))
                            .map(|r| r.answer.display())
                            .unwrap_or_default();
                        (Some(answer), None)
                    }
                    Profile(held) => profiled(held, basis, lang),
                    Contractor => (Some(award.vendor.clone()), None),
                    FirstReview => match plan.reviews.first() {
                        Some(r) => (Some(r.date.in_words(lang)), Some(r.date.to_string())),
                        None => (None, None),
                    },
                    Followup => (
                        Some(match lang {
                            Lang::Fr => format!(
                                "Les effets du système sont revus chaque année pendant {} par le groupe projet, la première fois le {}.",
                                crate::text::counted(plan.reviews.len(), lang, ("an", "ans"), ("year", "years")),
                                plan.reviews.first().map_or(plan.start, |r| r.date).in_words(lang)
                            ),
                            Lang::En => format!(
                                "The system's effects are reviewed every year for {} by the project group, first on {}.",
                                crate::text::counted(plan.reviews.len(), lang, ("an", "ans"), ("year", "years")),
                                plan.reviews.first().map_or(plan.start, |r| r.date).in_words(lang)
                            ),
                        }),
                        None,
                    ),
                };
                let Some(piece) = piece.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
                else {
                    continue;
                };
                let fits = match f.shape {
                    Text => true,
                    Url => value
                        .as_deref()
                        .is_some_and(|v| v.starts_with("https://") || v.starts_with("http://")),
                    Choice | Date | Email => value.is_some(),
                };
                if !fits {
                    continue;
                }
                if f.shape != Text && typed.is_none() {
                    typed = value;
                }
                pieces.push(piece);
            }
            let (label, needed) = match lang {
                Lang::Fr => (f.label.0, f.needed.0),
                Lang::En => (f.label.1, f.needed.1),
            };
            Entry {
                key: f.key.into(),
                part: f.part,
                label: label.into(),
                pieces,
                typed,
                who: f.who,
                needed: needed.into(),
            }
        })
        .collect();
    Filled {
        title: p.tender.title.clone(),
        buyer: p.buyer.name.clone(),
        individual_decisions: p.system.individual_decisions,
        lang,
        entries,
    }
}

/// A value of the profile: the words for people, and the standard's value
/// for a typed field.
fn profiled(held: Held, basis: &Basis, lang: Lang) -> (Option<String>, Option<String>) {
    let p = &basis.profile;
    let pick = |fr: &str, en: &str| {
        Some(match lang {
            Lang::Fr => fr.to_string(),
            Lang::En => en.to_string(),
        })
    };
    match held {
        Held::Title => (Some(p.tender.title.clone()), None),
        Held::Buyer => (Some(p.buyer.name.clone()), None),
        Held::Department => (p.buyer.department.clone(), None),
        Held::Description => (Some(p.system.description.clone()), None),
        Held::RiskClass => {
            let (fr, en, value) = match p.system.ai_act_risk {
                RiskClass::Minimal => ("Risque minimal", "Minimal risk", "minimal risk"),
                RiskClass::Limited => (
                    "Risque limité (obligations de transparence)",
                    "Limited risk (transparency obligations)",
                    "limited risk",
                ),
                RiskClass::High => ("Haut risque", "High risk", "high risk"),
            };
            (pick(fr, en), Some(value.into()))
        }
        Held::Kind => match p.system.kind {
            SystemKind::Generative | SystemKind::Vision | SystemKind::Speech => (
                pick(
                    "Apprentissage automatique : un modèle entraîné sur des données",
                    "Self-learning: a model trained on data",
                ),
                Some("self-learning".into()),
            ),
            _ => (None, None),
        },
    }
}

/// An answer as a person reads it: words typed as they are; a choice, a
/// number or a yes or no after its question.
fn said(q: Option<&SelectedQuestion>, found: &Found<'_>, lang: Lang) -> Option<String> {
    let Some(q) = q else {
        return Some(found.raw.to_string());
    };
    let label = |id: &str| {
        q.choices
            .iter()
            .find(|c| c.id == id)
            .map_or(id.to_string(), |c| c.label.get(lang).to_string())
    };
    let shown = match (q.answer_type, found.value) {
        (AnswerType::Text | AnswerType::Url, Value::String(s)) => return Some(s.clone()),
        (AnswerType::YesNo | AnswerType::Choice, Value::String(s)) => label(s),
        // countries as typed (« France »), not as their codes
        (AnswerType::Country, _) if !found.raw.trim().is_empty() => found.raw.trim().to_string(),
        (AnswerType::MultiChoice | AnswerType::Country, Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(label)
            .collect::<Vec<_>>()
            .join(", "),
        (AnswerType::Number, Value::Number(n)) => {
            crate::text::quantity(n.as_f64()?, q.unit.as_deref(), lang)
        }
        (AnswerType::Percent, Value::Number(n)) => {
            let x = n.as_f64()?;
            match q.unit.as_deref() {
                Some(u) => crate::text::quantity(x, Some(u), lang),
                None => format!("{}\u{a0}%", crate::text::number(x, lang)),
            }
        }
        (AnswerType::Date, Value::String(s)) => s
            .parse::<crate::date::Date>()
            .map_or(s.clone(), |d| d.in_words(lang)),
        _ => found.raw.trim().to_string(),
    };
    Some(format!("{} {shown}.", q.text.get(lang).trim_end()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> Value {
        serde_json::from_str(include_str!(
            "../schema/register/registration-v0.3.1.schema.json"
        ))
        .unwrap()
    }

    #[test]
    fn every_exported_field_is_an_attribute_of_the_standard_with_its_shape() {
        let schema = schema();
        let props = schema["properties"].as_object().unwrap();
        assert_eq!(
            props["standard_version"]["const"], STANDARD_VERSION,
            "the version exported is the schema's"
        );
        for f in FIELDS.iter().filter(|f| f.register) {
            let p = props
                .get(f.key)
                .unwrap_or_else(|| panic!("{} is no attribute of the standard", f.key));
            let shape = if p.get("enum").is_some() {
                Choice
            } else {
                match p["format"].as_str() {
                    Some("uri") => Url,
                    Some("date") => Date,
                    Some("email") => Email,
                    _ => Text,
                }
            };
            assert_eq!(shape, f.shape, "{}", f.key);
        }
        for f in FIELDS.iter().filter(|f| !f.register) {
            assert!(!props.contains_key(f.key), "{} is an attribute", f.key);
        }
    }

    #[test]
    fn the_standards_required_attributes_are_all_in_the_table() {
        let schema = schema();
        let required: Vec<&String> = schema["properties"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, p)| p["required"] == true)
            .map(|(k, _)| k)
            .collect();
        for key in required {
            assert!(
                ["standard_version", "lang"].contains(&key.as_str())
                    || FIELDS.iter().any(|f| f.register && f.key == key),
                "{key} is required by the standard and not in FIELDS"
            );
        }
    }

    #[test]
    fn keys_are_unique_and_the_module_documents_each() {
        let doc = include_str!("record.rs");
        for (i, f) in FIELDS.iter().enumerate() {
            assert!(
                !FIELDS[..i].iter().any(|g| g.key == f.key),
                "{} twice",
                f.key
            );
            assert!(
                doc.contains(&format!("`{}`", f.key)),
                "{} undocumented",
                f.key
            );
        }
    }

    fn basis() -> Basis {
        let lib = crate::library::load(None).unwrap();
        let checked = crate::profile::load(None, &lib).unwrap();
        Basis {
            selection: crate::selection::resolve(&lib, &checked.profile),
            profile: checked.profile,
            lang: Lang::Fr,
            audience: crate::library::Audience::Internal,
            lock: crate::check::LockDigest::NoLock,
        }
    }

    #[test]
    fn values_the_profile_gives_take_the_standards_words() {
        let schema = schema();
        let allowed = |key: &str, v: &str| {
            schema["properties"][key]["enum"]
                .as_array()
                .unwrap()
                .contains(&Value::String(v.into()))
        };
        let mut b = basis();
        for risk in [RiskClass::Minimal, RiskClass::Limited, RiskClass::High] {
            b.profile.system.ai_act_risk = risk;
            let (words, value) = profiled(Held::RiskClass, &b, Lang::Fr);
            assert!(words.is_some());
            assert!(allowed("risk_category", &value.unwrap()), "{risk:?}");
        }
        for kind in [
            SystemKind::Generative,
            SystemKind::Predictive,
            SystemKind::Classification,
            SystemKind::Vision,
            SystemKind::Speech,
            SystemKind::Optimisation,
            SystemKind::Other,
        ] {
            b.profile.system.kind = kind;
            match profiled(Held::Kind, &b, Lang::En) {
                (Some(_), Some(v)) => assert!(allowed("algorithm_type", &v), "{kind:?}"),
                // a kind that does not say how the algorithm is built is asked for
                (None, None) => assert!(!matches!(kind, SystemKind::Generative)),
                other => panic!("{kind:?}: {other:?}"),
            }
        }
    }
}
