//! A `boussole serve` process killed before it commits a change to a
//! dossier (an upload, a decision) leaves the dossier as it was: the files,
//! the trail and the decisions, the database intact — in a data folder's
//! SQLite file and on a PostgreSQL server alike.

use std::path::Path;

use boussole::web::Limits;

use crate::serve::{OFFERS, offer};
use crate::serve_dossier::answered;
use crate::web_client::{Client, config, set};

/// Where the dossiers are: a data folder, or a PostgreSQL server's address.
enum Db<'a> {
    Folder(&'a Path),
    Server(&'a str),
}

impl Db<'_> {
    /// The option naming it on the command line.
    fn args(&self) -> [&str; 2] {
        match self {
            Db::Folder(p) => ["--data", p.to_str().unwrap()],
            Db::Server(url) => ["--database", url],
        }
    }

    /// A server on it, in process, opened through its link.
    fn client(&self) -> Client {
        let mut setup = config(Limits::default());
        match self {
            Db::Folder(p) => setup.data = Some(p.to_path_buf()),
            Db::Server(url) => setup.database = Some(url.to_string()),
        }
        Client::with(setup)
    }
}

/// `boussole serve` as a child process on `db`, with `env`: the child, its
/// address, the link it printed, its standard error.
fn spawn_serve(
    db: &Db,
    env: &[(&str, &str)],
) -> (
    std::process::Child,
    String,
    String,
    std::process::ChildStderr,
) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_boussole"))
        .args(["serve", "--port", "0"])
        .args(db.args())
        .envs(env.iter().copied())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let mut printed = String::new();
    let (mut addr, mut link) = (String::new(), String::new());
    while link.is_empty() {
        let line = lines.next().expect("serve printed its link").unwrap();
        printed += &line;
        if let Some(rest) = line.split("serving on http://").nth(1) {
            addr = rest.split('/').next().unwrap().to_string();
        }
        if let Some((_, path)) = line.split_once("/entree?") {
            link = format!("/entree?{}", path.trim());
        }
    }
    assert!(!addr.is_empty(), "{printed}");
    let stderr = child.stderr.take().unwrap();
    (child, addr, link, stderr)
}

/// Sends one request to `addr`; the connection, to read the answer from
/// (or to leave open while the server is killed mid-request).
fn send(addr: &str, head: &str, body: &[u8]) -> std::net::TcpStream {
    use std::io::Write;
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(60)))
        .unwrap();
    let head = format!(
        "{head}\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    stream
}

/// Sends a GET of `path` (with `cookie`) to `addr`; the whole answer.
fn get(addr: &str, path: &str, cookie: &str) -> String {
    let head = format!("GET {path} HTTP/1.1\r\nCookie: {cookie}");
    crate::web_client::read_all(&mut send(addr, &head, b""))
}

/// The cookie the printed link gives, and the form token of the page at `path`.
fn enter(addr: &str, link: &str, path: &str) -> (String, String, String) {
    let entered = get(addr, link, "");
    let cookie = entered
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: "))
        .expect("the link sets a cookie")
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let page = get(addr, path, &cookie);
    let token = page
        .split("name=\"jeton\" value=\"")
        .nth(1)
        .and_then(|t| t.split('"').next())
        .expect("the form's token")
        .to_string();
    (cookie, token, page)
}

/// Waits until the child says it is about to commit.
fn pausing(stderr: &mut std::process::ChildStderr) {
    use std::io::Read;
    let mut said = Vec::new();
    let mut byte = [0u8; 1];
    while !String::from_utf8_lossy(&said).contains("pausing before commit") {
        assert_eq!(
            stderr.read(&mut byte).unwrap(),
            1,
            "the server ended: {}",
            String::from_utf8_lossy(&said)
        );
        said.push(byte[0]);
    }
}

/// What the database holds: its integrity (SQLite's own check; a
/// PostgreSQL server checks its pages itself), files, trail entries,
/// decisions.
fn counts(db: &Db) -> (String, i64, i64, i64) {
    let tables = ["files", "audit", "decisions"];
    let (integrity, n): (String, Vec<i64>) = match db {
        Db::Folder(p) => {
            let db = rusqlite::Connection::open(p.join("dossiers.sqlite")).unwrap();
            let n = |table: &str| -> i64 {
                db.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
                    .unwrap()
            };
            let integrity: String = db
                .query_row("PRAGMA integrity_check", [], |r| r.get(0))
                .unwrap();
            (integrity, tables.iter().map(|t| n(t)).collect())
        }
        Db::Server(url) => {
            let mut db = postgres::Client::connect(url, postgres::NoTls).unwrap();
            let mut n = |table: &str| -> i64 {
                db.query_one(&format!("SELECT COUNT(*) FROM {table}"), &[])
                    .unwrap()
                    .get(0)
            };
            ("ok".into(), tables.iter().map(|t| n(t)).collect())
        }
    };
    (integrity, n[0], n[1], n[2])
}

#[test]
fn a_server_killed_mid_upload_or_mid_decision_leaves_the_dossier_as_it_was() {
    let data = tempfile::tempdir().unwrap();
    killed(&Db::Folder(data.path()));
}

#[test]
fn a_server_killed_mid_upload_or_mid_decision_leaves_postgresql_as_it_was() {
    if let Some(server) = crate::postgres::Server::start() {
        killed(&Db::Server(&server.url));
    }
}

fn killed(db: &Db) {
    let name = "ia-accueil-2027";
    let analysis = answered(&db.client(), name);
    let review = format!("{analysis}/revue");
    let before = counts(db);
    assert_eq!((before.0.as_str(), before.3), ("ok", 0));

    // A server that pauses before each commit, killed there.
    let pause = [("BOUSSOLE_TEST_PAUSE_BEFORE_COMMIT", "60000")];
    let (mut child, addr, link, mut stderr) = spawn_serve(db, &pause);
    let (cookie, token, page) = enter(&addr, &link, &review);
    let select = page
        .split("<select id=\"d-3-")
        .nth(1)
        .and_then(|t| t.split('"').next())
        .map(|k| format!("d-3-{k}"))
        .expect("a finding of the fourth file");

    // Killed mid-decision.
    let body = crate::web_client::form_body(&[
        ("jeton".into(), token.clone()),
        ("relecteur".into(), "Maître Dupont".into()),
        (select.clone(), "lifted".into()),
    ]);
    let head = format!(
        "POST {review} HTTP/1.1\r\nCookie: {cookie}\r\n\
         Content-Type: application/x-www-form-urlencoded"
    );
    let _open = send(&addr, &head, body.as_bytes());
    pausing(&mut stderr);
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(counts(db), before, "no decision, no entry");

    // Killed mid-upload, on a server started again the same way.
    let (mut child, addr, link, mut stderr) = spawn_serve(db, &pause);
    let (cookie, token, _) = enter(&addr, &link, &format!("/analyse?dossier={name}"));
    let boundary = "----kill-test";
    let mut body = Vec::new();
    for (field, value) in [("jeton", token.as_str()), ("dossier", name)] {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"reponses\"; \
             filename=\"nouvelle.xlsx\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(&offer(OFFERS[0]));
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let head = format!(
        "POST /analyse HTTP/1.1\r\nCookie: {cookie}\r\n\
         Content-Type: multipart/form-data; boundary={boundary}"
    );
    let _open = send(&addr, &head, &body);
    pausing(&mut stderr);
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(counts(db), before, "no file, no entry");

    // Started again without pausing: the same decision is kept whole.
    let client = db.client();
    let mut form = client.form_values(&review, &review);
    set(&mut form, &select, "lifted");
    set(&mut form, "relecteur", "Maître Dupont");
    assert_eq!(client.post_form(&review, &form).status, 303);
    let after = counts(db);
    assert_eq!((after.2, after.3), (before.2 + 1, 1));
    assert!(
        client
            .get(&review)
            .text()
            .contains("constat levé par Maître Dupont")
    );
}
