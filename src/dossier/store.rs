//! The database of a data folder (or a PostgreSQL server): opened with its
//! schema brought up to date, and every change one transaction.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use super::db::values;
use super::db::{self, Conn, Sql};
use super::{
    DB_FILE, Dossier, Duty, Event, File, MAX_FILES, MAX_TITLE, MAX_TOTAL, Role, Summary,
    check_file_name, check_name, schema, sha256, who,
};
use crate::Error;
use crate::response::bounds;

/// The dossiers' database of a data folder, or of a PostgreSQL server.
pub struct Store {
    /// The connection: behind a cell, as a PostgreSQL client reads through
    /// `&mut` what SQLite reads through `&`.
    pub(super) conn: RefCell<Conn>,
    /// The database file, or the server's address (without its password):
    /// what errors name.
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
        let conn = rusqlite::Connection::open(&path).map_err(|e| fail(e.to_string()))?;
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
        Store::on(Conn::Lite(conn), path)
    }

    /// Connects to the PostgreSQL server at `url` (`postgres://user@host/db`,
    /// the password from the URL or `PGPASSWORD`-style settings of the
    /// server's own), and brings its schema up to date.
    pub fn connect(url: &str) -> Result<Store, Error> {
        let shown = redacted(url);
        let fail = |e: String| Error::Usage(format!("{shown}: {e}"));
        let remote = db::Remote::connect(url).map_err(|e| fail(format!("cannot connect ({e})")))?;
        Store::on(Conn::Pg(remote), PathBuf::from(&shown))
    }

    /// The store on `conn`, its schema brought up to date.
    fn on(mut conn: Conn, path: PathBuf) -> Result<Store, Error> {
        schema::migrate(&mut conn).map_err(|e| at(&path, e))?;
        Ok(Store {
            conn: RefCell::new(conn),
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

    pub(super) fn begin(&mut self) -> Result<db::Tx<'_>, Error> {
        let path = self.path.clone();
        self.conn.get_mut().begin().map_err(|e| at(&path, e))
    }

    /// Runs `read` on the connection, its failure naming the database.
    pub(super) fn read<T>(
        &self,
        read: impl FnOnce(&mut Conn) -> Result<T, db::Failed>,
    ) -> Result<T, Error> {
        read(&mut self.conn.borrow_mut()).map_err(|e| self.fail(e))
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
        let fail = |e: db::Failed| at(&path, e);
        let mut tx = self.begin()?;
        if id_of(&mut tx, name).map_err(fail)?.is_some() {
            return Err(Error::Usage(format!(
                "{}: a dossier named «{name}» already exists",
                path.display()
            )));
        }
        let id = tx
            .row(
                "INSERT INTO dossiers (name, title, created) VALUES (?1, ?2, ?3) RETURNING id",
                values![name, title, db::now()],
            )
            .map_err(fail)?
            .map(|r| r.int(0))
            .unwrap_or_default();
        let detail = if title.is_empty() {
            name.to_string()
        } else {
            format!("{name} — {title}")
        };
        log(&mut tx, &actor, id, "created", &detail).map_err(fail)?;
        if let Some((account, duty)) = first {
            super::account::change_duty(&mut tx, &path, &actor, id, account, duty, true)?;
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
        self.read(|c| id_of(c, name)).map(|id| id.is_some())
    }

    fn keep(
        &mut self,
        name: &str,
        files: &[(Role, &Incoming)],
        how: How<'_>,
    ) -> Result<Vec<File>, Error> {
        let path = self.path.clone();
        let actor = self.actor.clone();
        let fail = |e: db::Failed| at(&path, e);
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
        let mut tx = self.begin()?;
        let id = existing(&mut tx, &path, name)?;
        let held = tx
            .row(
                "SELECT COUNT(*), CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM files
                 WHERE dossier = ?1",
                values![id],
            )
            .map_err(fail)?;
        let (count, total) = held.map_or((0, 0), |r| (r.count(0), r.count(1)));
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
        let next = |tx: &mut db::Tx<'_>, role: Role, file: Option<&str>| {
            let sql = match file {
                Some(_) => {
                    "SELECT CAST(COALESCE(MAX(version), 0) + 1 AS BIGINT) FROM files
                     WHERE dossier = ?1 AND role = ?2 AND name = ?3"
                }
                None => {
                    "SELECT CAST(COALESCE(MAX(version), 0) + 1 AS BIGINT) FROM files
                     WHERE dossier = ?1 AND role = ?2"
                }
            };
            let row = match file {
                Some(f) => tx.row(sql, values![id, role.code(), f]),
                None => tx.row(sql, values![id, role.code()]),
            };
            row.map(|r| r.map_or(1, |r| r.small(0)))
        };
        // a role holding one document: its next version, before any is added
        let mut shared = std::collections::BTreeMap::new();
        for (role, _) in files {
            if role.single() && !shared.contains_key(role) {
                shared.insert(*role, next(&mut tx, *role, None).map_err(fail)?);
            }
        }
        let received = db::now();
        let mut stored = Vec::new();
        for (role, f) in files {
            let version = match shared.get(role) {
                Some(v) => *v,
                None => next(&mut tx, *role, Some(&f.name)).map_err(fail)?,
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
            insert_file(&mut tx, id, &file, &f.bytes).map_err(fail)?;
            let (action, detail) = match how {
                How::Generated(c) => (
                    "generated",
                    format!("{c} — {} — {}", file.path, file.sha256),
                ),
                How::Added => ("added", format!("{} — {}", file.path, file.sha256)),
                How::Sent => ("sent", format!("{} — {}", file.path, file.sha256)),
            };
            log(&mut tx, &actor, id, action, &detail).map_err(fail)?;
            stored.push(file);
        }
        pause_before_commit();
        tx.commit().map_err(fail)?;
        Ok(stored)
    }

    /// Every dossier, by name.
    pub fn list(&self) -> Result<Vec<Summary>, Error> {
        let rows = self.read(|c| {
            c.rows(
                "SELECT d.name, d.title, d.created,
                    (SELECT COUNT(*) FROM files f WHERE f.dossier = d.id),
                    (SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM files f
                     WHERE f.dossier = d.id),
                    (SELECT COALESCE(MAX(at), d.created) FROM audit a WHERE a.dossier = d.id)
                 FROM dossiers d ORDER BY d.name",
                &[],
            )
        })?;
        Ok(rows
            .into_iter()
            .map(|r| Summary {
                name: r.text(0),
                title: r.text(1),
                created: r.text(2),
                files: r.count(3),
                size: r.count(4),
                changed: r.text(5),
            })
            .collect())
    }

    /// The dossier `name`, its files and audit trail.
    pub fn dossier(&self, name: &str) -> Result<Dossier, Error> {
        let head = self.read(|c| {
            c.row(
                "SELECT id, title, created FROM dossiers WHERE name = ?1",
                values![name],
            )
        })?;
        let head = head.ok_or_else(|| missing(&self.path, name))?;
        let (id, title, created) = (head.int(0), head.text(1), head.text(2));
        let rows = self.read(|c| {
            c.rows(
                "SELECT role, version, name, sha256, size, received FROM files
                 WHERE dossier = ?1 ORDER BY id",
                values![id],
            )
        })?;
        let mut files: Vec<File> = rows
            .into_iter()
            .map(|r| {
                let role = Role::from_code(&r.text(0)).unwrap_or(Role::Other);
                let version = r.small(1);
                let name = r.text(2);
                File {
                    path: File::archive_path(role, version, &name),
                    role,
                    version,
                    name,
                    sha256: r.text(3),
                    size: r.count(4),
                    received: r.text(5),
                }
            })
            .collect();
        files.sort_by(|a, b| (a.role, &a.name, a.version).cmp(&(b.role, &b.name, b.version)));
        let rows = self.read(|c| {
            c.rows(
                "SELECT at, who, action, detail FROM audit WHERE dossier = ?1 ORDER BY id",
                values![id],
            )
        })?;
        let audit = rows
            .into_iter()
            .map(|r| Event {
                at: r.text(0),
                who: r.text(1),
                action: r.text(2),
                detail: r.text(3),
            })
            .collect();
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
        let row =
            self.read(|c| c.row("SELECT bytes FROM blobs WHERE sha256 = ?1", values![sha256]))?;
        row.map(|r| r.bytes(0))
            .ok_or_else(|| self.fail(format!("the file {sha256} cannot be read (not kept)")))
    }

    /// Records in the dossier `name`'s trail that it was done `action`.
    pub fn record(&mut self, name: &str, action: &str, detail: &str) -> Result<(), Error> {
        let path = self.path.clone();
        let actor = self.actor.clone();
        let mut tx = self.begin()?;
        let id = existing(&mut tx, &path, name)?;
        log(&mut tx, &actor, id, action, detail).map_err(|e| at(&path, e))?;
        tx.commit().map_err(|e| at(&path, e))
    }
}

/// A row appended to a dossier's own table with an entry in its trail,
/// never changed afterwards: a legal review's decision, a committee's mark.
pub(super) trait Appended: Clone {
    /// What the trail says was done (`decided`, `marked`).
    const ACTION: &'static str;
    /// The row, recorded `at` by `who`.
    fn stamped(&self, at: &str, who: &str) -> Self;
    /// Appends the row, as it is, to the table of dossier `id`.
    fn insert(&self, q: &mut impl Sql, id: i64) -> Result<(), db::Failed>;
    /// What the trail's entry says of it.
    fn detail(&self) -> String;
}

impl Store {
    /// Appends `rows` to the dossier `name`, each with an entry in its
    /// trail, in one transaction; their time and who recorded them are set
    /// here.
    pub(super) fn append_all<T: Appended>(
        &mut self,
        name: &str,
        rows: &[T],
    ) -> Result<Vec<T>, Error> {
        let path = self.path.clone();
        let actor = self.actor.clone();
        let fail = |e: db::Failed| at(&path, e);
        let mut tx = self.begin()?;
        let id = existing(&mut tx, &path, name)?;
        let when = db::now();
        let mut kept = Vec::new();
        for row in rows {
            let row = row.stamped(&when, &actor);
            row.insert(&mut tx, id).map_err(fail)?;
            log(&mut tx, &actor, id, T::ACTION, &row.detail()).map_err(fail)?;
            kept.push(row);
        }
        pause_before_commit();
        tx.commit().map_err(fail)?;
        Ok(kept)
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

pub(super) fn id_of(q: &mut impl Sql, name: &str) -> Result<Option<i64>, db::Failed> {
    Ok(
        q.row("SELECT id FROM dossiers WHERE name = ?1", values![name])?
            .map(|r| r.int(0)),
    )
}

pub(super) fn existing(q: &mut impl Sql, path: &Path, name: &str) -> Result<i64, Error> {
    id_of(q, name)
        .map_err(|e| at(path, e))?
        .ok_or_else(|| missing(path, name))
}

fn missing(path: &Path, name: &str) -> Error {
    Error::Usage(format!(
        "{}: no dossier named «{name}» (`boussole dossier list` shows them)",
        path.display()
    ))
}

/// A failure of the database at `path`.
pub(super) fn at(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Usage(format!("{}: {e}", path.display()))
}

/// Appends to the trail of dossier `id`, now, by `actor`.
pub(super) fn log(
    q: &mut impl Sql,
    actor: &str,
    id: i64,
    action: &str,
    detail: &str,
) -> Result<(), db::Failed> {
    append(
        q,
        id,
        &Event {
            at: db::now(),
            who: actor.to_string(),
            action: action.into(),
            detail: detail.into(),
        },
    )
}

pub(super) fn append(q: &mut impl Sql, id: i64, e: &Event) -> Result<(), db::Failed> {
    q.exec(
        "INSERT INTO audit (dossier, at, who, action, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        values![id, &e.at, &e.who, &e.action, &e.detail],
    )
    .map(drop)
}

/// Stores `bytes` once per content and the row of `file`.
pub(super) fn insert_file(
    q: &mut impl Sql,
    id: i64,
    file: &File,
    bytes: &[u8],
) -> Result<(), db::Failed> {
    q.exec(
        "INSERT INTO blobs (sha256, size, bytes) VALUES (?1, ?2, ?3)
         ON CONFLICT (sha256) DO NOTHING",
        values![&file.sha256, file.size, bytes],
    )?;
    q.exec(
        "INSERT INTO files (dossier, role, version, name, sha256, size, received)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        values![
            id,
            file.role.code(),
            file.version,
            &file.name,
            &file.sha256,
            file.size,
            &file.received
        ],
    )
    .map(drop)
}

/// The address of a PostgreSQL server without its password, as errors
/// and the trail may show it.
pub fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((user, host)) => {
            let user = user.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}@{host}")
        }
        None => url.to_string(),
    }
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
