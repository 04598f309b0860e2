//! `boussole demo`: the newcomer's first run, on embedded data.

use crate::support::*;
use boussole::demo;

#[test]
fn the_demo_writes_the_whole_journey_with_the_expected_verdicts() {
    let dir = tempfile::tempdir().unwrap();
    let run = boussole_in(dir.path(), &["demo", "d"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let d = dir.path().join("d");
    for f in [
        "LISEZ-MOI.md",
        "profil.toml",
        "annexe.docx",
        "annexe.md",
        "questionnaire.xlsx",
        "questionnaire.docx",
        "questionnaire.xlsx.boussole.lock",
        "rapport.json",
        "rapport.md",
        "rapport.xlsx",
        "note-juridique.docx",
        "comparaison.xlsx",
        "comparaison.docx",
        "comparaison.md",
        "grille/grille.xlsx",
        "grille/grille-remplie.xlsx",
        "grille/avis.docx",
        "grille/avis.md",
        "grille/suivi-annee-1.xlsx",
        "suivi/engagements.json",
        "suivi/engagements.md",
        "suivi/rapport-annee-1.xlsx",
        "suivi/rapport-annee-2-a-remplir.xlsx",
        "suivi/suivi-execution.docx",
        "suivi/suivi-execution.md",
        "suivi/fiche-algorithme.docx",
        "suivi/fiche-algorithme.md",
    ] {
        assert!(d.join(f).is_file(), "{f} is missing");
    }
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("rapport.json")).unwrap()).unwrap();
    let verdict = |file: &str| {
        let r = report["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["file"].as_str().unwrap().ends_with(file))
            .unwrap();
        r["verdict"].as_str().unwrap().to_string()
    };
    assert_eq!(verdict("atelier-numerique-loire.xlsx"), "compliant");
    assert_eq!(verdict("visiosurete.xlsx"), "non_compliant");
    assert_eq!(
        verdict("global-cloud-ai.xlsx"),
        "compliant_with_reservations"
    );
    assert_eq!(verdict("petite-startup.ods"), "incomplete");
    // The vendors' own files (a bill of materials is JSON) aside.
    let json_files = walk(&d)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter(|p| !p.starts_with(d.join("reponses")))
        .count();
    assert_eq!(
        json_files, 2,
        "rapport.json and the sealed commitments are the demo's only JSON files"
    );
    // The winner's first year: its report was written for these very
    // commitments, and the energy figure above the promise is found.
    let followup = std::fs::read_to_string(d.join("suivi/suivi-execution.md")).unwrap();
    assert!(followup.contains("## Année 1"), "{followup}");
    assert!(
        !followup.contains("préparé pour d'autres engagements"),
        "{followup}"
    );
    assert!(
        followup.contains("98\u{a0}Wh pour l'année, au-dessus de la valeur donnée dans l'offre"),
        "{followup}"
    );
    assert!(
        d.join("reponses/global-cloud-ai/nomenclature-ia.cdx.json")
            .is_file()
    );
    assert!(
        d.join("reponses/atelier-numerique-loire/emissions.csv")
            .is_file()
    );
    assert_eq!(
        std::fs::read_dir(d.join("lettres")).unwrap().count(),
        1,
        "one letter, to the incomplete vendor"
    );
    assert!(
        run.stdout.contains("non conforme") && run.stdout.contains("LISEZ-MOI.md"),
        "{}",
        run.stdout
    );
    let again = boussole_in(dir.path(), &["demo", "d"]);
    assert_eq!(
        again.code, 2,
        "an existing demo folder is not overwritten without --force"
    );
    assert_eq!(boussole_in(dir.path(), &["demo", "d", "--force"]).code, 0);
}

#[test]
fn every_file_of_the_demo_opens_in_libreoffice() {
    let dir = tempfile::tempdir().unwrap();
    // 2027-01-15, 08:00 UTC.
    let dated = [("SOURCE_DATE_EPOCH", "1800000000")];
    assert_eq!(boussole_env(dir.path(), &["demo", "d"], &dated).code, 0);
    let out = tempfile::tempdir().unwrap();
    // The letter, as LibreOffice prints it, is dated, has its deadline and
    // is signed, all from the demo's profile.
    let path = dir.path().join("d/profil.toml");
    let profile =
        boussole::profile::load::parse(&path, &std::fs::read_to_string(&path).unwrap()).unwrap();
    let letters = dir.path().join("d/lettres");
    let letter = std::fs::read_dir(&letters)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    if let Some(text) = soffice(&letter, "pdf", out.path()).and_then(|pdf| pdf_text(&pdf)) {
        let text = text.replace(['\u{a0}', '\u{202f}'], " ");
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let reg = &profile.regularisation;
        let days = reg.days.unwrap();
        let due: boussole::date::Date = "2027-01-15".parse().unwrap();
        let due = due.add_days(days).in_words(boussole::text::Lang::Fr);
        for words in [
            format!("{days} jours"),
            format!("au plus tard le {due}"),
            reg.signatory.clone().unwrap(),
            reg.signatory_role.clone().unwrap(),
            profile.buyer.address.join(" "),
            "Nantes, le 15 janvier 2027".to_string(),
        ] {
            assert!(
                flat.contains(&words),
                "the letter lacks « {words} »: {flat}"
            );
        }
    }
    for file in walk(&dir.path().join("d")) {
        let office = file
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| ["docx", "xlsx", "ods"].contains(&e));
        if !office {
            continue;
        }
        let Some(pdf) = soffice(&file, "pdf", out.path()) else {
            return;
        };
        assert!(
            std::fs::metadata(&pdf).unwrap().len() > 1000,
            "{}",
            file.display()
        );
        std::fs::remove_file(pdf).unwrap();
    }
}

#[test]
fn the_embedded_returns_were_made_from_the_embedded_library() {
    let hash = boussole::library::load(None).unwrap().hash;
    for f in demo::OFFERS
        .iter()
        .chain([&demo::GRID, &demo::YEARLY_REPORT])
    {
        let read = boussole::response::read::read_bytes(f.bytes).unwrap();
        let made_with = read
            .metadata
            .as_ref()
            .and_then(|m| m.values.get("library_hash"))
            .cloned()
            .unwrap_or_default();
        assert!(
            made_with == hash,
            "{} was made with library {made_with}, the embedded one is {hash}: run tests/scripts/make_demo_fixtures.sh",
            f.path
        );
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p))
        } else {
            out.push(p)
        }
    }
    out.sort();
    out
}
