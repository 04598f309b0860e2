//! Evidence files: what vendors attach to back their figures, read from
//! files the tools themselves wrote (`fixtures/evidence/`, made by
//! `tests/scripts/make_evidence.py`: real CodeCarbon runs of three major
//! versions, model cards by `huggingface_hub`, bills of materials validated
//! against CycloneDX 1.6 and SPDX 3.0.1 schemas), hostile variants refused
//! cleanly, and answers compared with them by `check`.

use std::path::Path;

use serde_json::Value;

use crate::support::{boussole, boussole_in, fixture};

/// The facts `evidence read --format json` gives for `file`.
fn facts(file: &Path) -> Value {
    let run = boussole(&[
        "evidence",
        "read",
        "--format",
        "json",
        file.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let read: Value = serde_json::from_str(&run.stdout).unwrap();
    read[0].clone()
}

/// The facts of `read` stating `fact`.
fn of<'a>(read: &'a Value, fact: &str) -> Vec<&'a Value> {
    read["facts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["fact"] == fact)
        .collect()
}

/// The values of column `name` of a CSV file without quoted fields.
fn column(csv: &str, name: &str) -> Vec<f64> {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let i = header.iter().position(|h| *h == name).unwrap();
    lines
        .map(|l| l.split(',').nth(i).unwrap().parse().unwrap())
        .collect()
}

#[test]
fn codecarbon_files_of_three_major_versions_give_each_run_in_watt_hours() {
    for (file, version) in [
        ("emissions-1.csv", None),
        ("emissions-2.csv", Some("2.8.4")),
        ("emissions-3.csv", Some("3.3.2")),
    ] {
        let path = fixture(&format!("evidence/codecarbon/{file}"));
        let csv = std::fs::read_to_string(&path).unwrap();
        let read = facts(&path);
        assert_eq!(read["format"], "codecarbon", "{file}");
        assert_eq!(read["version"].as_str(), version, "{file}");
        let energy: Vec<f64> = of(&read, "energy")
            .iter()
            .map(|f| {
                assert_eq!(f["activity"], "run");
                assert_eq!(f["basis"], "measured");
                f["wh"].as_f64().unwrap()
            })
            .collect();
        let kwh = column(&csv, "energy_consumed");
        assert_eq!(energy.len(), kwh.len(), "{file}: a fact per run");
        for (wh, kwh) in energy.iter().zip(&kwh) {
            assert!(
                (wh - kwh * 1_000.0).abs() < 1e-12,
                "{file}: {wh} Wh, {kwh} kWh"
            );
        }
        let lines: Vec<u64> = of(&read, "energy")
            .iter()
            .map(|f| f["at"]["line"].as_u64().unwrap())
            .collect();
        assert_eq!(lines, [2, 3], "{file}: each run names its line");
        let grams: Vec<f64> = of(&read, "emissions")
            .iter()
            .map(|f| f["g_co2e"].as_f64().unwrap())
            .collect();
        let kg = column(&csv, "emissions");
        for (g, kg) in grams.iter().zip(&kg) {
            assert!((g - kg * 1_000.0).abs() < 1e-12, "{file}");
        }
    }
}

#[test]
fn a_model_card_gives_its_licence_base_model_data_sets_and_training_emissions() {
    let read = facts(&fixture("evidence/model-card/README.md"));
    assert_eq!(read["format"], "model_card");
    assert_eq!(of(&read, "licence")[0]["id"], "apache-2.0");
    assert_eq!(
        of(&read, "base_model")[0]["name"],
        "mistralai/Mistral-7B-v0.1"
    );
    assert_eq!(of(&read, "dataset").len(), 2);
    let co2 = of(&read, "emissions")[0];
    // co2_eq_emissions.emissions is in grams; its source, CodeCarbon, measures.
    assert_eq!(co2["g_co2e"], 1234.5);
    assert_eq!(co2["activity"], "fine_tuning");
    assert_eq!(co2["basis"], "measured");
    assert_eq!(of(&read, "model")[0]["name"], "Rédacteur-7B-instruct");
    let minimal = facts(&fixture("evidence/model-card/minimal.md"));
    assert_eq!(minimal["facts"].as_array().unwrap().len(), 1);
}

#[test]
fn bills_of_materials_give_the_model_its_licence_and_energy_per_activity() {
    let path = fixture("evidence/cyclonedx/ml-bom.json");
    let bom: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let read = facts(&path);
    assert_eq!(read["format"], "cyclonedx");
    assert_eq!(read["version"], bom["specVersion"]);
    let model = &bom["components"][0];
    assert_eq!(of(&read, "model")[0]["name"], model["name"]);
    assert_eq!(of(&read, "model")[0]["version"], model["version"]);
    assert_eq!(
        of(&read, "licence")[0]["id"],
        model["licenses"][0]["license"]["id"]
    );
    let consumptions =
        model["modelCard"]["considerations"]["environmentalConsiderations"]["energyConsumptions"]
            .as_array()
            .unwrap();
    let energy = of(&read, "energy");
    assert_eq!(energy.len(), consumptions.len());
    for (fact, c) in energy.iter().zip(consumptions) {
        assert_eq!(c["activityEnergyCost"]["unit"], "kWh");
        let kwh = c["activityEnergyCost"]["value"].as_f64().unwrap();
        assert!((fact["wh"].as_f64().unwrap() - kwh * 1_000.0).abs() < 1e-9);
        assert_eq!(
            fact["activity"],
            c["activity"].as_str().unwrap().replace('-', "_")
        );
    }
    // Data sets named by reference are named by the component referred to.
    let names: Vec<&str> = of(&read, "dataset")
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    let data: Vec<&str> = bom["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["type"] == "data")
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, data);

    let spdx = facts(&fixture("evidence/spdx/ai-bom.spdx3.json"));
    assert_eq!(spdx["format"], "spdx");
    assert_eq!(spdx["version"], "3.0.1");
    // The package offered, not its base model, which is named as such.
    let models: Vec<&str> = of(&spdx, "model")
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(models, ["Rédacteur-7B-instruct"]);
    assert_eq!(of(&spdx, "base_model")[0]["name"], "Mistral-7B-v0.1");
    assert_eq!(of(&spdx, "licence")[0]["id"], "Apache-2.0");
    let training = of(&spdx, "energy")
        .into_iter()
        .find(|e| e["activity"] == "training")
        .unwrap();
    assert!((training["wh"].as_f64().unwrap() - 22_030.0).abs() < 1e-6);
}

#[test]
fn energy_benchmarks_give_their_energy_per_thousand_requests() {
    // AI Energy Score: the GPU energy of the run's phases, for its 1,000 queries.
    let path = fixture("evidence/ai-energy-score/benchmark_report.json");
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let kwh: f64 = ["preprocess", "prefill", "decode"]
        .iter()
        .map(|p| {
            assert_eq!(report[p]["energy"]["unit"], "kWh");
            report[p]["energy"]["gpu"].as_f64().unwrap()
        })
        .sum();
    let read = facts(&path);
    assert_eq!(read["format"], "ai_energy_score");
    let energy = of(&read, "energy");
    assert_eq!(energy.len(), 1);
    assert_eq!(energy[0]["activity"], "benchmark");
    assert!((energy[0]["wh"].as_f64().unwrap() - kwh * 1_000.0).abs() < 1e-9);

    // ML.ENERGY: joules per response, per configuration, which it estimates.
    let path = fixture(
        "evidence/ml-energy/meta-llama__Llama-4-Maverick-17B-128E-Instruct-FP8__lm-arena-chat.json",
    );
    let data: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let read = facts(&path);
    assert_eq!(read["format"], "ml_energy");
    assert_eq!(of(&read, "model")[0]["name"], data["model_id"]);
    let configurations = data["configurations"].as_array().unwrap();
    let energy = of(&read, "energy");
    assert_eq!(energy.len(), configurations.len());
    for (fact, c) in energy.iter().zip(configurations) {
        let joules = c["energy_per_request_joules"].as_f64().unwrap();
        assert!((fact["wh"].as_f64().unwrap() - joules * 1_000.0 / 3_600.0).abs() < 1e-9);
        assert_eq!(fact["basis"], "estimated");
    }
}

#[test]
fn hostile_evidence_files_are_refused_naming_the_file_and_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| std::fs::write(dir.path().join(name), bytes).unwrap();
    let csv = std::fs::read(fixture("evidence/codecarbon/emissions-3.csv")).unwrap();
    let header = String::from_utf8_lossy(&csv)
        .lines()
        .next()
        .unwrap()
        .to_string();
    // huge: over the size bound
    write(
        "huge.csv",
        &[b"a,".repeat(2 << 20), b"\n".to_vec()].concat(),
    );
    // too many rows, each a run (CodeCarbon's two required columns only)
    write(
        "rows.csv",
        format!(
            "emissions,energy_consumed\n{}",
            "0.001,0.002\n".repeat(10_001)
        )
        .as_bytes(),
    );
    // a CycloneDX file nested beyond the bound
    let deep = format!(
        r#"{{"bomFormat":"CycloneDX","x":{}{}}}"#,
        "[".repeat(100),
        "]".repeat(100)
    );
    write("deep.json", deep.as_bytes());
    // a model card whose YAML would multiply itself through aliases
    let mut bomb = String::from("---\nlicense: mit\na: &a [x, x, x, x, x, x, x, x, x]\n");
    for (i, prev) in ["a", "b", "c", "d", "e", "f", "g", "h"]
        .windows(2)
        .map(|w| (w[1], w[0]))
    {
        bomb += &format!(
            "{i}: &{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
        );
    }
    bomb += "---\n";
    write("bomb.md", bomb.as_bytes());
    // Latin-1 text, and a number that is no number
    let latin1 = String::from_utf8_lossy(&csv).replace("France", "Fran\u{e7}aise");
    let latin1: Vec<u8> = latin1.chars().map(|c| c as u32 as u8).collect();
    write("latin1.csv", &latin1);
    let text = String::from_utf8_lossy(&csv).into_owned();
    let energy_column = header
        .split(',')
        .position(|h| h == "energy_consumed")
        .unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let mut cells: Vec<String> = lines[1].split(',').map(String::from).collect();
    cells[energy_column] = "beaucoup".into();
    lines[1] = cells.join(",");
    write("nan.csv", lines.join("\n").as_bytes());
    // UTF-16 with its mark, as some Windows tools save: read as UTF-8 is
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
    write("utf16.csv", &utf16);

    // A bill of materials whose energy is in a unit of no energy: the rest is read.
    let bom = std::fs::read_to_string(fixture("evidence/cyclonedx/ml-bom.json")).unwrap();
    let mut bom: Value = serde_json::from_str(&bom).unwrap();
    bom["components"][0]["modelCard"]["considerations"]["environmentalConsiderations"]["energyConsumptions"]
        [0]["activityEnergyCost"]["unit"] = "kcal".into();
    write("units.json", bom.to_string().as_bytes());

    let run = boussole_in(dir.path(), &["evidence", "read", "--format", "json", "."]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    for (file, problem) in [
        ("huge.csv", "larger than 4 MiB"),
        ("rows.csv", "more than 10,000 rows"),
        ("deep.json", "nested deeper than 64 levels"),
        ("bomb.md", "aliases"),
        ("latin1.csv", "not UTF-8 text"),
        ("nan.csv", "energy_consumed « beaucoup » is not a number"),
    ] {
        let line = run
            .stderr
            .lines()
            .find(|l| l.contains(file))
            .unwrap_or_else(|| panic!("{file} is named: {}", run.stderr));
        assert!(line.contains(problem), "{file}: {line}");
    }
    // The batch went on: the UTF-16 file was read, as its UTF-8 original.
    let read: Value = serde_json::from_str(&run.stdout).unwrap();
    let files: Vec<&str> = read
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["./units.json", "./utf16.csv"]);
    let original = facts(&fixture("evidence/codecarbon/emissions-3.csv"));
    assert_eq!(read[1]["facts"], original["facts"]);
    let units = &read[0];
    assert_eq!(units["unconverted"][0]["unit"], "kcal");
    assert_eq!(
        of(units, "energy").len(),
        1,
        "the other consumption is still read"
    );
    assert_eq!(of(units, "licence").len(), 1);
    let text = boussole_in(dir.path(), &["evidence", "read", "units.json"]);
    assert!(
        text.stdout.contains("non lu — champ activityEnergyCost (components n° 1, energyConsumptions n° 1) : unité « kcal » inconnue, valeur "),
        "{}",
        text.stdout
    );
}

/// A folder of returned offers: the demo's questionnaires of `vendors`,
/// each with the files of `evidence` in the folder named after it.
fn offers(vendors: &[(&str, &[(&str, &str)])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let offres = dir.path().join("offres");
    std::fs::create_dir_all(&offres).unwrap();
    for (vendor, evidence) in vendors {
        let file = format!("{vendor}.xlsx");
        std::fs::copy(fixture(&format!("demo/{file}")), offres.join(&file)).unwrap();
        let own = offres.join(vendor);
        for (from, name) in *evidence {
            std::fs::create_dir_all(&own).unwrap();
            std::fs::copy(fixture(from), own.join(name)).unwrap();
        }
    }
    dir
}

/// The JSON report of `check offres/` in `dir`, and its findings about
/// attached files (those naming one).
fn checked(dir: &Path) -> Value {
    let run = boussole_in(dir, &["check", "offres", "--format", "json"]);
    assert!(run.code < 2, "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

fn result<'a>(report: &'a Value, vendor: &str) -> &'a Value {
    report["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["file"].as_str().unwrap().contains(vendor))
        .unwrap()
}

/// The finding `inconsistent` on `question` of the result `r`.
fn inconsistent<'a>(r: &'a Value, question: &str) -> Option<&'a Value> {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["question"] == question && f["code"] == "inconsistent")
}

/// The finding `inconsistent` on `question` naming an evidence file (a
/// contradiction between two answers names a question instead).
fn on_evidence<'a>(r: &'a Value, question: &str) -> Option<&'a Value> {
    r["findings"].as_array().unwrap().iter().find(|f| {
        f["question"] == question
            && f["code"] == "inconsistent"
            && f["related"].as_array().is_some_and(|r| {
                r.iter()
                    .any(|x| x.as_str().is_some_and(|x| x.contains('.')))
            })
    })
}

/// ML.ENERGY's published data for one model (estimates per request).
const ML_ENERGY: &str =
    "evidence/ml-energy/meta-llama__Llama-4-Maverick-17B-128E-Instruct-FP8__lm-arena-chat.json";
/// An AI Energy Score run report (measured, on the benchmark's task).
const AI_ENERGY_SCORE: &str = "evidence/ai-energy-score/benchmark_report.json";
/// Atelier Numérique Loire's CodeCarbon measurement of the reference task (95.1 Wh).
const ATELIER_RUNS: &str = "demo/atelier-numerique-loire/emissions.csv";

/// Atelier Numérique Loire's return checked with the fixtures `evidence`
/// in its own folder, each under the name given: its result.
fn atelier_with(evidence: &[(&str, &str)]) -> Value {
    let dir = offers(&[("atelier-numerique-loire", evidence)]);
    result(&checked(dir.path()), "atelier").clone()
}

#[test]
fn answers_are_checked_against_the_files_in_the_offers_own_folder() {
    let dir = offers(&[
        (
            "atelier-numerique-loire",
            &[
                (
                    "demo/atelier-numerique-loire/emissions.csv",
                    "emissions.csv",
                ),
                (
                    "demo/atelier-numerique-loire/fiche-modele.md",
                    "fiche-modele.md",
                ),
            ],
        ),
        (
            "global-cloud-ai",
            &[("demo/global-cloud-ai/nomenclature-ia.cdx.json", "bom.json")],
        ),
    ]);
    let report = checked(dir.path());
    // The evidence files are read with their offer, not passed over as offers.
    assert_eq!(
        report["skipped"].as_array().unwrap().len(),
        0,
        "{}",
        report["skipped"]
    );
    assert_eq!(report["results"].as_array().unwrap().len(), 2);

    // Atelier Numérique Loire: 95 Wh answered, 95.1 Wh measured; Apache-2.0
    // in both; the model named by its base model.
    let atelier = result(&report, "atelier");
    let files: Vec<&str> = atelier["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["emissions.csv", "fiche-modele.md"]);
    for q in ["SOB-01", "SOV-06", "LEG-05"] {
        assert!(
            on_evidence(atelier, q).is_none(),
            "{q}: {}",
            atelier["findings"]
        );
    }

    // Global Cloud AI answered Apache-2.0 (the questionnaire's example) and
    // a model its bill of materials does not describe.
    let cloud = result(&report, "global-cloud");
    let licence = on_evidence(cloud, "SOV-06").expect("the licence contradicted");
    let message = licence["message"].as_str().unwrap();
    assert!(
        message.contains("« LicenseRef-GlobalCloud-Proprietary »"),
        "{message}"
    );
    assert!(
        message.contains("(bom.json, champ licenses (components n° 1))"),
        "{message}"
    );
    assert_eq!(licence["severity"], "major");
    let model = on_evidence(cloud, "LEG-05").expect("the model not named");
    assert!(model["message"].as_str().unwrap().contains("GC-Assist"));
}

#[test]
fn a_measurement_that_agrees_stands_for_the_document_the_answer_does_not_name() {
    if !crate::support::python_has(&["openpyxl"]) {
        return;
    }
    // Atelier Numérique Loire leaves SOB-01's document cell empty (openpyxl
    // clears it in its returned file).
    let dir = offers(&[("atelier-numerique-loire", &[])]);
    let file = dir.path().join("offres/atelier-numerique-loire.xlsx");
    let script = r#"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["Questionnaire"]
header = [c.value for c in ws[1]]
document = header.index("Pièce justificative (nom du fichier)") + 1
row = next(r[0].row for r in ws.iter_rows() if r[0].value == "SOB-01")
ws.cell(row=row, column=document).value = None
wb.save(sys.argv[1])
"#;
    let run = std::process::Command::new("python3")
        .args(["-c", script, file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let sob01 = |report: &Value| {
        let atelier = result(report, "atelier");
        let missing = atelier["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["question"] == "SOB-01" && f["code"] == "evidence_missing");
        let q = atelier["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["id"] == "SOB-01")
            .unwrap()
            .clone();
        (missing, q["earned"].clone())
    };
    let (missing, earned) = sob01(&checked(dir.path()));
    assert!(missing, "no document, no file: the value is not credited");
    assert_eq!(earned, serde_json::json!({"kind": "share", "value": 0.0}));
    // Its CodeCarbon measurement, in its own folder, agrees: it stands for
    // the document reference, and the value is credited.
    let own = dir.path().join("offres/atelier-numerique-loire");
    std::fs::create_dir_all(&own).unwrap();
    std::fs::copy(
        fixture("demo/atelier-numerique-loire/emissions.csv"),
        own.join("emissions.csv"),
    )
    .unwrap();
    let (missing, earned) = sob01(&checked(dir.path()));
    assert!(!missing);
    assert_eq!(
        earned,
        serde_json::json!({"kind": "measured", "value": 95.0})
    );
}

#[test]
fn in_a_shared_folder_a_file_goes_with_the_questionnaire_its_name_begins_with() {
    let dir = offers(&[("atelier-numerique-loire", &[]), ("global-cloud-ai", &[])]);
    std::fs::copy(
        fixture("demo/global-cloud-ai/nomenclature-ia.cdx.json"),
        dir.path().join("offres/global-cloud-ai-nomenclature.json"),
    )
    .unwrap();
    let report = checked(dir.path());
    assert!(result(&report, "atelier").get("evidence").is_none());
    let cloud = result(&report, "global-cloud");
    assert_eq!(
        cloud["evidence"][0]["file"],
        "global-cloud-ai-nomenclature.json"
    );
    let licence = inconsistent(cloud, "SOV-06").expect("the licence contradicted");
    assert_eq!(licence["related"][0], "global-cloud-ai-nomenclature.json");
}

#[test]
fn a_measurement_that_disagrees_names_its_lines_and_the_yearly_volume() {
    // A real CodeCarbon run of a small task: a few milliwatt-hours, against 95 Wh answered.
    let atelier = atelier_with(&[("evidence/codecarbon/emissions-3.csv", "emissions.csv")]);
    let energy = on_evidence(&atelier, "SOB-01").expect("the energy contradicted");
    let message = energy["message"].as_str().unwrap();
    assert!(
        message.starts_with("La valeur déclarée (95 Wh) dépasse de "),
        "{message}"
    );
    assert!(
        message.contains("fichier joint emissions.csv (mesure CodeCarbon 3.3.2, ligne 2, ligne 3)"),
        "{message}"
    );
    assert!(
        message.contains("Sur le volume annuel de la consultation"),
        "{message}"
    );
    // A file that disagrees does not stand for the document reference, which
    // the offer gives anyway: no evidence finding either way.
    assert!(
        !atelier["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["question"] == "SOB-01" && f["code"] == "evidence_missing")
    );
}

#[test]
fn a_measurement_answered_against_estimates_only_is_a_finding() {
    // Atelier Numérique Loire says CodeCarbon measured its figure, and joins
    // only ML.ENERGY's published data, which estimates energy per request.
    let atelier = atelier_with(&[(ML_ENERGY, "ml-energy.json")]);
    let method = on_evidence(&atelier, "SOB-02").expect("the method contradicted");
    let message = method["message"].as_str().unwrap();
    assert!(
        message.starts_with("La méthode déclarée (« CodeCarbon (mesure logicielle) ») est une mesure ; les fichiers joints ne donnent que des estimations : "),
        "{message}"
    );
    assert!(message.contains("(données ML.ENERGY)"), "{message}");
    assert!(
        message.contains("champ energy_per_request_joules (configurations n° 1)"),
        "{message}"
    );
    // Published estimates for another deployment are no measurement of the
    // offer: its energy is not compared with them.
    assert!(on_evidence(&atelier, "SOB-01").is_none());
    // With its own CodeCarbon measurement beside, the method is borne out.
    let atelier = atelier_with(&[
        (ATELIER_RUNS, "emissions.csv"),
        (ML_ENERGY, "ml-energy.json"),
    ]);
    assert!(on_evidence(&atelier, "SOB-02").is_none());
}

#[test]
fn a_benchmark_run_the_vendor_measured_is_compared_when_no_task_measurement_is_joined() {
    // AI Energy Score's run: 133.7 Wh for its 1,000 queries, against 95 Wh answered.
    let atelier = atelier_with(&[(AI_ENERGY_SCORE, "benchmark_report.json")]);
    let energy = on_evidence(&atelier, "SOB-01").expect("the energy contradicted");
    let message = energy["message"].as_str().unwrap();
    assert!(message.starts_with("La valeur déclarée (95 Wh) est inférieure de 29 % à celle du fichier joint benchmark_report.json (mesure AI Energy Score, champ gpu) : 133,7 Wh."), "{message}");
    // With the task's own measurement joined, that one is compared.
    let atelier = atelier_with(&[
        (AI_ENERGY_SCORE, "benchmark_report.json"),
        (ATELIER_RUNS, "emissions.csv"),
    ]);
    assert!(on_evidence(&atelier, "SOB-01").is_none());
}

#[test]
fn an_unreadable_attached_file_is_an_integrity_warning_and_the_offer_is_still_checked() {
    let dir = offers(&[("atelier-numerique-loire", &[])]);
    let own = dir.path().join("offres/atelier-numerique-loire");
    std::fs::create_dir_all(&own).unwrap();
    let csv = std::fs::read_to_string(fixture("evidence/codecarbon/emissions-3.csv")).unwrap();
    let header = csv.lines().next().unwrap();
    std::fs::write(
        own.join("emissions.csv"),
        format!("{header}\n\"unterminated"),
    )
    .unwrap();
    std::fs::write(own.join("note.md"), "# Une note, pas une fiche de modèle\n").unwrap();
    let report = checked(dir.path());
    let atelier = result(&report, "atelier");
    assert_eq!(atelier["status"], "ok");
    let warnings: Vec<&str> = atelier["integrity"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["code"] == "evidence_unreadable")
        .map(|i| i["message"].as_str().unwrap())
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("Pièce jointe emissions.csv non lue : "),
        "{}",
        warnings[0]
    );
    // A note in no evidence format is no evidence, and no problem either.
    assert!(atelier.get("evidence").is_none());
}

/// Zips `entries` (path in the archive, fixture) into `zip` with Python's
/// `zipfile`, as a vendor's archiver would.
fn zip(zip: &Path, entries: &[(&str, &str)]) {
    let args: Vec<String> = entries
        .iter()
        .flat_map(|(name, from)| [name.to_string(), fixture(from).display().to_string()])
        .collect();
    let script = r#"
import sys, zipfile
out, rest = sys.argv[1], sys.argv[2:]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for name, source in zip(rest[::2], rest[1::2]):
        z.write(source, name)
"#;
    let run = std::process::Command::new("python3")
        .args(["-c", script, zip.to_str().unwrap()])
        .args(&args)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

#[test]
fn a_return_sent_as_one_zip_archive_is_checked_with_the_evidence_it_holds() {
    let dir = tempfile::tempdir().unwrap();
    let offres = dir.path().join("offres");
    std::fs::create_dir_all(&offres).unwrap();
    zip(
        &offres.join("global-cloud-ai.zip"),
        &[
            ("offre/questionnaire.xlsx", "demo/global-cloud-ai.xlsx"),
            (
                "offre/pieces/nomenclature.cdx.json",
                "demo/global-cloud-ai/nomenclature-ia.cdx.json",
            ),
            (
                "__MACOSX/offre/._questionnaire.xlsx",
                "evidence/model-card/minimal.md",
            ),
        ],
    );
    // Two questionnaires in one archive: which is the offer is not guessed.
    zip(
        &offres.join("deux.zip"),
        &[
            ("a.xlsx", "demo/global-cloud-ai.xlsx"),
            ("b.ods", "demo/petite-startup.ods"),
        ],
    );
    let run = boussole_in(dir.path(), &["check", "offres", "--format", "json"]);
    assert_eq!(run.code, 2, "one file could not be read: {}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let cloud = result(&report, "global-cloud-ai.zip");
    assert_eq!(
        cloud["file"],
        "offres/global-cloud-ai.zip › offre/questionnaire.xlsx"
    );
    assert_eq!(cloud["vendor"]["name"], "Global Cloud AI Inc.");
    assert_eq!(
        cloud["evidence"][0]["file"],
        "offre/pieces/nomenclature.cdx.json"
    );
    let licence = inconsistent(cloud, "SOV-06").expect("the licence contradicted");
    assert_eq!(licence["related"][0], "offre/pieces/nomenclature.cdx.json");
    let two = result(&report, "deux.zip");
    assert_eq!(two["status"], "error");
    assert!(
        two["error"]
            .as_str()
            .unwrap()
            .contains("holds 2 returned questionnaires"),
        "{}",
        two["error"]
    );
}
