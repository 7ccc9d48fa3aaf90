"""Sharing on a bad disk: read-only, full, catalog deleted or damaged, data directory a file. Each gives a
message, never a traceback, and the app keeps working without sharing."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import ui
from insight.errors import InsightError
from insight.store import ShareRegistry, SharingUnavailable, cache, shares
from tests.conftest import ROOT, plain

FILES = [("a.csv", b"customer_id,amount\nK1,3\n")]
ORDERS = "customer_id,order_date,amount\n" + "\n".join(f"K{c},2025-0{1 + c % 9}-1{c % 9},{10 + c}" for c in range(30))
ORDERS = ORDERS.encode()


def _under(path: object, root: Path) -> bool:
    return isinstance(path, (str, os.PathLike)) and Path(os.fsdecode(path)).resolve().is_relative_to(root.resolve())


def break_disk(monkeypatch: pytest.MonkeyPatch, root: Path, how: str) -> None:
    """From now on `root` behaves as a read-only (`"read-only"`) or full (`"full"`) disk: creating folders and
    writing files fail with the errno the kernel gives, and SQLite writes fail as SQLite reports them."""
    code = {"read-only": errno.EROFS, "full": errno.ENOSPC}[how]
    real_open, real_mkdir, real_connect = os.open, os.mkdir, sqlite3.connect

    def fail(path: object) -> OSError:
        return OSError(code, os.strerror(code), os.fsdecode(path))

    def open_(path, flags, *args, **kwargs):
        if _under(path, root) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise fail(path)
        return real_open(path, flags, *args, **kwargs)

    def mkdir(path, *args, **kwargs):
        if _under(path, root):
            raise fail(path)
        return real_mkdir(path, *args, **kwargs)

    def connect(path, *args, **kwargs):
        if not _under(path, root):
            return real_connect(path, *args, **kwargs)
        if how == "read-only":
            return real_connect(f"file:{path}?mode=ro", *args, uri=True, **kwargs)
        con = real_connect(path, *args, **kwargs)
        (pages,) = con.execute("PRAGMA page_count").fetchone()
        con.execute(f"PRAGMA max_page_count = {pages}")  # no room to grow: SQLite says "database or disk is full"
        return con

    monkeypatch.setattr(os, "open", open_)
    monkeypatch.setattr(os, "mkdir", mkdir)
    monkeypatch.setattr(shares.sqlite3, "connect", connect)


def _damage(root: Path, case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if case == "data dir is a file":
        shutil.rmtree(root)
        root.write_text("not a folder")
    elif case == "catalog deleted":
        (root / "catalog.sqlite").unlink()
    elif case == "catalog damaged":
        (root / "catalog.sqlite").write_bytes(b"this is not a database " * 100)
    else:
        break_disk(monkeypatch, root, case)


EXPECTED = {
    "read-only": "read-only",
    "full": "full",
    "catalog damaged": "damaged",
    "data dir is a file": "is a file, not a folder",
}


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_a_bad_disk_turns_sharing_off_with_the_reason(tmp_path: Path, case: str, monkeypatch) -> None:
    root = tmp_path / "data"
    made = ShareRegistry(root)
    old = made.create(FILES, {"page": "x"})
    _damage(root, case, monkeypatch)
    if case != "full":  # a full disk can still open the catalog: nothing needs writing until a link is made
        with pytest.raises(SharingUnavailable, match=EXPECTED[case]) as opened:
            ShareRegistry(root)
        assert "The app keeps working" in str(opened.value)
    with pytest.raises(SharingUnavailable, match=EXPECTED[case]):
        made.create(FILES, {"page": "x", "note": "n" * 20_000})
    if case == "full":  # revoking frees room, so it works, and the link's data goes
        assert made.open(old).files == FILES
        made.revoke(old)
        assert not list((root / "shares").iterdir())
        return
    with pytest.raises(SharingUnavailable, match=EXPECTED[case]):
        made.revoke(old)
    if case == "read-only":
        assert made.open(old).files == FILES
    else:
        with pytest.raises(SharingUnavailable, match="cannot be opened right now"):
            made.open(old)


def test_a_deleted_catalog_starts_afresh_and_old_links_say_so(tmp_path: Path) -> None:
    registry = ShareRegistry(tmp_path)
    old = registry.create(FILES, {"page": "x"})
    (tmp_path / "catalog.sqlite").unlink()
    with pytest.raises(InsightError, match="not valid"):
        registry.open(old)
    new = registry.create(FILES, {"page": "x"})
    assert registry.open(new).files == FILES
    assert oct((tmp_path / "catalog.sqlite").stat().st_mode & 0o777) == "0o600"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    root = tmp_path / "data"
    monkeypatch.setenv("INSIGHT_DATA_DIR", str(root))
    ui.share_registry.clear()
    yield root
    ui.share_registry.clear()


def _panel_text(at: AppTest) -> str:
    (panel,) = [b for b in at.sidebar.children.values() if getattr(b, "label", None) == "Share this view"]
    return " ".join(plain(w.value) for w in panel.warning)


@pytest.mark.slow
@pytest.mark.parametrize("case", ["read-only", "full", "catalog damaged", "catalog deleted", "data dir is a file"])
def test_the_app_keeps_working_without_sharing(data_dir: Path, case: str, monkeypatch) -> None:
    token = ShareRegistry(data_dir).create(None, {"page": "app_pages/data.py"})
    if case == "data dir is a file":
        monkeypatch.setattr(cache, "_default", cache.Store(data_dir))  # the results cache lives there too
    _damage(data_dir, case, monkeypatch)
    ui.share_registry.clear()

    at = AppTest.from_file(str(ROOT / "main.py"), default_timeout=300)
    for page in ("app_pages/data.py", "app_pages/feedback.py"):
        at.switch_page(page).run()
        assert not at.exception, at.exception
        assert at.dataframe and any("Active dataset" in c.value for c in at.sidebar.caption)
    if case == "catalog deleted":  # a new, empty catalog: sharing works, old links are unknown
        assert not _panel_text(at)
        at.checkbox(key="share_consent").check().run()
        at.button(key="btn_share_create").click().run()
        assert sum("?view=" in c.value for c in at.code) == 1 and not at.exception
    else:
        if case == "full":  # the catalog opens; saving an upload for a link is what needs room
            at.switch_page("app_pages/data.py").run()
            at.file_uploader(key="data_upload").set_value([("orders.csv", ORDERS, "text/csv")]).run()
            at.checkbox(key="share_consent").check().run()
            at.button(key="btn_share_create").click().run()
            assert not at.exception and not any("?view=" in c.value for c in at.code)
        assert EXPECTED[case] in _panel_text(at), _panel_text(at)

    viewer = AppTest.from_file(str(ROOT / "main.py"), default_timeout=300)
    viewer.query_params["view"] = token
    viewer.run()
    assert not viewer.exception
    errors = [plain(e.value) for e in viewer.error]
    if case == "full":
        assert not errors and viewer.session_state["read_only"] is True
    elif case == "catalog deleted":
        assert any("not valid" in e for e in errors), errors
    else:
        assert any("cannot be opened right now" in e for e in errors), errors
