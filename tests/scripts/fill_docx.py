#!/usr/bin/env python3
"""Fill a boussole DOCX questionnaire the way a vendor would, with python-docx.

Usage: fill_docx.py IN.docx OUT.docx ANSWERS.json

ANSWERS.json has the same shape as for fill_xlsx.py ("identity", "answers");
numbers and dates are typed as text, as they would be in Word. Rows are found
by the id in the first cell of each question table, never by position.
"""

import json
import sys

import docx

IDENTITY_LABELS = {"Raison sociale", "Company name"}
ANSWER_HEADERS = {"Réponse", "Answer"}


def text(v):
    if isinstance(v, dict) and "date" in v:
        return v["date"]
    if isinstance(v, float):
        return ("%g" % v).replace(".", ",")
    return str(v)


def main():
    src, dst, answers_path = sys.argv[1:4]
    with open(answers_path, encoding="utf-8") as f:
        spec = json.load(f)
    document = docx.Document(src)
    seen = set()
    for table in document.tables:
        header = [c.text.strip() for c in table.rows[0].cells]
        first_column = [r.cells[0].text.strip() for r in table.rows]
        if IDENTITY_LABELS & set(first_column):
            for row, value in zip(table.rows[1:], spec.get("identity", [])):
                row.cells[1].text = text(value)
            continue
        if not header or header[0] != "ID" or not ANSWER_HEADERS & set(header):
            continue
        col = next(i for i, h in enumerate(header) if h in ANSWER_HEADERS)
        for row in table.rows[1:]:
            ident = row.cells[0].text.strip()
            a = spec["answers"].get(ident)
            if a is None:
                continue
            seen.add(ident)
            row.cells[col].text = text(a["answer"])
            if a.get("comment"):
                row.cells[col + 1].text = a["comment"]
            if a.get("document"):
                row.cells[col + 2].text = a["document"]
    missing = [i for i in spec["answers"] if i not in seen]
    if missing:
        sys.exit("ids not in the document: " + ", ".join(missing))
    document.save(dst)


if __name__ == "__main__":
    main()
