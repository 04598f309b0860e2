#!/usr/bin/env python3
"""Fill one questionnaire into many variants, with fill_xlsx.py's rules.

Usage: fill_many.py IN.xlsx OUTDIR SPECS.json

SPECS.json is a fill_xlsx.py spec (ANSWERS.json) with one more key,
"variants": {"NAME": {"ID": answer or null, …}, …}: each variant is the
spec's answers with these replaced (null leaves the question unanswered),
written to OUTDIR/NAME.xlsx.
"""

import json
import os
import sys

from fill_xlsx import fill


def main():
    src, out, specs_path = sys.argv[1:4]
    with open(specs_path, encoding="utf-8") as f:
        spec = json.load(f)
    variants = spec.pop("variants")
    os.makedirs(out, exist_ok=True)
    for name, changes in variants.items():
        answers = dict(spec["answers"])
        answers.update(changes)
        fill(src, os.path.join(out, name + ".xlsx"), {**spec, "answers": answers})


if __name__ == "__main__":
    main()
