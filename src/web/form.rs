//! The tender profile as a form: its fields are read from the commented
//! profile template (the file `boussole init` writes), so the form, its
//! explanations and the default values cannot drift from the profile; what
//! the buyer enters is written back into that same template, comments
//! included, and checked by [`crate::profile`] as any profile file is.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::profile::load::TEMPLATE;
use crate::text::Lang;

/// What a field holds, from its value in the template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Free text.
    Text,
    /// One of a few values.
    Choice(&'static [&'static str]),
    /// Yes or no.
    Bool,
    /// A number (a comma is accepted as the decimal sign).
    Number,
    /// A date, `YYYY-MM-DD`.
    Date,
    /// Lines of text (a postal address), one per entry of a TOML array.
    Lines,
}

/// A field of the profile.
#[derive(Debug, Clone)]
pub struct Field {
    /// `section.key`, as in the TOML file.
    pub path: String,
    /// The key.
    pub key: String,
    /// The kind.
    pub kind: Kind,
    /// The template's comment above it (French).
    pub help: String,
}

/// A section of the profile.
#[derive(Debug, Clone)]
pub struct Section {
    /// `award.weights`.
    pub name: String,
    /// The template's comment above it (French).
    pub help: String,
    /// Its fields.
    pub fields: Vec<Field>,
}

/// Choices of the fields that take one of a few values.
const CHOICES: &[(&str, &[&str])] = &[
    ("tender.language", &["fr", "en"]),
    (
        "system.kind",
        &[
            "generative",
            "predictive",
            "classification",
            "vision",
            "speech",
            "optimisation",
            "other",
        ],
    ),
    ("system.deployment", &["saas", "on_premise", "hybrid"]),
    ("system.ai_act_risk", &["minimal", "limited", "high"]),
    ("thresholds.hosting_zone", &["eu_eea", "eu"]),
];

/// The sections and fields of the template, in its order.
pub fn sections() -> &'static [Section] {
    static SECTIONS: OnceLock<Vec<Section>> = OnceLock::new();
    SECTIONS.get_or_init(|| parse_template(TEMPLATE))
}

/// The field at `path`.
pub fn field(path: &str) -> Option<&'static Field> {
    sections()
        .iter()
        .flat_map(|s| &s.fields)
        .find(|f| f.path == path)
}

/// The field where a problem of `path` is shown: the field itself, or the
/// first field of a section (`award.weights`, whose sub-weights must sum to
/// 100); `None` for what the form has no field for.
pub fn anchor(path: &str) -> Option<&'static str> {
    if let Some(f) = field(path) {
        return Some(f.path.as_str());
    }
    sections()
        .iter()
        .find(|s| s.name == path)
        .and_then(|s| s.fields.first())
        .map(|f| f.path.as_str())
}

/// Whether the field at `path` must be filled: left empty, with every
/// other field at its default, the profile is refused. Found once per
/// process by asking the profile's own loader and checks, so the form
/// cannot mark a field the profile does not require, nor miss one.
pub fn required(path: &str) -> bool {
    static REQUIRED: OnceLock<Vec<String>> = OnceLock::new();
    REQUIRED
        .get_or_init(|| {
            let Ok(library) = crate::library::load(None) else {
                return Vec::new();
            };
            let defaults = defaults();
            let refused = |values: &BTreeMap<String, String>| {
                let Ok(text) = to_toml(values, &toml::Table::new(), Lang::Fr) else {
                    return true;
                };
                crate::profile::load::parse(std::path::Path::new("profil.toml"), &text)
                    .map_err(|_| Vec::new())
                    .and_then(|p| crate::profile::check::check(p, &library))
                    .is_err()
            };
            if refused(&defaults) {
                return Vec::new();
            }
            sections()
                .iter()
                .flat_map(|s| &s.fields)
                .filter(|f| !matches!(f.kind, Kind::Bool | Kind::Choice(_)))
                .filter(|f| {
                    let mut values = defaults.clone();
                    values.insert(f.path.clone(), String::new());
                    refused(&values)
                })
                .map(|f| f.path.clone())
                .collect()
        })
        .iter()
        .any(|p| p == path)
}

/// A `key = value` line: its key and raw value.
fn assignment(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once('=')?;
    let key = key.trim();
    let plain = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    (plain && !line.starts_with('#')).then(|| (key, value.trim()))
}

/// A `[section]` line: its name.
fn header(line: &str) -> Option<&str> {
    let inner = line.strip_prefix('[')?.strip_suffix(']')?;
    (!inner.starts_with('[')).then_some(inner.trim())
}

fn parse_template(text: &str) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    let mut comment: Vec<&str> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if let Some(c) = line.strip_prefix('#') {
            comment.push(c.trim());
            continue;
        }
        let help = comment.join(" ").trim().to_string();
        comment.clear();
        if let Some(name) = header(line) {
            sections.push(Section {
                name: name.to_string(),
                help,
                fields: Vec::new(),
            });
        } else if let (Some((key, raw)), Some(section)) = (assignment(line), sections.last_mut()) {
            let path = format!("{}.{key}", section.name);
            let kind = match CHOICES.iter().find(|(p, _)| *p == path) {
                Some((_, choices)) => Kind::Choice(choices),
                None if raw.starts_with('"') => Kind::Text,
                None if raw.starts_with('[') => Kind::Lines,
                None if raw == "true" || raw == "false" => Kind::Bool,
                None if crate::date::Date::parse_loose(raw).is_some() && raw.len() == 10 => {
                    Kind::Date
                }
                None => Kind::Number,
            };
            section.fields.push(Field {
                path,
                key: key.to_string(),
                kind,
                help,
            });
        }
    }
    sections
}

/// The value of every field in a profile's TOML, as the form shows it.
pub fn values(table: &toml::Table) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for f in sections().iter().flat_map(|s| &s.fields) {
        let Some(v) = lookup(table, &f.path) else {
            continue;
        };
        let shown = match v {
            toml::Value::String(s) => s.clone(),
            toml::Value::Datetime(d) => d.to_string(),
            toml::Value::Array(lines) => lines
                .iter()
                .map(|l| l.as_str().map_or_else(|| l.to_string(), String::from))
                .collect::<Vec<_>>()
                .join("\n"),
            other => other.to_string(),
        };
        out.insert(f.path.clone(), shown);
    }
    out
}

/// The values of the embedded template.
pub fn defaults() -> BTreeMap<String, String> {
    values(&toml::from_str(TEMPLATE).unwrap_or_default())
}

fn lookup<'a>(table: &'a toml::Table, path: &str) -> Option<&'a toml::Value> {
    let mut parts = path.split('.');
    let mut value = table.get(parts.next()?)?;
    for p in parts {
        value = value.as_table()?.get(p)?;
    }
    Some(value)
}

/// What a profile holds that the form has no field for (overrides, extra
/// minimum scores…), to be carried along unchanged.
pub fn extras(table: &toml::Table) -> toml::Table {
    fn walk(table: &toml::Table, prefix: &str, out: &mut toml::Table) {
        for (k, v) in table {
            let path = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            let known_section = sections().iter().any(|s| s.name == path);
            match v {
                toml::Value::Table(t) if known_section || is_section_prefix(&path) => {
                    walk(t, &path, out)
                }
                _ if field(&path).is_some() => {}
                _ => insert(out, &path, v.clone()),
            }
        }
    }
    let mut out = toml::Table::new();
    walk(table, "", &mut out);
    out
}

fn is_section_prefix(path: &str) -> bool {
    sections()
        .iter()
        .any(|s| s.name.starts_with(&format!("{path}.")))
}

fn insert(table: &mut toml::Table, path: &str, value: toml::Value) {
    let mut parts: Vec<&str> = path.split('.').collect();
    let last = parts.pop().unwrap_or_default();
    let mut t = table;
    for p in parts {
        let entry = t
            .entry(p.to_string())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        let toml::Value::Table(inner) = entry else {
            return;
        };
        t = inner;
    }
    t.insert(last.to_string(), value);
}

/// The value of a field as TOML, or why it cannot be; `None` leaves the
/// key out (an empty optional field).
fn to_value(kind: Kind, input: &str, lang: Lang) -> Result<Option<String>, String> {
    let input = input.trim();
    let t = |fr: &str, en: &str| if lang == Lang::Fr { fr } else { en }.to_string();
    match kind {
        Kind::Bool => Ok(Some((input == "true").to_string())),
        _ if input.is_empty() => Ok(None),
        Kind::Text | Kind::Choice(_) => {
            Ok(Some(toml::Value::String(input.to_string()).to_string()))
        }
        Kind::Lines => Ok(Some(
            toml::Value::Array(
                input
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(|l| toml::Value::String(l.to_string()))
                    .collect(),
            )
            .to_string(),
        )),
        Kind::Date => crate::date::Date::parse_loose(input)
            .map(|d| Some(d.to_string()))
            .ok_or_else(|| {
                t(
                    "date attendue (AAAA-MM-JJ)",
                    "a date is expected (YYYY-MM-DD)",
                )
            }),
        Kind::Number => {
            let cleaned: String = input
                .replace(',', ".")
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            match cleaned.parse::<f64>() {
                Ok(n) if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e15 => {
                    Ok(Some(format!("{}", n as i64)))
                }
                Ok(n) if n.is_finite() => Ok(Some(n.to_string())),
                _ => Err(t("nombre attendu", "a number is expected")),
            }
        }
    }
}

/// Writes the form's values into the template: the profile's TOML, or the
/// fields in error with why.
pub fn to_toml(
    input: &BTreeMap<String, String>,
    extras: &toml::Table,
    lang: Lang,
) -> Result<String, Vec<(String, String)>> {
    let mut out = String::new();
    let mut errors = Vec::new();
    let mut section = String::new();
    // Where the current section's last key ends: its extras go there.
    let mut end_of_keys = 0;
    let close = |section: &str, out: &mut String, at: usize| {
        if let Some(toml::Value::Table(t)) = lookup(extras, section) {
            let lines: String = t
                .iter()
                .filter(|(_, v)| !v.is_table() && !is_table_array(v))
                .map(|(k, v)| format!("{k} = {v}\n"))
                .collect();
            out.insert_str(at, &lines);
        }
    };
    for line in TEMPLATE.lines() {
        if let Some(name) = header(line.trim()) {
            close(&section, &mut out, end_of_keys);
            section = name.to_string();
        }
        let path = assignment(line).map(|(k, _)| format!("{section}.{k}"));
        match path.as_deref().and_then(field) {
            Some(f) => {
                let given = input.get(&f.path).map(String::as_str).unwrap_or_default();
                match to_value(f.kind, given, lang) {
                    Ok(Some(v)) => out.push_str(&format!("{} = {v}\n", f.key)),
                    Ok(None) => {}
                    Err(why) => errors.push((f.path.clone(), why)),
                }
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
        if header(line.trim()).is_some() || path.is_some() {
            end_of_keys = out.len();
        }
    }
    close(&section, &mut out, end_of_keys);
    let nested = nested_only(extras, "");
    if !nested.is_empty() {
        out.push('\n');
        out.push_str(&toml::to_string(&nested).unwrap_or_default());
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn is_table_array(v: &toml::Value) -> bool {
    v.as_array()
        .is_some_and(|a| !a.is_empty() && a.iter().all(|x| x.is_table()))
}

/// The extras that are tables or arrays of tables, at any depth; scalars
/// are written inside their section. `prefix` is the path of `t`.
fn nested_only(t: &toml::Table, prefix: &str) -> toml::Table {
    let mut out = toml::Table::new();
    for (k, v) in t {
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::Table(inner) => {
                let known = sections().iter().any(|s| s.name == path) || is_section_prefix(&path);
                if !known {
                    out.insert(k.clone(), v.clone());
                } else {
                    let n = nested_only(inner, &path);
                    if !n.is_empty() {
                        out.insert(k.clone(), toml::Value::Table(n));
                    }
                }
            }
            _ if is_table_array(v) => {
                out.insert(k.clone(), v.clone());
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fields the accessibility review found refused when left empty,
    /// each by submitting it empty: the profile's loader finds the same.
    #[test]
    fn the_fields_the_profile_requires_are_known_to_the_form() {
        let required: Vec<&str> = sections()
            .iter()
            .flat_map(|s| &s.fields)
            .map(|f| f.path.as_str())
            .filter(|p| required(p))
            .collect();
        for path in [
            "buyer.name",
            "tender.reference",
            "tender.title",
            "dates.award_date",
            "dates.contract_start",
            "dates.contract_months",
            "award.compass_share",
            "award.weights.legal",
        ] {
            assert!(required.contains(&path), "{path} in {required:?}");
        }
        for path in ["buyer.address", "dates.launch", "thresholds.pue_max"] {
            assert!(!required.contains(&path), "{path} in {required:?}");
        }
    }

    #[test]
    fn the_template_becomes_a_form_and_back() {
        let names: Vec<&str> = sections().iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "buyer",
                "tender",
                "dates",
                "regularisation",
                "system",
                "data",
                "reference_task",
                "award",
                "award.weights",
                "award.minimum",
                "thresholds",
                "penalties"
            ]
        );
        assert_eq!(field("dates.launch").unwrap().kind, Kind::Date);
        assert_eq!(field("system.personal_data").unwrap().kind, Kind::Bool);
        assert_eq!(field("award.compass_share").unwrap().kind, Kind::Number);
        assert_eq!(
            field("reference_task.annual_volume").unwrap().kind,
            Kind::Number
        );
        assert_eq!(field("buyer.address").unwrap().kind, Kind::Lines);
        assert!(field("thresholds.pue_max").unwrap().help.contains("PUE"));
        assert_eq!(field("penalties.data_training").unwrap().kind, Kind::Number);
        let text = to_toml(&defaults(), &toml::Table::new(), Lang::Fr).unwrap();
        let again: toml::Table = toml::from_str(&text).unwrap();
        let original: toml::Table = toml::from_str(TEMPLATE).unwrap();
        assert_eq!(again, original);
        assert!(text.contains("# Profil de consultation boussole"));
    }

    #[test]
    fn what_the_form_cannot_show_is_carried_along() {
        let uploaded: toml::Table = toml::from_str(&format!(
            "{TEMPLATE}\n[[overrides]]\nquestion = \"SOV-01\"\nseverity = \"eliminatory\"\njustification = \"Secret des affaires.\"\n"
        ))
        .unwrap();
        let mut uploaded = uploaded;
        uploaded["award"]["minimum"]
            .as_table_mut()
            .unwrap()
            .insert("sobriety".into(), toml::Value::Integer(40));
        let extras = extras(&uploaded);
        let mut input = values(&uploaded);
        input.insert("tender.title".into(), "Nouvel « objet » \\ \"cité\"".into());
        input.insert("award.compass_share".into(), "35,5".into());
        let text = to_toml(&input, &extras, Lang::Fr).unwrap();
        let back: toml::Table = toml::from_str(&text).unwrap();
        assert_eq!(back["award"]["minimum"]["sobriety"].as_integer(), Some(40));
        assert_eq!(back["award"]["compass_share"].as_float(), Some(35.5));
        assert_eq!(back["overrides"][0]["question"].as_str(), Some("SOV-01"));
        assert_eq!(
            back["tender"]["title"].as_str(),
            Some("Nouvel « objet » \\ \"cité\"")
        );
    }

    #[test]
    fn a_field_in_error_is_named() {
        let mut input = defaults();
        input.insert("dates.launch".into(), "demain".into());
        input.insert("thresholds.pue_max".into(), "1.2.3".into());
        let errors = to_toml(&input, &toml::Table::new(), Lang::En).unwrap_err();
        let paths: Vec<&str> = errors.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, ["dates.launch", "thresholds.pue_max"]);
    }
}
