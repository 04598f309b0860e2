//! Doubts about a returned file itself: another library or profile, ids
//! added, missing or repeated, question texts edited, formulas, what a
//! reader sees differently from what the file holds (a number format
//! showing a text, hidden text, imported content), SIRET.
//! Messages are in the report's language.

use std::collections::HashSet;

use super::{Basis, LockDigest, is_formula};
use crate::finding::{Code, Integrity};
use crate::library::Audience;
use crate::questionnaire::layout::IdentityField;
use crate::questionnaire::layout::same_issued_text;
use crate::response::appearance::{Appearance, Field};
use crate::response::{Response, Row};
use crate::selection::SelectedQuestion;
use crate::text::Lang;

struct Warnings {
    lang: Lang,
    out: Vec<Integrity>,
}

impl Warnings {
    fn push(&mut self, code: Code, question: Option<&str>, fr: String, en: String) {
        let message = if self.lang == Lang::Fr { fr } else { en };
        self.out.push(Integrity {
            code,
            question: question.map(String::from),
            message,
        });
    }
}

/// The integrity warnings of one file.
pub fn of_file(response: &Response, basis: &Basis, asked: &[&SelectedQuestion]) -> Vec<Integrity> {
    let mut w = Warnings {
        lang: basis.lang,
        out: Vec::new(),
    };
    metadata(response, basis, &mut w);
    rows(response, asked, &mut w);
    cuts(response, &mut w);
    let siret = &response.identity.siret;
    if !siret.trim().is_empty() && !siret_is_valid(siret) {
        let digits = siret.chars().filter(char::is_ascii_digit).count();
        let (fr, en) = match digits {
            9 | 14 => (
                format!(
                    "« {siret} » a le nombre de chiffres d'un {} mais sa clé de contrôle est fausse : le numéro est mal recopié",
                    if digits == 9 { "SIREN" } else { "SIRET" }
                ),
                format!(
                    "\"{siret}\" has the digits of a {} but its check digit is wrong: the number is miscopied",
                    if digits == 9 { "SIREN" } else { "SIRET" }
                ),
            ),
            n => (
                format!("« {siret} » a {n} chiffres : un SIREN en a 9, un SIRET 14"),
                format!("\"{siret}\" has {n} digits: a SIREN has 9, a SIRET 14"),
            ),
        };
        w.push(Code::InvalidSiret, None, fr, en);
    }
    if basis.audience == Audience::Vendor {
        identity(response, &mut w);
    }
    w.out
}

/// The identity fields an offer must give and the file leaves empty: to
/// regularise (CCP R. 2152-2 allows asking for them).
fn identity(response: &Response, w: &mut Warnings) {
    let missing: Vec<IdentityField> = IdentityField::ALL
        .into_iter()
        .filter(|f| f.required() && response.identity.get(*f).trim().is_empty())
        .collect();
    if missing.is_empty() {
        return;
    }
    let names = |lang: Lang| {
        let names: Vec<String> = missing
            .iter()
            .map(|f| format!("« {} »", f.label(lang)))
            .collect();
        names.join(", ")
    };
    w.push(
        Code::IdentityIncomplete,
        None,
        format!(
            "identification du soumissionnaire incomplète ou illisible ({}) : à régulariser",
            names(Lang::Fr)
        ),
        format!(
            "the tenderer's identification is incomplete or unreadable ({}): to regularise",
            names(Lang::En)
        ),
    );
}

fn metadata(response: &Response, basis: &Basis, w: &mut Warnings) {
    let sel = &basis.selection;
    // Metadata emptied or cut down (the fingerprints gone) are no metadata:
    // they would silence the warnings below.
    let complete = |m: &&crate::response::Metadata| {
        ["library_hash", "profile_hash"]
            .iter()
            .all(|k| m.values.get(*k).is_some_and(|v| !v.trim().is_empty()))
    };
    let Some(m) = response.metadata.as_ref().filter(complete) else {
        w.push(
            Code::NoMetadata,
            None,
            "les métadonnées du questionnaire ne figurent plus dans le fichier, ou en partie seulement ; les réponses ont été rapprochées par identifiant de question".into(),
            "the questionnaire's metadata are not in the file, or only in part; answers were matched by question id".into(),
        );
        return;
    };
    let pairs = [
        (
            "library_hash",
            &sel.library_hash,
            Code::LibraryMismatch,
            "la bibliothèque",
            "library",
        ),
        (
            "profile_hash",
            &sel.profile_hash,
            Code::ProfileMismatch,
            "le profil",
            "profile",
        ),
    ];
    // People compare the first characters of a fingerprint; the whole
    // hashes stay in the JSON report and the file's metadata.
    let short = |h: &str| h.chars().take(8).collect::<String>();
    for (key, expected, code, fr, en) in pairs {
        if let Some(found) = m.values.get(key).filter(|f| *f != expected) {
            let (found, expected) = (short(found), short(expected));
            w.push(
                code,
                None,
                format!(
                    "le fichier a été émis avec {fr} d'empreinte {found}… ; il est contrôlé avec {fr} d'empreinte {expected}… : vérifier qu'il répond bien à cette consultation"
                ),
                format!(
                    "the file was issued with the {en} of fingerprint {found}…, it is checked against the {en} of fingerprint {expected}…: make sure it answers this tender"
                ),
            );
        }
    }
    lock(m, &basis.lock, short, w);
}

/// The lock the file was issued with (its digest, recorded in the metadata
/// of questionnaires issued since locks state one) against the lock used.
fn lock(
    m: &crate::response::Metadata,
    used: &LockDigest,
    short: impl Fn(&str) -> String,
    w: &mut Warnings,
) {
    let Some(found) = m
        .values
        .get("lock_digest")
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
    else {
        return;
    };
    let (fr, en) = match used {
        LockDigest::Verified(digest) if digest != found => {
            let expected = short(digest);
            (
                format!("un verrou d'empreinte {expected}…"),
                format!("a lock of fingerprint {expected}…"),
            )
        }
        LockDigest::Unstated => (
            "un verrou sans empreinte, émis par une version antérieure de boussole".into(),
            "a lock stating no fingerprint, issued by an earlier boussole".into(),
        ),
        _ => return,
    };
    let found = short(found);
    w.push(
        Code::LockMismatch,
        None,
        format!(
            "le fichier a été émis avec le verrou d'empreinte {found}… ; il est contrôlé avec {fr} : vérifier que ce verrou est bien celui émis avec le questionnaire"
        ),
        format!(
            "the file was issued with the lock of fingerprint {found}…, it is checked against {en}: make sure this lock is the one issued with the questionnaire"
        ),
    );
}

/// The texts cut where the file held more than a cell can.
fn cuts(response: &Response, w: &mut Warnings) {
    use crate::response::cut::CutText;
    for c in &response.cut {
        let n = |x: usize, lang| crate::text::number(x as f64, lang);
        let id = c.question.as_deref().unwrap_or_default();
        let at = &c.location;
        let at_fr = crate::response::place(at, Lang::Fr);
        let (fr, en) = match c.text {
            CutText::Identity(f) => (
                format!("le champ « {} » de l'identification", f.label(Lang::Fr)),
                format!("the identification's field \"{}\"", f.label(Lang::En)),
            ),
            CutText::Answer => (
                format!("la réponse à {id} ({at_fr})"),
                format!("the answer to {id} ({at})"),
            ),
            CutText::Comment => (
                format!("le commentaire de {id} ({at_fr})"),
                format!("the comment on {id} ({at})"),
            ),
            CutText::Document => (
                format!("la référence du document de {id} ({at_fr})"),
                format!("the document reference of {id} ({at})"),
            ),
            CutText::Question => (
                format!("le texte de la question {id} ({at_fr})"),
                format!("the text of question {id} ({at})"),
            ),
            CutText::Option => (
                format!("une option de {id} ({at_fr})"),
                format!("an option of {id} ({at})"),
            ),
        };
        w.push(
            Code::TextCut,
            c.question.as_deref(),
            format!(
                "{fr} compte {} caractères ; seuls les {} premiers sont lus",
                n(c.chars, Lang::Fr),
                n(c.kept, Lang::Fr)
            ),
            format!(
                "{en} holds {} characters; only the first {} are read",
                n(c.chars, Lang::En),
                n(c.kept, Lang::En)
            ),
        );
    }
}

fn rows(response: &Response, asked: &[&SelectedQuestion], w: &mut Warnings) {
    // The file's rows by id and the ids asked: one pass each instead of one
    // per row or per question.
    let seen = response.rows_by_id();
    let asked_ids: HashSet<&str> = asked.iter().map(|q| q.id.as_str()).collect();
    for row in &response.rows {
        let (id, at) = (&row.id, &row.location);
        if !asked_ids.contains(id.as_str()) {
            let at_fr = crate::response::place(at, Lang::Fr);
            w.push(
                Code::UnknownQuestion,
                Some(id),
                format!("{id} ({at_fr}) n'est pas une question de ce questionnaire"),
                format!("{id} ({at}) is not a question of this questionnaire"),
            );
        }
        for seen in &row.appearances {
            appearance(row, seen, w);
        }
        if is_formula(&row.answer) {
            let at_fr = crate::response::place(at, Lang::Fr);
            w.push(
                Code::FormulaAnswer,
                Some(id),
                format!(
                    "la réponse à {id} ({at_fr}) est une formule ; sa valeur enregistrée est retenue"
                ),
                format!("the answer to {id} ({at}) is a formula; its kept value is used"),
            );
        }
    }
    for q in asked {
        let id = &q.id;
        let found = seen.get(id.as_str()).map_or(&[][..], Vec::as_slice);
        match found.len() {
            0 => w.push(
                Code::MissingQuestion,
                Some(id),
                format!("{id} ne figure pas dans le fichier"),
                format!("{id} is not in the file"),
            ),
            n if n > 1 => w.push(
                Code::DuplicateQuestion,
                Some(id),
                format!("{id} figure {n} fois"),
                format!("{id} appears {n} times"),
            ),
            _ => {}
        }
        // a text that only differs in its typography (curly apostrophes,
        // no-break spaces) is the question as issued
        let issued = [
            (q.text.fr.as_str(), Lang::Fr),
            (q.text.en.as_str(), Lang::En),
        ];
        for row in found.iter().filter(|r| !r.question.trim().is_empty()) {
            if !issued
                .iter()
                .any(|(t, lang)| same_issued_text(t, *lang, &row.question))
            {
                let (at, text) = (&row.location, row.question.trim());
                let at_fr = crate::response::place(at, Lang::Fr);
                w.push(
                    Code::EditedQuestion,
                    Some(id),
                    format!("le texte de {id} a été modifié ({at_fr}) : « {text} »"),
                    format!("the text of {id} was changed ({at}): \"{text}\""),
                );
            }
        }
    }
}

/// What a reader of `row` sees differently from what the file holds.
fn appearance(row: &Row, seen: &Appearance, w: &mut Warnings) {
    let (id, at) = (&row.id, &row.location);
    let at_fr = crate::response::place(at, Lang::Fr);
    let lang = w.lang;
    let quote = |s: &str| crate::text::excerpt(s, crate::text::QUOTED_CHARS, lang).into_owned();
    let what = |field: Field| match field {
        Field::Answer => (format!("la réponse à {id}"), format!("the answer to {id}")),
        Field::Comment => (
            format!("la justification de {id}"),
            format!("the justification of {id}"),
        ),
        Field::Document => (
            format!("le document cité pour {id}"),
            format!("the document named for {id}"),
        ),
    };
    match seen {
        Appearance::Formatted { held, shown } if shown.is_empty() => {
            let held = quote(held);
            w.push(
            Code::FormattedAnswer,
            Some(id),
            format!(
                "la cellule de réponse de {id} ({at_fr}) contient « {held} » mais son format de nombre n'en affiche rien : la réponse est lue vide, comme le lecteur la voit"
            ),
            format!(
                "the answer cell of {id} ({at}) holds \"{held}\" but its number format shows nothing: the answer is read as empty, as a reader sees it"
            ),
        );
        }
        Appearance::Formatted { held, shown } => {
            let (held, shown) = (quote(held), quote(shown));
            w.push(
            Code::FormattedAnswer,
            Some(id),
            format!(
                "la cellule de réponse de {id} ({at_fr}) contient « {held} » mais son format de nombre affiche « {shown} » : la réponse lue est celle que le lecteur voit, « {shown} » ; vérifier la réponse voulue"
            ),
            format!(
                "the answer cell of {id} ({at}) holds \"{held}\" but its number format shows \"{shown}\": the answer read is what a reader sees, \"{shown}\"; check which answer was meant"
            ),
        );
        }
        Appearance::Hidden { field, text } => {
            let (fr, en) = what(*field);
            let text = quote(text);
            w.push(
                Code::HiddenText,
                Some(id),
                format!(
                    "{fr} ({at_fr}) contient du texte masqué, que le lecteur ne voit ni à l'écran ni à l'impression : « {text} » ; il n'est pas lu"
                ),
                format!(
                    "{en} ({at}) holds hidden text, which a reader sees neither on screen nor in print: \"{text}\"; it is not read"
                ),
            );
        }
        Appearance::Imported { field, format } => {
            let (fr, en) = what(*field);
            let kind = if format.is_empty() {
                String::new()
            } else {
                format!(" ({format})")
            };
            let missing = *field == Field::Answer && row.answer_text().trim().is_empty();
            let (fr_then, en_then) = if missing {
                (
                    "la réponse est comptée manquante : la lire dans le document",
                    "the answer counts as missing: read it in the document",
                )
            } else {
                (
                    "seul le texte saisi dans la cellule est lu : lire ce contenu dans le document",
                    "only the text typed in the cell is read: read this content in the document",
                )
            };
            w.push(
                Code::ImportedContent,
                Some(id),
                format!(
                    "{fr} ({at_fr}) contient un contenu importé d'un autre fichier{kind}, que le traitement de texte affiche mais qui n'est pas lu ; {fr_then}"
                ),
                format!(
                    "{en} ({at}) holds content imported from another file{kind}, which a word processor shows but is not read; {en_then}"
                ),
            );
        }
    }
}

/// Whether `s` is a SIREN (9 digits) or SIRET (14 digits) passing the Luhn check.
pub fn siret_is_valid(s: &str) -> bool {
    let digits: Option<Vec<u32>> = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .map(|c| c.to_digit(10))
        .collect();
    let Some(digits) = digits.filter(|d| d.len() == 9 || d.len() == 14) else {
        return false;
    };
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| match (i.is_multiple_of(2), d * 2) {
            (true, _) => *d,
            (false, x) if x > 9 => x - 9,
            (false, x) => x,
        })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siren_and_siret_follow_luhn() {
        assert!(siret_is_valid("732 829 320"));
        assert!(siret_is_valid("73282932000074"));
        assert!(siret_is_valid("732 829 320 00074"));
        assert!(!siret_is_valid("73282932000075"));
        assert!(!siret_is_valid("1234"));
        assert!(!siret_is_valid("7328293200007A"));
    }
}
