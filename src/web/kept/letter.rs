//! Letters sent: on a dossier's analysis, legal staff record a
//! regularisation letter as sent; the letter, as made then, is kept in the
//! dossier under role letter, and the timeline says it was sent and by whom.

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use maud::{Markup, html};

use crate::dossier::{Act, Incoming, Role};
use crate::report::{Report, letters};
use crate::web::access::Visitor;
use crate::web::analysis::{Batch, batch, letter, vendor_name, when};
use crate::web::dossier::{failed, href, open, store, writer};
use crate::web::page::{self, Page, Ui, blocking, see_other};
use crate::web::{Shared, upload};

/// On a dossier's analysis, for those who decide there: each letter the
/// analysis calls for, with when it was recorded as sent, and the button
/// that records it.
pub fn letters_sent(state: &Shared, ui: Ui, who: &Visitor, b: &Batch, report: &Report) -> Markup {
    let Some(name) = &b.dossier else {
        return html! {};
    };
    let Some(kept) = state.dossiers.as_ref().and_then(|s| {
        let store = s.lock().ok()?;
        if !who.may(&store, name, Act::Decide) {
            return None;
        }
        store.dossier(name).ok()
    }) else {
        return html! {};
    };
    let due: Vec<(String, String)> = (1..)
        .zip(&report.results)
        .filter(|(_, r)| letters::needs_letter(r))
        .map(|(rank, r)| (letters::file_name(rank, r), vendor_name(r).to_string()))
        .collect();
    if due.is_empty() {
        return html! {};
    }
    let analysis = super::href(name);
    html! {
        h2 { (ui.t("Courriers envoyés", "Letters sent")) }
        p { (ui.t(
            "Une fois un courrier envoyé au soumissionnaire, enregistrez-le\u{a0}: il est gardé dans le dossier tel qu'il est fait maintenant, avec la date et votre nom dans la chronologie.",
            "Once a letter is sent to the vendor, record it: it is kept in the dossier as it is made now, with the date and your name in the timeline.",
        )) }
        ul {
            @for (file, vendor) in &due {
                @let sent: Vec<&crate::dossier::File> = kept.files.iter().filter(|f| f.role == Role::Letter && f.name == *file).collect();
                li {
                    form.sent method="post" action={ (analysis) "/courriers/" (file) } {
                        (page::token(who))
                        (ui.t("Demande de régularisation — ", "Regularisation request — ")) (vendor)
                        @if let Some(last) = sent.iter().max_by_key(|f| f.version) {
                            " (" (ui.t("enregistré comme envoyé le ", "recorded as sent on ")) (when(&last.received, ui.lang)) ") "
                        } @else { " " }
                        button type="submit" { (ui.t("Enregistrer comme envoyé", "Record as sent")) span.sr-only { " — " (vendor) } }
                    }
                }
            }
        }
    }
}

/// POST `/analyse/{id}/courriers/{file}`: the letter, made now, kept in
/// the dossier as sent; then the dossier's page.
pub async fn record(
    State(state): State<Shared>,
    ui: Ui,
    who: Visitor,
    Path((id, file)): Path<(String, String)>,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Page {
    upload::fields(&who, ui, form)?;
    let Some(name) = id.strip_prefix(super::PREFIX).map(str::to_string) else {
        return Err(ui.gone());
    };
    open(&*store(&state, ui)?, ui, &who, &name, Act::Decide)?;
    let b = batch(&state, ui, &who, &id).await?;
    let shown = file.clone();
    let bytes = blocking(ui, move || {
        let report = b.report();
        letter(&report, &b.basis, &shown)
    })
    .await?
    .ok_or_else(|| {
        ui.fail(
            StatusCode::NOT_FOUND,
            ui.t(
                "L'analyse du dossier n'appelle pas ce courrier (ou plus)\u{a0}: rien n'a été enregistré.",
                "The dossier's analysis does not call for this letter (or no longer): nothing was recorded.",
            ),
        )
    })?;
    let mut store = writer(&state, ui, &who)?;
    open(&store, ui, &who, &name, Act::Decide)?;
    store
        .send(&name, &[(Role::Letter, Incoming { name: file, bytes })])
        .map_err(|e| failed(ui, &e))?;
    Ok(see_other(&format!("{}?fait=courrier", href(&name))))
}
