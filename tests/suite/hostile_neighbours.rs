//! Hostile neighbours of the returned files: what sits beside them in the
//! folder of offers (links, pipes, the report's own path), what a lock or a
//! library may hold (conditions built to exhaust the parser, a rule edited
//! by hand), a pipe given where a file is expected, two identical files
//! decided differently, and what a vendor may type to repaint the terminal
//! or the Markdown report.
//!
//! Every crafted input is built here. Each must come back as a clear error
//! naming the file and the problem, the batch going on, no input modified,
//! no panic.

use std::path::Path;
use std::process::Command;

use boussole::condition::{Condition, MAX_CHARS, MAX_DEPTH, SyntaxError};
use boussole::library::{AnswerType, Role};
use boussole::questionnaire::lock::Lock;
use boussole::rule::Severity;
use serde_json::{Map, Value, json};

use crate::hostile::run_sampled;
use crate::support::*;

// ------------------------------------------------------------ conditions

/// 20 000 nested parentheses around `true` (40 KB): used to exhaust the stack.
fn nested(depth: usize) -> String {
    format!("{}true{}", "(".repeat(depth), ")".repeat(depth))
}

/// A condition of about `bytes` bytes, each part valid: used to take
/// minutes to read.
fn long(bytes: usize) -> String {
    let part = "profile.system.personal_data and ";
    format!("{}true", part.repeat(bytes / part.len()))
}

#[test]
fn conditions_too_deep_or_too_long_are_refused_with_their_reason() {
    let too_long = SyntaxError::TooLong { chars: 0 };
    for (src, want) in [
        // What used to abort the process (40 KB) and to run for minutes (400 KB).
        (nested(20_000), &too_long),
        (long(400_000), &too_long),
        // Deep within the length allowed.
        (nested(400), &SyntaxError::TooDeep),
        (format!("{}true", "not ".repeat(200)), &SyntaxError::TooDeep),
        (
            format!("profile.x in {}", "[".repeat(900)),
            &SyntaxError::TooDeep,
        ),
    ] {
        let c = Condition::new(&src);
        let got = c.expr().unwrap_err();
        assert_eq!(
            std::mem::discriminant(got),
            std::mem::discriminant(want),
            "{got}"
        );
        assert!(c.excerpt().chars().count() <= 61, "{}", c.excerpt());
    }
    // Within the limits, the same shapes read.
    assert!(Condition::new(&nested(MAX_DEPTH)).expr().is_ok());
    let within = long(MAX_CHARS - 10);
    assert!(within.chars().count() <= MAX_CHARS);
    assert!(Condition::new(&within).expr().is_ok());
    // An error quotes a bounded excerpt, never the whole input.
    let unclosed = format!("profile.x == \"{}", "a".repeat(100_000));
    let err = Condition::new(&unclosed[..MAX_CHARS])
        .expr()
        .unwrap_err()
        .to_string();
    assert!(err.contains("unclosed string") && err.len() < 200, "{err}");
}

/// A lock whose question `id` has `condition` instead of its own, as a
/// hostile neighbour (or a careless hand) could leave it.
fn tampered_lock(dir: &Path, lock: &Path, id: &str, condition: &str) {
    let mut json: Value = serde_json::from_str(&std::fs::read_to_string(lock).unwrap()).unwrap();
    let q = json["selection"]["questions"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|q| q["id"] == id)
        .unwrap();
    q["condition"] = Value::String(condition.to_string());
    std::fs::write(dir.join("bizarre.lock"), json.to_string()).unwrap();
}

#[test]
fn a_lock_with_a_hostile_condition_is_refused_naming_the_lock_and_question() {
    let (dir, lock) = issue(&["questionnaire.xlsx"]);
    let id = lock.selection.questions[0].id.clone();
    let lock_path = dir.path().join("questionnaire.xlsx.boussole.lock");
    for (condition, reason) in [
        (nested(20_000), "characters long"),
        (nested(400), "deep"),
        (long(400_000), "characters long"),
        ("profile.x ===".to_string(), "unknown operator"),
    ] {
        tampered_lock(dir.path(), &lock_path, &id, &condition);
        let args = ["check", "--lock", "bizarre.lock", "questionnaire.xlsx"];
        let (code, _, stderr, _, _) = run_sampled(dir.path(), &args);
        assert!(!stderr.contains("overflow"), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_eq!(code, 2, "a clear error, not an abort: {stderr}");
        assert!(
            stderr.contains("bizarre.lock") && stderr.contains(&id) && stderr.contains(reason),
            "{stderr}"
        );
        assert!(
            stderr.len() < 1_000,
            "the error quotes an excerpt: {stderr}"
        );
        // Through the library too: the same lock read as `serve` reads an upload.
        let text = std::fs::read_to_string(dir.path().join("bizarre.lock")).unwrap();
        let err = Lock::parse("envoi.lock", &text).unwrap_err().to_string();
        assert!(err.contains("envoi.lock") && err.contains(&id), "{err}");
    }
}

#[test]
fn a_library_with_a_hostile_condition_is_refused_naming_the_file_and_question() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("library/minimal"), dir.path());
    let file = dir.path().join("biometrics.toml");
    let toml = std::fs::read_to_string(&file).unwrap();
    let hostile = toml.replacen(
        "id = \"BIO-01\"",
        &format!("id = \"BIO-01\"\nwhen = \"{}\"", nested(400)),
        1,
    );
    assert_ne!(toml, hostile);
    std::fs::write(&file, hostile).unwrap();
    let run = boussole(&["plan", "--library", dir.path().to_str().unwrap()]);
    assert!(!run.stderr.contains("overflow"), "{}", run.stderr);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("biometrics.toml")
            && run.stderr.contains("BIO-01")
            && run.stderr.contains("deep"),
        "{}",
        run.stderr
    );
}

// ------------------------------------------------------------ folders and outputs

/// A folder of offers holding one vendor's file and `neighbours` beside it.
fn offers(neighbours: impl FnOnce(&Path)) -> (tempfile::TempDir, Vec<u8>) {
    let (dir, _) = issue(&["questionnaire.xlsx"]);
    let offers = dir.path().join("offres");
    std::fs::create_dir(&offers).unwrap();
    let bytes = std::fs::read(dir.path().join("questionnaire.xlsx")).unwrap();
    std::fs::write(offers.join("acme.xlsx"), &bytes).unwrap();
    neighbours(&offers);
    (dir, bytes)
}

fn check_json(dir: &Path, args: &[&str]) -> (i32, Value, String) {
    let mut all = vec![
        "check",
        "--lock",
        "questionnaire.xlsx.boussole.lock",
        "--format",
        "json",
    ];
    all.extend(args);
    let (code, stdout, stderr, _, _) = run_sampled(dir, &all);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let report = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (code, report, stderr)
}

fn skipped(report: &Value) -> Vec<(String, String)> {
    report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap().to_string(),
                s["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn links_and_pipes_in_the_folder_leave_each_offer_counted_once() {
    let (dir, _) = offers(|offers| {
        std::os::unix::fs::symlink(".", offers.join("x")).unwrap();
        std::os::unix::fs::symlink("acme.xlsx", offers.join("copie.xlsx")).unwrap();
        std::os::unix::fs::symlink("absente.xlsx", offers.join("rompu.xlsx")).unwrap();
        let fifo = Command::new("mkfifo")
            .arg(offers.join("tube.xlsx"))
            .status()
            .unwrap();
        assert!(fifo.success());
    });
    let (code, report, stderr) = check_json(dir.path(), &["offres", "offres/acme.xlsx"]);
    let results = report["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "one vendor, one result: {stderr}");
    assert_eq!(results[0]["file"], "offres/acme.xlsx");
    assert_eq!(code, 1, "the blank questionnaire is incomplete: {stderr}");
    let skipped = skipped(&report);
    let reason = |path: &str| {
        skipped
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, r)| r.clone())
            .unwrap_or_else(|| panic!("{path} not among {skipped:?}"))
    };
    assert!(reason("offres/x").contains("already searched"));
    assert!(reason("offres/copie.xlsx").contains("same file as offres/acme.xlsx"));
    assert!(reason("offres/rompu.xlsx").contains("broken link"));
    assert!(reason("offres/tube.xlsx").contains("not a regular file"));
    assert!(
        stderr.contains("skipped offres/tube.xlsx (not a regular file"),
        "{stderr}"
    );
}

#[test]
fn an_output_that_is_an_input_is_refused_and_the_input_kept() {
    let (dir, bytes) = offers(|_| {});
    let acme = "offres/acme.xlsx";
    for format in ["json", "xlsx"] {
        let args = [
            "check",
            "--lock",
            "questionnaire.xlsx.boussole.lock",
            acme,
            "--format",
            format,
            "-o",
            acme,
            "--force",
        ];
        let run = boussole_in(dir.path(), &args);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(
            run.stderr.contains(acme) && run.stderr.contains("also a file read"),
            "{}",
            run.stderr
        );
        assert_eq!(std::fs::read(dir.path().join(acme)).unwrap(), bytes);
    }
    // The same file by another path: through a link, or the lock itself.
    std::os::unix::fs::symlink("offres/acme.xlsx", dir.path().join("lien.xlsx")).unwrap();
    for out in ["lien.xlsx", "questionnaire.xlsx.boussole.lock"] {
        let args = [
            "check",
            "--lock",
            "questionnaire.xlsx.boussole.lock",
            "./offres/acme.xlsx",
            "-o",
            out,
            "--format",
            "json",
            "--force",
        ];
        let run = boussole_in(dir.path(), &args);
        assert_eq!(run.code, 2, "{out}: {}", run.stderr);
        assert!(run.stderr.contains("also a file read"), "{}", run.stderr);
    }
    assert_eq!(std::fs::read(dir.path().join(acme)).unwrap(), bytes);
}

#[test]
fn a_broken_link_at_the_output_is_not_replaced_without_force() {
    let (dir, _) = offers(|_| {});
    std::os::unix::fs::symlink("ailleurs/rapport.json", dir.path().join("rapport.json")).unwrap();
    let (code, _, stderr) = check_json(dir.path(), &["offres", "-o", "rapport.json"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("rapport.json: already exists"), "{stderr}");
    let link = dir.path().join("rapport.json");
    assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
}

#[test]
fn the_temporary_output_never_goes_through_a_planted_link() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("offre-du-voisin.xlsx");
    std::fs::write(&victim, b"the vendor's only file").unwrap();
    // The name the temporary file used to have: `.NAME.PID.tmp`, beside the
    // output, predictable by anyone who can write in the folder.
    let planted = dir
        .path()
        .join(format!(".rapport.json.{}.tmp", std::process::id()));
    std::os::unix::fs::symlink(&victim, &planted).unwrap();
    let out = dir.path().join("rapport.json");
    boussole::output::write_file(&out, b"{}", false).unwrap();
    assert_eq!(std::fs::read(&victim).unwrap(), b"the vendor's only file");
    assert_eq!(std::fs::read(&out).unwrap(), b"{}");
    assert!(planted.symlink_metadata().unwrap().file_type().is_symlink());
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp") && !planted.ends_with(n))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

// ------------------------------------------------------------ vendor text

/// What a hostile vendor types: an escape sequence that erases the line and
/// writes another verdict (written `_x001B_`, as XLSX escapes a control
/// character; `\u{9b}` is the one-byte CSI), a right-to-left override, and
/// Markdown: a heading, HTML, an image, a link and a link's definition.
const NAME: &str = "Acme_x001B_[2K_x000D_Autre SA \u{9b}1m\u{202e}AS emcA";
const ANSWER: &str = "Peut-être_x001B_[1A_x001B_[2K_x000D_conforme 100,0\n\
# Offre retenue\n<img src=x onerror=alert(1)> ![logo](http://x.example/l.png) \
[clic](http://x.example) [a]: http://x.example\n---";

/// The questionnaire returned by the hostile vendor: careful answers, but
/// `ANSWER` to an eliminatory or major yes/no question and `NAME` as its name.
fn hostile_return(dir: &Path, lock: &Lock) -> String {
    let questions = || {
        lock.selection
            .questions
            .iter()
            .filter(|q| q.audience.contains(&boussole::library::Audience::Vendor))
    };
    let target = questions()
        .find(|q| {
            q.answer_type == AnswerType::YesNo
                && q.condition.is_none()
                && q.role == Role::Regularity
                && q.rule
                    .as_ref()
                    .is_some_and(|r| r.severity >= Severity::Major)
        })
        .expect("the library has such a question");
    let mut answers: Map<String, Value> = questions()
        .map(|q| {
            let document = careful_document(q);
            (
                q.id.clone(),
                json!({ "answer": careful_text(q), "comment": "", "document": document }),
            )
        })
        .collect();
    answers.insert(target.id.clone(), json!({ "answer": ANSWER }));
    let spec = json!({
        "questions_sheet": "Questionnaire",
        "identity_sheet": "Identité",
        "answer_column": 4,
        "identity": [NAME, "732 829 320 00074", "Camille Martin", "camille@example.com", {"date": "2027-01-20"}],
        "answers": answers,
    });
    fill_script(
        "fill_xlsx.py",
        &dir.join("questionnaire.xlsx"),
        &dir.join("hostile.xlsx"),
        &spec,
    );
    target.id.clone()
}

#[test]
fn vendor_text_is_shown_escaped_on_the_terminal_and_literal_in_markdown() {
    if !python_has(&["openpyxl"]) {
        return;
    }
    let (dir, lock) = issue(&["questionnaire.xlsx"]);
    let id = hostile_return(dir.path(), &lock);
    let base = [
        "check",
        "--lock",
        "questionnaire.xlsx.boussole.lock",
        "hostile.xlsx",
    ];

    // The vendor's name and answer as read: the control characters are there.
    let json = boussole_in(dir.path(), &[&base[..], &["--format", "json"]].concat());
    let report: Value = serde_json::from_str(&json.stdout).unwrap();
    let name = report["results"][0]["vendor"]["name"].as_str().unwrap();
    assert!(
        name.contains('\u{1b}') && name.contains('\u{202e}'),
        "{name:?}"
    );

    // The terminal: no control nor bidi character, each shown escaped.
    let text = boussole_in(dir.path(), &base);
    assert!(text.stdout.contains(&id), "{}", text.stdout);
    for hidden in ['\u{1b}', '\u{9b}', '\u{202e}', '\r'] {
        assert!(
            !text.stdout.contains(hidden),
            "{hidden:?} in\n{}",
            text.stdout
        );
        assert!(
            !text.stderr.contains(hidden),
            "{hidden:?} in\n{}",
            text.stderr
        );
    }
    for shown in [
        "Acme\\u{1b}[2K\\rAutre SA \\u{9b}1m\\u{202e}AS emcA",
        "\\u{1b}[1A",
    ] {
        assert!(
            text.stdout.contains(shown),
            "{shown} not in\n{}",
            text.stdout
        );
    }
    assert!(
        !text.stdout.lines().any(|l| l.starts_with("conforme 100,0")),
        "{}",
        text.stdout
    );

    // Markdown: the vendor's heading, HTML, image and links stay text.
    let run = boussole_in(
        dir.path(),
        &[&base[..], &["--format", "md", "-o", "rapport.md"]].concat(),
    );
    assert!(run.code < 2, "{}", run.stderr);
    let md = std::fs::read_to_string(dir.path().join("rapport.md")).unwrap();
    assert!(md.contains("\\<img src=x onerror=alert(1)\\>"), "{md}");
    assert!(
        md.contains("![logo]\\(http") && md.contains("[clic]\\(http"),
        "{md}"
    );
    assert!(md.contains("[a]\\: http"), "{md}");
    assert!(!md.lines().any(|l| l.starts_with("# Offre")), "{md}");
    assert!(!md.contains('\u{1b}') && !md.contains('\u{202e}'), "{md}");
}

// ------------------------------------------------------------ metadata and shared strings

/// Runs `script` (Python, openpyxl and zipfile at hand) with `args`.
fn python(script: &str, args: &[&Path]) {
    let run = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

/// The careful vendor's return, filled by openpyxl, as `name`; the answers
/// of `instead` replace its own.
fn careful_return(dir: &Path, lock: &Lock, name: &str, instead: &[(&str, &str)]) {
    let mut answers: Map<String, Value> = lock
        .selection
        .questions_for(boussole::library::Audience::Vendor)
        .map(|q| {
            (
                q.id.clone(),
                json!({ "answer": careful_text(q), "comment": "", "document": careful_document(q) }),
            )
        })
        .collect();
    for (id, answer) in instead {
        answers.insert(id.to_string(), json!({ "answer": answer }));
    }
    let spec = json!({
        "questions_sheet": "Questionnaire",
        "identity_sheet": "Identité",
        "answer_column": 4,
        "identity": ["Acme SA", "732 829 320 00074", "Camille Martin", "camille@example.com", {"date": "2027-01-20"}],
        "answers": answers,
    });
    fill_script(
        "fill_xlsx.py",
        &dir.join("questionnaire.xlsx"),
        &dir.join(name),
        &spec,
    );
}

/// Keeps, in the metadata sheet of argv[1], the rows whose key is among argv[2:].
const KEEP_METADATA: &str = r#"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["_boussole"]
for row in range(ws.max_row, 0, -1):
    if ws.cell(row, 1).value not in sys.argv[2:]:
        ws.delete_rows(row)
wb.save(sys.argv[1])
"#;

#[test]
fn an_emptied_or_cut_down_metadata_sheet_is_no_metadata() {
    if !python_has(&["openpyxl"]) {
        return;
    }
    let (dir, lock) = issue(&["questionnaire.xlsx"]);
    careful_return(dir.path(), &lock, "intact.xlsx", &[]);
    for (name, keep) in [
        ("vide.xlsx", vec![]),
        ("partiel.xlsx", vec!["format_version", "tool", "lang"]),
        ("sans-profil.xlsx", vec!["format_version", "library_hash"]),
    ] {
        let file = dir.path().join(name);
        std::fs::copy(dir.path().join("intact.xlsx"), &file).unwrap();
        let keep: Vec<&Path> = keep.iter().map(Path::new).collect();
        python(KEEP_METADATA, &[&[file.as_path()], &keep[..]].concat());
    }
    let (_, report, stderr) = check_json(
        dir.path(),
        &[
            "intact.xlsx",
            "vide.xlsx",
            "partiel.xlsx",
            "sans-profil.xlsx",
        ],
    );
    for r in report["results"].as_array().unwrap() {
        let file = r["file"].as_str().unwrap();
        let codes: Vec<&str> = r["integrity"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["code"].as_str().unwrap())
            .collect();
        assert_eq!(r["status"], "ok", "{file}: {stderr}");
        assert_eq!(
            codes.contains(&"no_metadata"),
            file != "intact.xlsx",
            "{file}: {codes:?}"
        );
    }
}

/// Points the first shared-string cell of every worksheet of argv[1] at
/// string argv[2] (an index calamine reads as string 0).
const SHARED_INDEX: &str = r#"
import re, sys, zipfile
src = sys.argv[1]
parts = {}
with zipfile.ZipFile(src) as z:
    for info in z.infolist():
        parts[info.filename] = z.read(info.filename)
for name, data in parts.items():
    if name.startswith("xl/worksheets/") and name.endswith(".xml"):
        text = data.decode("utf-8")
        text = re.sub(r'(<c [^>]*t="s"[^>]*><v>)[^<]*(</v>)', r"\g<1>" + sys.argv[2] + r"\g<2>", text, count=1)
        parts[name] = text.encode("utf-8")
with zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED) as z:
    for name, data in parts.items():
        z.writestr(name, data)
"#;

#[test]
fn a_shared_string_index_that_is_not_a_number_is_a_damaged_file() {
    if !python_has(&["zipfile"]) {
        return;
    }
    // The questionnaire as issued holds shared strings (openpyxl writes
    // inline ones): the blank return of a vendor.
    let (dir, _) = issue(&["acme.xlsx"]);
    for (name, index) in [("moins-un.xlsx", "-1"), ("decimal.xlsx", "1.0")] {
        let file = dir.path().join(name);
        std::fs::copy(dir.path().join("acme.xlsx"), &file).unwrap();
        python(SHARED_INDEX, &[&file, Path::new(index)]);
    }
    let mut args = vec![
        "check",
        "--lock",
        "acme.xlsx.boussole.lock",
        "--format",
        "json",
    ];
    args.extend(["acme.xlsx", "moins-un.xlsx", "decimal.xlsx"]);
    let (code, stdout, stderr, _, _) = run_sampled(dir.path(), &args);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(code, 2, "{stderr}");
    let results = report["results"].as_array().unwrap();
    assert_eq!(results.len(), 3, "the batch goes on");
    for r in results {
        let file = r["file"].as_str().unwrap();
        if file == "acme.xlsx" {
            assert_eq!(r["status"], "ok", "{}", r["error"]);
            continue;
        }
        assert_eq!(r["status"], "error", "{file}");
        let error = r["error"].as_str().unwrap();
        assert!(error.contains("shared string"), "{file}: {error}");
    }
}

// ------------------------------------------------------------ the lock as issued

/// The results of a JSON report by file: (verdict, integrity codes).
fn verdicts(report: &Value) -> Vec<(String, Value, Vec<String>)> {
    let results = report["results"].as_array().cloned().unwrap_or_default();
    results
        .iter()
        .map(|r| {
            let codes = r["integrity"].as_array().cloned().unwrap_or_default();
            (
                r["file"].as_str().unwrap_or_default().to_string(),
                r["verdict"].clone(),
                codes
                    .iter()
                    .map(|i| i["code"].as_str().unwrap_or_default().to_string())
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn a_lock_edited_by_hand_is_refused_naming_it_and_a_reformatted_one_is_read() {
    if !python_has(&["openpyxl"]) {
        return;
    }
    let (dir, lock) = issue(&["questionnaire.xlsx"]);
    // An eliminatory question, answered against it: the offer is irregular.
    let target = lock
        .selection
        .questions_for(boussole::library::Audience::Vendor)
        .find(|q| {
            q.answer_type == AnswerType::YesNo
                && q.condition.is_none()
                && q.role == Role::Regularity
                && q.rule
                    .as_ref()
                    .is_some_and(|r| r.severity == Severity::Eliminatory)
        })
        .expect("the library has an eliminatory yes/no question");
    let against = if target.example == "Oui" {
        "Non"
    } else {
        "Oui"
    };
    careful_return(dir.path(), &lock, "acme.xlsx", &[(&target.id, against)]);
    let (code, report, stderr) = check_json(dir.path(), &["acme.xlsx"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(verdicts(&report)[0].1, "non_compliant", "{stderr}");

    // The same lock laid out otherwise (keys sorted, on one line): read as issued.
    let issued =
        std::fs::read_to_string(dir.path().join("questionnaire.xlsx.boussole.lock")).unwrap();
    let mut value: Value = serde_json::from_str(&issued).unwrap();
    value.as_object_mut().unwrap().sort_keys();
    std::fs::write(dir.path().join("relu.lock"), value.to_string()).unwrap();
    let args = [
        "check",
        "--lock",
        "relu.lock",
        "--format",
        "json",
        "acme.xlsx",
    ];
    let (code, stdout, stderr, _, _) = run_sampled(dir.path(), &args);
    assert_eq!(code, 1, "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    let relu: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(verdicts(&relu), verdicts(&report));

    // The question's severity changed by hand, as a text replacement: refused.
    let at = issued.find(&format!("\"id\": \"{}\"", target.id)).unwrap();
    let severity = at + issued[at..].find("\"severity\": \"eliminatory\"").unwrap();
    let mut edited = issued.clone();
    edited.replace_range(severity..severity + 25, "\"severity\": \"minor\"");
    assert!(Lock::parse("x", &edited).is_err_and(|e| !e.to_string().contains("condition")));
    std::fs::write(dir.path().join("modifie.lock"), &edited).unwrap();
    let args = [
        "check",
        "--lock",
        "modifie.lock",
        "--format",
        "json",
        "acme.xlsx",
    ];
    let (code, stdout, stderr, _, _) = run_sampled(dir.path(), &args);
    assert_eq!(code, 2, "refused, never « conforme »: {stdout}");
    assert!(stdout.is_empty(), "no report: {stdout}");
    assert!(
        stderr.contains("modifie.lock: the lock was modified after it was issued"),
        "{stderr}"
    );
    // Uploaded to `serve`, the same text is refused under the name it was sent.
    let err = Lock::parse("envoi.lock", &edited).unwrap_err().to_string();
    assert!(
        err.starts_with("envoi.lock: the lock was modified"),
        "{err}"
    );
}

#[test]
fn an_earlier_lock_is_read_with_a_warning_and_a_file_of_another_lock_is_flagged() {
    let (dir, _) = issue(&["questionnaire.xlsx"]);
    // Another lock of the same library and profile: the questionnaire in English.
    let run = boussole_in(
        dir.path(),
        &["questionnaire", "--lang", "en", "-o", "en.xlsx"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut args = vec![
        "check",
        "--lock",
        "en.xlsx.boussole.lock",
        "--format",
        "json",
    ];
    args.extend(["questionnaire.xlsx", "en.xlsx"]);
    let (_, stdout, stderr, _, _) = run_sampled(dir.path(), &args);
    let report: Value = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    let got = verdicts(&report);
    assert_eq!(got.len(), 2, "{stderr}");
    for (file, _, codes) in &got {
        let issued_elsewhere = file == "questionnaire.xlsx";
        assert_eq!(
            codes.contains(&"lock_mismatch".to_string()),
            issued_elsewhere,
            "{file}: {codes:?}"
        );
        assert!(
            !codes
                .iter()
                .any(|c| c == "library_mismatch" || c == "profile_mismatch"),
            "{codes:?}"
        );
    }
    let digest = |name: &str| Lock::read(&dir.path().join(name)).unwrap().digest.unwrap();
    let (ours, theirs) = (
        digest("en.xlsx.boussole.lock"),
        digest("questionnaire.xlsx.boussole.lock"),
    );
    let message = report["results"][0]["integrity"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "lock_mismatch")
        .and_then(|i| i["message"].as_str())
        .unwrap()
        .to_string();
    assert!(
        message.contains(&format!(
            "issued with the lock of fingerprint {}…",
            &theirs[..8]
        )) && message.contains(&format!("{}…", &ours[..8])),
        "named by short fingerprints: {message}"
    );
    assert!(
        !message.contains(&theirs) && !message.contains(&ours),
        "{message}"
    );

    // A lock of format 1 (no digest): read, with a warning naming it; the
    // file, which records the digest of its own lock, is flagged.
    let mut old: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("questionnaire.xlsx.boussole.lock")).unwrap(),
    )
    .unwrap();
    let fields = old.as_object_mut().unwrap();
    fields.shift_remove("digest");
    fields.insert("lock_version".into(), json!(1));
    std::fs::write(dir.path().join("ancien.lock"), old.to_string()).unwrap();
    let args = [
        "check",
        "--lock",
        "ancien.lock",
        "--format",
        "json",
        "questionnaire.xlsx",
    ];
    let (code, stdout, stderr, _, _) = run_sampled(dir.path(), &args);
    assert_eq!(code, 1, "read, the blank return incomplete: {stderr}");
    assert!(
        stderr.contains("warning: ancien.lock: ")
            && stderr.contains("integrity cannot be verified"),
        "{stderr}"
    );
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert!(
        verdicts(&report)[0]
            .2
            .contains(&"lock_mismatch".to_string())
    );
}

// ------------------------------------------------------------ pipes given as files

#[cfg(unix)]
#[test]
fn a_pipe_given_as_lock_profile_password_workbook_or_grid_is_refused_not_waited_on() {
    let (dir, _) = issue(&["questionnaire.xlsx"]);
    let made = Command::new("mkfifo")
        .arg(dir.path().join("tube"))
        .status()
        .unwrap();
    assert!(made.success());
    let lock = "questionnaire.xlsx.boussole.lock";
    for args in [
        vec!["check", "--lock", "tube", "questionnaire.xlsx"],
        vec!["check", "--profile", "tube", "questionnaire.xlsx"],
        vec![
            "check",
            "--lock",
            lock,
            "--decisions",
            "tube",
            "questionnaire.xlsx",
        ],
        vec![
            "check",
            "--lock",
            lock,
            "--marks",
            "tube",
            "questionnaire.xlsx",
        ],
        vec!["questionnaire", "--profile", "tube", "-o", "autre.xlsx"],
        vec![
            "questionnaire",
            "--password-file",
            "tube",
            "-o",
            "autre.xlsx",
        ],
        vec!["grid", "review", "tube", "-o", "avis.md"],
    ] {
        // `run_sampled` kills a command that does not end, and fails.
        let (code, _, stderr, _, _) = run_sampled(dir.path(), &args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(
            stderr.contains("tube: is a pipe, not a regular file: not read"),
            "{args:?}: {stderr}"
        );
    }
    assert!(!dir.path().join("autre.xlsx").exists() && !dir.path().join("avis.md").exists());
}

#[test]
fn a_lock_or_profile_larger_than_any_real_one_is_refused_before_it_is_parsed() {
    let (dir, _) = issue(&["questionnaire.xlsx"]);
    // 33 MiB of spaces: valid JSON and TOML padding, larger than any lock.
    let padded = " ".repeat(33 << 20);
    std::fs::write(dir.path().join("enorme.lock"), &padded).unwrap();
    std::fs::write(dir.path().join("enorme.toml"), &padded).unwrap();
    for args in [
        ["check", "--lock", "enorme.lock", "questionnaire.xlsx"],
        ["check", "--profile", "enorme.toml", "questionnaire.xlsx"],
    ] {
        let (code, _, stderr, _, _) = run_sampled(dir.path(), &args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!("{}: is over 32 MiB", args[2])),
            "{args:?}: {stderr}"
        );
    }
}

// ------------------------------------------------------------ identical files, their own decisions

/// A tender whose demo return `demo` came back twice, as `copies`, and the
/// scoring workbook of the two: (folder, exit status, standard error).
fn two_copies(demo: &str, copies: [&str; 2]) -> (tempfile::TempDir, i32, String) {
    let (dir, _) = issue(&["questionnaire.xlsx"]);
    for name in copies {
        std::fs::copy(fixture(demo), dir.path().join(name)).unwrap();
    }
    let mut args = vec!["check", "--lock", "questionnaire.xlsx.boussole.lock"];
    args.extend(copies);
    args.extend(["--format", "xlsx", "-o", "rapport.xlsx"]);
    let (code, _, stderr, _, _) = run_sampled(dir.path(), &args);
    (dir, code, stderr)
}

/// The copies checked again with the workbook filled per `spec` given as
/// `option` (`--decisions`, `--marks`): (JSON report, standard error).
fn checked_with(dir: &Path, copies: [&str; 2], option: &str, spec: &Value) -> (Value, String) {
    fill_script(
        "decide_xlsx.py",
        &dir.join("rapport.xlsx"),
        &dir.join("rempli.xlsx"),
        spec,
    );
    let mut args = copies.to_vec();
    args.extend([option, "rempli.xlsx"]);
    let (_, report, stderr) = check_json(dir, &args);
    (report, stderr)
}

#[test]
fn two_identical_returns_keep_each_the_decision_taken_on_it() {
    if !python_has(&["openpyxl"]) {
        return;
    }
    // The same demo return sent twice, by two names: two offers.
    let copies = ["visiosurete-1.xlsx", "visiosurete-2.xlsx"];
    let (dir, code, stderr) = two_copies("demo/visiosurete.xlsx", copies);
    assert_eq!(code, 1, "{stderr}");
    let (_, before, stderr) = check_json(dir.path(), &copies);
    let question = before["results"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["severity"] == "eliminatory")
        .and_then(|f| f["question"].as_str())
        .unwrap_or_else(|| panic!("an eliminatory finding: {stderr}"))
        .to_string();
    let spec = json!({
        "sheet": "Points à examiner",
        "decisions": [
            { "question": question, "file": copies[0], "decision": "constat levé",
              "reviewer": "C. Durand", "comment": "Fonction retirée par avenant" },
            { "question": question, "file": copies[1], "decision": "constat confirmé",
              "reviewer": "C. Durand" },
        ],
    });
    let (after, stderr) = checked_with(dir.path(), copies, "--decisions", &spec);
    let decisions = &after["decisions"];
    assert_eq!(decisions["applied"], 2, "{decisions}: {stderr}");
    assert_eq!(decisions["orphans"], json!([]));
    assert_eq!(decisions["warnings"], json!([]));
    let decided = |i: usize| {
        let findings = after["results"][i]["findings"].as_array().unwrap();
        let f = findings.iter().find(|f| f["question"] == question).unwrap();
        f["decision"]["decision"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(
        (decided(0), decided(1)),
        ("lifted".into(), "confirmed".into())
    );
    let (first, second) = (&after["results"][0], &after["results"][1]);
    assert_eq!(first["before_decisions"]["verdict"], "non_compliant");
    assert_ne!(
        first["verdict"], "non_compliant",
        "the finding lifted on the first"
    );
    assert_eq!(
        second["verdict"], "non_compliant",
        "confirmed on the second"
    );
}

#[test]
fn two_identical_returns_keep_each_the_mark_given_to_it() {
    if !python_has(&["openpyxl"]) {
        return;
    }
    let copies = ["atelier-1.xlsx", "atelier-2.xlsx"];
    let (dir, code, stderr) = two_copies("demo/atelier-numerique-loire.xlsx", copies);
    assert!(code <= 1, "{stderr}");
    let (_, before, _) = check_json(dir.path(), &copies);
    let marked = |r: &Value| -> Vec<String> {
        let questions = r["questions"].as_array().cloned().unwrap_or_default();
        questions
            .iter()
            .filter(|q| q["earned"]["kind"] == "to_mark")
            .map(|q| q["id"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    let ids = marked(&before["results"][0]);
    let id = ids.first().expect("an element the committee marks");
    let spec = json!({
        "sheet": "Notation commission",
        "decisions": [
            { "question": id, "file": copies[0], "mark": 1, "reasons": "Sans valeur cible" },
            { "question": id, "file": copies[1], "mark": 4, "reasons": "Valeurs cibles mesurables" },
        ],
    });
    let (after, stderr) = checked_with(dir.path(), copies, "--marks", &spec);
    assert_eq!(after["marks"]["applied"], 2, "{}: {stderr}", after["marks"]);
    assert_eq!(after["marks"]["warnings"], json!([]));
    let mark = |i: usize| {
        let questions = after["results"][i]["questions"].as_array().unwrap();
        questions.iter().find(|q| q["id"] == *id).unwrap()["mark"].clone()
    };
    assert_eq!((mark(0), mark(1)), (json!(1), json!(4)));
}

#[test]
fn serve_refuses_an_edited_lock_warns_of_an_earlier_one_and_names_identical_uploads_apart() {
    use crate::web_client::{Client, Part};
    let (dir, _) = issue(&["questionnaire.xlsx"]);
    let issued =
        std::fs::read_to_string(dir.path().join("questionnaire.xlsx.boussole.lock")).unwrap();
    let offer = std::fs::read(fixture("demo/visiosurete.xlsx")).unwrap();
    let client = Client::new();
    let send = |lock: &str| {
        client.post_multipart(
            "/analyse",
            &[
                Part::File("reponses", "offres/visiosurete.xlsx", &offer),
                Part::File("reponses", "copie/visiosurete.xlsx", &offer),
                Part::File("verrou", "envoi.lock", lock.as_bytes()),
            ],
        )
    };
    // One rule's severity changed by hand: refused, the lock named.
    let edited = issued.replacen(
        "\"severity\": \"eliminatory\"",
        "\"severity\": \"minor\"",
        1,
    );
    let refused = send(&edited);
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .text()
            .contains("envoi.lock: the lock was modified after it was issued"),
        "{}",
        refused.text()
    );
    // A lock of format 1: read, and the results say its integrity is not verified.
    let mut old: Value = serde_json::from_str(&issued).unwrap();
    let fields = old.as_object_mut().unwrap();
    fields.shift_remove("digest");
    fields.insert("lock_version".into(), json!(1));
    let read = send(&old.to_string());
    assert_eq!(read.status, 303, "{}", read.text());
    let results = client.get(&read.location()).text();
    assert!(
        results.contains("son intégrité n’a pas pu être vérifiée"),
        "{results}"
    );
    // The two identical files sent under one name are told apart.
    let report = client.get(&format!("{}/fichiers/rapport.json", read.location()));
    let report: Value = serde_json::from_slice(&report.body).unwrap();
    let files: Vec<&str> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["visiosurete.xlsx", "visiosurete (2).xlsx"]);
    // With the lock as issued, no notice.
    let intact = send(&issued);
    assert_eq!(intact.status, 303);
    assert!(
        !client
            .get(&intact.location())
            .text()
            .contains("n’a pas pu être vérifiée")
    );
}
