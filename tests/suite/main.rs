//! boussole's integration suite: one binary, one module per feature.
//!
//! Each test reads like a scenario over real files: a library folder, a
//! tender profile, the `boussole` command as a buyer would run it. See
//! `README.md` beside this file for how to add one.

mod annex;
mod award;
mod batch;
mod check;
mod cli;
mod contract;
mod demo;
mod documents;
mod dossier;
mod dossier_decisions;
mod evidence;
mod examples;
mod followup;
mod grid;
mod hostile;
mod hostile_appearance;
mod hostile_neighbours;
mod judgment;
mod library;
mod lint;
mod postgres;
mod profile;
mod questionnaire_docx;
mod questionnaire_xlsx;
mod record;
mod reports_memo;
mod reports_workbook;
mod resolution;
mod response;
mod serve;
mod serve_accounts;
mod serve_browser;
mod serve_dossier;
#[cfg(unix)]
mod serve_dossier_kill;
mod support;
mod web_client;
