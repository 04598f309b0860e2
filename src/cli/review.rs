//! `--decisions` and `--marks`, shared by `check` and `compare`: what legal
//! staff and the evaluation committee typed in the scoring workbook, read
//! before any file is checked (a workbook that cannot be read stops the
//! command at once) and applied to the report.

use std::path::{Path, PathBuf};

use crate::Error;
use crate::check::Basis;
use crate::report::{self, Report, decisions, marks};
use crate::text::Lang;

/// The review options.
#[derive(Debug, Clone, clap::Args)]
pub struct Review {
    /// Apply the decisions legal staff typed in a scoring workbook (made by --format xlsx).
    #[arg(long, value_name = "WORKBOOK")]
    pub decisions: Option<PathBuf>,
    /// Apply the evaluation committee's marks typed in a scoring workbook's
    /// marking sheet (made by --format xlsx); without them, the ranking is provisional.
    #[arg(long, value_name = "WORKBOOK")]
    pub marks: Option<PathBuf>,
}

/// The review, read.
pub struct Read {
    decisions: Option<decisions::Decisions>,
    marks: Option<marks::Marks>,
}

impl Review {
    /// The workbooks given, which the checker passes over as returned files.
    pub fn files(&self) -> impl Iterator<Item = PathBuf> + '_ {
        self.decisions.iter().chain(&self.marks).cloned()
    }

    /// Refuses `output` when it is one of the files a batch command reads:
    /// the offers named, the lock, the profile, these workbooks.
    pub fn refuse_as_output(
        &self,
        output: &Path,
        paths: &[PathBuf],
        lock: Option<&PathBuf>,
        source: &super::Source,
    ) -> Result<(), Error> {
        let review = self.files().collect::<Vec<_>>();
        let inputs = (paths.iter().chain(lock).chain(&source.profile))
            .chain(&review)
            .map(PathBuf::as_path)
            .collect::<Vec<_>>();
        crate::output::refuse_input(output, &inputs)
    }

    /// Reads the workbooks given.
    pub fn read(&self, lang: Lang) -> Result<Read, Error> {
        Ok(Read {
            decisions: (self.decisions.as_deref())
                .map(|p| decisions::read(p, lang))
                .transpose()?,
            marks: (self.marks.as_deref())
                .map(|p| marks::read(p, lang))
                .transpose()?,
        })
    }
}

impl Read {
    /// Whether no workbook was given.
    pub fn is_empty(&self) -> bool {
        self.decisions.is_none() && self.marks.is_none()
    }

    /// Takes the decisions kept in a dossier (`kept`) before those of the
    /// workbook given, if any: the workbook's win on a finding both decide.
    pub fn after_kept(&mut self, kept: decisions::Decisions, lang: Lang) {
        self.decisions = Some(match self.decisions.take() {
            Some(typed) => decisions::then(kept, typed, lang),
            None => kept,
        });
    }

    /// Takes the marks kept in a dossier (`kept`) before those of the
    /// workbook given, if any: the workbook's win on an element both mark.
    pub fn after_kept_marks(&mut self, kept: marks::Marks, lang: Lang) {
        self.marks = Some(match self.marks.take() {
            Some(typed) => marks::then(kept, typed, lang),
            None => kept,
        });
    }

    /// Applies the marks, then the decisions, and says what became of them.
    pub fn apply(self, report: &mut Report, basis: &Basis) {
        if let Some(m) = self.marks {
            marks::apply(report, basis, m);
            tell_marks(report);
        }
        if let Some(d) = self.decisions {
            report::decisions::apply(report, basis, d);
            tell_decisions(report);
        }
    }
}

fn tell_marks(report: &Report) {
    let Some(m) = &report.marks else { return };
    eprintln!(
        "boussole: {} mark(s) read from {}, {} applied",
        m.read, m.source, m.applied
    );
    for o in &m.orphans {
        eprintln!(
            "boussole: warning: row {} of {}: no element {} of a ranked offer with this file fingerprint; mark not applied",
            o.row,
            crate::text::terminal(&m.source),
            crate::text::terminal(&o.question)
        );
    }
    for w in &m.warnings {
        eprintln!(
            "boussole: warning: {}: {}",
            crate::text::terminal(&m.source),
            crate::text::terminal(w)
        );
    }
}

/// Says on standard error what became of the decisions read.
pub fn tell_decisions(report: &Report) {
    let Some(d) = &report.decisions else { return };
    eprintln!(
        "boussole: {} decision(s) read from {}, {} applied",
        d.read, d.source, d.applied
    );
    for o in &d.orphans {
        eprintln!(
            "boussole: warning: row {} of {}: no finding {} ({}) in {} any more; decision not applied",
            o.row,
            crate::text::terminal(&d.source),
            crate::text::terminal(&o.question),
            o.code,
            crate::text::terminal(if o.file.is_empty() {
                &o.sha256
            } else {
                &o.file
            })
        );
    }
    for w in &d.warnings {
        eprintln!(
            "boussole: warning: {}: {}",
            crate::text::terminal(&d.source),
            crate::text::terminal(w)
        );
    }
}
