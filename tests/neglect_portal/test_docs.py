"""The repository stands alone: what the code relies on is in docs/, and comments cite only files in it.

A clone of the project holds nothing beside it, so a comment that cites a design note kept elsewhere
points at nothing (docs/conventions.md, "Comments and docs"). These checks read the source tree
itself; they need no database. Landed migrations are left out: they are never edited.
"""

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SOURCE_SUFFIXES = {".py", ".html", ".md", ".toml", ".sh", ".cfg", ".txt", ".yml", ".yaml"}
SCRIPT_FOLDERS = {"bin"}  # shell scripts without a suffix
SKIPPED_FOLDERS = {"node_modules", "static", "staticfiles", "var", "__pycache__", "migrations"}
THIS_FILE = Path(__file__).resolve()

# Files that lived outside the repository: the design and style notes, and anything beside the clone.
OUTSIDE = re.compile(r"\b(?:DESIGN|STYLE)\.md\b|\.\./shared/|/work/shared\b")
DOCS_CITATION = re.compile(r"\bdocs/([\w.-]+\.md)\b")
MARKDOWN_LINK = re.compile(r"\]\((?!https?:|mailto:|#)([^)#\s]+\.md)(?:#[^)]*)?\)")


def _skipped(relative: Path) -> bool:
    return any(part.startswith(".") or part in SKIPPED_FOLDERS or part.endswith(".egg-info") for part in relative.parts[:-1])


def source_files():
    """Every source and documentation file of the project (no virtual environments, builds or migrations)."""
    for folder, subfolders, names in os.walk(ROOT):
        # Prune in place: virtual environments and node_modules hold thousands of files.
        subfolders[:] = sorted(name for name in subfolders if not _skipped(Path(name, "_")))
        for name in sorted(names):
            path = Path(folder, name)
            relative = path.relative_to(ROOT)
            if path.resolve() == THIS_FILE:
                continue
            if path.suffix in SOURCE_SUFFIXES or (path.suffix == "" and relative.parts[0] in SCRIPT_FOLDERS):
                yield relative, path


def _lines(path):
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        return []


def test_no_file_cites_a_file_outside_the_repository():
    offences = [
        f"{relative}:{number}: {line.strip()}" for relative, path in source_files() for number, line in enumerate(_lines(path), 1) if OUTSIDE.search(line)
    ]
    assert offences == [], "Cite docs/<file>.md instead of files outside the repository:\n" + "\n".join(offences)


def test_every_cited_docs_file_exists():
    missing = [
        f"{relative}:{number}: docs/{name}"
        for relative, path in source_files()
        for number, line in enumerate(_lines(path), 1)
        for name in DOCS_CITATION.findall(line)
        if not (DOCS / name).is_file()
    ]
    assert missing == [], "Cited docs files that do not exist:\n" + "\n".join(missing)


def test_links_between_the_docs_resolve():
    pages = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
    broken = [
        f"{page.relative_to(ROOT)}: {target}"
        for page in pages
        for target in MARKDOWN_LINK.findall(page.read_text(encoding="utf-8"))
        if not (page.parent / target).resolve().is_file()
    ]
    assert broken == []


def test_docs_hold_what_a_newcomer_needs():
    assert {"architecture.md", "security.md", "domain.md", "data-model.md", "conventions.md"} <= {p.name for p in DOCS.glob("*.md")}


def test_the_checks_read_the_whole_project():
    checked = {relative.as_posix() for relative, _ in source_files()}
    assert {"agencies/access.py", "cases/models.py", "templates/base.html", "README.md", "docs/domain.md", "pyproject.toml", "bin/test"} <= checked
    assert not any("/migrations/" in name or name.startswith((".venv", "node_modules/")) for name in checked)


def test_the_pattern_catches_outside_citations_and_spares_docs_ones():
    design, style = "DESIGN" + ".md", "STYLE" + ".md"
    assert OUTSIDE.search(f'rules ({design}, "Access rules")')
    assert OUTSIDE.search(f"see {style}")
    assert OUTSIDE.search("copied from ../shared/standards/cin")
    assert not OUTSIDE.search('rules (docs/domain.md, "Access rules")')
    assert DOCS_CITATION.findall('see docs/domain.md, "Access rules" and docs/security.md.') == ["domain.md", "security.md"]
