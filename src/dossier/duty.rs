//! What a person does in a dossier, and what that lets them do there.
//!
//! On a shared server (`serve --listen`) each account holds duties per
//! dossier, granted with `boussole user grant`: an account without any
//! duty in a dossier sees nothing of it. Each page and each action of a
//! dossier is checked on the server against [`Duty::may`].

use serde::{Deserialize, Serialize};

use crate::text::Lang;

/// A person's part in one consultation.
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
    clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum Duty {
    /// The buyer: the profile, the documents issued, the answers received.
    Acheteur,
    /// A member of the evaluation committee: the marks.
    Commission,
    /// Legal staff: decisions on findings, letters.
    Juriste,
    /// The project group: the internal grid and its opinion.
    #[value(name = "groupe-projet")]
    GroupeProjet,
    /// Reads the dossier, changes nothing.
    Lecteur,
}

/// What may be done in a dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    /// See the dossier: its files, its analysis, its timeline.
    Read,
    /// Keep its profile, the documents issued, the answers received.
    File,
    /// Record the committee's marks.
    Mark,
    /// Decide on findings and issue letters.
    Decide,
    /// Record the project group's grid and opinion.
    Opine,
}

impl Duty {
    /// Every duty, in the order of a consultation.
    pub const ALL: [Duty; 5] = [
        Duty::Acheteur,
        Duty::Commission,
        Duty::Juriste,
        Duty::GroupeProjet,
        Duty::Lecteur,
    ];

    /// How the database and the command line name it.
    pub fn code(self) -> &'static str {
        match self {
            Duty::Acheteur => "acheteur",
            Duty::Commission => "commission",
            Duty::Juriste => "juriste",
            Duty::GroupeProjet => "groupe-projet",
            Duty::Lecteur => "lecteur",
        }
    }

    /// The duty named `code`.
    pub fn from_code(code: &str) -> Option<Duty> {
        Duty::ALL.into_iter().find(|d| d.code() == code)
    }

    /// Its name for people.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Duty::Acheteur, Lang::Fr) => "acheteur",
            (Duty::Acheteur, Lang::En) => "buyer",
            (Duty::Commission, Lang::Fr) => "membre de la commission",
            (Duty::Commission, Lang::En) => "committee member",
            (Duty::Juriste, Lang::Fr) => "juriste",
            (Duty::Juriste, Lang::En) => "legal staff",
            (Duty::GroupeProjet, Lang::Fr) => "groupe projet",
            (Duty::GroupeProjet, Lang::En) => "project group",
            (Duty::Lecteur, Lang::Fr) => "lecteur",
            (Duty::Lecteur, Lang::En) => "reader",
        }
    }

    /// Whether the duty lets its holder do `act`: everyone reads, each
    /// other act belongs to one duty.
    pub fn may(self, act: Act) -> bool {
        match act {
            Act::Read => true,
            Act::File => self == Duty::Acheteur,
            Act::Mark => self == Duty::Commission,
            Act::Decide => self == Duty::Juriste,
            Act::Opine => self == Duty::GroupeProjet,
        }
    }
}

/// Whether any of `duties` lets its holder do `act`.
pub fn any_may(duties: &[Duty], act: Act) -> bool {
    duties.iter().any(|d| d.may(act))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_act_but_reading_belongs_to_one_duty() {
        for act in [Act::File, Act::Mark, Act::Decide, Act::Opine] {
            let holders: Vec<Duty> = Duty::ALL.into_iter().filter(|d| d.may(act)).collect();
            assert_eq!(holders.len(), 1, "{act:?}: {holders:?}");
        }
        assert!(Duty::ALL.iter().all(|d| d.may(Act::Read)));
        let reader = [Duty::Lecteur];
        assert!(!any_may(&reader, Act::File) && !any_may(&reader, Act::Decide));
        assert!(any_may(&[Duty::Lecteur, Duty::Juriste], Act::Decide));
        assert!(!Duty::Juriste.may(Act::Mark), "legal staff do not mark");
    }

    #[test]
    fn codes_read_back() {
        for d in Duty::ALL {
            assert_eq!(Duty::from_code(d.code()), Some(d));
        }
        assert_eq!(Duty::from_code("admin"), None);
    }
}
