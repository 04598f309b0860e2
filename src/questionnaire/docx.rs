//! The questionnaire as a Word document, for vendors who prefer Word.
//!
//! The same content as the workbook: cover and instructions, an
//! identification table whose first column holds the labels of
//! [`layout::identity_labels`], and one table per criterion whose header row
//! is `ID`, `Question`, `Réponse attendue` (with the explanations),
//! `Réponse`, `Justification / commentaire`, `Pièce justificative`, the
//! question id in the first cell of each row; a multiple-choice question is
//! followed by one row per option (no id, the option's label in the
//! question column), answered Oui or Non. The metadata (format, versions, hashes, one
//! text hash per question) are custom document properties: a hint only, the
//! lock is the authority. Question texts are typeset like every other text:
//! the reader tells an edited question from the original on its words,
//! typography aside ([`layout::same_text`]).

use super::wording::{self, Line, Medium, tr};
use super::{FORMAT_VERSION, Questionnaire, layout};
use crate::Error;
use crate::library::{AnswerType, Audience};
use crate::office::document::{Block, Document, Span, unseen};
use crate::office::docx;
use crate::office::typography;

/// The columns of the question tables: every column of the workbook but
/// the explanations, which join the expected answer (plus the assessing
/// service in the internal grid).
fn columns(q: &Questionnaire<'_>) -> Vec<String> {
    let [id, question, expected, _explanations, answer, ..] = layout::columns(q.lang);
    // short headers over the narrow columns (the reader knows them)
    let comment = "Justification";
    let document = tr(q.lang, "Pièce justificative", "Supporting document");
    let mut out = [id, question, expected, answer, comment, document]
        .map(String::from)
        .to_vec();
    if q.audience == Audience::Internal {
        out.push(layout::service_column(q.lang).into());
    }
    out
}

/// Relative widths of [`columns`]: room to write the answer, and the
/// expected answer with its explanations.
fn widths(q: &Questionnaire<'_>) -> Vec<u32> {
    match q.audience {
        Audience::Vendor => vec![6, 18, 32, 24, 10, 10],
        Audience::Internal => vec![6, 17, 28, 21, 9, 9, 10],
    }
}

/// `text` with French typography in French.
fn typeset(text: &str, q: &Questionnaire<'_>) -> String {
    typography::apply(text, q.lang)
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
                unseen(&crate::grid::record_id(i.key)),
                i.label.get(q.lang).into(),
                i.help.get(q.lang).into(),
            ];
            row.resize(columns(q).len(), String::new());
            row
        })
        .collect();
    // The ids are hidden: their column is too, as narrow as it may be,
    // its room given to the questions.
    let mut header = columns(q);
    header[0] = unseen(&header[0]);
    let mut widths = widths(q);
    widths[1] += widths[0] - 1;
    widths[0] = 1;
    doc.push(Block::Table {
        header,
        rows,
        widths,
    });
}

fn instructions(doc: &mut Document, q: &Questionnaire<'_>) {
    let mut fields: Vec<Vec<Span>> = Vec::new();
    let flush = |doc: &mut Document, fields: &mut Vec<Vec<Span>>| {
        if !fields.is_empty() {
            doc.push(Block::Bullets(std::mem::take(fields)));
        }
    };
    for line in wording::instructions(q, Medium::Document) {
        match line {
            Line::Field(label, value) => {
                let label = typeset(&format!("{label} : "), q);
                fields.push(vec![Span::bold(label), Span::plain(typeset(&value, q))]);
                continue;
            }
            Line::Title(t) => {
                flush(doc, &mut fields);
                doc.push(Block::Title(typeset(&t, q)));
            }
            Line::Heading(h) => {
                flush(doc, &mut fields);
                doc.push(Block::Heading {
                    level: 1,
                    text: typeset(&h, q),
                    anchor: None,
                });
            }
            Line::Text(t) => {
                flush(doc, &mut fields);
                doc.para(typeset(&t, q));
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
    doc.para(typeset(
        tr(
            q.lang,
            "Renseignez la colonne « Votre réponse ». Pour un groupement, ces renseignements sont ceux du mandataire ; les cotraitants sont nommés à la ligne « Candidat seul ou groupement ».",
            "Fill in the \"Your answer\" column. For a group, these are the lead member's details; the co-contractors are named on the row \"Sole tenderer or group\".",
        ),
        q,
    ));
    let header = [
        tr(q.lang, "Renseignement", "Item"),
        tr(q.lang, "Votre réponse", "Your answer"),
        tr(q.lang, "Ce qu'il faut écrire", "What to write"),
    ]
    .map(|h| typeset(h, q))
    .to_vec();
    let rows = layout::IdentityField::ALL
        .iter()
        .map(|f| {
            vec![
                f.label(q.lang).to_string(),
                String::new(),
                typeset(f.hint(q.lang), q),
            ]
        })
        .collect();
    doc.push(Block::Table {
        header,
        rows,
        widths: vec![25, 40, 35],
    });
}

fn questions(doc: &mut Document, q: &Questionnaire<'_>) {
    let width = columns(q).len();
    for c in &q.selection.criteria {
        let mut rows: Vec<Vec<String>> = q
            .questions()
            .filter(|x| x.criterion == c.id)
            .flat_map(|x| {
                // the reader compares the question with the lock, typography aside
                let text = typeset(x.text.get(q.lang), q);
                let expected = wording::expected(q.selection, x, q.lang, Medium::Document);
                let mut row = vec![x.id.clone(), text, typeset(&expected, q)];
                row.resize(width, String::new());
                let options = if x.answer_type == AnswerType::MultiChoice {
                    wording::labels(x, q.lang)
                } else {
                    Vec::new()
                };
                let options = options.into_iter().map(|label| {
                    let yes_no = tr(q.lang, "Oui ou Non", "Yes or No").to_string();
                    let mut row = vec![String::new(), typeset(&label, q), yes_no];
                    row.resize(width, String::new());
                    row
                });
                std::iter::once(row).chain(options)
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
        unseen(&crate::grid::opinion_id(criterion)),
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
        ("boussole.lock_digest".into(), super::lock_digest(q)),
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
    doc.spans(vec![Span::italic(typeset(
        tr(
            q.lang,
            "Répondez dans la colonne « Réponse » de chaque ligne ; ne modifiez ni la colonne ID ni le texte des questions.",
            "Answer in the \"Answer\" column of each row; never edit the ID column or the text of the questions.",
        ),
        q,
    ))]);
    questions(&mut doc, q);
    docx::render(&doc)
}
