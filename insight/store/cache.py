"""Results cached by (dataset fingerprint, step, parameters), in memory and on disk.

A result is computed once per key: moving a slider back, reloading the page
or restarting the server reads it back instead of refitting. Disk entries
are written atomically and signed with an HMAC keyed by the deployment's
secret (`insight.store.secret`): the signature is checked before anything is
unpickled, so a partial write or a file planted by someone else is dropped,
never loaded. A data folder others could write to is tightened to 0700 (or
the disk is not used, with the reason); a failing disk degrades to memory
caching with a warning.

On disk an entry lives at `cache/<code version>-<key id>/<hash of the fingerprint>/<key>.joblib` (mode 0600), so
everything computed from one dataset can be deleted at once (`forget`, when a share link is revoked) and
what older code stored is deleted by `purge` instead of waiting for the budget.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import logging
import os
import shutil
import threading
import time
import warnings
import zlib
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import joblib

from insight.errors import InsightError
from insight.memory import resident_size
from insight.store.files import UnsafeFolder, secure_tree, write_private
from insight.store.secret import sign, signing_key, verify

T = TypeVar("T")
log = logging.getLogger(__name__)

DATA_DIR_ENV = "INSIGHT_DATA_DIR"
DISK_BUDGET = 2 * 1024**3  # results on disk, least recently used evicted past it
MEMORY_BUDGET = 512 * 1024**2  # results in memory (pickled size or frames' memory), least recently used dropped past it
UNKNOWN_SHARE = 4  # a result that cannot be pickled has no known size: it counts as a quarter of the budget
_MAGIC = b"INSIGHT2"  # then the body's HMAC-SHA256 (32 bytes), then the compressed pickle
MAX_AGE_DAYS = 14  # an entry nobody has read for two weeks is deleted by `purge` (the budget may go first)


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


@dataclass(frozen=True)
class _Failed:
    """A step that raised a user-fixable error for this data (kept in memory only: cheap to find again)."""

    error: InsightError


FAILED_SIZE = 1024  # what a remembered failure counts against the memory budget


class Store:
    """Memory + disk cache of fitted models and results.

    Parameters
    ----------
    root : directory for the cache files; `None` keeps everything in memory.
    key : the key that signs the files; by default derived from the deployment's secret for `root`.
    budget_bytes : disk budget; least recently used entries are evicted past it.
    memory_bytes : memory budget, measured as each result's pickled size or, when larger, the memory its frames
        hold (`insight.memory.resident_size`); least recently used results are
        dropped from memory past it (they stay on disk), and a result larger than the budget is not kept.
    """

    def __init__(
        self,
        root: Path | str | None = None,
        *,
        budget_bytes: int = DISK_BUDGET,
        memory_bytes: int = MEMORY_BUDGET,
        key: bytes | None = None,
    ) -> None:
        self.root = Path(root) if root is not None else None
        self.disk_error: str | None = None
        self._key, self._version = b"", code_version()
        if self.root is not None:
            try:
                secure_tree(self.root)
            except UnsafeFolder as exc:
                self.disk_error = f"Results are kept in memory only: {exc}"
                log.warning(self.disk_error)
                self.root = None
            else:
                self._key = key if key is not None else signing_key(self.root)
                self._version = f"{code_version()}-{sign(self._key, b'key id').hex()[:8]}"  # another key: not read
        self.budget_bytes = budget_bytes
        self.memory_bytes = memory_bytes
        self._memory: OrderedDict[str, tuple[Any, int]] = OrderedDict()  # key -> (result, size counted)
        self._memory_used = 0
        self._clock = 0  # last access stamp given to a disk entry (ns), strictly increasing
        self._fingerprint_of: dict[str, str] = {}  # memory key -> its fingerprint, so `forget` finds the keys
        self._keys_of: defaultdict[str, set[str]] = defaultdict(set)
        self._lock = threading.RLock()
        self._inflight: dict[str, list] = {}  # key -> [lock held while computing, callers waiting]
        self.computed: Counter[str] = Counter()
        self.disk_hits: Counter[str] = Counter()

    def _folder(self, fingerprint: str) -> Path:
        assert self.root is not None
        return self.root / "cache" / self._version / hashlib.sha256(fingerprint.encode()).hexdigest()[:32]

    def _path(self, fingerprint: str, key: str) -> Path:
        return self._folder(fingerprint) / f"{key}.joblib"

    def _remember(self, fingerprint: str, key: str, value: Any, size: int) -> None:
        size = max(size, resident_size(value))  # frames of text hold about five times their pickled size
        if size > self.memory_bytes:
            return
        with self._lock:
            self._drop(key)
            self._memory[key] = (value, size)
            self._memory_used += size
            self._fingerprint_of[key] = fingerprint
            self._keys_of[fingerprint].add(key)
            while self._memory_used > self.memory_bytes:
                self._drop(next(iter(self._memory)))

    def _drop(self, key: str) -> None:
        """Take one key out of memory (caller holds the lock)."""
        if key in self._memory:
            self._memory_used -= self._memory.pop(key)[1]
        fingerprint = self._fingerprint_of.pop(key, None)
        if fingerprint is not None:
            self._keys_of[fingerprint].discard(key)
            if not self._keys_of[fingerprint]:
                del self._keys_of[fingerprint]

    def _recall(self, key: str) -> tuple[bool, Any]:
        with self._lock:
            if key not in self._memory:
                return False, None
            self._memory.move_to_end(key)
            value = self._memory[key][0]
        if isinstance(value, _Failed):
            raise value.error
        return True, value

    def _touch(self, path: Path) -> None:
        """Stamp a disk entry as just used, strictly after every earlier stamp (file times can tie)."""
        with self._lock:
            self._clock = max(time.time_ns(), self._clock + 1)
            stamp = self._clock
        with contextlib.suppress(OSError):  # a read-only disk still serves what it holds
            os.utime(path, ns=(stamp, stamp))

    def _read_disk(self, fingerprint: str, key: str) -> tuple[bool, Any, int]:
        if self.root is None:
            return False, None, 0
        path = self._path(fingerprint, key)
        try:
            raw = path.read_bytes()
        except OSError:
            return False, None, 0
        digest, body = raw[len(_MAGIC) : len(_MAGIC) + 32], raw[len(_MAGIC) + 32 :]
        value, pickled = None, b""
        found = raw.startswith(_MAGIC) and verify(self._key, digest, key.encode(), body)
        if not found:
            log.warning("The cache file %s is not signed by this server: dropped unread", path)
        else:
            try:
                pickled = zlib.decompress(body)
                value = joblib.load(io.BytesIO(pickled))
            except Exception:
                found = False
        if found:
            self._touch(path)
        else:
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
        return found, value, len(pickled)

    def _pickle(self, value: Any) -> bytes | None:
        try:
            buf = io.BytesIO()
            joblib.dump(value, buf)
            return buf.getvalue()
        except Exception as exc:  # unpicklable: it stays in memory only
            self.disk_error = f"Could not save a result ({exc}); it is kept in memory only."
            warnings.warn(self.disk_error, stacklevel=3)
            return None

    def _write_disk(self, fingerprint: str, key: str, pickled: bytes) -> None:
        if self.root is None:
            return
        path = self._path(fingerprint, key)
        try:
            body = zlib.compress(pickled, 3)
            write_private(path, _MAGIC + sign(self._key, key.encode(), body) + body)
            self._touch(path)
        except Exception as exc:  # disk full, permissions: memory still works
            self.disk_error = f"Could not save a result to disk ({exc}); results are kept in memory only."
            warnings.warn(self.disk_error, stacklevel=2)
            return
        self._evict()

    def _entries(self) -> list[tuple[Path, os.stat_result]]:
        """Every entry on disk with its stat, least recently used first (entries deleted meanwhile are skipped)."""
        assert self.root is not None
        found = []
        for path in (self.root / "cache").glob("*/*/*.joblib"):
            try:
                found.append((path, path.stat()))
            except OSError:
                continue
        return sorted(found, key=lambda entry: entry[1].st_mtime_ns)

    def _evict(self) -> None:
        entries = self._entries()
        total = sum(stat.st_size for _, stat in entries)
        for path, stat in entries:
            if total <= self.budget_bytes:
                break
            total -= stat.st_size
            path.unlink(missing_ok=True)

    def forget(self, fingerprint: str) -> None:
        """Delete everything cached for one dataset, in memory and on disk (under every code version)."""
        with self._lock:
            for key in list(self._keys_of.get(fingerprint, ())):
                self._drop(key)
        if self.root is None:
            return
        folder = hashlib.sha256(fingerprint.encode()).hexdigest()[:32]
        for path in (self.root / "cache").glob(f"*/{folder}"):
            shutil.rmtree(path, ignore_errors=True)

    def purge(self, now: float | None = None, max_age_days: float = MAX_AGE_DAYS) -> int:
        """Delete what older code stored and entries unused for `max_age_days`; return how many files went."""
        if self.root is None or not (self.root / "cache").is_dir():
            return 0
        removed = 0
        for version in (self.root / "cache").iterdir():
            if version.name != self._version:
                removed += sum(1 for p in version.rglob("*") if p.is_file())
                shutil.rmtree(version, ignore_errors=True)
        cutoff = (time.time() if now is None else now) - max_age_days * 86400
        for path, stat in self._entries():
            if stat.st_mtime < cutoff:
                path.unlink(missing_ok=True)
                removed += 1
        for folder in (self.root / "cache" / self._version).glob("*"):
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        return removed

    def remember_failure(self, fingerprint: str, step: str, params: dict[str, Any] | None, error: Exception) -> None:
        """Remember that the data cannot support a step (found by a worker process), so asking raises `error`."""
        self._remember(fingerprint, cache_key(fingerprint, step, params), _Failed(error), FAILED_SIZE)

    def keep_on_disk(self, fingerprint: str, step: str, params: dict[str, Any] | None, value: Any) -> bool:
        """Make sure `value` is on disk under the key (a worker process reads it there); False when it cannot be."""
        if self.root is None:
            return False
        key = cache_key(fingerprint, step, params)
        if self._path(fingerprint, key).exists():
            return True
        pickled = self._pickle(value)
        if pickled is not None:
            self._write_disk(fingerprint, key, pickled)
        return self._path(fingerprint, key).exists()

    def peek(self, fingerprint: str, step: str, params: dict[str, Any] | None) -> tuple[bool, Any]:
        """(True, result) when the key is cached in memory or on disk, else (False, None); never computes."""
        key = cache_key(fingerprint, step, params)
        found, value = self._recall(key)
        if found:
            return True, value
        found, value, size = self._read_disk(fingerprint, key)
        if found:
            self.disk_hits[step] += 1
            self._remember(fingerprint, key, value, size)
        return found, value

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
            found, value = self._recall(key)
            if found:
                return value
            pending = self._inflight.setdefault(key, [threading.Lock(), 0])
            pending[1] += 1
        try:
            with pending[0]:
                found, value = self._recall(key)
                if found:
                    return value
                found, value, size = self._read_disk(fingerprint, key)
                if found:
                    self.disk_hits[step] += 1
                else:
                    try:
                        value = compute()
                    except InsightError as exc:  # the data cannot support it: say so again without refitting
                        self._remember(fingerprint, key, _Failed(exc), FAILED_SIZE)
                        raise
                    self.computed[step] += 1
                    pickled = self._pickle(value)
                    size = len(pickled) if pickled is not None else self.memory_bytes // UNKNOWN_SHARE
                    if pickled is not None:
                        self._write_disk(fingerprint, key, pickled)
                self._remember(fingerprint, key, value, size)
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
