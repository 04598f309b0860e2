//! `boussole user`: the accounts of a shared server (`serve --listen`) and
//! their duties per dossier, kept in the data folder's database.

use std::io::{BufRead, IsTerminal, Read};

use super::dossier::{Data, Format};
use crate::Error;
use crate::dossier::{Duty, account};

/// The `user` commands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create an account; its password is asked for (twice on a terminal, else one line of
    /// standard input).
    #[command(after_help = "\
Examples:
  boussole user add marie.durand --full-name \"Marie Durand\" --data /srv/boussole
  printf '%s\\n' \"$MOT_DE_PASSE\" | boussole user add paul.martin --full-name \"Paul Martin\"
  boussole user add marie.durand@metropole.example --proxy
                                     named by the single sign-on proxy (serve --trusted-header)

A password has at least 12 characters; only its argon2id hash is kept. After 5 failed logins
in a row the account is locked for 15 minutes (`boussole user unlock` lifts it).")]
    Add(AddArgs),
    /// Change an account's password (its sessions are closed, its lockout lifted).
    #[command(after_help = "\
Examples:
  boussole user password marie.durand --data /srv/boussole")]
    Password(NameArgs),
    /// Lift an account's lockout after failed logins.
    #[command(after_help = "\
Examples:
  boussole user unlock marie.durand")]
    Unlock(NameArgs),
    /// List the accounts and their duties per dossier.
    #[command(after_help = "\
Examples:
  boussole user list --data /srv/boussole
  boussole user list --format json")]
    List(ListArgs),
    /// Give an account a duty in a dossier (recorded in the dossier's timeline).
    #[command(after_help = "\
Examples:
  boussole user grant marie.durand ia-accueil-2027 juriste
  boussole user grant paul.martin ia-accueil-2027 acheteur

Duties: acheteur (profile, documents issued, answers received), commission (marks),
juriste (decisions on findings, letters), groupe-projet (grid, opinion), lecteur (reads
only). Everyone with a duty in a dossier reads it; nobody else sees it.")]
    Grant(DutyArgs),
    /// Take a duty in a dossier back from an account (recorded in the dossier's timeline).
    #[command(after_help = "\
Examples:
  boussole user revoke paul.martin ia-accueil-2027 acheteur")]
    Revoke(DutyArgs),
}

/// Arguments of `user add`.
#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// The login: letters, digits, '-', '_', '.' or '@'.
    pub name: String,
    /// The person's name, as pages and timelines show it (default: the login).
    #[arg(long, value_name = "NAME")]
    pub full_name: Option<String>,
    /// No password: the account is named by the trusted proxy's header only.
    #[arg(long)]
    pub proxy: bool,
    #[command(flatten)]
    pub data: Data,
}

/// Arguments naming one account.
#[derive(Debug, clap::Args)]
pub struct NameArgs {
    /// The login.
    pub name: String,
    #[command(flatten)]
    pub data: Data,
}

/// Arguments of `user list`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    #[command(flatten)]
    pub data: Data,
}

/// Arguments of `user grant` and `user revoke`.
#[derive(Debug, clap::Args)]
pub struct DutyArgs {
    /// The login.
    pub name: String,
    /// The dossier.
    pub dossier: String,
    /// The duty.
    #[arg(value_enum)]
    pub duty: Duty,
    #[command(flatten)]
    pub data: Data,
}

/// Runs a `user` command.
pub fn run(command: Command) -> Result<u8, Error> {
    match command {
        Command::Add(a) => {
            account::check_account_name(&a.name).map_err(Error::Usage)?;
            let hash = if a.proxy {
                None
            } else {
                Some(account::hash(&new_password()?)?)
            };
            let full_name = a.full_name.as_deref().unwrap_or(&a.name).trim();
            let mut store = a.data.open()?;
            store.add_account(&a.name, full_name, hash.as_deref())?;
            eprintln!(
                "boussole: compte «{}» créé dans {}",
                crate::text::terminal(&a.name),
                store.path().display()
            );
        }
        Command::Password(a) => {
            let mut store = a.data.open()?;
            if store.person(&a.name)?.is_none() {
                return Err(Error::Usage(format!(
                    "{}: no account named «{}» (`boussole user list` shows them)",
                    store.path().display(),
                    a.name
                )));
            }
            let hash = account::hash(&new_password()?)?;
            store.set_password(&a.name, &hash)?;
            eprintln!("boussole: mot de passe changé, sessions fermées");
        }
        Command::Unlock(a) => {
            a.data.open()?.unlock(&a.name)?;
            eprintln!("boussole: compte débloqué");
        }
        Command::List(a) => {
            let accounts = a.data.open()?.accounts()?;
            match a.format {
                Format::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&accounts).unwrap_or_default()
                ),
                Format::Text => {
                    if accounts.is_empty() {
                        println!("Aucun compte : `boussole user add NOM` en crée un.");
                    }
                    for acc in &accounts {
                        let how = if acc.password {
                            "mot de passe"
                        } else {
                            "proxy"
                        };
                        let locked = acc
                            .locked_until
                            .as_deref()
                            .map(|t| format!(", bloqué jusqu'à {t}"))
                            .unwrap_or_default();
                        println!(
                            "{} — {} ({how}{locked})",
                            crate::text::terminal(&acc.name),
                            crate::text::terminal(&acc.full_name)
                        );
                        for (d, duty) in &acc.duties {
                            println!("  {} : {}", crate::text::terminal(d), duty.code());
                        }
                    }
                }
            }
        }
        Command::Grant(a) => {
            a.data.open()?.grant(&a.dossier, &a.name, a.duty)?;
        }
        Command::Revoke(a) => {
            a.data.open()?.revoke(&a.dossier, &a.name, a.duty)?;
        }
    }
    Ok(super::SUCCESS)
}

/// A new password: typed twice without echo on a terminal, else the first
/// line of standard input.
fn new_password() -> Result<String, Error> {
    let failed = |e: std::io::Error| Error::Usage(format!("the password cannot be read: {e}"));
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Mot de passe (12 caractères au moins) : ")
            .map_err(failed)?;
        account::check_password(&first)?;
        let again = rpassword::prompt_password("Le même, encore : ").map_err(failed)?;
        if first != again {
            return Err(Error::Usage(
                "the two passwords differ: nothing changed".into(),
            ));
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .take(account::MAX_PASSWORD as u64 + 2)
        .read_line(&mut line)
        .map_err(failed)?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}
