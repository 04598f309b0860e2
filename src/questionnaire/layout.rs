//! Names the questionnaire writers and the answer reader agree on.

use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

use crate::text::Lang;

/// Sheet and table column headers, in order: id, question, the expected
/// answer in short, the explanations, answer, comment, supporting document.
pub fn columns(lang: Lang) -> [&'static str; 7] {
    match lang {
        Lang::Fr => [
            "ID",
            "Question",
            "Réponse attendue",
            "Explications",
            "Réponse",
            "Justification / commentaire",
            "Pièce justificative (nom du fichier)",
        ],
        Lang::En => [
            "ID",
            "Question",
            "Expected answer",
            "Explanations",
            "Answer",
            "Justification / comment",
            "Supporting document (file name)",
        ],
    }
}

/// Index of the question text in [`columns`].
pub const QUESTION_COLUMN: usize = 1;
/// Index of the answer column in [`columns`].
pub const ANSWER_COLUMN: usize = 4;
/// Index of the comment column in [`columns`].
pub const COMMENT_COLUMN: usize = 5;
/// Index of the supporting document column in [`columns`].
pub const DOCUMENT_COLUMN: usize = 6;

/// The headers questionnaires issued before used for the question, comment
/// and document columns (the reader still knows them).
pub const FORMER_HEADERS: [(usize, &str); 4] = [
    (DOCUMENT_COLUMN, "Pièce justificative"),
    (DOCUMENT_COLUMN, "Supporting document"),
    (QUESTION_COLUMN, "Question"),
    (COMMENT_COLUMN, "Justification / commentaire"),
];

/// The header of the criterion column of the yearly follow-up sheet.
pub fn criterion_column(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "Critère",
        Lang::En => "Criterion",
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

/// One field of the vendor's identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentityField {
    /// Company name (*raison sociale*).
    Name,
    /// SIRET (or SIREN), as text.
    Siret,
    /// Address of the company's establishment.
    Address,
    /// Sole tenderer, or the group: lead member and co-contractors.
    Group,
    /// Who signs the offer.
    Signatory,
    /// The signatory's role, and the power to bind the company.
    Role,
    /// Contact person for the tender.
    Contact,
    /// Email.
    Email,
    /// Phone.
    Phone,
    /// Date of the answer.
    Date,
}

impl IdentityField {
    /// Every field, in the order of the identity sheet or table.
    pub const ALL: [IdentityField; 10] = [
        IdentityField::Name,
        IdentityField::Siret,
        IdentityField::Address,
        IdentityField::Group,
        IdentityField::Signatory,
        IdentityField::Role,
        IdentityField::Contact,
        IdentityField::Email,
        IdentityField::Phone,
        IdentityField::Date,
    ];

    /// Fields an offer must give: missing, they are to be regularised.
    pub fn required(self) -> bool {
        matches!(
            self,
            IdentityField::Name
                | IdentityField::Siret
                | IdentityField::Address
                | IdentityField::Signatory
                | IdentityField::Role
                | IdentityField::Email
        )
    }

    /// The label in column A of the identity sheet, first column of the table.
    pub fn label(self, lang: Lang) -> &'static str {
        let (fr, en) = match self {
            IdentityField::Name => ("Raison sociale", "Company name"),
            IdentityField::Siret => ("SIRET", "SIRET"),
            IdentityField::Address => ("Adresse", "Address"),
            IdentityField::Group => ("Candidat seul ou groupement", "Sole tenderer or group"),
            IdentityField::Signatory => ("Signataire (nom et prénom)", "Signatory (full name)"),
            IdentityField::Role => ("Qualité du signataire", "Signatory's role"),
            IdentityField::Contact => ("Personne à contacter", "Contact person"),
            IdentityField::Email => ("Courriel", "Email"),
            IdentityField::Phone => ("Téléphone", "Phone"),
            IdentityField::Date => ("Date", "Date"),
        };
        match lang {
            Lang::Fr => fr,
            Lang::En => en,
        }
    }

    /// What to write, beside the answer cell.
    pub fn hint(self, lang: Lang) -> &'static str {
        let (fr, en) = match self {
            IdentityField::Name => (
                "Dénomination de l’entreprise, telle qu’au registre du commerce (pour un groupement : celle du mandataire).",
                "The company's registered name (for a group: the lead member's).",
            ),
            IdentityField::Siret => (
                "14 chiffres de l’établissement qui répond (9 chiffres du SIREN à défaut), avec ou sans espaces ; les zéros de tête sont conservés.",
                "The 14 digits of the answering establishment (or the 9 digits of the SIREN), with or without spaces; leading zeros are kept.",
            ),
            IdentityField::Address => (
                "Numéro, voie, code postal et commune de l’établissement.",
                "Number, street, postcode and town of the establishment.",
            ),
            IdentityField::Group => (
                "« Candidat seul », ou le mandataire puis les cotraitants du groupement, et sa forme (conjoint ou solidaire).",
                "\"Sole tenderer\", or the group's lead member then its co-contractors, and its form (joint or joint and several).",
            ),
            IdentityField::Signatory => (
                "La personne habilitée à engager le candidat (pour un groupement : le mandataire).",
                "The person empowered to bind the tenderer (for a group: the lead member).",
            ),
            IdentityField::Role => (
                "Sa fonction (gérant, président, directeur…) ou la délégation de pouvoir qui l’habilite.",
                "Their position (manager, chair, director…) or the delegation of authority that empowers them.",
            ),
            IdentityField::Contact => (
                "Qui l’acheteur peut joindre sur cette réponse, s’il ne s’agit pas du signataire.",
                "Whom the buyer may reach about this answer, if not the signatory.",
            ),
            IdentityField::Email => (
                "L’adresse où recevoir les demandes de précision ou de régularisation.",
                "Where to receive requests for clarification or to regularise.",
            ),
            IdentityField::Phone => ("Numéro direct.", "Direct number."),
            IdentityField::Date => (
                "Date de la réponse (JJ/MM/AAAA).",
                "Date of the answer (DD/MM/YYYY).",
            ),
        };
        match lang {
            Lang::Fr => fr,
            Lang::En => en,
        }
    }

    /// Labels of questionnaires issued before, still read back.
    pub fn former_labels(self) -> &'static [&'static str] {
        match self {
            IdentityField::Siret => &["SIREN/SIRET"],
            IdentityField::Contact => &["Contact"],
            _ => &[],
        }
    }
}

/// Labels of the identity sheet or table, in order.
pub fn identity_labels(lang: Lang) -> [&'static str; 10] {
    IdentityField::ALL.map(|f| f.label(lang))
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

/// A question text without its typography: NFC, curly quotes and
/// apostrophes as straight ones, every run of spaces (no-break and narrow
/// no-break ones included) as one plain space, trimmed. Two texts that only
/// differ in how they are typeset fold to the same; a changed word does not.
pub fn fold_typography(text: &str) -> String {
    let straight: String = text
        .nfc()
        .map(|c| match c {
            '\u{2019}' | '\u{2018}' | '\u{02bc}' | '\u{2032}' => '\'',
            '\u{201c}' | '\u{201d}' | '\u{201e}' => '"',
            '\u{2011}' => '-',
            c => c,
        })
        .collect();
    crate::text::single_spaced(&straight)
}

/// Whether a returned question text is the text as issued, however it was
/// typeset (by the questionnaire, or by the office suite that saved it).
pub fn same_text(issued: &str, returned: &str) -> bool {
    issued == returned || fold_typography(issued) == fold_typography(returned)
}

/// Whether a returned question text is `issued` in `lang`: first compared,
/// as a string, with the text as the questionnaire printed it (typeset
/// once per process, for every file of a batch), then with its typography
/// folded ([`same_text`]) only when it differs.
pub fn same_issued_text(issued: &str, lang: Lang, returned: &str) -> bool {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    // by language, the texts as printed by the texts as issued (looked up
    // without a copy of the issued text: one lookup per question per file)
    static PRINTED: OnceLock<Mutex<HashMap<Lang, HashMap<String, String>>>> = OnceLock::new();
    let as_printed = PRINTED
        .get_or_init(Mutex::default)
        .lock()
        .is_ok_and(|mut cache| {
            let printed = cache.entry(lang).or_default();
            if let Some(text) = printed.get(issued) {
                return text == returned;
            }
            let text = crate::office::typography::apply(issued, lang);
            let same = text == returned;
            printed.insert(issued.to_string(), text);
            same
        });
    as_printed || same_text(issued, returned)
}

/// SHA-256 of a text as issued, without its typography (see [`fold_typography`]).
pub fn text_hash(text: &str) -> String {
    hex::encode(Sha256::digest(fold_typography(text).as_bytes()))
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

    #[test]
    fn a_typeset_text_is_the_same_text_a_changed_word_is_not() {
        let issued = "Quel est l'écart mesuré ? Répondez « Oui » : 1 000 heures";
        let typeset = crate::office::typography::apply(issued, Lang::Fr);
        assert_ne!(typeset, issued);
        assert!(same_text(issued, &typeset));
        assert!(same_text(&typeset, issued));
        assert_eq!(text_hash(issued), text_hash(&typeset));
        let edited = typeset.replace("mesuré", "estimé");
        assert!(!same_text(issued, &edited));
        assert_ne!(text_hash(issued), text_hash(&edited));
        assert!(!same_text("l'IA", "l IA"));
        assert!(same_issued_text(issued, Lang::Fr, &typeset));
        assert!(same_issued_text(
            issued,
            Lang::Fr,
            &typeset.replace('\u{202f}', " ")
        ));
        assert!(!same_issued_text(issued, Lang::Fr, &edited));
    }
}
