//! An ODS spreadsheet whose `content.xml` is the input, read by
//! `read::read_bytes`: the zip checks, the ODS pre-scan (repeated rows,
//! columns and spaces), calamine, and the questionnaire reader.
#![no_main]

use boussole_fuzz::*;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    init();
    let files: [(&str, &[u8]); 3] = [
        ("mimetype", ODS_MIMETYPE),
        ("META-INF/manifest.xml", ODS_MANIFEST.as_bytes()),
        ("content.xml", data),
    ];
    let _ = boussole::response::read::read_bytes(&package(&files));
});
