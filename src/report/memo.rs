//! The memo for legal staff (note juridique): a Word document laid out as
//! an internal legal memo, which puts each point the checker raised beside
//! the clause, the law and the vendor's own words, with room for the
//! buyer's decision.
//!
//! It opens with the memo header (À, De, Date, Objet, Réf.) and, on the
//! first page, the decision proposed for each offer with its grounds, as
//! the offer's judgment states them (set aside, to regularise, ranked);
//! nothing is re-derived here; then, when legal staff's decisions were
//! applied (`--decisions`, or those kept in a dossier), each of them with
//! its finding, the reviewer named and who recorded it when. The answers that copy the questionnaire's
//! example or share their text with other offers are **one** table for the
//! batch (offer, question, what the answer shares and with whom). Then one
//! chapter per file: identity, verdict
//! and scores; the answers and documents missing or unreadable in **one**
//! table (what may be regularised under CCP R. 2152-2, what is simply not
//! credited); one section per other eliminatory or major finding, suspect
//! answers aside (the
//! question, the vendor's answer and comment in full, why it fails, the
//! clauses at stake with their article numbers as the annex prints them —
//! a clause's text quoted once per chapter —, their verified legal basis,
//! and a decision box kept on the page of the finding's last lines); an
//! appendix of minor findings and integrity warnings. No internal code,
//! hash or path: the provenance stays in the document properties.
//!
//! Vendor text is printed as it was read (no typography, no truncation:
//! the workbook cuts cells at 32,767 characters, the memo does not); the
//! DOCX renderer drops the control characters XML forbids. The date is the
//! report's `generated_at` (which honours `SOURCE_DATE_EPOCH`), so the same
//! report gives the same bytes.

mod decided;

use std::collections::{BTreeMap, BTreeSet};

use super::{FileReport, FileStatus, Report};
use crate::Error;
use crate::annex;
use crate::check::Basis;
use crate::date::Date;
use crate::finding::{Code, DecisionKind, Finding, FindingStatus};
use crate::library::Part;
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
        quoted: BTreeSet::new(),
        marks: report
            .marks
            .as_ref()
            .map(|m| m.marks.as_slice())
            .unwrap_or_default(),
    };
    w.cover(report, basis);
    w.suspects(report);
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
        Lang::Fr => "Note juridique — analyse des offres, boussole de l'IA",
        Lang::En => "Legal memo — offer analysis, AI compass",
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
    /// The clauses whose text the current chapter has quoted.
    quoted: BTreeSet<String>,
    /// The committee's marks applied.
    marks: &'a [super::marks::Mark],
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

    /// The memo header, the decisions proposed, the contents.
    fn cover(&mut self, report: &Report, basis: &Basis) {
        let p = &basis.profile;
        let lang = self.lang;
        self.doc
            .push(Block::Title(self.t("Note juridique", "Legal memo")));
        let when = date_of(&report.generated_at)
            .map_or_else(|| report.generated_at.clone(), |d| d.in_words(lang));
        let from = match p.buyer.department.as_deref().map(str::trim) {
            Some(d) if !d.is_empty() => format!("{d}, {}", p.buyer.name),
            _ => p.buyer.name.clone(),
        };
        let lot = p
            .tender
            .lot
            .as_deref()
            .filter(|l| !l.trim().is_empty())
            .map(|l| format!(" — {l}"))
            .unwrap_or_default();
        let lines = [
            (
                self.t("À : ", "To: "),
                self.t("service juridique", "legal staff"),
            ),
            (self.t("De : ", "From: "), from),
            (self.t("Date : ", "Date: "), when),
            (
                self.t("Objet : ", "Subject: "),
                typography::apply(
                    &match lang {
                        Lang::Fr => format!(
                            "analyse des réponses au questionnaire « boussole de l'IA » — {}{lot}",
                            p.tender.title
                        ),
                        Lang::En => format!(
                            "analysis of the answers to the \"AI compass\" questionnaire — {}{lot}",
                            p.tender.title
                        ),
                    },
                    lang,
                ),
            ),
            (
                self.t("Réf. : ", "Ref.: "),
                typography::apply(
                    &match lang {
                        Lang::Fr => format!("consultation n° {}", p.tender.reference),
                        Lang::En => format!("tender no. {}", p.tender.reference),
                    },
                    lang,
                ),
            ),
        ];
        let mut spans = Vec::new();
        for (i, (label, value)) in lines.into_iter().enumerate() {
            if i > 0 {
                spans.push(Span::plain("\n"));
            }
            spans.push(Span::bold(label));
            spans.push(Span::plain(value));
        }
        self.doc.spans(spans);
        self.doc.push(Block::Note(self.t(
            "Document interne, préparatoire à la décision de l'acheteur — non communicable aux soumissionnaires.",
            "Internal document, preparing the buyer's decision — not to be disclosed to tenderers.",
        )));
        self.decisions_proposed(report);
        self.decisions_included(report);
        let shown = self.num(text::SHOWN_CHARS as f64);
        self.doc.push(Block::Note(self.t(
            &format!("Les constats viennent de l'analyse des fichiers remis ; chaque décision revient à l'acheteur. Les mots des soumissionnaires sont cités tels qu'ils ont été lus ; au-delà de {shown} caractères, une citation est coupée et le signale, le texte entier restant dans l'offre. Seuls sont cités les fondements juridiques dont le texte a été relu à sa source officielle lors de la rédaction des clauses. Dans chaque encadré « Décision de l'acheteur » : « constat levé », le constat ne compte plus (une exigence qu'il mettait en cause n'écarte plus l'offre) ; « constat confirmé », il est maintenu ; « précision demandée », une question est posée au soumissionnaire."),
            &format!("The findings come from the analysis of the files returned; every decision is the buyer's. Vendors' words are quoted as read; past {shown} characters a quotation is cut and says so, the whole text remaining in the offer. Only the legal bases whose text was read at its official source when the clauses were written are cited. In each « Buyer's decision » box: « finding lifted », the finding no longer counts (a requirement it called into question no longer sets the offer aside); « finding confirmed », it stands; « clarification requested », the vendor is asked a question."),
        )));
        if !report.skipped.is_empty() {
            let items = report
                .skipped
                .iter()
                .map(|s| {
                    vec![Span::plain(format!(
                        "{} ({})",
                        file_name(&s.path),
                        s.reason
                    ))]
                })
                .collect();
            self.doc.para(self.t(
                "Fichiers écartés avant l'analyse :",
                "Files passed over before the analysis:",
            ));
            self.doc.push(Block::Bullets(items));
        }
        if report.results.len() > 1 {
            let suspects = report
                .results
                .iter()
                .any(|r| r.findings.iter().any(is_suspect))
                .then(|| (1, self.suspects_title(), SUSPECTS.to_string()));
            let entries = suspects
                .into_iter()
                .chain(
                    (1..)
                        .zip(report.by_standing())
                        .map(|(n, (_, r))| (1, self.chapter_title(n, r), anchor(n))),
                )
                .collect();
            self.doc.push(Block::Contents(entries));
        }
    }

    fn suspects_title(&self) -> String {
        self.t(
            "Réponses à examiner : exemples recopiés et textes communs à plusieurs offres",
            "Answers to examine: copied examples and text shared by several offers",
        )
    }

    /// The answers that repeat the questionnaire's example or share their
    /// text with other offers, in one table for the batch: the offer, the
    /// question, what the answer shares and with whom, the decision
    /// recorded.
    fn suspects(&mut self, report: &Report) {
        let mut rows: Vec<Vec<String>> = Vec::new();
        for (_, r) in report.by_standing() {
            let mut questions: Vec<&str> = r
                .findings
                .iter()
                .filter(|f| is_suspect(f))
                .map(|f| f.question.as_str())
                .collect();
            let rank = |q: &str| r.questions.iter().position(|x| x.id == q);
            questions.sort_by_key(|q| rank(q));
            questions.dedup();
            for q in questions {
                let about: Vec<&Finding> = r
                    .findings
                    .iter()
                    .filter(|f| is_suspect(f) && f.question == q)
                    .collect();
                let mut shares = Vec::new();
                for f in &about {
                    if f.code == Code::ExampleCopied {
                        shares.push(self.t(
                            "l'exemple publié dans le questionnaire",
                            "the example published in the questionnaire",
                        ));
                    } else {
                        let names: Vec<String> =
                            f.related
                                .iter()
                                .map(|file| {
                                    report.results.iter().find(|x| &x.file == file).map_or_else(
                                        || file_name(file),
                                        |x| x.vendor_label(self.lang),
                                    )
                                })
                                .collect();
                        let text = match (self.lang, names.len()) {
                            (Lang::Fr, 1) => format!("la réponse de {}", names[0]),
                            (Lang::Fr, _) => format!("les réponses de {}", names.join(", ")),
                            (Lang::En, 1) => format!("the answer of {}", names[0]),
                            (Lang::En, _) => format!("the answers of {}", names.join(", ")),
                        };
                        shares.push(typography::apply(&text, self.lang));
                    }
                }
                let decisions: BTreeSet<&str> = about
                    .iter()
                    .filter_map(|f| f.decision.as_ref().map(|d| d.decision.label(self.lang)))
                    .collect();
                let text = about
                    .first()
                    .map(|f| typography::apply(&f.question_text, self.lang))
                    .unwrap_or_default();
                rows.push(vec![
                    vendor(r),
                    format!("{q} — {text}"),
                    shares.join(self.t(" ; ", "; ").as_str()),
                    decisions.into_iter().collect::<Vec<_>>().join(", "),
                ]);
            }
        }
        if rows.is_empty() {
            return;
        }
        self.doc.push(Block::PageBreak);
        self.doc.heading(1, self.suspects_title(), SUSPECTS);
        self.doc.para(self.t(
            "Ces réponses reprennent, au mot près ou presque, l'exemple que le questionnaire publiait, ou un texte qui figure aussi dans d'autres offres. Ce n'est pas un motif d'élimination en soi : c'est un signal à examiner avant de noter ces réponses, et, pour un texte commun à plusieurs soumissionnaires, avant de se prononcer sur l'indépendance des offres. Les réponses elles-mêmes figurent dans la grille d'analyse, où la décision est consignée.",
            "These answers repeat, word for word or nearly, the example the questionnaire published, or a text that is also in other offers. This is not a ground for rejection in itself: it is a signal to examine before marking these answers and, for a text several tenderers share, before taking a view on the offers' independence. The answers themselves are in the scoring workbook, where the decision is recorded.",
        ));
        self.doc.push(Block::Table {
            header: vec![
                self.t("Soumissionnaire", "Vendor"),
                self.t("Question", "Question"),
                self.t("La réponse reprend", "The answer repeats"),
                self.t("Décision", "Decision"),
            ],
            rows,
            widths: vec![20, 40, 28, 12],
        });
    }

    /// The decision proposed for each offer, and its grounds: the
    /// judgment's, in words.
    fn decisions_proposed(&mut self, report: &Report) {
        self.doc.heading(
            1,
            self.t(
                "Synthèse et décisions proposées",
                "Summary and proposed decisions",
            ),
            "synthese",
        );
        let rows = report
            .by_standing()
            .into_iter()
            .map(|(_, r)| {
                let (decision, grounds) = self.proposal(r);
                vec![vendor(r), decision, grounds]
            })
            .collect();
        self.doc.push(Block::Table {
            header: vec![
                self.t("Soumissionnaire", "Vendor"),
                self.t("Décision proposée", "Proposed decision"),
                self.t("Motifs", "Grounds"),
            ],
            rows,
            widths: vec![22, 30, 48],
        });
    }

    /// The decision proposed for `r`, and its grounds, in words.
    fn proposal(&self, r: &FileReport) -> (String, String) {
        use crate::judgment::{GroundKind, Standing};
        let Some(j) = r.judgment.as_ref().filter(|_| r.status == FileStatus::Ok) else {
            return (
                self.t(
                    "Examiner le fichier, qui n'a pas pu être lu",
                    "Examine the file, which could not be read",
                ),
                r.error.clone().unwrap_or_default(),
            );
        };
        let ids = |kinds: &[GroundKind]| -> Vec<&str> {
            j.grounds
                .iter()
                .filter(|g| kinds.contains(&g.kind))
                .map(|g| g.about.as_str())
                .collect()
        };
        let serious = r
            .findings
            .iter()
            .filter(|f| f.severity >= Severity::Major && !is_gap(f))
            .count();
        match j.standing {
            Standing::Irregular => (
                self.t(
                    "Écarter l'offre comme irrégulière (CCP, art. L. 2152-1 et L. 2152-2)",
                    "Reject the offer as irregular (CCP, art. L. 2152-1 and L. 2152-2)",
                ),
                j.grounds
                    .iter()
                    .map(|g| typography::apply(&g.describe(self.sel, self.lang), self.lang))
                    .collect::<Vec<_>>()
                    .join(" ; ")
                    + ".",
            ),
            Standing::ToRegularise => {
                let gaps = ids(&[GroundKind::Unanswered, GroundKind::EvidenceMissing]);
                (
                    self.t(
                        "Inviter le soumissionnaire à régulariser son offre (CCP, art. R. 2152-2) ; la lettre de demande est prête",
                        "Invite the vendor to regularise its offer (CCP, art. R. 2152-2); the request letter is ready",
                    ),
                    typography::apply(
                        &match (gaps.len(), self.lang) {
                            (1, Lang::Fr) => format!("Une réponse ou pièce conditionnant la régularité est manquante ou illisible : {}. L'offre sera classée ou écartée selon la réponse.", gaps.join(", ")),
                            (n, Lang::Fr) => format!("{n} réponses ou pièces conditionnant la régularité sont manquantes ou illisibles : {}. L'offre sera classée ou écartée selon la réponse.", gaps.join(", ")),
                            (1, Lang::En) => format!("One answer or document on which regularity depends is missing or unreadable: {}. The offer will be ranked or rejected depending on the answer.", gaps.join(", ")),
                            (n, Lang::En) => format!("{n} answers or documents on which regularity depends are missing or unreadable: {}. The offer will be ranked or rejected depending on the answer.", gaps.join(", ")),
                        },
                        self.lang,
                    ),
                )
            }
            Standing::Ranked => {
                let points = j.points.map_or_else(|| "—".into(), |p| self.num(p));
                let provisional = if j.provisional {
                    self.t(", à titre provisoire", ", provisionally")
                } else {
                    String::new()
                };
                let decision = match self.lang {
                    Lang::Fr => format!(
                        "Classer l'offre : {} rang, {points} points sur {}{provisional}",
                        r.rank_text(self.lang),
                        self.num(j.out_of)
                    ),
                    Lang::En => format!(
                        "Rank the offer: {}, {points} points out of {}{provisional}",
                        r.rank_text(self.lang),
                        self.num(j.out_of)
                    ),
                };
                let grounds = match (serious, self.lang) {
                    (0, Lang::Fr) => "Aucun motif d'irrégularité ni constat majeur.".to_string(),
                    (0, Lang::En) => "No ground of irregularity and no major finding.".to_string(),
                    (1, Lang::Fr) => "Aucun motif d'irrégularité ; un constat majeur à examiner, qui n'écarte pas l'offre mais peut appeler une précision.".to_string(),
                    (1, Lang::En) => "No ground of irregularity; one major finding to examine, which does not set the offer aside but may call for clarification.".to_string(),
                    (n, Lang::Fr) => format!("Aucun motif d'irrégularité ; {n} constats majeurs à examiner, qui n'écartent pas l'offre mais peuvent appeler une précision."),
                    (n, Lang::En) => format!("No ground of irregularity; {n} major findings to examine, which do not set the offer aside but may call for clarification."),
                };
                (
                    typography::apply(&decision, self.lang),
                    typography::apply(&grounds, self.lang),
                )
            }
        }
    }

    fn verdict(&self, r: &FileReport) -> String {
        match (r.status, r.verdict) {
            (FileStatus::Ok, Some(v)) => v.label(self.lang).to_string(),
            _ => self.t("fichier illisible", "unreadable file"),
        }
    }

    fn chapter_title(&self, n: usize, r: &FileReport) -> String {
        format!(
            "{} {n} — {}",
            self.t("Soumissionnaire", "Vendor"),
            vendor(r)
        )
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
        self.quoted.clear();
        self.summary(n, r);
        self.gaps(n, r);
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
    fn marks_given(&mut self, r: &FileReport) {
        let given: Vec<&super::marks::Mark> = (self.marks.iter())
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
    fn gaps(&mut self, n: usize, r: &FileReport) {
        let mut gaps: Vec<&Finding> = r.findings.iter().filter(|f| is_gap(f)).collect();
        if gaps.is_empty() {
            return;
        }
        let rank = |f: &Finding| r.questions.iter().position(|q| q.id == f.question);
        gaps.sort_by_key(|f| rank(f));
        let regularisable = super::letters::to_regularise(r);
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

    /// One section per eliminatory or major finding.
    fn findings(&mut self, n: usize, r: &FileReport) {
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
            format!("{kind}.")
        } else {
            let message = f.message.trim_end_matches('.');
            format!("{kind} — {message}.")
        }
    }

    /// The clauses at stake, with their article number, and the legal basis.
    fn clauses(&mut self, f: &Finding) {
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
        let reviewer = d.map(|d| match d.recorded_by.as_str() {
            "" => d.reviewer.clone(),
            by => format!(
                "{} ({})",
                d.reviewer,
                self.t("enregistrée par ", "recorded by ") + by
            ),
        });
        let date = d.map(|d| super::decisions::date_in_words(&d.date, self.lang));
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

/// A file's name without its folders.
fn file_name(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}

/// Whether `f` says an answer is missing or unreadable, or its document
/// missing: such findings go into one table, not one section each.
fn is_gap(f: &Finding) -> bool {
    matches!(
        f.status,
        FindingStatus::Missing | FindingStatus::Invalid | FindingStatus::Evidence
    )
}

/// Whether `f` says an answer repeats the questionnaire's example or
/// shares its text with other offers: such findings go into one table for
/// the batch.
fn is_suspect(f: &Finding) -> bool {
    matches!(f.code, Code::ExampleCopied | Code::SharedText)
}

/// The anchor of the table of suspect answers.
const SUSPECTS: &str = "reponses-a-examiner";

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
