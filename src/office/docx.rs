//! Rendering a [`Document`] as a Word file with docx-rs.
//!
//! Real Word structure: heading styles named `heading N`, bookmarks on
//! headings and a table of contents whose entries link to their heading
//! with its page number as a `PAGEREF` field (LibreOffice and Word both
//! compute it; a `TOC` field would print its stale cached text in
//! LibreOffice), a header naming the
//! consultation and the document and a page-number footer, tables with a
//! shaded header row, PNG pictures inline with their caption below. Every
//! run of a French document goes through [`typography::apply`]; the
//! package carries one `Normal` style, the document's language and a font
//! Windows substitutes (see [`super::package`]). Output is deterministic
//! across runs of the program.

use docx_rs::{
    AlignmentType, BreakType, Docx, FieldCharType, Footer, Header, Hyperlink, HyperlinkType,
    InstrPAGEREF, InstrText, LineSpacing, NumPages, PageMargin, PageNum, Paragraph, Pic, Run,
    RunFonts, Shading, ShdType, Style, StyleType, Tab, TabLeaderType, TabValueType, Table,
    TableCell, TableRow, WidthType,
};

use super::document::{Block, Document, Image, Span, unseen_text};
use super::{package, typography};
use crate::Error;

/// A4 width and height, in twentieths of a point.
const A4: (u32, u32) = (11906, 16838);
/// Page margins: 2 cm.
const MARGIN: u32 = 1134;
use super::wordml::FONT;
const ACCENT: &str = "1F3864";

/// Characters XML 1.0 forbids, which docx-rs would write as they are.
fn clean(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}'))
        .collect()
}

/// A run of text; line breaks in `text` become Word line breaks.
fn run(span: &Span) -> Run {
    let mut r = Run::new();
    for (i, line) in clean(&span.text).split('\n').enumerate() {
        if i > 0 {
            r = r.add_break(BreakType::TextWrapping);
        }
        r = r.add_text(line);
    }
    if span.bold {
        r = r.bold();
    }
    if span.italic {
        r = r.italic();
    }
    r
}

fn paragraph(spans: &[Span]) -> Paragraph {
    spans
        .iter()
        .fold(Paragraph::new(), |p, s| p.add_run(run(s)))
}

fn styles(docx: Docx) -> Docx {
    let heading = |level: usize, size: usize| {
        let before = [0, 360, 240, 180][level.min(3)];
        Style::new(format!("Heading{level}"), StyleType::Paragraph)
            .line_spacing(LineSpacing::new().before(before).after(120))
            .name(format!("heading {level}"))
            .based_on("Normal")
            .next("Normal")
            .bold()
            .size(size)
            .color(ACCENT)
            .outline_lvl(level - 1)
    };
    docx.add_style(
        Style::new("Normal", StyleType::Paragraph)
            .name("Normal")
            .size(21)
            .line_spacing(LineSpacing::new().after(120)),
    )
    .add_style(heading(1, 32))
    .add_style(heading(2, 26))
    .add_style(heading(3, 22))
    .add_style(
        Style::new("Title", StyleType::Paragraph)
            .name("Title")
            .bold()
            .size(44)
            .color(ACCENT),
    )
    .add_style(
        Style::new("Note", StyleType::Paragraph)
            .name("Note")
            .based_on("Normal")
            .size(17)
            .color("595959"),
    )
    .add_style(
        Style::new("TableText", StyleType::Paragraph)
            .name("Table Text")
            .based_on("Normal")
            .size(18)
            .line_spacing(LineSpacing::new().before(20).after(20)),
    )
}

fn table(header: &[String], rows: &[Vec<String>], widths: &[u32], text_width: u32) -> Table {
    let total: u32 = widths.iter().sum::<u32>().max(1);
    let grid: Vec<usize> = widths
        .iter()
        .map(|w| (w * text_width / total) as usize)
        .collect();
    let cell = |text: &str, width: usize, head: bool| {
        let p = match unseen_text(text) {
            Some(kept) => Paragraph::new().add_run(run(&Span::plain(kept)).vanish()),
            None if head => paragraph(&[Span::bold(text)]),
            None => paragraph(&[Span::plain(text)]),
        };
        // The header row stays on the page of the first row below it.
        let c = TableCell::new()
            .width(width, WidthType::Dxa)
            .add_paragraph(p.style("TableText").keep_next(head));
        if head {
            c.shading(Shading::new().shd_type(ShdType::Clear).fill("D9E2F3"))
        } else {
            c
        }
    };
    let mut out = vec![
        TableRow::new(
            header
                .iter()
                .zip(&grid)
                .map(|(h, w)| cell(h, *w, true))
                .collect(),
        )
        .cant_split(),
    ];
    for r in rows {
        out.push(
            TableRow::new(
                r.iter()
                    .zip(&grid)
                    .map(|(t, w)| cell(t, *w, false))
                    .collect(),
            )
            .cant_split(),
        );
    }
    Table::new(out)
        .set_grid(grid)
        .width(text_width as usize, WidthType::Dxa)
}

/// EMUs (English Metric Units) in a millimetre.
const EMU_PER_MM: u64 = 36_000;

/// A centred paragraph holding `image` at its printed size.
fn picture(image: &Image) -> Paragraph {
    let (w, h) = image.pixels;
    let width = u64::from(image.width_mm) * EMU_PER_MM;
    let height = width * u64::from(h) / u64::from(w.max(1));
    let pic = Pic::new_with_dimensions(image.png.clone(), w, h).size(
        u32::try_from(width).unwrap_or(u32::MAX),
        u32::try_from(height).unwrap_or(u32::MAX),
    );
    Paragraph::new()
        .align(AlignmentType::Center)
        .add_run(Run::new().add_image(pic))
}

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

/// The table of contents: one line per heading, a link to it, a dotted tab
/// and the heading's page as a `PAGEREF` field, which LibreOffice computes
/// as it lays the pages out and Word updates on opening (the field is
/// marked dirty) or with F9.
fn contents(docx: Docx, entries: &[(u8, String, String)], text_width: u32) -> Docx {
    let field = |t: FieldCharType, dirty: bool| Run::new().add_field_char(t, dirty);
    entries.iter().fold(docx, |d, (level, text, anchor)| {
        let indent = if *level > 1 { 426 } else { 0 };
        let link = Hyperlink::new(clean(anchor), HyperlinkType::Anchor)
            .add_run(run(&Span::plain(text)))
            .add_run(Run::new().add_tab())
            .add_run(field(FieldCharType::Begin, true))
            .add_run(Run::new().add_instr_text(InstrText::PAGEREF(
                InstrPAGEREF::new(clean(anchor)).hyperlink(),
            )))
            .add_run(field(FieldCharType::Separate, false))
            .add_run(Run::new().add_text(""))
            .add_run(field(FieldCharType::End, false));
        d.add_paragraph(
            Paragraph::new()
                .indent(Some(indent), None, None, None)
                .add_tab(
                    Tab::new()
                        .val(TabValueType::Right)
                        .leader(TabLeaderType::Dot)
                        .pos(text_width as usize),
                )
                .add_hyperlink(link),
        )
    })
}

/// Renders `doc` as DOCX bytes.
pub fn render(doc: &Document) -> Result<Vec<u8>, Error> {
    let doc = &typeset(doc);
    let page = Paragraph::new()
        .align(AlignmentType::Right)
        .add_run(Run::new().add_text("Page "))
        .add_page_num(PageNum::new())
        .add_run(Run::new().add_text(" / "))
        .add_num_pages(NumPages::new())
        .style("Note");
    let (width, height) = if doc.landscape { (A4.1, A4.0) } else { A4 };
    let text_width = width - 2 * MARGIN;
    let mut docx = styles(Docx::new())
        .default_fonts(RunFonts::new().ascii(FONT).hi_ansi(FONT).cs(FONT))
        .page_size(width, height)
        .page_margin(
            PageMargin::new()
                .top(MARGIN as i32)
                .bottom(MARGIN as i32)
                .left(MARGIN as i32)
                .right(MARGIN as i32)
                .header(567)
                .footer(567),
        )
        .header(Header::new().add_paragraph(paragraph(&[Span::plain(&doc.header)]).style("Note")))
        .footer(Footer::new().add_paragraph(page));
    if doc.landscape {
        docx = docx.page_orient(docx_rs::PageOrientationType::Landscape);
    }
    for (name, value) in &doc.custom {
        docx = docx.custom_property(clean(name), clean(value));
    }
    let mut bookmark = 0;
    for block in &doc.blocks {
        docx = match block {
            Block::Title(t) => docx.add_paragraph(paragraph(&[Span::plain(t)]).style("Title")),
            Block::Heading {
                level,
                text,
                anchor,
            } => {
                let mut p = Paragraph::new()
                    .style(&format!("Heading{}", level.clamp(&1, &3)))
                    .keep_next(true);
                if let Some(a) = anchor {
                    bookmark += 1;
                    p = p
                        .add_bookmark_start(bookmark, clean(a))
                        .add_run(run(&Span::plain(text)))
                        .add_bookmark_end(bookmark);
                } else {
                    p = p.add_run(run(&Span::plain(text)));
                }
                docx.add_paragraph(p)
            }
            Block::Paragraph(spans) => docx.add_paragraph(paragraph(spans)),
            Block::KeptWithNext(spans) => docx.add_paragraph(paragraph(spans).keep_next(true)),
            Block::Aside(spans) => docx.add_paragraph(paragraph(spans).indent(
                Some((text_width / 2) as i32),
                None,
                None,
                None,
            )),
            Block::Note(t) => docx.add_paragraph(paragraph(&[Span::plain(t)]).style("Note")),
            Block::Bullets(items) => items.iter().fold(docx, |d, spans| {
                let mut all = vec![Span::plain("•\u{a0}")];
                all.extend(spans.iter().cloned());
                d.add_paragraph(paragraph(&all).indent(
                    Some(284),
                    Some(docx_rs::SpecialIndentType::Hanging(284)),
                    None,
                    None,
                ))
            }),
            Block::Table {
                header,
                rows,
                widths,
            } => docx
                .add_table(table(header, rows, widths, text_width))
                .add_paragraph(Paragraph::new()),
            Block::Contents(entries) => contents(docx, entries, text_width),
            Block::Image(image) => docx
                .add_paragraph(picture(image).keep_next(true))
                .add_paragraph(paragraph(&[Span::italic(&image.caption)]).style("Note")),
            Block::PageBreak => {
                docx.add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)))
            }
        };
    }
    let mut raw = std::io::Cursor::new(Vec::new());
    docx.build().pack(&mut raw).map_err(|e| Error::Render {
        what: doc.title.clone(),
        message: e.to_string(),
    })?;
    package::finish(raw.into_inner(), &package::Properties::of(doc))
}
