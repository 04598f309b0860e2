//! `answer::normalise_cell`: a spreadsheet cell read as an answer of a
//! given kind — numbers of any bit pattern (NaN, infinities, subnormals),
//! percentage cells, booleans, dates, formulas with or without a cached
//! value (nested), errors and texts. Checks the result
//! ([`boussole_fuzz::check_value`]).
#![no_main]

use boussole::answer::{Spec, normalise_cell};
use boussole::date::Date;
use boussole::library::{AnswerType, Choice, Question};
use boussole::response::Cell;
use boussole::text::Text;
use boussole_fuzz::{ANSWER_TYPES, check_value, init};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

/// Units the library's questions use, and none.
const UNITS: [Option<&str>; 8] = [
    None,
    Some("Wh"),
    Some("kWh"),
    Some("hours"),
    Some("days"),
    Some("years"),
    Some("EUR"),
    Some("gCO2e/kWh"),
];

fn cell(u: &mut Unstructured<'_>, depth: u8) -> Result<Cell> {
    Ok(match u.int_in_range(0..=7u8)? {
        0 => Cell::Empty,
        1 => Cell::Text(u.arbitrary()?),
        2 => Cell::Number {
            value: f64::from_bits(u.arbitrary()?),
            percent: u.arbitrary()?,
        },
        3 => Cell::Number {
            value: f64::from(u.arbitrary::<i16>()?) / 4.0,
            percent: u.arbitrary()?,
        },
        4 => Cell::Bool(u.arbitrary()?),
        5 => Date::new(u.arbitrary()?, u.arbitrary()?, u.arbitrary()?)
            .map_or(Cell::Empty, Cell::Date),
        6 if depth < 4 => Cell::Formula {
            formula: u.arbitrary()?,
            cached: match u.arbitrary()? {
                true => Some(Box::new(cell(u, depth + 1)?)),
                false => None,
            },
        },
        _ => Cell::Error(u.arbitrary()?),
    })
}

fn choice(id: &str, fr: &str, en: &str) -> Choice {
    Choice {
        id: id.into(),
        label: Text {
            fr: fr.into(),
            en: en.into(),
        },
        method: None,
    }
}

fuzz_target!(|data: &[u8]| {
    init();
    let mut u = Unstructured::new(data);
    let Ok(kind) = u.choose(&ANSWER_TYPES).copied() else {
        return;
    };
    let Ok(unit) = u.choose(&UNITS).copied() else {
        return;
    };
    let Ok(cell) = cell(&mut u, 0) else { return };
    let choices = if kind == AnswerType::YesNo {
        Question::yes_no_choices()
    } else {
        vec![
            choice("csv", "CSV", "CSV"),
            choice("none", "Aucune", "None"),
            choice("1", "Un", "One"),
            choice("85", "85 %", "85%"),
        ]
    };
    let spec = Spec {
        kind,
        unit,
        choices: &choices,
    };
    check_value(&spec, &normalise_cell(spec, &cell));
});
