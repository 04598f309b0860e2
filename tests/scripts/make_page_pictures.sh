#!/usr/bin/env bash
# Regenerates the pictures of the first page of the documents the demo
# writes, as LibreOffice prints them, shown in the README:
#
#   examples/pages/annexe.png          the tender annex
#   examples/pages/questionnaire.png   the vendor questionnaire (XLSX)
#   examples/pages/rapport.png         the scoring workbook
#   examples/pages/note-juridique.png  the memo for legal staff
#   examples/pages/lettre.png          a regularisation letter
#   examples/pages/avis.png            the project group's opinion
#
# Usage, from anywhere: tests/scripts/make_page_pictures.sh
# Needs soffice (LibreOffice) and pdftoppm (poppler-utils).
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v soffice >/dev/null && command -v pdftoppm >/dev/null || {
    echo "make_page_pictures: needs soffice and pdftoppm" >&2
    exit 2
}
cargo build --quiet
bin="$PWD/target/debug/boussole"
out="$PWD/examples/pages"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" demo "$work/demo" >/dev/null
mkdir -p "$out" "$work/pdf" "$work/profile"
letter=$(ls "$work"/demo/lettres/*.docx | head -n 1)
while read -r name file; do
    cp "$file" "$work/pdf/$name.${file##*.}"
done <<LIST
annexe $work/demo/annexe.docx
questionnaire $work/demo/questionnaire.xlsx
rapport $work/demo/rapport.xlsx
note-juridique $work/demo/note-juridique.docx
lettre $letter
avis $work/demo/grille/avis.docx
LIST
(cd "$work/pdf" && timeout 600 soffice -env:UserInstallation=file://"$work/profile" \
    --headless --norestore --convert-to pdf --outdir . ./*.docx ./*.xlsx >/dev/null 2>&1)
for pdf in "$work"/pdf/*.pdf; do
    name=$(basename "${pdf%.pdf}")
    pdftoppm -png -r 60 -f 1 -l 1 -singlefile "$pdf" "$out/$name"
done
echo "first pages regenerated in $out"
