"""Who left: the churn label and the features the churn and spend models learn from.

The label comes from a label column when the data has one; otherwise it is derived from the order log
without leakage: features use only events up to a cutoff (the last date minus a horizon) and a customer
active before the cutoff has churned when they buy nothing in the horizon after it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from insight.data.standard import to_binary
from insight.errors import NotEnoughData, SchemaError
from insight.i18n import N_
from insight.outcome_words import NONE, Outcome, outcome_of

MIN_PER_CLASS = 10
# Bookkeeping columns of the customer table that are not predictors (dates, RFM scores derived from others).
NOT_FEATURES = {"customer_id", "first_purchase", "last_purchase", "r_score", "f_score", "m_score", "rfm_group"}


@dataclass
class ChurnData:
    """What the churn and spend models learn from, and the customers they score.

    `X`/`y` are the training rows (index: customer_id); `X_now` holds every customer's features as
    of today, the rows to score. With a derived label `spend_next` is each training customer's spend
    in the horizon after the cutoff (the spend model's target).
    """

    source: str
    X: pd.DataFrame
    y: pd.Series
    numeric: list[str]
    categorical: list[str]
    X_now: pd.DataFrame
    label_column: str | None = None
    cutoff: pd.Timestamp | None = None
    horizon_days: int | None = None
    spend_next: pd.Series | None = None
    dropped_unlabelled: int = 0

    @property
    def outcome(self) -> Outcome:
        """What the label means, in words: leaving for a derived label, else by the label column's name."""
        return outcome_of(self.label_column, derived=self.source == "derived")

    @property
    def churn_rate(self) -> float:
        return float(self.y.mean())

    @property
    def features(self) -> list[str]:
        return self.numeric + self.categorical

    def with_features(self, features: list[str]) -> ChurnData:
        """The same customers and label, learning only from `features` (in the given order's subset)."""
        keep = [f for f in self.features if f in features]
        if not keep:
            raise SchemaError(N_("Pick at least one feature for the churn models to learn from."))
        numeric = [c for c in self.numeric if c in keep]
        categorical = [c for c in self.categorical if c in keep]
        return replace(self, X=self.X[keep], X_now=self.X_now[keep], numeric=numeric, categorical=categorical)


def _is_id_like(col: pd.Series) -> bool:
    return col.nunique(dropna=True) > 0.9 * max(len(col), 1) and len(col) > 20


def _attribute_columns(
    customers: pd.DataFrame, roles: dict[str, Any], exclude: set[str]
) -> tuple[list[str], list[str]]:
    """Numeric and categorical predictor columns of the customer table (no PII, ids, label or dates)."""
    skip = exclude | NOT_FEATURES | set(roles.get("pii") or []) | {c for c in customers if customers[c].isna().all()}
    if roles.get("label"):
        skip.add(roles["label"])
    numeric = [
        c
        for c in roles.get("numeric") or []
        if c in customers and c not in skip and pd.api.types.is_numeric_dtype(customers[c])
    ]
    categorical = [
        c for c in roles.get("categorical") or [] if c in customers and c not in skip and not _is_id_like(customers[c])
    ]
    return numeric, categorical


def label_from_column(customers: pd.DataFrame, roles: dict[str, Any]) -> ChurnData:
    """Training data from the customer table's label column (rows without a label are left out)."""
    column = roles["label"]
    y = to_binary(customers[column])
    numeric, categorical = _attribute_columns(customers, roles, set())
    if not numeric and not categorical:
        raise SchemaError(
            N_(
                "The customer table has no columns to learn '{column}' from besides the outcome itself. Add attributes."
            ),
            column=column,
        )
    frame = customers.set_index(customers["customer_id"].astype(str))[numeric + categorical]
    known = y.notna().to_numpy()
    data = ChurnData(
        source="column",
        X=frame[known],
        y=pd.Series(y.to_numpy()[known].astype(int), index=frame.index[known], name="churned"),
        numeric=numeric,
        categorical=categorical,
        X_now=frame,
        label_column=column,
        dropped_unlabelled=int((~known).sum()),
    )
    _check_classes(data.y, column)
    return data


def derive_label(
    transactions: pd.DataFrame,
    customers: pd.DataFrame | None = None,
    roles: dict[str, Any] | None = None,
    *,
    horizon_days: int = 90,
    cutoff: pd.Timestamp | str | None = None,
) -> ChurnData:
    """Churn label and features from the order log, using only events up to the cutoff for features.

    The cutoff defaults to the last order date minus `horizon_days`. A customer with a purchase on or
    before the cutoff has churned when they make no purchase in the `horizon_days` after it. Static
    attributes of the customer table (age, country ...) join the behaviour features; the table's own
    behaviour columns are ignored because they were computed from all events.
    """
    from insight.data.customers import behaviour_features

    if horizon_days < 7:
        raise SchemaError(
            N_("The churn horizon must be at least 7 days; got {horizon_days}."), horizon_days=horizon_days
        )
    tx = transactions.dropna(subset=["customer_id", "timestamp"])
    last = tx["timestamp"].max()
    cut = pd.Timestamp(cutoff) if cutoff is not None else (last - pd.Timedelta(days=horizon_days)).normalize()
    if cut <= tx["timestamp"].min():
        span = (last - tx["timestamp"].min()).days
        raise NotEnoughData(
            N_(
                "The orders cover {span} days, too short for a {horizon_days}-day churn horizon. Choose a "
                "shorter horizon or upload a longer order history."
            ),
            span=span,
            horizon_days=horizon_days,
        )
    before = behaviour_features(tx[tx["timestamp"] <= cut], as_of=cut)
    now = behaviour_features(tx)
    after = tx[(tx["timestamp"] > cut) & (tx["timestamp"] <= cut + pd.Timedelta(days=horizon_days))]
    amount = after["amount"] if "amount" in after else pd.Series(np.nan, index=after.index)  # a log without money
    buyers = set(after.loc[amount.isna() | (amount > 0), "customer_id"].astype(str))
    spend = amount.groupby(after["customer_id"].astype(str)).sum()

    behaviour = [
        c
        for c in before.columns
        if c not in NOT_FEATURES and pd.api.types.is_numeric_dtype(before[c]) and before[c].notna().any()
    ]
    numeric, categorical = list(behaviour), []
    before = before[before["frequency"] > 0].set_index("customer_id")[behaviour]
    now = now[now["frequency"] > 0].set_index("customer_id")[behaviour]
    if customers is not None and roles is not None:
        attr_num, attr_cat = _attribute_columns(customers, roles, set(behaviour) | {"mean_sentiment"})
        attrs = customers.set_index(customers["customer_id"].astype(str))[attr_num + attr_cat]
        attrs = attrs[~attrs.index.duplicated()]
        before, now = before.join(attrs), now.join(attrs)
        known = [c for c in attr_num + attr_cat if before[c].notna().any()]  # ids may not match the orders
        before, now = (
            before.drop(columns=set(attrs.columns) - set(known)),
            now.drop(columns=set(attrs.columns) - set(known)),
        )
        numeric, categorical = numeric + [c for c in attr_num if c in known], [c for c in attr_cat if c in known]
    y = pd.Series([0 if c in buyers else 1 for c in before.index], index=before.index, name="churned")
    data = ChurnData(
        source="derived",
        X=before,
        y=y,
        numeric=numeric,
        categorical=categorical,
        X_now=now,
        cutoff=cut,
        horizon_days=horizon_days,
        spend_next=spend.reindex(before.index).fillna(0.0).rename("spend_next") if "amount" in after else None,
    )
    _check_classes(data.y)
    return data


def label_source(ds: Any) -> str | None:
    """'column' when the customer table has a label column, 'derived' when there are dated orders, else None."""
    if ds.customer_roles.get("label"):
        return "column"
    tx = ds.transactions()
    if tx is not None and {"customer_id", "timestamp"} <= set(tx.columns):
        return "derived"
    return None


def churn_data(ds: Any, *, horizon_days: int = 90) -> ChurnData:
    """The churn training data of a `Dataset`: its label column if it has one, else derived from orders.

    Derived labels only join attributes from customer files (age, country ...): columns summarising
    feedback or ratings were computed over all dates and would leak the future.
    """
    source = label_source(ds)
    if source == "column":
        return label_from_column(ds.customers, ds.customer_roles)
    if source is None:
        raise SchemaError(Outcome(NONE).message("missing"))
    static = {c for t in ds.tables_of("customers") for c in t.frame.columns}
    customers = ds.customers[[c for c in ds.customers.columns if c in static or c == "customer_id"]]
    return derive_label(ds.transactions(), customers, ds.customer_roles, horizon_days=horizon_days)


def _check_classes(y: pd.Series, column: str | None = None) -> None:
    churned, kept = int(y.sum()), int((1 - y).sum())
    if min(churned, kept) < MIN_PER_CLASS and column is not None and not outcome_of(column).leaving:
        raise NotEnoughData(
            N_(
                "The models need at least {min_per_class} customers on each side of '{column}'; this data "
                "has {churned} yes and {kept} no. Upload more customers."
            ),
            min_per_class=MIN_PER_CLASS,
            column=column,
            churned=churned,
            kept=kept,
        )
    if min(churned, kept) < MIN_PER_CLASS:
        raise NotEnoughData(
            N_(
                "Churn models need at least {min_per_class} churned and {min_per_class} staying customers; "
                "this data has {churned} churned and {kept} staying. Upload more customers or change the "
                "horizon."
            ),
            min_per_class=MIN_PER_CLASS,
            churned=churned,
            kept=kept,
        )
