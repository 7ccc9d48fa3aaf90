"""The deployment's secret: the pseudonym key, and the key derived from it that signs what the app keeps on disk.

The key comes from `$INSIGHT_SECRET_KEY` (at least 32 bytes, else the app refuses to start), or from
`secret.key` in the data directory: 32 random bytes written whole (temporary file, fsync, rename, 0600), so
a full disk can never leave an empty key behind. An empty or short `secret.key` is replaced; everything
cached with the old key is signed with it, so it no longer verifies and is dropped, never read back.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import os
import secrets
from pathlib import Path

from insight.errors import InsightError
from insight.store.files import write_private

SECRET_ENV = "INSIGHT_SECRET_KEY"
KEY_FILE = "secret.key"
MIN_KEY_BYTES = 32
_SIGNING_LABEL = b"customer-insight: signatures of cache and share files, v1"

log = logging.getLogger(__name__)


class SecretKeyError(InsightError):
    """The configured secret cannot keep pseudonyms secret: the app does not start with it."""


def check_secret_setting(value: str | None = None) -> None:
    """Raise `SecretKeyError` when the secret setting (`value`, else `$INSIGHT_SECRET_KEY`) is set but too short."""
    value = os.environ.get(SECRET_ENV) if value is None else value
    if value is not None and len(value.encode()) < MIN_KEY_BYTES:
        raise SecretKeyError(
            f"The secret key setting ({SECRET_ENV} or the secret_key secret) is {len(value.encode())} bytes long; "
            f"it needs at least {MIN_KEY_BYTES} so pseudonyms cannot be reversed. Set a longer random value "
            '(for example the output of `python -c "import secrets; print(secrets.token_urlsafe(48))"`) or remove '
            "the setting to let the app keep a random key in its data folder."
        )


def _write_key(path: Path, key: bytes, *, replace: bool) -> None:
    """Write the key file whole or not at all, on disk before it is in place; unless `replace`, a key another
    process created meanwhile is kept (theirs wins)."""
    write_private(path, key, durable=True, keep_existing=not replace)


def _read_key(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


@functools.cache
def deployment_key(data_dir: Path) -> bytes:
    """The pseudonymisation key: `$INSIGHT_SECRET_KEY`, else `secret.key` in the data directory (created, or
    replaced when empty or short). On a disk that cannot hold it, a random key for this process only."""
    check_secret_setting()
    env = os.environ.get(SECRET_ENV)
    if env is not None:
        return env.encode()
    path = data_dir / KEY_FILE
    found = _read_key(path)
    if found is not None and len(found) >= MIN_KEY_BYTES:
        return found
    if found is not None:
        log.warning("%s held a %d-byte key: replaced; results cached with it are dropped", path, len(found))
    key = secrets.token_bytes(MIN_KEY_BYTES)
    try:
        _write_key(path, key, replace=found is not None)
    except FileExistsError:
        pass
    except OSError as exc:  # a full or read-only disk: pseudonyms still work in this process
        log.warning("Could not save the secret key to %s (%s); using a key for this process only", path, exc)
        return key
    stored = _read_key(path)
    return stored if stored is not None and len(stored) >= MIN_KEY_BYTES else key


def signing_key(data_dir: Path) -> bytes:
    """The key that signs cache and share files: derived from the deployment's key with a label of its own."""
    return hmac.new(deployment_key(data_dir), _SIGNING_LABEL, hashlib.sha256).digest()


def sign(key: bytes, *parts: bytes) -> bytes:
    """The HMAC-SHA256 of the parts (each length-prefixed, so parts cannot be shifted between each other)."""
    h = hmac.new(key, digestmod=hashlib.sha256)
    for part in parts:
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.digest()


def verify(key: bytes, signature: bytes, *parts: bytes) -> bool:
    """True when `signature` is the parts' signature (compared in constant time)."""
    return hmac.compare_digest(signature, sign(key, *parts))
