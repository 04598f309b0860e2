//! After award: the awarded offer's answers recorded as the contract's
//! commitments, from the demo's returned files (filled by openpyxl, saved by
//! LibreOffice).

use boussole::award::Award;

use crate::support::{boussole_in, fixture};

fn awarded(dir: &std::path::Path, offer: &str, out: &str) -> crate::support::Run {
    let offer = fixture(&format!("demo/{offer}"));
    boussole_in(dir, &["award", offer.to_str().unwrap(), "-o", out])
}

#[test]
fn the_regular_offers_answers_become_its_sealed_commitments() {
    let dir = tempfile::tempdir().unwrap();
    let run = awarded(
        dir.path(),
        "atelier-numerique-loire.xlsx",
        "engagements.json",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let bytes = std::fs::read(dir.path().join("engagements.json")).unwrap();
    let award: Award = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(award.vendor, "Atelier Numérique Loire SAS");
    assert!(award.intact(), "the digest is that of the content");
    // The energy promised, in the question's unit, with its clauses and the
    // indicator reported each year.
    let energy = award
        .commitments
        .iter()
        .find(|c| c.question == "SOB-01")
        .unwrap();
    assert_eq!(energy.value, serde_json::json!(95.0));
    assert_eq!(energy.unit.as_deref(), Some("Wh"));
    assert!(energy.clauses.contains(&"SOB-C01".to_string()));
    assert!(energy.followup.is_some());
    // Every commitment serves a clause; none comes from an unanswered question.
    assert!(award.commitments.iter().all(|c| !c.clauses.is_empty()));
    assert!(
        award
            .commitments
            .iter()
            .all(|c| !c.answer.trim().is_empty())
    );

    // A baseline changed afterwards no longer matches its digest.
    let mut changed = award.clone();
    changed.commitments[0].answer = "Oui".into();
    assert!(!changed.intact());

    // The same offer gives the same bytes.
    let again = award_bytes(dir.path(), "atelier-numerique-loire.xlsx");
    assert_eq!(again, bytes);

    // For people: the same list, without the hash.
    let run = awarded(dir.path(), "atelier-numerique-loire.xlsx", "engagements.md");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let md = std::fs::read_to_string(dir.path().join("engagements.md")).unwrap();
    assert!(md.starts_with("# Engagements du titulaire — Atelier Numérique Loire SAS"));
    assert!(md.contains("| SOB-01 |"));
    assert!(!md.contains(&award.digest) && !md.contains(&award.offer_sha256));
}

fn award_bytes(dir: &std::path::Path, offer: &str) -> Vec<u8> {
    let run = awarded(dir, offer, "encore.json");
    assert_eq!(run.code, 0, "{}", run.stderr);
    std::fs::read(dir.join("encore.json")).unwrap()
}

#[test]
fn an_irregular_offer_or_one_to_regularise_cannot_be_awarded() {
    let dir = tempfile::tempdir().unwrap();
    for (offer, says) in [
        ("visiosurete.xlsx", "the offer is set aside"),
        ("petite-startup.ods", "the offer is to be regularised"),
    ] {
        let run = awarded(dir.path(), offer, "engagements.json");
        assert_eq!(run.code, 2, "{offer}");
        assert!(
            run.stderr.contains(offer) && run.stderr.contains(says),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("only a regular offer may be awarded"));
        assert!(
            !dir.path().join("engagements.json").exists(),
            "nothing written"
        );
    }
}
