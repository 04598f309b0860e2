//! The command line as a buyer meets it: help, formats, exit statuses.

use crate::support::*;

#[test]
fn every_command_has_help_with_examples() {
    for cmd in [
        &["--help"][..],
        &["init", "--help"],
        &["plan", "--help"],
        &["library", "list", "--help"],
        &["library", "export", "--help"],
        &["library", "lint", "--help"],
        &["dossier", "new", "--help"],
        &["dossier", "add", "--help"],
        &["dossier", "list", "--help"],
        &["dossier", "show", "--help"],
        &["dossier", "export", "--help"],
        &["dossier", "import", "--help"],
    ] {
        let run = boussole(cmd);
        assert_eq!(run.code, 0, "{cmd:?}");
        assert!(run.stdout.contains("Examples:"), "{cmd:?}: {}", run.stdout);
    }
}

#[test]
fn bad_usage_exits_with_2() {
    assert_eq!(boussole(&["frobnicate"]).code, 2);
    assert_eq!(boussole(&["plan", "--format", "pdf"]).code, 2);
    let run = boussole(&["library", "list", "--criterion", "nope"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--criterion nope: unknown criterion"),
        "{}",
        run.stderr
    );
}

#[test]
fn plan_shows_the_scoring_plan_of_the_default_profile() {
    let run = boussole(&["plan"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Formule de notation"));
    assert!(run.stdout.contains("Questions éliminatoires"));
    let en = boussole(&["plan", "--lang", "en", "--format", "md"]);
    assert!(
        en.stdout.starts_with("# Tender 2026-DN-017"),
        "{}",
        en.stdout
    );
    let json = boussole(&["plan", "--format", "json"]);
    let sel: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(sel["plan"]["criteria"].as_array().unwrap().len(), 7);
}

#[test]
fn library_list_filters_and_formats() {
    let run = boussole(&[
        "library",
        "list",
        "--criterion",
        "sobriety",
        "--audience",
        "vendor",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let items: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    assert!(items.len() >= 6);
    for q in &items {
        assert_eq!(q["criterion"], "sobriety");
        assert!(
            q["audience"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a == "vendor")
        );
    }
    let md = boussole(&["library", "list", "--clauses", "--format", "md"]);
    assert!(
        md.stdout
            .starts_with("| id | criterion | part | questions | title |"),
        "{}",
        md.stdout
    );
    let table = boussole(&["library", "list"]);
    assert!(table.stdout.lines().count() > 80);
}

#[test]
fn export_to_a_file_never_replaces_one_silently() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bibliotheque.json");
    let path = out.to_str().unwrap();
    assert_eq!(boussole(&["library", "export", "-o", path]).code, 0);
    let first = std::fs::read_to_string(&out).unwrap();
    let run = boussole(&["library", "export", "-o", path]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("already exists"));
    assert_eq!(
        boussole(&["library", "export", "-o", path, "--force"]).code,
        0
    );
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        first,
        "the export is deterministic"
    );
}
