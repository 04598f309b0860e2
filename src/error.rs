//! Errors: what stops a command, always naming the file at fault.
//!
//! Findings about a library, a profile or a vendor's answers are not errors:
//! they are diagnostics and findings with stable codes, reported in full.
//! An [`Error`] is what prevents the work from being done at all.

use std::path::PathBuf;

use crate::library::lint::Diagnostic;

/// A failure that stops one command (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read or written.
    #[error("{}: {}", .0.display(), .1)]
    Io(PathBuf, #[source] std::io::Error),
    /// A path given as a file is something else: a pipe, a socket, a
    /// device or a folder (reading a pipe would wait for ever).
    #[error("{}: is {}, not a regular file: not read", .0.display(), .1)]
    NotAFile(PathBuf, &'static str),
    /// A text input (lock, profile, library file, password file) larger
    /// than [`crate::input::MAX_TEXT`]: no such file is that large.
    #[error("{}: is over {} MiB, more than any lock, profile or library file: not read", .0.display(), crate::input::MAX_TEXT >> 20)]
    TooLarge(PathBuf),
    /// A library file could not be parsed.
    #[error("{}: {message}", path.display())]
    Library {
        /// The file at fault.
        path: PathBuf,
        /// What is wrong, with the line when known.
        message: String,
    },
    /// The library has lint errors.
    #[error("{}: the library has {} error(s):\n{}", path.display(), diagnostics.len(),
        diagnostics.iter().map(|d| format!("  {d}")).collect::<Vec<_>>().join("\n"))]
    LibraryLint {
        /// The library folder.
        path: PathBuf,
        /// Every error found.
        diagnostics: Vec<Diagnostic>,
    },
    /// The tender profile is refused.
    #[error("{}: the profile is refused:\n{}", path.display(),
        problems.iter().map(|p| format!("  - {p}")).collect::<Vec<_>>().join("\n"))]
    Profile {
        /// The profile file.
        path: PathBuf,
        /// Each problem, naming the field and why.
        problems: Vec<String>,
    },
    /// A document needs values the tender profile does not give.
    #[error("{}: {what} not written: the profile does not give\n{}", path.display(),
        fields.iter().map(|p| format!("  - {p}")).collect::<Vec<_>>().join("\n"))]
    ProfileIncomplete {
        /// The profile file (or the lock holding the profile as issued).
        path: PathBuf,
        /// The documents not written.
        what: String,
        /// Each field missing, with what it is and an example.
        fields: Vec<String>,
    },
    /// An output file exists and `--force` was not given.
    #[error("{}: already exists (use --force to replace it)", .0.display())]
    Exists(PathBuf),
    /// A document could not be produced.
    #[error("{what}: {message}")]
    Render {
        /// The document being produced.
        what: String,
        /// What went wrong.
        message: String,
    },
    /// The command was asked something it cannot do.
    #[error("{0}")]
    Usage(String),
}
