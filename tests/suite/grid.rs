//! `boussole grid`: the project group's evaluation grid, filled by another
//! program, re-saved by LibreOffice, reviewed into an opinion; the yearly
//! follow-up sheets compared.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::support::*;
use boussole::library::{AnswerType, Audience};
use boussole::questionnaire::lock::Lock;
use boussole::selection::SelectedQuestion;

struct Grid {
    dir: tempfile::TempDir,
    lock: Lock,
}

fn grid() -> Option<Grid> {
    if !python_has(&["openpyxl"]) {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let run = boussole_in(dir.path(), &["grid", "-o", "grille.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lock = Lock::read(&dir.path().join("grille.xlsx.boussole.lock")).unwrap();
    Some(Grid { dir, lock })
}

fn typed(q: &SelectedQuestion) -> Value {
    let value = boussole::answer::normalise(q.spec(), &q.example).unwrap();
    match (q.answer_type, value) {
        (AnswerType::Number | AnswerType::Percent, boussole::answer::Value::Number(n)) => json!(n),
        (AnswerType::Date, boussole::answer::Value::Date(d)) => json!({ "date": d.to_string() }),
        _ => json!(q.example),
    }
}

impl Grid {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn good_answers(&self) -> serde_json::Map<String, Value> {
        self.lock
            .selection
            .questions_for(Audience::Internal)
            .map(|q| {
                (
                    q.id.clone(),
                    json!({ "answer": typed(q), "comment": "Instruit par le service numérique" }),
                )
            })
            .collect()
    }

    fn fill(
        &self,
        from: &str,
        name: &str,
        sheet: &str,
        answers: serde_json::Map<String, Value>,
    ) -> PathBuf {
        let mut spec = json!({ "questions_sheet": sheet, "answer_column": 4, "answers": answers });
        if from == "grille.xlsx" {
            spec["record_sheet"] = json!("Instruction");
            spec["record"] = json!({
                "INSTR-use_case": { "answer": "Aide à la rédaction des réponses aux usagers" },
                "INSTR-unions_informed": { "answer": "12/02/2027" },
                "INSTR-dpia": { "answer": "Réalisée le 01/03/2027" }
            });
        }
        let spec_path = self.path(&format!("{name}.json"));
        std::fs::write(&spec_path, spec.to_string()).unwrap();
        let out = self.path(name);
        let run = Command::new("python3")
            .arg(root().join("tests/scripts/fill_xlsx.py"))
            .args([self.path(from), out.clone(), spec_path])
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        out
    }

    fn review(&self, files: &[&Path]) -> Value {
        let lock = self.path("grille.xlsx.boussole.lock");
        let out = self.path("avis.json");
        let mut args = vec![
            "grid",
            "review",
            "--lock",
            lock.to_str().unwrap(),
            "--force",
            "-o",
            out.to_str().unwrap(),
        ];
        args.extend(files.iter().map(|f| f.to_str().unwrap()));
        let run = boussole_in(self.dir.path(), &args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap()
    }
}

fn opinion<'a>(review: &'a Value, criterion: &str) -> &'a Value {
    review["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["criterion"] == criterion)
        .unwrap()
}

#[test]
fn the_grid_asks_every_internal_question_with_opinions_and_a_record() {
    let Some(g) = grid() else { return };
    let read = boussole::response::read(&g.path("grille.xlsx")).unwrap();
    assert!(read.rows.len() >= 80, "{} questions", read.rows.len());
    let asked: Vec<&str> = g.lock.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(
        read.rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        asked
    );
    let opinions = read
        .extras
        .iter()
        .filter(|r| r.id.starts_with("AVIS-"))
        .count();
    assert_eq!(opinions, 7);
    assert_eq!(
        read.extras
            .iter()
            .filter(|r| r.id.starts_with("INSTR-"))
            .count(),
        boussole::grid::record().len()
    );
    let sheet = zip_entry(&g.path("grille.xlsx"), "xl/worksheets/sheet3.xml");
    assert!(
        sheet.contains("<dataValidation"),
        "the opinion and answer cells carry drop-downs"
    );
    let docx = boussole_in(g.dir.path(), &["grid", "-o", "grille.docx"]);
    assert_eq!(docx.code, 0, "{}", docx.stderr);
    let read = boussole::response::read(&g.path("grille.docx")).unwrap();
    assert_eq!(read.rows.len(), asked.len());
    let extras = |prefix: &str| {
        read.extras
            .iter()
            .filter(|r| r.id.starts_with(prefix))
            .count()
    };
    assert_eq!(extras("AVIS-"), 7);
    // The instruction record's ids, and its header's « ID », are hidden
    // text: still read back.
    assert_eq!(extras("INSTR-"), boussole::grid::record().len());
}

#[test]
fn a_good_case_re_saved_by_libreoffice_gets_no_unfavourable_opinion() {
    let Some(g) = grid() else { return };
    let filled = g.fill("grille.xlsx", "bon.xlsx", "Questionnaire", g.good_answers());
    let out = tempfile::tempdir().unwrap();
    let file = soffice(&filled, "xlsx", out.path()).unwrap_or(filled);
    let review = g.review(&[&file]);
    for c in review["criteria"].as_array().unwrap() {
        assert_eq!(c["proposal"], "favourable", "{c}");
        assert!(c.get("group").is_some_and(Value::is_null));
    }
    let use_case = review["record"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["item"] == "use_case")
        .unwrap();
    assert_eq!(
        use_case["answer"],
        "Aide à la rédaction des réponses aux usagers"
    );
    assert_eq!(review["followup"]["reviews"].as_array().unwrap().len(), 5);
    assert!(
        !review["followup"]["indicators"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_biometric_use_is_unfavourable_and_the_group_cannot_lift_it() {
    let Some(g) = grid() else { return };
    let mut answers = g.good_answers();
    answers.insert("BIO-01".into(), json!({ "answer": "Oui" }));
    answers.insert(
        "AVIS-biometrics".into(),
        json!({ "answer": "Favorable", "comment": "Usage limité" }),
    );
    answers.insert(
        "AVIS-legal".into(),
        json!({ "answer": "Favorable avec conditions", "comment": "AIPD à compléter" }),
    );
    let review = g.review(&[&g.fill("grille.xlsx", "bio.xlsx", "Questionnaire", answers)]);
    let bio = opinion(&review, "biometrics");
    assert_eq!(bio["proposal"], "unfavourable");
    assert_eq!(bio["group"], "favourable");
    assert_eq!(bio["disagreement"], true);
    assert_eq!(
        bio["retained"], "unfavourable",
        "criterion 1 cannot be overridden"
    );
    assert_eq!(bio["eliminatory"], json!(["BIO-01"]));
    let legal = opinion(&review, "legal");
    assert_eq!(
        legal["retained"], "favourable_with_conditions",
        "the group's opinion prevails elsewhere"
    );
    assert_eq!(legal["reasons"], "AIPD à compléter");
}

#[test]
fn an_incomplete_grid_is_not_favourable() {
    let Some(g) = grid() else { return };
    let review = g.review(&[&g.path("grille.xlsx")]);
    for c in review["criteria"].as_array().unwrap() {
        assert_eq!(c["proposal"], "not_assessed", "{c}");
    }
    let mut answers = g.good_answers();
    answers.remove("AGT-01");
    let review = g.review(&[&g.fill("grille.xlsx", "partiel.xlsx", "Questionnaire", answers)]);
    let agents = opinion(&review, "working_conditions");
    assert_eq!(agents["proposal"], "favourable_with_conditions");
    assert!(
        agents["conditions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["question"] == "AGT-01")
    );
}

#[test]
fn two_yearly_follow_up_sheets_compare_and_every_document_opens() {
    let Some(g) = grid() else { return };
    for year in ["1", "2"] {
        let run = boussole_in(
            g.dir.path(),
            &[
                "grid",
                "--followup",
                year,
                "-o",
                &format!("suivi-{year}.xlsx"),
            ],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let indicators: Vec<String> = g
        .lock
        .selection
        .questions
        .iter()
        .filter(|q| q.followup.is_some())
        .map(|q| q.id.clone())
        .collect();
    let values = |v: f64| {
        indicators
            .iter()
            .map(|id| (id.clone(), json!({ "answer": v })))
            .collect::<serde_json::Map<_, _>>()
    };
    let first = g.fill(
        "suivi-1.xlsx",
        "suivi-1-rempli.xlsx",
        "Suivi année 1",
        values(10.0),
    );
    let second = g.fill(
        "suivi-2.xlsx",
        "suivi-2-rempli.xlsx",
        "Suivi année 2",
        values(8.5),
    );
    let filled = g.fill("grille.xlsx", "bon.xlsx", "Questionnaire", g.good_answers());
    let review = g.review(&[&filled, &second, &first]);
    let evolution = review["evolution"].as_array().unwrap();
    assert_eq!(evolution.len(), indicators.len());
    assert_eq!(
        evolution[0]["values"],
        json!([{ "year": 1, "value": 10.0, "raw": "10" }, { "year": 2, "value": 8.5, "raw": "8.5" }])
    );
    let lock = g.path("grille.xlsx.boussole.lock");
    for name in ["avis.docx", "avis.md"] {
        let run = boussole_in(
            g.dir.path(),
            &[
                "grid",
                "review",
                "--lock",
                lock.to_str().unwrap(),
                "-o",
                name,
                filled.to_str().unwrap(),
                first.to_str().unwrap(),
                second.to_str().unwrap(),
            ],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let md = std::fs::read_to_string(g.path("avis.md")).unwrap();
    assert!(md.contains("Évolution des indicateurs"), "{md}");
    // The overall opinion first, the signatures last, no command line.
    let (overall, per_criterion) = (
        md.find("## Avis d’ensemble").expect("an overall opinion"),
        md.find("## Avis par critère").unwrap(),
    );
    assert!(overall < per_criterion);
    assert!(md.contains("Avis proposé à la validation"), "{md}");
    let signatures = md.find("## Date et signatures").expect("signatures");
    assert!(signatures > per_criterion);
    assert!(md[signatures..].contains("Pour le groupe projet, sa présidence"));
    assert!(md[signatures..].contains("Pour la validation politique"));
    assert!(!md.contains("boussole grid") && !md.contains("--followup"));
    let media = zip_entries(&g.path("avis.docx"))
        .into_iter()
        .filter(|n| n.starts_with("word/media/"))
        .collect::<Vec<_>>();
    assert!(
        media.iter().any(|n| n.ends_with(".png")),
        "the evolution chart is a picture in the DOCX: {media:?}"
    );
    let out = tempfile::tempdir().unwrap();
    assert_eq!(
        boussole_in(g.dir.path(), &["grid", "-o", "grille.docx"]).code,
        0
    );
    for (name, expected) in [
        ("avis.docx", "Avis par critère"),
        ("grille.docx", "Grille d’évaluation interne"),
    ] {
        if let Some(text) = soffice(&g.path(name), "pdf", out.path()).and_then(|pdf| pdf_text(&pdf))
        {
            assert!(
                text.contains(expected),
                "{name}: {}",
                &text[..text.len().min(400)]
            );
            // The row ids the grid is read back by are kept, not printed.
            for id in ["AVIS-", "INSTR-"] {
                assert!(!text.contains(id), "{name} prints {id}…");
            }
        }
    }
    let read = boussole::response::read(&g.path("grille.docx")).unwrap();
    assert_eq!(read.extras.len(), 7 + boussole::grid::record().len());
}
