//! `boussole library lint`: each broken copy of a small library is caught,
//! with its code, file and id.

use crate::support::*;
use boussole::library::lint::Code;

#[test]
fn the_embedded_library_passes_lint() {
    let run = boussole(&["library", "lint"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("0 error(s)"), "{}", run.stdout);
}

#[test]
fn the_clauses_folder_lints_like_the_embedded_library() {
    let run = boussole(&["library", "lint", "clauses"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let embedded = boussole(&["library", "lint"]);
    let tail = |s: &str| {
        s.lines()
            .last()
            .unwrap_or("")
            .split_once(':')
            .map(|x| x.1.to_string())
    };
    assert_eq!(tail(&run.stdout), tail(&embedded.stdout));
}

#[test]
fn the_minimal_library_passes_with_content_warnings_only() {
    let run = boussole(&["library", "lint", "fixtures/library/minimal"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.lines().all(|l| !l.starts_with("error")),
        "{}",
        run.stdout
    );
}

/// Every fixture under fixtures/lint/CODE holds files that replace the
/// minimal library's, and `expected.txt`, the start of the line lint must print.
#[test]
fn each_lint_rule_catches_its_broken_fixture() {
    let mut seen = Vec::new();
    for entry in std::fs::read_dir(fixture("lint")).unwrap() {
        let case = entry.unwrap().path();
        let code = case.file_name().unwrap().to_string_lossy().into_owned();
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixture("library/minimal"), dir.path());
        copy_dir(&case, dir.path());
        std::fs::remove_file(dir.path().join("expected.txt")).unwrap();
        let expected = std::fs::read_to_string(case.join("expected.txt")).unwrap();
        let run = boussole(&["library", "lint", dir.path().to_str().unwrap()]);
        assert!(
            run.stdout.contains(expected.trim()),
            "{code}: expected `{}` in\n{}",
            expected.trim(),
            run.stdout
        );
        let is_error = expected.starts_with("error");
        assert_eq!(
            run.code,
            if is_error { 2 } else { 0 },
            "{code}: {}",
            run.stdout
        );
        seen.push(code);
    }
    for code in Code::ALL {
        assert!(
            seen.contains(&code.name().to_string()),
            "no fixture for lint code `{code}`"
        );
    }
}

#[test]
fn a_library_with_errors_is_refused_by_every_other_command() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("library/minimal"), dir.path());
    copy_dir(&fixture("lint/example-fails"), dir.path());
    let run = boussole(&["plan", "--library", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("error[example-fails] legal.toml LEG-01"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_toml_mistake_names_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("library/minimal"), dir.path());
    let path = dir.path().join("sobriety.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("required = true", "required = true\nmandatory = true");
    std::fs::write(&path, text).unwrap();
    let run = boussole(&["library", "lint", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("sobriety.toml"), "{}", run.stderr);
    assert!(
        run.stderr.contains("unknown field `mandatory`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("at line 22"), "{}", run.stderr);
}

#[test]
fn a_folder_without_the_index_files_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let run = boussole(&["library", "lint", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("library.toml: is missing"),
        "{}",
        run.stderr
    );
    let run = boussole(&["library", "lint", "no/such/folder"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no/such/folder"), "{}", run.stderr);
}
