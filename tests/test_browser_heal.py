"""The served app heals: a worker process killed while it fits the Overview's segments (as the out-of-memory killer
would) is replaced, the fit runs once more and the page completes, without a restart and without a traceback."""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

import pytest

from insight.store.cache import cache_key
from tests.test_browser import ARGS, CHROMIUM, WAIT_MS, _check, _done, _start, sync_api

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install -y chromium)"),
]


def _workers(server: int) -> list[int]:
    """The server's worker processes (spawned children; not its resource tracker)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
        except (OSError, ValueError, IndexError):
            continue
        if ppid == server and b"spawn_main" in cmdline:
            found.append(int(entry.name))
    return found


def test_a_killed_worker_is_replaced_and_the_overview_completes(
    tmp_path: Path, demo_overview: Path, demo_pipeline
) -> None:
    folder = tmp_path / "data"
    shutil.copytree(demo_overview, folder)
    key = cache_key(demo_pipeline.ds.fingerprint, "segment.fit", demo_pipeline.segment_params())
    removed = list(folder.rglob(f"{key}.joblib"))
    for path in removed:
        path.unlink()
    assert removed  # the segments must be fitted again, in a worker
    release = tmp_path / "release"
    proc, url = _start(folder, INSIGHT_HOLD_STEPS="segment.fit", INSIGHT_HOLD_RELEASE=str(release))
    try:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url)
            page.get_by_text("Finding groups of customers").first.wait_for(timeout=WAIT_MS)
            deadline = time.monotonic() + WAIT_MS / 1000
            while not _workers(proc.pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            killed = _workers(proc.pid)
            assert killed
            for pid in killed:
                os.kill(pid, signal.SIGKILL)
            release.touch()
            _done(page, "Download the report")
            body = _check(page, "overview_after_a_killed_worker")
            assert "stopped" not in body and "Finding groups of customers" not in body
            assert proc.poll() is None and not set(_workers(proc.pid)) & set(killed)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
