//! `boussole annex`: the tender annex, as DOCX or Markdown.

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::library::LangArg;
use crate::Error;
use crate::office::{docx, markdown};
use crate::text::Lang;
use crate::{annex, library, profile, selection};

/// Arguments of `annex`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  boussole annex -o annexe.docx                 the embedded default profile
  boussole annex -p profil.toml -o annexe.docx
  boussole annex -p profil.toml -o annexe.md
  boussole annex -p profil.toml --lang en -o annex-en.docx

The annex has three parts: minimum requirements (CCTP), execution obligations (CCAP) and
award criteria (RC), printed from the same scoring plan the checker applies.")]
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
}

/// Annex formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Word document.
    Docx,
    /// Markdown.
    Md,
}

fn format_of(path: &Path, explicit: Option<Format>) -> Result<Format, Error> {
    if let Some(f) = explicit {
        return Ok(f);
    }
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("docx") => Ok(Format::Docx),
        Some("md") => Ok(Format::Md),
        _ => Err(Error::Usage(format!(
            "{}: the file name must end in .docx or .md (or give --format)",
            path.display()
        ))),
    }
}

/// Writes the annex.
pub fn run(args: Args) -> Result<u8, Error> {
    let format = format_of(&args.output, args.format)?;
    if args.output.exists() && !args.force {
        return Err(Error::Exists(args.output));
    }
    let lib = library::load(args.source.library.as_deref())?;
    let checked = profile::load(args.source.profile.as_deref(), &lib)?;
    for w in &checked.warnings {
        eprintln!("boussole: warning: {w}");
    }
    let sel = selection::resolve(&lib, &checked.profile);
    let lang = args
        .lang
        .map(Lang::from)
        .unwrap_or(checked.profile.tender.language);
    let doc = annex::build(&sel, &checked.profile, lang);
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
    Ok(super::SUCCESS)
}
