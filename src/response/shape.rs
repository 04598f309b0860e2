//! The questionnaire's shape, as every reader matches it: the header row
//! (`ID` and `Réponse`/`Answer`, columns found by name), what a question id
//! looks like, the identity labels and the metadata keys. The questionnaire
//! writers fix these names ([`crate::questionnaire::layout`]); this module
//! is the readers' side of the same layout, for workbooks and Word
//! documents alike.

use std::sync::OnceLock;

use super::{Identity, Metadata};
use crate::questionnaire::layout::{self, IdentityField};
use crate::text::Lang;

/// The metadata sheet's name (compared without case).
pub const METADATA_SHEET: &str = "_boussole";

/// The letters of a 0-based column: 0 → `A`, 27 → `AB`.
pub fn column_name(col: u64) -> String {
    let mut n = col.saturating_add(1);
    let mut letters = Vec::new();
    while n > 0 {
        letters.push(char::from(b'A' + ((n - 1) % 26) as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// A header or label as compared: NFC, spaces collapsed, lowercase, without
/// a trailing colon.
pub fn normal(s: &str) -> String {
    // ASCII is composed already, and lowercased letter by letter
    let mut out = if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        crate::text::composed(s).to_lowercase()
    };
    // most labels are single-spaced already: no second copy for them
    if !crate::text::is_single_spaced(&out) {
        out = crate::text::single_spaced(&out);
    }
    let kept = out.trim_end_matches(':').trim_end().len();
    out.truncate(kept);
    out
}

/// Whether `s`, trimmed, looks like a question id: `ABC-12`.
pub fn is_question_id(s: &str) -> bool {
    let b = s.trim().as_bytes();
    b.len() == 6
        && b.iter().take(3).all(u8::is_ascii_uppercase)
        && b.get(3) == Some(&b'-')
        && b.iter().skip(4).all(u8::is_ascii_digit)
}

/// Where each field of an answer row is, by header name (never by position).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    /// The `ID` column.
    pub id: usize,
    /// The question text, when the column is there.
    pub question: Option<usize>,
    /// The `Réponse` / `Answer` column.
    pub answer: usize,
    /// The justification or comment, when there.
    pub comment: Option<usize>,
    /// The supporting document, when there.
    pub document: Option<usize>,
}

impl Columns {
    /// The columns of a header row: one cell `ID` and one `Réponse` or
    /// `Answer`; `None` for any other row.
    pub fn from_header<S: AsRef<str>>(cells: &[S]) -> Option<Columns> {
        // No header is longer than this: longer cells (question and help
        // texts) are not normalised at all, and a row without `ID` is left at once.
        const LONGEST_HEADER: usize = 64;
        // what `normal` makes `id` of, without normalising: the letters are
        // ASCII, and no other letter lowercases or composes to them
        let is_id = |c: &str| {
            c.trim()
                .trim_end_matches(':')
                .trim_end()
                .eq_ignore_ascii_case("id")
        };
        if !cells.iter().any(|c| is_id(c.as_ref())) {
            return None;
        }
        let normalised: Vec<Option<String>> = cells
            .iter()
            .map(AsRef::as_ref)
            .map(|c| (c.len() <= LONGEST_HEADER).then(|| normal(c)))
            .collect();
        let id = normalised.iter().position(|c| c.as_deref() == Some("id"))?;
        let find = |i: usize| {
            let wanted: Vec<String> = [Lang::Fr, Lang::En]
                .map(|l| layout::columns(l)[i])
                .into_iter()
                .chain(
                    layout::FORMER_HEADERS
                        .iter()
                        .filter(|(at, _)| *at == i)
                        .map(|(_, h)| *h),
                )
                .map(normal)
                .collect();
            normalised
                .iter()
                .position(|c| c.as_ref().is_some_and(|c| wanted.contains(c)))
        };
        let answer = find(layout::ANSWER_COLUMN)?;
        let comment = find(layout::COMMENT_COLUMN).or_else(|| {
            normalised
                .iter()
                .position(|c| c.as_ref().is_some_and(|c| c.starts_with("justification")))
        });
        Some(Columns {
            id,
            question: find(layout::QUESTION_COLUMN),
            answer,
            comment,
            document: find(layout::DOCUMENT_COLUMN),
        })
    }

    /// Whether a row of `texts` (not a question row) is an option of the
    /// multiple-choice question above it: no id, an option's label in the
    /// question column.
    pub fn is_option<S: AsRef<str>>(&self, texts: &[S]) -> bool {
        let cell = |i: Option<usize>| {
            i.and_then(|i| texts.get(i))
                .map_or("", |s| s.as_ref().trim())
        };
        cell(Some(self.id)).is_empty() && !cell(self.question).is_empty()
    }
}

/// The labels of the identity fields, normalised, and the first four
/// bytes of each (see [`packed`]).
type Labels = (Vec<(String, IdentityField)>, Vec<u32>);

/// Up to the first four bytes of `bytes`, in one number (the first in the
/// low byte, zeros after the last).
fn packed(bytes: impl IntoIterator<Item = u8>) -> u32 {
    (bytes.into_iter().take(4).enumerate()).fold(0, |n, (i, b)| n | u32::from(b) << (8 * i))
}

/// The identity field a label names (French or English, or as
/// questionnaires issued before named it), if any.
pub fn identity_field(label: &str) -> Option<IdentityField> {
    static LABELS: OnceLock<Labels> = OnceLock::new();
    let (labels, starts) = LABELS.get_or_init(|| {
        let labels: Vec<(String, IdentityField)> = IdentityField::ALL
            .into_iter()
            .flat_map(|f| {
                [Lang::Fr, Lang::En]
                    .map(|l| f.label(l))
                    .into_iter()
                    .chain(f.former_labels().iter().copied())
                    .map(move |x| (normal(x), f))
            })
            .collect();
        let starts = labels.iter().map(|(l, _)| packed(l.bytes())).collect();
        (labels, starts)
    });
    // Over four times the longest label, spaces and colon included: a
    // longer cell (an instruction, a question) is not normalised at all.
    const LONGEST_LABEL: usize = 128;
    let trimmed = label.trim();
    if trimmed.len() > LONGEST_LABEL {
        return None;
    }
    // A cell that starts with ASCII letters or digits followed by ASCII
    // starts so once normalised, lowercased (nothing composes with them):
    // unless a label starts with its first four, it is none (most names in
    // a list of values, most instructions). Labels are lowercase.
    let bytes = trimmed.as_bytes();
    let letters = (bytes.iter().take(4))
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if letters > 0 && bytes.get(letters).is_none_or(u8::is_ascii) {
        let prefix = packed(bytes[..letters].iter().map(u8::to_ascii_lowercase));
        let mask = u32::MAX >> (8 * (4 - letters));
        if !starts.iter().any(|s| s & mask == prefix) {
            return None;
        }
    }
    let label = normal(label);
    labels.iter().find(|(l, _)| *l == label).map(|(_, f)| *f)
}

/// Sets identity field `field` to `value`, unless already set.
fn set_identity(identity: &mut Identity, field: IdentityField, value: &str) {
    let slot = identity.slot(field);
    if slot.is_empty() {
        *slot = value.trim().to_string();
    }
}

/// The identity a grid of texts holds: each row whose first non-empty cell
/// is an identity label gives the cell to its right. Also returns how many
/// labels matched, to pick the identity sheet or table among others.
pub fn identity_in<S: AsRef<str>>(
    rows: impl IntoIterator<Item = impl IntoIterator<Item = S>>,
) -> (usize, Identity) {
    let mut identity = Identity::default();
    let mut matches = 0;
    for cells in rows {
        let mut rest = cells
            .into_iter()
            .skip_while(|c| c.as_ref().trim().is_empty());
        let Some(field) = rest.next().and_then(|c| identity_field(c.as_ref())) else {
            continue;
        };
        matches += 1;
        let value = rest.next();
        set_identity(
            &mut identity,
            field,
            value.as_ref().map_or("", AsRef::as_ref),
        );
    }
    (matches, identity)
}

/// Adds one metadata key/value pair: a question id's value is its text hash.
pub fn add_metadata(meta: &mut Metadata, key: &str, value: String) {
    let key = key.trim();
    if key.is_empty() {
        return;
    }
    if is_question_id(key) {
        meta.question_hashes
            .insert(key.to_string(), value.trim().to_string());
    } else {
        meta.values
            .insert(key.to_string(), value.trim().to_string());
    }
}

/// Whether `s`, trimmed, is the id of a grid row that is no question:
/// `AVIS-legal`, `INSTR-use_case`.
pub fn is_extra_id(s: &str) -> bool {
    let s = s.trim();
    ["AVIS-", "INSTR-"].iter().any(|p| {
        s.strip_prefix(p).is_some_and(|rest| {
            !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_compared_composed_lowercase_and_without_colon() {
        assert_eq!(normal("  Réponse :  "), "réponse");
        assert_eq!(normal("Re\u{301}ponse"), "réponse");
        assert_eq!(
            normal("Nom   de\tl’entreprise\u{a0}:"),
            "nom de l’entreprise"
        );
        assert_eq!(normal("ID::"), "id");
        assert_eq!(normal(" : "), "");
        // lowercased as a text, not letter by letter: a final sigma stays final
        assert_eq!(normal("ΟΔΟΣ :"), "\u{3bf}\u{3b4}\u{3bf}\u{3c2}");
    }

    #[test]
    fn question_ids_and_headers() {
        assert!(is_question_id(" SOB-01\u{a0}"));
        assert!(!is_question_id("sob-01"));
        assert!(!is_question_id("SOB-1"));
        assert!(!is_question_id("SOBR-01"));
        let header: Vec<String> = [
            "ID",
            "Note",
            "Question",
            "réponse ",
            "Justification / commentaire",
        ]
        .map(String::from)
        .to_vec();
        let c = Columns::from_header(&header).unwrap();
        assert_eq!(
            (c.id, c.question, c.answer, c.comment, c.document),
            (0, Some(2), 3, Some(4), None)
        );
        assert!(Columns::from_header(&["ID", "Question"]).is_none());
        assert_eq!(identity_field("Courriel :"), Some(IdentityField::Email));
        assert_eq!(identity_field("SIREN/SIRET"), Some(IdentityField::Siret));
        assert_eq!(identity_field("Company  name"), Some(IdentityField::Name));
        assert_eq!(identity_field("\u{a0}COURRIEL"), Some(IdentityField::Email));
        assert_eq!(
            identity_field("Te\u{301}le\u{301}phone"),
            Some(IdentityField::Phone)
        );
        assert_eq!(identity_field("Afghanistan"), None);
        assert_eq!(identity_field("Belgique"), None);
        assert_eq!(identity_field("Autriche"), None);
        assert_eq!(identity_field("SIRE"), None);
        assert_eq!(identity_field("DATE"), Some(IdentityField::Date));
        assert_eq!(identity_field("Adresse\u{301}"), None);
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(27), "AB");
        assert_eq!(column_name(16_383), "XFD");
    }
}
