#!/usr/bin/env python3
"""Fill a boussole questionnaire the way a vendor would, with openpyxl.

Usage: fill_xlsx.py IN.xlsx OUT.xlsx ANSWERS.json

ANSWERS.json:

    {
      "questions_sheet": "Questionnaire",
      "identity_sheet": "Identité",
      "answer_column": 4,                  # 0-based; comment and document follow
                                           # (the "Réponse"/"Answer" header wins when found)
      "identity": {"Raison sociale": "Exemple IA SAS", "SIRET": "012 345 678 00019", ...},
                                           # by label in column A; a list fills the labels
                                           # name, SIRET, contact, email, date in that order
      "answers": {
        "SOB-01": {"answer": 180, "comment": "...", "document": "..."},
        "SOB-06": {"answer": "1,3", ...},  # a string stays a string
        "CYB-02": {"answer": {"date": "2028-09-30"}, ...},
        "BIO-07": {"options": {"Empreinte vocale": "Oui", ...}}  # a multiple choice,
                                           # option by option (rows below, by label)
      }
    }

An answer's optional "number_format" is given to its cell (`"Oui";"Oui";"Oui"`
shows any number as « Oui »).

Optional "record_sheet" and "record" ({"INSTR-…": {"answer": …}}) fill the
internal grid's instruction record; "identity" may be left out (the grid has
no identity sheet). Optional keys play a careless vendor: "reverse_rows": true writes the
question rows back in reverse order; "edit_question": {"ID": "text"}
rewrites a question's text.

Rows are found by the id in column A, never by position; option rows by
their label in the question column, below their question. An answer typed
into a cell with a drop-down is written as the drop-down lists it (picked
from the list, its typography included) when it is one of its entries. Exits with status 1
naming any id of ANSWERS.json that the sheet does not hold.
"""

import datetime
import json
import re
import sys

import openpyxl


def value(v):
    if isinstance(v, dict) and "date" in v:
        return datetime.date.fromisoformat(v["date"])
    return v


def reverse(ws, row_numbers):
    """Writes the values of the question rows back in reverse order."""
    width = ws.max_column
    values = [[ws.cell(row=r, column=c).value for c in range(1, width + 1)] for r in row_numbers]
    for r, vals in zip(row_numbers, reversed(values)):
        for c, v in enumerate(vals, start=1):
            ws.cell(row=r, column=c, value=v)


def main():
    src, dst, answers_path = sys.argv[1:4]
    with open(answers_path, encoding="utf-8") as f:
        spec = json.load(f)
    fill(src, dst, spec)


ID = re.compile(r"[A-Z]{3}-\d\d|(AVIS|INSTR)-[a-z_]+")  # a row id; criterion titles are not

LEGACY_IDENTITY = [
    ["Raison sociale", "Company name"],
    ["SIRET", "SIREN/SIRET"],
    ["Personne à contacter", "Contact person", "Contact"],
    ["Courriel", "Email"],
    ["Date"],
]


def header_column(ws, names, default):
    """The 1-based column whose header (row 1) is one of `names`."""
    for cell in ws[1]:
        if cell.value in names:
            return cell.column
    return default


def fill_identity(ws, identity):
    """Fills column B of the identity sheet, each value on its label's row."""
    if isinstance(identity, list):
        identity = {tuple(LEGACY_IDENTITY[i]): v for i, v in enumerate(identity)}
    else:
        identity = {(k,): v for k, v in identity.items()}
    rows = {str(r[0].value).strip(): r[0].row for r in ws.iter_rows() if r[0].value}
    for labels, v in identity.items():
        row = next((rows[l] for l in labels if l in rows), None)
        if row is None:
            sys.exit("identity label not in the sheet: " + labels[0])
        ws.cell(row=row, column=2, value=value(v))


def plain(label):
    """A label as compared: straight apostrophes, plain spaces (the
    questionnaire prints French typography)."""
    return " ".join(str(label).replace("\u2019", "'").replace("\u202f", " ").replace("\xa0", " ").split())


def dropdown(wb, ws, coordinate):
    """The entries of the drop-down list of the cell at `coordinate`, if any:
    inline ("a,b,c") or a range of another sheet."""
    for dv in ws.data_validations.dataValidation:
        if dv.type != "list" or coordinate not in dv.sqref or not dv.formula1:
            continue
        f = dv.formula1
        if f.startswith('"'):
            return [x.replace('""', '"') for x in f[1:-1].split(",")]
        if "!" in f:
            sheet, cells = f.rsplit("!", 1)
            rows = wb[sheet.strip("'")][cells.replace("$", "")]
            return [c.value for r in rows for c in r if c.value is not None]
    return []


def picked(wb, ws, cell, v):
    """`v` as the cell's drop-down lists it, when it is one of its entries."""
    if not isinstance(v, str):
        return v
    return next((e for e in dropdown(wb, ws, cell.coordinate) if plain(e) == plain(v)), v)


def fill_options(ws, row, qcol, col, options):
    """Answers a multiple choice option by option: the rows below `row`
    with no id, found by their label."""
    below = {}
    r = row + 1
    while ws.cell(row=r, column=1).value in (None, "") and ws.cell(row=r, column=qcol).value:
        below[plain(ws.cell(row=r, column=qcol).value)] = r
        r += 1
    for label, v in options.items():
        if plain(label) not in below:
            sys.exit(f"option not below row {row}: {label}")
        ws.cell(row=below[plain(label)], column=col, value=value(v))


def fill(src, dst, spec):
    """Fills the questionnaire `src` into `dst` as `spec` says."""
    wb = openpyxl.load_workbook(src)
    ws = wb[spec["questions_sheet"]]
    col = header_column(ws, ("Réponse", "Answer"), spec["answer_column"] + 1)
    qcol = header_column(ws, ("Question",), 3)
    rows = {str(r[0].value).strip(): r[0].row for r in ws.iter_rows(min_row=2)
            if r[0].value and ID.fullmatch(str(r[0].value).strip())}
    missing = [i for i in spec["answers"] if i not in rows]
    if missing:
        sys.exit("ids not in the sheet: " + ", ".join(missing))
    for ident, a in spec["answers"].items():
        if a is None:
            continue
        row = rows[ident]
        if "options" in a:
            fill_options(ws, row, qcol, col, a["options"])
        else:
            cell = ws.cell(row=row, column=col)
            cell.value = picked(wb, ws, cell, value(a["answer"]))
            if a.get("number_format"):
                cell.number_format = a["number_format"]
        ws.cell(row=row, column=col + 1, value=a.get("comment"))
        ws.cell(row=row, column=col + 2, value=a.get("document"))
    for ident, text in spec.get("edit_question", {}).items():
        ws.cell(row=rows[ident], column=qcol, value=text)
    if spec.get("reverse_rows"):
        reverse(ws, sorted(rows.values()))
    if spec.get("identity"):
        fill_identity(wb[spec["identity_sheet"]], spec["identity"])
    if spec.get("record"):
        sheet = wb[spec["record_sheet"]]
        rows = {str(r[0].value): r[0].row for r in sheet.iter_rows(min_row=2) if r[0].value}
        for ident, a in spec["record"].items():
            sheet.cell(row=rows[ident], column=col, value=value(a["answer"]))
            sheet.cell(row=rows[ident], column=col + 1, value=a.get("comment"))
    wb.save(dst)


if __name__ == "__main__":
    main()
