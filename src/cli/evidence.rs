//! `boussole evidence read`: what evidence files state, normalised.

use std::path::PathBuf;

use clap::ValueEnum;

use super::library::LangArg;
use crate::Error;
use crate::evidence::{self, Evidence, Problem};
use crate::text::Lang;

/// The `evidence` commands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Read evidence files and print the facts they state, units converted.
    #[command(after_help = "\
Formats, recognised by their content:
  CodeCarbon emissions.csv           energy (kWh), emissions (kg CO2e), duration, hardware per run
  Hugging Face model card (.md)      licence, base model, data sets, co2_eq_emissions (grams)
  CycloneDX ML-BOM (JSON)            models, licences, data sets, energy per activity
  SPDX 3.0 AI and Dataset (JSON-LD)  AI packages, energy per activity, licence, data sets
  AI Energy Score run report (JSON)  GPU energy of the benchmark's 1,000 queries
  ML.ENERGY model data (JSON)        energy per 1,000 responses, per configuration

Examples:
  boussole evidence read offres/acme/emissions.csv
  boussole evidence read offres/acme/ --format json
  boussole check offres/     evidence in offres/acme/ is read with offres/acme.xlsx

Exit status: 0 every file read, 2 a file could not be read (the others are still read).")]
    Read(ReadArgs),
}

/// Arguments of `evidence read`.
#[derive(Debug, clap::Args)]
pub struct ReadArgs {
    /// Evidence files, or folders whose files are read.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Language of the text output.
    #[arg(long, value_enum, default_value = "fr")]
    pub lang: LangArg,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The facts in words.
    Text,
    /// The facts as JSON, one object per file.
    Json,
}

/// Runs an `evidence` command.
pub fn run(command: Command) -> Result<u8, Error> {
    let Command::Read(args) = command;
    let lang = Lang::from(args.lang);
    let mut files = Vec::new();
    for p in &args.paths {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| Error::Io(p.clone(), e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.is_file() && evidence::may_be_evidence(f))
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(p.clone());
        }
    }
    let mut status = super::SUCCESS;
    let mut read: Vec<Evidence> = Vec::new();
    for path in &files {
        let name = path.display().to_string();
        match evidence::read(path).and_then(|bytes| evidence::read_bytes(&name, &bytes)) {
            Ok(e) => read.push(e),
            Err(problem) => {
                status = super::ERROR;
                let why = match problem {
                    Problem::NotEvidence => problem.to_string(),
                    Problem::Unreadable(why) => why,
                };
                eprintln!(
                    "boussole: {}: {}",
                    crate::text::terminal(&name),
                    crate::text::terminal(&why)
                );
            }
        }
    }
    if files.is_empty() {
        return Err(Error::Usage(
            "no evidence file among the paths given (.csv .json .jsonld .md .yaml .yml)".into(),
        ));
    }
    let out = match args.format {
        Format::Json => {
            serde_json::to_string_pretty(&read).map_err(|e| Error::Usage(e.to_string()))? + "\n"
        }
        Format::Text => read.iter().map(|e| text(e, lang)).collect(),
    };
    print!("{}", crate::text::terminal_lines(&out));
    Ok(status)
}

/// One file's facts in words.
fn text(e: &Evidence, lang: Lang) -> String {
    let mut out = format!("{} — {}\n", e.file, e.kind(lang));
    for f in &e.facts {
        out += &format!(
            "  {} — {}, {}\n",
            f.claim.describe(lang),
            f.basis.label(lang),
            f.at.describe(lang)
        );
    }
    for u in &e.unconverted {
        out += &match lang {
            Lang::Fr => format!("  non lu — {}\n", u.describe(lang)),
            Lang::En => format!("  not read — {}\n", u.describe(lang)),
        };
    }
    if e.facts.is_empty() {
        out += match lang {
            Lang::Fr => "  (aucun fait lu)\n",
            Lang::En => "  (no fact read)\n",
        };
    }
    out
}
