"""Charts of the Value page (churn or another outcome, in its words): model comparison, curves, confusion,
importance, value, fairness."""

from __future__ import annotations

import altair as alt
import pandas as pd

from insight.i18n import _
from insight.labels import column_label
from insight.outcome_words import LEAVE, Outcome

_LEAVING = Outcome(LEAVE)


def churn_auc_bar(metrics: pd.DataFrame, best: str, outcome: Outcome = _LEAVING) -> alt.LayerChart:
    """ROC AUC per model of the outcome (cross-validated) on the whole 0-1 scale, with the coin's 0.5 marked, so a
    model worse than guessing shows as such; the default model highlighted."""
    df = metrics.reset_index().assign(default=lambda d: d["model"] == best)
    bars = (
        alt.Chart(df, title=outcome.say("auc_chart"))
        .mark_bar()
        .encode(
            x=alt.X("roc_auc:Q", title=_("ROC AUC (0.5 = a coin toss, 1 = perfect)"), scale=alt.Scale(domain=[0, 1])),
            y=alt.Y("model:N", sort="-x", title=None, axis=alt.Axis(labelLimit=240)),
            color=alt.Color(
                "default:N", legend=None, scale=alt.Scale(domain=[False, True], range=["#9ecae1", "#08519c"])
            ),
            tooltip=[
                alt.Tooltip("model:N", title=_("Model")),
                *[
                    alt.Tooltip(f"{m}:Q", title=column_label(m), format=".3f")
                    for m in ("roc_auc", "accuracy", "precision", "recall", "f1")
                ],
            ],
        )
    )
    coin = alt.Chart(pd.DataFrame({"x": [0.5]})).mark_rule(strokeDash=[4, 4], color="gray").encode(x="x:Q")
    return bars + coin


def roc_curve_chart(roc: pd.DataFrame, outcome: Outcome = _LEAVING) -> alt.Chart:
    """ROC curves per model with the diagonal of guessing."""
    line = (
        alt.Chart(roc, title=outcome.say("roc_chart"))
        .mark_line()
        .encode(
            x=alt.X("false_positive_rate:Q", title=outcome.say("roc_x")),
            y=alt.Y("true_positive_rate:Q", title=outcome.say("roc_axis")),
            color=alt.Color("model:N", title=_("Model")),
            tooltip=[alt.Tooltip("model:N", title=_("Model"))],
        )
    )
    diagonal = alt.Chart(pd.DataFrame({"x": [0, 1], "y": [0, 1]})).mark_line(strokeDash=[4, 4], color="gray")
    return line + diagonal.encode(x="x:Q", y="y:Q")


def pr_curve_chart(pr: pd.DataFrame, outcome: Outcome = _LEAVING) -> alt.Chart:
    """Precision-recall curves per model."""
    return (
        alt.Chart(pr, title=outcome.say("pr_chart"))
        .mark_line()
        .encode(
            x=alt.X("recall:Q", title=outcome.say("recall_axis")),
            y=alt.Y("precision:Q", title=outcome.say("precision_axis")),
            color=alt.Color("model:N", title=_("Model")),
            tooltip=[alt.Tooltip("model:N", title=_("Model"))],
        )
    )


def confusion_chart(confusion: pd.DataFrame, outcome: Outcome = _LEAVING) -> alt.Chart:
    """Confusion matrix as a labelled heatmap (actual vs predicted), its keys (no / yes, say_no / say_yes) in the
    outcome's words: stayed / churned for leaving, said no / said yes for a campaign's reply."""
    words = {key: outcome.say(key) for key in ("no", "yes", "say_no", "say_yes")}
    df = confusion.assign(actual=confusion["actual"].replace(words), predicted=confusion["predicted"].replace(words))
    base = alt.Chart(df, title=_("What the model gets right and wrong")).encode(
        x=alt.X("predicted:N", title=_("Model says"), sort=[words["say_no"], words["say_yes"]]),
        y=alt.Y("actual:N", title=_("Actually"), sort=[words["no"], words["yes"]]),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("customers:Q", title=_("Customers"), scale=alt.Scale(scheme="blues")),
        tooltip=[
            alt.Tooltip("actual:N", title=_("Actually")),
            alt.Tooltip("predicted:N", title=_("Model says")),
            alt.Tooltip("customers:Q", title=_("Customers"), format=","),
        ],
    )
    return cells + base.mark_text(fontSize=16).encode(text=alt.Text("customers:Q", format=","))


def importance_bar(importance: pd.DataFrame, top: int = 12, outcome: Outcome = _LEAVING) -> alt.Chart:
    """Permutation importance: how much worse the model ranks customers when one column is shuffled."""
    df = importance.head(top).assign(feature=lambda d: d["feature"].map(column_label))
    return (
        alt.Chart(df, title=outcome.say("importance_chart"))
        .mark_bar()
        .encode(
            x=alt.X("importance:Q", title=_("How much worse the model ranks without it (drop in ROC AUC)")),
            y=alt.Y("feature:N", sort="-x", title=None, axis=alt.Axis(labelLimit=240)),
            tooltip=[
                alt.Tooltip("feature:N", title=_("Column")),
                alt.Tooltip("importance:Q", title=_("Importance"), format=".4f"),
                alt.Tooltip("std:Q", title=_("Spread"), format=".4f"),
            ],
        )
    )


def predicted_vs_actual(holdout: pd.DataFrame, model: str) -> alt.Chart:
    """Held-out predicted vs actual spend for one model, with the line of perfect predictions."""
    df = holdout[holdout["model"] == model]
    top = float(max(df["actual"].max(), df["predicted"].max(), 1.0))
    points = (
        alt.Chart(df, title=_("Predicted vs actual value on held-out customers ({model})").format(model=model))
        .mark_circle(opacity=0.5)
        .encode(
            x=alt.X("actual:Q", title=_("Actual")),
            y=alt.Y("predicted:Q", title=_("Predicted")),
            tooltip=[
                alt.Tooltip("customer_id:N", title=_("Customer")),
                alt.Tooltip("actual:Q", title=_("Actual"), format=",.2f"),
                alt.Tooltip("predicted:Q", title=_("Predicted"), format=",.2f"),
            ],
        )
    )
    line = alt.Chart(pd.DataFrame({"x": [0, top], "y": [0, top]})).mark_line(strokeDash=[4, 4], color="gray")
    return points + line.encode(x="x:Q", y="y:Q")


def value_histogram(values: pd.DataFrame, column: str, title: str, axis: str) -> alt.Chart:
    """Distribution of a per-customer value (predicted spend, CLV), coloured by tier when present."""
    enc = {"color": alt.Color("tier:N", title=_("Tier"))} if "tier" in values else {}
    return (
        alt.Chart(values, title=title)
        .mark_bar()
        .encode(
            x=alt.X(f"{column}:Q", bin=alt.Bin(maxbins=40), title=axis),
            y=alt.Y("count():Q", title=_("Customers")),
            tooltip=[alt.Tooltip("count():Q", title=_("Customers"))],
            **enc,
        )
    )


def risk_vs_alive(table: pd.DataFrame) -> alt.Chart:
    """Classifier churn risk against BG/NBD's P(alive): two opinions on the same customers."""
    return (
        alt.Chart(table, title=_("Two opinions: churn model vs BG/NBD P(alive)"))
        .mark_circle(opacity=0.4)
        .encode(
            x=alt.X("p_alive:Q", title=_("P(alive), BG/NBD")),
            y=alt.Y("churn_risk:Q", title=_("Churn risk, classifier")),
            tooltip=[
                alt.Tooltip("customer_id:N", title=_("Customer")),
                alt.Tooltip("p_alive:Q", title=_("P(alive)"), format=".2f"),
                alt.Tooltip("churn_risk:Q", title=_("Churn risk"), format=".2f"),
            ],
        )
    )


def fairness_bar(table: pd.DataFrame, attribute: str, outcome: Outcome = _LEAVING) -> alt.Chart:
    """Recall and flag rate per group of one attribute."""
    df = table[table["attribute"] == attribute].melt(
        id_vars=["group", "customers"], value_vars=["recall", "flag_rate"], var_name="measure", value_name="rate"
    )
    df["measure"] = df["measure"].map({"recall": outcome.say("recall_measure"), "flag_rate": _("Customers flagged")})
    return (
        alt.Chart(df, title=outcome.say("fairness_chart", attribute=attribute))
        .mark_bar()
        .encode(
            x=alt.X("rate:Q", title=_("Rate"), axis=alt.Axis(format="%")),
            y=alt.Y("group:N", title=None),
            color=alt.Color("measure:N", title=None),
            yOffset="measure:N",
            tooltip=[
                alt.Tooltip("group:N", title=_("Group")),
                alt.Tooltip("measure:N", title=_("Measure")),
                alt.Tooltip("rate:Q", title=_("Rate"), format=".0%"),
                alt.Tooltip("customers:Q", title=_("Customers"), format=","),
            ],
        )
    )
