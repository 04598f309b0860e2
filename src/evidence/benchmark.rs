//! Energy benchmarks' results, each per 1,000 requests of the benchmark's
//! own task (not the buyer's reference task):
//!
//! - AI Energy Score's per-run report (`benchmark_report.json`): the GPU
//!   energy of its phases (`preprocess`, `prefill`, `decode`:
//!   `PHASE.energy.gpu` in `PHASE.energy.unit`), summed as the score does,
//!   for a task of 1,000 queries;
//! - ML.ENERGY's published data for one model and task: per measured
//!   configuration (`configurations[]`), `energy_per_request_joules`, which
//!   its data set calls an estimate derived from the steady-state GPU
//!   energy, with `gpu_model` and `num_gpus`; the model is `model_id`.

use serde_json::Value;

use super::fact::{self, Activity, Basis, Claim, Fact, Place, Unconverted};

/// The phases of an AI Energy Score run.
const PHASES: [&str; 3] = ["preprocess", "prefill", "decode"];

/// Whether a JSON document is an AI Energy Score run report.
pub fn is_ai_energy_score(doc: &Value) -> bool {
    ["prefill", "decode"]
        .iter()
        .all(|p| doc[p]["energy"]["gpu"].is_number() && doc[p]["energy"]["unit"].is_string())
}

/// Whether a JSON document is ML.ENERGY's data for a model.
pub fn is_ml_energy(doc: &Value) -> bool {
    doc["model_id"].is_string()
        && doc["configurations"]
            .as_array()
            .is_some_and(|c| c.iter().any(|c| c["energy_per_request_joules"].is_number()))
}

/// The facts of an AI Energy Score run report; a phase in a unit of no
/// energy goes to `unconverted`.
pub fn read_ai_energy_score(doc: &Value, unconverted: &mut Vec<Unconverted>) -> Vec<Fact> {
    let mut wh = 0.0;
    let mut read = 0;
    for phase in PHASES {
        let energy = &doc[phase]["energy"];
        let value = energy["gpu"]
            .as_f64()
            .filter(|v| v.is_finite() && *v >= 0.0);
        let unit = energy["unit"].as_str().unwrap_or_default();
        let Some(v) = value else { continue };
        match fact::to_wh(v, unit) {
            Some(w) => {
                wh += w;
                read += 1;
            }
            None => unconverted.push(Unconverted {
                at: Place::Field(format!("{phase}.energy.gpu")),
                value: v,
                unit: fact::text(unit).unwrap_or_default(),
            }),
        }
    }
    if read == 0 {
        return Vec::new();
    }
    vec![Fact {
        claim: Claim::Energy {
            activity: Activity::Benchmark,
            wh,
        },
        basis: Basis::Measured,
        at: Place::Field("energy.gpu".into()),
    }]
}

/// The facts of ML.ENERGY's data for a model.
pub fn read_ml_energy(doc: &Value) -> Vec<Fact> {
    let mut facts = Vec::new();
    if let Some(name) = doc["model_id"].as_str().and_then(fact::text) {
        facts.push(Fact {
            claim: Claim::Model {
                name,
                version: None,
            },
            basis: Basis::Declared,
            at: Place::Field("model_id".into()),
        });
    }
    let configurations = doc["configurations"].as_array().into_iter().flatten();
    for (i, c) in configurations.enumerate() {
        let joules = c["energy_per_request_joules"]
            .as_f64()
            .filter(|j| j.is_finite() && *j >= 0.0);
        let Some(wh) = joules.and_then(|j| fact::to_wh(j * 1_000.0, "J")) else {
            continue;
        };
        facts.push(Fact {
            claim: Claim::Energy {
                activity: Activity::Benchmark,
                wh,
            },
            basis: Basis::Estimated,
            at: Place::Field(format!("configurations[{i}].energy_per_request_joules")),
        });
        let gpu = c["gpu_model"].as_str().and_then(fact::text);
        if let Some(gpu) = gpu {
            let text = match c["num_gpus"].as_u64() {
                Some(n) => format!("{n} × {gpu}"),
                None => gpu,
            };
            facts.push(Fact {
                claim: Claim::Hardware { text },
                basis: Basis::Declared,
                at: Place::Field(format!("configurations[{i}].gpu_model")),
            });
        }
    }
    facts
}
