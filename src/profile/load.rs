//! Reading a profile: the embedded default, or a buyer's file.

use std::path::{Path, PathBuf};

use super::check::{self, Checked};
use super::model::Profile;
use crate::error::Error;
use crate::library::Library;

/// The commented example profile, also the default profile.
pub const TEMPLATE: &str = include_str!("../../templates/profil.toml");

/// The name the default profile goes by in messages.
pub const DEFAULT_NAME: &str = "profil par défaut (embedded)";

/// Parses a profile's TOML. Thresholds left out take the default's values;
/// unknown or mistyped ones are refused.
pub fn parse(path: &Path, text: &str) -> Result<Profile, Error> {
    let refuse = |problems: Vec<String>| Error::Profile {
        path: path.to_path_buf(),
        problems,
    };
    let table = toml::from_str::<toml::Table>(text).ok();
    let prohibited = table.as_ref().is_some_and(|t| {
        t.get("system")
            .and_then(|s| s.get("ai_act_risk"))
            .and_then(|r| r.as_str())
            == Some("prohibited")
    });
    if let Some(t) = &table {
        let missing: Vec<String> = SECTIONS_ADDED
            .iter()
            .filter(|(name, _)| !t.contains_key(*name))
            .map(|(name, why)| {
                format!(
                    "[{name}]: missing section, {why}; copy it from the commented example \
                     profile `boussole init` writes"
                )
            })
            .collect();
        if !missing.is_empty() {
            return Err(refuse(missing));
        }
    }
    if prohibited {
        return Err(refuse(vec![
            "system.ai_act_risk: `prohibited` cannot be bought: practices prohibited by art. 5 of \
             Regulation (EU) 2024/1689 are excluded by criterion 1 of the compass"
                .into(),
        ]));
    }
    let mut profile: Profile =
        toml::from_str(text).map_err(|e| refuse(vec![e.to_string().trim_end().to_string()]))?;
    let defaults: Profile = toml::from_str(TEMPLATE).map_err(|e| refuse(vec![e.to_string()]))?;
    let mut problems = Vec::new();
    for (name, value) in &profile.thresholds {
        match defaults.thresholds.get(name) {
            None => problems.push(match renamed(name) {
                Some((new, why)) => format!("thresholds.{name}: renamed `{new}` ({why})"),
                None => format!(
                    "thresholds.{name}: unknown threshold (known: {})",
                    defaults
                        .thresholds
                        .keys()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }),
            Some(d) if std::mem::discriminant(d) != std::mem::discriminant(value) => {
                problems.push(format!("thresholds.{name}: expected {}", d.kind()))
            }
            Some(_) => {}
        }
    }
    if !problems.is_empty() {
        return Err(refuse(problems));
    }
    for (name, value) in defaults.thresholds {
        profile.thresholds.entry(name).or_insert(value);
    }
    Ok(profile)
}

/// Sections a profile written for an earlier library lacks, with what they
/// are for: named plainly rather than as a parse error.
const SECTIONS_ADDED: &[(&str, &str)] = &[
    (
        "data",
        "required since library 2026.12.0: the nature of the buyer's data justifies the \
         hosting and access requirement (nature, personal_data, health_data)",
    ),
    (
        "reference_task",
        "required since library 2026.12.0: the task every tenderer measures energy on, \
         printed in the consultation rules (description, dataset, input_tokens, \
         output_tokens, perimeter, annual_volume)",
    ),
];

/// Thresholds a former profile may still carry, with their new name and why
/// they changed.
const RENAMED: &[(&str, &str, &str)] = &[(
    "exit_transition_max",
    "exit_transition_min",
    "the transition period is now a minimum the buyer may extend, no longer a maximum",
)];

fn renamed(name: &str) -> Option<(&'static str, &'static str)> {
    RENAMED
        .iter()
        .find(|(old, _, _)| *old == name)
        .map(|&(_, new, why)| (new, why))
}

impl Profile {
    /// The default profile (the commented template).
    pub fn embedded() -> Profile {
        parse(Path::new(DEFAULT_NAME), TEMPLATE).expect("the embedded profile template parses")
    }
}

/// Loads the profile at `path`, or the default one, and checks it against
/// the library. Refused with every problem named; warnings come back.
pub fn load(path: Option<&Path>, library: &Library) -> Result<Checked, Error> {
    let (path, profile) = match path {
        Some(p) => {
            let text = crate::input::read_to_string(p)?;
            (p.to_path_buf(), parse(p, &text)?)
        }
        None => (PathBuf::from(DEFAULT_NAME), Profile::embedded()),
    };
    check::check(profile, library).map_err(|problems| Error::Profile {
        path,
        problems: problems
            .iter()
            .map(|p| p.line(crate::text::Lang::En))
            .collect(),
    })
}
