//! Evidence files: what vendors attach to back their figures, read and
//! normalised into facts.
//!
//! A vendor who states 95 Wh per 1,000 runs of the reference task, an open
//! licence or a model trained on given data sets can join the files that
//! show it, in the forms the tools of the field write:
//!
//! | format | recognised by | facts |
//! |---|---|---|
//! | CodeCarbon `emissions.csv` | a CSV header with `energy_consumed` and `emissions` | energy (kWh → Wh), emissions (kg → g), duration, hardware, country, per measured run |
//! | Hugging Face model card | a Markdown file opening with YAML front matter holding a model card's keys | model name, licence, base model, data sets, training emissions (g) with their source |
//! | CycloneDX ML-BOM | JSON with `"bomFormat": "CycloneDX"` | per model: name and version, licences, ancestors, data sets, energy and CO₂e per activity |
//! | SPDX 3.0 AI and Dataset profiles | JSON-LD whose context is SPDX 3 | per AI package: name and version, energy per activity, licence, data sets trained on, base model |
//! | AI Energy Score run report | JSON with the GPU energy of its `prefill` and `decode` phases | GPU energy for the benchmark's 1,000 queries |
//! | ML.ENERGY model data | JSON with `model_id` and `configurations[].energy_per_request_joules` | model, energy per 1,000 responses and GPUs per configuration |
//!
//! Files are recognised by their content, never by their name, and read
//! under the bounds of [`crate::response::bounds`] (size, rows, values,
//! depth), as hostile as any returned file may be: a file that cannot be
//! read is a problem naming it, never a panic, and the rest is still read.
//! Which files go with which returned questionnaire: [`attached_to`] (a
//! return sent as one ZIP archive: [`crate::response::bundle`]); a figure
//! in a unit the reader cannot convert is kept aside ([`Unconverted`]) and
//! said, the rest of the file read.
//! What the facts say of the answers is the checker's business
//! ([`crate::check`]).

pub mod benchmark;
pub mod codecarbon;
pub mod cyclonedx;
pub mod fact;
pub mod model_card;
pub mod spdx;
pub mod tree;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use fact::{Activity, Basis, Claim, Fact, Place, Unconverted};

use crate::response::bounds::{MAX_EVIDENCE_FILES, MAX_EVIDENCE_SIZE, MAX_FACTS};
use crate::text::Lang;

/// The evidence formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// CodeCarbon's `emissions.csv`.
    Codecarbon,
    /// A Hugging Face model card.
    ModelCard,
    /// A CycloneDX bill of materials.
    Cyclonedx,
    /// An SPDX 3 document.
    Spdx,
    /// An AI Energy Score run report.
    AiEnergyScore,
    /// ML.ENERGY's data for a model.
    MlEnergy,
}

impl Format {
    /// The format in words.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Format::Codecarbon, Lang::Fr) => "mesure CodeCarbon",
            (Format::ModelCard, Lang::Fr) => "fiche de modèle Hugging Face",
            (Format::Cyclonedx, Lang::Fr) => "nomenclature CycloneDX",
            (Format::Spdx, Lang::Fr) => "nomenclature SPDX",
            (Format::AiEnergyScore, Lang::Fr) => "mesure AI Energy Score",
            (Format::MlEnergy, Lang::Fr) => "données ML.ENERGY",
            (Format::Codecarbon, Lang::En) => "CodeCarbon measurement",
            (Format::ModelCard, Lang::En) => "Hugging Face model card",
            (Format::Cyclonedx, Lang::En) => "CycloneDX bill of materials",
            (Format::Spdx, Lang::En) => "SPDX bill of materials",
            (Format::AiEnergyScore, Lang::En) => "AI Energy Score measurement",
            (Format::MlEnergy, Lang::En) => "ML.ENERGY data",
        }
    }
}

/// One evidence file, read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Evidence {
    /// The file, as named in the vendor's return: within the folder named
    /// after the questionnaire, beside it, or in its ZIP archive.
    pub file: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// Its format, from its content.
    pub format: Format,
    /// The version of the tool or specification it states (CodeCarbon
    /// 3.3.2, CycloneDX 1.6, SPDX 3.0.1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// What it states, in file order.
    pub facts: Vec<Fact>,
    /// Figures in a unit of neither energy nor mass, left out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unconverted: Vec<Unconverted>,
}

impl Evidence {
    /// The format and version in words: « mesure CodeCarbon 3.3.2 ».
    pub fn kind(&self, lang: Lang) -> String {
        match &self.version {
            Some(v) => format!("{} {v}", self.format.label(lang)),
            None => self.format.label(lang).to_string(),
        }
    }
}

/// Why a file gives no evidence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// Not one of the formats read (a PDF, a note, another CSV file).
    #[error(
        "not an evidence format boussole reads (CodeCarbon emissions.csv, Hugging Face model card, CycloneDX or SPDX 3 JSON, AI Energy Score or ML.ENERGY results)"
    )]
    NotEvidence,
    /// One of the formats, but unreadable or beyond a bound.
    #[error("{0}")]
    Unreadable(String),
}

/// Evidence files attached to one returned questionnaire: those read, and
/// those in an evidence format that could not be.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Attached {
    /// Files read.
    pub files: Vec<Evidence>,
    /// Files of an evidence format that could not be read, with why.
    pub unread: Vec<Unread>,
}

/// An evidence file that could not be read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Unread {
    /// The file.
    pub file: String,
    /// Why.
    pub problem: String,
}

impl Attached {
    /// Whether nothing was attached.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.unread.is_empty()
    }

    /// Every fact of every file read, with its file.
    pub fn facts(&self) -> impl Iterator<Item = (&Evidence, &Fact)> {
        self.files
            .iter()
            .flat_map(|e| e.facts.iter().map(move |f| (e, f)))
    }

    /// The files named, read: those of an evidence format are kept (read
    /// or not, with why), the others left out. `named` gives each its name
    /// in reports.
    pub fn read(paths: &[PathBuf], named: impl Fn(&Path) -> String) -> Attached {
        let mut attached = Attached::default();
        for path in paths.iter().take(MAX_EVIDENCE_FILES) {
            let file = named(path);
            let read = read(path).and_then(|bytes| read_bytes(&file, &bytes));
            attached.keep(file, read);
        }
        attached
    }

    /// The files given in memory (an upload), each named: those of an
    /// evidence format kept, as [`Attached::read`] does.
    pub fn from_bytes<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Attached {
        let mut attached = Attached::default();
        for (file, bytes) in files.into_iter().take(MAX_EVIDENCE_FILES) {
            attached.keep(file.to_string(), read_bytes(file, bytes));
        }
        attached
    }

    /// Keeps the file `file` as read: evidence, or evidence that could not
    /// be read; a file of no evidence format is left out.
    fn keep(&mut self, file: String, read: Result<Evidence, Problem>) {
        match read {
            Ok(e) => self.files.push(e),
            Err(Problem::NotEvidence) => {}
            Err(Problem::Unreadable(problem)) => self.unread.push(Unread { file, problem }),
        }
    }
}

/// Whether the evidence file named `file` goes with the returned
/// questionnaire named `questionnaire`, among `count` questionnaires sent
/// together (an upload): with the only one, or with the one whose name
/// without extension begins its own (`acme.xlsx` and `acme-emissions.csv`).
pub fn goes_with(file: &str, questionnaire: &str, count: usize) -> bool {
    let stem = Path::new(questionnaire)
        .file_stem()
        .map(|s| s.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let file = file.to_lowercase();
    count == 1
        || (!stem.is_empty()
            && file
                .strip_prefix(&stem)
                .is_some_and(|rest| rest.starts_with(['-', '_', '.', ' ', '/'])))
}

/// The bytes of the regular file at `path`, refused beyond
/// [`MAX_EVIDENCE_SIZE`].
pub fn read(path: &Path) -> Result<Vec<u8>, Problem> {
    let bytes = crate::input::read_at_most(path, MAX_EVIDENCE_SIZE)
        .map_err(|e| Problem::Unreadable(e.to_string()))?;
    if bytes.len() as u64 > MAX_EVIDENCE_SIZE {
        return Err(Problem::Unreadable(format!(
            "larger than {} MiB, more than any evidence file: not read",
            MAX_EVIDENCE_SIZE >> 20
        )));
    }
    Ok(bytes)
}

/// Reads the evidence file `bytes`, named `file`: its format recognised
/// from its content, its facts normalised.
pub fn read_bytes(file: &str, bytes: &[u8]) -> Result<Evidence, Problem> {
    if bytes.len() as u64 > MAX_EVIDENCE_SIZE {
        return Err(Problem::Unreadable(format!(
            "larger than {} MiB: not read",
            MAX_EVIDENCE_SIZE >> 20
        )));
    }
    let sha256 = hex::encode(Sha256::digest(bytes));
    // A binary file (PDF, image, office document) is no evidence read here.
    if bytes.starts_with(b"%PDF") || bytes.starts_with(b"PK\x03\x04") || bytes.contains(&0) {
        let utf16 = bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
        if !utf16 {
            return Err(Problem::NotEvidence);
        }
    }
    let text = tree::decode(bytes).map_err(Problem::Unreadable)?;
    let text = text.replace("\r\n", "\n");
    let mut unconverted = Vec::new();
    let (format, version, facts) = recognise_and_read(&text, &mut unconverted)?;
    let mut kept: Vec<Fact> = Vec::new();
    for f in facts {
        if !kept
            .iter()
            .any(|k| k.claim == f.claim && k.basis == f.basis)
        {
            kept.push(f);
        }
    }
    if kept.len() > MAX_FACTS {
        return Err(Problem::Unreadable(format!(
            "more than {} facts: not read",
            crate::response::bounds::thousands(MAX_FACTS as u64)
        )));
    }
    Ok(Evidence {
        file: file.to_string(),
        sha256,
        format,
        version,
        facts: kept,
        unconverted,
    })
}

type Recognised = (Format, Option<String>, Vec<Fact>);

fn recognise_and_read(
    text: &str,
    unconverted: &mut Vec<Unconverted>,
) -> Result<Recognised, Problem> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        let doc = tree::json(text).map_err(Problem::Unreadable)?;
        if cyclonedx::recognises(&doc) {
            let facts = cyclonedx::read(&doc, unconverted);
            return Ok((Format::Cyclonedx, cyclonedx::version(&doc), facts));
        }
        if spdx::recognises(&doc) {
            let facts = spdx::read(&doc, unconverted);
            return Ok((Format::Spdx, spdx::version(&doc), facts));
        }
        if benchmark::is_ai_energy_score(&doc) {
            let facts = benchmark::read_ai_energy_score(&doc, unconverted);
            return Ok((Format::AiEnergyScore, None, facts));
        }
        if benchmark::is_ml_energy(&doc) {
            return Ok((Format::MlEnergy, None, benchmark::read_ml_energy(&doc)));
        }
        return Err(Problem::NotEvidence);
    }
    if let Some(meta) = model_card::front_matter(text) {
        let meta = tree::yaml(meta).map_err(Problem::Unreadable)?;
        if model_card::recognises(&meta) {
            return Ok((Format::ModelCard, None, model_card::read(&meta, text)));
        }
        return Err(Problem::NotEvidence);
    }
    let header = text.lines().next().unwrap_or_default();
    if codecarbon::recognises(header) {
        let (facts, version) = codecarbon::read(text).map_err(Problem::Unreadable)?;
        return Ok((Format::Codecarbon, version, facts));
    }
    Err(Problem::NotEvidence)
}

/// Name endings of the files looked at as evidence (their content decides).
pub const EXTENSIONS: [&str; 6] = ["csv", "json", "jsonld", "md", "yaml", "yml"];

/// Whether `path`'s name ends as an evidence file's may.
pub fn may_be_evidence(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// The evidence files that go with the returned questionnaire at `path`:
///
/// - those in the folder named as the questionnaire without its extension,
///   beside it (`offres/acme.xlsx` → `offres/acme/`, searched to three
///   levels);
/// - those beside it, when it is the only returned questionnaire of its
///   folder (a vendor's own folder), or when their name begins with the
///   questionnaire's (`acme-emissions.csv`).
///
/// A file beside several questionnaires is not matched by the names their
/// document columns give: two vendors may both name `emissions.csv`.
///
/// Sorted, at most [`MAX_EVIDENCE_FILES`]; links to folders not followed.
pub fn attached_to(path: &Path) -> Vec<PathBuf> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut found = Vec::new();
    if let Some(stem) = path.file_stem() {
        search(&dir.join(stem), 3, &mut found);
    }
    let own = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let listing = Listing::of(dir);
    found.extend(
        listing
            .evidence
            .iter()
            .filter(|(_, name)| goes_with(name, &own, listing.returns))
            .map(|(p, _)| p.clone()),
    );
    found.sort();
    found.dedup();
    found.truncate(MAX_EVIDENCE_FILES);
    found
}

/// What a folder holds for [`attached_to`]: its files that may be evidence,
/// with their names, and how many returns it holds.
///
/// A batch asks for each of its files: the listing is kept while the folder
/// is unchanged (same modification time), so that a folder of N returns is
/// listed once, not N times.
struct Listing {
    evidence: Vec<(PathBuf, String)>,
    returns: usize,
}

impl Listing {
    fn of(dir: &Path) -> Arc<Listing> {
        type Kept = HashMap<PathBuf, (SystemTime, Arc<Listing>)>;
        static KEPT: OnceLock<Mutex<Kept>> = OnceLock::new();
        let modified = std::fs::metadata(dir).and_then(|m| m.modified()).ok();
        let kept = KEPT.get_or_init(Default::default);
        if let Some(modified) = modified
            && let Some((when, listing)) = kept.lock().ok().and_then(|k| k.get(dir).cloned())
            && when == modified
        {
            return listing;
        }
        let mut returns = 0;
        let evidence = files_in(dir, |p| {
            returns += usize::from(crate::response::is_return_name(p));
            may_be_evidence(p)
        });
        let listing = Arc::new(Listing {
            returns,
            evidence: evidence
                .into_iter()
                .map(|p| {
                    let name = p
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    (p, name)
                })
                .collect(),
        });
        if let (Some(modified), Ok(mut kept)) = (modified, kept.lock()) {
            if kept.len() >= 64 {
                kept.clear();
            }
            kept.insert(dir.to_path_buf(), (modified, Arc::clone(&listing)));
        }
        listing
    }
}

/// The regular files (not hidden) of `dir` whose name `keep` accepts
/// (each file's name is shown to it once), sorted by name.
fn files_in(dir: &Path, mut keep: impl FnMut(&Path) -> bool) -> Vec<PathBuf> {
    crate::input::entries_by_name(dir, |e, name| {
        !name.as_encoded_bytes().starts_with(b".")
            && e.file_type().is_ok_and(|t| t.is_file())
            && keep(Path::new(name))
    })
    .unwrap_or_default()
}

fn search(dir: &Path, levels: usize, found: &mut Vec<PathBuf>) {
    if levels == 0 || found.len() >= MAX_EVIDENCE_FILES {
        return;
    }
    let Ok(meta) = dir.symlink_metadata() else {
        return;
    };
    if !meta.is_dir() {
        return;
    }
    found.extend(files_in(dir, may_be_evidence));
    let subs = crate::input::entries_by_name(dir, |e, _| e.file_type().is_ok_and(|t| t.is_dir()));
    for sub in subs.unwrap_or_default() {
        search(&sub, levels - 1, found);
    }
}
