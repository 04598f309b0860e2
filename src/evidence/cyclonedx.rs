//! CycloneDX bills of materials (JSON, 1.5 and later): the components of
//! type `machine-learning-model` — name, version, `licenses`,
//! `pedigree.ancestors` (base models), and their `modelCard`: data sets
//! (`modelParameters.datasets`, inline or by `ref` to a `data` component)
//! and `considerations.environmentalConsiderations.energyConsumptions`
//! (`activity`, `activityEnergyCost` in kWh, `co2CostEquivalent` in
//! tCO2eq).

use serde_json::Value;

use super::fact::{self, Activity, Basis, Claim, Fact, Place, Unconverted};

/// Whether a JSON document is a CycloneDX BOM.
pub fn recognises(doc: &Value) -> bool {
    doc["bomFormat"] == "CycloneDX"
}

/// The specification version the BOM states.
pub fn version(doc: &Value) -> Option<String> {
    doc["specVersion"].as_str().and_then(fact::text)
}

/// The facts of a CycloneDX BOM; figures in units of neither energy nor
/// mass go to `unconverted`.
pub fn read(doc: &Value, unconverted: &mut Vec<Unconverted>) -> Vec<Fact> {
    let mut components: Vec<(String, &Value)> = Vec::new();
    if doc["metadata"]["component"].is_object() {
        components.push(("metadata.component".into(), &doc["metadata"]["component"]));
    }
    gather(&doc["components"], "components", &mut components);
    let name_of = |reference: &str| {
        components
            .iter()
            .find(|(_, c)| c["bom-ref"] == reference)
            .and_then(|(_, c)| c["name"].as_str())
            .and_then(fact::text)
    };
    let mut facts = Vec::new();
    for (path, c) in &components {
        if c["type"] != "machine-learning-model" {
            continue;
        }
        let declared = |claim, field: &str| Fact {
            claim,
            basis: Basis::Declared,
            at: Place::Field(format!("{path}.{field}")),
        };
        if let Some(name) = c["name"].as_str().and_then(fact::text) {
            let version = c["version"].as_str().and_then(fact::text);
            facts.push(declared(Claim::Model { name, version }, "name"));
        }
        for id in licences(&c["licenses"]) {
            facts.push(declared(Claim::Licence { id }, "licenses"));
        }
        for a in c["pedigree"]["ancestors"].as_array().into_iter().flatten() {
            if let Some(name) = a["name"].as_str().and_then(fact::text) {
                facts.push(declared(Claim::BaseModel { name }, "pedigree.ancestors"));
            }
        }
        let card = &c["modelCard"];
        let datasets = card["modelParameters"]["datasets"].as_array();
        for d in datasets.into_iter().flatten() {
            let name = match d["ref"].as_str() {
                Some(r) => name_of(r).or_else(|| fact::text(r)),
                None => d["name"].as_str().and_then(fact::text),
            };
            if let Some(name) = name {
                let field = "modelCard.modelParameters.datasets";
                facts.push(declared(Claim::Dataset { name }, field));
            }
        }
        let energy = &card["considerations"]["environmentalConsiderations"]["energyConsumptions"];
        for (i, e) in energy.as_array().into_iter().flatten().enumerate() {
            let field = format!(
                "modelCard.considerations.environmentalConsiderations.energyConsumptions[{i}]"
            );
            facts.extend(consumption(e, &format!("{path}.{field}"), unconverted));
        }
    }
    facts
}

/// The components of `list` and those nested in them, with their paths.
fn gather<'a>(list: &'a Value, path: &str, out: &mut Vec<(String, &'a Value)>) {
    for (i, c) in list.as_array().into_iter().flatten().enumerate() {
        let here = format!("{path}[{i}]");
        out.push((here.clone(), c));
        gather(&c["components"], &format!("{here}.components"), out);
    }
}

/// The licence identifiers, names or expressions of a `licenses` array.
fn licences(list: &Value) -> Vec<String> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| {
            l["license"]["id"]
                .as_str()
                .or_else(|| l["license"]["name"].as_str())
                .or_else(|| l["expression"].as_str())
                .and_then(fact::text)
        })
        .collect()
}

/// The energy and emissions of one `energyConsumptions` entry.
fn consumption(e: &Value, field: &str, unconverted: &mut Vec<Unconverted>) -> Vec<Fact> {
    let activity = match e["activity"].as_str().unwrap_or_default() {
        "training" => Activity::Training,
        "fine-tuning" => Activity::FineTuning,
        "inference" => Activity::Inference,
        _ => Activity::Other,
    };
    let fact = |claim, what: &str| Fact {
        claim,
        basis: Basis::Declared,
        at: Place::Field(format!("{field}.{what}")),
    };
    let mut facts = Vec::new();
    let mut left_out = |value: f64, unit: &str, what: &str| {
        unconverted.push(Unconverted {
            at: Place::Field(format!("{field}.{what}")),
            value,
            unit: fact::text(unit).unwrap_or_default(),
        })
    };
    if let Some((v, u)) = quantity(&e["activityEnergyCost"]) {
        match fact::to_wh(v, u) {
            Some(wh) => facts.push(fact(Claim::Energy { activity, wh }, "activityEnergyCost")),
            None => left_out(v, u, "activityEnergyCost"),
        }
    }
    if let Some((v, u)) = quantity(&e["co2CostEquivalent"]) {
        match fact::to_grams(v, u) {
            Some(g_co2e) => facts.push(fact(
                Claim::Emissions { activity, g_co2e },
                "co2CostEquivalent",
            )),
            None => left_out(v, u, "co2CostEquivalent"),
        }
    }
    facts
}

/// A `{value, unit}` pair, the value finite and not negative.
fn quantity(q: &Value) -> Option<(f64, &str)> {
    let value = q["value"].as_f64().filter(|v| v.is_finite() && *v >= 0.0)?;
    Some((value, q["unit"].as_str()?))
}
