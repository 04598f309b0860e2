#!/usr/bin/env python3
"""Peak memory and time of `boussole check` on the worst crafted returns.

Issues the embedded questionnaire (XLSX) with the boussole given, then
crafts from it, the way an attacker would by editing the package:

- giant-87: one shared string of 700,000 characters filling 87 answer
  cells (a 50 KB file);
- giant-87x59: the same, the sheet named 59 times in the workbook;
- giant-20x59: the string in 20 answer cells, the sheet named 59 times;
- giant-1: the string in one answer cell;

and runs `check --format json -o report.json` on each, one at a time,
printing wall time, peak resident memory (GNU time) and the report's size.

    python3 benches/hostile.py                     # the release build
    python3 benches/hostile.py --boussole OLD_EXE  # an earlier build
"""

import argparse
import re
import subprocess
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GIANT = "a" * 700_000
CRAFTED = [("giant-87", 87, 1), ("giant-87x59", 87, 59), ("giant-20x59", 20, 59), ("giant-1", 1, 1)]
ID = re.compile(r"[A-Z]{2,4}-[A-Z0-9]{2,4}")


def craft(issued: Path, out: Path, cells: int, sheets: int) -> None:
    """`issued` with the giant string in `cells` answer cells (column E),
    its questionnaire sheet named `sheets` times."""
    z = zipfile.ZipFile(issued)
    parts = {n: z.read(n) for n in z.namelist()}
    wb = parts["xl/workbook.xml"].decode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    rid = re.search(r'<sheet name="Questionnaire" sheetId="\d+" r:id="(rId\d+)"', wb)[1]
    target = re.search(rf'<Relationship Id="{rid}"[^>]*Target="([^"]+)"', rels)[1]
    sheet_path = "xl/" + target.lstrip("/").removeprefix("xl/")
    sst = parts["xl/sharedStrings.xml"].decode()
    strings = [re.sub(r"<[^>]+>", "", s) for s in re.findall(r"<si>(.*?)</si>", sst, re.S)]
    giant = len(strings)
    sst = sst.rstrip().removesuffix("</sst>") + f"<si><t>{GIANT}</t></si></sst>"
    parts["xl/sharedStrings.xml"] = re.sub(
        r'uniqueCount="\d+"', f'uniqueCount="{giant + 1}"', sst
    ).encode()
    done = 0

    def answer(row_match: re.Match) -> str:
        nonlocal done
        row = row_match.group(0)
        first = re.search(r'<c r="A\d+"[^>]*t="s"[^>]*><v>(\d+)</v>', row)
        if done >= cells or not first or not ID.fullmatch(strings[int(first[1])]):
            return row
        done += 1
        r = re.search(r'<row r="(\d+)"', row)[1]
        cell = f'<c r="E{r}" t="s"><v>{giant}</v></c>'
        row, n = re.subn(rf'<c r="E{r}"[^>]*?(/>|>.*?</c>)', cell, row)
        return row if n else row.removesuffix("</row>") + cell + "</row>"

    sheet = parts[sheet_path].decode()
    parts[sheet_path] = re.sub(r'<row r="\d+"[^>]*>.*?</row>', answer, sheet, flags=re.S).encode()
    assert done == cells, f"{done} answer cells found, {cells} wanted"
    more = range(sheets - 1)
    parts["xl/workbook.xml"] = wb.replace(
        "</sheets>",
        "".join(f'<sheet name="Q{i}" sheetId="{100 + i}" r:id="rIdX{i}"/>' for i in more)
        + "</sheets>",
    ).encode()
    kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
    parts["xl/_rels/workbook.xml.rels"] = rels.replace(
        "</Relationships>",
        "".join(f'<Relationship Id="rIdX{i}" Type="{kind}" Target="{target}"/>' for i in more)
        + "</Relationships>",
    ).encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def measure(exe: Path, work: Path, name: str) -> None:
    report = work / f"{name}.json"
    timed = subprocess.run(
        ["/usr/bin/time", "-f", "%e %M", str(exe), "check", "--lock",
         "questionnaire.xlsx.boussole.lock", f"{name}.xlsx", "--format", "json",
         "-o", report.name, "--force"],
        cwd=work, capture_output=True, text=True, timeout=900,
    )
    wall, peak_kb = timed.stderr.strip().splitlines()[-1].split()
    size = report.stat().st_size if report.exists() else 0
    print(f"| {name} | {(work / f'{name}.xlsx').stat().st_size / 1000:.0f} KB "
          f"| {float(wall):.2f} s | {int(peak_kb) / 1000:.0f} MB "
          f"| {size / 1000:,.0f} KB | exit {timed.returncode} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--boussole", type=Path, default=ROOT / "target/release/boussole")
    args = parser.parse_args()
    args.boussole = args.boussole.resolve()
    if args.boussole == ROOT / "target/release/boussole":
        subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=ROOT, check=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        subprocess.run([str(args.boussole), "questionnaire", "-o", "questionnaire.xlsx"],
                       cwd=work, check=True, capture_output=True)
        issued = work / "questionnaire.xlsx"
        for name, cells, sheets in CRAFTED:
            craft(issued, work / f"{name}.xlsx", cells, sheets)
        print("| return | file | wall | peak RSS | JSON report | status |")
        print("|---|---:|---:|---:|---:|---|")
        for name, _, _ in CRAFTED:
            measure(args.boussole, work, name)


if __name__ == "__main__":
    main()
