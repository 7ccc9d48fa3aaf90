"""Top-n lists and how good they are, for every customer at once: the n best columns of a score matrix, and hit
rate, precision, recall and NDCG of those lists against each customer's held-out items, on arrays and sparse
matrices (no loop over customers or pairs in Python)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse


def top_items(scores: np.ndarray, n: int) -> np.ndarray:
    """Column indices of each row's n highest scores, best first, ties in column order: exactly the first n columns
    of a stable argsort of `-scores`, found by partitioning (linear) instead of sorting every row."""
    rows, cols = scores.shape
    n = min(n, cols)
    if n <= 0 or rows == 0:
        return np.empty((rows, max(n, 0)), dtype=np.intp)
    if n == cols:
        return np.argsort(-scores, axis=1, kind="stable")
    # the n largest, in no order; partitioned at the low end of -scores, where it stays fast when most scores tie
    # (-inf: bought or unreachable items), as it does not at the high end of scores
    part = np.argpartition(-scores, n - 1, axis=1)[:, :n]
    nth = np.take_along_axis(scores, part, axis=1).min(axis=1, keepdims=True)  # each row's n-th best score
    chosen = scores > nth
    room = n - chosen.sum(axis=1)  # how many columns tied at the n-th score make the list: the first ones
    tie_rows, tie_cols = np.nonzero(scores == nth)  # row by row, columns ascending
    place = np.arange(len(tie_rows)) - np.searchsorted(tie_rows, tie_rows)  # 0 for a row's first tie
    keep = place < room[tie_rows]
    chosen[tie_rows[keep], tie_cols[keep]] = True
    columns = np.nonzero(chosen)[1].reshape(rows, n)
    order = np.argsort(-np.take_along_axis(scores, columns, axis=1), axis=1, kind="stable")
    return np.take_along_axis(columns, order, axis=1)


def top_unseen(order: np.ndarray, seen: sparse.csr_matrix, n: int) -> np.ndarray:
    """Each customer's first n items of one ranking for everyone (`order`: column indices, best first) that are not
    in their row of `seen`; -1 where fewer remain. Only the head of the ranking a customer can reach is looked at:
    the n best plus as many as the customer with most seen items has seen."""
    seen = sparse.csr_matrix(seen)
    users = seen.shape[0]
    per_row = np.diff(seen.indptr)
    k = min(len(order), n + int(per_row.max(initial=0)))
    place = np.full(seen.shape[1], -1)
    place[order[:k]] = np.arange(k)  # where each item stands in the head of the ranking
    row_of = np.repeat(np.arange(users), per_row)
    where = place[seen.indices]
    free = np.ones((users, k), dtype=bool)
    free[row_of[where >= 0], where[where >= 0]] = False
    chosen = free & (np.cumsum(free, axis=1) <= n)
    out = np.full((users, n), -1, dtype=np.intp)
    rows, cols = np.nonzero(chosen)
    ranks = np.arange(len(rows)) - np.searchsorted(rows, rows)
    out[rows, ranks] = order[cols]
    return out


def held_matrix(customers: pd.Index, items: pd.Index, held: pd.DataFrame) -> sparse.csr_matrix:
    """customers x items, 1 for each held-out (customer_id, item_id) pair; pairs outside the indexes are dropped
    (count them in `wanted` yourself when they matter)."""
    rows = customers.get_indexer(held["customer_id"])
    cols = items.get_indexer(held["item_id"])
    ok = (rows >= 0) & (cols >= 0)
    data = np.ones(int(ok.sum()), dtype=np.float32)
    matrix = sparse.csr_matrix((data, (rows[ok], cols[ok])), shape=(len(customers), len(items)))
    matrix.data[:] = 1.0  # a pair held out twice is one item
    return matrix


def hits(top: np.ndarray, held: sparse.csr_matrix) -> np.ndarray:
    """customers x n booleans: whether each listed item (column index; -1 for an empty place) is held out for that
    customer (`held`: the same customers as rows)."""
    held = sparse.csr_matrix(held)
    width = held.shape[1] + 1
    rows = np.repeat(np.arange(held.shape[0], dtype=np.int64), np.diff(held.indptr))
    wanted = rows * width + held.indices
    listed = np.arange(top.shape[0], dtype=np.int64)[:, None] * width + top
    return np.isin(listed, wanted) & (top >= 0)


def ranking_scores(top: np.ndarray, held: sparse.csr_matrix, wanted: np.ndarray | None = None) -> dict[str, float]:
    """precision@n, recall@n, hit rate and NDCG@n of top-n lists (customers x n column indices, -1 for an empty
    place), averaged over the customers (rows), each against their held-out items.

    `wanted` is each customer's number of held-out items (default: the row counts of `held`; larger when some held
    items could not be placed in the matrix, e.g. items the model never saw, which no list can hit).
    NDCG@n: the hits' discounted gain 1 / log2(rank + 1), divided by the best a list of n could score.
    """
    n = top.shape[1]
    wanted = np.asarray(held.getnnz(axis=1) if wanted is None else wanted, dtype=float)
    found = hits(top, held)
    count = found.sum(axis=1)
    discount = 1.0 / np.log2(np.arange(2, n + 2))
    ideal = np.concatenate([[0.0], np.cumsum(discount)])[np.minimum(wanted, n).astype(int)]
    dcg = (found * discount).sum(axis=1)
    safe = np.maximum(wanted, 1)
    return {
        f"precision_at_{n}": float(np.mean(count / n)) if len(count) else float("nan"),
        f"recall_at_{n}": float(np.mean(count / safe)) if len(count) else float("nan"),
        "hit_rate": float(np.mean(count > 0)) if len(count) else float("nan"),
        f"ndcg_at_{n}": float(np.mean(np.where(ideal > 0, dcg / np.where(ideal > 0, ideal, 1), 0.0)))
        if len(count)
        else float("nan"),
    }


def ranking_metrics(recs: pd.DataFrame, relevant: pd.DataFrame, n: int = 10) -> dict[str, float]:
    """precision@n, recall@n, hit rate and NDCG@n of ranked lists (customer_id, rank, item_id) against each
    customer's held-out items (customer_id, item_id); customers with held-out items but no list count as misses."""
    customers = pd.Index(relevant["customer_id"].unique())
    items = pd.Index(pd.unique(pd.concat([recs["item_id"], relevant["item_id"]], ignore_index=True)))
    top = np.full((len(customers), n), -1, dtype=np.intp)
    listed = recs[(recs["rank"] <= n) & recs["customer_id"].isin(customers)]
    top[customers.get_indexer(listed["customer_id"]), listed["rank"].to_numpy(dtype=int) - 1] = items.get_indexer(
        listed["item_id"]
    )
    return ranking_scores(top, held_matrix(customers, items, relevant))
