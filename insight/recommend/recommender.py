"""One fitted model (or the popularity baseline) with fast top-N lists and similar items."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from insight.errors import InsightError
from insight.recommend.fast_scores import surprise_scores
from insight.recommend.interactions import Interactions
from insight.recommend.models import (
    MEMORY_BUDGET_BYTES,
    MODELS,
    POPULARITY,
    TOP_N,
    _check_size,
    _surprise_data,
    make_algo,
)

_SCORE_ROW_COPIES = 6
"""Float arrays as long as one customer's score row alive at once while `top_n` ranks a batch: the
scores, their negation and argsort's indices, and a scorer's running sums (KNN keeps three)."""


class Recommender:
    """One fitted model (or the popularity baseline) and fast top-N lists for every customer.

    Parameters
    ----------
    model : a name from `MODELS`, or "Popularity" (items liked by the most customers).
    params : overrides of the model's Surprise parameters (e.g. {"n_factors": 50}).
    random_state : seed of the models that draw random numbers.

    Fitted attributes: `algo_` (the Surprise algorithm, None for popularity), `customers_` and `items_`
    (raw ids in Surprise's inner-id order), `known_` / `liked_` (customers x items, 1 where rated or bought
    / liked), `ratings_` (the rating values), `seen_` (known plus excluded pairs: never recommended),
    `popularity_` (customers who liked each item), `cold_seen_` (excluded items of customers the model does
    not know), `rating_scale_`, `source_`; built from `known_` on first use only (model comparisons never need
    them): `together_` (items x items, customers who have both) and `cosine_` (their cosine, 0 on the diagonal).
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
        _check_size(self.model, ratings, self.params)
        for lazy in ("together_", "cosine_"):  # a refit must not keep the last fit's item matrices
            self.__dict__.pop(lazy, None)
        trainset = _surprise_data(ratings, interactions.rating_scale).build_full_trainset()
        self.customers_ = np.array([trainset.to_raw_uid(u) for u in range(trainset.n_users)], dtype=object)
        self.items_ = np.array([trainset.to_raw_iid(i) for i in range(trainset.n_items)], dtype=object)
        self.customer_index_ = pd.Index(self.customers_)
        self.item_index_ = pd.Index(self.items_)
        self.known_ = self._matrix(ratings)
        self.liked_ = self._matrix(ratings[interactions.liked().to_numpy()])
        self.ratings_ = self._matrix(ratings, values=ratings["rating"].to_numpy(dtype=float))
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
        return self

    @cached_property
    def together_(self) -> sparse.csr_matrix:
        """items x items: how many customers rated or bought both (the diagonal: each item's own count)."""
        return (self.known_.T @ self.known_).tocsr()

    @cached_property
    def cosine_(self) -> sparse.csr_matrix:
        """items x items: cosine of who rated or bought them, from `together_`; 0 on the diagonal."""
        buyers = self.together_.diagonal()
        scale = sparse.diags(1.0 / np.sqrt(np.maximum(buyers, 1.0)))
        cosine = (scale @ self.together_ @ scale).tocsr()
        cosine.setdiag(0.0)
        cosine.eliminate_zeros()
        return cosine

    def _matrix(self, pairs: pd.DataFrame, values: np.ndarray | None = None) -> sparse.csr_matrix:
        """customers x items, 1 (or the given value) for each (customer_id, item_id) pair the model knows both
        ends of."""
        rows = self.customer_index_.get_indexer(pairs["customer_id"])
        cols = self.item_index_.get_indexer(pairs["item_id"])
        ok = (rows >= 0) & (cols >= 0)
        shape = (len(self.customers_), len(self.items_))
        data = np.ones(int(ok.sum()), dtype=np.float32) if values is None else values[ok].astype(np.float32)
        matrix = sparse.csr_matrix((data, (rows[ok], cols[ok])), shape=shape)
        if values is None:
            matrix.data[:] = 1.0  # duplicate pairs were summed
        return matrix

    def scores(self, users: np.ndarray) -> np.ndarray:
        """Scores of every item for the given inner user ids, with already-known items at -inf.

        Each score is Surprise's own `predict` estimate, clipped to the rating scale, computed for all items
        at once (see `fast_scores`); popularity scores are the number of customers who liked each item.
        """
        users = np.asarray(users, dtype=int)
        known = len(self.customers_)
        if len(users) and (users.min() < 0 or users.max() >= known):  # -1 (unknown) would score the last one
            raise ValueError(f"Inner user ids must lie in [0, {known}); got {users.min()} to {users.max()}.")
        algo = self.algo_
        if algo is None:
            est = np.tile(self.popularity_, (len(users), 1))
        else:
            est = surprise_scores(algo, users, self.rating_scale_)
        est[self.seen_[users].nonzero()] = -np.inf
        return est

    def top_n(self, n: int = TOP_N, customers: Iterable[str] | None = None) -> pd.DataFrame:
        """The n best unseen items per known customer: customer_id, rank (1 = best), item_id, score.

        Ties keep Surprise's item order, so the lists equal ranking Surprise's `test()` predictions.
        Customers are scored in batches as large as `MEMORY_BUDGET_BYTES` allows.
        """
        if customers is None:
            users = np.arange(len(self.customers_))
        else:
            users = self.customer_index_.get_indexer(pd.Index(list(customers), dtype=object))
            users = users[users >= 0]
        frames = []
        batch = self._batch_size()
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

    def _batch_size(self) -> int:
        """How many customers' dense score rows (and, for user-based KNN, similarity rows) fit the budget."""
        row_bytes = 8 * _SCORE_ROW_COPIES * len(self.items_)
        if getattr(self.algo_, "sim_options", {}).get("user_based") and hasattr(self.algo_, "sim"):
            row_bytes += 12 * len(self.customers_)  # the batch's similarity rows and their ranks
        return max(1, MEMORY_BUDGET_BYTES // row_bytes)

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
