//! The comparison as an XLSX workbook, with native charts that stay editable.
//!
//! Three sheets, printed landscape one page wide: the ranking with the tables
//! per criterion and per theme (the best score of each line shaded), the
//! charts (a radar per criterion and bars of compass scores, with the data
//! they are drawn from below them), and the offers not ranked with the
//! reason proposed. Every text is written as a string, never
//! a formula, through [`cells`]: text a spreadsheet could take for a formula
//! is quote-prefixed.
//! The creation date is the check's: the same report gives the same bytes.

use rust_xlsxwriter::{
    Chart, ChartType, DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError,
};

use super::{Comparison, Line, proposal, score};
use crate::Error;
use crate::office::{cells, typography};
use crate::text::Lang;

/// Width of the ranking sheet's first column, the rank, in characters.
const RANK_WIDTH: f64 = 8.0;
/// Width of its second column (vendors, criteria, themes), in characters.
const TITLE_WIDTH: f64 = 60.0;
/// Width of the other columns, in characters.
const COLUMN_WIDTH: f64 = 22.0;
/// Height of a chart, in rows of 20 pixels.
const CHART_ROWS: u32 = 28;

fn t(lang: Lang, fr: &str, en: &str) -> String {
    typography::apply(if lang == Lang::Fr { fr } else { en }, lang)
}

/// The comparison as XLSX bytes.
pub fn render(c: &Comparison) -> Result<Vec<u8>, Error> {
    crate::office::package::finish_workbook("XLSX comparison", c.lang, build(c))
}

/// The names of the three sheets in `lang`.
pub fn sheet_names(lang: Lang) -> [&'static str; 3] {
    match lang {
        Lang::Fr => ["Classement", "Graphiques", "Non classées"],
        Lang::En => ["Ranking", "Charts", "Not ranked"],
    }
}

/// The cell formats, made once.
struct Formats {
    title: Format,
    heading: Format,
    header: Format,
    cell: Format,
    number: Format,
    best: Format,
    /// A rank: centred in its narrow column.
    rank: Format,
    /// A note under a table: wrapped, no border.
    note: Format,
}

impl Formats {
    fn new() -> Formats {
        let cell = crate::office::cells::cell_format();
        let number = cell.clone().set_num_format("0.0");
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            heading: Format::new()
                .set_bold()
                .set_font_size(12)
                .set_font_color(0x1F3864),
            header: crate::office::cells::header_format(),
            best: number.clone().set_bold().set_background_color(0xE2EFDA),
            number,
            rank: cell.clone().set_align(rust_xlsxwriter::FormatAlign::Center),
            note: Format::new()
                .set_text_wrap()
                .set_align(rust_xlsxwriter::FormatAlign::Top)
                .set_italic(),
            cell,
        }
    }
}

/// Writes `s` as a string, never a formula (see [`cells::put_text`]).
fn text(ws: &mut Worksheet, row: u32, col: u16, s: &str, f: &Format) -> Result<(), XlsxError> {
    cells::put_text(ws, row, col, s, "…", f)
}

/// Landscape A4, one page wide.
fn page(ws: &mut Worksheet) {
    ws.set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0);
}

/// Makes `row` as tall as the longest of `texts`, each wrapped in its
/// column's width ([`cells::row_height`]).
fn fit_row(ws: &mut Worksheet, row: u32, texts: &[(&str, f64)]) -> Result<(), XlsxError> {
    ws.set_row_height(row, cells::row_height(texts.iter().copied()))?;
    Ok(())
}

/// `s` cut to what a document property holds.
fn fit(s: &str) -> String {
    cells::fit(s, 255)
}

fn build(c: &Comparison) -> Result<Workbook, XlsxError> {
    let [ranking_name, charts_name, apart_name] = sheet_names(c.lang);
    let fmt = Formats::new();
    let mut wb = Workbook::new();
    wb.set_properties(&properties(c)?);
    let ranking = wb.add_worksheet();
    ranking.set_name(ranking_name)?;
    ranking_sheet(ranking, c, &fmt)?;
    let charts = wb.add_worksheet();
    charts.set_name(charts_name)?;
    charts_sheet(charts, c, charts_name, &fmt)?;
    let apart = wb.add_worksheet();
    apart.set_name(apart_name)?;
    apart_sheet(apart, c, &fmt)?;
    Ok(wb)
}

fn properties(c: &Comparison) -> Result<DocProperties, XlsxError> {
    let (y, m, d) = c.date().map_or((2026, 1, 1), |d| d.ymd());
    let created = ExcelDateTime::from_ymd(u16::try_from(y).unwrap_or(2026), m, d)?;
    let title = super::document::title(c.lang);
    Ok(DocProperties::new()
        .set_title(fit(&format!("{title} — {}", c.reference)))
        .set_subject(fit(&c.title))
        .set_author(fit(&c.buyer))
        .set_keywords("boussole; IA; commande publique; comparaison; classement")
        .set_creation_datetime(&created)
        .set_custom_property("boussole.library_version", fit(&c.library_version))
        .set_custom_property("boussole.library_hash", fit(&c.library_hash))
        .set_custom_property("boussole.profile_hash", fit(&c.profile_hash))
        .set_custom_property("boussole.generated_at", fit(&c.generated_at)))
}

/// Writes the header row `cells` at `row` from column `first`, as tall as
/// its longest header wrapped in its column (`widths`, from `first`), so
/// that no header runs over the row below.
fn header(
    ws: &mut Worksheet,
    row: u32,
    first: u16,
    cells: &[String],
    widths: &[f64],
    fmt: &Formats,
) -> Result<(), XlsxError> {
    for (col, h) in (first..).zip(cells) {
        text(ws, row, col, h, &fmt.header)?;
    }
    let texts: Vec<(&str, f64)> = cells
        .iter()
        .zip(
            widths
                .iter()
                .copied()
                .chain(std::iter::repeat(COLUMN_WIDTH)),
        )
        .map(|(h, w)| (h.as_str(), w))
        .collect();
    fit_row(ws, row, &texts)
}

fn ranking_sheet(ws: &mut Worksheet, c: &Comparison, fmt: &Formats) -> Result<(), XlsxError> {
    let lang = c.lang;
    let share = score(c.compass_share, lang);
    text(ws, 0, 0, &super::document::title(lang), &fmt.title)?;
    let scope = t(
        lang,
        &format!(
            "Critères de la boussole de l'IA seulement ({share} points sur 100 de la note globale) : le prix et les autres critères de la consultation sont appréciés par ailleurs."
        ),
        &format!(
            "AI compass criteria only ({share} points out of 100 of the total mark): price and the tender's other criteria are assessed elsewhere."
        ),
    );
    text(ws, 1, 0, &scope, &Format::new().set_bold())?;
    let date = c
        .date()
        .map_or(c.generated_at.clone(), |d| d.in_words(lang));
    let about = format!("{} — {} — {} — {date}", c.buyer, c.reference, c.title);
    text(ws, 2, 0, &about, &Format::new())?;
    page(ws);
    // The rank in a narrow column of its own; the vendors, criteria and
    // themes in the wide one beside it.
    ws.set_column_width(0, RANK_WIDTH)?;
    ws.set_column_width(1, TITLE_WIDTH)?;
    for col in 2..(4 + c.ranked.len() as u16).max(6) {
        ws.set_column_width(col, COLUMN_WIDTH)?;
    }
    text(ws, 4, 0, &t(lang, "Classement", "Ranking"), &fmt.heading)?;
    header(
        ws,
        5,
        0,
        &c.ranking_header(),
        &[RANK_WIDTH, TITLE_WIDTH],
        fmt,
    )?;
    let mut row = 6;
    for o in &c.ranked {
        ws.write_number_with_format(row, 0, o.rank as f64, &fmt.rank)?;
        text(ws, row, 1, &o.name, &fmt.cell)?;
        ws.write_number_with_format(row, 2, o.score, &fmt.number)?;
        ws.write_number_with_format(row, 3, o.points, &fmt.number)?;
        let verdict = o.verdict.label(lang);
        text(ws, row, 4, verdict, &fmt.cell)?;
        fit_row(ws, row, &[(&o.name, TITLE_WIDTH), (verdict, COLUMN_WIDTH)])?;
        row += 1;
    }
    if let Some(note) = c.provisional_note() {
        text(ws, row, 1, &note, &fmt.note)?;
        fit_row(ws, row, &[(&note, TITLE_WIDTH)])?;
        row += 1;
    }
    if c.ranked.is_empty() {
        text(
            ws,
            row,
            0,
            &t(
                lang,
                "Aucune offre ne peut être classée.",
                "No offer can be ranked.",
            ),
            &Format::new().set_italic(),
        )?;
        row += 1;
    }
    row += 1;
    text(
        ws,
        row,
        0,
        &t(lang, "Par critère", "By criterion"),
        &fmt.heading,
    )?;
    let lines = c.criterion_lines(&t(lang, "Note boussole", "Compass score"));
    row = lines_table(
        ws,
        row + 1,
        c,
        t(lang, "Critère", "Criterion"),
        &lines,
        true,
        fmt,
    )? + 1;
    text(ws, row, 0, &t(lang, "Par thème", "By theme"), &fmt.heading)?;
    lines_table(
        ws,
        row + 1,
        c,
        t(lang, "Thème", "Theme"),
        &c.theme_lines(),
        false,
        fmt,
    )?;
    ws.set_freeze_panes(0, 2)?;
    Ok(())
}

/// One line per criterion or theme from `row` (its header), a column per
/// ranked offer, the best offer last; returns the row after the table.
fn lines_table(
    ws: &mut Worksheet,
    row: u32,
    c: &Comparison,
    first: String,
    lines: &[Line],
    weights: bool,
    fmt: &Formats,
) -> Result<u32, XlsxError> {
    let lang = c.lang;
    // From the second column: the first holds the ranks above.
    let first_offer: u16 = if weights { 3 } else { 2 };
    let mut head = vec![first];
    if weights {
        head.push(t(lang, "Sous-pondération", "Sub-weight"));
    }
    head.extend(c.ranked.iter().map(|o| o.name.clone()));
    head.push(t(lang, "Meilleure offre", "Best offer"));
    header(ws, row, 1, &head, &[TITLE_WIDTH], fmt)?;
    let best_col = first_offer + c.ranked.len() as u16;
    for (i, l) in lines.iter().enumerate() {
        let r = row + 1 + i as u32;
        text(ws, r, 1, &l.title, &fmt.cell)?;
        if let (true, Some(w)) = (weights, l.weight) {
            ws.write_number_with_format(r, 2, w, &fmt.number)?;
        }
        let top = c.best(&l.values);
        for (k, v) in l.values.iter().enumerate() {
            let col = first_offer + k as u16;
            match v {
                Some(v) if top.contains(&c.ranked[k].name.as_str()) => {
                    ws.write_number_with_format(r, col, *v, &fmt.best)?
                }
                Some(v) => ws.write_number_with_format(r, col, *v, &fmt.number)?,
                None => ws.write_string_with_format(r, col, "—", &fmt.cell)?,
            };
        }
        let best = c.best_text(&l.values);
        text(ws, r, best_col, &best, &fmt.cell)?;
        fit_row(ws, r, &[(&l.title, TITLE_WIDTH), (&best, COLUMN_WIDTH)])?;
    }
    Ok(row + 1 + lines.len() as u32)
}

/// The charts, and below them the data they are drawn from (criteria
/// shortened to fit a chart's labels).
fn charts_sheet(
    ws: &mut Worksheet,
    c: &Comparison,
    name: &str,
    fmt: &Formats,
) -> Result<(), XlsxError> {
    let lang = c.lang;
    page(ws);
    text(ws, 0, 0, &super::document::title(lang), &fmt.title)?;
    if c.ranked.is_empty() {
        let none = t(
            lang,
            "Aucune offre ne peut être classée.",
            "No offer can be ranked.",
        );
        text(ws, 1, 0, &none, &Format::new().set_italic())?;
        return Ok(());
    }
    let n = c.ranked.len() as u16;
    let data = CHART_ROWS * 2 + 4;
    text(
        ws,
        data - 1,
        0,
        &t(lang, "Données des graphiques", "Chart data"),
        &fmt.heading,
    )?;
    let mut head = vec![t(lang, "Critère", "Criterion")];
    head.extend(c.ranked.iter().map(|o| o.name.clone()));
    ws.set_column_width(0, 36)?;
    for k in 1..=n {
        ws.set_column_width(k, COLUMN_WIDTH)?;
    }
    header(ws, data, 0, &head, &[36.0], fmt)?;
    for (i, a) in c.criteria.iter().enumerate() {
        let r = data + 1 + i as u32;
        text(
            ws,
            r,
            0,
            &crate::office::chart::wrap(&a.title, 34, 1).join(""),
            &fmt.cell,
        )?;
        for (k, o) in c.ranked.iter().enumerate() {
            ws.write_number_with_format(
                r,
                1 + k as u16,
                o.criteria[i].unwrap_or(0.0),
                &fmt.number,
            )?;
        }
    }
    let last = data + c.criteria.len() as u32;
    let mut radar = Chart::new(ChartType::Radar);
    radar.title().set_name(&t(
        lang,
        "Notes par critère (sur 100)",
        "Scores by criterion (out of 100)",
    ));
    for k in 1..=n {
        radar
            .add_series()
            .set_name((name, data, k))
            .set_categories((name, data + 1, 0, last, 0))
            .set_values((name, data + 1, k, last, k));
    }
    radar.y_axis().set_min(0).set_max(100).set_major_unit(20);
    radar.set_width(960).set_height(20 * CHART_ROWS);
    ws.insert_chart(2, 0, &radar)?;

    let scores = last + 2;
    header(
        ws,
        scores,
        0,
        &[
            t(lang, "Soumissionnaire", "Vendor"),
            t(lang, "Note boussole", "Compass score"),
        ],
        &[36.0],
        fmt,
    )?;
    for (k, o) in c.ranked.iter().enumerate() {
        let r = scores + 1 + k as u32;
        text(ws, r, 0, &o.name, &fmt.cell)?;
        ws.write_number_with_format(r, 1, o.score, &fmt.number)?;
    }
    let mut bars = Chart::new(ChartType::Bar);
    bars.title().set_name(&t(
        lang,
        "Note boussole (sur 100)",
        "Compass score (out of 100)",
    ));
    bars.add_series()
        .set_name((name, scores, 1))
        .set_categories((name, scores + 1, 0, scores + u32::from(n), 0))
        .set_values((name, scores + 1, 1, scores + u32::from(n), 1));
    // In a bar chart the x axis is the values' and the y axis the categories'.
    bars.x_axis().set_min(0).set_max(100).set_major_unit(20);
    bars.y_axis().set_reverse();
    bars.legend().set_hidden();
    bars.set_width(960).set_height(20 * CHART_ROWS);
    ws.insert_chart(CHART_ROWS + 3, 0, &bars)?;
    // Printed, each chart keeps its page: the bar chart starts a page, the
    // charts' data the next one.
    ws.set_page_breaks(&[CHART_ROWS + 3, data - 1])?;
    Ok(())
}

fn apart_sheet(ws: &mut Worksheet, c: &Comparison, fmt: &Formats) -> Result<(), XlsxError> {
    let lang = c.lang;
    text(
        ws,
        0,
        0,
        &t(lang, "Offres non classées", "Offers not ranked"),
        &fmt.title,
    )?;
    let note = format!(
        "{} {}.",
        t(
            lang,
            "L'outil propose d'écarter ces offres pour le motif indiqué : c'est une",
            "The tool proposes to set these offers aside for the reason given: this is a",
        ),
        proposal(lang)
    );
    text(ws, 1, 0, &note, &Format::new().set_bold())?;
    page(ws);
    let widths = [30.0, 30.0, 40.0, 70.0];
    for (col, width) in widths.into_iter().enumerate() {
        ws.set_column_width(col as u16, width)?;
    }
    // The file stays for whoever filters the sheet; it is not printed.
    ws.set_column_hidden(1)?;
    header(
        ws,
        3,
        0,
        &[
            t(lang, "Soumissionnaire", "Vendor"),
            t(lang, "Fichier", "File"),
            t(lang, "Statut proposé", "Proposed status"),
            t(lang, "Motif", "Reason"),
        ],
        &widths,
        fmt,
    )?;
    for (i, a) in c.apart.iter().enumerate() {
        let r = 4 + i as u32;
        text(ws, r, 0, &a.name, &fmt.cell)?;
        text(ws, r, 1, &a.file, &fmt.cell)?;
        let status = a.status(lang);
        text(ws, r, 2, &status, &fmt.cell)?;
        let reasons = a.reasons.join("\n");
        text(ws, r, 3, &reasons, &fmt.cell)?;
        fit_row(
            ws,
            r,
            &[
                (&status, widths[2]),
                (&reasons, widths[3]),
                (&a.name, widths[0]),
            ],
        )?;
    }
    if c.apart.is_empty() {
        text(
            ws,
            4,
            0,
            &t(
                lang,
                "Toutes les offres sont classées.",
                "Every offer is ranked.",
            ),
            &Format::new().set_italic(),
        )?;
    }
    Ok(())
}
