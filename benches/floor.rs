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
//! cargo bench --bench floor -- [--jobs N] FILE_OR_DIR...
//! ```
//!
//! Prints one JSON line: files, parts, inflated bytes, seconds.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

fn main() {
    let mut jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--jobs" => jobs = args.next().and_then(|n| n.parse().ok()).unwrap_or(jobs),
            "--bench" => {} // passed by `cargo bench`
            _ => collect(Path::new(&arg), &mut files),
        }
    }
    files.sort();
    let started = Instant::now();
    let next = AtomicUsize::new(0);
    let parts = AtomicU64::new(0);
    let bytes = AtomicU64::new(0);
    std::thread::scope(|s| {
        for _ in 0..jobs.clamp(1, files.len().max(1)) {
            s.spawn(|| {
                let mut buf = Vec::new();
                while let Some(path) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let (p, b) = inflate_all(path, &mut buf);
                    parts.fetch_add(p, Ordering::Relaxed);
                    bytes.fetch_add(b, Ordering::Relaxed);
                }
            });
        }
    });
    println!(
        "{{\"files\": {}, \"parts\": {}, \"bytes\": {}, \"seconds\": {:.6}, \"jobs\": {jobs}}}",
        files.len(),
        parts.into_inner(),
        bytes.into_inner(),
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

/// Reads the file and inflates each of its parts into `buf`: (parts, bytes).
/// A file that is no zip package counts for nothing.
fn inflate_all(path: &Path, buf: &mut Vec<u8>) -> (u64, u64) {
    let Ok(data) = std::fs::read(path) else {
        return (0, 0);
    };
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(data)) else {
        return (0, 0);
    };
    let (mut parts, mut bytes) = (0, 0);
    for i in 0..zip.len() {
        let Ok(mut entry) = zip.by_index(i) else {
            continue;
        };
        buf.clear();
        if entry.read_to_end(buf).is_ok() {
            parts += 1;
            bytes += buf.len() as u64;
        }
    }
    (parts, bytes)
}
