#!/usr/bin/python3
"""Check an OSCAL JSON document against an OSCAL JSON Schema (draft 7).

usage: oscal_validate.py SCHEMA DOCUMENT
Prints "valid" and exits 0, or prints each error and exits 1.
"""
import json
import sys

import regex
from jsonschema import Draft7Validator, ValidationError, validators
from jsonschema.exceptions import best_match

compiled = {}


def ecma_pattern(validator, pattern, instance, schema):
    """The pattern keyword with \\p{..} classes and ECMA-262's final $."""
    if not validator.is_type(instance, "string"):
        return
    rx = compiled.get(pattern)
    if rx is None:
        p = pattern[:-1] + r"\Z" if pattern.endswith("$") and not pattern.endswith("\\$") else pattern
        rx = compiled[pattern] = regex.compile(p)
    if not rx.search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


OscalValidator = validators.extend(Draft7Validator, {"pattern": ecma_pattern})


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        schema = json.load(f)
    with open(sys.argv[2]) as f:
        document = json.load(f)
    errors = list(OscalValidator(schema).iter_errors(document))
    for e in errors:
        cause = best_match(e.context) if e.context else e
        where = "/" + "/".join(map(str, cause.absolute_path))
        print(f"{where}: {cause.message[:200]}")
    if errors:
        sys.exit(1)
    print("valid")


if __name__ == "__main__":
    main()
