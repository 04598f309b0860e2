//! `boussole annex`: the clauses a buyer puts in a tender, as DOCX and Markdown.

use std::collections::BTreeSet;
use std::path::Path;

use crate::support::*;
use boussole::library;
use boussole::profile;
use boussole::selection::{self, Selection};

/// Writes the annex of a profile (edited from the default) in `dir`.
fn annex(dir: &Path, edit: Option<&dyn Fn(String) -> String>, args: &[&str]) -> Run {
    let mut all = vec!["annex"];
    let profile;
    if let Some(edit) = edit {
        profile = profile_with(dir, edit);
        all.extend(["-p", profile.to_str().unwrap()]);
    }
    all.extend(args);
    boussole_in(dir, &all)
}

fn selection_of(dir: &Path) -> Selection {
    let lib = library::load(None).unwrap();
    let path = dir.join("profil.toml");
    let checked = profile::load(path.exists().then_some(path.as_path()), &lib).unwrap();
    selection::resolve(&lib, &checked.profile)
}

/// The clause ids printed as `[XXX-C01]`.
fn clause_ids(text: &str) -> BTreeSet<String> {
    let re = regex::Regex::new(r"\[([A-Z]{3}-C[0-9]{2})\]").unwrap();
    re.captures_iter(text).map(|c| c[1].to_string()).collect()
}

/// The part of `md` from the heading holding `from` to the next one holding `to`.
fn between<'a>(md: &'a str, from: &str, to: &str) -> &'a str {
    let start = md
        .find(&format!("## {from}"))
        .unwrap_or_else(|| panic!("no `{from}` heading"));
    let end = md[start..]
        .find(&format!("## {to}"))
        .map_or(md.len(), |e| start + e);
    &md[start..end]
}

/// Question ids in the first column of the eliminatory tables of part 1.
fn eliminatory_ids(md: &str) -> BTreeSet<String> {
    let part1 = between(md, "Partie 1", "Partie 2");
    let mut ids = BTreeSet::new();
    let id = regex::Regex::new(r"^\| ([A-Z]{3}-[0-9]{2}) \|").unwrap();
    for table in part1.split("#### Questions de régularité").skip(1) {
        let rows = table
            .lines()
            .skip_while(|l| !l.starts_with('|'))
            .take_while(|l| l.starts_with('|'));
        ids.extend(rows.filter_map(|l| id.captures(l).map(|c| c[1].to_string())));
    }
    ids
}

#[test]
fn the_default_annex_holds_every_applicable_clause_and_only_those() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(annex(dir.path(), None, &["-o", "annexe.md"]).code, 0);
    let md = std::fs::read_to_string(dir.path().join("annexe.md")).unwrap();
    let sel = selection_of(dir.path());
    let expected: BTreeSet<String> = sel.clauses.iter().map(|c| c.id.clone()).collect();
    assert_eq!(clause_ids(&md), expected);
    for part in ["Partie 1", "Partie 2", "Partie 3"] {
        let next = match part {
            "Partie 1" => "Partie 2",
            "Partie 2" => "Partie 3",
            _ => "Définitions",
        };
        let text = between(&md, part, next);
        // A criterion weighted 0 % is no award criterion: part 3 names it once, as not scored.
        let scored =
            |c: &&boussole::selection::SelectedCriterion| part != "Partie 3" || c.weight > 0.0;
        for c in sel.criteria.iter().filter(scored) {
            assert!(
                text.contains(&format!("### Critère {} — ", c.order)),
                "{part} lacks criterion {}",
                c.order
            );
        }
    }
    assert!(md.contains("Article 1.1 — "), "articles are numbered");
    assert!(md.contains("## Définitions"));
    let part3 = between(&md, "Partie 3", "Définitions");
    for c in sel.criteria.iter().filter(|c| c.weight == 0.0) {
        assert!(
            part3.contains("Ne sont pas notés") && part3.contains(&format!("{}. ", c.order)),
            "part 3 says criterion {} is not scored",
            c.order
        );
    }
}

#[test]
fn clauses_that_do_not_apply_are_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let edit = |t: String| t.replace("personal_data = true", "personal_data = false");
    assert_eq!(annex(dir.path(), Some(&edit), &["-o", "annexe.md"]).code, 0);
    let md = std::fs::read_to_string(dir.path().join("annexe.md")).unwrap();
    let sel = selection_of(dir.path());
    let lib = library::load(None).unwrap();
    let left_out: Vec<_> = lib
        .clauses
        .iter()
        .filter(|c| !sel.clauses.iter().any(|s| s.id == c.id))
        .collect();
    assert!(!left_out.is_empty(), "some clauses need personal data");
    for c in left_out {
        assert!(!md.contains(&format!("[{}]", c.id)), "{} is printed", c.id);
    }
}

#[test]
fn part_1_lists_exactly_the_regularity_questions_of_the_plan() {
    for health in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let edit = move |t: String| t.replace("health_data = false", "health_data = true");
        let run = annex(
            dir.path(),
            health.then_some(&edit as &dyn Fn(String) -> String),
            &["-o", "a.md"],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        let md = std::fs::read_to_string(dir.path().join("a.md")).unwrap();
        let plan: BTreeSet<String> = selection_of(dir.path())
            .plan
            .regularity
            .into_iter()
            .collect();
        assert_eq!(eliminatory_ids(&md), plan, "health data: {health}");
        let part1 = between(&md, "Partie 1", "Partie 2");
        let first = part1
            .split("#### Questions de régularité")
            .nth(1)
            .and_then(|t| t.lines().find(|l| l.starts_with("| ") && l.contains("-0")))
            .unwrap();
        assert!(first.starts_with("| BIO-"), "criterion 1 first: {first}");
    }
}

#[test]
fn the_award_part_prints_the_profile_plan() {
    let dir = tempfile::tempdir().unwrap();
    let edit = |t: String| {
        t.replace("compass_share = 40", "compass_share = 30")
            .replace("legal = 20\n", "legal = 25\n")
            .replace("sobriety = 20\n", "sobriety = 15\n")
            .replace(
                "[award.minimum]\n# legal = 50",
                "[award.minimum]\nlegal = 50\nsobriety = 40",
            )
    };
    assert_eq!(annex(dir.path(), Some(&edit), &["-o", "a.md"]).code, 0);
    // No-break spaces read as spaces: the test is about the figures.
    let md = std::fs::read_to_string(dir.path().join("a.md"))
        .unwrap()
        .replace(['\u{a0}', '\u{202f}'], " ");
    let award = between(&md, "Partie 3", "Définitions");
    assert!(award.contains("compte pour 30 points"), "{award}");
    assert!(award.contains("| 2. Conformité au cadre juridique et à la politique de cybersécurité | 25 % | 7,5 | 50 / 100 |"), "{award}");
    assert!(award.contains("| 5. Respect des engagements en matière de sobriété énergétique | 15 % | 4,5 | 40 / 100 |"), "{award}");
    let sel = selection_of(dir.path());
    for line in sel.plan.formula(boussole::text::Lang::Fr) {
        let line = boussole::office::typography::apply(&line, boussole::text::Lang::Fr)
            .replace(['\u{a0}', '\u{202f}'], " ");
        let words: Vec<&str> = line.split_whitespace().take(4).collect();
        assert!(
            award.contains(&words.join(" ")),
            "formula line missing: {line}"
        );
    }
    for counted in sel.plan.criteria.iter().flat_map(|c| &c.questions) {
        assert!(
            award.contains(&format!("| {} |", counted.question)),
            "{} is not announced",
            counted.question
        );
    }
}

#[test]
fn english_annexes_say_the_french_version_prevails() {
    let dir = tempfile::tempdir().unwrap();
    let run = annex(dir.path(), None, &["--lang", "en", "-o", "annex.md"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let md = std::fs::read_to_string(dir.path().join("annex.md")).unwrap();
    assert!(md.contains("The French version of this annex prevails"));
    assert!(md.contains("## Part 1 — Minimum requirements (for the CCTP)"));
    assert!(
        md.contains(
            "## Part 3 — Award criteria and sub-criteria (text for the RC, which prevails)"
        )
    );
}

#[test]
fn two_runs_give_identical_bytes_and_files_are_never_replaced_silently() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a.docx", "a.md"] {
        assert_eq!(annex(dir.path(), None, &["-o", name]).code, 0);
        let first = std::fs::read(dir.path().join(name)).unwrap();
        let run = annex(dir.path(), None, &["-o", name]);
        assert_eq!(run.code, 2);
        assert!(run.stderr.contains("already exists"), "{}", run.stderr);
        assert_eq!(annex(dir.path(), None, &["-o", name, "--force"]).code, 0);
        assert!(
            std::fs::read(dir.path().join(name)).unwrap() == first,
            "{name} differs between runs"
        );
    }
    let run = annex(dir.path(), None, &["-o", "a.pdf"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("must end in .docx or .md"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_docx_has_properties_and_opens_in_libreoffice_without_field_codes() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(annex(dir.path(), None, &["-o", "annexe.docx"]).code, 0);
    let docx = dir.path().join("annexe.docx");
    let core = zip_entry(&docx, "docProps/core.xml");
    assert!(
        core.contains("<dc:title>Annexe boussole de l&apos;IA — 2026-DN-017</dc:title>")
            || core.contains("<dc:title>Annexe boussole de l'IA — 2026-DN-017</dc:title>"),
        "{core}"
    );
    assert!(
        core.contains("<dc:creator>Nantes Métropole</dc:creator>"),
        "{core}"
    );
    // An identifier's hyphen is Word's no-break hyphen: it reads as a hyphen.
    let body = zip_entry(&docx, "word/document.xml").replace(
        r#"</w:t><w:noBreakHyphen /><w:t xml:space="preserve">"#,
        "-",
    );
    assert!(body.contains("w:bookmarkStart"), "headings carry bookmarks");
    // The contents' page numbers are fields: Word is asked to recalculate
    // them on opening, LibreOffice lays them out as it opens the file.
    assert!(
        zip_entry(&docx, "word/settings.xml")
            .contains(r#"<w:updateFields w:val="true" /><w:compat>"#),
        "Word is asked to update the contents' fields on opening"
    );
    let sel = selection_of(dir.path());
    for c in &sel.clauses {
        assert!(
            body.contains(&format!("[{}]", c.id)),
            "{} missing from the DOCX",
            c.id
        );
    }
    let Some(pdf) = soffice(&docx, "pdf", dir.path()) else {
        return;
    };
    let Some(text) = pdf_text(&pdf) else { return };
    for code in [
        "TOC \\",
        "PAGEREF",
        "HYPERLINK",
        "MERGEFORMAT",
        "NUMPAGES",
        "PAGE \\",
    ] {
        assert!(!text.contains(code), "the PDF shows the field code {code}");
    }
    assert!(
        text.contains("Partie 3 — Critères et sous-critères d’attribution"),
        "{}",
        &text[..2000.min(text.len())]
    );
    assert!(
        regex::Regex::new(r"Page \d+ / \d+")
            .unwrap()
            .is_match(&text),
        "page numbers"
    );
    assert!(
        regex::Regex::new(r"Préambule\.{5,}\d+")
            .unwrap()
            .is_match(&text),
        "the contents gives each heading's page"
    );
}

#[test]
fn conditions_on_other_answers_are_printed_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let sel = selection_of(dir.path());
    assert!(sel.questions.iter().any(|q| q.condition.is_some()));
    let path = regex::Regex::new(r"profile\.\w").unwrap();
    for (lang, file) in [("fr", "annexe.md"), ("en", "annex-en.md")] {
        let run = annex(dir.path(), None, &["--lang", lang, "-o", file]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let md = std::fs::read_to_string(dir.path().join(file)).unwrap();
        for raw in ["==", "!="] {
            assert!(!md.contains(raw), "{file} prints {raw:?}");
        }
        assert!(!path.is_match(&md), "{file} prints a profile path");
        let words = match lang {
            "fr" => "(si la réponse à AGT-05 est «\u{202f}Oui\u{202f}»)",
            _ => "(if the answer to AGT-05 is “Yes”)",
        };
        assert!(md.contains(words), "{file} lacks {words:?}");
    }
}

#[test]
fn part_3_prints_each_element_on_the_scale_the_checker_applies() {
    use boussole::office::typography;
    use boussole::text::Lang;
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(annex(dir.path(), None, &["-o", "annexe.md"]).code, 0);
    let md = std::fs::read_to_string(dir.path().join("annexe.md")).unwrap();
    let part3 = between(&md, "Partie 3", "Définitions");
    let sel = selection_of(dir.path());
    let mut seen = 0;
    // The one plan the checker scores with (the lock carries the same).
    for counted in sel.plan.criteria.iter().flat_map(|c| &c.questions) {
        let q = sel
            .questions
            .iter()
            .find(|q| q.id == counted.question)
            .unwrap();
        let rule = q.rule_text.as_ref().map(|r| r.fr.clone());
        let element = boussole::scoring::Element {
            weight: counted.weight,
            unit: q.unit.as_deref(),
            choices: &q.choices,
            rule: rule.as_deref(),
        };
        let words = typography::apply(&counted.scale.describe(&element, Lang::Fr), Lang::Fr);
        let row = part3
            .lines()
            .find(|l| l.starts_with(&format!("| {} |", q.id)))
            .unwrap_or_else(|| panic!("no row for {} in part 3", q.id));
        assert!(row.contains(&words), "{}: {row}\nexpected {words}", q.id);
        seen += 1;
    }
    assert!(seen >= 20, "{seen} elements");
    assert!(part3.contains("Éléments notés par la commission d’évaluation"));
    for (level, _) in boussole::scoring::DESCRIPTORS {
        assert!(
            part3.contains(&typography::apply(level, Lang::Fr)),
            "{level}"
        );
    }
    // Regularity questions are never scored.
    for id in &sel.plan.regularity {
        assert!(
            !part3.lines().any(|l| l.starts_with(&format!("| {id} |"))),
            "{id} is scored in part 3"
        );
    }
}

#[test]
fn the_published_annex_shows_no_hash_nor_tool_its_properties_keep_them() {
    let dir = tempfile::tempdir().unwrap();
    for out in ["annexe.md", "annexe.docx"] {
        assert_eq!(annex(dir.path(), None, &["-o", out]).code, 0);
    }
    let hash = library::load(None).unwrap().hash;
    let md = std::fs::read_to_string(dir.path().join("annexe.md")).unwrap();
    let (provenance, shown) = md
        .split_once("-->")
        .expect("provenance first, as a comment");
    assert!(provenance.starts_with("<!--") && provenance.contains(&hash));
    let body = zip_entry(&dir.path().join("annexe.docx"), "word/document.xml");
    for text in [shown, body.as_str()] {
        assert!(!text.contains(&hash) && !text.contains("SHA-256"));
        assert!(!text.contains("boussole 0."), "no tool line");
    }
    let custom = zip_entry(&dir.path().join("annexe.docx"), "docProps/custom.xml");
    assert!(custom.contains(&hash));
}

#[test]
fn the_rc_publishes_the_buyers_reference_task_and_yearly_volume() {
    let dir = tempfile::tempdir().unwrap();
    let edit = |t: String| {
        t.replace("annual_volume = 120000", "annual_volume = 250000")
            .replace("input_tokens = 600", "input_tokens = 900")
    };
    let run = annex(dir.path(), Some(&edit), &["-o", "annexe.docx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let md_run = annex(dir.path(), Some(&edit), &["-o", "annexe.md"]);
    assert_eq!(md_run.code, 0, "{}", md_run.stderr);
    let md = std::fs::read_to_string(dir.path().join("annexe.md")).unwrap();
    let rc = between(&md, "Partie 3", "Définitions");
    // Figures are held to their word by no-break spaces.
    let task = between(rc, "Tâche de référence", "Formule").replace('\u{a0}', " ");
    let task = task.as_str();
    let lib = library::load(None).unwrap();
    let checked = profile::load(Some(&dir.path().join("profil.toml")), &lib).unwrap();
    let t = &checked.profile.reference_task;
    for expected in [&t.description, &t.dataset, &t.perimeter] {
        let expected = expected.replace('\'', "’");
        assert!(task.contains(&expected), "{expected} missing:\n{task}");
    }
    // 180 Wh per 1 000 tasks × 250 000 tasks a year = 45 kWh a year.
    assert!(task.contains("250\u{202f}000 tâches par an"), "{task}");
    assert!(task.contains("donnent 45 kWh par an"), "{task}");
    assert!(task.contains("environ 900 jetons"), "{task}");
    // SOB-C01, in the CCTP part, names the same task instead of letting
    // each tenderer describe its own.
    let part1 = between(&md, "Partie 1", "Partie 2");
    assert!(
        !part1.contains("qu’il décrit"),
        "SOB-C01 still lets the tenderer choose"
    );
    assert!(part1.contains("tâche de référence définie par l’acheteur"));
    // The Word document says the same, as LibreOffice prints it.
    let docx = dir.path().join("annexe.docx");
    let Some(pdf) = soffice(&docx, "pdf", dir.path()) else {
        return;
    };
    let Some(text) = pdf_text(&pdf) else { return };
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("Tâche de référence et énergie annuelle"),
        "{flat}"
    );
    assert!(flat.contains("45 kWh par an"), "{flat}");
}

#[test]
fn the_host_articles_of_the_profile_number_the_annex_and_stand_on_its_cover() {
    let dir = tempfile::tempdir().unwrap();
    let edit = |t: String| {
        t.replace(
            "# [dce]\n# procedure = \"Appel d'offres ouvert\"\n# piece = \"Annexe n° 3 au CCTP, au CCAP et au RC\"\n# cctp_article = \"7\"\n# ccap_article = \"12\"\n# rc_article = \"5\"",
            "[dce]\nprocedure = \"Appel d'offres ouvert\"\npiece = \"Annexe n° 3\"\ncctp_article = \"7\"\nccap_article = \"12\"\nrc_article = \"5\"",
        )
    };
    let run = annex(dir.path(), Some(&edit), &["-o", "annexe.md"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let md = std::fs::read_to_string(dir.path().join("annexe.md")).unwrap();
    for expected in [
        "Article 7.1 —",
        "Article 12.1 —",
        "Article 5.1 —",
        "Annexe n° 3",
        "Appel d'offres ouvert",
        "partie 1 : article 7 du CCTP",
    ] {
        assert!(md.contains(expected), "the annex lacks « {expected} »");
    }
    assert!(
        !md.contains("Article 1.1 —"),
        "part 1 is numbered under article 7"
    );
    let numbers = boussole::annex::article_numbers(&selection_of(dir.path()));
    assert!(numbers.values().any(|n| n == "12.1"), "{numbers:?}");
}

#[test]
fn every_article_states_its_legal_basis_or_that_none_imposes_it() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(annex(dir.path(), None, &["-o", "a.md"]).code, 0);
    let md = std::fs::read_to_string(dir.path().join("a.md")).unwrap();
    let articles: Vec<&str> = md.split("\n#### Article").skip(1).collect();
    assert!(articles.len() >= 30, "{} articles", articles.len());
    let mut contractual = 0;
    for a in &articles {
        let body = a.split("\n#").next().unwrap();
        let title = a.lines().next().unwrap();
        assert!(body.contains("**Fondement"), "no basis for {title}");
        contractual += usize::from(body.contains("qu’aucun texte n’impose"));
    }
    // The buyer's own choices say so; the others cite their texts.
    assert!(
        contractual > 0 && contractual < articles.len() / 4,
        "{contractual}"
    );
}

#[test]
fn each_question_the_committee_marks_is_published_with_its_own_levels() {
    use boussole::office::typography;
    use boussole::scoring::{DESCRIPTORS, Scale};
    use boussole::text::Lang;
    // The second question the committee marks gets levels of its own.
    let plain = tempfile::tempdir().unwrap();
    let sel = selection_of(plain.path());
    let marked: Vec<String> = sel
        .plan
        .criteria
        .iter()
        .flat_map(|c| &c.questions)
        .filter(|c| c.scale == Scale::Committee)
        .map(|c| c.question.clone())
        .collect();
    assert!(marked.len() >= 3, "{marked:?}");
    let own = marked[1].clone();
    let levels = [
        "Aucun protocole de mesure",
        "Un protocole sans seuil d'acceptation",
        "Un protocole et un seuil, sans échantillon",
        "Un protocole, un seuil et un échantillon de l'acheteur",
        "Le même, avec des résultats d'un pilote comparable",
    ];
    let descriptors: Vec<String> = levels
        .iter()
        .map(|l| format!("{{ fr = \"{l}\", en = \"{l}\" }}"))
        .collect();
    let overridden = format!(
        "\n[[overrides]]\nquestion = \"{own}\"\nscale = {{ kind = \"committee\", descriptors = [{}] }}\njustification = \"Niveaux propres au protocole de mesure de la qualité.\"\n",
        descriptors.join(", ")
    );
    let dir = tempfile::tempdir().unwrap();
    let edit = move |p: String| p + &overridden;
    let run = annex(dir.path(), Some(&edit), &["-o", "annexe.md"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let md = std::fs::read_to_string(dir.path().join("annexe.md")).unwrap();
    let committee = between(&md, "Éléments notés par la commission", "Définitions");

    // Its own levels, under its id; the others' standard levels, under theirs.
    let own_at = committee
        .find(&format!("Niveaux de la question {own}"))
        .unwrap_or_else(|| panic!("no table of {own}'s own levels:\n{committee}"));
    let others = marked
        .iter()
        .filter(|q| **q != own)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    let others_at = committee
        .find(&format!("Niveaux des questions {others}"))
        .unwrap_or_else(|| panic!("no table of {others}:\n{committee}"));
    let (own_part, others_part) = if own_at < others_at {
        (&committee[own_at..others_at], &committee[others_at..])
    } else {
        (&committee[own_at..], &committee[others_at..own_at])
    };
    for level in levels {
        let level = typography::apply(level, Lang::Fr);
        assert!(own_part.contains(&level), "{own}: {level}");
        assert!(!others_part.contains(&level), "{others}: {level}");
    }
    for (level, _) in DESCRIPTORS {
        let level = typography::apply(level, Lang::Fr);
        assert!(others_part.contains(&level), "{others}: {level}");
        assert!(!own_part.contains(&level), "{own}: {level}");
    }
}
