//! Dossiers: one consultation's files and its timeline, kept for the years
//! its file must be archived, in one SQLite file.
//!
//! A [`Store`] is the database of a data folder ([`data_dir`]: `--data`,
//! else `BOUSSOLE_DATA`, else the platform's convention). Its schema is
//! versioned in the code ([`schema`]) and brought up to date when it is
//! opened. A dossier holds:
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

pub mod archive;
pub mod schema;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
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

/// What a file is to the consultation.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The tender profile.
    Profile,
    /// The annex of the tender documents.
    Annex,
    /// The questionnaire issued to vendors.
    Questionnaire,
    /// The questionnaire's lock.
    Lock,
    /// A returned offer, as received.
    Offer,
    /// An evidence file attached to an offer.
    Evidence,
    /// A report of the analysis.
    Report,
    /// A letter sent to a vendor.
    Letter,
    /// Legal staff's decisions.
    Decisions,
    /// The committee's marks.
    Marks,
    /// The project group's grid.
    Grid,
    /// The project group's opinion.
    Opinion,
    /// The awarded offer's commitments.
    Award,
    /// The algorithm's public record.
    Record,
    /// A yearly follow-up report.
    Followup,
    /// Anything else.
    Other,
}

impl Role {
    /// Every role, in the order of a consultation.
    pub const ALL: [Role; 16] = [
        Role::Profile,
        Role::Annex,
        Role::Questionnaire,
        Role::Lock,
        Role::Offer,
        Role::Evidence,
        Role::Report,
        Role::Letter,
        Role::Decisions,
        Role::Marks,
        Role::Grid,
        Role::Opinion,
        Role::Award,
        Role::Record,
        Role::Followup,
        Role::Other,
    ];

    /// The role's name in the database and in archives: `offer`.
    pub fn code(self) -> &'static str {
        match self {
            Role::Profile => "profile",
            Role::Annex => "annex",
            Role::Questionnaire => "questionnaire",
            Role::Lock => "lock",
            Role::Offer => "offer",
            Role::Evidence => "evidence",
            Role::Report => "report",
            Role::Letter => "letter",
            Role::Decisions => "decisions",
            Role::Marks => "marks",
            Role::Grid => "grid",
            Role::Opinion => "opinion",
            Role::Followup => "followup",
            Role::Award => "award",
            Role::Record => "record",
            Role::Other => "other",
        }
    }

    /// The role named `code`.
    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// What the role is, for people.
    pub fn label(self, lang: Lang) -> &'static str {
        let (fr, en) = match self {
            Role::Profile => ("Profil de la consultation", "Tender profile"),
            Role::Annex => ("Annexe", "Annex"),
            Role::Questionnaire => ("Questionnaire", "Questionnaire"),
            Role::Lock => ("Verrou du questionnaire", "Questionnaire lock"),
            Role::Offer => ("Offres reçues", "Offers received"),
            Role::Evidence => ("Pièces justificatives", "Evidence files"),
            Role::Report => ("Rapports d’analyse", "Analysis reports"),
            Role::Letter => ("Courriers", "Letters"),
            Role::Decisions => ("Décisions des juristes", "Legal staff’s decisions"),
            Role::Marks => ("Notes de la commission", "Committee’s marks"),
            Role::Grid => ("Grille du groupe projet", "Project group’s grid"),
            Role::Opinion => ("Avis du groupe projet", "Project group’s opinion"),
            Role::Followup => ("Suivi annuel", "Yearly follow-up"),
            Role::Award => ("Engagements du titulaire", "Contractor’s commitments"),
            Role::Record => (
                "Fiche publique de l’algorithme",
                "Algorithm’s public record",
            ),
            Role::Other => ("Autres pièces", "Other files"),
        };
        lang.pick(fr, en)
    }

    /// Whether the role holds one document, issued in versions (a profile,
    /// a questionnaire): each `add` makes the next version of the role.
    /// Other roles hold many files (offers, letters): a version per name.
    pub fn single(self) -> bool {
        !matches!(
            self,
            Role::Offer
                | Role::Evidence
                | Role::Report
                | Role::Letter
                | Role::Followup
                | Role::Other
        )
    }
}

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
    /// What, as a code: `created`, `added`, `exported`, `imported`.
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
            "exported" => lang.pick("dossier exporté", "dossier exported"),
            "imported" => lang.pick("dossier importé", "dossier imported"),
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

/// The dossiers' database of a data folder.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

/// A file about to be added: its name, its bytes.
pub struct Incoming {
    /// The original name.
    pub name: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

impl Store {
    /// Opens (creating it if need be) the database of the data folder
    /// `dir`, and brings its schema up to date.
    pub fn open(dir: &Path) -> Result<Store, Error> {
        std::fs::create_dir_all(dir).map_err(|e| Error::Io(dir.to_path_buf(), e))?;
        let path = dir.join(DB_FILE);
        if path.is_dir() {
            return Err(Error::NotAFile(path, "a folder"));
        }
        let fail = |e: String| Error::Usage(format!("{}: {e}", path.display()));
        let mut conn = Connection::open(&path).map_err(|e| fail(e.to_string()))?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(|e| fail(e.to_string()))?;
        // WAL: a reader never waits for a writer, a killed writer leaves
        // the last commit; FULL: a commit survives a power cut too.
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(|e| fail(format!("not a dossiers database ({e})")))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(fail(format!(
                "the journal cannot be written ahead ({mode})"
            )));
        }
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
            .map_err(|e| fail(e.to_string()))?;
        schema::migrate(&mut conn).map_err(fail)?;
        Ok(Store { conn, path })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn fail(&self, e: impl std::fmt::Display) -> Error {
        Error::Usage(format!("{}: {e}", self.path.display()))
    }

    fn begin(&mut self) -> Result<Transaction<'_>, Error> {
        let path = self.path.clone();
        self.conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| Error::Usage(format!("{}: {e}", path.display())))
    }

    /// Creates the dossier `name`.
    pub fn create(&mut self, name: &str, title: &str) -> Result<(), Error> {
        check_name(name).map_err(Error::Usage)?;
        if title.chars().count() > MAX_TITLE {
            return Err(Error::Usage(format!(
                "the title is over {MAX_TITLE} characters"
            )));
        }
        let path = self.path.clone();
        let fail = |e: rusqlite::Error| Error::Usage(format!("{}: {e}", path.display()));
        let tx = self.begin()?;
        if id_of(&tx, name).map_err(fail)?.is_some() {
            return Err(Error::Usage(format!(
                "{}: a dossier named «{name}» already exists",
                path.display()
            )));
        }
        tx.execute(
            "INSERT INTO dossiers (name, title, created) VALUES (?1, ?2, ?3)",
            params![name, title, now(&tx).map_err(fail)?],
        )
        .map_err(fail)?;
        let id = tx.last_insert_rowid();
        let detail = if title.is_empty() {
            name.to_string()
        } else {
            format!("{name} — {title}")
        };
        log(&tx, id, "created", &detail).map_err(fail)?;
        tx.commit().map_err(fail)
    }

    /// Adds `files` to the dossier `name` under `role`, in one transaction,
    /// and returns them as stored. A role holding one document gives all
    /// of them its next version; another role, each name its next version.
    pub fn add(&mut self, name: &str, role: Role, files: &[Incoming]) -> Result<Vec<File>, Error> {
        let path = self.path.clone();
        let fail = |e: rusqlite::Error| Error::Usage(format!("{}: {e}", path.display()));
        for (i, f) in files.iter().enumerate() {
            check_file_name(&f.name).map_err(Error::Usage)?;
            if files[..i].iter().any(|g| g.name == f.name) {
                return Err(Error::Usage(format!(
                    "two files named «{}» in one addition",
                    f.name
                )));
            }
        }
        let tx = self.begin()?;
        let id = existing(&tx, &path, name)?;
        let (count, total) = tx
            .query_row(
                "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM files WHERE dossier = ?1",
                params![id],
                |r| Ok((count(r, 0)?, count(r, 1)?)),
            )
            .map_err(fail)?;
        let adding: u64 = files.iter().map(|f| f.bytes.len() as u64).sum();
        if count as usize + files.len() > MAX_FILES || total + adding > MAX_TOTAL {
            return Err(Error::Usage(format!(
                "{}: the dossier «{name}» would hold over {} files or {} MiB, more than an \
                 archive of it can be read back with: not added",
                path.display(),
                bounds::thousands(MAX_FILES as u64),
                MAX_TOTAL >> 20
            )));
        }
        let next = |tx: &Transaction<'_>, file: Option<&str>| -> rusqlite::Result<u32> {
            tx.query_row(
                "SELECT COALESCE(MAX(version), 0) + 1 FROM files
                 WHERE dossier = ?1 AND role = ?2 AND (?3 IS NULL OR name = ?3)",
                params![id, role.code(), file],
                |r| r.get(0),
            )
        };
        let shared = next(&tx, None).map_err(fail)?;
        let received = now(&tx).map_err(fail)?;
        let mut stored = Vec::new();
        for f in files {
            let version = if role.single() {
                shared
            } else {
                next(&tx, Some(&f.name)).map_err(fail)?
            };
            let file = File {
                path: File::archive_path(role, version, &f.name),
                role,
                version,
                name: f.name.clone(),
                sha256: sha256(&f.bytes),
                size: f.bytes.len() as u64,
                received: received.clone(),
            };
            insert_file(&tx, id, &file, &f.bytes).map_err(fail)?;
            let detail = format!("{} — {}", file.path, file.sha256);
            log(&tx, id, "added", &detail).map_err(fail)?;
            stored.push(file);
        }
        pause_before_commit();
        tx.commit().map_err(fail)?;
        Ok(stored)
    }

    /// Every dossier, by name.
    pub fn list(&self) -> Result<Vec<Summary>, Error> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT d.name, d.title, d.created,
                    (SELECT COUNT(*) FROM files f WHERE f.dossier = d.id),
                    (SELECT COALESCE(SUM(size), 0) FROM files f WHERE f.dossier = d.id),
                    (SELECT COALESCE(MAX(at), d.created) FROM audit a WHERE a.dossier = d.id)
                 FROM dossiers d ORDER BY d.name",
            )
            .map_err(|e| self.fail(e))?;
        let rows: Vec<Summary> = stmt
            .query_map([], |r| {
                Ok(Summary {
                    name: r.get(0)?,
                    title: r.get(1)?,
                    created: r.get(2)?,
                    files: count(r, 3)?,
                    size: count(r, 4)?,
                    changed: r.get(5)?,
                })
            })
            .and_then(Iterator::collect)
            .map_err(|e| self.fail(e))?;
        Ok(rows)
    }

    /// The dossier `name`, its files and audit trail.
    pub fn dossier(&self, name: &str) -> Result<Dossier, Error> {
        let fail = |e: rusqlite::Error| self.fail(e);
        let (id, title, created): (i64, String, String) = self
            .conn
            .query_row(
                "SELECT id, title, created FROM dossiers WHERE name = ?1",
                params![name],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(fail)?
            .ok_or_else(|| missing(&self.path, name))?;
        let mut stmt = self
            .conn
            .prepare(
                "SELECT role, version, name, sha256, size, received FROM files
                 WHERE dossier = ?1 ORDER BY id",
            )
            .map_err(fail)?;
        let mut files = stmt
            .query_map(params![id], |r| {
                let code: String = r.get(0)?;
                let role = Role::from_code(&code).unwrap_or(Role::Other);
                let version: u32 = r.get(1)?;
                let name: String = r.get(2)?;
                Ok(File {
                    path: File::archive_path(role, version, &name),
                    role,
                    version,
                    name,
                    sha256: r.get(3)?,
                    size: count(r, 4)?,
                    received: r.get(5)?,
                })
            })
            .and_then(Iterator::collect::<rusqlite::Result<Vec<File>>>)
            .map_err(fail)?;
        files.sort_by(|a, b| (a.role, &a.name, a.version).cmp(&(b.role, &b.name, b.version)));
        let mut stmt = self
            .conn
            .prepare("SELECT at, who, action, detail FROM audit WHERE dossier = ?1 ORDER BY id")
            .map_err(fail)?;
        let audit = stmt
            .query_map(params![id], |r| {
                Ok(Event {
                    at: r.get(0)?,
                    who: r.get(1)?,
                    action: r.get(2)?,
                    detail: r.get(3)?,
                })
            })
            .and_then(Iterator::collect)
            .map_err(fail)?;
        Ok(Dossier {
            name: name.to_string(),
            title,
            created,
            files,
            audit,
        })
    }

    /// The bytes of the file whose SHA-256 is `sha256`.
    pub fn bytes(&self, sha256: &str) -> Result<Vec<u8>, Error> {
        self.conn
            .query_row(
                "SELECT bytes FROM blobs WHERE sha256 = ?1",
                params![sha256],
                |r| r.get(0),
            )
            .map_err(|e| self.fail(format!("the file {sha256} cannot be read ({e})")))
    }

    /// Records in the dossier `name`'s trail that it was done `action`.
    pub fn record(&mut self, name: &str, action: &str, detail: &str) -> Result<(), Error> {
        let path = self.path.clone();
        let fail = |e: rusqlite::Error| Error::Usage(format!("{}: {e}", path.display()));
        let tx = self.begin()?;
        let id = existing(&tx, &path, name)?;
        log(&tx, id, action, detail).map_err(fail)?;
        tx.commit().map_err(fail)
    }
}

/// A count or a size of column `i` (never negative: written by this module).
fn count(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<u64> {
    r.get::<_, i64>(i).map(|n| n.max(0) as u64)
}

fn id_of(tx: &Connection, name: &str) -> rusqlite::Result<Option<i64>> {
    tx.query_row(
        "SELECT id FROM dossiers WHERE name = ?1",
        params![name],
        |r| r.get(0),
    )
    .optional()
}

fn existing(tx: &Connection, path: &Path, name: &str) -> Result<i64, Error> {
    id_of(tx, name)
        .map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?
        .ok_or_else(|| missing(path, name))
}

fn missing(path: &Path, name: &str) -> Error {
    Error::Usage(format!(
        "{}: no dossier named «{name}» (`boussole dossier list` shows them)",
        path.display()
    ))
}

/// Now, in UTC, as SQLite's clock gives it.
fn now(tx: &Connection) -> rusqlite::Result<String> {
    tx.query_row("SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now')", [], |r| {
        r.get(0)
    })
}

/// Appends to the trail of dossier `id`, now, by [`who`].
fn log(tx: &Connection, id: i64, action: &str, detail: &str) -> rusqlite::Result<()> {
    let at = now(tx)?;
    append(
        tx,
        id,
        &Event {
            at,
            who: who(),
            action: action.into(),
            detail: detail.into(),
        },
    )
}

fn append(tx: &Connection, id: i64, e: &Event) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO audit (dossier, at, who, action, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, e.at, e.who, e.action, e.detail],
    )
    .map(drop)
}

/// Stores `bytes` once per content and the row of `file`.
fn insert_file(tx: &Connection, id: i64, file: &File, bytes: &[u8]) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT OR IGNORE INTO blobs (sha256, size, bytes) VALUES (?1, ?2, ?3)",
        params![file.sha256, file.size as i64, bytes],
    )?;
    tx.execute(
        "INSERT INTO files (dossier, role, version, name, sha256, size, received)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            id,
            file.role.code(),
            file.version,
            file.name,
            file.sha256,
            file.size as i64,
            file.received
        ],
    )
    .map(drop)
}

/// For the tests that kill a change half-way: with
/// `BOUSSOLE_TEST_PAUSE_BEFORE_COMMIT` set to a number of milliseconds,
/// says so on standard error and waits that long before committing.
fn pause_before_commit() {
    let Some(ms) = std::env::var("BOUSSOLE_TEST_PAUSE_BEFORE_COMMIT")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    else {
        return;
    };
    eprintln!("boussole: pausing before commit");
    std::thread::sleep(std::time::Duration::from_millis(ms));
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

    #[test]
    fn every_role_has_a_code_read_back_and_a_label_of_its_own() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        for lang in Lang::ALL {
            let labels: std::collections::BTreeSet<&str> =
                Role::ALL.iter().map(|r| r.label(lang)).collect();
            assert_eq!(labels.len(), Role::ALL.len());
        }
        assert!(
            Role::ALL.windows(2).all(|w| w[0] < w[1]),
            "listed as ordered"
        );
        assert!(Role::Profile.single() && !Role::Offer.single());
    }
}
