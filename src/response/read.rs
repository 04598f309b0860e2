//! Opening a returned file, the way down every reader takes: cap its size,
//! sniff its format from its bytes, open its package once, hand it to the
//! reader of its format, and never let a crafted file take the process down.
//!
//! ```text
//! bytes ─ sniff ─┬─ zip: package::open ─┬─ sheet ─ xlsx (XLSX, XLSM: one pass, bounded)
//!                │                      ├─ prescan::ods ─ sheet (ODS, calamine)
//!                │                      └─ docx
//!                └─ CFB: prescan::cfb ─ sheet (XLS, calamine, in a child: sandbox)
//!       ─ Response (rows, identity, metadata) ─ cut::long_texts
//! ```
//!
//! Every reader matches the questionnaire by [`super::shape`] and stays
//! within [`super::bounds`].
//!
//! Deliberately refused here: files over [`MAX_FILE_SIZE`], formats told only
//! by their extension (the bytes decide), zip archives that are not office
//! documents, and any panic of a parser (turned into [`ReadError::Malformed`]).

use std::io::{Cursor, Read, Seek};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use zip::ZipArchive;

use super::bounds::{MAX_FILE_SIZE, thousands};
use super::package::{self, Package, small_part};
use super::{FileFormat, ReadError, Response, docx, prescan, sandbox, sheet};

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
    let opened = catch_unwind(AssertUnwindSafe(|| sniff(bytes).map(|o| o.format())))
        .unwrap_or_else(|_| {
            Err(ReadError::Malformed(
                "the file's header could not be read".into(),
            ))
        })?;
    if opened == FileFormat::Xls {
        sandbox::read_in_child(exe, bytes)
    } else {
        read_bytes(bytes)
    }
}

/// Reads a returned file already in memory: sniffs its format and reads it
/// under `catch_unwind`.
pub fn read_bytes(bytes: &[u8]) -> Result<Response, ReadError> {
    let size = bytes.len() as u64;
    if size > MAX_FILE_SIZE {
        return Err(too_big(size));
    }
    let mut response = parse(bytes)?;
    let (extras, rows) = std::mem::take(&mut response.rows)
        .into_iter()
        .partition(|r| super::shape::is_extra_id(&r.id));
    response.rows = rows;
    response.extras = extras;
    super::cut::long_texts(&mut response);
    Ok(response)
}

/// The child's side of [`read_isolating_xls`] (`boussole __read`): bounds
/// itself, reads its standard input with [`read_bytes`], answers JSON.
/// Returns the exit status.
pub fn serve_child() -> u8 {
    sandbox::serve(read_bytes)
}

/// A file opened: its format, and its package when it is a zip archive.
enum Opened<'a> {
    /// XLSX, XLSM, ODS or DOCX.
    Package(FileFormat, Package<'a>),
    /// XLS, whose container's chains were checked.
    Cfb,
}

impl Opened<'_> {
    fn format(&self) -> FileFormat {
        match self {
            Opened::Package(format, _) => *format,
            Opened::Cfb => FileFormat::Xls,
        }
    }
}

/// Sniffs and reads, under `catch_unwind`.
fn parse(bytes: &[u8]) -> Result<Response, ReadError> {
    guarded(|| match sniff(bytes)? {
        Opened::Cfb => sheet::read_xls(bytes),
        Opened::Package(FileFormat::Docx, mut zip) => docx::read(&mut zip),
        Opened::Package(FileFormat::Ods, mut zip) => {
            prescan::ods(&mut zip)?;
            sheet::read_ods(bytes)
        }
        Opened::Package(format, mut zip) => sheet::read_xlsx(&mut zip, format),
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
    // room for the size the file has now (it may still grow: read to its end)
    let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
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

/// The format, from the bytes only, and the package opened. Refuses an
/// empty file, unknown magic bytes, and a zip archive that is no office
/// document boussole reads.
fn sniff(bytes: &[u8]) -> Result<Opened<'_>, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::UnknownFormat("the file is empty".into()));
    }
    if bytes.starts_with(ZIP_MAGIC) {
        let mut zip = package::open(bytes)?;
        return Ok(Opened::Package(zip_format(&mut zip)?, zip));
    }
    if bytes.starts_with(CFB_MAGIC) {
        prescan::cfb(bytes)?;
        return cfb_format(bytes).map(|_| Opened::Cfb);
    }
    Err(ReadError::UnknownFormat(
        "neither an XLSX, XLSM, ODS or DOCX package nor an Excel 97-2003 workbook".into(),
    ))
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
fn zip_format<R: Read + Seek>(zip: &mut ZipArchive<R>) -> Result<FileFormat, ReadError> {
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
