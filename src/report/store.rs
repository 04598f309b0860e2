//! Where the results of a streamed batch wait, once checked, until the
//! report is written: the first [`HELD`] in memory as they are, the others
//! in one temporary file, in a folder of its own that only this user may
//! open, each result written compactly (MessagePack, its fields named:
//! read back in half the time JSON takes) as soon as it is checked and
//! read back when the report needs it. A batch of a few files never
//! touches the disk; a batch of thousands holds no more than [`HELD`]
//! results in memory.
//!
//! A result may give way, once concluded, to what the report prints of it
//! ([`Store::keep_rendered`]): a summary needs a few lines of each offer,
//! not the whole result read back and concluded again.
//!
//! The folder and its file, made when the first result does not fit in
//! memory, go when the store is dropped, whatever ends the batch (the
//! report written, an error, a panic); on Unix they are removed as soon as
//! the file is open, so nothing is left behind even when the process is
//! killed.

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

/// Results kept in memory before the store writes to its file: a few
/// megabytes at most (a result weighs tens of kilobytes).
pub const HELD: usize = 32;

/// The results of a batch, the first ones in memory, the others on disk.
#[derive(Debug)]
pub struct Store {
    inner: Mutex<Inner>,
}

#[derive(Debug)]
struct Inner {
    /// The private folder, while it exists.
    dir: Option<PathBuf>,
    /// Made for the first result not held; closed when the store is
    /// dropped, before its folder is removed.
    file: Option<File>,
    /// Where each result is, by index in the batch.
    places: Vec<Place>,
    /// Results held in memory.
    held: usize,
    /// Bytes written.
    end: u64,
}

/// Where one result waits.
#[derive(Debug, Clone)]
enum Place {
    /// Not kept yet.
    Nowhere,
    /// In memory, as checked.
    Held(Box<FileReport>),
    /// In memory, as the batch concluded it (see [`Store::keep_concluded`]).
    Concluded(Box<FileReport>),
    /// In the file: offset and length.
    Written(u64, u64),
    /// What the report prints of it, in memory (see [`Store::keep_rendered`]).
    Rendered(String),
    /// What the report prints of it, in the file: offset and length.
    RenderedWritten(u64, u64),
}

impl Store {
    /// A new store for a batch of `n` files; its file, when the batch needs
    /// one, goes in a private folder of the system's temporary folder
    /// (`TMPDIR` on Unix).
    pub fn new(n: usize) -> Result<Store, Error> {
        Ok(Store {
            inner: Mutex::new(Inner {
                dir: None,
                file: None,
                places: vec![Place::Nowhere; n],
                held: 0,
                end: 0,
            }),
        })
    }

    /// Keeps the result of the `i`th file as checked: what the batch adds
    /// (verdict, scores, judgment) is not kept.
    pub fn put(&self, i: usize, r: &FileReport) -> Result<(), Error> {
        {
            let mut inner = self.lock();
            if inner.held < HELD {
                inner.held += 1;
                if let Some(place) = inner.places.get_mut(i) {
                    *place = Place::Held(Box::new(as_checked(r.clone())));
                }
                return Ok(());
            }
        }
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
        let bytes =
            rmp_serde::to_vec_named(&kept).map_err(|e| error(None, std::io::Error::other(e)))?;
        let mut inner = self.lock();
        let at = inner.end;
        let written = inner.file().and_then(|f| {
            f.seek(SeekFrom::Start(at))?;
            f.write_all(&bytes)
        });
        written.map_err(|e| error(inner.dir.as_ref(), e))?;
        inner.end += bytes.len() as u64;
        if let Some(place) = inner.places.get_mut(i) {
            *place = Place::Written(at, bytes.len() as u64);
        }
        Ok(())
    }

    /// Keeps the `i`th result as the batch concluded it (its shared texts
    /// found, its judgment made) in place of the result as checked, when it
    /// is held in memory, so that the report reads it back concluded (see
    /// [`Store::concluded`]) rather than concluding it again. A result
    /// written to the file stays as checked: writing it again would cost
    /// more than concluding it again.
    pub fn keep_concluded(&self, i: usize, r: FileReport) {
        let mut inner = self.lock();
        if let Some(place @ Place::Held(_)) = inner.places.get_mut(i) {
            *place = Place::Concluded(Box::new(r));
        }
    }

    /// The result of the `i`th file as the batch concluded it, when the
    /// store kept it so (see [`Store::keep_concluded`]).
    pub fn concluded(&self, i: usize) -> Option<FileReport> {
        match self.lock().places.get(i) {
            Some(Place::Concluded(r)) => Some(FileReport::clone(r)),
            _ => None,
        }
    }

    /// Keeps, in place of the `i`th result, what the report prints of it
    /// (`text`): in memory when the result was held, else written after the
    /// results in the file. The result itself is no longer kept.
    pub fn keep_rendered(&self, i: usize, text: String) -> Result<(), Error> {
        let mut inner = self.lock();
        match inner.places.get_mut(i) {
            Some(place @ (Place::Held(_) | Place::Concluded(_) | Place::Rendered(_))) => {
                *place = Place::Rendered(text);
                return Ok(());
            }
            Some(Place::Written(..) | Place::RenderedWritten(..)) => {}
            Some(Place::Nowhere) | None => return Err(nothing_kept(inner.dir.as_ref(), i)),
        }
        let at = inner.end;
        let written = inner.file().and_then(|f| {
            f.seek(SeekFrom::Start(at))?;
            f.write_all(text.as_bytes())
        });
        written.map_err(|e| error(inner.dir.as_ref(), e))?;
        inner.end += text.len() as u64;
        if let Some(place) = inner.places.get_mut(i) {
            *place = Place::RenderedWritten(at, text.len() as u64);
        }
        Ok(())
    }

    /// What the report prints of the `i`th result, as [`Store::keep_rendered`]
    /// kept it.
    pub fn rendered(&self, i: usize) -> Result<String, Error> {
        let mut inner = self.lock();
        let (at, len) = match inner.places.get(i) {
            Some(Place::Rendered(text)) => return Ok(text.clone()),
            Some(Place::RenderedWritten(at, len)) => (*at, *len),
            _ => return Err(nothing_kept(inner.dir.as_ref(), i)),
        };
        let bytes = inner.read(at, len)?;
        String::from_utf8(bytes).map_err(|e| error(inner.dir.as_ref(), std::io::Error::other(e)))
    }

    /// The result of the `i`th file, as it was kept (as checked, or as
    /// concluded: see [`Store::concluded`]).
    pub fn get(&self, i: usize) -> Result<FileReport, Error> {
        let mut inner = self.lock();
        let (at, len) = match inner.places.get(i) {
            Some(Place::Held(r) | Place::Concluded(r)) => return Ok(FileReport::clone(r)),
            Some(Place::Written(at, len)) => (*at, *len),
            _ => return Err(nothing_kept(inner.dir.as_ref(), i)),
        };
        let bytes = inner.read(at, len)?;
        drop(inner);
        let kept: Kept<'_> =
            rmp_serde::from_slice(&bytes).map_err(|e| error(None, std::io::Error::other(e)))?;
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
}

/// A result as the store gives it back: what the batch adds left out.
fn as_checked(mut r: FileReport) -> FileReport {
    r.verdict = None;
    r.score = None;
    r.judgment = None;
    r.criteria = Vec::new();
    r.themes = Vec::new();
    r.before_decisions = None;
    r
}

/// An input or output error of the store, naming its folder (or the
/// temporary folder, before it is made).
fn error(dir: Option<&PathBuf>, e: std::io::Error) -> Error {
    Error::Io(dir.cloned().unwrap_or_else(std::env::temp_dir), e)
}

/// The error for a result the store does not have (never kept, or given
/// way to what the report prints of it).
fn nothing_kept(dir: Option<&PathBuf>, i: usize) -> Error {
    let e = std::io::Error::other(format!("no result kept for file {}", i + 1));
    error(dir, e)
}

impl Inner {
    /// `len` bytes of the file, from `at`.
    fn read(&mut self, at: u64, len: u64) -> Result<Vec<u8>, Error> {
        let mut bytes = vec![0; usize::try_from(len).unwrap_or(0)];
        let read = self.file().and_then(|f| {
            f.seek(SeekFrom::Start(at))?;
            f.read_exact(&mut bytes)
        });
        read.map_err(|e| error(self.dir.as_ref(), e))?;
        Ok(bytes)
    }

    /// The store's file, made in a private folder the first time.
    fn file(&mut self) -> std::io::Result<&mut File> {
        if self.file.is_none() {
            let (dir, file) = private(&std::env::temp_dir())?;
            self.file = Some(file);
            self.dir = Some(dir);
            if cfg!(unix) {
                self.remove(); // the open file lives on, under no name
            }
        }
        (self.file.as_mut()).ok_or_else(|| std::io::Error::other("the store is closed"))
    }

    /// Removes the folder and its file (an open file stays readable on Unix).
    fn remove(&mut self) {
        if let Some(dir) = self.dir.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        let mut inner = self.lock();
        inner.file = None;
        inner.remove();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_as_kept_whether_held_or_written() {
        let n = HELD + 3;
        let store = Store::new(n).unwrap();
        let report = |i: usize| {
            let mut r = FileReport::error(
                format!("offre-{i}.xlsx"),
                format!("{i:064}"),
                "illisible".into(),
            );
            r.score = Some(1.0);
            r
        };
        // kept out of order, as a batch's threads finish
        for i in (0..n).rev() {
            store.put(i, &report(i)).unwrap();
        }
        assert!(
            store.lock().file.is_some(),
            "the results past the held ones are written"
        );
        for i in 0..n {
            let got = store.get(i).unwrap();
            assert_eq!(got.file, format!("offre-{i}.xlsx"));
            assert_eq!(got.error.as_deref(), Some("illisible"));
            assert_eq!(got.score, None, "what the batch adds is not kept");
            // read twice: the report needs each result twice
            assert_eq!(store.get(i).unwrap().sha256, got.sha256);
        }
        assert!(store.get(n).is_err());
    }

    #[test]
    fn a_result_held_comes_back_concluded_and_one_written_as_checked() {
        let n = HELD + 1;
        let store = Store::new(n).unwrap();
        let checked = |i: usize| {
            FileReport::error(format!("offre-{i}.xlsx"), String::new(), "illisible".into())
        };
        for i in 0..n {
            store.put(i, &checked(i)).unwrap();
            assert!(store.concluded(i).is_none(), "nothing concluded yet");
        }
        // the batch concludes each result and hands it back
        for i in 0..n {
            let mut r = store.get(i).unwrap();
            r.score = Some(i as f64);
            store.keep_concluded(i, r);
        }
        let first = store.concluded(0).expect("a result held is kept concluded");
        assert_eq!(
            (first.file.as_str(), first.score),
            ("offre-0.xlsx", Some(0.0))
        );
        assert!(
            store.concluded(HELD).is_none(),
            "a result written stays as checked, to be concluded again"
        );
        assert_eq!(store.get(HELD).unwrap().score, None);
    }

    #[test]
    fn what_the_report_prints_of_a_result_takes_its_place_held_or_written() {
        let n = HELD + 2;
        let store = Store::new(n).unwrap();
        for i in 0..n {
            let r = FileReport::error(format!("offre-{i}.xlsx"), String::new(), "illisible".into());
            store.put(i, &r).unwrap();
        }
        // concluded in any order, as the batch's threads finish
        for i in (0..n).rev() {
            let r = store.get(i).unwrap();
            store
                .keep_rendered(i, format!("\n{} — « illisible »\n", r.file))
                .unwrap();
        }
        for i in 0..n {
            let text = store.rendered(i).unwrap();
            assert_eq!(text, format!("\noffre-{i}.xlsx — « illisible »\n"));
            assert!(store.get(i).is_err(), "the result itself is no longer kept");
        }
        assert!(store.rendered(n).is_err());
        let never = Store::new(1).unwrap();
        assert!(
            never.keep_rendered(0, "x".into()).is_err(),
            "nothing kept yet"
        );
    }
}
