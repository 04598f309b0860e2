//! Findings: what the checker reports about one returned file, each with a
//! stable code. Findings are not errors: a file full of findings was read
//! perfectly well.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::library::LegalRef;
use crate::rule::Severity;

/// Stable codes of findings and integrity warnings.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// The answer fails the question's rule.
    RuleFailed,
    /// No answer to a required or scored question.
    MissingAnswer,
    /// `N/A`, `Sans objet`, `voir mémoire`…: a refusal to answer.
    NonAnswer,
    /// Not understood for the question's type.
    Unreadable,
    /// A number whose separator could mean thousands or decimals.
    AmbiguousNumber,
    /// A unit that cannot be converted to the question's.
    UnknownUnit,
    /// A formula with no value kept.
    Formula,
    /// The same question answered twice, differently.
    ConflictingAnswers,
    /// The file was made from another library version.
    LibraryMismatch,
    /// The file was made from another tender profile.
    ProfileMismatch,
    /// The file was issued with another lock than the one it is checked against.
    LockMismatch,
    /// The questionnaire's metadata sheet or properties are gone.
    NoMetadata,
    /// A row carries an id the questionnaire does not ask.
    UnknownQuestion,
    /// A question of the questionnaire is not in the file.
    MissingQuestion,
    /// A question appears more than once.
    DuplicateQuestion,
    /// The vendor edited a question's text.
    EditedQuestion,
    /// An answer cell holds a formula.
    FormulaAnswer,
    /// A text longer than a cell can hold, cut where a cell ends.
    TextCut,
    /// An answer cell's number format shows a text instead of its value.
    FormattedAnswer,
    /// An answer row holds text hidden from readers, not read.
    HiddenText,
    /// An answer row holds content imported from another file, not read.
    ImportedContent,
    /// The SIREN/SIRET is not a valid number.
    InvalidSiret,
    /// The identity block lacks a field the offer must give (to regularise).
    IdentityIncomplete,
    /// The answer lacks the document the question requires.
    EvidenceMissing,
    /// Two answers of the offer contradict each other.
    Inconsistent,
    /// The answer is (nearly) the example the questionnaire published.
    ExampleCopied,
    /// The same (or nearly the same) free text is in other offers of the batch.
    SharedText,
    /// An evidence file attached to the offer could not be read.
    EvidenceUnreadable,
}

impl Code {
    /// One line on what the code means.
    pub fn describe(self) -> &'static str {
        match self {
            Code::RuleFailed => "the answer fails the question's rule",
            Code::MissingAnswer => "no answer to a required or scored question",
            Code::NonAnswer => "a refusal to answer (N/A, sans objet, voir mémoire…)",
            Code::Unreadable => "the answer is not understood for the question's type",
            Code::AmbiguousNumber => "a number whose separator could mean thousands or decimals",
            Code::UnknownUnit => "a unit that cannot be converted to the question's",
            Code::Formula => "a formula with no value kept in the file",
            Code::ConflictingAnswers => "the same question answered twice, differently",
            Code::LibraryMismatch => "the file was made from another library version",
            Code::ProfileMismatch => "the file was made from another tender profile",
            Code::LockMismatch => {
                "the file was issued with another lock than the one it is checked against"
            }
            Code::NoMetadata => "the questionnaire's metadata are gone (a hint only)",
            Code::UnknownQuestion => "a row carries an id the questionnaire does not ask",
            Code::MissingQuestion => "a question of the questionnaire is not in the file",
            Code::DuplicateQuestion => "a question appears more than once",
            Code::EditedQuestion => "the vendor edited a question's text",
            Code::FormulaAnswer => "an answer cell holds a formula; its kept value is used",
            Code::TextCut => "a text longer than a cell can hold; only its beginning is read",
            Code::FormattedAnswer => {
                "an answer cell's number format shows a text instead of its value; the text shown is used"
            }
            Code::HiddenText => "an answer holds text hidden from readers; it is not read",
            Code::ImportedContent => {
                "an answer holds content imported from another file (HTML, RTF, Word); it is not read"
            }
            Code::InvalidSiret => "the SIREN/SIRET is not a valid number",
            Code::IdentityIncomplete => {
                "the identity block lacks a field the offer must give (to regularise)"
            }
            Code::EvidenceMissing => "the answer lacks the document the question requires",
            Code::Inconsistent => "two answers of the offer contradict each other",
            Code::ExampleCopied => "the answer is (nearly) the example the questionnaire published",
            Code::SharedText => "the same free text is in other offers of the batch",
            Code::EvidenceUnreadable => "an evidence file attached to the offer could not be read",
        }
    }

    /// The code as written in reports.
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default()
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// A vendor's text as a finding carries it: whole, or cut with a mark
/// ([`crate::text::excerpt`]).
pub fn shown(text: &str, lang: crate::text::Lang) -> String {
    crate::text::excerpt(text, crate::text::SHOWN_CHARS, lang).into_owned()
}

/// What became of a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The answer passes the rule.
    Pass,
    /// The answer fails the rule.
    Fail,
    /// No answer.
    Missing,
    /// An answer that could not be read.
    Invalid,
    /// Ruled out by another answer; any answer is ignored.
    NotApplicable,
    /// Answered, with no rule to judge it.
    Info,
}

/// Kind of finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FindingStatus {
    /// A rule failed.
    Fail,
    /// An answer is missing.
    Missing,
    /// An answer could not be read.
    Invalid,
    /// The file itself raises a doubt.
    Integrity,
    /// A required document is missing.
    Evidence,
    /// A doubt for legal staff: contradiction, copied or shared text.
    Suspect,
}

impl FindingStatus {
    /// The kind of finding in words.
    pub fn label(self, lang: crate::text::Lang) -> &'static str {
        use crate::text::Lang::{En, Fr};
        match (self, lang) {
            (FindingStatus::Fail, Fr) => "non conforme",
            (FindingStatus::Missing, Fr) => "réponse manquante",
            (FindingStatus::Invalid, Fr) => "réponse illisible",
            (FindingStatus::Integrity, Fr) => "intégrité",
            (FindingStatus::Evidence, Fr) => "pièce manquante",
            (FindingStatus::Suspect, Fr) => "réponse à examiner",
            (FindingStatus::Fail, En) => "fails the rule",
            (FindingStatus::Missing, En) => "missing answer",
            (FindingStatus::Invalid, En) => "unreadable answer",
            (FindingStatus::Integrity, En) => "integrity",
            (FindingStatus::Evidence, En) => "document missing",
            (FindingStatus::Suspect, En) => "answer to examine",
        }
    }
}

/// One finding on one question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Finding {
    /// Stable code.
    pub code: Code,
    /// Kind.
    pub status: FindingStatus,
    /// The question's severity.
    pub severity: Severity,
    /// Criterion id.
    pub criterion: String,
    /// Themes of the question.
    pub themes: Vec<String>,
    /// Question id.
    pub question: String,
    /// The question as issued.
    pub question_text: String,
    /// The vendor's answer as reports show it: exactly as read, a long one
    /// cut at [`crate::text::SHOWN_CHARS`] characters with a mark (the
    /// question's `raw` keeps it whole, as read).
    pub answer: String,
    /// The vendor's comment, shown as the answer is.
    pub comment: String,
    /// The rule in words, and why it failed.
    pub message: String,
    /// Clauses at stake.
    pub clauses: Vec<String>,
    /// Verified legal references.
    pub legal: Vec<LegalRef>,
    /// What else the finding names: the other question of a contradiction,
    /// the other offers (their files) sharing a text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
    /// What legal staff decided, when a decisions workbook was read
    /// (`boussole check --decisions`); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
}

impl Finding {
    /// A finding on `q` that is not about its answer's rule (a document, a
    /// copied example, an evidence file): major, for legal staff to
    /// examine, its message to be set; what it does to the offer is the
    /// judgment's business.
    pub fn about(
        q: &crate::selection::SelectedQuestion,
        code: Code,
        status: FindingStatus,
        raw: &str,
        lang: crate::text::Lang,
    ) -> Finding {
        Finding {
            code,
            status,
            severity: Severity::Major,
            criterion: q.criterion.clone(),
            themes: q.themes.clone(),
            question: q.id.clone(),
            question_text: q.text.get(lang).to_string(),
            answer: shown(raw, lang),
            comment: String::new(),
            message: String::new(),
            clauses: q.clauses.clone(),
            legal: q.legal.clone(),
            related: Vec::new(),
            decision: None,
        }
    }

    /// The legal references that may be printed: the verified ones.
    pub fn printed_legal(&self) -> Vec<&str> {
        self.legal
            .iter()
            .filter(|l| l.status == crate::library::LegalStatus::Verified)
            .map(|l| l.text.as_str())
            .collect()
    }
}

/// What legal staff decided about one finding, as typed in the scoring
/// workbook or kept in a dossier (see `crate::report::decisions`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Decision {
    /// The decision.
    pub decision: DecisionKind,
    /// Who decided, as typed.
    pub reviewer: String,
    /// When: `YYYY-MM-DD` when the cell held a date, else as typed.
    pub date: String,
    /// Why, as typed.
    pub comment: String,
    /// Who recorded it in a dossier (the user of the session that took
    /// it); absent for a decision typed in a workbook.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub recorded_by: String,
}

/// The decisions legal staff may take on a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    /// The finding is lifted: on a regularity question, the offer is no
    /// longer irregular nor to regularise on its account (decisions never
    /// add points).
    Lifted,
    /// The finding is confirmed: it keeps its effect.
    Confirmed,
    /// The vendor is asked to clarify: nothing changes until a decision is taken.
    ClarificationRequested,
}

impl DecisionKind {
    /// Every decision, in the order of the workbook's drop-down.
    pub const ALL: [DecisionKind; 3] = [
        DecisionKind::Lifted,
        DecisionKind::Confirmed,
        DecisionKind::ClarificationRequested,
    ];

    /// The decision as the workbook's drop-down offers it.
    pub fn label(self, lang: crate::text::Lang) -> &'static str {
        use crate::text::Lang::{En, Fr};
        match (self, lang) {
            (DecisionKind::Lifted, Fr) => "constat levé",
            (DecisionKind::Confirmed, Fr) => "constat confirmé",
            (DecisionKind::ClarificationRequested, Fr) => "précision demandée",
            (DecisionKind::Lifted, En) => "finding lifted",
            (DecisionKind::Confirmed, En) => "finding confirmed",
            (DecisionKind::ClarificationRequested, En) => "clarification requested",
        }
    }
}

/// A doubt about the file itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Integrity {
    /// Stable code.
    pub code: Code,
    /// The question concerned, if any.
    pub question: Option<String>,
    /// What was seen.
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_snake_case_and_described() {
        assert_eq!(Code::RuleFailed.name(), "rule_failed");
        assert_eq!(Code::InvalidSiret.to_string(), "invalid_siret");
        assert!(!Code::EditedQuestion.describe().is_empty());
    }
}
