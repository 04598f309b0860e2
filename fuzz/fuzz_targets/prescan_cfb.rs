//! The Compound File Binary pre-scan (`prescan::cfb`): sector chains that
//! loop, FAT and directory sectors out of range. The input is the file
//! after its 8 magic bytes, so that every input is a CFB file.
#![no_main]

use libfuzzer_sys::fuzz_target;

const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fuzz_target!(|data: &[u8]| {
    boussole_fuzz::init();
    let bytes = [&CFB_MAGIC[..], data].concat();
    let _ = boussole::response::prescan::cfb(&bytes);
});
