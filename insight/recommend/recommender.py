"""One fitted model (Surprise's for star ratings, `implicit`'s for purchases, or the popularity baseline) with fast
top-N lists and similar items."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from insight.errors import InsightError
from insight.i18n import N_
from insight.recommend.fast_scores import surprise_scores
from insight.recommend.implicit_models import (
    IMPLICIT_MODELS,
    fit_implicit,
    implicit_scores,
    is_neighbourhood,
    item_vectors,
    make_implicit,
)
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
from insight.recommend.ranking import top_items, top_unseen

_SCORE_ROW_COPIES = 6
"""Float arrays as long as one customer's score row alive at once while `top_items` ranks a batch: the
scores, the partition's indices and masks, and a scorer's running sums (KNN keeps three)."""


class Recommender:
    """One fitted model (or the popularity baseline) and fast top-N lists for every customer.

    Parameters
    ----------
    model : a name from `MODELS` (Surprise, for star ratings), from `IMPLICIT_MODELS` (`implicit`, for purchases),
        or "Popularity" (items liked by the most customers).
    params : overrides of the model's parameters (e.g. {"n_factors": 50} for SVD, {"factors": 32} for ALS).
    random_state : seed of the models that draw random numbers.

    Fitted attributes: `algo_` (the Surprise or `implicit` model, None for popularity), `customers_` and `items_`
    (raw ids in order of first appearance, which is Surprise's inner-id order), customers x items matrices
    `known_` / `liked_` (1 where rated or bought / liked), `ratings_` (the rating values), `weights_` (the stars of
    liked pairs: what an `implicit` model learns from) and `seen_` (known plus excluded pairs: never recommended),
    `popularity_` (customers who liked each item), `cold_seen_` (excluded items of customers the model does
    not know), `rating_scale_`, `source_`; built from `known_` on first use only (model comparisons never need
    them): `together_` (items x items, customers who have both) and `cosine_` (their cosine, 0 on the diagonal).
    """

    def __init__(self, model: str = "SVD", *, params: dict[str, Any] | None = None, random_state: int = 0) -> None:
        if model != POPULARITY and model not in MODELS and model not in IMPLICIT_MODELS:
            names = ", ".join([*IMPLICIT_MODELS, *MODELS])
            raise InsightError(
                N_("Unknown recommendation model {model}. Choose one of: {names}."), model=repr(model), names=names
            )
        self.model = model
        self.params = dict(params or {})
        self.random_state = random_state

    def fit(self, interactions: Interactions, exclude: pd.DataFrame | None = None) -> Recommender:
        """Fit on every rating; customers and items in order of first appearance (Surprise's inner-id order).

        `exclude` holds extra (customer_id, item_id) pairs never to recommend, e.g. purchases when the
        model learns from a ratings file that covers only some of them.
        """
        ratings = interactions.ratings
        _check_size(self.model, ratings, self.params)
        for lazy in ("together_", "cosine_"):  # a refit must not keep the last fit's item matrices
            self.__dict__.pop(lazy, None)
        rows, customers = pd.factorize(ratings["customer_id"])  # codes in order of first appearance
        cols, items = pd.factorize(ratings["item_id"])
        self.customers_ = np.asarray(customers, dtype=object)
        self.items_ = np.asarray(items, dtype=object)
        self.customer_index_ = pd.Index(self.customers_)
        self.item_index_ = pd.Index(self.items_)
        liked = interactions.liked().to_numpy()
        stars = ratings["rating"].to_numpy(dtype=float)
        self.known_ = self._matrix_of(rows, cols)
        self.liked_ = self._matrix_of(rows[liked], cols[liked])
        self.ratings_ = self._matrix_of(rows, cols, stars)
        self.weights_ = self._matrix_of(rows[liked], cols[liked], stars[liked])
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
        if self.model in IMPLICIT_MODELS:
            self.algo_ = fit_implicit(make_implicit(self.model, self.params, self.random_state), self.weights_)
        elif self.model != POPULARITY:
            trainset = _surprise_data(ratings, interactions.rating_scale).build_full_trainset()
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

    def _matrix(self, pairs: pd.DataFrame) -> sparse.csr_matrix:
        """customers x items, 1 for each (customer_id, item_id) pair the model knows both ends of."""
        rows = self.customer_index_.get_indexer(pairs["customer_id"])
        cols = self.item_index_.get_indexer(pairs["item_id"])
        ok = (rows >= 0) & (cols >= 0)
        return self._matrix_of(rows[ok], cols[ok])

    def _matrix_of(self, rows: np.ndarray, cols: np.ndarray, values: np.ndarray | None = None) -> sparse.csr_matrix:
        """customers x items from inner ids: 1 (or the given value) at each (row, column)."""
        shape = (len(self.customers_), len(self.items_))
        data = np.ones(len(rows), dtype=np.float32) if values is None else values.astype(np.float32)
        matrix = sparse.csr_matrix((data, (rows, cols)), shape=shape)
        if values is None:
            matrix.data[:] = 1.0  # duplicate pairs were summed
        return matrix

    def scores(self, users: np.ndarray) -> np.ndarray:
        """Scores of every item for the given inner user ids, with already-known items at -inf.

        A Surprise model's score is its own `predict` estimate, clipped to the rating scale, computed for all items
        at once (see `fast_scores`); an `implicit` model's is the library's own ranking score; popularity scores
        are the number of customers who liked each item.
        """
        users = self._checked(users)
        algo = self.algo_
        if algo is None:
            est = np.tile(self.popularity_, (len(users), 1))
        elif self.model in IMPLICIT_MODELS:
            est = implicit_scores(algo, self.weights_, users)
        else:
            est = surprise_scores(algo, users, self.rating_scale_)
        est[self.seen_[users].nonzero()] = -np.inf
        return est

    def _checked(self, users: np.ndarray) -> np.ndarray:
        """Inner user ids as an int array; ValueError for an id outside the model (-1, unknown, would read the last)."""
        users = np.asarray(users, dtype=int)
        known = len(self.customers_)
        if len(users) and (users.min() < 0 or users.max() >= known):
            raise ValueError(f"Inner user ids must lie in [0, {known}); got {users.min()} to {users.max()}.")
        return users

    def top_items(self, users: np.ndarray, n: int = TOP_N) -> tuple[np.ndarray, np.ndarray]:
        """Each given customer's n best unseen items, best first, as two customers x n arrays: inner item ids (-1
        where fewer items can be offered) and their scores. Ties keep the item order, so the lists equal ranking
        Surprise's `test()` predictions. Customers are scored in batches as large as `MEMORY_BUDGET_BYTES` allows."""
        users = self._checked(users)
        width = min(n, len(self.items_))
        items = np.full((len(users), width), -1, dtype=np.intp)
        scores = np.full((len(users), width), -np.inf)
        if self.algo_ is None:  # popularity: one ranking for everyone, each customer's seen items skipped
            order = np.argsort(-self.popularity_, kind="stable")
            items[:] = top_unseen(order, self.seen_[users], width)
            return items, np.where(items >= 0, self.popularity_[items], -np.inf)
        batch = self._batch_size()
        for start in range(0, len(users), batch):
            est = self.scores(users[start : start + batch])
            top = top_items(est, n)
            best = np.take_along_axis(est, top, axis=1)
            items[start : start + batch] = np.where(np.isfinite(best), top, -1)
            scores[start : start + batch] = best
        return items, scores

    def top_n(self, n: int = TOP_N, customers: Iterable[str] | None = None) -> pd.DataFrame:
        """The n best unseen items per known customer: customer_id, rank (1 = best), item_id, score."""
        if customers is None:
            users = np.arange(len(self.customers_))
        else:
            users = self.customer_index_.get_indexer(pd.Index(list(customers), dtype=object))
            users = users[users >= 0]
        items, scores = self.top_items(users, n)
        rows, ranks = np.nonzero(items >= 0)
        return pd.DataFrame(
            {
                "customer_id": self.customers_[users[rows]],
                "rank": ranks + 1,
                "item_id": self.items_[items[rows, ranks]],
                "score": scores[rows, ranks],
            }
        )

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
            raise InsightError(
                N_("Item {item_id} has no ratings or purchases yet; pick another item."), item_id=repr(item_id)
            )
        together = self.together_[i].toarray().ravel()
        if method not in ("auto", "model", "cobought"):
            raise InsightError(
                N_("Unknown similarity method {method}; use 'auto', 'model' or 'cobought'."), method=repr(method)
            )
        model_sim = self._model_similarity(i) if method != "cobought" else None
        if method == "model" and model_sim is None:
            raise InsightError(
                N_("{model} has no item factors or item similarities; use method='cobought'."), model=self.model
            )
        sim = model_sim if model_sim is not None else self.cosine_[i].toarray().ravel()
        sim[i] = -np.inf
        order = np.argsort(-sim, kind="stable")[:n]
        order = order[np.isfinite(sim[order])]
        return pd.DataFrame({"item_id": self.items_[order], "similarity": sim[order], "together": together[order]})

    def _model_similarity(self, i: int) -> np.ndarray | None:
        """Every item's similarity to item `i` in the fitted model: cosine of item factors, or the model's own
        item-item similarity; None for a model with neither (popularity, user-based neighbourhoods, SlopeOne)."""
        algo = self.algo_
        if algo is None:
            return None
        if self.model in IMPLICIT_MODELS:
            vectors = item_vectors(algo)
            if is_neighbourhood(algo):  # only each item's nearest neighbours have a similarity
                row = vectors[i].toarray().ravel().astype(float)
                return np.where(row > 0, row, -np.inf)
        elif hasattr(algo, "qi"):
            vectors = algo.qi
        elif getattr(algo, "sim_options", {}).get("user_based") is False:
            return np.asarray(algo.sim[i], dtype=float).copy()
        else:
            return None
        q = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return q @ q[i]
