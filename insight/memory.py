"""Give the memory a finished upload used back to the operating system.

Python frees a session's frames when the session ends, but glibc's allocator keeps the freed pages of its
heap and arenas for reuse, so the server's resident size stays at its peak (5 GB after ten 50 MB uploads).
`release` collects cycles and asks the allocator to return what is free (`malloc_trim`); the server calls it
after each dataset is built and every minute, so it returns near idle once sessions end.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc

from insight.store.housekeeping import Housekeeper

RELEASE_EVERY_SECONDS = 60


def release() -> None:
    """Collect unreachable cycles, then return free heap pages to the system (glibc; elsewhere a no-op)."""
    gc.collect()
    name = ctypes.util.find_library("c")
    with contextlib.suppress(OSError, AttributeError, TypeError):  # not glibc (musl, macOS): nothing to trim
        ctypes.CDLL(name).malloc_trim(0)


def keep_releasing(every_seconds: float = RELEASE_EVERY_SECONDS) -> Housekeeper:
    """A daemon thread that calls `release` every `every_seconds` (the server's, started with it)."""
    return Housekeeper([release], every_seconds=every_seconds).start()
