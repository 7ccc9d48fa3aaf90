"""`python -m insight analyze CHINESE.xls --html r.html`: a Chinese export gets a Chinese report without `--lang`,
and `--lang en` gives the English one (issue 23)."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SHARED_DATA

EXPORTS = SHARED_DATA / "exports"
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")


def _chinese_xls() -> Path:
    """The Chinese .xls export named in the exports' expected.json (Chinese headers)."""
    expected = json.loads((EXPORTS / "expected.json").read_text(encoding="utf-8"))
    for entry in expected:
        roles = [str(v) for v in entry.get("roles", {}).values() if v]
        if entry["file"].endswith(".xls") and roles and all(CJK.search(r) for r in roles):
            return EXPORTS / entry["file"]
    raise AssertionError("expected.json names no Chinese .xls export")


pytestmark = [
    pytest.mark.slow,
    pytest.mark.shared_data,
    pytest.mark.skipif(not (EXPORTS / "expected.json").exists(), reason="the shared exports are not here"),
]


def _visible_text(page: str) -> str:
    """What a reader sees: no style, no charts' markup, no tags; the charts' own texts are kept."""
    page = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    texts = re.findall(r"<text[^>]*>(.*?)</text>", page, flags=re.S)  # the SVG charts' titles, axes, labels
    page = re.sub(r"<svg.*?</svg>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "\n", page) + "\n" + "\n".join(texts))


def _analyze(path: Path, out: Path, *extra: str) -> tuple[str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "insight", "analyze", str(path), "--html", str(out), "--quiet", *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout, out.read_text(encoding="utf-8")


def test_a_chinese_export_gets_a_chinese_report_and_lang_en_an_english_one(tmp_path: Path) -> None:
    source = _chinese_xls()
    said, page = _analyze(source, tmp_path / "r.html")
    assert said.startswith("已写入") and "<html lang='zh-CN'>" in page
    text = _visible_text(page).replace(source.name, "")
    cjk, latin = len(CJK.findall(text)), len(LATIN.findall(text))
    assert cjk > 3 * latin, (cjk, latin)  # mostly Chinese: model names and measures (ROC AUC, RFM) stay Latin
    for heading in ("<h2>总览</h2>", "<h2>客户分群</h2>", "客户洞察报告", "对照基准："):
        assert heading in page, heading
    assert "Compared with" not in page and "Overview" not in page

    said, page = _analyze(source, tmp_path / "en.html", "--lang", "en")
    assert said.startswith("wrote") and "<html lang='en'>" in page
    assert "<h2>Overview</h2>" in page and "<h2>Segments</h2>" in page and "Compared with:" in page
    assert "总览" not in page and "对照基准" not in page
