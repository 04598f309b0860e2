//! The `boussole` command. Everything happens in [`boussole::cli`].

/// The command's allocator on Unix: mimalloc, built without transparent huge
/// pages. A check allocates some 9,000 times a returned file (cells, words,
/// findings), freed as soon as the file is judged; glibc's allocator spent
/// about a tenth of a batch's time there, mimalloc far less. With huge pages
/// a short run touched 2 MB pages for a few bytes each: 30 MB more memory and
/// a tenth of a second in the kernel for a batch of ten files.
///
/// On Windows the process keeps its counting allocator (see the reader's
/// bounds, `response::sandbox`).
#[cfg(unix)]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    boussole::cli::main()
}
