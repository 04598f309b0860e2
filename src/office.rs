//! Office documents, with no domain words: a neutral [`document::Document`]
//! that the annex, the questionnaire and the reports build, and renderers
//! that turn it into DOCX ([`docx`]) or Markdown ([`markdown`]) with the
//! same content; [`cells`] writes text into spreadsheet cells safely.

pub mod cells;
pub mod chart;
pub mod document;
pub mod docx;
pub mod markdown;
pub mod package;
pub mod typography;
