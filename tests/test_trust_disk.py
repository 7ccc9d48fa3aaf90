"""Nothing read back from disk is trusted: forged cache and share files are dropped unread, a loose data folder is
tightened, and the pseudonym key is never empty or short (not even after a full disk)."""

from __future__ import annotations

import errno
import hashlib
import io
import os
import stat
import zlib
from pathlib import Path

import joblib
import pytest
from streamlit.testing.v1 import AppTest

from insight.data.privacy import pseudonym
from insight.errors import InsightError
from insight.store import ShareRegistry, Store, cache_key
from insight.store import secret as secret_module
from insight.store.files import UnsafeFolder, secure_tree
from insight.store.secret import MIN_KEY_BYTES, SECRET_ENV, SecretKeyError, check_secret_setting, deployment_key
from tests.conftest import ROOT


class Planted:
    """A pickle that, once loaded, creates a marker file: what an attacker plants to run code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple:
        return (Path.touch, (self.marker,))


@pytest.fixture(autouse=True)
def fresh_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SECRET_ENV, raising=False)
    deployment_key.cache_clear()
    yield
    deployment_key.cache_clear()


def _forged_entries(marker: Path) -> list[bytes]:
    """The two forgeries someone who can write the folder makes: the old plain-sha256 format, and the new format
    with a signature made without the key."""
    buf = io.BytesIO()
    joblib.dump(Planted(marker), buf)
    body = zlib.compress(buf.getvalue())
    return [b"INSIGHT1" + hashlib.sha256(body).digest() + body, b"INSIGHT2" + hashlib.sha256(body).digest() + body]


@pytest.mark.parametrize("variant", [0, 1])
def test_a_forged_cache_file_in_a_loose_folder_never_runs(tmp_path: Path, variant: int) -> None:
    data = tmp_path / "data"
    marker = tmp_path / "pwned"
    first = Store(data)
    first.get_or_compute("fp", "fit", None, lambda: "honest")
    (path,) = (data / "cache").glob("*/*/*.joblib")
    path.write_bytes(_forged_entries(marker)[variant])
    for folder in (data, path.parent, path.parent.parent):
        os.chmod(folder, 0o777)

    store = Store(data)  # what the server does at start: open the store, read the demo's results
    assert store.get_or_compute("fp", "fit", None, lambda: "recomputed") == "recomputed"
    assert not marker.exists()
    for folder in (data, path.parent, path.parent.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert store.computed["fit"] == 1 and store.disk_error is None


def test_an_entry_copied_under_another_key_is_not_read(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.get_or_compute("fp", "a", None, lambda: "result of a")
    store.get_or_compute("fp", "b", None, lambda: "result of b")
    a, b = (store._path("fp", cache_key("fp", step)) for step in ("a", "b"))
    b.write_bytes(a.read_bytes())  # a valid signature, on the wrong entry
    fresh = Store(tmp_path)
    assert fresh.get_or_compute("fp", "a", None, lambda: "refit") == "result of a"
    assert fresh.get_or_compute("fp", "b", None, lambda: "refit") == "refit"


def test_a_data_folder_of_another_user_is_refused_with_the_reason(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(os, "getuid", lambda: os.stat(tmp_path).st_uid + 1)
    with pytest.raises(UnsafeFolder, match="belongs to another user"):
        secure_tree(tmp_path)
    store = Store(tmp_path)
    assert store.root is None and "another user" in store.disk_error
    assert store.get_or_compute("fp", "fit", None, lambda: 7) == 7  # memory still works


def test_a_forged_share_file_is_refused_unread(tmp_path: Path) -> None:
    registry = ShareRegistry(tmp_path)
    token = registry.create([("orders.csv", b"customer,amount\na,1\n")], {"page": "x"}, fingerprint="fp", days=1)
    assert registry.open(token).files == [("orders.csv", b"customer,amount\na,1\n")]
    (path,) = (tmp_path / "shares").glob("*/0.bin")
    raw = path.read_bytes()
    path.write_bytes(raw[: -len(b"a,1\n")] + b"a,9\n")
    os.chmod(path.parent, 0o777)
    fresh = ShareRegistry(tmp_path)
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    with pytest.raises(InsightError, match="changed on the server"):
        fresh.open(token)


# --- the pseudonym key ------------------------------------------------------------------------------------


def test_an_empty_key_file_is_replaced_and_what_was_cached_with_it_is_dropped(tmp_path: Path) -> None:
    (tmp_path / "secret.key").write_bytes(b"")
    weak = deployment_key(tmp_path)
    assert len(weak) >= MIN_KEY_BYTES and (tmp_path / "secret.key").read_bytes() == weak
    assert stat.S_IMODE((tmp_path / "secret.key").stat().st_mode) == 0o600

    (tmp_path / "secret.key").write_bytes(b"short")  # a key someone cut short, used by an older version
    deployment_key.cache_clear()
    old = Store(tmp_path, key=b"short")  # what the older server signed with
    old.get_or_compute("fp", "dataset", None, lambda: pseudonym("bob@example.com", b"short"))
    new_key = deployment_key(tmp_path)
    assert new_key != b"short" and len(new_key) >= MIN_KEY_BYTES
    store = Store(tmp_path)
    assert store.get_or_compute("fp", "dataset", None, lambda: pseudonym("bob@example.com", new_key)) == pseudonym(
        "bob@example.com", new_key
    )
    assert store.computed["dataset"] == 1
    store.purge()
    assert not [p for p in (tmp_path / "cache").iterdir() if p.name != store._version]


@pytest.mark.parametrize("value", ["", "abc", "x" * (MIN_KEY_BYTES - 1)])
def test_an_empty_or_short_key_setting_stops_with_a_clear_message(tmp_path: Path, monkeypatch, value: str) -> None:
    monkeypatch.setenv(SECRET_ENV, value)
    with pytest.raises(SecretKeyError, match=f"at least {MIN_KEY_BYTES}"):
        check_secret_setting()
    with pytest.raises(SecretKeyError):
        deployment_key(tmp_path)
    assert not (tmp_path / "secret.key").exists()
    monkeypatch.setenv(SECRET_ENV, "k" * MIN_KEY_BYTES)
    deployment_key.cache_clear()
    assert deployment_key(tmp_path) == b"k" * MIN_KEY_BYTES


def test_a_full_disk_never_leaves_an_empty_key(tmp_path: Path, monkeypatch) -> None:
    real_fdopen = os.fdopen

    class FullDisk(io.RawIOBase):
        def __init__(self, fd: int) -> None:
            self.inner = real_fdopen(fd, "wb")

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

        def fileno(self) -> int:
            return self.inner.fileno()

        def close(self) -> None:
            self.inner.close()
            super().close()

    with monkeypatch.context() as patch:
        patch.setattr(secret_module.os, "fdopen", lambda fd, mode="r": FullDisk(fd))
        key = deployment_key(tmp_path)
    assert len(key) >= MIN_KEY_BYTES  # this process still pseudonymises, with a key of its own
    assert not (tmp_path / "secret.key").exists() and not list(tmp_path.glob(".secret.key*"))

    deployment_key.cache_clear()
    after = deployment_key(tmp_path)  # the restart, with space again
    assert len((tmp_path / "secret.key").read_bytes()) == MIN_KEY_BYTES == len(after)


@pytest.mark.parametrize("where", ["environment", "secrets"])
def test_the_app_stops_with_the_reason_on_an_empty_key_setting(monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    monkeypatch.setenv(SECRET_ENV, "")  # restored after the test, whichever way it is set below
    at = AppTest.from_file(str(ROOT / "main.py"), default_timeout=120)
    if where == "secrets":
        monkeypatch.delenv(SECRET_ENV)
        at.secrets["secret_key"] = ""
    at.run()
    assert not at.exception
    assert [e.value for e in at.error if f"at least {MIN_KEY_BYTES}" in e.value]
    assert not at.metric and not at.dataframe  # nothing was read, pseudonymised or cached with it
