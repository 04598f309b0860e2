//! `condition::Condition`: any text read as an applicability condition, as
//! a library's `when` or a lock's (an uploaded one included) is read.
//!
//! Input: the condition's text (lossy UTF-8). Checks that a text longer than
//! `MAX_CHARS` is refused as too long, that an error quotes a bounded
//! excerpt, and that a condition that parses is described in both languages
//! and evaluated, with and without answers, without a panic nor a stack
//! overflow.
#![no_main]

use std::collections::BTreeMap;

use boussole::answer::Value;
use boussole::condition::{Condition, Facts, MAX_CHARS, SyntaxError};
use boussole::text::Lang;
use boussole_fuzz::init;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    init();
    let source = String::from_utf8_lossy(data);
    let c = Condition::new(&source);
    assert_eq!(c.source(), source);
    assert!(c.excerpt().chars().count() <= 61);
    let expr = match c.expr() {
        Ok(e) => e,
        Err(e) => {
            let chars = source.chars().count();
            assert_eq!(chars > MAX_CHARS, matches!(e, SyntaxError::TooLong { .. }), "{e}");
            assert!(e.to_string().chars().count() < 200, "{e}");
            return;
        }
    };
    let _ = expr;
    for lang in Lang::ALL {
        let _ = c.describe(lang, &|_, _| None);
    }
    let profile = serde_json::json!({"system": {"personal_data": true, "kind": "vision"}});
    let answers: BTreeMap<String, Value> = c
        .answer_refs()
        .into_iter()
        .map(|id| (id.to_string(), Value::Choice("yes".into())))
        .collect();
    for answers in [None, Some(&answers)] {
        let _ = c.eval(&Facts {
            profile: &profile,
            answers,
        });
    }
    let _ = c.profile_refs();
});
