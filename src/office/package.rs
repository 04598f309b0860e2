//! The last step of every Office file: rewrite the package deflated, with
//! fixed entry dates and our own document properties (docx-rs has no
//! setter for title, subject or author).

use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::document::Document;
use super::wordml;
use crate::Error;
use crate::text::Lang;

/// The core properties written into `docProps/core.xml`.
#[derive(Debug, Clone, Default)]
pub struct Properties {
    /// Title.
    pub title: String,
    /// Subject.
    pub subject: String,
    /// Author.
    pub author: String,
    /// Keywords.
    pub keywords: String,
    /// Description.
    pub description: String,
    /// Creation date, `YYYY-MM-DD`.
    pub date: String,
    /// Language.
    pub lang: Lang,
    /// Custom properties, in the order given.
    pub custom: Vec<(String, String)>,
}

impl Properties {
    /// The properties of a document.
    pub fn of(doc: &Document) -> Properties {
        Properties {
            title: doc.title.clone(),
            subject: doc.subject.clone(),
            author: doc.author.clone(),
            keywords: doc.keywords.clone(),
            description: doc.description.clone(),
            date: doc
                .date
                .map(|d| d.to_string())
                .unwrap_or_else(|| "2026-01-01".into()),
            lang: doc.lang,
            custom: doc.custom.clone(),
        }
    }

    fn custom_xml(&self) -> String {
        let mut xml = String::from(concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            "\n",
            r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" "#,
            r#"xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">"#
        ));
        for (i, (name, value)) in self.custom.iter().enumerate() {
            xml.push_str(&format!(
                r#"<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{}" name="{}"><vt:lpwstr>{}</vt:lpwstr></property>"#,
                i + 2,
                escape(name),
                escape(value)
            ));
        }
        xml.push_str("</Properties>");
        xml
    }

    fn core_xml(&self) -> String {
        let language = match self.lang {
            Lang::Fr => "fr-FR",
            Lang::En => "en-GB",
        };
        let stamp = format!("{}T00:00:00Z", self.date);
        format!(
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
                "\n",
                r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#,
                r#"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#,
                r#"xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
                "<dc:title>{}</dc:title><dc:subject>{}</dc:subject><dc:creator>{}</dc:creator>",
                "<cp:keywords>{}</cp:keywords><dc:description>{}</dc:description>",
                "<cp:lastModifiedBy>{}</cp:lastModifiedBy><dc:language>{}</dc:language><cp:revision>1</cp:revision>",
                r#"<dcterms:created xsi:type="dcterms:W3CDTF">{}</dcterms:created>"#,
                r#"<dcterms:modified xsi:type="dcterms:W3CDTF">{}</dcterms:modified>"#,
                "</cp:coreProperties>"
            ),
            escape(&self.title),
            escape(&self.subject),
            escape(&self.author),
            escape(&self.keywords),
            escape(&self.description),
            escape(&self.author),
            language,
            stamp,
            stamp
        )
    }
}

/// Escapes text for an XML element, dropping characters XML forbids.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\u{0}'..='\u{8}'
            | '\u{b}'
            | '\u{c}'
            | '\u{e}'..='\u{1f}'
            | '\u{fffe}'
            | '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Marks the first row of every table as its header, repeated at the top of
/// each page a table runs onto (docx-rs writes no `w:tblHeader`).
pub fn repeat_table_headers(xml: &str) -> String {
    const TABLE: &str = "<w:tbl>";
    const ROW: &str = "<w:tr>";
    const ROW_PROPS: &str = "<w:trPr>";
    let mut out = String::with_capacity(xml.len() + 1024);
    let mut rest = xml;
    while let Some(t) = rest.find(TABLE) {
        let Some(r) = rest[t..].find(ROW).map(|r| t + r + ROW.len()) else {
            break;
        };
        out.push_str(&rest[..r]);
        rest = &rest[r..];
        match rest.strip_prefix(ROW_PROPS) {
            Some(after) => {
                out.push_str("<w:trPr><w:tblHeader />");
                rest = after;
            }
            None => out.push_str("<w:trPr><w:tblHeader /></w:trPr>"),
        }
    }
    out.push_str(rest);
    out
}

/// Rewrites the package `raw`: every entry deflated, dated 1980-01-01, in
/// the same order, with `docProps/core.xml` and `docProps/custom.xml`
/// written from `props`, table headers repeated on each page and, in a Word
/// package, what [`wordml`] adds (one `Normal` style, the language, the
/// font table).
pub fn finish(raw: Vec<u8>, props: &Properties) -> Result<Vec<u8>, Error> {
    let fail = |m: String| Error::Render {
        what: props.title.clone(),
        message: m,
    };
    let mut archive = ZipArchive::new(Cursor::new(raw)).map_err(|e| fail(e.to_string()))?;
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let mut has_core = false;
    let has_contents = {
        let mut xml = String::new();
        archive
            .by_name("word/document.xml")
            .ok()
            .and_then(|mut e| e.read_to_string(&mut xml).ok())
            .is_some_and(|_| xml.contains("PAGEREF"))
    };
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| fail(e.to_string()))?;
        let name = entry.name().map_err(|e| fail(e.to_string()))?.to_string();
        let mut bytes = Vec::new();
        entry
            .read_to_end(&mut bytes)
            .map_err(|e| fail(e.to_string()))?;
        if name == "docProps/core.xml" {
            bytes = props.core_xml().into_bytes();
            has_core = true;
        }
        if name == "word/document.xml" {
            let xml = repeat_table_headers(&String::from_utf8_lossy(&bytes));
            bytes = wordml::no_break_hyphens(&wordml::paragraph_properties(&xml)).into_bytes();
        }
        if name.starts_with("word/header") || name.starts_with("word/footer") {
            bytes = wordml::paragraph_properties(&String::from_utf8_lossy(&bytes)).into_bytes();
        }
        if name == "word/styles.xml" {
            bytes = wordml::styles(&String::from_utf8_lossy(&bytes), props.lang).into_bytes();
        }
        if name == "word/settings.xml" && has_contents {
            bytes = wordml::update_fields_on_open(&String::from_utf8_lossy(&bytes)).into_bytes();
        }
        if name == "word/fontTable.xml" {
            bytes = wordml::font_table().into_bytes();
        }
        if name == "docProps/custom.xml" {
            // docx-rs keeps custom properties in a hash map: write them in order.
            bytes = props.custom_xml().into_bytes();
        }
        out.start_file(name, options)
            .map_err(|e| fail(e.to_string()))?;
        out.write_all(&bytes).map_err(|e| fail(e.to_string()))?;
    }
    if !has_core {
        return Err(fail("the package has no docProps/core.xml".into()));
    }
    Ok(out.finish().map_err(|e| fail(e.to_string()))?.into_inner())
}

/// The workbook `raw` with [`super::typography::apply`] on every text its
/// reader sees: the shared strings of the cells and the text of the charts
/// (entries kept in order, deflated, dated 1980-01-01 as written).
pub fn typeset_workbook(raw: Vec<u8>, lang: Lang) -> Result<Vec<u8>, String> {
    let text = regex::Regex::new(r"(<(?:a:)?t(?: [^>]*)?>)([^<]*)(</(?:a:)?t>)")
        .map_err(|e| e.to_string())?;
    let mut archive = ZipArchive::new(Cursor::new(raw)).map_err(|e| e.to_string())?;
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| e.to_string())?;
        let name = entry.name().map_err(|e| e.to_string())?.to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
        if name == "xl/sharedStrings.xml" || name.starts_with("xl/charts/chart") {
            let xml = String::from_utf8_lossy(&bytes);
            bytes = text
                .replace_all(&xml, |c: &regex::Captures<'_>| {
                    let body = c[2].replace("&apos;", "'");
                    format!(
                        "{}{}{}",
                        &c[1],
                        super::typography::apply(&body, lang),
                        &c[3]
                    )
                })
                .into_owned()
                .into_bytes();
        }
        out.start_file(name, options).map_err(|e| e.to_string())?;
        out.write_all(&bytes).map_err(|e| e.to_string())?;
    }
    Ok(out.finish().map_err(|e| e.to_string())?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::repeat_table_headers;

    #[test]
    fn the_first_row_of_each_table_repeats_on_every_page() {
        let row = |props: &str| format!("<w:tr>{props}<w:tc/></w:tr>");
        let xml = format!(
            "<w:body><w:tbl><w:tblPr/>{}{}</w:tbl><w:p/><w:tbl>{}{}</w:tbl></w:body>",
            row("<w:trPr><w:cantSplit /></w:trPr>"),
            row("<w:trPr><w:cantSplit /></w:trPr>"),
            row(""),
            row(""),
        );
        let out = repeat_table_headers(&xml);
        assert_eq!(out.matches("<w:tblHeader />").count(), 2);
        assert!(
            out.contains("<w:tbl><w:tblPr/><w:tr><w:trPr><w:tblHeader /><w:cantSplit /></w:trPr>")
        );
        assert!(out.contains("<w:tbl><w:tr><w:trPr><w:tblHeader /></w:trPr><w:tc/>"));
        assert_eq!(repeat_table_headers("<w:p/>"), "<w:p/>");
    }
}
