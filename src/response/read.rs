//! Opening a returned file: cap its size, sniff its format from its bytes,
//! pre-scan it, read it, and never let a crafted file take the process down.
//!
//! Also the names the questionnaire layout fixes, as the readers match them:
//! the header row (`ID` and `Réponse`/`Answer`), question ids, identity
//! labels and metadata keys, shared by [`super::sheet`] and [`super::docx`].
//!
//! Deliberately refused here: files over [`MAX_FILE_SIZE`], formats told only
//! by their extension (the bytes decide), zip archives that are not office
//! documents, and any panic of a parser (turned into [`ReadError::Malformed`]).

use std::io::{Cursor, Read};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use unicode_normalization::UnicodeNormalization;
use zip::ZipArchive;

use super::{FileFormat, Identity, Metadata, ReadError, Response, docx, prescan, sheet};
use crate::questionnaire::layout::{self, IdentityField};
use crate::text::Lang;

/// Largest file read: 20 MiB.
pub const MAX_FILE_SIZE: u64 = 20 * 1024 * 1024;
/// Longest `[Content_Types].xml` or `mimetype` read to tell formats apart.
const MAX_SNIFF_PART: u64 = 1024 * 1024;

/// Magic bytes of a zip local file header.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// Magic bytes of a Compound File Binary (XLS, or encrypted OOXML).
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Reads one returned file.
///
/// Refuses files over [`MAX_FILE_SIZE`] before reading them, and anything
/// [`read_bytes`] refuses.
pub fn read(path: &Path) -> Result<Response, ReadError> {
    read_bytes(&load(path)?)
}

/// Reads one returned file, an Excel 97–2003 one in a child process `exe
/// __read` limited in memory and time (see [`super::sandbox`]).
pub fn read_isolating_xls(path: &Path, exe: &Path) -> Result<Response, ReadError> {
    read_bytes_isolating_xls(&load(path)?, exe)
}

/// As [`read_isolating_xls`], for a file already in memory.
pub fn read_bytes_isolating_xls(bytes: &[u8], exe: &Path) -> Result<Response, ReadError> {
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(too_big(bytes.len() as u64));
    }
    let format = catch_unwind(AssertUnwindSafe(|| sniff(bytes))).unwrap_or_else(|_| {
        Err(ReadError::Malformed(
            "the file's header could not be read".into(),
        ))
    })?;
    if format == FileFormat::Xls {
        super::sandbox::read_in_child(exe, bytes)
    } else {
        read_bytes(bytes)
    }
}

/// Reads a returned file already in memory: sniffs its format, pre-scans it,
/// and parses it under `catch_unwind`.
pub fn read_bytes(bytes: &[u8]) -> Result<Response, ReadError> {
    let size = bytes.len() as u64;
    if size > MAX_FILE_SIZE {
        return Err(too_big(size));
    }
    let mut response = parse(bytes)?;
    let (extras, rows) = std::mem::take(&mut response.rows)
        .into_iter()
        .partition(|r| super::is_extra_id(&r.id));
    response.rows = rows;
    response.extras = extras;
    super::cut::long_texts(&mut response);
    Ok(response)
}

/// Sniffs, pre-scans and parses, under `catch_unwind`.
fn parse(bytes: &[u8]) -> Result<Response, ReadError> {
    guarded(|| {
        let format = sniff(bytes)?;
        match format {
            FileFormat::Docx => docx::read(bytes),
            FileFormat::Xls => sheet::read_xls(bytes),
            FileFormat::Ods => {
                prescan::ods(&mut zip_archive(bytes)?)?;
                sheet::read_ods(bytes)
            }
            FileFormat::Xlsx | FileFormat::Xlsm => {
                prescan::xlsx(&mut zip_archive(bytes)?)?;
                sheet::read_xlsx(bytes, format)
            }
        }
    })
}

/// The file's bytes; refuses a file over the size cap without reading it.
fn load(path: &Path) -> Result<Vec<u8>, ReadError> {
    let io = |e: std::io::Error| ReadError::Io(format!("{}: {e}", path.display()));
    // a pipe is refused before it is opened: opening it waits for a writer
    let file = crate::input::open(path).map_err(|e| ReadError::Io(e.to_string()))?;
    let meta = file.metadata().map_err(io)?;
    if meta.len() > MAX_FILE_SIZE {
        return Err(too_big(meta.len()));
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    Ok(bytes)
}

fn too_big(size: u64) -> ReadError {
    ReadError::TooLarge(format!(
        "the file is {} bytes; the limit is {} MiB",
        thousands(size),
        MAX_FILE_SIZE / (1024 * 1024)
    ))
}

/// Runs `parse`, turning a panic into [`ReadError::Malformed`].
///
/// The panic message still goes to the panic hook (stderr): changing the
/// hook would affect every thread of the process.
fn guarded(parse: impl FnOnce() -> Result<Response, ReadError>) -> Result<Response, ReadError> {
    catch_unwind(AssertUnwindSafe(parse)).unwrap_or_else(|payload| {
        let why = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown cause".into());
        Err(ReadError::Malformed(format!(
            "the reader stopped on this file's content ({why})"
        )))
    })
}

/// The format, from the bytes only. Refuses an empty file, unknown magic
/// bytes, and a zip archive that is no office document boussole reads.
fn sniff(bytes: &[u8]) -> Result<FileFormat, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::UnknownFormat("the file is empty".into()));
    }
    if bytes.starts_with(ZIP_MAGIC) {
        return zip_format(&mut zip_archive(bytes)?);
    }
    if bytes.starts_with(CFB_MAGIC) {
        prescan::cfb(bytes)?;
        return cfb_format(bytes);
    }
    Err(ReadError::UnknownFormat(
        "neither an XLSX, XLSM, ODS or DOCX package nor an Excel 97-2003 workbook".into(),
    ))
}

/// The zip archive over `bytes`, its entries checked by [`prescan::entries`].
pub(super) fn zip_archive(bytes: &[u8]) -> Result<ZipArchive<Cursor<&[u8]>>, ReadError> {
    let zip = ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ReadError::Malformed(format!("damaged or truncated zip package ({e})")))?;
    prescan::entries(&zip)?;
    Ok(zip)
}

/// A CFB file is either an XLS workbook or an encrypted OOXML package (an
/// `EncryptedPackage` stream, which calamine's CFB reader looks for).
fn cfb_format(bytes: &[u8]) -> Result<FileFormat, ReadError> {
    use calamine::{Reader, Xlsx, XlsxError};
    match Xlsx::new(Cursor::new(bytes)) {
        Err(XlsxError::Password) => Err(ReadError::Encrypted),
        _ => Ok(FileFormat::Xls),
    }
}

/// Tells ODS, XLSX, XLSM and DOCX apart by `mimetype`, then
/// `[Content_Types].xml`, then the main part's name.
fn zip_format<R: Read + std::io::Seek>(zip: &mut ZipArchive<R>) -> Result<FileFormat, ReadError> {
    if let Some(mime) = small_part(zip, "mimetype")? {
        let mime = mime.trim();
        return match mime {
            "application/vnd.oasis.opendocument.spreadsheet" => Ok(FileFormat::Ods),
            _ => Err(ReadError::UnknownFormat(format!(
                "an OpenDocument file of type {mime}, not a spreadsheet"
            ))),
        };
    }
    let types = small_part(zip, "[Content_Types].xml")?.unwrap_or_default();
    let has = |t: &str| types.contains(t);
    if has("spreadsheetml.sheet.main+xml") || has("spreadsheetml.template.main+xml") {
        return Ok(FileFormat::Xlsx);
    }
    if has("ms-excel.sheet.macroEnabled.main+xml") || has("ms-excel.template.macroEnabled") {
        return Ok(FileFormat::Xlsm);
    }
    if has("ms-excel.sheet.binary") {
        return Err(ReadError::UnknownFormat(
            "an Excel binary workbook (XLSB); ask for an .xlsx".into(),
        ));
    }
    if has("wordprocessingml.document.main+xml") || has("ms-word.document.macroEnabled") {
        return Ok(FileFormat::Docx);
    }
    let names: Vec<String> = zip
        .file_names()
        .filter_map(Result::ok)
        .map(|n| n.to_ascii_lowercase())
        .collect();
    let named = |n: &str| names.iter().any(|x| x == n);
    if named("xl/workbook.xml") {
        Ok(FileFormat::Xlsx)
    } else if named("word/document.xml") {
        Ok(FileFormat::Docx)
    } else {
        Err(ReadError::UnknownFormat(
            "a zip archive, but not an office document".into(),
        ))
    }
}

/// The text of a small entry, when there (at most [`MAX_SNIFF_PART`] read).
fn small_part<R: Read + std::io::Seek>(
    zip: &mut ZipArchive<R>,
    name: &str,
) -> Result<Option<String>, ReadError> {
    let mut entry = match zip.by_name(name) {
        Ok(e) => e,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(damaged(name, e)),
    };
    let mut bytes = Vec::new();
    (&mut entry)
        .take(MAX_SNIFF_PART)
        .read_to_end(&mut bytes)
        .map_err(|e| damaged(name, e))?;
    Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
}

/// A zip entry that cannot be read.
pub(super) fn damaged(name: &str, e: impl std::fmt::Display) -> ReadError {
    ReadError::Malformed(format!("part {name} of the package is damaged ({e})"))
}

/// `12000` as `12,000`.
pub(super) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The letters of a 0-based column: 0 → `A`, 27 → `AB`.
pub(super) fn column_name(col: u64) -> String {
    let mut n = col.saturating_add(1);
    let mut letters = Vec::new();
    while n > 0 {
        letters.push(char::from(b'A' + ((n - 1) % 26) as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// A header or label as compared: NFC, spaces collapsed, lowercase, without
/// a trailing colon.
pub(super) fn normal(s: &str) -> String {
    let nfc: String = s.nfc().collect::<String>().to_lowercase();
    let words: Vec<&str> = nfc.split_whitespace().collect();
    words.join(" ").trim_end_matches(':').trim_end().to_string()
}

/// Whether `s`, trimmed, looks like a question id: `ABC-12`.
pub(super) fn is_question_id(s: &str) -> bool {
    let b = s.trim().as_bytes();
    b.len() == 6
        && b.iter().take(3).all(u8::is_ascii_uppercase)
        && b.get(3) == Some(&b'-')
        && b.iter().skip(4).all(u8::is_ascii_digit)
}

/// Where each field of an answer row is, by header name (never by position).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Columns {
    /// The `ID` column.
    pub id: usize,
    /// The question text, when the column is there.
    pub question: Option<usize>,
    /// The `Réponse` / `Answer` column.
    pub answer: usize,
    /// The justification or comment, when there.
    pub comment: Option<usize>,
    /// The supporting document, when there.
    pub document: Option<usize>,
}

impl Columns {
    /// The columns of a header row: one cell `ID` and one `Réponse` or
    /// `Answer`; `None` for any other row.
    pub fn from_header(cells: &[String]) -> Option<Columns> {
        // No header is longer than this: longer cells (question and help
        // texts) are not normalised at all, and a row without `ID` is left at once.
        const LONGEST_HEADER: usize = 64;
        let normalised: Vec<Option<String>> = cells
            .iter()
            .map(|c| (c.len() <= LONGEST_HEADER).then(|| normal(c)))
            .collect();
        let id = normalised.iter().position(|c| c.as_deref() == Some("id"))?;
        let find = |i: usize| {
            let wanted: Vec<String> = [Lang::Fr, Lang::En]
                .map(|l| layout::columns(l)[i])
                .into_iter()
                .chain(
                    layout::FORMER_HEADERS
                        .iter()
                        .filter(|(at, _)| *at == i)
                        .map(|(_, h)| *h),
                )
                .map(normal)
                .collect();
            normalised
                .iter()
                .position(|c| c.as_ref().is_some_and(|c| wanted.contains(c)))
        };
        let answer = find(layout::ANSWER_COLUMN)?;
        let comment = find(layout::COMMENT_COLUMN).or_else(|| {
            normalised
                .iter()
                .position(|c| c.as_ref().is_some_and(|c| c.starts_with("justification")))
        });
        Some(Columns {
            id,
            question: find(layout::QUESTION_COLUMN),
            answer,
            comment,
            document: find(layout::DOCUMENT_COLUMN),
        })
    }

    /// Whether a row of `texts` (not a question row) is an option of the
    /// multiple-choice question above it: no id, an option's label in the
    /// question column.
    pub fn is_option(&self, texts: &[String]) -> bool {
        let cell = |i: Option<usize>| i.and_then(|i| texts.get(i)).map_or("", |s| s.trim());
        cell(Some(self.id)).is_empty() && !cell(self.question).is_empty()
    }
}

/// The identity field a label names (French or English, or as
/// questionnaires issued before named it), if any.
fn identity_field(label: &str) -> Option<IdentityField> {
    let label = normal(label);
    IdentityField::ALL.into_iter().find(|f| {
        [Lang::Fr, Lang::En]
            .map(|l| f.label(l))
            .iter()
            .chain(f.former_labels())
            .any(|x| normal(x) == label)
    })
}

/// Sets identity field `field` to `value`, unless already set.
fn set_identity(identity: &mut Identity, field: IdentityField, value: String) {
    let slot = identity.slot(field);
    if slot.is_empty() {
        *slot = value.trim().to_string();
    }
}

/// The identity a grid of texts holds: each row whose first non-empty cell
/// is an identity label gives the cell to its right. Also returns how many
/// labels matched, to pick the identity sheet or table among others.
pub(super) fn identity_in(rows: &[Vec<String>]) -> (usize, Identity) {
    let mut identity = Identity::default();
    let mut matches = 0;
    for cells in rows {
        let mut rest = cells.iter().skip_while(|c| c.trim().is_empty());
        let Some(field) = rest.next().and_then(|c| identity_field(c)) else {
            continue;
        };
        matches += 1;
        set_identity(
            &mut identity,
            field,
            rest.next().cloned().unwrap_or_default(),
        );
    }
    (matches, identity)
}

/// Adds one metadata key/value pair: a question id's value is its text hash.
pub(super) fn add_metadata(meta: &mut Metadata, key: &str, value: String) {
    let key = key.trim();
    if key.is_empty() {
        return;
    }
    if is_question_id(key) {
        meta.question_hashes
            .insert(key.to_string(), value.trim().to_string());
    } else {
        meta.values
            .insert(key.to_string(), value.trim().to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_ids_and_headers() {
        assert!(is_question_id(" SOB-01\u{a0}"));
        assert!(!is_question_id("sob-01"));
        assert!(!is_question_id("SOB-1"));
        assert!(!is_question_id("SOBR-01"));
        let header: Vec<String> = [
            "ID",
            "Note",
            "Question",
            "réponse ",
            "Justification / commentaire",
        ]
        .map(String::from)
        .to_vec();
        let c = Columns::from_header(&header).unwrap();
        assert_eq!(
            (c.id, c.question, c.answer, c.comment, c.document),
            (0, Some(2), 3, Some(4), None)
        );
        assert!(Columns::from_header(&["ID".into(), "Question".into()]).is_none());
        assert_eq!(identity_field("Courriel :"), Some(IdentityField::Email));
        assert_eq!(identity_field("SIREN/SIRET"), Some(IdentityField::Siret));
        assert_eq!(identity_field("Company  name"), Some(IdentityField::Name));
        assert_eq!(thousands(12_000), "12,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(27), "AB");
        assert_eq!(column_name(16_383), "XFD");
    }
}
