//! `boussole serve`, page by page, over HTTP: a buyer describes a tender,
//! downloads its documents, drops the vendors' answers, reads the results,
//! legal staff decide, the project group reviews its grid; and what a
//! hostile page or file tries is refused.

use crate::support::{boussole_in, fixture};
use std::io::Write;
use std::time::Duration;

use boussole::web::{Config, Limits};

use crate::web_client::{Client, Listening, Part, config, form_body, read_all, set};

/// The demo's four returned files, filled from the default questionnaire.
pub const OFFERS: [&str; 4] = [
    "atelier-numerique-loire.xlsx",
    "global-cloud-ai.xlsx",
    "petite-startup.ods",
    "visiosurete.xlsx",
];

pub fn offer(name: &str) -> Vec<u8> {
    std::fs::read(fixture(&format!("demo/{name}"))).unwrap()
}

/// Describes the default tender through the form, `edit` applied; the tender's page.
pub fn tender(client: &Client, edit: &[(&str, &str)]) -> String {
    let mut form = client.form_values("/consultation", "/consultation#erreurs");
    for (k, v) in edit {
        set(&mut form, k, v);
    }
    let answer = client.post_form("/consultation", &form);
    assert_eq!(answer.status, 303, "{}", answer.text());
    answer.location()
}

/// Checks the four offers against the tender at `tender_page`; the results page.
fn analyse(client: &Client, tender_page: &str) -> String {
    let lock = client.get(&format!("{tender_page}/questionnaire.xlsx.boussole.lock"));
    let files: Vec<(&str, Vec<u8>)> = OFFERS.iter().map(|n| (*n, offer(n))).collect();
    let mut parts: Vec<Part> = files
        .iter()
        .map(|(n, b)| Part::File("reponses", n, b))
        .collect();
    parts.push(Part::File(
        "verrou",
        "questionnaire.xlsx.boussole.lock",
        &lock.body,
    ));
    let answer = client.post_multipart("/analyse", &parts);
    assert_eq!(answer.status, 303, "{}", answer.text());
    answer.location()
}

#[test]
fn every_page_answers_in_french_and_in_english() {
    let mut client = Client::new();
    for path in ["/", "/consultation", "/analyse", "/revue", "/grille"] {
        let page = client.get(path);
        assert_eq!(page.status, 200, "{path}");
        assert!(page.text().contains("<html lang=\"fr\""), "{path}");
        assert!(page.text().contains("Aller au contenu"), "{path}");
    }
    let css = client.get("/style.css");
    assert!(css.header("content-type").starts_with("text/css"));
    assert!(css.text().contains(":focus-visible"));

    let switch = client.get("/langue/en?retour=/analyse");
    assert_eq!(switch.status, 303);
    assert_eq!(switch.location(), "/analyse");
    let cookie = switch.header("set-cookie");
    assert!(cookie.starts_with("boussole-lang=en;"), "{cookie}");
    client.cookies.push("boussole-lang=en".into());
    let page = client.get("/analyse");
    assert!(page.text().contains("<html lang=\"en\""));
    assert!(page.text().contains("Check answers"));
    let form = client.get("/consultation").text();
    assert!(form.contains("Highest PUE"), "English labels");
    assert!(
        form.contains("Power usage effectiveness"),
        "English explanations"
    );

    // Chosen on a page, the language brings back to that page.
    let from_page = client.send(
        axum::http::Request::get("/langue/fr?retour=/")
            .header("referer", "http://127.0.0.1:8450/analyse/0123abcd/offre/2")
            .body(axum::body::Body::empty())
            .unwrap(),
    );
    assert_eq!(from_page.location(), "/analyse/0123abcd/offre/2");
    // The way back never leaves the site.
    let elsewhere = client.send(
        axum::http::Request::get("/langue/fr")
            .header("referer", "http://evil.example/page")
            .body(axum::body::Body::empty())
            .unwrap(),
    );
    assert_eq!(elsewhere.location(), "/");
    for evil in [
        "//evil.example/",
        "https://evil.example/",
        "/%0d%0aSet-Cookie:x",
    ] {
        let back = client.get(&format!("/langue/fr?retour={evil}"));
        assert_eq!(back.location(), "/", "{evil}");
    }
    let nowhere = client.get("/nowhere");
    assert_eq!(nowhere.status, 404);
    assert!(
        nowhere.text().contains("<title>Page not found"),
        "the title names the problem"
    );
}

#[test]
fn each_field_of_the_profile_form_is_labelled_and_explained() {
    let page = Client::new().get("/consultation").text();
    for (id, label) in [
        ("f-buyer-name", "Nom de l'acheteur"),
        ("f-dates-launch", "Lancement"),
        ("f-thresholds-pue_max", "PUE maximal"),
        ("f-system-personal_data", "Données personnelles"),
    ] {
        assert!(
            page.contains(&format!("<label for=\"{id}\">{label}")),
            "{id}"
        );
    }
    assert!(page.contains("aria-describedby=\"f-thresholds-pue_max-aide\""));
    assert!(page.contains("Efficacité énergétique du centre de données"));
    assert!(
        page.contains("value=\"Nantes Métropole\""),
        "defaults pre-filled"
    );
    // Choices read as words; the profile's codes stay the values.
    assert!(
        page.contains("value=\"generative\" selected>générative (texte, images, son)</option>")
    );
    assert!(!page.contains("(generative)") && !page.contains("(on_premise)"));
    // Every field explained in English is explained in French too.
    let mut english = Client::new();
    english.cookies.push("boussole-lang=en".into());
    let in_english = english.get("/consultation").text();
    let hints = |html: &str| -> Vec<String> {
        html.split("id=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .filter(|id| id.ends_with("-aide"))
            .map(String::from)
            .collect()
    };
    let french = hints(&page);
    let only_english: Vec<String> = hints(&in_english)
        .into_iter()
        .filter(|id| !french.contains(id))
        .collect();
    assert!(
        only_english.is_empty(),
        "explained in English only: {only_english:?}"
    );
}

#[test]
fn a_tender_described_in_the_form_gives_its_documents() {
    let client = Client::new();
    let page = tender(
        &client,
        &[("tender.title", "Agent conversationnel <b>RH</b>")],
    );
    let shown = client.get(&page).text();
    assert!(
        shown.contains("Agent conversationnel &lt;b&gt;RH&lt;/b&gt;"),
        "escaped"
    );
    assert!(shown.contains("questions aux soumissionnaires"));
    for (file, magic) in [
        ("annexe.docx", &b"PK"[..]),
        ("questionnaire.xlsx", b"PK"),
        ("questionnaire.docx", b"PK"),
        ("annexe.md", b"<!--"),
        ("questionnaire.xlsx.boussole.lock", b"{"),
    ] {
        let d = client.get(&format!("{page}/{file}"));
        assert_eq!(d.status, 200, "{file}");
        assert!(d.body.starts_with(magic), "{file}");
        assert!(d.header("content-disposition").contains(file), "{file}");
    }
    let profile = client.get(&format!("{page}/profil.toml")).text();
    let table: toml::Table = toml::from_str(&profile).unwrap();
    assert_eq!(
        table["tender"]["title"].as_str(),
        Some("Agent conversationnel <b>RH</b>")
    );
    assert!(
        profile.contains("# Profil de consultation boussole"),
        "comments kept"
    );

    // The profile goes back in, and the form starts from it.
    let again = client.post_multipart(
        "/consultation/profil",
        &[Part::File("profil", "profil.toml", profile.as_bytes())],
    );
    assert_eq!(again.status, 303);
    let id = again.location().rsplit('/').next().unwrap().to_string();
    let form = client.get(&format!("/consultation?depuis={id}")).text();
    assert!(form.contains("Agent conversationnel &lt;b&gt;RH&lt;/b&gt;"));
}

#[test]
fn the_fields_a_profile_requires_are_marked_in_the_form() {
    let client = Client::new();
    let page = client.get("/consultation").text();
    assert!(page.contains("Les champs marqués d’un astérisque (*) sont obligatoires."));
    let tag = |id: &str| {
        let at = page.find(&format!("id=\"{id}\"")).unwrap();
        let start = page[..at].rfind('<').unwrap();
        page[start..start + page[start..].find('>').unwrap()].to_string()
    };
    for id in [
        "f-tender-reference",
        "f-award-compass_share",
        "f-award-weights-legal",
    ] {
        assert!(tag(id).contains(" required"), "{}", tag(id));
        let label = format!("<label for=\"{id}\">");
        let label = &page[page.find(&label).unwrap()..];
        let label = &label[..label.find("</label>").unwrap()];
        assert!(
            label.contains("<span aria-hidden=\"true\"> *</span>"),
            "{label}"
        );
    }
    for id in ["f-buyer-address", "f-dates-launch", "f-thresholds-pue_max"] {
        assert!(!tag(id).contains(" required"), "{}", tag(id));
    }
    // The main form under a heading of its own, after the upload's; each
    // section's explanation tied to its fieldset, so read with its fields.
    let heading = page.find("<h2 id=\"decrire\">Décrire la consultation</h2>");
    assert!(heading > page.find("id=\"televerser\""), "{page}");
    let fieldsets = page
        .matches("<fieldset aria-describedby=\"section-")
        .count();
    let explained = page.matches("<p class=\"hint\" id=\"section-").count();
    assert!(
        explained >= 1 && fieldsets == explained,
        "{fieldsets} of {explained}"
    );
    let open = "<fieldset aria-describedby=\"";
    for (at, _) in page.match_indices(open) {
        let id = &page[at + open.len()..];
        let id = &id[..id.find('"').unwrap()];
        assert!(
            page.contains(&format!("<p class=\"hint\" id=\"{id}\">")),
            "{id}"
        );
    }
}

#[test]
fn a_profile_in_error_is_refused_naming_the_field() {
    let client = Client::new();
    let mut form = client.form_values("/consultation", "/consultation#erreurs");
    set(&mut form, "dates.launch", "le 3 mars");
    let refused = client.post_form("/consultation", &form);
    assert_eq!(refused.status, 422);
    let text = refused.text();
    assert!(text.contains("role=\"alert\""));
    assert!(
        text.contains("<title>Erreur\u{a0}: Nouvelle consultation (1\u{a0}erreur)"),
        "the title says the submit failed first: {text}"
    );
    assert!(text.contains("href=\"#f-dates-launch\""), "{text}");
    assert!(text.contains("date attendue"));
    assert!(
        text.contains("value=\"le 3 mars\""),
        "what was typed is kept"
    );

    // Every error at once, in the page's language, each linked to its
    // field: a required field left empty and weights that do not sum to 100.
    set(&mut form, "dates.launch", "2026-12-01");
    set(&mut form, "award.weights.legal", "90");
    set(&mut form, "tender.reference", " ");
    let refused = client.post_form("/consultation", &form);
    assert_eq!(refused.status, 422);
    let text = refused.text();
    assert!(text.contains("(2\u{a0}erreurs)"), "{text}");
    assert!(text.contains("href=\"#f-tender-reference\""), "{text}");
    assert!(text.contains("champ obligatoire, à remplir"), "{text}");
    assert!(
        text.contains("la somme des sous-pondérations fait 170, elle doit faire 100"),
        "{text}"
    );
    assert!(
        text.contains("href=\"#f-award-weights-biometrics\""),
        "{text}"
    );
    assert!(!text.contains("TOML parse error"), "{text}");
    assert!(
        !text.contains("must sum"),
        "no English on the French page: {text}"
    );

    let garbage = client.post_multipart(
        "/consultation/profil",
        &[Part::File("profil", "mon-profil.toml", b"[buyer\nname=")],
    );
    assert_eq!(garbage.status, 422);
    // The form comes back, the error in French at the file's field.
    let page = garbage.text();
    assert!(
        page.contains("<title>Erreur\u{a0}: Nouvelle consultation (1\u{a0}erreur)"),
        "{page}"
    );
    assert!(page.contains("<a href=\"#profil\">Fichier de profil</a>"));
    assert!(
        page.contains("aria-invalid=\"true\" aria-describedby=\"profil-erreur\""),
        "{page}"
    );
    assert!(
        page.contains("mon-profil.toml : le fichier n'est pas un profil lisible (ligne 1, colonne"),
        "{page}"
    );
    assert!(!page.contains("TOML parse error"), "no raw parser message");
    // A profile written for an earlier library is told what it lacks, in French.
    let template =
        std::fs::read_to_string(crate::support::root().join("templates/profil.toml")).unwrap();
    let start = template.find("[reference_task]").unwrap();
    let end = template[start + 1..]
        .find("\n[")
        .map_or(template.len(), |e| start + 1 + e);
    let former = format!("{}{}", &template[..start], &template[end..]);
    let old = client.post_multipart(
        "/consultation/profil",
        &[Part::File("profil", "ancien.toml", former.as_bytes())],
    );
    assert_eq!(old.status, 422);
    let page = old.text();
    assert!(
        page.contains(
            "ancien.toml : [reference_task]\u{a0}: section manquante, exigée depuis la bibliothèque"
        ),
        "{page}"
    );
    assert!(
        !page.contains("missing section"),
        "no English on the French page"
    );
    assert!(
        page.contains("action=\"/consultation#erreurs\""),
        "the whole form is there"
    );
}

#[test]
fn returned_files_are_checked_with_verdicts_findings_and_reports() {
    let client = Client::new();
    let page = tender(&client, &[]);
    let results = analyse(&client, &page);
    let text = client.get(&results).text();
    for (vendor, verdict) in [
        ("Atelier Numérique Loire SAS", "conforme"),
        ("Global Cloud AI Inc.", "conforme avec réserves"),
        ("Petite Start-up SARL", "incomplète"),
        ("VisioSûreté SA", "non conforme"),
    ] {
        let row = &text[text.find(vendor).unwrap_or_else(|| panic!("{vendor}"))..];
        let row = &row[..row.find("</tr>").unwrap()];
        assert!(
            row.contains(&format!("</span>{verdict}</span>")),
            "{vendor}: {row}"
        );
    }
    assert!(text.contains("<caption"), "the table has a caption");
    assert!(text.contains("<th scope=\"col\">"));

    // A vendor's page: eliminatory first, with its question, words, rule, clause and law.
    let visio = client.get(&format!("{results}/offre/4")).text();
    let first = &visio[visio.find("<article").unwrap()..];
    let first = &first[..first.find("</article>").unwrap()];
    assert!(first.contains("éliminatoire"), "{first}");
    for part in [
        "Question",
        "Réponse du soumissionnaire",
        "Règle et motif",
        "Clauses",
        "Base légale",
    ] {
        assert!(first.contains(&format!("<dt>{part}</dt>")), "{part}");
    }
    assert!(first.contains("BIO-"), "a compass clause: {first}");

    let radar = client.get(&format!("{results}/radar.png"));
    assert!(radar.body.starts_with(b"\x89PNG"));
    // linked at full size from its caption: shrunk on a narrow screen, it
    // would not read
    assert!(
        text.contains(&format!(
            "<a href=\"{results}/radar.png\">Voir le graphique en taille réelle</a>"
        )),
        "{text}"
    );
    for (file, magic) in [
        ("rapport.xlsx", &b"PK"[..]),
        ("note-juridique.docx", b"PK"),
        ("comparaison.xlsx", b"PK"),
        ("comparaison.docx", b"PK"),
        ("comparaison.md", b"<!--"),
        ("rapport.md", b"#"),
        ("rapport.json", b"{"),
    ] {
        let d = client.get(&format!("{results}/fichiers/{file}"));
        assert_eq!(d.status, 200, "{file}");
        assert!(d.body.starts_with(magic), "{file}");
    }
    let letter = text
        .split("href=\"")
        .find_map(|s| {
            s.split('"')
                .next()
                .filter(|h| h.contains("/fichiers/regularisation-"))
        })
        .expect("a letter to the incomplete offer");
    assert!(client.get(letter).body.starts_with(b"PK"));
    assert_eq!(
        client
            .get(&format!("{results}/fichiers/..%2F..%2Fetc%2Fpasswd"))
            .status,
        404
    );
    assert_eq!(client.get(&format!("{results}/offre/9")).status, 404);
    assert_eq!(client.get(&format!("{results}/offre/x")).status, 404);
    assert_eq!(client.get("/analyse/0123456789abcdef/revue").status, 404);
}

#[test]
fn a_ranked_offer_gives_its_commitments_and_the_forms_of_its_contractor() {
    let client = Client::new();
    let page = tender(&client, &[]);
    let results = analyse(&client, &page);
    let text = client.get(&results).text();
    // The ranked offer's page, found by its vendor's name in the results.
    let winner = (1..=4)
        .map(|n| format!("{results}/offre/{n}"))
        .find(|url| {
            client
                .get(url)
                .text()
                .contains("<h1>Atelier Numérique Loire SAS</h1>")
        })
        .expect("the winner's page");
    assert!(text.contains("Atelier Numérique Loire SAS"));
    let own = client.get(&winner).text();
    assert!(own.contains("Après l'attribution"), "{own}");
    let sealed = client.get(&format!("{winner}/attribution/engagements.json"));
    assert_eq!(sealed.status, 200);
    let award: boussole::award::Award = serde_json::from_slice(&sealed.body).unwrap();
    assert!(award.intact(), "sealed as `boussole award` seals it");
    assert_eq!(award.vendor, "Atelier Numérique Loire SAS");
    for file in [
        "engagements.md",
        "rapport-annee-1.xlsx",
        "rapport-annee-3.xlsx",
        "avis-changement-modele.xlsx",
    ] {
        let d = client.get(&format!("{winner}/attribution/{file}"));
        assert_eq!(d.status, 200, "{file}");
    }
    assert_eq!(
        client
            .get(&format!("{winner}/attribution/rapport-annee-99.xlsx"))
            .status,
        404
    );

    // An irregular offer cannot be awarded: no section, nothing to download.
    let visio = client.get(&format!("{results}/offre/4")).text();
    assert!(visio.contains("VisioSûreté SA") && !visio.contains("Après l'attribution"));
    assert_eq!(
        client
            .get(&format!("{results}/offre/4/attribution/engagements.json"))
            .status,
        404
    );
}

#[test]
fn evidence_files_dropped_with_the_answers_are_compared_with_them() {
    let client = Client::new();
    let page = tender(&client, &[]);
    let lock = client.get(&format!("{page}/questionnaire.xlsx.boussole.lock"));
    let (atelier, cloud) = (offer(OFFERS[0]), offer(OFFERS[1]));
    let bom = std::fs::read(fixture("demo/global-cloud-ai/nomenclature-ia.cdx.json")).unwrap();
    // Two questionnaires: the bill of materials goes with the one whose name begins its own.
    let parts = [
        Part::File("reponses", OFFERS[0], &atelier),
        Part::File("reponses", OFFERS[1], &cloud),
        Part::File("reponses", "global-cloud-ai-nomenclature.cdx.json", &bom),
        Part::File("verrou", "questionnaire.xlsx.boussole.lock", &lock.body),
    ];
    let answer = client.post_multipart("/analyse", &parts);
    assert_eq!(answer.status, 303, "{}", answer.text());
    let results = answer.location();
    let pages: Vec<String> = (1..=2)
        .map(|n| client.get(&format!("{results}/offre/{n}")).text())
        .collect();
    let with = pages
        .iter()
        .filter(|p| p.contains("LicenseRef-GlobalCloud-Proprietary"))
        .count();
    assert_eq!(
        with, 1,
        "the licence the file gives is shown on one offer's page only"
    );
    let cloud_page = pages
        .iter()
        .find(|p| p.contains("Global Cloud AI Inc."))
        .unwrap();
    assert!(cloud_page.contains("LicenseRef-GlobalCloud-Proprietary"));
    assert!(cloud_page.contains("global-cloud-ai-nomenclature.cdx.json"));
    // The evidence file is no offer.
    assert!(
        !client
            .get(&results)
            .text()
            .contains("nomenclature.cdx.json</td>")
    );
}

#[test]
fn each_decision_of_the_review_form_is_described_by_its_finding_and_named_with_its_vendor() {
    let client = Client::new();
    let page = tender(&client, &[]);
    let results = analyse(&client, &page);
    let text = client.get(&format!("{results}/revue")).text();
    let vendors = [
        "Global Cloud AI Inc.",
        "Petite Start-up SARL",
        "VisioSûreté SA",
    ];
    for v in vendors {
        assert!(
            text.contains(&format!("<h2>{v}</h2>")),
            "a heading per vendor: {v}"
        );
    }
    // One button to save after each vendor's findings, and one at the end.
    let buttons = text.matches("<button type=\"submit\">").count();
    assert!(buttons > vendors.len(), "{buttons} buttons");
    let selects: Vec<&str> = text
        .match_indices("<select id=\"d-")
        .map(|(i, _)| &text[i..])
        .collect();
    assert!(!selects.is_empty());
    for select in selects {
        let tag = &select[..select.find('>').unwrap()];
        let id = tag.split('"').nth(1).unwrap();
        let what = id.replacen("d-", "w-", 1);
        assert!(
            tag.contains(&format!("aria-describedby=\"{what}\"")),
            "{tag}"
        );
        assert!(
            text.contains(&format!("<p class=\"what\" id=\"{what}\">")),
            "{what}"
        );
        let comment = id.replacen("d-", "c-", 1);
        assert!(text.contains(&format!("id=\"{comment}\" name=\"{comment}\"")));
    }
    let label = &text[text.find("<label for=\"d-").unwrap()..];
    let label = &label[..label.find("</label>").unwrap()];
    assert!(
        label.contains("Décision sur ") && label.ends_with(" (Global Cloud AI Inc.)"),
        "the label names the vendor: {label}"
    );
}

#[test]
fn on_the_english_page_the_french_parts_are_marked_with_their_language() {
    // A French tender's findings and the vendors' words stay French on the
    // English page, and say so: first on the review form.
    let mut english = Client::new();
    english.cookies.push("boussole-lang=en".into());
    let page = tender(&english, &[("tender.language", "fr")]);
    let results = analyse(&english, &page);
    let text = english.get(&format!("{results}/revue")).text();
    assert!(
        text.contains("<html lang=\"en\"") && text.contains("<span lang=\"fr\">"),
        "the French parts are marked"
    );
    // So do the vendors' pages: the question and the rule in the report's
    // language, the vendor's words, the law as written.
    let visio = english.get(&format!("{results}/offre/4")).text();
    let first = &visio[visio.find("<article").unwrap()..];
    let first = &first[..first.find("</article>").unwrap()];
    assert!(
        first.contains("<dt>Question</dt><dd lang=\"fr\">"),
        "{first}"
    );
    assert!(
        first.contains("<dt>Rule and reason</dt><dd lang=\"fr\">"),
        "{first}"
    );
    assert!(
        first.contains("<dt>Legal basis</dt><dd><span lang=\"fr\">"),
        "{first}"
    );
    // On the French page, nothing is marked: it is all the page's language.
    let client = Client::new();
    let french = client
        .get(&format!(
            "{}/offre/4",
            analyse(&client, &tender(&client, &[]))
        ))
        .text();
    assert!(
        !french.contains("<dd lang=") && !french.contains("<span lang="),
        "no part marked on a French page"
    );
}

#[test]
fn the_web_review_feeds_the_reports_as_check_decisions_does() {
    let client = Client::new();
    let page = tender(&client, &[]);
    let results = analyse(&client, &page);
    let review = format!("{results}/revue");
    let mut form = client.form_values(&review, &review);
    // VisioSûreté's eliminatory finding is the first finding of the fourth file.
    let select = form
        .iter()
        .map(|(k, _)| k.clone())
        .find(|k| k.starts_with("d-3-"))
        .unwrap();
    set(&mut form, &select, "lifted");
    let nameless = client.post_form(&review, &form);
    assert_eq!(nameless.status, 422, "a decision needs its reviewer");
    let kept = nameless.text();
    assert!(kept.contains("role=\"alert\""));
    // The field says it too, and the tab names the batch reviewed.
    assert!(
        kept.contains("aria-describedby=\"relecteur-aide relecteur-erreur\"")
            && kept.contains("id=\"relecteur-erreur\""),
        "the reviewer's field carries its error"
    );
    assert!(kept.contains("<title>Revue juridique — 2026-DN-017 (4\u{a0}offres)"));
    assert!(
        kept.contains("<option value=\"lifted\" selected>"),
        "the choice is kept"
    );
    assert!(
        !client.get(&results).text().contains("appliquée(s)"),
        "nothing saved"
    );
    set(&mut form, "relecteur", "Maître Dupont");
    set(
        &mut form,
        &select.replacen("d-", "c-", 1),
        "Usage de la photo limité au badge",
    );
    let saved = client.post_form(&review, &form);
    assert_eq!(saved.status, 303);
    let shown = client.get(&results).text();
    assert!(shown.contains("décision de la revue juridique appliquée"));
    assert!(
        client
            .get(&review)
            .text()
            .contains("constat levé par Maître Dupont")
    );

    // The workbook exported with the decisions, read back by `check --decisions`,
    // gives the same verdicts and scores as the page's own report.
    let dir = tempfile::tempdir().unwrap();
    let web: serde_json::Value =
        serde_json::from_slice(&client.get(&format!("{results}/fichiers/rapport.json")).body)
            .unwrap();
    std::fs::write(
        dir.path().join("analyse.xlsx"),
        client.get(&format!("{results}/fichiers/rapport.xlsx")).body,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("q.lock"),
        client
            .get(&format!("{page}/questionnaire.xlsx.boussole.lock"))
            .body,
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("offres")).unwrap();
    for n in OFFERS {
        std::fs::write(dir.path().join("offres").join(n), offer(n)).unwrap();
    }
    let run = boussole_in(
        dir.path(),
        &[
            "check",
            "--lock",
            "q.lock",
            "offres",
            "--decisions",
            "analyse.xlsx",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let cli: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let summary = |report: &serde_json::Value| -> Vec<(String, String, String)> {
        report["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["vendor"]["name"].to_string(),
                    r["verdict"].to_string(),
                    r["score"].to_string(),
                )
            })
            .collect()
    };
    assert_eq!(summary(&web), summary(&cli));
    assert_eq!(web["decisions"]["applied"], 1);
    assert_eq!(cli["decisions"]["applied"], 1);
    let visio = &web["results"][3];
    assert_eq!(visio["before_decisions"]["verdict"], "non_compliant");
    assert_ne!(visio["verdict"], "non_compliant");
}

#[test]
fn the_internal_grid_is_downloaded_then_reviewed_into_an_opinion() {
    let client = Client::new();
    let page = client.get("/grille").text();
    assert!(page.contains("/grille/fichiers/grille.xlsx"));
    for file in ["grille.xlsx", "grille.docx", "suivi-annee-1.xlsx"] {
        assert!(
            client
                .get(&format!("/grille/fichiers/{file}"))
                .body
                .starts_with(b"PK"),
            "{file}"
        );
    }
    let lock = client.get("/grille/fichiers/grille.xlsx.boussole.lock");
    let grid = offer("grille-remplie.xlsx");
    let answer = client.post_multipart(
        "/grille",
        &[
            Part::File("grille", "grille-remplie.xlsx", &grid),
            Part::File("verrou", "grille.xlsx.boussole.lock", &lock.body),
        ],
    );
    assert_eq!(answer.status, 303, "{}", answer.text());
    let opinion = answer.location();
    let text = client.get(&opinion).text();
    assert!(text.contains("Avis proposé"));
    assert_eq!(
        text.matches("<th scope=\"row\">").count(),
        7,
        "one row per criterion"
    );
    assert!(
        client
            .get(&format!("{opinion}/avis.docx"))
            .body
            .starts_with(b"PK")
    );
    let json: serde_json::Value =
        serde_json::from_slice(&client.get(&format!("{opinion}/avis.json")).body).unwrap();
    assert_eq!(json["criteria"].as_array().unwrap().len(), 7);

    let offer_not_grid = client.post_multipart(
        "/grille",
        &[Part::File("grille", "x.xlsx", b"not a spreadsheet")],
    );
    assert_eq!(offer_not_grid.status, 422);
    // The form comes back, the error in French at the grid's field.
    let page = offer_not_grid.text();
    assert!(
        page.contains("<title>Erreur\u{a0}: Grille interne"),
        "{page}"
    );
    assert!(
        page.contains("aria-invalid=\"true\" aria-describedby=\"grille-erreur\""),
        "{page}"
    );
    assert!(
        page.contains("x.xlsx : ce n'est pas un classeur ni un document Word que boussole lit"),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"#grille\">"),
        "the error leads to its field"
    );
    assert!(
        page.contains("action=\"/grille#erreurs\""),
        "the form is there"
    );
    // A follow-up sheet given as the grid is said so, in the page's language.
    let sheet = client.get("/grille/fichiers/suivi-annee-1.xlsx").body;
    let mut english = Client::new();
    english.cookies.push("boussole-lang=en".into());
    let followup = english.post_multipart("/grille", &[Part::File("grille", "suivi.xlsx", &sheet)]);
    assert_eq!(followup.status, 422);
    assert!(
        followup
            .text()
            .contains("suivi.xlsx: this is a yearly follow-up sheet, not the completed grid."),
        "{}",
        followup.text()
    );
}

#[test]
fn another_site_cannot_use_the_page() {
    let client = Client::new();
    // A page elsewhere whose name was rebound to 127.0.0.1.
    let rebound = client.send(
        axum::http::Request::get("/")
            .header("host", "evil.example:8450")
            .body(axum::body::Body::empty())
            .unwrap(),
    );
    assert_eq!(rebound.status, 421);
    assert!(
        rebound.text().contains("adresse où il écoute"),
        "a page that says why"
    );
    // A form posted from another origin, or without the page's token.
    let foreign = client.send(
        axum::http::Request::post("/consultation")
            .header("origin", "http://evil.example")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(axum::body::Body::from("jeton=x"))
            .unwrap(),
    );
    assert_eq!(foreign.status, 403);
    let mut form = client.form_values("/consultation", "/consultation#erreurs");
    set(&mut form, "jeton", "0000");
    assert_eq!(client.post_form("/consultation", &form).status, 403);
    let no_token = client.post_multipart_raw(
        "/analyse",
        &[Part::File("reponses", "a.xlsx", &offer(OFFERS[0]))],
    );
    assert_eq!(no_token.status, 403);
    // The page's own forms carry its origin (the referrer policy lets the
    // browser send it), and pass.
    let mut form = client.form_values("/consultation", "/consultation#erreurs");
    set(&mut form, "tender.title", "Même origine");
    let body = form_body(&form);
    let own = client.send(
        axum::http::Request::post("/consultation")
            .header("origin", "http://127.0.0.1:8450")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(body))
            .unwrap(),
    );
    assert_eq!(own.status, 303, "{}", own.text());
    // Every answer forbids scripts, framing and guessing types.
    let home = client.get("/");
    assert!(
        home.header("content-security-policy")
            .contains("default-src 'none'")
    );
    assert_eq!(home.header("x-content-type-options"), "nosniff");
    assert_eq!(home.header("x-frame-options"), "DENY");
    // Not `no-referrer`: under it, browsers send `Origin: null` with the page's own forms.
    assert_eq!(home.header("referrer-policy"), "same-origin");
}

#[test]
fn hostile_and_oversized_uploads_are_refused_and_the_batch_goes_on() {
    let client = Client::new();
    let good = offer(OFFERS[0]);
    let name = "<img src=x onerror=alert(1)>.xlsx";
    let answer = client.post_multipart(
        "/analyse",
        &[
            Part::File("reponses", name, b"PK\x03\x04 not really a zip"),
            Part::File("reponses", OFFERS[0], &good),
        ],
    );
    assert_eq!(answer.status, 303);
    let text = client.get(&answer.location()).text();
    assert!(!text.contains("<img src=x"), "the file name is escaped");
    assert!(text.contains("&lt;img src=x onerror=alert(1)&gt;.xlsx"));
    assert!(text.contains("illisible"));
    assert!(
        text.contains("Atelier Numérique Loire SAS"),
        "the other file is checked"
    );

    let big = vec![0u8; 20 * 1024 * 1024 + 1];
    let too_big = client.post_multipart("/analyse", &[Part::File("reponses", "big.xlsx", &big)]);
    assert_eq!(too_big.status, 413);
    assert!(too_big.text().contains("big.xlsx"));

    // As many returned files as allowed, and the lock beside them, pass; one more does not.
    let lock = client
        .get("/grille/fichiers/grille.xlsx.boussole.lock")
        .body;
    let mut full: Vec<Part> = (0..boussole::web::MAX_FILES)
        .map(|_| Part::File("reponses", "a.xlsx", b"x"))
        .collect();
    full.push(Part::File("verrou", "q.lock", &lock));
    assert_eq!(client.post_multipart("/analyse", &full).status, 303);
    let many: Vec<Part> = (0..=boussole::web::MAX_FILES)
        .map(|_| Part::File("reponses", "a.xlsx", b"x"))
        .collect();
    let too_many = client.post_multipart("/analyse", &many);
    assert_eq!(too_many.status, 413);
    assert!(
        too_many
            .text()
            .contains(&boussole::web::MAX_FILES.to_string())
    );

    let huge_form = vec![("relecteur".to_string(), "x".repeat(boussole::web::MAX_FORM))];
    let refused = client.post_form("/consultation", &huge_form);
    assert_eq!(refused.status, 413);
    assert!(
        refused.text().contains("taille admise"),
        "a page that says why"
    );
    let not_a_form = client.send(
        axum::http::Request::post("/analyse")
            .header("content-type", "text/plain")
            .body(axum::body::Body::from("x"))
            .unwrap(),
    );
    assert!(not_a_form.status.is_client_error());
    assert!(
        not_a_form.text().contains("<html lang=\"fr\""),
        "a page, not plain text"
    );

    let empty = client.post_multipart("/analyse", &[]);
    assert_eq!(empty.status, 400);
}

#[test]
fn another_account_on_the_computer_gets_nothing_without_the_printed_link() {
    // Someone else on a shared server reaches the port, but never saw the link.
    let stranger = Client::stranger(config(Limits::default()));
    for path in [
        "/",
        "/analyse",
        "/revue",
        "/consultation/0123",
        "/langue/en",
    ] {
        let page = stranger.get(path);
        assert_eq!(page.status, 403, "{path}");
        assert!(
            page.text()
                .contains("lien affiché par «\u{a0}boussole serve\u{a0}»"),
            "{path}: a page that says what to do"
        );
        assert!(page.header("set-cookie").is_empty(), "{path}");
    }
    let guessed = stranger.get(&format!("{}?cle=0123456789abcdef", boussole::web::ENTRY));
    assert_eq!(guessed.status, 403);
    let mut form = vec![("tender.title".to_string(), "x".to_string())];
    form.push(("jeton".into(), stranger.token.clone()));
    assert_eq!(
        stranger.post_form("/consultation", &form).status,
        403,
        "even with the form token"
    );

    // The printed link gives a cookie scripts cannot read and other sites cannot send.
    let opened = stranger.get(&stranger.state.link());
    assert_eq!(opened.status, 303);
    assert_eq!(opened.location(), "/", "the key leaves the address bar");
    let cookie = opened.header("set-cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(
        cookie.starts_with("boussole-session-8450="),
        "named after its port: {cookie}"
    );
    let buyer = stranger.entered();
    assert_eq!(buyer.get("/analyse").status, 200);
    // The link the browser opener is given works once: its command line is visible to others.
    let once = buyer.state.link_once().unwrap();
    assert_eq!(buyer.get(&once).status, 303);
    assert_eq!(buyer.get(&once).status, 403);
    // The printed link works again (another browser of the same person).
    assert_eq!(buyer.get(&buyer.state.link()).status, 303);
}

#[test]
fn a_page_listening_on_every_interface_still_checks_the_names_it_is_reached_by() {
    let every: std::net::SocketAddr = "0.0.0.0:8450".parse().unwrap();
    let mut setup = config(Limits::default());
    setup.hosts = Config::hosts_for(every, &["achats.example".to_string()]);
    let mut client = Client::stranger(setup);
    client.host = "achats.example:8450".into();
    // The cookie applies there too: without the printed link, nothing.
    assert_eq!(client.get("/analyse").status, 403);
    let client = client.entered();
    assert_eq!(client.get("/analyse").status, 200, "the name given");
    // A page elsewhere whose name was rebound to this machine.
    let rebound = client.send(
        axum::http::Request::get("/analyse")
            .header("host", "evil.example:8450")
            .body(axum::body::Body::empty())
            .unwrap(),
    );
    assert_eq!(rebound.status, 421);
}

#[test]
fn checked_batches_are_kept_within_a_size_and_the_oldest_go_first() {
    // A cap smaller than one batch: each new one lets the older go.
    let client = Client::with(config(Limits {
        kept: 1024,
        ..Limits::default()
    }));
    let page = tender(&client, &[]);
    let first = analyse(&client, &page);
    let second = analyse(&client, &page);
    let kept = client.get(&second);
    assert_eq!(kept.status, 200, "the newest is kept");
    assert!(
        kept.text().contains("boussole a effacé le plus ancien"),
        "the page says what made room for it"
    );
    let gone = client.get(&first);
    assert_eq!(gone.status, 410);
    let text = gone.text();
    assert!(text.contains("effacé pour faire de la place"), "{text}");
    assert!(text.contains("au plus 1\u{a0}Mio"), "the cap stated");
    assert_eq!(
        client
            .get("/analyse/00000000000000000000000000000000")
            .status,
        404,
        "an id never given is not called forgotten"
    );
}

#[test]
fn a_request_without_the_cookie_is_refused_before_its_body_is_read() {
    let server = Listening::start(Limits::default());
    let mut stream = server.connect();
    // 100 MiB announced, none sent: the answer comes without waiting for it.
    let head = server.head(
        "POST",
        "/analyse",
        &[
            "Content-Type: multipart/form-data; boundary=x".into(),
            format!("Content-Length: {}", boussole::web::MAX_UPLOAD),
        ],
    );
    stream.write_all(head.as_bytes()).unwrap();
    let answer = read_all(&mut stream);
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
    assert!(answer.contains("boussole serve"));
}

#[test]
fn slow_and_idle_connections_are_closed() {
    let server = Listening::start(Limits {
        head: Duration::from_millis(300),
        body: Duration::from_millis(300),
        ..Limits::default()
    });
    // A head that never ends.
    let mut slow = server.connect();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: 127.").unwrap();
    assert_eq!(read_all(&mut slow), "", "closed without an answer");
    // A connection that says nothing.
    let mut idle = server.connect();
    assert_eq!(read_all(&mut idle), "");
    // A connection kept open after its answer, then idle.
    let mut kept = server.connect();
    let style = server.head("GET", "/style.css", &[]);
    kept.write_all(style.as_bytes()).unwrap();
    let answer = read_all(&mut kept);
    assert!(answer.starts_with("HTTP/1.1 200"), "served, then closed");
    // A body that stops coming is cut, and the form refused.
    let cookie = server.cookie();
    let mut upload = server.connect();
    let head = server.head(
        "POST",
        "/analyse",
        &[
            cookie,
            "Content-Type: multipart/form-data; boundary=x".into(),
            "Content-Length: 100000".into(),
        ],
    );
    upload.write_all(head.as_bytes()).unwrap();
    upload.write_all(b"--x\r\nContent-Disposition: form-data; name=\"reponses\"; filename=\"a.xlsx\"\r\n\r\nPK").unwrap();
    let answer = read_all(&mut upload);
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains("trop lent"), "a page that says why");
}

#[test]
fn a_connection_that_stops_reading_its_answers_is_closed() {
    let server = Listening::start(Limits {
        connections: 1,
        write: Duration::from_millis(300),
        ..Limits::default()
    });
    // Thousands of requests sent at once (about 100 MB of answers), none
    // of their answers read: the server's writes wait, then give up.
    let greedy = server.connect();
    let style = server.head("GET", "/style.css", &[]);
    let requests = style.repeat(20_000);
    let mut writer = greedy.try_clone().unwrap();
    let sending = std::thread::spawn(move || {
        let _ = writer.write_all(requests.as_bytes());
    });
    // The only connection allowed is given back: the next client is served.
    let close = ["Connection: close".to_string()];
    let mut next = None;
    for _ in 0..100 {
        std::thread::sleep(Duration::from_millis(100));
        let mut other = server.connect();
        let _ = other.write_all(server.head("GET", "/style.css", &close).as_bytes());
        let answer = read_all(&mut other);
        if !answer.is_empty() {
            next = Some(answer);
            break;
        }
    }
    let answer = next.expect("the connection that read nothing is still held");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    drop(greedy);
    sending.join().unwrap();
}

#[test]
fn connections_over_the_cap_are_closed_at_once() {
    let server = Listening::start(Limits {
        connections: 2,
        ..Limits::default()
    });
    let mut first = server.connect();
    let _second = server.connect();
    let mut third = server.connect();
    let close = ["Connection: close".to_string()];
    let style = server.head("GET", "/style.css", &close);
    let _ = third.write_all(style.as_bytes());
    assert_eq!(read_all(&mut third), "", "no answer past the cap");
    // The connections within the cap are served.
    first.write_all(style.as_bytes()).unwrap();
    assert!(read_all(&mut first).starts_with("HTTP/1.1 200"));
}

/// The checks of the accessibility standard (RGAA) a page's HTML can show:
/// its language and title, one main heading, a label for every field, a
/// text for every picture, a caption and header cells for every table.
pub fn accessible(path: &str, html: &str) {
    assert!(
        html.contains("<html lang=\""),
        "{path}: the page's language"
    );
    assert!(html.contains("<title>"), "{path}: a title");
    assert_eq!(html.matches("<h1").count(), 1, "{path}: one main heading");
    assert!(html.contains("href=\"#contenu\""), "{path}: a skip link");
    for tag in html.split('<').skip(1) {
        let name = tag.split([' ', '>']).next().unwrap_or_default();
        let attr = |a: &str| {
            tag.split_once(&format!(" {a}=\""))
                .map(|(_, rest)| rest.split('"').next().unwrap_or_default().to_string())
        };
        let field = match name {
            "input" => !matches!(attr("type").as_deref(), Some("hidden" | "submit")),
            "select" | "textarea" => true,
            _ => false,
        };
        if field {
            let id = attr("id").unwrap_or_else(|| panic!("{path}: a field without id: <{tag}"));
            assert!(
                html.contains(&format!("<label for=\"{id}\"")),
                "{path}: no label for {id}"
            );
        }
        if name == "img" {
            assert!(
                attr("alt").is_some_and(|a| !a.is_empty()),
                "{path}: a picture without text"
            );
        }
    }
    assert_eq!(
        html.matches("<table").count(),
        html.matches("<caption").count(),
        "{path}: a caption per table"
    );
    if html.contains("<table") {
        assert!(html.contains("<th scope=\"col\">"), "{path}: header cells");
    }
}

#[test]
fn every_page_meets_what_the_accessibility_standard_checks_in_html() {
    let client = Client::new();
    let tender_page = tender(&client, &[]);
    let results = analyse(&client, &tender_page);
    let grid = client.post_multipart(
        "/grille",
        &[Part::File(
            "grille",
            "grille-remplie.xlsx",
            &offer("grille-remplie.xlsx"),
        )],
    );
    let mut paths: Vec<String> = [
        "/",
        "/consultation",
        "/analyse",
        "/revue",
        "/grille",
        "/nowhere",
    ]
    .map(String::from)
    .to_vec();
    paths.extend([
        tender_page.clone(),
        results.clone(),
        format!("{results}/offre/3"),
        format!("{results}/revue"),
        grid.location(),
    ]);
    for path in paths {
        accessible(&path, &client.get(&path).text());
    }
}
