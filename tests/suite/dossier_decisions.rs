//! Legal staff's decisions kept in a dossier, taken up by the command
//! line: the demo's offers received in a dossier, a decision recorded in
//! it as the review page records it, then `boussole check --dossier NAME`
//! judges the offers with the decision in force — on the offer's version
//! it was taken on only —, and its summary and memo name each decision,
//! the reviewer and who recorded it when.

use std::path::Path;

use boussole::date::Date;
use boussole::dossier::{Decided, Store};
use boussole::text::Lang;
use serde_json::Value;

use crate::dossier::{consultation, dossier};
use crate::reports_memo::docx_text;
use crate::support::{Run, boussole_env, fill_script, pdf_text, python_has, soffice};

const NAME: &str = "ia-accueil-2027";

/// `boussole check --dossier NAME --data DATA ARGS` in `dir`, as `ana`.
fn check(dir: &Path, data: &Path, args: &[&str]) -> Run {
    let mut all = vec!["check", "--dossier", NAME, "--data", data.to_str().unwrap()];
    all.extend_from_slice(args);
    boussole_env(dir, &all, &[("USER", "ana"), ("USERNAME", "ana")])
}

/// The report `check --dossier` writes to `file`.
fn report(dir: &Path, data: &Path, file: &str) -> Value {
    let run = check(dir, data, &["-o", file, "--force"]);
    assert!(run.code <= 1, "{}", run.stderr);
    serde_json::from_slice(&std::fs::read(dir.join(file)).unwrap()).unwrap()
}

/// The result of the offer `file` in `report`.
fn offer<'a>(report: &'a Value, file: &str) -> &'a Value {
    report["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["file"] == file)
        .unwrap_or_else(|| panic!("{file} in the report"))
}

/// A decision on the finding `f` of the offer `r`, as the page keeps it.
fn on(r: &Value, f: &Value, decision: &str, reviewer: &str, note: &str) -> Decided {
    let text = |v: &Value| v.as_str().unwrap().to_string();
    Decided {
        at: String::new(),
        who: String::new(),
        reviewer: reviewer.into(),
        offer: text(&r["file"]),
        sha256: text(&r["sha256"]),
        question: text(&f["question"]),
        code: text(&f["code"]),
        decision: decision.into(),
        note: note.into(),
    }
}

#[test]
fn a_decision_kept_in_the_dossier_judges_the_offer_it_was_taken_on_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let (data, _) = consultation(dir);

    // Before any decision: the offer set aside by one eliminatory finding alone.
    let before = report(dir, &data, "avant.json");
    assert!(before["decisions"].is_null(), "no decision yet");
    let eliminatory = |r: &Value| -> Vec<Value> {
        (r["findings"].as_array().unwrap().iter())
            .filter(|f| f["severity"] == "eliminatory")
            .cloned()
            .collect()
    };
    let set_aside = before["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["verdict"] == "non_compliant" && eliminatory(r).len() == 1)
        .expect("an offer set aside by one eliminatory finding");
    let finding = &eliminatory(set_aside)[0];
    let file = set_aside["file"].as_str().unwrap().to_string();
    let other = before["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["file"] != file.as_str() && !r["findings"].as_array().unwrap().is_empty())
        .expect("another offer with findings");
    let other_finding = &other["findings"][0];

    // Legal staff lift it on the page, after a first word they withdrew,
    // and confirm a finding of another offer.
    let mut store = Store::open(&data).unwrap();
    store
        .decide(
            NAME,
            &[on(set_aside, finding, "confirmed", "Claire Martin", "")],
        )
        .unwrap();
    store
        .decide(
            NAME,
            &[
                on(
                    set_aside,
                    finding,
                    "lifted",
                    "Claire Martin",
                    "Exigence satisfaite par l'annexe technique jointe",
                ),
                on(other, other_finding, "confirmed", "Paul Durand", ""),
            ],
        )
        .unwrap();
    drop(store);

    // The command line judges the offers with them, as the page does.
    let after = report(dir, &data, "apres.json");
    let judged = offer(&after, &file);
    assert_ne!(judged["verdict"], "non_compliant", "{judged}");
    assert_eq!(judged["before_decisions"]["verdict"], "non_compliant");
    let decided = (judged["findings"].as_array().unwrap().iter())
        .find(|f| f["question"] == finding["question"] && f["code"] == finding["code"])
        .unwrap();
    assert_eq!(decided["decision"]["decision"], "lifted", "the latest wins");
    assert_eq!(decided["decision"]["reviewer"], "Claire Martin");
    let confirmed = &offer(&after, other["file"].as_str().unwrap())["findings"][0];
    assert_eq!(confirmed["decision"]["decision"], "confirmed");
    assert_eq!(
        offer(&after, other["file"].as_str().unwrap())["verdict"],
        other["verdict"],
        "a confirmed finding changes nothing but the record"
    );
    assert_eq!(after["decisions"]["applied"], 2, "{}", after["decisions"]);

    // The summary and the memo say which decisions they include, who took
    // them and who recorded them when, the date in words.
    let kept = Store::open(&data).unwrap().decisions(NAME).unwrap();
    let lifted = kept.iter().rfind(|d| d.decision == "lifted").unwrap();
    let day = lifted.at[..10].parse::<Date>().unwrap().in_words(Lang::Fr);
    let recorded = format!("enregistrée par {} le {day}", lifted.who);
    let vendor = judged["vendor"]["name"].as_str().unwrap();
    let question = finding["question"].as_str().unwrap();
    let run = check(dir, &data, &["-o", "resume.md"]);
    assert!(run.code <= 1, "{}", run.stderr);
    let summary = std::fs::read_to_string(dir.join("resume.md"))
        .unwrap()
        .replace('\u{a0}', " ");
    let line = (summary.lines())
        .find(|l| l.contains(vendor) && l.contains(question))
        .unwrap_or_else(|| panic!("the decision on {question} named: {summary}"));
    for said in [
        "constat levé",
        "Claire Martin",
        &recorded,
        "annexe technique",
    ] {
        assert!(line.contains(said), "{said} in: {line}");
    }
    assert!(!line.contains(finding["code"].as_str().unwrap()), "{line}");

    let run = check(dir, &data, &["-o", "note.docx"]);
    assert!(run.code <= 1, "{}", run.stderr);
    let memo = docx_text(&dir.join("note.docx")).replace('\u{a0}', " ");
    let section = memo
        .split("Décisions du service juridique prises en compte")
        .nth(1)
        .expect("the memo's account of the decisions")
        .split("Réponses à examiner")
        .next()
        .unwrap();
    for said in [
        vendor,
        question,
        "constat levé",
        "Claire Martin",
        &recorded,
        "Paul Durand",
        "constat confirmé",
    ] {
        assert!(section.contains(said), "{said} in: {section}");
    }
    for internal in [
        finding["code"].as_str().unwrap(),
        set_aside["sha256"].as_str().unwrap(),
        &data.display().to_string(),
    ] {
        assert!(!memo.contains(internal), "{internal} in the memo");
    }
    let pdf = dir.join("pdf");
    if let Some(pdf) = soffice(&dir.join("note.docx"), "pdf", &pdf)
        && let Some(text) = pdf_text(&pdf)
    {
        assert!(text.contains("Claire Martin"), "LibreOffice reads the memo");
    }

    // Legal staff type another word on the same finding in the workbook
    // made from the dossier: given with --decisions, it is taken after the
    // dossier's, and wins.
    if python_has(&["openpyxl"]) {
        let run = check(dir, &data, &["-o", "analyse.xlsx"]);
        assert!(run.code <= 1, "{}", run.stderr);
        let typed = serde_json::json!({
            "sheet": "Points à examiner",
            "decisions": [{"question": question, "file": file, "decision": "constat confirmé",
                "reviewer": "Marc Leroy", "date": {"date": "2027-01-15"},
                "comment": "Annexe technique insuffisante"}]
        });
        let (workbook, decided) = (dir.join("analyse.xlsx"), dir.join("decide.xlsx"));
        fill_script("decide_xlsx.py", &workbook, &decided, &typed);
        let run = check(
            dir,
            &data,
            &["--decisions", "decide.xlsx", "-o", "ensemble.json"],
        );
        assert!(run.code <= 1, "{}", run.stderr);
        let both: Value =
            serde_json::from_slice(&std::fs::read(dir.join("ensemble.json")).unwrap()).unwrap();
        let judged = offer(&both, &file);
        assert_eq!(
            judged["verdict"], set_aside["verdict"],
            "confirmed: set aside"
        );
        let on = (judged["findings"].as_array().unwrap().iter())
            .find(|f| f["question"] == finding["question"] && f["code"] == finding["code"])
            .unwrap();
        assert_eq!(on["decision"]["decision"], "confirmed");
        assert_eq!(on["decision"]["reviewer"], "Marc Leroy");
        let confirmed = &offer(&both, other["file"].as_str().unwrap())["findings"][0];
        assert_eq!(
            confirmed["decision"]["reviewer"], "Paul Durand",
            "the dossier's kept"
        );
    }

    // The vendor sends a new version of the offer: decided anew, the
    // decision taken on the first one no longer applies.
    let new_version = dir.join(&file);
    let mut bytes = std::fs::read(crate::support::fixture(&format!("demo/{file}"))).unwrap();
    bytes.extend_from_slice(b"\0");
    std::fs::write(&new_version, bytes).unwrap();
    let run = dossier(
        dir,
        &data,
        &[
            "add",
            NAME,
            "--role",
            "offer",
            new_version.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let later = report(dir, &data, "plus-tard.json");
    let judged = offer(&later, &file);
    assert_ne!(
        judged["sha256"], set_aside["sha256"],
        "the new version checked"
    );
    assert_eq!(judged["status"], "ok");
    assert_eq!(judged["verdict"], set_aside["verdict"], "set aside again");
    assert!(
        (judged["findings"].as_array().unwrap().iter()).all(|f| f["decision"].is_null()),
        "{judged}"
    );
    assert_eq!(later["decisions"]["applied"], 1, "{}", later["decisions"]);
}
