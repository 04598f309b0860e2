//! Judging a profile against the library: problems refuse it, warnings are
//! for the buyer to read.

use super::model::{Profile, Threshold};
use crate::date::Date;
use crate::library::{CRITERIA, ELIMINATORY_CRITERION, Library};
use crate::rule::Severity;
use crate::text::{Lang, Text};

/// Why a profile is refused: the field (`award.weights.legal`, or a
/// section such as `award.weights` when several fields are at stake) and
/// the reason, in French and in English.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The field or section, as in the profile file.
    pub field: String,
    /// Why, without the field's name.
    pub why: Text,
}

impl Problem {
    /// A problem of `field`, with why in French and in English.
    pub fn new(field: impl Into<String>, fr: impl Into<String>, en: impl Into<String>) -> Problem {
        Problem {
            field: field.into(),
            why: Text {
                fr: fr.into(),
                en: en.into(),
            },
        }
    }

    /// A problem no field names (a file that is not TOML, say), told by
    /// a reader that has one wording only.
    pub fn unplaced(why: String) -> Problem {
        Problem::new(String::new(), why.clone(), why)
    }

    /// `field: why`, as the command line prints it.
    pub fn line(&self, lang: Lang) -> String {
        if self.field.is_empty() {
            return self.why.get(lang).to_string();
        }
        let colon = if lang == Lang::Fr { "\u{a0}:" } else { ":" };
        format!("{}{colon} {}", self.field, self.why.get(lang))
    }
}

/// A profile accepted, with the warnings the buyer should read.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The profile.
    pub profile: Profile,
    /// Things that are allowed but deserve a second look.
    pub warnings: Vec<String>,
}

/// The date from which every consultation must carry an environmental award
/// criterion (loi n° 2021-1104, art. 35).
pub fn environmental_criterion_date() -> Date {
    Date::new(2026, 8, 22).expect("valid date")
}

/// Checks `profile`; the error lists every problem, each naming its field.
pub fn check(profile: Profile, library: &Library) -> Result<Checked, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    award(&profile, &mut problems, &mut warnings);
    dates(&profile, &mut problems, &mut warnings);
    thresholds(&profile, library, &mut problems);
    overrides(&profile, library, &mut problems);
    reference_task(&profile, &mut problems);
    penalties(&profile, &mut problems);
    if profile.system.special_category_inference {
        problems.push(Problem::new(
            "system.special_category_inference",
            "déduire des catégories particulières de données (origine, opinions, santé, \
             orientation sexuelle…) est exclu par le critère 1 de la boussole, sans exception",
            "inferring special categories of data (origin, opinions, health, sexual \
             orientation…) is excluded by criterion 1 of the compass, with no exception",
        ));
    }
    if problems.is_empty() {
        Ok(Checked { profile, warnings })
    } else {
        Err(problems)
    }
}

fn percent(field: &str, x: f64, problems: &mut Vec<Problem>) {
    if !(0.0..=100.0).contains(&x) || x.is_nan() {
        problems.push(Problem::new(
            field,
            format!("{} est hors des bornes (de 0 à 100)", fr_number(x)),
            format!("{x} is out of range (0 to 100)"),
        ));
    }
}

fn award(p: &Profile, problems: &mut Vec<Problem>, warnings: &mut Vec<String>) {
    let a = &p.award;
    if !(a.compass_share > 0.0 && a.compass_share <= 100.0) {
        problems.push(Problem::new(
            "award.compass_share",
            format!(
                "{} est hors des bornes (plus de 0, au plus 100 points)",
                fr_number(a.compass_share)
            ),
            format!(
                "{} is out of range (more than 0, at most 100 points)",
                a.compass_share
            ),
        ));
    }
    for (key, map) in [("weights", &a.weights), ("minimum", &a.minimum)] {
        for (id, x) in map {
            if CRITERIA.contains(&id.as_str()) {
                percent(&format!("award.{key}.{id}"), *x, problems);
            } else {
                problems.push(Problem::new(
                    format!("award.{key}.{id}"),
                    format!("critère inconnu (critères : {})", CRITERIA.join(", ")),
                    format!("unknown criterion (criteria: {})", CRITERIA.join(", ")),
                ));
            }
        }
    }
    let missing: Vec<&str> = CRITERIA
        .iter()
        .copied()
        .filter(|c| !a.weights.contains_key(*c))
        .collect();
    if !missing.is_empty() {
        for c in missing {
            problems.push(Problem::new(
                format!("award.weights.{c}"),
                "sous-pondération manquante",
                "no sub-weight",
            ));
        }
    }
    let sum: f64 = a.weights.values().sum();
    if (sum - 100.0).abs() > 1e-6 {
        problems.push(Problem::new(
            "award.weights",
            format!(
                "la somme des sous-pondérations fait {}, elle doit faire 100",
                fr_number(sum)
            ),
            format!("the sub-weights sum to {sum}, they must sum to 100"),
        ));
    }
    let launch = p.dates.launch.unwrap_or(p.dates.award_date);
    if a.weights.get("sobriety").copied().unwrap_or(0.0) == 0.0
        && launch >= environmental_criterion_date()
    {
        warnings.push(
            "award.weights.sobriety: the sobriety criterion carries no weight, yet consultations \
             launched from 22 August 2026 must include at least one award criterion on the \
             environmental characteristics of the offer (loi n° 2021-1104, art. 35)"
                .into(),
        );
    }
}

fn dates(p: &Profile, problems: &mut Vec<Problem>, warnings: &mut Vec<String>) {
    let d = &p.dates;
    if !(1..=240).contains(&d.contract_months) {
        problems.push(Problem::new(
            "dates.contract_months",
            format!(
                "{} est hors des bornes (de 1 à 240 mois)",
                d.contract_months
            ),
            format!("{} is out of range (1 to 240 months)", d.contract_months),
        ));
    }
    if d.award_date > d.contract_start {
        problems.push(Problem::new(
            "dates.award_date",
            format!(
                "le {} tombe après le début d’exécution ({})",
                d.award_date.in_words(Lang::Fr),
                d.contract_start.in_words(Lang::Fr)
            ),
            format!(
                "{} comes after dates.contract_start {}",
                d.award_date, d.contract_start
            ),
        ));
    }
    if let Some(launch) = d.launch.filter(|l| *l > d.award_date) {
        problems.push(Problem::new(
            "dates.launch",
            format!(
                "le {} tombe après l’attribution ({})",
                launch.in_words(Lang::Fr),
                d.award_date.in_words(Lang::Fr)
            ),
            format!("{launch} comes after dates.award_date {}", d.award_date),
        ));
    }
    if let Some(due) = d
        .offers_due
        .filter(|o| *o > d.award_date || d.launch.is_some_and(|l| *o < l))
    {
        problems.push(Problem::new(
            "dates.offers_due",
            format!(
                "le {} doit tomber entre le lancement et l’attribution",
                due.in_words(Lang::Fr)
            ),
            format!("{due} must fall between dates.launch and dates.award_date"),
        ));
    }
    if let Some(go) = d.go_live.filter(|g| *g < d.contract_start) {
        warnings.push(format!(
            "dates.go_live: {go} comes before dates.contract_start {}",
            d.contract_start
        ));
    }
}

fn thresholds(p: &Profile, library: &Library, problems: &mut Vec<Problem>) {
    for (name, value) in &p.thresholds {
        let field = format!("thresholds.{name}");
        match value {
            Threshold::Name(list) if library.list(list).is_none() => {
                let lists = library
                    .lists
                    .iter()
                    .map(|l| l.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                problems.push(Problem::new(
                    field,
                    format!("aucune liste ne s’appelle « {list} » (listes : {lists})"),
                    format!("no list is named `{list}` (lists: {lists})"),
                ))
            }
            Threshold::Name(_) => {}
            Threshold::Number(x) if x.is_nan() || *x < 0.0 => problems.push(negative(field, *x)),
            Threshold::Number(x) if name.ends_with("_rate_min") || name.ends_with("_share_min") => {
                percent(&field, *x, problems)
            }
            Threshold::Number(x) if name == "pue_max" && *x < 1.0 => problems.push(Problem::new(
                field,
                format!(
                    "{} est hors des bornes (un PUE vaut au moins 1)",
                    fr_number(*x)
                ),
                format!("{x} is out of range (a PUE is at least 1)"),
            )),
            Threshold::Number(_) => {}
        }
    }
}

fn penalties(p: &Profile, problems: &mut Vec<Problem>) {
    for (name, x) in p.penalties.amounts() {
        let field = format!("penalties.{name}");
        if x.is_nan() || x < 0.0 {
            problems.push(negative(field, x));
        } else if name.ends_with("_percent") {
            percent(&field, x, problems);
        }
    }
}

/// A value that must not be negative.
fn negative(field: String, x: f64) -> Problem {
    Problem::new(
        field,
        format!("{} est hors des bornes (0 ou plus)", fr_number(x)),
        format!("{x} is out of range (must be 0 or more)"),
    )
}

/// A number as French writes it.
fn fr_number(x: f64) -> String {
    crate::text::number(x, Lang::Fr)
}

fn overrides(p: &Profile, library: &Library, problems: &mut Vec<Problem>) {
    for (i, o) in p.overrides.iter().enumerate() {
        let field = format!("overrides[{i}] ({})", o.question);
        let mut push = |fr: &str, en: &str| problems.push(Problem::new(field.clone(), fr, en));
        let Some(q) = library.question(&o.question) else {
            push(
                "aucune question ne porte cet identifiant",
                "no question has this id",
            );
            continue;
        };
        if p.overrides
            .iter()
            .filter(|x| x.question == o.question)
            .count()
            > 1
        {
            push(
                "la question est modifiée plus d’une fois",
                "the question is overridden more than once",
            );
        }
        if o.justification.trim().is_empty() {
            push(
                "une justification est requise : changer une sévérité ou un poids change ce \
                 qu’annonce le règlement de la consultation",
                "a justification is required: changing a severity or a weight changes what the \
                 consultation rules announce",
            );
        }
        if q.jurisdiction {
            push(
                "le siège, la détention ou la nationalité de l’opérateur ne sont jamais notés ni \
                 éliminatoires (égalité de traitement des candidats) ; la question reste à titre \
                 d’information",
                "the operator's seat, ownership or nationality is never scored nor eliminatory \
                 (equal treatment of tenderers); the question stays for information",
            );
            continue;
        }
        if o.severity.is_none() && o.weight.is_none() && o.scale.is_none() {
            push(
                "donnez une nouvelle sévérité, un nouveau poids ou une nouvelle échelle",
                "give a new severity, a new weight or a new scale",
            );
        }
        if let Some(scale) = &o.scale {
            let regularity = match o.severity {
                Some(sev) => sev == Severity::Eliminatory,
                None => q.role() == crate::library::Role::Regularity,
            };
            if regularity {
                push(
                    "une condition de régularité n’est jamais notée ; une échelle s’applique à un \
                     élément d’appréciation",
                    "a condition of regularity is never scored; a scale applies to an award element",
                );
            }
            if let Some(why) = scale.misfit(q) {
                // the library's own wording, for those who write libraries
                push(&why, &why);
            }
            if let crate::library::Scale::Linear { zero, full } = scale {
                let facts = p.facts();
                let ctx = crate::rule::Context {
                    profile: &facts,
                    lists: &library.lists,
                };
                let numbers = [zero, full].map(|b| match ctx.bound(b) {
                    Ok(crate::answer::Value::Number(n)) if n.is_finite() => Some(n),
                    _ => None,
                });
                match numbers {
                    [Some(z), Some(f)] if z != f => {}
                    [Some(_), Some(_)] => push(
                        "les bornes `zero` et `full` d’une échelle linéaire diffèrent",
                        "a linear scale's `zero` and `full` differ",
                    ),
                    _ => push(
                        "les bornes `zero` et `full` d’une échelle linéaire sont des nombres ou des \
                         champs numériques du profil",
                        "a linear scale's `zero` and `full` are numbers or numeric fields of the \
                         profile",
                    ),
                }
            }
        }
        if let Some(w) = o.weight.filter(|w| *w > 10) {
            push(
                &format!("le poids {w} est hors des bornes (de 0 à 10)"),
                &format!("weight {w} is out of range (0 to 10)"),
            );
        }
        let Some(sev) = o.severity else { continue };
        if q.rule.is_none() {
            push(
                "la question n’a pas de règle dont la sévérité pourrait changer",
                "the question has no rule whose severity could change",
            );
            continue;
        }
        if q.criterion == ELIMINATORY_CRITERION && sev < Severity::Eliminatory {
            push(
                "le critère 1 (biométrie, données sensibles, biais) est éliminatoire sans \
                 exception ; sa sévérité ne peut être abaissée",
                "criterion 1 (biometrics, sensitive data, bias) is eliminatory with no \
                 exception; its severity cannot be lowered",
            );
        }
    }
}

fn reference_task(p: &Profile, problems: &mut Vec<Problem>) {
    let t = &p.reference_task;
    match t.annual_volume {
        None => problems.push(Problem::new(
            "reference_task.annual_volume",
            "manquant : donnez le nombre de tâches de référence attendu par an ; l’énergie que \
             chaque candidat déclare pour 1 000 tâches est multipliée par ce nombre pour comparer \
             l’énergie annuelle des offres",
            "missing: give the expected number of reference tasks a year; the energy each \
             tenderer states per 1,000 tasks is multiplied by it to compare the offers' yearly \
             energy",
        )),
        Some(0) => problems.push(Problem::new(
            "reference_task.annual_volume",
            "0 tâche par an ne laisse rien à comparer ; donnez le nombre de tâches de référence \
             attendu par an",
            "0 tasks a year leaves nothing to compare; give the expected number of reference \
             tasks a year",
        )),
        Some(_) => {}
    }
    for (field, value) in [
        ("description", &t.description),
        ("dataset", &t.dataset),
        ("perimeter", &t.perimeter),
    ] {
        if value.trim().is_empty() {
            problems.push(Problem::new(
                format!("reference_task.{field}"),
                "vide ; le règlement de la consultation le publie à tous les candidats",
                "empty; the consultation rules publish it to every tenderer",
            ));
        }
    }
    if p.data.nature.trim().is_empty() {
        problems.push(Problem::new(
            "data.nature",
            "vide ; la nature des données fonde l’exigence de les héberger dans l’Union \
             européenne et l’EEE",
            "empty; the nature of the data grounds the requirement to host them in the \
             European Union and the EEA",
        ));
    }
}
