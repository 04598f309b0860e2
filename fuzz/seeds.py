#!/usr/bin/env python3
"""Seed corpora for the fuzz targets, from real generated files.

Usage (from fuzz/): python3 seeds.py [--boussole EXE] [--out corpus]

Makes, in a temporary folder: boussole's questionnaire (XLSX, DOCX) and
annex (DOCX) for the default profile; five copies of the questionnaire
filled by openpyxl (benches/gen_responses.py); the files of
tests/scripts/make_response.py (openpyxl, python-docx) when python-docx is
installed; LibreOffice conversions to ODS and XLS when soffice is. Then
writes each target's inputs under OUT/<target>/ (see README.md for the
input formats). Without --boussole, uses target/release/boussole of the
repository (build it first).
"""

import argparse
import hashlib
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SEP = b"\xff"
US, RS, GS = "\x1f", "\x1e", "\x1d"


def write(out, target, data):
    folder = out / target
    folder.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    (folder / name).write_bytes(data)


def stored(path):
    """The package at `path` re-zipped without compression."""
    buf = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
    return buf.getvalue()


def xlsx_sheets(z):
    """(name, part) of each sheet of an open XLSX package, in workbook order."""
    workbook = z.read("xl/workbook.xml").decode("utf-8")
    rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    targets = {}
    for rel in re.findall(r"<Relationship [^>]*>", rels):
        rid = re.search(r'Id="([^"]+)"', rel).group(1)
        target = re.search(r'Target="([^"]+)"', rel).group(1).lstrip("/")
        targets[rid] = target if target.startswith("xl/") else "xl/" + target
    sheets = []
    for sheet in re.findall(r"<sheet [^>]*>", workbook):
        name = re.search(r'name="([^"]+)"', sheet).group(1)
        rid = re.search(r'r:id="([^"]+)"', sheet).group(1)
        sheets.append((name, targets.get(rid)))
    return sheets


def seed_xlsx(out, path):
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        part = lambda n: z.read(n) if n in names else b""
        sheets = xlsx_sheets(z)
        strings, styles = part("xl/sharedStrings.xml"), part("xl/styles.xml")
        meta = next((p for n, p in sheets if n == "_boussole"), None)
        for _, sheet in sheets:
            if sheet in names:
                write(out, "xlsx", SEP.join([z.read(sheet), strings, styles,
                                             part(meta) if meta else b""]))


def seed_docx(out, path):
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        doc = z.read("word/document.xml")
        custom = z.read("docProps/custom.xml") if "docProps/custom.xml" in names else None
        write(out, "docx", doc if custom is None else doc + SEP + custom)


def seed_ods(out, path):
    with zipfile.ZipFile(path) as z:
        write(out, "ods", z.read("content.xml"))


def seed_normalisers(out, lock):
    sys.path.insert(0, str(REPO / "benches"))
    import gen_responses

    questions = json.loads(Path(lock).read_text(encoding="utf-8"))["selection"]["questions"]
    rng = random.Random(1)
    for q in questions:
        choices = RS.join(
            GS.join([c["id"], c["label"]["fr"], c["label"]["en"]]) for c in q.get("choices", [])
        )
        head = US.join([q["answer_type"], q.get("unit") or "", choices])
        forms = {q.get("example") or ""}
        for _ in range(6):
            value, _ = gen_responses.answer_for(q, rng)
            if value is not None:
                forms.add(value.isoformat() if hasattr(value, "isoformat") else str(value))
        for raw in forms:
            write(out, "normalise", (head + US + raw).encode("utf-8"))
    for raw in ["1 234,5", "1,234", "12.500", "−3", "1.234.567,8", "3 kWh", "48 h", "N/A",
                "voir mémoire", "31/02/2027", "2027-02-29", "https://exemple.fr/a b", "Oui."]:
        write(out, "normalise", (US.join(["number", "Wh", "", raw])).encode("utf-8"))


def seed_conditions(out):
    """The library's conditions (`when = "…"`), as written."""
    for toml in sorted((REPO / "clauses").rglob("*.toml")):
        for m in re.finditer(r'^when = "((?:[^"\\]|\\.)*)"', toml.read_text(encoding="utf-8"), re.M):
            write(out, "condition", m.group(1).replace('\\"', '"').encode("utf-8"))


def soffice(src, to, outdir):
    """LibreOffice conversion of `src`, or None."""
    if not shutil.which("soffice"):
        return None
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            ["timeout", "180", "soffice", "-env:UserInstallation=file://" + profile, "--headless",
             "--norestore", "--convert-to", to, "--outdir", outdir, src],
            env=dict(os.environ, HOME=profile), capture_output=True,
        )
    out = Path(outdir) / (Path(src).stem + "." + to.split(":")[0])
    return out if out.exists() else None


def seed_evidence(out):
    """The evidence files the tools wrote (fixtures/evidence/), whole: not
    the schemas they were validated against, nor the folder's notes (a
    model card is a README.md too)."""
    root = REPO / "fixtures" / "evidence"
    for f in sorted(root.rglob("*")):
        notes = f == root / "README.md" or (f.name == "README.md" and f.parent.name != "model-card")
        if f.is_file() and "schema" not in f.parts and not notes:
            write(out, "evidence", f.read_bytes())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--boussole", default=str(REPO / "target" / "release" / "boussole"))
    p.add_argument("--out", type=Path, default=HERE / "corpus")
    a = p.parse_args()
    exe, out = a.boussole, a.out.resolve()
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        run = lambda *args: subprocess.run([exe, *args], cwd=t, check=True, capture_output=True)
        run("questionnaire", "-o", "questionnaire.xlsx")
        run("questionnaire", "-o", "questionnaire.docx")
        run("annex", "-o", "annexe.docx")
        lock = t / "questionnaire.xlsx.boussole.lock"
        subprocess.run([sys.executable, REPO / "benches" / "gen_responses.py",
                        t / "questionnaire.xlsx", lock, t / "offres", "5"], check=True)
        files = [t / "questionnaire.xlsx", t / "questionnaire.docx", t / "annexe.docx"]
        files += sorted((t / "offres").glob("*.xlsx"))
        made = subprocess.run([sys.executable, REPO / "tests" / "scripts" / "make_response.py", t],
                              capture_output=True)
        if made.returncode == 0:
            files += [t / "response.xlsx", t / "response.docx"]
        else:
            print("no make_response.py files (python-docx missing?)", file=sys.stderr)
        for src in [t / "questionnaire.xlsx", t / "offres" / "offre-0001.xlsx"]:
            ods = soffice(src, "ods", t)
            xls = soffice(src, "xls:MS Excel 97", t)
            files += [f for f in (ods, xls) if f]
        for f in files:
            data = f.read_bytes()
            if f.suffix == ".xls":
                write(out, "prescan_cfb", data[8:])
                continue
            write(out, "read_bytes", data)
            write(out, "read_bytes", stored(f))
            {".xlsx": seed_xlsx, ".docx": seed_docx, ".ods": seed_ods}[f.suffix](out, f)
        seed_normalisers(out, lock)
    seed_conditions(out)
    seed_evidence(out)
    for target in sorted(os.listdir(out)):
        print("%-14s %d seeds" % (target, len(os.listdir(out / target))))


if __name__ == "__main__":
    main()
