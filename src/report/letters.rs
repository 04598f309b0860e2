//! Regularisation requests (`boussole check --format letters -o DIR`): one
//! Word letter per offer to regularise, listing only what CCP R. 2152-2
//! allows to ask for (regularity answers missing or unreadable, required
//! documents missing), for the buyer to complete, sign and send.
//!
//! Equal treatment: every letter has the same text in the same order; only
//! the vendor's data differ (name, SIRET, contact, file, and the answers
//! listed, in questionnaire order). The letter cites article R. 2152-2 of
//! the public procurement code (regularisation of irregular offers, all
//! tenderers concerned, without changing the offer's substantial
//! characteristics) and L. 2152-1 / L. 2152-2 (irregular offers are
//! rejected). The deadline, the place, the date and the signatory are
//! placeholders in brackets, which the buyer fills in.
//!
//! Only offers whose verdict is *incomplete* get a letter, after the legal
//! review when `--decisions` is given (an accepted finding is not listed):
//! an offer failing an eliminatory requirement is irregular on substance,
//! which a regularisation cannot change.

use super::{FileReport, FileStatus, Report};
use crate::Error;
use crate::check::{Basis, Verdict};
use crate::date::Date;
use crate::finding::{DecisionKind, Finding, FindingStatus};
use crate::office::document::{Block, Document, Span};
use crate::text::Lang;

/// One letter to write.
#[derive(Debug, Clone)]
pub struct Letter {
    /// Its file name: `regularisation-NN-vendor.docx` (NN: the file's rank in the report).
    pub file_name: String,
    /// The vendor, as named in its file.
    pub vendor: String,
    /// The DOCX bytes.
    pub bytes: Vec<u8>,
}

/// The letters of `report`: one per incomplete offer, in report order.
pub fn render(report: &Report, basis: &Basis) -> Result<Vec<Letter>, Error> {
    (1..)
        .zip(&report.results)
        .filter(|(_, r)| needs_letter(r))
        .map(|(rank, r)| {
            Ok(Letter {
                file_name: file_name(rank, r),
                vendor: r.vendor.name.trim().to_string(),
                bytes: crate::office::docx::render(&document(report, basis, r))?,
            })
        })
        .collect()
}

/// Whether the offer gets a letter: checked, and incomplete.
pub fn needs_letter(r: &FileReport) -> bool {
    r.status == FileStatus::Ok && r.verdict == Some(Verdict::Incomplete)
}

/// What may be regularised (CCP R. 2152-2), in questionnaire order: the
/// regularity answers missing or unreadable and the required documents
/// missing, as the offer's judgment lists them. Never an award answer: it
/// would change the offer's substance.
pub fn to_regularise(r: &FileReport) -> Vec<&Finding> {
    use crate::judgment::GroundKind;
    let grounds = r.judgment.as_ref().map_or(&[][..], |j| &j.grounds[..]);
    let ground = |kind: GroundKind, q: &str| grounds.iter().any(|g| g.kind == kind && g.about == q);
    let mut out: Vec<&Finding> = r
        .findings
        .iter()
        .filter(|f| match f.status {
            FindingStatus::Missing | FindingStatus::Invalid => {
                ground(GroundKind::Unanswered, &f.question)
            }
            FindingStatus::Evidence => ground(GroundKind::EvidenceMissing, &f.question),
            _ => false,
        })
        .filter(|f| {
            f.decision
                .as_ref()
                .is_none_or(|d| d.decision != DecisionKind::Lifted)
        })
        .collect();
    let rank = |f: &Finding| r.questions.iter().position(|q| q.id == f.question);
    out.sort_by_key(|f| rank(f));
    out
}

/// `regularisation-03-exemple-ia-sas.docx`: ASCII, from the vendor's name
/// (or the file's) and its rank, so that names never collide.
pub fn file_name(rank: usize, r: &FileReport) -> String {
    let stem = std::path::Path::new(&r.file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let base = if r.vendor.name.trim().is_empty() {
        stem
    } else {
        r.vendor.name.clone()
    };
    let mut slug = String::new();
    for c in base.chars().flat_map(fold_ascii) {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
        if slug.len() >= 40 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    let slug = if slug.is_empty() { "offre" } else { slug };
    format!("regularisation-{rank:02}-{slug}.docx")
}

/// A character without its accent, when it has a plain Latin base.
fn fold_ascii(c: char) -> Option<char> {
    use unicode_normalization::UnicodeNormalization;
    std::iter::once(c)
        .nfd()
        .next()
        .filter(char::is_ascii)
        .or(Some('-'))
}

/// The letter to the vendor of `r`.
pub fn document(report: &Report, basis: &Basis, r: &FileReport) -> Document {
    let lang = basis.lang;
    // Our own words, with French typography (vendors' words stay as read).
    let t = |fr: &str, en: &str| {
        crate::office::typography::apply(if lang == Lang::Fr { fr } else { en }, lang)
    };
    let p = &basis.profile;
    let mut doc = Document {
        title: t(
            "Demande de régularisation de l'offre",
            "Request to regularise the offer",
        ),
        subject: format!("{} — {}", p.tender.reference, p.tender.title),
        author: p.buyer.name.clone(),
        keywords: format!(
            "boussole; {}; {}",
            t("régularisation", "regularisation"),
            p.tender.reference
        ),
        description: t(
            "Demande de régularisation (article R. 2152-2 du code de la commande publique)",
            "Request to regularise (article R. 2152-2 of the French public procurement code)",
        ),
        date: report
            .generated_at
            .get(..10)
            .and_then(|d| d.parse::<Date>().ok()),
        lang,
        header: format!("{} — {}", p.buyer.name, p.tender.reference),
        landscape: false,
        custom: vec![
            ("boussole.tender".into(), p.tender.reference.clone()),
            ("boussole.file_sha256".into(), r.sha256.clone()),
            ("boussole.version".into(), report.tool.version.clone()),
            ("boussole.library_hash".into(), report.library.hash.clone()),
            ("boussole.profile_hash".into(), report.profile.hash.clone()),
        ],
        blocks: Vec::new(),
    };
    let mut buyer = vec![Span::bold(&p.buyer.name)];
    if let Some(d) = p
        .buyer
        .department
        .as_deref()
        .filter(|d| !d.trim().is_empty())
    {
        buyer.push(Span::plain(format!("\n{d}")));
    }
    doc.spans(buyer);
    let lot = p
        .tender
        .lot
        .as_deref()
        .filter(|l| !l.trim().is_empty())
        .map(|l| format!(" — {l}"))
        .unwrap_or_default();
    doc.para(format!(
        "{} {} — {}{lot}",
        t("Consultation :", "Tender:"),
        p.tender.reference,
        p.tender.title
    ));
    doc.spans(addressee(r, lang));
    doc.spans(vec![
        placeholder(&t("[Lieu]", "[Place]")),
        Span::plain(t(", le ", ", ")),
        placeholder(&t("[date d'envoi]", "[date sent]")),
    ]);
    doc.spans(vec![
        Span::bold(t("Objet : ", "Subject: ")),
        Span::plain(t(
            "demande de régularisation de votre offre",
            "request to regularise your offer",
        )),
    ]);
    doc.para(t("Madame, Monsieur,", "Dear Sir or Madam,"));
    doc.para(crate::office::typography::apply(&match lang {
        Lang::Fr => format!("L'examen du questionnaire « boussole de l'IA » joint à votre offre (fichier « {} ») fait apparaître que les réponses ou les pièces justificatives énumérées ci-dessous, qui conditionnent la régularité de l'offre, sont manquantes ou n'ont pas pu être lues.", file_of(r)),
        Lang::En => format!("Our review of the \"AI compass\" questionnaire attached to your offer (file \"{}\") shows that the answers or supporting documents listed below, on which the offer's regularity depends, are missing or could not be read.", file_of(r)),
    }, lang));
    doc.spans(vec![
        Span::plain(t("En application de l'article R. 2152-2 du code de la commande publique, nous vous invitons à régulariser votre offre en complétant ou en corrigeant ces seules réponses, au plus tard le ", "Under article R. 2152-2 of the French public procurement code, we invite you to regularise your offer by completing or correcting these answers only, no later than ")),
        placeholder(&t("[date et heure limites]", "[deadline: date and time]")),
        Span::plain(t(". Cette régularisation ne peut avoir pour effet de modifier les caractéristiques substantielles de votre offre. La même demande est adressée, dans les mêmes termes, à chaque candidat dont l'offre est incomplète.", ". This regularisation may not change the substantial characteristics of your offer. The same request is sent, in the same terms, to every tenderer whose offer is incomplete.")),
    ]);
    doc.push(table(r, lang));
    doc.spans(vec![
        Span::plain(t("Merci de nous retourner le questionnaire complété, sans modifier les autres réponses ni les intitulés des questions, par ", "Please return the completed questionnaire, without changing the other answers or the questions' wording, through ")),
        placeholder(&t("[moyen de transmission, par exemple le profil d'acheteur]", "[means of transmission, for instance the buyer profile]")),
        Span::plain(".".to_string()),
    ]);
    doc.para(t("À défaut de régularisation dans ce délai, votre offre pourra être écartée comme irrégulière (articles L. 2152-1 et L. 2152-2 du code de la commande publique).", "Failing regularisation within this time, your offer may be rejected as irregular (articles L. 2152-1 and L. 2152-2 of the French public procurement code)."));
    doc.para(t(
        "Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées.",
        "Yours faithfully,",
    ));
    doc.spans(vec![placeholder(&t(
        "[Nom et qualité du signataire]",
        "[Name and position of the signatory]",
    ))]);
    doc
}

/// The addressee block: the vendor's data only.
fn addressee(r: &FileReport, lang: Lang) -> Vec<Span> {
    let v = &r.vendor;
    let name = if v.name.trim().is_empty() {
        file_of(r)
    } else {
        v.name.trim().to_string()
    };
    let mut spans = vec![
        Span::plain(if lang == Lang::Fr {
            "À l'attention de : "
        } else {
            "For the attention of: "
        }),
        Span::bold(name),
    ];
    if !v.siret.trim().is_empty() {
        spans.push(Span::plain(format!(" — SIRET {}", v.siret.trim())));
    }
    let contact: Vec<&str> = [v.contact.trim(), v.email.trim()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    if !contact.is_empty() {
        spans.push(Span::plain(format!("\n{}", contact.join(" — "))));
    }
    spans
}

/// The answers to regularise, one row each.
fn table(r: &FileReport, lang: Lang) -> Block {
    let fr = lang == Lang::Fr;
    let header = if fr {
        [
            "N°",
            "Question",
            "Intitulé de la question",
            "Réponse reçue",
            "Motif",
        ]
    } else {
        [
            "No.",
            "Question",
            "Question text",
            "Answer received",
            "Reason",
        ]
    };
    let rows = (1..)
        .zip(to_regularise(r))
        .map(|(n, f): (usize, &Finding)| {
            let answer = if f.answer.trim().is_empty() {
                "—".to_string()
            } else {
                f.answer.clone()
            };
            let reason = match f.status {
                FindingStatus::Missing if fr => "Aucune réponse".to_string(),
                FindingStatus::Missing => "No answer".to_string(),
                _ if f.message.is_empty() => if fr {
                    "Réponse illisible"
                } else {
                    "Unreadable answer"
                }
                .to_string(),
                _ => f.message.clone(),
            };
            vec![
                n.to_string(),
                f.question.clone(),
                f.question_text.clone(),
                answer,
                reason,
            ]
        })
        .collect();
    Block::Table {
        header: header.map(String::from).to_vec(),
        rows,
        widths: vec![6, 12, 38, 20, 24],
    }
}

/// The file's name without its folders.
fn file_of(r: &FileReport) -> String {
    std::path::Path::new(&r.file)
        .file_name()
        .map_or_else(|| r.file.clone(), |n| n.to_string_lossy().into_owned())
}

/// A bracketed placeholder the buyer fills in, in bold.
fn placeholder(text: &str) -> Span {
    Span::bold(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::QuestionResult;
    use crate::finding::{Code, Decision, Status};
    use crate::rule::Severity;

    fn basis() -> Basis {
        let lib = crate::library::load(None).unwrap();
        let profile = crate::profile::load(None, &lib).unwrap().profile;
        Basis {
            selection: crate::selection::resolve(&lib, &profile),
            profile,
            lang: Lang::Fr,
            audience: crate::library::Audience::Vendor,
        }
    }

    fn finding(question: &str, status: FindingStatus) -> Finding {
        Finding {
            code: Code::MissingAnswer,
            status,
            severity: Severity::Major,
            criterion: "legal".into(),
            themes: Vec::new(),
            question: question.into(),
            question_text: format!("Texte de {question}"),
            answer: String::new(),
            comment: String::new(),
            message: "Réponse attendue".into(),
            clauses: Vec::new(),
            legal: Vec::new(),
            related: Vec::new(),
            decision: None,
        }
    }

    /// An incomplete offer from `vendor`, with these findings.
    fn offer(vendor: &str, findings: Vec<Finding>) -> FileReport {
        let mut r = FileReport::error(
            format!("offres/{vendor}.xlsx"),
            "ab".repeat(32),
            String::new(),
        );
        r.status = FileStatus::Ok;
        r.error = None;
        r.verdict = Some(Verdict::Incomplete);
        r.vendor.name = vendor.into();
        r.vendor.siret = "732 829 320 00074".into();
        r.questions = ["SOV-04", "TRA-01", "REV-02", "BIO-01"]
            .iter()
            .map(|id| QuestionResult {
                id: id.to_string(),
                status: Status::Missing,
                raw: String::new(),
                value: None,
                document: String::new(),
                earned: None,
                mark: None,
            })
            .collect();
        r.findings = findings;
        r
    }

    #[test]
    fn every_letter_has_the_same_text_only_the_vendors_data_differ() {
        let basis = basis();
        let a = offer("Alpha", vec![finding("SOV-04", FindingStatus::Missing)]);
        let b = offer(
            "Société Bêta & Fils",
            vec![
                finding("REV-02", FindingStatus::Invalid),
                finding("TRA-01", FindingStatus::Missing),
            ],
        );
        let report = crate::report::report(&basis, Vec::new(), vec![a, b]);
        let (a, b) = (&report.results[0], &report.results[1]);
        let (da, db) = (document(&report, &basis, a), document(&report, &basis, b));
        assert_eq!(da.blocks.len(), db.blocks.len());
        let differ: Vec<usize> = (0..da.blocks.len())
            .filter(|&i| da.blocks[i] != db.blocks[i])
            .collect();
        assert_eq!(differ, [2, 6, 8], "addressee, file and the table only");
        let (
            Block::Table { header: ha, .. },
            Block::Table {
                header: hb, rows, ..
            },
        ) = (&da.blocks[8], &db.blocks[8])
        else {
            panic!("no table")
        };
        assert_eq!(ha, hb);
        let listed: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
        assert_eq!(listed, ["TRA-01", "REV-02"], "in questionnaire order");
        assert!(
            da.blocks
                .iter()
                .any(|b| format!("{b:?}").contains("R.\\u{a0}2152-2")),
            "the letter cites R. 2152-2"
        );
    }

    #[test]
    fn accepted_findings_and_failed_rules_are_not_asked_for() {
        let mut accepted = finding("TRA-01", FindingStatus::Missing);
        accepted.decision = Some(Decision {
            decision: DecisionKind::Lifted,
            reviewer: "X".into(),
            date: String::new(),
            comment: String::new(),
        });
        let mut failed = finding("BIO-01", FindingStatus::Fail);
        failed.code = Code::RuleFailed;
        let mut r = offer(
            "Alpha",
            vec![failed, accepted, finding("SOV-04", FindingStatus::Invalid)],
        );
        r.questions[3].status = Status::Fail;
        r.questions[0].status = Status::Invalid;
        let mut rs = [r];
        crate::report::batch::conclude(&mut rs, &basis());
        let [r] = rs;
        let listed: Vec<&str> = to_regularise(&r)
            .iter()
            .map(|f| f.question.as_str())
            .collect();
        assert_eq!(listed, ["SOV-04"]);
        assert!(!needs_letter(&r), "an offer breaking BIO-01 is irregular");
        let mut r = r;
        r.verdict = Some(Verdict::Incomplete);
        assert!(needs_letter(&r));
        let mut compliant = r.clone();
        compliant.verdict = Some(Verdict::NonCompliant);
        assert!(!needs_letter(&compliant));
    }

    #[test]
    fn file_names_are_plain_ascii_and_ranked() {
        let r = offer("Société Bêta & Fils", Vec::new());
        assert_eq!(file_name(3, &r), "regularisation-03-societe-beta-fils.docx");
        let mut unnamed = offer("", Vec::new());
        unnamed.file = "offres/Dossier n°7.xlsx".into();
        assert_eq!(
            file_name(12, &unnamed),
            "regularisation-12-dossier-n-7.docx"
        );
        unnamed.file = "offres/…….xlsx".into();
        assert_eq!(file_name(1, &unnamed), "regularisation-01-offre.docx");
    }
}
