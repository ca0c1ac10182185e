"""Nothing fetches a Case or Child by id outside the access layer, selectors, tests and benchmarks (STYLE.md)."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = re.compile(
    r"\b(Case|Child)\.(objects|_default_manager)\.(get|filter|exclude|in_bulk|get_or_create|first|last|all)\b"
    r"|get_object_or_404\(\s*(Case|Child)\b"
    r"|get_list_or_404\(\s*(Case|Child)\b"
)
ALLOWED = {"agencies/access.py"}


def _checked_files():
    # Walk the project's own folders only: virtual environments and node_modules hold thousands of files.
    skipped = {"tests", "bench", "node_modules", "static", "var"}
    folders = [p for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith(".") and p.name not in skipped]
    paths = [*ROOT.glob("*.py"), *(path for folder in folders for path in folder.rglob("*.py"))]
    for path in paths:
        relative = path.relative_to(ROOT).as_posix()
        if "/migrations/" in relative:
            continue
        if relative in ALLOWED or relative.endswith("selectors.py"):
            continue
        yield relative, path


def test_no_case_or_child_lookups_outside_the_access_layer():
    offences = [
        f"{relative}:{number}: {line.strip()}"
        for relative, path in _checked_files()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if FORBIDDEN.search(line)
    ]
    assert offences == [], "Fetch cases and children through agencies/access.py:\n" + "\n".join(offences)


def test_the_lint_reads_every_app():
    checked = {relative for relative, _ in _checked_files()}
    assert {"cases/views.py", "census/views.py", "dashboard/views.py", "manage.py"} <= checked
    assert not any(relative.startswith((".venv", "tests/")) for relative in checked)


def test_the_lint_catches_a_lookup():
    assert FORBIDDEN.search("case = Case.objects.get(pk=case_id)")
    assert FORBIDDEN.search("get_object_or_404(Child, pk=1)")
    assert not FORBIDDEN.search("Case.objects.create(child=child)")
