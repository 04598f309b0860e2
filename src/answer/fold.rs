//! How labels are compared: lower case, accents removed, spaces collapsed.
//!
//! A file of its own, with no other dependency than Unicode normalisation:
//! `build.rs` folds the country names with it at compile time (see
//! [`super::country`]), so that they are folded there as they are here.

use unicode_normalization::UnicodeNormalization;

/// Lower case, accents removed, spaces collapsed: how labels are compared.
pub fn fold(s: &str) -> String {
    // ASCII text, most of what is compared, has no accent to decompose
    let stripped = if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        s.nfd()
            .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
            .flat_map(char::to_lowercase)
            .collect::<String>()
            .replace('’', "'")
    };
    let mut out = String::with_capacity(stripped.len());
    for word in stripped.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}
