//! `boussole questionnaire -o FILE.docx`: the questionnaire for vendors who
//! prefer Word, read by python-docx, LibreOffice and boussole's own reader.

use std::process::Command;

use crate::support::*;
use boussole::questionnaire::layout;
use boussole::questionnaire::lock::Lock;
use boussole::text::Lang;
use serde_json::json;

fn inspect(path: &std::path::Path) -> Option<serde_json::Value> {
    let out = Command::new("python3")
        .arg(root().join("tests/scripts/inspect_docx.py"))
        .arg(path)
        .output()
        .ok()?;
    if !out.status.success() {
        eprintln!(
            "skipped: python-docx not available ({})",
            String::from_utf8_lossy(&out.stderr).trim()
        );
        return None;
    }
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

#[test]
fn python_docx_sees_the_identity_labels_and_one_row_per_question() {
    let dir = tempfile::tempdir().unwrap();
    let run = boussole_in(dir.path(), &["questionnaire", "-o", "q.docx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lock = Lock::read(&dir.path().join("q.docx.boussole.lock")).unwrap();
    let Some(seen) = inspect(&dir.path().join("q.docx")) else {
        return;
    };
    let ids: Vec<&str> = seen["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let issued: Vec<&str> = lock.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, issued);
    assert_eq!(
        seen["identity"],
        serde_json::json!(layout::identity_labels(Lang::Fr))
    );
    let question_tables: Vec<&serde_json::Value> = seen["headers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h[0] == "ID")
        .collect();
    assert_eq!(question_tables.len(), 7, "one table per criterion");
    for h in question_tables {
        assert!(h.as_array().unwrap().iter().any(|c| c == "Réponse"), "{h}");
    }
}

#[test]
fn the_metadata_are_custom_properties_and_runs_are_identical() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        boussole_in(dir.path(), &["questionnaire", "-o", "a.docx"]).code,
        0
    );
    assert_eq!(
        boussole_in(dir.path(), &["questionnaire", "-o", "b.docx"]).code,
        0
    );
    let (a, b) = (
        std::fs::read(dir.path().join("a.docx")).unwrap(),
        std::fs::read(dir.path().join("b.docx")).unwrap(),
    );
    assert!(a == b, "two runs differ");
    let lock = Lock::read(&dir.path().join("a.docx.boussole.lock")).unwrap();
    let custom = zip_entry(&dir.path().join("a.docx"), "docProps/custom.xml");
    assert!(custom.contains(&lock.library_hash));
    assert!(custom.contains(&lock.profile_hash));
    let first = &lock.questions[0];
    assert!(
        custom.contains(&format!(
            "name=\"boussole.q.{}\"><vt:lpwstr>{}",
            first.id, first.text_hash
        )),
        "{custom}"
    );
}

#[test]
fn english_docx_and_a_libreoffice_round_trip_keep_the_questions() {
    let dir = tempfile::tempdir().unwrap();
    let run = boussole_in(
        dir.path(),
        &["questionnaire", "--lang", "en", "-o", "q-en.docx"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = dir.path().join("q-en.docx");
    let lock = Lock::read(&dir.path().join("q-en.docx.boussole.lock")).unwrap();
    let read = boussole::response::read(&path).unwrap();
    assert_eq!(read.rows.len(), lock.questions.len());
    assert_eq!(read.rows[0].question, lock.questions[0].text);
    let out = tempfile::tempdir().unwrap();
    if let Some(text) = soffice(&path, "pdf", out.path()).and_then(|pdf| pdf_text(&pdf)) {
        assert!(
            text.contains("Supporting document"),
            "{}",
            &text[..text.len().min(500)]
        );
    }
    let resaved_dir = tempfile::tempdir().unwrap();
    let Some(resaved) = soffice(&path, "docx:MS Word 2007 XML", resaved_dir.path()) else {
        return;
    };
    let again = boussole::response::read(&resaved).unwrap();
    let ids =
        |r: &boussole::response::Response| r.rows.iter().map(|x| x.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&again), ids(&read));
}

#[test]
fn the_english_questionnaire_shows_its_examples_in_english() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let run = boussole_in(
        dir.path(),
        &["questionnaire", "--lang", "en", "-o", "q-en.docx"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let file = std::fs::File::open(dir.path().join("q-en.docx")).unwrap();
    let mut xml = String::new();
    zip::ZipArchive::new(file)
        .unwrap()
        .by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(xml.contains("Example: No"), "yes/no examples in English");
    assert_eq!(
        xml.matches("<w:tblHeader />").count(),
        xml.matches("<w:tbl>").count(),
        "every table's header row repeats on each page"
    );
    assert!(!xml.contains("Example: Oui<") && !xml.contains("Example: Non<"));
    // Every free-text example published in English, none in French.
    let lock = Lock::read(&dir.path().join("q-en.docx.boussole.lock")).unwrap();
    let english: Vec<String> = lock
        .selection
        .questions_for(boussole::library::Audience::Vendor)
        // Texts the committee marks have no published example.
        .filter(|q| q.scale != Some(boussole::scoring::Scale::Committee))
        .filter_map(|q| q.example_en.clone())
        .collect();
    assert!(!english.is_empty(), "no free-text example in English");
    for example in &english {
        let start: String = example.chars().take(30).collect();
        assert!(
            xml.contains(&format!("Example: {}", start.replace('&', "&amp;"))),
            "free text in English: {start}"
        );
    }
    assert!(
        !xml.contains("A random sample of 300"),
        "no example for a text the committee marks"
    );
    assert!(!xml.contains("Example: 1,3"), "a decimal point in English");

    // Every free-text example of the library has its English text.
    let library = boussole::library::load(None).unwrap();
    for q in &library.questions {
        let prose = q.answer == boussole::library::AnswerType::Text && q.example.contains(' ');
        assert!(
            !prose || q.example_en.is_some(),
            "{}: a free-text example without example_en",
            q.id
        );
    }
}

#[test]
fn the_document_prints_conditions_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let run = boussole_in(dir.path(), &["questionnaire", "-o", "q.docx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let xml = zip_entry(&dir.path().join("q.docx"), "word/document.xml");
    let text = regex::Regex::new("<[^>]*>").unwrap().replace_all(&xml, "");
    let text = text.replace("&quot;", "\"");
    for raw in ["==", "!="] {
        assert!(!text.contains(raw), "the DOCX prints {raw:?}");
    }
    let path = regex::Regex::new(r"profile\.\w").unwrap();
    assert!(!path.is_match(&text), "the DOCX prints a profile path");
    assert!(text.contains("À remplir seulement si la réponse à BIO-11 est «\u{202f}Oui\u{202f}»."));
}

#[test]
fn a_docx_filled_with_python_docx_reads_back_option_by_option() {
    if !python_has(&["docx"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let run = boussole_in(dir.path(), &["questionnaire", "-o", "q.docx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lock = Lock::read(&dir.path().join("q.docx.boussole.lock")).unwrap();
    let multi = lock
        .selection
        .questions
        .iter()
        .find(|q| q.answer_type == boussole::library::AnswerType::MultiChoice)
        .unwrap();
    let options: serde_json::Map<String, serde_json::Value> = multi
        .choices
        .iter()
        .enumerate()
        .map(|(i, c)| {
            (
                c.label.fr.clone(),
                json!(if i == 1 { "Oui" } else { "Non" }),
            )
        })
        .collect();
    let spec = json!({
        "identity": { "Raison sociale": "Plume SARL", "SIRET": "012 345 678 00019" },
        "answers": { multi.id.clone(): { "options": options } },
    });
    let filled = dir.path().join("rempli.docx");
    fill_script("fill_docx.py", &dir.path().join("q.docx"), &filled, &spec);
    let response = boussole::response::read(&filled).unwrap();
    assert_eq!(response.identity.name, "Plume SARL");
    assert_eq!(response.identity.siret, "012 345 678 00019");
    let row = response.rows.iter().find(|r| r.id == multi.id).unwrap();
    assert_eq!(row.options.len(), multi.choices.len());
    let value = boussole::answer::normalise_row(multi.spec(), row).unwrap();
    assert_eq!(
        value,
        boussole::answer::Value::Choices(vec![multi.choices[1].id.clone()])
    );
}
