//! The index a country is found by: every code and name of the table,
//! folded, with its alpha-2 code.
//!
//! `build.rs` builds it at compile time with this very file (and
//! `src/answer/fold.rs`) and writes it sorted, so that a check looks a
//! country up without folding the table's thousand names first.

use std::collections::HashMap;

use super::fold;

/// The index of `table` (ISO 3166-1: alpha-2, alpha-3, names and aliases,
/// then the French name): a code names its own line, a name the first line
/// that has it.
#[allow(
    dead_code,
    reason = "run by build.rs; the crate reads what it wrote, and its tests compare the two"
)]
pub fn build(table: &str) -> HashMap<String, &str> {
    let mut map = HashMap::new();
    for line in table.lines().filter(|l| !l.starts_with('#')) {
        let mut cols = line.split('\t');
        let (Some(a2), Some(a3), Some(names)) = (cols.next(), cols.next(), cols.next()) else {
            continue;
        };
        map.insert(fold(a2), a2);
        map.insert(fold(a3), a2);
        for name in names.split('|') {
            map.entry(key(name)).or_insert(a2);
        }
        for name in listed_names(line).into_iter().flatten() {
            map.entry(fold(&name)).or_insert(a2);
        }
    }
    map
}

/// The names a questionnaire lists for one line of the table, English then
/// French, without commas (a list of answers is split on them):
/// « Corée, République de » is listed as « Corée (République de) ».
pub fn listed_names(line: &str) -> [Option<String>; 2] {
    let cols: Vec<&str> = line.split('\t').collect();
    let no_comma = |s: &str| match s.split_once(", ") {
        Some((a, b)) => format!("{a} ({b})"),
        None => s.to_string(),
    };
    let english = cols.get(2).and_then(|n| n.split('|').next());
    let french = cols.get(3).copied().or(english);
    [english.map(no_comma), french.map(no_comma)]
}

/// A name folded, its hyphens, apostrophes, dots and commas as spaces.
pub fn key(name: &str) -> String {
    fold(name)
        .replace(['-', '\'', '.', ','], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
