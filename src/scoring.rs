//! The scoring plan, and the one function that scores answers with it.
//!
//! The plan is resolved once per tender (see [`crate::selection`]); the annex
//! prints it and the checker applies it, so what is enforced is exactly what
//! was announced. A question counts when it applies, has a rule in force and
//! a weight above 0:
//!
//! - criterion score = 100 × Σ weight of passed questions / Σ weight of
//!   counted questions (missing or invalid answers count as not passed; a
//!   criterion with no counted question scores 100);
//! - compass score = Σ sub-weight × criterion score / 100;
//! - a failed eliminatory rule, or a criterion below its announced minimum,
//!   eliminates the offer.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::rule::Severity;
use crate::text::{self, Lang};

/// How the compass's share of the mark is computed for one tender.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoringPlan {
    /// Points of the total mark (out of 100) carried by the compass.
    pub compass_share: f64,
    /// The questions whose failure eliminates the offer.
    pub eliminatory: Vec<String>,
    /// Each criterion, in compass order.
    pub criteria: Vec<CriterionPlan>,
}

/// One criterion of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionPlan {
    /// Criterion id.
    pub criterion: String,
    /// Sub-weight, out of 100.
    pub weight: f64,
    /// Announced minimum score, out of 100.
    pub minimum: Option<f64>,
    /// The questions that count, with their weights.
    pub questions: Vec<Counted>,
}

/// A question that counts in its criterion's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Counted {
    /// Question id.
    pub question: String,
    /// Its weight.
    pub weight: u32,
    /// The severity of its rule.
    pub severity: Severity,
    /// Whether it applies only after another answer.
    pub conditional: bool,
}

/// What became of one question for one respondent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The answer passes the rule.
    Passed,
    /// The answer fails the rule.
    Failed,
    /// No answer.
    Missing,
    /// An answer that could not be read.
    Invalid,
    /// Ruled out by another answer.
    NotApplicable,
}

/// The scores of one respondent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    /// Per criterion, in compass order.
    pub criteria: Vec<CriterionScore>,
    /// Compass score, out of 100.
    pub compass: f64,
    /// Points of the total mark: compass score × compass share / 100.
    pub points: f64,
    /// Eliminatory questions whose rule failed.
    pub eliminatory_failed: Vec<String>,
    /// Eliminatory questions left missing or invalid (regularisable).
    pub eliminatory_unanswered: Vec<String>,
    /// Criteria below their announced minimum.
    pub below_minimum: Vec<String>,
}

impl Scores {
    /// Whether the offer is eliminated.
    pub fn eliminated(&self) -> bool {
        !self.eliminatory_failed.is_empty() || !self.below_minimum.is_empty()
    }
}

/// One criterion's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionScore {
    /// Criterion id.
    pub criterion: String,
    /// Score out of 100.
    pub score: f64,
    /// Σ weight of passed questions.
    pub passed_weight: u32,
    /// Σ weight of counted questions.
    pub counted_weight: u32,
}

/// Scores `outcomes` (by question id; an absent question is missing).
pub fn score(plan: &ScoringPlan, outcomes: &BTreeMap<String, Outcome>) -> Scores {
    let outcome = |id: &str| outcomes.get(id).copied().unwrap_or(Outcome::Missing);
    let mut criteria = Vec::new();
    let mut below_minimum = Vec::new();
    let mut compass = 0.0;
    for c in &plan.criteria {
        let counted = c
            .questions
            .iter()
            .filter(|q| outcome(&q.question) != Outcome::NotApplicable);
        let (mut passed_weight, mut counted_weight) = (0, 0);
        for q in counted {
            counted_weight += q.weight;
            if outcome(&q.question) == Outcome::Passed {
                passed_weight += q.weight;
            }
        }
        let score = if counted_weight == 0 {
            100.0
        } else {
            100.0 * passed_weight as f64 / counted_weight as f64
        };
        if c.minimum.is_some_and(|m| score < m) {
            below_minimum.push(c.criterion.clone());
        }
        compass += c.weight * score / 100.0;
        criteria.push(CriterionScore {
            criterion: c.criterion.clone(),
            score,
            passed_weight,
            counted_weight,
        });
    }
    let pick = |wanted: &[Outcome]| {
        plan.eliminatory
            .iter()
            .filter(|id| wanted.contains(&outcome(id)))
            .cloned()
            .collect()
    };
    Scores {
        criteria,
        compass,
        points: compass * plan.compass_share / 100.0,
        eliminatory_failed: pick(&[Outcome::Failed]),
        eliminatory_unanswered: pick(&[Outcome::Missing, Outcome::Invalid]),
        below_minimum,
    }
}

impl ScoringPlan {
    /// The formula in words, as the annex announces it.
    pub fn formula(&self, lang: Lang) -> Vec<String> {
        let share = text::number(self.compass_share, lang);
        match lang {
            Lang::Fr => vec![
                "Une question compte lorsqu'elle s'applique à la consultation, qu'elle porte une règle en vigueur et un poids supérieur à 0.".into(),
                "Note d'un critère = 100 × (somme des poids des questions satisfaites) / (somme des poids des questions qui comptent) ; une réponse absente ou illisible n'est pas satisfaite ; un critère sans question qui compte obtient 100.".into(),
                "Note boussole = somme, pour chaque critère, de (sous-pondération × note du critère) / 100.".into(),
                format!("Points attribués au titre de la boussole = note boussole × {share} / 100."),
                "Une réponse non conforme à une exigence éliminatoire, ou une note inférieure au minimum annoncé pour un critère, rend l'offre irrégulière ou l'élimine.".into(),
            ],
            Lang::En => vec![
                "A question counts when it applies to the tender, carries a rule in force and a weight above 0.".into(),
                "Criterion score = 100 × (sum of the weights of passed questions) / (sum of the weights of counted questions); a missing or unreadable answer does not pass; a criterion with no counted question scores 100.".into(),
                "Compass score = sum over criteria of (sub-weight × criterion score) / 100.".into(),
                format!("Points awarded for the compass = compass score × {share} / 100."),
                "An answer failing an eliminatory requirement, or a score below a criterion's announced minimum, makes the offer irregular or eliminates it.".into(),
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> ScoringPlan {
        let q = |id: &str, weight, severity, conditional| Counted {
            question: id.into(),
            weight,
            severity,
            conditional,
        };
        ScoringPlan {
            compass_share: 40.0,
            eliminatory: vec!["BIO-01".into()],
            criteria: vec![
                CriterionPlan {
                    criterion: "biometrics".into(),
                    weight: 0.0,
                    minimum: None,
                    questions: vec![q("BIO-01", 2, Severity::Eliminatory, false)],
                },
                CriterionPlan {
                    criterion: "legal".into(),
                    weight: 60.0,
                    minimum: Some(50.0),
                    questions: vec![
                        q("LEG-01", 3, Severity::Major, false),
                        q("LEG-02", 1, Severity::Minor, false),
                        q("LEG-03", 1, Severity::Minor, true),
                    ],
                },
                CriterionPlan {
                    criterion: "sobriety".into(),
                    weight: 40.0,
                    minimum: None,
                    questions: vec![],
                },
            ],
        }
    }

    fn outcomes(pairs: &[(&str, Outcome)]) -> BTreeMap<String, Outcome> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn weights_passed_questions_and_combines_criteria() {
        let s = score(
            &plan(),
            &outcomes(&[
                ("BIO-01", Outcome::Passed),
                ("LEG-01", Outcome::Passed),
                ("LEG-02", Outcome::Failed),
                ("LEG-03", Outcome::Passed),
            ]),
        );
        assert_eq!(s.criteria[1].score, 80.0); // (3 + 1) / (3 + 1 + 1)
        assert_eq!(s.criteria[2].score, 100.0); // nothing counted
        assert_eq!(s.compass, 0.6 * 80.0 + 0.4 * 100.0);
        assert_eq!(s.points, s.compass * 0.4);
        assert!(!s.eliminated());
    }

    #[test]
    fn missing_and_invalid_count_as_not_passed_not_applicable_does_not_count() {
        let s = score(
            &plan(),
            &outcomes(&[
                ("BIO-01", Outcome::Passed),
                ("LEG-01", Outcome::Passed),
                ("LEG-02", Outcome::Invalid),
                ("LEG-03", Outcome::NotApplicable),
            ]),
        );
        assert_eq!(s.criteria[1].counted_weight, 4);
        assert_eq!(s.criteria[1].score, 75.0);
    }

    #[test]
    fn eliminatory_failures_and_minimum_scores_eliminate() {
        let s = score(
            &plan(),
            &outcomes(&[("BIO-01", Outcome::Failed), ("LEG-01", Outcome::Passed)]),
        );
        assert_eq!(s.eliminatory_failed, ["BIO-01"]);
        assert!(s.eliminated());
        let s = score(&plan(), &outcomes(&[("LEG-02", Outcome::Passed)]));
        assert_eq!(s.eliminatory_unanswered, ["BIO-01"]);
        assert_eq!(s.below_minimum, ["legal"]); // 1 / 5 = 20 < 50
        assert!(s.eliminated());
    }
}
