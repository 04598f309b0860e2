//! Numbers as vendors type them, and the units they type after them.

use super::{Invalid, fold};

/// Reads `1,5`, `1.5`, `1 234,5` (normal, no-break or narrow no-break
/// spaces), `1.234,5`, `1,234.5`, `-3`. A lone separator followed by exactly
/// three digits (`1,234`, `12.500`) is ambiguous (thousands or decimals?) and
/// refused rather than guessed.
pub fn parse(raw: &str) -> Result<f64, Invalid> {
    let bad = || Invalid::Unreadable(raw.into());
    let cleaned: String = raw
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\''))
        .map(|c| if c == '−' { '-' } else { c })
        .collect();
    let body = cleaned.strip_prefix(['-', '+']).unwrap_or(&cleaned);
    if body.is_empty()
        || !body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.'))
    {
        return Err(bad());
    }
    let (commas, dots) = (body.matches(',').count(), body.matches('.').count());
    let canonical = match (commas, dots) {
        (0, 0) => cleaned.clone(),
        (1, 0) | (0, 1) => {
            let sep = if commas == 1 { ',' } else { '.' };
            let (int, frac) = body.split_once(sep).unwrap_or((body, ""));
            if frac.len() == 3 && !int.is_empty() && int != "0" && int.len() <= 3 {
                return Err(Invalid::Ambiguous(raw.into()));
            }
            cleaned.replace(',', ".")
        }
        (_, 0) if grouped(body, ',') => cleaned.replace(',', ""),
        (0, _) if grouped(body, '.') => cleaned.replace('.', ""),
        (c, d) if c > 0 && d > 0 => {
            let (last_comma, last_dot) =
                (body.rfind(',').unwrap_or(0), body.rfind('.').unwrap_or(0));
            let (group, decimal) = if last_comma > last_dot {
                ('.', ',')
            } else {
                (',', '.')
            };
            let int_part = &body[..body.rfind(decimal).unwrap_or(0)];
            if body.matches(decimal).count() != 1 || !grouped(int_part, group) {
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
fn grouped(s: &str, sep: char) -> bool {
    let mut groups = s.split(sep);
    let first = groups.next().unwrap_or("");
    (1..=3).contains(&first.len())
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// Units boussole converts between, each as (spellings, family, factor to the family's base).
const UNITS: &[(&[&str], &str, f64)] = &[
    (&["wh"], "energy", 1.0),
    (&["kwh"], "energy", 1e3),
    (&["mwh"], "energy", 1e6),
    (&["gwh"], "energy", 1e9),
    (&["mj"], "energy", 1e6 / 3600.0),
    (&["gco2e", "gco2", "gco2eq", "g co2e", "g"], "mass", 1.0),
    (
        &["kgco2e", "kgco2", "kgco2eq", "kg co2e", "kg"],
        "mass",
        1e3,
    ),
    (&["tco2e", "tco2", "tco2eq", "t co2e", "t"], "mass", 1e6),
    (
        &["gco2e/kwh", "gco2/kwh", "gco2eq/kwh", "g/kwh"],
        "intensity",
        1.0,
    ),
    (&["kgco2e/kwh", "kgco2/kwh", "kg/kwh"], "intensity", 1e3),
    (&["l/kwh", "litres/kwh", "liters/kwh"], "water", 1.0),
    (&["minutes", "minute", "min", "mn"], "time", 1.0 / 60.0),
    (&["hours", "hour", "heures", "heure", "h"], "time", 1.0),
    (&["days", "day", "jours", "jour", "j"], "time", 24.0),
    (&["weeks", "week", "semaines", "semaine"], "time", 168.0),
    (&["months", "month", "mois"], "months", 1.0),
    (
        &["years", "year", "ans", "an", "annees", "annee"],
        "months",
        12.0,
    ),
    (&["mb", "mo"], "data", 1e-3),
    (&["gb", "go"], "data", 1.0),
    (&["tb", "to"], "data", 1e3),
    (
        &["eur", "euros", "euro", "€", "eur ht", "€ ht", "euros ht"],
        "money",
        1.0,
    ),
    (&["%", "pourcent", "percent"], "percent", 1.0),
];

fn unit(name: &str) -> Option<(&'static str, f64)> {
    // « gCO₂e » as the documents print it reads as « gCO2e ».
    let folded = fold(name).replace(' ', "").replace('\u{2082}', "2");
    UNITS.iter().find_map(|(names, family, factor)| {
        // a name compared without its spaces, as the unit is read
        (names.iter())
            .any(|n| n.bytes().filter(|&b| b != b' ').eq(folded.bytes()))
            .then_some((*family, *factor))
    })
}

/// Reads a number with an optional unit after it, converted to `target`
/// (the question's unit) when both are known and of the same kind.
pub fn with_unit(raw: &str, target: Option<&str>) -> Result<f64, Invalid> {
    let text = raw.trim();
    let split = text
        .char_indices()
        .find(|(_, c)| {
            !(c.is_ascii_digit()
                || matches!(
                    c,
                    ',' | '.' | '-' | '+' | '−' | ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\''
                ))
        })
        .map_or(text.len(), |(i, _)| i);
    let (number, suffix) = text.split_at(split);
    // Errors name what the vendor typed, not the part that looked like a number.
    let value = parse(number).map_err(|e| match e {
        Invalid::Unreadable(_) => Invalid::Unreadable(raw.into()),
        other => other,
    })?;
    let suffix = suffix.trim();
    if suffix.is_empty() {
        return Ok(value);
    }
    let target = target.ok_or_else(|| Invalid::UnknownUnit(raw.into()))?;
    if fold(suffix).replace(' ', "") == fold(target).replace(' ', "") {
        return Ok(value);
    }
    match (unit(suffix), unit(target)) {
        (Some((f1, k1)), Some((f2, k2))) if f1 == f2 => {
            Some(value * k1 / k2) // 1e300 GWh is no number of Wh
                .filter(|x| x.is_finite())
                .ok_or_else(|| Invalid::Unreadable(raw.into()))
        }
        _ => Err(Invalid::UnknownUnit(raw.into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_and_english_forms() {
        for (raw, want) in [
            ("1,5", 1.5),
            ("1.5", 1.5),
            ("1 234,5", 1234.5),
            ("1\u{a0}234,5", 1234.5),
            ("1\u{202f}234", 1234.0),
            ("1234,5", 1234.5),
            ("1234.5", 1234.5),
            ("1.234,5", 1234.5),
            ("1,234.5", 1234.5),
            ("1.234.567", 1234567.0),
            ("0,125", 0.125),
            ("−2", -2.0),
            ("12", 12.0),
        ] {
            assert_eq!(parse(raw), Ok(want), "{raw}");
        }
        assert_eq!(parse("1,234"), Err(Invalid::Ambiguous("1,234".into())));
        assert_eq!(parse("12.500"), Err(Invalid::Ambiguous("12.500".into())));
        for raw in ["1,2,3,4", "abc", "1.2.3,4,5", "1e5", "NaN", "--", ""] {
            assert!(parse(raw).is_err(), "{raw}");
        }
    }

    #[test]
    fn units_are_converted_within_their_kind() {
        assert_eq!(with_unit("3 Wh", Some("Wh")), Ok(3.0));
        assert_eq!(with_unit("1,2 kWh", Some("Wh")), Ok(1200.0));
        assert_eq!(with_unit("30 gCO₂e/kWh", Some("gCO2e/kWh")), Ok(30.0));
        assert_eq!(with_unit("2 ans", Some("months")), Ok(24.0));
        assert_eq!(with_unit("48 h", Some("days")), Ok(2.0));
        assert_eq!(with_unit("0,3 L/kWh", Some("L/kWh")), Ok(0.3));
        assert_eq!(with_unit("12,5 %", Some("%")), Ok(12.5));
        assert_eq!(
            with_unit("3 Wh", Some("days")),
            Err(Invalid::UnknownUnit("3 Wh".into()))
        );
        assert_eq!(
            with_unit("3 bananes", Some("Wh")),
            Err(Invalid::UnknownUnit("3 bananes".into()))
        );
        assert_eq!(
            with_unit("3 Wh", None),
            Err(Invalid::UnknownUnit("3 Wh".into()))
        );
    }
}
