//! Reports: the checker's conclusions on a batch of returned files.
//!
//! [`collect`] finds the files; each is read and checked on its own
//! ([`check_file`]: in parallel, in a stable order; a file that cannot be
//! read is reported as an error and the batch goes on). Then the batch is
//! concluded together ([`batch`]: texts shared between offers, the best
//! value of each relative element, the ranking). A batch flows one of two
//! ways, concluded by the same functions:
//!
//! - **streamed** ([`stream`]), for the reports written one file after
//!   another (JSON, text, Markdown): each result, once checked, goes to a
//!   temporary [`store`] and the batch keeps only a compact
//!   [`batch::Summary`] of it; the report is written from the summaries,
//!   each result read back, concluded and written in turn. Memory does not
//!   grow with the number of files.
//! - **in memory** ([`check_all`], then [`report()`]): a [`Report`] holding
//!   every result, for the documents made of the whole batch (the scoring
//!   workbook, the memo, the letters, `compare`, `boussole serve`) and
//!   whenever legal staff's decisions ([`decisions`]) or the committee's
//!   marks ([`marks`]) are read back and the batch concluded again.
//!
//! The JSON form is a contract described by `schema/report.schema.json`,
//! the same either way. [`text`] writes the summary a buyer reads on the
//! terminal, or in Markdown; [`workbook`] the scoring workbook legal staff
//! review, whose decisions [`decisions`] reads back and applies; [`letters`]
//! the regularisation requests to incomplete offers.

mod ahead;
pub mod batch;
pub mod compare;
pub mod decisions;
mod files;
pub mod letters;
pub mod marks;
pub mod memo;
pub mod store;
pub mod stream;
pub mod text;
pub mod workbook;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::check::{self, Basis, CriterionResult, QuestionResult, ThemeResult, Verdict};
use crate::date::Date;
use crate::finding::{Finding, Integrity};
use crate::judgment::Judgment;
use crate::response::{self, FileFormat, Identity};

pub use files::{Skipped, collect};

/// The report on a batch of returned files.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Report {
    /// The tool.
    pub tool: Tool,
    /// The library checked against.
    pub library: LibraryRef,
    /// The tender profile checked against.
    pub profile: ProfileRef,
    /// When (UTC, RFC 3339; honours SOURCE_DATE_EPOCH).
    pub generated_at: String,
    /// Paths passed over, and why.
    pub skipped: Vec<Skipped>,
    /// One result per file, in the order given.
    pub results: Vec<FileReport>,
    /// The legal review read back with `--decisions`; absent without it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decisions: Option<decisions::Applied>,
    /// The committee's marks read back with `--marks`; absent without them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marks: Option<marks::Applied>,
}

/// Name and version of the tool.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Tool {
    /// `boussole`.
    pub name: String,
    /// Its version.
    pub version: String,
}

/// The library a report used.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct LibraryRef {
    /// Version.
    pub version: String,
    /// Content hash.
    pub hash: String,
}

/// The profile a report used.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ProfileRef {
    /// Content hash.
    pub hash: String,
    /// Tender reference.
    pub reference: String,
}

/// Whether a file could be checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FileStatus {
    /// Read and checked.
    Ok,
    /// Could not be read; see `error`.
    Error,
}

/// The result for one file.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct FileReport {
    /// The path as given.
    pub file: String,
    /// SHA-256 of the file's bytes (empty when unreadable).
    pub sha256: String,
    /// The format found in its content.
    pub format: Option<FileFormat>,
    /// Checked or not.
    pub status: FileStatus,
    /// Why it could not be checked.
    pub error: Option<String>,
    /// The vendor, as it identified itself.
    pub vendor: Identity,
    /// The verdict.
    pub verdict: Option<Verdict>,
    /// The compass score, out of 100; null when the offer is irregular.
    pub score: Option<f64>,
    /// Standing, grounds, points and rank: what every report renders.
    pub judgment: Option<Judgment>,
    /// The seven criteria.
    pub criteria: Vec<CriterionResult>,
    /// Scores per theme.
    pub themes: Vec<ThemeResult>,
    /// Findings, eliminatory and major first.
    pub findings: Vec<Finding>,
    /// Every question of the questionnaire.
    pub questions: Vec<QuestionResult>,
    /// Doubts about the file itself.
    pub integrity: Vec<Integrity>,
    /// The evidence files that came with it, read (see [`crate::evidence`]);
    /// those that could not be are integrity warnings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<crate::evidence::Evidence>,
    /// The verdict and score as judged, before legal staff accepted some of
    /// the findings; absent when no finding of the file was accepted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before_decisions: Option<decisions::Judged>,
}

impl FileReport {
    /// The vendor as people read it: the name it gave, else the file's name.
    pub fn vendor_label(&self, lang: crate::text::Lang) -> String {
        vendor_label(&self.vendor.name, &self.file, lang)
    }

    /// The compass score as every report prints it: out of 100 to a tenth,
    /// marked provisional while marks are missing; the standing's word for
    /// an irregular offer, which has no score; `—` for an unreadable file.
    pub fn score_text(&self, lang: crate::text::Lang) -> String {
        score_text(self.judgment.as_ref(), self.score, lang)
    }

    /// Its rank in words (« 1er », « 2e »), « à régulariser », or `—`.
    pub fn rank_text(&self, lang: crate::text::Lang) -> String {
        rank_text(self.judgment.as_ref(), lang)
    }

    /// Its findings of `severity`.
    pub fn count(&self, severity: crate::rule::Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    fn error(file: String, sha256: String, message: String) -> FileReport {
        FileReport {
            file,
            sha256,
            format: None,
            status: FileStatus::Error,
            error: Some(message),
            vendor: Identity::default(),
            verdict: None,
            score: None,
            judgment: None,
            criteria: Vec::new(),
            themes: Vec::new(),
            findings: Vec::new(),
            questions: Vec::new(),
            integrity: Vec::new(),
            evidence: Vec::new(),
            before_decisions: None,
        }
    }
}

/// The vendor named `name` in `file` as people read it: the name it gave,
/// else the file's name.
fn vendor_label(name: &str, file: &str, lang: crate::text::Lang) -> String {
    let name = name.trim();
    if !name.is_empty() {
        return name.to_string();
    }
    let file = Path::new(file)
        .file_name()
        .map_or_else(|| file.to_string(), |f| f.to_string_lossy().into_owned());
    match lang {
        crate::text::Lang::Fr => format!("(sans nom : {file})"),
        crate::text::Lang::En => format!("(no name: {file})"),
    }
}

/// The compass score of an offer judged `judgment` (see
/// [`FileReport::score_text`]).
fn score_text(judgment: Option<&Judgment>, score: Option<f64>, lang: crate::text::Lang) -> String {
    use crate::text::Lang;
    match (judgment, score) {
        (Some(j), _) if !j.scored() => match lang {
            Lang::Fr => "écartée".into(),
            Lang::En => "set aside".into(),
        },
        (Some(j), Some(s)) => {
            let s = crate::text::number((s * 10.0).round() / 10.0, lang);
            match (j.provisional, lang) {
                (false, _) => s,
                (true, Lang::Fr) => format!("{s} (provisoire)"),
                (true, Lang::En) => format!("{s} (provisional)"),
            }
        }
        _ => "—".into(),
    }
}

/// The rank of an offer judged `judgment` in words (see
/// [`FileReport::rank_text`]).
fn rank_text(judgment: Option<&Judgment>, lang: crate::text::Lang) -> String {
    use crate::judgment::Standing;
    use crate::text::Lang;
    match (judgment, lang) {
        (Some(j), _) if j.rank.is_some() => match (j.rank.unwrap_or(0), lang) {
            (1, Lang::Fr) => "1er".into(),
            (n, Lang::Fr) => format!("{n}e"),
            (1, Lang::En) => "1st".into(),
            (2, Lang::En) => "2nd".into(),
            (3, Lang::En) => "3rd".into(),
            (n, Lang::En) => format!("{n}th"),
        },
        // An irregular offer says « écartée » where its score would be.
        (Some(j), _) if j.standing != Standing::ToRegularise => "—".into(),
        (Some(j), _) => j.standing.label(lang).into(),
        (None, Lang::Fr) => "fichier illisible".into(),
        (None, Lang::En) => "unreadable file".into(),
    }
}

/// Reads and checks one file; never fails: an unreadable file is an error
/// result. With `isolate` (the boussole binary), XLS files are read in a
/// child process (see [`response::sandbox`]).
pub fn check_file(path: &Path, basis: &Basis, isolate: Option<&Path>) -> FileReport {
    if let Some(returned) = Returned::read(path, isolate) {
        return returned.judge(basis);
    }
    let file = path.display().to_string();
    match read_bundle_file(path) {
        Ok(bytes) => check_bundle(&file, &bytes, basis, isolate),
        Err(e) => FileReport::error(file, String::new(), e.to_string()),
    }
}

/// A returned file read, with the evidence files beside it, not judged yet:
/// what [`check_file`] does before it needs the basis (so that the first
/// file may be read while the lock is).
pub struct Returned {
    file: String,
    sha256: String,
    read: Result<response::Response, response::ReadError>,
    attached: crate::evidence::Attached,
}

impl Returned {
    /// Reads `path` as [`check_file`] does; `None` for a bundle (a file and
    /// its evidence in one archive), read as it is judged.
    pub fn read(path: &Path, isolate: Option<&Path>) -> Option<Returned> {
        let file = path.display().to_string();
        if response::bundle::is_bundle(&file) {
            return None;
        }
        let sha256 = sha256_file(path).unwrap_or_default();
        let read = match isolate {
            Some(exe) => response::read_isolating_xls(path, exe),
            None => response::read(path),
        };
        // Each evidence file is named as in the vendor's return: within the
        // folder named after the questionnaire, or beside it.
        let dir = path.parent().unwrap_or(Path::new(""));
        let own = dir.join(path.file_stem().unwrap_or_default());
        let beside = crate::evidence::attached_to(path);
        let attached = crate::evidence::Attached::read(&beside, |p| {
            let name = p.strip_prefix(&own).or_else(|_| p.strip_prefix(dir));
            name.unwrap_or(p).display().to_string()
        });
        Some(Returned {
            file,
            sha256,
            read,
            attached,
        })
    }

    /// The file checked against `basis`.
    pub fn judge(self, basis: &Basis) -> FileReport {
        judge(self.file, self.sha256, self.read, self.attached, basis)
    }
}

/// Reads and checks one file already in memory, named `file` in the report
/// (an upload, say), with the evidence files `attached` that came with it;
/// as [`check_file`], never fails.
pub fn check_bytes(
    file: &str,
    bytes: &[u8],
    attached: crate::evidence::Attached,
    basis: &Basis,
    isolate: Option<&Path>,
) -> FileReport {
    if response::bundle::is_bundle(file) {
        return check_bundle(file, bytes, basis, isolate);
    }
    let sha256 = hex::encode(Sha256::digest(bytes));
    let read = match isolate {
        Some(exe) => response::read_bytes_isolating_xls(bytes, exe),
        None => response::read_bytes(bytes),
    };
    judge(file.to_string(), sha256, read, attached, basis)
}

/// The bytes of the ZIP archive at `path`, refused beyond
/// [`response::bounds::MAX_FILE_SIZE`].
fn read_bundle_file(path: &Path) -> Result<Vec<u8>, response::ReadError> {
    let limit = response::bounds::MAX_FILE_SIZE;
    let bytes = crate::input::read_at_most(path, limit)
        .map_err(|e| response::ReadError::Io(e.to_string()))?;
    if bytes.len() as u64 > limit {
        return Err(response::ReadError::TooLarge(format!(
            "the ZIP archive is over {} MiB",
            limit >> 20
        )));
    }
    Ok(bytes)
}

/// Reads and checks a return sent as one ZIP archive, named `file`: its
/// questionnaire, with the evidence files it holds (see
/// [`response::bundle`]); the report names the archive and its hash.
fn check_bundle(file: &str, bytes: &[u8], basis: &Basis, isolate: Option<&Path>) -> FileReport {
    let sha256 = hex::encode(Sha256::digest(bytes));
    let may_be = |name: &str| crate::evidence::may_be_evidence(Path::new(name));
    let bundle = match response::bundle::open(bytes, may_be) {
        Ok(b) => b,
        Err(e) => return FileReport::error(file.to_string(), sha256, e.to_string()),
    };
    let (name, questionnaire) = &bundle.questionnaire;
    let read = match isolate {
        Some(exe) => response::read_bytes_isolating_xls(questionnaire, exe),
        None => response::read_bytes(questionnaire),
    };
    let attached = crate::evidence::Attached::from_bytes(
        bundle
            .others
            .iter()
            .map(|(n, b)| (n.as_str(), b.as_slice())),
    );
    judge(format!("{file} › {name}"), sha256, read, attached, basis)
}

/// The result for a file read (or not).
fn judge(
    file: String,
    sha256: String,
    read: Result<response::Response, response::ReadError>,
    attached: crate::evidence::Attached,
    basis: &Basis,
) -> FileReport {
    let response = match read {
        Ok(r) => r,
        Err(e) => return FileReport::error(file, sha256, e.to_string()),
    };
    let checked = check::check(&response, &attached, basis);
    FileReport {
        file,
        sha256,
        format: Some(response.format),
        status: FileStatus::Ok,
        error: None,
        vendor: response.identity.clone(),
        verdict: None,
        score: None,
        judgment: None,
        criteria: Vec::new(),
        themes: Vec::new(),
        findings: checked.findings,
        questions: checked.questions,
        integrity: checked.integrity,
        evidence: attached.files,
        before_decisions: None,
    }
}

/// SHA-256 of a file, read in chunks.
fn sha256_file(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0; 64 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(hex::encode(hasher.finalize()));
        }
        hasher.update(&buf[..n]);
    }
}

/// Checks `files` on up to `jobs` threads, results in the order of `files`;
/// `progress` is called after each file with the number done.
pub fn check_all(
    files: &[PathBuf],
    basis: &Basis,
    isolate: Option<&Path>,
    jobs: usize,
    progress: &(dyn Fn(usize) + Sync),
) -> Vec<FileReport> {
    in_parallel(files, jobs, progress, |path| {
        check_file(path, basis, isolate)
    })
}

/// `work` on each item on up to `jobs` threads (on this one when one is
/// enough), results in the order of `items`; `progress` is called after
/// each item with the number done.
pub fn in_parallel<T: Sync, R: Send>(
    items: &[T],
    jobs: usize,
    progress: &(dyn Fn(usize) + Sync),
    work: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let done = AtomicUsize::new(0);
    let counted = |item: &T| {
        let result = work(item);
        progress(done.fetch_add(1, Ordering::Relaxed) + 1);
        result
    };
    // all may be worked out ahead: no thread waits for the collecting
    ahead::in_order(items, jobs, items.len(), counted, |results| {
        results.collect()
    })
}

/// The report on a batch: texts shared between offers found, every file
/// concluded with the batch (see [`batch`]), the header for `basis`.
pub fn report(basis: &Basis, skipped: Vec<Skipped>, mut results: Vec<FileReport>) -> Report {
    batch::shared_texts(&mut results, basis);
    batch::conclude(&mut results, basis);
    let sel = &basis.selection;
    Report {
        tool: Tool {
            name: "boussole".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        library: LibraryRef {
            version: sel.library_version.clone(),
            hash: sel.library_hash.clone(),
        },
        profile: ProfileRef {
            hash: sel.profile_hash.clone(),
            reference: basis.profile.tender.reference.clone(),
        },
        generated_at: generated_at(),
        skipped,
        results,
        decisions: None,
        marks: None,
    }
}

/// Now, or `SOURCE_DATE_EPOCH` when set, as RFC 3339 UTC.
pub fn generated_at() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        Date::from_unix_days(days),
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

impl Report {
    /// Exit status: 2 when a file is in error, 1 when an offer is
    /// non-compliant or incomplete, 0 otherwise.
    pub fn exit_code(&self) -> u8 {
        if self.results.iter().any(|r| r.status == FileStatus::Error) {
            2
        } else if self
            .results
            .iter()
            .any(|r| matches!(r.verdict, Some(Verdict::NonCompliant | Verdict::Incomplete)))
        {
            1
        } else {
            0
        }
    }

    /// The results in the order people read them: irregular offers first,
    /// then those to regularise, then the ranking, then unreadable files;
    /// each with its index in [`Report::results`].
    pub fn by_standing(&self) -> Vec<(usize, &FileReport)> {
        let mut out: Vec<(usize, &FileReport)> = self.results.iter().enumerate().collect();
        out.sort_by_key(|(i, r)| batch::standing_key(*i, r.judgment.as_ref()));
        out
    }

    /// The report as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }
}

/// The JSON Schema of the report.
pub fn schema() -> String {
    let generator = schemars::generate::SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    serde_json::to_string_pretty(&generator.into_root_schema_for::<Report>()).unwrap_or_default()
        + "\n"
}
