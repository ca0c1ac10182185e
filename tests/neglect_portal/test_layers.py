"""The house reads top-down: no import cycle between apps (docs/architecture.md, "Layers").

Every import counts, at module level or inside a function: a function-local import still ties two
apps together. The project package `neglect_portal` is two things: its composition root (settings,
URLs, the Celery app, WSGI/ASGI, the header's context processor) may import any app and no app
imports it; its other modules (forms, PDFs, CSV, dates, charts, jobs) are the bottom layer and
import no app at all.
"""

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT = "neglect_portal"
COMPOSITION_ROOT = {"urls", "wsgi", "asgi", "celery", "settings", "test_settings", "context_processors"}
NOT_APPS = {"tests", "bench", "node_modules", "static", "var", "frontend", "docs", "templates"}


def _apps():
    return sorted(p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file() and p.name not in NOT_APPS)


def _imported_modules(path):
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module, node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno


def import_graph():
    """{app: {imported app: [where]}} over the product code (migrations excluded: frozen history)."""
    apps = set(_apps())
    graph = defaultdict(lambda: defaultdict(list))
    for app in apps:
        for path in (ROOT / app).rglob("*.py"):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts:
                continue
            source = app
            if app == PROJECT and relative.stem in COMPOSITION_ROOT and len(relative.parts) == 2:
                source = "<composition root>"
            for module, line in _imported_modules(path):
                target = module.split(".")[0]
                if target in apps and target != source:
                    graph[source][target].append(f"{relative}:{line}")
    return graph


def cycles(graph):
    """Pairs (a, b) where a imports b and b reaches back to a, with the places a imports b."""

    def reachable(start):
        seen, stack = set(), [start]
        while stack:
            for nxt in graph.get(stack.pop(), {}):
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return seen

    return [(a, b, places) for a in sorted(graph) for b, places in sorted(graph[a].items()) if a in reachable(b)]


def test_no_import_cycle_between_apps():
    found = cycles(import_graph())
    assert found == [], "Apps import each other (layers must point down):\n" + "\n".join(f"{a} -> {b}: {', '.join(places[:3])}" for a, b, places in found)


def test_the_project_packages_tools_import_no_app():
    imports = import_graph().get(PROJECT, {})
    assert dict(imports) == {}, f"neglect_portal's shared modules must sit below every app: {dict(imports)}"


def test_nothing_imports_the_composition_root():
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for app in _apps()
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and not (app == PROJECT and path.stem in COMPOSITION_ROOT)
        for module, line in _imported_modules(path)
        if module in {f"{PROJECT}.{name}" for name in COMPOSITION_ROOT}
    ]
    assert offenders == []


def test_the_check_finds_a_cycle():
    graph = {"low": {"high": ["low/views.py:3"]}, "high": {"low": ["high/models.py:1"]}, "other": {"low": ["other/x.py:1"]}}
    assert [(a, b) for a, b, _ in cycles(graph)] == [("high", "low"), ("low", "high")]


def test_the_graph_reads_function_local_imports(tmp_path, monkeypatch):
    for app, source in {"low": "def f():\n    from high import x\n", "high": "from low import y\n"}.items():
        (tmp_path / app).mkdir()
        (tmp_path / app / "__init__.py").write_text("")
        (tmp_path / app / "module.py").write_text(source)
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert [(a, b) for a, b, _ in cycles(import_graph())] == [("high", "low"), ("low", "high")]
