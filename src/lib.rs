//! # boussole
//!
//! boussole puts the AI compass of a French metropolis (the *boussole de
//! l'IA*: seven criteria, checked through a grid of questions) into public
//! tenders, and checks what vendors answer.
//!
//! ## The pipeline
//!
//! ```text
//!  clauses/*.toml ──► library ──┐
//!                               ├──► selection ──► scoring plan ──► documents
//!  profil.toml ────► profile ───┘    (resolve)                      annex, questionnaire + lock
//!
//!  returned files ──► response ──► answer ──► check ──► scoring ──► judgment ──► report
//!   (xlsx xls ods     (read,       (normalised (findings, (award      (standing,   (json, md, xlsx,
//!    docx)             bounded)     values)  ┌► integrity, elements   grounds,     memo, letters,
//!                                            │  earnings)  on scales) rank)        compare)
//!  evidence files ──► evidence ──────────────┘
//!   (csv md json)      (facts, units converted)
//! ```
//!
//! Preparing a tender:
//!
//! - [`library`]: the criteria, clauses and questions, embedded or from a
//!   folder, linted with stable codes ([`library::lint`]) and exported as a
//!   JSON contract ([`library::export`]).
//! - [`profile`]: one tender (buyer, dates, the system bought, award weights,
//!   thresholds), checked field by field.
//! - [`selection`]: [`selection::resolve`] turns library + profile into the
//!   clauses and questions that apply, placeholders filled, and the
//!   [`scoring::ScoringPlan`].
//! - [`annex`] and [`questionnaire`]: the documents vendors see, built as
//!   neutral [`office`] documents and workbooks; [`questionnaire::lock`] is
//!   the selection as issued, which answers are checked against.
//!
//! Checking what comes back:
//!
//! - [`response`]: returned files read safely (each part parsed once within
//!   bounds, XLS in a child process), rows matched by question id.
//! - [`answer`]: what vendors typed turned into values; [`condition`] and
//!   [`rule`]: when a question applies and how an answer is judged.
//! - [`evidence`]: the files vendors attach to back their figures
//!   (CodeCarbon measurements, model cards, CycloneDX and SPDX bills of
//!   materials), read under bounds and normalised into facts.
//! - [`check`]: one file's findings ([`finding`], with stable codes:
//!   rules, documents, contradictions, copied examples, answers the
//!   evidence files contradict), integrity warnings, and what each award
//!   element earned.
//! - [`scoring`]: the one scoring function: award elements on their
//!   announced scales (linear, relative to the best offer, points per
//!   choice, the committee's marks).
//! - [`judgment`]: where each offer stands (irregular, to regularise,
//!   ranked), on what grounds, with what points and rank: concluded for the
//!   whole batch ([`report::batch`], from a compact summary of each file,
//!   the batch streamed through a temporary store by `check`'s JSON, text
//!   and Markdown reports, see [`report::stream`]), again after legal
//!   staff's decisions and the committee's marks, and only rendered by
//!   [`report`]'s writers.
//!
//! After award: [`award`], the awarded offer's answers as the contract's
//! commitments, sealed by their hash; [`award::yearly`], the contractor's
//! yearly report written from them and checked against them line by line
//! (kept, missed, not reported, with the article and penalty point), and
//! [`award::followup`], the years side by side for legal staff; [`record`],
//! the algorithm's public record drawn from the commitments, the project
//! group's grid and the profile (the sheet owed to a person about a decision
//! taken on the basis of the algorithm, the entry of the public inventory of
//! algorithms, and its export in a published register standard).
//!
//! Keeping it: [`dossier`], one consultation's files (by content hash,
//! each version kept) and its append-only audit trail in one SQLite file,
//! written as one archive an archivist keeps and read back, every hash
//! checked ([`dossier::archive`]); on a team's server, the people who work
//! on it, each with their duties in each dossier ([`dossier::account`]).
//!
//! The compass's own process: [`grid`] (the project group's grid, its
//! opinion, the five-year follow-up). [`demo`] embeds a whole journey;
//! [`cli`] is the command line, a thin layer over all of the above, and
//! `web` (`boussole serve`, feature `web`) the same work as a local web page.
//!
//! Errors ([`Error`]) stop a command and always name the file at fault;
//! findings about a library, a profile or answers are reported in full and
//! never stop the rest of the work.

pub mod annex;
pub mod answer;
pub mod award;
pub mod check;
pub mod cli;
pub mod condition;
pub mod date;
pub mod demo;
pub mod dossier;
pub mod error;
pub mod evidence;
pub mod finding;
pub mod grid;
pub mod input;
pub mod judgment;
pub mod library;
pub mod office;
pub mod output;
pub mod profile;
pub mod questionnaire;
pub mod record;
pub mod report;
pub mod response;
pub mod rule;
pub mod scoring;
pub mod selection;
pub mod text;
#[cfg(feature = "web")]
pub mod web;

pub use error::Error;
