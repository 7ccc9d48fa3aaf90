"""Recommendations: what to offer each customer next.

Surprise models (matrix factorisation, neighbourhoods, baselines) are fitted on explicit ratings, or on
implicit ratings made from purchases (`implicit_ratings` says how). `compare_models` scores them by k-fold
RMSE / MAE and by precision, recall and hit rate on each customer's most recent items, next to a popularity
baseline. `Recommender.top_n` ranks every unseen item for every customer at once from the fitted factors and
biases (the same clipped estimate Surprise's `predict` gives, in the same order); `recommend_all` adds item
names, the reason for each pick, and a labelled popularity fallback for customers the model has never seen.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from surprise import (
    NMF,
    SVD,
    BaselineOnly,
    CoClustering,
    Dataset,
    KNNBaseline,
    KNNBasic,
    KNNWithMeans,
    Reader,
    SlopeOne,
    SVDpp,
    accuracy,
)
from surprise.model_selection import KFold
from surprise.prediction_algorithms.predictions import PredictionImpossible

from insight.errors import InsightError, NotEnoughData, SchemaError


def _registry() -> dict[str, tuple[type, dict[str, Any]]]:
    models: dict[str, tuple[type, dict[str, Any]]] = {
        "SVD": (SVD, {}),
        "SVD++": (SVDpp, {"cache_ratings": True}),
        "NMF": (NMF, {}),
        "BaselineOnly": (BaselineOnly, {"verbose": False}),
        "SlopeOne": (SlopeOne, {}),
        "CoClustering": (CoClustering, {}),
    }
    for cls in (KNNBasic, KNNWithMeans, KNNBaseline):
        for based in ("user", "item"):
            for sim in ("cosine", "pearson", "msd"):
                options = {"name": sim, "user_based": based == "user"}
                models[f"{cls.__name__} ({based}, {sim})"] = (cls, {"sim_options": options, "verbose": False})
    return models


MODELS = _registry()
"""Every model the app offers: name -> (Surprise class, default parameters)."""
FACTOR_MODELS = ("SVD", "SVD++", "NMF", "BaselineOnly")
"""Models whose scores `Recommender` computes for all items at once from fitted factors and biases."""
FULL_COMPARISON = (
    "SVD",
    "SVD++",
    "NMF",
    "BaselineOnly",
    "SlopeOne",
    "CoClustering",
    "KNNBasic (item, cosine)",
    "KNNWithMeans (user, pearson)",
    "KNNBaseline (item, msd)",
    "KNNBaseline (user, msd)",
)
QUICK_COMPARISON = ("SVD", "SVD++", "BaselineOnly", "KNNBaseline (item, msd)")
"""A handful of fast models: the CLI's and the page's default comparison."""
POPULARITY = "Popularity"
TOP_N = 10
_MAX_SIMILARITY_ROWS = 20_000


# --- ratings -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Interactions:
    """One rating per (customer, item), where it came from, and the rating scale."""

    ratings: pd.DataFrame
    source: str
    rating_scale: tuple[float, float]
    note: str

    def liked(self) -> pd.Series:
        """Which ratings count as "liked": the top quarter of the scale, or any purchase not returned."""
        lo, hi = self.rating_scale
        if self.source == "implicit":
            return self.ratings["rating"] > lo
        return self.ratings["rating"] >= lo + 0.75 * (hi - lo)


IMPLICIT_SCALE = (1.0, 5.0)
IMPLICIT_NOTE = (
    "Ratings made from purchases: bought in 1 order = 3 stars, 2 orders = 4, 3 or more = 5; one star less "
    "(not below 2) when some of it was returned, and 1 star when everything bought was returned."
)


def implicit_ratings(transactions: pd.DataFrame) -> pd.DataFrame:
    """Turn order lines into 1-5 ratings per (customer, item), returns netted off (see `IMPLICIT_NOTE`).

    Repeat buying is the strongest signal a shop has that a customer likes an item, so stars count the
    orders an item was bought in; returned quantities are subtracted, and an item returned in full is a
    dislike. `timestamp` is when the customer first bought the item.
    """
    need = {"customer_id", "item_id"} - set(transactions.columns)
    if need:
        raise SchemaError(
            f"The orders table has no {' or '.join(sorted(need))} column. Mark which columns hold the customer "
            "and the product on the Data page."
        )
    df = transactions.dropna(subset=["customer_id", "item_id"])
    qty = df["quantity"] if "quantity" in df else pd.Series(1.0, index=df.index)
    if "amount" in df and "quantity" not in df:
        qty = np.sign(df["amount"]).replace(0, 1)
    qty = qty.fillna(1.0).astype(float)
    order = df["order_id"] if "order_id" in df else df["timestamp"] if "timestamp" in df else df.index.to_series()
    frame = pd.DataFrame(
        {
            "customer_id": df["customer_id"].astype(str),
            "item_id": df["item_id"].astype(str),
            "bought": qty.clip(lower=0),
            "returned": (-qty).clip(lower=0),
            "order": order.astype(str).where(qty > 0),
        }
    )
    if "timestamp" in df:
        frame["timestamp"] = df["timestamp"].where(qty > 0)
    agg = {"bought": ("bought", "sum"), "returned": ("returned", "sum"), "orders": ("order", "nunique")}
    if "timestamp" in frame:
        agg["timestamp"] = ("timestamp", "min")
    pairs = frame.groupby(["customer_id", "item_id"], sort=True).agg(**agg).reset_index()
    pairs = pairs[pairs["bought"] > 0]
    stars = np.minimum(5, 2 + pairs["orders"].to_numpy())
    stars = np.where(pairs["returned"].to_numpy() > 0, np.maximum(2, stars - 1), stars)
    stars = np.where(pairs["returned"].to_numpy() >= pairs["bought"].to_numpy(), 1, stars)
    out = pairs[["customer_id", "item_id"]].assign(rating=stars.astype(float))
    if "timestamp" in pairs:
        out["timestamp"] = pairs["timestamp"]
    return out.reset_index(drop=True)


def explicit_ratings(ratings: pd.DataFrame) -> pd.DataFrame:
    """One rating per (customer, item): repeated ratings of a pair are averaged, keeping the latest time."""
    need = {"customer_id", "item_id", "rating"} - set(ratings.columns)
    if need:
        raise SchemaError(
            f"The ratings table has no {' or '.join(sorted(need))} column. Mark the customer, item and rating "
            "columns on the Data page."
        )
    df = ratings.dropna(subset=["customer_id", "item_id", "rating"]).copy()
    df["customer_id"] = df["customer_id"].astype(str)
    df["item_id"] = df["item_id"].astype(str)
    df["rating"] = pd.to_numeric(df["rating"], errors="coerce").astype(float)
    df = df.dropna(subset=["rating"])
    agg = {"rating": ("rating", "mean")}
    if "timestamp" in df:
        agg["timestamp"] = ("timestamp", "max")
    return df.groupby(["customer_id", "item_id"], sort=False).agg(**agg).reset_index()


def make_interactions(ratings: pd.DataFrame, source: str) -> Interactions:
    """Validate prepared ratings and read the rating scale from the data."""
    if len(ratings) < 10 or ratings["customer_id"].nunique() < 2 or ratings["item_id"].nunique() < 2:
        raise NotEnoughData(
            f"Recommendations need at least 10 ratings or purchases from 2+ customers on 2+ items; this data "
            f"has {len(ratings)} from {ratings['customer_id'].nunique()} customers. Upload more history."
        )
    lo, hi = float(ratings["rating"].min()), float(ratings["rating"].max())
    if lo == hi:
        fix = (
            "every item was bought in one order and kept; upload a longer order history"
            if source == "implicit"
            else "upload ratings that vary, or use the orders table instead"
        )
        raise NotEnoughData(f"Every rating is {lo:g}, so there is nothing to learn preferences from: {fix}.")
    if source == "implicit":
        lo, hi = IMPLICIT_SCALE
    note = IMPLICIT_NOTE if source == "implicit" else f"Customers' own ratings, scale {lo:g} to {hi:g}."
    return Interactions(ratings.reset_index(drop=True), source, (lo, hi), note)


def sources(ds: Any) -> list[str]:
    """Which rating sources a dataset offers: "ratings" (explicit) and/or "implicit" (from purchases)."""
    out = []
    if ds.table("ratings") is not None:
        out.append("ratings")
    tx = ds.transactions()
    if tx is not None and {"customer_id", "item_id"} <= set(tx.columns):
        out.append("implicit")
    return out


def interactions_from_dataset(ds: Any, source: str = "auto") -> Interactions:
    """The dataset's ratings table as it is, or implicit ratings from its orders ("auto": ratings first)."""
    available = sources(ds)
    if not available:
        raise SchemaError(
            "Recommendations need a ratings file (customer, item, rating) or an orders file with a customer and "
            "a product column. Upload one on the Data page."
        )
    if source == "auto":
        source = available[0]
    if source not in available:
        raise SchemaError(f"This dataset has no {source!r} data for recommendations; choose one of {available}.")
    if source == "ratings":
        return make_interactions(explicit_ratings(ds.table("ratings").standard()), "ratings")
    return make_interactions(implicit_ratings(ds.transactions()), "implicit")


def item_catalog(ds: Any) -> pd.DataFrame:
    """Item names and a short text per item (name plus per-item categories), indexed by item id (str)."""
    parts = []
    for table in [*ds.tables_of("ratings"), *ds.tables_of("transactions")]:
        roles = table.roles
        if "item_id" not in roles:
            continue
        cols = [c for c in [roles.get("item_name"), *roles.get("categorical", [])] if c in table.frame]
        ids = table.standard()["item_id"]  # the same clean ids the recommender uses ("123", not "123.0")
        frame = table.frame[ids.notna()]
        by_item = frame.groupby(ids[ids.notna()])
        names = by_item[cols[0]].first().astype(str) if roles.get("item_name") in cols else None
        constant = [c for c in cols if (by_item[c].nunique() > 1).mean() <= 0.05]  # item-level descriptions
        text = by_item[constant].first().astype(str).agg(" ".join, axis=1) if constant else None
        if names is not None or text is not None:
            index = (names if names is not None else text).index
            parts.append(
                pd.DataFrame(
                    {
                        "name": names if names is not None else index.to_series(),
                        "text": text if text is not None else names,
                    },
                    index=index,
                )
            )
    if not parts:
        return pd.DataFrame({"name": pd.Series(dtype=str), "text": pd.Series(dtype=str)})
    catalog = pd.concat(parts)
    return catalog[~catalog.index.duplicated()].rename_axis("item_id")


# --- models --------------------------------------------------------------------------------------------


def make_algo(model: str, params: dict[str, Any] | None = None, random_state: int = 0) -> Any:
    """A fresh Surprise algorithm for a model name from `MODELS`, with parameter overrides."""
    if model not in MODELS:
        raise InsightError(f"Unknown recommendation model {model!r}. Choose one of: {', '.join(MODELS)}.")
    cls, defaults = MODELS[model]
    kwargs = {**defaults, **(params or {})}
    if "random_state" in inspect.signature(cls).parameters:
        kwargs.setdefault("random_state", random_state)
    try:
        return cls(**kwargs)
    except TypeError as exc:
        raise InsightError(f"Wrong parameters for {model}: {exc}. Remove or rename them.") from exc


def _check_size(model: str, ratings: pd.DataFrame) -> None:
    sim = MODELS.get(model, (None, {}))[1].get("sim_options")
    if sim is None and model != "SlopeOne":
        return
    by = "customer_id" if sim is not None and sim["user_based"] else "item_id"
    count = ratings[by].nunique()
    if count > _MAX_SIMILARITY_ROWS:
        what = "customers" if by == "customer_id" else "items"
        raise InsightError(
            f"{model} compares every pair of {what}, and this data has {count:,} {what}: too many to fit in "
            "memory. Choose SVD or an item-based model instead."
        )


def _surprise_data(ratings: pd.DataFrame, rating_scale: tuple[float, float]) -> Dataset:
    return Dataset.load_from_df(ratings[["customer_id", "item_id", "rating"]], Reader(rating_scale=rating_scale))


class Recommender:
    """One fitted model (or the popularity baseline) and fast top-N lists for every customer.

    Parameters
    ----------
    model : a name from `MODELS`, or "Popularity" (items liked by the most customers).
    params : overrides of the model's Surprise parameters (e.g. {"n_factors": 50}).
    random_state : seed of the models that draw random numbers.

    Fitted attributes: `algo_` (the Surprise algorithm, None for popularity), `customers_` and `items_`
    (raw ids in Surprise's inner-id order), `known_` / `liked_` (customers x items, 1 where rated or bought
    / liked), `seen_` (known plus excluded pairs: never recommended), `popularity_` (customers who liked
    each item), `cold_seen_` (excluded items of customers the model does not know), `rating_scale_`,
    `source_`.
    """

    def __init__(self, model: str = "SVD", *, params: dict[str, Any] | None = None, random_state: int = 0) -> None:
        if model != POPULARITY and model not in MODELS:
            raise InsightError(f"Unknown recommendation model {model!r}. Choose one of: {', '.join(MODELS)}.")
        self.model = model
        self.params = dict(params or {})
        self.random_state = random_state

    def fit(self, interactions: Interactions, exclude: pd.DataFrame | None = None) -> Recommender:
        """Fit on every rating; the item order and known-item mask follow Surprise's trainset.

        `exclude` holds extra (customer_id, item_id) pairs never to recommend, e.g. purchases when the
        model learns from a ratings file that covers only some of them.
        """
        ratings = interactions.ratings
        _check_size(self.model, ratings)
        trainset = _surprise_data(ratings, interactions.rating_scale).build_full_trainset()
        self.customers_ = np.array([trainset.to_raw_uid(u) for u in range(trainset.n_users)], dtype=object)
        self.items_ = np.array([trainset.to_raw_iid(i) for i in range(trainset.n_items)], dtype=object)
        self.customer_index_ = pd.Index(self.customers_)
        self.item_index_ = pd.Index(self.items_)
        self.known_ = self._matrix(ratings)
        self.liked_ = self._matrix(ratings[interactions.liked().to_numpy()])
        self.popularity_ = np.asarray(self.liked_.sum(axis=0), dtype=float).ravel()
        self.seen_ = self.known_
        self.cold_seen_: dict[str, set[int]] = {}
        if exclude is not None and len(exclude):
            pairs = exclude[["customer_id", "item_id"]].astype(str).drop_duplicates()
            self.seen_ = self.known_.maximum(self._matrix(pairs))
            cold = pairs[self.customer_index_.get_indexer(pairs["customer_id"]) < 0]
            items = self.item_index_.get_indexer(cold["item_id"])
            for cid, i in zip(cold["customer_id"][items >= 0], items[items >= 0], strict=True):
                self.cold_seen_.setdefault(cid, set()).add(int(i))
        self.rating_scale_ = interactions.rating_scale
        self.source_ = interactions.source
        self.algo_ = None
        if self.model != POPULARITY:
            self.algo_ = make_algo(self.model, self.params, self.random_state).fit(trainset)
        self.together_ = (self.known_.T @ self.known_).tocsr()
        buyers = self.together_.diagonal()
        scale = sparse.diags(1.0 / np.sqrt(np.maximum(buyers, 1.0)))
        self.cosine_ = (scale @ self.together_ @ scale).tocsr()
        self.cosine_.setdiag(0.0)
        self.cosine_.eliminate_zeros()
        return self

    def _matrix(self, pairs: pd.DataFrame) -> sparse.csr_matrix:
        """customers x items, 1 for each (customer_id, item_id) pair the model knows both ends of."""
        rows = self.customer_index_.get_indexer(pairs["customer_id"])
        cols = self.item_index_.get_indexer(pairs["item_id"])
        ok = (rows >= 0) & (cols >= 0)
        shape = (len(self.customers_), len(self.items_))
        data = np.ones(int(ok.sum()), dtype=np.float32)
        matrix = sparse.csr_matrix((data, (rows[ok], cols[ok])), shape=shape)
        matrix.data[:] = 1.0  # duplicate pairs were summed
        return matrix

    def scores(self, users: np.ndarray) -> np.ndarray:
        """Scores of every item for the given inner user ids, with already-known items at -inf.

        For factor models this is Surprise's own estimate, computed for all items at once and clipped to
        the rating scale exactly like `predict`; other models call Surprise's `estimate` per pair.
        """
        users = np.asarray(users, dtype=int)
        algo = self.algo_
        if algo is None:
            est = np.tile(self.popularity_, (len(users), 1))
        elif self.model in FACTOR_MODELS:
            est = self._factor_scores(users)
        elif isinstance(algo, (KNNBasic, KNNWithMeans, KNNBaseline)) and not algo.sim_options.get("user_based", True):
            est = self._item_knn_scores(users)
        else:
            est = self._pairwise_scores(users)
        est[self.seen_[users].nonzero()] = -np.inf
        return est

    def _factor_scores(self, users: np.ndarray) -> np.ndarray:
        algo, ts = self.algo_, self.algo_.trainset
        biased = getattr(algo, "biased", True)
        est = np.zeros((len(users), ts.n_items))
        if biased:  # same addition order as Surprise: ((mean + b_u) + b_i) + q_i . p_u
            est = (ts.global_mean + algo.bu[users])[:, None] + algo.bi[None, :]
        if isinstance(algo, BaselineOnly):
            return np.clip(est, *self.rating_scale_)
        pu = algo.pu[users]
        if isinstance(algo, SVDpp):  # p_u + |I_u|^-1/2 * sum of y_j, summed in the user's rating order
            pu = pu.copy()
            for row, u in enumerate(users):
                rated = [j for j, _ in ts.ur[u]]
                pu[row] += np.cumsum(algo.yj[rated], axis=0)[-1] / np.sqrt(len(rated))
        est = est + pu @ algo.qi.T
        return np.clip(est, *self.rating_scale_)

    def _item_knn_scores(self, users: np.ndarray) -> np.ndarray:
        """Item-based KNN estimates of all items for each user at once, operation for operation as Surprise's
        `estimate` (neighbours in `heapq.nlargest` order, sums accumulated one neighbour at a time), so the
        scores are bit-identical and a customer costs one matrix slice instead of one Python call per item."""
        algo, ts = self.algo_, self.algo_.trainset
        lo, hi = self.rating_scale_
        est = np.full((len(users), ts.n_items), -np.inf)
        for row, u in enumerate(users):
            rated = np.array([j for j, _ in ts.ur[u]], dtype=int)
            ratings = np.array([r for _, r in ts.ur[u]], dtype=float)
            if isinstance(algo, KNNBaseline):  # each neighbour's rating less its baseline, as Surprise sums them
                ratings = ratings - ((ts.global_mean + algo.bx[rated]) + algo.by[u])
            elif isinstance(algo, KNNWithMeans):
                ratings = ratings - algo.means[rated]
            sims = algo.sim[:, rated]
            top = np.argsort(-sims, axis=1, kind="stable")[:, : algo.k]  # nlargest keeps ties in rating order
            sum_sim = np.zeros(ts.n_items)
            sum_ratings = np.zeros(ts.n_items)
            actual_k = np.zeros(ts.n_items, dtype=int)
            for col in range(top.shape[1]):
                nb = top[:, col]
                sim = np.take_along_axis(sims, nb[:, None], axis=1).ravel()
                r = ratings[nb]
                positive = sim > 0
                sum_sim = np.where(positive, sum_sim + sim, sum_sim)
                sum_ratings = np.where(positive, sum_ratings + sim * r, sum_ratings)
                actual_k += positive
            with np.errstate(divide="ignore", invalid="ignore"):
                if isinstance(algo, KNNBasic):
                    value = np.where(actual_k >= algo.min_k, sum_ratings / sum_sim, algo.default_prediction())
                else:
                    base = (ts.global_mean + algo.bu[u]) + algo.bi if isinstance(algo, KNNBaseline) else algo.means
                    sum_ratings = np.where(actual_k < algo.min_k, 0.0, sum_ratings)
                    value = np.where(sum_sim != 0, base + sum_ratings / sum_sim, base)
            est[row] = np.maximum(lo, np.minimum(hi, value))
            est[row, rated] = -np.inf
        return est

    def _pairwise_scores(self, users: np.ndarray) -> np.ndarray:
        algo, ts = self.algo_, self.algo_.trainset
        lo, hi = self.rating_scale_
        est = np.full((len(users), ts.n_items), -np.inf)
        for row, u in enumerate(users):
            rated = {j for j, _ in ts.ur[u]}
            for i in range(ts.n_items):
                if i in rated:
                    continue
                try:
                    value = algo.estimate(u, i)
                    value = value[0] if isinstance(value, tuple) else value
                except PredictionImpossible:
                    value = algo.default_prediction()
                est[row, i] = max(lo, min(hi, value))
        return est

    def top_n(self, n: int = TOP_N, customers: Iterable[str] | None = None, batch: int = 1024) -> pd.DataFrame:
        """The n best unseen items per known customer: customer_id, rank (1 = best), item_id, score.

        Ties keep Surprise's item order, so the lists equal ranking Surprise's `test()` predictions.
        """
        if customers is None:
            users = np.arange(len(self.customers_))
        else:
            users = self.customer_index_.get_indexer(pd.Index(list(customers), dtype=object))
            users = users[users >= 0]
        frames = []
        for start in range(0, len(users), batch):
            chunk = users[start : start + batch]
            est = self.scores(chunk)
            order = np.argsort(-est, axis=1, kind="stable")[:, :n]
            top = np.take_along_axis(est, order, axis=1)
            keep = np.isfinite(top)
            frames.append(
                pd.DataFrame(
                    {
                        "customer_id": np.repeat(self.customers_[chunk], order.shape[1])[keep.ravel()],
                        "rank": np.tile(np.arange(1, order.shape[1] + 1), len(chunk))[keep.ravel()],
                        "item_id": self.items_[order[keep]],
                        "score": top[keep],
                    }
                )
            )
        if not frames:
            return pd.DataFrame({"customer_id": [], "rank": [], "item_id": [], "score": []})
        return pd.concat(frames, ignore_index=True)

    def similar_items(self, item_id: str, n: int = TOP_N, method: str = "auto") -> pd.DataFrame:
        """Items most like `item_id`: item_id, similarity, together (customers who have both).

        method "cobought" ranks by cosine of who bought / rated them ("customers who bought this also
        bought"); "model" uses the fitted item factors or the model's item-item similarity; "auto" picks
        "model" when the model has either.
        """
        i = self.item_index_.get_indexer([item_id])[0]
        if i < 0:
            raise InsightError(f"Item {item_id!r} has no ratings or purchases yet; pick another item.")
        together = self.together_[i].toarray().ravel()
        algo = self.algo_
        has_factors = algo is not None and hasattr(algo, "qi")
        has_item_sim = algo is not None and getattr(algo, "sim_options", {}).get("user_based") is False
        if method not in ("auto", "model", "cobought"):
            raise InsightError(f"Unknown similarity method {method!r}; use 'auto', 'model' or 'cobought'.")
        if method == "model" and not (has_factors or has_item_sim):
            raise InsightError(f"{self.model} has no item factors or item similarities; use method='cobought'.")
        if method != "cobought" and has_factors:
            q = algo.qi / np.maximum(np.linalg.norm(algo.qi, axis=1, keepdims=True), 1e-12)
            sim = q @ q[i]
        elif method != "cobought" and has_item_sim:
            sim = np.asarray(algo.sim[i], dtype=float).copy()
        else:
            sim = self.cosine_[i].toarray().ravel()
        sim[i] = -np.inf
        order = np.argsort(-sim, kind="stable")[:n]
        order = order[np.isfinite(sim[order])]
        return pd.DataFrame({"item_id": self.items_[order], "similarity": sim[order], "together": together[order]})


# --- evaluation ----------------------------------------------------------------------------------------


def cross_validate(
    interactions: Interactions,
    model: str,
    *,
    folds: int = 5,
    params: dict[str, Any] | None = None,
    random_state: int = 0,
) -> dict[str, float]:
    """Mean RMSE and MAE of k-fold cross-validation (Surprise's KFold, shuffled with `random_state`)."""
    if len(interactions.ratings) < 2 * folds:
        raise NotEnoughData(f"{folds}-fold cross-validation needs at least {2 * folds} ratings; upload more.")
    _check_size(model, interactions.ratings)
    data = _surprise_data(interactions.ratings, interactions.rating_scale)
    rmse, mae = [], []
    for trainset, testset in KFold(n_splits=folds, random_state=random_state, shuffle=True).split(data):
        predictions = make_algo(model, params, random_state).fit(trainset).test(testset)
        rmse.append(accuracy.rmse(predictions, verbose=False))
        mae.append(accuracy.mae(predictions, verbose=False))
    return {"rmse": float(np.mean(rmse)), "mae": float(np.mean(mae))}


def holdout_split(
    interactions: Interactions,
    *,
    share: float = 0.2,
    min_items: int = 5,
    max_items: int = 10,
    random_state: int = 0,
) -> tuple[Interactions, pd.DataFrame]:
    """Hold out each customer's most recent items (a `share`, 1 to `max_items`) for ranking evaluation.

    Customers with fewer than `min_items` ratings stay whole in training. Without timestamps the held-out
    items are drawn at random. Returns the training interactions and the held-out rows the customer liked.
    """
    if not 0 < share < 1:
        raise InsightError(f"The hold-out share must be between 0 and 1; got {share}.")
    df = interactions.ratings.assign(_liked=interactions.liked().to_numpy())
    df["_tie"] = np.random.default_rng(random_state).random(len(df))
    keys = ["customer_id", "timestamp", "_tie"] if "timestamp" in df else ["customer_id", "_tie"]
    df = df.sort_values(keys, kind="stable")
    size = df.groupby("customer_id")["item_id"].transform("size")
    from_end = df.groupby("customer_id").cumcount(ascending=False)
    take = np.clip(np.ceil(share * size), 1, max_items)
    held = (size >= min_items) & (from_end < take)
    train = df.loc[~held, interactions.ratings.columns].sort_index()
    test = df.loc[held & df["_liked"], ["customer_id", "item_id", "rating"]]
    if test.empty:
        raise NotEnoughData(
            f"No customer has {min_items}+ ratings or purchases with a liked recent one, so recommendations "
            "cannot be checked against what customers did next. Upload more history."
        )
    return Interactions(train, interactions.source, interactions.rating_scale, interactions.note), test


def ranking_metrics(recs: pd.DataFrame, relevant: pd.DataFrame, n: int = TOP_N) -> dict[str, float]:
    """precision@n, recall@n and hit rate of top-n lists against each customer's held-out liked items."""
    top = recs[recs["rank"] <= n][["customer_id", "item_id"]]
    wanted = relevant.groupby("customer_id").size().rename("relevant")
    hits = top.merge(relevant[["customer_id", "item_id"]], on=["customer_id", "item_id"]).groupby("customer_id").size()
    hits = hits.reindex(wanted.index, fill_value=0)
    return {
        f"precision_at_{n}": float((hits / n).mean()),
        f"recall_at_{n}": float((hits / wanted).mean()),
        "hit_rate": float((hits > 0).mean()),
    }


def evaluate_ranking(
    train: Interactions,
    relevant: pd.DataFrame,
    model: str,
    *,
    params: dict[str, Any] | None = None,
    n: int = TOP_N,
    max_customers: int = 1000,
    random_state: int = 0,
) -> dict[str, float]:
    """Fit on `train`, recommend n unseen items to (up to `max_customers` of) the held-out customers."""
    customers = relevant["customer_id"].drop_duplicates()
    if len(customers) > max_customers:
        customers = customers.sample(max_customers, random_state=random_state)
        relevant = relevant[relevant["customer_id"].isin(customers)]
    rec = Recommender(model, params=params, random_state=random_state).fit(train)
    return ranking_metrics(rec.top_n(n, customers), relevant, n)


@dataclass(frozen=True)
class Comparison:
    """Models side by side: one row per model (rmse, mae, precision_at_10, recall_at_10, hit_rate, seconds)."""

    table: pd.DataFrame
    best: str
    source: str
    rule: str


def compare_models(
    interactions: Interactions,
    models: Sequence[str] = QUICK_COMPARISON,
    *,
    folds: int = 5,
    n: int = TOP_N,
    max_customers: int = 1000,
    random_state: int = 0,
) -> Comparison:
    """Cross-validate and rank-evaluate each model next to the popularity baseline, and pick the best.

    The pick is the lowest RMSE for explicit ratings and the highest hit rate (then precision) for
    implicit ones, where the rating values are made up and only the ranking matters.
    """
    import time

    if not models:
        raise InsightError("Choose at least one model to compare.")
    try:
        train, relevant = holdout_split(interactions, random_state=random_state)
    except NotEnoughData:  # too little history per customer: judge by rating error alone
        train = relevant = None
    rows = {}
    for model in [*models, POPULARITY]:
        start = time.perf_counter()
        row: dict[str, float] = dict.fromkeys(
            ["rmse", "mae", f"precision_at_{n}", f"recall_at_{n}", "hit_rate"], np.nan
        )
        if model != POPULARITY:
            row.update(cross_validate(interactions, model, folds=folds, random_state=random_state))
        if relevant is not None:
            row.update(
                evaluate_ranking(train, relevant, model, n=n, max_customers=max_customers, random_state=random_state)
            )
        row["seconds"] = time.perf_counter() - start
        rows[model] = row
    table = pd.DataFrame.from_dict(rows, orient="index").rename_axis("model")
    models_only = table.drop(index=POPULARITY)
    if interactions.source == "implicit" and relevant is not None:
        best = models_only.sort_values(["hit_rate", f"precision_at_{n}"], ascending=False, kind="stable").index[0]
        rule = f"highest hit rate on each customer's most recent purchases (top {n})"
    else:
        best = models_only["rmse"].idxmin()
        rule = f"lowest RMSE in {folds}-fold cross-validation"
    return Comparison(table, str(best), interactions.source, rule)


# --- recommendations for everyone ----------------------------------------------------------------------

BASIS_MODEL = "model"
BASIS_SEGMENT = "popular in segment"
BASIS_OVERALL = "popular overall"
_NEIGHBOURS_FOR_REASON = 10
_MIN_SEGMENT_CUSTOMERS = 5


def _reasons(rec: Recommender, top: pd.DataFrame, names: dict[str, str]) -> list[str]:
    """Why each model pick: similar to an item the customer liked, else liked by similar customers.

    "Similar" means the liked item is among the pick's 10 nearest items by who bought / rated both.
    """
    users = rec.customer_index_.get_indexer(top["customer_id"])
    items = rec.item_index_.get_indexer(top["item_id"])
    floor = np.full(len(rec.items_), np.inf)
    for i in np.unique(items):
        row = rec.cosine_.data[rec.cosine_.indptr[i] : rec.cosine_.indptr[i + 1]]
        k = _NEIGHBOURS_FOR_REASON
        floor[i] = np.partition(row, -k)[-k] if len(row) >= k else 0.0
    overlap = rec.cosine_[items].multiply(rec.liked_[users]).tocsr()
    best = overlap.max(axis=1).toarray().ravel()
    similar_to = np.asarray(overlap.argmax(axis=1)).ravel()
    verb = "bought" if rec.source_ == "implicit" else "rated highly"
    out = []
    for b, i, j in zip(best, items, similar_to, strict=True):
        if b > 0 and b >= floor[i]:
            item = rec.items_[j]
            out.append(f"Similar to {names.get(item, item)}, which you {verb}")
        else:
            out.append("Liked by customers with similar taste")
    return out


def _popular_lists(
    rec: Recommender, customers: pd.Index, n: int, segments: pd.Series | None, segment_name: str
) -> pd.DataFrame:
    """Top-n most liked items for customers the model does not know: within their segment, else overall."""
    overall = rec.popularity_
    by_segment: dict[Any, np.ndarray] = {}
    if segments is not None:
        seg = segments.astype(object).where(segments.notna(), None)
        train_seg = seg.reindex(pd.Index(rec.customers_)).to_numpy()
        for label in pd.unique(train_seg[pd.notna(train_seg)]):
            rows = np.flatnonzero(train_seg == label)
            if len(rows) >= _MIN_SEGMENT_CUSTOMERS:
                by_segment[label] = np.asarray(rec.liked_[rows].sum(axis=0), dtype=float).ravel()
    records = []
    tie = overall / (overall.max() + 1.0)  # overall popularity breaks ties within a segment
    for cid in customers:
        label = seg.get(cid) if segments is not None else None
        counts = by_segment.get(label)
        basis, reason = BASIS_OVERALL, "Popular with all customers"
        if counts is not None:
            basis, reason = BASIS_SEGMENT, f"Popular with customers like you ({segment_name}: {label})"
        score = (counts + tie if counts is not None else overall.copy()).astype(float)
        score[list(rec.cold_seen_.get(cid, ()))] = -np.inf
        order = np.argsort(-score, kind="stable")[:n]
        order = order[np.isfinite(score[order])]
        for rank, i in enumerate(order, start=1):
            records.append((cid, rank, rec.items_[i], np.nan, reason, basis))
    return pd.DataFrame(records, columns=["customer_id", "rank", "item_id", "score", "reason", "basis"])


def recommend_all(
    rec: Recommender,
    customers: Iterable[str] | None = None,
    *,
    n: int = TOP_N,
    catalog: pd.DataFrame | None = None,
    segments: pd.Series | None = None,
    segment_name: str = "segment",
) -> pd.DataFrame:
    """Top-n for every customer with item names and a reason; unknown customers get labelled popular items.

    Columns: customer_id, rank, item_id, item_name, score (the model's predicted rating; empty for the
    popularity fallback), reason, basis ("model", "popular in segment" or "popular overall").
    `segments` maps customer_id to a group label (e.g. country) used for the cold-start fallback.
    """
    wanted = pd.Index(rec.customers_ if customers is None else [str(c) for c in customers], dtype=object).unique()
    known = rec.customer_index_.get_indexer(wanted) >= 0
    names = dict(catalog["name"]) if catalog is not None and "name" in catalog else {}
    top = rec.top_n(n, wanted[known])
    top["reason"] = _reasons(rec, top, names) if len(top) else []
    top["basis"] = BASIS_MODEL if rec.algo_ is not None else BASIS_OVERALL
    cold = _popular_lists(rec, wanted[~known], n, segments, segment_name)
    out = pd.concat([df for df in (top, cold) if len(df)], ignore_index=True) if len(top) or len(cold) else cold
    out.insert(3, "item_name", [names.get(i, i) for i in out["item_id"]])
    return out


def customer_history(interactions: Interactions, customer_id: str, catalog: pd.DataFrame | None = None) -> pd.DataFrame:
    """What one customer rated or bought (item_id, item_name, rating[, timestamp]), most recent first."""
    df = interactions.ratings[interactions.ratings["customer_id"] == str(customer_id)]
    if "timestamp" in df:
        df = df.sort_values("timestamp", ascending=False)
    names = catalog["name"] if catalog is not None and "name" in catalog else pd.Series(dtype=object)
    out = df.drop(columns="customer_id").reset_index(drop=True)
    out.insert(1, "item_name", out["item_id"].map(lambda i: names.get(i, i)).astype(str))
    return out


# --- similar items by name -----------------------------------------------------------------------------


class ContentIndex:
    """Items that read alike: TF-IDF of item names / descriptions, cosine similarity.

    Fitted attributes: `items_` (item ids), `matrix_` (L2-normalised TF-IDF rows).
    """

    def fit(self, texts: pd.Series) -> ContentIndex:
        """Learn the vocabulary from one text per item (index = item id)."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        texts = texts.dropna().astype(str)
        if len(texts) < 2 or not texts.str.strip().str.len().any():
            raise NotEnoughData("Similar items by name need names or descriptions for at least 2 items.")
        vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode")
        try:
            self.matrix_ = vectorizer.fit_transform(texts.to_numpy())
        except ValueError as exc:  # only stop words or punctuation
            raise NotEnoughData(
                "The item names have no words to compare; similar items by name are unavailable."
            ) from exc
        self.items_ = pd.Index(texts.index.astype(str))
        return self

    def neighbours(self, item_id: str, n: int = TOP_N) -> pd.DataFrame:
        """The n items whose text is closest to `item_id`'s: item_id, similarity (0-1)."""
        i = self.items_.get_indexer([str(item_id)])[0]
        if i < 0:
            raise InsightError(f"Item {item_id!r} has no name or description; pick another item.")
        sim = (self.matrix_ @ self.matrix_[i].T).toarray().ravel()
        sim[i] = -np.inf
        order = np.argsort(-sim, kind="stable")[:n]
        order = order[sim[order] > 0]
        return pd.DataFrame({"item_id": self.items_[order], "similarity": sim[order]})


# --- the CLI section -----------------------------------------------------------------------------------


def purchases(ds: Any) -> pd.DataFrame | None:
    """(customer_id, item_id) pairs the customers bought, to exclude when recommending from ratings."""
    tx = ds.transactions()
    if tx is None or not {"customer_id", "item_id"} <= set(tx.columns):
        return None
    std = tx.dropna(subset=["customer_id", "item_id"])
    if "quantity" in std:
        std = std[std["quantity"].fillna(1) > 0]
    return std[["customer_id", "item_id"]].astype(str).drop_duplicates()


def summary(ds: Any, models: Sequence[str] = QUICK_COMPARISON, random_state: int = 0) -> dict[str, Any]:
    """The `recommendations` key of `analyze`: source, best_model, metrics per model, users_covered, items.

    Data too small to learn from gives {"source", "skipped": why} instead of failing the whole report.
    """
    try:
        interactions = interactions_from_dataset(ds)
    except NotEnoughData as exc:
        return {"source": sources(ds)[0], "skipped": str(exc)}
    comparison = compare_models(interactions, models, random_state=random_state)
    exclude = purchases(ds) if interactions.source == "ratings" else None
    rec = Recommender(comparison.best, random_state=random_state).fit(interactions, exclude=exclude)
    metrics = {
        model: {k: (None if pd.isna(v) else float(v)) for k, v in row.items() if k != "seconds"}
        for model, row in comparison.table.to_dict(orient="index").items()
    }
    return {
        "source": interactions.source,
        "best_model": comparison.best,
        "metrics": metrics,
        "users_covered": int(rec.top_n(TOP_N)["customer_id"].nunique()),
        "items": len(rec.items_),
    }
