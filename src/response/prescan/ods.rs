//! ODS `content.xml`: repeated rows and columns, scanned with bounds.

use super::*;

/// The state of an ODS `content.xml` scan, following calamine's reading of
/// `table:table-row` and `table:table-cell` repetitions.
#[derive(Default)]
pub(super) struct OdsScan {
    pub(super) sheets: u64,
    pub(super) tables: usize,
    pub(super) row: u64,
    pub(super) row_repeat: u64,
    pub(super) col: u64,
    pub(super) row_used: bool,
    pub(super) used_rows: u64,
    pub(super) used_cols: u64,
    pub(super) area: u64,
    pub(super) repeated: u64,
    pub(super) text: u64,
    pub(super) cell: Option<OdsCell>,
}

/// The elements open at a point of a part, by qualified name.
///
/// calamine's ODS reader waits for the end tag of a table or an annotation
/// by its exact name, and loops forever at the end of the part when it never
/// comes (a truncated `content.xml`, `</table:tablé>`: found by fuzzing).
/// So every end tag must close the element last opened, the part must close
/// them all, and nesting stops at [`MAX_DEPTH`] (which bounds this stack).
#[derive(Default)]
pub(super) struct OpenElements(Vec<String>);

impl OpenElements {
    pub(super) fn event(&mut self, part: &str, e: &Event<'_>) -> Result<(), ReadError> {
        match e {
            Event::Start(s) => {
                if self.0.len() >= MAX_DEPTH {
                    return Err(ReadError::Malformed(format!(
                        "part {part}: elements nested more than {MAX_DEPTH} deep"
                    )));
                }
                self.0.push(s.name().as_ref().to_string());
            }
            Event::End(s) => {
                let name = s.name();
                let name = name.as_ref();
                match self.0.pop() {
                    Some(open) if open == name => {}
                    Some(open) => {
                        return Err(ReadError::Malformed(format!(
                            "part {part}: </{name}> does not close <{open}>"
                        )));
                    }
                    None => {
                        return Err(ReadError::Malformed(format!(
                            "part {part}: </{name}> closes no open element"
                        )));
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    pub(super) fn finish(&self, part: &str) -> Result<(), ReadError> {
        match self.0.last() {
            None => Ok(()),
            Some(name) => Err(ReadError::Malformed(format!(
                "part {part} ends before its elements close (<{name}> is open; truncated?)"
            ))),
        }
    }
}

/// A cell being read: where it starts, how often it repeats, what it holds.
pub(super) struct OdsCell {
    pub(super) depth: usize,
    pub(super) repeat: u64,
    pub(super) content: bool,
    pub(super) len: u64,
}

impl OdsScan {
    pub(super) fn event(&mut self, e: &Event<'_>) -> Result<(), ReadError> {
        if self.cell.is_some() {
            return self.in_cell(e);
        }
        match e {
            Event::Start(s) => self.start(s),
            Event::End(s) => self.end(s.local_name().as_ref()),
            _ => Ok(()),
        }
    }

    pub(super) fn start(&mut self, s: &BytesStart<'_>) -> Result<(), ReadError> {
        match s.local_name().as_ref() {
            "table" => {
                if self.tables == 0 {
                    (self.row, self.used_rows, self.used_cols) = (0, 0, 0);
                    self.sheets += 1;
                    if self.sheets > MAX_SHEETS {
                        return Err(ods_refused(format!("more than {MAX_SHEETS} tables")));
                    }
                }
                self.tables += 1;
            }
            "table-row" => {
                self.row_repeat = repeat(s, "table:number-rows-repeated")?;
                (self.col, self.row_used) = (0, false);
            }
            "table-cell" | "covered-table-cell" => {
                let attrs = raw_attrs(s.attributes_raw());
                let value = |k: &str| k.contains("value") || k.contains("formula");
                self.cell = Some(OdsCell {
                    depth: 0,
                    repeat: repeat(s, "table:number-columns-repeated")?,
                    content: attrs.iter().any(|(k, _)| value(k)),
                    len: attrs.iter().map(|(_, v)| v.len() as u64).sum(),
                });
            }
            _ => {}
        }
        Ok(())
    }

    pub(super) fn end(&mut self, name: &str) -> Result<(), ReadError> {
        match name {
            "table" => {
                self.tables = self.tables.saturating_sub(1);
                if self.tables == 0 {
                    let area = self.used_rows.saturating_mul(self.used_cols);
                    self.area = self.area.saturating_add(area);
                    if self.area > MAX_ODS_CELLS {
                        return Err(ods_refused(format!(
                            "its tables span more than {} cells",
                            thousands(MAX_ODS_CELLS)
                        )));
                    }
                }
            }
            "table-row" => {
                let end = self.row.saturating_add(self.row_repeat);
                if self.row_used {
                    self.used_rows = self.used_rows.max(end);
                }
                self.row = end;
            }
            _ => {}
        }
        Ok(())
    }

    /// Inside a cell: anything but blank text is content, and its text
    /// (spaces written `<text:s text:c>` included) is counted; the cell's
    /// end checks it.
    pub(super) fn in_cell(&mut self, e: &Event<'_>) -> Result<(), ReadError> {
        let Some(cell) = &mut self.cell else {
            return Ok(());
        };
        match e {
            Event::Start(s) => {
                cell.depth += 1;
                cell.content = true;
                if s.local_name().as_ref() == "s" {
                    // `<text:s text:c="N"/>`: N spaces, written out by calamine
                    for n in attrs(s, "text:c") {
                        let n = number("content.xml", "text:c", n)?;
                        cell.len = cell.len.saturating_add(n);
                    }
                }
            }
            Event::End(_) if cell.depth > 0 => cell.depth -= 1,
            Event::End(_) => {
                if let Some(cell) = self.cell.take() {
                    return self.cell_end(cell);
                }
            }
            Event::Text(t) if t.trim().is_empty() => {}
            _ => {
                cell.content = true;
                cell.len = cell.len.saturating_add(text_len(e));
            }
        }
        Ok(())
    }

    /// Refuses a cell with content repeated beyond the bounds, too many
    /// repeated cells in all, or too much text copied into repetitions.
    pub(super) fn cell_end(&mut self, cell: OdsCell) -> Result<(), ReadError> {
        let start = self.col;
        self.col = self.col.saturating_add(cell.repeat);
        if !cell.content {
            return Ok(());
        }
        let rows = self.row.saturating_add(self.row_repeat);
        if rows > MAX_ROWS || self.col > MAX_COLUMNS {
            return Err(ods_refused(format!(
                "a cell with content at row {}, column {}, repeated over {} rows × {} columns; \
                 the limit is {} rows × {} columns",
                thousands(self.row + 1),
                thousands(start + 1),
                thousands(self.row_repeat),
                thousands(cell.repeat),
                thousands(MAX_ROWS),
                MAX_COLUMNS
            )));
        }
        let copies = self.row_repeat.saturating_mul(cell.repeat);
        self.repeated = self.repeated.saturating_add(copies);
        if self.repeated > MAX_ODS_CELLS {
            return Err(ods_refused(format!(
                "its repeated cells with content number more than {}",
                thousands(MAX_ODS_CELLS)
            )));
        }
        let text = copies.saturating_mul(cell.len.saturating_add(1));
        self.text = self.text.saturating_add(text);
        if self.text > MAX_TEXT_BYTES {
            return Err(ods_refused(format!(
                "its cells and their repetitions hold more than {} MiB of text",
                MAX_TEXT_BYTES / (1024 * 1024)
            )));
        }
        self.row_used = true;
        self.used_cols = self.used_cols.max(self.col);
        Ok(())
    }
}

/// A repetition count (`1` when absent); refuses 0 and non-numbers.
pub(super) fn repeat(s: &BytesStart<'_>, key: &str) -> Result<u64, ReadError> {
    let mut n = 1;
    for v in attrs(s, key) {
        n = number("content.xml", key, v)?;
        if n == 0 {
            return Err(ReadError::Malformed(format!(
                "part content.xml repeats something 0 times ({key})"
            )));
        }
    }
    Ok(n)
}

pub(super) fn ods_refused(why: String) -> ReadError {
    ReadError::TooLarge(format!("in content.xml, {why}"))
}
