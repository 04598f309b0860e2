//! Dossiers: a consultation kept for years in the data folder's SQLite
//! file — the demo's profile, the questionnaire and lock `boussole` writes
//! from it, the demo's returned offers — written as one archive and read
//! back elsewhere, a changed archive refused, the audit trail append-only,
//! and a change killed half-way leaving the old state or the new one.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use boussole::dossier::{Dossier, Role};
use sha2::{Digest, Sha256};

use crate::support::{Run, boussole_env, fixture, root};

/// Runs `boussole dossier ARGS --data DATA` in `dir` as the user `ana`.
pub(crate) fn dossier(dir: &Path, data: &Path, args: &[&str]) -> Run {
    let mut all = vec!["dossier"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--data", data.to_str().unwrap()]);
    boussole_env(dir, &all, &[("USER", "ana"), ("USERNAME", "ana")])
}

/// `dossier show NAME --format json`.
fn show(dir: &Path, data: &Path, name: &str) -> Dossier {
    let run = dossier(dir, data, &["show", name, "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The bytes kept for `sha256` in the data folder's database, read directly.
fn kept(data: &Path, sha256: &str) -> Vec<u8> {
    let db = rusqlite::Connection::open(data.join("dossiers.sqlite")).unwrap();
    db.query_row("SELECT bytes FROM blobs WHERE sha256 = ?1", [sha256], |r| {
        r.get(0)
    })
    .unwrap()
}

/// A consultation as a buyer keeps it: the profile, the questionnaire and
/// its lock written from it, the four offers of the demo. Returns the data
/// folder and the files added.
pub(crate) fn consultation(dir: &Path) -> (PathBuf, Vec<PathBuf>) {
    let data = dir.join("data");
    let profile = root().join("templates/profil.toml");
    let questionnaire = dir.join("questionnaire.xlsx");
    let run = crate::support::boussole_in(
        dir,
        &[
            "questionnaire",
            "-p",
            profile.to_str().unwrap(),
            "-o",
            questionnaire.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lock = dir.join("questionnaire.xlsx.boussole.lock");
    assert!(lock.is_file());
    let offers: Vec<PathBuf> = [
        "atelier-numerique-loire.xlsx",
        "global-cloud-ai.xlsx",
        "visiosurete.xlsx",
        "petite-startup.ods",
    ]
    .iter()
    .map(|f| fixture(&format!("demo/{f}")))
    .collect();

    let run = dossier(
        dir,
        &data,
        &[
            "new",
            "ia-accueil-2027",
            "--title",
            "Assistant IA pour l'accueil",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let add = |role: &str, files: &[&Path]| {
        let mut args = vec!["add", "ia-accueil-2027", "--role", role];
        args.extend(files.iter().map(|f| f.to_str().unwrap()));
        let run = dossier(dir, &data, &args);
        assert_eq!(run.code, 0, "{}", run.stderr);
    };
    add("profile", &[&profile]);
    add("questionnaire", &[&questionnaire]);
    add("lock", &[&lock]);
    let offer_refs: Vec<&Path> = offers.iter().map(PathBuf::as_path).collect();
    add("offer", &offer_refs);
    let mut files = vec![profile, questionnaire, lock];
    files.extend(offers);
    (data, files)
}

#[test]
fn a_consultation_is_kept_file_by_file_and_a_new_profile_never_replaces_the_one_issued() {
    let dir = tempfile::tempdir().unwrap();
    let (data, files) = consultation(dir.path());
    let before: Vec<String> = files
        .iter()
        .map(|f| sha256(&std::fs::read(f).unwrap()))
        .collect();

    let d = show(dir.path(), &data, "ia-accueil-2027");
    assert_eq!(d.title, "Assistant IA pour l'accueil");
    assert_eq!(d.files.len(), files.len());
    for (file, hash) in files.iter().zip(&before) {
        let name = file.file_name().unwrap().to_str().unwrap();
        let kept_file = d.files.iter().find(|f| f.name == name).unwrap();
        assert_eq!(&kept_file.sha256, hash, "{name}");
        assert_eq!(kept_file.version, 1);
        assert_eq!(kept(&data, hash), std::fs::read(file).unwrap(), "{name}");
    }
    let offers = d.files.iter().filter(|f| f.role == Role::Offer).count();
    assert_eq!(offers, 4);

    // The text a buyer reads: roles in French, each file with its version,
    // size and short hash; the timeline with who did what.
    let run = dossier(dir.path(), &data, &["show", "ia-accueil-2027"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = &run.stdout;
    assert!(
        text.contains("Dossier «\u{a0}ia-accueil-2027\u{a0}» — Assistant IA"),
        "{text}"
    );
    for label in [
        "Profil de la consultation",
        "Questionnaire",
        "Verrou du questionnaire",
        "Offres reçues",
    ] {
        assert!(text.contains(label), "{label}: {text}");
    }
    let short = &before[3][..12];
    let line = text
        .lines()
        .find(|l| l.contains("atelier-numerique-loire.xlsx"))
        .unwrap();
    assert!(
        line.trim_start().starts_with("v1") && line.contains(short) && line.contains("Ko"),
        "{line}"
    );
    assert!(text.contains("Chronologie\u{a0}:"));
    assert!(text.contains("ana  dossier créé"), "{text}");
    assert_eq!(text.matches("fichier ajouté").count(), files.len());

    // A profile changed after issue: version 2, version 1 kept as it was.
    let changed =
        crate::support::profile_with(dir.path(), |t| t.replacen("# ", "# Version 2 — ", 1));
    let run = dossier(
        dir.path(),
        &data,
        &[
            "add",
            "ia-accueil-2027",
            "--role",
            "profile",
            changed.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("profil.toml v2 ajouté"),
        "{}",
        run.stderr
    );
    let d = show(dir.path(), &data, "ia-accueil-2027");
    let profiles: Vec<_> = d.files.iter().filter(|f| f.role == Role::Profile).collect();
    assert_eq!(profiles.len(), 2);
    assert_eq!((profiles[0].version, &profiles[0].sha256), (1, &before[0]));
    assert_eq!(profiles[1].version, 2);
    assert_eq!(profiles[1].path, "profile/v2/profil.toml");
    assert_eq!(
        kept(&data, &profiles[1].sha256),
        std::fs::read(&changed).unwrap()
    );
    assert_eq!(kept(&data, &before[0]), std::fs::read(&files[0]).unwrap());

    // The same offer received again is its second version, the others untouched.
    let run = dossier(
        dir.path(),
        &data,
        &[
            "add",
            "ia-accueil-2027",
            "--role",
            "offer",
            files[3].to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let d = show(dir.path(), &data, "ia-accueil-2027");
    let versions: Vec<u32> = d
        .files
        .iter()
        .filter(|f| f.name == "atelier-numerique-loire.xlsx")
        .map(|f| f.version)
        .collect();
    assert_eq!(versions, [1, 2]);
    let db = rusqlite::Connection::open(data.join("dossiers.sqlite")).unwrap();
    let blobs: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM blobs WHERE sha256 = ?1",
            [&before[3]],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(blobs, 1, "the same bytes are stored once");

    // Inputs are never changed.
    let after: Vec<String> = files
        .iter()
        .map(|f| sha256(&std::fs::read(f).unwrap()))
        .collect();
    assert_eq!(after, before);

    // Without --data nor BOUSSOLE_DATA, the platform's folder: on Linux,
    // $XDG_DATA_HOME/boussole.
    if cfg!(target_os = "linux") {
        let xdg = dir.path().join("xdg");
        let run = boussole_env(
            dir.path(),
            &["dossier", "new", "autre"],
            &[
                ("BOUSSOLE_DATA", ""),
                ("XDG_DATA_HOME", xdg.to_str().unwrap()),
            ],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(xdg.join("boussole/dossiers.sqlite").is_file());
    }

    // The list, and the data folder taken from BOUSSOLE_DATA.
    let run = boussole_env(
        dir.path(),
        &["dossier", "list"],
        &[("BOUSSOLE_DATA", data.to_str().unwrap())],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with("ia-accueil-2027"))
        .unwrap();
    assert!(
        line.contains("Assistant IA pour l'accueil") && line.contains(" 9 "),
        "{line}"
    );
}

#[test]
fn bad_requests_are_refused_naming_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let run = dossier(dir.path(), &data, &["new", "../évasion"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("«../évasion» is no dossier name"),
        "{}",
        run.stderr
    );
    let run = dossier(dir.path(), &data, &["new", "ia"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = dossier(dir.path(), &data, &["new", "ia"]);
    assert!(
        run.code == 2 && run.stderr.contains("«ia» already exists"),
        "{}",
        run.stderr
    );
    let profile = root().join("templates/profil.toml");
    let run = dossier(
        dir.path(),
        &data,
        &[
            "add",
            "autre",
            "--role",
            "profile",
            profile.to_str().unwrap(),
        ],
    );
    assert!(
        run.code == 2 && run.stderr.contains("no dossier named «autre»"),
        "{}",
        run.stderr
    );
    let missing = dir.path().join("absent.xlsx");
    let run = dossier(
        dir.path(),
        &data,
        &[
            "add",
            "ia",
            "--role",
            "offer",
            profile.to_str().unwrap(),
            missing.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("absent.xlsx"), "{}", run.stderr);
    // nothing of the refused addition was kept, not even the file that could be read
    assert!(show(dir.path(), &data, "ia").files.is_empty());
    let run = dossier(
        dir.path(),
        &data,
        &["add", "ia", "--role", "devis", profile.to_str().unwrap()],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("devis"), "{}", run.stderr);
}

/// The entries of the archive at `path`, in order.
fn entries(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut e = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            e.read_to_end(&mut bytes).unwrap();
            (e.name().unwrap().into_owned(), bytes)
        })
        .collect()
}

/// Writes `entries` as an archive at `path`.
fn write_archive(path: &Path, entries: &[(String, Vec<u8>)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, bytes) in entries {
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn an_exported_dossier_is_imported_elsewhere_byte_for_byte_with_its_trail() {
    let dir = tempfile::tempdir().unwrap();
    let (data, files) = consultation(dir.path());
    let archive = dir.path().join("ia-accueil-2027.zip");
    let run = dossier(
        dir.path(),
        &data,
        &["export", "ia-accueil-2027", "-o", archive.to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let original = show(dir.path(), &data, "ia-accueil-2027");

    // The archive as an archivist sees it: every file under ROLE/vN/NAME, the manifest.
    let inside = entries(&archive);
    let names: Vec<&str> = inside.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names[0], "manifest.json");
    for path in [
        "profile/v1/profil.toml",
        "questionnaire/v1/questionnaire.xlsx",
        "lock/v1/questionnaire.xlsx.boussole.lock",
        "offer/v1/petite-startup.ods",
    ] {
        assert!(names.contains(&path), "{path}: {names:?}");
    }
    let manifest: serde_json::Value = serde_json::from_slice(&inside[0].1).unwrap();
    assert_eq!(manifest["format"], "boussole-dossier");
    let listed = manifest["dossier"]["files"].as_array().unwrap();
    assert_eq!(listed.len(), files.len());
    for f in listed {
        let (_, bytes) = inside
            .iter()
            .find(|(n, _)| n == f["path"].as_str().unwrap())
            .unwrap();
        assert_eq!(f["sha256"].as_str().unwrap(), sha256(bytes));
        assert_eq!(f["size"].as_u64().unwrap(), bytes.len() as u64);
        assert!(f["role"].is_string() && f["version"].is_u64() && f["received"].is_string());
    }
    let trail = manifest["dossier"]["audit"].as_array().unwrap();
    assert_eq!(trail.len(), 1 + files.len(), "creation and each file");
    assert!(trail.iter().all(|e| e["who"] == "ana"));
    // the export itself is in the trail kept
    assert_eq!(original.audit.last().unwrap().action, "exported");

    // Imported into another data folder: the same files, hashes and bytes.
    let elsewhere = dir.path().join("archives");
    let run = dossier(
        dir.path(),
        &elsewhere,
        &["import", archive.to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let copy = show(dir.path(), &elsewhere, "ia-accueil-2027");
    assert_eq!(copy.title, original.title);
    assert_eq!(copy.created, original.created);
    assert_eq!(copy.files, original.files);
    for (f, path) in copy.files.iter().zip(&original.files) {
        assert_eq!(
            kept(&elsewhere, &f.sha256),
            kept(&data, &path.sha256),
            "{}",
            f.path
        );
    }
    for file in &files {
        let hash = sha256(&std::fs::read(file).unwrap());
        assert_eq!(kept(&elsewhere, &hash), std::fs::read(file).unwrap());
    }
    // the trail as exported, then the import
    let n = trail.len();
    assert_eq!(copy.audit.len(), n + 1);
    assert_eq!(copy.audit[..n], original.audit[..n]);
    let import = &copy.audit[n];
    assert_eq!(
        (import.action.as_str(), import.who.as_str()),
        ("imported", "ana")
    );
    assert!(
        import.detail.starts_with("ia-accueil-2027.zip"),
        "{}",
        import.detail
    );

    // Once there, it is not imported over itself; under another name it is.
    let run = dossier(
        dir.path(),
        &elsewhere,
        &["import", archive.to_str().unwrap()],
    );
    assert!(
        run.code == 2 && run.stderr.contains("already exists"),
        "{}",
        run.stderr
    );
    let run = dossier(
        dir.path(),
        &elsewhere,
        &["import", archive.to_str().unwrap(), "--as", "copie"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(show(dir.path(), &elsewhere, "copie").files, original.files);
}

#[test]
fn a_changed_archive_is_refused_naming_the_entry() {
    let dir = tempfile::tempdir().unwrap();
    let (data, _) = consultation(dir.path());
    let archive = dir.path().join("ia.zip");
    let run = dossier(
        dir.path(),
        &data,
        &["export", "ia-accueil-2027", "-o", archive.to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let good = entries(&archive);
    let target = "offer/v1/visiosurete.xlsx";

    let refused = |name: &str, tampered: Vec<(String, Vec<u8>)>, expected: &str| {
        let path = dir.path().join(name);
        write_archive(&path, &tampered);
        let before = std::fs::read(&path).unwrap();
        let elsewhere = dir.path().join(format!("data-{name}"));
        let run = dossier(dir.path(), &elsewhere, &["import", path.to_str().unwrap()]);
        assert_eq!(run.code, 2, "{name}: {}", run.stderr);
        assert!(run.stderr.contains(expected), "{name}: {}", run.stderr);
        assert!(
            run.stderr.contains(name) && run.stderr.contains("not imported"),
            "{}",
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"));
        assert_eq!(
            std::fs::read(&path).unwrap(),
            before,
            "the archive is not changed"
        );
        let run = dossier(dir.path(), &elsewhere, &["list", "--format", "json"]);
        assert_eq!(run.stdout.trim(), "[]", "nothing was imported");
    };

    // One byte changed in one offer.
    let mut one_byte = good.clone();
    let entry = one_byte.iter_mut().find(|(n, _)| n == target).unwrap();
    let middle = entry.1.len() / 2;
    entry.1[middle] ^= 0x01;
    refused(
        "un-octet.zip",
        one_byte,
        &format!("entry «{target}» is not the file the manifest lists"),
    );

    // An entry added.
    let mut extra = good.clone();
    extra.push(("offer/v1/ajout.xlsx".into(), b"PK".to_vec()));
    refused(
        "ajout.zip",
        extra,
        "entry «offer/v1/ajout.xlsx» is not in the manifest",
    );

    // An entry removed.
    let removed: Vec<_> = good.iter().filter(|(n, _)| n != target).cloned().collect();
    refused(
        "retrait.zip",
        removed,
        &format!("entry «{target}» is in the manifest but not in the archive"),
    );

    // A path leaving the archive's folder, or absolute.
    let mut escape = good.clone();
    escape.push(("../../profil.toml".into(), b"x".to_vec()));
    refused(
        "evasion.zip",
        escape,
        "entry «../../profil.toml»: its path leaves",
    );
    let mut absolute = good.clone();
    absolute.push(("/etc/profil.toml".into(), b"x".to_vec()));
    refused(
        "absolu.zip",
        absolute,
        "entry «/etc/profil.toml»: its path is absolute",
    );

    // A manifest whose path was edited to escape, with the bytes moved along.
    let mut renamed = good.clone();
    let text = String::from_utf8(renamed[0].1.clone()).unwrap();
    renamed[0].1 = text.replace(target, "offer/v1/../x.xlsx").into_bytes();
    for (n, _) in renamed.iter_mut().filter(|(n, _)| n == target) {
        *n = "offer/x.xlsx".into();
    }
    refused(
        "manifeste.zip",
        renamed,
        "«manifest.json», file «offer/v1/../x.xlsx»",
    );

    // A bomb: an entry that would expand a thousand times, refused before it is inflated.
    let mut bomb = good.clone();
    bomb.push(("other/v1/zeros.bin".into(), vec![0u8; 4 << 20]));
    refused("bombe.zip", bomb, "part other/v1/zeros.bin would expand");

    // Not an archive at all.
    let profile = root().join("templates/profil.toml");
    let run = dossier(
        dir.path(),
        &dir.path().join("d"),
        &["import", profile.to_str().unwrap()],
    );
    assert!(
        run.code == 2
            && run
                .stderr
                .contains("profil.toml: not a readable ZIP archive"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_audit_trail_refuses_any_change_or_deletion() {
    let dir = tempfile::tempdir().unwrap();
    let (data, _) = consultation(dir.path());
    let before = show(dir.path(), &data, "ia-accueil-2027").audit;

    let db = rusqlite::Connection::open(data.join("dossiers.sqlite")).unwrap();
    let err = db
        .execute(
            "UPDATE audit SET who = 'mallory' WHERE action = 'added'",
            [],
        )
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("append-only: no entry may be changed"),
        "{err}"
    );
    let err = db.execute("DELETE FROM audit", []).unwrap_err().to_string();
    assert!(
        err.contains("append-only: no entry may be deleted"),
        "{err}"
    );
    drop(db);

    assert_eq!(show(dir.path(), &data, "ia-accueil-2027").audit, before);
}

/// The state of a dossier as the database holds it: files, their bytes'
/// hashes as stored, the trail's length; and the integrity check's answer.
fn state(data: &Path) -> (String, Vec<(String, String)>, i64) {
    let db = rusqlite::Connection::open(data.join("dossiers.sqlite")).unwrap();
    let integrity: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    let mut stmt = db
        .prepare("SELECT f.role || '/v' || f.version || '/' || f.name, b.bytes FROM files f JOIN blobs b ON b.sha256 = f.sha256 ORDER BY f.id")
        .unwrap();
    let files = stmt
        .query_map([], |r| {
            Ok((r.get::<_, String>(0)?, sha256(&r.get::<_, Vec<u8>>(1)?)))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let trail: i64 = db
        .query_row("SELECT COUNT(*) FROM audit", [], |r| r.get(0))
        .unwrap();
    (integrity, files, trail)
}

/// Starts `boussole dossier add` of `files` as an offer, with `env`.
fn spawn_add(
    dir: &Path,
    data: &Path,
    files: &[&Path],
    env: &[(&str, &str)],
) -> std::process::Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_boussole"));
    cmd.args([
        "dossier",
        "add",
        "ia-accueil-2027",
        "--role",
        "offer",
        "--data",
        data.to_str().unwrap(),
    ])
    .args(files)
    .current_dir(dir)
    .envs(env.iter().copied())
    .stdout(Stdio::null())
    .stderr(Stdio::piped());
    cmd.spawn().unwrap()
}

#[cfg(unix)]
#[test]
fn a_change_killed_half_way_leaves_the_old_state_or_the_new_one_never_half() {
    let dir = tempfile::tempdir().unwrap();
    let (data, _) = consultation(dir.path());
    let old = state(&data);
    assert_eq!(old.0, "ok");

    // Two large offers: 8 MiB each, of bytes that do not repeat.
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let large: Vec<PathBuf> = ["lourde-1.pdf", "lourde-2.pdf"]
        .iter()
        .map(|name| {
            let bytes: Vec<u8> = (0..8 << 20)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    seed as u8
                })
                .collect();
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            path
        })
        .collect();
    let large_refs: Vec<&Path> = large.iter().map(PathBuf::as_path).collect();

    // Killed once both files are written but before the commit: the old state.
    let mut child = spawn_add(
        dir.path(),
        &data,
        &large_refs,
        &[("BOUSSOLE_TEST_PAUSE_BEFORE_COMMIT", "60000")],
    );
    let mut stderr = child.stderr.take().unwrap();
    let mut said = Vec::new();
    let mut byte = [0u8; 1];
    while !String::from_utf8_lossy(&said).contains("pausing before commit") {
        assert_eq!(
            stderr.read(&mut byte).unwrap(),
            1,
            "the child ended: {}",
            String::from_utf8_lossy(&said)
        );
        said.push(byte[0]);
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(
        state(&data),
        old,
        "a change killed before its commit leaves nothing"
    );

    // Killed at moments spread over the whole change: each time the old
    // state or the new one, the database intact.
    let mut seen_old = 0;
    let mut seen_new = 0;
    let mut current = old.clone();
    for delay in [0u64, 10, 30, 60, 100, 150, 250, 400, 600, 900] {
        let mut child = spawn_add(dir.path(), &data, &large_refs, &[]);
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = child.kill();
        child.wait().unwrap();
        let now = state(&data);
        assert_eq!(now.0, "ok", "after a kill at {delay} ms");
        if now == current {
            seen_old += 1;
            continue;
        }
        // the new state: exactly two more files, both whole, two more entries
        assert_eq!(
            now.1.len(),
            current.1.len() + 2,
            "after a kill at {delay} ms"
        );
        assert_eq!(now.1[..current.1.len()], current.1[..]);
        for ((_, hash), file) in now.1[current.1.len()..].iter().zip(&large) {
            assert_eq!(hash, &sha256(&std::fs::read(file).unwrap()));
        }
        assert_eq!(now.2, current.2 + 2);
        seen_new += 1;
        current = now;
    }
    assert!(
        seen_old > 0,
        "at least the first kill came before the commit"
    );
    // One more without a kill: the new state, whole.
    let run = dossier(
        dir.path(),
        &data,
        &[
            "add",
            "ia-accueil-2027",
            "--role",
            "offer",
            large[0].to_str().unwrap(),
            large[1].to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let last = state(&data);
    assert_eq!((last.0.as_str(), last.1.len()), ("ok", current.1.len() + 2));
    eprintln!("killed {seen_old} time(s) before the commit, {seen_new} after");
}

/// Runs `boussole ARGS --dossier ia-accueil-2027 --data DATA` in `dir` as
/// the user `ana`: a command that writes a consultation's files and keeps
/// them in the dossier.
fn kept_by(dir: &Path, data: &Path, args: &[&str]) -> Run {
    let mut all = args.to_vec();
    all.extend_from_slice(&[
        "--dossier",
        "ia-accueil-2027",
        "--data",
        data.to_str().unwrap(),
    ]);
    boussole_env(dir, &all, &[("USER", "ana"), ("USERNAME", "ana")])
}

/// The demo's four returned offers.
fn demo_offers() -> Vec<PathBuf> {
    [
        "atelier-numerique-loire.xlsx",
        "global-cloud-ai.xlsx",
        "visiosurete.xlsx",
        "petite-startup.ods",
    ]
    .iter()
    .map(|f| fixture(&format!("demo/{f}")))
    .collect()
}

#[test]
fn a_tender_built_by_the_commands_ends_with_every_file_in_its_dossier_and_the_trail_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    let (dir, data) = (dir.path(), dir.path().join("data"));
    let profile = root().join("templates/profil.toml");
    let p = profile.to_str().unwrap();
    let run = dossier(dir, &data, &["new", "ia-accueil-2027"]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    // The buyer writes the annex and the questionnaire, kept as written.
    let run = kept_by(dir, &data, &["annex", "-p", p, "-o", "annexe.docx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = kept_by(
        dir,
        &data,
        &["questionnaire", "-p", p, "-o", "questionnaire.xlsx"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lock = dir.join("questionnaire.xlsx.boussole.lock");
    let issued = std::fs::read(dir.join("questionnaire.xlsx")).unwrap();
    assert!(lock.is_file(), "the files are still written on disk");

    // The offers come in, one with its emissions measured by CodeCarbon
    // under a name that says whose it is.
    let offers = demo_offers();
    let mut args = vec!["add", "ia-accueil-2027", "--role", "offer"];
    args.extend(offers.iter().map(|o| o.to_str().unwrap()));
    let run = dossier(dir, &data, &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let evidence = dir.join("atelier-numerique-loire-emissions.csv");
    std::fs::copy(
        fixture("demo/atelier-numerique-loire/emissions.csv"),
        &evidence,
    )
    .unwrap();
    let e = evidence.to_str().unwrap();
    let run = dossier(
        dir,
        &data,
        &["add", "ia-accueil-2027", "--role", "evidence", e],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);

    // Checked from the dossier alone: no file given, the lock is the one kept.
    let run = kept_by(dir, &data, &["check", "-o", "rapport.json"]);
    assert_eq!(run.code, 1, "findings: {}", run.stderr);
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("rapport.json")).unwrap()).unwrap();

    // The same as checking a folder of the same files against the lock on disk.
    let folder = dir.join("recues");
    std::fs::create_dir(&folder).unwrap();
    for f in offers.iter().chain([&evidence]) {
        std::fs::copy(f, folder.join(f.file_name().unwrap())).unwrap();
    }
    let args = [
        "check",
        "--lock",
        lock.to_str().unwrap(),
        folder.to_str().unwrap(),
        "-o",
        "direct.json",
    ];
    let direct = crate::support::boussole_in(dir, &args);
    assert_eq!(direct.code, 1, "{}", direct.stderr);
    let direct: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("direct.json")).unwrap()).unwrap();
    let digest = |r: &serde_json::Value| -> Vec<(String, String, String, String)> {
        let mut rows: Vec<_> = r["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                let name = Path::new(x["file"].as_str().unwrap()).file_name().unwrap();
                (
                    name.to_string_lossy().into_owned(),
                    x["sha256"].to_string(),
                    x["verdict"].to_string(),
                    x["score"].to_string(),
                )
            })
            .collect();
        rows.sort();
        rows
    };
    assert_eq!(digest(&report), digest(&direct));
    assert_eq!(
        report["lock"], direct["lock"],
        "checked against the lock kept"
    );
    // named by their names in the dossier, no temporary folder in the report
    let files: Vec<&str> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["file"].as_str().unwrap())
        .collect();
    assert!(files.contains(&"atelier-numerique-loire.xlsx"), "{files:?}");
    let anl = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["file"] == "atelier-numerique-loire.xlsx")
        .unwrap();
    assert_eq!(
        anl["evidence"][0]["file"], "atelier-numerique-loire-emissions.csv",
        "the evidence kept beside its offer is read with it"
    );
    // and the folder the offers were written out to is gone
    let leftovers = std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| {
            let folder = e.path().join("offres");
            folder
                .join("atelier-numerique-loire-emissions.csv")
                .is_file()
        })
        .count();
    assert_eq!(leftovers, 0);

    // The letters to the incomplete offers, each kept as a letter.
    let run = kept_by(
        dir,
        &data,
        &["check", "--format", "letters", "-o", "lettres"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let letters: Vec<String> = std::fs::read_dir(dir.join("lettres"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!letters.is_empty());

    let d = show(dir, &data, "ia-accueil-2027");
    let of = |role: Role| -> Vec<(String, u32)> {
        let mut v: Vec<_> = (d.files.iter().filter(|f| f.role == role))
            .map(|f| (f.name.clone(), f.version))
            .collect();
        v.sort();
        v
    };
    assert_eq!(of(Role::Annex), [("annexe.docx".to_string(), 1)]);
    assert_eq!(
        of(Role::Questionnaire),
        [("questionnaire.xlsx".to_string(), 1)]
    );
    assert_eq!(
        of(Role::Lock),
        [("questionnaire.xlsx.boussole.lock".to_string(), 1)]
    );
    assert_eq!(of(Role::Offer).len(), 4);
    assert_eq!(of(Role::Report), [("rapport.json".to_string(), 1)]);
    let mut expected: Vec<(String, u32)> = letters.iter().map(|l| (l.clone(), 1)).collect();
    expected.sort();
    assert_eq!(of(Role::Letter), expected);
    // each file kept is the file written, byte for byte
    for (role, path) in [
        (Role::Annex, dir.join("annexe.docx")),
        (Role::Lock, lock.clone()),
        (Role::Report, dir.join("rapport.json")),
    ] {
        let f = d.files.iter().find(|f| f.role == role).unwrap();
        assert_eq!(kept(&data, &f.sha256), std::fs::read(&path).unwrap());
    }

    // The trail says which command produced which file, and who.
    let generated: Vec<&boussole::dossier::Event> =
        d.audit.iter().filter(|e| e.action == "generated").collect();
    assert_eq!(generated.len(), 4 + letters.len());
    let by = |command: &str, path: &str| {
        generated
            .iter()
            .any(|e| e.detail.starts_with(&format!("{command} — {path} — ")) && e.who == "ana")
    };
    assert!(
        by("boussole annex", "annex/v1/annexe.docx"),
        "{generated:?}"
    );
    assert!(by(
        "boussole questionnaire",
        "questionnaire/v1/questionnaire.xlsx"
    ));
    assert!(by(
        "boussole questionnaire",
        "lock/v1/questionnaire.xlsx.boussole.lock"
    ));
    assert!(by("boussole check", "report/v1/rapport.json"));
    assert!(by("boussole check", &format!("letter/v1/{}", letters[0])));
    let run = dossier(dir, &data, &["show", "ia-accueil-2027"]);
    assert!(
        run.stdout
            .contains("ana  fichier produit — boussole check — report/v1/rapport.json"),
        "{}",
        run.stdout
    );

    // A questionnaire written again from a changed profile is version 2,
    // the one issued kept as it was.
    let changed = crate::support::profile_with(dir, |t| t.replacen("# ", "# Version 2 — ", 1));
    let c = changed.to_str().unwrap();
    let run = kept_by(
        dir,
        &data,
        &[
            "questionnaire",
            "-p",
            c,
            "-o",
            "questionnaire.xlsx",
            "--force",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let d = show(dir, &data, "ia-accueil-2027");
    for role in [Role::Questionnaire, Role::Lock] {
        let versions: Vec<u32> = (d.files.iter().filter(|f| f.role == role))
            .map(|f| f.version)
            .collect();
        assert_eq!(versions, [1, 2], "{role:?}");
    }
    let v1 = (d.files.iter())
        .find(|f| f.role == Role::Questionnaire && f.version == 1)
        .unwrap();
    assert_eq!(kept(&data, &v1.sha256), issued);
    let v2 = (d.files.iter())
        .find(|f| f.role == Role::Lock && f.version == 2)
        .unwrap();
    assert_eq!(kept(&data, &v2.sha256), std::fs::read(&lock).unwrap());

    // The awarded offer named as the dossier holds it: the same commitments
    // as the award of the file itself against the lock now issued.
    let name = "atelier-numerique-loire.xlsx";
    let run = kept_by(dir, &data, &["award", name, "-o", "engagements.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let args = [
        "award",
        "--lock",
        lock.to_str().unwrap(),
        offers[0].to_str().unwrap(),
        "-o",
        "direct-engagements.json",
    ];
    let direct = crate::support::boussole_in(dir, &args);
    assert_eq!(direct.code, 0, "{}", direct.stderr);
    let award = std::fs::read(dir.join("engagements.json")).unwrap();
    assert_eq!(
        award,
        std::fs::read(dir.join("direct-engagements.json")).unwrap()
    );
    let d = show(dir, &data, "ia-accueil-2027");
    let f = d.files.iter().find(|f| f.role == Role::Award).unwrap();
    assert_eq!(
        (f.name.as_str(), kept(&data, &f.sha256)),
        ("engagements.json", award)
    );
    // a file of that name here, another offer: which one is meant is asked
    std::fs::copy(&offers[1], dir.join(name)).unwrap();
    let run = kept_by(dir, &data, &["award", name, "-o", "autre.json"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("differs from the offer of that name"),
        "{}",
        run.stderr
    );
    assert!(!dir.join("autre.json").exists());
}

#[test]
fn a_dossier_that_does_not_exist_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let (dir, data) = (dir.path(), dir.path().join("data"));
    let profile = root().join("templates/profil.toml");
    let p = profile.to_str().unwrap();

    // No data folder yet: refused, naming the dossier and how to create it,
    // and the data folder is not created.
    let run = kept_by(
        dir,
        &data,
        &["questionnaire", "-p", p, "-o", "questionnaire.xlsx"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no dossier named «ia-accueil-2027»")
            && run.stderr.contains("boussole dossier new ia-accueil-2027"),
        "{}",
        run.stderr
    );
    assert!(!dir.join("questionnaire.xlsx").exists());
    assert!(!dir.join("questionnaire.xlsx.boussole.lock").exists());
    assert!(!data.exists());

    // Another dossier exists: the same, for a report.
    let run = dossier(dir, &data, &["new", "autre-consultation"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let offer = fixture("demo/atelier-numerique-loire.xlsx");
    let o = offer.to_str().unwrap();
    let run = kept_by(dir, &data, &["check", "-p", p, o, "-o", "rapport.md"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("«ia-accueil-2027»"), "{}", run.stderr);
    assert!(!dir.join("rapport.md").exists());
    let d = show(dir, &data, "autre-consultation");
    assert!(d.files.is_empty(), "nothing kept elsewhere");

    // A dossier with no offer cannot be checked: it says how to add them.
    let run = dossier(dir, &data, &["new", "ia-accueil-2027"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = kept_by(dir, &data, &["check", "-o", "rapport.md"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("holds no offer"), "{}", run.stderr);
    assert!(!dir.join("rapport.md").exists());
}

#[test]
fn after_the_check_each_command_keeps_what_it_writes_under_its_own_role() {
    let dir = tempfile::tempdir().unwrap();
    let (dir, data) = (dir.path(), dir.path().join("data"));
    let profile = root().join("templates/profil.toml");
    let p = profile.to_str().unwrap();
    let run = dossier(dir, &data, &["new", "ia-accueil-2027"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = kept_by(
        dir,
        &data,
        &["questionnaire", "-p", p, "-o", "questionnaire.xlsx"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lock = "questionnaire.xlsx.boussole.lock";
    let offers = demo_offers();
    let (o1, o2) = (offers[0].to_str().unwrap(), offers[1].to_str().unwrap());

    let steps: [&[&str]; 6] = [
        &["compare", "--lock", lock, o1, o2, "-o", "comparaison.md"],
        &["grid", "-p", p, "-o", "grille.xlsx"],
        &[
            "grid",
            "-p",
            p,
            "--followup",
            "1",
            "-o",
            "suivi-annee-1.xlsx",
        ],
        &["award", "--lock", lock, o1, "-o", "engagements.json"],
        &[
            "followup",
            "template",
            "--award",
            "engagements.json",
            "--year",
            "1",
            "-o",
            "rapport-annee-1.xlsx",
        ],
        &[
            "record",
            "--award",
            "engagements.json",
            "--lock",
            lock,
            "-o",
            "fiche.md",
        ],
    ];
    for args in steps {
        let run = kept_by(dir, &data, args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    }
    let d = show(dir, &data, "ia-accueil-2027");
    let role_of = |name: &str| {
        let f = d.files.iter().find(|f| f.name == name).unwrap();
        assert_eq!(
            kept(&data, &f.sha256),
            std::fs::read(dir.join(name)).unwrap()
        );
        f.role
    };
    assert_eq!(role_of("comparaison.md"), Role::Report);
    assert_eq!(role_of("grille.xlsx"), Role::Grid);
    // the grid's lock is the grid's, never the lock offers are checked against
    assert_eq!(role_of("grille.xlsx.boussole.lock"), Role::Grid);
    assert_eq!(role_of(lock), Role::Lock);
    assert_eq!(role_of("suivi-annee-1.xlsx"), Role::Followup);
    assert_eq!(role_of("engagements.json"), Role::Award);
    assert_eq!(role_of("rapport-annee-1.xlsx"), Role::Followup);
    assert_eq!(role_of("fiche.md"), Role::Record);
    for command in [
        "boussole compare",
        "boussole grid",
        "boussole grid --followup",
        "boussole award",
        "boussole followup template",
        "boussole record",
    ] {
        let prefix = format!("{command} — ");
        assert!(
            d.audit
                .iter()
                .any(|e| e.action == "generated" && e.detail.starts_with(&prefix)),
            "{command}"
        );
    }
}
