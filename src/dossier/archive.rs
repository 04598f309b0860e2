//! A dossier as one ZIP archive, the form an archivist keeps, and read back.
//!
//! The archive holds every file as received under `ROLE/vN/NAME` (stored,
//! not compressed again: offers are packages already) and `manifest.json`:
//! the dossier's name, title and creation, each file's path, role,
//! version, SHA-256, size and time of receipt, the audit trail, and legal
//! staff's decisions (left out when there are none).
//!
//! [`import`] refuses an archive that is not exactly that: every entry is
//! bounded as a returned file's package is ([`crate::response::package`]),
//! its path must be relative and stay inside the archive, each file must
//! be the one the manifest lists, byte for byte, and nothing may be
//! missing or added. The first problem found is named with its entry.

use std::collections::BTreeSet;
use std::io::{Cursor, Read, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::db::Sql;
use super::db::values;
use super::{Decided, Dossier, Event, File, Marked, Store, check_file_name, check_name};
use crate::Error;

/// The manifest's name in the archive.
pub const MANIFEST: &str = "manifest.json";
/// What the manifest says it is.
pub const FORMAT: &str = "boussole-dossier";
/// The manifest's format version.
pub const FORMAT_VERSION: u32 = 1;

/// The manifest of an archive.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Always [`FORMAT`].
    pub format: String,
    /// Always [`FORMAT_VERSION`].
    pub format_version: u32,
    /// The dossier: name, title, creation, files and audit trail.
    pub dossier: Dossier,
    /// Legal staff's decisions, oldest first (absent when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<Decided>,
    /// The evaluation committee's marks, oldest first (absent when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub marks: Vec<Marked>,
}

/// The archive of `dossier`, its files' bytes read from `store`.
pub fn export(store: &Store, dossier: &Dossier) -> Result<Vec<u8>, Error> {
    let fail = |e: &dyn std::fmt::Display| Error::Render {
        what: format!("the archive of «{}»", dossier.name),
        message: e.to_string(),
    };
    let options = SimpleFileOptions::default().last_modified_time(zip::DateTime::default());
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let manifest = Manifest {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        dossier: dossier.clone(),
        decisions: store.decisions(&dossier.name)?,
        marks: store.marks(&dossier.name)?,
    };
    let json = serde_json::to_vec_pretty(&manifest).map_err(|e| fail(&e))?;
    zip.start_file(
        MANIFEST,
        options.compression_method(CompressionMethod::Deflated),
    )
    .map_err(|e| fail(&e))?;
    zip.write_all(&json).map_err(|e| fail(&e))?;
    for f in &dossier.files {
        let bytes = store.bytes(&f.sha256)?;
        if super::sha256(&bytes) != f.sha256 {
            return Err(store.fail(format!(
                "the bytes of {} no longer have their SHA-256: the database is damaged",
                f.path
            )));
        }
        zip.start_file(
            f.path.as_str(),
            options
                .compression_method(CompressionMethod::Stored)
                .large_file(bytes.len() as u64 >= u64::from(u32::MAX)),
        )
        .map_err(|e| fail(&e))?;
        zip.write_all(&bytes).map_err(|e| fail(&e))?;
    }
    Ok(zip.finish().map_err(|e| fail(&e))?.into_inner())
}

/// Reads the archive at `path`, checks it whole, and adds its dossier to
/// `store` under `rename` or its own name, with its trail and the import
/// recorded, in one transaction. Returns the dossier as imported.
pub fn import(store: &mut Store, path: &Path, rename: Option<&str>) -> Result<Dossier, Error> {
    let refuse = |what: String| Error::Usage(format!("{}: {what}: not imported", path.display()));
    if let Some(name) = rename {
        check_name(name).map_err(Error::Usage)?;
    }
    let file = crate::input::open(path)?;
    let mut zip =
        ZipArchive::new(file).map_err(|e| refuse(format!("not a readable ZIP archive ({e})")))?;
    crate::response::package::entries(&zip).map_err(|e| refuse(e.to_string()))?;
    let mut names = BTreeSet::new();
    for i in 0..zip.len() {
        let Some(Ok(name)) = zip.name_for_index(i).map(|n| n.map(|n| n.into_owned())) else {
            return Err(refuse(format!("entry #{i} has no readable name")));
        };
        if let Err(why) = safe_path(&name) {
            return Err(refuse(format!("entry «{name}»: {why}")));
        }
        if name.ends_with('/') {
            continue; // a folder: the files say where they are
        }
        if !names.insert(name.clone()) {
            return Err(refuse(format!("entry «{name}» appears twice")));
        }
    }
    let manifest = read_manifest(&mut zip).map_err(refuse)?;
    let (decisions, marks) = (manifest.decisions, manifest.marks);
    let mut dossier = manifest.dossier;
    let listed: BTreeSet<String> = dossier.files.iter().map(|f| f.path.clone()).collect();
    if let Some(extra) = names
        .iter()
        .find(|n| *n != MANIFEST && !listed.contains(*n))
    {
        return Err(refuse(format!(
            "entry «{extra}» is not in the manifest: the archive was changed"
        )));
    }
    if let Some(gone) = listed.iter().find(|n| !names.contains(*n)) {
        return Err(refuse(format!(
            "entry «{gone}» is in the manifest but not in the archive"
        )));
    }
    let mut contents = Vec::new();
    for f in &dossier.files {
        let mut entry = zip
            .by_name(&f.path)
            .map_err(|e| refuse(format!("entry «{}» cannot be read ({e})", f.path)))?;
        let mut bytes = Vec::new();
        (&mut entry)
            .take(super::MAX_FILE + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| refuse(format!("entry «{}» cannot be read ({e})", f.path)))?;
        let sha = super::sha256(&bytes);
        if bytes.len() as u64 != f.size || sha != f.sha256 {
            return Err(refuse(format!(
                "entry «{}» is not the file the manifest lists (SHA-256 {}, {} bytes; the \
                 manifest says {}, {} bytes): the archive was changed",
                f.path,
                sha,
                bytes.len(),
                f.sha256,
                f.size
            )));
        }
        contents.push(bytes);
    }
    if let Some(name) = rename {
        dossier.name = name.to_string();
    }
    let from = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into(),
    );
    insert(store, &mut dossier, &contents, (&decisions, &marks), &from)?;
    Ok(dossier)
}

/// Why an entry's path may not be written anywhere: absolute, with a drive
/// or a backslash, or with an empty, `.` or `..` part.
fn safe_path(name: &str) -> Result<(), &'static str> {
    if name.starts_with('/') || name.contains('\\') || name.contains(':') {
        return Err("its path is absolute or not portable");
    }
    let parts: Vec<&str> = name.trim_end_matches('/').split('/').collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || *p == "." || *p == "..")
    {
        return Err("its path leaves the archive's folder or has an empty part");
    }
    Ok(())
}

/// The manifest, checked: its format, the dossier's name, and each file's
/// path as its role, version and name make it.
fn read_manifest<R: Read + std::io::Seek>(zip: &mut ZipArchive<R>) -> Result<Manifest, String> {
    let entry = zip
        .by_name(MANIFEST)
        .map_err(|_| format!("no {MANIFEST}: not an archive of a boussole dossier"))?;
    let mut text = String::new();
    entry
        .take(crate::input::MAX_TEXT + 1)
        .read_to_string(&mut text)
        .map_err(|e| format!("entry «{MANIFEST}» cannot be read ({e})"))?;
    if text.len() as u64 > crate::input::MAX_TEXT {
        return Err(format!(
            "entry «{MANIFEST}» is over {} MiB",
            crate::input::MAX_TEXT >> 20
        ));
    }
    let manifest: Manifest = serde_json::from_str(&text)
        .map_err(|e| format!("entry «{MANIFEST}» is not a dossier's manifest ({e})"))?;
    if manifest.format != FORMAT || manifest.format_version != FORMAT_VERSION {
        return Err(format!(
            "entry «{MANIFEST}» is a {} of version {}, not a {FORMAT} of version {FORMAT_VERSION}",
            manifest.format, manifest.format_version
        ));
    }
    let d = &manifest.dossier;
    check_name(&d.name).map_err(|e| format!("entry «{MANIFEST}»: {e}"))?;
    let mut seen = BTreeSet::new();
    for f in &d.files {
        let bad = |why: &str| format!("entry «{MANIFEST}», file «{}»: {why}", f.path);
        check_file_name(&f.name).map_err(|e| bad(&e))?;
        if f.version == 0 || f.path != File::archive_path(f.role, f.version, &f.name) {
            return Err(bad("its path is not ROLE/vVERSION/NAME"));
        }
        if f.sha256.len() != 64 || !f.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad("its SHA-256 is not 64 hexadecimal digits"));
        }
        if f.size > super::MAX_FILE {
            return Err(bad("it is larger than a dossier keeps"));
        }
        if !seen.insert(&f.path) || f.path == MANIFEST {
            return Err(bad("it is listed twice"));
        }
    }
    Ok(manifest)
}

/// Adds `dossier` (files with `contents`, trail, decisions and marks) to
/// `store` and records the import, in one transaction.
fn insert(
    store: &mut Store,
    dossier: &mut Dossier,
    contents: &[Vec<u8>],
    (decisions, marks): (&[Decided], &[Marked]),
    from: &str,
) -> Result<(), Error> {
    let path = store.path.clone();
    let fail = |e: super::db::Failed| Error::Usage(format!("{}: {e}", path.display()));
    let actor = store.actor.clone();
    let mut tx = store.begin()?;
    if super::store::id_of(&mut tx, &dossier.name)
        .map_err(fail)?
        .is_some()
    {
        return Err(Error::Usage(format!(
            "{}: a dossier named «{}» already exists: import it under another name with --as",
            path.display(),
            dossier.name
        )));
    }
    let id = tx
        .row(
            "INSERT INTO dossiers (name, title, created) VALUES (?1, ?2, ?3) RETURNING id",
            values![&dossier.name, &dossier.title, &dossier.created],
        )
        .map_err(fail)?
        .map(|r| r.int(0))
        .unwrap_or_default();
    for (f, bytes) in dossier.files.iter().zip(contents) {
        super::store::insert_file(&mut tx, id, f, bytes).map_err(fail)?;
    }
    for e in &dossier.audit {
        super::store::append(&mut tx, id, e).map_err(fail)?;
    }
    for d in decisions {
        super::store::Appended::insert(d, &mut tx, id).map_err(fail)?;
    }
    for m in marks {
        super::store::Appended::insert(m, &mut tx, id).map_err(fail)?;
    }
    let detail = format!("{from} — {} file(s)", dossier.files.len());
    super::store::log(&mut tx, &actor, id, "imported", &detail).map_err(fail)?;
    let last = tx
        .row(
            "SELECT at, who, action, detail FROM audit WHERE dossier = ?1 ORDER BY id DESC",
            values![id],
        )
        .map_err(fail)?
        .map(|r| Event {
            at: r.text(0),
            who: r.text(1),
            action: r.text(2),
            detail: r.text(3),
        });
    dossier.audit.extend(last);
    tx.commit().map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dossier::Role;

    #[test]
    fn only_relative_paths_inside_the_archive_are_accepted() {
        assert!(safe_path("offer/v1/acme.xlsx").is_ok());
        assert!(safe_path("offer/").is_ok());
        for bad in [
            "../etc/passwd",
            "offer/../../x",
            "/etc/passwd",
            "C:/x",
            "offer\\v1\\x",
            "offer//x",
            "./x",
        ] {
            assert!(safe_path(bad).is_err(), "{bad}");
        }
        // the roles' codes are all valid first parts
        for r in Role::ALL {
            assert!(safe_path(&File::archive_path(r, 1, "f.txt")).is_ok());
        }
    }
}
