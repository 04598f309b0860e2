#!/usr/bin/env bash
# Regenerates the documents vendors see, for the default profile:
#
#   examples/annexe.docx, examples/annexe.md, examples/annex-en.md   the annex
#   examples/questionnaire.xlsx, examples/questionnaire.docx         the questionnaire
#   (with their .boussole.lock)
#
# Usage, from anywhere: tests/scripts/make_document_examples.sh
# Their dates come from the profile, so the same code gives the same files.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --quiet
bin="$PWD/target/debug/boussole"
examples="$PWD/examples"
"$bin" annex -o "$examples/annexe.docx" --force 2>/dev/null
"$bin" annex -o "$examples/annexe.md" --force 2>/dev/null
"$bin" annex --lang en -o "$examples/annex-en.md" --force 2>/dev/null
"$bin" questionnaire -o "$examples/questionnaire.xlsx" --force 2>/dev/null
"$bin" questionnaire -o "$examples/questionnaire.docx" --force 2>/dev/null
echo "documents regenerated in $examples"
