//! What a reader of a returned file sees, when it is not what the file
//! holds: a number format that shows a text instead of the number, text
//! hidden from readers, content imported from another file.
//!
//! The readers read an answer as a person reading the file sees it (the
//! text a format shows, without hidden text, without a content control's
//! placeholder, with the text of a table nested in the cell) and note here
//! what differs from what the file holds, so that the checker can warn about
//! it ([`crate::check`]'s integrity warnings): nothing is scored silently.
//!
//! Also the reading of XLSX number formats ([`shown`]): which section of a
//! format applies to a value, and whether that section shows only a literal
//! text.

use serde::{Deserialize, Serialize};

/// Which cell of an answer row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The answer (or an option's Oui/Non).
    Answer,
    /// The justification or comment.
    Comment,
    /// The supporting document.
    Document,
}

/// Something a reader sees differently from what the file holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Appearance {
    /// An XLSX cell's number format shows a text instead of the value the
    /// cell holds (`"Oui";"Oui";"Oui"` over a 0): the text shown is read.
    Formatted {
        /// The value the cell holds, as text.
        held: String,
        /// What its format shows (empty when it shows nothing).
        shown: String,
    },
    /// Text hidden from readers (Word's hidden text, directly or through a
    /// style): not read.
    Hidden {
        /// The cell that holds it.
        field: Field,
        /// Its beginning, for the warning.
        text: String,
    },
    /// Content imported from another file (`w:altChunk`: HTML, RTF, another
    /// Word document), which a Word processor shows but is not read.
    Imported {
        /// The cell that holds it.
        field: Field,
        /// The imported file's type as its extension names it (`HTML`,
        /// `RTF`, `DOCX`), empty when unknown.
        format: String,
    },
}

/// Most characters of hidden text kept for a warning (which quotes at most
/// [`crate::text::QUOTED_CHARS`] of them).
pub const EXCERPT: usize = 2 * crate::text::QUOTED_CHARS;

/// Adds `text` to an excerpt, keeping at most [`EXCERPT`] characters (an
/// ellipsis marking the cut).
pub fn add_excerpt(excerpt: &mut String, text: &str) {
    let have = excerpt.chars().count();
    if have > EXCERPT {
        return;
    }
    let room = EXCERPT - have;
    if text.chars().count() <= room {
        excerpt.push_str(text);
    } else {
        excerpt.extend(text.chars().take(room));
        excerpt.push('…');
    }
}

/// The literal text an XLSX number format `code` shows for a number
/// `value`, when the format's section for that value holds no digit, date
/// or text placeholder (`"Oui"`, `Oui`, an empty section); `None` when the
/// section shows the number itself.
pub fn shown(code: &str, value: f64) -> Option<String> {
    let sections = sections(code);
    let (i, sign) = section_for(&sections, value)?;
    let text = literal(sections.get(i)?)?;
    Some(if sign { format!("-{text}") } else { text })
}

/// The literal text format `code` shows for a text cell: its fourth section
/// when it holds no `@` (the text itself); `None` otherwise.
pub fn shown_for_text(code: &str) -> Option<String> {
    let sections = sections(code);
    let section = sections.get(3)?;
    if has_unquoted(section, '@') {
        return None;
    }
    literal(section)
}

/// The sections of a format, split on `;` outside quotes, escapes and
/// brackets.
fn sections(code: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, _) in bare(code).filter(|(_, c)| *c == ';') {
        out.push(&code[start..i]);
        start = i + 1;
    }
    out.push(&code[start..]);
    out
}

/// The characters of a format code outside quotes, escapes (`\x`, `_x`,
/// `*x`) and brackets, with their byte offsets: those that are codes.
fn bare(code: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let (mut quoted, mut escaped, mut bracket) = (false, false, false);
    code.char_indices().filter(move |&(_, c)| {
        match c {
            _ if escaped => escaped = false,
            '"' => quoted = !quoted,
            _ if quoted => {}
            '\\' | '_' | '*' => escaped = true,
            '[' => bracket = true,
            ']' => bracket = false,
            _ => return !bracket,
        }
        false
    })
}

/// A section's condition (`[>0]`, `[<=100]`), when it has one.
fn condition(section: &str) -> Option<(String, f64)> {
    let mut rest = section;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let close = after.find(']')?;
        let inside = after[..close].trim();
        let op_len = inside
            .find(|c: char| !matches!(c, '<' | '>' | '='))
            .unwrap_or(inside.len());
        if op_len > 0 {
            let bound = inside[op_len..].trim().replace(',', ".").parse().ok()?;
            return Some((inside[..op_len].to_string(), bound));
        }
        rest = &after[close + 1..];
    }
    None
}

fn holds(cond: &Option<(String, f64)>, v: f64) -> bool {
    match cond {
        Some((op, b)) => match op.as_str() {
            "<" => v < *b,
            ">" => v > *b,
            "=" => v == *b,
            "<=" | "=<" => v <= *b,
            ">=" | "=>" => v >= *b,
            "<>" => v != *b,
            _ => false,
        },
        None => false,
    }
}

/// Which section applies to `v`, and whether a minus sign is shown before
/// it (a single section over a negative number), as spreadsheet programs
/// choose: `positive;negative;zero;text`, or the sections' conditions.
fn section_for(sections: &[&str], v: f64) -> Option<(usize, bool)> {
    let numeric = &sections[..sections.len().min(3)];
    let c1 = numeric.first().and_then(|s| condition(s));
    let c2 = numeric.get(1).and_then(|s| condition(s));
    if c1.is_some() || c2.is_some() {
        let i = if holds(&c1, v) {
            0
        } else if holds(&c2, v) {
            1
        } else if c1.is_some() && c2.is_some() {
            2
        } else {
            1
        };
        // no section left for the value: the program shows ### or the number
        return (i < numeric.len()).then_some((i, false));
    }
    Some(match numeric.len() {
        1 => (0, v < 0.0),
        2 => (usize::from(v < 0.0), false),
        _ if v > 0.0 => (0, false),
        _ if v < 0.0 => (1, false),
        _ => (2, false),
    })
}

/// Whether `section` holds `wanted` outside quotes, escapes and brackets.
fn has_unquoted(section: &str, wanted: char) -> bool {
    bare(section).any(|(_, c)| c == wanted)
}

/// The text a section shows when it is literal: quoted text, escaped
/// characters, a currency's symbol, and letters that are no date or time
/// code; `None` when it holds a digit placeholder (`0 # ?`), a date or time
/// code, `General` or `@`.
fn literal(section: &str) -> Option<String> {
    if section.to_ascii_lowercase().contains("general") {
        return None;
    }
    let mut out = String::new();
    let mut chars = section.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.extend(chars.by_ref().take_while(|c| *c != '"')),
            '\\' => out.extend(chars.next()),
            '_' => {
                chars.next();
                out.push(' ');
            }
            '*' => {
                chars.next();
            }
            '[' => {
                let inside: String = chars.by_ref().take_while(|c| *c != ']').collect();
                // `[$€-40C]` shows €; colours, conditions and locales nothing;
                // elapsed time (`[h]`) is a number
                if let Some(currency) = inside.strip_prefix('$') {
                    out.push_str(currency.split('-').next().unwrap_or_default());
                } else if inside
                    .chars()
                    .all(|c| matches!(c.to_ascii_lowercase(), 'h' | 'm' | 's'))
                {
                    return None;
                }
            }
            '0' | '#' | '?' | '@' => return None,
            c if matches!(
                c.to_ascii_lowercase(),
                'y' | 'm' | 'd' | 'h' | 's' | 'e' | 'g' | 'b'
            ) =>
            {
                return None;
            }
            // `A/P`, `AM/PM`
            'a' | 'A' if chars.clone().next() == Some('/') => return None,
            c => out.push(c),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_sections_show_their_text() {
        assert_eq!(
            shown("\"Oui\";\"Oui\";\"Oui\"", 0.0).as_deref(),
            Some("Oui")
        );
        assert_eq!(shown("\"Oui\"", 0.0).as_deref(), Some("Oui"));
        assert_eq!(shown("Oui", 0.0).as_deref(), Some("Oui"));
        assert_eq!(shown("\\O\\u\\i", 1.0).as_deref(), Some("Oui"));
        assert_eq!(shown(";;;", 1.0).as_deref(), Some(""));
        assert_eq!(shown("\"Oui\";;\"Non\"", -1.0).as_deref(), Some(""));
        assert_eq!(shown("\"Oui\";;\"Non\"", 0.0).as_deref(), Some("Non"));
        assert_eq!(shown("\"Oui\"", -2.0).as_deref(), Some("-Oui"));
        assert_eq!(shown("[>0]\"Oui\";\"Non\"", 0.0).as_deref(), Some("Non"));
        assert_eq!(shown("[>0]\"Oui\";\"Non\"", 3.0).as_deref(), Some("Oui"));
        assert_eq!(shown("[$€-40C]", 3.0).as_deref(), Some("€"));
        assert_eq!(shown("[Red]\"Oui\"", 0.0).as_deref(), Some("Oui"));
    }

    #[test]
    fn sections_that_show_the_number_are_not_literal() {
        for code in [
            "General",
            "0",
            "0.00%",
            "#,##0 \"kWh\"",
            "0\" jours\";\"Oui\"",
            "dd/mm/yyyy",
            "[h]:mm",
            "AM/PM",
            "@",
        ] {
            assert_eq!(shown(code, 5.0), None, "{code}");
        }
        assert_eq!(shown("0;\"Oui\"", 5.0), None);
        assert_eq!(shown("0;\"Oui\"", -5.0).as_deref(), Some("Oui"));
    }

    #[test]
    fn a_text_section_without_at_replaces_the_text() {
        assert_eq!(shown_for_text(";;;\"Oui\"").as_deref(), Some("Oui"));
        assert_eq!(shown_for_text(";;;").as_deref(), Some(""));
        assert_eq!(shown_for_text(";;"), None);
        assert_eq!(shown_for_text(";;;@"), None);
        assert_eq!(shown_for_text("\"Oui\""), None);
    }

    #[test]
    fn excerpts_are_cut() {
        let mut e = String::new();
        add_excerpt(&mut e, &"a".repeat(EXCERPT + 20));
        add_excerpt(&mut e, "b");
        assert_eq!(e.chars().count(), EXCERPT + 1);
        assert!(e.ends_with('…'));
    }
}
