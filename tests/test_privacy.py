"""What reaches the disk: pseudonyms only without a share, files 0600, and nothing left once a link goes."""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import joblib
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import ui
from insight.data import build_dataset_with_lookup
from insight.store import Housekeeper, ShareRegistry, Store, cache, default_store
from tests.conftest import ROOT
from ui import share_registry

N = 40
NAMES = [f"Zelda Quixote{i:02d}" for i in range(N)]
EMAILS = [f"zelda.q{i:02d}@private-mail.test" for i in range(N)]
PHONES = [f"+44 7700 9{i:05d}" for i in range(N)]
ADDRESSES = [f"{i + 1} Hidden Lane, Nowhere" for i in range(N)]
CLEAR = [*NAMES, *EMAILS, *PHONES, *ADDRESSES]


def _customers_csv() -> bytes:
    frame = pd.DataFrame(
        {
            "customer_id": [f"K{i:03d}" for i in range(N)],
            "full_name": NAMES,
            "email": EMAILS,
            "phone": PHONES,
            "address": ADDRESSES,
            "age": [20 + i for i in range(N)],
        }
    )
    return frame.to_csv(index=False).encode()


def _orders_csv() -> bytes:
    rows = [f"O{i}-{k},K{i:03d},2025-0{1 + k}-1{i % 9},{10 + i + k}" for i in range(N) for k in range(1 + i % 3)]
    return ("order_id,customer_id,order_date,amount\n" + "\n".join(rows)).encode()


FILES = [("customers.csv", _customers_csv(), "text/csv"), ("orders.csv", _orders_csv(), "text/csv")]


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A data directory of this test's own: the app's store and share catalog both live there."""
    root = tmp_path / "data"
    monkeypatch.setenv("INSIGHT_DATA_DIR", str(root))
    monkeypatch.setattr(cache, "_default", None)
    ui.share_registry.clear()
    yield root
    ui.share_registry.clear()


def _stored_text(path: Path) -> bytes:
    """A file's bytes as a reader of the disk would get them: cache entries unpacked (they are compressed)."""
    raw = path.read_bytes()
    if raw.startswith(cache._MAGIC):
        return pickle.dumps(joblib.load(io.BytesIO(raw[len(cache._MAGIC) + 32 :])))
    return raw


def _clear_values_on_disk(root: Path) -> dict[str, list[str]]:
    found = {}
    for path in root.rglob("*"):
        if path.is_file():
            text = _stored_text(path)
            hits = [v for v in CLEAR if v.encode() in text]
            if hits:
                found[str(path.relative_to(root))] = hits[:3]
    return found


def _modes(root: Path) -> dict[str, str]:
    """Files that are not 0600 and folders that are not 0700."""
    wrong = {}
    for path in [root, *root.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode != (0o700 if path.is_dir() else 0o600):
            wrong[str(path.relative_to(root))] = oct(mode)
    return wrong


def _app() -> AppTest:
    return AppTest.from_file(str(ROOT / "main.py"), default_timeout=300)


def test_the_dataset_holds_pseudonyms_and_the_lookup_holds_the_clear_values() -> None:
    ds, lookup = build_dataset_with_lookup([(n, b) for n, b, _ in FILES], pii_key=b"k")
    assert ds.pii_columns == ["full_name", "email", "phone", "address"]
    blob = pickle.dumps(ds)
    assert not [v for v in CLEAR if v.encode() in blob]
    customers = ds.table("customers").frame
    assert customers["email"].str.startswith("anon-").all() and customers["age"].tolist() == list(range(20, 60))
    joined = ds.customers[["customer_id", "email"]].merge(lookup, on="customer_id", suffixes=("_pseudonym", ""))
    assert sorted(joined["email"]) == EMAILS and joined["email_pseudonym"].str.startswith("anon-").all()


@pytest.mark.slow
def test_an_upload_leaves_no_personal_data_on_disk_and_only_private_files(data_dir: Path) -> None:
    owner = _app().switch_page("app_pages/data.py").run()
    owner.file_uploader(key="data_upload").set_value(FILES).run()
    assert not owner.exception and owner.session_state["dataset"].name == "customers.csv, orders.csv"
    for page in ("app_pages/overview.py", "app_pages/data.py"):  # the overview runs every analysis and the report
        owner.switch_page(page).run()
        assert not owner.exception, owner.exception
    assert len(list(data_dir.rglob("*.joblib"))) >= 5  # the dataset and its analyses are cached ...
    assert _clear_values_on_disk(data_dir) == {}  # ... as pseudonyms only
    assert _modes(data_dir) == {}

    # the owner still sees the clear values, from this session alone
    owner.toggle(key="data_show_pii").set_value(True).run()
    shown = pd.concat([df.value for df in owner.dataframe]).to_csv()
    assert EMAILS[0] in shown and NAMES[-1] in shown
    other = _app().switch_page("app_pages/data.py").run()
    assert "personal_data" not in other.session_state

    # a second owner of the same files gets the dataset from the store (pseudonyms only), and the clear values
    # are read back from their own upload, into their own session
    other.file_uploader(key="data_upload").set_value(FILES).run()
    assert "personal_data" not in other.session_state
    other.toggle(key="data_show_pii").set_value(True).run()
    assert not other.exception and NAMES[0] in pd.concat([df.value for df in other.dataframe]).to_csv()
    assert other.session_state["personal_data"][0] == owner.session_state["dataset"].fingerprint
    assert _clear_values_on_disk(data_dir) == {}


@pytest.mark.slow
def test_revoking_a_link_deletes_its_files_and_every_result_cached_from_it(data_dir: Path) -> None:
    owner = _app().switch_page("app_pages/data.py").run()
    owner.file_uploader(key="data_upload").set_value(FILES).run()
    owner.checkbox(key="share_consent").check().run()
    owner.button(key="btn_share_create").click().run()
    (link,) = share_registry().links(owner.session_state["dataset"].fingerprint)
    token = link.token
    share_folder = data_dir / "shares" / hashlib.sha256(token.encode()).hexdigest()
    assert sorted(p.name for p in share_folder.iterdir()) == ["0.bin", "1.bin"]  # what the owner consented to
    assert _modes(data_dir) == {}

    viewer = _app()
    viewer.query_params["view"] = token
    viewer.run()
    viewer.switch_page("app_pages/segments.py").run()
    assert not viewer.exception and viewer.session_state["read_only"] is True
    assert "personal_data" not in viewer.session_state  # the viewer never holds the clear values
    fingerprint = viewer.session_state["dataset"].fingerprint
    cached = list(default_store()._folder(fingerprint).glob("*.joblib"))
    assert len(cached) >= 3

    owner.button(key=f"btn_revoke_{token[:12]}").click().run()
    assert not owner.exception and not share_registry().links(owner.session_state["dataset"].fingerprint)
    assert not share_folder.exists()
    assert not default_store()._folder(fingerprint).exists()
    assert fingerprint not in default_store()._keys_of
    assert _clear_values_on_disk(data_dir) == {}
    again = _app()
    again.query_params["view"] = token
    again.run()
    assert any("revoked" in e.value for e in again.error) and again.session_state["dataset"] is None


def test_expiry_deletes_what_the_link_stored(tmp_path: Path) -> None:
    store = Store(tmp_path)
    registry = ShareRegistry(tmp_path, store=store)
    token = registry.create([("a.csv", b"secret bytes")], {"page": "x"}, fingerprint="fp-1", days=1)
    store.get_or_compute("fp-1", "fit", None, lambda: "a result from the shared data")
    store.get_or_compute("fp-2", "fit", None, lambda: "someone else's result")
    assert registry.purge_expired(now=time.time() + 2 * 86400) == 1
    assert not list((tmp_path / "shares").iterdir())
    assert not store._folder("fp-1").exists() and "fp-1" not in store._keys_of
    assert store._folder("fp-2").exists() and "fp-2" in store._keys_of
    with pytest.raises(Exception, match="expired"):
        registry.open(token, now=time.time() + 2 * 86400)


def test_share_folders_the_catalog_does_not_know_are_deleted(tmp_path: Path) -> None:
    registry = ShareRegistry(tmp_path)
    registry.create([("a.csv", b"secret bytes")], {"page": "x"})
    (tmp_path / "catalog.sqlite").unlink()  # the links are gone; their files must not stay forever
    old = time.time() - 2 * 3600
    for folder in (tmp_path / "shares").iterdir():
        os.utime(folder, (old, old))
    ShareRegistry(tmp_path)
    assert not list((tmp_path / "shares").iterdir())


def test_expired_links_are_purged_on_a_schedule(tmp_path: Path) -> None:
    registry = ShareRegistry(tmp_path)
    registry.create([("a.csv", b"x")], {}, days=1, now=time.time() - 2 * 86400)  # expired after it was opened
    rounds = threading.Semaphore(0)
    keeper = Housekeeper([registry.purge_expired, rounds.release], every_seconds=0.01).start()
    try:
        assert rounds.acquire(timeout=30) and rounds.acquire(timeout=30)  # ran, and ran again
    finally:
        keeper.stop()
    assert not list((tmp_path / "shares").glob("*/*.bin"))


def test_stale_cache_entries_and_other_code_versions_are_purged(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.get_or_compute("fp", "old", None, lambda: 1)
    store.get_or_compute("fp", "fresh", None, lambda: 2)
    (stale,) = [p for p in store._folder("fp").glob("*.joblib") if p.name.startswith(cache.cache_key("fp", "old"))]
    week3 = time.time() - 21 * 86400
    os.utime(stale, (week3, week3))
    leftover = tmp_path / "cache" / "0123456789abcdef" / "x" / "k.joblib"  # an older version of the code
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"old")
    assert store.purge() == 2
    assert not stale.exists() and not leftover.parent.parent.exists()
    assert len(list(store._folder("fp").glob("*.joblib"))) == 1
