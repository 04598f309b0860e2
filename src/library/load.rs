//! Reading the library files, embedded or from a folder.
//!
//! Loading only parses and links: TOML syntax, unknown keys and wrong types
//! stop it with the file (and line) named; everything else is left to
//! [`super::lint`], which [`load`] runs and which refuses a library with errors.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::lint::{self, Diagnostic};
use super::model::{
    AnswerType, Clause, Consistency, Criterion, Library, NamedList, Question, Theme, YearlyItem,
};
use crate::error::Error;

/// One library file: its name and its text.
#[derive(Debug, Clone)]
pub struct Source {
    /// File name, such as `sobriety.toml`.
    pub name: String,
    /// TOML text.
    pub text: String,
}

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        &[$((
            $name,
            include_str!(concat!("../../clauses/", $name)),
            include_str!(concat!(env!("OUT_DIR"), "/clauses/", $name, ".json")),
        )),*]
    };
}

/// The library shipped in the binary: each file's name, its TOML text and
/// the same as JSON (written by `build.rs`), which loads several times faster.
const EMBEDDED: &[(&str, &str, &str)] = embedded![
    "library.toml",
    "lists.toml",
    "biometrics.toml",
    "legal.toml",
    "public_service.toml",
    "working_conditions.toml",
    "sobriety.toml",
    "transparency.toml",
    "alternative.toml",
    "contract.toml",
];

/// The files of the embedded library, as TOML.
pub fn embedded_sources() -> Vec<Source> {
    EMBEDDED
        .iter()
        .map(|(n, t, _)| Source {
            name: n.to_string(),
            text: t.to_string(),
        })
        .collect()
}

/// The embedded library, from its JSON form. It is not linted here: the
/// tests lint its TOML files and check that both forms load the same.
pub fn embedded() -> Result<Library, Error> {
    let sources: Vec<Source> = EMBEDDED
        .iter()
        .map(|(n, _, j)| Source {
            name: n.to_string(),
            text: j.to_string(),
        })
        .collect();
    link(&PathBuf::from(EMBEDDED_ORIGIN), &sources, Syntax::Json)
}

/// Where the embedded library comes from, in messages.
pub const EMBEDDED_ORIGIN: &str = "clauses (embedded)";

/// How a library file is written.
#[derive(Debug, Clone, Copy)]
enum Syntax {
    /// The library's own form, in `clauses/` and in a buyer's folder.
    Toml,
    /// The embedded library's form, made at build time.
    Json,
}

/// The `.toml` files of a library folder, by name.
pub fn folder_sources(dir: &Path) -> Result<Vec<Source>, Error> {
    let io = |e: std::io::Error| Error::Io(dir.to_path_buf(), e);
    if !dir.is_dir() {
        return Err(Error::Library {
            path: dir.to_path_buf(),
            message: "is not a folder holding library files".into(),
        });
    }
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = crate::input::read_to_string(&p)?;
            let name = p
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            Ok(Source { name, text })
        })
        .collect()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IndexFile {
    version: String,
    #[serde(default)]
    theme: Vec<Theme>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListsFile {
    #[serde(default)]
    list: Vec<NamedList>,
}

/// The file of the contract's own clauses, those of no criterion.
pub const CONTRACT_FILE: &str = "contract.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContractFile {
    #[serde(default)]
    clause: Vec<Clause>,
    #[serde(default)]
    yearly: Vec<YearlyItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CriterionFile {
    criterion: Criterion,
    #[serde(default)]
    clause: Vec<Clause>,
    #[serde(default)]
    question: Vec<Question>,
    #[serde(default)]
    consistency: Vec<Consistency>,
}

fn parse_file<T: for<'de> Deserialize<'de>>(
    origin: &Path,
    s: &Source,
    syntax: Syntax,
) -> Result<T, Error> {
    let message = match syntax {
        Syntax::Toml => toml::from_str(&s.text).map_err(|e| e.to_string()),
        Syntax::Json => serde_json::from_str(&s.text).map_err(|e| e.to_string()),
    };
    message.map_err(|message| Error::Library {
        path: origin.join(&s.name),
        message: message.trim_end().to_string(),
    })
}

/// Parses and links library files written in TOML; `origin` names where
/// they come from.
pub fn parse(origin: &Path, sources: &[Source]) -> Result<Library, Error> {
    link(origin, sources, Syntax::Toml)
}

/// Parses library files written in `syntax` and links them.
fn link(origin: &Path, sources: &[Source], syntax: Syntax) -> Result<Library, Error> {
    let find = |name: &str| {
        sources
            .iter()
            .find(|s| s.name == name)
            .ok_or_else(|| Error::Library {
                path: origin.join(name),
                message: "is missing: a library folder holds library.toml and lists.toml".into(),
            })
    };
    let index: IndexFile = parse_file(origin, find("library.toml")?, syntax)?;
    let lists: ListsFile = parse_file(origin, find("lists.toml")?, syntax)?;
    let mut lib = Library {
        version: index.version,
        hash: String::new(),
        themes: index.theme,
        lists: lists.list,
        criteria: Vec::new(),
        clauses: Vec::new(),
        questions: Vec::new(),
        consistency: Vec::new(),
        yearly: Vec::new(),
    };
    let mut files: Vec<CriterionFile> = Vec::new();
    let mut contract: Vec<Clause> = Vec::new();
    for s in sources
        .iter()
        .filter(|s| s.name != "library.toml" && s.name != "lists.toml")
    {
        if s.name == CONTRACT_FILE {
            let f: ContractFile = parse_file(origin, s, syntax)?;
            contract.extend(f.clause.into_iter().map(|mut c| {
                c.file = s.name.clone();
                c
            }));
            lib.yearly.extend(f.yearly);
            continue;
        }
        let mut f: CriterionFile = parse_file(origin, s, syntax)?;
        f.criterion.file = s.name.clone();
        files.push(f);
    }
    files.sort_by_key(|f| f.criterion.order);
    for f in files {
        let (id, file) = (f.criterion.id.clone(), f.criterion.file.clone());
        lib.clauses.extend(f.clause.into_iter().map(|mut c| {
            c.criterion = id.clone();
            c.file = file.clone();
            c
        }));
        lib.questions.extend(f.question.into_iter().map(|mut q| {
            q.criterion = id.clone();
            q.file = file.clone();
            q.role = Some(q.role());
            if q.answer == AnswerType::YesNo && q.choices.is_empty() {
                q.choices = q.effective_choices();
            }
            q
        }));
        lib.consistency
            .extend(f.consistency.into_iter().map(|mut k| {
                k.criterion = id.clone();
                k
            }));
        lib.criteria.push(f.criterion);
    }
    lib.clauses.extend(contract);
    for q in &lib.questions {
        for cid in &q.clauses {
            if let Some(c) = lib.clauses.iter_mut().find(|c| &c.id == cid) {
                c.questions.push(q.id.clone());
            }
        }
    }
    lib.hash = super::export::content_hash(&lib);
    Ok(lib)
}

/// Loads the embedded library, or the one in `dir` and lints it: a library
/// with lint errors is refused, with every error listed.
pub fn load(dir: Option<&Path>) -> Result<Library, Error> {
    let Some(origin) = dir else {
        return embedded();
    };
    let lib = parse(origin, &folder_sources(origin)?)?;
    let errors: Vec<Diagnostic> = lint::lint(&lib)
        .into_iter()
        .filter(|d| d.level == lint::Level::Error)
        .collect();
    if errors.is_empty() {
        Ok(lib)
    } else {
        Err(Error::LibraryLint {
            path: origin.to_path_buf(),
            diagnostics: errors,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The JSON made at build time is what the binary loads; `library lint`
    /// and the tests read the TOML: both must give the same library.
    #[test]
    fn the_embedded_library_loads_the_same_from_json_as_from_toml() {
        let json = embedded().unwrap();
        let toml = parse(Path::new(EMBEDDED_ORIGIN), &embedded_sources()).unwrap();
        assert_eq!(json.hash, toml.hash);
        assert_eq!(
            super::super::export::to_json(&json),
            super::super::export::to_json(&toml)
        );
        assert!(json.questions.len() > 80, "{}", json.questions.len());
    }
}
