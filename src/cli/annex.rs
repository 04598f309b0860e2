//! `boussole annex`: the tender annex, as DOCX or Markdown.

use std::path::PathBuf;

use clap::ValueEnum;

use super::library::LangArg;
use crate::Error;
use crate::annex;
use crate::office::{docx, markdown};
use crate::text::Lang;

/// Arguments of `annex`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  boussole annex -o annexe.docx                 the embedded default profile
  boussole annex -p profil.toml -o annexe.docx
  boussole annex -p profil.toml -o annexe.md
  boussole annex -p profil.toml --lang en -o annex-en.docx

The annex has three parts: minimum requirements (CCTP), execution obligations (CCAP) and
award criteria (RC), printed from the same scoring plan the checker applies.

With --dossier NAME, the annex is kept in the dossier too (role annex):
  boussole annex -p profil.toml -o annexe.docx --dossier ia-accueil-2027")]
pub struct Args {
    #[command(flatten)]
    pub source: super::Source,
    /// Output file, .docx or .md.
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

/// Annex formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Word document.
    Docx,
    /// Markdown.
    Md,
}

/// Writes the annex.
pub fn run(args: Args) -> Result<u8, Error> {
    let format = super::format_of(
        &args.output,
        args.format,
        &[("docx", Format::Docx), ("md", Format::Md)],
    )?;
    if args.output.exists() && !args.force {
        return Err(Error::Exists(args.output));
    }
    let mut kept = args.dossier.open("boussole annex")?;
    let super::Tender {
        profile,
        selection: sel,
    } = args.source.resolve()?;
    let lang = args.lang.map(Lang::from).unwrap_or(profile.tender.language);
    let doc = annex::build(&sel, &profile, lang);
    let bytes = match format {
        Format::Docx => docx::render(&doc)?,
        Format::Md => markdown::render(&doc).into_bytes(),
    };
    crate::output::write_file(&args.output, &bytes, args.force)?;
    eprintln!(
        "boussole: wrote {} ({} clauses)",
        args.output.display(),
        sel.clauses.len()
    );
    kept.file(crate::dossier::Role::Annex, &args.output);
    kept.commit()?;
    Ok(super::SUCCESS)
}
