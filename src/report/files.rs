//! Which files a batch checks: the paths given, folders searched.

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

const EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xls", "ods", "docx"];

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
    } else if !path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
    {
        Some("not a questionnaire format (.xlsx .xlsm .xls .ods .docx)")
    } else {
        None
    }
}

/// The files to check among `paths` (folders searched, sorted), and those
/// passed over. `own` lists boussole's outputs of this run.
pub fn collect(paths: &[PathBuf], own: &[PathBuf]) -> (Vec<PathBuf>, Vec<Skipped>) {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, own, &mut files, &mut skipped);
        } else {
            match skip_reason(p, own) {
                Some(reason)
                    if reason != "not a questionnaire format (.xlsx .xlsm .xls .ods .docx)" =>
                {
                    skipped.push(Skipped {
                        path: p.display().to_string(),
                        reason: reason.into(),
                    })
                }
                _ => files.push(p.clone()),
            }
        }
    }
    (files, skipped)
}

fn walk(dir: &Path, own: &[PathBuf], files: &mut Vec<PathBuf>, skipped: &mut Vec<Skipped>) {
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => {
            skipped.push(Skipped {
                path: dir.display().to_string(),
                reason: format!("cannot read the folder: {e}"),
            });
            return;
        }
    };
    entries.sort();
    for p in entries {
        let hidden = p
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if p.is_dir() && !hidden {
            walk(&p, own, files, skipped);
        } else if let Some(reason) = skip_reason(&p, own) {
            skipped.push(Skipped {
                path: p.display().to_string(),
                reason: reason.into(),
            });
        } else if p.is_file() {
            files.push(p);
        }
    }
}
