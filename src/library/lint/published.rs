//! What a published tender document must not say: an AI Act article that
//! binds high-risk systems only, cited as if it bound every system; a
//! question that scores the operator rather than the offer; an award
//! clause whose assessed elements are open-ended or whose sub-criterion is
//! not named as the weighting table names it; a minimum requirement that
//! nothing enforces.

use super::{Code, Sink};
use crate::library::model::*;

/// Articles of Regulation (EU) 2024/1689 that apply to high-risk systems
/// only (chapter III, sections 2 and 3; conformity, registration,
/// monitoring; the right to an explanation).
const HIGH_RISK_ONLY: &[u32] = &[
    8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 43, 47, 48, 49,
    72, 73, 86,
];

/// Words that state a reference's scope.
const SCOPE: [&str; 2] = ["lorsque le système est à haut risque", "par analogie"];

/// The article of the AI Act a reference cites, if it cites one.
fn ai_act_article(text: &str) -> Option<u32> {
    let rest = text.split_once("2024/1689, art. ")?.1;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Lints what the library prints.
pub(super) fn check<'a>(lib: &'a Library, s: &mut Sink<'a>) {
    for c in &lib.clauses {
        s.at(&c.file, Some(&c.id));
        scope(&c.legal, s);
        let vague = c.text.fr.contains("notamment") || c.text.en.contains("in particular");
        let enforced = lib.questions.iter().any(|q| {
            q.clauses.contains(&c.id) && q.role() == Role::Regularity && q.asks(Audience::Vendor)
        });
        if c.part == Part::MinimumRequirement && !enforced {
            s.error(
                Code::UnenforcedRequirement,
                "no regularity question enforces this minimum requirement: an offer breaking it would only lose points; enforce it, or make it an award element",
            );
        }
        if c.part == Part::Award {
            sub_criterion_name(lib, c, s);
        }
        if c.part == Part::Award && vague {
            s.error(
                Code::VagueAward,
                "the consultation rules name every element assessed: no « notamment » before them",
            );
        }
    }
    for q in &lib.questions {
        s.at(&q.file, Some(&q.id));
        scope(&q.legal, s);
        let scored = q.role() != Role::Information;
        if q.jurisdiction && scored {
            s.error(
                Code::ScoresOperator,
                format!(
                    "the operator's seat, ownership or nationality is never scored nor eliminatory: make it `information` (its role is `{}`)",
                    q.role().name()
                ),
            );
        }
    }
}

/// The RC names each sub-criterion exactly as its weighting table does: an
/// award clause that names a (sub-)criterion between « » names its own, by
/// its exact title, as a sub-criterion of the compass.
fn sub_criterion_name(lib: &Library, c: &Clause, s: &mut Sink<'_>) {
    let Some(own) = lib.criteria.iter().find(|k| k.id == c.criterion) else {
        return;
    };
    let exact = format!("sous-critère « {} »", own.title.fr);
    for (at, _) in c.text.fr.match_indices("critère « ") {
        let named = &c.text.fr[at..];
        let named = &named[..named.find(" »").map_or(named.len(), |e| e + " »".len())];
        let sub = c.text.fr[..at].ends_with("sous-");
        if !sub || format!("sous-{named}") != exact {
            s.error(
                Code::SubCriterionName,
                format!(
                    "`{}{named}` is not how the weighting table names it: write `{exact}`",
                    if sub { "sous-" } else { "" }
                ),
            );
        }
    }
}

fn scope(refs: &[LegalRef], s: &mut Sink<'_>) {
    for r in refs.iter().filter(|r| r.status == LegalStatus::Verified) {
        let Some(article) = ai_act_article(&r.text) else {
            continue;
        };
        if HIGH_RISK_ONLY.contains(&article) && !SCOPE.iter().any(|w| r.text.contains(w)) {
            s.error(
                Code::HighRiskScope,
                format!(
                    "`{}` binds high-risk systems only: add « (lorsque le système est à haut risque) » or « (par analogie) »",
                    r.text
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ai_act_article;

    #[test]
    fn the_article_is_read_from_the_reference() {
        assert_eq!(
            ai_act_article("Règlement (UE) 2024/1689, art. 26, paragraphe 6"),
            Some(26)
        );
        assert_eq!(
            ai_act_article("Règlement (UE) 2024/1689, art. 5, paragraphe 1"),
            Some(5)
        );
        assert_eq!(ai_act_article("RGPD, art. 28, paragraphe 3"), None);
    }
}
