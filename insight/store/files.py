"""Files only this server's user can read: folders 0700, files 0600, written whole or not at all; a data
directory others could write to is tightened or refused."""

from __future__ import annotations

import contextlib
import os
import stat
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


def write_private(path: Path, data: bytes, *, durable: bool = False, keep_existing: bool = False) -> None:
    """Write `data` to `path` atomically (a reader never sees half a file), mode 0600.

    `durable`: on disk before it is in place (fsync), for what must survive a crash (the key).
    `keep_existing`: linked into place, so a file another process put there meanwhile wins (FileExistsError).
    Raises OSError (disk full, read-only, not a folder …) after removing any partial file.
    """
    private_dir(path.parent)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}_{threading.get_ident()}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        if keep_existing:
            os.link(tmp, path)
            tmp.unlink()
        else:
            os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


class UnsafeFolder(PermissionError):
    """A folder of the data directory that someone else could write to and that cannot be made private."""


def _secure(folder: Path, st: os.stat_result) -> None:
    if st.st_uid != os.getuid():
        raise UnsafeFolder(
            f"The data folder {folder} belongs to another user, who could plant files the app would read. "
            "Point INSIGHT_DATA_DIR (or the data_dir secret) at a folder of the server's own user."
        )
    if st.st_mode & 0o022:
        try:
            os.chmod(folder, 0o700)
        except OSError as exc:
            raise UnsafeFolder(
                f"The data folder {folder} can be written by other users and could not be made private ({exc}). "
                "Run `chmod 700` on it, or point INSIGHT_DATA_DIR at another folder."
            ) from exc


def secure_tree(root: Path) -> None:
    """Make the data directory and every folder in it this user's alone: a folder others can write to is
    tightened to 0700; one owned by another user (or that cannot be tightened) raises `UnsafeFolder` with the
    reason. A missing `root` is fine (it is created 0700 when first written)."""
    try:
        st = os.stat(root)
    except FileNotFoundError:
        return
    if not stat.S_ISDIR(st.st_mode):
        return  # not a folder: the callers report that when they write
    _secure(root, st)
    for parent, folders, _ in os.walk(root):
        for name in folders:
            folder = Path(parent) / name
            st = os.lstat(folder)
            if stat.S_ISDIR(st.st_mode):
                _secure(folder, st)
