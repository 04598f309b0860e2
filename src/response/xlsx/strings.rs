//! The shared strings: every text cell of an Excel workbook points to one.

use std::borrow::Cow;

use crate::response::ReadError;
use crate::response::bounds::{MAX_ENTRY_SIZE, MAX_STRINGS, thousands};
use crate::response::package::Package;
use crate::response::xml::{Ev, attr, walk};

/// The smallest shared string, `<si/>`, in bytes.
const MIN_SHARED_STRING: u64 = 5;

/// The strings of part `part` (entry `i`), in order; refuses a
/// `uniqueCount` above [`MAX_STRINGS`] or more than the part can hold, and
/// more than [`MAX_STRINGS`] strings. (`count` counts references to the
/// strings, not strings: nothing is allocated from it.)
pub(super) fn read(zip: &mut Package<'_>, i: usize, part: &str) -> Result<Vec<String>, ReadError> {
    let mut strings = Vec::new();
    let mut item = Item::default();
    walk(zip, i, part, |e| {
        match e {
            Ev::Start("sst", s) => {
                if let Some(n) = attr(s, "uniqueCount") {
                    let n = declared(part, &n)?;
                    strings.reserve(n.min(64 * 1024) as usize);
                }
            }
            Ev::Start("si", _) => {
                if strings.len() as u64 >= MAX_STRINGS {
                    return Err(ReadError::TooLarge(format!(
                        "part {part} holds more than {} shared strings",
                        thousands(MAX_STRINGS)
                    )));
                }
                item = Item::default();
            }
            Ev::End("si") => strings.push(std::mem::take(&mut item).finish()),
            e => item.event(e),
        }
        Ok(())
    })?;
    Ok(strings)
}

/// A `uniqueCount`, refused when above [`MAX_STRINGS`] or more than a part
/// can hold.
fn declared(part: &str, value: &str) -> Result<u64, ReadError> {
    let v = value.trim();
    let n: u64 = match v.parse() {
        Ok(n) if v.bytes().all(|b| b.is_ascii_digit()) => n,
        _ if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) => u64::MAX,
        _ => {
            return Err(ReadError::Malformed(format!(
                "part {part} has a bad uniqueCount ({v})"
            )));
        }
    };
    if n > MAX_STRINGS {
        return Err(ReadError::TooLarge(format!(
            "part {part} declares {} shared strings; the limit is {}",
            if n == u64::MAX {
                v.to_string()
            } else {
                thousands(n)
            },
            thousands(MAX_STRINGS)
        )));
    }
    if n > MAX_ENTRY_SIZE / MIN_SHARED_STRING {
        return Err(ReadError::Malformed(format!(
            "part {part} declares {} shared strings, more than it can hold",
            thousands(n)
        )));
    }
    Ok(n)
}

/// A string being read (`<si>`, or `<is>` of an inline-string cell): its
/// `<t>` texts, rich-text runs joined, phonetic guides (`<rPh>`) left out.
#[derive(Default)]
pub(super) struct Item {
    /// The text so far; `None` until a `<t>` or a run is met.
    pub text: Option<String>,
    phonetic: bool,
    /// Where the `<t>` being read starts in `text`, and whether it keeps
    /// its spaces.
    t: Option<(usize, bool)>,
}

/// The spaces Excel trims from a `<t>` that does not preserve them: ASCII
/// ones (a no-break space stays).
const TRIMMED: [char; 4] = [' ', '\t', '\r', '\n'];

impl Item {
    /// One event inside the string's element.
    pub(super) fn event(&mut self, e: Ev<'_>) {
        match e {
            Ev::Start("r", _) => {
                self.text.get_or_insert_with(String::new);
            }
            Ev::Start("rPh", _) => self.phonetic = true,
            Ev::End("rPh") => self.phonetic = false,
            Ev::Start("t", s) if !self.phonetic => {
                let keep = attr(s, "space").is_some_and(|v| v == "preserve");
                let text = self.text.get_or_insert_with(String::new);
                self.t = Some((text.len(), keep));
            }
            Ev::Text(piece) => {
                if let (Some(_), Some(text)) = (self.t, &mut self.text) {
                    text.push_str(piece);
                }
            }
            Ev::End("t") => {
                if let (Some((start, keep)), Some(text)) = (self.t.take(), &mut self.text) {
                    if !keep {
                        let end = start + text[start..].trim_end_matches(TRIMMED).len();
                        text.truncate(end);
                        let lead = end - start - text[start..].trim_start_matches(TRIMMED).len();
                        text.drain(start..start + lead);
                    }
                    if let Cow::Owned(undone) = unescape(&text[start..]) {
                        text.truncate(start);
                        text.push_str(&undone);
                    }
                }
            }
            _ => {}
        }
    }

    /// The string read (empty for an element with no text at all).
    pub(super) fn finish(self) -> String {
        self.text.unwrap_or_default()
    }
}

/// Excel's escapes undone: a character written `_xHHHH_` (its UTF-16 code
/// unit; a surrogate pair as two escapes), `_x005F_` for a literal `_`.
/// An unpaired surrogate becomes U+FFFD.
pub(super) fn unescape(text: &str) -> Cow<'_, str> {
    let Some(first) = next_escape(text, 0) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut at = Some(first);
    while let Some((index, unit)) = at {
        out.push_str(&text[copied..index]);
        let mut end = index + ESCAPE;
        let c = match unit {
            0xD800..=0xDBFF => match escape_at(text, end) {
                Some(low @ 0xDC00..=0xDFFF) => {
                    end += ESCAPE;
                    let code =
                        0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                    char::from_u32(code)
                }
                _ => None,
            },
            0xDC00..=0xDFFF => None,
            unit => char::from_u32(u32::from(unit)),
        };
        out.push(c.unwrap_or(char::REPLACEMENT_CHARACTER));
        copied = end;
        at = next_escape(text, end);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// Length of `_xHHHH_`.
const ESCAPE: usize = 7;

/// The first escape at or after byte `from`: where, and its code unit.
fn next_escape(text: &str, mut from: usize) -> Option<(usize, u16)> {
    while let Some(offset) = memchr::memchr(b'_', text.as_bytes().get(from..)?) {
        let index = from + offset;
        if let Some(unit) = escape_at(text, index) {
            return Some((index, unit));
        }
        from = index + 1;
    }
    None
}

/// The code unit of the escape at byte `index`, if there is one.
fn escape_at(text: &str, index: usize) -> Option<u16> {
    let b = text.as_bytes().get(index..index + ESCAPE)?;
    if b[0] != b'_' || b[1] != b'x' || b[6] != b'_' || !b[2..6].iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    u16::from_str_radix(std::str::from_utf8(&b[2..6]).ok()?, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::xml::Tag;

    #[test]
    fn excel_escapes_are_undone() {
        assert_eq!(unescape("a_x000D_b"), "a\rb");
        assert_eq!(unescape("_x005F_x000D_"), "_x000D_");
        assert_eq!(unescape("_xD83E__xDDED_"), "🧭");
        assert_eq!(unescape("_xD83E_ seul"), "\u{FFFD} seul");
        assert_eq!(unescape("_x00é_ reste"), "_x00é_ reste");
        assert!(matches!(unescape("rien"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_string_joins_its_runs_trimmed_as_excel_trims_them() {
        let (plain, kept) = (Tag::new(""), Tag::new(" xml:space=\"preserve\""));
        let mut item = Item::default();
        for e in [
            Ev::Start("t", &plain),
            Ev::Text(" \u{a0}a_x000D_"),
            Ev::Text("b \n"),
            Ev::End("t"),
            Ev::Start("r", &plain),
            Ev::Start("t", &kept),
            Ev::Text(" c "),
            Ev::End("t"),
            Ev::Start("rPh", &plain),
            Ev::Start("t", &plain),
            Ev::Text("ふりがな"),
            Ev::End("t"),
            Ev::End("rPh"),
            Ev::Start("t", &plain),
            Ev::Text("   "),
            Ev::End("t"),
        ] {
            item.event(e);
        }
        assert_eq!(item.finish(), "\u{a0}a\rb c ");
        assert_eq!(Item::default().finish(), "");
    }

    #[test]
    fn counts_are_bounded() {
        assert_eq!(declared("s", "12").unwrap(), 12);
        assert!(matches!(
            declared("s", "99999999999999999999999"),
            Err(ReadError::TooLarge(_))
        ));
        assert!(matches!(declared("s", "-1"), Err(ReadError::Malformed(_))));
    }
}
