//! The memo for legal staff: a Word document that puts each point the
//! checker raised beside the clause, the law and the vendor's own words,
//! with room for the buyer's decision.
//!
//! One chapter per file: a one-page summary (identity, file hash, verdict,
//! scores, counts), then one section per eliminatory or major finding (the
//! question, the vendor's answer and comment in full, why it fails, the
//! clauses at stake with their article numbers as the annex prints them,
//! their verified legal basis, and an empty decision box), then an appendix
//! of minor findings and integrity warnings. Vendor text is printed as it
//! was read (no typography, no truncation: the workbook cuts cells at
//! 32,767 characters, the memo does not); the DOCX renderer drops the
//! control characters XML forbids. The date is the report's
//! `generated_at` (which honours `SOURCE_DATE_EPOCH`), so the same report
//! gives the same bytes.

use std::collections::BTreeMap;

use super::{FileReport, FileStatus, Report};
use crate::Error;
use crate::annex;
use crate::check::Basis;
use crate::date::Date;
use crate::finding::{DecisionKind, Finding, FindingStatus};
use crate::library::{LegalRef, LegalStatus, Part};
use crate::office::document::{Block, Document, Span};
use crate::office::{docx, typography};
use crate::rule::Severity;
use crate::selection::Selection;
use crate::text::{self, Lang};

/// The memo of `report` as DOCX bytes.
pub fn render(report: &Report, basis: &Basis) -> Result<Vec<u8>, Error> {
    docx::render(&build(report, basis))
}

/// The memo of `report` as a neutral document.
pub fn build(report: &Report, basis: &Basis) -> Document {
    let mut w = Writer {
        lang: basis.lang,
        sel: &basis.selection,
        articles: annex::article_numbers(&basis.selection),
        doc: document(report, basis),
    };
    w.cover(report, basis);
    for (n, (_, r)) in (1..).zip(report.by_standing()) {
        w.chapter(n, r);
    }
    w.doc
}

/// The date of `generated_at` (`YYYY-MM-DD…`).
fn date_of(generated_at: &str) -> Option<Date> {
    generated_at.get(..10).and_then(|d| d.parse().ok())
}

fn document(report: &Report, basis: &Basis) -> Document {
    let lang = basis.lang;
    let p = &basis.profile;
    let name = match lang {
        Lang::Fr => "Note d'analyse des offres — boussole de l'IA",
        Lang::En => "Offer analysis memo — AI compass",
    };
    Document {
        title: format!("{} — {}", typography::apply(name, lang), p.tender.reference),
        subject: p.tender.title.clone(),
        author: p.buyer.name.clone(),
        keywords: "boussole; IA; commande publique; analyse des offres".into(),
        description: format!("boussole {}", report.tool.version),
        date: date_of(&report.generated_at),
        lang,
        header: format!("{} — {}", p.tender.reference, typography::apply(name, lang)),
        landscape: false,
        custom: vec![
            (
                "boussole.library_version".into(),
                report.library.version.clone(),
            ),
            ("boussole.library_hash".into(), report.library.hash.clone()),
            ("boussole.profile_hash".into(), report.profile.hash.clone()),
            ("boussole.generated_at".into(), report.generated_at.clone()),
        ],
        blocks: Vec::new(),
    }
}

struct Writer<'a> {
    lang: Lang,
    sel: &'a Selection,
    /// Clause id → article number in the annex.
    articles: BTreeMap<String, String>,
    doc: Document,
}

impl Writer<'_> {
    /// Our own words in the memo's language, with French typography.
    fn t(&self, fr: &str, en: &str) -> String {
        typography::apply(if self.lang == Lang::Fr { fr } else { en }, self.lang)
    }

    fn num(&self, x: f64) -> String {
        text::number((x * 10.0).round() / 10.0, self.lang)
    }

    fn criterion(&self, id: &str) -> String {
        self.sel
            .criteria
            .iter()
            .find(|c| c.id == id)
            .map_or(id.to_string(), |c| {
                format!(
                    "{}. {}",
                    c.order,
                    typography::apply(c.title.get(self.lang), self.lang)
                )
            })
    }

    fn cover(&mut self, report: &Report, basis: &Basis) {
        let p = &basis.profile;
        self.doc.push(Block::Title(
            self.t("Note d'analyse des offres", "Offer analysis memo"),
        ));
        self.doc.spans(vec![Span::bold(self.t(
            "Réponses au questionnaire « boussole de l'IA » — à l'attention du service juridique",
            "Answers to the \"AI compass\" questionnaire — for legal staff",
        ))]);
        let when = date_of(&report.generated_at).map_or(report.generated_at.clone(), |d| {
            format!(
                "{} ({} UTC)",
                d.in_words(self.lang),
                report.generated_at.get(11..16).unwrap_or("")
            )
        });
        let rows = vec![
            vec![self.t("Acheteur", "Buyer"), p.buyer.name.clone()],
            vec![self.t("Consultation", "Tender"), p.tender.reference.clone()],
            vec![self.t("Objet", "Subject"), p.tender.title.clone()],
            vec![self.t("Date de l'analyse", "Date of the analysis"), when],
            vec![
                self.t("Outil", "Tool"),
                format!("{} {}", report.tool.name, report.tool.version),
            ],
            vec![
                self.t("Bibliothèque boussole", "Compass library"),
                format!(
                    "{} (SHA-256 {})",
                    report.library.version, report.library.hash
                ),
            ],
            vec![
                self.t("Profil de la consultation", "Tender profile"),
                format!("SHA-256 {}", report.profile.hash),
            ],
            vec![
                self.t("Fichiers analysés", "Files analysed"),
                report.results.len().to_string(),
            ],
        ];
        self.doc.push(Block::Table {
            header: vec![self.t("Rubrique", "Item"), self.t("Valeur", "Value")],
            rows,
            widths: vec![3, 7],
        });
        self.doc.push(Block::Note(self.t(
            "Cette note présente les constats de l'outil ; chaque décision revient à l'acheteur. Les mots des candidats sont cités tels qu'ils ont été lus dans leur fichier, en entier. Les fondements juridiques cités sont ceux que la bibliothèque a vérifiés.",
            "This memo sets out the tool's findings; every decision is the buyer's. Vendors' words are quoted in full, as read from their file. The legal bases cited are those the library has verified.",
        )));
        if report.results.len() > 1 {
            self.overview(report);
        }
        if !report.skipped.is_empty() {
            let items = report
                .skipped
                .iter()
                .map(|s| vec![Span::plain(format!("{} ({})", s.path, s.reason))])
                .collect();
            self.doc.para(self.t(
                "Fichiers écartés avant l'analyse :",
                "Files passed over before the analysis:",
            ));
            self.doc.push(Block::Bullets(items));
        }
    }

    /// With several files: one line each, and the contents.
    fn overview(&mut self, report: &Report) {
        let rows = report
            .by_standing()
            .into_iter()
            .map(|(_, r)| {
                let count = |s: Severity| {
                    r.findings
                        .iter()
                        .filter(|f| f.severity == s)
                        .count()
                        .to_string()
                };
                vec![
                    vendor(r),
                    r.file.clone(),
                    self.verdict(r),
                    r.score_text(self.lang),
                    count(Severity::Eliminatory),
                    count(Severity::Major),
                ]
            })
            .collect();
        self.doc.push(Block::Table {
            header: vec![
                self.t("Candidat", "Vendor"),
                self.t("Fichier", "File"),
                self.t("Verdict", "Verdict"),
                self.t("Note", "Score"),
                self.t("Élim.", "Elim."),
                self.t("Majeurs", "Major"),
            ],
            rows,
            widths: vec![22, 30, 18, 10, 10, 10],
        });
        let entries = (1..)
            .zip(report.by_standing())
            .map(|(n, (_, r))| (1, self.chapter_title(n, r), anchor(n)))
            .collect();
        self.doc.push(Block::Contents(entries));
    }

    fn verdict(&self, r: &FileReport) -> String {
        match (r.status, r.verdict) {
            (FileStatus::Ok, Some(v)) => v.label(self.lang).to_string(),
            _ => self.t("fichier illisible", "unreadable file"),
        }
    }

    fn chapter_title(&self, n: usize, r: &FileReport) -> String {
        format!("{} {n} — {}", self.t("Candidat", "Vendor"), vendor(r))
    }

    /// One file: its summary, its findings, its appendix.
    fn chapter(&mut self, n: usize, r: &FileReport) {
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
        self.summary(n, r);
        self.findings(n, r);
        self.appendix(n, r);
    }

    fn identity(&mut self, r: &FileReport) {
        let v = &r.vendor;
        let format = r
            .format
            .and_then(|f| serde_json::to_value(f).ok())
            .and_then(|v| v.as_str().map(str::to_uppercase))
            .unwrap_or_else(|| "—".into());
        let rows = vec![
            vec![self.t("Candidat", "Vendor"), v.name.clone()],
            vec![self.t("SIREN / SIRET", "SIREN / SIRET"), v.siret.clone()],
            vec![
                self.t("Contact", "Contact"),
                format!("{} {}", v.contact, v.email).trim().to_string(),
            ],
            vec![self.t("Date indiquée", "Date given"), v.date.clone()],
            vec![self.t("Fichier", "File"), format!("{} ({format})", r.file)],
            vec![
                self.t("Empreinte SHA-256", "SHA-256 fingerprint"),
                r.sha256.clone(),
            ],
        ];
        self.doc.push(Block::Table {
            header: vec![self.t("Identité déclarée", "Identity given"), String::new()],
            rows,
            widths: vec![3, 7],
        });
    }

    /// Verdict, scores and counts: what fits on the chapter's first page.
    fn summary(&mut self, n: usize, r: &FileReport) {
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
            widths: vec![38, 12, 12, 14, 10, 14],
        });
    }

    /// One section per eliminatory or major finding.
    fn findings(&mut self, n: usize, r: &FileReport) {
        self.doc.heading(
            2,
            self.t(
                "Constats éliminatoires et majeurs",
                "Eliminatory and major findings",
            ),
            format!("{}-constats", anchor(n)),
        );
        let serious: Vec<&Finding> = r
            .findings
            .iter()
            .filter(|f| f.severity >= Severity::Major)
            .collect();
        if serious.is_empty() {
            self.doc.push(Block::Note(self.t(
                "Aucun constat éliminatoire ou majeur.",
                "No eliminatory or major finding.",
            )));
        }
        for f in serious {
            self.finding(n, f);
        }
    }

    fn finding(&mut self, n: usize, f: &Finding) {
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
    fn words(&mut self, f: &Finding) {
        let answer = if f.answer.is_empty() {
            Span::italic(self.t("(aucune réponse)", "(no answer)"))
        } else {
            Span::plain(f.answer.clone())
        };
        self.doc.spans(vec![
            Span::bold(self.t(
                "Réponse du candidat, mot pour mot : ",
                "The vendor's answer, word for word: ",
            )),
            answer,
        ]);
        if !f.comment.is_empty() {
            self.doc.spans(vec![
                Span::bold(self.t("Justification du candidat : ", "The vendor's comment: ")),
                Span::plain(f.comment.clone()),
            ]);
        }
    }

    fn why(&self, f: &Finding) -> String {
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
            format!("{kind} ({}).", f.code)
        } else {
            format!("{kind} — {} ({}).", f.message, f.code)
        }
    }

    /// The clauses at stake, with their article number, and the legal basis.
    fn clauses(&mut self, f: &Finding) {
        let mut legal: Vec<&LegalRef> = f.legal.iter().collect();
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
            self.doc.spans(vec![
                Span::bold(typography::apply(&head, self.lang)),
                Span::plain(typography::apply(c.text.get(self.lang), self.lang)),
            ]);
            legal.extend(c.legal.iter());
        }
        let mut refs: Vec<&str> = Vec::new();
        for l in legal
            .into_iter()
            .filter(|l| l.status == LegalStatus::Verified)
        {
            if !refs.contains(&l.text.as_str()) {
                refs.push(&l.text);
            }
        }
        let basis = if refs.is_empty() {
            self.t(
                "aucune référence vérifiée n'est associée à cette question.",
                "no verified reference is attached to this question.",
            )
        } else {
            format!("{}.", refs.join(" ; "))
        };
        self.doc.spans(vec![
            Span::bold(self.t("Fondement juridique : ", "Legal basis: ")),
            Span::plain(basis),
        ]);
    }

    fn part(&self, part: Part) -> String {
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
    fn decision_box(&mut self, f: &Finding) {
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
        let fields = [
            field(self.t("Relecteur : ", "Reviewer: "), d.map(|d| &d.reviewer)),
            field(self.t("Date : ", "Date: "), d.map(|d| &d.date)),
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
    fn appendix(&mut self, n: usize, r: &FileReport) {
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
            .filter(|f| f.severity < Severity::Major)
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
                    self.t("Réponse du candidat", "The vendor's answer"),
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
                    i.code.to_string(),
                    i.question.clone().unwrap_or_default(),
                    i.message.clone(),
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
                    self.t("Code", "Code"),
                    self.t("Question", "Question"),
                    self.t("Constat", "What was seen"),
                ],
                rows,
                widths: vec![22, 14, 64],
            });
        }
    }
}

/// The vendor's name, or `—`.
fn vendor(r: &FileReport) -> String {
    let name = r.vendor.name.trim();
    if name.is_empty() {
        "—".into()
    } else {
        name.to_string()
    }
}

/// The anchor of chapter `n`.
fn anchor(n: usize) -> String {
    format!("candidat-{n}")
}
