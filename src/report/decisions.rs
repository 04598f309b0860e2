//! The legal-review loop: decisions typed in the scoring workbook, read
//! back and applied to the next report (`boussole check --decisions`).
//!
//! The points sheet of [`super::workbook`] has one row per finding and, for
//! legal staff, a decision (finding lifted, finding confirmed,
//! clarification requested; the words of earlier workbooks, « accepté » and
//! « rejeté », still read),
//! a reviewer, a date and a comment. [`read`] reads them back from the
//! buyer's own workbook, still defensively: size cap and package bounds
//! before calamine opens it, the sheet and the header row found by name (in
//! either language), columns mapped by header, and each row matched to a
//! finding by the file's SHA-256 (and, when the batch holds byte-identical
//! files, the file the row names), the question id and the finding's code —
//! never by position: legal staff may sort, filter, insert or delete rows
//! and columns.
//!
//! [`apply`] attaches each decision to its finding, in every report format.
//! A *lifted* finding stops counting in the offer's judgment: a regularity
//! question no longer makes the offer irregular or to regularise, and the
//! finding no longer makes reservations (see [`crate::judgment::conclude`]);
//! a decision never adds points. The finding stays in the report with the
//! decision, and the verdict and score before the decisions are kept beside
//! the new ones. *Confirmed* and *clarification requested*
//! change nothing but the record. A decision whose finding is not in the
//! report (the vendor sent a new file, or the finding is gone) is reported
//! as an orphan, never dropped silently; so are rows that cannot be read,
//! and the same finding decided twice differently (neither decision applies).

mod included;
mod kept;
pub(crate) mod read;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;

use super::{FileStatus, Report};
use crate::check::{Basis, Verdict};
use crate::finding::{Code, Decision, DecisionKind};
use crate::office::typography;
use crate::text::{self, Lang};

pub use included::{Included, date_in_words, decided, included};
pub use kept::{from_dossier, sources, then, typed_last};
pub use read::{MAX_COLUMNS, MAX_FILE_SIZE, MAX_ROWS, parse_decision, read};

/// A column of the points sheet: the contract between the workbook that
/// writes it and [`read`], which finds columns by these headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Column {
    /// The vendor's name.
    Vendor,
    /// The question's severity.
    Severity,
    /// The kind of finding.
    Status,
    /// The criterion.
    Criterion,
    /// The question id.
    Question,
    /// The question as issued.
    QuestionText,
    /// The vendor's answer.
    Answer,
    /// The vendor's comment.
    Comment,
    /// The rule in words, and why it failed.
    Rule,
    /// The clauses at stake.
    Clauses,
    /// The legal basis.
    Legal,
    /// Legal staff's decision (a drop-down).
    Decision,
    /// Who decided.
    Reviewer,
    /// When.
    Date,
    /// Why.
    ReviewComment,
    /// The finding's code.
    Code,
    /// The file checked.
    File,
    /// The file's SHA-256.
    Sha256,
}

impl Column {
    /// Every column, in the sheet's order: who, which question, the
    /// vendor's answer and the finding, then the decision beside it, then
    /// what grounds the finding (question text, clauses, legal basis); the
    /// columns kept for reading the sheet back come last. Workbooks made
    /// before had the decision after the legal basis: [`read`] finds each
    /// column by its header, wherever it is.
    pub const ALL: [Column; 18] = [
        Column::Vendor,
        Column::Severity,
        Column::Question,
        Column::Answer,
        Column::Status,
        Column::Rule,
        Column::Decision,
        Column::Reviewer,
        Column::Date,
        Column::ReviewComment,
        Column::QuestionText,
        Column::Criterion,
        Column::Comment,
        Column::Clauses,
        Column::Legal,
        Column::Code,
        Column::File,
        Column::Sha256,
    ];

    /// The column's width in the points sheet, in characters.
    pub fn width(self) -> f64 {
        match self {
            Column::Vendor => 26.0,
            Column::Severity => 13.0,
            Column::Question => 10.0,
            Column::Answer => 36.0,
            Column::Status => 16.0,
            Column::Rule => 40.0,
            Column::Decision => 18.0,
            Column::Reviewer => 14.0,
            Column::Date => 14.0,
            Column::ReviewComment => 34.0,
            Column::QuestionText => 40.0,
            Column::Criterion => 22.0,
            Column::Comment => 30.0,
            Column::Clauses => 24.0,
            Column::Legal => 30.0,
            Column::Code => 16.0,
            Column::File => 24.0,
            Column::Sha256 => 20.0,
        }
    }

    /// The header, French then English.
    fn headers(self) -> [&'static str; 2] {
        match self {
            Column::Vendor => ["Soumissionnaire", "Vendor"],
            Column::Severity => ["Gravité", "Severity"],
            Column::Status => ["Constat", "Finding"],
            Column::Criterion => ["Critère", "Criterion"],
            Column::Question => ["Question", "Question"],
            Column::QuestionText => ["Intitulé de la question", "Question text"],
            Column::Answer => ["Réponse du soumissionnaire", "Vendor's answer"],
            Column::Comment => ["Commentaire du soumissionnaire", "Vendor's comment"],
            Column::Rule => ["Règle et motif", "Rule and reason"],
            Column::Clauses => ["Clauses", "Clauses"],
            Column::Legal => ["Base légale", "Legal basis"],
            Column::Decision => ["Décision", "Decision"],
            Column::Reviewer => ["Relecteur", "Reviewer"],
            Column::Date => ["Date de la décision", "Decision date"],
            Column::ReviewComment => ["Commentaire du relecteur", "Reviewer's comment"],
            Column::Code => ["Code", "Code"],
            Column::File => ["Fichier", "File"],
            Column::Sha256 => ["SHA-256 du fichier", "File SHA-256"],
        }
    }

    /// The header in `lang`.
    pub fn header(self, lang: Lang) -> &'static str {
        self.headers()[usize::from(lang == Lang::En)]
    }

    /// The columns [`read`] cannot do without.
    const NEEDED: [Column; 4] = [
        Column::Sha256,
        Column::Question,
        Column::Code,
        Column::Decision,
    ];
}

/// The points sheet's name in `lang`.
pub fn sheet_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "Points à examiner",
        Lang::En => "Points to examine",
    }
}

/// The decisions read from a workbook.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Decisions {
    /// The workbook, as given.
    pub source: String,
    /// Its SHA-256.
    pub sha256: String,
    /// One per finding decided, in sheet order.
    pub entries: Vec<Entry>,
    /// Rows passed over, and why.
    pub warnings: Vec<String>,
}

/// One decision and the finding it is about.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The row in the sheet (1-based, as office applications number rows).
    pub row: u32,
    /// The SHA-256 of the file the finding is about.
    pub sha256: String,
    /// Question id.
    pub question: String,
    /// The finding's code.
    pub code: Code,
    /// The vendor, as the sheet names it.
    pub vendor: String,
    /// The file, as the sheet names it.
    pub file: String,
    /// The decision.
    pub decision: Decision,
}

impl Entry {
    /// The finding decided, in the file the row names.
    fn key(&self) -> (String, String, String, Code) {
        (
            self.sha256.clone(),
            self.file.clone(),
            self.question.clone(),
            self.code,
        )
    }
}

/// Which file of the batch a row of a review workbook is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Addressed {
    /// The file at this index of the report's results.
    File(usize),
    /// No file of the batch has the row's SHA-256.
    Absent,
    /// Several byte-identical files have it, and the row names none of them
    /// alone: their names.
    Ambiguous(Vec<String>),
}

/// The file of `results` a row giving `sha256` and `file` is about: the one
/// file with that SHA-256; when the batch holds several byte-identical
/// files, the one the row names — by its path as the report gave it, else
/// by its name alone if only one of the copies bears it. Each copy is an
/// offer of its own, judged on its own: a decision on one never carries to
/// another.
pub(crate) fn addressed(results: &[super::FileReport], sha256: &str, file: &str) -> Addressed {
    let copies: Vec<usize> = (0..results.len())
        .filter(|&i| results[i].sha256 == sha256)
        .collect();
    match copies[..] {
        [] => return Addressed::Absent,
        [one] => return Addressed::File(one),
        _ => {}
    }
    let name = |s: &str| {
        std::path::Path::new(s)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
    };
    let by_path: Vec<usize> = copies
        .iter()
        .copied()
        .filter(|&i| results[i].file == file)
        .collect();
    let by_name: Vec<usize> = copies
        .iter()
        .copied()
        .filter(|&i| name(&results[i].file).is_some_and(|n| Some(n) == name(file)))
        .collect();
    match (&by_path[..], &by_name[..]) {
        ([one], _) | ([], [one]) => Addressed::File(*one),
        _ => Addressed::Ambiguous(copies.iter().map(|&i| results[i].file.clone()).collect()),
    }
}

/// The legal review as the report records it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Applied {
    /// The decisions workbook, as given.
    pub source: String,
    /// Its SHA-256.
    pub sha256: String,
    /// Decisions read.
    pub read: usize,
    /// Decisions matched to a finding of this report.
    pub applied: usize,
    /// Decisions whose finding is not in this report.
    pub orphans: Vec<Orphan>,
    /// Rows passed over, and why.
    pub warnings: Vec<String>,
}

/// A decision whose finding is not in the report: the file changed, or the
/// finding is gone.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Orphan {
    /// The row in the decisions sheet.
    pub row: u32,
    /// The file, as the sheet names it.
    pub file: String,
    /// The vendor, as the sheet names it.
    pub vendor: String,
    /// The SHA-256 of the file the decision was about.
    pub sha256: String,
    /// Question id.
    pub question: String,
    /// The finding's code.
    pub code: Code,
    /// The decision.
    pub decision: Decision,
}

/// A file's verdict and score as judged, before decisions.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Judged {
    /// The verdict.
    pub verdict: Verdict,
    /// The compass score, out of 100; null when the offer was irregular.
    pub score: Option<f64>,
}

/// Attaches `decisions` to the findings of `report`, concludes again the
/// batch, and records the review in the report.
///
/// Each row is matched to the file of the batch it is about: the one file
/// with its SHA-256, or among byte-identical files the one it names. Rows
/// on the same finding of the same file with different decisions are all
/// passed over, with a warning, and so is a row on one of several
/// byte-identical files that does not say which.
pub fn apply(report: &mut Report, basis: &Basis, decisions: Decisions) {
    let lang = basis.lang;
    let mut warnings = decisions.warnings;
    // rows passed over with a warning: neither applied nor orphans
    let mut passed_over = BTreeSet::new();
    let mut by_finding: BTreeMap<(usize, &str, Code), Vec<&Entry>> = BTreeMap::new();
    for e in &decisions.entries {
        match addressed(&report.results, &e.sha256, &e.file) {
            Addressed::File(i) => by_finding
                .entry((i, e.question.as_str(), e.code))
                .or_default()
                .push(e),
            Addressed::Absent => {}
            Addressed::Ambiguous(copies) => {
                let copies = copies.join(", ");
                let named = if e.file.is_empty() { "—" } else { &e.file };
                warnings.push(t(
                    lang,
                    &format!("ligne {} : le lot contient des fichiers identiques ({copies}) et la ligne ne désigne pas l'un d'eux (fichier « {named} ») ; décision ignorée", e.row),
                    &format!("row {}: the batch holds identical files ({copies}) and the row does not name one of them (file \"{named}\"); decision passed over", e.row),
                ));
                passed_over.insert(e.row);
            }
        }
    }
    let mut chosen: BTreeMap<(usize, String, Code), &Entry> = BTreeMap::new();
    for ((i, question, code), group) in &by_finding {
        if group.iter().any(|e| e.decision != group[0].decision) {
            let rows: Vec<String> = group.iter().map(|e| e.row.to_string()).collect();
            let (rows, file) = (rows.join(", "), &report.results[*i].file);
            warnings.push(t(lang, &format!("lignes {rows} : décisions différentes sur le même constat ({file}, {question} {code}) ; aucune n'est appliquée"), &format!("rows {rows}: different decisions on the same finding ({file}, {question} {code}); none is applied")));
            passed_over.extend(group.iter().map(|e| e.row));
        } else {
            chosen.insert((*i, question.to_string(), *code), group[0]);
        }
    }
    let mut used = BTreeSet::new();
    let mut applied = 0;
    for (i, r) in report
        .results
        .iter_mut()
        .enumerate()
        .filter(|(_, r)| r.status == FileStatus::Ok)
    {
        let mut waived = BTreeSet::new();
        for f in &mut r.findings {
            let key = (i, f.question.clone(), f.code);
            if let Some(e) = chosen.get(&key) {
                f.decision = Some(e.decision.clone());
                if e.decision.decision == DecisionKind::Lifted {
                    waived.insert(f.question.clone());
                }
                applied += 1;
                used.extend(
                    by_finding[&(i, f.question.as_str(), f.code)]
                        .iter()
                        .map(|e| e.row),
                );
            }
        }
        if let (false, Some(verdict)) = (waived.is_empty(), r.verdict) {
            r.before_decisions = Some(Judged {
                verdict,
                score: r.score,
            });
        }
    }
    super::batch::conclude(&mut report.results, basis);
    for r in &mut report.results {
        if r.before_decisions
            .as_ref()
            .is_some_and(|b| Some(b.verdict) == r.verdict && b.score == r.score)
        {
            r.before_decisions = None;
        }
    }
    let orphans = decisions
        .entries
        .iter()
        .filter(|e| !used.contains(&e.row) && !passed_over.contains(&e.row))
        .map(|e| Orphan {
            row: e.row,
            file: e.file.clone(),
            vendor: e.vendor.clone(),
            sha256: e.sha256.clone(),
            question: e.question.clone(),
            code: e.code,
            decision: e.decision.clone(),
        })
        .collect();
    report.decisions = Some(Applied {
        source: decisions.source,
        sha256: decisions.sha256,
        read: decisions.entries.len(),
        applied,
        orphans,
        warnings,
    });
}

fn t(lang: Lang, fr: &str, en: &str) -> String {
    if lang == Lang::Fr { fr } else { en }.to_string()
}

/// Who decided what and when, for the text and Markdown reports: every
/// decision applied, the verdicts it changed, orphans and rows passed over.
pub fn summary(report: &Report, lang: Lang, md: bool) -> String {
    let Some(applied) = &report.decisions else {
        return String::new();
    };
    let h = if md { "## " } else { "" };
    let field = |s: &str| super::text::literal(s, md);
    let mut o = String::new();
    let _ = writeln!(
        o,
        "\n{h}{} — {} ({}, {} {})",
        t(lang, "Décisions juridiques", "Legal decisions"),
        field(&applied.source),
        crate::text::counted(
            applied.read,
            lang,
            ("décision lue", "décisions lues"),
            ("decision read", "decisions read")
        ),
        applied.applied,
        t(lang, "appliquées", "applied"),
    );
    if md {
        o.push('\n');
    }
    for i in included(report, lang) {
        let mut line = format!(
            "{} — {} {} : {}",
            i.offer, i.question, i.finding, i.decision
        );
        if !i.comment.is_empty() {
            line += &format!(" (« {} »)", i.comment);
        }
        line += &format!(" — {}", i.by(lang));
        let _ = writeln!(o, "- {}", field(&typography::apply(&line, lang)));
    }
    for r in &report.results {
        if let (Some(before), Some(verdict)) = (&r.before_decisions, r.verdict) {
            let _ = writeln!(
                o,
                "- {} — {} : {} ({}) → {} ({})",
                field(&r.file),
                t(lang, "avant/après décisions", "before/after decisions"),
                before.verdict.label(lang),
                before.score.map_or_else(
                    || t(lang, "écartée", "set aside"),
                    |s| text::number((s * 10.0).round() / 10.0, lang)
                ),
                verdict.label(lang),
                r.score_text(lang),
            );
        }
    }
    for orphan in &applied.orphans {
        let what = field(if orphan.file.is_empty() {
            &orphan.sha256
        } else {
            &orphan.file
        });
        let _ = writeln!(
            o,
            "- {} {} : {what} — {} ({}) : {}",
            t(
                lang,
                "Sans constat correspondant, ligne",
                "No matching finding, row"
            ),
            orphan.row,
            field(&orphan.question),
            orphan.code,
            field(&decided(&orphan.decision, lang)),
        );
    }
    for w in &applied.warnings {
        let _ = writeln!(o, "- {}", field(w));
    }
    o
}
