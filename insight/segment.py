"""Customer segments: feature scaling, clustering, the k sweep, the map, profiles, personas, stability, outliers.

The flow is `prepare` (pick and scale customer-table columns) -> `sweep` (score k = 2..12 and suggest one)
-> `analyse` (fit one k and describe the groups in plain words). `analyse` is the one function other pages
call (through the cache, with the same parameters) to get each customer's segment.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import fcluster
from scipy.cluster.hierarchy import linkage as scipy_linkage
from sklearn.base import BaseEstimator, ClusterMixin, TransformerMixin
from sklearn.cluster import DBSCAN, KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import (
    adjusted_rand_score,
    calinski_harabasz_score,
    davies_bouldin_score,
    silhouette_score,
)
from sklearn.mixture import GaussianMixture
from sklearn.neighbors import NearestNeighbors
from threadpoolctl import ThreadpoolController

from insight.errors import InsightError, NotEnoughData, SchemaError
from insight.features import BEHAVIOUR_COLUMNS, MIN_CUSTOMERS

ALGORITHMS = ("kmeans", "agglomerative", "dbscan", "gmm")
LINKAGES = ("ward", "average", "complete")
SCALINGS = ("zscore", "minmax", "robust")
LOG_MODES = ("auto", "on", "off")
# numeric behaviour columns of the customer table (not the first/last purchase dates), plus the RFM scores
BEHAVIOUR = (*(c for c in BEHAVIOUR_COLUMNS if not c.endswith("_purchase")), "r_score", "f_score", "m_score")
DEFAULT_BEHAVIOUR = ("recency_days", "frequency", "monetary", "avg_order_value")
FROM_OTHER_TABLES = ("feedback_count", "mean_stars", "ratings_count", "mean_rating", "mean_sentiment")
SKEW_AUTO, SKEW_ON = 2.0, 0.75  # |skew| past which a column is log-transformed in "auto" / "on" mode
SILHOUETTE_SAMPLE = 5000
MAX_EXACT = {"agglomerative": 4000, "dbscan": 20000, "gmm": 10000}  # larger data: fit a sample, assign the rest
NOISE = -1


def _one_thread(func: Callable) -> Callable:
    """Run single-threaded: OpenMP and BLAS pools slow down many-fold when their cores are busy (a shared
    server, parallel tests), while one thread is steady and at these sizes nearly as fast."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _thread_pools().limit(limits=1):
            return func(*args, **kwargs)

    return wrapper


@functools.cache
def _thread_pools() -> ThreadpoolController:
    """The loaded OpenMP / BLAS pools, found once (looking them up costs milliseconds per call)."""
    return ThreadpoolController()


# --- features ---------------------------------------------------------------------------------------------------


def candidate_features(customers: pd.DataFrame, roles: dict[str, Any]) -> dict[str, list[str]]:
    """Columns that may describe a customer: behaviour, numeric and categorical attributes (never ids or pii)."""
    banned = {"customer_id", roles.get("label"), *roles.get("pii", [])}
    behaviour = [c for c in BEHAVIOUR if c in customers.columns]
    numeric = [
        c
        for c in roles.get("numeric", [])
        if c in customers.columns
        and c not in banned
        and c not in behaviour
        and pd.api.types.is_numeric_dtype(customers[c])
    ]
    categorical = [c for c in roles.get("categorical", []) if c in customers.columns and c not in banned]
    return {"behaviour": behaviour, "numeric": numeric, "categorical": categorical}


def default_features(customers: pd.DataFrame, roles: dict[str, Any]) -> list[str]:
    """RFM-style behaviour (recency, frequency, spend, basket size) plus the numeric attributes.

    Counts and averages from the feedback and ratings files stay optional: they describe what customers
    said, which the Feedback page analyses, and are missing for most customers. With no numbers at all,
    the categorical attributes are used. Columns with a single value (or none) say nothing and are left out.
    """
    cand = {
        kind: [c for c in cols if customers[c].nunique() > 1]
        for kind, cols in candidate_features(customers, roles).items()
    }
    numeric = [c for c in cand["numeric"] if c not in FROM_OTHER_TABLES]
    return [c for c in DEFAULT_BEHAVIOUR if c in cand["behaviour"]] + numeric or cand["categorical"]


def _split_features(customers: pd.DataFrame, roles: dict[str, Any], features: list[str]) -> tuple[list, list]:
    cand = candidate_features(customers, roles)
    allowed = cand["behaviour"] + cand["numeric"] + cand["categorical"]
    bad = [f for f in features if f not in allowed]
    if bad:
        raise SchemaError(
            f"These columns cannot describe customers: {', '.join(map(str, bad))}. "
            f"Pick from: {', '.join(allowed) or 'none available - add a customers or orders file'}."
        )
    if not features:
        raise SchemaError("Pick at least one column that describes customers (for example spend or age).")
    return [f for f in features if f not in cand["categorical"]], [f for f in features if f in cand["categorical"]]


class FeatureScaler(TransformerMixin, BaseEstimator):
    """Impute, log-transform skewed columns, scale numeric columns and one-hot encode categorical ones.

    Missing numbers become the column median; a column whose skew passes `SKEW_AUTO` ("auto") or `SKEW_ON`
    ("on") gets a signed log1p. One-hot columns stay 0/1 so a rare category does not become an outlier.
    """

    def __init__(self, *, numeric=(), categorical=(), scaling="zscore", log="auto", max_categories=10) -> None:
        self.numeric = numeric
        self.categorical = categorical
        self.scaling = scaling
        self.log = log
        self.max_categories = max_categories

    def raw(self, X: pd.DataFrame) -> pd.DataFrame:
        """The numeric columns as floats, missing values kept."""
        return X[list(self.numeric)].apply(pd.to_numeric, errors="coerce").astype(float)

    def logged(self, X: pd.DataFrame) -> pd.DataFrame:
        """The numeric columns after imputation and the log transform (before scaling)."""
        num = self.raw(X).fillna(self.medians_)
        for c in self.log_columns_:
            num[c] = np.sign(num[c]) * np.log1p(num[c].abs())
        return num

    def fit(self, X: pd.DataFrame, y: Any = None) -> FeatureScaler:
        if self.scaling not in SCALINGS:
            raise ValueError(f"scaling must be one of {SCALINGS}; got {self.scaling!r}.")
        if self.log not in LOG_MODES:
            raise ValueError(f"log must be one of {LOG_MODES}; got {self.log!r}.")
        num = self.raw(X)
        self.medians_ = num.median().fillna(0.0)
        num = num.fillna(self.medians_)
        limit = {"auto": SKEW_AUTO, "on": SKEW_ON, "off": np.inf}[self.log]
        skew = num.skew().fillna(0.0) if len(num) > 2 else pd.Series(0.0, index=num.columns)
        self.log_columns_ = [c for c in num.columns if abs(skew[c]) > limit and num[c].nunique() > 2]
        num = self.logged(X)
        if self.scaling == "zscore":
            center, scale = num.mean(), num.std(ddof=0)
        elif self.scaling == "minmax":
            center, scale = num.min(), num.max() - num.min()
        else:
            center, scale = num.median(), num.quantile(0.75) - num.quantile(0.25)
            scale = scale.where(scale > 0, num.std(ddof=0))
        self.center_, self.scale_ = center.to_numpy(), scale.where(scale > 0, 1.0).fillna(1.0).to_numpy()
        self.categories_ = {
            c: list(X[c].astype("string").fillna("missing").value_counts().index[: self.max_categories])
            for c in self.categorical
        }
        return self

    def transform(self, X: pd.DataFrame) -> np.ndarray:
        parts = [(self.logged(X).to_numpy() - self.center_) / self.scale_]
        for c, cats in self.categories_.items():
            values = X[c].astype("string").fillna("missing").to_numpy()
            parts.append(np.column_stack([values == cat for cat in cats]).astype(float))
        return np.hstack(parts) if parts else np.empty((len(X), 0))

    def get_feature_names_out(self, input_features: Any = None) -> list[str]:
        return list(self.numeric) + [f"{c}={cat}" for c, cats in self.categories_.items() for cat in cats]


def prepare(
    customers: pd.DataFrame, roles: dict[str, Any], features: list[str], scaling: str = "zscore", log: str = "auto"
) -> tuple[FeatureScaler, np.ndarray]:
    """Validate the chosen columns and return the fitted scaler with the scaled matrix (one row per customer)."""
    numeric, categorical = _split_features(customers, roles, list(features))
    need = MIN_CUSTOMERS["segments"]
    if len(customers) < need:
        raise NotEnoughData(f"Segments need at least {need} customers; this data has {len(customers)}. Upload more.")
    scaler = FeatureScaler(numeric=numeric, categorical=categorical, scaling=scaling, log=log).fit(customers)
    return scaler, scaler.transform(customers)


# --- clustering -------------------------------------------------------------------------------------------------


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


@_one_thread
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

    @_one_thread
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
        raise InsightError(f"Unknown segmentation algorithm {algorithm!r}; choose one of {', '.join(ALGORITHMS)}.")
    if linkage not in LINKAGES:
        raise InsightError(f"Unknown linkage {linkage!r}; choose one of {', '.join(LINKAGES)}.")
    if k is not None and not 2 <= k < len(X):
        raise NotEnoughData(f"Cannot make {k} segments from {len(X)} customers; choose between 2 and {len(X) - 1}.")
    if k is not None and k > (distinct := _distinct(X)):
        raise NotEnoughData(
            f"The chosen columns give only {distinct} different kind(s) of customer, so {k} segments cannot be made. "
            "Choose fewer segments or add columns that vary between customers."
        )


# --- the k sweep ------------------------------------------------------------------------------------------------


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


def _inertia(X: np.ndarray, labels: np.ndarray) -> float:
    keep = labels != NOISE
    centers = _centers(X, labels)
    return float(((X[keep] - centers[labels[keep]]) ** 2).sum())


_SILHOUETTES: OrderedDict[bytes, float] = OrderedDict()  # digest of (sample, labels) -> score, newest last


def _silhouette(X: np.ndarray, labels: np.ndarray, random_state: int = 0) -> float:
    """Silhouette on a fixed sample of `SILHOUETTE_SAMPLE` customers (noise left out); NaN with one group.

    Remembered by a digest of the sample and its labels: fitting the k the sweep already scored (the same
    labels) does not pay for the distances again.
    """
    rows = _sample(len(X), SILHOUETTE_SAMPLE, random_state)
    rows = rows[labels[rows] != NOISE]
    found = np.unique(labels[rows])
    if len(found) < 2 or len(rows) <= len(found):
        return float("nan")
    Xs, ys = np.ascontiguousarray(X[rows]), np.ascontiguousarray(labels[rows])
    key = hashlib.blake2b(Xs.tobytes() + ys.astype(np.int64).tobytes(), digest_size=16).digest()
    score = _SILHOUETTES.get(key)
    if score is None:
        score = _SILHOUETTES[key] = float(silhouette_score(Xs, ys))
        while len(_SILHOUETTES) > 256:
            _SILHOUETTES.popitem(last=False)
    return score


@dataclass(frozen=True)
class Sweep:
    """Scores for each k, the elbow of the inertia curve and the suggested k with its reason."""

    table: pd.DataFrame  # k, inertia, silhouette, calinski_harabasz, davies_bouldin
    suggested_k: int
    knee_k: int
    reason: str


@_one_thread
def sweep(
    X: np.ndarray, *, algorithm: str = "kmeans", ks: range = range(2, 13), linkage: str = "ward", random_state: int = 0
) -> Sweep:
    """Fit every k and score it; suggest the k with the best silhouette (ties within 0.02 go to the elbow)."""
    if algorithm == "dbscan":
        raise ValueError("DBSCAN chooses its own number of groups; use suggest_eps instead of a k sweep.")
    distinct = _distinct(X)
    ks = [k for k in ks if 2 <= k < len(X) and k <= distinct]
    _check(algorithm, linkage, ks[0] if ks else 2, X)
    rows = []
    for k, labels in _cluster_labels(X, algorithm, ks, linkage, random_state):
        found = len(np.unique(labels))
        rows.append(
            {
                "k": k,
                "inertia": _inertia(X, labels),
                "silhouette": _silhouette(X, labels, random_state),
                "calinski_harabasz": calinski_harabasz_score(X, labels) if found > 1 else np.nan,
                "davies_bouldin": davies_bouldin_score(X, labels) if found > 1 else np.nan,
            }
        )
    table = pd.DataFrame(rows)
    knee_k = int(table["k"].iloc[knee(table["k"], table["inertia"])])
    suggested, reason = _suggest(table, knee_k)
    return Sweep(table=table, suggested_k=suggested, knee_k=knee_k, reason=reason)


def _suggest(table: pd.DataFrame, knee_k: int) -> tuple[int, str]:
    sil = table.set_index("k")["silhouette"].dropna()
    if sil.empty:
        return knee_k, f"{knee_k} groups: the elbow of the inertia curve (the groups are too uneven to score)."
    best = knee_k if sil.get(knee_k, -1.0) >= sil.max() - 0.02 else int(sil.idxmax())
    if best == int(sil.idxmax()):
        quality = f"silhouette {sil[best]:.2f}, the highest for k = {table['k'].min()} to {table['k'].max()}"
    else:
        quality = f"silhouette {sil[best]:.2f}, within 0.02 of the highest ({sil.max():.2f} at k = {sil.idxmax()})"
    elbow = "the elbow of the inertia curve is there too" if best == knee_k else f"the inertia elbow is at {knee_k}"
    return best, f"{best} groups: customers sit most clearly inside their own group there ({quality}), and {elbow}."


# --- map, profiles, personas ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SegmentMap:
    """2-D PCA coordinates for a sample of customers (`row` indexes the customer table)."""

    points: pd.DataFrame  # row, x, y
    explained: tuple[float, float]


@_one_thread
def pca_map(X: np.ndarray, *, sample_size: int = SILHOUETTE_SAMPLE, random_state: int = 0) -> SegmentMap:
    """Project customers onto the two directions that spread them most; keep a sample small enough to draw."""
    n_comp = min(2, X.shape[1], len(X))
    pca = PCA(n_components=n_comp, random_state=random_state).fit(X)
    rows = _sample(len(X), sample_size, random_state)
    xy = np.zeros((len(rows), 2))
    xy[:, :n_comp] = pca.transform(X[rows])
    explained = tuple(float(v) for v in np.pad(pca.explained_variance_ratio_, (0, 2 - n_comp)))
    return SegmentMap(pd.DataFrame({"row": rows, "x": xy[:, 0], "y": xy[:, 1]}), explained)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Profile:
    """Who is in each segment: sizes, per-feature statistics against everyone, and the features that stand out."""

    sizes: pd.DataFrame  # segment, customers, share, revenue, revenue_share
    stats: pd.DataFrame  # segment, feature, mean, median, overall_mean, overall_median, std_diff
    top_features: dict[int, list[str]]
    shares: frozenset[str] = frozenset()  # features told as a share: categories and 0/1 columns (SeniorCitizen)


def profile(customers: pd.DataFrame, scaler: FeatureScaler, labels: np.ndarray) -> Profile:
    """Size, customer and revenue share per segment; each feature's mean/median against the overall one.

    The standardized difference (segment mean minus overall mean, in overall standard deviations) is taken
    after the log transform, so a few huge spenders do not decide what a segment looks like.
    """
    raw = scaler.raw(customers)
    logged = scaler.logged(customers)
    for c, cats in scaler.categories_.items():
        values = customers[c].astype("string").fillna("missing")
        for cat in cats:
            raw[f"{c}={cat}"] = logged[f"{c}={cat}"] = (values == cat).astype(float).to_numpy()
    spread = logged.std(ddof=0).replace(0, 1.0)
    segments = [s for s in np.unique(labels) if s != NOISE] + ([NOISE] if (labels == NOISE).any() else [])
    diffs = ((logged.groupby(labels).mean() - logged.mean()) / spread).loc[segments]
    by_raw = raw.groupby(labels)
    stats = pd.DataFrame(
        {
            "segment": np.repeat(segments, raw.shape[1]).astype(int),
            "feature": np.tile(raw.columns, len(segments)),
            "mean": by_raw.mean().loc[segments].to_numpy().ravel(),
            "median": by_raw.median().loc[segments].to_numpy().ravel(),
            "overall_mean": np.tile(raw.mean().to_numpy(), len(segments)),
            "overall_median": np.tile(raw.median().to_numpy(), len(segments)),
            "std_diff": diffs.to_numpy().ravel(),
        }
    )
    counts = pd.Series(labels).value_counts().loc[segments]
    sizes = pd.DataFrame(
        {"segment": segments, "customers": counts.to_numpy(), "share": counts.to_numpy() / len(labels)}
    )
    if "monetary" in customers.columns:
        revenue = pd.to_numeric(customers["monetary"], errors="coerce").groupby(labels).sum().loc[segments]
        sizes["revenue"] = revenue.to_numpy()
        sizes["revenue_share"] = sizes["revenue"] / (float(revenue.sum()) or 1.0)
    top = {int(s): _top_features(diffs.loc[s]) for s in segments}
    shares = frozenset(c for c in raw.columns if "=" in c or raw[c].dropna().isin([0, 1]).all())
    return Profile(sizes, stats, top, shares)


def _top_features(diff: pd.Series, n: int = 3) -> list[str]:
    """The `n` features that differ most, one per categorical column, by the category over-represented there.

    ("mostly female" says what "few male" says, and better.)
    """
    strength = diff.abs().where(~diff.index.str.contains("="), diff.clip(lower=0))
    out: list[str] = []
    for f in strength.sort_values(ascending=False, kind="stable").index:
        if f.split("=")[0] not in {g.split("=")[0] for g in out}:
            out.append(f)
    return out[:n]


PHRASES = {  # (above average, below average), for names built from a segment's most distinctive features
    "age": ("older", "younger"),
    "recency_days": ("inactive for a while", "recently active"),
    "frequency": ("more orders", "fewer orders"),
    "monetary": ("above-average spend", "below-average spend"),
    "avg_order_value": ("larger baskets", "smaller baskets"),
    "tenure_days": ("long-standing", "new"),
    "purchase_rate_30d": ("buying a lot lately", "hardly buying lately"),
    "days_between_orders": ("long gaps between orders", "short gaps between orders"),
    "return_share": ("return a lot", "rarely return"),
    "distinct_items": ("buy a wide range", "buy a narrow range"),
}


NICE_NAMES = {
    "recency_days": "days since last order",
    "frequency": "orders",
    "monetary": "spend",
    "avg_order_value": "average order",
    "tenure_days": "days as a customer",
    "purchase_rate_30d": "orders per 30 days",
    "days_between_orders": "days between orders",
    "return_share": "share returned",
    "distinct_items": "different items",
}


def nice_name(feature: str) -> str:
    """A column name in words: `recency_days` -> `days since last order`, `Annual Income (k$)` -> `annual income`."""
    if feature in NICE_NAMES:
        return NICE_NAMES[feature]
    if "=" in feature:
        return feature.split("=", 1)[1]
    base = feature.split("(")[0].replace("_", " ").strip()
    base = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", base)  # MonthlyCharges, HasCrCard
    return (base or feature).lower()


def _phrase(feature: str, d: float, share: bool = False) -> str:
    if feature.lower() in PHRASES:
        return PHRASES[feature.lower()][0 if d > 0 else 1]
    if share:
        return f"mostly {nice_name(feature)}" if d > 0 else f"few {nice_name(feature)}"
    return f"{'high' if d > 0 else 'low'} {nice_name(feature)}"


PATTERNS = (
    "Big spenders, recently active",
    "One-time bargain buyers",
    "Former regulars drifting away",
    "Loyal regulars",
    "Lapsed occasional buyers",
    "Frequent returners",
    "New customers",
    "Big spenders gone quiet",
)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _archetypes(d: dict[str, float]) -> dict[str, float]:
    """Named RFM patterns this segment matches, with how strongly (in standard deviations), in priority order.

    A pattern matches when each of its signals is past 0.5 standard deviations; its strength is their mean.
    """

    def up(*fs: str) -> float:
        values = [d[f] for f in fs if f in d]
        return max(values) if values else np.nan

    spend, freq, late = up("monetary", "avg_order_value"), up("frequency"), up("recency_days")
    not_rare = freq + 1.0  # past 0.5 exactly when frequency is not below -0.5: "used to buy regularly"
    signals = [
        (spend, -late),
        (-freq, -spend),
        (late, not_rare),
        (freq, -late),
        (-freq, late),
        (up("return_share"),),
        (-up("tenure_days"), -late),
        (spend, late),
    ]
    return {name: float(np.mean(v)) for name, v in zip(PATTERNS, signals, strict=True) if all(x > 0.5 for x in v)}


def _fmt(v: float) -> str:
    if pd.isna(v):
        return "n/a"
    return f"{v:,.0f}" if abs(v) >= 10 else f"{v:.1f}" if abs(v) >= 1 else f"{v:.2f}"


@dataclass(frozen=True)
class Persona:
    """A segment in words: a short name and a one-line description from its profile."""

    segment: int
    name: str
    description: str
    size: int
    share: float


def personas(prof: Profile) -> list[Persona]:
    """Name and describe every segment from what sets it apart.

    Each RFM pattern name goes to the segment that matches it most strongly; the other segments are named
    after their two most distinctive features ("High annual income, low spending score"). Names are unique.
    """
    diffs = {s: g.set_index("feature")["std_diff"].to_dict() for s, g in prof.stats.groupby("segment")}
    names: dict[int, str] = {NOISE: "Fit no group"} if NOISE in diffs else {}
    matches = {s: _archetypes(d) for s, d in diffs.items() if s != NOISE}
    for pattern in PATTERNS:
        claims = {s: m[pattern] for s, m in matches.items() if pattern in m and s not in names}
        if claims:
            names[max(claims, key=claims.get)] = pattern
    out = []
    for row in prof.sizes.itertuples(index=False):
        s = int(row.segment)
        d, top = diffs[s], prof.top_features[s]
        strong = [f for f in top if abs(d[f]) >= 0.5]
        if s not in names:
            phrases = [_phrase(f, d[f], f in prof.shares) for f in strong] or ["typical customers"]
            base = ", ".join(phrases[:3] if _capital(", ".join(phrases[:2])) in names.values() else phrases[:2])
            name, n = _capital(base), 2
            while name in names.values():
                name, n = f"{_capital(base)} ({n})", n + 1
            names[s] = name
        st = prof.stats[prof.stats["segment"] == s].set_index("feature")
        money = f", {row.revenue_share:.0%} of revenue" if "revenue_share" in prof.sizes.columns else ""
        facts = "; ".join(
            f"{nice_name(f)} {_value(st, f, '', f in prof.shares)} vs {_value(st, f, 'overall_', f in prof.shares)} "
            "overall"
            for f in strong
        )
        people = f"{row.customers:,} customer{'s' if row.customers != 1 else ''}"
        desc = f"{people} ({row.share:.0%}{money}): {facts or 'close to average on every feature'}."
        out.append(Persona(s, names[s], desc, int(row.customers), float(row.share)))
    return out


def _value(stats: pd.DataFrame, feature: str, prefix: str, share: bool = False) -> str:
    """A segment's (or everyone's) typical value: the median, or the share for a category or a 0/1 column."""
    if share:
        return f"{stats.at[feature, prefix + 'mean']:.0%}"
    return _fmt(stats.at[feature, prefix + "median"])


# --- stability and unusual customers ----------------------------------------------------------------------------


@_one_thread
def stability(
    X: np.ndarray,
    reference: np.ndarray,
    *,
    algorithm: str = "kmeans",
    k: int = 4,
    linkage: str = "ward",
    eps: float | None = None,
    seeds: int = 5,
    sample_size: int = 2000,
) -> float:
    """Mean adjusted Rand index between the segments and single-start refits on random 80% subsamples.

    Near 1: customers keep their segment whatever the random start; below ~0.75 the grouping is shaky.
    """
    n = len(X)
    scores = []
    for seed in range(1, seeds + 1):
        rows = _sample(n, min(sample_size, int(0.8 * n)), seed)
        refit = Segmenter(algorithm=algorithm, n_segments=k, linkage=linkage, eps=eps, n_init=1, random_state=seed)
        scores.append(adjusted_rand_score(reference[rows], refit.fit(X[rows]).labels_))
    return float(np.mean(scores))


def stability_word(ari: float) -> str:
    """ "stable" when customers mostly keep their segment across restarts, else "shaky"."""
    return "stable" if ari >= 0.75 else "shaky"


def unusual_customers(
    customers: pd.DataFrame,
    scaler: FeatureScaler,
    X: np.ndarray,
    labels: np.ndarray,
    *,
    top: int = 20,
    min_score: float = 3.0,
) -> pd.DataFrame:
    """Customers far from their segment's centre (or in no segment), with what is unusual about them.

    `score` is the distance to the nearest centre over the segment's typical (median) distance; customers
    scoring `min_score` or more are listed, the most unusual first.
    """
    columns = ["customer_id", "segment", "score", "unusual"]
    centers = _centers(X, labels)
    if not len(centers):
        return pd.DataFrame(columns=columns)
    nearest = np.where(labels == NOISE, _nearest(X, centers)[0], labels)
    dist = np.linalg.norm(X - centers[nearest], axis=1)
    typical = np.array([np.median(dist[labels == s]) for s in range(len(centers))])
    score = dist / np.where(typical > 0, typical, dist[labels != NOISE].mean() or 1.0)[nearest]
    order = [i for i in np.argsort(-score, kind="stable")[:top] if score[i] >= min_score or labels[i] == NOISE]
    logged = scaler.logged(customers)
    raw = scaler.raw(customers)
    spread = logged.std(ddof=0).replace(0, 1.0)
    rows = []
    for i in order:
        group = nearest == nearest[i]
        z = ((logged.iloc[i] - logged[group].median()) / spread).abs().sort_values(ascending=False)
        facts = [
            f"{nice_name(f)} {_fmt(raw.iat[i, raw.columns.get_loc(f)])} (typical {_fmt(raw.loc[group, f].median())})"
            for f in z.index[:2]
            if z[f] >= 1
        ]
        rows.append(
            {
                "customer_id": customers["customer_id"].iat[i],
                "segment": int(labels[i]),
                "score": float(score[i]),
                "unusual": "; ".join(facts) or "an unusual mix of otherwise ordinary values",
            }
        )
    return pd.DataFrame(rows, columns=columns)


# --- one segmentation, end to end -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segmentation:
    """The fitted segments of one dataset for one set of choices: labels, profile, personas, outliers."""

    params: dict[str, Any]
    customer_ids: np.ndarray
    labels: np.ndarray
    personas: list[Persona]
    profile: Profile
    silhouette: float
    unusual: pd.DataFrame
    log_columns: list[str]
    fitted_on: int
    eps: float | None = None
    names: dict[int, str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "names", {p.segment: p.name for p in self.personas})

    @property
    def n_segments(self) -> int:
        """Segments found (DBSCAN's noise is not counted)."""
        return int(sum(p.segment != NOISE for p in self.personas))

    def labels_frame(self, renames: dict[int, str] | None = None) -> pd.DataFrame:
        """One row per customer: `customer_id` and `segment` (its name, with the user's renames applied)."""
        names = {**self.names, **(renames or {})}
        return pd.DataFrame({"customer_id": self.customer_ids, "segment": [names[s] for s in self.labels]})


def default_params(customers: pd.DataFrame, roles: dict[str, Any]) -> dict[str, Any]:
    """The parameters of `analyse` the Segments page starts from (k None: the sweep's suggestion)."""
    features = default_features(customers, roles)
    return dict(features=features, scaling="zscore", log="auto", algorithm="kmeans", k=None, linkage="ward", eps=None)


@_one_thread
def analyse(
    customers: pd.DataFrame,
    roles: dict[str, Any],
    *,
    features: list[str] | None = None,
    scaling: str = "zscore",
    log: str = "auto",
    algorithm: str = "kmeans",
    k: int | None = None,
    linkage: str = "ward",
    eps: float | None = None,
    random_state: int = 0,
) -> Segmentation:
    """Segment the customers and describe the segments; k defaults to the sweep's suggestion.

    Pages and other modules call this through the cache with the same parameters to share one fit:
    `ui.cached("segment.fit", params, lambda: segment.analyse(ds.customers, ds.customer_roles, **params))`
    with `params` from `default_params` or the Segments page (which also puts the chosen labels, renamed by
    the user, in `st.session_state["segments"]`).
    """
    features = list(features) if features is not None else default_features(customers, roles)
    scaler, X = prepare(customers, roles, features, scaling, log)
    if k is None and algorithm != "dbscan":
        k = sweep(X, algorithm=algorithm, linkage=linkage, random_state=random_state).suggested_k
    model = Segmenter(algorithm=algorithm, n_segments=k or 2, linkage=linkage, eps=eps, random_state=random_state)
    labels = model.fit(X).labels_
    prof = profile(customers, scaler, labels)
    params = dict(features=features, scaling=scaling, log=log, algorithm=algorithm, k=k, linkage=linkage, eps=eps)
    return Segmentation(
        params=params,
        customer_ids=customers["customer_id"].astype(str).to_numpy(),
        labels=labels,
        personas=personas(prof),
        profile=prof,
        silhouette=_silhouette(X, labels, random_state),
        unusual=unusual_customers(customers, scaler, X, labels),
        log_columns=list(scaler.log_columns_),
        fitted_on=model.fitted_on_,
        eps=getattr(model, "eps_", None),
    )


def summary(ds: Any, k: int | None = None, algorithm: str = "kmeans") -> dict[str, Any]:
    """The CLI's `segments` key: algorithm, k, suggested k, features, sizes, silhouette and personas."""
    customers, roles = ds.customers, ds.customer_roles
    features = default_features(customers, roles)
    if not features:
        raise NotEnoughData(
            "Segments need columns that describe customers, and feedback or ratings alone have none: upload an "
            "orders file or a customer list with them (on the Segments page you can also pick the feedback counts)."
        )
    suggested = None
    if algorithm != "dbscan":
        suggested = sweep(prepare(customers, roles, features)[1], algorithm=algorithm).suggested_k
    seg = analyse(customers, roles, features=features, algorithm=algorithm, k=k or suggested)
    return {
        "algorithm": algorithm,
        "k": seg.n_segments,
        "suggested_k": suggested,
        "features": features,
        "sizes": [p.size for p in seg.personas],
        "silhouette": seg.silhouette,
        "personas": [{"name": p.name, "size": p.size, "description": p.description} for p in seg.personas],
    }
