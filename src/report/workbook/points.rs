//! The points sheet (one row per finding, the decision columns beside the
//! finding) and
//! the detail sheet (every question of every file).

use rust_xlsxwriter::{
    ConditionalFormatCell, ConditionalFormatCellRule, ConditionalFormatFormula, DataValidation,
    DataValidationErrorStyle, DataValidationRule, ExcelDateTime, Format, Worksheet, XlsxError,
};

use super::{Ctx, excel_date, header_row, question_status, vendor_name};
use crate::check::QuestionResult;
use crate::date::Date;
use crate::finding::{DecisionKind, Finding};
use crate::office::cells;
use crate::report::FileReport;
use crate::report::decisions::Column;
use crate::rule::Severity;

/// The points sheet: one row per finding, eliminatory and major first.
pub(super) fn points(mut ws: Worksheet, cx: &Ctx<'_>) -> Result<Worksheet, XlsxError> {
    let mut all: Vec<(&FileReport, &Finding)> = cx
        .checked()
        .flat_map(|(_, r)| r.findings.iter().map(move |f| (r, f)))
        .collect();
    // stable: within a severity, files in report order, findings in theirs
    all.sort_by_key(|(_, f)| std::cmp::Reverse(f.severity));
    let headers: Vec<(String, f64)> = Column::ALL
        .iter()
        .map(|c| (c.header(cx.lang).to_string(), c.width()))
        .collect();
    let last = u32::try_from(all.len()).unwrap_or(u32::MAX);
    header_row(&mut ws, cx, &headers, last)?;
    for (row, (r, f)) in (1..).zip(&all) {
        point_row(&mut ws, cx, row, r, f)?;
    }
    if last > 0 {
        decision_inputs(&mut ws, cx, last)?;
        severity_colours(&mut ws, cx, last)?;
    }
    cx.fit_rows(&mut ws)?;
    Ok(ws)
}

/// The column of `c` in the points sheet.
fn col(c: Column) -> u16 {
    Column::ALL
        .iter()
        .position(|x| *x == c)
        .map_or(0, |i| i as u16)
}

fn point_row(
    ws: &mut Worksheet,
    cx: &Ctx<'_>,
    row: u32,
    r: &FileReport,
    f: &Finding,
) -> Result<(), XlsxError> {
    let fm = &cx.fmt;
    let clauses: Vec<String> = f
        .clauses
        .iter()
        .map(|id| {
            let title = cx
                .sel
                .clauses
                .iter()
                .find(|c| &c.id == id)
                .map(|c| c.title.get(cx.lang));
            match (cx.articles.get(id), title) {
                (Some(n), Some(t)) => format!("art. {n} — {t}"),
                _ => id.clone(),
            }
        })
        .collect();
    let legal = f.printed_legal();
    let values = [
        (Column::Vendor, vendor_name(r, cx.lang)),
        (Column::Severity, f.severity.label(cx.lang).to_string()),
        (Column::Status, f.status.label(cx.lang).to_string()),
        (Column::Criterion, cx.criterion(&f.criterion)),
        (Column::Question, f.question.clone()),
        (Column::QuestionText, f.question_text.clone()),
        (Column::Answer, f.answer.clone()),
        (Column::Comment, f.comment.clone()),
        (Column::Rule, f.message.clone()),
        (Column::Clauses, clauses.join("\n")),
        (Column::Legal, legal.join("\n")),
        (Column::Code, f.code.name()),
        (Column::File, r.file.clone()),
        (Column::Sha256, r.sha256.clone()),
    ];
    for (c, v) in &values {
        cx.text(ws, row, col(*c), v, &fm.cell)?;
    }
    let d = f.decision.as_ref();
    let label = d.map(|d| d.decision.label(cx.lang)).unwrap_or_default();
    cells::put_text(ws, row, col(Column::Decision), label, "", &fm.input)?;
    cx.text(
        ws,
        row,
        col(Column::Reviewer),
        d.map(|d| d.reviewer.as_str()).unwrap_or_default(),
        &fm.input,
    )?;
    let date = d.map(|d| d.date.as_str()).unwrap_or_default();
    match Date::parse_loose(date).and_then(|x| excel_date(x).ok()) {
        Some(x) => ws
            .write_datetime_with_format(row, col(Column::Date), &x, &fm.input_date)
            .map(|_| ())?,
        None => cx.text(ws, row, col(Column::Date), date, &fm.input_date)?,
    }
    cx.text(
        ws,
        row,
        col(Column::ReviewComment),
        d.map(|d| d.comment.as_str()).unwrap_or_default(),
        &fm.input,
    )?;
    Ok(())
}

/// The decision drop-down and the date check, on every finding's row.
fn decision_inputs(ws: &mut Worksheet, cx: &Ctx<'_>, last: u32) -> Result<(), XlsxError> {
    let labels: Vec<&str> = DecisionKind::ALL.iter().map(|k| k.label(cx.lang)).collect();
    let c = col(Column::Decision);
    let dropdown = DataValidation::new()
        .allow_list_strings(&labels)?
        .set_input_title(cx.t("Décision", "Decision"))?
        .set_input_message(cx.t(
            "Choisissez la décision. Un constat levé ne compte plus dans le jugement de l'offre au rapport suivant.",
            "Choose the decision. An accepted finding stops counting in the next report (boussole check --decisions).",
        ))?
        .set_error_title(cx.t("Décision inconnue", "Unknown decision"))?
        .set_error_message(cx.t("Choisissez une valeur de la liste.", "Choose a value from the list."))?;
    ws.add_data_validation(1, c, last, c, &dropdown)?;
    let d = col(Column::Date);
    let date = DataValidation::new()
        .allow_date(DataValidationRule::Between(
            ExcelDateTime::from_ymd(2000, 1, 1)?,
            ExcelDateTime::from_ymd(2100, 12, 31)?,
        ))
        .set_error_style(DataValidationErrorStyle::Warning)
        .set_error_title(cx.t("Date attendue", "Date expected"))?
        .set_error_message(cx.t(
            "Une date est attendue (AAAA-MM-JJ ou JJ/MM/AAAA).",
            "A date is expected (YYYY-MM-DD or DD/MM/YYYY).",
        ))?;
    ws.add_data_validation(1, d, last, d, &date)?;
    Ok(())
}

/// Decisions coloured by kind, then rows coloured by severity (the
/// decision's colour wins in its own cell).
fn severity_colours(ws: &mut Worksheet, cx: &Ctx<'_>, last: u32) -> Result<(), XlsxError> {
    let fill = |bg: u32, fg: u32| Format::new().set_background_color(bg).set_font_color(fg);
    let c = col(Column::Decision);
    let decision_colours = [
        (DecisionKind::Lifted, fill(0xC6EFCE, 0x006100)),
        (DecisionKind::Confirmed, fill(0xFFC7CE, 0x9C0006)),
        (
            DecisionKind::ClarificationRequested,
            fill(0xFFEB9C, 0x9C5700),
        ),
    ];
    for (kind, format) in decision_colours {
        let rule = ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::EqualTo(kind.label(cx.lang)))
            .set_format(format);
        ws.add_conditional_format(1, c, last, c, &rule)?;
    }
    let sev = rust_xlsxwriter::column_number_to_name(col(Column::Severity));
    let last_col = u16::try_from(Column::ALL.len() - 1).unwrap_or(0);
    for (s, format) in [
        (Severity::Eliminatory, fill(0xFFC7CE, 0x9C0006)),
        (Severity::Major, fill(0xFCE4D6, 0x833C0B)),
    ] {
        let label = s.label(cx.lang).replace('"', "\"\"");
        let rule = ConditionalFormatFormula::new()
            .set_rule(format!("=${sev}2=\"{label}\"").as_str())
            .set_format(format);
        ws.add_conditional_format(1, 0, last, last_col, &rule)?;
    }
    Ok(())
}

/// The detail sheet: every question of every file.
pub(super) fn detail(mut ws: Worksheet, cx: &Ctx<'_>) -> Result<Worksheet, XlsxError> {
    let headers: Vec<(String, f64)> = [
        (cx.t("Soumissionnaire", "Vendor"), 26.0),
        (cx.t("Fichier", "File"), 24.0),
        ("Question", 10.0),
        (cx.t("Critère", "Criterion"), 30.0),
        (cx.t("Intitulé de la question", "Question text"), 56.0),
        (cx.t("Statut", "Status"), 16.0),
        (cx.t("Réponse brute", "Raw answer"), 36.0),
        (cx.t("Valeur retenue", "Value read"), 24.0),
    ]
    .map(|(h, w)| (h.to_string(), w))
    .to_vec();
    let total: usize = cx.checked().map(|(_, r)| r.questions.len()).sum();
    header_row(
        &mut ws,
        cx,
        &headers,
        u32::try_from(total).unwrap_or(u32::MAX),
    )?;
    let mut row = 1;
    for (_, r) in cx.checked() {
        for q in &r.questions {
            detail_row(&mut ws, cx, row, r, q)?;
            row += 1;
        }
    }
    cx.fit_rows(&mut ws)?;
    Ok(ws)
}

/// One question of one file: vendor, file, question, status, raw answer,
/// normalised value (a number as a number). Decisions are the points
/// sheet's: a column here would stay empty for every question without a
/// finding.
fn detail_row(
    ws: &mut Worksheet,
    cx: &Ctx<'_>,
    row: u32,
    r: &FileReport,
    q: &QuestionResult,
) -> Result<(), XlsxError> {
    let f = &cx.fmt;
    let asked = cx.sel.questions.iter().find(|x| x.id == q.id);
    let criterion = asked
        .map(|x| cx.criterion(&x.criterion))
        .unwrap_or_default();
    cx.text(ws, row, 0, &vendor_name(r, cx.lang), &f.cell)?;
    cx.text(ws, row, 1, &r.file, &f.cell)?;
    cx.put(ws, row, 2, &q.id, &f.cell)?;
    cx.put(ws, row, 3, &criterion, &f.cell)?;
    let text = asked.map(|x| x.text.get(cx.lang)).unwrap_or_default();
    cx.put(ws, row, 4, text, &f.cell)?;
    cx.put(ws, row, 5, question_status(q.status, cx.lang), &f.cell)?;
    // A choice reads as its label, the words the vendor picked from.
    let one = |id: &str| {
        asked
            .and_then(|x| {
                x.choices
                    .iter()
                    .find(|c| c.id.eq_ignore_ascii_case(id.trim()))
            })
            .map(|c| c.label.get(cx.lang).to_string())
    };
    let label = |raw: &str| {
        let parts: Vec<Option<String>> = raw.split(';').map(one).collect();
        if parts.iter().all(Option::is_some) {
            parts.into_iter().flatten().collect::<Vec<_>>().join("; ")
        } else {
            crate::finding::shown(raw, cx.lang)
        }
    };
    cx.text(ws, row, 6, &label(&q.raw), &f.cell)?;
    match &q.value {
        Some(serde_json::Value::Number(n)) => {
            ws.write_number_with_format(row, 7, n.as_f64().unwrap_or_default(), &f.cell)?;
        }
        Some(v) => cx.text(ws, row, 7, &value_text(v, &label), &f.cell)?,
        None => {
            ws.write_blank(row, 7, &f.cell)?;
        }
    }
    Ok(())
}

/// A normalised value as text: strings through `label` (a choice's id
/// becomes its label), lists joined with `; `.
fn value_text(v: &serde_json::Value, label: &dyn Fn(&str) -> String) -> String {
    match v {
        serde_json::Value::String(s) => label(s),
        serde_json::Value::Array(items) => items
            .iter()
            .map(|i| value_text(i, label))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}
