"""The pipeline's first figures: the orders overview, the headline, the months with their forecast, the cohorts."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import pandas as pd

from insight import overview
from insight.errors import NotEnoughData
from insight.i18n import N_
from insight.pipeline.base import Base


class Figures(Base):
    """Figures straight from the tables (no model but the monthly forecast)."""

    def orders_overview(self) -> dict[str, Any]:
        """Orders, revenue and order value by month and refunds, with or without a customer column."""
        tx = self.transactions()
        if tx is None:
            raise NotEnoughData(N_("The orders overview needs an orders or payments file."))
        return self.run("overview.orders", None, lambda: overview.orders_overview(tx, self.ds.revenue_column))

    def headline(self) -> Mapping[str, Any]:
        """Customers, revenue and repeat-purchase rate: cheap, straight from the tables (kept, as every page's
        first figures). Read-only: the store hands the same figures to every session."""
        figures = lambda: overview.headline(self.ds.customers, self.transactions(), self.ds.revenue_column)  # noqa: E731
        return MappingProxyType(self.run("overview.headline", None, figures))

    def monthly(self) -> pd.DataFrame:
        """Revenue, orders and active customers per month (NotEnoughData without dated orders)."""
        tx = self.transactions()
        if tx is None or "timestamp" not in tx:
            raise NotEnoughData(N_("Monthly revenue, the forecast and cohorts need an orders file with dates."))
        return self.run("overview.monthly", None, lambda: overview.monthly_series(tx))

    def forecast(self, column: str) -> overview.Forecast:
        """The next months of `column` (revenue or active_customers) with a backtest."""
        monthly = self.monthly()
        return self.run("overview.forecast", {"column": column}, lambda: overview.forecast(monthly, column))

    def cohorts(self) -> pd.DataFrame:
        """Share of each first-purchase month's customers who bought again N months later."""
        tx = self.transactions()
        self.monthly()  # the same need: dated orders
        return self.run("overview.cohorts", None, lambda: overview.cohort_retention(tx))
