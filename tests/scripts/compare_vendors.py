#!/usr/bin/env python3
"""Fill the boussole questionnaire as five fictional vendors would, with openpyxl.

Usage: compare_vendors.py QUESTIONNAIRE.xlsx LOCK OUTDIR [--edge QUESTIONNAIRE.docx]

Reads the questions from LOCK (the questionnaire's .boussole.lock), answers
each with its compliant example typed as a vendor types it (numbers and dates
as such, choices by their French label; free text in the vendor's own words
and documents cited, see careful.py), then changes a few answers per vendor. Writes into OUTDIR:

- atelier.xlsx   Atelier Numérique Loire: the best figures, a slow support
- brume.xlsx     Brume Analytics: a long exit notice, data kept a short time
- cobalt.xlsx    Cobalt Services: weak on sobriety
- delta.xlsx     Delta Vision: biometric identification (eliminatory), with
                 a comment and an answer that look like a formula, kept as
                 text (openpyxl would otherwise write a formula)
- echo.xlsx      Écho Conseil: regularity answers left empty (to regularise)
                 and an award answer left empty (no points)

With --edge (and the DOCX questionnaire of the same tender), also:

- fenetre.xlsx   Fenêtre Étroite: control characters (written as the _xHHHH_
                 escapes Excel uses) in a failing answer and its comment
- longue.docx    Longue Réponse SA, filled with python-docx (fill_docx.py): a
                 40,000-character answer that fails its rule (a spreadsheet
                 cell holds at most 32,767 characters, a Word table cell more)

The XLSX files are reproducible (fixed dates inside and in the zip), so
that the examples made from them only change when boussole does. Used by
tests/suite/reports_memo.rs and by make_comparison_examples.sh. Rows are found by
the id in column A, never by position.
"""

import datetime
import json
import os
import re
import subprocess
import sys
import zipfile

import openpyxl

import careful

QUESTIONS_SHEET = "Questionnaire"
IDENTITY_SHEET = "Identité"
ANSWER_COLUMN = 5  # 1-based; the comment follows

# The date the vendors' files carry, inside and in the zip.
FIXED = datetime.datetime(2027, 1, 15, 8, 0, 0)

HYPERLINK = '=HYPERLINK("http://x","y")'
LONG_END = "FinDeLaReponseLongue"

VENDORS = {
    "atelier.xlsx": {
        "identity": ["Atelier Numérique Loire", "512 345 679 00009", "Claire Moreau",
                     "claire.moreau@example.org", "2027-01-18"],
        "answers": {
            "CYB-01": {"answer": 4, "comment": "Astreinte de sécurité 24 h sur 24"},
            "SOB-01": {"answer": 90, "comment": "Mesure CodeCarbon jointe"},
            "SOB-06": {"answer": 1.15},
            "PUB-11": {"answer": 4, "comment": "Support en heures ouvrées"},
        },
    },
    "brume.xlsx": {
        "identity": ["Brume Analytics", "423 456 789 00001", "Paul Girard",
                     "paul.girard@example.org", "2027-01-19"],
        "answers": {
            "REV-03": {"answer": 60, "comment": "Préavis contractuel du groupe"},
            "REV-05": {"answer": 30},
        },
    },
    "cobalt.xlsx": {
        "identity": ["Cobalt Services", "831 234 562 00005", "Inès Lambert",
                     "ines.lambert@example.org", "2027-01-20"],
        "answers": {
            "SOB-01": {"answer": 900, "comment": "Grand modèle généraliste"},
            "SOB-06": {"answer": 1.48},
            "SOB-08": {"answer": 95},
        },
    },
    "delta.xlsx": {
        "identity": ["Delta Vision", "654 321 983 00003", "Marc Petit",
                     "marc.petit@example.org", "2027-01-21"],
        "answers": {
            "BIO-01": {"answer": "Oui", "comment": HYPERLINK, "literal": True},
            "AGT-03": {"answer": HYPERLINK, "literal": True},
        },
    },
    "echo.xlsx": {
        "identity": ["Écho Conseil", "398 765 438 00005", "Julie Roux",
                     "julie.roux@example.org", "2027-01-22"],
        "answers": {
            "BIO-02": {"answer": None},
            "REV-05": {"answer": None},
        },
    },
}

EDGE = {
    "fenetre.xlsx": {
        "identity": ["Fenêtre Étroite", "732 829 320 00074", "Camille Martin",
                     "camille.martin@example.com", "2027-01-23"],
        "answers": {
            "PUB-03": {"answer": "Délai_x0001_ court_x000C_", "comment": "Note_x0002_ interne"},
        },
    },
}

LONG = {
    "identity": ["Longue Réponse SA", "732 829 320 00074", "Camille Martin",
                 "camille.martin@example.com", "2027-01-24"],
    "answers": {
        "LEG-05": {"answer": ("Modèle maison décrit en détail. " * 1300)[:39_975] + " " + LONG_END},
    },
}


def label(q, ident):
    for c in q["choices"]:
        if c["id"] == ident:
            return c["label"]["fr"]
    return ident


def typed(q):
    """The example as a vendor types it."""
    example, kind = q["example"], q["answer_type"]
    if kind in ("number", "percent"):
        try:
            return float(example.replace(",", ".").replace("\u202f", "").replace(" ", ""))
        except ValueError:
            return example
    if kind == "date":
        return {"date": example}
    if kind == "multi_choice":
        return "; ".join(label(q, i.strip()) for i in example.split(";"))
    if kind in ("choice", "yes_no"):
        return label(q, example)
    return example


def careful_answers(questions):
    """Every question answered as a careful vendor would (see careful.py)."""
    return {
        q["id"]: {"answer": careful.text(q) if q["answer_type"] == "text" else typed(q),
                  "comment": "Voir mémoire technique", "document": careful.document(q)}
        for q in questions
    }


def value(v):
    if isinstance(v, dict) and "date" in v:
        return datetime.date.fromisoformat(v["date"])
    if isinstance(v, str) and len(v) == 10 and v[4] == "-" and v[7] == "-":
        return datetime.date.fromisoformat(v)
    return v


def fill(src, dst, questions, vendor):
    wb = openpyxl.load_workbook(src)
    ws = wb[QUESTIONS_SHEET]
    rows = {str(r[0].value): r[0].row for r in ws.iter_rows(min_row=2) if r[0].value}
    answers = careful_answers(questions)
    answers.update(vendor["answers"])
    for ident, a in answers.items():
        row = rows[ident]
        for offset, key in ((0, "answer"), (1, "comment"), (2, "document")):
            cell = ws.cell(row=row, column=ANSWER_COLUMN + offset)
            cell.value = value(a.get(key))
            if a.get("literal") and isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would make "=…" a formula
    identity = wb[IDENTITY_SHEET]
    rows = {str(r[0].value).strip(): r[0].row for r in identity.iter_rows() if r[0].value}
    for label, v in identity_of(vendor).items():
        identity.cell(row=rows[label], column=2, value=value(v))
    wb.properties.created = wb.properties.modified = FIXED
    wb.save(dst)
    reproducible(dst)


def reproducible(path):
    """Rewrites the zip at `path` with every entry dated FIXED."""
    with zipfile.ZipFile(path) as z:
        entries = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    stamp = FIXED.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    # openpyxl stamps the save time into docProps/core.xml whatever was set.
    entries = [
        (name, re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
         if name == "docProps/core.xml" else data)
        for name, data in entries
    ]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=FIXED.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def identity_of(vendor):
    """The identity sheet's answers by label: the vendor's name, SIRET,
    contact, email and date, its contact signing as its legal representative."""
    name, siret, contact, email, *date = vendor["identity"]
    identity = {
        "Raison sociale": name, "SIRET": siret, "Adresse": "1 place de l'Hôtel de Ville, 44000 Nantes",
        "Candidat seul ou groupement": "Candidat seul", "Signataire (nom et prénom)": contact,
        "Qualité du signataire": "Représentant légal", "Personne à contacter": contact, "Courriel": email,
    }
    if date:
        identity["Date"] = date[0]
    return identity


def fill_docx(src, dst, questions, vendor):
    """Fills the DOCX questionnaire with fill_docx.py."""
    answers = careful_answers(questions)
    answers.update(vendor["answers"])
    spec_path = dst + ".json"
    with open(spec_path, "w", encoding="utf-8") as f:
        json.dump({"identity": identity_of(vendor), "answers": answers}, f, ensure_ascii=False)
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fill_docx.py")
    subprocess.run([sys.executable, script, src, dst, spec_path], check=True)
    os.remove(spec_path)


def main():
    src, lock_path, outdir = sys.argv[1:4]
    with open(lock_path, encoding="utf-8") as f:
        lock = json.load(f)
    questions = [q for q in lock["selection"]["questions"] if "vendor" in q["audience"]]
    vendors = dict(VENDORS)
    edge = sys.argv[5] if sys.argv[4:5] == ["--edge"] else None
    if edge:
        vendors.update(EDGE)
    for name, vendor in vendors.items():
        fill(src, os.path.join(outdir, name), questions, vendor)
    if edge:
        fill_docx(edge, os.path.join(outdir, "longue.docx"), questions, LONG)


if __name__ == "__main__":
    main()
