#!/usr/bin/env python3
"""Write the answer files of the demo's four vendors, for fill_xlsx.py.

Usage: demo_vendors.py QUESTIONNAIRE.lock OUTDIR

The four offers show the judgment model, one each:

- bon.json (Atelier Numérique Loire): regular; its own texts, measured
  figures better than the minimum, every required document referenced;
- hors-ue.json (Global Cloud AI): regular too, hosted in Ireland and
  Germany, with weaker figures, an energy value estimated rather than
  measured (scored lower on the method) and the questionnaire's examples
  pasted as its texts (flagged for legal staff): ranked second;
- biometrie.json (VisioSûreté): the same pasted texts (shared with Global
  Cloud AI), and the solution identifies people by their face: irregular;
- incomplet.json (Petite Start-up): only the first half of the questions
  answered, no document: regularity answers to regularise, award answers
  lost.
"""

import json
import os
import sys

# The identity sheet, by label: Petite Start-up leaves its SIRET, address
# and signatory out (to regularise).
VENDORS = {
    "bon": {"Raison sociale": "Atelier Numérique Loire SAS", "SIRET": "732 829 320 00074",
            "Adresse": "12 quai de la Fosse, 44000 Nantes", "Candidat seul ou groupement": "Candidat seul",
            "Signataire (nom et prénom)": "Camille Martin", "Qualité du signataire": "Présidente",
            "Personne à contacter": "Camille Martin", "Courriel": "camille.martin@example.com",
            "Téléphone": "02 40 00 00 01"},
    "biometrie": {"Raison sociale": "VisioSûreté SA", "SIRET": "552 100 554 00025",
                  "Adresse": "8 rue de la République, 69002 Lyon", "Candidat seul ou groupement": "Candidat seul",
                  "Signataire (nom et prénom)": "Alex Moreau", "Qualité du signataire": "Directeur général",
                  "Personne à contacter": "Alex Moreau", "Courriel": "alex.moreau@example.com"},
    "hors-ue": {"Raison sociale": "Global Cloud AI Inc.", "SIRET": "404 833 048 00022",
                "Adresse": "40 avenue des Champs-Élysées, 75008 Paris",
                "Candidat seul ou groupement": "Groupement conjoint : Global Cloud AI Inc. (mandataire), Cloud Europe Ltd",
                "Signataire (nom et prénom)": "Jordan Smith", "Qualité du signataire": "Directeur France, par délégation",
                "Personne à contacter": "Jordan Smith", "Courriel": "jordan.smith@example.com"},
    "incomplet": {"Raison sociale": "Petite Start-up SARL", "Personne à contacter": "Sam Leroy",
                  "Courriel": "sam.leroy@example.com"},
}

# The regular vendor's own words for the questions the committee marks.
OWN_TEXTS = {
    "PUB-03": "Courriers simples traités en 5 jours au lieu de 15 à la fin de la première année, "
    "mesurés chaque mois sur l'outil de gestion du courrier ; objectif partagé avec le service des relations aux usagers.",
    "PUB-04": "Double relecture de 500 réponses tirées au sort chaque trimestre par deux agents du service, "
    "grille de 12 critères publiée, taux d'erreurs factuelles suivi et présenté au comité de pilotage.",
    "AGT-03": "Ateliers de conception avec 15 agents volontaires, puis mesure du temps passé par dossier "
    "avant et après sur six semaines : 9 minutes gagnées en moyenne, résultats discutés en réunion de service.",
    "TRA-03": "Modèle de langue de 7 milliards de paramètres, poids publiés sous licence Apache-2.0, "
    "données d'entraînement décrites dans la fiche de modèle, évaluations de biais jointes au mémoire technique.",
    "SOV-08": "Paramétrage par fichiers texte versionnés dans le dépôt de la métropole, documentation en français "
    "et formation de trois agents référents pendant deux jours lors de la mise en service.",
    "REV-07": "https://atelier-numerique-loire.example.fr/api/v2/openapi.yaml",
    "SOV-03": "Titulaire et hébergeur de droit français, sans société mère hors de l'Union ; modèle ouvert exécuté "
    "chez l'hébergeur, sans appel à un fournisseur tiers ; clés détenues par la métropole dans son module matériel ; "
    "analyse juridique du cabinet jointe ; page publiée : https://hebergeur-loire.example.fr/transparence-acces.",
    "BIO-10": "Modèle ouvert pré-entraîné par son éditeur sur des textes publics, sans affinage ; "
    "aucune donnée d'usager, aucune image ni aucun enregistrement de voix n'a servi à le construire.",
    "LEG-05": "Mistral-7B-Instruct-v0.3 de Mistral AI, sans affinage ; résumé public des données d'entraînement "
    "publié par l'éditeur du modèle : https://editeur-modele.example.eu/transparence/resume-donnees",
}

# Figures: the regular vendor's, better than the minimum; Global Cloud AI's, at it.
FIGURES = {
    "bon": {"CYB-01": "6", "PUB-11": "1", "SOB-01": "95", "SOB-06": "1,2", "SOB-07": "0,15",
            "SOB-08": "30", "SOB-09": "95", "SOB-10": "7", "REV-03": "15", "REV-05": "90", "REV-04": "90",
            "ALT-03": "1500", "ALT-04": "420", "SOB-04": "reused_pretrained", "SOB-02": "codecarbon",
            "LEG-07": "France", "SOV-04": "France", "SOV-05": "France", "LEG-15": "0"},
    "hors-ue": {"CYB-01": "12", "PUB-11": "4", "SOB-01": "240", "SOB-06": "1,45", "SOB-07": "0,38",
                "SOB-08": "290", "SOB-09": "55", "SOB-10": "5", "REV-03": "60", "REV-05": "30", "REV-04": "30",
                "ALT-03": "900", "ALT-04": "980", "SOB-02": "ecologits", "LEG-15": "7"},
}

# The documents the vendors join, where a question requires one.
DOCUMENTS = {
    "BIO-10": "Annexe 3 — note sur la provenance des données.pdf",
    "BIO-11": "Annexe 4 — rapport d'évaluation des biais.pdf",
    "BIO-13": "Annexe 4 — rapport d'évaluation des biais.pdf, page 12",
    "CYB-02": "Annexe 2 — certificat ISO 27001 et périmètre.pdf",
    "PUB-08": "Annexe 5 — audit RGAA 2026.pdf",
    "SOB-01": "Annexe 6 — emissions.csv",
    "SOB-06": "Annexe 7 — déclaration EED du centre de données.pdf",
    "SOB-07": "Annexe 7 — déclaration EED du centre de données.pdf",
    "SOB-08": "Annexe 7 — déclaration EED du centre de données.pdf",
    "SOB-10": "Annexe 11 — politique de renouvellement des serveurs.pdf",
    "SOV-03": "Annexe 10 — analyse juridique de la chaîne de traitement.pdf",
    "REV-02": "Annexe 8 — plan de réversibilité.pdf",
}


def as_typed(q, a):
    """The answer `a` to `q` as a person types it in the questionnaire: a
    single choice as the French label of the drop-down (the library's
    examples name choices by their id); a multiple choice Oui or Non on each
    option's row (the typed ids or labels turned into ticks)."""
    if "answer" not in a or q["answer_type"] not in ("choice", "multi_choice"):
        return a
    typed = {p.strip().lower() for p in str(a["answer"]).split(";") if p.strip()}
    picked = {c["label"]["fr"]: bool({c["id"].lower(), c["label"]["fr"].lower()} & typed)
              for c in q["choices"]}
    if q["answer_type"] == "choice":
        a["answer"] = next((label for label, yes in picked.items() if yes), a["answer"])
    else:
        del a["answer"]
        a["options"] = {label: "Oui" if yes else "Non" for label, yes in picked.items()}
    return a


def main():
    lock_path, out = sys.argv[1:3]
    with open(lock_path, encoding="utf-8") as f:
        lock = json.load(f)
    questions = [q for q in lock["selection"]["questions"] if "vendor" in q["audience"]]
    ids = {q["id"] for q in questions}

    def offer(figures, texts, documents):
        answers = {}
        for q in questions:
            a = {"answer": q["example"], "comment": "Voir mémoire technique, § 3"}
            if q["id"] in figures:
                a["answer"] = figures[q["id"]]
            if q["id"] in texts:
                a["answer"] = texts[q["id"]]
            if documents and q.get("evidence"):
                a["document"] = DOCUMENTS.get(q["id"], "Annexe 9 — pièces justificatives.pdf")
            answers[q["id"]] = a
        return answers

    by_id = {q["id"]: q for q in questions}

    def typed(answers):
        for ident, a in answers.items():
            as_typed(by_id[ident], a)
        return answers

    good = offer(FIGURES["bon"], OWN_TEXTS, True)
    cloud = offer(FIGURES["hors-ue"], {}, True)
    cloud["SOV-04"] = {"answer": "Irlande; Allemagne", "comment": "Centres de données du groupe en Europe",
                       "document": ""}
    cloud["SOV-05"] = {"answer": "Irlande ; Allemagne", "comment": "Support depuis Dublin et Francfort"}
    cloud["LEG-07"] = {"answer": "Irlande", "comment": "Filiale irlandaise"}
    cloud["BIO-10"] = {"answer": "Modèle propriétaire du groupe entraîné sur des corpus publics et sous licence ; "
                       "filtrage des visages et des données de santé décrit dans la note jointe.",
                       "comment": "", "document": DOCUMENTS["BIO-10"]}
    specs = {
        "bon": good,
        "biometrie": {
            **cloud,
            "BIO-01": {"answer": "Oui", "comment": "Reconnaissance faciale des usagers à l'accueil"},
        },
        "hors-ue": cloud,
        "incomplet": dict(list(offer({}, {}, False).items())[: len(questions) // 2]),
    }
    for name, answers in specs.items():
        typed(answers)
        unknown = set(answers) - ids
        if unknown:
            sys.exit(f"{name}: no such question in the lock: {sorted(unknown)}")
    os.makedirs(out, exist_ok=True)
    for name, answers in specs.items():
        spec = {
            "questions_sheet": "Questionnaire",
            "identity_sheet": "Identité",
            "answer_column": 4,
            "identity": {**VENDORS[name], "Date": {"date": "2027-01-25"}},
            "answers": answers,
        }
        with open(os.path.join(out, name + ".json"), "w", encoding="utf-8") as f:
            json.dump(spec, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
