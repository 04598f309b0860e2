#!/usr/bin/env python3
"""Fill a boussole DOCX questionnaire the way a vendor would, with python-docx.

Usage: fill_docx.py IN.docx OUT.docx ANSWERS.json

ANSWERS.json has the same shape as for fill_xlsx.py ("identity", "answers");
numbers and dates are typed as text, as they would be in Word. An answer's
optional "hidden" text is added to its cell as hidden text, directly or,
with "hidden_style": NAME, through a character style (to play a vendor who
hides text). Rows are found
by the id in the first cell of each question table, never by position.
"""

import json
import sys

import docx
from docx.enum.style import WD_STYLE_TYPE

IDENTITY_LABELS = {"Raison sociale", "Company name"}
ANSWER_HEADERS = {"Réponse", "Answer"}


def text(v):
    if isinstance(v, dict) and "date" in v:
        return v["date"]
    if isinstance(v, float):
        return ("%g" % v).replace(".", ",")
    return str(v)


def plain(label):
    """A label as compared: straight apostrophes, plain spaces (the
    questionnaire prints French typography)."""
    return " ".join(label.replace("\u2019", "'").replace("\u202f", " ").replace("\xa0", " ").split())


LEGACY_IDENTITY = [
    "Raison sociale|Company name",
    "SIRET|SIREN/SIRET",
    "Personne à contacter|Contact person|Contact",
    "Courriel|Email",
    "Date",
]


def hide(document, cell, text, style_name):
    """Adds `text` to `cell` as hidden text (Word's « Masqué »): in a run of
    its own, hidden directly or, given `style_name`, through a character
    style of that name."""
    run = cell.paragraphs[-1].add_run(text)
    if not style_name:
        run.font.hidden = True
        return
    names = [s.name for s in document.styles]
    if style_name not in names:
        style = document.styles.add_style(style_name, WD_STYLE_TYPE.CHARACTER)
        style.font.hidden = True
    run.style = document.styles[style_name]


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
            identity = spec.get("identity", [])
            if isinstance(identity, list):  # name, SIRET, contact, email, date
                identity = dict(zip(LEGACY_IDENTITY, identity))
            for row in table.rows[1:]:
                label = row.cells[0].text.strip()
                for key, value in identity.items():
                    if label in key.split("|"):
                        row.cells[1].text = text(value)
            continue
        if not header or header[0] != "ID" or not ANSWER_HEADERS & set(header):
            continue
        col = next(i for i, h in enumerate(header) if h in ANSWER_HEADERS)
        options = {}
        for row in table.rows[1:]:
            ident = row.cells[0].text.strip()
            if not ident:  # an option row of the question above
                label = plain(row.cells[1].text)
                if label in options:
                    row.cells[col].text = text(options[label])
                continue
            a = spec["answers"].get(ident)
            options = {plain(k): v for k, v in (a or {}).get("options", {}).items()}
            if a is None:
                continue
            seen.add(ident)
            if "answer" in a:
                row.cells[col].text = text(a["answer"])
            if a.get("hidden"):
                hide(document, row.cells[col], a["hidden"], a.get("hidden_style"))
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
