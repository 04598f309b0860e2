//! The comparison as a document: DOCX with its charts as pictures, or
//! Markdown with the same tables (and no pictures).

use super::{Comparison, Line, proposal, score};
use crate::Error;
use crate::office::chart::{self, Picture, Series};
use crate::office::document::{Block, Document, Image, Span};
use crate::office::{docx, markdown, typography};
use crate::text::Lang;

/// Printed width of the charts, in millimetres (landscape A4 leaves 257).
const CHART_WIDTH_MM: u32 = 230;

/// `fr` or `en`, with French typography.
fn t(lang: Lang, fr: &str, en: &str) -> String {
    typography::apply(if lang == Lang::Fr { fr } else { en }, lang)
}

/// The comparison as DOCX bytes, charts included.
pub fn docx(c: &Comparison) -> Result<Vec<u8>, Error> {
    docx::render(&build(c, true)?)
}

/// The comparison as Markdown (tables only).
pub fn markdown(c: &Comparison) -> Result<String, Error> {
    Ok(markdown::render(&build(c, false)?))
}

/// The title of the comparison.
pub fn title(lang: Lang) -> String {
    t(
        lang,
        "Classement des offres sur les critères de la boussole de l'IA",
        "Ranking of the offers on the AI compass criteria",
    )
}

/// The comparison as a document; `charts` adds the radar and bar pictures.
pub fn build(c: &Comparison, charts: bool) -> Result<Document, Error> {
    let lang = c.lang;
    let mut doc = Document {
        title: format!("{} — {}", title(lang), c.reference),
        subject: c.title.clone(),
        author: c.buyer.clone(),
        keywords: "boussole; IA; commande publique; comparaison; classement".into(),
        description: format!("boussole {}", c.tool_version),
        date: c.date(),
        lang,
        header: format!("{} — {}", c.reference, title(lang)),
        landscape: true,
        custom: vec![
            ("boussole.library_version".into(), c.library_version.clone()),
            ("boussole.library_hash".into(), c.library_hash.clone()),
            ("boussole.profile_hash".into(), c.profile_hash.clone()),
            ("boussole.generated_at".into(), c.generated_at.clone()),
        ],
        blocks: Vec::new(),
    };
    doc.push(Block::Title(title(lang)));
    cover(&mut doc, c);
    ranking(&mut doc, c);
    apart(&mut doc, c);
    criteria(&mut doc, c, charts)?;
    themes(&mut doc, c);
    method(&mut doc, c);
    Ok(doc)
}

/// The scope and the tender.
fn cover(doc: &mut Document, c: &Comparison) {
    let lang = c.lang;
    let share = score(c.compass_share, lang);
    doc.spans(vec![Span::bold(t(
        lang,
        &format!("Ce classement porte uniquement sur les critères de la boussole de l'IA, qui comptent pour {share} points sur 100 de la note globale. Le prix et les autres critères de la consultation sont appréciés par ailleurs : ce document ne désigne pas l'attributaire."),
        &format!("This ranking covers the AI compass criteria only, which carry {share} points out of 100 of the total mark. Price and the tender's other criteria are assessed elsewhere: this document does not designate the winner."),
    ))]);
    let date = c
        .date()
        .map_or(c.generated_at.clone(), |d| d.in_words(lang));
    // Versions and hashes stay in the document properties.
    doc.push(Block::Table {
        header: vec![t(lang, "Acheteur", "Buyer"), c.buyer.clone()],
        rows: vec![
            vec![t(lang, "Consultation", "Tender"), c.reference.clone()],
            vec![t(lang, "Objet", "Subject"), c.title.clone()],
            vec![t(lang, "Date de l'analyse", "Date of the analysis"), date],
            vec![
                t(lang, "Référentiel", "Reference framework"),
                format!(
                    "{} {}",
                    t(lang, "boussole de l'IA, version", "AI compass, version"),
                    c.library_version
                ),
            ],
        ],
        widths: vec![25, 75],
    });
}

fn ranking(doc: &mut Document, c: &Comparison) {
    let lang = c.lang;
    doc.heading(1, t(lang, "Classement", "Ranking"), "classement");
    if c.ranked.is_empty() {
        doc.push(Block::Note(t(
            lang,
            "Aucune offre ne peut être classée.",
            "No offer can be ranked.",
        )));
        return;
    }
    let rows = c
        .ranked
        .iter()
        .map(|o| {
            vec![
                o.rank.to_string(),
                o.name.clone(),
                score(o.score, lang),
                score(o.points, lang),
                o.verdict.label(lang).to_string(),
            ]
        })
        .collect();
    doc.push(Block::Table {
        header: c.ranking_header(),
        rows,
        widths: vec![8, 36, 16, 14, 26],
    });
    if let Some(note) = c.provisional_note() {
        doc.push(Block::Note(note));
    }
}

fn apart(doc: &mut Document, c: &Comparison) {
    let lang = c.lang;
    doc.heading(
        1,
        t(lang, "Offres non classées", "Offers not ranked"),
        "non-classees",
    );
    if c.apart.is_empty() {
        doc.push(Block::Note(t(
            lang,
            "Toutes les offres sont classées.",
            "Every offer is ranked.",
        )));
        return;
    }
    doc.para(format!(
        "{} {}{}",
        t(
            lang,
            "Ces offres ne sont pas classées : l'outil propose de les écarter pour le motif indiqué. C'est une",
            "These offers are not ranked: the tool proposes to set them aside for the reason given. This is a",
        ),
        proposal(lang),
        t(
            lang,
            " ; il peut demander une régularisation ou une précision.",
            "; the buyer may ask for regularisation or clarification.",
        )
    ));
    let rows = c
        .apart
        .iter()
        .map(|a| vec![a.name.clone(), a.status(lang), a.reasons.join("\n")])
        .collect();
    // No score: an offer set aside is not marked.
    doc.push(Block::Table {
        header: vec![
            t(lang, "Soumissionnaire", "Vendor"),
            t(lang, "Statut proposé", "Proposed status"),
            t(lang, "Motif", "Reason"),
        ],
        rows,
        widths: vec![22, 24, 54],
    });
}

/// A table of one line per criterion or theme, a column per ranked offer,
/// the best offer last; `weights` adds the sub-weights.
fn table(c: &Comparison, first: String, lines: &[Line], weights: bool) -> Block {
    let lang = c.lang;
    let mut header = vec![first];
    let mut widths = vec![30];
    if weights {
        header.push(t(lang, "Sous-pondération", "Sub-weight"));
        widths.push(10);
    }
    header.extend(c.ranked.iter().map(|o| o.name.clone()));
    widths.extend(std::iter::repeat_n(12, c.ranked.len()));
    header.push(t(lang, "Meilleure offre", "Best offer"));
    widths.push(20);
    let rows = lines
        .iter()
        .map(|l| {
            let mut row = vec![l.title.clone()];
            if weights {
                row.push(l.weight.map_or("—".into(), |w| score(w, lang)));
            }
            row.extend(
                l.values
                    .iter()
                    .map(|v| v.map_or("—".into(), |v| score(v, lang))),
            );
            row.push(c.best_text(&l.values));
            row
        })
        .collect();
    Block::Table {
        header,
        rows,
        widths,
    }
}

fn criteria(doc: &mut Document, c: &Comparison, charts: bool) -> Result<(), Error> {
    let lang = c.lang;
    doc.heading(1, t(lang, "Par critère", "By criterion"), "par-critere");
    if c.ranked.is_empty() {
        return Ok(());
    }
    let lines = c.criterion_lines(&t(lang, "Note boussole", "Compass score"));
    doc.push(table(c, t(lang, "Critère", "Criterion"), &lines, true));
    if charts {
        for (picture, caption) in pictures(c)? {
            doc.push(Block::Image(Image {
                pixels: picture.size,
                png: picture.png,
                width_mm: CHART_WIDTH_MM,
                caption,
            }));
        }
    }
    Ok(())
}

/// The radar of the ranked offers' scores by criterion.
pub fn radar(c: &Comparison) -> Result<Picture, Error> {
    let series: Vec<Series> = c
        .ranked
        .iter()
        .map(|o| Series {
            name: o.name.clone(),
            values: o.criteria.iter().map(|v| v.unwrap_or(0.0)).collect(),
        })
        .collect();
    let axes: Vec<String> = c.criteria.iter().map(|a| a.title.clone()).collect();
    let title = t(
        c.lang,
        "Notes par critère (sur 100)",
        "Scores by criterion (out of 100)",
    );
    chart::radar(&title, &axes, &series)
}

/// The radar per criterion and the bars of compass scores, with captions.
fn pictures(c: &Comparison) -> Result<Vec<(Picture, String)>, Error> {
    let lang = c.lang;
    let radar = radar(c)?;
    let totals: Vec<Series> = c
        .ranked
        .iter()
        .map(|o| Series {
            name: o.name.clone(),
            values: vec![o.score],
        })
        .collect();
    let bars_title = t(
        lang,
        "Note boussole (sur 100)",
        "Compass score (out of 100)",
    );
    let bars = chart::bars(&bars_title, &totals, lang == Lang::Fr)?;
    Ok(vec![
        (
            radar,
            t(
                lang,
                "Figure 1 — Notes des offres classées par critère de la boussole.",
                "Figure 1 — Scores of the ranked offers by compass criterion.",
            ),
        ),
        (
            bars,
            t(
                lang,
                "Figure 2 — Note boussole des offres classées, dans l'ordre du classement.",
                "Figure 2 — Compass score of the ranked offers, in ranking order.",
            ),
        ),
    ])
}

fn themes(doc: &mut Document, c: &Comparison) {
    let lang = c.lang;
    doc.heading(1, t(lang, "Par thème", "By theme"), "par-theme");
    if c.ranked.is_empty() || c.themes.is_empty() {
        return;
    }
    let lines = c.theme_lines();
    doc.push(table(c, t(lang, "Thème", "Theme"), &lines, false));
}

fn method(doc: &mut Document, c: &Comparison) {
    let lang = c.lang;
    doc.heading(1, t(lang, "Méthode", "Method"), "methode");
    doc.push(Block::Bullets(vec![
        vec![Span::plain(t(
            lang,
            "Note d'un critère ou d'un thème = 100 × somme des poids des questions satisfaites / somme des poids des questions comptées ; note boussole = somme des sous-pondérations × notes des critères / 100.",
            "Score of a criterion or theme = 100 × sum of the weights of the questions passed / sum of the weights of the questions counted; compass score = sum of sub-weights × criterion scores / 100.",
        ))],
        vec![Span::plain(t(
            lang,
            "Meilleure offre : la note la plus haute parmi les offres classées ; les offres à égalité sont toutes citées.",
            "Best offer: the highest score among the ranked offers; tied offers are all named.",
        ))],
        vec![Span::plain(t(
            lang,
            "Les offres non classées le sont sur proposition de l'outil ; la décision revient à l'acheteur.",
            "Offers are left unranked on the tool's proposal; the decision is the buyer's.",
        ))],
    ]));
}
