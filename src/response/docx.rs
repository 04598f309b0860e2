//! Returned Word documents, read with zip 9 and quick-xml (CRATES.md §3.4):
//! docx-rs's reader panics, hangs and overflows its stack on crafted files.
//!
//! `word/document.xml` is streamed once, at most [`MAX_PART`] bytes, into
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
//! the cell, in reading order (at most [`MAX_NESTED_TEXT`] bytes so copied
//! in all).
//!
//! Answer tables are those with a header row holding `ID` and `Réponse` or
//! `Answer` (columns mapped by header name, merged cells placed on the
//! table grid); the identity table is the first with the most identity
//! labels in its first column; the metadata are the `boussole.*` custom
//! properties. The main part is found by its usual name only.
//!
//! Deliberately refused: a DTD (`DOCTYPE`), elements nested more than
//! [`MAX_DEPTH`] deep, more than [`MAX_ITEMS`] tables, rows and cells,
//! unknown entities, and XML that ends before its elements close.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufReader, Read, Seek};

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};
use zip::ZipArchive;

use super::appearance::{Appearance, Field, add_excerpt};
use super::read::{Columns, add_metadata, identity_in, is_question_id, thousands, zip_archive};
use super::{Cell, Choice, FileFormat, Identity, Metadata, ReadError, Response, Row, prescan};

/// Most bytes read from one part.
pub const MAX_PART: u64 = prescan::MAX_ENTRY_SIZE;
/// Deepest element nesting accepted.
pub const MAX_DEPTH: usize = 256;
/// Most tables, rows and (grid) cells, counted together.
pub const MAX_ITEMS: usize = 200_000;
/// Widest column span a cell may claim (`w:gridSpan`).
const MAX_SPAN: usize = 64;
/// Most bytes of nested tables' text copied into the cells holding them.
pub const MAX_NESTED_TEXT: u64 = 8 * 1024 * 1024;

/// Reads a returned Word document.
pub(super) fn read(bytes: &[u8]) -> Result<Response, ReadError> {
    let mut zip = zip_archive(bytes)?;
    let Some(i) = zip.index_for_name("word/document.xml") else {
        return Err(ReadError::Malformed(
            "a Word package without word/document.xml".into(),
        ));
    };
    let mut tables = Tables {
        styles: styles(&mut zip)?,
        ..Tables::default()
    };
    walk(&mut zip, i, "word/document.xml", |e| tables.event(e))?;
    let imports = if tables.imports {
        imported_formats(&mut zip)?
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
        metadata: custom_properties(&mut zip)?,
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
            if !question && !option && !super::is_extra_id(id) {
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

/// Which text of a cell.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Text {
    /// What a reader sees.
    Seen,
    /// With hidden text too.
    WithHidden,
}

/// One table cell as read.
#[derive(Default)]
struct Slot {
    /// The text a reader sees (a nested table's text included, in reading
    /// order).
    text: String,
    /// The same with hidden text included.
    keys: String,
    /// The grid columns it spans.
    span: usize,
    /// The beginning of the text hidden from readers, not read.
    hidden: String,
    /// The relationship ids of content imported into it (`w:altChunk`).
    imported: Vec<String>,
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
    fn appearances(
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
struct Table {
    order: usize,
    rows: Vec<Vec<Slot>>,
    /// Whether a row is open (a content control started then is inside
    /// the row, not around rows).
    in_row: bool,
}

impl Table {
    /// The rows with each cell placed on its grid column (a spanning cell's
    /// text in its first column, the others empty), so that headers and
    /// values line up.
    fn grid(&self, which: Text) -> Vec<Vec<String>> {
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
    fn slots(&self) -> Vec<Vec<Option<&Slot>>> {
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
struct Tables {
    open: Vec<Table>,
    done: Vec<Table>,
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
    imports: bool,
    /// Bytes of text read.
    held: u64,
}

impl Tables {
    fn event(&mut self, e: Ev<'_>) -> Result<(), ReadError> {
        match e {
            Ev::Start(_, _) | Ev::End(_) if self.skip > 0 => self.skipping(&e),
            Ev::Start(name, s) => self.start(name, s)?,
            Ev::End(name) => self.end(name)?,
            Ev::Text(t) if self.text > 0 && self.skip == 0 => {
                self.held += t.len() as u64;
                if self.held > prescan::MAX_TEXT_BYTES {
                    return Err(ReadError::TooLarge(format!(
                        "the document holds more than {} MiB of text",
                        prescan::MAX_TEXT_BYTES / (1024 * 1024)
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

    fn start(&mut self, name: &str, s: &BytesStart<'_>) -> Result<(), ReadError> {
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
                    cell.imported.push(id);
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

/// Whether an on/off property (`<w:vanish/>`, `w:val="0"`) is on.
fn on(s: &BytesStart<'_>) -> bool {
    !matches!(
        attr(s, "val")
            .map(|v| v.trim().to_ascii_lowercase())
            .as_deref(),
        Some("0" | "false" | "off")
    )
}

/// What the document's styles say of hidden text.
#[derive(Default)]
struct Styles {
    /// Style id → (the style it is based on, whether its run properties
    /// hide text when they say).
    defs: HashMap<String, (Option<String>, Option<bool>)>,
    /// Whether the document's default run properties hide text.
    default: bool,
    /// Whether the default paragraph style hides text, when it says.
    paragraph: Option<bool>,
}

impl Styles {
    /// Whether style `id` hides text, through the styles it is based on.
    fn hidden(&self, id: &str) -> Option<bool> {
        let mut id = id;
        for _ in 0..MAX_BASED_ON {
            let (based, hidden) = self.defs.get(id)?;
            if hidden.is_some() {
                return *hidden;
            }
            id = based.as_deref()?;
        }
        None
    }
}

/// How many styles a style's `basedOn` chain is followed through.
const MAX_BASED_ON: usize = 32;

/// The styles of `word/styles.xml` (at most [`MAX_ITEMS`]), when there.
fn styles<R: Read + Seek>(zip: &mut ZipArchive<R>) -> Result<Styles, ReadError> {
    let Some(i) = zip.index_for_name("word/styles.xml") else {
        return Ok(Styles::default());
    };
    let mut styles = Styles::default();
    // (id, based on, hidden, default paragraph style) of the style open
    let mut current: Option<(String, Option<String>, Option<bool>, bool)> = None;
    let mut default_paragraph = None;
    let (mut run_props, mut defaults, mut table_parts) = (false, false, 0usize);
    walk(zip, i, "word/styles.xml", |e| {
        match e {
            Ev::Start("style", s) => {
                let paragraph = attr(s, "type").as_deref() == Some("paragraph");
                let default =
                    attr(s, "default").is_some_and(|v| matches!(v.trim(), "1" | "true" | "on"));
                current = Some((
                    attr(s, "styleId").unwrap_or_default(),
                    None,
                    None,
                    paragraph && default,
                ));
            }
            Ev::Start("basedOn", s) => {
                if let Some(c) = current.as_mut() {
                    c.1 = attr(s, "val");
                }
            }
            Ev::Start("tblStylePr", _) => table_parts += 1,
            Ev::End("tblStylePr") => table_parts = table_parts.saturating_sub(1),
            Ev::Start("rPrDefault", _) => defaults = true,
            Ev::End("rPrDefault") => defaults = false,
            Ev::Start("rPr", _) => run_props = table_parts == 0,
            Ev::End("rPr") => run_props = false,
            Ev::Start("vanish" | "specVanish", s) if run_props => {
                let hidden = on(s);
                match current.as_mut() {
                    Some(c) => c.2 = Some(c.2 == Some(true) || hidden),
                    None if defaults => styles.default = styles.default || hidden,
                    None => {}
                }
            }
            Ev::End("style") => {
                if let Some((id, based, hidden, default)) = current.take() {
                    if styles.defs.len() >= MAX_ITEMS {
                        return Err(ReadError::TooLarge(format!(
                            "the document defines more than {} styles",
                            thousands(MAX_ITEMS as u64)
                        )));
                    }
                    if default {
                        default_paragraph = Some(id.clone());
                    }
                    styles.defs.insert(id, (based, hidden));
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    styles.paragraph = default_paragraph.and_then(|id| styles.hidden(&id));
    Ok(styles)
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
                out.insert(id, format);
            }
        }
        Ok(())
    })?;
    Ok(out)
}

/// The `boussole.*` custom document properties (`docProps/custom.xml`), or
/// `None` when there are none: `boussole.q.<ID>` are question hashes, the
/// others values named without their `boussole.` prefix.
pub(super) fn custom_properties<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
) -> Result<Option<Metadata>, ReadError> {
    let Some(i) = zip.index_for_name("docProps/custom.xml") else {
        return Ok(None);
    };
    let mut pairs = Vec::new();
    let mut current: Option<(String, String)> = None;
    walk(zip, i, "docProps/custom.xml", |e| {
        match e {
            Ev::Start("property", s) => {
                current = Some((attr(s, "name").unwrap_or_default(), String::new()))
            }
            Ev::End("property") => pairs.extend(current.take()),
            Ev::Text(t) => {
                if let Some((_, value)) = &mut current {
                    value.push_str(t);
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    let mut meta = Metadata::default();
    for (name, value) in pairs {
        let Some(key) = name.strip_prefix("boussole.") else {
            continue;
        };
        match key.strip_prefix("q.") {
            Some(id) if is_question_id(id) => add_metadata(&mut meta, id, value),
            _ => {
                meta.values
                    .insert(key.to_string(), value.trim().to_string());
            }
        }
    }
    Ok((meta != Metadata::default()).then_some(meta))
}

/// An event as the readers above see it: an element's local name (with the
/// element when it starts), or text with entities resolved.
enum Ev<'a> {
    Start(&'a str, &'a BytesStart<'a>),
    End(&'a str),
    Text(&'a str),
}

/// Streams the events of entry `i` (at most [`MAX_PART`] bytes) to `f`.
///
/// Refuses malformed XML, a DTD, nesting beyond [`MAX_DEPTH`], unknown
/// entities, and a part that ends with elements still open.
fn walk<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    i: usize,
    part: &str,
    mut f: impl FnMut(Ev<'_>) -> Result<(), ReadError>,
) -> Result<(), ReadError> {
    let bad = |why: String| ReadError::Malformed(format!("part {part}: {why}"));
    let entry = zip.by_index(i).map_err(|e| super::read::damaged(part, e))?;
    let mut xml = Reader::from_reader(BufReader::new(entry.take(MAX_PART)));
    xml.config_mut().expand_empty_elements = true;
    let mut buf = Vec::new();
    let mut depth = 0usize;
    loop {
        buf.clear();
        let event = xml
            .read_event_into(&mut buf)
            .map_err(|e| bad(format!("not well-formed XML ({e})")))?;
        match event {
            Event::Start(s) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(bad(format!("elements nested more than {MAX_DEPTH} deep")));
                }
                f(Ev::Start(s.local_name().as_ref(), &s))?;
            }
            Event::End(s) => {
                depth = depth.saturating_sub(1);
                f(Ev::End(s.local_name().as_ref()))?;
            }
            Event::Text(t) => f(Ev::Text(&t.xml10_content()))?,
            Event::CData(t) => f(Ev::Text(&t.xml10_content()))?,
            Event::GeneralRef(r) => f(Ev::Text(&entity(&r).map_err(bad)?))?,
            Event::DocType(_) => return Err(bad("declares a DTD (DOCTYPE)".into())),
            Event::Eof if depth > 0 => {
                return Err(bad("ends before its elements close (truncated?)".into()));
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

/// The text of an entity reference: a character reference or one of the
/// five XML entities; anything else is refused.
fn entity(r: &BytesRef<'_>) -> Result<String, String> {
    let unknown = || format!("unknown entity &{};", &**r);
    if let Some(c) = r.resolve_char_ref().map_err(|_| unknown())? {
        return Ok(c.to_string());
    }
    let text = match &**r {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => return Err(unknown()),
    };
    Ok(text.into())
}

/// The value of the attribute whose local name is `key` (`w:val` → `val`).
fn attr(s: &BytesStart<'_>, key: &str) -> Option<String> {
    s.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == key)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok())
        .map(|v| v.into_owned())
}

#[cfg(test)]
mod tests {
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
