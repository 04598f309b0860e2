//! Bilingual text and the placeholders filled from the tender profile.
//!
//! Every text of the library exists in French (first) and English. Clause
//! texts hold placeholders such as `{thresholds.pue_max}`, replaced by the
//! profile's value printed the way the language writes it (decimal comma and
//! dates in words in French).

use std::fmt;

use serde::{Deserialize, Serialize};

/// A language of the documents.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// French, the language of the tender.
    #[default]
    Fr,
    /// English.
    En,
}

impl Lang {
    /// Both languages, French first.
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    /// The French or the English of a pair, in this language.
    pub fn pick<'a>(self, fr: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Fr => fr,
            Lang::En => en,
        }
    }

    /// `fr` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A text in French and English.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// French.
    #[serde(default)]
    pub fr: String,
    /// English.
    #[serde(default)]
    pub en: String,
}

impl Text {
    /// The text in one language.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.fr,
            Lang::En => &self.en,
        }
    }

    /// The languages whose text is empty.
    pub fn missing(&self) -> Vec<Lang> {
        Lang::ALL
            .into_iter()
            .filter(|l| self.get(*l).trim().is_empty())
            .collect()
    }

    /// Applies `f` to each language.
    pub fn map(&self, mut f: impl FnMut(&str, Lang) -> String) -> Text {
        Text {
            fr: f(&self.fr, Lang::Fr),
            en: f(&self.en, Lang::En),
        }
    }
}

/// The placeholders `{a.b}` of a text, in order of appearance.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                out.push(&after[..end]);
                rest = &after[end + 1..];
            }
            None => break,
        }
    }
    out
}

/// Replaces each placeholder by `value(path)`; unknown ones are left as they are.
pub fn fill(text: &str, mut value: impl FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let path = &after[..end];
                match value(path) {
                    Some(v) => out.push_str(&v),
                    None => {
                        out.push('{');
                        out.push_str(path);
                        out.push('}');
                    }
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// A unit as `lang` writes it: the library stores units in English
/// (`hours`, `days`, `years`…); French documents print them in French.
pub fn unit(u: &str, lang: Lang) -> String {
    if u == "ratio" {
        return String::new();
    }
    if u.contains("CO2") {
        // The chemist's subscript, in both languages: gCO₂e/kWh.
        return u.replace("CO2", "CO\u{2082}");
    }
    if lang == Lang::En {
        return u.to_string();
    }
    let fr = match u {
        "hours" => "heures",
        "hour" => "heure",
        "days" => "jours",
        "day" => "jour",
        "weeks" => "semaines",
        "months" => "mois",
        "years" => "ans",
        "minutes" => "minutes",
        "requests" => "requêtes",
        "inferences/year" => "inférences par an",
        "parameters (billions)" => "milliards de paramètres",
        "GB" => "Go",
        "words" => "mots",
        other => other,
    };
    fr.to_string()
}

/// A number and its unit, as `lang` writes them, the unit agreeing with the
/// number: « 1 heure », « 1,5 heure », « 2 heures »; `1 hour`, `2 hours`;
/// a ratio has no unit, a percentage its sign.
pub fn quantity(x: f64, u: Option<&str>, lang: Lang) -> String {
    let n = number(x, lang);
    let Some(u) = u.map(|u| unit(u, lang)).filter(|u| !u.is_empty()) else {
        return n;
    };
    let singular = match lang {
        Lang::Fr => x.abs() < 2.0,
        Lang::En => x == 1.0,
    };
    let u = if singular {
        match (lang, u.as_str()) {
            (Lang::Fr, "heures") => "heure".into(),
            (Lang::Fr, "jours") => "jour".into(),
            (Lang::Fr, "semaines") => "semaine".into(),
            (Lang::Fr, "ans") => "an".into(),
            (Lang::Fr, "requêtes") => "requête".into(),
            (Lang::Fr, "mots") => "mot".into(),
            (Lang::En, "hours") => "hour".into(),
            (Lang::En, "days") => "day".into(),
            (Lang::En, "weeks") => "week".into(),
            (Lang::En, "months") => "month".into(),
            (Lang::En, "years") => "year".into(),
            (Lang::En, "words") => "word".into(),
            _ => u,
        }
    } else {
        u
    };
    format!("{n}\u{a0}{u}")
}

/// An indicator's unit as its column shows it: the unit, or « sans unité »
/// for a ratio or a count (a PUE), so that the cell never looks forgotten.
pub fn unit_or_none(u: Option<&str>, lang: Lang) -> String {
    match (u, lang) {
        (Some(u), _) => unit(u, lang),
        (None, Lang::Fr) => "sans unité".into(),
        (None, Lang::En) => "no unit".into(),
    }
}

/// `n` things, the noun agreeing with the number as `lang` wants it:
/// « 1 fichier », « 4 fichiers », « 0 fichier »; `1 file`, `0 files`.
pub fn counted(n: usize, lang: Lang, fr: (&str, &str), en: (&str, &str)) -> String {
    let (one, many) = if lang == Lang::Fr { fr } else { en };
    let singular = match lang {
        Lang::Fr => n < 2,
        Lang::En => n == 1,
    };
    format!(
        "{}\u{a0}{}",
        number(n as f64, lang),
        if singular { one } else { many }
    )
}

/// A number the way `lang` writes it: `1,5` in French, `1.5` in English;
/// whole numbers without decimals, thousands grouped in French.
pub fn number(x: f64, lang: Lang) -> String {
    let plain = if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        let s = format!("{x:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    match lang {
        Lang::En => plain,
        Lang::Fr => {
            let (int, frac) = plain.split_once('.').unwrap_or((&plain, ""));
            let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
            let mut grouped = String::new();
            for (i, c) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i) % 3 == 0 && digits.len() > 4 {
                    grouped.push('\u{202f}');
                }
                grouped.push(c);
            }
            if frac.is_empty() {
                format!("{sign}{grouped}")
            } else {
                format!("{sign}{grouped},{frac}")
            }
        }
    }
}

/// Most characters of a vendor's answer, comment or name a report shows
/// (the JSON report keeps each answer whole, as read: see
/// [`crate::response::cut`]).
pub const SHOWN_CHARS: usize = 2_000;
/// Most characters of an answer quoted inside a message.
pub const QUOTED_CHARS: usize = 120;

/// `s` as a report shows it: whole up to `max` characters, else its first
/// `max` (ending on a word when one ends near) and a mark saying it was cut
/// and where to read it whole, so that no vendor text can fill a page or a
/// cell.
pub fn excerpt(s: &str, max: usize, lang: Lang) -> std::borrow::Cow<'_, str> {
    if s.len() <= max {
        return std::borrow::Cow::Borrowed(s); // fewer bytes: fewer characters
    }
    let Some((end, _)) = s.char_indices().nth(max) else {
        return std::borrow::Cow::Borrowed(s);
    };
    let head = &s[..end];
    let near = head.len().saturating_sub(60);
    let head = match head.rfind(char::is_whitespace) {
        Some(space) if space > near => &head[..space],
        _ => head,
    };
    let after = counted(
        max,
        lang,
        ("caractère", "caractères"),
        ("character", "characters"),
    );
    let mark = match lang {
        Lang::Fr => {
            format!(" […] (texte coupé après {after}\u{a0}; le texte entier est dans l’offre)")
        }
        Lang::En => format!(" […] (text cut after {after}; the whole text is in the offer)"),
    };
    std::borrow::Cow::Owned(format!("{}{mark}", head.trim_end()))
}

/// A table as text: aligned columns for the terminal (the last column is
/// not padded), or a Markdown table with `|` escaped and line breaks folded.
pub fn table(headers: &[&str], rows: &[Vec<String>], markdown: bool) -> String {
    let widths = table_widths(headers, rows);
    let mut out = table_line(headers, &widths, markdown, true);
    for r in rows {
        out.push_str(&table_line(r, &widths, markdown, false));
    }
    out
}

/// The width of each column of a [`table`]: its widest cell, header
/// included (unused in Markdown). Rows come one at a time, so that a long
/// table need not be held whole.
pub fn table_widths<S: AsRef<str>>(
    headers: &[&str],
    rows: impl IntoIterator<Item = impl AsRef<[S]>>,
) -> Vec<usize> {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (w, c) in widths.iter_mut().zip(r.as_ref()) {
            *w = (*w).max(c.as_ref().chars().count());
        }
    }
    widths
}

/// One line of a [`table`], its newline included: the header line (with
/// the Markdown separator under it when `markdown`) or a row.
pub fn table_line<S: AsRef<str>>(
    cells: &[S],
    widths: &[usize],
    markdown: bool,
    header: bool,
) -> String {
    if markdown {
        let cell = |s: &str| {
            if header {
                s.to_string()
            } else {
                s.replace('|', "\\|").replace('\n', " ")
            }
        };
        let joined: Vec<String> = cells.iter().map(|c| cell(c.as_ref())).collect();
        let mut line = format!("| {} |\n", joined.join(" | "));
        if header {
            line.push_str(&format!("|{}\n", "---|".repeat(cells.len())));
        }
        return line;
    }
    let padded: Vec<String> = cells
        .iter()
        .zip(widths)
        .map(|(c, w)| {
            let c = c.as_ref();
            format!("{c}{}", " ".repeat(w.saturating_sub(c.chars().count())))
        })
        .collect();
    format!("{}\n", padded.join("  ").trim_end())
}

/// Text from outside (a vendor's name or answers, a file name, a message
/// quoting them) as a terminal may print it: every control character (line
/// breaks included, so that a value never starts a line of its own) and
/// every character that reorders or hides text (bidirectional overrides and
/// isolates, line and paragraph separators) is shown escaped, `\u{1b}`, so
/// that no escape sequence repaints what the terminal shows. Every writer
/// of text for the terminal, and [`crate::office::markdown::escape`], goes
/// through it.
pub fn terminal(s: &str) -> std::borrow::Cow<'_, str> {
    if !has_hidden(s.as_bytes()) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            _ if hidden(c) => out.extend(c.escape_unicode()),
            _ => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A character [`terminal`] shows escaped.
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}'
        )
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// Whether the UTF-8 text `bytes` holds a [`hidden`] character, told from
/// its bytes: every text printed goes through [`terminal`], and French
/// typography (’ « » and the narrow no-break space) would make a check of
/// each character decode most of them. The hidden characters are the
/// controls (a byte below 0x20, 0x7F, or U+0080–U+009F: `C2 80`–`C2 9F`),
/// U+061C (`D8 9C`), and the marks, separators, embeddings and isolates of
/// U+200E–U+2069 (`E2 80 8E`, `E2 80 8F`, `E2 80 A8`–`AE`, `E2 81 A6`–`A9`).
fn has_hidden(bytes: &[u8]) -> bool {
    bytes.iter().enumerate().any(|(i, &b)| match b {
        0..=0x1f | 0x7f => true,
        0xc2 => matches!(bytes.get(i + 1), Some(0x80..=0x9f)),
        0xd8 => bytes.get(i + 1) == Some(&0x9c),
        0xe2 => matches!(
            (bytes.get(i + 1), bytes.get(i + 2)),
            (Some(0x80), Some(0x8e | 0x8f | 0xa8..=0xae)) | (Some(0x81), Some(0xa6..=0xa9))
        ),
        _ => false,
    })
}

/// Lines of text for the terminal: each line through [`terminal`], the
/// line breaks kept (a message of several lines, a whole report).
pub fn terminal_lines(s: &str) -> String {
    s.split('\n').map(terminal).collect::<Vec<_>>().join("\n")
}

/// `s` composed (NFC): borrowed when it already is, as most texts are (all
/// ASCII ones).
pub fn composed(s: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
    match is_nfc_quick(s.chars()) {
        IsNormalized::Yes => std::borrow::Cow::Borrowed(s),
        _ => std::borrow::Cow::Owned(s.nfc().collect()),
    }
}

/// The words of `s` joined by one plain space: every run of white space (no-break
/// and ideographic ones included) made one space, none leading or trailing.
pub fn single_spaced(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Whether `s` is as [`single_spaced`] gives it: words joined by one plain
/// space, none leading or trailing.
pub fn is_single_spaced(s: &str) -> bool {
    let mut after_space = true; // as if a space came before the first word
    for c in s.chars() {
        if c.is_whitespace() {
            if after_space || c != ' ' {
                return false;
            }
            after_space = true;
        } else {
            after_space = false;
        }
    }
    !after_space || s.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_spaced_texts_are_told_without_a_copy() {
        for s in ["", "a", "nom de l’entreprise", "a b", "é ü"] {
            assert!(is_single_spaced(s), "{s:?}");
            assert_eq!(single_spaced(s), s);
        }
        for s in [" a", "a ", "a  b", "a\tb", "a\u{a0}b", " ", "a\nb"] {
            assert!(!is_single_spaced(s), "{s:?}");
            assert_ne!(single_spaced(s), s);
        }
    }

    #[test]
    fn texts_are_composed_only_when_they_are_not() {
        assert!(matches!(
            composed("déjà"),
            std::borrow::Cow::Borrowed("déjà")
        ));
        assert_eq!(composed("de\u{301}ja\u{300}"), "déjà");
        assert_eq!(
            single_spaced("\u{a0} un\t\n deux\u{3000}trois  "),
            "un deux trois"
        );
        assert_eq!(single_spaced("  "), "");
    }

    #[test]
    fn long_texts_are_shown_cut_with_a_mark() {
        assert_eq!(excerpt("court", 10, Lang::Fr), "court");
        let long = format!("{} fin", "mot ".repeat(1_000));
        let shown = excerpt(&long, 100, Lang::Fr);
        assert!(shown.starts_with("mot mot"), "{shown}");
        assert!(
            shown.ends_with(
                " […] (texte coupé après 100\u{a0}caractères\u{a0}; le texte entier est dans l’offre)"
            ),
            "{shown}"
        );
        assert!(shown.chars().count() < 100 + 90);
        assert!(shown.contains("mot mot […]"), "cut on a word: {shown}");
        let a300 = "a".repeat(300);
        let english = excerpt(&a300, 100, Lang::En);
        assert_eq!(
            english,
            format!(
                "{} […] (text cut after 100\u{a0}characters; the whole text is in the offer)",
                "a".repeat(100)
            )
        );
    }

    #[test]
    fn finds_and_fills_placeholders() {
        let t = "PUE ≤ {thresholds.pue_max} pour {buyer.name}.";
        assert_eq!(placeholders(t), ["thresholds.pue_max", "buyer.name"]);
        let filled = fill(t, |p| (p == "buyer.name").then(|| "Nantes".to_string()));
        assert_eq!(filled, "PUE ≤ {thresholds.pue_max} pour Nantes.");
        assert_eq!(fill("sans accolade {", |_| None), "sans accolade {");
    }

    #[test]
    fn writes_numbers_per_language() {
        assert_eq!(number(1.5, Lang::Fr), "1,5");
        assert_eq!(number(1.5, Lang::En), "1.5");
        assert_eq!(number(48.0, Lang::Fr), "48");
        assert_eq!(number(12500.0, Lang::Fr), "12\u{202f}500");
        assert_eq!(number(1000.0, Lang::Fr), "1000");
        assert_eq!(number(-0.25, Lang::Fr), "-0,25");
    }

    #[test]
    fn tables_for_the_terminal_and_markdown() {
        let rows = vec![vec!["BIO-01".to_string(), "a | b".to_string()]];
        assert_eq!(
            table(&["ID", "Texte"], &rows, false),
            "ID      Texte\nBIO-01  a | b\n"
        );
        assert_eq!(
            table(&["ID", "Texte"], &rows, true),
            "| ID | Texte |\n|---|---|\n| BIO-01 | a \\| b |\n"
        );
    }

    #[test]
    fn terminal_text_shows_escapes_and_overrides() {
        assert_eq!(terminal("Acme"), "Acme");
        assert_eq!(
            terminal("A\u{1b}[2K\rB\n\u{202e}C\u{9b}"),
            "A\\u{1b}[2K\\rB\\n\\u{202e}C\\u{9b}"
        );
        assert_eq!(terminal_lines("a\u{7}\nb"), "a\\u{7}\nb");
        assert_eq!(
            terminal("« Numérique », 12\u{202f}%\u{2019}"),
            "« Numérique », 12\u{202f}%\u{2019}"
        );
    }

    #[test]
    fn hidden_characters_are_told_from_their_bytes_as_from_the_characters() {
        let mut buf = [0u8; 4];
        for c in (0..=0x10_ffff).filter_map(char::from_u32) {
            let alone = c.encode_utf8(&mut buf).as_bytes();
            assert_eq!(has_hidden(alone), hidden(c), "{c:?}");
            let between = format!("é{c}’");
            assert_eq!(
                has_hidden(between.as_bytes()),
                hidden(c),
                "{c:?} between others"
            );
        }
    }

    #[test]
    fn units_in_french() {
        assert_eq!(unit("hours", Lang::Fr), "heures");
        assert_eq!(unit("hours", Lang::En), "hours");
        assert_eq!(unit("L/kWh", Lang::Fr), "L/kWh");
        assert_eq!(unit("gCO2e/kWh", Lang::Fr), "gCO\u{2082}e/kWh");
        assert_eq!(unit("words", Lang::Fr), "mots");
    }

    #[test]
    fn reports_missing_languages() {
        let t = Text {
            fr: "Oui".into(),
            en: " ".into(),
        };
        assert_eq!(t.missing(), [Lang::En]);
    }
}
