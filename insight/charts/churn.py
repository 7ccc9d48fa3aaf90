"""Charts of the Value & churn page: model comparison, curves, confusion, importance, value, fairness."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd


def churn_auc_bar(metrics: pd.DataFrame, best: str) -> alt.Chart:
    """ROC AUC per churn model (cross-validated), the default model highlighted."""
    df = metrics.reset_index().assign(default=lambda d: d["model"] == best)
    # the axis starts at 0.5 (a coin) unless a model does worse, so bars below a coin still show
    low = min(0.5, float(np.floor(df["roc_auc"].min() * 10) / 10)) if len(df) else 0.5
    return (
        alt.Chart(df, title="How well each model ranks churners (dark: the default)")
        .mark_bar(clip=True)
        .encode(
            x=alt.X("roc_auc:Q", title="ROC AUC (0.5 = guessing, 1 = perfect)", scale=alt.Scale(domain=[low, 1])),
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
