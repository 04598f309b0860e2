//! The compass's own process: the internal evaluation grid of an AI use
//! case, the opinion for political validation, and the five-year follow-up.
//!
//! Before anything is bought, a project group of support and user services
//! (digital, HR, organisation, occupational health and safety, legal,
//! quality of working life) applies the compass to the use case. The grid
//! is the questionnaire for the internal audience ([`crate::questionnaire`]
//! writes it), plus an opinion row per criterion (`AVIS-<criterion>`) and an
//! instruction record (`INSTR-<item>`: who was consulted, when, which impact
//! assessments). [`opinion`] reads a completed grid back and proposes an
//! opinion per criterion; [`followup`] writes the yearly follow-up sheets
//! and compares them.

pub mod followup;
pub mod opinion;

use serde::{Deserialize, Serialize};

use crate::text::{Lang, Text};

/// The id of the opinion row of a criterion.
pub fn opinion_id(criterion: &str) -> String {
    format!("AVIS-{criterion}")
}

/// An opinion on one criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Opinion {
    /// The use case meets the criterion.
    Favourable,
    /// It does, under the conditions listed.
    FavourableWithConditions,
    /// It does not.
    Unfavourable,
    /// Nothing was answered.
    NotAssessed,
}

impl Opinion {
    /// The opinions a group may enter, in the order of the drop-down.
    pub const ENTERED: [Opinion; 3] = [
        Opinion::Favourable,
        Opinion::FavourableWithConditions,
        Opinion::Unfavourable,
    ];

    /// The opinion in words.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Opinion::Favourable, Lang::Fr) => "Favorable",
            (Opinion::FavourableWithConditions, Lang::Fr) => "Favorable avec conditions",
            (Opinion::Unfavourable, Lang::Fr) => "Défavorable",
            (Opinion::NotAssessed, Lang::Fr) => "Non instruit",
            (Opinion::Favourable, Lang::En) => "Favourable",
            (Opinion::FavourableWithConditions, Lang::En) => "Favourable with conditions",
            (Opinion::Unfavourable, Lang::En) => "Unfavourable",
            (Opinion::NotAssessed, Lang::En) => "Not assessed",
        }
    }

    /// The opinion a group typed, in either language.
    pub fn parse(text: &str) -> Option<Opinion> {
        let folded = crate::answer::fold(text);
        Opinion::ENTERED.into_iter().find(|o| {
            Lang::ALL
                .iter()
                .any(|l| crate::answer::fold(o.label(*l)) == folded)
                || serde_json::to_value(o)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .as_deref()
                    == Some(folded.as_str())
        })
    }
}

/// One item of the instruction record.
pub struct Item {
    /// Key, after `INSTR-`.
    pub key: &'static str,
    /// What is asked.
    pub label: Text,
    /// What to write.
    pub help: Text,
}

fn item(key: &'static str, label: (&str, &str), help: (&str, &str)) -> Item {
    let t = |(fr, en): (&str, &str)| Text {
        fr: fr.into(),
        en: en.into(),
    };
    Item {
        key,
        label: t(label),
        help: t(help),
    }
}

/// The instruction record: how the use case was assessed, by whom, with whom.
pub fn record() -> Vec<Item> {
    vec![
        item(
            "use_case",
            ("Cas d'usage instruit", "Use case assessed"),
            (
                "Décrivez en quelques phrases l'usage de l'IA envisagé et le service concerné.",
                "Describe in a few sentences the intended use of AI and the service concerned.",
            ),
        ),
        item(
            "project_group",
            ("Groupe projet", "Project group"),
            (
                "Membres du groupe et services qu'ils représentent (services supports et utilisateurs).",
                "Members of the group and the services they represent (support and user services).",
            ),
        ),
        item(
            "services_consulted",
            ("Services consultés", "Services consulted"),
            (
                "Numérique, ressources humaines, organisation et management, santé et sécurité au travail, juridique, qualité de vie au travail : ceux qui ont instruit le dossier.",
                "Digital, human resources, organisation and management, occupational health and safety, legal, quality of working life: those who assessed the case.",
            ),
        ),
        item(
            "unions_informed",
            (
                "Organisations syndicales informées le",
                "Trade unions informed on",
            ),
            (
                "Date de l'information des organisations syndicales (JJ/MM/AAAA).",
                "Date the trade unions were informed (DD/MM/YYYY).",
            ),
        ),
        item(
            "staff_committee",
            (
                "Comité social territorial consulté le",
                "Staff committee consulted on",
            ),
            (
                "Date de la consultation lorsque l'organisation du travail change, ou « sans objet » et pourquoi.",
                "Date of the consultation when work organisation changes, or \"not applicable\" and why.",
            ),
        ),
        item(
            "staff_committee_opinion",
            (
                "Avis du comité social territorial",
                "Staff committee's opinion",
            ),
            (
                "Avis rendu, ou « sans objet ».",
                "Opinion given, or \"not applicable\".",
            ),
        ),
        item(
            "workers_informed",
            (
                "Travailleurs informés avant la mise en service",
                "Workers informed before go-live",
            ),
            (
                "Pour un système à haut risque : date de l'information des agents concernés et de leurs représentants.",
                "For a high-risk system: date the staff concerned and their representatives were informed.",
            ),
        ),
        item(
            "dpia",
            (
                "Analyse d'impact relative à la protection des données",
                "Data protection impact assessment",
            ),
            (
                "Réalisée le (date), ou motif pour lequel elle n'est pas requise.",
                "Carried out on (date), or why it is not required.",
            ),
        ),
        item(
            "fria",
            (
                "Analyse d'impact sur les droits fondamentaux",
                "Fundamental-rights impact assessment",
            ),
            (
                "Réalisée le (date), ou motif pour lequel elle n'est pas requise.",
                "Carried out on (date), or why it is not required.",
            ),
        ),
    ]
}

/// The id of a record item.
pub fn record_id(key: &str) -> String {
    format!("INSTR-{key}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opinions_are_read_in_either_language() {
        assert_eq!(Opinion::parse("favorable"), Some(Opinion::Favourable));
        assert_eq!(
            Opinion::parse("Favourable with conditions"),
            Some(Opinion::FavourableWithConditions)
        );
        assert_eq!(Opinion::parse(" DÉFAVORABLE "), Some(Opinion::Unfavourable));
        assert_eq!(Opinion::parse("unfavourable"), Some(Opinion::Unfavourable));
        assert_eq!(Opinion::parse("peut-être"), None);
    }

    #[test]
    fn ids_are_read_back_as_grid_rows() {
        assert!(crate::response::is_extra_id(&opinion_id(
            "working_conditions"
        )));
        for i in record() {
            assert!(crate::response::is_extra_id(&record_id(i.key)), "{}", i.key);
        }
    }
}
