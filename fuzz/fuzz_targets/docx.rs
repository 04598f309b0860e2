//! A DOCX document built from fuzzed parts, read by `read::read_bytes`:
//! the zip checks and boussole's own Word reader (tables, spans, tracked
//! changes, entities, depth) and its custom properties.
//!
//! Input: `word/document.xml 0xFF docProps/custom.xml` (the second optional).
#![no_main]

use boussole_fuzz::*;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    init();
    let p = parts(data);
    let mut files: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", DOCX_TYPES.as_bytes()),
        ("word/document.xml", p[0]),
    ];
    if let Some(custom) = p.get(1) {
        files.push(("docProps/custom.xml", custom));
    }
    let _ = boussole::response::read::read_bytes(&package(&files));
});
