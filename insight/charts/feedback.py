"""Charts of the Feedback page: sentiment distribution, shares, trend, stars, themes, segments."""

from __future__ import annotations

import altair as alt
import pandas as pd

from insight.i18n import _
from insight.labels import FEELINGS

_COLORS = ["#d62728", "#9e9e9e", "#2ca02c"]  # negative, neutral, positive


def _label_words() -> dict[str, str]:
    """Each feeling label in the active language."""
    return {label: _(words) for label, words in FEELINGS.items()}


def _label_colors() -> alt.Scale:
    return alt.Scale(domain=list(_label_words().values()), range=_COLORS)


def sentiment_distribution(scored: pd.DataFrame, column: str = "compound") -> alt.Chart:
    """Histogram of sentiment scores (-1 very negative .. +1 very positive), coloured by label."""
    df = scored.loc[scored["skipped"].isna(), [column, "label"]].rename(columns={column: "score"})
    df["label"] = df["label"].astype(str).map(_label_words())
    return (
        alt.Chart(df, title=_("How positive is each text?"))
        .mark_bar()
        .encode(
            x=alt.X("score:Q", bin=alt.Bin(extent=[-1, 1], step=0.1), title=_("Sentiment (-1 negative … +1 positive)")),
            y=alt.Y("count():Q", title=_("Texts")),
            color=alt.Color("label:N", scale=_label_colors(), title=_("Label")),
            tooltip=[
                alt.Tooltip("label:N", title=_("Label")),
                alt.Tooltip("count():Q", title=_("Texts"), format=","),
            ],
        )
    )


def sentiment_shares_bar(shares: pd.DataFrame) -> alt.Chart:
    """Share of positive / neutral / negative texts, one bar each."""
    words = _label_words()
    df = shares.assign(label=shares["label"].astype(str).map(words))
    return (
        alt.Chart(df, title=_("Share of texts"))
        .mark_bar()
        .encode(
            x=alt.X("share:Q", axis=alt.Axis(format="%"), title=_("Share of scored texts")),
            y=alt.Y("label:N", sort=[words["positive"], words["neutral"], words["negative"]], title=None),
            color=alt.Color("label:N", scale=_label_colors(), legend=None),
            tooltip=[
                alt.Tooltip("label:N", title=_("Label")),
                alt.Tooltip("texts:Q", title=_("Texts"), format=","),
                alt.Tooltip("share:Q", title=_("Share"), format=".1%"),
            ],
        )
    )


def shares_beside_people(people: pd.DataFrame) -> alt.Chart:
    """The shares of positive, neutral and negative texts as the model scored them and as the people labelled
    them, side by side (`people`: label, share, model)."""
    words = _label_words()
    model, said = _("the model"), _("the people")
    df = pd.concat(
        [
            people[["label", "model"]].rename(columns={"model": "share"}).assign(who=model),
            people[["label", "share"]].assign(who=said),
        ],
        ignore_index=True,
    )
    df["label"] = df["label"].astype(str).map(words)
    return (
        alt.Chart(df, title=_("Share of texts: the model beside the people who labelled them"))
        .mark_bar()
        .encode(
            x=alt.X("share:Q", axis=alt.Axis(format="%"), title=_("Share of labelled texts")),
            y=alt.Y("label:N", sort=[words["positive"], words["neutral"], words["negative"]], title=None),
            yOffset=alt.YOffset("who:N", sort=[model, said]),
            color=alt.Color("who:N", title=None, scale=alt.Scale(range=["#9ecae1", "#08519c"])),
            tooltip=[
                alt.Tooltip("who:N", title=_("Who")),
                alt.Tooltip("label:N", title=_("Label")),
                alt.Tooltip("share:Q", title=_("Share"), format=".1%"),
            ],
        )
    )


def sentiment_trend(trend: pd.DataFrame) -> alt.Chart:
    """Mean sentiment per day, week or month (`trend.attrs["unit"]`, a `period` column; a `month` column is
    read as months) as a line, with the number of texts in the tooltip."""
    unit = trend.attrs.get("unit", "month")
    if "period" not in trend:
        trend = trend.rename(columns={"month": "period"})
    # i18n: d3 time formats (%b month name, %Y year, %-m month number, %-d day); Chinese writes 2018年1月
    fmt = _("%b %Y") if unit == "month" else _("%d %b %Y")
    label = {"day": _("Day"), "week": _("Week starting")}.get(unit, _("Month"))
    title = {"day": _("Sentiment by day"), "week": _("Sentiment by week")}.get(unit, _("Sentiment by month"))
    return (
        alt.Chart(trend, title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("period:T", title=label, axis=alt.Axis(format=fmt)),
            y=alt.Y("mean_compound:Q", title=_("Mean sentiment"), scale=alt.Scale(domain=[-1, 1])),
            tooltip=[
                alt.Tooltip("period:T", title=label, format=fmt),
                alt.Tooltip("mean_compound:Q", title=_("Mean sentiment"), format=".2f"),
                alt.Tooltip("share_negative:Q", title=_("Negative"), format=".0%"),
                alt.Tooltip("texts:Q", title=_("Texts"), format=","),
            ],
        )
    )


def sentiment_by_rating(ratings: pd.DataFrame) -> alt.Chart:
    """Mean sentiment of the words per star rating."""
    return (
        alt.Chart(ratings, title=_("What the words say, per star rating"))
        .mark_bar()
        .encode(
            x=alt.X("rating:O", title=_("Stars")),
            y=alt.Y("mean_compound:Q", title=_("Mean sentiment"), scale=alt.Scale(domain=[-1, 1])),
            color=alt.condition("datum.mean_compound < 0", alt.value("#d62728"), alt.value("#2ca02c")),
            tooltip=[
                alt.Tooltip("rating:O", title=_("Stars")),
                alt.Tooltip("mean_compound:Q", title=_("Mean sentiment"), format=".2f"),
                alt.Tooltip("mean_sentence_compound:Q", title=_("Mean sentence-level"), format=".2f"),
                alt.Tooltip("texts:Q", title=_("Texts"), format=","),
            ],
        )
    )


def themes_bar(themes: pd.DataFrame, side: str) -> alt.Chart:
    """The complaint (side='negative') or praise ('positive') themes, strongest first, with a quote each."""
    df = themes[themes["side"] == side]
    title = _("What unhappy customers talk about") if side == "negative" else _("What happy customers talk about")
    tooltip = [
        alt.Tooltip("term:N", title=_("Words")),
        alt.Tooltip("negative_texts:Q", title=_("In negative texts"), format=","),
        alt.Tooltip("positive_texts:Q", title=_("In positive texts"), format=","),
        alt.Tooltip("related:N", title=_("Same texts also say")),
    ]
    if "example" in df:
        tooltip.append(alt.Tooltip("example:N", title=_("For example")))
    return (
        alt.Chart(df, title=title)
        .mark_bar(color="#d62728" if side == "negative" else "#2ca02c")
        .encode(
            x=alt.X("z:Q", title=_("How much more often (z-score)")),
            y=alt.Y("term:N", sort="-x", title=None),
            tooltip=tooltip,
        )
    )


def segment_sentiment_bar(table: pd.DataFrame, group_title: str | None = None) -> alt.Chart:
    """Mean customer sentiment per segment (or any customer grouping, named by `group_title`)."""
    group_title = group_title or _("Segment")
    return (
        alt.Chart(table, title=_("Sentiment by {group}").format(group=group_title))
        .mark_bar()
        .encode(
            x=alt.X("mean_sentiment:Q", title=_("Mean customer sentiment")),
            y=alt.Y("segment:N", sort="x", title=None),
            color=alt.condition("datum.mean_sentiment < 0", alt.value("#d62728"), alt.value("#2ca02c")),
            tooltip=[
                alt.Tooltip("segment:N", title=group_title),
                alt.Tooltip("mean_sentiment:Q", title=_("Mean sentiment"), format=".2f"),
                alt.Tooltip("share_unhappy:Q", title=_("Unhappy customers"), format=".0%"),
                alt.Tooltip("customers:Q", title=_("Customers with feedback"), format=","),
            ],
        )
    )
