//! Rules: how one answer is judged, and how serious a failure is.
//!
//! A question carries one rule. Its bound may be a number, a date or a field
//! of the profile (`profile.thresholds.pue_max`), so one library serves
//! every tender. A rule may be in force only between two dates (`from`,
//! `until`): it then applies when it is in force at some point of the contract.

use std::fmt;

use regex::Regex;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::answer::Value;
use crate::date::Date;
use crate::library::{AnswerType, NamedList};
use crate::text::{self, Lang};

/// The kinds of rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// The answer is one of `values` (every selected id, for multi_choice).
    Expect,
    /// The answer is none of `values`.
    Forbid,
    /// The value is at least `bound`.
    Min,
    /// The value is at most `bound`.
    Max,
    /// The text holds at least `bound` words (runs of characters other
    /// than spaces); counted, not matched by a regular expression.
    Words,
    /// The text matches the regular expression in `values`.
    Pattern,
    /// The text matches none of the expressions in `values`.
    ForbidPattern,
    /// Every value is in one of the named lists in `values`.
    InList,
}

impl RuleKind {
    /// The name used in the library files.
    pub fn name(self) -> &'static str {
        match self {
            RuleKind::Expect => "expect",
            RuleKind::Forbid => "forbid",
            RuleKind::Min => "min",
            RuleKind::Max => "max",
            RuleKind::Words => "words",
            RuleKind::Pattern => "pattern",
            RuleKind::ForbidPattern => "forbid_pattern",
            RuleKind::InList => "in_list",
        }
    }

    /// Whether the rule fits answers of type `t`.
    pub fn fits(self, t: AnswerType) -> bool {
        use AnswerType::*;
        match self {
            RuleKind::Expect | RuleKind::Forbid => matches!(t, YesNo | Choice | MultiChoice),
            RuleKind::Min | RuleKind::Max => matches!(t, Number | Percent | Date),
            RuleKind::Words | RuleKind::Pattern | RuleKind::ForbidPattern => {
                matches!(t, Text | Url)
            }
            RuleKind::InList => matches!(t, Country | Text | Choice | MultiChoice),
        }
    }

    /// Whether the rule takes a `bound` (else `values`).
    pub fn takes_bound(self) -> bool {
        matches!(self, RuleKind::Min | RuleKind::Max | RuleKind::Words)
    }
}

/// How serious a failed rule is, from least to most.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Informative.
    Info,
    /// Good practice not met.
    Minor,
    /// A serious legal or contractual gap.
    Major,
    /// The offer is irregular and is eliminated.
    Eliminatory,
}

impl Severity {
    /// The name used in files and reports.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Minor => "minor",
            Severity::Major => "major",
            Severity::Eliminatory => "eliminatory",
        }
    }
}

impl Severity {
    /// The severity in words (« majeure »: it qualifies « la non-conformité »).
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Severity::Eliminatory, Lang::Fr) => "éliminatoire",
            (Severity::Major, Lang::Fr) => "majeure",
            (Severity::Minor, Lang::Fr) => "mineure",
            (Severity::Info, Lang::Fr) => "information",
            (Severity::Eliminatory, Lang::En) => "eliminatory",
            (Severity::Major, Lang::En) => "major",
            (Severity::Minor, Lang::En) => "minor",
            (Severity::Info, Lang::En) => "information",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The bound of a `min` or `max` rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Bound {
    /// A fixed number.
    Number(f64),
    /// A fixed date.
    Date(Date),
    /// A field of the profile, such as `profile.thresholds.pue_max`.
    Profile(String),
}

impl Serialize for Bound {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Bound::Number(n) => s.serialize_f64(*n),
            Bound::Date(d) => s.collect_str(d),
            Bound::Profile(p) => s.serialize_str(p),
        }
    }
}

impl schemars::JsonSchema for Bound {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Bound".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A number, a date (YYYY-MM-DD) or a profile field (profile.thresholds.…)",
            "type": ["number", "string"]
        })
    }
}

impl<'de> Deserialize<'de> for Bound {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Bound, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr {
            Number(f64),
            Date(Date),
            Text(String),
        }
        Ok(match Repr::deserialize(d)? {
            Repr::Number(n) => Bound::Number(n),
            Repr::Date(d) => Bound::Date(d),
            Repr::Text(t) => Bound::Profile(t),
        })
    }
}

/// A rule, as written in the library.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// What is checked.
    pub kind: RuleKind,
    /// Choice ids, regular expressions or list names; for `words`, only
    /// `figure` (the answer holds a figure too).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// The bound of `min` / `max` / `words`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bound: Option<Bound>,
    /// How serious a failure is.
    pub severity: Severity,
    /// In force from this date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    /// In force until this date (excluded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
}

/// ` hours`, `, en heures`…: a unit after `sep`, or nothing for a unitless ratio.
fn suffix(unit: Option<&str>, sep: &str, lang: Lang) -> String {
    unit.map(|u| text::unit(u, lang))
        .filter(|u| !u.is_empty())
        .map(|u| format!("{sep}{u}"))
        .unwrap_or_default()
}

/// A bound or a list name that could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    /// `min`/`max` without a bound.
    #[error("the rule has no bound")]
    NoBound,
    /// The bound names a profile field that is not a number or a date.
    #[error("`{0}` is not a number or a date of the profile")]
    BadBound(String),
    /// A regular expression does not compile.
    #[error("the regular expression `{0}` does not compile: {1}")]
    BadPattern(String, String),
    /// A list name is unknown.
    #[error("no list is named `{0}`")]
    UnknownList(String),
    /// The rule does not fit the answer.
    #[error("a `{0}` rule cannot judge this answer")]
    Misfit(&'static str),
}

/// What a rule needs besides the answer: the profile and the named lists.
pub struct Context<'a> {
    /// The tender profile, as JSON.
    pub profile: &'a serde_json::Value,
    /// The named lists of the library.
    pub lists: &'a [NamedList],
}

impl Context<'_> {
    fn list(&self, id: &str) -> Option<&NamedList> {
        self.lists.iter().find(|l| l.id == id)
    }

    fn profile_field(&self, path: &str) -> Option<&serde_json::Value> {
        let mut v = self.profile;
        for key in path.strip_prefix("profile.")?.split('.') {
            v = v.get(key)?;
        }
        Some(v)
    }

    /// The value of a bound.
    pub fn bound(&self, b: &Bound) -> Result<Value, RuleError> {
        match b {
            Bound::Number(n) => Ok(Value::Number(*n)),
            Bound::Date(d) => Ok(Value::Date(*d)),
            Bound::Profile(path) => match self.profile_field(path) {
                Some(serde_json::Value::Number(n)) => {
                    Ok(Value::Number(n.as_f64().unwrap_or(f64::NAN)))
                }
                Some(serde_json::Value::String(s)) => s
                    .parse()
                    .map(Value::Date)
                    .map_err(|_| RuleError::BadBound(path.clone())),
                _ => Err(RuleError::BadBound(path.clone())),
            },
        }
    }

    /// The values of the named lists (or profile fields naming lists).
    pub fn list_values(&self, names: &[String]) -> Result<Vec<String>, RuleError> {
        let mut out = Vec::new();
        for name in names {
            let resolved = match self.profile_field(name) {
                Some(serde_json::Value::String(s)) => s.clone(),
                _ => name.clone(),
            };
            let list = self
                .list(&resolved)
                .ok_or(RuleError::UnknownList(resolved))?;
            out.extend(list.values.iter().map(|v| v.to_ascii_uppercase()));
        }
        Ok(out)
    }
}

impl Rule {
    /// Whether the rule is in force at some point between `start` and `end`.
    pub fn in_force(&self, start: Date, end: Date) -> bool {
        self.from.is_none_or(|f| f <= end) && self.until.is_none_or(|u| u > start)
    }

    /// Compiles the regular expressions of a pattern rule, each once per
    /// process: a batch judges the same few patterns thousands of times.
    pub fn patterns(&self) -> Result<Vec<Regex>, RuleError> {
        use std::collections::HashMap;
        use std::sync::{Mutex, OnceLock};
        static COMPILED: OnceLock<Mutex<HashMap<String, Regex>>> = OnceLock::new();
        let cache = COMPILED.get_or_init(Default::default);
        self.values
            .iter()
            .map(|p| {
                if let Some(r) = cache.lock().ok().and_then(|c| c.get(p).cloned()) {
                    return Ok(r);
                }
                let r =
                    Regex::new(p).map_err(|e| RuleError::BadPattern(p.clone(), e.to_string()))?;
                if let Ok(mut c) = cache.lock() {
                    c.insert(p.clone(), r.clone());
                }
                Ok(r)
            })
            .collect()
    }

    /// Whether `value` passes the rule.
    pub fn passes(&self, value: &Value, ctx: &Context<'_>) -> Result<bool, RuleError> {
        let misfit = || RuleError::Misfit(self.kind.name());
        let ids: Vec<&str> = match value {
            Value::Choice(c) => vec![c.as_str()],
            Value::Choices(c) => c.iter().map(String::as_str).collect(),
            _ => Vec::new(),
        };
        let listed = |v: &str| self.values.iter().any(|x| x == v);
        match self.kind {
            RuleKind::Expect => match value {
                Value::Choice(_) | Value::Choices(_) => Ok(ids.iter().all(|v| listed(v))),
                _ => Err(misfit()),
            },
            RuleKind::Forbid => match value {
                Value::Choice(_) | Value::Choices(_) => Ok(!ids.iter().any(|v| listed(v))),
                _ => Err(misfit()),
            },
            RuleKind::Min | RuleKind::Max => {
                let bound = ctx.bound(self.bound.as_ref().ok_or(RuleError::NoBound)?)?;
                let ord = match (value, &bound) {
                    (Value::Number(a), Value::Number(b)) => a.partial_cmp(b),
                    (Value::Date(a), Value::Date(b)) => Some(a.cmp(b)),
                    _ => return Err(misfit()),
                };
                let ord = ord.ok_or_else(misfit)?;
                Ok(if self.kind == RuleKind::Min {
                    ord.is_ge()
                } else {
                    ord.is_le()
                })
            }
            RuleKind::Words => {
                let (Value::Text(t), Value::Number(least)) = (
                    value,
                    ctx.bound(self.bound.as_ref().ok_or(RuleError::NoBound)?)?,
                ) else {
                    return Err(misfit());
                };
                // what `\S+(\s+\S+){N-1,}` matched: Unicode's white space
                // on both sides, the words counted up to the bound only
                let least = least.max(0.0).ceil() as usize;
                let long = t.split_whitespace().take(least).count() >= least;
                // `values = ["figure"]`: and a figure anywhere in it
                let figured = !self.wants_figure() || t.chars().any(|c| c.is_ascii_digit());
                Ok(long && figured)
            }
            RuleKind::Pattern | RuleKind::ForbidPattern => {
                let Value::Text(t) = value else {
                    return Err(misfit());
                };
                let any = self.patterns()?.iter().any(|r| r.is_match(t));
                Ok(any == (self.kind == RuleKind::Pattern))
            }
            RuleKind::InList => {
                let allowed = ctx.list_values(&self.values)?;
                let inside = |v: &str| allowed.iter().any(|a| a.eq_ignore_ascii_case(v));
                match value {
                    Value::Text(t) => Ok(inside(t)),
                    Value::Choice(_) | Value::Choices(_) => Ok(ids.iter().all(|v| inside(v))),
                    _ => Err(misfit()),
                }
            }
        }
    }

    /// The rule in words, for documents: `Réponse attendue : Non`.
    pub fn describe(
        &self,
        answer: crate::answer::Spec<'_>,
        ctx: &Context<'_>,
        lang: Lang,
    ) -> String {
        let fr = lang == Lang::Fr;
        let labels = || {
            let choices = answer.choices;
            self.values
                .iter()
                .map(|v| {
                    choices
                        .iter()
                        .find(|c| &c.id == v)
                        .map_or(v.as_str(), |c| c.label.get(lang))
                })
                .collect::<Vec<_>>()
                .join(if fr { " ou " } else { " or " })
        };
        // A forbid rule that leaves one or two choices reads better as what is expected.
        let allowed = || {
            let rest: Vec<&str> = answer
                .choices
                .iter()
                .filter(|c| !self.values.contains(&c.id))
                .map(|c| c.label.get(lang))
                .collect();
            (answer.kind != AnswerType::MultiChoice && (1..=2).contains(&rest.len()))
                .then(|| rest.join(if fr { " ou " } else { " or " }))
        };
        let bound = || match self.bound.as_ref().map(|b| ctx.bound(b)) {
            Some(Ok(Value::Number(n))) => {
                let unit = if answer.kind == AnswerType::Percent {
                    Some("%")
                } else {
                    answer.unit
                };
                text::quantity(n, unit, lang)
            }
            Some(Ok(Value::Date(d))) => d.in_words(lang),
            _ => "?".into(),
        };
        let lists = || match ctx.list_values(&self.values) {
            Ok(_) => self
                .values
                .iter()
                .map(|n| {
                    let name = ctx.profile_field(n).and_then(|v| v.as_str()).unwrap_or(n);
                    ctx.list(name)
                        .map_or(name.to_string(), |l| l.title.get(lang).to_string())
                })
                .collect::<Vec<_>>()
                .join(", "),
            Err(_) => self.values.join(", "),
        };
        match (self.kind, fr) {
            (RuleKind::Expect, true) => format!("Réponse attendue : {}", labels()),
            (RuleKind::Expect, false) => format!("Expected answer: {}", labels()),
            (RuleKind::Forbid, _) if allowed().is_some() => {
                let allowed = allowed().unwrap_or_default();
                if fr {
                    format!("Réponse attendue : {allowed}")
                } else {
                    format!("Expected answer: {allowed}")
                }
            }
            (RuleKind::Forbid, true) => format!("Réponse non conforme : {}", labels()),
            (RuleKind::Forbid, false) => format!("Non-compliant answer: {}", labels()),
            (RuleKind::Min, true) if self.bound == Some(Bound::Number(0.0)) => {
                format!(
                    "Valeur chiffrée attendue{}",
                    suffix(answer.unit, ", en ", lang)
                )
            }
            (RuleKind::Min, false) if self.bound == Some(Bound::Number(0.0)) => {
                format!("A figure is expected{}", suffix(answer.unit, ", in ", lang))
            }
            (RuleKind::Min | RuleKind::Max, _) if answer.kind == AnswerType::Date => {
                match (self.kind, fr) {
                    (RuleKind::Min, true) => format!("Le {} ou après", bound()),
                    (RuleKind::Min, false) => format!("On {} or later", bound()),
                    (_, true) => format!("Le {} ou avant", bound()),
                    (_, false) => format!("On {} or earlier", bound()),
                }
            }
            (RuleKind::Max, _) if self.bound == Some(Bound::Number(0.0)) => {
                match (answer.unit.map(|u| u.to_ascii_lowercase()).as_deref(), fr) {
                    (Some("eur"), true) => "Sans frais (0\u{a0}€ HT)".into(),
                    (Some("eur"), false) => "No charge (€0 excl. VAT)".into(),
                    (_, true) => "Zéro".into(),
                    (_, false) => "Zero".into(),
                }
            }
            (RuleKind::Min, true) => format!("Au moins {}", bound()),
            (RuleKind::Min, false) => format!("At least {}", bound()),
            (RuleKind::Max, true) => format!("Au plus {}", bound()),
            (RuleKind::Max, false) => format!("At most {}", bound()),
            (RuleKind::Words, _) => match self.bound.as_ref().map(|b| ctx.bound(b)) {
                Some(Ok(Value::Number(n))) => {
                    Self::words_in_words(n.max(0.0).ceil() as u32, self.wants_figure(), lang)
                }
                _ => Self::written(lang),
            },
            (RuleKind::Pattern, _) => self.pattern_in_words(lang),
            (RuleKind::ForbidPattern, true) => "Réponse sans formule générique".into(),
            (RuleKind::ForbidPattern, false) => "An answer without boilerplate".into(),
            (RuleKind::InList, true) => format!("Dans la liste : {}", lists()),
            (RuleKind::InList, false) => format!("Within: {}", lists()),
        }
    }
}

impl Rule {
    /// The one value a `words` rule may hold: the answer must also hold a
    /// figure (a digit, anywhere).
    pub const FIGURE: &'static str = "figure";

    /// Whether a `words` rule asks for a figure too.
    pub fn wants_figure(&self) -> bool {
        self.values.iter().any(|v| v == Self::FIGURE)
    }

    /// What a `pattern` rule checks, in words: the number of words it asks
    /// for, or a web address; announced as it is applied, never dressed up
    /// as a judgment of quality.
    fn pattern_in_words(&self, lang: Lang) -> String {
        let fr = lang == Lang::Fr;
        let pattern = self.values.first().map(String::as_str).unwrap_or_default();
        if pattern.contains("https://") {
            return if fr {
                "Une adresse web commençant par https://".into()
            } else {
                "A web address starting with https://".into()
            };
        }
        // `\S+(\s+\S+){N,}`: at least N + 1 words.
        let words = pattern
            .split_once("){")
            .and_then(|(_, rest)| rest.split_once(','))
            .and_then(|(n, _)| n.parse::<u32>().ok())
            .map(|n| n + 1);
        let figure = pattern.contains("[0-9]");
        match words {
            Some(n) => Self::words_in_words(n, figure, lang),
            None => Self::written(lang),
        }
    }

    /// « Une réponse rédigée d’au moins 5 mots », with a figure or not.
    fn words_in_words(n: u32, figure: bool, lang: Lang) -> String {
        let words = text::quantity(f64::from(n), Some("words"), lang);
        match lang {
            Lang::Fr => format!(
                "Une réponse rédigée d’au moins {words}{}",
                if figure { ", chiffrée" } else { "" }
            ),
            Lang::En => format!(
                "A written answer of at least {words}{}",
                if figure { ", with a figure" } else { "" }
            ),
        }
    }

    /// « Une réponse rédigée », when the number of words is not known.
    fn written(lang: Lang) -> String {
        match lang {
            Lang::Fr => "Une réponse rédigée".into(),
            Lang::En => "A written answer".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::{Choice, NamedList};
    use crate::text::Text;
    use serde_json::json;

    fn rule(toml: &str) -> Rule {
        toml::from_str(toml).unwrap()
    }

    fn lists() -> Vec<NamedList> {
        vec![NamedList {
            id: "eu".into(),
            title: Text {
                fr: "UE".into(),
                en: "EU".into(),
            },
            values: vec!["FR".into(), "DE".into()],
        }]
    }

    fn passes(r: &Rule, v: Value) -> bool {
        let profile = json!({ "thresholds": { "pue_max": 1.5, "zone": "eu" }, "dates": { "end": "2030-01-01" } });
        let lists = lists();
        r.passes(
            &v,
            &Context {
                profile: &profile,
                lists: &lists,
            },
        )
        .unwrap()
    }

    fn choices(ids: &[&str]) -> Value {
        Value::Choices(ids.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn expect_and_forbid_on_single_and_multiple_choices() {
        let expect = rule(
            r#"kind = "expect"
values = ["no", "none"]
severity = "major""#,
        );
        assert!(passes(&expect, Value::Choice("no".into())));
        assert!(!passes(&expect, Value::Choice("yes".into())));
        assert!(passes(&expect, choices(&["none"])));
        assert!(
            !passes(&expect, choices(&["none", "face"])),
            "every selected id must be expected"
        );
        let forbid = rule(
            r#"kind = "forbid"
values = ["face"]
severity = "eliminatory""#,
        );
        assert!(passes(&forbid, choices(&["csv", "json"])));
        assert!(
            !passes(&forbid, choices(&["csv", "face"])),
            "no selected id may be forbidden"
        );
    }

    #[test]
    fn min_and_max_against_numbers_profile_fields_and_dates() {
        let max = rule(
            r#"kind = "max"
bound = "profile.thresholds.pue_max"
severity = "major""#,
        );
        assert!(passes(&max, Value::Number(1.5)));
        assert!(!passes(&max, Value::Number(1.51)));
        let min = rule(
            r#"kind = "min"
bound = 24
severity = "minor""#,
        );
        assert!(passes(&min, Value::Number(24.0)));
        assert!(!passes(&min, Value::Number(23.9)));
        let until = rule(
            r#"kind = "min"
bound = "profile.dates.end"
severity = "major""#,
        );
        assert!(passes(&until, Value::Date(Date::new(2030, 1, 1).unwrap())));
        assert!(!passes(
            &until,
            Value::Date(Date::new(2029, 12, 31).unwrap())
        ));
        let profile = json!({});
        let no_lists: Vec<NamedList> = Vec::new();
        let ctx = Context {
            profile: &profile,
            lists: &no_lists,
        };
        assert!(
            max.passes(&Value::Number(1.0), &ctx).is_err(),
            "an unknown profile field is an error, not a pass"
        );
        assert!(max.passes(&Value::Text("x".into()), &ctx).is_err());
    }

    #[test]
    fn patterns_and_lists() {
        let pattern = rule(
            r#"kind = "pattern"
values = ["\\S+(\\s+\\S+){4,}"]
severity = "minor""#,
        );
        assert!(passes(
            &pattern,
            Value::Text("une réponse de cinq mots".into())
        ));
        assert!(!passes(&pattern, Value::Text("oui".into())));
        let forbid = rule(
            r#"kind = "forbid_pattern"
values = ["(?i)voir m[ée]moire"]
severity = "minor""#,
        );
        assert!(!passes(&forbid, Value::Text("Voir mémoire".into())));
        assert!(passes(&forbid, Value::Text("Décrit ci-dessous".into())));
        let zone = rule(
            r#"kind = "in_list"
values = ["profile.thresholds.zone"]
severity = "major""#,
        );
        assert!(passes(&zone, choices(&["FR", "DE"])));
        assert!(!passes(&zone, choices(&["FR", "US"])));
        let named = rule(
            r#"kind = "in_list"
values = ["eu"]
severity = "major""#,
        );
        assert!(
            passes(&named, Value::Text("fr".into())),
            "codes compare without regard to case"
        );
    }

    /// A `words` rule passes exactly the answers the pattern it replaced
    /// in the library passed, whatever spaces separate the words.
    #[test]
    fn words_are_counted_as_the_pattern_matched_them() {
        let answers = [
            "",
            "oui",
            "une réponse de cinq mots",
            "  une  réponse\nde\tquatre  ",
            "une\u{a0}réponse\u{202f}de\u{2003}cinq\u{3000}mots",
            "une réponse\u{200b}de quatre mots",
            "Délai de 24 heures ouvrées, astreinte comprise le week-end et les jours fériés.",
            "un deux trois quatre cinq six sept huit neuf",
            "un deux trois quatre cinq six sept huit neuf dix",
            "\n\n\u{85}un\u{2028}deux\u{2029}trois\u{b}quatre\u{c}cinq\r",
        ];
        for n in [1, 5, 10] {
            let words = rule(&format!(
                "kind = \"words\"\nbound = {n}\nseverity = \"minor\""
            ));
            let pattern = Regex::new(&format!(r"\S+(\s+\S+){{{},}}", n - 1)).unwrap();
            for a in answers {
                assert_eq!(
                    passes(&words, Value::Text(a.into())),
                    pattern.is_match(a),
                    "{n} words: {a:?}"
                );
            }
        }
        let profile = json!({});
        let lists: Vec<NamedList> = Vec::new();
        let ctx = Context {
            profile: &profile,
            lists: &lists,
        };
        let words = rule("kind = \"words\"\nbound = 5\nseverity = \"minor\"");
        assert!(
            words.passes(&Value::Number(5.0), &ctx).is_err(),
            "a number is not words"
        );
        let unbound = rule("kind = \"words\"\nseverity = \"minor\"");
        assert_eq!(
            unbound.passes(&Value::Text("oui".into()), &ctx),
            Err(RuleError::NoBound)
        );
    }

    #[test]
    fn five_words_with_a_figure_means_five_words_and_a_figure_anywhere() {
        let figured =
            rule("kind = \"words\"\nbound = 5\nvalues = [\"figure\"]\nseverity = \"major\"");
        for (answer, expected) in [
            // the pattern it replaces wanted four words on one side of the figure
            ("Délai de 24 heures ouvrées garanties", true),
            ("Réponse sous 5 jours ouvrés maximum", true),
            ("Courriers traités en 5 jours au lieu de 15", true),
            ("Délai de vingt-quatre heures ouvrées garanties", false),
            ("24 heures ouvrées", false),
            ("", false),
        ] {
            assert_eq!(
                passes(&figured, Value::Text(answer.into())),
                expected,
                "{answer:?}"
            );
        }
    }

    #[test]
    fn obligations_apply_when_in_force_during_the_contract() {
        let r = rule(
            r#"kind = "max"
bound = 0
severity = "major"
from = 2027-01-12"#,
        );
        let d = |y, m, day| Date::new(y, m, day).unwrap();
        assert!(r.in_force(d(2026, 10, 1), d(2030, 10, 1)));
        assert!(!r.in_force(d(2026, 10, 1), d(2026, 12, 31)));
        let until = rule(
            r#"kind = "max"
bound = 0
severity = "major"
until = 2027-01-12"#,
        );
        assert!(until.in_force(d(2026, 10, 1), d(2030, 1, 1)));
        assert!(!until.in_force(d(2027, 1, 12), d(2030, 1, 1)));
    }

    #[test]
    fn rules_read_in_words() {
        let yes_no = crate::library::Question::yes_no_choices();
        let spec = crate::answer::Spec {
            kind: AnswerType::YesNo,
            unit: None,
            choices: &yes_no,
        };
        let forbid = rule(
            r#"kind = "forbid"
values = ["yes"]
severity = "eliminatory""#,
        );
        let profile = json!({});
        let lists: Vec<NamedList> = Vec::new();
        let ctx = Context {
            profile: &profile,
            lists: &lists,
        };
        assert_eq!(
            forbid.describe(spec, &ctx, Lang::Fr),
            "Réponse attendue : Non"
        );
        let hours = rule(
            r#"kind = "max"
bound = 24
severity = "major""#,
        );
        let spec = crate::answer::Spec {
            kind: AnswerType::Number,
            unit: Some("hours"),
            choices: &[] as &[Choice],
        };
        assert_eq!(
            hours.describe(spec, &ctx, Lang::Fr),
            "Au plus 24\u{a0}heures"
        );
        assert_eq!(
            hours.describe(spec, &ctx, Lang::En),
            "At most 24\u{a0}hours"
        );
    }

    /// What a rule checks is what the documents announce: a number of
    /// words, an address, a date, no charge.
    #[test]
    fn rules_say_what_they_check() {
        let profile = json!({});
        let lists: Vec<NamedList> = Vec::new();
        let ctx = Context {
            profile: &profile,
            lists: &lists,
        };
        let spec = |kind, unit| crate::answer::Spec {
            kind,
            unit,
            choices: &[] as &[Choice],
        };
        let text = spec(AnswerType::Text, None);
        let words = rule(
            r#"kind = "pattern"
values = ["\\S+(\\s+\\S+){9,}"]
severity = "major""#,
        );
        assert_eq!(
            words.describe(text, &ctx, Lang::Fr),
            "Une réponse rédigée d’au moins 10\u{a0}mots"
        );
        let counted = rule(
            r#"kind = "words"
bound = 10
severity = "major""#,
        );
        assert_eq!(
            counted.describe(text, &ctx, Lang::Fr),
            words.describe(text, &ctx, Lang::Fr)
        );
        assert_eq!(
            counted.describe(text, &ctx, Lang::En),
            "A written answer of at least 10\u{a0}words"
        );
        let figure = rule(
            r#"kind = "pattern"
values = ["([0-9].*(\\s+\\S+){4,})|((\\S+\\s+){4,}.*[0-9])"]
severity = "major""#,
        );
        assert_eq!(
            figure.describe(text, &ctx, Lang::En),
            "A written answer of at least 5\u{a0}words, with a figure"
        );
        let counted_figure = rule(
            r#"kind = "words"
bound = 5
values = ["figure"]
severity = "major""#,
        );
        assert_eq!(
            counted_figure.describe(text, &ctx, Lang::Fr),
            figure.describe(text, &ctx, Lang::Fr)
        );
        let url = rule(
            r#"kind = "pattern"
values = ["^https://\\S+$"]
severity = "major""#,
        );
        assert_eq!(
            url.describe(spec(AnswerType::Url, None), &ctx, Lang::Fr),
            "Une adresse web commençant par https://"
        );
        let date = rule(
            r#"kind = "min"
bound = 2027-04-01
severity = "major""#,
        );
        assert_eq!(
            date.describe(spec(AnswerType::Date, None), &ctx, Lang::Fr),
            "Le 1er avril 2027 ou après"
        );
        let free = rule(
            r#"kind = "max"
bound = 0
severity = "major""#,
        );
        assert_eq!(
            free.describe(spec(AnswerType::Number, Some("EUR")), &ctx, Lang::Fr),
            "Sans frais (0\u{a0}€ HT)"
        );
    }
}
