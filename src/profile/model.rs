//! What a tender profile holds.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::date::Date;
use crate::rule::Severity;
use crate::text::Lang;

/// One tender, as the buyer describes it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Who buys.
    pub buyer: Buyer,
    /// The consultation.
    pub tender: Tender,
    /// Key dates.
    pub dates: Dates,
    /// The AI system bought.
    pub system: System,
    /// The buyer's data, as the sovereignty requirement justifies itself.
    pub data: Data,
    /// The task every tenderer measures energy on.
    pub reference_task: ReferenceTask,
    /// The compass's part of the award.
    pub award: Award,
    /// Technical thresholds used by rules and clauses, by name. Those left
    /// out take the default profile's value; unknown names are refused.
    #[serde(default)]
    pub thresholds: BTreeMap<String, Threshold>,
    /// Changes to the library's severities or weights, each justified.
    #[serde(default)]
    pub overrides: Vec<Override>,
    /// What regularisation letters need: deadline and signatory.
    #[serde(default)]
    pub regularisation: Regularisation,
    /// The amounts of the penalties the CCAP sets (those left out take
    /// their default).
    #[serde(default)]
    pub penalties: Penalties,
    /// Where the annex goes among the consultation documents.
    #[serde(default)]
    pub dce: Dce,
}

/// The penalties of the CCAP, in euros excluding tax, the buyer may set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Penalties {
    /// Per hour of delay beyond the deadline to notify an incident.
    pub late_notice_per_hour: f64,
    /// Per day of delay in handing over a report or a document due.
    pub late_report_per_day: f64,
    /// Per change of model or version made without the notice due.
    pub undisclosed_model_change: f64,
    /// Per hosting of, or access to, the buyer's data outside the zone,
    /// and per day it lasts after a formal notice.
    pub out_of_zone_per_day: f64,
    /// Per use of the buyer's data to train or improve a model.
    pub data_training: f64,
    /// Per hour beyond the support delay for a blocking incident.
    pub service_level_per_hour: f64,
    /// Per day of delay in the yearly reversibility test.
    pub reversibility_test_per_day: f64,
    /// The penalties of a year together, at most, in % of the amount
    /// excluding tax paid that year.
    pub yearly_cap_percent: f64,
}

impl Default for Penalties {
    fn default() -> Self {
        Penalties {
            late_notice_per_hour: 200.0,
            late_report_per_day: 100.0,
            undisclosed_model_change: 5000.0,
            out_of_zone_per_day: 1000.0,
            data_training: 20000.0,
            service_level_per_hour: 100.0,
            reversibility_test_per_day: 150.0,
            yearly_cap_percent: 10.0,
        }
    }
}

impl Penalties {
    /// Each amount with its name, as in the profile.
    pub fn amounts(&self) -> [(&'static str, f64); 8] {
        [
            ("late_notice_per_hour", self.late_notice_per_hour),
            ("late_report_per_day", self.late_report_per_day),
            ("undisclosed_model_change", self.undisclosed_model_change),
            ("out_of_zone_per_day", self.out_of_zone_per_day),
            ("data_training", self.data_training),
            ("service_level_per_hour", self.service_level_per_hour),
            (
                "reversibility_test_per_day",
                self.reversibility_test_per_day,
            ),
            ("yearly_cap_percent", self.yearly_cap_percent),
        ]
    }
}

/// Where the annex goes among the consultation documents (the DCE), all
/// optional: printed on the annex's cover, and the host articles number
/// the annex's articles as the buyer's CCTP, CCAP and RC will.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dce {
    /// The procedure, as the consultation rules name it (« Appel d'offres ouvert »).
    #[serde(default)]
    pub procedure: Option<String>,
    /// The annex's place in the DCE (« Annexe n° 3 au CCTP, au CCAP et au RC »).
    #[serde(default)]
    pub piece: Option<String>,
    /// The CCTP article that takes part 1: its articles become `7.1`, `7.2`…
    #[serde(default)]
    pub cctp_article: Option<String>,
    /// The CCAP article that takes part 2.
    #[serde(default)]
    pub ccap_article: Option<String>,
    /// The RC article that takes part 3.
    #[serde(default)]
    pub rc_article: Option<String>,
}

/// The buyer.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Buyer {
    /// Legal name of the public buyer.
    pub name: String,
    /// The department in charge.
    #[serde(default)]
    pub department: Option<String>,
    /// Who vendors contact.
    #[serde(default)]
    pub contact: Option<String>,
    /// Contact address.
    #[serde(default)]
    pub email: Option<String>,
    /// Postal address, one line per entry: the sender block of letters.
    #[serde(default)]
    pub address: Vec<String>,
    /// The town letters are written from (« Nantes, le 3 décembre 2026 »).
    #[serde(default)]
    pub place: Option<String>,
}

/// Regularisation requests (CCP R. 2152-2): what the letters need.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Regularisation {
    /// Days the vendor has to answer, counted from the letter's date.
    #[serde(default)]
    pub days: Option<u32>,
    /// Who signs the letters.
    #[serde(default)]
    pub signatory: Option<String>,
    /// The signatory's role, as it opens the signature block.
    #[serde(default)]
    pub signatory_role: Option<String>,
    /// How the vendor sends the regularised file back (default: the buyer
    /// profile the tender is published on).
    #[serde(default)]
    pub channel: Option<String>,
}

/// The consultation.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tender {
    /// The buyer's reference.
    pub reference: String,
    /// The consultation's title.
    pub title: String,
    /// The lot, if any.
    #[serde(default)]
    pub lot: Option<String>,
    /// The language of the documents.
    #[serde(default)]
    pub language: Lang,
}

/// Key dates.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dates {
    /// When the contract notice is sent.
    #[serde(default)]
    pub launch: Option<Date>,
    /// Deadline for offers.
    #[serde(default)]
    pub offers_due: Option<Date>,
    /// Planned award.
    pub award_date: Date,
    /// Start of the contract.
    pub contract_start: Date,
    /// Duration of the contract, in months.
    pub contract_months: u32,
    /// Planned go-live of the system.
    #[serde(default)]
    pub go_live: Option<Date>,
}

impl Dates {
    /// The last day covered by the contract.
    pub fn contract_end(&self) -> Date {
        self.contract_start.add_months(self.contract_months)
    }
}

/// The nature of the AI system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SystemKind {
    /// Produces text, images or sound.
    Generative,
    /// Forecasts a quantity or an event.
    Predictive,
    /// Sorts items into classes.
    Classification,
    /// Analyses images or video.
    Vision,
    /// Transcribes or synthesises speech.
    Speech,
    /// Plans or optimises resources.
    Optimisation,
    /// Anything else.
    Other,
}

/// Where the system runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Deployment {
    /// Hosted by the vendor.
    Saas,
    /// On the buyer's premises.
    OnPremise,
    /// Both.
    Hybrid,
}

/// Risk class under Regulation (EU) 2024/1689. Prohibited practices cannot be bought.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskClass {
    /// No specific obligation.
    Minimal,
    /// Transparency obligations only (art. 50).
    Limited,
    /// High-risk (art. 6 and Annex III).
    High,
}

/// The AI system bought.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct System {
    /// What it does, in one or two sentences.
    #[serde(default)]
    pub description: String,
    /// Its nature.
    pub kind: SystemKind,
    /// Where it runs.
    pub deployment: Deployment,
    /// Used by the public.
    pub used_by_public: bool,
    /// Used by the buyer's agents.
    pub used_by_agents: bool,
    /// Processes personal data.
    pub personal_data: bool,
    /// Processes health data (switches on HDS hosting rules).
    pub health_data: bool,
    /// Founds or prepares individual decisions about people.
    pub individual_decisions: bool,
    /// AI Act risk class.
    pub ai_act_risk: RiskClass,
    /// Inference of special categories of data: always refused.
    #[serde(default)]
    pub special_category_inference: bool,
}

/// The buyer's data the solution processes.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Data {
    /// Their nature, in a few words: it grounds the requirement to keep
    /// them in the European Union and the EEA.
    pub nature: String,
}

/// The reference task on which every tenderer states the solution's
/// energy, published in the consultation rules so that offers compare.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceTask {
    /// What the task is, in one full sentence.
    pub description: String,
    /// The reference data set given with the tender documents.
    pub dataset: String,
    /// Average input length, in tokens.
    pub input_tokens: u32,
    /// Average output length, in tokens.
    pub output_tokens: u32,
    /// What the measurement covers (GPUs only, whole server, with or
    /// without the data centre's PUE).
    pub perimeter: String,
    /// Expected number of reference tasks a year: energy per 1,000 tasks ×
    /// this volume ÷ 1,000 is the yearly energy compared across offers.
    #[serde(default)]
    pub annual_volume: Option<u64>,
}

impl ReferenceTask {
    /// The yearly energy, in kWh, of a value stated in Wh per 1,000 tasks.
    pub fn annual_kwh(&self, wh_per_thousand: f64) -> Option<f64> {
        self.annual_volume
            .map(|v| wh_per_thousand * v as f64 / 1_000.0 / 1_000.0)
    }
}

/// The compass's part of the award.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Award {
    /// Points of the total mark (out of 100) carried by the compass.
    pub compass_share: f64,
    /// Sub-weight of each criterion, summing to 100.
    pub weights: BTreeMap<String, f64>,
    /// Announced minimum score (out of 100) per criterion.
    #[serde(default)]
    pub minimum: BTreeMap<String, f64>,
}

/// A technical threshold: a number, or the name of a list (`hosting_zone`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Threshold {
    /// A number in the unit the template documents.
    Number(f64),
    /// A name, such as a list id.
    Name(String),
}

/// A justified change to one question's severity or weight.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// The question.
    pub question: String,
    /// New severity of its rule.
    #[serde(default)]
    pub severity: Option<Severity>,
    /// New weight.
    #[serde(default)]
    pub weight: Option<u32>,
    /// New scale, for an award element (printed in the annex as announced).
    #[serde(default)]
    pub scale: Option<crate::library::Scale>,
    /// Why: printed in the annex, since it changes what the RC announces.
    #[serde(default)]
    pub justification: String,
}

impl Profile {
    /// The profile as JSON, with derived fields (`dates.contract_end`): what
    /// conditions, bounds and placeholders read.
    pub fn facts(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(self).unwrap_or_default();
        if let Some(dates) = v.get_mut("dates").and_then(|d| d.as_object_mut()) {
            dates.insert(
                "contract_end".into(),
                self.dates.contract_end().to_string().into(),
            );
        }
        v
    }

    /// SHA-256 of the profile's content.
    pub fn hash(&self) -> String {
        let bytes = serde_json::to_vec(self).unwrap_or_default();
        hex::encode(Sha256::digest(&bytes))
    }

    /// The override of a question, if any.
    pub fn override_of(&self, question: &str) -> Option<&Override> {
        self.overrides.iter().find(|o| o.question == question)
    }
}

impl Threshold {
    /// What kind of value it is, in words.
    pub fn kind(&self) -> &'static str {
        match self {
            Threshold::Number(_) => "a number",
            Threshold::Name(_) => "a name between quotes",
        }
    }

    /// What kind of value it is, in French.
    pub fn kind_fr(&self) -> &'static str {
        match self {
            Threshold::Number(_) => "un nombre",
            Threshold::Name(_) => "un nom entre guillemets",
        }
    }

    /// The number, if it is one.
    pub fn number(&self) -> Option<f64> {
        match self {
            Threshold::Number(n) => Some(*n),
            Threshold::Name(_) => None,
        }
    }
}
