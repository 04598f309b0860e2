//! Bounds checked before any parser touches a returned file (CRATES.md §2.5).
//!
//! calamine has no size-limit API, and crafted XLSX or ODS files can make it
//! allocate terabytes, which aborts the process where `catch_unwind` cannot
//! help. Every check here reads the package with its own bounded readers and
//! refuses, before calamine opens it, whatever would make calamine allocate
//! more than a questionnaire needs:
//!
//! - zip entries: their number, declared sizes and compression ratio
//!   ([`entries`]); zip 9 then enforces the declared sizes while inflating;
//! - XLSX ([`xlsx`]): `uniqueCount` of the shared strings, every cell
//!   position (`<c r>`, or implied by the order of cells and rows), every
//!   range (`<dimension ref>`, `<mergeCell ref>`, `<f ref>`), shared-formula
//!   indexes, the number of styles and sheets, and the text calamine copies
//!   into each cell (a shared string or a shared formula is copied once per
//!   cell that uses it; a number format once per cell style);
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
//! the same records. Only parsing in a child process with a memory limit
//! closes that gap.
//!
//! Every part is scanned with quick-xml configured as calamine configures it,
//! so both see the same elements and attributes; attributes are matched the
//! way calamine matches them, every occurrence checked.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Seek};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use zip::{CompressionMethod, ZipArchive};

use super::ReadError;
use super::read::{column_name, damaged, thousands};

/// Most entries in a package.
pub const MAX_ENTRIES: usize = 2_000;
/// Largest declared uncompressed size of one entry: 50 MiB.
pub const MAX_ENTRY_SIZE: u64 = 50 * 1024 * 1024;
/// Largest declared uncompressed size of all entries: 200 MiB.
pub const MAX_TOTAL_SIZE: u64 = 200 * 1024 * 1024;
/// Highest compression ratio of an entry larger than [`RATIO_FLOOR`].
pub const MAX_RATIO: u64 = 100;
/// Entries up to this size are not checked for their compression ratio.
const RATIO_FLOOR: u64 = 1024 * 1024;
/// Rows a sheet may use (positions beyond are refused).
pub const MAX_ROWS: u64 = 5_000;
/// Columns a sheet may use (positions beyond are refused).
pub const MAX_COLUMNS: u64 = 100;
/// Most cells in one sheet part (duplicated positions included).
pub const MAX_CELLS: u64 = MAX_ROWS * MAX_COLUMNS;
/// Most distinct shared strings.
pub const MAX_STRINGS: u64 = 1_000_000;
/// Highest shared-formula index (`<f si>`), which calamine allocates up to.
pub const MAX_SHARED_FORMULAS: u64 = 100_000;
/// Most styles, fonts, fills, borders and number formats of a styles part
/// (Excel allows 64,000 cell styles).
pub const MAX_STYLES: u64 = 100_000;
/// Most sheets of a workbook (`<sheet>` entries of a part, ODS tables):
/// each is parsed in full, and a crafted workbook can name the same large
/// sheet many times.
pub const MAX_SHEETS: u64 = 64;
/// Most bytes of text calamine may copy into the cells of one part.
pub const MAX_TEXT_BYTES: u64 = 64 * 1024 * 1024;
/// Most cells of all ODS tables together (their dense areas).
pub const MAX_ODS_CELLS: u64 = 1_000_000;
/// The smallest shared string, `<si/>`, in bytes.
const MIN_SHARED_STRING: u64 = 5;

/// Refuses a package with too many entries, an entry declaring more than
/// [`MAX_ENTRY_SIZE`], all entries declaring more than [`MAX_TOTAL_SIZE`],
/// a large entry compressed more than [`MAX_RATIO`] times, an encrypted
/// entry, or a compression method office files do not use.
pub fn entries<R: Read + Seek>(zip: &ZipArchive<R>) -> Result<(), ReadError> {
    if zip.len() > MAX_ENTRIES {
        return Err(ReadError::TooLarge(format!(
            "the package holds {} parts; the limit is {}",
            thousands(zip.len() as u64),
            thousands(MAX_ENTRIES as u64)
        )));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let e = zip
            .by_index_data(i)
            .map_err(|e| damaged(&format!("#{i}"), e))?;
        let name = e
            .name()
            .map_or_else(|_| format!("#{i}"), |n| n.into_owned());
        if e.encrypted() {
            return Err(ReadError::Encrypted);
        }
        if !matches!(
            e.compression(),
            CompressionMethod::Stored | CompressionMethod::Deflated
        ) {
            return Err(ReadError::Malformed(format!(
                "part {name} uses a compression method office files do not use"
            )));
        }
        let size = e.size();
        if size > MAX_ENTRY_SIZE {
            return Err(too_big(&format!("part {name}"), size, MAX_ENTRY_SIZE));
        }
        total = total.saturating_add(size);
        if total > MAX_TOTAL_SIZE {
            return Err(too_big("all parts together", total, MAX_TOTAL_SIZE));
        }
        let ratio = size / e.compressed_size().max(1);
        if size > RATIO_FLOOR && ratio > MAX_RATIO {
            return Err(ReadError::TooLarge(format!(
                "part {name} would expand {} times (limit {MAX_RATIO})",
                thousands(ratio)
            )));
        }
    }
    Ok(())
}

fn too_big(what: &str, size: u64, limit: u64) -> ReadError {
    ReadError::TooLarge(format!(
        "{what} would expand to {} bytes; the limit is {} MiB",
        thousands(size),
        limit / (1024 * 1024)
    ))
}

/// Refuses an XLSX or XLSM package calamine would read without bound (see
/// the module documentation). Call [`entries`] first.
pub fn xlsx<R: Read + Seek>(zip: &mut ZipArchive<R>) -> Result<(), ReadError> {
    let names = part_names(zip);
    let mut strings: Vec<u64> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        match base_name(name).as_str() {
            "sharedstrings.xml" => {
                let mut lengths = Vec::new();
                each_event(zip, i, name, true, |e| {
                    shared_strings(name, e, &mut lengths)
                })?;
                // calamine reads one of these parts: keep the longest at each index
                for (k, len) in lengths.into_iter().enumerate() {
                    match strings.get_mut(k) {
                        Some(l) => *l = (*l).max(len),
                        None => strings.push(len),
                    }
                }
            }
            "styles.xml" => {
                let mut styles = Styles::default();
                each_event(zip, i, name, true, |e| styles.event(e))?;
                styles.check(name)?;
            }
            _ => {}
        }
    }
    for (i, name) in names.iter().enumerate() {
        let mut scan = SheetScan::new(name, &strings);
        let strict = base_name(name).ends_with(".xml") || name.ends_with(".rels");
        each_event(zip, i, name, strict, |e| scan.event(e))?;
    }
    Ok(())
}

/// Refuses an ODS package whose `content.xml` repeats cells with content
/// beyond [`MAX_ROWS`] × [`MAX_COLUMNS`], repeats more than
/// [`MAX_ODS_CELLS`] such cells in all, or copies more than
/// [`MAX_TEXT_BYTES`] of text into the repetitions. Call [`entries`] first.
pub fn ods<R: Read + Seek>(zip: &mut ZipArchive<R>) -> Result<(), ReadError> {
    let Some(i) = zip.index_for_name("content.xml") else {
        return Ok(()); // calamine then refuses the file cleanly
    };
    let mut scan = OdsScan::default();
    each_event(zip, i, "content.xml", true, |e| scan.event(e))
}

/// The name of each entry, in order (lowercase, `/`-separated).
fn part_names<R: Read + Seek>(zip: &ZipArchive<R>) -> Vec<String> {
    (0..zip.len())
        .map(|i| {
            zip.by_index_data(i)
                .ok()
                .and_then(|e| e.name().ok().map(|n| n.replace('\\', "/")))
                .unwrap_or_default()
        })
        .collect()
}

/// The file name of a part, lowercase, as calamine looks parts up.
fn base_name(name: &str) -> String {
    name.rsplit('/').next().unwrap_or(name).to_ascii_lowercase()
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
    let entry = zip.by_index(i).map_err(|e| damaged(name, e))?;
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

/// Records the length of each shared string; refuses a `uniqueCount` the
/// part cannot hold or above [`MAX_STRINGS`]. (`count` counts references to
/// the strings, not strings: no reader allocates from it, and it may
/// legitimately exceed what the part's size suggests.)
fn shared_strings(part: &str, e: &Event<'_>, lengths: &mut Vec<u64>) -> Result<(), ReadError> {
    match e {
        Event::Start(s) if s.local_name().as_ref() == "sst" => {
            for v in attrs(s, "uniqueCount") {
                let n = number(part, "uniqueCount", v)?;
                if n > MAX_STRINGS {
                    return Err(ReadError::TooLarge(format!(
                        "part {part} declares {} shared strings; the limit is {}",
                        thousands(n),
                        thousands(MAX_STRINGS)
                    )));
                }
                if n > MAX_ENTRY_SIZE / MIN_SHARED_STRING {
                    return Err(ReadError::Malformed(format!(
                        "part {part} declares {} shared strings, more than it can hold",
                        thousands(n)
                    )));
                }
            }
        }
        Event::Start(s) if s.local_name().as_ref() == "si" => {
            if lengths.len() as u64 >= MAX_STRINGS {
                return Err(ReadError::TooLarge(format!(
                    "part {part} holds more than {} shared strings",
                    thousands(MAX_STRINGS)
                )));
            }
            lengths.push(0);
        }
        _ => {
            if let Some(last) = lengths.last_mut() {
                *last = last.saturating_add(text_len(e));
            }
        }
    }
    Ok(())
}

/// What calamine builds from a styles part: one style per `<xf>`, each
/// with a copy of its number format code and font name (at most the longest
/// attribute value), plus the fonts, fills, borders and formats themselves.
#[derive(Default)]
struct Styles {
    xfs: u64,
    items: u64,
    longest: u64,
}

impl Styles {
    fn event(&mut self, e: &Event<'_>) -> Result<(), ReadError> {
        if let Event::Start(s) = e {
            match s.local_name().as_ref() {
                "xf" => {
                    self.xfs += 1;
                    self.items += 1;
                }
                "font" | "fill" | "border" | "numFmt" | "dxf" => self.items += 1,
                _ => {}
            }
            let longest = raw_attrs(s.attributes_raw())
                .iter()
                .map(|(_, v)| v.len() as u64)
                .max();
            self.longest = self.longest.max(longest.unwrap_or(0));
        }
        Ok(())
    }

    /// Refuses more than [`MAX_STYLES`] styles, fonts, fills, borders and
    /// formats, and styles whose copies would exceed [`MAX_TEXT_BYTES`].
    fn check(&self, part: &str) -> Result<(), ReadError> {
        if self.items > MAX_STYLES {
            return Err(ReadError::TooLarge(format!(
                "part {part} defines {} styles, fonts, fills, borders and formats; the limit is {}",
                thousands(self.items),
                thousands(MAX_STYLES)
            )));
        }
        if self.xfs.saturating_mul(self.longest + 1) > MAX_TEXT_BYTES {
            return Err(ReadError::TooLarge(format!(
                "part {part}: {} cell styles with formats of {} bytes",
                thousands(self.xfs),
                thousands(self.longest)
            )));
        }
        Ok(())
    }
}

/// The state of a worksheet scan: where the next cell goes, as calamine
/// places it, and what calamine will copy.
struct SheetScan<'a> {
    part: &'a str,
    strings: &'a [u64],
    longest: u64,
    sheets: u64,
    row: u64,
    col: u64,
    cells: u64,
    text: u64,
    shared_string_cell: bool,
    value: Option<String>,
    formula: Option<Formula>,
    templates: HashMap<u64, u64>,
}

/// A `<f>` being read.
struct Formula {
    shared: bool,
    template: bool,
    index: u64,
    len: u64,
}

impl<'a> SheetScan<'a> {
    fn new(part: &'a str, strings: &'a [u64]) -> SheetScan<'a> {
        SheetScan {
            part,
            strings,
            longest: strings.iter().copied().max().unwrap_or(0),
            sheets: 0,
            row: 0,
            col: 0,
            cells: 0,
            text: 0,
            shared_string_cell: false,
            value: None,
            formula: None,
            templates: HashMap::new(),
        }
    }

    fn event(&mut self, e: &Event<'_>) -> Result<(), ReadError> {
        match e {
            Event::Start(s) => self.start(s),
            Event::End(s) => self.end(s.local_name().as_ref()),
            _ => {
                if let (Some(v), Event::Text(t)) = (self.value.as_mut(), e)
                    && v.len() < 32
                {
                    v.push_str(t);
                }
                if let Some(f) = &mut self.formula {
                    f.len = f.len.saturating_add(text_len(e));
                }
                Ok(())
            }
        }
    }

    fn start(&mut self, s: &BytesStart<'_>) -> Result<(), ReadError> {
        match s.local_name().as_ref() {
            "dimension" | "mergeCell" => attrs(s, "ref").try_for_each(|r| self.range(r)),
            "row" => attrs(s, "r").try_for_each(|r| {
                self.row = self.reference(r)?.0;
                Ok(())
            }),
            "c" => self.cell(s),
            "v" => {
                self.value = Some(String::new());
                Ok(())
            }
            "f" => self.formula_start(s),
            "sheet" => {
                self.sheets += 1;
                if self.sheets > MAX_SHEETS {
                    return Err(ReadError::TooLarge(format!(
                        "part {} lists more than {MAX_SHEETS} sheets",
                        self.part
                    )));
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn end(&mut self, name: &str) -> Result<(), ReadError> {
        match name {
            "row" => {
                self.row = self.row.saturating_add(1);
                self.col = 0;
            }
            "c" => {
                self.col = self.col.saturating_add(1);
                self.shared_string_cell = false;
            }
            "v" => {
                let value = self.value.take().unwrap_or_default();
                if self.shared_string_cell {
                    // an index read differently by calamine counts as the longest string
                    let len = match value.trim().parse::<usize>() {
                        Ok(i) => self.strings.get(i).copied().unwrap_or(0),
                        Err(_) => self.longest,
                    };
                    self.copy(len)?;
                }
            }
            "f" => {
                if let Some(f) = self.formula.take() {
                    self.formula_end(f)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A cell: its position (from `r`, or the one after the previous cell),
    /// checked against the bounds, and whether it holds a shared string.
    fn cell(&mut self, s: &BytesStart<'_>) -> Result<(), ReadError> {
        self.cells += 1;
        if self.cells > MAX_CELLS {
            return Err(ReadError::TooLarge(format!(
                "part {} holds more than {} cells",
                self.part,
                thousands(MAX_CELLS)
            )));
        }
        let mut positions = Vec::new();
        for r in attrs(s, "r") {
            let (row, col) = self.reference(r)?;
            let col = col.ok_or_else(|| self.bad(r))?;
            self.col = col;
            positions.push((row, col));
        }
        if positions.is_empty() {
            positions.push((self.row, self.col));
        }
        for (row, col) in positions {
            self.within(row, col)?;
        }
        self.shared_string_cell = attrs(s, "t").any(|t| t == "s");
        Ok(())
    }

    fn formula_start(&mut self, s: &BytesStart<'_>) -> Result<(), ReadError> {
        let mut index = 0;
        for si in attrs(s, "si") {
            index = number(self.part, "shared formula index", si)?;
            if index > MAX_SHARED_FORMULAS {
                return Err(ReadError::TooLarge(format!(
                    "part {} uses shared formula #{}; the limit is {}",
                    self.part,
                    thousands(index),
                    thousands(MAX_SHARED_FORMULAS)
                )));
            }
        }
        let mut template = false;
        for r in attrs(s, "ref") {
            self.range(r)?;
            template = true;
        }
        self.formula = Some(Formula {
            shared: attrs(s, "t").any(|t| t == "shared"),
            template,
            index,
            len: 0,
        });
        Ok(())
    }

    /// A shared formula's template is remembered; each cell deriving from it
    /// gets a copy (with shifted references: counted twice, plus some).
    fn formula_end(&mut self, f: Formula) -> Result<(), ReadError> {
        if !f.shared {
            return Ok(());
        }
        if f.template {
            self.templates.insert(f.index, f.len);
            return Ok(());
        }
        let len = self.templates.get(&f.index).copied().unwrap_or(0);
        self.copy(len.saturating_mul(2).saturating_add(16))
    }

    /// Counts `len` bytes calamine copies into a cell.
    fn copy(&mut self, len: u64) -> Result<(), ReadError> {
        self.text = self.text.saturating_add(len);
        if self.text > MAX_TEXT_BYTES {
            return Err(ReadError::TooLarge(format!(
                "part {} copies more than {} MiB of text into its cells",
                self.part,
                MAX_TEXT_BYTES / (1024 * 1024)
            )));
        }
        Ok(())
    }

    /// A range `A1` or `A1:B2`: refuses a reversed range or one beyond the bounds.
    fn range(&self, value: &str) -> Result<(), ReadError> {
        let mut corners = Vec::new();
        for part in value.split(':') {
            let (row, col) = self.reference(part)?;
            corners.push((row, col.ok_or_else(|| self.bad(value))?));
        }
        let (Some(&start), Some(&end), true) =
            (corners.first(), corners.last(), corners.len() <= 2)
        else {
            return Err(self.bad(value));
        };
        if end.0 < start.0 || end.1 < start.1 {
            return Err(ReadError::Malformed(format!(
                "part {} has a reversed range {value}",
                self.part
            )));
        }
        self.within(end.0, end.1)
    }

    /// A cell reference as calamine reads it: 0-based row and column (the
    /// column may be missing); refuses anything else and any overflow.
    fn reference(&self, r: &str) -> Result<(u64, Option<u64>), ReadError> {
        let letters = r.bytes().take_while(u8::is_ascii_alphabetic).count();
        let (col, row) = r.split_at(letters);
        let col = col.bytes().try_fold(0u64, |n, b| {
            let digit = u64::from(b.to_ascii_uppercase() - b'A' + 1);
            n.checked_mul(26)?.checked_add(digit)
        });
        let row = match row.parse::<u64>() {
            Ok(r) if row.bytes().all(|b| b.is_ascii_digit()) => Some(r),
            _ => None,
        };
        match (col, row.and_then(|r| r.checked_sub(1))) {
            (Some(c), Some(r)) if c <= u64::from(u32::MAX) && r < u64::from(u32::MAX) => {
                Ok((r, c.checked_sub(1)))
            }
            _ => Err(self.bad(r)),
        }
    }

    /// Refuses a position beyond [`MAX_ROWS`] × [`MAX_COLUMNS`].
    fn within(&self, row: u64, col: u64) -> Result<(), ReadError> {
        if row < MAX_ROWS && col < MAX_COLUMNS {
            return Ok(());
        }
        Err(ReadError::TooLarge(format!(
            "part {} has a cell at {}{} (row {}, column {}); the limit is {} rows and {} columns",
            self.part,
            column_name(col),
            row + 1,
            thousands(row + 1),
            thousands(col + 1),
            thousands(MAX_ROWS),
            MAX_COLUMNS
        )))
    }

    fn bad(&self, r: &str) -> ReadError {
        ReadError::Malformed(format!("part {} has a bad cell reference ({r})", self.part))
    }
}

/// The state of an ODS `content.xml` scan, following calamine's reading of
/// `table:table-row` and `table:table-cell` repetitions.
#[derive(Default)]
struct OdsScan {
    sheets: u64,
    tables: usize,
    row: u64,
    row_repeat: u64,
    col: u64,
    row_used: bool,
    used_rows: u64,
    used_cols: u64,
    area: u64,
    repeated: u64,
    text: u64,
    cell: Option<OdsCell>,
}

/// A cell being read: where it starts, how often it repeats, what it holds.
struct OdsCell {
    depth: usize,
    repeat: u64,
    content: bool,
    len: u64,
}

impl OdsScan {
    fn event(&mut self, e: &Event<'_>) -> Result<(), ReadError> {
        if self.cell.is_some() {
            return self.in_cell(e);
        }
        match e {
            Event::Start(s) => self.start(s),
            Event::End(s) => self.end(s.local_name().as_ref()),
            _ => Ok(()),
        }
    }

    fn start(&mut self, s: &BytesStart<'_>) -> Result<(), ReadError> {
        match s.local_name().as_ref() {
            "table" => {
                if self.tables == 0 {
                    (self.row, self.used_rows, self.used_cols) = (0, 0, 0);
                    self.sheets += 1;
                    if self.sheets > MAX_SHEETS {
                        return Err(ods_refused(format!("more than {MAX_SHEETS} tables")));
                    }
                }
                self.tables += 1;
            }
            "table-row" => {
                self.row_repeat = repeat(s, "table:number-rows-repeated")?;
                (self.col, self.row_used) = (0, false);
            }
            "table-cell" | "covered-table-cell" => {
                let attrs = raw_attrs(s.attributes_raw());
                let value = |k: &str| k.contains("value") || k.contains("formula");
                self.cell = Some(OdsCell {
                    depth: 0,
                    repeat: repeat(s, "table:number-columns-repeated")?,
                    content: attrs.iter().any(|(k, _)| value(k)),
                    len: attrs.iter().map(|(_, v)| v.len() as u64).sum(),
                });
            }
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, name: &str) -> Result<(), ReadError> {
        match name {
            "table" => {
                self.tables = self.tables.saturating_sub(1);
                if self.tables == 0 {
                    let area = self.used_rows.saturating_mul(self.used_cols);
                    self.area = self.area.saturating_add(area);
                    if self.area > MAX_ODS_CELLS {
                        return Err(ods_refused(format!(
                            "its tables span more than {} cells",
                            thousands(MAX_ODS_CELLS)
                        )));
                    }
                }
            }
            "table-row" => {
                let end = self.row.saturating_add(self.row_repeat);
                if self.row_used {
                    self.used_rows = self.used_rows.max(end);
                }
                self.row = end;
            }
            _ => {}
        }
        Ok(())
    }

    /// Inside a cell: anything but blank text is content, and its text
    /// (spaces written `<text:s text:c>` included) is counted; the cell's
    /// end checks it.
    fn in_cell(&mut self, e: &Event<'_>) -> Result<(), ReadError> {
        let Some(cell) = &mut self.cell else {
            return Ok(());
        };
        match e {
            Event::Start(s) => {
                cell.depth += 1;
                cell.content = true;
                if s.local_name().as_ref() == "s" {
                    // `<text:s text:c="N"/>`: N spaces, written out by calamine
                    for n in attrs(s, "text:c") {
                        let n = number("content.xml", "text:c", n)?;
                        cell.len = cell.len.saturating_add(n);
                    }
                }
            }
            Event::End(_) if cell.depth > 0 => cell.depth -= 1,
            Event::End(_) => {
                if let Some(cell) = self.cell.take() {
                    return self.cell_end(cell);
                }
            }
            Event::Text(t) if t.trim().is_empty() => {}
            _ => {
                cell.content = true;
                cell.len = cell.len.saturating_add(text_len(e));
            }
        }
        Ok(())
    }

    /// Refuses a cell with content repeated beyond the bounds, too many
    /// repeated cells in all, or too much text copied into repetitions.
    fn cell_end(&mut self, cell: OdsCell) -> Result<(), ReadError> {
        let start = self.col;
        self.col = self.col.saturating_add(cell.repeat);
        if !cell.content {
            return Ok(());
        }
        let rows = self.row.saturating_add(self.row_repeat);
        if rows > MAX_ROWS || self.col > MAX_COLUMNS {
            return Err(ods_refused(format!(
                "a cell with content at row {}, column {}, repeated over {} rows × {} columns; \
                 the limit is {} rows × {} columns",
                thousands(self.row + 1),
                thousands(start + 1),
                thousands(self.row_repeat),
                thousands(cell.repeat),
                thousands(MAX_ROWS),
                MAX_COLUMNS
            )));
        }
        let copies = self.row_repeat.saturating_mul(cell.repeat);
        self.repeated = self.repeated.saturating_add(copies);
        if self.repeated > MAX_ODS_CELLS {
            return Err(ods_refused(format!(
                "its repeated cells with content number more than {}",
                thousands(MAX_ODS_CELLS)
            )));
        }
        let text = copies.saturating_mul(cell.len.saturating_add(1));
        self.text = self.text.saturating_add(text);
        if self.text > MAX_TEXT_BYTES {
            return Err(ods_refused(format!(
                "its cells and their repetitions hold more than {} MiB of text",
                MAX_TEXT_BYTES / (1024 * 1024)
            )));
        }
        self.row_used = true;
        self.used_cols = self.used_cols.max(self.col);
        Ok(())
    }
}

/// A repetition count (`1` when absent); refuses 0 and non-numbers.
fn repeat(s: &BytesStart<'_>, key: &str) -> Result<u64, ReadError> {
    let mut n = 1;
    for v in attrs(s, key) {
        n = number("content.xml", key, v)?;
        if n == 0 {
            return Err(ReadError::Malformed(format!(
                "part content.xml repeats something 0 times ({key})"
            )));
        }
    }
    Ok(n)
}

fn ods_refused(why: String) -> ReadError {
    ReadError::TooLarge(format!("in content.xml, {why}"))
}

/// Sector ids from which a CFB chain ends (special values).
const CFB_RESERVED: u32 = 0xFFFF_FFFA;
/// Marks a DIFAT sector; ids from here on are not FAT sectors.
const CFB_DIFSECT: u32 = 0xFFFF_FFFC;
/// Streams this long or longer are chains of full sectors.
const CFB_MINI_CUTOFF: u64 = 4096;

/// Refuses a Compound File Binary container (XLS, encrypted OOXML) whose
/// sector chains loop, or that lists more FAT sectors than it holds:
/// calamine follows a looping chain until memory runs out (a 1.5 KB file
/// is enough). Only the container is checked, not the workbook inside (see
/// the module documentation). Headers calamine refuses anyway pass.
pub fn cfb(bytes: &[u8]) -> Result<(), ReadError> {
    let Some(cfb) = Cfb::new(bytes) else {
        return Ok(());
    };
    let fat = cfb.fat()?;
    let loops = looping(&fat);
    let loops_at = |id: u32| loops.get(id as usize).copied().unwrap_or(false);
    let refused = || {
        ReadError::Malformed(
            "the Excel 97-2003 container is damaged: a chain of its sectors loops".into(),
        )
    };
    if loops_at(cfb.dir_start) {
        return Err(refused());
    }
    let entries = cfb.directory(&fat);
    let mini = cfb.mini_fat_len > 0;
    let root = entries.first().map(|e| e.0);
    if mini && (loops_at(cfb.mini_fat_start) || root.is_some_and(loops_at)) {
        return Err(refused());
    }
    if entries
        .iter()
        .any(|&(start, len)| len >= CFB_MINI_CUTOFF && loops_at(start))
    {
        return Err(refused());
    }
    Ok(())
}

/// The header fields of a CFB file that locate its chains.
struct Cfb<'a> {
    bytes: &'a [u8],
    size: usize,
    maxid: usize,
    dir_start: u32,
    mini_fat_start: u32,
    mini_fat_len: u32,
    difat_start: u32,
}

impl<'a> Cfb<'a> {
    /// The header; `None` when calamine would refuse it (too short, odd sector size).
    fn new(bytes: &'a [u8]) -> Option<Cfb<'a>> {
        let size = match bytes.get(30..32)? {
            [9, 0] => 512,
            [12, 0] => 4096,
            _ => return None,
        };
        (bytes.len() >= 512).then_some(Cfb {
            bytes,
            size,
            maxid: bytes.len() / size,
            dir_start: u32_at(bytes, 48),
            mini_fat_start: u32_at(bytes, 60),
            mini_fat_len: u32_at(bytes, 64),
            difat_start: u32_at(bytes, 68),
        })
    }

    /// The bytes of sector `id` the file holds (sector 0 follows the header).
    fn sector(&self, id: u32) -> &'a [u8] {
        let start = (id as usize).saturating_add(1).saturating_mul(self.size);
        let end = start.saturating_add(self.size).min(self.bytes.len());
        self.bytes.get(start..end).unwrap_or(&[])
    }

    /// The ids a sector holds.
    fn ids(&self, id: u32) -> impl Iterator<Item = u32> + 'a {
        self.sector(id)
            .chunks_exact(4)
            .map(|c| c.try_into().map_or(0, u32::from_le_bytes))
    }

    /// The FAT, read as calamine reads it (header DIFAT, then the DIFAT
    /// chain, each sector's last id pointing to the next); refuses more FAT
    /// sectors than the file holds.
    fn fat(&self) -> Result<Vec<u32>, ReadError> {
        let mut difat: Vec<u32> = (76..512)
            .step_by(4)
            .map(|at| u32_at(self.bytes, at))
            .collect();
        let mut id = self.difat_start;
        let mut steps = 0;
        while id < CFB_RESERVED && steps <= self.maxid {
            steps += 1;
            difat.extend(self.ids(id));
            id = difat.pop().unwrap_or(CFB_RESERVED);
        }
        difat.retain(|&id| id < CFB_DIFSECT);
        if difat.len() > self.maxid + 1 {
            return Err(ReadError::Malformed(format!(
                "the Excel 97-2003 container lists {} FAT sectors but holds {}",
                thousands(difat.len() as u64),
                thousands(self.maxid as u64)
            )));
        }
        Ok(difat.iter().flat_map(|&id| self.ids(id)).collect())
    }

    /// The start sector and length of each directory entry (the chain
    /// followed at most once around, already known not to loop).
    fn directory(&self, fat: &[u32]) -> Vec<(u32, u64)> {
        let mut entries = Vec::new();
        let mut id = self.dir_start;
        for _ in 0..=self.maxid {
            let Some(&next) = fat.get(id as usize) else {
                break;
            };
            for e in self.sector(id).chunks_exact(128) {
                let len = match self.size {
                    512 => u64::from(u32_at(e, 120)),
                    _ => e
                        .get(120..128)
                        .and_then(|b| b.try_into().ok())
                        .map_or(0, u64::from_le_bytes),
                };
                entries.push((u32_at(e, 116), len));
            }
            id = next;
        }
        entries
    }
}

/// A little-endian u32 at `at` (0 when the bytes are missing).
fn u32_at(bytes: &[u8], at: usize) -> u32 {
    bytes
        .get(at..at.saturating_add(4))
        .and_then(|b| b.try_into().ok())
        .map_or(0, u32::from_le_bytes)
}

/// For each sector of `fat`, whether following the chain from it never
/// leaves the FAT (a loop). Each sector is visited once.
fn looping(fat: &[u32]) -> Vec<bool> {
    const UNKNOWN: u8 = 0;
    const ON_PATH: u8 = 1;
    const ENDS: u8 = 2;
    const LOOPS: u8 = 3;
    let mut state = vec![UNKNOWN; fat.len()];
    let mut path = Vec::new();
    for start in 0..fat.len() {
        let mut at = start;
        let verdict = loop {
            match state.get(at).copied() {
                None | Some(ENDS) => break ENDS,
                Some(LOOPS) | Some(ON_PATH) => break LOOPS,
                Some(_) => {
                    path.push(at);
                    if let Some(s) = state.get_mut(at) {
                        *s = ON_PATH;
                    }
                    at = fat.get(at).map_or(usize::MAX, |&n| n as usize);
                }
            }
        };
        for p in path.drain(..) {
            if let Some(s) = state.get_mut(p) {
                *s = verdict;
            }
        }
    }
    state.into_iter().map(|s| s == LOOPS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_read_as_calamine_reads_them() {
        let scan = SheetScan::new("s", &[]);
        assert_eq!(scan.reference("A1").unwrap(), (0, Some(0)));
        assert_eq!(
            scan.reference("xfd1048576").unwrap(),
            (1_048_575, Some(16_383))
        );
        assert_eq!(scan.reference("12").unwrap(), (11, None));
        assert!(scan.reference("A0").is_err());
        assert!(scan.reference("A").is_err());
        assert!(scan.reference("A1B").is_err());
        assert!(scan.reference("AAAAAAAAAAAAAAAAAAAAAA1").is_err());
        assert!(scan.reference("A99999999999999999999999").is_err());
        assert!(scan.range("A2:B1").is_err());
        assert!(scan.range("A1:B2:C3").is_err());
        assert!(scan.range("B2:C4").is_ok());
        assert!(matches!(scan.range("A1:CW1"), Err(ReadError::TooLarge(_))));
    }

    #[test]
    fn attributes_split_as_calamine_splits_them() {
        let got = raw_attrs(r#" r="A1" t='s' r = "XFD1" bad"#);
        assert_eq!(got, vec![("r", "A1"), ("t", "s"), ("r", "XFD1")]);
        assert_eq!(
            raw_attrs(r#" a="unterminated"#),
            vec![("a", "unterminated")]
        );
    }

    #[test]
    fn looping_chains_are_found() {
        // 0 → 1 → end; 2 → 3 → 2 (a loop); 4 → 2 (into the loop); 5 → beyond the FAT
        let fat = [1, CFB_RESERVED + 4, 3, 2, 2, 99];
        assert_eq!(looping(&fat), vec![false, false, true, true, true, false]);
    }
}
