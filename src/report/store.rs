//! Where the results of a streamed batch wait, once checked, until the
//! report is written: one temporary file, in a folder of its own that only
//! this user may open, each result written compactly (JSON on one line) as
//! soon as it is checked and read back when the report needs it.
//!
//! The folder and its file go when the store is dropped, whatever ends the
//! batch (the report written, an error, a panic); on Unix they are removed
//! as soon as the file is open, so nothing is left behind even when the
//! process is killed.

use std::borrow::Cow;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::{FileReport, FileStatus};
use crate::Error;
use crate::check::QuestionResult;
use crate::finding::{Finding, Integrity};
use crate::response::{FileFormat, Identity};

/// A file's result as checked, as the store keeps it.
#[derive(Serialize, Deserialize)]
struct Kept<'a> {
    file: Cow<'a, str>,
    sha256: Cow<'a, str>,
    format: Option<FileFormat>,
    status: FileStatus,
    error: Cow<'a, Option<String>>,
    vendor: Cow<'a, Identity>,
    findings: Cow<'a, [Finding]>,
    questions: Cow<'a, [QuestionResult]>,
    integrity: Cow<'a, [Integrity]>,
    evidence: Cow<'a, [crate::evidence::Evidence]>,
}

/// The results of a batch, out of memory.
#[derive(Debug)]
pub struct Store {
    /// The private folder, while it exists.
    dir: Option<PathBuf>,
    inner: Mutex<Inner>,
}

#[derive(Debug)]
struct Inner {
    /// Closed when the store is dropped, before its folder is removed.
    file: Option<File>,
    /// Where each result is (offset, length), by index in the batch.
    places: Vec<Option<(u64, u64)>>,
    /// Bytes written.
    end: u64,
}

impl Store {
    /// A new store for a batch of `n` files, in a private folder of the
    /// system's temporary folder (`TMPDIR` on Unix).
    pub fn new(n: usize) -> Result<Store, Error> {
        let base = std::env::temp_dir();
        let (dir, file) = private(&base).map_err(|e| Error::Io(base.clone(), e))?;
        let mut store = Store {
            dir: Some(dir),
            inner: Mutex::new(Inner {
                file: Some(file),
                places: vec![None; n],
                end: 0,
            }),
        };
        if cfg!(unix) {
            store.remove(); // the open file lives on, under no name
        }
        Ok(store)
    }

    /// Keeps the result of the `i`th file as checked: what the batch adds
    /// (verdict, scores, judgment) is not kept.
    pub fn put(&self, i: usize, r: &FileReport) -> Result<(), Error> {
        let kept = Kept {
            file: Cow::Borrowed(&r.file),
            sha256: Cow::Borrowed(&r.sha256),
            format: r.format,
            status: r.status,
            error: Cow::Borrowed(&r.error),
            vendor: Cow::Borrowed(&r.vendor),
            findings: Cow::Borrowed(&r.findings),
            questions: Cow::Borrowed(&r.questions),
            integrity: Cow::Borrowed(&r.integrity),
            evidence: Cow::Borrowed(&r.evidence),
        };
        let bytes = serde_json::to_vec(&kept).map_err(|e| self.error(std::io::Error::other(e)))?;
        let mut inner = self.lock();
        let at = inner.end;
        inner
            .file()
            .and_then(|f| {
                f.seek(SeekFrom::Start(at))?;
                f.write_all(&bytes)
            })
            .map_err(|e| self.error(e))?;
        inner.end += bytes.len() as u64;
        if let Some(place) = inner.places.get_mut(i) {
            *place = Some((at, bytes.len() as u64));
        }
        Ok(())
    }

    /// The result of the `i`th file, as it was kept.
    pub fn get(&self, i: usize) -> Result<FileReport, Error> {
        let mut inner = self.lock();
        let Some((at, len)) = inner.places.get(i).copied().flatten() else {
            return Err(self.error(std::io::Error::other(format!(
                "no result kept for file {}",
                i + 1
            ))));
        };
        let mut bytes = vec![0; usize::try_from(len).unwrap_or(0)];
        inner
            .file()
            .and_then(|f| {
                f.seek(SeekFrom::Start(at))?;
                f.read_exact(&mut bytes)
            })
            .map_err(|e| self.error(e))?;
        drop(inner);
        let kept: Kept<'_> =
            serde_json::from_slice(&bytes).map_err(|e| self.error(std::io::Error::other(e)))?;
        Ok(FileReport {
            file: kept.file.into_owned(),
            sha256: kept.sha256.into_owned(),
            format: kept.format,
            status: kept.status,
            error: kept.error.into_owned(),
            vendor: kept.vendor.into_owned(),
            verdict: None,
            score: None,
            judgment: None,
            criteria: Vec::new(),
            themes: Vec::new(),
            findings: kept.findings.into_owned(),
            questions: kept.questions.into_owned(),
            integrity: kept.integrity.into_owned(),
            evidence: kept.evidence.into_owned(),
            before_decisions: None,
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn error(&self, e: std::io::Error) -> Error {
        let place = self.dir.clone().unwrap_or_else(std::env::temp_dir);
        Error::Io(place, e)
    }

    /// Removes the folder and its file (an open file stays readable on Unix).
    fn remove(&mut self) {
        if let Some(dir) = self.dir.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

impl Inner {
    fn file(&mut self) -> std::io::Result<&mut File> {
        (self.file.as_mut()).ok_or_else(|| std::io::Error::other("the store is closed"))
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        self.lock().file = None;
        self.remove();
    }
}

/// A new folder in `base` that only this user may open, under a name no
/// one can guess, and a file created new in it.
fn private(base: &std::path::Path) -> std::io::Result<(PathBuf, File)> {
    let mut last = None;
    for _ in 0..16 {
        let dir = base.join(format!("boussole-{:016x}", crate::output::unguessable()));
        #[cfg_attr(not(unix), allow(unused_mut))]
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        match builder.create(&dir) {
            Ok(()) => {
                let file = std::fs::OpenOptions::new()
                    .read(true)
                    .write(true)
                    .create_new(true)
                    .open(dir.join("results"));
                return match file {
                    Ok(f) => Ok((dir, f)),
                    Err(e) => {
                        let _ = std::fs::remove_dir_all(&dir);
                        Err(e)
                    }
                };
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no temporary name left")))
}
