#!/usr/bin/env bash
# Regenerates the report examples in examples/ from the fictional vendors of
# compare_vendors.py (python3 with openpyxl):
#
#   examples/note-analyse.docx             the memo for legal staff (check --format docx)
#   examples/comparaison.{xlsx,docx,md}    the vendor comparison (compare)
#
# Usage: tests/scripts/make_comparison_examples.sh [BOUSSOLE]
# Without BOUSSOLE, builds the repository's binary first. The date is fixed
# (SOURCE_DATE_EPOCH) and the vendors' files are reproducible, so the
# examples change only when boussole's output does.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
boussole="${1:-}"
if [ -z "$boussole" ]; then
  cargo build --quiet --manifest-path "$root/Cargo.toml"
  boussole="$(cargo metadata --format-version 1 --no-deps --manifest-path "$root/Cargo.toml" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/debug/boussole"
fi
boussole="$(cd "$(dirname "$boussole")" && pwd)/$(basename "$boussole")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1800000000 # 2027-01-15T08:00:00Z

cd "$work"
"$boussole" questionnaire -o questionnaire.xlsx
mkdir offres
python3 "$root/tests/scripts/compare_vendors.py" questionnaire.xlsx questionnaire.xlsx.boussole.lock offres
lock=questionnaire.xlsx.boussole.lock
# check exits 1 when an offer is non-compliant or incomplete, as here.
"$boussole" check --lock "$lock" offres --format docx -o "$root/examples/note-analyse.docx" --force || [ $? -eq 1 ]
for ext in xlsx docx md; do
  "$boussole" compare --lock "$lock" offres -o "$root/examples/comparaison.$ext" --force
done
echo "wrote examples/note-analyse.docx and examples/comparaison.{xlsx,docx,md}"
