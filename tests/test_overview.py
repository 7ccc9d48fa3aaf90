"""Overview figures: headline numbers, monthly series, forecast with backtest, cohort retention."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from insight import overview as ov
from insight.errors import NotEnoughData


def _tx(months: int = 18, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for m in range(months):
        start = pd.Timestamp("2024-01-01") + pd.DateOffset(months=m)
        for c in range(20 + m):
            rows.append(
                {
                    "customer_id": f"c{c}",
                    "timestamp": start + pd.Timedelta(days=int(rng.integers(0, 27))),
                    "amount": 100.0 + 10 * m,
                }
            )
    return pd.DataFrame(rows)


def test_headline_counts() -> None:
    customers = pd.DataFrame({"customer_id": ["a", "b", "c", "d"], "frequency": [1, 3, 0, 2]})
    tx = pd.DataFrame(
        {
            "customer_id": ["a", "b", "b", "d", "b"],
            "order_id": ["1", "2", "2", "3", "C2"],
            "amount": [10.0, 20.0, 5.0, 4.0, -5.0],
            "timestamp": pd.to_datetime(["2025-01-03", "2025-05-01", "2025-05-01", "2025-06-30", "2025-07-02"]),
        }
    )
    out = ov.headline(customers, tx)
    assert out["customers"] == 4 and out["orders"] == 3 and out["revenue"] == 34.0
    assert out["repeat_rate"] == pytest.approx(2 / 3)
    assert (out["first_date"], out["last_date"]) == (pd.Timestamp("2025-01-03"), pd.Timestamp("2025-07-02"))
    assert out["active_customers"] == 2  # b and d bought in the 90 days up to 2 July


def test_headline_without_order_ids_counts_a_customer_day_as_one_order() -> None:
    tx = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "b"],
            "amount": [1.0, 2.0, 3.0, 4.0],
            "timestamp": pd.to_datetime(
                ["2025-01-03 09:00", "2025-01-03 17:00", "2025-01-04", "2025-01-03"], format="ISO8601"
            ),
        }
    )
    out = ov.headline(pd.DataFrame({"customer_id": []}), tx)
    assert out["orders"] == 3 and out["customers"] is None


def test_monthly_series_fills_gaps_and_counts_customers() -> None:
    tx = pd.DataFrame(
        {
            "customer_id": ["a", "a", "b"],
            "amount": [10.0, 5.0, 1.0],
            "timestamp": pd.to_datetime(["2025-01-03", "2025-01-20", "2025-03-01"]),
        }
    )
    s = ov.monthly_series(tx)
    assert s["month"].dt.strftime("%Y-%m").tolist() == ["2025-01", "2025-02", "2025-03"]
    assert s["revenue"].tolist() == [15.0, 0.0, 1.0] and s["active_customers"].tolist() == [1, 0, 1]


def test_forecast_follows_a_clear_trend_with_a_small_backtest_error() -> None:
    s = ov.monthly_series(_tx())
    fc = ov.forecast(s)
    assert len(fc.forecast) == 3 and fc.backtest_mape is not None and fc.backtest_mape < 0.1
    last = s["revenue"].iloc[-1]
    assert fc.forecast["value"].iloc[0] > 0.95 * last
    assert (fc.forecast["lower"] <= fc.forecast["value"]).all() and (fc.forecast["value"] <= fc.forecast["upper"]).all()
    assert fc.forecast["month"].iloc[0] == s["month"].iloc[-1] + pd.offsets.MonthBegin(1)


def test_forecast_needs_enough_months() -> None:
    with pytest.raises(NotEnoughData, match="at least 9 months"):
        ov.forecast(ov.monthly_series(_tx(months=5)))


def test_cohort_retention_by_hand() -> None:
    tx = pd.DataFrame(
        {
            "customer_id": ["a", "a", "b", "c", "c"],
            "amount": [10.0, 10.0, 10.0, 10.0, 10.0],
            "timestamp": pd.to_datetime(["2025-01-05", "2025-02-05", "2025-01-09", "2025-02-01", "2025-04-01"]),
        }
    )
    r = ov.cohort_retention(tx).set_index(["cohort", "age"])["retention"]
    assert r[("2025-01", 0)] == 1.0 and r[("2025-01", 1)] == 0.5
    assert r[("2025-02", 0)] == 1.0 and r[("2025-02", 2)] == 1.0


def test_orders_without_customers_leave_customer_figures_missing_not_zero():
    """An order export with no customer column (a Shopify export) has revenue by month, but how many customers
    bought each month is unknown: missing, and the forecast and cohorts of it are refused with the reason."""
    months = pd.date_range("2024-01-01", periods=14, freq="MS")
    tx = pd.DataFrame({"timestamp": months.repeat(3), "amount": np.arange(42, dtype=float) + 10})
    monthly = ov.monthly_series(tx)
    assert len(monthly) == 14 and monthly["revenue"].sum() == pytest.approx(tx["amount"].sum())
    assert monthly["active_customers"].isna().all()
    with pytest.raises(NotEnoughData, match="no customer column"):
        ov.forecast(monthly, "active_customers")
    with pytest.raises(NotEnoughData, match="no customer column"):
        ov.cohort_retention(tx)
    assert ov.forecast(monthly, "revenue").forecast is not None


def test_orders_without_amounts_leave_revenue_missing_not_zero():
    """Dated orders without an amount column: revenue by month is unknown, not zero, so its forecast is refused
    with the reason and no revenue trend is reported; customers per month still count."""
    from insight.findings import Evidence, revenue_trend

    months = pd.date_range("2024-01-01", periods=14, freq="MS")
    tx = pd.DataFrame({"timestamp": months.repeat(3), "customer_id": [f"c{i % 5}" for i in range(42)]})
    monthly = ov.monthly_series(tx)
    assert len(monthly) == 14 and monthly["revenue"].isna().all()
    assert monthly["active_customers"].tolist() == [3] * 14
    with pytest.raises(NotEnoughData, match="no amount or price column"):
        ov.forecast(monthly, "revenue")
    assert revenue_trend(Evidence(customers=pd.DataFrame(), monthly=monthly)) is None
