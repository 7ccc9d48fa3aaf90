"""Charts of the Feedback page: sentiment distribution, shares, trend, stars, themes, segments."""

from __future__ import annotations

import altair as alt
import pandas as pd

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


def shares_beside_people(people: pd.DataFrame) -> alt.Chart:
    """The shares of positive, neutral and negative texts as the model scored them and as the people labelled
    them, side by side (`people`: label, share, model)."""
    df = pd.concat(
        [
            people[["label", "model"]].rename(columns={"model": "share"}).assign(who="the model"),
            people[["label", "share"]].assign(who="the people"),
        ],
        ignore_index=True,
    )
    return (
        alt.Chart(df, title="Share of texts: the model beside the people who labelled them")
        .mark_bar()
        .encode(
            x=alt.X("share:Q", axis=alt.Axis(format="%"), title="Share of labelled texts"),
            y=alt.Y("label:N", sort=["positive", "neutral", "negative"], title=None),
            yOffset=alt.YOffset("who:N", sort=["the model", "the people"]),
            color=alt.Color("who:N", title=None, scale=alt.Scale(range=["#9ecae1", "#08519c"])),
            tooltip=[
                alt.Tooltip("who:N", title="Who"),
                alt.Tooltip("label:N", title="Label"),
                alt.Tooltip("share:Q", title="Share", format=".1%"),
            ],
        )
    )


def sentiment_trend(trend: pd.DataFrame) -> alt.Chart:
    """Mean sentiment per day, week or month (`trend.attrs["unit"]`, a `period` column; a `month` column is
    read as months) as a line, with the number of texts in the tooltip."""
    unit = trend.attrs.get("unit", "month")
    if "period" not in trend:
        trend = trend.rename(columns={"month": "period"})
    fmt = "%b %Y" if unit == "month" else "%d %b %Y"
    label = {"day": "Day", "week": "Week starting"}.get(unit, "Month")
    return (
        alt.Chart(trend, title=f"Sentiment by {unit}")
        .mark_line(point=True)
        .encode(
            x=alt.X("period:T", title=label, axis=alt.Axis(format=fmt)),
            y=alt.Y("mean_compound:Q", title="Mean sentiment", scale=alt.Scale(domain=[-1, 1])),
            tooltip=[
                alt.Tooltip("period:T", title=label, format=fmt),
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
