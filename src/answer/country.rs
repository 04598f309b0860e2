//! Countries as vendors write them: codes or names, in French or English.

mod index;

use super::fold;
use crate::text::Lang;

/// ISO 3166-1 table: alpha-2, alpha-3, names and aliases.
const TABLE: &str = include_str!("countries.tsv");

/// [`index::build`] of the table, run by `build.rs`: every key and its
/// alpha-2 code, sorted by key.
static INDEX: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/countries.rs"));

fn lookup(key: &str) -> Option<&'static str> {
    INDEX
        .binary_search_by(|(k, _)| (*k).cmp(key))
        .ok()
        .map(|i| INDEX[i].1)
}

/// Every country's name in `lang`, as the questionnaire's drop-down lists
/// them, in alphabetical order (accents ignored); each reads back as its code.
pub fn listed(lang: Lang) -> Vec<String> {
    let at = match lang {
        Lang::En => 0,
        Lang::Fr => 1,
    };
    let mut names: Vec<String> = TABLE
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| index::listed_names(l)[at].take())
        .collect();
    names.sort_by_key(|n| fold(n));
    names
}

/// The ISO 3166-1 alpha-2 code of a code (alpha-2 or alpha-3) or a name.
pub fn code(raw: &str) -> Option<&'static str> {
    lookup(&fold(raw.trim())).or_else(|| lookup(&index::key(raw)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index `build.rs` wrote is the table's, as this code builds it.
    #[test]
    fn the_index_built_at_compile_time_is_the_tables() {
        let built = index::build(TABLE);
        assert_eq!(INDEX.len(), built.len());
        assert!(
            INDEX.windows(2).all(|w| w[0].0 < w[1].0),
            "sorted, once each"
        );
        for (key, code) in INDEX {
            assert_eq!(built.get(*key), Some(code), "{key}");
        }
    }

    #[test]
    fn codes_names_and_aliases() {
        for (raw, want) in [
            ("FR", "FR"),
            ("fra", "FR"),
            ("France", "FR"),
            ("Allemagne", "DE"),
            ("germany", "DE"),
            ("USA", "US"),
            ("Etats-Unis", "US"),
            ("États-Unis", "US"),
            ("UK", "GB"),
            ("Royaume-Uni", "GB"),
            ("Pays-Bas", "NL"),
            ("Corée du Sud", "KR"),
            ("Côte d'Ivoire", "CI"),
            ("cote d ivoire", "CI"),
        ] {
            assert_eq!(code(raw), Some(want), "{raw}");
        }
        for lang in [Lang::Fr, Lang::En] {
            let names = listed(lang);
            assert!(names.len() > 240, "{lang:?}");
            for name in &names {
                assert!(!name.contains(','), "{name}");
                assert!(code(name).is_some(), "{name}");
            }
        }
        assert!(listed(Lang::Fr).contains(&"Corée (République de)".to_string()));
        assert_eq!(code("Corée (République de)"), Some("KR"));
        assert_eq!(code("Atlantide"), None);
        assert_eq!(code("XX"), None);
    }
}
