//! What a Word document's styles say of hidden text (`word/styles.xml`).

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{Read, Seek};

use zip::ZipArchive;

use crate::response::ReadError;
use crate::response::bounds::{MAX_BASED_ON, MAX_ITEMS, thousands};
use crate::response::xml::{Ev, attr, on, walk};

/// What the document's styles say of hidden text.
#[derive(Default)]
pub(super) struct Styles {
    /// Style id → (the style it is based on, whether its run properties
    /// hide text when they say).
    pub(super) defs: HashMap<String, (Option<String>, Option<bool>)>,
    /// Whether the document's default run properties hide text.
    pub(super) default: bool,
    /// Whether the default paragraph style hides text, when it says.
    pub(super) paragraph: Option<bool>,
}

impl Styles {
    /// Whether style `id` hides text, through the styles it is based on.
    pub(super) fn hidden(&self, id: &str) -> Option<bool> {
        let mut id = id;
        for _ in 0..MAX_BASED_ON {
            let (based, hidden) = self.defs.get(id)?;
            if hidden.is_some() {
                return *hidden;
            }
            id = based.as_deref()?;
        }
        None
    }
}

/// The styles of `word/styles.xml` (at most [`MAX_ITEMS`]), when there.
pub(super) fn read<R: Read + Seek>(zip: &mut ZipArchive<R>) -> Result<Styles, ReadError> {
    let Some(i) = zip.index_for_name("word/styles.xml") else {
        return Ok(Styles::default());
    };
    let mut styles = Styles::default();
    // (id, based on, hidden, default paragraph style) of the style open
    let mut current: Option<(String, Option<String>, Option<bool>, bool)> = None;
    let mut default_paragraph = None;
    let (mut run_props, mut defaults, mut table_parts) = (false, false, 0usize);
    walk(zip, i, "word/styles.xml", |e| {
        match e {
            Ev::Start("style", s) => {
                let paragraph = attr(s, "type").as_deref() == Some("paragraph");
                let default =
                    attr(s, "default").is_some_and(|v| matches!(v.trim(), "1" | "true" | "on"));
                current = Some((
                    attr(s, "styleId").unwrap_or_default().into_owned(),
                    None,
                    None,
                    paragraph && default,
                ));
            }
            Ev::Start("basedOn", s) => {
                if let Some(c) = current.as_mut() {
                    c.1 = attr(s, "val").map(Cow::into_owned);
                }
            }
            Ev::Start("tblStylePr", _) => table_parts += 1,
            Ev::End("tblStylePr") => table_parts = table_parts.saturating_sub(1),
            Ev::Start("rPrDefault", _) => defaults = true,
            Ev::End("rPrDefault") => defaults = false,
            Ev::Start("rPr", _) => run_props = table_parts == 0,
            Ev::End("rPr") => run_props = false,
            Ev::Start("vanish" | "specVanish", s) if run_props => {
                let hidden = on(s);
                match current.as_mut() {
                    Some(c) => c.2 = Some(c.2 == Some(true) || hidden),
                    None if defaults => styles.default = styles.default || hidden,
                    None => {}
                }
            }
            Ev::End("style") => {
                if let Some((id, based, hidden, default)) = current.take() {
                    if styles.defs.len() >= MAX_ITEMS {
                        return Err(ReadError::TooLarge(format!(
                            "the document defines more than {} styles",
                            thousands(MAX_ITEMS as u64)
                        )));
                    }
                    if default {
                        default_paragraph = Some(id.clone());
                    }
                    styles.defs.insert(id, (based, hidden));
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    styles.paragraph = default_paragraph.and_then(|id| styles.hidden(&id));
    Ok(styles)
}
