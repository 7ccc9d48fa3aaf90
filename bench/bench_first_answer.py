"""Time to the first answer on the Overview, as a visitor sees it: a fresh data directory, `streamlit run`, headless
Chromium. For the demo and for an upload of a large order log, and for several sessions at once, prints the
seconds until the first headline number shows and until the last section has appeared (the report button).

The first number is timed twice: by the page's own clock when the number enters the page (a MutationObserver,
`performance.now()`: what the visitor sees, on the next frame), and by Playwright noticing it (which adds its
polling and a round trip). The server is started and answers its health check before the visit; the time it
took to start (it prepares the demo and the worker processes first, app.py) is printed too.

    python bench/bench_first_answer.py                    # demo, 1 session and 10 at once, and a 500k-line upload
    python bench/bench_first_answer.py --sessions 20 --lines 100000

A page whose last section has not come within --timeout seconds (default 600) is reported with the sections it
was still running, and the bench goes on; each result line is printed as soon as it is known.

Targets (issue 12): first number within 2 s, last section within 30 s for the demo.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from order_log import order_log as year_of_orders  # bench/order_log.py, beside this script
from playwright.async_api import TimeoutError as PlaywrightTimeout
from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]
ARGS += ["--disable-background-networking", "--disable-component-update", "--disable-sync"]
FIRST = '[data-testid="stMetricValue"]'
LAST = "Download the report"
SHUTDOWN_SECONDS = 30
# In the page: the page-clock time (ms) at which the Overview's first headline number entered the document (a
# number on another page, such as the Data page an upload starts from, does not count).
WATCH_FIRST = """
window.__firstNumber = null;
new MutationObserver(() => {
  const overview = [...document.querySelectorAll('h1')].some(h => h.textContent.trim() === 'Overview');
  if (window.__firstNumber === null && overview && document.querySelector('[data-testid="stMetricValue"]'))
    window.__firstNumber = performance.now();
}).observe(document, {subtree: true, childList: true});
"""


def start_server(data_dir: Path) -> tuple[subprocess.Popen, str]:
    """`streamlit run app.py` on a free port with its own data directory; returns once it answers, having
    printed how long that took."""
    started = time.monotonic()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true"]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
    proc = subprocess.Popen(
        command, cwd=ROOT, env=dict(os.environ, INSIGHT_DATA_DIR=str(data_dir)), stdout=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
            print(f"(server answering after {time.monotonic() - started:.1f} s)", flush=True)
            return proc, url
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit("the server did not start")


async def _first_and_last(
    page, start: float, page_start_ms: float, timeout_ms: int
) -> tuple[tuple[float, float], float | None, str]:
    """Seconds since `start` until the Overview shows its first number (in the page's clock since
    `page_start_ms`, and as Playwright sees it) and its last section, closing the page.

    When the last section has not come within `timeout_ms`, its time is None and the note names the sections
    still running (a slow or stuck run says what it is waiting for instead of failing the whole bench).
    """
    await page.locator(FIRST).first.wait_for(timeout=timeout_ms)
    seen = time.monotonic() - start
    first = ((await page.evaluate("window.__firstNumber")) - page_start_ms) / 1000, seen
    try:
        await page.get_by_text(LAST).wait_for(timeout=timeout_ms)
        last, note = time.monotonic() - start, ""
    except PlaywrightTimeout:
        text = await page.locator('[data-testid="stMain"]').inner_text()
        running = [line.split("…")[0] for line in text.splitlines() if "…" in line]
        last, note = None, f"still running after {timeout_ms / 1000:.0f} s: {', '.join(running) or 'the findings'}"
    await page.close()
    return first, last, note


async def overview_times(browser, url: str, timeout_ms: int) -> tuple[float, float | None, str]:
    """Seconds from opening the Overview to its first number and to its last section (None: not within
    `timeout_ms`, with a note)."""
    page = await browser.new_page(viewport={"width": 1400, "height": 1000})
    await page.add_init_script(WATCH_FIRST)
    start = time.monotonic()
    await page.goto(url)
    return await _first_and_last(page, start, 0.0, timeout_ms)


async def upload_times(browser, url: str, path: Path, timeout_ms: int) -> tuple[float, float | None, str]:
    """Seconds from giving the file to the Data page's uploader to the Overview's first number and last section."""
    page = await browser.new_page(viewport={"width": 1400, "height": 1000})
    await page.add_init_script(WATCH_FIRST)
    await page.goto(f"{url}/data")
    await page.get_by_text("Customer table").wait_for(timeout=timeout_ms)
    page_start_ms = await page.evaluate("window.__firstNumber = null; performance.now()")
    start = time.monotonic()
    await page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
    await page.get_by_text(f"Working on {path.name}").wait_for(timeout=timeout_ms)
    await page.locator('[data-testid="stSidebarNavLink"]', has_text="Overview").first.click()
    return await _first_and_last(page, start, page_start_ms, timeout_ms)


def order_log(lines: int, folder: Path) -> Path:
    """A year of order lines as a real shop exports them (`bench/order_log.py`: invoices, returns, guests)."""
    path = folder / f"orders_{lines // 1000}k.csv"
    year_of_orders(lines).to_csv(path, index=False)
    return path


def stop_server(proc: subprocess.Popen) -> None:
    """Stop the server; one that is still finishing fits after `SHUTDOWN_SECONDS` is killed (the bench has its
    figures; its pool's threads would otherwise hold the exit until the slowest model is done)."""
    proc.terminate()
    try:
        proc.wait(timeout=SHUTDOWN_SECONDS)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _seconds(value: float | None) -> str:
    return f"{value:6.1f} s" if value is not None else "   n/a  "


def _first(times: tuple[float, float]) -> str:
    return f"{times[0]:5.1f} s (Playwright sees it at {times[1]:.1f} s)"


async def run(args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-first-"))
    timeout_ms = int(args.timeout * 1000)
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        proc, url = start_server(folder / "data-1")
        try:
            first, last, note = await overview_times(browser, url, timeout_ms)
            line = f"demo, 1 session, cold server: first number {_first(first)}   last section {_seconds(last)} {note}"
            print(line, flush=True)
        finally:
            stop_server(proc)
        if args.sessions:
            proc, url = start_server(folder / "data-n")
            try:
                times = await asyncio.gather(*(overview_times(browser, url, timeout_ms) for _ in range(args.sessions)))
            finally:
                stop_server(proc)
            firsts, lasts = [t[0][0] for t in times], [t[1] for t in times if t[1] is not None]
            notes = [t[2] for t in times if t[2]]
            late = f"   {len(notes)} without their last section ({notes[0]})" if notes else ""
            median_last = _seconds(statistics.median(lasts) if lasts else None)
            print(
                f"demo, {args.sessions} sessions at once:    first number median {statistics.median(firsts):6.1f} s "
                f"max {max(firsts):6.1f} s   last section median {median_last} "
                f"max {_seconds(max(lasts) if lasts else None)}{late}",
                flush=True,
            )
        if args.lines:
            log = order_log(args.lines, folder)
            proc, url = start_server(folder / "data-upload")
            try:
                first, last, note = await upload_times(browser, url, log, timeout_ms)
                print(
                    f"upload of {args.lines:,} lines ({log.stat().st_size / 1e6:.0f} MB): first number {_first(first)}"
                    f"   last section {_seconds(last)} {note}",
                    flush=True,
                )
            finally:
                stop_server(proc)
        await browser.close()
    shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10, help="sessions opening the demo at once")
    parser.add_argument("--lines", type=int, default=500_000, help="lines of the uploaded order log (0: no upload)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for a page's last section")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
