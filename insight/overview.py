"""The overview: headline figures, monthly revenue and active customers with a forecast, cohort retention.

Plain computations over the standard transactions frame; the findings in
plain words live in `insight.findings`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from insight.errors import NotEnoughData
from insight.formats import Figure
from insight.i18n import N_, Message
from insight.verdict import RELIABLE, ROUGH, UNRELIABLE, Verdict

MIN_MONTHS_FOR_FORECAST = 9
HOLDOUT_MONTHS = 3


ACTIVE_DAYS = 90  # a customer who bought in the last 90 days of the data counts as active


def headline(customers: pd.DataFrame, tx: pd.DataFrame | None, revenue_column: str | None = None) -> dict[str, Any]:
    """The figures a founder looks at first, straight from the tables (no model): customers, orders, revenue
    (what was paid, from `revenue_column`; with a refund column also `refunded` and `net_revenue`), the period the
    orders cover, customers active in its last `ACTIVE_DAYS` days, and the repeat-purchase rate (share of buyers
    with 2+ orders). A figure the data cannot give is None."""
    out: dict[str, Any] = {
        "customers": float(len(customers)) if len(customers) else None,
        "orders": None,
        "revenue": None,
        "first_date": None,
        "last_date": None,
        "active_customers": None,
        "repeat_rate": None,
        "revenue_column": None,
        "refunded": None,
        "net_revenue": None,
    }
    if tx is not None:
        out["orders"] = float(_order_count(tx))
        if "amount" in tx:
            out |= _revenue(tx, revenue_column)
        if "timestamp" in tx and tx["timestamp"].notna().any():
            first, last = tx["timestamp"].min(), tx["timestamp"].max()
            out["first_date"], out["last_date"] = first, last
            if "customer_id" in tx:
                recent = tx["timestamp"] > last - pd.Timedelta(days=ACTIVE_DAYS)
                out["active_customers"] = float(tx.loc[recent, "customer_id"].nunique())
    if "frequency" in customers:
        buyers = customers["frequency"] > 0
        out["repeat_rate"] = float((customers.loc[buyers, "frequency"] >= 2).mean()) if buyers.any() else None
    return out


def _revenue(tx: pd.DataFrame, column: str | None) -> dict[str, Any]:
    """Revenue (the paid amounts), the column it was counted from, and, with a refund column, what was given back
    and the net."""
    out: dict[str, Any] = {"revenue": float(tx["amount"].sum()), "revenue_column": column}
    if "refund" in tx and tx["refund"].notna().any():
        out["refunded"] = float(tx["refund"].abs().sum())  # some exports write refunds as negative numbers
        out["net_revenue"] = out["revenue"] - out["refunded"]
    return out


def _refund_rows(tx: pd.DataFrame) -> pd.Series:
    """Rows that are returns: a negative amount or quantity, or a C-invoice (C536379)."""
    refunds = pd.Series(False, index=tx.index)
    for column in ("amount", "quantity"):
        if column in tx:
            refunds |= tx[column].lt(0).fillna(False)
    if "order_id" in tx:
        refunds |= tx["order_id"].astype("string").str.match(r"^[Cc]\d").fillna(False).astype(bool)
    return refunds


def _order_count(tx: pd.DataFrame) -> int:
    """Distinct orders, returns left out: by order id, else one per customer and day, else one per row."""
    kept = tx[~_refund_rows(tx)]
    if "order_id" in kept:
        return int(kept["order_id"].dropna().nunique())
    if {"customer_id", "timestamp"} <= set(kept.columns):
        return len(
            kept[["customer_id", "timestamp"]].assign(timestamp=kept["timestamp"].dt.normalize()).drop_duplicates()
        )
    return len(kept)


def _orders(tx: pd.DataFrame) -> tuple[pd.Series, str]:
    """What counts as one order, and how it was counted: the order id, else a customer's purchases of one day,
    else every row (a payment log, a till roll)."""
    if "order_id" in tx and tx["order_id"].notna().any():
        return tx["order_id"].astype("string"), "order id"
    if "customer_id" in tx and tx["customer_id"].notna().any():
        day = tx["timestamp"].dt.strftime("%Y-%m-%d")
        return tx["customer_id"].astype("string") + " " + day, "customer and day"
    return pd.Series(tx.index.astype(str), index=tx.index, dtype="string"), "row"


def orders_overview(tx: pd.DataFrame, revenue_column: str | None = None) -> dict[str, Any]:
    """Orders, revenue and average order value per month, refunds, first and last date: the answers an orders
    export gives even without a customer column (`customers` is None then).

    Returns `orders`, `orders_counted_by`, `revenue` (None without amounts), `average_order_value`,
    `refunds` `{rows, amount}` (negative amounts or quantities, C-invoices), `customers`, `first_date`,
    `last_date` and `monthly` `[{month, orders, revenue, average_order_value}]`, plus `revenue_column` (what was
    counted as revenue), `refunded` and `net_revenue` (with a refund column; else None).
    """
    dated = tx[tx["timestamp"].notna()] if "timestamp" in tx else tx.iloc[0:0]
    if dated.empty:
        raise NotEnoughData(N_("The orders overview needs dated orders: mark the date column on the Data page."))
    orders, counted_by = _orders(dated)
    amount = dated.get("amount")
    refunds = _refund_rows(dated)
    orders = orders.mask(refunds)  # a refund invoice is not an order (as in `headline`)
    month = dated["timestamp"].dt.to_period("M")
    frame = pd.DataFrame({"month": month, "order": orders, "amount": amount if amount is not None else np.nan})
    per_month = frame.groupby("month").agg(orders=("order", "nunique"), revenue=("amount", "sum"))
    full = pd.period_range(per_month.index.min(), per_month.index.max(), freq="M")
    per_month = per_month.reindex(full, fill_value=0)
    revenue = float(amount.sum()) if amount is not None else None
    n_orders = int(orders.nunique())
    monthly = [
        {
            "month": str(m),
            "orders": int(row.orders),
            "revenue": float(row.revenue) if amount is not None else None,
            "average_order_value": float(row.revenue / row.orders) if amount is not None and row.orders else None,
        }
        for m, row in per_month.iterrows()
    ]
    has_customers = "customer_id" in dated and dated["customer_id"].notna().any()
    return {
        "orders": n_orders,
        "orders_counted_by": counted_by,
        "revenue": revenue,
        "average_order_value": revenue / n_orders if revenue is not None and n_orders else None,
        "refunds": {
            "rows": int(refunds.sum()),
            "amount": abs(float(amount[refunds & amount.lt(0)].sum())) if amount is not None else None,
        },
        "customers": int(dated["customer_id"].nunique()) if has_customers else None,
        "revenue_column": revenue_column,
        "refunded": _revenue(dated, None).get("refunded") if amount is not None else None,
        "net_revenue": _revenue(dated, None).get("net_revenue") if amount is not None else None,
        "first_date": dated["timestamp"].min().date().isoformat(),
        "last_date": dated["timestamp"].max().date().isoformat(),
        "monthly": monthly,
    }


def monthly_series(tx: pd.DataFrame) -> pd.DataFrame:
    """Revenue, orders and active customers per calendar month (months without sales are zero; revenue is
    missing when the orders have no amounts, active customers when they name no customer)."""
    if "timestamp" not in tx or tx["timestamp"].notna().sum() == 0:
        raise NotEnoughData(N_("Monthly figures need dated transactions: mark the date column on the Data page."))
    dated = tx[tx["timestamp"].notna()]
    month = dated["timestamp"].dt.to_period("M")
    frame = pd.DataFrame({"month": month, "amount": dated.get("amount", pd.Series(np.nan, index=dated.index))})
    frame["customer_id"] = dated.get("customer_id")
    g = frame.groupby("month")
    out = pd.DataFrame({"revenue": g["amount"].sum(), "active_customers": g["customer_id"].nunique()})
    full = pd.period_range(out.index.min(), out.index.max(), freq="M")
    out = out.reindex(full, fill_value=0).rename_axis("month").reset_index()
    out["month"] = out["month"].dt.to_timestamp()
    if frame["customer_id"].isna().all():
        out["active_customers"] = np.nan  # who bought is unknown: missing, not zero
    if frame["amount"].isna().all():
        out["revenue"] = np.nan  # what they paid is unknown: missing, not zero
    return out


@dataclass
class Forecast:
    """Next months' forecast with an interval, and the backtest error that says how far to trust it."""

    history: pd.DataFrame
    forecast: pd.DataFrame
    method: str
    backtest_mape: float | None
    naive_mape: float | None = None

    @property
    def verdict(self) -> Verdict:
        """How far to trust the forecast: its backtest error, against repeating the last known month."""
        return forecast_verdict(self.backtest_mape, self.naive_mape)

    def summary(self) -> dict[str, Any]:
        """JSON-able figures."""
        return {
            "method": self.method,
            "backtest_mape": self.backtest_mape,
            "naive_mape": self.naive_mape,
            "verdict": self.verdict.summary(),
            "next_months": [
                {"month": m.strftime("%Y-%m"), "value": v, "lower": lo, "upper": hi}
                for m, v, lo, hi in self.forecast[["month", "value", "lower", "upper"]].itertuples(index=False)
            ],
        }


def _fit_predict(values: np.ndarray, horizon: int) -> tuple[np.ndarray, np.ndarray]:
    """Damped-trend exponential smoothing; returns the forecast and the residual standard deviation."""
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ExponentialSmoothing(values, trend="add", damped_trend=True, initialization_method="estimated").fit()
    resid = values - model.fittedvalues
    return np.asarray(model.forecast(horizon)), float(np.std(resid, ddof=1))


MISSING_MONTHLY = {
    "active_customers": "Customers per month need to know who bought: the orders have no customer column.",
    "revenue": "Revenue per month needs amounts: the orders have no amount or price column (mark it on the Data page).",
}


def forecast(series: pd.DataFrame, column: str = "revenue", horizon: int = 3, drop_partial: bool = True) -> Forecast:
    """Forecast `column` for the next `horizon` months, with a 90% interval and a holdout backtest.

    The last month is dropped when `drop_partial` and it looks incomplete (under half the median).
    """
    if series[column].isna().all():
        raise NotEnoughData(MISSING_MONTHLY.get(column, f"No {column} in the orders to forecast."))
    hist = series[["month", column]].rename(columns={column: "value"})
    if drop_partial and len(hist) > 3 and hist["value"].iloc[-1] < 0.5 * hist["value"].iloc[:-1].median():
        hist = hist.iloc[:-1]
    if len(hist) < MIN_MONTHS_FOR_FORECAST:
        raise NotEnoughData(
            N_("A forecast needs at least {min_months_for_forecast} months of history; this data has {n}."),
            min_months_for_forecast=MIN_MONTHS_FOR_FORECAST,
            n=len(hist),
        )
    values = hist["value"].to_numpy(dtype=float)
    pred, _ = _fit_predict(values[:-HOLDOUT_MONTHS], HOLDOUT_MONTHS)
    actual = values[-HOLDOUT_MONTHS:]
    mape = _mape(pred, actual)
    naive = _mape(np.repeat(values[-HOLDOUT_MONTHS - 1], HOLDOUT_MONTHS), actual)
    pred, sd = _fit_predict(values, horizon)
    steps = np.arange(1, horizon + 1)
    half = 1.645 * sd * np.sqrt(steps)
    months = pd.date_range(hist["month"].iloc[-1] + pd.offsets.MonthBegin(1), periods=horizon, freq="MS")
    fc = pd.DataFrame(
        {"month": months, "value": np.maximum(pred, 0), "lower": np.maximum(pred - half, 0), "upper": pred + half}
    )
    method = "exponential smoothing (damped trend)"
    return Forecast(history=hist, forecast=fc, method=method, backtest_mape=mape, naive_mape=naive)


def _mape(pred: np.ndarray, actual: np.ndarray) -> float | None:
    """Mean absolute percentage error (None when a month was zero)."""
    if not np.all(actual != 0):
        return None
    return float(np.mean(np.abs(pred - actual) / np.abs(actual)))


FORECAST_RELIABLE = 0.15  # off by at most 15% a month on the last three known months: reliable
FORECAST_ROUGH = 0.40  # up to 40%: rough (a direction, not a number); beyond that: unreliable


def forecast_verdict(mape: float | None, naive: float | None) -> Verdict:
    """The forecast's backtest error, and whether it beats repeating the last known month."""
    baseline = Message(N_("repeating the last known month"))
    if naive is not None:
        baseline = Message(N_("repeating the last known month (off by {share})"), share=Figure(naive, "share"))
    if mape is None:
        unchecked = N_("The forecast could not be checked (a recent month had no sales); read it as rough.")
        return Verdict(ROUGH, Message(unchecked), baseline)
    figures = Message(
        N_("on the last {months} known months it was off by {share} on average"),
        months=HOLDOUT_MONTHS,
        share=Figure(mape, "share"),
    )
    worse = naive is not None and mape > naive
    if mape > FORECAST_ROUGH:
        far = N_("The forecast is far off: {figures}. Use it only as a direction.")
        return Verdict(UNRELIABLE, Message(far, figures=figures), baseline)
    if mape > FORECAST_RELIABLE or worse:
        if worse:
            no_better = N_("The forecast is rough: {figures}, no better than repeating the last month ({share}).")
            return Verdict(ROUGH, Message(no_better, figures=figures, share=Figure(naive, "share")), baseline)
        return Verdict(ROUGH, Message(N_("The forecast is rough: {figures}."), figures=figures), baseline)
    return Verdict(RELIABLE, Message(N_("The forecast held up: {figures}."), figures=figures), baseline)


def cohort_retention(tx: pd.DataFrame, max_months: int = 12) -> pd.DataFrame:
    """Share of each first-purchase cohort (month) that bought again N months later (long format)."""
    if "customer_id" not in tx:
        raise NotEnoughData(N_("Cohorts need to know who bought: the orders have no customer column."))
    dated = tx[tx["timestamp"].notna() & tx["customer_id"].notna()]
    if "amount" in dated:
        dated = dated[dated["amount"] > 0]
    if dated.empty:
        raise NotEnoughData(N_("Cohorts need dated purchases with customer ids."))
    stamp = dated["timestamp"]
    month = (stamp.dt.year * 12 + stamp.dt.month - 1).astype("int64")  # months since year 0, on whole columns
    first = month.groupby(dated["customer_id"]).transform("min")
    cohort = pd.PeriodIndex.from_fields(year=first // 12, month=first % 12 + 1, freq="M")
    frame = pd.DataFrame({"cohort": cohort, "age": month - first, "customer_id": dated["customer_id"]})
    frame = frame[frame["age"] <= max_months]
    active = frame.groupby(["cohort", "age"])["customer_id"].nunique()
    size = active.xs(0, level="age")
    out = (active / size.reindex(active.index.get_level_values("cohort")).to_numpy()).rename("retention").reset_index()
    out["cohort_size"] = size.reindex(out["cohort"]).to_numpy()
    out["cohort"] = out["cohort"].astype(str)
    return out
