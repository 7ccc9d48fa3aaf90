"""Files only this server's user can read: folders 0700, files 0600, written whole or not at all."""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path


def private_dir(path: Path) -> Path:
    """Create `path` and any missing parents readable by this user only (0700); return it.

    Raises OSError when it cannot (read-only disk, a file in the way …).
    """
    missing = []
    while not path.is_dir():
        missing.append(path)
        if path.parent == path:
            break
        path = path.parent
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)
    return missing[0] if missing else path


def write_private(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically (a reader never sees half a file), mode 0600.

    Raises OSError (disk full, read-only, not a folder …) after removing any partial file.
    """
    private_dir(path.parent)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}_{threading.get_ident()}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
