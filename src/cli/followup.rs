//! `boussole followup`: the contractor's yearly report, written from the
//! awarded offer's commitments and checked against them.

use std::path::PathBuf;

use super::library::LangArg;
use crate::Error;
use crate::award::followup::Followup;
use crate::award::{Award, yearly};

/// The `followup` commands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Write the workbook the contractor fills each year, prefilled with what its offer promised.
    #[command(after_help = "\
Examples:
  boussole followup template --award engagements.json --year 1 -o rapport-annee-1.xlsx
  boussole followup template --lock questionnaire.xlsx.boussole.lock --award engagements.json --year 2 -o rapport-annee-2.xlsx
  boussole followup template --award engagements.json --notice -o avis-changement-modele.xlsx

One line per yearly indicator the offer committed to (energy per task, PUE, WUE, carbon
intensity, renewable share, time to take charge of incidents, bias gap, hours saved…),
with the value promised beside it, and one per event the contract asks to be reported
(measurement method, incidents, bias re-assessment, reversibility test, change of model
with its notice and re-tests). The contractor fills the yellow cells.
--notice writes instead the notice the contractor sends before changing its model: what
changes, why, when, the date of the notice and the re-tests done.
With --dossier NAME, the workbook is kept in the dossier too (role followup).")]
    Template(TemplateArgs),
    /// Check the contractor's yearly reports against the commitments; the evolution over the years.
    #[command(after_help = "\
Examples:
  boussole followup check --award engagements.json rapport-annee-1.xlsx
  boussole followup check --award engagements.json rapport-annee-*.xlsx -o suivi.docx
  boussole followup check --award engagements.json rapport-annee-*.xlsx --group suivi-annee-*.xlsx -o suivi.md
  boussole followup check --award engagements.json avis-changement-modele.xlsx

Each line is kept, reported, missed (a value that breaks the promise, a required answer
not given, a notice too short), not reported or unreadable; a finding names the article
and the penalty the contract provides. A change of model put into service without the
re-tests is flagged as a possible modification of the contract for legal staff to examine;
on a notice, a re-test not done says the buyer may refuse the change or have it suspended.
--group adds the project group's own yearly sheets (`boussole grid --followup N`).
With --dossier NAME, the file written with -o is kept in the dossier too (role followup).

Exit status: 0 every commitment kept and every line reported, 1 something to examine,
2 a file could not be read.")]
    Check(CheckArgs),
}

/// Arguments of `followup template`.
#[derive(Debug, clap::Args)]
pub struct TemplateArgs {
    #[command(flatten)]
    pub against: Against,
    /// The year of the contract the report covers (1 for the first year).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=20), required_unless_present = "notice")]
    pub year: Option<u32>,
    /// Write instead the notice the contractor sends before a change of model.
    #[arg(long, conflicts_with = "year")]
    pub notice: bool,
    /// The workbook to write (.xlsx).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub dossier: super::dossier::Target,
}

/// Arguments of `followup check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The contractor's filled yearly reports or notices of change (.xlsx .xlsm .xls .ods).
    #[arg(required = true, value_name = "REPORT")]
    pub reports: Vec<PathBuf>,
    #[command(flatten)]
    pub against: Against,
    /// The year of a single report whose file does not say it.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub year: Option<u32>,
    /// The project group's yearly follow-up sheets, to show beside the reports.
    #[arg(long, value_name = "SHEET", num_args = 1..)]
    pub group: Vec<PathBuf>,
    /// Write to this file (.docx, .md or .json) instead of standard output (Markdown).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub dossier: super::dossier::Target,
}

/// What both commands start from: the commitments, and the tender they are
/// read against.
#[derive(Debug, clap::Args)]
pub struct Against {
    /// The commitments recorded by `boussole award` (JSON).
    #[arg(long, value_name = "FILE")]
    pub award: PathBuf,
    #[command(flatten)]
    pub source: super::Source,
    /// The selection as issued with the questionnaire (its .boussole.lock).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["profile", "library"])]
    pub lock: Option<PathBuf>,
    /// Language of what is written (default: the profile's).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
}

impl Against {
    /// The commitments, sealed as recorded, and the tender they must be
    /// the commitments of.
    fn load(&self) -> Result<(Award, crate::check::Basis), Error> {
        let basis = self.source.basis(
            self.lock.as_deref(),
            self.lang,
            crate::library::Audience::Vendor,
        )?;
        let award = Award::read(&self.award)?.of_tender(
            &self.award,
            &basis.profile.tender.reference,
            if self.lock.is_some() {
                "lock"
            } else {
                "profile"
            },
        )?;
        Ok((award, basis))
    }
}

/// Runs a `followup` command.
pub fn run(c: Command) -> Result<u8, Error> {
    match c {
        Command::Template(a) => template(a),
        Command::Check(a) => check(a),
    }
}

fn template(a: TemplateArgs) -> Result<u8, Error> {
    let mut kept = a.dossier.open("boussole followup template")?;
    let (award, basis) = a.against.load()?;
    crate::output::refuse_input(&a.output, &[&a.against.award])?;
    let form = match a.year {
        Some(year) if !a.notice => yearly::Form::Year(year),
        _ => yearly::Form::Notice,
    };
    let bytes = crate::award::workbook::template(&basis, &award, form)?;
    crate::output::write_file(&a.output, &bytes, a.force)?;
    eprintln!(
        "boussole: wrote {} ({} of {})",
        a.output.display(),
        form.title(crate::text::Lang::En).to_lowercase(),
        crate::text::terminal(&award.vendor)
    );
    kept.file(crate::dossier::Role::Followup, &a.output);
    kept.commit()?;
    Ok(super::SUCCESS)
}

fn check(a: CheckArgs) -> Result<u8, Error> {
    let mut kept = a.dossier.open("boussole followup check")?;
    let (award, basis) = a.against.load()?;
    if a.year.is_some() && a.reports.len() > 1 {
        return Err(Error::Usage(
            "--year gives the year of a single report; each of several reports must state its own"
                .into(),
        ));
    }
    let exe = std::env::current_exe().ok();
    let read = |path: &PathBuf| match &exe {
        Some(exe) => crate::response::read::read_isolating_xls(path, exe),
        None => crate::response::read(path),
    };
    let mut unreadable = false;
    let mut years = Vec::new();
    for path in &a.reports {
        let shown = path.display().to_string();
        let response = match read(path) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("boussole: {shown}: {e}: not checked");
                unreadable = true;
                continue;
            }
        };
        match yearly::check(&basis, &award, &response, &shown, a.year) {
            Ok(y) => {
                if let yearly::Form::Year(n) = y.form
                    && years.iter().any(|x: &yearly::Report| x.form == y.form)
                {
                    eprintln!("boussole: {shown}: a second report for year {n}: not checked");
                    unreadable = true;
                    continue;
                }
                years.push(y);
            }
            Err(e) => {
                eprintln!("boussole: {e}");
                unreadable = true;
            }
        }
    }
    let mut sheets = Vec::new();
    for path in &a.group {
        match read(path) {
            Ok(r) => sheets.push(r),
            Err(e) => {
                eprintln!("boussole: {}: {e}: not read", path.display());
                unreadable = true;
            }
        }
    }
    let group = crate::grid::followup::evolution(&basis.selection, &sheets);
    let followup = Followup::new(&award, years, group);
    let ext = a
        .output
        .as_deref()
        .and_then(|o| o.extension())
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let bytes = match ext.as_deref() {
        Some("json") => serde_json::to_string_pretty(&followup)
            .map_err(|e| Error::Usage(e.to_string()))?
            .into_bytes(),
        Some("docx") => crate::office::docx::render(&followup.document(basis.lang))?,
        _ => crate::office::markdown::render(&followup.document(basis.lang)).into_bytes(),
    };
    if let Some(out) = &a.output {
        let mut inputs: Vec<&std::path::Path> = vec![&a.against.award];
        inputs.extend(a.reports.iter().map(PathBuf::as_path));
        inputs.extend(a.group.iter().map(PathBuf::as_path));
        crate::output::refuse_input(out, &inputs)?;
    }
    crate::output::write(a.output.as_deref(), &bytes, a.force)?;
    if let Some(out) = &a.output {
        kept.file(crate::dossier::Role::Followup, out);
    }
    kept.commit()?;
    Ok(if unreadable {
        2
    } else if followup.has_findings() {
        1
    } else {
        super::SUCCESS
    })
}
