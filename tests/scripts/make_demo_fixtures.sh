#!/usr/bin/env bash
# Regenerates fixtures/demo/, the returned files `boussole demo` embeds:
# four vendors' questionnaires filled by openpyxl and saved by LibreOffice
# (the incomplete one as ODS), the project group's completed grid, and the
# winner's first yearly report (tests/scripts/demo_report_year1.json).
#
# Usage, from anywhere: tests/scripts/make_demo_fixtures.sh
# Needs python3 with openpyxl and LibreOffice (soffice). Run it whenever the
# library changes: a test fails when the fixtures no longer match it.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --quiet
bin="$PWD/target/debug/boussole"
scripts="$PWD/tests/scripts"
fixtures="$PWD/fixtures/demo"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
convert() { # FILE FORMAT OUTDIR
  timeout 180 soffice "-env:UserInstallation=file://$tmp/profile" --headless --norestore \
    --convert-to "$2" --outdir "$3" "$1" >/dev/null 2>&1
}
"$bin" questionnaire -o questionnaire.xlsx 2>/dev/null
python3 "$scripts/demo_vendors.py" questionnaire.xlsx.boussole.lock specs
mkdir -p filled saved
for vendor in bon biometrie hors-ue incomplet; do
  python3 "$scripts/fill_xlsx.py" questionnaire.xlsx "filled/$vendor.xlsx" "specs/$vendor.json"
done
for vendor in bon biometrie hors-ue; do convert "filled/$vendor.xlsx" xlsx saved; done
convert filled/incomplet.xlsx ods saved
"$bin" grid -o grille.xlsx 2>/dev/null
python3 "$scripts/grid_answers.py" grille.xlsx.boussole.lock grid.json
python3 "$scripts/fill_xlsx.py" grille.xlsx filled/grille-remplie.xlsx grid.json
convert filled/grille-remplie.xlsx xlsx saved
cp saved/bon.xlsx atelier-numerique-loire.xlsx
"$bin" award --lock questionnaire.xlsx.boussole.lock atelier-numerique-loire.xlsx -o engagements.json 2>/dev/null
"$bin" followup template --lock questionnaire.xlsx.boussole.lock --award engagements.json --year 1 \
  -o rapport-annee-1.xlsx 2>/dev/null
python3 "$scripts/fill_xlsx.py" rapport-annee-1.xlsx filled/rapport-annee-1.xlsx "$scripts/demo_report_year1.json"
convert filled/rapport-annee-1.xlsx xlsx saved
rm -f "$fixtures"/*.xlsx "$fixtures"/*.ods
cp saved/bon.xlsx "$fixtures/atelier-numerique-loire.xlsx"
cp saved/biometrie.xlsx "$fixtures/visiosurete.xlsx"
cp saved/hors-ue.xlsx "$fixtures/global-cloud-ai.xlsx"
cp saved/incomplet.ods "$fixtures/petite-startup.ods"
cp saved/grille-remplie.xlsx "$fixtures/grille-remplie.xlsx"
cp saved/rapport-annee-1.xlsx "$fixtures/rapport-annee-1.xlsx"
ls -l "$fixtures"
