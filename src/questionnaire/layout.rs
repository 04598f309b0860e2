//! Names the questionnaire writers and the answer reader agree on.

use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

use crate::text::Lang;

/// Sheet and table column headers, in order.
pub fn columns(lang: Lang) -> [&'static str; 7] {
    match lang {
        Lang::Fr => [
            "ID",
            "Critère",
            "Question",
            "Format attendu / aide",
            "Réponse",
            "Justification / commentaire",
            "Pièce justificative",
        ],
        Lang::En => [
            "ID",
            "Criterion",
            "Question",
            "Expected format / help",
            "Answer",
            "Justification / comment",
            "Supporting document",
        ],
    }
}

/// The header of the internal grid's extra column: the service that instructed the point.
pub fn service_column(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "Service instructeur",
        Lang::En => "Assessing service",
    }
}

/// The name of the internal grid's instruction record sheet.
pub fn record_sheet(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "Instruction",
        Lang::En => "Assessment record",
    }
}

/// Index of the answer column in [`columns`].
pub const ANSWER_COLUMN: usize = 4;

/// Labels of the identity sheet or table, in order.
pub fn identity_labels(lang: Lang) -> [&'static str; 5] {
    match lang {
        Lang::Fr => [
            "Raison sociale",
            "SIREN/SIRET",
            "Contact",
            "Courriel",
            "Date",
        ],
        Lang::En => ["Company name", "SIREN/SIRET", "Contact", "Email", "Date"],
    }
}

/// Sheet names: instructions, identity, questions, lists (hidden), metadata (very hidden).
pub fn sheet_names(lang: Lang) -> [&'static str; 5] {
    match lang {
        Lang::Fr => [
            "Instructions",
            "Identité",
            "Questionnaire",
            "_listes",
            "_boussole",
        ],
        Lang::En => [
            "Instructions",
            "Identity",
            "Questionnaire",
            "_lists",
            "_boussole",
        ],
    }
}

/// SHA-256 of a text as issued: NFC, whitespace collapsed, trimmed.
pub fn text_hash(text: &str) -> String {
    let normal: String = text.nfc().collect();
    let collapsed = normal.split_whitespace().collect::<Vec<_>>().join(" ");
    hex::encode(Sha256::digest(collapsed.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_hash_ignores_spacing_and_unicode_form() {
        assert_eq!(
            text_hash("Déclarez  le\nPUE "),
            text_hash("De\u{301}clarez le PUE")
        );
        assert_ne!(text_hash("PUE"), text_hash("WUE"));
    }
}
