"""Driving the app in AppTest: open it on a page, and let the background jobs a page starts finish."""

from __future__ import annotations

import time

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from ui import background_jobs

TIMEOUT = 300


def app(page: str | None = None) -> AppTest:
    """The app, about to open on `page` (a file under app_pages/) instead of the Overview."""
    at = AppTest.from_file(str(ROOT / "main.py"), default_timeout=TIMEOUT)
    if page is not None:
        at.switch_page(page)
    return at


def settle(at: AppTest, timeout: float = TIMEOUT) -> AppTest:
    """Run the app, then run it again each time the background jobs it started have finished, until it starts
    none: what a visitor sees once every section of the page has appeared."""
    deadline = time.monotonic() + timeout
    at.run()
    while "waiting_for" in at.session_state and at.session_state["waiting_for"]:
        assert background_jobs().wait(timeout=max(1.0, deadline - time.monotonic())), "background jobs ran too long"
        at.run()
    return at
