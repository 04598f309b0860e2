//! Every bound a returned file is read under, in one place.
//!
//! A returned file comes from outside: each reader refuses what would make
//! it, or a crate under it, allocate or loop beyond what a questionnaire
//! needs, and names the bound in its message. The figures are here so that
//! one can read them all at once and see they hold together: a part is
//! smaller than a package, a sheet's text smaller than a file's, and so on.

use std::time::Duration;

// The file and its package.

/// Largest file read: 20 MiB.
pub const MAX_FILE_SIZE: u64 = 20 * 1024 * 1024;
/// Longest `[Content_Types].xml` or `mimetype` read to tell formats apart.
pub const MAX_SNIFF_PART: u64 = 1024 * 1024;
/// Most entries in a package.
pub const MAX_ENTRIES: usize = 2_000;
/// Largest declared uncompressed size of one entry: 50 MiB.
pub const MAX_ENTRY_SIZE: u64 = 50 * 1024 * 1024;
/// Largest declared uncompressed size of all entries: 200 MiB.
pub const MAX_TOTAL_SIZE: u64 = 200 * 1024 * 1024;
/// Highest compression ratio of an entry larger than [`RATIO_FLOOR`].
pub const MAX_RATIO: u64 = 100;
/// Entries up to this size are not checked for their compression ratio.
pub const RATIO_FLOOR: u64 = 1024 * 1024;

// Workbooks (XLSX, XLSM, ODS; XLS in a child process, see below).

/// Rows a sheet may use (positions beyond are refused).
pub const MAX_ROWS: u64 = 5_000;
/// Columns a sheet may use (positions beyond are refused).
pub const MAX_COLUMNS: u64 = 100;
/// Most cells in one sheet part (duplicated positions included), and in
/// all the sheets of a workbook together.
pub const MAX_CELLS: u64 = MAX_ROWS * MAX_COLUMNS;
/// Most distinct shared strings.
pub const MAX_STRINGS: u64 = 1_000_000;
/// Highest shared-formula index (`<f si>`) of an XLSX sheet.
pub const MAX_SHARED_FORMULAS: u64 = 100_000;
/// Most styles, fonts, fills, borders and number formats of a styles part
/// (Excel allows 64,000 cell styles).
pub const MAX_STYLES: u64 = 100_000;
/// Most sheets of a workbook (`<sheet>` entries of a part, ODS tables):
/// each is parsed in full, and a crafted workbook can name the same large
/// sheet many times.
pub const MAX_SHEETS: u64 = 64;
/// Most bytes of text a reader may copy into the cells of one part, and
/// all the sheets of a workbook (or the tables of a Word document) may hold
/// together: 16 MiB, over five times a questionnaire whose every answer
/// fills a cell as far as Excel allows.
pub const MAX_TEXT_BYTES: u64 = 16 * 1024 * 1024;
/// Most cells of all ODS tables together (their dense areas).
pub const MAX_ODS_CELLS: u64 = 1_000_000;

// Word documents and the XML parts of every package.

/// Most bytes read from one XML part.
pub const MAX_PART: u64 = MAX_ENTRY_SIZE;
/// Largest part inflated whole before it is parsed (faster: the parser
/// borrows its text instead of copying it); a larger one is streamed.
pub const MAX_PART_IN_MEMORY: u64 = 4 * 1024 * 1024;
/// Deepest element nesting accepted.
pub const MAX_DEPTH: usize = 256;
/// Most tables, rows and (grid) cells of a Word document, counted together;
/// also the most styles and relationships read.
pub const MAX_ITEMS: usize = 200_000;
/// Widest column span a Word table cell may claim (`w:gridSpan`).
pub const MAX_SPAN: usize = 64;
/// Most bytes of nested tables' text copied into the cells holding them.
pub const MAX_NESTED_TEXT: u64 = 8 * 1024 * 1024;
/// How many styles a Word style's `basedOn` chain is followed through.
pub const MAX_BASED_ON: usize = 32;

// What a response keeps.

/// Most characters kept from one cell: Excel's own limit.
pub const MAX_CELL_CHARS: usize = 32_767;
/// Most characters kept from one identity field.
pub const MAX_IDENTITY_CHARS: usize = 500;

// Evidence files vendors attach (measurement files, model cards, bills of
// materials: see `crate::evidence`).

/// Largest evidence file read: 4 MiB (a model card or a bill of materials
/// weighs a few kilobytes, a year of CodeCarbon runs under 1 MiB).
pub const MAX_EVIDENCE_SIZE: u64 = 4 * 1024 * 1024;
/// Most evidence files read with one returned questionnaire.
pub const MAX_EVIDENCE_FILES: usize = 64;
/// Most rows of an evidence CSV file.
pub const MAX_EVIDENCE_ROWS: usize = 10_000;
/// Most values (objects, arrays, strings, numbers) of an evidence JSON or
/// YAML file.
pub const MAX_EVIDENCE_VALUES: usize = 200_000;
/// Deepest nesting of an evidence JSON or YAML file.
pub const MAX_EVIDENCE_DEPTH: usize = 64;
/// Most facts kept from one evidence file.
pub const MAX_FACTS: usize = 1_000;
/// Most characters kept from one text of an evidence file.
pub const MAX_FACT_CHARS: usize = 500;

// The child process reading Excel 97–2003 files.

/// Memory the child may use.
pub const MEMORY_LIMIT: u64 = 2 << 30;
/// Time the child may take.
pub const TIME_LIMIT: Duration = Duration::from_secs(30);

// The bounds hold together, or the build fails.
const _: () = assert!(MAX_FILE_SIZE < MAX_ENTRY_SIZE && MAX_ENTRY_SIZE < MAX_TOTAL_SIZE);
const _: () = assert!(MAX_TEXT_BYTES < MAX_ENTRY_SIZE && MAX_NESTED_TEXT < MAX_TEXT_BYTES);
const _: () = assert!((MAX_CELL_CHARS as u64) * 4 < MAX_TEXT_BYTES);
const _: () = assert!(MAX_EVIDENCE_SIZE < MAX_FILE_SIZE && MAX_EVIDENCE_DEPTH < MAX_DEPTH);
// serde_json stops at 128 levels of its own: the evidence bound is checked first.
const _: () = assert!(MAX_EVIDENCE_DEPTH < 128);

/// `12000` as `12,000`, for the messages naming a bound.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_written_with_thousands_separators() {
        assert_eq!(thousands(12_000), "12,000");
        assert_eq!(thousands(999), "999");
    }
}
