//! `boussole compare`: the vendors side by side, ranked on the compass criteria.

use std::path::PathBuf;

use super::library::LangArg;
use crate::Error;
use crate::check::Basis;
use crate::report::{self, compare};

/// Arguments of `compare`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  boussole compare --lock questionnaire.xlsx.boussole.lock offres/ -o comparaison.xlsx
  boussole compare -p profil.toml acme.xlsx biom.ods -o comparaison.docx
  boussole compare --lock questionnaire.xlsx.boussole.lock offres/ -o comparaison.md
  boussole compare --lock questionnaire.xlsx.boussole.lock offres/ --decisions analyse.xlsx -o comparaison.docx
                                       with the decisions legal staff typed in the scoring workbook

The files are checked exactly as `boussole check` does. The ranking covers the compass
criteria only: price and the tender's other criteria are assessed elsewhere. Offers
proposed for elimination, incomplete or unreadable are listed apart, with the reason:
a proposal, the buyer decides. XLSX has native charts, DOCX has them as pictures,
Markdown has the tables only. With --dossier NAME, the comparison is kept in the dossier
too (role report).

Exit status: 0 the comparison is written, 2 a file could not be read (it is listed
apart and the comparison is still written) or the comparison could not be made.")]
pub struct Args {
    /// Returned files, or folders to search (.xlsx .xlsm .xls .ods .docx).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub source: super::Source,
    /// Check against the selection as issued with the questionnaire (its .boussole.lock).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["profile", "library"])]
    pub lock: Option<PathBuf>,
    /// Output file: .xlsx, .docx or .md.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub review: super::review::Review,
    /// Language of the comparison (default: the profile's).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// Files checked at once (default: the number of cores).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    #[command(flatten)]
    pub dossier: super::dossier::Target,
}

/// Comparison formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Xlsx,
    Docx,
    Md,
}

/// Checks the files as `check` does; the report.
fn check(args: &Args, basis: &Basis) -> Result<report::Report, Error> {
    let own: Vec<PathBuf> = std::iter::once(args.output.clone())
        .chain(args.review.files())
        .collect();
    let (files, skipped) = report::collect(&args.paths, &own);
    for s in &skipped {
        eprintln!(
            "boussole: skipped {} ({})",
            crate::text::terminal(&s.path),
            crate::text::terminal(&s.reason)
        );
    }
    if files.is_empty() {
        return Err(Error::Usage(
            "no returned file to compare among the paths given".into(),
        ));
    }
    let results = super::check_files(&files, basis, args.jobs);
    Ok(report::report(basis, skipped, results))
}

/// Checks the files and writes the comparison.
pub fn run(args: Args) -> Result<u8, Error> {
    let format = super::format_of(
        &args.output,
        None,
        &[
            ("xlsx", Format::Xlsx),
            ("docx", Format::Docx),
            ("md", Format::Md),
        ],
    )?;
    if args.output.symlink_metadata().is_ok() && !args.force {
        return Err(Error::Exists(args.output));
    }
    (args.review).refuse_as_output(&args.output, &args.paths, args.lock.as_ref(), &args.source)?;
    let mut kept = args.dossier.open("boussole compare")?;
    let basis = args.source.basis(
        args.lock.as_deref(),
        args.lang,
        crate::library::Audience::Vendor,
    )?;
    // Theme titles come from the library (the lock keeps only their ids).
    let library = crate::library::load(args.source.library.as_deref())?;
    let review = args.review.read(basis.lang)?;
    let mut report = check(&args, &basis)?;
    review.apply(&mut report, &basis);
    let comparison = compare::build(&report, &basis, &library.themes);
    let bytes = match format {
        Format::Xlsx => compare::workbook::render(&comparison)?,
        Format::Docx => compare::document::docx(&comparison)?,
        Format::Md => compare::document::markdown(&comparison)?.into_bytes(),
    };
    crate::output::write_file(&args.output, &bytes, args.force)?;
    eprintln!(
        "boussole: wrote {} ({} ranked, {} not ranked)",
        args.output.display(),
        comparison.ranked.len(),
        comparison.apart.len()
    );
    kept.file(crate::dossier::Role::Report, &args.output);
    kept.commit()?;
    if report
        .results
        .iter()
        .any(|r| r.status == report::FileStatus::Error)
    {
        return Ok(super::ERROR);
    }
    Ok(super::SUCCESS)
}
