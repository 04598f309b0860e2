//! `boussole questionnaire`: the vendor questionnaire and its lock.

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::library::LangArg;
use crate::Error;
use crate::library::Audience;
use crate::questionnaire::{self, Questionnaire, lock::Lock};
use crate::text::Lang;

/// Arguments of `questionnaire`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  boussole questionnaire -o questionnaire.xlsx
  boussole questionnaire -p profil.toml -o questionnaire.docx
  boussole questionnaire -p profil.toml --lang en -o questionnaire-en.xlsx
  BOUSSOLE_PASSWORD=… boussole questionnaire -p profil.toml -o questionnaire.xlsx

Beside FILE, FILE.boussole.lock records the selection as issued; check answers against it
with `boussole check --lock FILE.boussole.lock`.")]
pub struct Args {
    #[command(flatten)]
    pub source: super::Source,
    /// Output file, .xlsx or .docx.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Output format (default: from FILE's extension).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Language (default: the profile's).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// A file holding the sheet-protection password (else BOUSSOLE_PASSWORD, else none).
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,
    /// Replace FILE and its lock if they exist.
    #[arg(long)]
    pub force: bool,
}

/// Questionnaire formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Excel workbook, with drop-downs and protected question cells.
    Xlsx,
    /// Word document.
    Docx,
}

fn password(file: Option<&Path>) -> Result<Option<String>, Error> {
    let raw = match file {
        Some(p) => Some(crate::input::read_to_string(p)?),
        None => std::env::var("BOUSSOLE_PASSWORD").ok(),
    };
    Ok(raw
        .map(|s| s.trim_end_matches(['\r', '\n']).to_string())
        .filter(|s| !s.is_empty()))
}

/// Writes the questionnaire and its lock.
pub fn run(args: Args) -> Result<u8, Error> {
    write(&args, Audience::Vendor)
}

/// Writes the questionnaire for `audience` (vendors, or the project group's
/// internal grid) and its lock.
pub fn write(args: &Args, audience: Audience) -> Result<u8, Error> {
    let format = super::format_of(
        &args.output,
        args.format,
        &[("xlsx", Format::Xlsx), ("docx", Format::Docx)],
    )?;
    let lock_path = Lock::path_for(&args.output);
    for p in [&args.output, &lock_path] {
        if p.exists() && !args.force {
            return Err(Error::Exists(p.clone()));
        }
    }
    let super::Tender {
        profile,
        selection: sel,
    } = args.source.resolve()?;
    let password = password(args.password_file.as_deref())?;
    let q = Questionnaire {
        selection: &sel,
        profile: &profile,
        lang: args.lang.map(Lang::from).unwrap_or(profile.tender.language),
        audience,
        password: password.as_deref(),
    };
    let bytes = match format {
        Format::Xlsx => questionnaire::xlsx::render(&q)?,
        Format::Docx => questionnaire::docx::render(&q)?,
    };
    crate::output::write_file(&args.output, &bytes, args.force)?;
    crate::output::write_file(&lock_path, Lock::new(&q).to_json().as_bytes(), args.force)?;
    eprintln!(
        "boussole: wrote {} ({} questions) and {}",
        args.output.display(),
        q.questions().count(),
        lock_path.display()
    );
    Ok(super::SUCCESS)
}
