//! Which files a batch checks: the paths given, folders searched.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

/// A path passed over.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Skipped {
    /// The path.
    pub path: String,
    /// Why.
    pub reason: String,
}

/// Why a file found in a folder is not checked when its name is no return's.
const NOT_A_RETURN: &str =
    "not a questionnaire format (.xlsx .xlsm .xls .ods .docx, or .zip holding one)";

/// Why a file found in a folder is passed over, if it is.
fn skip_reason(path: &Path, own: &[PathBuf]) -> Option<&'static str> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    if name.starts_with("~$") || (name.starts_with(".~lock.") && name.ends_with('#')) {
        Some("office lock file")
    } else if name.starts_with('.') {
        Some("hidden file")
    } else if name.ends_with(".boussole.lock") || own.iter().any(|o| o == path) {
        Some("boussole's own output")
    } else if !crate::response::is_return_name(path) {
        Some(NOT_A_RETURN)
    } else {
        None
    }
}

/// The files to check among `paths` (folders searched, sorted), and those
/// passed over. `own` lists boussole's outputs of this run.
///
/// Each file is counted once, however many paths or links lead to it; a
/// link back to a folder already searched is not followed again (no loop);
/// a broken link and what is not a regular file (a pipe, a socket, a
/// device, which reading would hang on or never end) are passed over, each
/// with its reason.
pub fn collect(paths: &[PathBuf], own: &[PathBuf]) -> (Vec<PathBuf>, Vec<Skipped>) {
    let own_real: Vec<PathBuf> = own.iter().filter_map(|o| o.canonicalize().ok()).collect();
    let mut walk = Walk {
        own,
        own_real,
        files: Vec::new(),
        skipped: Vec::new(),
        seen: BTreeMap::new(),
        searched: BTreeSet::new(),
    };
    for p in paths {
        if p.is_dir() {
            walk.folder(p);
        } else if !p.exists() {
            walk.files.push(p.clone()); // its reading says it is missing
        } else {
            match skip_reason(p, own) {
                Some(reason) if reason != NOT_A_RETURN => walk.skip(p, reason.into()),
                _ => walk.file(p),
            }
        }
    }
    (walk.files, walk.skipped)
}

/// A search through the paths given.
struct Walk<'a> {
    own: &'a [PathBuf],
    /// `own`, links resolved.
    own_real: Vec<PathBuf>,
    files: Vec<PathBuf>,
    skipped: Vec<Skipped>,
    /// Each file kept, links resolved, and the path it was first found by.
    seen: BTreeMap<PathBuf, PathBuf>,
    /// Each folder searched, links resolved.
    searched: BTreeSet<PathBuf>,
}

impl Walk<'_> {
    fn skip(&mut self, path: &Path, reason: String) {
        self.skipped.push(Skipped {
            path: path.display().to_string(),
            reason,
        });
    }

    /// A file to check, unless it is not a regular file or already counted.
    fn file(&mut self, path: &Path) {
        let Ok(meta) = std::fs::metadata(path) else {
            return self.skip(path, "broken link: it leads to no file".into());
        };
        if !meta.is_file() {
            return self.skip(
                path,
                "not a regular file (a pipe, a socket or a device): not read".into(),
            );
        }
        let real = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        if self.own_real.contains(&real) {
            return self.skip(path, "boussole's own output".into());
        }
        if let Some(first) = self.seen.get(&real) {
            let reason = format!("the same file as {}, counted once", first.display());
            return self.skip(path, reason);
        }
        self.seen.insert(real, path.to_path_buf());
        self.files.push(path.to_path_buf());
    }

    fn folder(&mut self, dir: &Path) {
        let real = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        if !self.searched.insert(real) {
            return self.skip(
                dir,
                "a link to a folder already searched: not searched again".into(),
            );
        }
        let entries = match crate::input::entries_by_name(dir, |_, _| true) {
            Ok(entries) => entries,
            Err(e) => return self.skip(dir, format!("cannot read the folder: {e}")),
        };
        // A questionnaire's evidence files are read with it (see
        // `crate::evidence::attached_to`): its own folder is not searched
        // for offers, evidence files are not offers passed over.
        let stems: BTreeSet<std::ffi::OsString> = entries
            .iter()
            .filter(|p| crate::response::is_return_name(p))
            .filter_map(|p| p.file_stem().map(|s| s.to_os_string()))
            .collect();
        for p in entries {
            let hidden = p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            let evidence_folder = p.file_name().is_some_and(|n| stems.contains(n));
            if p.is_dir() && !hidden {
                if !evidence_folder {
                    self.folder(&p);
                }
            } else if crate::evidence::may_be_evidence(&p) && !hidden {
                continue;
            } else if let Some(reason) = skip_reason(&p, self.own) {
                self.skip(&p, reason.into());
            } else {
                self.file(&p);
            }
        }
    }
}
