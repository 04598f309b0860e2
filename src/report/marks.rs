//! The evaluation committee's marks: the marking sheet of the scoring
//! workbook, read back (`boussole check --marks WORKBOOK`) and applied.
//!
//! boussole never marks free text. The scoring workbook has a sheet with one
//! row per offer and per element the committee marks: the question, the
//! vendor's words, the document it cites, the published levels, and a mark
//! cell (0 to 4) with a comment. [`read`] finds the sheet and its columns by
//! name, as for legal staff's decisions, and matches each row to its offer
//! by the file's SHA-256 (and, when the batch holds byte-identical files,
//! the file the row names) and the question id, never by position; [`apply`]
//! puts the marks on the offers' results and concludes the batch again.
//! Until every mark is in, the ranking is provisional and every report says
//! which marks are missing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;

use super::decisions::read::{Opened, is_sha256};
use super::decisions::{Addressed, addressed};
use super::{FileStatus, Report};
use crate::Error;
use crate::check::Basis;
use crate::scoring::COMMITTEE_MAX;
use crate::text::Lang;

/// A column of the marking sheet: the contract between the workbook that
/// writes it and [`read`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Column {
    /// The vendor's name.
    Vendor,
    /// The question id.
    Question,
    /// The question as issued.
    QuestionText,
    /// The vendor's answer.
    Answer,
    /// The supporting document it cites.
    Document,
    /// The published levels.
    Levels,
    /// The committee's mark, 0 to 4.
    Mark,
    /// The committee's reasons.
    Reasons,
    /// The file checked.
    File,
    /// The file's SHA-256.
    Sha256,
}

impl Column {
    /// Every column, in the sheet's order.
    pub const ALL: [Column; 10] = [
        Column::Vendor,
        Column::Question,
        Column::QuestionText,
        Column::Answer,
        Column::Document,
        Column::Levels,
        Column::Mark,
        Column::Reasons,
        Column::File,
        Column::Sha256,
    ];

    /// The columns [`read`] cannot do without.
    const NEEDED: [Column; 3] = [Column::Sha256, Column::Question, Column::Mark];

    fn headers(self) -> [&'static str; 2] {
        match self {
            Column::Vendor => ["Soumissionnaire", "Vendor"],
            Column::Question => ["Question", "Question"],
            Column::QuestionText => ["Intitulé de la question", "Question text"],
            Column::Answer => ["Réponse du soumissionnaire", "Vendor's answer"],
            Column::Document => ["Pièce citée", "Document cited"],
            Column::Levels => ["Niveaux publiés", "Published levels"],
            Column::Mark => ["Note de la commission (0 à 4)", "Committee's mark (0 to 4)"],
            Column::Reasons => ["Motifs de la note", "Reasons for the mark"],
            Column::File => ["Fichier", "File"],
            Column::Sha256 => ["SHA-256 du fichier", "File SHA-256"],
        }
    }

    /// The header in `lang`.
    pub fn header(self, lang: Lang) -> &'static str {
        self.headers()[usize::from(lang == Lang::En)]
    }
}

/// The marking sheet's name in `lang`.
pub fn sheet_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "Notation commission",
        Lang::En => "Committee marks",
    }
}

/// One mark read from the sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Mark {
    /// Row in the sheet, 1-based.
    pub row: u32,
    /// The file's SHA-256.
    pub sha256: String,
    /// The file, as the sheet names it.
    pub file: String,
    /// The question id.
    pub question: String,
    /// The mark, 0 to 4.
    pub mark: u8,
    /// The committee's reasons, as typed.
    pub reasons: String,
    /// Who recorded it and when (`2027-01-12 — camille`), when kept in a
    /// dossier; empty when typed in a workbook.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub recorded: String,
}

/// The marks read from a workbook.
#[derive(Debug, Clone, Default)]
pub struct Marks {
    /// The workbook read.
    pub source: String,
    /// Its SHA-256.
    pub sha256: String,
    /// The marks.
    pub entries: Vec<Mark>,
    /// Rows passed over, and why.
    pub warnings: Vec<String>,
}

/// What became of the marks read, kept in the report.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Applied {
    /// The workbook read.
    pub source: String,
    /// Its SHA-256.
    pub sha256: String,
    /// Marks read.
    pub read: usize,
    /// Marks put on an element of an offer of the report.
    pub applied: usize,
    /// Those marks, as given: what the reports show of each offer's marks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub marks: Vec<Mark>,
    /// Marks whose offer or element is not in the report.
    pub orphans: Vec<Mark>,
    /// Rows passed over, and why.
    pub warnings: Vec<String>,
}

fn t(lang: Lang, fr: &str, en: &str) -> String {
    if lang == Lang::Fr { fr } else { en }.to_string()
}

/// Reads the marks of the marking sheet of the workbook at `path`.
///
/// # Errors
///
/// A file that cannot be read, is not an XLSX workbook, exceeds the bounds,
/// or has no marking sheet with the needed headers.
pub fn read(path: &Path, lang: Lang) -> Result<Marks, Error> {
    let opened = Opened::read(
        path,
        "committee's marks",
        [sheet_name(Lang::Fr), sheet_name(Lang::En)],
        &Column::ALL,
        &Column::NEEDED,
        Column::headers,
        lang,
    )?;
    let (cells, header_row, columns) = (opened.cells, opened.header_row, opened.columns);
    let mut out = Marks {
        source: path.display().to_string(),
        sha256: opened.sha256,
        ..Marks::default()
    };
    let mut seen: BTreeMap<(String, String, String), u8> = BTreeMap::new();
    let mut conflicting = BTreeSet::new();
    for (&row, values) in cells.rows.range(header_row + 1..) {
        let cell = |c: Column| {
            columns
                .get(&c)
                .and_then(|i| values.get(i))
                .map(|v| v.text())
                .unwrap_or_default()
        };
        let line = row + 1;
        let typed = cell(Column::Mark);
        if typed.is_empty() {
            continue;
        }
        let (sha256, question) = (
            cell(Column::Sha256).to_ascii_lowercase(),
            cell(Column::Question),
        );
        let mark = typed
            .replace(',', ".")
            .parse::<f64>()
            .ok()
            .filter(|m| m.fract() == 0.0 && (0.0..=f64::from(COMMITTEE_MAX)).contains(m));
        let Some(mark) = mark.map(|m| m as u8) else {
            out.warnings.push(t(
                lang,
                &format!(
                    "ligne {line} : note « {typed} » hors de l'échelle de 0 à 4 ; ligne ignorée"
                ),
                &format!(
                    "row {line}: mark \"{typed}\" outside the scale of 0 to 4; row passed over"
                ),
            ));
            continue;
        };
        if !is_sha256(&sha256) || question.is_empty() {
            out.warnings.push(t(
                lang,
                &format!("ligne {line} : question ou empreinte du fichier absente ; ligne ignorée"),
                &format!("row {line}: question or file fingerprint missing; row passed over"),
            ));
            continue;
        }
        let file = cell(Column::File);
        let key = (sha256.clone(), file.clone(), question.clone());
        if seen.insert(key.clone(), mark).is_some_and(|m| m != mark) {
            conflicting.insert(key);
        }
        out.entries.push(Mark {
            row: line,
            sha256,
            file,
            question,
            mark,
            reasons: cell(Column::Reasons),
            recorded: String::new(),
        });
    }
    for (sha, _, q) in &conflicting {
        out.warnings.push(t(
            lang,
            &format!(
                "{q} ({}…) : notes différentes pour le même élément ; aucune n'est appliquée",
                &sha[..12]
            ),
            &format!(
                "{q} ({}…): different marks for the same element; none is applied",
                &sha[..12]
            ),
        ));
    }
    out.entries
        .retain(|m| !conflicting.contains(&(m.sha256.clone(), m.file.clone(), m.question.clone())));
    if cells.overflow {
        out.warnings.push(t(
            lang,
            "des cellules au-delà des limites de lecture ne sont pas lues",
            "cells beyond the reading bounds are not read",
        ));
    }
    Ok(out)
}

/// The marks of the dossier `name` (`kept`, oldest first) in force on the
/// elements of `report`'s offers, as a marking sheet's would be read: only
/// on the offer's version they were given on (a new version is marked anew).
pub fn from_dossier(
    name: &str,
    kept: &[crate::dossier::Marked],
    report: &Report,
    lang: Lang,
) -> Marks {
    let mut entries = Vec::new();
    for ((offer, sha256, question), m) in crate::dossier::marks_in_force(kept) {
        let found = report
            .results
            .iter()
            .find(|r| r.file == offer && r.sha256 == sha256);
        let (Some(r), Some(mark)) = (found, m.mark) else {
            continue;
        };
        entries.push(Mark {
            row: u32::try_from(entries.len() + 1).unwrap_or(u32::MAX),
            sha256: sha256.to_string(),
            file: r.file.clone(),
            question: question.to_string(),
            mark,
            reasons: m.reasons.clone(),
            recorded: format!("{} — {}", m.at.chars().take(10).collect::<String>(), m.who),
        });
    }
    Marks {
        source: t(
            lang,
            &format!("dossier «\u{a0}{name}\u{a0}»"),
            &format!("dossier \"{name}\""),
        ),
        sha256: String::new(),
        entries,
        warnings: Vec::new(),
    }
}

/// The dossier's marks with those typed in a workbook taken after them: on
/// an element both mark, the workbook's mark is the one applied; the
/// workbook's rows keep their numbers, its fingerprint is the one recorded.
pub fn then(dossier: Marks, typed: Marks, lang: Lang) -> Marks {
    use super::decisions::{sources, typed_last};
    Marks {
        source: sources(&dossier.source, &typed.source, lang),
        sha256: typed.sha256,
        entries: typed_last(
            dossier.entries,
            typed.entries,
            |m| (m.sha256.clone(), m.question.clone()),
            |m| &mut m.row,
        ),
        warnings: typed.warnings,
    }
}

/// Puts `marks` on the committee elements of the offers of `report`, then
/// concludes the batch again; a mark whose offer or element is not in the
/// report is kept as an orphan, never dropped silently. Each row goes to
/// the file it is about, as a decision does (byte-identical files keep
/// their own marks); different marks for one element of one file, and a
/// row on one of several identical files that does not say which, are
/// passed over with a warning.
pub fn apply(report: &mut Report, basis: &Basis, marks: Marks) {
    let lang = basis.lang;
    let mut warnings = marks.warnings;
    let mut passed_over = BTreeSet::new();
    let mut by_element: BTreeMap<(usize, &str), Vec<&Mark>> = BTreeMap::new();
    for m in &marks.entries {
        match addressed(&report.results, &m.sha256, &m.file) {
            Addressed::File(i) => by_element
                .entry((i, m.question.as_str()))
                .or_default()
                .push(m),
            Addressed::Absent => {}
            Addressed::Ambiguous(copies) => {
                let copies = copies.join(", ");
                warnings.push(t(
                    lang,
                    &format!("ligne {} : le lot contient des fichiers identiques ({copies}) et la ligne ne désigne pas l'un d'eux ; note ignorée", m.row),
                    &format!("row {}: the batch holds identical files ({copies}) and the row does not name one of them; mark passed over", m.row),
                ));
                passed_over.insert(m.row);
            }
        }
    }
    let mut chosen: BTreeMap<(usize, String), (u8, Vec<u32>)> = BTreeMap::new();
    for ((i, question), group) in &by_element {
        let rows: Vec<u32> = group.iter().map(|m| m.row).collect();
        if group.iter().any(|m| m.mark != group[0].mark) {
            let file = &report.results[*i].file;
            warnings.push(t(
                lang,
                &format!("{question} ({file}) : notes différentes pour le même élément ; aucune n'est appliquée"),
                &format!("{question} ({file}): different marks for the same element; none is applied"),
            ));
            passed_over.extend(rows);
        } else {
            chosen.insert((*i, question.to_string()), (group[0].mark, rows));
        }
    }
    let mut used = BTreeSet::new();
    for (i, r) in report
        .results
        .iter_mut()
        .enumerate()
        .filter(|(_, r)| r.status == FileStatus::Ok)
    {
        for q in &mut r.questions {
            if q.earned != Some(crate::scoring::Earned::ToMark) {
                continue;
            }
            if let Some((mark, rows)) = chosen.get(&(i, q.id.clone())) {
                q.mark = Some(*mark);
                used.extend(rows.iter().copied());
            }
        }
    }
    super::batch::conclude(&mut report.results, basis);
    report.marks = Some(Applied {
        source: marks.source,
        sha256: marks.sha256,
        read: marks.entries.len(),
        applied: used.len(),
        marks: (marks.entries.iter())
            .filter(|m| used.contains(&m.row))
            .cloned()
            .collect(),
        orphans: marks
            .entries
            .into_iter()
            .filter(|m| !used.contains(&m.row) && !passed_over.contains(&m.row))
            .collect(),
        warnings,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(row: u32, question: &str, mark: u8) -> Mark {
        Mark {
            row,
            sha256: "ab".repeat(32),
            file: "acme.xlsx".into(),
            question: question.into(),
            mark,
            reasons: String::new(),
            recorded: String::new(),
        }
    }

    #[test]
    fn a_workbooks_marks_are_taken_after_the_dossiers() {
        let kept = Marks {
            source: "dossier « d »".into(),
            entries: vec![mark(1, "PUB-03", 2), mark(2, "PUB-04", 1)],
            ..Marks::default()
        };
        let typed = Marks {
            source: "analyse.xlsx".into(),
            sha256: "cd".repeat(32),
            entries: vec![mark(5, "PUB-04", 4)],
            ..Marks::default()
        };
        let both = then(kept, typed, Lang::Fr);
        let rows: Vec<(u32, &str, u8)> = (both.entries.iter())
            .map(|m| (m.row, m.question.as_str(), m.mark))
            .collect();
        assert_eq!(rows, [(6, "PUB-03", 2), (5, "PUB-04", 4)]);
        assert_eq!(both.source, "dossier « d », puis analyse.xlsx");
        assert_eq!(both.sha256, "cd".repeat(32));
    }
}
