//! After award, year after year: the demo's winner records its commitments,
//! receives its yearly report prefilled with them, fills it with openpyxl
//! (re-saved by LibreOffice as a buyer's office would), and the buyer checks
//! it: a first year that keeps everything, a second that misses an energy
//! figure and a notice, a third that changes model without the re-tests,
//! and the evolution over the three.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::support::{boussole_in, fill_script, fixture, pdf_text, python_has, soffice};

/// The demo's winner's commitments, in `dir/engagements.json`.
fn awarded(dir: &Path) {
    let offer = fixture("demo/atelier-numerique-loire.xlsx");
    let run = boussole_in(
        dir,
        &["award", offer.to_str().unwrap(), "-o", "engagements.json"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// What the winner reports when it keeps everything it promised (95 Wh per
/// 1,000 tasks, PUE 1.2, 420 kWh a year, 1,500 hours saved…).
fn keeping_everything(year: u32) -> serde_json::Map<String, Value> {
    let answers = json!({
        "BIO-13": {"answer": 2.5}, "PUB-03": {"answer": 4}, "PUB-04": {"answer": 1.2},
        "PUB-06": {"answer": 12}, "PUB-11": {"answer": 0.8}, "AGT-01": {"answer": 40},
        "AGT-03": {"answer": 6}, "AGT-04": {"answer": 78}, "AGT-09": {"answer": 55},
        "SOB-01": {"answer": 92}, "SOB-05": {"answer": 0}, "SOB-06": {"answer": "1,2"},
        "SOB-07": {"answer": "0,15"}, "SOB-08": {"answer": 28}, "SOB-09": {"answer": 96},
        "SOB-11": {"answer": 120}, "ALT-03": {"answer": 1650}, "ALT-04": {"answer": 400},
        "RAP-01": {"answer": "CodeCarbon 2.8 sur le serveur d'inférence, facteur d'émission RTE de l'année"},
        "RAP-02": {"answer": 1},
        "RAP-14": {"answer": 2},
        "RAP-03": {"answer": {"date": format!("{}-03-02", 2027 + year)}},
        "RAP-04": {"answer": {"date": format!("{}-04-10", 2027 + year)}},
        "RAP-05": {"answer": "Oui"},
        "RAP-06": {"answer": "Non"}
    });
    answers.as_object().unwrap().clone()
}

/// The template of `year`, filled with `answers` by openpyxl and re-saved
/// by LibreOffice; `None` without python or LibreOffice.
fn filled(dir: &Path, year: u32, answers: serde_json::Map<String, Value>) -> Option<PathBuf> {
    let name = format!("rapport-{year}");
    let form = ["--year".to_string(), year.to_string()];
    filled_form(dir, &name, &form, &format!("Rapport année {year}"), answers)
}

/// The form `args` asks for (`--year N` or `--notice`), written as `name`,
/// filled on its sheet `sheet` by openpyxl and re-saved by LibreOffice.
fn filled_form(
    dir: &Path,
    name: &str,
    args: &[String],
    sheet: &str,
    answers: serde_json::Map<String, Value>,
) -> Option<PathBuf> {
    let template = format!("{name}.xlsx");
    let mut argv = vec!["followup", "template", "--award", "engagements.json"];
    argv.extend(args.iter().map(String::as_str));
    argv.extend(["-o", &template]);
    let run = boussole_in(dir, &argv);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let typed = dir.join(format!("tape-{name}.xlsx"));
    fill_script(
        "fill_xlsx.py",
        &dir.join(&template),
        &typed,
        &json!({
            "questions_sheet": sheet,
            "answer_column": 5,
            "answers": answers,
        }),
    );
    let resaved = dir.join("resaved");
    std::fs::create_dir_all(&resaved).unwrap();
    soffice(&typed, "xlsx", &resaved)
}

fn check(dir: &Path, reports: &[&Path], out: &str) -> (i32, String) {
    let mut args = vec!["followup", "check", "--award", "engagements.json"];
    let paths: Vec<String> = reports.iter().map(|p| p.display().to_string()).collect();
    args.extend(paths.iter().map(String::as_str));
    args.extend(["-o", out, "--force"]);
    let run = boussole_in(dir, &args);
    (run.code, run.stderr)
}

/// `s` with its non-breaking spaces as plain ones.
fn plain(s: &str) -> String {
    s.replace(['\u{a0}', '\u{202f}'], " ")
}

fn line<'a>(year: &'a Value, id: &str) -> &'a Value {
    year["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == id)
        .unwrap_or_else(|| panic!("no line {id}"))
}

/// The article the annex gives a clause, for the default tender.
fn article(clause: &str) -> String {
    let lib = boussole::library::load(None).unwrap();
    let profile = boussole::profile::load(None, &lib).unwrap().profile;
    let sel = boussole::selection::resolve(&lib, &profile);
    boussole::annex::article_numbers(&sel)[clause].clone()
}

#[test]
fn a_contractor_that_keeps_every_commitment_has_nothing_to_examine() {
    if !python_has(&["openpyxl"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    awarded(dir.path());
    let Some(year1) = filled(dir.path(), 1, keeping_everything(1)) else {
        return;
    };
    let (code, stderr) = check(dir.path(), &[&year1], "suivi.json");
    assert_eq!(code, 0, "{stderr}");
    let report: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("suivi.json")).unwrap()).unwrap();
    let year = &report["years"][0];
    assert_eq!(year["form"]["year"], 1, "the year comes from the file");
    // The energy promised is the baseline of the energy reported.
    let energy = line(year, "SOB-01");
    assert_eq!(energy["promised_value"], 95.0);
    assert_eq!(energy["value"], 92.0);
    assert_eq!(energy["outcome"], "kept");
    // Reported lines with no promise are reported, and no change of model
    // means no notice is asked.
    assert_eq!(line(year, "RAP-02")["outcome"], "reported");
    assert_eq!(line(year, "RAP-08")["outcome"], "not_asked");
    assert!(
        year["lines"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| !["missed", "unreported", "unreadable"]
                .contains(&l["outcome"].as_str().unwrap())),
        "{year:#}"
    );
}

#[test]
fn a_missed_energy_figure_and_a_short_notice_name_their_article_and_penalty() {
    if !python_has(&["openpyxl"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    awarded(dir.path());
    let mut answers = keeping_everything(2);
    for (id, answer) in [
        ("SOB-01", json!(110)),
        ("RAP-06", json!("Oui")),
        ("RAP-07", json!("Mistral Small 3.2")),
        // Nine days' notice where the profile asks for thirty.
        ("RAP-08", json!({"date": "2029-02-20"})),
        ("RAP-09", json!({"date": "2029-03-01"})),
        ("RAP-10", json!("Oui")),
        ("RAP-11", json!("Oui")),
        ("RAP-12", json!("Oui")),
        ("RAP-14", json!(9)),
    ] {
        answers.insert(id.into(), json!({ "answer": answer }));
    }
    answers.remove("RAP-04");
    let Some(year2) = filled(dir.path(), 2, answers) else {
        return;
    };
    let (code, stderr) = check(dir.path(), &[&year2], "suivi.json");
    assert_eq!(code, 1, "something to examine: {stderr}");
    let report: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("suivi.json")).unwrap()).unwrap();
    let year = &report["years"][0];

    // Above the value the offer gave: a departure for legal staff to weigh,
    // with no penalty the contract sets for it.
    let energy = line(year, "SOB-01");
    assert_eq!(energy["outcome"], "deviates");
    assert_eq!(energy["article"], article("SOB-C05"));
    assert!(energy["penalty"].is_null());
    assert!(plain(energy["why"].as_str().unwrap()).contains("110 Wh"));
    assert!(
        plain(energy["why"].as_str().unwrap()).contains("la valeur donnée dans l'offre (95 Wh)")
    );

    let penalties = article("CTR-C05");
    let notice = line(year, "RAP-08");
    assert_eq!(notice["outcome"], "missed");
    assert_eq!(notice["article"], article("TRA-C04"));
    assert!(
        plain(notice["why"].as_str().unwrap()).contains("9 jours"),
        "{notice}"
    );
    assert!(plain(notice["why"].as_str().unwrap()).contains("au moins 30 jours"));
    assert_eq!(notice["penalty"], format!("article {penalties}, point c)"));
    assert_eq!(notice["modification"], false, "the re-tests were done");

    // The reversibility test is not reported: to ask for, with the penalty
    // incurred if it is not handed over.
    let test = line(year, "RAP-04");
    assert_eq!(test["outcome"], "unreported");
    assert_eq!(
        plain(test["penalty"].as_str().unwrap()),
        format!("si l'élément n'est pas remis une fois demandé : article {penalties}, point g)")
    );
    // The longest time to take charge of an incident beyond the contract's
    // maximum: the penalty for it.
    let incident = line(year, "RAP-14");
    assert_eq!(incident["outcome"], "missed");
    assert_eq!(
        incident["penalty"],
        format!("article {penalties}, point f)")
    );

    // For people: the same findings, by article, without codes.
    let (_, _) = check(dir.path(), &[&year2], "suivi.md");
    let md = plain(&std::fs::read_to_string(dir.path().join("suivi.md")).unwrap());
    assert!(md.contains("## Année 2"));
    assert!(md.contains(&format!("article {penalties}, point c)")));
    assert!(!md.contains("SOB-01") && !md.contains("RAP-08") && !md.contains("CTR-C05"));
}

#[test]
fn a_change_of_model_without_the_re_tests_is_a_question_for_legal_staff() {
    if !python_has(&["openpyxl"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    awarded(dir.path());
    let mut answers = keeping_everything(3);
    for (id, answer) in [
        ("RAP-06", json!("Oui")),
        ("RAP-07", json!("Mistral Medium 3")),
        ("RAP-08", json!({"date": "2029-11-02"})),
        ("RAP-09", json!({"date": "2030-01-15"})),
        ("RAP-10", json!("Non")),
        ("RAP-11", json!("Oui")),
        ("RAP-12", json!("Oui")),
    ] {
        answers.insert(id.into(), json!({ "answer": answer }));
    }
    let Some(year3) = filled(dir.path(), 3, answers) else {
        return;
    };
    let (code, stderr) = check(dir.path(), &[&year3], "suivi.json");
    assert_eq!(code, 1, "{stderr}");
    let report: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("suivi.json")).unwrap()).unwrap();
    let year = &report["years"][0];
    assert_eq!(line(year, "RAP-08")["outcome"], "kept", "74 days' notice");
    let bias = line(year, "RAP-10");
    assert_eq!(bias["outcome"], "missed");
    assert_eq!(bias["modification"], true);

    // The document says it is a question, with its legal basis, and opens
    // in LibreOffice.
    let (_, _) = check(dir.path(), &[&year3], "suivi.docx");
    let Some(pdf) = soffice(&dir.path().join("suivi.docx"), "pdf", dir.path()) else {
        return;
    };
    let Some(text) = pdf_text(&pdf) else {
        return;
    };
    let text = plain(&text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains("Année 3"), "{text}");
    // First a failure to perform the buyer may suspend; a modification of
    // the contract only if the buyer accepts the new model.
    assert!(text.contains("demander la suspension"), "{text}");
    assert!(
        text.contains("R. 2194-1 (clause de réexamen) et R. 2194-7"),
        "{text}"
    );
    assert!(text.contains("question pour les services juridiques"));
}

#[test]
fn a_notice_of_change_sent_too_late_and_without_its_bias_tests_may_be_refused() {
    if !python_has(&["openpyxl"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    awarded(dir.path());
    let mut answers = serde_json::Map::new();
    for (id, answer) in [
        ("RAP-07", json!("Mistral Medium 3")),
        (
            "RAP-13",
            json!("Fin de maintenance du modèle actuel annoncée par son éditeur"),
        ),
        // Ten days' notice where the profile asks for thirty.
        ("RAP-08", json!({"date": "2029-06-01"})),
        ("RAP-09", json!({"date": "2029-06-11"})),
        ("RAP-10", json!("Non")),
        ("RAP-11", json!("Oui")),
        ("RAP-12", json!("Oui")),
    ] {
        answers.insert(id.into(), json!({ "answer": answer }));
    }
    // The notice asks only what a change needs: no yearly figure, and no
    // « was there a change? » line, since there is one.
    let Some(notice) = filled_form(
        dir.path(),
        "avis",
        &["--notice".to_string()],
        "Avis de changement",
        answers,
    ) else {
        return;
    };
    let (code, stderr) = check(dir.path(), &[&notice], "suivi.json");
    assert_eq!(code, 1, "{stderr}");
    let report: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("suivi.json")).unwrap()).unwrap();
    assert!(report["years"].as_array().unwrap().is_empty());
    let form = &report["notices"][0];
    assert_eq!(form["form"], "notice");
    let ids: Vec<&str> = form["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert!(
        !ids.contains(&"SOB-01") && !ids.contains(&"RAP-06"),
        "{ids:?}"
    );
    let late = line(form, "RAP-08");
    assert_eq!(late["outcome"], "missed");
    assert_eq!(
        late["penalty"],
        format!("article {}, point c)", article("CTR-C05"))
    );
    let bias = line(form, "RAP-10");
    assert_eq!(bias["outcome"], "missed");
    assert_eq!(bias["modification"], true);
    assert!(
        bias["why"]
            .as_str()
            .unwrap()
            .contains("l'acheteur peut le refuser ou en demander la suspension"),
        "{bias}"
    );
    assert_eq!(line(form, "RAP-13")["outcome"], "reported");
}

#[test]
fn three_years_show_the_evolution_against_what_was_promised() {
    if !python_has(&["openpyxl"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    awarded(dir.path());
    let mut reports = Vec::new();
    for (year, energy) in [(1, 92), (2, 110), (3, 90)] {
        let mut answers = keeping_everything(year);
        answers.insert("SOB-01".into(), json!({ "answer": energy }));
        let Some(path) = filled(dir.path(), year, answers) else {
            return;
        };
        reports.push(path);
    }
    // Given out of order, read in the order of the years.
    let given: Vec<&Path> = reports.iter().rev().map(PathBuf::as_path).collect();
    let (code, stderr) = check(dir.path(), &given, "suivi.md");
    assert_eq!(code, 1, "{stderr}");
    let md = plain(&std::fs::read_to_string(dir.path().join("suivi.md")).unwrap());
    let evolution = md.split("## Évolution sur les années").nth(1).unwrap();
    let energy = evolution
        .lines()
        .find(|l| l.starts_with("| Énergie moyenne mesurée pour 1"))
        .unwrap();
    assert!(
        energy.contains("| 95 Wh | 92 Wh | 110 Wh (écart à l'offre) | 90 Wh |"),
        "{energy}"
    );
    // The DOCX carries the chart of the values against the promise.
    let (_, _) = check(dir.path(), &given, "suivi.docx");
    let entries = crate::support::zip_entries(&dir.path().join("suivi.docx"));
    assert!(
        entries.iter().any(|e| e.starts_with("word/media/")),
        "{entries:?}"
    );
}

#[test]
fn changed_commitments_or_a_report_without_its_year_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    awarded(dir.path());
    let path = dir.path().join("engagements.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let changed = text.replacen("\"value\": 95.0", "\"value\": 150.0", 1);
    assert_ne!(changed, text, "the energy promised is raised afterwards");
    std::fs::write(dir.path().join("retouche.json"), changed).unwrap();
    let run = boussole_in(
        dir.path(),
        &[
            "followup",
            "template",
            "--award",
            "retouche.json",
            "--year",
            "1",
            "-o",
            "r.xlsx",
        ],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("retouche.json"), "{}", run.stderr);
    assert!(run.stderr.contains("no longer match their seal"));
    assert!(!dir.path().join("r.xlsx").exists());

    // Another tender's commitments are refused, naming the file.
    let other = crate::support::profile_with(dir.path(), |t| {
        t.replace("reference = \"2026-DN-017\"", "reference = \"2027-DN-003\"")
    });
    let run = boussole_in(
        dir.path(),
        &[
            "followup",
            "template",
            "--award",
            "engagements.json",
            "-p",
            other.to_str().unwrap(),
            "--year",
            "1",
            "-o",
            "r.xlsx",
        ],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("engagements.json: is the award of tender 2026-DN-017"),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("r.xlsx").exists());

    // A returned questionnaire is not a yearly report: it states no year.
    let offer = fixture("demo/atelier-numerique-loire.xlsx");
    let run = boussole_in(
        dir.path(),
        &[
            "followup",
            "check",
            "--award",
            "engagements.json",
            offer.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("atelier-numerique-loire.xlsx")
            && run.stderr.contains("give it with --year"),
        "{}",
        run.stderr
    );
}
