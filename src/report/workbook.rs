//! The scoring workbook (`boussole check --format xlsx`): what legal staff
//! and the evaluation committee review, and where they record decisions.
//!
//! Five sheets, named in the report's language:
//!
//! - **Synthèse**: one row per file: vendor, SIRET, file, SHA-256, verdict
//!   (coloured), compass score, one score per criterion, standing findings
//!   by severity, integrity doubts, accepted findings, the verdict before
//!   decisions, and the reading error if any;
//! - **Points à examiner**: one row per finding, eliminatory and major
//!   first, with the vendor's exact answer and comment, the rule, clauses
//!   and legal basis, then the decision columns (a drop-down, reviewer,
//!   date, comment) that [`super::decisions`] reads back; filters, a frozen
//!   header, rows coloured by severity and decisions by kind;
//! - **Détail**: every question of every file: status, raw answer,
//!   normalised value;
//! - **Graphiques**: a radar of the criterion scores per vendor and a column
//!   chart of compass scores, native charts drawn from the summary's cells;
//! - **Provenance**: tool, library and profile, dates, files passed over,
//!   and the decisions read (with orphans and rows passed over).
//!
//! Every text from a file (answers, comments, names) goes through
//! [`cells::put_text`]: a string, never a formula, quote-prefixed when it
//! starts like one, cleaned, cut to the cell limit with a marker. The
//! creation date is the report's (`SOURCE_DATE_EPOCH` honoured), so the same
//! inputs give the same bytes.

use std::collections::BTreeMap;

use rust_xlsxwriter::{
    Chart, ChartType, ConditionalFormatCell, ConditionalFormatCellRule, ConditionalFormatFormula,
    DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties, ExcelDateTime,
    Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use super::decisions::{self, Column};
use super::{FileReport, FileStatus, Report};
use crate::Error;
use crate::check::{Basis, Verdict};
use crate::date::Date;
use crate::finding::{DecisionKind, Finding, FindingStatus, Status};
use crate::library::LegalStatus;
use crate::office::cells;
use crate::rule::Severity;
use crate::selection::Selection;
use crate::text::Lang;

/// Renders the scoring workbook of `report` as XLSX bytes.
pub fn render(report: &Report, basis: &Basis) -> Result<Vec<u8>, Error> {
    build(&Ctx::new(report, basis))
        .and_then(|mut wb| wb.save_to_buffer())
        .map_err(|e| Error::Render {
            what: "XLSX scoring workbook".into(),
            message: e.to_string(),
        })
}

/// What every sheet needs.
struct Ctx<'a> {
    report: &'a Report,
    sel: &'a Selection,
    lang: Lang,
    fmt: Formats,
    /// Clause id → article number in the annex.
    articles: BTreeMap<String, String>,
}

impl<'a> Ctx<'a> {
    fn new(report: &'a Report, basis: &'a Basis) -> Ctx<'a> {
        Ctx {
            report,
            sel: &basis.selection,
            lang: basis.lang,
            fmt: Formats::new(),
            articles: crate::annex::article_numbers(&basis.selection),
        }
    }

    fn t(&self, fr: &'static str, en: &'static str) -> &'static str {
        if self.lang == Lang::Fr { fr } else { en }
    }

    /// Writes untrusted text (see [`cells::put_text`]).
    fn text(
        &self,
        ws: &mut Worksheet,
        row: u32,
        col: u16,
        value: &str,
        fmt: &Format,
    ) -> Result<(), XlsxError> {
        let marker = self.t(
            " […] [texte tronqué : version intégrale dans le rapport JSON et le mémo]",
            " […] [text cut: in full in the JSON report and the memo]",
        );
        cells::put_text(ws, row, col, value, marker, fmt)
    }

    /// The criterion's title, numbered as in the annex.
    fn criterion(&self, id: &str) -> String {
        self.sel.criteria.iter().find(|c| c.id == id).map_or_else(
            || id.to_string(),
            |c| format!("{}. {}", c.order, c.title.get(self.lang)),
        )
    }

    /// The files that could be checked, with their row in the summary.
    fn checked(&self) -> impl Iterator<Item = (u32, &'a FileReport)> + 'a {
        (1..)
            .zip(&self.report.results)
            .filter(|(_, r)| r.status == FileStatus::Ok)
    }
}

/// The cell formats, made once.
struct Formats {
    header: Format,
    cell: Format,
    number: Format,
    input: Format,
    input_date: Format,
    label: Format,
    title: Format,
}

impl Formats {
    fn new() -> Formats {
        let cell = Format::new()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_border(FormatBorder::Thin);
        let input = cell.clone().set_background_color(0xFFF8DC);
        Formats {
            header: cell.clone().set_bold().set_background_color(0xD9E2F3),
            number: cell.clone().set_num_format("0.0"),
            input_date: input.clone().set_num_format("yyyy-mm-dd"),
            input,
            cell,
            label: Format::new().set_bold().set_align(FormatAlign::Top),
            title: Format::new().set_bold().set_font_size(14),
        }
    }

    /// The verdict's colours: background and font.
    fn verdict(&self, verdict: Option<Verdict>) -> Format {
        let (bg, fg) = match verdict {
            Some(Verdict::Compliant) => (0xC6EFCE, 0x006100),
            Some(Verdict::CompliantWithReservations) => (0xFCE4D6, 0x833C0B),
            Some(Verdict::Incomplete) => (0xFFEB9C, 0x9C5700),
            Some(Verdict::NonCompliant) => (0xFFC7CE, 0x9C0006),
            None => (0xD9D9D9, 0x000000),
        };
        self.cell
            .clone()
            .set_bold()
            .set_background_color(bg)
            .set_font_color(fg)
    }
}

fn build(cx: &Ctx<'_>) -> Result<Workbook, XlsxError> {
    let names = sheet_names(cx.lang);
    let mut wb = Workbook::new();
    wb.set_properties(&properties(cx)?);
    wb.push_worksheet(summary(named(names[0])?, cx)?);
    wb.push_worksheet(points(named(names[1])?, cx)?);
    wb.push_worksheet(detail(named(names[2])?, cx)?);
    wb.push_worksheet(charts(named(names[3])?, cx, names[0])?);
    wb.push_worksheet(provenance(named(names[4])?, cx)?);
    Ok(wb)
}

/// The sheets' names: summary, points, detail, charts, provenance.
pub fn sheet_names(lang: Lang) -> [&'static str; 5] {
    match lang {
        Lang::Fr => [
            "Synthèse",
            decisions::sheet_name(lang),
            "Détail",
            "Graphiques",
            "Provenance",
        ],
        Lang::En => [
            "Summary",
            decisions::sheet_name(lang),
            "Detail",
            "Charts",
            "Provenance",
        ],
    }
}

fn named(name: &str) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name(name)?;
    Ok(ws)
}

/// A header row in row 0, with widths, frozen, filtered down to `last_row`.
fn header_row(
    ws: &mut Worksheet,
    cx: &Ctx<'_>,
    headers: &[(String, f64)],
    last_row: u32,
) -> Result<(), XlsxError> {
    for (col, (h, width)) in (0..).zip(headers) {
        cells::put(ws, 0, col, h, &cx.fmt.header)?;
        ws.set_column_width(col, *width)?;
    }
    let last_col = u16::try_from(headers.len().saturating_sub(1)).unwrap_or(0);
    ws.autofilter(0, 0, last_row.max(1), last_col)?;
    ws.set_freeze_panes(1, 1)?;
    Ok(())
}

/// First columns of the summary, before the criteria.
const SUMMARY_SCORE: u16 = 5;

/// The summary sheet: one row per file.
fn summary(mut ws: Worksheet, cx: &Ctx<'_>) -> Result<Worksheet, XlsxError> {
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
    headers.extend(cx.sel.criteria.iter().map(|c| (cx.criterion(&c.id), 14.0)));
    for h in [
        cx.t("Constats éliminatoires", "Eliminatory findings"),
        cx.t("Constats majeurs", "Major findings"),
        cx.t("Constats mineurs", "Minor findings"),
        cx.t("Constats d'information", "Information findings"),
        cx.t("Doutes d'intégrité", "Integrity doubts"),
        cx.t("Constats acceptés", "Accepted findings"),
        cx.t("Verdict avant décisions", "Verdict before decisions"),
        cx.t("Erreur de lecture", "Reading error"),
    ] {
        headers.push((h.to_string(), 14.0));
    }
    let rows = u32::try_from(cx.report.results.len()).unwrap_or(u32::MAX);
    header_row(&mut ws, cx, &headers, rows)?;
    ws.set_row_height(0, 45)?;
    for (row, r) in (1..).zip(&cx.report.results) {
        summary_row(&mut ws, cx, row, r)?;
    }
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
    cells::put(ws, row, 4, verdict, &f.verdict(r.verdict))?;
    let mut col = SUMMARY_SCORE;
    let scores = std::iter::once(r.score).chain(
        cx.sel
            .criteria
            .iter()
            .map(|c| r.criteria.iter().find(|x| x.id == c.id).map(|x| x.score)),
    );
    for score in scores {
        match score {
            Some(s) if r.status == FileStatus::Ok => {
                ws.write_number_with_format(row, col, s, &f.number)?
            }
            _ => ws.write_blank(row, col, &f.cell)?,
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
    cells::put(ws, row, col, before, &f.cell)?;
    cx.text(
        ws,
        row,
        col + 1,
        r.error.as_deref().unwrap_or_default(),
        &f.cell,
    )
}

/// The vendor as named in its file, or a mention of the file when unnamed.
fn vendor_name(r: &FileReport, lang: Lang) -> String {
    let name = r.vendor.name.trim();
    if !name.is_empty() {
        return name.to_string();
    }
    let file = std::path::Path::new(&r.file)
        .file_name()
        .map_or(r.file.clone(), |n| n.to_string_lossy().into_owned());
    match lang {
        Lang::Fr => format!("(sans nom : {file})"),
        Lang::En => format!("(no name: {file})"),
    }
}

fn accepted(f: &Finding) -> bool {
    f.decision
        .as_ref()
        .is_some_and(|d| d.decision == DecisionKind::Accepted)
}

/// The points sheet: one row per finding, eliminatory and major first.
fn points(mut ws: Worksheet, cx: &Ctx<'_>) -> Result<Worksheet, XlsxError> {
    let mut all: Vec<(&FileReport, &Finding)> = cx
        .checked()
        .flat_map(|(_, r)| r.findings.iter().map(move |f| (r, f)))
        .collect();
    // stable: within a severity, files in report order, findings in theirs
    all.sort_by_key(|(_, f)| std::cmp::Reverse(f.severity));
    let widths = [
        26.0, 13.0, 16.0, 22.0, 10.0, 40.0, 36.0, 30.0, 40.0, 24.0, 30.0, 20.0, 18.0, 14.0, 34.0,
        16.0, 24.0, 20.0,
    ];
    let headers: Vec<(String, f64)> = Column::ALL
        .iter()
        .zip(widths)
        .map(|(c, w)| (c.header(cx.lang).to_string(), w))
        .collect();
    let last = u32::try_from(all.len()).unwrap_or(u32::MAX);
    header_row(&mut ws, cx, &headers, last)?;
    ws.set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    for (row, (r, f)) in (1..).zip(&all) {
        point_row(&mut ws, cx, row, r, f)?;
    }
    if last > 0 {
        decision_inputs(&mut ws, cx, last)?;
        severity_colours(&mut ws, cx, last)?;
    }
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
                (Some(n), Some(t)) => format!("{} {n} — {t}", cx.t("art.", "art.")),
                _ => id.clone(),
            }
        })
        .collect();
    let legal: Vec<&str> = f
        .legal
        .iter()
        .filter(|l| l.status == LegalStatus::Verified)
        .map(|l| l.text.as_str())
        .collect();
    let values = [
        (Column::Vendor, vendor_name(r, cx.lang)),
        (Column::Severity, severity(f.severity, cx.lang).to_string()),
        (
            Column::Status,
            finding_status(f.status, cx.lang).to_string(),
        ),
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
    ws.set_row_height(row, height(&values.map(|(_, v)| v)))?;
    Ok(())
}

/// A row tall enough for a few lines of its longest text, at most 8 lines:
/// office applications do not all fit rows to wrapped text on opening.
fn height(texts: &[String]) -> f64 {
    let lines = texts
        .iter()
        .map(|t| {
            t.split('\n')
                .map(|l| l.chars().count().div_ceil(40).max(1))
                .sum::<usize>()
        })
        .max()
        .unwrap_or(1)
        .clamp(1, 8);
    15.0 * lines as f64
}

/// The decision drop-down and the date check, on every finding's row.
fn decision_inputs(ws: &mut Worksheet, cx: &Ctx<'_>, last: u32) -> Result<(), XlsxError> {
    let labels: Vec<&str> = DecisionKind::ALL.iter().map(|k| k.label(cx.lang)).collect();
    let c = col(Column::Decision);
    let dropdown = DataValidation::new()
        .allow_list_strings(&labels)?
        .set_input_title(cx.t("Décision", "Decision"))?
        .set_input_message(cx.t(
            "Choisissez la décision. Un constat accepté ne compte plus au rapport suivant (boussole check --decisions).",
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
        (DecisionKind::Accepted, fill(0xC6EFCE, 0x006100)),
        (DecisionKind::Rejected, fill(0xFFC7CE, 0x9C0006)),
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
        let label = severity(s, cx.lang).replace('"', "\"\"");
        let rule = ConditionalFormatFormula::new()
            .set_rule(format!("=${sev}2=\"{label}\"").as_str())
            .set_format(format);
        ws.add_conditional_format(1, 0, last, last_col, &rule)?;
    }
    Ok(())
}

/// The detail sheet: every question of every file.
fn detail(mut ws: Worksheet, cx: &Ctx<'_>) -> Result<Worksheet, XlsxError> {
    let headers: Vec<(String, f64)> = [
        (cx.t("Candidat", "Vendor"), 26.0),
        (cx.t("Fichier", "File"), 24.0),
        ("Question", 10.0),
        (cx.t("Critère", "Criterion"), 22.0),
        (cx.t("Intitulé de la question", "Question text"), 44.0),
        (cx.t("Statut", "Status"), 16.0),
        (cx.t("Réponse brute", "Raw answer"), 36.0),
        (cx.t("Valeur normalisée", "Normalised value"), 24.0),
        (cx.t("Décision", "Decision"), 18.0),
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
    let f = &cx.fmt;
    let mut row = 1;
    for (_, r) in cx.checked() {
        let vendor = vendor_name(r, cx.lang);
        for q in &r.questions {
            let asked = cx.sel.questions.iter().find(|x| x.id == q.id);
            let criterion = asked
                .map(|x| cx.criterion(&x.criterion))
                .unwrap_or_default();
            let decision = r
                .findings
                .iter()
                .find(|x| x.question == q.id)
                .and_then(|x| x.decision.as_ref())
                .map(|d| d.decision.label(cx.lang))
                .unwrap_or_default();
            cx.text(&mut ws, row, 0, &vendor, &f.cell)?;
            cx.text(&mut ws, row, 1, &r.file, &f.cell)?;
            cells::put(&mut ws, row, 2, &q.id, &f.cell)?;
            cells::put(&mut ws, row, 3, &criterion, &f.cell)?;
            cells::put(
                &mut ws,
                row,
                4,
                asked.map(|x| x.text.get(cx.lang)).unwrap_or_default(),
                &f.cell,
            )?;
            cells::put(&mut ws, row, 5, question_status(q.status, cx.lang), &f.cell)?;
            cx.text(&mut ws, row, 6, &q.raw, &f.cell)?;
            match &q.value {
                Some(serde_json::Value::Number(n)) => {
                    ws.write_number_with_format(row, 7, n.as_f64().unwrap_or_default(), &f.cell)?;
                }
                Some(v) => cx.text(&mut ws, row, 7, &value_text(v), &f.cell)?,
                None => ws.write_blank(row, 7, &f.cell).map(|_| ())?,
            }
            cells::put(&mut ws, row, 8, decision, &f.cell)?;
            row += 1;
        }
    }
    Ok(ws)
}

/// A normalised value as text: strings as they are, lists joined with `; `.
fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => {
            items.iter().map(value_text).collect::<Vec<_>>().join("; ")
        }
        other => other.to_string(),
    }
}

/// The charts sheet: criterion scores per vendor (radar) and compass scores
/// (columns), drawn from the cells of the summary sheet `from`.
fn charts(mut ws: Worksheet, cx: &Ctx<'_>, from: &str) -> Result<Worksheet, XlsxError> {
    if cx.checked().next().is_none() {
        cells::put(
            &mut ws,
            0,
            0,
            cx.t(
                "Aucun fichier n'a pu être vérifié : pas de graphique.",
                "No file could be checked: no chart.",
            ),
            &cx.fmt.label,
        )?;
        return Ok(ws);
    }
    let first = SUMMARY_SCORE + 1;
    let last = first + u16::try_from(cx.sel.criteria.len().max(1) - 1).unwrap_or(0);
    let mut radar = Chart::new(ChartType::RadarWithMarkers);
    radar
        .title()
        .set_name(cx.t("Notes par critère (/100)", "Scores per criterion (/100)"));
    radar.y_axis().set_min(0).set_max(100);
    for (row, _) in cx.checked() {
        radar
            .add_series()
            .set_name((from, row, 0))
            .set_categories((from, 0, first, 0, last))
            .set_values((from, row, first, row, last));
    }
    radar.set_width(760).set_height(520);
    ws.insert_chart(1, 0, &radar)?;
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
    bars.set_width(760).set_height(400);
    ws.insert_chart(28, 0, &bars)?;
    Ok(ws)
}

/// The provenance sheet: where the report comes from, and the review read.
fn provenance(mut ws: Worksheet, cx: &Ctx<'_>) -> Result<Worksheet, XlsxError> {
    ws.set_column_width(0, 34)?.set_column_width(1, 90)?;
    let rep = cx.report;
    let mut lines: Vec<(String, String)> = vec![
        (
            cx.t("Outil", "Tool").into(),
            format!("{} {}", rep.tool.name, rep.tool.version),
        ),
        (
            cx.t(
                "Bibliothèque boussole (version)",
                "Compass library (version)",
            )
            .into(),
            rep.library.version.clone(),
        ),
        (
            cx.t("Empreinte de la bibliothèque", "Library hash").into(),
            rep.library.hash.clone(),
        ),
        (
            cx.t("Consultation", "Tender").into(),
            rep.profile.reference.clone(),
        ),
        (
            cx.t("Empreinte du profil", "Profile hash").into(),
            rep.profile.hash.clone(),
        ),
        (
            cx.t("Rapport produit le (UTC)", "Report generated (UTC)")
                .into(),
            rep.generated_at.clone(),
        ),
        (
            cx.t("Fichiers vérifiés", "Files checked").into(),
            rep.results.len().to_string(),
        ),
    ];
    lines.extend(rep.skipped.iter().map(|s| {
        (
            cx.t("Fichier écarté", "File passed over").into(),
            format!("{} ({})", s.path, s.reason),
        )
    }));
    if let Some(d) = &rep.decisions {
        lines.push((
            cx.t("Décisions lues dans", "Decisions read from").into(),
            format!("{} (SHA-256 {})", d.source, d.sha256),
        ));
        lines.push((
            cx.t("Décisions lues / appliquées", "Decisions read / applied")
                .into(),
            format!("{} / {}", d.read, d.applied),
        ));
        for o in &d.orphans {
            let what = format!(
                "{} {}: {} — {} ({}) — {}",
                cx.t("ligne", "row"),
                o.row,
                if o.file.is_empty() {
                    &o.sha256
                } else {
                    &o.file
                },
                o.question,
                o.code,
                decisions::decided(&o.decision, cx.lang)
            );
            lines.push((
                cx.t(
                    "Décision sans constat correspondant",
                    "Decision with no matching finding",
                )
                .into(),
                what,
            ));
        }
        lines.extend(
            d.warnings
                .iter()
                .map(|w| (cx.t("Ligne non lue", "Row passed over").into(), w.clone())),
        );
    }
    cells::put(
        &mut ws,
        0,
        0,
        cx.t("Provenance du rapport", "Where this report comes from"),
        &cx.fmt.title,
    )?;
    for (row, (label, value)) in (2..).zip(&lines) {
        cells::put(&mut ws, row, 0, label, &cx.fmt.label)?;
        cx.text(&mut ws, row, 1, value, &cx.fmt.cell)?;
    }
    Ok(ws)
}

/// Title, author, keywords, hashes, and the report's date as creation date.
fn properties(cx: &Ctx<'_>) -> Result<DocProperties, XlsxError> {
    let rep = cx.report;
    let created = ExcelDateTime::parse_from_str(&rep.generated_at)
        .or_else(|_| ExcelDateTime::from_ymd(2026, 1, 1))?;
    let title = format!(
        "{} — {}",
        cx.t(
            "Grille d'analyse boussole de l'IA",
            "AI compass scoring workbook"
        ),
        rep.profile.reference
    );
    Ok(DocProperties::new()
        .set_title(cells::fit(&title, 255))
        .set_author("boussole")
        .set_keywords(cells::fit(
            &format!(
                "boussole; IA; analyse des offres; {}",
                rep.profile.reference
            ),
            255,
        ))
        .set_creation_datetime(&created)
        .set_custom_property(
            "boussole.library_version",
            cells::fit(&rep.library.version, 255),
        )
        .set_custom_property("boussole.library_hash", cells::fit(&rep.library.hash, 255))
        .set_custom_property("boussole.profile_hash", cells::fit(&rep.profile.hash, 255))
        .set_custom_property("boussole.lang", cx.lang.code()))
}

fn excel_date(d: Date) -> Result<ExcelDateTime, XlsxError> {
    let (y, m, day) = d.ymd();
    ExcelDateTime::from_ymd(u16::try_from(y).unwrap_or(0), m, day)
}

/// A severity in words.
pub fn severity(s: Severity, lang: Lang) -> &'static str {
    match (s, lang) {
        (Severity::Eliminatory, Lang::Fr) => "éliminatoire",
        (Severity::Major, Lang::Fr) => "majeure",
        (Severity::Minor, Lang::Fr) => "mineure",
        (Severity::Info, Lang::Fr) => "information",
        (s, Lang::En) => s.name(),
    }
}

/// A kind of finding in words.
pub fn finding_status(s: FindingStatus, lang: Lang) -> &'static str {
    match (s, lang) {
        (FindingStatus::Fail, Lang::Fr) => "non conforme",
        (FindingStatus::Missing, Lang::Fr) => "réponse manquante",
        (FindingStatus::Invalid, Lang::Fr) => "réponse illisible",
        (FindingStatus::Integrity, Lang::Fr) => "intégrité",
        (FindingStatus::Fail, Lang::En) => "fails the rule",
        (FindingStatus::Missing, Lang::En) => "missing answer",
        (FindingStatus::Invalid, Lang::En) => "unreadable answer",
        (FindingStatus::Integrity, Lang::En) => "integrity",
    }
}

/// A question's status in words.
pub fn question_status(s: Status, lang: Lang) -> &'static str {
    match (s, lang) {
        (Status::Pass, Lang::Fr) => "conforme",
        (Status::Fail, Lang::Fr) => "non conforme",
        (Status::Missing, Lang::Fr) => "manquante",
        (Status::Invalid, Lang::Fr) => "illisible",
        (Status::NotApplicable, Lang::Fr) => "sans objet",
        (Status::Info, Lang::Fr) => "information",
        (Status::Pass, Lang::En) => "passes",
        (Status::Fail, Lang::En) => "fails",
        (Status::Missing, Lang::En) => "missing",
        (Status::Invalid, Lang::En) => "unreadable",
        (Status::NotApplicable, Lang::En) => "not applicable",
        (Status::Info, Lang::En) => "information",
    }
}
