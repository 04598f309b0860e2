//! The decisions a report includes, in words, for the people who read it
//! (the memo, the text and Markdown summaries): for each decision applied,
//! the offer, the finding as the memo names it (the question id, the
//! question and the kind of finding), the decision, the reviewer named
//! with it, who recorded it and when — no code, fingerprint nor path.

use crate::date::Date;
use crate::finding::Decision;
use crate::office::typography;
use crate::report::Report;
use crate::text::Lang;

/// One decision applied, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Included {
    /// The vendor, else the offer's file name.
    pub offer: String,
    /// The question id.
    pub question: String,
    /// The finding: the question as issued and the kind of finding.
    pub finding: String,
    /// The decision (`constat levé`…).
    pub decision: String,
    /// Why, as typed; empty when nothing was.
    pub comment: String,
    /// The reviewer named with it; empty when none was.
    pub reviewer: String,
    /// Who recorded it in the dossier; empty for a workbook's.
    pub recorded_by: String,
    /// When, in words (« 4 décembre 2026 »), or as typed.
    pub date: String,
}

impl Included {
    /// Who took it and when, in one phrase: `Claire Martin, enregistrée par
    /// ana le 4 décembre 2026`.
    pub fn by(&self, lang: Lang) -> String {
        let mut parts = Vec::new();
        if !self.reviewer.is_empty() {
            parts.push(self.reviewer.clone());
        }
        let on = |s: &mut String| {
            if !self.date.is_empty() {
                *s += &format!(" {} {}", lang.pick("le", "on"), self.date);
            }
        };
        if !self.recorded_by.is_empty() {
            let mut s = format!(
                "{} {}",
                lang.pick("enregistrée par", "recorded by"),
                self.recorded_by
            );
            on(&mut s);
            parts.push(s);
        } else if !self.date.is_empty() {
            let mut s = String::new();
            on(&mut s);
            parts.push(s.trim_start().to_string());
        }
        match parts.is_empty() {
            true => "—".into(),
            false => typography::apply(&parts.join(", "), lang),
        }
    }
}

/// A decision's date in words when it is one (`2026-12-04` → « 4 décembre
/// 2026 »), else as typed.
pub fn date_in_words(date: &str, lang: Lang) -> String {
    match date.get(..10).and_then(|d| d.parse::<Date>().ok()) {
        Some(d) if date.len() == 10 => d.in_words(lang),
        _ => date.to_string(),
    }
}

/// Every decision applied to the findings of `report`, offer by offer in
/// the report's order.
pub fn included(report: &Report, lang: Lang) -> Vec<Included> {
    let mut out = Vec::new();
    for r in &report.results {
        let offer = match r.vendor.name.trim() {
            "" => file_name(&r.file),
            name => name.to_string(),
        };
        for f in &r.findings {
            let Some(d) = &f.decision else { continue };
            let question = f.question_text.trim();
            let finding = match question.is_empty() {
                true => f.status.label(lang).to_string(),
                false => format!("« {question} » — {}", f.status.label(lang)),
            };
            out.push(Included {
                offer: offer.clone(),
                question: f.question.clone(),
                finding: typography::apply(&finding, lang),
                decision: d.decision.label(lang).to_string(),
                comment: d.comment.trim().to_string(),
                reviewer: d.reviewer.trim().to_string(),
                recorded_by: d.recorded_by.trim().to_string(),
                date: date_in_words(d.date.trim(), lang),
            });
        }
    }
    out
}

/// A decision in words: `constat levé par Claire Martin le 4 décembre 2026
/// — « why »`, with who recorded it when it was kept in a dossier.
pub fn decided(d: &Decision, lang: Lang) -> String {
    let mut s = d.decision.label(lang).to_string();
    if !d.reviewer.is_empty() {
        s += &format!(" {} {}", lang.pick("par", "by"), d.reviewer);
    }
    if !d.date.is_empty() {
        let date = date_in_words(&d.date, lang);
        s += &format!(" {} {date}", lang.pick("le", "on"));
    }
    if !d.recorded_by.is_empty() {
        s += &format!(
            " ({} {})",
            lang.pick("enregistrée par", "recorded by"),
            d.recorded_by
        );
    }
    if !d.comment.is_empty() {
        s += &format!(" — « {} »", d.comment);
    }
    s
}

fn file_name(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decision_says_who_took_it_and_when_in_words() {
        assert_eq!(date_in_words("2026-12-04", Lang::Fr), "4 décembre 2026");
        assert_eq!(date_in_words("2027-02-01", Lang::Fr), "1er février 2027");
        assert_eq!(date_in_words("2026-12-04", Lang::En), "4 December 2026");
        assert_eq!(date_in_words("début mars", Lang::Fr), "début mars");
        let i = Included {
            offer: "Acme".into(),
            question: "BIO-01".into(),
            finding: String::new(),
            decision: "constat levé".into(),
            comment: String::new(),
            reviewer: "Claire Martin".into(),
            recorded_by: "ana".into(),
            date: "4 décembre 2026".into(),
        };
        // French spacing: a non-breaking space between the day and the month
        assert_eq!(
            i.by(Lang::Fr),
            "Claire Martin, enregistrée par ana le 4\u{a0}décembre 2026"
        );
        let typed = Included {
            recorded_by: String::new(),
            ..i
        };
        assert_eq!(typed.by(Lang::Fr), "Claire Martin, le 4\u{a0}décembre 2026");
    }
}
