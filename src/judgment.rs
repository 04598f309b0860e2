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

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::check::{Basis, CriterionResult, QuestionResult, ThemeResult, Verdict};
use crate::finding::{Code, DecisionKind, Finding, Status};
use crate::rule::Severity;
use crate::scoring::{self, Batch, Earned, Pending, Scores};
use crate::selection::Selection;
use crate::text::Lang;

/// The findings about an answer itself (not its document): lifting one of
/// them lifts the ground the answer gave.
const ANSWER_CODES: [Code; 8] = [
    Code::RuleFailed,
    Code::MissingAnswer,
    Code::NonAnswer,
    Code::Unreadable,
    Code::AmbiguousNumber,
    Code::UnknownUnit,
    Code::Formula,
    Code::ConflictingAnswers,
];

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

    /// The judgment without its grounds and pending elements: what a
    /// batch keeps of each offer to rank them and print its summary.
    pub fn lean(&self) -> Judgment {
        Judgment {
            standing: self.standing,
            grounds: Vec::new(),
            points: self.points,
            out_of: self.out_of,
            rank: self.rank,
            provisional: self.provisional,
            pending: Vec::new(),
        }
    }
}

/// What the outcomes of a file's questions add up to, once the batch is known.
#[derive(Debug, Clone, PartialEq)]
pub struct Conclusion {
    /// Scores from the plan.
    pub scores: Scores,
    /// Per criterion.
    pub criteria: Vec<CriterionResult>,
    /// Per theme.
    pub themes: Vec<ThemeResult>,
    /// Standing, grounds, points (its rank is the batch's: see
    /// [`rank`]).
    pub judgment: Judgment,
    /// The verdict.
    pub verdict: Verdict,
}

/// The ground a regularity question's answer gives by itself (not its
/// document), unless legal staff lifted the finding about it.
fn answer_ground(r: &QuestionResult, findings: &[Finding]) -> Option<GroundKind> {
    let kind = match r.status {
        Status::Fail => GroundKind::Breaks,
        Status::Missing | Status::Invalid => GroundKind::Unanswered,
        _ => return None,
    };
    (!lifted(findings, &r.id, &ANSWER_CODES)).then_some(kind)
}

/// Whether a legal staff's decision lifted a finding of one of `codes`
/// about question `id`.
fn lifted(findings: &[Finding], id: &str, codes: &[Code]) -> bool {
    // the rare decision first, the question's id (a comparison of texts) last
    findings.iter().any(|f| {
        f.decision
            .as_ref()
            .is_some_and(|d| d.decision == DecisionKind::Lifted)
            && codes.contains(&f.code)
            && f.question == id
    })
}

/// The plan's regularity questions, to be looked up for each question of
/// an offer (a list of about fifty, where a search would compare texts).
fn regularity(plan: &scoring::ScoringPlan) -> BTreeSet<&str> {
    plan.regularity.iter().map(String::as_str).collect()
}

/// Whether an offer breaks a regularity question by its own answers
/// (a [`GroundKind::Breaks`] ground of [`conclude`]), which the batch
/// does not change: what a batch asks of each offer before it knows its
/// best values, without judging it.
pub fn breaks(basis: &Basis, questions: &[QuestionResult], findings: &[Finding]) -> bool {
    let plan = basis.plan();
    let regularity = regularity(&plan);
    (questions.iter())
        .filter(|r| regularity.contains(r.id.as_str()))
        .any(|r| answer_ground(r, findings) == Some(GroundKind::Breaks))
}

/// The judgment of one file from its questions' results and findings,
/// given the batch (best values, committee marks).
///
/// A regularity question whose finding legal staff lifted (decision
/// *lifted*, see `crate::report::decisions`) no longer breaks regularity
/// nor calls for regularisation. Decisions never add points: an award
/// element earns what its answer earns.
pub fn conclude(
    basis: &Basis,
    questions: &[QuestionResult],
    findings: &[Finding],
    best: &BTreeMap<String, f64>,
) -> Conclusion {
    let sel = &basis.selection;
    let plan = basis.plan();
    let lifted = |id: &str, codes: &[Code]| lifted(findings, id, codes);
    let earned: BTreeMap<String, Earned> = questions
        .iter()
        .filter_map(|r| r.earned.map(|e| (r.id.clone(), e)))
        .collect();
    let batch = Batch {
        best: best.clone(),
        marks: questions
            .iter()
            .filter_map(|r| r.mark.map(|m| (r.id.clone(), m)))
            .collect(),
    };
    let scores = scoring::score(&plan, &earned, &batch);

    let mut grounds = Vec::new();
    let regularity = regularity(&plan);
    for r in questions {
        if !regularity.contains(r.id.as_str()) {
            continue;
        }
        if let Some(kind) = answer_ground(r, findings) {
            grounds.push(Ground {
                kind,
                about: r.id.clone(),
            });
        }
        let lacks_evidence = findings
            .iter()
            .any(|f| f.code == Code::EvidenceMissing && f.question == r.id);
        if lacks_evidence && !lifted(&r.id, &[Code::EvidenceMissing]) {
            grounds.push(Ground {
                kind: GroundKind::EvidenceMissing,
                about: r.id.clone(),
            });
        }
    }
    let waiting: BTreeSet<&str> = scores.pending.iter().map(|p| p.question.as_str()).collect();
    for c in &scores.below_minimum {
        let settled = plan
            .criteria
            .iter()
            .filter(|p| &p.criterion == c)
            .flat_map(|p| &p.questions)
            .all(|q| !waiting.contains(q.question.as_str()));
        if settled {
            grounds.push(Ground {
                kind: GroundKind::BelowMinimum,
                about: c.clone(),
            });
        }
    }
    grounds.sort();
    let standing = if grounds
        .iter()
        .any(|g| matches!(g.kind, GroundKind::Breaks | GroundKind::BelowMinimum))
    {
        Standing::Irregular
    } else if grounds.is_empty() {
        Standing::Ranked
    } else {
        Standing::ToRegularise
    };
    let scored = standing != Standing::Irregular;
    let verdict = match standing {
        Standing::Irregular => Verdict::NonCompliant,
        Standing::ToRegularise => Verdict::Incomplete,
        Standing::Ranked
            if findings
                .iter()
                .any(|f| f.severity >= Severity::Major && !lifted(&f.question, &[f.code])) =>
        {
            Verdict::CompliantWithReservations
        }
        Standing::Ranked => Verdict::Compliant,
    };
    let judgment = Judgment {
        standing,
        grounds,
        points: scored.then_some(scores.points),
        out_of: plan.compass_share,
        rank: None,
        provisional: scored && !scores.pending.is_empty(),
        pending: if scored {
            scores.pending.clone()
        } else {
            Vec::new()
        },
    };
    Conclusion {
        criteria: criteria(sel, questions, &scores, scored),
        themes: themes(sel, &plan, &earned, &batch, scored),
        judgment,
        verdict,
        scores,
    }
}

fn criteria(
    sel: &Selection,
    questions: &[QuestionResult],
    scores: &Scores,
    scored: bool,
) -> Vec<CriterionResult> {
    let criterion_of: BTreeMap<&str, &str> = sel
        .questions
        .iter()
        .map(|q| (q.id.as_str(), q.criterion.as_str()))
        .collect();
    // per criterion, its applicable questions and those answered readably,
    // counted in one pass over the answers
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for r in questions
        .iter()
        .filter(|r| r.status != Status::NotApplicable)
    {
        if let Some(c) = criterion_of.get(r.id.as_str()) {
            let (total, answered) = counts.entry(c).or_default();
            *total += 1;
            *answered += usize::from(matches!(
                r.status,
                Status::Pass | Status::Fail | Status::Info
            ));
        }
    }
    sel.criteria
        .iter()
        .map(|c| {
            let (total, answered) = counts.get(c.id.as_str()).copied().unwrap_or_default();
            let s = scores.criteria.iter().find(|s| s.criterion == c.id);
            CriterionResult {
                id: c.id.clone(),
                score: s.map(|s| s.score).filter(|_| scored),
                points: s.map(|s| s.points).filter(|_| scored),
                out_of: s.map_or(0.0, |s| s.out_of),
                answered,
                total,
            }
        })
        .collect()
}

fn themes(
    sel: &Selection,
    plan: &scoring::ScoringPlan,
    earned: &BTreeMap<String, Earned>,
    batch: &Batch,
    scored: bool,
) -> Vec<ThemeResult> {
    // each question's themes, then each theme's elements of the plan, in
    // the plan's order, in one pass over it
    let mut themes_of: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for q in &sel.questions {
        (themes_of.entry(q.id.as_str()).or_default()).extend(q.themes.iter().map(String::as_str));
    }
    let mut by_theme: BTreeMap<&str, Vec<scoring::Counted>> = themes_of
        .values()
        .flatten()
        .map(|t| (*t, Vec::new()))
        .collect();
    for q in plan.criteria.iter().flat_map(|c| &c.questions) {
        for t in themes_of.get(q.question.as_str()).into_iter().flatten() {
            if let Some(counted) = by_theme.get_mut(t) {
                counted.push(q.clone());
            }
        }
    }
    by_theme
        .into_iter()
        .map(|(theme, questions)| {
            let sub = scoring::ScoringPlan {
                compass_share: 100.0,
                regularity: Vec::new(),
                criteria: vec![scoring::CriterionPlan {
                    criterion: theme.to_string(),
                    weight: 100.0,
                    minimum: None,
                    questions,
                }],
            };
            ThemeResult {
                id: theme.to_string(),
                score: scored.then(|| scoring::score(&sub, earned, batch).compass),
            }
        })
        .collect()
}

/// Ranks the offers that may be ranked by their points, highest first;
/// equal points (to the hundredth) share a rank.
pub fn rank(judgments: &mut [&mut Judgment]) {
    // rounded as printed, highest first: the offers above one are a prefix
    let mut points: Vec<i64> = judgments
        .iter()
        .filter(|j| j.standing == Standing::Ranked)
        .filter_map(|j| j.points.map(round))
        .collect();
    points.sort_unstable_by(|a, b| b.cmp(a));
    for j in judgments.iter_mut() {
        j.rank = match (j.standing, j.points) {
            (Standing::Ranked, Some(p)) => {
                let above = points.partition_point(|&q| q > round(p));
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
