//! What docx-rs leaves out of a Word package, written in by
//! [`super::package::finish`]: one `Normal` style (docx-rs writes its own
//! before ours), the document's language for spelling and hyphenation, the
//! body font declared with a font every Windows machine has
//! (Liberation Sans is metric-compatible with Arial), and paragraph
//! properties in the schema's order.

use crate::text::Lang;

/// The body font.
pub const FONT: &str = "Liberation Sans";
/// What Word uses where the body font is not installed.
pub const FALLBACK: &str = "Arial";

/// The language tag of `lang` in a Word document.
fn tag(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "fr-FR",
        Lang::En => "en-GB",
    }
}

/// `styles.xml` with a single `Normal` style (the last one, ours) and the
/// document's language in the run defaults.
pub fn styles(xml: &str, lang: Lang) -> String {
    const NORMAL: &str = r#"<w:style w:type="paragraph" w:styleId="Normal">"#;
    let mut xml = xml.to_string();
    while xml.matches(NORMAL).count() > 1 {
        let start = xml.find(NORMAL).unwrap_or_default();
        let end = xml[start..]
            .find("</w:style>")
            .map_or(xml.len(), |e| start + e + "</w:style>".len());
        xml.replace_range(start..end, "");
    }
    let lang = format!(
        r#"<w:lang w:val="{0}" w:eastAsia="{0}" w:bidi="ar-SA" />"#,
        tag(lang)
    );
    let xml = match xml.find("<w:rPrDefault><w:rPr>") {
        Some(at) => {
            let at = at + "<w:rPrDefault><w:rPr>".len();
            let end = xml[at..].find("</w:rPr>").map_or(at, |e| at + e);
            format!("{}{lang}{}", &xml[..end], &xml[end..])
        }
        None => xml,
    };
    paragraph_properties(&xml)
}

/// `xml` without the empty run properties docx-rs puts first in every
/// paragraph's properties (the schema wants them last).
pub fn paragraph_properties(xml: &str) -> String {
    xml.replace("<w:pPr><w:rPr /></w:pPr>", "<w:pPr />")
        .replace("<w:pPr><w:rPr />", "<w:pPr>")
}

/// `xml` with each no-break hyphen (U+2011) of the text written as Word's
/// own `w:noBreakHyphen`, which Word and LibreOffice draw with the font's
/// hyphen (the body font has no U+2011 glyph).
pub fn no_break_hyphens(xml: &str) -> String {
    xml.replace(
        '\u{2011}',
        r#"</w:t><w:noBreakHyphen /><w:t xml:space="preserve">"#,
    )
}

/// `settings.xml` asking Word to recalculate the fields on opening
/// (ECMA-376 part 1, 17.15.1.90 `updateFields`), for a document whose
/// contents list gives page numbers as `PAGEREF` fields: LibreOffice lays
/// them out as it opens the file, Word asks whether to update them. Placed
/// before `w:compat`, as the schema orders it.
pub fn update_fields_on_open(xml: &str) -> String {
    if xml.contains("<w:updateFields") {
        return xml.to_string();
    }
    xml.replacen(
        "<w:compat>",
        r#"<w:updateFields w:val="true" /><w:compat>"#,
        1,
    )
}

/// `fontTable.xml` declaring the body font, with [`FALLBACK`] as its
/// alternative name and its family, so that Word substitutes it where the
/// body font is missing.
pub fn font_table() -> String {
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" "#,
            r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#,
            r#"<w:font w:name="{font}"><w:altName w:val="{fallback}" />"#,
            r#"<w:panose1 w:val="020B0604020202020204" /><w:charset w:val="00" />"#,
            r#"<w:family w:val="swiss" /><w:pitch w:val="variable" /></w:font>"#,
            r#"<w:font w:name="{fallback}"><w:panose1 w:val="020B0604020202020204" />"#,
            r#"<w:charset w:val="00" /><w:family w:val="swiss" /><w:pitch w:val="variable" /></w:font>"#,
            r#"<w:font w:name="Symbol"><w:charset w:val="02" /><w:family w:val="roman" />"#,
            r#"<w:pitch w:val="variable" /></w:font></w:fonts>"#
        ),
        font = FONT,
        fallback = FALLBACK
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_normal_style_and_the_language() {
        let xml = concat!(
            r#"<w:styles><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="X" /></w:rPr></w:rPrDefault></w:docDefaults>"#,
            r#"<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal" /><w:pPr><w:rPr /></w:pPr></w:style>"#,
            r#"<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal" /><w:pPr><w:rPr /><w:spacing w:after="120" /></w:pPr></w:style>"#,
            r#"</w:styles>"#
        );
        let out = styles(xml, Lang::Fr);
        assert_eq!(out.matches(r#"w:styleId="Normal""#).count(), 1);
        assert!(out.contains(r#"<w:spacing w:after="120" />"#), "{out}");
        assert!(
            out.contains(r#"<w:rFonts w:ascii="X" /><w:lang w:val="fr-FR""#),
            "{out}"
        );
        assert!(!out.contains("<w:pPr><w:rPr />"), "{out}");
        assert!(font_table().contains(r#"<w:altName w:val="Arial" />"#));
    }
}
