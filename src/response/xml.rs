//! The XML parts of a package as events (a workbook's sheets, shared
//! strings and styles, a Word document's body and styles, relationships,
//! custom properties): streamed once, bounded, strict, by boussole's own
//! tokenizer ([`scan`]).

use std::borrow::Cow;
use std::io::{Read, Seek};

use zip::ZipArchive;

use super::ReadError;
use super::bounds::{MAX_PART, MAX_PART_IN_MEMORY};

mod scan;

pub(super) use scan::digits;

/// An event as the readers above see it: an element's local name (with the
/// element's tag when it starts), or text with entities resolved. An empty
/// element (`<e/>`) starts and ends; a text may come in several pieces.
#[derive(Clone, Copy)]
pub(super) enum Ev<'a> {
    Start(&'a str, &'a Tag<'a>),
    End(&'a str),
    Text(&'a str),
}

/// A start tag: its attributes, as written.
pub(super) struct Tag<'a> {
    /// What follows the element's name, up to `>` or `/>`.
    attributes: &'a str,
}

impl<'a> Tag<'a> {
    /// A tag with these attributes, for the readers' tests.
    #[cfg(test)]
    pub(super) fn new(attributes: &'a str) -> Tag<'a> {
        Tag { attributes }
    }

    /// The attributes: each one's local name (`w:val` → `val`) and value as
    /// written (entities unresolved). Reading stops at the first that is
    /// not `name="value"` or `name='value'`.
    pub(super) fn attributes(&self) -> impl Iterator<Item = (&'a str, &'a str)> {
        let mut rest = self.attributes;
        std::iter::from_fn(move || {
            let equals = rest.bytes().position(|b| b == b'=')?;
            let key = rest[..equals].trim_ascii();
            let after = rest[equals + 1..].trim_ascii_start();
            let quote = *after
                .as_bytes()
                .first()
                .filter(|q| matches!(q, b'"' | b'\''))?;
            let end = memchr::memchr(quote, &after.as_bytes()[1..])?;
            rest = &after[end + 2..];
            Some((scan::local(key), &after[1..end + 1]))
        })
    }
}

/// Streams the events of entry `i` (at most [`MAX_PART`] bytes) to `f`.
///
/// Refuses malformed XML, a DTD, nesting beyond
/// [`MAX_DEPTH`](super::bounds::MAX_DEPTH), unknown entities, and a part
/// that ends with elements still open. A part of at most
/// [`MAX_PART_IN_MEMORY`] bytes is inflated whole first (into a buffer each
/// thread keeps); a larger one is read by pieces, each token whole.
pub(super) fn walk<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    i: usize,
    part: &str,
    mut f: impl FnMut(Ev<'_>) -> Result<(), ReadError>,
) -> Result<(), ReadError> {
    let mut entry = zip.by_index(i).map_err(|e| ReadError::damaged(part, e))?;
    let mut bytes = PART.with(|b| b.take());
    let result = if entry.size() > MAX_PART_IN_MEMORY {
        bytes.clear();
        by_pieces((&mut entry).take(MAX_PART), &mut bytes, part, &mut f)
    } else {
        let declared = entry.size();
        match inflate_whole(&mut entry, declared, MAX_PART_IN_MEMORY, &mut bytes) {
            Err(e) => Err(ReadError::damaged(part, e)),
            Ok(len) if len as u64 > MAX_PART_IN_MEMORY => Err(scan::malformed(
                part,
                format_args!("inflates to more than the {declared} bytes it declares"),
            )),
            Ok(len) => scan::utf8(&bytes[..len], true)
                .map_err(|why| scan::malformed(part, why))
                .and_then(|xml| scan::Scan::default().feed(xml, true, part, &mut f))
                .map(|_| ()),
        }
    };
    if bytes.capacity() as u64 <= MAX_PART_IN_MEMORY + 1 {
        PART.with(|b| b.replace(bytes));
    }
    result
}

thread_local! {
    /// The part [`walk`] reads, kept for the next one: its bytes all
    /// written once (its length is its room), so that reading a part does
    /// not clear the room first, as `read_to_end` does for every part.
    static PART: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Inflates `entry` into `room`, from its start, up to `limit` + 1 bytes
/// (one more than the entry may hold, to tell one that is too large): the
/// bytes read. `room` grows as needed, to `declared` + 1 bytes first (the
/// last read finds the end); its bytes beyond those read are left as they
/// were. (`read_to_end` clears the room it reads into, every time.)
pub(super) fn inflate_whole(
    entry: &mut impl Read,
    declared: u64,
    limit: u64,
    room: &mut Vec<u8>,
) -> std::io::Result<usize> {
    let most = usize::try_from(limit.saturating_add(1)).unwrap_or(usize::MAX);
    let mut len = 0;
    while len < most {
        if len == room.len() {
            let first = usize::try_from(declared.saturating_add(1)).unwrap_or(usize::MAX);
            room.resize(first.max(len * 2).max(1024).min(most), 0);
        }
        let end = room.len().min(most);
        match entry.read(&mut room[len..end]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(len)
}

/// A part read by pieces into `held`: each piece at least as large as what
/// is held, so that a long token is scanned again only a few times.
fn by_pieces(
    mut source: impl Read,
    held: &mut Vec<u8>,
    part: &str,
    f: &mut impl FnMut(Ev<'_>) -> Result<(), ReadError>,
) -> Result<(), ReadError> {
    const PIECE: usize = 256 * 1024;
    let mut scan = scan::Scan::default();
    loop {
        let kept = held.len();
        held.resize(kept + PIECE.max(kept), 0);
        let read = loop {
            match source.read(&mut held[kept..]) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                other => break other,
            }
        };
        let read = read.map_err(|e| ReadError::damaged(part, e))?;
        held.truncate(kept + read);
        let last = read == 0;
        let xml = scan::utf8(held, last).map_err(|why| scan::malformed(part, why))?;
        let used = scan.feed(xml, last, part, f)?;
        if last {
            return Ok(());
        }
        held.drain(..used);
    }
}

/// The value of the attribute whose local name is `key` (`w:val` → `val`),
/// its entities resolved and its white space normalised as XML says; `None`
/// when absent or holding an unknown entity.
pub(super) fn attr<'a>(s: &Tag<'a>, key: &str) -> Option<Cow<'a, str>> {
    let (_, value) = s.attributes().find(|(k, _)| *k == key)?;
    normalized(value).ok()
}

/// An attribute's value: references resolved, each tab, line end or
/// carriage return a space (`\r\n` one space).
fn normalized(value: &str) -> Result<Cow<'_, str>, String> {
    if !value.contains(['&', '\t', '\n', '\r']) {
        return Ok(Cow::Borrowed(value));
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find(['&', '\t', '\n', '\r']) {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        rest = match rest.as_bytes()[at] {
            b'&' => {
                let (name, next) = after
                    .split_once(';')
                    .ok_or("an & that starts no reference")?;
                out.push(scan::reference(name)?);
                next
            }
            b'\r' => {
                out.push(' ');
                after.strip_prefix('\n').unwrap_or(after)
            }
            _ => {
                out.push(' ');
                after
            }
        };
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

/// Whether an on/off property (`<w:vanish/>`, `w:val="0"`) is on.
pub(super) fn on(s: &Tag<'_>) -> bool {
    !matches!(
        attr(s, "val")
            .map(|v| v.trim().to_ascii_lowercase())
            .as_deref(),
        Some("0" | "false" | "off")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_are_read_as_written_and_normalised_on_demand() {
        let tag = Tag {
            attributes: " r=\"B7\" x:t = 'inlineStr' w:val=\"a&amp;b\tc\r\nd&#10;\" bad",
        };
        let all: Vec<_> = tag.attributes().collect();
        assert_eq!(
            all,
            [
                ("r", "B7"),
                ("t", "inlineStr"),
                ("val", "a&amp;b\tc\r\nd&#10;")
            ]
        );
        assert_eq!(attr(&tag, "val").as_deref(), Some("a&b c d\n"));
        assert_eq!(attr(&tag, "missing"), None);
        let unknown = Tag {
            attributes: " val=\"&nbsp;\"",
        };
        assert_eq!(attr(&unknown, "val"), None);
        let off = Tag {
            attributes: " w:val=\"false\"",
        };
        assert!(!on(&off) && on(&Tag { attributes: "" }));
    }

    #[test]
    fn a_large_part_read_by_pieces_gives_the_events_of_the_whole() {
        let long = "é".repeat(400_000);
        let xml = format!(
            "<a>{}<b v='1'>{long}</b><c/></a>",
            "<x>&#233;</x>".repeat(50_000)
        );
        let mut whole = Vec::new();
        scan::Scan::default()
            .feed(&xml, true, "p", &mut |e| {
                whole.push(event(e));
                Ok(())
            })
            .unwrap();
        let mut pieces = Vec::new();
        let mut held = Vec::new();
        by_pieces(xml.as_bytes(), &mut held, "p", &mut |e| {
            pieces.push(event(e));
            Ok(())
        })
        .unwrap();
        assert_eq!(whole.len(), 150_007);
        assert_eq!(pieces, whole);
        assert!(held.len() < 2 * xml.len());
        let truncated = &xml.as_bytes()[..xml.len() - 3];
        let e = by_pieces(truncated, &mut Vec::new(), "p", &mut |_| Ok(())).unwrap_err();
        assert!(e.to_string().contains("ends inside a tag"), "{e}");
    }

    #[test]
    fn a_part_is_inflated_whole_into_the_room_of_the_one_before() {
        /// A reader giving at most `step` bytes a call, as an inflater may.
        struct Trickle<'b>(&'b [u8], usize);
        impl Read for Trickle<'_> {
            fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.len().min(self.1).min(out.len());
                out[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut room = Vec::new();
        let first = vec![b'a'; 50_000];
        // declared smaller than it is: the room grows
        let len = inflate_whole(&mut Trickle(&first, 7_000), 10, 1 << 20, &mut room).unwrap();
        assert_eq!(&room[..len], &first[..]);
        // a shorter part after it: the bytes read, the room's rest left alone
        let len = inflate_whole(&mut Trickle(b"<a/>", 3), 4, 1 << 20, &mut room).unwrap();
        assert_eq!(&room[..len], b"<a/>");
        assert!(room.len() > 50_000);
        // no more than one byte beyond what a part may hold is read
        let huge = vec![b'x'; MAX_PART_IN_MEMORY as usize + 10];
        let len = inflate_whole(
            &mut Trickle(&huge, 1 << 20),
            100,
            MAX_PART_IN_MEMORY,
            &mut room,
        );
        assert_eq!(len.unwrap() as u64, MAX_PART_IN_MEMORY + 1);
        // nor beyond a smaller limit, in a room larger than that
        let len = inflate_whole(&mut Trickle(&huge, 300), 1, 1_000, &mut room);
        assert_eq!(len.unwrap(), 1_001);
    }

    fn event(e: Ev<'_>) -> String {
        match e {
            Ev::Start(name, tag) => format!("<{name}{}>", tag.attributes),
            Ev::End(name) => format!("</{name}>"),
            Ev::Text(t) => t.to_string(),
        }
    }
}
