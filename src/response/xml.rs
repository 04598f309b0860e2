//! The XML parts of a package as events (a Word document's body and
//! styles, relationships, custom properties): streamed once, bounded, strict.

use std::io::{BufReader, Read, Seek};

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};
use zip::ZipArchive;

use super::ReadError;
use super::bounds::{MAX_DEPTH, MAX_PART};

/// An event as the readers above see it: an element's local name (with the
/// element when it starts), or text with entities resolved.
#[derive(Clone, Copy)]
pub(super) enum Ev<'a> {
    Start(&'a str, &'a BytesStart<'a>),
    End(&'a str),
    Text(&'a str),
}

/// Streams the events of entry `i` (at most [`MAX_PART`] bytes) to `f`.
///
/// Refuses malformed XML, a DTD, nesting beyond [`MAX_DEPTH`], unknown
/// entities, and a part that ends with elements still open.
pub(super) fn walk<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    i: usize,
    part: &str,
    mut f: impl FnMut(Ev<'_>) -> Result<(), ReadError>,
) -> Result<(), ReadError> {
    let bad = |why: String| ReadError::Malformed(format!("part {part}: {why}"));
    let entry = zip.by_index(i).map_err(|e| ReadError::damaged(part, e))?;
    let mut xml = Reader::from_reader(BufReader::new(entry.take(MAX_PART)));
    xml.config_mut().expand_empty_elements = true;
    let mut buf = Vec::new();
    let mut depth = 0usize;
    loop {
        buf.clear();
        let event = xml
            .read_event_into(&mut buf)
            .map_err(|e| bad(format!("not well-formed XML ({e})")))?;
        match event {
            Event::Start(s) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(bad(format!("elements nested more than {MAX_DEPTH} deep")));
                }
                f(Ev::Start(s.local_name().as_ref(), &s))?;
            }
            Event::End(s) => {
                depth = depth.saturating_sub(1);
                f(Ev::End(s.local_name().as_ref()))?;
            }
            Event::Text(t) => f(Ev::Text(&t.xml10_content()))?,
            Event::CData(t) => f(Ev::Text(&t.xml10_content()))?,
            Event::GeneralRef(r) => {
                let c = entity(&r).map_err(bad)?;
                f(Ev::Text(c.encode_utf8(&mut [0; 4])))?
            }
            Event::DocType(_) => return Err(bad("declares a DTD (DOCTYPE)".into())),
            Event::Eof if depth > 0 => {
                return Err(bad("ends before its elements close (truncated?)".into()));
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

/// The character an entity reference stands for: a character reference or
/// one of the five XML entities; anything else is refused.
fn entity(r: &BytesRef<'_>) -> Result<char, String> {
    let unknown = || format!("unrecognized entity &{};", &**r);
    if let Some(c) = r.resolve_char_ref().map_err(|_| unknown())? {
        return Ok(c);
    }
    match &**r {
        "amp" => Ok('&'),
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "quot" => Ok('"'),
        "apos" => Ok('\''),
        _ => Err(unknown()),
    }
}

/// The value of the attribute whose local name is `key` (`w:val` → `val`).
pub(super) fn attr(s: &BytesStart<'_>, key: &str) -> Option<String> {
    s.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == key)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok())
        .map(|v| v.into_owned())
}

/// Whether an on/off property (`<w:vanish/>`, `w:val="0"`) is on.
pub(super) fn on(s: &BytesStart<'_>) -> bool {
    !matches!(
        attr(s, "val")
            .map(|v| v.trim().to_ascii_lowercase())
            .as_deref(),
        Some("0" | "false" | "off")
    )
}
