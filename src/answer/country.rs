//! Countries as vendors write them: codes or names, in French or English.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::fold;

/// ISO 3166-1 table: alpha-2, alpha-3, names and aliases.
const TABLE: &str = include_str!("countries.tsv");

fn index() -> &'static HashMap<String, &'static str> {
    static INDEX: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut map = HashMap::new();
        for line in TABLE.lines().filter(|l| !l.starts_with('#')) {
            let mut cols = line.split('\t');
            let (Some(a2), Some(a3), Some(names)) = (cols.next(), cols.next(), cols.next()) else {
                continue;
            };
            map.insert(fold(a2), a2);
            map.insert(fold(a3), a2);
            for name in names.split('|') {
                map.entry(key(name)).or_insert(a2);
            }
        }
        map
    })
}

fn key(name: &str) -> String {
    fold(name)
        .replace(['-', '\'', '.', ','], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The ISO 3166-1 alpha-2 code of a code (alpha-2 or alpha-3) or a name.
pub fn code(raw: &str) -> Option<&'static str> {
    let index = index();
    index
        .get(&fold(raw.trim()))
        .or_else(|| index.get(&key(raw)))
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(code("Atlantide"), None);
        assert_eq!(code("XX"), None);
    }
}
