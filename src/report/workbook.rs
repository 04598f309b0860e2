//! The scoring workbook (`boussole check --format xlsx`): what legal staff
//! and the evaluation committee review, and where they record decisions.
//!
//! Six sheets, named in the report's language:
//!
//! - **Synthèse**: one row per file, in the judgment's order: rank,
//!   vendor, verdict (coloured), compass score out of 100, points out of the
//!   compass's share of the mark, then each criterion's points out of its
//!   announced share, standing findings by severity, integrity doubts,
//!   lifted findings, the verdict before decisions, the reading error if
//!   any, and last the SIRET, file and SHA-256 (hidden);
//! - **Points à examiner**: one row per finding, eliminatory and major
//!   first: the vendor, the question, the vendor's exact answer, the
//!   finding and its reason, then beside them the decision columns (a
//!   drop-down, reviewer, date, comment) that [`super::decisions`] reads
//!   back, then the question's text, the vendor's comment, the clauses and
//!   the legal basis; filters, a frozen header, rows coloured by severity
//!   and decisions by kind;
//! - **Notation commission**: one row per offer that may be ranked and per
//!   free-text element the evaluation committee marks, with the vendor's
//!   words, the document it cites, the published levels and the mark cell
//!   (0 to 4) that [`super::marks`] reads back;
//! - **Détail**: every question of every file: status, raw answer,
//!   normalised value;
//! - **Graphiques**: a key of the criteria with each offer's criterion
//!   scores out of 100, a radar drawn from them and a column chart of
//!   compass scores drawn from the summary's cells;
//! - **Provenance**: tool, library and profile, dates, files passed over,
//!   and the decisions read (with orphans and rows passed over).
//!
//! Every text from a file (answers, comments, names) goes through
//! [`cells::put_text`]: a string, never a formula, quote-prefixed when it
//! starts like one, cleaned, cut to the cell limit with a marker. The
//! creation date is the report's (`SOURCE_DATE_EPOCH` honoured), so the same
//! inputs give the same bytes.

mod marking;
mod points;
mod summary;

use std::collections::BTreeMap;

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError,
};

use super::decisions;
use super::{FileReport, FileStatus, Report};
use crate::Error;
use crate::check::{Basis, Verdict};
use crate::date::Date;
use crate::finding::{DecisionKind, Finding, Status};
use crate::office::cells;

use crate::selection::Selection;
use crate::text::Lang;

/// Renders the scoring workbook of `report` as XLSX bytes.
pub fn render(report: &Report, basis: &Basis) -> Result<Vec<u8>, Error> {
    crate::office::package::finish_workbook(
        "XLSX scoring workbook",
        basis.lang,
        build(&Ctx::new(report, basis)),
    )
}

/// What every sheet needs.
struct Ctx<'a> {
    report: &'a Report,
    sel: &'a Selection,
    lang: Lang,
    fmt: Formats,
    /// Clause id → article number in the annex.
    articles: BTreeMap<String, String>,
    /// The widths of the sheet being written (0 for a hidden column).
    widths: std::cell::RefCell<Vec<f64>>,
    /// The texts of each row of the sheet being written, with their
    /// column's width: what [`cells::row_height`] sizes the row from.
    rows: std::cell::RefCell<BTreeMap<u32, Vec<(String, f64)>>>,
}

impl<'a> Ctx<'a> {
    fn new(report: &'a Report, basis: &'a Basis) -> Ctx<'a> {
        Ctx {
            report,
            sel: &basis.selection,
            lang: basis.lang,
            fmt: Formats::new(),
            articles: crate::annex::article_numbers(&basis.selection),
            widths: std::cell::RefCell::default(),
            rows: std::cell::RefCell::default(),
        }
    }

    /// Starts a sheet whose columns have these widths (0 for a hidden
    /// column): rows are sized from now on against them.
    fn columns(&self, widths: Vec<f64>) {
        *self.widths.borrow_mut() = widths;
        self.rows.borrow_mut().clear();
    }

    /// Notes `value`, written in column `col` of `row`, for the row's
    /// height (a hidden column and the header row aside).
    fn note(&self, row: u32, col: u16, value: &str) {
        let width = self
            .widths
            .borrow()
            .get(usize::from(col))
            .copied()
            .unwrap_or(0.0);
        if width <= 0.0 || row == 0 {
            return;
        }
        self.rows
            .borrow_mut()
            .entry(row)
            .or_default()
            .push((value.to_string(), width));
    }

    /// Writes `value` as a string (see [`cells::put`]), its lines noted.
    fn put(
        &self,
        ws: &mut Worksheet,
        row: u32,
        col: u16,
        value: &str,
        fmt: &Format,
    ) -> Result<(), XlsxError> {
        self.note(row, col, value);
        cells::put(ws, row, col, value, fmt)
    }

    /// Gives every row written since the header the height of its longest
    /// text, as every workbook sizes its rows ([`cells::row_height`]):
    /// LibreOffice does not fit rows to wrapped text on opening, and text
    /// would run over the next rows.
    fn fit_rows(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        for (row, texts) in std::mem::take(&mut *self.rows.borrow_mut()) {
            let height = cells::row_height(texts.iter().map(|(t, w)| (t.as_str(), *w)));
            ws.set_row_height(row, height)?;
        }
        Ok(())
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
            " […] (texte coupé\u{a0}; le texte entier est dans l’offre)",
            " […] (text cut; the whole text is in the offer)",
        );
        self.note(row, col, value);
        cells::put_text(ws, row, col, value, marker, fmt)
    }

    /// The criterion's title, numbered as in the annex.
    fn criterion(&self, id: &str) -> String {
        self.sel.criteria.iter().find(|c| c.id == id).map_or_else(
            || id.to_string(),
            |c| format!("{}. {}", c.order, c.title.get(self.lang)),
        )
    }

    /// The files that could be checked, with their row in the summary
    /// (which lists the results in the judgment's order).
    fn checked(&self) -> impl Iterator<Item = (u32, &'a FileReport)> + 'a {
        (1..)
            .zip(self.report.by_standing())
            .map(|(row, (_, r))| (row, r))
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
        let cell = crate::office::cells::cell_format();
        let input = cell.clone().set_background_color(0xFFF8DC);
        Formats {
            header: crate::office::cells::header_format(),
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
    wb.push_worksheet(summary::summary(named(names[0])?, cx)?);
    wb.push_worksheet(points::points(named(names[1])?, cx)?);
    wb.push_worksheet(marking::marking(
        named(super::marks::sheet_name(cx.lang))?,
        cx,
    )?);
    wb.push_worksheet(points::detail(named(names[2])?, cx)?);
    wb.push_worksheet(summary::charts(named(names[3])?, cx, names[3], names[0])?);
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

/// A header row in row 0, with widths and the height its headers need,
/// frozen, filtered down to `last_row`, and repeated on every printed page
/// (landscape A4).
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
    cx.columns(
        headers
            .iter()
            .map(|(h, w)| if machine_column(h) { 0.0 } else { *w })
            .collect(),
    );
    // Tall enough for each header wrapped in its column: a header taller
    // than its row would run over the first row of data.
    let shown = headers.iter().filter(|(h, _)| !machine_column(h));
    ws.set_row_height(0, cells::row_height(shown.map(|(h, w)| (h.as_str(), *w))))?;
    let last_col = u16::try_from(headers.len().saturating_sub(1)).unwrap_or(0);
    ws.autofilter(0, 0, last_row.max(1), last_col)?;
    ws.set_freeze_panes(1, 1)?;
    ws.set_landscape().set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    hide_machine_columns(ws, headers)
}

/// A column kept for the tool that reads the sheet back (file, SHA-256,
/// finding code), hidden: on screen and on paper a reviewer sees the
/// vendor, the question and the words; the provenance sheet names the files.
fn machine_column(header: &str) -> bool {
    [
        decisions::Column::Code,
        decisions::Column::File,
        decisions::Column::Sha256,
    ]
    .iter()
    .flat_map(|c| [c.header(Lang::Fr), c.header(Lang::En)])
    .chain(["SHA-256"])
    .any(|h| h == header)
}

fn hide_machine_columns(ws: &mut Worksheet, headers: &[(String, f64)]) -> Result<(), XlsxError> {
    for (col, (h, _)) in (0..).zip(headers) {
        if machine_column(h) {
            ws.set_column_hidden(col)?;
        }
    }
    Ok(())
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
        .is_some_and(|d| d.decision == DecisionKind::Lifted)
}

/// The provenance sheet: where the report comes from, and the review read.
fn provenance(mut ws: Worksheet, cx: &Ctx<'_>) -> Result<Worksheet, XlsxError> {
    ws.set_column_width(0, 34)?.set_column_width(1, 90)?;
    cx.columns(vec![34.0, 90.0]);
    ws.set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0);
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
    cx.fit_rows(&mut ws)?;
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
