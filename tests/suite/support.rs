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
    boussole_env(dir, args, &[])
}

/// Runs `boussole` with `args` in `dir`, with extra environment variables.
pub fn boussole_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_boussole"))
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
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

/// Converts `input` with LibreOffice (`soffice --convert-to TO`) into
/// `outdir`, with its own user profile and a time limit. `None`, with a
/// message, when LibreOffice is not installed.
pub fn soffice(input: &Path, to: &str, outdir: &Path) -> Option<PathBuf> {
    if !soffice_all(&[input.to_path_buf()], to, outdir) {
        return None;
    }
    let ext = to.split(':').next().unwrap();
    let out = outdir.join(input.with_extension(ext).file_name().unwrap());
    assert!(out.is_file(), "soffice wrote no {}", out.display());
    Some(out)
}

/// Converts every one of `inputs` in one LibreOffice run (its start is the
/// slow part) into `outdir`; false, with a message, when LibreOffice is not
/// installed.
pub fn soffice_all(inputs: &[PathBuf], to: &str, outdir: &Path) -> bool {
    if Command::new("soffice").arg("--version").output().is_err() {
        eprintln!(
            "skipped: soffice not found (install libreoffice-calc-nogui and libreoffice-writer-nogui)"
        );
        return false;
    }
    let profile = tempfile::tempdir().unwrap();
    let status = Command::new("timeout")
        .arg("600")
        .arg("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args(["--headless", "--norestore", "--convert-to", to, "--outdir"])
        .arg(outdir)
        .args(inputs)
        .env("HOME", profile.path())
        .output()
        .expect("soffice runs");
    assert!(
        status.status.success(),
        "soffice failed on {inputs:?}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    true
}

/// The text of a PDF (`pdftotext`), or `None`, with a message, without it.
pub fn pdf_text(pdf: &Path) -> Option<String> {
    match Command::new("pdftotext").arg(pdf).arg("-").output() {
        Ok(out) if out.status.success() => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        _ => {
            eprintln!("skipped: pdftotext not found (install poppler-utils)");
            None
        }
    }
}

/// One entry of a zip package (DOCX, XLSX) as text.
pub fn zip_entry(path: &Path, name: &str) -> String {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// The entry names of a zip package.
pub fn zip_entries(path: &Path) -> Vec<String> {
    let archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    archive
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.to_string()))
        .collect()
}

/// The end-of-chain sector id of a Compound File Binary.
pub const CFB_END: u32 = 0xFFFF_FFFE;

/// A minimal Compound File Binary (OLE) container: header, one FAT sector,
/// one directory sector (sector 1) naming `streams`, all empty, whose chain
/// goes on to sector `next` ([`CFB_END`] to end it; padded with empty
/// sectors up to it).
pub fn cfb(streams: &[&str], next: u32) -> Vec<u8> {
    let mut header = vec![0u8; 512];
    let put = |b: &mut [u8], at: usize, v: &[u8]| b[at..at + v.len()].copy_from_slice(v);
    put(
        &mut header,
        0,
        &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1],
    );
    put(&mut header, 24, &0x3Eu16.to_le_bytes()); // minor version
    put(&mut header, 26, &3u16.to_le_bytes()); // major version 3
    put(&mut header, 28, &0xFFFEu16.to_le_bytes()); // little-endian
    put(&mut header, 30, &9u16.to_le_bytes()); // 512-byte sectors
    put(&mut header, 32, &6u16.to_le_bytes()); // 64-byte mini sectors
    put(&mut header, 44, &1u32.to_le_bytes()); // one FAT sector (sector 0)
    put(&mut header, 48, &1u32.to_le_bytes()); // the directory in sector 1
    put(&mut header, 56, &4096u32.to_le_bytes()); // mini stream cutoff
    put(&mut header, 60, &0xFFFF_FFFEu32.to_le_bytes()); // no mini FAT
    put(&mut header, 68, &0xFFFF_FFFEu32.to_le_bytes()); // no DIFAT sector
    for i in 0..109 {
        let id: u32 = if i == 0 { 0 } else { 0xFFFF_FFFF };
        put(&mut header, 76 + 4 * i, &id.to_le_bytes());
    }
    let mut fat = vec![0xFFu8; 512];
    put(&mut fat, 0, &0xFFFF_FFFDu32.to_le_bytes()); // sector 0: the FAT
    put(&mut fat, 4, &next.to_le_bytes()); // sector 1: its chain goes on to `next`
    let mut dir = vec![0u8; 512];
    let names = std::iter::once("Root Entry").chain(streams.iter().copied());
    for (i, name) in names.enumerate() {
        let e = &mut dir[i * 128..(i + 1) * 128];
        let utf16: Vec<u16> = name.encode_utf16().collect();
        for (j, c) in utf16.iter().enumerate() {
            put(e, 2 * j, &c.to_le_bytes());
        }
        put(e, 64, &(((utf16.len() + 1) * 2) as u16).to_le_bytes());
        e[66] = if i == 0 { 5 } else { 2 }; // root, stream
        for at in [68, 72, 76] {
            put(e, at, &0xFFFF_FFFFu32.to_le_bytes()); // no siblings, no child
        }
        put(e, 116, &0xFFFF_FFFEu32.to_le_bytes()); // empty
    }
    let padding = if next < CFB_END {
        next as usize * 512
    } else {
        0
    };
    [header, fat, dir, vec![0; padding]].concat()
}

/// Whether python3 can import each of `modules` (their import names, as
/// `openpyxl` or `docx`); prints `skipped: …` and the pip command when not.
pub fn python_has(modules: &[&str]) -> bool {
    let ok = Command::new("python3")
        .args(["-c", &format!("import {}", modules.join(", "))])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        let pip: Vec<&str> = modules
            .iter()
            .map(|m| if *m == "docx" { "python-docx" } else { m })
            .collect();
        eprintln!(
            "skipped: python3 with {} not found (pip install {})",
            pip.join(" and "),
            pip.join(" ")
        );
    }
    ok
}

/// Issues the default tender's questionnaire as each of `files` in a new
/// temporary folder; the folder and the lock of the first file.
pub fn issue(files: &[&str]) -> (tempfile::TempDir, boussole::questionnaire::lock::Lock) {
    let dir = tempfile::tempdir().unwrap();
    for name in files {
        let run = boussole_in(dir.path(), &["questionnaire", "-o", name]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let lock_path = dir.path().join(format!("{}.boussole.lock", files[0]));
    let lock = boussole::questionnaire::lock::Lock::read(&lock_path).unwrap();
    (dir, lock)
}

/// Runs `tests/scripts/SCRIPT INPUT OUT SPEC.json`, the spec written beside
/// `out` as `OUT.json`; asserts it succeeded.
pub fn fill_script(script: &str, input: &Path, out: &Path, spec: &serde_json::Value) {
    let spec_path = PathBuf::from(format!("{}.json", out.display()));
    std::fs::write(&spec_path, spec.to_string()).unwrap();
    let run = Command::new("python3")
        .arg(root().join("tests/scripts").join(script))
        .args([input, out, &spec_path])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{script}: {}",
        String::from_utf8_lossy(&run.stderr)
    );
}

/// `n` pseudo-random bytes from `seed`, the same at every run.
pub fn noise(n: usize, seed: u32) -> Vec<u8> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (x >> 16) as u8
        })
        .collect()
}

/// A careful vendor's answer to `q`, as text: its example, except free text
/// in its own words (the published example would be flagged as copied):
/// ten words or more, with an address where the example has one.
pub fn careful_text(q: &boussole::selection::SelectedQuestion) -> String {
    use boussole::check::suspect::{EXAMPLE_MIN_WORDS, words};
    let text = q.answer_type == boussole::library::AnswerType::Text;
    // A required document's summary has no published example: the vendor
    // writes its own.
    let own = q.role == boussole::library::Role::Regularity && q.example.is_empty();
    if !text || (!own && words(&q.example).len() < EXAMPLE_MIN_WORDS) {
        return q.example.clone();
    }
    let text = format!(
        "Démarche propre à notre société pour {}, décrite dans notre mémoire technique",
        q.id
    );
    if q.example.contains("https://") {
        format!(
            "{text} : https://candidat.example.eu/{}",
            q.id.to_lowercase()
        )
    } else {
        text
    }
}

/// The document a careful vendor cites where `q` requires one.
pub fn careful_document(q: &boussole::selection::SelectedQuestion) -> Option<String> {
    q.evidence
        .as_ref()
        .map(|_| format!("Annexe {} — pièce justificative.pdf", q.id))
}
