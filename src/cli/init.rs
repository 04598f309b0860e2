//! `boussole init`: write the commented example profile, with the values
//! the buyer gives on the command line in place of the example ones.

use std::path::PathBuf;

use crate::Error;
use crate::profile::load::TEMPLATE;

/// Arguments of `init`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  boussole init                 writes ./profil.toml (example values throughout)
  boussole init consultations/2027-DN-017
  boussole init --force         replaces an existing profil.toml
  boussole init --buyer \"Nantes Métropole\" \\
      --address \"2 cours du Champ-de-Mars\" --address \"44923 Nantes Cedex 9\" --place Nantes \\
      --signatory \"Claire Exemple\" --signatory-role \"Directrice de la commande publique\" \\
      --regularisation-days 10
                                the values regularisation letters print; a letter is refused,
                                naming the field, while one of them is missing from the profile")]
pub struct Args {
    /// Folder to write profil.toml into (created if needed).
    #[arg(default_value = ".", value_name = "DIR")]
    pub dir: PathBuf,
    /// Replace an existing profil.toml.
    #[arg(long)]
    pub force: bool,
    /// The public buyer's legal name ([buyer] name).
    #[arg(long, value_name = "NAME")]
    pub buyer: Option<String>,
    /// One line of the buyer's postal address; repeat for each line ([buyer] address).
    #[arg(long, value_name = "LINE")]
    pub address: Vec<String>,
    /// The town letters are written from ([buyer] place).
    #[arg(long, value_name = "TOWN")]
    pub place: Option<String>,
    /// Who signs the regularisation letters ([regularisation] signatory).
    #[arg(long, value_name = "NAME")]
    pub signatory: Option<String>,
    /// The signatory's role ([regularisation] signatory_role).
    #[arg(long, value_name = "ROLE")]
    pub signatory_role: Option<String>,
    /// Days a vendor has to regularise, from the letter's date ([regularisation] days).
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..=365))]
    pub regularisation_days: Option<u32>,
}

/// Writes `DIR/profil.toml`.
pub fn run(args: Args) -> Result<u8, Error> {
    let path = args.dir.join("profil.toml");
    let text = profile_text(&args);
    crate::output::write(Some(&path), text.as_bytes(), args.force)?;
    eprintln!(
        "boussole: wrote {}; edit it, then run `boussole plan -p {}`",
        path.display(),
        path.display()
    );
    Ok(super::SUCCESS)
}

/// The template with the values given in place of the example ones.
fn profile_text(args: &Args) -> String {
    let quoted = |s: &str| toml::Value::String(s.trim().to_string()).to_string();
    let mut text = TEMPLATE.to_string();
    let mut set = |section: &str, key: &str, value: String| {
        text = set_value(&text, section, key, &value);
    };
    if let Some(b) = &args.buyer {
        set("buyer", "name", quoted(b));
    }
    if !args.address.is_empty() {
        let lines: Vec<String> = args.address.iter().map(|l| quoted(l)).collect();
        set("buyer", "address", format!("[{}]", lines.join(", ")));
    }
    if let Some(p) = &args.place {
        set("buyer", "place", quoted(p));
    }
    if let Some(s) = &args.signatory {
        set("regularisation", "signatory", quoted(s));
    }
    if let Some(r) = &args.signatory_role {
        set("regularisation", "signatory_role", quoted(r));
    }
    if let Some(d) = args.regularisation_days {
        set("regularisation", "days", d.to_string());
    }
    text
}

/// `text` with the line `key = …` of `[section]` set to `value` (the
/// template has every key it sets, once in its section).
fn set_value(text: &str, section: &str, key: &str, value: &str) -> String {
    let header = format!("[{section}]");
    let mut inside = false;
    let mut done = false;
    let mut out = String::with_capacity(text.len() + value.len());
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            inside = trimmed == header;
        }
        let is_key = trimmed
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with('='));
        if inside && !done && is_key {
            out.push_str(&format!("{key} = {value}\n"));
            done = true;
        } else {
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: Args,
    }

    #[test]
    fn the_values_given_replace_the_examples_and_the_profile_still_reads() {
        let cli = Cli::parse_from([
            "init",
            "--buyer",
            "Ville d'Exemple",
            "--address",
            "1 place de la Mairie",
            "--address",
            "99999 Exemple \"Cedex\"",
            "--place",
            "Exemple",
            "--signatory",
            "Jean Modèle",
            "--signatory-role",
            "Maire",
            "--regularisation-days",
            "15",
        ]);
        let text = profile_text(&cli.args);
        let p = crate::profile::load::parse(std::path::Path::new("profil.toml"), &text).unwrap();
        assert_eq!(p.buyer.name, "Ville d'Exemple");
        assert_eq!(
            p.buyer.address,
            ["1 place de la Mairie", "99999 Exemple \"Cedex\""]
        );
        assert_eq!(p.buyer.place.as_deref(), Some("Exemple"));
        assert_eq!(p.regularisation.signatory.as_deref(), Some("Jean Modèle"));
        assert_eq!(p.regularisation.signatory_role.as_deref(), Some("Maire"));
        assert_eq!(p.regularisation.days, Some(15));
        assert!(
            text.contains("# Demandes de régularisation"),
            "comments kept"
        );
        let none = Cli::parse_from(["init"]);
        assert_eq!(profile_text(&none.args), TEMPLATE);
    }
}
