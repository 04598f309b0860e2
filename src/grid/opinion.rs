//! The opinion for political validation, read from a completed grid.
//!
//! For each criterion boussole proposes, the first that matches:
//! `unfavourable` when an eliminatory rule fails; `not_assessed` when no
//! question of the criterion was answered; `favourable_with_conditions` when
//! a major rule fails or an answer is missing or unreadable (the conditions
//! are listed); `favourable` otherwise. The project group's own opinion,
//! when entered in the grid, is shown beside it and a disagreement is
//! flagged; the group's opinion is retained, except that an unfavourable
//! proposal on criterion 1 cannot be overridden.

use serde::Serialize;

use super::followup::{self, Evolution, Plan};
use super::{Opinion, opinion_id, record, record_id};
use crate::check::{self, Basis};
use crate::finding::{FindingStatus, Status};
use crate::library::ELIMINATORY_CRITERION;
use crate::response::Response;
use crate::rule::Severity;

/// The opinion document, as JSON holds it: ids, no legend text.
#[derive(Debug, Clone, Serialize)]
pub struct Review {
    /// Tender reference.
    pub tender: String,
    /// Library version and hash.
    pub library: String,
    /// The file of the completed grid.
    pub file: String,
    /// Per criterion, in compass order.
    pub criteria: Vec<CriterionOpinion>,
    /// The instruction record, item by item.
    pub record: Vec<RecordEntry>,
    /// The five-year follow-up plan.
    pub followup: Plan,
    /// Indicators over the yearly follow-up sheets given, if any.
    pub evolution: Vec<Evolution>,
}

/// The opinion on one criterion.
#[derive(Debug, Clone, Serialize)]
pub struct CriterionOpinion {
    /// Criterion id.
    pub criterion: String,
    /// boussole's proposal.
    pub proposal: Opinion,
    /// The group's opinion, when entered.
    pub group: Option<Opinion>,
    /// The group's reasons.
    pub reasons: String,
    /// The group's opinion differs from the proposal.
    pub disagreement: bool,
    /// The opinion retained.
    pub retained: Opinion,
    /// Questions whose eliminatory rule fails.
    pub eliminatory: Vec<String>,
    /// The conditions: question ids with what is missing or failing.
    pub conditions: Vec<Condition>,
}

/// A condition of a favourable opinion.
#[derive(Debug, Clone, Serialize)]
pub struct Condition {
    /// Question id.
    pub question: String,
    /// What must be done, in words.
    pub message: String,
}

/// One item of the instruction record.
#[derive(Debug, Clone, Serialize)]
pub struct RecordEntry {
    /// Item key.
    pub item: String,
    /// What the group wrote.
    pub answer: String,
    /// Its comment.
    pub comment: String,
}

/// Whether a file read is a yearly follow-up sheet (else a grid).
pub fn is_followup(read: &Response) -> bool {
    read.metadata
        .as_ref()
        .is_some_and(|m| m.values.contains_key("followup_year"))
}

/// Reviews a completed grid; `yearly` are follow-up sheets read beside it.
pub fn review(file: &str, grid: &Response, basis: &Basis, yearly: &[Response]) -> Review {
    let checked = check::check(grid, &crate::evidence::Attached::default(), basis);
    let sel = &basis.selection;
    let criteria = sel
        .criteria
        .iter()
        .map(|c| {
            let of = |id: &str| {
                sel.questions
                    .iter()
                    .any(|q| q.id == id && q.criterion == c.id)
            };
            let findings: Vec<_> = checked
                .findings
                .iter()
                .filter(|f| f.criterion == c.id)
                .collect();
            let eliminatory: Vec<String> = findings
                .iter()
                .filter(|f| f.status == FindingStatus::Fail && f.severity == Severity::Eliminatory)
                .map(|f| f.question.clone())
                .collect();
            let conditions: Vec<Condition> = findings
                .iter()
                .filter(|f| f.severity >= Severity::Major || f.status != FindingStatus::Fail)
                .filter(|f| !eliminatory.contains(&f.question))
                .map(|f| Condition {
                    question: f.question.clone(),
                    message: f.message.clone(),
                })
                .collect();
            let answered = checked
                .questions
                .iter()
                .filter(|r| of(&r.id))
                .any(|r| matches!(r.status, Status::Pass | Status::Fail | Status::Info));
            let proposal = if !eliminatory.is_empty() {
                Opinion::Unfavourable
            } else if !answered {
                Opinion::NotAssessed
            } else if !conditions.is_empty() {
                Opinion::FavourableWithConditions
            } else {
                Opinion::Favourable
            };
            let row = grid.extra(&opinion_id(&c.id));
            let group = row.and_then(|r| Opinion::parse(&r.answer.display()));
            let locked = c.id == ELIMINATORY_CRITERION && proposal == Opinion::Unfavourable;
            CriterionOpinion {
                criterion: c.id.clone(),
                proposal,
                group,
                reasons: row.map(|r| r.comment.clone()).unwrap_or_default(),
                disagreement: group.is_some_and(|g| g != proposal),
                retained: if locked {
                    proposal
                } else {
                    group.unwrap_or(proposal)
                },
                eliminatory,
                conditions,
            }
        })
        .collect();
    let record = record()
        .iter()
        .map(|i| {
            let row = grid.extra(&record_id(i.key));
            RecordEntry {
                item: i.key.into(),
                answer: row.map(|r| r.answer.display()).unwrap_or_default(),
                comment: row.map(|r| r.comment.clone()).unwrap_or_default(),
            }
        })
        .collect();
    Review {
        tender: basis.profile.tender.reference.clone(),
        library: format!("{} ({})", sel.library_version, sel.library_hash),
        file: file.to_string(),
        criteria,
        record,
        followup: followup::plan(basis),
        evolution: followup::evolution(sel, yearly),
    }
}

impl Review {
    /// The opinion on the whole use case: the most reserved opinion
    /// retained on a criterion (an unfavourable criterion makes it
    /// unfavourable; one not assessed leaves it not assessed).
    pub fn overall(&self) -> Opinion {
        let has = |o: Opinion| self.criteria.iter().any(|c| c.retained == o);
        [
            Opinion::Unfavourable,
            Opinion::NotAssessed,
            Opinion::FavourableWithConditions,
        ]
        .into_iter()
        .find(|o| has(*o))
        .unwrap_or(Opinion::Favourable)
    }
}

/// The opinion as a document for elected officials (DOCX or Markdown):
/// the overall opinion first, then each criterion, the instruction record,
/// the five-year follow-up, and the signatures.
pub fn document(
    review: &Review,
    basis: &Basis,
    lang: crate::text::Lang,
) -> crate::office::document::Document {
    use crate::office::document::{Block, Document, Span};
    use crate::office::typography;
    let t = |fr: &str, en: &str| {
        typography::apply(
            if lang == crate::text::Lang::Fr {
                fr
            } else {
                en
            },
            lang,
        )
    };
    let sel = &basis.selection;
    let p = &basis.profile;
    let title_of = |id: &str| {
        sel.criteria
            .iter()
            .find(|c| c.id == id)
            .map_or(id.to_string(), |c| {
                format!("{}. {}", c.order, c.title.get(lang))
            })
    };
    let mut doc = Document {
        title: format!(
            "{} — {}",
            t(
                "Avis du groupe projet — boussole de l'IA",
                "Project group opinion — AI compass"
            ),
            p.tender.reference
        ),
        subject: p.tender.title.clone(),
        author: p.buyer.name.clone(),
        keywords: "boussole; IA; avis; validation".into(),
        description: review.library.clone(),
        date: Some(p.dates.go_live.unwrap_or(p.dates.contract_start)),
        lang,
        header: format!(
            "{} — {}",
            p.tender.reference,
            t("Avis sur le cas d'usage", "Opinion on the use case")
        ),
        custom: vec![
            (
                "boussole.library_version".into(),
                sel.library_version.clone(),
            ),
            ("boussole.library_hash".into(), sel.library_hash.clone()),
            ("boussole.grid".into(), review.file.clone()),
        ],
        ..Document::default()
    };
    doc.push(Block::Title(t(
        "Avis du groupe projet sur le cas d'usage",
        "Project group's opinion on the use case",
    )));
    let use_case = review
        .record
        .iter()
        .find(|r| r.item == "use_case")
        .map(|r| r.answer.clone())
        .unwrap_or_default();
    let case = if use_case.is_empty() {
        p.system.description.clone()
    } else {
        use_case
    };
    let framework = format!(
        "{} {}",
        t("boussole de l'IA, version", "AI compass, version"),
        sel.library_version
    );
    for (label, value) in [
        (t("Acheteur : ", "Buyer: "), p.buyer.name.clone()),
        (t("Cas d'usage : ", "Use case: "), case),
        (t("Référentiel : ", "Reference framework: "), framework),
    ] {
        doc.spans(vec![Span::bold(label), Span::plain(value)]);
    }
    doc.heading(1, t("Avis d'ensemble", "Overall opinion"), "avis-ensemble");
    let overall = review.overall();
    doc.spans(vec![
        Span::bold(t(
            "Avis proposé à la validation : ",
            "Opinion proposed for validation: ",
        )),
        Span::bold(overall.label(lang)),
    ]);
    let reserved: Vec<String> = review
        .criteria
        .iter()
        .filter(|c| c.retained != Opinion::Favourable)
        .map(|c| format!("{} — {}", title_of(&c.criterion), c.retained.label(lang)))
        .collect();
    if !reserved.is_empty() {
        doc.para(t(
            "Critères sans avis favorable simple :",
            "Criteria without a plain favourable opinion:",
        ));
        doc.push(Block::Bullets(
            reserved.into_iter().map(|r| vec![Span::plain(r)]).collect(),
        ));
    }
    doc.heading(1, t("Avis par critère", "Opinion per criterion"), "avis");
    let rows = review
        .criteria
        .iter()
        .map(|c| {
            vec![
                title_of(&c.criterion),
                c.proposal.label(lang).into(),
                c.group.map_or("—".into(), |g| g.label(lang).into()),
                if c.disagreement {
                    t("Oui", "Yes")
                } else {
                    String::new()
                },
                c.retained.label(lang).into(),
            ]
        })
        .collect();
    doc.push(Block::Table {
        header: vec![
            t("Critère", "Criterion"),
            t("Proposition boussole", "boussole's proposal"),
            t("Avis du groupe", "Group's opinion"),
            t("Écart", "Difference"),
            t("Avis retenu", "Opinion retained"),
        ],
        rows,
        widths: vec![34, 18, 18, 10, 20],
    });
    doc.push(Block::Note(t(
        "Proposition : défavorable si une exigence éliminatoire n'est pas satisfaite ; favorable avec conditions si une exigence majeure n'est pas satisfaite ou si une réponse manque ; non instruit sans aucune réponse. L'avis du groupe prévaut, sauf sur le critère 1 dont l'avis défavorable ne peut être levé.",
        "Proposal: unfavourable when an eliminatory requirement is not met; favourable with conditions when a major requirement is not met or an answer is missing; not assessed with no answer at all. The group's opinion prevails, except on criterion 1, whose unfavourable opinion cannot be lifted.",
    )));
    for c in review
        .criteria
        .iter()
        .filter(|c| !c.eliminatory.is_empty() || !c.conditions.is_empty() || !c.reasons.is_empty())
    {
        doc.heading(2, title_of(&c.criterion), format!("avis-{}", c.criterion));
        if !c.reasons.is_empty() {
            doc.spans(vec![
                Span::bold(t("Motifs du groupe : ", "Group's reasons: ")),
                Span::plain(c.reasons.clone()),
            ]);
        }
        if !c.eliminatory.is_empty() {
            doc.spans(vec![
                Span::bold(t(
                    "Exigences éliminatoires non satisfaites : ",
                    "Eliminatory requirements not met: ",
                )),
                Span::plain(c.eliminatory.join(", ")),
            ]);
        }
        if !c.conditions.is_empty() {
            doc.spans(vec![Span::bold(t("Conditions", "Conditions"))]);
            doc.push(Block::Bullets(
                c.conditions
                    .iter()
                    .map(|x| {
                        vec![
                            Span::bold(format!("{} ", x.question)),
                            Span::plain(x.message.clone()),
                        ]
                    })
                    .collect(),
            ));
        }
    }
    doc.heading(
        1,
        t(
            "Instruction du cas d'usage",
            "How the use case was assessed",
        ),
        "instruction",
    );
    let rows = super::record()
        .iter()
        .map(|i| {
            let entry = review.record.iter().find(|r| r.item == i.key);
            let answer = entry
                .map(|e| {
                    [e.answer.as_str(), e.comment.as_str()]
                        .iter()
                        .filter(|s| !s.is_empty())
                        .copied()
                        .collect::<Vec<_>>()
                        .join(" — ")
                })
                .unwrap_or_default();
            vec![
                i.label.get(lang).to_string(),
                if answer.is_empty() {
                    t("non renseigné", "not filled in")
                } else {
                    answer
                },
            ]
        })
        .collect();
    doc.push(Block::Table {
        header: vec![
            t("Élément instruit", "Item examined"),
            t("Réponse du groupe", "Group's answer"),
        ],
        rows,
        widths: vec![4, 6],
    });
    doc.heading(
        1,
        t("Suivi pendant cinq ans", "Five-year follow-up"),
        "suivi",
    );
    doc.para(t(
        &format!("Les effets du système, notamment sur les conditions de travail des agents, sont revus une fois par an à compter du {}, avec les indicateurs ci-dessous (une feuille de suivi par année).", review.followup.start.in_words(lang)),
        &format!("The system's effects, on staff working conditions in particular, are reviewed once a year from {}, with the indicators below (one follow-up sheet a year).", review.followup.start.in_words(lang)),
    ));
    doc.push(Block::Table {
        header: vec![t("Revue", "Review"), t("Date", "Date")],
        rows: review
            .followup
            .reviews
            .iter()
            .map(|r| {
                vec![
                    format!("{} {}", t("Année", "Year"), r.year),
                    r.date.in_words(lang),
                ]
            })
            .collect(),
        widths: vec![3, 7],
    });
    doc.push(Block::Table {
        header: vec![
            t("Question", "Question"),
            t("Indicateur", "Indicator"),
            t("Unité", "Unit"),
        ],
        rows: review
            .followup
            .indicators
            .iter()
            .map(|i| {
                vec![
                    i.question.clone(),
                    i.text.get(lang).to_string(),
                    crate::text::unit_or_none(i.unit.as_deref(), lang),
                ]
            })
            .collect(),
        widths: vec![12, 70, 18],
    });
    if !review.evolution.is_empty() {
        doc.heading(
            2,
            t("Évolution des indicateurs", "Indicators over the years"),
            "evolution",
        );
        let years: Vec<u32> = review.evolution[0].values.iter().map(|v| v.year).collect();
        let mut header = vec![t("Indicateur", "Indicator")];
        header.extend(years.iter().map(|y| format!("{} {y}", t("Année", "Year"))));
        let rows = review
            .evolution
            .iter()
            .map(|e| {
                let mut row = vec![e.question.clone()];
                row.extend(e.values.iter().map(|v| {
                    v.value.map_or(
                        if v.raw.is_empty() {
                            "—".into()
                        } else {
                            crate::finding::shown(&v.raw, lang)
                        },
                        |n| crate::text::number(n, lang),
                    )
                }));
                row
            })
            .collect();
        let widths = std::iter::once(20)
            .chain(years.iter().map(|_| 80 / years.len().max(1) as u32))
            .collect();
        doc.push(Block::Table {
            header,
            rows,
            widths,
        });
        if let Some(image) = evolution_chart(review, &years, lang) {
            doc.push(Block::Image(image));
        }
    }
    signatures(&mut doc, lang);
    doc
}

/// The date of the opinion and the two signatures it needs: the project
/// group's chair, then the political validation.
fn signatures(doc: &mut crate::office::document::Document, lang: crate::text::Lang) {
    use crate::office::document::Span;
    use crate::office::typography;
    let t = |fr: &str, en: &str| {
        typography::apply(
            if lang == crate::text::Lang::Fr {
                fr
            } else {
                en
            },
            lang,
        )
    };
    let today = crate::report::generated_at()
        .get(..10)
        .and_then(|d| d.parse::<crate::date::Date>().ok())
        .map(|d| d.in_words(lang))
        .unwrap_or_default();
    doc.heading(
        1,
        t("Date et signatures", "Date and signatures"),
        "signatures",
    );
    doc.para(t(
        &format!("Avis établi le {today}."),
        &format!("Opinion drawn up on {today}."),
    ));
    for who in [
        t(
            "Pour le groupe projet, sa présidence",
            "For the project group, its chair",
        ),
        t(
            "Pour la validation politique, l'élu délégué",
            "For the political validation, the elected official in charge",
        ),
    ] {
        doc.spans(vec![Span::bold(who)]);
        for line in [
            t("Nom :", "Name:"),
            t("Date :", "Date:"),
            t("Signature :", "Signature:"),
        ] {
            doc.para(line);
        }
        doc.para(String::new());
        doc.para(String::new());
    }
}

/// The indicators over the years as an index (first year = 100), a picture.
fn evolution_chart(
    review: &Review,
    years: &[u32],
    lang: crate::text::Lang,
) -> Option<crate::office::document::Image> {
    use crate::office::chart::{self, Series};
    let series: Vec<Series> = review
        .evolution
        .iter()
        .filter_map(|e| {
            let first = e.values.first()?.value.filter(|v| *v > 0.0)?;
            let values = e
                .values
                .iter()
                .map(|v| v.value.map_or(f64::NAN, |x| 100.0 * x / first))
                .collect();
            Some(Series {
                name: e.question.clone(),
                values,
            })
        })
        .collect();
    if series.is_empty() || years.len() < 2 {
        return None;
    }
    let fr = lang == crate::text::Lang::Fr;
    let title = if fr {
        "Évolution des indicateurs (année 1 = 100)"
    } else {
        "Indicators over the years (year 1 = 100)"
    };
    let x: Vec<String> = years
        .iter()
        .map(|y| format!("{} {y}", if fr { "Année" } else { "Year" }))
        .collect();
    let picture = chart::evolution(title, &x, &series).ok()?;
    Some(crate::office::document::Image {
        png: picture.png,
        pixels: picture.size,
        width_mm: 170,
        caption: title.to_string(),
    })
}
