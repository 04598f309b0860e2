//! The follow-up of the contract for legal staff and the project group:
//! each year's report checked against the commitments, the evolution over
//! the years, and the project group's own indicators beside them.
//!
//! It only renders what [`super::yearly::check`] concluded; written as one
//! neutral [`Document`] for DOCX and Markdown, and as JSON.

use serde::Serialize;

use super::Award;
use super::yearly::{self, Form, Outcome, Report};
use crate::grid::followup::Evolution;
use crate::office::chart::{self, Series};
use crate::office::document::{Block, Document, Image, Span};
use crate::text::Lang;

/// The contract's follow-up so far.
#[derive(Debug, Clone, Serialize)]
pub struct Followup {
    /// The tender's reference.
    pub tender: String,
    /// The tender's title.
    pub title: String,
    /// The contractor.
    pub vendor: String,
    /// The digest of the commitments checked against.
    pub award_digest: String,
    /// Each year's report, years in order.
    pub years: Vec<Report>,
    /// The notices of a change of model received, as given.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<Report>,
    /// The project group's indicators over the same years, from its own
    /// yearly sheets.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub group: Vec<Evolution>,
}

impl Followup {
    /// The follow-up of `award` from the forms checked (years sorted here)
    /// and the project group's evolution.
    pub fn new(award: &Award, forms: Vec<Report>, group: Vec<Evolution>) -> Followup {
        let (mut years, notices): (Vec<Report>, Vec<Report>) =
            forms.into_iter().partition(|r| r.form != Form::Notice);
        years.sort_by_key(|y| y.form);
        Followup {
            tender: award.tender.clone(),
            title: award.title.clone(),
            vendor: award.vendor.clone(),
            award_digest: award.digest.clone(),
            years,
            notices,
            group,
        }
    }

    /// Whether any year holds a line legal staff have to look at.
    pub fn has_findings(&self) -> bool {
        self.years
            .iter()
            .chain(&self.notices)
            .any(|y| y.findings().next().is_some())
    }

    /// The follow-up as a document.
    pub fn document(&self, lang: Lang) -> Document {
        let t = |fr: &'static str, en: &'static str| lang.pick(fr, en);
        let title = format!(
            "{} — {}",
            t(
                "Suivi de l'exécution du marché",
                "Follow-up of the contract"
            ),
            self.vendor
        );
        let mut doc = Document {
            title: title.clone(),
            subject: self.tender.clone(),
            author: String::new(),
            lang,
            header: format!(
                "{} — {}",
                self.tender,
                t("suivi annuel", "yearly follow-up")
            ),
            ..Document::default()
        };
        doc.push(Block::Title(title));
        let years: Vec<String> = self
            .years
            .iter()
            .filter_map(|y| match y.form {
                Form::Year(n) => Some(n.to_string()),
                Form::Notice => None,
            })
            .collect();
        let mut checked = Vec::new();
        if !years.is_empty() {
            checked.push(match lang {
                Lang::Fr => format!(
                    "rapports annuels du titulaire ({} {})",
                    if years.len() > 1 { "années" } else { "année" },
                    years.join(", ")
                ),
                Lang::En => format!(
                    "the contractor's yearly reports ({} {})",
                    if years.len() > 1 { "years" } else { "year" },
                    years.join(", ")
                ),
            });
        }
        if !self.notices.is_empty() {
            checked.push(crate::text::counted(
                self.notices.len(),
                lang,
                (
                    "avis de changement de modèle",
                    "avis de changement de modèle",
                ),
                (
                    "notice of a change of model",
                    "notices of a change of model",
                ),
            ));
        }
        doc.para(match lang {
            Lang::Fr => format!(
                "Consultation {} — {}. Documents vérifiés au regard des réponses de l'offre retenue : {}.",
                self.tender,
                self.title,
                checked.join(" ; ")
            ),
            Lang::En => format!(
                "Tender {} — {}. Checked against the commitments of the awarded offer: {}.",
                self.tender,
                self.title,
                checked.join("; ")
            ),
        });
        for (i, r) in self.years.iter().chain(&self.notices).enumerate() {
            report(&mut doc, r, i, lang);
        }
        if self.years.len() > 1 {
            self.evolution(&mut doc, lang);
        }
        if !self.group.is_empty() {
            self.group(&mut doc, lang);
        }
        doc
    }

    fn evolution(&self, doc: &mut Document, lang: Lang) {
        let t = |fr: &'static str, en: &'static str| lang.pick(fr, en);
        doc.heading(
            1,
            t("Évolution sur les années", "Over the years"),
            "evolution",
        );
        let Some(first) = self.years.first() else {
            return;
        };
        let numbers: Vec<&yearly::Checked> = first
            .lines
            .iter()
            .filter(|l| {
                self.years
                    .iter()
                    .any(|y| y.lines.iter().any(|x| x.id == l.id && x.value.is_some()))
            })
            .collect();
        let mut header = vec![
            t("Indicateur", "Indicator").to_string(),
            t("Valeur de l'offre", "Offer's value").to_string(),
        ];
        header.extend(self.years.iter().map(|y| y.form.title(lang)));
        let rows: Vec<Vec<String>> = numbers
            .iter()
            .map(|l| {
                let mut row = vec![
                    l.text.clone(),
                    l.promised_value
                        .map(|p| crate::text::quantity(p, l.unit.as_deref(), lang))
                        .unwrap_or_else(|| "—".into()),
                ];
                row.extend(self.years.iter().map(|y| {
                    y.lines
                        .iter()
                        .find(|x| x.id == l.id)
                        .map_or_else(|| "—".into(), |x| cell(x, lang))
                }));
                row
            })
            .collect();
        let mut widths = vec![40, 14];
        widths.extend(self.years.iter().map(|_| 12));
        doc.push(Block::Table {
            header,
            rows,
            widths,
        });
        if let Some(picture) = self.chart(&numbers, lang) {
            doc.push(Block::Image(picture));
        }
    }

    /// Each kept-or-missed indicator as a share of what was promised
    /// (promise = 100), one line per indicator.
    fn chart(&self, numbers: &[&yearly::Checked], lang: Lang) -> Option<Image> {
        let series: Vec<Series> = numbers
            .iter()
            .filter_map(|l| {
                let p = l.promised_value.filter(|p| *p > 0.0)?;
                let values = self
                    .years
                    .iter()
                    .map(|y| {
                        y.lines
                            .iter()
                            .find(|x| x.id == l.id)
                            .and_then(|x| x.value)
                            .map_or(f64::NAN, |v| 100.0 * v / p)
                    })
                    .collect();
                let side = match l.promise {
                    Some(crate::library::Promise::AtMost) => lang.pick("au plus", "at most"),
                    Some(crate::library::Promise::AtLeast) => lang.pick("au moins", "at least"),
                    None => return None,
                };
                Some(Series {
                    // The direction first: the legend wraps the rest.
                    name: format!("{side} — {}", l.text),
                    values,
                })
            })
            .collect();
        if series.is_empty() {
            return None;
        }
        let title = lang.pick(
            "Valeurs de l'année rapportées à la valeur de l'offre (offre = 100)",
            "The year's values against the value of the offer (offer = 100)",
        );
        let caption = lang.pick(
            "Valeurs de l'année rapportées à la valeur de l'offre (offre = 100). « Au plus » : la valeur de l'année ne devrait pas dépasser celle de l'offre (énergie, délais) ; « au moins » : elle ne devrait pas lui être inférieure (part renouvelable, heures économisées).",
            "The year's values against the value of the offer (offer = 100). « At most »: the year's value should not exceed the offer's (energy, times); « at least »: it should not fall below it (renewable share, hours saved).",
        );
        let x: Vec<String> = self.years.iter().map(|y| y.form.title(lang)).collect();
        let picture = chart::evolution(title, &x, &series).ok()?;
        Some(Image {
            png: picture.png,
            pixels: picture.size,
            width_mm: 170,
            caption: caption.to_string(),
        })
    }

    fn group(&self, doc: &mut Document, lang: Lang) {
        let t = |fr: &'static str, en: &'static str| lang.pick(fr, en);
        doc.heading(
            1,
            t("Suivi du groupe projet", "The project group's follow-up"),
            "groupe",
        );
        doc.para(t(
            "Indicateurs que le groupe projet relève lui-même chaque année, à rapprocher des rapports du titulaire.",
            "Indicators the project group records itself every year, to be read beside the contractor's reports.",
        ));
        let years: Vec<u32> = {
            let mut ys: Vec<u32> = self
                .group
                .iter()
                .flat_map(|e| e.values.iter().map(|v| v.year))
                .collect();
            ys.sort_unstable();
            ys.dedup();
            ys
        };
        let mut header = vec![t("Indicateur", "Indicator").to_string()];
        header.extend(years.iter().map(|y| format!("{} {y}", t("Année", "Year"))));
        let rows = self
            .group
            .iter()
            .map(|e| {
                let mut row = vec![e.text.get(lang).to_string()];
                row.extend(years.iter().map(|y| {
                    e.values.iter().find(|v| v.year == *y).map_or_else(
                        || "—".into(),
                        |v| match v.value {
                            Some(x) => crate::text::quantity(x, e.unit.as_deref(), lang),
                            None if v.raw.trim().is_empty() => "—".into(),
                            None => v.raw.clone(),
                        },
                    )
                }));
                row
            })
            .collect();
        let mut widths = vec![50];
        widths.extend(years.iter().map(|_| 14));
        doc.push(Block::Table {
            header,
            rows,
            widths,
        });
    }
}

/// A line's value in a table of the years.
fn cell(x: &yearly::Checked, lang: Lang) -> String {
    let shown = match x.value {
        Some(v) => crate::text::quantity(v, x.unit.as_deref(), lang),
        None if x.raw.trim().is_empty() => "—".into(),
        None => crate::text::excerpt(&x.raw, 30, lang).into_owned(),
    };
    match x.outcome {
        Outcome::Missed | Outcome::Deviates | Outcome::Unreadable => {
            format!("{shown} ({})", x.outcome.label(lang))
        }
        _ => shown,
    }
}

/// One year or notice: what was kept, then each finding with its clause
/// and penalty.
fn report(doc: &mut Document, y: &Report, index: usize, lang: Lang) {
    let t = |fr: &'static str, en: &'static str| lang.pick(fr, en);
    doc.heading(1, y.form.title(lang), format!("formulaire-{}", index + 1));
    if let Some(period) = &y.period {
        doc.para(match lang {
            Lang::Fr => format!("Période couverte : {period}."),
            Lang::En => format!("Period covered: {period}."),
        });
    }
    for w in &y.warnings {
        doc.push(Block::Note(w.clone()));
    }
    let count = |o: Outcome| y.lines.iter().filter(|l| l.outcome == o).count();
    // « aucun » rather than « 0 », the kinds with none left out.
    let said = |n: usize, fr: (&str, &str), none: &str, en: (&str, &str)| -> Option<String> {
        match (n, lang) {
            (0, Lang::Fr) => Some(none.to_string()),
            (0, Lang::En) => None,
            _ => Some(crate::text::counted(n, lang, fr, en)),
        }
    };
    let mut parts: Vec<String> = [
        said(
            count(Outcome::Kept),
            (
                "ligne conforme à l'offre ou au contrat",
                "lignes conformes à l'offre ou au contrat",
            ),
            "aucune ligne conforme",
            (
                "line in line with the offer or the contract",
                "lines in line with the offer or the contract",
            ),
        ),
        said(
            count(Outcome::Deviates),
            ("écart à l'offre", "écarts à l'offre"),
            "aucun écart à l'offre",
            ("departure from the offer", "departures from the offer"),
        ),
        said(
            count(Outcome::Missed),
            (
                "règle du contrat non respectée",
                "règles du contrat non respectées",
            ),
            "aucune règle du contrat non respectée",
            ("contract rule not met", "contract rules not met"),
        ),
        said(
            count(Outcome::Unreported),
            ("ligne due non déclarée", "lignes dues non déclarées"),
            "aucune ligne due non déclarée",
            ("line due not reported", "lines due not reported"),
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    let unreadable = count(Outcome::Unreadable);
    if unreadable > 0 {
        parts.push(crate::text::counted(
            unreadable,
            lang,
            ("valeur illisible", "valeurs illisibles"),
            ("unreadable value", "unreadable values"),
        ));
    }
    doc.para(format!("{}.", capitalised(&parts.join(", "))));
    let findings: Vec<&yearly::Checked> = y.findings().collect();
    if findings.is_empty() {
        doc.para(t(
            "Chaque valeur suivie est conforme à l'offre ou au contrat et chaque ligne due est déclarée.",
            "Every value followed is in line with the offer or the contract and every line due is reported.",
        ));
        return;
    }
    let rows = findings
        .iter()
        .map(|f| {
            vec![
                f.article.clone(),
                f.text.clone(),
                match (f.why.is_empty(), lang) {
                    (true, _) => capitalised(f.outcome.label(lang)),
                    (false, Lang::Fr) => {
                        format!("{} : {}", capitalised(f.outcome.label(lang)), f.why)
                    }
                    (false, Lang::En) => {
                        format!("{}: {}", capitalised(f.outcome.label(lang)), f.why)
                    }
                },
                f.penalty
                    .clone()
                    .unwrap_or_else(|| t("aucune prévue", "none provided").to_string()),
            ]
        })
        .collect();
    doc.push(Block::Table {
        header: vec![
            t("Article", "Article").into(),
            t("Élément", "Item").into(),
            t("Constat", "Finding").into(),
            t("Pénalité encourue", "Penalty incurred").into(),
        ],
        rows,
        widths: vec![9, 34, 42, 15],
    });
    if findings.iter().any(|f| f.outcome == Outcome::Deviates) {
        let article = y
            .binding_article
            .as_deref()
            .map(|a| match lang {
                Lang::Fr => format!(" (article {a})"),
                Lang::En => format!(" (Article {a})"),
            })
            .unwrap_or_default();
        doc.spans(vec![Span::italic(match lang {
            Lang::Fr => format!(
                "Un écart à l'offre n'est pas à lui seul un manquement : les réponses de l'offre engagent le titulaire au même titre que le CCAP{article}, mais la tolérance à admettre et la suite à donner (explications, plan d'action, mise en demeure) relèvent des services juridiques."
            ),
            Lang::En => format!(
                "A departure from the offer is not by itself a breach: the offer's answers bind the contractor as the CCAP does{article}, but the tolerance to allow and what to do next (explanations, action plan, formal notice) are for legal staff to decide."
            ),
        })]);
    }
    if findings.iter().any(|f| f.modification) {
        doc.spans(vec![Span::italic(yearly::modification_note(lang))]);
    }
    doc.push(Block::Note(
        t(
            "Les pénalités s'appliquent après une procédure contradictoire : le titulaire est invité à présenter ses observations avant toute décision.",
            "Penalties apply after an adversarial procedure: the contractor is invited to make its observations before any decision.",
        )
        .to_string(),
    ));
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
