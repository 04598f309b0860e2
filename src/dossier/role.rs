//! What a file is to the consultation, for the database, archives and people.

use serde::{Deserialize, Serialize};

use crate::text::Lang;

/// What a file is to the consultation.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The tender profile.
    Profile,
    /// The annex of the tender documents.
    Annex,
    /// The questionnaire issued to vendors.
    Questionnaire,
    /// The questionnaire's lock.
    Lock,
    /// A returned offer, as received.
    Offer,
    /// An evidence file attached to an offer.
    Evidence,
    /// A report of the analysis.
    Report,
    /// A letter sent to a vendor.
    Letter,
    /// Legal staff's decisions.
    Decisions,
    /// The committee's marks.
    Marks,
    /// The project group's grid.
    Grid,
    /// The project group's opinion.
    Opinion,
    /// The awarded offer's commitments.
    Award,
    /// The algorithm's public record.
    Record,
    /// A yearly follow-up report.
    Followup,
    /// Anything else.
    Other,
}

impl Role {
    /// Every role, in the order of a consultation.
    pub const ALL: [Role; 16] = [
        Role::Profile,
        Role::Annex,
        Role::Questionnaire,
        Role::Lock,
        Role::Offer,
        Role::Evidence,
        Role::Report,
        Role::Letter,
        Role::Decisions,
        Role::Marks,
        Role::Grid,
        Role::Opinion,
        Role::Award,
        Role::Record,
        Role::Followup,
        Role::Other,
    ];

    /// The role's name in the database and in archives: `offer`.
    pub fn code(self) -> &'static str {
        match self {
            Role::Profile => "profile",
            Role::Annex => "annex",
            Role::Questionnaire => "questionnaire",
            Role::Lock => "lock",
            Role::Offer => "offer",
            Role::Evidence => "evidence",
            Role::Report => "report",
            Role::Letter => "letter",
            Role::Decisions => "decisions",
            Role::Marks => "marks",
            Role::Grid => "grid",
            Role::Opinion => "opinion",
            Role::Followup => "followup",
            Role::Award => "award",
            Role::Record => "record",
            Role::Other => "other",
        }
    }

    /// The role named `code`.
    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// What the role is, for people.
    pub fn label(self, lang: Lang) -> &'static str {
        let (fr, en) = match self {
            Role::Profile => ("Profil de la consultation", "Tender profile"),
            Role::Annex => ("Annexe", "Annex"),
            Role::Questionnaire => ("Questionnaire", "Questionnaire"),
            Role::Lock => ("Verrou du questionnaire", "Questionnaire lock"),
            Role::Offer => ("Offres reçues", "Offers received"),
            Role::Evidence => ("Pièces justificatives", "Evidence files"),
            Role::Report => ("Rapports d’analyse", "Analysis reports"),
            Role::Letter => ("Courriers", "Letters"),
            Role::Decisions => ("Décisions des juristes", "Legal staff’s decisions"),
            Role::Marks => ("Notes de la commission", "Committee’s marks"),
            Role::Grid => ("Grille du groupe projet", "Project group’s grid"),
            Role::Opinion => ("Avis du groupe projet", "Project group’s opinion"),
            Role::Followup => ("Suivi annuel", "Yearly follow-up"),
            Role::Award => ("Engagements du titulaire", "Contractor’s commitments"),
            Role::Record => (
                "Fiche publique de l’algorithme",
                "Algorithm’s public record",
            ),
            Role::Other => ("Autres pièces", "Other files"),
        };
        lang.pick(fr, en)
    }

    /// Whether the role holds one document, issued in versions (a profile,
    /// a questionnaire): each `add` makes the next version of the role.
    /// Other roles hold many files (offers, letters): a version per name.
    pub fn single(self) -> bool {
        !matches!(
            self,
            Role::Offer
                | Role::Evidence
                | Role::Report
                | Role::Letter
                | Role::Followup
                | Role::Other
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_has_a_code_read_back_and_a_label_of_its_own() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        for lang in Lang::ALL {
            let labels: std::collections::BTreeSet<&str> =
                Role::ALL.iter().map(|r| r.label(lang)).collect();
            assert_eq!(labels.len(), Role::ALL.len());
        }
        assert!(
            Role::ALL.windows(2).all(|w| w[0] < w[1]),
            "listed as ordered"
        );
        assert!(Role::Profile.single() && !Role::Offer.single());
    }
}
