#!/usr/bin/env python3
"""Write the answer files of four example vendors, for fill_xlsx.py.

Usage: report_vendors.py QUESTIONNAIRE.lock OUTDIR

Reads the questionnaire's lock (JSON) and writes, in OUTDIR, one
ANSWERS.json per vendor (see fill_xlsx.py), every question answered with
its example as a careful vendor would type it (free text in its own words,
documents cited: see careful.py), then spoiled:

- acme.json: nothing spoiled (compliant);
- reserves.json: two major yes/no requirements answered the other way
  (compliant with reservations);
- biometrie.json: the first eliminatory yes/no requirement answered the
  other way (non-compliant), with a comment;
- incomplet.json: two regularity answers left out and one "voir mémoire"
  (to regularise).

Also literal.json, for literal_xlsx.py: text that looks like a formula in
the non-compliant vendor's comments and in one of its regularity numbers
(which is then unreadable: once the eliminatory finding is accepted, the
offer is to regularise); and decisions.json, for
decide_xlsx.py: legal staff accept the eliminatory finding and reject the
first major one.
"""

import json
import os
import sys

import careful

def identity(name, siret, contact, email, address="12 rue des Halles, 44000 Nantes"):
    """The identity sheet of a vendor, by label; an empty value stays empty."""
    return {
        "Raison sociale": name,
        "SIRET": siret,
        "Adresse": address,
        "Signataire (nom et prénom)": contact,
        "Qualité du signataire": "Président(e)",
        "Personne à contacter": contact,
        "Courriel": email,
    }


IDENTITY = {
    "acme": identity("Acme Solutions IA", "732 829 320 00074", "Camille Martin", "camille.martin@example.com"),
    "reserves": identity("Réserves & Fils", "552 100 554 00025", "Dominique Petit", "d.petit@example.com"),
    "biometrie": identity("Biométrie Conseil", "404 833 048 00022", "Alex Moreau", "alex.moreau@example.com"),
    # Incomplete: no SIRET, which its letter asks for with the answers.
    "incomplet": identity("Incomplet SARL", "", "Sam Leroy", "sam.leroy@example.com"),
}


def other(example):
    return "Non" if example == "Oui" else "Oui"


def judged_yes_no(q, severity):
    """A yes/no question always asked, whose rule of this severity its example passes."""
    rule = q.get("rule") or {}
    return (
        q["answer_type"] == "yes_no"
        and rule.get("kind") in ("expect", "forbid")
        and rule.get("severity") == severity
        and not q.get("condition")
    )


def main():
    lock_path, out = sys.argv[1:3]
    with open(lock_path, encoding="utf-8") as f:
        lock = json.load(f)
    questions = [q for q in lock["selection"]["questions"] if "vendor" in q["audience"]]
    good = {
        q["id"]: {"answer": careful.text(q), "comment": "Voir mémoire technique, § 3", "document": careful.document(q)}
        for q in questions
    }
    major = [q for q in questions if judged_yes_no(q, "major")]
    eliminatory = [q for q in questions if judged_yes_no(q, "eliminatory")]
    # Only regularity answers may be regularised: those are the ones left out.
    required = [
        q for q in questions if q["required"] and not q.get("condition") and q["role"] == "regularity"
    ]

    spoiled = {name: json.loads(json.dumps(good)) for name in IDENTITY}
    for q in major[:2]:
        spoiled["reserves"][q["id"]] = {"answer": other(q["example"]), "comment": "En cours d'étude"}
    first = eliminatory[0]
    spoiled["biometrie"][first["id"]] = {
        "answer": other(first["example"]),
        "comment": "Fonction proposée en option, désactivable",
    }
    for q in required[-2:]:
        del spoiled["incomplet"][q["id"]]
    number = next(
        q for q in required if q["answer_type"] == "number" and q["id"] in spoiled["incomplet"]
    )
    spoiled["incomplet"][number["id"]] = {"answer": "voir mémoire"}

    os.makedirs(out, exist_ok=True)
    for name, answers in spoiled.items():
        spec = {
            "questions_sheet": "Questionnaire",
            "identity_sheet": "Identité",
            "answer_column": 4,
            "identity": {**IDENTITY[name], "Date": {"date": "2027-01-20"}},
            "answers": answers,
        }
        write(out, name + ".json", spec)
    scored = next(
        q
        for q in required
        if q["answer_type"] == "number"
    )
    literal = {
        "questions_sheet": "Questionnaire",
        "answer_column": 4,
        "cells": {
            first["id"]: {"comment": '=HYPERLINK("http://example.com","cliquez ici")'},
            scored["id"]: {"answer": "=1+1", "comment": "@SOMME(1;2)"},
        },
    }
    write(out, "literal.json", literal)
    reviewer = "C. Durand, service juridique"
    decisions = {
        "sheet": "Points à examiner",
        "decisions": [
            {
                "question": first["id"],
                "file": "biometrie.xlsx",
                "decision": "constat levé",
                "reviewer": reviewer,
                "date": {"date": "2027-02-01"},
                "comment": "Fonction désactivée par l'engagement écrit du 28 janvier, annexé à l'offre",
            },
            {
                "question": major[0]["id"],
                "file": "reserves.xlsx",
                "decision": "constat confirmé",
                "reviewer": reviewer,
                "date": {"date": "2027-02-01"},
                "comment": "Exigence du CCTP, maintenue",
            },
        ],
    }
    write(out, "decisions.json", decisions)


def write(out, name, value):
    with open(os.path.join(out, name), "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
