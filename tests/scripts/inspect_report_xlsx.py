#!/usr/bin/env python3
"""Print, as JSON, what a boussole scoring workbook holds.

Usage: inspect_report_xlsx.py FILE.xlsx

Reads the file with openpyxl (never modified), and its chart parts from the
zip package (openpyxl does not load charts). Prints one JSON object:

- sheets: the names, in order;
- per sheet (by name): "header" (row 1), "rows" (each later row as a list
  of cells {"v": value as text (cut to 300 characters), "len": its full
  length, "t": openpyxl's data type, "quote": the quote prefix}),
  "freeze" (the top-left cell of the unfrozen pane), "filter" (the
  autofilter range), "validations" (type, ranges, formula1, error style),
  "conditional" (the number of conditional formatting rules per range),
  "widths" (column letter → width, when set), "heights" (1-based row
  number → height in points, when set);
- charts: for each chart part, its chart types (radarChart, barChart…),
  the number of series and the formulas of their values;
- created: the creation date of the document properties.
"""

import json
import re
import sys
import zipfile

import openpyxl


def cell(c):
    v = c.value
    text = "" if v is None else str(v)
    return {"v": text[:300], "len": len(text), "t": c.data_type, "quote": bool(c.quotePrefix)}


def widths(ws):
    """Column letter → width, each column of a grouped range on its own."""
    out = {}
    for d in ws.column_dimensions.values():
        if d.width and d.min and d.max:
            for c in range(d.min, d.max + 1):
                out[openpyxl.utils.get_column_letter(c)] = d.width
    return out


def sheet(ws):
    rows = list(ws.iter_rows())
    return {
        "header": [c.value for c in rows[0]] if rows else [],
        "rows": [[cell(c) for c in r] for r in rows[1:]],
        "freeze": ws.freeze_panes,
        "filter": ws.auto_filter.ref,
        "validations": [
            {
                "type": dv.type,
                "ranges": str(dv.sqref).split(),
                "formula1": dv.formula1,
                "errorStyle": dv.errorStyle or "stop",
            }
            for dv in ws.data_validations.dataValidation
        ],
        "conditional": {str(r.sqref): len(r.rules) for r in ws.conditional_formatting},
        "widths": widths(ws),
        "heights": {str(k): d.height for k, d in ws.row_dimensions.items() if d.height},
    }


def charts(path):
    out = []
    with zipfile.ZipFile(path) as z:
        for name in sorted(n for n in z.namelist() if re.match(r"xl/charts/chart\d+\.xml$", n)):
            xml = z.read(name).decode("utf-8")
            out.append(
                {
                    "part": name,
                    "types": sorted(set(re.findall(r"<c:(\w+Chart)>", xml))),
                    "series": xml.count("<c:ser>"),
                    "values": re.findall(r"<c:val><c:numRef><c:f>([^<]*)</c:f>", xml),
                }
            )
    return out


def main():
    path = sys.argv[1]
    wb = openpyxl.load_workbook(path)
    report = {
        "sheets": wb.sheetnames,
        "sheet": {ws.title: sheet(ws) for ws in wb.worksheets},
        "charts": charts(path),
        "created": str(wb.properties.created),
    }
    json.dump(report, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
