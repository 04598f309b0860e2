//! The parts of a Word package around its body: content types,
//! relationships, styles, settings, fonts and document properties
//! (ECMA-376 part 1 for WordprocessingML, part 2 for the package).

use super::xml::escape;
use crate::office::document::Document;
use crate::text::Lang;

/// The body font.
const FONT: &str = "Liberation Sans";
/// What Word uses where the body font is not installed (Liberation Sans is
/// metric-compatible with Arial).
const FALLBACK: &str = "Arial";
/// The colour of titles and headings.
const ACCENT: &str = "1F3864";

const DECLARATION: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;
/// The WordprocessingML namespace.
pub const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
/// The relationships namespace, for `r:id` and `r:embed`.
pub const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const RELATIONSHIPS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const OFFICE_RELS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const WORDML_TYPE: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml";

/// The language tag of `lang` in a Word document.
fn tag(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "fr-FR",
        Lang::En => "en-GB",
    }
}

/// `[Content_Types].xml`: the type of every part.
pub fn content_types() -> String {
    let part =
        |name: &str, kind: &str| format!(r#"<Override PartName="/{name}" ContentType="{kind}" />"#);
    let word = |name: &str, kind: &str| {
        part(
            &format!("word/{name}.xml"),
            &format!("{WORDML_TYPE}.{kind}+xml"),
        )
    };
    [
        DECLARATION.to_string(),
        r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#.into(),
        r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml" />"#.into(),
        r#"<Default Extension="xml" ContentType="application/xml" />"#.into(),
        r#"<Default Extension="png" ContentType="image/png" />"#.into(),
        word("document", "document.main"),
        word("styles", "styles"),
        word("settings", "settings"),
        word("fontTable", "fontTable"),
        word("header1", "header"),
        word("footer1", "footer"),
        part("docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
        part("docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml"),
        part("docProps/custom.xml", "application/vnd.openxmlformats-officedocument.custom-properties+xml"),
        "</Types>".into(),
    ]
    .concat()
}

/// A relationships part: id, type and target of each.
fn relationships(rels: &[(String, String, String)]) -> String {
    let mut xml = format!(r#"{DECLARATION}<Relationships xmlns="{RELATIONSHIPS}">"#);
    for (id, kind, target) in rels {
        xml.push_str(&format!(
            r#"<Relationship Id="{id}" Type="{kind}" Target="{target}" />"#
        ));
    }
    xml.push_str("</Relationships>");
    xml
}

/// `_rels/.rels`: the main part and the document properties.
pub fn package_relationships() -> String {
    let rel = |id: &str, kind: String, target: &str| (id.into(), kind, target.into());
    relationships(&[
        rel(
            "rId1",
            format!("{OFFICE_RELS}/officeDocument"),
            "word/document.xml",
        ),
        rel(
            "rId2",
            "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
                .into(),
            "docProps/core.xml",
        ),
        rel(
            "rId3",
            format!("{OFFICE_RELS}/extended-properties"),
            "docProps/app.xml",
        ),
        rel(
            "rId4",
            format!("{OFFICE_RELS}/custom-properties"),
            "docProps/custom.xml",
        ),
    ])
}

/// The id of the relationship from the main part to its `n`th picture
/// (from 1), and the picture's part name under `word/`.
pub fn picture(n: usize) -> (String, String) {
    (format!("rIdImage{n}"), format!("media/image{n}.png"))
}

/// `word/_rels/document.xml.rels`: styles, settings, fonts, header, footer
/// and the `pictures` pictures.
pub fn document_relationships(pictures: usize) -> String {
    let rel = |id: &str, kind: &str, target: &str| {
        (
            id.to_string(),
            format!("{OFFICE_RELS}/{kind}"),
            target.to_string(),
        )
    };
    let mut rels = vec![
        rel("rId1", "styles", "styles.xml"),
        rel("rId2", "settings", "settings.xml"),
        rel("rId3", "fontTable", "fontTable.xml"),
        rel("rIdHeader1", "header", "header1.xml"),
        rel("rIdFooter1", "footer", "footer1.xml"),
    ];
    for n in 1..=pictures {
        let (id, target) = picture(n);
        rels.push(rel(&id, "image", &target));
    }
    relationships(&rels)
}

/// One paragraph style: id, name, the style it is based on, its paragraph
/// properties (spacing, outline level) and run properties (emphasis,
/// colour, size in half-points).
struct Style<'a> {
    id: &'a str,
    name: &'a str,
    based_on: bool,
    spacing: (u32, u32),
    outline: Option<u8>,
    bold: bool,
    color: Option<&'a str>,
    size: u32,
}

impl Style<'_> {
    fn xml(&self) -> String {
        let mut xml = format!(
            r#"<w:style w:type="paragraph" w:styleId="{}"><w:name w:val="{}" />"#,
            self.id, self.name
        );
        if self.based_on {
            xml.push_str(r#"<w:basedOn w:val="Normal" />"#);
        }
        if self.outline.is_some() {
            xml.push_str(r#"<w:next w:val="Normal" />"#);
        }
        xml.push_str("<w:qFormat /><w:pPr>");
        let (before, after) = self.spacing;
        match (before, after) {
            (0, 0) => {}
            (0, a) => xml.push_str(&format!(r#"<w:spacing w:after="{a}" />"#)),
            (b, a) => xml.push_str(&format!(r#"<w:spacing w:before="{b}" w:after="{a}" />"#)),
        }
        if let Some(level) = self.outline {
            xml.push_str(&format!(r#"<w:outlineLvl w:val="{level}" />"#));
        }
        xml.push_str("</w:pPr><w:rPr>");
        if self.bold {
            xml.push_str("<w:b /><w:bCs />");
        }
        if let Some(c) = self.color {
            xml.push_str(&format!(r#"<w:color w:val="{c}" />"#));
        }
        xml.push_str(&format!(
            r#"<w:sz w:val="{0}" /><w:szCs w:val="{0}" /></w:rPr></w:style>"#,
            self.size
        ));
        xml
    }
}

/// `word/styles.xml`: the body font, the language and single-spaced
/// paragraphs by default (without paragraph defaults, LibreOffice spaces
/// paragraphs as Word 2007 did), then the
/// styles every renderer uses: `Normal`, `heading 1` to `heading 3` (with
/// their outline levels, for the navigation pane and a contents list Word
/// would make), `Title`, `Note` and `Table Text`.
pub fn styles(lang: Lang) -> String {
    let plain = Style {
        id: "Normal",
        name: "Normal",
        based_on: false,
        spacing: (0, 120),
        outline: None,
        bold: false,
        color: None,
        size: 21,
    };
    let heading = |level: u8, size: u32| Style {
        id: ["Heading1", "Heading2", "Heading3"][usize::from(level - 1)],
        name: ["heading 1", "heading 2", "heading 3"][usize::from(level - 1)],
        based_on: true,
        spacing: ([360, 240, 180][usize::from(level - 1)], 120),
        outline: Some(level - 1),
        bold: true,
        color: Some(ACCENT),
        size,
    };
    let styles = [
        plain.xml(),
        heading(1, 32).xml(),
        heading(2, 26).xml(),
        heading(3, 22).xml(),
        Style {
            id: "Title",
            name: "Title",
            spacing: (0, 0),
            bold: true,
            color: Some(ACCENT),
            size: 44,
            ..plain
        }
        .xml(),
        Style {
            id: "Note",
            name: "Note",
            based_on: true,
            spacing: (0, 0),
            color: Some("595959"),
            size: 17,
            ..plain
        }
        .xml(),
        Style {
            id: "TableText",
            name: "Table Text",
            based_on: true,
            spacing: (20, 20),
            size: 18,
            ..plain
        }
        .xml(),
    ];
    format!(
        concat!(
            "{declaration}",
            r#"<w:styles xmlns:w="{w}"><w:docDefaults><w:rPrDefault><w:rPr>"#,
            r#"<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}" />"#,
            r#"<w:lang w:val="{lang}" w:eastAsia="{lang}" w:bidi="ar-SA" />"#,
            "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>",
            r#"<w:spacing w:after="0" w:line="240" w:lineRule="auto" />"#,
            "</w:pPr></w:pPrDefault></w:docDefaults>{styles}</w:styles>"
        ),
        declaration = DECLARATION,
        w = W,
        font = FONT,
        lang = tag(lang),
        styles = styles.concat()
    )
}

/// `word/settings.xml`. A document whose contents list gives page numbers
/// as `PAGEREF` fields asks Word to recalculate the fields on opening
/// (17.15.1.90 `updateFields`): LibreOffice lays them out as it opens the
/// file, Word asks whether to update them. The compatibility settings are
/// those of a document Word 2013 and later makes, so that Word does not
/// open it in compatibility mode.
pub fn settings(update_fields: bool) -> String {
    let compat = |name: &str, val: u8| {
        format!(
            r#"<w:compatSetting w:name="{name}" w:uri="http://schemas.microsoft.com/office/word" w:val="{val}" />"#
        )
    };
    [
        format!(r#"{DECLARATION}<w:settings xmlns:w="{W}">"#),
        r#"<w:zoom w:percent="100" /><w:defaultTabStop w:val="840" />"#.into(),
        if update_fields {
            r#"<w:updateFields w:val="true" />"#.into()
        } else {
            String::new()
        },
        "<w:compat>".into(),
        compat("compatibilityMode", 15),
        compat("overrideTableStyleFontSizeAndJustification", 1),
        compat("enableOpenTypeFeatures", 1),
        compat("doNotFlipMirrorIndents", 1),
        compat("differentiateMultirowTableHeaders", 1),
        compat("useWord2013TrackBottomHyphenation", 0),
        "</w:compat></w:settings>".into(),
    ]
    .concat()
}

/// `word/fontTable.xml`: the body font, with [`FALLBACK`] as its
/// alternative name and its family, so that Word substitutes it where the
/// body font is missing.
pub fn font_table() -> String {
    let font = |name: &str, alt: &str| {
        format!(
            concat!(
                r#"<w:font w:name="{}">{}<w:panose1 w:val="020B0604020202020204" />"#,
                r#"<w:charset w:val="00" /><w:family w:val="swiss" /><w:pitch w:val="variable" /></w:font>"#
            ),
            name, alt
        )
    };
    format!(
        r#"{}<w:fonts xmlns:w="{}">{}{}</w:fonts>"#,
        DECLARATION,
        W,
        font(FONT, &format!(r#"<w:altName w:val="{FALLBACK}" />"#)),
        font(FALLBACK, "")
    )
}

/// `docProps/core.xml`: title, subject, author, keywords, description,
/// language, and the document's date (from its inputs, never the clock) as
/// creation and modification dates.
pub fn core(doc: &Document) -> String {
    let date = doc
        .date
        .map(|d| d.to_string())
        .unwrap_or_else(|| "2026-01-01".into());
    let stamp = format!("{date}T00:00:00Z");
    format!(
        concat!(
            "{}\n",
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
        DECLARATION,
        escape(&doc.title),
        escape(&doc.subject),
        escape(&doc.author),
        escape(&doc.keywords),
        escape(&doc.description),
        escape(&doc.author),
        tag(doc.lang),
        stamp,
        stamp
    )
}

/// `docProps/app.xml`, empty: no application name nor version.
pub fn app() -> String {
    format!(
        r#"{DECLARATION}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes" />"#
    )
}

/// `docProps/custom.xml`: the document's custom properties, as text, in
/// their order.
pub fn custom(doc: &Document) -> String {
    let mut xml = format!(
        concat!(
            "{}\n",
            r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" "#,
            r#"xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">"#
        ),
        DECLARATION
    );
    for (i, (name, value)) in doc.custom.iter().enumerate() {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_style_sheet_with_the_language_and_the_heading_levels() {
        let xml = styles(Lang::Fr);
        assert_eq!(xml.matches(r#"w:styleId="Normal""#).count(), 1);
        assert!(xml.contains(r#"<w:lang w:val="fr-FR" w:eastAsia="fr-FR" w:bidi="ar-SA" />"#));
        assert!(xml.contains(r#"<w:rFonts w:ascii="Liberation Sans""#));
        for level in 1..=3 {
            assert!(xml.contains(&format!(r#"<w:name w:val="heading {level}" />"#)));
            assert!(xml.contains(&format!(r#"<w:outlineLvl w:val="{}" />"#, level - 1)));
        }
        assert!(styles(Lang::En).contains(r#"<w:lang w:val="en-GB""#));
        assert!(font_table().contains(r#"<w:altName w:val="Arial" />"#));
    }

    #[test]
    fn fields_are_updated_on_opening_only_where_there_are_some() {
        assert!(settings(true).contains(r#"<w:updateFields w:val="true" /><w:compat>"#));
        assert!(!settings(false).contains("updateFields"));
        assert!(settings(false).contains(r#"w:name="compatibilityMode""#));
    }
}
