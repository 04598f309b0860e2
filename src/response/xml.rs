//! The XML parts of a package as events (a Word document's body and
//! styles, relationships, custom properties): streamed once, bounded, strict.

use std::io::{BufReader, Read, Seek};

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};
use zip::ZipArchive;

use super::ReadError;
use super::bounds::{MAX_DEPTH, MAX_PART, MAX_PART_IN_MEMORY};

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
/// entities, and a part that ends with elements still open. A part of at
/// most [`MAX_PART_IN_MEMORY`] bytes is inflated whole first (into a buffer
/// each thread keeps), so that the parser borrows its text; a larger one is
/// parsed as it is inflated.
pub(super) fn walk<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    i: usize,
    part: &str,
    mut f: impl FnMut(Ev<'_>) -> Result<(), ReadError>,
) -> Result<(), ReadError> {
    let bad = |why: String| ReadError::Malformed(format!("part {part}: {why}"));
    let mut entry = zip.by_index(i).map_err(|e| ReadError::damaged(part, e))?;
    let mut depth = 0usize;
    if entry.size() > MAX_PART_IN_MEMORY {
        let mut xml = Reader::from_reader(BufReader::new(entry.take(MAX_PART)));
        xml.config_mut().expand_empty_elements = true;
        let mut buf = Vec::new();
        loop {
            buf.clear();
            let event = xml
                .read_event_into(&mut buf)
                .map_err(|e| bad(format!("not well-formed XML ({e})")))?;
            if step(event, &mut depth, &bad, &mut f)? {
                return Ok(());
            }
        }
    }
    let mut bytes = PART.with(|b| b.take());
    bytes.clear();
    let read = (&mut entry)
        .take(MAX_PART_IN_MEMORY + 1)
        .read_to_end(&mut bytes);
    let result = match read {
        Err(e) => Err(ReadError::damaged(part, e)),
        Ok(_) if bytes.len() as u64 > MAX_PART_IN_MEMORY => Err(bad(format!(
            "inflates to more than the {} bytes it declares",
            entry.size()
        ))),
        Ok(_) => parse(&bytes, &bad, &mut f),
    };
    if bytes.capacity() as u64 <= MAX_PART_IN_MEMORY + 1 {
        PART.with(|b| b.replace(bytes));
    }
    result
}

thread_local! {
    /// The part [`walk`] parses from memory, kept for the next one.
    static PART: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The events of `xml`, held in memory, to `f`.
fn parse(
    xml: &[u8],
    bad: &impl Fn(String) -> ReadError,
    f: &mut impl FnMut(Ev<'_>) -> Result<(), ReadError>,
) -> Result<(), ReadError> {
    let mut xml = Reader::from_reader(xml);
    xml.config_mut().expand_empty_elements = true;
    let mut depth = 0usize;
    loop {
        let event = xml
            .read_event()
            .map_err(|e| bad(format!("not well-formed XML ({e})")))?;
        if step(event, &mut depth, bad, f)? {
            return Ok(());
        }
    }
}

/// One event of a part to `f`, `depth` the elements open: whether the part
/// has ended.
fn step(
    event: Event<'_>,
    depth: &mut usize,
    bad: &impl Fn(String) -> ReadError,
    f: &mut impl FnMut(Ev<'_>) -> Result<(), ReadError>,
) -> Result<bool, ReadError> {
    match event {
        Event::Start(s) => {
            *depth += 1;
            if *depth > MAX_DEPTH {
                return Err(bad(format!("elements nested more than {MAX_DEPTH} deep")));
            }
            f(Ev::Start(s.local_name().as_ref(), &s))?;
        }
        Event::End(s) => {
            *depth = depth.saturating_sub(1);
            f(Ev::End(s.local_name().as_ref()))?;
        }
        Event::Text(t) => f(Ev::Text(&t.xml10_content()))?,
        Event::CData(t) => f(Ev::Text(&t.xml10_content()))?,
        Event::GeneralRef(r) => {
            let c = entity(&r).map_err(bad)?;
            f(Ev::Text(c.encode_utf8(&mut [0; 4])))?
        }
        Event::DocType(_) => return Err(bad("declares a DTD (DOCTYPE)".into())),
        Event::Eof if *depth > 0 => {
            return Err(bad("ends before its elements close (truncated?)".into()));
        }
        Event::Eof => return Ok(true),
        _ => {}
    }
    Ok(false)
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
