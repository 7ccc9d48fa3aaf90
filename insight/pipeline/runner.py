"""Runners: how the pipeline's steps are computed and remembered.

A runner is called as `run(step, params, compute)` and returns `compute()`'s result, computing it at most
once per (dataset, step, params). The app passes one backed by the shared store (`ui.runner`), the CLI
and the report one backed by the default store, tests a plain memo that counts what it computed.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class Runner(Protocol):
    """Compute `compute()` once per (step, params) of one dataset and return it."""

    def __call__(self, step: str, params: dict[str, Any] | None, compute: Callable[[], T]) -> T: ...


class MemoRunner:
    """A runner that remembers results in this object only; `computed` counts the steps it ran."""

    def __init__(self) -> None:
        self._results: dict[str, Any] = {}
        self.computed: Counter[str] = Counter()

    def __call__(self, step: str, params: dict[str, Any] | None, compute: Callable[[], T]) -> T:
        key = json.dumps([step, params or {}], sort_keys=True, default=str)
        if key not in self._results:
            self._results[key] = compute()
            self.computed[step] += 1
        return self._results[key]


def store_runner(fingerprint: str) -> Runner:
    """A runner backed by the default store under the dataset's fingerprint (as the app's pages are)."""
    from insight.store import default_store

    def run(step: str, params: dict[str, Any] | None, compute: Callable[[], T]) -> T:
        return default_store().get_or_compute(fingerprint, step, params, compute)

    return run
