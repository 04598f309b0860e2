//! The questionnaire as an Excel workbook: the *cadre de réponse* vendors fill in.
//!
//! Five sheets, named by [`layout::sheet_names`], in this order:
//!
//! - **Instructions**: the tender, the deadline, how to answer, how answers
//!   are scored and which are eliminatory, the library's version and hash;
//! - **identity**: a title, then the labels of [`layout::identity_labels`]
//!   in column A, the vendor's answers in the unlocked column B (the SIRET
//!   as text, so that no leading zero is lost), what to write in column C;
//! - **Questionnaire**: the header row [`layout::columns`], then one row per
//!   question under a title row per criterion (its title in column A). Only
//!   the answer, comment and document cells are unlocked; each answer cell
//!   carries a drop-down or a check, and a short input message (the long
//!   explanation is in its own column). A multiple-choice question is
//!   followed by one row per option (no id, the option's label in the
//!   question column), each answered Oui or Non from a drop-down;
//! - **lists** (hidden): drop-down lists too long to be written inline, the
//!   countries among them;
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

use super::wording::{self, Line, Medium, tool, tr};
use super::{FORMAT_VERSION, Questionnaire, layout, lock_digest};
use crate::Error;
use crate::library::{AnswerType, Audience};
use crate::office::cells::{MAX_CELL, fit, put, row_height, utf16_len};
use crate::office::typography;
use crate::selection::SelectedQuestion;
use crate::text::Lang;

/// Longest input or error message of a data validation.
const MAX_MESSAGE: usize = 255;
/// Longest title of a data validation message.
const MAX_TITLE: usize = 32;
/// Longest inline drop-down list, items joined with commas.
const MAX_INLINE_LIST: usize = 255;
/// Widths of the questionnaire's columns, in the order of [`layout::columns`].
const WIDTHS: [f64; 8] = [9.0, 44.0, 26.0, 52.0, 24.0, 30.0, 24.0, 22.0];
/// Widths of the identity sheet's columns: labels, answers, hints.
const IDENTITY_WIDTHS: [f64; 3] = [30.0, 48.0, 62.0];
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
        Audience::Vendor => identity(sheet(identity_name, q)?, q, &fmt)?,
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
    /// The opinion row's id: kept in the cell for the reader, not shown.
    group_id: Format,
    /// The opinion row's texts.
    group_text: Format,
    cell: Format,
    answer: Format,
    answer_text: Format,
    answer_date: Format,
    option: Format,
    closed: Format,
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
            group_id: Format::new()
                .set_background_color(0xEDEDED)
                .set_num_format(";;;"),
            group_text: Format::new()
                .set_bold()
                .set_background_color(0xEDEDED)
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            answer_text: answer.clone().set_num_format("@"),
            option: cell.clone().set_indent(2).set_italic(),
            closed: cell.clone().set_background_color(0xEDEDED),
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
    let reference = q.profile.tender.reference.replace('&', "&&");
    let page = tr(q.lang, "Page &P / &N", "Page &P of &N");
    ws.set_footer(fit(&format!("&L{reference}&R{page}"), MAX_MESSAGE));
    ws.set_paper_size(9).set_print_fit_to_pages(1, 0);
    Ok(ws)
}

/// `text` as printed for people: French typography in French.
fn typeset(text: &str, lang: Lang) -> String {
    typography::apply(text, lang)
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
    let lines = wording::instructions(q, Medium::Workbook);
    let mut row = 0;
    for line in lines {
        let line = match line {
            Line::Title(t) => Line::Title(typeset(&t, q.lang)),
            Line::Heading(t) => Line::Heading(typeset(&t, q.lang)),
            Line::Field(l, v) => Line::Field(typeset(&l, q.lang), typeset(&v, q.lang)),
            Line::Text(t) => Line::Text(typeset(&t, q.lang)),
        };
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
                ws.set_row_height(row, row_height(cells))?;
            }
            Line::Text(t) => {
                put(&mut ws, row, 1, &t, &fmt.text)?;
                ws.set_row_height(row, row_height([(t.as_str(), text_width)]))?;
            }
        }
        row += 1;
    }
    Ok(ws)
}

/// The identity sheet: a title and a line on why, a header row, then the
/// labels in column A, the answers in column B (text; the date a date),
/// what to write in column C.
fn identity(
    mut ws: Worksheet,
    q: &Questionnaire<'_>,
    fmt: &Formats,
) -> Result<Worksheet, XlsxError> {
    let lang = q.lang;
    for (col, width) in (0..).zip(IDENTITY_WIDTHS) {
        ws.set_column_width(col, width)?;
    }
    ws.set_landscape();
    let title = tr(
        lang,
        "Identification du candidat",
        "Tenderer identification",
    );
    put(&mut ws, 0, 0, title, &fmt.title)?;
    let why = typeset(
        tr(
            lang,
            "Renseignez chaque ligne de la colonne B. Pour un groupement, ces renseignements sont ceux du mandataire ; les cotraitants sont nommés à la ligne « Candidat seul ou groupement ».",
            "Fill in each row of column B. For a group, these are the lead member's details; the co-contractors are named on the row \"Sole tenderer or group\".",
        ),
        lang,
    );
    ws.merge_range(1, 0, 1, 2, &why, &fmt.text)?;
    ws.set_row_height(1, 32)?;
    let header = [
        tr(lang, "Renseignement", "Item"),
        tr(lang, "Votre réponse", "Your answer"),
        tr(lang, "Ce qu'il faut écrire", "What to write"),
    ];
    for (col, h) in (0..).zip(header) {
        put(&mut ws, 2, col, &typeset(h, lang), &fmt.header)?;
    }
    ws.set_repeat_rows(2, 2)?;
    for (row, field) in (3..).zip(layout::IdentityField::ALL) {
        let label = field.label(lang);
        let hint = typeset(field.hint(lang), lang);
        put(&mut ws, row, 0, label, &fmt.label)?;
        let answer = match field {
            layout::IdentityField::Date => &fmt.answer_date,
            _ => &fmt.answer_text,
        };
        ws.write_blank(row, 1, answer)?;
        put(&mut ws, row, 2, &hint, &fmt.text)?;
        let [a, _, c] = IDENTITY_WIDTHS;
        ws.set_row_height(row, row_height([(label, a), (hint.as_str(), c)]).max(30.0))?;
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
    ws.set_landscape();
    ws.set_repeat_rows(0, 0)?;
    let last = if q.audience == Audience::Internal {
        7
    } else {
        6
    };
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
            let group = typeset(&format!("{order}. {title}"), lang);
            ws.merge_range(row, 0, row, last, &fit(&group, MAX_CELL), &fmt.group)?;
            ws.set_row_height(row, 20)?;
            row += 1;
        }
        if q.audience == Audience::Internal {
            ws.write_blank(row, layout::ANSWER_COLUMN as u16 + 3, &fmt.answer)?;
        }
        row = question_row(&mut ws, row, x, q, fmt, lists)?;
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
    for (col, (header, width)) in (0..).zip(headers.iter().zip(WIDTHS)) {
        put(ws, 0, col, header, &fmt.header)?;
        ws.set_column_width(col, width)?;
    }
    ws.set_row_height(0, row_height(headers.iter().copied().zip(WIDTHS)))?;
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
    let question = typeset(
        tr(
            lang,
            "Avis du groupe projet sur ce critère",
            "The project group's opinion on this criterion",
        ),
        lang,
    );
    let help = typeset(
        tr(
            lang,
            "Choisissez l'avis du groupe dans la liste ; donnez ses motifs et, s'il est assorti de conditions, ces conditions dans la colonne suivante.",
            "Choose the group's opinion from the list; give its reasons and, if it carries conditions, these conditions in the next column.",
        ),
        lang,
    );
    let expected = tr(lang, "Un avis de la liste", "An opinion from the list");
    // the id is for the reader of the completed grid: in the cell, not shown
    put(ws, row, 0, &id, &fmt.group_id)?;
    for (col, value) in (1..).zip([question.as_str(), expected, &help]) {
        put(ws, row, col, value, &fmt.group_text)?;
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
    // the ids are for the reader of the completed grid, not for the group;
    // an item has no expected answer: both columns hidden
    ws.set_column_hidden(0)?.set_column_hidden(2)?;
    for (row, item) in (1..).zip(crate::grid::record()) {
        let id = crate::grid::record_id(item.key);
        let label = typeset(item.label.get(q.lang), q.lang);
        let help = typeset(item.help.get(q.lang), q.lang);
        let cells = [id.as_str(), &label, "", &help];
        for (col, value) in (0..).zip(cells) {
            put(&mut ws, row, col, value, &fmt.cell)?;
        }
        ws.set_row_height(row, row_height(cells.into_iter().zip(WIDTHS)))?;
        ws.write_blank(row, layout::ANSWER_COLUMN as u16, &fmt.answer)?;
        ws.write_blank(row, layout::ANSWER_COLUMN as u16 + 1, &fmt.answer)?;
    }
    Ok(ws)
}

/// One question: id, text, expected answer and explanations locked;
/// answer, comment and document unlocked; the answer checked and
/// explained. A multiple-choice question is followed by its option rows.
/// Returns the next free row.
fn question_row(
    ws: &mut Worksheet,
    row: u32,
    x: &SelectedQuestion,
    q: &Questionnaire<'_>,
    fmt: &Formats,
    lists: &mut Lists,
) -> Result<u32, XlsxError> {
    let lang = q.lang;
    let short = typeset(
        &wording::short(q.selection, x, lang, Medium::Workbook),
        lang,
    );
    let long = typeset(&wording::explanations(q.selection, x, lang), lang);
    // the reader compares the question with the lock, typography aside
    let text = typeset(x.text.get(lang), lang);
    let cells = [x.id.as_str(), &text, &short, &long];
    for (col, value) in (0..).zip(cells) {
        put(ws, row, col, value, &fmt.cell)?;
    }
    ws.set_row_height(row, row_height(cells.into_iter().zip(WIDTHS)))?;
    let col = layout::ANSWER_COLUMN as u16;
    ws.write_blank(row, col + 1, &fmt.answer)?;
    ws.write_blank(row, col + 2, &fmt.answer)?;
    if x.answer_type == AnswerType::MultiChoice {
        ws.write_blank(row, col, &fmt.closed)?;
        return option_rows(ws, row + 1, x, q, fmt, lists);
    }
    let answer = match x.answer_type {
        AnswerType::Percent | AnswerType::Text | AnswerType::Url | AnswerType::Country => {
            &fmt.answer_text
        }
        AnswerType::Date => &fmt.answer_date,
        _ => &fmt.answer,
    };
    ws.write_blank(row, col, answer)?;
    ws.add_data_validation(row, col, row, col, &validation(x, q, lists)?)?;
    Ok(row + 1)
}

/// The rows of a multiple-choice question's options: the label in the
/// question column, Oui/Non in the answer column.
fn option_rows(
    ws: &mut Worksheet,
    mut row: u32,
    x: &SelectedQuestion,
    q: &Questionnaire<'_>,
    fmt: &Formats,
    lists: &mut Lists,
) -> Result<u32, XlsxError> {
    let lang = q.lang;
    let col = layout::ANSWER_COLUMN as u16;
    let yes_no = [tr(lang, "Oui", "Yes"), tr(lang, "Non", "No")].map(String::from);
    let (title, message) = option_message(x, lang);
    for label in wording::labels(x, lang) {
        let label = typeset(&label, lang);
        ws.write_blank(row, 0, &fmt.cell)?;
        put(ws, row, 1, &label, &fmt.option)?;
        put(ws, row, 2, tr(lang, "Oui ou Non", "Yes or No"), &fmt.cell)?;
        ws.write_blank(row, 3, &fmt.cell)?;
        ws.write_blank(row, col, &fmt.answer)?;
        let dv = lists
            .dropdown(&x.id, yes_no.to_vec())?
            .set_error_title(tr(lang, "Oui ou Non", "Yes or No"))?
            .set_error_message(tr(
                lang,
                "Choisissez Oui ou Non dans la liste.",
                "Choose Yes or No from the list.",
            ))?
            .set_input_title(fit(&title, MAX_TITLE))?
            .set_input_message(&message)?;
        ws.add_data_validation(row, col, row, col, &dv)?;
        ws.write_blank(row, col + 1, &fmt.closed)?;
        ws.write_blank(row, col + 2, &fmt.closed)?;
        let [_, width, ..] = WIDTHS;
        ws.set_row_height(row, row_height([(label.as_str(), width)]))?;
        row += 1;
    }
    Ok(row)
}

/// The input title and message of an option's cell.
fn option_message(x: &SelectedQuestion, lang: Lang) -> (String, String) {
    let title = format!("{} — {}", x.id, tr(lang, "une option", "one option"));
    let message = typeset(
        tr(
            lang,
            "Oui si cette option s'applique à votre offre, Non sinon. Une ligne laissée vide compte comme Non.",
            "Yes if this option applies to your offer, No otherwise. A row left empty counts as No.",
        ),
        lang,
    );
    (title, message)
}

/// The data validation of an answer cell: a drop-down list, a number or date
/// check in Warning style (anything can still be typed), a country list in
/// Information style (several countries can be typed), and a short input
/// message.
fn validation(
    x: &SelectedQuestion,
    q: &Questionnaire<'_>,
    lists: &mut Lists,
) -> Result<DataValidation, XlsxError> {
    let lang = q.lang;
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
                    .map(|l| fit(&typeset(l, lang), MAX_CELL))
                    .collect::<Vec<_>>(),
            )?,
            t("Choix attendu", "Choice expected"),
            t(
                "Choisissez une valeur de la liste déroulante.",
                "Choose a value from the drop-down list.",
            )
            .to_string(),
        ),
        AnswerType::Country => (
            lists
                .dropdown(
                    t("pays", "countries"),
                    crate::answer::country::listed(lang),
                )?
                .set_error_style(ErrorStyle::Information),
            t("Pays", "Country"),
            t(
                "Ce pays n'est pas dans la liste. Plusieurs pays : séparez-les par « ; » (nom ou code à deux lettres).",
                "This country is not in the list. Several countries: separate them with \";\" (name or two-letter code).",
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
                "Une date est attendue (JJ/MM/AAAA).",
                "A date is expected (DD/MM/YYYY).",
            )
            .to_string()
                + keep,
        ),
        _ => (DataValidation::new().allow_any_value(), "", String::new()),
    };
    let dv = if title.is_empty() {
        dv
    } else {
        dv.set_error_title(title)?
            .set_error_message(fit(&typeset(&message, lang), MAX_MESSAGE))?
    };
    let input_title = format!("{} — {}", x.id, t("Réponse", "Answer"));
    dv.set_input_title(fit(&input_title, MAX_TITLE))?
        .set_input_message(input_message(x, q))
}

/// The input message of an answer cell: the short expected answer, within
/// Excel's limit, cut between words, and where the explanations are.
fn input_message(x: &SelectedQuestion, q: &Questionnaire<'_>) -> String {
    let lang = q.lang;
    let [.., explanations, _, _, _] = layout::columns(lang);
    let see = typeset(
        &format!(
            "{} « {explanations} ».",
            tr(lang, "Explications : colonne", "Explanations: column")
        ),
        lang,
    );
    let short = typeset(
        &wording::short(q.selection, x, lang, Medium::Workbook),
        lang,
    );
    let room = MAX_MESSAGE.saturating_sub(utf16_len(&see) + 1);
    format!("{}\n{see}", between_words(&short, room))
}

/// `text` cut to at most `max` UTF-16 units at the end of a word, with
/// « … » when cut.
fn between_words(text: &str, max: usize) -> String {
    if utf16_len(text) <= max {
        return text.to_string();
    }
    let mut out = String::new();
    for word in text.split(' ') {
        let next = if out.is_empty() {
            word.to_string()
        } else {
            format!("{out} {word}")
        };
        if utf16_len(&next) + 2 > max {
            break;
        }
        out = next;
    }
    format!("{out} …")
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
        let at = self.columns.iter().position(|(_, l)| *l == labels);
        let col = u16::try_from(at.unwrap_or(self.columns.len())).unwrap_or(u16::MAX);
        let last = u32::try_from(labels.len()).unwrap_or(u32::MAX);
        let range = worksheet_range_absolute(&self.sheet, 1, col, last, col);
        if at.is_some() {
            return Ok(DataValidation::new().allow_list_formula(Formula::new(range)));
        }
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
        ("lock_digest", lock_digest(q)),
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
        ("boussole.lock_digest", &lock_digest(q)),
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
