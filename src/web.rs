//! `boussole serve`: the same work in a browser, on the buyer's own machine.
//!
//! A local web page for buyers and legal staff who do not open a terminal.
//! It calls the library the command line uses — [`crate::selection`],
//! [`crate::annex`], [`crate::questionnaire`], [`crate::report`],
//! [`crate::grid`] — and adds no second way of reading, scoring or writing.
//!
//! ```text
//!  /consultation ─► profile form ─► /consultation/{id} ─► annex, questionnaire, lock, profile
//!  /analyse ──────► returned files ─► /analyse/{id} ─► per vendor, radar, reports
//!                                     /analyse/{id}/revue ─► decisions ─► reports
//!  /grille ───────► grid, completed grid ─► /grille/avis/{id} ─► opinion
//!  /dossiers ─────► new dossier ─► /dossiers/{name} ─► files, timeline
//!     /consultation/{id} ─► questionnaire kept in a dossier
//!     /analyse?dossier=NAME ─► answers kept ─► /analyse/dossier-NAME ─► revue ─► decisions kept
//! ```
//!
//! Safety, by construction:
//!
//! - it listens on 127.0.0.1 unless told otherwise, and answers only
//!   requests addressed to the names it listens on or was given (`guard`: a
//!   page from elsewhere that rebinds a domain name to 127.0.0.1 is refused);
//! - on 127.0.0.1 it answers only the browser that opened the link it
//!   printed (`session`: a secret drawn at each launch, traded for a
//!   cookie): other accounts on the same computer get nothing; on a team's
//!   server (`--listen`) only accounts of the data folder, logged in with
//!   their password or named by a trusted proxy (`access`, `login`); who is
//!   asking is known before a request's body is read, and each dossier's
//!   page and action is checked against their duty in it;
//! - every form carries the visitor's secret token (the server's on
//!   127.0.0.1, each session's own on a team's server), checked before any
//!   work (cross-site request forgery), and a cross-origin `Origin` is
//!   refused;
//! - connections are bounded in number and in time (`connection`): a slow
//!   or idle one is closed, one over the cap closed at once;
//! - uploads are bounded in count and size (`upload`) and read by the same
//!   hardened readers as `boussole check`, from memory: nothing the browser
//!   sends becomes a path, nothing is written to disk;
//! - HTML is written with [`maud`], which escapes every string it is given:
//!   vendor text cannot become markup; a content security policy forbids
//!   scripts and anything not served by boussole itself;
//! - work done in a dossier (`dossier`, `kept`) is kept in the data
//!   folder's database, the same as `boussole dossier`'s: the questionnaire
//!   issued, the answers as received, legal staff's decisions; a dossier's
//!   analysis is derived again from its files, at the same address, after
//!   a restart; each change is one transaction, recorded in its trail;
//! - other work is kept in memory, a bounded number and size of items of
//!   each kind (`store`), and lost when the server stops.

mod access;
mod analysis;
mod award;
mod connection;
mod consultation;
mod dossier;
mod form;
mod grid;
mod guard;
mod kept;
mod labels;
mod login;
mod marks;
mod page;
mod review;
mod session;
mod store;
mod upload;
mod vendor;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::Error;
use crate::library::Library;

pub use access::{Access, Team};
pub use connection::{Limits, run};
pub use guard::TOKEN_FIELD;
pub use session::ENTRY;
pub use upload::{MAX_FILES, MAX_UPLOAD};

/// Largest form without files (the profile, the legal review): 4 MiB.
pub const MAX_FORM: usize = 4 * 1024 * 1024;

/// How the server is set up.
#[derive(Debug, Clone)]
pub struct Config {
    /// The boussole binary, to read XLS files in a child process (see
    /// [`crate::response::sandbox`]); `None` reads them in-process.
    pub isolate: Option<PathBuf>,
    /// The `Host` values requests may carry (`127.0.0.1:8450`, `localhost:8450`…),
    /// the listening address first; a request with another is refused.
    pub hosts: Vec<String>,
    /// Files checked at once.
    pub jobs: usize,
    /// The library (the embedded one unless `--library`).
    pub library: Library,
    /// Connections, deadlines and memory.
    pub limits: Limits,
    /// The dossiers' data folder (`--data`, as the command line's); `None`
    /// keeps every work in memory only.
    pub data: Option<PathBuf>,
    /// Who may use the page: the person who started it, or accounts (which
    /// need the data folder).
    pub access: Access,
    /// A PostgreSQL server holding the dossiers instead of the data
    /// folder's SQLite file (`--database`).
    pub database: Option<String>,
}

impl Config {
    /// The `Host` values of a server listening on `addr`: its address, the
    /// loopback names for a loopback address, and the `names` it was given
    /// (with the port when they have none).
    pub fn hosts_for(addr: SocketAddr, names: &[String]) -> Vec<String> {
        let port = addr.port();
        let mut hosts = vec![addr.to_string()];
        let loopback = ["127.0.0.1", "localhost", "[::1]"];
        let extra = if addr.ip().is_loopback() {
            &loopback[..]
        } else {
            &[]
        };
        for name in extra
            .iter()
            .copied()
            .chain(names.iter().map(String::as_str))
        {
            let with_port = name.rsplit_once(':').is_some_and(|(_, p)| {
                !name.ends_with(']') && !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())
            });
            let h = if with_port {
                name.to_string()
            } else {
                format!("{name}:{port}")
            };
            if !hosts.iter().any(|k| k.eq_ignore_ascii_case(&h)) {
                hosts.push(h);
            }
        }
        hosts
    }
}

/// What every request sees.
pub struct State {
    config: Config,
    /// The secret every form carries.
    token: String,
    /// The secrets that open the page.
    secrets: session::Secrets,
    /// The name of the cookie of an account's session (with the port, as
    /// the local page's).
    account_cookie: String,
    tenders: Mutex<store::Store<consultation::Tender>>,
    batches: Mutex<store::Store<analysis::Batch>>,
    opinions: Mutex<store::Store<grid::Reviewed>>,
    /// The dossiers' database, when a data folder was given.
    dossiers: Option<Mutex<crate::dossier::Store>>,
    /// The analyses of dossiers, derived from their stored files.
    derived: Mutex<kept::Derived>,
}

/// The state, shared by the handlers.
pub type Shared = Arc<State>;

impl State {
    /// The form token of this server (tests post forms with it).
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The path and query of the link that opens the page (printed by `serve`).
    pub fn link(&self) -> String {
        self.secrets.link()
    }

    /// The path and query of a link that opens the page once.
    pub fn link_once(&self) -> Result<String, Error> {
        self.secrets.link_once()
    }
}

/// The application: every route, behind the guard.
pub fn app(config: Config) -> Result<(Router, Shared), Error> {
    let kept = config.limits.kept;
    // The port, from the listening address (the first name).
    let port = config
        .hosts
        .first()
        .and_then(|h| h.rsplit_once(':'))
        .and_then(|(_, p)| p.parse().ok())
        .unwrap_or(0);
    let dossiers = match (&config.database, &config.data) {
        (Some(url), _) => Some(Mutex::new(crate::dossier::Store::connect(url)?)),
        (None, Some(dir)) => Some(Mutex::new(crate::dossier::Store::open(dir)?)),
        (None, None) => None,
    };
    if dossiers.is_none() && config.access != Access::Local {
        return Err(Error::Usage(
            "accounts are kept in the data folder: give one with --data".into(),
        ));
    }
    let state = Arc::new(State {
        config,
        dossiers,
        derived: Mutex::new(kept::Derived::default()),

        token: store::random_id()?,
        secrets: session::Secrets::new(port)?,
        account_cookie: format!("boussole-compte-{port}"),
        tenders: Mutex::new(store::Store::new(50, kept)),
        batches: Mutex::new(store::Store::new(20, kept)),
        opinions: Mutex::new(store::Store::new(20, kept)),
    });
    let router = Router::new()
        .route("/", get(page::home))
        .route(session::ENTRY, get(session::enter))
        .route(
            login::LOGIN,
            get(login::form)
                .post(login::submit)
                .layer(DefaultBodyLimit::max(MAX_FORM)),
        )
        .route(login::LOGOUT, post(login::logout))
        .route(login::ACCOUNT, get(login::show))
        .route("/style.css", get(page::style))
        .route("/langue/{lang}", get(page::language))
        .route(
            "/consultation",
            get(consultation::form)
                .post(consultation::submit)
                .layer(DefaultBodyLimit::max(MAX_FORM)),
        )
        .route("/consultation/profil", post(consultation::upload))
        .route("/dossiers", get(dossier::list).post(dossier::create))
        .route("/dossiers/{name}", get(dossier::show))
        .route("/dossiers/{name}/consultation", post(kept::resume))
        .route("/consultation/{id}/dossier", post(kept::issue))
        .route("/consultation/{id}", get(consultation::show))
        .route("/consultation/{id}/{file}", get(consultation::download))
        .route("/analyse", get(analysis::form).post(analysis::submit))
        .route("/analyse/{id}", get(analysis::results))
        .route("/analyse/{id}/offre/{n}", get(vendor::page))
        .route(
            "/analyse/{id}/offre/{n}/attribution/{file}",
            get(award::download),
        )
        .route("/analyse/{id}/radar.png", get(analysis::radar))
        .route("/revue", get(review::index))
        .route(
            "/analyse/{id}/revue",
            get(review::form)
                .post(review::submit)
                .layer(DefaultBodyLimit::max(MAX_FORM)),
        )
        .route("/analyse/{id}/fichiers/{file}", get(analysis::download))
        .route("/analyse/{id}/courriers/{file}", post(kept::record))
        .route(
            "/analyse/{id}/notes",
            get(marks::form)
                .post(marks::submit)
                .layer(DefaultBodyLimit::max(MAX_FORM)),
        )
        .route("/grille", get(grid::page).post(grid::submit))
        .route("/grille/fichiers/{file}", get(grid::download))
        .route("/grille/avis/{id}", get(grid::opinion))
        .route("/grille/avis/{id}/{file}", get(grid::opinion_download))
        .route("/grille/avis/{id}/dossier", post(kept::keep_opinion))
        .fallback(page::not_found)
        .layer(DefaultBodyLimit::max(upload::MAX_UPLOAD))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::guard,
        ))
        .with_state(state.clone());
    Ok((router, state))
}

/// Serves on `addr` until interrupted, answering to `names` besides its
/// address; opens the browser with `open`.
pub fn serve(addr: SocketAddr, names: &[String], config: Config, open: bool) -> Result<(), Error> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Usage(format!("cannot start the server: {e}")))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| Error::Usage(format!("cannot listen on {addr}: {e}")))?;
        let local = listener
            .local_addr()
            .map_err(|e| Error::Usage(format!("cannot listen on {addr}: {e}")))?;
        let mut config = config;
        config.hosts = Config::hosts_for(local, names);
        let limits = config.limits;
        // The printed address: the first name given (after the listening
        // address), or that address on loopback or without names.
        let shown = match config.hosts.get(1) {
            Some(name) if !local.ip().is_loopback() => name.clone(),
            _ => local.to_string(),
        };
        let (router, state) = app(config)?;
        if state.config.access != Access::Local {
            println!(
                "boussole: serving on http://{shown}/ (Ctrl+C to stop)\n\
                 boussole: each person logs in with their account (`boussole user add`)"
            );
            let accounts = state
                .dossiers
                .as_ref()
                .and_then(|s| s.lock().ok()?.accounts().ok())
                .map_or(0, |a| a.len());
            if accounts == 0 {
                eprintln!(
                    "boussole: warning: no account yet: create one with `boussole user add NAME` \
                     on the same data folder, then give it duties with `boussole user grant`"
                );
            }
        } else {
            println!(
                "boussole: serving on http://{shown}/ (Ctrl+C to stop)\n\
                 boussole: open the page with this link (it holds the page's key, keep it to yourself):\n  \
                 http://{shown}{}",
                state.link()
            );
        }
        if open && state.config.access == Access::Local {
            open_browser(&format!("http://{shown}{}", state.link_once()?));
        }
        connection::run(listener, router, limits, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
        Ok(())
    })
}

/// Opens `url` in the desktop's browser; says so when it cannot.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let started = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if started.is_err() {
        eprintln!("boussole: could not open a browser ({opener}): open the link above yourself");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_answers_to_the_names_it_listens_on() {
        let loopback = Config::hosts_for("127.0.0.1:8450".parse().unwrap(), &[]);
        assert_eq!(loopback, ["127.0.0.1:8450", "localhost:8450", "[::1]:8450"]);
        let lan = Config::hosts_for("192.168.1.20:8450".parse().unwrap(), &[]);
        assert_eq!(lan, ["192.168.1.20:8450"]);
        let names = ["achats.example".to_string(), "10.0.0.5:80".to_string()];
        let every = Config::hosts_for("0.0.0.0:8450".parse().unwrap(), &names);
        assert_eq!(
            every,
            ["0.0.0.0:8450", "achats.example:8450", "10.0.0.5:80"]
        );
    }
}
