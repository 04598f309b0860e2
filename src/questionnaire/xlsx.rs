//! The questionnaire as an Excel workbook.

use super::Questionnaire;
use crate::Error;

/// Renders the questionnaire as XLSX bytes.
pub fn render(_q: &Questionnaire<'_>) -> Result<Vec<u8>, Error> {
    Err(Error::Usage(
        "the XLSX questionnaire is not written yet".into(),
    ))
}
