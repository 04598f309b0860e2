//! The judgment of offers, as a lawyer would check it: regularity apart from
//! award, graded scores, committee marks, evidence, contradictions and
//! suspect answers; over questionnaires filled by openpyxl and re-saved by
//! LibreOffice.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::support::*;
use boussole::library::{AnswerType, Audience, Role};
use boussole::questionnaire::lock::Lock;
use boussole::rule::RuleKind;
use boussole::selection::SelectedQuestion;

/// A tender whose XLSX questionnaire has been issued in a temporary folder.
struct Tender {
    dir: tempfile::TempDir,
    lock: Lock,
}

/// The default tender, or one whose profile `edit` changes.
fn tender(edit: Option<&dyn Fn(String) -> String>) -> Option<Tender> {
    if !python_has(&["openpyxl"]) {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["questionnaire", "-o", "questionnaire.xlsx"];
    if let Some(edit) = edit {
        profile_with(dir.path(), edit);
        args.extend(["-p", "profil.toml"]);
    }
    let run = boussole_in(dir.path(), &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lock = Lock::read(&dir.path().join("questionnaire.xlsx.boussole.lock")).unwrap();
    Some(Tender { dir, lock })
}

/// A high-risk system processing health data, run on the buyer's premises.
fn high_risk_health_on_premise(t: String) -> String {
    t.replace("ai_act_risk = \"limited\"", "ai_act_risk = \"high\"")
        .replace("health_data = false", "health_data = true")
        .replace("deployment = \"saas\"", "deployment = \"on_premise\"")
}

impl Tender {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn questions(&self) -> impl Iterator<Item = &SelectedQuestion> {
        self.lock.selection.questions_for(Audience::Vendor)
    }

    fn question(&self, id: &str) -> &SelectedQuestion {
        self.questions().find(|q| q.id == id).unwrap()
    }

    /// Every question answered as a careful vendor would, documents cited;
    /// a system the buyer holds for high-risk is classed so.
    fn answers(&self) -> Map<String, Value> {
        let high = self.lock.profile.system.ai_act_risk == boussole::profile::RiskClass::High;
        self.questions()
            .map(|q| {
                let text = match q.id.as_str() {
                    "LEG-02" if high => "Haut risque au titre de l'annexe III".to_string(),
                    _ => careful_text(q),
                };
                let answer = json!({
                    "answer": text,
                    "comment": "Voir mémoire technique",
                    "document": careful_document(q),
                });
                (q.id.clone(), answer)
            })
            .collect()
    }

    fn spec(&self, vendor: &str, answers: Map<String, Value>) -> Value {
        json!({
            "questions_sheet": "Questionnaire",
            "identity_sheet": "Identité",
            "answer_column": 4,
            "identity": [vendor, "732 829 320 00074", "Camille Martin", "camille@example.com", {"date": "2027-01-20"}],
            "answers": answers,
        })
    }

    /// Fills the questionnaire for each variant (`name` → answers changed
    /// from [`Tender::answers`]) into `offres/NAME.xlsx`, then re-saves
    /// every file through LibreOffice into `resaved/`, as a vendor's
    /// spreadsheet program would; the folder of the files to check.
    fn offers(&self, variants: &[(String, Map<String, Value>)]) -> PathBuf {
        let mut spec = self.spec("Exemple IA SAS", self.answers());
        spec["variants"] = variants
            .iter()
            .map(|(name, changes)| (name.clone(), Value::Object(changes.clone())))
            .collect::<Map<_, _>>()
            .into();
        let filled = self.path("offres");
        fill_script(
            "fill_many.py",
            &self.path("questionnaire.xlsx"),
            &filled,
            &spec,
        );
        let resaved = self.path("resaved");
        std::fs::create_dir_all(&resaved).unwrap();
        let files: Vec<PathBuf> = variants
            .iter()
            .map(|(name, _)| filled.join(format!("{name}.xlsx")))
            .collect();
        if soffice_all(&files, "xlsx", &resaved) {
            resaved
        } else {
            filled
        }
    }

    fn run(&self, args: &[&str]) -> Run {
        let mut all = vec!["check", "--lock", "questionnaire.xlsx.boussole.lock"];
        all.extend(args);
        boussole_in(self.dir.path(), &all)
    }

    /// The JSON report of `args`, each result by its file's stem.
    fn report(&self, args: &[&str]) -> BTreeMap<String, Value> {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        let run = self.run(&all);
        assert!(run.code <= 1, "{}", run.stderr);
        let report: Value = serde_json::from_str(&run.stdout).unwrap();
        report["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let stem = Path::new(r["file"].as_str().unwrap())
                    .file_stem()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (stem, r.clone())
            })
            .collect()
    }

    /// An answer that breaks `q`'s rule, as a vendor would type it; none
    /// for rules no typed answer can break.
    fn breaking(&self, q: &SelectedQuestion) -> Option<Value> {
        let rule = q.rule.as_ref()?;
        let label = |id: &str| {
            q.choices
                .iter()
                .find(|c| c.id == id)
                .map(|c| c.label.fr.clone())
        };
        let facts = self.lock.profile.facts();
        let ctx = boussole::rule::Context {
            profile: &facts,
            lists: &self.lock.selection.lists,
        };
        let bound = || match rule.bound.as_ref().map(|b| ctx.bound(b)) {
            Some(Ok(boussole::answer::Value::Number(n))) => Some(n),
            _ => None,
        };
        match (rule.kind, q.answer_type) {
            (RuleKind::Expect, _) => {
                let other = q.choices.iter().find(|c| !rule.values.contains(&c.id))?;
                Some(json!(other.label.fr))
            }
            (RuleKind::Forbid, _) => Some(json!(label(&rule.values[0])?)),
            (RuleKind::Min, AnswerType::Date) => Some(json!({ "date": "2020-01-01" })),
            (RuleKind::Min, _) => Some(json!(bound()? / 2.0 - 0.5)),
            (RuleKind::Max, _) => Some(json!(bound()? * 2.0 + 1.0)),
            (RuleKind::InList, AnswerType::Country) => Some(json!("États-Unis")),
            (RuleKind::InList, _) => Some(json!("licence-propriétaire-maison")),
            (RuleKind::Pattern, AnswerType::Url) => Some(json!("http://exemple.fr/fiche")),
            (RuleKind::Pattern | RuleKind::Words, _) => Some(json!("Non")),
            (RuleKind::ForbidPattern, _) => None,
        }
    }
}

fn grounds(r: &Value) -> Vec<(String, String)> {
    r["judgment"]["grounds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["kind"].as_str().unwrap().into(),
                g["about"].as_str().unwrap().into(),
            )
        })
        .collect()
}

fn codes_on(r: &Value, question: &str) -> Vec<String> {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["question"] == question)
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

/// Each regularity question answered against its rule, one offer at a time.
fn each_requirement_broken_makes_the_offer_irregular(t: &Tender) {
    let mut variants = vec![("reference".to_string(), Map::new())];
    let mut broken = Vec::new();
    for q in t.questions() {
        if q.role != Role::Regularity || q.condition.is_some() {
            continue;
        }
        let Some(answer) = t.breaking(q) else {
            continue;
        };
        let mut change = Map::new();
        change.insert(
            q.id.clone(),
            json!({ "answer": answer, "document": careful_document(q) }),
        );
        variants.push((q.id.clone(), change));
        broken.push(q.id.clone());
    }
    assert!(broken.len() >= 20, "{broken:?}");
    let dir = t.offers(&variants);
    let results = t.report(&[dir.to_str().unwrap()]);
    let reference = &results["reference"];
    assert_eq!(
        reference["judgment"]["standing"], "ranked",
        "{}",
        reference["findings"]
    );
    for id in &broken {
        let r = &results[id];
        assert_eq!(r["verdict"], "non_compliant", "{id}: {}", r["findings"]);
        assert!(
            grounds(r).contains(&("breaks".into(), id.clone())),
            "{id}: {:?}",
            grounds(r)
        );
        assert!(r["score"].is_null(), "{id} is scored");
        assert!(r["judgment"]["points"].is_null() && r["judgment"]["rank"].is_null());
        assert!(
            r["criteria"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["score"].is_null()),
            "{id}: a criterion is scored"
        );
    }
}

#[test]
fn each_minimum_requirement_broken_in_turn_makes_the_default_offer_irregular() {
    let Some(t) = tender(None) else { return };
    each_requirement_broken_makes_the_offer_irregular(&t);
}

#[test]
fn each_minimum_requirement_broken_in_turn_makes_a_high_risk_health_offer_irregular() {
    let Some(t) = tender(Some(&high_risk_health_on_premise)) else {
        return;
    };
    assert!(t.lock.profile.system.health_data);
    each_requirement_broken_makes_the_offer_irregular(&t);
}

/// Two regular offers, a copier, a missing document, a contradiction.
fn batch(t: &Tender) -> BTreeMap<String, Value> {
    let answers = |pairs: &[(&str, Value)]| -> Map<String, Value> {
        pairs
            .iter()
            .filter(|(id, _)| t.questions().any(|q| q.id == *id))
            .map(|(id, a)| {
                let q = t.question(id);
                let mut v = json!({ "answer": a, "comment": "Voir mémoire technique", "document": careful_document(q) });
                if a.is_null() {
                    v = Value::Null;
                }
                (id.to_string(), v)
            })
            .collect()
    };
    let example = |id: &str| json!(t.question(id).example);
    let fine_tuned = || {
        let sob04 = t.question("SOB-04");
        json!(
            sob04
                .choices
                .iter()
                .find(|c| c.id == "fine_tuned")
                .unwrap()
                .label
                .fr
        )
    };
    let mut no_document = answers(&[]);
    no_document.insert(
        "CYB-02".into(),
        json!({ "answer": {"date": "2029-12-31"}, "document": null }),
    );
    no_document.insert("SOB-01".into(), json!({ "answer": 150, "document": null }));
    let variants = vec![
        (
            "fort".to_string(),
            answers(&[("CYB-01", json!(4)), ("SOB-06", json!(1.1))]),
        ),
        (
            "moyen".to_string(),
            answers(&[("CYB-01", json!(14)), ("SOB-06", json!(1.5))]),
        ),
        (
            "copieur-a".to_string(),
            answers(&[("PUB-03", example("PUB-03")), ("PUB-04", example("PUB-04"))]),
        ),
        (
            "copieur-b".to_string(),
            answers(&[("PUB-03", example("PUB-03"))]),
        ),
        ("sans-piece".to_string(), no_document),
        (
            "contradiction".to_string(),
            answers(&[("LEG-08", json!("Non")), ("SOB-04", fine_tuned())]),
        ),
        (
            "sous-traitant-ailleurs".to_string(),
            answers(&[
                ("LEG-07", json!("FR; IE")),
                ("SOV-04", json!("FR")),
                ("SOV-05", json!("FR")),
            ]),
        ),
        (
            "sous-traitants-couverts".to_string(),
            answers(&[
                ("LEG-07", json!("FR; DE")),
                ("SOV-04", json!("FR")),
                ("SOV-05", json!("DE")),
            ]),
        ),
        (
            "affinage-sans-energie".to_string(),
            answers(&[("SOB-04", fine_tuned()), ("SOB-05", json!(0))]),
        ),
    ];
    let dir = t.offers(&variants);
    t.report(&[dir.to_str().unwrap()])
}

/// The rules across answers each offer breaks, by the question that opens
/// them and the others they name.
fn contradictions(r: &Value) -> Vec<(String, Vec<String>)> {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "inconsistent")
        .map(|f| {
            let related = f["related"].as_array().unwrap().iter();
            (
                f["question"].as_str().unwrap().to_string(),
                related.map(|r| r.as_str().unwrap().to_string()).collect(),
            )
        })
        .collect()
}

#[test]
fn award_values_separate_offers_and_suspect_answers_are_flagged_for_legal_staff() {
    let Some(t) = tender(None) else { return };
    suspects_and_graded_scores(&t);
}

#[test]
fn a_high_risk_health_tender_grades_and_flags_offers_the_same_way() {
    let Some(t) = tender(Some(&high_risk_health_on_premise)) else {
        return;
    };
    suspects_and_graded_scores(&t);
}

fn suspects_and_graded_scores(t: &Tender) {
    let results = batch(t);
    let (fort, moyen) = (&results["fort"], &results["moyen"]);
    let legal = |r: &Value| {
        r["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "legal")
            .unwrap()
            .clone()
    };
    // By hand: in the legal sub-criterion, CYB-01 (linear from 24 hours to
    // 4) earns full points at 4 hours and half at 14; every other element
    // that applies is answered as its rule wants, with full points.
    let plan = t
        .lock
        .selection
        .plan
        .criteria
        .iter()
        .find(|c| c.criterion == "legal")
        .unwrap();
    let applies = |id: &str| {
        fort["questions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|q| q["id"] == id && q["status"] != "not_applicable")
    };
    let elements: Vec<_> = plan
        .questions
        .iter()
        .filter(|q| applies(&q.question))
        .collect();
    assert!(elements.iter().any(|q| q.question == "CYB-01"));
    let total: f64 = elements.iter().map(|q| f64::from(q.weight)).sum();
    let cyb = f64::from(
        elements
            .iter()
            .find(|q| q.question == "CYB-01")
            .unwrap()
            .weight,
    );
    let expected = |share: f64| 100.0 * (total - cyb + cyb * share) / total;
    let close = |a: &Value, b: f64| (a.as_f64().unwrap() - b).abs() < 1e-9;
    assert!(
        close(&legal(fort)["score"], expected(1.0)),
        "{}",
        legal(fort)
    );
    assert!(
        close(&legal(moyen)["score"], expected(0.5)),
        "{}",
        legal(moyen)
    );
    // The sub-weight of a compass worth its share of the total mark.
    let out_of = plan.weight * t.lock.selection.plan.compass_share / 100.0;
    assert!(close(&legal(fort)["out_of"], out_of));
    assert!(close(
        &legal(moyen)["points"],
        out_of * expected(0.5) / 100.0
    ));
    let points = |r: &Value| r["judgment"]["points"].as_f64().unwrap();
    assert!(points(fort) > points(moyen));
    assert!(fort["judgment"]["rank"].as_u64() < moyen["judgment"]["rank"].as_u64());

    // Pasted examples, and the same text in two offers.
    let (a, b) = (&results["copieur-a"], &results["copieur-b"]);
    assert!(codes_on(a, "PUB-03").contains(&"example_copied".into()));
    assert!(codes_on(a, "PUB-03").contains(&"shared_text".into()));
    let shared = a["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "shared_text" && f["question"] == "PUB-03")
        .unwrap();
    assert!(
        shared["related"][0]
            .as_str()
            .unwrap()
            .ends_with("copieur-b.xlsx"),
        "{shared}"
    );
    assert!(codes_on(b, "PUB-03").contains(&"shared_text".into()));
    assert!(!codes_on(&results["fort"], "PUB-03").contains(&"shared_text".into()));

    // A missing document: to regularise on a regularity question, not
    // credited on an award element.
    let s = &results["sans-piece"];
    assert!(codes_on(s, "CYB-02").contains(&"evidence_missing".into()));
    assert!(codes_on(s, "SOB-01").contains(&"evidence_missing".into()));
    assert_eq!(s["verdict"], "incomplete");
    assert_eq!(
        grounds(s),
        [("evidence_missing".to_string(), "CYB-02".to_string())]
    );
    let sob01 = s["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == "SOB-01")
        .unwrap();
    assert_eq!(sob01["earned"], json!({ "kind": "share", "value": 0.0 }));

    // A contradiction names both questions and both answers.
    let c = &results["contradiction"];
    let f = c["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "inconsistent")
        .unwrap_or_else(|| panic!("{}", c["findings"]));
    assert_eq!(f["question"], "LEG-08");
    assert_eq!(f["related"], json!(["SOB-04"]));
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("LEG-08 : « Non »") && message.contains("SOB-04"),
        "{message}"
    );

    // A sub-processor's country must be one where the data are hosted or
    // one they are reached from: either answer may hold it.
    let sub = |name: &str| {
        contradictions(&results[name])
            .into_iter()
            .filter(|(q, _)| q == "LEG-07")
            .collect::<Vec<_>>()
    };
    assert_eq!(
        sub("sous-traitant-ailleurs"),
        [(
            "LEG-07".to_string(),
            vec!["SOV-04".to_string(), "SOV-05".to_string()]
        )]
    );
    assert!(sub("sous-traitants-couverts").is_empty());
    // A model fine-tuned for the solution used some energy to be so.
    assert!(
        contradictions(&results["affinage-sans-energie"])
            .iter()
            .any(|(q, related)| q == "SOB-04" && related == &["SOB-05"]),
        "{:?}",
        contradictions(&results["affinage-sans-energie"])
    );
    assert!(contradictions(&results["fort"]).is_empty());
}

#[test]
fn committee_marks_read_back_change_the_ranking_as_computed_by_hand() {
    let Some(t) = tender(None) else { return };
    let mut strong = Map::new();
    strong.insert("CYB-01".into(), json!({ "answer": 4, "document": null }));
    let variants = vec![
        ("chiffres".to_string(), strong),
        ("redaction".to_string(), Map::new()),
    ];
    let dir = t.offers(&variants);
    let dir = dir.to_str().unwrap();
    let before = t.report(&[dir]);
    let points = |r: &Value| r["judgment"]["points"].as_f64().unwrap();
    assert!(points(&before["chiffres"]) > points(&before["redaction"]));
    assert!(
        before
            .values()
            .all(|r| r["judgment"]["provisional"] == true)
    );

    // The committee marks the texts: 0 for one offer, 4 for the other.
    let run = t.run(&[dir, "-o", "analyse.xlsx"]);
    assert!(run.code <= 1, "{}", run.stderr);
    let plan = &t.lock.selection.plan;
    let marked: Vec<&str> = plan
        .criteria
        .iter()
        .flat_map(|c| &c.questions)
        .filter(|q| q.scale == boussole::scoring::Scale::Committee && !q.conditional)
        .map(|q| q.question.as_str())
        .collect();
    assert!(!marked.is_empty());
    let marks: Vec<Value> = marked
        .iter()
        .flat_map(|id| {
            [
                json!({ "question": id, "file": "chiffres.xlsx", "mark": 0, "reasons": "Sans élément vérifiable" }),
                json!({ "question": id, "file": "redaction.xlsx", "mark": 4, "reasons": "Engagements mesurables" }),
            ]
        })
        .collect();
    fill_script(
        "decide_xlsx.py",
        &t.path("analyse.xlsx"),
        &t.path("notes.xlsx"),
        &json!({ "sheet": "Notation commission", "decisions": marks }),
    );
    let after = t.report(&[dir, "--marks", "notes.xlsx"]);
    for r in after.values() {
        assert_eq!(r["judgment"]["provisional"], false, "{}", r["judgment"]);
        assert!(r["judgment"]["pending"].as_array().unwrap().is_empty());
    }

    // By hand: an element of weight w in a sub-criterion whose applicable
    // elements weigh W brings w / W × (mark / 4) of the sub-criterion's points.
    let applies = |id: &str| {
        before["chiffres"]["questions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|q| q["id"] == id && q["status"] != "not_applicable")
    };
    let gain = |mark: f64| -> f64 {
        plan.criteria
            .iter()
            .map(|c| {
                let applicable: u32 = c
                    .questions
                    .iter()
                    .filter(|q| applies(&q.question))
                    .map(|q| q.weight)
                    .sum();
                let marked: u32 = c
                    .questions
                    .iter()
                    .filter(|q| marked.contains(&q.question.as_str()))
                    .map(|q| q.weight)
                    .sum();
                if applicable == 0 {
                    return 0.0;
                }
                let out_of = c.weight * plan.compass_share / 100.0;
                out_of * f64::from(marked) / f64::from(applicable) * mark / 4.0
            })
            .sum()
    };
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
    assert!(close(
        points(&after["chiffres"]),
        points(&before["chiffres"]) + gain(0.0)
    ));
    assert!(close(
        points(&after["redaction"]),
        points(&before["redaction"]) + gain(4.0)
    ));
    assert!(
        points(&after["redaction"]) > points(&after["chiffres"]),
        "the committee's marks reverse the ranking"
    );
    assert_eq!(after["redaction"]["judgment"]["rank"], 1);
    assert_eq!(after["chiffres"]["judgment"]["rank"], 2);
}

#[test]
fn an_irregular_offer_shows_no_score_in_any_output() {
    let Some(t) = tender(None) else { return };
    let mut bio = Map::new();
    bio.insert(
        "BIO-01".into(),
        json!({ "answer": "Oui", "comment": "Reconnaissance faciale" }),
    );
    let mut second = Map::new();
    second.insert("CYB-01".into(), json!({ "answer": 10, "document": null }));
    let dir = t.offers(&[
        ("visio".to_string(), bio),
        ("regulier".to_string(), Map::new()),
        ("second".to_string(), second),
    ]);
    let dir = dir.to_str().unwrap();
    let results = t.report(&[dir]);
    assert!(results["visio"]["score"].is_null());

    let text = t.run(&[dir]).stdout;
    let row = text.lines().find(|l| l.contains("visio.xlsx")).unwrap();
    assert!(row.contains("écartée"), "{row}");

    let run = t.run(&[dir, "-o", "note.docx"]);
    assert!(run.code <= 1, "{}", run.stderr);
    let memo = docx_plain(&t.path("note.docx"));
    assert!(
        memo.contains("offre irrégulière, écartée sans être notée"),
        "{memo}"
    );

    let run = t.run(&[dir, "-o", "analyse.xlsx"]);
    assert!(run.code <= 1, "{}", run.stderr);
    let out = tempfile::tempdir().unwrap();
    let utf8 = "csv:Text - txt - csv (StarCalc):44,34,76";
    if let Some(csv) = soffice(&t.path("analyse.xlsx"), utf8, out.path()) {
        let summary = std::fs::read_to_string(csv).unwrap();
        let line = summary.lines().find(|l| l.contains("visio.xlsx")).unwrap();
        assert!(line.contains("écartée"), "{line}");
    }

    let compare = boussole_in(
        t.dir.path(),
        &[
            "compare",
            "--lock",
            "questionnaire.xlsx.boussole.lock",
            dir,
            "-o",
            "comparaison.md",
        ],
    );
    assert_eq!(compare.code, 0, "{}", compare.stderr);
    let md = std::fs::read_to_string(t.path("comparaison.md")).unwrap();
    let (ranking, apart) = md.split_once("## Offres non classées").unwrap();
    assert!(!ranking.contains("visio.xlsx"));
    let line = apart.lines().find(|l| l.contains("visio.xlsx")).unwrap();
    assert!(
        line.contains("offre irrégulière, écartée") && line.contains("BIO-01"),
        "{line}"
    );
}

/// The paragraphs of a Word document, one a line, without markup.
fn docx_plain(path: &Path) -> String {
    let xml = zip_entry(path, "word/document.xml");
    let paragraphs = xml.replace("</w:p>", "\n");
    regex::Regex::new("<[^>]*>")
        .unwrap()
        .replace_all(&paragraphs, "")
        .replace("&apos;", "'")
        .replace("&quot;", "\"")
}

#[test]
fn the_memo_lists_copied_examples_and_shared_texts_in_one_table() {
    let Some(t) = tender(None) else { return };
    let example =
        |id: &str| json!({ "answer": t.question(id).example, "comment": "Voir mémoire technique" });
    let mut a = Map::new();
    a.insert("PUB-03".into(), example("PUB-03"));
    a.insert("PUB-04".into(), example("PUB-04"));
    let mut b = Map::new();
    b.insert("PUB-03".into(), example("PUB-03"));
    let dir = t.offers(&[
        ("copieur-a".to_string(), a),
        ("copieur-b".to_string(), b),
        ("fort".to_string(), Map::new()),
    ]);
    let dir = dir.to_str().unwrap();
    let results = t.report(&[dir]);
    let name = |stem: &str| {
        results[stem]["vendor"]["name"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let suspects = |stem: &str| {
        results[stem]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "example_copied" || f["code"] == "shared_text")
            .map(|f| f["question"].as_str().unwrap().to_string())
            .collect::<std::collections::BTreeSet<_>>()
    };
    let run = t.run(&[dir, "-o", "note.docx"]);
    assert!(run.code <= 1, "{}", run.stderr);
    let memo = docx_plain(&t.path("note.docx")).replace(['\u{a0}', '\u{202f}'], " ");
    let lines: Vec<&str> = memo.lines().collect();
    let title = "Réponses à examiner : exemples recopiés et textes communs à plusieurs offres";
    // In the contents, then as the section's heading.
    assert_eq!(
        lines.iter().filter(|l| l.starts_with(title)).count(),
        2,
        "{memo}"
    );
    // One row per offer and question: the offer, the question, what the
    // answer repeats and whose answer it shares.
    let mut rows = 0;
    for stem in ["copieur-a", "copieur-b"] {
        for q in suspects(stem) {
            let at = lines
                .windows(2)
                .position(|w| w[0] == name(stem) && w[1].starts_with(&format!("{q} — ")))
                .unwrap_or_else(|| panic!("no row for {stem} {q}: {memo}"));
            let repeats = lines[at + 2];
            assert!(
                repeats.contains("l’exemple publié dans le questionnaire"),
                "{repeats}"
            );
            if q == "PUB-03" {
                let other = if stem == "copieur-a" {
                    "copieur-b"
                } else {
                    "copieur-a"
                };
                assert!(
                    repeats.contains(&format!("la réponse de {}", name(other))),
                    "{repeats}"
                );
            }
            rows += 1;
        }
    }
    assert_eq!(rows, 3, "PUB-03 twice and PUB-04 once");
    // No section of its own for these answers in the offers' chapters.
    for q in ["PUB-03", "PUB-04"] {
        let sections = lines
            .iter()
            .filter(|l| l.starts_with(&format!("{q} — ")) && l.contains("— majeur"))
            .count();
        assert_eq!(sections, 0, "{q} has a section of its own: {memo}");
    }
    assert!(memo.contains("voir le tableau « Réponses à examiner » en tête de la note"));
    assert!(!memo.contains(&name("fort")) || suspects("fort").is_empty());
}

#[test]
fn a_mark_out_of_scale_is_reported_not_applied_and_a_workbook_without_the_sheet_is_refused() {
    let Some(t) = tender(None) else { return };
    let dir = t.offers(&[("seule".to_string(), Map::new())]);
    let dir = dir.to_str().unwrap();
    let run = t.run(&[dir, "-o", "analyse.xlsx"]);
    assert!(run.code <= 1, "{}", run.stderr);
    let marks = json!([
        { "question": "PUB-03", "file": "seule.xlsx", "mark": 7 },
        { "question": "PUB-04", "file": "seule.xlsx", "mark": 3 },
    ]);
    fill_script(
        "decide_xlsx.py",
        &t.path("analyse.xlsx"),
        &t.path("notes.xlsx"),
        &json!({ "sheet": "Notation commission", "decisions": marks }),
    );
    let run = t.run(&[dir, "--marks", "notes.xlsx", "--format", "json"]);
    assert!(run.code <= 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("1 mark(s) read") && run.stderr.contains("hors de l'échelle de 0 à 4"),
        "{}",
        run.stderr
    );
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let pending: Vec<&str> = report["results"][0]["judgment"]["pending"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["question"].as_str().unwrap())
        .collect();
    assert!(
        pending.contains(&"PUB-03") && !pending.contains(&"PUB-04"),
        "{pending:?}"
    );
    assert_eq!(report["marks"]["applied"], 1);
    // A workbook without a marking sheet stops the command, naming the file.
    let run = t.run(&[dir, "--marks", "questionnaire.xlsx"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("questionnaire.xlsx") && run.stderr.contains("Notation commission"),
        "{}",
        run.stderr
    );
}

/// The bias gap is judged against the buyer's threshold, and the note on
/// training data is a required document: missing, it is regularised; it
/// never sets an offer aside by its length.
#[test]
fn the_buyer_sets_the_bias_threshold_and_a_missing_data_note_is_regularised() {
    let Some(t) = tender(Some(&|p: String| {
        p.replace("bias_gap_max = 5", "bias_gap_max = 4")
    })) else {
        return;
    };
    let bio13 = t.question("BIO-13");
    assert_eq!(bio13.role, Role::Regularity);
    assert!(t.question("BIO-10").rule.is_none());
    let change = |id: &str, answer: Value, document: Value| -> Map<String, Value> {
        let mut m = Map::new();
        m.insert(id.into(), json!({ "answer": answer, "document": document }));
        m
    };
    let report = "Annexe 4 — rapport d'évaluation des biais.pdf, page 12";
    let dir = t.offers(&[
        (
            "reference".into(),
            change("BIO-13", json!(3.5), json!(report)),
        ),
        ("ecart".into(), change("BIO-13", json!(4.5), json!(report))),
        (
            "sans-note".into(),
            change(
                "BIO-10",
                json!("Modèle ouvert, voir la note jointe."),
                Value::Null,
            ),
        ),
        (
            "sans-reponse".into(),
            change("BIO-10", json!(""), Value::Null),
        ),
        (
            "courte".into(),
            change(
                "BIO-10",
                json!("Modèle ouvert, corpus publics filtrés."),
                json!("Annexe 3 — note.pdf"),
            ),
        ),
    ]);
    let results = t.report(&[dir.to_str().unwrap()]);
    assert_eq!(results["reference"]["judgment"]["standing"], "ranked");
    // Above the buyer's threshold (4 points), not the vendor's own.
    let gap = &results["ecart"];
    assert_eq!(gap["judgment"]["standing"], "irregular");
    assert!(grounds(gap).contains(&("breaks".into(), "BIO-13".into())));
    assert!(gap["score"].is_null());
    // The note missing, or no answer at all: to regularise, never irregular.
    let no_note = &results["sans-note"];
    assert_eq!(no_note["judgment"]["standing"], "to_regularise");
    assert!(codes_on(no_note, "BIO-10").contains(&"evidence_missing".into()));
    let no_answer = &results["sans-reponse"];
    assert_eq!(no_answer["judgment"]["standing"], "to_regularise");
    assert!(grounds(no_answer).contains(&("unanswered".into(), "BIO-10".into())));
    // A short answer backed by its note is not judged by its length.
    let short = &results["courte"];
    assert_eq!(
        short["judgment"]["standing"], "ranked",
        "{}",
        short["findings"]
    );
    assert!(codes_on(short, "BIO-10").is_empty());
}

/// A vendor who classes out of high risk a system the buyer holds for
/// high-risk is flagged for legal staff, naming both answers.
#[test]
fn a_vendor_classing_a_high_risk_system_out_of_annex_iii_is_flagged() {
    let Some(t) = tender(Some(&high_risk_health_on_premise)) else {
        return;
    };
    let mut out = Map::new();
    out.insert(
        "LEG-02".into(),
        json!({ "answer": "Obligations de transparence de l'article 50 seulement" }),
    );
    out.insert(
        "LEG-03".into(),
        json!({ "answer": "Aucun usage relevant de l'annexe III" }),
    );
    let dir = t.offers(&[
        ("reference".into(), Map::new()),
        ("hors-annexe".into(), out),
    ]);
    let results = t.report(&[dir.to_str().unwrap()]);
    let inconsistent = |r: &Value| -> Vec<Value> {
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "inconsistent")
            .cloned()
            .collect()
    };
    assert!(inconsistent(&results["reference"]).is_empty());
    let found = inconsistent(&results["hors-annexe"]);
    let f = found
        .iter()
        .find(|f| f["question"] == "LEG-02")
        .unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(f["related"], json!(["LEG-03"]));
    assert!(f["message"].as_str().unwrap().contains("haut risque"));
}

#[test]
fn yearly_energy_is_compared_across_offers_and_an_estimate_earns_less_for_its_method() {
    let Some(t) = tender(None) else { return };
    let method = |id: &str| {
        json!(
            t.question("SOB-02")
                .choices
                .iter()
                .find(|c| c.id == id)
                .unwrap()
                .label
                .fr
        )
    };
    let offer = |wh: u32, how: &str| -> Map<String, Value> {
        let mut a = Map::new();
        for (id, answer) in [("SOB-01", json!(wh)), ("SOB-02", method(how))] {
            let q = t.question(id);
            a.insert(
                id.into(),
                json!({ "answer": answer, "comment": "Mesure sur la tâche de référence", "document": careful_document(q) }),
            );
        }
        a
    };
    let variants = vec![
        ("sobre-mesure".to_string(), offer(90, "codecarbon")),
        ("double-mesure".to_string(), offer(180, "wattmeter")),
        ("double-estimee".to_string(), offer(180, "ecologits")),
    ];
    let dir = t.offers(&variants);
    let results = t.report(&[dir.to_str().unwrap()]);
    let sobriety = |name: &str| {
        let r = &results[name];
        assert_eq!(
            r["judgment"]["standing"], "ranked",
            "{name}: {}",
            r["judgment"]
        );
        r["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "sobriety")
            .unwrap()["score"]
            .as_f64()
            .unwrap()
    };
    let (low, double, estimate) = (
        sobriety("sobre-mesure"),
        sobriety("double-mesure"),
        sobriety("double-estimee"),
    );
    // The yearly energy (value × the buyer's volume) of the doubled offer is
    // twice the lowest: it keeps half of SOB-01's points. The estimate, at
    // the same energy, also loses three quarters of SOB-02's points.
    let plan = &t.lock.selection.plan;
    let weight = |id: &str| f64::from(plan.counted(id).unwrap().weight);
    assert!(
        low > double && double > estimate,
        "{low} {double} {estimate}"
    );
    let lost_on_energy = low - double;
    let lost_on_method = double - estimate;
    let expected = (0.5 * weight("SOB-01")) / (0.75 * weight("SOB-02"));
    assert!(
        (lost_on_energy / lost_on_method - expected).abs() < 0.02,
        "energy {lost_on_energy}, method {lost_on_method}, expected ratio {expected}"
    );
    // The figure itself is reported as the vendor gave it, for the
    // relative comparison.
    let sob01 = results["double-estimee"]["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == "SOB-01")
        .unwrap();
    assert_eq!(
        sob01["earned"],
        json!({ "kind": "measured", "value": 180.0 })
    );
}

/// The questionnaire asks once, in one statement, whether the vendor accepts
/// the CCAP; an offer that answers « Non » is irregular on that ground alone,
/// one that leaves it blank is asked to regularise.
#[test]
fn refusing_the_ccap_makes_the_offer_irregular_and_the_questionnaire_asks_it_once() {
    use calamine::{Reader, open_workbook_auto};
    let Some(t) = tender(None) else { return };
    let mut wb = open_workbook_auto(t.path("questionnaire.xlsx")).unwrap();
    let sheet = wb.sheet_names()[0].clone();
    let cells: Vec<String> = wb
        .worksheet_range(&sheet)
        .unwrap()
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>())
        .collect();
    let statements: Vec<&String> = cells
        .iter()
        .filter(|c| c.contains("accepte sans réserve les stipulations du CCAP"))
        .collect();
    assert_eq!(statements.len(), 1, "{statements:?}");
    assert!(
        !cells.iter().any(|c| c.contains("s'engage-t-il")
            || c.contains("s’engage-t-il")
            || c.contains("accepte-t-il")),
        "no question asks again for a commitment the CCAP already binds"
    );
    let acceptance = t
        .questions()
        .find(|q| q.text.fr.contains("accepte sans réserve"))
        .unwrap()
        .id
        .clone();
    let mut refuse = Map::new();
    refuse.insert(
        acceptance.clone(),
        json!({ "answer": "Non", "comment": "Sous réserve de négocier les pénalités" }),
    );
    let mut blank = Map::new();
    blank.insert(acceptance.clone(), json!({ "answer": "" }));
    let dir = t.offers(&[
        ("accepte".to_string(), Map::new()),
        ("refuse".to_string(), refuse),
        ("muet".to_string(), blank),
    ]);
    let results = t.report(&[dir.to_str().unwrap()]);
    assert_eq!(results["accepte"]["judgment"]["standing"], "ranked");
    let refused = &results["refuse"];
    assert_eq!(refused["judgment"]["standing"], "irregular");
    assert_eq!(
        grounds(refused),
        [("breaks".to_string(), acceptance.clone())]
    );
    assert!(refused["score"].is_null());
    assert_eq!(results["muet"]["judgment"]["standing"], "to_regularise");
}
