//! What a reader sees is what is scored: returned files whose answers look
//! other than the file stores them. A 0 that its number format shows as
//! « Oui », text hidden in a Word answer (directly, through a style, or as
//! « special » hidden text), an answer typed in a table nested in its cell
//! or imported from another file (`w:altChunk`), a content control still
//! showing its placeholder (« Cliquez ou appuyez ici pour entrer du
//! texte. »).
//!
//! Each is read as a person reading the file sees it, and what differs is
//! named in an integrity warning about the question: nothing is scored
//! silently. The crafted files are built here with `hostile.rs`'s package
//! builders; the last scenarios make the same defects with the programs a
//! vendor uses (python-docx; openpyxl, then LibreOffice re-saving).

use std::path::Path;

use serde_json::Value;

use crate::hostile::{DOCX_TYPES, W, WORKSHEET, docx_table, part, row, s, xlsx_parts, zip};
use crate::support::*;

/// The placeholder Word shows in an empty plain-text content control.
const PLACEHOLDER: &str = "Cliquez ou appuyez ici pour entrer du texte.";

// ------------------------------------------------------------ builders

/// A one-sheet workbook (header `ID`, `Réponse`) whose answer rows are
/// `(id, stored value, number format)`: a number cell, formatted when the
/// format is not empty.
fn formatted_xlsx(rows: &[(&str, f64, &str)]) -> Vec<u8> {
    let escape = |s: &str| s.replace('&', "&amp;").replace('"', "&quot;");
    let formats: String = rows
        .iter()
        .enumerate()
        .map(|(i, (_, _, f))| {
            format!(
                r#"<numFmt numFmtId="{}" formatCode="{}"/>"#,
                164 + i,
                escape(f)
            )
        })
        .collect();
    let xfs: String = (0..rows.len())
        .map(|i| format!(r#"<xf numFmtId="{}" applyNumberFormat="1"/>"#, 164 + i))
        .collect();
    let styles = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="{n}">{formats}</numFmts><fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="{}"><xf numFmtId="0"/>{xfs}</cellXfs></styleSheet>"#,
        rows.len() + 1,
        n = rows.len(),
    );
    let cells: String = rows
        .iter()
        .enumerate()
        .map(|(i, (id, value, format))| {
            let r = i + 2;
            let style = if format.is_empty() {
                String::new()
            } else {
                format!(r#" s="{}""#, i + 1)
            };
            format!(
                r#"<row r="{r}">{}<c r="B{r}"{style}><v>{value}</v></c></row>"#,
                s(&format!("A{r}"), id)
            )
        })
        .collect();
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>{WORKSHEET}<sheetData>{}{cells}</sheetData></worksheet>"#,
        row(1, &["ID", "Réponse"])
    );
    let mut parts = xlsx_parts("Questionnaire");
    parts.push(part("xl/styles.xml", styles));
    parts.push(part("xl/worksheets/sheet1.xml", sheet));
    zip(&parts)
}

/// A DOCX whose body is `body`, with `styles.xml` and the main part's
/// relationships when given.
fn word(body: &str, styles: &str, rels: &str) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>{body}</w:body></w:document>"#
    );
    let mut parts = vec![
        part("[Content_Types].xml", DOCX_TYPES),
        part("word/document.xml", document),
    ];
    if !styles.is_empty() {
        parts.push(part(
            "word/styles.xml",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="{W}">{styles}</w:styles>"#),
        ));
    }
    if !rels.is_empty() {
        parts.push(part(
            "word/_rels/document.xml.rels",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#),
        ));
    }
    zip(&parts)
}

/// An answer table: the header row, then one row per `(id, answer cell's
/// inner XML)`.
fn answer_table(rows: &[(&str, &str)]) -> String {
    let tc = |inner: &str| format!("<w:tc>{inner}</w:tc>");
    let header = docx_table(&[&["ID", "Réponse"]]);
    let header = header
        .trim_start_matches("<w:tbl>")
        .trim_end_matches("</w:tbl>");
    let body: String = rows
        .iter()
        .map(|(id, inner)| {
            format!(
                "<w:tr>{}{}</w:tr>",
                tc(&format!("<w:p><w:r><w:t>{id}</w:t></w:r></w:p>")),
                tc(inner)
            )
        })
        .collect();
    format!("<w:tbl>{header}{body}</w:tbl>")
}

/// A paragraph of one run of `text` with run properties `props`.
fn run(props: &str, text: &str) -> String {
    format!(r#"<w:p><w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#)
}

// ------------------------------------------------------------ checking

/// `check` over the files of `offers` (folder `offres` under `dir`, beside
/// the questionnaire issued there); the JSON report's results.
fn check(dir: &Path) -> Vec<Value> {
    let run = boussole_in(
        dir,
        &[
            "check",
            "--lock",
            "questionnaire.xlsx.boussole.lock",
            "--format",
            "json",
            "offres",
        ],
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}\n{}", run.stdout, run.stderr);
    });
    report["results"].as_array().unwrap().clone()
}

/// The questionnaire issued in a new folder, with an empty `offres` beside it.
fn tender() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let run = boussole_in(dir.path(), &["questionnaire", "-o", "questionnaire.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    std::fs::create_dir(dir.path().join("offres")).unwrap();
    dir
}

/// One file's result.
fn result<'a>(results: &'a [Value], name: &str) -> &'a Value {
    let r = results
        .iter()
        .find(|r| r["file"].as_str().unwrap().ends_with(name))
        .unwrap_or_else(|| panic!("no result for {name}"));
    assert_eq!(r["status"], "ok", "{name}: {}", r["error"]);
    r
}

/// A question's result: (status, value).
fn question(r: &Value, id: &str) -> (String, Value) {
    let q = r["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {}", r["file"]));
    (
        q["status"].as_str().unwrap().to_string(),
        q["value"].clone(),
    )
}

/// The integrity warnings of `r` about `id`: (code, message).
fn warnings(r: &Value, id: &str) -> Vec<(String, String)> {
    r["integrity"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["question"] == id)
        .map(|i| {
            (
                i["code"].as_str().unwrap().to_string(),
                i["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The codes of the integrity warnings of `r` about `id`.
fn codes(r: &Value, id: &str) -> Vec<String> {
    warnings(r, id).into_iter().map(|(c, _)| c).collect()
}

/// The finding of `r` about `id`: its status (`missing`, `fail`…).
fn finding_status(r: &Value, id: &str) -> Option<String> {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["question"] == id)
        .map(|f| f["status"].as_str().unwrap().to_string())
}

// ------------------------------------------------------------ crafted

#[test]
fn crafted_answers_are_read_as_a_reader_sees_them_and_warned_about() {
    let dir = tender();
    let offers = dir.path().join("offres");
    let write = |name: &str, bytes: Vec<u8>| std::fs::write(offers.join(name), bytes).unwrap();

    // 1. Number formats: a 0 shown « Oui » (TRA-01 expects « Oui »), a 1
    // shown « Oui » by an unquoted format, a 1 (« Oui ») that `;;;` hides,
    // a 0 with a format that shows digits (read as it is).
    write(
        "format.xlsx",
        formatted_xlsx(&[
            ("TRA-01", 0.0, "\"Oui\";\"Oui\";\"Oui\""),
            ("TRA-07", 0.0, "Oui"),
            ("BIO-01", 1.0, ";;;"),
            ("BIO-02", 0.0, "0\" (non)\""),
        ]),
    );
    // 2. Hidden text: « Oui » hidden directly, through a character style
    // based on a hidden one, as special hidden text; a visible « Non » with
    // hidden text beside it; a paragraph mark hidden (not its text), a
    // vanish turned off, a former formatting that hid the run: all seen. A
    // hidden row id is still matched (boussole's internal grid hides its
    // own), with nothing to warn about.
    let styles = r#"<w:style w:type="character" w:styleId="Cache"><w:name w:val="Caché"/><w:rPr><w:vanish/></w:rPr></w:style><w:style w:type="character" w:styleId="Note"><w:name w:val="Note"/><w:basedOn w:val="Cache"/><w:rPr><w:i/></w:rPr></w:style>"#;
    let styled = r#"<w:p><w:r><w:rPr><w:rStyle w:val="Note"/></w:rPr><w:t>Oui</w:t></w:r></w:p>"#;
    let beside = r#"<w:p><w:r><w:t>Non</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t xml:space="preserve"> Oui</w:t></w:r></w:p>"#;
    let mark = r#"<w:p><w:pPr><w:rPr><w:vanish/></w:rPr></w:pPr><w:r><w:t>Non</w:t></w:r></w:p>"#;
    // a long hidden text is quoted cut, with the mark reports use
    let long_hidden = format!(
        "{}{}",
        run("", "Oui"),
        run("<w:vanish/>", &"non conforme ".repeat(300))
    );
    let former = r#"<w:p><w:r><w:rPr><w:rPrChange w:id="1" w:author="A"><w:rPr><w:vanish/></w:rPr></w:rPrChange></w:rPr><w:t>Oui</w:t></w:r></w:p>"#;
    write(
        "masque.docx",
        word(
            &answer_table(&[
                ("TRA-01", &run("<w:vanish/>", "Oui")),
                ("TRA-07", styled),
                ("TRA-11", &run("<w:specVanish/>", "Oui")),
                ("BIO-01", beside),
                ("BIO-02", mark),
                ("BIO-03", &run(r#"<w:vanish w:val="0"/>"#, "Non")),
                ("CYB-06", former),
                ("CYB-08", &long_hidden),
            ])
            .replace(
                "</w:tbl>",
                &format!(
                    "<w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>",
                    run("<w:vanish/>", "BIO-04"),
                    run("", "Non")
                ),
            ),
            styles,
            "",
        ),
    );
    // 3. A table nested in the answer cell, and content imported from an
    // HTML file.
    let nested = format!("<w:p/>{}<w:p/>", docx_table(&[&["Oui"]]));
    let imported = r#"<w:altChunk r:id="rId9"/><w:p/>"#;
    let rels = r#"<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk" Target="/word/afchunk1.html"/>"#;
    write(
        "imbrique.docx",
        word(
            &answer_table(&[
                ("TRA-01", &nested),
                ("TRA-07", imported),
                ("TRA-11", &run("", "Oui")),
            ]),
            "",
            rels,
        ),
    );
    // 4. Content controls: one still showing its placeholder (inline, and
    // wrapping the cell), one filled.
    let control = |placeholder: bool, text: &str| {
        let flag = if placeholder {
            "<w:showingPlcHdr/>"
        } else {
            ""
        };
        format!(
            r#"<w:sdt><w:sdtPr><w:alias w:val="Réponse"/>{flag}</w:sdtPr><w:sdtContent><w:p><w:r><w:rPr><w:rStyle w:val="PlaceholderText"/></w:rPr><w:t>{text}</w:t></w:r></w:p></w:sdtContent></w:sdt>"#
        )
    };
    let around_cell = format!(
        r#"<w:tr><w:tc><w:p><w:r><w:t>TRA-11</w:t></w:r></w:p></w:tc><w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent><w:tc><w:p><w:r><w:t>{PLACEHOLDER}</w:t></w:r></w:p></w:tc></w:sdtContent></w:sdt></w:tr></w:tbl>"#
    );
    let table = answer_table(&[
        ("TRA-01", &control(true, PLACEHOLDER)),
        ("TRA-02", &control(true, PLACEHOLDER)),
        ("PUB-06", &control(true, PLACEHOLDER)),
        ("TRA-07", &control(false, "Oui")),
    ]);
    // a control around a whole row, showing its placeholder, keeps the row
    let around_row = r#"<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent><w:tr><w:tc><w:p><w:r><w:t>CYB-06</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Oui</w:t></w:r></w:p></w:tc></w:tr></w:sdtContent></w:sdt>"#;
    let table = table.replace("</w:tbl>", &format!("{around_row}{around_cell}"));
    write("controle.docx", word(&table, "", ""));

    let results = check(dir.path());

    // 1. As shown: « Oui » passes where the stored 0 (« Non ») failed; a
    // hidden 1 is no answer; digits around a 0 leave it a 0.
    let r = result(&results, "format.xlsx");
    for id in ["TRA-01", "TRA-07"] {
        assert_eq!(question(r, id), ("pass".into(), "yes".into()), "{id}");
        assert!(codes(r, id).contains(&"formatted_answer".into()), "{id}");
    }
    let (_, message) = &warnings(r, "TRA-01")[0];
    assert!(
        message.contains("« 0 »") && message.contains("« Oui »"),
        "{message}"
    );
    assert_eq!(question(r, "BIO-01").0, "missing");
    assert!(codes(r, "BIO-01").contains(&"formatted_answer".into()));
    assert_eq!(question(r, "BIO-02"), ("pass".into(), "no".into()));
    assert!(codes(r, "BIO-02").is_empty(), "{:?}", codes(r, "BIO-02"));

    // 2. Hidden text is not read, and is named.
    let r = result(&results, "masque.docx");
    for id in ["TRA-01", "TRA-07", "TRA-11"] {
        assert_eq!(question(r, id).0, "missing", "{id}");
        assert_eq!(finding_status(r, id).as_deref(), Some("missing"), "{id}");
        let w = warnings(r, id);
        assert!(
            w.iter()
                .any(|(c, m)| c == "hidden_text" && m.contains("« Oui »")),
            "{id}: {w:?}"
        );
    }
    assert_eq!(question(r, "BIO-01"), ("pass".into(), "no".into()));
    assert!(codes(r, "BIO-01").contains(&"hidden_text".into()));
    for id in ["BIO-02", "BIO-03"] {
        assert_eq!(question(r, id), ("pass".into(), "no".into()), "{id}");
        assert!(codes(r, id).is_empty(), "{id}: {:?}", codes(r, id));
    }
    assert_eq!(question(r, "CYB-06"), ("pass".into(), "yes".into()));
    assert!(codes(r, "CYB-06").is_empty());
    assert_eq!(question(r, "CYB-08"), ("pass".into(), "yes".into()));
    let w = warnings(r, "CYB-08");
    assert!(
        w.iter()
            .any(|(c, m)| c == "hidden_text" && m.contains("texte coupé") && m.len() < 600),
        "{w:?}"
    );
    assert_eq!(question(r, "BIO-04"), ("pass".into(), "no".into()));
    assert!(codes(r, "BIO-04").is_empty());

    // 3. The nested table's text is the answer; the imported content is
    // named, its answer missing and said to be.
    let r = result(&results, "imbrique.docx");
    assert_eq!(question(r, "TRA-01"), ("pass".into(), "yes".into()));
    assert_eq!(question(r, "TRA-11"), ("pass".into(), "yes".into()));
    assert_eq!(question(r, "TRA-07").0, "missing");
    let w = warnings(r, "TRA-07");
    assert!(
        w.iter().any(|(c, m)| c == "imported_content"
            && m.contains("(HTML)")
            && m.contains("manquante")),
        "{w:?}"
    );

    // 4. A placeholder is no answer: missing (to regularise), neither
    // failed (an address expected: eliminated) nor passed (five words
    // expected).
    let r = result(&results, "controle.docx");
    for id in ["TRA-01", "TRA-02", "PUB-06", "TRA-11"] {
        assert_eq!(question(r, id).0, "missing", "{id}");
        assert_eq!(finding_status(r, id).as_deref(), Some("missing"), "{id}");
    }
    assert_eq!(question(r, "TRA-07"), ("pass".into(), "yes".into()));
    assert_eq!(question(r, "CYB-06"), ("pass".into(), "yes".into()));
    let eliminated: Vec<&Value> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "eliminatory")
        .collect();
    assert!(eliminated.is_empty(), "{eliminated:?}");
    assert_eq!(r["judgment"]["standing"], "to_regularise");
}

// ------------------------------------------------------------ real clients

/// The same defects made with the programs a vendor uses: a DOCX answer
/// filled by python-docx with a hidden run and a run in a hidden character
/// style; an XLSX filled by openpyxl with a 0 formatted `"Oui";"Oui";"Oui"`,
/// then re-saved by LibreOffice.
#[test]
fn hidden_runs_and_text_formats_made_by_real_clients_are_read_as_seen() {
    if !python_has(&["openpyxl", "docx"]) {
        return;
    }
    let (dir, _) = issue(&["questionnaire.xlsx", "questionnaire.docx"]);
    let offers = dir.path().join("offres");
    std::fs::create_dir(&offers).unwrap();
    let filled = dir.path().join("filled");
    std::fs::create_dir(&filled).unwrap();
    fill_script(
        "fill_docx.py",
        &dir.path().join("questionnaire.docx"),
        &offers.join("masque.docx"),
        &serde_json::json!({ "answers": {
            "TRA-01": { "answer": "", "hidden": "Oui" },
            "TRA-07": { "answer": "", "hidden": "Oui", "hidden_style": "Texte masqué" },
            "BIO-01": { "answer": "Non", "hidden": " (Oui, en option)" },
            "BIO-02": { "answer": "Non" },
        }}),
    );
    std::fs::remove_file(offers.join("masque.docx.json")).unwrap();
    fill_script(
        "fill_xlsx.py",
        &dir.path().join("questionnaire.xlsx"),
        &filled.join("format.xlsx"),
        &serde_json::json!({
            "questions_sheet": "Questionnaire",
            "answer_column": 4,
            "answers": {
                "TRA-01": { "answer": 0, "number_format": "\"Oui\";\"Oui\";\"Oui\"" },
                "BIO-01": { "answer": 0 },
            },
        }),
    );
    let Some(resaved) = soffice(&filled.join("format.xlsx"), "xlsx", &offers) else {
        return;
    };
    assert!(resaved.ends_with("format.xlsx"));

    let results = check(dir.path());

    let r = result(&results, "masque.docx");
    for id in ["TRA-01", "TRA-07"] {
        assert_eq!(question(r, id).0, "missing", "{id}");
        assert!(codes(r, id).contains(&"hidden_text".into()), "{id}");
    }
    assert_eq!(question(r, "BIO-01"), ("pass".into(), "no".into()));
    let w = warnings(r, "BIO-01");
    assert!(
        w.iter()
            .any(|(c, m)| c == "hidden_text" && m.contains("« (Oui, en option) »")),
        "{w:?}"
    );
    assert_eq!(question(r, "BIO-02"), ("pass".into(), "no".into()));
    assert!(codes(r, "BIO-02").is_empty());

    let r = result(&results, "format.xlsx");
    assert_eq!(question(r, "TRA-01"), ("pass".into(), "yes".into()));
    assert!(codes(r, "TRA-01").contains(&"formatted_answer".into()));
    assert_eq!(question(r, "BIO-01"), ("pass".into(), "no".into()));
    assert!(codes(r, "BIO-01").is_empty());
}

/// Each level of nesting copies the text of the levels below it into its
/// cell: 80 tables nested in one another around 200 KB of text would copy
/// 16 MB; refused once the copies pass their bound, naming why.
#[test]
fn text_copied_from_deeply_nested_tables_is_bounded() {
    let depth = 80;
    let deep = format!(
        "{}<w:p><w:r><w:t>{}</w:t></w:r></w:p>{}",
        "<w:tbl><w:tr><w:tc>".repeat(depth),
        "mot ".repeat(50_000),
        "</w:tc></w:tr></w:tbl>".repeat(depth)
    );
    let got = boussole::response::read_bytes(&word(
        &format!("{}{deep}", answer_table(&[("TRA-01", &run("", "Oui"))])),
        "",
        "",
    ));
    match got {
        Err(boussole::response::ReadError::TooLarge(why)) => {
            assert!(why.contains("nested in table cells"), "{why}")
        }
        other => panic!("{other:?}"),
    }
    // A few levels, as a layout table around the answers: read.
    let layout = format!(
        "<w:tbl><w:tr><w:tc>{}<w:p/></w:tc></w:tr></w:tbl>",
        answer_table(&[("TRA-01", &run("", "Oui"))])
    );
    let read = boussole::response::read_bytes(&word(&layout, "", "")).unwrap();
    assert_eq!(read.rows.len(), 1);
    assert_eq!(read.rows[0].answer_text(), "Oui");
}
