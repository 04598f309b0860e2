//! The five-year follow-up: the plan of yearly reviews, the yearly sheets
//! the project group fills with the indicators, and their evolution.
//!
//! A yearly sheet has the same `ID` and `Réponse` headers as the grid, one
//! row per question that carries a `followup` indicator, and its year in its
//! metadata sheet, so that it is read back by the same reader.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, ProtectionOptions, Workbook, XlsxError};
use serde::Serialize;

use crate::Error;
use crate::answer::{self, Spec, Value};
use crate::check::Basis;
use crate::date::Date;
use crate::library::AnswerType;
use crate::questionnaire::layout;
use crate::response::Response;
use crate::selection::{SelectedQuestion, Selection};
use crate::text::{Lang, Text};

/// The plan of yearly reviews after go-live.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// Go-live (or contract start).
    pub start: Date,
    /// One review a year.
    pub reviews: Vec<Review>,
    /// The indicators to collect each year.
    pub indicators: Vec<Indicator>,
}

/// One yearly review.
#[derive(Debug, Clone, Serialize)]
pub struct Review {
    /// 1 to 5.
    pub year: u32,
    /// When it is due.
    pub date: Date,
}

/// An indicator followed every year.
#[derive(Debug, Clone, Serialize)]
pub struct Indicator {
    /// The question that carries it.
    pub question: String,
    /// The indicator.
    pub text: Text,
    /// Its unit.
    pub unit: Option<String>,
}

/// An indicator over the years.
#[derive(Debug, Clone, Serialize)]
pub struct Evolution {
    /// The question that carries it.
    pub question: String,
    /// The indicator.
    pub text: Text,
    /// Its unit.
    pub unit: Option<String>,
    /// The value of each yearly sheet given, by year.
    pub values: Vec<YearValue>,
}

/// An indicator's value one year.
#[derive(Debug, Clone, Serialize)]
pub struct YearValue {
    /// The year of the sheet (1 to 5).
    pub year: u32,
    /// The value, when it could be read.
    pub value: Option<f64>,
    /// What was typed.
    pub raw: String,
}

fn followed(sel: &Selection) -> impl Iterator<Item = &SelectedQuestion> {
    sel.questions.iter().filter(|q| q.followup.is_some())
}

/// The plan of reviews: one a year for `thresholds.followup_years` years after go-live.
pub fn plan(basis: &Basis) -> Plan {
    let p = &basis.profile;
    let start = p.dates.go_live.unwrap_or(p.dates.contract_start);
    let years = p
        .thresholds
        .get("followup_years")
        .and_then(|t| t.number())
        .unwrap_or(5.0)
        .clamp(1.0, 20.0) as u32;
    Plan {
        start,
        reviews: (1..=years)
            .map(|year| Review {
                year,
                date: start.add_months(12 * year),
            })
            .collect(),
        indicators: followed(&basis.selection)
            .filter_map(|q| {
                let f = q.followup.as_ref()?;
                Some(Indicator {
                    question: q.id.clone(),
                    text: Text {
                        fr: f.fr.clone(),
                        en: f.en.clone(),
                    },
                    unit: f.unit.clone(),
                })
            })
            .collect(),
    }
}

/// The values of the yearly sheets, indicator by indicator, years in order.
pub fn evolution(sel: &Selection, yearly: &[Response]) -> Vec<Evolution> {
    let mut sheets: Vec<(u32, &Response)> = yearly
        .iter()
        .filter_map(|r| {
            let year = r
                .metadata
                .as_ref()?
                .values
                .get("followup_year")?
                .trim()
                .parse()
                .ok()?;
            Some((year, r))
        })
        .collect();
    sheets.sort_by_key(|(y, _)| *y);
    if sheets.is_empty() {
        return Vec::new();
    }
    followed(sel)
        .map(|q| {
            let unit = q.followup.as_ref().and_then(|f| f.unit.clone());
            let spec = Spec {
                kind: AnswerType::Number,
                unit: unit.as_deref(),
                choices: &[],
            };
            let values = sheets
                .iter()
                .map(|(year, r)| {
                    let cell = r
                        .rows
                        .iter()
                        .find(|row| row.id == q.id)
                        .map(|row| &row.answer);
                    let value = cell.and_then(|c| match answer::normalise_cell(spec, c) {
                        Ok(Value::Number(n)) => Some(n),
                        _ => None,
                    });
                    YearValue {
                        year: *year,
                        value,
                        raw: cell.map(|c| c.display()).unwrap_or_default(),
                    }
                })
                .collect();
            Evolution {
                question: q.id.clone(),
                text: q.followup.as_ref().map_or_else(Text::default, |f| Text {
                    fr: f.fr.clone(),
                    en: f.en.clone(),
                }),
                unit,
                values,
            }
        })
        .collect()
}

/// The yearly follow-up sheet of year `year` (XLSX bytes).
pub fn sheet(basis: &Basis, lang: Lang, year: u32) -> Result<Vec<u8>, Error> {
    crate::office::package::finish_workbook("follow-up sheet", lang, build(basis, lang, year))
}

fn build(basis: &Basis, lang: Lang, year: u32) -> Result<Workbook, XlsxError> {
    let t = |fr: &'static str, en: &'static str| if lang == Lang::Fr { fr } else { en };
    let [id, .., answer, comment, _] = layout::columns(lang);
    let headers = [
        id,
        layout::criterion_column(lang),
        t("Indicateur", "Indicator"),
        t("Unité", "Unit"),
        answer,
        comment,
    ];
    let head = crate::office::cells::header_format();
    let cell = crate::office::cells::cell_format();
    let open = cell.clone().set_unlocked().set_background_color("FFF2CC");
    let mut wb = Workbook::new();
    let ws = wb
        .add_worksheet()
        .set_name(format!("{} {year}", t("Suivi année", "Follow-up year")))?;
    const WIDTHS: [f64; 6] = [9.0, 24.0, 60.0, 14.0, 18.0, 40.0];
    for (col, (h, w)) in (0..).zip(headers.iter().zip(WIDTHS)) {
        ws.write_string_with_format(0, col, *h, &head)?;
        ws.set_column_width(col, w)?;
    }
    let sel = &basis.selection;
    for (row, q) in (1..).zip(followed(sel)) {
        let f = q.followup.as_ref();
        let title = sel
            .criteria
            .iter()
            .find(|c| c.id == q.criterion)
            .map_or("", |c| c.title.get(lang));
        let text = f.map_or("", |f| {
            if lang == Lang::Fr {
                f.fr.as_str()
            } else {
                f.en.as_str()
            }
        });
        let unit = crate::text::unit_or_none(f.and_then(|f| f.unit.as_deref()), lang);
        let title = crate::office::typography::apply(title, lang);
        let text = crate::office::typography::apply(text, lang);
        let values = [q.id.as_str(), title.as_str(), text.as_str(), unit.as_str()];
        crate::office::cells::put_row(ws, row, &values, &WIDTHS, &cell)?;
        ws.write_blank(row, 4, &open)?;
        ws.write_blank(row, 5, &open)?;
    }
    ws.set_freeze_panes(1, 0)?;
    // Printed as read: landscape, every column on the page's width, the
    // header row on each page.
    ws.set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    ws.protect_with_options(&ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::default()
    });
    let keys = [
        ("followup_year", year.to_string()),
        ("library_version", sel.library_version.clone()),
        ("library_hash", sel.library_hash.clone()),
        ("profile_hash", sel.profile_hash.clone()),
        ("lang", lang.code().to_string()),
    ];
    crate::office::cells::metadata_sheet(&mut wb, &keys)?;
    let date = basis
        .profile
        .dates
        .go_live
        .unwrap_or(basis.profile.dates.contract_start);
    let (y, m, d) = date.ymd();
    let created = ExcelDateTime::from_ymd(y as u16, m, d)?;
    let title = format!(
        "{} {year} — {}",
        t(
            "Suivi boussole de l'IA, année",
            "AI compass follow-up, year"
        ),
        basis.profile.tender.reference
    );
    wb.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_author(&basis.profile.buyer.name)
            .set_creation_datetime(&created),
    );
    Ok(wb)
}
