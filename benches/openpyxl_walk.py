#!/usr/bin/env python3
"""The usual alternative to `boussole check`: openpyxl loads each workbook
and walks every cell of every sheet. Nothing is checked: this is the least
a Python script reading the answers would do.

Usage: openpyxl_walk.py [--jobs J] FILE_OR_DIR...

With --jobs 1 (the default) the files are read one after the other in this
process, as such a script is usually written; with --jobs J, by J worker
processes. Prints one JSON line: files, cells, seconds (after imports).
"""

import argparse
import json
import multiprocessing
import os
import time

import openpyxl


def walk(path):
    """Number of cells visited in the workbook at `path`."""
    wb = openpyxl.load_workbook(path)
    cells = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for _ in row:
                cells += 1
    return cells


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--jobs", type=int, default=1)
    p.add_argument("paths", nargs="+")
    a = p.parse_args()
    files = []
    for path in a.paths:
        if os.path.isdir(path):
            files += sorted(
                os.path.join(path, n) for n in os.listdir(path) if n.endswith(".xlsx")
            )
        else:
            files.append(path)
    start = time.perf_counter()
    if a.jobs > 1:
        with multiprocessing.Pool(a.jobs) as pool:
            cells = sum(pool.map(walk, files, chunksize=8))
    else:
        cells = sum(walk(f) for f in files)
    took = time.perf_counter() - start
    print(json.dumps({"files": len(files), "cells": cells, "seconds": round(took, 6)}))


if __name__ == "__main__":
    main()
