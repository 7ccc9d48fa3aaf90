"""Running a page's slow section away from the page: in a worker process, or a thread, through the store.

The worker reads the dataset from the store by its fingerprint, runs the section (`sections`) with a runner
backed by the same store, so its results land on disk where the web server reads them, and sends back the
steps the data could not support: the server remembers those, so a page shows why without a refit.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from insight.errors import InsightError
from insight.pipeline.core import Pipeline
from insight.pipeline.runner import held_runner
from insight.store.cache import Store

Failure = tuple[str, dict[str, Any] | None, InsightError]
Hold = tuple[tuple[str, ...], str]  # steps held back and the file that releases them (a test hook)
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
    root: str, fingerprint: str, section: Callable[[Pipeline], Any], hold: Hold | None = None
) -> tuple[list[Failure], InsightError | None]:
    """`compute_section` in a worker process, on the store under the server's data directory `root`, where the
    server put the dataset."""
    store = worker_store(root)
    found, ds = store.peek(fingerprint, "dataset", None)
    if not found:
        raise LookupError(f"The dataset {fingerprint[:12]}… is not in the store under {root}.")
    return compute_section(store, ds, section, hold)


@functools.lru_cache(maxsize=1)
def worker_store(root: str) -> Store:
    """The worker process's view of the server's store (its memory keeps what the worker's next jobs reuse)."""
    return Store(root)


def prepare_worker() -> None:
    """Import the analysis packages in a new worker process, so its first job does not wait for them."""
    for name in HEAVY_PACKAGES:
        package = importlib.import_module(name)
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{name}.{module.name}")
