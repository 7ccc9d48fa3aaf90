"""Clearing out on a schedule: expired share links and stale cache entries go even when nobody starts the app."""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable, Sequence

PURGE_EVERY_SECONDS = 3600  # expired links lose their data within the hour


class Housekeeper:
    """Runs each task now and then every `every_seconds`, in a daemon thread, until `stop()`.

    A failing task (a full or read-only disk) is reported as a warning and tried again next time.
    """

    def __init__(self, tasks: Sequence[Callable[[], object]], every_seconds: float = PURGE_EVERY_SECONDS) -> None:
        self.tasks = list(tasks)
        self.every_seconds = every_seconds
        self.rounds = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> None:
        """Run every task once; a failure does not stop the others."""
        for task in self.tasks:
            try:
                task()
            except Exception as exc:  # the disk may recover; the next round tries again
                warnings.warn(f"Housekeeping task {task!r} failed: {exc}", stacklevel=2)
        self.rounds += 1

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.run_once()
            self._stop.wait(self.every_seconds)

    def start(self) -> Housekeeper:
        """Start the thread (once); return self."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="insight-housekeeping", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop after the current round."""
        self._stop.set()
