//! Reading a form with files: bounded in count and size, kept in memory.
//!
//! Field names are the form's own; a file's name as the browser gives it is
//! kept only to be shown (and escaped) — it never becomes a path.

use std::collections::BTreeMap;

use axum::extract::multipart::MultipartRejection;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form as Posted, Multipart};
use axum::http::StatusCode;

use super::access::Visitor;
use super::guard::{TOKEN_FIELD, check_token};
use super::page::{Fail, Ui};
use crate::response::bounds::MAX_FILE_SIZE;

/// Most files in one field of a form (the returned files, say); a lock or
/// a grid sent beside them does not count.
pub const MAX_FILES: usize = 40;
/// Most files in one form, all fields together.
const MAX_FORM_FILES: usize = MAX_FILES + 2;
/// Largest form, all files included: 100 MiB.
pub const MAX_UPLOAD: usize = 100 * 1024 * 1024;
/// Longest text field: 256 KiB.
const MAX_TEXT: usize = 256 * 1024;

/// A file sent with a form.
#[derive(Debug, Clone)]
pub struct File {
    /// The form field it came in.
    pub field: String,
    /// Its name on the sender's computer (shown, never used as a path).
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// A form with files.
#[derive(Debug, Default)]
pub struct Form {
    /// Text fields (the last value of each name).
    pub fields: BTreeMap<String, String>,
    /// Files, in the order sent; empty file inputs are left out.
    pub files: Vec<File>,
}

impl Form {
    /// The files sent in `field`.
    pub fn files_in<'a>(&'a self, field: &'a str) -> impl Iterator<Item = &'a File> + 'a {
        self.files.iter().filter(move |f| f.field == field)
    }
}

/// Reads the whole form, refusing it without the server's token, past [`MAX_FILES`] files in a field, a
/// file past the readers' size cap, or a form past [`MAX_UPLOAD`].
pub async fn read(
    who: &Visitor,
    ui: Ui,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Form, Fail> {
    let mut multipart = multipart.map_err(|e| ui.fail(e.status(), e.body_text()))?;
    let too_large = |what: String| ui.fail(StatusCode::PAYLOAD_TOO_LARGE, what);
    let mut form = Form::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => {
                check_token(who, ui, form.fields.get(TOKEN_FIELD))?;
                return Ok(form);
            }
            Err(e) => return Err(refused(ui, e)),
        };
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let cap = if file_name.is_some() {
            MAX_FILE_SIZE as usize
        } else {
            MAX_TEXT
        };
        let mut bytes = Vec::new();
        let mut field = field;
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    if bytes.len() + chunk.len() > cap {
                        let shown = file_name.clone().unwrap_or_else(|| name.clone());
                        return Err(too_large(format!(
                            "{shown}: {} {} {}",
                            ui.t("dépasse la taille admise,", "is over the size allowed,"),
                            cap / 1024,
                            ui.t("Kio.", "KiB.")
                        )));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return Err(refused(ui, e)),
            }
        }
        match file_name {
            Some(file) if file.is_empty() && bytes.is_empty() => {}
            Some(file) => {
                let in_field = form.files.iter().filter(|f| f.field == name).count();
                if in_field >= MAX_FILES || form.files.len() >= MAX_FORM_FILES {
                    return Err(too_large(format!(
                        "{} {MAX_FILES} {}",
                        ui.t("Pas plus de", "No more than"),
                        ui.t("fichiers à la fois.", "files at a time.")
                    )));
                }
                form.files.push(File {
                    field: name,
                    name: file,
                    bytes,
                });
            }
            None => {
                form.fields
                    .insert(name, String::from_utf8_lossy(&bytes).into_owned());
            }
        }
    }
}

/// The fields of a form without files (the last value of each name), or
/// why it could not be read (the visitor's token missing, say), as a page.
pub fn fields(
    who: &Visitor,
    ui: Ui,
    form: Result<Posted<Vec<(String, String)>>, FormRejection>,
) -> Result<BTreeMap<String, String>, Fail> {
    let fields = pairs(ui, form)?;
    check_token(who, ui, fields.get(TOKEN_FIELD))?;
    Ok(fields)
}

/// The fields of a form sent before anyone is known (the login's), or why
/// it could not be read.
pub fn pairs(
    ui: Ui,
    form: Result<Posted<Vec<(String, String)>>, FormRejection>,
) -> Result<BTreeMap<String, String>, Fail> {
    match form {
        Ok(Posted(pairs)) => Ok(pairs.into_iter().collect()),
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(ui.fail(
            e.status(),
            format!(
                "{} {} {}",
                ui.t(
                    "Le formulaire dépasse la taille admise :",
                    "The form is over the size allowed:"
                ),
                super::MAX_FORM / (1024 * 1024),
                ui.t("Mio.", "MiB.")
            ),
        )),
        Err(e) => Err(ui.fail(e.status(), e.body_text())),
    }
}

/// A form the server could not read: too large, cut (its deadline passed), or not a form.
fn refused(ui: Ui, e: axum::extract::multipart::MultipartError) -> Fail {
    let status = e.status();
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        ui.fail(
            status,
            format!(
                "{} {} {}",
                ui.t(
                    "L'envoi dépasse la taille admise pour un formulaire :",
                    "The form is over the size allowed:"
                ),
                MAX_UPLOAD / (1024 * 1024),
                ui.t("Mio en tout.", "MiB in all.")
            ),
        )
    } else {
        ui.fail(
            StatusCode::BAD_REQUEST,
            ui.t(
                "L’envoi n’a pas pu être lu jusqu’au bout (interrompu, trop lent ou mal formé)\u{a0}: \
                 recommencez.",
                "The form could not be read to its end (cut, too slow or malformed): try again.",
            ),
        )
    }
}
