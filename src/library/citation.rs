//! Legal references as a reader expects them in a « Fondement » line: each
//! text named once, its articles after it.
//!
//! The library keeps each reference whole (`Règlement (UE) 2024/1689,
//! art. 13 (lorsque le système est à haut risque)`), so that each can be
//! verified on its own. Printed one after the other, a clause citing eight
//! articles of the AI Act would name the regulation eight times; grouped, it
//! reads « Règlement (UE) 2024/1689, lorsque le système est à haut risque :
//! art. 13 ; art. 12 ; art. 47. » The scope a reference carries is kept on
//! the article, or said once for the text when every article shares it.

/// The references of one clause, grouped by the text they cite, in the
/// order each text first appears; groups end with a full stop.
pub fn grouped<'a>(refs: impl IntoIterator<Item = &'a str>) -> String {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for r in refs {
        let (text, item) = split(r);
        match groups.iter_mut().find(|(t, _)| *t == text) {
            Some((_, items)) => items.push(item),
            None => groups.push((text, vec![item])),
        }
    }
    groups
        .iter()
        .map(|(text, items)| group(text, items))
        .collect::<Vec<_>>()
        .join(" ")
}

/// One text and its articles, as a sentence.
fn group(text: &str, items: &[&str]) -> String {
    match items {
        [""] => format!("{text}."),
        [item] => format!("{text}, {item}."),
        _ => {
            let scope = scope(items[0]).filter(|s| items.iter().all(|i| scope(i) == Some(s)));
            let items: Vec<&str> = items
                .iter()
                .map(|i| match scope {
                    Some(s) => i[..i.len() - s.len() - 3].trim_end(),
                    None => i,
                })
                .collect();
            match scope {
                Some(s) => format!("{text}, {s} : {}.", items.join(" ; ")),
                None => format!("{text} : {}.", items.join(" ; ")),
            }
        }
    }
}

/// The cited text and what is cited in it: split at the first comma outside
/// parentheses (`CCAG-TIC (arrêté du 30 mars 2021 modifié), art. 22`).
fn split(r: &str) -> (&str, &str) {
    let mut depth = 0i32;
    for (i, c) in r.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => return (&r[..i], r[i + 1..].trim_start()),
            _ => {}
        }
    }
    (r, "")
}

/// The scope a reference ends with, in words, without its parentheses:
/// `art. 13 (lorsque le système est à haut risque)` → `lorsque le système…`.
fn scope(item: &str) -> Option<&str> {
    let inner = item.strip_suffix(')')?;
    let open = inner.rfind(" (")?;
    let s = &inner[open + 2..];
    (!s.contains('(') && !s.contains(')')).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::grouped;

    #[test]
    fn each_text_is_named_once_and_a_shared_scope_said_once() {
        let refs = [
            "CSP, art. L. 1111-8",
            "Règlement (UE) 2024/1689, art. 13 (lorsque le système est à haut risque)",
            "RGPD, art. 5, paragraphe 1, point e)",
            "Règlement (UE) 2024/1689, art. 49, paragraphe 3 (lorsque le système est à haut risque)",
            "RGPD, art. 32",
        ];
        assert_eq!(
            grouped(refs),
            "CSP, art. L. 1111-8. \
             Règlement (UE) 2024/1689, lorsque le système est à haut risque : art. 13 ; art. 49, paragraphe 3. \
             RGPD : art. 5, paragraphe 1, point e) ; art. 32."
        );
    }

    #[test]
    fn different_scopes_stay_on_their_article() {
        let refs = [
            "Règlement (UE) 2024/1689, art. 13, paragraphe 3 (par analogie)",
            "Règlement (UE) 2024/1689, art. 26, paragraphe 6 (lorsque le système est à haut risque)",
            "Règlement (UE) 2024/1689, art. 50, paragraphe 1",
        ];
        assert_eq!(
            grouped(refs),
            "Règlement (UE) 2024/1689 : art. 13, paragraphe 3 (par analogie) ; \
             art. 26, paragraphe 6 (lorsque le système est à haut risque) ; art. 50, paragraphe 1."
        );
    }

    #[test]
    fn a_text_in_parentheses_or_without_article_is_kept_whole() {
        let refs = [
            "CCAG-TIC (arrêté du 30 mars 2021 modifié), art. 22",
            "CCAG-TIC (arrêté du 30 mars 2021 modifié), art. 42",
            "Loi n° 2021-1485",
            "RGPD, art. 4, point 14)",
        ];
        assert_eq!(
            grouped(refs),
            "CCAG-TIC (arrêté du 30 mars 2021 modifié) : art. 22 ; art. 42. Loi n° 2021-1485. RGPD, art. 4, point 14)."
        );
    }
}
