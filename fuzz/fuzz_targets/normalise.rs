//! `answer::normalise`: typed text read as an answer of a given kind.
//!
//! Input (text, fields separated by U+001F): `kind␟unit␟choices␟raw`;
//! `kind` an answer type's name (`yes_no`, `number`…; anything else picks
//! one by its length), `unit` empty for none, `choices` entries separated
//! by U+001E, each `id␝label fr␝label en` (U+001D). Checks the result
//! ([`boussole_fuzz::check_value`]) and that spaces around the raw text
//! change nothing.
#![no_main]

use boussole::answer::{Spec, normalise};
use boussole::library::{AnswerType, Choice, Question};
use boussole::text::Text;
use boussole_fuzz::{ANSWER_TYPES, check_value, init};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    init();
    let input = String::from_utf8_lossy(data);
    let mut fields = input.splitn(4, '\u{1f}');
    let kind = fields.next().unwrap_or("");
    let kind = ANSWER_TYPES
        .iter()
        .copied()
        .find(|k| k.name() == kind)
        .unwrap_or(ANSWER_TYPES[kind.len() % ANSWER_TYPES.len()]);
    let unit = fields.next().filter(|u| !u.is_empty());
    let mut choices: Vec<Choice> = fields
        .next()
        .unwrap_or("")
        .split('\u{1e}')
        .filter(|c| !c.is_empty())
        .map(|c| {
            let mut f = c.split('\u{1d}');
            let id = f.next().unwrap_or("").to_string();
            let fr = f.next().unwrap_or(&id).to_string();
            let en = f.next().unwrap_or(&fr).to_string();
            Choice {
                id,
                label: Text { fr, en },
                method: None,
            }
        })
        .collect();
    if kind == AnswerType::YesNo {
        choices = Question::yes_no_choices();
    }
    let raw = fields.next().unwrap_or("");
    let spec = Spec {
        kind,
        unit,
        choices: &choices,
    };
    let got = normalise(spec, raw);
    check_value(&spec, &got);
    assert_eq!(
        got,
        normalise(spec, &format!("  {raw}\t")),
        "spaces around {raw:?}"
    );
});
