//! What an evidence file states, normalised: one [`Fact`] per statement,
//! units converted (energy in watt-hours, emissions in grams of CO₂
//! equivalent), with where it sits in the file and whether the file says it
//! was measured or estimated.

use serde::{Deserialize, Serialize};

use crate::text::Lang;

/// One statement of an evidence file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Fact {
    /// What is stated.
    #[serde(flatten)]
    pub claim: Claim,
    /// Measured, estimated, or only declared.
    pub basis: Basis,
    /// Where in the file.
    pub at: Place,
}

/// A figure of the file in a unit that is neither of energy nor of mass:
/// not taken as a fact, and said.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Unconverted {
    /// Where it is.
    pub at: Place,
    /// The figure.
    pub value: f64,
    /// Its unit, as written.
    pub unit: String,
}

impl Unconverted {
    /// What was left out, in words.
    pub fn describe(&self, lang: Lang) -> String {
        let value = crate::text::number(self.value, lang);
        match lang {
            Lang::Fr => format!(
                "{} : unité « {} » inconnue, valeur {value} non lue",
                self.at.describe(lang),
                self.unit
            ),
            Lang::En => format!(
                "{}: unknown unit \"{}\", value {value} not read",
                self.at.describe(lang),
                self.unit
            ),
        }
    }
}

/// What a fact states.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "fact", rename_all = "snake_case")]
pub enum Claim {
    /// Energy used by an activity, in watt-hours.
    Energy {
        /// What used it.
        activity: Activity,
        /// Watt-hours.
        wh: f64,
    },
    /// Emissions of an activity, in grams of CO₂ equivalent.
    Emissions {
        /// What emitted them.
        activity: Activity,
        /// Grams of CO₂ equivalent.
        g_co2e: f64,
    },
    /// How long the measured run lasted, in seconds.
    Duration {
        /// Seconds.
        seconds: f64,
    },
    /// The model described, with its version when given.
    Model {
        /// Its name.
        name: String,
        /// Its version.
        version: Option<String>,
    },
    /// The model's licence (an SPDX identifier or expression, as written).
    Licence {
        /// The identifier.
        id: String,
    },
    /// The model it was derived from.
    BaseModel {
        /// Its name.
        name: String,
    },
    /// A data set it was trained or fine-tuned on.
    Dataset {
        /// Its name.
        name: String,
    },
    /// The hardware used.
    Hardware {
        /// As written.
        text: String,
    },
    /// Where it ran.
    Place {
        /// Country or region, as written.
        text: String,
    },
}

/// What used the energy or emitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Activity {
    /// A measured run of some code (a CodeCarbon tracker's run).
    Run,
    /// Training the model.
    Training,
    /// Fine-tuning the model.
    FineTuning,
    /// Using the model (inference).
    Inference,
    /// 1,000 requests of an energy benchmark's own task (AI Energy Score,
    /// ML.ENERGY), not the buyer's reference task.
    Benchmark,
    /// Another activity the file names.
    Other,
}

impl Activity {
    /// The activity in words.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Activity::Run, Lang::Fr) => "exécution mesurée",
            (Activity::Training, Lang::Fr) => "entraînement",
            (Activity::FineTuning, Lang::Fr) => "affinage",
            (Activity::Inference, Lang::Fr) => "inférence",
            (Activity::Benchmark, Lang::Fr) => "1 000 requêtes du banc d’essai",
            (Activity::Other, Lang::Fr) => "autre activité",
            (Activity::Run, Lang::En) => "measured run",
            (Activity::Training, Lang::En) => "training",
            (Activity::FineTuning, Lang::En) => "fine-tuning",
            (Activity::Inference, Lang::En) => "inference",
            (Activity::Benchmark, Lang::En) => "1,000 requests of the benchmark",
            (Activity::Other, Lang::En) => "other activity",
        }
    }

    /// Whether it builds the model (training or fine-tuning).
    pub fn trains(self) -> bool {
        matches!(self, Activity::Training | Activity::FineTuning)
    }
}

/// Whether a figure was measured or estimated, as the file says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Measured by the tool that wrote the file.
    Measured,
    /// The file says it is an estimate.
    Estimated,
    /// Stated, with no word on how it was obtained.
    Declared,
}

impl Basis {
    /// The basis in words.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Basis::Measured, Lang::Fr) => "mesuré",
            (Basis::Estimated, Lang::Fr) => "estimé",
            (Basis::Declared, Lang::Fr) => "déclaré",
            (Basis::Measured, Lang::En) => "measured",
            (Basis::Estimated, Lang::En) => "estimated",
            (Basis::Declared, Lang::En) => "declared",
        }
    }
}

/// Where a fact sits in its file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// A line of a text file (CSV, model card), from 1.
    Line(u64),
    /// A field of a structured file, by its path (`co2_eq_emissions`,
    /// `components[0].licenses`).
    Field(String),
}

impl Place {
    /// The place in words: « ligne 3 », « champ co2_eq_emissions ».
    pub fn describe(&self, lang: Lang) -> String {
        match (self, lang) {
            (Place::Line(n), Lang::Fr) => format!("ligne {n}"),
            (Place::Line(n), Lang::En) => format!("line {n}"),
            (Place::Field(path), _) => field(path, lang),
        }
    }
}

/// A field's path as a reader searches the file for it: its name, then the
/// items it sits in, counted from 1 (`components[0].licenses` is « champ
/// licenses (components n° 1) »; SPDX's `@graph` items are elements).
fn field(path: &str, lang: Lang) -> String {
    let mut items = Vec::new();
    let mut name = "";
    for part in path.split('.') {
        let (key, index) = match part.split_once('[') {
            Some((key, rest)) => (key, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        name = key;
        if let Some(i) = index {
            let key = match (key, lang) {
                ("@graph", Lang::Fr) => "élément",
                ("@graph", Lang::En) => "element",
                (key, _) => key,
            };
            items.push(match lang {
                Lang::Fr => format!("{key} n° {}", i + 1),
                Lang::En => format!("{key} no. {}", i + 1),
            });
        }
    }
    let within = |items: &[String]| items.join(", ");
    match (name, items.as_slice(), lang) {
        ("@graph", [.., last], _) => last.clone(),
        (_, [], Lang::Fr) => format!("champ {name}"),
        (_, [], Lang::En) => format!("field {name}"),
        (_, items, Lang::Fr) => format!("champ {name} ({})", within(items)),
        (_, items, Lang::En) => format!("field {name} ({})", within(items)),
    }
}

impl Claim {
    /// The claim in words, figures in the reader's typography.
    pub fn describe(&self, lang: Lang) -> String {
        use crate::text::number;
        let round = |x: f64, places: i32| {
            let p = 10f64.powi(places);
            (x * p).round() / p
        };
        match (self, lang) {
            (Claim::Energy { activity, wh }, Lang::Fr) => {
                let (value, unit) = energy_shown(*wh);
                let value = number(value, lang);
                format!("énergie ({}) : {value} {unit}", activity.label(lang))
            }
            (Claim::Energy { activity, wh }, Lang::En) => {
                let (value, unit) = energy_shown(*wh);
                let value = number(value, lang);
                format!("energy ({}): {value} {unit}", activity.label(lang))
            }
            (Claim::Emissions { activity, g_co2e }, Lang::Fr) => format!(
                "émissions ({}) : {} g CO₂e",
                activity.label(lang),
                number(round(*g_co2e, 3), lang)
            ),
            (Claim::Emissions { activity, g_co2e }, Lang::En) => format!(
                "emissions ({}): {} g CO₂e",
                activity.label(lang),
                number(round(*g_co2e, 3), lang)
            ),
            (Claim::Duration { seconds }, Lang::Fr) => {
                format!("durée : {} s", number(round(*seconds, 1), lang))
            }
            (Claim::Duration { seconds }, Lang::En) => {
                format!("duration: {} s", number(round(*seconds, 1), lang))
            }
            (Claim::Model { name, version }, _) => {
                let what = match lang {
                    Lang::Fr => "modèle : ",
                    Lang::En => "model: ",
                };
                match version {
                    Some(v) => format!("{what}{name} {v}"),
                    None => format!("{what}{name}"),
                }
            }
            (Claim::Licence { id }, Lang::Fr) => format!("licence : {id}"),
            (Claim::Licence { id }, Lang::En) => format!("licence: {id}"),
            (Claim::BaseModel { name }, Lang::Fr) => format!("modèle de base : {name}"),
            (Claim::BaseModel { name }, Lang::En) => format!("base model: {name}"),
            (Claim::Dataset { name }, Lang::Fr) => format!("jeu de données : {name}"),
            (Claim::Dataset { name }, Lang::En) => format!("data set: {name}"),
            (Claim::Hardware { text }, Lang::Fr) => format!("matériel : {text}"),
            (Claim::Hardware { text }, Lang::En) => format!("hardware: {text}"),
            (Claim::Place { text }, Lang::Fr) => format!("lieu : {text}"),
            (Claim::Place { text }, Lang::En) => format!("place: {text}"),
        }
    }
}

/// Watt-hours as a reader expects them: Wh under 10 kWh, else kWh, with
/// three significant figures at least.
pub fn energy_shown(wh: f64) -> (f64, &'static str) {
    let (value, unit) = if wh.abs() >= 10_000.0 {
        (wh / 1_000.0, "kWh")
    } else {
        (wh, "Wh")
    };
    let places = if value.abs() >= 100.0 {
        1
    } else if value.abs() >= 1.0 {
        2
    } else {
        4
    };
    let p = 10f64.powi(places);
    ((value * p).round() / p, unit)
}

/// Watt-hours in `value` `unit` (kWh, Wh, MWh, J, kJ, MJ, GJ), if the unit
/// is one of energy.
pub fn to_wh(value: f64, unit: &str) -> Option<f64> {
    let factor = match unit.trim().to_ascii_lowercase().as_str() {
        "wh" | "watthour" => 1.0,
        "kwh" | "kilowatthour" => 1_000.0,
        "mwh" | "megawatthour" => 1_000_000.0,
        "j" | "joule" => 1.0 / 3_600.0,
        "kj" | "kilojoule" => 1.0 / 3.6,
        "mj" | "megajoule" => 1_000.0 / 3.6,
        "gj" | "gigajoule" => 1_000_000.0 / 3.6,
        _ => return None,
    };
    Some(value * factor)
}

/// Grams of CO₂ equivalent in `value` `unit` (g, kg, t, with or without
/// `CO2eq`), if the unit is one of mass.
pub fn to_grams(value: f64, unit: &str) -> Option<f64> {
    let u: String = unit
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == '₂' { '2' } else { c })
        .collect();
    let u = ["co2eq", "co2e", "co2"]
        .iter()
        .find_map(|s| u.strip_suffix(s))
        .unwrap_or(&u);
    let factor = match u {
        "g" | "gram" | "grams" => 1.0,
        "kg" | "kilogram" | "kilograms" => 1_000.0,
        "t" | "tonne" | "tonnes" | "ton" => 1_000_000.0,
        _ => return None,
    };
    Some(value * factor)
}

/// A text of the file as a fact keeps it: trimmed, control characters
/// dropped, cut at [`crate::response::bounds::MAX_FACT_CHARS`]; `None` when
/// nothing is left.
pub fn text(s: &str) -> Option<String> {
    let kept: String = s
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(crate::response::bounds::MAX_FACT_CHARS)
        .collect();
    (!kept.is_empty()).then_some(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn energy_and_mass_units_convert() {
        assert!((to_wh(0.0951, "kWh").unwrap() - 95.1).abs() < 1e-9);
        assert!((to_wh(3.6, "MJ").unwrap() - 1_000.0).abs() < 1e-9);
        assert!((to_wh(7_200.0, "J").unwrap() - 2.0).abs() < 1e-9);
        assert_eq!(to_wh(1.0, "kilowattHour"), Some(1_000.0));
        assert_eq!(to_wh(1.0, "kg"), None);
        assert_eq!(to_grams(1.5, "tCO2eq"), Some(1_500_000.0));
        assert_eq!(to_grams(2.0, "kg CO₂e"), Some(2_000.0));
        assert_eq!(to_grams(2.0, "kWh"), None);
    }

    #[test]
    fn claims_read_in_french_typography() {
        let c = Claim::Energy {
            activity: Activity::Run,
            wh: 95.1,
        };
        assert_eq!(
            c.describe(Lang::Fr),
            "énergie (exécution mesurée) : 95,1 Wh"
        );
        assert_eq!(c.describe(Lang::En), "energy (measured run): 95.1 Wh");
        assert_eq!(energy_shown(123_456.0), (123.5, "kWh"));
        let at =
            Place::Field("components[0].modelCard.energyConsumptions[1].activityEnergyCost".into());
        assert_eq!(
            at.describe(Lang::Fr),
            "champ activityEnergyCost (components n° 1, energyConsumptions n° 2)"
        );
        assert_eq!(
            Place::Field("@graph[14]".into()).describe(Lang::Fr),
            "élément n° 15"
        );
        assert_eq!(
            Place::Field("@graph[7].name".into()).describe(Lang::En),
            "field name (element no. 8)"
        );
    }
}
