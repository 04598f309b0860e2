//! After award: the algorithm's public record, from the sealed award, the
//! project group's completed grid and the tender profile.
//!
//! Two texts are owed once an administration uses the system bought:
//!
//! - **The sheet given to a person, on request.** Where an individual
//!   decision is taken on the basis of an algorithmic processing, the
//!   person concerned may obtain the rules defining the processing and the
//!   main characteristics of its implementation (CRPA art. L. 311-3-1), in
//!   intelligible form: 1° the degree and mode of the processing's
//!   contribution to the decision; 2° the data processed and their
//!   sources; 3° its parameters and, where relevant, their weighting,
//!   applied to the person's situation; 4° the operations it carries out
//!   (art. R. 311-3-1-2). The sheet applies only where an individual
//!   decision is taken on the basis of the algorithm: the document says
//!   what the tender profile declares (`system.individual_decisions`), never
//!   a legal verdict.
//! - **The entry of the public inventory.** Administrations publish online
//!   the rules of the main algorithmic processings that found individual
//!   decisions (art. L. 312-1-3), except those with fewer than 50 agents or
//!   employees in full-time equivalent (art. D. 312-1-4).
//!
//! [`build`] fills each field of both from what the inputs really hold;
//! [`document`] writes the sheet and the inventory entry for people (DOCX or
//! Markdown, through [`crate::office`]), [`register`] the entry as JSON.
//!
//! ## Where each field comes from
//!
//! [`FIELDS`] is the one table: for each field, the sources read in order
//! (all that hold something are kept), and who completes it otherwise. A
//! source is the winner's commitment on a question, else the project
//! group's answer to it in the grid (*answer*); the grid alone (*grid*); an
//! item of the grid's instruction record (*record*); the tender profile; the
//! contractor named by the award; the compass's yearly follow-up, whose
//! first review is due a year after go-live. A field nothing holds is
//! **asked for, never invented**: the documents print « À compléter par
//! *who* : *what is needed* », the JSON export leaves it empty and names it
//! in `missing`.
//!
//! | Field | Part of the sheet | Sources |
//! |---|---|---|
//! | `name` | presentation | profile: tender title |
//! | `organization` | presentation | profile: buyer |
//! | `department` | presentation | profile: buyer's department |
//! | `description_short` | presentation | record: use case |
//! | `goal` | presentation | grid: PUB-01 (users' need, benefit) |
//! | `decision_making_process` | presentation | — (user service) |
//! | `lawful_basis` | presentation | — (legal staff) |
//! | `contribution` | 1° | grid: AGT-03 (tasks, checking the results) |
//! | `human_intervention` | 1° | answer: PUB-05, AGT-07, LEG-10 |
//! | `source_data` | 2° | — (user service) |
//! | `connected_data_sources` | 2° | — (data protection officer) |
//! | `special_data` | 2° | answer: BIO-08, BIO-07 |
//! | `reuse` | 2° | answer: LEG-08 |
//! | `training_data` | 2° | answer: TRA-03; BIO-10 |
//! | `data_bias` | 2° | answer: BIO-11, BIO-13 |
//! | `DPIA_description` | 2° | record: DPIA |
//! | `parameters` | 3° | — (the agent handling the request: always per person) |
//! | `explanation` | 3° | answer: TRA-05 (the four items, result by result) |
//! | `description` | 4° | profile: the system bought |
//! | `methods_and_models` | 4° | answer: LEG-05, SOB-04 |
//! | `product_information` | 4° | answer: TRA-02 (model card) |
//! | `contractor` | 4° | the award's contractor |
//! | `hosting` | 4° | answer: SOV-04 |
//! | `retention` | 4° | answer: LEG-15, CYB-07 |
//! | `performance` | 4° | answer: PUB-04 |
//! | `contact_email` | rights | — (publishing service) |
//! | `mention` | rights | grid: TRA-06 (the mention on decisions) |
//! | `objection_procedure` | rights | answer: PUB-06, else legal staff |
//! | `impact` | inventory | answer: PUB-05, PUB-07 |
//! | `risk_category` | inventory | profile: AI Act risk class |
//! | `algorithm_type` | inventory | profile: kind of system (generative, vision, speech: self-learning) |
//! | `type` | inventory | — (user service) |
//! | `risks` | inventory | — (user service) |
//! | `AIA_description` | inventory | record: FRIA |
//! | `proportionality` | inventory | — (user service) |
//! | `alternatives_considered` | inventory | grid: ALT-01, ALT-02 |
//! | `monitoring` | inventory | answer: PUB-03; follow-up plan |
//! | `rollback` | inventory | answer: ALT-05, ALT-06 |
//! | `area`, `domain`, `status` | inventory | — (publishing service) |
//! | `publication_date`, `last_change_date` | inventory | — (publishing service) |
//! | `revision_date`, `revision_note` | inventory | follow-up plan: first yearly review |
//!
//! An answer given in words is kept as typed; a choice, a number or a yes
//! or no is printed after its question, so that it reads on its own.
//!
//! ## The export: Algorithmic Transparency Standard 0.3.1
//!
//! [`register`] follows the *Algorithmic Transparency Standard* of
//! Eurocities and the Algorithm Register consortium, version 0.3.1, whose
//! JSON Schema is vendored in `schema/register/` (source, version and terms
//! in its README). Each field of the table above whose name is an attribute
//! of the standard is exported under that name: text fields as text (empty
//! when missing), the fields the schema types (a choice from its list, a
//! URL, a date) only when held, since an empty value would break the
//! schema; `standard_version` is `0.3.1` and `lang` the document's language.
//! The standard has no way to say a field is still to be completed: the
//! export adds `missing`, the attributes left empty, which the schema
//! allows. The sheet's own fields (1° to 4° without an attribute of the
//! standard) are not exported. The standard's optional links (`website`,
//! `documentation`, `codebase_url`, `product_page`, `DPIA_url`, `AIA_url`),
//! `contact_name`, `contact_phone`, `remark`, `uuid` and `keywords` are held
//! by no input and left out.

use std::path::Path;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::Error;
use crate::award::Award;
use crate::check::Basis;
use crate::finding::Status;
use crate::library::AnswerType;
use crate::office::document::{Block, Document, Span};
use crate::office::typography;
use crate::profile::{RiskClass, SystemKind};
use crate::response::Response;
use crate::selection::SelectedQuestion;
use crate::text::Lang;

/// The version of the Algorithmic Transparency Standard [`register`] follows.
pub const STANDARD_VERSION: &str = "0.3.1";

/// Where a field's value is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The winner's commitment on this question, else the project group's
    /// answer to it in the grid.
    Answer(&'static str),
    /// The project group's answer in the grid only.
    Grid(&'static str),
    /// An item of the grid's instruction record (`INSTR-<item>`).
    Record(&'static str),
    /// A value of the tender profile.
    Profile(Held),
    /// The contractor named by the award.
    Contractor,
    /// The date of the first yearly review of the compass's follow-up.
    FirstReview,
    /// The compass's yearly follow-up, in one sentence.
    Followup,
}

/// A value of the tender profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Held {
    /// The tender's title.
    Title,
    /// The buyer's name.
    Buyer,
    /// The buyer's department.
    Department,
    /// The system bought, as the profile describes it.
    Description,
    /// Its risk class under the AI Act.
    RiskClass,
    /// Its kind, when it says how the algorithm is built.
    Kind,
}

/// Who completes a field nothing holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Who {
    /// The service that uses the system.
    UserService,
    /// Legal staff.
    Legal,
    /// The data protection officer.
    DataProtection,
    /// The service that publishes the inventory.
    Publisher,
    /// The agent who handles the person's request.
    CaseAgent,
}

impl Who {
    /// Who, in words, after « À compléter par ».
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Who::UserService, Lang::Fr) => "le service utilisateur",
            (Who::Legal, Lang::Fr) => "le service juridique",
            (Who::DataProtection, Lang::Fr) => "le délégué à la protection des données",
            (Who::Publisher, Lang::Fr) => "le service qui publie l'inventaire",
            (Who::CaseAgent, Lang::Fr) => "l'agent qui traite la demande",
            (Who::UserService, Lang::En) => "the user service",
            (Who::Legal, Lang::En) => "legal staff",
            (Who::DataProtection, Lang::En) => "the data protection officer",
            (Who::Publisher, Lang::En) => "the service publishing the inventory",
            (Who::CaseAgent, Lang::En) => "the agent handling the request",
        }
    }
}

/// Where a field is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// What the processing is, who answers for it, what for.
    About,
    /// 1° degree and mode of contribution to the decision.
    Contribution,
    /// 2° data processed and their sources.
    Data,
    /// 3° parameters and their weighting, applied to the person.
    Parameters,
    /// 4° operations carried out.
    Operations,
    /// The person's rights and remedies.
    Rights,
    /// The inventory entry only.
    Inventory,
}

/// The shape of a field in the export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Free text.
    Text,
    /// One of the standard's values.
    Choice,
    /// An address starting `http://` or `https://`.
    Url,
    /// A date, `YYYY-MM-DD`.
    Date,
    /// An e-mail address.
    Email,
}

/// One field of the sheet or of the inventory entry.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The attribute of the standard, or the sheet's own name.
    pub key: &'static str,
    /// Whether `key` is an attribute of the standard (exported).
    pub register: bool,
    /// Its shape in the export.
    pub shape: Shape,
    /// Where it is printed.
    pub part: Part,
    /// Its label, French and English.
    pub label: (&'static str, &'static str),
    /// Where its value is read, in order.
    pub sources: &'static [Source],
    /// Who completes it when nothing holds it.
    pub who: Who,
    /// What is needed then, French and English.
    pub needed: (&'static str, &'static str),
}

const fn field(
    key: &'static str,
    register: bool,
    shape: Shape,
    part: Part,
    label: (&'static str, &'static str),
    sources: &'static [Source],
    (who, needed): (Who, (&'static str, &'static str)),
) -> Field {
    Field {
        key,
        register,
        shape,
        part,
        label,
        sources,
        who,
        needed,
    }
}

use Part::{About, Contribution, Data, Inventory, Operations, Parameters, Rights};
use Shape::{Choice, Date, Email, Text, Url};
use Source::{Answer, Contractor, FirstReview, Followup, Grid, Profile, Record};

/// Every field of the sheet and of the inventory entry: where its value is
/// read, who completes it otherwise (see the module's table).
pub const FIELDS: &[Field] = &[
    field(
        "name",
        true,
        Text,
        About,
        ("Nom du traitement", "Name of the processing"),
        &[Profile(Held::Title)],
        (
            Who::Publisher,
            (
                "le nom sous lequel le traitement est connu",
                "the name the processing is known by",
            ),
        ),
    ),
    field(
        "organization",
        true,
        Text,
        About,
        ("Administration responsable", "Responsible administration"),
        &[Profile(Held::Buyer)],
        (
            Who::Publisher,
            (
                "le nom officiel de l'administration",
                "the administration's official name",
            ),
        ),
    ),
    field(
        "department",
        true,
        Text,
        About,
        ("Service", "Department"),
        &[Profile(Held::Department)],
        (
            Who::UserService,
            (
                "le service qui utilise le traitement",
                "the department that uses the processing",
            ),
        ),
    ),
    field(
        "description_short",
        true,
        Text,
        About,
        ("En bref", "In short"),
        &[Record("use_case")],
        (
            Who::UserService,
            (
                "une phrase de 150 caractères au plus qui dit à quoi sert le traitement",
                "a sentence of 150 characters at most saying what the processing is for",
            ),
        ),
    ),
    field(
        "goal",
        true,
        Text,
        About,
        ("Finalité", "Purpose"),
        &[Grid("PUB-01")],
        (
            Who::UserService,
            (
                "le besoin auquel le traitement répond et le bénéfice attendu pour les usagers",
                "the need the processing meets and the benefit expected for users",
            ),
        ),
    ),
    field(
        "decision_making_process",
        true,
        Text,
        About,
        ("Procédure concernée", "Procedure concerned"),
        &[],
        (
            Who::UserService,
            (
                "la procédure administrative dans laquelle le traitement intervient, et les textes qui la régissent",
                "the administrative procedure in which the processing takes part, and the texts that govern it",
            ),
        ),
    ),
    field(
        "lawful_basis",
        true,
        Text,
        About,
        ("Fondement juridique", "Legal basis"),
        &[],
        (
            Who::Legal,
            (
                "le fondement juridique de l'usage du traitement",
                "the legal basis for using the processing",
            ),
        ),
    ),
    field(
        "contribution",
        false,
        Text,
        Contribution,
        (
            "Ce que le traitement prépare",
            "What the processing prepares",
        ),
        &[Grid("AGT-03")],
        (
            Who::UserService,
            (
                "la part de la décision que le traitement prépare, et ce que l'agent vérifie",
                "the part of the decision the processing prepares, and what the agent checks",
            ),
        ),
    ),
    field(
        "human_intervention",
        true,
        Text,
        Contribution,
        ("Intervention humaine", "Human intervention"),
        &[Answer("PUB-05"), Answer("AGT-07"), Answer("LEG-10")],
        (
            Who::UserService,
            (
                "qui contrôle les résultats du traitement et peut les écarter ou les modifier",
                "who checks the processing's results and may set them aside or change them",
            ),
        ),
    ),
    field(
        "source_data",
        true,
        Text,
        Data,
        ("Données traitées", "Data processed"),
        &[],
        (
            Who::UserService,
            (
                "les données de la personne que le traitement utilise (par exemple le contenu de sa demande)",
                "the person's data the processing uses (for instance the content of their request)",
            ),
        ),
    ),
    field(
        "connected_data_sources",
        true,
        Text,
        Data,
        ("Origine des données", "Where the data come from"),
        &[],
        (
            Who::DataProtection,
            (
                "les fichiers, applications ou bases de données d'où viennent ces données",
                "the files, applications or databases these data come from",
            ),
        ),
    ),
    field(
        "special_data",
        false,
        Text,
        Data,
        ("Données sensibles", "Sensitive data"),
        &[Answer("BIO-08"), Answer("BIO-07")],
        (
            Who::DataProtection,
            (
                "si le traitement utilise des données sensibles ou biométriques",
                "whether the processing uses sensitive or biometric data",
            ),
        ),
    ),
    field(
        "reuse",
        false,
        Text,
        Data,
        ("Réutilisation des données", "Reuse of the data"),
        &[Answer("LEG-08")],
        (
            Who::DataProtection,
            (
                "si les données servent à entraîner des modèles",
                "whether the data are used to train models",
            ),
        ),
    ),
    field(
        "training_data",
        true,
        Text,
        Data,
        (
            "Données d'entraînement du modèle",
            "The model's training data",
        ),
        &[Answer("TRA-03"), Grid("BIO-10"), Answer("BIO-10")],
        (
            Who::UserService,
            (
                "la provenance des données qui ont servi à entraîner le modèle",
                "where the data used to train the model come from",
            ),
        ),
    ),
    field(
        "data_bias",
        true,
        Text,
        Data,
        ("Biais", "Bias"),
        &[Answer("BIO-11"), Answer("BIO-13")],
        (
            Who::UserService,
            (
                "si des biais ont été recherchés, et lesquels",
                "whether bias was tested for, and which",
            ),
        ),
    ),
    field(
        "DPIA_description",
        true,
        Text,
        Data,
        (
            "Analyse d'impact relative à la protection des données",
            "Data protection impact assessment",
        ),
        &[Record("dpia")],
        (
            Who::DataProtection,
            (
                "la date de l'analyse d'impact, ou pourquoi elle n'est pas requise",
                "the date of the impact assessment, or why it is not required",
            ),
        ),
    ),
    field(
        "parameters",
        false,
        Text,
        Parameters,
        (
            "Paramètres appliqués à votre situation",
            "Parameters applied to your situation",
        ),
        &[],
        (
            Who::CaseAgent,
            (
                "pour la demande de la personne, les paramètres que le traitement a pris en compte et, le cas échéant, leur pondération",
                "for the person's request, the parameters the processing took into account and, where relevant, their weighting",
            ),
        ),
    ),
    field(
        "explanation",
        false,
        Text,
        Parameters,
        (
            "Explication de chaque résultat",
            "Explanation of each result",
        ),
        &[Answer("TRA-05")],
        (
            Who::UserService,
            (
                "si la solution fournit, pour chaque résultat, les éléments de cette fiche",
                "whether the solution gives, for each result, the items of this sheet",
            ),
        ),
    ),
    field(
        "description",
        true,
        Text,
        Operations,
        ("Fonctionnement", "How it works"),
        &[Profile(Held::Description)],
        (
            Who::UserService,
            (
                "ce que fait le traitement, étape par étape",
                "what the processing does, step by step",
            ),
        ),
    ),
    field(
        "methods_and_models",
        true,
        Text,
        Operations,
        ("Modèle utilisé", "Model used"),
        &[Answer("LEG-05"), Answer("SOB-04")],
        (
            Who::UserService,
            (
                "le modèle utilisé et sa version",
                "the model used and its version",
            ),
        ),
    ),
    field(
        "product_information",
        true,
        Url,
        Operations,
        ("Documentation du modèle", "The model's documentation"),
        &[Answer("TRA-02")],
        (
            Who::UserService,
            (
                "l'adresse de la fiche de modèle",
                "the address of the model card",
            ),
        ),
    ),
    field(
        "contractor",
        false,
        Text,
        Operations,
        ("Solution fournie par", "Solution supplied by"),
        &[Contractor],
        (Who::Publisher, ("le titulaire du marché", "the contractor")),
    ),
    field(
        "hosting",
        false,
        Text,
        Operations,
        (
            "Lieu de traitement des données",
            "Where the data are processed",
        ),
        &[Answer("SOV-04")],
        (
            Who::DataProtection,
            (
                "les pays où les données sont hébergées et traitées",
                "the countries where the data are hosted and processed",
            ),
        ),
    ),
    field(
        "retention",
        false,
        Text,
        Operations,
        ("Conservation des demandes", "How long requests are kept"),
        &[Answer("LEG-15"), Answer("CYB-07")],
        (
            Who::DataProtection,
            (
                "combien de temps les demandes et les résultats sont conservés",
                "how long requests and results are kept",
            ),
        ),
    ),
    field(
        "performance",
        true,
        Text,
        Operations,
        ("Contrôle de la qualité", "Quality control"),
        &[Answer("PUB-04")],
        (
            Who::UserService,
            (
                "comment la qualité des résultats est mesurée",
                "how the quality of the results is measured",
            ),
        ),
    ),
    field(
        "contact_email",
        true,
        Email,
        Rights,
        ("Adresse de contact", "Contact address"),
        &[],
        (
            Who::Publisher,
            (
                "l'adresse électronique où demander cette fiche ou poser une question",
                "the e-mail address where to ask for this sheet or a question",
            ),
        ),
    ),
    field(
        "mention",
        false,
        Text,
        Rights,
        ("Mention sur la décision", "Mention on the decision"),
        &[Grid("TRA-06")],
        (
            Who::Legal,
            (
                "si les décisions portent la mention prévue à l'article L. 311-3-1",
                "whether decisions carry the mention provided for by art. L. 311-3-1",
            ),
        ),
    ),
    field(
        "objection_procedure",
        true,
        Text,
        Rights,
        ("Réexamen et recours", "Review and remedies"),
        &[Answer("PUB-06")],
        (
            Who::Legal,
            (
                "comment obtenir le réexamen de la décision et les voies de recours",
                "how to obtain a review of the decision, and the remedies",
            ),
        ),
    ),
    field(
        "impact",
        true,
        Text,
        Inventory,
        ("Effets pour les personnes", "Effects on people"),
        &[Answer("PUB-05"), Answer("PUB-07")],
        (
            Who::UserService,
            (
                "comment les personnes rencontrent les effets du traitement",
                "how people meet the processing's effects",
            ),
        ),
    ),
    field(
        "risk_category",
        true,
        Choice,
        Inventory,
        ("Catégorie de risque", "Risk category"),
        &[Profile(Held::RiskClass)],
        (
            Who::Legal,
            (
                "la catégorie de risque du système au sens du règlement sur l'IA",
                "the system's risk category under the AI Act",
            ),
        ),
    ),
    field(
        "algorithm_type",
        true,
        Choice,
        Inventory,
        ("Type d'algorithme", "Type of algorithm"),
        &[Profile(Held::Kind)],
        (
            Who::UserService,
            (
                "apprentissage automatique, règles explicites, ou les deux",
                "self-learning, rule-based, or hybrid",
            ),
        ),
    ),
    field(
        "type",
        true,
        Choice,
        Inventory,
        ("Usage de l'algorithme", "Use of the algorithm"),
        &[],
        (
            Who::UserService,
            (
                "si le traitement décrit, diagnostique, prédit ou prescrit",
                "whether the processing is descriptive, diagnostic, predictive or prescriptive",
            ),
        ),
    ),
    field(
        "risks",
        true,
        Text,
        Inventory,
        ("Risques et mesures", "Risks and measures"),
        &[],
        (
            Who::UserService,
            (
                "les risques relevés, la méthode d'analyse et les mesures prises",
                "the risks found, the assessment method and the measures taken",
            ),
        ),
    ),
    field(
        "AIA_description",
        true,
        Text,
        Inventory,
        (
            "Analyse d'impact sur les droits fondamentaux",
            "Fundamental-rights impact assessment",
        ),
        &[Record("fria")],
        (
            Who::Legal,
            (
                "la date de l'analyse d'impact, ou pourquoi elle n'est pas requise",
                "the date of the impact assessment, or why it is not required",
            ),
        ),
    ),
    field(
        "proportionality",
        true,
        Text,
        Inventory,
        ("Proportionnalité", "Proportionality"),
        &[],
        (
            Who::UserService,
            (
                "pourquoi l'usage du traitement est nécessaire et pourquoi ses bénéfices l'emportent sur ses risques",
                "why using the processing is necessary and why its benefits outweigh its risks",
            ),
        ),
    ),
    field(
        "alternatives_considered",
        true,
        Text,
        Inventory,
        ("Solutions envisagées sans IA", "Alternatives without AI"),
        &[Grid("ALT-01"), Grid("ALT-02")],
        (
            Who::UserService,
            (
                "les solutions sans IA étudiées et la raison du choix",
                "the alternatives without AI studied and why this one was chosen",
            ),
        ),
    ),
    field(
        "monitoring",
        true,
        Text,
        Inventory,
        ("Suivi", "Monitoring"),
        &[Answer("PUB-03"), Followup],
        (
            Who::UserService,
            (
                "les résultats attendus, comment et par qui ils sont suivis",
                "the results expected, how and by whom they are monitored",
            ),
        ),
    ),
    field(
        "rollback",
        true,
        Text,
        Inventory,
        ("Retour en arrière", "Rollback"),
        &[Answer("ALT-05"), Answer("ALT-06")],
        (
            Who::UserService,
            (
                "si le service peut se passer du traitement, et en combien de temps",
                "whether the service can do without the processing, and how fast",
            ),
        ),
    ),
    field(
        "area",
        true,
        Text,
        Inventory,
        ("Territoire", "Area"),
        &[],
        (
            Who::Publisher,
            (
                "le territoire où le traitement est utilisé",
                "the area in which the processing is used",
            ),
        ),
    ),
    field(
        "domain",
        true,
        Choice,
        Inventory,
        ("Domaine", "Domain"),
        &[],
        (
            Who::Publisher,
            (
                "le domaine d'action publique, choisi dans la liste du standard",
                "the policy domain, from the standard's list",
            ),
        ),
    ),
    field(
        "status",
        true,
        Choice,
        Inventory,
        ("État", "Status"),
        &[],
        (
            Who::Publisher,
            (
                "l'état du traitement : prévu, en conception, en développement, expérimenté, en évaluation, en service ou arrêté",
                "the processing's status: planned, design, development, pilot, evaluation, operational or retired",
            ),
        ),
    ),
    field(
        "publication_date",
        true,
        Date,
        Inventory,
        ("Date de publication", "Publication date"),
        &[],
        (
            Who::Publisher,
            (
                "la date de la première publication",
                "the date of first publication",
            ),
        ),
    ),
    field(
        "last_change_date",
        true,
        Date,
        Inventory,
        ("Date de dernière modification", "Last change"),
        &[],
        (
            Who::Publisher,
            (
                "la date de la dernière modification",
                "the date of the last change",
            ),
        ),
    ),
    field(
        "revision_date",
        true,
        Date,
        Inventory,
        ("À réexaminer avant le", "To be revised by"),
        &[FirstReview],
        (
            Who::Publisher,
            (
                "la date avant laquelle la fiche sera réexaminée",
                "the date before which the entry will be revised",
            ),
        ),
    ),
    field(
        "revision_note",
        true,
        Text,
        Inventory,
        ("Motif du réexamen", "Why it will be revised"),
        &[Followup],
        (
            Who::Publisher,
            (
                "pourquoi la fiche sera réexaminée",
                "why the entry will be revised",
            ),
        ),
    ),
];

/// One field as filled.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// The field's key (see [`FIELDS`]).
    pub key: String,
    /// Where it is printed.
    pub part: Part,
    /// Its label.
    pub label: String,
    /// What the inputs hold, one piece per source that holds something.
    pub pieces: Vec<String>,
    /// The value the export gives a field of a typed shape, when held.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub typed: Option<String>,
    /// Who completes it when nothing holds it.
    pub who: Who,
    /// What is needed then.
    pub needed: String,
}

impl Entry {
    /// Whether nothing holds it.
    pub fn missing(&self) -> bool {
        self.pieces.is_empty()
    }
}

/// The sheet and the inventory entry, as filled.
#[derive(Debug, Clone, Serialize)]
pub struct Filled {
    /// The tender's title.
    pub title: String,
    /// The buyer.
    pub buyer: String,
    /// Whether the profile declares that the system founds or prepares
    /// individual decisions.
    pub individual_decisions: bool,
    /// The language of the texts.
    pub lang: Lang,
    /// Each field of [`FIELDS`], in order.
    pub entries: Vec<Entry>,
}

impl Filled {
    /// The entry of `key`.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    /// The fields nothing holds.
    pub fn missing(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.missing())
    }
}

/// Reads the award written by `boussole award` at `path`, refused when it
/// cannot be read or no longer matches its seal.
///
/// # Errors
///
/// [`Error::Io`] and the other input errors when the file cannot be read;
/// [`Error::Usage`], naming the file, when it is no award or was changed
/// after it was sealed.
pub fn read_award(path: &Path) -> Result<Award, Error> {
    let text = crate::input::read_to_string(path)?;
    let award: Award = serde_json::from_str(&text).map_err(|e| {
        Error::Usage(format!(
            "{}: is not an award written by `boussole award` ({e})",
            path.display()
        ))
    })?;
    if !award.intact() {
        return Err(Error::Usage(format!(
            "{}: the commitments no longer match their seal (digest): the file was changed after the award; use the award as written",
            path.display()
        )));
    }
    Ok(award)
}

/// An answer found for a question: its value and the words typed.
struct Found<'a> {
    value: &'a Value,
    raw: &'a str,
}

/// Fills every field of [`FIELDS`] from the award, the completed grid when
/// given (checked against `basis`, as `grid review` does) and the profile.
pub fn build(award: &Award, grid: Option<&Response>, basis: &Basis) -> Filled {
    let lang = basis.lang;
    let checked =
        grid.map(|g| crate::check::check(g, &crate::evidence::Attached::default(), basis));
    let committed = |id: &str| {
        award
            .commitments
            .iter()
            .find(|c| c.question == id)
            .map(|c| Found {
                value: &c.value,
                raw: &c.answer,
            })
    };
    let grid_answer = |id: &str| {
        checked.as_ref().and_then(|c| {
            c.questions
                .iter()
                .filter(|r| matches!(r.status, Status::Pass | Status::Fail | Status::Info))
                .find(|r| r.id == id)
                .and_then(|r| r.value.as_ref().map(|value| Found { value, raw: &r.raw }))
        })
    };
    let question = |id: &str| basis.selection.questions.iter().find(|q| q.id == id);
    let plan = crate::grid::followup::plan(basis);
    let p = &basis.profile;
    let entries = FIELDS
        .iter()
        .map(|f| {
            let mut pieces = Vec::new();
            let mut typed = None;
            for source in f.sources {
                let (piece, value) = match *source {
                    Answer(id) | Grid(id) => {
                        let found = match source {
                            Answer(_) => committed(id).or_else(|| grid_answer(id)),
                            _ => grid_answer(id),
                        };
                        let Some(found) = found else { continue };
                        let piece = said(question(id), &found, lang);
                        let bare = found.value.as_str().map(str::to_string);
                        (piece, bare)
                    }
                    Record(item) => {
                        let answer = grid
                            .and_then(|g| g.extra(&crate::grid::record_id(item)))
                            .map(|r| r.answer.display())
                            .unwrap_or_default();
                        (Some(answer), None)
                    }
                    Profile(held) => profiled(held, basis, lang),
                    Contractor => (Some(award.vendor.clone()), None),
                    FirstReview => match plan.reviews.first() {
                        Some(r) => (Some(r.date.in_words(lang)), Some(r.date.to_string())),
                        None => (None, None),
                    },
                    Followup => (
                        Some(match lang {
                            Lang::Fr => format!(
                                "Les effets du système sont revus chaque année pendant {} par le groupe projet, la première fois le {}.",
                                crate::text::counted(plan.reviews.len(), lang, ("an", "ans"), ("year", "years")),
                                plan.reviews.first().map_or(plan.start, |r| r.date).in_words(lang)
                            ),
                            Lang::En => format!(
                                "The system's effects are reviewed every year for {} by the project group, first on {}.",
                                crate::text::counted(plan.reviews.len(), lang, ("an", "ans"), ("year", "years")),
                                plan.reviews.first().map_or(plan.start, |r| r.date).in_words(lang)
                            ),
                        }),
                        None,
                    ),
                };
                let Some(piece) = piece.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
                else {
                    continue;
                };
                let fits = match f.shape {
                    Text => true,
                    Url => value
                        .as_deref()
                        .is_some_and(|v| v.starts_with("https://") || v.starts_with("http://")),
                    Choice | Date | Email => value.is_some(),
                };
                if !fits {
                    continue;
                }
                if f.shape != Text && typed.is_none() {
                    typed = value;
                }
                pieces.push(piece);
            }
            let (label, needed) = match lang {
                Lang::Fr => (f.label.0, f.needed.0),
                Lang::En => (f.label.1, f.needed.1),
            };
            Entry {
                key: f.key.into(),
                part: f.part,
                label: label.into(),
                pieces,
                typed,
                who: f.who,
                needed: needed.into(),
            }
        })
        .collect();
    Filled {
        title: p.tender.title.clone(),
        buyer: p.buyer.name.clone(),
        individual_decisions: p.system.individual_decisions,
        lang,
        entries,
    }
}

/// A value of the profile: the words for people, and the standard's value
/// for a typed field.
fn profiled(held: Held, basis: &Basis, lang: Lang) -> (Option<String>, Option<String>) {
    let p = &basis.profile;
    let pick = |fr: &str, en: &str| {
        Some(match lang {
            Lang::Fr => fr.to_string(),
            Lang::En => en.to_string(),
        })
    };
    match held {
        Held::Title => (Some(p.tender.title.clone()), None),
        Held::Buyer => (Some(p.buyer.name.clone()), None),
        Held::Department => (p.buyer.department.clone(), None),
        Held::Description => (Some(p.system.description.clone()), None),
        Held::RiskClass => {
            let (fr, en, value) = match p.system.ai_act_risk {
                RiskClass::Minimal => ("Risque minimal", "Minimal risk", "minimal risk"),
                RiskClass::Limited => (
                    "Risque limité (obligations de transparence)",
                    "Limited risk (transparency obligations)",
                    "limited risk",
                ),
                RiskClass::High => ("Haut risque", "High risk", "high risk"),
            };
            (pick(fr, en), Some(value.into()))
        }
        Held::Kind => match p.system.kind {
            SystemKind::Generative | SystemKind::Vision | SystemKind::Speech => (
                pick(
                    "Apprentissage automatique : un modèle entraîné sur des données",
                    "Self-learning: a model trained on data",
                ),
                Some("self-learning".into()),
            ),
            _ => (None, None),
        },
    }
}

/// An answer as a person reads it: words typed as they are; a choice, a
/// number or a yes or no after its question.
fn said(q: Option<&SelectedQuestion>, found: &Found<'_>, lang: Lang) -> Option<String> {
    let Some(q) = q else {
        return Some(found.raw.to_string());
    };
    let label = |id: &str| {
        q.choices
            .iter()
            .find(|c| c.id == id)
            .map_or(id.to_string(), |c| c.label.get(lang).to_string())
    };
    let shown = match (q.answer_type, found.value) {
        (AnswerType::Text | AnswerType::Url, Value::String(s)) => return Some(s.clone()),
        (AnswerType::YesNo | AnswerType::Choice, Value::String(s)) => label(s),
        // countries as typed (« France »), not as their codes
        (AnswerType::Country, _) if !found.raw.trim().is_empty() => found.raw.trim().to_string(),
        (AnswerType::MultiChoice | AnswerType::Country, Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(label)
            .collect::<Vec<_>>()
            .join(", "),
        (AnswerType::Number, Value::Number(n)) => {
            crate::text::quantity(n.as_f64()?, q.unit.as_deref(), lang)
        }
        (AnswerType::Percent, Value::Number(n)) => {
            let x = n.as_f64()?;
            match q.unit.as_deref() {
                Some(u) => crate::text::quantity(x, Some(u), lang),
                None => format!("{}\u{a0}%", crate::text::number(x, lang)),
            }
        }
        (AnswerType::Date, Value::String(s)) => s
            .parse::<crate::date::Date>()
            .map_or(s.clone(), |d| d.in_words(lang)),
        _ => found.raw.trim().to_string(),
    };
    Some(format!("{} {shown}.", q.text.get(lang).trim_end()))
}

/// The inventory entry as JSON, following the Algorithmic Transparency
/// Standard 0.3.1 (see the module's documentation), with `missing`.
pub fn register(filled: &Filled) -> Value {
    let mut out = Map::new();
    let mut missing = Vec::new();
    for (f, e) in FIELDS
        .iter()
        .zip(&filled.entries)
        .filter(|(f, _)| f.register)
    {
        match (f.shape, e.missing()) {
            (Text, _) => {
                out.insert(f.key.into(), Value::String(e.pieces.join("\n")));
            }
            (_, false) => {
                if let Some(v) = &e.typed {
                    out.insert(f.key.into(), Value::String(v.clone()));
                }
            }
            (_, true) => {}
        }
        if e.missing() {
            missing.push(Value::String(f.key.into()));
        }
    }
    out.insert("standard_version".into(), STANDARD_VERSION.into());
    out.insert("lang".into(), filled.lang.code().into());
    out.insert("missing".into(), Value::Array(missing));
    Value::Object(out)
}

/// The sheet for the person concerned and the inventory entry, for people
/// (DOCX or Markdown): no question ids, no hashes, no paths; each field
/// nothing holds marked « À compléter par … ».
pub fn document(filled: &Filled, basis: &Basis) -> Document {
    let lang = filled.lang;
    let t = |fr: &str, en: &str| typography::apply(if lang == Lang::Fr { fr } else { en }, lang);
    let p = &basis.profile;
    let mut doc = Document {
        title: format!(
            "{} — {}",
            t(
                "Fiche d'information sur un traitement algorithmique",
                "Information sheet on an algorithmic processing"
            ),
            filled.title
        ),
        subject: filled.title.clone(),
        author: filled.buyer.clone(),
        keywords: t(
            "traitement algorithmique; transparence; inventaire",
            "algorithmic processing; transparency; inventory",
        ),
        description: String::new(),
        date: Some(p.dates.go_live.unwrap_or(p.dates.contract_start)),
        lang,
        header: format!(
            "{} — {}",
            filled.buyer,
            t("Traitement algorithmique", "Algorithmic processing")
        ),
        ..Document::default()
    };
    doc.push(Block::Title(t(
        "Fiche d'information sur un traitement algorithmique",
        "Information sheet on an algorithmic processing",
    )));
    doc.spans(vec![
        Span::bold(t("Traitement : ", "Processing: ")),
        Span::plain(typography::apply(&filled.title, lang)),
    ]);
    doc.spans(vec![
        Span::bold(t("Administration : ", "Administration: ")),
        Span::plain(typography::apply(&filled.buyer, lang)),
    ]);
    let asked = filled.missing().count();
    if asked > 0 {
        let items = crate::text::counted(
            asked,
            lang,
            ("rubrique porte", "rubriques portent"),
            ("item is", "items are"),
        );
        doc.push(Block::Note(t(
            &format!("Document à compléter avant toute remise ou publication : {items} la mention « À compléter »."),
            &format!("To be completed before it is given or published: {items} marked “To be completed”."),
        )));
    }
    doc.heading(1, t("Pourquoi cette fiche", "Why this sheet"), "objet");
    doc.para(t(
        "Lorsqu'une décision individuelle est prise sur le fondement d'un traitement algorithmique, la personne concernée peut obtenir, sur sa demande, les règles qui définissent ce traitement et les principales caractéristiques de sa mise en œuvre (code des relations entre le public et l'administration, art. L. 311-3-1). Ces informations, données sous une forme intelligible, sont les quatre rubriques numérotées ci-dessous (art. R. 311-3-1-2), sous réserve des secrets protégés par la loi.",
        "Where an individual decision is taken on the basis of an algorithmic processing, the person concerned may obtain, on request, the rules defining the processing and the main characteristics of its implementation (French code of relations between the public and the administration, art. L. 311-3-1). This information, given in intelligible form, is the four numbered items below (art. R. 311-3-1-2), subject to secrets protected by law.",
    ));
    doc.para(if filled.individual_decisions {
        t(
            "Selon le dossier de consultation, des décisions individuelles seront prises sur le fondement de ce traitement : la fiche est remise à toute personne concernée qui la demande, complétée pour sa situation.",
            "According to the tender file, individual decisions will be taken on the basis of this processing: the sheet is given to any person concerned who asks for it, completed for their situation.",
        )
    } else {
        t(
            "Selon le dossier de consultation, ce traitement ne sert pas à prendre des décisions individuelles : ces articles ne s'appliquent que s'il vient à fonder de telles décisions. La fiche rend compte de son usage et serait alors remise à toute personne concernée qui la demande.",
            "According to the tender file, this processing is not used to take individual decisions: these articles apply only if it comes to found such decisions. The sheet gives an account of its use, and would then be given to any person concerned who asks for it.",
        )
    });
    let parts = [
        (
            Part::About,
            t("Le traitement", "The processing"),
            "traitement",
        ),
        (
            Part::Contribution,
            t(
                "1° Degré et mode de contribution du traitement à la décision",
                "1° Degree and mode of the processing's contribution to the decision",
            ),
            "contribution",
        ),
        (
            Part::Data,
            t(
                "2° Données traitées et leurs sources",
                "2° Data processed and their sources",
            ),
            "donnees",
        ),
        (
            Part::Parameters,
            t(
                "3° Paramètres de traitement et leur pondération, appliqués à votre situation",
                "3° Parameters of the processing and their weighting, applied to your situation",
            ),
            "parametres",
        ),
        (
            Part::Operations,
            t(
                "4° Opérations effectuées par le traitement",
                "4° Operations carried out by the processing",
            ),
            "operations",
        ),
        (Part::Rights, t("Vos droits", "Your rights"), "droits"),
    ];
    for (part, title, anchor) in parts {
        doc.heading(1, title, anchor);
        if part == Part::Rights {
            doc.para(t(
                "La mention portée sur la décision rappelle le droit d'obtenir cette fiche, la manière de l'exercer et les modalités de saisine de la Commission d'accès aux documents administratifs (art. R. 311-3-1-1).",
                "The mention on the decision recalls the right to obtain this sheet, how to exercise it and how to refer the matter to the Commission for access to administrative documents (art. R. 311-3-1-1).",
            ));
        }
        for e in filled.entries.iter().filter(|e| e.part == part) {
            write_entry(&mut doc, e, lang);
        }
    }
    doc.push(Block::PageBreak);
    doc.heading(
        1,
        t(
            "Inscription à l'inventaire public des algorithmes",
            "Entry in the public inventory of algorithms",
        ),
        "inventaire",
    );
    doc.para(t(
        "Les administrations publient en ligne les règles qui définissent les principaux traitements algorithmiques utilisés dans l'accomplissement de leurs missions lorsqu'ils fondent des décisions individuelles (art. L. 312-1-3), sauf celles qui emploient moins de 50 agents ou salariés en équivalent temps plein (art. D. 312-1-4). Les rubriques ci-dessous suivent le standard de transparence algorithmique d'Eurocities, version 0.3.1, que reprend l'export pour le registre.",
        "Administrations publish online the rules defining the main algorithmic processings used in carrying out their tasks where these found individual decisions (art. L. 312-1-3), except those employing fewer than 50 agents or employees in full-time equivalent (art. D. 312-1-4). The items below follow the Eurocities Algorithmic Transparency Standard, version 0.3.1, which the export for the register follows too.",
    ));
    let rows = FIELDS
        .iter()
        .zip(&filled.entries)
        .filter(|(f, _)| f.register)
        .map(|(_, e)| {
            let value = if e.missing() {
                asked_for(e, lang)
            } else {
                e.pieces.join(" ")
            };
            vec![
                typography::apply(&e.label, lang),
                typography::apply(&value, lang),
            ]
        })
        .collect();
    doc.push(Block::Table {
        header: vec![t("Rubrique", "Item"), t("Contenu", "Content")],
        rows,
        widths: vec![3, 7],
    });
    doc
}

/// « À compléter par WHO : WHAT ».
fn asked_for(e: &Entry, lang: Lang) -> String {
    typography::apply(
        &match lang {
            Lang::Fr => format!("À compléter par {} : {}", e.who.label(lang), e.needed),
            Lang::En => format!("To be completed by {}: {}", e.who.label(lang), e.needed),
        },
        lang,
    )
}

/// One field of the sheet: its label, then what the inputs hold, or what is
/// asked for.
fn write_entry(doc: &mut Document, e: &Entry, lang: Lang) {
    let label = typography::apply(
        &match lang {
            Lang::Fr => format!("{} : ", e.label),
            Lang::En => format!("{}: ", e.label),
        },
        lang,
    );
    match e.pieces.as_slice() {
        [] => doc.spans(vec![Span::bold(label), Span::italic(asked_for(e, lang))]),
        [one] => doc.spans(vec![
            Span::bold(label),
            Span::plain(typography::apply(one, lang)),
        ]),
        many => {
            doc.spans(vec![Span::bold(label.trim_end().to_string())]);
            doc.push(Block::Bullets(
                many.iter()
                    .map(|p| vec![Span::plain(typography::apply(p, lang))])
                    .collect(),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> Value {
        serde_json::from_str(include_str!(
            "../schema/register/registration-v0.3.1.schema.json"
        ))
        .unwrap()
    }

    #[test]
    fn every_exported_field_is_an_attribute_of_the_standard_with_its_shape() {
        let schema = schema();
        let props = schema["properties"].as_object().unwrap();
        assert_eq!(
            props["standard_version"]["const"], STANDARD_VERSION,
            "the version exported is the schema's"
        );
        for f in FIELDS.iter().filter(|f| f.register) {
            let p = props
                .get(f.key)
                .unwrap_or_else(|| panic!("{} is no attribute of the standard", f.key));
            let shape = if p.get("enum").is_some() {
                Choice
            } else {
                match p["format"].as_str() {
                    Some("uri") => Url,
                    Some("date") => Date,
                    Some("email") => Email,
                    _ => Text,
                }
            };
            assert_eq!(shape, f.shape, "{}", f.key);
        }
        for f in FIELDS.iter().filter(|f| !f.register) {
            assert!(!props.contains_key(f.key), "{} is an attribute", f.key);
        }
    }

    #[test]
    fn the_standards_required_attributes_are_all_in_the_table() {
        let schema = schema();
        let required: Vec<&String> = schema["properties"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, p)| p["required"] == true)
            .map(|(k, _)| k)
            .collect();
        for key in required {
            assert!(
                ["standard_version", "lang"].contains(&key.as_str())
                    || FIELDS.iter().any(|f| f.register && f.key == key),
                "{key} is required by the standard and not in FIELDS"
            );
        }
    }

    #[test]
    fn keys_are_unique_and_the_module_documents_each() {
        let doc = include_str!("record.rs");
        for (i, f) in FIELDS.iter().enumerate() {
            assert!(
                !FIELDS[..i].iter().any(|g| g.key == f.key),
                "{} twice",
                f.key
            );
            assert!(
                doc.contains(&format!("`{}`", f.key)),
                "{} undocumented",
                f.key
            );
        }
    }

    fn basis() -> Basis {
        let lib = crate::library::load(None).unwrap();
        let checked = crate::profile::load(None, &lib).unwrap();
        Basis {
            selection: crate::selection::resolve(&lib, &checked.profile),
            profile: checked.profile,
            lang: Lang::Fr,
            audience: crate::library::Audience::Internal,
            lock: crate::check::LockDigest::NoLock,
        }
    }

    #[test]
    fn values_the_profile_gives_take_the_standards_words() {
        let schema = schema();
        let allowed = |key: &str, v: &str| {
            schema["properties"][key]["enum"]
                .as_array()
                .unwrap()
                .contains(&Value::String(v.into()))
        };
        let mut b = basis();
        for risk in [RiskClass::Minimal, RiskClass::Limited, RiskClass::High] {
            b.profile.system.ai_act_risk = risk;
            let (words, value) = profiled(Held::RiskClass, &b, Lang::Fr);
            assert!(words.is_some());
            assert!(allowed("risk_category", &value.unwrap()), "{risk:?}");
        }
        for kind in [
            SystemKind::Generative,
            SystemKind::Predictive,
            SystemKind::Classification,
            SystemKind::Vision,
            SystemKind::Speech,
            SystemKind::Optimisation,
            SystemKind::Other,
        ] {
            b.profile.system.kind = kind;
            match profiled(Held::Kind, &b, Lang::En) {
                (Some(_), Some(v)) => assert!(allowed("algorithm_type", &v), "{kind:?}"),
                // a kind that does not say how the algorithm is built is asked for
                (None, None) => assert!(!matches!(kind, SystemKind::Generative)),
                other => panic!("{kind:?}: {other:?}"),
            }
        }
    }
}
