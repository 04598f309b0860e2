//! An evidence file as its raw bytes (`evidence::read_bytes`): encoding,
//! format recognised from the content, the bounded JSON and YAML trees,
//! CodeCarbon's CSV, model cards, CycloneDX, SPDX 3, AI Energy Score and
//! ML.ENERGY. Seeds: `fixtures/evidence/`, files the tools wrote.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    boussole_fuzz::init();
    if let Ok(read) = boussole::evidence::read_bytes("fuzz", data) {
        for f in &read.facts {
            if let boussole::evidence::Claim::Energy { wh, .. } = f.claim {
                assert!(wh.is_finite() && wh >= 0.0, "energy {wh}");
            }
        }
    }
});
