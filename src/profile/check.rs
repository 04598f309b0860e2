//! Judging a profile against the library: problems refuse it, warnings are
//! for the buyer to read.

use super::model::{Profile, Threshold};
use crate::date::Date;
use crate::library::{CRITERIA, ELIMINATORY_CRITERION, Library};
use crate::rule::Severity;

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
pub fn check(profile: Profile, library: &Library) -> Result<Checked, Vec<String>> {
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    award(&profile, &mut problems, &mut warnings);
    dates(&profile, &mut problems, &mut warnings);
    thresholds(&profile, library, &mut problems);
    overrides(&profile, library, &mut problems);
    reference_task(&profile, &mut problems);
    penalties(&profile, &mut problems);
    if profile.system.special_category_inference {
        problems.push(
            "system.special_category_inference: inferring special categories of data (origin, \
             opinions, health, sexual orientation…) is excluded by criterion 1 of the compass, \
             with no exception"
                .into(),
        );
    }
    if problems.is_empty() {
        Ok(Checked { profile, warnings })
    } else {
        Err(problems)
    }
}

fn percent(field: &str, x: f64, problems: &mut Vec<String>) {
    if !(0.0..=100.0).contains(&x) || x.is_nan() {
        problems.push(format!("{field}: {x} is out of range (0 to 100)"));
    }
}

fn award(p: &Profile, problems: &mut Vec<String>, warnings: &mut Vec<String>) {
    let a = &p.award;
    if !(a.compass_share > 0.0 && a.compass_share <= 100.0) {
        problems.push(format!(
            "award.compass_share: {} is out of range (more than 0, at most 100 points)",
            a.compass_share
        ));
    }
    for (key, map) in [("weights", &a.weights), ("minimum", &a.minimum)] {
        for (id, x) in map {
            if CRITERIA.contains(&id.as_str()) {
                percent(&format!("award.{key}.{id}"), *x, problems);
            } else {
                problems.push(format!(
                    "award.{key}.{id}: unknown criterion (criteria: {})",
                    CRITERIA.join(", ")
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
        problems.push(format!(
            "award.weights: no sub-weight for {}",
            missing.join(", ")
        ));
    }
    let sum: f64 = a.weights.values().sum();
    if (sum - 100.0).abs() > 1e-6 {
        problems.push(format!(
            "award.weights: the sub-weights sum to {sum}, they must sum to 100"
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

fn dates(p: &Profile, problems: &mut Vec<String>, warnings: &mut Vec<String>) {
    let d = &p.dates;
    if !(1..=240).contains(&d.contract_months) {
        problems.push(format!(
            "dates.contract_months: {} is out of range (1 to 240 months)",
            d.contract_months
        ));
    }
    if d.award_date > d.contract_start {
        problems.push(format!(
            "dates.award_date: {} comes after dates.contract_start {}",
            d.award_date, d.contract_start
        ));
    }
    if let Some(launch) = d.launch.filter(|l| *l > d.award_date) {
        problems.push(format!(
            "dates.launch: {launch} comes after dates.award_date {}",
            d.award_date
        ));
    }
    if let Some(due) = d
        .offers_due
        .filter(|o| *o > d.award_date || d.launch.is_some_and(|l| *o < l))
    {
        problems.push(format!(
            "dates.offers_due: {due} must fall between dates.launch and dates.award_date"
        ));
    }
    if let Some(go) = d.go_live.filter(|g| *g < d.contract_start) {
        warnings.push(format!(
            "dates.go_live: {go} comes before dates.contract_start {}",
            d.contract_start
        ));
    }
}

fn thresholds(p: &Profile, library: &Library, problems: &mut Vec<String>) {
    for (name, value) in &p.thresholds {
        let field = format!("thresholds.{name}");
        match value {
            Threshold::Name(list) if library.list(list).is_none() => problems.push(format!(
                "{field}: no list is named `{list}` (lists: {})",
                library
                    .lists
                    .iter()
                    .map(|l| l.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            Threshold::Name(_) => {}
            Threshold::Number(x) if x.is_nan() || *x < 0.0 => {
                problems.push(format!("{field}: {x} is out of range (must be 0 or more)"))
            }
            Threshold::Number(x) if name.ends_with("_rate_min") || name.ends_with("_share_min") => {
                percent(&field, *x, problems)
            }
            Threshold::Number(x) if name == "pue_max" && *x < 1.0 => problems.push(format!(
                "{field}: {x} is out of range (a PUE is at least 1)"
            )),
            Threshold::Number(_) => {}
        }
    }
}

fn penalties(p: &Profile, problems: &mut Vec<String>) {
    for (name, x) in p.penalties.amounts() {
        let field = format!("penalties.{name}");
        if x.is_nan() || x < 0.0 {
            problems.push(format!("{field}: {x} is out of range (must be 0 or more)"));
        } else if name.ends_with("_percent") {
            percent(&field, x, problems);
        }
    }
}

fn overrides(p: &Profile, library: &Library, problems: &mut Vec<String>) {
    for (i, o) in p.overrides.iter().enumerate() {
        let field = format!("overrides[{i}] ({})", o.question);
        let Some(q) = library.question(&o.question) else {
            problems.push(format!("{field}: no question has this id"));
            continue;
        };
        if p.overrides
            .iter()
            .filter(|x| x.question == o.question)
            .count()
            > 1
        {
            problems.push(format!(
                "{field}: the question is overridden more than once"
            ));
        }
        if o.justification.trim().is_empty() {
            problems.push(format!(
                "{field}: a justification is required: changing a severity or a weight changes \
                 what the consultation rules announce"
            ));
        }
        if q.jurisdiction {
            problems.push(format!(
                "{field}: the operator's seat, ownership or nationality is never scored nor \
                 eliminatory (equal treatment of tenderers); the question stays for information"
            ));
            continue;
        }
        if o.severity.is_none() && o.weight.is_none() && o.scale.is_none() {
            problems.push(format!(
                "{field}: give a new severity, a new weight or a new scale"
            ));
        }
        if let Some(scale) = &o.scale {
            let regularity = match o.severity {
                Some(sev) => sev == Severity::Eliminatory,
                None => q.role() == crate::library::Role::Regularity,
            };
            if regularity {
                problems.push(format!(
                    "{field}: a condition of regularity is never scored; a scale applies to an award element"
                ));
            }
            if let Some(why) = scale.misfit(q) {
                problems.push(format!("{field}: {why}"));
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
                    [Some(_), Some(_)] => problems.push(format!(
                        "{field}: a linear scale's `zero` and `full` differ"
                    )),
                    _ => problems.push(format!(
                        "{field}: a linear scale's `zero` and `full` are numbers or numeric fields of the profile"
                    )),
                }
            }
        }
        if o.weight.is_some_and(|w| w > 10) {
            problems.push(format!(
                "{field}: weight {} is out of range (0 to 10)",
                o.weight.unwrap_or(0)
            ));
        }
        let Some(sev) = o.severity else { continue };
        if q.rule.is_none() {
            problems.push(format!(
                "{field}: the question has no rule whose severity could change"
            ));
            continue;
        }
        if q.criterion == ELIMINATORY_CRITERION && sev < Severity::Eliminatory {
            problems.push(format!(
                "{field}: criterion 1 (biometrics, sensitive data, bias) is eliminatory with no \
                 exception; its severity cannot be lowered"
            ));
        }
    }
}

fn reference_task(p: &Profile, problems: &mut Vec<String>) {
    let t = &p.reference_task;
    match t.annual_volume {
        None => problems.push(
            "reference_task.annual_volume: missing: give the expected number of reference tasks \
             a year; the energy each tenderer states per 1,000 tasks is multiplied by it to \
             compare the offers' yearly energy"
                .into(),
        ),
        Some(0) => problems.push(
            "reference_task.annual_volume: 0 tasks a year leaves nothing to compare; give the \
             expected number of reference tasks a year"
                .into(),
        ),
        Some(_) => {}
    }
    for (field, value) in [
        ("description", &t.description),
        ("dataset", &t.dataset),
        ("perimeter", &t.perimeter),
    ] {
        if value.trim().is_empty() {
            problems.push(format!(
                "reference_task.{field}: empty; the consultation rules publish it to every tenderer"
            ));
        }
    }
    if p.data.nature.trim().is_empty() {
        problems.push(
            "data.nature: empty; the nature of the data grounds the requirement to host them in \
             the European Union and the EEA"
                .into(),
        );
    }
}
