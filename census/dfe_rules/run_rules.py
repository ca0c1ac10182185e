"""Run the DfE CIN validation rules (the `csc-validator-be-cin` package) on one return; print JSON.

Runs inside .venv-cin (Python 3.11 with numpy<2, pandas<2), never inside the portal: it imports
nothing from Django. `bin/cin-validator FILE.xml` creates that venv and calls this script.

The package's own CLI prints a pandas table meant for people; this prints every issue with its
rule's type (Error or Query) so a caller can count errors without parsing a table:

    {"ruleset": "cin2025_26", "rules_run": 180, "issues": [{"rule": "8500", "type": "Error",
     "child_id": "12", "table": "CINdetails", "column": "ReferralSource", "row": 3,
     "message": "..."}], "crashed_rules": [{"rule": "...", "error": "..."}]}

A rule that raises is listed under "crashed_rules" (the package only prints it and carries on), so
a broken rule can never look like a pass.
"""

import argparse
import contextlib
import importlib
import io
import json
import math
import re
import sys
import warnings
import xml.etree.ElementTree as ET


def _text(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)


def run(path, ruleset):
    warnings.simplefilter("ignore")  # pandas FutureWarnings from the rules are noise on stderr
    from cin_validator import cin_validator

    registry = importlib.import_module(f"cin_validator.rules.{ruleset}").registry
    rule_type = {str(rule.code): rule.rule_type.value for _, rule in registry.items()}
    with open(path, "rb") as handle:
        content = handle.read()
    if b"<!DOCTYPE" in content.upper():
        raise SystemExit("The file declares a DOCTYPE: census returns never do, so it is refused")
    # Safe here: no DOCTYPE means no entities to expand or fetch (the package itself parses with ElementTree).
    root = ET.fromstring(content)  # nosec B314
    data = cin_validator.process_data(cin_validator.convert_data(root))
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        validator = cin_validator.CinValidator(data, registry)
    crashed = [{"rule": match.group(1), "error": match.group(2)} for match in re.finditer(r"^Error with rule (\S+): (.*)$", printed.getvalue(), re.MULTILINE)]
    issues = []
    for row in validator.full_issue_df.to_dict("records"):
        code = str(row.get("rule_code"))
        issues.append(
            {
                "rule": code,
                "type": rule_type.get(code, "Error"),
                "child_id": _text(row.get("child_id")),
                "table": _text(row.get("tables_affected")),
                "column": _text(row.get("columns_affected")),
                "row": _text(row.get("row_id")),
                "message": _text(row.get("rule_description")),
            }
        )
    for row in validator.multichild_issues.to_dict("records"):
        code = str(row.get("rule_code"))
        issues.append(
            {
                "rule": code,
                "type": rule_type.get(code, "Error"),
                "child_id": None,
                "table": None,
                "column": None,
                "row": None,
                "message": _text(row.get("rule_description")),
            }
        )
    return {"ruleset": ruleset, "rules_run": len(rule_type), "issues": issues, "crashed_rules": crashed}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", help="CIN census XML return")
    parser.add_argument("-r", "--ruleset", default="cin2025_26", help="Rule folder of the package, e.g. cin2025_26")
    args = parser.parse_args(argv)
    json.dump(run(args.file, args.ruleset), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
