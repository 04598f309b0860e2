//! The workbook the contractor fills: the report of a year of the
//! contract or the notice of a change of model, its lines those of
//! [`super::yearly::lines`], prefilled with what the offer gave, read back
//! by [`super::yearly::check`] through its hidden metadata sheet.

use rust_xlsxwriter::{DataValidation, ProtectionOptions, Workbook, XlsxError};

use super::Award;
use super::yearly::{AWARD_KEY, Form, NOTICE_KEY, YEAR_KEY, lines, period_words};
use crate::Error;
use crate::check::Basis;
use crate::library::AnswerType;
use crate::text::Lang;

/// The workbook the contractor fills: the report of a year, or the notice
/// of a change (XLSX bytes).
pub fn template(basis: &Basis, award: &Award, form: Form) -> Result<Vec<u8>, Error> {
    crate::office::package::finish_workbook("yearly report", basis.lang, build(basis, award, form))
}

fn build(basis: &Basis, award: &Award, form: Form) -> Result<Workbook, XlsxError> {
    let lang = basis.lang;
    let t = |fr: &'static str, en: &'static str| lang.pick(fr, en);
    let [id, .., answer, comment, _] = crate::questionnaire::layout::columns(lang);
    let headers = [
        id,
        t("Article", "Article"),
        t("Élément à déclarer", "What to report"),
        t("Unité", "Unit"),
        t("Engagement de l'offre", "Committed in the offer"),
        answer,
        comment,
    ];
    const WIDTHS: [f64; 7] = [9.0, 9.0, 58.0, 14.0, 22.0, 18.0, 40.0];
    let head = crate::office::cells::header_format();
    let cell = crate::office::cells::cell_format();
    let open = cell.clone().set_unlocked().set_background_color("FFF2CC");
    let date = open.clone().set_num_format("dd/mm/yyyy");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name(match form {
        Form::Year(year) => format!("{} {year}", t("Rapport année", "Report year")),
        Form::Notice => t("Avis de changement", "Notice of change").to_string(),
    })?;
    for (col, (h, w)) in (0..).zip(headers.iter().zip(WIDTHS)) {
        ws.write_string_with_format(0, col, *h, &head)?;
        ws.set_column_width(col, w)?;
    }
    let articles = crate::annex::article_numbers(&basis.selection);
    let yes_no = DataValidation::new().allow_list_strings(&[t("Oui", "Yes"), t("Non", "No")])?;
    for (row, line) in (1..).zip(form.lines(lines(&basis.selection, award))) {
        let text = crate::office::typography::apply(line.text.get(lang), lang);
        let text = match &line.when {
            Some(w) => format!(
                "{text} {}",
                match lang {
                    Lang::Fr => format!("(si « Oui » à la ligne {w})"),
                    Lang::En => format!("(if \"Yes\" on line {w})"),
                }
            ),
            None => text,
        };
        let unit = match line.kind {
            AnswerType::Date => t("date", "date").to_string(),
            AnswerType::YesNo => t("Oui / Non", "Yes / No").to_string(),
            AnswerType::Text => t("texte", "text").to_string(),
            _ => Some(crate::text::unit_or_none(line.unit.as_deref(), lang))
                .filter(|u| !u.is_empty())
                .unwrap_or_else(|| t("sans unité", "no unit").to_string()),
        };
        let promised = line
            .promised
            .as_ref()
            .map_or_else(|| "—".to_string(), |p| p.0.clone());
        let article = articles.get(&line.clause).cloned().unwrap_or_default();
        let values = [
            line.id.as_str(),
            article.as_str(),
            text.as_str(),
            unit.as_str(),
            promised.as_str(),
        ];
        crate::office::cells::put_row(ws, row, &values, &WIDTHS, &cell)?;
        match line.kind {
            AnswerType::Date => ws.write_blank(row, 5, &date)?,
            _ => ws.write_blank(row, 5, &open)?,
        };
        if line.kind == AnswerType::YesNo {
            ws.add_data_validation(row, 5, row, 5, &yes_no)?;
        }
        ws.write_blank(row, 6, &open)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    // Printed, each page says what it is and which year it covers.
    let (tender, vendor) = (&award.tender, &award.vendor);
    let header = match (form, lang) {
        (Form::Year(year), Lang::Fr) => format!(
            "Rapport annuel du titulaire — {tender} — {vendor} — année {year}, {}",
            period_words(basis, year, lang)
        ),
        (Form::Year(year), Lang::En) => format!(
            "Contractor's yearly report — {tender} — {vendor} — year {year}, {}",
            period_words(basis, year, lang)
        ),
        (Form::Notice, Lang::Fr) => format!(
            "Avis de changement de modèle — {tender} — {vendor} — à envoyer avant le changement"
        ),
        (Form::Notice, Lang::En) => {
            format!("Notice of a change of model — {tender} — {vendor} — to send before the change")
        }
    };
    ws.set_header(format!(
        "&C{}",
        crate::office::typography::apply(&header, lang).replace('&', "&&")
    ));
    ws.set_footer("&CPage &P / &N");
    ws.protect_with_options(&ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::default()
    });
    let sel = &basis.selection;
    let keys = [
        match form {
            Form::Year(year) => (YEAR_KEY, year.to_string()),
            Form::Notice => (NOTICE_KEY, "1".to_string()),
        },
        (AWARD_KEY, award.digest.clone()),
        ("library_version", sel.library_version.clone()),
        ("library_hash", sel.library_hash.clone()),
        ("profile_hash", sel.profile_hash.clone()),
        ("lang", lang.code().to_string()),
    ];
    crate::office::cells::metadata_sheet(&mut wb, &keys)?;
    let title = header.clone();
    wb.set_properties(
        &rust_xlsxwriter::DocProperties::new()
            .set_title(title)
            .set_author(&award.vendor),
    );
    Ok(wb)
}
