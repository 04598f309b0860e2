//! The newcomer's journey on embedded data: `boussole demo` writes a folder
//! with everything boussole does for a buyer, from the tender profile to the
//! reports on four returned offers, the project group's opinion, and the
//! winner's first year of follow-up.
//!
//! The four vendors' returned files and the project group's completed grid
//! are real files, filled by another program (openpyxl) and saved by
//! LibreOffice (`tests/scripts/make_demo_fixtures.sh` makes them), embedded
//! here as they are ([`OFFERS`], [`GRID`], [`YEARLY_REPORT`]); a test checks
//! that they were made from the embedded library.

/// A returned file embedded in the binary.
pub struct Embedded {
    /// Where it goes in the demo folder.
    pub path: &'static str,
    /// Its bytes.
    pub bytes: &'static [u8],
}

macro_rules! embedded {
    ($($path:literal => $file:literal),* $(,)?) => {
        &[$(Embedded { path: $path, bytes: include_bytes!(concat!("../fixtures/demo/", $file)) }),*]
    };
}

/// The four offers, as their vendors returned them.
pub const OFFERS: &[Embedded] = embedded![
    "reponses/atelier-numerique-loire.xlsx" => "atelier-numerique-loire.xlsx",
    "reponses/visiosurete.xlsx" => "visiosurete.xlsx",
    "reponses/global-cloud-ai.xlsx" => "global-cloud-ai.xlsx",
    "reponses/petite-startup.ods" => "petite-startup.ods",
];

/// The evidence files two vendors attach, in the folder named after their
/// questionnaire (see [`crate::evidence::attached_to`]): Atelier Numérique
/// Loire's CodeCarbon measurement and model card back its answers; Global
/// Cloud AI's bill of materials gives its model another licence, and
/// another name, than its answers do. Written by the formats' own tools
/// (`tests/scripts/make_evidence.py`).
pub const EVIDENCE: &[Embedded] = embedded![
    "reponses/atelier-numerique-loire/emissions.csv" => "atelier-numerique-loire/emissions.csv",
    "reponses/atelier-numerique-loire/fiche-modele.md" => "atelier-numerique-loire/fiche-modele.md",
    "reponses/global-cloud-ai/nomenclature-ia.cdx.json" => "global-cloud-ai/nomenclature-ia.cdx.json",
];

/// The project group's grid, completed.
pub const GRID: Embedded = Embedded {
    path: "grille/grille-remplie.xlsx",
    bytes: include_bytes!("../fixtures/demo/grille-remplie.xlsx"),
};

/// The winner's first yearly report, filled by the contractor after a year
/// of service: one commitment missed (energy per task above the promise).
pub const YEARLY_REPORT: Embedded = Embedded {
    path: "suivi/rapport-annee-1.xlsx",
    bytes: include_bytes!("../fixtures/demo/rapport-annee-1.xlsx"),
};

/// The guide to the demo folder, in the order a buyer opens the files.
pub const README: &str = include_str!("../templates/LISEZ-MOI.md");
