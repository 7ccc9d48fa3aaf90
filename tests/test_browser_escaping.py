"""In a real browser: escaped upload text shows as the text itself in every element that renders markdown (no
link, image, colour, HTML, heading or auto-linked URL), and tables offer no raw "Download as CSV"."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pytest

from tests.conftest import INJECTIONS, ROOT
from tests.test_browser import ARGS, CHROMIUM, _free_port

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install -y chromium)"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")

PREFIXES = ["MD", "CAP", "INFO", "WARN", "ERR", "EXP", "MET", "SEL", "TXT", "TAB", "SB", "SBC"]
# What markup would produce inside a line of text: links, images, emphasis, code, LaTeX, coloured text, icons.
INLINE_MARKUP = "a, img, strong, em, del, code, .katex, [data-testid=stIconMaterial], span[style*=color]"
# ... and as blocks of their own (the app under test draws none of these itself).
BLOCK_MARKUP = "h1, h2, h3, h4, h5, h6, ul, ol, li, blockquote, hr, a[href*=evil], img[src*=evil]"


@pytest.fixture(scope="module")
def page() -> Iterator[object]:
    """The test app (run from the project folder, so the project's .streamlit/config.toml applies), loaded."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "tests/apps/escaping_app.py", "--server.headless", "true"]
        + ["--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT,
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the streamlit server did not start")
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            tab = browser.new_page(viewport={"width": 1400, "height": 1000})
            tab.goto(f"http://127.0.0.1:{port}/")
            tab.get_by_text("ESCAPING_APP_END").wait_for(timeout=120_000)
            yield tab
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _paragraphs(page, prefix: str) -> list[dict]:
    """Each rendered paragraph starting with `prefix `: its visible text and any markup inside it, once all the
    test app's elements of that kind are on the page."""
    page.wait_for_function(
        "([prefix, n]) => [...document.querySelectorAll('[data-testid=stApp] p')]"
        ".filter(p => p.textContent.startsWith(prefix + ' ')).length >= n",
        arg=[prefix, len(INJECTIONS)],
        timeout=60_000,
    )
    return page.evaluate(
        """([prefix, markup]) => [...document.querySelectorAll('[data-testid=stApp] p')]
            .filter(p => p.textContent.startsWith(prefix + ' '))
            .map(p => ({text: p.innerText.replace(/\\u2060/g, ''),
                        markup: [...p.querySelectorAll(markup)].map(m => m.outerHTML.slice(0, 120))}))""",
        [prefix, INLINE_MARKUP],
    )


@pytest.mark.parametrize("prefix", PREFIXES)
def test_escaped_text_renders_as_the_text_itself(page, prefix: str) -> None:
    found = _paragraphs(page, prefix)
    texts = [" ".join(p["text"].split()) for p in found]
    assert texts == [f"{prefix} {' '.join(injection.split())}" for injection in INJECTIONS]
    assert not [m for p in found for m in p["markup"]]
    assert page.locator(f"[data-testid=stApp] :is({BLOCK_MARKUP})").count() == 0


def test_tables_offer_no_csv_download(page) -> None:
    table = page.locator(".st-key-table [data-testid=stDataFrame]")
    table.hover()
    page.locator("[data-testid=stElementToolbar] button[aria-label='Search']").first.wait_for(timeout=30_000)
    labels = page.locator("[data-testid=stElementToolbar] button").evaluate_all(
        "bs => bs.map(b => b.getAttribute('aria-label') || b.innerText)"
    )
    assert "Search" in labels and "Download as CSV" not in labels, labels
