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

mod chapter;
mod decided;
mod finding;

use std::collections::{BTreeMap, BTreeSet};

use super::{FileReport, FileStatus, Report};
use crate::Error;
use crate::annex;
use crate::check::Basis;
use crate::date::Date;
use crate::finding::{Code, Finding, FindingStatus};
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
