"""Recommendations from purchases: `implicit`'s models, top-n by partition, and the ranking evaluation on sparse
matrices checked against slow loops written out by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from insight import recommend as R
from insight.errors import NotEnoughData
from insight.recommend.implicit_models import IMPLICIT_MODELS
from insight.recommend.ranking import top_items, top_unseen


def _purchase_log(customers: int = 120, items: int = 30, seed: int = 0) -> pd.DataFrame:
    """Order lines of customers in 3 taste groups (group g buys items i with i % 3 == g, one line in ten anything)
    over 60 days, some items bought in several orders and a few returned."""
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(customers):
        mine = np.arange(c % 3, items, 3)
        for order in range(int(rng.integers(2, 7))):
            day = pd.Timestamp("2025-01-01") + pd.Timedelta(days=int(rng.integers(0, 60)))
            for _ in range(int(rng.integers(1, 5))):
                i = rng.choice(mine) if rng.random() < 0.9 else rng.integers(items)
                rows.append((f"C{c:03d}", f"I{i:02d}", f"O{c}-{order}", 1.0, day))
    lines = pd.DataFrame(rows, columns=["customer_id", "item_id", "order_id", "quantity", "timestamp"])
    returned = lines.sample(15, random_state=seed).assign(quantity=-1.0, order_id=lambda d: "R" + d["order_id"])
    return pd.concat([lines, returned], ignore_index=True)


@pytest.fixture(scope="module")
def purchases() -> R.Interactions:
    return R.make_interactions(R.implicit_ratings(_purchase_log()), "implicit")


# --- top-n by partition --------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 3, 10, 25])
@pytest.mark.parametrize("distinct", [2, 5, 1000])
def test_top_items_equal_a_stable_sort_with_ties_and_unofferable_items(n: int, distinct: int) -> None:
    rng = np.random.default_rng(n * distinct)
    scores = rng.integers(0, distinct, (60, 25)).astype(float)
    scores[rng.random(scores.shape) < 0.3] = -np.inf
    scores[0] = -np.inf  # a customer who has bought everything
    expected = np.argsort(-scores, axis=1, kind="stable")[:, :n]
    assert np.array_equal(top_items(scores, n), expected)


@pytest.mark.parametrize("n", [1, 4, 30])
def test_one_ranking_for_everyone_skips_each_customers_items_as_a_sort_would(n: int) -> None:
    rng = np.random.default_rng(n)
    popularity = rng.integers(0, 6, 25).astype(float)  # many ties
    bought = rng.random((40, 25)) < 0.3
    bought[3] = True  # a customer who has everything
    seen = sparse.csr_matrix(bought.astype(float))
    scores = np.tile(popularity, (40, 1))
    scores[seen.nonzero()] = -np.inf
    expected = np.argsort(-scores, axis=1, kind="stable")[:, :n]
    expected = np.where(np.isfinite(np.take_along_axis(scores, expected, axis=1)), expected, -1)
    got = top_unseen(np.argsort(-popularity, kind="stable"), seen, n)
    assert np.array_equal(got[:, : expected.shape[1]], expected) and (got[:, expected.shape[1] :] == -1).all()


# --- evaluation against slow loops ---------------------------------------------------------------------------


def _slow_metrics(rec: R.Recommender, relevant: pd.DataFrame, n: int) -> dict[str, float]:
    """Each held-out customer's list by sorting their own scores in Python, then the metrics one customer at a time."""
    precision, recall, hit, ndcg = [], [], [], []
    for customer, held in relevant.groupby("customer_id", sort=False):
        wanted = set(held["item_id"])
        listed: list[str] = []
        if customer in rec.customer_index_:
            row = rec.scores(np.array([rec.customer_index_.get_loc(customer)]))[0]
            ranked = sorted(range(len(row)), key=lambda i: (-row[i], i))
            listed = [rec.items_[i] for i in ranked[:n] if math.isfinite(row[i])]
        gains = [1 / math.log2(rank + 2) for rank, item in enumerate(listed) if item in wanted]
        ideal = sum(1 / math.log2(rank + 2) for rank in range(min(len(wanted), n)))
        precision.append(len(gains) / n)
        recall.append(len(gains) / len(wanted))
        hit.append(float(bool(gains)))
        ndcg.append(sum(gains) / ideal)
    return {
        f"precision_at_{n}": float(np.mean(precision)),
        f"recall_at_{n}": float(np.mean(recall)),
        "hit_rate": float(np.mean(hit)),
        f"ndcg_at_{n}": float(np.mean(ndcg)),
    }


@pytest.mark.parametrize("model", ["ALS", "Item-item (BM25)", R.POPULARITY])
@pytest.mark.parametrize("n", [3, 10])
def test_vectorised_evaluation_equals_a_slow_loop(purchases: R.Interactions, model: str, n: int) -> None:
    train, relevant = R.holdout_split(purchases)
    unknown = pd.DataFrame({"customer_id": ["C000"], "item_id": ["never-sold"], "rating": [3.0]})
    relevant = pd.concat([relevant, unknown], ignore_index=True)  # an item no model knows counts, as a miss
    fast = R.evaluate_ranking(train, relevant, model, n=n)
    slow = _slow_metrics(R.Recommender(model).fit(train), relevant, n)
    assert fast == pytest.approx(slow, rel=1e-12)
    assert relevant["customer_id"].nunique() > 30 and 0 < fast["hit_rate"] < 1


def test_ranking_metrics_by_hand_with_ndcg() -> None:
    recs = pd.DataFrame(
        {"customer_id": ["a", "a", "a", "b", "b"], "rank": [1, 2, 3, 1, 2], "item_id": ["x", "y", "z", "x", "w"]}
    )
    relevant = pd.DataFrame({"customer_id": ["a", "a", "b", "c"], "item_id": ["y", "q", "v", "x"]})
    m = R.ranking_metrics(recs, relevant, n=2)
    # a: hit at rank 2 of 2 wanted -> (1/log2 3) / (1 + 1/log2 3); b and c: nothing
    assert m["ndcg_at_2"] == pytest.approx((1 / math.log2(3)) / (1 + 1 / math.log2(3)) / 3)
    assert m["hit_rate"] == pytest.approx(1 / 3) and m["recall_at_2"] == pytest.approx(1 / 6)


# --- implicit's models ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", list(IMPLICIT_MODELS))
def test_purchase_models_offer_ten_new_distinct_items_scored_as_the_library_does(
    purchases: R.Interactions, model: str
) -> None:
    rec = R.Recommender(model).fit(purchases)
    top = rec.top_n(10)
    assert not top.duplicated(["customer_id", "item_id"]).any()
    bought = purchases.ratings[["customer_id", "item_id"]]  # returned items included: never offered again
    assert top.merge(bought, on=["customer_id", "item_id"]).empty
    assert top.groupby("customer_id").size().gt(5).mean() > 0.9
    users = np.arange(len(rec.customers_))
    every = len(rec.items_)
    ids, scores = rec.algo_.recommend(users, rec.weights_[users], N=every, filter_already_liked_items=False)
    theirs = np.full((len(users), every), -np.inf)
    listed = (ids >= 0) & (scores > np.finfo(np.float32).min)  # the places they fill with "nothing"
    theirs[np.nonzero(listed)[0], ids[listed]] = scores[listed]
    theirs[rec.seen_.nonzero()] = -np.inf
    np.testing.assert_allclose(rec.scores(users), theirs, rtol=1e-5, atol=1e-6)


def test_purchase_models_find_the_planted_taste_and_beat_popularity(purchases: R.Interactions) -> None:
    comp = R.compare_models(purchases)
    assert list(comp.table.index) == [*R.IMPLICIT_QUICK, R.POPULARITY]
    assert comp.table["rmse"].isna().all()  # made-up stars are never scored as if they were ratings
    assert comp.best != R.POPULARITY
    best, popular = comp.table.loc[comp.best], comp.table.loc[R.POPULARITY]
    assert best["hit_rate"] > popular["hit_rate"] + 0.15 and best["ndcg_at_10"] > popular["ndcg_at_10"]
    top = R.Recommender(comp.best).fit(purchases).top_n(3)
    assert (top["customer_id"].str[1:].astype(int) % 3 == top["item_id"].str[1:].astype(int) % 3).mean() > 0.8


def test_popularity_wins_on_purchases_without_taste() -> None:
    """Everyone buys the same few best sellers at random: no model can beat popularity, and the app says so."""
    rng = np.random.default_rng(1)
    weights = 1 / np.arange(1, 31) ** 1.5
    rows = [
        (f"C{c:03d}", f"I{i:02d}", f"O{c}-{o}", 1.0, pd.Timestamp("2025-01-01") + pd.Timedelta(days=o))
        for c in range(200)
        for o in range(4)
        for i in rng.choice(30, 2, replace=False, p=weights / weights.sum())
    ]
    log = pd.DataFrame(rows, columns=["customer_id", "item_id", "order_id", "quantity", "timestamp"])
    comp = R.compare_models(R.make_interactions(R.implicit_ratings(log), "implicit"))
    assert comp.best == R.POPULARITY
    assert "most popular items predict" in comp.verdict.reason


def test_similar_items_of_purchase_models_share_the_planted_group(purchases: R.Interactions) -> None:
    for model in ("ALS", "Item-item (cosine)"):
        near = R.Recommender(model).fit(purchases).similar_items("I03", n=5, method="model")
        assert "I03" not in set(near["item_id"])
        assert (near["item_id"].str[1:].astype(int) % 3 == 0).mean() >= 0.8


def test_models_offered_follow_the_source() -> None:
    assert set(R.model_names("implicit")) == set(IMPLICIT_MODELS)
    assert "SVD" in R.model_names("ratings") and "ALS" not in R.model_names("ratings")
    assert R.comparison_models("implicit") == R.IMPLICIT_QUICK
    assert set(R.comparison_models("implicit", full=True)) == set(IMPLICIT_MODELS)


def test_purchases_bought_once_each_are_learnt_from_but_single_items_are_not() -> None:
    """Purchase models learn what goes together, so one order per item is enough; one kept item per customer is not."""
    log = _purchase_log().drop_duplicates(["customer_id", "item_id"])  # every item in one order: all 3 stars
    inter = R.make_interactions(R.implicit_ratings(log), "implicit")
    assert inter.ratings["rating"].eq(3.0).all()
    assert R.compare_models(inter).best != R.POPULARITY
    single = log.drop_duplicates("customer_id")
    with pytest.raises(NotEnoughData, match="No customer kept two or more different items"):
        R.make_interactions(R.implicit_ratings(single), "implicit")
