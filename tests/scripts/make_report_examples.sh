#!/usr/bin/env bash
# Regenerates the report examples from vendors filled by the test scripts:
#
#   examples/rapport.xlsx            the scoring workbook of four vendors
#   examples/rapport-decisions.xlsx  the next one, after legal staff's decisions
#   examples/lettres/                the regularisation requests after that review
#
# Usage, from anywhere: tests/scripts/make_report_examples.sh
# Needs python3 with openpyxl. Dates are fixed (SOURCE_DATE_EPOCH), so the
# same code gives the same files.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --quiet
bin="$PWD/target/debug/boussole"
scripts="$PWD/tests/scripts"
examples="$PWD/examples"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1800000000 # 2027-01-15

# check exits 1 when an offer is non-compliant or incomplete: expected here.
check() { "$bin" check --lock questionnaire.xlsx.boussole.lock offres/ "$@" || [ $? -eq 1 ]; }

cd "$tmp"
"$bin" questionnaire -o questionnaire.xlsx 2>/dev/null
python3 "$scripts/report_vendors.py" questionnaire.xlsx.boussole.lock specs
mkdir offres
for vendor in acme reserves biometrie incomplet; do
  python3 "$scripts/fill_xlsx.py" questionnaire.xlsx "offres/$vendor.xlsx" "specs/$vendor.json"
done
python3 "$scripts/literal_xlsx.py" offres/biometrie.xlsx offres/biometrie.xlsx specs/literal.json
python3 "$scripts/freeze_xlsx.py" offres/*.xlsx

check --format xlsx -o "$examples/rapport.xlsx" --force

python3 "$scripts/decide_xlsx.py" "$examples/rapport.xlsx" decided.xlsx specs/decisions.json
python3 "$scripts/freeze_xlsx.py" decided.xlsx
check --decisions decided.xlsx --format xlsx -o "$examples/rapport-decisions.xlsx" --force
rm -rf "$examples/lettres"
check --decisions decided.xlsx --format letters -o "$examples/lettres"
ls -l "$examples/rapport.xlsx" "$examples/rapport-decisions.xlsx" "$examples/lettres"
