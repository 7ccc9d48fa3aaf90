"""Clustering behind one interface: K-Means, agglomerative, DBSCAN and Gaussian mixtures, with
segments numbered from the largest; large data is fitted on a sample and the rest join the nearest group."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.cluster.hierarchy import fcluster
from scipy.cluster.hierarchy import linkage as scipy_linkage
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.cluster import DBSCAN, KMeans
from sklearn.mixture import GaussianMixture
from sklearn.neighbors import NearestNeighbors

from insight.errors import InsightError, NotEnoughData
from insight.i18n import N_
from insight.threads import one_thread

ALGORITHMS = ("kmeans", "agglomerative", "dbscan", "gmm")
LINKAGES = ("ward", "average", "complete")
SILHOUETTE_SAMPLE = 5000
MAX_EXACT = {"agglomerative": 4000, "dbscan": 20000, "gmm": 10000}  # larger data: fit a sample, assign the rest
NOISE = -1


def _relabel_by_size(labels: np.ndarray) -> np.ndarray:
    """Number segments 0, 1, ... from the largest down (noise keeps -1), so labels are stable and readable."""
    ids, counts = np.unique(labels[labels != NOISE], return_counts=True)
    lut = np.full(labels.max() + 2, NOISE)  # index -1 (noise) reads the last slot, which stays NOISE
    lut[ids[np.lexsort((ids, -counts))]] = np.arange(len(ids))
    return lut[labels]


def _centers(X: np.ndarray, labels: np.ndarray) -> np.ndarray:
    ks = range(labels.max() + 1)
    return np.array([X[labels == k].mean(axis=0) for k in ks]) if labels.max() >= 0 else np.empty((0, X.shape[1]))


def _nearest(X: np.ndarray, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    dist, idx = NearestNeighbors(n_neighbors=1).fit(points).kneighbors(X)
    return idx[:, 0], dist[:, 0]


def _sample(n: int, size: int, random_state: int) -> np.ndarray:
    return np.arange(n) if n <= size else np.sort(np.random.default_rng(random_state).choice(n, size, replace=False))


def default_min_samples(n_features: int) -> int:
    """DBSCAN's neighbours needed for a core point: twice the number of features, at least 5."""
    return max(5, 2 * n_features)


def suggest_eps(X: np.ndarray, min_samples: int, random_state: int = 0) -> tuple[float, np.ndarray]:
    """DBSCAN radius at the knee of the sorted distance to each customer's `min_samples`-th neighbour."""
    Xs = X[_sample(len(X), SILHOUETTE_SAMPLE, random_state)]
    dist, _ = NearestNeighbors(n_neighbors=min(min_samples, len(Xs) - 1) + 1).fit(Xs).kneighbors(Xs)
    curve = np.sort(dist[:, -1])
    return float(curve[knee(np.arange(len(curve)), curve, increasing=True)]), curve


def _complete(X: np.ndarray, rows: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Labels for all customers from labels fitted on `rows`: the others join the nearest sample-group centre."""
    full = np.full(len(X), NOISE)
    full[rows] = labels
    if len(rows) < len(X):
        rest = np.setdiff1d(np.arange(len(X)), rows)
        full[rest] = _nearest(X[rest], _centers(X[rows], labels))[0]
    return _relabel_by_size(full)


def _cluster_labels(X: np.ndarray, algorithm: str, ks: list[int], linkage: str, random_state: int, n_init: int = 3):
    """Yield (k, labels) for each k; agglomerative builds its tree once and cuts it at every k."""
    rows = _sample(len(X), MAX_EXACT.get(algorithm, len(X)), random_state)
    Xs = X[rows]
    tree = scipy_linkage(Xs, method=linkage) if algorithm == "agglomerative" else None
    for k in ks:
        if algorithm == "kmeans":
            labels = KMeans(k, n_init=n_init, random_state=random_state).fit(Xs).labels_
        elif algorithm == "gmm":
            labels = GaussianMixture(k, reg_covar=1e-4, random_state=random_state).fit(Xs).predict(Xs)
        else:
            labels = fcluster(tree, k, criterion="maxclust") - 1
        yield k, _complete(X, rows, labels)


class Segmenter(ClusterMixin, BaseEstimator):
    """One clustering algorithm behind one interface; segments numbered from the largest (noise is -1).

    Agglomerative, DBSCAN and Gaussian mixture are fitted on a sample when the data is larger than
    `MAX_EXACT` (their cost grows fast); the other customers join the nearest group (`fitted_on_` says how many
    were used). DBSCAN ignores `n_segments`; `eps` defaults to the knee of the k-distance curve. `n_init` is
    the number of K-Means starts kept from.
    """

    def __init__(
        self,
        *,
        algorithm="kmeans",
        n_segments=4,
        linkage="ward",
        eps=None,
        min_samples=None,
        n_init=3,
        random_state=0,
    ):
        self.algorithm = algorithm
        self.n_segments = n_segments
        self.linkage = linkage
        self.eps = eps
        self.min_samples = min_samples
        self.n_init = n_init
        self.random_state = random_state

    @one_thread
    def fit(self, X: np.ndarray, y: Any = None) -> Segmenter:
        n = len(X)
        _check(self.algorithm, self.linkage, None if self.algorithm == "dbscan" else self.n_segments, X)
        self.fitted_on_ = min(n, MAX_EXACT.get(self.algorithm, n))
        if self.algorithm == "dbscan":
            self._fit_dbscan(X)
        else:
            args = (self.algorithm, [self.n_segments], self.linkage, self.random_state, self.n_init)
            self.labels_ = next(_cluster_labels(X, *args))[1]
        self.cluster_centers_ = _centers(X, self.labels_)
        self.n_segments_ = int(self.labels_.max() + 1)
        return self

    def _fit_dbscan(self, X: np.ndarray) -> None:
        self.min_samples_ = self.min_samples or default_min_samples(X.shape[1])
        self.eps_ = self.eps or suggest_eps(X, self.min_samples_, self.random_state)[0]
        rows = _sample(len(X), MAX_EXACT["dbscan"], self.random_state)
        db = DBSCAN(eps=self.eps_, min_samples=self.min_samples_).fit(X[rows])
        core_rows = rows[db.core_sample_indices_]
        full = np.full(len(X), NOISE)
        full[rows] = db.labels_
        rest = np.setdiff1d(np.arange(len(X)), rows)
        if len(rest) and len(core_rows):
            idx, dist = _nearest(X[rest], X[core_rows])
            full[rest] = np.where(dist <= self.eps_, db.labels_[db.core_sample_indices_][idx], NOISE)
        self.labels_ = _relabel_by_size(full)
        self.core_, self.core_labels_ = X[core_rows], self.labels_[core_rows]

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Segments for new customers: the nearest centre (DBSCAN: the nearest core customer within eps)."""
        if self.algorithm != "dbscan":
            return _nearest(X, self.cluster_centers_)[0]
        if not len(self.core_):
            return np.full(len(X), NOISE)
        idx, dist = _nearest(X, self.core_)
        return np.where(dist <= self.eps_, self.core_labels_[idx], NOISE)


def _distinct(X: np.ndarray) -> int:
    """How many different customer profiles there are: no more segments than that can be made."""
    return len(np.unique(X, axis=0))


def _check(algorithm: str, linkage: str, k: int | None, X: np.ndarray) -> None:
    if algorithm not in ALGORITHMS:
        raise InsightError(
            N_("Unknown segmentation algorithm {algorithm}; choose one of {value}."),
            algorithm=repr(algorithm),
            value=", ".join(ALGORITHMS),
        )
    if linkage not in LINKAGES:
        raise InsightError(
            N_("Unknown linkage {linkage}; choose one of {value}."), linkage=repr(linkage), value=", ".join(LINKAGES)
        )
    if k is not None and not 2 <= k < len(X):
        raise NotEnoughData(
            N_("Cannot make {k} segments from {n} customers; choose between 2 and {value}."),
            k=k,
            n=len(X),
            value=len(X) - 1,
        )
    if k is not None and k > (distinct := _distinct(X)):
        raise NotEnoughData(
            N_(
                "The chosen columns give only {distinct} different kind(s) of customer, so {k} segments "
                "cannot be made. Choose fewer segments or add columns that vary between customers."
            ),
            distinct=distinct,
            k=k,
        )


def knee(x: np.ndarray, y: np.ndarray, *, increasing: bool = False) -> int:
    """Index of the knee (Kneedle): the point farthest from the straight line between the curve's ends.

    `increasing=False` is a falling elbow curve (inertia); `increasing=True` a curve that bends up (k-distance).
    """
    x, y = np.asarray(x, float), np.asarray(y, float)
    if len(x) < 3:
        return 0
    xn = (x - x[0]) / (x[-1] - x[0])
    yn = (y - y.min()) / (np.ptp(y) or 1.0)
    return int(np.argmax(xn - yn if increasing else (1 - yn) - xn))
