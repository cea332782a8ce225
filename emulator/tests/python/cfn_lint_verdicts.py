#!/usr/bin/env python3
"""cfn-lint's verdict on resource property sets: the schema rules' errors for each case.

Input (a file): a JSON array of {"id": str, "type": "AWS::...", "properties": {...}}.
Output (stdout): a JSON object {id: [[rule, "/path/inside/Properties", message], ...]} with the
matches of the schema rules below only, for every case (an empty list: cfn-lint accepts it).
All cases are linted in one template (one resource each), region us-east-1.
"""

import json
import sys

from cfnlint.api import ManualArgs, lint

# The rules that check properties against the registry schema: additional properties,
# required, type, anyOf/oneOf (dependencies), enum, pattern, array length, string length,
# number range, unique items.
SCHEMA_RULES = {"E3002", "E3003", "E3012", "E3017", "E3018", "E3030", "E3031", "E3032",
                "E3033", "E3034", "E3037"}


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        cases = json.load(f)
    logical = {f"Case{i}": case["id"] for i, case in enumerate(cases)}
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {f"Case{i}": {"Type": c["type"], "Properties": c["properties"]}
                      for i, c in enumerate(cases)},
    }
    verdicts = {case["id"]: [] for case in cases}
    for match in lint(json.dumps(template), config=ManualArgs(regions=["us-east-1"])):
        path = list(match.path)
        if match.rule.id == "E3006":
            # The type is unknown to cfn-lint in this region: reported as such.
            verdicts[logical[path[1]]].append(["E3006", "", match.message])
        if match.rule.id not in SCHEMA_RULES or path[:1] != ["Resources"]:
            continue
        inside = "/" + "/".join(str(p) for p in path[3:])
        verdicts[logical[path[1]]].append([match.rule.id, inside, match.message])
    json.dump(verdicts, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
