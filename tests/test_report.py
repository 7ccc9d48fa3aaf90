"""The HTML report: self-contained (no scripts, no network), every section with its charts, text escaped."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import altair as alt
import pandas as pd
import pytest

from insight import report
from insight.pipeline import Pipeline


@pytest.fixture(scope="module")
def demo_html(demo_pipeline: Pipeline) -> str:
    return report.build_html(demo_pipeline)


def test_report_has_every_section_with_charts(demo_html: str) -> None:
    titles = re.findall(r"<h2>(.*?)</h2>", demo_html)
    assert titles == ["Overview", "Segments", "Value and churn", "Feedback", "Recommendations"]
    sections = demo_html.split("<section")[1:]
    charts = [s.count("<svg") for s in sections]
    assert charts[0] >= 2 and charts[2] >= 1 and charts[3] >= 2
    assert "Champions are" in demo_html and "Revenue by month" in demo_html


def test_report_needs_no_network_and_runs_no_script(demo_html: str) -> None:
    assert "<script" not in demo_html.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", demo_html)
    assert "@import" not in demo_html and not re.search(r"url\((?!#)", demo_html)  # only in-page references


def test_text_from_the_data_is_escaped() -> None:
    section = report.Section(
        "Feedback <b>",
        findings=["<script>alert(1)</script> & [link](http://x)"],
        tables=[("t", pd.DataFrame({"note": ["<img src=x onerror=alert(1)>"]}))],
        charts=[alt.Chart(pd.DataFrame({"x": ["<i>a</i>"], "y": [1]})).mark_bar().encode(x="x:N", y="y:Q")],
    )
    html = report.render("R", "<evil>.csv", [section])
    assert "<script>alert" not in html and "<img src=x" not in html and "<evil>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.browser
@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed (apt-get install -y chromium)")
def test_report_renders_offline_in_chromium(demo_html: str, tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    path = tmp_path / "report.html"
    path.write_text(demo_html, encoding="utf-8")
    requests: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=shutil.which("chromium"),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page()
        page.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith("file:")
                else (requests.append(route.request.url), route.abort())
            ),
        )
        page.goto(path.as_uri())
        assert page.locator("section").count() == 5
        for title in ("Overview", "Segments", "Value and churn", "Feedback", "Recommendations"):
            assert page.locator("h2", has_text=title).is_visible()
        svgs = page.locator("section svg")
        assert svgs.count() >= 6
        box = svgs.first.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 150
        page.screenshot(path=str(Path(__file__).parent.parent / "test-artifacts" / "report.png"), full_page=True)
        browser.close()
    assert requests == []


def test_the_report_prints_the_overviews_headline_figures_with_the_currency() -> None:
    from insight.pipeline import Answers, Choices
    from insight.report import words
    from insight.report.sections import headline_figures

    headline = {"customers": 120.0, "orders": 340.0, "revenue": 8300.0, "first_date": pd.Timestamp("2025-01-03")}
    headline |= {"last_date": pd.Timestamp("2025-12-30"), "repeat_rate": 0.42, "churn_rate": 0.3}
    figures = headline_figures(Answers(Choices(), headline), "GBP")
    assert figures.items() >= words.headline_figures(headline, "GBP").items()
    assert figures["Revenue"] == "£8,300" and figures["Churn rate"] == "30%" and "Period" in figures
