#!/usr/bin/env bash
# Regenerates the internal grid examples:
#
#   examples/grille.xlsx (+ its lock)   the evaluation grid of the default profile
#   examples/grille-remplie.xlsx        the same, completed by the project group (openpyxl)
#   examples/suivi-annee-1.xlsx         the first yearly follow-up sheet
#   examples/avis.docx, examples/avis.md  the opinion for validation
#
# Usage, from anywhere: tests/scripts/make_grid_examples.sh   (needs python3 with openpyxl)
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --quiet
bin="$PWD/target/debug/boussole"
scripts="$PWD/tests/scripts"
examples="$PWD/examples"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
"$bin" grid -o grille.xlsx 2>/dev/null
"$bin" grid --followup 1 -o suivi-annee-1.xlsx 2>/dev/null
python3 "$scripts/grid_answers.py" grille.xlsx.boussole.lock answers.json
python3 "$scripts/fill_xlsx.py" grille.xlsx grille-remplie.xlsx answers.json
for out in avis.docx avis.md; do
  "$bin" grid review grille-remplie.xlsx --lock grille.xlsx.boussole.lock -o "$out" 2>/dev/null
done
cp grille.xlsx grille.xlsx.boussole.lock grille-remplie.xlsx suivi-annee-1.xlsx avis.docx avis.md "$examples/"
echo "examples regenerated in $examples"
