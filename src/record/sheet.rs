//! The sheet for the person concerned and the inventory entry, for people.

use super::*;

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
            "Le dossier de consultation ne déclare pas de décision individuelle prise sur le fondement de ce traitement. Un outil d'aide à la décision peut toutefois en relever : les services juridiques apprécient si les résultats qu'il prépare fondent des décisions individuelles, auquel cas ces articles s'appliquent et la fiche est remise à toute personne concernée qui la demande.",
            "The tender file declares no individual decision taken on the basis of this processing. A decision-support tool may however fall under these articles: legal staff judge whether the results it prepares found individual decisions, in which case the articles apply and the sheet is given to any person concerned who asks for it.",
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
        "Les administrations publient en ligne les règles qui définissent les principaux traitements algorithmiques utilisés dans l'accomplissement de leurs missions lorsqu'ils fondent des décisions individuelles (art. L. 312-1-3), sauf celles qui emploient moins de 50 agents ou salariés en équivalent temps plein (CRPA, art. D. 312-1-4, créé par le décret n° 2016-1922 du 28 décembre 2016, art. 1er, 2° ; numérotation à confirmer par les services juridiques). Les rubriques ci-dessous suivent le standard de transparence algorithmique d'Eurocities, version 0.3.1, que reprend l'export pour le registre.",
        "Administrations publish online the rules defining the main algorithmic processings used in carrying out their tasks where these found individual decisions (art. L. 312-1-3), except those employing fewer than 50 agents or employees in full-time equivalent (CRPA, art. D. 312-1-4, created by decree n° 2016-1922 of 28 December 2016, art. 1, 2°; numbering to be confirmed by legal staff). The items below follow the Eurocities Algorithmic Transparency Standard, version 0.3.1, which the export for the register follows too.",
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
