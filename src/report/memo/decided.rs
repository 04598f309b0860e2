//! The memo's account of the legal review it includes: each decision
//! applied to a finding, with the reviewer named and who recorded it when.

use super::Writer;
use crate::office::document::Block;
use crate::report::{Report, decisions};

impl Writer<'_> {
    /// The decisions of legal staff the memo includes, in one table on the
    /// first pages; nothing when none was given.
    pub(super) fn decisions_included(&mut self, report: &Report) {
        if report.decisions.is_none() {
            return;
        }
        self.doc.heading(
            1,
            self.t(
                "Décisions du service juridique prises en compte",
                "Legal staff's decisions taken into account",
            ),
            "decisions",
        );
        let included = decisions::included(report, self.lang);
        if included.is_empty() {
            self.doc.push(Block::Note(self.t(
                "Aucune décision ne porte sur les constats de ces offres : les verdicts sont ceux de l'analyse.",
                "No decision bears on the findings of these offers: the verdicts are the analysis's.",
            )));
            return;
        }
        self.doc.para(self.t(
            "Les verdicts et les notes de cette note tiennent compte des décisions suivantes ; un constat levé ne compte plus, un constat confirmé est maintenu.",
            "The verdicts and scores of this memo take the following decisions into account; a lifted finding no longer counts, a confirmed one stands.",
        ));
        let rows = included
            .iter()
            .map(|i| {
                let mut decision = i.decision.clone();
                if !i.comment.is_empty() {
                    decision += &format!("\n« {} »", i.comment);
                }
                vec![
                    i.offer.clone(),
                    format!("{} — {}", i.question, i.finding),
                    self.t(&decision, &decision),
                    i.by(self.lang),
                ]
            })
            .collect();
        self.doc.push(Block::Table {
            header: vec![
                self.t("Soumissionnaire", "Vendor"),
                self.t("Constat", "Finding"),
                self.t("Décision", "Decision"),
                self.t("Prise par", "Taken by"),
            ],
            rows,
            widths: vec![18, 40, 20, 22],
        });
    }
}
