//! The command line: what the user typed, turned into calls to the library.
//!
//! [`Arguments`] is what clap fills in; each command's module checks it and
//! runs. [`run`] is one `match`, and the only place where errors are printed.
//!
//! Exit statuses: 0 success, 1 findings (used by the checker), 2 error.

mod annex;
mod award;
mod check;
mod compare;
mod demo;
mod dossier;
mod evidence;
mod followup;
mod grid;
mod init;
mod library;
mod plan;
mod questionnaire;
mod record;
mod review;
#[cfg(feature = "web")]
mod serve;
mod user;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::Error;

/// Exit status of a successful run.
pub const SUCCESS: u8 = 0;
/// Exit status when the work was done and found problems.
pub const FINDINGS: u8 = 1;
/// Exit status when the work could not be done.
pub const ERROR: u8 = 2;

/// Put the AI compass ("boussole de l'IA") into public tenders and check what vendors answer.
#[derive(Debug, Parser)]
#[command(name = "boussole", version, about, max_term_width = 100)]
#[command(after_help = "\
Examples:
  boussole demo                       the whole journey on embedded data, in ./boussole-demo
  boussole init                       write a commented tender profile, profil.toml
  boussole plan -p profil.toml        the clauses, questions and scoring plan of a tender
  boussole annex -p profil.toml -o annexe.docx
  boussole questionnaire -p profil.toml -o questionnaire.xlsx
  boussole check --lock questionnaire.xlsx.boussole.lock offres/
  boussole evidence read offres/acme/emissions.csv
  boussole dossier new ia-accueil-2027   a consultation's files and timeline, kept for years
  boussole serve --open               the same work in the browser, on this computer
  boussole library list --criterion sobriety
  boussole library lint ./ma-bibliotheque

Exit status: 0 success, 1 findings, 2 error.")]
pub struct Arguments {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write the tender annex (DOCX or Markdown): the compass's clauses for the CCTP, CCAP and RC.
    Annex(annex::Args),
    /// Record the awarded offer's answers as the contract's commitments (JSON sealed by its hash, or Markdown).
    Award(award::Args),
    /// Check returned questionnaires: normalise, evaluate every rule, score, say why.
    Check(check::Args),
    /// Compare the vendors side by side: a ranking on the compass criteria (XLSX, DOCX or Markdown).
    Compare(compare::Args),
    /// Show the whole journey on embedded data: profile, annex, questionnaire, four offers checked, reports, opinion.
    Demo(demo::Args),
    /// A consultation's files and timeline, kept for years: new, add, list, show, export, import.
    #[command(subcommand)]
    Dossier(dossier::Command),
    /// Read the evidence files vendors attach (CodeCarbon, model cards, CycloneDX, SPDX 3).
    #[command(subcommand)]
    Evidence(evidence::Command),
    /// After award: the contractor's yearly report, written from the commitments and checked against them.
    #[command(subcommand)]
    Followup(followup::Command),
    /// The project group's evaluation grid, its opinion for validation, the yearly follow-up.
    Grid(grid::Args),
    /// Write a commented example tender profile (profil.toml) to start from.
    Init(init::Args),
    /// List, export or lint the compass library.
    #[command(subcommand)]
    Library(library::Command),
    /// Show what applies to a tender: clauses, questions and the scoring plan.
    Plan(plan::Args),
    /// Write the vendor questionnaire (XLSX or DOCX) and its lock.
    Questionnaire(questionnaire::Args),
    /// The algorithm's public record: the sheet owed to a person and the inventory entry (DOCX, Markdown, JSON).
    Record(record::Args),
    /// The accounts of a shared server (serve --listen) and their duties per dossier.
    #[command(subcommand)]
    User(user::Command),
    /// Serve the same work as a local web page, for buyers and legal staff (127.0.0.1 only).
    #[cfg(feature = "web")]
    Serve(serve::Args),
    /// Read one returned file from standard input and answer JSON (used by `check`
    /// to read Excel 97–2003 files in a process of their own).
    #[command(name = "__read", hide = true)]
    Read,
}

/// Options shared by commands that read the library and a profile.
#[derive(Debug, Clone, clap::Args)]
pub struct Source {
    /// Tender profile (TOML); without it, the embedded default profile.
    #[arg(short, long, value_name = "PROFILE")]
    pub profile: Option<PathBuf>,
    /// A customised copy of the library (a folder like clauses/); without it, the embedded one.
    #[arg(long, value_name = "DIR")]
    pub library: Option<PathBuf>,
}

/// A tender resolved from the command line's `--library` and `--profile`.
pub struct Tender {
    /// The checked profile.
    pub profile: crate::profile::Profile,
    /// The selection and scoring plan.
    pub selection: crate::selection::Selection,
}

impl Source {
    /// Loads the library and the profile, prints the profile's warnings, and
    /// resolves them.
    pub fn resolve(&self) -> Result<Tender, Error> {
        let lib = crate::library::load(self.library.as_deref())?;
        let checked = crate::profile::load(self.profile.as_deref(), &lib)?;
        for w in &checked.warnings {
            eprintln!(
                "boussole: warning: {}",
                crate::text::terminal_lines(&w.to_string())
            );
        }
        let selection = crate::selection::resolve(&lib, &checked.profile);
        Ok(Tender {
            profile: checked.profile,
            selection,
        })
    }
}

impl Source {
    /// What returned files are checked against: the selection as issued
    /// (`lock`), or else the library and profile resolved now, for `audience`.
    pub fn basis(
        &self,
        lock: Option<&Path>,
        lang: Option<library::LangArg>,
        audience: crate::library::Audience,
    ) -> Result<crate::check::Basis, Error> {
        use crate::text::Lang;
        if let Some(path) = lock {
            let lock = crate::questionnaire::lock::Lock::read(path)?;
            if let Some(w) = lock.unverified(&path.display().to_string()) {
                eprintln!("boussole: warning: {}", crate::text::terminal_lines(&w));
            }
            return Ok(lock.into_basis(lang.map(Lang::from)));
        }
        let Tender { profile, selection } = self.resolve()?;
        Ok(crate::check::Basis {
            lang: lang.map(Lang::from).unwrap_or(profile.tender.language),
            selection,
            profile,
            audience,
            lock: crate::check::LockDigest::NoLock,
        })
    }
}

/// Checks `files` on `jobs` threads (default: the cores), with a progress
/// line on a terminal for large batches.
pub fn check_files(
    files: &[PathBuf],
    basis: &crate::check::Basis,
    jobs: Option<usize>,
) -> Vec<crate::report::FileReport> {
    let exe = std::env::current_exe().ok();
    with_progress(files.len(), jobs, |jobs, progress| {
        crate::report::check_all(files, basis, exe.as_deref(), jobs, progress)
    })
}

/// Checks `files` as [`check_files`] does, each result kept out of memory
/// until the `target` report is written (see [`crate::report::stream`]).
/// `first`, when given, is the first file already read (see [`read_first`]).
pub fn check_streamed<'b>(
    files: &[PathBuf],
    first: Option<crate::report::Returned>,
    (basis, target): (&'b crate::check::Basis, crate::report::stream::Target),
    jobs: Option<usize>,
    skipped: Vec<crate::report::Skipped>,
) -> Result<crate::report::stream::Streamed<'b>, Error> {
    let exe = std::env::current_exe().ok();
    with_progress(files.len(), jobs, |jobs, progress| {
        let (isolate, for_report) = (exe.as_deref(), (basis, target));
        crate::report::stream::check(files, first, for_report, isolate, jobs, progress, skipped)
    })
}

/// The first of `files` read as [`check_streamed`] reads it, so that it can
/// be read while the lock is.
pub fn read_first(files: &[PathBuf]) -> Option<crate::report::Returned> {
    let exe = std::env::current_exe().ok();
    crate::report::Returned::read(files.first()?, exe.as_deref())
}

/// Runs `work` on `jobs` threads (default: the cores) with a progress line
/// on a terminal when the batch holds `total` files, 20 or more.
fn with_progress<R>(
    total: usize,
    jobs: Option<usize>,
    work: impl FnOnce(usize, &(dyn Fn(usize) + Sync)) -> R,
) -> R {
    use std::io::IsTerminal;
    let jobs = jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let show = std::io::stderr().is_terminal() && total >= 20;
    let progress = |done: usize| {
        if show {
            eprint!("\rboussole: {done}/{total} files checked");
        }
    };
    let results = work(jobs, &progress);
    if show {
        eprintln!();
    }
    results
}

/// The format named by `--format`, or else by `path`'s extension among `known`.
pub fn format_of<F: Copy>(
    path: &Path,
    explicit: Option<F>,
    known: &[(&str, F)],
) -> Result<F, Error> {
    if let Some(f) = explicit {
        return Ok(f);
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    known
        .iter()
        .find(|(e, _)| *e == ext)
        .map(|(_, f)| *f)
        .ok_or_else(|| {
            let names: Vec<String> = known.iter().map(|(e, _)| format!(".{e}")).collect();
            Error::Usage(format!(
                "{}: the file name must end in {} (or give --format)",
                path.display(),
                names.join(" or ")
            ))
        })
}

/// Runs the command line and returns the exit status.
pub fn main() -> ExitCode {
    let args = match Arguments::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let code = if e.use_stderr() { ERROR } else { SUCCESS };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(args) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("boussole: {}", crate::text::terminal_lines(&e.to_string()));
            ExitCode::from(ERROR)
        }
    }
}

/// Runs one command; `Ok` holds the exit status.
pub fn run(args: Arguments) -> Result<u8, Error> {
    match args.command {
        Command::Annex(a) => annex::run(a),
        Command::Award(a) => award::run(a),
        Command::Check(a) => check::run(a),
        Command::Compare(a) => compare::run(a),
        Command::Demo(a) => demo::run(a),
        Command::Dossier(c) => dossier::run(c),
        Command::Evidence(c) => evidence::run(c),
        Command::Followup(c) => followup::run(c),
        Command::Grid(a) => grid::run(a),
        Command::Init(a) => init::run(a),
        Command::Library(c) => library::run(c),
        Command::Plan(a) => plan::run(a),
        Command::Questionnaire(a) => questionnaire::run(a),
        Command::Record(a) => record::run(a),
        #[cfg(feature = "web")]
        Command::Serve(a) => serve::run(a),
        Command::User(c) => user::run(c),
        Command::Read => Ok(crate::response::read::serve_child()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Arguments::command().debug_assert();
    }
}
