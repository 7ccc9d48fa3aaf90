"""Recommendations: implicit ratings, Surprise-equal fast top-N, evaluation, fallbacks, similar items."""

from __future__ import annotations

from functools import cached_property
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from insight import recommend as R
from insight.errors import InsightError, NotEnoughData, SchemaError
from insight.pipeline import Pipeline
from insight.recommend import models, recommender
from insight.recommend.fast_scores import pairwise_scores
from insight.report import summary
from tests.conftest import SHARED_DATA


def _grouped_ratings(n_customers: int = 60, n_items: int = 30, groups: int = 3, seed: int = 0) -> pd.DataFrame:
    """Customers of group g rate group g's items high and the others low; about 12 ratings each."""
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(n_customers):
        g = c % groups
        for i in rng.choice(n_items, 12, replace=False):
            liked = i % groups == g
            rating = rng.choice([4, 5]) if liked else rng.choice([1, 2])
            rows.append(
                (f"C{c:03d}", f"I{i:02d}", float(rating), pd.Timestamp("2025-01-01") + pd.Timedelta(days=int(i)))
            )
    return pd.DataFrame(rows, columns=["customer_id", "item_id", "rating", "timestamp"])


@pytest.fixture(scope="module")
def grouped() -> R.Interactions:
    return R.make_interactions(_grouped_ratings(), "ratings")


def _surprise_ranking(algo, customers, n: int = 10) -> dict[str, list[str]]:
    """Top-n by Surprise's own `predict` over each customer's unseen items, sorted as in Surprise's FAQ."""
    ts = algo.trainset
    out = {}
    for cid in customers:
        u = ts.to_inner_uid(cid)
        seen = {j for j, _ in ts.ur[u]}
        preds = [algo.predict(cid, ts.to_raw_iid(i)) for i in ts.all_items() if i not in seen]
        preds.sort(key=lambda p: p.est, reverse=True)
        out[cid] = [p.iid for p in preds[:n]]
    return out


# --- ratings -----------------------------------------------------------------------------------------------


def test_implicit_ratings_count_orders_and_net_off_returns() -> None:
    day = pd.Timestamp("2025-03-01")
    lines = [
        ("A", "once", "o1", 1, day),
        ("A", "twice", "o1", 1, day),
        ("A", "twice", "o2", 2, day + pd.Timedelta(days=5)),
        ("A", "often", "o1", 1, day),
        ("A", "often", "o2", 1, day),
        ("A", "often", "o3", 4, day),
        ("A", "kept_some", "o2", 3, day),
        ("A", "kept_some", "r1", -1, day + pd.Timedelta(days=9)),
        ("A", "sent_back", "o3", 2, day + pd.Timedelta(days=2)),
        ("A", "sent_back", "r2", -2, day + pd.Timedelta(days=12)),
        ("B", "only_returned", "r3", -1, day),
    ]
    tx = pd.DataFrame(lines, columns=["customer_id", "item_id", "order_id", "quantity", "timestamp"])
    out = R.implicit_ratings(tx).set_index(["customer_id", "item_id"])
    stars = out["rating"].to_dict()
    assert stars == {
        ("A", "once"): 3.0,
        ("A", "twice"): 4.0,
        ("A", "often"): 5.0,
        ("A", "kept_some"): 2.0,
        ("A", "sent_back"): 1.0,
    }
    assert out.loc[("A", "twice"), "timestamp"] == day  # first purchase, not the latest
    assert out.loc[("A", "sent_back"), "timestamp"] == day + pd.Timedelta(days=2)


def test_implicit_ratings_need_customer_and_item() -> None:
    with pytest.raises(SchemaError, match="item_id"):
        R.implicit_ratings(pd.DataFrame({"customer_id": ["a"], "quantity": [1]}))


def test_explicit_ratings_average_repeats_and_scale_comes_from_the_data() -> None:
    df = _grouped_ratings().assign(rating=lambda d: d["rating"] / 2 + 0.5)  # 1-5 stars -> 1.0-3.0
    df = pd.concat([df, df.iloc[[0]].assign(rating=3.0)], ignore_index=True)
    inter = R.make_interactions(R.explicit_ratings(df), "ratings")
    assert inter.rating_scale == (1.0, 3.0)
    assert len(inter.ratings) == len(df) - 1
    first = inter.ratings.iloc[0]
    assert first["rating"] == pytest.approx((df.iloc[0]["rating"] + 3.0) / 2)


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (pd.DataFrame({"customer_id": ["a"] * 3, "item_id": ["x", "y", "z"], "rating": [1.0, 2.0, 3.0]}), "at least"),
        (
            pd.DataFrame({"customer_id": list("abcdeabcde"), "item_id": list("xxxxxyyyyy"), "rating": [4.0] * 10}),
            "nothing to learn",
        ),
    ],
)
def test_make_interactions_refuses_data_it_cannot_learn_from(frame: pd.DataFrame, message: str) -> None:
    with pytest.raises(NotEnoughData, match=message):
        R.make_interactions(frame, "ratings")


def test_dataset_without_ratings_or_orders_is_explained() -> None:
    ds = SimpleNamespace(table=lambda kind: None, transactions=lambda: None)
    assert R.sources(ds) == []
    with pytest.raises(SchemaError, match="ratings file"):
        R.interactions_from_dataset(ds)


def test_unknown_model_names_the_choices() -> None:
    with pytest.raises(InsightError, match="SVD\\+\\+"):
        R.Recommender("SuperSVD")
    with pytest.raises(InsightError, match="Wrong parameters for SVD"):
        R.make_algo("SVD", {"n_factorz": 3})


def test_registry_covers_the_issue_models() -> None:
    for name in ("SVD", "SVD++", "NMF", "BaselineOnly", "SlopeOne", "CoClustering"):
        assert name in R.MODELS
    knn = [m for m in R.MODELS if m.startswith("KNN")]
    assert len(knn) == 3 * 2 * 3


# --- fast top-N -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model",
    [
        "SVD",
        "SVD++",
        "NMF",
        "BaselineOnly",
        "KNNBasic (item, cosine)",
        "KNNWithMeans (item, pearson)",
        "KNNBaseline (item, msd)",
        "KNNWithMeans (user, msd)",
        "KNNBasic (user, cosine)",
        "SlopeOne",
        "CoClustering",
    ],
)
def test_top_n_equals_surprise_predict_ranking(grouped: R.Interactions, model: str) -> None:
    rec = R.Recommender(model).fit(grouped)
    customers = list(rec.customers_[:15])
    ours = rec.top_n(10, customers).groupby("customer_id")["item_id"].apply(list).to_dict()
    assert ours == _surprise_ranking(rec.algo_, customers)


_KNN_FEW = {"k": 3, "min_k": 2}  # few neighbours: the k cut, ties at it and min_k fallbacks all happen
_DOT_PRODUCT_MODELS = ("SVD", "SVD++", "NMF")  # one BLAS matrix product adds q_i . p_u in another order
_SCORER_CASES = [(m, {}) for m in R.MODELS] + [(m, _KNN_FEW) for m in R.MODELS if m.startswith("KNN")]


def _sparse_ratings(seed: int = 0) -> pd.DataFrame:
    """40 customers with 2-8 random 1-5 star ratings of 25 items: sparse enough for Surprise's fallbacks."""
    rng = np.random.default_rng(seed)
    rows = [
        (f"C{c:02d}", f"I{i:02d}", float(rng.integers(1, 6)))
        for c in range(40)
        for i in rng.choice(25, rng.integers(2, 9), replace=False)
    ]
    return pd.DataFrame(rows, columns=["customer_id", "item_id", "rating"])


@pytest.fixture(scope="module")
def sparse() -> R.Interactions:
    return R.make_interactions(_sparse_ratings(), "ratings")


def _per_pair_scores(rec: R.Recommender, users: np.ndarray) -> np.ndarray:
    slow = pairwise_scores(rec.algo_, users, rec.rating_scale_)
    slow[rec.seen_[users].nonzero()] = -np.inf
    return slow


@pytest.mark.parametrize(("model", "params"), _SCORER_CASES, ids=[f"{m}{' k3' if p else ''}" for m, p in _SCORER_CASES])
def test_scores_at_once_equal_surprise_estimate_per_pair(
    sparse: R.Interactions, grouped: R.Interactions, model: str, params: dict
) -> None:
    for interactions in (sparse, grouped):
        rec = R.Recommender(model, params=params).fit(interactions)
        users = np.arange(len(rec.customers_))
        fast, slow = rec.scores(users), _per_pair_scores(rec, users)
        if model in _DOT_PRODUCT_MODELS:
            np.testing.assert_allclose(fast, slow, rtol=0, atol=1e-12)
        else:
            assert np.array_equal(fast, slow), f"{np.sum(fast != slow)} scores differ"


def _unrated_predictions(algo) -> list:
    ts = algo.trainset
    return [
        algo.predict(ts.to_raw_uid(u), ts.to_raw_iid(i))
        for u in ts.all_users()
        for i in set(ts.all_items()) - {j for j, _ in ts.ur[u]}
    ]


def test_the_sparse_data_takes_every_surprise_fallback(sparse: R.Interactions) -> None:
    """The comparison above proves the fallbacks only if Surprise takes them on this data."""
    basic = R.Recommender("KNNBasic (item, pearson)", params=_KNN_FEW).fit(sparse).algo_
    assert sum(p.details["was_impossible"] for p in _unrated_predictions(basic)) > 50  # -> default_prediction()
    means = R.Recommender("KNNWithMeans (user, pearson)", params=_KNN_FEW).fit(sparse).algo_
    actual_k = [p.details["actual_k"] for p in _unrated_predictions(means)]
    assert actual_k.count(0) > 20 and actual_k.count(1) > 20  # no positive neighbour; fewer than min_k
    assert max(actual_k) == 3  # and the k cut
    slope = R.Recommender("SlopeOne").fit(sparse).algo_
    ts = slope.trainset
    alone = [
        (u, i) for u in ts.all_users() for i in ts.all_items() if not any(slope.freq[i, j] > 0 for j, _ in ts.ur[u])
    ]
    assert alone  # items sharing no rater with anything the customer rated: the customer's mean


def test_knn_neighbours_with_equal_similarity_keep_surprise_rating_order() -> None:
    """Three raters of X are equally similar to U (msd 1: same rating of A); with k=2 Surprise takes the
    first two in the order X's ratings were loaded (V3 then V1: (5 + 1) / 2 = 3), not by customer id."""
    rows = [("V1", "A", 4), ("V2", "A", 4), ("V3", "A", 4), ("U", "A", 4), ("V3", "X", 5), ("V1", "X", 1)]
    rows += [("V2", "X", 3), ("W", "B", 2), ("W", "C", 5), ("W", "D", 1)]
    frame = pd.DataFrame(rows, columns=["customer_id", "item_id", "rating"]).astype({"rating": float})
    rec = R.Recommender("KNNBasic (user, msd)", params={"k": 2}).fit(R.make_interactions(frame, "ratings"))
    u, x = rec.customer_index_.get_loc("U"), rec.item_index_.get_loc("X")
    assert rec.scores([u])[0, x] == rec.algo_.predict("U", "X").est == 3.0


def test_scores_refuse_ids_of_unknown_customers(grouped: R.Interactions) -> None:
    rec = R.Recommender("SlopeOne").fit(grouped)
    with pytest.raises(ValueError, match="Inner user ids"):
        rec.scores(rec.customer_index_.get_indexer(["nobody"]))


@pytest.mark.shared_data
@pytest.mark.slow
@pytest.mark.parametrize("model", [m for m in R.MODELS if m not in R.FACTOR_MODELS])
def test_scores_equal_surprise_per_pair_on_movielens(shared_data, model: str) -> None:
    """200 MovieLens customers (about 22,000 ratings of 1,300 films): every score of 5 of them, for each model
    whose scores are neighbour sums (the factor models' MovieLens check is the SVD ranking test below)."""
    df = pd.read_csv(shared_data / "ml100k_ratings.csv").rename(columns={"user_id": "customer_id"})
    df = df[df["customer_id"].isin(df["customer_id"].drop_duplicates().sample(200, random_state=2))]
    rec = R.Recommender(model).fit(R.make_interactions(R.explicit_ratings(df), "ratings"))
    users = np.random.default_rng(0).choice(len(rec.customers_), 5, replace=False)
    fast, slow = rec.scores(users), _per_pair_scores(rec, users)
    assert np.array_equal(fast, slow), f"{np.sum(fast != slow)} scores differ"


def test_top_n_scores_are_surprise_estimates_and_skip_known_items(grouped: R.Interactions) -> None:
    rec = R.Recommender("SVD", params={"n_factors": 5}).fit(grouped)
    top = rec.top_n(10)
    assert top.groupby("customer_id").size().eq(10).all()
    assert len(top.merge(grouped.ratings, on=["customer_id", "item_id"])) == 0
    row = top.iloc[3]
    assert row["score"] == pytest.approx(rec.algo_.predict(row["customer_id"], row["item_id"]).est, abs=1e-12)
    assert top["score"].between(1.0, 5.0).all()


def test_top_n_finds_the_planted_taste(grouped: R.Interactions) -> None:
    top = R.Recommender("SVD++").fit(grouped).top_n(3)
    group_of = top["customer_id"].str[1:].astype(int) % 3
    item_group = top["item_id"].str[1:].astype(int) % 3
    assert (group_of == item_group).mean() > 0.8


@pytest.mark.shared_data
def test_top_n_equals_surprise_on_movielens_sample() -> None:
    df = pd.read_csv(SHARED_DATA / "ml100k_ratings.csv").rename(columns={"user_id": "customer_id"})
    inter = R.make_interactions(R.explicit_ratings(df), "ratings")
    rec = R.Recommender("SVD").fit(inter)
    customers = list(pd.Series(rec.customers_).sample(40, random_state=1))
    ours = rec.top_n(10, customers).groupby("customer_id")["item_id"].apply(list).to_dict()
    assert ours == _surprise_ranking(rec.algo_, customers)


def test_top_n_batches_follow_the_memory_budget(grouped: R.Interactions, monkeypatch) -> None:
    rec = R.Recommender("KNNWithMeans (user, msd)").fit(grouped)
    whole = rec.top_n(10)
    row_bytes = 8 * recommender._SCORE_ROW_COPIES * len(rec.items_) + 12 * len(rec.customers_)
    monkeypatch.setattr(recommender, "MEMORY_BUDGET_BYTES", 7 * row_bytes + row_bytes // 2)
    batches = []
    scores = rec.scores
    monkeypatch.setattr(rec, "scores", lambda users: batches.append(len(users)) or scores(users))
    pd.testing.assert_frame_equal(rec.top_n(10), whole)
    assert batches == [7] * 8 + [4]  # 60 customers, 7 rows of scores and similarities at a time


@pytest.mark.parametrize(
    ("model", "customers", "allowed"),
    [
        ("KNNBasic (user, pearson)", 101, False),  # 7 arrays: 7 * 8 * 101**2 bytes > the budget
        ("KNNBasic (user, msd)", 101, True),  # 3 arrays fit
        ("KNNBasic (item, pearson)", 101, True),  # compares the 20 items, not the customers
        ("SVD", 10_000, True),
    ],
)
def test_similarity_models_refuse_data_over_the_memory_budget(
    monkeypatch, model: str, customers: int, allowed: bool
) -> None:
    monkeypatch.setattr(models, "MEMORY_BUDGET_BYTES", 7 * 8 * 100**2)
    frame = pd.DataFrame(
        {
            "customer_id": [f"C{c}" for c in range(customers)],
            "item_id": [f"I{c % 20}" for c in range(customers)],
            "rating": [float(1 + c % 5) for c in range(customers)],
        }
    )
    if allowed:
        models._check_size(model, frame)
        return
    with pytest.raises(InsightError, match=r"101 customers, which needs about .* \(up to 100 customers\)") as err:
        R.Recommender(model).fit(R.make_interactions(frame, "ratings"))
    assert "item-based" in str(err.value)


def test_item_matrices_are_built_once_on_first_use_and_never_by_model_comparisons(
    grouped: R.Interactions, sparse: R.Interactions, monkeypatch
) -> None:
    builds = []
    build = R.Recommender.together_.func
    counted = cached_property(lambda self: builds.append(self.model) or build(self))
    counted.__set_name__(R.Recommender, "together_")
    monkeypatch.setattr(R.Recommender, "together_", counted)
    R.compare_models(grouped, ("SVD", "KNNBasic (item, cosine)"), folds=2)
    assert builds == []
    rec = R.Recommender("BaselineOnly").fit(grouped)
    R.recommend_all(rec, n=3)
    rec.similar_items("I03", method="cobought")
    assert builds == ["BaselineOnly"]
    together = (rec.known_.T @ rec.known_).toarray()
    assert np.array_equal(rec.together_.toarray(), together)
    expected = together / np.sqrt(np.outer(np.diag(together), np.diag(together)))
    np.fill_diagonal(expected, 0.0)
    np.testing.assert_allclose(rec.cosine_.toarray(), expected, rtol=1e-6)
    rec.fit(sparse)  # a refit forgets the last data's matrices
    assert rec.cosine_.shape == (len(rec.items_), len(rec.items_)) == (25, 25)
    assert builds == ["BaselineOnly", "BaselineOnly"]


# --- exclusions, cold start, reasons ----------------------------------------------------------------------


def test_excluded_purchases_are_never_recommended(grouped: R.Interactions) -> None:
    plain = R.Recommender("BaselineOnly").fit(grouped).top_n(2)
    bought = plain[plain["rank"] == 1][["customer_id", "item_id"]]
    rec = R.Recommender("BaselineOnly").fit(grouped, exclude=bought)
    again = rec.top_n(10)
    assert len(again.merge(bought, on=["customer_id", "item_id"])) == 0
    assert len(again) == len(plain) // 2 * 10


def test_cold_start_customers_get_labelled_popular_items(grouped: R.Interactions) -> None:
    rec = R.Recommender("SVD").fit(grouped, exclude=pd.DataFrame({"customer_id": ["NEW2"], "item_id": ["I00"]}))
    segments = pd.Series({c: f"g{int(c[1:]) % 3}" for c in rec.customers_} | {"NEW1": "g1", "NEW2": "g2", "NEW3": "zz"})
    out = R.reasons_in_words(
        R.recommend_all(rec, ["C000", "NEW1", "NEW2", "NEW3"], n=5, segments=segments, segment_name="group")
    )
    by = out.groupby("customer_id")
    assert set(by.get_group("C000")["basis"]) == {R.BASIS_MODEL}
    new1 = by.get_group("NEW1")
    assert set(new1["basis"]) == {R.BASIS_SEGMENT}
    assert new1["reason"].iloc[0] == "Popular with customers like you (group: g1)"
    assert (new1["item_id"].str[1:].astype(int) % 3 == 1).all()  # group 1 likes items i % 3 == 1
    assert "I00" not in set(by.get_group("NEW2")["item_id"])
    assert set(by.get_group("NEW3")["basis"]) == {R.BASIS_OVERALL}
    assert by.size().eq(5).all()


def test_reasons_point_to_a_liked_item_of_the_customer(grouped: R.Interactions) -> None:
    rec = R.Recommender("SVD++").fit(grouped)
    out = R.reasons_in_words(R.recommend_all(rec, n=5))
    similar = out[out["reason"].str.startswith("Similar to")]
    assert len(similar) > 0.3 * len(out)
    liked = grouped.ratings[grouped.liked()]
    for _, row in similar.head(30).iterrows():
        item = row["reason"].removeprefix("Similar to ").split(",")[0]
        assert ((liked["customer_id"] == row["customer_id"]) & (liked["item_id"] == item)).any()
    assert set(out["reason"]) - set(similar["reason"]) <= {"Liked by customers with similar taste"}


def test_customer_history_is_most_recent_first(grouped: R.Interactions) -> None:
    catalog = pd.DataFrame({"name": {"I05": "Five"}, "text": {"I05": "Five"}})
    hist = R.customer_history(grouped, "C001", catalog)
    assert len(hist) == 12
    assert hist["timestamp"].is_monotonic_decreasing
    assert set(hist["item_name"]) - {"Five"} <= set(hist["item_id"])


# --- similar items ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "method", "data"),
    [("SVD++", "model", "ratings"), ("KNNBasic (item, pearson)", "auto", "ratings"), ("SVD", "cobought", "liked")],
)
def test_similar_items_share_the_planted_group(model: str, method: str, data: str) -> None:
    ratings = _grouped_ratings(n_customers=150, seed=3)
    if data == "liked":  # who bought what: only the items each customer liked
        inter = R.make_interactions(ratings[ratings["rating"] >= 4].reset_index(drop=True), "implicit")
    else:
        inter = R.make_interactions(ratings, "ratings")
    rec = R.Recommender(model).fit(inter)
    near = rec.similar_items("I03", n=5, method=method)
    assert len(near) == 5 and "I03" not in set(near["item_id"])
    assert (near["item_id"].str[1:].astype(int) % 3 == 0).mean() >= 0.8


def test_similar_items_explains_missing_model_similarity(grouped: R.Interactions) -> None:
    rec = R.Recommender("BaselineOnly").fit(grouped)
    with pytest.raises(InsightError, match="cobought"):
        rec.similar_items("I01", method="model")
    with pytest.raises(InsightError, match="no ratings"):
        rec.similar_items("nope")


def test_content_index_finds_items_with_shared_words() -> None:
    names = pd.Series(
        {"a": "Espresso Beans Coffee", "b": "Espresso Cups Cups", "c": "Earl Grey Tea", "d": "Green Tea", "e": "Mug"}
    )
    index = R.ContentIndex().fit(names)
    assert index.neighbours("c")["item_id"].tolist() == ["d"]
    assert index.neighbours("a", n=1)["item_id"].tolist() == ["b"]
    with pytest.raises(NotEnoughData):
        R.ContentIndex().fit(pd.Series({"a": "the"}))


# --- evaluation ---------------------------------------------------------------------------------------------


def test_holdout_keeps_each_customers_latest_liked_items(grouped: R.Interactions) -> None:
    train, test = R.holdout_split(grouped, share=0.25, max_items=2)
    assert len(train.ratings) + 2 * 60 == len(grouped.ratings)
    assert test["rating"].ge(4).all()
    merged = grouped.ratings.merge(test[["customer_id", "item_id"]], on=["customer_id", "item_id"])
    latest = grouped.ratings.groupby("customer_id")["timestamp"].nlargest(2).groupby(level=0).min()
    assert (merged["timestamp"].to_numpy() >= latest.reindex(merged["customer_id"]).to_numpy()).all()


def test_ranking_metrics_by_hand() -> None:
    recs = pd.DataFrame(
        {"customer_id": ["a", "a", "a", "b", "b"], "rank": [1, 2, 3, 1, 2], "item_id": ["x", "y", "z", "x", "w"]}
    )
    relevant = pd.DataFrame({"customer_id": ["a", "a", "b", "c"], "item_id": ["y", "q", "v", "x"]})
    m = R.ranking_metrics(recs, relevant, n=2)
    assert m["precision_at_2"] == pytest.approx((1 / 2 + 0 + 0) / 3)
    assert m["recall_at_2"] == pytest.approx((1 / 2 + 0 + 0) / 3)
    assert m["hit_rate"] == pytest.approx(1 / 3)


def test_compare_models_picks_lowest_rmse_for_explicit_ratings(grouped: R.Interactions) -> None:
    comp = R.compare_models(grouped, ("SVD", "BaselineOnly", "KNNBasic (user, pearson)"), folds=3)
    assert list(comp.table.index) == ["SVD", "BaselineOnly", "KNNBasic (user, pearson)", R.POPULARITY]
    assert comp.best == comp.table["rmse"].drop(R.POPULARITY).idxmin()
    assert np.isnan(comp.table.loc[R.POPULARITY, "rmse"])
    assert comp.table[["precision_at_10", "recall_at_10", "hit_rate"]].notna().all().all()


# --- the demo shop and MovieLens ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(demo_pipeline: Pipeline):
    return demo_pipeline.ds


def test_demo_recommendations_from_purchases_beat_popularity(demo_pipeline: Pipeline) -> None:
    inter = demo_pipeline.interactions("implicit")
    assert inter.source == "implicit" and inter.rating_scale == (1.0, 5.0)
    comp = demo_pipeline.rec_comparison("implicit")  # R.compare_models(inter) with the purchase models
    best, baseline = comp.table.loc[comp.best], comp.table.loc[R.POPULARITY]
    print(f"demo hit rate: {comp.best} {best['hit_rate']:.3f} vs popularity {baseline['hit_rate']:.3f}")
    assert best["hit_rate"] > baseline["hit_rate"] + 0.1
    assert best["precision_at_10"] > baseline["precision_at_10"]


def test_demo_catalog_names_every_item(demo) -> None:
    catalog = R.item_catalog(demo)
    assert len(catalog) == 48
    assert catalog.loc["SKU-101", "name"] == "Espresso Beans"
    assert "Coffee" in catalog.loc["SKU-101", "text"]


def test_summary_on_the_demo(demo, demo_pipeline: Pipeline) -> None:
    out = summary.recommendations(demo_pipeline)
    assert out["source"] == "ratings"  # the demo has a ratings file: it is used as it is
    assert set(out["metrics"]) == {*R.QUICK_COMPARISON, R.POPULARITY}
    assert out["best_model"] == min(R.QUICK_COMPARISON, key=lambda m: out["metrics"][m]["rmse"])
    assert out["metrics"][R.POPULARITY]["rmse"] is None
    assert out["items"] == 48
    assert out["users_covered"] == len(demo.customers)  # as on the Overview: everyone gets a list (new: the popular)


@pytest.fixture(scope="module")
def movielens() -> R.Interactions:
    df = pd.read_csv(SHARED_DATA / "ml100k_ratings.csv").rename(columns={"user_id": "customer_id"})
    return R.make_interactions(
        R.explicit_ratings(df.assign(timestamp=pd.to_datetime(df["timestamp"], unit="s"))), "ratings"
    )


@pytest.mark.shared_data
def test_movielens_svd_rmse_matches_surprise_published_figure(movielens: R.Interactions) -> None:
    assert len(movielens.ratings) == 100_000 and movielens.rating_scale == (1.0, 5.0)
    scores = R.cross_validate(movielens, "SVD", folds=5)
    assert scores["rmse"] == pytest.approx(0.934, abs=0.01)
    assert scores["mae"] == pytest.approx(0.737, abs=0.01)


@pytest.mark.shared_data
def test_movielens_comparison_on_a_subsample(movielens: R.Interactions) -> None:
    keep = pd.Series(movielens.ratings["customer_id"].unique()).sample(120, random_state=0)
    sample = R.make_interactions(movielens.ratings[movielens.ratings["customer_id"].isin(keep)], "ratings")
    models = ("SVD", "SVD++", "KNNBaseline (user, msd)", "BaselineOnly")
    comp = R.compare_models(sample, models, folds=3)
    assert list(comp.table.index) == [*models, R.POPULARITY]
    assert comp.table.loc[list(models), "rmse"].between(0.85, 1.1).all()
    assert comp.best == comp.table.loc[list(models), "rmse"].idxmin()
