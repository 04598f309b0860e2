//! Suspect answers, for legal staff to look at: never a silent score.
//!
//! Texts are compared after normalisation (case, accents, punctuation and
//! spacing ignored), as sets of word *shingles* (three words in a row):
//!
//! - an answer is a copy of the published example (of six words or more)
//!   when, normalised, it is the example, or holds at least 90 % of the
//!   example's shingles;
//! - two offers share a text when both run to at least 15 words and at
//!   least 80 % of the shorter one's shingles are in the other.

use std::collections::{BTreeMap, BTreeSet};

use unicode_normalization::UnicodeNormalization;

/// Words a text must have for two offers' texts to be compared.
pub const SHARED_MIN_WORDS: usize = 15;
/// Share of the shorter text's shingles found in the other: shared text.
pub const SHARED_MIN_OVERLAP: f64 = 0.8;
/// Share of the example's shingles found in the answer: a copy.
pub const EXAMPLE_MIN_OVERLAP: f64 = 0.9;

/// Lower case, no accents, words only.
pub fn words(text: &str) -> Vec<String> {
    let plain: String = text
        .nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    plain.split_whitespace().map(String::from).collect()
}

/// The three-word shingles of a text (its words, when it has fewer).
fn shingles(words: &[String]) -> BTreeSet<String> {
    if words.len() < 3 {
        return std::iter::once(words.join(" ")).collect();
    }
    words.windows(3).map(|w| w.join(" ")).collect()
}

/// Share of `of`'s shingles found in `within`.
fn overlap(of: &BTreeSet<String>, within: &BTreeSet<String>) -> f64 {
    if of.is_empty() {
        return 0.0;
    }
    of.intersection(within).count() as f64 / of.len() as f64
}

/// Words an example must have for an answer to be taken as its copy.
pub const EXAMPLE_MIN_WORDS: usize = 6;

/// Whether `answer` is (nearly) `example`. Short examples (`Oui`, `1,3`,
/// `Apache-2.0`) are format hints anyone may type: never a copy.
pub fn copies_example(answer: &str, example: &str) -> bool {
    let (a, e) = (words(answer), words(example));
    if e.len() < EXAMPLE_MIN_WORDS || a.is_empty() {
        return false;
    }
    a == e || overlap(&shingles(&e), &shingles(&a)) >= EXAMPLE_MIN_OVERLAP
}

/// For one question, the offers whose texts are the same or nearly: for
/// each offer (by index in `texts`), the others sharing its text. Identical
/// texts are grouped first, so a batch of copies costs one comparison.
pub fn shared(texts: &[&str]) -> BTreeMap<usize, Vec<usize>> {
    let mut groups: BTreeMap<Vec<String>, Vec<usize>> = BTreeMap::new();
    for (i, t) in texts.iter().enumerate() {
        let w = words(t);
        if w.len() >= SHARED_MIN_WORDS {
            groups.entry(w).or_default().push(i);
        }
    }
    let groups: Vec<(BTreeSet<String>, Vec<usize>)> = groups
        .into_iter()
        .map(|(w, members)| (shingles(&w), members))
        .collect();
    let mut out: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (g, (sa, members)) in groups.iter().enumerate() {
        let mut linked: Vec<usize> = members.clone();
        for (h, (sb, others)) in groups.iter().enumerate() {
            if g != h {
                let (small, large) = if sa.len() <= sb.len() {
                    (sa, sb)
                } else {
                    (sb, sa)
                };
                if overlap(small, large) >= SHARED_MIN_OVERLAP {
                    linked.extend(others);
                }
            }
        }
        if linked.len() > 1 {
            for &m in members {
                out.insert(m, linked.iter().copied().filter(|&o| o != m).collect());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = "Tests de parité trimestriels sur un jeu de 500 demandes, écart maximal toléré de 5 points entre groupes.";

    #[test]
    fn normalised_copies_of_the_example_are_seen() {
        assert!(copies_example(EXAMPLE, EXAMPLE));
        assert!(copies_example(
            "TESTS DE PARITE trimestriels sur un jeu de 500 demandes ; écart maximal toléré de 5 points entre groupes",
            EXAMPLE
        ));
        assert!(!copies_example(
            "Audit annuel du modèle par un laboratoire indépendant, sur les données de la métropole.",
            EXAMPLE
        ));
        assert!(!copies_example("Oui", "Oui"));
    }

    #[test]
    fn texts_shared_by_offers_name_each_other() {
        let long = "Nous mesurons chaque trimestre les écarts de traitement entre groupes d'usagers sur un échantillon de cinq cents demandes anonymisées et publions le rapport";
        let nearly = "Nous mesurons chaque trimestre les écarts de traitement entre groupes d'usagers sur un échantillon de cinq cents demandes anonymisées et publions le rapport annuel";
        let other = "Le modèle est évalué par un tiers indépendant selon une méthode publiée, avec des indicateurs de biais choisis avec la métropole et revus chaque année";
        let found = shared(&[long, other, nearly, long, "trop court pour compter"]);
        assert_eq!(found.get(&0), Some(&vec![3, 2]));
        assert_eq!(found.get(&2), Some(&vec![0, 3]));
        assert_eq!(found.get(&1), None);
        assert_eq!(found.get(&4), None);
    }
}
