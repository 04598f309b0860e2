#!/usr/bin/env python3
"""Type legal staff's decisions into a boussole scoring workbook, with openpyxl.

Usage: decide_xlsx.py IN.xlsx OUT.xlsx DECISIONS.json

DECISIONS.json:

    {
      "sheet": "Points à examiner",
      "decisions": [
        {"question": "BIO-01", "file": "biometrie.xlsx",   # the end of the File cell
         "decision": "constat levé", "reviewer": "M. Durand",
         "date": {"date": "2027-02-01"},                 # a date cell; a string stays text
         "comment": "Option désactivée contractuellement"}
      ],
      "reverse_rows": true,     # optional: rows written back in reverse order
      "insert_column": true,    # optional: a column inserted before the first
      "former_layout": true     # optional: the columns put back in the order of
                                # workbooks made before the decision sat beside
                                # the finding (after the legal basis)
    }

The committee's marks go the same way into the marking sheet: "sheet":
"Notation commission", and entries {"question", "file", "mark": 3,
"reasons": "…"}.

Columns are found by their header in row 1 (French or English), rows by
question id and file, never by position. Exits with status 1 naming any
decision whose row is not in the sheet.
"""

import datetime
import json
import sys

import openpyxl

HEADERS = {
    "question": ("Question",),
    "file": ("Fichier", "File"),
    "decision": ("Décision", "Decision"),
    "reviewer": ("Relecteur", "Reviewer"),
    "date": ("Date de la décision", "Decision date"),
    "comment": ("Commentaire du relecteur", "Reviewer's comment"),
    "mark": ("Note de la commission (0 à 4)", "Committee's mark (0 to 4)"),
    "reasons": ("Motifs de la note", "Reasons for the mark"),
}


def value(v):
    if isinstance(v, dict) and "date" in v:
        return datetime.date.fromisoformat(v["date"])
    return v


def columns(ws):
    found = {}
    for c in ws[1]:
        for key, names in HEADERS.items():
            # Headers are set in French typography (no-break spaces): compare words.
            if isinstance(c.value, str) and " ".join(c.value.split()) in names:
                found[key] = c.column
    return found


def reverse(ws):
    """Writes the rows below the header back in reverse order, values only."""
    width = ws.max_column
    numbers = list(range(2, ws.max_row + 1))
    values = [[ws.cell(row=r, column=c).value for c in range(1, width + 1)] for r in numbers]
    for r, vals in zip(numbers, reversed(values)):
        for c, v in enumerate(vals, start=1):
            ws.cell(row=r, column=c, value=v)


# The points sheet's columns as workbooks made before the decision moved
# beside the finding wrote them.
FORMER_LAYOUT = [
    "Candidat", "Gravité", "Constat", "Critère", "Question",
    "Intitulé de la question", "Réponse du candidat", "Commentaire du candidat",
    "Règle et motif", "Clauses", "Base légale", "Décision", "Relecteur",
    "Date de la décision", "Commentaire du relecteur", "Code", "Fichier",
    "SHA-256 du fichier",
]


# Headers renamed since: the former name, the name the sheet has now.
RENAMED = {
    "Candidat": "Soumissionnaire",
    "Réponse du candidat": "Réponse du soumissionnaire",
    "Commentaire du candidat": "Commentaire du soumissionnaire",
}


def former_layout(ws):
    """Writes the sheet's columns back in FORMER_LAYOUT order, values only,
    under their former headers."""
    words = lambda v: " ".join(str(v).split()) if v is not None else None
    by_header = {}
    for c in range(1, ws.max_column + 1):
        by_header[words(ws.cell(row=1, column=c).value)] = [
            ws.cell(row=r, column=c).value for r in range(1, ws.max_row + 1)
        ]
    missing = [h for h in FORMER_LAYOUT if RENAMED.get(h, h) not in by_header]
    if missing:
        sys.exit("headers not in the sheet: " + ", ".join(missing))
    for c, h in enumerate(FORMER_LAYOUT, start=1):
        for r, v in enumerate(by_header[RENAMED.get(h, h)], start=1):
            ws.cell(row=r, column=c, value=h if r == 1 else v)


def main():
    src, dst, spec_path = sys.argv[1:4]
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    wb = openpyxl.load_workbook(src)
    ws = wb[spec["sheet"]]
    if spec.get("reverse_rows"):
        reverse(ws)
    if spec.get("former_layout"):
        former_layout(ws)
    if spec.get("insert_column"):
        ws.insert_cols(1)
        ws.cell(row=1, column=1, value="Note interne")
    col = columns(ws)
    missing = []
    for d in spec["decisions"]:
        rows = [
            r
            for r in range(2, ws.max_row + 1)
            if ws.cell(row=r, column=col["question"]).value == d["question"]
            and str(ws.cell(row=r, column=col["file"]).value or "").endswith(d["file"])
        ]
        if not rows:
            missing.append(d["question"] + " " + d["file"])
            continue
        for key in ("decision", "reviewer", "date", "comment", "mark", "reasons"):
            if key in d:
                ws.cell(row=rows[0], column=col[key], value=value(d[key]))
    if missing:
        sys.exit("no row for: " + ", ".join(missing))
    wb.save(dst)


if __name__ == "__main__":
    main()
