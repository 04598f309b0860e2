//! Returned files: what a vendor's questionnaire holds, read safely and raw.
//!
//! [`fn@read`] opens one returned file (XLSX, XLSM, XLS, ODS or DOCX) and gives
//! back a [`Response`]: the rows it found (question id, question text as
//! the vendor left it, raw answer cell, comment, supporting document), the
//! identity block, and the questionnaire's metadata when still there.
//! Nothing is judged here: normalising and checking come after
//! ([`crate::answer`], [`crate::check`]). Reading never trusts the file:
//! boussole's own readers (XLSX, XLSM, DOCX) check their bounds as they
//! read, each part parsed once; the files calamine reads (ODS, XLS) are
//! pre-scanned with bounds before it allocates anything; every failure is
//! a [`ReadError`] naming the problem.
//!
//! One way down, each module using only those below it:
//!
//! - [`mod@read`]: the entry — size cap, format sniffed from the bytes, the
//!   package opened once, the reader of the format, panics caught;
//! - [`bundle`]: a return sent as one ZIP archive, its questionnaire and
//!   evidence files taken out under bounds;
//! - [`sandbox`]: XLS read in a child process bounded in memory and time;
//! - the readers, one per kind of file: [`sheet`] (workbooks: the
//!   questionnaire found in any sheet, whatever reads it) and [`docx`]
//!   (Word, its own bounded reader);
//! - under [`sheet`], the readers of each workbook format: `xlsx` (XLSX
//!   and XLSM, boussole's own, one pass per part, bounds checked as it
//!   reads) and calamine for ODS and XLS, after [`prescan`] (the bounds
//!   checked before calamine parses anything); a new format gets its
//!   reader here;
//! - [`package`]: the zip package, its entries checked, its custom
//!   properties; the XML parts walked by a bounded, strict reader of its
//!   own (`xml`, its tokenizer `xml::scan`);
//! - [`shape`]: the questionnaire as every reader finds it (header row,
//!   question ids, identity labels, metadata keys);
//! - [`appearance`] (what the reader sees of a cell) and [`cut`] (texts
//!   longer than a cell holds);
//! - [`bounds`]: every limit, in one place.

pub mod appearance;
pub mod bounds;
pub mod bundle;
pub mod cut;
pub mod docx;
pub mod package;
pub mod prescan;
pub mod read;
pub mod sandbox;
pub mod shape;
pub mod sheet;
mod xlsx;
mod xml;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use appearance::Appearance;

use crate::date::Date;
use crate::questionnaire::layout::IdentityField;

pub use read::{read, read_bytes, read_bytes_isolating_xls, read_isolating_xls};
pub use shape::is_extra_id;

/// Name endings of the returned questionnaires looked for in folders.
pub const EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xls", "ods", "docx"];

/// Whether `path`'s name is a returned questionnaire's: one of
/// [`EXTENSIONS`], and neither hidden nor an office lock file (`~$…`).
pub fn is_questionnaire_name(path: &std::path::Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    !name.starts_with('.')
        && !name.starts_with("~$")
        && path
            .extension()
            .is_some_and(|e| EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// Whether `path`'s name is a return's: a questionnaire's (see
/// [`is_questionnaire_name`]) or a ZIP archive holding one with its
/// evidence files (see [`bundle`]).
pub fn is_return_name(path: &std::path::Path) -> bool {
    is_questionnaire_name(path) || bundle::is_bundle(&path.to_string_lossy())
}

/// The formats boussole reads back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FileFormat {
    /// Office Open XML workbook.
    Xlsx,
    /// Office Open XML workbook with macros (never run).
    Xlsm,
    /// Excel 97–2003 workbook.
    Xls,
    /// OpenDocument spreadsheet.
    Ods,
    /// Office Open XML document.
    Docx,
}

/// One cell as the file holds it, before any interpretation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Cell {
    /// Nothing.
    Empty,
    /// Text.
    Text(String),
    /// A number; `percent` when an XLSX cell's number format is a percentage
    /// (the value is then a fraction: 0.85 for 85 %).
    Number {
        /// The value.
        value: f64,
        /// Whether the cell is formatted as a percentage.
        percent: bool,
    },
    /// A boolean cell.
    Bool(bool),
    /// A date cell.
    Date(Date),
    /// A formula, with its cached value when the file has one.
    Formula {
        /// The formula text.
        formula: String,
        /// Its cached value.
        cached: Option<Box<Cell>>,
    },
    /// A cell error such as `#DIV/0!`.
    Error(String),
}

impl Cell {
    /// Whether the cell holds nothing (or only spaces).
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text, as a person would read it.
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.clone(),
            Cell::Number {
                value,
                percent: true,
            } => format!(
                "{} %",
                crate::text::number(value * 100.0, crate::text::Lang::En)
            ),
            Cell::Number { value, .. } => crate::text::number(*value, crate::text::Lang::En),
            Cell::Bool(b) => b.to_string(),
            Cell::Date(d) => d.to_string(),
            Cell::Formula { formula, cached } => cached
                .as_ref()
                .map_or(format!("={formula}"), |c| c.display()),
            Cell::Error(e) => e.clone(),
        }
    }
}

/// One answer row: a question id and what stands beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// The question id, trimmed.
    pub id: String,
    /// The question text as the file holds it (to detect edits).
    pub question: String,
    /// The answer cell.
    pub answer: Cell,
    /// The justification or comment.
    pub comment: String,
    /// The supporting document reference.
    pub document: String,
    /// Where the row is, for messages: `Questionnaire!E12`, `table 3, row 4`
    /// (in English; [`place`] says it in French).
    pub location: String,
    /// The options of a multiple-choice question, one row each below it:
    /// the option's label and the vendor's Oui/Non (empty for a question
    /// answered in its own cell, as questionnaires issued before asked).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<Choice>,
    /// What a reader of the row sees differently from what the file holds
    /// (the cells above are read as the reader sees them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub appearances: Vec<Appearance>,
}

/// One option of a multiple-choice question and the vendor's answer to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    /// The option's label, as the file holds it.
    pub label: String,
    /// The Oui/Non cell.
    pub answer: Cell,
}

impl Row {
    /// Whether the vendor answered option by option.
    pub fn by_option(&self) -> bool {
        self.options.iter().any(|o| !o.answer.is_empty())
    }

    /// The answer as a person would read it: the cell, or each option
    /// answered with its Oui/Non (`Option A : Oui ; Option B : Non`).
    pub fn answer_text(&self) -> String {
        if !self.by_option() {
            return self.answer.display();
        }
        let answered: Vec<String> = self
            .options
            .iter()
            .filter(|o| !o.answer.is_empty())
            .map(|o| format!("{}\u{a0}: {}", o.label.trim(), o.answer.display().trim()))
            .collect();
        answered.join(" ; ")
    }
}

/// The vendor's identity, as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Identity {
    /// Company name.
    pub name: String,
    /// SIREN or SIRET, as typed.
    pub siret: String,
    /// Address of the establishment.
    #[serde(default)]
    pub address: String,
    /// Sole tenderer, or the group (lead member, co-contractors).
    #[serde(default)]
    pub group: String,
    /// Who signs the offer.
    #[serde(default)]
    pub signatory: String,
    /// The signatory's role.
    #[serde(default)]
    pub role: String,
    /// Contact person.
    pub contact: String,
    /// Email.
    pub email: String,
    /// Phone.
    #[serde(default)]
    pub phone: String,
    /// Date, as typed.
    pub date: String,
}

impl Identity {
    /// The value of one field.
    pub fn get(&self, field: IdentityField) -> &str {
        match field {
            IdentityField::Name => &self.name,
            IdentityField::Siret => &self.siret,
            IdentityField::Address => &self.address,
            IdentityField::Group => &self.group,
            IdentityField::Signatory => &self.signatory,
            IdentityField::Role => &self.role,
            IdentityField::Contact => &self.contact,
            IdentityField::Email => &self.email,
            IdentityField::Phone => &self.phone,
            IdentityField::Date => &self.date,
        }
    }

    /// The slot of one field.
    pub fn slot(&mut self, field: IdentityField) -> &mut String {
        match field {
            IdentityField::Name => &mut self.name,
            IdentityField::Siret => &mut self.siret,
            IdentityField::Address => &mut self.address,
            IdentityField::Group => &mut self.group,
            IdentityField::Signatory => &mut self.signatory,
            IdentityField::Role => &mut self.role,
            IdentityField::Contact => &mut self.contact,
            IdentityField::Email => &mut self.email,
            IdentityField::Phone => &mut self.phone,
            IdentityField::Date => &mut self.date,
        }
    }
}

/// The questionnaire's metadata, when the file still carries it (a hint only).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    /// Every key and value found, as text.
    pub values: BTreeMap<String, String>,
    /// Question id → SHA-256 of its issued text.
    pub question_hashes: BTreeMap<String, String>,
}

/// What one returned file holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Response {
    /// Its format, from its content (not its name).
    pub format: FileFormat,
    /// The metadata sheet or custom properties, if found.
    pub metadata: Option<Metadata>,
    /// The identity sheet or table.
    pub identity: Identity,
    /// Every row whose first cell looks like a question id, in file order.
    pub rows: Vec<Row>,
    /// Rows of the internal grid that are no questions: the project group's
    /// opinion per criterion (`AVIS-<criterion>`) and the instruction record
    /// (`INSTR-<item>`).
    #[serde(default)]
    pub extras: Vec<Row>,
    /// Texts cut where the file held more than a cell can (see [`cut`]).
    #[serde(default)]
    pub cut: Vec<cut::Cut>,
}

impl Response {
    /// The extra row with this id, if any.
    pub fn extra(&self, id: &str) -> Option<&Row> {
        self.extras.iter().find(|r| r.id == id)
    }

    /// The rows by question id, each id's in the file's order: one pass
    /// over the rows, for those who look up every question's.
    pub fn rows_by_id(&self) -> std::collections::HashMap<&str, Vec<&Row>> {
        let mut by_id: std::collections::HashMap<&str, Vec<&Row>> =
            std::collections::HashMap::with_capacity(self.rows.len());
        for r in &self.rows {
            by_id.entry(r.id.as_str()).or_default().push(r);
        }
        by_id
    }
}

/// A row's location as a reader of `lang` says it: a cell keeps the
/// spreadsheet's own notation (`Questionnaire!E12`, the same in every
/// language); a Word table's row, `table 3, row 4`, is « tableau 3, ligne 4 »
/// in French.
pub fn place(location: &str, lang: crate::text::Lang) -> String {
    let table_row = location
        .strip_prefix("table ")
        .and_then(|rest| rest.split_once(", row "));
    match (table_row, lang) {
        (Some((table, row)), crate::text::Lang::Fr) => format!("tableau {table}, ligne {row}"),
        _ => location.to_string(),
    }
}

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ReadError {
    /// Not a format boussole reads (or a renamed file).
    #[error("not a spreadsheet or Word document boussole reads ({0})")]
    UnknownFormat(String),
    /// Larger than the limits (size, entries, cells…).
    #[error("refused: {0}")]
    TooLarge(String),
    /// Damaged or crafted content.
    #[error("damaged or malformed file: {0}")]
    Malformed(String),
    /// Protected by a password to open.
    #[error("the file is encrypted (password to open); ask the vendor for an unprotected copy")]
    Encrypted,
    /// No header row with `ID` and `Réponse`/`Answer` anywhere.
    #[error("no questionnaire inside (no row headed ID and Réponse/Answer)")]
    NoQuestionnaire,
    /// Could not be read from disk.
    #[error("cannot read the file: {0}")]
    Io(String),
}

impl ReadError {
    /// A part `name` of a package that cannot be read (`e`: why).
    pub fn damaged(name: &str, e: impl std::fmt::Display) -> ReadError {
        ReadError::Malformed(format!("part {name} of the package is damaged ({e})"))
    }

    /// Why the file could not be read, in `lang` (the detail a bound or a
    /// damaged part gives stays as the reader wrote it).
    pub fn describe(&self, lang: crate::text::Lang) -> String {
        use crate::text::Lang::{En, Fr};
        match (self, lang) {
            (_, En) => self.to_string(),
            (ReadError::UnknownFormat(_), Fr) => {
                "ce n'est pas un classeur ni un document Word que boussole lit (XLSX, XLSM, ODS, DOCX ou XLS)".into()
            }
            (ReadError::TooLarge(d), Fr) => format!("refusé, au-delà des limites de lecture ({d})"),
            (ReadError::Malformed(d), Fr) => format!("fichier endommagé ou mal formé ({d})"),
            (ReadError::Encrypted, Fr) => {
                "le fichier est chiffré (mot de passe à l'ouverture) ; demandez-en une copie non protégée".into()
            }
            (ReadError::NoQuestionnaire, Fr) => {
                "aucun questionnaire dedans (aucune ligne d'en-tête « ID » et « Réponse »)".into()
            }
            (ReadError::Io(d), Fr) => format!("lecture impossible ({d})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::place;
    use crate::text::Lang;

    #[test]
    fn a_word_table_row_is_said_in_french_a_cell_as_the_spreadsheet_writes_it() {
        assert_eq!(place("table 3, row 12", Lang::Fr), "tableau 3, ligne 12");
        assert_eq!(place("table 3, row 12", Lang::En), "table 3, row 12");
        assert_eq!(place("Questionnaire!E12", Lang::Fr), "Questionnaire!E12");
    }
}
