//! Reports people read: the memo for legal staff (`check --format docx`)
//! and the vendor comparison (`compare`, XLSX, DOCX and Markdown), made from
//! vendors filled by `tests/scripts/compare_vendors.py` and opened by
//! LibreOffice.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::*;

/// A fixed date for reproducible documents (2027-01-15T08:00:00Z).
const EPOCH: &str = "1800000000";
const HYPERLINK: &str = r#"=HYPERLINK("http://x","y")"#;
const LONG_END: &str = "FinDeLaReponseLongue";

/// A tender whose questionnaire went out and came back from fictional vendors.
struct Offers {
    dir: tempfile::TempDir,
}

fn python_ready() -> bool {
    python_has(&["openpyxl", "docx"])
}

/// Issues the questionnaire and has the vendors fill it in `offres/`;
/// `edge` adds the vendors with a 40,000-character answer and control characters.
fn offers(edge: bool) -> Option<Offers> {
    if !python_ready() {
        return None;
    }
    let o = Offers {
        dir: tempfile::tempdir().unwrap(),
    };
    for name in ["questionnaire.xlsx", "questionnaire.docx"] {
        let run = o.run(&["questionnaire", "-o", name]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    std::fs::create_dir(o.path("offres")).unwrap();
    let mut script = Command::new("python3");
    script
        .arg(root().join("tests/scripts/compare_vendors.py"))
        .args([
            "questionnaire.xlsx",
            "questionnaire.xlsx.boussole.lock",
            "offres",
        ])
        .current_dir(o.dir.path());
    if edge {
        script.args(["--edge", "questionnaire.docx"]);
    }
    let out = script.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(o)
}

impl Offers {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs boussole in the tender's folder with a fixed date.
    fn run(&self, args: &[&str]) -> Run {
        boussole_env(self.dir.path(), args, &[("SOURCE_DATE_EPOCH", EPOCH)])
    }

    /// `check --lock … offres` with `extra` arguments.
    fn check(&self, extra: &[&str]) -> Run {
        let mut args = vec![
            "check",
            "--lock",
            "questionnaire.xlsx.boussole.lock",
            "offres",
        ];
        args.extend(extra);
        self.run(&args)
    }

    /// `compare --lock … offres -o out`.
    fn compare(&self, out: &str) -> Run {
        self.run(&[
            "compare",
            "--lock",
            "questionnaire.xlsx.boussole.lock",
            "offres",
            "-o",
            out,
        ])
    }

    /// The JSON report of the same files.
    fn report(&self) -> Value {
        serde_json::from_str(&self.check(&["--format", "json"]).stdout).unwrap()
    }
}

/// The text of a Word document's body: its `w:t` elements, one paragraph a line.
pub(crate) fn docx_text(path: &Path) -> String {
    use quick_xml::events::Event;
    let xml = zip_entry(path, "word/document.xml");
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut out, mut inside) = (String::new(), false);
    loop {
        match reader
            .read_event()
            .expect("word/document.xml is well-formed")
        {
            Event::Start(e) if e.name().as_ref() == "w:t" => inside = true,
            Event::End(e) if e.name().as_ref() == "w:t" => inside = false,
            Event::End(e) if e.name().as_ref() == "w:p" => out.push('\n'),
            Event::Text(t) if inside => out.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if inside => {
                if let Some(c) = r.resolve_char_ref().unwrap() {
                    out.push(c);
                    continue;
                }
                out.push_str(match &*r {
                    "quot" => "\"",
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "apos" => "'",
                    other => panic!("unexpected entity {other}"),
                });
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// The findings of a report at or above major, per vendor name.
fn serious(report: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for r in report["results"].as_array().unwrap() {
        for f in r["findings"].as_array().unwrap() {
            if f["severity"] == "eliminatory" || f["severity"] == "major" {
                out.push((r["vendor"]["name"].as_str().unwrap().to_string(), f.clone()));
            }
        }
    }
    out
}

#[test]
fn the_memo_gives_every_serious_finding_with_the_vendors_words_and_a_decision_box() {
    let Some(o) = offers(true) else { return };
    let run = o.check(&["--format", "docx", "-o", "memo.docx"]);
    assert_eq!(run.code, 1, "an offer is non-compliant: {}", run.stderr);
    let memo = o.path("memo.docx");
    let text = docx_text(&memo);
    let report = o.report();
    let findings = serious(&report);
    assert!(findings.len() >= 10, "{findings:?}");
    for (vendor, f) in &findings {
        let id = f["question"].as_str().unwrap();
        if matches!(
            f["status"].as_str(),
            Some("missing" | "invalid" | "evidence")
        ) {
            // A missing or unreadable answer is a row of the chapter's one table.
            let table = text.find("manquantes ou illisibles").expect("the table");
            assert!(
                text[table..].lines().any(|l| l == id),
                "{vendor}: {id} is not in the table of missing answers"
            );
            continue;
        }
        if matches!(f["code"].as_str(), Some("example_copied" | "shared_text")) {
            // An answer repeating the example or another offer's text is a
            // row of the batch's one table: the vendor, then the question.
            let lines: Vec<&str> = text.lines().collect();
            assert!(
                lines
                    .windows(2)
                    .any(|w| w[0] == vendor && w[1].starts_with(&format!("{id} — "))),
                "{vendor}: {id} is not in the table of answers to examine"
            );
            continue;
        }
        let heading = text
            .lines()
            .position(|l| {
                l.starts_with(&format!("{id} — ")) && l.contains(" — majeure — ")
                    || l.starts_with(&format!("{id} — éliminatoire"))
            })
            .unwrap_or_else(|| panic!("{vendor}: no section for {id}"));
        let answer = f["answer"].as_str().unwrap();
        let clean: String = answer.chars().filter(|c| *c >= ' ').collect();
        assert!(
            text.contains(&clean),
            "{vendor}, {id}: the answer is not quoted"
        );
        assert!(
            text.lines()
                .skip(heading)
                .any(|l| l.starts_with("Décision de l’acheteur"))
        );
    }
    // One chapter per vendor, listed in the contents: irregular offers
    // first, then those to regularise, then the ranking.
    let results = report["results"].as_array().unwrap();
    let order = |r: &&Value| {
        let standing = match r["judgment"]["standing"].as_str() {
            Some("irregular") => 0,
            Some("to_regularise") => 1,
            Some("ranked") => 2,
            _ => 3,
        };
        (standing, r["judgment"]["rank"].as_u64().unwrap_or(u64::MAX))
    };
    let mut ordered: Vec<&Value> = results.iter().collect();
    ordered.sort_by_key(order);
    for (n, r) in ordered.iter().enumerate() {
        let title = format!(
            "Soumissionnaire {} — {}",
            n + 1,
            r["vendor"]["name"].as_str().unwrap()
        );
        let seen = text.lines().filter(|l| *l == title).count();
        assert_eq!(
            seen, 2,
            "{title}: one chapter per vendor, listed in the contents"
        );
    }
    // Vendor text stays text: no field, no link.
    assert!(
        findings.iter().any(|(_, f)| f["answer"] == HYPERLINK),
        "an answer that looks like a formula is read as text and reported"
    );
    assert!(text.contains(HYPERLINK), "the comment is quoted literally");
    // The only fields are the contents' page numbers.
    let xml = zip_entry(&memo, "word/document.xml");
    let instructions = regex::Regex::new(r"<w:instrText[^>]*>([^<]*)</w:instrText>").unwrap();
    assert!(
        !xml.contains("fldSimple")
            && instructions
                .captures_iter(&xml)
                .all(|c| c[1].starts_with("PAGEREF ")),
        "no field"
    );
    assert!(!zip_entry(&memo, "word/_rels/document.xml.rels").contains("http://x"));
    // The 40,000-character answer is shown cut, saying where to read it
    // whole; control characters are gone.
    let long = text
        .lines()
        .find(|l| l.contains("Modèle maison décrit en détail."))
        .expect("the long answer");
    assert!(long.chars().count() < 2_200, "{}", long.chars().count());
    assert!(long.contains("le texte entier est dans l’offre)"), "{long}");
    assert!(!text.contains(LONG_END), "cut before its end");
    assert!(
        text.contains("Délai court"),
        "control characters dropped, the rest kept"
    );
    assert!(
        !xml.chars()
            .any(|c| c < ' ' && !matches!(c, '\t' | '\n' | '\r'))
    );
    // The same report gives the same bytes.
    o.check(&["--format", "docx", "-o", "memo2.docx"]);
    assert!(std::fs::read(&memo).unwrap() == std::fs::read(o.path("memo2.docx")).unwrap());
    // LibreOffice opens it.
    let out = tempfile::tempdir().unwrap();
    let Some(pdf) = soffice(&memo, "pdf", out.path()) else {
        return;
    };
    let Some(pdf) = pdf_text(&pdf) else { return };
    for (_, f) in &findings {
        assert!(pdf.contains(f["question"].as_str().unwrap()));
    }
    for words in [
        "Delta Vision",
        HYPERLINK,
        "le texte entier est dans l’offre",
        "15 janvier 2027",
        "précision demandée",
    ] {
        assert!(pdf.contains(words), "the PDF lacks {words}");
    }
}

#[test]
fn the_memo_cites_the_clause_its_article_and_only_verified_law() {
    let Some(o) = offers(false) else { return };
    let run = o.check(&["--format", "docx", "-o", "memo.docx", "--lang", "en"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = docx_text(&o.path("memo.docx"));
    assert!(text.starts_with("Legal memo"), "{}", &text[..200]);
    let lock =
        boussole::questionnaire::lock::Lock::read(&o.path("questionnaire.xlsx.boussole.lock"))
            .unwrap();
    let articles = boussole::annex::article_numbers(&lock.selection);
    let bio = lock
        .selection
        .clauses
        .iter()
        .find(|c| c.id == "BIO-C01")
        .unwrap();
    let cited = format!("Clause at stake: article {} (", articles["BIO-C01"]);
    assert!(text.contains(&cited), "{cited}");
    assert!(text.contains(&bio.text.en), "the clause text at stake");
    // Each reference printed: its text named, then its article.
    let words = text.replace(['\u{a0}', '\u{202f}'], " ");
    for l in &bio.legal {
        let (instrument, article) = l.text.split_once(", ").unwrap();
        assert!(
            words.contains(instrument) && words.contains(article),
            "{}",
            l.text
        );
    }
    let library = boussole::library::load(None).unwrap();
    let verified: Vec<&str> = library
        .questions
        .iter()
        .flat_map(|q| &q.legal)
        .chain(library.clauses.iter().flat_map(|c| &c.legal))
        .filter(|l| l.status == boussole::library::LegalStatus::Verified)
        .map(|l| l.text.as_str())
        .collect();
    let unverified = library
        .questions
        .iter()
        .flat_map(|q| &q.legal)
        .chain(library.clauses.iter().flat_map(|c| &c.legal))
        .filter(|l| l.status != boussole::library::LegalStatus::Verified)
        .filter(|l| !verified.iter().any(|v| v.contains(l.text.as_str())));
    // Printed grouped, a reference shows as its article after its text's
    // name: an unverified article is looked for on its own, unless a
    // verified reference has the same words.
    let mut seen = 0;
    for l in unverified {
        let article = l.text.split_once(", ").map_or(l.text.as_str(), |(_, a)| a);
        if verified.iter().any(|v| v.contains(article)) {
            continue;
        }
        seen += 1;
        assert!(
            !words.contains(article),
            "an unverified reference is cited: {}",
            l.text
        );
    }
    assert!(seen > 0, "no unverified reference left to look for");
}

#[test]
fn the_memo_carries_the_decisions_legal_staff_typed_in_the_workbook() {
    let Some(o) = offers(false) else { return };
    let run = o.check(&["-o", "rapport.xlsx"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let decisions = serde_json::json!({
        "sheet": "Points à examiner",
        "decisions": [
            {"question": "BIO-01", "file": "delta.xlsx", "decision": "constat confirmé",
             "reviewer": "M. Durand", "date": {"date": "2027-02-01"},
             "comment": "Identification biométrique confirmée"},
            {"question": "BIO-02", "file": "echo.xlsx", "decision": "constat levé",
             "reviewer": "Mme Caron", "date": {"date": "2027-02-02"},
             "comment": "Réponse régularisée en séance"},
        ]
    });
    fill_script(
        "decide_xlsx.py",
        &o.path("rapport.xlsx"),
        &o.path("decide.xlsx"),
        &decisions,
    );
    let run = o.check(&["--decisions", "decide.xlsx", "-o", "memo.docx"]);
    assert!(run.code <= 1, "{}", run.stderr);
    let text = docx_text(&o.path("memo.docx"));
    let lines: Vec<&str> = text.lines().collect();
    let section = |id: &str| {
        // The section's heading: the question, its severity, its criterion.
        let start = lines
            .iter()
            .position(|l| {
                l.starts_with(&format!("{id} — "))
                    && (l.contains(" — majeure — ") || l.contains(" — éliminatoire — "))
            })
            .unwrap();
        let end = start
            + lines[start..]
                .iter()
                .position(|l| l.contains("Motifs"))
                .unwrap();
        lines[start..=end].join("\n")
    };
    let bio = section("BIO-01");
    assert!(
        bio.contains("☒ constat confirmé") && bio.contains("☐ constat levé"),
        "{bio}"
    );
    assert!(
        bio.contains("M. Durand") && bio.contains("Identification biométrique confirmée"),
        "{bio}"
    );
    // BIO-02 was left unanswered: its row in the table of missing answers
    // carries the decision.
    let row = lines
        .iter()
        .position(|l| *l == "BIO-02")
        .expect("BIO-02's row");
    assert!(
        lines[row..row + 6].contains(&"constat levé"),
        "{:?}",
        &lines[row..row + 6]
    );
    assert!(
        text.contains("Avant elles"),
        "the verdict before the decisions"
    );
    // A finding left undecided: three empty boxes.
    let undecided = lines
        .iter()
        .find(|l| l.contains(" — majeure — ") && !l.starts_with("BIO-"))
        .and_then(|l| l.split(" — ").next())
        .expect("a major finding with its own section");
    assert!(
        section(undecided)
            .contains("☐ constat levé     ☐ constat confirmé     ☐ précision demandée"),
        "{}",
        section(undecided)
    );

    // The comparison takes the same decisions: Écho's regularised answer
    // lets it be ranked there too.
    let echo_ranked = |extra: &[&str]| {
        let mut args = vec![
            "compare",
            "--lock",
            "questionnaire.xlsx.boussole.lock",
            "offres",
        ];
        args.extend(extra);
        args.extend(["-o", "comparaison.md", "--force"]);
        let run = o.run(&args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let md = std::fs::read_to_string(o.path("comparaison.md")).unwrap();
        let ranking = md
            .split("## Offres non classées")
            .next()
            .unwrap()
            .to_string();
        ranking.contains("| Écho Conseil |")
    };
    assert!(!echo_ranked(&[]), "to regularise, Écho is set apart");
    assert!(
        echo_ranked(&["--decisions", "decide.xlsx"]),
        "once its answer is accepted, Écho is ranked"
    );
}

#[test]
fn the_memo_opens_on_the_decision_proposed_for_each_offer_and_lists_missing_answers_in_one_table() {
    let Some(o) = offers(false) else { return };
    let run = o.check(&["--format", "docx", "-o", "memo.docx"]);
    assert!(run.code <= 1, "{}", run.stderr);
    let report = o.report();
    let out = tempfile::tempdir().unwrap();
    let Some(pdf) = soffice(&o.path("memo.docx"), "pdf", out.path()) else {
        return;
    };
    let Ok(first) = std::process::Command::new("pdftotext")
        .args(["-f", "1", "-l", "1"])
        .arg(&pdf)
        .arg("-")
        .output()
    else {
        return;
    };
    // The first page: the memo header, then each offer and its proposed decision.
    let first = String::from_utf8_lossy(&first.stdout).replace(['\u{a0}', '\u{202f}'], " ");
    for label in [
        "À :",
        "De :",
        "Date :",
        "Objet :",
        "Synthèse et décisions proposées",
    ] {
        assert!(first.contains(label), "page 1 lacks {label}: {first}");
    }
    let flat = first.split_whitespace().collect::<Vec<_>>().join(" ");
    for r in report["results"].as_array().unwrap() {
        let name = r["vendor"]["name"].as_str().unwrap();
        assert!(flat.contains(name), "page 1 lacks {name}: {flat}");
        let decision = match r["judgment"]["standing"].as_str() {
            Some("irregular") => "Écarter l’offre comme irrégulière",
            Some("to_regularise") => "Inviter le soumissionnaire à régulariser",
            _ => "Classer l’offre",
        };
        assert!(
            flat.contains(decision),
            "page 1 lacks « {decision} »: {flat}"
        );
    }
    // Missing answers: one table per offer, not one section per answer, and
    // no internal code.
    let text = docx_text(&o.path("memo.docx"));
    for r in report["results"].as_array().unwrap() {
        let missing: Vec<&str> = r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["status"] == "missing")
            .map(|f| f["question"].as_str().unwrap())
            .collect();
        for id in &missing {
            assert!(text.lines().any(|l| l == *id), "{id}: no row in the table");
        }
    }
    let tables = text
        .matches("réponses ou pièces manquantes ou illisibles")
        .count()
        + text
            .matches("Une réponse ou pièce manquante ou illisible")
            .count();
    let with_gaps = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            r["findings"].as_array().unwrap().iter().any(|f| {
                matches!(
                    f["status"].as_str(),
                    Some("missing" | "invalid" | "evidence")
                )
            })
        })
        .count();
    assert!(with_gaps > 0);
    assert!(tables >= with_gaps, "one table per offer with gaps");
    for code in ["(rule_failed)", "missing_answer", "SHA-256", "offres/"] {
        assert!(!text.contains(code), "machine text « {code} » in the memo");
    }
}

/// The line of a Markdown table whose first cell is `first`, as cells.
fn md_row<'a>(md: &'a str, first: &str) -> Vec<&'a str> {
    let line = md
        .lines()
        .find(|l| l.starts_with(&format!("| {first} |")))
        .unwrap_or_else(|| panic!("no row {first}"));
    line.trim_matches('|').split(" | ").map(str::trim).collect()
}

#[test]
fn the_comparison_ranks_on_the_compass_only_and_sets_offers_apart() {
    let Some(o) = offers(false) else { return };
    let run = o.compare("comparaison.md");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let md = std::fs::read_to_string(o.path("comparaison.md")).unwrap();
    let whole = md.clone();
    let (provenance, md) = md.split_once("-->\n\n").expect("provenance first");
    assert!(provenance.contains("boussole.library_hash"));
    assert!(md.starts_with("# Classement des offres sur les critères de la boussole"));
    assert!(
        md.contains(
            "Le prix et les autres critères de la consultation sont appréciés par ailleurs"
        )
    );
    let (ranking, rest) = md.split_once("## Offres non classées").unwrap();
    let (apart, tables) = rest.split_once("## Par critère").unwrap();
    for ranked in [
        "Atelier Numérique Loire",
        "Brume Analytics",
        "Cobalt Services",
    ] {
        assert!(
            ranking.contains(&format!("| {ranked} |")),
            "{ranked} is ranked"
        );
    }
    assert!(
        ranking.find("Atelier").unwrap() < ranking.find("Cobalt").unwrap(),
        "best first"
    );
    for (vendor, status, reason) in [
        ("Delta Vision", "offre irrégulière, écartée", "BIO-01"),
        ("Écho Conseil", "offre incomplète", "BIO-02"),
    ] {
        assert!(!ranking.contains(vendor), "{vendor} is not ranked");
        // Vendor, proposed status, grounds: no file, and no score for an offer set aside.
        let row = md_row(apart, vendor);
        assert_eq!(row.len(), 3, "{row:?}");
        assert!(row[1].starts_with(status), "{row:?}");
        assert!(
            row[1].contains("proposition — décision de l'acheteur"),
            "{row:?}"
        );
        assert!(row[2].contains(reason), "{row:?}");
    }
    // The best vendor per criterion, from the report.
    let report = o.report();
    let lock =
        boussole::questionnaire::lock::Lock::read(&o.path("questionnaire.xlsx.boussole.lock"))
            .unwrap();
    let ranked: Vec<&Value> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["verdict"] == "compliant" || r["verdict"] == "compliant_with_reservations")
        .collect();
    let mut differ = false;
    for c in &lock.selection.criteria {
        let score = |r: &Value| {
            r["criteria"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["id"] == c.id.as_str())
                .unwrap()["score"]
                .as_f64()
                .unwrap()
        };
        let top = ranked.iter().map(|r| score(r)).fold(f64::MIN, f64::max);
        let best: Vec<&str> = ranked
            .iter()
            .filter(|r| (score(r) - top).abs() < 1e-9)
            .map(|r| r["vendor"]["name"].as_str().unwrap())
            .collect();
        let title = format!(
            "{}. {}",
            c.order,
            boussole::office::typography::apply(&c.title.fr, boussole::text::Lang::Fr)
        );
        let row = md_row(tables, &title);
        let last = row.last().unwrap();
        if best.len() == ranked.len() {
            assert_eq!(*last, "toutes à égalité", "{title}");
        } else {
            differ = true;
            assert_eq!(last.split(", ").collect::<Vec<_>>(), best, "{title}");
        }
    }
    assert!(differ, "the vendors differ on some criterion");
    // An existing file is never replaced without --force.
    let again = o.compare("comparaison.md");
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("--force"), "{}", again.stderr);
    assert_eq!(
        std::fs::read_to_string(o.path("comparaison.md")).unwrap(),
        whole
    );
}

#[test]
fn the_comparison_workbook_has_native_charts_and_opens_in_libreoffice() {
    let Some(o) = offers(false) else { return };
    let run = o.compare("comparaison.xlsx");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let xlsx = o.path("comparaison.xlsx");
    assert!(zip_entry(&xlsx, "xl/charts/chart1.xml").contains("<c:radarChart>"));
    assert!(zip_entry(&xlsx, "xl/charts/chart2.xml").contains("<c:barChart>"));
    let strings = zip_entry(&xlsx, "xl/sharedStrings.xml");
    assert!(strings.contains("Delta Vision"));
    assert!(strings.contains("proposition — décision de l"));
    for sheet in ["sheet1", "sheet2", "sheet3"] {
        assert!(
            !zip_entry(&xlsx, &format!("xl/worksheets/{sheet}.xml")).contains("<f>"),
            "no formula"
        );
    }
    let out = tempfile::tempdir().unwrap();
    let Some(pdf) = soffice(&xlsx, "pdf", out.path()) else {
        return;
    };
    let Some(pdf) = pdf_text(&pdf) else { return };
    for words in [
        "Classement",
        "Atelier Numérique Loire",
        "Meilleure offre",
        "Delta Vision",
        "offre irrégulière, écartée",
    ] {
        assert!(pdf.contains(words), "the PDF lacks {words}");
    }
    // Printed, each chart keeps a page of its own, whole.
    assert!(zip_entry(&xlsx, "xl/worksheets/sheet2.xml").contains("<rowBreaks count=\"2\""));
    let page_of = |title: &str| {
        pdf.split('\u{c}')
            .position(|p| p.contains(title))
            .unwrap_or_else(|| panic!("no page shows {title}"))
    };
    assert_ne!(
        page_of("Notes par critère (sur 100)"),
        page_of("Note boussole (sur 100)")
    );
}

#[test]
fn the_comparison_ranks_in_a_narrow_column_and_no_header_runs_over_the_rows_below() {
    let Some(o) = offers(false) else { return };
    // A vendor with a long name, longer than its column is wide.
    let long = "Cobalt Services — Société par actions simplifiée unipersonnelle";
    let renamed = Command::new("python3")
        .arg("-c")
        .arg(
            "import glob, openpyxl, sys\n\
             for f in sorted(glob.glob('offres/*.xlsx')):\n\
             \x20   wb = openpyxl.load_workbook(f)\n\
             \x20   ws = wb['Identité']\n\
             \x20   for row in ws.iter_rows():\n\
             \x20       if row[1].value == 'Cobalt Services':\n\
             \x20           row[1].value = sys.argv[1]\n\
             \x20           wb.save(f)\n",
        )
        .arg(long)
        .current_dir(o.dir.path())
        .output()
        .unwrap();
    assert!(
        renamed.status.success(),
        "{}",
        String::from_utf8_lossy(&renamed.stderr)
    );
    let run = o.compare("comparaison.xlsx");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = Command::new("python3")
        .arg(root().join("tests/scripts/inspect_report_xlsx.py"))
        .arg(o.path("comparaison.xlsx"))
        .output()
        .unwrap();
    let book: Value = serde_json::from_slice(&out.stdout).unwrap();
    let sheet = &book["sheet"]["Classement"];
    let rows = sheet["rows"].as_array().unwrap();
    let width = |col: usize| {
        let letter = char::from(b'A' + u8::try_from(col).unwrap()).to_string();
        sheet["widths"][&letter].as_f64().unwrap_or(8.43)
    };
    let text = |cell: &Value| cell["v"].as_str().unwrap_or_default().to_string();
    // The rank has its own column, narrow, its header read in full.
    let at = rows
        .iter()
        .position(|r| text(&r[0]) == "Rang")
        .expect("a Rang header in column A");
    assert!((4.0..=12.0).contains(&width(0)), "rank column {}", width(0));
    let ranks: Vec<String> = rows[at + 1..at + 4].iter().map(|r| text(&r[0])).collect();
    assert_eq!(ranks, ["1", "2", "3"]);
    assert!(
        rows[at + 1..at + 4].iter().any(|r| text(&r[1]) == long),
        "the long name is ranked"
    );
    // Every header row is as tall as its longest header wrapped in its column.
    let mut long_headers = 0;
    for (i, r) in rows.iter().enumerate() {
        let cells = r.as_array().unwrap();
        if !cells
            .iter()
            .any(|c| ["Rang", "Meilleure offre"].contains(&text(c).as_str()))
        {
            continue;
        }
        // rows[i] is the sheet's row i + 2.
        let height = sheet["heights"][(i + 2).to_string()]
            .as_f64()
            .unwrap_or(15.0);
        for (col, c) in cells.iter().enumerate() {
            let chars = text(c).chars().count() as f64;
            if chars > width(col) * 1.3 {
                long_headers += 1;
                let lines = (chars / width(col)).ceil().min(4.0) - 1.0;
                assert!(
                    height >= 14.0 * lines.max(2.0),
                    "row {}: « {} » in a column {} wide, row {height} pt tall",
                    i + 2,
                    text(c),
                    width(col)
                );
            }
        }
    }
    assert!(long_headers >= 2, "the long name heads the tables");
}

#[test]
fn the_comparison_document_has_pictures_that_decode_and_opens_in_libreoffice() {
    let Some(o) = offers(false) else { return };
    let run = o.compare("comparaison.docx");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let docx = o.path("comparaison.docx");
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&docx).unwrap()).unwrap();
    let media: Vec<String> = archive
        .file_names()
        .filter_map(Result::ok)
        .filter(|n| n.starts_with("word/media/") && n.ends_with(".png"))
        .map(|n| n.into_owned())
        .collect();
    assert_eq!(media.len(), 2, "a radar and bars: {media:?}");
    for name in &media {
        use std::io::Read;
        let mut bytes = Vec::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_end(&mut bytes)
            .unwrap();
        let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
            .read_info()
            .unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let frame = reader.next_frame(&mut buf).unwrap();
        assert_eq!(frame.width, 1800, "{name}");
        assert!(buf.iter().any(|b| *b != 255), "{name} is not blank");
    }
    let text = docx_text(&docx);
    assert!(text.contains("Figure 1") && text.contains("Figure 2"));
    let out = tempfile::tempdir().unwrap();
    let Some(pdf) = soffice(&docx, "pdf", out.path()) else {
        return;
    };
    let Some(pdf) = pdf_text(&pdf) else { return };
    for words in [
        "Classement des offres",
        "Meilleure offre",
        "Brume Analytics",
        "Écho Conseil",
        "Figure 2",
    ] {
        assert!(pdf.contains(words), "the PDF lacks {words}");
    }
}
