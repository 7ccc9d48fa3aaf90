"""Share links: a saved view (the dataset's files and choices plus the page's settings) behind a token.

The catalog is a SQLite file in the data directory; each share's files live in a folder of their own
(folders 0700, files 0600), each signed with an HMAC keyed by the deployment's secret and checked before
it is read: a file changed or planted on disk is refused, never parsed. Revoking a link, or its expiry,
deletes its files, its description in the catalog and every cached result computed from its data; only the
hashed token and its dates stay, so an old link can still say "revoked" or "expired". A disk that fails
(read-only, full, a damaged or deleted catalog, a data directory that is a file) raises `SharingUnavailable`:
the app goes on without sharing.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import logging
import os
import re
import secrets
import shutil
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from insight.errors import InsightError, SharingUnavailable
from insight.i18n import N_, Message
from insight.store.cache import Store
from insight.store.files import private_dir, secure_tree, write_private
from insight.store.secret import sign, signing_key, verify

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
DEFAULT_SHARE_DAYS = 30
_SIGNED = b"ISHARE1"  # a share file: this, its HMAC-SHA256 (32 bytes), then the uploaded bytes
ORPHAN_GRACE_SECONDS = 3600  # a share folder with no catalog row is deleted once this old (a create may be midway)
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS shares (token TEXT PRIMARY KEY, created REAL, expires REAL, "
    "revoked INTEGER DEFAULT 0, meta TEXT, dataset TEXT, sealed TEXT)"
)
log = logging.getLogger(__name__)

# What a visitor opening a link is told when the disk fails (the owner's share panel says what is wrong).
UNAVAILABLE_TO_VIEWER = N_(
    "This share link cannot be opened right now: the server's storage has a problem. Ask the owner to check it."
)


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


def _key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


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
    """Share links in a SQLite catalog, with each share's files in a folder of their own.

    Tokens carry 256 bits from `secrets`; an unknown, expired or revoked token opens nothing. `store`, when
    given, is the results cache whose entries for a share's data go when the share goes. `key` signs the
    share files (by default derived from the deployment's secret for `root`).
    """

    def __init__(self, root: Path | str, store: Store | None = None, key: bytes | None = None) -> None:
        self.root = Path(root)
        self.store = store
        self._db = self.root / "catalog.sqlite"
        with self._disk():
            secure_tree(self.root)
            self._key = key if key is not None else signing_key(self.root)
            private_dir(self.root / "shares")
        with self._catalog():
            pass
        self.purge_expired()

    # --- the disk, and what to say when it fails --------------------------------------------------------

    def _problem(self, exc: BaseException) -> Message:
        text = str(exc).lower()
        code = getattr(exc, "errno", None)
        if isinstance(exc, sqlite3.DatabaseError) and ("not a database" in text or "malformed" in text):
            return Message(
                N_(
                    "The share catalog {db} is damaged. Move it away to start a new one (links made before stop "
                    "working)."
                ),
                db=str(self._db),
            )
        if code in (errno.ENOSPC, errno.EDQUOT) or "disk is full" in text:
            return Message(N_("The disk holding {root} is full."), root=str(self.root))
        if code in (errno.EROFS, errno.EACCES, errno.EPERM) or "readonly" in text or "read-only" in text:
            return Message(
                N_("The data folder {root} cannot be written (read-only or no permission)."), root=str(self.root)
            )
        if code in (errno.ENOTDIR, errno.EEXIST) or (self.root.exists() and not self.root.is_dir()):
            return Message(
                N_(
                    "The data folder {root} is a file, not a folder. Point INSIGHT_DATA_DIR (or the data_dir "
                    "secret) at a folder."
                ),
                root=str(self.root),
            )
        return Message(N_("The data folder {root} cannot be used ({error})."), root=str(self.root), error=str(exc))

    @contextlib.contextmanager
    def _disk(self) -> Iterator[None]:
        """Turn a failing disk or catalog into `SharingUnavailable`, with the cause and what to do."""
        try:
            yield
        except (OSError, sqlite3.Error) as exc:
            raise SharingUnavailable(
                N_(
                    "Sharing is off: {problem} The app keeps working; links can be made and opened again once "
                    "that is fixed."
                ),
                problem=self._problem(exc),
            ) from exc

    @contextlib.contextmanager
    def _catalog(self) -> Iterator[sqlite3.Connection]:
        """A connection to the catalog (created 0600 when missing, e.g. deleted), committed and closed after."""
        with self._disk():
            if not self._db.exists():
                private_dir(self.root)
                os.close(os.open(self._db, os.O_WRONLY | os.O_CREAT, 0o600))  # sqlite copies its mode to journals
            con = sqlite3.connect(self._db, timeout=10)
            try:
                con.execute(_SCHEMA)
                columns = {row[1] for row in con.execute("PRAGMA table_info(shares)")}
                for column in ("dataset", "sealed") if "sealed" not in columns else ():  # an older catalog
                    con.execute(f"ALTER TABLE shares ADD COLUMN {column} TEXT")
                yield con
                con.commit()
            finally:
                con.close()

    def _folder(self, key: str) -> Path:
        return self.root / "shares" / key

    def _delete_data(self, key: str, meta_text: str | None) -> None:
        """A share's files and the cached results of its data (the catalog row is cleared by the caller)."""
        shutil.rmtree(self._folder(key), ignore_errors=True)
        fingerprint = json.loads(meta_text).get("fingerprint") if meta_text else None
        if fingerprint and self.store is not None:
            self.store.forget(fingerprint)

    # --- links ------------------------------------------------------------------------------------------

    def create(
        self,
        files: list[tuple[str, bytes]] | None,
        view: dict[str, Any],
        *,
        roles: dict | None = None,
        kinds: dict | None = None,
        cleaning: dict[str, Any] | None = None,
        fingerprint: str | None = None,
        days: int = DEFAULT_SHARE_DAYS,
        now: float | None = None,
    ) -> str:
        """Save the files and view; return the new token. `files=None` shares the demo shop.

        `fingerprint` is the dataset's: the owner lists the link again with `links(fingerprint)`, and the
        cached results computed from an upload are deleted with the link.
        """
        if not 1 <= days <= 365:
            raise InsightError(N_("A share link can last 1 to 365 days; got {days}."), days=days)
        token = secrets.token_urlsafe(32)
        key = _key(token)
        now = time.time() if now is None else now
        meta = {
            "view": view,
            "names": [name for name, _ in files or []],
            "demo": files is None,
            "roles": roles,
            "kinds": kinds,
            "cleaning": cleaning or {},
            "fingerprint": None if files is None else fingerprint,
        }
        try:
            with self._disk():
                for i, (_, data) in enumerate(files or []):
                    signature = sign(self._key, key.encode(), str(i).encode(), data)
                    write_private(self._folder(key) / f"{i}.bin", _SIGNED + signature + data)
            with self._catalog() as con:
                con.execute(
                    "INSERT INTO shares (token, created, expires, meta, dataset, sealed) VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        key,
                        now,
                        now + days * 86400,
                        json.dumps(meta, default=str),
                        _dataset_key(fingerprint) if fingerprint else None,
                        _seal(token, fingerprint, key) if fingerprint else None,
                    ),
                )
        except SharingUnavailable:
            shutil.rmtree(self._folder(key), ignore_errors=True)
            raise
        return token

    def links(self, fingerprint: str, now: float | None = None) -> list[ShareLink]:
        """The live links made for this dataset (by its fingerprint), newest first."""
        now = time.time() if now is None else now
        with self._catalog() as con:
            rows = con.execute(
                "SELECT token, created, expires, meta, sealed FROM shares WHERE dataset = ? AND revoked = 0 "
                "AND meta IS NOT NULL AND sealed IS NOT NULL AND expires >= ? ORDER BY created DESC",
                (_dataset_key(fingerprint), now),
            ).fetchall()
        return [
            ShareLink(_unseal(sealed, fingerprint, key), created, expires, json.loads(meta)["view"].get("page"))
            for key, created, expires, meta, sealed in rows
        ]

    def _live(self, token: str, now: float | None) -> tuple[float, float, dict[str, Any]]:
        """(created, expires, meta) of a link that stands, or an `InsightError` saying why it does not."""
        unknown = InsightError(N_("This share link is not valid. Ask the owner for a new link."))
        if not TOKEN_PATTERN.match(token or ""):
            raise unknown
        try:
            with self._catalog() as con:
                row = con.execute(
                    "SELECT created, expires, revoked, meta FROM shares WHERE token = ?", (_key(token),)
                ).fetchone()
        except SharingUnavailable as exc:
            raise SharingUnavailable(UNAVAILABLE_TO_VIEWER) from exc
        if row is None:
            raise unknown
        created, expires, revoked, meta_text = row
        if revoked:
            raise InsightError(N_("The owner has revoked this share link. Ask them for a new one."))
        if (time.time() if now is None else now) > expires or meta_text is None:
            raise InsightError(N_("This share link has expired. Ask the owner for a new one."))
        return created, expires, json.loads(meta_text)

    def check(self, token: str, now: float | None = None) -> None:
        """Raise the reason when a link no longer stands (revoked, expired, unknown); reads no shared files."""
        self._live(token, now)

    def open(self, token: str, now: float | None = None) -> Share:
        """The share behind a token, or an `InsightError` saying why there is none."""
        created, expires, meta = self._live(token, now)
        key = _key(token)
        try:
            with self._disk():
                files = None if meta["demo"] else [(name, self._read(key, i)) for i, name in enumerate(meta["names"])]
        except SharingUnavailable as exc:
            raise SharingUnavailable(UNAVAILABLE_TO_VIEWER) from exc
        return Share(token, created, expires, meta["view"], files, meta["roles"], meta["kinds"], meta["cleaning"])

    def _read(self, key: str, i: int) -> bytes:
        """One share file's bytes, once its signature holds; else the link is refused (and the server logs why)."""
        path = self._folder(key) / f"{i}.bin"
        raw = path.read_bytes()
        signature, data = raw[len(_SIGNED) : len(_SIGNED) + 32], raw[len(_SIGNED) + 32 :]
        if not (raw.startswith(_SIGNED) and verify(self._key, signature, key.encode(), str(i).encode(), data)):
            log.warning("The share file %s is not signed by this server: refused unread", path)
            raise InsightError(
                N_("This share link's data was changed on the server and is not opened. Ask the owner for a new link.")
            )
        return data

    def revoke(self, token: str) -> None:
        """Revoke a link and delete everything it stored: its files, its view and the results cached from it."""
        key = _key(token)
        with self._catalog() as con:
            row = con.execute("SELECT meta FROM shares WHERE token = ?", (key,)).fetchone()
            con.execute("UPDATE shares SET revoked = 1, meta = NULL, sealed = NULL WHERE token = ?", (key,))
        self._delete_data(key, row[0] if row else None)

    def purge_expired(self, now: float | None = None) -> int:
        """Delete everything expired links stored, and share folders the catalog no longer knows (a deleted
        catalog, a create cut short); return how many links were purged."""
        now = time.time() if now is None else now
        with self._catalog() as con:
            expired = con.execute("SELECT token, meta FROM shares WHERE expires < ? AND meta IS NOT NULL", (now,))
            expired = expired.fetchall()
            con.execute("UPDATE shares SET meta = NULL, sealed = NULL WHERE expires < ?", (now,))
            live = {k for (k,) in con.execute("SELECT token FROM shares WHERE meta IS NOT NULL")}
        for key, meta_text in expired:
            self._delete_data(key, meta_text)
        with self._disk():
            for folder in (self.root / "shares").iterdir():
                if folder.name not in live and folder.stat().st_mtime < now - ORPHAN_GRACE_SECONDS:
                    shutil.rmtree(folder, ignore_errors=True)
        return len(expired)
