//! The questionnaire as a Word document, for vendors who prefer Word.
//!
//! The same content as the workbook: cover and instructions, an
//! identification table whose first column holds the labels of
//! [`layout::identity_labels`], and one table per criterion whose header row
//! is `ID`, `Question`, `Format attendu / aide`, `Réponse`,
//! `Justification / commentaire`, `Pièce justificative`, the question id in
//! the first cell of each row. The metadata (format, versions, hashes, one
//! text hash per question) are custom document properties: a hint only, the
//! lock is the authority. Texts are printed exactly as issued, so that the
//! reader can tell an edited question from the original.

use super::wording::{self, Line, Medium, tr};
use super::{FORMAT_VERSION, Questionnaire, layout};
use crate::Error;
use crate::library::Audience;
use crate::office::document::{Block, Document, Span};
use crate::office::docx;

/// The columns of the question tables: every column of the workbook but the
/// criterion (plus the assessing service in the internal grid).
fn columns(q: &Questionnaire<'_>) -> Vec<String> {
    let [id, _criterion, question, help, answer, comment, document] = layout::columns(q.lang);
    let mut out = [id, question, help, answer, comment, document]
        .map(String::from)
        .to_vec();
    if q.audience == Audience::Internal {
        out.push(layout::service_column(q.lang).into());
    }
    out
}

/// Relative widths of [`columns`].
fn widths(q: &Questionnaire<'_>) -> Vec<u32> {
    match q.audience {
        Audience::Vendor => vec![7, 26, 27, 14, 16, 10],
        Audience::Internal => vec![7, 24, 24, 13, 14, 9, 9],
    }
}

/// The internal grid's instruction record, as a table read back by id.
fn record(doc: &mut Document, q: &Questionnaire<'_>) {
    doc.push(Block::PageBreak);
    doc.push(Block::Heading {
        level: 1,
        text: layout::record_sheet(q.lang).into(),
        anchor: None,
    });
    let rows = crate::grid::record()
        .iter()
        .map(|i| {
            let mut row = vec![
                crate::grid::record_id(i.key),
                i.label.get(q.lang).into(),
                i.help.get(q.lang).into(),
            ];
            row.resize(columns(q).len(), String::new());
            row
        })
        .collect();
    doc.push(Block::Table {
        header: columns(q),
        rows,
        widths: widths(q),
    });
}

fn instructions(doc: &mut Document, q: &Questionnaire<'_>) {
    let mut fields: Vec<Vec<String>> = Vec::new();
    let flush = |doc: &mut Document, fields: &mut Vec<Vec<String>>| {
        if !fields.is_empty() {
            let header = vec![
                tr(q.lang, "Rubrique", "Item").to_string(),
                tr(q.lang, "Valeur", "Value").to_string(),
            ];
            doc.push(Block::Table {
                header,
                rows: std::mem::take(fields),
                widths: vec![3, 7],
            });
        }
    };
    for line in wording::instructions(q, Medium::Document) {
        match line {
            Line::Field(label, value) => {
                fields.push(vec![label, value]);
                continue;
            }
            Line::Title(t) => {
                flush(doc, &mut fields);
                doc.push(Block::Title(t));
            }
            Line::Heading(h) => {
                flush(doc, &mut fields);
                doc.push(Block::Heading {
                    level: 1,
                    text: h,
                    anchor: None,
                });
            }
            Line::Text(t) => {
                flush(doc, &mut fields);
                doc.para(t);
            }
        }
    }
    flush(doc, &mut fields);
}

fn identity(doc: &mut Document, q: &Questionnaire<'_>) {
    doc.push(Block::PageBreak);
    doc.push(Block::Heading {
        level: 1,
        text: tr(
            q.lang,
            "Identification du candidat",
            "Tenderer identification",
        )
        .into(),
        anchor: None,
    });
    let header = vec![
        tr(q.lang, "Rubrique", "Item").to_string(),
        tr(q.lang, "Réponse", "Answer").to_string(),
    ];
    let rows = layout::identity_labels(q.lang)
        .iter()
        .map(|l| vec![l.to_string(), String::new()])
        .collect();
    doc.push(Block::Table {
        header,
        rows,
        widths: vec![3, 7],
    });
}

fn questions(doc: &mut Document, q: &Questionnaire<'_>) {
    let width = columns(q).len();
    for c in &q.selection.criteria {
        let mut rows: Vec<Vec<String>> = q
            .questions()
            .filter(|x| x.criterion == c.id)
            .map(|x| {
                let text = x.text.get(q.lang).to_string();
                let mut row = vec![
                    x.id.clone(),
                    text,
                    wording::expected(q.selection, x, q.lang, Medium::Document),
                ];
                row.resize(width, String::new());
                row
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        if q.audience == Audience::Internal {
            rows.push(opinion_row(q, &c.id, width));
        }
        doc.push(Block::Heading {
            level: 2,
            text: format!("{}. {}", c.order, c.title.get(q.lang)),
            anchor: Some(format!("critere-{}", c.id)),
        });
        doc.push(Block::Table {
            header: columns(q),
            rows,
            widths: widths(q),
        });
    }
}

/// The grid's row for the group's opinion on a criterion.
fn opinion_row(q: &Questionnaire<'_>, criterion: &str, width: usize) -> Vec<String> {
    let choices: Vec<&str> = crate::grid::Opinion::ENTERED
        .iter()
        .map(|o| o.label(q.lang))
        .collect();
    let mut row = vec![
        crate::grid::opinion_id(criterion),
        tr(
            q.lang,
            "Avis du groupe projet sur ce critère",
            "The project group's opinion on this criterion",
        )
        .into(),
        format!(
            "{} {}",
            tr(q.lang, "Un avis parmi :", "One opinion among:"),
            choices.join(" ; ")
        ),
    ];
    row.resize(width, String::new());
    row
}

fn metadata(q: &Questionnaire<'_>) -> Vec<(String, String)> {
    let sel = q.selection;
    let audience = match q.audience {
        crate::library::Audience::Vendor => "vendor",
        crate::library::Audience::Internal => "internal",
    };
    let mut out = vec![
        (
            "boussole.format_version".to_string(),
            FORMAT_VERSION.to_string(),
        ),
        ("boussole.tool".into(), wording::tool()),
        (
            "boussole.library_version".into(),
            sel.library_version.clone(),
        ),
        ("boussole.library_hash".into(), sel.library_hash.clone()),
        ("boussole.profile_hash".into(), sel.profile_hash.clone()),
        ("boussole.lang".into(), q.lang.code().into()),
        ("boussole.audience".into(), audience.into()),
    ];
    out.extend(q.questions().map(|x| {
        (
            format!("boussole.q.{}", x.id),
            layout::text_hash(x.text.get(q.lang)),
        )
    }));
    out
}

/// What the document is called.
fn name(q: &Questionnaire<'_>) -> &'static str {
    match q.audience {
        Audience::Vendor => tr(
            q.lang,
            "Cadre de réponse boussole de l'IA",
            "AI compass response form",
        ),
        Audience::Internal => tr(
            q.lang,
            "Grille d'évaluation interne boussole de l'IA",
            "AI compass internal evaluation grid",
        ),
    }
}

/// Renders the questionnaire as DOCX bytes.
pub fn render(q: &Questionnaire<'_>) -> Result<Vec<u8>, Error> {
    let p = q.profile;
    let mut doc = Document {
        title: format!("{} — {}", name(q), p.tender.reference),
        subject: p.tender.title.clone(),
        author: p.buyer.name.clone(),
        keywords: "boussole; IA; questionnaire; cadre de réponse".into(),
        description: format!(
            "boussole {} ({})",
            q.selection.library_version,
            &q.selection.library_hash[..12]
        ),
        date: Some(p.dates.launch.unwrap_or(p.dates.award_date)),
        lang: q.lang,
        header: format!("{} — {}", p.tender.reference, name(q)),
        landscape: true,
        custom: metadata(q),
        blocks: Vec::new(),
    };
    instructions(&mut doc, q);
    match q.audience {
        Audience::Vendor => identity(&mut doc, q),
        Audience::Internal => record(&mut doc, q),
    }
    doc.push(Block::PageBreak);
    doc.push(Block::Heading {
        level: 1,
        text: tr(q.lang, "Questionnaire", "Questionnaire").into(),
        anchor: None,
    });
    doc.spans(vec![Span::italic(tr(
        q.lang,
        "Répondez dans la colonne « Réponse » de chaque ligne ; ne modifiez ni la colonne ID ni le texte des questions.",
        "Answer in the \"Answer\" column of each row; never edit the ID column or the text of the questions.",
    ))]);
    questions(&mut doc, q);
    docx::render(&doc)
}
