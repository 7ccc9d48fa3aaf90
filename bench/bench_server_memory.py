"""The served app's memory across ten 50 MB uploads and after their sessions end (issue 25: the server kept 5.3 GB).

Starts `streamlit run app.py` on 127.0.0.1 (a fresh INSIGHT_DATA_DIR), then in headless Chromium, one visitor after
another, opens the Data page, uploads a different 50 MB orders CSV (written in a temporary folder), waits until
the page works on it, and closes the tab. Prints the RSS of the server process (its worker processes and the
readers' server apart) when idle, after each upload, at the peak, and as it settles once the sessions are over:
Streamlit keeps a closed tab's session for 2 minutes and drops it when another visitor arrives, so after that
one more visitor opens the app, and the RSS is sampled until it is flat.

Usage: nice -n 10 python bench/bench_server_memory.py [--uploads 10] [--megabytes 50] [--settle 240]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_load import _descendants, _rss_kib, free_port, start_server, stop_server, wait_healthy  # noqa: E402

WAIT_MS = 600_000


def write_orders(path: Path, megabytes: int, seed: int) -> None:
    """An orders export of about `megabytes` MB: order, customer, date, amount, product."""
    rng = random.Random(seed)
    products = [f"Product {i}" for i in range(300)]
    with path.open("w", encoding="utf-8") as out:
        out.write("order_id,customer_id,order_date,amount,product\n")
        size, i = 0, 0
        while size < megabytes * 1024 * 1024:
            line = (
                f"O{seed}-{i},C{rng.randrange(60_000):06d},2024-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d},"
                f"{rng.randrange(100, 20_000) / 100},{rng.choice(products)}\n"
            )
            out.write(line)
            size += len(line)
            i += 1


def mib(pid: int) -> float:
    return _rss_kib(pid) / 1024


def others_mib(pid: int) -> float:
    return sum(_rss_kib(p) for p in _descendants(pid)) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--uploads", type=int, default=10)
    parser.add_argument("--megabytes", type=int, default=50)
    parser.add_argument("--settle", type=float, default=240.0, help="seconds to sample after the sessions end")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    folder = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    port = free_port()
    proc = start_server(port, folder / "data", folder / "server.log", watch=False)
    url = f"http://127.0.0.1:{port}"
    peak = 0.0
    try:
        wait_healthy(proc, port, timeout=180)
        files = []
        for i in range(args.uploads):
            files.append(folder / f"orders_{i + 1}.csv")
            write_orders(files[-1], args.megabytes, seed=i)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox"])
            page = browser.new_page()
            page.goto(f"{url}/data")
            page.get_by_text("Customer table").first.wait_for(timeout=WAIT_MS)
            page.close()
            idle = mib(proc.pid)
            rest = others_mib(proc.pid)
            print(f"idle after the demo: server {idle:,.0f} MiB, other processes {rest:,.0f} MiB", flush=True)
            for i, path in enumerate(files, 1):
                started = time.monotonic()
                page = browser.new_page()
                page.goto(f"{url}/data")
                page.get_by_text("Customer table").first.wait_for(timeout=WAIT_MS)
                page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
                page.get_by_text(f"Working on {path.name}").wait_for(timeout=WAIT_MS)
                now = mib(proc.pid)
                peak = max(peak, now)
                took = time.monotonic() - started
                print(
                    f"upload {i:2d} ({path.stat().st_size / 1024**2:.0f} MB): built in {took:5.1f} s;"
                    f" server {now:,.0f} MiB, other processes {others_mib(proc.pid):,.0f} MiB",
                    flush=True,
                )
                page.close()
            print(f"peak after an upload: {peak:,.0f} MiB; waiting for the closed sessions to expire (2 min)")
            time.sleep(125)
            page = browser.new_page()  # the next visitor: Streamlit drops expired sessions when one arrives
            page.goto(url)
            page.wait_for_timeout(5_000)
            page.close()
            browser.close()
        deadline = time.monotonic() + args.settle
        while time.monotonic() < deadline:
            waited = args.settle - (deadline - time.monotonic())
            print(f"  +{waited:5.0f} s: server {mib(proc.pid):,.0f} MiB", flush=True)
            time.sleep(30)
        print(f"settled: server {mib(proc.pid):,.0f} MiB (idle was {idle:,.0f}, peak {peak:,.0f})")
    finally:
        stop_server(proc)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
