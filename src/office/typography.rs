//! French typography: the narrow spaces French puts before `; : ! ?` and
//! inside guillemets, so that a document reads as a French legal text.

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
            ' ' if next.is_some_and(|n| n.is_ascii_digit()) && is_reference(&chars[..i]) => {
                out.push(NBSP)
            }
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

/// Whether `before` ends with an article's prefix that must stay on the
/// line of its number: « L. 2152-2 », « R. 2152-2 », « art. 9 », « n° 3 ».
fn is_reference(before: &[char]) -> bool {
    let word: String = before
        .iter()
        .rev()
        .take_while(|c| !c.is_whitespace() && **c != '(')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    matches!(word.as_str(), "L." | "R." | "D." | "art." | "n°" | "N°")
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
}
