//! The report as a buyer reads it on the terminal, or in Markdown.

use std::fmt::Write as _;

use super::batch::Summary;
use super::{FileReport, FileStatus, Report, Skipped};
use crate::Error;
use crate::office::markdown;
use crate::rule::Severity;
use crate::selection::Selection;
use crate::text::{self, Lang};

fn t(lang: Lang, fr: &'static str, en: &'static str) -> &'static str {
    if lang == Lang::Fr { fr } else { en }
}

/// Text from outside (a vendor's name and answers, a file name, a message
/// quoting them) as the report shows it literally: escaped for Markdown, or
/// for the terminal.
pub fn literal(s: &str, md: bool) -> String {
    if md {
        markdown::escape(s).replace('\n', " ")
    } else {
        text::terminal(s).into_owned()
    }
}

/// What the summary's table prints of one file.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    /// The path as given.
    pub file: &'a str,
    /// The vendor's name, as it identified itself.
    pub vendor: &'a str,
    /// Checked or not.
    pub status: FileStatus,
    /// The verdict.
    pub verdict: Option<crate::check::Verdict>,
    /// The compass score.
    pub score: Option<f64>,
    /// The judgment, rank included.
    pub judgment: Option<&'a crate::judgment::Judgment>,
}

impl<'a> From<&'a FileReport> for Line<'a> {
    fn from(r: &'a FileReport) -> Line<'a> {
        Line {
            file: &r.file,
            vendor: &r.vendor.name,
            status: r.status,
            verdict: r.verdict,
            score: r.score,
            judgment: r.judgment.as_ref(),
        }
    }
}

impl<'a> From<&'a Summary> for Line<'a> {
    fn from(s: &'a Summary) -> Line<'a> {
        Line {
            file: &s.file,
            vendor: &s.vendor,
            status: s.status,
            verdict: s.verdict,
            score: s.score,
            judgment: s.judgment.as_ref(),
        }
    }
}

/// The summary of a report (see [`write()`]).
pub fn render(report: &Report, sel: &Selection, lang: Lang, md: bool) -> String {
    let lines: Vec<Line<'_>> = report.results.iter().map(Line::from).collect();
    let mut out = Vec::new();
    let head = Head {
        reference: &report.profile.reference,
        skipped: &report.skipped,
    };
    let mut points =
        (order(&lines).into_iter()).map(|i| Ok(points(&report.results[i], sel, lang, md)));
    let to = (
        &mut out as &mut dyn std::io::Write,
        std::path::Path::new("-"),
    );
    let _ = write(to, &head, &lines, &mut points, (lang, md));
    String::from_utf8(out).unwrap_or_default()
}

/// What the summary prints of the batch besides its files.
#[derive(Debug, Clone, Copy)]
pub struct Head<'a> {
    /// The tender's reference.
    pub reference: &'a str,
    /// Paths passed over.
    pub skipped: &'a [Skipped],
}

/// What the summary prints of each file besides its line ([`points`]), in
/// the order of [`order`].
pub type Points<'a> = dyn Iterator<Item = Result<String, Error>> + 'a;

/// The order the summary lists the files of `lines` in (indices into it):
/// irregular offers first, then those to regularise, then the ranking, then
/// unreadable files.
pub fn order(lines: &[Line<'_>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..lines.len()).collect();
    order.sort_by_key(|&i| super::batch::standing_key(i, lines[i].judgment));
    order
}

/// Writes the summary to `out` (named `name` in errors): one line per file (verdict, score or
/// standing, rank), from `lines` (one per file, in the batch's order), then
/// per offer its grounds, the marks it waits for and the points to
/// examine, as [`points`] renders them from its full result (`points`, in
/// the [`order`] of `lines`), one file at a time.
/// Every text from outside goes through [`literal`].
pub fn write(
    (out, name): (&mut dyn std::io::Write, &std::path::Path),
    head: &Head<'_>,
    lines: &[Line<'_>],
    points: &mut Points<'_>,
    (lang, md): (Lang, bool),
) -> Result<(), Error> {
    let io = |e| Error::Io(name.to_path_buf(), e);
    let field = |s: &str| literal(s, md);
    let mut o = String::new();
    let title = format!(
        "boussole check — {} — {}",
        field(head.reference),
        crate::text::counted(
            lines.len(),
            lang,
            ("fichier", "fichiers"),
            ("file", "files")
        )
    );
    let _ = writeln!(o, "{}{title}\n", if md { "# " } else { "" });
    let headers = [
        t(lang, "Verdict", "Verdict"),
        t(lang, "Note (sur 100)", "Score (out of 100)"),
        t(lang, "Rang", "Rank"),
        t(lang, "Soumissionnaire", "Vendor"),
        t(lang, "Fichier", "File"),
    ];
    let order = order(lines);
    let row = |i: usize| {
        let r = &lines[i];
        let verdict = match (r.status, r.verdict) {
            (FileStatus::Error, _) | (_, None) => t(lang, "erreur", "error").to_string(),
            (_, Some(v)) => v.label(lang).to_string(),
        };
        let vendor = if r.vendor.trim().is_empty() {
            "—".to_string()
        } else {
            field(r.vendor.trim())
        };
        [
            verdict,
            super::score_text(r.judgment, r.score, lang),
            super::rank_text(r.judgment, lang),
            vendor,
            field(r.file),
        ]
    };
    // the table is laid out twice, row by row: once for its columns'
    // widths, once to write it, so that no batch holds it whole
    let widths = text::table_widths(&headers, order.iter().map(|&i| row(i)));
    o.push_str(&text::table_line(&headers, &widths, md, true));
    out.write_all(o.as_bytes()).map_err(io)?;
    o.clear();
    for &i in &order {
        out.write_all(text::table_line(&row(i), &widths, md, false).as_bytes())
            .map_err(io)?;
    }
    if super::batch::provisional_among(lines.iter().map(|l| l.judgment)) {
        let _ = writeln!(
            o,
            "\n{}",
            t(
                lang,
                "Classement provisoire : des éléments attendent la note de la commission d'évaluation (--marks) ou d'autres offres à comparer ; ils comptent 0 en attendant.",
                "Provisional ranking: elements wait for the evaluation committee's mark (--marks) or for other offers to compare with; they count 0 meanwhile."
            )
        );
    }
    out.write_all(o.as_bytes()).map_err(io)?;
    for p in points.take(order.len()) {
        out.write_all(p?.as_bytes()).map_err(io)?;
    }
    o.clear();
    if !head.skipped.is_empty() {
        let _ = writeln!(
            o,
            "\n{}{}",
            if md { "## " } else { "" },
            t(lang, "Fichiers écartés", "Files passed over")
        );
        if md {
            o.push('\n');
        }
        for s in head.skipped {
            let _ = writeln!(o, "- {} ({})", field(&s.path), field(&s.reason));
        }
    }
    out.write_all(o.as_bytes()).map_err(io)
}

/// What the summary prints of one offer below the table: its grounds,
/// awaited marks and points to examine, or why its file could not be read
/// (nothing when there is none). Its rank is not printed: a result
/// concluded and not yet ranked renders the same.
pub fn points(r: &FileReport, sel: &Selection, lang: Lang, md: bool) -> String {
    let mut o = String::new();
    let field = |s: &str| literal(s, md);
    let judgment = r.judgment.as_ref();
    let grounds = judgment.into_iter().flat_map(|j| &j.grounds).map(|g| {
        format!(
            "{} {}",
            t(lang, "Motif :", "Ground:"),
            field(&g.describe(sel, lang))
        )
    });
    let pending: Vec<&str> = judgment
        .into_iter()
        .flat_map(|j| &j.pending)
        .map(|p| p.question.as_str())
        .collect();
    let pending = (!pending.is_empty()).then(|| {
        format!(
            "{} {}",
            t(lang, "Notes attendues :", "Marks awaited:"),
            pending.join(", ")
        )
    });
    let points: Vec<String> = grounds
        .chain(pending)
        .chain(
            r.findings
                .iter()
                .filter(|f| f.severity >= Severity::Major)
                .map(|f| {
                    let said = if f.answer.trim().is_empty() {
                        t(lang, "sans réponse", "no answer").to_string()
                    } else {
                        format!("« {} »", field(&f.answer))
                    };
                    format!(
                        "{} ({}) : {} — {said}",
                        field(&f.question),
                        f.severity.label(lang),
                        field(&f.message),
                    )
                }),
        )
        .chain(r.integrity.iter().map(|i| field(&i.message)))
        .collect();
    if let Some(e) = &r.error {
        let _ = writeln!(
            o,
            "\n{}{}: {}",
            if md { "## " } else { "" },
            field(&r.file),
            field(e)
        );
        return o;
    }
    if points.is_empty() {
        return o;
    }
    let _ = writeln!(
        o,
        "\n{}{} — {}",
        if md { "## " } else { "" },
        field(&r.file),
        t(lang, "points à examiner", "points to examine")
    );
    if md {
        o.push('\n');
    }
    for p in points {
        let _ = writeln!(o, "- {p}");
    }
    o
}
