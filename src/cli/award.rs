//! `boussole award`: the awarded offer's answers as the contract's commitments.

use std::path::{Path, PathBuf};

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
(`digest`); the Markdown is the same list for people.

With --dossier NAME, the file written is kept in the dossier too (role award), and OFFER may
be the name of an offer the dossier holds (its latest version, with its evidence files, as
`boussole check --dossier` reads them), checked against the dossier's latest lock unless
--lock, --profile or --library is given:
  boussole award --dossier ia-accueil-2027 acme.xlsx -o engagements.json
A file of that name in the current folder that differs from the dossier's is refused as
ambiguous.

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
pub fn run(mut args: Args) -> Result<u8, Error> {
    let mut kept = args.dossier.open("boussole award")?;
    let materialised = from_dossier(&kept, &args.offer)?;
    if let Some(m) = &materialised {
        args.offer = m.dir.join(&args.offer);
        let own_basis = args.source.profile.is_some() || args.source.library.is_some();
        if args.lock.is_none() && !own_basis {
            args.lock.clone_from(&m.lock);
        }
    }
    let basis = args.source.basis(
        args.lock.as_deref(),
        args.lang,
        crate::library::Audience::Vendor,
    )?;
    let exe = std::env::current_exe().ok();
    let mut checked = crate::report::check_file(&args.offer, &basis, exe.as_deref());
    if let Some(m) = &materialised {
        checked.file = m.label(&checked.file);
    }
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
        award
            .markdown(basis.lang, &crate::annex::article_numbers(&basis.selection))
            .into_bytes()
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

/// The dossier's offers written out, when `offer` is a bare name the
/// dossier holds as an offer; a file of that name here that differs from
/// the dossier's is refused as ambiguous.
fn from_dossier(
    kept: &super::dossier::Keeper,
    offer: &Path,
) -> Result<Option<super::dossier::Materialised>, Error> {
    let bare = offer.parent().is_none_or(|p| p.as_os_str().is_empty());
    let Some(name) = offer.to_str().filter(|_| bare && kept.is_some()) else {
        return Ok(None);
    };
    if !kept.holds(crate::dossier::Role::Offer, name)? {
        return Ok(None);
    }
    let Some(m) = kept.materialise()? else {
        return Ok(None);
    };
    if offer.is_file() {
        let here = crate::input::read_at_most(offer, crate::dossier::MAX_FILE)?;
        let there = std::fs::read(m.dir.join(name)).map_err(|e| Error::Io(m.dir.join(name), e))?;
        if here != there {
            return Err(Error::Usage(format!(
                "{name}: this file differs from the offer of that name in the dossier: give \
                 ./{name} to award this file, or run from another folder to award the \
                 dossier's"
            )));
        }
    }
    eprintln!(
        "boussole: {} read from the dossier",
        crate::text::terminal(name)
    );
    Ok(Some(m))
}
