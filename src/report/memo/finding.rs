//! The findings of a chapter: one section per eliminatory or major
//! finding (the vendor's words, why it fails, the clauses and their legal
//! basis, the decision box), then the appendix of the others.

use std::collections::BTreeSet;

use super::{Writer, anchor, is_gap, is_suspect};
use crate::finding::{DecisionKind, Finding, FindingStatus};
use crate::library::Part;
use crate::office::document::{Block, Span};
use crate::office::typography;
use crate::report::FileReport;
use crate::rule::Severity;
use crate::text::{self, Lang};

impl Writer<'_> {
    /// One section per eliminatory or major finding.
    pub(super) fn findings(&mut self, n: usize, r: &FileReport) {
        self.doc.heading(
            2,
            self.t(
                "Autres constats éliminatoires et majeurs",
                "Other eliminatory and major findings",
            ),
            format!("{}-constats", anchor(n)),
        );
        let serious: Vec<&Finding> = r
            .findings
            .iter()
            .filter(|f| f.severity >= Severity::Major && !is_gap(f) && !is_suspect(f))
            .collect();
        let suspect: BTreeSet<&str> = r
            .findings
            .iter()
            .filter(|f| is_suspect(f))
            .map(|f| f.question.as_str())
            .collect();
        if !suspect.is_empty() {
            let answers = text::counted(
                suspect.len(),
                self.lang,
                ("réponse reprend", "réponses reprennent"),
                ("answer repeats", "answers repeat"),
            );
            self.doc.push(Block::Note(match self.lang {
                Lang::Fr => typography::apply(&format!("{answers} l'exemple publié ou le texte d'une autre offre : voir le tableau « Réponses à examiner » en tête de la note."), self.lang),
                Lang::En => format!("{answers} the published example or another offer's text: see the table « Answers to examine » at the start of the memo."),
            }));
        }
        if serious.is_empty() {
            self.doc.push(Block::Note(self.t(
                "Aucun autre constat éliminatoire ou majeur.",
                "No other eliminatory or major finding.",
            )));
        }
        for f in serious {
            self.finding(n, f);
        }
    }

    pub(super) fn finding(&mut self, n: usize, f: &Finding) {
        self.doc.push(Block::Heading {
            level: 3,
            text: format!(
                "{} — {} — {}",
                f.question,
                f.severity.label(self.lang),
                self.criterion(&f.criterion)
            ),
            anchor: Some(format!("{}-{}", anchor(n), f.question)),
        });
        self.doc.spans(vec![
            Span::bold(self.t("Question : ", "Question: ")),
            Span::plain(typography::apply(&f.question_text, self.lang)),
        ]);
        self.words(f);
        self.doc.spans(vec![
            Span::bold(self.t("Pourquoi elle ne convient pas : ", "Why it fails: ")),
            Span::plain(self.why(f)),
        ]);
        self.clauses(f);
        self.decision_box(f);
    }

    /// The vendor's words, exactly as read.
    pub(super) fn words(&mut self, f: &Finding) {
        let answer = if f.answer.is_empty() {
            Span::italic(self.t("(aucune réponse)", "(no answer)"))
        } else {
            Span::plain(f.answer.clone())
        };
        self.doc.spans(vec![
            Span::bold(self.t(
                "Réponse du soumissionnaire, mot pour mot : ",
                "The vendor's answer, word for word: ",
            )),
            answer,
        ]);
        if !f.comment.is_empty() {
            self.doc.spans(vec![
                Span::bold(self.t(
                    "Justification du soumissionnaire : ",
                    "The vendor's comment: ",
                )),
                Span::plain(f.comment.clone()),
            ]);
        }
    }

    pub(super) fn why(&self, f: &Finding) -> String {
        let kind = match f.status {
            FindingStatus::Fail => self.t(
                "La réponse ne satisfait pas la règle",
                "The answer fails the rule",
            ),
            FindingStatus::Missing => self.t(
                "Aucune réponse n'a été donnée ; une régularisation peut être demandée",
                "No answer was given; regularisation may be requested",
            ),
            FindingStatus::Invalid => self.t(
                "La réponse ne peut pas être lue ; une précision peut être demandée",
                "The answer cannot be read; clarification may be requested",
            ),
            FindingStatus::Integrity => {
                self.t("Le fichier soulève un doute", "The file raises a doubt")
            }
            FindingStatus::Evidence => self.t(
                "La pièce justificative demandée n'est pas référencée",
                "The required supporting document is not referenced",
            ),
            FindingStatus::Suspect => self.t(
                "La réponse appelle un examen par le service juridique",
                "The answer calls for legal staff's examination",
            ),
        };
        if f.message.is_empty() {
            format!("{kind}.")
        } else {
            let message = f.message.trim_end_matches('.');
            format!("{kind} — {message}.")
        }
    }

    /// The clauses at stake, with their article number, and the legal basis.
    pub(super) fn clauses(&mut self, f: &Finding) {
        for id in &f.clauses {
            let Some(c) = self.sel.clauses.iter().find(|c| &c.id == id) else {
                continue;
            };
            let article = self.articles.get(id).cloned().unwrap_or_else(|| "—".into());
            let head = format!(
                "{} {article} ({}) — {} [{}]{}",
                self.t("Clause en jeu : article", "Clause at stake: article"),
                self.part(c.part),
                c.title.get(self.lang),
                c.id,
                self.t(" : ", ": "),
            );
            let text = if self.quoted.insert(c.id.clone()) {
                typography::apply(c.text.get(self.lang), self.lang)
            } else {
                self.t(
                    "texte cité plus haut dans ce chapitre.",
                    "text quoted above in this chapter.",
                )
            };
            self.doc.spans(vec![
                Span::bold(typography::apply(&head, self.lang)),
                Span::plain(text),
            ]);
        }
        // One list for every report: the question's references and its clauses'.
        let refs = f.printed_legal();
        let basis = if refs.is_empty() {
            self.t(
                "aucune référence vérifiée n'est associée à cette question.",
                "no verified reference is attached to this question.",
            )
        } else {
            crate::library::citation::grouped(refs)
        };
        // The decision box comes next: it stays on this paragraph's page.
        self.doc.push(Block::KeptWithNext(vec![
            Span::bold(self.t("Fondement juridique : ", "Legal basis: ")),
            Span::plain(typography::apply(&basis, self.lang)),
        ]));
    }

    pub(super) fn part(&self, part: Part) -> String {
        match part {
            Part::MinimumRequirement => {
                self.t("exigence minimale, CCTP", "minimum requirement, CCTP")
            }
            Part::Execution => self.t("obligation d'exécution, CCAP", "execution obligation, CCAP"),
            Part::Award => self.t("critère d'attribution, RC", "award criterion, RC"),
        }
    }

    /// The box the reviewer fills in: empty, or filled with the decision
    /// legal staff typed in the scoring workbook (`check --decisions`). Two
    /// rows, so that it rarely straddles a page.
    pub(super) fn decision_box(&mut self, f: &Finding) {
        let d = f.decision.as_ref();
        let choices = DecisionKind::ALL
            .iter()
            .map(|k| {
                let mark = if d.is_some_and(|d| d.decision == *k) {
                    '☒'
                } else {
                    '☐'
                };
                format!("{mark} {}", k.label(self.lang))
            })
            .collect::<Vec<_>>()
            .join("     ");
        let field = |label: String, value: Option<&String>| {
            format!("{label}{}", value.map_or("", String::as_str))
        };
        let reviewer = d.map(|d| match d.recorded_by.as_str() {
            "" => d.reviewer.clone(),
            by => format!(
                "{} ({})",
                d.reviewer,
                self.t("enregistrée par ", "recorded by ") + by
            ),
        });
        let date = d.map(|d| crate::report::decisions::date_in_words(&d.date, self.lang));
        let fields = [
            field(self.t("Relecteur : ", "Reviewer: "), reviewer.as_ref()),
            field(self.t("Date : ", "Date: "), date.as_ref()),
            field(self.t("Motifs : ", "Reasons: "), d.map(|d| &d.comment)),
        ];
        self.doc.push(Block::Table {
            header: vec![
                self.t("Décision de l'acheteur", "Buyer's decision"),
                choices,
            ],
            rows: vec![vec![
                self.t("Relecture", "Review"),
                fields.join("\n") + "\n",
            ]],
            widths: vec![28, 72],
        });
    }

    /// Minor and information findings, and integrity warnings.
    pub(super) fn appendix(&mut self, n: usize, r: &FileReport) {
        self.doc.heading(
            2,
            self.t(
                "Annexe — constats mineurs et alertes d'intégrité",
                "Appendix — minor findings and integrity warnings",
            ),
            format!("{}-annexe", anchor(n)),
        );
        let rows: Vec<Vec<String>> = r
            .findings
            .iter()
            .filter(|f| f.severity < Severity::Major && !is_gap(f))
            .map(|f| {
                vec![
                    f.question.clone(),
                    f.severity.label(self.lang).to_string(),
                    f.answer.clone(),
                    self.why(f),
                ]
            })
            .collect();
        if rows.is_empty() {
            self.doc.push(Block::Note(
                self.t("Aucun constat mineur.", "No minor finding."),
            ));
        } else {
            self.doc.push(Block::Table {
                header: vec![
                    self.t("Question", "Question"),
                    self.t("Gravité", "Severity"),
                    self.t("Réponse du soumissionnaire", "The vendor's answer"),
                    self.t("Motif", "Reason"),
                ],
                rows,
                widths: vec![12, 12, 38, 38],
            });
        }
        let rows: Vec<Vec<String>> = r
            .integrity
            .iter()
            .map(|i| {
                vec![
                    i.question.clone().unwrap_or_default(),
                    typography::apply(&i.message, self.lang),
                ]
            })
            .collect();
        if rows.is_empty() {
            self.doc.push(Block::Note(
                self.t("Aucune alerte d'intégrité.", "No integrity warning."),
            ));
        } else {
            self.doc.push(Block::Table {
                header: vec![
                    self.t("Question", "Question"),
                    self.t("Constat", "What was seen"),
                ],
                rows,
                widths: vec![16, 84],
            });
        }
    }
}
