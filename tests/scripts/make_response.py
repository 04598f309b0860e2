#!/usr/bin/env python3
"""Write a returned questionnaire the way a third-party program would.

Usage: make_response.py OUT_DIR

Writes OUT_DIR/response.xlsx (openpyxl) and OUT_DIR/response.docx
(python-docx), in boussole's layout but edited as a vendor might:

- response.xlsx: an Instructions sheet; an identity sheet (French labels in
  column A, answers in column B, the date as a date cell); a Questionnaire
  sheet whose header row has an extra column ("Note interne") inserted
  before "Réponse", a criterion title row, rows out of order, a duplicated
  id (with spaces around it), a text, a number, a percent-formatted number,
  a date, a formula with its cached value, a boolean, and a row whose first
  cell is not a question id; a very hidden "_boussole" sheet of key/value
  rows then id/hash rows.
- response.docx: a title, the identity table, then two criterion tables:
  the first in the usual column order, with a tab and a line break in an
  answer and a two-paragraph comment; the second with its columns
  reordered, a tracked insertion kept and a tracked deletion dropped; and
  custom properties boussole.* (added to the package by hand, since
  python-docx cannot write them).

The Rust test (tests/suite/response.rs) states what boussole must read back.
"""

import datetime
import os
import re
import sys
import zipfile

import docx
import openpyxl
from docx.oxml import parse_xml

HASH_01 = "a" * 64
HASH_02 = "b" * 64

IDENTITY = [
    ("Raison sociale", "Exemple IA SAS"),
    ("SIREN/SIRET", "123 456 789 00012"),
    ("Contact", "Jeanne Martin"),
    ("Courriel", "jeanne.martin@example.fr"),
    ("Date", datetime.date(2027, 1, 15)),
]

META = [
    ("format_version", "1"),
    ("tool", "boussole 0.1.0"),
    ("library_version", "2026.1"),
    ("library_hash", "c" * 64),
    ("profile_hash", "d" * 64),
    ("lang", "fr"),
    ("audience", "vendor"),
    ("SOB-01", HASH_01),
    ("SOB-02", HASH_02),
]

HEADER = [
    "ID",
    "Critère",
    "Question",
    "Format attendu / aide",
    "Note interne",
    "Réponse",
    "Justification / commentaire",
    "Pièce justificative",
]


def xlsx(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Instructions"
    ws.append(["Cadre de réponse"])
    ws.append(["Contact", "acheteur@example.fr"])

    ident = wb.create_sheet("Identité")
    for label, value in IDENTITY:
        ident.append([label, value])

    q = wb.create_sheet("Questionnaire")
    q.append(HEADER)
    q.append([None, "1. Sobriété"])
    rows = [
        ("SOB-02", "Hébergement", "Q2", "Oui ou Non", "x", "Oui", "Centre certifié", "annexe 2, p. 3"),
        ("SOB-01", "Hébergement", "Q1", "nombre", None, 180, "Mesuré en 2026", None),
        ("SOB-03", "Hébergement", "Q3", "pourcentage", None, 0.85, None, None),
        ("CYB-02", "Sécurité", "Q5", "date", None, datetime.date(2028, 9, 30), None, None),
        ("CYB-01", "Sécurité", "Q4", "nombre", None, "=1+1", None, None),
        ("CYB-03", "Sécurité", "Q6", "Oui ou Non", None, True, None, None),
        (" SOB-02 ", "Hébergement", "Q2 bis", None, None, "Non", "doublon", None),
        ("note : hors questionnaire", None, None, None, None, "ignoré", None, None),
    ]
    for r in rows:
        q.append(list(r))
    q["F5"].number_format = "0%"
    q["F6"].number_format = "yyyy-mm-dd"

    meta = wb.create_sheet("_boussole")
    for key, value in META:
        meta.append([key, value])
    meta.sheet_state = "veryHidden"
    wb.save(path)
    set_cached_value(path, "xl/worksheets/sheet3.xml", "F7", "2")


def set_cached_value(path, part, ref, value):
    """openpyxl writes formulas without a cached value: add one, as Excel would."""
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            if info.filename == part:
                text = data.decode("utf-8")
                pattern = r'(<c r="%s"[^>]*>\s*<f>[^<]*</f>)\s*(<v\s*/>|<v>\s*</v>)?' % ref
                text, n = re.subn(pattern, r"\1<v>%s</v>" % value, text)
                assert n == 1, "formula cell %s not found in %s" % (ref, part)
                data = text.encode("utf-8")
            z.writestr(info, data)


def table(document, rows):
    t = document.add_table(rows=0, cols=len(rows[0]))
    for values in rows:
        cells = t.add_row().cells
        for cell, value in zip(cells, values):
            cell.text = value
    return t


TRACKED = (
    '<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:ins w:id="1" w:author="V" w:date="2027-01-15T00:00:00Z"><w:r><w:t>Oui</w:t></w:r></w:ins>'
    '<w:del w:id="2" w:author="V" w:date="2027-01-15T00:00:00Z"><w:r><w:delText>Non</w:delText></w:r></w:del>'
    "</w:p>"
)


def docx_file(path):
    d = docx.Document()
    d.add_heading("Cadre de réponse", level=1)
    table(d, [[label, str(value)] for label, value in IDENTITY])
    d.add_paragraph("1. Sobriété")
    t1 = table(
        d,
        [
            ["ID", "Question", "Réponse", "Justification / commentaire", "Pièce justificative"],
            ["SOB-01", "Q1", "180", "Mesuré", "annexe 1"],
            ["SOB-02", "Q2", "Oui\tcertifié\nISO 50001", "", ""],
        ],
    )
    comment = t1.rows[2].cells[3]
    comment.paragraphs[0].text = "Premier"
    comment.add_paragraph("Second")
    d.add_paragraph("2. Sécurité")
    t2 = table(
        d,
        [
            ["ID", "Réponse", "Question", "Justification / commentaire"],
            ["CYB-01", "", "Q4", "suivi"],
            ["CYB-02", "2028-09-30", "Q5", ""],
        ],
    )
    cell = t2.rows[1].cells[1]
    cell._tc.remove(cell.paragraphs[0]._p)
    cell._tc.append(parse_xml(TRACKED))
    d.save(path)
    add_custom_properties(path)


CUSTOM = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">%s</Properties>"""
PROPERTY = (
    '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="%d" name="%s">'
    "<vt:lpwstr>%s</vt:lpwstr></property>"
)


def add_custom_properties(path):
    props = [
        ("boussole.format", "1"),
        ("boussole.library_version", "2026.1"),
        ("boussole.lang", "fr"),
        ("boussole.q.SOB-01", HASH_01),
        ("other.property", "ignored"),
    ]
    xml = CUSTOM % "".join(PROPERTY % (i + 2, k, v) for i, (k, v) in enumerate(props))
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/docProps/custom.xml" ContentType='
                    b'"application/vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>',
                )
            if info.filename == "_rels/.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdCustom" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/custom-properties" Target="docProps/custom.xml"/>'
                    b"</Relationships>",
                )
            z.writestr(info, data)
        z.writestr("docProps/custom.xml", xml)


def main():
    out = sys.argv[1]
    xlsx(os.path.join(out, "response.xlsx"))
    docx_file(os.path.join(out, "response.docx"))


if __name__ == "__main__":
    main()
