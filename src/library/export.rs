//! The library as JSON: the contract other tools read (`library export`).
//!
//! The JSON Schema committed in `schema/library.schema.json` is generated
//! from these types; a test keeps the two in step.

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::model::{Clause, Criterion, Library, NamedList, Question, Theme, YearlyItem};

/// The exported library.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Export<'a> {
    /// Library version.
    pub version: &'a str,
    /// SHA-256 of the content (this document with an empty hash).
    pub hash: &'a str,
    /// The seven criteria, in compass order.
    pub criteria: &'a [Criterion],
    /// Cross-cutting themes.
    pub themes: &'a [Theme],
    /// Named lists for `in_list` rules.
    pub lists: &'a [NamedList],
    /// Clauses, criterion by criterion.
    pub clauses: &'a [Clause],
    /// Questions, criterion by criterion.
    pub questions: &'a [Question],
    /// The lines of the contractor's yearly report no question carries.
    pub yearly: &'a [YearlyItem],
}

impl<'a> Export<'a> {
    fn with_hash(lib: &'a Library, hash: &'a str) -> Export<'a> {
        Export {
            version: &lib.version,
            hash,
            criteria: &lib.criteria,
            themes: &lib.themes,
            lists: &lib.lists,
            clauses: &lib.clauses,
            questions: &lib.questions,
            yearly: &lib.yearly,
        }
    }

    /// The export of `lib`.
    pub fn of(lib: &'a Library) -> Export<'a> {
        Export::with_hash(lib, &lib.hash)
    }
}

/// SHA-256 of the library's content: its export with an empty hash.
pub fn content_hash(lib: &Library) -> String {
    let bytes = serde_json::to_vec(&Export::with_hash(lib, "")).unwrap_or_default();
    hex::encode(Sha256::digest(&bytes))
}

/// The export as pretty JSON.
pub fn to_json(lib: &Library) -> String {
    serde_json::to_string_pretty(&Export::of(lib)).unwrap_or_default() + "\n"
}

/// The JSON Schema of the export.
pub fn schema() -> String {
    let generator = schemars::generate::SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    let schema = generator.into_root_schema_for::<Export<'static>>();
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}
