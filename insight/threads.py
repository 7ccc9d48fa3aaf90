"""Thread pools of the numeric libraries: run the heavy fits single-threaded.

OpenMP and BLAS pools slow down many-fold when their cores are busy (a shared
server, parallel tests), while one thread is steady and at these sizes nearly
as fast.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from threadpoolctl import ThreadpoolController


def one_thread(func: Callable) -> Callable:
    """Run single-threaded: OpenMP and BLAS pools slow down many-fold when their cores are busy (a shared
    server, parallel tests), while one thread is steady and at these sizes nearly as fast."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with thread_pools().limit(limits=1):
            return func(*args, **kwargs)

    return wrapper


@functools.cache
def thread_pools() -> ThreadpoolController:
    """The loaded OpenMP / BLAS pools, found once (looking them up costs milliseconds per call)."""
    return ThreadpoolController()
