//! The summary sheet (one row per file) and the charts drawn from it.

use rust_xlsxwriter::{Chart, ChartType, Worksheet, XlsxError};

use super::{Ctx, accepted, header_row, vendor_name};
use crate::office::cells;
use crate::report::{FileReport, FileStatus};
use crate::rule::Severity;

/// First columns of the summary, before the criteria.
const SUMMARY_SCORE: u16 = 5;

/// The summary sheet: one row per file.
pub(super) fn summary(mut ws: Worksheet, cx: &Ctx<'_>) -> Result<Worksheet, XlsxError> {
    let mut headers: Vec<(String, f64)> = [
        (cx.t("Candidat", "Vendor"), 28.0),
        ("SIRET", 18.0),
        (cx.t("Fichier", "File"), 28.0),
        ("SHA-256", 20.0),
        ("Verdict", 22.0),
        (cx.t("Note boussole (/100)", "Compass score (/100)"), 12.0),
    ]
    .map(|(h, w)| (h.to_string(), w))
    .to_vec();
    headers.extend(scored_criteria(cx).map(|c| {
        let weight = crate::text::number(c.weight, cx.lang);
        (format!("{} ({weight}\u{a0}%)", cx.criterion(&c.id)), 12.0)
    }));
    for h in [
        cx.t("Constats éliminatoires", "Eliminatory findings"),
        cx.t("Constats majeurs", "Major findings"),
        cx.t("Constats mineurs", "Minor findings"),
        cx.t("Constats d'information", "Information findings"),
        cx.t("Doutes d'intégrité", "Integrity doubts"),
        cx.t("Constats levés", "Findings lifted"),
        cx.t("Verdict avant décisions", "Verdict before decisions"),
        cx.t("Erreur de lecture", "Reading error"),
    ] {
        headers.push((h.to_string(), 10.0));
    }
    let rows = u32::try_from(cx.report.results.len()).unwrap_or(u32::MAX);
    header_row(&mut ws, cx, &headers, rows)?;
    // Tall enough for a criterion's title wrapped in its narrow column.
    let height = cells::row_height(headers.iter().map(|(h, w)| (h.as_str(), *w)));
    ws.set_row_height(0, height)?;
    for (row, (_, r)) in (1..).zip(cx.report.by_standing()) {
        summary_row(&mut ws, cx, row, r)?;
    }
    cx.fit_rows(&mut ws)?;
    Ok(ws)
}

fn summary_row(
    ws: &mut Worksheet,
    cx: &Ctx<'_>,
    row: u32,
    r: &FileReport,
) -> Result<(), XlsxError> {
    let f = &cx.fmt;
    cx.text(ws, row, 0, &vendor_name(r, cx.lang), &f.cell)?;
    cx.text(ws, row, 1, r.vendor.siret.trim(), &f.cell)?;
    cx.text(ws, row, 2, &r.file, &f.cell)?;
    cx.text(ws, row, 3, &r.sha256, &f.cell)?;
    let verdict = r
        .verdict
        .map_or(cx.t("erreur", "error"), |v| v.label(cx.lang));
    cx.put(ws, row, 4, verdict, &f.verdict(r.verdict))?;
    let mut col = SUMMARY_SCORE;
    let scores = std::iter::once(r.score).chain(scored_criteria(cx).map(|c| {
        r.criteria
            .iter()
            .find(|x| x.id == c.id)
            .and_then(|x| x.score)
    }));
    let irregular = r.judgment.as_ref().is_some_and(|j| !j.scored());
    for score in scores {
        match score {
            Some(s) if r.status == FileStatus::Ok => {
                ws.write_number_with_format(row, col, s, &f.number)?;
            }
            _ if irregular => cx.put(ws, row, col, &r.score_text(cx.lang), &f.cell)?,
            _ => {
                ws.write_blank(row, col, &f.cell)?;
            }
        };
        col += 1;
    }
    let standing = |s: Severity| {
        r.findings
            .iter()
            .filter(|x| x.severity == s && !accepted(x))
            .count()
    };
    let counts = [
        standing(Severity::Eliminatory),
        standing(Severity::Major),
        standing(Severity::Minor),
        standing(Severity::Info),
        r.integrity.len(),
        r.findings.iter().filter(|x| accepted(x)).count(),
    ];
    for n in counts {
        ws.write_number_with_format(row, col, n as f64, &f.cell)?;
        col += 1;
    }
    let before = r
        .before_decisions
        .as_ref()
        .map(|b| b.verdict.label(cx.lang))
        .unwrap_or_default();
    cx.put(ws, row, col, before, &f.cell)?;
    cx.text(
        ws,
        row,
        col + 1,
        r.error.as_deref().unwrap_or_default(),
        &f.cell,
    )
}

/// The charts sheet `name`: a key of the criteria (`C1` … `C7`), then
/// criterion scores per vendor (radar) and compass scores (columns), drawn
/// from the cells of the summary sheet `from`.
pub(super) fn charts(
    mut ws: Worksheet,
    cx: &Ctx<'_>,
    name: &str,
    from: &str,
) -> Result<Worksheet, XlsxError> {
    ws.set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0);
    let scored = || {
        cx.checked()
            .filter(|(_, r)| r.judgment.as_ref().is_some_and(|j| j.scored()))
    };
    if scored().next().is_none() {
        let none = cx.t(
            "Aucune offre n'a de note : pas de graphique.",
            "No offer has a score: no chart.",
        );
        cells::put(&mut ws, 0, 0, none, &cx.fmt.label)?;
        return Ok(ws);
    }
    let n = criteria_key(&mut ws, cx)?;
    let first = SUMMARY_SCORE + 1;
    let last = first + u16::try_from(n.max(1) - 1).unwrap_or(0);
    let mut radar = Chart::new(ChartType::RadarWithMarkers);
    radar
        .title()
        .set_name(cx.t("Notes par critère (/100)", "Scores per criterion (/100)"));
    radar.y_axis().set_min(0).set_max(100).set_major_unit(25);
    for (row, r) in scored() {
        radar
            .add_series()
            .set_name(super::vendor_name(r, cx.lang).as_str())
            .set_categories((name, 1, 0, n, 0))
            .set_values((from, row, first, row, last));
    }
    radar
        .legend()
        .set_position(rust_xlsxwriter::ChartLegendPosition::Bottom);
    radar.set_width(560).set_height(460);
    let below = n + 2;
    ws.insert_chart(below, 0, &radar)?;
    let rows = u32::try_from(cx.report.results.len()).unwrap_or(u32::MAX);
    let mut bars = Chart::new(ChartType::Column);
    bars.title().set_name(cx.t(
        "Note boussole par candidat (/100)",
        "Compass score per vendor (/100)",
    ));
    bars.add_series()
        .set_name((from, 0, SUMMARY_SCORE))
        .set_categories((from, 1, 0, rows, 0))
        .set_values((from, 1, SUMMARY_SCORE, rows, SUMMARY_SCORE));
    bars.y_axis().set_min(0).set_max(100);
    bars.legend().set_hidden();
    bars.set_width(480).set_height(460);
    // Beside the radar, at a distance in pixels: the key's wide column
    // would otherwise slide it over the radar and its legend.
    ws.insert_chart_with_offset(below, 0, &bars, 580, 0)?;
    Ok(ws)
}

/// The key of the radar's axes: each axis named by its criterion's number
/// and first words (`1. Absence d'identification biométrique…`), beside the
/// criterion's full title; returns the number of criteria.
fn criteria_key(ws: &mut Worksheet, cx: &Ctx<'_>) -> Result<u32, XlsxError> {
    ws.set_column_width(0, 36)?;
    cells::put(ws, 0, 0, cx.t("Axe", "Axis"), &cx.fmt.label)?;
    cells::put(ws, 0, 1, cx.t("Critère", "Criterion"), &cx.fmt.label)?;
    let mut n = 0;
    for (row, c) in (1..).zip(scored_criteria(cx)) {
        let title = c.title.get(cx.lang);
        let words: Vec<&str> = title.split_whitespace().collect();
        let short = if words.len() > 4 {
            format!("{}. {}…", c.order, words[..4].join(" "))
        } else {
            format!("{}. {title}", c.order)
        };
        cx.put(ws, row, 0, &short, &cx.fmt.cell)?;
        cx.put(ws, row, 1, &cx.criterion(&c.id), &cx.fmt.plain)?;
        n = row;
    }
    Ok(n)
}

/// The criteria that carry points: a criterion weighted 0 (criterion 1,
/// whose requirements are conditions of regularity) has no score to show.
fn scored_criteria<'a>(
    cx: &'a Ctx<'_>,
) -> impl Iterator<Item = &'a crate::selection::SelectedCriterion> + 'a {
    cx.sel.criteria.iter().filter(|c| c.weight > 0.0)
}
