//! The text of a Word document: its main part (`word/document.xml`), its
//! header and its footer, written as WordprocessingML (ECMA-376 part 1,
//! §17), every element's properties in the schema's order.

use super::parts::{R, W, picture};
use super::xml::escape;
use crate::office::document::{Block, Document, Image, Span, unseen_text};

/// A4 width and height, in twentieths of a point.
const A4: (u32, u32) = (11906, 16838);
/// Page margins: 2 cm.
const MARGIN: u32 = 1134;
/// Distance from the page's edge to the header and to the footer: 1 cm.
const HEADER_MARGIN: u32 = 567;
/// Indent of a bullet's text, and of level 2 entries in the contents: 5 mm
/// and 7.5 mm.
const BULLET_INDENT: u32 = 284;
const CONTENTS_INDENT: u32 = 426;
/// Fill of a table's header row.
const HEADER_FILL: &str = "D9E2F3";
/// EMUs (English Metric Units) in a millimetre.
const EMU_PER_MM: u64 = 36_000;

/// A paragraph's properties.
#[derive(Default)]
struct Props<'a> {
    style: Option<&'a str>,
    /// Kept on the page of the next paragraph.
    keep_next: bool,
    /// A right tab at this position, dots before it.
    dotted_tab: Option<u32>,
    /// Left indent and, under it, the first line's hanging part.
    indent: Option<(u32, u32)>,
    /// `center` or `right`.
    align: Option<&'a str>,
}

impl Props<'_> {
    fn xml(&self) -> String {
        let mut xml = String::new();
        if let Some(s) = self.style {
            xml.push_str(&format!(r#"<w:pStyle w:val="{s}" />"#));
        }
        if self.keep_next {
            xml.push_str("<w:keepNext />");
        }
        if let Some(pos) = self.dotted_tab {
            xml.push_str(&format!(
                r#"<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{pos}" /></w:tabs>"#
            ));
        }
        match self.indent {
            Some((left, 0)) => xml.push_str(&format!(r#"<w:ind w:left="{left}" />"#)),
            Some((left, hanging)) => xml.push_str(&format!(
                r#"<w:ind w:left="{left}" w:hanging="{hanging}" />"#
            )),
            None => {}
        }
        if let Some(a) = self.align {
            xml.push_str(&format!(r#"<w:jc w:val="{a}" />"#));
        }
        if xml.is_empty() {
            xml
        } else {
            format!("<w:pPr>{xml}</w:pPr>")
        }
    }
}

/// A paragraph of `props` holding `content` (runs, links, bookmarks).
fn paragraph(props: &Props<'_>, content: &str) -> String {
    format!("<w:p>{}{content}</w:p>", props.xml())
}

/// How a run of text looks.
#[derive(Default, Clone, Copy)]
struct Look {
    bold: bool,
    italic: bool,
    /// Hidden text (`w:vanish`): kept in the file, not shown nor printed.
    hidden: bool,
}

/// A run of `text`: line breaks become `w:br`, and each no-break hyphen
/// (U+2011) Word's own `w:noBreakHyphen`, which Word and LibreOffice draw
/// with the font's hyphen (the body font has no U+2011 glyph).
fn run(text: &str, look: Look) -> String {
    let mut props = String::new();
    if look.bold {
        props.push_str("<w:b /><w:bCs />");
    }
    if look.italic {
        props.push_str("<w:i /><w:iCs />");
    }
    if look.hidden {
        props.push_str("<w:vanish />");
    }
    let props = if props.is_empty() {
        props
    } else {
        format!("<w:rPr>{props}</w:rPr>")
    };
    const T: &str = r#"<w:t xml:space="preserve">"#;
    let text = escape(text)
        .replace('\n', &format!("</w:t><w:br />{T}"))
        .replace('\u{2011}', &format!("</w:t><w:noBreakHyphen />{T}"));
    format!("<w:r>{props}{T}{text}</w:t></w:r>")
}

/// The runs of `spans`.
fn runs(spans: &[Span]) -> String {
    spans
        .iter()
        .map(|s| {
            run(
                &s.text,
                Look {
                    bold: s.bold,
                    italic: s.italic,
                    hidden: false,
                },
            )
        })
        .collect()
}

/// A plain run.
fn plain(text: &str) -> String {
    run(text, Look::default())
}

/// A field computing `instruction`, showing `shown` until it is computed;
/// a `dirty` one is computed again by Word as it opens the document.
fn field(instruction: &str, shown: &str, dirty: bool) -> String {
    let char = |kind: &str, dirty: bool| {
        let dirty = if dirty { r#" w:dirty="true""# } else { "" };
        format!(r#"<w:r><w:fldChar w:fldCharType="{kind}"{dirty} /></w:r>"#)
    };
    format!(
        r#"{}<w:r><w:instrText xml:space="preserve">{}</w:instrText></w:r>{}{}{}"#,
        char("begin", dirty),
        escape(instruction),
        char("separate", false),
        plain(shown),
        char("end", false)
    )
}

/// A table filling `text_width`, its columns in proportion to `widths`:
/// the header row shaded, bold, kept with the first row below it and
/// repeated at the top of each page the table runs onto; no row split
/// across two pages. A cell made by [`crate::office::document::unseen`] is
/// hidden text.
fn table(header: &[String], rows: &[Vec<String>], widths: &[u32], text_width: u32) -> String {
    let total = u64::from(widths.iter().sum::<u32>().max(1));
    let grid: Vec<u64> = widths
        .iter()
        .map(|w| u64::from(*w) * u64::from(text_width) / total)
        .collect();
    let cell = |text: &str, width: u64, head: bool| {
        let content = match unseen_text(text) {
            Some(kept) => run(
                kept,
                Look {
                    hidden: true,
                    ..Look::default()
                },
            ),
            None => run(
                text,
                Look {
                    bold: head,
                    ..Look::default()
                },
            ),
        };
        let shading = if head {
            format!(r#"<w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}" />"#)
        } else {
            String::new()
        };
        let props = Props {
            style: Some("TableText"),
            keep_next: head,
            ..Props::default()
        };
        format!(
            r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa" />{shading}</w:tcPr>{}</w:tc>"#,
            paragraph(&props, &content)
        )
    };
    let row = |cells: &[String], head: bool| {
        let repeated = if head { "<w:tblHeader />" } else { "" };
        let cells: String = cells
            .iter()
            .zip(&grid)
            .map(|(t, w)| cell(t, *w, head))
            .collect();
        format!("<w:tr><w:trPr>{repeated}<w:cantSplit /></w:trPr>{cells}</w:tr>")
    };
    let border = |side: &str| {
        format!(r#"<w:{side} w:val="single" w:sz="2" w:space="0" w:color="000000" />"#)
    };
    let borders: String = ["top", "left", "bottom", "right", "insideH", "insideV"]
        .iter()
        .map(|s| border(s))
        .collect();
    let columns: String = grid
        .iter()
        .map(|w| format!(r#"<w:gridCol w:w="{w}" />"#))
        .collect();
    let mut xml = format!(
        concat!(
            r#"<w:tbl><w:tblPr><w:tblW w:w="{}" w:type="dxa" /><w:jc w:val="left" />"#,
            "<w:tblBorders>{}</w:tblBorders></w:tblPr><w:tblGrid>{}</w:tblGrid>{}"
        ),
        text_width,
        borders,
        columns,
        row(header, true)
    );
    for r in rows {
        xml.push_str(&row(r, false));
    }
    xml.push_str("</w:tbl>");
    xml
}

/// The table of contents: one line per heading, a link to its bookmark, a
/// dotted tab and the heading's page as a `PAGEREF` field, which
/// LibreOffice computes as it lays the pages out and Word updates on
/// opening (the field is marked dirty) or with F9 (a `TOC` field would
/// print its stale cached text in LibreOffice).
fn contents(entries: &[(u8, String, String)], text_width: u32) -> String {
    entries
        .iter()
        .map(|(level, text, anchor)| {
            let props = Props {
                dotted_tab: Some(text_width),
                indent: (*level > 1).then_some((CONTENTS_INDENT, 0)),
                ..Props::default()
            };
            let anchor = escape(anchor);
            let link = format!(
                r#"<w:hyperlink w:anchor="{anchor}" w:history="1">{}<w:r><w:tab /></w:r>{}</w:hyperlink>"#,
                plain(text),
                field(&format!(r"PAGEREF {anchor} \h"), "", true)
            );
            paragraph(&props, &link)
        })
        .collect()
}

/// A centred paragraph holding `image` at its printed size, the `n`th
/// picture of the document, its caption as its description; kept with the
/// caption below it.
fn image(image: &Image, n: usize) -> String {
    let (w, h) = image.pixels;
    let cx = u64::from(image.width_mm) * EMU_PER_MM;
    let cy = cx * u64::from(h) / u64::from(w.max(1));
    let (id, _) = picture(n);
    let drawing = format!(
        concat!(
            r#"<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">"#,
            r#"<wp:extent cx="{cx}" cy="{cy}" /><wp:effectExtent l="0" t="0" r="0" b="0" />"#,
            r#"<wp:docPr id="{n}" name="Image {n}" descr="{descr}" />"#,
            r#"<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="{a}" noChangeAspect="1" /></wp:cNvGraphicFramePr>"#,
            r#"<a:graphic xmlns:a="{a}"><a:graphicData uri="{pic}"><pic:pic xmlns:pic="{pic}">"#,
            r#"<pic:nvPicPr><pic:cNvPr id="{n}" name="image{n}.png" /><pic:cNvPicPr /></pic:nvPicPr>"#,
            r#"<pic:blipFill><a:blip r:embed="{id}" /><a:stretch><a:fillRect /></a:stretch></pic:blipFill>"#,
            r#"<pic:spPr><a:xfrm><a:off x="0" y="0" /><a:ext cx="{cx}" cy="{cy}" /></a:xfrm>"#,
            r#"<a:prstGeom prst="rect"><a:avLst /></a:prstGeom></pic:spPr>"#,
            "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
        ),
        cx = cx,
        cy = cy,
        n = n,
        descr = escape(&image.caption),
        id = id,
        a = "http://schemas.openxmlformats.org/drawingml/2006/main",
        pic = "http://schemas.openxmlformats.org/drawingml/2006/picture",
    );
    let props = Props {
        keep_next: true,
        align: Some("center"),
        ..Props::default()
    };
    paragraph(&props, &drawing)
}

/// The main part of a document and the pictures it shows.
pub struct Body<'a> {
    /// `word/document.xml`.
    pub xml: String,
    /// The PNG pictures, in order: the `n`th is [`picture`]`(n)`.
    pub pictures: Vec<&'a [u8]>,
    /// Whether the body has page numbers as fields (a contents list).
    pub fields: bool,
}

/// The page's width and height, and the width of the text between the
/// margins.
fn page(doc: &Document) -> (u32, u32, u32) {
    let (width, height) = if doc.landscape { (A4.1, A4.0) } else { A4 };
    (width, height, width - 2 * MARGIN)
}

/// The main part of `doc`, its text already typeset.
pub fn document(doc: &Document) -> Body<'_> {
    let (width, height, text_width) = page(doc);
    let mut body = Body {
        xml: String::new(),
        pictures: Vec::new(),
        fields: false,
    };
    let mut xml = String::new();
    let mut bookmark = 0;
    let style = |s| Props {
        style: Some(s),
        ..Props::default()
    };
    for block in &doc.blocks {
        match block {
            Block::Title(t) => xml.push_str(&paragraph(&style("Title"), &plain(t))),
            Block::Heading {
                level,
                text,
                anchor,
            } => {
                let props = Props {
                    style: Some(
                        ["Heading1", "Heading2", "Heading3"][usize::from(*level.clamp(&1, &3)) - 1],
                    ),
                    keep_next: true,
                    ..Props::default()
                };
                let content = match anchor {
                    Some(a) => {
                        bookmark += 1;
                        format!(
                            r#"<w:bookmarkStart w:id="{bookmark}" w:name="{}" />{}<w:bookmarkEnd w:id="{bookmark}" />"#,
                            escape(a),
                            plain(text)
                        )
                    }
                    None => plain(text),
                };
                xml.push_str(&paragraph(&props, &content));
            }
            Block::Paragraph(spans) => xml.push_str(&paragraph(&Props::default(), &runs(spans))),
            Block::KeptWithNext(spans) => {
                let props = Props {
                    keep_next: true,
                    ..Props::default()
                };
                xml.push_str(&paragraph(&props, &runs(spans)));
            }
            Block::Aside(spans) => {
                let props = Props {
                    indent: Some((text_width / 2, 0)),
                    ..Props::default()
                };
                xml.push_str(&paragraph(&props, &runs(spans)));
            }
            Block::Note(t) => xml.push_str(&paragraph(&style("Note"), &plain(t))),
            Block::Bullets(items) => {
                let props = Props {
                    indent: Some((BULLET_INDENT, BULLET_INDENT)),
                    ..Props::default()
                };
                for spans in items {
                    let content = plain("•\u{a0}") + &runs(spans);
                    xml.push_str(&paragraph(&props, &content));
                }
            }
            Block::Table {
                header,
                rows,
                widths,
            } => {
                xml.push_str(&table(header, rows, widths, text_width));
                xml.push_str("<w:p />");
            }
            Block::Contents(entries) => {
                body.fields |= !entries.is_empty();
                xml.push_str(&contents(entries, text_width));
            }
            Block::Image(i) => {
                body.pictures.push(&i.png);
                xml.push_str(&image(i, body.pictures.len()));
                let caption = run(
                    &i.caption,
                    Look {
                        italic: true,
                        ..Look::default()
                    },
                );
                xml.push_str(&paragraph(&style("Note"), &caption));
            }
            Block::PageBreak => xml.push_str(r#"<w:p><w:r><w:br w:type="page" /></w:r></w:p>"#),
        }
    }
    let orient = if doc.landscape {
        r#" w:orient="landscape""#
    } else {
        ""
    };
    body.xml = format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<w:document xmlns:w="{w}" xmlns:r="{r}" "#,
            r#"xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">"#,
            "<w:body>{xml}<w:sectPr>",
            r#"<w:headerReference w:type="default" r:id="rIdHeader1" />"#,
            r#"<w:footerReference w:type="default" r:id="rIdFooter1" />"#,
            r#"<w:pgSz w:w="{width}" w:h="{height}"{orient} />"#,
            r#"<w:pgMar w:top="{m}" w:right="{m}" w:bottom="{m}" w:left="{m}" w:header="{hm}" w:footer="{hm}" w:gutter="0" />"#,
            "</w:sectPr></w:body></w:document>"
        ),
        w = W,
        r = R,
        xml = xml,
        width = width,
        height = height,
        orient = orient,
        m = MARGIN,
        hm = HEADER_MARGIN,
    );
    body
}

/// `word/header1.xml`: `text` (the document's name) in small grey letters.
pub fn header(text: &str) -> String {
    let props = Props {
        style: Some("Note"),
        ..Props::default()
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr xmlns:w="{W}" xmlns:r="{R}">{}</w:hdr>"#,
        paragraph(&props, &plain(text))
    )
}

/// `word/footer1.xml`: « Page N / M » on the right, N and M as the `PAGE`
/// and `NUMPAGES` fields.
pub fn footer() -> String {
    let props = Props {
        style: Some("Note"),
        align: Some("right"),
        ..Props::default()
    };
    let content = [
        plain("Page "),
        field("PAGE", "1", false),
        plain(" / "),
        field("NUMPAGES", "1", false),
    ]
    .concat();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:ftr xmlns:w="{W}" xmlns:r="{R}">{}</w:ftr>"#,
        paragraph(&props, &content)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_keeps_its_lines_and_no_break_hyphens_and_escapes_markup() {
        let xml = run("L. 2152\u{2011}1 <b>\u{1}\nfin", Look::default());
        assert_eq!(
            xml,
            concat!(
                r#"<w:r><w:t xml:space="preserve">L. 2152</w:t><w:noBreakHyphen />"#,
                r#"<w:t xml:space="preserve">1 &lt;b&gt;</w:t><w:br /><w:t xml:space="preserve">fin</w:t></w:r>"#
            )
        );
        let hidden = Look {
            bold: true,
            hidden: true,
            ..Look::default()
        };
        assert!(run("x", hidden).starts_with("<w:r><w:rPr><w:b /><w:bCs /><w:vanish /></w:rPr>"));
    }

    #[test]
    fn the_header_row_is_shaded_kept_with_the_next_and_repeated_on_each_page() {
        let header = vec!["ID".to_string(), "Réponse".to_string()];
        let rows = vec![
            vec![crate::office::document::unseen("TRA-01"), "Oui".into()],
            vec!["TRA-02".into(), "Non".into()],
        ];
        let xml = table(&header, &rows, &[1, 3], 9638);
        assert_eq!(xml.matches("<w:tblHeader />").count(), 1);
        assert!(xml.contains("<w:tr><w:trPr><w:tblHeader /><w:cantSplit /></w:trPr>"));
        assert_eq!(xml.matches("<w:cantSplit />").count(), 3, "no row splits");
        assert_eq!(xml.matches(r#"w:fill="D9E2F3""#).count(), 2);
        assert_eq!(xml.matches("<w:keepNext />").count(), 2);
        assert!(xml.contains(r#"<w:gridCol w:w="2409" /><w:gridCol w:w="7228" />"#));
        assert!(xml.contains(r#"<w:rPr><w:vanish /></w:rPr><w:t xml:space="preserve">TRA-01<"#));
    }

    #[test]
    fn every_block_gives_a_well_formed_main_part() {
        let doc = Document {
            landscape: true,
            blocks: vec![
                Block::Title("Titre".into()),
                Block::Contents(vec![(1, "Partie & suite".into(), "partie".into())]),
                Block::Heading {
                    level: 1,
                    text: "Partie & suite".into(),
                    anchor: Some("partie".into()),
                },
                Block::Bullets(vec![vec![Span::plain("un")]]),
                Block::Aside(vec![Span::bold("Signé")]),
                Block::Image(Image {
                    png: vec![1, 2, 3],
                    pixels: (200, 100),
                    width_mm: 100,
                    caption: "Figure « 1 »".into(),
                }),
                Block::PageBreak,
            ],
            ..Document::default()
        };
        let body = document(&doc);
        let mut reader = quick_xml::Reader::from_str(&body.xml);
        let mut depth = 0_i32;
        loop {
            match reader.read_event().expect("well-formed") {
                quick_xml::events::Event::Start(_) => depth += 1,
                quick_xml::events::Event::End(_) => depth -= 1,
                quick_xml::events::Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(depth, 0);
        assert!(body.fields && body.pictures.len() == 1);
        assert!(
            body.xml
                .contains(r#"<w:pgSz w:w="16838" w:h="11906" w:orient="landscape" />"#)
        );
        assert!(
            body.xml
                .contains(r#"<w:bookmarkStart w:id="1" w:name="partie" />"#)
        );
        assert!(
            body.xml
                .contains(r#"<w:hyperlink w:anchor="partie" w:history="1">"#)
        );
        assert!(
            body.xml
                .contains(r#"<w:fldChar w:fldCharType="begin" w:dirty="true" />"#)
        );
        assert!(
            body.xml
                .contains(r#"<w:instrText xml:space="preserve">PAGEREF partie \h</w:instrText>"#)
        );
        assert!(
            body.xml
                .contains(r#"<wp:extent cx="3600000" cy="1800000" />"#)
        );
        assert!(
            body.xml
                .contains(r#"<w:ind w:left="284" w:hanging="284" />"#)
        );
        assert!(body.xml.contains(r#"<w:ind w:left="7285" />"#));
        assert!(footer().contains("<w:instrText xml:space=\"preserve\">NUMPAGES</w:instrText>"));
    }
}
