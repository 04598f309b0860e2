//! Dossiers: one consultation's files and its timeline, kept for the years
//! its file must be archived, in one SQLite file.
//!
//! A [`Store`] is the database of a data folder ([`data_dir`]: `--data`,
//! else `BOUSSOLE_DATA`, else the platform's convention), or of a
//! PostgreSQL server a team's IT department runs ([`Store::connect`],
//! `--database`), spoken to through the same statements (`db`). Its schema
//! is versioned in the code ([`schema`], in each database's words) and
//! brought up to date when it is opened. A dossier holds:
//!
//! - its files, each with a [`Role`] (the profile, the issued
//!   questionnaire and its lock, the offers as received, the reports…),
//!   stored by content: the bytes once per SHA-256, a row per file with its
//!   original name, size, time of receipt and version, so that a new
//!   profile or questionnaire never replaces the one issued;
//! - its audit trail: who did what and when, appended to and never changed
//!   (triggers refuse any update or deletion).
//!
//! Every change is one transaction: a process killed at any point leaves
//! the dossier as it was before the change or as it is after, never half.
//! [`archive`] writes a dossier as one ZIP archive with its manifest, and
//! reads such an archive back, every hash checked.

pub mod account;
pub mod archive;
pub(crate) mod db;
mod decision;
mod duty;
mod mark;
mod role;
pub mod schema;
mod store;

pub use account::{Account, Person};
pub use decision::{Decided, WITHDRAWN, in_force};
pub use duty::{Act, Duty, any_may};
pub use mark::{Marked, marks_in_force};
pub use role::Role;
pub use store::{Incoming, Store, redacted};

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::Error;
use crate::response::bounds;
use crate::text::Lang;

/// The database's file name in the data folder.
pub const DB_FILE: &str = "dossiers.sqlite";
/// Largest file a dossier keeps: an archive's entry is read back under
/// the same bound ([`bounds::MAX_ENTRY_SIZE`]).
pub const MAX_FILE: u64 = bounds::MAX_ENTRY_SIZE;
/// Most files of one dossier: its archive holds them and its manifest
/// within [`bounds::MAX_ENTRIES`].
pub const MAX_FILES: usize = bounds::MAX_ENTRIES - 1;
/// Largest size of all a dossier's files together: its archive must be
/// readable back ([`bounds::MAX_TOTAL_SIZE`]).
pub const MAX_TOTAL: u64 = bounds::MAX_TOTAL_SIZE;
/// Longest dossier name, in characters.
pub const MAX_NAME: usize = 100;
/// Longest title, in characters.
pub const MAX_TITLE: usize = bounds::MAX_IDENTITY_CHARS;
/// Longest original file name kept, in bytes.
pub const MAX_FILE_NAME: usize = 255;

/// One file of a dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    /// Where the file is in an archive: `ROLE/vN/NAME`.
    pub path: String,
    /// What the file is.
    pub role: Role,
    /// Its version (from 1).
    pub version: u32,
    /// Its original name.
    pub name: String,
    /// The SHA-256 of its bytes, in lowercase hexadecimal.
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
    /// When it was received (UTC, `2027-01-12T09:30:00Z`).
    pub received: String,
}

impl File {
    /// The path of a file in an archive.
    pub fn archive_path(role: Role, version: u32, name: &str) -> String {
        format!("{}/v{version}/{name}", role.code())
    }
}

/// One entry of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// When (UTC).
    pub at: String,
    /// Who: the user name of the session.
    pub who: String,
    /// What, as a code: `created`, `added`, `generated` (written by a
    /// command given `--dossier`), `exported`, `imported`, `decided` (a
    /// decision of the legal review, see [`Decided`]), `granted` and
    /// `revoked` (a person's duty in the dossier, `LOGIN: DUTY`), `sent` (a
    /// letter recorded as sent by legal staff), `marked` (a mark of the
    /// evaluation committee, see [`Marked`]).
    pub action: String,
    /// The details: which file, which archive.
    pub detail: String,
}

impl Event {
    /// What the action is, for people.
    pub fn label(&self, lang: Lang) -> &str {
        match self.action.as_str() {
            "created" => lang.pick("dossier créé", "dossier created"),
            "added" => lang.pick("fichier ajouté", "file added"),
            "generated" => lang.pick("fichier produit", "file generated"),
            "exported" => lang.pick("dossier exporté", "dossier exported"),
            "imported" => lang.pick("dossier importé", "dossier imported"),
            "decided" => lang.pick("décision de la revue juridique", "legal review decision"),
            "granted" => lang.pick("rôle attribué", "role granted"),
            "revoked" => lang.pick("rôle retiré", "role revoked"),
            "sent" => lang.pick(
                "courrier enregistré comme envoyé",
                "letter recorded as sent",
            ),
            "marked" => lang.pick("note de la commission", "committee mark"),
            other => other,
        }
    }
}

/// A dossier, whole.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dossier {
    /// Its name, unique in the store.
    pub name: String,
    /// Its title (may be empty).
    pub title: String,
    /// When it was created (UTC).
    pub created: String,
    /// Its files, by role, version and name.
    pub files: Vec<File>,
    /// Its audit trail, oldest first.
    pub audit: Vec<Event>,
}

/// A dossier in a list.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Its name.
    pub name: String,
    /// Its title.
    pub title: String,
    /// When it was created (UTC).
    pub created: String,
    /// How many files it holds.
    pub files: u64,
    /// Their size together, in bytes.
    pub size: u64,
    /// When it last changed (UTC): its last audit entry.
    pub changed: String,
}

/// The data folder: `explicit` (`--data`), else `BOUSSOLE_DATA`, else the
/// platform's convention.
pub fn data_dir(explicit: Option<&Path>) -> Result<PathBuf, Error> {
    if let Some(dir) = explicit {
        return Ok(dir.to_path_buf());
    }
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(dir) = var("BOUSSOLE_DATA") {
        return Ok(PathBuf::from(dir));
    }
    platform_dir(var).ok_or_else(|| {
        Error::Usage("no data folder for the dossiers: give --data DIR or set BOUSSOLE_DATA".into())
    })
}

/// The platform's folder for an application's data, from the environment
/// variables `var` gives: `%APPDATA%\boussole` on Windows,
/// `~/Library/Application Support/boussole` on macOS,
/// `$XDG_DATA_HOME/boussole` or `~/.local/share/boussole` elsewhere.
fn platform_dir(var: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    let home = || var("HOME").map(PathBuf::from);
    if cfg!(windows) {
        var("APPDATA").map(|d| PathBuf::from(d).join("boussole"))
    } else if cfg!(target_os = "macos") {
        home().map(|h| h.join("Library/Application Support/boussole"))
    } else {
        var("XDG_DATA_HOME")
            .map(PathBuf::from)
            .filter(|d| d.is_absolute())
            .map(|d| d.join("boussole"))
            .or_else(|| home().map(|h| h.join(".local/share/boussole")))
    }
}

/// Who is working: the user name of the session (`USER`, `USERNAME`).
pub fn who() -> String {
    ["USER", "USERNAME"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .map(|v| v.trim().chars().take(MAX_NAME).collect::<String>())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| "inconnu".into())
}

/// Refuses a dossier name that is empty, too long, or holds anything but
/// letters, digits, `-`, `_` and `.` (not first): it names the dossier on
/// the command line and in archives.
pub fn check_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.chars().count() <= MAX_NAME
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        return Ok(());
    }
    Err(format!(
        "«{name}» is no dossier name: use 1 to {MAX_NAME} letters, digits, '-', '_' or '.' \
         (not first), e.g. ia-accueil-2027"
    ))
}

/// Refuses an original file name that could not be a name in an archive's
/// folder: empty, `.` or `..`, with a slash, a backslash, a colon or a
/// control character, or over [`MAX_FILE_NAME`] bytes.
pub fn check_file_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name != "."
        && name != ".."
        && name.len() <= MAX_FILE_NAME
        && !name
            .chars()
            .any(|c| matches!(c, '/' | '\\' | ':') || c.is_control());
    if ok {
        return Ok(());
    }
    Err(format!("«{name}» cannot be kept as a file name"))
}

/// The SHA-256 of `bytes`, in lowercase hexadecimal.
pub fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_folder_follows_the_platform() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| OsString::from(v))
            }
        };
        let dir = platform_dir(env(&[
            ("HOME", "/home/ana"),
            ("XDG_DATA_HOME", "/data/ana"),
            ("APPDATA", "C:\\Users\\ana\\AppData\\Roaming"),
        ]))
        .unwrap();
        if cfg!(windows) {
            assert!(dir.ends_with("boussole") && dir.starts_with("C:\\Users\\ana"));
        } else if cfg!(target_os = "macos") {
            assert_eq!(
                dir,
                Path::new("/home/ana/Library/Application Support/boussole")
            );
        } else {
            assert_eq!(dir, Path::new("/data/ana/boussole"));
            // a relative XDG_DATA_HOME is ignored, as the specification says
            let dir = platform_dir(env(&[("HOME", "/home/ana"), ("XDG_DATA_HOME", "rel")]));
            assert_eq!(dir.unwrap(), Path::new("/home/ana/.local/share/boussole"));
        }
        assert_eq!(platform_dir(env(&[])), None);
    }

    #[test]
    fn names_that_cannot_travel_are_refused() {
        assert!(check_name("ia-accueil_2027.v2").is_ok());
        assert!(check_name("Métropole-2027").is_ok());
        for bad in ["", ".cache", "a/b", "a b", "..", &"x".repeat(MAX_NAME + 1)] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
        assert!(check_file_name("offre acme.xlsx").is_ok());
        for bad in ["", ".", "..", "a/b.xlsx", "a\\b.xlsx", "C:x", "a\nb"] {
            assert!(check_file_name(bad).is_err(), "{bad}");
        }
    }
}
