//! The selection as issued: written beside the questionnaire, it is what
//! answers are checked against, even if the library or profile changes later.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{FORMAT_VERSION, Questionnaire, layout};
use crate::Error;
use crate::library::Audience;
use crate::profile::Profile;
use crate::selection::Selection;
use crate::text::Lang;

/// Version of the lock file's format.
pub const LOCK_VERSION: u32 = 1;

/// The selection as issued with one questionnaire.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Lock {
    /// Version of this file's format.
    pub lock_version: u32,
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
        Lock {
            lock_version: LOCK_VERSION,
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
        }
    }

    /// Where the lock of the questionnaire at `output` goes: `<FILE>.boussole.lock`.
    pub fn path_for(output: &Path) -> PathBuf {
        let mut name = output.file_name().unwrap_or_default().to_os_string();
        name.push(".boussole.lock");
        output.with_file_name(name)
    }

    /// The lock as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// Reads a lock file.
    pub fn read(path: &Path) -> Result<Lock, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io(path.to_path_buf(), e))?;
        Lock::parse(&path.display().to_string(), &text)
    }

    /// What returned files are checked against: the selection as issued,
    /// in `lang` (default: the questionnaire's).
    pub fn into_basis(self, lang: Option<Lang>) -> crate::check::Basis {
        crate::check::Basis {
            lang: lang.unwrap_or(self.lang),
            selection: self.selection,
            profile: self.profile,
            audience: self.audience,
        }
    }

    /// Reads a lock's text; `origin` names it in errors.
    pub fn parse(origin: &str, text: &str) -> Result<Lock, Error> {
        let lock: Lock = serde_json::from_str(text)
            .map_err(|e| Error::Usage(format!("{origin}: not a boussole lock file: {e}")))?;
        if lock.lock_version != LOCK_VERSION {
            return Err(Error::Usage(format!(
                "{origin}: lock format {} is not supported (this boussole reads format {LOCK_VERSION})",
                lock.lock_version
            )));
        }
        lock.refuse_bad_conditions(origin)?;
        Ok(lock)
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
