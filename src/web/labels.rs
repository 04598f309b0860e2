//! The profile form's labels, French and English, and the English
//! explanations (the French ones are the template's own comments).

use crate::text::Lang;

/// `section.key` (or a section name) → French label, English label, English explanation.
#[rustfmt::skip]
const LABELS: &[(&str, &str, &str, &str)] = &[
    ("buyer", "Acheteur", "Buyer", ""),
    ("buyer.name", "Nom de l'acheteur", "Buyer's name", "The public buyer, as printed on every document."),
    ("buyer.department", "Direction", "Department", ""),
    ("buyer.contact", "Service à contacter", "Contact", ""),
    ("buyer.email", "Adresse électronique", "Email", ""),
    ("buyer.address", "Adresse postale (une ligne par ligne d'adresse)", "Postal address (one line per address line)", "The buyer's postal address, printed at the head of the regularisation letters."),
    ("buyer.place", "Ville d'envoi des lettres", "Town letters are sent from", "As in « Nantes, le 3 décembre 2026 »."),
    ("regularisation", "Demandes de régularisation", "Regularisation requests", ""),
    ("regularisation.days", "Délai de régularisation (jours)", "Time to regularise (days)", "Regularisation requests (article R. 2152-2 of the French public procurement code): time left to the vendor, in days counted from the letter's date, and signatory of the letters (name, then role). Example values, to be replaced (boussole init --help)."),
    ("regularisation.signatory", "Signataire des lettres", "Signatory of the letters", ""),
    ("regularisation.signatory_role", "Qualité du signataire", "Signatory's role", ""),
    ("tender", "Consultation", "Tender", ""),
    ("tender.reference", "Référence", "Reference", "The tender's reference, printed on the documents and checked in the answers."),
    ("tender.title", "Objet", "Title", ""),
    ("tender.lot", "Lot", "Lot", ""),
    ("tender.language", "Langue des documents", "Language of the documents", "fr or en."),
    ("dates", "Calendrier", "Dates", ""),
    ("dates.launch", "Lancement", "Launch", "Date the contract notice is sent (launch of the tender)."),
    ("dates.offers_due", "Remise des offres", "Offers due", "Deadline for offers."),
    ("dates.award_date", "Attribution", "Award", "Planned award date."),
    ("dates.contract_start", "Début d'exécution", "Contract start", "Start of performance."),
    ("dates.contract_months", "Durée du marché (mois)", "Contract length (months)", "In months."),
    ("dates.go_live", "Mise en service", "Go-live", "Planned go-live."),
    ("system", "Système d'IA acheté", "AI system bought", ""),
    ("system.description", "Description", "Description", "What the system does, in one or two sentences."),
    ("system.kind", "Nature", "Kind", "generative, predictive, classification, vision, speech, optimisation, other."),
    ("system.deployment", "Déploiement", "Deployment", "saas, on_premise, hybrid."),
    ("system.used_by_public", "Utilisé par le public", "Used by the public", "Used by the public (users of the service)."),
    ("system.used_by_agents", "Utilisé par les agents", "Used by public agents", ""),
    ("system.personal_data", "Données personnelles", "Personal data", "Processes personal data."),
    ("system.health_data", "Données de santé", "Health data", "Health data (turns on the health-data hosting rules)."),
    ("system.individual_decisions", "Décisions individuelles", "Individual decisions", "The system grounds or prepares individual decisions (CRPA L. 311-3-1)."),
    ("system.ai_act_risk", "Classe de risque (AI Act)", "Risk class (AI Act)", "Risk class under Regulation (EU) 2024/1689: minimal, limited (transparency obligations only), high."),
    ("system.special_category_inference", "Inférence de catégories particulières", "Special-category inference", "Inferring special categories of data (origin, opinions, health…): always false. Criterion 1 of the compass forbids it."),
    ("data", "Données traitées", "Data processed", ""),
    ("data.nature", "Nature des données", "Nature of the data", "What the buyer's data processed by the solution are, in a few words: it grounds the requirement to keep them in the EU and the EEA."),
    ("reference_task", "Tâche de référence (sobriété)", "Reference task (sobriety)", ""),
    ("reference_task.description", "Tâche", "Task", "The task every tenderer measures energy on, in one full sentence ending with a full stop."),
    ("reference_task.dataset", "Jeu de données de référence", "Reference data set", "The data set given with the tender documents."),
    ("reference_task.input_tokens", "Longueur des entrées (jetons)", "Input length (tokens)", "Average input length, in tokens."),
    ("reference_task.output_tokens", "Longueur des sorties (jetons)", "Output length (tokens)", "Average output length, in tokens."),
    ("reference_task.perimeter", "Périmètre de mesure", "Measurement scope", "What the measurement covers: GPUs only or whole server, with or without the data centre's PUE."),
    ("reference_task.annual_volume", "Volume annuel de tâches", "Yearly volume of tasks", "Expected number of reference tasks a year: the energy per 1,000 tasks times this volume is the yearly energy compared across offers. Required."),
    ("penalties", "Pénalités (CCAP)", "Penalties (CCAP)", ""),
    ("penalties.late_notice_per_hour", "Retard de notification d'un incident (€ par heure)", "Late incident notice (€ per hour)", "Per hour of delay beyond the deadline to notify an incident, in euros excluding tax."),
    ("penalties.late_report_per_day", "Retard de remise d'un rapport (€ par jour)", "Late report (€ per day)", "Per day of delay in handing over a report or a document due."),
    ("penalties.undisclosed_model_change", "Changement de modèle sans préavis (€)", "Model change without notice (€)", "Per change of model or version made without the notice due."),
    ("penalties.out_of_zone_per_day", "Hébergement ou accès hors zone (€ par jour)", "Hosting or access outside the zone (€ per day)", "Per day the buyer's data are hosted or accessed outside the allowed zone."),
    ("penalties.data_training", "Entraînement sur les données de l'acheteur (€)", "Training on the buyer's data (€)", "Per use of the buyer's data found to train or improve a model."),
    ("penalties.service_level_per_hour", "Dépassement du délai de prise en charge (€ par heure)", "Support delay exceeded (€ per hour)", "Per hour beyond the support delay for a blocking incident."),
    ("penalties.reversibility_test_per_day", "Retard du test de réversibilité (€ par jour)", "Late reversibility test (€ per day)", "Per day of delay in the yearly reversibility test."),
    ("penalties.yearly_cap_percent", "Plafond annuel (% du montant payé)", "Yearly cap (% of the amount paid)", "The penalties of a year together, at most, in % of the amount excluding tax paid that year."),
    ("award", "Notation", "Award", ""),
    ("award.compass_share", "Part de la boussole (points sur 100)", "Compass share (points out of 100)", "Share of the total mark carried by the compass, in points out of 100. Price and the other criteria stay set by the tender rules."),
    ("award.weights", "Sous-pondération des critères", "Criterion sub-weights", "Sub-weight of each compass criterion (sum = 100). Criterion 1 (biometrics, sensitive data, bias) is eliminatory, without exception: it brings no points, it rules irregular offers out. The sobriety criterion carries the environmental criterion required for tenders launched from 22 August 2026."),
    ("award.weights.biometrics", "1. Biométrie, données sensibles, biais", "1. Biometrics, sensitive data, bias", ""),
    ("award.weights.legal", "2. Cadre légal et cybersécurité", "2. Legal framework and cybersecurity", ""),
    ("award.weights.public_service", "3. Service public", "3. Public service", ""),
    ("award.weights.working_conditions", "4. Conditions de travail", "4. Working conditions", ""),
    ("award.weights.sobriety", "5. Sobriété", "5. Sobriety", ""),
    ("award.weights.transparency", "6. Transparence", "6. Transparency", ""),
    ("award.weights.alternative", "7. Bénéfice face à une alternative sans IA", "7. Benefit against a non-AI alternative", ""),
    ("award.minimum", "Notes minimales", "Minimum scores", "Minimum score per criterion (out of 100), announced in the tender rules: an offer below it is eliminated."),
    ("award.minimum.legal", "2. Cadre légal et cybersécurité", "2. Legal framework and cybersecurity", ""),
    ("thresholds", "Seuils techniques", "Technical thresholds", ""),
    ("thresholds.pue_max", "PUE maximal", "Highest PUE", "Power usage effectiveness of the data centre (actual PUE), at most."),
    ("thresholds.wue_max", "WUE maximal (L/kWh)", "Highest WUE (L/kWh)", "Water usage effectiveness, in L/kWh, at most."),
    ("thresholds.carbon_intensity_max", "Intensité carbone sans point (gCO₂e/kWh)", "Carbon intensity earning no point (gCO₂e/kWh)", "Carbon intensity of the electricity where the system is hosted, in gCO₂e/kWh, above which the element earns no point."),
    ("thresholds.renewable_share_min", "Part renouvelable minimale (%)", "Lowest renewable share (%)", "Share of renewable electricity, in %, at least."),
    ("thresholds.server_lifetime_min", "Durée de vie des serveurs sans point (ans)", "Server lifetime earning no point (years)", "Server operating life, in years, below which the element earns no point."),
    ("thresholds.device_lifetime_min", "Durée de vie des postes (ans)", "Device lifetime (years)", "Lifetime of the agents' workstations, in years (the buyer's fleet)."),
    ("thresholds.log_retention_min", "Conservation des journaux (mois)", "Log retention (months)", "Retention of usage logs, in months, at least."),
    ("thresholds.breach_notice_max", "Notification d'une violation (heures)", "Breach notice (hours)", "Time to notify the buyer of a data breach, in hours, at most."),
    ("thresholds.exit_notice_max", "Préavis de changement de fournisseur (jours)", "Exit notice (days)", "Notice to change vendor, in days, at most."),
    ("thresholds.exit_transition_min", "Période de transition (jours)", "Transition period (days)", "Transition period, in days, at least (extendable at the buyer's request)."),
    ("thresholds.data_retrieval_min", "Récupération des données (jours)", "Data retrieval (days)", "Period to retrieve the data after the transition, in days, at least."),
    ("thresholds.change_notice_min", "Préavis de changement de modèle (jours)", "Model change notice (days)", "Notice before a change of model or version, in days, at least."),
    ("thresholds.followup_years", "Suivi des conditions de travail (ans)", "Working-conditions follow-up (years)", "Length of the follow-up of effects on working conditions, in years."),
    ("thresholds.training_hours_min", "Formation des agents (heures)", "Agent training (hours)", "Training of user agents, in hours per agent, at least."),
    ("thresholds.support_response_max", "Prise en charge d'un incident bloquant (heures)", "Blocking incident response (hours)", "Time to take charge of a blocking incident, in hours, at most."),
    ("thresholds.degraded_mode_switch_max", "Bascule en mode dégradé (heures)", "Switch to degraded mode (hours)", "Time to switch to the non-AI degraded mode, in hours, at most."),
    ("thresholds.accessibility_rate_min", "Conformité RGAA minimale (%)", "Lowest RGAA compliance (%)", "RGAA (accessibility) compliance rate of the public interface, in %, at least."),
    ("thresholds.bias_gap_max", "Écart de biais maximal (points de %)", "Highest bias gap (percentage points)", "Largest gap allowed between the groups compared in the bias assessment, in percentage points, at most."),
    ("thresholds.hosting_zone", "Zone d'hébergement", "Hosting zone", "Hosting and access zone allowed: eu_eea (European Union and EEA) or eu."),
];

/// The words for the values of the fields that take one of a few: value,
/// French, English.
#[rustfmt::skip]
const CHOICES: &[(&str, &str, &str)] = &[
    ("fr", "français", "French"),
    ("en", "anglais", "English"),
    ("generative", "générative (texte, images, son)", "generative (text, images, sound)"),
    ("predictive", "prédictive", "predictive"),
    ("classification", "classification", "classification"),
    ("vision", "vision (images, vidéo)", "vision (images, video)"),
    ("speech", "parole (transcription, synthèse)", "speech (transcription, synthesis)"),
    ("optimisation", "optimisation", "optimisation"),
    ("other", "autre", "other"),
    ("saas", "hébergé par le titulaire (SaaS)", "hosted by the vendor (SaaS)"),
    ("on_premise", "dans les locaux de l'acheteur", "on the buyer's premises"),
    ("hybrid", "hybride", "hybrid"),
    ("minimal", "risque minimal", "minimal risk"),
    ("limited", "risque limité (transparence seulement)", "limited risk (transparency only)"),
    ("high", "haut risque", "high risk"),
    ("eu_eea", "Union européenne et EEE", "European Union and EEA"),
    ("eu", "Union européenne", "European Union"),
];

/// A choice's words in `lang` (`haut risque`); its value, the profile's
/// code, stays the option's value, never shown.
pub fn choice(value: &str, lang: Lang) -> String {
    match CHOICES.iter().find(|c| c.0 == value) {
        Some(c) => lang.pick(c.1, c.2).to_string(),
        None => value.to_string(),
    }
}

/// The label of a field or section in `lang` (its key when unknown).
pub fn label(path: &str, lang: Lang) -> String {
    match (LABELS.iter().find(|l| l.0 == path), lang) {
        (Some(l), Lang::Fr) => l.1.to_string(),
        (Some(l), Lang::En) => l.2.to_string(),
        (None, _) => path.rsplit('.').next().unwrap_or(path).to_string(),
    }
}

/// The explanation of a field or section in `lang`: the template's comment
/// in French, this table's in English.
pub fn help(path: &str, template_help: &str, lang: Lang) -> String {
    match lang {
        Lang::Fr => template_help.to_string(),
        Lang::En => LABELS
            .iter()
            .find(|l| l.0 == path)
            .map(|l| l.3.to_string())
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_field_of_the_template_has_a_label() {
        for s in super::super::form::sections() {
            assert!(super::LABELS.iter().any(|l| l.0 == s.name), "{}", s.name);
            for f in &s.fields {
                assert!(super::LABELS.iter().any(|l| l.0 == f.path), "{}", f.path);
                if let super::super::form::Kind::Choice(values) = f.kind {
                    for v in values {
                        assert!(super::CHOICES.iter().any(|c| c.0 == *v), "{}: {v}", f.path);
                    }
                }
            }
        }
    }
}
