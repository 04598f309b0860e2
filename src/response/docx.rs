//! Returned Word documents, read with zip 9 and boussole's own XML
//! tokenizer (CRATES.md §3.4): docx-rs's reader panics, hangs and overflows
//! its stack on crafted files.
//!
//! `word/document.xml` is streamed once, at most [`MAX_PART`](super::bounds::MAX_PART) bytes, into
//! tables of cell texts: text is taken from `w:t` (with `w:tab` and `w:br`
//! inside runs), tracked insertions are kept, tracked deletions and moved-
//! away text skipped, and alternate content read once (its fallback skipped).
//!
//! A cell's text is what its reader sees ([`super::appearance`]): text
//! hidden by its run's formatting, its character style, its paragraph's
//! style or the document's defaults (`w:vanish`, `w:specVanish`, as
//! `word/styles.xml` defines them) is not read but noted (headers and row
//! ids alone are matched with it: boussole's internal grid hides its row
//! ids); so is content imported from another file (`w:altChunk`), which is
//! not read. A content control in a row still showing its placeholder
//! (`w:showingPlcHdr`) is empty; a table nested in a cell gives its text to
//! the cell, in reading order (at most [`MAX_NESTED_TEXT`](super::bounds::MAX_NESTED_TEXT) bytes so copied
//! in all).
//!
//! Answer tables are those with a header row holding `ID` and `Réponse` or
//! `Answer` (columns mapped by header name, merged cells placed on the
//! table grid); the identity table is the first with the most identity
//! labels in its first column; the metadata are the `boussole.*` custom
//! properties. The main part is found by its usual name only.
//!
//! Deliberately refused: a DTD (`DOCTYPE`), elements nested more than
//! [`MAX_DEPTH`](super::bounds::MAX_DEPTH) deep, more than [`MAX_ITEMS`] tables, rows and cells,
//! unknown entities, and XML that ends before its elements close.

mod cells;
mod styles;

use std::collections::BTreeMap;
use std::io::{Read, Seek};

use zip::ZipArchive;

use super::appearance::Field;
use super::bounds::MAX_ITEMS;
use super::package::{Package, custom_properties};
use super::shape::{Columns, identity_in, is_question_id};
use super::xml::{Ev, attr, walk};
use super::{Cell, Choice, FileFormat, Identity, ReadError, Response, Row};
use cells::{Table, Tables, Text};

/// Reads a returned Word document.
pub(super) fn read(zip: &mut Package<'_>) -> Result<Response, ReadError> {
    let Some(i) = zip.index_for_name("word/document.xml") else {
        return Err(ReadError::Malformed(
            "a Word package without word/document.xml".into(),
        ));
    };
    let mut tables = Tables::new(styles::read(zip)?);
    walk(zip, i, "word/document.xml", |e| tables.event(e))?;
    let imports = if tables.imports {
        imported_formats(zip)?
    } else {
        BTreeMap::new()
    };
    let grids: Vec<Vec<Vec<String>>> = tables.done.iter().map(|t| t.grid(Text::Seen)).collect();
    let (rows, answer_tables) = answer_rows(&tables.done, &grids, &imports);
    if answer_tables.is_empty() {
        return Err(ReadError::NoQuestionnaire);
    }
    let mut identity = (1, Identity::default()); // at least two labels
    for (n, grid) in grids.iter().enumerate() {
        let found = identity_in(grid);
        if !answer_tables.contains(&n) && found.0 > identity.0 {
            identity = found;
        }
    }
    Ok(Response {
        extras: Vec::new(),
        cut: Vec::new(),
        format: FileFormat::Docx,
        metadata: custom_properties(zip)?,
        identity: identity.1,
        rows,
    })
}

/// The rows of every answer table, in document order, located as `table 3,
/// row 4`, with what their reader does not see read (hidden text, imported
/// content); and the indexes of the answer tables. `imports` names the
/// format of each imported part by its relationship id.
fn answer_rows(
    tables: &[Table],
    grids: &[Vec<Vec<String>>],
    imports: &BTreeMap<String, String>,
) -> (Vec<Row>, Vec<usize>) {
    let mut rows = Vec::new();
    let mut answer_tables = Vec::new();
    for (n, (table, grid)) in tables.iter().zip(grids).enumerate() {
        let slots = table.slots();
        let mut columns = None;
        let mut options_of = None; // the question whose option rows follow
        // headers and ids are matched on the whole text, hidden text
        // included: boussole's internal grid hides its row ids
        let keys = table.grid(Text::WithHidden);
        for (r, (texts, keys)) in grid.iter().zip(&keys).enumerate() {
            if let Some(c) = Columns::from_header(keys) {
                columns = Some(c);
                options_of = None;
                answer_tables.push(n);
                continue;
            }
            let Some(c) = columns else { continue };
            let id = keys.get(c.id).map_or("", |s| s.trim());
            let question = is_question_id(id);
            let mut seen_row = texts.clone();
            if let (Some(cell), Some(key)) = (seen_row.get_mut(c.id), keys.get(c.id)) {
                cell.clone_from(key);
            }
            let option = !question && options_of.is_some() && c.is_option(&seen_row);
            if !question && !option && !super::shape::is_extra_id(id) {
                options_of = None;
                continue;
            }
            let field = |i: Option<usize>| {
                let text = i.and_then(|i| texts.get(i)).map_or("", |s| s.trim());
                text.to_string()
            };
            let slot = |i: Option<usize>| i.and_then(|i| slots.get(r)?.get(i).copied().flatten());
            // an option row's comment and document cells are not read
            let cells = [
                (Field::Answer, Some(c.answer)),
                (Field::Comment, c.comment),
                (Field::Document, c.document),
            ];
            let mut seen = Vec::new();
            for (f, i) in cells.into_iter().take(if option { 1 } else { 3 }) {
                if let Some(s) = slot(i) {
                    s.appearances(f, imports, &mut seen);
                }
            }
            let answer = field(Some(c.answer));
            let answer = if answer.is_empty() {
                Cell::Empty
            } else {
                Cell::Text(answer)
            };
            if let Some(k) = options_of.filter(|_| option) {
                if let Some(of) = rows.get_mut(k) {
                    let of: &mut Row = of;
                    of.appearances.extend(seen);
                    of.options.push(Choice {
                        label: field(c.question),
                        answer,
                    });
                }
                continue;
            }
            options_of = question.then_some(rows.len());
            rows.push(Row {
                id: id.to_string(),
                question: field(c.question),
                answer,
                comment: field(c.comment),
                document: field(c.document),
                location: format!("table {}, row {}", n + 1, r + 1),
                options: Vec::new(),
                appearances: seen,
            });
        }
    }
    answer_tables.dedup();
    (rows, answer_tables)
}

/// The format of each part a relationship of the main part points to, by
/// relationship id (`rId5` → `HTML`): the target's extension, in capitals,
/// when it is a short word.
fn imported_formats<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
) -> Result<BTreeMap<String, String>, ReadError> {
    let name = "word/_rels/document.xml.rels";
    let Some(i) = zip.index_for_name(name) else {
        return Ok(BTreeMap::new());
    };
    let mut out = BTreeMap::new();
    walk(zip, i, name, |e| {
        if let Ev::Start("Relationship", s) = e {
            let (Some(id), Some(target)) = (attr(s, "Id"), attr(s, "Target")) else {
                return Ok(());
            };
            let format = target
                .rsplit_once('.')
                .map(|(_, ext)| ext)
                .filter(|ext| ext.len() <= 5 && ext.chars().all(|c| c.is_ascii_alphanumeric()))
                .map(|ext| ext.to_ascii_uppercase())
                .unwrap_or_default();
            if out.len() < MAX_ITEMS {
                out.insert(id.into_owned(), format);
            }
        }
        Ok(())
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::cells::Slot;
    use super::*;

    #[test]
    fn spanning_cells_keep_headers_and_values_aligned() {
        let slot = |text: &str, span| Slot {
            text: text.into(),
            keys: text.into(),
            span,
            ..Slot::default()
        };
        let t = Table {
            order: 0,
            in_row: false,
            rows: vec![
                vec![slot("ID", 1), slot("Réponse", 2)],
                vec![slot("SOB-01", 1), slot("Oui", 1), slot("x", 1)],
            ],
        };
        let g = t.grid(Text::Seen);
        assert_eq!(g[0], vec!["ID", "Réponse", ""]);
        let (rows, tables) = answer_rows(&[t], &[g], &BTreeMap::new());
        assert_eq!(tables, vec![0]);
        assert_eq!(rows[0].answer, Cell::Text("Oui".into()));
        assert_eq!(rows[0].location, "table 1, row 2");
    }
}
