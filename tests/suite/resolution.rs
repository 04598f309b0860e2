//! Resolution: the same library gives each tender the clauses, questions and
//! scoring plan that fit it.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::*;
use boussole::library::{self, Library};
use boussole::profile::{self, Profile};
use boussole::rule::Severity;
use boussole::scoring;
use boussole::selection::{self, Selection};

fn resolve_with(edit: impl Fn(String) -> String) -> (Library, Selection) {
    let lib = library::load(None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = profile_with(dir.path(), edit);
    let checked = profile::load(Some(Path::new(&path)), &lib).unwrap();
    let sel = selection::resolve(&lib, &checked.profile);
    (lib, sel)
}

fn default_selection() -> (Library, Selection) {
    let lib = library::load(None).unwrap();
    let sel = selection::resolve(&lib, &Profile::embedded());
    (lib, sel)
}

fn reads(cond: &Option<boussole::condition::Condition>, field: &str) -> bool {
    cond.as_ref()
        .is_some_and(|c| c.profile_refs().iter().any(|p| p == field))
}

#[test]
fn personal_data_clauses_leave_when_no_personal_data_is_processed() {
    let (lib, with) = default_selection();
    let (_, without) = resolve_with(|t| t.replace("personal_data = true", "personal_data = false"));
    let gated: Vec<_> = lib
        .clauses
        .iter()
        .filter(|c| reads(&c.when, "system.personal_data"))
        .collect();
    assert!(!gated.is_empty(), "some clauses depend on personal data");
    for c in gated {
        assert!(
            with.clauses.iter().any(|x| x.id == c.id),
            "{} applies by default",
            c.id
        );
        assert!(
            !without.clauses.iter().any(|x| x.id == c.id),
            "{} left out without personal data",
            c.id
        );
    }
    assert!(without.questions.len() < with.questions.len());
}

#[test]
fn health_data_switches_on_the_hosting_rules() {
    let (lib, without) = default_selection();
    let (_, with) = resolve_with(|t| t.replace("health_data = false", "health_data = true"));
    let gated: Vec<_> = lib
        .questions
        .iter()
        .filter(|q| reads(&q.when, "system.health_data"))
        .collect();
    assert!(!gated.is_empty());
    for q in &gated {
        assert!(!without.questions.iter().any(|x| x.id == q.id), "{}", q.id);
        let selected = with
            .questions
            .iter()
            .find(|x| x.id == q.id)
            .expect("applies with health data");
        assert_eq!(
            selected.rule.as_ref().unwrap().severity,
            Severity::Eliminatory,
            "{}",
            q.id
        );
        assert!(with.plan.regularity.contains(&q.id));
    }
}

#[test]
fn placeholders_are_filled_in_each_language() {
    let (lib, sel) = default_selection();
    for c in &sel.clauses {
        for text in [&c.text.fr, &c.text.en, &c.title.fr, &c.title.en] {
            assert!(!text.contains('{'), "{}: {text}", c.id);
        }
    }
    let pue = lib
        .clauses
        .iter()
        .find(|c| c.text.fr.contains("{thresholds.pue_max}"))
        .expect("a clause names the PUE");
    let filled = sel.clauses.iter().find(|c| c.id == pue.id).unwrap();
    assert!(filled.text.fr.contains("1,5"), "{}", filled.text.fr);
    assert!(filled.text.en.contains("1.5"), "{}", filled.text.en);
    let zone = lib
        .clauses
        .iter()
        .find(|c| c.text.fr.contains("{thresholds.hosting_zone}"))
        .expect("a clause names the hosting zone");
    let filled = sel.clauses.iter().find(|c| c.id == zone.id).unwrap();
    assert!(
        filled
            .text
            .fr
            .contains("Union européenne et Espace économique européen"),
        "{}",
        filled.text.fr
    );
    let (_, other) = resolve_with(|t| t.replace("pue_max = 1.5", "pue_max = 1.25"));
    assert!(
        other
            .clauses
            .iter()
            .find(|c| c.id == pue.id)
            .unwrap()
            .text
            .fr
            .contains("1,25")
    );
}

#[test]
fn answer_conditions_stay_open_until_answers_are_read() {
    let (lib, sel) = default_selection();
    let conditional: Vec<_> = sel
        .questions
        .iter()
        .filter(|q| q.condition.is_some())
        .collect();
    assert!(!conditional.is_empty());
    for q in conditional {
        let source = lib.question(&q.id).unwrap().when.as_ref().unwrap();
        assert!(
            !source.answer_refs().is_empty(),
            "{} waits on an answer",
            q.id
        );
    }
}

#[test]
fn overrides_change_the_plan_and_keep_their_justification() {
    let (lib, _) = default_selection();
    let q = lib
        .questions
        .iter()
        .find(|q| q.criterion == "sobriety" && q.rule.is_some())
        .unwrap();
    let id = q.id.clone();
    let (_, sel) = resolve_with(move |t| {
        t + &format!(
            "\n[[overrides]]\nquestion = \"{id}\"\nweight = 7\nseverity = \"eliminatory\"\njustification = \"Exigence du schéma numérique responsable.\"\n"
        )
    });
    let selected = sel.questions.iter().find(|x| x.id == q.id).unwrap();
    assert_eq!(selected.weight, 7);
    assert_eq!(
        selected.rule.as_ref().unwrap().severity,
        Severity::Eliminatory
    );
    assert!(
        selected
            .justification
            .as_deref()
            .unwrap()
            .contains("schéma")
    );
    assert!(
        sel.plan.regularity.contains(&q.id),
        "an eliminatory rule makes the question a condition of regularity"
    );
    assert_eq!(selected.role, boussole::library::Role::Regularity);
    assert!(
        sel.plan.counted(&q.id).is_none(),
        "a condition of regularity is never scored"
    );
}

#[test]
fn rules_not_in_force_during_the_contract_are_not_scored() {
    let (lib, _) = default_selection();
    let dated = lib.questions.iter().find(|q| {
        q.rule.as_ref().is_some_and(|r| {
            r.from
                .is_some_and(|f| f.to_string().as_str() > "2026-12-01")
        })
    });
    let q = dated.expect("some obligation starts after December 2026");
    let (_, short) = resolve_with(|t| {
        t.replace("launch = 2026-12-01", "launch = 2026-09-01")
            .replace("offers_due = 2027-01-29", "offers_due = 2026-09-20")
            .replace("award_date = 2027-03-15", "award_date = 2026-10-01")
            .replace("contract_start = 2027-04-01", "contract_start = 2026-10-15")
            .replace("contract_months = 48", "contract_months = 1")
    });
    let selected = short.questions.iter().find(|x| x.id == q.id).unwrap();
    assert!(selected.rule.is_none(), "{} is asked but not scored", q.id);
    assert!(
        !short
            .plan
            .criteria
            .iter()
            .flat_map(|c| &c.questions)
            .any(|c| c.question == q.id)
    );
}

#[test]
fn the_plan_follows_the_profile_and_resolution_is_deterministic() {
    let (_, a) = default_selection();
    let (_, b) = default_selection();
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&b).unwrap()
    );
    assert_eq!(a.plan.compass_share, 40.0);
    let weights: f64 = a.plan.criteria.iter().map(|c| c.weight).sum();
    assert_eq!(weights, 100.0);
    let legal = a
        .plan
        .criteria
        .iter()
        .find(|c| c.criterion == "legal")
        .unwrap();
    // The default profile announces no minimum score: conformity is asked by
    // the conditions of regularity, not by a score.
    assert_eq!(legal.minimum, None);
    for q in a.plan.criteria.iter().flat_map(|c| &c.questions) {
        assert!(q.weight > 0);
    }
}

#[test]
fn every_example_answer_meets_its_rule_under_the_default_profile() {
    let (lib, sel) = default_selection();
    let facts = Profile::embedded().facts();
    let ctx = boussole::rule::Context {
        profile: &facts,
        lists: &lib.lists,
    };
    for q in &sel.questions {
        let source = lib.question(&q.id).unwrap();
        if q.example.is_empty() && q.rule.is_none() {
            continue; // a text with no published example and no rule
        }
        let value = boussole::answer::normalise(source.spec(), &q.example).unwrap();
        let passed = q
            .rule
            .as_ref()
            .is_none_or(|r| r.passes(&value, &ctx).unwrap());
        assert!(
            passed,
            "{}: the example {:?} fails its rule",
            q.id, q.example
        );
    }
}

#[test]
fn the_plan_scores_award_elements_only_each_on_a_scale() {
    let (_, sel) = default_selection();
    for q in &sel.questions {
        let counted = sel.plan.counted(&q.id);
        match q.role {
            boussole::library::Role::Award
                if q.weight > 0 && q.audience.contains(&boussole::library::Audience::Vendor) =>
            {
                assert!(counted.is_some(), "{} is an award element", q.id)
            }
            _ => assert!(counted.is_none(), "{} is not scored", q.id),
        }
    }
    let full: BTreeMap<String, scoring::Earned> = sel
        .plan
        .criteria
        .iter()
        .flat_map(|c| &c.questions)
        .map(|c| (c.question.clone(), scoring::Earned::Share(1.0)))
        .collect();
    let scores = scoring::score(&sel.plan, &full, &scoring::Batch::default());
    assert_eq!(scores.compass, 100.0);
    assert_eq!(scores.points, 40.0);
    assert!(scores.pending.is_empty() && scores.below_minimum.is_empty());
}

#[test]
fn a_profile_chooses_an_elements_scale_and_the_plan_applies_it() {
    let (_, sel) = resolve_with(|t| {
        t + "\n[[overrides]]\nquestion = \"SOB-01\"\nscale = { kind = \"linear\", zero = 400, full = 100 }\njustification = \"Valeurs observées lors du pilote.\"\n"
    });
    let counted = sel.plan.counted("SOB-01").unwrap();
    assert_eq!(
        counted.scale,
        scoring::Scale::Linear {
            zero: 400.0,
            full: 100.0
        }
    );
    let q = sel.questions.iter().find(|q| q.id == "SOB-01").unwrap();
    assert!(q.justification.as_deref().unwrap().contains("pilote"));
}
