//! An XLSX workbook built from fuzzed parts, read by `read::read_bytes`:
//! the zip checks, boussole's XLSX reader (shared strings, styles,
//! positions, ranges, formulas, each bounded as it is read), and the
//! questionnaire reader.
//!
//! Input: `sheet1.xml 0xFF sharedStrings.xml 0xFF styles.xml 0xFF
//! sheet2.xml 0xFF workbook.xml`; a missing part is left out of the
//! package, a missing workbook replaced by one naming both sheets.
#![no_main]

use boussole_fuzz::*;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    init();
    let p = parts(data);
    let mut files: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", XLSX_TYPES.as_bytes()),
        ("_rels/.rels", XLSX_RELS.as_bytes()),
        ("xl/_rels/workbook.xml.rels", XLSX_WORKBOOK_RELS.as_bytes()),
        (
            "xl/workbook.xml",
            p.get(4).copied().unwrap_or(XLSX_WORKBOOK.as_bytes()),
        ),
    ];
    let names = [
        "xl/worksheets/sheet1.xml",
        "xl/sharedStrings.xml",
        "xl/styles.xml",
        "xl/worksheets/sheet2.xml",
    ];
    files.extend(names.iter().zip(&p).map(|(n, d)| (*n, *d)));
    let _ = boussole::response::read::read_bytes(&package(&files));
});
