"""Parts of pages drawn from results the page already has: the Data page's quality report, the Segments page's
map, profiles and unusual customers, the Value page's lifetime value and fairness tabs. Moved here to keep each
page a short read (widgets -> pipeline -> render); each takes what it draws and asks the pipeline nothing new
but what its tab shows."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from insight import charts
from insight.errors import InsightError, Withheld
from insight.labels import column_label, friendly_columns, money, nice_name, rounded, safe_label, safe_md
from insight.pipeline import SILHOUETTE_SAMPLE
from insight.report import words
from ui.display import show_verdict


def quality_panel(quality: list[Any]) -> None:
    """Per uploaded file: its duplicates, returns, missing ids and values, constant columns and outliers."""
    for q in quality:
        with st.expander(f"{safe_label(q.file)}: {q.rows:,} rows as uploaded", expanded=False):
            cols = st.columns(4)
            cols[0].metric("Duplicate rows", f"{q.duplicate_rows:,}")
            cols[1].metric("Returns / cancellations", f"{q.negative_quantity_rows:,}")
            cols[2].metric("Rows without customer id", f"{q.rows_without_customer_id:,}")
            cols[3].metric("Repeated customer ids", f"{q.duplicate_ids:,}")
            if q.missing:
                st.altair_chart(charts.missing_values_bar(pd.Series(q.missing)), width="stretch")
            problems = {
                "Constant columns": ", ".join(q.constant_columns),
                "Values that are not numbers/dates like the rest": ", ".join(
                    f"{c} ({n})" for c, n in q.type_problems.items()
                ),
                "Outliers (IQR)": ", ".join(f"{c} ({n})" for c, n in q.outliers_iqr.items()),
                "Outliers (z > 3)": ", ".join(f"{c} ({n})" for c, n in q.outliers_z.items()),
            }
            for label, text in problems.items():
                if text:
                    st.markdown(f"**{label}:** {safe_md(text)}")


def k_tab(sweep: Any, k: int | None, curve: Any, eps: float | None) -> None:
    """How many segments: the sweep's scores with the suggested and chosen k, or DBSCAN's k-distance curve."""
    if sweep is not None:
        st.altair_chart(charts.segment_sweep(sweep.table, sweep.suggested_k, k))
        st.caption(
            f"Dashed: suggested k = {sweep.suggested_k}; solid: your choice. The elbow of the inertia curve is at "
            f"k = {sweep.knee_k}. Silhouette is computed on up to {SILHOUETTE_SAMPLE:,} customers."
        )
        st.dataframe(rounded(friendly_columns(sweep.table), 3), hide_index=True, width="stretch")
    else:
        frame = pd.DataFrame({"rank": range(len(curve)), "distance": curve})
        st.altair_chart(charts.kdistance_curve(frame, eps), width="stretch")
        st.caption("DBSCAN finds its own number of groups; customers in no dense area are shown as 'Fit no group'.")


def segment_map_tab(seg: Any, seg_map: Any, names: dict, customers: pd.DataFrame, numeric: list[str]) -> None:
    """Customers on the two directions that spread them most, coloured by segment."""
    points = seg_map.points.assign(
        segment=[names[s] for s in seg.labels[seg_map.points["row"]]],
        customer_id=customers["customer_id"].to_numpy()[seg_map.points["row"]],
    )
    shown = [f for f in numeric][:4]
    for f in shown:
        points[f] = pd.to_numeric(customers[f], errors="coerce").to_numpy()[points["row"]]
    st.altair_chart(charts.segment_map(points, seg_map.explained, shown), width="stretch")
    sample = f" (a sample of {len(points):,})" if len(points) < len(customers) else ""
    st.caption(f"Each point is a customer{sample}; the two axes explain {sum(seg_map.explained):.0%} of the spread.")


def profile_tab(seg: Any, names: dict) -> None:
    """Segment sizes, what each segment's columns look like, and what sets each apart."""
    sizes = seg.profile.sizes.assign(segment=seg.profile.sizes["segment"].map(names))
    st.altair_chart(charts.segment_sizes(sizes), width="stretch")
    stats = seg.profile.stats.assign(
        segment=seg.profile.stats["segment"].map(names),
        feature=seg.profile.stats["feature"].map(lambda f: f if "=" in f else nice_name(f)),
    )
    st.altair_chart(charts.segment_heatmap(stats), width="stretch")
    top = pd.DataFrame(
        {"segment": names[s], "stands out by": ", ".join(nice_name(f) for f in fs)}
        for s, fs in seg.profile.top_features.items()
    )
    st.dataframe(top, hide_index=True, width="stretch")


def unusual_tab(seg: Any, names: dict) -> None:
    """Customers far from every group."""
    odd = seg.unusual.assign(segment=seg.unusual["segment"].map(names))
    if odd.empty:
        st.info("No customer sits more than three times further from their group's centre than is typical.")
    else:
        st.caption(
            "Customers far from every group: possible data errors, fraud, or a different kind of customer "
            "(a wholesale buyer among retail ones). Score: distance to the group's centre over the typical distance."
        )
        odd = odd.rename(columns={"score": "times further than typical", "unusual": "what is unusual"})
        st.dataframe(rounded(friendly_columns(odd)), hide_index=True, width="stretch")


def value_tab(pipe: Any, horizon: int) -> None:
    """The spend models: the best one's error, predicted against actual, and each customer's predicted value."""
    ds = pipe.ds
    try:
        spend = pipe.spend(horizon)
        show_verdict(spend.verdict)
        st.markdown(
            f"Predicting **{safe_md(column_label(spend.target))}**; the best on customers it did not learn from: "
            f"**{spend.best}**, off by {money(spend.metrics.loc[spend.best, 'mae'], ds.currency)} per customer "
            "on average."
        )
        st.altair_chart(charts.predicted_vs_actual(spend.holdout, spend.best), width="stretch")
        if spend.verdict.usable:
            values = pd.DataFrame({"predicted_value": spend.predicted, "tier": spend.tiers})
            title = "Predicted value per customer"
            hist = charts.value_histogram(values, "predicted_value", title, "Predicted value")
            st.altair_chart(hist, width="stretch")
    except InsightError as exc:
        show_verdict(getattr(exc, "verdict", None))
        st.info(safe_md(f"No value model for this data: {exc}"))


def lifetime_tab(pipe: Any, horizon: int) -> None:
    """Lifetime value (BG/NBD and Gamma-Gamma), withheld as a whole when its fit is unreliable."""
    ds = pipe.ds
    try:
        lifetime = pipe.lifetime_value(horizon)
        show_verdict(lifetime.verdict)
        if not lifetime.verdict.usable:  # nothing of an unreliable fit is shown as a figure
            raise Withheld(lifetime.verdict, "Lifetime value")
        st.markdown(safe_md(words.value_sentence(lifetime, ds.currency)))
        for note in lifetime.warnings:
            st.warning(safe_md(note))
        if "clv_12m" in lifetime.table:
            hist = charts.value_histogram(lifetime.table, "clv_12m", "Value over the next 12 months", "Value")
            st.altair_chart(hist, width="stretch")
        st.caption(lifetime.describe_fit())
        order = "clv_12m" if "clv_12m" in lifetime.table else "p_alive"
        clv_table = lifetime.table.sort_values(order, ascending=False).rename(columns={"frequency": "repeat_orders"})
        st.dataframe(rounded(friendly_columns(clv_table)), hide_index=True, width="stretch")
    except InsightError as exc:
        st.info(safe_md(exc if isinstance(exc, Withheld) else f"No lifetime value for this data: {exc}"))


def fairness_tab(
    pipe: Any, threshold: float, horizon: int, features: list[str], model: str | None, usable: bool
) -> None:
    """Recall and flag rate per group of each people-describing column (none when the models are withheld)."""
    outcome = pipe.ds.outcome
    table, warnings = pipe.fairness(threshold, horizon, features, model) if usable else (None, [])
    if table is None:
        st.info("No fairness check: the models do no better than the baseline, so there is nothing to check.")
    elif table.empty:
        st.info("No columns describing people (gender, age …) to check the model against.")
    else:
        for warning in warnings:
            st.warning(safe_md(warning))
        if not warnings:
            st.success("The model finds and flags customers at similar rates across groups (within 10 points).")
        for attribute in table["attribute"].unique():
            st.altair_chart(charts.fairness_bar(table, attribute, outcome), width="stretch")
        st.dataframe(rounded(friendly_columns(table)), hide_index=True, width="stretch")
