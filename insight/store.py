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
import re
import secrets
import shutil
import sqlite3
import threading
import time
import warnings
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import joblib

from insight.errors import InsightError

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
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.name.encode() + path.read_bytes())
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


# --- share links ----------------------------------------------------------------------------------

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
DEFAULT_SHARE_DAYS = 30


@dataclass(frozen=True)
class Share:
    """A saved view: the dataset's files and choices plus the page parameters, behind a token."""

    token: str
    created: float
    expires: float
    view: dict[str, Any]
    files: list[tuple[str, bytes]] | None
    roles: dict | None
    kinds: dict | None
    cleaning: dict[str, Any]


class ShareRegistry:
    """Share links in a SQLite catalog, with each share's files in a folder of its own.

    Tokens carry 256 bits from `secrets`; an unknown, expired or revoked token opens nothing.
    """

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._db = self.root / "catalog.sqlite"
        with self._connect() as con:
            con.execute(
                "CREATE TABLE IF NOT EXISTS shares (token TEXT PRIMARY KEY, created REAL, expires REAL, "
                "revoked INTEGER DEFAULT 0, meta TEXT)"
            )
        self.purge_expired()

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self._db, timeout=10)

    def _folder(self, token: str) -> Path:
        return self.root / "shares" / hashlib.sha256(token.encode()).hexdigest()

    def create(
        self,
        files: list[tuple[str, bytes]] | None,
        view: dict[str, Any],
        *,
        roles: dict | None = None,
        kinds: dict | None = None,
        cleaning: dict[str, Any] | None = None,
        days: int = DEFAULT_SHARE_DAYS,
        now: float | None = None,
    ) -> str:
        """Save the files and view; return the new token. `files=None` shares the demo shop."""
        if not 1 <= days <= 365:
            raise InsightError(f"A share link can last 1 to 365 days; got {days}.")
        token = secrets.token_urlsafe(32)
        now = time.time() if now is None else now
        folder = self._folder(token)
        folder.mkdir(parents=True)
        names = []
        for i, (name, data) in enumerate(files or []):
            (folder / f"{i}.bin").write_bytes(data)
            names.append(name)
        meta = {
            "view": view,
            "names": names,
            "demo": files is None,
            "roles": roles,
            "kinds": kinds,
            "cleaning": cleaning or {},
        }
        with self._connect() as con:
            con.execute(
                "INSERT INTO shares (token, created, expires, meta) VALUES (?, ?, ?, ?)",
                (hashlib.sha256(token.encode()).hexdigest(), now, now + days * 86400, json.dumps(meta, default=str)),
            )
        return token

    def open(self, token: str, now: float | None = None) -> Share:
        """The share behind a token, or an `InsightError` saying why there is none."""
        unknown = InsightError("This share link is not valid. Ask the owner for a new link.")
        if not TOKEN_PATTERN.match(token or ""):
            raise unknown
        key = hashlib.sha256(token.encode()).hexdigest()
        with self._connect() as con:
            row = con.execute("SELECT created, expires, revoked, meta FROM shares WHERE token = ?", (key,)).fetchone()
        if row is None:
            raise unknown
        created, expires, revoked, meta_text = row
        if revoked:
            raise InsightError("The owner has revoked this share link. Ask them for a new one.")
        if (time.time() if now is None else now) > expires:
            raise InsightError("This share link has expired. Ask the owner for a new one.")
        meta = json.loads(meta_text)
        folder = self._folder(token)
        files = (
            None
            if meta["demo"]
            else [(name, (folder / f"{i}.bin").read_bytes()) for i, name in enumerate(meta["names"])]
        )
        return Share(token, created, expires, meta["view"], files, meta["roles"], meta["kinds"], meta["cleaning"])

    def revoke(self, token: str) -> None:
        """Revoke a link and delete the data saved for it."""
        key = hashlib.sha256(token.encode()).hexdigest()
        with self._connect() as con:
            con.execute("UPDATE shares SET revoked = 1 WHERE token = ?", (key,))
        shutil.rmtree(self._folder(token), ignore_errors=True)

    def purge_expired(self, now: float | None = None) -> int:
        """Delete the data of expired links; return how many were purged."""
        now = time.time() if now is None else now
        with self._connect() as con:
            keys = [k for (k,) in con.execute("SELECT token FROM shares WHERE expires < ? AND revoked = 0", (now,))]
            con.execute("UPDATE shares SET revoked = 1 WHERE expires < ?", (now,))
        for key in keys:
            shutil.rmtree(self.root / "shares" / key, ignore_errors=True)
        return len(keys)
