//! Every document of the demo as its reader sees it: `boussole demo` run
//! into a new folder, each DOCX and XLSX it writes for people printed to PDF
//! by LibreOffice, and the text of the PDF read back by `pdftotext`, page by
//! page. On that text: no machine text (rule expressions, internal codes,
//! SHA-256, file paths, command lines, tool lines), French typography (no
//! straight apostrophe between letters, no line opening on `; : ! ? »` nor
//! closing on `«`, which a no-break space forbids, no identifier or number
//! cut across lines, « 1 heure » and not « 1 heures ») and a page budget per
//! document. The spaces themselves (a no-break space before `; : ! ?`)
//! are lost in the PDF text: they are checked on the text of each DOCX.
//!
//! The vendors' returned files (`reponses/`) and the contractor's filled
//! yearly report are theirs, not the tool's, and are not checked. The scoring workbook's « Provenance » sheet lists files
//! and their SHA-256 by design (it is how a report is traced to its
//! inputs): its pages are left out of the machine-text check, and only
//! them.

use std::path::{Path, PathBuf};

use regex::Regex;

use crate::support::*;

/// One document the demo writes and the most pages it may print on.
struct Expected {
    file: &'static str,
    pages: usize,
}

/// The page budget of each document, on the demo's profile and offers.
const DOCUMENTS: &[Expected] = &[
    Expected {
        file: "annexe.docx",
        pages: 24,
    },
    Expected {
        file: "comparaison.docx",
        pages: 4,
    },
    Expected {
        file: "comparaison.xlsx",
        pages: 5,
    },
    Expected {
        // The legal basis of every finding, its clauses' references
        // included, makes the findings' rows taller.
        file: "rapport.xlsx",
        pages: 34,
    },
    Expected {
        file: "grille/avis.docx",
        pages: 4,
    },
    Expected {
        file: "grille/suivi-annee-1.xlsx",
        pages: 4,
    },
    Expected {
        file: "questionnaire.docx",
        pages: 44,
    },
    Expected {
        file: "questionnaire.xlsx",
        pages: 22,
    },
    Expected {
        file: "grille/grille.xlsx",
        pages: 22,
    },
    Expected {
        file: "grille/grille-remplie.xlsx",
        pages: 22,
    },
    Expected {
        file: "note-juridique.docx",
        pages: 30,
    },
    Expected {
        file: "lettres/regularisation-03-petite-start-up-sarl.docx",
        pages: 3,
    },
    Expected {
        file: "suivi/rapport-annee-2-a-remplir.xlsx",
        pages: 2,
    },
    Expected {
        file: "suivi/suivi-execution.docx",
        pages: 2,
    },
    Expected {
        file: "suivi/fiche-algorithme.docx",
        pages: 6,
    },
];

/// Kinds of defect that have exceptions: a published format's field name
/// is no internal code, the tail of a wrapped web address no file path.
const INTERNAL_CODE: &str = "internal code";
const FILE_PATH: &str = "file path";

/// Field names of published formats the documents quote for vendors to find
/// them (a Hugging Face model card's `co2_eq_emissions`): not our codes.
const EXTERNAL_FIELDS: &[&str] = &["co2_eq_emissions"];

/// The machine text no reader should meet, with what each pattern is.
fn machine_text() -> Vec<(&'static str, Regex)> {
    [
        (
            "rule expression",
            r"profile\.[a-z_]+|\s(==|!=)\s|\b(in|not in) \[",
        ),
        (INTERNAL_CODE, r"\b[a-z][a-z0-9]*(_[a-z0-9]+)+\b"),
        ("SHA-256", r"\b[0-9a-f]{16,}\b"),
        (
            FILE_PATH,
            r"(^|\s)[\w.-]+/[\w./-]*\.(xlsx|docx|ods|odt|toml|json|md|lock|csv)\b",
        ),
        (
            "command line",
            r"\bboussole (check|compare|grid|questionnaire|annex|demo|library|serve|init)\b|(^|\s)--[a-z]",
        ),
        ("tool line", r"\bboussole \d+\.\d+\.\d+|Établi avec boussole"),
    ]
    .into_iter()
    .map(|(what, re)| (what, Regex::new(re).unwrap()))
    .collect()
}

/// French typography that survives in the PDF text.
fn typography() -> Vec<(&'static str, Regex)> {
    [
        ("straight apostrophe in French prose", r"\p{L}'\p{L}"),
        (
            "line opening on a sign a no-break space holds to the word before",
            r"(?m)^[;:!?»]",
        ),
        (
            "line closing on « (a no-break space holds it)",
            r"(?m)«\s*$",
        ),
        (
            "identifier cut across lines",
            r"\b[A-Z]{2,5}-\n[A-Z]?\d{2}\b",
        ),
        (
            "unit in the plural after 0 or 1",
            r"\b[01] (heures|jours|semaines|minutes|secondes|années|ans|points)\b",
        ),
    ]
    .into_iter()
    .map(|(what, re)| (what, Regex::new(re).unwrap()))
    .collect()
}

/// The text of every paragraph of a DOCX, from its XML.
fn docx_paragraphs(path: &Path) -> Vec<String> {
    let xml = zip_entry(path, "word/document.xml");
    let text = Regex::new(r"<w:t(?: [^>]*)?>([^<]*)</w:t>").unwrap();
    xml.split("</w:p>")
        .map(|p| {
            text.captures_iter(p)
                .map(|c| c[1].replace("&amp;", "&").replace("&apos;", "'"))
                .collect::<String>()
        })
        .filter(|p| !p.is_empty())
        .collect()
}

/// The spaces French puts before `; : ! ?` and inside « », on the DOCX text.
fn docx_spacing(path: &Path) -> Vec<String> {
    let breakable = Regex::new(r"\S ([;:!?»])|« \S").unwrap();
    docx_paragraphs(path)
        .iter()
        .filter(|p| !p.contains("://"))
        .filter_map(|p| {
            breakable.find(p).map(|m| {
                let start = floor(p, m.start().saturating_sub(40));
                let end = ceil(p, (m.end() + 20).min(p.len()));
                format!(
                    "a breakable space before or after a sign: « …{}… »",
                    &p[start..end]
                )
            })
        })
        .collect()
}

/// The char boundary at or before `i`.
fn floor(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The char boundary at or after `i` (at most the length).
fn ceil(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Where `m` falls: its page (1-based) and its surroundings.
fn place(pages: &[&str], page: usize, start: usize, end: usize) -> String {
    let text = pages[page];
    let a = floor(text, start.saturating_sub(40));
    let b = ceil(text, (end + 30).min(text.len()));
    format!("page {}: « …{}… »", page + 1, text[a..b].replace('\n', "⏎"))
}

/// The web addresses a DOCX or XLSX holds, whole: a cell's narrow column
/// wraps one across lines, and its tail (`docs/model-card.json`) is then no
/// file path.
fn addresses(path: &Path) -> Vec<String> {
    let part = if path.extension().is_some_and(|e| e == "docx") {
        "word/document.xml"
    } else {
        "xl/sharedStrings.xml"
    };
    let url = Regex::new(r#"https?://[^\s<>"]+"#).unwrap();
    let xml = zip_entry(path, part);
    url.find_iter(&xml)
        .map(|m| m.as_str().to_string())
        .collect()
}

/// The defects of one document's PDF text; `addresses` are the web
/// addresses it holds.
fn defects(doc: &str, text: &str, addresses: &[String]) -> Vec<String> {
    let text = text.replace('\u{2011}', "-");
    let pages: Vec<&str> = text.split('\u{c}').collect();
    let mut out = Vec::new();
    let machine = machine_text();
    let french = typography();
    for (n, page) in pages.iter().enumerate() {
        let provenance = doc == "rapport.xlsx" && page.contains("Provenance du rapport");
        if !provenance {
            for (what, re) in &machine {
                for m in re.find_iter(page) {
                    let before = &page[floor(page, m.start().saturating_sub(80))..m.start()];
                    // The end of a URL a narrow cell wraps over lines, which
                    // pdftotext may interleave with a line of the next cell:
                    // a URL among the last three words.
                    let in_url_or_mail = before
                        .rsplit(char::is_whitespace)
                        .filter(|w| !w.is_empty())
                        .take(3)
                        .enumerate()
                        .any(|(i, w)| w.contains("://") || (i == 0 && w.contains('@')));
                    let external = *what == INTERNAL_CODE && EXTERNAL_FIELDS.contains(&m.as_str());
                    let wrapped_address = *what == FILE_PATH
                        && addresses.iter().any(|a| a.contains(m.as_str().trim()));
                    if !in_url_or_mail && !external && !wrapped_address {
                        out.push(format!("{what}, {}", place(&pages, n, m.start(), m.end())));
                    }
                }
            }
        }
        for (what, re) in &french {
            for m in re.find_iter(page) {
                out.push(format!("{what}, {}", place(&pages, n, m.start(), m.end())));
            }
        }
    }
    out
}

fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(all_files(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn every_document_of_the_demo_prints_without_machine_text_in_french_typography_within_its_pages() {
    let dir = tempfile::tempdir().unwrap();
    let run = boussole_in(dir.path(), &["demo", "d"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let demo = dir.path().join("d");

    // Every DOCX and XLSX the demo writes for people is in the table.
    let written: Vec<String> = all_files(&demo)
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "docx" || e == "xlsx"))
        .map(|p| {
            p.strip_prefix(&demo)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        // The contractor's filled yearly report is its own, as the offers are.
        .filter(|p| !p.starts_with("reponses/") && p != "suivi/rapport-annee-1.xlsx")
        .collect();
    for f in &written {
        assert!(
            DOCUMENTS.iter().any(|d| d.file == *f),
            "{f}: the demo writes it but it has no page budget in DOCUMENTS"
        );
    }

    // One LibreOffice run; each file under a name of its own (annexe-docx.docx)
    // since questionnaire.docx and questionnaire.xlsx would both print as questionnaire.pdf.
    let staged = dir.path().join("staged");
    let pdf = dir.path().join("pdf");
    std::fs::create_dir_all(&staged).unwrap();
    let stage = |file: &str| {
        let p = Path::new(file);
        let ext = p.extension().unwrap().to_string_lossy();
        staged.join(format!(
            "{}-{ext}.{ext}",
            p.file_stem().unwrap().to_string_lossy()
        ))
    };
    let inputs: Vec<PathBuf> = DOCUMENTS
        .iter()
        .map(|d| {
            let to = stage(d.file);
            std::fs::copy(demo.join(d.file), &to).unwrap_or_else(|e| panic!("{}: {e}", d.file));
            to
        })
        .collect();
    if !soffice_all(&inputs, "pdf", &pdf) {
        return;
    }

    let mut failures = Vec::new();
    for (d, input) in DOCUMENTS.iter().zip(&inputs) {
        let out = pdf.join(input.with_extension("pdf").file_name().unwrap());
        let Some(text) = pdf_text(&out) else { return };
        let pages = text.matches('\u{c}').count();
        let mut found = defects(d.file, &text, &addresses(&demo.join(d.file)));
        if d.file.ends_with(".docx") {
            found.extend(docx_spacing(&demo.join(d.file)));
        }
        if pages > d.pages {
            found.push(format!(
                "{pages} pages printed, more than the {} of its budget",
                d.pages
            ));
        }
        failures.extend(found.into_iter().map(|f| format!("{}: {f}", d.file)));
    }
    assert!(
        failures.is_empty(),
        "{} defects:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The annex for a high-risk system on health data, run on the buyer's own
/// servers, printed: the same checks as the demo's documents, and what such
/// a profile adds read in the printed text — the high-risk package with its
/// scope, the health-data hosting, the on-premise deployment.
#[test]
fn the_annex_of_a_high_risk_health_on_premise_profile_prints_as_published() {
    let dir = tempfile::tempdir().unwrap();
    let profile = fixture("profiles/haut-risque-sante-sur-site.toml");
    let run = boussole_in(
        dir.path(),
        &[
            "annex",
            "-p",
            profile.to_str().unwrap(),
            "-o",
            "annexe.docx",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let docx = dir.path().join("annexe.docx");
    let pdf = dir.path().join("pdf");
    if !soffice_all(std::slice::from_ref(&docx), "pdf", &pdf) {
        return;
    }
    let Some(text) = pdf_text(&pdf.join("annexe.pdf")) else {
        return;
    };
    let mut found = defects("annexe.docx", &text, &addresses(&docx));
    found.extend(docx_spacing(&docx));
    let pages = text.matches('\u{c}').count();
    if pages > 26 {
        found.push(format!(
            "{pages} pages printed, more than the 26 of its budget"
        ));
    }
    assert!(
        found.is_empty(),
        "{} defects:\n{}",
        found.len(),
        found.join("\n")
    );

    // Words as printed: line breaks and no-break spaces read as spaces.
    let words = text
        .replace(['\u{a0}', '\u{202f}', '\n'], " ")
        .replace('\u{2011}', "-");
    let words = Regex::new(r" +").unwrap().replace_all(&words, " ");
    for expected in [
        "Aide à l’instruction des demandes d’aide sociale",
        "Système à haut risque : conformité du fournisseur et appui au déployeur",
        "(lorsque le système est à haut risque)",
        "dossiers médicaux des patients suivis par le service, données de santé",
        "CSP, art. L. 1111-8",
        "Résumer un compte rendu de consultation à partir de son texte.",
    ] {
        assert!(words.contains(expected), "« {expected} » is not printed");
    }
    // A high-risk provision is never printed without its scope.
    // Each « Fondement » names a text once, then its articles: the scope is
    // said for the whole text or on the article.
    let high_risk_only = Regex::new(r"^art\. (12|13|47|49|72|73)\b").unwrap();
    let sentence_end = Regex::new(r"\. [A-ZÉ]").unwrap();
    let mut seen = 0;
    for basis in words.split("Fondement : ").skip(1) {
        let basis = basis.split("Vérifié par").next().unwrap();
        let mut starts = vec![0];
        starts.extend(sentence_end.find_iter(basis).map(|m| m.start() + 2));
        starts.push(basis.len());
        for text in starts.windows(2).map(|w| &basis[w[0]..w[1]]) {
            let Some(rest) = text.strip_prefix("Règlement (UE) 2024/1689") else {
                continue;
            };
            let (header, items) = rest.split_once(" : ").unwrap_or(("", rest));
            for item in items.trim_start_matches(", ").split(" ; ") {
                seen += usize::from(high_risk_only.is_match(item));
                assert!(
                    !high_risk_only.is_match(item)
                        || [header, item]
                            .iter()
                            .any(|t| t.contains("haut risque") || t.contains("par analogie")),
                    "a high-risk provision without its scope: « {text} »"
                );
            }
        }
    }
    assert!(
        seen >= 5,
        "only {seen} high-risk provisions found in the bases"
    );
}
