//! One chapter of the memo per file: its identity, the verdict and scores
//! with the committee's marks, the answers and documents missing.

use super::{Writer, anchor, date_of, file_name, is_gap, vendor};
use crate::finding::{Finding, FindingStatus};
use crate::office::document::{Block, Span};
use crate::office::typography;
use crate::report::FileReport;
use crate::rule::Severity;
use crate::text::Lang;

impl Writer<'_> {
    pub(super) fn chapter_title(&self, n: usize, r: &FileReport) -> String {
        format!(
            "{} {n} — {}",
            self.t("Soumissionnaire", "Vendor"),
            vendor(r)
        )
    }

    /// One file: its summary, its findings, its appendix.
    pub(super) fn chapter(&mut self, n: usize, r: &FileReport) {
        self.doc.push(Block::PageBreak);
        self.doc.heading(1, self.chapter_title(n, r), anchor(n));
        self.identity(r);
        if let Some(e) = &r.error {
            self.doc.spans(vec![
                Span::bold(self.t(
                    "Le fichier n'a pas pu être lu : ",
                    "The file could not be read: ",
                )),
                Span::plain(e.clone()),
            ]);
            return;
        }
        self.quoted.clear();
        self.summary(n, r);
        self.gaps(n, r);
        self.findings(n, r);
        self.appendix(n, r);
    }

    pub(super) fn identity(&mut self, r: &FileReport) {
        let v = &r.vendor;
        let format = r
            .format
            .and_then(|f| serde_json::to_value(f).ok())
            .and_then(|v| v.as_str().map(str::to_uppercase))
            .unwrap_or_else(|| "—".into());
        let mut rows = vec![
            vec![self.t("Soumissionnaire", "Vendor"), v.name.clone()],
            vec![self.t("SIREN / SIRET", "SIREN / SIRET"), v.siret.clone()],
            vec![
                self.t("Contact", "Contact"),
                format!("{} {}", v.contact, v.email).trim().to_string(),
            ],
            vec![self.t("Date indiquée", "Date given"), v.date.clone()],
            vec![
                self.t("Fichier", "File"),
                format!("{} ({format})", file_name(&r.file)),
            ],
        ];
        if !r.evidence.is_empty() {
            let read: Vec<String> = r
                .evidence
                .iter()
                .map(|e| format!("{} ({})", e.file, e.kind(self.lang)))
                .collect();
            rows.push(vec![
                self.t(
                    "Pièces lues et confrontées aux réponses",
                    "Files read and compared with the answers",
                ),
                read.join(if self.lang == Lang::Fr { " ; " } else { "; " }),
            ]);
        }
        self.doc.push(Block::Table {
            header: vec![self.t("Identité déclarée", "Identity given"), String::new()],
            rows,
            widths: vec![3, 7],
        });
    }

    /// Verdict, scores and counts: what fits on the chapter's first page.
    pub(super) fn summary(&mut self, n: usize, r: &FileReport) {
        self.doc.heading(
            2,
            self.t("Synthèse", "Summary"),
            format!("{}-synthese", anchor(n)),
        );
        let share = self.sel.plan.compass_share;
        let standing = match &r.judgment {
            Some(j) if j.scored() => {
                let (s, p, of) = (
                    r.score_text(self.lang),
                    self.num(j.points.unwrap_or(0.0)),
                    self.num(share),
                );
                let rank = r.rank_text(self.lang);
                self.t(
                    &format!(" — note boussole {s} sur 100, soit {p} points sur {of} de la note globale ; rang : {rank}."),
                    &format!(" — compass score {s} out of 100, that is {p} points out of {of} of the total mark; rank: {rank}."),
                )
            }
            _ => self.t(
                " — offre irrégulière, écartée sans être notée.",
                " — irregular offer, set aside without a score.",
            ),
        };
        self.doc.spans(vec![
            Span::bold(self.t("Verdict proposé : ", "Proposed verdict: ")),
            Span::bold(self.verdict(r)),
            Span::plain(standing),
        ]);
        if let Some(j) = r.judgment.as_ref().filter(|j| !j.grounds.is_empty()) {
            self.doc.para(self.t("Motifs :", "Grounds:"));
            self.doc.push(Block::Bullets(
                j.grounds
                    .iter()
                    .map(|g| {
                        vec![Span::plain(typography::apply(
                            &g.describe(self.sel, self.lang),
                            self.lang,
                        ))]
                    })
                    .collect(),
            ));
        }
        if let Some(j) = r.judgment.as_ref().filter(|j| !j.pending.is_empty()) {
            let ids: Vec<&str> = j.pending.iter().map(|p| p.question.as_str()).collect();
            self.doc.push(Block::Note(self.t(
                &format!("Note provisoire : éléments en attente de la note du comité d'évaluation ou d'autres offres, comptés 0 : {}.", ids.join(", ")),
                &format!("Provisional score: elements waiting for the evaluation committee's mark or for other offers, counted 0: {}.", ids.join(", ")),
            )));
        }
        self.marks_given(r);
        if let Some(before) = &r.before_decisions {
            self.doc.push(Block::Note(format!(
                "{} {}, {} {}.",
                self.t(
                    "Après les décisions du service juridique. Avant elles :",
                    "After legal staff's decisions. Before them:"
                ),
                before.verdict.label(self.lang),
                self.t("note", "score"),
                before
                    .score
                    .map_or_else(|| self.t("aucune", "none"), |s| self.num(s))
            )));
        }
        let count = |s: Severity| {
            r.findings
                .iter()
                .filter(|f| f.severity == s)
                .count()
                .to_string()
        };
        self.doc.push(Block::Table {
            header: vec![
                self.t("Éliminatoires", "Eliminatory"),
                self.t("Majeurs", "Major"),
                self.t("Mineurs", "Minor"),
                self.t("Information", "Information"),
                self.t("Alertes d'intégrité", "Integrity warnings"),
            ],
            rows: vec![vec![
                count(Severity::Eliminatory),
                count(Severity::Major),
                count(Severity::Minor),
                count(Severity::Info),
                r.integrity.len().to_string(),
            ]],
            widths: vec![1, 1, 1, 1, 1],
        });
        let rows = r
            .criteria
            .iter()
            .map(|c| {
                let sc = self.sel.criteria.iter().find(|x| x.id == c.id);
                vec![
                    self.criterion(&c.id),
                    sc.map_or("—".into(), |x| self.num(x.weight)),
                    c.score.map_or_else(|| "—".into(), |s| self.num(s)),
                    c.points.map_or_else(
                        || "—".into(),
                        |p| format!("{} / {}", self.num(p), self.num(c.out_of)),
                    ),
                    sc.and_then(|x| x.minimum)
                        .map_or("—".into(), |m| self.num(m)),
                    format!("{} / {}", c.answered, c.total),
                ]
            })
            .collect();
        self.doc.push(Block::Table {
            header: vec![
                self.t("Critère", "Criterion"),
                self.t("Sous-pondération", "Sub-weight"),
                self.t("Note (sur 100)", "Score (out of 100)"),
                self.t("Points", "Points"),
                self.t("Minimum", "Minimum"),
                self.t("Réponses lisibles", "Readable answers"),
            ],
            rows,
            widths: vec![32, 15, 12, 13, 13, 15],
        });
    }

    /// The committee's marks on `r`'s free-text elements: each with its
    /// reasons, who recorded it and when, as applied to its score.
    pub(super) fn marks_given(&mut self, r: &FileReport) {
        let given: Vec<&crate::report::marks::Mark> = (self.marks.iter())
            .filter(|m| m.sha256 == r.sha256 && m.file == r.file)
            .collect();
        if given.is_empty() {
            return;
        }
        self.doc.para(self.t(
            "Notes de la commission d'évaluation appliquées :",
            "The evaluation committee's marks applied:",
        ));
        let rows = given
            .iter()
            .map(|m| {
                vec![
                    m.question.clone(),
                    format!("{}\u{a0}/\u{a0}4", m.mark),
                    typography::apply(&m.reasons, self.lang),
                    match m.recorded.split_once(" — ") {
                        Some((day, who)) => {
                            let day = date_of(day)
                                .map_or_else(|| day.to_string(), |d| d.in_words(self.lang));
                            self.t(&format!("le {day}, par {who}"), &format!("{day}, by {who}"))
                        }
                        None => self.t("classeur de notation", "marking workbook"),
                    },
                ]
            })
            .collect();
        self.doc.push(Block::Table {
            header: vec![
                self.t("Question", "Question"),
                self.t("Note", "Mark"),
                self.t("Motifs", "Reasons"),
                self.t("Enregistrée", "Recorded"),
            ],
            rows,
            widths: vec![12, 10, 53, 25],
        });
    }

    /// The answers and documents missing or unreadable, in one table, with
    /// the legal point: what may be regularised, what is not credited.
    pub(super) fn gaps(&mut self, n: usize, r: &FileReport) {
        let mut gaps: Vec<&Finding> = r.findings.iter().filter(|f| is_gap(f)).collect();
        if gaps.is_empty() {
            return;
        }
        let rank = |f: &Finding| r.questions.iter().position(|q| q.id == f.question);
        gaps.sort_by_key(|f| rank(f));
        let regularisable = crate::report::letters::to_regularise(r);
        let title = match (gaps.len(), self.lang) {
            (1, Lang::Fr) => "Une réponse ou pièce manquante ou illisible".to_string(),
            (k, Lang::Fr) => format!("{k} réponses ou pièces manquantes ou illisibles"),
            (1, Lang::En) => "One answer or document missing or unreadable".to_string(),
            (k, Lang::En) => format!("{k} answers or documents missing or unreadable"),
        };
        self.doc
            .heading(2, title, format!("{}-manquantes", anchor(n)));
        self.doc.para(self.t(
            "Les éléments « à régulariser » conditionnent la régularité de l'offre : leur régularisation peut être demandée au soumissionnaire, sans que les caractéristiques substantielles de l'offre puissent en être modifiées (CCP, art. R. 2152-2). Les éléments « non crédités » relèvent des critères d'attribution : les compléter après la date limite de remise des offres reviendrait à modifier l'offre ; ils ne rapportent pas de points.",
            "Elements « to regularise » condition the offer's regularity: the vendor may be asked to regularise them, without the offer's substantial characteristics being changed (CCP, art. R. 2152-2). Elements « not credited » belong to the award criteria: completing them after the deadline for offers would change the offer; they earn no points.",
        ));
        let rows = gaps
            .into_iter()
            .map(|f| {
                let what = match f.status {
                    FindingStatus::Missing => self.t("réponse manquante", "missing answer"),
                    FindingStatus::Invalid if f.message.is_empty() => {
                        self.t("réponse illisible", "unreadable answer")
                    }
                    FindingStatus::Invalid => typography::apply(
                        &format!(
                            "{} — {}",
                            self.t("réponse illisible", "unreadable answer"),
                            f.message
                        ),
                        self.lang,
                    ),
                    _ => {
                        // The effect is the next column's.
                        let m = f.message.trim_end_matches('.');
                        let m = m.rsplit_once(" (").map_or(m, |(head, _)| head);
                        typography::apply(m, self.lang)
                    }
                };
                let what = if f.answer.trim().is_empty() || f.status == FindingStatus::Missing {
                    what
                } else {
                    format!(
                        "{what}{}{}",
                        self.t(" ; réponse reçue : ", "; answer received: "),
                        typography::quote(f.answer.trim(), self.lang)
                    )
                };
                let effect = if regularisable.iter().any(|g| std::ptr::eq(*g, f)) {
                    self.t("à régulariser", "to regularise")
                } else {
                    self.t("non crédité", "not credited")
                };
                let articles: Vec<&str> = f
                    .clauses
                    .iter()
                    .filter_map(|c| self.articles.get(c).map(String::as_str))
                    .collect();
                vec![
                    f.question.clone(),
                    typography::apply(&f.question_text, self.lang),
                    if articles.is_empty() {
                        "—".into()
                    } else {
                        articles.join(", ")
                    },
                    what,
                    effect,
                    f.decision
                        .as_ref()
                        .map_or_else(String::new, |d| d.decision.label(self.lang).to_string()),
                ]
            })
            .collect();
        self.doc.push(Block::Table {
            header: vec![
                self.t("Question", "Question"),
                self.t("Intitulé", "Question text"),
                self.t("Article", "Article"),
                self.t("Constat", "Finding"),
                self.t("Suite", "Effect"),
                self.t("Décision", "Decision"),
            ],
            rows,
            widths: vec![12, 32, 10, 20, 14, 12],
        });
    }
}
