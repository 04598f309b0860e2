//! The vendors side by side: a ranking on the compass criteria only.
//!
//! [`build`] turns a [`Report`] into a [`Comparison`]: the offers that can
//! be ranked (compliant, with or without reservations) ordered by compass
//! score, their scores per criterion and per theme with the best offer of
//! each line, and apart, the offers proposed for elimination, incomplete or
//! unreadable, each with its reason. Setting an offer apart is a proposal:
//! the buyer decides. Price and the tender's other criteria are not here.
//!
//! [`document`] writes it as a DOCX (with PNG charts, [`crate::office::chart`]) or Markdown
//! document, [`workbook`] as an XLSX workbook with native charts.

pub mod document;
pub mod workbook;

use super::{FileReport, Report};
use crate::check::{Basis, Verdict};
use crate::date::Date;
use crate::judgment::Standing;
use crate::library::Theme;
use crate::office::typography;
use crate::text::{self, Lang};

/// Reasons printed for one offer set apart, at most.
const MAX_REASONS: usize = 6;
/// Two scores closer than this are equal.
const TIE: f64 = 1e-9;

/// The comparison of the offers of one tender.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// Language of the documents.
    pub lang: Lang,
    /// Tender reference.
    pub reference: String,
    /// Tender title.
    pub title: String,
    /// The buyer.
    pub buyer: String,
    /// Points of the total mark (out of 100) the compass carries.
    pub compass_share: f64,
    /// When the files were checked (RFC 3339).
    pub generated_at: String,
    /// boussole's version.
    pub tool_version: String,
    /// Library version.
    pub library_version: String,
    /// Library hash.
    pub library_hash: String,
    /// Profile hash.
    pub profile_hash: String,
    /// The seven criteria, in compass order.
    pub criteria: Vec<Axis>,
    /// The themes.
    pub themes: Vec<Axis>,
    /// The offers ranked, best first.
    pub ranked: Vec<Offer>,
    /// The offers set apart, in the order of the files.
    pub apart: Vec<Apart>,
}

/// A line of the comparison: a criterion or a theme.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// Its id.
    pub id: String,
    /// Its title, prefixed with its number for criteria.
    pub title: String,
    /// Sub-weight out of 100 (criteria only).
    pub weight: Option<f64>,
}

/// An offer that is ranked.
#[derive(Debug, Clone, PartialEq)]
pub struct Offer {
    /// Rank, 1 first; offers with the same score share it.
    pub rank: usize,
    /// The vendor's name (with its file when two offers share a name).
    pub name: String,
    /// The file as given.
    pub file: String,
    /// Its SHA-256.
    pub sha256: String,
    /// Compliant, with or without reservations.
    pub verdict: Verdict,
    /// Compass score out of 100.
    pub score: f64,
    /// Points of the total mark.
    pub points: f64,
    /// Whether its score still waits for marks (see its judgment).
    pub provisional: bool,
    /// The elements it waits for.
    pub pending: Vec<String>,
    /// Score per criterion, in the order of [`Comparison::criteria`].
    pub criteria: Vec<Option<f64>>,
    /// Score per theme, in the order of [`Comparison::themes`].
    pub themes: Vec<Option<f64>>,
}

/// Why an offer is set apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// Irregular: a regularity answer breaks a requirement, or a
    /// sub-criterion is below its minimum.
    Eliminated,
    /// A regularity answer or document is missing: may be regularised.
    Incomplete,
    /// The file could not be read.
    Unreadable,
}

/// An offer that is not ranked.
#[derive(Debug, Clone, PartialEq)]
pub struct Apart {
    /// The vendor's name.
    pub name: String,
    /// The file as given.
    pub file: String,
    /// Why.
    pub why: Why,
    /// The grounds, one per line, in the document's language.
    pub reasons: Vec<String>,
    /// Its compass score, for an offer to regularise (provisional); never
    /// for an irregular offer.
    pub score: Option<f64>,
}

impl Why {
    /// The proposal in words.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Why::Eliminated, Lang::Fr) => "offre irrégulière, écartée",
            (Why::Incomplete, Lang::Fr) => "offre incomplète, régularisation possible",
            (Why::Unreadable, Lang::Fr) => "fichier illisible",
            (Why::Eliminated, Lang::En) => "irregular offer, set aside",
            (Why::Incomplete, Lang::En) => "incomplete offer, may be regularised",
            (Why::Unreadable, Lang::En) => "unreadable file",
        }
    }
}

/// The words that go with every offer set apart (printed as they are,
/// without typography, so that they can be searched for).
pub fn proposal(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "proposition — décision de l'acheteur",
        Lang::En => "proposal — the buyer's decision",
    }
}

impl Comparison {
    /// The header of the ranking table, in both writers.
    pub fn ranking_header(&self) -> Vec<String> {
        let share = score(self.compass_share, self.lang);
        let t = |fr: &str, en: &str| if self.lang == Lang::Fr { fr } else { en }.to_string();
        vec![
            t("Rang", "Rank"),
            t("Soumissionnaire", "Vendor"),
            t("Note boussole (sur 100)", "Compass score (out of 100)"),
            t(
                &format!("Points (sur {share})"),
                &format!("Points (out of {share})"),
            ),
            t("Verdict", "Verdict"),
        ]
    }
}

impl Comparison {
    /// The warning that goes with a provisional ranking, when it is one:
    /// some elements still wait for the committee's mark or for other
    /// offers, and count 0 meanwhile.
    pub fn provisional_note(&self) -> Option<String> {
        let pending: Vec<&str> = self
            .ranked
            .iter()
            .filter(|o| o.provisional)
            .flat_map(|o| o.pending.iter().map(String::as_str))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        if pending.is_empty() {
            return None;
        }
        let ids = pending.join(", ");
        Some(typography::apply(
            &match self.lang {
                Lang::Fr => format!(
                    "Classement provisoire : les éléments {ids} attendent la note de la commission d'évaluation ou d'autres offres à comparer ; ils comptent 0 en attendant."
                ),
                Lang::En => format!(
                    "Provisional ranking: the elements {ids} wait for the evaluation committee's mark or for other offers to compare with; they count 0 meanwhile."
                ),
            },
            self.lang,
        ))
    }
}

/// One line of a table: a criterion, a theme or the compass score.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Its title.
    pub title: String,
    /// Sub-weight out of 100 (criteria and the compass score).
    pub weight: Option<f64>,
    /// One value per ranked offer, in ranking order.
    pub values: Vec<Option<f64>>,
}

impl Apart {
    /// The proposed status and the words that say it is a proposal.
    pub fn status(&self, lang: Lang) -> String {
        format!("{}\n({})", self.why.label(lang), proposal(lang))
    }
}

impl Comparison {
    /// The names of the ranked offers with the highest of `values` (one per
    /// ranked offer, in ranking order): several when tied, none without a value.
    pub fn best(&self, values: &[Option<f64>]) -> Vec<&str> {
        let top = values
            .iter()
            .flatten()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        self.ranked
            .iter()
            .zip(values)
            .filter(|(_, v)| v.is_some_and(|v| (v - top).abs() < TIE))
            .map(|(o, _)| o.name.as_str())
            .collect()
    }

    /// The best of `values` in words: the names, or "all tied" when every
    /// ranked offer (more than one) has the best value.
    pub fn best_text(&self, values: &[Option<f64>]) -> String {
        let best = self.best(values);
        if best.len() > 1 && best.len() == self.ranked.len() {
            match self.lang {
                Lang::Fr => "toutes à égalité".into(),
                Lang::En => "all tied".into(),
            }
        } else {
            best.join(", ")
        }
    }

    /// The lines of the criteria table: each criterion, then the compass score.
    pub fn criterion_lines(&self, compass: &str) -> Vec<Line> {
        let mut lines: Vec<Line> = self
            .criteria
            .iter()
            .enumerate()
            .map(|(i, a)| Line {
                title: a.title.clone(),
                weight: a.weight,
                values: self.ranked.iter().map(|o| o.criteria[i]).collect(),
            })
            .collect();
        lines.push(Line {
            title: compass.to_string(),
            weight: Some(100.0),
            values: self.ranked.iter().map(|o| Some(o.score)).collect(),
        });
        lines
    }

    /// The lines of the themes table.
    pub fn theme_lines(&self) -> Vec<Line> {
        self.themes
            .iter()
            .enumerate()
            .map(|(i, a)| Line {
                title: a.title.clone(),
                weight: None,
                values: self.ranked.iter().map(|o| o.themes[i]).collect(),
            })
            .collect()
    }

    /// The date of the check.
    pub fn date(&self) -> Option<Date> {
        self.generated_at.get(..10).and_then(|d| d.parse().ok())
    }
}

/// A score as the document's language writes it, to one decimal.
pub fn score(x: f64, lang: Lang) -> String {
    text::number((x * 10.0).round() / 10.0, lang)
}

/// The vendor's name as typed, or the file's name without one.
fn vendor_name(r: &FileReport) -> String {
    let name = r.vendor.name.trim();
    if name.is_empty() {
        std::path::Path::new(&r.file)
            .file_name()
            .map_or(r.file.clone(), |n| n.to_string_lossy().into_owned())
    } else {
        name.to_string()
    }
}

/// Names for every result, with the file added where two share a name.
fn names(results: &[FileReport]) -> Vec<String> {
    let plain: Vec<String> = results.iter().map(vendor_name).collect();
    plain
        .iter()
        .zip(results)
        .map(|(n, r)| {
            if plain.iter().filter(|m| *m == n).count() > 1 {
                format!("{n} ({})", r.file)
            } else {
                n.clone()
            }
        })
        .collect()
}

fn axes(basis: &Basis, report: &Report, themes: &[Theme]) -> (Vec<Axis>, Vec<Axis>) {
    let lang = basis.lang;
    let criteria = basis
        .selection
        .criteria
        .iter()
        .map(|c| Axis {
            id: c.id.clone(),
            title: typography::apply(&format!("{}. {}", c.order, c.title.get(lang)), lang),
            weight: Some(c.weight),
        })
        .collect();
    let mut ids: Vec<&str> = report
        .results
        .iter()
        .flat_map(|r| r.themes.iter().map(|t| t.id.as_str()))
        .collect();
    ids.sort_by_key(|id| (themes.iter().position(|t| t.id == *id), *id));
    ids.dedup();
    let themes = ids
        .into_iter()
        .map(|id| Axis {
            id: id.to_string(),
            title: themes
                .iter()
                .find(|t| t.id == id)
                .map_or(id.to_string(), |t| {
                    typography::apply(t.title.get(lang), lang)
                }),
            weight: None,
        })
        .collect();
    (criteria, themes)
}

/// The grounds an offer is set apart, in `lang`, as its judgment states
/// them; or why the file could not be read.
fn reasons(r: &FileReport, basis: &Basis) -> Vec<String> {
    if let Some(e) = &r.error {
        return vec![e.clone()];
    }
    let lang = basis.lang;
    let grounds = r.judgment.as_ref().map_or(&[][..], |j| &j.grounds[..]);
    let mut out: Vec<String> = grounds
        .iter()
        .map(|g| typography::apply(&g.describe(&basis.selection, lang), lang))
        .collect();
    if out.len() > MAX_REASONS {
        let more = out.len() - (MAX_REASONS - 1);
        out.truncate(MAX_REASONS - 1);
        out.push(match lang {
            Lang::Fr => format!("et {more} autres"),
            Lang::En => format!("and {more} more"),
        });
    }
    out
}

/// Whether a result is ranked, or why not: its judgment's standing.
fn why(r: &FileReport) -> Option<Why> {
    match r.judgment.as_ref().map(|j| j.standing) {
        None => Some(Why::Unreadable),
        Some(Standing::Irregular) => Some(Why::Eliminated),
        Some(Standing::ToRegularise) => Some(Why::Incomplete),
        Some(Standing::Ranked) => None,
    }
}

/// The comparison of the offers of `report`; `themes` gives the themes'
/// titles (the library's; an unknown theme shows its id).
pub fn build(report: &Report, basis: &Basis, themes: &[Theme]) -> Comparison {
    let (criteria, theme_axes) = axes(basis, report, themes);
    let names = names(&report.results);
    let mut ranked = Vec::new();
    let mut apart = Vec::new();
    for (r, name) in report.results.iter().zip(names) {
        if let Some(why) = why(r) {
            apart.push(Apart {
                name,
                file: r.file.clone(),
                why,
                reasons: reasons(r, basis),
                score: r.score,
            });
            continue;
        }
        let of = |id: &str| r.criteria.iter().find(|c| c.id == id).and_then(|c| c.score);
        let theme = |id: &str| r.themes.iter().find(|t| t.id == id).and_then(|t| t.score);
        let judgment = r.judgment.as_ref();
        ranked.push(Offer {
            rank: judgment.and_then(|j| j.rank).map_or(0, |n| n as usize),
            points: judgment.and_then(|j| j.points).unwrap_or(0.0),
            provisional: judgment.is_some_and(|j| j.provisional),
            pending: judgment
                .map(|j| j.pending.iter().map(|p| p.question.clone()).collect())
                .unwrap_or_default(),
            name,
            file: r.file.clone(),
            sha256: r.sha256.clone(),
            verdict: r.verdict.unwrap_or(Verdict::Compliant),
            score: r.score.unwrap_or(0.0),
            criteria: criteria.iter().map(|c| of(&c.id)).collect(),
            themes: theme_axes.iter().map(|t| theme(&t.id)).collect(),
        });
    }
    ranked.sort_by(|a, b| a.rank.cmp(&b.rank).then_with(|| a.name.cmp(&b.name)));
    let sel = &basis.selection;
    Comparison {
        lang: basis.lang,
        reference: basis.profile.tender.reference.clone(),
        title: basis.profile.tender.title.clone(),
        buyer: basis.profile.buyer.name.clone(),
        compass_share: sel.plan.compass_share,
        generated_at: report.generated_at.clone(),
        tool_version: report.tool.version.clone(),
        library_version: sel.library_version.clone(),
        library_hash: sel.library_hash.clone(),
        profile_hash: sel.profile_hash.clone(),
        criteria,
        themes: theme_axes,
        ranked,
        apart,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offer(name: &str, score: f64, criteria: Vec<Option<f64>>) -> Offer {
        Offer {
            rank: 0,
            name: name.into(),
            file: format!("{name}.xlsx"),
            sha256: String::new(),
            verdict: Verdict::Compliant,
            score,
            points: score * 0.4,
            provisional: false,
            pending: Vec::new(),
            criteria,
            themes: Vec::new(),
        }
    }

    fn comparison(ranked: Vec<Offer>) -> Comparison {
        Comparison {
            lang: Lang::Fr,
            reference: "T".into(),
            title: String::new(),
            buyer: String::new(),
            compass_share: 40.0,
            generated_at: "2027-01-15T08:00:00Z".into(),
            tool_version: String::new(),
            library_version: String::new(),
            library_hash: String::new(),
            profile_hash: String::new(),
            criteria: Vec::new(),
            themes: Vec::new(),
            ranked,
            apart: Vec::new(),
        }
    }

    #[test]
    fn the_best_offer_of_a_line_names_every_tied_offer_unless_all_are() {
        let c = comparison(vec![
            offer("A", 0.0, vec![]),
            offer("B", 0.0, vec![]),
            offer("C", 0.0, vec![]),
        ]);
        assert_eq!(c.best_text(&[Some(80.0), Some(90.0), Some(90.0)]), "B, C");
        assert_eq!(c.best_text(&[Some(90.0), None, Some(10.0)]), "A");
        assert_eq!(c.best_text(&[Some(50.0); 3]), "toutes à égalité");
        assert_eq!(c.best_text(&[None; 3]), "");
        assert_eq!(c.date().map(|d| d.to_string()), Some("2027-01-15".into()));
    }
}
