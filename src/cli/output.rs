//! Where a command's output goes: standard output, or a new file.

use std::io::Write;
use std::path::Path;

use crate::Error;

/// Writes `bytes` to `path`, refusing to replace a file unless `force`;
/// without a path, prints them.
pub fn write(path: Option<&Path>, bytes: &[u8], force: bool) -> Result<(), Error> {
    match path {
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes)
                .and_then(|_| out.flush())
                .map_err(|e| Error::Io("<stdout>".into(), e))
        }
        Some(p) => {
            if p.exists() && !force {
                return Err(Error::Exists(p.to_path_buf()));
            }
            if let Some(dir) = p.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| Error::Io(dir.to_path_buf(), e))?;
            }
            std::fs::write(p, bytes).map_err(|e| Error::Io(p.to_path_buf(), e))
        }
    }
}
