"""Validates a register entry against the Algorithmic Transparency Standard's
JSON Schema: python3 validate_register.py SCHEMA ENTRY.

The schema as published marks each attribute `"required": true` or `false`
inside the attribute, where JSON Schema expects a list on the object: the
validator ignores it, so this script checks it itself (an attribute marked
required is present, or named in the entry's `missing`). Formats (date,
e-mail, URI) are checked where the jsonschema package can. Prints each
error and exits 1 when there is one.
"""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1], encoding="utf-8"))
entry = json.load(open(sys.argv[2], encoding="utf-8"))
validator_class = jsonschema.validators.validator_for(schema)
validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
errors = [
    f"{'/'.join(map(str, e.absolute_path)) or '(entry)'}: {e.message}"
    for e in validator.iter_errors(entry)
]
missing = entry.get("missing", [])
for name, attribute in schema["properties"].items():
    if attribute.get("required") is True and name not in entry and name not in missing:
        errors.append(f"{name}: required by the standard, neither given nor listed in missing")
for name in missing:
    if name not in schema["properties"]:
        errors.append(f"missing: {name} is no attribute of the standard")
for e in errors:
    print(e)
sys.exit(1 if errors else 0)
