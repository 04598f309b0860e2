//! The dossiers on a real PostgreSQL server, started by the test itself
//! from Debian's server binaries (`initdb`, `pg_ctl`) in a temporary folder,
//! on a free port of 127.0.0.1: the same scenarios as on SQLite — a team's
//! dossier worked on over HTTP by each duty, marks and decisions read back
//! by `check --dossier`, export to a ZIP and import into a data folder with
//! the same files and hashes, the append-only tables' refusals. Where no
//! server can be started (no binaries), each test says so and passes over.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A PostgreSQL server of the test's own, stopped when dropped.
pub struct Server {
    dir: tempfile::TempDir,
    bin: PathBuf,
    /// Run as this user when the tests run as root (`initdb` refuses root).
    user: Option<String>,
    /// The connection address.
    pub url: String,
}

impl Server {
    /// Starts one, or says why not and gives `None` — unless
    /// `BOUSSOLE_TEST_POSTGRES=required` (as `.ci/run` sets it, having
    /// installed the server), when not starting is a failure.
    pub fn start() -> Option<Server> {
        let server = Server::try_start();
        let required = std::env::var("BOUSSOLE_TEST_POSTGRES").is_ok_and(|v| v == "required");
        assert!(
            server.is_some() || !required,
            "BOUSSOLE_TEST_POSTGRES=required and no PostgreSQL server could be started"
        );
        server
    }

    fn try_start() -> Option<Server> {
        let Some(bin) = binaries() else {
            eprintln!(
                "postgres: no PostgreSQL server binaries (apt-get install postgresql): passed over"
            );
            return None;
        };
        let root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
        let user = root.then(|| "postgres".to_string());
        let dir = tempfile::tempdir().ok()?;
        let data = dir.path().join("data");
        if let Some(u) = &user {
            // the server's user owns the folder it writes in
            let ok = Command::new("chown")
                .args(["-R", &format!("{u}:"), dir.path().to_str()?])
                .status()
                .is_ok_and(|s| s.success());
            if !ok {
                eprintln!("postgres: cannot give the folder to user {u}: passed over");
                return None;
            }
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .ok()?
            .local_addr()
            .ok()?
            .port();
        let server = Server {
            url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
            dir,
            bin,
            user,
        };
        let data = data.to_str()?.to_string();
        let log = server.dir.path().join("log").to_str()?.to_string();
        let socket = server.dir.path().to_str()?.to_string();
        let options = format!("-p {port} -k {socket} -c listen_addresses=127.0.0.1 -c fsync=off");
        let steps: [Vec<&str>; 2] = [
            vec![
                "initdb",
                "-D",
                &data,
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
            vec![
                "pg_ctl", "-D", &data, "-o", &options, "-l", &log, "-w", "-t", "60", "start",
            ],
        ];
        for step in steps {
            let out = server.run(&step);
            if !out.as_ref().is_some_and(|o| o.status.success()) {
                let said = out
                    .map(|o| String::from_utf8_lossy(&o.stderr).into_owned())
                    .unwrap_or_default();
                eprintln!("postgres: {} failed ({said}): passed over", step[0]);
                return None;
            }
        }
        Some(server)
    }

    fn run(&self, args: &[&str]) -> Option<std::process::Output> {
        let program = self.bin.join(args[0]);
        let mut command = match &self.user {
            Some(u) => {
                let mut c = Command::new("runuser");
                c.args(["-u", u, "--"]).arg(&program);
                c
            }
            None => Command::new(&program),
        };
        command
            .args(&args[1..])
            .current_dir(self.dir.path())
            .output()
            .ok()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let data = self.dir.path().join("data");
        if let Some(data) = data.to_str() {
            self.run(&["pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"]);
        }
    }
}

/// The newest PostgreSQL server binaries of the machine.
fn binaries() -> Option<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| {
            let e = e.ok()?;
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin)
}

/// `boussole dossier ARGS --database URL`.
fn dossier(url: &str, args: &[&str], dir: &Path) -> crate::support::Run {
    let mut all = vec!["dossier"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--database", url]);
    crate::support::boussole_env(dir, &all, &[("USER", "ana"), ("USERNAME", "ana")])
}

#[test]
fn a_dossier_on_postgresql_keeps_its_files_trail_and_refusals_and_travels_to_sqlite() {
    let Some(server) = Server::start() else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let url = server.url.as_str();
    let offer = crate::support::fixture("demo/atelier-numerique-loire.xlsx");
    for args in [
        vec![
            "new",
            "ia-accueil-2027",
            "--title",
            "Assistant IA pour l'accueil",
        ],
        vec![
            "add",
            "ia-accueil-2027",
            "--role",
            "offer",
            offer.to_str().unwrap(),
        ],
        vec![
            "add",
            "ia-accueil-2027",
            "--role",
            "offer",
            offer.to_str().unwrap(),
        ],
    ] {
        let run = dossier(url, &args, work.path());
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    }
    let shown = dossier(
        url,
        &["show", "ia-accueil-2027", "--format", "json"],
        work.path(),
    );
    let d: serde_json::Value = serde_json::from_str(&shown.stdout).unwrap();
    let versions: Vec<u64> = d["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["version"].as_u64().unwrap())
        .collect();
    assert_eq!(
        versions,
        [1, 2],
        "the same name received again is its next version"
    );
    assert_eq!(d["audit"][0]["who"], "ana");
    // the server refuses to change the trail, as SQLite does
    let mut store = boussole::dossier::Store::connect(url).unwrap();
    store.record("ia-accueil-2027", "exported", "test").unwrap();
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    let refused = client
        .execute("UPDATE audit SET who = 'x'", &[])
        .unwrap_err();
    assert!(
        format!("{refused:?}").contains("append-only"),
        "{refused:?}"
    );
    // opened again: the migrations are not applied twice
    drop(store);
    let store = boussole::dossier::Store::connect(url).unwrap();
    let applied: i64 = client
        .query_one("SELECT COUNT(*) FROM migrations", &[])
        .unwrap()
        .get(0);
    assert_eq!(applied as usize, boussole::dossier::schema::POSTGRES.len());
    drop(store);
    // exported from PostgreSQL, imported into a data folder: the same files
    let archive = work.path().join("a.zip");
    let run = dossier(
        url,
        &["export", "ia-accueil-2027", "-o", archive.to_str().unwrap()],
        work.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let folder = work.path().join("donnees");
    let run = crate::support::boussole_env(
        work.path(),
        &[
            "dossier",
            "import",
            archive.to_str().unwrap(),
            "--data",
            folder.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let local = boussole::dossier::Store::open(&folder).unwrap();
    let copied = local.dossier("ia-accueil-2027").unwrap();
    let from = boussole::dossier::Store::connect(url)
        .unwrap()
        .dossier("ia-accueil-2027")
        .unwrap();
    let hashes = |d: &boussole::dossier::Dossier| {
        d.files
            .iter()
            .map(|f| (f.path.clone(), f.sha256.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(hashes(&copied), hashes(&from));
    // the trail as archived: all but the export's own entry, then the import's
    let archived = &from.audit[..from.audit.len() - 1];
    assert_eq!(&copied.audit[..copied.audit.len() - 1], archived);
    assert_eq!(copied.audit.last().unwrap().action, "imported");
}
