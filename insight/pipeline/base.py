"""The pipeline's ground floor: the dataset, the runner, the defaults and the facts every analysis checks first
(is there an orders file, can customers be told apart, where does the churn label come from)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from insight import predict
from insight.data.assemble import missing_customers
from insight.pipeline.runner import MemoRunner, Runner

HORIZON_DAYS = 90  # the churn horizon and lifetime-value window the app starts from
THRESHOLD = 0.5  # churn risk from which a customer is flagged, until the founder moves the slider


class Base:
    """One dataset (`ds`) and the runner its steps go through (`run`; default: remembered in this object only)."""

    def __init__(self, dataset: Any, run: Runner | None = None) -> None:
        self.ds = dataset
        self.run = run or MemoRunner()

    def transactions(self) -> pd.DataFrame | None:
        """Every orders file as one standard frame (None without one)."""
        return self.ds.transactions()

    def customer_gap(self) -> str | None:
        """When no customer can be told apart, the sentence saying which file would unlock the customer pages
        (segments, value and churn, recommendations); None when there are customers."""
        if len(self.ds.customers):
            return None
        return missing_customers([t for t in self.ds.tables if t.in_use])

    def churn_source(self) -> str | None:
        """'column' (a label column), 'derived' (from dated orders) or None (no churn for this data)."""
        return predict.label_source(self.ds)

    def _horizon(self, horizon: int) -> int:
        return int(horizon) if self.churn_source() == "derived" else HORIZON_DAYS

    def _has_clv_columns(self) -> bool:
        tx = self.transactions()
        return tx is not None and {"customer_id", "timestamp", "amount"} <= set(tx.columns)
