//! The scoring plan, and the one function that scores an offer with it.
//!
//! The plan is resolved once per tender (see [`crate::selection`]); the annex
//! prints it and the checker applies it, so what is enforced is exactly what
//! was announced. Only *award* elements are scored (see
//! [`crate::library::Role`]); regularity questions decide whether an offer
//! may be ranked at all, which is [`crate::judgment`]'s business.
//!
//! - each element earns a share of its weight, 0 to 1, on its announced
//!   [`Scale`]: linear between two values, relative to the best offer of the
//!   batch, points per choice, the committee's mark out of 4, or full points
//!   when the answer meets its rule; a missing or unreadable answer earns 0;
//! - criterion score = 100 × Σ (weight × share) / Σ weight of the elements
//!   that apply (a criterion with no element scores 100);
//! - compass score = Σ sub-weight × criterion score / 100, and points =
//!   compass score × compass share / 100;
//! - a criterion below its announced minimum score makes the offer
//!   irregular (CJUE, 20 sept. 2018, *Montte*, C-546/16).
//!
//! Relative elements need the batch ([`Batch::best`]); committee elements
//! need the committee's marks ([`Batch::marks`]). Until both are known the
//! element earns 0 and is listed in [`Scores::pending`]: the score is
//! provisional, and says so.

mod words;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use words::{DESCRIPTORS, Element, descriptors, points};

use crate::library::Better;
use crate::rule::Severity;
use crate::text::{self, Lang};

/// The highest mark the committee gives an element.
pub const COMMITTEE_MAX: u8 = 4;

/// How the compass's share of the mark is computed for one tender.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoringPlan {
    /// Points of the total mark (out of 100) carried by the compass.
    pub compass_share: f64,
    /// The regularity questions: an answer that breaks one makes the offer
    /// irregular.
    pub regularity: Vec<String>,
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
    /// The elements that are scored, with their weights.
    pub questions: Vec<Counted>,
}

/// An award element: a question scored in its criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Counted {
    /// Question id.
    pub question: String,
    /// Its weight.
    pub weight: u32,
    /// The severity of its rule, for the findings it raises.
    pub severity: Severity,
    /// Whether it applies only after another answer.
    pub conditional: bool,
    /// How it is marked.
    pub scale: Scale,
}

/// An element's scale, resolved for the tender (profile bounds are numbers).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Scale {
    /// Full points when the answer meets the rule, none otherwise.
    Rule,
    /// No point at `zero`, full points at `full`, linear between, clamped.
    Linear {
        /// The value that earns no point.
        zero: f64,
        /// The value that earns full points.
        full: f64,
    },
    /// Relative to the best offer of the batch.
    Relative {
        /// Which way is better.
        better: Better,
    },
    /// A share of the points per choice id.
    Points {
        /// Choice id → share, 0 to 1.
        points: BTreeMap<String, f64>,
    },
    /// The committee's mark, 0 to [`COMMITTEE_MAX`].
    Committee,
}

impl Scale {
    /// The share of the points a value earns on a linear scale.
    pub fn linear(zero: f64, full: f64, value: f64) -> f64 {
        if (full - zero).abs() < f64::EPSILON {
            return if value == full { 1.0 } else { 0.0 };
        }
        ((value - zero) / (full - zero)).clamp(0.0, 1.0)
    }

    /// The share of the points a value earns against the best of the batch.
    pub fn relative(better: Better, best: f64, value: f64) -> f64 {
        let share = match better {
            Better::Lower if value <= best => 1.0,
            Better::Lower if value > 0.0 => best.max(0.0) / value,
            Better::Higher if value >= best => 1.0,
            Better::Higher if best > 0.0 => value.max(0.0) / best,
            _ => 0.0,
        };
        share.clamp(0.0, 1.0)
    }
}

/// What one element earned in one offer, before the batch and the
/// committee are known.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Earned {
    /// A share of the element's points, 0 to 1.
    Share(f64),
    /// A number to compare with the best offer of the batch.
    Measured(f64),
    /// An answer for the committee to mark.
    ToMark,
    /// The element does not apply to this offer.
    NotApplicable,
}

/// What the scores of one offer depend on beyond its own answers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Batch {
    /// Per relative element, the best value among the offers that may be
    /// ranked; absent when the batch holds fewer than two such offers.
    pub best: BTreeMap<String, f64>,
    /// The committee's marks for this offer, by question id.
    pub marks: BTreeMap<String, u8>,
}

/// Why an element's points are not known yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Waiting {
    /// The evaluation committee has not marked it.
    CommitteeMark,
    /// It is relative to the best offer, and the batch has no other offer.
    OtherOffers,
}

/// An element whose points are not known yet (counted 0 meanwhile).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Pending {
    /// Question id.
    pub question: String,
    /// What it waits for.
    pub waiting: Waiting,
}

/// The scores of one offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    /// Per criterion, in compass order.
    pub criteria: Vec<CriterionScore>,
    /// Compass score, out of 100.
    pub compass: f64,
    /// Points of the total mark: compass score × compass share / 100.
    pub points: f64,
    /// Elements whose points are not known yet (counted 0).
    pub pending: Vec<Pending>,
    /// Criteria below their announced minimum.
    pub below_minimum: Vec<String>,
}

/// One criterion's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionScore {
    /// Criterion id.
    pub criterion: String,
    /// Score out of 100.
    pub score: f64,
    /// Points of the total mark it brings.
    pub points: f64,
    /// The points it may bring at most.
    pub out_of: f64,
}

/// The share an element earned, or why it is not known.
fn share(counted: &Counted, earned: Earned, batch: &Batch) -> Result<f64, Waiting> {
    match (earned, &counted.scale) {
        (Earned::Share(s), _) => Ok(s.clamp(0.0, 1.0)),
        (Earned::Measured(v), Scale::Relative { better }) => batch
            .best
            .get(&counted.question)
            .map(|best| Scale::relative(*better, *best, v))
            .ok_or(Waiting::OtherOffers),
        (Earned::Measured(_), _) => Ok(0.0),
        (Earned::ToMark, _) => batch
            .marks
            .get(&counted.question)
            .map(|m| f64::from((*m).min(COMMITTEE_MAX)) / f64::from(COMMITTEE_MAX))
            .ok_or(Waiting::CommitteeMark),
        (Earned::NotApplicable, _) => Ok(0.0),
    }
}

/// Scores what an offer earned (by question id; an absent element earned
/// nothing) with the plan, given what the batch and the committee add.
pub fn score(plan: &ScoringPlan, earned: &BTreeMap<String, Earned>, batch: &Batch) -> Scores {
    let mut criteria = Vec::new();
    let mut below_minimum = Vec::new();
    let mut pending = Vec::new();
    let mut compass = 0.0;
    for c in &plan.criteria {
        let (mut got, mut counted) = (0.0, 0.0);
        for q in &c.questions {
            let e = earned
                .get(&q.question)
                .copied()
                .unwrap_or(Earned::Share(0.0));
            if e == Earned::NotApplicable {
                continue;
            }
            counted += f64::from(q.weight);
            match share(q, e, batch) {
                Ok(s) => got += f64::from(q.weight) * s,
                Err(waiting) => pending.push(Pending {
                    question: q.question.clone(),
                    waiting,
                }),
            }
        }
        let score = if counted == 0.0 {
            100.0
        } else {
            100.0 * got / counted
        };
        if c.minimum.is_some_and(|m| score < m) {
            below_minimum.push(c.criterion.clone());
        }
        compass += c.weight * score / 100.0;
        let out_of = c.weight * plan.compass_share / 100.0;
        criteria.push(CriterionScore {
            criterion: c.criterion.clone(),
            score,
            points: out_of * score / 100.0,
            out_of,
        });
    }
    Scores {
        criteria,
        compass,
        points: compass * plan.compass_share / 100.0,
        pending,
        below_minimum,
    }
}

impl ScoringPlan {
    /// The element of this id, if it is scored.
    pub fn counted(&self, id: &str) -> Option<&Counted> {
        self.criteria
            .iter()
            .flat_map(|c| &c.questions)
            .find(|q| q.question == id)
    }

    /// The formula in words, as the annex announces it.
    pub fn formula(&self, lang: Lang) -> Vec<String> {
        let share = text::number(self.compass_share, lang);
        match lang {
            Lang::Fr => vec![
                "Seuls les éléments d'appréciation des sous-critères sont notés ; les questions de régularité ne le sont jamais : une réponse contraire à une exigence minimale ou à une obligation acceptée rend l'offre irrégulière (articles L. 2152-1 et L. 2152-2 du code de la commande publique), et une offre irrégulière n'est pas classée.".into(),
                "Chaque élément obtient une part de son poids, de 0 à 1, sur l'échelle annoncée pour lui ci-dessous ; une réponse absente ou illisible à un élément noté obtient 0.".into(),
                "Note d'un sous-critère = 100 × (somme, pour chaque élément, du poids × la part obtenue) / (somme des poids des éléments qui s'appliquent) ; un sous-critère sans élément noté obtient 100.".into(),
                "Note boussole = somme, pour chaque sous-critère, de (pondération × note du sous-critère) / 100.".into(),
                format!("Points attribués au titre de la boussole = note boussole × {share} / 100."),
                "Une note inférieure au minimum annoncé pour un sous-critère rend l'offre irrégulière.".into(),
            ],
            Lang::En => vec![
                "Only the elements of the award sub-criteria are scored; regularity questions never are: an answer contrary to a minimum requirement or to an accepted obligation makes the offer irregular (articles L. 2152-1 and L. 2152-2 of the French public procurement code), and an irregular offer is not ranked.".into(),
                "Each element earns a share of its weight, 0 to 1, on the scale announced for it below; a missing or unreadable answer to a scored element earns 0.".into(),
                "Sub-criterion score = 100 × (sum over elements of weight × share earned) / (sum of the weights of the elements that apply); a sub-criterion with no scored element scores 100.".into(),
                "Compass score = sum over sub-criteria of (weighting × sub-criterion score) / 100.".into(),
                format!("Points awarded for the compass = compass score × {share} / 100."),
                "A score below a sub-criterion's announced minimum makes the offer irregular.".into(),
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(id: &str, weight: u32, scale: Scale) -> Counted {
        Counted {
            question: id.into(),
            weight,
            severity: Severity::Major,
            conditional: false,
            scale,
        }
    }

    fn plan() -> ScoringPlan {
        ScoringPlan {
            compass_share: 40.0,
            regularity: vec!["BIO-01".into()],
            criteria: vec![
                CriterionPlan {
                    criterion: "legal".into(),
                    weight: 60.0,
                    minimum: Some(50.0),
                    questions: vec![
                        q(
                            "CYB-01",
                            3,
                            Scale::Linear {
                                zero: 24.0,
                                full: 4.0,
                            },
                        ),
                        q("LEG-04", 1, Scale::Rule),
                    ],
                },
                CriterionPlan {
                    criterion: "sobriety".into(),
                    weight: 40.0,
                    minimum: None,
                    questions: vec![
                        q(
                            "SOB-01",
                            2,
                            Scale::Relative {
                                better: Better::Lower,
                            },
                        ),
                        q("SOB-02", 2, Scale::Committee),
                    ],
                },
            ],
        }
    }

    fn earned(pairs: &[(&str, Earned)]) -> BTreeMap<String, Earned> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn linear_scales_clamp_both_ways() {
        assert_eq!(Scale::linear(24.0, 4.0, 14.0), 0.5);
        assert_eq!(Scale::linear(24.0, 4.0, 48.0), 0.0);
        assert_eq!(Scale::linear(24.0, 4.0, 1.0), 1.0);
        assert_eq!(Scale::linear(10.0, 30.0, 25.0), 0.75);
    }

    #[test]
    fn relative_scales_give_the_best_full_points() {
        assert_eq!(Scale::relative(Better::Lower, 100.0, 100.0), 1.0);
        assert_eq!(Scale::relative(Better::Lower, 100.0, 400.0), 0.25);
        assert_eq!(Scale::relative(Better::Higher, 20.0, 5.0), 0.25);
        assert_eq!(Scale::relative(Better::Lower, 0.0, 3.0), 0.0);
    }

    #[test]
    fn elements_earn_shares_of_their_weight() {
        let batch = Batch {
            best: [("SOB-01".to_string(), 90.0)].into(),
            marks: [("SOB-02".to_string(), 3)].into(),
        };
        let s = score(
            &plan(),
            &earned(&[
                ("CYB-01", Earned::Share(0.5)),
                ("LEG-04", Earned::Share(1.0)),
                ("SOB-01", Earned::Measured(180.0)),
                ("SOB-02", Earned::ToMark),
            ]),
            &batch,
        );
        assert_eq!(s.criteria[0].score, 62.5); // (3 × 0,5 + 1) / 4
        assert_eq!(s.criteria[1].score, 62.5); // (2 × 0,5 + 2 × 0,75) / 4
        assert_eq!(s.compass, 62.5);
        assert_eq!(s.points, 25.0);
        assert_eq!(s.criteria[0].out_of, 24.0);
        assert_eq!(s.criteria[0].points, 15.0);
        assert!(s.pending.is_empty());
        assert!(s.below_minimum.is_empty());
    }

    #[test]
    fn unknown_marks_and_lone_offers_are_pending_and_count_nothing() {
        let s = score(
            &plan(),
            &earned(&[
                ("CYB-01", Earned::Share(1.0)),
                ("LEG-04", Earned::NotApplicable),
                ("SOB-01", Earned::Measured(180.0)),
                ("SOB-02", Earned::ToMark),
            ]),
            &Batch::default(),
        );
        assert_eq!(s.criteria[0].score, 100.0);
        assert_eq!(s.criteria[1].score, 0.0);
        let waiting: Vec<_> = s.pending.iter().map(|p| p.waiting).collect();
        assert_eq!(waiting, [Waiting::OtherOffers, Waiting::CommitteeMark]);
    }

    #[test]
    fn a_criterion_under_its_minimum_is_listed() {
        let s = score(
            &plan(),
            &earned(&[("CYB-01", Earned::Share(0.0))]),
            &Batch::default(),
        );
        assert_eq!(s.below_minimum, ["legal"]);
    }
}
