//! French typography: the narrow spaces French puts before `; : ! ?` and
//! inside guillemets, so that a document reads as a French legal text; the
//! no-break spaces that keep a number with its unit or its thousands
//! (`1 000`, `24 heures`, `50 %`) and an article with its number
//! (`L. 2152-1`, `art. 5`, `n° 12`). Every document writer calls [`apply`];
//! the DOCX renderer applies it to every run of a French document.

use crate::text::Lang;

const NBSP: char = '\u{a0}';
const NNBSP: char = '\u{202f}';

/// `text` with French spacing rules applied (unchanged in English).
pub fn apply(text: &str, lang: Lang) -> String {
    if lang != Lang::Fr {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        match c {
            ' ' if matches!(next, Some(';' | '!' | '?' | '»')) => out.push(NNBSP),
            ' ' if next == Some(':') && !is_url_context(&chars, i) => out.push(NBSP),
            '«' if next == Some(' ') => {
                out.push('«');
                out.push(NNBSP);
            }
            ' ' if i > 0 && chars[i - 1] == '«' => {}
            ' ' if binds(&chars, i) => out.push(NBSP),
            '\'' => out.push('’'),
            _ => out.push(c),
        }
    }
    out
}

/// `text` between quotes: French guillemets with narrow no-break spaces
/// inside (`«\u{202f}oui\u{202f}»`, what [`apply`] makes of `« oui »`),
/// English curly quotes (`“yes”`).
pub fn quote(text: &str, lang: Lang) -> String {
    match lang {
        Lang::Fr => format!("«{NNBSP}{text}{NNBSP}»"),
        Lang::En => format!("“{text}”"),
    }
}

/// Whether the space at `i` joins what comes before it to what follows: a
/// number to its unit or to its next group of digits, an abbreviation of
/// article, number or code to its number.
fn binds(chars: &[char], i: usize) -> bool {
    let (Some(&before), Some(&after)) = (chars.get(i.wrapping_sub(1)), chars.get(i + 1)) else {
        return false;
    };
    let number = chars[..i]
        .iter()
        .rev()
        .take_while(|c| !c.is_whitespace() && **c != '(')
        .all(|c| c.is_ascii_digit() || *c == ',');
    if before.is_ascii_digit() && number {
        let next_digits = chars[i + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let group = next_digits == 3 && chars.get(i + 4).is_none_or(|c| !c.is_alphanumeric());
        return group || after.is_alphabetic() || matches!(after, '%' | '€' | '$');
    }
    // only a number or a capital is held to an abbreviation: most spaces
    // are before neither, and the word before them is not spelled out
    if !(after.is_ascii_digit() || after.is_ascii_uppercase()) {
        return false;
    }
    let word: String = chars[..i]
        .iter()
        .rev()
        .take_while(|c| !c.is_whitespace() && **c != '(')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let article = matches!(word.as_str(), "art." | "Art." | "article" | "Article");
    if after.is_ascii_uppercase() {
        return article && chars.get(i + 2) == Some(&'.');
    }
    after.is_ascii_digit()
        && (article
            || matches!(
                word.as_str(),
                "L." | "R." | "D." | "n°" | "N°" | "§" | "p." | "pp."
            ))
}

fn is_url_context(chars: &[char], i: usize) -> bool {
    chars.get(i + 2) == Some(&'/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_spacing_and_apostrophes() {
        assert_eq!(
            apply("Note : « oui » ; non ?", Lang::Fr),
            "Note\u{a0}: «\u{202f}oui\u{202f}»\u{202f}; non\u{202f}?"
        );
        assert_eq!(apply("l'acheteur", Lang::Fr), "l’acheteur");
        assert_eq!(
            apply("articles L. 2152-1 et R. 2152-2 (art. 9, n° 3)", Lang::Fr),
            "articles L.\u{a0}2152-1 et R.\u{a0}2152-2 (art.\u{a0}9, n°\u{a0}3)"
        );
        assert_eq!(apply("Note : yes", Lang::En), "Note : yes");
        assert_eq!(quote("oui", Lang::Fr), apply("« oui »", Lang::Fr));
        assert_eq!(quote("yes", Lang::En), "“yes”");
    }

    #[test]
    fn numbers_hold_to_their_units_and_articles_to_their_numbers() {
        assert_eq!(
            apply("pour 1 000 inférences, 24 heures, 50 %", Lang::Fr),
            "pour 1\u{a0}000\u{a0}inférences, 24\u{a0}heures, 50\u{a0}%"
        );
        assert_eq!(
            apply("CCP, art. L. 2152-1 et n° 12", Lang::Fr),
            "CCP, art.\u{a0}L.\u{a0}2152-1 et n°\u{a0}12"
        );
        assert_eq!(
            apply("en 2027 puis 2 000 ou 12 345 678", Lang::Fr),
            "en 2027\u{a0}puis 2\u{a0}000\u{a0}ou 12\u{a0}345\u{a0}678"
        );
        assert_eq!(apply("1 2024", Lang::Fr), "1 2024");
        let once = apply("« l'offre » : 1 000 h ; art. 5", Lang::Fr);
        assert_eq!(
            apply(&once, Lang::Fr),
            once,
            "applying twice changes nothing"
        );
    }
}
