//! Texts cut to what a cell can hold, once a file is read.
//!
//! Excel keeps at most [`MAX_CELL_CHARS`] characters in a cell; a longer
//! text was written by something other than an office program. Each one is
//! cut there and the cut recorded ([`Cut`]), so that the checker warns
//! about it and no report ever carries more. An identity field (a name, an
//! address) is cut at [`MAX_IDENTITY_CHARS`]: it heads pages and rows.

use serde::{Deserialize, Serialize};

use super::bounds::{MAX_CELL_CHARS, MAX_IDENTITY_CHARS};
use super::{Cell, Response};
use crate::questionnaire::layout::IdentityField;

/// A text cut where the file held more.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cut {
    /// The question whose row held it, if any.
    pub question: Option<String>,
    /// Which text of the row, or which identity field.
    pub text: CutText,
    /// Where the row is: `Questionnaire!E12`, `table 3, row 4`; empty for
    /// an identity field.
    pub location: String,
    /// How many characters the file held.
    pub chars: usize,
    /// How many were kept.
    pub kept: usize,
}

/// Which text was cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CutText {
    /// The question's text as the file holds it.
    Question,
    /// The answer (or an option's answer).
    Answer,
    /// The justification or comment.
    Comment,
    /// The supporting document's reference.
    Document,
    /// An option's label.
    Option,
    /// A field of the identity block.
    Identity(IdentityField),
}

/// Cuts every over-long text of `response`, recording each cut.
pub(super) fn long_texts(response: &mut Response) {
    let mut cuts = Vec::new();
    for row in response.rows.iter_mut().chain(response.extras.iter_mut()) {
        let question = Some(row.id.clone());
        let location = row.location.clone();
        let mut at = |text: &mut String, which: CutText| {
            if let Some(chars) = cut(text, MAX_CELL_CHARS) {
                cuts.push(Cut {
                    question: question.clone(),
                    text: which,
                    location: location.clone(),
                    chars,
                    kept: MAX_CELL_CHARS,
                });
            }
        };
        at(&mut row.question, CutText::Question);
        at(&mut row.comment, CutText::Comment);
        at(&mut row.document, CutText::Document);
        for text in cell_texts(&mut row.answer) {
            at(text, CutText::Answer);
        }
        for option in &mut row.options {
            at(&mut option.label, CutText::Option);
            for text in cell_texts(&mut option.answer) {
                at(text, CutText::Answer);
            }
        }
    }
    for field in IdentityField::ALL {
        if let Some(chars) = cut(response.identity.slot(field), MAX_IDENTITY_CHARS) {
            cuts.push(Cut {
                question: None,
                text: CutText::Identity(field),
                location: String::new(),
                chars,
                kept: MAX_IDENTITY_CHARS,
            });
        }
    }
    response.cut = cuts;
}

/// The texts a cell holds (a formula's, its cached value's).
fn cell_texts(cell: &mut Cell) -> Vec<&mut String> {
    match cell {
        Cell::Text(t) | Cell::Error(t) => vec![t],
        Cell::Formula { formula, cached } => {
            let mut texts = vec![formula];
            if let Some(c) = cached {
                texts.extend(cell_texts(c));
            }
            texts
        }
        _ => Vec::new(),
    }
}

/// Cuts `text` to `max` characters; the count it had when cut.
fn cut(text: &mut String, max: usize) -> Option<usize> {
    if text.len() <= max {
        return None; // fewer bytes than `max`: fewer characters too
    }
    let (end, _) = text.char_indices().nth(max)?;
    let chars = max + text[end..].chars().count();
    text.truncate(end);
    Some(chars)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_at_a_character_boundary_and_counts_what_was_there() {
        let mut t = "é".repeat(10);
        assert_eq!(cut(&mut t, 4), Some(10));
        assert_eq!(t, "éééé");
        let mut short = "éé".to_string();
        assert_eq!(cut(&mut short, 2), None);
        assert_eq!(short, "éé");
    }
}
