//! The marking sheet: one row per offer that may be ranked and per element
//! the evaluation committee marks, with the mark cell that
//! [`crate::report::marks`] reads back.

use rust_xlsxwriter::{DataValidation, DataValidationRule, Worksheet, XlsxError};

use super::{Ctx, header_row, vendor_name};
use crate::report::marks::Column;
use crate::scoring::{self, Earned};

/// The marking sheet.
pub(super) fn marking(mut ws: Worksheet, cx: &Ctx<'_>) -> Result<Worksheet, XlsxError> {
    let widths = [26.0, 10.0, 40.0, 60.0, 28.0, 50.0, 16.0, 40.0, 24.0, 20.0];
    let headers: Vec<(String, f64)> = Column::ALL
        .iter()
        .zip(widths)
        .map(|(c, w)| (c.header(cx.lang).to_string(), w))
        .collect();
    let rows: Vec<_> = cx
        .checked()
        .filter(|(_, r)| r.judgment.as_ref().is_some_and(|j| j.scored()))
        .flat_map(|(_, r)| {
            r.questions
                .iter()
                .filter(|q| q.earned == Some(Earned::ToMark))
                .map(move |q| (r, q))
        })
        .collect();
    let last = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    header_row(&mut ws, cx, &headers, last)?;
    let f = &cx.fmt;
    for (row, (r, q)) in (1..).zip(&rows) {
        let question = cx.sel.questions.iter().find(|x| x.id == q.id);
        let levels =
            scoring::descriptors(question.map_or(&[][..], |x| &x.descriptors[..]), cx.lang)
                .iter()
                .enumerate()
                .map(|(n, d)| format!("{n} — {d}"))
                .collect::<Vec<_>>()
                .join("\n");
        let col = |c: Column| {
            Column::ALL
                .iter()
                .position(|x| *x == c)
                .map_or(0, |i| i as u16)
        };
        cx.text(
            &mut ws,
            row,
            col(Column::Vendor),
            &vendor_name(r, cx.lang),
            &f.cell,
        )?;
        cx.text(&mut ws, row, col(Column::Question), &q.id, &f.cell)?;
        let text = question.map(|x| x.text.get(cx.lang)).unwrap_or_default();
        cx.text(&mut ws, row, col(Column::QuestionText), text, &f.cell)?;
        let answer = crate::finding::shown(&q.raw, cx.lang);
        cx.text(&mut ws, row, col(Column::Answer), &answer, &f.cell)?;
        cx.text(&mut ws, row, col(Column::Document), &q.document, &f.cell)?;
        cx.text(&mut ws, row, col(Column::Levels), &levels, &f.cell)?;
        match q.mark {
            Some(m) => {
                ws.write_number_with_format(row, col(Column::Mark), f64::from(m), &f.input)?;
            }
            None => {
                ws.write_blank(row, col(Column::Mark), &f.input)?;
            }
        }
        ws.write_blank(row, col(Column::Reasons), &f.input)?;
        cx.text(&mut ws, row, col(Column::File), &r.file, &f.cell)?;
        cx.text(&mut ws, row, col(Column::Sha256), &r.sha256, &f.cell)?;
    }
    if last > 0 {
        let c = Column::ALL
            .iter()
            .position(|x| *x == Column::Mark)
            .map_or(0, |i| i as u16);
        let whole = DataValidation::new()
            .allow_whole_number(DataValidationRule::Between(
                0,
                i32::from(scoring::COMMITTEE_MAX),
            ))
            .set_input_title(cx.t("Note de la commission", "Committee's mark"))?
            .set_input_message(cx.t(
                "Note de 0 à 4 arrêtée par la commission selon les niveaux publiés ; la relire avec boussole check --marks.",
                "Mark from 0 to 4 set by the committee against the published levels; read it back with boussole check --marks.",
            ))?
            .set_error_title(cx.t("Note hors échelle", "Mark out of scale"))?
            .set_error_message(cx.t(
                "Un nombre entier de 0 à 4 est attendu.",
                "A whole number from 0 to 4 is expected.",
            ))?;
        ws.add_data_validation(1, c, last, c, &whole)?;
    }
    cx.fit_rows(&mut ws)?;
    Ok(ws)
}
