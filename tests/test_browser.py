"""Browser tests: the real server in headless Chromium — every page on the demo, a real upload, the k slider.

Screenshots land in test-artifacts/screenshots/. Skipped, with the reason,
when Chromium or Playwright is not installed.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

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
ERROR_WORDS = ("Traceback", "Exception", "Error:")
PAGES = ["overview", "data", "segments", "predict", "feedback", "recommend"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install -y chromium)"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    env = dict(os.environ, INSIGHT_DATA_DIR=str(tmp_path_factory.mktemp("browser-data")))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the streamlit server did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _settle(page, timeout_s: float = 300) -> None:
    """Wait until the script run has finished: the sidebar's dataset line (drawn last) is there, nothing spins."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=60_000)
    page.get_by_text("Active dataset").wait_for(timeout=timeout_s * 1000)
    busy = '[data-testid="stSpinner"], [data-testid="stStatusWidget"] [data-testid="stStatusWidgetRunningIcon"]'
    deadline, quiet = time.time() + timeout_s, 0
    while time.time() < deadline and quiet < 4:
        quiet = 0 if page.locator(busy).count() > 0 else quiet + 1
        page.wait_for_timeout(500)


def _check(page, name: str) -> str:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    body = page.inner_text("body")
    bad = [w for w in ERROR_WORDS if w in body]
    assert not bad, f"{name}: page shows {bad}: {body[:2000]}"
    assert page.locator('[data-testid="stException"]').count() == 0
    return body


def test_a_page_opened_directly_runs_through_the_app(server: str, browser) -> None:
    """Runs first, on a fresh server: a deep link goes through app.py (titles, sidebar, password), not the page file."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/feedback")
    _settle(page)
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "Value & churn" in nav and "Recommendations" in nav
    page.close()


@pytest.mark.parametrize("name", PAGES)
def test_every_page_renders_on_the_demo(server: str, browser, name: str) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/{'' if name == 'overview' else name}")
    _settle(page)
    body = _check(page, f"demo_{name}")
    assert "Demo shop" in body
    page.close()


def test_real_upload_through_the_file_input(server: str, browser, tmp_path: Path) -> None:
    csv = tmp_path / "my_orders.csv"
    lines = ["order;customer;date;total"] + [
        f"O{c}-{k};K{c:03d};{1 + (c + k) % 28:02d}.{1 + k:02d}.2025;{10 + c},{k}0 €"
        for c in range(80)
        for k in range(3)
    ]
    csv.write_text("\n".join(lines), encoding="cp1252")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/data")
    _settle(page)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(csv))
    page.get_by_text("Working on my_orders.csv").wait_for(timeout=120_000)
    _settle(page)
    body = _check(page, "upload_data")
    assert "80 customers" in body
    page.close()


def _segments_shown(page) -> int:
    metric = page.locator('[data-testid="stMetric"]', has_text="Segments").first
    return int(metric.locator('[data-testid="stMetricValue"]').inner_text())


def test_moving_the_k_slider_changes_the_segments(server: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/segments")
    _settle(page)
    before = _segments_shown(page)
    slider = page.locator('[data-testid="stSlider"] input[type="range"]').first
    start = int(slider.get_attribute("value"))
    assert before == start
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(1000)
    _settle(page)
    assert int(slider.get_attribute("value")) == start + 1
    assert _segments_shown(page) == before + 1
    _check(page, "segments_after_slider")
    page.close()
