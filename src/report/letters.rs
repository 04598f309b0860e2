//! Regularisation requests (`boussole check --format letters -o DIR`): one
//! Word letter per offer to regularise, listing only what CCP R. 2152-2
//! allows to ask for (regularity answers missing or unreadable, required
//! documents missing, the identity fields the offer leaves empty), ready to
//! sign and send.
//!
//! Equal treatment: every letter has the same text in the same order; only
//! the vendor's data differ (name, SIRET, contact, file, the letter's
//! number, and the answers listed, in questionnaire order). The letter cites
//! article R. 2152-2 of the public procurement code (regularisation of
//! irregular offers, all tenderers concerned, without changing the offer's
//! substantial characteristics) and L. 2152-1 / L. 2152-2 (irregular offers
//! are rejected).
//!
//! A French administrative letter: the buyer's block (name, department,
//! postal address, who handles the matter, references), the addressee on
//! the right, place and date, « Objet : », the body, the signature block.
//! Everything comes from the profile (`[buyer]`, `[regularisation]`) and
//! the report: the letter's date is the report's (`generated_at`, which
//! honours `SOURCE_DATE_EPOCH`), the deadline that date plus the days the
//! profile sets, moved to the next working day when it would end on a
//! Saturday, a Sunday or a French public holiday. Nothing is left as a placeholder: a profile that lacks a
//! value gets no letter, and [`missing`] says which field.
//!
//! Only offers whose verdict is *incomplete*, or whose identity lacks a
//! required field, get a letter, after the legal review when `--decisions`
//! is given (a lifted finding is not listed): an offer failing an
//! eliminatory requirement is irregular on substance, which a
//! regularisation cannot change.

use std::path::Path;

use super::{FileReport, FileStatus, Report};
use crate::Error;
use crate::check::{Basis, Verdict};
use crate::date::Date;
use crate::finding::{Code, DecisionKind, Finding, FindingStatus};
use crate::office::document::{Block, Document, Span};
use crate::profile::Profile;
use crate::questionnaire::layout::IdentityField;
use crate::text::{self, Lang};

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
/// Refused, naming `profile_file` and each field, when the profile lacks
/// what a letter prints (see [`missing`]).
pub fn render(report: &Report, basis: &Basis, profile_file: &Path) -> Result<Vec<Letter>, Error> {
    (1..)
        .zip(&report.results)
        .filter(|(_, r)| needs_letter(r))
        .map(|(rank, r)| {
            Ok(Letter {
                file_name: file_name(rank, r),
                vendor: r.vendor.name.trim().to_string(),
                bytes: crate::office::docx::render(&document(report, basis, r, profile_file)?)?,
            })
        })
        .collect()
}

/// What a letter prints and `profile` does not give, one line each: the
/// field, what it is, an example.
pub fn missing(profile: &Profile) -> Vec<String> {
    let (b, reg) = (&profile.buyer, &profile.regularisation);
    let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
    let mut out = Vec::new();
    if b.address.iter().all(|l| l.trim().is_empty()) {
        out.push("buyer.address: the buyer's postal address, one line per entry (e.g. address = [\"2 cours du Champ-de-Mars\", \"44923 Nantes Cedex 9\"])".to_string());
    }
    if blank(&b.place) {
        out.push(
            "buyer.place: the town the letters are written from (e.g. place = \"Nantes\")".into(),
        );
    }
    if reg.days.is_none_or(|d| d == 0) {
        out.push("regularisation.days: the days the vendor has to answer, counted from the letter's date (e.g. days = 10)".into());
    }
    if blank(&reg.signatory) {
        out.push(
            "regularisation.signatory: who signs the letters (e.g. signatory = \"Claire Exemple\")"
                .into(),
        );
    }
    if blank(&reg.signatory_role) {
        out.push("regularisation.signatory_role: the signatory's role (e.g. signatory_role = \"Directrice de la commande publique\")".into());
    }
    out
}

/// The letter's date: the report's.
fn letter_date(report: &Report) -> Result<Date, Error> {
    report
        .generated_at
        .get(..10)
        .and_then(|d| d.parse::<Date>().ok())
        .ok_or_else(|| Error::Render {
            what: "regularisation letter".into(),
            message: format!(
                "the report's date « {} » is not a date",
                report.generated_at
            ),
        })
}

/// The deadline: the letter's date plus the profile's days, moved to the
/// next working day when it would end on a Saturday, a Sunday or a French
/// public holiday.
pub fn deadline(report: &Report, profile: &Profile) -> Option<Date> {
    let days = profile.regularisation.days?;
    letter_date(report)
        .ok()
        .map(|d| d.add_days(days).next_french_working_day())
}

/// Whether the offer gets a letter: checked, and incomplete, or regular but
/// for the identity fields it leaves empty.
pub fn needs_letter(r: &FileReport) -> bool {
    let irregular = r.verdict == Some(Verdict::NonCompliant)
        || r.judgment
            .as_ref()
            .is_some_and(|j| j.standing == crate::judgment::Standing::Irregular);
    r.status == FileStatus::Ok
        && (r.verdict == Some(Verdict::Incomplete)
            || (!irregular && !identity_to_regularise(r).is_empty()))
}

/// The identity fields the offer must give and leaves empty (the finding
/// `identity_incomplete`), in the order of the identity sheet.
pub fn identity_to_regularise(r: &FileReport) -> Vec<IdentityField> {
    if !r
        .integrity
        .iter()
        .any(|i| i.code == Code::IdentityIncomplete)
    {
        return Vec::new();
    }
    IdentityField::ALL
        .into_iter()
        .filter(|f| f.required() && r.vendor.get(*f).trim().is_empty())
        .collect()
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

/// The letter to the vendor of `r`, refused (naming `profile_file` and
/// each field) when the profile lacks what it prints.
pub fn document(
    report: &Report,
    basis: &Basis,
    r: &FileReport,
    profile_file: &Path,
) -> Result<Document, Error> {
    let p = &basis.profile;
    let fields = missing(p);
    if !fields.is_empty() {
        return Err(Error::ProfileIncomplete {
            path: profile_file.to_path_buf(),
            what: "regularisation letters".into(),
            fields,
        });
    }
    let lang = basis.lang;
    // Our own words, with French typography (vendors' words stay as read).
    let t = |fr: &str, en: &str| {
        crate::office::typography::apply(if lang == Lang::Fr { fr } else { en }, lang)
    };
    let typo = |s: &str| crate::office::typography::apply(s, lang);
    let date = letter_date(report)?;
    let reg = &p.regularisation;
    let days = reg.days.unwrap_or_default();
    let due = date.add_days(days).next_french_working_day();
    let end = date.add_days(days);
    let day_off = match (end.weekday(), lang) {
        _ if end == due => None,
        (5, Lang::Fr) => Some("un samedi"),
        (6, Lang::Fr) => Some("un dimanche"),
        (_, Lang::Fr) => Some("un jour férié"),
        (5, Lang::En) => Some("a Saturday"),
        (6, Lang::En) => Some("a Sunday"),
        (_, Lang::En) => Some("a public holiday"),
    };
    let rank = report
        .results
        .iter()
        .position(|x| x.file == r.file)
        .map_or(0, |i| i + 1);
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
        date: Some(date),
        lang,
        header: String::new(),
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
    // The sender: the buyer, its department, its postal address.
    let some = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
    };
    let mut sender = vec![Span::bold(&p.buyer.name)];
    let lines = some(&p.buyer.department).into_iter().chain(
        p.buyer
            .address
            .iter()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty()),
    );
    for line in lines {
        sender.push(Span::plain(format!("\n{line}")));
    }
    doc.spans(sender);
    // Who handles the matter, and the references.
    let mut refs = Vec::new();
    let mut line = |label: String, value: String| {
        if !refs.is_empty() {
            refs.push(Span::plain("\n"));
        }
        refs.push(Span::bold(label));
        refs.push(Span::plain(value));
    };
    if let Some(c) = some(&p.buyer.contact) {
        line(t("Affaire suivie par : ", "Handled by: "), c);
    }
    if let Some(e) = some(&p.buyer.email) {
        line(t("Courriel : ", "Email: "), e);
    }
    line(
        t("N/Réf. : ", "Our ref.: "),
        typo(&format!(
            "{} — {} {rank:02}",
            p.tender.reference,
            t("régularisation n°", "regularisation no.")
        )),
    );
    doc.spans(refs);
    doc.para("");
    doc.push(Block::Aside(addressee(r, lang)));
    let place = some(&p.buyer.place).unwrap_or_default();
    doc.push(Block::Aside(vec![Span::plain(match lang {
        Lang::Fr => format!("{place}, le {}", date.in_words(lang)),
        Lang::En => format!("{place}, {}", date.in_words(lang)),
    })]));
    doc.para("");
    let lot = some(&p.tender.lot)
        .map(|l| format!(" — {l}"))
        .unwrap_or_default();
    doc.spans(vec![
        Span::bold(t("Objet : ", "Subject: ")),
        Span::plain(t(
            "demande de régularisation de votre offre",
            "request to regularise your offer",
        )),
        Span::plain("\n"),
        Span::bold(t("Consultation : ", "Tender: ")),
        Span::plain(typo(&format!(
            "{} — {}{lot}",
            p.tender.reference, p.tender.title
        ))),
        Span::plain("\n"),
        Span::bold(t("Réf. : ", "Ref.: ")),
        Span::plain(t(
            "article R. 2152-2 du code de la commande publique",
            "article R. 2152-2 of the French public procurement code",
        )),
    ]);
    doc.para(t("Madame, Monsieur,", "Dear Sir or Madam,"));
    doc.para(typo(&match lang {
        Lang::Fr => format!("L'examen du questionnaire « boussole de l'IA » joint à votre offre (fichier « {} ») fait apparaître que les réponses, les pièces justificatives ou les renseignements d'identification énumérés ci-dessous, qui conditionnent la régularité de l'offre, sont manquants ou n'ont pas pu être lus.", file_of(r)),
        Lang::En => format!("Our review of the \"AI compass\" questionnaire attached to your offer (file \"{}\") shows that the answers, supporting documents or identification details listed below, on which the offer's regularity depends, are missing or could not be read.", file_of(r)),
    }));
    let (within, until) = (
        text::quantity(f64::from(days), Some("days"), lang),
        due.in_words(lang),
    );
    doc.spans(vec![
        Span::plain(t("En application de l'article R. 2152-2 du code de la commande publique, nous vous invitons à régulariser votre offre en complétant ou en corrigeant ces seuls éléments ", "Under article R. 2152-2 of the French public procurement code, we invite you to regularise your offer by completing or correcting these items only ")),
        Span::bold(match lang {
            Lang::Fr if day_off.is_some() => format!("dans un délai de {within} à compter de la date de la présente lettre, soit au plus tard le {until} (le {} étant {}, le délai est prorogé jusqu'au premier jour ouvrable suivant)", end.in_words(lang), day_off.unwrap_or_default()),
            Lang::Fr => format!("dans un délai de {within} à compter de la date de la présente lettre, soit au plus tard le {until}"),
            Lang::En if day_off.is_some() => format!("within {within} of the date of this letter, that is no later than {until} ({} being {}, the time limit is extended to the next working day)", end.in_words(lang), day_off.unwrap_or_default()),
            Lang::En => format!("within {within} of the date of this letter, that is no later than {until}"),
        }),
        Span::plain(t(". Cette régularisation ne peut avoir pour effet de modifier les caractéristiques substantielles de votre offre. La même demande est adressée, dans les mêmes termes, à chaque soumissionnaire dont l'offre est incomplète.", ". This regularisation may not change the substantial characteristics of your offer. The same request is sent, in the same terms, to every tenderer whose offer is incomplete.")),
    ]);
    doc.push(table(r, lang));
    let channel = some(&reg.channel).unwrap_or_else(|| {
        t(
            "le profil d'acheteur sur lequel la consultation est publiée",
            "the buyer profile the tender is published on",
        )
    });
    doc.para(typo(&match lang {
        Lang::Fr => format!("Merci de nous retourner le questionnaire complété, sans modifier les autres réponses ni les intitulés des questions, par {channel}."),
        Lang::En => format!("Please return the completed questionnaire, without changing the other answers or the questions' wording, through {channel}."),
    }));
    doc.para(t("À défaut de régularisation dans ce délai, votre offre pourra être écartée comme irrégulière (articles L. 2152-1 et L. 2152-2 du code de la commande publique).", "Failing regularisation within this time, your offer may be rejected as irregular (articles L. 2152-1 and L. 2152-2 of the French public procurement code)."));
    doc.para(t(
        "Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées.",
        "Yours faithfully,",
    ));
    doc.para("");
    doc.push(Block::Aside(vec![
        Span::plain(typo(&format!(
            "{},\n\n\n",
            some(&reg.signatory_role).unwrap_or_default()
        ))),
        Span::bold(some(&reg.signatory).unwrap_or_default()),
    ]));
    Ok(doc)
}

/// The addressee block: the vendor's data only, as typed in its file
/// (name, contact, postal address, SIRET, email).
fn addressee(r: &FileReport, lang: Lang) -> Vec<Span> {
    let v = &r.vendor;
    let name = if v.name.trim().is_empty() {
        file_of(r)
    } else {
        v.name.trim().to_string()
    };
    let mut spans = vec![Span::bold(name)];
    if !v.contact.trim().is_empty() {
        spans.push(Span::plain(format!(
            "\n{}{}",
            if lang == Lang::Fr {
                "À l’attention de "
            } else {
                "For the attention of "
            },
            v.contact.trim()
        )));
    }
    for line in v.address.lines().map(str::trim).filter(|l| !l.is_empty()) {
        spans.push(Span::plain(format!("\n{line}")));
    }
    if !v.siret.trim().is_empty() {
        spans.push(Span::plain(format!("\nSIRET {}", v.siret.trim())));
    }
    if !v.email.trim().is_empty() {
        spans.push(Span::plain(format!("\n{}", v.email.trim())));
    }
    spans
}

/// The answers to regularise, one row each: what is asked, and what was
/// received when there is something.
fn table(r: &FileReport, lang: Lang) -> Block {
    let fr = lang == Lang::Fr;
    let header = if fr {
        [
            "N°",
            "Question",
            "Intitulé de la question",
            "Élément à régulariser",
        ]
    } else {
        ["No.", "Question", "Question text", "To regularise"]
    };
    let answers = to_regularise(r);
    let mut rows: Vec<Vec<String>> = (1..)
        .zip(answers.iter().copied())
        .map(|(n, f): (usize, &Finding)| {
            let what = match f.status {
                FindingStatus::Missing if fr => "Réponse manquante.".to_string(),
                FindingStatus::Missing => "Missing answer.".to_string(),
                _ if f.message.is_empty() => if fr {
                    "Réponse illisible."
                } else {
                    "Unreadable answer."
                }
                .to_string(),
                _ => f.message.clone(),
            };
            let typo = |s: &str| crate::office::typography::apply(s, lang);
            let what = if what.ends_with(['.', '?', '!']) {
                what
            } else {
                what + "."
            };
            let received = if f.answer.trim().is_empty() {
                String::new()
            } else {
                // The vendor's words stay as read.
                let label = if fr {
                    " Réponse reçue : "
                } else {
                    " Answer received: "
                };
                typo(label) + &crate::office::typography::quote(f.answer.trim(), lang)
            };
            vec![
                n.to_string(),
                f.question.clone(),
                typo(&f.question_text),
                typo(&what) + &received,
            ]
        })
        .collect();
    // The identity fields left empty, on the sheet that asks for them.
    let sheet = crate::questionnaire::layout::sheet_names(lang)[1];
    let missing = if fr {
        "Renseignement manquant."
    } else {
        "Missing detail."
    };
    rows.extend(
        (answers.len() + 1..)
            .zip(identity_to_regularise(r))
            .map(|(n, field)| {
                vec![
                    n.to_string(),
                    sheet.to_string(),
                    field.label(lang).to_string(),
                    missing.to_string(),
                ]
            }),
    );
    Block::Table {
        header: header.map(String::from).to_vec(),
        rows,
        widths: vec![6, 13, 45, 36],
    }
}

/// The file's name without its folders.
fn file_of(r: &FileReport) -> String {
    std::path::Path::new(&r.file)
        .file_name()
        .map_or_else(|| r.file.clone(), |n| n.to_string_lossy().into_owned())
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
            lock: crate::check::LockDigest::NoLock,
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
        let here = Path::new("profil.toml");
        let (da, db) = (
            document(&report, &basis, a, here).unwrap(),
            document(&report, &basis, b, here).unwrap(),
        );
        assert_eq!(da.blocks.len(), db.blocks.len());
        let differ: Vec<usize> = (0..da.blocks.len())
            .filter(|&i| da.blocks[i] != db.blocks[i])
            .collect();
        let at = |d: &Document, f: fn(&Block) -> bool| d.blocks.iter().position(f).unwrap();
        let (refs, to, table) = (
            1,
            at(&da, |b| matches!(b, Block::Aside(_))),
            at(&da, |b| matches!(b, Block::Table { .. })),
        );
        assert_eq!(
            differ,
            [refs, to, table - 2, table],
            "the letter's number, addressee, file and the table only"
        );
        let (
            Block::Table { header: ha, .. },
            Block::Table {
                header: hb, rows, ..
            },
        ) = (&da.blocks[table], &db.blocks[table])
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
            recorded_by: String::new(),
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
    fn the_deadline_is_the_letters_date_plus_the_profiles_days_and_nothing_is_left_blank() {
        let mut basis = basis();
        basis.profile.regularisation.days = Some(10);
        let a = offer("Alpha", vec![finding("SOV-04", FindingStatus::Missing)]);
        let mut report = crate::report::report(&basis, Vec::new(), vec![a]);
        report.generated_at = "2027-01-04T09:00:00Z".into();
        let d = document(&report, &basis, &report.results[0], Path::new("p.toml")).unwrap();
        let all: String = d
            .blocks
            .iter()
            .flat_map(|b| match b {
                Block::Paragraph(s) | Block::Aside(s) => s.iter().map(|s| s.text.clone()).collect(),
                Block::Table { rows, .. } => rows.concat(),
                _ => Vec::new(),
            })
            .collect::<Vec<_>>()
            .join(" ");
        assert!(all.contains("10\u{a0}jours"), "{all}");
        assert!(all.contains("14 janvier 2027"), "{all}");
        assert!(all.contains("4 janvier 2027"), "the letter's date");
        assert!(!all.contains('['), "no placeholder left: {all}");
        let signatory = basis.profile.regularisation.signatory.clone().unwrap();
        assert!(all.contains(&signatory));
    }

    #[test]
    fn a_deadline_ending_on_christmas_moves_to_the_next_working_day() {
        let mut basis = basis();
        basis.profile.regularisation.days = Some(10);
        let a = offer("Alpha", vec![finding("SOV-04", FindingStatus::Missing)]);
        let mut report = crate::report::report(&basis, Vec::new(), vec![a]);
        // 15 December 2026 + 10 days: Friday 25 December, then a weekend.
        report.generated_at = "2026-12-15T09:00:00Z".into();
        assert_eq!(
            deadline(&report, &basis.profile).map(|d| d.to_string()),
            Some("2026-12-28".into())
        );
        let d = document(&report, &basis, &report.results[0], Path::new("p.toml")).unwrap();
        let all = format!("{:?}", d.blocks);
        assert!(all.contains("au plus tard le 28 décembre 2026"), "{all}");
        assert!(all.contains("jour férié"), "{all}");
    }

    #[test]
    fn the_identity_fields_left_empty_are_asked_for_even_alone() {
        let basis = basis();
        let mut r = offer("Alpha", Vec::new());
        r.verdict = Some(Verdict::Compliant);
        assert!(!needs_letter(&r), "nothing to ask for");
        r.integrity.push(crate::finding::Integrity {
            code: Code::IdentityIncomplete,
            question: None,
            message: "identification du soumissionnaire incomplète".into(),
        });
        // The offer's name and SIRET are typed: address, signatory, role
        // and email are missing.
        assert_eq!(
            identity_to_regularise(&r),
            [
                IdentityField::Address,
                IdentityField::Signatory,
                IdentityField::Role,
                IdentityField::Email
            ]
        );
        assert!(needs_letter(&r));
        let report = crate::report::report(&basis, Vec::new(), vec![r]);
        let d = document(&report, &basis, &report.results[0], Path::new("p.toml")).unwrap();
        let Some(Block::Table { rows, .. }) =
            d.blocks.iter().find(|b| matches!(b, Block::Table { .. }))
        else {
            panic!("no table")
        };
        let asked: Vec<&str> = rows.iter().map(|r| r[2].as_str()).collect();
        assert_eq!(
            asked,
            [
                "Adresse",
                "Signataire (nom et prénom)",
                "Qualité du signataire",
                "Courriel"
            ]
        );
        assert_eq!(rows[0][1], "Identité");
        let mut irregular = report.results[0].clone();
        irregular.verdict = Some(Verdict::NonCompliant);
        assert!(
            !needs_letter(&irregular),
            "an irregular offer gets no letter"
        );
    }

    #[test]
    fn a_profile_without_address_or_signatory_gets_no_letter_and_is_told_which_fields() {
        let mut basis = basis();
        basis.profile.buyer.address.clear();
        basis.profile.regularisation.signatory = Some("  ".into());
        let a = offer("Alpha", vec![finding("SOV-04", FindingStatus::Missing)]);
        let report = crate::report::report(&basis, Vec::new(), vec![a]);
        let e = document(
            &report,
            &basis,
            &report.results[0],
            Path::new("consultations/profil.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with("consultations/profil.toml: regularisation letters not written"),
            "{e}"
        );
        assert!(
            e.contains("buyer.address") && e.contains("regularisation.signatory:"),
            "{e}"
        );
        assert!(!e.contains("signatory_role"), "only what is missing: {e}");
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
