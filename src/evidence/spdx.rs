//! SPDX 3.0 documents (JSON-LD) with the AI and Dataset profiles: the
//! `ai_AIPackage` elements — `name`, `software_packageVersion`,
//! `ai_energyConsumption` (training, fine-tuning and inference
//! consumptions, each an `ai_energyQuantity` in an `ai_energyUnit`:
//! kilowattHour, megajoule or other) —, the `dataset_DatasetPackage`
//! elements, and the relationships that tie them: `hasDeclaredLicense` and
//! `hasConcludedLicense` to a licence expression, `trainedOn` to data sets,
//! `descendantOf` to a base model. Vocabulary written as full IRIs is read
//! by its last segment.

use serde_json::Value;

use super::fact::{self, Activity, Basis, Claim, Fact, Place, Unconverted};

/// Whether a JSON document is SPDX 3 JSON-LD.
pub fn recognises(doc: &Value) -> bool {
    let context = |c: &Value| c.as_str().is_some_and(|s| s.contains("spdx.org/rdf/3"));
    context(&doc["@context"])
        || doc["@context"]
            .as_array()
            .is_some_and(|a| a.iter().any(context))
}

/// The SPDX version the context names (`3.0.1`).
pub fn version(doc: &Value) -> Option<String> {
    let context = doc["@context"].as_str()?;
    let after = context.split("spdx.org/rdf/").nth(1)?;
    after.split('/').next().and_then(fact::text)
}

/// The last segment of an IRI, or the word itself.
fn word(v: &Value) -> &str {
    let s = v.as_str().unwrap_or_default();
    s.rsplit(['/', '#']).next().unwrap_or(s)
}

/// The facts of an SPDX 3 document; quantities in units of no energy
/// (`other`) go to `unconverted`.
pub fn read(doc: &Value, unconverted: &mut Vec<Unconverted>) -> Vec<Fact> {
    let graph: Vec<(usize, &Value)> = doc["@graph"]
        .as_array()
        .map(|g| g.iter().enumerate().collect())
        .unwrap_or_default();
    fn id(e: &Value) -> Option<&str> {
        e["spdxId"].as_str().or_else(|| e["@id"].as_str())
    }
    let by_id = |wanted: &str| graph.iter().find(|(_, e)| id(e) == Some(wanted));
    let at = |i: usize, field: &str| Place::Field(format!("@graph[{i}].{field}"));
    let relations = |kind: &str| -> Vec<(&str, &str)> {
        graph
            .iter()
            .filter(|(_, r)| {
                word(&r["type"]) == "Relationship" && word(&r["relationshipType"]) == kind
            })
            .flat_map(|(_, r)| {
                let from = r["from"].as_str().unwrap_or_default();
                let to: Vec<&str> = match &r["to"] {
                    Value::Array(t) => t.iter().filter_map(|t| t.as_str()).collect(),
                    one => one.as_str().into_iter().collect(),
                };
                to.into_iter().map(move |t| (from, t))
            })
            .collect()
    };
    // A package another descends from is a base model, not the model offered.
    let bases: Vec<&str> = relations("descendantOf")
        .into_iter()
        .map(|(_, to)| to)
        .chain(relations("ancestorOf").into_iter().map(|(from, _)| from))
        .collect();
    let mut facts = Vec::new();
    for (i, e) in &graph {
        if word(&e["type"]) != "ai_AIPackage" || id(e).is_some_and(|me| bases.contains(&me)) {
            continue;
        }
        let declared = |claim, field: &str| Fact {
            claim,
            basis: Basis::Declared,
            at: at(*i, field),
        };
        if let Some(name) = e["name"].as_str().and_then(fact::text) {
            let version = e["software_packageVersion"].as_str().and_then(fact::text);
            facts.push(declared(Claim::Model { name, version }, "name"));
        }
        let consumption = &e["ai_energyConsumption"];
        for (field, activity) in [
            ("ai_trainingEnergyConsumption", Activity::Training),
            ("ai_finetuningEnergyConsumption", Activity::FineTuning),
            ("ai_inferenceEnergyConsumption", Activity::Inference),
        ] {
            for (k, d) in consumption[field]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
            {
                let quantity = match &d["ai_energyQuantity"] {
                    Value::String(s) => s.trim().parse::<f64>().ok(),
                    v => v.as_f64(),
                };
                let Some(q) = quantity.filter(|q| q.is_finite() && *q >= 0.0) else {
                    continue;
                };
                let place = format!("ai_energyConsumption.{field}[{k}]");
                let unit = word(&d["ai_energyUnit"]);
                match fact::to_wh(q, unit) {
                    Some(wh) => facts.push(declared(Claim::Energy { activity, wh }, &place)),
                    None => unconverted.push(Unconverted {
                        at: at(*i, &place),
                        value: q,
                        unit: fact::text(unit).unwrap_or_default(),
                    }),
                }
            }
        }
        let me = id(e);
        for (r, rel) in &graph {
            if word(&rel["type"]) != "Relationship" || rel["from"].as_str() != me || me.is_none() {
                continue;
            }
            let targets: Vec<&Value> = match &rel["to"] {
                Value::Array(t) => t.iter().collect(),
                one => vec![one],
            };
            for target in targets.iter().filter_map(|t| t.as_str()).filter_map(by_id) {
                let (_, t) = target;
                let name = t["name"].as_str().and_then(fact::text);
                let claim = match word(&rel["relationshipType"]) {
                    "hasDeclaredLicense" | "hasConcludedLicense" => {
                        t["simplelicensing_licenseExpression"]
                            .as_str()
                            .and_then(fact::text)
                            .map(|id| Claim::Licence { id })
                    }
                    "trainedOn" => name.map(|name| Claim::Dataset { name }),
                    "descendantOf" => name.map(|name| Claim::BaseModel { name }),
                    _ => None,
                };
                if let Some(claim) = claim {
                    facts.push(Fact {
                        claim,
                        basis: Basis::Declared,
                        at: Place::Field(format!("@graph[{r}]")),
                    });
                }
            }
        }
    }
    facts
}
