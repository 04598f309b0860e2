//! The floor of `boussole check`: read every file of a batch and inflate
//! every part of each zip package, nothing else, in one process.
//!
//! No reader can do less than this for an XLSX, ODS or DOCX file, so the
//! benchmark driver (`benches/bench.py`) compares the checker's batch time
//! with it. It uses the same zip crate and inflater as boussole, and the
//! same number of threads as `boussole check` (the machine's cores, or
//! `--jobs N`).
//!
//! ```text
//! cargo bench --bench floor -- [--jobs N] [--xml] FILE_OR_DIR...
//! ```
//!
//! With `--xml`, also parses every part once with quick-xml (events read
//! and dropped): the least a reader that looks at the XML at all can do.
//!
//! Prints one JSON line: files, parts, inflated bytes, XML events, seconds.

use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::Event;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

fn main() {
    let mut jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut xml = false;
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--jobs" => jobs = args.next().and_then(|n| n.parse().ok()).unwrap_or(jobs),
            "--xml" => xml = true,
            "--bench" => {} // passed by `cargo bench`
            _ => collect(Path::new(&arg), &mut files),
        }
    }
    files.sort();
    let started = Instant::now();
    let next = AtomicUsize::new(0);
    let parts = AtomicU64::new(0);
    let bytes = AtomicU64::new(0);
    let events = AtomicU64::new(0);
    std::thread::scope(|s| {
        for _ in 0..jobs.clamp(1, files.len().max(1)) {
            s.spawn(|| {
                let (mut buf, mut scratch) = (Vec::new(), Vec::new());
                while let Some(path) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let (p, b, e) = inflate_all(path, &mut buf, xml.then_some(&mut scratch));
                    parts.fetch_add(p, Ordering::Relaxed);
                    bytes.fetch_add(b, Ordering::Relaxed);
                    events.fetch_add(e, Ordering::Relaxed);
                }
            });
        }
    });
    println!(
        "{{\"files\": {}, \"parts\": {}, \"bytes\": {}, \"events\": {}, \"seconds\": {:.6}, \"jobs\": {jobs}}}",
        files.len(),
        parts.into_inner(),
        bytes.into_inner(),
        events.into_inner(),
        started.elapsed().as_secs_f64()
    );
}

/// Files under `path` (one level for a folder), or `path` itself.
fn collect(path: &Path, files: &mut Vec<PathBuf>) {
    match std::fs::read_dir(path) {
        Ok(dir) => files.extend(dir.flatten().map(|e| e.path()).filter(|p| p.is_file())),
        Err(_) => files.push(path.to_path_buf()),
    }
}

/// Reads the file and inflates each of its parts into `buf`, parsing each
/// as XML when given a `scratch` buffer: (parts, bytes, XML events). A file
/// that is no zip package counts for nothing.
fn inflate_all(
    path: &Path,
    buf: &mut Vec<u8>,
    mut scratch: Option<&mut Vec<u8>>,
) -> (u64, u64, u64) {
    let Ok(data) = std::fs::read(path) else {
        return (0, 0, 0);
    };
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(data)) else {
        return (0, 0, 0);
    };
    let (mut parts, mut bytes, mut events) = (0, 0, 0);
    for i in 0..zip.len() {
        let Ok(mut entry) = zip.by_index(i) else {
            continue;
        };
        buf.clear();
        if entry.read_to_end(buf).is_ok() {
            parts += 1;
            bytes += buf.len() as u64;
            if let Some(scratch) = scratch.as_deref_mut() {
                events += parse(buf, scratch);
            }
        }
    }
    (parts, bytes, events)
}

/// The number of XML events in `xml` (up to the first error).
fn parse(xml: &[u8], scratch: &mut Vec<u8>) -> u64 {
    let mut reader = Reader::from_reader(xml);
    let mut n = 0;
    loop {
        scratch.clear();
        match reader.read_event_into(scratch) {
            Ok(Event::Eof) | Err(_) => return n,
            Ok(_) => n += 1,
        }
    }
}
