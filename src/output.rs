//! Writing output files: never over an existing file unless asked, never half-written.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::Error;

/// Writes `bytes` to `path`: refuses to replace a file unless `force` (a
/// link, even a broken one, counts as a file), and writes a temporary file
/// beside it first, renamed into place when complete. The temporary file
/// is created new, under a name no one can guess, never through a link
/// planted beside the output.
pub fn write_file(path: &Path, bytes: &[u8], force: bool) -> Result<(), Error> {
    write_with(Some(path), force, |out, name| {
        out.write_all(bytes)
            .map_err(|e| Error::Io(name.to_path_buf(), e))
    })
}

/// A temporary file created new in `dir` (`O_EXCL`: never an existing file
/// nor through a link), under a name no one can guess: `.NAME.RANDOM.tmp`.
fn temporary(dir: &Path, name: &str) -> std::io::Result<(PathBuf, std::fs::File)> {
    let mut last = None;
    for _ in 0..16 {
        let tmp = dir.join(format!(".{name}.{:016x}.tmp", unguessable()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no temporary name left")))
}

/// A number no one can predict: the standard library's hasher keys are
/// drawn from the system's random source for each process, and change
/// with each call.
pub(crate) fn unguessable() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    if let Ok(t) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        h.write_u128(t.as_nanos());
    }
    h.finish()
}

/// Refuses an output that is one of the files read (`inputs`, folders
/// ignored): the report would replace what it was made from.
pub fn refuse_input(output: &Path, inputs: &[&Path]) -> Result<(), Error> {
    let Ok(out) = output.canonicalize() else {
        return Ok(()); // not there yet: nothing to replace
    };
    for input in inputs.iter().filter(|p| !p.is_dir()) {
        if input.canonicalize().is_ok_and(|i| i == out) {
            return Err(Error::Usage(format!(
                "{}: is also a file read ({}): the output would replace it; write it elsewhere",
                output.display(),
                input.display()
            )));
        }
    }
    Ok(())
}

/// Writes to `path`, or to standard output without one.
pub fn write(path: Option<&Path>, bytes: &[u8], force: bool) -> Result<(), Error> {
    match path {
        Some(p) => write_file(p, bytes, force),
        None => write_with(None, force, |out, name| {
            out.write_all(bytes)
                .map_err(|e| Error::Io(name.to_path_buf(), e))
        }),
    }
}

/// Writes to `path` what `fill` writes, as [`write_file`] does (never over
/// a file unless `force`, never half-written); or to standard output
/// without a path. `fill` gets the writer and its name for errors.
pub fn write_with(
    path: Option<&Path>,
    force: bool,
    fill: impl FnOnce(&mut dyn Write, &Path) -> Result<(), Error>,
) -> Result<(), Error> {
    let Some(path) = path else {
        let stdout = Path::new("<stdout>");
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        fill(&mut out, stdout)?;
        return out.flush().map_err(|e| Error::Io(stdout.into(), e));
    };
    if path.symlink_metadata().is_ok() && !force {
        return Err(Error::Exists(path.to_path_buf()));
    }
    if path.is_dir() {
        return Err(Error::Usage(format!(
            "{}: is a folder, not a file",
            path.display()
        )));
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::Io(dir.to_path_buf(), e))?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let (tmp, file) = temporary(dir, &name).map_err(|e| Error::Io(dir.to_path_buf(), e))?;
    let mut out = std::io::BufWriter::new(file);
    let written = fill(&mut out, path).and_then(|()| {
        out.into_inner()
            .map_err(|e| e.into_error())
            .and_then(|f| f.sync_all())
            .and_then(|_| std::fs::rename(&tmp, path))
            .map_err(|e| Error::Io(path.to_path_buf(), e))
    });
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}
