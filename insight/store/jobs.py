"""Background jobs: slow analyses run once per key however many visitors ask, in worker processes.

A page asks for a result; when it is not cached yet, the page starts the job and shows progress while the
job runs, so no page waits for the slowest model. Results land in the store (the job only runs the
computation); the registry keeps a job only while it runs, or its error once it failed.

Jobs run in worker processes so the fits never hold the web server's interpreter: with the fits in threads of
the server, the pages' reruns, their progress polls and even the static files the browser needs for the first
figures waited for the fits' Python code (the GIL). A job that cannot go to a process (its dataset is not on
disk for the worker to read) runs in a thread instead.

It heals: a worker process that dies (the out-of-memory killer, a crash in a native library) breaks the whole
process pool; the pool is replaced and each job it took down is run once more. A job that fails twice, or runs
longer than `timeout` seconds, is remembered as failed with a message for its card (`JobFailed`), never a
traceback; a hung worker is ended with its pool (the other jobs in it are run again).
"""

from __future__ import annotations

import contextlib
import importlib.machinery
import multiprocessing
import os
import sys
import threading
import time
import types
from collections import OrderedDict
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from insight.errors import InsightError, JobFailed

WORKERS = 2  # one per core of a small server: more workers only share the same cores
KEEP_FAILED = 64  # failed jobs remembered (to show their error instead of retrying on every rerun)
TIMEOUT_ENV = "INSIGHT_JOB_TIMEOUT"  # seconds a job may run before it counts as hung
TIMEOUT = 900.0
ATTEMPTS = 2  # a job whose worker died is run once more


@dataclass
class _Job:
    """What a running job was asked to do, so that it can be run again on a new pool."""

    func: Callable[..., Any]
    args: tuple[Any, ...]
    in_worker: bool
    on_result: Callable[[Any], None] | None
    future: Future = field(default_factory=Future)
    attempts: int = 0
    started: float = field(default_factory=time.monotonic)


@contextlib.contextmanager
def no_main_script() -> Iterator[None]:
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

    def __init__(
        self,
        workers: int = WORKERS,
        processes: bool = False,
        prepare: Callable[[], Any] | None = None,
        timeout: float | None = None,
    ):
        self._threads = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="insight-job")
        self._workers, self._prepare = workers, prepare
        self._processes: ProcessPoolExecutor | None = self._new_pool() if processes else None
        self.timeout = timeout if timeout is not None else float(os.environ.get(TIMEOUT_ENV, TIMEOUT))
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)  # notified when a job stops running
        self._running: dict[str, _Job] = {}
        self._failed: OrderedDict[str, BaseException] = OrderedDict()
        self.replaced_pools = 0  # how often a broken or hung pool was replaced (read by tests)

    def _new_pool(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("spawn")  # not fork: the server has threads and an event loop
        return ProcessPoolExecutor(max_workers=self._workers, mp_context=context, initializer=self._prepare)

    @property
    def uses_processes(self) -> bool:
        """Whether jobs may run in worker processes."""
        return self._processes is not None

    def start_workers(self) -> None:
        """Start the worker processes now (each runs `prepare`), instead of when the first job comes."""
        if self._processes is not None:
            with no_main_script():
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
                return job.future
            self._failed.pop(key, None)
            job = self._running[key] = _Job(func, args, in_worker, on_result)
            self._start(key, job)
        return job.future

    def _start(self, key: str, job: _Job) -> None:
        """Run one attempt of `job` (the lock held); a pool found broken is replaced first."""
        job.attempts += 1
        job.started = time.monotonic()
        if job.in_worker and self._processes is not None:
            with no_main_script():  # a submit may start a worker process
                try:
                    attempt = self._processes.submit(job.func, *job.args)
                except BrokenProcessPool:
                    self._replace_pool()
                    attempt = self._processes.submit(job.func, *job.args)
        else:
            attempt = self._threads.submit(job.func, *job.args)
        attempt.add_done_callback(lambda done: self._finished(key, job, done))

    def _replace_pool(self) -> None:
        """A new process pool in place of a broken or hung one, whose workers are ended."""
        old, self._processes = self._processes, self._new_pool()
        self.replaced_pools += 1
        if old is not None:
            self._end(old)

    @staticmethod
    def _end(pool: ProcessPoolExecutor) -> None:
        workers = list((getattr(pool, "_processes", None) or {}).values())  # no public handle before 3.14
        pool.shutdown(wait=False, cancel_futures=True)
        for worker in workers:
            worker.terminate()

    def _finished(self, key: str, job: _Job, attempt: Future) -> None:
        error = attempt.exception() if not attempt.cancelled() else BrokenProcessPool("cancelled")
        with self._lock:
            if self._running.get(key) is not job:
                return  # timed out meanwhile: its failure is already remembered
            if isinstance(error, BrokenProcessPool) and self._processes is not None and _broken(self._processes):
                self._replace_pool()  # a worker died: later jobs get a sound pool
            if isinstance(error, BrokenProcessPool) and job.attempts < ATTEMPTS:
                self._start(key, job)  # once more, on the sound pool
                return
        result = None
        if error is None:
            result = attempt.result()
            if job.on_result is not None:
                try:
                    job.on_result(result)
                except Exception as exc:  # noqa: BLE001  (a failure to record the result is the job's failure)
                    error = exc
        with self._lock:
            del self._running[key]
            if error is not None:
                error = _for_the_card(error, job.attempts)
                self._remember(key, error)
            self._changed.notify_all()
        if error is None:
            job.future.set_result(result)
        else:
            job.future.set_exception(error)

    def _remember(self, key: str, error: BaseException) -> None:
        self._failed[key] = error
        while len(self._failed) > KEEP_FAILED:
            self._failed.popitem(last=False)

    def running(self, key: str) -> Future | None:
        """The job for `key` if it is still running. A job past the timeout is stopped here: it counts as failed
        with a message, and its worker processes are replaced (the other jobs they ran start again)."""
        with self._lock:
            job = self._running.get(key)
            if job is None or time.monotonic() - job.started <= self.timeout:
                return job.future if job is not None else None
            del self._running[key]
            minutes = max(1, round(self.timeout / 60))
            error = JobFailed(
                f"This analysis took longer than {minutes} min and was stopped. The data may be too large for this "
                "server: try fewer columns or a smaller file, or reload the page to try again."
            )
            self._remember(key, error)
            if job.in_worker and self._processes is not None:
                self._replace_pool()
            self._changed.notify_all()
        job.future.set_exception(error)
        return None

    def worker_pids(self) -> list[int]:
        """The process ids of the worker processes now running (for tests and the server's logs)."""
        with self._lock:
            pool = self._processes
            return [p.pid for p in (getattr(pool, "_processes", None) or {}).values() if p.pid] if pool else []

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
            self._end(self._processes)


def _broken(pool: ProcessPoolExecutor) -> bool:
    return bool(getattr(pool, "_broken", False))


def _for_the_card(error: BaseException, attempts: int) -> BaseException:
    """What a page shows for a failed job: the data's own problem as it was, anything else as a message that says
    what happened and what to do (never a traceback)."""
    if isinstance(error, InsightError):
        return error
    if isinstance(error, BrokenProcessPool):
        return JobFailed(
            f"This analysis stopped {attempts} times: the process computing it ended unexpectedly (often the server "
            "running out of memory). Reload the page to try again, or try a smaller file."
        )
    return JobFailed(f"This analysis failed: {error}. Reload the page to try again.")
