//! The report as a buyer reads it on the terminal, or in Markdown.

use std::fmt::Write as _;

use super::{FileStatus, Report};
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

/// The summary: one line per file (verdict, score or standing, rank), then
/// per offer its grounds, the marks it waits for and the points to examine.
/// Every text from outside goes through [`literal`].
pub fn render(report: &Report, sel: &Selection, lang: Lang, md: bool) -> String {
    let field = |s: &str| literal(s, md);
    let mut o = String::new();
    let title = format!(
        "boussole check — {} — {}",
        field(&report.profile.reference),
        crate::text::counted(
            report.results.len(),
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
    let rows: Vec<Vec<String>> = report
        .by_standing()
        .into_iter()
        .map(|(_, r)| {
            let verdict = match (r.status, r.verdict) {
                (FileStatus::Error, _) | (_, None) => t(lang, "erreur", "error").to_string(),
                (_, Some(v)) => v.label(lang).to_string(),
            };
            let vendor = if r.vendor.name.trim().is_empty() {
                "—".to_string()
            } else {
                field(r.vendor.name.trim())
            };
            vec![
                verdict,
                r.score_text(lang),
                r.rank_text(lang),
                vendor,
                field(&r.file),
            ]
        })
        .collect();
    o.push_str(&text::table(&headers, &rows, md));
    if super::batch::provisional(&report.results) {
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
    for (_, r) in report.by_standing() {
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
            continue;
        }
        if points.is_empty() {
            continue;
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
    }
    if !report.skipped.is_empty() {
        let _ = writeln!(
            o,
            "\n{}{}",
            if md { "## " } else { "" },
            t(lang, "Fichiers écartés", "Files passed over")
        );
        if md {
            o.push('\n');
        }
        for s in &report.skipped {
            let _ = writeln!(o, "- {} ({})", field(&s.path), field(&s.reason));
        }
    }
    o
}
