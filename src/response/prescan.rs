//! Bounds checked before any parser touches a returned file (CRATES.md §2.5).
//!
//! calamine reads ODS and XLS files here, has no size-limit API, and
//! crafted files can make it allocate terabytes, which aborts the process
//! where `catch_unwind` cannot help. Every check here reads the package with
//! its own bounded readers and refuses, before calamine opens it, whatever
//! would make calamine allocate more than a questionnaire needs (XLSX and
//! XLSM files are read by boussole's own reader, `xlsx`, which
//! checks the same kind of bounds as it reads, in one pass; zip entries,
//! their number, declared sizes and compression ratio, are checked for
//! every package by [`super::package::entries`], and zip 9 enforces the
//! declared sizes while inflating):
//!
//! - ODS ([`ods`]): `content.xml`'s repeated rows and columns on cells with
//!   content, and the text copied into each repetition (runs of spaces
//!   `<text:s text:c>` included);
//! - CFB ([`cfb`]): sector chains that loop.
//!
//! XLS workbooks (BIFF records inside a CFB container) are not pre-scanned
//! like the XML formats: only their container's chains are checked; the
//! rest is bounded by the file-size cap and `catch_unwind` alone. calamine
//! parses every sheet of an XLS file when opening it, and a crafted XLS can
//! still make it allocate without bound, which aborts the process: a
//! DIMENSIONS record it reserves rows × columns cells from (four bytes
//! changed in a real file asked for 343 GB), cells far apart in a dense
//! range, one shared string copied into many cells, many sheets pointing at
//! the same records. The command line therefore reads XLS files in a child
//! process limited in memory and time ([`super::sandbox`]).
//!
//! Every part is scanned with quick-xml configured as calamine configures it,
//! so both see the same elements and attributes; attributes are matched the
//! way calamine matches them, every occurrence checked.

use std::io::{BufRead, BufReader, Read, Seek};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use zip::ZipArchive;

mod cfb;
mod ods;

pub use cfb::cfb;
use ods::*;

use super::ReadError;
use super::bounds::*;

/// Refuses an ODS package whose `content.xml` repeats cells with content
/// beyond [`MAX_ROWS`] × [`MAX_COLUMNS`], repeats more than
/// [`MAX_ODS_CELLS`] such cells in all, or copies more than
/// [`MAX_TEXT_BYTES`] of text into the repetitions; or whose elements do not
/// nest properly: an end tag that closes another element than the last
/// opened, elements left open at the end (calamine would loop forever
/// waiting for them), nesting deeper than 256. Opened by [`super::package::open`].
pub fn ods<R: Read + Seek>(zip: &mut ZipArchive<R>) -> Result<(), ReadError> {
    let Some(i) = zip.index_for_name("content.xml") else {
        return Ok(()); // calamine then refuses the file cleanly
    };
    let mut scan = OdsScan::default();
    let mut open = OpenElements::default();
    each_event(zip, i, "content.xml", true, |e| {
        open.event("content.xml", e)?;
        scan.event(e)
    })?;
    open.finish("content.xml")
}

/// Streams the XML events of entry `i` to `f`, reading at most
/// [`MAX_ENTRY_SIZE`] bytes. Malformed XML is refused when `strict`;
/// otherwise (a part that may not be XML at all, such as an image) the scan
/// stops there, where calamine's identical parser would stop too.
fn each_event<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    i: usize,
    name: &str,
    strict: bool,
    mut f: impl FnMut(&Event<'_>) -> Result<(), ReadError>,
) -> Result<(), ReadError> {
    let entry = zip.by_index(i).map_err(|e| ReadError::damaged(name, e))?;
    if entry.is_dir() {
        return Ok(());
    }
    let mut xml = xml_reader(BufReader::new(entry.take(MAX_ENTRY_SIZE)));
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(Event::Eof) => return Ok(()),
            Ok(event) => f(&event)?,
            Err(e) if strict => {
                return Err(ReadError::Malformed(format!(
                    "part {name} is not well-formed XML ({e})"
                )));
            }
            Err(_) => return Ok(()),
        }
    }
}

/// A quick-xml reader configured as calamine configures its own.
fn xml_reader<R: BufRead>(source: R) -> Reader<R> {
    let mut xml = Reader::from_reader(source);
    let config = xml.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    xml
}

/// The values of attribute `key` of `e`, split as calamine splits them
/// (raw, not unescaped); every occurrence, since calamine may keep any.
fn attrs<'a>(e: &'a BytesStart<'_>, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    raw_attrs(e.attributes_raw())
        .into_iter()
        .filter(move |(k, _)| *k == key)
        .map(|(_, v)| v)
}

/// `key="value"` pairs of a raw attribute string, up to the first malformed one.
fn raw_attrs(raw: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = raw;
    while let Some((key, after)) = rest.split_once('=') {
        let after = after.trim_start();
        let Some(quote) = after.chars().next().filter(|c| matches!(c, '"' | '\'')) else {
            break;
        };
        let body = after.strip_prefix(quote).unwrap_or(after);
        let (value, next) = body.split_once(quote).unwrap_or((body, ""));
        out.push((key.trim(), value));
        rest = next;
    }
    out
}

/// A whole number attribute; refuses anything but ASCII digits.
fn number(part: &str, what: &str, value: &str) -> Result<u64, ReadError> {
    let v = value.trim();
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ReadError::Malformed(format!(
            "part {part} has a bad {what} ({v})"
        )));
    }
    v.parse()
        .map_err(|_| ReadError::TooLarge(format!("part {part} declares a {what} of {v}")))
}

/// Bytes of text an event carries (an entity counted as 4).
fn text_len(e: &Event<'_>) -> u64 {
    match e {
        Event::Text(t) => t.len() as u64,
        Event::CData(t) => t.len() as u64,
        Event::GeneralRef(_) => 4,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_split_as_calamine_splits_them() {
        let got = raw_attrs(r#" r="A1" t='s' r = "XFD1" bad"#);
        assert_eq!(got, vec![("r", "A1"), ("t", "s"), ("r", "XFD1")]);
        assert_eq!(
            raw_attrs(r#" a="unterminated"#),
            vec![("a", "unterminated")]
        );
    }
}
