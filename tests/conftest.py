"""Shared test setup: an isolated data directory, the real-data folder, cache hygiene."""

from __future__ import annotations

import logging
import os
import re
import sys
import tempfile
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Strings an attacker puts in a file name, a column name or a cell: a link, an image the viewer's browser would
# fetch, Streamlit's colour / icon / emoji syntax, HTML, bare URLs and an email, markdown formatting and LaTeX,
# and new blocks (heading, list).
INJECTIONS = [
    "[click](http://evil.test/a)",
    "![pixel](http://evil.test/p.png)",
    ":red[RED] :material/home: :smile:",
    "<img src=x onerror=alert(1)><b>bold</b>",
    "see http://evil.test/x or www.evil.test or mail bob@evil.test",
    "**bold** _it_ `code` $x^2$ &amp;",
    "line\n# heading\n- item\n1. one",
]

# Hypothesis runs the same examples on every run (derandomize), so a new random example cannot turn CI red;
# the tests can still fail on those examples. `HYPOTHESIS_PROFILE=explore` searches afresh (locally).
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# The in-process tests (AppTest) run the pages' background jobs in threads: each test starts from fresh Streamlit
# caches, so worker processes would be started (seconds of imports) for every test. The browser tests run the real
# server, with its worker processes; tests/test_jobs.py runs jobs in processes directly.
os.environ.setdefault("INSIGHT_JOBS", "threads")

# Every test process gets its own data directory, set before insight.store is used (each test then gets its own).
os.environ.setdefault("INSIGHT_DATA_DIR", tempfile.mkdtemp(prefix="insight-test-"))


@pytest.fixture(scope="session")
def demo_results(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The data directory and store that the tests marked `demo_results` share: empty when the run starts (one per
    xdist worker), so the first of them to need a result of the demo computes it and the others read it. Only
    tests that read the demo's results, and need nothing to be computed in front of them, are marked."""
    from insight.store import Store

    return Store(tmp_path_factory.mktemp("demo-results"))


@pytest.fixture(scope="session")
def demo_lookup(demo_results: Any) -> tuple[Any, Any]:
    """The demo's dataset and its owner's clear personal data by customer, pseudonymised with the key of the shared
    directory of `demo_results`, as the pages of a test marked `demo_results` see them."""
    from insight.data.dataset import DEMO_NAME, build_dataset_with_lookup, demo_files
    from insight.store import DATA_DIR_ENV

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DATA_DIR_ENV, str(demo_results.root))
        return build_dataset_with_lookup(demo_files(), name=DEMO_NAME)


@pytest.fixture(scope="session")
def demo_pipeline(demo_results: Any, demo_lookup: tuple[Any, Any]) -> Any:
    """The demo's pipeline over the shared store of `demo_results`."""
    from insight.pipeline import Pipeline

    ds = demo_lookup[0]

    def run(step: str, params: dict[str, Any] | None, compute: Any) -> Any:
        return demo_results.get_or_compute(ds.fingerprint, step, params, compute)

    return Pipeline(ds, run)


@pytest.fixture(scope="session")
def demo_overview(demo_results: Any, demo_pipeline: Any) -> Path:
    """The shared data directory once everything the Overview shows of the demo is in it, for servers that start
    from a copy of it."""
    demo_pipeline.answers()
    return demo_results.root


@pytest.fixture(autouse=True)
def empty_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Every test starts from an empty result store in a data directory of its own, and empty Streamlit caches,
    so no result depends on which tests ran before; a test marked `demo_results` starts from the run's shared
    store of the demo's results instead (see `demo_results`)."""
    import streamlit as st

    from insight.segment import k_sweep
    from insight.store import DATA_DIR_ENV, cache

    if request.node.get_closest_marker("demo_results"):
        store = request.getfixturevalue("demo_results")
        monkeypatch.setenv(DATA_DIR_ENV, str(store.root))
        monkeypatch.setattr(cache, "_default", store)
    else:
        monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path_factory.mktemp("insight-data")))
        monkeypatch.setattr(cache, "_default", None)
    k_sweep._SILHOUETTES.clear()
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    _finish_background_jobs()


def _finish_background_jobs() -> None:
    """The fits a test's pages started in the background finish before the next test begins: left running, they
    shared the next test's cores and ran under its tracemalloc (a segfault in a BLAS call, seen once in CI)."""
    from ui import background_jobs

    jobs = background_jobs()
    jobs.wait(timeout=600)
    jobs.shutdown()


@pytest.fixture(autouse=True)
def _no_page_failures(request: pytest.FixtureRequest) -> Iterator[None]:
    """A page failure that the error boundary (ui_errors.py) caught fails the test that caused it: the visitor saw
    an error id instead of a traceback, and `at.exception` stays empty, but it is still a bug."""
    failures: list[logging.LogRecord] = []
    handler = logging.Handler(level=logging.ERROR)
    handler.emit = failures.append  # type: ignore[method-assign]
    pages = logging.getLogger("customer_insight.pages")
    pages.addHandler(handler)
    yield
    pages.removeHandler(handler)
    if failures and not request.node.get_closest_marker("page_failure"):
        details = "".join(traceback.format_exception(*failures[0].exc_info)) if failures[0].exc_info else ""
        pytest.fail(f"a page failed behind the error boundary: {failures[0].getMessage()}\n{details}")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip tests marked `shared_data` when ../shared/data is not beside the project."""
    if SHARED_DATA.is_dir():
        return
    skip = pytest.mark.skip(reason=f"real data folder {SHARED_DATA} is absent")
    for item in items:
        if "shared_data" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def shared_data() -> Path:
    """Path to ../shared/data (tests using it are marked `shared_data`)."""
    return SHARED_DATA


def plain(markdown: str) -> str:
    """What a reader sees of markdown made by `insight.labels.safe_md`: escapes and word joiners removed."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")
