#!/usr/bin/env python3
"""Write text that looks like a formula into a filled questionnaire, as text.

Usage: literal_xlsx.py IN.xlsx OUT.xlsx SPEC.json

SPEC.json:

    {
      "questions_sheet": "Questionnaire",
      "answer_column": 4,                      # 0-based; the comment follows
      "cells": {
        "SOB-06": {"answer": "=1+1"},
        "BIO-01": {"comment": "=HYPERLINK(\\"http://x\\",\\"y\\")"}
      }
    }

openpyxl turns any string starting with "=" into a formula; here the cell is
forced to a string, as a vendor typing '=1+1 (leading apostrophe) in Excel
would leave it. Rows are found by the id in column A, never by position.
"""

import json
import sys

import openpyxl


def main():
    src, dst, spec_path = sys.argv[1:4]
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    wb = openpyxl.load_workbook(src)
    ws = wb[spec["questions_sheet"]]
    col = spec["answer_column"] + 1
    rows = {str(r[0].value): r[0].row for r in ws.iter_rows(min_row=2) if r[0].value}
    for ident, cells in spec["cells"].items():
        for offset, key in ((0, "answer"), (1, "comment")):
            if key in cells:
                cell = ws.cell(row=rows[ident], column=col + offset)
                cell.value = cells[key]
                cell.data_type = "s"
    wb.save(dst)


if __name__ == "__main__":
    main()
