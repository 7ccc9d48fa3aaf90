"""Background jobs: slow analyses run in a small thread pool, once per key however many visitors ask.

A page asks for a result; when it is not cached yet, the page starts the job and shows progress while the
job runs, so no page waits for the slowest model. Results land in the store (the job only runs the
computation); the registry keeps a job only while it runs, or its error once it failed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

WORKERS = 2  # one per core of a small server: more threads only share the same cores
KEEP_FAILED = 64  # failed jobs remembered (to show their error instead of retrying on every rerun)


class Jobs:
    """A thread pool with single-flight submission by key."""

    def __init__(self, workers: int = WORKERS) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="insight-job")
        self._lock = threading.Lock()
        self._running: dict[str, Future] = {}
        self._failed: OrderedDict[str, BaseException] = OrderedDict()

    def submit(self, key: str, compute: Callable[[], Any]) -> Future:
        """The running job for `key`, or a new one running `compute` (its result is not kept here)."""
        with self._lock:
            job = self._running.get(key)
            if job is not None:
                return job
            self._failed.pop(key, None)
            job = self._pool.submit(compute)
            self._running[key] = job
        job.add_done_callback(lambda done: self._finished(key, done))
        return job

    def _finished(self, key: str, job: Future) -> None:
        with self._lock:
            if self._running.get(key) is job:
                del self._running[key]
            error = job.exception()
            if error is not None:
                self._failed[key] = error
                while len(self._failed) > KEEP_FAILED:
                    self._failed.popitem(last=False)

    def running(self, key: str) -> Future | None:
        """The job for `key` if it is still running."""
        with self._lock:
            return self._running.get(key)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until every job running now has finished; True unless the timeout came first."""
        with self._lock:
            running = list(self._running.values())
        return not wait(running, timeout=timeout).not_done

    def error(self, key: str) -> BaseException | None:
        """Why the last job for `key` failed, if it did (cleared when it is started again)."""
        with self._lock:
            return self._failed.get(key)
