//! A worksheet's cells, in one pass: values, number formats and formulas
//! read together, every position, range and copy checked as it comes.

use std::collections::HashMap;

use calamine::{CellErrorType, Data, ExcelDateTime, ExcelDateTimeType, Range};

use super::strings::{self, Item};
use super::styles::{Code, Kind, Styles};
use crate::response::ReadError;
use crate::response::bounds::{
    MAX_CELLS, MAX_COLUMNS, MAX_ROWS, MAX_SHARED_FORMULAS, MAX_TEXT_BYTES, thousands,
};
use crate::response::package::Package;
use crate::response::shape::column_name;
use crate::response::xml::{Ev, Tag, attr, digits, walk};

/// The number format of each cell that has one, by absolute position.
///
/// Kept in the order the cells come (rows and cells in order, as every
/// writer puts them) and sorted once at the end only when they were not:
/// no hashing for each cell.
#[derive(Default)]
pub(in crate::response) struct Formats(Vec<((u32, u32), Code)>);

impl Formats {
    /// Cell `pos` has format `code` (the last one given for a position
    /// counts, when a cell comes twice).
    fn push(&mut self, pos: (u32, u32), code: Code) {
        self.0.push((pos, code));
    }

    /// Sorted by position, one format per position.
    fn finish(mut self) -> Formats {
        if !self.0.is_sorted_by(|a, b| a.0 < b.0) {
            self.0.sort_by_key(|f| f.0); // stable: a cell's later format after its earlier
            self.0.dedup_by(|later, kept| {
                let same = later.0 == kept.0;
                if same {
                    std::mem::swap(later, kept);
                }
                same
            });
        }
        self
    }

    /// The format of the cell at `pos`, if it has one.
    pub(in crate::response) fn get(&self, pos: (u32, u32)) -> Option<&Code> {
        let i = self.0.binary_search_by_key(&pos, |f| f.0).ok()?;
        self.0.get(i).map(|f| &f.1)
    }
}

/// What a sheet holds.
#[derive(Default)]
pub(in crate::response) struct Sheet {
    /// The values, by absolute position.
    pub values: Range<Data>,
    /// The number format of each cell whose style names one.
    pub formats: Formats,
    /// The formula of each cell that has one, without its `=`.
    pub formulas: Range<String>,
}

/// What every sheet of the workbook refers to.
pub(super) struct Context<'w> {
    pub strings: &'w [String],
    pub styles: &'w Styles,
    pub date1904: bool,
}

/// Reads the sheet in part `part` (entry `i`).
pub(super) fn read(
    zip: &mut Package<'_>,
    i: usize,
    part: &str,
    context: &Context<'_>,
) -> Result<Sheet, ReadError> {
    let mut pass = Pass::new(part, context);
    walk(zip, i, part, |e| pass.event(e))?;
    Ok(pass.finish())
}

/// A `<c>` being read.
#[derive(Default)]
struct Open {
    pos: (u32, u32),
    style: usize,
    kind: Type,
    /// Whether `<v>` was met (its text is in [`Pass::value`]).
    value: bool,
    /// The inline string (`<is>`), once met.
    inline: Option<Item>,
    /// The formula's text, once `<f>` is met.
    formula: Option<Formula>,
    /// Which element's text is being read.
    inside: Inside,
}

/// A cell's type (`t`).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Type {
    /// `n`, or no type: a number (or a text that is not one).
    #[default]
    Number,
    /// `s`: a shared string.
    Shared,
    /// `str`: a formula's text result.
    Str,
    /// `inlineStr`: the text in `<is>`.
    Inline,
    /// `b`.
    Bool,
    /// `e`: an error such as `#DIV/0!`.
    Error,
    /// `d`: an ISO 8601 date.
    Date,
}

impl Type {
    fn of(t: &str) -> Type {
        match t {
            "s" => Type::Shared,
            "str" => Type::Str,
            "inlineStr" | "is" => Type::Inline,
            "b" => Type::Bool,
            "e" => Type::Error,
            "d" => Type::Date,
            _ => Type::Number,
        }
    }
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Inside {
    #[default]
    Cell,
    Value,
    Formula,
    Inline,
}

/// A `<f>`: a formula of its own, a shared formula's template (with
/// `ref`), or a cell deriving from a template (`t="shared"`, no text).
struct Formula {
    text: String,
    shared: Option<u64>,
    template: bool,
}

/// The state of the pass over a sheet.
struct Pass<'p, 'w> {
    part: &'p str,
    context: &'p Context<'w>,
    /// Where the next cell goes, when it does not say.
    row: u64,
    col: u64,
    cells: u64,
    /// Bytes copied into cells from shared strings and shared formulas.
    copied: u64,
    open: Option<Open>,
    /// The text of the open cell's `<v>`: one room for every cell.
    value: String,
    /// Shared formulas' templates: their position and text.
    templates: HashMap<u64, ((u32, u32), String)>,
    values: Vec<calamine::Cell<Data>>,
    formats: Formats,
    formulas: Vec<calamine::Cell<String>>,
}

impl<'p, 'w> Pass<'p, 'w> {
    fn new(part: &'p str, context: &'p Context<'w>) -> Pass<'p, 'w> {
        Pass {
            part,
            context,
            row: 0,
            col: 0,
            cells: 0,
            copied: 0,
            open: None,
            value: String::new(),
            templates: HashMap::new(),
            values: Vec::new(),
            formats: Formats::default(),
            formulas: Vec::new(),
        }
    }

    fn finish(self) -> Sheet {
        Sheet {
            values: Range::from_sparse(self.values),
            formats: self.formats.finish(),
            formulas: Range::from_sparse(self.formulas),
        }
    }

    fn event(&mut self, e: Ev<'_>) -> Result<(), ReadError> {
        let Some(inside) = self.open.as_ref().map(|o| o.inside) else {
            return self.outside(e);
        };
        match (inside, e) {
            (_, Ev::End("c")) => return self.close(),
            (Inside::Cell, Ev::Start("f", s)) => {
                let formula = self.formula(s)?;
                if let Some(open) = &mut self.open {
                    open.formula = Some(formula);
                    open.inside = Inside::Formula;
                }
                return Ok(());
            }
            _ => {}
        }
        let Some(open) = &mut self.open else {
            return Ok(());
        };
        match (inside, e) {
            (Inside::Inline, Ev::End("is")) => open.inside = Inside::Cell,
            (Inside::Inline, e) => {
                if let Some(item) = &mut open.inline {
                    item.event(e);
                }
            }
            (Inside::Value, Ev::Text(t)) => self.value.push_str(t),
            (Inside::Formula, Ev::Text(t)) => {
                if let Some(f) = &mut open.formula {
                    f.text.push_str(t);
                }
            }
            (Inside::Value, Ev::End("v")) | (Inside::Formula, Ev::End("f")) => {
                open.inside = Inside::Cell;
            }
            (Inside::Cell, Ev::Start("v", _)) => {
                self.value.clear();
                open.value = true;
                open.inside = Inside::Value;
            }
            (Inside::Cell, Ev::Start("is", _)) => {
                open.inline = Some(Item::default());
                open.inside = Inside::Inline;
            }
            _ => {}
        }
        Ok(())
    }

    /// An event between cells: rows, ranges, a cell starting.
    fn outside(&mut self, e: Ev<'_>) -> Result<(), ReadError> {
        match e {
            Ev::Start("row", s) => {
                if let Some(r) = attr(s, "r") {
                    self.row = self.reference(&r)?.0;
                }
            }
            Ev::End("row") => {
                self.row = self.row.saturating_add(1);
                self.col = 0;
            }
            Ev::Start("c", s) => self.cell(s)?,
            Ev::Start("dimension" | "mergeCell", s) => {
                if let Some(r) = attr(s, "ref") {
                    self.range(&r)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A cell starts: its position (from `r`, or the one after the
    /// previous cell) within the bounds, its style and type.
    fn cell(&mut self, s: &Tag<'_>) -> Result<(), ReadError> {
        self.cells += 1;
        if self.cells > MAX_CELLS {
            return Err(ReadError::TooLarge(format!(
                "part {} holds more than {} cells",
                self.part,
                thousands(MAX_CELLS)
            )));
        }
        // the three attributes read raw, in one pass (no entity in any of them)
        let (mut style, mut kind) = (0, Type::Number);
        for (key, value) in s.attributes() {
            match key {
                "r" => {
                    let (row, col) = self.reference(value)?;
                    self.row = row;
                    self.col = col.ok_or_else(|| self.bad(value))?;
                }
                "s" => style = value.trim().parse().unwrap_or(0),
                "t" => kind = Type::of(value),
                _ => {}
            }
        }
        self.within(self.row, self.col)?;
        self.open = Some(Open {
            pos: (self.row as u32, self.col as u32),
            style,
            kind,
            ..Open::default()
        });
        Ok(())
    }

    /// A cell ends: its value, number format and formula kept.
    fn close(&mut self) -> Result<(), ReadError> {
        let Some(open) = self.open.take() else {
            return Ok(());
        };
        self.col = self.col.saturating_add(1);
        let styles = self.context.styles;
        if open.style > 0
            && let Some(code) = styles.code(open.style)
        {
            self.formats.push(open.pos, code);
        }
        if let Some(formula) = &open.formula
            && let Some(text) = self.formula_text(formula, open.pos)?
        {
            self.formulas.push(calamine::Cell::new(open.pos, text));
        }
        let pos = open.pos;
        // the text of `<v>` lent to the cell's reading, its room kept for the next
        let text = std::mem::take(&mut self.value);
        let value = self.value(open, &text);
        self.value = text;
        let value = value?;
        if value != Data::Empty {
            self.values.push(calamine::Cell::new(pos, value));
        }
        Ok(())
    }

    /// A cell's value, by its type; `v` is its `<v>`'s text.
    fn value(&mut self, open: Open, v: &str) -> Result<Data, ReadError> {
        let kind = open.kind;
        if kind == Type::Inline {
            return Ok(open
                .inline
                .map_or(Data::Empty, |item| Data::String(item.finish())));
        }
        if !open.value {
            return Ok(Data::Empty);
        }
        Ok(match kind {
            Type::Shared => self.shared_string(v)?,
            Type::Str => Data::String(strings::unescape(v).into_owned()),
            Type::Date => Data::DateTimeIso(v.to_string()),
            Type::Bool => match v.trim() {
                "" => Data::Empty,
                "0" => Data::Bool(false),
                "1" => Data::Bool(true),
                t if t.eq_ignore_ascii_case("false") => Data::Bool(false),
                t if t.eq_ignore_ascii_case("true") => Data::Bool(true),
                _ => Data::String(v.to_string()),
            },
            Type::Error => v
                .parse::<CellErrorType>()
                .map_or_else(|_| Data::String(v.to_string()), Data::Error),
            // (an inline string was read above: only a number is left)
            Type::Inline | Type::Number if v.is_empty() => Data::Empty,
            Type::Inline | Type::Number => match v.parse::<f64>() {
                Ok(n) => self.number(n, open.style),
                Err(_) => Data::String(v.to_string()),
            },
        })
    }

    /// A number, a date when its style's format shows one.
    fn number(&self, n: f64, style: usize) -> Data {
        let kind = match style {
            0 => Some(Kind::Number),
            id => self.context.styles.kind(id),
        };
        let date = |kind| Data::DateTime(ExcelDateTime::new(n, kind, self.context.date1904));
        match kind {
            Some(Kind::Date) => date(ExcelDateTimeType::DateTime),
            Some(Kind::Duration) => date(ExcelDateTimeType::TimeDelta),
            _ => Data::Float(n),
        }
    }

    /// The shared string a cell points to, its copy counted. Refuses an
    /// index that is not a plain number or a string the workbook does not
    /// have.
    fn shared_string(&mut self, v: &str) -> Result<Data, ReadError> {
        if v.is_empty() {
            return Ok(Data::Empty);
        }
        let index = (v.len() <= 19 && v.bytes().all(|b| b.is_ascii_digit()))
            .then(|| v.parse::<usize>().ok())
            .flatten();
        let Some(index) = index else {
            let shown: String = v.chars().take(20).collect();
            return Err(ReadError::Malformed(format!(
                "part {} has a cell pointing to the shared string « {} », which is not a string's number",
                self.part,
                crate::text::terminal(&shown)
            )));
        };
        let Some(text) = self.context.strings.get(index) else {
            return Err(ReadError::Malformed(format!(
                "part {} has a cell pointing to shared string #{index}, which the workbook does not have",
                self.part
            )));
        };
        self.copy(text.len() as u64)?;
        Ok(Data::String(text.clone()))
    }

    /// A `<f>` starts: its shared index within the bounds, its range checked.
    fn formula(&mut self, s: &Tag<'_>) -> Result<Formula, ReadError> {
        let shared = attr(s, "t").is_some_and(|t| t == "shared");
        let index = match attr(s, "si") {
            Some(si) => Some(self.number_attr("shared formula index", &si)?),
            None => None,
        };
        if let Some(index) = index
            && index > MAX_SHARED_FORMULAS
        {
            return Err(ReadError::TooLarge(format!(
                "part {} uses shared formula #{}; the limit is {}",
                self.part,
                thousands(index),
                thousands(MAX_SHARED_FORMULAS)
            )));
        }
        let template = match attr(s, "ref") {
            Some(r) => {
                self.range(&r)?;
                true
            }
            None => false,
        };
        Ok(Formula {
            text: String::new(),
            shared: shared.then_some(index.unwrap_or(0)),
            template,
        })
    }

    /// The formula of a cell: its own text, or its template's shifted to
    /// it (counted as a copy). A template is remembered for the cells after it.
    fn formula_text(&mut self, f: &Formula, pos: (u32, u32)) -> Result<Option<String>, ReadError> {
        match f.shared {
            Some(index) if f.template => {
                self.templates.insert(index, (pos, f.text.clone()));
                Ok(Some(f.text.clone()))
            }
            Some(index) if f.text.is_empty() => {
                let Some((at, template)) = self.templates.get(&index) else {
                    return Ok(None);
                };
                let (at, len) = (*at, template.len() as u64);
                let shifted = calamine::expand_shared_formula(template, at, pos)
                    .unwrap_or_else(|_| template.clone());
                self.copy(len.saturating_mul(2).saturating_add(16))?;
                Ok(Some(shifted))
            }
            _ => Ok((!f.text.is_empty()).then(|| f.text.clone())),
        }
    }

    /// Counts `len` bytes copied into a cell; refuses more than
    /// [`MAX_TEXT_BYTES`] in the part.
    fn copy(&mut self, len: u64) -> Result<(), ReadError> {
        self.copied = self.copied.saturating_add(len);
        if self.copied > MAX_TEXT_BYTES {
            return Err(ReadError::TooLarge(format!(
                "part {} copies more than {} MiB of text into its cells",
                self.part,
                MAX_TEXT_BYTES / (1024 * 1024)
            )));
        }
        Ok(())
    }

    /// A range `A1` or `A1:B2`: refuses a reversed range or one beyond the bounds.
    fn range(&self, value: &str) -> Result<(), ReadError> {
        let mut corners = Vec::new();
        for part in value.split(':') {
            let (row, col) = self.reference(part)?;
            corners.push((row, col.ok_or_else(|| self.bad(value))?));
        }
        let (Some(&start), Some(&end), true) =
            (corners.first(), corners.last(), corners.len() <= 2)
        else {
            return Err(self.bad(value));
        };
        if end.0 < start.0 || end.1 < start.1 {
            return Err(ReadError::Malformed(format!(
                "part {} has a reversed range {value}",
                self.part
            )));
        }
        self.within(end.0, end.1)
    }

    /// A cell reference: 0-based row and column (the column may be
    /// missing, as in a row's `r`); refuses anything else and any overflow.
    fn reference(&self, r: &str) -> Result<(u64, Option<u64>), ReadError> {
        let letters = r.bytes().take_while(u8::is_ascii_alphabetic).count();
        let (col, row) = r.split_at(letters);
        let col = col.bytes().try_fold(0u64, |n, b| {
            let digit = u64::from(b.to_ascii_uppercase() - b'A' + 1);
            n.checked_mul(26)?.checked_add(digit)
        });
        let row = digits(row, 10).map(u64::from);
        match (col, row.and_then(|r| r.checked_sub(1))) {
            (Some(c), Some(r)) if c <= u64::from(u32::MAX) && r < u64::from(u32::MAX) => {
                Ok((r, c.checked_sub(1)))
            }
            _ => Err(self.bad(r)),
        }
    }

    /// Refuses a position beyond [`MAX_ROWS`] × [`MAX_COLUMNS`].
    fn within(&self, row: u64, col: u64) -> Result<(), ReadError> {
        if row < MAX_ROWS && col < MAX_COLUMNS {
            return Ok(());
        }
        Err(ReadError::TooLarge(format!(
            "part {} has a cell at {}{} (row {}, column {}); the limit is {} rows and {} columns",
            self.part,
            column_name(col),
            row + 1,
            thousands(row + 1),
            thousands(col + 1),
            thousands(MAX_ROWS),
            MAX_COLUMNS
        )))
    }

    /// A whole number attribute; refuses anything but ASCII digits.
    fn number_attr(&self, what: &str, value: &str) -> Result<u64, ReadError> {
        let v = value.trim();
        if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ReadError::Malformed(format!(
                "part {} has a bad {what} ({v})",
                self.part
            )));
        }
        v.parse().map_err(|_| {
            ReadError::TooLarge(format!("part {} declares a {what} of {v}", self.part))
        })
    }

    fn bad(&self, r: &str) -> ReadError {
        ReadError::Malformed(format!("part {} has a bad cell reference ({r})", self.part))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_and_ranges_are_bounded() {
        let styles = Styles::default();
        let context = Context {
            strings: &[],
            styles: &styles,
            date1904: false,
        };
        let pass = Pass::new("s", &context);
        assert_eq!(pass.reference("A1").unwrap(), (0, Some(0)));
        assert_eq!(
            pass.reference("xfd1048576").unwrap(),
            (1_048_575, Some(16_383))
        );
        assert_eq!(pass.reference("12").unwrap(), (11, None));
        assert!(pass.reference("A0").is_err());
        assert!(pass.reference("A").is_err());
        assert!(pass.reference("A1B").is_err());
        assert!(pass.reference("A+1").is_err());
        assert!(pass.reference("A 1").is_err());
        assert!(pass.reference("A١").is_err(), "digits of another script");
        assert!(pass.reference("AAAAAAAAAAAAAAAAAAAAAA1").is_err());
        assert!(pass.reference("A99999999999999999999999").is_err());
        assert!(pass.range("A2:B1").is_err());
        assert!(pass.range("A1:B2:C3").is_err());
        assert!(pass.range("B2:C4").is_ok());
        assert!(matches!(pass.range("A1:CW1"), Err(ReadError::TooLarge(_))));
    }

    #[test]
    fn a_cells_format_is_found_in_order_or_not_and_the_last_given_counts() {
        let mut formats = Formats::default();
        formats.push((0, 1), Code::Builtin("0%"));
        formats.push((2, 0), Code::Builtin("0.00"));
        let formats = formats.finish();
        assert_eq!(formats.get((2, 0)).map(|c| &**c), Some("0.00"));
        assert_eq!(formats.get((1, 0)).map(|c| &**c), None);

        // a cell given twice, out of order: its later format counts
        let mut formats = Formats::default();
        formats.push((3, 2), Code::Builtin("0"));
        formats.push((0, 0), Code::Builtin("@"));
        formats.push((3, 2), Code::Builtin("0%"));
        formats.push((1, 5), Code::Builtin("0.00"));
        let formats = formats.finish();
        assert_eq!(formats.get((3, 2)).map(|c| &**c), Some("0%"));
        assert_eq!(formats.get((0, 0)).map(|c| &**c), Some("@"));
        assert_eq!(formats.get((1, 5)).map(|c| &**c), Some("0.00"));
        assert_eq!(formats.0.len(), 3);
    }
}
