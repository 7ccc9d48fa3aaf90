"""Give the memory a finished upload used back to the operating system, and count what a result really holds.

Python frees a session's frames when the session ends, but glibc's allocator keeps the freed pages of its
heap and arenas for reuse, so the server's resident size stays at its peak (5 GB after ten 50 MB uploads).
`release` collects cycles and asks the allocator to return what is free (`malloc_trim`); the server calls it
after each dataset is built and every minute, so it returns near idle once sessions end. `resident_size` is
what the store's memory budget counts: a dataset's frames of text take about five times their pickled size
(410 MB for a 50 MB orders file that pickles to 78 MB), so a budget of pickled sizes kept 2.4 GB.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import sys
from typing import Any

RELEASE_EVERY_SECONDS = 60
_DEPTH = 4  # result -> dataset -> tables -> table -> frame


def release() -> None:
    """Collect unreachable cycles, then return free heap pages to the system (glibc; elsewhere a no-op)."""
    gc.collect()
    name = ctypes.util.find_library("c")
    with contextlib.suppress(OSError, AttributeError, TypeError):  # not glibc (musl, macOS): nothing to trim
        ctypes.CDLL(name).malloc_trim(0)


def keep_releasing(every_seconds: float = RELEASE_EVERY_SECONDS) -> object:
    """A daemon thread that calls `release` every `every_seconds` (the server's, started with it)."""
    from insight.store.housekeeping import Housekeeper  # the store counts sizes with this module

    return Housekeeper([release], every_seconds=every_seconds).start()


def resident_size(value: Any, depth: int = _DEPTH) -> int:
    """The bytes of the DataFrames and Series a result holds (text counted deeply), found through its
    attributes, lists and dicts a few levels down; 0 for a result without frames."""
    pd = sys.modules.get("pandas")  # without pandas loaded, nothing holds a frame (and the store stays light)
    if pd is not None and isinstance(value, pd.DataFrame):
        return int(value.memory_usage(deep=True, index=True).sum())
    if pd is not None and isinstance(value, pd.Series):
        return int(value.memory_usage(deep=True, index=True))
    if depth == 0:
        return 0
    if isinstance(value, dict):
        parts = value.values()
    elif isinstance(value, list | tuple):
        parts = value
    elif hasattr(value, "__dict__") and not isinstance(value, type):
        parts = vars(value).values()
    else:
        return 0
    return sum(resident_size(part, depth - 1) for part in parts)
