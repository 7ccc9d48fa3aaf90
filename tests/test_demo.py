"""The demo shop: deterministic bytes, documented sizes, a truth frame aligned with the customers."""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pytest

from insight import demo
from insight.data import dataset
from insight.data.customers import BEHAVIOUR_COLUMNS
from insight.data.dataset import demo_files


@pytest.fixture(scope="module")
def shop() -> demo.DemoShop:
    return demo.generate()


def test_same_seed_gives_identical_bytes():
    a, b = demo.generate(seed=7, n_customers=400), demo.generate(seed=7, n_customers=400)
    assert a.files() == b.files()
    pd.testing.assert_frame_equal(a.truth, b.truth)
    assert demo.generate(seed=8, n_customers=400).files() != a.files()


def test_default_demo_files_are_the_seed_0_shop(shop):
    assert shop.files() == demo_files()
    assert [name for name, _ in shop.files()] == ["customers.csv", "orders.csv", "feedback.csv", "ratings.csv"]


def test_sizes_are_as_documented(shop):
    assert len(shop.customers) == 2000
    assert 25_000 <= len(shop.orders) <= 30_000
    assert len(shop.feedback) == 3000
    assert 2_000 <= len(shop.ratings) <= 10_000
    dates = pd.to_datetime(shop.orders["date"])
    assert dates.min() >= demo.START and dates.max() <= demo.END + pd.Timedelta(days=1)
    assert (dates.max() - dates.min()).days > 600  # about two years of orders


def test_truth_is_aligned_with_customers(shop):
    assert shop.truth["customer_id"].tolist() == shop.customers["customer_id"].tolist()
    assert shop.customers["customer_id"].iloc[0] == "C00001"
    assert shop.customers["customer_id"].is_unique
    assert set(shop.truth["segment"]) == set(demo.SEGMENTS)
    assert shop.truth["churned"].dtype == bool
    assert 0.2 < shop.truth["churned"].mean() < 0.8
    categories = set(shop.orders["category"])
    assert set(shop.truth["favorite_category"]) <= categories
    known = set(shop.customers["customer_id"])
    assert set(shop.orders["customer_id"].dropna()) <= known
    assert set(shop.feedback["customer_id"]) <= known
    assert set(shop.ratings["customer_id"]) <= known


def test_returns_are_c_invoices_with_negative_quantities(shop):
    orders = shop.orders
    is_c = orders["invoice"].str.startswith("C")
    assert 0.02 < is_c.mean() < 0.15
    assert (orders.loc[is_c, "quantity"] < 0).all()
    assert (orders.loc[~is_c, "quantity"] > 0).all()
    assert orders["customer_id"].isna().mean() == pytest.approx(0.01, abs=0.005)  # guest checkouts
    assert orders.duplicated().sum() >= 1  # planted exact copies for the quality report


def test_planted_signals_are_there(shop):
    feedback = shop.feedback
    assert feedback["stars"].between(1, 5).all()
    assert shop.ratings["rating"].between(1, 5).all()
    mentions = feedback["comment"].str.lower().str.contains(demo.COMPLAINT_TOPIC)
    assert mentions[feedback["stars"] <= 2].mean() > 3 * mentions[feedback["stars"] >= 4].mean()
    assert set(demo.CHURN_DRIVERS) <= set(BEHAVIOUR_COLUMNS)
    favourite = shop.truth.set_index("customer_id")["favorite_category"]
    bought = shop.orders.dropna(subset=["customer_id"])
    share = (bought["category"].to_numpy() == favourite.reindex(bought["customer_id"]).to_numpy()).mean()
    assert share > 0.6  # most of what a customer buys is from their favourite category


@pytest.mark.parametrize("seed", [0, 1, 123])
def test_a_quick_choice_draws_what_numpys_choice_draws(seed):
    """The demo draws its categorical values with `demo._Choice` (fast); each draw is the one `rng.choice` would
    make, so the shop stays the same shop (and its cached results stay valid) whichever way it is drawn."""
    weights = [0.52, 0.45, 0.03]
    weighted, plain = demo._Choice(["a", "b", "c"], weights), demo._Choice(list(range(26)))
    quick, reference = np.random.default_rng(seed), np.random.default_rng(seed)
    for _ in range(2000):  # interleaved, as in the shop, so a differing draw would shift all that follow
        assert weighted(quick) == reference.choice(["a", "b", "c"], p=weights)
        assert plain(quick) == reference.choice(list(range(26)))
        assert quick.random() == reference.random()


def test_sessions_opening_the_app_at_once_generate_the_demo_once(monkeypatch):
    """Several first visitors at once wait for one generation of the demo instead of each running it."""
    calls, generate = [], demo.generate

    def counted() -> demo.DemoShop:
        calls.append(dataset._DEMO_LOCK.locked())  # the others wait on the lock meanwhile
        return generate(seed=3, n_customers=50)

    monkeypatch.setattr(demo, "generate", counted)
    dataset._demo_files.cache_clear()
    try:
        got: list = []
        threads = [threading.Thread(target=lambda: got.append(demo_files())) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        dataset._demo_files.cache_clear()  # the next test gets the real demo again
    assert calls == [True]
    assert len(got) == 4 and all(files == got[0] for files in got)
