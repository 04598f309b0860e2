//! Rendering a [`Document`] as Markdown, with the same content as the DOCX,
//! except pictures: a Markdown file stands alone, so each picture is left
//! out and only its caption is printed, in italics.

use std::fmt::Write as _;

use super::document::{Block, Document, Span};
use crate::text;

fn spans(items: &[Span]) -> String {
    items
        .iter()
        .map(|s| {
            let t = escape(&s.text).replace('\n', "  \n");
            let marker = match (s.bold, s.italic) {
                (true, true) => "***",
                (true, false) => "**",
                (false, true) => "*",
                (false, false) => return t,
            };
            // Emphasis may not start or end with a space in Markdown: keep spaces outside.
            let inner = t.trim();
            if inner.is_empty() {
                return t;
            }
            let lead = &t[..t.len() - t.trim_start().len()];
            let trail = &t[t.trim_end().len()..];
            format!("{lead}{marker}{inner}{marker}{trail}")
        })
        .collect()
}

/// Text as Markdown shows it literally: emphasis, code, HTML and entity
/// markers escaped, no `[text](target)` can become a link or an image nor
/// `[text]: target` a link's definition, no line can start a heading, a
/// rule, a list, a quote or a fence, and control and bidirectional
/// characters are shown escaped as on the terminal ([`text::terminal`]).
/// Line breaks are kept. Every Markdown writer escapes text from outside
/// (a vendor's, a reviewer's) with it.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut previous = None;
        let mut line_start = true;
        for c in text::terminal(line).chars() {
            let special = matches!(c, '*' | '`' | '<' | '>' | '\\' | '&')
                || (matches!(c, '(' | ':') && previous == Some(']'))
                || (line_start && matches!(c, '#' | '=' | '-' | '+' | '~'));
            if special {
                out.push('\\');
            }
            out.push(c);
            line_start &= c == ' ';
            previous = Some(c);
        }
    }
    out
}

fn cell(s: &str) -> String {
    if super::document::unseen_text(s).is_some() {
        return String::new();
    }
    escape(s).replace('|', "\\|").replace('\n', "<br>")
}

/// Renders `doc` as Markdown.
pub fn render(doc: &Document) -> String {
    let mut o = String::new();
    // Provenance (versions, hashes) for tools, out of the reader's sight,
    // as a Word document keeps it in its properties.
    if !doc.custom.is_empty() {
        o.push_str("<!--\n");
        for (key, value) in &doc.custom {
            let _ = writeln!(o, "{key}: {}", value.replace("--", "- -"));
        }
        o.push_str("-->\n\n");
    }
    for block in &doc.blocks {
        match block {
            Block::Title(t) => {
                let _ = writeln!(o, "# {}\n", escape(t));
            }
            Block::Heading {
                level,
                text,
                anchor,
            } => {
                if let Some(a) = anchor {
                    let _ = writeln!(o, "<a id=\"{a}\"></a>");
                }
                let _ = writeln!(o, "{} {}\n", "#".repeat(*level as usize + 1), escape(text));
            }
            Block::Paragraph(s) | Block::KeptWithNext(s) | Block::Aside(s) => {
                let _ = writeln!(o, "{}\n", spans(s));
            }
            Block::Note(t) => {
                let _ = writeln!(o, "*{}*\n", escape(t));
            }
            Block::Bullets(items) => {
                for s in items {
                    let _ = writeln!(o, "- {}", spans(s));
                }
                o.push('\n');
            }
            Block::Table { header, rows, .. } => {
                let _ = writeln!(
                    o,
                    "| {} |",
                    header
                        .iter()
                        .map(|h| cell(h))
                        .collect::<Vec<_>>()
                        .join(" | ")
                );
                let _ = writeln!(o, "|{}", "---|".repeat(header.len()));
                for r in rows {
                    let _ = writeln!(
                        o,
                        "| {} |",
                        r.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
                    );
                }
                o.push('\n');
            }
            Block::Contents(entries) => {
                for (level, text, anchor) in entries {
                    let indent = "  ".repeat(level.saturating_sub(1) as usize);
                    let _ = writeln!(o, "{indent}- [{}](#{anchor})", escape(text));
                }
                o.push('\n');
            }
            // A Markdown file cannot hold a picture: its caption stands for it.
            Block::Image(image) => {
                let _ = writeln!(o, "*{}*\n", escape(&image.caption));
            }
            Block::PageBreak => o.push_str("---\n\n"),
        }
    }
    // Plain text: an identifier is searched for with the hyphen a keyboard types.
    o.replace('\u{2011}', "-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendor_text_stays_literal() {
        assert_eq!(
            escape("[clic](http://x) ![i](y) *gras*"),
            "[clic]\\(http://x) ![i]\\(y) \\*gras\\*"
        );
        assert_eq!(escape("[BIO-C01] seul"), "[BIO-C01] seul");
        assert_eq!(
            escape("# Titre\n<img src=x> &#x202E; [a]: http://x\n---\u{1b}[2K"),
            "\\# Titre\n\\<img src=x\\> \\&#x202E; [a]\\: http://x\n\\---\\\\u{1b}[2K"
        );
    }
}
