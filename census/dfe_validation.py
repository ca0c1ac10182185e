"""The DfE validation rules for the CIN census, run on a return through `bin/cin-validator`.

The rules are the `csc-validator-be-cin` package's. It needs Python 3.11 with numpy<2 and pandas<2,
so it runs in its own venv (.venv-cin) as a subprocess: the portal never imports it. The script
prints JSON; this module turns it into issues and answers the one question the portal asks:
which ERROR-type issues does this return have (queries are for people to check, errors stop a return)?
"""

import json
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

RULESET = "cin2025_26"
SCRIPT = Path(settings.BASE_DIR) / "bin" / "cin-validator"
TIMEOUT_SECONDS = 600  # the first run creates the venv


class ValidatorUnavailable(RuntimeError):
    """The rules could not be run at all (no Python 3.11, no network for the first install, a crash)."""


@dataclass(frozen=True)
class RuleIssue:
    rule: str
    type: str  # "Error" or "Query"
    child_id: str | None
    table: str | None
    column: str | None
    row: str | None
    message: str

    @property
    def is_error(self):
        return self.type == "Error"

    def __str__(self):
        where = f"child {self.child_id}, {self.table}/{self.column}" if self.child_id else "whole return"
        return f"rule {self.rule} ({self.type}) at {where}: {self.message}"


@dataclass
class RulesReport:
    ruleset: str
    rules_run: int
    issues: list

    @property
    def errors(self):
        return [issue for issue in self.issues if issue.is_error]


def dfe_rules_report(xml: bytes, ruleset: str = RULESET) -> RulesReport:
    """Every issue the DfE rules find in `xml`. Raises ValidatorUnavailable when they cannot run,
    or when any rule crashed (a crashed rule checked nothing, so the file is not known to pass)."""
    with tempfile.NamedTemporaryFile(suffix=".xml") as handle:
        handle.write(xml)
        handle.flush()
        try:
            done = subprocess.run(  # noqa: S603 - fixed script, arguments are ours
                [str(SCRIPT), handle.name, "-r", ruleset],
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise ValidatorUnavailable(f"bin/cin-validator could not run: {error}") from error
    if done.returncode != 0:
        raise ValidatorUnavailable(f"bin/cin-validator failed ({done.returncode}): {done.stderr.decode(errors='replace')[-2000:]}")
    try:
        data = json.loads(done.stdout)
    except ValueError as error:
        raise ValidatorUnavailable(f"bin/cin-validator printed no JSON: {done.stdout[:500]!r}") from error
    if data["crashed_rules"]:
        raise ValidatorUnavailable(f"DfE rules crashed, so they checked nothing: {data['crashed_rules']}")
    issues = [RuleIssue(**{**issue, "message": issue["message"] or ""}) for issue in data["issues"]]
    return RulesReport(ruleset=data["ruleset"], rules_run=data["rules_run"], issues=issues)
