#!/usr/bin/env python3
"""Write the evidence files of fixtures/evidence/ with the tools of each format.

Usage:
    make_evidence.py [--only NAME ...] [--out DIR] [--venvs DIR] [--python310 PATH]

Vendors join evidence files to their answers: an energy measurement, a model
card, a bill of materials of the model. boussole reads them and checks them
against the answers. The tests read real files of each format, and this
script makes them with the formats' own tools, each installed at a fixed
version in a virtual environment of its own (under --venvs, by default
~/.cache/boussole/evidence-venvs; created on the first run with pip, which
takes the packages from the configured index). The script then runs itself
inside that environment for each target (the hidden --inner option).

Targets (--only takes one or more of these names; default: all):

  codecarbon-3     codecarbon/emissions-3.csv. A real CodeCarbon 3.3.2 run:
                   OfflineEmissionsTracker(country_iso_code="FRA", ...) over
                   the reference task (tokenise and score a French text, in
                   pure Python) run 1,000 times; two tracked runs, so two rows
                   in the same file. Measured on the machine that runs the
                   script: the figures change at each run.
  codecarbon-2     codecarbon/emissions-2.csv. The same with CodeCarbon 2.8.4.
  codecarbon-1     codecarbon/emissions-1.csv. The same with CodeCarbon 1.2.0,
                   which runs on Python 3.10 only (on 3.11 its dataclasses
                   fail to import); the interpreter is found as python3.10 on
                   the PATH or under pyenv's versions/, or given with
                   --python310. Version 1 has no output_file nor
                   log_level argument: it writes emissions.csv, renamed here.
  codecarbon-demo  codecarbon/demo-atelier.csv. NOT a measurement: figures
                   chosen for the demo's regular vendor (Atelier Numérique
                   Loire), written by CodeCarbon 3.3.2's own CSV writer
                   (codecarbon.output_methods.file.FileOutput with an
                   EmissionsData record): 1,000 runs of the reference task,
                   energy_consumed 0.0951 kWh (95.1 Wh), duration 1,260 s,
                   France, 1 x NVIDIA L4. The emissions are computed by
                   CodeCarbon's own Emissions.get_country_emissions with its
                   French carbon intensity (56.039 gCO2eq/kWh in 3.3.2).
  model-card       model-card/README.md, minimal.md, demo-atelier.md: Hugging
                   Face model cards written with huggingface_hub 2.4.0
                   (ModelCardData.to_yaml, ModelCard.save) and loaded back
                   with ModelCard.load to prove they parse.
  cyclonedx        cyclonedx/ml-bom.json, demo-global-cloud.json: CycloneDX
                   1.6 ML-BOMs. cyclonedx-python-lib 11.12.0 has no model
                   card in its object model, so the JSON is built here; both
                   files are validated with the library's
                   JsonStrictValidator(SchemaVersion.V1_6), which holds the
                   official bom-1.6 schema with its spdx and jsf schemas. The
                   script fails if a file does not validate. CycloneDX has no
                   field for measured or estimated energy: the entries carry
                   it as free properties named boussole:energy:method (and
                   :tool, :scope), a convention of this project.
  spdx             spdx/ai-bom.spdx3.json: SPDX 3.0.1 JSON-LD with the AI and
                   Dataset profiles, written with spdx-python-model 0.0.6
                   (SPDX's generated bindings, JSONLDSerializer), read back
                   with its JSONLDDeserializer and validated with jsonschema
                   4.26.0 against the SPDX 3.0.1 JSON schema kept in
                   spdx/schema/ (its SHA-256 is checked first).
  copies           Checks the SHA-256 of the published files copied verbatim
                   into ai-energy-score/ and ml-energy/ (they are not made
                   here; fixtures/evidence/README.md names their source).

Fixed values (timestamps, serial numbers, identifiers) are used wherever the
tool lets them be set, so that the files other than the real CodeCarbon runs
come out the same at each run.
"""

import argparse
import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_OUT = os.path.join(ROOT, "fixtures", "evidence")

# One virtual environment per tool version; several targets may share one.
VENVS = {
    "codecarbon-3.3.2": {"python": "python3.11", "reqs": ["codecarbon==3.3.2"]},
    "codecarbon-2.8.4": {"python": "python3.11", "reqs": ["codecarbon==2.8.4"]},
    "codecarbon-1.2.0": {"python": "python3.10", "reqs": ["codecarbon==1.2.0"]},
    "formats": {"python": "python3.11", "reqs": [
        "huggingface_hub==2.4.0",
        "cyclonedx-python-lib[json-validation]==11.12.0",
        "spdx-python-model==0.0.6",
        "jsonschema==4.26.0",
    ]},
}

TARGETS = {
    "codecarbon-3": "codecarbon-3.3.2",
    "codecarbon-2": "codecarbon-2.8.4",
    "codecarbon-1": "codecarbon-1.2.0",
    "codecarbon-demo": "codecarbon-3.3.2",
    "model-card": "formats",
    "cyclonedx": "formats",
    "spdx": "formats",
    "copies": None,
}

# Fixed identifiers: uuid5 of a name, so they are stable and visibly not random.
NS = uuid.uuid5(uuid.NAMESPACE_URL, "https://boussole.example.fr/fixtures/evidence")
FIXED_TIME = "2026-03-02T10:00:00Z"

SPDX_SCHEMA = "spdx/schema/spdx-json-schema-3.0.1.json"
SPDX_SCHEMA_SHA256 = "59f59713c7d73ff0d833f4f468df974a689fc9dd36dc5510f1875ff85d276c54"

# Files copied verbatim from published sources (see the README).
COPIES = {
    "ai-energy-score/benchmark_report.json":
        "45cd1f728dafc2dde14c3f21ddd32b4d96e9db53f3525a120c2c9f1209b9f45d",
    "ml-energy/meta-llama__Llama-4-Maverick-17B-128E-Instruct-FP8__lm-arena-chat.json":
        "b5a1c41a68de34e18a751949fa30bd92c9ed3e3f597bab699db1ecf514260fb9",
}


# ---------------------------------------------------------------------------
# The reference task measured by the CodeCarbon runs.

TEXT = (
    "La métropole souhaite un assistant de rédaction pour répondre aux courriers "
    "des usagers : demandes d'état civil, réclamations sur la collecte des déchets, "
    "questions sur les transports, le stationnement et les aides sociales. "
    "Chaque réponse est relue par un agent avant l'envoi, et l'outil ne décide de rien."
)
WEIGHTS = {"courriers": 3, "usagers": 2, "réponse": 3, "agent": 2, "aides": 1, "transports": 1}


def reference_task_once(words):
    """Tokenise a text and score it: lower-case, strip punctuation, weight
    known words, count bigrams."""
    tokens = [w.strip(".,:;'").lower() for w in words]
    score = 0
    bigrams = {}
    for i, tok in enumerate(tokens):
        score += WEIGHTS.get(tok, 0) * (1 + i % 5) + len(tok)
        if i:
            key = (tokens[i - 1], tok)
            bigrams[key] = bigrams.get(key, 0) + 1
    return score + len(bigrams)


def reference_task_1000():
    words = TEXT.split() * 120
    total = 0
    for _ in range(1000):
        total += reference_task_once(words)
    return total


# ---------------------------------------------------------------------------
# Targets, run inside their virtual environment.

def make_codecarbon_real(out, major):
    from importlib.metadata import version

    from codecarbon import OfflineEmissionsTracker

    folder = os.path.join(out, "codecarbon")
    os.makedirs(folder, exist_ok=True)
    name = f"emissions-{major}.csv"
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(2):
            kwargs = dict(country_iso_code="FRA", project_name="reference-task-1000",
                          output_dir=tmp, save_to_file=True)
            if major >= 2:
                kwargs.update(output_file=name, log_level="error")
            tracker = OfflineEmissionsTracker(**kwargs)
            tracker.start()
            reference_task_1000()
            emissions = tracker.stop()
            if emissions is None:
                sys.exit(f"codecarbon {version('codecarbon')}: the tracker returned no emissions")
        written = os.path.join(tmp, name if major >= 2 else "emissions.csv")
        with open(written, encoding="utf-8") as f:
            rows = f.read().splitlines()
        if len(rows) != 3:
            sys.exit(f"codecarbon {version('codecarbon')}: expected a header and 2 rows, got {len(rows)} lines")
        shutil.copyfile(written, os.path.join(folder, name))
    print(f"codecarbon/{name}: codecarbon {version('codecarbon')}, 2 runs")


def make_codecarbon_demo(out):
    import codecarbon
    from codecarbon.core.emissions import Emissions
    from codecarbon.core.units import Energy
    from codecarbon.external.geography import GeoMetadata
    from codecarbon.external.logger import set_logger_level
    from codecarbon.input import DataSource
    from codecarbon.output_methods.emissions_data import EmissionsData
    from codecarbon.output_methods.file import FileOutput

    set_logger_level("error")
    folder = os.path.join(out, "codecarbon")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "demo-atelier.csv")
    if os.path.exists(path):
        os.remove(path)

    duration = 1260.0  # s
    kwh = 0.0951  # 95.1 Wh for 1,000 runs of the reference task
    gpu_power, cpu_power = 70.0, 150.0  # W, mean over the run
    gpu_kwh = round(gpu_power * duration / 3600 / 1000, 6)
    cpu_kwh = round(cpu_power * duration / 3600 / 1000, 6)
    ram_kwh = round(kwh - gpu_kwh - cpu_kwh, 6)
    ram_power = round(ram_kwh * 1000 * 3600 / duration, 3)
    geo = GeoMetadata(country_iso_code="FRA", country_name="France")
    emissions = Emissions(DataSource()).get_country_emissions(Energy.from_energy(kWh=kwh), geo)  # kg
    data = EmissionsData(
        timestamp="2026-02-16T14:30:00",
        project_name="reference-task-1000",
        run_id=str(uuid.uuid5(NS, "codecarbon/demo-atelier/run")),
        experiment_id=str(uuid.uuid5(NS, "codecarbon/demo-atelier/experiment")),
        duration=duration,
        emissions=emissions,
        emissions_rate=emissions / duration,
        cpu_power=cpu_power,
        gpu_power=gpu_power,
        ram_power=ram_power,
        cpu_energy=cpu_kwh,
        gpu_energy=gpu_kwh,
        ram_energy=ram_kwh,
        energy_consumed=kwh,
        water_consumed=0.0,
        country_name="France",
        country_iso_code="FRA",
        region="",
        cloud_provider="",
        cloud_region="",
        os="Linux-6.1.0-31-amd64-x86_64-with-glibc2.36",
        python_version="3.11.2",
        codecarbon_version=codecarbon.__version__,
        cpu_count=16,
        cpu_model="AMD EPYC 9124 16-Core Processor",
        gpu_count=1,
        gpu_model="1 x NVIDIA L4",
        longitude=None,
        latitude=None,
        ram_total_size=128.0,
        tracking_mode="machine",
        cpu_utilization_percent=38.5,
        gpu_utilization_percent=81.2,
        ram_utilization_percent=22.4,
        ram_used_gb=28.7,
        on_cloud="N",
        pue=1.0,
        wue=0.0,
    )
    FileOutput("demo-atelier.csv", folder, on_csv_write="append").out(data, None)
    print(f"codecarbon/demo-atelier.csv: written by codecarbon {codecarbon.__version__} FileOutput, "
          f"{kwh} kWh, {emissions:.6f} kg")


def make_model_cards(out):
    import huggingface_hub
    from huggingface_hub import ModelCard, ModelCardData

    folder = os.path.join(out, "model-card")
    os.makedirs(folder, exist_ok=True)

    def write(name, data, body):
        card = ModelCard(f"---\n{data.to_yaml()}\n---\n{body}")
        path = os.path.join(folder, name)
        card.save(path)
        return ModelCard.load(path)

    main = write("README.md", ModelCardData(
        model_name="Rédacteur-7B-instruct",
        license="apache-2.0",
        base_model="mistralai/Mistral-7B-v0.1",
        datasets=["atelier-numerique-loire/courriers-usagers-anonymises", "CohereForAI/aya_dataset"],
        language=["fr"],
        library_name="transformers",
        pipeline_tag="text-generation",
        tags=["french", "administration"],
        co2_eq_emissions={
            "emissions": 1234.5,
            "source": "CodeCarbon",
            "training_type": "fine-tuning",
            "geographical_location": "France",
            "hardware_used": "4 x NVIDIA A100 80GB",
        },
    ), """
# Rédacteur-7B-instruct

Modèle de rédaction de réponses aux courriers des usagers, affiné à partir de
Mistral-7B-v0.1 sur des courriers anonymisés et sur un jeu d'instructions
multilingue public.

## Utilisation prévue

Proposer un projet de réponse qu'un agent relit, corrige et signe. Le modèle
ne prend aucune décision et n'est pas destiné à répondre seul aux usagers.

## Données d'entraînement

- `atelier-numerique-loire/courriers-usagers-anonymises` : 18 000 paires
  courrier et réponse, anonymisées avant l'entraînement.
- `CohereForAI/aya_dataset` : la partie en français.

## Impact environnemental

Affinage de 14 heures sur 4 NVIDIA A100 80GB en France, mesuré avec
CodeCarbon : 1 234,5 g d'équivalent CO2.

## Limites

Le modèle peut inventer des références réglementaires : toute citation d'un
texte doit être vérifiée par l'agent.
""")
    d = main.data
    assert d.license == "apache-2.0" and d.base_model == "mistralai/Mistral-7B-v0.1", d
    assert d.to_dict()["co2_eq_emissions"]["emissions"] == 1234.5, d.to_dict()
    assert len(d.datasets) == 2 and d.language == ["fr"], d

    minimal = write("minimal.md", ModelCardData(license="mit", library_name="transformers"),
                    "\n# Modèle\n\nFiche réduite à la licence et à la bibliothèque.\n")
    assert minimal.data.to_dict() == {"license": "mit", "library_name": "transformers"}, minimal.data

    demo = write("demo-atelier.md", ModelCardData(
        model_name="Assistant courrier",
        license="apache-2.0",
        base_model="mistralai/Mistral-7B-Instruct-v0.3",
        language=["fr"],
        library_name="transformers",
        pipeline_tag="text-generation",
    ), """
# Assistant courrier

Modèle utilisé par Atelier Numérique Loire pour l'assistant de rédaction :
Mistral-7B-Instruct-v0.3 tel que publié par son éditeur sous licence
Apache-2.0, sans affinage. Aucune donnée d'usager n'a servi à le construire.

## Données d'entraînement

Celles du modèle de base, décrites par son éditeur ; aucun entraînement ni
affinage n'a été fait pour ce service, et donc aucune émission d'entraînement
n'est déclarée ici.

## Exécution

Hébergé en France, sur 1 NVIDIA L4 ; l'énergie de la tâche de référence est
mesurée avec CodeCarbon (fichier emissions.csv joint à l'offre).
""")
    assert demo.data.base_model == "mistralai/Mistral-7B-Instruct-v0.3" and demo.data.license == "apache-2.0"
    assert "co2_eq_emissions" not in demo.data.to_dict()
    print(f"model-card/: 3 cards, huggingface_hub {huggingface_hub.__version__}, loaded back")


def _cdx_validate(path):
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    with open(path, encoding="utf-8") as f:
        text = f.read()
    errors = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text, all_errors=True)
    if errors:
        for e in errors:
            print(f"{path}: {e}", file=sys.stderr)
        sys.exit(f"{path}: not valid against CycloneDX 1.6")


def _cdx_write(path, bom):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(bom, f, ensure_ascii=False, indent=2)
        f.write("\n")
    _cdx_validate(path)


def _cdx_bom(name, component, components):
    from importlib.metadata import version

    return {
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": f"urn:uuid:{uuid.uuid5(NS, 'cyclonedx/' + name)}",
        "version": 1,
        "metadata": {
            "timestamp": FIXED_TIME,
            "tools": {"components": [{
                "type": "library",
                "name": "cyclonedx-python-lib",
                "version": version("cyclonedx-python-lib"),
                "description": "schema validation (JsonStrictValidator, CycloneDX 1.6)",
            }]},
            "component": component,
        },
        "components": components,
    }


def make_cyclonedx(out):
    from importlib.metadata import version

    folder = os.path.join(out, "cyclonedx")
    os.makedirs(folder, exist_ok=True)

    hebergeur = {"name": "Hébergeur Loire SAS", "url": ["https://hebergeur-loire.example.fr"]}
    datasets = [
        {
            "type": "data",
            "bom-ref": "data-courriers",
            "name": "courriers-usagers-anonymises",
            "version": "2025-11",
            "supplier": {"name": "Atelier Numérique Loire SAS"},
            "licenses": [{"license": {"name": "LicenseRef-Atelier-Usage-Interne"}}],
            "data": [{
                "type": "dataset",
                "name": "courriers-usagers-anonymises",
                "contents": {"url": "https://atelier-numerique-loire.example.fr/donnees/courriers-usagers-anonymises"},
                "classification": "internal",
            }],
        },
        {
            "type": "data",
            "bom-ref": "data-aya",
            "name": "aya_dataset",
            "supplier": {"name": "Cohere For AI"},
            "licenses": [{"license": {"id": "Apache-2.0"}}],
            "data": [{
                "type": "dataset",
                "name": "aya_dataset",
                "contents": {"url": "https://huggingface.co/datasets/CohereForAI/aya_dataset"},
                "classification": "public",
            }],
        },
    ]
    model = {
        "type": "machine-learning-model",
        "bom-ref": "model-redacteur-7b-instruct",
        "supplier": {"name": "Atelier Numérique Loire SAS",
                     "url": ["https://atelier-numerique-loire.example.fr"]},
        "name": "Rédacteur-7B-instruct",
        "version": "1.2.0",
        "description": "Modèle de rédaction de réponses aux courriers des usagers, affiné à partir de Mistral-7B-v0.1.",
        "licenses": [{"license": {"id": "Apache-2.0"}}],
        "purl": "pkg:huggingface/atelier-numerique-loire/Redacteur-7B-instruct",
        "pedigree": {
            "ancestors": [{
                "type": "machine-learning-model",
                "bom-ref": "model-mistral-7b-v0.1",
                "supplier": {"name": "Mistral AI"},
                "name": "Mistral-7B-v0.1",
                "licenses": [{"license": {"id": "Apache-2.0"}}],
                "purl": "pkg:huggingface/mistralai/Mistral-7B-v0.1",
            }],
            "notes": "Affiné (fine-tuning) à partir de Mistral-7B-v0.1.",
        },
        "modelCard": {
            "modelParameters": {
                "approach": {"type": "supervised"},
                "task": "text-generation",
                "architectureFamily": "mistral",
                "modelArchitecture": "MistralForCausalLM",
                "datasets": [{"ref": "data-courriers"}, {"ref": "data-aya"}],
            },
            "considerations": {
                "environmentalConsiderations": {
                    "energyConsumptions": [
                        {
                            "activity": "training",
                            "energyProviders": [{
                                "description": "Réseau électrique français, centre de données de Nantes",
                                "organization": hebergeur,
                                "energySource": "nuclear",
                                "energyProvided": {"value": 22.03, "unit": "kWh"},
                            }],
                            "activityEnergyCost": {"value": 22.03, "unit": "kWh"},
                            "co2CostEquivalent": {"value": 0.0012345, "unit": "tCO2eq"},
                            "properties": [
                                {"name": "boussole:energy:method", "value": "measured"},
                                {"name": "boussole:energy:tool", "value": "CodeCarbon 3.3.2"},
                            ],
                        },
                        {
                            "activity": "inference",
                            "energyProviders": [{
                                "description": "Réseau électrique français, centre de données de Nantes",
                                "organization": hebergeur,
                                "energySource": "nuclear",
                                "energyProvided": {"value": 0.0951, "unit": "kWh"},
                            }],
                            "activityEnergyCost": {"value": 0.0951, "unit": "kWh"},
                            "co2CostEquivalent": {"value": 0.00000533, "unit": "tCO2eq"},
                            "properties": [
                                {"name": "boussole:energy:method", "value": "measured"},
                                {"name": "boussole:energy:scope", "value": "1000 runs of the reference task"},
                            ],
                        },
                    ],
                },
            },
        },
    }
    bom = _cdx_bom("ml-bom", {"type": "application", "bom-ref": "app-assistant",
                              "name": "Assistant courrier", "version": "1.2.0"},
                   [model, *datasets])
    _cdx_write(os.path.join(folder, "ml-bom.json"), bom)

    gc = {
        "type": "machine-learning-model",
        "bom-ref": "model-gc-assist",
        "supplier": {"name": "Global Cloud AI", "url": ["https://global-cloud-ai.example.com"]},
        "name": "GC-Assist",
        "version": "4.2",
        "description": "Proprietary language model of the Global Cloud AI group.",
        "licenses": [{"license": {
            "name": "LicenseRef-GlobalCloud-Proprietary",
            "url": "https://global-cloud-ai.example.com/legal/gc-assist-terms",
            "acknowledgement": "declared",
        }}],
        "modelCard": {
            "modelParameters": {"task": "text-generation", "architectureFamily": "transformer"},
            "considerations": {
                "environmentalConsiderations": {
                    "energyConsumptions": [{
                        "activity": "inference",
                        "energyProviders": [{
                            "description": "Group data centres in Ireland and Germany (estimate, no meter reading)",
                            "organization": {"name": "Global Cloud AI"},
                            "energySource": "unknown",
                            "energyProvided": {"value": 0.24, "unit": "kWh"},
                        }],
                        "activityEnergyCost": {"value": 0.24, "unit": "kWh"},
                        "co2CostEquivalent": {"value": 0.000072, "unit": "tCO2eq"},
                        "properties": [
                            {"name": "boussole:energy:method", "value": "estimated"},
                            {"name": "boussole:energy:tool", "value": "EcoLogits"},
                            {"name": "boussole:energy:scope", "value": "1000 runs of the reference task"},
                        ],
                    }],
                },
            },
        },
    }
    bom = _cdx_bom("demo-global-cloud", {"type": "application", "bom-ref": "app-gc-assist",
                                         "name": "GC-Assist for public services", "version": "4.2"},
                   [gc])
    _cdx_write(os.path.join(folder, "demo-global-cloud.json"), bom)
    print(f"cyclonedx/: 2 BOMs valid against CycloneDX 1.6 "
          f"(cyclonedx-python-lib {version('cyclonedx-python-lib')})")


def make_spdx(out):
    import datetime as dt
    from importlib.metadata import version

    import jsonschema
    from spdx_python_model import v3_0_1 as spdx

    folder = os.path.join(out, "spdx")
    os.makedirs(folder, exist_ok=True)
    schema_path = os.path.join(out, SPDX_SCHEMA)
    with open(schema_path, "rb") as f:
        raw = f.read()
    if hashlib.sha256(raw).hexdigest() != SPDX_SCHEMA_SHA256:
        sys.exit(f"{schema_path}: SHA-256 differs from the published schema's")
    schema = json.loads(raw)

    base = "https://atelier-numerique-loire.example.fr/spdx/redacteur-7b-instruct"
    created = dt.datetime(2026, 3, 2, 10, 0, 0, tzinfo=dt.timezone.utc)
    objs = spdx.SHACLObjectSet()

    ci = spdx.CreationInfo(_id="_:creationinfo")
    ci.specVersion = "3.0.1"
    ci.created = created
    org = spdx.Organization(_id=f"{base}#org-atelier", name="Atelier Numérique Loire SAS", creationInfo=ci)
    ci.createdBy = [org]
    tool = spdx.Tool(_id=f"{base}#tool-spdx-python-model",
                     name=f"spdx-python-model {version('spdx-python-model')}", creationInfo=ci)
    ci.createdUsing = [tool]
    mistral_org = spdx.Organization(_id=f"{base}#org-mistral", name="Mistral AI", creationInfo=ci)

    def energy(kwh):
        return spdx.ai_EnergyConsumptionDescription(
            ai_energyQuantity=kwh,
            ai_energyUnit=spdx.ai_EnergyUnitType.kilowattHour,
        )

    model = spdx.ai_AIPackage(
        _id=f"{base}#model",
        creationInfo=ci,
        name="Rédacteur-7B-instruct",
        software_packageVersion="1.2.0",
        suppliedBy=org,
        releaseTime=created,
        software_downloadLocation="https://huggingface.co/atelier-numerique-loire/Redacteur-7B-instruct",
        software_primaryPurpose=spdx.software_SoftwarePurpose.model,
        ai_typeOfModel=["transformer", "decoder-only language model"],
        ai_domain=["administration publique", "rédaction"],
        ai_informationAboutTraining="Affinage supervisé (fine-tuning) de Mistral-7B-v0.1 sur des courriers anonymisés.",
        ai_energyConsumption=spdx.ai_EnergyConsumption(
            ai_trainingEnergyConsumption=[energy(22.03)],
            ai_inferenceEnergyConsumption=[energy(0.0951)],
        ),
    )
    base_model = spdx.ai_AIPackage(
        _id=f"{base}#base-model",
        creationInfo=ci,
        name="Mistral-7B-v0.1",
        software_packageVersion="0.1",
        suppliedBy=mistral_org,
        releaseTime=dt.datetime(2023, 9, 27, 0, 0, 0, tzinfo=dt.timezone.utc),
        software_downloadLocation="https://huggingface.co/mistralai/Mistral-7B-v0.1",
        software_primaryPurpose=spdx.software_SoftwarePurpose.model,
    )
    dataset = spdx.dataset_DatasetPackage(
        _id=f"{base}#dataset-courriers",
        creationInfo=ci,
        name="courriers-usagers-anonymises",
        software_packageVersion="2025-11",
        suppliedBy=org,
        releaseTime=dt.datetime(2025, 11, 30, 0, 0, 0, tzinfo=dt.timezone.utc),
        builtTime=dt.datetime(2025, 11, 30, 0, 0, 0, tzinfo=dt.timezone.utc),
        software_downloadLocation="https://atelier-numerique-loire.example.fr/donnees/courriers-usagers-anonymises",
        software_primaryPurpose=spdx.software_SoftwarePurpose.data,
        dataset_datasetType=[spdx.dataset_DatasetType.text],
        dataset_datasetSize=48_000_000,
        dataset_datasetAvailability=spdx.dataset_DatasetAvailabilityType.registration,
        dataset_confidentialityLevel=spdx.dataset_ConfidentialityLevelType.amber,
    )
    apache = spdx.simplelicensing_LicenseExpression(
        _id=f"{base}#license-apache-2.0", creationInfo=ci,
        simplelicensing_licenseExpression="Apache-2.0",
    )
    internal = spdx.simplelicensing_LicenseExpression(
        _id=f"{base}#license-dataset", creationInfo=ci,
        simplelicensing_licenseExpression="LicenseRef-Atelier-Usage-Interne",
    )
    cc0 = spdx.simplelicensing_LicenseExpression(
        _id=f"{base}#license-cc0", creationInfo=ci,
        simplelicensing_licenseExpression="CC0-1.0",
    )

    def rel(name, frm, kind, to):
        return spdx.Relationship(_id=f"{base}#rel-{name}", creationInfo=ci, from_=frm,
                                 relationshipType=kind, to=to)

    T = spdx.RelationshipType
    rels = [
        rel("model-declared", model, T.hasDeclaredLicense, [apache]),
        rel("model-concluded", model, T.hasConcludedLicense, [apache]),
        rel("base-declared", base_model, T.hasDeclaredLicense, [apache]),
        rel("base-concluded", base_model, T.hasConcludedLicense, [apache]),
        rel("dataset-declared", dataset, T.hasDeclaredLicense, [internal]),
        rel("dataset-concluded", dataset, T.hasConcludedLicense, [internal]),
        rel("model-base", model, T.descendantOf, [base_model]),
        rel("model-trained-on", model, T.trainedOn, [dataset]),
    ]
    doc = spdx.SpdxDocument(
        _id=f"{base}#document",
        creationInfo=ci,
        name="Rédacteur-7B-instruct AI-BOM",
        dataLicense=cc0,
        profileConformance=[spdx.ProfileIdentifierType.core, spdx.ProfileIdentifierType.software,
                            spdx.ProfileIdentifierType.simpleLicensing, spdx.ProfileIdentifierType.ai,
                            spdx.ProfileIdentifierType.dataset],
        rootElement=[model],
        element=[org, tool, mistral_org, model, base_model, dataset, apache, internal, *rels],
    )
    for o in [doc, org, tool, mistral_org, model, base_model, dataset, apache, internal, cc0, *rels]:
        objs.add(o)

    path = os.path.join(folder, "ai-bom.spdx3.json")
    with open(path, "wb") as f:
        spdx.JSONLDSerializer().write(objs, f, indent=2, ensure_ascii=False)
    with open(path, "ab") as f:
        f.write(b"\n")

    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
    if errors:
        for e in errors[:20]:
            print(f"{path}: {list(e.path)}: {e.message[:300]}", file=sys.stderr)
        sys.exit(f"{path}: not valid against the SPDX 3.0.1 JSON schema")
    back = spdx.SHACLObjectSet()
    with open(path, "rb") as f:
        spdx.JSONLDDeserializer().read(f, back)
    names = {getattr(o, "name", None) for o in back.foreach()}
    assert {"Rédacteur-7B-instruct", "Mistral-7B-v0.1", "courriers-usagers-anonymises"} <= names, names
    print(f"spdx/ai-bom.spdx3.json: spdx-python-model {version('spdx-python-model')}, "
          f"valid against the SPDX 3.0.1 JSON schema (jsonschema {version('jsonschema')})")


def check_copies(out):
    for rel_path, digest in COPIES.items():
        path = os.path.join(out, rel_path)
        with open(path, "rb") as f:
            got = hashlib.sha256(f.read()).hexdigest()
        if got != digest:
            sys.exit(f"{path}: SHA-256 {got}, expected {digest} (the copy must stay verbatim)")
    print(f"copies: {len(COPIES)} files verbatim")


def run_inner(target, out):
    if target == "codecarbon-3":
        make_codecarbon_real(out, 3)
    elif target == "codecarbon-2":
        make_codecarbon_real(out, 2)
    elif target == "codecarbon-1":
        make_codecarbon_real(out, 1)
    elif target == "codecarbon-demo":
        make_codecarbon_demo(out)
    elif target == "model-card":
        make_model_cards(out)
    elif target == "cyclonedx":
        make_cyclonedx(out)
    elif target == "spdx":
        make_spdx(out)
    elif target == "copies":
        check_copies(out)
    else:
        sys.exit(f"unknown target {target}")


# ---------------------------------------------------------------------------
# The driver: one virtual environment per tool version.

def find_python(name, override):
    candidates = [override] if override else []
    if name == f"python{sys.version_info.major}.{sys.version_info.minor}":
        candidates.append(sys.executable)
    candidates.append(shutil.which(name))
    # pyenv keeps interpreters that its shims only run when selected.
    pyenv_root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    version = name[len("python"):]
    candidates += sorted(glob.glob(os.path.join(pyenv_root, "versions", version + ".*", "bin", name)),
                         reverse=True)
    for c in candidates:
        if c and subprocess.run([c, "-c", "import sys"], capture_output=True).returncode == 0:
            return c
    sys.exit(f"no {name} interpreter found (needed by the {name} targets)")


def ensure_venv(root, name, python310):
    spec = VENVS[name]
    path = os.path.join(root, name)
    stamp = os.path.join(path, "boussole-requirements.txt")
    wanted = "\n".join(spec["reqs"]) + "\n"
    if os.path.exists(stamp) and open(stamp, encoding="utf-8").read() == wanted:
        return os.path.join(path, "bin", "python")
    python = find_python(spec["python"], python310 if spec["python"] == "python3.10" else None)
    if os.path.exists(path):
        shutil.rmtree(path)
    subprocess.run([python, "-m", "venv", path], check=True)
    py = os.path.join(path, "bin", "python")
    subprocess.run([py, "-m", "pip", "install", "--quiet", *spec["reqs"]], check=True)
    with open(stamp, "w", encoding="utf-8") as f:
        f.write(wanted)
    return py


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", nargs="+", choices=sorted(TARGETS), help="make only these targets")
    ap.add_argument("--out", default=DEFAULT_OUT, help="output folder (default: fixtures/evidence)")
    ap.add_argument("--venvs", default=os.environ.get(
        "BOUSSOLE_EVIDENCE_VENVS", os.path.expanduser("~/.cache/boussole/evidence-venvs")))
    ap.add_argument("--python310", help="a Python 3.10 interpreter, for CodeCarbon 1.x")
    ap.add_argument("--inner", help=argparse.SUPPRESS)
    args = ap.parse_args()
    out = os.path.abspath(args.out)
    if args.inner:
        run_inner(args.inner, out)
        return
    os.makedirs(args.venvs, exist_ok=True)
    for target in args.only or list(TARGETS):
        venv = TARGETS[target]
        python = sys.executable if venv is None else ensure_venv(args.venvs, venv, args.python310)
        env = dict(os.environ, PYTHONWARNINGS="ignore", HF_HUB_OFFLINE="1")
        subprocess.run([python, os.path.abspath(__file__), "--inner", target, "--out", out],
                       check=True, env=env)


if __name__ == "__main__":
    main()
