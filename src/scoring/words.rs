//! The scale of an award element in words, as the RC announces it: the
//! annex prints exactly what [`super::score`] applies.

use super::{COMMITTEE_MAX, Scale};
use crate::library::{Better, Choice};
use crate::text::{self, Lang, Text};

/// The committee's standard descriptors, marks 0 to 4, used when the
/// library gives none for an element.
pub const DESCRIPTORS: [(&str, &str); 5] = [
    (
        "Absent, ou sans rapport avec la question.",
        "Missing, or unrelated to the question.",
    ),
    (
        "Insuffisant : affirmations générales, sans élément vérifiable.",
        "Insufficient: general statements, nothing that can be checked.",
    ),
    (
        "Partiel : répond à une partie de la question, avec peu d'éléments concrets ou de preuves.",
        "Partial: answers part of the question, with few concrete elements or proofs.",
    ),
    (
        "Satisfaisant : répond à toute la question, avec des éléments concrets et vérifiables.",
        "Satisfactory: answers the whole question, with concrete elements that can be checked.",
    ),
    (
        "Excellent : répond à toute la question, avec des engagements mesurables, des preuves jointes et des éléments propres au besoin de l'acheteur.",
        "Excellent: answers the whole question, with measurable commitments, proofs attached and elements specific to the buyer's need.",
    ),
];

/// The descriptors of an element: its own, or the standard ones.
pub fn descriptors(own: &[Text], lang: Lang) -> Vec<String> {
    if own.len() == usize::from(COMMITTEE_MAX) + 1 {
        own.iter().map(|t| t.get(lang).to_string()).collect()
    } else {
        DESCRIPTORS
            .iter()
            .map(|(fr, en)| if lang == Lang::Fr { fr } else { en }.to_string())
            .collect()
    }
}

/// `n point(s)`, with French agreement (« 0 point », « 1,5 point », « 2 points »).
pub fn points(n: f64, lang: Lang) -> String {
    let s = text::number((n * 100.0).round() / 100.0, lang);
    match lang {
        Lang::Fr if n.abs() < 2.0 => format!("{s} point"),
        Lang::Fr => format!("{s} points"),
        Lang::En if n == 1.0 => format!("{s} point"),
        Lang::En => format!("{s} points"),
    }
}

/// What an element needs to be described.
pub struct Element<'a> {
    /// Its weight: the points it brings at most.
    pub weight: u32,
    /// The unit its numbers are given in.
    pub unit: Option<&'a str>,
    /// Its choices (yes/no included).
    pub choices: &'a [Choice],
    /// Its rule in words, for [`Scale::Rule`].
    pub rule: Option<&'a str>,
}

impl Scale {
    /// The scale in words, for the RC.
    pub fn describe(&self, e: &Element<'_>, lang: Lang) -> String {
        let w = f64::from(e.weight);
        let full = points(w, lang);
        let value = |x: f64| text::quantity(x, e.unit, lang);
        let fr = lang == Lang::Fr;
        match self {
            Scale::Rule => {
                let rule = e.rule.unwrap_or_default().trim_end_matches('.');
                if fr {
                    format!(
                        "{full} si la réponse est conforme ({}), 0 point sinon.",
                        lower_first(rule)
                    )
                } else {
                    format!(
                        "{full} if the answer complies ({}), 0 points otherwise.",
                        lower_first(rule)
                    )
                }
            }
            Scale::Linear { zero, full: top } => {
                let (z, t) = (value(*zero), value(*top));
                if fr {
                    format!(
                        "0 point pour {z} ou moins bien, {full} pour {t} ou mieux, proportionnellement entre les deux."
                    )
                } else {
                    format!(
                        "0 points for {z} or worse, {full} for {t} or better, in proportion in between."
                    )
                }
            }
            Scale::Relative { better } => match (better, fr) {
                (Better::Lower, true) => format!(
                    "{full} pour la valeur la plus basse des offres ; pour une autre offre, {full} × (valeur la plus basse ÷ valeur de l'offre)."
                ),
                (Better::Higher, true) => format!(
                    "{full} pour la valeur la plus haute des offres ; pour une autre offre, {full} × (valeur de l'offre ÷ valeur la plus haute)."
                ),
                (Better::Lower, false) => format!(
                    "{full} for the lowest value among the offers; for another offer, {full} × (lowest value ÷ the offer's value)."
                ),
                (Better::Higher, false) => format!(
                    "{full} for the highest value among the offers; for another offer, {full} × (the offer's value ÷ highest value)."
                ),
            },
            Scale::Points { points: shares } => {
                let sep = if fr { " ; " } else { "; " };
                let parts: Vec<String> = e
                    .choices
                    .iter()
                    .map(|c| {
                        let share = shares.get(&c.id).copied().unwrap_or(0.0);
                        let label = crate::office::typography::quote(c.label.get(lang), lang);
                        format!("{label} : {}", points(w * share, lang))
                    })
                    .map(|s| if fr { s } else { s.replacen(" : ", ": ", 1) })
                    .collect();
                format!("{}.", parts.join(sep))
            }
            Scale::Committee => {
                if fr {
                    format!(
                        "note de 0 à 4 attribuée par la commission d'évaluation selon les niveaux publiés au règlement de la consultation ; {full} × note ÷ 4."
                    )
                } else {
                    format!(
                        "mark from 0 to 4 given by the evaluation committee against the levels published in the consultation rules; {full} × mark ÷ 4."
                    )
                }
            }
        }
    }
}

/// `rule` with its first letter in lower case, to sit inside a sentence
/// (« Réponse attendue : Oui » → « réponse attendue : Oui »).
fn lower_first(rule: &str) -> String {
    let mut chars = rule.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn element(weight: u32, unit: Option<&str>) -> Element<'_> {
        Element {
            weight,
            unit,
            choices: &[],
            rule: None,
        }
    }

    #[test]
    fn units_agree_with_their_number() {
        use crate::text::quantity;
        assert_eq!(quantity(1.0, Some("hours"), Lang::Fr), "1\u{a0}heure");
        assert_eq!(quantity(1.5, Some("days"), Lang::Fr), "1,5\u{a0}jour");
        assert_eq!(quantity(2.0, Some("hours"), Lang::Fr), "2\u{a0}heures");
        assert_eq!(quantity(1.0, Some("hours"), Lang::En), "1\u{a0}hour");
        assert_eq!(quantity(1.3, Some("ratio"), Lang::Fr), "1,3");
    }

    #[test]
    fn points_agree_in_french() {
        assert_eq!(points(0.0, Lang::Fr), "0 point");
        assert_eq!(points(1.5, Lang::Fr), "1,5 point");
        assert_eq!(points(3.0, Lang::Fr), "3 points");
        assert_eq!(points(1.0, Lang::En), "1 point");
    }

    #[test]
    fn linear_scales_say_both_ends_in_the_unit() {
        let s = Scale::Linear {
            zero: 24.0,
            full: 4.0,
        };
        assert_eq!(
            s.describe(&element(3, Some("hours")), Lang::Fr),
            "0 point pour 24\u{a0}heures ou moins bien, 3 points pour 4\u{a0}heures ou mieux, proportionnellement entre les deux."
        );
    }
}
