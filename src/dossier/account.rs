//! The people of a shared server: accounts, their passwords, their duties
//! per dossier, their sessions.
//!
//! A password is kept as its argon2id hash only (the algorithm's default
//! cost: 19 MiB, 2 passes), compared in [`verify`] outside the database's
//! lock. After [`MAX_FAILURES`] failed logins in a row an account is
//! locked for [`LOCKOUT_MINUTES`] minutes (`boussole user unlock` lifts
//! it). A session is a random key in the browser's cookie; the database
//! keeps only its SHA-256, with the token its forms carry, for
//! [`SESSION_HOURS`] hours.

use std::path::Path;
use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use serde::Serialize;

use super::db::values;
use super::db::{self, Sql};
use super::duty::Duty;
use super::store::{at, existing, log};
use super::{MAX_NAME, Store, sha256};
use crate::Error;

/// Shortest password, in characters.
pub const MIN_PASSWORD: usize = 12;
/// Longest password, in bytes: hashing costs the same whatever its length,
/// but a form's field is bounded anyway.
pub const MAX_PASSWORD: usize = 1024;
/// Failed logins in a row that lock an account.
pub const MAX_FAILURES: u32 = 5;
/// How long a lockout lasts.
pub const LOCKOUT_MINUTES: u32 = 15;
/// How long a session lasts after its login.
pub const SESSION_HOURS: u32 = 10;

/// An account, as `boussole user list` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    /// Its row.
    #[serde(skip)]
    pub id: i64,
    /// The login (or the name the trusted proxy gives).
    pub name: String,
    /// The person's name, for the trail and the pages.
    pub full_name: String,
    /// Whether it logs in with a password (else through the proxy only).
    pub password: bool,
    /// When it was created (UTC).
    pub created: String,
    /// Until when it is locked (UTC), if it is.
    pub locked_until: Option<String>,
    /// Its duties: dossier name, duty.
    pub duties: Vec<(String, Duty)>,
}

/// What a login attempt needs: the account's row, its hash, its lockout.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// The account's row.
    pub id: i64,
    /// The argon2id hash, if the account has a password.
    pub hash: Option<String>,
    /// Whether the account is locked now.
    pub locked: bool,
}

/// A session opened by a login.
#[derive(Debug, Clone)]
pub struct Session {
    /// The cookie's value (kept nowhere else).
    pub key: String,
    /// The token of the session's forms.
    pub token: String,
}

/// The person behind a session or a proxy's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// The account's row.
    pub id: i64,
    /// The login.
    pub name: String,
    /// The person's name.
    pub full_name: String,
}

/// Refuses an account name that is empty, too long, or holds anything but
/// letters, digits, `-`, `_`, `.` and `@` (a login or an e-mail address, as
/// a single sign-on proxy gives it).
pub fn check_account_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.chars().count() <= MAX_NAME
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '@'));
    if ok {
        return Ok(());
    }
    Err(format!(
        "«{name}» is no account name: use 1 to {MAX_NAME} letters, digits, '-', '_', '.' or '@', \
         e.g. marie.durand"
    ))
}

/// Refuses a password too short or too long.
pub fn check_password(password: &str) -> Result<(), Error> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(Error::Usage(format!(
            "the password is too short: use at least {MIN_PASSWORD} characters (a sentence is easy \
             to remember)"
        )));
    }
    if password.len() > MAX_PASSWORD {
        return Err(Error::Usage(format!(
            "the password is over {MAX_PASSWORD} bytes"
        )));
    }
    Ok(())
}

/// The argon2id hash of `password`, after checking its length.
pub fn hash(password: &str) -> Result<String, Error> {
    check_password(password)?;
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| Error::Usage(format!("the password cannot be hashed: {e}")))
}

/// Whether `password` is the one whose hash is `phc`. Without a hash (an
/// unknown account, an account without password) the same work is done
/// against a hash nobody's password matches, so that the answer takes as
/// long either way.
pub fn verify(password: &str, phc: Option<&str>) -> bool {
    // The hash of a random password, drawn once and thrown away.
    static NOBODY: OnceLock<Option<String>> = OnceLock::new();
    let nobody = NOBODY.get_or_init(|| {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).ok()?;
        let h = Argon2::default().hash_password(&bytes).ok()?;
        Some(h.to_string())
    });
    let Some(Ok(parsed)) = phc.or(nobody.as_deref()).map(PasswordHash::new) else {
        return false;
    };
    let matches = Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok();
    matches && phc.is_some()
}

impl Store {
    /// Creates the account `name` for `full_name`, with the hash of its
    /// password ([`hash`]), or none for an account the proxy names.
    pub fn add_account(
        &mut self,
        name: &str,
        full_name: &str,
        hash: Option<&str>,
    ) -> Result<(), Error> {
        check_account_name(name).map_err(Error::Usage)?;
        if full_name.chars().count() > MAX_NAME {
            return Err(Error::Usage(format!(
                "the person's name is over {MAX_NAME} characters"
            )));
        }
        let path = self.path.clone();
        let mut tx = self.begin()?;
        if account_id(&mut tx, name)
            .map_err(|e| at(&path, e))?
            .is_some()
        {
            return Err(at(
                &path,
                format!("an account named «{name}» already exists"),
            ));
        }
        tx.exec(
            "INSERT INTO accounts (name, full_name, hash, created) VALUES (?1, ?2, ?3, ?4)",
            values![name, full_name, hash, db::now()],
        )
        .map_err(|e| at(&path, e))?;
        tx.commit().map_err(|e| at(&path, e))
    }

    /// Replaces the password of `name` by the one hashed in `hash` and
    /// lifts its lockout; its sessions are closed.
    pub fn set_password(&mut self, name: &str, hash: &str) -> Result<(), Error> {
        let path = self.path.clone();
        let mut tx = self.begin()?;
        let id = account_id(&mut tx, name).map_err(|e| at(&path, e))?;
        let id = id.ok_or_else(|| no_account(&path, name))?;
        tx.exec(
            "UPDATE accounts SET hash = ?1, failures = 0, locked_until = NULL WHERE id = ?2",
            values![hash, id],
        )
        .map_err(|e| at(&path, e))?;
        tx.exec("DELETE FROM sessions WHERE account = ?1", values![id])
            .map_err(|e| at(&path, e))?;
        tx.commit().map_err(|e| at(&path, e))
    }

    /// Lifts the lockout of `name`.
    pub fn unlock(&mut self, name: &str) -> Result<(), Error> {
        let changed = self.read(|c| {
            c.exec(
                "UPDATE accounts SET failures = 0, locked_until = NULL WHERE name = ?1",
                values![name],
            )
        })?;
        if changed == 0 {
            return Err(no_account(&self.path, name));
        }
        Ok(())
    }

    /// Every account, by name, with its duties.
    pub fn accounts(&self) -> Result<Vec<Account>, Error> {
        let rows = self.read(|c| {
            c.rows(
                "SELECT id, name, full_name, CASE WHEN hash IS NULL THEN 0 ELSE 1 END, created,
                        CASE WHEN locked_until > ?1 THEN locked_until END
                 FROM accounts ORDER BY name",
                values![db::now()],
            )
        })?;
        let mut all = Vec::new();
        for r in rows {
            let id = r.int(0);
            let duties = self
                .duties_of(id)?
                .into_iter()
                .flat_map(|(d, duties)| duties.into_iter().map(move |x| (d.clone(), x)))
                .collect();
            all.push(Account {
                id,
                name: r.text(1),
                full_name: r.text(2),
                password: r.int(3) == 1,
                created: r.text(4),
                locked_until: r.opt_text(5),
                duties,
            });
        }
        Ok(all)
    }

    /// The person named `name`, if there is such an account.
    pub fn person(&self, name: &str) -> Result<Option<Person>, Error> {
        let row = self.read(|c| {
            c.row(
                "SELECT id, name, full_name FROM accounts WHERE name = ?1",
                values![name],
            )
        })?;
        Ok(row.map(|r| Person {
            id: r.int(0),
            name: r.text(1),
            full_name: r.text(2),
        }))
    }

    /// What a login as `name` needs to be checked; `None` for no such account.
    pub fn credentials(&self, name: &str) -> Result<Option<Credentials>, Error> {
        let row = self.read(|c| {
            c.row(
                "SELECT id, hash, CASE WHEN locked_until > ?2 THEN 1 ELSE 0 END
                 FROM accounts WHERE name = ?1",
                values![name, db::now()],
            )
        })?;
        Ok(row.map(|r| Credentials {
            id: r.int(0),
            hash: r.opt_text(1),
            locked: r.int(2) == 1,
        }))
    }

    /// Records a failed login of account `id`: the [`MAX_FAILURES`]th in
    /// a row locks it for [`LOCKOUT_MINUTES`] minutes. Whether it is now locked.
    pub fn failed_login(&mut self, id: i64) -> Result<bool, Error> {
        let path = self.path.clone();
        let mut tx = self.begin()?;
        let failures = tx
            .row(
                "UPDATE accounts SET failures = failures + 1 WHERE id = ?1 RETURNING failures",
                values![id],
            )
            .map_err(|e| at(&path, e))?
            .map_or(0, |r| r.int(0));
        let locked = failures >= i64::from(MAX_FAILURES);
        if locked {
            tx.exec(
                "UPDATE accounts SET failures = 0, locked_until = ?2 WHERE id = ?1",
                values![id, db::in_minutes(u64::from(LOCKOUT_MINUTES))],
            )
            .map_err(|e| at(&path, e))?;
        }
        tx.commit().map_err(|e| at(&path, e))?;
        Ok(locked)
    }

    /// Opens a session for account `id` after a good password: its failures
    /// forgotten, its expired sessions closed.
    pub fn open_session(&mut self, id: i64) -> Result<Session, Error> {
        let path = self.path.clone();
        let session = Session {
            key: random_hex()?,
            token: random_hex()?,
        };
        let mut tx = self.begin()?;
        let when = db::now();
        let fail = |e: db::Failed| at(&path, e);
        tx.exec(
            "UPDATE accounts SET failures = 0 WHERE id = ?1",
            values![id],
        )
        .map_err(fail)?;
        tx.exec("DELETE FROM sessions WHERE expires <= ?1", values![&when])
            .map_err(fail)?;
        tx.exec(
            "INSERT INTO sessions (key_sha256, account, token, created, expires)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            values![
                sha256(session.key.as_bytes()),
                id,
                &session.token,
                &when,
                db::in_minutes(u64::from(SESSION_HOURS) * 60)
            ],
        )
        .map_err(fail)?;
        tx.commit().map_err(fail)?;
        Ok(session)
    }

    /// The person and form token of the session whose cookie holds `key`,
    /// while it lasts.
    pub fn session(&self, key: &str) -> Result<Option<(Person, String)>, Error> {
        let row = self.read(|c| {
            c.row(
                "SELECT a.id, a.name, a.full_name, s.token
                 FROM sessions s JOIN accounts a ON a.id = s.account
                 WHERE s.key_sha256 = ?1 AND s.expires > ?2",
                values![sha256(key.as_bytes()), db::now()],
            )
        })?;
        Ok(row.map(|r| {
            let person = Person {
                id: r.int(0),
                name: r.text(1),
                full_name: r.text(2),
            };
            (person, r.text(3))
        }))
    }

    /// Closes the session whose cookie holds `key`.
    pub fn close_session(&mut self, key: &str) -> Result<(), Error> {
        self.read(|c| {
            c.exec(
                "DELETE FROM sessions WHERE key_sha256 = ?1",
                values![sha256(key.as_bytes())],
            )
        })
        .map(drop)
    }

    /// Grants `duty` in the dossier `dossier` to the account `name`,
    /// recorded in the dossier's trail; nothing when it is held already.
    pub fn grant(&mut self, dossier: &str, name: &str, duty: Duty) -> Result<(), Error> {
        self.change_duty(dossier, name, duty, true)
    }

    /// Takes `duty` in the dossier `dossier` from the account `name`,
    /// recorded in the dossier's trail; nothing when it is not held.
    pub fn revoke(&mut self, dossier: &str, name: &str, duty: Duty) -> Result<(), Error> {
        self.change_duty(dossier, name, duty, false)
    }

    fn change_duty(
        &mut self,
        dossier: &str,
        name: &str,
        duty: Duty,
        on: bool,
    ) -> Result<(), Error> {
        let path = self.path.clone();
        let actor = self.actor.clone();
        let mut tx = self.begin()?;
        let id = existing(&mut tx, &path, dossier)?;
        change_duty(&mut tx, &path, &actor, id, name, duty, on)?;
        tx.commit().map_err(|e| at(&path, e))
    }

    /// The duties of account `id` in the dossier `dossier` (none when it
    /// holds none, or there is no such dossier).
    pub fn duties(&self, id: i64, dossier: &str) -> Result<Vec<Duty>, Error> {
        let rows = self.read(|c| {
            c.rows(
                "SELECT u.duty FROM duties u JOIN dossiers d ON d.id = u.dossier
                 WHERE u.account = ?1 AND d.name = ?2",
                values![id, dossier],
            )
        })?;
        let mut duties: Vec<Duty> = rows
            .iter()
            .filter_map(|r| Duty::from_code(&r.text(0)))
            .collect();
        duties.sort();
        Ok(duties)
    }

    /// Every dossier where account `id` holds a duty, with those duties.
    pub fn duties_of(&self, id: i64) -> Result<Vec<(String, Vec<Duty>)>, Error> {
        let rows = self.read(|c| {
            c.rows(
                "SELECT d.name, u.duty FROM duties u JOIN dossiers d ON d.id = u.dossier
                 WHERE u.account = ?1 ORDER BY d.name",
                values![id],
            )
        })?;
        let mut out: Vec<(String, Vec<Duty>)> = Vec::new();
        for r in rows {
            let (dossier, code) = (r.text(0), r.text(1));
            let Some(duty) = Duty::from_code(&code) else {
                continue;
            };
            match out.last_mut() {
                Some((d, duties)) if *d == dossier => duties.push(duty),
                _ => out.push((dossier, vec![duty])),
            }
        }
        for (_, duties) in &mut out {
            duties.sort();
        }
        Ok(out)
    }
}

/// Grants (`on`) or takes back `duty` in dossier `id` to or from the
/// account `name`, within the transaction `q`, recorded in the trail as
/// done by `actor` when it changed anything.
pub(super) fn change_duty(
    q: &mut impl Sql,
    path: &Path,
    actor: &str,
    id: i64,
    name: &str,
    duty: Duty,
    on: bool,
) -> Result<(), Error> {
    let account = account_id(q, name)
        .map_err(|e| at(path, e))?
        .ok_or_else(|| no_account(path, name))?;
    let sql = if on {
        "INSERT INTO duties (dossier, account, duty) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING"
    } else {
        "DELETE FROM duties WHERE dossier = ?1 AND account = ?2 AND duty = ?3"
    };
    let changed = q
        .exec(sql, values![id, account, duty.code()])
        .map_err(|e| at(path, e))?;
    if changed > 0 {
        let action = if on { "granted" } else { "revoked" };
        log(q, actor, id, action, &format!("{name}: {}", duty.code())).map_err(|e| at(path, e))?;
    }
    Ok(())
}

fn account_id(q: &mut impl Sql, name: &str) -> Result<Option<i64>, db::Failed> {
    Ok(
        q.row("SELECT id FROM accounts WHERE name = ?1", values![name])?
            .map(|r| r.int(0)),
    )
}

fn no_account(path: &Path, name: &str) -> Error {
    at(
        path,
        format!("no account named «{name}» (`boussole user list` shows them)"),
    )
}

/// 128 random bits, in hexadecimal.
fn random_hex() -> Result<String, Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::Usage(format!("no random source for a session: {e}")))?;
    Ok(hex::encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        (dir, store)
    }

    #[test]
    fn a_password_is_kept_as_its_argon2id_hash_and_checked_against_it() {
        let h = hash("une phrase de passe assez longue").unwrap();
        assert!(h.starts_with("$argon2id$v=19$"), "{h}");
        assert!(!h.contains("phrase"));
        assert!(verify("une phrase de passe assez longue", Some(&h)));
        assert!(!verify("une phrase de passe assez longuE", Some(&h)));
        assert!(!verify("une phrase de passe assez longue", None));
        assert!(!verify("x", Some("not a hash")));
        let short = hash("court").unwrap_err().to_string();
        assert!(short.contains("at least 12 characters"), "{short}");
    }

    #[test]
    fn five_failures_in_a_row_lock_the_account_and_a_login_forgets_them() {
        let (_dir, mut store) = store();
        store
            .add_account("marie", "Marie Durand", Some("x"))
            .unwrap();
        let id = store.credentials("marie").unwrap().unwrap().id;
        for _ in 0..MAX_FAILURES - 2 {
            assert!(!store.failed_login(id).unwrap());
        }
        store.open_session(id).unwrap();
        for _ in 0..MAX_FAILURES - 1 {
            assert!(!store.failed_login(id).unwrap(), "the count began again");
        }
        assert!(!store.credentials("marie").unwrap().unwrap().locked);
        assert!(store.failed_login(id).unwrap());
        assert!(store.credentials("marie").unwrap().unwrap().locked);
        let listed = store.accounts().unwrap();
        assert!(listed[0].locked_until.is_some());
        store.unlock("marie").unwrap();
        assert!(!store.credentials("marie").unwrap().unwrap().locked);
        assert!(store.credentials("paul").unwrap().is_none());
    }

    #[test]
    fn a_session_is_found_by_its_key_only_and_closes() {
        let (_dir, mut store) = store();
        store.add_account("marie", "Marie Durand", None).unwrap();
        let id = store.person("marie").unwrap().unwrap().id;
        let s = store.open_session(id).unwrap();
        let (who, token) = store.session(&s.key).unwrap().unwrap();
        assert_eq!((who.name.as_str(), token), ("marie", s.token.clone()));
        let kept = store
            .conn
            .borrow_mut()
            .row("SELECT key_sha256 FROM sessions", &[])
            .unwrap()
            .unwrap()
            .text(0);
        assert_ne!(kept, s.key, "the key itself is not kept");
        assert!(store.session(&s.token).unwrap().is_none());
        store.close_session(&s.key).unwrap();
        assert!(store.session(&s.key).unwrap().is_none());
    }

    #[test]
    fn duties_are_granted_per_dossier_and_recorded_in_its_trail() {
        let (_dir, mut store) = store();
        store.create("ia-accueil", "").unwrap();
        store.create("ia-courrier", "").unwrap();
        store.add_account("marie", "Marie Durand", None).unwrap();
        let id = store.person("marie").unwrap().unwrap().id;
        store.grant("ia-accueil", "marie", Duty::Juriste).unwrap();
        store.grant("ia-accueil", "marie", Duty::Juriste).unwrap();
        store.grant("ia-accueil", "marie", Duty::Acheteur).unwrap();
        assert_eq!(
            store.duties(id, "ia-accueil").unwrap(),
            [Duty::Acheteur, Duty::Juriste]
        );
        assert!(store.duties(id, "ia-courrier").unwrap().is_empty());
        store.revoke("ia-accueil", "marie", Duty::Acheteur).unwrap();
        assert_eq!(
            store.duties_of(id).unwrap(),
            [("ia-accueil".to_string(), vec![Duty::Juriste])]
        );
        let trail = store.dossier("ia-accueil").unwrap().audit;
        let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["created", "granted", "granted", "revoked"]);
        assert_eq!(trail[1].detail, "marie: juriste");
        let err = store
            .grant("ia-accueil", "paul", Duty::Lecteur)
            .unwrap_err();
        assert!(err.to_string().contains("no account named «paul»"), "{err}");
        let err = store
            .grant("nulle-part", "marie", Duty::Lecteur)
            .unwrap_err();
        assert!(err.to_string().contains("no dossier named"), "{err}");
    }
}
