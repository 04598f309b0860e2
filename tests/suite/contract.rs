//! The contract's machinery in part 2 of the annex (CCAP): contractual
//! documents, intellectual property, reversibility, review, penalties set by
//! the buyer, termination and the derogations from the CCAG-TIC; the
//! high-risk package only where the profile says the system is high-risk.

use std::path::Path;

use crate::support::*;

/// The articles of the contract as a whole, in the order the annex prints them.
const CONTRACT_TITLES: [&str; 7] = [
    "Pièces contractuelles et cahier des clauses administratives générales",
    "Propriété intellectuelle et garantie d’éviction",
    "Assistance à la réversibilité et test annuel",
    "Changement de modèle et clause de réexamen",
    "Pénalités",
    "Résiliation pour faute du titulaire",
    "Dérogations au CCAG-TIC",
];

/// The text of the annex of `profile` (the default one when `None`) as
/// LibreOffice reads the DOCX, or the Markdown when LibreOffice is missing.
fn annex_text(dir: &Path, profile: Option<&Path>) -> String {
    let mut args = vec!["annex", "-o", "annexe.docx"];
    if let Some(p) = profile {
        args.extend(["-p", p.to_str().unwrap()]);
    }
    let run = boussole_in(dir, &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    if let Some(txt) = soffice(&dir.join("annexe.docx"), "txt:Text", dir) {
        return std::fs::read_to_string(txt).unwrap();
    }
    args[2] = "annexe.md";
    assert_eq!(boussole_in(dir, &args).code, 0);
    std::fs::read_to_string(dir.join("annexe.md")).unwrap()
}

/// The text from the last line starting with `from` up to the last line
/// starting with `to` (the contents list names both first).
fn part<'a>(text: &'a str, from: &str, to: &str) -> &'a str {
    let heading = |name: &str| {
        text.match_indices(name)
            .map(|(i, _)| i)
            .filter(|&i| i == 0 || text[..i].ends_with(['\n', ' ', '#']))
            .last()
            .unwrap_or_else(|| panic!("no `{name}` heading"))
    };
    &text[heading(from)..heading(to)]
}

fn positions(text: &str, titles: &[&str]) -> Vec<usize> {
    titles
        .iter()
        .map(|t| {
            text.find(&format!("— {t}"))
                .unwrap_or_else(|| panic!("no article `{t}` in\n{text}"))
        })
        .collect()
}

#[test]
fn part_2_closes_with_the_contract_machinery_the_derogations_last() {
    let dir = tempfile::tempdir().unwrap();
    let text = annex_text(dir.path(), None);
    let part2 = part(&text, "Partie 2", "Partie 3");
    let common = part2
        .find("Stipulations communes à l’ensemble du marché")
        .expect("the common provisions have their heading");
    assert!(
        part2.find("Critère 7").unwrap() < common,
        "the common provisions follow the criteria"
    );
    let at = positions(part2, &CONTRACT_TITLES);
    assert!(at.windows(2).all(|w| w[0] < w[1]), "order: {at:?}");
    assert!(
        at[0] > common,
        "the contract's articles sit under their heading"
    );
    let last = &part2[*at.last().unwrap()..];
    assert!(
        !last.contains("Article 2."),
        "no article after the derogations"
    );
    // Other articles are cited by their number, never by an internal id.
    let penalties = &part2[at[4]..at[5]];
    for cited in ["l’article 2.", "articles 2."] {
        assert!(penalties.contains(cited), "{penalties}");
    }
    let body: String = penalties.lines().skip(1).collect();
    assert!(
        !body.contains("[CYB-C") && !body.contains("[TRA-C"),
        "{body}"
    );
    // The default amounts, held to their unit.
    for amount in ["200\u{a0}€ par heure", "20\u{202f}000\u{a0}€", "10\u{a0}%"] {
        assert!(penalties.contains(amount), "`{amount}` in {penalties}");
    }
    // A generative SaaS assistant at the transparency level: no high-risk package.
    assert!(!text.contains("déclaration UE de conformité"));
    assert!(!text.contains("LEG-13") && !text.contains("LEG-14"));
    // The review clause rests on R. 2194-1 and lets the buyer refuse a model.
    let review = &part2[at[3]..at[4]];
    let plain = review
        .replace(['\u{a0}', '\u{202f}'], " ")
        .replace('\u{2011}', "-");
    assert!(plain.contains("R. 2194-1"), "{review}");
    assert!(
        review.contains("refuser un changement du modèle"),
        "{review}"
    );
}

#[test]
fn a_high_risk_health_on_premise_annex_has_the_high_risk_package_and_the_buyers_penalties() {
    let dir = tempfile::tempdir().unwrap();
    let profile = fixture("profiles/haut-risque-sante-sur-site.toml");
    let text = annex_text(dir.path(), Some(&profile));
    let part1 = part(&text, "Partie 1", "Partie 2");
    let package = part1
        .find("Système à haut risque")
        .map(|i| &part1[i..])
        .expect("the high-risk package is a minimum requirement");
    for duty in [
        "déclaration UE de conformité",
        "numéro d’enregistrement",
        "notice d’utilisation",
        "système de gestion de la qualité",
        "surveillance après commercialisation",
        "incidents graves",
        "enregistrement de son utilisation",
    ] {
        assert!(package.contains(duty), "`{duty}` missing");
    }
    let basis = package
        .lines()
        .find(|l| l.contains("Fondement"))
        .expect("its legal basis is printed");
    // The regulation named once, its scope said once for all its articles.
    let basis = basis.replace(['\u{a0}', '\u{202f}'], " ");
    let (regulation, articles) = basis
        .split_once(" : ")
        .and_then(|(_, b)| b.split_once(" : "))
        .expect("the articles follow their text");
    assert!(
        regulation.ends_with("Règlement (UE) 2024/1689, lorsque le système est à haut risque"),
        "every reference states its scope: {basis}"
    );
    assert!(articles.split(" ; ").count() >= 3, "{basis}");
    // Identifiers are held together by a no-break hyphen.
    let ids = part1.replace('\u{2011}', "-");
    for id in ["LEG-13", "LEG-14"] {
        assert!(ids.contains(id), "{id} is a regularity question");
    }
    let part2 = part(&text, "Partie 2", "Partie 3");
    positions(part2, &CONTRACT_TITLES);
    for amount in ["350\u{a0}€ par heure", "45\u{202f}000\u{a0}€", "8\u{a0}%"] {
        assert!(part2.contains(amount), "`{amount}` is the buyer's");
    }
    // On the buyer's premises: no hosting performance clause.
    assert!(!text.contains("Performance environnementale de l’hébergement"));
}

#[test]
fn a_negative_penalty_is_refused_naming_its_field() {
    let dir = tempfile::tempdir().unwrap();
    profile_with(dir.path(), |t| {
        t.replace("data_training = 20000", "data_training = -5")
    });
    let run = boussole_in(dir.path(), &["annex", "-p", "profil.toml", "-o", "a.md"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains("penalties.data_training"),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("a.md").exists());
}
