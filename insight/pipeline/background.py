"""Running a page's slow section away from the page: in a worker process, or a thread, through the store.

The worker reads the dataset from the store by its fingerprint, runs the section (`sections`) with a runner
backed by the same store, so its results land on disk where the web server reads them, and sends back the
steps the data could not support: the server remembers those, so a page shows why without a refit.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import os
import pkgutil
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from insight.errors import InsightError
from insight.pipeline.core import Pipeline
from insight.pipeline.runner import held_runner
from insight.store.cache import Store, code_version

Failure = tuple[str, dict[str, Any] | None, InsightError]
Hold = tuple[tuple[str, ...], str]  # steps held back and the file that releases them (a test hook)
# The fits yield the CPU to the web server: pages, their progress polls and the first figures stay quick while a
# model is fitted (on an idle server the workers still get every core).
WORKER_NICENESS = 10
HEAVY_PACKAGES = ("insight.segment", "insight.predict", "insight.sentiment", "insight.recommend")


def compute_section(
    store: Store, ds: Any, section: Callable[[Pipeline], Any], hold: Hold | None = None
) -> tuple[list[Failure], InsightError | None]:
    """Run `section` on the dataset `ds` through `store`; the steps that failed for the data, and the section's
    own failure for the data (None when it ran)."""
    fingerprint = ds.fingerprint
    failures: list[Failure] = []

    def run(step: str, params: dict[str, Any] | None, compute: Callable[[], Any]) -> Any:
        try:
            return store.get_or_compute(fingerprint, step, params, compute)
        except InsightError as exc:
            failures.append((step, params, exc))
            raise

    runner = run if hold is None else held_runner(run, set(hold[0]), Path(hold[1]).exists)
    try:
        section(Pipeline(ds, runner))
    except InsightError as exc:
        return failures, exc
    return failures, None


def compute_section_in_worker(
    root: str, version: str, fingerprint: str, section: Callable[[Pipeline], Any], hold: Hold | None = None
) -> tuple[list[Failure], InsightError | None]:
    """`compute_section` in a worker process, on the store under the server's data directory `root`, where the
    server put the dataset. `version` is the server's `code_version()`: a worker running other code would cache
    its results where the server never looks."""
    if code_version() != version:
        raise RuntimeError("The app's code changed on disk since the server started: restart the server.")
    store = worker_store(root)
    found, ds = store.peek(fingerprint, "dataset", None)
    if not found:
        raise LookupError(f"The dataset {fingerprint[:12]}… is not in the store under {root}.")
    return compute_section(store, ds, section, hold)


def record_result(store: Store, fingerprint: str, result: tuple[list[Failure], InsightError | None]) -> None:
    """A finished section's result, on the server: remember the steps the data could not support, and raise the
    section's own failure (the job's error, which the page shows)."""
    failures, error = result
    for step, params, exc in failures:
        store.remember_failure(fingerprint, step, params, exc)
    if error is not None:
        raise error


@functools.lru_cache(maxsize=1)
def worker_store(root: str) -> Store:
    """The worker process's view of the server's store (its memory keeps what the worker's next jobs reuse)."""
    return Store(root)


def prepare_worker() -> None:
    """Start a new worker process: it ends with the server (even a killed one), and imports the analysis packages
    now, so its first job does not wait for them."""
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), name="exit-with-server", daemon=True).start()
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICENESS)
    import_packages(HEAVY_PACKAGES)


def _exit_with_parent(parent: int) -> None:
    """End this worker once its parent is gone: a killed server cannot stop its workers, which would otherwise
    finish their fit and then wait for jobs forever."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def import_packages(names: tuple[str, ...]) -> None:
    """Import every module of these packages (whose names otherwise load on first use, `insight.lazy`)."""
    for name in names:
        package = importlib.import_module(name)
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{name}.{module.name}")
