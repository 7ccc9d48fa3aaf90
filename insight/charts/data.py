"""Charts of the Data page: missing values, RFM groups."""

from __future__ import annotations

import altair as alt
import pandas as pd

from insight.i18n import _


def missing_values_bar(missing: pd.Series, title: str | None = None) -> alt.Chart:
    """Bar chart of missing-value counts per column (only columns with any)."""
    title = title or _("Missing values per column")
    df = missing[missing > 0].rename("missing").rename_axis("column").reset_index()
    return (
        alt.Chart(df, title=title)
        .mark_bar()
        .encode(
            x=alt.X("missing:Q", title=_("Missing values")),
            y=alt.Y("column:N", sort="-x", title=None),
            tooltip=[
                alt.Tooltip("column:N", title=_("Column")),
                alt.Tooltip("missing:Q", title=_("Missing"), format=","),
            ],
        )
    )


def rfm_groups_bar(customers: pd.DataFrame) -> alt.Chart:
    """Customers and revenue per RFM group."""
    df = (
        customers.groupby("rfm_group", observed=True)
        .agg(customers=("customer_id", "size"), revenue=("monetary", "sum"))
        .reset_index()
    )
    df["rfm_group"] = df["rfm_group"].astype(str).map(_)  # the group's name (a key) in words
    return (
        alt.Chart(df, title=_("Customers per RFM group"))
        .mark_bar()
        .encode(
            x=alt.X("customers:Q", title=_("Customers")),
            y=alt.Y("rfm_group:N", sort="-x", title=None),
            tooltip=[
                alt.Tooltip("rfm_group:N", title=_("Group")),
                alt.Tooltip("customers:Q", title=_("Customers"), format=","),
                alt.Tooltip("revenue:Q", title=_("Revenue"), format=",.0f"),
            ],
        )
    )
