"""Results cached by (dataset fingerprint, step, parameters), in memory and on disk.

A result is computed once per key: moving a slider back, reloading the page
or restarting the server reads it back instead of refitting. Disk entries
are written atomically with a checksum, so a failed or partial write is
never loaded; a failing disk degrades to memory caching with a warning.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import os
import threading
import warnings
from collections import Counter, OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import joblib

T = TypeVar("T")

DATA_DIR_ENV = "INSIGHT_DATA_DIR"
_MAGIC = b"INSIGHT1"


def default_data_dir() -> Path:
    """The data directory: `$INSIGHT_DATA_DIR`, else `~/.cache/customer-insight`."""
    env = os.environ.get(DATA_DIR_ENV)
    return Path(env) if env else Path.home() / ".cache" / "customer-insight"


@functools.cache
def code_version() -> str:
    """A hash of the `insight` package's source, so results cached by other code are never read back after an
    upgrade (an old pickle could lack a field the new code reads, or hold what the old code got wrong)."""
    h = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode() + path.read_bytes())
    return h.hexdigest()[:16]


def cache_key(fingerprint: str, step: str, params: dict[str, Any] | None = None) -> str:
    """A stable hex key for one cached result of this version of the code."""
    blob = json.dumps([code_version(), fingerprint, step, params or {}], sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


class Store:
    """Memory + disk cache of fitted models and results.

    Parameters
    ----------
    root : directory for the cache files; `None` keeps everything in memory.
    budget_bytes : disk budget; least recently used entries are evicted past it.
    memory_items : how many results stay in memory.
    """

    def __init__(
        self,
        root: Path | str | None = None,
        *,
        budget_bytes: int = 2 * 1024**3,
        memory_items: int = 256,
    ) -> None:
        self.root = Path(root) if root is not None else None
        self.budget_bytes = budget_bytes
        self.memory_items = memory_items
        self._memory: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.RLock()
        self._inflight: dict[str, list] = {}  # key -> [lock held while computing, callers waiting]
        self.computed: Counter[str] = Counter()
        self.disk_hits: Counter[str] = Counter()
        self.disk_error: str | None = None

    def _path(self, key: str) -> Path:
        assert self.root is not None
        return self.root / "cache" / key[:2] / f"{key}.joblib"

    def _remember(self, key: str, value: Any) -> None:
        with self._lock:
            self._memory[key] = value
            self._memory.move_to_end(key)
            while len(self._memory) > self.memory_items:
                self._memory.popitem(last=False)

    def _read_disk(self, key: str) -> tuple[bool, Any]:
        if self.root is None:
            return False, None
        path = self._path(key)
        try:
            raw = path.read_bytes()
        except OSError:
            return False, None
        digest, body = raw[len(_MAGIC) : len(_MAGIC) + 32], raw[len(_MAGIC) + 32 :]
        if not raw.startswith(_MAGIC) or hashlib.sha256(body).digest() != digest:
            path.unlink(missing_ok=True)
            return False, None
        try:
            value = joblib.load(io.BytesIO(body))
        except Exception:
            path.unlink(missing_ok=True)
            return False, None
        os.utime(path)
        return True, value

    def _write_disk(self, key: str, value: Any) -> None:
        if self.root is None:
            return
        path = self._path(key)
        tmp = path.with_suffix(f".tmp{os.getpid()}_{threading.get_ident()}")
        try:
            buf = io.BytesIO()
            joblib.dump(value, buf, compress=3)
            body = buf.getvalue()
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(_MAGIC + hashlib.sha256(body).digest() + body)
            os.replace(tmp, path)
        except Exception as exc:  # disk full, permissions, unpicklable: memory still works
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            self.disk_error = f"Could not save a result to disk ({exc}); results are kept in memory only."
            warnings.warn(self.disk_error, stacklevel=2)
            return
        self._evict()

    def _evict(self) -> None:
        assert self.root is not None
        files = sorted(
            (p for p in (self.root / "cache").glob("*/*.joblib")),
            key=lambda p: p.stat().st_mtime,
        )
        total = sum(p.stat().st_size for p in files)
        for p in files:
            if total <= self.budget_bytes:
                break
            total -= p.stat().st_size
            p.unlink(missing_ok=True)

    def get_or_compute(
        self,
        fingerprint: str,
        step: str,
        params: dict[str, Any] | None,
        compute: Callable[[], T],
    ) -> T:
        """Return the cached result for the key, computing and saving it when absent.

        Concurrent callers with the same key wait for one computation instead of each running it.
        """
        key = cache_key(fingerprint, step, params)
        with self._lock:
            if key in self._memory:
                self._memory.move_to_end(key)
                return self._memory[key]
            pending = self._inflight.setdefault(key, [threading.Lock(), 0])
            pending[1] += 1
        try:
            with pending[0]:
                with self._lock:
                    if key in self._memory:
                        return self._memory[key]
                found, value = self._read_disk(key)
                if found:
                    self.disk_hits[step] += 1
                else:
                    value = compute()
                    self.computed[step] += 1
                    self._write_disk(key, value)
                self._remember(key, value)
                return value
        finally:
            with self._lock:
                pending[1] -= 1
                if pending[1] == 0:
                    self._inflight.pop(key, None)


_default: Store | None = None
_default_lock = threading.Lock()


def default_store() -> Store:
    """The process-wide store under `default_data_dir()`."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Store(default_data_dir())
        return _default
