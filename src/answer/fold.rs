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
    let mut rest = s;
    while !rest.is_empty() {
        // Non-ASCII bytes never start or end a UTF-8 character midway:
        // both indices are character boundaries.
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        for b in rest[..ascii].bytes() {
            push(char::from(b.to_ascii_lowercase()));
        }
        rest = &rest[ascii..];
        let other = rest
            .bytes()
            .position(|b| b.is_ascii())
            .unwrap_or(rest.len());
        for c in rest[..other].nfd() {
            if !('\u{300}'..='\u{36f}').contains(&c) {
                for l in c.to_lowercase() {
                    push(if l == '’' { '\'' } else { l });
                }
            }
        }
        rest = &rest[other..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
