//! Text into spreadsheet cells, the same way in every workbook boussole
//! writes (the questionnaire, the scoring workbook).
//!
//! Text is always written as a string, never as a formula; it is stripped of
//! the characters XML 1.0 forbids and cut to Excel's limits, counted in
//! UTF-16 units as Excel counts them. Text that came from outside (a
//! vendor's answer, a file name) goes through [`put_text`], which also sets
//! the quote prefix on text an office application would take for a formula
//! if someone re-typed the cell: it then stays text on F2 + Enter, in a CSV
//! export, and after a LibreOffice re-save.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

/// Longest text of a cell, in UTF-16 units.
pub const MAX_CELL: usize = 32_767;

/// The format every table cell starts from: wrapped, top-aligned, thin borders.
pub fn cell_format() -> Format {
    Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin)
}

/// The format of table headers: a cell, bold, on the documents' light blue.
pub fn header_format() -> Format {
    cell_format().set_bold().set_background_color(0xD9E2F3)
}

/// Writes `value` as a string (never a formula), cleaned and cut to a cell's limit.
pub fn put(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    value: &str,
    fmt: &Format,
) -> Result<(), XlsxError> {
    ws.write_string_with_format(row, col, fit(value, MAX_CELL), fmt)
        .map(|_| ())
}

/// Writes `values` from the first column of `row` (each as [`put`] does)
/// and sets the row's height to fit them wrapped in columns of `widths`.
pub fn put_row(
    ws: &mut Worksheet,
    row: u32,
    values: &[&str],
    widths: &[f64],
    fmt: &Format,
) -> Result<(), XlsxError> {
    for (col, value) in (0..).zip(values) {
        put(ws, row, col, value, fmt)?;
    }
    let cells = values.iter().copied().zip(widths.iter().copied());
    ws.set_row_height(row, row_height(cells))?;
    Ok(())
}

/// Writes untrusted `value` as a string: cleaned, cut to a cell's limit
/// ending with `marker` when cut, and with a quote prefix when it starts
/// like a formula ([`looks_like_formula`]). An empty value leaves a blank
/// cell with `fmt`.
pub fn put_text(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    value: &str,
    marker: &str,
    fmt: &Format,
) -> Result<(), XlsxError> {
    let text = fit_marked(value, MAX_CELL, marker);
    if text.is_empty() {
        ws.write_blank(row, col, fmt)?;
    } else if looks_like_formula(&text) {
        ws.write_string_with_format(row, col, text, &fmt.clone().set_quote_prefix())?;
    } else {
        ws.write_string_with_format(row, col, text, fmt)?;
    }
    Ok(())
}

/// Whether an office application could take `s` for a formula or a command
/// when typed: it starts with `=`, `+`, `-`, `@`, a tab or a carriage return.
pub fn looks_like_formula(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// `s` without the characters XML 1.0 forbids, cut to `max` UTF-16 units
/// (ending with "…" when cut).
pub fn fit(s: &str, max: usize) -> String {
    fit_marked(s, max, "…")
}

/// `s` without the characters XML 1.0 forbids, cut to `max` UTF-16 units,
/// `marker` included, ending with `marker` when cut.
pub fn fit_marked(s: &str, max: usize, marker: &str) -> String {
    let clean: String = s
        .chars()
        .filter(|&c| {
            !(c < ' ' && !matches!(c, '\t' | '\n' | '\r') || matches!(c, '\u{FFFE}' | '\u{FFFF}'))
        })
        .collect();
    if utf16_len(&clean) <= max {
        return clean;
    }
    let mut out = String::new();
    let mut used = utf16_len(marker); // room for the marker
    for c in clean.chars() {
        used += c.len_utf16();
        if used > max {
            break;
        }
        out.push(c);
    }
    out + marker
}

/// The length of `s` in UTF-16 units, as Excel counts it.
pub fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// The height, in points, of a row whose wrapped cells hold these texts in
/// columns of these widths (in character units): office applications do not
/// all fit rows to wrapped text when they open or print a file, so writers
/// set it.
pub fn row_height<'a>(cells: impl IntoIterator<Item = (&'a str, f64)>) -> f64 {
    const LINE: f64 = 14.5; // points, for the default 11-point font
    const MAX: f64 = 409.0; // Excel's tallest row
    // Characters of prose a unit of column width holds, as LibreOffice
    // lays out the default font (measured on the scoring workbook's
    // question texts: about 50 characters a line in a column 44 wide).
    const CHARS: f64 = 1.15;
    let lines = |text: &str, width: f64| -> f64 {
        let per_line = (width * CHARS - 3.0).max(1.0); // a word may not fit at the end
        let wrapped = |l: &str| (l.chars().count() as f64 / per_line).ceil().max(1.0);
        text.split('\n').map(wrapped).sum()
    };
    let most = cells
        .into_iter()
        .map(|(t, w)| lines(t, w))
        .fold(1.0, f64::max);
    (most * LINE).min(MAX)
}

/// Adds the very hidden `_boussole` sheet a workbook read back by boussole
/// carries: one key and its value per row (what it is, versions, hashes).
pub fn metadata_sheet(wb: &mut Workbook, keys: &[(&str, String)]) -> Result<(), XlsxError> {
    let meta = wb.add_worksheet().set_name("_boussole")?;
    for (row, (k, v)) in (0..).zip(keys) {
        meta.write_string(row, 0, *k)?;
        meta.write_string(row, 1, v)?;
    }
    meta.set_very_hidden(true);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_cleans_and_cuts_in_utf16_units() {
        assert_eq!(fit("a\u{1}b\u{FFFF}\tc\n", 10), "ab\tc\n");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(utf16_len(&fit(&"😀".repeat(20), 9)), 9);
        assert_eq!(fit("é".repeat(5).as_str(), 5), "ééééé");
    }

    #[test]
    fn a_cut_text_ends_with_its_marker_within_the_limit() {
        let cut = fit_marked(&"x".repeat(40_000), MAX_CELL, " [cut]");
        assert_eq!(utf16_len(&cut), MAX_CELL);
        assert!(cut.ends_with("x [cut]"));
        assert_eq!(fit_marked("short", MAX_CELL, " [cut]"), "short");
    }

    #[test]
    fn formula_lookalikes_are_recognised() {
        for s in ["=1+1", "+33 1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(looks_like_formula(s), "{s:?}");
        }
        for s in ["1+1", " =1", "Oui", ""] {
            assert!(!looks_like_formula(s), "{s:?}");
        }
    }
}
