"""Parts of pages drawn from results the page already has: the Data page's quality report, cleaning and customer
table, the Segments page's map, profiles and unusual customers, the Feedback page's texts, the Value page's lifetime
value and fairness tabs, the Recommendations page's model comparison. Moved here to keep each page a short read
(widgets -> pipeline -> render); each takes what it draws and asks the pipeline nothing new but what its tab shows."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from insight import charts
from insight.data.cleaning import CleaningOptions
from insight.data.customers import too_few
from insight.errors import InsightError, Withheld
from insight.formats import count, money
from insight.i18n import _, join
from insight.labels import (
    FEELINGS,
    RFM_GROUP_HELP,
    column_label,
    friendly_columns,
    nice_name,
    rounded,
    safe_label,
    safe_md,
)
from insight.pipeline import POPULARITY, SILHOUETTE_SAMPLE
from insight.report import words
from ui.display import download_csv, show_verdict
from ui.session import personal_data


def quality_panel(quality: list[Any]) -> None:
    """Per uploaded file: its duplicates, returns, missing ids and values, constant columns and outliers."""
    for q in quality:
        uploaded = _("{file}: {n} rows as uploaded").format(file=safe_label(q.file), n=count(q.rows))
        with st.expander(uploaded, expanded=False):
            cols = st.columns(4)
            cols[0].metric(_("Duplicate rows"), count(q.duplicate_rows))
            cols[1].metric(_("Returns / cancellations"), count(q.negative_quantity_rows))
            cols[2].metric(_("Rows without customer id"), count(q.rows_without_customer_id))
            cols[3].metric(_("Repeated customer ids"), count(q.duplicate_ids))
            if q.missing:
                st.altair_chart(charts.missing_values_bar(pd.Series(q.missing)), width="stretch")
            for label, text in words.quality_problems(q).items():
                if text:
                    st.markdown(_("**{label}:** {text}").format(label=label, text=safe_md(text)))


def k_tab(sweep: Any, k: int | None, curve: Any, eps: float | None) -> None:
    """How many segments: the sweep's scores with the suggested and chosen k, or DBSCAN's k-distance curve."""
    if sweep is not None:
        st.altair_chart(charts.segment_sweep(sweep.table, sweep.suggested_k, k))
        st.caption(
            _(
                "Dashed: suggested k = {k}; solid: your choice. The elbow of the inertia curve is at k = {knee}. "
                "Silhouette is computed on up to {n} customers."
            ).format(k=sweep.suggested_k, knee=sweep.knee_k, n=count(SILHOUETTE_SAMPLE))
        )
        st.dataframe(rounded(friendly_columns(sweep.table), 3), hide_index=True, width="stretch")
    else:
        frame = pd.DataFrame({"rank": range(len(curve)), "distance": curve})
        st.altair_chart(charts.kdistance_curve(frame, eps), width="stretch")
        st.caption(_("DBSCAN finds its own number of groups; customers in no dense area are shown as 'Fit no group'."))


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
    st.caption(words.map_caption(len(points), len(customers), sum(seg_map.explained)))


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
        {_("Segment"): names[s], _("stands out by"): join([nice_name(f) for f in fs])}
        for s, fs in seg.profile.top_features.items()
    )
    st.dataframe(top, hide_index=True, width="stretch")


def unusual_tab(seg: Any, names: dict) -> None:
    """Customers far from every group."""
    odd = seg.unusual.assign(segment=seg.unusual["segment"].map(names))
    if odd.empty:
        st.info(_("No customer sits more than three times further from their group's centre than is typical."))
    else:
        st.caption(
            _(
                "Customers far from every group: possible data errors, fraud, or a different kind of customer "
                "(a wholesale buyer among retail ones). Score: distance to the group's centre over the typical "
                "distance."
            )
        )
        odd = odd.rename(columns={"score": _("times further than typical"), "unusual": _("what is unusual")})
        st.dataframe(rounded(friendly_columns(odd)), hide_index=True, width="stretch")


def value_tab(pipe: Any, horizon: int) -> None:
    """The spend models: the best one's error, predicted against actual, and each customer's predicted value."""
    ds = pipe.ds
    try:
        spend = pipe.spend(horizon)
        show_verdict(spend.verdict)
        predicting = _(
            "Predicting **{target}**; the best on customers it did not learn from: **{model}**, off by {error} per "
            "customer on average."
        )
        error = money(spend.metrics.loc[spend.best, "mae"], ds.currency)
        st.markdown(predicting.format(target=safe_md(column_label(spend.target)), model=spend.best, error=error))
        st.altair_chart(charts.predicted_vs_actual(spend.holdout, spend.best), width="stretch")
        if spend.verdict.usable:
            values = pd.DataFrame({"predicted_value": spend.predicted, "tier": spend.tiers})
            title = _("Predicted value per customer")
            hist = charts.value_histogram(values, "predicted_value", title, _("Predicted value"))
            st.altair_chart(hist, width="stretch")
    except InsightError as exc:
        show_verdict(getattr(exc, "verdict", None))
        st.info(safe_md(_("No value model for this data: {reason}").format(reason=exc)))


def lifetime_tab(pipe: Any, horizon: int) -> None:
    """Lifetime value (BG/NBD and Gamma-Gamma), withheld as a whole when its fit is unreliable."""
    ds = pipe.ds
    try:
        lifetime = pipe.lifetime_value(horizon)
        show_verdict(lifetime.verdict)
        if not lifetime.verdict.usable:  # nothing of an unreliable fit is shown as a figure
            raise Withheld(lifetime.verdict, _("Lifetime value"))
        st.markdown(safe_md(words.value_sentence(lifetime, ds.currency)))
        for note in lifetime.warnings:
            st.warning(safe_md(note))
        if "clv_12m" in lifetime.table:
            hist = charts.value_histogram(lifetime.table, "clv_12m", _("Value over the next 12 months"), _("Value"))
            st.altair_chart(hist, width="stretch")
        st.caption(lifetime.describe_fit())
        order = "clv_12m" if "clv_12m" in lifetime.table else "p_alive"
        clv_table = lifetime.table.sort_values(order, ascending=False).rename(columns={"frequency": "repeat_orders"})
        st.dataframe(rounded(friendly_columns(clv_table)), hide_index=True, width="stretch")
    except InsightError as exc:
        no_value = _("No lifetime value for this data: {reason}")
        st.info(safe_md(exc if isinstance(exc, Withheld) else no_value.format(reason=exc)))


def fairness_tab(
    pipe: Any, threshold: float, horizon: int, features: list[str], model: str | None, usable: bool
) -> None:
    """Recall and flag rate per group of each people-describing column (none when the models are withheld)."""
    outcome = pipe.ds.outcome
    table, warnings = pipe.fairness(threshold, horizon, features, model) if usable else (None, [])
    if table is None:
        st.info(_("No fairness check: the models do no better than the baseline, so there is nothing to check."))
    elif table.empty:
        st.info(_("No columns describing people (gender, age …) to check the model against."))
    else:
        for warning in warnings:
            st.warning(safe_md(warning))
        if not warnings:
            st.success(_("The model finds and flags customers at similar rates across groups (within 10 points)."))
        for attribute in table["attribute"].unique():
            st.altair_chart(charts.fairness_bar(table, attribute, outcome), width="stretch")
        st.dataframe(rounded(friendly_columns(table)), hide_index=True, width="stretch")


def cleaning_panel(options: CleaningOptions, cleaning_log: list[Any], locked: bool) -> None:
    """The Data page's cleaning choices (applied on submit) and the log of what cleaning changed."""
    with st.form("data_cleaning_form", enter_to_submit=False):
        c1, c3, c4 = st.columns(3)
        drop = c1.checkbox(_("Drop duplicate rows"), value=options.drop_duplicates)
        outlier_choices = {_("keep"): "keep", _("cap"): "cap", _("remove"): "remove"}  # in words: the option
        outliers = outlier_choices[
            c3.selectbox(
                _("Outliers"), list(outlier_choices), index=list(outlier_choices.values()).index(options.outliers)
            )
        ]
        return_choices, net = {_("net"): "net", _("drop"): "drop"}, _("net: subtract from spend")
        index = list(return_choices.values()).index(options.returns)
        returns = return_choices[c4.selectbox(_("Returns"), list(return_choices), index=index, help=net)]
        if st.form_submit_button(_("Apply cleaning"), disabled=locked):
            chosen = CleaningOptions(drop_duplicates=drop, outliers=outliers, returns=returns)
            st.session_state["data_cleaning"] = chosen
            st.rerun()
    columns = ["table", "step", "column", "rows_removed", "values_changed", "detail"]
    log = pd.DataFrame(cleaning_log, columns=columns)
    log["column"] = log["column"].fillna("")  # a step about whole rows names no column (blank, not "None")
    st.dataframe(friendly_columns(log), hide_index=True, width="stretch")


def customer_panel(ds: Any, locked: bool) -> None:
    """The Data page's customer table: its size, personal data on request (only the owner), the RFM groups."""
    customers = ds.customers
    st.markdown(
        _("**{n} customers**, one row each, {columns} columns.").format(
            n=count(len(customers)), columns=count(customers.shape[1])
        )
    )
    if ds.pii_columns:
        pseudonymised = _("Personal data ({columns}) is pseudonymised before any analysis.")
        st.caption(pseudonymised.format(columns=safe_md(join(list(ds.pii_columns)))))
        if not locked and st.toggle(_("Show personal data (only you see this)"), key="data_show_pii"):
            lookup = personal_data(ds)
            if lookup is not None:
                customers = customers.drop(columns=ds.pii_columns).merge(lookup, on="customer_id")
    if "rfm_group" in customers:
        st.altair_chart(charts.rfm_groups_bar(customers), width="stretch")
        st.caption(_(RFM_GROUP_HELP))
    st.dataframe(rounded(friendly_columns(customers.head(1000))), hide_index=True, width="stretch")
    download_csv(friendly_columns(customers), "customers.csv", _("Download the customer table"), key="dl_customers")
    for message in too_few(customers).values():
        st.caption(f"ℹ️ {safe_md(message)}")


def texts_panel(scored: pd.DataFrame) -> None:
    """The Feedback page's every text with its score, filtered by side, and the download of them all."""
    sides = {_(FEELINGS[side]): side for side in ("positive", "neutral", "negative")}  # in words: the label
    shown = [sides[s] for s in st.multiselect(_("Show"), list(sides), list(sides), key="fb_labels") if s in sides]
    rows = scored[scored["label"].isin(shown)]
    columns = [c for c in ("customer_id", "timestamp", "rating", "label", "compound", "text") if c in rows]
    first = rows[columns].head(2_000)
    first = first.assign(label=first["label"].map(lambda side: _(FEELINGS.get(side, side))))  # a key, in words
    st.dataframe(rounded(friendly_columns(first)), hide_index=True, width="stretch")
    if len(rows) > 2_000:
        more = _("Showing the first {shown} of {n} texts; the download has them all.")
        st.caption(more.format(shown=count(2_000), n=count(len(rows))))
    download_csv(
        friendly_columns(scored), "feedback_scored.csv", _("Download every text with its scores"), key="dl_scored"
    )


def comparison_panel(comparison: Any) -> None:
    """The Recommendations page's model comparison: the suggested model, how it did against popularity, the metrics."""
    table = comparison.table
    st.markdown(_("**Suggested model: {model}** ({rule}).").format(model=comparison.best, rule=comparison.rule))
    if comparison.best == POPULARITY:
        st.info(_("The most popular items beat every model on what customers did next, so they are the default."))
    if table.loc[POPULARITY, "hit_rate"] > table.loc[comparison.best, "hit_rate"]:
        st.warning(_("Simply offering the most popular items did better on recent choices than the suggested model."))
    st.altair_chart(charts.recommend_metrics_bar(table, comparison.best), width="stretch")
    shown = table.drop(columns="seconds").map(lambda v: "–" if pd.isna(v) else f"{v:.3f}")
    st.dataframe(friendly_columns(shown.rename_axis(_("Model")).reset_index()), hide_index=True, width="stretch")
    st.caption(
        _(
            "RMSE / MAE (star ratings only): average error of predicted ratings in 5-fold cross-validation "
            "(lower is better). Hit rate, precision@10, recall@10, NDCG@10: each customer's most recent items "
            "were hidden, then checked against the top 10 the model offered (higher is better; NDCG also "
            "rewards a hit near the top). Popularity is the baseline to beat."
        )
    )
