//! `boussole init`: write the commented example profile.

use std::path::PathBuf;

use crate::Error;
use crate::profile::load::TEMPLATE;

/// Arguments of `init`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  boussole init                 writes ./profil.toml
  boussole init consultations/2027-DN-017
  boussole init --force         replaces an existing profil.toml")]
pub struct Args {
    /// Folder to write profil.toml into (created if needed).
    #[arg(default_value = ".", value_name = "DIR")]
    pub dir: PathBuf,
    /// Replace an existing profil.toml.
    #[arg(long)]
    pub force: bool,
}

/// Writes `DIR/profil.toml`.
pub fn run(args: Args) -> Result<u8, Error> {
    let path = args.dir.join("profil.toml");
    crate::output::write(Some(&path), TEMPLATE.as_bytes(), args.force)?;
    eprintln!(
        "boussole: wrote {}; edit it, then run `boussole plan -p {}`",
        path.display(),
        path.display()
    );
    Ok(super::SUCCESS)
}
