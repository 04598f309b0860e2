//! `boussole dossier`: a consultation's files and timeline, kept in the
//! data folder's database (see [`crate::dossier`]).

use std::path::PathBuf;

mod target;

use target::read;
pub use target::{Data, Keeper, Materialised, Target, database};

use super::library::LangArg;
use crate::Error;
use crate::dossier::{self, Dossier, Role};
use crate::text::Lang;

/// The `dossier` commands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create a dossier for one consultation.
    #[command(after_help = "\
Examples:
  boussole dossier new ia-accueil-2027 --title \"Assistant IA pour l'accueil\"
  boussole dossier new ia-accueil-2027 --data /srv/boussole

The name is 1 to 100 letters, digits, '-', '_' or '.'.")]
    New(NewArgs),
    /// Add files to a dossier, as received: a new version never replaces the one kept.
    #[command(after_help = "\
Examples:
  boussole dossier add ia-accueil-2027 --role profile profil.toml
  boussole dossier add ia-accueil-2027 --role questionnaire questionnaire.xlsx questionnaire.docx
  boussole dossier add ia-accueil-2027 --role lock questionnaire.xlsx.boussole.lock
  boussole dossier add ia-accueil-2027 --role offer offres/*.xlsx

A profile, annex, questionnaire, lock, decisions, marks, grid, opinion, award or record is
one document: each addition is its next version (files added together share it). Offers,
evidence, reports, letters, follow-up and other files are many: a file with the name of
one already kept becomes its next version. Files are read, never changed.")]
    Add(AddArgs),
    /// List the dossiers.
    #[command(after_help = "\
Examples:
  boussole dossier list
  boussole dossier list --data /srv/boussole --format json")]
    List(ListArgs),
    /// Show a dossier: its files by role and version, and its timeline.
    #[command(after_help = "\
Examples:
  boussole dossier show ia-accueil-2027
  boussole dossier show ia-accueil-2027 --format json")]
    Show(ShowArgs),
    /// Write a dossier as one ZIP archive: every file as received, a manifest and the timeline.
    #[command(after_help = "\
Examples:
  boussole dossier export ia-accueil-2027 -o ia-accueil-2027.zip

The archive holds every file under ROLE/vVERSION/NAME and manifest.json: each file's path,
role, version, SHA-256, size and time of receipt, the audit trail, and legal staff's
decisions taken on the page.")]
    Export(ExportArgs),
    /// Read a dossier's archive back, every file checked against its manifest.
    #[command(after_help = "\
Examples:
  boussole dossier import ia-accueil-2027.zip
  boussole dossier import ia-accueil-2027.zip --as ia-accueil-2027-copie

An archive whose file differs from its manifest by one byte, with an entry missing or
added, or with a path leaving its folder is refused, naming the entry.")]
    Import(ImportArgs),
}

/// Arguments of `dossier new`.
#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The dossier's name.
    pub name: String,
    /// Its title, for people.
    #[arg(long, default_value = "")]
    pub title: String,
    #[command(flatten)]
    pub data: Data,
}

/// Arguments of `dossier add`.
#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// The dossier's name.
    pub name: String,
    /// What the files are to the consultation.
    #[arg(long, value_enum)]
    pub role: Role,
    /// The files to add.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub data: Data,
}

/// Arguments of `dossier list`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Language of the text output.
    #[arg(long, value_enum, default_value = "fr")]
    pub lang: LangArg,
    #[command(flatten)]
    pub data: Data,
}

/// Arguments of `dossier show`.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The dossier's name.
    pub name: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Language of the text output.
    #[arg(long, value_enum, default_value = "fr")]
    pub lang: LangArg,
    #[command(flatten)]
    pub data: Data,
}

/// Arguments of `dossier export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The dossier's name.
    pub name: String,
    /// The archive to write (.zip).
    #[arg(short, long, value_name = "FILE.zip")]
    pub output: PathBuf,
    /// Replace FILE.zip if it exists.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub data: Data,
}

/// Arguments of `dossier import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The archive written by `dossier export`.
    #[arg(value_name = "FILE.zip")]
    pub archive: PathBuf,
    /// Import under this name instead of the archive's.
    #[arg(long = "as", value_name = "NAME")]
    pub rename: Option<String>,
    #[command(flatten)]
    pub data: Data,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// In words.
    Text,
    /// JSON.
    Json,
}

/// Runs a `dossier` command.
pub fn run(command: Command) -> Result<u8, Error> {
    match command {
        Command::New(a) => {
            let mut store = a.data.open()?;
            store.create(&a.name, a.title.trim())?;
            eprintln!(
                "boussole: dossier «{}» créé dans {}",
                crate::text::terminal(&a.name),
                store.path().display()
            );
        }
        Command::Add(a) => {
            if a.files.len() > dossier::MAX_FILES {
                return Err(Error::Usage(format!(
                    "{} files at once: a dossier keeps {} at most",
                    a.files.len(),
                    dossier::MAX_FILES
                )));
            }
            let mut incoming = Vec::new();
            let mut total = 0u64;
            for path in &a.files {
                let file = read(path)?;
                total += file.bytes.len() as u64;
                if total > dossier::MAX_TOTAL {
                    return Err(Error::Usage(format!(
                        "{}: the files up to this one are over {} MiB, more than a dossier \
                         keeps: nothing added",
                        path.display(),
                        dossier::MAX_TOTAL >> 20
                    )));
                }
                incoming.push(file);
            }
            let mut store = a.data.open()?;
            for f in store.add(&a.name, a.role, &incoming)? {
                eprintln!(
                    "boussole: {} v{} ajouté ({}, {})",
                    crate::text::terminal(&f.name),
                    f.version,
                    size(f.size, Lang::Fr),
                    &f.sha256[..12]
                );
            }
        }
        Command::List(a) => {
            let list = a.data.open()?.list()?;
            let out = match a.format {
                Format::Json => json(&list)?,
                Format::Text => list_text(&list, Lang::from(a.lang)),
            };
            print!("{}", crate::text::terminal_lines(&out));
        }
        Command::Show(a) => {
            let d = a.data.open()?.dossier(&a.name)?;
            let out = match a.format {
                Format::Json => json(&d)?,
                Format::Text => show_text(&d, Lang::from(a.lang)),
            };
            print!("{}", crate::text::terminal_lines(&out));
        }
        Command::Export(a) => {
            let mut store = a.data.open()?;
            crate::output::refuse_input(&a.output, &[store.path()])?;
            let d = store.dossier(&a.name)?;
            let bytes = dossier::archive::export(&store, &d)?;
            crate::output::write_file(&a.output, &bytes, a.force)?;
            let to = a.output.file_name().unwrap_or_default().to_string_lossy();
            store.record(
                &a.name,
                "exported",
                &format!("{to} — {} file(s)", d.files.len()),
            )?;
            eprintln!(
                "boussole: dossier «{}» exporté dans {} ({} fichier(s))",
                crate::text::terminal(&a.name),
                a.output.display(),
                d.files.len()
            );
        }
        Command::Import(a) => {
            let mut store = a.data.open()?;
            let d = dossier::archive::import(&mut store, &a.archive, a.rename.as_deref())?;
            eprintln!(
                "boussole: dossier «{}» importé ({} fichier(s), chaque empreinte vérifiée)",
                crate::text::terminal(&d.name),
                d.files.len()
            );
        }
    }
    Ok(super::SUCCESS)
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, Error> {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| Error::Usage(e.to_string()))
}

/// `2026-12-03T09:30:00Z` as `2026-12-03 09:30 UTC`.
fn when(at: &str) -> String {
    match (at.get(..10), at.get(11..16)) {
        (Some(day), Some(hm)) if at.ends_with('Z') => format!("{day} {hm} UTC"),
        _ => at.to_string(),
    }
}

/// A size for people: `12,5 Ko` in French, `12.5 KB` in English.
fn size(bytes: u64, lang: Lang) -> String {
    let (n, unit) = if bytes < 1024 {
        (bytes as f64, lang.pick("o", "B"))
    } else if bytes < 1 << 20 {
        (bytes as f64 / 1024.0, lang.pick("Ko", "KB"))
    } else {
        (bytes as f64 / (1u64 << 20) as f64, lang.pick("Mo", "MB"))
    };
    let rounded = (n * 10.0).round() / 10.0;
    format!("{}\u{a0}{unit}", crate::text::number(rounded, lang))
}

/// `text :` with French spacing.
fn colon(text: &str, lang: Lang) -> String {
    format!("{text}{}:", lang.pick("\u{a0}", ""))
}

/// `«\u{a0}name\u{a0}»` in French, `“name”` in English.
fn quoted(name: &str, lang: Lang) -> String {
    lang.pick(
        &format!("«\u{a0}{name}\u{a0}»"),
        &format!("\u{201c}{name}\u{201d}"),
    )
    .to_string()
}

fn list_text(list: &[dossier::Summary], lang: Lang) -> String {
    if list.is_empty() {
        return lang
            .pick(
                "Aucun dossier. Créez-en un\u{a0}: boussole dossier new NOM --title \"…\"\n",
                "No dossier. Create one: boussole dossier new NAME --title \"…\"\n",
            )
            .into();
    }
    let headers = [
        lang.pick("Dossier", "Dossier"),
        lang.pick("Intitulé", "Title"),
        lang.pick("Fichiers", "Files"),
        lang.pick("Taille", "Size"),
        lang.pick("Dernière modification", "Last change"),
    ];
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|d| {
            vec![
                d.name.clone(),
                d.title.clone(),
                d.files.to_string(),
                size(d.size, lang),
                when(&d.changed),
            ]
        })
        .collect();
    crate::text::table(&headers, &rows, false)
}

fn show_text(d: &Dossier, lang: Lang) -> String {
    let mut out = format!(
        "{} {}",
        lang.pick("Dossier", "Dossier"),
        quoted(&d.name, lang)
    );
    if !d.title.is_empty() {
        out += &format!(" — {}", d.title);
    }
    out += &format!(
        "\n{} {}\n",
        lang.pick("Créé le", "Created on"),
        when(&d.created)
    );
    out += &format!("\n{}\n", colon(lang.pick("Fichiers", "Files"), lang));
    if d.files.is_empty() {
        out += lang.pick(
            "  aucun (boussole dossier add NOM --role ROLE FICHIER…)\n",
            "  none (boussole dossier add NAME --role ROLE FILE…)\n",
        );
    }
    for role in Role::ALL {
        let files: Vec<Vec<String>> = d
            .files
            .iter()
            .filter(|f| f.role == role)
            .map(|f| {
                vec![
                    format!("  v{}", f.version),
                    f.name.clone(),
                    size(f.size, lang),
                    when(&f.received),
                    f.sha256[..12.min(f.sha256.len())].to_string(),
                ]
            })
            .collect();
        if files.is_empty() {
            continue;
        }
        out += &format!("{} ({})\n", role.label(lang), role.code());
        let widths = crate::text::table_widths(&[""; 5], files.iter());
        for row in &files {
            out += &crate::text::table_line(row, &widths, false, false);
        }
    }
    out += &format!("\n{}\n", colon(lang.pick("Chronologie", "Timeline"), lang));
    for e in &d.audit {
        out += &format!(
            "  {}  {}  {} — {}\n",
            when(&e.at),
            e.who,
            e.label(lang),
            short_hashes(&e.detail)
        );
    }
    out
}

/// `detail` with each SHA-256 cut to its first 12 digits, as files show them.
fn short_hashes(detail: &str) -> String {
    detail
        .split(' ')
        .map(|w| {
            if w.len() == 64 && w.bytes().all(|b| b.is_ascii_hexdigit()) {
                &w[..12]
            } else {
                w
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_times_read_as_people_write_them() {
        assert_eq!(size(512, Lang::Fr), "512\u{a0}o");
        assert_eq!(size(12_800, Lang::Fr), "12,5\u{a0}Ko");
        assert_eq!(size(12_800, Lang::En), "12.5\u{a0}KB");
        assert_eq!(when("2026-12-03T09:30:12Z"), "2026-12-03 09:30 UTC");
        assert_eq!(when("hier"), "hier");
        let hash = "f8e96d8c1c9b61aa9c22275a278f26e807c15772a2e6639af658ffd1b795a210";
        assert_eq!(
            short_hashes(&format!("profile/v1/profil.toml — {hash}")),
            "profile/v1/profil.toml — f8e96d8c1c9b"
        );
    }
}
