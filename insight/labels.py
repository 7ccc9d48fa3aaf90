"""Words and numbers as a founder reads them: column names in plain words, rounding that fits.

Shared by the analyses (segment descriptions, churn reasons) and the pages.
"""

from __future__ import annotations

import re

import pandas as pd

NICE_NAMES = {
    "recency_days": "days since last order",
    "frequency": "orders",
    "monetary": "spend",
    "avg_order_value": "average order",
    "tenure_days": "days as a customer",
    "purchase_rate_30d": "orders per 30 days",
    "days_between_orders": "days between orders",
    "return_share": "share returned",
    "distinct_items": "different items",
}


def nice_name(feature: str) -> str:
    """A column name in words: `recency_days` -> `days since last order`, `Annual Income (k$)` -> `annual income`."""
    if feature in NICE_NAMES:
        return NICE_NAMES[feature]
    if "=" in feature:
        return feature.split("=", 1)[1]
    base = feature.split("(")[0].replace("_", " ").strip()
    base = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", base)  # MonthlyCharges, HasCrCard
    return (base or feature).lower()


def fmt_number(v: float) -> str:
    if pd.isna(v):
        return "n/a"
    return f"{v:,.0f}" if abs(v) >= 10 else f"{v:.1f}" if abs(v) >= 1 else f"{v:.2f}"
