//! The fields of the record and where each is read: the one table
//! ([`FIELDS`]) the module's documentation reproduces for people.

use super::*;

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
