//! What a batch adds to each offer's judgment: texts shared between
//! offers, the best value of each relative element, and the ranking.
//!
//! The batch is concluded from one [`Summary`] per file: what the others
//! need to know of it (whether it breaks a requirement alone, what it
//! measured on each relative element, the fingerprints of its free texts,
//! its vendor). A batch kept in memory makes them from its results; a
//! batch streamed through a [`super::store::Store`] keeps only them. Either
//! way the same functions conclude: [`Sharings::of`] and [`Sharings::add`]
//! for shared texts, [`best_values`], [`conclude_one`], and
//! [`crate::judgment::rank`].
//!
//! [`shared_texts`] runs once, when the batch is first gathered; [`conclude`]
//! runs then and again whenever legal staff's decisions or the committee's
//! marks are read back, so every report renders the same conclusion.

use std::collections::BTreeMap;

use super::{FileReport, FileStatus};
use crate::check::suspect::{self, Fingerprint, Interner, Sharing};
use crate::check::{self, Basis, Verdict};
use crate::finding::{Code, Finding, FindingStatus, Status};
use crate::judgment::{self, Judgment, Standing};
use crate::library::Better;
use crate::rule::Severity;
use crate::scoring::{Earned, Scale};
use crate::selection::SelectedQuestion;
use crate::text::Lang;

/// Other offers named in a `shared_text` finding's message.
const NAMED: usize = 5;
/// Other offers' files listed in a `shared_text` finding (a batch of copies
/// would otherwise make the report grow as the square of the batch).
const RELATED: usize = 20;
/// Bytes a summary makes room for its vendor's name (longer names take
/// more).
const VENDOR_ROOM: usize = 64;

/// The questions whose free texts offers must not share: the committee's
/// text questions.
fn texts(basis: &Basis) -> Vec<&SelectedQuestion> {
    let sel = &basis.selection;
    sel.questions_for(basis.audience)
        .filter(|q| {
            q.answer_type == crate::library::AnswerType::Text && q.scale == Some(Scale::Committee)
        })
        .collect()
}

/// The relative elements of the plan, in plan order.
fn relative(basis: &Basis) -> Vec<(&str, Better)> {
    let plan = &basis.selection.plan;
    plan.criteria
        .iter()
        .flat_map(|c| &c.questions)
        .filter_map(|q| match q.scale {
            Scale::Relative { better } => Some((q.question.as_str(), better)),
            _ => None,
        })
        .collect()
}

/// What the batch keeps of one file to conclude it among the others, and
/// what a summary of the batch prints of it.
#[derive(Debug, Clone)]
pub struct Summary {
    /// The path as given.
    pub file: String,
    /// The vendor's name, as it identified itself.
    pub vendor: String,
    /// Checked or not.
    pub status: FileStatus,
    /// Whether it breaks a requirement by its own answers, the batch aside
    /// (then it takes no part in the best values).
    pub breaks: bool,
    /// Per relative element (in plan order), the value it measured.
    pub measured: Vec<Option<f64>>,
    /// Per committee text question, its text's fingerprint, until the
    /// batch's [`Sharings`] are made.
    pub texts: Vec<Option<Fingerprint>>,
    /// The verdict, once concluded.
    pub verdict: Option<Verdict>,
    /// The compass score, once concluded (null when irregular).
    pub score: Option<f64>,
    /// The judgment once concluded, its rank included; in a streamed batch,
    /// without its grounds and pending elements (read from the result).
    pub judgment: Option<Judgment>,
}

impl Summary {
    /// The summary of a file checked, before the batch is concluded (or as
    /// concluded, for a result already concluded), its texts' fingerprints
    /// included.
    pub fn of(r: &FileReport, basis: &Basis) -> Summary {
        let mut s = Summary::room(r.file.clone(), basis);
        s.fill(r, basis);
        s
    }

    /// A summary still empty, its room made for `file`'s path, a vendor's
    /// name and what [`Summary::fill`] keeps of the plan's relative
    /// elements and committee texts.
    ///
    /// A streamed batch makes the room of every file before it reads the
    /// first: made after each file is read, the few bytes a summary keeps
    /// would sit between the blocks the reading used and freed, and keep
    /// them from being used again whole (at 10,000 files, 60 MB the process
    /// held for nothing).
    pub fn room(file: String, basis: &Basis) -> Summary {
        Summary {
            file,
            vendor: String::with_capacity(VENDOR_ROOM),
            status: FileStatus::Ok,
            breaks: false,
            measured: Vec::with_capacity(relative(basis).len()),
            texts: Vec::with_capacity(texts(basis).len()),
            verdict: None,
            score: None,
            judgment: None,
        }
    }

    /// Fills the summary with what the batch keeps of `r`, in the room
    /// [`Summary::room`] made when it is large enough: the judgment
    /// without its grounds and pending elements (read from the result when
    /// needed).
    pub fn fill(&mut self, r: &FileReport, basis: &Basis) {
        self.fill_without_texts(r, basis);
        self.texts.clear();
        self.texts.extend(
            texts(basis)
                .into_iter()
                .map(|q| text_of(r, &q.id).and_then(suspect::fingerprint)),
        );
    }

    /// The summary without the fingerprints of its texts (what concluding
    /// the batch needs, its shared texts found).
    fn without_texts(r: &FileReport, basis: &Basis) -> Summary {
        let mut s = Summary::room(r.file.clone(), basis);
        s.fill_without_texts(r, basis);
        s
    }

    fn fill_without_texts(&mut self, r: &FileReport, basis: &Basis) {
        let ok = r.status == FileStatus::Ok;
        self.file.clear();
        self.file.push_str(&r.file);
        self.vendor.clear();
        self.vendor.push_str(&r.vendor.name);
        self.status = r.status;
        self.breaks = ok && judgment::breaks(basis, &r.questions, &r.findings);
        self.measured.clear();
        self.measured
            .extend(relative(basis).into_iter().map(|(id, _)| {
                (r.questions.iter())
                    .find(|q| q.id == id)
                    .and_then(|q| match q.earned {
                        Some(Earned::Measured(v)) => Some(v),
                        _ => None,
                    })
            }));
        self.verdict = r.verdict;
        self.score = r.score;
        self.judgment = r.judgment.as_ref().map(Judgment::lean);
    }

    /// Keeps one copy of the shingles of each distinct text of the batch.
    pub fn intern(&mut self, interner: &mut Interner) {
        for t in &mut self.texts {
            if let Some(p) = t.take() {
                *t = Some(interner.intern(p));
            }
        }
    }

    /// The vendor as people read it (see [`FileReport::vendor_label`]).
    pub fn vendor_label(&self, lang: Lang) -> String {
        super::vendor_label(&self.vendor, &self.file, lang)
    }

    /// The score as every report prints it (see [`FileReport::score_text`]).
    pub fn score_text(&self, lang: Lang) -> String {
        super::score_text(self.judgment.as_ref(), self.score, lang)
    }

    /// The rank in words (see [`FileReport::rank_text`]).
    pub fn rank_text(&self, lang: Lang) -> String {
        super::rank_text(self.judgment.as_ref(), lang)
    }
}

/// The answer a file gave to a question that applies to it.
fn text_of<'a>(r: &'a FileReport, question: &str) -> Option<&'a str> {
    if r.status != FileStatus::Ok {
        return None;
    }
    (r.questions.iter())
        .find(|x| x.id == question && x.status != Status::NotApplicable)
        .map(|x| x.raw.as_str())
}

/// Per committee text question, which offers of the batch share their text.
#[derive(Debug, Clone, Default)]
pub struct Sharings(Vec<Sharing>);

impl Sharings {
    /// The sharings of a batch, from its summaries' fingerprints.
    pub fn of(summaries: &[Summary]) -> Sharings {
        let questions = summaries.first().map_or(0, |s| s.texts.len());
        Sharings(
            (0..questions)
                .map(|q| {
                    let prints: Vec<Option<&Fingerprint>> = summaries
                        .iter()
                        .map(|s| s.texts.get(q).and_then(Option::as_ref))
                        .collect();
                    Sharing::of(&prints)
                })
                .collect(),
        )
    }

    /// Adds to `r`, the `i`th file of the batch, a `shared_text` finding for
    /// each of its free-text answers the same, or nearly, as another
    /// offer's; each names the others (the first five in words, twenty files
    /// at most, and how many in all). `who(o)` is the `o`th file's vendor
    /// label and path. The findings are sorted again.
    pub fn add(
        &self,
        r: &mut FileReport,
        i: usize,
        basis: &Basis,
        who: &dyn Fn(usize) -> (String, String),
    ) {
        for (q, sharing) in texts(basis).into_iter().zip(&self.0) {
            let count = sharing.count(i);
            if count == 0 {
                continue;
            }
            let Some(text) = text_of(r, &q.id) else {
                continue;
            };
            let others: Vec<(String, String)> = sharing.others(i).take(RELATED).map(who).collect();
            let finding = shared_finding(q, text, &others, count, basis.lang);
            r.findings.push(finding);
        }
        check::sort(&mut r.findings);
    }
}

/// The `shared_text` finding of an answer `text` to `q` shared with `count`
/// other offers, the first of which are `others` (vendor label, file).
fn shared_finding(
    q: &SelectedQuestion,
    text: &str,
    others: &[(String, String)],
    count: usize,
    lang: Lang,
) -> Finding {
    let names: Vec<&str> = others.iter().take(NAMED).map(|o| o.0.as_str()).collect();
    let more = count.saturating_sub(NAMED);
    let message = match (lang, more) {
        (Lang::Fr, 0) => format!(
            "Le même texte, ou presque, figure dans l'offre de : {}.",
            names.join(", ")
        ),
        (Lang::Fr, _) => format!(
            "Le même texte, ou presque, figure dans {count} autres offres, dont celles de : {}.",
            names.join(", ")
        ),
        (Lang::En, 0) => format!(
            "The same text, or nearly, is in the offer of: {}.",
            names.join(", ")
        ),
        (Lang::En, _) => format!(
            "The same text, or nearly, is in {count} other offers, among which those of: {}.",
            names.join(", ")
        ),
    };
    Finding {
        code: Code::SharedText,
        status: FindingStatus::Suspect,
        severity: Severity::Major,
        criterion: q.criterion.clone(),
        themes: q.themes.clone(),
        question: q.id.clone(),
        question_text: q.text.get(lang).to_string(),
        answer: crate::finding::shown(text, lang),
        comment: String::new(),
        message,
        clauses: q.clauses.clone(),
        legal: Vec::new(),
        related: others.iter().map(|o| o.1.clone()).collect(),
        decision: None,
    }
}

/// Adds a `shared_text` finding to each offer whose free-text answer is the
/// same, or nearly, as another offer's (see [`Sharings::add`]).
pub fn shared_texts(results: &mut [FileReport], basis: &Basis) {
    let summaries: Vec<Summary> = results.iter().map(|r| Summary::of(r, basis)).collect();
    let sharings = Sharings::of(&summaries);
    let who = |o: usize| {
        (
            summaries[o].vendor_label(basis.lang),
            summaries[o].file.clone(),
        )
    };
    for (i, r) in results.iter_mut().enumerate() {
        sharings.add(r, i, basis, &who);
    }
}

/// Concludes every checked file with the batch: its standing and grounds,
/// its scores (relative elements against the best offer that is not set
/// aside; committee marks as read back), then the ranking.
pub fn conclude(results: &mut [FileReport], basis: &Basis) {
    let summaries: Vec<Summary> = (results.iter())
        .map(|r| Summary::without_texts(r, basis))
        .collect();
    let best = best_values(&summaries, basis);
    for r in results.iter_mut() {
        conclude_one(r, basis, &best);
    }
    let mut judgments: Vec<&mut Judgment> = results
        .iter_mut()
        .filter_map(|r| r.judgment.as_mut())
        .collect();
    judgment::rank(&mut judgments);
}

/// Concludes one checked file given the batch's best values (its rank
/// aside: see [`judgment::rank`]).
pub fn conclude_one(r: &mut FileReport, basis: &Basis, best: &BTreeMap<String, f64>) {
    if r.status != FileStatus::Ok {
        return;
    }
    let c = judgment::conclude(basis, &r.questions, &r.findings, best);
    r.verdict = Some(c.verdict);
    r.score = c.judgment.scored().then_some(c.scores.compass);
    r.criteria = c.criteria;
    r.themes = c.themes;
    r.judgment = Some(c.judgment);
}

/// The best value of each relative element among the offers of the batch
/// that do not break a requirement alone, when there are at least two.
pub fn best_values(summaries: &[Summary], basis: &Basis) -> BTreeMap<String, f64> {
    let among: Vec<&Summary> = summaries
        .iter()
        .filter(|s| s.status == FileStatus::Ok && !s.breaks)
        .collect();
    let mut best = BTreeMap::new();
    if among.len() < 2 {
        return best;
    }
    for (k, (question, better)) in relative(basis).into_iter().enumerate() {
        let values = among
            .iter()
            .filter_map(|s| s.measured.get(k).copied().flatten());
        let top = match better {
            Better::Lower => values.fold(None, |a: Option<f64>, v| Some(a.map_or(v, |a| a.min(v)))),
            Better::Higher => {
                values.fold(None, |a: Option<f64>, v| Some(a.map_or(v, |a| a.max(v))))
            }
        };
        if let Some(top) = top {
            best.insert(question.to_string(), top);
        }
    }
    best
}

/// Whether any ranked offer of the batch still waits for a mark.
pub fn provisional(results: &[FileReport]) -> bool {
    provisional_among(results.iter().map(|r| r.judgment.as_ref()))
}

/// Whether any of these judgments ranks an offer still waiting for a mark.
pub fn provisional_among<'a>(judgments: impl IntoIterator<Item = Option<&'a Judgment>>) -> bool {
    (judgments.into_iter().flatten()).any(|j| j.standing == Standing::Ranked && j.provisional)
}

/// The order people read a batch in: irregular offers first, then those to
/// regularise, then the ranking, then unreadable files; the key of the
/// `i`th file, judged `j`.
pub fn standing_key(i: usize, j: Option<&Judgment>) -> (u8, u32, usize) {
    (
        j.map_or(3, |j| j.standing as u8),
        j.and_then(|j| j.rank).unwrap_or(u32::MAX),
        i,
    )
}
