//! The questionnaire as a Word document.

use super::Questionnaire;
use crate::Error;

/// Renders the questionnaire as DOCX bytes.
pub fn render(_q: &Questionnaire<'_>) -> Result<Vec<u8>, Error> {
    Err(Error::Usage(
        "the DOCX questionnaire is not written yet; use a .xlsx output".into(),
    ))
}
