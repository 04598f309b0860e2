//! The vendor questionnaire (*cadre de réponse*): what vendors fill in.
//!
//! One [`Questionnaire`] feeds every writer ([`xlsx`], [`docx`]); [`layout`]
//! fixes the sheet names, column headers and identity labels, which the
//! answer reader relies on too; [`lock`] is the selection as issued, written
//! beside the questionnaire, against which answers are checked.

pub mod docx;
pub mod layout;
pub mod lock;
pub mod wording;
pub mod xlsx;

use crate::library::Audience;
use crate::profile::Profile;
use crate::selection::{SelectedQuestion, Selection};
use crate::text::Lang;

/// Version of the questionnaire's format (sheets, columns, metadata): 2 since
/// multiple choices are answered option by option and the identity sheet
/// names the signatory.
pub const FORMAT_VERSION: u32 = 2;

/// Everything a questionnaire writer needs.
#[derive(Debug, Clone, Copy)]
pub struct Questionnaire<'a> {
    /// The resolved tender.
    pub selection: &'a Selection,
    /// The tender profile.
    pub profile: &'a Profile,
    /// Language of the document.
    pub lang: Lang,
    /// Who fills it in: vendors (the questionnaire) or the project group (the grid).
    pub audience: Audience,
    /// Optional sheet-protection password.
    pub password: Option<&'a str>,
}

impl<'a> Questionnaire<'a> {
    /// The questions it asks, criterion by criterion.
    pub fn questions(&self) -> impl Iterator<Item = &'a SelectedQuestion> + 'a {
        let who = self.audience;
        self.selection
            .questions
            .iter()
            .filter(move |q| q.audience.contains(&who))
    }
}

/// The digest of the lock issued with `q` (see [`lock::content_digest`]),
/// which the questionnaire's metadata record.
pub fn lock_digest(q: &Questionnaire<'_>) -> String {
    lock::Lock::new(q).digest.unwrap_or_default()
}
