#!/usr/bin/env python3
"""Print, as JSON, what a boussole questionnaire workbook holds.

Usage: inspect_xlsx.py FILE.xlsx QUESTIONS_SHEET IDENTITY_SHEET

Reads the file with openpyxl (never modified) and prints one JSON object:

- sheets: name, state (visible, hidden, veryHidden), protected, password set;
- header: the first row of the questions sheet;
- rows: for each id in column A (below the header), its row number, the
  value and locked state of each cell of the row, and the answer cell's
  number format;
- validations: type, ranges, operator, formulas, error style, titles and
  messages of each data validation of the questions sheet;
- identity: the labels in column A of the identity sheet whose answer cell
  (column B) is unlocked, and the number format of each answer cell.
"""

import json
import re
import sys

import openpyxl


def sheet_info(ws):
    return {
        "name": ws.title,
        "state": ws.sheet_state,
        "protected": bool(ws.protection.sheet),
        "password": bool(ws.protection.password),
    }


def rows(ws):
    out = {}
    for row in ws.iter_rows(min_row=2):
        ident = row[0].value
        if ident is None or not re.fullmatch(r"[A-Z]{3}-\d\d", str(ident).strip()):
            continue
        out[str(ident)] = {
            "row": row[0].row,
            "values": [c.value if c.value is None else str(c.value) for c in row],
            "locked": [bool(c.protection.locked) for c in row],
            "answer_format": row[4].number_format if len(row) > 4 else None,
        }
    return out


def validations(ws):
    out = []
    for dv in ws.data_validations.dataValidation:
        out.append(
            {
                "type": dv.type,
                "ranges": str(dv.sqref).split(),
                "operator": dv.operator,
                "formula1": dv.formula1,
                "formula2": dv.formula2,
                # openpyxl leaves the default ("stop") unset.
                "errorStyle": dv.errorStyle or "stop",
                "promptTitle": dv.promptTitle,
                "prompt": dv.prompt,
                "errorTitle": dv.errorTitle,
                "error": dv.error,
            }
        )
    return out


def identity(ws):
    labels, formats = [], []
    for row in ws.iter_rows(min_col=1, max_col=2):
        if row[0].value is None or row[1].protection.locked:
            continue
        labels.append(str(row[0].value))
        formats.append(row[1].number_format)
    return {"labels": labels, "answer_formats": formats}


def main():
    path, questions, ident = sys.argv[1:4]
    wb = openpyxl.load_workbook(path)
    ws = wb[questions]
    report = {
        "sheets": [sheet_info(s) for s in wb.worksheets],
        "header": [c.value for c in ws[1]],
        "rows": rows(ws),
        "validations": validations(ws),
        "identity": identity(wb[ident]),
    }
    json.dump(report, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
