//! The text of an evidence file and its structure, read under bounds: the
//! encoding told from the bytes, JSON counted and measured before
//! `serde_json` builds anything, YAML turned into the same tree from the
//! parser's events, stopping at the first value beyond a bound.

use std::borrow::Cow;

use saphyr_parser::{Event, Parser, ScalarStyle};
use serde_json::{Map, Value};

use crate::response::bounds::{MAX_EVIDENCE_DEPTH, MAX_EVIDENCE_VALUES, thousands};

/// The text of `bytes`: UTF-8 (with or without its byte order mark) or
/// UTF-16 with its mark; anything else is refused, saying where.
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest);
    }
    let utf16 = |rest: &[u8], unit: fn([u8; 2]) -> u16| {
        if !rest.len().is_multiple_of(2) {
            return Err("UTF-16 text cut in the middle of a character".to_string());
        }
        let units: Vec<u16> = rest.chunks_exact(2).map(|c| unit([c[0], c[1]])).collect();
        String::from_utf16(&units)
            .map(Cow::Owned)
            .map_err(|_| "UTF-16 text with an invalid character".to_string())
    };
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, u16::from_be_bytes);
    }
    utf8(bytes)
}

fn utf8(bytes: &[u8]) -> Result<Cow<'_, str>, String> {
    std::str::from_utf8(bytes).map(Cow::Borrowed).map_err(|e| {
        format!(
            "not UTF-8 text (byte {} is not; save the file as UTF-8)",
            e.valid_up_to() + 1
        )
    })
}

/// The JSON value of `text`, refused beyond [`MAX_EVIDENCE_VALUES`] values
/// or [`MAX_EVIDENCE_DEPTH`] levels before anything is built.
pub fn json(text: &str) -> Result<Value, String> {
    let (mut values, mut depth, mut deepest) = (0usize, 0usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for b in text.bytes() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b',' | b':' => values += 1,
            _ => {}
        }
        if deepest > MAX_EVIDENCE_DEPTH {
            return Err(too_deep());
        }
        if values > MAX_EVIDENCE_VALUES {
            return Err(too_many());
        }
    }
    serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))
}

/// The YAML value of `text` (one document), as JSON values: plain scalars
/// read by YAML 1.2's core schema (null, booleans, numbers), the others as
/// strings; aliases and complex keys refused; stopped beyond
/// [`MAX_EVIDENCE_VALUES`] values or [`MAX_EVIDENCE_DEPTH`] levels.
pub fn yaml(text: &str) -> Result<Value, String> {
    enum Open {
        List(Vec<Value>),
        Map(Map<String, Value>, Option<String>),
    }
    let mut stack: Vec<Open> = Vec::new();
    let mut values = 0usize;
    let mut done: Option<Value> = None;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| format!("not valid YAML: {e}"))?;
        let line = span.start.line();
        let value = match event {
            Event::Alias(_) => {
                return Err(format!(
                    "line {line}: YAML aliases (*name) are not read in evidence files"
                ));
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if stack.len() >= MAX_EVIDENCE_DEPTH {
                    return Err(too_deep());
                }
                stack.push(match event {
                    Event::SequenceStart(..) => Open::List(Vec::new()),
                    _ => Open::Map(Map::new(), None),
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Open::List(items)) => Value::Array(items),
                Some(Open::Map(map, _)) => Value::Object(map),
                None => return Err("not valid YAML: a collection closed twice".into()),
            },
            Event::Scalar(text, style, ..) => scalar(&text, style),
            Event::DocumentEnd if done.is_some() => break,
            _ => continue,
        };
        values += 1;
        if values > MAX_EVIDENCE_VALUES {
            return Err(too_many());
        }
        match stack.last_mut() {
            None => done = Some(value),
            Some(Open::List(items)) => items.push(value),
            Some(Open::Map(_, key @ None)) => match value {
                Value::String(k) => *key = Some(k),
                Value::Number(_) | Value::Bool(_) | Value::Null => *key = Some(value.to_string()),
                _ => return Err(format!("line {line}: a key that is not a plain value")),
            },
            Some(Open::Map(map, key)) => {
                if let Some(k) = key.take() {
                    map.insert(k, value);
                }
            }
        }
    }
    Ok(done.unwrap_or(Value::Null))
}

/// A scalar as YAML 1.2's core schema reads it, when plain.
fn scalar(text: &str, style: ScalarStyle) -> Value {
    if style != ScalarStyle::Plain {
        return Value::String(text.to_string());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let numeric = text
        .trim_start_matches(['-', '+'])
        .starts_with(|c: char| c.is_ascii_digit() || c == '.');
    if numeric {
        if let Ok(i) = text.parse::<i64>() {
            return Value::from(i);
        }
        if let Some(n) = text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
        {
            return Value::Number(n);
        }
    }
    Value::String(text.to_string())
}

fn too_deep() -> String {
    format!("nested deeper than {MAX_EVIDENCE_DEPTH} levels: not read")
}

fn too_many() -> String {
    format!(
        "more than {} values: not read",
        thousands(MAX_EVIDENCE_VALUES as u64)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_are_told_from_the_bytes() {
        assert_eq!(decode(b"\xEF\xBB\xBFab").unwrap(), "ab");
        assert_eq!(decode(b"\xFF\xFEa\0b\0").unwrap(), "ab");
        assert_eq!(decode(b"\xFE\xFF\0a\0b").unwrap(), "ab");
        let latin1 = decode(b"caf\xE9").unwrap_err();
        assert!(latin1.contains("byte 4"), "{latin1}");
    }

    #[test]
    fn yaml_reads_like_json_and_refuses_aliases_and_depth() {
        let v = yaml("license: apache-2.0\nco2_eq_emissions:\n  emissions: 1234.5\n  source: CodeCarbon\ndatasets: [a, 'b']\nnone: ~\n").unwrap();
        assert_eq!(v["license"], "apache-2.0");
        assert_eq!(v["co2_eq_emissions"]["emissions"], 1234.5);
        assert_eq!(v["datasets"][1], "b");
        assert!(v["none"].is_null());
        let alias = yaml("a: &x [1, 2]\nb: *x\n").unwrap_err();
        assert!(alias.contains("line 2"), "{alias}");
        let deep = "[".repeat(MAX_EVIDENCE_DEPTH + 1);
        assert!(yaml(&deep).unwrap_err().contains("deeper"));
    }

    #[test]
    fn json_is_measured_before_it_is_built() {
        assert_eq!(json(r#"{"a": [1, "]"]}"#).unwrap()["a"][1], "]");
        let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(json(&deep).unwrap_err().contains("deeper"));
        let wide = format!("[{}0]", "0,".repeat(MAX_EVIDENCE_VALUES + 1));
        assert!(json(&wide).unwrap_err().contains("values"));
    }
}
