//! `boussole grid`: the project group's evaluation grid, its review into an
//! opinion, and the yearly follow-up sheets.

use std::path::PathBuf;

use clap::ValueEnum;

use super::library::LangArg;
use super::questionnaire;
use crate::Error;
use crate::check::Basis;
use crate::grid::{followup, opinion};
use crate::library::Audience;
use crate::office::{docx, markdown};
use crate::response;
use crate::text::Lang;

/// Arguments of `grid`.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
#[command(after_help = "\
Examples:
  boussole grid -p profil.toml -o grille.xlsx            the evaluation grid (and its lock)
  boussole grid -p profil.toml -o grille.docx
  boussole grid -p profil.toml --followup 1 -o suivi-annee-1.xlsx
  boussole grid review grille-remplie.xlsx --lock grille.xlsx.boussole.lock -o avis.docx
  boussole grid review grille-remplie.xlsx suivi-1.xlsx suivi-2.xlsx -p profil.toml -o avis.md

With --dossier NAME, each file written is kept in the dossier too: the grid and its lock
(role grid), a follow-up sheet (role followup), the opinion (role opinion).
  boussole grid -p profil.toml -o grille.xlsx --dossier ia-accueil-2027
  boussole grid review grille-remplie.xlsx -p profil.toml -o avis.docx --dossier ia-accueil-2027")]
pub struct Args {
    /// Review a completed grid.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// The grid's options (as the questionnaire's).
    #[command(flatten)]
    pub write: GridArgs,
}

/// Options of the grid itself.
#[derive(Debug, clap::Args)]
pub struct GridArgs {
    #[command(flatten)]
    pub source: super::Source,
    /// Output file: .xlsx or .docx (the follow-up sheet: .xlsx).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Output format (default: from FILE's extension).
    #[arg(long, value_enum)]
    pub format: Option<questionnaire::Format>,
    /// Language (default: the profile's).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// Write the follow-up sheet of year N (1 to 5) instead of the grid.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=20))]
    pub followup: Option<u32>,
    /// A file holding the sheet-protection password (else BOUSSOLE_PASSWORD, else none).
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,
    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub dossier: super::dossier::Target,
}

/// Grid subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Read a completed grid (and yearly follow-up sheets) and write the opinion for validation.
    Review(ReviewArgs),
}

/// Arguments of `grid review`.
#[derive(Debug, clap::Args)]
pub struct ReviewArgs {
    /// The completed grid, then any yearly follow-up sheets.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub source: super::Source,
    /// Review against the grid as issued (its .boussole.lock).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["profile", "library"])]
    pub lock: Option<PathBuf>,
    /// Output file: .docx, .md or .json.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Output format (default: from FILE's extension).
    #[arg(long, value_enum)]
    pub format: Option<OpinionFormat>,
    /// Language (default: the grid's).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub dossier: super::dossier::Target,
}

/// Opinion formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OpinionFormat {
    /// Word document.
    Docx,
    /// Markdown.
    Md,
    /// JSON (opinion ids, no legend text).
    Json,
}

/// Runs `grid`.
pub fn run(args: Args) -> Result<u8, Error> {
    match args.command {
        Some(Command::Review(r)) => review(r),
        None => write(args.write),
    }
}

fn write(a: GridArgs) -> Result<u8, Error> {
    let output = a
        .output
        .clone()
        .ok_or_else(|| Error::Usage("give the output file with -o FILE".into()))?;
    if let Some(year) = a.followup {
        if output.exists() && !a.force {
            return Err(Error::Exists(output));
        }
        let mut kept = a.dossier.open("boussole grid --followup")?;
        let super::Tender { profile, selection } = a.source.resolve()?;
        let lang = a.lang.map(Lang::from).unwrap_or(profile.tender.language);
        let basis = Basis {
            selection,
            profile,
            lang,
            audience: Audience::Internal,
            lock: crate::check::LockDigest::NoLock,
        };
        crate::output::write_file(&output, &followup::sheet(&basis, lang, year)?, a.force)?;
        eprintln!(
            "boussole: wrote {} (follow-up, year {year})",
            output.display()
        );
        kept.file(crate::dossier::Role::Followup, &output);
        kept.commit()?;
        return Ok(super::SUCCESS);
    }
    let args = questionnaire::Args {
        source: a.source,
        output,
        format: a.format,
        lang: a.lang,
        password_file: a.password_file,
        force: a.force,
        dossier: a.dossier,
    };
    questionnaire::write(&args, Audience::Internal)
}

fn review(r: ReviewArgs) -> Result<u8, Error> {
    let format = super::format_of(
        &r.output,
        r.format,
        &[
            ("docx", OpinionFormat::Docx),
            ("md", OpinionFormat::Md),
            ("json", OpinionFormat::Json),
        ],
    )?;
    if r.output.exists() && !r.force {
        return Err(Error::Exists(r.output.clone()));
    }
    let mut kept = r.dossier.open("boussole grid review")?;
    let basis = r
        .source
        .basis(r.lock.as_deref(), r.lang, Audience::Internal)?;
    let mut grid = None;
    let mut yearly = Vec::new();
    for path in &r.files {
        // a pipe given as the grid would make the reading wait for ever
        crate::input::open(path)?;
        let read =
            response::read(path).map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
        match (opinion::is_followup(&read), &grid) {
            (true, _) => yearly.push(read),
            (false, None) => grid = Some((path, read)),
            (false, Some(_)) => {
                return Err(Error::Usage(format!(
                    "{}: only one completed grid per review",
                    path.display()
                )));
            }
        }
    }
    let (path, grid) = grid.ok_or_else(|| {
        Error::Usage("no completed grid among the files (only follow-up sheets)".into())
    })?;
    let review = opinion::review(&path.display().to_string(), &grid, &basis, &yearly);
    let bytes = match format {
        OpinionFormat::Json => {
            (serde_json::to_string_pretty(&review).unwrap_or_default() + "\n").into_bytes()
        }
        OpinionFormat::Md => {
            markdown::render(&opinion::document(&review, &basis, basis.lang)).into_bytes()
        }
        OpinionFormat::Docx => docx::render(&opinion::document(&review, &basis, basis.lang))?,
    };
    crate::output::write_file(&r.output, &bytes, r.force)?;
    let unfavourable = review
        .criteria
        .iter()
        .filter(|c| c.retained == crate::grid::Opinion::Unfavourable)
        .count();
    eprintln!(
        "boussole: wrote {} ({unfavourable} unfavourable criterion/criteria)",
        r.output.display()
    );
    kept.file(crate::dossier::Role::Opinion, &r.output);
    kept.commit()?;
    Ok(super::SUCCESS)
}
