//! Rendering a [`Document`] as Markdown, with the same content as the DOCX,
//! except pictures: a Markdown file stands alone, so each picture is left
//! out and only its caption is printed, in italics.

use std::fmt::Write as _;

use super::document::{Block, Document, Span};

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

/// Text as Markdown shows it literally: emphasis, code and HTML markers
/// escaped, and no `[text](target)` can become a link or an image.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut previous = None;
    for c in s.chars() {
        if matches!(c, '*' | '`' | '<' | '>' | '\\') || (c == '(' && previous == Some(']')) {
            out.push('\\');
        }
        out.push(c);
        previous = Some(c);
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
    }
}
