#!/usr/bin/env python3
"""Fill a boussole questionnaire the way a vendor would, with openpyxl.

Usage: fill_xlsx.py IN.xlsx OUT.xlsx ANSWERS.json

ANSWERS.json:

    {
      "questions_sheet": "Questionnaire",
      "identity_sheet": "Identité",
      "answer_column": 4,                  # 0-based; comment and document follow
      "identity": ["Exemple IA SAS", ...], # column B of the identity sheet, in order
      "answers": {
        "SOB-01": {"answer": 180, "comment": "...", "document": "..."},
        "SOB-06": {"answer": "1,3", ...},  # a string stays a string
        "CYB-02": {"answer": {"date": "2028-09-30"}, ...}
      }
    }

Optional "record_sheet" and "record" ({"INSTR-…": {"answer": …}}) fill the
internal grid's instruction record; "identity" may be left out (the grid has
no identity sheet). Optional keys play a careless vendor: "reverse_rows": true writes the
question rows back in reverse order; "edit_question": {"ID": "text"}
rewrites a question's text.

Rows are found by the id in column A, never by position. Exits with status 1
naming any id of ANSWERS.json that the sheet does not hold.
"""

import datetime
import json
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


def fill(src, dst, spec):
    """Fills the questionnaire `src` into `dst` as `spec` says."""
    wb = openpyxl.load_workbook(src)
    ws = wb[spec["questions_sheet"]]
    col = spec["answer_column"] + 1
    rows = {str(r[0].value): r[0].row for r in ws.iter_rows(min_row=2) if r[0].value}
    missing = [i for i in spec["answers"] if i not in rows]
    if missing:
        sys.exit("ids not in the sheet: " + ", ".join(missing))
    for ident, a in spec["answers"].items():
        if a is None:
            continue
        row = rows[ident]
        ws.cell(row=row, column=col, value=value(a["answer"]))
        ws.cell(row=row, column=col + 1, value=a.get("comment"))
        ws.cell(row=row, column=col + 2, value=a.get("document"))
    for ident, text in spec.get("edit_question", {}).items():
        ws.cell(row=rows[ident], column=3, value=text)
    if spec.get("reverse_rows"):
        reverse(ws, sorted(rows.values()))
    if spec.get("identity"):
        identity = wb[spec["identity_sheet"]]
        for i, v in enumerate(spec["identity"], start=1):
            identity.cell(row=i, column=2, value=value(v))
    if spec.get("record"):
        sheet = wb[spec["record_sheet"]]
        rows = {str(r[0].value): r[0].row for r in sheet.iter_rows(min_row=2) if r[0].value}
        for ident, a in spec["record"].items():
            sheet.cell(row=rows[ident], column=col, value=value(a["answer"]))
            sheet.cell(row=rows[ident], column=col + 1, value=a.get("comment"))
    wb.save(dst)


if __name__ == "__main__":
    main()
