//! Helpers shared by the fuzz targets: packages built from fuzzed parts,
//! and a panic hook that tells boussole's bugs from panics it catches.
//!
//! The readers run every parser under `catch_unwind` and turn a panic into
//! a "damaged file" error: a panic inside calamine or zip on a crafted file
//! is handled, by design. A panic in boussole's own code (a slice index, an
//! overflow — overflow checks are on in fuzz builds) is a bug even when
//! caught. libfuzzer-sys aborts on every panic, caught or not; [`init`]
//! replaces its hook so that only panics located in boussole's sources (or
//! every panic, with `FUZZ_ALL_PANICS=1`) abort and are reported as crashes.

use std::io::{Cursor, Write};
use std::sync::Once;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// Separates the parts of a structured input: a byte no UTF-8 text holds,
/// so XML seeds never contain it and mutations can move it.
pub const SEPARATOR: u8 = 0xFF;

/// Installs the panic hook described in the crate documentation (once).
pub fn init() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let libfuzzer_hook = std::panic::take_hook();
        let all = std::env::var_os("FUZZ_ALL_PANICS").is_some();
        std::panic::set_hook(Box::new(move |info| {
            let ours = info.location().is_some_and(|l| is_ours(l.file()));
            if all || ours {
                libfuzzer_hook(info); // prints, then aborts
                std::process::abort();
            }
        }));
    });
}

/// Whether a source file is boussole's (not a dependency's, not std's).
fn is_ours(file: &str) -> bool {
    !file.contains("/.cargo/registry/")
        && !file.contains("/.cargo/git/")
        && !file.contains("/rustc/")
        && !file.starts_with("library/")
}

/// The parts of a structured input, split on [`SEPARATOR`].
pub fn parts(data: &[u8]) -> Vec<&[u8]> {
    data.split(|b| *b == SEPARATOR).collect()
}

/// A zip package of `parts`, stored (not deflated: the fuzzer's mutations
/// then reach the XML the readers parse).
pub fn package(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    for (name, data) in parts {
        if zip.start_file(*name, options).is_err() || zip.write_all(data).is_err() {
            return Vec::new();
        }
    }
    zip.finish().map(Cursor::into_inner).unwrap_or_default()
}

/// `[Content_Types].xml` of an XLSX workbook.
pub const XLSX_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#;
/// `_rels/.rels` of an XLSX workbook.
pub const XLSX_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
/// The workbook used when the input has none: two sheets.
pub const XLSX_WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Questionnaire" sheetId="1" r:id="rId1"/><sheet name="_boussole" sheetId="2" r:id="rId2"/></sheets></workbook>"#;
/// `xl/_rels/workbook.xml.rels`: two sheets, shared strings and styles.
pub const XLSX_WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;

/// `mimetype` of an ODS spreadsheet.
pub const ODS_MIMETYPE: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";
/// `META-INF/manifest.xml` of an ODS spreadsheet.
pub const ODS_MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;

/// `[Content_Types].xml` of a DOCX document.
pub const DOCX_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

/// The answer types, in a fixed order (inputs pick one by index or name).
pub const ANSWER_TYPES: [boussole::library::AnswerType; 9] = {
    use boussole::library::AnswerType::*;
    [
        YesNo,
        Choice,
        MultiChoice,
        Number,
        Percent,
        Text,
        Url,
        Country,
        Date,
    ]
};

/// Checks what a normaliser may return for `spec`, whatever the input:
/// finite numbers, percentages within 0–100, ids among the choices,
/// ISO codes for countries, `yes`/`no` for yes/no questions.
pub fn check_value(
    spec: &boussole::answer::Spec<'_>,
    got: &Result<boussole::answer::Value, boussole::answer::Invalid>,
) {
    use boussole::answer::Value;
    use boussole::library::AnswerType;
    let Ok(value) = got else { return };
    let is_choice = |id: &str| spec.choices.iter().any(|c| c.id == id);
    match (spec.kind, value) {
        (AnswerType::Number, Value::Number(x)) => assert!(x.is_finite(), "number {x}"),
        (AnswerType::Percent, Value::Number(x)) => {
            assert!((0.0..=100.0).contains(x), "percent {x}")
        }
        (AnswerType::YesNo, Value::Choice(c)) => assert!(c == "yes" || c == "no", "yes/no {c}"),
        (AnswerType::Choice, Value::Choice(c)) => assert!(is_choice(c), "choice {c}"),
        (AnswerType::MultiChoice, Value::Choices(ids)) => {
            assert!(!ids.is_empty(), "no choice");
            assert!(ids.iter().all(|c| is_choice(c)), "choices {ids:?}");
        }
        (AnswerType::Country, Value::Choices(codes)) => {
            assert!(!codes.is_empty(), "no country");
            assert!(
                codes
                    .iter()
                    .all(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase())),
                "countries {codes:?}"
            );
        }
        (AnswerType::Text | AnswerType::Url, Value::Text(t)) => {
            assert!(!t.trim().is_empty(), "empty text")
        }
        (AnswerType::Date, Value::Date(_)) => {}
        (kind, value) => panic!("{kind:?} answered with {value:?}"),
    }
}
