//! Answers: what a vendor typed, turned into a value a rule can judge.
//!
//! Normalisation is strict and never guesses: `1,5`, `1.5` and `1 500,25`
//! are numbers, `Oui` is yes, a choice may be given by its id or its label in
//! either language; anything else is an [`Invalid`] answer that says why.

use std::fmt;

use serde::Serialize;

use crate::date::Date;
use crate::library::{AnswerType, Question};

/// A normalised answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
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
    /// Not a yes or a no.
    NotYesNo(String),
    /// Not one of the question's choices.
    UnknownChoice(String),
    /// Not a number.
    NotNumber(String),
    /// A percentage outside 0–100.
    PercentOutOfRange(String),
    /// Not a web address.
    NotUrl(String),
    /// Not an ISO 3166-1 alpha-2 code.
    UnknownCountry(String),
    /// Not a date.
    NotDate(String),
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Invalid::Empty => write!(f, "no answer"),
            Invalid::NotYesNo(s) => write!(f, "`{s}` is neither yes nor no"),
            Invalid::UnknownChoice(s) => write!(f, "`{s}` is not one of the choices"),
            Invalid::NotNumber(s) => write!(f, "`{s}` is not a number"),
            Invalid::PercentOutOfRange(s) => write!(f, "`{s}` is not a percentage from 0 to 100"),
            Invalid::NotUrl(s) => write!(f, "`{s}` is not a web address (https://…)"),
            Invalid::UnknownCountry(s) => write!(f, "`{s}` is not an ISO 3166-1 country code"),
            Invalid::NotDate(s) => write!(f, "`{s}` is not a date (AAAA-MM-JJ or JJ/MM/AAAA)"),
        }
    }
}

/// Reads `raw` as an answer to `q`.
pub fn normalise(q: &Question, raw: &str) -> Result<Value, Invalid> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(Invalid::Empty);
    }
    match q.answer {
        AnswerType::YesNo => {
            yes_no(raw).map(|b| Value::Choice(if b { "yes" } else { "no" }.into()))
        }
        AnswerType::Choice => choice(q, raw).map(Value::Choice),
        AnswerType::MultiChoice => {
            let mut ids = Vec::new();
            for part in split_list(raw) {
                let id = choice(q, part)?;
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            Ok(Value::Choices(ids))
        }
        AnswerType::Number => number(raw, q.unit.as_deref()).map(Value::Number),
        AnswerType::Percent => {
            let x = number(raw, Some("%"))?;
            if (0.0..=100.0).contains(&x) {
                Ok(Value::Number(x))
            } else {
                Err(Invalid::PercentOutOfRange(raw.into()))
            }
        }
        AnswerType::Text => Ok(Value::Text(collapse(raw))),
        AnswerType::Url => url(raw).map(Value::Text),
        AnswerType::Country => {
            let mut codes = Vec::new();
            for part in split_list(raw) {
                let code = part.to_ascii_uppercase();
                if !COUNTRIES.split(' ').any(|c| c == code) {
                    return Err(Invalid::UnknownCountry(part.into()));
                }
                if !codes.contains(&code) {
                    codes.push(code);
                }
            }
            Ok(Value::Choices(codes))
        }
        AnswerType::Date => Date::parse_loose(raw)
            .map(Value::Date)
            .ok_or(Invalid::NotDate(raw.into())),
    }
}

/// Lower case, accents of the usual French letters removed, spaces collapsed.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in collapse(s).chars().flat_map(char::to_lowercase) {
        out.push(match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            '’' => '\'',
            c => c,
        });
    }
    out
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn split_list(raw: &str) -> impl Iterator<Item = &str> {
    raw.split([';', ',', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
}

fn yes_no(raw: &str) -> Result<bool, Invalid> {
    match fold(raw).trim_end_matches('.') {
        "oui" | "o" | "yes" | "y" | "vrai" | "true" | "1" => Ok(true),
        "non" | "n" | "no" | "faux" | "false" | "0" => Ok(false),
        _ => Err(Invalid::NotYesNo(raw.into())),
    }
}

fn choice(q: &Question, raw: &str) -> Result<String, Invalid> {
    let folded = fold(raw);
    q.effective_choices()
        .into_iter()
        .find(|c| {
            fold(&c.id) == folded || fold(&c.label.fr) == folded || fold(&c.label.en) == folded
        })
        .map(|c| c.id)
        .ok_or_else(|| Invalid::UnknownChoice(raw.into()))
}

/// Reads `1,5`, `1.5`, `1 234,5`, `1.234,5`, `1,234.5`, `-3`, with an optional
/// trailing unit equal to the question's.
fn number(raw: &str, unit: Option<&str>) -> Result<f64, Invalid> {
    let bad = || Invalid::NotNumber(raw.into());
    let mut s = raw.trim();
    if let Some(stripped) = unit.and_then(|u| strip_suffix_fold(s, u)) {
        s = stripped.trim_end();
    }
    let cleaned: String = s
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\''))
        .map(|c| if c == '−' { '-' } else { c })
        .collect();
    if cleaned.is_empty()
        || !cleaned
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '-'))
    {
        return Err(bad());
    }
    let (commas, dots) = (cleaned.matches(',').count(), cleaned.matches('.').count());
    let canonical = match (commas, dots) {
        (0, 0) | (0, 1) => cleaned.clone(),
        (1, 0) => cleaned.replace(',', "."),
        (_, 0) if thousands(&cleaned, ',') => cleaned.replace(',', ""),
        (0, _) if thousands(&cleaned, '.') => cleaned.replace('.', ""),
        (_, _) if commas > 0 && dots > 0 => {
            let (last_comma, last_dot) = (cleaned.rfind(',').unwrap(), cleaned.rfind('.').unwrap());
            let (group, decimal) = if last_comma > last_dot {
                ('.', ',')
            } else {
                (',', '.')
            };
            let int_part = &cleaned[..cleaned.rfind(decimal).unwrap()];
            if cleaned.matches(decimal).count() != 1 || !thousands(int_part, group) {
                return Err(bad());
            }
            cleaned.replace(group, "").replace(decimal, ".")
        }
        _ => return Err(bad()),
    };
    canonical
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(bad)
}

/// Whether `s` is digits grouped by three with `sep` (`1.234.567`).
fn thousands(s: &str, sep: char) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let mut groups = s.split(sep);
    let first = groups.next().unwrap_or("");
    (1..=3).contains(&first.len()) && groups.all(|g| g.len() == 3)
}

fn strip_suffix_fold<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = s.len().checked_sub(suffix.len())?;
    (s.is_char_boundary(cut) && s[cut..].eq_ignore_ascii_case(suffix)).then(|| &s[..cut])
}

fn url(raw: &str) -> Result<String, Invalid> {
    let rest = raw
        .strip_prefix("https://")
        .or_else(|| raw.strip_prefix("http://"))
        .ok_or_else(|| Invalid::NotUrl(raw.into()))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let ok = host.contains('.')
        && !raw.chars().any(char::is_whitespace)
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':'));
    if ok {
        Ok(raw.to_string())
    } else {
        Err(Invalid::NotUrl(raw.into()))
    }
}

/// ISO 3166-1 alpha-2 codes.
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::Choice;
    use crate::text::Text;

    fn question(answer: AnswerType, unit: Option<&str>) -> Question {
        let toml = format!(
            "id = \"TST-01\"\naudience = [\"vendor\"]\ntext = {{ fr = \"q\", en = \"q\" }}\nanswer = \"{}\"\n",
            answer.name()
        );
        let mut q: Question = toml::from_str(&toml).unwrap();
        q.unit = unit.map(String::from);
        q.choices = vec![
            Choice {
                id: "csv".into(),
                label: Text {
                    fr: "CSV".into(),
                    en: "CSV".into(),
                },
            },
            Choice {
                id: "odf".into(),
                label: Text {
                    fr: "Format ouvert ODF".into(),
                    en: "ODF open format".into(),
                },
            },
        ];
        q
    }

    #[test]
    fn numbers_in_french_and_english_formats() {
        let q = question(AnswerType::Number, Some("L/kWh"));
        for (raw, want) in [
            ("1,5", 1.5),
            ("1.5", 1.5),
            ("1 234,5", 1234.5),
            ("1\u{202f}234", 1234.0),
            ("1.234.567", 1234567.0),
            ("1.234,5", 1234.5),
            ("1,234.5", 1234.5),
            ("−2", -2.0),
            ("0,3 L/kWh", 0.3),
            ("12", 12.0),
        ] {
            assert_eq!(normalise(&q, raw), Ok(Value::Number(want)), "{raw}");
        }
        for raw in ["1,2,3,4", "abc", "1.2.3,4,5", "1e5", "NaN", "1,5 kWh", "--"] {
            assert!(
                matches!(normalise(&q, raw), Err(Invalid::NotNumber(_))),
                "{raw}"
            );
        }
    }

    #[test]
    fn yes_no_choices_and_lists() {
        let yn = question(AnswerType::YesNo, None);
        assert_eq!(normalise(&yn, " Oui "), Ok(Value::Choice("yes".into())));
        assert_eq!(normalise(&yn, "NON"), Ok(Value::Choice("no".into())));
        assert!(normalise(&yn, "peut-être").is_err());
        let multi = question(AnswerType::MultiChoice, None);
        assert_eq!(
            normalise(&multi, "csv; format ouvert odf, CSV"),
            Ok(Value::Choices(vec!["csv".into(), "odf".into()]))
        );
        assert_eq!(
            normalise(&multi, "pdf"),
            Err(Invalid::UnknownChoice("pdf".into()))
        );
    }

    #[test]
    fn percent_country_url_date_text() {
        assert_eq!(
            normalise(&question(AnswerType::Percent, None), "85 %"),
            Ok(Value::Number(85.0))
        );
        assert!(normalise(&question(AnswerType::Percent, None), "120").is_err());
        let country = question(AnswerType::Country, None);
        assert_eq!(
            normalise(&country, "fr; DE"),
            Ok(Value::Choices(vec!["FR".into(), "DE".into()]))
        );
        assert_eq!(
            normalise(&country, "France"),
            Err(Invalid::UnknownCountry("France".into()))
        );
        let url = question(AnswerType::Url, None);
        assert!(normalise(&url, "https://exemple.fr/doc").is_ok());
        assert!(normalise(&url, "exemple.fr").is_err());
        assert!(normalise(&url, "https://localhost").is_err());
        let date = question(AnswerType::Date, None);
        assert_eq!(
            normalise(&date, "31/03/2027"),
            Ok(Value::Date(Date::new(2027, 3, 31).unwrap()))
        );
        assert_eq!(
            normalise(&question(AnswerType::Text, None), "  a \n b "),
            Ok(Value::Text("a b".into()))
        );
        assert_eq!(
            normalise(&question(AnswerType::Text, None), "   "),
            Err(Invalid::Empty)
        );
    }
}
