//! A returned office file's package (XLSX, XLSM, ODS, DOCX are zip
//! archives), opened once: its entries checked before any part is
//! inflated ([`entries`]), then lent to the reader of
//! its format. Also what every package may carry: small parts read to tell
//! formats apart, and boussole's custom document properties.

use std::io::{Cursor, Read, Seek};

use zip::{CompressionMethod, ZipArchive};

use super::bounds::{
    MAX_ENTRIES, MAX_ENTRY_SIZE, MAX_RATIO, MAX_SNIFF_PART, MAX_TOTAL_SIZE, RATIO_FLOOR, thousands,
};
use super::shape::{add_metadata, is_question_id};
use super::xml::{Ev, attr, walk};
use super::{Metadata, ReadError};

/// A package read from memory.
pub type Package<'a> = ZipArchive<Cursor<&'a [u8]>>;

/// The package over `bytes`, its entries checked by [`entries`].
pub fn open(bytes: &[u8]) -> Result<Package<'_>, ReadError> {
    let zip = ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ReadError::Malformed(format!("damaged or truncated zip package ({e})")))?;
    entries(&zip)?;
    Ok(zip)
}

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
            .map_err(|e| ReadError::damaged(&format!("#{i}"), e))?;
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

/// The text of a small entry, when there (at most [`MAX_SNIFF_PART`] read).
pub fn small_part<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    name: &str,
) -> Result<Option<String>, ReadError> {
    let mut entry = match zip.by_name(name) {
        Ok(e) => e,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(ReadError::damaged(name, e)),
    };
    let mut bytes = Vec::new();
    let declared = entry.size().min(MAX_SNIFF_PART);
    let len = super::xml::inflate_whole(&mut entry, declared, MAX_SNIFF_PART - 1, &mut bytes)
        .map_err(|e| ReadError::damaged(name, e))?;
    Ok(Some(String::from_utf8_lossy(&bytes[..len]).into_owned()))
}

/// The `boussole.*` custom document properties (`docProps/custom.xml`), or
/// `None` when there are none: `boussole.q.<ID>` are question hashes, the
/// others values named without their `boussole.` prefix.
pub fn custom_properties<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
) -> Result<Option<Metadata>, ReadError> {
    let Some(i) = zip.index_for_name("docProps/custom.xml") else {
        return Ok(None);
    };
    let mut pairs = Vec::new();
    let mut current: Option<(String, String)> = None;
    walk(zip, i, "docProps/custom.xml", |e| {
        match e {
            Ev::Start("property", s) => {
                current = Some((
                    attr(s, "name").unwrap_or_default().into_owned(),
                    String::new(),
                ))
            }
            Ev::End("property") => pairs.extend(current.take()),
            Ev::Text(t) => {
                if let Some((_, value)) = &mut current {
                    value.push_str(t);
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    let mut meta = Metadata::default();
    for (name, value) in pairs {
        let Some(key) = name.strip_prefix("boussole.") else {
            continue;
        };
        match key.strip_prefix("q.") {
            Some(id) if is_question_id(id) => add_metadata(&mut meta, id, value),
            _ => {
                meta.values
                    .insert(key.to_string(), value.trim().to_string());
            }
        }
    }
    Ok((meta != Metadata::default()).then_some(meta))
}
