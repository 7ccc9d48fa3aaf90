"""Charts of the Overview: monthly figures with the forecast, cohort retention."""

from __future__ import annotations

import altair as alt
import pandas as pd


def monthly_forecast_chart(history: pd.DataFrame, forecast: pd.DataFrame, title: str, axis: str) -> alt.LayerChart:
    """A monthly line with the next months' forecast and its 90% interval as a band."""
    hist = history.assign(kind="actual")
    fc = forecast.assign(kind="forecast")
    bridge = pd.concat([hist.tail(1).assign(lower=hist["value"].iloc[-1], upper=hist["value"].iloc[-1]), fc])
    base = alt.Chart(title=title)
    x = alt.X("month:T", title="Month", axis=alt.Axis(format="%b %Y"))
    band = (
        base.mark_area(opacity=0.2, color="#2E6F95")
        .encode(x=x, y=alt.Y("lower:Q", title=axis), y2="upper:Q")
        .properties(data=bridge.assign(kind="forecast"))
    )
    tooltip = [
        alt.Tooltip("month:T", title="Month", format="%b %Y"),
        alt.Tooltip("value:Q", title=axis, format=",.0f"),
        alt.Tooltip("kind:N", title=""),
    ]
    line = (
        base.mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y("value:Q", title=axis),
            strokeDash=alt.StrokeDash("kind:N", title=None, sort=["actual", "forecast"]),
            tooltip=tooltip,
        )
        .properties(data=pd.concat([hist, bridge.assign(kind="forecast")]))
    )
    return alt.layer(band, line)


def cohort_heatmap(cohorts: pd.DataFrame) -> alt.Chart:
    """Share of each first-purchase month's customers buying again N months later."""
    return (
        alt.Chart(cohorts, title="Customers who bought again, by month of first purchase")
        .mark_rect()
        .encode(
            x=alt.X("age:O", title="Months after first purchase"),
            y=alt.Y("cohort:O", title="First purchase in"),
            color=alt.Color(
                "retention:Q", title="Bought again", scale=alt.Scale(scheme="blues"), legend=alt.Legend(format="%")
            ),
            tooltip=[
                alt.Tooltip("cohort:O", title="First purchase in"),
                alt.Tooltip("age:O", title="Months later"),
                alt.Tooltip("retention:Q", title="Bought again", format=".0%"),
                alt.Tooltip("cohort_size:Q", title="Customers in cohort", format=","),
            ],
        )
    )
