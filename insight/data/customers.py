"""The customer table: one row per customer from transactions, customer attributes and feedback.

Behaviour columns follow the classic "transaction log -> one row per
customer" shape (as in lifetimes' summary_data_from_transaction_data), with
an optional `as_of` cutoff so churn labels never see the future.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from insight.i18n import N_

BEHAVIOUR_COLUMNS = (
    "recency_days",
    "frequency",
    "monetary",
    "avg_order_value",
    "tenure_days",
    "purchase_rate_30d",
    "days_between_orders",
    "return_share",
    "distinct_items",
    "first_purchase",
    "last_purchase",
)
MIN_CUSTOMERS = {"segments": 10, "churn model": 50, "lifetime value": 50, "RFM scores": 5}


def behaviour_features(tx: pd.DataFrame, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """Behaviour per customer from a standard transactions frame (see `insight.schema.standardize`).

    Only events at or before `as_of` are used; recency and tenure are measured
    from `as_of` (default: the last event in the log).
    """
    tx = tx[tx["customer_id"].notna()]
    has_time = "timestamp" in tx and tx["timestamp"].notna().any()
    if has_time:
        tx = tx[tx["timestamp"].notna()]
        if as_of is not None:
            tx = tx[tx["timestamp"] <= as_of]
    amount = tx["amount"] if "amount" in tx else pd.Series(np.nan, index=tx.index)
    qty = tx["quantity"] if "quantity" in tx else pd.Series(1.0, index=tx.index)
    is_return = (amount < 0) | (qty < 0)
    if "order_id" in tx:
        order = tx["order_id"].fillna("")
    elif has_time:
        order = tx["timestamp"].dt.strftime("%Y-%m-%d")
    else:
        order = pd.Series(np.arange(len(tx)).astype(str), index=tx.index)
    frame = pd.DataFrame(
        {
            "customer_id": tx["customer_id"].astype(str),
            "order": order.astype(str),
            "gross": amount.where(~is_return, 0.0),
            "returned": (-amount).where(is_return, 0.0),
            "net": amount,
            "purchase": ~is_return,
        }
    )
    if "item_id" in tx or "item_name" in tx:
        frame["item"] = (tx["item_id"] if "item_id" in tx else tx["item_name"]).astype(str)
    if has_time:
        frame["t"] = tx["timestamp"]
    purchases = frame[frame["purchase"]]
    g = frame.groupby("customer_id", sort=True)
    out = pd.DataFrame(index=g.size().index)
    out["frequency"] = purchases.groupby("customer_id")["order"].nunique().reindex(out.index, fill_value=0)
    out["monetary"] = g["net"].sum(min_count=1).fillna(0.0)
    gross = g["gross"].sum()
    out["avg_order_value"] = (gross / out["frequency"].replace(0, np.nan)).astype(float)
    out["return_share"] = (g["returned"].sum() / gross.replace(0, np.nan)).fillna(0.0).clip(0, 1)
    out["distinct_items"] = (
        purchases.groupby("customer_id")["item"].nunique().reindex(out.index) if "item" in frame else np.nan
    )
    if has_time:
        ref = as_of if as_of is not None else frame["t"].max()
        pg = purchases.groupby("customer_id")["t"]
        first, last = pg.min().reindex(out.index), pg.max().reindex(out.index)
        first = first.fillna(g["t"].min())
        last = last.fillna(g["t"].max())
        out["first_purchase"] = first
        out["last_purchase"] = last
        out["recency_days"] = (ref - last).dt.total_seconds() / 86400
        out["tenure_days"] = (ref - first).dt.total_seconds() / 86400
        out["purchase_rate_30d"] = out["frequency"] / np.maximum(out["tenure_days"], 30.0) * 30
        span = (last - first).dt.total_seconds() / 86400
        out["days_between_orders"] = (span / (out["frequency"] - 1).where(out["frequency"] > 1)).astype(float)
    out = out.reset_index().rename(columns={"index": "customer_id"})
    order = ["customer_id", *[c for c in BEHAVIOUR_COLUMNS if c in out]]
    return out[order]


def rfm_scores(customers: pd.DataFrame) -> pd.DataFrame:
    """R, F and M scores 1-5 by quintile (5 = most recent / most frequent / highest spend).

    Equal values get equal scores (ties share their average rank), so two customers
    with the same behaviour always land in the same RFM group.
    """

    def quintile(s: pd.Series, ascending: bool) -> pd.Series:
        n = int(s.notna().sum())
        if n < 2:
            return pd.Series(3, index=s.index, dtype="Int64")
        position = (s.rank(method="average", ascending=ascending) - 1) / (n - 1)  # 0 = lowest, 1 = highest
        return (np.floor(position * 5).clip(upper=4) + 1).astype("Int64")

    buyers = customers["frequency"] > 0
    out = pd.DataFrame(index=customers.index)
    for name, col, asc in (
        ("r_score", "recency_days", False),
        ("f_score", "frequency", True),
        ("m_score", "monetary", True),
    ):
        if col in customers:
            out[name] = quintile(customers.loc[buyers, col], asc).reindex(customers.index)
    return out


def rfm_group(r: float, f: float, m: float, frequency: float) -> str:
    """Shopify-style RFM group from the scores; FM is the rounded mean of F and M."""
    if not frequency or pd.isna(r):
        return "Prospects"  # no orders yet
    fm = int(np.floor((f + m) / 2 + 0.5))
    if r == 5 and fm >= 4:
        return "Champions"  # bought very recently, often, and spent the most
    if r >= 3 and fm >= 4:
        return "Loyal"  # buy often and spend well, not all of them very lately
    if r >= 4 and fm == 3:
        return "Active"  # recent, middling frequency and spend
    if r >= 4 and frequency == 1:
        return "New"  # first order, recently
    if r >= 4:
        return "Promising"  # recent, few orders so far
    if r == 3:
        return "Needs attention"  # average recency, below-average frequency/spend
    if fm == 5:
        return "Previously loyal"  # were among the best, not seen for a long time
    if fm >= 3:
        return "At risk"  # used to buy a fair amount, long ago
    if r == 2:
        return "Almost lost"  # few, small orders, a while ago
    return "Dormant"  # few, small orders, long ago


RFM_GROUPS = (  # keys in the data, shown in words (translated when shown)
    N_("Champions"),
    N_("Loyal"),
    N_("Active"),
    N_("New"),
    N_("Promising"),
    N_("Needs attention"),
    N_("At risk"),
    N_("Previously loyal"),
    N_("Almost lost"),
    N_("Dormant"),
    N_("Prospects"),
)


def add_rfm(customers: pd.DataFrame) -> pd.DataFrame:
    """Add r/f/m scores and the named RFM group (needs recency, frequency and monetary)."""
    if not {"recency_days", "frequency", "monetary"} <= set(customers.columns):
        return customers
    scores = rfm_scores(customers)
    out = customers.join(scores)
    groups = [
        rfm_group(r, f, m, n)
        for r, f, m, n in zip(
            out["r_score"].astype(float),
            out["f_score"].astype(float),
            out["m_score"].astype(float),
            out["frequency"],
            strict=True,
        )
    ]
    out["rfm_group"] = pd.Categorical(groups, categories=RFM_GROUPS)
    return out


def customer_table(
    transactions: list[pd.DataFrame],
    attributes: list[tuple[pd.DataFrame, list[str]]],
) -> pd.DataFrame:
    """Join behaviour from standard transaction frames with attribute tables on customer id.

    `attributes` holds (frame with a `customer_id` column, attribute columns) pairs.
    Customers who appear only in an attribute table get frequency 0 (RFM group "Prospects").
    """
    parts = []
    if transactions:
        tx = pd.concat(transactions, ignore_index=True)
        parts.append(behaviour_features(tx))
    for frame, cols in attributes:
        keep = frame[["customer_id", *[c for c in cols if c != "customer_id"]]]
        keep = keep[keep["customer_id"].notna()].drop_duplicates("customer_id", keep="last")
        parts.append(keep)
    if not parts:
        return pd.DataFrame(columns=["customer_id"])
    table = parts[0]
    for part in parts[1:]:
        overlap = [c for c in part.columns if c in table.columns and c != "customer_id"]
        table = table.merge(part.drop(columns=overlap), on="customer_id", how="outer")
    if "frequency" in table:
        table["frequency"] = table["frequency"].fillna(0).astype(int)
        for col in ("monetary", "return_share"):
            table[col] = table[col].fillna(0.0)
    table = add_rfm(table)
    return table.sort_values("customer_id", kind="stable").reset_index(drop=True)


def too_few(customers: pd.DataFrame) -> dict[str, str]:
    """For each analysis that needs more customers than there are, a sentence saying so."""
    n = len(customers)
    return {
        name: f"{name.capitalize()} need at least {need} customers; this data has {n}."
        for name, need in MIN_CUSTOMERS.items()
        if n < need
    }
