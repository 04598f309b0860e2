//! `boussole demo`: the whole journey on embedded data, in one folder.

use std::path::{Path, PathBuf};

use clap::Parser;

use super::Arguments;
use crate::Error;
use crate::demo;

/// Arguments of `demo`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  boussole demo                  writes ./boussole-demo
  boussole demo ~/essai-boussole
  boussole demo --force          replaces the files of an existing demo folder

Then open LISEZ-MOI.md in the folder: it says what each file is, in the order to open them.")]
pub struct Args {
    /// The folder to write (refused if it exists and is not empty, unless --force).
    #[arg(default_value = "boussole-demo", value_name = "DIR")]
    pub dir: PathBuf,
    /// Write into an existing, non-empty folder, replacing the demo's files.
    #[arg(long)]
    pub force: bool,
}

/// The commands the demo runs, as a buyer would type them (paths relative to DIR).
#[rustfmt::skip]
const STEPS: &[&[&str]] = &[
    &["annex", "-p", "profil.toml", "-o", "annexe.docx"],
    &["annex", "-p", "profil.toml", "-o", "annexe.md"],
    &["questionnaire", "-p", "profil.toml", "-o", "questionnaire.xlsx"],
    &["questionnaire", "-p", "profil.toml", "-o", "questionnaire.docx"],
    &["check", "--lock", "questionnaire.xlsx.boussole.lock", "reponses", "--format", "json", "-o", "rapport.json"],
    &["check", "--lock", "questionnaire.xlsx.boussole.lock", "reponses", "--format", "md", "-o", "rapport.md"],
    &["check", "--lock", "questionnaire.xlsx.boussole.lock", "reponses", "--format", "xlsx", "-o", "rapport.xlsx"],
    &["check", "--lock", "questionnaire.xlsx.boussole.lock", "reponses", "--format", "docx", "-o", "note-juridique.docx"],
    &["check", "--lock", "questionnaire.xlsx.boussole.lock", "reponses", "--format", "letters", "-o", "lettres"],
    &["compare", "--lock", "questionnaire.xlsx.boussole.lock", "reponses", "-o", "comparaison.xlsx"],
    &["compare", "--lock", "questionnaire.xlsx.boussole.lock", "reponses", "-o", "comparaison.docx"],
    &["compare", "--lock", "questionnaire.xlsx.boussole.lock", "reponses", "-o", "comparaison.md"],
    &["grid", "-p", "profil.toml", "-o", "grille/grille.xlsx"],
    &["grid", "-p", "profil.toml", "--followup", "1", "-o", "grille/suivi-annee-1.xlsx"],
    &["grid", "review", "grille/grille-remplie.xlsx", "--lock", "grille/grille.xlsx.boussole.lock", "-o", "grille/avis.docx"],
    &["grid", "review", "grille/grille-remplie.xlsx", "--lock", "grille/grille.xlsx.boussole.lock", "-o", "grille/avis.md"],
    &["award", "--lock", "questionnaire.xlsx.boussole.lock", "reponses/atelier-numerique-loire.xlsx", "-o", "suivi/engagements.json"],
    &["award", "--lock", "questionnaire.xlsx.boussole.lock", "reponses/atelier-numerique-loire.xlsx", "-o", "suivi/engagements.md"],
    &["followup", "template", "--lock", "questionnaire.xlsx.boussole.lock", "--award", "suivi/engagements.json", "--year", "2", "-o", "suivi/rapport-annee-2-a-remplir.xlsx"],
    &["followup", "check", "--lock", "questionnaire.xlsx.boussole.lock", "--award", "suivi/engagements.json", "suivi/rapport-annee-1.xlsx", "-o", "suivi/suivi-execution.docx"],
    &["followup", "check", "--lock", "questionnaire.xlsx.boussole.lock", "--award", "suivi/engagements.json", "suivi/rapport-annee-1.xlsx", "-o", "suivi/suivi-execution.md"],
    &["record", "--lock", "questionnaire.xlsx.boussole.lock", "--award", "suivi/engagements.json", "--grid", "grille/grille-remplie.xlsx", "-o", "suivi/fiche-algorithme.docx"],
    &["record", "--lock", "questionnaire.xlsx.boussole.lock", "--award", "suivi/engagements.json", "--grid", "grille/grille-remplie.xlsx", "-o", "suivi/fiche-algorithme.md"],
];

fn write(dir: &Path, rel: &str, bytes: &[u8]) -> Result<(), Error> {
    crate::output::write_file(&under(dir, rel), bytes, true)
}

/// The file `rel` (folders separated by `/`) of the demo folder, joined part
/// by part so that the path shown uses the platform's separator (`\` on
/// Windows).
fn under(dir: &Path, rel: &str) -> PathBuf {
    rel.split('/')
        .fold(dir.to_path_buf(), |path, part| path.join(part))
}

/// A path of the demo folder as the commands see it.
fn within(dir: &Path, arg: &str) -> String {
    let looks_like_path =
        arg.contains('.') || arg.contains('/') || ["reponses", "lettres"].contains(&arg);
    if looks_like_path && !arg.starts_with('-') {
        under(dir, arg).display().to_string()
    } else {
        arg.to_string()
    }
}

/// Writes the demo folder and prints the verdicts.
pub fn run(args: Args) -> Result<u8, Error> {
    let dir = &args.dir;
    let not_empty = std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some());
    if not_empty && !args.force {
        return Err(Error::Usage(format!(
            "{}: the folder exists and is not empty (use --force to write the demo into it)",
            dir.display()
        )));
    }
    write(
        dir,
        "profil.toml",
        crate::profile::load::TEMPLATE.as_bytes(),
    )?;
    for f in demo::OFFERS
        .iter()
        .chain(demo::EVIDENCE)
        .chain([&demo::GRID, &demo::YEARLY_REPORT])
    {
        write(dir, f.path, f.bytes)?;
    }
    for step in STEPS {
        let mut argv = vec!["boussole".to_string()];
        argv.extend(step.iter().map(|a| within(dir, a)));
        argv.push("--force".into());
        let parsed = Arguments::try_parse_from(&argv)
            .map_err(|e| Error::Usage(format!("demo step {step:?}: {e}")))?;
        let code = super::run(parsed)?;
        if code == super::ERROR {
            return Err(Error::Usage(format!("demo step {step:?} failed")));
        }
    }
    write(dir, "LISEZ-MOI.md", demo::README.as_bytes())?;
    summary(dir)
}

/// Prints the verdicts and the files to open first.
fn summary(dir: &Path) -> Result<u8, Error> {
    let path = dir.join("rapport.json");
    let text = std::fs::read_to_string(&path).map_err(|e| Error::Io(path.clone(), e))?;
    let report: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
    println!("boussole demo: {}", dir.display());
    println!();
    for r in report["results"].as_array().into_iter().flatten() {
        let name = r["vendor"]["name"].as_str().unwrap_or("—");
        let verdict = match r["verdict"].as_str() {
            Some("compliant") => "conforme",
            Some("compliant_with_reservations") => "conforme avec réserves",
            Some("incomplete") => "incomplète",
            Some("non_compliant") => "non conforme",
            _ => "erreur",
        };
        let score = r["score"]
            .as_f64()
            .map_or("—".to_string(), |s| format!("{s:.1}"));
        println!("  {verdict:<28} {score:>6}  {name}");
    }
    println!();
    println!("Open first:");
    for f in [
        "LISEZ-MOI.md",
        "annexe.docx",
        "questionnaire.xlsx",
        "rapport.xlsx",
        "note-juridique.docx",
        "comparaison.docx",
        "grille/avis.docx",
        "suivi/suivi-execution.docx",
    ] {
        println!("  {}", under(dir, f).display());
    }
    Ok(super::SUCCESS)
}
