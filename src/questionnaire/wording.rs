//! The questionnaire's wording, shared by its writers: the instructions
//! (tender, how to answer, how answers are scored, eliminatory answers) as
//! format-neutral [`Line`]s, and the expected format of each answer.

use super::{Questionnaire, layout};
use crate::library::{AnswerType, Audience, Role};
use crate::selection::{SelectedQuestion, Selection};
use crate::text::{self, Lang};

/// Where the vendor answers: the workbook's sheets, or the document's tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Medium {
    /// An XLSX workbook.
    Workbook,
    /// A DOCX document.
    Document,
}

/// The instructions, in order.
pub fn instructions(q: &Questionnaire<'_>, medium: Medium) -> Vec<Line> {
    [
        tender(q),
        how_to_answer(q.lang, medium),
        scoring(q),
        eliminatory(q),
        version(q),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// One line of the instructions.
pub enum Line {
    /// The title.
    Title(String),
    /// A section heading.
    Heading(String),
    /// A label and its value.
    Field(String, String),
    /// A paragraph.
    Text(String),
}

/// Heading `fr`/`en` of a section.
fn heading(lang: Lang, fr: &str, en: &str) -> Line {
    Line::Heading(tr(lang, fr, en).into())
}

/// A label `fr`/`en` and its value.
fn field(lang: Lang, fr: &str, en: &str, value: impl Into<String>) -> Line {
    Line::Field(tr(lang, fr, en).into(), value.into())
}

/// The title and the tender: buyer, reference, title, lot, deadline, contact.
fn tender(q: &Questionnaire<'_>) -> Vec<Line> {
    let (lang, p) = (q.lang, q.profile);
    let see_rules = || {
        tr(
            lang,
            "voir le règlement de la consultation",
            "see the tender rules",
        )
    };
    let title = match q.audience {
        Audience::Vendor => tr(
            lang,
            "Cadre de réponse — boussole de l'IA",
            "Response form — AI compass",
        ),
        Audience::Internal => tr(
            lang,
            "Grille d'évaluation interne — boussole de l'IA",
            "Internal evaluation grid — AI compass",
        ),
    };
    let mut lines = vec![Line::Title(title.into())];
    if lang == Lang::En {
        lines.push(Line::Text(
            "This English version is provided for convenience only: the French version prevails."
                .into(),
        ));
    }
    lines.push(heading(lang, "Consultation", "Tender"));
    lines.push(field(lang, "Acheteur", "Buyer", &p.buyer.name));
    if let Some(d) = &p.buyer.department {
        lines.push(field(lang, "Service", "Department", d));
    }
    lines.push(field(lang, "Référence", "Reference", &p.tender.reference));
    lines.push(field(lang, "Objet", "Title", &p.tender.title));
    if let Some(lot) = &p.tender.lot {
        lines.push(field(lang, "Lot", "Lot", lot));
    }
    let due = p.dates.offers_due.map(|d| d.in_words(lang));
    let due = due.unwrap_or_else(|| see_rules().into());
    lines.push(field(
        lang,
        "Date limite de remise des offres",
        "Deadline for offers",
        due,
    ));
    let contact: Vec<_> = [&p.buyer.contact, &p.buyer.email]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    let contact = if contact.is_empty() {
        see_rules().into()
    } else {
        contact.join(" — ")
    };
    lines.push(field(lang, "Contact", "Contact", contact));
    lines
}

/// How to answer: where, in which format, what never to edit.
fn how_to_answer(lang: Lang, medium: Medium) -> Vec<Line> {
    let [_, identity, sheet, ..] = layout::sheet_names(lang);
    let (identity, sheet) = match (medium, lang) {
        (Medium::Workbook, Lang::Fr) => (
            format!("l'onglet « {identity} »"),
            format!("l'onglet « {sheet} »"),
        ),
        (Medium::Workbook, Lang::En) => (
            format!("the \"{identity}\" sheet"),
            format!("the \"{sheet}\" sheet"),
        ),
        (Medium::Document, Lang::Fr) => (
            "le tableau d'identification".to_string(),
            "les tableaux de questions".to_string(),
        ),
        (Medium::Document, Lang::En) => (
            "the identification table".to_string(),
            "the question tables".to_string(),
        ),
    };
    let [id, .., help, answer, comment, document] = layout::columns(lang);
    let how = match lang {
        Lang::Fr => [
            format!("Renseignez d'abord {identity}."),
            format!("Dans {sheet}, une seule réponse par ligne, dans la colonne « {answer} », au format indiqué dans la colonne « {help} »."),
            "Nombres : dans l'unité indiquée ; la virgule décimale est acceptée (12,5 ou 12.5).".into(),
            "Pourcentages : un nombre de 0 à 100, en % (85 pour 85 %).".into(),
            "Dates : AAAA-MM-JJ ou JJ/MM/AAAA.".into(),
            if medium == Medium::Workbook {
                "Oui/Non et choix : choisissez dans la liste déroulante. Choix multiples et pays : séparez les valeurs par « ; ».".into()
            } else {
                "Oui/Non et choix : écrivez l'une des valeurs indiquées pour la question. Choix multiples et pays : séparez les valeurs par « ; ».".into()
            },
            format!("Ne modifiez jamais la colonne « {id} » ni le texte des questions."),
            format!("Pour chaque ligne, un commentaire dans la colonne « {comment} » et la référence d'une pièce justificative (fichier, page) dans la colonne « {document} »."),
            "Une question marquée (obligatoire) doit recevoir une réponse. Une question posée seulement sous condition ne s'applique que si la condition indiquée est remplie ; marquée (obligatoire lorsque la question s'applique), elle doit alors recevoir une réponse.".into(),
        ],
        Lang::En => [
            format!("First fill in {identity}."),
            format!("In {sheet}, one answer per row, in the \"{answer}\" column, in the format given in the \"{help}\" column."),
            "Numbers: in the unit given; a decimal comma is accepted (12.5 or 12,5).".into(),
            "Percentages: a number from 0 to 100, in % (85 for 85%).".into(),
            "Dates: YYYY-MM-DD or DD/MM/YYYY.".into(),
            if medium == Medium::Workbook {
                "Yes/No and choices: choose from the drop-down list. Multiple choices and countries: separate the values with \";\".".into()
            } else {
                "Yes/No and choices: write one of the values given for the question. Multiple choices and countries: separate the values with \";\".".into()
            },
            format!("Never edit the \"{id}\" column or the text of the questions."),
            format!("For each row, one comment in the \"{comment}\" column and the reference of a supporting document (file, page) in the \"{document}\" column."),
            "A question marked (required) must be answered. A question asked only under a condition applies only when the condition given is met; marked (required when it applies), it must then be answered.".into(),
        ],
    };
    let mut lines = vec![heading(lang, "Comment répondre", "How to answer")];
    lines.extend(how.into_iter().map(Line::Text));
    lines
}

/// How answers are scored: the formula, the compass's share, each criterion's weight and minimum.
fn scoring(q: &Questionnaire<'_>) -> Vec<Line> {
    let (lang, sel) = (q.lang, q.selection);
    let number = |x: f64| text::number(x, lang);
    let mut lines = vec![heading(
        lang,
        "Notation des réponses",
        "How answers are scored",
    )];
    lines.extend(sel.plan.formula(lang).into_iter().map(Line::Text));
    lines.push(field(
        lang,
        "Part de la note portée par la boussole",
        "Share of the mark carried by the compass",
        format!("{} / 100", number(sel.plan.compass_share)),
    ));
    for (c, plan) in sel.criteria.iter().zip(&sel.plan.criteria) {
        let weight = format!(
            "{} {} %",
            tr(lang, "sous-pondération", "sub-weight"),
            number(plan.weight)
        );
        let minimum = match plan.minimum {
            Some(m) => format!(
                "{} {} / 100",
                tr(lang, "note minimale", "minimum score"),
                number(m)
            ),
            None => tr(lang, "pas de note minimale", "no minimum score").into(),
        };
        let label = format!("{}. {}", c.order, c.title.get(lang));
        lines.push(Line::Field(label, format!("{weight} ; {minimum}")));
    }
    lines
}

/// The regularity questions the questionnaire asks, with their texts.
fn eliminatory(q: &Questionnaire<'_>) -> Vec<Line> {
    let lang = q.lang;
    let asked: Vec<_> = q
        .questions()
        .filter(|x| q.selection.plan.regularity.contains(&x.id))
        .map(|x| Line::Field(x.id.clone(), x.text.get(lang).into()))
        .collect();
    let intro = if asked.is_empty() {
        tr(lang, "Aucune.", "None.")
    } else {
        tr(
            lang,
            "Ces questions vérifient les exigences minimales et l'acceptation des obligations du marché. Une réponse contraire rend l'offre irrégulière ; une réponse absente ou illisible, ou une pièce justificative manquante, peut faire l'objet d'une demande de régularisation :",
            "These questions check the minimum requirements and the acceptance of the contract's obligations. An answer contrary to them makes the offer irregular; a missing or unreadable answer, or a missing supporting document, may be the subject of a request to regularise:",
        )
    };
    let mut lines = vec![heading(
        lang,
        "Conditions de régularité de l'offre",
        "Conditions of the offer's regularity",
    )];
    lines.push(Line::Text(intro.into()));
    lines.extend(asked);
    lines
}

/// The version of the questionnaire (its provenance, hashes included, is
/// in the file's properties and metadata, out of the reader's sight).
fn version(q: &Questionnaire<'_>) -> Vec<Line> {
    let (lang, sel) = (q.lang, q.selection);
    vec![
        heading(lang, "Version", "Version"),
        field(
            lang,
            "Référentiel boussole de l'IA",
            "AI compass framework",
            sel.library_version.clone(),
        ),
    ]
}

/// The "Format attendu / aide" cell: help, format, rule, condition (in
/// words, answers named by the labels `sel` prints), example, required.
pub fn expected(sel: &Selection, x: &SelectedQuestion, lang: Lang, medium: Medium) -> String {
    let tagged = |fr: &str, en: &str, value: &str| format!("{}{value}", tr(lang, fr, en));
    let counted = sel.plan.counted(&x.id);
    // Examples show a format; a text the committee marks gets none, so
    // that no offer can earn a mark by pasting it.
    let example = Some(example(x, lang))
        .filter(|e| !e.is_empty())
        .filter(|_| counted.is_none_or(|c| c.scale != crate::scoring::Scale::Committee));
    let judged = match (x.role, counted) {
        (Role::Regularity, _) => x
            .rule_text
            .as_ref()
            .map(|r| tagged("Exigence : ", "Requirement: ", r.get(lang))),
        (Role::Award, Some(c)) => {
            let rule = x.rule_text.as_ref().map(|r| r.get(lang));
            let element = crate::scoring::Element {
                weight: c.weight,
                unit: x.unit.as_deref(),
                choices: &x.choices,
                rule,
            };
            Some(tagged(
                "Notation : ",
                "Scoring: ",
                &c.scale.describe(&element, lang),
            ))
        }
        _ => None,
    };
    let lines = [
        Some(x.help.get(lang).trim().to_string()),
        Some(tagged(
            "Format : ",
            "Format: ",
            &answer_format(x, lang, medium),
        )),
        judged,
        x.evidence.as_ref().map(|e| {
            tagged(
                "Pièce justificative à joindre et à citer dans la colonne prévue : ",
                "Supporting document to attach and cite in its column: ",
                e.get(lang),
            )
        }),
        x.condition.as_ref().map(|c| {
            let only = tr(lang, "Question posée seulement", "Question asked only");
            format!("{only} {}.", sel.condition_in_words(c, lang))
        }),
        example.map(|e| tagged("Exemple : ", "Example: ", &e)),
        x.required.then(|| {
            match x.condition {
                None => tr(lang, "(obligatoire)", "(required)"),
                Some(_) => tr(
                    lang,
                    "(obligatoire lorsque la question s'applique)",
                    "(required when it applies)",
                ),
            }
            .to_string()
        }),
    ];
    let lines: Vec<_> = lines
        .into_iter()
        .flatten()
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("\n")
}

/// The expected format of an answer, in words.
pub fn answer_format(x: &SelectedQuestion, lang: Lang, medium: Medium) -> String {
    let listed = medium == Medium::Workbook;
    let (fr, en) = match x.answer_type {
        AnswerType::YesNo if !listed => ("Oui ou Non", "Yes or No"),
        AnswerType::Choice if !listed => ("un choix parmi : ", "one choice among: "),
        AnswerType::YesNo => (
            "Oui ou Non, dans la liste déroulante",
            "Yes or No, from the drop-down list",
        ),
        AnswerType::Choice => (
            "un choix de la liste déroulante : ",
            "one choice from the drop-down list: ",
        ),
        AnswerType::MultiChoice => (
            "un ou plusieurs choix, séparés par « ; », parmi : ",
            "one or more choices, separated by \";\", among: ",
        ),
        AnswerType::Number => ("nombre", "number"),
        AnswerType::Percent => (
            "pourcentage de 0 à 100, en % (85 pour 85 %)",
            "percentage from 0 to 100, in % (85 for 85%)",
        ),
        AnswerType::Text => ("texte libre", "free text"),
        AnswerType::Url => (
            "adresse web complète (https://…)",
            "full web address (https://…)",
        ),
        AnswerType::Country => (
            "code(s) pays ISO à deux lettres (FR, DE…), séparés par « ; »",
            "two-letter ISO country code(s) (FR, DE…), separated by \";\"",
        ),
        AnswerType::Date => (
            "date, AAAA-MM-JJ ou JJ/MM/AAAA",
            "date, YYYY-MM-DD or DD/MM/YYYY",
        ),
    };
    let mut out = tr(lang, fr, en).to_string();
    if matches!(x.answer_type, AnswerType::Choice | AnswerType::MultiChoice) {
        out += &labels(x, lang).join(tr(lang, " ; ", "; "));
    }
    if let Some(unit) = x
        .unit
        .as_deref()
        .filter(|_| x.answer_type == AnswerType::Number)
    {
        let unit = text::unit(unit, lang);
        if !unit.is_empty() {
            out += &format!("{}{unit}", tr(lang, ", en ", ", in "));
        }
    }
    out
}

/// The example in the questionnaire's language: choice ids shown as the
/// labels the vendor picks, `Oui`/`Non` and decimal commas in English, and
/// the library's English text of a free-text example.
pub fn example(x: &SelectedQuestion, lang: Lang) -> String {
    if let (Lang::En, Some(en)) = (lang, &x.example_en) {
        return en.clone();
    }
    match (x.answer_type, lang, x.example.as_str()) {
        (AnswerType::YesNo, Lang::En, "Oui") => return "Yes".into(),
        (AnswerType::YesNo, Lang::En, "Non") => return "No".into(),
        (AnswerType::Number | AnswerType::Percent, Lang::En, e) => return e.replace(',', "."),
        _ => {}
    }
    if !x.answer_type.has_choices() {
        return x.example.clone();
    }
    let label = |part: &str| {
        let same = |s: &str| s.eq_ignore_ascii_case(part);
        x.choices
            .iter()
            .find(|c| same(&c.id) || same(&c.label.fr) || same(&c.label.en))
            .map_or(part.to_string(), |c| c.label.get(lang).to_string())
    };
    let parts: Vec<_> = x.example.split(';').map(|p| label(p.trim())).collect();
    parts.join(tr(lang, " ; ", "; "))
}

/// The choice labels of a question, in the questionnaire's language.
pub fn labels(x: &SelectedQuestion, lang: Lang) -> Vec<String> {
    x.choices
        .iter()
        .map(|c| c.label.get(lang).to_string())
        .collect()
}

/// `fr` or `en`.
pub fn tr<'a>(lang: Lang, fr: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Fr => fr,
        Lang::En => en,
    }
}

/// The tool that wrote the file, as the lock names it.
pub fn tool() -> String {
    format!("boussole {}", env!("CARGO_PKG_VERSION"))
}
