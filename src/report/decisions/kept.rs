//! Legal staff's decisions kept in a dossier (taken on `boussole serve`'s
//! review page), turned into the [`Decisions`] that [`super::apply`]
//! applies, exactly as those typed in a workbook: `boussole check --dossier
//! NAME` with no file given.
//!
//! Only the decision in force on each finding counts (the latest, unless
//! withdrawn), and only on the offer's version it was taken on — the same
//! name and content: a new version of an offer is decided anew, as on the
//! page.

use std::collections::BTreeSet;

use super::{Decisions, Entry, t};
use crate::dossier::{Decided, in_force};
use crate::finding::{Code, Decision, DecisionKind};
use crate::report::Report;
use crate::text::Lang;

/// The decisions of the dossier `name` (`kept`, oldest first) in force on
/// the findings of `report`; those on another version of an offer, or
/// that this version of boussole cannot read, are left out.
pub fn from_dossier(name: &str, kept: &[Decided], report: &Report, lang: Lang) -> Decisions {
    let mut entries = Vec::new();
    for ((offer, sha256, question, code), d) in in_force(kept) {
        let Some(r) = (report.results.iter()).find(|r| r.file == offer && r.sha256 == sha256)
        else {
            continue;
        };
        let code = serde_json::from_value::<Code>(serde_json::Value::from(code));
        let kind =
            serde_json::from_value::<DecisionKind>(serde_json::Value::from(d.decision.as_str()));
        let (Ok(code), Ok(kind)) = (code, kind) else {
            continue;
        };
        entries.push(Entry {
            row: u32::try_from(entries.len() + 1).unwrap_or(u32::MAX),
            sha256: sha256.to_string(),
            question: question.to_string(),
            code,
            vendor: r.vendor.name.clone(),
            file: r.file.clone(),
            decision: Decision {
                decision: kind,
                reviewer: d.reviewer.clone(),
                date: d.at.chars().take(10).collect(),
                comment: d.note.clone(),
                recorded_by: d.who.clone(),
            },
        });
    }
    Decisions {
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

/// The dossier's decisions with those typed in a workbook taken after
/// them: on a finding both decide, the workbook's decision is the one
/// applied; the workbook's rows keep their numbers (the dossier's are
/// numbered after them), its fingerprint is the one recorded.
pub fn then(dossier: Decisions, typed: Decisions, lang: Lang) -> Decisions {
    Decisions {
        source: sources(&dossier.source, &typed.source, lang),
        sha256: typed.sha256,
        entries: typed_last(
            dossier.entries,
            typed.entries,
            |e| (e.sha256.clone(), e.question.clone(), e.code),
            |e| &mut e.row,
        ),
        warnings: typed.warnings,
    }
}

/// Rows kept in a dossier (`kept`), then rows typed in a workbook: on what
/// both address (`on`), only the typed row stays; the typed rows keep their
/// numbers, the dossier's are numbered after them. Decisions and marks
/// alike.
pub fn typed_last<T, K: Ord>(
    kept: Vec<T>,
    typed: Vec<T>,
    on: impl Fn(&T) -> K,
    row: impl Fn(&mut T) -> &mut u32,
) -> Vec<T> {
    let typed_on: BTreeSet<K> = typed.iter().map(&on).collect();
    let mut typed = typed;
    let last = typed.iter_mut().map(|t| *row(t)).max().unwrap_or(0);
    let mut out: Vec<T> = kept
        .into_iter()
        .filter(|k| !typed_on.contains(&on(k)))
        .collect();
    for (k, n) in out.iter_mut().zip(last.saturating_add(1)..) {
        *row(k) = n;
    }
    out.extend(typed);
    out
}

/// Where rows came from: the dossier, then the workbook.
pub fn sources(dossier: &str, typed: &str, lang: Lang) -> String {
    format!("{dossier}, {} {typed}", t(lang, "puis", "then"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(row: u32, question: &str, kind: DecisionKind) -> Entry {
        Entry {
            row,
            sha256: "ab".repeat(32),
            question: question.into(),
            code: Code::RuleFailed,
            vendor: "Acme".into(),
            file: "acme.xlsx".into(),
            decision: Decision {
                decision: kind,
                reviewer: "Claire Martin".into(),
                date: "2026-12-04".into(),
                comment: String::new(),
                recorded_by: String::new(),
            },
        }
    }

    #[test]
    fn a_workbooks_decisions_are_taken_after_the_dossiers() {
        let dossier = Decisions {
            source: "dossier «\u{a0}d\u{a0}»".into(),
            entries: vec![
                entry(1, "Q1", DecisionKind::Lifted),
                entry(2, "Q2", DecisionKind::Lifted),
            ],
            ..Decisions::default()
        };
        let typed = Decisions {
            source: "analyse.xlsx".into(),
            sha256: "cd".repeat(32),
            entries: vec![entry(7, "Q1", DecisionKind::Confirmed)],
            warnings: vec!["ligne 9 : illisible".into()],
        };
        let both = then(dossier, typed, Lang::Fr);
        assert_eq!(both.source, "dossier «\u{a0}d\u{a0}», puis analyse.xlsx");
        assert_eq!(both.sha256, "cd".repeat(32));
        assert_eq!(both.warnings.len(), 1);
        let on: Vec<(u32, &str, DecisionKind)> = (both.entries.iter())
            .map(|e| (e.row, e.question.as_str(), e.decision.decision))
            .collect();
        assert_eq!(
            on,
            [
                (8, "Q2", DecisionKind::Lifted),
                (7, "Q1", DecisionKind::Confirmed)
            ],
            "the workbook's decision on Q1, the dossier's on Q2, numbered after the workbook's rows"
        );
    }
}
