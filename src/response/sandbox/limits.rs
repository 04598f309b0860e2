//! The bounds the reader process puts on itself, one way per platform.
//!
//! Everything that differs between operating systems in reading a file in a
//! child process lives here; the rest of [`super`] is the same everywhere.
//! There is always a bound: when one cannot be set, the child refuses to
//! read ([`apply`] fails) rather than read without it.
//!
//! - On Unix, the kernel limits the child's address space to
//!   [`MEMORY_LIMIT`] and its processor time to [`TIME_LIMIT`].
//! - On Windows, every allocation of the process goes through a counting
//!   allocator (`cap::Cap` around the system allocator); the child sets its
//!   ceiling to [`MEMORY_LIMIT`], so an allocation beyond it fails and the
//!   child stops. Its time is bounded by the parent, which ends it after
//!   [`TIME_LIMIT`] (as on every platform).

#[cfg(any(unix, windows))]
use crate::response::bounds::MEMORY_LIMIT;
#[cfg(unix)]
use crate::response::bounds::TIME_LIMIT;

/// Why the child could not bound itself.
#[derive(Debug)]
pub struct Unbounded(pub String);

/// Puts the bounds on the current process; called by the child before it
/// reads anything.
#[cfg(unix)]
pub fn apply() -> Result<(), Unbounded> {
    use rlimit::Resource;
    let fail = |what: &str, e: std::io::Error| Unbounded(format!("{what}: {e}"));
    rlimit::setrlimit(Resource::AS, MEMORY_LIMIT, MEMORY_LIMIT)
        .map_err(|e| fail("address space", e))?;
    // The processor time, in whole seconds, one more than the parent waits:
    // the parent's wall clock ends the child first; this is the floor.
    let seconds = TIME_LIMIT.as_secs() + 1;
    rlimit::setrlimit(Resource::CPU, seconds, seconds).map_err(|e| fail("processor time", e))
}

/// The process's allocator on Windows: the system's, counted; unlimited until
/// the child sets its ceiling in [`apply`].
#[cfg(windows)]
#[global_allocator]
static ALLOCATOR: cap::Cap<std::alloc::System> = cap::Cap::new(std::alloc::System, usize::MAX);

/// Puts the bounds on the current process; called by the child before it
/// reads anything.
#[cfg(windows)]
pub fn apply() -> Result<(), Unbounded> {
    let limit = usize::try_from(MEMORY_LIMIT).unwrap_or(usize::MAX);
    ALLOCATOR
        .set_limit(limit)
        .map_err(|()| Unbounded("memory: already above the limit".into()))
}

/// No known way to bound a process here: the child refuses to read.
#[cfg(not(any(unix, windows)))]
pub fn apply() -> Result<(), Unbounded> {
    Err(Unbounded(
        "this platform has no bound for the reader process".into(),
    ))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn the_bounds_are_those_the_parent_expects() {
        // Run in a child of the test process so that the limits do not
        // constrain the other tests.
        let exe = std::env::current_exe().unwrap();
        if std::env::var_os("BOUSSOLE_LIMITS_CHILD").is_some() {
            apply().unwrap();
            let (soft, _) = rlimit::getrlimit(rlimit::Resource::AS).unwrap();
            assert_eq!(soft, MEMORY_LIMIT);
            let (cpu, _) = rlimit::getrlimit(rlimit::Resource::CPU).unwrap();
            assert_eq!(cpu, TIME_LIMIT.as_secs() + 1);
            return;
        }
        let out = std::process::Command::new(exe)
            .args([
                "--exact",
                "response::sandbox::limits::tests::the_bounds_are_those_the_parent_expects",
            ])
            .env("BOUSSOLE_LIMITS_CHILD", "1")
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{said}");
        // The child ran this very test, not none.
        assert!(said.contains("1 passed"), "{said}");
    }
}
