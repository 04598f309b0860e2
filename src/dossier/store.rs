//! The database of a data folder: opened with its schema brought up to
//! date, and every change one transaction.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

use super::{
    DB_FILE, Dossier, Duty, Event, File, MAX_FILES, MAX_TITLE, MAX_TOTAL, Role, Summary,
    check_file_name, check_name, schema, sha256, who,
};
use crate::Error;
use crate::response::bounds;

/// The dossiers' database of a data folder.
pub struct Store {
    pub(super) conn: Connection,
    pub(super) path: PathBuf,
    /// Who the trail says made the changes: the computer's user ([`who`])
    /// unless [`Store::act_as`] named someone.
    pub(super) actor: String,
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
        Ok(Store {
            conn,
            path,
            actor: who(),
        })
    }

    /// Names who the trail says makes the next changes (the person logged
    /// in on a shared server).
    pub fn act_as(&mut self, name: &str) {
        name.clone_into(&mut self.actor);
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(super) fn fail(&self, e: impl std::fmt::Display) -> Error {
        Error::Usage(format!("{}: {e}", self.path.display()))
    }

    pub(super) fn begin(&mut self) -> Result<Transaction<'_>, Error> {
        let path = self.path.clone();
        self.conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| Error::Usage(format!("{}: {e}", path.display())))
    }

    /// Creates the dossier `name`.
    pub fn create(&mut self, name: &str, title: &str) -> Result<(), Error> {
        self.create_with(name, title, None)
    }

    /// Creates the dossier `name` and, in the same transaction, grants
    /// `first` (an account's login and a duty): a dossier created on a
    /// shared server has its creator as its buyer from the start.
    pub fn create_with(
        &mut self,
        name: &str,
        title: &str,
        first: Option<(&str, Duty)>,
    ) -> Result<(), Error> {
        check_name(name).map_err(Error::Usage)?;
        if title.chars().count() > MAX_TITLE {
            return Err(Error::Usage(format!(
                "the title is over {MAX_TITLE} characters"
            )));
        }
        let path = self.path.clone();
        let actor = self.actor.clone();
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
        log(&tx, &actor, id, "created", &detail).map_err(fail)?;
        if let Some((account, duty)) = first {
            super::account::change_duty(&tx, &path, &actor, id, account, duty, true)?;
        }
        tx.commit().map_err(fail)
    }

    /// Adds `files` to the dossier `name` under `role`, in one transaction,
    /// and returns them as stored. A role holding one document gives all
    /// of them its next version; another role, each name its next version.
    pub fn add(&mut self, name: &str, role: Role, files: &[Incoming]) -> Result<Vec<File>, Error> {
        let files: Vec<(Role, &Incoming)> = files.iter().map(|f| (role, f)).collect();
        self.keep(name, &files, How::Added)
    }

    /// Adds the files `command` (`boussole check`, say) has just written to
    /// the dossier `name`, each under its role, in one transaction; the
    /// trail says `generated` and names the command. Versions are given as
    /// [`Store::add`] gives them, role by role.
    pub fn add_generated(
        &mut self,
        name: &str,
        command: &str,
        files: &[(Role, Incoming)],
    ) -> Result<Vec<File>, Error> {
        let files: Vec<(Role, &Incoming)> = files.iter().map(|(r, f)| (*r, f)).collect();
        self.keep(name, &files, How::Generated(command))
    }

    /// Adds the files received for the dossier `name` (the answers dropped
    /// on the page, say), each under its role, in one transaction; the
    /// trail says `added`. Versions are given as [`Store::add`] gives them.
    pub fn receive(&mut self, name: &str, files: &[(Role, Incoming)]) -> Result<Vec<File>, Error> {
        let files: Vec<(Role, &Incoming)> = files.iter().map(|(r, f)| (*r, f)).collect();
        self.keep(name, &files, How::Added)
    }

    /// Keeps the letters `files` legal staff sent for the dossier `name`, in
    /// one transaction; the trail says `sent`. Versions are given as
    /// [`Store::add`] gives them.
    pub fn send(&mut self, name: &str, files: &[(Role, Incoming)]) -> Result<Vec<File>, Error> {
        let files: Vec<(Role, &Incoming)> = files.iter().map(|(r, f)| (*r, f)).collect();
        self.keep(name, &files, How::Sent)
    }

    /// Whether the dossier `name` exists.
    pub fn exists(&self, name: &str) -> Result<bool, Error> {
        Ok(id_of(&self.conn, name).map_err(|e| self.fail(e))?.is_some())
    }

    fn keep(
        &mut self,
        name: &str,
        files: &[(Role, &Incoming)],
        how: How<'_>,
    ) -> Result<Vec<File>, Error> {
        let path = self.path.clone();
        let actor = self.actor.clone();
        let fail = |e: rusqlite::Error| Error::Usage(format!("{}: {e}", path.display()));
        for (i, (role, f)) in files.iter().enumerate() {
            check_file_name(&f.name).map_err(Error::Usage)?;
            if files[..i]
                .iter()
                .any(|(r, g)| r == role && g.name == f.name)
            {
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
        let adding: u64 = files.iter().map(|(_, f)| f.bytes.len() as u64).sum();
        if count as usize + files.len() > MAX_FILES || total + adding > MAX_TOTAL {
            return Err(Error::Usage(format!(
                "{}: the dossier «{name}» would hold over {} files or {} MiB, more than an \
                 archive of it can be read back with: not added",
                path.display(),
                bounds::thousands(MAX_FILES as u64),
                MAX_TOTAL >> 20
            )));
        }
        let next =
            |tx: &Transaction<'_>, role: Role, file: Option<&str>| -> rusqlite::Result<u32> {
                tx.query_row(
                    "SELECT COALESCE(MAX(version), 0) + 1 FROM files
                 WHERE dossier = ?1 AND role = ?2 AND (?3 IS NULL OR name = ?3)",
                    params![id, role.code(), file],
                    |r| r.get(0),
                )
            };
        // a role holding one document: its next version, before any is added
        let mut shared = std::collections::BTreeMap::new();
        for (role, _) in files {
            if role.single() && !shared.contains_key(role) {
                shared.insert(*role, next(&tx, *role, None).map_err(fail)?);
            }
        }
        let received = now(&tx).map_err(fail)?;
        let mut stored = Vec::new();
        for (role, f) in files {
            let version = match shared.get(role) {
                Some(v) => *v,
                None => next(&tx, *role, Some(&f.name)).map_err(fail)?,
            };
            let file = File {
                path: File::archive_path(*role, version, &f.name),
                role: *role,
                version,
                name: f.name.clone(),
                sha256: sha256(&f.bytes),
                size: f.bytes.len() as u64,
                received: received.clone(),
            };
            insert_file(&tx, id, &file, &f.bytes).map_err(fail)?;
            let (action, detail) = match how {
                How::Generated(c) => (
                    "generated",
                    format!("{c} — {} — {}", file.path, file.sha256),
                ),
                How::Added => ("added", format!("{} — {}", file.path, file.sha256)),
                How::Sent => ("sent", format!("{} — {}", file.path, file.sha256)),
            };
            log(&tx, &actor, id, action, &detail).map_err(fail)?;
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
        let actor = self.actor.clone();
        let fail = |e: rusqlite::Error| Error::Usage(format!("{}: {e}", path.display()));
        let tx = self.begin()?;
        let id = existing(&tx, &path, name)?;
        log(&tx, &actor, id, action, detail).map_err(fail)?;
        tx.commit().map_err(fail)
    }
}

/// How files came into a dossier, as its trail says.
#[derive(Clone, Copy)]
enum How<'a> {
    /// Received or added by hand.
    Added,
    /// Written by a command (`boussole check`, say).
    Generated(&'a str),
    /// A letter legal staff recorded as sent.
    Sent,
}

/// A count or a size of column `i` (never negative: written by this module).
fn count(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<u64> {
    r.get::<_, i64>(i).map(|n| n.max(0) as u64)
}

pub(super) fn id_of(tx: &Connection, name: &str) -> rusqlite::Result<Option<i64>> {
    tx.query_row(
        "SELECT id FROM dossiers WHERE name = ?1",
        params![name],
        |r| r.get(0),
    )
    .optional()
}

pub(super) fn existing(tx: &Connection, path: &Path, name: &str) -> Result<i64, Error> {
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
pub(super) fn now(tx: &Connection) -> rusqlite::Result<String> {
    tx.query_row("SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now')", [], |r| {
        r.get(0)
    })
}

/// A failure of the database at `path`.
pub(super) fn at(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Usage(format!("{}: {e}", path.display()))
}

/// Appends to the trail of dossier `id`, now, by `actor`.
pub(super) fn log(
    tx: &Connection,
    actor: &str,
    id: i64,
    action: &str,
    detail: &str,
) -> rusqlite::Result<()> {
    let at = now(tx)?;
    append(
        tx,
        id,
        &Event {
            at,
            who: actor.to_string(),
            action: action.into(),
            detail: detail.into(),
        },
    )
}

pub(super) fn append(tx: &Connection, id: i64, e: &Event) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO audit (dossier, at, who, action, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, e.at, e.who, e.action, e.detail],
    )
    .map(drop)
}

/// Stores `bytes` once per content and the row of `file`.
pub(super) fn insert_file(
    tx: &Connection,
    id: i64,
    file: &File,
    bytes: &[u8],
) -> rusqlite::Result<()> {
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
pub(super) fn pause_before_commit() {
    let Some(ms) = std::env::var("BOUSSOLE_TEST_PAUSE_BEFORE_COMMIT")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    else {
        return;
    };
    eprintln!("boussole: pausing before commit");
    std::thread::sleep(std::time::Duration::from_millis(ms));
}
