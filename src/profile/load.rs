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
    let prohibited = toml::from_str::<toml::Table>(text).ok().is_some_and(|t| {
        t.get("system")
            .and_then(|s| s.get("ai_act_risk"))
            .and_then(|r| r.as_str())
            == Some("prohibited")
    });
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
            None => problems.push(format!(
                "thresholds.{name}: unknown threshold (known: {})",
                defaults
                    .thresholds
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
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
            let text = std::fs::read_to_string(p).map_err(|e| Error::Io(p.to_path_buf(), e))?;
            (p.to_path_buf(), parse(p, &text)?)
        }
        None => (PathBuf::from(DEFAULT_NAME), Profile::embedded()),
    };
    check::check(profile, library).map_err(|problems| Error::Profile { path, problems })
}
