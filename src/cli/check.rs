//! `boussole check`: read returned questionnaires, score them, say why.

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::library::LangArg;
use crate::Error;
use crate::check::Basis;
use crate::dossier::Role;
use crate::report;

/// Arguments of `check`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  boussole check offres/                              every returned file in a folder
  boussole check --lock questionnaire.xlsx.boussole.lock offres/
  boussole check -p profil.toml acme.xlsx biom.ods --format json -o rapport.json
  boussole check offres/ --format md -o rapport.md
  boussole check offres/ --format xlsx -o analyse.xlsx           the scoring workbook
  boussole check offres/ --decisions analyse.xlsx -o analyse-2.xlsx
                                       apply the decisions legal staff typed in the workbook
  boussole check offres/ --marks analyse.xlsx -o rapport.json
                                       apply the committee's marks typed in its marking sheet
  boussole check offres/ --format letters -o lettres/   a regularisation request per incomplete offer
  boussole check offres/ -o note.docx                   the memo for legal staff, one chapter per offer

Evidence files (CodeCarbon emissions.csv, model card, CycloneDX or SPDX 3 JSON, AI Energy
Score, ML.ENERGY) are read with the returned file they go with and compared with its answers
(see boussole evidence read): in a folder named after it (offres/acme/ for offres/acme.xlsx),
beside it when it is the only returned file of its folder or when their name begins with its
own (offres/acme-emissions.csv), or with it in one ZIP archive (offres/acme.zip).

Without --format, the format follows the extension of -o (.json .md .xlsx .docx), else text.

With --dossier NAME, every file written with -o is kept in the dossier too (role report, each
letter role letter). Given no PATH, the dossier's offers are checked: the latest version of
each offer, with the evidence files kept beside them (role evidence: attached to the offer
whose name theirs begins with, acme-emissions.csv with acme.xlsx), against the dossier's
latest lock unless --lock, --profile or --library is given:
  boussole check --dossier ia-accueil-2027 -o rapport.md
  boussole check --dossier ia-accueil-2027 -o analyse.xlsx
Legal staff's decisions kept in the dossier (taken on the review page of boussole serve) are
then applied as --decisions applies a workbook's: the one in force on each finding, on the
offer's version it was taken on (a new version of an offer is decided anew). With
--decisions WORKBOOK too, the workbook's decisions are taken after the dossier's: on a
finding both decide, the workbook's is applied. Files given as PATH are checked without the
dossier's decisions.

Exit status: 0 every offer compliant (with or without reservations), 1 an offer is
non-compliant or incomplete, 2 a file could not be read (the others are still checked).")]
pub struct Args {
    /// Returned files, or folders to search (.xlsx .xlsm .xls .ods .docx, or a .zip holding one
    /// with its evidence files).
    #[arg(required_unless_present_any = ["schema", "dossier"], value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub source: super::Source,
    /// Check against the selection as issued with the questionnaire (its .boussole.lock).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["profile", "library"])]
    pub lock: Option<PathBuf>,
    /// Output format (default: from the extension of -o, else text).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write the report to this file (a folder for letters) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace FILE (or the letters in the folder) if it exists.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub review: super::review::Review,
    /// Language of the report (default: the profile's).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// Print the JSON Schema of the report instead.
    #[arg(long)]
    pub schema: bool,
    /// Files checked at once (default: the number of cores).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    #[command(flatten)]
    pub dossier: super::dossier::Target,
}

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A readable summary.
    Text,
    /// The full report (see schema/report.schema.json).
    Json,
    /// The summary in Markdown.
    Md,
    /// The scoring workbook, for the committee and legal staff (needs -o).
    Xlsx,
    /// A regularisation request (DOCX) per incomplete offer, into the folder -o.
    Letters,
    /// The memo for legal staff, a Word document (needs -o).
    Docx,
}

impl Format {
    /// The format asked for, else the one of the output's extension, else text.
    fn of(args: &Args) -> Format {
        let known = [
            ("json", Format::Json),
            ("md", Format::Md),
            ("xlsx", Format::Xlsx),
            ("docx", Format::Docx),
        ];
        match (args.format, &args.output) {
            (Some(f), _) => f,
            (None, Some(out)) => super::format_of(out, None, &known).unwrap_or(Format::Text),
            (None, None) => Format::Text,
        }
    }
}

/// What the files are checked against (shared with `compare`).
fn basis(args: &Args) -> Result<Basis, Error> {
    args.source.basis(
        args.lock.as_deref(),
        args.lang,
        crate::library::Audience::Vendor,
    )
}

/// Checks the files and writes the report.
pub fn run(mut args: Args) -> Result<u8, Error> {
    if args.schema {
        crate::output::write(
            args.output.as_deref(),
            report::schema().as_bytes(),
            args.force,
        )?;
        return Ok(super::SUCCESS);
    }
    let format = Format::of(&args);
    refuse_output(&args, format)?;
    let kept = args.dossier.open("boussole check")?;
    // Given no file, the dossier's offers (and its lock), written out for
    // the readers as they are; the folder is removed when done.
    let materialised = match args.paths.is_empty() {
        true => kept.materialise()?,
        false => None,
    };
    if let Some(m) = &materialised {
        args.paths = vec![m.dir.clone()];
        let own_basis = args.source.profile.is_some() || args.source.library.is_some();
        if args.lock.is_none() && !own_basis {
            args.lock.clone_from(&m.lock);
            if m.lock.is_none() {
                eprintln!(
                    "boussole: warning: the dossier holds no questionnaire lock: the offers are \
                     checked against the embedded default profile (give --lock or --profile)"
                );
            }
        }
    }
    let own: Vec<PathBuf> = args
        .output
        .iter()
        .cloned()
        .chain(args.review.files())
        .collect();
    let (mut files, mut skipped) = report::collect(&args.paths, &own);
    if let Some(dir) = args.output.as_deref().filter(|_| format == Format::Letters) {
        pass_over_letters(dir, &mut files, &mut skipped);
    }
    // A batch that will be streamed has its first file read while the lock
    // is (each takes about as long for one file)
    let ahead =
        streamed_format(format) && materialised.is_none() && args.review.files().next().is_none();
    let (basis, first) = std::thread::scope(|s| {
        let basis = s.spawn(|| basis(&args));
        let first = if ahead {
            super::read_first(&files)
        } else {
            None
        };
        let basis = basis
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (basis, first)
    });
    let basis = basis?;
    let mut review = args.review.read(basis.lang)?;
    for s in &skipped {
        eprintln!(
            "boussole: skipped {} ({})",
            crate::text::terminal(&s.path),
            crate::text::terminal(&s.reason)
        );
    }
    let total = files.len();
    // a dossier's offers are few (a dossier's bounds) and their reports
    // are named by their original names, once all are checked
    if streams(format, &review) && materialised.is_none() {
        let target = match format {
            Format::Json => report::stream::Target::Json,
            _ => report::stream::Target::Summary {
                lang: basis.lang,
                md: format == Format::Md,
            },
        };
        let batch = super::check_streamed(&files, first, (&basis, target), args.jobs, skipped)?;
        write_streamed(&args, &batch)?;
        let written = args.output.iter().map(|o| (Role::Report, o.clone()));
        keep(kept, total, written.collect())?;
        let code = finish(total, batch.exit_code());
        // the batch's temporary file goes now (elsewhere than on Unix, when dropped)
        drop(batch);
        // The process ends with this command (`cli::main` returns its
        // status): the selection and profile, thousands of small
        // allocations, are left for the system to take back at once rather
        // than freed one by one (about 2 % of checking one file).
        std::mem::forget(basis);
        return code;
    }
    let mut results = super::check_files(&files, &basis, args.jobs);
    if let Some(m) = &materialised {
        for r in &mut results {
            r.file = m.label(&r.file);
        }
        for s in &mut skipped {
            s.path = m.label(&s.path);
        }
    }
    let mut report = report::report(&basis, skipped, results);
    if let (Some(_), Some((name, kept))) = (&materialised, kept.decisions()?) {
        let kept = report::decisions::from_dossier(name, &kept, &report, basis.lang);
        if !kept.entries.is_empty() {
            review.after_kept(kept, basis.lang);
        }
    }
    if let (Some(_), Some((name, kept))) = (&materialised, kept.marks()?) {
        let kept = report::marks::from_dossier(name, &kept, &report, basis.lang);
        if !kept.entries.is_empty() {
            review.after_kept_marks(kept, basis.lang);
        }
    }
    review.apply(&mut report, &basis);
    let written = write(&args, format, &report, &basis)?;
    keep(kept, total, written)?;
    finish(total, report.exit_code())
}

/// Keeps the files `written` in the dossier given, each under its role,
/// if files were checked.
fn keep(
    mut kept: super::dossier::Keeper,
    total: usize,
    written: Vec<(Role, PathBuf)>,
) -> Result<(), Error> {
    if total == 0 {
        return Ok(());
    }
    for (role, path) in &written {
        kept.file(*role, path);
    }
    kept.commit()
}

/// The exit status, or the error of a run that found no file to check.
fn finish(total: usize, code: u8) -> Result<u8, Error> {
    if total == 0 {
        return Err(Error::Usage(
            "no returned file to check among the paths given".into(),
        ));
    }
    Ok(code)
}

/// Whether the report is written one file after another, the batch
/// streamed (see [`report::stream`]): JSON, text and Markdown, unless legal
/// staff's decisions or the committee's marks are read back (they change
/// the whole batch's conclusion, kept in memory with the workbook, the memo
/// and the letters, which are whole-batch documents).
fn streams(format: Format, review: &super::review::Read) -> bool {
    streamed_format(format) && review.is_empty()
}

/// Whether a report in `format` is written one file after another.
fn streamed_format(format: Format) -> bool {
    matches!(format, Format::Json | Format::Text | Format::Md)
}

/// Writes the report a streamed batch was checked for (JSON, text, Markdown).
fn write_streamed(args: &Args, batch: &report::stream::Streamed<'_>) -> Result<(), Error> {
    crate::output::write_with(args.output.as_deref(), args.force, |out, name| {
        batch.write(out, name)
    })
}

/// Refuses, before any work, an output that would be replaced without
/// `--force` or that is one of the files read, and a binary format without `-o`.
fn refuse_output(args: &Args, format: Format) -> Result<(), Error> {
    let out = args.output.as_deref();
    if let Some(out) = out {
        (args.review).refuse_as_output(out, &args.paths, args.lock.as_ref(), &args.source)?;
    }
    match (format, out) {
        (Format::Xlsx | Format::Letters | Format::Docx, None) => Err(Error::Usage(
            "--format xlsx, docx and letters write files: give -o (a folder for letters)".into(),
        )),
        (Format::Letters, Some(dir)) if dir.exists() && !dir.is_dir() => {
            Err(Error::Usage(format!(
                "{}: letters go into a folder, and this is a file",
                dir.display()
            )))
        }
        (Format::Letters, _) => Ok(()),
        (_, Some(out)) if out.symlink_metadata().is_ok() && !args.force => {
            Err(Error::Exists(out.to_path_buf()))
        }
        _ => Ok(()),
    }
}

/// Files inside the letters folder are boussole's own output, not offers.
fn pass_over_letters(dir: &Path, files: &mut Vec<PathBuf>, skipped: &mut Vec<report::Skipped>) {
    let inside = |f: &PathBuf| f.starts_with(dir);
    skipped.extend(files.iter().filter(|f| inside(f)).map(|f| report::Skipped {
        path: f.display().to_string(),
        reason: "boussole's own output".into(),
    }));
    files.retain(|f| !inside(f));
}

/// Writes the report in `format`; the files written, each with its role.
fn write(
    args: &Args,
    format: Format,
    report: &report::Report,
    basis: &Basis,
) -> Result<Vec<(Role, PathBuf)>, Error> {
    let out = args.output.as_deref();
    let (lang, force) = (basis.lang, args.force);
    let text = |md| {
        report::text::render(report, &basis.selection, lang, md)
            + &report::decisions::summary(report, lang, md)
    };
    match format {
        Format::Json => crate::output::write(out, report.to_json().as_bytes(), force)?,
        Format::Text => crate::output::write(out, text(false).as_bytes(), force)?,
        Format::Md => crate::output::write(out, text(true).as_bytes(), force)?,
        Format::Xlsx => {
            let bytes = report::workbook::render(report, basis)?;
            crate::output::write(out, &bytes, force)?
        }
        Format::Letters => {
            let letters = write_letters(
                out.unwrap_or(Path::new(".")),
                report,
                basis,
                force,
                &profile_file(args),
            )?;
            return Ok(letters.into_iter().map(|p| (Role::Letter, p)).collect());
        }
        Format::Docx => crate::output::write(out, &report::memo::render(report, basis)?, force)?,
    }
    Ok(out
        .map(|o| (Role::Report, o.to_path_buf()))
        .into_iter()
        .collect())
}

/// Where the profile the letters read comes from, for messages: the lock
/// (the profile as issued), the profile file, or the default profile.
fn profile_file(args: &Args) -> PathBuf {
    args.lock
        .clone()
        .or_else(|| args.source.profile.clone())
        .unwrap_or_else(|| PathBuf::from(crate::profile::load::DEFAULT_NAME))
}

/// Writes the letters into `dir`, refusing before writing any if one would
/// replace a file without `force`, or if the profile lacks what a letter
/// prints (the error names each field and `profile`).
fn write_letters(
    dir: &Path,
    report: &report::Report,
    basis: &Basis,
    force: bool,
    profile: &Path,
) -> Result<Vec<PathBuf>, Error> {
    let letters = report::letters::render(report, basis, profile)?;
    if letters.is_empty() {
        eprintln!("boussole: no incomplete offer: no letter written");
        return Ok(Vec::new());
    }
    if let Some(p) = letters
        .iter()
        .map(|l| dir.join(&l.file_name))
        .find(|p| p.symlink_metadata().is_ok() && !force)
    {
        return Err(Error::Exists(p));
    }
    let mut written = Vec::new();
    for l in &letters {
        let path = dir.join(&l.file_name);
        crate::output::write_file(&path, &l.bytes, force)?;
        written.push(path);
    }
    eprintln!(
        "boussole: {} regularisation letter(s) written to {}",
        letters.len(),
        dir.display()
    );
    Ok(written)
}
