"""Every item's score for many customers at once, equal to what Surprise's `predict` gives one pair at a time.

Each scorer repeats Surprise's `estimate` operation for operation over whole rows of items: the same
neighbours in the same order, sums accumulated one term at a time in the order Surprise adds them, the
same fallbacks (min_k, no positive neighbour, `default_prediction()`), then the same clip to the rating
scale. So the scores are bit-identical to `predict`, except the factor models' dot products, which BLAS
sums in blocks (equal within 1e-12). Users are inner ids of customers the model knows; items are all of
the trainset's items, so Surprise's unknown-user and unknown-item fallbacks cannot arise here.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import sparse
from surprise import (
    NMF,
    SVD,
    BaselineOnly,
    CoClustering,
    KNNBaseline,
    KNNBasic,
    KNNWithMeans,
    SlopeOne,
    SVDpp,
)
from surprise.prediction_algorithms.predictions import PredictionImpossible

_CHUNK_BYTES = 64 * 2**20
"""Sort keys of one step of `_neighbour_sums`: big enough that numpy's per-call cost vanishes, small
beside the memory budget in `models.py`."""


def surprise_scores(algo: Any, users: np.ndarray, rating_scale: tuple[float, float]) -> np.ndarray:
    """Scores of every item (columns, inner item ids) for the given inner user ids, clipped like `predict`.

    The ids must be valid inner ids (prior validation is assumed: -1 would score the last user)."""
    users = np.asarray(users, dtype=np.intp)
    if not len(users):
        return np.empty((0, algo.trainset.n_items))
    if isinstance(algo, (SVD, SVDpp, NMF, BaselineOnly)):
        return factor_scores(algo, users, rating_scale)
    if isinstance(algo, SlopeOne):
        return slope_one_scores(algo, users, rating_scale)
    if isinstance(algo, CoClustering):
        return co_clustering_scores(algo, users, rating_scale)
    if isinstance(algo, (KNNBasic, KNNWithMeans, KNNBaseline)):
        return knn_scores(algo, users, rating_scale)
    raise TypeError(f"No vectorised scorer for {type(algo).__name__}; add one beside the others.")


def factor_scores(algo: Any, users: np.ndarray, rating_scale: tuple[float, float]) -> np.ndarray:
    """Biases plus factor dot products (SVD, SVD++, NMF, BaselineOnly) for all items at once.

    The additions follow Surprise's order; the dot products are one matrix product, which BLAS sums in
    a different order than `np.dot` per pair, so these scores equal Surprise's within 1e-12."""
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


def slope_one_scores(algo: Any, users: np.ndarray, rating_scale: tuple[float, float]) -> np.ndarray:
    """SlopeOne: the user's mean plus the mean deviation of each item from the user's relevant items.

    Surprise sums `dev[i, j]` over the user's rated items j that share a rater with i, one j at a time in
    the user's rating order. Here step p adds, for every user with a p-th rating and every item at once,
    the deviation from that p-th item (0.0 where it shares no rater, which leaves a sum unchanged)."""
    ts = algo.trainset
    relevant = algo.freq > 0
    dev_from = np.ascontiguousarray(algo.dev.T)  # row j: dev[i, j] for every item i
    dev_from[~relevant.T] = 0.0  # no shared rater: not among the relevant items (Surprise's dev is NaN there)
    rated = [np.fromiter((j for j, _ in ts.ur[u]), dtype=np.intp) for u in users]
    lengths = np.array([len(r) for r in rated])
    longest_first = np.argsort(-lengths, kind="stable")
    lengths = lengths[longest_first]
    padded = np.zeros((len(users), lengths[0]), dtype=np.intp)  # row t: the ratings of user longest_first[t]
    padded[np.arange(lengths[0]) < lengths[:, None]] = np.concatenate([rated[row] for row in longest_first])
    total = np.zeros((len(users), ts.n_items))
    for p in range(lengths[0]):
        active = int(np.searchsorted(-lengths, -p, side="left"))  # the users with a p-th rating come first
        total[:active] += dev_from[padded[:active, p]]
    rows = np.repeat(np.arange(len(users)), [len(r) for r in rated])
    seen = sparse.csr_matrix((np.ones(len(rows)), (rows, np.concatenate(rated))), shape=(len(users), ts.n_items))
    count = seen @ relevant.T.astype(np.float32)  # whole numbers below 2**24: exact in any summation order
    mean = np.asarray(algo.user_mean)[users][:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        est = np.where(count > 0, mean + total[np.argsort(longest_first)] / count, mean)
    return _clip(est, rating_scale)


def co_clustering_scores(algo: Any, users: np.ndarray, rating_scale: tuple[float, float]) -> np.ndarray:
    """CoClustering: co-cluster mean + (user mean - user cluster mean) + (item mean - item cluster mean),
    added left to right as Surprise's `estimate` does, for all items at once."""
    uc = algo.cltr_u[users][:, None]
    ic = algo.cltr_i[None, :]
    est = (
        algo.avg_cocltr[uc, ic]
        + algo.user_mean[users][:, None]
        - algo.avg_cltr_u[uc]
        + algo.item_mean[None, :]
        - algo.avg_cltr_i[ic]
    )
    return _clip(est, rating_scale)


def knn_scores(algo: Any, users: np.ndarray, rating_scale: tuple[float, float]) -> np.ndarray:
    """KNNBasic / KNNWithMeans / KNNBaseline, user- or item-based, for a batch of users and every item.

    Surprise's `estimate(u, i)` ranks the candidate neighbours of x (u, or i when item-based) among those
    who rated y (i, or u) by similarity with `heapq.nlargest`, then adds the k best one at a time. Here
    `_neighbour_sums` does that for every (x, y) pair of the batch at once."""
    ts = algo.trainset
    user_based = algo.sim_options.get("user_based", True)
    items = np.arange(ts.n_items)
    if user_based:
        sum_sim, sum_ratings, actual_k = _neighbour_sums(algo, algo.sim[users], items)
    else:
        sums = _neighbour_sums(algo, algo.sim, users)
        sum_sim, sum_ratings, actual_k = (a.T for a in sums)
    with np.errstate(divide="ignore", invalid="ignore"):
        if isinstance(algo, KNNBasic):  # PredictionImpossible below min_k: Surprise's default prediction
            est = np.where(actual_k >= algo.min_k, sum_ratings / sum_sim, algo.default_prediction())
        else:  # below min_k, or without a positive similarity, the base alone
            if isinstance(algo, KNNBaseline):  # b_ui = (mean + b_u) + b_i, as Surprise adds it
                base = (ts.global_mean + algo.bu[users])[:, None] + algo.bi[None, :]
            else:
                base = algo.means[users][:, None] if user_based else np.tile(algo.means, (len(users), 1))
            sum_ratings = np.where(actual_k < algo.min_k, 0.0, sum_ratings)
            est = np.where(sum_sim != 0, base + sum_ratings / sum_sim, base)
    return _clip(est, rating_scale)


def _neighbour_sums(algo: Any, sims: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each x (a row of similarities) and y in `ys`: Surprise's sum of similarities, sum of
    similarity-weighted ratings and count of positive neighbours over x's k nearest among y's raters.

    The candidates of y are `algo.yr[y]` in Surprise's order. Each (row, candidate) gets one integer key
    (y, similarity rank with ties sharing a rank, position in y's list): sorting a row's keys lists every y's
    candidates in exactly `heapq.nlargest`'s order, so the j-th step adds every pair's j-th neighbour."""
    ts = algo.trainset
    lists = [algo.yr[y] for y in ys]
    lengths = np.array([len(entries) for entries in lists])
    longest_first = np.argsort(-lengths, kind="stable")
    lengths = lengths[longest_first]
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    ordered = [lists[s] for s in longest_first]
    nnz = int(lengths.sum())
    cand = np.fromiter((x2 for entries in ordered for x2, _ in entries), dtype=np.intp, count=nnz)
    ratings = np.fromiter((r for entries in ordered for _, r in entries), dtype=float, count=nnz)
    seg = np.repeat(np.arange(len(ys)), lengths)
    if isinstance(algo, KNNBaseline):  # each neighbour's rating less its baseline, as Surprise sums them
        ratings = ratings - ((ts.global_mean + algo.bx[cand]) + algo.by[ys[longest_first][seg]])
    elif isinstance(algo, KNNWithMeans):
        ratings = ratings - algo.means[cand]
    width = int(lengths.max())
    key_type = np.int32 if len(ys) * sims.shape[1] * width < 2**31 else np.int64  # int32 sorts twice as fast
    key_base = (seg * (sims.shape[1] * width) + (np.arange(nnz) - starts[seg])).astype(key_type)
    steps = min(algo.k, width)
    shape = (sims.shape[0], len(ys))
    sum_sim, sum_ratings, actual_k = np.zeros(shape), np.zeros(shape), np.zeros(shape, dtype=int)
    rows_per_chunk = max(1, _CHUNK_BYTES // (16 * nnz + 32 * sims.shape[1]))  # sort keys, ranking one row
    for lo in range(0, sims.shape[0], rows_per_chunk):
        chunk = slice(lo, lo + rows_per_chunk)
        keys = _tie_ranks(sims[chunk])[:, cand].astype(key_type) * key_type(width) + key_base
        keys.sort(axis=1)
        for j in range(steps):
            n = int(np.searchsorted(-lengths, -j, side="left"))  # the y that have a j-th candidate
            entry = starts[:n] + keys[:, starts[:n] + j] % width
            sim = np.take_along_axis(sims[chunk], cand[entry], axis=1)
            positive = sim > 0
            sum_sim[chunk, :n] += np.where(positive, sim, 0.0)
            sum_ratings[chunk, :n] += np.where(positive, sim * ratings[entry], 0.0)
            actual_k[chunk, :n] += positive
    back = np.argsort(longest_first)
    return sum_sim[:, back], sum_ratings[:, back], actual_k[:, back]


def _tie_ranks(sims: np.ndarray) -> np.ndarray:
    """Per row, each column's place in descending order, equal values sharing the place of the first."""
    order = np.argsort(-sims, axis=1, kind="stable")
    ordered = np.take_along_axis(sims, order, axis=1)
    new_value = np.ones(ordered.shape, dtype=bool)
    new_value[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    place = np.arange(sims.shape[1], dtype=np.int32)
    first = np.maximum.accumulate(np.where(new_value, place, 0), axis=1)
    ranks = np.empty(sims.shape, dtype=np.int32)
    np.put_along_axis(ranks, order, first, axis=1)
    return ranks


def _clip(est: np.ndarray, rating_scale: tuple[float, float]) -> np.ndarray:
    """Surprise's `predict` clip: min with the top of the scale, then max with the bottom."""
    lo, hi = rating_scale
    return np.maximum(lo, np.minimum(hi, est))


def pairwise_scores(algo: Any, users: np.ndarray, rating_scale: tuple[float, float]) -> np.ndarray:
    """The reference: Surprise's own `estimate` one (user, item) pair at a time, its fallback and clip as in
    `predict`, rated items at -inf. The tests and bench/bench_recommend.py compare the scorers with it."""
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
