//! The embedded library: the compass's content and the export contract.

use std::collections::BTreeSet;

use crate::support::*;
use boussole::library::{self, Audience, CRITERIA, LegalStatus, export};
use boussole::profile::Profile;
use boussole::rule::Severity;
use boussole::selection;

fn keys(v: &serde_json::Value) -> BTreeSet<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn export_gives_the_contract_with_80_questions_over_7_criteria() {
    let run = boussole(&["library", "export"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        keys(&doc),
        set(&[
            "version",
            "hash",
            "criteria",
            "themes",
            "lists",
            "clauses",
            "questions",
            "yearly"
        ])
    );
    assert_eq!(doc["hash"].as_str().unwrap().len(), 64);
    let ids: Vec<&str> = doc["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, CRITERIA);
    for c in doc["criteria"].as_array().unwrap() {
        for f in ["title", "summary"] {
            assert_eq!(keys(&c[f]), set(&["fr", "en"]));
        }
    }
    let questions = doc["questions"].as_array().unwrap();
    assert!(questions.len() >= 80, "{} questions", questions.len());
    let q = &questions[0];
    for field in [
        "id",
        "criterion",
        "themes",
        "audience",
        "text",
        "help",
        "answer_type",
        "unit",
        "choices",
        "required",
        "weight",
        "example",
        "when",
        "followup",
        "clauses",
        "legal",
        "rule",
    ] {
        assert!(q.get(field).is_some(), "questions lack `{field}`");
    }
    assert!(q["audience"].is_array());
    for field in ["kind", "severity"] {
        assert!(q["rule"].get(field).is_some(), "rules lack `{field}`");
    }
    let c = &doc["clauses"][0];
    for field in [
        "id",
        "criterion",
        "part",
        "title",
        "text",
        "when",
        "questions",
        "legal",
    ] {
        assert!(c.get(field).is_some(), "clauses lack `{field}`");
    }
    let themes: BTreeSet<String> = doc["themes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().into())
        .collect();
    assert!(themes.is_superset(&set(&[
        "transparency",
        "sobriety",
        "sovereignty",
        "reversibility"
    ])));
}

#[test]
fn the_committed_schema_is_the_one_the_code_generates() {
    let committed = std::fs::read_to_string(root().join("schema/library.schema.json")).unwrap();
    assert!(
        committed == export::schema(),
        "schema/library.schema.json is out of date: run `cargo run -- library export --schema -o schema/library.schema.json --force`"
    );
    let run = boussole(&["library", "export", "--schema"]);
    assert_eq!(run.stdout, committed);
}

#[test]
fn the_export_fields_are_all_described_by_the_schema() {
    let schema: serde_json::Value = serde_json::from_str(&export::schema()).unwrap();
    let defs = &schema["$defs"];
    let lib = library::load(None).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&export::to_json(&lib)).unwrap();
    for (def, sample) in [
        ("Question", &doc["questions"][0]),
        ("Clause", &doc["clauses"][0]),
        ("Criterion", &doc["criteria"][0]),
    ] {
        let described: BTreeSet<String> = keys(&defs[def]["properties"]);
        assert_eq!(keys(sample), described, "{def}");
    }
    assert_eq!(keys(&doc), keys(&schema["properties"]));
}

#[test]
fn every_criterion_has_six_questions_and_three_clauses() {
    let lib = library::load(None).unwrap();
    for c in CRITERIA {
        let q = lib.questions.iter().filter(|q| q.criterion == c).count();
        let k = lib.clauses.iter().filter(|x| x.criterion == c).count();
        assert!(q >= 6, "{c}: {q} questions");
        assert!(k >= 3, "{c}: {k} clauses");
    }
    let vendor = lib
        .questions
        .iter()
        .filter(|q| q.asks(Audience::Vendor))
        .count();
    assert!(vendor >= 50, "{vendor} vendor questions");
}

#[test]
fn under_the_default_profile_50_vendor_and_80_internal_questions_apply() {
    let lib = library::load(None).unwrap();
    let sel = selection::resolve(&lib, &Profile::embedded());
    let vendor = sel.questions_for(Audience::Vendor).count();
    let internal = sel.questions_for(Audience::Internal).count();
    assert!(vendor >= 50, "{vendor} vendor questions apply");
    assert!(
        internal >= 80,
        "{internal} internal-or-both questions apply"
    );
}

#[test]
fn criterion_1_is_eliminatory_with_no_exception() {
    let lib = library::load(None).unwrap();
    let bio: Vec<_> = lib
        .questions
        .iter()
        .filter(|q| q.criterion == "biometrics")
        .collect();
    assert!(bio.len() >= 6);
    for q in bio {
        // A required document has no rule; every other question's is eliminatory.
        if q.requires_document() {
            continue;
        }
        assert_eq!(
            q.rule.as_ref().unwrap().severity,
            Severity::Eliminatory,
            "{}",
            q.id
        );
    }
}

#[test]
fn sovereignty_and_reversibility_carry_major_rules_and_nationality_stays_major_at_most() {
    let lib = library::load(None).unwrap();
    for theme in ["sovereignty", "reversibility"] {
        assert!(
            lib.questions
                .iter()
                .any(|q| q.themes.iter().any(|t| t == theme)
                    && q.rule
                        .as_ref()
                        .is_some_and(|r| r.severity >= Severity::Major)),
            "no major rule tagged {theme}"
        );
    }
    let jurisdiction: Vec<_> = lib.questions.iter().filter(|q| q.jurisdiction).collect();
    assert!(!jurisdiction.is_empty());
    for q in jurisdiction {
        assert!(
            q.rule
                .as_ref()
                .is_none_or(|r| r.severity <= Severity::Major),
            "{}",
            q.id
        );
        assert_ne!(q.role(), library::Role::Regularity, "{}", q.id);
    }
    for id in ["SOV-01", "SOV-02"] {
        let q = lib.question(id).unwrap();
        assert_eq!(
            q.role(),
            library::Role::Information,
            "{id}: the operator's seat or shareholding is never scored"
        );
        assert!(q.rule.is_none() && q.weight == 0, "{id}");
    }
}

#[test]
fn every_clause_is_verified_and_every_text_is_bilingual() {
    let lib = library::load(None).unwrap();
    for c in &lib.clauses {
        assert!(!c.questions.is_empty(), "{}", c.id);
        assert!(
            c.text.missing().is_empty() && c.title.missing().is_empty(),
            "{}",
            c.id
        );
    }
    for q in &lib.questions {
        assert!(
            q.text.missing().is_empty() && q.help.missing().is_empty(),
            "{}",
            q.id
        );
    }
}

#[test]
fn documents_print_only_verified_legal_references() {
    let lib = library::load(None).unwrap();
    let total_to_verify = lib
        .questions
        .iter()
        .flat_map(|q| &q.legal)
        .filter(|r| r.status == LegalStatus::ToVerify)
        .count();
    assert!(
        total_to_verify > 0,
        "the library marks uncertain references"
    );
    let sel = selection::resolve(&lib, &Profile::embedded());
    for r in sel
        .questions
        .iter()
        .flat_map(|q| &q.legal)
        .chain(sel.clauses.iter().flat_map(|c| &c.legal))
    {
        assert_eq!(r.status, LegalStatus::Verified, "{}", r.text);
    }
}

#[test]
fn the_content_hash_follows_the_content_not_the_comments() {
    let lib = library::load(None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("clauses"), dir.path());
    let path = dir.path().join("sobriety.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("# a comment\n{text}")).unwrap();
    assert_eq!(library::load(Some(dir.path())).unwrap().hash, lib.hash);
    std::fs::write(
        &path,
        text.replacen("[criterion]", "[criterion]\n# unchanged", 1),
    )
    .unwrap();
    assert_eq!(library::load(Some(dir.path())).unwrap().hash, lib.hash);
    let index = dir.path().join("library.toml");
    let text = std::fs::read_to_string(&index).unwrap();
    std::fs::write(
        &index,
        text.replacen(
            "title = { fr = \"Sobriété\"",
            "title = { fr = \"Sobriété numérique\"",
            1,
        ),
    )
    .unwrap();
    assert_ne!(library::load(Some(dir.path())).unwrap().hash, lib.hash);
}
