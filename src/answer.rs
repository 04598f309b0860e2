//! Answers: what a vendor typed, turned into a value a rule can judge.
//!
//! Normalisation never guesses: `1,5`, `1.5` and `1 234,5` are numbers,
//! `Oui` is yes, `3 kWh` becomes 3,000 for a question in Wh, `Allemagne` is
//! `DE`; `N/A`, `voir mémoire`, an ambiguous `1,234` or anything not
//! understood is an [`Invalid`] answer that keeps the raw text and says why.
//!
//! Canonical values: yes_no `yes`/`no`; choice: the choice id; multi_choice:
//! the ids; number: in the question's unit; percent: in percent units
//! (0–100); date; country: ISO 3166-1 alpha-2 codes; text and url: trimmed,
//! NFC, spaces collapsed.

pub mod country;
mod fold;
mod number;

use std::fmt;

use serde::Serialize;

use crate::date::Date;
use crate::library::{AnswerType, Choice};
use crate::response::{Cell, Row};

pub use fold::{ascii_runs, fold};

/// What an answer must be: its type, unit and choices.
#[derive(Debug, Clone, Copy)]
pub struct Spec<'a> {
    /// The answer type.
    pub kind: AnswerType,
    /// The unit of numbers.
    pub unit: Option<&'a str>,
    /// The choices (yes/no included).
    pub choices: &'a [Choice],
}

/// A normalised answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    /// yes_no (`yes` / `no`) and choice: the choice id.
    Choice(String),
    /// multi_choice: the choice ids; country: the ISO codes.
    Choices(Vec<String>),
    /// number (in the question's unit) and percent (0–100).
    Number(f64),
    /// text and url.
    Text(String),
    /// date.
    Date(Date),
}

/// Why an answer could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invalid {
    /// Nothing was typed.
    Empty,
    /// A refusal to answer: `N/A`, `Sans objet`, `NC`, `?`, `-`, `voir mémoire`…
    NonAnswer(String),
    /// `1,234`: thousands or decimals? Not guessed.
    Ambiguous(String),
    /// A unit that is not the question's and cannot be converted.
    UnknownUnit(String),
    /// A formula with no value kept in the file.
    Formula(String),
    /// Not understood for this question's type.
    Unreadable(String),
}

impl Invalid {
    /// Stable code: `missing`, `non_answer`, `ambiguous_number`, `unknown_unit`, `formula`, `unreadable`.
    pub fn code(&self) -> &'static str {
        match self {
            Invalid::Empty => "missing",
            Invalid::NonAnswer(_) => "non_answer",
            Invalid::Ambiguous(_) => "ambiguous_number",
            Invalid::UnknownUnit(_) => "unknown_unit",
            Invalid::Formula(_) => "formula",
            Invalid::Unreadable(_) => "unreadable",
        }
    }
}

impl Invalid {
    /// Why, in `lang`.
    pub fn describe(&self, lang: crate::text::Lang) -> String {
        if lang == crate::text::Lang::En {
            return self.to_string();
        }
        let s = self.quoted(lang);
        match self {
            Invalid::Empty => "pas de réponse".into(),
            Invalid::NonAnswer(_) => format!("« {s} » n'est pas une réponse"),
            Invalid::Ambiguous(_) => {
                format!("« {s} » est ambigu : milliers ou décimales ? écrivez 1 234 ou 1,234 5")
            }
            Invalid::UnknownUnit(_) => format!("« {s} » : unité non reconnue pour cette question"),
            Invalid::Formula(_) => format!("une formule (« {s} ») sans valeur enregistrée"),
            Invalid::Unreadable(_) => format!("« {s} » n'est pas compris pour cette question"),
        }
    }

    /// The answer the message quotes, cut to [`crate::text::QUOTED_CHARS`].
    fn quoted(&self, lang: crate::text::Lang) -> std::borrow::Cow<'_, str> {
        let said = match self {
            Invalid::Empty => "",
            Invalid::NonAnswer(s)
            | Invalid::Ambiguous(s)
            | Invalid::UnknownUnit(s)
            | Invalid::Formula(s)
            | Invalid::Unreadable(s) => s,
        };
        crate::text::excerpt(said, crate::text::QUOTED_CHARS, lang)
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.quoted(crate::text::Lang::En);
        match self {
            Invalid::Empty => write!(f, "no answer"),
            Invalid::NonAnswer(_) => write!(f, "`{s}` is not an answer"),
            Invalid::Ambiguous(_) => write!(
                f,
                "`{s}` is ambiguous: thousands or decimals? write 1 234 or 1,234 5"
            ),
            Invalid::UnknownUnit(_) => write!(f, "`{s}`: unit not understood for this question"),
            Invalid::Formula(_) => write!(f, "a formula (`{s}`) with no value"),
            Invalid::Unreadable(_) => write!(f, "`{s}` is not understood for this question"),
        }
    }
}

/// Trimmed, NFC, spaces collapsed: how texts are kept.
pub fn tidy(s: &str) -> String {
    crate::text::single_spaced(&crate::text::composed(s))
}

const NON_ANSWERS: [&str; 20] = [
    "n/a",
    "na",
    "n.a.",
    "sans objet",
    "so",
    "s.o.",
    "nc",
    "n.c.",
    "non communique",
    "non concerne",
    "?",
    "-",
    "--",
    "/",
    "nsp",
    "tbd",
    "a definir",
    "a preciser",
    "non renseigne",
    "x",
];

/// How a refusal that points elsewhere starts, folded.
const POINTERS: [&str; 5] = ["voir ", "cf ", "cf. ", "se reporter", "see "];

/// The most words of an answer that refuses by naming the « mémoire
/// technique » ([`NON_ANSWERS`] have fewer): an answer of more words is a
/// refusal only when it starts as one of [`POINTERS`].
const REFUSAL_WORDS: usize = 6;

fn is_non_answer(raw: &str) -> bool {
    // a long answer (most text answers): only its first three words are folded,
    // enough for every pointer; words are cut where folding cuts them
    let mut words = raw.split_whitespace();
    if let (Some(third), true) = (words.nth(2), words.nth(REFUSAL_WORDS - 3).is_some()) {
        let head_end = third.as_ptr() as usize - raw.as_ptr() as usize + third.len();
        let head = fold(&raw[..head_end]);
        return POINTERS.iter().any(|p| head.starts_with(p));
    }
    let f = fold(raw);
    NON_ANSWERS.contains(&f.as_str())
        || POINTERS.iter().any(|p| f.starts_with(p))
        || (f.contains("memoire technique") && f.split_whitespace().count() <= REFUSAL_WORDS)
}

/// Reads the text `raw` as an answer of kind `spec`.
pub fn normalise(spec: Spec<'_>, raw: &str) -> Result<Value, Invalid> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(Invalid::Empty);
    }
    if is_non_answer(raw) {
        return Err(Invalid::NonAnswer(raw.into()));
    }
    let unreadable = || Invalid::Unreadable(raw.into());
    match spec.kind {
        AnswerType::YesNo => yes_no(raw)
            .map(|b| Value::Choice(if b { "yes" } else { "no" }.into()))
            .ok_or_else(unreadable),
        AnswerType::Choice => choice(spec, raw).map(Value::Choice).ok_or_else(unreadable),
        AnswerType::MultiChoice => {
            let mut ids = Vec::new();
            for part in split_list(raw) {
                let id = choice(spec, part).ok_or_else(|| Invalid::Unreadable(part.into()))?;
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            if ids.is_empty() {
                return Err(unreadable()); // only separators: `;`, `, ,`
            }
            Ok(Value::Choices(ids))
        }
        AnswerType::Number => number::with_unit(raw, spec.unit).map(Value::Number),
        AnswerType::Percent => percent(number::with_unit(raw, Some("%"))?, raw),
        AnswerType::Text => Ok(Value::Text(tidy(raw))),
        AnswerType::Url => url(raw).map(Value::Text).ok_or_else(unreadable),
        AnswerType::Country => {
            let mut codes = Vec::new();
            for part in split_list(raw) {
                let code = country::code(part).ok_or_else(|| Invalid::Unreadable(part.into()))?;
                if !codes.iter().any(|c| c == code) {
                    codes.push(code.to_string());
                }
            }
            if codes.is_empty() {
                return Err(unreadable()); // only separators: `;`, `, ,`
            }
            Ok(Value::Choices(codes))
        }
        AnswerType::Date => Date::parse_loose(raw)
            .map(Value::Date)
            .ok_or_else(unreadable),
    }
}

/// Reads a spreadsheet or document cell as an answer of kind `spec`.
///
/// A number cell formatted as a percentage holds a fraction (0.85 for 85 %);
/// booleans and ODS's 1/0 answer yes/no questions; a formula is judged on
/// the value the file kept, and is invalid without one.
pub fn normalise_cell(spec: Spec<'_>, cell: &Cell) -> Result<Value, Invalid> {
    let unreadable = || Invalid::Unreadable(cell.display());
    match cell {
        Cell::Empty => Err(Invalid::Empty),
        Cell::Text(t) => normalise(spec, t),
        Cell::Formula {
            cached: Some(c), ..
        } if !matches!(**c, Cell::Formula { .. }) => normalise_cell(spec, c),
        Cell::Formula { formula, .. } => Err(Invalid::Formula(formula.clone())),
        Cell::Error(e) => Err(Invalid::Unreadable(e.clone())),
        // `<v>1e999</v>` is infinity to calamine: no answer to any question
        Cell::Number { value, percent }
            if !(if *percent { value * 100.0 } else { *value }).is_finite() =>
        {
            Err(unreadable())
        }
        Cell::Bool(b) if spec.kind == AnswerType::YesNo => {
            Ok(Value::Choice(if *b { "yes" } else { "no" }.into()))
        }
        Cell::Number { value, .. }
            if spec.kind == AnswerType::YesNo && (*value == 0.0 || *value == 1.0) =>
        {
            Ok(Value::Choice(
                if *value == 1.0 { "yes" } else { "no" }.into(),
            ))
        }
        Cell::Number { value, percent } => match spec.kind {
            AnswerType::Number => Ok(Value::Number(if *percent { value * 100.0 } else { *value })),
            AnswerType::Percent => percent_value(
                if *percent { value * 100.0 } else { *value },
                &cell.display(),
            ),
            AnswerType::Choice | AnswerType::MultiChoice | AnswerType::Text => {
                normalise(spec, &cell.display())
            }
            _ => Err(unreadable()),
        },
        Cell::Date(d) => match spec.kind {
            AnswerType::Date => Ok(Value::Date(*d)),
            AnswerType::Text => Ok(Value::Text(d.to_string())),
            _ => Err(unreadable()),
        },
        Cell::Bool(_) => Err(unreadable()),
    }
}

/// Reads an answer row as an answer of kind `spec`: a multiple-choice
/// question answered option by option (one Oui/Non each; an option left
/// blank is not chosen) gives the ids of the options answered yes, in the
/// library's order; any other row is read from its answer cell (as
/// questionnaires issued before asked for every question).
pub fn normalise_row(spec: Spec<'_>, row: &Row) -> Result<Value, Invalid> {
    if spec.kind != AnswerType::MultiChoice || !row.by_option() {
        return normalise_cell(spec, &row.answer);
    }
    let yes_no = Spec {
        kind: AnswerType::YesNo,
        unit: None,
        choices: &[],
    };
    let mut chosen = Vec::new();
    for option in row.options.iter().filter(|o| !o.answer.is_empty()) {
        let id =
            choice(spec, &option.label).ok_or_else(|| Invalid::Unreadable(option.label.clone()))?;
        match normalise_cell(yes_no, &option.answer) {
            Ok(Value::Choice(yes)) if yes == "yes" => chosen.push(id),
            Ok(_) => {}
            Err(Invalid::Unreadable(s)) => {
                return Err(Invalid::Unreadable(format!("{}\u{a0}: {s}", option.label)));
            }
            Err(e) => return Err(e),
        }
    }
    let ids = spec
        .choices
        .iter()
        .filter(|c| chosen.contains(&c.id))
        .map(|c| c.id.clone())
        .collect();
    Ok(Value::Choices(ids))
}

fn percent(x: f64, raw: &str) -> Result<Value, Invalid> {
    percent_value(x, raw)
}

fn percent_value(x: f64, raw: &str) -> Result<Value, Invalid> {
    if (0.0..=100.0).contains(&x) {
        Ok(Value::Number(x))
    } else {
        Err(Invalid::Unreadable(raw.into()))
    }
}

fn split_list(raw: &str) -> impl Iterator<Item = &str> {
    raw.split([';', ',', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
}

fn yes_no(raw: &str) -> Option<bool> {
    match fold(raw).trim_end_matches(['.', '!']) {
        "oui" | "o" | "yes" | "y" | "vrai" | "true" | "1" | "x oui" => Some(true),
        "non" | "n" | "no" | "faux" | "false" | "0" | "x non" => Some(false),
        _ => None,
    }
}

fn choice(spec: Spec<'_>, raw: &str) -> Option<String> {
    let folded = fold(raw);
    spec.choices
        .iter()
        .find(|c| {
            fold(&c.id) == folded || fold(&c.label.fr) == folded || fold(&c.label.en) == folded
        })
        .map(|c| c.id.clone())
}

fn url(raw: &str) -> Option<String> {
    let rest = raw
        .strip_prefix("https://")
        .or_else(|| raw.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let ok = host.contains('.')
        && !raw.chars().any(char::is_whitespace)
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':'));
    ok.then(|| raw.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Text;

    fn choices() -> Vec<Choice> {
        vec![
            Choice {
                id: "csv".into(),
                label: Text {
                    fr: "CSV".into(),
                    en: "CSV".into(),
                },
                method: None,
            },
            Choice {
                id: "odf".into(),
                label: Text {
                    fr: "Format ouvert ODF".into(),
                    en: "ODF open format".into(),
                },
                method: None,
            },
        ]
    }

    fn spec<'a>(kind: AnswerType, unit: Option<&'a str>, choices: &'a [Choice]) -> Spec<'a> {
        Spec {
            kind,
            unit,
            choices,
        }
    }

    #[test]
    fn texts_are_tidied_alike_composed_or_not() {
        use unicode_normalization::UnicodeNormalization;
        let reference = |s: &str| {
            s.nfc()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        for s in [
            "",
            "  \t ",
            "  plain   ASCII\ttext \n",
            "Déjà  composé\u{a0}et\u{3000}espacé ",
            "de\u{301}compose\u{301}  ",
            "\u{301}mark first, Å then A\u{30a}",
        ] {
            assert_eq!(tidy(s), reference(s), "{s:?}");
        }
    }

    #[test]
    fn labels_fold_alike_in_ascii_and_beyond() {
        assert_eq!(fold("  FRANCE \t UE "), "france ue");
        assert_eq!(fold("Côte  d’Ivoire"), "cote d'ivoire");
        assert_eq!(fold("ÉTATS-UNIS\u{a0}d'Amérique"), "etats-unis d'amerique");
        assert_eq!(fold(""), "");
    }

    #[test]
    fn yes_no_in_every_usual_form() {
        let yn = crate::library::Question::yes_no_choices();
        let s = spec(AnswerType::YesNo, None, &yn);
        for raw in ["Oui", "oui ", "OUI", "O", "o", "Yes", "Y"] {
            assert_eq!(normalise(s, raw), Ok(Value::Choice("yes".into())), "{raw}");
        }
        for raw in ["Non", "N", "No", "non."] {
            assert_eq!(normalise(s, raw), Ok(Value::Choice("no".into())), "{raw}");
        }
        assert_eq!(
            normalise_cell(s, &Cell::Bool(true)),
            Ok(Value::Choice("yes".into()))
        );
        assert_eq!(
            normalise_cell(
                s,
                &Cell::Number {
                    value: 0.0,
                    percent: false
                }
            ),
            Ok(Value::Choice("no".into()))
        );
        assert_eq!(
            normalise(s, "peut-être"),
            Err(Invalid::Unreadable("peut-être".into()))
        );
    }

    #[test]
    fn refusals_are_not_answers() {
        let c = choices();
        for raw in [
            "N/A",
            "Sans objet",
            "NC",
            "?",
            "-",
            "voir mémoire",
            "Voir mémoire technique p. 12",
            "cf. annexe 3",
        ] {
            let got = normalise(spec(AnswerType::Number, Some("Wh"), &c), raw);
            assert_eq!(got, Err(Invalid::NonAnswer(raw.into())), "{raw}");
            assert_eq!(got.unwrap_err().code(), "non_answer");
        }
        assert_eq!(
            normalise(spec(AnswerType::Text, None, &c), "  "),
            Err(Invalid::Empty)
        );
    }

    #[test]
    fn a_long_answer_is_a_refusal_as_its_whole_text_folded_says() {
        // the definition: the whole answer folded
        let whole = |raw: &str| {
            let f = fold(raw);
            NON_ANSWERS.contains(&f.as_str())
                || POINTERS.iter().any(|p| f.starts_with(p))
                || (f.contains("memoire technique") && f.split_whitespace().count() <= 6)
        };
        let long = "les données restent hébergées en France, chez un prestataire qualifié";
        for raw in [
            long,
            &format!("Voir\u{a0}le mémoire, {long}"),
            &format!("CF.  annexe 3 : {long}"),
            &format!("cf {long}"),
            &format!("Se reporter au mémoire technique, {long}"),
            &format!("SEE {long}"),
            &format!("voirie : {long}"),
            &format!("« voir » {long}"),
            "Renvoi au mémoire technique, page douze",
            "Renvoi au mémoire technique, page douze et suivantes",
            "un deux trois quatre cinq six",
            "un deux trois quatre cinq six sept",
            "Voir   mémoire",
            "n/a",
            " Non  communiqué ",
        ] {
            assert_eq!(is_non_answer(raw.trim()), whole(raw.trim()), "{raw}");
        }
    }

    #[test]
    fn choices_by_id_or_label_in_either_language() {
        let c = choices();
        let multi = spec(AnswerType::MultiChoice, None, &c);
        assert_eq!(
            normalise(multi, "csv; format ouvert odf\nCSV"),
            Ok(Value::Choices(vec!["csv".into(), "odf".into()]))
        );
        assert_eq!(
            normalise(multi, "ODF open format"),
            Ok(Value::Choices(vec!["odf".into()]))
        );
        assert_eq!(
            normalise(multi, "pdf"),
            Err(Invalid::Unreadable("pdf".into()))
        );
        assert_eq!(
            normalise(spec(AnswerType::Choice, None, &c), "Format  ouvert odf"),
            Ok(Value::Choice("odf".into()))
        );
    }

    #[test]
    fn numbers_percentages_and_cells() {
        let c = choices();
        let n = spec(AnswerType::Number, Some("Wh"), &c);
        assert_eq!(normalise(n, "1 234,5"), Ok(Value::Number(1234.5)));
        assert_eq!(normalise(n, "1,2 kWh"), Ok(Value::Number(1200.0)));
        assert_eq!(
            normalise(n, "1,234").unwrap_err().code(),
            "ambiguous_number"
        );
        assert_eq!(
            normalise_cell(
                n,
                &Cell::Number {
                    value: 3.0,
                    percent: false
                }
            ),
            Ok(Value::Number(3.0))
        );
        let p = spec(AnswerType::Percent, None, &c);
        assert_eq!(normalise(p, "12,5 %"), Ok(Value::Number(12.5)));
        assert_eq!(normalise(p, "85%"), Ok(Value::Number(85.0)));
        assert_eq!(
            normalise_cell(
                p,
                &Cell::Number {
                    value: 85.0,
                    percent: false
                }
            ),
            Ok(Value::Number(85.0))
        );
        assert_eq!(
            normalise_cell(
                p,
                &Cell::Number {
                    value: 0.85,
                    percent: true
                }
            ),
            Ok(Value::Number(85.0))
        );
        assert!(normalise(p, "120").is_err());
        let formula = Cell::Formula {
            formula: "A1*2".into(),
            cached: Some(Box::new(Cell::Number {
                value: 4.0,
                percent: false,
            })),
        };
        assert_eq!(normalise_cell(n, &formula), Ok(Value::Number(4.0)));
        let bare = Cell::Formula {
            formula: "A1*2".into(),
            cached: None,
        };
        assert_eq!(normalise_cell(n, &bare).unwrap_err().code(), "formula");
    }

    #[test]
    fn countries_dates_urls_texts() {
        let c = choices();
        let country = spec(AnswerType::Country, None, &c);
        assert_eq!(
            normalise(country, "fr; Allemagne, USA"),
            Ok(Value::Choices(vec!["FR".into(), "DE".into(), "US".into()]))
        );
        assert_eq!(
            normalise(country, "Atlantide"),
            Err(Invalid::Unreadable("Atlantide".into()))
        );
        let date = spec(AnswerType::Date, None, &c);
        assert_eq!(
            normalise(date, "31/03/2027"),
            Ok(Value::Date(Date::new(2027, 3, 31).unwrap()))
        );
        assert!(normalise(date, "03/31/2027").is_err(), "never month first");
        assert_eq!(
            normalise_cell(date, &Cell::Date(Date::new(2027, 1, 2).unwrap())),
            Ok(Value::Date(Date::new(2027, 1, 2).unwrap()))
        );
        let url = spec(AnswerType::Url, None, &c);
        assert!(normalise(url, "https://exemple.fr/doc").is_ok());
        assert!(normalise(url, "exemple.fr").is_err());
        let text = spec(AnswerType::Text, None, &c);
        assert_eq!(
            normalise(text, "  De\u{301}ja\n vu "),
            Ok(Value::Text("Déja vu".into()))
        );
    }
}
