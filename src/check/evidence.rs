//! Answers against the evidence files the offer attaches: each question
//! with an [`EvidenceCheck`] compared with the facts of the files
//! ([`crate::evidence`]). A file that agrees backs the answer (its document
//! requirement is met); one that disagrees is a finding `inconsistent` for
//! legal staff, naming the file and the place in it.

use crate::answer::Value;
use crate::evidence::{Activity, Attached, Basis, Claim, Evidence, Fact};
use crate::finding::{Code, Finding, FindingStatus};
use crate::library::EvidenceCheck;
use crate::profile::Profile;
use crate::selection::SelectedQuestion;
use crate::text::{Lang, number};

/// Relative gap between a figure answered and the file's beyond which they
/// disagree: 10 %, the precision a software measurement claims at best.
pub const TOLERANCE: f64 = 0.10;

/// What the evidence files say of one answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// No file speaks of it.
    Silent,
    /// A file backs it.
    Backs,
    /// The files disagree with it: why, in the reader's language, and the
    /// files at stake.
    Disagrees(String, Vec<String>),
}

/// What the attached files say of the answer `value` (typed `raw`) to `q`.
pub fn compare(
    q: &SelectedQuestion,
    value: Option<&Value>,
    raw: &str,
    attached: &Attached,
    profile: &Profile,
    lang: Lang,
) -> Outcome {
    let Some(check) = q.evidence_check else {
        return Outcome::Silent;
    };
    match check {
        EvidenceCheck::TaskEnergy => {
            // The runs measured on the reference task; failing those, a
            // benchmark the vendor measured (AI Energy Score), whose figure
            // is then the one stated. Published data on other solutions
            // (ML.ENERGY's estimates) are no measurement of the offer.
            let runs = attached.facts().any(|(_, f)| {
                matches!(
                    f.claim,
                    Claim::Energy {
                        activity: Activity::Run,
                        ..
                    }
                )
            });
            energy(q, value, attached, profile, lang, |f| match f.claim {
                Claim::Energy { activity, .. } if runs => activity == Activity::Run,
                Claim::Energy { activity, .. } => {
                    activity == Activity::Benchmark && f.basis == Basis::Measured
                }
                _ => false,
            })
        }
        EvidenceCheck::TrainingEnergy => {
            let fine_tuned = attached.facts().any(|(_, f)| {
                matches!(
                    f.claim,
                    Claim::Energy {
                        activity: Activity::FineTuning,
                        ..
                    }
                )
            });
            let wanted = if fine_tuned {
                Activity::FineTuning
            } else {
                Activity::Training
            };
            energy(
                q,
                value,
                attached,
                profile,
                lang,
                move |f| matches!(f.claim, Claim::Energy { activity, .. } if activity == wanted),
            )
        }
        EvidenceCheck::Licence => licence(raw, attached, lang),
        EvidenceCheck::TrainingData => named(raw, attached, lang, Named::Datasets),
        EvidenceCheck::Model => named(raw, attached, lang, Named::Models),
        EvidenceCheck::EnergyMethod => method(q, value, attached, lang),
    }
}

/// A method of measurement answered against how the files say their
/// energy figures for the task were obtained: a measurement answered while
/// every such figure is an estimate disagrees.
fn method(q: &SelectedQuestion, value: Option<&Value>, attached: &Attached, lang: Lang) -> Outcome {
    let Some(Value::Choice(id)) = value else {
        return Outcome::Silent;
    };
    let Some(choice) = q.choices.iter().find(|c| &c.id == id) else {
        return Outcome::Silent;
    };
    let figures: Vec<(&Evidence, &Fact)> = attached
        .facts()
        .filter(|(_, f)| {
            matches!(f.claim, Claim::Energy { activity, .. } if matches!(activity, Activity::Run | Activity::Benchmark))
        })
        .collect();
    if choice.method != Some(crate::library::Method::Measured) || figures.is_empty() {
        return Outcome::Silent;
    }
    if figures.iter().any(|(_, f)| f.basis != Basis::Estimated) {
        return Outcome::Backs;
    }
    let given: Vec<(&Evidence, &Fact, String)> = figures
        .iter()
        .map(|(e, f)| {
            (
                *e,
                *f,
                format!("{} ({})", f.claim.describe(lang), e.kind(lang)),
            )
        })
        .collect();
    let given: Vec<(&Evidence, &Fact, &str)> =
        given.iter().map(|(e, f, t)| (*e, *f, t.as_str())).collect();
    let (listed, files) = listing(&given, lang);
    let label = choice.label.get(lang);
    let why = match lang {
        Lang::Fr => format!(
            "La méthode déclarée (« {label} ») est une mesure ; les fichiers joints ne donnent que des estimations : {listed}."
        ),
        Lang::En => format!(
            "The method stated (\"{label}\") is a measurement; the attached files give only estimates: {listed}."
        ),
    };
    Outcome::Disagrees(why, files)
}

/// The finding of an answer the files disagree with.
pub fn finding(
    q: &SelectedQuestion,
    raw: &str,
    why: String,
    files: Vec<String>,
    lang: Lang,
) -> Finding {
    let mut f = Finding::about(q, Code::Inconsistent, FindingStatus::Suspect, raw, lang);
    f.message = why;
    f.related = files;
    f
}

/// A figure of energy against the files' energy facts that `of` keeps,
/// summed per file (a benchmark's figures each alone): backed when one is
/// within [`TOLERANCE`].
fn energy(
    q: &SelectedQuestion,
    value: Option<&Value>,
    attached: &Attached,
    profile: &Profile,
    lang: Lang,
    of: impl Fn(&Fact) -> bool,
) -> Outcome {
    let unit = q.unit.as_deref().unwrap_or("Wh");
    // What each file measures: its runs (or training) together, or each
    // benchmark figure alone (a configuration, a leaderboard's run).
    let mut per_file: Vec<(&Evidence, f64, Vec<&Fact>)> = Vec::new();
    for e in &attached.files {
        let facts: Vec<(&Fact, Activity, f64)> = e
            .facts
            .iter()
            .filter_map(|f| match f.claim {
                Claim::Energy { activity, wh } if of(f) => Some((f, activity, wh)),
                _ => None,
            })
            .collect();
        let (alone, together): (Vec<_>, Vec<_>) = facts
            .into_iter()
            .partition(|(_, a, _)| *a == Activity::Benchmark);
        for (f, _, wh) in alone {
            per_file.push((e, wh, vec![f]));
        }
        if !together.is_empty() {
            let wh = together.iter().map(|(_, _, wh)| wh).sum();
            per_file.push((e, wh, together.into_iter().map(|(f, ..)| f).collect()));
        }
    }
    let Some(answered) = (match value {
        Some(Value::Number(n)) => crate::evidence::fact::to_wh(*n, unit),
        _ => None,
    }) else {
        return Outcome::Silent;
    };
    if per_file.is_empty() {
        return Outcome::Silent;
    }
    let gap = |wh: f64| {
        if wh == 0.0 {
            f64::INFINITY
        } else {
            (answered - wh).abs() / wh
        }
    };
    if per_file.iter().any(|(_, wh, _)| gap(*wh) <= TOLERANCE) {
        return Outcome::Backs;
    }
    let Some((e, wh, facts)) = per_file.iter().min_by(|a, b| gap(a.1).total_cmp(&gap(b.1))) else {
        return Outcome::Silent;
    };
    let shown = |wh: f64| {
        let (v, u) = crate::evidence::fact::energy_shown(wh);
        format!("{} {u}", number(v, lang))
    };
    let places = facts
        .iter()
        .map(|f| f.at.describe(lang))
        .collect::<Vec<_>>()
        .join(", ");
    let percent = number((gap(*wh) * 100.0).round(), lang);
    let more = answered > *wh;
    let task = &profile.reference_task;
    let annual = match (
        task.annual_kwh(answered),
        task.annual_kwh(*wh),
        task.annual_volume,
        facts.iter().all(|f| {
            matches!(
                f.claim,
                Claim::Energy {
                    activity: Activity::Run | Activity::Benchmark,
                    ..
                }
            )
        }),
    ) {
        (Some(a), Some(m), Some(v), true) => {
            let kwh = |x: f64| number((x * 10.0).round() / 10.0, lang);
            let v = number(v as f64, lang);
            match lang {
                Lang::Fr => format!(
                    " Sur le volume annuel de la consultation ({v} tâches), {} kWh déclarés contre {} kWh selon le fichier.",
                    kwh(a),
                    kwh(m)
                ),
                Lang::En => format!(
                    " Over the consultation's yearly volume ({v} tasks), {} kWh stated against {} kWh in the file.",
                    kwh(a),
                    kwh(m)
                ),
            }
        }
        _ => String::new(),
    };
    let gap = match (lang, more) {
        (Lang::Fr, false) => format!("est inférieure de {percent} % à celle"),
        (Lang::Fr, true) => format!("dépasse de {percent} % celle"),
        (Lang::En, false) => format!("is {percent}% below that"),
        (Lang::En, true) => format!("is {percent}% above that"),
    };
    let (stated, file, kind, measured) = (shown(answered), &e.file, e.kind(lang), shown(*wh));
    let why = match lang {
        Lang::Fr => format!(
            "La valeur déclarée ({stated}) {gap} du fichier joint {file} ({kind}, {places}) : {measured}.{annual}"
        ),
        Lang::En => format!(
            "The value stated ({stated}) {gap} of the attached file {file} ({kind}, {places}): {measured}.{annual}"
        ),
    };
    Outcome::Disagrees(why, vec![e.file.clone()])
}

/// A licence answered against the licences the files give.
fn licence(raw: &str, attached: &Attached, lang: Lang) -> Outcome {
    let answer = raw.trim().to_lowercase();
    let given: Vec<(&Evidence, &Fact, &str)> = attached
        .facts()
        .filter_map(|(e, f)| match &f.claim {
            Claim::Licence { id } => Some((e, f, id.as_str())),
            _ => None,
        })
        .collect();
    if given.is_empty() || answer.is_empty() {
        return Outcome::Silent;
    }
    let agrees = |id: &str| {
        let id = id.trim().to_lowercase();
        id == answer || answer.split([' ', '(', ')']).any(|w| w == id)
    };
    if given.iter().any(|(_, _, id)| agrees(id)) {
        return Outcome::Backs;
    }
    let (listed, files) = listing(&given, lang);
    let why = match lang {
        Lang::Fr => format!(
            "Les fichiers joints donnent au modèle une autre licence que la réponse : {listed}."
        ),
        Lang::En => {
            format!("The attached files give the model another licence than the answer: {listed}.")
        }
    };
    Outcome::Disagrees(why, files)
}

/// What a text answer must name.
#[derive(Clone, Copy)]
enum Named {
    Datasets,
    Models,
}

/// A text answer against the data sets or models the files list: each
/// must be named in it (a data set by its whole name or its last segment,
/// `org/name` as `name`; a model with its version when the file gives one).
fn named(raw: &str, attached: &Attached, lang: Lang, what: Named) -> Outcome {
    let answer = crate::answer::fold(raw);
    let items: Vec<(&Evidence, &Fact, String, Option<&str>)> = attached
        .facts()
        .filter_map(|(e, f)| match (&f.claim, what) {
            (Claim::Dataset { name }, Named::Datasets) => Some((e, f, name.clone(), None)),
            (Claim::Model { name, version }, Named::Models) => {
                Some((e, f, name.clone(), version.as_deref()))
            }
            _ => None,
        })
        .collect();
    if items.is_empty() || answer.trim().is_empty() {
        return Outcome::Silent;
    }
    let mentions = |name: &str| {
        let whole = crate::answer::fold(name);
        let last = whole.rsplit('/').next().unwrap_or(&whole).to_string();
        answer.contains(&whole) || (last.len() >= 3 && answer.contains(&last))
    };
    // A model built on a base model is named by either (a general-purpose
    // model is often asked for by its own name).
    let named_or_base = |e: &Evidence, name: &str| {
        mentions(name)
            || (matches!(what, Named::Models)
                && e.facts
                    .iter()
                    .any(|f| matches!(&f.claim, Claim::BaseModel { name } if mentions(name))))
    };
    let missing: Vec<(&Evidence, &Fact, String)> = items
        .iter()
        .filter_map(|(e, f, name, version)| match version {
            _ if !named_or_base(e, name) => Some((*e, *f, name.clone())),
            Some(_) if !mentions(name) => None,
            Some(v) if !answer.contains(&crate::answer::fold(v)) => {
                Some((*e, *f, format!("{name} {v}")))
            }
            _ => None,
        })
        .collect();
    if missing.is_empty() {
        return Outcome::Backs;
    }
    let given: Vec<(&Evidence, &Fact, &str)> = missing
        .iter()
        .map(|(e, f, n)| (*e, *f, n.as_str()))
        .collect();
    let (listed, files) = listing(&given, lang);
    let why = match (what, lang) {
        (Named::Datasets, Lang::Fr) => {
            format!(
                "Jeux de données listés dans les fichiers joints et absents de la réponse : {listed}."
            )
        }
        (Named::Datasets, Lang::En) => {
            format!("Data sets listed in the attached files and missing from the answer: {listed}.")
        }
        (Named::Models, Lang::Fr) => {
            format!(
                "Modèles décrits par les fichiers joints que la réponse ne nomme pas (ou pas dans cette version) : {listed}."
            )
        }
        (Named::Models, Lang::En) => {
            format!(
                "Models the attached files describe that the answer does not name (or not in this version): {listed}."
            )
        }
    };
    Outcome::Disagrees(why, files)
}

/// `« x » (file, place)` for each item, and the files named once each.
fn listing(items: &[(&Evidence, &Fact, &str)], lang: Lang) -> (String, Vec<String>) {
    let listed = items
        .iter()
        .map(|(e, f, text)| match lang {
            Lang::Fr => format!("« {text} » ({}, {})", e.file, f.at.describe(lang)),
            Lang::En => format!("\"{text}\" ({}, {})", e.file, f.at.describe(lang)),
        })
        .collect::<Vec<_>>()
        .join(if lang == Lang::Fr { " ; " } else { "; " });
    let mut files: Vec<String> = items.iter().map(|(e, ..)| e.file.clone()).collect();
    files.dedup();
    (listed, files)
}
