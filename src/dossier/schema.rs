//! The database's schema, as migrations versioned in the code.
//!
//! Each migration is applied once, in a transaction of its own, when a
//! store is opened; the `migrations` table says which were applied and
//! when. A database written by a later boussole (a migration this one does
//! not know) is refused rather than read half understood.

use super::db::values;
use super::db::{self, Conn, Sql};

/// The migrations, in order: `(version, SQL)`, in SQLite's words (see
/// [`POSTGRES`] for the same on PostgreSQL). Never edit one that was
/// released: add the next.
pub const MIGRATIONS: &[(u32, &str)] = &[
    (
        1,
        "
CREATE TABLE dossiers (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE,
    title   TEXT NOT NULL,
    created TEXT NOT NULL
);
-- Every file's bytes, once per content.
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    size   INTEGER NOT NULL,
    bytes  BLOB NOT NULL
);
-- A file of a dossier: never replaced, a new version is a new row.
CREATE TABLE files (
    id       INTEGER PRIMARY KEY,
    dossier  INTEGER NOT NULL REFERENCES dossiers(id),
    role     TEXT NOT NULL,
    version  INTEGER NOT NULL CHECK (version >= 1),
    name     TEXT NOT NULL,
    sha256   TEXT NOT NULL REFERENCES blobs(sha256),
    size     INTEGER NOT NULL,
    received TEXT NOT NULL,
    UNIQUE (dossier, role, version, name)
);
-- The audit trail: appended to, never changed.
CREATE TABLE audit (
    id      INTEGER PRIMARY KEY,
    dossier INTEGER NOT NULL REFERENCES dossiers(id),
    at      TEXT NOT NULL,
    who     TEXT NOT NULL,
    action  TEXT NOT NULL,
    detail  TEXT NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: no entry may be changed'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: no entry may be deleted'); END;
",
    ),
    (
        2,
        "
-- Legal staff's decisions on the findings of a dossier's offers, appended:
-- the latest on a finding is the one in force, the earlier ones stay.
CREATE TABLE decisions (
    id       INTEGER PRIMARY KEY,
    dossier  INTEGER NOT NULL REFERENCES dossiers(id),
    at       TEXT NOT NULL,
    who      TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    offer    TEXT NOT NULL,
    sha256   TEXT NOT NULL,
    question TEXT NOT NULL,
    code     TEXT NOT NULL,
    decision TEXT NOT NULL
        CHECK (decision IN ('lifted', 'confirmed', 'clarification_requested', 'withdrawn')),
    note     TEXT NOT NULL
);
CREATE INDEX decisions_of_dossier ON decisions (dossier, id);
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are appended: a new decision is a new row'); END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are appended: none may be deleted'); END;
",
    ),
    (
        3,
        "
-- The people of a shared server (`serve --listen`). `hash` is the
-- password's argon2id hash, NULL for an account whose identity comes from
-- a trusted proxy; `failures` counts the failed logins in a row, and
-- `locked_until` holds the account's lockout.
CREATE TABLE accounts (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    full_name    TEXT NOT NULL,
    hash         TEXT,
    created      TEXT NOT NULL,
    failures     INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT
);
-- What each person does in a dossier: one row per role held.
CREATE TABLE duties (
    dossier INTEGER NOT NULL REFERENCES dossiers(id),
    account INTEGER NOT NULL REFERENCES accounts(id),
    duty    TEXT NOT NULL
        CHECK (duty IN ('acheteur', 'commission', 'juriste', 'groupe-projet', 'lecteur')),
    PRIMARY KEY (dossier, account, duty)
);
-- Sessions opened by a login: the SHA-256 of the cookie's value (the
-- value itself is never kept), the token of the session's forms.
CREATE TABLE sessions (
    key_sha256 TEXT PRIMARY KEY,
    account    INTEGER NOT NULL REFERENCES accounts(id),
    token      TEXT NOT NULL,
    created    TEXT NOT NULL,
    expires    TEXT NOT NULL
);
",
    ),
    (
        4,
        "
-- The evaluation committee's marks on the elements of a dossier's offers
-- it marks (0 to 4, NULL withdrawing the mark before), appended: the
-- latest on an element is the one in force, the earlier ones stay.
CREATE TABLE marks (
    id       INTEGER PRIMARY KEY,
    dossier  INTEGER NOT NULL REFERENCES dossiers(id),
    at       TEXT NOT NULL,
    who      TEXT NOT NULL,
    offer    TEXT NOT NULL,
    sha256   TEXT NOT NULL,
    question TEXT NOT NULL,
    mark     INTEGER CHECK (mark BETWEEN 0 AND 4),
    reasons  TEXT NOT NULL
);
CREATE INDEX marks_of_dossier ON marks (dossier, id);
CREATE TRIGGER marks_no_update BEFORE UPDATE ON marks
BEGIN SELECT RAISE(ABORT, 'marks are appended: a new mark is a new row'); END;
CREATE TRIGGER marks_no_delete BEFORE DELETE ON marks
BEGIN SELECT RAISE(ABORT, 'marks are appended: none may be deleted'); END;
",
    ),
];

/// The same migrations in PostgreSQL's words: the same tables, columns and
/// refusals; integers on 64 bits, bytes as `BYTEA`, append-only tables
/// guarded by one trigger function.
pub const POSTGRES: &[(u32, &str)] = &[
    (
        1,
        "
CREATE TABLE dossiers (
    id      BIGSERIAL PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE,
    title   TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    size   BIGINT NOT NULL,
    bytes  BYTEA NOT NULL
);
CREATE TABLE files (
    id       BIGSERIAL PRIMARY KEY,
    dossier  BIGINT NOT NULL REFERENCES dossiers(id),
    role     TEXT NOT NULL,
    version  BIGINT NOT NULL CHECK (version >= 1),
    name     TEXT NOT NULL,
    sha256   TEXT NOT NULL REFERENCES blobs(sha256),
    size     BIGINT NOT NULL,
    received TEXT NOT NULL,
    UNIQUE (dossier, role, version, name)
);
CREATE TABLE audit (
    id      BIGSERIAL PRIMARY KEY,
    dossier BIGINT NOT NULL REFERENCES dossiers(id),
    at      TEXT NOT NULL,
    who     TEXT NOT NULL,
    action  TEXT NOT NULL,
    detail  TEXT NOT NULL
);
CREATE FUNCTION boussole_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END $$;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit FOR EACH ROW
EXECUTE FUNCTION boussole_refuse('the audit trail is append-only: no entry may be changed');
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit FOR EACH ROW
EXECUTE FUNCTION boussole_refuse('the audit trail is append-only: no entry may be deleted');
",
    ),
    (
        2,
        "
CREATE TABLE decisions (
    id       BIGSERIAL PRIMARY KEY,
    dossier  BIGINT NOT NULL REFERENCES dossiers(id),
    at       TEXT NOT NULL,
    who      TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    offer    TEXT NOT NULL,
    sha256   TEXT NOT NULL,
    question TEXT NOT NULL,
    code     TEXT NOT NULL,
    decision TEXT NOT NULL
        CHECK (decision IN ('lifted', 'confirmed', 'clarification_requested', 'withdrawn')),
    note     TEXT NOT NULL
);
CREATE INDEX decisions_of_dossier ON decisions (dossier, id);
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions FOR EACH ROW
EXECUTE FUNCTION boussole_refuse('decisions are appended: a new decision is a new row');
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions FOR EACH ROW
EXECUTE FUNCTION boussole_refuse('decisions are appended: none may be deleted');
",
    ),
    (
        3,
        "
CREATE TABLE accounts (
    id           BIGSERIAL PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    full_name    TEXT NOT NULL,
    hash         TEXT,
    created      TEXT NOT NULL,
    failures     BIGINT NOT NULL DEFAULT 0,
    locked_until TEXT
);
CREATE TABLE duties (
    dossier BIGINT NOT NULL REFERENCES dossiers(id),
    account BIGINT NOT NULL REFERENCES accounts(id),
    duty    TEXT NOT NULL
        CHECK (duty IN ('acheteur', 'commission', 'juriste', 'groupe-projet', 'lecteur')),
    PRIMARY KEY (dossier, account, duty)
);
CREATE TABLE sessions (
    key_sha256 TEXT PRIMARY KEY,
    account    BIGINT NOT NULL REFERENCES accounts(id),
    token      TEXT NOT NULL,
    created    TEXT NOT NULL,
    expires    TEXT NOT NULL
);
",
    ),
    (
        4,
        "
CREATE TABLE marks (
    id       BIGSERIAL PRIMARY KEY,
    dossier  BIGINT NOT NULL REFERENCES dossiers(id),
    at       TEXT NOT NULL,
    who      TEXT NOT NULL,
    offer    TEXT NOT NULL,
    sha256   TEXT NOT NULL,
    question TEXT NOT NULL,
    mark     BIGINT CHECK (mark BETWEEN 0 AND 4),
    reasons  TEXT NOT NULL
);
CREATE INDEX marks_of_dossier ON marks (dossier, id);
CREATE TRIGGER marks_no_update BEFORE UPDATE ON marks FOR EACH ROW
EXECUTE FUNCTION boussole_refuse('marks are appended: a new mark is a new row');
CREATE TRIGGER marks_no_delete BEFORE DELETE ON marks FOR EACH ROW
EXECUTE FUNCTION boussole_refuse('marks are appended: none may be deleted');
",
    ),
];

/// Applies the migrations `conn` lacks, each in its own transaction, and
/// returns their versions (none when the schema is current). `Err` holds
/// the database's message, or says the database is newer than this program.
pub fn migrate(conn: &mut Conn) -> Result<Vec<u32>, String> {
    conn.batch(
        "CREATE TABLE IF NOT EXISTS migrations (
            version BIGINT PRIMARY KEY,
            applied TEXT NOT NULL
        )",
    )?;
    let newest = conn
        .row(
            "SELECT CAST(COALESCE(MAX(version), 0) AS BIGINT) FROM migrations",
            &[],
        )?
        .map_or(0, |r| r.small(0));
    let all = if conn.is_pg() { POSTGRES } else { MIGRATIONS };
    let known = all.last().map_or(0, |(v, _)| *v);
    if newest > known {
        return Err(format!(
            "the database has schema version {newest}, written by a later boussole \
             (this one knows up to {known}): not opened"
        ));
    }
    let mut applied = Vec::new();
    for (version, sql) in all.iter().filter(|(v, _)| *v > newest) {
        let mut tx = conn.begin()?;
        tx.batch(sql)
            .map_err(|e| format!("migration {version}: {e}"))?;
        tx.exec(
            "INSERT INTO migrations (version, applied) VALUES (?1, ?2)",
            values![*version, db::now()],
        )?;
        tx.commit()?;
        applied.push(*version);
    }
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_databases_have_the_same_migrations() {
        let versions = |all: &[(u32, &str)]| all.iter().map(|(v, _)| *v).collect::<Vec<_>>();
        assert_eq!(versions(MIGRATIONS), versions(POSTGRES));
        for ((_, lite), (_, pg)) in MIGRATIONS.iter().zip(POSTGRES) {
            let tables = |sql: &str| {
                sql.split("CREATE TABLE ")
                    .skip(1)
                    .map(|t| t.split_whitespace().next().unwrap_or_default().to_string())
                    .collect::<Vec<_>>()
            };
            assert_eq!(tables(lite), tables(pg));
        }
    }

    #[test]
    fn migrations_apply_once_and_a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.sqlite");
        let lite = |p: &std::path::Path| Conn::Lite(rusqlite::Connection::open(p).unwrap());
        let mut conn = lite(&path);
        let all: Vec<u32> = MIGRATIONS.iter().map(|(v, _)| *v).collect();
        assert_eq!(migrate(&mut conn).unwrap(), all);
        drop(conn);
        // opened again: nothing to apply, each migration recorded once
        let mut conn = lite(&path);
        assert_eq!(migrate(&mut conn).unwrap(), Vec::<u32>::new());
        let rows = conn
            .row("SELECT COUNT(*) FROM migrations", &[])
            .unwrap()
            .unwrap()
            .count(0);
        assert_eq!(rows as usize, MIGRATIONS.len());
        // a database from a later program
        conn.exec(
            "INSERT INTO migrations (version, applied) VALUES (999, 'later')",
            &[],
        )
        .unwrap();
        let err = migrate(&mut conn).unwrap_err();
        assert!(err.contains("schema version 999"), "{err}");
    }

    #[test]
    fn a_migration_that_fails_leaves_nothing_behind() {
        let mut conn = Conn::Lite(rusqlite::Connection::open_in_memory().unwrap());
        // a table in the way of the first migration's last table
        conn.batch("CREATE TABLE audit (x)").unwrap();
        let err = migrate(&mut conn).unwrap_err();
        assert!(err.starts_with("migration 1:"), "{err}");
        let count = |conn: &mut Conn, sql: &str| conn.row(sql, &[]).unwrap().unwrap().count(0);
        assert_eq!(count(&mut conn, "SELECT COUNT(*) FROM migrations"), 0);
        let blobs = count(
            &mut conn,
            "SELECT COUNT(*) FROM sqlite_master WHERE name = 'blobs'",
        );
        assert_eq!(blobs, 0, "the migration's first tables were rolled back");
    }
}
