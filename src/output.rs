//! Writing output files: never over an existing file unless asked, never half-written.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::Error;

/// Writes `bytes` to `path`: refuses to replace a file unless `force`, and
/// writes a temporary file beside it first, renamed into place when complete.
pub fn write_file(path: &Path, bytes: &[u8], force: bool) -> Result<(), Error> {
    if path.exists() && !force {
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
    let tmp: PathBuf = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(bytes).and_then(|_| f.sync_all()))
        .and_then(|_| std::fs::rename(&tmp, path));
    written.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::Io(path.to_path_buf(), e)
    })
}

/// Writes to `path`, or to standard output without one.
pub fn write(path: Option<&Path>, bytes: &[u8], force: bool) -> Result<(), Error> {
    match path {
        Some(p) => write_file(p, bytes, force),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes)
                .and_then(|_| out.flush())
                .map_err(|e| Error::Io("<stdout>".into(), e))
        }
    }
}
