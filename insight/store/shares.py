"""Share links: a saved view (the dataset's files and choices plus the page's settings) behind a token.

The catalog is a SQLite file in the data directory; each share's files live in a folder of their own.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from insight.errors import InsightError

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


@dataclass(frozen=True)
class ShareLink:
    """A live link made for a dataset: its token, when it was made and ends, and the page it opens."""

    token: str
    created: float
    expires: float
    page: str | None


def _keystream(fingerprint: str, salt: str, size: int) -> bytes:
    blocks = [hashlib.sha256(f"seal:{fingerprint}:{salt}:{i}".encode()).digest() for i in range(size // 32 + 1)]
    return b"".join(blocks)[:size]


def _seal(token: str, fingerprint: str, salt: str) -> str:
    """The token locked with the dataset's fingerprint: only someone holding the same data can list it again."""
    raw = token.encode()
    return bytes(a ^ b for a, b in zip(raw, _keystream(fingerprint, salt, len(raw)), strict=True)).hex()


def _unseal(sealed: str, fingerprint: str, salt: str) -> str:
    raw = bytes.fromhex(sealed)
    return bytes(a ^ b for a, b in zip(raw, _keystream(fingerprint, salt, len(raw)), strict=True)).decode()


def _dataset_key(fingerprint: str) -> str:
    return hashlib.sha256(f"dataset:{fingerprint}".encode()).hexdigest()


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
                "revoked INTEGER DEFAULT 0, meta TEXT, dataset TEXT, sealed TEXT)"
            )
            columns = {row[1] for row in con.execute("PRAGMA table_info(shares)")}
            for column in ("dataset", "sealed") if "sealed" not in columns else ():  # a catalog of an older version
                con.execute(f"ALTER TABLE shares ADD COLUMN {column} TEXT")
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
        dataset: str | None = None,
    ) -> str:
        """Save the files and view; return the new token. `files=None` shares the demo shop.

        `dataset` (the fingerprint) lets the owner list the link again later with `links(dataset)`.
        """
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
        key = hashlib.sha256(token.encode()).hexdigest()
        sealed = _seal(token, dataset, key) if dataset else None
        owner = _dataset_key(dataset) if dataset else None
        with self._connect() as con:
            con.execute(
                "INSERT INTO shares (token, created, expires, meta, dataset, sealed) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    key,
                    now,
                    now + days * 86400,
                    json.dumps(meta, default=str),
                    owner,
                    sealed,
                ),
            )
        return token

    def links(self, dataset: str, now: float | None = None) -> list[ShareLink]:
        """The live links made for this dataset (by its fingerprint), newest first."""
        now = time.time() if now is None else now
        with self._connect() as con:
            rows = con.execute(
                "SELECT token, created, expires, meta, sealed FROM shares WHERE dataset = ? AND revoked = 0 "
                "AND expires >= ? ORDER BY created DESC",
                (_dataset_key(dataset), now),
            ).fetchall()
        return [
            ShareLink(_unseal(sealed, dataset, key), created, expires, json.loads(meta)["view"].get("page"))
            for key, created, expires, meta, sealed in rows
        ]

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
