//! `boussole serve`: the local web page.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use crate::Error;

/// Arguments of `serve`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  boussole serve                     prints the link that opens http://127.0.0.1:8450/
  boussole serve --open              and opens it in the browser
  boussole serve --port 9000
  boussole serve --listen 0.0.0.0:8450 --host-name achats.example --data /srv/boussole
                                     a team's server: each person logs in with an account
  boussole serve --listen 127.0.0.1:8450 --trusted-header X-Remote-User --data /srv/boussole
                                     behind the buyer's single sign-on proxy, which names the account

On 127.0.0.1 alone, the page answers only the browser that opened the printed link: the link
holds a key drawn at each launch, traded for a cookie; other accounts on this computer get
nothing. With --listen, each person logs in with an account of the data folder (`boussole user
add`), and sees only the dossiers where they hold a duty (`boussole user grant`): acheteur,
commission, juriste, groupe-projet, lecteur. Five failed logins in a row lock an account for 15
minutes. Session cookies are marked Secure (HTTPS, or http://localhost): put boussole behind a
TLS reverse proxy, or say --plain-http on a network you trust.
Everything stays on this computer: pages, styles and charts are inside boussole. The page's
« Dossiers » are those of `boussole dossier`, kept in the data folder: the files received in a
dossier and the legal review's decisions on its analysis are there after a restart. Work done
outside a dossier is kept in memory and forgotten when boussole stops (Ctrl+C).
  boussole serve --data /srv/boussole   the dossiers of that data folder")]
pub struct Args {
    /// The port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 8450, conflicts_with = "listen")]
    pub port: u16,
    /// Listen on this address instead of 127.0.0.1 (e.g. 0.0.0.0:8450); other
    /// machines may then reach the page.
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    /// A name the page is reached by besides the listening address (repeatable;
    /// e.g. achats.example or achats.example:8450); required with 0.0.0.0 or [::].
    #[arg(long = "host-name", value_name = "NAME", requires = "listen")]
    pub host_names: Vec<String>,
    /// Open the page in the browser.
    #[arg(long, conflicts_with = "listen")]
    pub open: bool,
    /// With --listen: the account is named in this request header by a trusted reverse proxy
    /// (the buyer's single sign-on) instead of a password; only that proxy must reach boussole.
    #[arg(long, value_name = "HEADER", requires = "listen")]
    pub trusted_header: Option<String>,
    /// With --listen: session cookies without the Secure mark, for a team reaching boussole
    /// over plain HTTP (passwords then cross the network in clear).
    #[arg(long, requires = "listen")]
    pub plain_http: bool,
    /// A customised copy of the library (a folder like clauses/); without it, the embedded one.
    #[arg(long, value_name = "DIR")]
    pub library: Option<PathBuf>,
    /// Files checked at once (default: the number of cores).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// The dossiers' data folder, the same as `boussole dossier`'s (default: $BOUSSOLE_DATA,
    /// else the platform's folder for application data, e.g. ~/.local/share/boussole).
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// The dossiers and accounts on a PostgreSQL server instead of the data folder, e.g.
    /// postgres://boussole@db.example/boussole (default: $BOUSSOLE_DATABASE): a team's server.
    #[arg(long, value_name = "URL", conflicts_with = "data")]
    pub database: Option<String>,
}

/// Serves until interrupted.
pub fn run(args: Args) -> Result<u8, Error> {
    let addr = match args.listen {
        Some(addr) => {
            if addr.ip().is_unspecified() && args.host_names.is_empty() {
                return Err(Error::Usage(format!(
                    "--listen {addr}: name the address other machines will use with \
                     --host-name (e.g. --host-name achats.example); requests to other names \
                     are refused"
                )));
            }
            if !addr.ip().is_loopback() {
                eprintln!(
                    "boussole: warning: listening on {addr}: other machines may reach the page \
                     (each person logs in); without a TLS reverse proxy in front, passwords and \
                     files cross the network in clear"
                );
            }
            addr
        }
        None => SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), args.port),
    };
    let config = crate::web::Config {
        isolate: std::env::current_exe().ok(),
        hosts: Vec::new(),
        jobs: args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
        library: crate::library::load(args.library.as_deref())?,
        limits: crate::web::Limits::default(),
        // no data folder to be found (no home folder): the page works
        // without dossiers rather than not at all
        data: match crate::dossier::data_dir(args.data.as_deref()) {
            Ok(dir) => Some(dir),
            Err(e) if args.listen.is_some() => return Err(e),
            Err(e) => {
                eprintln!("boussole: warning: {e}; the page's dossiers are off");
                None
            }
        },
        database: super::dossier::database(args.database.as_deref(), args.data.is_some()),
        access: match args.listen {
            None => crate::web::Access::Local,
            Some(_) => crate::web::Access::Accounts(crate::web::Team {
                header: args.trusted_header.clone(),
                secure: !args.plain_http,
            }),
        },
    };
    match (&config.database, &config.data) {
        (Some(url), _) => eprintln!(
            "boussole: dossiers kept on {}",
            crate::dossier::redacted(url)
        ),
        (None, Some(dir)) => eprintln!("boussole: dossiers kept in {}", dir.display()),
        (None, None) => {}
    }
    crate::web::serve(addr, &args.host_names, config, args.open)?;
    Ok(super::SUCCESS)
}
