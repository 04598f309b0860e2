//! `boussole serve`: the local web page.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use crate::Error;

/// Arguments of `serve`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  boussole serve                     http://127.0.0.1:8450/
  boussole serve --open              and open it in the browser
  boussole serve --port 9000
  boussole serve --listen 0.0.0.0:8450    other machines too (a warning: think twice)

Everything stays on this computer: pages, styles and charts are inside boussole, files
sent to the page are read in memory and forgotten when boussole stops (Ctrl+C).")]
pub struct Args {
    /// The port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 8450, conflicts_with = "listen")]
    pub port: u16,
    /// Listen on this address instead of 127.0.0.1 (e.g. 0.0.0.0:8450); other
    /// machines may then reach the page.
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    /// Open the page in the browser.
    #[arg(long)]
    pub open: bool,
    /// A customised copy of the library (a folder like clauses/); without it, the embedded one.
    #[arg(long, value_name = "DIR")]
    pub library: Option<PathBuf>,
    /// Files checked at once (default: the number of cores).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
}

/// Serves until interrupted.
pub fn run(args: Args) -> Result<u8, Error> {
    let addr = match args.listen {
        Some(addr) => {
            if !addr.ip().is_loopback() {
                eprintln!(
                    "boussole: warning: listening on {addr}: other machines may reach the page \
                     and the files sent to it; use it only on a network you trust"
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
    };
    crate::web::serve(addr, config, args.open)?;
    Ok(super::SUCCESS)
}
