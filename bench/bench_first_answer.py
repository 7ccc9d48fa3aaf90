"""Time to the first answer on the Overview, as a visitor sees it: a fresh data directory, `streamlit run`, headless
Chromium. For the demo and for an upload of a large order log, and for several sessions at once, prints the
seconds until the first headline number shows and until the last section has appeared (the report button).

    python bench/bench_first_answer.py                    # demo, 1 session and 10 at once, and a 500k-line upload
    python bench/bench_first_answer.py --sessions 20 --lines 100000

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

import numpy as np
import pandas as pd
from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]
ARGS += ["--disable-background-networking", "--disable-component-update", "--disable-sync"]
FIRST = '[data-testid="stMetricValue"]'
LAST = "Download the report"
TIMEOUT_MS = 900_000


def start_server(data_dir: Path) -> tuple[subprocess.Popen, str]:
    """`streamlit run app.py` on a free port with its own data directory; returns once it answers."""
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
            return proc, url
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit("the server did not start")


async def _first_and_last(page, start: float) -> tuple[float, float]:
    """Seconds since `start` until the Overview shows its first number and its last section; closes the page."""
    await page.locator(FIRST).first.wait_for(timeout=TIMEOUT_MS)
    first = time.monotonic() - start
    await page.get_by_text(LAST).wait_for(timeout=TIMEOUT_MS)
    last = time.monotonic() - start
    await page.close()
    return first, last


async def overview_times(browser, url: str) -> tuple[float, float]:
    """Seconds from opening the Overview to its first number and to its last section."""
    page = await browser.new_page(viewport={"width": 1400, "height": 1000})
    start = time.monotonic()
    await page.goto(url)
    return await _first_and_last(page, start)


async def upload_times(browser, url: str, path: Path) -> tuple[float, float]:
    """Seconds from giving the file to the Data page's uploader to the Overview's first number and last section."""
    page = await browser.new_page(viewport={"width": 1400, "height": 1000})
    await page.goto(f"{url}/data")
    await page.get_by_text("Customer table").wait_for(timeout=TIMEOUT_MS)
    start = time.monotonic()
    await page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
    await page.get_by_text(f"Working on {path.name}").wait_for(timeout=TIMEOUT_MS)
    await page.locator('[data-testid="stSidebarNavLink"]', has_text="Overview").first.click()
    return await _first_and_last(page, start)


def order_log(lines: int, folder: Path) -> Path:
    """A synthetic order log: 1 line per item, customers buying at their own pace over two years."""
    rng = np.random.default_rng(0)
    customers = max(100, lines // 60)
    customer = rng.integers(0, customers, lines)
    day = np.sort(rng.integers(0, 730, lines))
    frame = pd.DataFrame(
        {
            "order_id": [f"O{c}-{d}" for c, d in zip(customer, day, strict=True)],
            "customer_id": [f"C{c:06d}" for c in customer],
            "order_date": (pd.Timestamp("2024-01-01") + pd.to_timedelta(day, unit="D")).strftime("%Y-%m-%d"),
            "sku": [f"SKU-{i}" for i in rng.zipf(1.3, lines) % 2000],
            "quantity": 1 + rng.poisson(0.4, lines),
            "unit_price": np.round(rng.lognormal(2.5, 0.6, lines), 2),
        }
    )
    path = folder / f"orders_{lines // 1000}k.csv"
    frame.to_csv(path, index=False)
    return path


async def run(args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-first-"))
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        proc, url = start_server(folder / "data-1")
        try:
            first, last = await overview_times(browser, url)
            print(f"demo, 1 session, cold server:   first number {first:6.1f} s   last section {last:6.1f} s")
        finally:
            proc.terminate()
            proc.wait()
        proc, url = start_server(folder / "data-n")
        try:
            times = await asyncio.gather(*(overview_times(browser, url) for _ in range(args.sessions)))
            firsts, lasts = [t[0] for t in times], [t[1] for t in times]
            print(
                f"demo, {args.sessions} sessions at once:    first number median {statistics.median(firsts):6.1f} s "
                f"max {max(firsts):6.1f} s   last section median {statistics.median(lasts):6.1f} s "
                f"max {max(lasts):6.1f} s"
            )
        finally:
            proc.terminate()
            proc.wait()
        if args.lines:
            log = order_log(args.lines, folder)
            proc, url = start_server(folder / "data-upload")
            try:
                first, last = await upload_times(browser, url, log)
                print(
                    f"upload of {args.lines:,} lines ({log.stat().st_size / 1e6:.0f} MB): first number {first:6.1f} s"
                    f"   last section {last:6.1f} s"
                )
            finally:
                proc.terminate()
                proc.wait()
        await browser.close()
    shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10, help="sessions opening the demo at once")
    parser.add_argument("--lines", type=int, default=500_000, help="lines of the uploaded order log (0: no upload)")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
