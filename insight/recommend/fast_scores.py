"""Every item's score for many customers at once, equal to what Surprise's `predict` gives one pair at a time.

Factor models (SVD, SVD++, NMF, baselines) are a matrix product; item-based KNN sums neighbours in
Surprise's own order, so the scores are bit-identical; other models call Surprise's `estimate` per pair."""

from __future__ import annotations

from typing import Any

import numpy as np
from surprise import (
    BaselineOnly,
    KNNBaseline,
    KNNBasic,
    KNNWithMeans,
    SVDpp,
)
from surprise.prediction_algorithms.predictions import PredictionImpossible


def factor_scores(algo: Any, users: np.ndarray, rating_scale: tuple[float, float]) -> np.ndarray:
    ts = algo.trainset
    biased = getattr(algo, "biased", True)
    est = np.zeros((len(users), ts.n_items))
    if biased:  # same addition order as Surprise: ((mean + b_u) + b_i) + q_i . p_u
        est = (ts.global_mean + algo.bu[users])[:, None] + algo.bi[None, :]
    if isinstance(algo, BaselineOnly):
        return np.clip(est, *rating_scale)
    pu = algo.pu[users]
    if isinstance(algo, SVDpp):  # p_u + |I_u|^-1/2 * sum of y_j, summed in the user's rating order
        pu = pu.copy()
        for row, u in enumerate(users):
            rated = [j for j, _ in ts.ur[u]]
            pu[row] += np.cumsum(algo.yj[rated], axis=0)[-1] / np.sqrt(len(rated))
    est = est + pu @ algo.qi.T
    return np.clip(est, *rating_scale)


def item_knn_scores(algo: Any, users: np.ndarray, rating_scale: tuple[float, float]) -> np.ndarray:
    """Item-based KNN estimates of all items for each user at once, operation for operation as Surprise's
    `estimate` (neighbours in `heapq.nlargest` order, sums accumulated one neighbour at a time), so the
    scores are bit-identical and a customer costs one matrix slice instead of one Python call per item."""
    ts = algo.trainset
    lo, hi = rating_scale
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


def pairwise_scores(algo: Any, users: np.ndarray, rating_scale: tuple[float, float]) -> np.ndarray:
    ts = algo.trainset
    lo, hi = rating_scale
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
