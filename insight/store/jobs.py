"""Background jobs: slow analyses run once per key however many visitors ask, in worker processes.

A page asks for a result; when it is not cached yet, the page starts the job and shows progress while the
job runs, so no page waits for the slowest model. Results land in the store (the job only runs the
computation); the registry keeps a job only while it runs, or its error once it failed.

Jobs run in worker processes so the fits never hold the web server's interpreter: with the fits in threads of
the server, the pages' reruns, their progress polls and even the static files the browser needs for the first
figures waited for the fits' Python code (the GIL). A job that cannot go to a process (its dataset is not on
disk for the worker to read) runs in a thread instead.
"""

from __future__ import annotations

import contextlib
import importlib.machinery
import multiprocessing
import sys
import threading
import types
from collections import OrderedDict
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

WORKERS = 2  # one per core of a small server: more workers only share the same cores
KEEP_FAILED = 64  # failed jobs remembered (to show their error instead of retrying on every rerun)


@contextlib.contextmanager
def _no_main_script() -> Iterator[None]:
    """While worker processes start, `__main__` names no script.

    Streamlit installs the running page script as `__main__`, and a spawned process first runs its parent's
    main script again: each worker would run the whole app. A main module named `<package>.__main__` is one
    multiprocessing leaves alone.
    """
    main = sys.modules["__main__"]
    stand_in = types.ModuleType("__main__")
    stand_in.__spec__ = importlib.machinery.ModuleSpec("insight.__main__", None)
    sys.modules["__main__"] = stand_in
    try:
        yield
    finally:
        sys.modules["__main__"] = main


class Jobs:
    """Single-flight submission by key to a process pool (`processes=True`) and a thread pool.

    `prepare` runs once in each worker process as it starts (importing what the jobs need), so the first job
    does not pay for it.
    """

    def __init__(self, workers: int = WORKERS, processes: bool = False, prepare: Callable[[], Any] | None = None):
        self._threads = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="insight-job")
        self._processes: Executor | None = None
        if processes:
            context = multiprocessing.get_context("spawn")  # not fork: the server has threads and an event loop
            self._processes = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=prepare)
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)  # notified when a job stops running
        self._running: dict[str, Future] = {}
        self._failed: OrderedDict[str, BaseException] = OrderedDict()

    @property
    def uses_processes(self) -> bool:
        """Whether jobs may run in worker processes."""
        return self._processes is not None

    def start_workers(self) -> None:
        """Start the worker processes now (each runs `prepare`), instead of when the first job comes."""
        if self._processes is not None:
            with _no_main_script():
                for _ in range(WORKERS):
                    self._processes.submit(int)

    def submit(
        self,
        key: str,
        func: Callable[..., Any],
        *args: Any,
        in_worker: bool = False,
        on_result: Callable[[Any], None] | None = None,
    ) -> Future:
        """The running job for `key`, or a new one running `func(*args)` (in a worker process when `in_worker`
        and this registry has them, else in a thread). `on_result` gets its result before the job counts as
        finished; the result itself is not kept here."""
        with self._lock:
            job = self._running.get(key)
            if job is not None:
                return job
            self._failed.pop(key, None)
            if in_worker and self._processes is not None:
                with _no_main_script():  # a submit may start a worker process
                    job = self._processes.submit(func, *args)
            else:
                job = self._threads.submit(func, *args)
            self._running[key] = job
        job.add_done_callback(lambda done: self._finished(key, done, on_result))
        return job

    def _finished(self, key: str, job: Future, on_result: Callable[[Any], None] | None) -> None:
        error = job.exception()
        if error is None and on_result is not None:
            try:
                on_result(job.result())
            except Exception as exc:  # noqa: BLE001  (a failure to record the result is the job's failure)
                error = exc
        with self._lock:
            if self._running.get(key) is job:
                del self._running[key]
                self._changed.notify_all()
            if error is not None:
                self._failed[key] = error
                while len(self._failed) > KEEP_FAILED:
                    self._failed.popitem(last=False)

    def running(self, key: str) -> Future | None:
        """The job for `key` if it is still running."""
        with self._lock:
            return self._running.get(key)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until no job is running (including those the finished ones' results start); True unless the
        timeout came first."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._running, timeout)

    def error(self, key: str) -> BaseException | None:
        """Why the last job for `key` failed, if it did (cleared when it is started again)."""
        with self._lock:
            return self._failed.get(key)

    def shutdown(self) -> None:
        """Stop the pools: jobs not started yet are cancelled, running threads finish, worker processes end now
        (a server that stops should not wait for a fit nobody will see)."""
        self._threads.shutdown(wait=False, cancel_futures=True)
        if self._processes is not None:
            workers = list(getattr(self._processes, "_processes", {}).values())  # no public handle before 3.14
            self._processes.shutdown(wait=False, cancel_futures=True)
            for worker in workers:
                worker.terminate()
