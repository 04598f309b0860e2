//! The judgment of an offer: may it be ranked, on what grounds, with what
//! score and at what rank. Every report renders it; none re-derives it.
//!
//! Regularity comes apart from award, as the public procurement code
//! requires:
//!
//! - an answer that breaks a regularity question (a CCTP minimum
//!   requirement, an accepted CCAP obligation), or a sub-criterion below its
//!   announced minimum, makes the offer **irregular** (CCP L. 2152-1,
//!   L. 2152-2): it is set aside, with its grounds, and has no score;
//! - a regularity question left unanswered or unreadable, or its required
//!   document missing, may be **regularised** (CCP R. 2152-2): nothing that
//!   would change the offer's substance, so award answers never are;
//! - every other offer is **ranked** by its points; the ranking is
//!   *provisional* while an element waits for the committee's mark or for
//!   other offers to compare with.
//!
//! The verdict codes of the JSON report follow from the standing:
//! irregular → `non_compliant`, to regularise → `incomplete`, ranked →
//! `compliant`, or `compliant_with_reservations` when a finding of major
//! severity or more remains.

use serde::Serialize;

use crate::scoring::Pending;
use crate::selection::Selection;
use crate::text::Lang;

/// Where an offer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Irregular: set aside before ranking, never scored.
    Irregular,
    /// Regularity answers or documents missing: may be regularised.
    ToRegularise,
    /// Regular: ranked by its points.
    Ranked,
}

impl Standing {
    /// The standing in words.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Standing::Irregular, Lang::Fr) => "écartée (offre irrégulière)",
            (Standing::ToRegularise, Lang::Fr) => "à régulariser",
            (Standing::Ranked, Lang::Fr) => "classée",
            (Standing::Irregular, Lang::En) => "set aside (irregular offer)",
            (Standing::ToRegularise, Lang::En) => "to be regularised",
            (Standing::Ranked, Lang::En) => "ranked",
        }
    }
}

/// Why an offer is irregular or must be regularised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GroundKind {
    /// The answer given breaks a regularity question.
    Breaks,
    /// A sub-criterion scores below its announced minimum.
    BelowMinimum,
    /// A regularity question has no readable answer.
    Unanswered,
    /// A regularity answer lacks its required document.
    EvidenceMissing,
}

/// One ground of an offer's standing.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
pub struct Ground {
    /// What kind of ground.
    pub kind: GroundKind,
    /// The question at stake, or the criterion for [`GroundKind::BelowMinimum`].
    pub about: String,
}

impl Ground {
    /// The ground in words, for people: the question's or the criterion's
    /// own words, never a code alone.
    pub fn describe(&self, sel: &Selection, lang: Lang) -> String {
        let question = || {
            sel.questions
                .iter()
                .find(|q| q.id == self.about)
                .map(|q| {
                    let text = q.text.get(lang);
                    let text = text.trim_end_matches(['?', ' ', '\u{a0}', '\u{202f}']);
                    format!("{} ({text})", self.about)
                })
                .unwrap_or_else(|| self.about.clone())
        };
        let criterion = || {
            sel.criteria
                .iter()
                .find(|c| c.id == self.about)
                .map(|c| c.title.get(lang).to_string())
                .unwrap_or_else(|| self.about.clone())
        };
        match (self.kind, lang) {
            (GroundKind::Breaks, Lang::Fr) => {
                format!("réponse contraire à l'exigence : {}", question())
            }
            (GroundKind::Breaks, Lang::En) => {
                format!("answer contrary to the requirement: {}", question())
            }
            (GroundKind::BelowMinimum, Lang::Fr) => format!(
                "note inférieure au minimum annoncé pour le sous-critère « {} »",
                criterion()
            ),
            (GroundKind::BelowMinimum, Lang::En) => format!(
                "score below the announced minimum of the sub-criterion \"{}\"",
                criterion()
            ),
            (GroundKind::Unanswered, Lang::Fr) => {
                format!("réponse absente ou illisible : {}", question())
            }
            (GroundKind::Unanswered, Lang::En) => {
                format!("answer missing or unreadable: {}", question())
            }
            (GroundKind::EvidenceMissing, Lang::Fr) => {
                format!("pièce justificative manquante : {}", question())
            }
            (GroundKind::EvidenceMissing, Lang::En) => {
                format!("supporting document missing: {}", question())
            }
        }
    }
}

/// The judgment of one offer.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Judgment {
    /// Where it stands.
    pub standing: Standing,
    /// Why it is irregular or must be regularised; empty when ranked.
    pub grounds: Vec<Ground>,
    /// Points of the total mark brought by the compass; null when irregular.
    pub points: Option<f64>,
    /// The points the compass may bring at most.
    pub out_of: f64,
    /// Its rank among the ranked offers of the batch (1 is first; equal
    /// points share a rank); null when not ranked.
    pub rank: Option<u32>,
    /// Whether its score may still change (see `pending`).
    pub provisional: bool,
    /// Elements whose points are not known yet, counted 0 meanwhile.
    pub pending: Vec<Pending>,
}

impl Judgment {
    /// Whether it has a score to show (irregular offers have none).
    pub fn scored(&self) -> bool {
        self.standing != Standing::Irregular
    }
}

/// Ranks the offers that may be ranked by their points, highest first;
/// equal points (to the hundredth) share a rank.
pub fn rank(judgments: &mut [&mut Judgment]) {
    let mut points: Vec<f64> = judgments
        .iter()
        .filter(|j| j.standing == Standing::Ranked)
        .filter_map(|j| j.points)
        .collect();
    points.sort_by(|a, b| b.total_cmp(a));
    for j in judgments.iter_mut() {
        j.rank = match (j.standing, j.points) {
            (Standing::Ranked, Some(p)) => {
                let above = points.iter().filter(|q| round(**q) > round(p)).count();
                u32::try_from(above + 1).ok()
            }
            _ => None,
        };
    }
}

/// Points rounded to the hundredth, as printed.
fn round(p: f64) -> i64 {
    (p * 100.0).round() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judgment(standing: Standing, points: f64) -> Judgment {
        Judgment {
            standing,
            grounds: Vec::new(),
            points: (standing != Standing::Irregular).then_some(points),
            out_of: 40.0,
            rank: None,
            provisional: false,
            pending: Vec::new(),
        }
    }

    #[test]
    fn ranks_ranked_offers_only_with_ties_sharing_a_rank() {
        let mut a = judgment(Standing::Ranked, 30.0);
        let mut b = judgment(Standing::Irregular, 40.0);
        let mut c = judgment(Standing::Ranked, 35.0);
        let mut d = judgment(Standing::Ranked, 30.001);
        let mut e = judgment(Standing::ToRegularise, 39.0);
        rank(&mut [&mut a, &mut b, &mut c, &mut d, &mut e]);
        assert_eq!(
            [a.rank, b.rank, c.rank, d.rank, e.rank],
            [Some(2), None, Some(1), Some(2), None]
        );
    }
}
