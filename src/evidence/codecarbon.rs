//! CodeCarbon's `emissions.csv`: one row per tracked run, energy in kWh,
//! emissions in kg CO₂e, duration in seconds. Columns are found by name in
//! the header, since they changed across CodeCarbon's versions (1.x has no
//! `codecarbon_version`, `cpu_model` or `ram_total_size`, 2.x added
//! `tracking_mode`, 3.x water and process columns); only `energy_consumed`
//! is required.

use super::fact::{self, Activity, Basis, Claim, Fact, Place};
use crate::response::bounds::{MAX_EVIDENCE_ROWS, thousands};

/// Whether a CSV header line is CodeCarbon's.
pub fn recognises(header: &str) -> bool {
    let names: Vec<&str> = header
        .split(',')
        .map(|h| h.trim().trim_matches('"'))
        .collect();
    names.contains(&"energy_consumed") && names.contains(&"emissions")
}

/// The facts of a CodeCarbon file, and its version when a row states it.
pub fn read(text: &str) -> Result<(Vec<Fact>, Option<String>), String> {
    let mut csv = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = csv
        .headers()
        .map_err(|e| format!("not a readable CSV file: {e}"))?
        .clone();
    let column = |name: &str| header.iter().position(|h| h.trim() == name);
    let energy = column("energy_consumed").ok_or("no energy_consumed column")?;
    let (emissions, duration, version) = (
        column("emissions"),
        column("duration"),
        column("codecarbon_version"),
    );
    let (gpu, cpu, country) = (
        column("gpu_model"),
        column("cpu_model"),
        column("country_name"),
    );
    let mut facts = Vec::new();
    let mut tool_version = None;
    for (i, record) in csv.records().enumerate() {
        if i >= MAX_EVIDENCE_ROWS {
            return Err(format!(
                "more than {} rows: not read",
                thousands(MAX_EVIDENCE_ROWS as u64)
            ));
        }
        let record = record.map_err(|e| format!("row {}: {e}", i + 2))?;
        let line = record.position().map_or(i as u64 + 2, |p| p.line());
        let at = || Place::Line(line);
        let cell = |c: Option<usize>| c.and_then(|c| record.get(c)).map(str::trim);
        let number = |c: Option<usize>, what: &str| -> Result<Option<f64>, String> {
            match cell(c).filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(s) => s
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite() && *x >= 0.0)
                    .map(Some)
                    .ok_or_else(|| {
                        format!("line {line}: {what} « {s} » is not a number of zero or more")
                    }),
            }
        };
        let kwh = number(Some(energy), "energy_consumed")?
            .ok_or_else(|| format!("line {line}: energy_consumed is empty"))?;
        let measured = |claim| Fact {
            claim,
            basis: Basis::Measured,
            at: at(),
        };
        facts.push(measured(Claim::Energy {
            activity: Activity::Run,
            wh: kwh * 1_000.0,
        }));
        if let Some(kg) = number(emissions, "emissions")? {
            facts.push(measured(Claim::Emissions {
                activity: Activity::Run,
                g_co2e: kg * 1_000.0,
            }));
        }
        if let Some(seconds) = number(duration, "duration")? {
            facts.push(measured(Claim::Duration { seconds }));
        }
        let declared = |claim| Fact {
            claim,
            basis: Basis::Declared,
            at: at(),
        };
        for hardware in [gpu, cpu].into_iter().filter_map(&cell) {
            if let Some(text) = fact::text(hardware) {
                facts.push(declared(Claim::Hardware { text }));
            }
        }
        if let Some(text) = cell(country).and_then(fact::text) {
            facts.push(declared(Claim::Place { text }));
        }
        if let Some(v) = cell(version).and_then(fact::text) {
            tool_version = Some(v);
        }
    }
    if facts.is_empty() {
        return Err("no run recorded (the header alone)".into());
    }
    Ok((facts, tool_version))
}
