//! `boussole questionnaire`: the vendor questionnaire and its lock.

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::library::LangArg;
use crate::Error;
use crate::dossier::Role;
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
with `boussole check --lock FILE.boussole.lock`.

With --dossier NAME, the questionnaire and its lock are kept in the dossier too (roles
questionnaire and lock), a new version beside the one issued:
  boussole questionnaire -p profil.toml -o questionnaire.xlsx --dossier ia-accueil-2027")]
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
    #[command(flatten)]
    pub dossier: super::dossier::Target,
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
    let command = match audience {
        Audience::Internal => "boussole grid",
        _ => "boussole questionnaire",
    };
    let mut kept = args.dossier.open(command)?;
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
    // the project group's grid and its lock are the grid, not the issued
    // questionnaire's lock that offers are checked against
    let (document, lock) = match audience {
        Audience::Internal => (Role::Grid, Role::Grid),
        _ => (Role::Questionnaire, Role::Lock),
    };
    kept.file(document, &args.output);
    kept.file(lock, &lock_path);
    kept.commit()?;
    Ok(super::SUCCESS)
}
