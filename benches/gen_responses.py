#!/usr/bin/env python3
"""Generate N realistic returned questionnaires for the benchmarks.

Usage: gen_responses.py QUESTIONNAIRE.xlsx LOCK OUT_DIR N [--seed S] [--jobs J]

Each file is the questionnaire boussole generated (QUESTIONNAIRE.xlsx),
filled by a third-party writer (openpyxl), the way vendors fill it:

- every vendor question answered, in the forms vendors type: yes/no as
  `Oui`, `oui`, `NON`, `O`, `Yes` or a boolean cell; numbers as number
  cells or as French text (`1 234,5`, `0,2`, `12 h`, `1,2 kWh`, no-break
  and narrow no-break spaces); percentages as `85`, `85 %`, `85,5 %` or a
  fraction formatted `0%`; choices by their French or English label or id,
  in any case; countries as codes or French names; dates as date cells,
  `31/03/2028` or ISO text; texts and URLs from the question's example;
- mostly compliant answers, some non-compliant (the other choice, a bound
  missed), some refusals (`N/A`, `voir mémoire technique`) and blanks;
- a comment on most rows (French sentences of varying length, accents,
  line breaks) and a supporting-document reference on some;
- the identity sheet filled (company, SIRET with spaces, contact, email,
  date cell).

Files are named `offre-0001.xlsx`, …; file i depends only on the seed and i,
so a run is reproducible and a smaller batch is a prefix of a larger one.
The answer column is found by its header (`Réponse` / `Answer`) and rows
by the id in the `ID` column, never by position.
"""

import argparse
import datetime
import json
import multiprocessing
import os
import random
import sys

import openpyxl

NBSP = "\u00a0"
NNBSP = "\u202f"

COMPANIES = [
    "Exemple IA SAS", "Rédacteurs Associés", "Numérique & Territoires", "Atelier Ω",
    "Société Bretonne d'Informatique", "Cloud Souverain SA", "IA Publique SCOP",
    "Données Claires SARL", "Lumière Logiciels", "Éditions Algorithmiques",
]
FIRST = ["Camille", "Jeanne", "Lucas", "Chloé", "Mathis", "Inès", "Noé", "Léa", "Hugo", "Zoé"]
LAST = ["Martin", "Bernard", "Dubois", "Lefèvre", "Garnier", "Rousseau", "N'Diaye", "Le Goff"]
SENTENCES = [
    "Mesuré sur notre plateforme de préproduction en 2026.",
    "Voir le plan d'assurance qualité, section 4.2.",
    "Donnée issue du rapport d'audit de l'hébergeur (rapport SOC 2 de type II).",
    "Engagement contractuel repris dans le mémoire technique.",
    "Valeur moyenne sur douze mois glissants ; l'écart type est de 8 %.",
    "Les agents référents sont formés par nos équipes à Nantes et à Rennes.",
    "Le modèle est hébergé dans un centre de données certifié ISO 50001.",
    "Nous nous engageons à fournir les justificatifs à première demande.",
    "Réponse valable pour la version 2.1 de la solution ; la 3.0 suivra la même règle.",
    "Cf. la fiche de transparence jointe, qui détaille les sources d'entraînement.",
]
DOCUMENTS = [
    "Mémoire technique, p. {}", "Annexe {} — fiche de transparence", "PAQ, § {}",
    "Rapport d'audit {}", "attestation_hebergeur_{}.pdf",
]
COUNTRY_NAMES = {"FR": "France", "DE": "Allemagne", "IE": "Irlande", "NL": "Pays-Bas",
                 "BE": "Belgique", "ES": "Espagne", "IT": "Italie", "US": "États-Unis"}
# Units a vendor may type instead of the question's (same family), with the factor.
UNIT_FORMS = {
    "Wh": [("Wh", 1), ("kWh", 1e-3)],
    "kWh": [("kWh", 1), ("MWh", 1e-3)],
    "hours": [("h", 1), ("heures", 1)],
    "days": [("jours", 1), ("j", 1)],
    "months": [("mois", 1)],
    "years": [("ans", 1)],
    "EUR": [("€ HT", 1), ("euros", 1)],
}


def french(x, rng):
    """A number as a French vendor types it: comma decimals, grouped thousands."""
    if float(x).is_integer():
        digits = str(int(x))
        frac = ""
    else:
        digits, frac = ("%.2f" % x).rstrip("0").split(".")
        frac = "," + frac
    sep = rng.choice([" ", NBSP, NNBSP, ""]) if len(digits) > 4 else ""
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return sep.join(groups) + frac


def number_of(example):
    try:
        return float(example.replace(" ", "").replace(",", "."))
    except ValueError:
        return 1.0


def answer_for(q, rng):
    """(value, number_format or None) of the answer cell for question q."""
    kind = q["answer_type"]
    roll = rng.random()
    if roll < 0.03:
        return None, None
    if roll < 0.06:
        return rng.choice(["N/A", "Sans objet", "voir mémoire technique", "NC"]), None
    wrong = roll > 0.90
    example = q.get("example") or ""
    if kind == "yes_no":
        yes = (example.strip().lower() == "oui") != wrong
        return rng.choice([
            "Oui" if yes else "Non", "oui" if yes else "non", "OUI" if yes else "NON",
            "O" if yes else "N", "Yes" if yes else "No", yes,
        ]), None
    if kind in ("choice", "multi_choice"):
        choices = q["choices"]
        if kind == "choice":
            ids = [example] if not wrong else [rng.choice(choices)["id"]]
        else:
            ids = [p.strip() for p in example.split(";") if p.strip()]
        by_id = {c["id"]: c for c in choices}
        labels = []
        for i in ids:
            c = by_id.get(i)
            form = rng.random()
            if c is None or form < 0.2:
                labels.append(i)
            elif form < 0.8:
                labels.append(c["label"]["fr"] if form < 0.6 else c["label"]["fr"].lower())
            else:
                labels.append(c["label"]["en"])
        return rng.choice(["; ", ", ", "\n"]).join(labels), None
    if kind == "number":
        x = number_of(example) * (rng.choice([3, 0.2]) if wrong else rng.choice([1, 1, 0.9, 1.1]))
        x = round(x, 2) if x < 100 else round(x)
        form = rng.random()
        if form < 0.4:
            return x, None
        unit = q.get("unit")
        if form < 0.7 and unit in UNIT_FORMS:
            name, factor = rng.choice(UNIT_FORMS[unit])
            return "%s %s" % (french(x * factor, rng), name), None
        return french(x, rng), None
    if kind == "percent":
        x = number_of(example)
        if wrong:
            x = max(0.0, x - 30)
        form = rng.random()
        if form < 0.3:
            return x / 100, "0%"
        if form < 0.6:
            return x, None
        return french(x, rng) + rng.choice([" %", "%", NBSP + "%"]), None
    if kind == "country":
        codes = [c.strip() for c in example.split(";") if c.strip()]
        if wrong:
            codes.append("US")
        names = [COUNTRY_NAMES.get(c, c) if rng.random() < 0.5 else c for c in codes]
        return rng.choice(["; ", ", "]).join(names), None
    if kind == "date":
        d = datetime.date.fromisoformat(example)
        if wrong:
            d = d.replace(year=d.year - 3)
        form = rng.random()
        if form < 0.5:
            return d, "dd/mm/yyyy"
        return (d.strftime("%d/%m/%Y") if form < 0.8 else d.isoformat()), None
    if kind == "text":
        text = example
        if rng.random() < 0.3:
            text += "\n" + rng.choice(SENTENCES)
        if rng.random() < 0.2:
            text = "  " + text.replace(" ", "  ", 2) + " "
        return text, None
    return example, None  # url


def comment(rng):
    if rng.random() < 0.25:
        return None
    n = rng.choice([1, 1, 2, 3])
    sep = rng.choice([" ", "\n"])
    return sep.join(rng.sample(SENTENCES, n))


def document(rng):
    if rng.random() < 0.6:
        return None
    return rng.choice(DOCUMENTS).format(rng.randint(1, 40))


def header_columns(ws):
    """(header row, ID column, answer column) found by header names."""
    for row in ws.iter_rows(min_row=1, max_row=20):
        names = {str(c.value).strip().lower(): c.column for c in row if c.value is not None}
        answer = names.get("réponse") or names.get("answer")
        if "id" in names and answer:
            return row[0].row, names["id"], answer
    sys.exit("no header row with ID and Réponse/Answer in the questionnaire")


class Filler:
    """One loaded questionnaire, refilled for each file (every cell written
    each time, so no answer leaks from one file to the next)."""

    def __init__(self, questionnaire, lock):
        self.wb = openpyxl.load_workbook(questionnaire)
        with open(lock, encoding="utf-8") as f:
            data = json.load(f)
        questions = {q["id"]: q for q in data["selection"]["questions"]}
        self.ws = None
        for ws in self.wb.worksheets:
            if ws.sheet_state == "visible":
                try:
                    top, id_col, ans_col = header_columns(ws)
                except SystemExit:
                    continue
                self.ws, self.top, self.id_col, self.ans_col = ws, top, id_col, ans_col
                break
        if self.ws is None:
            sys.exit("no questionnaire sheet")
        self.rows = []
        for r in range(self.top + 1, self.ws.max_row + 1):
            ident = self.ws.cell(row=r, column=self.id_col).value
            if ident in questions:
                self.rows.append((r, questions[ident]))
        self.identity = next(
            (ws for ws in self.wb.worksheets if ws.title in ("Identité", "Identity")), None
        )

    def fill(self, i, seed, path):
        rng = random.Random(seed * 1_000_003 + i)
        for r, q in self.rows:
            value, fmt = answer_for(q, rng)
            cell = self.ws.cell(row=r, column=self.ans_col, value=value)
            cell.number_format = fmt or "General"
            self.ws.cell(row=r, column=self.ans_col + 1, value=comment(rng))
            self.ws.cell(row=r, column=self.ans_col + 2, value=document(rng))
        if self.identity is not None:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            siret = "%03d %03d %03d %05d" % tuple(rng.randint(0, m) for m in (999, 999, 999, 99999))
            company = rng.choice(COMPANIES)
            values = {
                "Raison sociale": company if i % 7 else company + " (groupement)",
                "SIRET": siret,
                "Adresse": "%d rue de la Loire, 44000 Nantes" % rng.randint(1, 200),
                "Candidat seul ou groupement": "Candidat seul",
                "Signataire (nom et prénom)": "%s %s" % (first, last),
                "Qualité du signataire": "Président",
                "Personne à contacter": "%s %s" % (first, last),
                "Courriel": "%s.%s@example.fr" % (first.lower(), last.lower().replace("'", "")),
                "Date": datetime.date(2027, 1, 1) + datetime.timedelta(days=rng.randint(0, 27)),
            }
            # each value in column B of its label's row (the sheet opens
            # with a title and a note merged across the columns)
            for row in self.identity.iter_rows():
                label = str(row[0].value or "").strip()
                if label in values:
                    self.identity.cell(row=row[0].row, column=2, value=values[label])
        self.wb.save(path)


_filler = None


def _init(questionnaire, lock):
    global _filler
    _filler = Filler(questionnaire, lock)


def _fill(job):
    i, seed, path = job
    _filler.fill(i, seed, path)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("questionnaire")
    p.add_argument("lock")
    p.add_argument("out_dir")
    p.add_argument("n", type=int)
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    a = p.parse_args()
    os.makedirs(a.out_dir, exist_ok=True)
    jobs = [
        (i, a.seed, os.path.join(a.out_dir, "offre-%04d.xlsx" % i))
        for i in range(1, a.n + 1)
    ]
    todo = [j for j in jobs if not os.path.exists(j[2])]
    if todo:
        with multiprocessing.Pool(a.jobs, _init, (a.questionnaire, a.lock)) as pool:
            pool.map(_fill, todo, chunksize=8)


if __name__ == "__main__":
    main()
