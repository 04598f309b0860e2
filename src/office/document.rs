//! A document as a list of blocks, independent of its final format.

use crate::date::Date;
use crate::text::Lang;

/// A document to render.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// Title (document properties and first heading).
    pub title: String,
    /// Subject (document properties).
    pub subject: String,
    /// Author (document properties).
    pub author: String,
    /// Keywords (document properties).
    pub keywords: String,
    /// A short description (document properties).
    pub description: String,
    /// Creation date (from the inputs, never the clock).
    pub date: Option<Date>,
    /// Language of the text.
    pub lang: Lang,
    /// Text of the page header.
    pub header: String,
    /// Landscape pages (wide tables).
    pub landscape: bool,
    /// Custom document properties, name and value.
    pub custom: Vec<(String, String)>,
    /// The content.
    pub blocks: Vec<Block>,
}

/// Marks a table cell made by [`unseen`].
const UNSEEN: char = '\u{e000}';

/// A table cell whose text is kept in the file for the program that reads
/// it back (a row id) but not shown to the reader: hidden text in Word,
/// left out of Markdown.
pub fn unseen(text: &str) -> String {
    format!("{UNSEEN}{text}")
}

/// The text of a cell made by [`unseen`], if it is one.
pub fn unseen_text(cell: &str) -> Option<&str> {
    cell.strip_prefix(UNSEEN)
}

/// A piece of text with its emphasis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// The text.
    pub text: String,
    /// Bold.
    pub bold: bool,
    /// Italic.
    pub italic: bool,
}

impl Span {
    /// Plain text.
    pub fn plain(text: impl Into<String>) -> Span {
        Span {
            text: text.into(),
            bold: false,
            italic: false,
        }
    }
    /// Bold text.
    pub fn bold(text: impl Into<String>) -> Span {
        Span {
            text: text.into(),
            bold: true,
            italic: false,
        }
    }
    /// Italic text.
    pub fn italic(text: impl Into<String>) -> Span {
        Span {
            text: text.into(),
            bold: false,
            italic: true,
        }
    }
}

/// One block of content.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// The cover's big title.
    Title(String),
    /// A heading, level 1 to 3, with an anchor other blocks may link to.
    Heading {
        /// 1 to 3.
        level: u8,
        /// The heading text.
        text: String,
        /// Bookmark name.
        anchor: Option<String>,
    },
    /// A paragraph.
    Paragraph(Vec<Span>),
    /// A paragraph kept on the same page as the block after it (the last
    /// lines of a finding and its decision box).
    KeptWithNext(Vec<Span>),
    /// A paragraph set in the right half of the page: a letter's addressee,
    /// its place and date, its signature.
    Aside(Vec<Span>),
    /// A small note (smaller, grey).
    Note(String),
    /// A bulleted list.
    Bullets(Vec<Vec<Span>>),
    /// A table: header row, rows, and relative column widths.
    Table {
        /// Header cells.
        header: Vec<String>,
        /// Body rows.
        rows: Vec<Vec<String>>,
        /// Relative widths of the columns.
        widths: Vec<u32>,
    },
    /// A table of contents: level, text and anchor of each entry.
    Contents(Vec<(u8, String, String)>),
    /// A picture (PNG), with a caption printed below it.
    Image(Image),
    /// Start a new page.
    PageBreak,
}

/// A PNG picture and how large it prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// The PNG bytes.
    pub png: Vec<u8>,
    /// Width and height of the picture, in pixels.
    pub pixels: (u32, u32),
    /// Printed width, in millimetres (the height keeps the proportions).
    pub width_mm: u32,
    /// The caption, which also stands for the picture where pictures cannot go (Markdown).
    pub caption: String,
}

impl Document {
    /// Adds a block.
    pub fn push(&mut self, b: Block) {
        self.blocks.push(b);
    }

    /// Adds a heading with an anchor.
    pub fn heading(&mut self, level: u8, text: impl Into<String>, anchor: impl Into<String>) {
        self.blocks.push(Block::Heading {
            level,
            text: text.into(),
            anchor: Some(anchor.into()),
        });
    }

    /// Adds a plain paragraph.
    pub fn para(&mut self, text: impl Into<String>) {
        self.blocks.push(Block::Paragraph(vec![Span::plain(text)]));
    }

    /// Adds a paragraph made of spans.
    pub fn spans(&mut self, spans: Vec<Span>) {
        self.blocks.push(Block::Paragraph(spans));
    }

    /// The contents of the document: its level 1 and 2 headings with anchors.
    pub fn contents(&self) -> Vec<(u8, String, String)> {
        self.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading {
                    level,
                    text,
                    anchor: Some(a),
                } if *level <= 2 => Some((*level, text.clone(), a.clone())),
                _ => None,
            })
            .collect()
    }
}
