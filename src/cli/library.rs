//! `boussole library list | export | lint`.

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use crate::Error;
use crate::library::{self, Audience, Library, export, lint};
use crate::text::{self, Lang};

/// The library subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// List the questions (or clauses) of the library.
    #[command(after_help = "\
Examples:
  boussole library list
  boussole library list --criterion sobriety --audience vendor
  boussole library list --clauses --format md > clauses.md
  boussole library list --format json --library ./ma-bibliotheque")]
    List(ListArgs),
    /// Export the whole library as JSON (the contract other tools read).
    #[command(after_help = "\
Examples:
  boussole library export > bibliotheque.json
  boussole library export -o bibliotheque.json
  boussole library export --schema      the JSON Schema of the export")]
    Export(ExportArgs),
    /// Check a library folder: ids, references, conditions, rules, examples, translations.
    #[command(after_help = "\
Examples:
  boussole library lint                  the embedded library
  boussole library lint ./ma-bibliotheque

Each problem names its file and id, with a stable code. Exit status 2 when any error.")]
    Lint(LintArgs),
}

/// Output formats of `library list`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ListFormat {
    /// Aligned columns for the terminal.
    Table,
    /// JSON, as in the export.
    Json,
    /// A Markdown table.
    Md,
}

/// Arguments of `library list`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only this criterion (biometrics, legal, public_service, working_conditions, sobriety, transparency, alternative).
    #[arg(long, value_name = "ID")]
    pub criterion: Option<String>,
    /// Only questions for this audience.
    #[arg(long, value_enum)]
    pub audience: Option<AudienceArg>,
    /// List clauses instead of questions.
    #[arg(long)]
    pub clauses: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
    /// Language of the texts.
    #[arg(long, value_enum, default_value = "fr")]
    pub lang: LangArg,
    /// A customised copy of the library; without it, the embedded one.
    #[arg(long, value_name = "DIR")]
    pub library: Option<PathBuf>,
}

/// Audience filter.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum AudienceArg {
    /// Questions vendors answer.
    Vendor,
    /// Questions the buyer's project group answers.
    Internal,
}

/// Language choice.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    /// Français.
    Fr,
    /// English.
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Fr => Lang::Fr,
            LangArg::En => Lang::En,
        }
    }
}

/// Arguments of `library export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Export format (JSON only).
    #[arg(long, value_enum, default_value = "json")]
    pub format: ExportFormat,
    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
    /// Print the JSON Schema of the export instead.
    #[arg(long)]
    pub schema: bool,
    /// A customised copy of the library; without it, the embedded one.
    #[arg(long, value_name = "DIR")]
    pub library: Option<PathBuf>,
}

/// Export formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    /// JSON.
    Json,
}

/// Arguments of `library lint`.
#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// The library folder; without it, the embedded library.
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// Runs a library subcommand.
pub fn run(cmd: Command) -> Result<u8, Error> {
    match cmd {
        Command::List(a) => list(a),
        Command::Export(a) => {
            if a.schema {
                crate::output::write(a.output.as_deref(), export::schema().as_bytes(), a.force)?;
                return Ok(super::SUCCESS);
            }
            let lib = library::load(a.library.as_deref())?;
            crate::output::write(
                a.output.as_deref(),
                export::to_json(&lib).as_bytes(),
                a.force,
            )?;
            Ok(super::SUCCESS)
        }
        Command::Lint(a) => lint_folder(a.dir.as_deref()),
    }
}

fn lint_folder(dir: Option<&Path>) -> Result<u8, Error> {
    let (origin, sources) = match dir {
        Some(d) => (d.to_path_buf(), library::load::folder_sources(d)?),
        None => (
            PathBuf::from(library::load::EMBEDDED_ORIGIN),
            library::load::embedded_sources(),
        ),
    };
    let lib = library::load::parse(&origin, &sources)?;
    let diags = lint::lint(&lib);
    let errors = diags
        .iter()
        .filter(|d| d.level == lint::Level::Error)
        .count();
    let to_verify = diags
        .iter()
        .filter(|d| d.code == lint::Code::LegalToVerify)
        .count();
    for d in &diags {
        println!("{d}");
    }
    println!(
        "{}: {} criteria, {} clauses, {} questions; {errors} error(s), {} warning(s), \
         of which {to_verify} legal reference(s) to verify",
        origin.display(),
        lib.criteria.len(),
        lib.clauses.len(),
        lib.questions.len(),
        diags.len() - errors,
    );
    Ok(if errors > 0 {
        super::ERROR
    } else {
        super::SUCCESS
    })
}

fn list(a: ListArgs) -> Result<u8, Error> {
    let lib = library::load(a.library.as_deref())?;
    if let Some(c) = a
        .criterion
        .as_deref()
        .filter(|c| lib.criterion(c).is_none())
    {
        return Err(Error::Usage(format!(
            "--criterion {c}: unknown criterion (criteria: {})",
            library::CRITERIA.join(", ")
        )));
    }
    let lang = Lang::from(a.lang);
    let rows = if a.clauses {
        clause_rows(&lib, &a, lang)
    } else {
        question_rows(&lib, &a, lang)
    };
    let out = match a.format {
        ListFormat::Json => {
            let json = if a.clauses {
                serde_json::to_value(
                    lib.clauses
                        .iter()
                        .filter(|c| rows.iter().any(|r| r[0] == c.id))
                        .collect::<Vec<_>>(),
                )
            } else {
                serde_json::to_value(
                    lib.questions
                        .iter()
                        .filter(|q| rows.iter().any(|r| r[0] == q.id))
                        .collect::<Vec<_>>(),
                )
            };
            serde_json::to_string_pretty(&json.unwrap_or_default()).unwrap_or_default() + "\n"
        }
        ListFormat::Md => text::table(&headers(a.clauses), &rows, true),
        ListFormat::Table => {
            let upper: Vec<String> = headers(a.clauses)
                .iter()
                .map(|h| h.to_uppercase())
                .collect();
            text::table(
                &upper.iter().map(String::as_str).collect::<Vec<_>>(),
                &rows,
                false,
            )
        }
    };
    crate::output::write(None, out.as_bytes(), false)?;
    Ok(super::SUCCESS)
}

fn headers(clauses: bool) -> Vec<&'static str> {
    if clauses {
        vec!["id", "criterion", "part", "questions", "title"]
    } else {
        vec![
            "id",
            "criterion",
            "audience",
            "answer",
            "weight",
            "severity",
            "question",
        ]
    }
}

fn question_rows(lib: &Library, a: &ListArgs, lang: Lang) -> Vec<Vec<String>> {
    lib.questions
        .iter()
        .filter(|q| a.criterion.as_ref().is_none_or(|c| &q.criterion == c))
        .filter(|q| match a.audience {
            Some(AudienceArg::Vendor) => q.asks(Audience::Vendor),
            Some(AudienceArg::Internal) => q.asks(Audience::Internal),
            None => true,
        })
        .map(|q| {
            let audience = q.audience.iter().map(|x| match x {
                Audience::Vendor => "vendor",
                Audience::Internal => "internal",
            });
            vec![
                q.id.clone(),
                q.criterion.clone(),
                audience.collect::<Vec<_>>().join("+"),
                q.answer.name().to_string(),
                q.weight.to_string(),
                q.rule
                    .as_ref()
                    .map_or("-".into(), |r| r.severity.to_string()),
                q.text.get(lang).to_string(),
            ]
        })
        .collect()
}

fn clause_rows(lib: &Library, a: &ListArgs, lang: Lang) -> Vec<Vec<String>> {
    lib.clauses
        .iter()
        .filter(|c| a.criterion.as_ref().is_none_or(|x| &c.criterion == x))
        .map(|c| {
            let part = serde_json::to_value(c.part)
                .ok()
                .and_then(|v| v.as_str().map(String::from));
            vec![
                c.id.clone(),
                c.criterion.clone(),
                part.unwrap_or_default(),
                c.questions.join(" "),
                c.title.get(lang).to_string(),
            ]
        })
        .collect()
}
