//! XLSX parts: shared strings, styles and worksheets, scanned with bounds.

use super::*;

/// Records the length of each shared string; refuses a `uniqueCount` the
/// part cannot hold or above [`MAX_STRINGS`]. (`count` counts references to
/// the strings, not strings: no reader allocates from it, and it may
/// legitimately exceed what the part's size suggests.)
pub(super) fn shared_strings(
    part: &str,
    e: &Event<'_>,
    lengths: &mut Vec<u64>,
) -> Result<(), ReadError> {
    match e {
        Event::Start(s) if s.local_name().as_ref() == "sst" => {
            for v in attrs(s, "uniqueCount") {
                let n = number(part, "uniqueCount", v)?;
                if n > MAX_STRINGS {
                    return Err(ReadError::TooLarge(format!(
                        "part {part} declares {} shared strings; the limit is {}",
                        thousands(n),
                        thousands(MAX_STRINGS)
                    )));
                }
                if n > MAX_ENTRY_SIZE / MIN_SHARED_STRING {
                    return Err(ReadError::Malformed(format!(
                        "part {part} declares {} shared strings, more than it can hold",
                        thousands(n)
                    )));
                }
            }
        }
        Event::Start(s) if s.local_name().as_ref() == "si" => {
            if lengths.len() as u64 >= MAX_STRINGS {
                return Err(ReadError::TooLarge(format!(
                    "part {part} holds more than {} shared strings",
                    thousands(MAX_STRINGS)
                )));
            }
            lengths.push(0);
        }
        _ => {
            if let Some(last) = lengths.last_mut() {
                *last = last.saturating_add(text_len(e));
            }
        }
    }
    Ok(())
}

/// What calamine builds from a styles part: one style per `<xf>`, each
/// with a copy of its number format code and font name (at most the longest
/// attribute value), plus the fonts, fills, borders and formats themselves.
#[derive(Default)]
pub(super) struct Styles {
    pub(super) xfs: u64,
    pub(super) items: u64,
    pub(super) longest: u64,
}

impl Styles {
    pub(super) fn event(&mut self, e: &Event<'_>) -> Result<(), ReadError> {
        if let Event::Start(s) = e {
            match s.local_name().as_ref() {
                "xf" => {
                    self.xfs += 1;
                    self.items += 1;
                }
                "font" | "fill" | "border" | "numFmt" | "dxf" => self.items += 1,
                _ => {}
            }
            let longest = raw_attrs(s.attributes_raw())
                .iter()
                .map(|(_, v)| v.len() as u64)
                .max();
            self.longest = self.longest.max(longest.unwrap_or(0));
        }
        Ok(())
    }

    /// Refuses more than [`MAX_STYLES`] styles, fonts, fills, borders and
    /// formats, and styles whose copies would exceed [`MAX_TEXT_BYTES`].
    pub(super) fn check(&self, part: &str) -> Result<(), ReadError> {
        if self.items > MAX_STYLES {
            return Err(ReadError::TooLarge(format!(
                "part {part} defines {} styles, fonts, fills, borders and formats; the limit is {}",
                thousands(self.items),
                thousands(MAX_STYLES)
            )));
        }
        if self.xfs.saturating_mul(self.longest + 1) > MAX_TEXT_BYTES {
            return Err(ReadError::TooLarge(format!(
                "part {part}: {} cell styles with formats of {} bytes",
                thousands(self.xfs),
                thousands(self.longest)
            )));
        }
        Ok(())
    }
}

/// The state of a worksheet scan: where the next cell goes, as calamine
/// places it, and what calamine will copy.
pub(super) struct SheetScan<'a> {
    pub(super) part: &'a str,
    pub(super) strings: &'a [u64],
    pub(super) longest: u64,
    pub(super) sheets: u64,
    pub(super) row: u64,
    pub(super) col: u64,
    pub(super) cells: u64,
    pub(super) text: u64,
    pub(super) shared_string_cell: bool,
    pub(super) value: Option<String>,
    pub(super) formula: Option<Formula>,
    pub(super) templates: HashMap<u64, u64>,
    /// Whether a formula (`<f>`) was seen.
    pub(super) formulas: bool,
}

/// A `<f>` being read.
pub(super) struct Formula {
    pub(super) shared: bool,
    pub(super) template: bool,
    pub(super) index: u64,
    pub(super) len: u64,
}

impl<'a> SheetScan<'a> {
    pub(super) fn new(part: &'a str, strings: &'a [u64]) -> SheetScan<'a> {
        SheetScan {
            part,
            strings,
            longest: strings.iter().copied().max().unwrap_or(0),
            sheets: 0,
            row: 0,
            col: 0,
            cells: 0,
            text: 0,
            shared_string_cell: false,
            value: None,
            formula: None,
            formulas: false,
            templates: HashMap::new(),
        }
    }

    pub(super) fn event(&mut self, e: &Event<'_>) -> Result<(), ReadError> {
        match e {
            Event::Start(s) => self.start(s),
            Event::End(s) => self.end(s.local_name().as_ref()),
            _ => {
                if let (Some(v), Event::Text(t)) = (self.value.as_mut(), e)
                    && v.len() < 32
                {
                    v.push_str(t);
                }
                if let Some(f) = &mut self.formula {
                    f.len = f.len.saturating_add(text_len(e));
                }
                Ok(())
            }
        }
    }

    pub(super) fn start(&mut self, s: &BytesStart<'_>) -> Result<(), ReadError> {
        match s.local_name().as_ref() {
            "dimension" | "mergeCell" => attrs(s, "ref").try_for_each(|r| self.range(r)),
            "row" => attrs(s, "r").try_for_each(|r| {
                self.row = self.reference(r)?.0;
                Ok(())
            }),
            "c" => self.cell(s),
            "v" => {
                self.value = Some(String::new());
                Ok(())
            }
            "f" => self.formula_start(s),
            "sheet" => {
                self.sheets += 1;
                if self.sheets > MAX_SHEETS {
                    return Err(ReadError::TooLarge(format!(
                        "part {} lists more than {MAX_SHEETS} sheets",
                        self.part
                    )));
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    pub(super) fn end(&mut self, name: &str) -> Result<(), ReadError> {
        match name {
            "row" => {
                self.row = self.row.saturating_add(1);
                self.col = 0;
            }
            "c" => {
                self.col = self.col.saturating_add(1);
                self.shared_string_cell = false;
            }
            "v" => {
                let value = self.value.take().unwrap_or_default();
                if self.shared_string_cell {
                    // calamine reads an index that is not a plain number
                    // (`-1`, ` 1`, `1.0`) as string 0: another cell's text.
                    let plain = value.len() <= 19 && value.bytes().all(|b| b.is_ascii_digit());
                    if !value.is_empty() && !plain {
                        let shown: String = value.chars().take(20).collect();
                        return Err(ReadError::Malformed(format!(
                            "part {} has a cell pointing to the shared string « {} », which is not a string's number",
                            self.part,
                            crate::text::terminal(&shown)
                        )));
                    }
                    let len = match value.parse::<usize>() {
                        Ok(i) => self.strings.get(i).copied().unwrap_or(0),
                        Err(_) => self.longest,
                    };
                    self.copy(len)?;
                }
            }
            "f" => {
                if let Some(f) = self.formula.take() {
                    self.formula_end(f)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A cell: its position (from `r`, or the one after the previous cell),
    /// checked against the bounds, and whether it holds a shared string.
    pub(super) fn cell(&mut self, s: &BytesStart<'_>) -> Result<(), ReadError> {
        self.cells += 1;
        if self.cells > MAX_CELLS {
            return Err(ReadError::TooLarge(format!(
                "part {} holds more than {} cells",
                self.part,
                thousands(MAX_CELLS)
            )));
        }
        let mut positions = Vec::new();
        for r in attrs(s, "r") {
            let (row, col) = self.reference(r)?;
            let col = col.ok_or_else(|| self.bad(r))?;
            self.col = col;
            positions.push((row, col));
        }
        if positions.is_empty() {
            positions.push((self.row, self.col));
        }
        for (row, col) in positions {
            self.within(row, col)?;
        }
        self.shared_string_cell = attrs(s, "t").any(|t| t == "s");
        Ok(())
    }

    pub(super) fn formula_start(&mut self, s: &BytesStart<'_>) -> Result<(), ReadError> {
        let mut index = 0;
        for si in attrs(s, "si") {
            index = number(self.part, "shared formula index", si)?;
            if index > MAX_SHARED_FORMULAS {
                return Err(ReadError::TooLarge(format!(
                    "part {} uses shared formula #{}; the limit is {}",
                    self.part,
                    thousands(index),
                    thousands(MAX_SHARED_FORMULAS)
                )));
            }
        }
        self.formulas = true;
        let mut template = false;
        for r in attrs(s, "ref") {
            self.range(r)?;
            template = true;
        }
        self.formula = Some(Formula {
            shared: attrs(s, "t").any(|t| t == "shared"),
            template,
            index,
            len: 0,
        });
        Ok(())
    }

    /// A shared formula's template is remembered; each cell deriving from it
    /// gets a copy (with shifted references: counted twice, plus some).
    pub(super) fn formula_end(&mut self, f: Formula) -> Result<(), ReadError> {
        if !f.shared {
            return Ok(());
        }
        if f.template {
            self.templates.insert(f.index, f.len);
            return Ok(());
        }
        let len = self.templates.get(&f.index).copied().unwrap_or(0);
        self.copy(len.saturating_mul(2).saturating_add(16))
    }

    /// Counts `len` bytes calamine copies into a cell.
    pub(super) fn copy(&mut self, len: u64) -> Result<(), ReadError> {
        self.text = self.text.saturating_add(len);
        if self.text > MAX_TEXT_BYTES {
            return Err(ReadError::TooLarge(format!(
                "part {} copies more than {} MiB of text into its cells",
                self.part,
                MAX_TEXT_BYTES / (1024 * 1024)
            )));
        }
        Ok(())
    }

    /// A range `A1` or `A1:B2`: refuses a reversed range or one beyond the bounds.
    pub(super) fn range(&self, value: &str) -> Result<(), ReadError> {
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

    /// A cell reference as calamine reads it: 0-based row and column (the
    /// column may be missing); refuses anything else and any overflow.
    pub(super) fn reference(&self, r: &str) -> Result<(u64, Option<u64>), ReadError> {
        let letters = r.bytes().take_while(u8::is_ascii_alphabetic).count();
        let (col, row) = r.split_at(letters);
        let col = col.bytes().try_fold(0u64, |n, b| {
            let digit = u64::from(b.to_ascii_uppercase() - b'A' + 1);
            n.checked_mul(26)?.checked_add(digit)
        });
        let row = match row.parse::<u64>() {
            Ok(r) if row.bytes().all(|b| b.is_ascii_digit()) => Some(r),
            _ => None,
        };
        match (col, row.and_then(|r| r.checked_sub(1))) {
            (Some(c), Some(r)) if c <= u64::from(u32::MAX) && r < u64::from(u32::MAX) => {
                Ok((r, c.checked_sub(1)))
            }
            _ => Err(self.bad(r)),
        }
    }

    /// Refuses a position beyond [`MAX_ROWS`] × [`MAX_COLUMNS`].
    pub(super) fn within(&self, row: u64, col: u64) -> Result<(), ReadError> {
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

    pub(super) fn bad(&self, r: &str) -> ReadError {
        ReadError::Malformed(format!("part {} has a bad cell reference ({r})", self.part))
    }
}
