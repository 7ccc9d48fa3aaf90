"""The k sweep: fit every number of segments, score each, and suggest one with the reason."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score

from insight.i18n import N_, Message
from insight.segment.cluster import (
    NOISE,
    SILHOUETTE_SAMPLE,
    _centers,
    _check,
    _cluster_labels,
    _distinct,
    _sample,
    knee,
)
from insight.threads import one_thread


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
    reason: Message  # written when read (the sweep is cached)


@one_thread
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


def _suggest(table: pd.DataFrame, knee_k: int) -> tuple[int, Message]:
    sil = table.set_index("k")["silhouette"].dropna()
    if sil.empty:
        uneven = N_("{k} groups: the elbow of the inertia curve (the groups are too uneven to score).")
        return knee_k, Message(uneven, k=knee_k)
    best = knee_k if sil.get(knee_k, -1.0) >= sil.max() - 0.02 else int(sil.idxmax())
    if best == int(sil.idxmax()):
        highest = N_("silhouette {silhouette:.2f}, the highest for k = {low} to {high}")
        quality = Message(highest, silhouette=sil[best], low=int(table["k"].min()), high=int(table["k"].max()))
    else:
        near = N_("silhouette {silhouette:.2f}, within 0.02 of the highest ({top:.2f} at k = {top_k})")
        quality = Message(near, silhouette=sil[best], top=sil.max(), top_k=int(sil.idxmax()))
    if best == knee_k:
        there = N_(
            "{k} groups: customers sit most clearly inside their own group there ({quality}), and the elbow of the "
            "inertia curve is there too."
        )
        return best, Message(there, k=best, quality=quality)
    elsewhere = N_(
        "{k} groups: customers sit most clearly inside their own group there ({quality}), and the inertia elbow "
        "is at {knee}."
    )
    return best, Message(elsewhere, k=best, quality=quality, knee=knee_k)
