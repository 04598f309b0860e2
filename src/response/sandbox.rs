//! Reading Excel 97–2003 files in a child process.
//!
//! XLSX and DOCX are read in-process by boussole's own bounded readers, ODS
//! pre-scanned ([`super::prescan`]) before calamine reads it, so that no
//! crafted file can make a parser allocate without bound. The binary
//! XLS format cannot be bounded that way: calamine reads all its sheets at
//! open, and four changed bytes can make it ask for hundreds of gigabytes,
//! which aborts a process. So the command line reads XLS files — rare among
//! returned questionnaires — in a child process (`boussole __read`) limited
//! in memory and in time; a file that breaks the child is an error for that
//! file only. How the child bounds itself depends on the platform: that part
//! lives in its module `limits` alone.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::bounds::{MAX_FILE_SIZE, TIME_LIMIT};
use super::{ReadError, Response};

mod limits;

/// Reads `bytes` in a child process `exe __read`, which gets them on its
/// standard input and answers JSON on its standard output.
pub fn read_in_child(exe: &Path, bytes: &[u8]) -> Result<Response, ReadError> {
    let fail = |m: String| ReadError::Malformed(m);
    let mut child = Command::new(exe)
        .arg("__read")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| ReadError::Io(format!("cannot start the reader process: {e}")))?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| fail("no pipe to the reader process".into()))?;
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let mut stdout = child
        .stdout
        .take()
        .ok_or_else(|| fail("no pipe from the reader process".into()))?;
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        stdout.read_to_end(&mut out).map(|_| out)
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > TIME_LIMIT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(ReadError::TooLarge(format!(
                    "reading took longer than {} s",
                    TIME_LIMIT.as_secs()
                )));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(ReadError::Io(format!("the reader process: {e}"))),
        }
    };
    let _ = writer.join();
    let out = reader.join().ok().and_then(Result::ok).unwrap_or_default();
    if !status.success() {
        return Err(fail(
            "the reader stopped on this file's content (it exceeded its memory or crashed)".into(),
        ));
    }
    serde_json::from_slice::<Result<Response, ReadError>>(&out)
        .map_err(|e| fail(format!("the reader process answered nonsense ({e})")))?
}

/// The child's side: limits itself, reads standard input with `read`,
/// answers JSON. Returns the exit status.
pub fn serve(read: fn(&[u8]) -> Result<Response, ReadError>) -> u8 {
    if let Err(limits::Unbounded(why)) = limits::apply() {
        eprintln!("boussole: the reader process cannot bound itself ({why})");
        return 2;
    }
    let mut bytes = Vec::new();
    if std::io::stdin()
        .take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .is_err()
    {
        return 2;
    }
    let result = read(&bytes);
    let json = serde_json::to_vec(&result).unwrap_or_default();
    let mut out = std::io::stdout().lock();
    if out.write_all(&json).and_then(|_| out.flush()).is_err() {
        2
    } else {
        0
    }
}
