//! Text made safe for an XML part.

/// `s` escaped for an element's text or an attribute's value, without the
/// characters XML 1.0 forbids (control characters but tab, line feed and
/// carriage return, U+FFFE, U+FFFF), which no reader would accept.
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

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_is_escaped_and_forbidden_characters_dropped() {
        assert_eq!(
            escape("a < b & \"c\" > d\u{0}\u{7}\u{1f}\u{fffe}\te\nf"),
            "a &lt; b &amp; &quot;c&quot; &gt; d\te\nf"
        );
        assert_eq!(escape("l’IA « déjà »"), "l’IA « déjà »");
    }
}
