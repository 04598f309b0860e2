//! After award: the winning offer's answers recorded as the contract's
//! commitments, the baseline each yearly report of the contractor is
//! checked against.
//!
//! [`commitments`] takes the offer as the checker judged it: only a regular
//! offer may be awarded (an irregular one, or one still to regularise, is
//! refused with its grounds). Each answer given to a question that serves a
//! clause becomes a [`Commitment`]: the question, the clauses, the value as
//! normalised and the words typed, and the yearly indicator when the
//! library follows one. The whole is sealed by the SHA-256 of its content,
//! so that a later change to the baseline shows.

pub mod followup;
pub mod workbook;
pub mod yearly;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::check::Basis;
use crate::finding::Status;
use crate::judgment::Standing;
use crate::library::Followup;
use crate::report::FileReport;
use crate::text::Lang;

/// The contract's commitments, from the awarded offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Award {
    /// The tender's reference.
    pub tender: String,
    /// The tender's title.
    pub title: String,
    /// The contractor, as its offer names it.
    pub vendor: String,
    /// Its SIREN or SIRET, as typed.
    pub siret: String,
    /// The offer's file name, as received (without its folder, so that
    /// the record does not depend on where the dossier is kept).
    pub offer: String,
    /// SHA-256 of the offer's file.
    pub offer_sha256: String,
    /// The digest of the questionnaire's lock the offer was checked
    /// against, when it states one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lock: Option<String>,
    /// The library version of the questionnaire.
    pub library_version: String,
    /// One per answer given to a question serving a clause, in
    /// questionnaire order.
    pub commitments: Vec<Commitment>,
    /// SHA-256 of the JSON of every field above, as written.
    pub digest: String,
}

/// What the contractor committed to on one question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Commitment {
    /// Question id.
    pub question: String,
    /// Criterion id.
    pub criterion: String,
    /// The question as issued, in the tender's language.
    pub text: String,
    /// The clauses it serves.
    pub clauses: Vec<String>,
    /// The value promised, as the checker normalised it (in the question's unit).
    pub value: serde_json::Value,
    /// The unit of a number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The answer as typed.
    pub answer: String,
    /// The indicator reported each year, when the library follows one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub followup: Option<Followup>,
}

/// Why an offer cannot be awarded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// The file could not be read.
    #[error("{0}: the file could not be read ({1}): nothing to award")]
    Unreadable(String, String),
    /// The offer is irregular or still to regularise.
    #[error(
        "{file}: the offer is {standing}, on these grounds: {grounds}; only a regular offer may be awarded"
    )]
    NotRegular {
        /// The file.
        file: String,
        /// Its standing, in words.
        standing: String,
        /// Its grounds, in words.
        grounds: String,
    },
}

/// The commitments of the offer `r`, judged against `basis`.
pub fn commitments(r: &FileReport, basis: &Basis) -> Result<Award, Refused> {
    if let Some(e) = &r.error {
        return Err(Refused::Unreadable(r.file.clone(), e.clone()));
    }
    if let Some(j) = r
        .judgment
        .as_ref()
        .filter(|j| j.standing != Standing::Ranked)
    {
        let grounds: Vec<String> = j
            .grounds
            .iter()
            .map(|g| g.describe(&basis.selection, Lang::En))
            .collect();
        return Err(Refused::NotRegular {
            file: r.file.clone(),
            standing: j.standing.label(Lang::En).to_string(),
            grounds: grounds.join("; "),
        });
    }
    let lang = basis.lang;
    let commitments = r
        .questions
        .iter()
        .filter(|q| matches!(q.status, Status::Pass | Status::Fail | Status::Info))
        .filter_map(|result| {
            let q = basis
                .selection
                .questions
                .iter()
                .find(|q| q.id == result.id)?;
            let value = result.value.clone()?;
            (!q.clauses.is_empty()).then(|| Commitment {
                question: q.id.clone(),
                criterion: q.criterion.clone(),
                text: q.text.get(lang).to_string(),
                clauses: q.clauses.clone(),
                value,
                unit: q.unit.clone(),
                answer: result.raw.clone(),
                followup: q.followup.clone(),
            })
        })
        .collect();
    let p = &basis.profile.tender;
    let mut award = Award {
        tender: p.reference.clone(),
        title: p.title.clone(),
        vendor: r.vendor.name.trim().to_string(),
        siret: r.vendor.siret.trim().to_string(),
        offer: std::path::Path::new(&r.file)
            .file_name()
            .map_or_else(|| r.file.clone(), |n| n.to_string_lossy().into_owned()),
        offer_sha256: r.sha256.clone(),
        lock: match &basis.lock {
            crate::check::LockDigest::Verified(d) => Some(d.clone()),
            _ => None,
        },
        library_version: basis.selection.library_version.clone(),
        commitments,
        digest: String::new(),
    };
    award.digest = award.computed_digest();
    Ok(award)
}

impl Award {
    /// SHA-256 of the JSON of every field but the digest.
    pub fn computed_digest(&self) -> String {
        let mut sealed = self.clone();
        sealed.digest = String::new();
        let json = serde_json::to_vec(&sealed).unwrap_or_default();
        hex::encode(Sha256::digest(json))
    }

    /// Whether the digest it states is that of its content.
    pub fn intact(&self) -> bool {
        self.digest == self.computed_digest()
    }

    /// Reads the commitments `boussole award` wrote to `path`; refuses a
    /// file that is not such a record, or whose content no longer matches
    /// its digest.
    pub fn read(path: &std::path::Path) -> Result<Award, crate::Error> {
        let text = crate::input::read_to_string(path)?;
        let refused = |why: String| crate::Error::Usage(format!("{}: {why}", path.display()));
        let award: Award = serde_json::from_str(&text)
            .map_err(|e| refused(format!("is not an award written by `boussole award` ({e})")))?;
        if !award.intact() {
            return Err(refused(
                "the commitments no longer match their seal (digest): the file was changed after the award; use the award as written, or record it again from the awarded offer".into(),
            ));
        }
        Ok(award)
    }

    /// These commitments, refused when they are another tender's than
    /// `reference` (read from `path`; `described_by` says what describes the
    /// tender checked against: the lock or the profile).
    pub fn of_tender(
        self,
        path: &std::path::Path,
        reference: &str,
        described_by: &str,
    ) -> Result<Award, crate::Error> {
        if self.tender == reference {
            return Ok(self);
        }
        Err(crate::Error::Usage(format!(
            "{}: is the award of tender {}, not of tender {reference} that the {described_by} describes",
            path.display(),
            self.tender,
        )))
    }

    /// The commitments as a Markdown table, for people: each clause by its
    /// article in the annex (`articles`, see
    /// [`crate::annex::article_numbers`]), dates in words.
    pub fn markdown(
        &self,
        lang: Lang,
        articles: &std::collections::BTreeMap<String, String>,
    ) -> String {
        let t = |fr: &str, en: &str| if lang == Lang::Fr { fr } else { en }.to_string();
        let mut out = format!(
            "# {} — {}\n\n",
            t("Engagements du titulaire", "The contractor's commitments"),
            self.vendor
        );
        out += &format!(
            "{} {} — {}. {}\n\n",
            t("Consultation", "Tender"),
            self.tender,
            self.title,
            crate::text::counted(
                self.commitments.len(),
                lang,
                (
                    "engagement repris de l'offre retenue",
                    "engagements repris de l'offre retenue, question par question"
                ),
                (
                    "commitment taken from the awarded offer",
                    "commitments taken from the awarded offer, question by question"
                ),
            ) + "."
        );
        let rows: Vec<Vec<String>> =
            self.commitments
                .iter()
                .map(|c| {
                    let date = c
                        .value
                        .as_str()
                        .and_then(|v| v.parse::<crate::date::Date>().ok());
                    let answer = match date {
                        Some(d) => d.in_words(lang),
                        None => crate::text::excerpt(&c.answer, crate::text::SHOWN_CHARS, lang)
                            .into_owned(),
                    };
                    let cited: Vec<&str> = c
                        .clauses
                        .iter()
                        .filter_map(|id| articles.get(id).map(String::as_str))
                        .collect();
                    vec![c.question.clone(), c.text.clone(), answer, cited.join(", ")]
                })
                .collect();
        let headers = [
            t("Question", "Question"),
            t("Texte", "Text"),
            t("Engagement", "Commitment"),
            t("Articles", "Articles"),
        ];
        let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
        out += &crate::text::table(&headers, &rows, true);
        out
    }
}
