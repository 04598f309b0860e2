//! `boussole serve --listen`: a team's server. Accounts created with
//! `boussole user add` on a real SQLite file, people logging in over HTTP,
//! each route of a dossier tried by each duty (and by someone without
//! any), the lockout after five failures, the trusted proxy's header, a
//! session that outlives a restart and ends at logout.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use boussole::web::{Access, Limits, Team};

use crate::serve::{OFFERS, offer, tender};
use crate::serve_dossier::{answered, create};
use crate::web_client::{Client, Part, config, set};

const PASSWORD: &str = "une phrase de passe assez longue";

/// Where a team's dossiers and accounts are kept: a data folder's SQLite
/// file, or a PostgreSQL server started for the test; with a folder for
/// the test's other files.
pub enum Place {
    Folder(tempfile::TempDir),
    Server(crate::postgres::Server, tempfile::TempDir),
}

impl Place {
    /// A data folder.
    fn folder() -> Place {
        Place::Folder(tempfile::tempdir().unwrap())
    }

    /// A PostgreSQL server, if one can be started.
    fn server() -> Option<Place> {
        Some(Place::Server(
            crate::postgres::Server::start()?,
            tempfile::tempdir().unwrap(),
        ))
    }

    /// The option naming it on the command line.
    fn args(&self) -> [String; 2] {
        match self {
            Place::Folder(d) => ["--data".into(), d.path().to_str().unwrap().into()],
            Place::Server(s, _) => ["--database".into(), s.url.clone()],
        }
    }

    /// A folder for the test's other files.
    fn path(&self) -> &Path {
        match self {
            Place::Folder(d) | Place::Server(_, d) => d.path(),
        }
    }

    /// The rows `sql` gives, each column as text (`CAST(… AS TEXT)` in
    /// `sql` for numbers).
    fn rows(&self, sql: &str) -> Vec<Vec<String>> {
        match self {
            Place::Folder(d) => {
                let db = rusqlite::Connection::open(d.path().join("dossiers.sqlite")).unwrap();
                let mut stmt = db.prepare(sql).unwrap();
                let width = stmt.column_count();
                stmt.query_map([], |r| {
                    (0..width)
                        .map(|i| r.get::<_, Option<String>>(i).map(Option::unwrap_or_default))
                        .collect()
                })
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
            }
            Place::Server(s, _) => {
                let mut db = postgres::Client::connect(&s.url, postgres::NoTls).unwrap();
                db.query(sql, &[])
                    .unwrap()
                    .iter()
                    .map(|r| {
                        (0..r.len())
                            .map(|i| r.get::<_, Option<String>>(i).unwrap_or_default())
                            .collect()
                    })
                    .collect()
            }
        }
    }
}

/// `boussole user ARGS` on `data`, with `stdin` typed in.
fn user(data: &Place, args: &[&str], stdin: &str) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_boussole"))
        .arg("user")
        .args(args)
        .args(data.args())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

/// The account `name` (password [`PASSWORD`]).
fn account(data: &Place, name: &str, full_name: &str) {
    let (code, out) = user(
        data,
        &["add", name, "--full-name", full_name],
        &format!("{PASSWORD}\n"),
    );
    assert_eq!(code, 0, "{out}");
}

/// A team's server on the data folder `data`, not logged in.
fn team(data: &Place, header: Option<&str>) -> Client {
    let mut setup = config(Limits::default());
    match data {
        Place::Folder(d) => setup.data = Some(d.path().to_path_buf()),
        Place::Server(s, _) => setup.database = Some(s.url.clone()),
    }
    setup.access = Access::Accounts(Team {
        header: header.map(str::to_string),
        secure: true,
    });
    Client::stranger(setup)
}

fn login(client: &Client, name: &str, password: &str) -> crate::web_client::Answer {
    client.post_form(
        "/connexion",
        &[
            ("identifiant".into(), name.into()),
            ("mot_de_passe".into(), password.into()),
        ],
    )
}

fn everyone_logs_in_and_five_failures_in_a_row_lock_the_account(data: &Place) {
    // a password too short is refused before anything is kept
    let (code, out) = user(data, &["add", "marie"], "court\n");
    assert_ne!(code, 0);
    assert!(out.contains("at least 12 characters"), "{out}");
    account(data, "marie.durand", "Marie Durand");
    let (_, listed) = user(data, &["list"], "");
    assert!(
        listed.contains("marie.durand — Marie Durand (mot de passe)"),
        "{listed}"
    );
    let hash = data.rows("SELECT hash FROM accounts").remove(0).remove(0);
    assert!(hash.starts_with("$argon2id$") && !hash.contains("phrase"));

    let client = team(data, None);
    // nothing without logging in: a page leads to the login, then back
    let home = client.get("/dossiers?x=1");
    assert_eq!(home.status, 303);
    assert_eq!(home.location(), "/connexion?retour=/dossiers%3Fx%3D1");
    assert_eq!(
        client.get(&client.state.link()).status,
        303,
        "no printed link"
    );
    let form = client.post_form("/dossiers", &[("nom".into(), "x".into())]);
    assert_eq!(form.status, 401, "{}", form.text());
    assert!(
        form.text().contains("href=\"/connexion\""),
        "{}",
        form.text()
    );
    let page = client.get("/connexion").text();
    assert!(page.contains("autocomplete=\"current-password\""), "{page}");
    crate::serve::accessible("/connexion", &page);

    // an unknown login and a wrong password get the same answer
    let unknown = login(&client, "paul", PASSWORD);
    let wrong = login(&client, "marie.durand", "pas le bon mot de passe");
    assert_eq!((unknown.status.as_u16(), wrong.status.as_u16()), (401, 401));
    assert!(
        unknown
            .text()
            .contains("Identifiant ou mot de passe incorrect.")
    );
    assert!(
        wrong
            .text()
            .contains("Identifiant ou mot de passe incorrect.")
    );
    assert!(wrong.header("set-cookie").is_empty());
    for _ in 0..3 {
        login(&client, "marie.durand", "pas le bon mot de passe");
    }
    let fifth = login(&client, "marie.durand", "pas le bon mot de passe").text();
    assert!(fifth.contains("le compte est bloqué 15"), "{fifth}");
    // locked: even the right password is refused, until unlocked
    let locked = login(&client, "marie.durand", PASSWORD);
    assert_eq!(locked.status, 401);
    assert!(locked.text().contains("Ce compte est bloqué"));
    let (code, out) = user(data, &["unlock", "marie.durand"], "");
    assert_eq!(code, 0, "{out}");
    // a password longer than any account's is refused without being hashed
    let long = login(&client, "marie.durand", &"x".repeat(1025));
    assert_eq!(long.status, 401, "{}", long.text());
    let good = login(&client, "marie.durand", PASSWORD);
    assert_eq!(good.status, 303, "{}", good.text());
    let cookie = good.header("set-cookie");
    for mark in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/"] {
        assert!(cookie.contains(mark), "{cookie}");
    }
    // the database keeps the key's hash, not the key
    let key = cookie.split(';').next().unwrap().split_once('=').unwrap().1;
    let kept = data
        .rows("SELECT key_sha256 FROM sessions")
        .remove(0)
        .remove(0);
    assert_ne!(kept, key);
}

fn each_duty_opens_its_own_part_of_a_dossier_and_nobody_else_sees_it(data: &Place) {
    let name = "assistant-usagers";
    for (login, full) in [
        ("ana", "Ana Acheteuse"),
        ("julie", "Julie Juriste"),
        ("leo", "Léo Lecteur"),
        ("sam", "Sam Sansrôle"),
    ] {
        account(data, login, full);
    }
    let server = team(data, None);
    let ana = server.beside().logged_in("ana", PASSWORD);
    // the buyer creates the dossier (and is its buyer), issues the
    // questionnaire into it, receives the answers
    let analysis = answered(&ana, name);
    for (who, duty) in [("julie", "juriste"), ("leo", "lecteur")] {
        let (code, out) = user(data, &["grant", who, name, duty], "");
        assert_eq!(code, 0, "{out}");
    }
    let julie = server.beside().logged_in("julie", PASSWORD);
    let leo = server.beside().logged_in("leo", PASSWORD);
    let sam = server.beside().logged_in("sam", PASSWORD);
    let dossier = format!("/dossiers/{name}");
    let review = format!("{analysis}/revue");

    // reading: every duty; nobody else, who is told there is no such dossier
    for path in [
        dossier.clone(),
        analysis.clone(),
        review.clone(),
        format!("{analysis}/offre/1"),
        format!("{analysis}/radar.png"),
        format!("{analysis}/fichiers/rapport.xlsx"),
        format!("{analysis}/fichiers/note-juridique.docx"),
        format!("{analysis}/notes"),
        format!("{analysis}/offre/1/attribution/engagements.json"),
    ] {
        for (who, client) in [("ana", &ana), ("julie", &julie), ("leo", &leo)] {
            assert_eq!(client.get(&path).status, 200, "{who} reads {path}");
        }
        assert_eq!(sam.get(&path).status, 404, "sam reads nothing of {path}");
    }
    assert!(leo.get("/dossiers").text().contains(name));
    assert!(!sam.get("/dossiers").text().contains(name));
    assert!(!sam.get("/revue").text().contains(name));
    let seen = leo.get(&dossier).text();
    assert!(
        seen.contains("Votre rôle dans ce dossier\u{a0}: lecteur."),
        "{seen}"
    );
    assert!(
        !seen.contains("Déposer des réponses reçues"),
        "no upload offered to a reader"
    );
    let shown = leo.get(&review).text();
    assert!(shown.contains("affichés en lecture seule"), "{shown}");
    assert!(!shown.contains("Enregistrer les décisions"));
    let hers = julie.get(&review).text();
    assert!(
        hers.contains("value=\"Julie Juriste\""),
        "the reviewer is who is logged in"
    );
    let account = julie.get("/compte").text();
    assert!(
        account.contains("Julie Juriste") && account.contains("juriste"),
        "{account}"
    );

    // receiving answers: the buyer only
    let files: Vec<(&str, Vec<u8>)> = OFFERS[..1].iter().map(|n| (*n, offer(n))).collect();
    let mut parts: Vec<Part> = files
        .iter()
        .map(|(n, b)| Part::File("reponses", n, b))
        .collect();
    parts.push(Part::Text("dossier", name));
    assert_eq!(ana.post_multipart("/analyse", &parts).status, 303);
    assert_eq!(julie.post_multipart("/analyse", &parts).status, 403);
    assert_eq!(leo.post_multipart("/analyse", &parts).status, 403);
    assert_eq!(sam.post_multipart("/analyse", &parts).status, 404);
    let refused = leo.post_multipart("/analyse", &parts).text();
    assert!(
        refused.contains("Votre rôle dans ce dossier (lecteur)"),
        "{refused}"
    );
    // taking the tender up again, issuing a questionnaire into it: the buyer only
    let resume = format!("{dossier}/consultation");
    assert_eq!(ana.post_form(&resume, &[]).status, 303);
    assert_eq!(leo.post_form(&resume, &[]).status, 403);
    assert_eq!(sam.post_form(&resume, &[]).status, 404);
    let own = tender(&leo, &[]);
    let issue = leo.post_form(
        &format!("{own}/dossier"),
        &[("dossier".into(), name.into())],
    );
    assert_eq!(issue.status, 403, "{}", issue.text());
    // a tender kept in memory is its maker's alone
    assert_eq!(ana.get(&own).status, 404);
    assert_eq!(leo.get(&own).status, 200);

    // marking: the committee only (nobody here holds that duty)
    let notes = format!("{analysis}/notes");
    let marks = julie.form_values(&notes, &notes);
    assert!(
        julie
            .get(&notes)
            .text()
            .contains("affichées en lecture seule")
    );
    for (who, client, status) in [
        ("ana", &ana, 403),
        ("julie", &julie, 403),
        ("leo", &leo, 403),
        ("sam", &sam, 404),
    ] {
        let mut theirs = marks.clone();
        set(&mut theirs, boussole::web::TOKEN_FIELD, &client.token);
        let answer = client.post_form(&notes, &theirs);
        assert_eq!(answer.status, status, "{who} marks: {}", answer.text());
    }

    // deciding: legal staff only
    let mut form = julie.form_values(&review, &review);
    let select = form
        .iter()
        .map(|(k, _)| k.clone())
        .find(|k| k.starts_with("d-"))
        .unwrap();
    set(&mut form, &select, "confirmed");
    set(&mut form, "relecteur", "Julie Juriste");
    for (who, client, status) in [("ana", &ana, 403), ("leo", &leo, 403), ("sam", &sam, 404)] {
        let mut theirs = form.clone();
        set(&mut theirs, boussole::web::TOKEN_FIELD, &client.token);
        let answer = client.post_form(&review, &theirs);
        assert_eq!(answer.status, status, "{who} decides: {}", answer.text());
    }
    // another person's token is refused, whoever sends it
    let mut stolen = form.clone();
    set(&mut stolen, boussole::web::TOKEN_FIELD, &ana.token);
    assert_eq!(julie.post_form(&review, &stolen).status, 403);
    let decided = julie.post_form(&review, &form);
    assert_eq!(decided.status, 303, "{}", decided.text());
    // the list tells it, counted again from the database (twice: derived, then remembered)
    for _ in 0..2 {
        let list = leo.get("/dossiers").text();
        assert!(list.contains("1\u{a0}prise, "), "{list}");
    }

    // a letter recorded as sent: legal staff only, kept in the dossier
    let results = julie.get(&analysis).text();
    let action = results
        .split("action=\"")
        .skip(1)
        .map(|a| &a[..a.find('"').unwrap()])
        .find(|a| a.contains("/courriers/"))
        .unwrap_or_else(|| panic!("no letter to record: {results}"))
        .to_string();
    assert!(!leo.get(&analysis).text().contains("/courriers/"));
    assert_eq!(leo.post_form(&action, &[]).status, 403);
    assert_eq!(ana.post_form(&action, &[]).status, 403);
    assert_eq!(sam.post_form(&action, &[]).status, 404);
    let sent = julie.post_form(&action, &[]);
    assert_eq!(sent.status, 303, "{}", sent.text());
    let page = julie.get(&sent.location()).text();
    assert!(page.contains("Le courrier est gardé dans le dossier comme envoyé."));
    assert!(page.contains("courrier enregistré comme envoyé"), "{page}");
    assert!(
        julie
            .get(&analysis)
            .text()
            .contains("enregistré comme envoyé le")
    );

    // the trail names each person, the decision its recorder
    let who: Vec<(String, String)> = data
        .rows("SELECT who, action FROM audit ORDER BY id")
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    assert_eq!(who[0], ("ana".into(), "created".into()));
    assert_eq!(
        who[1],
        ("ana".into(), "granted".into()),
        "the creator is its buyer"
    );
    assert!(who.iter().any(|(w, a)| w == "ana" && a == "added"));
    assert!(who.iter().any(|(w, a)| w == "julie" && a == "decided"));
    assert!(!who.iter().any(|(w, a)| w != "julie" && a == "decided"));
    assert!(who.iter().any(|(w, a)| w == "julie" && a == "sent"));
    let letters = data.rows("SELECT CAST(COUNT(*) AS TEXT) FROM files WHERE role = 'letter'");
    assert_eq!(letters, [["1"]]);
    assert_eq!(data.rows("SELECT who FROM decisions"), [["julie"]]);
}

fn a_session_outlives_a_restart_and_ends_at_logout(data: &Place) {
    account(data, "ana", "Ana Acheteuse");
    let first = team(data, None).logged_in("ana", PASSWORD);
    create(&first, "ia-accueil-2027", "");
    let cookies = first.cookies.clone();
    let token = first.token.clone();
    drop(first);
    // a new server on the same folder: the same browser goes on
    let mut again = team(data, None);
    again.cookies = cookies;
    again.token = token;
    let page = again.get("/dossiers");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("ia-accueil-2027"));
    assert!(page.text().contains("Mon compte"));
    let out = again.post_form("/deconnexion", &[]);
    assert_eq!(out.status, 303, "{}", out.text());
    assert!(out.header("set-cookie").contains("Max-Age=0"));
    assert_eq!(again.get("/dossiers").status, 303, "the session is over");
}

fn a_trusted_proxy_names_the_account_and_nobody_else_gets_in(data: &Place) {
    let (code, out) = user(
        data,
        &["add", "marie.durand@metropole.example", "--proxy"],
        "",
    );
    assert_eq!(code, 0, "{out}");
    let mut client = team(data, Some("X-Remote-User"));
    assert_eq!(client.get("/dossiers").status, 303, "no header: the login");
    client.headers = vec![("X-Remote-User".into(), "paul@ailleurs.example".into())];
    assert_eq!(client.get("/dossiers").status, 303, "not an account");
    client.headers = vec![(
        "X-Remote-User".into(),
        "marie.durand@metropole.example".into(),
    )];
    let page = client.get("/compte");
    assert_eq!(page.status, 200, "{}", page.text());
    client.token = client
        .form_values("/dossiers", "/dossiers#erreurs")
        .into_iter()
        .find(|(k, _)| k == boussole::web::TOKEN_FIELD)
        .unwrap()
        .1;
    create(&client, "ia-accueil-2027", "");
    assert!(client.get("/dossiers/ia-accueil-2027").status == 200);
    // an account named by the proxy has no password to log in with
    let tried = client.beside();
    assert_eq!(
        login(&tried, "marie.durand@metropole.example", PASSWORD).status,
        401
    );
}

fn two_lawyers_decide_one_finding_both_are_in_the_trail_and_the_last_one_counts(data: &Place) {
    let name = "assistant-usagers";
    for (login, full) in [
        ("ana", "Ana Acheteuse"),
        ("julie", "Julie Juriste"),
        ("jules", "Jules Juriste"),
    ] {
        account(data, login, full);
    }
    let server = team(data, None);
    let ana = server.beside().logged_in("ana", PASSWORD);
    let analysis = answered(&ana, name);
    for who in ["julie", "jules"] {
        let (code, out) = user(data, &["grant", who, name, "juriste"], "");
        assert_eq!(code, 0, "{out}");
    }
    let julie = server.beside().logged_in("julie", PASSWORD);
    let jules = server.beside().logged_in("jules", PASSWORD);
    let review = format!("{analysis}/revue");
    // both open the review, then each decides the same finding otherwise
    let mut hers = julie.form_values(&review, &review);
    let mut his = jules.form_values(&review, &review);
    let select = hers
        .iter()
        .map(|(k, _)| k.clone())
        .find(|k| k.starts_with("d-"))
        .unwrap();
    set(&mut hers, &select, "lifted");
    set(&mut his, &select, "confirmed");
    assert_eq!(julie.post_form(&review, &hers).status, 303);
    assert_eq!(jules.post_form(&review, &his).status, 303);
    let shown = ana.get(&review).text();
    assert!(
        shown.contains("constat confirmé par Jules Juriste"),
        "{shown}"
    );
    assert!(!shown.contains("constat levé par Julie Juriste"));
    let rows = data.rows("SELECT who, decision FROM decisions ORDER BY id");
    assert_eq!(rows, [["julie", "lifted"], ["jules", "confirmed"]]);
    let trail = ana.get(&format!("/dossiers/{name}")).text();
    assert_eq!(
        trail.matches("décision de la revue juridique").count(),
        2,
        "{trail}"
    );
}

fn committee_members_mark_free_text_and_nobody_else_does(data: &Place) {
    let name = "assistant-usagers";
    for (login, full) in [
        ("ana", "Ana Acheteuse"),
        ("camille", "Camille Commission"),
        ("chris", "Chris Commission"),
        ("julie", "Julie Juriste"),
    ] {
        account(data, login, full);
    }
    let server = team(data, None);
    let ana = server.beside().logged_in("ana", PASSWORD);
    let analysis = answered(&ana, name);
    for (who, duty) in [
        ("camille", "commission"),
        ("chris", "commission"),
        ("julie", "juriste"),
    ] {
        let (code, out) = user(data, &["grant", who, name, duty], "");
        assert_eq!(code, 0, "{out}");
    }
    let camille = server.beside().logged_in("camille", PASSWORD);
    let chris = server.beside().logged_in("chris", PASSWORD);
    let julie = server.beside().logged_in("julie", PASSWORD);
    let notes = format!("{analysis}/notes");
    assert!(camille.get(&analysis).text().contains(&notes));
    let page = camille.get(&notes).text();
    crate::serve::accessible(&notes, &page);
    assert!(page.contains("Enregistrer les notes"), "{page}");
    let hers = julie.get(&notes).text();
    assert!(hers.contains("affichées en lecture seule") && !hers.contains("Enregistrer les notes"));

    // two members at once, each from the form as it was shown
    let shown = camille.form_values(&notes, &notes);
    let selects: Vec<String> = shown
        .iter()
        .map(|(k, _)| k.clone())
        .filter(|k| k.starts_with("m-"))
        .collect();
    assert!(selects.len() >= 2, "elements to mark: {selects:?}");
    let mut first = shown.clone();
    set(&mut first, &selects[0], "3");
    set(
        &mut first,
        &selects[0].replacen("m-", "r-", 1),
        "Démarche décrite et datée",
    );
    let mut second = chris.form_values(&notes, &notes);
    set(&mut second, &selects[1], "1");
    // legal staff and the buyer do not mark
    let mut theirs = first.clone();
    set(&mut theirs, boussole::web::TOKEN_FIELD, &julie.token);
    assert_eq!(julie.post_form(&notes, &theirs).status, 403);
    set(&mut theirs, boussole::web::TOKEN_FIELD, &ana.token);
    assert_eq!(ana.post_form(&notes, &theirs).status, 403);
    let saved = camille.post_form(&notes, &first);
    assert_eq!(saved.status, 303, "{}", saved.text());
    let saved = chris.post_form(&notes, &second);
    assert_eq!(saved.status, 303, "{}", saved.text());
    let again = camille.form_values(&notes, &notes);
    let value = |form: &[(String, String)], k: &str| {
        form.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap()
    };
    assert_eq!(value(&again, &selects[0]), "3", "camille's mark stays");
    assert_eq!(value(&again, &selects[1]), "1", "chris's mark is kept too");

    // the dossier's state says how many marks are given and pending
    let state = ana.get(&format!("/dossiers/{name}")).text();
    let row = &state[state.find("Notes de la commission</dt>").unwrap()..];
    let given = &row[..row.find("</dd>").unwrap()];
    assert!(
        given.contains("2") && given.contains("données, "),
        "{given}"
    );
    // in the reports: the marks applied, from the committee
    let json = camille
        .get(&format!("{analysis}/fichiers/rapport.json"))
        .text();
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["marks"]["applied"], 2, "{}", report["marks"]);
    let recorded: Vec<&str> = report["marks"]["marks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["recorded"].as_str().unwrap())
        .collect();
    assert!(
        recorded.iter().any(|r| r.ends_with(" — camille"))
            && recorded.iter().any(|r| r.ends_with(" — chris")),
        "each mark says who recorded it: {recorded:?}"
    );
    // kept as data, each with who recorded it, and read by the command line
    let rows = data.rows("SELECT who, CAST(mark AS TEXT) FROM marks ORDER BY id");
    assert_eq!(rows, [["camille", "3"], ["chris", "1"]]);
    let out = crate::support::boussole_env(
        data.path(),
        &[
            "check",
            "--dossier",
            name,
            &data.args()[0],
            &data.args()[1],
            "--format",
            "json",
        ],
        &[],
    );
    let checked: serde_json::Value =
        serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stderr));
    assert_eq!(checked["marks"]["applied"], 2, "{}", out.stderr);
    assert!(
        checked["marks"]["source"].as_str().unwrap().contains(name),
        "{}",
        checked["marks"]
    );
    // exported with the dossier, read back elsewhere
    let archive = data.path().join("a.zip");
    let other = tempfile::tempdir().unwrap();
    for args in [
        vec![
            "export",
            name,
            "-o",
            archive.to_str().unwrap(),
            &data.args()[0],
            &data.args()[1],
        ],
        vec![
            "import",
            archive.to_str().unwrap(),
            "--data",
            other.path().to_str().unwrap(),
        ],
    ] {
        let mut all = vec!["dossier"];
        all.extend(args);
        let run = crate::support::boussole_env(data.path(), &all, &[]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let copied: u32 = rusqlite::Connection::open(other.path().join("dossiers.sqlite"))
        .unwrap()
        .query_row("SELECT COUNT(*) FROM marks", [], |r| r.get(0))
        .unwrap();
    assert_eq!(copied, 2);
}

fn the_project_group_keeps_its_opinion_in_its_dossier(data: &Place) {
    let name = "assistant-usagers";
    for (login, full) in [("gael", "Gaël Groupe"), ("leo", "Léo Lecteur")] {
        account(data, login, full);
    }
    let server = team(data, None);
    let gael = server.beside().logged_in("gael", PASSWORD);
    create(&gael, name, "");
    for (who, duty) in [("gael", "groupe-projet"), ("leo", "lecteur")] {
        let (code, out) = user(data, &["grant", who, name, duty], "");
        assert_eq!(code, 0, "{out}");
    }
    let leo = server.beside().logged_in("leo", PASSWORD);
    let review = |client: &Client| {
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
        answer.location()
    };
    let opinion = review(&gael);
    let page = gael.get(&opinion).text();
    assert!(
        page.contains("Garder l&#39;avis dans ce dossier")
            || page.contains("Garder l'avis dans ce dossier"),
        "{page}"
    );
    // a reader is offered no dossier to keep an opinion in, and is refused
    let own = review(&leo);
    assert!(!leo.get(&own).text().contains("/dossier\""));
    let refused = leo.post_form(
        &format!("{own}/dossier"),
        &[("dossier".into(), name.into())],
    );
    assert_eq!(refused.status, 403, "{}", refused.text());
    // another person's opinion is not theirs to keep
    let theirs = leo.post_form(
        &format!("{opinion}/dossier"),
        &[("dossier".into(), name.into())],
    );
    assert_eq!(theirs.status, 404);
    for _ in 0..2 {
        let kept = gael.post_form(
            &format!("{opinion}/dossier"),
            &[("dossier".into(), name.into())],
        );
        assert_eq!(kept.status, 303, "{}", kept.text());
    }
    let page = leo.get(&format!("/dossiers/{name}")).text();
    let row = &page[page.find("Avis du groupe projet</dt>").unwrap()..];
    assert!(
        row[..row.find("</dd>").unwrap()].contains("gardé (version 2)"),
        "{page}"
    );
    let files = data
        .rows("SELECT name, CAST(version AS TEXT) FROM files WHERE role = 'opinion' ORDER BY id");
    assert_eq!(
        files,
        [
            ["avis.docx", "1"],
            ["avis.json", "1"],
            ["avis.docx", "2"],
            ["avis.json", "2"]
        ]
    );
}

#[test]
fn everyone_logs_in_and_five_failures_in_a_row_lock_the_account_in_a_data_folder() {
    everyone_logs_in_and_five_failures_in_a_row_lock_the_account(&Place::folder());
}

#[test]
fn everyone_logs_in_and_five_failures_in_a_row_lock_the_account_on_postgresql() {
    if let Some(server) = Place::server() {
        everyone_logs_in_and_five_failures_in_a_row_lock_the_account(&server);
    }
}

#[test]
fn each_duty_opens_its_own_part_of_a_dossier_and_nobody_else_sees_it_in_a_data_folder() {
    each_duty_opens_its_own_part_of_a_dossier_and_nobody_else_sees_it(&Place::folder());
}

#[test]
fn each_duty_opens_its_own_part_of_a_dossier_and_nobody_else_sees_it_on_postgresql() {
    if let Some(server) = Place::server() {
        each_duty_opens_its_own_part_of_a_dossier_and_nobody_else_sees_it(&server);
    }
}

#[test]
fn a_session_outlives_a_restart_and_ends_at_logout_in_a_data_folder() {
    a_session_outlives_a_restart_and_ends_at_logout(&Place::folder());
}

#[test]
fn a_session_outlives_a_restart_and_ends_at_logout_on_postgresql() {
    if let Some(server) = Place::server() {
        a_session_outlives_a_restart_and_ends_at_logout(&server);
    }
}

#[test]
fn a_trusted_proxy_names_the_account_and_nobody_else_gets_in_in_a_data_folder() {
    a_trusted_proxy_names_the_account_and_nobody_else_gets_in(&Place::folder());
}

#[test]
fn a_trusted_proxy_names_the_account_and_nobody_else_gets_in_on_postgresql() {
    if let Some(server) = Place::server() {
        a_trusted_proxy_names_the_account_and_nobody_else_gets_in(&server);
    }
}

#[test]
fn committee_members_mark_free_text_and_nobody_else_does_in_a_data_folder() {
    committee_members_mark_free_text_and_nobody_else_does(&Place::folder());
}

#[test]
fn committee_members_mark_free_text_and_nobody_else_does_on_postgresql() {
    if let Some(server) = Place::server() {
        committee_members_mark_free_text_and_nobody_else_does(&server);
    }
}

#[test]
fn the_project_group_keeps_its_opinion_in_its_dossier_in_a_data_folder() {
    the_project_group_keeps_its_opinion_in_its_dossier(&Place::folder());
}

#[test]
fn the_project_group_keeps_its_opinion_in_its_dossier_on_postgresql() {
    if let Some(server) = Place::server() {
        the_project_group_keeps_its_opinion_in_its_dossier(&server);
    }
}

#[test]
fn two_lawyers_decide_one_finding_both_are_in_the_trail_and_the_last_one_counts_in_a_data_folder() {
    two_lawyers_decide_one_finding_both_are_in_the_trail_and_the_last_one_counts(&Place::folder());
}

#[test]
fn two_lawyers_decide_one_finding_both_are_in_the_trail_and_the_last_one_counts_on_postgresql() {
    if let Some(server) = Place::server() {
        two_lawyers_decide_one_finding_both_are_in_the_trail_and_the_last_one_counts(&server);
    }
}
