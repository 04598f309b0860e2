//! A returned file as its raw bytes: format sniffing, the zip checks and
//! pre-scans, then the XLSX, ODS or DOCX reader (`read::read_bytes`).
//!
//! Excel 97–2003 (CFB) inputs are skipped: calamine's XLS reader is known
//! to allocate without bound on crafted files, which is why the command
//! line reads them in a child process limited in memory and time
//! (`response::sandbox`); their container pre-scan has its own target,
//! `prescan_cfb`. Seeds: real generated files, deflated and stored.
#![no_main]

use libfuzzer_sys::fuzz_target;

const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0];

fuzz_target!(|data: &[u8]| {
    boussole_fuzz::init();
    if data.starts_with(CFB_MAGIC) {
        return;
    }
    let _ = boussole::response::read::read_bytes(data);
});
