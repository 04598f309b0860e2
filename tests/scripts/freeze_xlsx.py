#!/usr/bin/env python3
"""Give workbooks saved by openpyxl fixed dates, in place.

Usage: freeze_xlsx.py FILE.xlsx...

openpyxl stamps every save with the current time (the document's modified
date, and each zip entry's date), so the same answers give other bytes and
another SHA-256 at each run. This rewrites the package with every entry
dated 1980-01-01 and the document's created and modified dates set to
2027-01-20: example files then change only when their content does.
"""

import re
import sys
import zipfile

STAMP = "2027-01-20T00:00:00Z"


def freeze(path):
    with zipfile.ZipFile(path) as z:
        entries = [(info, z.read(info.filename)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                for tag in ("created", "modified"):
                    text = re.sub(
                        rf"(<dcterms:{tag}[^>]*>)[^<]*(</dcterms:{tag}>)", rf"\g<1>{STAMP}\g<2>", text
                    )
                data = text.encode("utf-8")
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            z.writestr(fixed, data)


def main():
    for path in sys.argv[1:]:
        freeze(path)


if __name__ == "__main__":
    main()
