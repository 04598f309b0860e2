//! The reports people read: the scoring workbook (`check --format xlsx`),
//! the legal-review loop (`check --decisions`) and the regularisation
//! letters (`check --format letters`), on vendors simulated by
//! `tests/scripts/`, inspected by openpyxl and opened by LibreOffice.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Map, Value, json};

use crate::support::*;
use boussole::questionnaire::lock::Lock;
use boussole::selection::SelectedQuestion;

/// 2027-01-15 08:00:00 UTC: every run of these tests is dated the same.
const EPOCH: &str = "1800000000";

/// A tender whose questionnaire has been issued in a temporary folder.
struct Tender {
    dir: tempfile::TempDir,
    lock: Lock,
}

fn tender() -> Option<Tender> {
    if !python_has(&["openpyxl"]) {
        return None;
    }
    let (dir, lock) = issue(&["questionnaire.xlsx"]);
    Some(Tender { dir, lock })
}

impl Tender {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn questions(&self) -> impl Iterator<Item = &SelectedQuestion> {
        self.lock
            .selection
            .questions_for(boussole::library::Audience::Vendor)
    }

    /// Every question answered as a careful vendor would, typed as text,
    /// documents cited.
    fn answers(&self) -> Map<String, Value> {
        self.questions()
            .map(|q| {
                (
                    q.id.clone(),
                    json!({ "answer": careful_text(q), "comment": "Voir annexe", "document": careful_document(q) }),
                )
            })
            .collect()
    }

    /// The id of the first unconditional yes/no question of this severity.
    fn yes_no(&self, severity: boussole::rule::Severity) -> &SelectedQuestion {
        self.questions()
            .find(|q| {
                q.answer_type == boussole::library::AnswerType::YesNo
                    && q.condition.is_none()
                    && q.rule.as_ref().is_some_and(|r| r.severity == severity)
            })
            .expect("the library has such a question")
    }

    /// The questionnaire filled by `vendor` with `answers` into `name`,
    /// its identity sheet complete.
    fn fill(&self, name: &str, vendor: &str, answers: Map<String, Value>) -> PathBuf {
        self.fill_leaving(name, vendor, answers, &[])
    }

    /// The questionnaire filled by `vendor` with `answers` into `name`,
    /// the identity fields labelled `empty` left empty.
    fn fill_leaving(
        &self,
        name: &str,
        vendor: &str,
        answers: Map<String, Value>,
        empty: &[&str],
    ) -> PathBuf {
        let mut identity = json!({
            "Raison sociale": vendor,
            "SIRET": "732 829 320 00074",
            "Adresse": "12 rue des Halles, 44000 Nantes",
            "Signataire (nom et prénom)": "Camille Martin",
            "Qualité du signataire": "Présidente",
            "Personne à contacter": "Camille Martin",
            "Courriel": "camille@example.com",
            "Date": {"date": "2027-01-20"},
        });
        for label in empty {
            identity.as_object_mut().unwrap().remove(*label);
        }
        let spec = json!({
            "questions_sheet": "Questionnaire",
            "identity_sheet": "Identité",
            "answer_column": 4,
            "identity": identity,
            "answers": answers,
        });
        let out = self.path(name);
        self.script(
            "fill_xlsx.py",
            &self.path("questionnaire.xlsx"),
            &out,
            &spec,
        );
        out
    }

    /// The Word questionnaire filled by `vendor` with every example, and
    /// `text` as the answer to `question`; `None` without python-docx.
    fn fill_docx(&self, name: &str, vendor: &str, question: &str, text: &str) -> Option<PathBuf> {
        if !python_has(&["docx"]) {
            return None;
        }
        let form = self.path("questionnaire.docx");
        if !form.exists() {
            let run = boussole_in(
                self.dir.path(),
                &["questionnaire", "-o", "questionnaire.docx"],
            );
            assert_eq!(run.code, 0, "{}", run.stderr);
        }
        let mut answers = self.answers();
        answers.insert(question.into(), json!({ "answer": text }));
        let spec = json!({
            "identity": [vendor, "732 829 320 00074", "Camille Martin", "camille@example.com", "2027-01-20"],
            "answers": answers,
        });
        let out = self.path(name);
        self.script("fill_docx.py", &form, &out, &spec);
        Some(out)
    }

    /// Runs `tests/scripts/SCRIPT IN OUT SPEC.json`.
    fn script(&self, script: &str, input: &Path, out: &Path, spec: &Value) {
        fill_script(script, input, out, spec);
    }

    /// `boussole check --lock … ARGS`, dated [`EPOCH`].
    fn check(&self, args: &[&str]) -> Run {
        let mut all = vec!["check", "--lock", "questionnaire.xlsx.boussole.lock"];
        all.extend(args);
        boussole_env(self.dir.path(), &all, &[("SOURCE_DATE_EPOCH", EPOCH)])
    }

    /// The JSON report of `check ARGS --format json`.
    fn json(&self, args: &[&str]) -> (i32, Value) {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        let run = self.check(&all);
        let report =
            serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stderr));
        (run.code, report)
    }

    /// The scoring workbook of `files` (and `extra` options) written to `name`.
    fn workbook(&self, name: &str, files: &[&str], extra: &[&str]) -> PathBuf {
        let mut args = files.to_vec();
        args.extend(["--format", "xlsx", "-o", name]);
        args.extend(extra);
        let run = self.check(&args);
        assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
        self.path(name)
    }

    /// Legal staff's decisions typed into `workbook` by openpyxl, saved as `name`.
    fn decide(&self, workbook: &Path, name: &str, spec: Value) -> PathBuf {
        let out = self.path(name);
        self.script("decide_xlsx.py", workbook, &out, &spec);
        out
    }
}

/// What openpyxl sees in a workbook (see `inspect_report_xlsx.py`).
fn inspect(path: &Path) -> Value {
    let out = Command::new("python3")
        .arg(root().join("tests/scripts/inspect_report_xlsx.py"))
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The rows of a sheet, each cell under its header.
fn rows(book: &Value, sheet: &str) -> Vec<Map<String, Value>> {
    let s = &book["sheet"][sheet];
    let header: Vec<String> = s["header"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap_or_default().to_string())
        .collect();
    s["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.as_array().unwrap().iter().cloned())
                .collect()
        })
        .collect()
}

/// The row of `question` for the file ending with `file` in the points sheet.
fn point<'a>(
    points: &'a [Map<String, Value>],
    question: &str,
    file: &str,
) -> &'a Map<String, Value> {
    points
        .iter()
        .find(|r| {
            r["Question"]["v"] == question && r["Fichier"]["v"].as_str().unwrap().ends_with(file)
        })
        .unwrap_or_else(|| panic!("no row for {question} {file}"))
}

const SHEETS: [&str; 6] = [
    "Synthèse",
    "Points à examiner",
    "Notation commission",
    "Détail",
    "Graphiques",
    "Provenance",
];

#[test]
fn the_workbook_has_its_sheets_a_decision_drop_down_filters_and_charts() {
    let Some(t) = tender() else { return };
    let bio = t.yes_no(boussole::rule::Severity::Eliminatory).id.clone();
    let mut spoiled = t.answers();
    spoiled.insert(bio.clone(), json!({ "answer": "Oui" }));
    let mut incomplete = t.answers();
    incomplete.remove("TRA-01");
    t.fill("good.xlsx", "Exemple IA SAS", t.answers());
    t.fill("bad.xlsx", "Biométrie SA", spoiled);
    t.fill("inc.xlsx", "Incomplet SARL", incomplete);
    let files = ["good.xlsx", "bad.xlsx", "inc.xlsx"];
    let (_, report) = t.json(&files);
    let book = inspect(&t.workbook("rapport.xlsx", &files, &[]));

    assert_eq!(book["sheets"], json!(SHEETS));
    assert_eq!(book["created"], "2027-01-15 08:00:00");
    let summary = rows(&book, "Synthèse");
    let verdicts: Vec<&Value> = summary.iter().map(|r| &r["Verdict"]["v"]).collect();
    // Irregular offers first, then those to regularise, then the ranking.
    assert_eq!(verdicts, ["non conforme", "incomplète", "conforme"]);
    let header: Vec<String> = book["sheet"]["Synthèse"]["header"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap().replace(['\u{a0}', '\u{202f}'], " "))
        .collect();
    // The rank and the verdict first, the points out of the announced
    // shares, where the row comes from last.
    let share = report["results"][0]["judgment"]["out_of"].as_f64().unwrap();
    assert_eq!(
        header[..5],
        [
            "Rang".to_string(),
            "Soumissionnaire".into(),
            "Verdict".into(),
            "Note boussole (sur 100)".into(),
            format!("Points (sur {share})")
        ]
    );
    assert_eq!(header[header.len() - 3..], ["SIRET", "Fichier", "SHA-256"]);
    let criteria: Vec<&String> = header
        .iter()
        .filter(|h| h.starts_with(char::is_numeric))
        .collect();
    // Criterion 1 is weighted 0 (conditions of regularity): no column.
    assert_eq!(criteria.len(), 6);
    let ranks: Vec<&Value> = summary.iter().map(|r| &r["Rang"]["v"]).collect();
    assert_eq!(ranks, ["écartée", "à régulariser", "1"]);
    assert_eq!(summary[2]["Rang"]["t"], "n", "a rank is a number");
    // The ranked offer's points, criterion by criterion, out of each
    // criterion's share, add up to its points out of the compass's share.
    let ranked = &summary[2];
    let number = |v: &Value| v["v"].as_str().unwrap().parse::<f64>().unwrap();
    let total = number(&ranked[&format!("Points (sur {share})")]);
    let mut sum = 0.0;
    let mut shares = 0.0;
    for h in &criteria {
        let key = book["sheet"]["Synthèse"]["header"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x.as_str().unwrap().replace(['\u{a0}', '\u{202f}'], " ") == **h)
            .unwrap()
            .as_str()
            .unwrap()
            .to_string();
        assert!(h.contains(" — points (sur "), "{h}");
        let out_of: f64 = h
            .rsplit("(sur ")
            .next()
            .unwrap()
            .trim_end_matches(')')
            .replace(',', ".")
            .parse()
            .unwrap();
        let points = number(&ranked[&key]);
        assert!(points <= out_of + 1e-9, "{h}: {points}");
        sum += points;
        shares += out_of;
    }
    assert!((sum - total).abs() < 0.01, "{sum} against {total}");
    assert!((shares - share).abs() < 0.01, "{shares} against {share}");

    let points = rows(&book, "Points à examiner");
    let findings: usize = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["findings"].as_array().unwrap().len())
        .sum();
    assert_eq!(points.len(), findings);
    assert_eq!(
        points[0]["Gravité"]["v"], "éliminatoire",
        "eliminatory findings first"
    );
    assert_eq!(
        point(&points, &bio, "bad.xlsx")["Réponse du soumissionnaire"]["v"],
        "Oui"
    );
    let sheet = &book["sheet"]["Points à examiner"];
    assert_eq!(sheet["freeze"], "B2");
    assert!(
        sheet["filter"].as_str().unwrap().starts_with("A1:"),
        "{}",
        sheet["filter"]
    );
    // The decision sits beside the finding it decides: after the vendor's
    // answer, the finding and its reason; the grounds come after it.
    let header: Vec<&str> = sheet["header"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap())
        .collect();
    let at = |h: &str| header.iter().position(|x| *x == h).unwrap();
    let decision = at("Décision");
    assert_eq!(
        header[decision - 3..decision],
        ["Réponse du soumissionnaire", "Constat", "Règle et motif"]
    );
    assert!(at("Base légale") > decision && at("Intitulé de la question") > decision);
    let letter = char::from(b'A' + u8::try_from(decision).unwrap());
    let last = points.len() + 1;
    let list = &sheet["validations"][0];
    assert_eq!(list["type"], "list");
    assert_eq!(
        list["formula1"],
        "\"constat levé,constat confirmé,précision demandée\""
    );
    assert_eq!(list["ranges"], json!([format!("{letter}2:{letter}{last}")]));
    assert_eq!(sheet["validations"][1]["type"], "date");
    assert!(
        sheet["conditional"].as_object().unwrap().len() >= 2,
        "{}",
        sheet["conditional"]
    );

    let detail = rows(&book, "Détail");
    assert_eq!(detail.len(), 3 * t.questions().count());
    // Every row of every table is as tall as its text: LibreOffice would
    // print wrapped text over the next rows otherwise.
    for name in ["Synthèse", "Points à examiner", "Détail", "Provenance"] {
        let sheet = &book["sheet"][name];
        let n = sheet["rows"].as_array().unwrap().len();
        let first = if name == "Provenance" { 3 } else { 2 };
        for row in first..=n + 1 {
            let height = sheet["heights"][row.to_string()].as_f64();
            assert!(
                height.is_some_and(|h| h >= 14.0),
                "{name} row {row}: {height:?}"
            );
        }
    }
    let heights = &book["sheet"]["Points à examiner"]["heights"];
    let tallest = heights
        .as_object()
        .unwrap()
        .values()
        .filter_map(Value::as_f64)
        .fold(0.0, f64::max);
    assert!(
        tallest > 29.0,
        "a finding's reason wraps onto several lines"
    );
    let charts = book["charts"].as_array().unwrap();
    assert_eq!(charts[0]["types"], json!(["radarChart"]));
    assert_eq!(
        charts[0]["series"], 2,
        "the irregular offer has no score to draw"
    );
    assert_eq!(charts[1]["types"], json!(["barChart"]));

    let pdf_dir = tempfile::tempdir().unwrap();
    if let Some(pdf) = soffice(&t.path("rapport.xlsx"), "pdf", pdf_dir.path()) {
        let Some(text) = pdf_text(&pdf) else { return };
        assert!(
            text.contains("Biométrie SA") && text.contains(&bio),
            "{text}"
        );
    }
}

#[test]
fn vendor_text_that_looks_like_a_formula_stays_text_even_after_libreoffice() {
    let Some(t) = tender() else { return };
    let bio = t.yes_no(boussole::rule::Severity::Eliminatory).id.clone();
    let mut answers = t.answers();
    answers.insert(bio.clone(), json!({ "answer": "Oui" }));
    let bad = t.fill("bad.xlsx", "Formules SA", answers);
    let hyperlink = r#"=HYPERLINK("http://x","y")"#;
    let cells = json!({
        "questions_sheet": "Questionnaire",
        "answer_column": 4,
        "cells": {
            bio.clone(): { "comment": hyperlink },
            "SOB-06": { "answer": "=1+1", "comment": "@SUM(1,2)" },
            "SOB-01": { "answer": "-1+2", "comment": "+33 1 23 45 67 89" },
        },
    });
    t.script("literal_xlsx.py", &bad, &bad, &cells);
    let book = inspect(&t.workbook("rapport.xlsx", &["bad.xlsx"], &[]));
    let expected = [
        (bio.as_str(), "Commentaire du soumissionnaire", hyperlink),
        ("SOB-06", "Réponse du soumissionnaire", "=1+1"),
        ("SOB-06", "Commentaire du soumissionnaire", "@SUM(1,2)"),
        ("SOB-01", "Réponse du soumissionnaire", "-1+2"),
        (
            "SOB-01",
            "Commentaire du soumissionnaire",
            "+33 1 23 45 67 89",
        ),
    ];
    let points = rows(&book, "Points à examiner");
    for (q, column, text) in expected {
        let c = &point(&points, q, "bad.xlsx")[column];
        assert_eq!(c["v"], text, "{q} {column}");
        assert_eq!(c["t"], "s", "{q} {column} is not a string: {c}");
        assert_eq!(c["quote"], true, "{q} {column} has no quote prefix");
    }

    let out = tempfile::tempdir().unwrap();
    let Some(resaved) = soffice(&t.path("rapport.xlsx"), "xlsx", out.path()) else {
        return;
    };
    let points = rows(&inspect(&resaved), "Points à examiner");
    for (q, column, text) in expected {
        let c = &point(&points, q, "bad.xlsx")[column];
        assert_eq!(
            (&c["v"], &c["t"]),
            (&json!(text), &json!("s")),
            "{q} {column} after LibreOffice"
        );
    }
    let pdf = soffice(&t.path("rapport.xlsx"), "pdf", out.path()).unwrap();
    if let Some(text) = pdf_text(&pdf) {
        assert!(
            text.contains(hyperlink),
            "the formula text is not printed as typed"
        );
    }
}

/// A 40,000-character answer can only come from Word (Excel, and openpyxl,
/// cut cells at 32,767); control characters from an XLSX escape
/// (`_x0001_`), which calamine decodes.
#[test]
fn a_huge_answer_and_control_characters_do_not_break_the_workbook() {
    let Some(t) = tender() else { return };
    let Some(huge) = t.fill_docx("huge.docx", "Bavard SA", "SOB-01", &"A".repeat(40_000)) else {
        return;
    };
    let mut answers = t.answers();
    answers.insert(
        "SOB-01".into(),
        json!({ "answer": "voir mémoire", "comment": "a_x0001_b\u{7f}c" }),
    );
    t.fill("ctrl.xlsx", "Contrôle SA", answers);
    let files = [huge.to_str().unwrap(), "ctrl.xlsx"];
    let (_, report) = t.json(&files);
    let sob = |i: usize| {
        report["results"][i]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["question"] == "SOB-01")
            .unwrap()
            .clone()
    };
    // Longer than a cell can hold: kept up to 32,767 characters as read,
    // warned about, shown cut at 2,000 with a mark.
    let question = report["results"][0]["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == "SOB-01")
        .unwrap()
        .clone();
    assert_eq!(question["raw"].as_str().unwrap().len(), 32_767);
    assert!(
        report["results"][0]["integrity"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["code"] == "text_cut" && i["question"] == "SOB-01"),
        "{}",
        report["results"][0]["integrity"]
    );
    let shown = sob(0)["answer"].as_str().unwrap().to_string();
    assert!(shown.starts_with(&"A".repeat(2_000)), "{shown}");
    assert!(
        shown.ends_with("le texte entier est dans l’offre)"),
        "{shown}"
    );
    assert!(
        sob(1)["comment"].as_str().unwrap().contains('\u{1}'),
        "{}",
        sob(1)["comment"]
    );

    let book = inspect(&t.workbook("rapport.xlsx", &files, &[]));
    let points = rows(&book, "Points à examiner");
    let shown_len = shown.chars().count();
    assert_eq!(
        point(&points, "SOB-01", "huge.docx")["Réponse du soumissionnaire"]["len"],
        shown_len
    );
    let detail = rows(&book, "Détail");
    let raw = detail
        .iter()
        .find(|r| {
            r["Question"]["v"] == "SOB-01"
                && r["Fichier"]["v"].as_str().unwrap().ends_with("huge.docx")
        })
        .unwrap();
    assert_eq!(raw["Réponse brute"]["len"], shown_len);
    let comment = &point(&points, "SOB-01", "ctrl.xlsx")["Commentaire du soumissionnaire"];
    assert_eq!(
        comment["v"], "ab\u{7f}c",
        "control characters XML forbids are removed"
    );

    let out = tempfile::tempdir().unwrap();
    for to in ["xlsx", "pdf"] {
        if soffice(&t.path("rapport.xlsx"), to, out.path()).is_none() {
            return;
        }
    }
}

#[test]
fn an_accepted_eliminatory_finding_no_longer_makes_the_offer_non_compliant() {
    let Some(t) = tender() else { return };
    let bio = t.yes_no(boussole::rule::Severity::Eliminatory).id.clone();
    let major = t.yes_no(boussole::rule::Severity::Major).clone();
    let mut answers = t.answers();
    answers.insert(
        bio.clone(),
        json!({ "answer": "Oui", "comment": "En option" }),
    );
    t.fill("bio.xlsx", "Biométrie SA", answers);
    let mut answers = t.answers();
    let other = if major.example == "Oui" { "Non" } else { "Oui" };
    answers.insert(major.id.clone(), json!({ "answer": other }));
    t.fill("major.xlsx", "Réserves SA", answers);
    let files = ["bio.xlsx", "major.xlsx"];
    let (code, before) = t.json(&files);
    assert_eq!(before["results"][0]["verdict"], "non_compliant");
    assert_eq!(code, 1);

    let workbook = t.workbook("rapport.xlsx", &files, &[]);
    let decided = t.decide(&workbook, "decide.xlsx", json!({
        "sheet": "Points à examiner",
        "reverse_rows": true,
        "insert_column": true,
        "decisions": [
            { "question": bio, "file": "bio.xlsx", "decision": "accepté", "reviewer": "C. Durand",
              "date": { "date": "2027-02-01" }, "comment": "Option désactivée par avenant" },
            { "question": major.id, "file": "major.xlsx", "decision": "rejeté", "reviewer": "C. Durand",
              "date": "03/02/2027" },
        ],
    }));
    let (code, after) = t.json(&[
        "bio.xlsx",
        "major.xlsx",
        "--decisions",
        decided.to_str().unwrap(),
    ]);
    let r = &after["results"][0];
    assert_eq!(r["verdict"], "compliant", "{}", r["findings"]);
    assert_eq!(r["before_decisions"]["verdict"], "non_compliant");
    assert_eq!(code, 0);
    assert_eq!(
        r["findings"][0]["decision"],
        json!({ "decision": "lifted", "reviewer": "C. Durand", "date": "2027-02-01", "comment": "Option désactivée par avenant" })
    );
    let m = &after["results"][1];
    assert_eq!(
        m["verdict"], before["results"][1]["verdict"],
        "a rejection changes nothing"
    );
    // Its score may move all the same: the offer now regular takes part in
    // the elements scored against the best offer of the batch.
    assert_eq!(m["judgment"]["standing"], "ranked");
    assert_eq!(m["findings"][0]["decision"]["decision"], "confirmed");
    assert_eq!(m["findings"][0]["decision"]["date"], "2027-02-03");
    assert!(m.get("before_decisions").is_none());
    assert_eq!(after["decisions"]["applied"], 2);
    assert_eq!(after["decisions"]["orphans"], json!([]));

    let next = inspect(&t.workbook("suite.xlsx", &files, &["--decisions", "decide.xlsx"]));
    let points = rows(&next, "Points à examiner");
    assert_eq!(
        point(&points, &bio, "bio.xlsx")["Décision"]["v"],
        "constat levé",
        "decisions carry over, typed « accepté » as in earlier workbooks"
    );
    let summary = rows(&next, "Synthèse");
    assert_eq!(summary[0]["Verdict"]["v"], "conforme");
    assert_eq!(summary[0]["Verdict avant décisions"]["v"], "non conforme");
    let text = t.check(&["bio.xlsx", "--decisions", "decide.xlsx"]).stdout;
    let line = (text.lines())
        .find(|l| l.contains("constat levé"))
        .unwrap_or_else(|| panic!("the decision applied named: {text}"));
    assert!(
        line.replace('\u{a0}', " ")
            .ends_with("C. Durand, le 1er février 2027"),
        "who took it and when, the date in words: {line}"
    );
}

#[test]
fn a_workbook_made_before_with_the_decision_after_the_legal_basis_still_reads() {
    let Some(t) = tender() else { return };
    let bio = t.yes_no(boussole::rule::Severity::Eliminatory).id.clone();
    let major = t.yes_no(boussole::rule::Severity::Major).clone();
    let mut answers = t.answers();
    answers.insert(bio.clone(), json!({ "answer": "Oui" }));
    let other = if major.example == "Oui" { "Non" } else { "Oui" };
    answers.insert(major.id.clone(), json!({ "answer": other }));
    t.fill("bio.xlsx", "Biométrie SA", answers);
    let workbook = t.workbook("rapport.xlsx", &["bio.xlsx"], &[]);
    // Legal staff decided in a workbook of the former layout, with the
    // former words: « accepté », « rejeté ».
    let decided = t.decide(&workbook, "ancien.xlsx", json!({
        "sheet": "Points à examiner",
        "former_layout": true,
        "decisions": [
            { "question": bio, "file": "bio.xlsx", "decision": "accepté", "reviewer": "C. Durand",
              "date": { "date": "2027-02-01" } },
            { "question": major.id, "file": "bio.xlsx", "decision": "rejeté", "reviewer": "C. Durand" },
        ],
    }));
    let former = inspect(&decided);
    let header = former["sheet"]["Points à examiner"]["header"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(header[11], "Décision", "the former layout: {header:?}");
    assert_eq!(header[10], "Base légale");

    let (_, report) = t.json(&["bio.xlsx", "--decisions", decided.to_str().unwrap()]);
    assert_eq!(report["decisions"]["applied"], 2, "{}", report["decisions"]);
    assert_eq!(report["decisions"]["warnings"], json!([]));
    let findings = report["results"][0]["findings"].as_array().unwrap();
    let decision = |q: &str| {
        findings.iter().find(|f| f["question"] == q).unwrap()["decision"]["decision"].clone()
    };
    assert_eq!(decision(&bio), "lifted");
    assert_eq!(decision(&major.id), "confirmed");
    // The next workbook says what happened to each finding, beside it.
    let next = inspect(&t.workbook("suite.xlsx", &["bio.xlsx"], &["--decisions", "ancien.xlsx"]));
    let points = rows(&next, "Points à examiner");
    assert_eq!(
        point(&points, &bio, "bio.xlsx")["Décision"]["v"],
        "constat levé"
    );
    assert_eq!(
        point(&points, &major.id, "bio.xlsx")["Décision"]["v"],
        "constat confirmé"
    );
}

#[test]
fn a_decision_whose_finding_is_gone_is_reported_not_dropped() {
    let Some(t) = tender() else { return };
    let bio = t.yes_no(boussole::rule::Severity::Eliminatory).id.clone();
    let mut answers = t.answers();
    answers.insert(bio.clone(), json!({ "answer": "Oui" }));
    answers.insert("SOB-06".into(), json!({ "answer": "voir mémoire" }));
    t.fill("bio.xlsx", "Biométrie SA", answers);
    let workbook = t.workbook("rapport.xlsx", &["bio.xlsx"], &[]);
    let decided = t.decide(&workbook, "decide.xlsx", json!({
        "sheet": "Points à examiner",
        "decisions": [
            { "question": bio, "file": "bio.xlsx", "decision": "accepté", "reviewer": "C. Durand" },
            { "question": "SOB-06", "file": "bio.xlsx", "decision": "peut-être" },
        ],
    }));
    t.fill("bio.xlsx", "Biométrie SA", t.answers()); // the vendor sends a new file
    let run = t.check(&[
        "bio.xlsx",
        "--decisions",
        decided.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let d = &report["decisions"];
    assert_eq!(d["applied"], 0);
    assert_eq!(d["orphans"].as_array().unwrap().len(), 1, "{d}");
    assert_eq!(d["orphans"][0]["question"], bio.as_str());
    assert_eq!(d["orphans"][0]["decision"]["reviewer"], "C. Durand");
    assert!(
        d["warnings"][0].as_str().unwrap().contains("peut-être"),
        "{d}"
    );
    assert!(
        run.stderr.contains(&format!("no finding {bio}")),
        "{}",
        run.stderr
    );
    let wrong = t.check(&["bio.xlsx", "--decisions", "questionnaire.xlsx"]);
    assert_eq!(wrong.code, 2, "a workbook with no points sheet is refused");
    assert!(
        wrong.stderr.contains("Points à examiner"),
        "{}",
        wrong.stderr
    );
    let book = inspect(&t.workbook("suite.xlsx", &["bio.xlsx"], &["--decisions", "decide.xlsx"]));
    let provenance = serde_json::to_string(&book["sheet"]["Provenance"]).unwrap();
    assert!(
        provenance.contains("Décision sans constat correspondant"),
        "{provenance}"
    );
}

#[test]
fn letters_go_to_incomplete_offers_only_and_list_every_missing_or_invalid_answer() {
    let Some(t) = tender() else { return };
    let bio = t.yes_no(boussole::rule::Severity::Eliminatory).id.clone();
    let mut spoiled = t.answers();
    spoiled.insert(bio, json!({ "answer": "Oui" }));
    spoiled.remove("TRA-01");
    // Regularity answers missing or unreadable may be regularised; an award
    // answer (PUB-03, SOB-01) may not: it is never asked for.
    let mut first = t.answers();
    first.remove("TRA-01");
    first.remove("PUB-03");
    first.insert("AGT-01".into(), json!({ "answer": "voir mémoire" }));
    first.insert("SOB-01".into(), json!({ "answer": "voir mémoire" }));
    let mut second = t.answers();
    second.insert("SOB-12".into(), json!({ "answer": "1,234" }));
    second["CYB-02"]["document"] = json!(null);
    t.fill("a-good.xlsx", "Exemple IA SAS", t.answers());
    t.fill("b-bio.xlsx", "Biométrie SA", spoiled);
    t.fill("c-first.xlsx", "Premier Incomplet", first);
    // The identity fields an offer must give may be asked for too: with
    // answers, or alone for an offer otherwise regular.
    let unsigned = ["Signataire (nom et prénom)", "Qualité du signataire"];
    t.fill_leaving("d-second.xlsx", "Second Incomplet", second, &unsigned);
    t.fill_leaving("e-address.xlsx", "Sans Adresse", t.answers(), &["Adresse"]);
    let files = [
        "a-good.xlsx",
        "b-bio.xlsx",
        "c-first.xlsx",
        "d-second.xlsx",
        "e-address.xlsx",
    ];
    let (_, report) = t.json(&files);
    let mut args = files.to_vec();
    args.extend(["--format", "letters", "-o", "lettres"]);
    let run = t.check(&args);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let mut names: Vec<String> = std::fs::read_dir(t.path("lettres"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "regularisation-03-premier-incomplet.docx",
            "regularisation-04-second-incomplet.docx",
            "regularisation-05-sans-adresse.docx"
        ]
    );

    let out = tempfile::tempdir().unwrap();
    let results = report["results"].as_array().unwrap();
    assert_eq!(results[4]["verdict"], "compliant", "{}", results[4]);
    for (name, result) in names.iter().zip(&results[2..]) {
        let Some(txt) = soffice(&t.path("lettres").join(name), "txt:Text", out.path()) else {
            return;
        };
        let text = std::fs::read_to_string(txt)
            .unwrap()
            .replace(['\u{a0}', '\u{202f}'], " ");
        assert!(
            text.contains("R. 2152-2") && text.contains(result["vendor"]["name"].as_str().unwrap()),
            "{text}"
        );
        // Dated from the report, the deadline the profile's days later,
        // signed by the profile's signatory: nothing left to fill in.
        let profile = &t.lock.profile;
        let days = profile.regularisation.days.unwrap();
        let dated: boussole::date::Date = "2027-01-15".parse().unwrap();
        // A deadline on a weekend or a public holiday moves to the next
        // working day.
        let due = dated
            .add_days(days)
            .next_french_working_day()
            .in_words(boussole::text::Lang::Fr);
        for words in [
            format!("le {}", dated.in_words(boussole::text::Lang::Fr)),
            format!("dans un délai de {days} jours"),
            format!("au plus tard le {due}"),
            profile.regularisation.signatory.clone().unwrap(),
            profile.regularisation.signatory_role.clone().unwrap(),
            profile.buyer.address[0].clone(),
        ] {
            assert!(text.contains(&words), "{name} lacks « {words} »: {text}");
        }
        assert!(!text.contains('['), "a placeholder is left: {text}");
        for g in result["judgment"]["grounds"].as_array().unwrap() {
            let id = g["about"].as_str().unwrap();
            assert!(text.contains(id), "{name} does not list {id}");
        }
        let lacks =
            |label: &str| text.contains(&format!("Identité\n{label}\nRenseignement manquant"));
        let wanted: &[&str] = match name.as_str() {
            n if n.contains("second") => &["Signataire (nom et prénom)", "Qualité du signataire"],
            n if n.contains("adresse") => &["Adresse"],
            _ => &[],
        };
        for label in [
            "Adresse",
            "Signataire (nom et prénom)",
            "Qualité du signataire",
        ] {
            assert_eq!(
                lacks(label),
                wanted.contains(&label),
                "{name}: identity field « {label} »: {text}"
            );
        }
        for award in ["PUB-03", "SOB-01"] {
            assert!(
                !text.contains(award),
                "{name} asks for the award answer {award}"
            );
        }
    }
    let again = t.check(&args);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    args.push("--force");
    assert_eq!(t.check(&args).code, 1);
}

#[test]
fn a_profile_without_the_buyers_address_gets_no_letter_and_the_other_reports_are_written() {
    let Some(t) = tender() else { return };
    let mut incomplete = t.answers();
    incomplete.remove("TRA-01");
    t.fill("incomplet.xlsx", "Premier Incomplet", incomplete);
    let without: String = boussole::profile::load::TEMPLATE
        .lines()
        .filter(|l| !l.starts_with("address = "))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(t.path("sans-adresse.toml"), without).unwrap();
    let check = |args: &[&str]| {
        let mut all = vec!["check", "-p", "sans-adresse.toml", "incomplet.xlsx"];
        all.extend(args);
        boussole_env(t.dir.path(), &all, &[("SOURCE_DATE_EPOCH", EPOCH)])
    };
    let run = check(&["--format", "letters", "-o", "lettres"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("sans-adresse.toml") && run.stderr.contains("buyer.address"),
        "the message names the file and the field: {}",
        run.stderr
    );
    let written = std::fs::read_dir(t.path("lettres")).map_or(0, |d| d.count());
    assert_eq!(written, 0, "no letter half filled in");
    // The batch goes on: the memo and the workbook are written.
    for out in ["note.docx", "rapport.xlsx"] {
        let run = check(&["-o", out]);
        assert_eq!(run.code, 1, "{out}: {}", run.stderr);
        assert!(std::fs::read(t.path(out)).unwrap().starts_with(b"PK"));
    }
}

#[test]
fn binary_formats_need_an_output_never_replace_a_file_and_follow_its_extension() {
    let Some(t) = tender() else { return };
    t.fill("good.xlsx", "Exemple IA SAS", t.answers());
    let run = t.check(&["good.xlsx", "--format", "xlsx"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("-o"), "{}", run.stderr);
    let run = t.check(&["good.xlsx", "-o", "rapport.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        std::fs::read(t.path("rapport.xlsx"))
            .unwrap()
            .starts_with(b"PK")
    );
    let run = t.check(&["good.xlsx", "-o", "rapport.xlsx"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("already exists"));
    let first = std::fs::read(t.path("rapport.xlsx")).unwrap();
    assert_eq!(
        t.check(&["good.xlsx", "-o", "rapport.xlsx", "--force"])
            .code,
        0
    );
    assert_eq!(
        first,
        std::fs::read(t.path("rapport.xlsx")).unwrap(),
        "the same batch gives the same bytes"
    );
}

#[test]
fn an_english_workbook_is_read_back_too() {
    let Some(t) = tender() else { return };
    let bio = t.yes_no(boussole::rule::Severity::Eliminatory).id.clone();
    let mut answers = t.answers();
    answers.insert(bio.clone(), json!({ "answer": "Oui" }));
    t.fill("bio.xlsx", "Biometrics Ltd", answers);
    let workbook = t.workbook("report.xlsx", &["bio.xlsx"], &["--lang", "en"]);
    let book = inspect(&workbook);
    assert_eq!(
        book["sheets"],
        json!([
            "Summary",
            "Points to examine",
            "Committee marks",
            "Detail",
            "Charts",
            "Provenance"
        ])
    );
    assert_eq!(
        book["sheet"]["Points to examine"]["validations"][0]["formula1"],
        "\"finding lifted,finding confirmed,clarification requested\""
    );
    let decided = t.decide(&workbook, "decided.xlsx", json!({
        "sheet": "Points to examine",
        "decisions": [{ "question": bio, "file": "bio.xlsx", "decision": "accepted", "reviewer": "J. Smith" }],
    }));
    let (_, report) = t.json(&["bio.xlsx", "--decisions", decided.to_str().unwrap()]);
    assert_eq!(report["results"][0]["verdict"], "compliant");
    assert_eq!(report["decisions"]["applied"], 1);
}
