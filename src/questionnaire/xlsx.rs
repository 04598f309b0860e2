//! The questionnaire as an Excel workbook: the *cadre de réponse* vendors fill in.
//!
//! Five sheets, named by [`layout::sheet_names`], in this order:
//!
//! - **Instructions**: the tender, the deadline, how to answer, how answers
//!   are scored and which are eliminatory, the library's version and hash;
//! - **identity**: the labels of [`layout::identity_labels`] in column A,
//!   the vendor's answers in the unlocked column B;
//! - **Questionnaire**: the header row [`layout::columns`], then one row per
//!   question under a title row per criterion. Only the answer, comment and
//!   document cells are unlocked; each answer cell carries a drop-down or a
//!   check in *Warning* style, and an input message with help and example;
//! - **lists** (hidden): drop-down lists too long to be written inline;
//! - **`_boussole`** (very hidden): format, versions, hashes and one text hash
//!   per question. A hint only: LibreOffice turns it into a hidden sheet a
//!   vendor can edit, and the lock file is the authority.
//!
//! Every text is written as a string, never as a formula, stripped of the
//! characters XML forbids and cut to Excel's limits. The creation date comes
//! from the profile, never from the clock: the same input gives the same bytes.

use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle as ErrorStyle, DataValidationRule as DvRule,
    DocProperties, ExcelDateTime, Format, FormatAlign, Formula, ProtectionOptions, Workbook,
    Worksheet, XlsxError, worksheet_range_absolute,
};

use super::wording::{self, Line, Medium, example, expected, tool, tr};
use super::{FORMAT_VERSION, Questionnaire, layout};
use crate::Error;
use crate::library::{AnswerType, Audience};
use crate::office::cells::{MAX_CELL, fit, put, utf16_len};
use crate::selection::SelectedQuestion;
use crate::text::Lang;

/// Longest input or error message of a data validation.
const MAX_MESSAGE: usize = 255;
/// Longest title of a data validation message.
const MAX_TITLE: usize = 32;
/// Longest inline drop-down list, items joined with commas.
const MAX_INLINE_LIST: usize = 255;
/// Widths of the questionnaire's columns, in the order of [`layout::columns`].
const WIDTHS: [f64; 8] = [9.0, 16.0, 48.0, 42.0, 24.0, 34.0, 24.0, 22.0];
/// Widths of the instructions' columns: labels, texts.
const INSTRUCTION_WIDTHS: [f64; 2] = [34.0, 100.0];

/// Renders the questionnaire as XLSX bytes.
pub fn render(q: &Questionnaire<'_>) -> Result<Vec<u8>, Error> {
    build(q)
        .and_then(|mut wb| wb.save_to_buffer())
        .map_err(|e| Error::Render {
            what: "XLSX questionnaire".into(),
            message: e.to_string(),
        })
}

fn build(q: &Questionnaire<'_>) -> Result<Workbook, XlsxError> {
    let [
        instructions_name,
        identity_name,
        questions_name,
        lists_name,
        meta_name,
    ] = layout::sheet_names(q.lang);
    let fmt = Formats::new();
    let mut lists = Lists::new(lists_name);
    let second = match q.audience {
        Audience::Vendor => identity(sheet(identity_name, q)?, q.lang, &fmt)?,
        Audience::Internal => record(sheet(layout::record_sheet(q.lang), q)?, q, &fmt)?,
    };
    let sheets = [
        instructions(sheet(instructions_name, q)?, q, &fmt)?,
        second,
        questions(sheet(questions_name, q)?, q, &fmt, &mut lists)?,
        lists.into_sheet(sheet(lists_name, q)?)?,
        metadata(sheet(meta_name, q)?, q)?,
    ];
    let mut wb = Workbook::new();
    wb.set_properties(&properties(q)?);
    for ws in sheets {
        wb.push_worksheet(ws);
    }
    Ok(wb)
}

/// The cell formats, made once.
struct Formats {
    title: Format,
    heading: Format,
    label: Format,
    text: Format,
    header: Format,
    group: Format,
    cell: Format,
    answer: Format,
    answer_text: Format,
    answer_date: Format,
}

impl Formats {
    fn new() -> Formats {
        let cell = crate::office::cells::cell_format();
        let answer = cell.clone().set_unlocked().set_background_color(0xFFF8DC);
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            heading: Format::new()
                .set_bold()
                .set_font_size(12)
                .set_font_color(0x1F3864),
            label: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            text: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            header: crate::office::cells::header_format(),
            group: Format::new().set_bold().set_background_color(0xEDEDED),
            answer_text: answer.clone().set_num_format("@"),
            answer_date: answer.clone().set_num_format("yyyy-mm-dd"),
            answer,
            cell,
        }
    }
}

/// A new sheet named `name`, protected with the questionnaire's password if any.
fn sheet(name: &str, q: &Questionnaire<'_>) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name(name)?;
    if let Some(password) = q.password {
        ws.protect_with_password(password);
    }
    ws.protect_with_options(&ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::default()
    });
    Ok(ws)
}

/// The instructions sheet: labels in column A, texts in column B.
fn instructions(
    mut ws: Worksheet,
    q: &Questionnaire<'_>,
    fmt: &Formats,
) -> Result<Worksheet, XlsxError> {
    let [label_width, text_width] = INSTRUCTION_WIDTHS;
    ws.set_column_width(0, label_width)?
        .set_column_width(1, text_width)?;
    ws.set_paper_size(9).set_print_fit_to_pages(1, 0);
    let lines = wording::instructions(q, Medium::Workbook);
    let mut row = 0;
    for line in lines {
        match line {
            Line::Title(t) => put(&mut ws, row, 0, &t, &fmt.title)?,
            Line::Heading(t) => {
                row += 1; // a blank line before each section
                put(&mut ws, row, 0, &t, &fmt.heading)?;
            }
            Line::Field(label, value) => {
                put(&mut ws, row, 0, &label, &fmt.label)?;
                put(&mut ws, row, 1, &value, &fmt.text)?;
                let cells = [(label.as_str(), label_width), (&value, text_width)];
                ws.set_row_height(row, height(cells))?;
            }
            Line::Text(t) => {
                put(&mut ws, row, 1, &t, &fmt.text)?;
                ws.set_row_height(row, height([(t.as_str(), text_width)]))?;
            }
        }
        row += 1;
    }
    Ok(ws)
}

/// The identity sheet: the labels in column A, the answers in column B.
fn identity(mut ws: Worksheet, lang: Lang, fmt: &Formats) -> Result<Worksheet, XlsxError> {
    ws.set_column_width(0, 24)?.set_column_width(1, 60)?;
    ws.set_paper_size(9).set_print_fit_to_pages(1, 0);
    for (row, label) in (0..).zip(layout::identity_labels(lang)) {
        put(&mut ws, row, 0, label, &fmt.label)?;
        ws.write_blank(row, 1, &fmt.answer)?;
    }
    Ok(ws)
}

/// The questionnaire sheet: header row, then one row per question, grouped by criterion.
fn questions(
    mut ws: Worksheet,
    q: &Questionnaire<'_>,
    fmt: &Formats,
    lists: &mut Lists,
) -> Result<Worksheet, XlsxError> {
    let lang = q.lang;
    header_row(&mut ws, q, fmt)?;
    ws.set_freeze_panes(1, 0)?;
    ws.set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    let reference = q.profile.tender.reference.replace('&', "&&");
    ws.set_footer(fit(&format!("&L{reference}&RPage &P / &N"), MAX_MESSAGE));
    let mut row = 1;
    let mut current = None;
    for x in q.questions() {
        let criterion = q.selection.criteria.iter().find(|c| c.id == x.criterion);
        let title = criterion.map_or(x.criterion.as_str(), |c| c.title.get(lang));
        if current != Some(&x.criterion) {
            if let Some(done) = current.filter(|_| q.audience == Audience::Internal) {
                opinion_row(&mut ws, row, done, lang, fmt, lists)?;
                row += 1;
            }
            current = Some(&x.criterion);
            let order = criterion.map_or(0, |c| c.order);
            for col in 0..7 {
                ws.write_blank(row, col, &fmt.group)?;
            }
            put(&mut ws, row, 1, &format!("{order}. {title}"), &fmt.group)?;
            row += 1;
        }
        question_row(&mut ws, row, x, title, q, fmt, lists)?;
        if q.audience == Audience::Internal {
            ws.write_blank(row, layout::ANSWER_COLUMN as u16 + 3, &fmt.answer)?;
        }
        row += 1;
    }
    if let Some(done) = current.filter(|_| q.audience == Audience::Internal) {
        opinion_row(&mut ws, row, done, lang, fmt, lists)?;
    }
    Ok(ws)
}

/// The header row: the questionnaire's columns, plus the assessing service in the grid.
fn header_row(ws: &mut Worksheet, q: &Questionnaire<'_>, fmt: &Formats) -> Result<(), XlsxError> {
    let mut headers = layout::columns(q.lang).to_vec();
    if q.audience == Audience::Internal {
        headers.push(layout::service_column(q.lang));
    }
    for (col, (header, width)) in (0..).zip(headers.into_iter().zip(WIDTHS)) {
        put(ws, 0, col, header, &fmt.header)?;
        ws.set_column_width(col, width)?;
    }
    Ok(())
}

/// The grid's opinion row closing a criterion: the group's opinion (a
/// drop-down) in the answer column, its reasons in the comment column.
fn opinion_row(
    ws: &mut Worksheet,
    row: u32,
    criterion: &str,
    lang: Lang,
    fmt: &Formats,
    lists: &mut Lists,
) -> Result<(), XlsxError> {
    let id = crate::grid::opinion_id(criterion);
    let question = tr(
        lang,
        "Avis du groupe projet sur ce critère",
        "The project group's opinion on this criterion",
    );
    let help = tr(
        lang,
        "Choisissez l'avis du groupe dans la liste ; donnez ses motifs et, s'il est assorti de conditions, ces conditions dans la colonne suivante.",
        "Choose the group's opinion from the list; give its reasons and, if it carries conditions, these conditions in the next column.",
    );
    for (col, value) in (0..).zip([id.as_str(), "", question, help]) {
        put(ws, row, col, value, &fmt.group)?;
    }
    let col = layout::ANSWER_COLUMN as u16;
    let labels: Vec<String> = crate::grid::Opinion::ENTERED
        .iter()
        .map(|o| o.label(lang).to_string())
        .collect();
    ws.write_blank(row, col, &fmt.answer)?;
    ws.add_data_validation(row, col, row, col, &lists.dropdown(&id, labels)?)?;
    ws.write_blank(row, col + 1, &fmt.answer)?;
    ws.set_row_height(row, 45)?;
    Ok(())
}

/// The grid's instruction record: who assessed the use case, who was
/// consulted and when, which impact assessments were made.
fn record(mut ws: Worksheet, q: &Questionnaire<'_>, fmt: &Formats) -> Result<Worksheet, XlsxError> {
    header_row(&mut ws, q, fmt)?;
    ws.set_freeze_panes(1, 0)?;
    ws.set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0);
    for (row, item) in (1..).zip(crate::grid::record()) {
        let id = crate::grid::record_id(item.key);
        let cells = [
            id.as_str(),
            "",
            item.label.get(q.lang),
            item.help.get(q.lang),
        ];
        for (col, value) in (0..).zip(cells) {
            put(&mut ws, row, col, value, &fmt.cell)?;
        }
        ws.set_row_height(row, height(cells.into_iter().zip(WIDTHS)))?;
        ws.write_blank(row, layout::ANSWER_COLUMN as u16, &fmt.answer)?;
        ws.write_blank(row, layout::ANSWER_COLUMN as u16 + 1, &fmt.answer)?;
    }
    Ok(ws)
}

/// One question: id, criterion, text and help locked; answer, comment and
/// document unlocked; the answer checked and explained.
fn question_row(
    ws: &mut Worksheet,
    row: u32,
    x: &SelectedQuestion,
    criterion: &str,
    q: &Questionnaire<'_>,
    fmt: &Formats,
    lists: &mut Lists,
) -> Result<(), XlsxError> {
    let lang = q.lang;
    let help = expected(q.selection, x, lang, Medium::Workbook);
    let cells = [x.id.as_str(), criterion, x.text.get(lang), &help];
    for (col, value) in (0..).zip(cells) {
        put(ws, row, col, value, &fmt.cell)?;
    }
    ws.set_row_height(row, height(cells.into_iter().zip(WIDTHS)))?;
    let answer = match x.answer_type {
        AnswerType::Percent => &fmt.answer_text,
        AnswerType::Date => &fmt.answer_date,
        _ => &fmt.answer,
    };
    let col = layout::ANSWER_COLUMN as u16;
    ws.write_blank(row, col, answer)?;
    ws.add_data_validation(row, col, row, col, &validation(x, lang, lists)?)?;
    ws.write_blank(row, col + 1, &fmt.answer)?;
    ws.write_blank(row, col + 2, &fmt.answer)?;
    Ok(())
}

/// The data validation of an answer cell: a drop-down list, a number or date
/// check in Warning style (anything can still be typed), and an input message.
fn validation(
    x: &SelectedQuestion,
    lang: Lang,
    lists: &mut Lists,
) -> Result<DataValidation, XlsxError> {
    let t = |fr: &'static str, en: &'static str| tr(lang, fr, en);
    let keep = t(
        " Vous pouvez garder votre saisie.",
        " You may keep what you typed.",
    );
    let (dv, title, message) = match x.answer_type {
        AnswerType::YesNo | AnswerType::Choice => (
            lists.dropdown(
                &x.id,
                wording::labels(x, lang)
                    .iter()
                    .map(|l| fit(l, MAX_CELL))
                    .collect::<Vec<_>>(),
            )?,
            t("Choix attendu", "Choice expected"),
            t(
                "Choisissez une valeur de la liste déroulante.",
                "Choose a value from the drop-down list.",
            )
            .to_string(),
        ),
        AnswerType::Number => (
            DataValidation::new()
                .allow_decimal_number(DvRule::Between(-1e15, 1e15))
                .set_error_style(ErrorStyle::Warning),
            t("Nombre attendu", "Number expected"),
            t(
                "Un nombre est attendu, dans l'unité indiquée.",
                "A number is expected, in the unit given.",
            )
            .to_string()
                + keep,
        ),
        AnswerType::Date => (
            DataValidation::new()
                .allow_date(DvRule::Between(
                    ExcelDateTime::from_ymd(1900, 1, 1)?,
                    ExcelDateTime::from_ymd(9999, 12, 31)?,
                ))
                .set_error_style(ErrorStyle::Warning),
            t("Date attendue", "Date expected"),
            t(
                "Une date est attendue (AAAA-MM-JJ ou JJ/MM/AAAA).",
                "A date is expected (YYYY-MM-DD or DD/MM/YYYY).",
            )
            .to_string()
                + keep,
        ),
        _ => (DataValidation::new().allow_any_value(), "", String::new()),
    };
    let dv = if title.is_empty() {
        dv
    } else {
        dv.set_error_title(title)?.set_error_message(message)?
    };
    let input_title = format!("{} — {}", x.id, t("Réponse", "Answer"));
    dv.set_input_title(fit(&input_title, MAX_TITLE))?
        .set_input_message(input_message(x, lang))
}

/// The input message of an answer cell: help, then the example, within
/// Excel's limit (the example taking at most half of it).
fn input_message(x: &SelectedQuestion, lang: Lang) -> String {
    let mut head = String::new();
    if x.answer_type == AnswerType::MultiChoice {
        head.push_str(tr(
            lang,
            "Séparez les choix par « ; ». ",
            "Separate choices with \";\". ",
        ));
    }
    head.push_str(x.help.get(lang).trim());
    if x.example.is_empty() {
        return fit(&head, MAX_MESSAGE);
    }
    let tail = format!(
        "{}{}",
        tr(lang, "Exemple : ", "Example: "),
        example(x, lang)
    );
    let tail = fit(&tail, MAX_MESSAGE / 2);
    let room = MAX_MESSAGE.saturating_sub(utf16_len(&tail) + 1);
    let head = fit(&head, room);
    fit(
        [head.as_str(), tail.as_str()].join("\n").trim(),
        MAX_MESSAGE,
    )
}

/// Drop-down lists too long to be written inline, bound for the hidden lists sheet.
struct Lists {
    sheet: String,
    columns: Vec<(String, Vec<String>)>,
}

impl Lists {
    fn new(sheet: &str) -> Lists {
        Lists {
            sheet: sheet.into(),
            columns: Vec::new(),
        }
    }

    /// A drop-down of `labels`: inline when it fits, else a range of the lists sheet
    /// (a column per question: its id in row 1, the labels below).
    fn dropdown(&mut self, id: &str, labels: Vec<String>) -> Result<DataValidation, XlsxError> {
        let quoted: Vec<_> = labels.iter().map(|l| l.replace('"', "\"\"")).collect();
        let inline = utf16_len(&quoted.join(","));
        if inline <= MAX_INLINE_LIST && !labels.iter().any(|l| l.contains(',')) {
            return DataValidation::new().allow_list_strings(&labels);
        }
        let col = u16::try_from(self.columns.len()).unwrap_or(u16::MAX);
        let last = u32::try_from(labels.len()).unwrap_or(u32::MAX);
        let range = worksheet_range_absolute(&self.sheet, 1, col, last, col);
        self.columns.push((id.into(), labels));
        Ok(DataValidation::new().allow_list_formula(Formula::new(range)))
    }

    /// The hidden lists sheet.
    fn into_sheet(self, mut ws: Worksheet) -> Result<Worksheet, XlsxError> {
        for (col, (id, labels)) in (0..).zip(&self.columns) {
            ws.write_string(0, col, id)?;
            for (row, label) in (1..).zip(labels) {
                ws.write_string(row, col, label)?;
            }
        }
        ws.set_hidden(true);
        Ok(ws)
    }
}

/// The very hidden metadata sheet: key/value rows, then one row per question
/// with the hash of its text as issued.
fn metadata(mut ws: Worksheet, q: &Questionnaire<'_>) -> Result<Worksheet, XlsxError> {
    let sel = q.selection;
    let audience = match q.audience {
        Audience::Vendor => "vendor",
        Audience::Internal => "internal",
    };
    let keys = [
        ("format_version", FORMAT_VERSION.to_string()),
        ("tool", tool()),
        ("library_version", sel.library_version.clone()),
        ("library_hash", sel.library_hash.clone()),
        ("profile_hash", sel.profile_hash.clone()),
        ("lang", q.lang.code().into()),
        ("audience", audience.into()),
    ];
    let hashes = q
        .questions()
        .map(|x| (x.id.as_str(), layout::text_hash(x.text.get(q.lang))));
    for (row, (key, value)) in (0..).zip(keys.into_iter().chain(hashes)) {
        ws.write_string(row, 0, fit(key, MAX_CELL))?;
        ws.write_string(row, 1, fit(&value, MAX_CELL))?;
    }
    ws.set_very_hidden(true);
    Ok(ws)
}

/// Title, subject, author, keywords, hashes (named as in the annex), and a
/// creation date from the profile.
fn properties(q: &Questionnaire<'_>) -> Result<DocProperties, XlsxError> {
    let (p, sel) = (q.profile, q.selection);
    let (y, m, d) = p.dates.launch.unwrap_or(p.dates.award_date).ymd();
    let created = ExcelDateTime::from_ymd(u16::try_from(y).unwrap_or(0), m, d)?;
    let title = tr(
        q.lang,
        "Cadre de réponse boussole de l'IA",
        "AI compass response form",
    );
    let keywords =
        "boussole; IA; commande publique; questionnaire; ".to_string() + &p.tender.reference;
    let custom = [
        ("boussole.library_version", &sel.library_version),
        ("boussole.library_hash", &sel.library_hash),
        ("boussole.profile_hash", &sel.profile_hash),
    ];
    let mut props = DocProperties::new()
        .set_title(fit(
            &format!("{title} — {}", p.tender.reference),
            MAX_MESSAGE,
        ))
        .set_subject(fit(&p.tender.title, MAX_MESSAGE))
        .set_author(fit(&p.buyer.name, MAX_MESSAGE))
        .set_company(fit(&p.buyer.name, MAX_MESSAGE))
        .set_keywords(fit(&keywords, MAX_MESSAGE))
        .set_creation_datetime(&created)
        .set_custom_property("boussole.questionnaire_format", FORMAT_VERSION as i32)
        .set_custom_property("boussole.lang", q.lang.code());
    for (name, value) in custom {
        props = props.set_custom_property(name, fit(value, MAX_MESSAGE));
    }
    Ok(props)
}

/// The height, in points, of a row whose wrapped cells hold these texts in
/// columns of these widths: office applications do not all fit rows to
/// wrapped text when they open or print a file, so it is set here.
fn height<'a>(cells: impl IntoIterator<Item = (&'a str, f64)>) -> f64 {
    const LINE: f64 = 14.5; // points, for the default 11-point font
    const MAX: f64 = 409.0; // Excel's tallest row
    const CHARS: f64 = 1.2; // characters of text a unit of column width holds
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
