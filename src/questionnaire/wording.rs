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
    let how = match q.audience {
        Audience::Vendor => how_to_answer(q, medium),
        Audience::Internal => how_to_assess(q, medium),
    };
    let eliminatory = match q.audience {
        Audience::Vendor => eliminatory(q),
        Audience::Internal => Vec::new(),
    };
    [tender(q), how, scoring(q), eliminatory, version(q)]
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
    if q.audience == Audience::Vendor {
        let due = p.dates.offers_due.map(|d| d.in_words(lang));
        let due = due.unwrap_or_else(|| see_rules().into());
        lines.push(field(
            lang,
            "Date limite de remise des offres",
            "Deadline for offers",
            due,
        ));
    }
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

/// How to answer: where, in which format, what never to edit, how to join
/// documents and return the file.
fn how_to_answer(q: &Questionnaire<'_>, medium: Medium) -> Vec<Line> {
    let lang = q.lang;
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
    let [id, _, expected, explanations, answer, comment, document] = layout::columns(lang);
    let reference = &q.profile.tender.reference;
    let kind = match medium {
        Medium::Workbook => tr(lang, "classeur (.xlsx ou .ods)", "workbook (.xlsx or .ods)"),
        Medium::Document => tr(lang, "document (.docx ou .odt)", "document (.docx or .odt)"),
    };
    let mut how = match lang {
        Lang::Fr => vec![
            format!("Renseignez d'abord {identity} : raison sociale, SIRET, adresse, signataire et sa qualité, groupement le cas échéant, personne à contacter. Ces renseignements sont demandés à tout candidat ; s'ils manquent, l'acheteur vous demandera de les compléter."),
            format!("Dans {sheet}, répondez à chaque question dans la colonne « {answer} », une réponse par ligne, sous la forme indiquée dans la colonne « {expected} ». La colonne « {explanations} » précise la question, ce qui est attendu et, le cas échéant, comment la réponse est notée."),
            "Nombres : dans l'unité indiquée ; la virgule décimale est acceptée (12,5 ou 12.5). Pourcentages : un nombre de 0 à 100 (85 pour 85 %). Dates : JJ/MM/AAAA ou AAAA-MM-JJ.".into(),
        ],
        Lang::En => vec![
            format!("First fill in {identity}: company name, SIRET, address, signatory and role, group if any, contact person. Every tenderer is asked for them; if any is missing, the buyer will ask you to complete it."),
            format!("In {sheet}, answer each question in the \"{answer}\" column, one answer per row, in the form given in the \"{expected}\" column. The \"{explanations}\" column explains the question, what is expected and, where relevant, how the answer is scored."),
            "Numbers: in the unit given; a decimal comma is accepted (12.5 or 12,5). Percentages: a number from 0 to 100 (85 for 85%). Dates: DD/MM/YYYY or YYYY-MM-DD.".into(),
        ],
    };
    how.push(match (medium, lang) {
        (Medium::Workbook, Lang::Fr) => "Oui/Non et choix : choisissez dans la liste déroulante de la cellule. Choix multiples : la question est suivie d'une ligne par option ; répondez Oui ou Non sur chacune. Pays : choisissez un pays dans la liste, ou écrivez plusieurs pays séparés par « ; » (nom ou code à deux lettres : France ou FR).".into(),
        (Medium::Workbook, Lang::En) => "Yes/No and choices: choose from the cell's drop-down list. Multiple choices: the question is followed by one row per option; answer Yes or No on each. Countries: choose a country from the list, or write several separated by \";\" (name or two-letter code: France or FR).".into(),
        (Medium::Document, Lang::Fr) => "Oui/Non et choix : écrivez l'une des valeurs indiquées pour la question. Choix multiples : la question est suivie d'une ligne par option ; écrivez Oui ou Non sur chacune. Pays : leur nom ou leur code à deux lettres (France ou FR), séparés par « ; ».".into(),
        (Medium::Document, Lang::En) => "Yes/No and choices: write one of the values given for the question. Multiple choices: the question is followed by one row per option; write Yes or No on each. Countries: their name or two-letter code (France or FR), separated by \";\".".into(),
    });
    how.extend(match lang {
        Lang::Fr => [
            format!("Justifiez vos réponses dans la colonne « {comment} » lorsque c'est utile. Lorsqu'une pièce justificative est demandée (colonne « {expected} »), joignez-la à votre offre et écrivez son nom de fichier dans la colonne « {document} » ; sans elle, la réponse ne peut pas être prise en compte."),
            "Nommez chaque pièce jointe par l'identifiant de la question puis un intitulé court, par exemple « BIO-11 rapport évaluation des biais.pdf » ; une pièce qui répond à plusieurs questions est citée dans chacune (avec la page).".into(),
            format!("Une question dont la colonne « {expected} » dit « Obligatoire » doit recevoir une réponse. Une question « À remplir seulement si… » ne s'applique que si la condition indiquée est remplie ; elle doit alors recevoir une réponse."),
            format!("Ne modifiez ni la colonne « {id} », ni le texte des questions, ni l'ordre des lignes."),
            format!("Renvoyez ce {kind} complété avec votre offre, dans son format d'origine (pas de PDF ni de copie d'écran), nommé par exemple « {reference} — cadre de réponse — raison sociale ». Vos réponses engagent le candidat : elles ont valeur contractuelle si le marché lui est attribué."),
        ],
        Lang::En => [
            format!("Justify your answers in the \"{comment}\" column where useful. When a supporting document is asked for (\"{expected}\" column), attach it to your offer and write its file name in the \"{document}\" column; without it, the answer cannot be taken into account."),
            "Name each attachment with the question's id then a short title, for example \"BIO-11 bias assessment report.pdf\"; a document answering several questions is cited in each (with the page).".into(),
            format!("A question whose \"{expected}\" column says \"Required\" must be answered. A question \"To answer only if…\" applies only when the condition given is met; it must then be answered."),
            format!("Never edit the \"{id}\" column, the text of the questions or the order of the rows."),
            format!("Return this completed {kind} with your offer, in its original format (no PDF or screenshot), named for example \"{reference} — response form — company name\". Your answers bind the tenderer: they are contractual if the contract is awarded to it."),
        ],
    });
    let mut lines = vec![heading(lang, "Comment répondre", "How to answer")];
    lines.extend(how.into_iter().map(Line::Text));
    lines
}

/// How the project group fills the internal grid: its own tabs, the
/// opinion closing each criterion, the assessing service.
fn how_to_assess(q: &Questionnaire<'_>, medium: Medium) -> Vec<Line> {
    let lang = q.lang;
    let record = layout::record_sheet(lang);
    let [_, _, sheet, ..] = layout::sheet_names(lang);
    let [id, _, expected, _, answer, comment, _] = layout::columns(lang);
    let service = layout::service_column(lang);
    let (record, sheet) = match (medium, lang) {
        (Medium::Workbook, Lang::Fr) => (
            format!("l'onglet « {record} »"),
            format!("l'onglet « {sheet} »"),
        ),
        (Medium::Workbook, Lang::En) => (
            format!("the \"{record}\" sheet"),
            format!("the \"{sheet}\" sheet"),
        ),
        (Medium::Document, Lang::Fr) => (
            format!("le tableau « {record} »"),
            "les tableaux de questions".to_string(),
        ),
        (Medium::Document, Lang::En) => (
            format!("the \"{record}\" table"),
            "the question tables".to_string(),
        ),
    };
    let how = match lang {
        Lang::Fr => vec![
            format!("Renseignez d'abord {record} : qui a instruit le cas d'usage, qui a été consulté et quand, quelles analyses d'impact ont été menées."),
            format!("Dans {sheet}, répondez à chaque question dans la colonne « {answer} », sous la forme indiquée dans la colonne « {expected} », et motivez dans la colonne « {comment} ». Choix multiples : répondez Oui ou Non sur chaque ligne d'option."),
            format!("À la fin de chaque critère, la ligne « Avis du groupe projet sur ce critère » reçoit l'avis du groupe, choisi dans la liste, et ses motifs ou ses conditions."),
            format!("Indiquez dans la colonne « {service} » le service qui a instruit chaque point."),
            format!("Ne modifiez ni la colonne « {id} » ni le texte des questions : la grille remplie est relue pour préparer l'avis du groupe projet."),
        ],
        Lang::En => vec![
            format!("First fill in {record}: who assessed the use case, who was consulted and when, which impact assessments were made."),
            format!("In {sheet}, answer each question in the \"{answer}\" column, in the form given in the \"{expected}\" column, and give reasons in the \"{comment}\" column. Multiple choices: answer Yes or No on each option row."),
            "At the end of each criterion, the row \"The project group's opinion on this criterion\" takes the group's opinion, chosen from the list, and its reasons or conditions.".to_string(),
            format!("Write in the \"{service}\" column the service that assessed each point."),
            format!("Never edit the \"{id}\" column or the text of the questions: the filled grid is read back to prepare the project group's opinion."),
        ],
    };
    let mut lines = vec![heading(
        lang,
        "Comment remplir la grille",
        "How to fill in the grid",
    )];
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

/// The "Réponse attendue" cell: the form of the answer in a few words,
/// when the question applies (in words), whether it is required, the
/// document to join. Short enough for a cell's input message.
pub fn short(sel: &Selection, x: &SelectedQuestion, lang: Lang, medium: Medium) -> String {
    let mut lines = vec![capitalised(&answer_format(x, lang, medium))];
    if let Some(c) = &x.condition {
        let only = tr(lang, "À remplir seulement", "To answer only");
        lines.push(format!("{only} {}.", sel.condition_in_words(c, lang)));
    }
    if x.required {
        lines.push(
            match x.condition {
                None => tr(lang, "Obligatoire.", "Required."),
                Some(_) => tr(lang, "Obligatoire dans ce cas.", "Required in that case."),
            }
            .into(),
        );
    }
    if let Some(e) = &x.evidence {
        lines.push(format!(
            "{}{}",
            tr(lang, "Pièce à joindre : ", "Document to attach: "),
            e.get(lang)
        ));
    }
    lines.join("\n")
}

/// The "Explications" cell: the help, the choices, the requirement or how
/// the answer is scored, the example (none for the texts the committee
/// marks, so that no offer can earn a mark by pasting it).
pub fn explanations(sel: &Selection, x: &SelectedQuestion, lang: Lang) -> String {
    let tagged = |fr: &str, en: &str, value: &str| format!("{}{value}", tr(lang, fr, en));
    let counted = sel.plan.counted(&x.id);
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
    let choices = (x.answer_type == AnswerType::Choice).then(|| {
        tagged(
            "Choix possibles : ",
            "Possible choices: ",
            &labels(x, lang).join(tr(lang, " ; ", "; ")),
        )
    });
    let lines = [
        Some(x.help.get(lang).trim().to_string()),
        choices,
        judged,
        example.map(|e| tagged("Exemple : ", "Example: ", &e)),
    ];
    let lines: Vec<_> = lines
        .into_iter()
        .flatten()
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("\n")
}

/// The expected answer in a document, where nothing is cut: the short
/// form, then the explanations.
pub fn expected(sel: &Selection, x: &SelectedQuestion, lang: Lang, medium: Medium) -> String {
    [short(sel, x, lang, medium), explanations(sel, x, lang)]
        .into_iter()
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// `s` with its first letter in upper case.
fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
}

/// The expected format of an answer, in words.
pub fn answer_format(x: &SelectedQuestion, lang: Lang, medium: Medium) -> String {
    let listed = medium == Medium::Workbook;
    let (fr, en) = match x.answer_type {
        AnswerType::YesNo if !listed => ("Oui ou Non", "Yes or No"),
        AnswerType::Choice if !listed => (
            "un choix parmi ceux indiqués ci-dessous",
            "one of the choices given below",
        ),
        AnswerType::YesNo => ("Oui ou Non, dans la liste", "Yes or No, from the list"),
        AnswerType::Choice => ("un choix de la liste", "one choice from the list"),
        AnswerType::MultiChoice => (
            "Oui ou Non sur chaque ligne d'option ci-dessous",
            "Yes or No on each option row below",
        ),
        AnswerType::Number => ("nombre", "number"),
        AnswerType::Percent => ("pourcentage de 0 à 100", "percentage from 0 to 100"),
        AnswerType::Text => ("texte libre", "free text"),
        AnswerType::Url => (
            "adresse web complète (https://…)",
            "full web address (https://…)",
        ),
        AnswerType::Country if listed => (
            "pays, dans la liste (plusieurs : séparés par « ; »)",
            "country, from the list (several: separated by \";\")",
        ),
        AnswerType::Country => (
            "pays, nom ou code à deux lettres (plusieurs : séparés par « ; »)",
            "country, name or two-letter code (several: separated by \";\")",
        ),
        AnswerType::Date => ("date, JJ/MM/AAAA", "date, DD/MM/YYYY"),
    };
    let mut out = tr(lang, fr, en).to_string();
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
