//! Reading legal staff's decisions back from a scoring workbook: the
//! bounds, the sheet and header found by name, one [`Entry`] per row
//! decided (see the parent module for the contract).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use calamine::{DataRef, Reader, Xlsx, open_workbook_from_rs};
use sha2::{Digest, Sha256};

use super::{Column, Decisions, Entry, sheet_name, t};
use crate::Error;
use crate::answer::fold;
use crate::date::Date;
use crate::finding::{Code, Decision, DecisionKind};
use crate::response::package;
use crate::text::{self, Lang};

/// Largest decisions workbook read: 20 MiB, as for returned files.
pub const MAX_FILE_SIZE: u64 = crate::response::bounds::MAX_FILE_SIZE;

/// Rows of the points sheet read; rows beyond are reported and passed over.
pub const MAX_ROWS: u32 = 100_000;

/// Columns of the points sheet read.
pub const MAX_COLUMNS: u32 = 64;

/// Rows searched for the header row.
const HEADER_ROWS: u32 = 20;

/// Most bytes of text kept from the sheet.
const MAX_TEXT: usize = 64 * 1024 * 1024;

/// Reads the decisions of the points sheet of the workbook at `path`;
/// messages about rows passed over are in `lang`.
///
/// # Errors
///
/// A file that cannot be read, is not an XLSX workbook, exceeds the bounds,
/// or has no points sheet with the needed headers.
pub fn read(path: &Path, lang: Lang) -> Result<Decisions, Error> {
    let opened = Opened::read(
        path,
        "decisions",
        [sheet_name(Lang::Fr), sheet_name(Lang::En)],
        &Column::ALL,
        &Column::NEEDED,
        Column::headers,
        lang,
    )?;
    let (cells, header_row, columns) = (opened.cells, opened.header_row, opened.columns);
    let mut out = Decisions {
        source: path.display().to_string(),
        sha256: opened.sha256,
        ..Decisions::default()
    };
    let mut entries = Vec::new();
    for (&row, values) in cells.rows.range(header_row + 1..) {
        let cell = |c: Column| {
            columns
                .get(&c)
                .and_then(|i| values.get(i))
                .cloned()
                .unwrap_or_default()
        };
        match entry(row, &cell, lang) {
            Ok(Some(e)) => entries.push(e),
            Ok(None) => {}
            Err(why) => out.warnings.push(why),
        }
    }
    if cells.overflow {
        out.warnings.push(t(
            lang,
            &format!("les cellules au-delà de la ligne {MAX_ROWS} ou de la colonne {MAX_COLUMNS} ne sont pas lues"),
            &format!("cells beyond row {MAX_ROWS} or column {MAX_COLUMNS} are not read"),
        ));
    }
    out.entries = deduplicate(entries, lang, &mut out.warnings);
    Ok(out)
}

/// The workbook's bytes, refusing a file over [`MAX_FILE_SIZE`] and what
/// is not a regular file (see [`crate::input`]) unread; `what` names the
/// workbook in the error.
pub(crate) fn load(path: &Path, what: &str) -> Result<Vec<u8>, Error> {
    let io = |e| Error::Io(path.to_path_buf(), e);
    let file = crate::input::open(path)?;
    let size = file.metadata().map_err(io)?.len();
    if size > MAX_FILE_SIZE {
        return Err(Error::Usage(format!(
            "{}: the {what} is {size} bytes; the limit is {} MiB",
            path.display(),
            MAX_FILE_SIZE >> 20
        )));
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    Ok(bytes)
}

/// A cell's value as the reader keeps it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) enum Value {
    #[default]
    Empty,
    Text(String),
    Number(f64),
    Date(Date),
}

impl Value {
    /// Bytes of text held.
    fn len(&self) -> usize {
        match self {
            Value::Text(s) => s.len(),
            _ => 0,
        }
    }

    /// The value as text, trimmed.
    pub(crate) fn text(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(s) => s.trim().to_string(),
            Value::Number(n) => text::number(*n, Lang::En),
            Value::Date(d) => d.to_string(),
        }
    }

    /// A date as `YYYY-MM-DD`: a date cell, a number Excel would show as a
    /// date, or text that reads as one; other text as typed.
    fn date(&self) -> String {
        match self {
            Value::Number(n) if (1.0..2_958_466.0).contains(n) => {
                Date::from_unix_days(n.floor() as i64 - 25_569).to_string()
            }
            Value::Text(s) => {
                Date::parse_loose(s.trim()).map_or_else(|| self.text(), |d| d.to_string())
            }
            _ => self.text(),
        }
    }
}

/// Cells of a sheet by row, then column.
pub(crate) type Rows = BTreeMap<u32, BTreeMap<u32, Value>>;

/// The cells kept from a sheet, by row then column.
#[derive(Debug, Default)]
pub(crate) struct Cells {
    /// The values, by row then column.
    pub(crate) rows: Rows,
    /// Whether cells beyond [`MAX_ROWS`] or [`MAX_COLUMNS`] were passed over.
    pub(crate) overflow: bool,
}

/// The sheet named one of `names` (French, English) in the workbook
/// `bytes`: every cell of the first [`HEADER_ROWS`] rows, then only the
/// columns `columns` finds in them, within [`MAX_ROWS`], [`MAX_COLUMNS`] and
/// [`MAX_TEXT`]. A reader that panics on the content is an error too.
pub(crate) fn sheet(
    bytes: &[u8],
    names: &[&str; 2],
    columns: &dyn Fn(&Rows) -> Option<BTreeSet<u32>>,
) -> Result<Cells, String> {
    catch_unwind(AssertUnwindSafe(|| sheet_cells(bytes, names, columns)))
        .unwrap_or_else(|_| Err("the workbook's content stopped the reader".into()))
}

fn sheet_cells(
    bytes: &[u8],
    names: &[&str; 2],
    columns: &dyn Fn(&Rows) -> Option<BTreeSet<u32>>,
) -> Result<Cells, String> {
    let mut wb = open(bytes)?;
    let wanted: Vec<String> = names.iter().map(|n| fold(n)).collect();
    let name = wb
        .sheet_names()
        .into_iter()
        .find(|n| wanted.contains(&fold(n)))
        .ok_or_else(|| format!("no sheet named « {} » or \"{}\"", names[0], names[1]))?;
    let mut reader = wb
        .worksheet_cells_reader(&name)
        .map_err(|e| e.to_string())?;
    let mut cells = Cells::default();
    let mut kept: Option<BTreeSet<u32>> = None;
    let mut text = 0;
    while let Some(cell) = reader.next_cell().map_err(|e| e.to_string())? {
        let (row, col) = cell.get_position();
        if row >= MAX_ROWS || col >= MAX_COLUMNS {
            cells.overflow = true;
            continue;
        }
        if kept.is_none() && row >= HEADER_ROWS {
            kept = Some(columns(&cells.rows).unwrap_or_default());
        }
        if kept.as_ref().is_some_and(|k| !k.contains(&col)) {
            continue;
        }
        let value = value(cell.get_value());
        text += value.len();
        if text > MAX_TEXT {
            return Err(format!(
                "the sheet holds more than {} MiB of text",
                MAX_TEXT >> 20
            ));
        }
        if value != Value::Empty {
            cells.rows.entry(row).or_default().insert(col, value);
        }
    }
    Ok(cells)
}

/// The workbook, once its package is bounded: refuses what is no XLSX, a
/// package over the bounds of returned files, and shared strings that
/// would make calamine reserve more than the part can hold.
fn open(bytes: &[u8]) -> Result<Xlsx<Cursor<&[u8]>>, String> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err("not an XLSX workbook (save it as .xlsx)".into());
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    package::entries(&zip).map_err(|e| e.to_string())?;
    shared_strings_bounded(&mut zip)?;
    open_workbook_from_rs(Cursor::new(bytes)).map_err(|e: calamine::XlsxError| e.to_string())
}

fn value(d: &DataRef<'_>) -> Value {
    match d {
        DataRef::String(s) => Value::Text(s.clone()),
        DataRef::SharedString(s) => Value::Text((*s).to_string()),
        DataRef::Float(f) => Value::Number(*f),
        DataRef::Int(i) => Value::Number(*i as f64),
        DataRef::Bool(b) => Value::Text(b.to_string()),
        DataRef::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            Date::new(i32::from(y), m, d).map_or(Value::Number(dt.as_f64()), Value::Date)
        }
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Value::Text(s.clone()),
        DataRef::Error(e) => Value::Text(format!("{e:?}")),
        DataRef::Empty => Value::Empty,
    }
}

/// Refuses a shared-strings part announcing more strings than its size can
/// hold: calamine reserves room for all of them when it opens the workbook.
fn shared_strings_bounded<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
) -> Result<(), String> {
    let Some(i) = (0..zip.len()).find(|&i| {
        zip.name_for_index(i)
            .and_then(Result::ok)
            .is_some_and(|n| n.to_ascii_lowercase().ends_with("sharedstrings.xml"))
    }) else {
        return Ok(());
    };
    let entry = zip.by_index(i).map_err(|e| e.to_string())?;
    let size = entry.size();
    let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(entry.take(64 * 1024)));
    let mut buf = Vec::new();
    loop {
        match xml.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e))
                if e.local_name().as_ref() == "sst" =>
            {
                let declared = e
                    .attributes()
                    .flatten()
                    .filter(|a| a.key.local_name().as_ref() == "uniqueCount")
                    .map(|a| a.value.trim().parse::<u64>().unwrap_or(u64::MAX));
                // every <si> takes at least 5 bytes: <si/>
                if let Some(count) = declared.max().filter(|&n| n > size / 5) {
                    return Err(format!(
                        "the shared strings announce {count} strings in {size} bytes"
                    ));
                }
                return Ok(());
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => return Ok(()),
            Ok(_) => buf.clear(),
        }
    }
}

/// A review sheet opened: its cells, its header row and the column of each
/// header found there, the workbook's SHA-256.
pub(crate) struct Opened<C> {
    /// The cells kept.
    pub(crate) cells: Cells,
    /// The header row.
    pub(crate) header_row: u32,
    /// The column of each header found.
    pub(crate) columns: BTreeMap<C, u32>,
    /// SHA-256 of the workbook's bytes.
    pub(crate) sha256: String,
}

impl<C: Copy + Ord> Opened<C> {
    /// Opens the sheet named one of `names` in the workbook at `path`,
    /// within the bounds, and finds its header row (the columns of `all`,
    /// the `needed` ones at least). `what` names the workbook's content in
    /// errors ("decisions", "committee's marks").
    pub(crate) fn read(
        path: &Path,
        what: &str,
        names: [&str; 2],
        all: &[C],
        needed: &[C],
        headers: impl Fn(C) -> [&'static str; 2] + Copy,
        lang: Lang,
    ) -> Result<Opened<C>, Error> {
        let fail = |why: String| {
            Error::Usage(format!("{}: cannot read the {what}: {why}", path.display()))
        };
        let bytes = load(path, &format!("{what} workbook"))?;
        let cells = sheet(&bytes, &names, &|rows| {
            header_row(rows, all, needed, headers).map(|(_, c)| c.into_values().collect())
        })
        .map_err(fail)?;
        let (header_row, columns) =
            header_row(&cells.rows, all, needed, headers).ok_or_else(|| {
                let names: Vec<&str> = needed
                    .iter()
                    .map(|c| headers(*c)[usize::from(lang == Lang::En)])
                    .collect();
                fail(format!(
                    "no header row with {} in the sheet",
                    names.join(", ")
                ))
            })?;
        Ok(Opened {
            cells,
            header_row,
            columns,
            sha256: hex::encode(Sha256::digest(&bytes)),
        })
    }
}

/// The header row (the first of the first rows with every `needed` header)
/// and the column of each of `all` found there, by its French or English
/// header as `headers` gives them.
pub(crate) fn header_row<C: Copy + Ord>(
    cells: &Rows,
    all: &[C],
    needed: &[C],
    headers: impl Fn(C) -> [&'static str; 2],
) -> Option<(u32, BTreeMap<C, u32>)> {
    cells.range(..HEADER_ROWS).find_map(|(&row, values)| {
        let mut columns = BTreeMap::new();
        for (&col, v) in values {
            let name = fold(&v.text());
            if let Some(c) = all
                .iter()
                .find(|c| headers(**c).iter().any(|h| fold(h) == name))
            {
                columns.entry(*c).or_insert(col);
            }
        }
        needed
            .iter()
            .all(|c| columns.contains_key(c))
            .then_some((row, columns))
    })
}

/// The decision of one row: `None` when no decision was typed, an error
/// message when the row cannot be used.
fn entry(row: u32, cell: &dyn Fn(Column) -> Value, lang: Lang) -> Result<Option<Entry>, String> {
    let line = row + 1;
    let typed = cell(Column::Decision).text();
    if typed.is_empty() {
        let noted = [Column::Reviewer, Column::Date, Column::ReviewComment]
            .iter()
            .any(|c| !cell(*c).text().is_empty());
        if noted {
            return Err(t(
                lang,
                &format!(
                    "ligne {line} : relecteur, date ou commentaire sans décision ; ligne ignorée"
                ),
                &format!(
                    "row {line}: a reviewer, date or comment but no decision; row passed over"
                ),
            ));
        }
        return Ok(None);
    }
    let kind = parse_decision(&typed).ok_or_else(|| {
        t(
            lang,
            &format!("ligne {line} : décision « {typed} » inconnue ; ligne ignorée"),
            &format!("row {line}: unknown decision \"{typed}\"; row passed over"),
        )
    })?;
    let sha256 = cell(Column::Sha256).text().to_ascii_lowercase();
    let question = cell(Column::Question).text();
    let code = serde_json::from_value::<Code>(serde_json::Value::String(cell(Column::Code).text()));
    let (Ok(code), false, true) = (code, question.is_empty(), is_sha256(&sha256)) else {
        return Err(t(
            lang,
            &format!(
                "ligne {line} : empreinte SHA-256, question ou code illisible ; décision ignorée"
            ),
            &format!("row {line}: unreadable SHA-256, question or code; decision passed over"),
        ));
    };
    Ok(Some(Entry {
        row: line,
        sha256,
        question,
        code,
        vendor: cell(Column::Vendor).text(),
        file: cell(Column::File).text(),
        decision: Decision {
            decision: kind,
            reviewer: cell(Column::Reviewer).text(),
            date: cell(Column::Date).date(),
            comment: cell(Column::ReviewComment).text(),
            recorded_by: String::new(),
        },
    }))
}

/// One entry per finding of a file (its SHA-256 and the file the row
/// names): the same decision typed on several rows is kept once; different
/// decisions on the same finding are all passed over.
fn deduplicate(entries: Vec<Entry>, lang: Lang, warnings: &mut Vec<String>) -> Vec<Entry> {
    let mut seen: BTreeMap<_, Vec<&Entry>> = BTreeMap::new();
    for e in &entries {
        seen.entry(e.key()).or_default().push(e);
    }
    let mut conflicting = BTreeSet::new();
    for (key, group) in &seen {
        if group.iter().any(|e| e.decision != group[0].decision) {
            let rows: Vec<String> = group.iter().map(|e| e.row.to_string()).collect();
            let rows = rows.join(", ");
            warnings.push(t(lang, &format!("lignes {rows} : décisions différentes sur le même constat ({} {}) ; aucune n'est appliquée", key.2, key.3), &format!("rows {rows}: different decisions on the same finding ({} {}); none is applied", key.2, key.3)));
            conflicting.insert(key.clone());
        }
    }
    let mut kept = BTreeSet::new();
    entries
        .into_iter()
        .filter(|e| !conflicting.contains(&e.key()) && kept.insert(e.key()))
        .collect()
}

/// The decision a cell names, in either language, accents and case aside.
pub fn parse_decision(typed: &str) -> Option<DecisionKind> {
    let typed = fold(typed);
    DecisionKind::ALL.into_iter().find(|k| {
        let extra: &[&str] = match k {
            // the words of workbooks made before « constat levé / confirmé »
            DecisionKind::Lifted => &[
                "accepte", "acceptee", "accepted", "accept", "leve", "lifted",
            ],
            DecisionKind::Confirmed => &[
                "rejete",
                "rejetee",
                "rejected",
                "reject",
                "refuse",
                "refusee",
                "confirme",
                "confirmed",
            ],
            DecisionKind::ClarificationRequested => {
                &["precisions demandees", "precision", "clarification"]
            }
        };
        Lang::ALL.iter().any(|l| fold(k.label(*l)) == typed) || extra.contains(&typed.as_str())
    })
}

/// Whether `s` looks like a SHA-256 in hex.
pub(crate) fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_are_read_in_either_language_accents_and_case_aside() {
        assert_eq!(parse_decision(" Constat levé "), Some(DecisionKind::Lifted));
        assert_eq!(
            parse_decision("constat confirmé"),
            Some(DecisionKind::Confirmed)
        );
        assert_eq!(parse_decision("finding lifted"), Some(DecisionKind::Lifted));
        // workbooks made before
        assert_eq!(parse_decision(" Accepté "), Some(DecisionKind::Lifted));
        assert_eq!(parse_decision("ACCEPTEE"), Some(DecisionKind::Lifted));
        assert_eq!(parse_decision("rejected"), Some(DecisionKind::Confirmed));
        assert_eq!(
            parse_decision("Précision  demandée"),
            Some(DecisionKind::ClarificationRequested)
        );
        assert_eq!(parse_decision("peut-être"), None);
    }

    #[test]
    fn every_header_is_found_in_both_languages() {
        for lang in Lang::ALL {
            let row: BTreeMap<u32, Value> = (0..)
                .zip(Column::ALL)
                .map(|(i, c)| (i, Value::Text(c.header(lang).to_uppercase())))
                .collect();
            let cells = BTreeMap::from([(3, row)]);
            let (at, columns) =
                header_row(&cells, &Column::ALL, &Column::NEEDED, Column::headers).unwrap();
            assert_eq!(at, 3);
            assert_eq!(columns.len(), Column::ALL.len());
        }
    }

    #[test]
    fn dates_are_normalised_and_other_text_kept() {
        assert_eq!(Value::Number(46_419.0).date(), "2027-02-01");
        assert_eq!(Value::Text("01/02/2027".into()).date(), "2027-02-01");
        assert_eq!(Value::Text("début février".into()).date(), "début février");
    }

    /// A zip package holding one part.
    fn package(name: &str, content: &str) -> Vec<u8> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(content.as_bytes()).unwrap();
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn what_would_make_calamine_reserve_without_bound_is_refused_first() {
        let bomb = package(
            "xl/sharedStrings.xml",
            r#"<?xml version="1.0"?><sst xmlns="x" count="1" uniqueCount="1000000000000"><si><t>a</t></si></sst>"#,
        );
        let why = open(&bomb).err().unwrap();
        assert!(why.contains("announce 1000000000000 strings"), "{why}");
        assert!(
            open(b"a plain text file")
                .err()
                .unwrap()
                .contains("not an XLSX")
        );
    }

    #[test]
    fn conflicting_decisions_cancel_and_duplicates_merge() {
        let e = |row, kind| Entry {
            row,
            sha256: "a".repeat(64),
            question: "BIO-01".into(),
            code: Code::RuleFailed,
            vendor: String::new(),
            file: String::new(),
            decision: Decision {
                decision: kind,
                reviewer: "X".into(),
                date: String::new(),
                comment: String::new(),
                recorded_by: String::new(),
            },
        };
        let mut warnings = Vec::new();
        let same = vec![e(2, DecisionKind::Lifted), e(5, DecisionKind::Lifted)];
        assert_eq!(deduplicate(same, Lang::En, &mut warnings).len(), 1);
        assert!(warnings.is_empty());
        let different = vec![e(2, DecisionKind::Lifted), e(5, DecisionKind::Confirmed)];
        assert!(deduplicate(different, Lang::En, &mut warnings).is_empty());
        assert!(warnings[0].contains("rows 2, 5"), "{warnings:?}");
    }
}
