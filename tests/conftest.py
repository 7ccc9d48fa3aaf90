"""Shared test setup: an isolated data directory, the real-data folder, cache hygiene."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Hypothesis runs the same examples on every run (derandomize), so a new random example cannot turn CI red;
# the tests can still fail on those examples. `HYPOTHESIS_PROFILE=explore` searches afresh (locally).
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Every test process gets its own store directory, set before insight.store is used.
os.environ.setdefault("INSIGHT_DATA_DIR", tempfile.mkdtemp(prefix="insight-test-"))


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
