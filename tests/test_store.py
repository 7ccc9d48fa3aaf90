"""The store: results cached per (fingerprint, step, params) in memory and on disk; share links; privacy."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from insight.data.export import neutralise_formulas, to_safe_csv
from insight.data.privacy import pseudonym, pseudonymise
from insight.errors import InsightError
from insight.store import ShareRegistry, Store, cache_key
from tests.conftest import ROOT


def test_second_call_is_served_from_memory(tmp_path: Path) -> None:
    store = Store(tmp_path)
    calls = []
    for _ in range(3):
        assert store.get_or_compute("fp", "fit", {"k": 3}, lambda: calls.append(1) or "model") == "model"
    assert len(calls) == 1 and store.computed["fit"] == 1


def test_parameters_and_fingerprint_are_part_of_the_key(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.get_or_compute("fp", "fit", {"k": 3}, lambda: 3)
    assert store.get_or_compute("fp", "fit", {"k": 4}, lambda: 4) == 4
    assert store.get_or_compute("other", "fit", {"k": 3}, lambda: 33) == 33
    assert store.computed["fit"] == 3
    assert cache_key("fp", "fit", {"a": 1, "b": 2}) == cache_key("fp", "fit", {"b": 2, "a": 1})


def test_a_new_store_on_the_same_directory_reads_from_disk(tmp_path: Path) -> None:
    Store(tmp_path).get_or_compute("fp", "fit", None, lambda: {"coef": [1.0, 2.0]})
    fresh = Store(tmp_path)
    value = fresh.get_or_compute("fp", "fit", None, lambda: pytest.fail("refitted"))
    assert value == {"coef": [1.0, 2.0]}
    assert fresh.disk_hits["fit"] == 1 and fresh.computed["fit"] == 0


RESTART_SCRIPT = """
import sys
sys.path.insert(0, {root!r})
from insight.store import Store
from sklearn.cluster import KMeans
import numpy as np
store = Store({root_dir!r})
X = np.random.default_rng(0).normal(size=(200, 2))
model = store.get_or_compute("fp", "kmeans", {{"k": 3}}, lambda: KMeans(3, n_init=3, random_state=0).fit(X))
print(store.computed["kmeans"], store.disk_hits["kmeans"], round(float(model.inertia_), 6))
"""


def test_restart_reuses_a_fitted_model_without_fitting(tmp_path: Path) -> None:
    script = RESTART_SCRIPT.format(root=str(ROOT), root_dir=str(tmp_path))
    runs = [
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120)
        for _ in range(2)
    ]
    first, second = (r.stdout.split() for r in runs)
    assert first[:2] == ["1", "0"]
    assert second[:2] == ["0", "1"]
    assert first[2] == second[2]


def test_corrupt_cache_file_is_detected_and_refitted(tmp_path: Path) -> None:
    Store(tmp_path).get_or_compute("fp", "fit", None, lambda: "good")
    (path,) = (tmp_path / "cache").glob("*/*/*.joblib")
    path.write_bytes(path.read_bytes()[:-5] + b"junk!")
    fresh = Store(tmp_path)
    assert fresh.get_or_compute("fp", "fit", None, lambda: "refitted") == "refitted"
    assert fresh.computed["fit"] == 1
    assert Store(tmp_path).get_or_compute("fp", "fit", None, lambda: "again") == "refitted"


def test_failed_disk_write_keeps_working_in_memory(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache folder should be")
    store = Store(blocker)
    with pytest.warns(UserWarning, match="kept in memory"):
        assert store.get_or_compute("fp", "fit", None, lambda: 42) == 42
    assert store.get_or_compute("fp", "fit", None, lambda: 0) == 42
    assert store.disk_error and not list(tmp_path.glob("**/*.tmp*"))


def _blob() -> bytes:
    return os.urandom(2_500)  # incompressible: about 2.5 KB on disk and in memory


def test_disk_budget_evicts_least_recently_used_not_first_written(tmp_path: Path) -> None:
    """blob0 is written first but read again after blob1: a least-recently-used policy evicts blob1, a
    first-in-first-out one would evict blob0."""
    store = Store(tmp_path, budget_bytes=8_500, memory_bytes=0)  # nothing in memory: every read goes to disk
    first = store.get_or_compute("fp", "blob0", None, _blob)
    store.get_or_compute("fp", "blob1", None, _blob)
    assert Store(tmp_path, memory_bytes=0).get_or_compute("fp", "blob0", None, _blob) == first  # a use, from disk
    for i in (2, 3):
        store.get_or_compute("fp", f"blob{i}", None, _blob)
    fresh = Store(tmp_path, budget_bytes=8_500, memory_bytes=0)
    assert fresh.get_or_compute("fp", "blob0", None, lambda: pytest.fail("blob0 was used recently")) == first
    fresh.get_or_compute("fp", "blob1", None, _blob)
    assert fresh.computed["blob1"] == 1  # the least recently used entry was the one evicted
    files = list((tmp_path / "cache").glob("*/*/*.joblib"))
    assert sum(f.stat().st_size for f in files) <= 8_500


def test_memory_budget_in_bytes_keeps_the_most_recently_used(tmp_path: Path) -> None:
    store = Store(None, memory_bytes=8_500)
    values = {i: store.get_or_compute("fp", f"blob{i}", None, _blob) for i in range(2)}
    assert store.get_or_compute("fp", "blob0", None, lambda: pytest.fail("in memory")) == values[0]
    for i in (2, 3):
        store.get_or_compute("fp", f"blob{i}", None, _blob)
    assert store.get_or_compute("fp", "blob0", None, lambda: pytest.fail("blob0 was used recently")) == values[0]
    assert store.get_or_compute("fp", "blob1", None, lambda: "recomputed") == "recomputed"
    assert store._memory_used <= 8_500
    huge = Store(None, memory_bytes=1_000)
    huge.get_or_compute("fp", "big", None, _blob)
    assert huge.get_or_compute("fp", "big", None, lambda: "again") == "again"  # larger than the budget: not kept


# --- share links ----------------------------------------------------------------------------------


def test_share_round_trip_and_token_strength(tmp_path: Path) -> None:
    reg = ShareRegistry(tmp_path)
    files = [("orders.csv", b"customer,amount\nA,1\n")]
    token = reg.create(files, {"page": "app_pages/segments.py", "seg_k": 4}, cleaning={"impute": "mean"})
    assert len(token) >= 43  # 32 random bytes, url-safe base64
    share = reg.open(token)
    assert share.files == files and share.view["seg_k"] == 4 and share.cleaning == {"impute": "mean"}
    assert token not in (tmp_path / "catalog.sqlite").read_bytes().decode("latin-1")


def test_expired_revoked_and_unknown_tokens_open_nothing(tmp_path: Path) -> None:
    reg = ShareRegistry(tmp_path)
    now = time.time()
    old = reg.create(None, {"page": "app_pages/overview.py"}, days=1, now=now - 2 * 86400)
    with pytest.raises(InsightError, match="expired"):
        reg.open(old)
    live = reg.create([("a.csv", b"x,y\n1,2\n")], {"page": "app_pages/data.py"})
    reg.revoke(live)
    with pytest.raises(InsightError, match="revoked"):
        reg.open(live)
    assert not list((tmp_path / "shares").glob("*/*.bin"))
    for bad in ("", "x" * 43, "../../etc/passwd", "' OR 1=1 --"):
        with pytest.raises(InsightError, match="not valid"):
            reg.open(bad)


def test_share_lifetime_is_validated(tmp_path: Path) -> None:
    with pytest.raises(InsightError, match="1 to 365 days"):
        ShareRegistry(tmp_path).create(None, {}, days=0)


# --- privacy and exports --------------------------------------------------------------------------


def test_pseudonyms_are_stable_keyed_and_not_the_value() -> None:
    a, b = b"k" * 32, b"j" * 32
    assert pseudonym("Ann@Example.com ", a) == pseudonym("ann@example.com", a)
    assert pseudonym("ann@example.com", a) != pseudonym("ann@example.com", b)
    assert "ann" not in pseudonym("ann@example.com", a)
    assert pseudonym(None, a) is None
    df = pseudonymise(pd.DataFrame({"email": ["x@y.io", None], "age": [3, 4]}), ["email"], a)
    assert df["email"].iloc[0].startswith("anon-") and pd.isna(df["email"].iloc[1]) and df["age"].tolist() == [3, 4]


def test_exports_neutralise_formula_injection() -> None:
    df = pd.DataFrame(
        {"note": ['=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(A1)", "\tx", "plain"], "n": [1, 2, 3, 4, 5, 6]}
    )
    safe = neutralise_formulas(df)
    assert safe["note"].tolist() == ['\'=HYPERLINK("http://x","y")', "'+1+1", "'-2", "'@SUM(A1)", "'\tx", "plain"]
    text = to_safe_csv(df).decode("utf-8-sig")
    assert "\n=" not in text and ",=" not in text and safe["n"].tolist() == [1, 2, 3, 4, 5, 6]


def test_exports_neutralise_formulas_in_the_header_too() -> None:
    df = pd.DataFrame(
        {
            '=HYPERLINK("http://evil.test","x")': ["a"],
            "+cmd|' /C calc'!A0": ["b"],
            "@SUM(A1)": ["  =1+1"],
            "－1": ["＝1+1"],
            "spend": [3],
        }
    )
    header, row = to_safe_csv(df).decode("utf-8-sig").splitlines()
    names = next(csv.reader([header]))
    assert names == ['\'=HYPERLINK("http://evil.test","x")', "'+cmd|' /C calc'!A0", "'@SUM(A1)", "'－1", "spend"]
    assert next(csv.reader([row])) == ["a", "b", "'  =1+1", "'＝1+1", "3"]


def test_the_table_toolbar_offers_no_raw_csv_download() -> None:
    """Streamlit's own "Download as CSV" exports cells and headers as uploaded; the app turns it off."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["disableDataExport"] is True


def test_concurrent_callers_share_one_computation(tmp_path: Path) -> None:
    import threading

    store = Store(tmp_path)
    calls, results = [], []
    release = threading.Event()

    def slow() -> str:
        calls.append(1)
        assert release.wait(timeout=60)  # held until every caller is waiting for this computation
        return "fitted"

    threads = [
        threading.Thread(target=lambda: results.append(store.get_or_compute("fp", "fit", None, slow))) for _ in range(8)
    ]
    for t in threads:
        t.start()
    key = cache_key("fp", "fit", None)
    while store._inflight.get(key, [None, 0])[1] < 8 and all(t.is_alive() for t in threads):
        threading.Event().wait(0.001)  # poll until all 8 callers have asked
    release.set()
    for t in threads:
        t.join()
    assert results == ["fitted"] * 8 and len(calls) == 1 and store.computed["fit"] == 1
    assert store._inflight == {}


def test_expired_links_lose_their_data_when_the_registry_opens(tmp_path: Path) -> None:
    ShareRegistry(tmp_path).create([("a.csv", b"x,y\n1,2\n")], {}, days=1, now=time.time() - 2 * 86400)
    assert len(list((tmp_path / "shares").glob("*/*.bin"))) == 1
    ShareRegistry(tmp_path)
    assert not list((tmp_path / "shares").glob("*/*.bin"))


def test_results_of_other_code_are_never_read_back(tmp_path, monkeypatch):
    from insight.store import cache as store_module

    old = Store(tmp_path)
    assert old.get_or_compute("fp", "fit", {"k": 3}, lambda: "fitted by the old code") == "fitted by the old code"
    monkeypatch.setattr(store_module, "code_version", lambda: "a-newer-version")
    new = Store(tmp_path)
    assert new.get_or_compute("fp", "fit", {"k": 3}, lambda: "fitted by the new code") == "fitted by the new code"
    assert new.computed["fit"] == 1


def test_a_step_the_data_cannot_support_fails_once_and_says_so_again(tmp_path: Path) -> None:
    from insight.errors import NotEnoughData

    store, calls = Store(tmp_path), []

    def too_few() -> None:
        calls.append(1)
        raise NotEnoughData("Churn models need at least 10 churned customers.")

    for _ in range(3):
        with pytest.raises(NotEnoughData, match="at least 10 churned"):
            store.get_or_compute("fp", "compare", None, too_few)
    with pytest.raises(NotEnoughData):
        store.peek("fp", "compare", None)
    assert len(calls) == 1 and not list((tmp_path / "cache").glob("**/*.joblib"))
