//! Files coming into a dossier from the page: the questionnaire issued
//! from a tender, the answers received; and a dossier's tender taken up
//! again.

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use maud::{Markup, html};

use crate::web::access::Visitor;
use crate::web::consultation::{Tender, tender};
use crate::web::dossier::{failed, open, store, writer};
use crate::web::page::{Fail, Page, Ui, blocking, see_other};
use crate::web::{Shared, upload};

use crate::dossier::{Act, Incoming, Role};
use crate::library::Audience;
use crate::questionnaire::lock::Lock;

/// The answers `files` (with the names they are shown under) and the
/// `lock` sent, kept in the dossier `name` as received — each offer under
/// role offer, each evidence file under role evidence, the lock under role
/// lock — in one transaction.
pub fn receive(
    state: &Shared,
    ui: Ui,
    who: &Visitor,
    name: &str,
    files: &[(String, upload::File)],
    lock: Option<&upload::File>,
) -> Result<(), Fail> {
    let mut incoming = Vec::new();
    for (shown, f) in files {
        if crate::dossier::check_file_name(shown).is_err() {
            return Err(ui.fail(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!(
                    "{shown}{}",
                    ui.t(
                        "\u{a0}: ce nom de fichier ne peut pas être gardé dans un dossier (deux-points ou caractère de contrôle)\u{a0}; renommez le fichier et déposez-le de nouveau. Rien n'a été gardé.",
                        ": this file name cannot be kept in a dossier (a colon or a control character); rename the file and drop it again. Nothing was kept.",
                    )
                ),
            ));
        }
        let role = if crate::evidence::may_be_evidence(std::path::Path::new(shown)) {
            Role::Evidence
        } else {
            Role::Offer
        };
        incoming.push((
            role,
            Incoming {
                name: shown.clone(),
                bytes: f.bytes.clone(),
            },
        ));
    }
    if let Some(lock) = lock {
        let shown = lock.name.rsplit(['/', '\\']).next().unwrap_or(&lock.name);
        let kept = if crate::dossier::check_file_name(shown).is_ok() {
            shown
        } else {
            "questionnaire.xlsx.boussole.lock"
        };
        incoming.push((
            Role::Lock,
            Incoming {
                name: kept.to_string(),
                bytes: lock.bytes.clone(),
            },
        ));
    }
    let mut store = writer(state, ui, who)?;
    open(&store, ui, who, name, Act::File)?;
    store
        .receive(name, &incoming)
        .map_err(|e| ui.fail(StatusCode::UNPROCESSABLE_ENTITY, refused_addition(ui, &e)))?;
    Ok(())
}

/// Why the dossier refused files, without its database's path.
pub(super) fn refused_addition(ui: Ui, e: &crate::Error) -> String {
    let text = e.to_string();
    if text.contains("would hold over") {
        return ui
            .t(
                "Le dossier dépasserait ce qu'une archive peut contenir (nombre ou taille des fichiers)\u{a0}: rien n'a été gardé.",
                "The dossier would hold more than an archive can (files' number or size): nothing was kept.",
            )
            .to_string();
    }
    eprintln!("boussole: dossiers: {text}");
    ui.t(
        "Les fichiers n'ont pas pu être gardés dans le dossier (le détail est affiché là où boussole a été lancé)\u{a0}: rien n'a été gardé.",
        "The files could not be kept in the dossier (the details are shown where boussole was started): nothing was kept.",
    )
    .to_string()
}

/// On a tender's page: the form that keeps its questionnaire, as issued,
/// in a dossier; nothing when the server has no dossiers.
pub fn issue_form(state: &Shared, ui: Ui, who: &Visitor, id: &str) -> Markup {
    let Some(names) = super::dossiers_for(state, who, Act::File) else {
        return html! {};
    };
    html! {
        section aria-labelledby="garder" {
            h2 id="garder" { (ui.t("Garder dans un dossier", "Keep in a dossier")) }
            @if names.is_empty() {
                p { (ui.t("Aucun dossier pour l'instant\u{a0}: ", "No dossier yet: ")) a href="/dossiers" { (ui.t("créer un dossier", "create a dossier")) } "." }
            } @else {
                (super::keep_form(ui, who, &names, &super::Keeping {
                    action: format!("/consultation/{id}/dossier"),
                    id: "dossier",
                    hint: ui.t(
                        "Le profil, le questionnaire diffusé (Excel) et son verrou y sont gardés tels quels, avec la date\u{a0}; un questionnaire déjà gardé n'est jamais remplacé\u{a0}: celui-ci devient sa version suivante.",
                        "The profile, the questionnaire issued (Excel) and its lock are kept there as they are, with the date; a questionnaire already kept is never replaced: this one becomes its next version.",
                    ),
                    button: ui.t("Garder le questionnaire diffusé dans ce dossier", "Keep the questionnaire issued in this dossier"),
                }))
            }
        }
    }
}

/// POST `/consultation/{id}/dossier`: the tender's profile, questionnaire
/// and lock kept in the dossier chosen, as `questionnaire --dossier` keeps
/// them; then the dossier's page.
pub async fn issue(
    State(state): State<Shared>,
    ui: Ui,
    who: Visitor,
    Path(id): Path<String>,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Page {
    let input = upload::fields(&who, ui, form)?;
    let t = tender(&state, ui, &who, &id)?;
    let name = input.get("dossier").cloned().unwrap_or_default();
    open(&*store(&state, ui)?, ui, &who, &name, Act::File)?;
    let files = blocking(ui, move || {
        let q = t.questionnaire(Audience::Vendor);
        let xlsx = crate::questionnaire::xlsx::render(&q)?;
        let lock = Lock::new(&q).to_json().into_bytes();
        Ok(vec![
            (
                Role::Profile,
                incoming("profil.toml", t.text.clone().into_bytes()),
            ),
            (Role::Questionnaire, incoming("questionnaire.xlsx", xlsx)),
            (
                Role::Lock,
                incoming("questionnaire.xlsx.boussole.lock", lock),
            ),
        ])
    })
    .await?;
    let mut store = writer(&state, ui, &who)?;
    open(&store, ui, &who, &name, Act::File)?;
    store
        .add_generated(&name, "boussole serve", &files)
        .map_err(|e| ui.fail(StatusCode::UNPROCESSABLE_ENTITY, refused_addition(ui, &e)))?;
    Ok(see_other(&format!(
        "{}?fait=questionnaire",
        crate::web::dossier::href(&name)
    )))
}

fn incoming(name: &str, bytes: Vec<u8>) -> Incoming {
    Incoming {
        name: name.to_string(),
        bytes,
    }
}

/// POST `/dossiers/{name}/consultation`: the dossier's latest profile taken
/// up again as a tender of this session (its documents, its answers).
pub async fn resume(
    State(state): State<Shared>,
    ui: Ui,
    who: Visitor,
    Path(name): Path<String>,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Page {
    upload::fields(&who, ui, form)?;
    let text = {
        let store = store(&state, ui)?;
        let d = open(&store, ui, &who, &name, Act::File)?;
        let last = d
            .files
            .iter()
            .filter(|f| f.role == Role::Profile)
            .max_by_key(|f| f.version)
            .ok_or_else(|| {
                ui.fail(
                    StatusCode::NOT_FOUND,
                    ui.t(
                        "Ce dossier ne garde aucun profil de consultation.",
                        "This dossier keeps no tender profile.",
                    ),
                )
            })?;
        store.bytes(&last.sha256).map_err(|e| failed(ui, &e))?
    };
    let text = String::from_utf8_lossy(&text).into_owned();
    let t = Tender::new(&state, text).map_err(|problems| {
        let lines: Vec<String> = problems.iter().map(|p| p.line(ui.lang)).collect();
        ui.fail(StatusCode::UNPROCESSABLE_ENTITY, lines.join(" · "))
    })?;
    crate::web::consultation::keep(&state, ui, &who, t)
}
