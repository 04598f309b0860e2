//! The project group's opinion kept in a dossier: from the proposed
//! opinion's page, the group keeps the opinion (Word and JSON, as made
//! then) in a dossier where it holds the duty; a new opinion is the next
//! version, the one before stays.

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use maud::{Markup, html};

use super::filing::refused_addition;
use crate::dossier::{Act, Incoming, Role};
use crate::grid::opinion;
use crate::office::docx;
use crate::web::access::Visitor;
use crate::web::dossier::{href, open, writer};
use crate::web::grid::reviewed;
use crate::web::page::{Page, Ui, blocking, see_other};
use crate::web::{Shared, upload};

/// On a proposed opinion's page: the form that keeps it in a dossier where
/// `who` gives the project group's opinion; nothing when there is none.
pub fn opinion_form(state: &Shared, ui: Ui, who: &Visitor, id: &str) -> Markup {
    let names = super::dossiers_for(state, who, Act::Opine).unwrap_or_default();
    if names.is_empty() {
        return html! {};
    }
    html! {
        h2 { (ui.t("Garder l'avis dans un dossier", "Keep the opinion in a dossier")) }
        (super::keep_form(ui, who, &names, &super::Keeping {
            action: format!("/grille/avis/{id}/dossier"),
            id: "dossier-avis",
            hint: ui.t(
                "L'avis (Word et JSON) y est gardé tel qu'il est fait maintenant, avec la date et votre nom\u{a0}; un avis déjà gardé n'est jamais remplacé\u{a0}: celui-ci devient sa version suivante.",
                "The opinion (Word and JSON) is kept there as it is made now, with the date and your name; an opinion already kept is never replaced: this one becomes its next version.",
            ),
            button: ui.t("Garder l'avis dans ce dossier", "Keep the opinion in this dossier"),
        }))
    }
}

/// POST `/grille/avis/{id}/dossier`: the opinion kept in the dossier chosen,
/// if `who` gives the project group's opinion there; then its page.
pub async fn keep_opinion(
    State(state): State<Shared>,
    ui: Ui,
    who: Visitor,
    Path(id): Path<String>,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Page {
    let input = upload::fields(&who, ui, form)?;
    let r = reviewed(&state, ui, &who, &id)?;
    let name = input.get("dossier").cloned().unwrap_or_default();
    open(&*writer(&state, ui, &who)?, ui, &who, &name, Act::Opine)?;
    let files = blocking(ui, move || {
        let lang = r.basis.lang;
        let word = docx::render(&opinion::document(&r.review, &r.basis, lang))?;
        let json = serde_json::to_string_pretty(&r.review).unwrap_or_default() + "\n";
        Ok(vec![
            (Role::Opinion, incoming("avis.docx", word)),
            (Role::Opinion, incoming("avis.json", json.into_bytes())),
        ])
    })
    .await?;
    let mut store = writer(&state, ui, &who)?;
    open(&store, ui, &who, &name, Act::Opine)?;
    store
        .add_generated(&name, "boussole serve", &files)
        .map_err(|e| ui.fail(StatusCode::UNPROCESSABLE_ENTITY, refused_addition(ui, &e)))?;
    Ok(see_other(&format!("{}?fait=avis", href(&name))))
}

fn incoming(name: &str, bytes: Vec<u8>) -> Incoming {
    Incoming {
        name: name.to_string(),
        bytes,
    }
}
