"""What the recommenders learn from: one rating per (customer, item), from a ratings file or made from
purchases, with the rating scale and which ratings count as liked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from insight.errors import NotEnoughData, SchemaError
from insight.i18n import N_, Message


@dataclass(frozen=True)
class Interactions:
    """One rating per (customer, item), where it came from, and the rating scale."""

    ratings: pd.DataFrame
    source: str
    rating_scale: tuple[float, float]
    note: Message  # written when read (cached)

    def liked(self) -> pd.Series:
        """Which ratings count as "liked": the top quarter of the scale, or any purchase not returned."""
        lo, hi = self.rating_scale
        if self.source == "implicit":
            return self.ratings["rating"] > lo
        return self.ratings["rating"] >= lo + 0.75 * (hi - lo)


IMPLICIT_SCALE = (1.0, 5.0)
IMPLICIT_NOTE = N_(
    "Ratings made from purchases: bought in 1 order = 3 stars, 2 orders = 4, 3 or more = 5; one star less "
    "(not below 2) when some of it was returned, and 1 star when everything bought was returned."
)


def implicit_ratings(transactions: pd.DataFrame) -> pd.DataFrame:
    """Turn order lines into 1-5 ratings per (customer, item), returns netted off (see `IMPLICIT_NOTE`).

    Repeat buying is the strongest signal a shop has that a customer likes an item, so stars count the
    orders an item was bought in; returned quantities are subtracted, and an item returned in full is a
    dislike. `timestamp` is when the customer first bought the item.
    """
    need = {"customer_id", "item_id"} - set(transactions.columns)
    if need:
        raise SchemaError(
            N_(
                "The orders table has no {value} column. Mark which columns hold the customer and the "
                "product on the Data page."
            ),
            value=" or ".join(sorted(need)),
        )
    df = transactions.dropna(subset=["customer_id", "item_id"])
    qty = df["quantity"] if "quantity" in df else pd.Series(1.0, index=df.index)
    if "amount" in df and "quantity" not in df:
        qty = np.sign(df["amount"]).replace(0, 1)
    qty = qty.fillna(1.0).astype(float)
    order = df["order_id"] if "order_id" in df else df["timestamp"] if "timestamp" in df else df.index.to_series()
    frame = pd.DataFrame(
        {
            "customer_id": df["customer_id"].astype(str),
            "item_id": df["item_id"].astype(str),
            "bought": qty.clip(lower=0),
            "returned": (-qty).clip(lower=0),
            "order": order.astype(str).where(qty > 0),
        }
    )
    if "timestamp" in df:
        frame["timestamp"] = df["timestamp"].where(qty > 0)
    agg = {"bought": ("bought", "sum"), "returned": ("returned", "sum"), "orders": ("order", "nunique")}
    if "timestamp" in frame:
        agg["timestamp"] = ("timestamp", "min")
    pairs = frame.groupby(["customer_id", "item_id"], sort=True).agg(**agg).reset_index()
    pairs = pairs[pairs["bought"] > 0]
    stars = np.minimum(5, 2 + pairs["orders"].to_numpy())
    stars = np.where(pairs["returned"].to_numpy() > 0, np.maximum(2, stars - 1), stars)
    stars = np.where(pairs["returned"].to_numpy() >= pairs["bought"].to_numpy(), 1, stars)
    out = pairs[["customer_id", "item_id"]].assign(rating=stars.astype(float))
    if "timestamp" in pairs:
        out["timestamp"] = pairs["timestamp"]
    return out.reset_index(drop=True)


def explicit_ratings(ratings: pd.DataFrame) -> pd.DataFrame:
    """One rating per (customer, item): repeated ratings of a pair are averaged, keeping the latest time."""
    need = {"customer_id", "item_id", "rating"} - set(ratings.columns)
    if need:
        raise SchemaError(
            N_("The ratings table has no {value} column. Mark the customer, item and rating columns on the Data page."),
            value=" or ".join(sorted(need)),
        )
    df = ratings.dropna(subset=["customer_id", "item_id", "rating"]).copy()
    df["customer_id"] = df["customer_id"].astype(str)
    df["item_id"] = df["item_id"].astype(str)
    df["rating"] = pd.to_numeric(df["rating"], errors="coerce").astype(float)
    df = df.dropna(subset=["rating"])
    agg = {"rating": ("rating", "mean")}
    if "timestamp" in df:
        agg["timestamp"] = ("timestamp", "max")
    return df.groupby(["customer_id", "item_id"], sort=False).agg(**agg).reset_index()


def make_interactions(ratings: pd.DataFrame, source: str) -> Interactions:
    """Validate prepared ratings and read the rating scale from the data."""
    if len(ratings) < 10 or ratings["customer_id"].nunique() < 2 or ratings["item_id"].nunique() < 2:
        raise NotEnoughData(
            N_(
                "Recommendations need at least 10 ratings or purchases from 2+ customers on 2+ items; this "
                "data has {n} from {nunique} customers. Upload more history."
            ),
            n=len(ratings),
            nunique=ratings["customer_id"].nunique(),
        )
    lo, hi = float(ratings["rating"].min()), float(ratings["rating"].max())
    if source == "implicit":
        # purchase models learn from what customers bought together, not from how often: one kept item each is nothing
        kept_by = ratings.loc[ratings["rating"] > IMPLICIT_SCALE[0], "customer_id"]  # one row per (customer, item)
        if not kept_by.duplicated().any():
            raise NotEnoughData(
                N_(
                    "No customer kept two or more different items, so there is nothing to learn what goes "
                    "together: upload a longer order history."
                )
            )
        lo, hi = IMPLICIT_SCALE
    elif lo == hi:
        raise NotEnoughData(
            N_(
                "Every rating is {lo:g}, so there is nothing to learn preferences from: upload ratings "
                "that vary, or use the orders table instead."
            ),
            lo=lo,
        )
    own = Message(N_("Customers' own ratings, scale {low:g} to {high:g}."), low=lo, high=hi)
    note = Message(IMPLICIT_NOTE) if source == "implicit" else own
    return Interactions(ratings.reset_index(drop=True), source, (lo, hi), note)


def sources(ds: Any) -> list[str]:
    """Which rating sources a dataset offers: "ratings" (explicit) and/or "implicit" (from purchases)."""
    out = []
    if ds.table("ratings") is not None:
        out.append("ratings")
    tx = ds.transactions()
    if tx is not None and {"customer_id", "item_id"} <= set(tx.columns):
        out.append("implicit")
    return out


def interactions_from_dataset(ds: Any, source: str = "auto") -> Interactions:
    """The dataset's ratings table as it is, or implicit ratings from its orders ("auto": ratings first)."""
    available = sources(ds)
    if not available:
        raise SchemaError(
            N_(
                "Recommendations need a ratings file (customer, item, rating) or an orders file with a "
                "customer and a product column. Upload one on the Data page."
            )
        )
    if source == "auto":
        source = available[0]
    if source not in available:
        raise SchemaError(
            N_("This dataset has no {source} data for recommendations; choose one of {available}."),
            source=repr(source),
            available=available,
        )
    if source == "ratings":
        return make_interactions(explicit_ratings(ds.table("ratings").standard()), "ratings")
    return make_interactions(implicit_ratings(ds.transactions()), "implicit")


def item_catalog(ds: Any) -> pd.DataFrame:
    """Item names and a short text per item (name plus per-item categories), indexed by item id (str)."""
    parts = []
    for table in [*ds.tables_of("ratings"), *ds.tables_of("transactions")]:
        roles = table.roles
        if "item_id" not in roles:
            continue
        cols = [c for c in [roles.get("item_name"), *roles.get("categorical", [])] if c in table.frame]
        ids = table.standard()["item_id"]  # the same clean ids the recommender uses ("123", not "123.0")
        frame = table.frame[ids.notna()]
        by_item = frame.groupby(ids[ids.notna()])
        names = None
        if roles.get("item_name") in cols:  # an item whose lines all lack a name (a short row) goes by its id
            first_name = by_item[cols[0]].first()
            names = first_name.astype(object).where(first_name.notna(), first_name.index.to_series()).astype(str)
        constant = [c for c in cols if (by_item[c].nunique() > 1).mean() <= 0.05]  # item-level descriptions
        first = by_item[constant].first()
        text = first.astype(object).where(first.notna(), "").astype(str).agg(" ".join, axis=1) if constant else None
        if names is not None or text is not None:
            index = (names if names is not None else text).index
            parts.append(
                pd.DataFrame(
                    {
                        "name": names if names is not None else index.to_series(),
                        "text": text if text is not None else names,
                    },
                    index=index,
                )
            )
    if not parts:
        return pd.DataFrame({"name": pd.Series(dtype=str), "text": pd.Series(dtype=str)})
    catalog = pd.concat(parts)
    return catalog[~catalog.index.duplicated()].rename_axis("item_id")


def purchases(ds: Any) -> pd.DataFrame | None:
    """(customer_id, item_id) pairs the customers bought, to exclude when recommending from ratings."""
    tx = ds.transactions()
    if tx is None or not {"customer_id", "item_id"} <= set(tx.columns):
        return None
    std = tx.dropna(subset=["customer_id", "item_id"])
    if "quantity" in std:
        std = std[std["quantity"].fillna(1) > 0]
    return std[["customer_id", "item_id"]].astype(str).drop_duplicates()
