"""Altair chart builders: pure functions, data in, chart out.

Every chart has axis titles in a founder's words and tooltips. Sections per
capability keep the file navigable; add builders inside your section.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

alt.data_transformers.disable_max_rows()


# --- data & quality -----------------------------------------------------------


def missing_values_bar(missing: pd.Series, title: str = "Missing values per column") -> alt.Chart:
    """Bar chart of missing-value counts per column (only columns with any)."""
    df = missing[missing > 0].rename("missing").rename_axis("column").reset_index()
    return (
        alt.Chart(df, title=title)
        .mark_bar()
        .encode(
            x=alt.X("missing:Q", title="Missing values"),
            y=alt.Y("column:N", sort="-x", title=None),
            tooltip=[alt.Tooltip("column:N", title="Column"), alt.Tooltip("missing:Q", title="Missing", format=",")],
        )
    )


def rfm_groups_bar(customers: pd.DataFrame) -> alt.Chart:
    """Customers and revenue per RFM group."""
    df = (
        customers.groupby("rfm_group", observed=True)
        .agg(customers=("customer_id", "size"), revenue=("monetary", "sum"))
        .reset_index()
    )
    return (
        alt.Chart(df, title="Customers per RFM group")
        .mark_bar()
        .encode(
            x=alt.X("customers:Q", title="Customers"),
            y=alt.Y("rfm_group:N", sort="-x", title=None),
            tooltip=[
                alt.Tooltip("rfm_group:N", title="Group"),
                alt.Tooltip("customers:Q", title="Customers", format=","),
                alt.Tooltip("revenue:Q", title="Revenue", format=",.0f"),
            ],
        )
    )


# --- segments -----------------------------------------------------------------

SWEEP_TITLES = {
    "inertia": "Inertia (lower = tighter; look for the elbow)",
    "silhouette": "Silhouette (higher = clearer groups)",
    "calinski_harabasz": "Calinski-Harabasz (higher = better)",
    "davies_bouldin": "Davies-Bouldin (lower = better)",
}


def segment_sweep(table: pd.DataFrame, suggested_k: int, current_k: int | None = None) -> alt.FacetChart:
    """The k sweep: one small chart per score, the suggested k dashed and the chosen k solid."""
    df = table.melt(id_vars="k", value_vars=list(SWEEP_TITLES), var_name="metric", value_name="value")
    df["metric"] = df["metric"].map(SWEEP_TITLES)
    df["suggested"], df["chosen"] = suggested_k, current_k if current_k is not None else suggested_k
    base = alt.Chart()
    line = base.mark_line(point=True).encode(
        x=alt.X("k:Q", title="Number of segments (k)", axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False)),
        tooltip=[alt.Tooltip("k:Q", title="k"), alt.Tooltip("value:Q", title="Score", format=",.3f")],
    )
    suggested = base.mark_rule(strokeDash=[4, 4], color="#E45756").encode(x="suggested:Q")
    chosen = base.mark_rule(color="#2E6F95").encode(x="chosen:Q")
    return (
        alt.layer(line, suggested, chosen, data=df)
        .properties(width=300, height=160)
        .facet(facet=alt.Facet("metric:N", title=None, sort=list(SWEEP_TITLES.values())), columns=2)
        .resolve_scale(y="independent")
    )


def kdistance_curve(curve: pd.DataFrame, eps: float) -> alt.LayerChart:
    """DBSCAN's k-distance curve (`rank`, `distance`) with the chosen radius as a line."""
    line = (
        alt.Chart(curve, title="Distance to each customer's nearest neighbours, sorted")
        .mark_line()
        .encode(
            x=alt.X("rank:Q", title="Customers (sorted)"),
            y=alt.Y("distance:Q", title="Distance to the k-th nearest neighbour"),
            tooltip=[alt.Tooltip("distance:Q", title="Distance", format=".3f")],
        )
    )
    rule = alt.Chart(pd.DataFrame({"eps": [eps]})).mark_rule(strokeDash=[4, 4], color="#E45756").encode(y="eps:Q")
    return line + rule


def segment_map(points: pd.DataFrame, explained: tuple[float, float], tooltips: list[str]) -> alt.Chart:
    """Customers on the two PCA directions (`x`, `y`), coloured by `segment`, with `tooltips` columns."""
    return (
        alt.Chart(points, title="Customer map: nearby points are similar customers")
        .mark_circle(size=28, opacity=0.7)
        .encode(
            x=alt.X("x:Q", title=f"Main direction 1 ({explained[0]:.0%} of the spread)"),
            y=alt.Y("y:Q", title=f"Main direction 2 ({explained[1]:.0%} of the spread)"),
            color=alt.Color("segment:N", title="Segment", legend=alt.Legend(labelLimit=320)),
            tooltip=[alt.Tooltip("customer_id:N", title="Customer"), alt.Tooltip("segment:N", title="Segment")]
            + [alt.Tooltip(f"{c}:Q", format=",.1f") for c in tooltips],
        )
        .interactive()
    )


def segment_sizes(sizes: pd.DataFrame) -> alt.Chart:
    """Share of customers and (when known) of revenue per segment (`segment` name, `share`, `revenue_share`)."""
    cols = {"share": "Customers", "revenue_share": "Revenue"}
    df = sizes.melt(id_vars="segment", value_vars=[c for c in cols if c in sizes], var_name="of", value_name="pct")
    df["of"] = df["of"].map(cols)
    return (
        alt.Chart(df, title="Share of customers and of revenue")
        .mark_bar()
        .encode(
            x=alt.X("pct:Q", title="Share", axis=alt.Axis(format="%")),
            y=alt.Y("segment:N", title=None, axis=alt.Axis(labelLimit=320)),
            yOffset="of:N",
            color=alt.Color("of:N", title=None),
            tooltip=[
                alt.Tooltip("segment:N", title="Segment"),
                alt.Tooltip("of:N", title="Share of"),
                alt.Tooltip("pct:Q", title="Share", format=".1%"),
            ],
        )
    )


def segment_heatmap(stats: pd.DataFrame) -> alt.Chart:
    """Segments x features coloured by the standardized difference from everyone (red above, blue below)."""
    df = stats.assign(shown=stats["std_diff"].clip(-2, 2))
    return (
        alt.Chart(df, title="How each segment differs from the average customer")
        .mark_rect()
        .properties(height=alt.Step(34))
        .encode(
            x=alt.X("feature:N", title=None, sort=None, axis=alt.Axis(labelAngle=-30, labelLimit=200)),
            y=alt.Y("segment:N", title=None, axis=alt.Axis(labelLimit=320)),
            color=alt.Color(
                "shown:Q",
                title="Std. difference",
                scale=alt.Scale(scheme="redblue", domain=[-2, 2], reverse=True),
            ),
            tooltip=[
                alt.Tooltip("segment:N", title="Segment"),
                alt.Tooltip("feature:N", title="Feature"),
                alt.Tooltip("mean:Q", title="Segment mean", format=",.2f"),
                alt.Tooltip("median:Q", title="Segment median", format=",.2f"),
                alt.Tooltip("overall_mean:Q", title="Everyone: mean", format=",.2f"),
                alt.Tooltip("overall_median:Q", title="Everyone: median", format=",.2f"),
                alt.Tooltip("std_diff:Q", title="Std. difference", format="+.2f"),
            ],
        )
    )


# --- value & churn ------------------------------------------------------------


def churn_auc_bar(metrics: pd.DataFrame, best: str) -> alt.Chart:
    """ROC AUC per churn model (cross-validated), the default model highlighted."""
    df = metrics.reset_index().assign(default=lambda d: d["model"] == best)
    return (
        alt.Chart(df, title="How well each model ranks churners (dark: the default)")
        .mark_bar(clip=True)
        .encode(
            x=alt.X("roc_auc:Q", title="ROC AUC (0.5 = guessing, 1 = perfect)", scale=alt.Scale(domain=[0.5, 1])),
            y=alt.Y("model:N", sort="-x", title=None),
            color=alt.Color(
                "default:N", legend=None, scale=alt.Scale(domain=[False, True], range=["#9ecae1", "#08519c"])
            ),
            tooltip=[
                alt.Tooltip("model:N", title="Model"),
                *[
                    alt.Tooltip(f"{m}:Q", title=m.replace("_", " ").title(), format=".3f")
                    for m in ("roc_auc", "accuracy", "precision", "recall", "f1")
                ],
            ],
        )
    )


def roc_curve_chart(roc: pd.DataFrame) -> alt.Chart:
    """ROC curves per model with the diagonal of guessing."""
    line = (
        alt.Chart(roc, title="ROC curve: churners found vs stayers wrongly flagged")
        .mark_line()
        .encode(
            x=alt.X("false_positive_rate:Q", title="Share of stayers flagged"),
            y=alt.Y("true_positive_rate:Q", title="Share of churners found"),
            color=alt.Color("model:N", title="Model"),
            tooltip=[alt.Tooltip("model:N", title="Model")],
        )
    )
    diagonal = alt.Chart(pd.DataFrame({"x": [0, 1], "y": [0, 1]})).mark_line(strokeDash=[4, 4], color="gray")
    return line + diagonal.encode(x="x:Q", y="y:Q")


def pr_curve_chart(pr: pd.DataFrame) -> alt.Chart:
    """Precision-recall curves per model."""
    return (
        alt.Chart(pr, title="Precision vs recall: how many flagged really leave, how many leavers are flagged")
        .mark_line()
        .encode(
            x=alt.X("recall:Q", title="Recall (share of churners flagged)"),
            y=alt.Y("precision:Q", title="Precision (flagged who really churn)"),
            color=alt.Color("model:N", title="Model"),
            tooltip=[alt.Tooltip("model:N", title="Model")],
        )
    )


def confusion_chart(confusion: pd.DataFrame) -> alt.Chart:
    """Confusion matrix as a labelled heatmap (actual vs predicted)."""
    base = alt.Chart(confusion, title="What the model gets right and wrong").encode(
        x=alt.X("predicted:N", title="Model says", sort=["stay", "churn"]),
        y=alt.Y("actual:N", title="Actually", sort=["stayed", "churned"]),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("customers:Q", title="Customers", scale=alt.Scale(scheme="blues")),
        tooltip=[alt.Tooltip("actual:N"), alt.Tooltip("predicted:N"), alt.Tooltip("customers:Q", format=",")],
    )
    return cells + base.mark_text(fontSize=16).encode(text=alt.Text("customers:Q", format=","))


def importance_bar(importance: pd.DataFrame, top: int = 12) -> alt.Chart:
    """Permutation importance: how much ROC AUC drops when a feature is shuffled."""
    df = importance.head(top)
    return (
        alt.Chart(df, title="What drives churn risk (drop in ROC AUC when shuffled)")
        .mark_bar()
        .encode(
            x=alt.X("importance:Q", title="Drop in ROC AUC"),
            y=alt.Y("feature:N", sort="-x", title=None),
            tooltip=[
                alt.Tooltip("feature:N", title="Feature"),
                alt.Tooltip("importance:Q", title="Importance", format=".4f"),
                alt.Tooltip("std:Q", title="Spread", format=".4f"),
            ],
        )
    )


def predicted_vs_actual(holdout: pd.DataFrame, model: str) -> alt.Chart:
    """Held-out predicted vs actual spend for one model, with the line of perfect predictions."""
    df = holdout[holdout["model"] == model]
    top = float(max(df["actual"].max(), df["predicted"].max(), 1.0))
    points = (
        alt.Chart(df, title=f"Predicted vs actual value on held-out customers ({model})")
        .mark_circle(opacity=0.5)
        .encode(
            x=alt.X("actual:Q", title="Actual"),
            y=alt.Y("predicted:Q", title="Predicted"),
            tooltip=[
                alt.Tooltip("customer_id:N", title="Customer"),
                alt.Tooltip("actual:Q", title="Actual", format=",.2f"),
                alt.Tooltip("predicted:Q", title="Predicted", format=",.2f"),
            ],
        )
    )
    line = alt.Chart(pd.DataFrame({"x": [0, top], "y": [0, top]})).mark_line(strokeDash=[4, 4], color="gray")
    return points + line.encode(x="x:Q", y="y:Q")


def value_histogram(values: pd.DataFrame, column: str, title: str, axis: str) -> alt.Chart:
    """Distribution of a per-customer value (predicted spend, CLV), coloured by tier when present."""
    enc = {"color": alt.Color("tier:N", title="Tier")} if "tier" in values else {}
    return (
        alt.Chart(values, title=title)
        .mark_bar()
        .encode(
            x=alt.X(f"{column}:Q", bin=alt.Bin(maxbins=40), title=axis),
            y=alt.Y("count():Q", title="Customers"),
            tooltip=[alt.Tooltip("count():Q", title="Customers")],
            **enc,
        )
    )


def risk_vs_alive(table: pd.DataFrame) -> alt.Chart:
    """Classifier churn risk against BG/NBD's P(alive): two opinions on the same customers."""
    return (
        alt.Chart(table, title="Two opinions: churn model vs BG/NBD P(alive)")
        .mark_circle(opacity=0.4)
        .encode(
            x=alt.X("p_alive:Q", title="P(alive), BG/NBD"),
            y=alt.Y("churn_risk:Q", title="Churn risk, classifier"),
            tooltip=[
                alt.Tooltip("customer_id:N", title="Customer"),
                alt.Tooltip("p_alive:Q", title="P(alive)", format=".2f"),
                alt.Tooltip("churn_risk:Q", title="Churn risk", format=".2f"),
            ],
        )
    )


def fairness_bar(table: pd.DataFrame, attribute: str) -> alt.Chart:
    """Recall and flag rate per group of one attribute."""
    df = table[table["attribute"] == attribute].melt(
        id_vars=["group", "customers"], value_vars=["recall", "flag_rate"], var_name="measure", value_name="rate"
    )
    df["measure"] = df["measure"].map({"recall": "Churners found (recall)", "flag_rate": "Customers flagged"})
    return (
        alt.Chart(df, title=f"Churn model by {attribute}")
        .mark_bar()
        .encode(
            x=alt.X("rate:Q", title="Rate", axis=alt.Axis(format="%")),
            y=alt.Y("group:N", title=None),
            color=alt.Color("measure:N", title=None),
            yOffset="measure:N",
            tooltip=[
                alt.Tooltip("group:N", title="Group"),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("rate:Q", title="Rate", format=".0%"),
                alt.Tooltip("customers:Q", title="Customers", format=","),
            ],
        )
    )


# --- feedback -----------------------------------------------------------------

_SENTIMENT_COLORS = alt.Scale(domain=["negative", "neutral", "positive"], range=["#d62728", "#9e9e9e", "#2ca02c"])


def sentiment_distribution(scored: pd.DataFrame, column: str = "compound") -> alt.Chart:
    """Histogram of sentiment scores (-1 very negative .. +1 very positive), coloured by label."""
    df = scored.loc[scored["skipped"].isna(), [column, "label"]].rename(columns={column: "score"})
    df["label"] = df["label"].astype(str)
    return (
        alt.Chart(df, title="How positive is each text?")
        .mark_bar()
        .encode(
            x=alt.X("score:Q", bin=alt.Bin(extent=[-1, 1], step=0.1), title="Sentiment (-1 negative … +1 positive)"),
            y=alt.Y("count():Q", title="Texts"),
            color=alt.Color("label:N", scale=_SENTIMENT_COLORS, title="Label"),
            tooltip=[alt.Tooltip("label:N", title="Label"), alt.Tooltip("count():Q", title="Texts", format=",")],
        )
    )


def sentiment_shares_bar(shares: pd.DataFrame) -> alt.Chart:
    """Share of positive / neutral / negative texts, one bar each."""
    df = shares.assign(label=shares["label"].astype(str))
    return (
        alt.Chart(df, title="Share of texts")
        .mark_bar()
        .encode(
            x=alt.X("share:Q", axis=alt.Axis(format="%"), title="Share of scored texts"),
            y=alt.Y("label:N", sort=["positive", "neutral", "negative"], title=None),
            color=alt.Color("label:N", scale=_SENTIMENT_COLORS, legend=None),
            tooltip=[
                alt.Tooltip("label:N", title="Label"),
                alt.Tooltip("texts:Q", title="Texts", format=","),
                alt.Tooltip("share:Q", title="Share", format=".1%"),
            ],
        )
    )


def sentiment_trend(monthly: pd.DataFrame) -> alt.Chart:
    """Mean sentiment per month (line) with the number of texts in the tooltip."""
    return (
        alt.Chart(monthly, title="Sentiment by month")
        .mark_line(point=True)
        .encode(
            x=alt.X("month:T", title="Month"),
            y=alt.Y("mean_compound:Q", title="Mean sentiment", scale=alt.Scale(domain=[-1, 1])),
            tooltip=[
                alt.Tooltip("month:T", title="Month", format="%b %Y"),
                alt.Tooltip("mean_compound:Q", title="Mean sentiment", format=".2f"),
                alt.Tooltip("share_negative:Q", title="Negative", format=".0%"),
                alt.Tooltip("texts:Q", title="Texts", format=","),
            ],
        )
    )


def sentiment_by_rating(ratings: pd.DataFrame) -> alt.Chart:
    """Mean sentiment of the words per star rating."""
    return (
        alt.Chart(ratings, title="What the words say, per star rating")
        .mark_bar()
        .encode(
            x=alt.X("rating:O", title="Stars"),
            y=alt.Y("mean_compound:Q", title="Mean sentiment", scale=alt.Scale(domain=[-1, 1])),
            color=alt.condition("datum.mean_compound < 0", alt.value("#d62728"), alt.value("#2ca02c")),
            tooltip=[
                alt.Tooltip("rating:O", title="Stars"),
                alt.Tooltip("mean_compound:Q", title="Mean sentiment", format=".2f"),
                alt.Tooltip("mean_sentence_compound:Q", title="Mean sentence-level", format=".2f"),
                alt.Tooltip("texts:Q", title="Texts", format=","),
            ],
        )
    )


def themes_bar(themes: pd.DataFrame, side: str) -> alt.Chart:
    """The complaint (side='negative') or praise ('positive') themes, strongest first."""
    df = themes[themes["side"] == side]
    title = "What unhappy customers talk about" if side == "negative" else "What happy customers talk about"
    return (
        alt.Chart(df, title=title)
        .mark_bar(color="#d62728" if side == "negative" else "#2ca02c")
        .encode(
            x=alt.X("z:Q", title="How much more often (z-score)"),
            y=alt.Y("term:N", sort="-x", title=None),
            tooltip=[
                alt.Tooltip("term:N", title="Words"),
                alt.Tooltip("negative_texts:Q", title="In negative texts", format=","),
                alt.Tooltip("positive_texts:Q", title="In positive texts", format=","),
                alt.Tooltip("related:N", title="Same texts also say"),
            ],
        )
    )


def segment_sentiment_bar(table: pd.DataFrame, group_title: str = "Segment") -> alt.Chart:
    """Mean customer sentiment per segment (or any customer grouping)."""
    return (
        alt.Chart(table, title=f"Sentiment by {group_title}")
        .mark_bar()
        .encode(
            x=alt.X("mean_sentiment:Q", title="Mean customer sentiment"),
            y=alt.Y("segment:N", sort="x", title=None),
            color=alt.condition("datum.mean_sentiment < 0", alt.value("#d62728"), alt.value("#2ca02c")),
            tooltip=[
                alt.Tooltip("segment:N", title=group_title),
                alt.Tooltip("mean_sentiment:Q", title="Mean sentiment", format=".2f"),
                alt.Tooltip("share_unhappy:Q", title="Unhappy customers", format=".0%"),
                alt.Tooltip("customers:Q", title="Customers with feedback", format=","),
            ],
        )
    )


# --- recommendations ----------------------------------------------------------


def recommend_metrics_bar(table: pd.DataFrame, best: str | None = None) -> alt.Chart:
    """How often each model's top 10 held what customers chose next (hit rate, precision, recall)."""
    labels = {"hit_rate": "Hit rate", "precision_at_10": "Precision@10", "recall_at_10": "Recall@10"}
    df = table.reset_index().rename(columns={table.index.name or "index": "model"})
    df = df.melt(id_vars="model", value_vars=list(labels), var_name="metric", value_name="value")
    df["metric"] = df["metric"].map(labels)
    df["pick"] = df["model"].map(lambda m: "best model" if m == best else "baseline" if m == "Popularity" else "other")
    return (
        alt.Chart(df, title="Did the top 10 contain what customers chose next?")
        .mark_bar()
        .encode(
            x=alt.X("value:Q", title="Share (higher is better)", axis=alt.Axis(format="%")),
            y=alt.Y("model:N", title=None, sort=list(table.index), axis=alt.Axis(labelLimit=260)),
            yOffset=alt.YOffset("metric:N", sort=list(labels.values())),
            color=alt.Color("metric:N", title="Measure", sort=list(labels.values())),
            opacity=alt.condition(alt.datum.pick == "other", alt.value(0.55), alt.value(1.0)),
            tooltip=[
                alt.Tooltip("model:N", title="Model"),
                alt.Tooltip("metric:N", title="Measure"),
                alt.Tooltip("value:Q", title="Value", format=".1%"),
                alt.Tooltip("pick:N", title="Role"),
            ],
        )
    )


# --- overview -----------------------------------------------------------------


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
