//! Resolution: library + profile → the selection every command uses.
//!
//! [`resolve`] is pure and deterministic. It keeps the clauses and questions
//! that apply to the tender, fills the clauses' placeholders, applies the
//! profile's justified overrides, drops rules not in force during the
//! contract, and derives the [`ScoringPlan`]. Questions that depend on
//! another answer stay in, marked with their condition, and are decided when
//! the answers are read.

use serde::{Deserialize, Serialize};

use crate::condition::{Condition, Facts, Truth};
use crate::library::{
    self, AnswerType, Audience, Choice, Followup, LegalRef, LegalStatus, Library, NamedList, Part,
    Role,
};
use crate::profile::Profile;
use crate::rule::{self, Rule};
use crate::scoring::{Counted, CriterionPlan, Scale, ScoringPlan};
use crate::text::{self, Lang, Text};

/// Everything one tender uses from the library, resolved.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Selection {
    /// Library version.
    pub library_version: String,
    /// Library content hash.
    pub library_hash: String,
    /// Profile content hash.
    pub profile_hash: String,
    /// The criteria with their sub-weights.
    pub criteria: Vec<SelectedCriterion>,
    /// The clauses that apply, placeholders filled.
    pub clauses: Vec<SelectedClause>,
    /// The questions that apply (or may apply, after another answer).
    pub questions: Vec<SelectedQuestion>,
    /// How vendors' answers are scored (questions vendors answer only).
    pub plan: ScoringPlan,
    /// The named lists rules refer to.
    pub lists: Vec<NamedList>,
    /// The rules across answers whose questions are all selected.
    #[serde(default)]
    pub consistency: Vec<library::Consistency>,
    /// Where the annex goes among the consultation documents (the profile's `[dce]`).
    #[serde(default)]
    pub dce: crate::profile::Dce,
    /// The lines of the contractor's yearly report no question carries,
    /// those of the clauses that apply (absent from locks issued before).
    #[serde(default)]
    pub yearly: Vec<library::YearlyItem>,
}

/// A criterion and its place in the award.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SelectedCriterion {
    /// Criterion id.
    pub id: String,
    /// Position, 1 to 7.
    pub order: u8,
    /// Title.
    pub title: Text,
    /// Summary.
    pub summary: Text,
    /// Sub-weight, out of 100.
    pub weight: f64,
    /// Announced minimum score.
    pub minimum: Option<f64>,
}

/// A clause as it will be printed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SelectedClause {
    /// Clause id.
    pub id: String,
    /// Criterion id.
    pub criterion: String,
    /// Document part.
    pub part: Part,
    /// Title, filled.
    pub title: Text,
    /// Text, filled.
    pub text: Text,
    /// Verified legal references (the only ones printed).
    pub legal: Vec<LegalRef>,
    /// The selected questions that verify it.
    pub questions: Vec<String>,
}

/// A question as it will be asked and judged.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SelectedQuestion {
    /// Question id.
    pub id: String,
    /// Criterion id.
    pub criterion: String,
    /// Themes.
    pub themes: Vec<String>,
    /// Who answers it.
    pub audience: Vec<Audience>,
    /// The question.
    pub text: Text,
    /// What is expected.
    pub help: Text,
    /// Kind of answer.
    pub answer_type: AnswerType,
    /// Unit of numbers.
    pub unit: Option<String>,
    /// Choices (yes/no included).
    pub choices: Vec<Choice>,
    /// Whether an answer is required.
    pub required: bool,
    /// Weight after overrides.
    pub weight: u32,
    /// A compliant answer.
    pub example: String,
    /// The example in English, when the library gives one (free text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example_en: Option<String>,
    /// The condition on other answers still to decide, if any.
    pub condition: Option<Condition>,
    /// Yearly indicator.
    pub followup: Option<Followup>,
    /// Selected clauses it verifies.
    pub clauses: Vec<String>,
    /// Verified legal references.
    pub legal: Vec<LegalRef>,
    /// The rule in force (severity after overrides), if any.
    pub rule: Option<Rule>,
    /// The rule in words.
    pub rule_text: Option<Text>,
    /// Why the profile changed its severity or weight.
    pub justification: Option<String>,
    /// What the question is for.
    pub role: Role,
    /// How it is marked, when it is an award element (bounds resolved).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<Scale>,
    /// The committee's descriptors, marks 0 to 4, for free-text elements.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub descriptors: Vec<Text>,
    /// The document that must back the answer, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Text>,
    /// What evidence files attached to the offer are compared with the answer on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence_check: Option<crate::library::EvidenceCheck>,
}

impl SelectedQuestion {
    /// What a rule description needs of the expected answer.
    pub fn spec(&self) -> crate::answer::Spec<'_> {
        crate::answer::Spec {
            kind: self.answer_type,
            unit: self.unit.as_deref(),
            choices: &self.choices,
        }
    }

    /// Whether it counts in its criterion's score: an award element with
    /// a weight, marked on a scale or by its rule.
    pub fn counts(&self) -> bool {
        self.role == Role::Award && self.weight > 0 && self.scale.is_some()
    }

    /// Whether it checks the offer's regularity: by a rule, or as a required
    /// document (its answer and document must be there).
    pub fn checks_regularity(&self) -> bool {
        self.role == Role::Regularity && (self.rule.is_some() || self.evidence.is_some())
    }
}

impl Selection {
    /// The scoring plan over the questions `who` answers. [`Selection::plan`]
    /// is the vendors'; the project group's internal grid uses its own.
    pub fn plan_for(&self, who: Audience) -> ScoringPlan {
        plan(
            self.plan.compass_share,
            &self.criteria,
            &self.questions,
            who,
        )
    }

    /// A condition (such as [`SelectedQuestion::condition`]) in words, in
    /// `lang`: « si la réponse à BIO-11 est « Oui » ». Answers are named by
    /// their question id and the label of the choice, as this selection
    /// prints them; see [`Condition::describe`].
    pub fn condition_in_words(&self, condition: &Condition, lang: Lang) -> String {
        condition.describe(lang, &|question, choice| {
            self.questions
                .iter()
                .find(|q| q.id == question)?
                .choices
                .iter()
                .find(|c| c.id == choice)
                .map(|c| c.label.get(lang).to_string())
        })
    }

    /// The questions `who` answers.
    pub fn questions_for(&self, who: Audience) -> impl Iterator<Item = &SelectedQuestion> {
        self.questions
            .iter()
            .filter(move |q| q.audience.contains(&who))
    }
}

fn verified(refs: &[LegalRef]) -> Vec<LegalRef> {
    refs.iter()
        .filter(|r| r.status == LegalStatus::Verified)
        .cloned()
        .collect()
}

/// A profile value as a clause prints it; a list id prints as the list's title.
fn printed(v: &serde_json::Value, lists: &[NamedList], lang: Lang) -> String {
    use serde_json::Value as J;
    match v {
        J::String(s) if lists.iter().any(|l| &l.id == s) => lists
            .iter()
            .find(|l| &l.id == s)
            .map(|l| l.title.get(lang).to_string())
            .unwrap_or_default(),
        J::Number(n) => text::number(n.as_f64().unwrap_or(f64::NAN), lang),
        J::String(s) => s
            .parse::<crate::date::Date>()
            .map_or_else(|_| s.clone(), |d| d.in_words(lang)),
        J::Bool(b) => match (b, lang) {
            (true, Lang::Fr) => "oui".into(),
            (false, Lang::Fr) => "non".into(),
            (true, Lang::En) => "yes".into(),
            (false, Lang::En) => "no".into(),
        },
        _ => String::new(),
    }
}

fn fill(t: &Text, facts: &serde_json::Value, lists: &[NamedList]) -> Text {
    t.map(|s, lang| {
        text::fill(s, |path| {
            path.split('.')
                .try_fold(facts, |v, k| v.get(k))
                .map(|v| printed(v, lists, lang))
        })
    })
}

/// Resolves `library` against `profile` (both already checked).
pub fn resolve(library: &Library, profile: &Profile) -> Selection {
    let facts = profile.facts();
    let known = Facts {
        profile: &facts,
        answers: None,
    };
    let ctx = rule::Context {
        profile: &facts,
        lists: &library.lists,
    };
    let (start, end) = (profile.dates.contract_start, profile.dates.contract_end());

    let clauses: Vec<_> = library
        .clauses
        .iter()
        .filter(|c| {
            c.when
                .as_ref()
                .is_none_or(|w| w.eval(&known) != Truth::False)
        })
        .collect();
    let mut questions = Vec::new();
    for q in &library.questions {
        let truth = q.when.as_ref().map_or(Truth::True, |w| w.eval(&known));
        if truth == Truth::False {
            continue;
        }
        let o = profile.override_of(&q.id);
        let rule = q
            .rule
            .clone()
            .filter(|r| r.in_force(start, end))
            .map(|mut r| {
                if let Some(sev) = o.and_then(|o| o.severity) {
                    r.severity = sev;
                }
                r
            });
        // An override that makes the rule eliminatory makes the question a
        // condition of regularity; one that lowers a regularity rule makes
        // it an award element.
        let role = match (o.and_then(|o| o.severity), q.role()) {
            (Some(rule::Severity::Eliminatory), _) => Role::Regularity,
            (Some(_), Role::Regularity) => Role::Award,
            (_, role) => role,
        };
        questions.push(SelectedQuestion {
            id: q.id.clone(),
            criterion: q.criterion.clone(),
            themes: q.themes.clone(),
            audience: q.audience.clone(),
            text: q.text.clone(),
            help: q.help.clone(),
            answer_type: q.answer,
            unit: q.unit.clone(),
            choices: q.effective_choices(),
            required: q.required,
            weight: o.and_then(|o| o.weight).unwrap_or(q.weight),
            example: q.example.clone(),
            example_en: q.example_en.clone(),
            condition: (truth == Truth::Unknown).then(|| q.when.clone()).flatten(),
            followup: q.followup.clone(),
            clauses: q
                .clauses
                .iter()
                .filter(|c| clauses.iter().any(|x| &x.id == *c))
                .cloned()
                .collect(),
            legal: verified(&q.legal),
            rule_text: match (&rule, &q.evidence) {
                (Some(r), _) => Some(Text {
                    fr: r.describe(q.spec(), &ctx, Lang::Fr),
                    en: r.describe(q.spec(), &ctx, Lang::En),
                }),
                (None, Some(e)) if role == Role::Regularity => Some(Text {
                    fr: format!("Réponse et pièce exigées : {}", e.fr),
                    en: format!("Answer and document required: {}", e.en),
                }),
                (None, _) => None,
            },
            scale: scale(
                q,
                o.and_then(|o| o.scale.as_ref()),
                role,
                rule.as_ref(),
                &ctx,
            ),
            descriptors: match o.and_then(|o| o.scale.as_ref()).or(q.scale.as_ref()) {
                Some(library::Scale::Committee { descriptors }) if !descriptors.is_empty() => {
                    descriptors.clone()
                }
                _ => Vec::new(),
            },
            rule,
            justification: o.map(|o| o.justification.clone()),
            role,
            evidence: q.evidence.clone(),
            evidence_check: q.evidence_check,
        });
    }
    let clauses: Vec<SelectedClause> = clauses
        .into_iter()
        .map(|c| SelectedClause {
            id: c.id.clone(),
            criterion: c.criterion.clone(),
            part: c.part,
            title: fill(&c.title, &facts, &library.lists),
            text: fill(&c.text, &facts, &library.lists),
            legal: verified(&c.legal),
            questions: questions
                .iter()
                .filter(|q| q.clauses.contains(&c.id))
                .map(|q| q.id.clone())
                .collect(),
        })
        .collect();
    let criteria: Vec<SelectedCriterion> = library
        .criteria
        .iter()
        .map(|c| SelectedCriterion {
            id: c.id.clone(),
            order: c.order,
            title: c.title.clone(),
            summary: c.summary.clone(),
            weight: profile.award.weights.get(&c.id).copied().unwrap_or(0.0),
            minimum: profile.award.minimum.get(&c.id).copied(),
        })
        .collect();
    let plan = plan(
        profile.award.compass_share,
        &criteria,
        &questions,
        Audience::Vendor,
    );
    let consistency = library
        .consistency
        .iter()
        .filter(|k| {
            k.questions()
                .iter()
                .all(|id| questions.iter().any(|q| q.id == *id))
        })
        .cloned()
        .collect();
    let yearly = library
        .yearly
        .iter()
        .filter(|y| clauses.iter().any(|c| c.id == y.clause))
        .cloned()
        .collect();
    Selection {
        library_version: library.version.clone(),
        library_hash: library.hash.clone(),
        profile_hash: profile.hash(),
        criteria,
        clauses,
        questions,
        consistency,
        plan,
        lists: library.lists.clone(),
        dce: profile.dce.clone(),
        yearly,
    }
}

/// How an award element is marked, bounds resolved against the profile:
/// the scale the profile chooses, else the library's; free text and addresses by the committee (unless
/// their rule checks them against a list); anything else by its rule (full points when the answer meets it). Not an award
/// element, or a scale whose bound the profile lacks: none.
fn scale(
    q: &library::Question,
    chosen: Option<&library::Scale>,
    role: Role,
    rule: Option<&Rule>,
    ctx: &rule::Context,
) -> Option<Scale> {
    if role != Role::Award {
        return None;
    }
    let number = |b: &rule::Bound| match ctx.bound(b) {
        Ok(crate::answer::Value::Number(n)) if n.is_finite() => Some(n),
        _ => None,
    };
    match chosen.or(q.scale.as_ref()) {
        Some(library::Scale::Linear { zero, full }) => Some(Scale::Linear {
            zero: number(zero)?,
            full: number(full)?,
        }),
        Some(library::Scale::Relative { better }) => Some(Scale::Relative { better: *better }),
        Some(library::Scale::Points { points }) => Some(Scale::Points {
            points: points.clone(),
        }),
        Some(library::Scale::Committee { .. }) => Some(Scale::Committee),
        None if matches!(q.answer, AnswerType::Text | AnswerType::Url)
            && rule.is_none_or(|r| r.kind != rule::RuleKind::InList) =>
        {
            Some(Scale::Committee)
        }
        None => rule.map(|_| Scale::Rule),
    }
}

/// The scoring plan over the questions `who` answers. Vendors' offers are
/// scored on their award elements only; the project group's grid scores
/// every question with a rule and a weight by its rule, as the compass's
/// own evaluation does.
fn plan(
    compass_share: f64,
    criteria: &[SelectedCriterion],
    questions: &[SelectedQuestion],
    who: Audience,
) -> ScoringPlan {
    let questions: Vec<&SelectedQuestion> = questions
        .iter()
        .filter(|q| q.audience.contains(&who))
        .collect();
    let counted = |q: &SelectedQuestion| match who {
        Audience::Vendor => q.counts().then(|| q.scale.clone()).flatten(),
        Audience::Internal => (q.rule.is_some() && q.weight > 0).then_some(Scale::Rule),
    };
    ScoringPlan {
        compass_share,
        regularity: questions
            .iter()
            .filter(|q| q.checks_regularity())
            .map(|q| q.id.clone())
            .collect(),
        criteria: criteria
            .iter()
            .map(|c| CriterionPlan {
                criterion: c.id.clone(),
                weight: c.weight,
                minimum: c.minimum,
                questions: questions
                    .iter()
                    .filter(|q| q.criterion == c.id)
                    .filter_map(|q| {
                        Some(Counted {
                            question: q.id.clone(),
                            weight: q.weight,
                            severity: q.rule.as_ref().map_or(rule::Severity::Info, |r| r.severity),
                            conditional: q.condition.is_some(),
                            scale: counted(q)?,
                        })
                    })
                    .collect(),
            })
            .collect(),
    }
}
