//! `boussole plan`: what applies to a tender, and how it will be scored.

use std::fmt::Write as _;

use clap::ValueEnum;

use super::library::LangArg;
use crate::Error;
use crate::library::{Audience, Part};
use crate::profile;
use crate::selection::Selection;
use crate::text::{self, Lang};

/// Arguments of `plan`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  boussole plan                         the embedded default profile
  boussole plan -p profil.toml
  boussole plan -p profil.toml --format json > selection.json
  boussole plan --lang en --format md")]
pub struct Args {
    #[command(flatten)]
    pub source: super::Source,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: PlanFormat,
    /// Language (default: the profile's).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
}

/// Output formats of `plan`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PlanFormat {
    /// A readable summary.
    Text,
    /// The whole selection and scoring plan, as JSON.
    Json,
    /// The summary in Markdown.
    Md,
}

/// Resolves the tender and prints it.
pub fn run(args: Args) -> Result<u8, Error> {
    let super::Tender {
        profile,
        selection: sel,
    } = args.source.resolve()?;
    let p = &profile;
    let lang = args.lang.map(Lang::from).unwrap_or(p.tender.language);
    let out = match args.format {
        PlanFormat::Json => serde_json::to_string_pretty(&sel).unwrap_or_default() + "\n",
        PlanFormat::Text => summary(&sel, p, lang, false),
        PlanFormat::Md => summary(&sel, p, lang, true),
    };
    crate::output::write(None, out.as_bytes(), false)?;
    Ok(super::SUCCESS)
}

fn summary(sel: &Selection, p: &profile::Profile, lang: Lang, md: bool) -> String {
    let fr = lang == Lang::Fr;
    let t = |f: &'static str, e: &'static str| if fr { f } else { e };
    let mut o = String::new();
    let h = if md { "# " } else { "" };
    let _ = writeln!(
        o,
        "{h}{} {} — {} ({})",
        t("Consultation", "Tender"),
        p.tender.reference,
        p.tender.title,
        p.buyer.name
    );
    let _ = writeln!(
        o,
        "\n{} {} (sha256 {}), {} sha256 {}",
        t("Bibliothèque", "Library"),
        sel.library_version,
        &sel.library_hash[..16],
        t("profil", "profile"),
        &sel.profile_hash[..16]
    );
    let _ = writeln!(
        o,
        "{} : {} / 100",
        t(
            "Part de la note portée par la boussole",
            "Share of the mark carried by the compass"
        ),
        text::number(sel.plan.compass_share, lang)
    );
    let rows: Vec<Vec<String>> = sel
        .criteria
        .iter()
        .zip(&sel.plan.criteria)
        .map(|(c, plan)| {
            let weight: u32 = plan.questions.iter().map(|q| q.weight).sum();
            let clauses = sel.clauses.iter().filter(|x| x.criterion == c.id).count();
            let asked = sel.questions.iter().filter(|q| q.criterion == c.id).count();
            vec![
                format!("{}. {}", c.order, c.title.get(lang)),
                format!("{} %", text::number(c.weight, lang)),
                c.minimum.map_or("—".into(), |m| text::number(m, lang)),
                format!("{asked}"),
                format!(
                    "{} ({} {weight})",
                    plan.questions.len(),
                    t("poids", "weight")
                ),
                format!("{clauses}"),
            ]
        })
        .collect();
    let headers = if fr {
        [
            "Critère",
            "Sous-pondération",
            "Note minimale",
            "Questions",
            "Comptées",
            "Clauses",
        ]
    } else {
        [
            "Criterion",
            "Sub-weight",
            "Minimum",
            "Questions",
            "Counted",
            "Clauses",
        ]
    };
    o.push('\n');
    o.push_str(&text::table(&headers, &rows, md));
    let vendor = sel.questions_for(Audience::Vendor).count();
    let internal = sel.questions_for(Audience::Internal).count();
    let part = |x: Part| sel.clauses.iter().filter(|c| c.part == x).count();
    let _ = writeln!(
        o,
        "\n{} : {} ({vendor} {}, {internal} {})",
        t("Questions applicables", "Applicable questions"),
        sel.questions.len(),
        t("pour les soumissionnaires", "for vendors"),
        t("pour la grille interne", "for the internal grid"),
    );
    let _ = writeln!(
        o,
        "{} : {} ({} {}, {} {}, {} {})",
        t("Clauses applicables", "Applicable clauses"),
        sel.clauses.len(),
        part(Part::MinimumRequirement),
        t("exigences minimales (CCTP)", "minimum requirements (CCTP)"),
        part(Part::Execution),
        t(
            "obligations d'exécution (CCAP)",
            "execution obligations (CCAP)"
        ),
        part(Part::Award),
        t("critères d'attribution (RC)", "award criteria (RC)"),
    );
    let _ = writeln!(
        o,
        "{} ({}) : {}",
        t("Questions éliminatoires", "Eliminatory questions"),
        sel.plan.regularity.len(),
        sel.plan.regularity.join(" ")
    );
    let conditional: Vec<String> = sel
        .questions
        .iter()
        .filter_map(|q| {
            let c = q.condition.as_ref()?;
            Some(format!("{} ({})", q.id, sel.condition_in_words(c, lang)))
        })
        .collect();
    if !conditional.is_empty() {
        let _ = writeln!(
            o,
            "{} : {}",
            t("Selon une autre réponse", "Depending on another answer"),
            conditional.join(", ")
        );
    }
    let _ = writeln!(
        o,
        "\n{}{} :",
        if md { "## " } else { "" },
        t("Formule de notation", "Scoring formula")
    );
    for line in sel.plan.formula(lang) {
        let _ = writeln!(o, "- {line}");
    }
    o
}
