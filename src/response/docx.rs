//! Returned Word documents, read with zip 9 and quick-xml (CRATES.md §3.4):
//! docx-rs's reader panics, hangs and overflows its stack on crafted files.
//!
//! `word/document.xml` is streamed once, at most [`MAX_PART`] bytes, into
//! tables of cell texts: text is taken from `w:t` (with `w:tab` and `w:br`
//! inside runs), tracked insertions are kept, tracked deletions and moved-
//! away text skipped, and alternate content read once (its fallback skipped).
//! Answer tables are those with a header row holding `ID` and `Réponse` or
//! `Answer` (columns mapped by header name, merged cells placed on the
//! table grid); the identity table is the first with the most identity
//! labels in its first column; the metadata are the `boussole.*` custom
//! properties. The main part is found by its usual name only.
//!
//! Deliberately refused: a DTD (`DOCTYPE`), elements nested more than
//! [`MAX_DEPTH`] deep, more than [`MAX_ITEMS`] tables, rows and cells,
//! unknown entities, and XML that ends before its elements close.

use std::io::{BufReader, Read, Seek};

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};
use zip::ZipArchive;

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

/// Reads a returned Word document.
pub(super) fn read(bytes: &[u8]) -> Result<Response, ReadError> {
    let mut zip = zip_archive(bytes)?;
    let Some(i) = zip.index_for_name("word/document.xml") else {
        return Err(ReadError::Malformed(
            "a Word package without word/document.xml".into(),
        ));
    };
    let mut tables = Tables::default();
    walk(&mut zip, i, "word/document.xml", |e| tables.event(e))?;
    let grids: Vec<Vec<Vec<String>>> = tables.done.iter().map(|t| t.grid()).collect();
    let (rows, answer_tables) = answer_rows(&grids);
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
/// row 4`; and the indexes of the answer tables.
fn answer_rows(grids: &[Vec<Vec<String>>]) -> (Vec<Row>, Vec<usize>) {
    let mut rows = Vec::new();
    let mut tables = Vec::new();
    for (n, grid) in grids.iter().enumerate() {
        let mut columns = None;
        let mut options_of = None; // the question whose option rows follow
        for (r, texts) in grid.iter().enumerate() {
            if let Some(c) = Columns::from_header(texts) {
                columns = Some(c);
                options_of = None;
                tables.push(n);
                continue;
            }
            let Some(c) = columns else { continue };
            let id = texts.get(c.id).map_or("", |s| s.trim());
            let question = is_question_id(id);
            let option = !question && options_of.is_some() && c.is_option(texts);
            if !question && !option && !super::is_extra_id(id) {
                options_of = None;
                continue;
            }
            let field = |i: Option<usize>| {
                let text = i.and_then(|i| texts.get(i)).map_or("", |s| s.trim());
                text.to_string()
            };
            let answer = field(Some(c.answer));
            let answer = if answer.is_empty() {
                Cell::Empty
            } else {
                Cell::Text(answer)
            };
            if let Some(k) = options_of.filter(|_| option) {
                if let Some(of) = rows.get_mut(k) {
                    let of: &mut Row = of;
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
            });
        }
    }
    tables.dedup();
    (rows, tables)
}

/// One table: rows of cells, each cell its text and the grid columns it spans.
#[derive(Default)]
struct Table {
    order: usize,
    rows: Vec<Vec<(String, usize)>>,
}

impl Table {
    /// The rows with each cell placed on its grid column (a spanning cell's
    /// text in its first column, the others empty), so that headers and
    /// values line up.
    fn grid(&self) -> Vec<Vec<String>> {
        let row = |cells: &Vec<(String, usize)>| {
            let mut out = Vec::new();
            for (text, span) in cells {
                out.push(text.trim().to_string());
                out.extend(std::iter::repeat_n(String::new(), span.saturating_sub(1)));
            }
            out
        };
        self.rows.iter().map(row).collect()
    }
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
    runs: usize,
    held: u64,
}

impl Tables {
    fn event(&mut self, e: Ev<'_>) -> Result<(), ReadError> {
        match e {
            Ev::Start(_, _) | Ev::End(_) if self.skip > 0 => self.skipping(&e),
            Ev::Start(name, s) => self.start(name, s)?,
            Ev::End(name) => self.end(name),
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
                    rows: Vec::new(),
                });
                self.started += 1;
            }
            "tr" => {
                self.count()?;
                if let Some(t) = self.open.last_mut() {
                    t.rows.push(Vec::new());
                }
            }
            "tc" => {
                self.count()?;
                if let Some(t) = self.open.last_mut() {
                    if t.rows.is_empty() {
                        t.rows.push(Vec::new());
                    }
                    if let Some(row) = t.rows.last_mut() {
                        row.push((String::new(), 1));
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
                    cell.1 = span;
                }
            }
            "p" => {
                if let Some(cell) = self.cell().filter(|c| !c.0.is_empty()) {
                    cell.0.push('\n');
                }
            }
            "t" => self.text += 1,
            "r" => self.runs += 1,
            "tab" if self.runs > 0 => self.push("\t"),
            "br" | "cr" if self.runs > 0 => self.push("\n"),
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, name: &str) {
        match name {
            "tbl" => {
                if let Some(t) = self.open.pop() {
                    let at = self.done.partition_point(|d| d.order < t.order);
                    self.done.insert(at, t);
                }
            }
            "t" => self.text = self.text.saturating_sub(1),
            "r" => self.runs = self.runs.saturating_sub(1),
            _ => {}
        }
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
    fn cell(&mut self) -> Option<&mut (String, usize)> {
        self.open.last_mut()?.rows.last_mut()?.last_mut()
    }

    fn push(&mut self, text: &str) {
        if let Some(cell) = self.cell() {
            cell.0.push_str(text);
        }
    }
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
        let t = Table {
            order: 0,
            rows: vec![
                vec![("ID".into(), 1), ("Réponse".into(), 2)],
                vec![("SOB-01".into(), 1), ("Oui".into(), 1), ("x".into(), 1)],
            ],
        };
        let g = t.grid();
        assert_eq!(g[0], vec!["ID", "Réponse", ""]);
        let (rows, tables) = answer_rows(&[g]);
        assert_eq!(tables, vec![0]);
        assert_eq!(rows[0].answer, Cell::Text("Oui".into()));
        assert_eq!(rows[0].location, "table 1, row 2");
    }
}
