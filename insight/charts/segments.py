"""Charts of the Segments page: the k sweep, DBSCAN's k-distance curve, the customer map, sizes, profiles."""

from __future__ import annotations

import altair as alt
import pandas as pd

from insight.formats import share
from insight.i18n import N_, _
from insight.labels import column_label

SWEEP_TITLES = {
    "inertia": N_("Inertia (lower = tighter; look for the elbow)"),
    "silhouette": N_("Silhouette (higher = clearer groups)"),
    "calinski_harabasz": N_("Calinski-Harabasz (higher = better)"),
    "davies_bouldin": N_("Davies-Bouldin (lower = better)"),
}


def segment_sweep(table: pd.DataFrame, suggested_k: int, current_k: int | None = None) -> alt.FacetChart:
    """The k sweep: one small chart per score, the suggested k dashed and the chosen k solid."""
    df = table.melt(id_vars="k", value_vars=list(SWEEP_TITLES), var_name="metric", value_name="value")
    titles = {metric: _(title) for metric, title in SWEEP_TITLES.items()}
    df["metric"] = df["metric"].map(titles)
    df["suggested"], df["chosen"] = suggested_k, current_k if current_k is not None else suggested_k
    base = alt.Chart()
    line = base.mark_line(point=True).encode(
        x=alt.X("k:Q", title=_("Number of segments (k)"), axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False)),
        tooltip=[alt.Tooltip("k:Q", title="k"), alt.Tooltip("value:Q", title=_("Score"), format=",.3f")],
    )
    suggested = base.mark_rule(strokeDash=[4, 4], color="#E45756").encode(x="suggested:Q")
    chosen = base.mark_rule(color="#2E6F95").encode(x="chosen:Q")
    return (
        alt.layer(line, suggested, chosen, data=df)
        .properties(width=300, height=160)
        .facet(facet=alt.Facet("metric:N", title=None, sort=list(titles.values())), columns=2)
        .resolve_scale(y="independent")
    )


def kdistance_curve(curve: pd.DataFrame, eps: float) -> alt.LayerChart:
    """DBSCAN's k-distance curve (`rank`, `distance`) with the chosen radius as a line."""
    line = (
        alt.Chart(curve, title=_("Distance to each customer's nearest neighbours, sorted"))
        .mark_line()
        .encode(
            x=alt.X("rank:Q", title=_("Customers (sorted)")),
            y=alt.Y("distance:Q", title=_("Distance to the k-th nearest neighbour")),
            tooltip=[alt.Tooltip("distance:Q", title=_("Distance"), format=".3f")],
        )
    )
    rule = alt.Chart(pd.DataFrame({"eps": [eps]})).mark_rule(strokeDash=[4, 4], color="#E45756").encode(y="eps:Q")
    return line + rule


def segment_map(points: pd.DataFrame, explained: tuple[float, float], tooltips: list[str]) -> alt.Chart:
    """Customers on the two PCA directions (`x`, `y`), coloured by `segment`, with `tooltips` columns."""
    return (
        alt.Chart(points, title=_("Customer map: nearby points are similar customers"))
        .mark_circle(size=28, opacity=0.7)
        .encode(
            x=alt.X("x:Q", title=_("Main direction 1 ({share} of the spread)").format(share=share(explained[0]))),
            y=alt.Y("y:Q", title=_("Main direction 2 ({share} of the spread)").format(share=share(explained[1]))),
            color=alt.Color("segment:N", title=_("Segment"), legend=alt.Legend(labelLimit=320)),
            tooltip=[alt.Tooltip("customer_id:N", title=_("Customer")), alt.Tooltip("segment:N", title=_("Segment"))]
            + [alt.Tooltip(f"{c}:Q", title=column_label(c), format=",.1f") for c in tooltips],
        )
        .interactive()
    )


def segment_sizes(sizes: pd.DataFrame) -> alt.Chart:
    """Share of customers and (when known) of revenue per segment (`segment` name, `share`, `revenue_share`)."""
    cols = {"share": _("Customers"), "revenue_share": _("Revenue")}
    df = sizes.melt(id_vars="segment", value_vars=[c for c in cols if c in sizes], var_name="of", value_name="pct")
    df["of"] = df["of"].map(cols)
    return (
        alt.Chart(df, title=_("Share of customers and of revenue"))
        .mark_bar()
        .encode(
            x=alt.X("pct:Q", title=_("Share"), axis=alt.Axis(format="%")),
            y=alt.Y("segment:N", title=None, axis=alt.Axis(labelLimit=320)),
            yOffset="of:N",
            color=alt.Color("of:N", title=None),
            tooltip=[
                alt.Tooltip("segment:N", title=_("Segment")),
                alt.Tooltip("of:N", title=_("Share of")),
                alt.Tooltip("pct:Q", title=_("Share"), format=".1%"),
            ],
        )
    )


def segment_heatmap(stats: pd.DataFrame) -> alt.Chart:
    """Segments x features coloured by how far above (orange) or below (purple) everyone they are: colours with no
    good-or-bad meaning, since above average is good for spend and bad for days since the last order."""
    df = stats.assign(shown=stats["std_diff"].clip(-2, 2))
    return (
        alt.Chart(df, title=_("How each segment differs from the average customer"))
        .mark_rect()
        .properties(height=alt.Step(34))
        .encode(
            x=alt.X("feature:N", title=None, sort=None, axis=alt.Axis(labelAngle=-30, labelLimit=200)),
            y=alt.Y("segment:N", title=None, axis=alt.Axis(labelLimit=320)),
            color=alt.Color(
                "shown:Q",
                title=_("Above / below everyone"),
                scale=alt.Scale(scheme="purpleorange", domain=[-2, 2]),
            ),
            tooltip=[
                alt.Tooltip("segment:N", title=_("Segment")),
                alt.Tooltip("feature:N", title=_("Feature")),
                alt.Tooltip("mean:Q", title=_("Segment mean"), format=",.2f"),
                alt.Tooltip("median:Q", title=_("Segment median"), format=",.2f"),
                alt.Tooltip("overall_mean:Q", title=_("Everyone: mean"), format=",.2f"),
                alt.Tooltip("overall_median:Q", title=_("Everyone: median"), format=",.2f"),
                alt.Tooltip("std_diff:Q", title=_("Difference (standard deviations)"), format="+.2f"),
            ],
        )
    )
