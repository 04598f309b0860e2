//! Doubts about a returned file itself: another library or profile, ids
//! added, missing or repeated, question texts edited, formulas, SIRET.

use std::collections::BTreeMap;

use super::{Basis, is_formula};
use crate::finding::{Code, Integrity};
use crate::questionnaire::layout::text_hash;
use crate::response::Response;
use crate::selection::SelectedQuestion;

fn warn(code: Code, question: Option<&str>, message: String) -> Integrity {
    Integrity {
        code,
        question: question.map(String::from),
        message,
    }
}

/// The integrity warnings of one file.
pub fn of_file(response: &Response, basis: &Basis, asked: &[&SelectedQuestion]) -> Vec<Integrity> {
    let mut out = Vec::new();
    let sel = &basis.selection;
    match &response.metadata {
        None => out.push(warn(
            Code::NoMetadata,
            None,
            "the questionnaire's metadata are not in the file; answers were matched by question id"
                .into(),
        )),
        Some(m) => {
            let pairs = [
                (
                    "library_hash",
                    &sel.library_hash,
                    Code::LibraryMismatch,
                    "library",
                ),
                (
                    "profile_hash",
                    &sel.profile_hash,
                    Code::ProfileMismatch,
                    "profile",
                ),
            ];
            for (key, expected, code, what) in pairs {
                if let Some(found) = m.values.get(key).filter(|f| *f != expected) {
                    out.push(warn(code, None, format!("the file was issued with {what} {found}, it is checked against {what} {expected}")));
                }
            }
        }
    }
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for row in &response.rows {
        *seen.entry(row.id.as_str()).or_default() += 1;
        if !asked.iter().any(|q| q.id == row.id) {
            out.push(warn(
                Code::UnknownQuestion,
                Some(&row.id),
                format!(
                    "{} ({}) is not a question of this questionnaire",
                    row.id, row.location
                ),
            ));
        }
        if is_formula(&row.answer) {
            out.push(warn(
                Code::FormulaAnswer,
                Some(&row.id),
                format!(
                    "the answer to {} ({}) is a formula; its kept value is used",
                    row.id, row.location
                ),
            ));
        }
    }
    for q in asked {
        match seen.get(q.id.as_str()) {
            None => out.push(warn(
                Code::MissingQuestion,
                Some(&q.id),
                format!("{} is not in the file", q.id),
            )),
            Some(n) if *n > 1 => out.push(warn(
                Code::DuplicateQuestion,
                Some(&q.id),
                format!("{} appears {n} times", q.id),
            )),
            Some(_) => {}
        }
        let issued = [text_hash(&q.text.fr), text_hash(&q.text.en)];
        for row in response
            .rows
            .iter()
            .filter(|r| r.id == q.id && !r.question.trim().is_empty())
        {
            if !issued.contains(&text_hash(&row.question)) {
                out.push(warn(
                    Code::EditedQuestion,
                    Some(&q.id),
                    format!(
                        "the text of {} was changed ({}): « {} »",
                        q.id,
                        row.location,
                        row.question.trim()
                    ),
                ));
            }
        }
    }
    let siret = &response.identity.siret;
    if !siret.trim().is_empty() && !siret_is_valid(siret) {
        out.push(warn(
            Code::InvalidSiret,
            None,
            format!("« {siret} » is not a valid SIREN (9 digits) or SIRET (14 digits)"),
        ));
    }
    out
}

/// Whether `s` is a SIREN (9 digits) or SIRET (14 digits) passing the Luhn check.
pub fn siret_is_valid(s: &str) -> bool {
    let digits: Vec<u32> = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .map(|c| c.to_digit(10))
        .collect::<Option<_>>()
        .unwrap_or_default();
    if digits.len() != 9 && digits.len() != 14 {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            if !i.is_multiple_of(2) {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                *d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siren_and_siret_follow_luhn() {
        assert!(siret_is_valid("732 829 320"));
        assert!(siret_is_valid("73282932000074"));
        assert!(siret_is_valid("732 829 320 00074"));
        assert!(!siret_is_valid("73282932000075"));
        assert!(!siret_is_valid("1234"));
        assert!(!siret_is_valid("7328293200007A"));
    }
}
