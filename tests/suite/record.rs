//! After award: the algorithm's public record for the demo's winner — the
//! sheet owed to a person about a decision taken on the basis of the
//! algorithm and the entry of the public inventory — from its award
//! (written by `boussole award` from the demo's returned file) and the
//! project group's completed grid (filled by openpyxl, saved by
//! LibreOffice).

use std::path::{Path, PathBuf};
use std::process::Command;

use boussole::award::Award;
use boussole::office::typography;
use boussole::text::Lang;

use crate::support::{Run, boussole_in, fixture, pdf_text, python_has, root, soffice};

/// The demo's winner awarded in `dir`, as `engagements.json`.
fn awarded(dir: &Path) -> Award {
    let offer = fixture("demo/atelier-numerique-loire.xlsx");
    let run = boussole_in(
        dir,
        &["award", offer.to_str().unwrap(), "-o", "engagements.json"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_slice(&std::fs::read(dir.join("engagements.json")).unwrap()).unwrap()
}

/// `boussole record` in `dir` from `award`, with the demo's completed grid
/// when `grid`.
fn recorded(dir: &Path, award: &str, grid: bool, out: &str) -> Run {
    let grid_path = fixture("demo/grille-remplie.xlsx");
    let mut args = vec!["record", "--award", award, "-o", out];
    if grid {
        args.extend(["--grid", grid_path.to_str().unwrap()]);
    }
    boussole_in(dir, &args)
}

/// What the project group answered to `id` in the demo's grid, as typed.
fn grid_answer(id: &str) -> String {
    let read = boussole::response::read(&fixture("demo/grille-remplie.xlsx")).unwrap();
    read.rows
        .iter()
        .find(|r| r.id == id)
        .map(|r| r.answer.display())
        .unwrap()
}

/// The winner's words on `id`.
fn committed<'a>(award: &'a Award, id: &str) -> &'a boussole::award::Commitment {
    award.commitments.iter().find(|c| c.question == id).unwrap()
}

/// `text` as the French documents print it.
fn fr(text: &str) -> String {
    typography::apply(text, Lang::Fr)
}

/// `text` with its no-break spaces as plain ones (the checker's
/// normalised text, which the export carries, has plain spaces).
fn spaced(text: &str) -> String {
    text.replace(['\u{a0}', '\u{202f}'], " ")
}

fn schema_file() -> PathBuf {
    root().join("schema/register/registration-v0.3.1.schema.json")
}

#[test]
fn the_winners_sheet_draws_on_its_commitments_the_grid_and_the_profile() {
    let dir = tempfile::tempdir().unwrap();
    let award = awarded(dir.path());
    let run = recorded(dir.path(), "engagements.json", true, "fiche.md");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let md = std::fs::read_to_string(dir.path().join("fiche.md")).unwrap();
    assert!(md.starts_with(&fr("# Fiche d'information sur un traitement algorithmique")));
    // The law, with its scope: a decision taken on the basis of the algorithm.
    for article in [
        "L. 311-3-1",
        "R. 311-3-1-2",
        "L. 312-1-3",
        "décret n° 2016-1922",
    ] {
        assert!(md.contains(&fr(article)), "{article}");
    }
    assert!(md.contains(&fr(
        "Lorsqu'une décision individuelle est prise sur le fondement d'un traitement algorithmique"
    )));
    // The demo's profile says the system founds no individual decision: the
    // sheet says what the file declares and leaves the scope to legal staff.
    assert!(md.contains(&fr(
        "Le dossier de consultation ne déclare pas de décision individuelle prise sur le fondement de ce traitement"
    )));
    assert!(md.contains(&fr("les services juridiques apprécient")));
    // The four items of R. 311-3-1-2, in order.
    let at = |s: &str| md.find(&fr(s)).unwrap_or_else(|| panic!("{s}"));
    assert!(at("1° Degré et mode") < at("2° Données traitées"));
    assert!(
        at("2° Données traitées") < at("3° Paramètres")
            && at("3° Paramètres") < at("4° Opérations")
    );

    // The model is the one the winner committed to, not the one the project
    // group had in mind when it filled its grid.
    let model = &committed(&award, "LEG-05").answer;
    assert!(md.contains(&fr(model)));
    assert!(!md.contains(&fr(&grid_answer("LEG-05"))));
    assert!(md.contains(&award.vendor));
    // How results reach people: the winner's commitment, after its question.
    assert!(md.contains(&fr(&committed(&award, "PUB-05").answer)));
    // The purpose and what the processing prepares: the group's words.
    assert!(md.contains(&fr(&grid_answer("PUB-01"))));
    assert!(md.contains(&fr(&grid_answer("AGT-03"))));

    // Written for a member of the public: no question id, no hash, no path.
    for c in &award.commitments {
        assert!(!md.contains(&c.question), "{} printed", c.question);
    }
    for hidden in [
        award.digest.as_str(),
        award.offer_sha256.as_str(),
        "engagements.json",
        "grille-remplie",
        ".xlsx",
        "INSTR-",
    ] {
        assert!(!md.contains(hidden), "{hidden} printed");
    }

    // The same as a Word document, which LibreOffice opens.
    let run = recorded(dir.path(), "engagements.json", true, "fiche.docx");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = tempfile::tempdir().unwrap();
    if let Some(text) =
        soffice(&dir.path().join("fiche.docx"), "pdf", out.path()).and_then(|pdf| pdf_text(&pdf))
    {
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for s in [
            "Fiche d’information sur un traitement algorithmique",
            "Inscription à l’inventaire public des algorithmes",
            award.vendor.as_str(),
        ] {
            assert!(flat.contains(s), "{s} not in the PDF");
        }
    }
}

#[test]
fn the_register_entry_follows_the_standard_and_its_schema() {
    let dir = tempfile::tempdir().unwrap();
    let award = awarded(dir.path());
    let run = recorded(dir.path(), "engagements.json", true, "registre.json");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let entry: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("registre.json")).unwrap()).unwrap();
    let schema: serde_json::Value =
        serde_json::from_slice(&std::fs::read(schema_file()).unwrap()).unwrap();
    assert_eq!(
        entry["standard_version"],
        schema["properties"]["standard_version"]["const"]
    );
    assert_eq!(entry["lang"], "fr");
    // Filled from the award, the profile and the grid.
    assert_eq!(entry["name"], award.title.as_str());
    assert_eq!(
        entry["product_information"],
        committed(&award, "TRA-02").value
    );
    assert_eq!(
        spaced(entry["goal"].as_str().unwrap()),
        spaced(&grid_answer("PUB-01"))
    );
    let lib = boussole::library::load(None).unwrap();
    let profile = boussole::profile::load(None, &lib).unwrap().profile;
    assert_eq!(entry["organization"], profile.buyer.name.as_str());
    // Every attribute is one of the standard's.
    let props = schema["properties"].as_object().unwrap();
    for key in entry.as_object().unwrap().keys() {
        assert!(key == "missing" || props.contains_key(key), "{key}");
    }

    if !python_has(&["jsonschema"]) {
        return;
    }
    let validate = |file: &Path| {
        Command::new("python3")
            .arg(root().join("tests/scripts/validate_register.py"))
            .arg(schema_file())
            .arg(file)
            .output()
            .unwrap()
    };
    let checked = validate(&dir.path().join("registre.json"));
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stdout)
    );
    // The validation bites: a risk category outside the standard's list, a
    // required attribute neither given nor asked for.
    let mut wrong = entry.clone();
    wrong["risk_category"] = "moyen".into();
    wrong.as_object_mut().unwrap().remove("lawful_basis");
    wrong["missing"] = serde_json::json!([]);
    std::fs::write(dir.path().join("faux.json"), wrong.to_string()).unwrap();
    let checked = validate(&dir.path().join("faux.json"));
    let said = String::from_utf8_lossy(&checked.stdout);
    assert!(!checked.status.success());
    assert!(
        said.contains("risk_category") && said.contains("lawful_basis"),
        "{said}"
    );
}

#[test]
fn a_field_nothing_holds_is_asked_for_not_invented() {
    let dir = tempfile::tempdir().unwrap();
    awarded(dir.path());
    // Nothing holds the legal basis: asked of legal staff, left empty.
    let run = recorded(dir.path(), "engagements.json", true, "registre.json");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let entry: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("registre.json")).unwrap()).unwrap();
    let missing = entry["missing"].as_array().unwrap();
    assert_eq!(entry["lawful_basis"], "");
    assert!(missing.contains(&"lawful_basis".into()));
    // A typed field nothing holds is left out rather than given a value.
    assert!(entry.get("domain").is_none() && missing.contains(&"domain".into()));
    // Everything given is held by an input: nothing listed missing is filled.
    for m in missing {
        let v = &entry[m.as_str().unwrap()];
        assert!(v.is_null() || v == "", "{m} is both filled and missing");
    }
    let run = recorded(dir.path(), "engagements.json", true, "fiche.md");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let md = std::fs::read_to_string(dir.path().join("fiche.md")).unwrap();
    assert!(md.contains(&fr(
        "**Fondement juridique :** *À compléter par le service juridique : le fondement juridique"
    )));
    // The parameters applied to a person are never in the inputs: the
    // agent who handles the request completes them.
    assert!(md.contains(&fr("À compléter par l'agent qui traite la demande")));

    // Without the grid, what only the grid holds is asked for in turn.
    let run = recorded(dir.path(), "engagements.json", false, "sans-grille.json");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let bare: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("sans-grille.json")).unwrap())
            .unwrap();
    assert_eq!(bare["goal"], "");
    assert!(bare["missing"].as_array().unwrap().contains(&"goal".into()));
    let run = recorded(dir.path(), "engagements.json", false, "sans-grille.md");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let md = std::fs::read_to_string(dir.path().join("sans-grille.md")).unwrap();
    assert!(md.contains(&fr(
        "**Finalité :** *À compléter par le service utilisateur"
    )));
    assert!(!md.contains(&fr(&grid_answer("PUB-01"))));
}

#[test]
fn a_changed_unreadable_or_foreign_award_or_a_grid_that_is_none_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut award = awarded(dir.path());
    award.commitments[0].answer = "Oui".into();
    std::fs::write(
        dir.path().join("engagements-retouches.json"),
        serde_json::to_string_pretty(&award).unwrap(),
    )
    .unwrap();
    let run = recorded(dir.path(), "engagements-retouches.json", true, "fiche.docx");
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("engagements-retouches.json")
            && run.stderr.contains("no longer match their seal"),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("fiche.docx").exists(), "nothing written");

    std::fs::write(dir.path().join("pas-un-marche.json"), "{\"tender\": 1}").unwrap();
    let run = recorded(dir.path(), "pas-un-marche.json", false, "fiche.md");
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("pas-un-marche.json")
            && run
                .stderr
                .contains("is not an award written by `boussole award`"),
        "{}",
        run.stderr
    );
    // An award of another tender than the profile's.
    let other = crate::support::profile_with(dir.path(), |t| {
        t.replace(
            &format!("reference = \"{}\"", award.tender),
            "reference = \"2027-DN-001\"",
        )
    });
    let run = boussole_in(
        dir.path(),
        &[
            "record",
            "--award",
            "engagements.json",
            "-p",
            other.to_str().unwrap(),
            "-o",
            "fiche.md",
        ],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("engagements.json") && run.stderr.contains("2027-DN-001"),
        "{}",
        run.stderr
    );
    // A vendor's offer given as the project group's grid.
    let offer = fixture("demo/atelier-numerique-loire.xlsx");
    let run = boussole_in(
        dir.path(),
        &[
            "record",
            "--award",
            "engagements.json",
            "--grid",
            offer.to_str().unwrap(),
            "-o",
            "fiche.md",
        ],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("atelier-numerique-loire.xlsx")
            && run.stderr.contains("is not the project group's grid"),
        "{}",
        run.stderr
    );
    let run = recorded(dir.path(), "absent.json", false, "fiche.md");
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("absent.json"), "{}", run.stderr);
    assert!(!dir.path().join("fiche.md").exists(), "nothing written");
}

#[test]
fn a_profile_declaring_individual_decisions_makes_the_sheet_due_on_request() {
    let dir = tempfile::tempdir().unwrap();
    awarded(dir.path());
    let profile = crate::support::profile_with(dir.path(), |t| {
        t.replace(
            "individual_decisions = false",
            "individual_decisions = true",
        )
    });
    let grid = fixture("demo/grille-remplie.xlsx");
    let run = boussole_in(
        dir.path(),
        &[
            "record",
            "--award",
            "engagements.json",
            "--grid",
            grid.to_str().unwrap(),
            "-p",
            profile.to_str().unwrap(),
            "-o",
            "fiche.md",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let md = std::fs::read_to_string(dir.path().join("fiche.md")).unwrap();
    assert!(md.contains(&fr(
        "des décisions individuelles seront prises sur le fondement de ce traitement : la fiche est remise à toute personne concernée qui la demande"
    )));
    assert!(!md.contains(&fr("ne déclare pas de décision individuelle")));
    // The demo's tender did not ask the winner whether it explains each
    // result, nor the group whether decisions carry the mention: both are
    // asked for.
    assert!(md.contains(&fr(
        "**Explication de chaque résultat :** *À compléter par le service utilisateur"
    )));
    assert!(md.contains(&fr(
        "**Mention sur la décision :** *À compléter par le service juridique"
    )));
}
