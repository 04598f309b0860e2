#!/usr/bin/env python3
"""Write the answer file of a project group's completed grid, for fill_xlsx.py.

Usage: grid_answers.py GRID.lock OUT.json

Every question of the internal grid answered with its example, as the group
types it (a choice by its label, a multiple choice option by option), an opinion
per criterion (favourable, with conditions on the legal criterion), and the
instruction record filled in.
"""

import json
import re
import sys

from demo_vendors import as_typed


def typed_in_french(text):
    """Text as an office suite's French autocorrection leaves it as one
    types: curly apostrophes, a no-break space before « : ; ! ? » and
    inside guillemets."""
    if not isinstance(text, str):
        return text
    text = re.sub(r"(?<=\w)'(?=\w)", "\u2019", text)
    text = re.sub(r" :", "\u00a0:", text)
    text = re.sub(r" ([;!?»])", "\u202f\\1", text)
    return re.sub(r"« ", "«\u202f", text)


def typed(a):
    """An answer's free texts as the group types them."""
    return {k: typed_in_french(v) for k, v in a.items()}


def main():
    lock_path, out = sys.argv[1:3]
    with open(lock_path, encoding="utf-8") as f:
        lock = json.load(f)
    answers = {
        q["id"]: typed(as_typed(q, {"answer": q["example"], "comment": "Instruit par le groupe projet"}))
        for q in lock["selection"]["questions"]
        if "internal" in q["audience"]
    }
    for c in lock["selection"]["criteria"]:
        answers["AVIS-" + c["id"]] = {"answer": "Favorable", "comment": "Aucune réserve du groupe projet."}
    answers["AVIS-legal"] = typed({
        "answer": "Favorable avec conditions",
        "comment": "Analyse d'impact relative à la protection des données à mettre à jour avant la mise en service.",
    })
    record = {
        "INSTR-use_case": "Aide à la rédaction des réponses aux courriers des usagers",
        "INSTR-project_group": "Direction du numérique, direction des ressources humaines, service juridique",
        "INSTR-services_consulted": "Numérique, RH, organisation, santé et sécurité au travail, juridique, qualité de vie au travail",
        "INSTR-unions_informed": "12/02/2027",
        "INSTR-staff_committee": "18/03/2027",
        "INSTR-staff_committee_opinion": "Avis favorable",
        "INSTR-workers_informed": "Sans objet : système à risque limité",
        "INSTR-dpia": "Réalisée le 01/03/2027",
        "INSTR-fria": "Non requise : système qui n'est pas à haut risque",
    }
    spec = {
        "questions_sheet": "Questionnaire",
        "answer_column": 4,
        "answers": answers,
        "record_sheet": "Instruction",
        "record": {k: {"answer": typed_in_french(v)} for k, v in record.items()},
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(spec, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
