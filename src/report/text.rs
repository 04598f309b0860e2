//! The report as a buyer reads it on the terminal, or in Markdown.

use std::fmt::Write as _;

use super::{FileStatus, Report};
use crate::rule::Severity;
use crate::text::{self, Lang};

fn t(lang: Lang, fr: &'static str, en: &'static str) -> &'static str {
    if lang == Lang::Fr { fr } else { en }
}

/// The summary: one line per file, then the points to examine.
pub fn render(report: &Report, lang: Lang, md: bool) -> String {
    let mut o = String::new();
    let title = format!(
        "boussole check — {} — {} {}",
        report.profile.reference,
        report.results.len(),
        t(lang, "fichier(s)", "file(s)")
    );
    let _ = writeln!(o, "{}{title}\n", if md { "# " } else { "" });
    let headers = [
        t(lang, "Verdict", "Verdict"),
        t(lang, "Note", "Score"),
        t(lang, "Candidat", "Vendor"),
        t(lang, "Fichier", "File"),
    ];
    let rows: Vec<Vec<String>> = report
        .results
        .iter()
        .map(|r| {
            let verdict = match (r.status, r.verdict) {
                (FileStatus::Error, _) | (_, None) => t(lang, "erreur", "error").to_string(),
                (_, Some(v)) => v.label(lang).to_string(),
            };
            let score = r.score.map_or("—".into(), |s| {
                text::number((s * 10.0).round() / 10.0, lang)
            });
            let vendor = if r.vendor.name.trim().is_empty() {
                "—".to_string()
            } else {
                r.vendor.name.trim().to_string()
            };
            vec![verdict, score, vendor, r.file.clone()]
        })
        .collect();
    o.push_str(&text::table(&headers, &rows, md));
    for r in &report.results {
        let points: Vec<String> = r
            .findings
            .iter()
            .filter(|f| f.severity >= Severity::Major)
            .map(|f| {
                format!(
                    "{} ({}) : {} — « {} »",
                    f.question, f.severity, f.message, f.answer
                )
            })
            .chain(
                r.integrity
                    .iter()
                    .map(|i| format!("[{}] {}", i.code, i.message)),
            )
            .collect();
        if let Some(e) = &r.error {
            let _ = writeln!(o, "\n{}{}: {e}", if md { "## " } else { "" }, r.file);
            continue;
        }
        if points.is_empty() {
            continue;
        }
        let _ = writeln!(
            o,
            "\n{}{} — {}",
            if md { "## " } else { "" },
            r.file,
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
            let _ = writeln!(o, "- {} ({})", s.path, s.reason);
        }
    }
    o
}
