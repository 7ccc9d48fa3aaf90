"""Recommendations for everyone: top-N with item names and the reason for each pick, a labelled popularity
fallback for customers the model has never seen, and one customer's history."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from insight.i18n import N_, Message, text
from insight.recommend.interactions import Interactions
from insight.recommend.models import TOP_N
from insight.recommend.recommender import Recommender

BASIS_MODEL = N_("model")  # keys in the data, shown in words (translated when shown)
BASIS_SEGMENT = N_("popular in segment")
BASIS_OVERALL = N_("popular overall")
ALL_CUSTOMERS = N_("Popular with all customers")
_NEIGHBOURS_FOR_REASON = 10
_MIN_SEGMENT_CUSTOMERS = 5


def _reasons(rec: Recommender, top: pd.DataFrame, names: dict[str, str]) -> list[Message]:
    """Why each model pick: similar to the liked item that drives it most, else liked by similar customers.

    "Similar" means the liked item is among the pick's 10 nearest items by who bought / rated both; among
    those, the one with the largest similarity x the customer's own rating drives the pick (so a 5-star
    item beats a 4-star one that is about as similar).
    """
    users = rec.customer_index_.get_indexer(top["customer_id"])
    items = rec.item_index_.get_indexer(top["item_id"])
    overlap = _nearest(rec.cosine_, _NEIGHBOURS_FOR_REASON)[items].multiply(rec.liked_[users]).tocsr()
    stars = rec.ratings_[users]
    contribution = overlap.multiply(stars).tocsr()
    best = contribution.max(axis=1).toarray().ravel()
    similar_to = np.asarray(contribution.argmax(axis=1)).ravel()
    out = []
    for row, (b, j) in enumerate(zip(best, similar_to, strict=True)):
        if b > 0:
            item = rec.items_[j]
            name = str(names.get(item, item))
            if rec.source_ == "implicit":
                out.append(Message(N_("Similar to {item}, which you bought"), item=name))
            else:
                rated = N_("Similar to {item}, which you rated {stars:g}★")
                out.append(Message(rated, item=name, stars=float(stars[row, j])))
        else:
            out.append(Message(N_("Liked by customers with similar taste")))
    return out


def _nearest(similarity: sparse.csr_matrix, k: int) -> sparse.csr_matrix:
    """Each row's k largest entries (and any tied with the k-th), the others dropped: each item's nearest items."""
    counts = np.diff(similarity.indptr)
    kth = np.zeros(similarity.shape[0], dtype=similarity.dtype)
    for i in np.flatnonzero(counts > k):  # one partition per item: linear in its row
        kth[i] = np.partition(similarity.data[similarity.indptr[i] : similarity.indptr[i + 1]], -k)[-k]
    near = similarity.copy()
    near.data[near.data < np.repeat(kth, counts)] = 0.0
    near.eliminate_zeros()
    return near


def _one_per_name(lists: pd.DataFrame, n: int) -> pd.DataFrame:
    """Each customer's list without the same item twice (by name), cut to n and ranked 1..n again."""
    lists = lists.sort_values(["customer_id", "rank"], kind="stable")
    lists = lists.drop_duplicates(["customer_id", "item_name"])
    lists["rank"] = lists.groupby("customer_id").cumcount() + 1
    return lists[lists["rank"] <= n].reset_index(drop=True)


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
        basis, reason = BASIS_OVERALL, Message(ALL_CUSTOMERS)
        if counts is not None:
            like_you = N_("Popular with customers like you ({group}: {label})")
            basis, reason = BASIS_SEGMENT, Message(like_you, group=segment_name, label=str(label))
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
    """Top-n for every customer with item names and a reason (a message, written when read: `reasons_in_words`);
    unknown customers get labelled popular items.

    Columns: customer_id, rank, item_id, item_name, score (the model's predicted rating; empty for the
    popularity fallback), reason, basis ("model", "popular in segment" or "popular overall").
    `segments` maps customer_id to a group label (e.g. country) used for the cold-start fallback.
    """
    wanted = pd.Index(rec.customers_ if customers is None else [str(c) for c in customers], dtype=object).unique()
    known = rec.customer_index_.get_indexer(wanted) >= 0
    names = dict(catalog["name"]) if catalog is not None and "name" in catalog else {}
    spare = 2 * n  # room to drop items that share a name with one ranked higher
    top = rec.top_n(spare, wanted[known])
    if rec.algo_ is None:
        top["reason"], top["basis"] = Message(ALL_CUSTOMERS), BASIS_OVERALL
    else:
        top["reason"] = _reasons(rec, top, names) if len(top) else []
        top["basis"] = BASIS_MODEL
    cold = _popular_lists(rec, wanted[~known], spare, segments, segment_name)
    out = pd.concat([df for df in (top, cold) if len(df)], ignore_index=True) if len(top) or len(cold) else cold
    out.insert(3, "item_name", [str(names.get(i, i)) for i in out["item_id"]])
    return _one_per_name(out, n)


def customer_history(interactions: Interactions, customer_id: str, catalog: pd.DataFrame | None = None) -> pd.DataFrame:
    """What one customer rated or bought (item_id, item_name, rating[, timestamp]), most recent first."""
    df = interactions.ratings[interactions.ratings["customer_id"] == str(customer_id)]
    if "timestamp" in df:
        df = df.sort_values("timestamp", ascending=False)
    names = catalog["name"] if catalog is not None and "name" in catalog else pd.Series(dtype=object)
    out = df.drop(columns="customer_id").reset_index(drop=True)
    out.insert(1, "item_name", out["item_id"].map(lambda i: names.get(i, i)).astype(str))
    return out


def reasons_in_words(offers: pd.DataFrame) -> pd.DataFrame:
    """The offers with each reason written in the active language (the lists are cached with messages)."""
    return offers.assign(reason=offers["reason"].map(text)) if "reason" in offers else offers
