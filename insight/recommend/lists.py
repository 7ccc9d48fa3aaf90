"""Recommendations for everyone: top-N with item names and the reason for each pick, a labelled popularity
fallback for customers the model has never seen, and one customer's history."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from insight.recommend.interactions import Interactions
from insight.recommend.models import TOP_N
from insight.recommend.recommender import Recommender

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
