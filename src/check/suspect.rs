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

use crate::answer::ascii_runs;

/// Words a text must have for two offers' texts to be compared.
pub const SHARED_MIN_WORDS: usize = 15;
/// Share of the shorter text's shingles found in the other: shared text.
pub const SHARED_MIN_OVERLAP: f64 = 0.8;
/// Share of the example's shingles found in the answer: a copy.
pub const EXAMPLE_MIN_OVERLAP: f64 = 0.9;

/// A text's words, normalised (see [`words`]), in one string, one space
/// between each: words have no space in them, so two texts have the same
/// words exactly when their strings are equal, and a shingle (three words
/// in a row) is a slice of the string.
#[derive(Debug, PartialEq, Eq)]
pub struct Words {
    text: String,
    /// Where each word ends in `text` (the next starts one byte later).
    ends: Vec<usize>,
}

impl Words {
    /// How many words.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The words, one space between each.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Where word `i` starts.
    fn start(&self, i: usize) -> usize {
        if i == 0 { 0 } else { self.ends[i - 1] + 1 }
    }

    /// The words, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).map(|i| &self.text[self.start(i)..self.ends[i]])
    }

    /// The three-word shingles, in order, each its words joined by a space
    /// (the whole text, once, when it has fewer than three words).
    fn shingles(&self) -> impl Iterator<Item = &str> {
        let n = self.len().saturating_sub(2).max(1);
        (0..n).map(move |i| match self.ends.get(i + 2) {
            Some(&end) => &self.text[self.start(i)..end],
            None => self.as_str(),
        })
    }

    /// Whether a word is being written: letters since the last word's end
    /// (the space before a word comes with its first letters).
    fn open(&self) -> bool {
        self.text.len() > self.ends.last().copied().unwrap_or(0)
    }

    /// Adds `letters` to the word being written (a space first when it
    /// starts a word after another).
    fn letters(&mut self, letters: &str) {
        if letters.is_empty() {
            return;
        }
        if !self.open() && !self.ends.is_empty() {
            self.text.push(' ');
        }
        self.text.push_str(letters);
    }

    /// Ends the word being written, if any.
    fn end(&mut self) {
        if self.open() {
            self.ends.push(self.text.len());
        }
    }
}

/// Lower case, no accents, words only: the runs of alphanumeric characters
/// of the text's compatibility decomposition (NFKD), combining marks
/// dropped, lower-cased.
///
/// Only the text's non-ASCII runs go through the decomposition (see
/// [`ascii_runs`]; most of an answer is ASCII, even in French); a word may
/// span both kinds of run (`café`). One string holds them all.
pub fn words(text: &str) -> Words {
    let mut words = Words {
        text: String::with_capacity(text.len()),
        ends: Vec::new(),
    };
    for (ascii, run) in ascii_runs(text) {
        if ascii {
            for (i, part) in run.split(|c: char| !c.is_ascii_alphanumeric()).enumerate() {
                // each part after the first follows a separator
                if i > 0 {
                    words.end();
                }
                let start = words.text.len();
                words.letters(part);
                words.text[start..].make_ascii_lowercase();
            }
            continue;
        }
        let mut buf = [0; 4];
        for c in run.nfkd() {
            if unicode_normalization::char::is_combining_mark(c) {
                continue;
            }
            for l in c.to_lowercase() {
                if l.is_alphanumeric() {
                    words.letters(l.encode_utf8(&mut buf));
                } else {
                    words.end();
                }
            }
        }
    }
    words.end();
    words
}

/// The three-word shingles of a text, as a set.
fn shingles(words: &Words) -> BTreeSet<&str> {
    words.shingles().collect()
}

/// Share of `of`'s shingles found in `within`.
fn overlap(of: &BTreeSet<&str>, within: &BTreeSet<&str>) -> f64 {
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
    let e = example_words(example);
    if e.len() < EXAMPLE_MIN_WORDS {
        return false;
    }
    let a = words(answer);
    if a.is_empty() {
        return false;
    }
    a == *e || overlap(&shingles(&e), &shingles(&a)) >= EXAMPLE_MIN_OVERLAP
}

/// Examples whose words a thread keeps, at most: the few of a questionnaire,
/// with room for a long-running process that checks against many.
const EXAMPLES_KEPT: usize = 4096;

thread_local! {
    /// The words of the examples seen by this thread: an example comes from
    /// the questionnaire, the same for every file checked against it.
    static EXAMPLE_WORDS: std::cell::RefCell<std::collections::HashMap<String, std::rc::Rc<Words>>> =
        std::cell::RefCell::default();
}

/// [`words`] of `example`, computed once per thread.
fn example_words(example: &str) -> std::rc::Rc<Words> {
    EXAMPLE_WORDS.with_borrow_mut(|kept| {
        if let Some(w) = kept.get(example) {
            return w.clone();
        }
        if kept.len() >= EXAMPLES_KEPT {
            kept.clear();
        }
        let w = std::rc::Rc::new(words(example));
        kept.insert(example.to_string(), w.clone());
        w
    })
}

/// A text as the shared-text test sees it, without the text: a hash of its
/// words (identical texts, once normalised, have the same) and the sorted
/// hashes of its shingles. It costs 8 bytes a word, about what the text
/// does, and a batch keeps one per distinct text (see [`Interner`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    words: u64,
    shingles: std::sync::Arc<[u64]>,
}

/// A text's fingerprint, when it runs to at least [`SHARED_MIN_WORDS`]
/// words (shorter texts are never compared).
pub fn fingerprint(text: &str) -> Option<Fingerprint> {
    let w = words(text);
    if w.len() < SHARED_MIN_WORDS {
        return None;
    }
    let mut shingles: Vec<u64> = w.shingles().map(hash).collect();
    shingles.sort_unstable();
    shingles.dedup();
    Some(Fingerprint {
        words: hash(w.as_str()),
        shingles: shingles.into(),
    })
}

fn hash<T: std::hash::Hash + ?Sized>(t: &T) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    BuildHasherDefault::<DefaultHasher>::default().hash_one(t)
}

/// Keeps one copy of each distinct text's shingles, however many offers
/// gave it (a batch of copies costs one).
#[derive(Debug, Default)]
pub struct Interner(std::collections::HashMap<u64, std::sync::Arc<[u64]>>);

impl Interner {
    /// `print`, sharing its shingles with an identical text seen before.
    pub fn intern(&mut self, print: Fingerprint) -> Fingerprint {
        let shingles = self.0.entry(print.words).or_insert(print.shingles).clone();
        Fingerprint {
            words: print.words,
            shingles,
        }
    }
}

/// Share of the sorted `of`'s elements found in the sorted `within`.
fn sorted_overlap(of: &[u64], within: &[u64]) -> f64 {
    if of.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < of.len() && j < within.len() {
        match of[i].cmp(&within[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common as f64 / of.len() as f64
}

/// For one question, which offers share their text: offers with the same
/// text (once normalised) form a group, in the order of their first offer;
/// groups whose texts are near enough are linked.
#[derive(Debug, Clone, Default)]
pub struct Sharing {
    /// Per offer, its group.
    group_of: Vec<Option<u32>>,
    /// Per group, its offers in order.
    members: Vec<Vec<u32>>,
    /// Per group, the other groups near it, in group order.
    links: Vec<Vec<u32>>,
}

impl Sharing {
    /// The offers (by index in the batch) whose fingerprints are given
    /// (`None`: a text too short, or no text), grouped and linked. Identical
    /// texts are grouped first, so a batch of copies costs one comparison.
    pub fn of(prints: &[Option<&Fingerprint>]) -> Sharing {
        let mut index: std::collections::HashMap<u64, u32> = std::collections::HashMap::new();
        let mut sets: Vec<&[u64]> = Vec::new();
        let mut s = Sharing::default();
        for (i, p) in prints.iter().enumerate() {
            let Some(p) = p else {
                s.group_of.push(None);
                continue;
            };
            let g = *index.entry(p.words).or_insert_with(|| {
                sets.push(&p.shingles);
                s.members.push(Vec::new());
                (s.members.len() - 1) as u32
            });
            s.members[g as usize].push(i as u32);
            s.group_of.push(Some(g));
        }
        for (g, sa) in sets.iter().enumerate() {
            let mut near = Vec::new();
            for (h, sb) in sets.iter().enumerate() {
                if g == h {
                    continue;
                }
                let (small, large) = if sa.len() <= sb.len() {
                    (sa, sb)
                } else {
                    (sb, sa)
                };
                if sorted_overlap(small, large) >= SHARED_MIN_OVERLAP {
                    near.push(h as u32);
                }
            }
            s.links.push(near);
        }
        s
    }

    /// The offers sharing the text of offer `i`: those of its group, then
    /// those of the groups linked to it.
    pub fn others(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        let g = self.group_of.get(i).copied().flatten();
        let groups = g
            .into_iter()
            .flat_map(|g| std::iter::once(g).chain(self.links[g as usize].iter().copied()));
        groups
            .flat_map(|g| self.members[g as usize].iter().map(|&m| m as usize))
            .filter(move |&m| m != i)
    }

    /// How many offers share the text of offer `i`.
    pub fn count(&self, i: usize) -> usize {
        let Some(g) = self.group_of.get(i).copied().flatten() else {
            return 0;
        };
        let linked: usize = (self.links[g as usize].iter())
            .map(|h| self.members[*h as usize].len())
            .sum();
        self.members[g as usize].len() - 1 + linked
    }
}

/// For one question, the offers whose texts are the same or nearly: for
/// each offer (by index in `texts`), the others sharing its text (see
/// [`Sharing`]).
pub fn shared(texts: &[&str]) -> BTreeMap<usize, Vec<usize>> {
    let prints: Vec<Option<Fingerprint>> = texts.iter().map(|t| fingerprint(t)).collect();
    let refs: Vec<Option<&Fingerprint>> = prints.iter().map(Option::as_ref).collect();
    let sharing = Sharing::of(&refs);
    (0..texts.len())
        .filter(|&i| sharing.count(i) > 0)
        .map(|i| (i, sharing.others(i).collect()))
        .collect()
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

    /// The definition `words` keeps to: the whole text decomposed at once.
    fn reference_words(text: &str) -> Vec<String> {
        let plain: String = text
            .nfkd()
            .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
            .flat_map(char::to_lowercase)
            .map(|c| if c.is_alphanumeric() { c } else { ' ' })
            .collect();
        plain.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn words_by_runs_are_the_words_of_the_whole_text() {
        for text in [
            "",
            " ;, ",
            "Plain ASCII text, with CAPS and 500 numbers; done.",
            EXAMPLE,
            "TESTS DE PARITÉ trimestriels — écart ≤ 5 points",
            // combining marks after ASCII letters, and several in a row
            "e\u{301}te\u{301} a\u{328}\u{301}\u{300}b c\u{327}a",
            "\u{301}\u{302}début",
            // compatibility decompositions: ligatures, fractions, wide forms, Ω, Ǆ
            "ﬁn ½ ２０２６ Ω Ǆ İstanbul ß ﬀ\u{a0}x",
            "l’offre d'« essai » n°3",
        ] {
            let w = words(text);
            assert_eq!(
                w.iter().collect::<Vec<_>>(),
                reference_words(text),
                "{text:?}"
            );
            assert_eq!(w.as_str(), reference_words(text).join(" "), "{text:?}");
        }
    }

    #[test]
    fn shingles_are_three_words_in_a_row_joined() {
        let text = "Tests de parité, trimestriels sur un jeu de 500 demandes";
        let joined: Vec<String> = (reference_words(text).windows(3))
            .map(|s| s.join(" "))
            .collect();
        assert_eq!(words(text).shingles().collect::<Vec<_>>(), joined);
        // fewer than three words: the text, once
        assert_eq!(
            words("Deux mots").shingles().collect::<Vec<_>>(),
            ["deux mots"]
        );
        assert_eq!(words(" ; ").shingles().collect::<Vec<_>>(), [""]);
    }

    #[test]
    fn examples_of_five_words_are_never_copied() {
        let five = "Un audit annuel par tiers";
        let six = "Un audit annuel par un tiers";
        assert_eq!(words(five).len(), EXAMPLE_MIN_WORDS - 1);
        assert_eq!(words(six).len(), EXAMPLE_MIN_WORDS);
        assert!(!copies_example(five, five));
        assert!(copies_example(six, six));
        assert!(copies_example("UN AUDIT annuel, par un tiers.", six));
        assert!(copies_example(
            "Un audit annuel par un tiers",
            "Ün audít annuel par ún tiers"
        ));
        assert!(!copies_example("", six));
        // the example's words come from this thread's memory the second time
        assert!(copies_example("un audit annuel par un tiers", six));
        assert!(!copies_example("un audit annuel", six));
        assert!(!copies_example(" ; ", six));
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
