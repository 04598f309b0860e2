//! `boussole check`: questionnaires filled by another program (openpyxl,
//! python-docx), sometimes re-saved by LibreOffice, read back and judged.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::support::*;
use boussole::library::AnswerType;
use boussole::questionnaire::lock::Lock;
use boussole::selection::SelectedQuestion;

/// A tender whose questionnaire (XLSX and DOCX) has been issued in a temporary folder.
struct Tender {
    dir: tempfile::TempDir,
    lock: Lock,
}

fn python_ready() -> bool {
    python_has(&["openpyxl", "docx"])
}

fn tender() -> Option<Tender> {
    if !python_ready() {
        return None;
    }
    let (dir, lock) = issue(&["questionnaire.xlsx", "questionnaire.docx"]);
    Some(Tender { dir, lock })
}

impl Tender {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn vendor_questions(&self) -> impl Iterator<Item = &SelectedQuestion> {
        self.lock
            .selection
            .questions_for(boussole::library::Audience::Vendor)
    }

    fn question(&self, pred: impl Fn(&SelectedQuestion) -> bool) -> &SelectedQuestion {
        self.vendor_questions()
            .find(|q| pred(q))
            .expect("the library has such a question")
    }

    /// Every question answered with its compliant example, as a careful vendor would type it.
    fn good_answers(&self) -> serde_json::Map<String, Value> {
        self.vendor_questions()
            .map(|q| (q.id.clone(), json!({ "answer": typed(q), "comment": "Voir annexe technique", "document": "Mémoire technique, p. 4" })))
            .collect()
    }

    /// Fills the XLSX questionnaire with `answers` (and options) into `name`.
    fn fill(&self, name: &str, answers: serde_json::Map<String, Value>, options: Value) -> PathBuf {
        let mut spec = json!({
            "questions_sheet": "Questionnaire",
            "identity_sheet": "Identité",
            "answer_column": 4,
            "identity": ["Exemple IA SAS", "732 829 320 00074", "Camille Martin", "camille.martin@example.com", {"date": "2027-01-20"}],
            "answers": answers,
        });
        if let (Some(s), Some(o)) = (spec.as_object_mut(), options.as_object()) {
            s.extend(o.clone());
        }
        self.script("fill_xlsx.py", "questionnaire.xlsx", name, &spec)
    }

    fn fill_docx(&self, name: &str, answers: serde_json::Map<String, Value>) -> PathBuf {
        let spec = json!({
            "identity": ["Exemple IA SAS", "732 829 320 00074", "Camille Martin", "camille.martin@example.com", "2027-01-20"],
            "answers": answers,
        });
        self.script("fill_docx.py", "questionnaire.docx", name, &spec)
    }

    fn script(&self, script: &str, from: &str, name: &str, spec: &Value) -> PathBuf {
        let out = self.path(name);
        fill_script(script, &self.path(from), &out, spec);
        out
    }

    /// Runs `check --lock … --format json` on `files`; the exit status and the report.
    fn check(&self, files: &[&Path]) -> (i32, Value) {
        let lock = self.path("questionnaire.xlsx.boussole.lock");
        let mut args = vec![
            "check",
            "--lock",
            lock.to_str().unwrap(),
            "--format",
            "json",
        ];
        args.extend(files.iter().map(|f| f.to_str().unwrap()));
        let run = boussole_in(self.dir.path(), &args);
        let report = serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr));
        (run.code, report)
    }

    fn check_one(&self, file: &Path) -> (i32, Value) {
        let (code, report) = self.check(&[file]);
        (code, report["results"][0].clone())
    }
}

/// A question's example as a vendor types it: numbers and dates as such,
/// choices by their French label.
fn typed(q: &SelectedQuestion) -> Value {
    if q.answer_type == AnswerType::Text {
        return json!(careful_text(q));
    }
    let value = boussole::answer::normalise(q.spec(), &q.example)
        .unwrap_or_else(|e| panic!("{}: {e}", q.id));
    match (q.answer_type, value) {
        (AnswerType::Number | AnswerType::Percent, boussole::answer::Value::Number(n)) => json!(n),
        (AnswerType::Date, boussole::answer::Value::Date(d)) => json!({ "date": d.to_string() }),
        (
            AnswerType::YesNo | AnswerType::Choice | AnswerType::MultiChoice,
            boussole::answer::Value::Choice(id),
        ) => json!(label(q, &id)),
        (_, boussole::answer::Value::Choices(ids)) if q.answer_type == AnswerType::MultiChoice => {
            json!(
                ids.iter()
                    .map(|id| label(q, id))
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        }
        (AnswerType::Text, _) => json!(careful_text(q)),
        _ => json!(q.example),
    }
}

fn label(q: &SelectedQuestion, id: &str) -> String {
    q.choices
        .iter()
        .find(|c| c.id == id)
        .map_or(id.to_string(), |c| c.label.fr.clone())
}

fn findings_of<'a>(result: &'a Value, question: &str) -> Vec<&'a Value> {
    result["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["question"] == question)
        .collect()
}

#[test]
fn a_vendor_answering_everything_well_is_compliant() {
    let Some(t) = tender() else { return };
    let good = t.fill("good.xlsx", t.good_answers(), json!({}));
    let (code, r) = t.check_one(&good);
    assert_eq!(r["status"], "ok", "{r}");
    assert_eq!(r["verdict"], "compliant", "{}", r["findings"]);
    assert_eq!(code, 0);
    let j = &r["judgment"];
    assert_eq!(j["standing"], "ranked");
    assert_eq!(j["rank"], 1);
    // Free text waits for the committee: counted 0, said provisional.
    let committee: Vec<&str> = t
        .vendor_questions()
        .filter(|q| q.scale == Some(boussole::scoring::Scale::Committee))
        .filter(|q| q.condition.is_none())
        .map(|q| q.id.as_str())
        .collect();
    let pending: Vec<&str> = j["pending"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["question"].as_str().unwrap())
        .collect();
    assert!(!committee.is_empty());
    assert!(committee.iter().all(|q| pending.contains(q)), "{pending:?}");
    assert_eq!(j["provisional"], true);
    let score = r["score"].as_f64().unwrap();
    assert!(score > 0.0 && score < 100.0, "{score}");
    assert_eq!(r["vendor"]["name"], "Exemple IA SAS");
    assert!(
        r["findings"].as_array().unwrap().is_empty(),
        "{}",
        r["findings"]
    );
    assert_eq!(r["criteria"].as_array().unwrap().len(), 7);
    let themes: Vec<&str> = r["themes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    for theme in ["transparency", "sobriety", "sovereignty", "reversibility"] {
        assert!(themes.contains(&theme), "{themes:?}");
    }
}

#[test]
fn biometric_identification_eliminates_the_offer() {
    let Some(t) = tender() else { return };
    let mut answers = t.good_answers();
    answers.insert(
        "BIO-01".into(),
        json!({ "answer": "Oui", "comment": "Reconnaissance faciale en option" }),
    );
    let (code, r) = t.check_one(&t.fill("biometrie.xlsx", answers, json!({})));
    assert_eq!(r["verdict"], "non_compliant");
    assert_eq!(code, 1);
    let f = findings_of(&r, "BIO-01");
    assert_eq!(f.len(), 1, "{}", r["findings"]);
    assert_eq!(f[0]["severity"], "eliminatory");
    assert_eq!(f[0]["criterion"], "biometrics");
    assert_eq!(f[0]["answer"], "Oui");
    assert_eq!(f[0]["comment"], "Reconnaissance faciale en option");
    assert_eq!(
        r["findings"][0]["question"], "BIO-01",
        "eliminatory findings come first"
    );
}

#[test]
fn hosting_outside_the_eu_and_no_exit_plan_make_the_offer_irregular_with_both_grounds() {
    let Some(t) = tender() else { return };
    let hosting = t.question(|q| q.id == "SOV-04");
    let exit = t.question(|q| {
        q.answer_type == AnswerType::YesNo
            && q.themes.iter().any(|x| x == "reversibility")
            && q.role == boussole::library::Role::Regularity
    });
    let mut answers = t.good_answers();
    answers.insert(hosting.id.clone(), json!({ "answer": "États-Unis" }));
    answers.insert(exit.id.clone(), json!({ "answer": "Non" }));
    let (code, r) = t.check_one(&t.fill("hors-ue.xlsx", answers, json!({})));
    assert_eq!(code, 1);
    assert_eq!(r["verdict"], "non_compliant", "{}", r["findings"]);
    assert_eq!(r["judgment"]["standing"], "irregular");
    let grounds: Vec<(&str, &str)> = r["judgment"]["grounds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["kind"].as_str().unwrap(), g["about"].as_str().unwrap()))
        .collect();
    assert!(
        grounds.contains(&("breaks", hosting.id.as_str())),
        "{grounds:?}"
    );
    assert!(
        grounds.contains(&("breaks", exit.id.as_str())),
        "{grounds:?}"
    );
    let sovereignty = findings_of(&r, &hosting.id);
    assert_eq!(sovereignty[0]["code"], "rule_failed");
    assert!(
        sovereignty[0]["themes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x == "sovereignty"),
        "{sovereignty:?}"
    );
    assert!(r["score"].is_null() && r["judgment"]["points"].is_null());
    assert!(
        r["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["score"].is_null())
    );
}

#[test]
fn a_blank_questionnaire_is_set_aside_with_every_required_question_missing() {
    let Some(t) = tender() else { return };
    let (code, r) = t.check_one(&t.path("questionnaire.xlsx"));
    assert_eq!(code, 1);
    for q in t.vendor_questions().filter(|q| q.required) {
        let f = findings_of(&r, &q.id);
        assert!(
            f.iter().any(|f| f["code"] == "missing_answer"),
            "{} is not reported missing",
            q.id
        );
    }
    // The default profile announces no minimum score: the missing
    // regularity answers may be asked for, the award answers cannot, so the
    // offer waits for its regularisation with no point to its name.
    assert_eq!(
        r["judgment"]["standing"], "to_regularise",
        "{}",
        r["judgment"]
    );
    assert_eq!(r["judgment"]["points"], 0.0, "{}", r["judgment"]);
}

#[test]
fn a_blank_questionnaire_under_an_announced_minimum_is_irregular() {
    if !python_ready() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let profile = profile_with(dir.path(), |t| {
        t.replace(
            "[award.minimum]\n# legal = 50",
            "[award.minimum]\nlegal = 50",
        )
    });
    let profile = profile.to_str().unwrap();
    let run = boussole_in(
        dir.path(),
        &["questionnaire", "-p", profile, "-o", "q.xlsx"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = boussole_in(
        dir.path(),
        &[
            "check",
            "--lock",
            "q.xlsx.boussole.lock",
            "--format",
            "json",
            "q.xlsx",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let r = &report["results"][0];
    // Award answers cannot be regularised: with none, the scores stay under
    // the announced minimum and the offer is irregular, whatever the
    // regularity answers it could still send.
    assert_eq!(r["verdict"], "non_compliant");
    let kinds: Vec<&str> = r["judgment"]["grounds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"below_minimum") && kinds.contains(&"unanswered"),
        "{kinds:?}"
    );
    assert!(r["score"].is_null());
}

#[test]
fn french_formats_reordered_rows_and_other_writers_change_nothing() {
    let Some(t) = tender() else { return };
    let good = t.fill("good.xlsx", t.good_answers(), json!({}));
    let (_, reference) = t.check_one(&good);
    let mut french = t.good_answers();
    for q in t
        .vendor_questions()
        .filter(|q| matches!(q.answer_type, AnswerType::Number | AnswerType::Percent))
    {
        let n = french[&q.id]["answer"].as_f64().unwrap();
        let text =
            boussole::text::number(n, boussole::text::Lang::Fr).replace('\u{202f}', "\u{a0}");
        let text = if q.answer_type == AnswerType::Percent {
            format!("{text} %")
        } else {
            text
        };
        french[&q.id]["answer"] = json!(text);
    }
    let mut candidates = vec![
        ("french numbers", t.fill("francais.xlsx", french, json!({}))),
        (
            "reordered rows",
            t.fill(
                "desordre.xlsx",
                t.good_answers(),
                json!({ "reverse_rows": true }),
            ),
        ),
        ("python-docx", t.fill_docx("good.docx", t.good_answers())),
    ];
    let converted = tempfile::tempdir().unwrap();
    for to in ["xlsx", "ods", "xls"] {
        let Some(out) = soffice(&good, to, converted.path()) else {
            break;
        };
        candidates.push(("LibreOffice", out));
    }
    for (what, file) in candidates {
        let (_, r) = t.check_one(&file);
        assert_eq!(r["status"], "ok", "{what}: {r}");
        assert_eq!(
            r["verdict"], reference["verdict"],
            "{what}: {}",
            r["findings"]
        );
        assert_eq!(r["score"], reference["score"], "{what}");
        assert_eq!(r["findings"], reference["findings"], "{what}");
    }
}

#[test]
fn an_edited_question_is_an_integrity_warning_naming_it() {
    let Some(t) = tender() else { return };
    let file = t.fill(
        "modifie.xlsx",
        t.good_answers(),
        json!({ "edit_question": { "SOB-01": "Consommation ? Nous ne la mesurons pas." } }),
    );
    let (_, r) = t.check_one(&file);
    let edited: Vec<&Value> = r["integrity"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["code"] == "edited_question")
        .collect();
    assert_eq!(edited.len(), 1, "{}", r["integrity"]);
    assert_eq!(edited[0]["question"], "SOB-01");
}

/// The `edited_question` warnings of a checked file, by question.
fn edited(r: &Value) -> Vec<String> {
    r["integrity"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["code"] == "edited_question")
        .map(|i| i["question"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn a_question_in_french_typography_is_the_question_as_issued_a_changed_word_is_not() {
    use boussole::office::typography;
    use boussole::text::Lang;
    let Some(t) = tender() else { return };
    // The questionnaire prints its questions in French typography.
    let q = t.question(|q| q.text.fr.contains('\''));
    let printed = typography::apply(&q.text.fr, Lang::Fr);
    assert!(printed.contains('’'), "{printed}");
    assert!(
        zip_entry(&t.path("questionnaire.xlsx"), "xl/sharedStrings.xml").contains(&printed),
        "{}: the workbook does not print « {printed} »",
        q.id
    );

    // Filled by openpyxl or python-docx, re-saved by LibreOffice: no question changed.
    let xlsx = t.fill("good.xlsx", t.good_answers(), json!({}));
    let docx = t.fill_docx("good.docx", t.good_answers());
    let mut files = vec![("openpyxl", xlsx.clone()), ("python-docx", docx.clone())];
    let saved = tempfile::tempdir().unwrap();
    for (file, to) in [(&xlsx, "xlsx"), (&xlsx, "ods"), (&docx, "docx")] {
        let Some(out) = soffice(file, to, saved.path()) else {
            break;
        };
        files.push(("LibreOffice", out));
    }
    for (by, file) in &files {
        let (_, r) = t.check_one(file);
        assert_eq!(edited(&r), Vec::<String>::new(), "{by}: {}", file.display());
    }

    // A vendor who changes one word of the printed question is caught.
    let longest = printed
        .split_whitespace()
        .max_by_key(|w| w.chars().count())
        .unwrap();
    let changed = printed.replacen(longest, "autre", 1);
    let file = t.fill(
        "mot.xlsx",
        t.good_answers(),
        json!({ "edit_question": { &q.id: changed } }),
    );
    let (_, r) = t.check_one(&file);
    assert_eq!(edited(&r), vec![q.id.clone()], "{}", r["integrity"]);
}

#[test]
fn a_broken_file_is_an_error_and_the_batch_goes_on() {
    let Some(t) = tender() else { return };
    let good = t.fill("good.xlsx", t.good_answers(), json!({}));
    let broken = t.path("casse.xlsx");
    std::fs::write(&broken, b"PK\x03\x04 not really a workbook").unwrap();
    let (code, report) = t.check(&[&broken, &good]);
    assert_eq!(code, 2);
    assert_eq!(report["results"][0]["status"], "error");
    assert!(report["results"][0]["error"].as_str().unwrap().len() > 10);
    assert_eq!(report["results"][1]["verdict"], "compliant");
}

#[test]
fn folders_are_searched_and_lock_files_passed_over() {
    let Some(t) = tender() else { return };
    let offers = t.path("offres");
    std::fs::create_dir(&offers).unwrap();
    let good = t.fill("good.xlsx", t.good_answers(), json!({}));
    std::fs::copy(&good, offers.join("acme.xlsx")).unwrap();
    std::fs::write(offers.join("~$acme.xlsx"), b"lock").unwrap();
    std::fs::write(offers.join(".~lock.acme.xlsx#"), b"lock").unwrap();
    std::fs::copy(
        t.path("questionnaire.xlsx.boussole.lock"),
        offers.join("q.xlsx.boussole.lock"),
    )
    .unwrap();
    let (_, report) = t.check(&[&offers]);
    assert_eq!(report["results"].as_array().unwrap().len(), 1);
    let reasons: Vec<&str> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons.len(), 3, "{reasons:?}");
}

#[test]
fn the_committed_report_schema_is_the_one_the_code_generates() {
    let committed = std::fs::read_to_string(root().join("schema/report.schema.json")).unwrap();
    assert!(
        committed == boussole::report::schema(),
        "schema/report.schema.json is out of date: run `cargo run -- check --schema > schema/report.schema.json`"
    );
}

/// The report of one full check, kept in `tests/snapshots/`: any change to
/// the report's content shows in review. Regenerate with
/// `BOUSSOLE_UPDATE_SNAPSHOTS=1 cargo test --test suite snapshot`.
#[test]
fn snapshot_of_a_full_report() {
    let Some(t) = tender() else { return };
    let mut answers = t.good_answers();
    answers.insert(
        "BIO-01".into(),
        json!({ "answer": "Oui", "comment": "Reconnaissance faciale en option" }),
    );
    answers.insert("SOB-06".into(), json!({ "answer": "voir mémoire" }));
    answers.remove("PUB-03");
    let file = t.fill("snapshot.xlsx", answers, json!({}));
    let (_, mut report) = t.check(&[&file]);
    report["generated_at"] = json!("(redacted)");
    report["results"][0]["file"] = json!("snapshot.xlsx");
    report["results"][0]["sha256"] = json!("(redacted)");
    report["tool"]["version"] = json!("(redacted)");
    let got = serde_json::to_string_pretty(&report).unwrap() + "\n";
    let path = root().join("tests/snapshots/check-report.json");
    if std::env::var_os("BOUSSOLE_UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &got).unwrap();
        return;
    }
    let kept = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        kept == got,
        "the report differs from tests/snapshots/check-report.json; review and regenerate with BOUSSOLE_UPDATE_SNAPSHOTS=1 cargo test --test suite snapshot"
    );
}

/// An XLS whose DIMENSIONS records claim millions of rows makes calamine ask
/// for terabytes and abort: `check` reads XLS in a child process, so only
/// that file is in error and the batch goes on.
#[test]
fn a_crafted_xls_cannot_take_the_batch_down() {
    let Some(t) = tender() else { return };
    let out = tempfile::tempdir().unwrap();
    let Some(xls) = soffice(
        &t.fill("good.xlsx", t.good_answers(), json!({})),
        "xls",
        out.path(),
    ) else {
        return;
    };
    let mut bytes = std::fs::read(&xls).unwrap();
    let mut patched = 0;
    let mut i = 0;
    while let Some(at) = bytes[i..]
        .windows(4)
        .position(|w| w == [0x00, 0x02, 0x0e, 0x00])
    {
        let at = i + at;
        bytes[at + 8..at + 12].copy_from_slice(&0x00FF_FFF0u32.to_le_bytes());
        bytes[at + 14..at + 16].copy_from_slice(&0x3FFFu16.to_le_bytes());
        patched += 1;
        i = at + 4;
    }
    assert!(patched > 0, "no DIMENSIONS record found");
    let crafted = out.path().join("crafted.xls");
    std::fs::write(&crafted, bytes).unwrap();
    let (code, report) = t.check(&[&crafted, &xls]);
    assert_eq!(code, 2);
    assert_eq!(
        report["results"][0]["status"], "error",
        "{}",
        report["results"][0]
    );
    assert_eq!(
        report["results"][1]["verdict"], "compliant",
        "{}",
        report["results"][1]["findings"]
    );
}

#[test]
fn a_findings_legal_basis_holds_its_clauses_references_once_for_every_report() {
    let Some(t) = tender() else { return };
    let (_, r) = t.check_one(&t.path("questionnaire.xlsx"));
    let findings = r["findings"].as_array().unwrap();
    let mut with_clause_basis = 0;
    for f in findings {
        let legal: Vec<&str> = f["legal"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["text"].as_str().unwrap())
            .collect();
        let mut unique = legal.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), legal.len(), "a reference twice: {legal:?}");
        for id in f["clauses"].as_array().unwrap() {
            let clause = t
                .lock
                .selection
                .clauses
                .iter()
                .find(|c| c.id == id.as_str().unwrap())
                .unwrap();
            for l in &clause.legal {
                assert!(
                    legal.contains(&l.text.as_str()),
                    "{}: {} misses {}",
                    f["question"],
                    clause.id,
                    l.text
                );
                with_clause_basis += 1;
            }
        }
    }
    assert!(with_clause_basis > 10, "{with_clause_basis}");
}
