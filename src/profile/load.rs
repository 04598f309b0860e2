//! Reading a profile: the embedded default, or a buyer's file.

use std::path::{Path, PathBuf};

use super::check::{self, Checked, Problem};
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
    read(text).map_err(|problems| Error::Profile {
        path: path.to_path_buf(),
        problems: problems
            .iter()
            .map(|p| p.line(crate::text::Lang::En))
            .collect(),
    })
}

/// Parses a profile's TOML as [`parse`] does, each problem told in French
/// and in English (what the page shows in its language).
pub fn read(text: &str) -> Result<Profile, Vec<Problem>> {
    let table = toml::from_str::<toml::Table>(text).ok();
    let prohibited = table.as_ref().is_some_and(|t| {
        t.get("system")
            .and_then(|s| s.get("ai_act_risk"))
            .and_then(|r| r.as_str())
            == Some("prohibited")
    });
    if let Some(t) = &table {
        let missing: Vec<Problem> = SECTIONS_ADDED
            .iter()
            .filter(|(name, _, _)| !t.contains_key(*name))
            .map(|(name, fr, en)| {
                Problem::new(
                    format!("[{name}]"),
                    format!(
                        "section manquante, {fr} ; copiez-la du profil d'exemple commenté qu'écrit « boussole init »"
                    ),
                    format!(
                        "missing section, {en}; copy it from the commented example profile `boussole init` writes"
                    ),
                )
            })
            .collect();
        if !missing.is_empty() {
            return Err(missing);
        }
    }
    if prohibited {
        return Err(vec![Problem::new(
            "system.ai_act_risk",
            "« prohibited » ne peut pas être acheté : les pratiques interdites par l'article 5 du règlement (UE) 2024/1689 sont exclues par le critère 1 de la boussole",
            "`prohibited` cannot be bought: practices prohibited by art. 5 of Regulation (EU) 2024/1689 are excluded by criterion 1 of the compass",
        )]);
    }
    let mut profile: Profile = toml::from_str(text)
        .map_err(|e| vec![Problem::unplaced(e.to_string().trim_end().to_string())])?;
    let defaults: Profile =
        toml::from_str(TEMPLATE).map_err(|e| vec![Problem::unplaced(e.to_string())])?;
    let mut problems = Vec::new();
    for (name, value) in &profile.thresholds {
        let field = format!("thresholds.{name}");
        match defaults.thresholds.get(name) {
            None => problems.push(match renamed(name) {
                Some((new, fr, en)) => Problem::new(
                    field,
                    format!("renommé « {new} » ({fr})"),
                    format!("renamed `{new}` ({en})"),
                ),
                None => {
                    let known = defaults
                        .thresholds
                        .keys()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ");
                    Problem::new(
                        field,
                        format!("seuil inconnu (seuils connus : {known})"),
                        format!("unknown threshold (known: {known})"),
                    )
                }
            }),
            Some(d) if std::mem::discriminant(d) != std::mem::discriminant(value) => {
                problems.push(Problem::new(
                    field,
                    format!("attendu : {}", d.kind_fr()),
                    format!("expected {}", d.kind()),
                ))
            }
            Some(_) => {}
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    for (name, value) in defaults.thresholds {
        profile.thresholds.entry(name).or_insert(value);
    }
    Ok(profile)
}

/// Sections a profile written for an earlier library lacks, with what they
/// are for: named plainly rather than as a parse error.
const SECTIONS_ADDED: &[(&str, &str, &str)] = &[
    (
        "data",
        "exigée depuis la bibliothèque 2026.12.0 : la nature des données de l'acheteur justifie \
         l'exigence d'hébergement et d'accès (nature, personal_data, health_data)",
        "required since library 2026.12.0: the nature of the buyer's data justifies the \
         hosting and access requirement (nature, personal_data, health_data)",
    ),
    (
        "reference_task",
        "exigée depuis la bibliothèque 2026.12.0 : la tâche sur laquelle chaque soumissionnaire \
         mesure l'énergie, imprimée au règlement de la consultation (description, dataset, \
         input_tokens, output_tokens, perimeter, annual_volume)",
        "required since library 2026.12.0: the task every tenderer measures energy on, \
         printed in the consultation rules (description, dataset, input_tokens, \
         output_tokens, perimeter, annual_volume)",
    ),
];

/// Thresholds a former profile may still carry, with their new name and why
/// they changed.
const RENAMED: &[(&str, &str, &str, &str)] = &[(
    "exit_transition_max",
    "exit_transition_min",
    "la période de transition est désormais un minimum que l'acheteur peut allonger, non plus un maximum",
    "the transition period is now a minimum the buyer may extend, no longer a maximum",
)];

/// The new name of a renamed threshold, and why, in French and in English.
fn renamed(name: &str) -> Option<(&'static str, &'static str, &'static str)> {
    RENAMED
        .iter()
        .find(|(old, ..)| *old == name)
        .map(|&(_, new, fr, en)| (new, fr, en))
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
