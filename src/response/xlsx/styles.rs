//! Cell styles, for the one thing a questionnaire needs of them: each
//! style's number format, which says whether a number is a date, a
//! percentage, or shown as a text of its own.

use std::collections::HashMap;
use std::sync::Arc;

use crate::response::ReadError;
use crate::response::bounds::{MAX_STYLES, thousands};
use crate::response::package::Package;
use crate::response::xml::{Ev, attr, walk};

/// What a number under a format is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A plain number.
    Number,
    /// A date or a time of day.
    Date,
    /// A duration (`[h]:mm`).
    Duration,
}

/// Each cell style's number format (`<cellXfs>`), by style id: its code
/// and what it shows, found once for every cell that uses the style.
#[derive(Default)]
pub(super) struct Styles(Vec<Option<(Code, Kind)>>);

impl Styles {
    /// The format code of style `id`, when the style names a format: its
    /// own (shared, not copied), a built-in one, else `General`.
    pub(super) fn code(&self, id: usize) -> Option<Code> {
        let (code, _) = self.0.get(id)?.as_ref()?;
        Some(code.clone())
    }

    /// What a number is under style `id`; `None` for a style the workbook
    /// does not have.
    pub(super) fn kind(&self, id: usize) -> Option<Kind> {
        let style = self.0.get(id)?;
        Some(style.as_ref().map_or(Kind::Number, |(_, kind)| *kind))
    }

    /// The styles whose format ids are `formats`, given the workbook's own
    /// formats by id. Each of those is read once, however many styles name
    /// it (a code may be long, and styles many).
    fn of(formats: Vec<Option<u32>>, custom: HashMap<u32, Arc<str>>) -> Styles {
        let custom: HashMap<u32, (Code, Kind)> = (custom.into_iter())
            .map(|(id, code)| {
                let kind = kind_of_code(&code);
                (id, (Code::Own(code), kind))
            })
            .collect();
        let style = |format| match custom.get(&format) {
            Some(own) => own.clone(),
            None => (
                Code::Builtin(builtin_code(format).unwrap_or("General")),
                builtin_kind(format),
            ),
        };
        Styles(formats.into_iter().map(|f| f.map(style)).collect())
    }
}

/// A number format's code, as many cells refer to it.
#[derive(Debug, Clone, PartialEq)]
pub(in crate::response) enum Code {
    /// One of the workbook's own.
    Own(Arc<str>),
    /// A built-in format.
    Builtin(&'static str),
}

impl std::ops::Deref for Code {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            Code::Own(code) => code,
            Code::Builtin(code) => code,
        }
    }
}

/// Reads part `part` (entry `i`); refuses more than [`MAX_STYLES`] styles,
/// fonts, fills, borders and formats.
pub(super) fn read(zip: &mut Package<'_>, i: usize, part: &str) -> Result<Styles, ReadError> {
    // the format id of each style, when it names one; the workbook's own
    // formats by id, each kept once however many styles use it
    let mut formats = Vec::new();
    let mut custom = HashMap::new();
    let mut items = 0u64;
    let (mut in_formats, mut in_cells) = (false, false);
    walk(zip, i, part, |e| {
        match e {
            Ev::Start(name, s) => {
                if matches!(name, "xf" | "font" | "fill" | "border" | "numFmt" | "dxf") {
                    items += 1;
                    if items > MAX_STYLES {
                        return Err(ReadError::TooLarge(format!(
                            "part {part} defines more than {} styles, fonts, fills, borders and formats",
                            thousands(MAX_STYLES)
                        )));
                    }
                }
                match name {
                    "numFmts" => in_formats = true,
                    "cellXfs" => in_cells = true,
                    "numFmt" if in_formats => {
                        let id = attr(s, "numFmtId").and_then(|v| v.trim().parse().ok());
                        if let (Some(id), Some(code)) = (id, attr(s, "formatCode")) {
                            custom.insert(id, Arc::from(code));
                        }
                    }
                    "xf" if in_cells => {
                        formats.push(attr(s, "numFmtId").and_then(|v| v.trim().parse().ok()));
                    }
                    _ => {}
                }
            }
            Ev::End("numFmts") => in_formats = false,
            Ev::End("cellXfs") => in_cells = false,
            _ => {}
        }
        Ok(())
    })?;
    Ok(Styles::of(formats, custom))
}

/// The code of a built-in format (ECMA-376, 18.8.30).
fn builtin_code(id: u32) -> Option<&'static str> {
    Some(match id {
        0 => "General",
        1 => "0",
        2 => "0.00",
        3 => "#,##0",
        4 => "#,##0.00",
        9 => "0%",
        10 => "0.00%",
        11 => "0.00E+00",
        12 => "# ?/?",
        13 => "# ??/??",
        14 => "mm-dd-yy",
        15 => "d-mmm-yy",
        16 => "d-mmm",
        17 => "mmm-yy",
        18 => "h:mm AM/PM",
        19 => "h:mm:ss AM/PM",
        20 => "h:mm",
        21 => "h:mm:ss",
        22 => "m/d/yy h:mm",
        37 => "#,##0 ;(#,##0)",
        38 => "#,##0 ;[Red](#,##0)",
        39 => "#,##0.00;(#,##0.00)",
        40 => "#,##0.00;[Red](#,##0.00)",
        41 => r#"_(* #,##0_);_(* (#,##0);_(* "-"_);_(@_)"#,
        42 => r#"_($* #,##0_);_($* (#,##0);_($* "-"_);_(@_)"#,
        43 => r#"_(* #,##0.00_);_(* (#,##0.00);_(* "-"??_);_(@_)"#,
        44 => r#"_($* #,##0.00_);_($* (#,##0.00);_($* "-"??_);_(@_)"#,
        45 => "mm:ss",
        46 => "[h]:mm:ss",
        47 => "mmss.0",
        48 => "##0.0E+0",
        49 => "@",
        _ => return None,
    })
}

/// What a built-in format shows: dates and times (the East Asian ones,
/// which vary by locale, included), one duration.
fn builtin_kind(id: u32) -> Kind {
    match id {
        14..=22 | 27..=36 | 45 | 47 | 50..=58 => Kind::Date,
        46 => Kind::Duration,
        _ => Kind::Number,
    }
}

/// What a format code shows, from its first section: a date when it has a
/// day, month, year, hour or second outside quotes, escapes and brackets
/// (`AM/PM` included), a duration when it starts with `[h]`, `[m]` or `[s]`.
/// (As calamine and openpyxl tell them apart.)
fn kind_of_code(code: &str) -> Kind {
    let mut escaped = false;
    let mut quoted = false;
    let mut brackets = 0u8;
    let mut prev = ' ';
    let mut elapsed = false;
    let mut ampm = false;
    for c in code.chars() {
        match (c, escaped, quoted, ampm, brackets) {
            (_, true, ..) => escaped = false,
            // `\` escapes, `_` skips a width, `*` fills: the next character is literal
            ('_' | '\\' | '*', ..) => escaped = true,
            ('"', _, true, _, _) => quoted = false,
            (_, _, true, _, _) => {}
            ('"', ..) => quoted = true,
            (';', ..) => return Kind::Number,
            ('[', ..) => brackets = brackets.saturating_add(1),
            (']', .., 1) if elapsed => return Kind::Duration,
            (']', ..) => brackets = brackets.saturating_sub(1),
            ('a' | 'A', _, _, false, 0) => ampm = true,
            ('p' | 'm' | '/' | 'P' | 'M', _, _, true, 0) => return Kind::Date,
            ('d' | 'm' | 'h' | 'y' | 's' | 'D' | 'M' | 'H' | 'Y' | 'S', _, _, false, 0) => {
                return Kind::Date;
            }
            _ => {
                if !(elapsed && c.eq_ignore_ascii_case(&prev)) {
                    elapsed = prev == '[' && matches!(c, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
                }
            }
        }
        prev = c;
    }
    Kind::Number
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_tell_dates_durations_and_numbers_apart() {
        for code in [
            "DD/MM/YY",
            "H:MM:SS;@",
            "dd/mm/yyyy",
            "[$-40C]d mmmm yyyy",
            "h:mm AM/PM",
        ] {
            assert_eq!(kind_of_code(code), Kind::Date, "{code}");
        }
        for code in ["[h]:mm:ss", "[mm]:ss", "[ss]"] {
            assert_eq!(kind_of_code(code), Kind::Duration, "{code}");
        }
        for code in [
            "0%",
            "0.00",
            "#,##0\\ [$\\u20bd-46D]",
            r#""Oui";"Oui";"Oui""#,
            r#"0" jours""#,
            "General",
            "@",
        ] {
            assert_eq!(kind_of_code(code), Kind::Number, "{code}");
        }
        assert_eq!(builtin_kind(14), Kind::Date);
        assert_eq!(builtin_kind(46), Kind::Duration);
        assert_eq!(builtin_kind(9), Kind::Number);
    }

    #[test]
    fn a_styles_format_is_its_own_a_built_in_one_or_none() {
        let custom = HashMap::from([(164, Arc::from("dd/mm/yyyy")), (165, Arc::from("0.0%"))]);
        let styles = Styles::of(
            vec![None, Some(14), Some(164), Some(165), Some(999)],
            custom,
        );
        for (id, code, kind) in [
            (0, None, Some(Kind::Number)),
            (1, Some("mm-dd-yy"), Some(Kind::Date)),
            (2, Some("dd/mm/yyyy"), Some(Kind::Date)),
            (3, Some("0.0%"), Some(Kind::Number)),
            (4, Some("General"), Some(Kind::Number)),
            (5, None, None), // a style the workbook lacks
        ] {
            let found = styles.code(id).map(|c| c.to_string());
            assert_eq!(
                (found.as_deref(), styles.kind(id)),
                (code, kind),
                "style {id}"
            );
        }
        // one code, shared by every style and cell that names it
        let (Some(Code::Own(a)), Some(Code::Own(b))) = (styles.code(2), styles.code(2)) else {
            panic!("the workbook's own format");
        };
        assert!(Arc::ptr_eq(&a, &b));
    }
}
