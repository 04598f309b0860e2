//! The summary sheet (one row per file) and the charts drawn from it.

use rust_xlsxwriter::{Chart, ChartType, Worksheet, XlsxError};

use super::{Ctx, accepted, header_row, vendor_name};
use crate::office::cells;
use crate::report::{FileReport, FileStatus};
use crate::rule::Severity;

/// Columns of the summary: rank 0, vendor 1, verdict 2, compass score 3,
/// points 4, then the points of each criterion.
const SUMMARY_VENDOR: u16 = 1;
const SUMMARY_SCORE: u16 = 3;

/// The summary sheet: one row per file, in the judgment's order (offers set
/// aside, then those to regularise, then the ranking): the rank and the
/// verdict first, the points out of the weights announced in the RC, the
/// findings, and last where the row comes from (SIRET, file, SHA-256).
pub(super) fn summary(mut ws: Worksheet, cx: &Ctx<'_>) -> Result<Worksheet, XlsxError> {
    let num = |x: f64| crate::text::number((x * 100.0).round() / 100.0, cx.lang);
    let share = cx.sel.plan.compass_share;
    let mut headers: Vec<(String, f64)> = vec![
        (cx.t("Rang", "Rank").to_string(), 13.0),
        (cx.t("Soumissionnaire", "Vendor").to_string(), 28.0),
        ("Verdict".to_string(), 22.0),
        (
            cx.t("Note boussole (sur 100)", "Compass score (out of 100)")
                .to_string(),
            12.0,
        ),
        (
            match cx.lang {
                crate::text::Lang::Fr => format!("Points (sur {})", num(share)),
                crate::text::Lang::En => format!("Points (out of {})", num(share)),
            },
            12.0,
        ),
    ];
    headers.extend(scored_criteria(cx).map(|c| {
        let out_of = num(c.weight * share / 100.0);
        let title = cx.criterion(&c.id);
        let header = match cx.lang {
            crate::text::Lang::Fr => format!("{title} — points (sur {out_of})"),
            crate::text::Lang::En => format!("{title} — points (out of {out_of})"),
        };
        (header, 14.0)
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
        headers.push((h.to_string(), 13.0));
    }
    headers.extend(
        [
            ("SIRET", 18.0),
            (cx.t("Fichier", "File"), 28.0),
            ("SHA-256", 20.0),
        ]
        .map(|(h, w)| (h.to_string(), w)),
    );
    let rows = u32::try_from(cx.report.results.len()).unwrap_or(u32::MAX);
    header_row(&mut ws, cx, &headers, rows)?;
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
    let judgment = r.judgment.as_ref().filter(|_| r.status == FileStatus::Ok);
    match judgment.and_then(|j| j.rank) {
        Some(rank) => {
            let centred = f
                .cell
                .clone()
                .set_align(rust_xlsxwriter::FormatAlign::Center);
            ws.write_number_with_format(row, 0, f64::from(rank), &centred)?;
        }
        None => {
            let standing = judgment.map_or("—", |j| match j.standing {
                crate::judgment::Standing::Irregular => cx.t("écartée", "set aside"),
                crate::judgment::Standing::ToRegularise => cx.t("à régulariser", "to regularise"),
                crate::judgment::Standing::Ranked => "—",
            });
            cx.put(ws, row, 0, standing, &f.cell)?;
        }
    }
    cx.text(ws, row, SUMMARY_VENDOR, &vendor_name(r, cx.lang), &f.cell)?;
    let verdict = r
        .verdict
        .map_or(cx.t("erreur", "error"), |v| v.label(cx.lang));
    cx.put(ws, row, 2, verdict, &f.verdict(r.verdict))?;
    let mut col = SUMMARY_SCORE;
    let points = judgment.and_then(|j| j.points);
    let values = [r.score, points]
        .into_iter()
        .chain(scored_criteria(cx).map(|c| {
            r.criteria
                .iter()
                .find(|x| x.id == c.id)
                .and_then(|x| x.points)
        }));
    let irregular = judgment.is_some_and(|j| !j.scored());
    for value in values {
        match value {
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
    )?;
    cx.text(ws, row, col + 2, r.vendor.siret.trim(), &f.cell)?;
    cx.text(ws, row, col + 3, &r.file, &f.cell)?;
    cx.text(ws, row, col + 4, &r.sha256, &f.cell)
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
    let offers: Vec<&FileReport> = scored().map(|(_, r)| r).collect();
    let n = criteria_key(&mut ws, cx, &offers)?;
    let mut radar = Chart::new(ChartType::RadarWithMarkers);
    radar.title().set_name(cx.t(
        "Notes par critère (sur 100)",
        "Scores per criterion (out of 100)",
    ));
    radar.y_axis().set_min(0).set_max(100).set_major_unit(25);
    for (col, r) in (2..).zip(&offers) {
        radar
            .add_series()
            .set_name(super::vendor_name(r, cx.lang).as_str())
            .set_categories((name, 1, 0, n, 0))
            .set_values((name, 1, col, n, col));
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
        "Note boussole par soumissionnaire (sur 100)",
        "Compass score per vendor (out of 100)",
    ));
    bars.add_series()
        .set_name((from, 0, SUMMARY_SCORE))
        .set_categories((from, 1, SUMMARY_VENDOR, rows, SUMMARY_VENDOR))
        .set_values((from, 1, SUMMARY_SCORE, rows, SUMMARY_SCORE));
    bars.y_axis().set_min(0).set_max(100);
    bars.legend().set_hidden();
    bars.set_width(480).set_height(460);
    // Beside the radar, at a distance in pixels: the key's wide column
    // would otherwise slide it over the radar and its legend.
    ws.insert_chart_with_offset(below, 0, &bars, 580, 0)?;
    Ok(ws)
}

/// The key of the radar's axes and its data: each axis named by its
/// criterion's number and first words (`1. Absence d'identification
/// biométrique…`), beside the criterion's full title and each offer's
/// score out of 100; returns the number of criteria.
fn criteria_key(
    ws: &mut Worksheet,
    cx: &Ctx<'_>,
    offers: &[&FileReport],
) -> Result<u32, XlsxError> {
    let mut widths = vec![36.0, 50.0];
    widths.extend(offers.iter().map(|_| 14.0));
    for (col, w) in (0..).zip(&widths) {
        ws.set_column_width(col, *w)?;
    }
    cx.columns(widths);
    cells::put(ws, 0, 0, cx.t("Axe", "Axis"), &cx.fmt.header)?;
    cells::put(ws, 0, 1, cx.t("Critère", "Criterion"), &cx.fmt.header)?;
    for (col, r) in (2..).zip(offers) {
        let head = format!(
            "{} {}",
            vendor_name(r, cx.lang),
            cx.t("(sur 100)", "(out of 100)")
        );
        cells::put_text(ws, 0, col, &head, "", &cx.fmt.header)?;
    }
    ws.set_row_height(
        0,
        cells::row_height(offers.iter().map(|r| (r.vendor.name.as_str(), 14.0))),
    )?;
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
        cx.put(ws, row, 1, &cx.criterion(&c.id), &cx.fmt.cell)?;
        for (col, r) in (2..).zip(offers) {
            let score = r
                .criteria
                .iter()
                .find(|x| x.id == c.id)
                .and_then(|x| x.score);
            match score {
                Some(s) => ws.write_number_with_format(row, col, s, &cx.fmt.number)?,
                None => ws.write_blank(row, col, &cx.fmt.cell)?,
            };
        }
        n = row;
    }
    cx.fit_rows(ws)?;
    Ok(n)
}

/// The criteria that carry points: a criterion weighted 0 (criterion 1,
/// whose requirements are conditions of regularity) has no score to show.
fn scored_criteria<'a>(
    cx: &'a Ctx<'_>,
) -> impl Iterator<Item = &'a crate::selection::SelectedCriterion> + 'a {
    cx.sel.criteria.iter().filter(|c| c.weight > 0.0)
}
