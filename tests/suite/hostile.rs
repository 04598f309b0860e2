//! Hostile files, end to end: one `boussole check` over a batch of crafted
//! files beside good ones, as a buyer would run it on a folder of offers.
//!
//! Every crafted file is built here (zip packages and deflate streams by
//! hand, so that a small file can inflate to gigabytes); none is committed.
//! The batch must come back with a clear error for each refused file, a
//! warning (not a refusal) for what a real vendor may do, a result for every
//! file (the batch goes on), exit status 2, no panic and no abort, within
//! seconds and a bounded peak memory. `response.rs` tests the readers one
//! crafted file at a time; this module tests the command over all of them.
//!
//! Also the regressions the fuzzers found (`fuzz/`), both through the
//! command and on the normalisers directly.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use boussole::answer::{Invalid, Spec, normalise, normalise_cell};
use boussole::library::{AnswerType, Question};
use boussole::response::Cell;
use serde_json::Value;

use crate::support::*;

/// Longest the whole batch may take (debug build, one core may be busy);
/// `check` is killed at twice this (a reader that hangs).
const BATCH_TIME: Duration = Duration::from_secs(30);
/// Most resident memory the `check` process may reach.
const BATCH_MEMORY: u64 = 512 * 1024 * 1024;
/// A gibibyte: what the bombs inflate to.
const GIB: usize = 1 << 30;

// ------------------------------------------------------------ deflate

/// Bits packed least significant first, as deflate (RFC 1951) packs them.
#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    /// `n` (≤ 56) bits of `value`.
    fn put(&mut self, value: u64, n: u32) {
        self.acc |= value << self.n;
        self.n += n;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// A Huffman code, most significant bit first.
    fn code(&mut self, code: u64, len: u32) {
        for i in (0..len).rev() {
            self.put((code >> i) & 1, 1);
        }
    }

    /// Stored (uncompressed) blocks holding `data`.
    fn stored(&mut self, data: &[u8], last: bool) {
        let chunks: Vec<&[u8]> = data.chunks(65_535).collect();
        let count = chunks.len().max(1);
        for i in 0..count {
            let chunk = chunks.get(i).copied().unwrap_or(&[]);
            self.put(u64::from(last && i + 1 == count), 1);
            self.put(0, 2);
            if self.n > 0 {
                self.put(0, 8 - self.n);
            }
            let len = chunk.len() as u16;
            self.out.extend(len.to_le_bytes());
            self.out.extend((!len).to_le_bytes());
            self.out.extend(chunk);
        }
    }

    /// `runs` zero code lengths (code-length symbols 18 and 0).
    fn zero_lengths(&mut self, mut runs: usize) {
        while runs > 0 {
            if runs >= 11 {
                let k = runs.min(138);
                self.code(0, 1); // symbol 18: k zeros
                self.put((k - 11) as u64, 7);
                runs -= k;
            } else {
                self.code(0b10, 2); // symbol 0
                runs -= 1;
            }
        }
    }

    /// One dynamic-Huffman block of `matches` copies of 258 bytes taken
    /// `distance` bytes back: only the end-of-block, length-258 and one
    /// distance code exist, each one bit long, so a copy costs 2 bits plus
    /// the distance's extra bits (deflate's best ratio, ~1:1000).
    fn repeat(&mut self, distance: usize, matches: usize) {
        let (dcode, extra, base) = distance_code(distance);
        self.put(0, 1); // not the last block
        self.put(2, 2); // dynamic Huffman codes
        self.put(29, 5); // 286 literal/length codes
        self.put(dcode as u64, 5); // dcode + 1 distance codes
        self.put(14, 4); // 18 code-length codes, in deflate's order:
        for symbol in [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1] {
            let len = match symbol {
                18 => 1,    // code 0
                0 | 1 => 2, // codes 10 and 11
                _ => 0,
            };
            self.put(len, 3);
        }
        self.zero_lengths(256); // no literal
        self.code(0b11, 2); // end of block (256): 1 bit
        self.zero_lengths(28); // no length but…
        self.code(0b11, 2); // …258 (285): 1 bit
        self.zero_lengths(dcode);
        self.code(0b11, 2); // the distance's code: 1 bit
        // one copy: length code 1, distance code 0, the distance's extra bits
        let one = 1 | ((distance - base) as u64) << 2;
        let width = 2 + extra;
        let per_put = (56 / width) as usize;
        let chunk = (0..per_put).fold(0u64, |acc, i| acc | one << (i as u32 * width));
        for _ in 0..matches / per_put {
            self.put(chunk, width * per_put as u32);
        }
        for _ in 0..matches % per_put {
            self.put(one, width);
        }
        self.put(0, 1); // end of block
    }
}

/// Deflate's distance code for `d` (1..=32768): (code, extra bits, base).
fn distance_code(d: usize) -> (usize, u32, usize) {
    assert!((1..=32_768).contains(&d));
    if d <= 4 {
        return (d - 1, 0, d);
    }
    let mut code = 4;
    loop {
        let extra = (code / 2 - 1) as u32;
        let base = ((2 + (code & 1)) << extra) + 1;
        if d < base + (1 << extra) {
            return (code, extra, base);
        }
        code += 1;
    }
}

/// A raw deflate stream of `head`, then `unit` repeated for at least
/// `bytes` bytes, then `tail`; and the length it inflates to. A few
/// hundred kilobytes become gigabytes.
fn deflate_repeat(head: &str, unit: &str, bytes: usize, tail: &str) -> (Vec<u8>, u64) {
    let mut bits = Bits::default();
    let prefix = format!("{head}{unit}");
    bits.stored(prefix.as_bytes(), false);
    let matches = bytes.div_ceil(258);
    bits.repeat(unit.len(), matches);
    let offset = matches * 258 % unit.len();
    let rest = if offset == 0 { "" } else { &unit[offset..] };
    let suffix = format!("{rest}{tail}");
    bits.stored(suffix.as_bytes(), true);
    if bits.n > 0 {
        bits.put(0, 8 - bits.n);
    }
    let size = prefix.len() + matches * 258 + suffix.len();
    (bits.out, size as u64)
}

// ------------------------------------------------------------ packages

/// One part of a zip package, as the file holds it.
pub(crate) struct Part {
    name: String,
    /// The bytes in the file: the part itself, or a raw deflate stream.
    data: Vec<u8>,
    deflated: bool,
    /// The uncompressed size the headers declare (true or not).
    size: u64,
    crc: u32,
}

/// A part stored as is.
pub(crate) fn part(name: &str, data: impl AsRef<[u8]>) -> Part {
    let data = data.as_ref().to_vec();
    Part {
        name: name.into(),
        size: data.len() as u64,
        crc: crc32(&data),
        data,
        deflated: false,
    }
}

/// A deflated part declaring `size` bytes (its CRC is not computed: the
/// readers must refuse it before inflating that far).
fn bomb(name: &str, stream: Vec<u8>, size: u64) -> Part {
    Part {
        name: name.into(),
        data: stream,
        deflated: true,
        size,
        crc: 0,
    }
}

fn crc32(data: &[u8]) -> u32 {
    let mut table = [0u32; 256];
    for (i, t) in table.iter_mut().enumerate() {
        *t = (0..8).fold(i as u32, |c, _| {
            if c & 1 == 1 {
                (c >> 1) ^ 0xEDB8_8320
            } else {
                c >> 1
            }
        });
    }
    !data.iter().fold(!0u32, |c, &b| {
        table[((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8)
    })
}

/// A zip package of `parts` (no zip64: sizes under 4 GiB).
pub(crate) fn zip(parts: &[Part]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for p in parts {
        let size = u32::try_from(p.size).unwrap();
        let method: u16 = if p.deflated { 8 } else { 0 };
        let name = p.name.as_bytes();
        let fields = |sig: u32| {
            let mut h = sig.to_le_bytes().to_vec();
            if sig == 0x0201_4b50 {
                h.extend(20u16.to_le_bytes()); // made by
            }
            h.extend(20u16.to_le_bytes()); // needed
            h.extend(0u16.to_le_bytes()); // flags
            h.extend(method.to_le_bytes());
            h.extend(0u16.to_le_bytes()); // time
            h.extend(0x21u16.to_le_bytes()); // 1980-01-01
            h.extend(p.crc.to_le_bytes());
            h.extend((p.data.len() as u32).to_le_bytes());
            h.extend(size.to_le_bytes());
            h.extend((name.len() as u16).to_le_bytes());
            h.extend(0u16.to_le_bytes()); // extra field
            h
        };
        let offset = out.len() as u32;
        out.extend(fields(0x0403_4b50));
        out.extend(name);
        out.extend(&p.data);
        central.extend(fields(0x0201_4b50));
        central.extend([0u8; 6]); // comment, disk, internal attributes
        central.extend(0u32.to_le_bytes()); // external attributes
        central.extend(offset.to_le_bytes());
        central.extend(name);
    }
    let (start, len) = (out.len() as u32, central.len() as u32);
    out.extend(central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]); // disks
    out.extend((parts.len() as u16).to_le_bytes());
    out.extend((parts.len() as u16).to_le_bytes());
    out.extend(len.to_le_bytes());
    out.extend(start.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

const XLSX_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#;
const XLSX_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;
pub(crate) const WORKSHEET: &str =
    r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#;

/// The parts of a one-sheet workbook, its sheet named `sheet_name`.
pub(crate) fn xlsx_parts(sheet_name: &str) -> Vec<Part> {
    let workbook = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    );
    vec![
        part("[Content_Types].xml", XLSX_TYPES),
        part("_rels/.rels", XLSX_RELS),
        part("xl/workbook.xml", workbook),
        part("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
    ]
}

/// A one-sheet workbook whose sheet holds `inside` (`<sheetData>`…).
fn xlsx(inside: &str) -> Vec<u8> {
    xlsx_named("Questionnaire", inside)
}

fn xlsx_named(sheet_name: &str, inside: &str) -> Vec<u8> {
    let mut parts = xlsx_parts(sheet_name);
    parts.push(part(
        "xl/worksheets/sheet1.xml",
        format!(r#"<?xml version="1.0" encoding="UTF-8"?>{WORKSHEET}{inside}</worksheet>"#),
    ));
    zip(&parts)
}

/// An inline-string cell.
pub(crate) fn s(r: &str, text: &str) -> String {
    format!(r#"<c r="{r}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// A row of inline strings from column A.
pub(crate) fn row(n: u32, texts: &[&str]) -> String {
    let cells: String = texts
        .iter()
        .enumerate()
        .map(|(i, t)| s(&format!("{}{n}", char::from(b'A' + i as u8)), t))
        .collect();
    format!(r#"<row r="{n}">{cells}</row>"#)
}

/// `<sheetData>` with the header row (ID, Réponse, comment) and `rows`.
fn answers(rows: &[String]) -> String {
    let header = row(1, &["ID", "Réponse", "Justification / commentaire"]);
    format!("<sheetData>{header}{}</sheetData>", rows.concat())
}

/// A workbook whose one shared string of 700,000 characters fills the
/// answer cell of `cells` rows, the sheet named `sheets` times.
fn giant_string(cells: u32, sheets: usize) -> Vec<u8> {
    let giant = "a".repeat(700_000);
    let rows: String = (0..cells)
        .map(|i| {
            let n = i + 2;
            format!(
                r#"<row r="{n}">{}<c r="B{n}" t="s"><v>0</v></c></row>"#,
                s(&format!("A{n}"), &format!("BIO-{:02}", i % 13 + 1))
            )
        })
        .collect();
    let names: String = (0..sheets)
        .map(|i| {
            format!(
                r#"<sheet name="Questionnaire {i}" sheetId="{}" r:id="rId1"/>"#,
                i + 1
            )
        })
        .collect();
    let parts = [
        part("[Content_Types].xml", XLSX_TYPES),
        part("_rels/.rels", XLSX_RELS),
        part(
            "xl/workbook.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{names}</sheets></workbook>"#
            ),
        ),
        part("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        part(
            "xl/sharedStrings.xml",
            format!(
                r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>{giant}</t></si></sst>"#
            ),
        ),
        part(
            "xl/worksheets/sheet1.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?>{WORKSHEET}<sheetData>{}{rows}</sheetData></worksheet>"#,
                row(1, &["ID", "Réponse"])
            ),
        ),
    ];
    zip(&parts)
}

const ODS_MIMETYPE: &str = "application/vnd.oasis.opendocument.spreadsheet";
const ODS_MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
const ODS_HEAD: &str = r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="Questionnaire">"#;
const ODS_TAIL: &str =
    "</table:table></office:spreadsheet></office:body></office:document-content>";

/// An ODS package whose `content.xml` is `content`.
fn ods_package(content: Part) -> Vec<u8> {
    zip(&[
        part("mimetype", ODS_MIMETYPE),
        part("META-INF/manifest.xml", ODS_MANIFEST),
        content,
    ])
}

/// An ODS whose table holds `rows` (after an optional `prolog`, e.g. a DTD).
fn ods(prolog: &str, rows: &str) -> Vec<u8> {
    let content =
        format!(r#"<?xml version="1.0" encoding="UTF-8"?>{prolog}{ODS_HEAD}{rows}{ODS_TAIL}"#);
    ods_package(part("content.xml", content))
}

fn ods_cell(text: &str) -> String {
    format!(
        r#"<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>"#
    )
}

fn ods_row(texts: &[&str]) -> String {
    let cells: String = texts.iter().map(|t| ods_cell(t)).collect();
    format!("<table:table-row>{cells}</table:table-row>")
}

pub(crate) const DOCX_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
pub(crate) const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A DOCX whose body is `body` (after an optional `prolog`).
fn docx(prolog: &str, body: &str) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>{prolog}<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>"#
    );
    zip(&[
        part("[Content_Types].xml", DOCX_TYPES),
        part("word/document.xml", document),
    ])
}

/// A Word table of `rows` of texts.
pub(crate) fn docx_table(rows: &[&[&str]]) -> String {
    let tr = |cells: &&[&str]| {
        let tcs: String = cells
            .iter()
            .map(|t| format!("<w:tc><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>"))
            .collect();
        format!("<w:tr>{tcs}</w:tr>")
    };
    format!("<w:tbl>{}</w:tbl>", rows.iter().map(tr).collect::<String>())
}

// ------------------------------------------------------------ the batch

/// What `check` must say about one file.
enum Expect {
    /// Refused: status `error`, the message holding this text.
    Error(&'static str),
    /// Read: status `ok`, with this integrity warning code when some.
    Read(Option<&'static str>),
}

/// The files of the batch: (name, bytes, what check must say).
fn batch(good: &[u8]) -> Vec<(&'static str, Vec<u8>, Expect)> {
    use Expect::*;
    let header = row(1, &["ID", "Réponse"]);
    let answered = row(2, &["BIO-01", "Non"]);
    let sheet = |extra: &str| format!("<sheetData>{header}{answered}{extra}</sheetData>");
    let mut files = vec![
        // Good files: the questionnaire as issued (nothing answered yet), a
        // LibreOffice-like ODS with its trailing empty rows and columns
        // repeated over the whole sheet, a Word answer table.
        ("offre-vierge.xlsx", good.to_vec(), Read(None)),
        (
            "offre.ods",
            ods(
                "",
                &format!(
                    r#"<table:table-column table:number-columns-repeated="16384"/>{}{}<table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#,
                    ods_row(&["ID", "Réponse"]),
                    ods_row(&["BIO-01", "Non"]),
                ),
            ),
            Read(None),
        ),
        (
            "offre.docx",
            docx("", &docx_table(&[&["ID", "Réponse"], &["BIO-01", "Non"]])),
            Read(None),
        ),
        // Not office files at all.
        ("vide.xlsx", Vec::new(), Error("the file is empty")),
        ("bruit.xlsx", noise(50_000, 2026), Error("neither an XLSX")),
        ("bruit.ods", noise(3_000, 2026), Error("neither an XLSX")),
        ("bruit.docx", noise(700, 2026), Error("neither an XLSX")),
        (
            "export.xlsx",
            "ID;Réponse\nBIO-01;Non\n".as_bytes().to_vec(),
            Error("neither an XLSX"),
        ),
        (
            "tronque.xlsx",
            good[..good.len() / 2].to_vec(),
            Error("damaged or truncated zip"),
        ),
        // Zip bombs of 1–2 MB: 2 GiB of shared strings declared as such; a
        // sheet of 2 GiB declaring 10 KB (zip enforces declared sizes); a
        // 2 GiB Word document; an ODS content of 1 GiB declaring 10 KB.
        (
            "bombe-chaines.xlsx",
            {
                let (stream, size) =
                    deflate_repeat("<sst><si><t>", "a", 2 * GIB, "</t></si></sst>");
                let mut parts = xlsx_parts("Questionnaire");
                parts.push(part(
                    "xl/worksheets/sheet1.xml",
                    format!("{WORKSHEET}{}</worksheet>", sheet("")),
                ));
                parts.push(bomb("xl/sharedStrings.xml", stream, size));
                zip(&parts)
            },
            Error("would expand to 2,147,"),
        ),
        (
            "bombe-menteuse.xlsx",
            {
                let (stream, _) = deflate_repeat(
                    &format!(
                        r#"{WORKSHEET}<sheetData>{header}<row r="2"><c r="B2" t="inlineStr"><is><t>"#
                    ),
                    "a",
                    2 * GIB,
                    "</t></is></c></row></sheetData></worksheet>",
                );
                let mut parts = xlsx_parts("Questionnaire");
                parts.push(bomb("xl/worksheets/sheet1.xml", stream, 10_000));
                zip(&parts)
            },
            Error("larger than its declared uncompressed size"),
        ),
        (
            "bombe.docx",
            {
                let (stream, size) = deflate_repeat(
                    &format!(r#"<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>"#),
                    "x",
                    2 * GIB,
                    "</w:t></w:r></w:p></w:body></w:document>",
                );
                zip(&[
                    part("[Content_Types].xml", DOCX_TYPES),
                    bomb("word/document.xml", stream, size),
                ])
            },
            Error("would expand to 2,147,"),
        ),
        (
            "bombe.ods",
            {
                let (stream, _) = deflate_repeat(
                    &format!(
                        r#"{ODS_HEAD}<table:table-row><table:table-cell office:value-type="string"><text:p>"#
                    ),
                    "a",
                    GIB,
                    &format!("</text:p></table:table-cell></table:table-row>{ODS_TAIL}"),
                );
                ods_package(bomb("content.xml", stream, 10_000))
            },
            Error("larger than its declared uncompressed size"),
        ),
        // Entity expansion ("billion laughs") and an external entity: no
        // DTD is ever honoured.
        (
            "entites.xlsx",
            {
                let dtd = r#"<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>"#;
                let mut parts = xlsx_parts("Questionnaire");
                let cells = format!(
                    "<sheetData>{header}<row r=\"2\">{}{}</row></sheetData>",
                    s("A2", "BIO-01"),
                    s("B2", "&c;")
                );
                parts.push(part(
                    "xl/worksheets/sheet1.xml",
                    format!("{dtd}{WORKSHEET}{cells}</worksheet>"),
                ));
                zip(&parts)
            },
            Error("declares a DTD"),
        ),
        (
            "externe.xlsx",
            {
                let dtd = r#"<!DOCTYPE sst [<!ENTITY e SYSTEM "file:///etc/passwd">]>"#;
                let strings =
                    format!(r#"{dtd}<sst count="1" uniqueCount="1"><si><t>&e;</t></si></sst>"#);
                let mut parts = xlsx_parts("Questionnaire");
                let cells = format!(
                    r#"<sheetData>{header}<row r="2">{}<c r="B2" t="s"><v>0</v></c></row></sheetData>"#,
                    s("A2", "BIO-01")
                );
                parts.push(part(
                    "xl/worksheets/sheet1.xml",
                    format!("{WORKSHEET}{cells}</worksheet>"),
                ));
                parts.push(part("xl/sharedStrings.xml", strings));
                zip(&parts)
            },
            Error("declares a DTD"),
        ),
        (
            "entites.ods",
            ods(
                r#"<!DOCTYPE office:document-content [<!ENTITY a "aaaaaaaaaa"><!ENTITY c "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>"#,
                &ods_row(&["ID", "Réponse", "&c;"]),
            ),
            Error("unrecognized entity"),
        ),
        (
            "externe.docx",
            docx(
                r#"<!DOCTYPE w:document [<!ENTITY e SYSTEM "file:///etc/passwd">]>"#,
                &docx_table(&[&["ID", "Réponse"], &["BIO-01", "&e;"]]),
            ),
            Error("DOCTYPE"),
        ),
        // Encrypted, and OLE garbage (named .xls: read in the child process).
        (
            "chiffre.xlsx",
            cfb(&["EncryptionInfo", "EncryptedPackage"], CFB_END),
            Error("encrypted"),
        ),
        (
            "ole.xls",
            [&cfb(&[], CFB_END)[..8], &noise(40_000, 2026)].concat(),
            Error("cannot be opened"),
        ),
        (
            "sans-questionnaire.xlsx",
            xlsx(&format!("<sheetData>{}</sheetData>", row(1, &["Bonjour"]))),
            Error("no questionnaire inside"),
        ),
        // A sheet of 4 million rows (a 300 KB file), cells at the far
        // corner, a reversed range.
        (
            "millions.xlsx",
            {
                let (stream, size) = deflate_repeat(
                    &format!("{WORKSHEET}<sheetData>{header}{answered}"),
                    "<row><c><v>1</v></c></row>",
                    4_000_000 * 27,
                    "</sheetData></worksheet>",
                );
                let mut parts = xlsx_parts("Questionnaire");
                // declared smaller than it is (20 MiB of its 108 MB): an honest
                // size would be refused for its compression ratio first
                assert!(size > 100 << 20);
                parts.push(bomb("xl/worksheets/sheet1.xml", stream, 20 << 20));
                zip(&parts)
            },
            Error("the limit is 5,000 rows"),
        ),
        (
            "coin.xlsx",
            xlsx(&sheet(&format!(
                r#"<row r="1048576">{}</row>"#,
                s("XFD1048576", "x")
            ))),
            Error("XFD1048576"),
        ),
        (
            "inverse.xlsx",
            xlsx(&format!(r#"<dimension ref="C9:A1"/>{}"#, sheet(""))),
            Error("reversed range C9:A1"),
        ),
        // A 700 KB file whose one string of 700,000 characters fills 87
        // answer cells: 61 MB of answers, once in every report. Then 20
        // such cells on a sheet the workbook names 59 times: 840 MB.
        (
            "chaine-geante.xlsx",
            giant_string(87, 1),
            Error("copies more than 16 MiB of text"),
        ),
        (
            "feuille-59-fois.xlsx",
            giant_string(20, 59),
            Error("hold more than 16 MiB of text together"),
        ),
        // ODS rows and columns with content repeated millions of times.
        (
            "repete.ods",
            ods(
                "",
                &format!(
                    r#"{}<table:table-row table:number-rows-repeated="4000000"><table:table-cell table:number-columns-repeated="2000000" office:value-type="string"><text:p>Oui</text:p></table:table-cell></table:table-row>"#,
                    ods_row(&["ID", "Réponse"])
                ),
            ),
            Error("4,000,000 rows × 2,000,000 columns"),
        ),
        // Word tables nested a thousand deep.
        (
            "imbrique.docx",
            docx(
                "",
                &format!(
                    "{}<w:p/>{}",
                    "<w:tbl><w:tr><w:tc>".repeat(1_000),
                    "</w:tc></w:tr></w:tbl>".repeat(1_000)
                ),
            ),
            Error("nested more than 256 deep"),
        ),
        // What a real vendor may do: read, never refused. A formula in an
        // answer cell and an id answered twice are warned about; merged
        // cells, sheet names in other scripts and 32,767-character cells
        // read as they are, with nothing to warn about (boussole has no
        // warning for them).
        (
            "formule.xlsx",
            xlsx(&format!(
                r#"<sheetData>{header}<row r="2">{}<c r="B2" t="str"><f>IF(1,"Non","Oui")</f><v>Non</v></c></row></sheetData>"#,
                s("A2", "BIO-01")
            )),
            Read(Some("formula_answer")),
        ),
        (
            "fusion.xlsx",
            xlsx(&format!(
                r#"{}<mergeCells count="2"><mergeCell ref="B2:C2"/><mergeCell ref="A3:C4"/></mergeCells>"#,
                answers(&[row(2, &["BIO-01", "Non"]), row(3, &["BIO-02", "Non"])])
            )),
            Read(None),
        ),
        (
            "ecritures.xlsx",
            xlsx_named(
                "问卷 アンケート استبيان Ερωτηματολόγιο 🧭",
                &answers(&[row(2, &["BIO-01", "Non"])]),
            ),
            Read(None),
        ),
        (
            "long.xlsx",
            xlsx(&answers(&[row(
                2,
                &[
                    "BIO-10",
                    &format!("{}données", "données ".repeat(4_095)),
                    &"é".repeat(32_767),
                ],
            )])),
            Read(None),
        ),
        // One answer of 700,000 characters: cut where Excel would, warned.
        (
            "cellule-geante.xlsx",
            giant_string(1, 1),
            Read(Some("text_cut")),
        ),
        (
            "doublon.xlsx",
            xlsx(&answers(&[
                row(2, &["BIO-01", "Non"]),
                row(3, &["BIO-01", "Oui"]),
            ])),
            Read(Some("duplicate_question")),
        ),
        // Deeply nested XML inside a cell: refused, as in every XML part
        // boussole reads itself (no questionnaire nests 256 elements).
        (
            "profond.xlsx",
            xlsx(&format!(
                r#"<sheetData>{header}<row r="2">{}<c r="B2" t="inlineStr"><is>{}<t>Non</t>{}</is></c></row></sheetData>"#,
                s("A2", "BIO-01"),
                "<r>".repeat(100_000),
                "</r>".repeat(100_000)
            )),
            Error("nested more than 256 deep"),
        ),
        // Deeply nested XML in an ODS: refused too, as every element's name
        // is kept until it closes (see the ODS regressions below).
        (
            "profond.ods",
            ods(
                "",
                &format!(
                    "{}<table:table-row>{}<table:table-cell office:value-type=\"string\"><text:p>{}Non{}</text:p></table:table-cell></table:table-row>",
                    ods_row(&["ID", "Réponse"]),
                    ods_cell("BIO-01"),
                    "<text:span>".repeat(100_000),
                    "</text:span>".repeat(100_000)
                ),
            ),
            Error("nested more than 256 deep"),
        ),
    ];
    // Fuzzing (target `ods`, timeout-514daa36): calamine's ODS reader waits
    // for a table's or an annotation's end tag by name and loops forever when
    // the part ends first; each of these hung `check`, whole batch included.
    let rows = format!(
        "{}{}",
        ods_row(&["ID", "Réponse"]),
        ods_row(&["BIO-01", "Non"])
    );
    let whole = format!(r#"<?xml version="1.0" encoding="UTF-8"?>{ODS_HEAD}{rows}{ODS_TAIL}"#);
    let cut = &whole[..whole.find("</table:table>").unwrap()];
    let annotation = whole.replace(
        "<text:p>Non</text:p>",
        "<office:annotation><text:p>note</text:p>",
    );
    let annotation = &annotation[..annotation.find("</table:table-row></table:table>").unwrap()];
    for (name, content, phrase) in [
        (
            "ods-tronque.ods",
            cut.to_string(),
            "ends before its elements close",
        ),
        (
            "ods-balise.ods",
            whole.replace("</table:table>", "</table:tablé>"),
            "</table:tablé> does not close <table:table>",
        ),
        (
            "ods-annotation.ods",
            annotation.to_string(),
            "</table:table-cell> does not close <office:annotation>",
        ),
    ] {
        files.push((
            name,
            ods_package(part("content.xml", content)),
            Error(phrase),
        ));
    }
    // The fuzzers' findings: separators alone for a multiple choice and a
    // country list, and a number cell holding infinity (`1e999`), all
    // passed their rules before.
    files.push((
        "separateurs.xlsx",
        xlsx(&format!(
            r#"<sheetData>{header}{}{}<row r="4">{}<c r="B4"><v>1e999</v></c></row></sheetData>"#,
            row(2, &["BIO-07", ";"]),
            row(3, &["SOV-05", " , ,"]),
            s("A4", "AGT-01")
        )),
        Read(None),
    ));
    files
}

/// Runs `boussole` with `args` in `dir`, sampling its peak resident memory
/// (VmHWM) while it runs: (exit status, stdout, stderr, peak bytes, time).
pub(crate) fn run_sampled(dir: &Path, args: &[&str]) -> (i32, String, String, u64, Duration) {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_boussole"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the boussole binary runs");
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        out.read_to_string(&mut s).map(|_| s)
    });
    let errors = std::thread::spawn(move || {
        let mut s = String::new();
        err.read_to_string(&mut s).map(|_| s)
    });
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    let status = loop {
        if let Some(hwm) = std::fs::read_to_string(&status_file)
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmHWM:"))
                    .map(String::from)
            })
            .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        {
            peak = peak.max(hwm * 1024);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > BATCH_TIME * 2 {
            let _ = child.kill();
            panic!("boussole check ran for more than {:?}", BATCH_TIME * 2);
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let took = start.elapsed();
    let stdout = reader.join().unwrap().unwrap();
    let stderr = errors.join().unwrap().unwrap();
    (status.code().unwrap_or(-1), stdout, stderr, peak, took)
}

#[test]
fn a_batch_of_hostile_files_is_checked_file_by_file_within_bounds() {
    let dir = tempfile::tempdir().unwrap();
    let run = boussole_in(dir.path(), &["questionnaire", "-o", "questionnaire.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let good = std::fs::read(dir.path().join("questionnaire.xlsx")).unwrap();
    let offers = dir.path().join("offres");
    std::fs::create_dir(&offers).unwrap();
    let files = batch(&good);
    for (name, bytes, _) in &files {
        std::fs::write(offers.join(name), bytes).unwrap();
    }
    let largest = files.iter().map(|f| f.1.len()).max().unwrap();
    assert!(largest < 3 << 20, "a crafted file of {largest} bytes");
    // A text file given by name is checked too (a folder would skip it).
    std::fs::write(dir.path().join("lisez-moi.txt"), "Voir offre.xlsx").unwrap();

    let args = [
        "check",
        "--lock",
        "questionnaire.xlsx.boussole.lock",
        "--format",
        "json",
        "--jobs",
        "2",
        "offres",
        "lisez-moi.txt",
    ];
    let (code, stdout, stderr, peak, took) = run_sampled(dir.path(), &args);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("memory allocation"), "{stderr}");
    assert_eq!(code, 2, "a file in error; no abort\n{stderr}");
    assert!(took < BATCH_TIME, "the batch took {took:?}");
    assert!(peak < BATCH_MEMORY, "peak memory {} MB", peak >> 20);

    let report: Value = serde_json::from_str(&stdout).unwrap();
    let results = report["results"].as_array().unwrap();
    assert_eq!(results.len(), files.len() + 1, "one result per file");
    let result = |name: &str| {
        results
            .iter()
            .find(|r| r["file"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("no result for {name}"))
    };
    let text = result("lisez-moi.txt");
    assert_eq!(text["status"], "error");
    assert!(text["error"].as_str().unwrap().contains("neither an XLSX"));
    eprintln!(
        "batch of {} files: {took:?}, peak {} MB",
        files.len() + 1,
        peak >> 20
    );
    for (name, _, expect) in &files {
        let r = result(name);
        eprintln!("{name:>24}: {} {}", r["status"], r["error"]);
        match expect {
            Expect::Error(phrase) => {
                assert_eq!(r["status"], "error", "{name}: {r}");
                let error = r["error"].as_str().unwrap();
                assert!(error.contains(phrase), "{name}: {error}");
            }
            Expect::Read(warning) => {
                assert_eq!(r["status"], "ok", "{name}: {}", r["error"]);
                let codes: Vec<&str> = r["integrity"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i["code"].as_str().unwrap())
                    .collect();
                if let Some(w) = warning {
                    assert!(codes.contains(w), "{name}: {codes:?}");
                }
            }
        }
    }
    assert!(!stdout.contains("root:"), "an external entity was read");

    // What the warned files hold, as read.
    let question = |file: &str, id: &str| -> Value {
        result(file)["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("{file}: no {id}"))
    };
    assert_eq!(question("formule.xlsx", "BIO-01")["status"], "pass");
    assert_eq!(question("fusion.xlsx", "BIO-02")["status"], "pass");
    assert_eq!(question("ecritures.xlsx", "BIO-01")["status"], "pass");
    assert_eq!(question("offre.ods", "BIO-01")["status"], "pass");
    assert_eq!(question("offre.docx", "BIO-01")["status"], "pass");
    // A required document's summary has no rule: read whole, kept as information.
    let long = question("long.xlsx", "BIO-10");
    assert_eq!(long["status"], "info");
    assert_eq!(long["raw"].as_str().unwrap().chars().count(), 32_767);
    // A giant answer: kept whole as read up to a cell's 32,767 characters,
    // shown cut with a mark, quoted in its message cut shorter still.
    let giant = question("cellule-geante.xlsx", "BIO-01");
    assert_eq!(giant["raw"].as_str().unwrap().chars().count(), 32_767);
    let warned = result("cellule-geante.xlsx")["integrity"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "text_cut")
        .unwrap()
        .clone();
    assert_eq!(
        warned["message"],
        "la réponse à BIO-01 (Questionnaire 0!B2) compte 700\u{202f}000 caractères ; seuls les 32\u{202f}767 premiers sont lus"
    );
    let finding = result("cellule-geante.xlsx")["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["question"] == "BIO-01")
        .unwrap()
        .clone();
    let shown = finding["answer"].as_str().unwrap();
    assert!(shown.chars().count() < 2_100, "{} characters", shown.len());
    assert!(shown.ends_with(
        "(texte coupé après 2000\u{a0}caractères\u{a0}; le texte entier est dans l’offre)"
    ));
    assert!(finding["message"].as_str().unwrap().chars().count() < 400);
    for id in ["BIO-07", "SOV-05", "AGT-01"] {
        let q = question("separateurs.xlsx", id);
        assert_eq!(q["status"], "invalid", "{id}: {q}");
    }
}

// ------------------------------------------------------------ normalisers

/// Regressions found by `fuzz/` (targets `normalise`, `normalise_cell`):
/// each input used to be accepted as a valid answer.
#[test]
fn fuzzer_findings_are_invalid_answers() {
    let none: Vec<boussole::library::Choice> = Vec::new();
    let spec = |kind, unit| Spec {
        kind,
        unit,
        choices: &none,
    };
    // normalise crash-872b96f2: a country list of separators only
    for raw in [" ,,", ";", ", ;\n,"] {
        let got = normalise(spec(AnswerType::Country, None), raw);
        assert_eq!(got, Err(Invalid::Unreadable(raw.trim().into())), "{raw:?}");
    }
    let yes_no = Question::yes_no_choices();
    let multi = Spec {
        kind: AnswerType::MultiChoice,
        unit: None,
        choices: &yes_no,
    };
    assert!(matches!(
        normalise(multi, " ;; "),
        Err(Invalid::Unreadable(_))
    ));
    // normalise_cell: a number cell holding infinity or NaN answers nothing
    for value in [f64::INFINITY, f64::NEG_INFINITY, f64::NAN, 1e307] {
        let cell = Cell::Number {
            value,
            percent: value == 1e307,
        };
        for kind in [AnswerType::Number, AnswerType::Percent, AnswerType::Text] {
            let got = normalise_cell(spec(kind, Some("hours")), &cell);
            assert!(
                matches!(got, Err(Invalid::Unreadable(_))),
                "{value} {kind:?}: {got:?}"
            );
        }
    }
    // normalise: a unit conversion past f64's range
    let huge = format!("1{} GWh", "0".repeat(300));
    let got = normalise(spec(AnswerType::Number, Some("Wh")), &huge);
    assert_eq!(got, Err(Invalid::Unreadable(huge.clone())));
}
