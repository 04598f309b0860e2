//! `boussole award`: the awarded offer's answers as the contract's commitments.

use std::path::PathBuf;

use super::library::LangArg;
use crate::Error;

/// Arguments of `award`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  boussole award --lock questionnaire.xlsx.boussole.lock offres/acme.xlsx -o engagements.json
  boussole award --lock questionnaire.xlsx.boussole.lock offres/acme.xlsx -o engagements.md

The offer is checked exactly as `boussole check` does; only a regular offer may be
awarded (an irregular one, or one still to regularise, is refused with its grounds).
Each answer given to a question that serves a clause becomes a commitment: the question,
the clauses, the value promised (normalised, in the question's unit), the words typed and
the yearly indicator when there is one. The JSON is sealed by the SHA-256 of its content
(`digest`); the Markdown is the same list for people. With --dossier NAME, the file written
is kept in the dossier too (role award).

Exit status: 0 the commitments are written, 2 the offer cannot be awarded or read.")]
pub struct Args {
    /// The awarded offer's returned file (.xlsx .xlsm .xls .ods .docx, or .zip).
    #[arg(value_name = "OFFER")]
    pub offer: PathBuf,
    #[command(flatten)]
    pub source: super::Source,
    /// Check against the selection as issued with the questionnaire (its .boussole.lock).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["profile", "library"])]
    pub lock: Option<PathBuf>,
    /// Write to this file (.json or .md) instead of standard output (JSON).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
    /// Language of the Markdown (default: the profile's).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    #[command(flatten)]
    pub dossier: super::dossier::Target,
}

/// Records the commitments of the awarded offer.
pub fn run(args: Args) -> Result<u8, Error> {
    let mut kept = args.dossier.open("boussole award")?;
    let basis = args.source.basis(
        args.lock.as_deref(),
        args.lang,
        crate::library::Audience::Vendor,
    )?;
    let exe = std::env::current_exe().ok();
    let checked = crate::report::check_file(&args.offer, &basis, exe.as_deref());
    let report = crate::report::report(&basis, Vec::new(), vec![checked]);
    let Some(offer) = report.results.first() else {
        return Err(Error::Usage("no offer to award".into()));
    };
    let award =
        crate::award::commitments(offer, &basis).map_err(|e| Error::Usage(e.to_string()))?;
    let markdown = args
        .output
        .as_deref()
        .and_then(|o| o.extension())
        .is_some_and(|e| e.eq_ignore_ascii_case("md"));
    let bytes = if markdown {
        award.markdown(basis.lang).into_bytes()
    } else {
        serde_json::to_string_pretty(&award)
            .map_err(|e| Error::Usage(e.to_string()))?
            .into_bytes()
    };
    crate::output::write(args.output.as_deref(), &bytes, args.force)?;
    if let Some(out) = &args.output {
        eprintln!(
            "boussole: wrote {} ({} commitments of {})",
            out.display(),
            award.commitments.len(),
            crate::text::terminal(&award.vendor)
        );
        kept.file(crate::dossier::Role::Award, out);
    }
    kept.commit()?;
    Ok(super::SUCCESS)
}
