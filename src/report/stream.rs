//! A batch checked with memory flat in its size, for the reports written
//! one file after another (JSON, text, Markdown).
//!
//! Each file's full result, once checked, goes to a [`Store`] on disk; the
//! batch keeps only its [`Summary`]. The batch is then concluded from the
//! summaries, by the functions that conclude a batch kept in memory
//! ([`batch`]): each result is read back, its shared-text findings added
//! and concluded with the batch's best values; the report then writes it
//! with its rank.
//!
//! What each result is kept as, once concluded, depends on the report the
//! batch is checked for ([`Target`]). For the summary (terminal or
//! Markdown), what it prints of each offer is rendered as soon as the offer
//! is concluded and kept in the result's place: each offer read back and
//! judged once. For the JSON report, a result the store holds in memory is
//! kept as concluded and written as it is; one the store wrote to its file
//! is read back and concluded again when the report writes it (writing it
//! again would cost more). Either report is the same, byte for byte, as
//! the one written from the same batch kept in memory ([`Report::to_json`],
//! [`text::render`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;
use serde::ser::SerializeSeq;

use super::ahead;
use super::batch::{self, Sharings, Summary};
use super::store::Store;
use super::{
    FileReport, FileStatus, LibraryRef, ProfileRef, Report, Returned, Skipped, Tool, text,
};
use crate::Error;
use crate::check::suspect::Interner;
use crate::check::{Basis, Verdict};
use crate::judgment::{self, Judgment};
use crate::text::Lang;

/// The report a streamed batch is checked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The JSON report, every result whole.
    Json,
    /// The summary, for the terminal or in Markdown (`md`).
    Summary {
        /// The language it is written in.
        lang: Lang,
        /// In Markdown.
        md: bool,
    },
}

/// A batch checked, its results in a store, concluded.
#[derive(Debug)]
pub struct Streamed<'b> {
    basis: &'b Basis,
    /// The report it is written as.
    target: Target,
    /// The report without its results.
    head: Report,
    store: Store,
    summaries: Vec<Summary>,
    sharings: Sharings,
    best: BTreeMap<String, f64>,
    /// Threads to read results back on.
    jobs: usize,
}

/// Results read back ahead of their writing, per thread.
const AHEAD: usize = 8;

/// Checks `files` on up to `jobs` threads, as [`super::check_all`] does,
/// keeping each result in a store as soon as it is checked, then concludes
/// the batch for the `target` report; `first`, when given, is the first
/// file already read. Fails only when the store cannot be written or read.
pub fn check<'b>(
    files: &[PathBuf],
    first: Option<Returned>,
    (basis, target): (&'b Basis, Target),
    isolate: Option<&Path>,
    jobs: usize,
    progress: &(dyn Fn(usize) + Sync),
    skipped: Vec<Skipped>,
) -> Result<Streamed<'b>, Error> {
    let store = Store::new(files.len())?;
    let interner = Mutex::new(Interner::default());
    let failed: Mutex<Option<Error>> = Mutex::new(None);
    let indices: Vec<usize> = (0..files.len()).collect();
    let first = Mutex::new(first);
    // Each file's summary has its room before any file is read (see
    // `Summary::room`).
    let rooms: Vec<Mutex<Option<Summary>>> = (files.iter())
        .map(|f| Mutex::new(Some(Summary::room(f.display().to_string(), basis))))
        .collect();
    let summaries = super::in_parallel(&indices, jobs, progress, |&i| {
        let read = (i == 0)
            .then(|| first.lock().unwrap_or_else(|e| e.into_inner()).take())
            .flatten();
        let r = match read {
            Some(returned) => returned.judge(basis),
            None => super::check_file(&files[i], basis, isolate),
        };
        let room = (rooms.get(i)).and_then(|r| r.lock().unwrap_or_else(|e| e.into_inner()).take());
        let mut s = room.unwrap_or_else(|| Summary::room(String::new(), basis));
        s.fill(&r, basis);
        s.intern(&mut interner.lock().unwrap_or_else(|e| e.into_inner()));
        if let Err(e) = store.put(i, &r) {
            failed
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get_or_insert(e);
        }
        s
    });
    if let Some(e) = failed.into_inner().unwrap_or_else(|e| e.into_inner()) {
        return Err(e);
    }
    drop(interner);
    streamed((basis, target), skipped, store, summaries, jobs)
}

/// A batch whose results are in `store`, concluded from their `summaries`
/// (each result read back and concluded on up to `jobs` threads) and kept
/// as the `target` report needs it.
fn streamed(
    (basis, target): (&Basis, Target),
    skipped: Vec<Skipped>,
    store: Store,
    mut summaries: Vec<Summary>,
    jobs: usize,
) -> Result<Streamed<'_>, Error> {
    let sharings = Sharings::of(&summaries);
    for s in &mut summaries {
        s.texts = Vec::new();
    }
    let best = batch::best_values(&summaries, basis);
    let mut b = Streamed {
        basis,
        target,
        head: super::report(basis, skipped, Vec::new()),
        store,
        summaries,
        sharings,
        best,
        jobs,
    };
    let indices: Vec<usize> = (0..b.summaries.len()).collect();
    let concluded = super::in_parallel(&indices, jobs, &|_| {}, |&i| {
        let r = b.concluded(i)?;
        let judgment = r.judgment.as_ref().map(Judgment::lean);
        let kept = (r.verdict, r.score, judgment);
        match target {
            Target::Summary { lang, md } => {
                let points = text::points(&r, &basis.selection, lang, md);
                b.store.keep_rendered(i, points)?;
            }
            Target::Json => b.store.keep_concluded(i, r),
        }
        Ok(kept)
    });
    for (s, c) in b.summaries.iter_mut().zip(concluded) {
        (s.verdict, s.score, s.judgment) = c?;
    }
    let mut judgments: Vec<&mut Judgment> = (b.summaries.iter_mut())
        .filter_map(|s| s.judgment.as_mut())
        .collect();
    judgment::rank(&mut judgments);
    Ok(b)
}

impl Streamed<'_> {
    /// The `i`th result read back, its shared texts found, concluded with
    /// the batch (its rank aside): as the store kept it once concluded, or
    /// concluded now when the store kept it as checked.
    fn concluded(&self, i: usize) -> Result<FileReport, Error> {
        if let Some(r) = self.store.concluded(i) {
            return Ok(r);
        }
        let mut r = self.store.get(i)?;
        let lang = self.basis.lang;
        let who = |o: usize| {
            let s = &self.summaries[o];
            (s.vendor_label(lang), s.file.clone())
        };
        self.sharings.add(&mut r, i, self.basis, &who);
        batch::conclude_one(&mut r, self.basis, &self.best);
        Ok(r)
    }

    /// The `i`th result as the report holds it: concluded and ranked.
    fn result(&self, i: usize) -> Result<FileReport, Error> {
        let mut r = self.concluded(i)?;
        let rank = (self.summaries[i].judgment.as_ref()).and_then(|j| j.rank);
        if let Some(j) = r.judgment.as_mut() {
            j.rank = rank;
        }
        Ok(r)
    }

    /// Hands `consume` the results of the files `order` names, in that
    /// order, as [`Streamed::result`]: read back and concluded on the
    /// batch's threads, a few ahead of their writing.
    fn with_results<O>(
        &self,
        order: &[usize],
        consume: impl FnOnce(&mut dyn Iterator<Item = Result<FileReport, Error>>) -> O,
    ) -> O {
        let ahead = AHEAD * self.jobs.max(1);
        ahead::in_order(order, self.jobs, ahead, |&i| self.result(i), consume)
    }

    /// How many files the batch holds.
    pub fn len(&self) -> usize {
        self.summaries.len()
    }

    /// Whether the batch holds no file.
    pub fn is_empty(&self) -> bool {
        self.summaries.is_empty()
    }

    /// Exit status, as [`Report::exit_code`].
    pub fn exit_code(&self) -> u8 {
        if self.summaries.iter().any(|s| s.status == FileStatus::Error) {
            2
        } else if (self.summaries.iter())
            .any(|s| matches!(s.verdict, Some(Verdict::NonCompliant | Verdict::Incomplete)))
        {
            1
        } else {
            0
        }
    }

    /// Writes the report it was checked for to `out` (named `name` in errors).
    pub fn write(&self, out: &mut dyn std::io::Write, name: &Path) -> Result<(), Error> {
        match self.target {
            Target::Json => self.write_json(out, name),
            Target::Summary { lang, md } => self.write_summary(out, name, lang, md),
        }
    }

    /// Writes the JSON report, each result read back and written in turn.
    fn write_json(&self, out: &mut dyn std::io::Write, name: &Path) -> Result<(), Error> {
        let h = &self.head;
        let json = Json {
            tool: &h.tool,
            library: &h.library,
            profile: &h.profile,
            generated_at: &h.generated_at,
            skipped: &h.skipped,
            results: Results(self),
        };
        let io = |e| Error::Io(name.to_path_buf(), e);
        serde_json::to_writer_pretty(&mut *out, &json).map_err(|e| io(e.into()))?;
        out.write_all(b"\n").map_err(io)
    }

    /// Writes the summary for the terminal, or in Markdown (see
    /// [`text::write()`]), what it prints of each offer as kept when the
    /// offer was concluded.
    fn write_summary(
        &self,
        out: &mut dyn std::io::Write,
        name: &Path,
        lang: Lang,
        md: bool,
    ) -> Result<(), Error> {
        let head = text::Head {
            reference: &self.head.profile.reference,
            skipped: &self.head.skipped,
        };
        let lines: Vec<text::Line<'_>> = self.summaries.iter().map(text::Line::from).collect();
        let order = text::order(&lines);
        let mut points = order.iter().map(|&i| self.store.rendered(i));
        text::write((out, name), &head, &lines, &mut points, (lang, md))
    }
}

/// The JSON report: the fields of [`Report`], in its order, its results
/// written one by one (a streamed batch has no decisions nor marks).
#[derive(Serialize)]
struct Json<'a> {
    tool: &'a Tool,
    library: &'a LibraryRef,
    profile: &'a ProfileRef,
    generated_at: &'a str,
    skipped: &'a [Skipped],
    results: Results<'a>,
}

/// The results of a streamed batch, each read back as it is written.
struct Results<'a>(&'a Streamed<'a>);

impl Serialize for Results<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        let order: Vec<usize> = (0..self.0.len()).collect();
        self.0.with_results(&order, |results| {
            for r in results {
                seq.serialize_element(&r.map_err(serde::ser::Error::custom)?)?;
            }
            Ok(())
        })?;
        seq.end()
    }
}
