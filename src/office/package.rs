//! What every Office file shares: its entries deflated and dated
//! 1980-01-01, whatever the clock says, so that the same inputs give the
//! same bytes; and the typography of a workbook's texts, set in after
//! rust_xlsxwriter has written it.

use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use crate::text::Lang;

/// How every entry of a package is written: deflated, dated 1980-01-01.
pub fn entry_options() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
}

/// A workbook built by `built` as finished XLSX bytes: saved, then
/// typeset ([`typeset_workbook`]); any failure is an [`crate::Error::Render`]
/// naming `what`.
pub fn finish_workbook(
    what: &str,
    lang: Lang,
    built: Result<rust_xlsxwriter::Workbook, rust_xlsxwriter::XlsxError>,
) -> Result<Vec<u8>, crate::Error> {
    let fail = |message: String| crate::Error::Render {
        what: what.into(),
        message,
    };
    let raw = built
        .and_then(|mut wb| wb.save_to_buffer())
        .map_err(|e| fail(e.to_string()))?;
    typeset_workbook(raw, lang).map_err(fail)
}

/// The workbook `raw` with [`super::typography::apply`] on every text its
/// reader sees: the shared strings of the cells and the text of the charts
/// (entries kept in order, deflated, dated 1980-01-01 as written).
pub fn typeset_workbook(raw: Vec<u8>, lang: Lang) -> Result<Vec<u8>, String> {
    let text = regex::Regex::new(r"(<(?:a:)?t(?: [^>]*)?>)([^<]*)(</(?:a:)?t>)")
        .map_err(|e| e.to_string())?;
    let mut archive = ZipArchive::new(Cursor::new(raw)).map_err(|e| e.to_string())?;
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| e.to_string())?;
        let name = entry.name().map_err(|e| e.to_string())?.to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
        if name == "xl/sharedStrings.xml" || name.starts_with("xl/charts/chart") {
            let xml = String::from_utf8_lossy(&bytes);
            bytes = text
                .replace_all(&xml, |c: &regex::Captures<'_>| {
                    let body = c[2].replace("&apos;", "'");
                    format!(
                        "{}{}{}",
                        &c[1],
                        super::typography::apply(&body, lang),
                        &c[3]
                    )
                })
                .into_owned()
                .into_bytes();
        }
        out.start_file(name, entry_options())
            .map_err(|e| e.to_string())?;
        out.write_all(&bytes).map_err(|e| e.to_string())?;
    }
    Ok(out.finish().map_err(|e| e.to_string())?.into_inner())
}
