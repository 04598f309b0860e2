//! The selection as issued: written beside the questionnaire, it is what
//! answers are checked against, even if the library or profile changes later.
//!
//! A lock states the [digest](content_digest) of its own content, and the
//! questionnaire issued with it records that digest in its metadata: a lock
//! edited after it was issued (one rule's severity changed by hand) is
//! refused when read, and a returned questionnaire issued under another lock
//! is flagged.

mod written;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{FORMAT_VERSION, Questionnaire, layout};
use crate::Error;
use crate::library::Audience;
use crate::profile::Profile;
use crate::selection::Selection;
use crate::text::Lang;

/// Version of the lock file's format: 2 since a lock states the digest of
/// its content. Locks of format 1 (no digest) are still read.
pub const LOCK_VERSION: u32 = 2;

/// The oldest lock format read.
const OLDEST_LOCK_VERSION: u32 = 1;

/// The name of the field stating the digest, left out of the content digested.
const DIGEST_FIELD: &str = "digest";

/// The selection as issued with one questionnaire.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Lock {
    /// Version of this file's format.
    pub lock_version: u32,
    /// SHA-256 of the lock's content, this field aside (see
    /// [`content_digest`]); absent from locks of format 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// Version of the questionnaire's format.
    pub questionnaire_format: u32,
    /// The tool that issued it.
    pub tool: String,
    /// Language of the questionnaire.
    pub lang: Lang,
    /// Who fills it in.
    pub audience: Audience,
    /// Library version.
    pub library_version: String,
    /// Library content hash.
    pub library_hash: String,
    /// Profile content hash.
    pub profile_hash: String,
    /// The profile as issued.
    pub profile: Profile,
    /// Each question asked, with the hash of its text as issued.
    pub questions: Vec<Issued>,
    /// The resolved selection, scoring plan included.
    pub selection: Selection,
}

/// One question as issued.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Issued {
    /// Question id.
    pub id: String,
    /// The text as issued, in the questionnaire's language.
    pub text: String,
    /// SHA-256 of that text (see [`layout::text_hash`]).
    pub text_hash: String,
}

impl Lock {
    /// The lock of a questionnaire.
    pub fn new(q: &Questionnaire<'_>) -> Lock {
        let sel = q.selection;
        let mut lock = Lock {
            lock_version: LOCK_VERSION,
            digest: None,
            questionnaire_format: FORMAT_VERSION,
            tool: format!("boussole {}", env!("CARGO_PKG_VERSION")),
            lang: q.lang,
            audience: q.audience,
            library_version: sel.library_version.clone(),
            library_hash: sel.library_hash.clone(),
            profile_hash: sel.profile_hash.clone(),
            profile: q.profile.clone(),
            questions: q
                .questions()
                .map(|x| {
                    let text = x.text.get(q.lang).to_string();
                    Issued {
                        id: x.id.clone(),
                        text_hash: layout::text_hash(&text),
                        text,
                    }
                })
                .collect(),
            selection: sel.clone(),
        };
        lock.digest = Some(lock.content_digest());
        lock
    }

    /// The digest of this lock's content, as a reader of its file computes
    /// it: the content is written as JSON and read back, so that each number
    /// is digested as the reader will read it.
    fn content_digest(&self) -> String {
        let written = serde_json::to_string(self).unwrap_or_default();
        let read: Value = serde_json::from_str(&written).unwrap_or_default();
        content_digest(&read)
    }

    /// Where the lock of the questionnaire at `output` goes: `<FILE>.boussole.lock`.
    pub fn path_for(output: &Path) -> PathBuf {
        let mut name = output.file_name().unwrap_or_default().to_os_string();
        name.push(".boussole.lock");
        output.with_file_name(name)
    }

    /// The lock as pretty JSON, its keys sorted at every level: the text is
    /// then its own canonical form once its spaces are dropped, and reading
    /// it back needs no JSON tree to check its digest.
    pub fn to_json(&self) -> String {
        let Ok(mut value) = serde_json::to_value(self) else {
            return String::new();
        };
        value.sort_all_objects();
        serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
    }

    /// Reads a lock file: a regular file only (see [`crate::input`]).
    pub fn read(path: &Path) -> Result<Lock, Error> {
        let text = crate::input::read_to_string(path)?;
        Lock::parse(&path.display().to_string(), &text)
    }

    /// What the lock says of its own content: a digest (verified when it
    /// was read), or none (a lock of format 1).
    pub fn integrity(&self) -> crate::check::LockDigest {
        match &self.digest {
            Some(d) => crate::check::LockDigest::Verified(d.clone()),
            None => crate::check::LockDigest::Unstated,
        }
    }

    /// The warning to give when the lock states no digest (issued by an
    /// earlier boussole), naming it by `origin`; `None` when it does.
    pub fn unverified(&self, origin: &str) -> Option<String> {
        self.digest.is_none().then(|| {
            format!(
                "{origin}: this lock was issued by an earlier boussole and states no digest of its content: \
                 its integrity cannot be verified (a change made by hand would go unnoticed)"
            )
        })
    }

    /// What returned files are checked against: the selection as issued,
    /// in `lang` (default: the questionnaire's).
    pub fn into_basis(self, lang: Option<Lang>) -> crate::check::Basis {
        crate::check::Basis {
            lock: self.integrity(),
            lang: lang.unwrap_or(self.lang),
            selection: self.selection,
            profile: self.profile,
            audience: self.audience,
        }
    }

    /// Reads a lock's text; `origin` names it in errors. A lock whose
    /// content no longer matches the digest it states is refused; one of
    /// format 1, which states none, is read (see [`Lock::unverified`]).
    pub fn parse(origin: &str, text: &str) -> Result<Lock, Error> {
        let not_a_lock =
            |e: serde_json::Error| Error::Usage(format!("{origin}: not a boussole lock file: {e}"));
        // read as a lock (malformed text is told with its line), its text
        // digested as written when boussole wrote it (on a second thread
        // meanwhile: each costs about as much), else as a JSON value
        let (lock, written) = std::thread::scope(|s| {
            let written = s.spawn(|| written::digest(text, DIGEST_FIELD));
            let lock = serde_json::from_str::<Lock>(text);
            (lock, written.join().ok().flatten())
        });
        let lock = lock.map_err(not_a_lock)?;
        if !(OLDEST_LOCK_VERSION..=LOCK_VERSION).contains(&lock.lock_version) {
            return Err(Error::Usage(format!(
                "{origin}: lock format {} is not supported (this boussole reads formats {OLDEST_LOCK_VERSION} to {LOCK_VERSION})",
                lock.lock_version
            )));
        }
        lock.refuse_bad_conditions(origin)?;
        lock.refuse_edited(origin, text, written)?;
        Ok(lock)
    }

    /// Refuses a lock whose content is not the one it was issued with: its
    /// digest does not match, or a lock of a format that states one states
    /// none. `written` is the digest of `text` as boussole writes locks,
    /// when it is written so.
    fn refuse_edited(
        &self,
        origin: &str,
        text: &str,
        written: Option<String>,
    ) -> Result<(), Error> {
        let edited = |why: &str| {
            Err(Error::Usage(format!(
                "{origin}: the lock was modified after it was issued ({why}); \
                 check the answers with the lock issued with the questionnaire"
            )))
        };
        let matches = |stated: &str| {
            written.as_deref() == Some(stated)
                || serde_json::from_str::<Value>(text).is_ok_and(|v| content_digest(&v) == stated)
        };
        match &self.digest {
            Some(stated) if !matches(stated) => {
                edited("its content no longer matches the digest it states")
            }
            None if self.lock_version >= 2 => {
                edited("the digest its format states has been removed")
            }
            _ => Ok(()),
        }
    }

    /// Refuses a lock holding a condition that does not parse (too long,
    /// too deeply nested or not written in the condition language): a
    /// question's applicability is never guessed. Names the question or rule.
    fn refuse_bad_conditions(&self, origin: &str) -> Result<(), Error> {
        let questions = self
            .selection
            .questions
            .iter()
            .filter_map(|q| Some((q.id.as_str(), q.condition.as_ref()?)));
        let rules = self
            .selection
            .consistency
            .iter()
            .filter_map(|k| match &k.test {
                crate::library::ConsistencyTest::Never { when } => Some((k.id.as_str(), when)),
                _ => None,
            });
        for (id, c) in questions.chain(rules) {
            if let Err(e) = c.expr() {
                return Err(Error::Usage(format!(
                    "{origin}: {id}: the condition « {} » is refused: {e}",
                    c.excerpt()
                )));
            }
        }
        Ok(())
    }
}

/// SHA-256, in hex, of a lock's content read as JSON, its `digest` field
/// aside: computed over a canonical form (object keys sorted, no spaces,
/// strings and numbers written as `serde_json` writes them), so that
/// reformatting the file changes nothing and any change of a value does.
pub fn content_digest(lock: &Value) -> String {
    let mut hasher = Hashed(Sha256::new());
    match lock {
        Value::Object(fields) => object(fields, Some(DIGEST_FIELD), &mut hasher),
        other => canonical(other, &mut hasher),
    }
    hex::encode(hasher.0.finalize())
}

/// A hash fed as JSON is written.
struct Hashed(Sha256);

impl Hashed {
    fn push(&mut self, text: &str) {
        self.0.update(text.as_bytes());
    }
}

impl std::io::Write for Hashed {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `value` as canonical JSON: keys sorted by their bytes, no spaces.
fn canonical(value: &Value, out: &mut Hashed) {
    match value {
        Value::Array(items) => {
            out.push("[");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(",");
                }
                canonical(item, out);
            }
            out.push("]");
        }
        Value::Object(fields) => object(fields, None, out),
        // a scalar, or a key below, written as serde_json writes it
        scalar => {
            let _ = serde_json::to_writer(&mut *out, scalar);
        }
    }
}

/// An object as canonical JSON, without the key `skip`.
fn object(fields: &serde_json::Map<String, Value>, skip: Option<&str>, out: &mut Hashed) {
    let mut keys: Vec<&String> = fields.keys().filter(|k| Some(k.as_str()) != skip).collect();
    keys.sort();
    out.push("{");
    for (i, key) in keys.into_iter().enumerate() {
        if i > 0 {
            out.push(",");
        }
        let _ = serde_json::to_writer(&mut *out, key);
        out.push(":");
        canonical(&fields[key], out);
    }
    out.push("}");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issued() -> Lock {
        let lib = crate::library::load(None).unwrap();
        let profile = Profile::embedded();
        let sel = crate::selection::resolve(&lib, &profile);
        Lock::new(&Questionnaire {
            selection: &sel,
            profile: &profile,
            lang: Lang::Fr,
            audience: Audience::Vendor,
            password: None,
        })
    }

    #[test]
    fn a_lock_reads_back_verified_however_its_file_is_laid_out() {
        let lock = issued();
        let pretty = lock.to_json();
        assert!(Lock::parse("q.lock", &pretty).is_ok());
        // as boussole writes it, the text is digested without a JSON tree
        assert_eq!(written::digest(&pretty, DIGEST_FIELD), lock.digest);
        // compact, and keys in another order: the same content
        let mut value: Value = serde_json::from_str(&pretty).unwrap();
        let fields = value.as_object_mut().unwrap();
        let digest = fields.shift_remove("digest").unwrap();
        fields.insert("digest".into(), digest);
        fields.sort_keys();
        let read = Lock::parse("q.lock", &value.to_string()).unwrap();
        assert_eq!(read.digest, lock.digest);
        assert_eq!(
            read.integrity(),
            crate::check::LockDigest::Verified(lock.digest.unwrap())
        );
    }

    #[test]
    fn a_changed_value_or_a_removed_digest_is_refused() {
        let pretty = issued().to_json();
        let edited = pretty.replacen("\"eliminatory\"", "\"minor\"", 1);
        assert_ne!(edited, pretty);
        let err = Lock::parse("q.lock", &edited).unwrap_err().to_string();
        assert!(
            err.starts_with("q.lock: the lock was modified after it was issued"),
            "{err}"
        );
        let mut value: Value = serde_json::from_str(&pretty).unwrap();
        value.as_object_mut().unwrap().shift_remove("digest");
        let err = Lock::parse("q.lock", &value.to_string())
            .unwrap_err()
            .to_string();
        assert!(err.contains("removed"), "{err}");
    }

    #[test]
    fn a_lock_of_format_1_is_read_unverified() {
        let mut value: Value = serde_json::from_str(&issued().to_json()).unwrap();
        let fields = value.as_object_mut().unwrap();
        fields.shift_remove("digest");
        fields.insert("lock_version".into(), 1.into());
        let lock = Lock::parse("ancien.lock", &value.to_string()).unwrap();
        assert_eq!(lock.integrity(), crate::check::LockDigest::Unstated);
        let warning = lock.unverified("ancien.lock").unwrap();
        assert!(warning.starts_with("ancien.lock: ") && warning.contains("cannot be verified"));
    }
}
