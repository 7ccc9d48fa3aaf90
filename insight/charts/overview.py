"""Charts of the Overview: monthly figures with the forecast, cohort retention."""

from __future__ import annotations

import altair as alt
import pandas as pd

from insight.i18n import N_, _

KINDS = {"actual": N_("actual"), "forecast": N_("forecast")}  # a point of the monthly line


def monthly_forecast_chart(history: pd.DataFrame, forecast: pd.DataFrame, title: str, axis: str) -> alt.LayerChart:
    """A monthly line with the next months' forecast and its 90% interval as a band."""
    actual, forecast_words = _(KINDS["actual"]), _(KINDS["forecast"])
    hist = history.assign(kind=actual)
    fc = forecast.assign(kind=forecast_words)
    bridge = pd.concat([hist.tail(1).assign(lower=hist["value"].iloc[-1], upper=hist["value"].iloc[-1]), fc])
    base = alt.Chart(title=title)
    month_format = _("%b %Y")  # i18n: a d3 time format: %b month name, %Y year, %-m month number
    x = alt.X("month:T", title=_("Month"), axis=alt.Axis(format=month_format))
    band = (
        base.mark_area(opacity=0.2, color="#2E6F95")
        .encode(x=x, y=alt.Y("lower:Q", title=axis), y2="upper:Q")
        .properties(data=bridge.assign(kind=forecast_words))
    )
    tooltip = [
        alt.Tooltip("month:T", title=_("Month"), format=month_format),
        alt.Tooltip("value:Q", title=axis, format=",.0f"),
        alt.Tooltip("kind:N", title=""),
    ]
    line = (
        base.mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y("value:Q", title=axis),
            strokeDash=alt.StrokeDash("kind:N", title=None, sort=[actual, forecast_words]),
            tooltip=tooltip,
        )
        .properties(data=pd.concat([hist, bridge.assign(kind=forecast_words)]))
    )
    return alt.layer(band, line)


def cohort_heatmap(cohorts: pd.DataFrame) -> alt.Chart:
    """Share of each first-purchase month's customers buying again N months later."""
    return (
        alt.Chart(cohorts, title=_("Customers who bought again, by month of first purchase"))
        .mark_rect()
        .encode(
            x=alt.X("age:O", title=_("Months after first purchase")),
            y=alt.Y("cohort:O", title=_("First purchase in")),
            color=alt.Color(
                "retention:Q", title=_("Bought again"), scale=alt.Scale(scheme="blues"), legend=alt.Legend(format=".0%")
            ),
            tooltip=[
                alt.Tooltip("cohort:O", title=_("First purchase in")),
                alt.Tooltip("age:O", title=_("Months later")),
                alt.Tooltip("retention:Q", title=_("Bought again"), format=".0%"),
                alt.Tooltip("cohort_size:Q", title=_("Customers in cohort"), format=","),
            ],
        )
    )
