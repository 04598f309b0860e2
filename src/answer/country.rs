//! Countries as vendors write them: codes or names, in French or English.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::fold;
use crate::text::Lang;

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
            for (_, name) in listed_names(line) {
                map.entry(fold(&name)).or_insert(a2);
            }
        }
        map
    })
}

/// The names a questionnaire lists for one line of the table, English then
/// French, without commas (a list of answers is split on them):
/// « Corée, République de » is listed as « Corée (République de) ».
fn listed_names(line: &str) -> Vec<(Lang, String)> {
    let cols: Vec<&str> = line.split('\t').collect();
    let no_comma = |s: &str| match s.split_once(", ") {
        Some((a, b)) => format!("{a} ({b})"),
        None => s.to_string(),
    };
    let english = cols.get(2).and_then(|n| n.split('|').next());
    let french = cols.get(3).or(english.as_ref());
    [(Lang::En, english), (Lang::Fr, french.copied())]
        .into_iter()
        .filter_map(|(l, n)| n.map(|n| (l, no_comma(n))))
        .collect()
}

/// Every country's name in `lang`, as the questionnaire's drop-down lists
/// them, in alphabetical order (accents ignored); each reads back as its code.
pub fn listed(lang: Lang) -> Vec<String> {
    let mut names: Vec<String> = TABLE
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            listed_names(l)
                .into_iter()
                .find(|(at, _)| *at == lang)
                .map(|(_, n)| n)
        })
        .collect();
    names.sort_by_key(|n| fold(n));
    names
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
