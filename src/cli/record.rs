//! `boussole record`: the algorithm's public record, from the sealed award,
//! the project group's completed grid and the tender profile.

use std::path::PathBuf;

use clap::ValueEnum;

use super::library::LangArg;
use crate::Error;
use crate::library::Audience;
use crate::office::{docx, markdown};

/// Arguments of `record`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  boussole record --award engagements.json --grid grille-remplie.xlsx -o fiche.docx
  boussole record --award engagements.json --grid grille-remplie.xlsx -o registre.json
  boussole record --award engagements.json --lock questionnaire.xlsx.boussole.lock -o fiche.md

The DOCX and Markdown hold the sheet a person may obtain about a decision taken on the
basis of the algorithm (CRPA art. L. 311-3-1 and R. 311-3-1-2) and the entry of the public
inventory of algorithms (art. L. 312-1-3); the JSON is that entry in the Eurocities
Algorithmic Transparency Standard 0.3.1. Each field is filled from the award's
commitments, the completed grid or the profile; a field none of them holds is marked
« À compléter par … » in the documents and listed in `missing` in the JSON, never invented.
With --dossier NAME, the file written is kept in the dossier too (role record).

Exit status: 0 written, 2 an input cannot be read or the award was changed after it was sealed.")]
pub struct Args {
    /// The award written by `boussole award` (JSON sealed by its digest).
    #[arg(long, value_name = "FILE")]
    pub award: PathBuf,
    /// The project group's completed grid (as `boussole grid review` reads it).
    #[arg(long, value_name = "FILE")]
    pub grid: Option<PathBuf>,
    #[command(flatten)]
    pub source: super::Source,
    /// The tender as issued (a .boussole.lock) instead of --profile.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["profile", "library"])]
    pub lock: Option<PathBuf>,
    /// Output file: .docx, .md or .json.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Output format (default: from FILE's extension).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Language (default: the profile's).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub dossier: super::dossier::Target,
}

/// Formats of the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Word document: the sheet and the inventory entry.
    Docx,
    /// Markdown: the same.
    Md,
    /// JSON: the inventory entry (Algorithmic Transparency Standard 0.3.1).
    Json,
}

/// Writes the record.
pub fn run(args: Args) -> Result<u8, Error> {
    let format = super::format_of(
        &args.output,
        args.format,
        &[
            ("docx", Format::Docx),
            ("md", Format::Md),
            ("json", Format::Json),
        ],
    )?;
    if args.output.exists() && !args.force {
        return Err(Error::Exists(args.output.clone()));
    }
    let mut inputs = vec![args.award.as_path()];
    inputs.extend(args.grid.as_deref());
    crate::output::refuse_input(&args.output, &inputs)?;
    let mut kept = args.dossier.open("boussole record")?;
    let basis = args
        .source
        .basis(args.lock.as_deref(), args.lang, Audience::Internal)?;
    let award = crate::award::Award::read(&args.award)?.of_tender(
        &args.award,
        &basis.profile.tender.reference,
        if args.lock.is_some() {
            "lock"
        } else {
            "profile"
        },
    )?;
    let grid = match &args.grid {
        Some(path) => {
            // a pipe given as the grid would make the reading wait for ever
            crate::input::open(path)?;
            let read = crate::response::read(path)
                .map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
            if crate::grid::opinion::is_followup(&read) {
                return Err(Error::Usage(format!(
                    "{}: is a yearly follow-up sheet, not the completed grid",
                    path.display()
                )));
            }
            // a vendor's questionnaire has no opinion nor instruction rows:
            // its answers must not pass for the project group's
            if read.extras.is_empty() {
                return Err(Error::Usage(format!(
                    "{}: is not the project group's grid (it has none of the grid's opinion and instruction rows); give the grid written by `boussole grid`, completed",
                    path.display()
                )));
            }
            Some(read)
        }
        None => None,
    };
    let filled = crate::record::build(&award, grid.as_ref(), &basis);
    let bytes = match format {
        Format::Json => (serde_json::to_string_pretty(&crate::record::register(&filled))
            .map_err(|e| Error::Usage(e.to_string()))?
            + "\n")
            .into_bytes(),
        Format::Md => markdown::render(&crate::record::document(&filled, &basis)).into_bytes(),
        Format::Docx => docx::render(&crate::record::document(&filled, &basis))?,
    };
    crate::output::write_file(&args.output, &bytes, args.force)?;
    eprintln!(
        "boussole: wrote {} ({} field(s) to complete)",
        args.output.display(),
        filled.missing().count()
    );
    kept.file(crate::dossier::Role::Record, &args.output);
    kept.commit()?;
    Ok(super::SUCCESS)
}
