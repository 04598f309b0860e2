//! A vendor's return sent as one ZIP archive: its questionnaire and the
//! evidence files beside it. The archive's entries are checked as any
//! package's ([`super::package::entries`]: count, sizes, ratio,
//! encryption, compression methods) before any is inflated; it must hold
//! exactly one returned questionnaire; each entry is read within its own
//! bound (a questionnaire's, an evidence file's).

use std::io::Read;

use super::ReadError;
use super::bounds::{MAX_EVIDENCE_FILES, MAX_EVIDENCE_SIZE, MAX_FILE_SIZE};

/// Whether `name` is a ZIP archive's (a vendor's bundle, not an office file).
pub fn is_bundle(name: &str) -> bool {
    std::path::Path::new(name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

/// What a bundle holds: its questionnaire and the files that may be
/// evidence, each by its path in the archive.
#[derive(Debug)]
pub struct Bundle {
    /// The questionnaire's path and bytes.
    pub questionnaire: (String, Vec<u8>),
    /// The other files whose names end as evidence files may, with their bytes.
    pub others: Vec<(String, Vec<u8>)>,
}

/// Opens the bundle `bytes`; `may_be_evidence` tells which other entries to read.
pub fn open(bytes: &[u8], may_be_evidence: impl Fn(&str) -> bool) -> Result<Bundle, ReadError> {
    let mut zip = super::package::open(bytes)?;
    let names: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .filter(|n| !n.ends_with('/') && !n.starts_with("__MACOSX/"))
        .collect();
    let hidden = |n: &str| n.rsplit('/').next().is_some_and(|f| f.starts_with('.'));
    let questionnaires: Vec<&String> = names
        .iter()
        .filter(|n| !hidden(n) && super::is_questionnaire_name(std::path::Path::new(n)))
        .collect();
    let [questionnaire] = questionnaires.as_slice() else {
        return Err(ReadError::Malformed(format!(
            "the ZIP archive holds {} returned questionnaires (.xlsx .xlsm .xls .ods .docx); one is expected, with its evidence files",
            questionnaires.len()
        )));
    };
    let questionnaire = (*questionnaire).clone();
    // Each entry read to its bound and one byte more: a questionnaire past
    // its bound is refused here, an evidence file by the evidence reader,
    // which names it.
    let mut read = |name: &str, limit: u64| -> Result<Vec<u8>, ReadError> {
        let entry = zip.by_name(name).map_err(|e| ReadError::damaged(name, e))?;
        let mut out = Vec::new();
        entry
            .take(limit + 1)
            .read_to_end(&mut out)
            .map_err(|e| ReadError::damaged(name, e))?;
        Ok(out)
    };
    let bytes = read(&questionnaire, MAX_FILE_SIZE)?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(ReadError::TooLarge(format!(
            "{questionnaire} in the ZIP archive is over {} MiB",
            MAX_FILE_SIZE >> 20
        )));
    }
    let mut others = Vec::new();
    for name in names
        .iter()
        .filter(|n| **n != questionnaire && !hidden(n) && may_be_evidence(n))
        .take(MAX_EVIDENCE_FILES)
    {
        others.push((name.clone(), read(name, MAX_EVIDENCE_SIZE)?));
    }
    Ok(Bundle {
        questionnaire: (questionnaire, bytes),
        others,
    })
}
