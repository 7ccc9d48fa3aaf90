"""Browser tests: the real server in headless Chromium, for what only a browser shows — every page on the demo,
a real upload, the k slider, share links on every page that keep `?view=` while the viewer moves, and the
Overview's first figures while a slow section is still held back.

Screenshots land in test-artifacts/screenshots/. Skipped, with the reason, when Chromium or Playwright is not
installed. Waits are for something on the page (a marker, a count), never for a fixed time.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from insight.store import ShareRegistry
from tests.conftest import ROOT
from ui import PAGES as PAGE_NAMES

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ERROR_WORDS = ("Traceback", "Exception", "Error:", "Something went wrong")  # the last: the pages' error boundary
BUSY = '[data-testid="stExpanderIconSpinner"], [data-testid="stSpinner"]'
# A page is done when its last section is there: (url path, text that only the finished page shows).
PAGES = {
    "app_pages/overview.py": ("", "Download the report"),
    "app_pages/data.py": ("data", "Customer table"),
    "app_pages/segments.py": ("segments", "Unusual customers"),
    "app_pages/predict.py": ("predict", "How good are these models?"),
    "app_pages/feedback.py": ("feedback", "Every text"),
    "app_pages/recommend.py": ("recommend", "Model comparison"),
}
FEEDBACK_DONE = {"en": "Every text", "zh": "全部文本"}  # the finished Feedback page's last section, per language
PAGE_TITLES = {path: title for path, (title, _) in PAGE_NAMES.items()}
WAIT_MS = int(os.environ.get("INSIGHT_BROWSER_WAIT_MS", "300000"))

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install -y chromium)"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(data_dir: Path, **env: str) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port)]
        + ["--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT,
        env=dict(os.environ, INSIGHT_DATA_DIR=str(data_dir), INSIGHT_JOBS="processes", **env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
            return proc, url
        except OSError:
            if proc.poll() is not None:
                break
            proc_wait(proc, 0.2)
    proc.terminate()
    pytest.fail("the streamlit server did not start")


def proc_wait(proc: subprocess.Popen, seconds: float) -> None:
    """Give the starting server a moment: returns early when it exits."""
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=seconds)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, demo_overview: Path) -> Path:
    """The module's server's data directory: a copy of the run's shared demo results (the server's own worker
    processes would fit the same models again), its key included so the demo's pseudonyms match them."""
    folder = tmp_path_factory.mktemp("browser-data")
    shutil.copytree(demo_overview, folder, dirs_exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def server(data_dir: Path) -> Iterator[str]:
    proc, url = _start(data_dir)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _done(page, marker: str) -> None:
    """Wait until the page shows its last section and nothing on it is still computing.

    On a timeout the page is saved as a screenshot and its text goes into the failure, to see what it showed instead.
    """
    try:
        page.get_by_text(marker).first.wait_for(timeout=WAIT_MS)
        sync_api.expect(page.locator(BUSY)).to_have_count(0, timeout=WAIT_MS)
    except sync_api.TimeoutError:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "timed_out.png"), full_page=True)
        pytest.fail(f"waited for {marker!r} at {page.url}; the page shows: {page.inner_text('body')[:3000]}")


def _check(page, name: str) -> str:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    body = page.inner_text("body")
    bad = [w for w in ERROR_WORDS if w in body]
    assert not bad, f"{name}: page shows {bad}: {body[:2000]}"
    assert page.locator('[data-testid="stException"]').count() == 0
    return body


def _choose(page, selectbox, option: str) -> None:
    """Pick `option` in a select box, opening it again if a rerun of the page closed its list before the click."""
    choice = page.get_by_role("option", name=option, exact=True)
    deadline = time.monotonic() + WAIT_MS / 1000
    while time.monotonic() < deadline:
        selectbox.click()
        with contextlib.suppress(sync_api.Error, AssertionError):
            choice.click(timeout=5000)
            sync_api.expect(selectbox.locator("input")).to_have_value(option, timeout=5000)
            return
        page.keyboard.press("Escape")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "could_not_choose.png"), full_page=True)
    shown = [o.inner_text() for o in page.get_by_role("option").all()]
    pytest.fail(f"could not choose {option!r} among {shown}; the page shows: {page.inner_text('body')[:3000]}")


def test_a_page_opened_directly_runs_through_the_app(server: str, browser) -> None:
    """Runs first, on a fresh server: a deep link goes through app.py (titles, sidebar, password), not the page file."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/feedback")
    _done(page, PAGES["app_pages/feedback.py"][1])
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "Value & churn" in nav and "Recommendations" in nav
    page.close()


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_renders_on_the_demo(server: str, browser, path: str) -> None:
    url_path, marker = PAGES[path]
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/{url_path}")
    _done(page, marker)
    body = _check(page, f"demo_{url_path or 'overview'}")
    assert "Demo shop" in body
    page.close()


def test_real_upload_through_the_file_input(server: str, browser, tmp_path: Path) -> None:
    csv = tmp_path / "my_orders.csv"
    rows = [(c, k) for c in range(80) for k in range(3)]
    lines = ["order;customer;date;total"] + [
        f"O{c}-{k};K{c:03d};{1 + (c + k) % 28:02d}.{1 + k:02d}.2025;{10 + c},{k}0 €" for c, k in rows
    ]
    csv.write_text("\n".join(lines), encoding="cp1252")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/data")
    _done(page, "Customer table")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(csv))
    page.get_by_text("Working on my_orders.csv").wait_for(timeout=WAIT_MS)
    _done(page, "Customer table")
    body = _check(page, "upload_data")
    assert "80 customers" in body
    page.close()


def test_moving_the_k_slider_changes_the_segments(server: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/segments")
    _done(page, "Unusual customers")
    metric = page.locator('[data-testid="stMetric"]', has_text="Segments").first.locator(
        '[data-testid="stMetricValue"]'
    )
    before = int(metric.inner_text())
    slider = page.locator('[data-testid="stSlider"] input[type="range"]').first
    assert int(slider.get_attribute("value")) == before
    slider.focus()
    page.keyboard.press("ArrowRight")
    sync_api.expect(metric).to_have_text(str(before + 1), timeout=WAIT_MS)
    assert int(slider.get_attribute("value")) == before + 1
    _check(page, "segments_after_slider")
    page.close()


@pytest.mark.parametrize("path", list(PAGES))
def test_a_share_link_opens_every_page_and_keeps_view_while_moving(
    server: str, data_dir: Path, browser, path: str
) -> None:
    token = ShareRegistry(data_dir).create(None, {"page": path, "seg_k": 3, "pred_threshold": 0.6})
    url_path, marker = PAGES[path]
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/?view={token}")
    _done(page, marker)
    _check(page, f"shared_{url_path or 'overview'}")
    assert f"view={token}" in page.url and page.url.split("?")[0].rstrip("/").endswith(url_path)
    assert "read-only" in page.inner_text("body")
    other = "app_pages/data.py" if path != "app_pages/data.py" else "app_pages/segments.py"
    page.locator('[data-testid="stSidebarNavLink"]', has_text=PAGE_TITLES[other]).first.click()
    sync_api.expect(page).to_have_url(re.compile(f"/{PAGES[other][0]}\\?view={token}$"), timeout=WAIT_MS)
    _done(page, PAGES[other][1])
    assert f"view={token}" in page.url  # a reload or a bookmark reopens the shared view
    page.reload()
    _done(page, PAGES[other][1])
    assert f"view={token}" in page.url and page.locator('[data-testid="stException"]').count() == 0
    page.close()


def test_the_overview_shows_its_first_figures_while_the_churn_comparison_is_held_back(
    browser, tmp_path_factory: pytest.TempPathFactory
) -> None:
    release = tmp_path_factory.mktemp("hold") / "release"
    proc, url = _start(
        tmp_path_factory.mktemp("held-data"),
        INSIGHT_HOLD_STEPS="predict.compare",
        INSIGHT_HOLD_RELEASE=str(release),
    )
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url)
        customers = page.locator('[data-testid="stMetric"]', has_text="Customers").first
        sync_api.expect(customers.locator('[data-testid="stMetricValue"]')).to_have_text("2,000", timeout=WAIT_MS)
        page.get_by_text("groups of customers who behave alike").wait_for(timeout=WAIT_MS)  # another section came
        assert page.get_by_text("Comparing churn models").count() == 1  # churn is still running …
        assert page.get_by_text("look likely to leave now").count() == 0
        _check(page, "overview_churn_held")
        release.touch()  # … until it is let go
        page.get_by_text("look likely to leave now").wait_for(timeout=WAIT_MS)
        page.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_an_audience_downloads_as_a_shopify_import_file(server: str, browser) -> None:
    """The real download of the "Send to a marketing tool" panel: the file the browser saves is Shopify's
    customer template with the owner's emails, UTF-8 with a BOM."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page.goto(f"{server}/segments")
    _done(page, "Unusual customers")
    page.get_by_text("Send to a marketing tool").click()
    panel = page.locator('[data-testid="stExpander"]', has_text="Send to a marketing tool")
    _choose(page, panel.locator('[data-testid="stSelectbox"]'), "Shopify")
    panel.get_by_role("button", name="Prepare the audiences").click()
    button = panel.get_by_role("button", name=re.compile(r"Download segment-.*_shopify\.csv")).first
    button.wait_for(timeout=WAIT_MS)
    with page.expect_download(timeout=WAIT_MS) as download:
        button.click()
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    header, first = data.decode("utf-8-sig").splitlines()[:2]
    assert header.startswith("First Name,Last Name,Email,Accepts Email Marketing,") and header.endswith(",Tax Exempt")
    assert "@example.com" in first
    _check(page, "segments_audiences")
    page.close()


def test_the_browsers_language_the_switch_and_a_link_in_its_viewers_language(server: str, browser) -> None:
    """A Chinese browser reads Chinese (st.context.locale is navigator.language), the sidebar switch changes it both
    ways, and a link made in a Chinese session opens in the language of whoever opens it."""
    chinese, english = "条文本由VADER评分", "texts were scored by VADER"
    owner = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
    page = owner.new_page()
    page.goto(f"{server}/feedback")
    _done(page, FEEDBACK_DONE["zh"])
    assert chinese in _check(page, "feedback_zh") and english not in page.inner_text("body")
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("English", exact=True).click()
    page.get_by_text(english).first.wait_for(timeout=WAIT_MS)
    sidebar.get_by_text("简体中文", exact=True).click()
    page.get_by_text(chinese).first.wait_for(timeout=WAIT_MS)
    sidebar.get_by_text("分享此视图").click()  # the share panel speaks the owner's language too
    sidebar.get_by_text("我同意为此链接保存一份数据副本").click()
    sidebar.get_by_role("button", name="创建链接").click()
    link = sidebar.locator('[data-testid="stCode"]').first
    link.wait_for(timeout=WAIT_MS)
    url = re.search(r"https?://\S+view=\S+", link.inner_text()).group(0)
    owner.close()
    for locale, shown, hidden, shared in (
        ("en-GB", english, chinese, "read-only"),
        ("zh-TW", chinese, english, "只读"),
    ):
        viewer = browser.new_context(locale=locale, viewport={"width": 1400, "height": 1000})
        page = viewer.new_page()
        page.goto(url)
        _done(page, FEEDBACK_DONE[locale[:2]])
        body = _check(page, f"shared_feedback_{locale}")
        assert shown in body and hidden not in body and shared in body
        viewer.close()
