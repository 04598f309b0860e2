//! How labels are compared: lower case, accents removed, spaces collapsed.
//!
//! A file of its own, with no other dependency than Unicode normalisation:
//! `build.rs` folds the country names with it at compile time (see
//! [`super::country`]), so that they are folded there as they are here.

use unicode_normalization::UnicodeNormalization;

/// Lower case, accents removed, spaces collapsed: how labels are compared.
///
/// The text is decomposed (NFD), its accents (U+0300 to U+036F) dropped,
/// lower-cased, `’` made `'`, and its words joined by one space. ASCII
/// characters are their own decomposition and never move in the canonical
/// reordering (their combining class is 0): only the runs between them need
/// decomposing, and the result is the same as decomposing the whole text.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // A space is written only before a word: none leading or trailing.
    let mut space = false;
    let mut push = |c: char| {
        if c.is_whitespace() {
            space = !out.is_empty();
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    };
    for (ascii, run) in ascii_runs(s) {
        if ascii {
            for b in run.bytes() {
                push(char::from(b.to_ascii_lowercase()));
            }
            continue;
        }
        for c in run.nfd() {
            if !('\u{300}'..='\u{36f}').contains(&c) {
                for l in c.to_lowercase() {
                    push(if l == '’' { '\'' } else { l });
                }
            }
        }
    }
    out
}

/// The runs of `s` that are all ASCII and those that hold none, in turn:
/// `café` gives `(true, "caf")` then `(false, "é")`. ASCII characters are
/// their own decomposition and never move in the canonical reordering, so a
/// text decomposes (NFD, NFKD) as its runs do, put end to end: only the
/// non-ASCII ones need the costly decomposition.
pub fn ascii_runs(s: &str) -> impl Iterator<Item = (bool, &str)> {
    let mut rest = s;
    std::iter::from_fn(move || {
        let ascii = rest.as_bytes().first()?.is_ascii();
        // Non-ASCII bytes never start or end a UTF-8 character midway: the
        // end of a run is a character boundary.
        let len = (rest.bytes())
            .position(|b| b.is_ascii() != ascii)
            .unwrap_or(rest.len());
        let (run, tail) = rest.split_at(len);
        rest = tail;
        Some((ascii, run))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_cut_into_ascii_runs_and_others() {
        let runs: Vec<(bool, &str)> = ascii_runs("café au lait ½").collect();
        assert_eq!(
            runs,
            [
                (true, "caf"),
                (false, "é"),
                (true, " au lait "),
                (false, "½")
            ]
        );
        assert_eq!(ascii_runs("").count(), 0);
        assert_eq!(ascii_runs("«»").collect::<Vec<_>>(), [(false, "«»")]);
    }

    /// The definition `fold` keeps to, one step after the other.
    fn reference(s: &str) -> String {
        let stripped: String = s
            .nfd()
            .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
            .flat_map(char::to_lowercase)
            .collect::<String>()
            .replace('’', "'");
        stripped.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn folding_by_runs_is_folding_the_whole_text() {
        for s in [
            "",
            "   ",
            "  FRANCE \t UE ",
            "Côte  d’Ivoire",
            "ÉTATS-UNIS\u{a0}d'Amérique",
            "e\u{301}te\u{301} à\u{328}\u{301} Ω Ǆ İstanbul ﬁn ½",
            "\u{301}début, ﬁn\u{2003}\u{2003}et\u{3000}après ",
            "Mémoire technique, § 3.2",
            "ASCII only, Mixed CASE\n\ttext",
        ] {
            assert_eq!(fold(s), reference(s), "{s:?}");
        }
    }
}
