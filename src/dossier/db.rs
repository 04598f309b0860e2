//! The database under a [`super::Store`]: an embedded SQLite file, or a
//! PostgreSQL server a team's IT department runs (`--database
//! postgres://…`). Both are spoken to through [`Sql`]: statements written
//! once, with `?1`, `?2`… placeholders (rewritten `$1`, `$2`… for
//! PostgreSQL), in the SQL both understand — `RETURNING`, `ON CONFLICT DO
//! NOTHING`, `CAST(… AS BIGINT)`, times computed here rather than by the
//! server's clock functions —, values passed and read as [`Value`]s.

use std::time::{SystemTime, UNIX_EPOCH};

/// A value passed to a statement or read from a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A whole number (every integer column is 64 bits).
    Int(i64),
    /// Text.
    Text(String),
    /// Bytes.
    Bytes(Vec<u8>),
    /// No text.
    NoText,
    /// No number.
    NoInt,
}

impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(v.to_string())
    }
}

impl From<&String> for Value {
    fn from(v: &String) -> Value {
        Value::Text(v.clone())
    }
}

impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(v)
    }
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Int(v)
    }
}

impl From<u32> for Value {
    fn from(v: u32) -> Value {
        Value::Int(i64::from(v))
    }
}

impl From<u64> for Value {
    fn from(v: u64) -> Value {
        Value::Int(i64::try_from(v).unwrap_or(i64::MAX))
    }
}

impl From<&[u8]> for Value {
    fn from(v: &[u8]) -> Value {
        Value::Bytes(v.to_vec())
    }
}

impl From<Option<&str>> for Value {
    fn from(v: Option<&str>) -> Value {
        v.map_or(Value::NoText, Value::from)
    }
}

impl From<Option<u8>> for Value {
    fn from(v: Option<u8>) -> Value {
        v.map_or(Value::NoInt, |v| Value::Int(i64::from(v)))
    }
}

/// The values of a statement, each converted.
macro_rules! values {
    ($($v:expr),* $(,)?) => { &[$(crate::dossier::db::Value::from($v)),*] };
}
pub(crate) use values;

/// A row read.
#[derive(Debug, Clone)]
pub struct Row(Vec<Value>);

impl Row {
    /// Column `i` as text (empty when it is not text).
    pub fn text(&self, i: usize) -> String {
        self.opt_text(i).unwrap_or_default()
    }

    /// Column `i` as text, `None` when null.
    pub fn opt_text(&self, i: usize) -> Option<String> {
        match self.0.get(i) {
            Some(Value::Text(t)) => Some(t.clone()),
            _ => None,
        }
    }

    /// Column `i` as a number (0 when it is not one).
    pub fn int(&self, i: usize) -> i64 {
        self.opt_int(i).unwrap_or_default()
    }

    /// Column `i` as a number, `None` when null.
    pub fn opt_int(&self, i: usize) -> Option<i64> {
        match self.0.get(i) {
            Some(Value::Int(n)) => Some(*n),
            _ => None,
        }
    }

    /// Column `i` as a count or a size (never negative: written by boussole).
    pub fn count(&self, i: usize) -> u64 {
        self.int(i).max(0) as u64
    }

    /// Column `i` as a version or a number of boussole's (within `u32`).
    pub fn small(&self, i: usize) -> u32 {
        u32::try_from(self.int(i).max(0)).unwrap_or(u32::MAX)
    }

    /// Column `i` as bytes.
    pub fn bytes(&self, i: usize) -> Vec<u8> {
        match self.0.get(i) {
            Some(Value::Bytes(b)) => b.clone(),
            Some(Value::Text(t)) => t.clone().into_bytes(),
            _ => Vec::new(),
        }
    }
}

/// What a statement run says when it fails: the database's own words.
pub type Failed = String;

/// Statements, on a connection or within a transaction.
pub trait Sql {
    /// Runs `sql` with `args`; how many rows it changed.
    fn exec(&mut self, sql: &str, args: &[Value]) -> Result<u64, Failed>;
    /// Runs `sql` with `args`; the rows it gives.
    fn rows(&mut self, sql: &str, args: &[Value]) -> Result<Vec<Row>, Failed>;
    /// Runs several statements without values (a migration).
    fn batch(&mut self, sql: &str) -> Result<(), Failed>;

    /// The first row `sql` gives, if any.
    fn row(&mut self, sql: &str, args: &[Value]) -> Result<Option<Row>, Failed> {
        Ok(self.rows(sql, args)?.into_iter().next())
    }
}

/// A connection to either database.
pub enum Conn {
    /// An embedded SQLite file.
    Lite(rusqlite::Connection),
    /// A PostgreSQL server, spoken to from a thread of its own.
    Pg(Remote),
}

/// A transaction on either database: committed by [`Tx::commit`], rolled
/// back when dropped without it.
pub enum Tx<'a> {
    /// On SQLite.
    Lite(rusqlite::Transaction<'a>),
    /// On PostgreSQL: `BEGIN` sent, `COMMIT` or `ROLLBACK` to follow.
    Pg(PgTx<'a>),
}

/// A transaction on a PostgreSQL server, rolled back when dropped unless
/// committed.
pub struct PgTx<'a> {
    remote: &'a mut Remote,
    done: bool,
}

impl Drop for PgTx<'_> {
    fn drop(&mut self) {
        if !self.done {
            let _ = self.remote.batch("ROLLBACK");
        }
    }
}

/// A PostgreSQL client on a thread of its own: the client blocks on a
/// runtime of its own, which a thread already driving the server's tasks
/// may not do; every statement goes to that thread and its answer comes back.
pub struct Remote {
    jobs: std::sync::mpsc::Sender<Job>,
}

enum Job {
    Exec(
        String,
        Vec<Value>,
        std::sync::mpsc::Sender<Result<u64, Failed>>,
    ),
    Rows(
        String,
        Vec<Value>,
        std::sync::mpsc::Sender<Result<Vec<Row>, Failed>>,
    ),
    Batch(String, std::sync::mpsc::Sender<Result<(), Failed>>),
}

impl Remote {
    /// Connects to the server at `url` from a new thread.
    pub fn connect(url: &str) -> Result<Remote, Failed> {
        let (jobs, inbox) = std::sync::mpsc::channel::<Job>();
        let (ready, connected) = std::sync::mpsc::channel();
        let url = url.to_string();
        std::thread::Builder::new()
            .name("boussole-postgres".into())
            .spawn(move || {
                let mut client = match postgres::Client::connect(&url, postgres::NoTls) {
                    Ok(c) => {
                        let _ = ready.send(Ok(()));
                        c
                    }
                    Err(e) => {
                        let _ = ready.send(Err(pg_error(&e)));
                        return;
                    }
                };
                for job in inbox {
                    match job {
                        Job::Exec(sql, args, back) => {
                            let _ = back.send(pg_exec(&mut client, &sql, &args));
                        }
                        Job::Rows(sql, args, back) => {
                            let _ = back.send(pg_rows(&mut client, &sql, &args));
                        }
                        Job::Batch(sql, back) => {
                            let _ = back.send(client.batch_execute(&sql).map_err(|e| pg_error(&e)));
                        }
                    }
                }
            })
            .map_err(|e| e.to_string())?;
        connected
            .recv()
            .map_err(|_| "the connection's thread stopped".to_string())??;
        Ok(Remote { jobs })
    }

    fn ask<T>(
        &self,
        job: impl FnOnce(std::sync::mpsc::Sender<Result<T, Failed>>) -> Job,
    ) -> Result<T, Failed> {
        let (back, answer) = std::sync::mpsc::channel();
        self.jobs
            .send(job(back))
            .map_err(|_| "the connection to the server is closed".to_string())?;
        answer
            .recv()
            .map_err(|_| "the connection to the server is closed".to_string())?
    }

    fn exec(&self, sql: &str, args: &[Value]) -> Result<u64, Failed> {
        self.ask(|b| Job::Exec(sql.to_string(), args.to_vec(), b))
    }

    fn rows(&self, sql: &str, args: &[Value]) -> Result<Vec<Row>, Failed> {
        self.ask(|b| Job::Rows(sql.to_string(), args.to_vec(), b))
    }

    fn batch(&self, sql: &str) -> Result<(), Failed> {
        self.ask(|b| Job::Batch(sql.to_string(), b))
    }
}

impl Conn {
    /// A transaction, taking the write lock at once on SQLite (so that two
    /// writers never both read a version number and add the same one).
    pub fn begin(&mut self) -> Result<Tx<'_>, Failed> {
        match self {
            Conn::Lite(c) => c
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map(Tx::Lite)
                .map_err(|e| e.to_string()),
            Conn::Pg(c) => {
                c.batch("BEGIN")?;
                Ok(Tx::Pg(PgTx {
                    remote: c,
                    done: false,
                }))
            }
        }
    }

    /// Whether it is a PostgreSQL server.
    pub fn is_pg(&self) -> bool {
        matches!(self, Conn::Pg(_))
    }
}

impl Tx<'_> {
    /// Commits the transaction.
    pub fn commit(self) -> Result<(), Failed> {
        match self {
            Tx::Lite(t) => t.commit().map_err(|e| e.to_string()),
            Tx::Pg(mut t) => {
                t.done = true;
                t.remote.batch("COMMIT")
            }
        }
    }
}

impl Sql for Conn {
    fn exec(&mut self, sql: &str, args: &[Value]) -> Result<u64, Failed> {
        match self {
            Conn::Lite(c) => lite_exec(c, sql, args),
            Conn::Pg(c) => c.exec(sql, args),
        }
    }

    fn rows(&mut self, sql: &str, args: &[Value]) -> Result<Vec<Row>, Failed> {
        match self {
            Conn::Lite(c) => lite_rows(c, sql, args),
            Conn::Pg(c) => c.rows(sql, args),
        }
    }

    fn batch(&mut self, sql: &str) -> Result<(), Failed> {
        match self {
            Conn::Lite(c) => c.execute_batch(sql).map_err(|e| e.to_string()),
            Conn::Pg(c) => c.batch(sql),
        }
    }
}

impl Sql for Tx<'_> {
    fn exec(&mut self, sql: &str, args: &[Value]) -> Result<u64, Failed> {
        match self {
            Tx::Lite(t) => lite_exec(t, sql, args),
            Tx::Pg(t) => t.remote.exec(sql, args),
        }
    }

    fn rows(&mut self, sql: &str, args: &[Value]) -> Result<Vec<Row>, Failed> {
        match self {
            Tx::Lite(t) => lite_rows(t, sql, args),
            Tx::Pg(t) => t.remote.rows(sql, args),
        }
    }

    fn batch(&mut self, sql: &str) -> Result<(), Failed> {
        match self {
            Tx::Lite(t) => t.execute_batch(sql).map_err(|e| e.to_string()),
            Tx::Pg(t) => t.remote.batch(sql),
        }
    }
}

fn lite_args(args: &[Value]) -> Vec<rusqlite::types::Value> {
    use rusqlite::types::Value as L;
    args.iter()
        .map(|v| match v {
            Value::Int(n) => L::Integer(*n),
            Value::Text(t) => L::Text(t.clone()),
            Value::Bytes(b) => L::Blob(b.clone()),
            Value::NoText | Value::NoInt => L::Null,
        })
        .collect()
}

fn lite_exec(c: &rusqlite::Connection, sql: &str, args: &[Value]) -> Result<u64, Failed> {
    let args = lite_args(args);
    c.execute(sql, rusqlite::params_from_iter(args.iter()))
        .map(|n| n as u64)
        .map_err(|e| e.to_string())
}

fn lite_rows(c: &rusqlite::Connection, sql: &str, args: &[Value]) -> Result<Vec<Row>, Failed> {
    use rusqlite::types::ValueRef;
    let args = lite_args(args);
    let mut stmt = c.prepare(sql).map_err(|e| e.to_string())?;
    let width = stmt.column_count();
    let rows = stmt
        .query_map(rusqlite::params_from_iter(args.iter()), |r| {
            let mut out = Vec::with_capacity(width);
            for i in 0..width {
                out.push(match r.get_ref(i)? {
                    ValueRef::Integer(n) => Value::Int(n),
                    ValueRef::Real(x) => Value::Int(x as i64),
                    ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(b) => Value::Bytes(b.to_vec()),
                    ValueRef::Null => Value::NoText,
                });
            }
            Ok(Row(out))
        })
        .and_then(Iterator::collect);
    rows.map_err(|e| e.to_string())
}

/// `sql` with `?N` placeholders written `$N`.
fn dollars(sql: &str) -> String {
    sql.replace('?', "$")
}

fn pg_args(args: &[Value]) -> Vec<Box<dyn postgres::types::ToSql + Sync>> {
    args.iter()
        .map(|v| -> Box<dyn postgres::types::ToSql + Sync> {
            match v {
                Value::Int(n) => Box::new(*n),
                Value::Text(t) => Box::new(t.clone()),
                Value::Bytes(b) => Box::new(b.clone()),
                Value::NoText => Box::new(None::<String>),
                Value::NoInt => Box::new(None::<i64>),
            }
        })
        .collect()
}

fn pg_exec(c: &mut impl postgres::GenericClient, sql: &str, args: &[Value]) -> Result<u64, Failed> {
    let owned = pg_args(args);
    let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = owned.iter().map(|b| &**b).collect();
    c.execute(&dollars(sql), &refs).map_err(|e| pg_error(&e))
}

fn pg_rows(
    c: &mut impl postgres::GenericClient,
    sql: &str,
    args: &[Value],
) -> Result<Vec<Row>, Failed> {
    use postgres::types::Type;
    let owned = pg_args(args);
    let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = owned.iter().map(|b| &**b).collect();
    let rows = c.query(&dollars(sql), &refs).map_err(|e| pg_error(&e))?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let mut values = Vec::with_capacity(r.len());
        for (i, column) in r.columns().iter().enumerate() {
            let t = column.type_();
            let v = if *t == Type::INT8 {
                r.try_get::<_, Option<i64>>(i)
                    .ok()
                    .flatten()
                    .map(Value::Int)
            } else if *t == Type::INT4 {
                (r.try_get::<_, Option<i32>>(i).ok().flatten()).map(|n| Value::Int(i64::from(n)))
            } else if *t == Type::BYTEA {
                r.try_get::<_, Option<Vec<u8>>>(i)
                    .ok()
                    .flatten()
                    .map(Value::Bytes)
            } else {
                r.try_get::<_, Option<String>>(i)
                    .ok()
                    .flatten()
                    .map(Value::Text)
            };
            values.push(v.unwrap_or(Value::NoText));
        }
        out.push(Row(values));
    }
    Ok(out)
}

/// A PostgreSQL error in its server's words (its message, not only "db error").
fn pg_error(e: &postgres::Error) -> Failed {
    match e.as_db_error() {
        Some(db) => db.message().to_string(),
        None => e.to_string(),
    }
}

/// Now, in UTC: `2027-01-12T09:30:00Z`.
pub fn now() -> String {
    in_utc(SystemTime::now())
}

/// `minutes` from now, in UTC, as [`now`] writes it.
pub fn in_minutes(minutes: u64) -> String {
    in_utc(SystemTime::now() + std::time::Duration::from_secs(minutes * 60))
}

fn in_utc(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Howard Hinnant's days-to-civil, for the proleptic Gregorian calendar.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_in_utc_as_the_trail_keeps_them() {
        let t = UNIX_EPOCH + std::time::Duration::from_secs(1_795_000_000);
        assert_eq!(in_utc(t), "2026-11-18T11:06:40Z");
        assert_eq!(in_utc(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let leap = UNIX_EPOCH + std::time::Duration::from_secs(951_782_400);
        assert_eq!(in_utc(leap), "2000-02-29T00:00:00Z");
        assert!(in_minutes(15) > now());
    }

    #[test]
    fn placeholders_are_numbered_the_postgresql_way() {
        assert_eq!(
            dollars("SELECT id FROM t WHERE a = ?1 AND b = ?2"),
            "SELECT id FROM t WHERE a = $1 AND b = $2"
        );
    }
}
