//! Reading the files a command is given by name — a lock, a profile, a
//! decisions or marks workbook, a password file —: regular files only;
//! and listing a folder it is given ([`entries_by_name`]).
//!
//! A pipe given where a file is expected would make the command wait for a
//! writer for ever, a device would never end: both are refused, naming the
//! path and what it is, before anything is opened.

use std::ffi::{OsStr, OsString};
use std::fs::{DirEntry, File, Metadata};
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::Error;

/// Largest text input read: 32 MiB (a lock of the whole library weighs
/// under 1 MiB).
pub const MAX_TEXT: u64 = 32 << 20;

/// Opens `path` for reading if it is a regular file (links followed);
/// refuses a pipe, a socket, a device or a folder without opening it.
pub fn open(path: &Path) -> Result<File, Error> {
    let io = |e| Error::Io(path.to_path_buf(), e);
    regular(path, &std::fs::metadata(path).map_err(io)?)?;
    let file = File::open(path).map_err(io)?;
    // the path may have been replaced between the two looks
    regular(path, &file.metadata().map_err(io)?)?;
    Ok(file)
}

/// The text of the regular file at `path` (see [`open`]), refused beyond
/// [`MAX_TEXT`].
pub fn read_to_string(path: &Path) -> Result<String, Error> {
    let mut text = String::new();
    open(path)?
        .take(MAX_TEXT + 1)
        .read_to_string(&mut text)
        .map_err(|e| Error::Io(path.to_path_buf(), e))?;
    if text.len() as u64 > MAX_TEXT {
        return Err(Error::TooLarge(path.to_path_buf()));
    }
    Ok(text)
}

/// The bytes of the regular file at `path` (see [`open`]), `limit` at most
/// and one more: a caller that gets more than `limit` knows the file is
/// larger, without reading it whole.
pub fn read_at_most(path: &Path, limit: u64) -> Result<Vec<u8>, Error> {
    let mut bytes = Vec::new();
    open(path)?
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::Io(path.to_path_buf(), e))?;
    Ok(bytes)
}

/// The paths of the entries of folder `dir` that `keep` accepts (given
/// each entry and its name once), sorted by name: one folder's names
/// compared, not whole paths, and only the entries kept given a path, so
/// that a folder of thousands of returns is listed in a few milliseconds.
/// An entry that cannot be read is left out.
pub fn entries_by_name(
    dir: &Path,
    mut keep: impl FnMut(&DirEntry, &OsStr) -> bool,
) -> std::io::Result<Vec<PathBuf>> {
    let mut kept: Vec<(OsString, PathBuf)> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name();
            keep(&e, &name).then(|| (name, e.path()))
        })
        .collect();
    kept.sort_unstable();
    Ok(kept.into_iter().map(|(_, path)| path).collect())
}

fn regular(path: &Path, meta: &Metadata) -> Result<(), Error> {
    if meta.is_file() {
        return Ok(());
    }
    Err(Error::NotAFile(path.to_path_buf(), kind(meta)))
}

/// What a path that is no regular file is, in a few words.
fn kind(meta: &Metadata) -> &'static str {
    if meta.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a pipe";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    "a special file"
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_folder_and_a_device_are_refused_naming_them() {
        let dir = tempfile::tempdir().unwrap();
        let err = read_to_string(dir.path()).unwrap_err().to_string();
        assert!(
            err.ends_with("is a folder, not a regular file: not read"),
            "{err}"
        );
        let err = read_to_string(Path::new("/dev/null"))
            .unwrap_err()
            .to_string();
        assert_eq!(err, "/dev/null: is a device, not a regular file: not read");
        let file = dir.path().join("profil.toml");
        std::fs::write(&file, "x").unwrap();
        assert_eq!(read_to_string(&file).unwrap(), "x");
    }

    #[test]
    fn a_folder_is_listed_by_name_with_only_the_entries_kept() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["b.xlsx", "A.xlsx", "a.ods", ".cache"] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        std::fs::create_dir(dir.path().join("acme")).unwrap();
        let names = |keep: &dyn Fn(&DirEntry, &OsStr) -> bool| -> Vec<String> {
            entries_by_name(dir.path(), keep)
                .unwrap()
                .iter()
                .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
                .collect()
        };
        assert_eq!(
            names(&|_, _| true),
            [".cache", "A.xlsx", "a.ods", "acme", "b.xlsx"]
        );
        let files = |e: &DirEntry, n: &OsStr| {
            e.file_type().unwrap().is_file() && !n.as_encoded_bytes().starts_with(b".")
        };
        assert_eq!(names(&files), ["A.xlsx", "a.ods", "b.xlsx"]);
        assert!(entries_by_name(&dir.path().join("none"), |_, _| true).is_err());
    }
}
