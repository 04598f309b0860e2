//! Helpers shared by the scenarios: run the binary, copy fixtures.

use std::path::{Path, PathBuf};
use std::process::Command;

/// What one run of `boussole` gave.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `boussole` with `args` in `dir`.
pub fn boussole_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_boussole"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the boussole binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `boussole` with `args` at the repository root.
pub fn boussole(args: &[&str]) -> Run {
    boussole_in(&root(), args)
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture path.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("fixtures").join(rel)
}

/// Copies the files of `from` into `to` (flat folders only).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
        }
    }
}

/// Writes a profile made from the default template with `edit` applied.
pub fn profile_with(dir: &Path, edit: impl Fn(String) -> String) -> PathBuf {
    let text = std::fs::read_to_string(root().join("templates/profil.toml")).unwrap();
    let edited = edit(text.clone());
    assert_ne!(edited, text, "the edit changed nothing");
    let path = dir.join("profil.toml");
    std::fs::write(&path, edited).unwrap();
    path
}
