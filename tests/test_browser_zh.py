"""A Chinese browser reads every page of the demo in Chinese (issue 23): the served app in headless Chromium with the
locale zh-CN (what `st.context.locale` reads), each page's rendered text and attributes scanned for Latin words
that are not the demo's column names or values, file names, model names or units (`tests/latin.py`); the charts'
texts, which Vega draws on a canvas, are read from their specs in an AppTest of the same page.

A new English string on a page read in Chinese fails here with the words around it.
"""

from __future__ import annotations

import pytest

from tests.apptest import app, settle
from tests.latin import allowed_words, chart_texts, demo_words, english_left
from tests.test_browser import CHROMIUM, WAIT_MS, _check, _done, browser, data_dir, server, sync_api  # noqa: F401

# A page is done when its last section is there: (url path, text only the finished Chinese page shows).
PAGES = {
    "app_pages/overview.py": ("", "下载报告"),
    "app_pages/data.py": ("data", "客户表"),
    "app_pages/segments.py": ("segments", "异常客户"),
    "app_pages/predict.py": ("predict", "这些模型有多准？"),
    "app_pages/feedback.py": ("feedback", "全部文本"),
    "app_pages/recommend.py": ("recommend", "模型比较"),
}
DEMO_NAME = {"Demo", "shop", "Bean", "Leaf"}  # the demo dataset's own name, "Demo shop (Bean & Leaf)", as a file's

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install -y chromium)"),
]


def _allowed() -> set[str]:
    return allowed_words(set(demo_words()) | DEMO_NAME)


def _rendered(page) -> str:
    """The main area's and the sidebar's text, and the attributes a reader (or a screen reader) meets."""
    parts = [page.locator('[data-testid="stMain"], [data-testid="stSidebar"]').all_inner_texts()]
    for attribute in ("aria-label", "title", "placeholder"):  # a chart's own are read from its spec below
        parts.append(
            page.eval_on_selector_all(
                f'[data-testid="stMain"] [{attribute}], [data-testid="stSidebar"] [{attribute}]',
                f"els => els.filter(e => !e.closest('.vega-embed')).map(e => e.getAttribute('{attribute}'))",
            )
        )
    return "\n".join(text for group in parts for text in group if text)


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_reads_in_chinese(server: str, browser, path: str) -> None:  # noqa: F811
    url_path, marker = PAGES[path]
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{server}/{url_path}")
    _done(page, marker)
    _check(page, f"zh_{url_path or 'overview'}")
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert {"总览", "数据", "客户分群", "客户反馈", "推荐"} <= set(nav.split()), nav
    left = english_left(_rendered(page), _allowed())
    context.close()
    assert not left, f"{path}: English on the Chinese page:\n" + "\n".join(dict.fromkeys(left))


@pytest.mark.demo_results
@pytest.mark.parametrize("path", list(PAGES))
def test_every_chart_reads_in_chinese(path: str) -> None:
    """Chart titles, axes, legends and tooltips in Chinese, from the specs of the page's charts."""
    import json

    at = app(path)
    at.context = {"locale": "zh-CN"}
    settle(at)
    assert not at.exception, at.exception
    specs = [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]
    assert specs, f"{path} shows no chart"
    texts = [text for spec in specs for text in chart_texts(spec)]
    left = [word for text in texts for word in english_left(text, _allowed())]
    assert not left, f"{path}: English in a chart:\n" + "\n".join(dict.fromkeys(left))
