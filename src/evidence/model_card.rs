//! Hugging Face model cards: a Markdown file whose YAML front matter holds
//! the metadata — `license`, `base_model`, `datasets`, `model_name` or
//! `model-index`, and `co2_eq_emissions` (a number of grams, or a mapping
//! with `emissions` in grams, `source`, `training_type`,
//! `geographical_location`, `hardware_used`).

use serde_json::Value;

use super::fact::{self, Activity, Basis, Claim, Fact, Place};

/// The front matter of `text` and the line it starts on, when the file
/// opens with a `---` line.
pub fn front_matter(text: &str) -> Option<&str> {
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let end = rest
        .match_indices("\n---")
        .map(|(i, _)| i + 1)
        .find(|&i| {
            let after = &rest[i + 3..];
            after.is_empty() || after.starts_with('\n') || after.starts_with("\r\n")
        })
        .or_else(|| rest.strip_prefix("---").map(|_| 0))?;
    Some(&rest[..end])
}

/// Whether the front matter's keys are a model card's.
pub fn recognises(meta: &Value) -> bool {
    const KEYS: [&str; 7] = [
        "license",
        "base_model",
        "datasets",
        "co2_eq_emissions",
        "model-index",
        "library_name",
        "pipeline_tag",
    ];
    meta.as_object()
        .is_some_and(|m| KEYS.iter().any(|k| m.contains_key(*k)))
}

/// The facts of a model card's front matter `meta`; `text` is the whole
/// file, to find the line of each key.
pub fn read(meta: &Value, text: &str) -> Vec<Fact> {
    let line = |key: &str| {
        let prefix = format!("{key}:");
        text.lines()
            .position(|l| l.starts_with(&prefix))
            .map_or(Place::Field(key.to_string()), |i| Place::Line(i as u64 + 1))
    };
    let declared = |claim, key: &str| Fact {
        claim,
        basis: Basis::Declared,
        at: line(key),
    };
    let mut facts = Vec::new();
    let name = meta["model_name"]
        .as_str()
        .or_else(|| meta["model-index"][0]["name"].as_str())
        .and_then(fact::text);
    if let Some(name) = name {
        let key = if meta["model_name"].is_string() {
            "model_name"
        } else {
            "model-index"
        };
        facts.push(declared(
            Claim::Model {
                name,
                version: None,
            },
            key,
        ));
    }
    for id in strings(&meta["license"]) {
        let id = match (id.as_str(), meta["license_name"].as_str()) {
            ("other", Some(named)) => named.to_string(),
            _ => id,
        };
        facts.push(declared(Claim::Licence { id }, "license"));
    }
    for name in strings(&meta["base_model"]) {
        facts.push(declared(Claim::BaseModel { name }, "base_model"));
    }
    for name in strings(&meta["datasets"]) {
        facts.push(declared(Claim::Dataset { name }, "datasets"));
    }
    facts.extend(emissions(
        &meta["co2_eq_emissions"],
        line("co2_eq_emissions"),
    ));
    facts
}

/// The facts of `co2_eq_emissions`: grams of CO₂e, for training unless it
/// says fine-tuning; measured when its source is a measuring tool, estimated
/// when a calculator.
fn emissions(co2: &Value, at: Place) -> Vec<Fact> {
    let grams = co2.as_f64().or_else(|| co2["emissions"].as_f64());
    let Some(grams) = grams.filter(|g| g.is_finite() && *g >= 0.0) else {
        return Vec::new();
    };
    let source = co2["source"].as_str().unwrap_or_default().to_lowercase();
    let basis = if ["codecarbon", "autotrain", "carbontracker", "wattmeter"]
        .iter()
        .any(|s| source.contains(s))
    {
        Basis::Measured
    } else if ["calculator", "estimat", "ecologits"]
        .iter()
        .any(|s| source.contains(s))
    {
        Basis::Estimated
    } else {
        Basis::Declared
    };
    let training = co2["training_type"].as_str().unwrap_or_default();
    let activity = if training.to_lowercase().contains("fine") {
        Activity::FineTuning
    } else {
        Activity::Training
    };
    let fact = |claim| Fact {
        claim,
        basis,
        at: at.clone(),
    };
    let mut facts = vec![fact(Claim::Emissions {
        activity,
        g_co2e: grams,
    })];
    let declared = |claim| Fact {
        claim,
        basis: Basis::Declared,
        at: at.clone(),
    };
    if let Some(text) = co2["hardware_used"].as_str().and_then(fact::text) {
        facts.push(declared(Claim::Hardware { text }));
    }
    if let Some(text) = co2["geographical_location"].as_str().and_then(fact::text) {
        facts.push(declared(Claim::Place { text }));
    }
    facts
}

/// The texts of a value that is one text or a list of texts.
fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => fact::text(s).into_iter().collect(),
        Value::Array(items) => items
            .iter()
            .filter_map(|i| i.as_str().and_then(fact::text))
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_front_matter_ends_at_its_closing_line() {
        let text = "---\nlicense: mit\n---\n# Model\n---\n";
        assert_eq!(front_matter(text), Some("license: mit\n"));
        assert_eq!(front_matter("# no front matter\n"), None);
        assert_eq!(front_matter("---\nlicense: mit\n"), None);
    }
}
