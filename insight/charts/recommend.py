"""Charts of the Recommendations page: the model comparison."""

from __future__ import annotations

import altair as alt
import pandas as pd

from insight.i18n import _


def recommend_metrics_bar(table: pd.DataFrame, best: str | None = None) -> alt.Chart:
    """How often each model's top 10 held what customers chose next (hit rate, precision, recall)."""
    labels = {"hit_rate": _("Hit rate"), "precision_at_10": _("Precision@10"), "recall_at_10": _("Recall@10")}
    roles = {"best": _("best model"), "baseline": _("baseline"), "other": _("other")}
    df = table.reset_index().rename(columns={table.index.name or "index": "model"})
    df = df.melt(id_vars="model", value_vars=list(labels), var_name="metric", value_name="value")
    df["metric"] = df["metric"].map(labels)
    df["pick"] = df["model"].map(lambda m: "best" if m == best else "baseline" if m == "Popularity" else "other")
    df["role"] = df["pick"].map(roles)
    return (
        alt.Chart(df, title=_("Did the top 10 contain what customers chose next?"))
        .mark_bar()
        .encode(
            x=alt.X("value:Q", title=_("Share (higher is better)"), axis=alt.Axis(format="%")),
            y=alt.Y("model:N", title=None, sort=list(table.index), axis=alt.Axis(labelLimit=260)),
            yOffset=alt.YOffset("metric:N", sort=list(labels.values())),
            color=alt.Color("metric:N", title=_("Measure"), sort=list(labels.values())),
            opacity=alt.condition(alt.datum.pick == "other", alt.value(0.55), alt.value(1.0)),
            tooltip=[
                alt.Tooltip("model:N", title=_("Model")),
                alt.Tooltip("metric:N", title=_("Measure")),
                alt.Tooltip("value:Q", title=_("Value"), format=".1%"),
                alt.Tooltip("role:N", title=_("Role")),
            ],
        )
    )
