//! Returned workbooks (XLSX, XLSM, XLS, ODS), read with calamine once
//! [`super::prescan`] has bounded them.
//!
//! The questionnaire is found by its header row (cells `ID` and `Réponse` or
//! `Answer`) in any sheet, never by sheet name or position; columns are
//! mapped by header name, so a vendor may insert or move columns. Every row
//! below a header whose ID cell looks like a question id is kept, in file
//! order, duplicates included: judging them is the checker's job.
//!
//! An XLSX answer is read as its number format shows it: a percentage
//! carries `percent`, and a format whose section for the value shows only a
//! literal text (`"Oui";"Oui";"Oui"` over a 0, `;;;` over anything) gives
//! that text, the row noting what the cell held ([`Appearance::Formatted`]).
//!
//! Deliberately not done here: evaluating formulas (the cached value is
//! kept, beside the formula text), reading number formats of XLS and ODS
//! files (calamine exposes them for XLSX only), and trusting the metadata
//! sheet beyond a hint.

use std::borrow::Cow;
use std::fmt::Display;
use std::io::Cursor;

use calamine::{
    Data, ExcelDateTime, Ods, OdsError, Range, Reader, Xls, XlsError, open_workbook_from_rs,
};

use super::appearance::{self, Appearance};
use super::bounds::{MAX_CELLS, MAX_SHEETS, MAX_TEXT_BYTES, thousands};
use super::package::{Package, custom_properties};
use super::shape::{
    Columns, METADATA_SHEET, add_metadata, column_name, identity_in, is_question_id,
};
use super::xlsx::{self, Formats};
use super::{Cell, Choice, FileFormat, Identity, Metadata, ReadError, Response, Row};
use crate::date::Date;

/// Reads an XLSX or XLSM workbook by boussole's own reader ([`xlsx`]);
/// its metadata come from the metadata sheet, else from the custom document
/// properties.
pub(super) fn read_xlsx(zip: &mut Package<'_>, format: FileFormat) -> Result<Response, ReadError> {
    let wb = xlsx::Workbook::open(zip)?;
    let mut response = read_book(Book::Xlsx(wb), format)?;
    if response.metadata.is_none() {
        response.metadata = custom_properties(zip)?;
    }
    Ok(response)
}

/// Reads an Excel 97–2003 workbook (bounded only by the file-size cap; see
/// [`super::prescan`]).
pub(super) fn read_xls(bytes: &[u8]) -> Result<Response, ReadError> {
    let wb: Xls<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| match e {
        XlsError::Password => ReadError::Encrypted,
        e => cannot_open(e),
    })?;
    read_book(Book::Xls(wb), FileFormat::Xls)
}

/// Reads an OpenDocument spreadsheet.
pub(super) fn read_ods(bytes: &[u8]) -> Result<Response, ReadError> {
    let wb: Ods<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| match e {
        OdsError::Password => ReadError::Encrypted,
        e => cannot_open(e),
    })?;
    read_book(Book::Ods(wb), FileFormat::Ods)
}

fn cannot_open(e: impl Display) -> ReadError {
    ReadError::Malformed(format!("the workbook cannot be opened ({e})"))
}

/// A workbook being read: XLSX and XLSM by boussole's own reader, ODS
/// and XLS by calamine's.
enum Book<'z, 'a> {
    /// XLSX and XLSM: each sheet's values, number formats and formulas read
    /// in one pass.
    Xlsx(xlsx::Workbook<'z, 'a>),
    /// ODS: values, then formulas of the questionnaire sheets.
    Ods(Ods<Cursor<&'a [u8]>>),
    /// XLS: values, then formulas of the questionnaire sheets.
    Xls(Xls<Cursor<&'a [u8]>>),
}

/// A sheet's values, number formats, and formulas when read with them.
type SheetRead = (Range<Data>, Formats, Option<Range<String>>);

/// Why a sheet was not read.
enum Failure {
    /// The file is refused (a bound, a malformed part): nothing more is read.
    Refused(ReadError),
    /// This sheet cannot be read; the others may still hold the questionnaire.
    Unreadable(String),
}

impl Book<'_, '_> {
    fn sheet_names(&self) -> Vec<String> {
        match self {
            Book::Xlsx(wb) => wb.sheet_names(),
            Book::Ods(wb) => wb.sheet_names(),
            Book::Xls(wb) => wb.sheet_names(),
        }
    }

    /// The values of sheet `name`, with the number format of each cell
    /// that has one and its formulas (XLSX, read in the same pass; calamine
    /// gives no number formats for ODS and XLS, and their formulas are read
    /// only for a questionnaire sheet, by [`Book::formulas`]).
    fn sheet(&mut self, name: &str) -> Result<SheetRead, Failure> {
        let values = match self {
            Book::Xlsx(wb) => {
                let sheet = wb.sheet(name).map_err(Failure::Refused)?;
                return Ok((sheet.values, sheet.formats, Some(sheet.formulas)));
            }
            Book::Ods(wb) => wb.worksheet_range(name).map_err(|e| e.to_string()),
            Book::Xls(wb) => wb.worksheet_range(name).map_err(|e| e.to_string()),
        };
        values
            .map(|v| (v, Formats::default(), None))
            .map_err(Failure::Unreadable)
    }

    /// The formulas of an ODS or XLS sheet `name`. A failure leaves them
    /// empty (the cached values are still read): an unusual formula must
    /// not make a vendor's whole file unreadable.
    fn formulas(&mut self, name: &str) -> Range<String> {
        match self {
            Book::Xlsx(_) => Range::default(),
            Book::Ods(wb) => wb.worksheet_formula(name).unwrap_or_default(),
            Book::Xls(wb) => wb.worksheet_formula(name).unwrap_or_default(),
        }
    }
}

/// Every sheet in turn: the metadata sheet, questionnaire sheets (all of
/// them, in workbook order), and the sheet with the most identity labels.
///
/// Refuses a workbook of more than [`MAX_SHEETS`] sheets (XLS files are
/// parsed whole before this check), and one with no
/// header row ([`ReadError::NoQuestionnaire`], or, when a sheet could not be
/// read, that sheet's error instead).
fn read_book(mut wb: Book<'_, '_>, format: FileFormat) -> Result<Response, ReadError> {
    let mut rows = Vec::new();
    let mut found = false;
    let mut metadata = None;
    let mut identity = (1, Identity::default());
    let mut failure = None;
    let names = wb.sheet_names();
    if names.len() as u64 > MAX_SHEETS {
        return Err(ReadError::TooLarge(format!(
            "the workbook has {} sheets; the limit is {MAX_SHEETS}",
            thousands(names.len() as u64)
        )));
    }
    let mut held = Held::default();
    for name in names {
        let (range, formats, formulas) = match wb.sheet(&name) {
            Ok(sheet) => sheet,
            Err(Failure::Refused(e)) => return Err(e),
            Err(Failure::Unreadable(e)) => {
                failure.get_or_insert_with(|| {
                    ReadError::Malformed(format!("sheet {name} cannot be read ({e})"))
                });
                continue;
            }
        };
        held.add(&name, &range)?;
        if name.eq_ignore_ascii_case(METADATA_SHEET) {
            metadata = Some(metadata_of(&range));
        } else if let Some(found_rows) = questionnaire(&name, &range, formats, |n| {
            formulas.unwrap_or_else(|| wb.formulas(n))
        }) {
            rows.extend(found_rows);
            found = true;
        } else {
            let (matches, id) = identity_of(&range);
            if matches > identity.0 {
                identity = (matches, id);
            }
        }
    }
    if !found {
        return Err(failure.unwrap_or(ReadError::NoQuestionnaire));
    }
    Ok(Response {
        extras: Vec::new(),
        cut: Vec::new(),
        format,
        metadata,
        identity: identity.1,
        rows,
    })
}

/// What the sheets read so far hold together: each part is bounded by
/// [`super::prescan`], but a workbook may name one part many times.
#[derive(Default)]
struct Held {
    cells: u64,
    text: u64,
}

impl Held {
    /// Counts sheet `name`; refuses the workbook once all its sheets
    /// together span more than [`MAX_CELLS`] cells or hold more than
    /// [`MAX_TEXT_BYTES`] of text.
    fn add(&mut self, name: &str, range: &Range<Data>) -> Result<(), ReadError> {
        let (height, width) = range.get_size();
        self.cells = self
            .cells
            .saturating_add((height as u64).saturating_mul(width as u64));
        for cell in range.used_cells() {
            if let Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) = cell.2 {
                self.text = self.text.saturating_add(s.len() as u64);
            }
        }
        if self.cells > MAX_CELLS {
            return Err(ReadError::TooLarge(format!(
                "its sheets span more than {} cells together (counted up to sheet {name}; a workbook may name one sheet many times)",
                thousands(MAX_CELLS)
            )));
        }
        if self.text > MAX_TEXT_BYTES {
            return Err(ReadError::TooLarge(format!(
                "its sheets hold more than {} MiB of text together (counted up to sheet {name}; a workbook may name one sheet many times)",
                MAX_TEXT_BYTES / (1024 * 1024)
            )));
        }
        Ok(())
    }
}

/// The answer rows of sheet `name`, or `None` when it has no header row.
/// A later header row remaps the columns for the rows below it. `formats`
/// are the sheet's number formats; `formulas` reads its formulas, once a
/// question row is found.
fn questionnaire(
    name: &str,
    range: &Range<Data>,
    formats: Formats,
    formulas: impl FnOnce(&str) -> Range<String>,
) -> Option<Vec<Row>> {
    let (top, left) = range.start()?;
    let mut columns = None;
    let mut formats = Some(formats);
    let mut formulas = Some(formulas);
    let mut decor = None;
    let mut rows: Vec<Row> = Vec::new();
    let mut options_of = None; // the question whose option rows follow
    let mut texts: Vec<Cow<'_, str>> = Vec::new(); // one row's, the same room for all
    for (i, cells) in range.rows().enumerate() {
        texts.clear();
        texts.extend(cells.iter().map(text_in));
        if let Some(c) = Columns::from_header(&texts) {
            columns = Some(c);
            options_of = None;
            continue;
        }
        let Some(c) = columns else { continue };
        let id = texts.get(c.id).map_or("", |s| s.trim());
        let question = is_question_id(id);
        let option = !question && options_of.is_some() && c.is_option(&texts);
        if !question && !option && !super::shape::is_extra_id(id) {
            options_of = None;
            continue;
        }
        let decor = decor.get_or_insert_with(|| Decor {
            formulas: formulas.take().map_or_else(Range::default, |f| f(name)),
            formats: formats.take().unwrap_or_default(),
        });
        let field = |i: Option<usize>| {
            i.and_then(|i| texts.get(i))
                .map_or_else(String::new, |t| t.to_string())
        };
        let (row, col) = (
            top.saturating_add(i as u32),
            left.saturating_add(c.answer as u32),
        );
        let (answer, seen) =
            decor.apply(cells.get(c.answer).map_or(Cell::Empty, to_cell), (row, col));
        if let Some(k) = options_of.filter(|_| option) {
            if let Some(of) = rows.get_mut(k) {
                let of: &mut Row = of;
                of.appearances.extend(seen);
                of.options.push(Choice {
                    label: field(c.question).trim().to_string(),
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
            location: format!("{name}!{}{}", column_name(col.into()), u64::from(row) + 1),
            options: Vec::new(),
            appearances: seen.into_iter().collect(),
        });
    }
    columns.map(|_| rows)
}

/// What the values alone do not say: formulas and (XLSX) number formats.
#[derive(Default)]
struct Decor {
    formulas: Range<String>,
    formats: Formats,
}

impl Decor {
    /// The cell at absolute `pos` as its number format shows it: marked as
    /// a percentage when the format says so, read as the text its format
    /// shows when that is a literal text instead of the value (with what
    /// the cell holds, to warn about), and wrapped with its formula when it
    /// has one.
    fn apply(&self, cell: Cell, pos: (u32, u32)) -> (Cell, Option<Appearance>) {
        let code = self.formats.get(pos).map(|code| &**code);
        let (cell, seen) = shown(cell, code);
        let formula = self.formulas.get_value(pos).map(|f| clean_formula(f));
        let cell = match formula.filter(|f| !f.is_empty()) {
            Some(formula) => Cell::Formula {
                formula,
                cached: (cell != Cell::Empty).then(|| Box::new(cell)),
            },
            None => cell,
        };
        (cell, seen)
    }
}

/// A value as number format `code` shows it (see [`appearance::shown`]):
/// the text shown, when it differs from the value, and what the cell held.
fn shown(cell: Cell, code: Option<&str>) -> (Cell, Option<Appearance>) {
    let Some(code) = code else {
        return (cell, None);
    };
    let text = match &cell {
        Cell::Number { value, .. } => appearance::shown(code, *value),
        Cell::Text(_) => appearance::shown_for_text(code),
        _ => None,
    };
    let Some(text) = text.filter(|t| t.trim() != cell.display().trim()) else {
        return match cell {
            Cell::Number { value, .. } if is_percent_format(code) => (
                Cell::Number {
                    value,
                    percent: true,
                },
                None,
            ),
            other => (other, None),
        };
    };
    let seen = Appearance::Formatted {
        held: cell.display(),
        shown: text.trim().to_string(),
    };
    let cell = if text.trim().is_empty() {
        Cell::Empty
    } else {
        Cell::Text(text.trim().to_string())
    };
    (cell, Some(seen))
}

/// Whether a number format scales by 100 and shows `%` (a `%` outside
/// quotes and escapes).
fn is_percent_format(code: &str) -> bool {
    let mut quoted = false;
    let mut escaped = false;
    for c in code.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            '%' if !quoted => return true,
            _ => {}
        }
    }
    false
}

/// A formula as written, without `=` or the ODS `of:=` prefix.
fn clean_formula(f: &str) -> String {
    let f = f.trim();
    let f = f.strip_prefix("of:").unwrap_or(f);
    f.strip_prefix('=').unwrap_or(f).trim().to_string()
}

/// A calamine value as a [`Cell`]: integers and floats are numbers, both
/// date forms are dates (their time dropped), durations stay numbers or text.
fn to_cell(d: &Data) -> Cell {
    let number = |value| Cell::Number {
        value,
        percent: false,
    };
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => number(*i as f64),
        Data::Float(f) => number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => date_of(dt).map_or(number(dt.as_f64()), Cell::Date),
        Data::DateTimeIso(s) => s
            .get(..10)
            .and_then(|d| d.parse().ok())
            .map_or_else(|| Cell::Text(s.clone()), Cell::Date),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

/// The day of an Excel date-time; `None` for a duration.
fn date_of(dt: &ExcelDateTime) -> Option<Date> {
    if !dt.is_datetime() {
        return None;
    }
    let (y, m, d, ..) = dt.to_ymd_hms_milli();
    Date::new(i32::from(y), m, d)
}

/// A value as a person reads it.
fn text_of(d: &Data) -> String {
    match d {
        // most cells: no detour through a `Cell`
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        d => to_cell(d).display(),
    }
}

/// The metadata sheet: a key in the first column, its value in the second.
fn metadata_of(range: &Range<Data>) -> Metadata {
    let mut meta = Metadata::default();
    for cells in range.rows() {
        if let [key, value, ..] = cells {
            add_metadata(&mut meta, &text_of(key), text_of(value));
        }
    }
    meta
}

/// The identity a sheet holds, and how many identity labels it has.
fn identity_of(range: &Range<Data>) -> (usize, Identity) {
    identity_in(range.rows().map(|cells| cells.iter().map(text_in)))
}

/// What [`text_of`] gives, borrowed when the cell holds a text.
fn text_in(d: &Data) -> Cow<'_, str> {
    match d {
        Data::String(s) => Cow::Borrowed(s),
        Data::Empty => Cow::Borrowed(""),
        d => Cow::Owned(to_cell(d).display()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_formats_and_formulas() {
        assert!(is_percent_format("0%"));
        assert!(is_percent_format("0.00%"));
        assert!(!is_percent_format("0\" %\""));
        assert!(!is_percent_format("0\\%"));
        assert!(!is_percent_format("General"));
        assert_eq!(clean_formula("of:=1+1"), "1+1");
        assert_eq!(clean_formula("=SUM(A1:A2)"), "SUM(A1:A2)");
        assert_eq!(clean_formula("1+1"), "1+1");
    }

    #[test]
    fn values_map_to_cells() {
        assert_eq!(
            to_cell(&Data::Int(3)),
            Cell::Number {
                value: 3.0,
                percent: false
            }
        );
        assert_eq!(
            to_cell(&Data::DateTimeIso("2024-03-15T10:00:00".into())),
            Cell::Date(Date::new(2024, 3, 15).unwrap())
        );
        assert_eq!(
            to_cell(&Data::DateTimeIso("bad".into())),
            Cell::Text("bad".into())
        );
    }
}
