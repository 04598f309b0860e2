//! A condition in words, for the documents people read (annex, questionnaire,
//! plan): `BIO-11 == "yes"` becomes « si la réponse à BIO-11 est « Oui » »,
//! `profile.system.ai_act_risk == "high"` « si le système est à haut risque au
//! sens du règlement sur l'IA ».
//!
//! Answers are named by their question id and the label of the choice (a
//! [`ChoiceLabel`] supplied by the caller, usually
//! [`crate::selection::Selection::condition_in_words`]); profile fields by a
//! phrase of their own (a generic but readable one for a field this module
//! does not know). Negations are pushed down to the comparisons
//! (`not (A and B)` reads « A is not … or B is not … »), so that « ne … pas »
//! sits where French puts it. `or` at the top repeats « si » (« si A ou si
//! B »); an `or` inside an `and` reads « soit A, soit B » (« either A or B »).
//!
//! Values are quoted with [`typography::quote`]: « » with narrow no-break
//! spaces inside in French, “ ” in English. Apostrophes stay as written
//! (straight), like the rest of the questionnaire; documents that apply
//! [`typography::apply`] (the annex) curl them with the rest of the line.

use super::{Condition, Expr, Facts, Op, Operand, Truth};
use crate::office::typography;
use crate::text::{self, Lang};

/// The label of a choice in the document's language: `(question id, choice
/// id)` → label, `None` when the caller does not know that question or choice
/// (the value is then printed as written, between quotes; `yes`/`no` as
/// Oui/Non).
pub type ChoiceLabel<'a> = dyn Fn(&str, &str) -> Option<String> + 'a;

impl Condition {
    /// The condition in words, as a clause starting with « si » (« if »):
    /// `si la réponse à BIO-11 est « Oui »`. A condition that does not parse
    /// (lint refuses such a library) reads « si une autre réponse le prévoit ».
    pub fn describe(&self, lang: Lang, label: &ChoiceLabel<'_>) -> String {
        match &self.parsed {
            Ok(e) => e.describe(lang, label),
            Err(_) => tr(
                lang,
                "si une autre réponse le prévoit",
                "if another answer calls for it",
            )
            .into(),
        }
    }
}

impl Expr {
    /// The expression in words; see [`Condition::describe`].
    pub fn describe(&self, lang: Lang, label: &ChoiceLabel<'_>) -> String {
        let words = Words { lang, label };
        sentence(&words.node(self, false), lang)
    }
}

/// A condition in words, negations pushed down to the comparisons.
enum Node {
    /// A comparison, as a clause (« la réponse à BIO-11 est « Oui » »).
    Atom(String),
    /// All hold.
    All(Vec<Node>),
    /// One holds.
    Any(Vec<Node>),
}

fn tr<'a>(lang: Lang, fr: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Fr => fr,
        Lang::En => en,
    }
}

/// The whole condition: « si A ou si B », « si A et B ».
fn sentence(n: &Node, lang: Lang) -> String {
    let si = tr(lang, "si ", "if ");
    match n {
        Node::Any(items) => items
            .iter()
            .map(|i| format!("{si}{}", clause(i, lang)))
            .collect::<Vec<_>>()
            .join(tr(lang, " ou ", " or ")),
        _ => format!("{si}{}", clause(n, lang)),
    }
}

/// A node inside the sentence: « A, B et C », « soit A, soit B ».
fn clause(n: &Node, lang: Lang) -> String {
    match n {
        Node::Atom(s) => s.clone(),
        Node::All(items) => {
            let parts: Vec<String> = items.iter().map(|i| clause(i, lang)).collect();
            enumerate(&parts, tr(lang, "et", "and"))
        }
        Node::Any(items) => {
            let parts: Vec<String> = items.iter().map(|i| clause(i, lang)).collect();
            match lang {
                Lang::Fr => parts
                    .iter()
                    .map(|p| format!("soit {p}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                Lang::En => format!("either {}", enumerate(&parts, "or")),
            }
        }
    }
}

/// `a, b et c`.
fn enumerate(parts: &[String], last: &str) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., tail] => format!("{} {last} {tail}", init.join(", ")),
    }
}

/// `ni a ni b` / `neither a nor b`.
fn neither(parts: &[String], lang: Lang) -> String {
    match lang {
        Lang::Fr => parts
            .iter()
            .map(|p| format!("ni {p}"))
            .collect::<Vec<_>>()
            .join(" "),
        Lang::En => format!("neither {}", parts.join(" nor ")),
    }
}

/// What a profile field reads like.
enum Field {
    /// A yes/no fact: the clause when it holds, and when it does not.
    Flag {
        fr: (&'static str, &'static str),
        en: (&'static str, &'static str),
    },
    /// One of a few values: subject « est » value (`values`: id, French, English), then `suffix`.
    Choice {
        subject: (&'static str, &'static str),
        suffix: (&'static str, &'static str),
        values: &'static [(&'static str, &'static str, &'static str)],
    },
    /// A number (feminine subject in French), with its unit.
    Amount {
        subject: (&'static str, &'static str),
        unit: Option<&'static str>,
    },
    /// A date (feminine subject in French).
    Day {
        subject: (&'static str, &'static str),
    },
}

/// The phrase of each profile field conditions read (path without `profile.`).
fn field(path: &str) -> Option<Field> {
    use Field::*;
    Some(match path {
        "system.used_by_public" => Flag {
            fr: (
                "le système est utilisé par le public",
                "le système n'est pas utilisé par le public",
            ),
            en: (
                "the system is used by the public",
                "the system is not used by the public",
            ),
        },
        "system.used_by_agents" => Flag {
            fr: (
                "le système est utilisé par les agents de l'acheteur",
                "le système n'est pas utilisé par les agents de l'acheteur",
            ),
            en: (
                "the system is used by the buyer's staff",
                "the system is not used by the buyer's staff",
            ),
        },
        "system.personal_data" => Flag {
            fr: (
                "le système traite des données à caractère personnel",
                "le système ne traite pas de données à caractère personnel",
            ),
            en: (
                "the system processes personal data",
                "the system does not process personal data",
            ),
        },
        "system.health_data" => Flag {
            fr: (
                "le système traite des données de santé",
                "le système ne traite pas de données de santé",
            ),
            en: (
                "the system processes health data",
                "the system does not process health data",
            ),
        },
        "system.individual_decisions" => Flag {
            fr: (
                "le système fonde ou prépare des décisions individuelles",
                "le système ne fonde ni ne prépare de décisions individuelles",
            ),
            en: (
                "the system grounds or prepares individual decisions about people",
                "the system neither grounds nor prepares individual decisions about people",
            ),
        },
        "system.special_category_inference" => Flag {
            fr: (
                "le système infère des catégories particulières de données",
                "le système n'infère pas de catégories particulières de données",
            ),
            en: (
                "the system infers special categories of data",
                "the system does not infer special categories of data",
            ),
        },
        "system.kind" => Choice {
            subject: ("le système", "the system"),
            suffix: ("", ""),
            values: &[
                (
                    "generative",
                    "une IA générative (texte, images, son)",
                    "a generative AI (text, images, sound)",
                ),
                ("predictive", "une IA prédictive", "a predictive AI"),
                (
                    "classification",
                    "une IA de classification",
                    "a classification AI",
                ),
                (
                    "vision",
                    "une IA de vision (images, vidéo)",
                    "a vision AI (images, video)",
                ),
                (
                    "speech",
                    "une IA de traitement de la parole (transcription, synthèse)",
                    "a speech AI (transcription, synthesis)",
                ),
                (
                    "optimisation",
                    "une IA d'optimisation",
                    "an optimisation AI",
                ),
                ("other", "une IA d'une autre nature", "another kind of AI"),
            ],
        },
        "system.deployment" => Choice {
            subject: ("le système", "the system"),
            suffix: ("", ""),
            values: &[
                (
                    "saas",
                    "hébergé par le titulaire (SaaS)",
                    "hosted by the vendor (SaaS)",
                ),
                (
                    "on_premise",
                    "installé dans les locaux de l'acheteur",
                    "installed on the buyer's premises",
                ),
                (
                    "hybrid",
                    "déployé en partie chez le titulaire et en partie dans les locaux de l'acheteur",
                    "deployed partly by the vendor and partly on the buyer's premises",
                ),
            ],
        },
        "system.ai_act_risk" => Choice {
            subject: ("le système", "the system"),
            suffix: (" au sens du règlement sur l'IA", " under the AI Act"),
            values: &[
                ("high", "à haut risque", "high-risk"),
                (
                    "limited",
                    "à risque limité (obligations de transparence seulement)",
                    "limited-risk (transparency obligations only)",
                ),
                ("minimal", "à risque minimal", "minimal-risk"),
            ],
        },
        "tender.language" => Choice {
            subject: ("la langue des documents", "the language of the documents"),
            suffix: ("", ""),
            values: &[
                ("fr", "le français", "French"),
                ("en", "l'anglais", "English"),
            ],
        },
        "thresholds.hosting_zone" => Choice {
            subject: ("la zone d'hébergement admise", "the hosting zone allowed"),
            suffix: ("", ""),
            values: &[
                (
                    "eu_eea",
                    "l'Union européenne et l'EEE",
                    "the European Union and the EEA",
                ),
                ("eu", "l'Union européenne", "the European Union"),
            ],
        },
        "dates.contract_months" => Amount {
            subject: ("la durée du marché", "the length of the contract"),
            unit: Some("months"),
        },
        "award.compass_share" => Amount {
            subject: (
                "la part de la note portée par la boussole",
                "the share of the mark carried by the compass",
            ),
            unit: Some("points"),
        },
        "dates.launch" => Day {
            subject: (
                "la date d'envoi de l'avis de publicité",
                "the date the contract notice is sent",
            ),
        },
        "dates.offers_due" => Day {
            subject: (
                "la date limite de remise des offres",
                "the deadline for offers",
            ),
        },
        "dates.award_date" => Day {
            subject: (
                "la date prévisionnelle d'attribution",
                "the planned award date",
            ),
        },
        "dates.contract_start" => Day {
            subject: (
                "la date de début d'exécution du marché",
                "the contract start date",
            ),
        },
        "dates.contract_end" => Day {
            subject: ("la date de fin du marché", "the contract end date"),
        },
        "dates.go_live" => Day {
            subject: (
                "la date de mise en service prévue",
                "the planned go-live date",
            ),
        },
        _ => return None,
    })
}

/// What the values compared with a subject are printed as.
enum Style<'a> {
    /// Choice ids of this question's answer, printed as their labels.
    Answer(&'a str),
    /// The values of a profile field with a few values.
    Choice(&'static [(&'static str, &'static str, &'static str)]),
    /// Numbers with this unit.
    Amount(Option<&'static str>),
    /// As written.
    Plain,
}

/// The left side of a comparison, as a noun phrase.
struct Subject<'a> {
    noun: String,
    suffix: &'static str,
    style: Style<'a>,
}

struct Words<'a, 'b> {
    lang: Lang,
    label: &'a ChoiceLabel<'b>,
}

impl Words<'_, '_> {
    fn tr<'s>(&self, fr: &'s str, en: &'s str) -> &'s str {
        tr(self.lang, fr, en)
    }

    fn quote(&self, s: &str) -> String {
        typography::quote(s, self.lang)
    }

    fn pick(&self, pair: (&'static str, &'static str)) -> &'static str {
        tr(self.lang, pair.0, pair.1)
    }

    /// `e` in words, negated when `negated` (De Morgan down to the comparisons).
    fn node(&self, e: &Expr, negated: bool) -> Node {
        let join = |a: &Expr, b: &Expr, all: bool| {
            let mut items = Vec::new();
            for n in [self.node(a, negated), self.node(b, negated)] {
                match (n, all) {
                    (Node::All(inner), true) | (Node::Any(inner), false) => items.extend(inner),
                    (n, _) => items.push(n),
                }
            }
            if all {
                Node::All(items)
            } else {
                Node::Any(items)
            }
        };
        match e {
            Expr::And(a, b) => join(a, b, !negated),
            Expr::Or(a, b) => join(a, b, negated),
            Expr::Not(a) => self.node(a, !negated),
            Expr::Compare(l, None) => Node::Atom(self.bare(l, negated)),
            Expr::Compare(l, Some((op, r))) => Node::Atom(self.compare(l, *op, r, negated)),
        }
    }

    /// A bare operand, true when it is `true`, `"yes"` or a non-empty list.
    fn bare(&self, o: &Operand, negated: bool) -> String {
        match o {
            Operand::Profile(path) => match field(&path.join(".")) {
                Some(Field::Flag { fr, en }) => {
                    let (yes, no) = if self.lang == Lang::Fr { fr } else { en };
                    (if negated { no } else { yes }).to_string()
                }
                _ => {
                    let subject = self.subject(o);
                    let verb = match (self.lang, negated) {
                        (Lang::Fr, false) => "vaut",
                        (Lang::Fr, true) => "ne vaut pas",
                        (Lang::En, false) => "is",
                        (Lang::En, true) => "is not",
                    };
                    let yes = self.quote(self.tr("oui", "yes"));
                    format!("{} {verb} {yes}", subject.noun)
                }
            },
            Operand::Answer(id) if (self.label)(id, "yes").is_some() => {
                self.compare(o, Op::Eq, &Operand::Text("yes".into()), negated)
            }
            Operand::Answer(id) => match (self.lang, negated) {
                (Lang::Fr, false) => format!("la réponse à {id} comprend au moins un choix"),
                (Lang::Fr, true) => format!("la réponse à {id} ne comprend aucun choix"),
                (Lang::En, false) => format!("the answer to {id} includes at least one choice"),
                (Lang::En, true) => format!("the answer to {id} includes no choice"),
            },
            _ => {
                let nothing = serde_json::Value::Null;
                let facts = Facts {
                    profile: &nothing,
                    answers: None,
                };
                let holds = Expr::Compare(o.clone(), None).eval(&facts) == Truth::True;
                self.always(holds != negated)
            }
        }
    }

    fn always(&self, holds: bool) -> String {
        match holds {
            true => self.tr("dans tous les cas", "in every case").into(),
            false => self.tr("dans aucun cas", "in no case").into(),
        }
    }

    /// The left side of a comparison as a noun phrase.
    fn subject<'o>(&self, o: &'o Operand) -> Subject<'o> {
        let plain = |noun: String| Subject {
            noun,
            suffix: "",
            style: Style::Plain,
        };
        match o {
            Operand::Answer(id) => Subject {
                noun: format!("{} {id}", self.tr("la réponse à", "the answer to")),
                suffix: "",
                style: Style::Answer(id),
            },
            Operand::Profile(path) => match field(&path.join(".")) {
                Some(Field::Choice {
                    subject,
                    suffix,
                    values,
                }) => Subject {
                    noun: self.pick(subject).into(),
                    suffix: self.pick(suffix),
                    style: Style::Choice(values),
                },
                Some(Field::Amount { subject, unit }) => Subject {
                    noun: self.pick(subject).into(),
                    suffix: "",
                    style: Style::Amount(unit),
                },
                Some(Field::Day { subject }) => plain(self.pick(subject).into()),
                Some(Field::Flag { .. }) | None => {
                    let last = path.last().map_or("", String::as_str).replace('_', " ");
                    plain(match self.lang {
                        Lang::Fr => format!(
                            "la rubrique {} du profil de la consultation",
                            self.quote(&last)
                        ),
                        Lang::En => {
                            format!("the tender profile's {} entry", self.quote(&last))
                        }
                    })
                }
            },
            other => plain(self.value(other, &Style::Plain)),
        }
    }

    /// A value compared with a subject, in the subject's style.
    fn value(&self, o: &Operand, style: &Style<'_>) -> String {
        match o {
            Operand::Text(t) => match style {
                Style::Answer(id) => {
                    let label = (self.label)(id, t).or_else(|| match t.as_str() {
                        "yes" => Some(self.tr("Oui", "Yes").into()),
                        "no" => Some(self.tr("Non", "No").into()),
                        _ => None,
                    });
                    self.quote(label.as_deref().unwrap_or(t))
                }
                Style::Choice(values) => match values.iter().find(|v| v.0 == t) {
                    Some(v) => self.tr(v.1, v.2).into(),
                    None => self.quote(t),
                },
                Style::Amount(_) | Style::Plain => self.quote(t),
            },
            Operand::Number(n) => {
                let n = text::number(*n, self.lang);
                match style {
                    Style::Amount(Some(unit)) => match text::unit(unit, self.lang) {
                        u if u.is_empty() => n,
                        u => format!("{n} {u}"),
                    },
                    _ => n,
                }
            }
            Operand::Date(d) => d.in_words(self.lang),
            Operand::Bool(b) => self.quote(match (b, self.lang) {
                (true, Lang::Fr) => "oui",
                (false, Lang::Fr) => "non",
                (true, Lang::En) => "yes",
                (false, Lang::En) => "no",
            }),
            Operand::List(items) => {
                let parts: Vec<String> = items.iter().map(|i| self.value(i, style)).collect();
                enumerate(&parts, self.tr("ou", "or"))
            }
            Operand::Answer(_) | Operand::Profile(_) => self.subject(o).noun,
        }
    }

    /// `l op r` in words, negated when `negated`.
    fn compare(&self, l: &Operand, op: Op, r: &Operand, negated: bool) -> String {
        let named = |o: &Operand| matches!(o, Operand::Answer(_) | Operand::Profile(_));
        // A value on the left and a name on the right: read it the other way round.
        if !named(l) && named(r) && !matches!(op, Op::In | Op::Contains) {
            return self.compare(r, mirror(op), l, negated);
        }
        // `!=` is a negated `==`; a negated order is the opposite order.
        let (op, negated) = match (op, negated) {
            (Op::Ne, n) => (Op::Eq, !n),
            (Op::Lt, true) => (Op::Ge, false),
            (Op::Le, true) => (Op::Gt, false),
            (Op::Gt, true) => (Op::Le, false),
            (Op::Ge, true) => (Op::Lt, false),
            other => other,
        };
        if let (Operand::Profile(path), Op::Eq, Operand::Bool(b)) = (l, op, r)
            && let Some(Field::Flag { .. }) = field(&path.join("."))
        {
            return self.bare(l, negated == *b);
        }
        let subject = self.subject(l);
        let value = self.value(r, &subject.style);
        let predicate = self.predicate(op, negated, r, &subject.style, value);
        format!("{} {predicate}{}", subject.noun, subject.suffix)
    }

    /// What follows the subject: « est « Oui » », « est antérieure au 2 août 2026 ».
    fn predicate(
        &self,
        op: Op,
        negated: bool,
        r: &Operand,
        style: &Style<'_>,
        value: String,
    ) -> String {
        let fr = self.lang == Lang::Fr;
        let is_date = matches!(r, Operand::Date(_));
        let is_number = matches!(r, Operand::Number(_));
        match op {
            Op::In => {
                let parts: Vec<String> = match r {
                    Operand::List(items) => items.iter().map(|i| self.value(i, style)).collect(),
                    _ => vec![value],
                };
                match (fr, negated, parts.len()) {
                    (true, false, _) => format!("est {}", enumerate(&parts, "ou")),
                    (false, false, _) => format!("is {}", enumerate(&parts, "or")),
                    (true, true, 1) => format!("n'est pas {}", parts[0]),
                    (false, true, 1) => format!("is not {}", parts[0]),
                    (true, true, _) => format!("n'est {}", neither(&parts, self.lang)),
                    (false, true, _) => format!("is {}", neither(&parts, self.lang)),
                }
            }
            Op::Contains => match (fr, negated) {
                (true, false) => format!("comprend {value}"),
                (true, true) => format!("ne comprend pas {value}"),
                (false, false) => format!("includes {value}"),
                (false, true) => format!("does not include {value}"),
            },
            Op::Eq | Op::Ne => match (fr, negated, is_date, is_number) {
                (true, false, true, _) => format!("est le {value}"),
                (true, true, true, _) => format!("n'est pas le {value}"),
                (true, false, _, true) => format!("est égale à {value}"),
                (true, true, _, true) => format!("n'est pas égale à {value}"),
                (true, false, ..) => format!("est {value}"),
                (true, true, ..) => format!("n'est pas {value}"),
                (false, false, ..) => format!("is {value}"),
                (false, true, ..) => format!("is not {value}"),
            },
            Op::Lt | Op::Le | Op::Gt | Op::Ge => match (fr, is_date, op) {
                (true, true, Op::Lt) => format!("est antérieure au {value}"),
                (true, true, Op::Le) => format!("est le {value} ou une date antérieure"),
                (true, true, Op::Gt) => format!("est postérieure au {value}"),
                (true, true, _) => format!("est le {value} ou une date postérieure"),
                (true, false, Op::Lt) => format!("est inférieure à {value}"),
                (true, false, Op::Le) => format!("est inférieure ou égale à {value}"),
                (true, false, Op::Gt) => format!("est supérieure à {value}"),
                (true, false, _) => format!("est supérieure ou égale à {value}"),
                (false, true, Op::Lt) => format!("is before {value}"),
                (false, true, Op::Le) => format!("is on or before {value}"),
                (false, true, Op::Gt) => format!("is after {value}"),
                (false, true, _) => format!("is on or after {value}"),
                (false, false, Op::Lt) => format!("is less than {value}"),
                (false, false, Op::Le) => format!("is at most {value}"),
                (false, false, Op::Gt) => format!("is more than {value}"),
                (false, false, _) => format!("is at least {value}"),
            },
        }
    }
}

/// The operator read from the other side: `a < b` is `b > a`.
fn mirror(op: Op) -> Op {
    match op {
        Op::Lt => Op::Gt,
        Op::Le => Op::Ge,
        Op::Gt => Op::Lt,
        Op::Ge => Op::Le,
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// French spacing inside guillemets, as the documents print them.
    fn nb(s: &str) -> String {
        s.replace("« ", "«\u{202f}").replace(" »", "\u{202f}»")
    }

    /// Labels of a few choices, as a selection would give them.
    fn label(lang: Lang) -> impl Fn(&str, &str) -> Option<String> {
        move |q, c| {
            let (fr, en) = match (q, c) {
                ("BIO-11", "yes") => ("Oui", "Yes"),
                ("BIO-11", "no") => ("Non", "No"),
                ("PUB-05", "validated_by_agent") => (
                    "Après relecture et validation par un agent",
                    "After review and validation by a staff member",
                ),
                ("REV-02", "csv") => ("CSV", "CSV"),
                ("LEG-02", "transparency_only") => (
                    "Obligations de transparence de l'article 50 seulement",
                    "Article 50 transparency obligations only",
                ),
                ("LEG-02", "minimal") => ("Risque minimal", "Minimal risk"),
                ("LEG-02", "high_annex_iii") => (
                    "Haut risque au titre de l'annexe III",
                    "High risk under Annex III",
                ),
                _ => return None,
            };
            Some(tr(lang, fr, en).to_string())
        }
    }

    fn words(src: &str, lang: Lang) -> String {
        let c = Condition::new(src);
        assert!(c.expr().is_ok(), "{src}: {:?}", c.expr());
        c.describe(lang, &label(lang))
    }

    #[test]
    fn answers_are_named_by_question_and_choice_label() {
        let fr = |s| words(s, Lang::Fr);
        let en = |s| words(s, Lang::En);
        assert_eq!(
            fr(r#"BIO-11 == "yes""#),
            nb("si la réponse à BIO-11 est « Oui »")
        );
        assert_eq!(en(r#"BIO-11 == "yes""#), "if the answer to BIO-11 is “Yes”");
        assert_eq!(
            fr(r#"PUB-05 != "validated_by_agent""#),
            nb("si la réponse à PUB-05 n'est pas « Après relecture et validation par un agent »")
        );
        assert_eq!(
            en(r#"PUB-05 != "validated_by_agent""#),
            "if the answer to PUB-05 is not “After review and validation by a staff member”"
        );
        assert_eq!(
            fr(r#"REV-02 contains "csv""#),
            nb("si la réponse à REV-02 comprend « CSV »")
        );
        assert_eq!(
            en(r#"not REV-02 contains "csv""#),
            "if the answer to REV-02 does not include “CSV”"
        );
        assert_eq!(
            fr(r#"LEG-02 in ["transparency_only", "minimal"]"#),
            nb(
                "si la réponse à LEG-02 est « Obligations de transparence de l'article 50 seulement » ou « Risque minimal »"
            )
        );
        assert_eq!(
            fr(r#"not LEG-02 in ["transparency_only", "minimal"]"#),
            nb(
                "si la réponse à LEG-02 n'est ni « Obligations de transparence de l'article 50 seulement » ni « Risque minimal »"
            )
        );
        assert_eq!(
            en(r#"not LEG-02 in ["transparency_only", "minimal"]"#),
            "if the answer to LEG-02 is neither “Article 50 transparency obligations only” nor “Minimal risk”"
        );
        // A question the caller does not know: yes/no still in words.
        assert_eq!(
            fr(r#"SOV-03 == "no""#),
            nb("si la réponse à SOV-03 est « Non »")
        );
        assert_eq!(fr("BIO-11"), nb("si la réponse à BIO-11 est « Oui »"));
    }

    #[test]
    fn profile_facts_read_as_sentences() {
        let fr = |s| words(s, Lang::Fr);
        let en = |s| words(s, Lang::En);
        assert_eq!(
            fr(r#"profile.system.ai_act_risk == "high""#),
            "si le système est à haut risque au sens du règlement sur l'IA"
        );
        assert_eq!(
            en(r#"profile.system.ai_act_risk == "high""#),
            "if the system is high-risk under the AI Act"
        );
        assert_eq!(
            fr("profile.system.used_by_public"),
            "si le système est utilisé par le public"
        );
        assert_eq!(
            fr("not profile.system.health_data"),
            "si le système ne traite pas de données de santé"
        );
        assert_eq!(
            fr("profile.system.health_data == false"),
            "si le système ne traite pas de données de santé"
        );
        assert_eq!(
            en("profile.system.personal_data != false"),
            "if the system processes personal data"
        );
        assert_eq!(
            fr(r#"profile.system.deployment != "on_premise""#),
            "si le système n'est pas installé dans les locaux de l'acheteur"
        );
        assert_eq!(
            fr(r#"profile.system.kind in ["generative", "vision"]"#),
            "si le système est une IA générative (texte, images, son) ou une IA de vision (images, vidéo)"
        );
        assert_eq!(
            fr("profile.dates.go_live >= 2026-08-02"),
            "si la date de mise en service prévue est le 2 août 2026 ou une date postérieure"
        );
        assert_eq!(
            fr("not profile.dates.launch < 2026-12-01"),
            "si la date d'envoi de l'avis de publicité est le 1er décembre 2026 ou une date postérieure"
        );
        assert_eq!(
            en("profile.dates.launch < 2026-12-01"),
            "if the date the contract notice is sent is before 1 December 2026"
        );
        assert_eq!(
            fr("profile.dates.contract_months > 48"),
            "si la durée du marché est supérieure à 48 mois"
        );
        assert_eq!(
            fr("12 < profile.dates.contract_months"),
            "si la durée du marché est supérieure à 12 mois"
        );
        // A field without a phrase of its own: still words, never the path.
        let fallback = fr("profile.thresholds.pue_max <= 1.5");
        assert_eq!(
            fallback,
            nb(
                "si la rubrique « pue max » du profil de la consultation est inférieure ou égale à 1,5"
            )
        );
        assert_eq!(
            en("profile.thresholds.pue_max <= 1.5"),
            "if the tender profile's “pue max” entry is at most 1.5"
        );
    }

    #[test]
    fn and_or_not_and_parentheses_in_words() {
        let fr = |s| words(s, Lang::Fr);
        let en = |s| words(s, Lang::En);
        let c = r#"profile.system.ai_act_risk == "high" or LEG-02 == "high_annex_iii""#;
        assert_eq!(
            fr(c),
            nb(
                "si le système est à haut risque au sens du règlement sur l'IA ou si la réponse à LEG-02 est « Haut risque au titre de l'annexe III »"
            )
        );
        assert_eq!(
            en(c),
            "if the system is high-risk under the AI Act or if the answer to LEG-02 is “High risk under Annex III”"
        );
        let c = r#"profile.system.used_by_public and PUB-05 != "validated_by_agent""#;
        assert_eq!(
            fr(c),
            nb(
                "si le système est utilisé par le public et la réponse à PUB-05 n'est pas « Après relecture et validation par un agent »"
            )
        );
        // not (A and B) is « not A or not B ».
        assert_eq!(
            fr(r#"not (profile.system.used_by_public and BIO-11 == "yes")"#),
            nb(
                "si le système n'est pas utilisé par le public ou si la réponse à BIO-11 n'est pas « Oui »"
            )
        );
        // An `or` inside an `and`.
        let c =
            r#"profile.system.personal_data and (BIO-11 == "yes" or profile.system.health_data)"#;
        assert_eq!(
            fr(c),
            nb(
                "si le système traite des données à caractère personnel et soit la réponse à BIO-11 est « Oui », soit le système traite des données de santé"
            )
        );
        assert_eq!(
            en(c),
            "if the system processes personal data and either the answer to BIO-11 is “Yes” or the system processes health data"
        );
        let three = "profile.system.used_by_public and profile.system.used_by_agents and profile.system.personal_data";
        assert_eq!(
            fr(three),
            "si le système est utilisé par le public, le système est utilisé par les agents de l'acheteur et le système traite des données à caractère personnel"
        );
    }

    /// Every `when` of the library, in both languages, with the library's
    /// labels: no operator, path, straight quote or choice id left.
    #[test]
    fn every_condition_of_the_library_reads_as_words() {
        let lib = crate::library::load(None).unwrap();
        let whens: Vec<&Condition> = lib
            .clauses
            .iter()
            .filter_map(|c| c.when.as_ref())
            .chain(lib.questions.iter().filter_map(|q| q.when.as_ref()))
            .collect();
        assert!(whens.len() > 10, "{}", whens.len());
        for lang in Lang::ALL {
            let label = |q: &str, c: &str| {
                let q = lib.question(q)?;
                let choice = q.effective_choices().into_iter().find(|x| x.id == c)?;
                Some(choice.label.get(lang).to_string())
            };
            for w in &whens {
                let out = w.describe(lang, &label);
                for bad in ["profile.", "==", "!=", "\"", " and ", " or ", "not ", "_"] {
                    if lang == Lang::En && matches!(bad, " and " | " or " | "not ") {
                        continue;
                    }
                    assert!(!out.contains(bad), "{w} ({lang}): {out}");
                }
                // Every profile field the library reads has a phrase of its own.
                for generic in ["du profil de la consultation", "tender profile"] {
                    assert!(!out.contains(generic), "{w} ({lang}): {out}");
                }
                assert!(
                    out.starts_with(tr(lang, "si ", "if ")),
                    "{w} ({lang}): {out}"
                );
                for id in w.answer_refs() {
                    assert!(out.contains(id), "{w} ({lang}): {out}");
                    let q = lib.question(id).unwrap();
                    for c in q.effective_choices() {
                        if c.id == c.label.get(lang) {
                            continue;
                        }
                        for quoted in [format!("«\u{202f}{}\u{202f}»", c.id), format!("“{}”", c.id)]
                        {
                            assert!(!out.contains(&quoted), "{w} ({lang}): {out}");
                        }
                    }
                }
            }
        }
    }
}
