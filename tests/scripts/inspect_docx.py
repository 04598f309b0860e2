#!/usr/bin/env python3
"""Print what python-docx sees in a DOCX questionnaire, as JSON.

Usage: inspect_docx.py FILE.docx

{"headers": [[cells of each table's first row]], "ids": [first cell of each
question row], "identity": [first column of the identification table]}
"""

import json
import sys

import docx


def main():
    document = docx.Document(sys.argv[1])
    out = {"headers": [], "ids": [], "identity": []}
    for table in document.tables:
        header = [c.text.strip() for c in table.rows[0].cells]
        out["headers"].append(header)
        first = [r.cells[0].text.strip() for r in table.rows[1:]]
        if header and header[0] == "ID":
            out["ids"].extend(i for i in first if i)  # option rows have no id
        elif "SIRET" in first or "SIREN/SIRET" in first:
            out["identity"] = first
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
