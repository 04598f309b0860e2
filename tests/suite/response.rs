//! Returned files: what `response::read` finds in a vendor's questionnaire,
//! whichever program wrote it, and how it refuses crafted files.
//!
//! Crafted files are built here with the `zip` crate (or by hand for CFB).
//! Each must be refused with the right error, quickly, and without the
//! process allocating gigabytes: a crafted file that aborts the process
//! takes the whole suite down, which is the point.
//!
//! Scenarios that need python3 (openpyxl, python-docx) or soffice print why
//! and pass when those are missing (CI installs them).

use std::collections::BTreeMap;
use std::io::{Cursor, Write};
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use boussole::date::Date;
use boussole::library::{self, Audience};
use boussole::profile::Profile;
use boussole::questionnaire::{Questionnaire, xlsx};
use boussole::response::{self, Cell, FileFormat, ReadError, Response, Row};
use boussole::selection;
use boussole::text::Lang;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::support::*;

/// Longest a crafted file may take to be refused.
const QUICK: Duration = Duration::from_secs(10);
/// Most memory the test process may have used at its peak.
const SANE_MEMORY: u64 = 1024 * 1024 * 1024;

// ---------------------------------------------------------------- helpers

/// Reads `bytes` saved as `name`, timing it and checking the process's peak memory.
fn read_as(name: &str, bytes: &[u8]) -> Result<Response, ReadError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    timed(name, || response::read(&path))
}

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    assert!(took < QUICK, "{what} took {took:?}");
    if let Some(peak) = peak_memory() {
        assert!(peak < SANE_MEMORY, "{what}: peak memory {peak} bytes");
    }
    out
}

/// The error `read` gives for a crafted file.
fn refused(name: &str, bytes: &[u8]) -> ReadError {
    match read_as(name, bytes) {
        Ok(r) => panic!("{name} was read: {r:?}"),
        Err(e) => e,
    }
}

/// The process's peak resident memory (Linux), in bytes.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// A zip package of `parts`, deflated.
fn package(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in parts {
        let stored = *name == "mimetype";
        let method = if stored {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        let options = SimpleFileOptions::default().compression_method(method);
        zip.start_file(*name, options).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

const XLSX_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
const XLSX_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const XLSX_WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Questionnaire" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const XLSX_WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;

/// A one-sheet XLSX whose sheet data is `rows` (and more parts: `extra`).
fn xlsx_with(rows: &str, extra: &[(&str, &str)]) -> Vec<u8> {
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{rows}</worksheet>"#
    );
    let mut parts: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", XLSX_TYPES.as_bytes()),
        ("_rels/.rels", XLSX_RELS.as_bytes()),
        ("xl/workbook.xml", XLSX_WORKBOOK.as_bytes()),
        ("xl/_rels/workbook.xml.rels", XLSX_WORKBOOK_RELS.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ];
    parts.extend(extra.iter().map(|(n, d)| (*n, d.as_bytes())));
    package(&parts)
}

/// An inline-string cell.
fn s(r: &str, text: &str) -> String {
    format!(r#"<c r="{r}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

const DOCX_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A DOCX whose `word/document.xml` is `document` exactly.
fn docx_raw(document: &str) -> Vec<u8> {
    package(&[
        ("[Content_Types].xml", DOCX_TYPES.as_bytes()),
        ("word/document.xml", document.as_bytes()),
    ])
}

/// A DOCX whose body is `body`.
fn docx_with(body: &str) -> Vec<u8> {
    docx_raw(&format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>"#
    ))
}

/// An ODS whose first table holds `rows`.
fn ods_with(rows: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="Questionnaire">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    package(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("META-INF/manifest.xml", manifest.as_bytes()),
        ("content.xml", content.as_bytes()),
    ])
}

/// `make_response.py` run into a new folder: (folder, xlsx, docx).
fn third_party_files() -> Option<(tempfile::TempDir, PathBuf, PathBuf)> {
    if !python_has(&["openpyxl", "docx"]) {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new("python3")
        .arg(root().join("tests/scripts/make_response.py"))
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "make_response.py: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (x, d) = (
        dir.path().join("response.xlsx"),
        dir.path().join("response.docx"),
    );
    Some((dir, x, d))
}

fn text(t: &str) -> Cell {
    Cell::Text(t.into())
}

fn number(value: f64) -> Cell {
    Cell::Number {
        value,
        percent: false,
    }
}

fn date(y: i32, m: u8, d: u8) -> Cell {
    Cell::Date(Date::new(y, m, d).unwrap())
}

fn row(id: &str, question: &str, answer: Cell, comment: &str, document: &str, at: &str) -> Row {
    Row {
        id: id.into(),
        question: question.into(),
        answer,
        comment: comment.into(),
        document: document.into(),
        location: at.into(),
        options: Vec::new(),
        appearances: Vec::new(),
    }
}

/// (id, answer) of each row.
fn answers(r: &Response) -> Vec<(String, Cell)> {
    r.rows
        .iter()
        .map(|x| (x.id.clone(), x.answer.clone()))
        .collect()
}

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

// ------------------------------------------------------- files that read

#[test]
fn a_hand_made_xlsx_is_read_by_header_names_whatever_the_cell_layout() {
    // Shared strings (one in rich text), cells without `r` (placed by
    // order), the header one column right and two rows down, an extra
    // column, an error cell, and no identity or metadata sheet.
    let strings = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3"><si><t>ID</t></si><si><t>Answer</t></si><si><r><t>Ye</t></r><r><t>s</t></r></si></sst>"#;
    let rows = [
        r#"<row r="3"><c r="B3" t="s"><v>0</v></c><c t="inlineStr"><is><t>Note</t></is></c><c t="s"><v>1</v></c></row>"#,
        r#"<row><c r="B4" t="inlineStr"><is><t>SOB-01</t></is></c><c><v>1</v></c><c t="s"><v>2</v></c></row>"#,
        r#"<row r="9"><c r="B9" t="inlineStr"><is><t>SOB-02</t></is></c><c r="D9" t="e"><v>#DIV/0!</v></c></row>"#,
    ];
    let rows = format!("<sheetData>{}</sheetData>", rows.concat());
    let got = read_as(
        "q.xlsx",
        &xlsx_with(&rows, &[("xl/sharedStrings.xml", strings)]),
    )
    .unwrap();
    assert_eq!(got.format, FileFormat::Xlsx);
    assert_eq!(got.metadata, None);
    assert_eq!(
        got.rows,
        vec![
            row("SOB-01", "", text("Yes"), "", "", "Questionnaire!D4"),
            row(
                "SOB-02",
                "",
                Cell::Error("#DIV/0!".into()),
                "",
                "",
                "Questionnaire!D9"
            ),
        ]
    );
}

#[test]
fn the_questionnaire_boussole_issues_reads_back_with_its_metadata() {
    let lib = library::load(None).unwrap();
    let profile = Profile::embedded();
    let sel = selection::resolve(&lib, &profile);
    let q = Questionnaire {
        selection: &sel,
        profile: &profile,
        lang: Lang::Fr,
        audience: Audience::Vendor,
        password: None,
    };
    let got = read_as("q.xlsx", &xlsx::render(&q).unwrap()).unwrap();
    let asked: Vec<&str> = q.questions().map(|x| x.id.as_str()).collect();
    let ids: Vec<&str> = got.rows.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, asked);
    assert!(
        got.rows.iter().all(|r| r.answer == Cell::Empty),
        "no answer yet"
    );
    assert!(
        got.rows
            .iter()
            .all(|r| r.location.starts_with("Questionnaire!E"))
    );
    let meta = got.metadata.expect("the metadata sheet");
    assert_eq!(meta.values.get("lang").map(String::as_str), Some("fr"));
    assert_eq!(meta.values.get("library_hash"), Some(&sel.library_hash));
    assert_eq!(meta.question_hashes.len(), asked.len());
    assert_eq!(got.identity, Default::default());
}

/// The answer cell at `location` (`Sheet!E12`) as calamine reads it
/// (`sheets`: the workbook's sheets read by calamine), as a [`Cell`] (its
/// percentage mark aside).
fn calamine_answer(
    sheets: &BTreeMap<String, calamine::Range<calamine::Data>>,
    location: &str,
) -> Cell {
    use calamine::Data;
    let (sheet, at) = location.rsplit_once('!').unwrap();
    let letters = at.bytes().take_while(u8::is_ascii_alphabetic).count();
    let col = at[..letters]
        .bytes()
        .fold(0u32, |n, b| n * 26 + u32::from(b - b'A' + 1))
        - 1;
    let row: u32 = at[letters..].parse::<u32>().unwrap() - 1;
    let range = &sheets[sheet];
    let number = |value| Cell::Number {
        value,
        percent: false,
    };
    match range.get_value((row, col)) {
        None | Some(Data::Empty) => Cell::Empty,
        Some(Data::String(s)) => Cell::Text(s.clone()),
        Some(Data::Float(f)) => number(*f),
        Some(Data::Int(i)) => number(*i as f64),
        Some(Data::Bool(b)) => Cell::Bool(*b),
        Some(Data::DateTime(dt)) if dt.is_datetime() => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            Cell::Date(Date::new(i32::from(y), m, d).unwrap())
        }
        Some(Data::DateTime(dt)) => number(dt.as_f64()),
        Some(other) => Cell::Text(other.to_string()),
    }
}

#[test]
fn every_answer_of_the_projects_workbooks_reads_as_calamine_reads_it() {
    // boussole reads XLSX with its own reader; calamine, which read them
    // before, is the reference: each answer cell of every workbook the
    // project keeps (filled by openpyxl, LibreOffice, boussole itself)
    let mut compared = 0;
    for dir in ["fixtures/demo", "fixtures/former", "examples"] {
        for entry in std::fs::read_dir(root().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "xlsx") {
                continue;
            }
            let Ok(read) = response::read(&path) else {
                continue; // not a questionnaire (a report, a comparison)
            };
            let sheets: BTreeMap<_, _> = {
                use calamine::Reader;
                let mut wb = calamine::open_workbook_auto(&path).unwrap();
                wb.worksheets().into_iter().collect()
            };
            for row in read.rows.iter().filter(|r| r.appearances.is_empty()) {
                let ours = match &row.answer {
                    Cell::Number { value, .. } => Cell::Number {
                        value: *value,
                        percent: false,
                    },
                    Cell::Formula { .. } => continue,
                    other => other.clone(),
                };
                let theirs = calamine_answer(&sheets, &row.location);
                assert_eq!(ours, theirs, "{} {}", path.display(), row.location);
                compared += 1;
            }
        }
    }
    assert!(compared > 300, "only {compared} answers compared");
}

#[test]
fn a_third_party_xlsx_reads_back_exactly() {
    let Some((_dir, path, _)) = third_party_files() else {
        return;
    };
    let got = timed("response.xlsx", || response::read(&path)).unwrap();
    assert_eq!(got.format, FileFormat::Xlsx);
    let percent = Cell::Number {
        value: 0.85,
        percent: true,
    };
    let formula = Cell::Formula {
        formula: "1+1".into(),
        cached: Some(Box::new(number(2.0))),
    };
    let at = |cell: &str| format!("Questionnaire!{cell}");
    let expected = vec![
        row(
            "SOB-02",
            "Q2",
            text("Oui"),
            "Centre certifié",
            "annexe 2, p. 3",
            &at("F3"),
        ),
        row(
            "SOB-01",
            "Q1",
            number(180.0),
            "Mesuré en 2026",
            "",
            &at("F4"),
        ),
        row("SOB-03", "Q3", percent, "", "", &at("F5")),
        row("CYB-02", "Q5", date(2028, 9, 30), "", "", &at("F6")),
        row("CYB-01", "Q4", formula, "", "", &at("F7")),
        row("CYB-03", "Q6", Cell::Bool(true), "", "", &at("F8")),
        row("SOB-02", "Q2 bis", text("Non"), "doublon", "", &at("F9")),
    ];
    assert_eq!(got.rows, expected);
    assert_eq!(got.identity.name, "Exemple IA SAS");
    assert_eq!(got.identity.siret, "123 456 789 00012");
    assert_eq!(got.identity.contact, "Jeanne Martin");
    assert_eq!(got.identity.email, "jeanne.martin@example.fr");
    assert_eq!(got.identity.date, "2027-01-15");
    let meta = got.metadata.expect("the _boussole sheet");
    assert_eq!(meta.values.get("lang").map(String::as_str), Some("fr"));
    assert_eq!(meta.values.len(), 7);
    let hashes = map(&[("SOB-01", &"a".repeat(64)), ("SOB-02", &"b".repeat(64))]);
    assert_eq!(meta.question_hashes, hashes);
}

#[test]
fn a_third_party_docx_reads_back_exactly() {
    let Some((_dir, _, path)) = third_party_files() else {
        return;
    };
    let got = timed("response.docx", || response::read(&path)).unwrap();
    assert_eq!(got.format, FileFormat::Docx);
    let expected = vec![
        row(
            "SOB-01",
            "Q1",
            text("180"),
            "Mesuré",
            "annexe 1",
            "table 2, row 2",
        ),
        row(
            "SOB-02",
            "Q2",
            text("Oui\tcertifié\nISO 50001"),
            "Premier\nSecond",
            "",
            "table 2, row 3",
        ),
        row("CYB-01", "Q4", text("Oui"), "suivi", "", "table 3, row 2"),
        row("CYB-02", "Q5", text("2028-09-30"), "", "", "table 3, row 3"),
    ];
    assert_eq!(got.rows, expected);
    assert_eq!(got.identity.name, "Exemple IA SAS");
    assert_eq!(got.identity.email, "jeanne.martin@example.fr");
    assert_eq!(got.identity.date, "2027-01-15");
    let meta = got.metadata.expect("the custom properties");
    let values = map(&[
        ("format", "1"),
        ("library_version", "2026.1"),
        ("lang", "fr"),
    ]);
    assert_eq!(meta.values, values);
    assert_eq!(meta.question_hashes, map(&[("SOB-01", &"a".repeat(64))]));
}

#[test]
fn libreoffice_resaves_as_xls_and_ods_keep_ids_and_answers() {
    let Some((dir, path, _)) = third_party_files() else {
        return;
    };
    let ids = [
        "SOB-02", "SOB-01", "SOB-03", "CYB-02", "CYB-01", "CYB-03", "SOB-02",
    ];
    let formula = |f: &str, cached: Cell| Cell::Formula {
        formula: f.into(),
        cached: Some(Box::new(cached)),
    };
    // Both lose the number format (calamine reads it from XLSX only), and
    // LibreOffice turns the boolean into a formula: TRUE() with a cached
    // boolean in XLS, a cached 1 in ODS.
    let common = |boolean: Cell| {
        vec![
            text("Oui"),
            number(180.0),
            number(0.85),
            date(2028, 9, 30),
            formula("1+1", number(2.0)),
            boolean,
            text("Non"),
        ]
    };
    for (to, format, boolean) in [
        (
            "xls:MS Excel 97",
            FileFormat::Xls,
            formula("TRUE", Cell::Bool(true)),
        ),
        ("ods", FileFormat::Ods, formula("TRUE()", number(1.0))),
    ] {
        let Some(out) = soffice(&path, to, dir.path()) else {
            return;
        };
        let got = timed(to, || response::read(&out)).unwrap();
        assert_eq!(got.format, format);
        let want: Vec<(String, Cell)> = ids
            .iter()
            .map(|s| s.to_string())
            .zip(common(boolean))
            .collect();
        assert_eq!(answers(&got), want, "{to}");
        assert_eq!(got.identity.name, "Exemple IA SAS", "{to}");
        assert_eq!(got.identity.date, "2027-01-15", "{to}");
        let meta = got.metadata.expect("the metadata sheet, hidden");
        assert_eq!(meta.question_hashes.len(), 2, "{to}");
    }
}

#[test]
fn a_workbook_renamed_docx_is_read_as_what_it_is() {
    let table = format!(
        "<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>",
        tc("ID"),
        tc("Answer"),
        tc("SOB-01"),
        tc("Yes &amp; no&#x21;")
    );
    let got = read_as("answers.xlsx", &docx_with(&table)).unwrap();
    assert_eq!(got.format, FileFormat::Docx);
    assert_eq!(answers(&got), vec![("SOB-01".into(), text("Yes & no!"))]);
}

fn tc(text: &str) -> String {
    format!("<w:tc><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>")
}

// --------------------------------------------------------- crafted files

#[test]
fn an_empty_file_or_random_bytes_are_no_format() {
    assert!(matches!(
        refused("empty.xlsx", b""),
        ReadError::UnknownFormat(_)
    ));
    let e = refused("noise.xlsx", &noise(100_000, 12345));
    assert!(matches!(e, ReadError::UnknownFormat(_)), "{e}");
}

#[test]
fn a_truncated_zip_is_damaged() {
    let whole = xlsx_with("<sheetData/>", &[]);
    let e = refused("cut.xlsx", &whole[..whole.len() / 2]);
    assert!(matches!(e, ReadError::Malformed(_)), "{e}");
}

#[test]
fn a_docx_renamed_xlsx_without_questionnaire_says_so() {
    let body = "<w:p><w:r><w:t>Bonjour</w:t></w:r></w:p>";
    let e = refused("q.xlsx", &docx_with(body));
    assert_eq!(e, ReadError::NoQuestionnaire);
    assert_eq!(
        e.to_string(),
        "no questionnaire inside (no row headed ID and Réponse/Answer)"
    );
}

#[test]
fn a_huge_shared_string_count_is_refused_before_calamine_reserves_it() {
    let strings = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="1000000000000"><si><t>ID</t></si></sst>"#;
    let e = refused(
        "sst.xlsx",
        &xlsx_with("<sheetData/>", &[("xl/sharedStrings.xml", strings)]),
    );
    assert!(matches!(e, ReadError::TooLarge(_)), "{e}");
}

#[test]
fn cells_far_apart_are_refused_before_calamine_fills_the_range() {
    let rows = format!(
        r#"<sheetData><row r="1">{}</row><row r="1048576">{}</row></sheetData>"#,
        s("A1", "ID"),
        s("XFD1048576", "x")
    );
    let e = refused("far.xlsx", &xlsx_with(&rows, &[]));
    assert!(matches!(e, ReadError::TooLarge(_)), "{e}");
    assert!(e.to_string().contains("XFD1048576"), "{e}");
    // Cells without `r` are placed one after the other: 200 in a row go too far.
    let wide = format!(
        "<sheetData><row>{}</row></sheetData>",
        "<c><v>1</v></c>".repeat(200)
    );
    assert!(matches!(
        refused("wide.xlsx", &xlsx_with(&wide, &[])),
        ReadError::TooLarge(_)
    ));
}

#[test]
fn reversed_ranges_are_refused_before_calamine_subtracts() {
    let data = format!(
        "<sheetData><row r=\"1\">{}</row></sheetData>",
        s("A1", "ID")
    );
    for rows in [
        format!(r#"<dimension ref="A4:B2"/>{data}"#),
        format!(r#"{data}<mergeCells count="1"><mergeCell ref="B2:A1"/></mergeCells>"#),
        data.replace(
            "</row>",
            r#"<c r="B1"><f t="shared" ref="B3:B1" si="0">A1</f><v>1</v></c></row>"#,
        ),
    ] {
        let e = refused("reversed.xlsx", &xlsx_with(&rows, &[]));
        assert!(matches!(e, ReadError::Malformed(_)), "{e}");
        assert!(e.to_string().contains("reversed range"), "{e}");
    }
}

#[test]
fn a_huge_shared_formula_index_is_refused() {
    let rows = r#"<sheetData><row r="1"><c r="A1"><f t="shared" ref="A1:A2" si="4000000000">1</f><v>1</v></c></row></sheetData>"#;
    assert!(matches!(
        refused("si.xlsx", &xlsx_with(rows, &[])),
        ReadError::TooLarge(_)
    ));
}

#[test]
fn one_long_string_used_by_many_cells_is_refused() {
    // 2 MB of shared string (not compressible: no bomb), referenced by
    // 100 × 50 cells: 10 GB once copied into the cells.
    let long = noise(2_000_000, 12345)
        .iter()
        .map(|b| char::from(b'a' + b % 26))
        .collect::<String>();
    let strings = format!(r#"<sst uniqueCount="1"><si><t>{long}</t></si></sst>"#);
    let cells = r#"<c t="s"><v>0</v></c>"#.repeat(50);
    let rows = format!(
        "<sheetData>{}</sheetData>",
        format!("<row>{cells}</row>").repeat(100)
    );
    let e = refused(
        "copies.xlsx",
        &xlsx_with(&rows, &[("xl/sharedStrings.xml", &strings)]),
    );
    assert!(matches!(e, ReadError::TooLarge(_)), "{e}");
}

#[test]
fn one_long_shared_formula_derived_by_many_cells_is_refused() {
    let template = noise(1_000_000, 12345)
        .iter()
        .map(|b| char::from(b'A' + b % 26))
        .collect::<String>();
    let first = format!(r#"<c><f t="shared" ref="A1:A300" si="0">{template}</f><v>1</v></c>"#);
    let derived = r#"<c><f t="shared" si="0"/><v>1</v></c>"#;
    let rows = format!(
        "<sheetData><row>{first}</row>{}</sheetData>",
        format!("<row>{derived}</row>").repeat(299)
    );
    let e = refused("formulas.xlsx", &xlsx_with(&rows, &[]));
    assert!(e.to_string().contains("MiB of text"), "{e}");
}

#[test]
fn a_long_number_format_shared_by_many_styles_and_cells_is_kept_once() {
    // One format code of 100,000 characters, 1,000 styles naming it and
    // 5,000 cells under them: 600 MB if each style and cell had its copy.
    let code = noise(100_000, 12345)
        .iter()
        .map(|b| char::from(b'a' + b % 26))
        .collect::<String>();
    let xfs = r#"<xf numFmtId="164"/>"#.repeat(1_000);
    let styles = format!(
        r#"<styleSheet><numFmts count="1"><numFmt numFmtId="164" formatCode="{code}"/></numFmts><cellXfs count="1000">{xfs}</cellXfs></styleSheet>"#
    );
    let filler: String = (3..5_001)
        .map(|n| format!(r#"<row r="{n}"><c r="C{n}" s="999"><v>{n}</v></c></row>"#))
        .collect();
    let rows = format!(
        r#"<sheetData><row r="1">{}{}</row><row r="2">{}<c r="B2" s="999"><v>1</v></c></row>{filler}</sheetData>"#,
        s("A1", "ID"),
        s("B1", "Réponse"),
        s("A2", "BIO-01"),
    );
    let response = read_as(
        "formats.xlsx",
        &xlsx_with(&rows, &[("xl/styles.xml", &styles)]),
    )
    .expect("read");
    assert_eq!(response.rows.len(), 1);
    assert_eq!(response.rows[0].id, "BIO-01");
    let many = format!(
        "<styleSheet><cellXfs>{}</cellXfs></styleSheet>",
        "<xf/>".repeat(200_000)
    );
    let e = refused(
        "many.xlsx",
        &xlsx_with("<sheetData/>", &[("xl/styles.xml", &many)]),
    );
    assert!(e.to_string().contains("more than 100,000 styles"), "{e}");
}

#[test]
fn an_ods_repeating_a_cell_over_the_whole_sheet_is_refused() {
    let rows = r#"<table:table-row table:number-rows-repeated="6000"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row>"#;
    let e = refused("repeat.ods", &ods_with(rows));
    assert!(matches!(e, ReadError::TooLarge(_)), "{e}");
    assert!(e.to_string().contains("6,000 rows × 16,384 columns"), "{e}");
    let zero = r#"<table:table-row table:number-rows-repeated="0"><table:table-cell office:value="1"/></table:table-row>"#;
    assert!(matches!(
        refused("zero.ods", &ods_with(zero)),
        ReadError::Malformed(_)
    ));
    // One cell of a trillion spaces, which calamine would write out.
    let spaces = r#"<table:table-row><table:table-cell office:value-type="string"><text:p><text:s text:c="1000000000000"/></text:p></table:table-cell></table:table-row>"#;
    assert!(matches!(
        refused("spaces.ods", &ods_with(spaces)),
        ReadError::TooLarge(_)
    ));
}

#[test]
fn an_ods_questionnaire_is_read() {
    let cell = |t: &str| {
        format!(
            r#"<table:table-cell office:value-type="string"><text:p>{t}</text:p></table:table-cell>"#
        )
    };
    let rows = format!(
        "<table:table-row>{}{}</table:table-row><table:table-row table:number-rows-repeated=\"2\"><table:table-cell table:number-columns-repeated=\"3\"/></table:table-row><table:table-row>{}{}</table:table-row>",
        cell("ID"),
        cell("Réponse"),
        cell("SOB-01"),
        cell("Oui")
    );
    let got = read_as("q.ods", &ods_with(&rows)).unwrap();
    assert_eq!(got.format, FileFormat::Ods);
    assert_eq!(
        got.rows,
        vec![row("SOB-01", "", text("Oui"), "", "", "Questionnaire!B4")]
    );
}

#[test]
fn zip_entries_declaring_or_inflating_to_huge_sizes_are_refused() {
    // A bomb: 4 MiB of zeros deflate to a few KB.
    let zeros = vec![0u8; 4 * 1024 * 1024];
    let bomb = package(&[
        ("[Content_Types].xml", XLSX_TYPES.as_bytes()),
        ("xl/worksheets/sheet1.xml", &zeros),
    ]);
    let e = refused("bomb.xlsx", &bomb);
    assert!(e.to_string().contains("times"), "{e}");
    // A liar: the central directory declares 2 GiB for a small entry.
    let mut liar = xlsx_with("<sheetData/>", &[]);
    let at = liar.windows(4).rposition(|w| w == b"PK\x01\x02").unwrap();
    liar[at + 24..at + 28].copy_from_slice(&0x7FFF_FFFFu32.to_le_bytes());
    let e = refused("liar.xlsx", &liar);
    assert!(matches!(e, ReadError::TooLarge(_)), "{e}");
}

#[test]
fn a_package_with_thousands_of_entries_is_refused() {
    let names: Vec<String> = (0..2_100).map(|i| format!("x/{i}.xml")).collect();
    let mut parts: Vec<(&str, &[u8])> = vec![("[Content_Types].xml", XLSX_TYPES.as_bytes())];
    parts.extend(names.iter().map(|n| (n.as_str(), &b"<a/>"[..])));
    let e = refused("many.xlsx", &package(&parts));
    assert!(e.to_string().contains("2,101 parts"), "{e}");
}

#[test]
fn deeply_nested_docx_tables_are_refused_without_overflowing_the_stack() {
    let depth = 20_000;
    let open = "<w:tbl><w:tr><w:tc>".repeat(depth);
    let close = "</w:tc></w:tr></w:tbl>".repeat(depth);
    let e = refused("deep.docx", &docx_with(&format!("{open}<w:p/>{close}")));
    assert!(matches!(e, ReadError::Malformed(_)), "{e}");
    assert!(e.to_string().contains("nested"), "{e}");
}

#[test]
fn a_docx_with_a_doctype_is_refused() {
    let doc = format!(
        r#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x "xxxxxxxx">]><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"#
    );
    let e = refused("dtd.docx", &docx_raw(&doc));
    assert!(e.to_string().contains("DOCTYPE"), "{e}");
}

#[test]
fn a_truncated_docx_document_is_refused() {
    let doc = format!(r#"<w:document xmlns:w="{W}"><w:body><w:tbl><w:tr><w:tc><w:p>"#);
    let e = refused("cut.docx", &docx_raw(&doc));
    assert!(e.to_string().contains("truncated"), "{e}");
}

#[test]
fn a_file_over_the_size_cap_is_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.xlsx");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(response::bounds::MAX_FILE_SIZE + 1).unwrap(); // sparse
    let e = timed("big.xlsx", || response::read(&path)).unwrap_err();
    assert!(matches!(e, ReadError::TooLarge(_)), "{e}");
    assert!(e.to_string().contains("20 MiB"), "{e}");
}

#[test]
fn an_encrypted_office_file_asks_for_an_unprotected_copy() {
    let e = refused(
        "locked.xlsx",
        &cfb(&["EncryptionInfo", "EncryptedPackage"], CFB_END),
    );
    assert_eq!(e, ReadError::Encrypted);
    assert!(e.to_string().contains("unprotected copy"));
}

#[test]
fn a_cfb_whose_sector_chain_loops_is_refused() {
    // calamine would copy the looping directory chain until memory runs out.
    let e = refused("loop.xls", &cfb(&["Workbook"], 1));
    assert!(e.to_string().contains("loops"), "{e}");
    // Without the loop: an empty workbook.
    assert_eq!(
        refused("empty.xls", &cfb(&["Workbook"], CFB_END)),
        ReadError::NoQuestionnaire
    );
}

#[test]
fn a_parser_panic_is_a_malformed_file() {
    // The directory chain goes on to sector 130, beyond the FAT's 128
    // entries: calamine indexes its FAT with it and panics.
    let e = refused("beyond.xls", &cfb(&["Workbook"], 130));
    assert!(matches!(e, ReadError::Malformed(_)), "{e}");
    assert!(e.to_string().contains("stopped"), "{e}");
}

#[test]
fn an_odt_or_an_ordinary_zip_is_no_format() {
    let odt = package(&[("mimetype", b"application/vnd.oasis.opendocument.text")]);
    assert!(matches!(
        refused("a.ods", &odt),
        ReadError::UnknownFormat(_)
    ));
    let plain = package(&[("readme.txt", b"hello")]);
    assert!(matches!(
        refused("a.xlsx", &plain),
        ReadError::UnknownFormat(_)
    ));
}
