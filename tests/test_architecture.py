"""The layout holds: the core never imports streamlit, pages and the CLI reach analyses only through the
pipeline, and no file grows into a room of its own (insight/ files at most 400 lines, pages at most 180)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

ANALYSES = ("insight.segment", "insight.predict", "insight.sentiment", "insight.recommend", "insight.overview")
ANALYSES += ("insight.findings", "insight.report.sections", "insight.report.summary", "insight.act")
ENTRY_POINTS = [ROOT / name for name in ("app.py", "main.py", "insight/cli.py")]
ENTRY_POINTS += sorted(ROOT.glob("ui/*.py"))
ENTRY_POINTS += sorted(ROOT.glob("app_pages/*.py"))


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at any depth of the code."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize("path", sorted((ROOT / "insight").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_core_never_imports_streamlit_and_stays_small(path: Path) -> None:
    assert not any(name == "streamlit" or name.startswith("streamlit.") for name in _imports(path))
    assert _lines(path) <= 400


@pytest.mark.parametrize("path", ENTRY_POINTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_pages_and_cli_reach_analyses_only_through_the_pipeline(path: Path) -> None:
    reached = sorted(name for name in _imports(path) if name.startswith(ANALYSES))
    allowed = {"insight.report.summary"} if path.name == "cli.py" else set()  # the CLI writes the JSON rendering
    assert set(reached) <= allowed
    if path.parent.name == "app_pages":
        assert _lines(path) <= 180


def test_the_rule_sees_a_forbidden_import(tmp_path: Path) -> None:
    page = tmp_path / "page.py"
    page.write_text("def run():\n    from insight.predict import churn\n    return churn\n", encoding="utf-8")
    assert "insight.predict" in _imports(page)


def _listed(doc: str, path: Path) -> bool:
    """Whether docs/architecture.md names the module: its file name inside its package's part of the layout."""
    package = path.parent.relative_to(ROOT / "insight").as_posix()
    if package == ".":
        return re.search(rf"^  {re.escape(path.name)}\s", doc, re.M) is not None
    start = re.search(rf"^  {re.escape(package)}/\s", doc, re.M)
    if start is None:
        return False
    following = re.search(r"^  \S", doc[start.end() :], re.M)
    part = doc[start.start() : start.end() + (following.start() if following else len(doc))]
    return re.search(rf"\b{re.escape(path.name)}\b", part) is not None


MODULES = [p for p in sorted((ROOT / "insight").rglob("*.py")) if p.name != "__init__.py" and p.name != "__main__.py"]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_module_is_in_the_architecture_page(path: Path) -> None:
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert _listed(doc, path), f"add {path.relative_to(ROOT)} to the layout in docs/architecture.md, with one line"


def test_the_docs_rule_sees_a_module_missing(tmp_path: Path) -> None:
    doc = "  pipeline/            the one place\n    core.py   x\n  report/   html.py\n"
    assert _listed(doc, ROOT / "insight" / "pipeline" / "core.py")
    assert not _listed(doc, ROOT / "insight" / "pipeline" / "answers.py")
    assert not _listed(doc, ROOT / "insight" / "report" / "core.py")
