//! The tables of a Word document's body, built from its events: each
//! cell's text as its reader sees it, what is hidden in it or imported into
//! it, and the tables nested in it.

use std::collections::BTreeMap;

use super::styles::Styles;
use crate::response::ReadError;
use crate::response::appearance::{Appearance, Field, add_excerpt};
use crate::response::bounds::{MAX_ITEMS, MAX_NESTED_TEXT, MAX_SPAN, MAX_TEXT_BYTES, thousands};
use crate::response::xml::{Ev, Tag, attr, on};

/// Which text of a cell.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Text {
    /// What a reader sees.
    Seen,
    /// With hidden text too.
    WithHidden,
}

/// One table cell as read.
#[derive(Default)]
pub(super) struct Slot {
    /// The text a reader sees (a nested table's text included, in reading
    /// order).
    pub(super) text: String,
    /// The same with hidden text included.
    pub(super) keys: String,
    /// The grid columns it spans.
    pub(super) span: usize,
    /// The beginning of the text hidden from readers, not read.
    pub(super) hidden: String,
    /// The relationship ids of content imported into it (`w:altChunk`).
    pub(super) imported: Vec<String>,
}

impl Slot {
    fn new() -> Slot {
        Slot {
            span: 1,
            ..Slot::default()
        }
    }

    fn get(&self, which: Text) -> &str {
        match which {
            Text::Seen => &self.text,
            Text::WithHidden => &self.keys,
        }
    }

    /// Adds `text`: seen, or hidden.
    fn add(&mut self, text: &str, hidden: bool) {
        if hidden {
            add_excerpt(&mut self.hidden, text);
        } else {
            self.text.push_str(text);
        }
        self.keys.push_str(text);
    }

    /// What the cell holds that its reader does not see read.
    pub(super) fn appearances(
        &self,
        field: Field,
        imports: &BTreeMap<String, String>,
        out: &mut Vec<Appearance>,
    ) {
        let hidden: Vec<&str> = self.hidden.split_whitespace().collect();
        if !hidden.is_empty() {
            out.push(Appearance::Hidden {
                field,
                text: hidden.join(" "),
            });
        }
        for id in &self.imported {
            out.push(Appearance::Imported {
                field,
                format: imports.get(id).cloned().unwrap_or_default(),
            });
        }
    }
}

/// One table: rows of cells.
#[derive(Default)]
pub(super) struct Table {
    pub(super) order: usize,
    pub(super) rows: Vec<Vec<Slot>>,
    /// Whether a row is open (a content control started then is inside
    /// the row, not around rows).
    pub(super) in_row: bool,
}

impl Table {
    /// The rows with each cell placed on its grid column (a spanning cell's
    /// text in its first column, the others empty), so that headers and
    /// values line up.
    pub(super) fn grid(&self, which: Text) -> Vec<Vec<String>> {
        self.slots()
            .iter()
            .map(|row| {
                row.iter()
                    .map(|s| s.map_or(String::new(), |s| s.get(which).trim().to_string()))
                    .collect()
            })
            .collect()
    }

    /// The cells placed as [`Table::grid`] places their texts.
    pub(super) fn slots(&self) -> Vec<Vec<Option<&Slot>>> {
        self.rows
            .iter()
            .map(|cells| {
                let mut out = Vec::new();
                for slot in cells {
                    out.push(Some(slot));
                    out.extend(std::iter::repeat_n(None, slot.span.saturating_sub(1)));
                }
                out
            })
            .collect()
    }

    /// The table's text as a reader reads it: row by row, each cell's text
    /// after the other (tabs between cells, a line per row).
    fn reading(&self, which: Text) -> String {
        let lines: Vec<String> = self
            .rows
            .iter()
            .map(|row| {
                let cells: Vec<&str> = row
                    .iter()
                    .map(|s| s.get(which).trim())
                    .filter(|t| !t.is_empty())
                    .collect();
                cells.join("\t")
            })
            .filter(|l| !l.is_empty())
            .collect();
        lines.join("\n")
    }
}

/// A run's own say on whether its text is hidden: its direct formatting
/// (`w:vanish`, `w:specVanish`) before its character style's.
#[derive(Default, Clone, Copy)]
struct RunHidden {
    direct: Option<bool>,
    style: Option<bool>,
}

/// The tables of a document, built from its events.
#[derive(Default)]
pub(super) struct Tables {
    open: Vec<Table>,
    pub(super) done: Vec<Table>,
    items: usize,
    started: usize,
    skip: usize,
    text: usize,
    /// The runs open (a text box's runs sit inside a run).
    runs: Vec<RunHidden>,
    /// The paragraphs open: whether their style hides their runs.
    paragraphs: Vec<Option<bool>>,
    /// Inside a run's own properties (not a paragraph mark's).
    run_props: bool,
    /// Inside paragraph properties.
    paragraph_props: usize,
    /// Inside a tracked change of properties (the former ones).
    changes: usize,
    /// The content controls open: whether each shows its placeholder, and
    /// how many tables were open when it started in a row (`usize::MAX`
    /// around rows or tables).
    controls: Vec<(bool, usize)>,
    /// Inside a content control's properties.
    control_props: usize,
    styles: Styles,
    /// Bytes of nested tables' text copied into their cells.
    nested: usize,
    /// Whether a cell imports content (`w:altChunk`).
    pub(super) imports: bool,
    /// Bytes of text read.
    held: u64,
}

impl Tables {
    /// No table yet, hidden text told by `styles`.
    pub(super) fn new(styles: Styles) -> Tables {
        Tables {
            styles,
            ..Tables::default()
        }
    }

    pub(super) fn event(&mut self, e: Ev<'_>) -> Result<(), ReadError> {
        match e {
            Ev::Start(_, _) | Ev::End(_) if self.skip > 0 => self.skipping(&e),
            Ev::Start(name, s) => self.start(name, s)?,
            Ev::End(name) => self.end(name)?,
            Ev::Text(t) if self.text > 0 && self.skip == 0 => {
                self.held += t.len() as u64;
                if self.held > MAX_TEXT_BYTES {
                    return Err(ReadError::TooLarge(format!(
                        "the document holds more than {} MiB of text",
                        MAX_TEXT_BYTES / (1024 * 1024)
                    )));
                }
                self.push(t)
            }
            Ev::Text(_) => {}
        }
        Ok(())
    }

    /// Inside skipped content: only counts nesting, to know where it ends.
    fn skipping(&mut self, e: &Ev<'_>) {
        match e {
            Ev::Start(..) => self.skip += 1,
            _ => self.skip -= 1,
        }
    }

    fn start(&mut self, name: &str, s: &Tag<'_>) -> Result<(), ReadError> {
        match name {
            "del" | "moveFrom" | "Fallback" => self.skip = 1,
            "tbl" => {
                self.count()?;
                self.open.push(Table {
                    order: self.started,
                    ..Table::default()
                });
                self.started += 1;
            }
            "tr" => {
                self.count()?;
                if let Some(t) = self.open.last_mut() {
                    t.rows.push(Vec::new());
                    t.in_row = true;
                }
            }
            "tc" => {
                self.count()?;
                if let Some(t) = self.open.last_mut() {
                    if t.rows.is_empty() {
                        t.rows.push(Vec::new());
                    }
                    if let Some(row) = t.rows.last_mut() {
                        row.push(Slot::new());
                    }
                }
            }
            "gridSpan" => {
                let span = attr(s, "val").and_then(|v| v.trim().parse::<usize>().ok());
                let span = span.unwrap_or(1).clamp(1, MAX_SPAN);
                for _ in 1..span {
                    self.count()?; // each grid column it spans becomes a cell
                }
                if let Some(cell) = self.cell() {
                    cell.span = span;
                }
            }
            "p" => {
                self.paragraphs.push(self.styles.paragraph);
                if let Some(cell) = self.cell() {
                    for text in [&mut cell.text, &mut cell.keys] {
                        if !text.is_empty() {
                            text.push('\n');
                        }
                    }
                }
            }
            "t" => self.text += 1,
            "r" => self.runs.push(RunHidden::default()),
            "tab" if !self.runs.is_empty() => self.push("\t"),
            "br" | "cr" if !self.runs.is_empty() => self.push("\n"),
            "pPr" => self.paragraph_props += 1,
            "rPrChange" | "pPrChange" => self.changes += 1,
            "rPr" => {
                self.run_props =
                    !self.runs.is_empty() && self.paragraph_props == 0 && self.changes == 0;
            }
            "vanish" | "specVanish" if self.run_props && self.changes == 0 => {
                if let Some(run) = self.runs.last_mut() {
                    run.direct = Some(run.direct == Some(true) || on(s));
                }
            }
            "rStyle" if self.run_props && self.changes == 0 => {
                let style = attr(s, "val").and_then(|id| self.styles.hidden(&id));
                if let Some(run) = self.runs.last_mut() {
                    run.style = style;
                }
            }
            "pStyle" if self.paragraph_props > 0 && self.changes == 0 => {
                let style = attr(s, "val").and_then(|id| self.styles.hidden(&id));
                if let Some(p) = self.paragraphs.last_mut() {
                    *p = style;
                }
            }
            "sdt" => {
                // a control around rows or tables keeps their cells
                let in_row = self.open.last().is_some_and(|t| t.in_row);
                let depth = if in_row { self.open.len() } else { usize::MAX };
                self.controls.push((false, depth));
            }
            "sdtPr" => self.control_props += 1,
            "showingPlcHdr" if self.control_props > 0 => {
                if let Some(c) = self.controls.last_mut() {
                    c.0 = on(s);
                }
            }
            "altChunk" => {
                let id = attr(s, "id").unwrap_or_default();
                if let Some(cell) = self.cell() {
                    cell.imported.push(id.into_owned());
                    self.imports = true;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, name: &str) -> Result<(), ReadError> {
        match name {
            "tbl" => {
                if let Some(t) = self.open.pop() {
                    self.nest(&t)?;
                    let at = self.done.partition_point(|d| d.order < t.order);
                    self.done.insert(at, t);
                }
            }
            "tr" => {
                if let Some(t) = self.open.last_mut() {
                    t.in_row = false;
                }
            }
            "t" => self.text = self.text.saturating_sub(1),
            "r" => {
                self.runs.pop();
            }
            "p" => {
                self.paragraphs.pop();
            }
            "pPr" => self.paragraph_props = self.paragraph_props.saturating_sub(1),
            "rPrChange" | "pPrChange" => self.changes = self.changes.saturating_sub(1),
            "rPr" => self.run_props = false,
            "sdt" => {
                self.controls.pop();
            }
            "sdtPr" => self.control_props = self.control_props.saturating_sub(1),
            _ => {}
        }
        Ok(())
    }

    /// A table nested in a cell: its text is the cell's, in reading order,
    /// and so are its hidden text and imported content. Refuses more than
    /// [`MAX_NESTED_TEXT`] bytes copied so (each level of nesting copies
    /// the levels below it).
    fn nest(&mut self, table: &Table) -> Result<(), ReadError> {
        if self.cell().is_none() {
            return Ok(());
        }
        let (text, keys) = (table.reading(Text::Seen), table.reading(Text::WithHidden));
        self.nested += keys.len();
        if self.nested as u64 > MAX_NESTED_TEXT {
            return Err(ReadError::TooLarge(format!(
                "the tables nested in table cells hold more than {} MiB of text",
                MAX_NESTED_TEXT >> 20
            )));
        }
        let Some(cell) = self.cell() else {
            return Ok(());
        };
        for (into, from) in [(&mut cell.text, text), (&mut cell.keys, keys)] {
            if !from.is_empty() {
                if !into.is_empty() {
                    into.push('\n');
                }
                into.push_str(&from);
            }
        }
        for slot in table.rows.iter().flatten() {
            add_excerpt(&mut cell.hidden, &slot.hidden);
            cell.imported.extend(slot.imported.iter().cloned());
        }
        Ok(())
    }

    /// Refuses more than [`MAX_ITEMS`] tables, rows and cells.
    fn count(&mut self) -> Result<(), ReadError> {
        self.items += 1;
        if self.items > MAX_ITEMS {
            return Err(ReadError::TooLarge(format!(
                "the document holds more than {} table rows and cells",
                thousands(MAX_ITEMS as u64)
            )));
        }
        Ok(())
    }

    /// The cell being written: the last one of the innermost open table.
    fn cell(&mut self) -> Option<&mut Slot> {
        self.open.last_mut()?.rows.last_mut()?.last_mut()
    }

    /// Whether the text being read is a content control's placeholder
    /// (« Cliquez ou appuyez ici pour entrer du texte. ») in the current
    /// cell: no answer. A control around rows or a whole table keeps their
    /// cells.
    fn placeholder(&self) -> bool {
        let depth = self.open.len();
        self.controls
            .iter()
            .any(|&(shows, at)| shows && at == depth)
    }

    /// Whether the text being read is hidden: the run's formatting, else
    /// its character style, else its paragraph's style, else the document's
    /// defaults.
    fn hidden(&self) -> bool {
        let run = self.runs.last().and_then(|r| r.direct.or(r.style));
        let paragraph = self.paragraphs.last().copied().flatten();
        run.or(paragraph).unwrap_or(self.styles.default)
    }

    /// Text of the current cell: kept when seen, noted when hidden, dropped
    /// when a placeholder.
    fn push(&mut self, text: &str) {
        if self.placeholder() {
            return;
        }
        let hidden = self.hidden();
        if let Some(cell) = self.cell() {
            cell.add(text, hidden);
        }
    }
}
