//! `boussole serve` on the data folder's dossiers, over HTTP, with a real
//! SQLite file in a temporary folder: a dossier created on the page, the
//! questionnaire issued into it, the answers received into it, legal
//! staff's decisions on its analysis; then the server stopped, a new one
//! started on the same folder, and everything found again, as the command
//! line finds it too.

use std::path::Path;

use boussole::dossier::Role;
use boussole::web::Limits;

use crate::serve::{OFFERS, accessible, offer, tender};
use crate::support::boussole_env;
use crate::web_client::{Client, Part, config, set};

/// A server on the data folder `data`, opened through its link.
pub fn server(data: &Path) -> Client {
    let mut setup = config(Limits::default());
    setup.data = Some(data.to_path_buf());
    Client::with(setup)
}

/// `boussole dossier ARGS --data DATA`, as the user `ana`.
fn cli(data: &Path, args: &[&str]) -> crate::support::Run {
    let mut all = vec!["dossier"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--data", data.to_str().unwrap()]);
    boussole_env(data, &all, &[("USER", "ana"), ("USERNAME", "ana")])
}

/// Creates the dossier `name` through the page's form; its page's address.
pub fn create(client: &Client, name: &str, title: &str) -> String {
    let created = client.post_form(
        "/dossiers",
        &[("nom".into(), name.into()), ("titre".into(), title.into())],
    );
    assert_eq!(created.status, 303, "{}", created.text());
    created.location()
}

#[test]
fn a_dossier_created_on_the_page_is_there_after_a_restart_and_on_the_command_line() {
    let data = tempfile::tempdir().unwrap();
    let client = server(data.path());
    let empty = client.get("/dossiers");
    assert_eq!(empty.status, 200);
    assert!(
        empty.text().contains("Aucun dossier pour l&#39;instant")
            || empty.text().contains("Aucun dossier pour l'instant")
    );
    assert!(
        client.get("/").text().contains("href=\"/dossiers\""),
        "the home page and the menu lead to the dossiers"
    );

    // A name left empty, then one with a space: the form comes back with
    // the error at the field, in French, tied to it.
    for (name, why) in [
        ("", "champ obligatoire"),
        (
            "ia accueil",
            "ce nom ne peut pas être gardé\u{a0}: utilisez",
        ),
    ] {
        let refused = client.post_form(
            "/dossiers",
            &[
                ("nom".into(), name.into()),
                ("titre".into(), "Accueil".into()),
            ],
        );
        assert_eq!(refused.status, 422, "{name:?}");
        let page = refused.text();
        assert!(
            page.contains("<title>Erreur\u{a0}: Dossiers (1\u{a0}erreur)"),
            "{page}"
        );
        assert!(page.contains(why), "{name:?}: {page}");
        assert!(page.contains("aria-describedby=\"nom-aide nom-erreur\" aria-invalid=\"true\""));
        assert!(
            page.contains("<a href=\"#nom\">Nom du dossier</a>"),
            "the summary leads to the field"
        );
        assert!(page.contains("value=\"Accueil\""), "what was typed is kept");
        accessible("/dossiers (refused)", &page);
    }
    let form = client.get("/dossiers").text();
    assert!(
        form.contains("action=\"/dossiers#erreurs\""),
        "a refused creation comes back at its errors"
    );
    assert!(
        form.contains("Nom du dossier<span aria-hidden=\"true\"> *</span>"),
        "the required field is marked"
    );

    let page = create(&client, "ia-accueil-2027", "Assistant IA pour l'accueil");
    assert_eq!(page, "/dossiers/ia-accueil-2027?fait=cree");
    let shown = client.get(&page);
    assert_eq!(shown.status, 200);
    let text = shown.text();
    assert!(
        text.contains("<p class=\"notice\" role=\"status\">Le dossier est créé.</p>"),
        "the creation is announced: {text}"
    );
    assert!(
        text.contains("Assistant IA pour l&#39;accueil")
            || text.contains("Assistant IA pour l'accueil")
    );
    assert!(text.contains("dossier créé"), "the timeline: {text}");
    assert!(text.contains("pas encore diffusé"));
    accessible(&page, &text);
    let again = client.post_form(
        "/dossiers",
        &[
            ("nom".into(), "ia-accueil-2027".into()),
            ("titre".into(), String::new()),
        ],
    );
    assert_eq!(again.status, 422);
    assert!(again.text().contains("un dossier de ce nom existe déjà"));
    assert_eq!(client.get("/dossiers/inconnu").status, 404);
    let mut english = server(data.path());
    english.cookies.push("boussole-lang=en".into());
    let page = english.get("/dossiers").text();
    assert!(page.contains("<html lang=\"en\"") && page.contains("Create a dossier"));
    assert!(
        english
            .get("/dossiers/ia-accueil-2027")
            .text()
            .contains("dossier created")
    );
    drop(english);

    // The server stops; the command line adds an offer to the same dossier.
    drop(client);
    let offer_file = data.path().join(OFFERS[0]);
    std::fs::write(&offer_file, offer(OFFERS[0])).unwrap();
    let added = cli(
        data.path(),
        &[
            "add",
            "ia-accueil-2027",
            "--role",
            "offer",
            offer_file.to_str().unwrap(),
        ],
    );
    assert_eq!(added.code, 0, "{}", added.stderr);
    let listed = cli(data.path(), &["list"]);
    assert!(
        listed.stdout.contains("ia-accueil-2027"),
        "{}",
        listed.stdout
    );

    // A new server on the same folder finds the dossier and the offer.
    let client = server(data.path());
    let list = client.get("/dossiers").text();
    assert!(
        list.contains("href=\"/dossiers/ia-accueil-2027\""),
        "{list}"
    );
    accessible("/dossiers", &list);
    let text = client.get("/dossiers/ia-accueil-2027").text();
    assert!(text.contains(OFFERS[0]), "{text}");
    assert!(text.contains(Role::Offer.label(boussole::text::Lang::Fr)));
    assert!(text.contains("fichier ajouté"));
    let hashes = text
        .split(|c: char| !c.is_ascii_hexdigit())
        .filter(|w| w.len() >= 12)
        .count();
    assert_eq!(hashes, 0, "no hash on the page: {text}");
}

#[test]
fn without_a_data_folder_the_dossiers_page_says_how_to_have_one() {
    let client = Client::new();
    let page = client.get("/dossiers");
    assert_eq!(page.status, 404);
    assert!(page.text().contains("--data"), "{}", page.text());
}

/// A dossier `name` created on the page, the default tender's
/// questionnaire kept in it, the demo's four answers received in it; the
/// address of its analysis.
pub fn answered(client: &Client, name: &str) -> String {
    create(client, name, "");
    let tender_page = tender(client, &[]);
    let issued = client.post_form(
        &format!("{tender_page}/dossier"),
        &[("dossier".into(), name.into())],
    );
    assert_eq!(issued.status, 303, "{}", issued.text());
    drop_offers(client, name)
}

/// The demo's four answers dropped on the page for dossier `name`; the
/// address it sends to.
pub fn drop_offers(client: &Client, name: &str) -> String {
    let files: Vec<(&str, Vec<u8>)> = OFFERS.iter().map(|n| (*n, offer(n))).collect();
    let mut parts: Vec<Part> = files
        .iter()
        .map(|(n, b)| Part::File("reponses", n, b))
        .collect();
    parts.push(Part::Text("dossier", name));
    let received = client.post_multipart("/analyse", &parts);
    assert_eq!(received.status, 303, "{}", received.text());
    received.location()
}

/// The results table of an analysis page.
fn table(page: &str) -> &str {
    let start = page.find("<table").expect("a results table");
    &page[start..start + page[start..].find("</table>").unwrap()]
}

#[test]
fn the_questionnaire_issued_and_the_answers_received_in_a_dossier_outlive_the_server() {
    let data = tempfile::tempdir().unwrap();
    let name = "ia-accueil-2027";
    let client = server(data.path());
    create(&client, name, "Assistant IA pour l'accueil");

    // The tender described in the form; its questionnaire kept in the dossier.
    let tender_page = tender(&client, &[]);
    let page = client.get(&tender_page).text();
    let action = format!("{tender_page}/dossier");
    assert!(page.contains(&format!("action=\"{action}\"")), "{page}");
    accessible(&tender_page, &page);
    let issued = client.post_form(&action, &[("dossier".into(), name.into())]);
    assert_eq!(issued.status, 303, "{}", issued.text());
    assert_eq!(
        issued.location(),
        format!("/dossiers/{name}?fait=questionnaire")
    );
    let page = client.get(&issued.location()).text();
    for kept in [
        "profil.toml",
        "questionnaire.xlsx",
        "questionnaire.xlsx.boussole.lock",
    ] {
        assert!(
            page.contains(&format!("<th scope=\"row\">{kept}</th>")),
            "{kept}: {page}"
        );
    }
    assert!(page.contains("fichier produit"), "the timeline says so");

    // The answers dropped for the dossier: no lock asked, it keeps one.
    let form = client.get(&format!("/analyse?dossier={name}")).text();
    assert!(form.contains(&format!("name=\"dossier\" value=\"{name}\"")));
    assert!(
        !form.contains("id=\"verrou\""),
        "the dossier's lock is used"
    );
    accessible("/analyse?dossier=", &form);
    let analysis = drop_offers(&client, name);
    assert_eq!(analysis, format!("/analyse/dossier-{name}"));
    let before = client.get(&analysis);
    assert_eq!(before.status, 200, "{}", before.text());
    let before = before.text();
    assert!(before.contains("Analyse du dossier"), "{before}");
    accessible(&analysis, &before);

    // Each file kept as received, under its role, as the command line shows it.
    let shown = cli(data.path(), &["show", name, "--format", "json"]);
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    let d: boussole::dossier::Dossier = serde_json::from_str(&shown.stdout).unwrap();
    for n in OFFERS {
        let f = d.files.iter().find(|f| f.name == n).expect(n);
        assert_eq!((f.role, f.version), (Role::Offer, 1), "{n}");
        assert_eq!(
            f.sha256,
            boussole::dossier::sha256(&offer(n)),
            "{n} as received"
        );
    }
    assert_eq!(d.files.iter().filter(|f| f.role == Role::Lock).count(), 1);

    // The server stops; a new one on the same folder derives the same
    // analysis from the files kept, at the same address.
    drop(client);
    let client = server(data.path());
    let after = client.get(&analysis);
    assert_eq!(after.status, 200, "{}", after.text());
    assert_eq!(table(&after.text()), table(&before), "the same results");
    assert_eq!(client.get(&format!("{analysis}/offre/1")).status, 200);
    let json = client.get(&format!("{analysis}/fichiers/rapport.json"));
    assert_eq!(json.status, 200);
    assert!(json.text().contains(OFFERS[1]));
    let list = client.get("/dossiers").text();
    let row = &list[list.find(&format!("/dossiers/{name}")).unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("<td>diffusé</td>"), "{row}");
    assert!(row.contains("<td class=\"num\">4</td>"), "4 answers: {row}");
    assert!(row.contains("0\u{a0}prise"), "{row}");

    // The tender itself is taken up again from the dossier's profile.
    let resumed = client.post_form(&format!("/dossiers/{name}/consultation"), &[]);
    assert_eq!(resumed.status, 303, "{}", resumed.text());
    let page = client.get(&resumed.location()).text();
    assert!(page.contains("questionnaire.xlsx.boussole.lock"), "{page}");

    // A dossier unknown, or with no answer yet, says so.
    assert_eq!(client.get("/analyse/dossier-inconnu").status, 404);
    create(&client, "vide", "");
    let empty = client.get("/analyse/dossier-vide");
    assert_eq!(empty.status, 404);
    assert!(empty.text().contains("aucune réponse"));
}

#[test]
fn two_decisions_on_one_finding_are_both_in_the_trail_and_the_last_one_counts() {
    let data = tempfile::tempdir().unwrap();
    let name = "ia-accueil-2027";
    let client = server(data.path());
    let analysis = answered(&client, name);
    let review = format!("{analysis}/revue");
    let page = client.get(&review).text();
    assert!(page.contains("la chronologie du dossier"), "{page}");
    accessible(&review, &page);

    // VisioSûreté's eliminatory finding (the fourth file's first), decided
    // by one reviewer, then otherwise by another, in two requests.
    let decide = |decision: &str, reviewer: &str, note: &str| {
        let mut form = client.form_values(&review, &review);
        let select = form
            .iter()
            .map(|(k, _)| k.clone())
            .find(|k| k.starts_with("d-3-"))
            .unwrap();
        set(&mut form, &select, decision);
        set(&mut form, "relecteur", reviewer);
        set(&mut form, &select.replacen("d-", "c-", 1), note);
        let saved = client.post_form(&review, &form);
        assert_eq!(saved.status, 303, "{}", saved.text());
    };
    decide(
        "lifted",
        "Maître Dupont",
        "Usage de la photo limité au badge",
    );
    decide("confirmed", "Claire Martin", "Revu en commission");
    let shown = client.get(&review).text();
    assert!(
        shown.contains("constat confirmé par Claire Martin"),
        "{shown}"
    );
    assert!(!shown.contains("constat levé par Maître Dupont"));

    // Kept as data, each row with who recorded it and when, in order.
    let db = rusqlite::Connection::open(data.path().join("dossiers.sqlite")).unwrap();
    let rows: Vec<(String, String, String, String, String)> = db
        .prepare("SELECT at, who, reviewer, decision, note FROM decisions ORDER BY id")
        .unwrap()
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(
        (rows[0].2.as_str(), rows[0].3.as_str()),
        ("Maître Dupont", "lifted")
    );
    assert_eq!(
        (rows[1].2.as_str(), rows[1].3.as_str()),
        ("Claire Martin", "confirmed")
    );
    assert!(
        rows.iter().all(|r| r.0.ends_with('Z') && !r.1.is_empty()),
        "{rows:?}"
    );
    drop(db);

    // The server stops; a new one shows the last decision, and the trail both.
    drop(client);
    let client = server(data.path());
    let reviews = client.get("/revue").text();
    assert!(
        reviews.contains(&format!("href=\"{review}\"")),
        "the review to take up again: {reviews}"
    );
    accessible("/revue", &reviews);
    let shown = client.get(&review).text();
    assert!(
        shown.contains("constat confirmé par Claire Martin"),
        "{shown}"
    );
    assert!(shown.contains("value=\"Revu en commission\""));
    let page = client.get(&format!("/dossiers/{name}")).text();
    let trail = &page[page.find("id=\"chronologie\"").unwrap()..];
    for said in [
        "constat levé — Maître Dupont — Usage de la photo limité au badge",
        "constat confirmé — Claire Martin — Revu en commission",
    ] {
        assert!(trail.contains(said), "{said}: {trail}");
    }
    assert_eq!(trail.matches("décision de la revue juridique").count(), 2);
    assert!(page.contains("1\u{a0}prise"), "{page}");
    let cli_show = cli(data.path(), &["show", name]);
    assert!(
        cli_show.stdout.contains("décision de la revue juridique"),
        "{}",
        cli_show.stdout
    );

    // Exported and imported into another data folder: the decisions too.
    let zip = data.path().join("archive.zip");
    let exported = cli(data.path(), &["export", name, "-o", zip.to_str().unwrap()]);
    assert_eq!(exported.code, 0, "{}", exported.stderr);
    let elsewhere = tempfile::tempdir().unwrap();
    let imported = cli(elsewhere.path(), &["import", zip.to_str().unwrap()]);
    assert_eq!(imported.code, 0, "{}", imported.stderr);
    let copy = server(elsewhere.path());
    let shown = copy.get(&review).text();
    assert!(
        shown.contains("constat confirmé par Claire Martin"),
        "{shown}"
    );
    drop(copy);

    // Withdrawn: the finding is without decision again, the trail says so.
    let mut form = client.form_values(&review, &review);
    let select = form
        .iter()
        .map(|(k, _)| k.clone())
        .find(|k| k.starts_with("d-3-"))
        .unwrap();
    set(&mut form, &select, "");
    set(&mut form, "relecteur", "Claire Martin");
    assert_eq!(client.post_form(&review, &form).status, 303);
    assert!(!client.get(&review).text().contains("par Claire Martin"));
    let page = client.get(&format!("/dossiers/{name}")).text();
    assert!(page.contains("décision retirée — Claire Martin"), "{page}");
    assert!(page.contains("0\u{a0}prise"));
}

#[test]
fn the_dossiers_pages_keep_the_guards_of_every_page() {
    let data = tempfile::tempdir().unwrap();
    let client = server(data.path());
    let analysis = answered(&client, "gardee");
    let tender_page = tender(&client, &[]);
    let gets = [
        "/dossiers".to_string(),
        "/dossiers/gardee".to_string(),
        analysis.clone(),
        format!("{analysis}/revue"),
    ];
    let posts = [
        ("/dossiers".to_string(), vec![("nom", "intrus")]),
        ("/dossiers/gardee/consultation".to_string(), vec![]),
        (
            format!("{tender_page}/dossier"),
            vec![("dossier", "gardee")],
        ),
        (format!("{analysis}/revue"), vec![("relecteur", "Intrus")]),
    ];
    let pairs = |fields: &[(&str, &str)]| -> Vec<(String, String)> {
        fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    let before = cli(data.path(), &["show", "gardee", "--format", "json"]).stdout;

    // Another account on the computer, without the printed link's cookie.
    let mut stranger = server(data.path());
    stranger.cookies.clear();
    for path in &gets {
        assert_eq!(stranger.get(path).status, 403, "{path}");
    }
    for (path, fields) in &posts {
        let mut form = pairs(fields);
        form.push(("jeton".into(), stranger.token.clone()));
        assert_eq!(stranger.post_form(path, &form).status, 403, "{path}");
    }
    // A page elsewhere whose name was rebound to 127.0.0.1.
    let mut rebound = server(data.path());
    rebound.host = "evil.example:8450".into();
    for path in &gets {
        assert_eq!(rebound.get(path).status, 421, "{path}");
    }
    // A form without the token, or with another's, or from another origin.
    for (path, fields) in &posts {
        let mut form = pairs(fields);
        form.push(("jeton".into(), "0000".into()));
        assert_eq!(client.post_form(path, &form).status, 403, "{path}");
        let foreign = client.send(
            axum::http::Request::post(path.as_str())
                .header("origin", "http://evil.example")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(axum::body::Body::from(crate::web_client::form_body(
                    &pairs(fields),
                )))
                .unwrap(),
        );
        assert_eq!(foreign.status, 403, "{path}");
    }
    let answers = client.post_multipart_raw(
        "/analyse",
        &[
            Part::Text("dossier", "gardee"),
            Part::File("reponses", "intrus.xlsx", &offer(OFFERS[0])),
        ],
    );
    assert_eq!(answers.status, 403, "answers without the token");

    // Nothing of it reached the dossiers.
    let after = cli(data.path(), &["show", "gardee", "--format", "json"]).stdout;
    assert_eq!(before, after);
    assert!(!cli(data.path(), &["list"]).stdout.contains("intrus"));
}

#[test]
fn two_reviewers_at_once_keep_each_other_s_decisions_and_a_changed_dossier_is_not_decided_blind() {
    let data = tempfile::tempdir().unwrap();
    let name = "ia-accueil-2027";
    let client = server(data.path());
    let analysis = answered(&client, name);
    let review = format!("{analysis}/revue");
    let finding = |form: &[(String, String)], file: usize, nth: usize| {
        form.iter()
            .map(|(k, _)| k.clone())
            .filter(|k| k.starts_with(&format!("d-{file}-")))
            .nth(nth)
            .unwrap()
    };

    // Two reviewers open the review; each decides on a finding of their own.
    let mut first = client.form_values(&review, &review);
    let mut second = client.form_values(&review, &review);
    let x = finding(&first, 3, 0);
    let y = finding(&second, 1, 0);
    set(&mut first, &x, "lifted");
    set(&mut first, "relecteur", "Maître Dupont");
    assert_eq!(client.post_form(&review, &first).status, 303);
    set(&mut second, &y, "confirmed");
    set(&mut second, "relecteur", "Claire Martin");
    assert_eq!(client.post_form(&review, &second).status, 303);
    let shown = client.get(&review).text();
    assert!(
        shown.contains("constat levé par Maître Dupont"),
        "the first reviewer's decision stays: {shown}"
    );
    assert!(shown.contains("constat confirmé par Claire Martin"));

    // The second, still on the page shown before, decides otherwise on the
    // first's finding: both are in the trail, the last one counts.
    set(&mut second, &x, "clarification_requested");
    assert_eq!(client.post_form(&review, &second).status, 303);
    let shown = client.get(&review).text();
    assert!(
        shown.contains("précision demandée par Claire Martin"),
        "{shown}"
    );
    let page = client.get(&format!("/dossiers/{name}")).text();
    assert!(page.contains("constat levé — Maître Dupont"));
    assert!(page.contains("précision demandée — Claire Martin"));
    assert_eq!(page.matches("décision de la revue juridique").count(), 3);

    // A new answer received meanwhile: a form shown before it is refused,
    // nothing recorded.
    let mut stale = client.form_values(&review, &review);
    let received = client.post_multipart(
        "/analyse",
        &[
            Part::Text("dossier", name),
            Part::File("reponses", "nouvelle.xlsx", &offer(OFFERS[0])),
        ],
    );
    assert_eq!(received.status, 303, "{}", received.text());
    let z = finding(&stale, 1, 1);
    set(&mut stale, &z, "lifted");
    set(&mut stale, "relecteur", "Maître Dupont");
    let refused = client.post_form(&review, &stale);
    assert_eq!(refused.status, 409);
    assert!(
        refused.text().contains(&format!("href=\"{review}\"")),
        "the page leads back to the review, not only home"
    );
    assert!(
        refused.text().contains("Rien n&#39;a été enregistré")
            || refused.text().contains("Rien n'a été enregistré")
    );
    let page = client.get(&format!("/dossiers/{name}")).text();
    assert_eq!(page.matches("décision de la revue juridique").count(), 3);
    assert!(
        client
            .get(&review)
            .text()
            .contains("précision demandée par Claire Martin"),
        "the decisions stay on the same offers"
    );
}
