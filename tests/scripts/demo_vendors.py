#!/usr/bin/env python3
"""Write the answer files of the demo's four vendors, for fill_xlsx.py.

Usage: demo_vendors.py QUESTIONNAIRE.lock OUTDIR

- bon.json: every question answered with its compliant example (compliant);
- biometrie.json: the same, but the solution identifies people by their face
  (eliminated);
- hors-ue.json: hosted in the United States and Ireland, with no exit plan
  (compliant with reservations);
- incomplet.json: only the first half of the questions answered (incomplete).
"""

import json
import os
import sys

VENDORS = {
    "bon": ["Atelier Numérique Loire SAS", "732 829 320 00074", "Camille Martin", "camille.martin@example.com"],
    "biometrie": ["VisioSûreté SA", "552 100 554 00025", "Alex Moreau", "alex.moreau@example.com"],
    "hors-ue": ["Global Cloud AI Inc.", "404 833 048 00022", "Jordan Smith", "jordan.smith@example.com"],
    "incomplet": ["Petite Start-up SARL", "", "Sam Leroy", "sam.leroy@example.com"],
}


def severity(q):
    return (q.get("rule") or {}).get("severity")


def main():
    lock_path, out = sys.argv[1:3]
    with open(lock_path, encoding="utf-8") as f:
        lock = json.load(f)
    questions = [q for q in lock["selection"]["questions"] if "vendor" in q["audience"]]
    good = {q["id"]: {"answer": q["example"], "comment": "Voir mémoire technique, § 3"} for q in questions}
    # The hosting countries (SOV-xx) and the exit plan (REV-xx) questions.
    hosting = next(
        q
        for q in questions
        if q["id"].startswith("SOV-")
        and "profile.thresholds.hosting_zone" in (q.get("rule") or {}).get("values", [])
    )
    exit_plan = next(
        q
        for q in questions
        if q["id"].startswith("REV-") and q["answer_type"] == "yes_no" and severity(q) == "major"
    )
    specs = {
        "bon": good,
        "biometrie": {**good, "BIO-01": {"answer": "Oui", "comment": "Reconnaissance faciale des usagers à l'accueil"}},
        "hors-ue": {
            **good,
            hosting["id"]: {"answer": "États-Unis; Irlande", "comment": "Centres de données du groupe"},
            exit_plan["id"]: {"answer": "Non", "comment": "Sur demande"},
        },
        "incomplet": dict(list(good.items())[: len(good) // 2]),
    }
    os.makedirs(out, exist_ok=True)
    for name, answers in specs.items():
        spec = {
            "questions_sheet": "Questionnaire",
            "identity_sheet": "Identité",
            "answer_column": 4,
            "identity": VENDORS[name] + [{"date": "2027-01-25"}],
            "answers": answers,
        }
        with open(os.path.join(out, name + ".json"), "w", encoding="utf-8") as f:
            json.dump(spec, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
