//! The committed examples trace to the embedded library: each names its hash.

use std::io::Read;

use crate::support::*;

/// Every part of a file as text (the file itself when it is not a zip package).
fn text_of(path: &std::path::Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())) else {
        return String::from_utf8_lossy(&bytes).into_owned();
    };
    let mut all = String::new();
    for i in 0..zip.len() {
        let mut part = String::new();
        if zip.by_index(i).unwrap().read_to_string(&mut part).is_ok() {
            all.push_str(&part);
        }
    }
    all
}

#[test]
fn every_example_was_made_from_the_embedded_library() {
    let hash = boussole::library::load(None).unwrap().hash;
    let mut files = Vec::new();
    for dir in ["examples", "examples/lettres"] {
        for e in std::fs::read_dir(root().join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.is_file() {
                files.push(p);
            }
        }
    }
    assert!(files.len() >= 15, "{files:?}");
    for f in files {
        assert!(
            text_of(&f).contains(&hash),
            "{} was not made from the embedded library {hash}: regenerate the examples (README, \"examples/\")",
            f.display()
        );
    }
}
