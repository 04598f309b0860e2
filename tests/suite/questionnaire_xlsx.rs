//! The XLSX questionnaire (*cadre de réponse*) as a buyer issues it and a
//! vendor fills it: with the command, with openpyxl, through LibreOffice.
//!
//! Scenarios that need python3 + openpyxl or soffice print why and pass
//! when those are missing (CI installs them, see `.ci/run`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Reader, SheetVisible, open_workbook_auto};
use serde_json::{Value, json};

use crate::support::*;
use boussole::library::{self, AnswerType, Audience, Choice};
use boussole::office::typography;
use boussole::profile::Profile;
use boussole::questionnaire::lock::Lock;
use boussole::questionnaire::{Questionnaire, layout, xlsx};
use boussole::selection::{self, SelectedQuestion, Selection};
use boussole::text::{Lang, Text};

const QUESTIONS: usize = 2; // index of the questionnaire sheet in layout::sheet_names
const META: usize = 4; // index of the metadata sheet

/// Runs `boussole questionnaire -o q.xlsx` plus `args` in a new folder.
fn issue(args: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let mut all = vec!["questionnaire", "-o", "q.xlsx"];
    all.extend(args);
    let run = boussole_in(dir.path(), &all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = dir.path().join("q.xlsx");
    (dir, path)
}

/// The default tender's selection, after `edit`, rendered by the library.
fn render_with(edit: impl FnOnce(&mut Selection), password: Option<&str>) -> (Selection, Vec<u8>) {
    let lib = library::load(None).unwrap();
    let profile = Profile::embedded();
    let mut sel = selection::resolve(&lib, &profile);
    edit(&mut sel);
    let q = Questionnaire {
        selection: &sel,
        profile: &profile,
        lang: Lang::Fr,
        audience: Audience::Vendor,
        password,
    };
    let bytes = xlsx::render(&q).unwrap();
    (sel, bytes)
}

/// A cell as text: numbers without a useless `.0`, dates as `YYYY-MM-DD`.
fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02}")
        }
        Data::DateTimeIso(s) => s.chars().take(10).collect(),
        _ => String::new(),
    }
}

/// Every cell of `sheet` as text, by absolute position.
fn grid(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    let mut wb = open_workbook_auto(path).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    let (rows, cols) = range.end().map_or((0, 0), |(r, c)| (r + 1, c + 1));
    (0..rows)
        .map(|r| {
            (0..cols)
                .map(|c| range.get_value((r, c)).map_or_else(String::new, text))
                .collect()
        })
        .collect()
}

/// The rows of the questionnaire sheet by id (column A), below the header.
fn by_id(grid: &[Vec<String>]) -> BTreeMap<String, Vec<String>> {
    grid.iter()
        .skip(1)
        .filter(|r| is_id(&r[0]))
        .map(|r| (r[0].clone(), r.clone()))
        .collect()
}

/// The ids of the questionnaire sheet, in order.
fn sheet_ids(path: &Path, lang: Lang) -> Vec<String> {
    let g = grid(path, layout::sheet_names(lang)[QUESTIONS]);
    g.iter()
        .skip(1)
        .map(|r| r[0].clone())
        .filter(|id| is_id(id))
        .collect()
}

/// Whether a cell of column A is a question id (`BIO-01`), not a criterion's title.
fn is_id(cell: &str) -> bool {
    let b = cell.as_bytes();
    b.len() == 6 && b[..3].iter().all(u8::is_ascii_uppercase) && b[3] == b'-'
}

/// The visibility of each sheet, by name.
fn visibility(path: &Path) -> BTreeMap<String, SheetVisible> {
    let wb = open_workbook_auto(path).unwrap();
    wb.sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible))
        .collect()
}

/// Whether python3 with openpyxl is there; says why not.
fn openpyxl() -> bool {
    python_has(&["openpyxl"])
}

/// Runs a script of `tests/scripts` and returns its standard output.
fn script(name: &str, args: &[&Path]) -> String {
    let out = Command::new("python3")
        .arg(root().join("tests/scripts").join(name))
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{name}: {stderr}");
    String::from_utf8(out.stdout).unwrap()
}

/// What `inspect_xlsx.py` says about a French questionnaire.
fn inspect(path: &Path) -> Value {
    let names = layout::sheet_names(Lang::Fr);
    let (q, id) = (Path::new(names[QUESTIONS]), Path::new(names[1]));
    serde_json::from_str(&script("inspect_xlsx.py", &[path, q, id])).unwrap()
}

/// The data validation covering `cell` (such as `E12`).
fn validation_of<'a>(report: &'a Value, cell: &str) -> Option<&'a Value> {
    report["validations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["ranges"].as_array().unwrap().iter().any(|r| r == cell))
}

/// The answer cell of question `id` (`E` and its row).
fn answer_cell(report: &Value, id: &str) -> String {
    let col = char::from(b'A' + layout::ANSWER_COLUMN as u8);
    format!("{col}{}", report["rows"][id]["row"])
}

fn first_of(sel: &Selection, kind: AnswerType) -> &SelectedQuestion {
    sel.questions_for(Audience::Vendor)
        .find(|q| q.answer_type == kind)
        .unwrap_or_else(|| panic!("the default tender asks no {} question", kind.name()))
}

#[test]
fn writes_the_workbook_and_a_lock_with_the_same_ids() {
    let (dir, path) = issue(&[]);
    let lock = Lock::read(&dir.path().join("q.xlsx.boussole.lock")).unwrap();
    let locked: Vec<_> = lock.questions.iter().map(|q| q.id.clone()).collect();
    assert!(locked.len() > 50, "{} questions", locked.len());
    assert_eq!(sheet_ids(&path, Lang::Fr), locked);

    // The very hidden metadata sheet repeats the lock's versions and text hashes.
    let names = layout::sheet_names(Lang::Fr);
    let meta: BTreeMap<_, _> = grid(&path, names[META])
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    assert_eq!(
        meta["format_version"],
        lock.questionnaire_format.to_string()
    );
    assert_eq!(meta["tool"], lock.tool);
    assert_eq!(meta["library_hash"], lock.library_hash);
    assert_eq!(meta["profile_hash"], lock.profile_hash);
    assert_eq!(meta["lang"], "fr");
    assert_eq!(meta["audience"], "vendor");
    for q in &lock.questions {
        assert_eq!(meta[&q.id], q.text_hash, "{}", q.id);
    }
    assert_eq!(visibility(&path)[names[META]], SheetVisible::VeryHidden);
    assert_eq!(visibility(&path)[names[3]], SheetVisible::Hidden);

    // Each row shows the question as issued, in French typography, the
    // answer expected in short and the explanations beside it.
    let rows = by_id(&grid(&path, names[QUESTIONS]));
    let sel = &lock.selection;
    let q = first_of(sel, AnswerType::Number);
    let row = &rows[&q.id];
    assert_eq!(
        row[layout::QUESTION_COLUMN],
        typography::apply(&q.text.fr, Lang::Fr)
    );
    let unit = boussole::text::unit(q.unit.as_deref().unwrap(), boussole::text::Lang::Fr);
    assert!(row[2].contains(&unit), "{}", row[2]);
    assert!(row[2].contains("Obligatoire."), "{}", row[2]);
    let example = typography::apply(&format!("Exemple : {}", q.example), Lang::Fr);
    assert!(row[3].contains(&example), "{}", row[3]);
}

#[test]
fn the_instructions_give_the_deadline_scoring_and_eliminatory_questions() {
    let (dir, path) = issue(&[]);
    let lock = Lock::read(&dir.path().join("q.xlsx.boussole.lock")).unwrap();
    let text: Vec<String> = grid(&path, layout::sheet_names(Lang::Fr)[0]).concat();
    // Printed in French typography: « 29 janvier 2027 » holds together.
    let has = |s: &str| {
        let typeset = typography::apply(s, Lang::Fr);
        text.iter().any(|t| t.contains(s) || t.contains(&typeset))
    };
    let due = lock.profile.dates.offers_due.unwrap().in_words(Lang::Fr);
    for expected in [&due, &lock.profile.tender.reference, &lock.library_version] {
        assert!(has(expected), "no {expected:?} in the instructions");
    }
    assert!(
        !has(&lock.library_hash) && !has("SHA-256") && !has("boussole 0."),
        "no hash nor tool line for vendors"
    );
    for line in lock.selection.plan.formula(Lang::Fr) {
        assert!(has(&typography::apply(&line, Lang::Fr)), "no {line:?}");
    }
    assert!(has("virgule décimale") && has("liste déroulante") && has("85 %"));
    // how to join documents and return the file
    assert!(has("pièce jointe") && has("format d’origine") && has("valeur contractuelle"));
    let eliminatory = &lock.selection.plan.regularity;
    let asked: Vec<_> = lock
        .questions
        .iter()
        .filter(|q| eliminatory.contains(&q.id))
        .collect();
    assert!(
        !asked.is_empty(),
        "the default tender asks eliminatory questions"
    );
    for q in asked {
        let printed = typography::apply(&q.text, Lang::Fr);
        assert!(text.iter().any(|t| t == &q.id) && has(&printed), "{}", q.id);
    }
}

#[test]
fn two_runs_give_identical_bytes() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a.xlsx", "b.xlsx"] {
        let run = boussole_in(dir.path(), &["questionnaire", "-o", name]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let read = |name: &str| std::fs::read(dir.path().join(name)).unwrap();
    assert!(read("a.xlsx") == read("b.xlsx"), "the workbooks differ");
    assert!(read("a.xlsx.boussole.lock") == read("b.xlsx.boussole.lock"));
}

#[test]
fn an_existing_file_is_never_replaced_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.xlsx");
    std::fs::write(&path, "mine").unwrap();
    let run = boussole_in(dir.path(), &["questionnaire", "-o", "q.xlsx"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine");
    assert!(!dir.path().join("q.xlsx.boussole.lock").exists());

    // A lock left alone blocks too.
    std::fs::remove_file(&path).unwrap();
    std::fs::write(dir.path().join("q.xlsx.boussole.lock"), "old").unwrap();
    assert_eq!(
        boussole_in(dir.path(), &["questionnaire", "-o", "q.xlsx"]).code,
        2
    );
    assert!(!path.exists());

    let run = boussole_in(dir.path(), &["questionnaire", "-o", "q.xlsx", "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(std::fs::read(&path).unwrap().starts_with(b"PK"));
}

#[test]
fn english_questionnaire_has_english_sheets_and_headers() {
    let (_dir, path) = issue(&["--lang", "en"]);
    let names = layout::sheet_names(Lang::En);
    let sheets: Vec<_> = visibility(&path).into_keys().collect();
    let mut expected: Vec<_> = names.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(sheets, expected);
    let questions = grid(&path, names[QUESTIONS]);
    assert_eq!(questions[0], layout::columns(Lang::En));
    let identity: Vec<_> = grid(&path, names[1])
        .into_iter()
        .skip(3) // title, why, header
        .map(|r| r[0].clone())
        .collect();
    assert_eq!(identity, layout::identity_labels(Lang::En));
    let instructions = grid(&path, names[0]).concat();
    assert!(
        instructions
            .iter()
            .any(|t| t.contains("the French version prevails"))
    );
    assert!(questions.concat().iter().any(|t| t.contains("Example: ")));
}

#[test]
fn openpyxl_sees_locked_questions_unlocked_answers_and_checks() {
    if !openpyxl() {
        return;
    }
    let (dir, path) = issue(&[]);
    let lock = Lock::read(&dir.path().join("q.xlsx.boussole.lock")).unwrap();
    let report = inspect(&path);

    let names = layout::sheet_names(Lang::Fr);
    let sheets = report["sheets"].as_array().unwrap();
    let states: Vec<_> = sheets
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), s["state"].as_str().unwrap()))
        .collect();
    let expected = ["visible", "visible", "visible", "hidden", "veryHidden"];
    assert_eq!(states, names.into_iter().zip(expected).collect::<Vec<_>>());
    for s in sheets {
        assert_eq!(s["protected"], true, "{s}");
        assert_eq!(s["password"], false, "{s}");
    }
    assert_eq!(report["header"], json!(layout::columns(Lang::Fr)));
    assert_eq!(
        report["identity"]["labels"],
        json!(layout::identity_labels(Lang::Fr))
    );
    // every answer as text (a SIRET keeps its leading zero), the date a date
    let formats = report["identity"]["answer_formats"].as_array().unwrap();
    assert_eq!(formats[1], "@", "SIRET");
    assert!(formats.last().unwrap().as_str().unwrap().contains("yy"));

    let rows = report["rows"].as_object().unwrap();
    let mut ids: Vec<_> = rows.keys().cloned().collect();
    ids.sort();
    let mut locked: Vec<_> = lock.questions.iter().map(|q| q.id.clone()).collect();
    locked.sort();
    assert_eq!(ids, locked);
    let multi_choice: Vec<_> = lock
        .selection
        .questions
        .iter()
        .filter(|q| q.answer_type == AnswerType::MultiChoice)
        .map(|q| q.id.clone())
        .collect();
    for (id, row) in rows {
        // a multiple choice is answered on its option rows, not in its own cell
        let answer_locked = multi_choice.contains(id);
        let expected = [true, true, true, true, answer_locked, false, false];
        assert_eq!(row["locked"], json!(expected), "{id}");
    }

    let sel = &lock.selection;
    let yes_no = validation_of(
        &report,
        &answer_cell(&report, &first_of(sel, AnswerType::YesNo).id),
    )
    .unwrap();
    assert_eq!(yes_no["type"], "list");
    assert_eq!(yes_no["formula1"], "\"Oui,Non\"");
    let number = validation_of(
        &report,
        &answer_cell(&report, &first_of(sel, AnswerType::Number).id),
    )
    .unwrap();
    assert_eq!(
        (&number["type"], &number["errorStyle"]),
        (&json!("decimal"), &json!("warning"))
    );
    let date = validation_of(
        &report,
        &answer_cell(&report, &first_of(sel, AnswerType::Date).id),
    )
    .unwrap();
    assert_eq!(
        (&date["type"], &date["errorStyle"]),
        (&json!("date"), &json!("warning"))
    );
    let percent = &first_of(sel, AnswerType::Percent).id;
    assert_eq!(report["rows"][percent]["answer_format"], "@");
    // A multiple choice: one Oui/Non drop-down per option row below it.
    let multi = first_of(sel, AnswerType::MultiChoice);
    let first = report["rows"][&multi.id]["row"].as_u64().unwrap();
    let col = char::from(b'A' + layout::ANSWER_COLUMN as u8);
    for k in 1..=multi.choices.len() as u64 {
        let v = validation_of(&report, &format!("{col}{}", first + k)).unwrap();
        assert_eq!(v["formula1"], "\"Oui,Non\"", "{v}");
    }
    // A country: the hidden list of countries, in Information style (several may be typed).
    let country = first_of(sel, AnswerType::Country);
    let v = validation_of(&report, &answer_cell(&report, &country.id)).unwrap();
    assert_eq!(
        (&v["type"], &v["errorStyle"]),
        (&json!("list"), &json!("information"))
    );

    // Each input message within Excel's limits, never cut inside a word, and
    // no machine text (choice ids) in what the vendor reads.
    let all = report["validations"].as_array().unwrap();
    assert!(all.len() >= rows.len());
    for v in all {
        let units = |k: &str| v[k].as_str().unwrap_or("").encode_utf16().count();
        assert!(units("prompt") > 0 && units("prompt") <= 255, "{v}");
        assert!(units("promptTitle") <= 32 && units("error") <= 255, "{v}");
    }
    let printed = grid(&path, names[QUESTIONS]).concat().join("\n");
    for q in &lock.selection.questions {
        for c in q.choices.iter().filter(|c| c.id.contains('_')) {
            assert!(!printed.contains(&c.id), "{} shows {}", q.id, c.id);
        }
    }
}

#[test]
fn long_choice_lists_are_read_from_the_hidden_list_sheet() {
    let long: Vec<Choice> = (1..=30)
        .map(|i| Choice {
            id: format!("c{i}"),
            label: Text {
                fr: format!("Choix numéro {i} de la liste"),
                en: format!("Choice number {i}"),
            },
            method: None,
        })
        .collect();
    let mut id = String::new();
    let (_, bytes) = render_with(
        |sel| {
            let q = sel
                .questions
                .iter_mut()
                .find(|q| q.answer_type == AnswerType::Choice)
                .unwrap();
            q.choices = long.clone();
            id = q.id.clone();
        },
        None,
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.xlsx");
    std::fs::write(&path, bytes).unwrap();
    let lists = layout::sheet_names(Lang::Fr)[3];
    let g = grid(&path, lists);
    let at = g[0].iter().position(|c| c == &id).unwrap();
    let column: Vec<_> = g
        .iter()
        // Labels are printed in French typography (no-break spaces).
        .map(|r| r[at].replace('\u{a0}', " "))
        .take_while(|c| !c.is_empty())
        .collect();
    let labels = long.iter().map(|c| c.label.fr.clone());
    assert_eq!(
        column,
        std::iter::once(id.clone())
            .chain(labels)
            .collect::<Vec<_>>()
    );
    assert_eq!(visibility(&path)[lists], SheetVisible::Hidden);

    if !openpyxl() {
        return;
    }
    let report = inspect(&path);
    let v = validation_of(&report, &answer_cell(&report, &id)).unwrap();
    assert_eq!(v["type"], "list");
    let letter = char::from(b'A' + at as u8);
    assert_eq!(v["formula1"], format!("{lists}!${letter}$2:${letter}$31"));
}

#[test]
fn a_password_protects_every_sheet() {
    if !openpyxl() {
        return;
    }
    let (_, bytes) = render_with(|_| {}, Some("s3cret"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.xlsx");
    std::fs::write(&path, bytes).unwrap();
    for s in inspect(&path)["sheets"].as_array().unwrap() {
        assert_eq!(
            (&s["protected"], &s["password"]),
            (&json!(true), &json!(true)),
            "{s}"
        );
    }
}

#[test]
fn texts_stay_strings_cleaned_and_within_excel_limits() {
    let formula = "=HYPERLINK(\"https://example.org\";\"clic\")\u{1}";
    let (sel, bytes) = render_with(
        |sel| {
            let q = &mut sel.questions[0];
            q.text.fr = formula.into();
            q.help.fr = "é".repeat(40_000);
            q.example = "+33 1 23 45 67 89\u{b}".into();
        },
        None,
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.xlsx");
    std::fs::write(&path, bytes).unwrap();
    let sheet = layout::sheet_names(Lang::Fr)[QUESTIONS];
    let rows = by_id(&grid(&path, sheet));
    let row = &rows[&sel.questions[0].id];
    assert_eq!(row[1], formula.trim_end_matches('\u{1}'));
    assert_eq!(row[3].encode_utf16().count(), 32_767);
    assert!(!row.concat().contains(['\u{1}', '\u{b}']));
    let mut wb = open_workbook_auto(&path).unwrap();
    let formulas = wb.worksheet_formula(sheet).unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "a formula was written"
    );
}

#[test]
fn properties_name_the_tender_and_carry_the_hashes() {
    let (dir, path) = issue(&[]);
    let lock = Lock::read(&dir.path().join("q.xlsx.boussole.lock")).unwrap();
    let mut wb = open_workbook_auto(&path).unwrap();
    let p = wb.workbook_properties().unwrap();
    assert_eq!(p.creator.as_deref(), Some(lock.profile.buyer.name.as_str()));
    assert!(p.title.unwrap().contains(&lock.profile.tender.reference));
    let launch = lock.profile.dates.launch.unwrap().to_string();
    assert!(p.created.unwrap().starts_with(&launch));
    assert_eq!(
        p.custom_properties["boussole.library_hash"],
        lock.library_hash
    );
    assert_eq!(
        p.custom_properties["boussole.profile_hash"],
        lock.profile_hash
    );
}

/// What the vendor types for `q` (a JSON value for `fill_xlsx.py`) and what
/// should be read back.
fn typed(q: &SelectedQuestion) -> (Value, String) {
    match q.answer_type {
        AnswerType::Number => match q.example.parse::<f64>() {
            Ok(x) => (json!(x), q.example.clone()),
            Err(_) => (json!(q.example), q.example.clone()),
        },
        AnswerType::Date => (json!({ "date": q.example }), q.example.clone()),
        _ => (json!(q.example), q.example.clone()),
    }
}

#[test]
fn answers_survive_openpyxl_and_libreoffice_by_id() {
    if !openpyxl() {
        return;
    }
    let (dir, path) = issue(&[]);
    let lock = Lock::read(&dir.path().join("q.xlsx.boussole.lock")).unwrap();
    let sel = &lock.selection;
    let comma = &first_of(sel, AnswerType::Number).id;
    let mut answers = serde_json::Map::new();
    let mut expected = BTreeMap::new();
    for (n, issued) in lock.questions.iter().enumerate() {
        let q = sel.questions.iter().find(|q| q.id == issued.id).unwrap();
        let (value, back) = if &q.id == comma {
            (json!("12,5"), "12,5".to_string()) // decimal comma, kept as typed
        } else {
            typed(q)
        };
        let comment = format!("Commentaire sur {} : voir l'offre technique.", q.id);
        let document = format!("offre-technique.pdf, p. {}", n + 1);
        answers.insert(
            q.id.clone(),
            json!({ "answer": value, "comment": comment, "document": document }),
        );
        expected.insert(q.id.clone(), vec![back, comment, document]);
    }
    assert!(
        lock.selection
            .questions
            .iter()
            .any(|q| q.answer_type == AnswerType::Percent)
    );
    let names = layout::sheet_names(Lang::Fr);
    let identity = [
        "Exemple IA SAS",
        "123 456 789 00012",
        "12 rue des Lices, 49100 Angers",
        "Candidat seul",
        "Jeanne Martin",
        "Présidente",
        "Paul Durand",
        "jeanne.martin@example.eu",
        "02 41 00 00 00",
        "2027-01-15",
    ];
    let identity_by_label: serde_json::Map<String, Value> = layout::identity_labels(Lang::Fr)
        .iter()
        .zip(identity)
        .map(|(l, v)| (l.to_string(), json!(v)))
        .collect();
    let spec = json!({
        "questions_sheet": names[QUESTIONS],
        "identity_sheet": names[1],
        "answer_column": layout::ANSWER_COLUMN,
        "identity": identity_by_label,
        "answers": answers,
    });
    let spec_path = dir.path().join("answers.json");
    std::fs::write(&spec_path, spec.to_string()).unwrap();
    let filled = dir.path().join("filled.xlsx");
    script("fill_xlsx.py", &[&path, &filled, &spec_path]);

    let mut files = vec![filled.clone()];
    for to in ["xlsx", "ods"] {
        let outdir = dir.path().join(format!("libreoffice-{to}"));
        std::fs::create_dir_all(&outdir).unwrap();
        match soffice(&filled, to, &outdir) {
            Some(out) => files.push(out),
            None => break,
        }
    }
    for file in &files {
        let rows = by_id(&grid(file, names[QUESTIONS]));
        let col = layout::ANSWER_COLUMN;
        for (id, want) in &expected {
            let row = rows
                .get(id)
                .unwrap_or_else(|| panic!("{}: {id} lost", file.display()));
            assert_eq!(&row[col..col + 3], &want[..], "{}: {id}", file.display());
        }
        assert_eq!(rows.len(), expected.len(), "{}", file.display());
        let back: Vec<_> = grid(file, names[1])
            .into_iter()
            .skip(3) // title, why, header
            .map(|r| r[1].clone())
            .collect();
        assert_eq!(back, identity, "{}", file.display());
        let meta = visibility(file)[names[META]];
        assert!(
            matches!(meta, SheetVisible::Hidden | SheetVisible::VeryHidden),
            "{}: {meta:?}",
            file.display()
        );
    }
}

#[test]
fn conditions_read_as_words_and_say_when_an_answer_is_required() {
    let path_re = regex::Regex::new(r"profile\.\w").unwrap();
    for (lang, code) in [(Lang::Fr, "fr"), (Lang::En, "en")] {
        let (dir, path) = issue(&["--lang", code]);
        let lock = Lock::read(&dir.path().join("q.xlsx.boussole.lock")).unwrap();
        let names = layout::sheet_names(lang);
        for sheet in &names[..3] {
            for cell in grid(&path, sheet).concat() {
                for raw in ["==", "!="] {
                    assert!(!cell.contains(raw), "{sheet} prints {raw:?}: {cell}");
                }
                assert!(!path_re.is_match(&cell), "{sheet} prints a path: {cell}");
            }
        }
        let rows = by_id(&grid(&path, names[QUESTIONS]));
        let conditional: Vec<_> = lock
            .selection
            .questions_for(Audience::Vendor)
            .filter(|q| q.condition.is_some())
            .collect();
        assert!(!conditional.is_empty());
        for q in conditional {
            let help = &rows[&q.id][2];
            let (only, answer, required, always) = match lang {
                Lang::Fr => (
                    "À remplir seulement si ",
                    "la réponse à ",
                    "Obligatoire dans ce cas.",
                    "Obligatoire.",
                ),
                Lang::En => (
                    "To answer only if ",
                    "the answer to ",
                    "Required in that case.",
                    "Required.",
                ),
            };
            assert!(help.contains(only), "{}: {help}", q.id);
            assert!(help.contains(answer), "{}: {help}", q.id);
            assert_eq!(help.contains(required), q.required, "{}: {help}", q.id);
            assert!(!help.contains(always), "{}: {help}", q.id);
        }
    }
}

/// The `check --format json` result of `file` against the lock of `dir`.
fn checked(dir: &Path, file: &Path) -> Value {
    let lock = dir.join("q.xlsx.boussole.lock");
    let args = [
        "check",
        "--lock",
        lock.to_str().unwrap(),
        "--format",
        "json",
        file.to_str().unwrap(),
    ];
    let run = boussole_in(dir, &args);
    let report: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr));
    report["results"][0].clone()
}

/// The findings and integrity warnings of `result` about question `id`.
fn findings_on<'a>(result: &'a Value, id: &str) -> Vec<&'a Value> {
    ["findings", "integrity"]
        .iter()
        .flat_map(|k| result[k].as_array().into_iter().flatten())
        .filter(|f| f["question"] == id)
        .collect()
}

#[test]
fn a_vendor_answers_option_by_option_and_by_country_name_and_the_checker_reads_it_back() {
    if !openpyxl() {
        return;
    }
    let (dir, path) = issue(&[]);
    let lock = Lock::read(&dir.path().join("q.xlsx.boussole.lock")).unwrap();
    let sel = &lock.selection;
    let multi = first_of(sel, AnswerType::MultiChoice);
    let country = first_of(sel, AnswerType::Country);
    // Oui on the first and last options, Non on the second, the others left empty.
    let labels: Vec<&str> = multi.choices.iter().map(|c| c.label.fr.as_str()).collect();
    assert!(labels.len() >= 3, "{}", multi.id);
    let mut options = serde_json::Map::new();
    options.insert(labels[0].into(), json!("Oui"));
    options.insert(labels[1].into(), json!("Non"));
    options.insert(labels[labels.len() - 1].into(), json!("Oui"));
    let want_multi = json!([multi.choices[0].id, multi.choices[labels.len() - 1].id]);
    let identity = json!({
        "Raison sociale": "Zéro Défaut SAS",
        "SIRET": "012 345 678 00019",
        "Adresse": "3 quai de la Fosse, 44000 Nantes",
        "Candidat seul ou groupement": "Candidat seul",
        "Signataire (nom et prénom)": "Anne Leroy",
        "Qualité du signataire": "Présidente",
        "Courriel": "anne.leroy@example.fr",
    });
    let spec = json!({
        "questions_sheet": layout::sheet_names(Lang::Fr)[QUESTIONS],
        "identity_sheet": layout::sheet_names(Lang::Fr)[1],
        "answer_column": layout::ANSWER_COLUMN,
        "identity": identity,
        "answers": {
            multi.id.clone(): { "options": options },
            country.id.clone(): { "answer": "France" },
        },
    });
    let filled = dir.path().join("rempli.xlsx");
    fill_script("fill_xlsx.py", &path, &filled, &spec);
    let outdir = dir.path().join("libreoffice");
    std::fs::create_dir_all(&outdir).unwrap();
    let Some(resaved) = soffice(&filled, "xlsx", &outdir) else {
        return;
    };
    for file in [&filled, &resaved] {
        let r = checked(dir.path(), file);
        let question = |id: &str| {
            r["questions"]
                .as_array()
                .unwrap()
                .iter()
                .find(|q| q["id"] == id)
                .unwrap()
                .clone()
        };
        assert_eq!(
            question(&multi.id)["value"],
            want_multi,
            "{}",
            file.display()
        );
        assert_eq!(question(&country.id)["value"], json!(["FR"]));
        for id in [&multi.id, &country.id] {
            // read as answered: nothing unread, missing or in conflict
            let reading = [
                "unreadable",
                "missing_answer",
                "non_answer",
                "conflicting_answers",
            ];
            let about: Vec<_> = findings_on(&r, id)
                .into_iter()
                .filter(|f| reading.iter().any(|c| f["code"] == *c))
                .collect();
            assert!(about.is_empty(), "{id}: {about:?}");
        }
        assert_eq!(r["vendor"]["name"], "Zéro Défaut SAS");
        assert_eq!(r["vendor"]["siret"], "012 345 678 00019");
        assert_eq!(r["vendor"]["signatory"], "Anne Leroy");
        let codes: Vec<&Value> = r["integrity"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| &i["code"])
            .collect();
        assert!(!codes.contains(&&json!("identity_incomplete")), "{codes:?}");
    }
}

#[test]
fn a_return_of_the_former_layout_still_reads_and_an_incomplete_identity_is_to_regularise() {
    if !openpyxl() {
        return;
    }
    let (dir, path) = issue(&[]);
    let lock = Lock::read(&dir.path().join("q.xlsx.boussole.lock")).unwrap();
    let multi = first_of(&lock.selection, AnswerType::MultiChoice);
    // Questionnaires issued before asked for the labels typed in the
    // question's own cell, joined by « ; », and five identity rows.
    let typed = format!(
        "{} ; {}",
        multi.choices[0].label.fr, multi.choices[1].label.fr
    );
    let spec = json!({
        "questions_sheet": layout::sheet_names(Lang::Fr)[QUESTIONS],
        "identity_sheet": layout::sheet_names(Lang::Fr)[1],
        "answer_column": layout::ANSWER_COLUMN,
        "identity": ["Ancien Format SARL", "732 829 320 00074", "Camille Martin", "camille@example.com"],
        "answers": { multi.id.clone(): { "answer": typed } },
    });
    let filled = dir.path().join("ancien.xlsx");
    fill_script("fill_xlsx.py", &path, &filled, &spec);
    let r = checked(dir.path(), &filled);
    let value = r["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == multi.id.as_str())
        .unwrap()["value"]
        .clone();
    assert_eq!(value, json!([multi.choices[0].id, multi.choices[1].id]));
    let incomplete: Vec<&Value> = r["integrity"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["code"] == "identity_incomplete")
        .collect();
    assert_eq!(incomplete.len(), 1, "{}", r["integrity"]);
    let message = incomplete[0]["message"].as_str().unwrap();
    for missing in [
        "Adresse",
        "Signataire",
        "Qualité du signataire",
        "à régulariser",
    ] {
        assert!(message.contains(missing), "{message}");
    }
    assert!(!message.contains("Raison sociale"), "{message}");
}

#[test]
fn a_return_of_a_questionnaire_issued_before_still_reads() {
    let (dir, _) = issue(&[]);
    let lock = Lock::read(&dir.path().join("q.xlsx.boussole.lock")).unwrap();
    let former = fixture("former/cadre-de-reponse-format-1.xlsx");
    let r = checked(dir.path(), &former);
    let questions = r["questions"].as_array().unwrap();
    let multi: Vec<_> = lock
        .selection
        .questions_for(Audience::Vendor)
        .filter(|q| q.answer_type == AnswerType::MultiChoice)
        .collect();
    let mut read = 0;
    for q in multi {
        let Some(got) = questions.iter().find(|x| x["id"] == q.id.as_str()) else {
            continue;
        };
        if got["raw"].as_str().unwrap_or("").trim().is_empty() {
            continue;
        }
        // typed labels joined by « ; », read into the choice ids as always
        assert_ne!(got["status"], "invalid", "{}: {got}", q.id);
        let ids = got["value"].as_array().unwrap();
        assert!(!ids.is_empty(), "{}: {got}", q.id);
        for id in ids {
            assert!(q.choices.iter().any(|c| c.id == *id), "{}: {id}", q.id);
        }
        read += 1;
    }
    assert!(read > 0, "the former return answers multiple choices");
    assert_eq!(r["vendor"]["name"], "Atelier Numérique Loire SAS");
    assert!(
        r["integrity"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["code"] == "identity_incomplete"),
        "five identity rows: the signatory is missing"
    );
}
