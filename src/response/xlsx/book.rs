//! The workbook's structure: its main part, found through the package's
//! relationships, and the sheets it lists, each found through the main
//! part's own relationships.

use std::collections::HashMap;

use super::Parts;
use crate::response::ReadError;
use crate::response::bounds::{MAX_ITEMS, MAX_SHEETS, thousands};
use crate::response::package::Package;
use crate::response::xml::{Ev, attr, walk};

/// What the workbook part says.
pub(super) struct Book {
    /// The folder of the main part, with its trailing `/` (`xl/`).
    pub folder: String,
    /// Its sheets, in workbook order.
    pub sheets: Vec<SheetEntry>,
    /// Whether dates count from 1904 (old Mac workbooks) rather than 1900.
    pub date1904: bool,
}

/// A sheet the workbook lists.
pub(super) struct SheetEntry {
    pub name: String,
    /// Its part, from the package's root; `None` for a sheet that holds no
    /// cells (a chart or dialog sheet) or whose relationship is missing.
    pub path: Option<String>,
}

/// Reads the main part's name, its sheets and date system.
pub(super) fn read(zip: &mut Package<'_>, parts: &Parts) -> Result<Book, ReadError> {
    let main = relationships(zip, parts, "_rels/.rels")?
        .into_values()
        .find(|(kind, _)| kind.ends_with("/relationships/officeDocument"))
        .map(|(_, target)| target)
        .ok_or_else(|| cannot_open("its package names no main part"))?;
    let main = main.trim_start_matches('/');
    let (folder, name) = match main.rfind('/') {
        Some(i) => main.split_at(i + 1),
        None => ("", main),
    };
    let name = if name.is_empty() {
        "workbook.xml"
    } else {
        name
    };
    let links = relationships(zip, parts, &format!("{folder}_rels/{name}.rels"))?;
    let path = format!("{folder}{name}");
    let (i, part) = parts
        .find(&path)
        .ok_or_else(|| cannot_open(&format!("its main part {path} is missing")))?;
    let mut book = Book {
        folder: folder.to_string(),
        sheets: Vec::new(),
        date1904: false,
    };
    walk(zip, i, &part, |e| {
        match e {
            Ev::Start("sheet", s) => {
                if book.sheets.len() as u64 >= MAX_SHEETS {
                    return Err(ReadError::TooLarge(format!(
                        "part {part} lists more than {MAX_SHEETS} sheets"
                    )));
                }
                let path = attr(s, "id")
                    .and_then(|id| links.get(&*id))
                    .filter(|(kind, _)| kind.ends_with("/worksheet"))
                    .map(|(_, target)| match target.strip_prefix('/') {
                        Some(absolute) => absolute.to_string(),
                        None => format!("{folder}{target}"),
                    });
                book.sheets.push(SheetEntry {
                    name: attr(s, "name").unwrap_or_default().into_owned(),
                    path,
                });
            }
            // `x15:workbookPr` in an extension shares the name, without the attribute
            Ev::Start("workbookPr", s) => {
                if let Some(v) = attr(s, "date1904") {
                    book.date1904 = v == "1" || v == "true";
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(book)
}

/// The relationships of part `path`, by id: their type and target.
fn relationships(
    zip: &mut Package<'_>,
    parts: &Parts,
    path: &str,
) -> Result<HashMap<String, (String, String)>, ReadError> {
    let (i, part) = parts
        .find(path)
        .ok_or_else(|| cannot_open(&format!("its part {path} is missing")))?;
    let mut links = HashMap::new();
    walk(zip, i, &part, |e| {
        if let Ev::Start("Relationship", s) = e {
            if links.len() >= MAX_ITEMS {
                return Err(ReadError::TooLarge(format!(
                    "part {part} holds more than {} relationships",
                    thousands(MAX_ITEMS as u64)
                )));
            }
            if let Some(id) = attr(s, "Id") {
                let kind = attr(s, "Type").unwrap_or_default();
                let target = attr(s, "Target").unwrap_or_default();
                links.insert(id.into_owned(), (kind.into_owned(), target.into_owned()));
            }
        }
        Ok(())
    })?;
    Ok(links)
}

fn cannot_open(why: &str) -> ReadError {
    ReadError::Malformed(format!("the workbook cannot be opened ({why})"))
}
