//! Applicability conditions (`when = "…"`) on the profile and on answers.
//!
//! A small expression language, parsed once when the library is loaded:
//!
//! ```text
//! expr    := or
//! or      := and ("or" and)*
//! and     := unary ("and" unary)*
//! unary   := "not" unary | "(" expr ")" | compare
//! compare := operand (("==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "contains") operand)?
//! operand := profile.path | QUE-01 | "text" | 12.5 | 2027-01-12 | true | false | [operand, …]
//! ```
//!
//! Evaluation is three-valued: a condition on an answer that is not known
//! yet (while documents are generated, or when the vendor left the parent
//! question empty) is `Unknown`, and the question stays asked. `false and
//! unknown` is `false`, `true or unknown` is `true` (Kleene logic).
//!
//! Documents people read never print a condition as written:
//! [`Condition::describe`] (module `words`) puts it in French or English
//! words, answers named by question id and choice label.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::answer::Value;
use crate::date::Date;

mod words;

pub use words::ChoiceLabel;

/// Longest condition read, in characters: the library's longest is under
/// 100; a longer one is refused before it is read.
pub const MAX_CHARS: usize = 1_000;

/// Deepest nesting of parentheses, `not` and lists: the library nests 2 at
/// most; a deeper one is refused before it can exhaust the stack.
pub const MAX_DEPTH: usize = 32;

/// A condition as written, with its parsed form.
#[derive(Debug, Clone)]
pub struct Condition {
    source: String,
    parsed: Result<Expr, SyntaxError>,
}

/// Why a condition does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyntaxError {
    /// Longer than [`MAX_CHARS`].
    #[error("the condition is {chars} characters long (at most {MAX_CHARS})")]
    TooLong {
        /// Its length, in characters.
        chars: usize,
    },
    /// Nests parentheses, `not` or lists deeper than [`MAX_DEPTH`].
    #[error("the condition nests parentheses, `not` or lists more than {MAX_DEPTH} deep")]
    TooDeep,
    /// Not written in the condition language.
    #[error("{0}")]
    Invalid(String),
}

impl From<String> for SyntaxError {
    fn from(message: String) -> SyntaxError {
        SyntaxError::Invalid(message)
    }
}

impl From<&str> for SyntaxError {
    fn from(message: &str) -> SyntaxError {
        SyntaxError::Invalid(message.to_string())
    }
}

/// A parsed condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// Both hold.
    And(Box<Expr>, Box<Expr>),
    /// Either holds.
    Or(Box<Expr>, Box<Expr>),
    /// Does not hold.
    Not(Box<Expr>),
    /// A comparison, or a bare operand taken as a boolean (`op` is `None`).
    Compare(Operand, Option<(Op, Operand)>),
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `in`: the left value is one of the right list.
    In,
    /// `contains`: the left list holds the right value.
    Contains,
}

/// A term of a condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// `profile.system.kind`: a field of the profile (path without `profile.`).
    Profile(Vec<String>),
    /// `SOV-03`: the answer to another question.
    Answer(String),
    /// `"generative"`
    Text(String),
    /// `12.5`
    Number(f64),
    /// `2027-01-12`
    Date(Date),
    /// `true` / `false`
    Bool(bool),
    /// `["a", "b"]`
    List(Vec<Operand>),
}

/// A three-valued truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Truth {
    /// Holds.
    True,
    /// Does not hold.
    False,
    /// Depends on an answer not known yet.
    Unknown,
}

impl Truth {
    fn from_bool(b: bool) -> Truth {
        if b { Truth::True } else { Truth::False }
    }
    fn and(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::False, _) | (_, Truth::False) => Truth::False,
            (Truth::True, Truth::True) => Truth::True,
            _ => Truth::Unknown,
        }
    }
    fn or(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::True, _) | (_, Truth::True) => Truth::True,
            (Truth::False, Truth::False) => Truth::False,
            _ => Truth::Unknown,
        }
    }
    fn not(self) -> Truth {
        match self {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
        }
    }
}

/// Normalised answers by question id, borrowed from where they were read.
pub type Answers<'a> = BTreeMap<&'a str, &'a Value>;

/// What a condition is evaluated against.
pub struct Facts<'a> {
    /// The tender profile, as JSON.
    pub profile: &'a serde_json::Value,
    /// The normalised answers known so far (none while generating documents).
    pub answers: Option<&'a Answers<'a>>,
}

impl Condition {
    /// Parses a condition; a syntax error is kept for lint to report.
    pub fn new(source: &str) -> Condition {
        Condition {
            source: source.to_string(),
            parsed: parse(source),
        }
    }

    /// The condition as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The parsed condition, or the syntax error.
    pub fn expr(&self) -> Result<&Expr, &SyntaxError> {
        self.parsed.as_ref()
    }

    /// The start of the condition as written, for a message: at most 60
    /// characters, `…` marking what is left out.
    pub fn excerpt(&self) -> String {
        excerpt(&self.source)
    }

    /// The question ids it depends on.
    pub fn answer_refs(&self) -> Vec<&str> {
        let mut out = Vec::new();
        if let Ok(e) = &self.parsed {
            e.visit(&mut |o| {
                if let Operand::Answer(id) = o {
                    out.push(id.as_str());
                }
            });
        }
        out
    }

    /// The profile paths it reads.
    pub fn profile_refs(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Ok(e) = &self.parsed {
            e.visit(&mut |o| {
                if let Operand::Profile(p) = o {
                    out.push(p.join("."));
                }
            });
        }
        out
    }

    /// Evaluates it; a condition that did not parse is `Unknown`.
    pub fn eval(&self, facts: &Facts<'_>) -> Truth {
        match &self.parsed {
            Ok(e) => e.eval(facts),
            Err(_) => Truth::Unknown,
        }
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl PartialEq for Condition {
    fn eq(&self, other: &Condition) -> bool {
        self.source == other.source
    }
}

impl Serialize for Condition {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.source)
    }
}

impl schemars::JsonSchema for Condition {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Condition".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An applicability condition, e.g. `profile.system.personal_data and SOV-03 == \"yes\"`",
            "type": "string"
        })
    }
}

impl<'de> Deserialize<'de> for Condition {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Condition, D::Error> {
        Ok(Condition::new(&String::deserialize(d)?))
    }
}

impl Expr {
    fn visit<'a>(&'a self, f: &mut impl FnMut(&'a Operand)) {
        match self {
            Expr::And(a, b) | Expr::Or(a, b) => {
                a.visit(f);
                b.visit(f);
            }
            Expr::Not(a) => a.visit(f),
            Expr::Compare(l, r) => {
                l.visit(f);
                if let Some((_, r)) = r {
                    r.visit(f);
                }
            }
        }
    }

    fn eval(&self, facts: &Facts<'_>) -> Truth {
        match self {
            Expr::And(a, b) => a.eval(facts).and(b.eval(facts)),
            Expr::Or(a, b) => a.eval(facts).or(b.eval(facts)),
            Expr::Not(a) => a.eval(facts).not(),
            Expr::Compare(l, None) => match l.resolve(facts) {
                None => Truth::Unknown,
                Some(Term::Bool(b)) => Truth::from_bool(b),
                Some(Term::Text(t)) => Truth::from_bool(t == "yes"),
                Some(Term::List(v)) => Truth::from_bool(!v.is_empty()),
                Some(_) => Truth::False,
            },
            Expr::Compare(l, Some((op, r))) => match (l.resolve(facts), r.resolve(facts)) {
                (Some(l), Some(r)) => Truth::from_bool(compare(&l, *op, &r)),
                _ => Truth::Unknown,
            },
        }
    }
}

impl Operand {
    fn visit<'a>(&'a self, f: &mut impl FnMut(&'a Operand)) {
        f(self);
        if let Operand::List(items) = self {
            items.iter().for_each(|i| i.visit(f));
        }
    }

    fn resolve(&self, facts: &Facts<'_>) -> Option<Term> {
        Some(match self {
            Operand::Profile(path) => {
                let mut v = facts.profile;
                for key in path {
                    v = v.get(key)?;
                }
                Term::from_json(v)
            }
            Operand::Answer(id) => Term::from_answer(facts.answers?.get(id.as_str()).copied()?),
            Operand::Text(t) => Term::Text(t.clone()),
            Operand::Number(n) => Term::Number(*n),
            Operand::Date(d) => Term::Date(*d),
            Operand::Bool(b) => Term::Bool(*b),
            Operand::List(items) => Term::List(
                items
                    .iter()
                    .map(|i| i.resolve(facts))
                    .collect::<Option<_>>()?,
            ),
        })
    }
}

/// A resolved operand.
#[derive(Debug, Clone, PartialEq)]
enum Term {
    Text(String),
    Number(f64),
    Date(Date),
    Bool(bool),
    List(Vec<Term>),
    Null,
}

impl Term {
    fn from_json(v: &serde_json::Value) -> Term {
        use serde_json::Value as J;
        match v {
            J::Bool(b) => Term::Bool(*b),
            J::Number(n) => Term::Number(n.as_f64().unwrap_or(f64::NAN)),
            J::String(s) => s
                .parse()
                .map(Term::Date)
                .unwrap_or_else(|_| Term::Text(s.clone())),
            J::Array(items) => Term::List(items.iter().map(Term::from_json).collect()),
            J::Null | J::Object(_) => Term::Null,
        }
    }

    fn from_answer(v: &Value) -> Term {
        match v {
            Value::Choice(c) | Value::Text(c) => Term::Text(c.clone()),
            Value::Choices(c) => Term::List(c.iter().cloned().map(Term::Text).collect()),
            Value::Number(n) => Term::Number(*n),
            Value::Date(d) => Term::Date(*d),
        }
    }

    fn order(&self, other: &Term) -> Option<std::cmp::Ordering> {
        match (self, other) {
            (Term::Number(a), Term::Number(b)) => a.partial_cmp(b),
            (Term::Date(a), Term::Date(b)) => Some(a.cmp(b)),
            (Term::Text(a), Term::Text(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }
}

fn compare(l: &Term, op: Op, r: &Term) -> bool {
    use std::cmp::Ordering::*;
    match op {
        Op::Eq => l.order(r) == Some(Equal) || l == r,
        Op::Ne => !(l.order(r) == Some(Equal) || l == r),
        Op::Lt => l.order(r) == Some(Less),
        Op::Le => matches!(l.order(r), Some(Less | Equal)),
        Op::Gt => l.order(r) == Some(Greater),
        Op::Ge => matches!(l.order(r), Some(Greater | Equal)),
        Op::In => match r {
            Term::List(items) => items.iter().any(|i| compare(l, Op::Eq, i)),
            _ => false,
        },
        Op::Contains => match l {
            Term::List(items) => items.iter().any(|i| compare(i, Op::Eq, r)),
            _ => false,
        },
    }
}

// ---- parsing ---------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Answer(String),
    Text(String),
    Number(f64),
    Date(Date),
    Op(Op),
    Open,
    Close,
    OpenList,
    CloseList,
    Comma,
}

fn is_answer_id(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 6
        && b[..3].iter().all(u8::is_ascii_uppercase)
        && b[3] == b'-'
        && b[4..].iter().all(u8::is_ascii_digit)
}

/// The start of `s`, at most 60 characters, `…` marking what is left out.
fn excerpt(s: &str) -> String {
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// The tokens of `src`, in one pass (each character is read once).
fn tokens(src: &str) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(c) = src[i..].chars().next() {
        let rest = &src[i..];
        match c {
            _ if c.is_whitespace() => i += c.len_utf8(),
            '(' | ')' | '[' | ']' | ',' => {
                out.push(match c {
                    '(' => Token::Open,
                    ')' => Token::Close,
                    '[' => Token::OpenList,
                    ']' => Token::CloseList,
                    _ => Token::Comma,
                });
                i += 1;
            }
            '"' | '\'' => {
                let end = rest[1..]
                    .find(c)
                    .ok_or_else(|| format!("unclosed string starting at `{}`", excerpt(rest)))?;
                out.push(Token::Text(rest[1..1 + end].to_string()));
                i += end + 2;
            }
            '=' | '!' | '<' | '>' => {
                let two = rest.get(..2).unwrap_or("");
                let (op, len) = match two {
                    "==" => (Op::Eq, 2),
                    "!=" => (Op::Ne, 2),
                    "<=" => (Op::Le, 2),
                    ">=" => (Op::Ge, 2),
                    _ if c == '<' => (Op::Lt, 1),
                    _ if c == '>' => (Op::Gt, 1),
                    _ => {
                        return Err(format!(
                            "unknown operator at `{}` (use == or !=)",
                            excerpt(rest)
                        ));
                    }
                };
                out.push(Token::Op(op));
                i += len;
            }
            _ if c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.' => {
                let len = rest
                    .bytes()
                    .take_while(|d| d.is_ascii_alphanumeric() || matches!(d, b'_' | b'-' | b'.'))
                    .count();
                out.push(word_token(&rest[..len])?);
                i += len;
            }
            _ => return Err(format!("unexpected character `{}`", c.escape_default())),
        }
    }
    Ok(out)
}

fn word_token(word: &str) -> Result<Token, String> {
    if is_answer_id(word) {
        return Ok(Token::Answer(word.to_string()));
    }
    if word.len() == 10 && word.as_bytes()[4] == b'-' {
        return word.parse().map(Token::Date).map_err(|e| e.to_string());
    }
    if word.starts_with(|c: char| c.is_ascii_digit() || c == '-') {
        return word
            .parse()
            .map(Token::Number)
            .map_err(|_| format!("`{}` is not a number", excerpt(word)));
    }
    Ok(match word {
        "in" => Token::Op(Op::In),
        "contains" => Token::Op(Op::Contains),
        _ => Token::Word(word.to_string()),
    })
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    /// Parentheses, `not` and lists open at this point.
    depth: usize,
}

fn parse(src: &str) -> Result<Expr, SyntaxError> {
    let chars = src.chars().count();
    if chars > MAX_CHARS {
        return Err(SyntaxError::TooLong { chars });
    }
    let mut p = Parser {
        tokens: tokens(src)?,
        pos: 0,
        depth: 0,
    };
    if p.tokens.is_empty() {
        return Err("empty condition".into());
    }
    let e = p.or()?;
    match p.tokens.get(p.pos) {
        None => Ok(e),
        Some(t) => Err(format!("unexpected {} after a complete condition", describe(t)).into()),
    }
}

fn describe(t: &Token) -> String {
    match t {
        Token::Word(w) | Token::Answer(w) => format!("`{}`", excerpt(w)),
        Token::Text(s) => format!("\"{}\"", excerpt(s)),
        Token::Number(n) => format!("`{}`", excerpt(&n.to_string())),
        Token::Date(d) => format!("`{d}`"),
        Token::Op(o) => format!("operator {o:?}"),
        Token::Open => "`(`".into(),
        Token::Close => "`)`".into(),
        Token::OpenList => "`[`".into(),
        Token::CloseList => "`]`".into(),
        Token::Comma => "`,`".into(),
    }
}

impl Parser {
    fn peek_word(&self, w: &str) -> bool {
        matches!(self.tokens.get(self.pos), Some(Token::Word(x)) if x == w)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn or(&mut self) -> Result<Expr, SyntaxError> {
        let mut e = self.and()?;
        while self.peek_word("or") {
            self.pos += 1;
            e = Expr::Or(Box::new(e), Box::new(self.and()?));
        }
        Ok(e)
    }

    fn and(&mut self) -> Result<Expr, SyntaxError> {
        let mut e = self.unary()?;
        while self.peek_word("and") {
            self.pos += 1;
            e = Expr::And(Box::new(e), Box::new(self.unary()?));
        }
        Ok(e)
    }

    /// Enters a parenthesis, `not` or list; refused past [`MAX_DEPTH`].
    fn enter(&mut self) -> Result<(), SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(SyntaxError::TooDeep);
        }
        Ok(())
    }

    fn unary(&mut self) -> Result<Expr, SyntaxError> {
        if self.peek_word("not") {
            self.pos += 1;
            self.enter()?;
            let e = Expr::Not(Box::new(self.unary()?));
            self.depth -= 1;
            return Ok(e);
        }
        if self.tokens.get(self.pos) == Some(&Token::Open) {
            self.pos += 1;
            self.enter()?;
            let e = self.or()?;
            self.depth -= 1;
            return match self.next() {
                Some(Token::Close) => Ok(e),
                _ => Err("missing `)`".into()),
            };
        }
        let left = self.operand()?;
        if let Some(Token::Op(op)) = self.tokens.get(self.pos).cloned() {
            self.pos += 1;
            let right = self.operand()?;
            if op == Op::In && !matches!(right, Operand::List(_)) {
                return Err("`in` needs a list on its right, such as [\"a\", \"b\"]".into());
            }
            return Ok(Expr::Compare(left, Some((op, right))));
        }
        Ok(Expr::Compare(left, None))
    }

    fn operand(&mut self) -> Result<Operand, SyntaxError> {
        match self.next() {
            Some(Token::Answer(id)) => Ok(Operand::Answer(id)),
            Some(Token::Text(s)) => Ok(Operand::Text(s)),
            Some(Token::Number(n)) => Ok(Operand::Number(n)),
            Some(Token::Date(d)) => Ok(Operand::Date(d)),
            Some(Token::Word(w)) => match w.as_str() {
                "true" => Ok(Operand::Bool(true)),
                "false" => Ok(Operand::Bool(false)),
                _ => match w.strip_prefix("profile.") {
                    Some(path) if !path.is_empty() && !path.split('.').any(str::is_empty) => Ok(
                        Operand::Profile(path.split('.').map(String::from).collect()),
                    ),
                    _ => Err(format!(
                        "unknown name `{}`: write profile.<field> or a question id such as SOV-03",
                        excerpt(&w)
                    )
                    .into()),
                },
            },
            Some(Token::OpenList) => {
                self.enter()?;
                let mut items = Vec::new();
                loop {
                    if self.tokens.get(self.pos) == Some(&Token::CloseList) {
                        self.pos += 1;
                        break;
                    }
                    items.push(self.operand()?);
                    match self.next() {
                        Some(Token::Comma) => {}
                        Some(Token::CloseList) => break,
                        _ => return Err("missing `]` or `,` in a list".into()),
                    }
                }
                self.depth -= 1;
                Ok(Operand::List(items))
            }
            Some(t) => Err(format!("expected a value, found {}", describe(&t)).into()),
            None => Err("the condition ends too early".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn eval(src: &str, profile: serde_json::Value, answers: Option<&[(&str, Value)]>) -> Truth {
        let c = Condition::new(src);
        assert!(c.expr().is_ok(), "{src}: {:?}", c.expr());
        let map: Option<Answers> = answers.map(|a| a.iter().map(|(k, v)| (*k, v)).collect());
        c.eval(&Facts {
            profile: &profile,
            answers: map.as_ref(),
        })
    }

    #[test]
    fn profile_conditions() {
        let p = json!({"system": {"personal_data": true, "kind": "vision", "months": 48},
                       "dates": {"go_live": "2027-06-01"}});
        assert_eq!(
            eval("profile.system.personal_data", p.clone(), None),
            Truth::True
        );
        assert_eq!(
            eval("not profile.system.personal_data", p.clone(), None),
            Truth::False
        );
        assert_eq!(
            eval(
                "profile.system.kind in [\"generative\", 'vision']",
                p.clone(),
                None
            ),
            Truth::True
        );
        assert_eq!(
            eval("profile.system.months >= 48", p.clone(), None),
            Truth::True
        );
        assert_eq!(
            eval("profile.dates.go_live >= 2026-08-02", p.clone(), None),
            Truth::True
        );
        assert_eq!(
            eval(
                "profile.system.kind == \"vision\" and (profile.system.months < 12 or true)",
                p,
                None
            ),
            Truth::True
        );
    }

    #[test]
    fn answer_conditions_are_unknown_until_answered() {
        let p = json!({"system": {"personal_data": false}});
        assert_eq!(eval("SOV-03 == \"yes\"", p.clone(), None), Truth::Unknown);
        assert_eq!(
            eval(
                "profile.system.personal_data and SOV-03 == \"yes\"",
                p.clone(),
                None
            ),
            Truth::False
        );
        let yes = [("SOV-03", Value::Choice("yes".into()))];
        assert_eq!(
            eval("SOV-03 == \"yes\"", p.clone(), Some(&yes)),
            Truth::True
        );
        assert_eq!(
            eval("SOV-03 == \"yes\"", p.clone(), Some(&[])),
            Truth::Unknown
        );
        let multi = [("REV-01", Value::Choices(vec!["csv".into(), "json".into()]))];
        assert_eq!(
            eval("REV-01 contains \"json\"", p.clone(), Some(&multi)),
            Truth::True
        );
        assert_eq!(
            eval("REV-01 contains \"xml\"", p, Some(&multi)),
            Truth::False
        );
    }

    #[test]
    fn lists_references() {
        let c = Condition::new(
            "profile.system.health_data or (ALT-05 == \"yes\" and not SOV-01 in [\"FR\"])",
        );
        assert_eq!(c.answer_refs(), ["ALT-05", "SOV-01"]);
        assert_eq!(c.profile_refs(), ["system.health_data"]);
    }

    #[test]
    fn syntax_errors_say_what_is_wrong() {
        for (src, msg) in [
            ("", "empty"),
            ("personal_data", "unknown name `personal_data`"),
            ("profile.x = 1", "unknown operator"),
            ("profile.x in \"a\"", "needs a list"),
            ("(profile.x", "missing `)`"),
            ("profile.x == \"a", "unclosed string"),
            ("profile.x profile.y", "unexpected"),
            ("profile.x == 2027-13-01", "not a date"),
        ] {
            let err = Condition::new(src).expr().unwrap_err().to_string();
            assert!(err.contains(msg), "{src}: {err}");
        }
        // A message quotes an excerpt, however long the value (fuzz target
        // `condition`: a number of 200 digits after a complete condition).
        let src = format!("\"a\" {}", "8".repeat(300));
        let err = Condition::new(&src).expr().unwrap_err().to_string();
        assert!(
            err.starts_with("unexpected `8888") && err.len() < 150,
            "{err}"
        );
    }
}
