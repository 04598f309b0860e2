//! XML cut into tokens, from bytes in memory: what the parts boussole reads
//! itself need of XML 1.0, strictly, and nothing more.
//!
//! The part's bytes are checked to be UTF-8 once, as a whole ([`utf8`]);
//! then one pass over them looks for the next `<` with `memchr` and reads
//! each tag to its `>` byte by byte (tags are short): a start tag hands
//! over its name and its attributes unparsed (a reader asks for the few it
//! needs), a text comes whole, its entities and character references
//! resolved and its line ends normalised, where a general parser hands
//! over a piece of text for every reference (and openpyxl writes every
//! accented letter as one). Comments and processing instructions are
//! skipped, CDATA sections are text.
//!
//! Refused, naming the problem: bytes that are not UTF-8, a DTD, an end
//! tag that closes another element than the last opened (or none), nesting
//! beyond [`MAX_DEPTH`], a reference to an entity other than the five of
//! XML, a character reference to no character (or to U+0000), and markup
//! or elements left open at the end.

use std::borrow::Cow;

use memchr::{memchr, memchr2, memmem};

use super::{Ev, Tag};
use crate::response::ReadError;
use crate::response::bounds::MAX_DEPTH;

/// The elements open while a part is cut into tokens, which may come in
/// several pieces ([`Scan::feed`]).
#[derive(Default)]
pub(super) struct Scan {
    /// The qualified names of the open elements, one after the other.
    names: String,
    /// Where each open element's name ends in `names`.
    ends: Vec<usize>,
    /// Whether the part's first bytes were seen (and a byte-order mark
    /// skipped).
    started: bool,
    /// The last text with references or line ends to undo, as undone (one
    /// buffer for all, not a string for each).
    undone: String,
}

/// What went wrong, before the part's name is put to it.
type Why = String;

/// The error for part `part`, which cannot be read as the XML it should
/// be: `why` (ill-formed, or not the size it declares).
pub(super) fn malformed(part: &str, why: impl std::fmt::Display) -> ReadError {
    ReadError::Malformed(format!("part {part}: {why}"))
}

impl Scan {
    /// Hands the tokens of `xml` to `f`, as far as they are complete; the
    /// bytes used, the rest to be given again with what follows. With
    /// `last`, `xml` ends the part: everything is used, and a token or an
    /// element left open is refused.
    pub(super) fn feed(
        &mut self,
        xml: &str,
        last: bool,
        part: &str,
        f: &mut impl FnMut(Ev<'_>) -> Result<(), ReadError>,
    ) -> Result<usize, ReadError> {
        let bad = |why: Why| malformed(part, why);
        let mut at = 0;
        if !self.started {
            if xml.len() < 3 && !last {
                return Ok(0);
            }
            self.started = true;
            if xml.starts_with('\u{FEFF}') {
                at = 3;
            }
        }
        while at < xml.len() {
            let rest = &xml[at..];
            if !rest.starts_with('<') {
                let len = match memchr(b'<', rest.as_bytes()) {
                    Some(len) => len,
                    None if last => rest.len(),
                    None => break,
                };
                f(Ev::Text(text(&rest[..len], &mut self.undone).map_err(bad)?))?;
                at += len;
                continue;
            }
            match self.markup(rest, f).map_err(|e| e.into_error(&bad))? {
                Some(used) => at += used,
                None if last => return Err(bad(ill("ends inside a tag or a comment"))),
                None => break,
            }
        }
        if last && !self.ends.is_empty() {
            return Err(bad("ends before its elements close (truncated?)".into()));
        }
        Ok(at)
    }

    /// The markup at the start of `rest` (which starts with `<`): its
    /// length, or `None` when it does not end within `rest`.
    fn markup(
        &mut self,
        rest: &str,
        f: &mut impl FnMut(Ev<'_>) -> Result<(), ReadError>,
    ) -> Result<Option<usize>, Fault> {
        match rest.as_bytes().get(1) {
            None => Ok(None),
            Some(b'/') => {
                let Some(close) = memchr(b'>', rest.as_bytes()) else {
                    return Ok(None);
                };
                let name = rest[2..close].trim_ascii_end();
                self.close(name)?;
                f(Ev::End(local(name))).map_err(Fault::Reader)?;
                Ok(Some(close + 1))
            }
            Some(b'?') => Ok(memmem::find(rest.as_bytes(), b"?>").map(|end| end + 2)),
            Some(b'!') => self.bang(rest, f),
            Some(_) => {
                let Some(close) = tag_end(rest) else {
                    return Ok(None);
                };
                let inner = &rest[1..close];
                let (inner, empty) = match inner.strip_suffix('/') {
                    Some(inner) => (inner, true),
                    None => (inner, false),
                };
                let split = inner
                    .bytes()
                    .position(|b| b.is_ascii_whitespace())
                    .unwrap_or(inner.len());
                let (name, attributes) = inner.split_at(split);
                if name.is_empty() {
                    return Err(ill("a tag without a name").into());
                }
                self.open(name)?;
                let tag = Tag { attributes };
                f(Ev::Start(local(name), &tag)).map_err(Fault::Reader)?;
                if empty {
                    self.close(name)?;
                    f(Ev::End(local(name))).map_err(Fault::Reader)?;
                }
                Ok(Some(close + 1))
            }
        }
    }

    /// A comment, a CDATA section (its text to `f`), or a DTD (refused).
    fn bang(
        &mut self,
        rest: &str,
        f: &mut impl FnMut(Ev<'_>) -> Result<(), ReadError>,
    ) -> Result<Option<usize>, Fault> {
        const CDATA: &str = "<![CDATA[";
        let bytes = rest.as_bytes();
        if rest.starts_with("<!--") {
            return Ok(memmem::find(&bytes[4..], b"-->").map(|end| 4 + end + 3));
        }
        if rest.starts_with(CDATA) {
            let Some(end) = memmem::find(&bytes[CDATA.len()..], b"]]>") else {
                return Ok(None);
            };
            let content = &rest[CDATA.len()..CDATA.len() + end];
            f(Ev::Text(&line_ends(content))).map_err(Fault::Reader)?;
            return Ok(Some(CDATA.len() + end + 3));
        }
        if rest.len() < CDATA.len() && (CDATA.starts_with(rest) || "<!--".starts_with(rest)) {
            return Ok(None);
        }
        if bytes.len() >= 9 && bytes[2..9].eq_ignore_ascii_case(b"DOCTYPE") {
            return Err(Fault::Why("declares a DTD (DOCTYPE)".into()));
        }
        if rest.len() < 9 {
            return Ok(None);
        }
        Err(ill("markup that is neither a comment nor a CDATA section").into())
    }

    /// An element opens.
    fn open(&mut self, name: &str) -> Result<(), Fault> {
        if self.ends.len() >= MAX_DEPTH {
            return Err(Fault::Why(format!(
                "elements nested more than {MAX_DEPTH} deep"
            )));
        }
        self.names.push_str(name);
        self.ends.push(self.names.len());
        Ok(())
    }

    /// An element closes: the last one opened.
    fn close(&mut self, name: &str) -> Result<(), Fault> {
        let Some(end) = self.ends.pop() else {
            return Err(ill(&format!("</{name}> closes no element")).into());
        };
        let start = self.ends.last().copied().unwrap_or(0);
        let open = &self.names[start..end];
        if open != name {
            return Err(ill(&format!("</{name}> closes <{open}>")).into());
        }
        self.names.truncate(start);
        Ok(())
    }
}

/// Why a piece of markup stopped the part: the XML itself, or the reader
/// it was handed to.
enum Fault {
    Why(Why),
    Reader(ReadError),
}

impl From<Why> for Fault {
    fn from(why: Why) -> Fault {
        Fault::Why(why)
    }
}

impl Fault {
    fn into_error(self, bad: &impl Fn(Why) -> ReadError) -> ReadError {
        match self {
            Fault::Why(why) => bad(why),
            Fault::Reader(e) => e,
        }
    }
}

/// Ill-formed XML, said as such.
fn ill(what: &str) -> Why {
    format!("not well-formed XML ({what})")
}

/// The local part of a qualified name (`w:t` → `t`).
pub(super) fn local(name: &str) -> &str {
    // names are short: a plain loop, not memrchr
    match name.bytes().rposition(|b| b == b':') {
        Some(colon) => &name[colon + 1..],
        None => name,
    }
}

/// The longest start of `bytes` that is UTF-8, checked in one pass:
/// all of it with `last`, else up to a character cut at the end (the rest
/// of it comes with the next piece).
pub(super) fn utf8(bytes: &[u8], last: bool) -> Result<&str, Why> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) if e.error_len().is_none() && !last => {
            Ok(std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default())
        }
        Err(e) => Err(ill(&format!(
            "bytes that are not UTF-8, from byte {}",
            e.valid_up_to()
        ))),
    }
}

/// Where the tag at the start of `rest` ends (its `>`, outside quoted
/// attribute values), if it does within `rest`.
fn tag_end(rest: &str) -> Option<usize> {
    // byte by byte: a tag is short, and each of its attributes would take
    // two searches (its opening quote, its closing one)
    let mut quote = 0; // the quote of the value being read, 0 outside values
    for (at, &b) in rest.as_bytes().iter().enumerate().skip(1) {
        if quote != 0 {
            if b == quote {
                quote = 0;
            }
        } else if b == b'>' {
            return Some(at);
        } else if b == b'"' || b == b'\'' {
            quote = b;
        }
    }
    None
}

/// A text's characters: entities and character references resolved, line
/// ends normalised (`\r\n` and `\r` are `\n`; a `&#13;` stays); `text`
/// itself when it has none, else written in `out`.
fn text<'t>(text: &'t str, out: &'t mut String) -> Result<&'t str, Why> {
    let Some(first) = memchr2(b'&', b'\r', text.as_bytes()) else {
        return Ok(text);
    };
    out.clear();
    out.reserve(text.len());
    out.push_str(&text[..first]);
    let mut rest = &text[first..];
    loop {
        // `rest` starts with `&` or `\r`
        if rest.as_bytes()[0] == b'\r' {
            out.push('\n');
            rest = &rest[1..];
            rest = rest.strip_prefix('\n').unwrap_or(rest);
        } else {
            let after = &rest[1..];
            let (c, used) = match decimal(after.as_bytes()) {
                Some(read) => read,
                None => {
                    let Some(end) =
                        memchr(b';', after.as_bytes()).filter(|&end| end <= LONGEST_REFERENCE)
                    else {
                        return Err(ill("an & that starts no reference"));
                    };
                    (reference(&after[..end])?, end + 1)
                }
            };
            out.push(c);
            rest = &after[used..];
        }
        let Some(at) = memchr2(b'&', b'\r', rest.as_bytes()) else {
            break;
        };
        out.push_str(&rest[..at]);
        rest = &rest[at..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The character of a short decimal reference at the start of `after`
/// (what follows `&`: `#233;`), and the bytes it takes, `;` included;
/// `None` for anything else, which [`reference`] reads. The reference
/// openpyxl writes for every letter beyond ASCII, read without looking
/// for its end first.
fn decimal(after: &[u8]) -> Option<(char, usize)> {
    if after.first() != Some(&b'#') {
        return None;
    }
    // seven digits at most: no overflow, and nothing longer than the slow way takes
    let mut n = 0u32;
    for i in 1..=8 {
        let b = *after.get(i)?;
        match b.wrapping_sub(b'0') {
            digit @ 0..=9 if i < 8 => n = n * 10 + u32::from(digit),
            _ if b == b';' && i > 1 && n != 0 => return char::from_u32(n).map(|c| (c, i + 1)),
            _ => return None,
        }
    }
    None
}

/// The longest reference read between `&` and `;` (`#x0010FFFF` and
/// some leading zeros).
const LONGEST_REFERENCE: usize = 32;

/// A CDATA section's text, its line ends normalised.
fn line_ends(text: &str) -> Cow<'_, str> {
    if !text.contains('\r') {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// The character a reference stands for (`amp`, `#233`, `#xE9`): one of
/// the five entities of XML or a character reference; anything else is
/// refused.
pub(super) fn reference(name: &str) -> Result<char, Why> {
    let unknown = || format!("unrecognized entity &{name};");
    let number = match name.strip_prefix('#') {
        Some(hex) if hex.starts_with(['x', 'X']) => digits(&hex[1..], 16),
        Some(decimal) => digits(decimal, 10),
        None => {
            return match name {
                "amp" => Ok('&'),
                "lt" => Ok('<'),
                "gt" => Ok('>'),
                "quot" => Ok('"'),
                "apos" => Ok('\''),
                _ => Err(unknown()),
            };
        }
    };
    number
        .filter(|&n| n != 0)
        .and_then(char::from_u32)
        .ok_or_else(unknown)
}

/// A number written in `digits` only (no sign, no space), at most
/// `u32::MAX`. Read byte by byte: openpyxl writes every accented letter
/// as a reference, thousands a file (and every cell's reference has a row).
pub(in crate::response) fn digits(text: &str, radix: u32) -> Option<u32> {
    if text.is_empty() {
        return None;
    }
    text.bytes().try_fold(0u32, |n, b| {
        let digit = char::from(b).to_digit(radix)?;
        n.checked_mul(radix)?.checked_add(digit)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tokens of `xml`, fed whole or `piece` bytes at a time, as text.
    fn tokens(xml: &str, piece: usize) -> Result<Vec<String>, String> {
        let mut scan = Scan::default();
        let mut seen = Vec::new();
        let mut f = |e: Ev<'_>| {
            seen.push(match e {
                Ev::Start(name, tag) => format!("<{name}{}>", tag.attributes),
                Ev::End(name) => format!("</{name}>"),
                Ev::Text(t) => t.to_string(),
            });
            Ok(())
        };
        let bytes = xml.as_bytes();
        let mut held = Vec::new();
        for chunk in bytes.chunks(piece.max(1)) {
            held.extend_from_slice(chunk);
            let used = scan
                .feed(utf8(&held, false)?, false, "p", &mut f)
                .map_err(|e| e.to_string())?;
            held.drain(..used);
        }
        scan.feed(utf8(&held, true)?, true, "p", &mut f)
            .map_err(|e| e.to_string())?;
        // pieces of one text come together as the readers join them
        let mut joined: Vec<String> = Vec::new();
        for s in seen {
            match joined.last_mut() {
                Some(last) if !last.starts_with('<') && !s.starts_with('<') => last.push_str(&s),
                _ => joined.push(s),
            }
        }
        Ok(joined)
    }

    #[test]
    fn a_part_reads_the_same_whole_or_in_pieces() {
        let xml = "\u{FEFF}<?xml version=\"1.0\"?><!-- a > b --><x:sst a=\"1>2\" b='it''s'>\
                   <si><t xml:space=\"preserve\">Num&#233;rique &amp; Territoires\r\n&#x2019;</t></si>\
                   <si><t><![CDATA[<b>\r]]></t><e/></si></x:sst>";
        let whole = tokens(xml, usize::MAX).unwrap();
        assert_eq!(
            whole,
            [
                "<sst a=\"1>2\" b='it''s'>",
                "<si>",
                "<t xml:space=\"preserve\">",
                "Numérique & Territoires\n\u{2019}",
                "</t>",
                "</si>",
                "<si>",
                "<t>",
                "<b>\n",
                "</t>",
                "<e>",
                "</e>",
                "</si>",
                "</sst>"
            ]
        );
        for piece in [1, 2, 3, 7, 64] {
            assert_eq!(tokens(xml, piece).unwrap(), whole, "pieces of {piece}");
        }
    }

    #[test]
    fn ill_formed_parts_are_refused_with_their_reason() {
        let refused = |xml: &str, why: &str| {
            for piece in [1, 5, usize::MAX] {
                let e = tokens(xml, piece).unwrap_err();
                assert!(e.contains(why), "{xml} in pieces of {piece}: {e}");
            }
        };
        refused("<a><b></a>", "</a> closes <b>");
        refused("<a></a></a>", "</a> closes no element");
        refused("<a><b>", "ends before its elements close");
        refused("<a><b", "ends inside a tag");
        refused("<a><!-- open", "ends inside a tag");
        refused("<!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>", "DOCTYPE");
        refused("<a>&e;</a>", "unrecognized entity &e;");
        refused("<a>&#0;</a>", "unrecognized entity &#0;");
        refused("<a>&#xD800;</a>", "unrecognized entity");
        refused("<a>&#-1;</a>", "unrecognized entity");
        refused("<a>a & b</a>", "an & that starts no reference");
        refused("<a><!ELEMENT a></a>", "neither a comment");
        refused("< a/>", "a tag without a name");
        let deep = "<a>".repeat(MAX_DEPTH + 1);
        refused(&deep, "nested more than 256 deep");
        let e = utf8(b"<a>\xE9</a>", true).unwrap_err();
        assert!(e.contains("not UTF-8, from byte 3"), "{e}");
        assert_eq!(utf8(b"<a>\xC3", false), Ok("<a>"));
        assert!(utf8(b"<a>\xC3", true).is_err());
        assert!(utf8(b"<a>\xC3<", false).is_err());
    }

    #[test]
    fn short_decimal_references_read_at_once_as_the_slow_way_reads_them() {
        for name in [
            "#233",
            "#0000233",
            "#00000233",
            "#1114111",
            "#1114112",
            "#55296",
            "#0",
            "#",
            "#12a",
            "#x41",
            "#9999999",
            "#99999999",
            "amp",
        ] {
            let fast = decimal(format!("{name};").as_bytes());
            match reference(name) {
                Ok(c) => assert!(
                    fast.is_none() || fast == Some((c, name.len() + 1)),
                    "{name}"
                ),
                Err(_) => assert_eq!(fast, None, "{name}"),
            }
        }
        assert_eq!(decimal(b"#233;ce"), Some(('é', 5)));
        assert_eq!(decimal(b"#233"), None, "no end");
        let mut out = String::new();
        assert_eq!(
            text(
                "Pi&#232;ce &#171;&#8239;x&#8239;&#187; &amp; &#xE9;",
                &mut out
            ),
            Ok("Pièce «\u{202F}x\u{202F}» & é")
        );
    }

    #[test]
    fn a_texts_references_and_line_ends_are_undone_near_or_far() {
        let mut out = String::new();
        let far = "x".repeat(40);
        for (written, read) in [
            ("plain", "plain".to_string()),
            ("\r\n&#10;\ra\r", "\n\n\na\n".to_string()),
            (
                &format!("{far}&lt;{far}\r\n{far}"),
                format!("{far}<{far}\n{far}"),
            ),
            (&format!("&amp;{far}&#x2019;"), format!("&{far}\u{2019}")),
        ] {
            assert_eq!(
                text(written, &mut out).as_deref(),
                Ok(read.as_str()),
                "{written}"
            );
        }
        assert!(text(&format!("{far}&{far}"), &mut out).is_err());
    }

    #[test]
    fn references_are_the_five_entities_and_characters() {
        assert_eq!(reference("#233"), Ok('é'));
        assert_eq!(reference("#xe9"), Ok('é'));
        assert_eq!(reference("#X1F9ED"), Ok('🧭'));
        assert_eq!(reference("apos"), Ok('\''));
        assert!(reference("#x110000").is_err());
        assert!(reference("#+9").is_err());
        assert!(reference("#").is_err());
        assert!(reference("#x").is_err());
        assert_eq!(reference("#0000233"), Ok('é'), "leading zeros");
        assert!(reference("#99999999999").is_err(), "beyond u32");
        assert!(reference("#x1000000000").is_err(), "beyond u32");
        assert!(reference("#2é").is_err());
        assert!(reference("nbsp").is_err());
    }
}
