"""Runners: how the pipeline's steps are computed and remembered.

A runner is called as `run(step, params, compute)` and returns `compute()`'s result, computing it at most
once per (dataset, step, params). The app passes one backed by the shared store (`ui.runner`), the CLI
and the report one backed by the default store, tests a plain memo that counts what it computed.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from insight.errors import NotReady

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


def peek_runner(store: Any, fingerprint: str) -> Runner:
    """A runner that only reads the store: a pipeline method through it returns at once or raises NotReady."""

    def run(step: str, params: dict[str, Any] | None, compute: Callable[[], T]) -> T:
        found, value = store.peek(fingerprint, step, params)
        if not found:
            raise NotReady(step)
        return value

    return run


def held_runner(run: Runner, steps: set[str], released: Callable[[], bool], timeout: float = 600) -> Runner:
    """`run`, except that the given steps wait until `released()` before they compute: lets a test hold back a
    slow step (e.g. the churn comparison) and see what the app shows meanwhile."""

    def wait_then(compute: Callable[[], T]) -> T:
        gate, deadline = threading.Event(), time.monotonic() + timeout
        while not released() and time.monotonic() < deadline:
            gate.wait(0.05)
        return compute()

    def held(step: str, params: dict[str, Any] | None, compute: Callable[[], T]) -> T:
        return run(step, params, (lambda: wait_then(compute)) if step in steps else compute)

    return held
