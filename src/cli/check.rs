//! `boussole check`: read returned questionnaires, score them, say why.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::ValueEnum;

use super::library::LangArg;
use crate::Error;
use crate::check::Basis;
use crate::questionnaire::lock::Lock;
use crate::report;
use crate::text::Lang;

/// Arguments of `check`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  boussole check offres/                              every returned file in a folder
  boussole check --lock questionnaire.xlsx.boussole.lock offres/
  boussole check -p profil.toml acme.xlsx biom.ods --format json -o rapport.json
  boussole check offres/ --format md -o rapport.md

Exit status: 0 every offer compliant (with or without reservations), 1 an offer is
non-compliant or incomplete, 2 a file could not be read (the others are still checked).")]
pub struct Args {
    /// Returned files, or folders to search (.xlsx .xlsm .xls .ods .docx).
    #[arg(required_unless_present = "schema", value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub source: super::Source,
    /// Check against the selection as issued with the questionnaire (its .boussole.lock).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["profile", "library"])]
    pub lock: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Write the report to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
    /// Language of the report (default: the profile's).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// Print the JSON Schema of the report instead.
    #[arg(long)]
    pub schema: bool,
    /// Files checked at once (default: the number of cores).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
}

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A readable summary.
    Text,
    /// The full report (see schema/report.schema.json).
    Json,
    /// The summary in Markdown.
    Md,
}

fn basis(args: &Args) -> Result<Basis, Error> {
    if let Some(path) = &args.lock {
        let lock = Lock::read(path)?;
        let lang = args.lang.map(Lang::from).unwrap_or(lock.lang);
        return Ok(Basis {
            selection: lock.selection,
            profile: lock.profile,
            lang,
            audience: lock.audience,
        });
    }
    let super::Tender { profile, selection } = args.source.resolve()?;
    let lang = args.lang.map(Lang::from).unwrap_or(profile.tender.language);
    Ok(Basis {
        selection,
        profile,
        lang,
        audience: crate::library::Audience::Vendor,
    })
}

/// Checks the files and writes the report.
pub fn run(args: Args) -> Result<u8, Error> {
    if args.schema {
        crate::output::write(
            args.output.as_deref(),
            report::schema().as_bytes(),
            args.force,
        )?;
        return Ok(super::SUCCESS);
    }
    if let Some(out) = args.output.as_ref().filter(|o| o.exists() && !args.force) {
        return Err(Error::Exists(out.clone()));
    }
    let basis = basis(&args)?;
    let own: Vec<PathBuf> = args.output.iter().cloned().collect();
    let (files, skipped) = report::collect(&args.paths, &own);
    for s in &skipped {
        eprintln!("boussole: skipped {} ({})", s.path, s.reason);
    }
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let total = files.len();
    let show = std::io::stderr().is_terminal() && total >= 20;
    let progress = |done: usize| {
        if show {
            eprint!("\rboussole: {done}/{total} files checked");
        }
    };
    let exe = std::env::current_exe().ok();
    let results = report::check_all(&files, &basis, exe.as_deref(), jobs, &progress);
    if show {
        eprintln!();
    }
    let report = report::report(&basis, skipped, results);
    let out = match args.format {
        Format::Json => report.to_json(),
        Format::Text => report::text::render(&report, basis.lang, false),
        Format::Md => report::text::render(&report, basis.lang, true),
    };
    crate::output::write(args.output.as_deref(), out.as_bytes(), args.force)?;
    if total == 0 {
        return Err(Error::Usage(
            "no returned file to check among the paths given".into(),
        ));
    }
    Ok(report.exit_code())
}
