//! XLSX and XLSM workbooks, read by boussole's own reader: the parts a
//! questionnaire needs, each inflated and parsed once, its bounds checked
//! in the same pass as it is read, before anything is allocated from what
//! the file declares.
//!
//! ```text
//! _rels/.rels ─ workbook: sheets, date system ─ its relationships ─┐
//! sharedStrings.xml ─ strings ([`strings`])                         ├─ each sheet: [`cells`] ─ Sheet
//! styles.xml ─ each cell style's number format ([`styles`])         ┘
//! ```
//!
//! What a cell holds is read as calamine reads it (calamine still reads
//! ODS and XLS files, and the tests compare both readers on the same
//! workbooks): positions from `r` or from the order of rows and cells,
//! every cell type (`s`, `str`, `inlineStr`, `b`, `e`, `n`, `d`), numbers
//! under a date format as dates in the workbook's date system, Excel's
//! `_xHHHH_` escapes, rich text without its phonetic guides, shared
//! formulas with their references shifted to each cell.
//!
//! Bounds ([`super::bounds`]), each checked as the part is read: sheets
//! of a workbook, shared strings, cell styles, every cell position and
//! range (`<dimension>`, `<mergeCell>`, `<f ref>`), cells of a part,
//! shared-formula indexes, and the text copied into cells (a shared string
//! or a shared formula is copied once per cell that uses it). Every part
//! goes through the same strict XML walker as Word documents: no DTD,
//! no unknown entity, no nesting deeper than [`super::bounds::MAX_DEPTH`].
//!
//! Deliberately not read: themes, fonts, fills, borders, tables, drawings,
//! comments; a part no relationship leads to is never inflated.

mod book;
mod cells;
mod strings;
mod styles;

use std::collections::HashMap;

use super::ReadError;
use super::bounds::{MAX_SHEETS, thousands};
use super::package::Package;

pub(super) use cells::{Formats, Sheet};

/// A workbook opened: its sheets, shared strings and number formats read,
/// its sheets' cells read one sheet at a time by [`Workbook::sheet`].
pub(super) struct Workbook<'z, 'a> {
    zip: &'z mut Package<'a>,
    /// Each sheet's name and its part's index and name (`None` for a sheet
    /// whose part is missing or that is no worksheet: a chart sheet has no
    /// cells).
    sheets: Vec<(String, Option<(usize, String)>)>,
    strings: Vec<String>,
    styles: styles::Styles,
    date1904: bool,
}

impl<'z, 'a> Workbook<'z, 'a> {
    /// Reads the workbook's structure from `zip` (its entries checked by
    /// [`super::package::open`]).
    pub(super) fn open(zip: &'z mut Package<'a>) -> Result<Workbook<'z, 'a>, ReadError> {
        let parts = Parts::of(zip);
        let book = book::read(zip, &parts)?;
        if book.sheets.len() as u64 > MAX_SHEETS {
            return Err(ReadError::TooLarge(format!(
                "the workbook has {} sheets; the limit is {MAX_SHEETS}",
                thousands(book.sheets.len() as u64)
            )));
        }
        let strings = match parts.find(&format!("{}sharedStrings.xml", book.folder)) {
            Some((i, name)) => strings::read(zip, i, &name)?,
            None => Vec::new(),
        };
        let styles = match parts.find(&format!("{}styles.xml", book.folder)) {
            Some((i, name)) => styles::read(zip, i, &name)?,
            None => styles::Styles::default(),
        };
        let sheets = book
            .sheets
            .into_iter()
            .map(|s| {
                let part = s.path.and_then(|p| parts.find(&p));
                (s.name, part)
            })
            .collect();
        Ok(Workbook {
            zip,
            sheets,
            strings,
            styles,
            date1904: book.date1904,
        })
    }

    /// The sheets' names, in workbook order.
    pub(super) fn sheet_names(&self) -> Vec<String> {
        self.sheets.iter().map(|(name, _)| name.clone()).collect()
    }

    /// The cells of sheet `name` (empty for a sheet with no cells).
    pub(super) fn sheet(&mut self, name: &str) -> Result<Sheet, ReadError> {
        let part = self
            .sheets
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, part)| part.clone());
        let Some((i, part)) = part else {
            return Ok(Sheet::default());
        };
        let context = cells::Context {
            strings: &self.strings,
            styles: &self.styles,
            date1904: self.date1904,
        };
        cells::read(self.zip, i, &part, &context)
    }
}

/// The package's entries by name, found as Excel finds them: without
/// regard to case, `\` read as `/`.
struct Parts {
    index: HashMap<String, (usize, String)>,
}

impl Parts {
    fn of(zip: &Package<'_>) -> Parts {
        let mut index = HashMap::new();
        for i in 0..zip.len() {
            let Some(name) = zip
                .by_index_data(i)
                .ok()
                .and_then(|e| e.name().ok().map(|n| n.replace('\\', "/")))
            else {
                continue;
            };
            index
                .entry(name.to_lowercase())
                .or_insert_with(|| (i, name));
        }
        Parts { index }
    }

    /// The index and name of the part at `path` (relative to the package's
    /// root, with or without a leading `/`).
    fn find(&self, path: &str) -> Option<(usize, String)> {
        let path = path.trim_start_matches('/').replace('\\', "/");
        self.index.get(&path.to_lowercase()).cloned()
    }
}
