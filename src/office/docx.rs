//! Rendering a [`Document`] as a Word file, written part by part.
//!
//! Real Word structure: heading styles named `heading N` with their
//! outline levels, bookmarks on headings and a table of contents whose
//! entries link to their heading with its page number as a `PAGEREF` field,
//! a header naming the consultation and the document and a « Page N / M »
//! footer, tables with a shaded header row repeated on each page, PNG
//! pictures inline with their caption below (`body`); one style sheet with
//! the document's language and a body font Windows substitutes, settings,
//! document properties and relationships (`parts`). Every run of a French
//! document goes through [`typography::apply`]. Output is deterministic
//! across runs of the program: parts in a fixed order, deflated, dated
//! 1980-01-01.

mod body;
mod parts;
mod xml;

use std::io::{Cursor, Write};

use zip::ZipWriter;

use super::document::{Block, Document, Image, Span};
use super::{package, typography};
use crate::Error;

/// `doc` with [`typography::apply`] on every text a reader sees.
fn typeset(doc: &Document) -> Document {
    let lang = doc.lang;
    let t = |s: &String| typography::apply(s, lang);
    let spans = |v: &Vec<Span>| {
        v.iter()
            .map(|s| Span {
                text: t(&s.text),
                ..s.clone()
            })
            .collect::<Vec<_>>()
    };
    let blocks = doc
        .blocks
        .iter()
        .map(|b| match b {
            Block::Title(x) => Block::Title(t(x)),
            Block::Heading {
                level,
                text,
                anchor,
            } => Block::Heading {
                level: *level,
                text: t(text),
                anchor: anchor.clone(),
            },
            Block::Paragraph(v) => Block::Paragraph(spans(v)),
            Block::KeptWithNext(v) => Block::KeptWithNext(spans(v)),
            Block::Aside(v) => Block::Aside(spans(v)),
            Block::Note(x) => Block::Note(t(x)),
            Block::Bullets(items) => Block::Bullets(items.iter().map(spans).collect()),
            Block::Table {
                header,
                rows,
                widths,
            } => Block::Table {
                header: header.iter().map(t).collect(),
                rows: rows.iter().map(|r| r.iter().map(t).collect()).collect(),
                widths: widths.clone(),
            },
            Block::Contents(entries) => Block::Contents(
                entries
                    .iter()
                    .map(|(l, x, a)| (*l, t(x), a.clone()))
                    .collect(),
            ),
            Block::Image(i) => Block::Image(Image {
                caption: t(&i.caption),
                ..i.clone()
            }),
            Block::PageBreak => Block::PageBreak,
        })
        .collect();
    Document {
        header: t(&doc.header),
        blocks,
        ..doc.clone()
    }
}

/// Renders `doc` as DOCX bytes.
pub fn render(doc: &Document) -> Result<Vec<u8>, Error> {
    let doc = &typeset(doc);
    let body = body::document(doc);
    let written: Vec<(String, String)> = vec![
        ("[Content_Types].xml".into(), parts::content_types()),
        ("_rels/.rels".into(), parts::package_relationships()),
        ("docProps/core.xml".into(), parts::core(doc)),
        ("docProps/app.xml".into(), parts::app()),
        ("docProps/custom.xml".into(), parts::custom(doc)),
        ("word/document.xml".into(), body.xml),
        ("word/styles.xml".into(), parts::styles(doc.lang)),
        ("word/settings.xml".into(), parts::settings(body.fields)),
        ("word/fontTable.xml".into(), parts::font_table()),
        ("word/header1.xml".into(), body::header(&doc.header)),
        ("word/footer1.xml".into(), body::footer()),
        (
            "word/_rels/document.xml.rels".into(),
            parts::document_relationships(body.pictures.len()),
        ),
    ];
    let pictures = body.pictures.iter().enumerate().map(|(n, png)| {
        let (_, target) = parts::picture(n + 1);
        (format!("word/{target}"), *png)
    });
    let fail = |e: &dyn std::fmt::Display| Error::Render {
        what: doc.title.clone(),
        message: e.to_string(),
    };
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let written = written
        .iter()
        .map(|(name, xml)| (name.clone(), xml.as_bytes()));
    for (name, bytes) in written.chain(pictures) {
        zip.start_file(name, package::entry_options())
            .map_err(|e| fail(&e))?;
        zip.write_all(bytes).map_err(|e| fail(&e))?;
    }
    Ok(zip.finish().map_err(|e| fail(&e))?.into_inner())
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    /// The parts of a package, by name.
    fn parts(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        (0..zip.len())
            .map(|i| {
                let mut entry = zip.by_index(i).unwrap();
                let mut data = Vec::new();
                entry.read_to_end(&mut data).unwrap();
                (entry.name().unwrap().to_string(), data)
            })
            .collect()
    }

    #[test]
    fn a_package_word_opens_typed_linked_well_formed_and_the_same_each_time() {
        let doc = Document {
            title: "Annexe <IA>".into(),
            header: "2026-DN-017 — Annexe".into(),
            custom: vec![("boussole.version".into(), "1 & 2".into())],
            blocks: vec![
                Block::Paragraph(vec![Span::plain("Texte")]),
                Block::Image(Image {
                    png: vec![137, 80, 78, 71],
                    pixels: (10, 10),
                    width_mm: 50,
                    caption: "Figure".into(),
                }),
            ],
            ..Document::default()
        };
        let bytes = render(&doc).unwrap();
        assert_eq!(bytes, render(&doc).unwrap(), "deterministic");
        let parts = parts(&bytes);
        let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
        let text = |name: &str| {
            let (_, data) = parts.iter().find(|(n, _)| n == name).unwrap();
            String::from_utf8(data.clone()).unwrap()
        };
        let types = text("[Content_Types].xml");
        for name in &names {
            let typed = types.contains(&format!(r#"PartName="/{name}""#))
                || name.rsplit_once('.').is_some_and(|(_, ext)| {
                    types.contains(&format!(r#"<Default Extension="{ext}""#))
                });
            assert!(typed, "{name} has a content type");
        }
        let target = regex::Regex::new(r#"Target="([^"]+)""#).unwrap();
        for (rels, base) in [
            ("_rels/.rels", ""),
            ("word/_rels/document.xml.rels", "word/"),
        ] {
            for t in target.captures_iter(&text(rels)) {
                let part = format!("{base}{}", &t[1]);
                assert!(names.contains(&part.as_str()), "{rels} links to {part}");
            }
        }
        for (name, data) in &parts {
            if name.ends_with(".xml") || name.ends_with(".rels") {
                let xml = String::from_utf8(data.clone()).unwrap();
                let mut reader = quick_xml::Reader::from_str(&xml);
                loop {
                    match reader.read_event() {
                        Ok(quick_xml::events::Event::Eof) => break,
                        Ok(_) => {}
                        Err(e) => panic!("{name} is not well-formed: {e}"),
                    }
                }
            }
        }
        assert!(names.contains(&"word/media/image1.png"));
        assert!(text("docProps/core.xml").contains("<dc:title>Annexe &lt;IA&gt;</dc:title>"));
        assert!(text("docProps/custom.xml").contains("<vt:lpwstr>1 &amp; 2</vt:lpwstr>"));
    }
}
