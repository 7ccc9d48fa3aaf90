"""Feedback page: what customers say and how they feel — sentiment, themes, stars, quotes, customers, segments.

Uploaded text is only ever shown through st.dataframe / st.text (never as HTML or markdown).
"""

import pandas as pd
import streamlit as st

from insight import charts
from insight.errors import InsightError
from insight.formats import count, share
from insight.i18n import _, join, ngettext
from insight.labels import FEELINGS, SKIP_REASONS, friendly_columns, rounded, safe_md
from insight.report import words
from ui import download_csv, pipeline, show_error, show_verdict
from ui.panels import texts_panel

st.title(_("Feedback"))
st.caption(
    _(
        "How customers feel, from -1 (very negative) to +1 (very positive); above 0.05 counts as positive, below "
        "-0.05 as negative. Which model scored which texts, and how well each did on labelled reviews, is said "
        "under the figures."
    )
)

pipe = pipeline()
ds = pipe.ds
table = ds.table("feedback")
if table is None:
    st.info(
        _(
            "This dataset has no feedback. Upload a review or survey export with a column of comments on the "
            "Data page (stars, dates and customer ids are used when present)."
        )
    )
    st.stop()

bars: list = []


def show_progress(fraction: float, text: str) -> None:
    """Progress of a long scoring run, wired to one st.progress bar."""
    if not bars:
        bars.append(st.progress(0.0, text=text))
    bars[0].progress(min(1.0, fraction), text=text)


try:
    result = pipe.feedback(progress=show_progress)
    show_verdict(pipe.feedback_verdict())
except InsightError as exc:
    show_error(exc)
    st.stop()
finally:
    for bar in bars:
        bar.empty()

scored, valid = result.scored, result.valid
shares = result.shares().set_index("label")["share"]

# --- headline ---------------------------------------------------------------------
cols = st.columns(5)
cols[0].metric(_("Texts scored"), count(len(valid)), help=_("of {n} feedback rows").format(n=count(result.texts)))
people = result.people_shares()  # the shares the people gave, when they labelled the texts
for col, side in zip(cols[1:4], ("positive", "neutral", "negative"), strict=True):
    model = share(shares[side])
    if people is not None:
        said = share(people.set_index("label").at[side, "share"])
        model = _("{model} (people: {people})").format(model=model, people=said)
    col.metric(_(FEELINGS[side]).capitalize(), model)
cols[4].metric(
    _("Average feeling"), f"{valid['compound'].mean():+.2f}", help=_("From -1 (very negative) to +1 (very positive).")
)
skipped = sum(result.skipped.values())
if skipped:
    reasons = join(
        [_("{n} {why}").format(n=count(n), why=_(SKIP_REASONS.get(why, why))) for why, n in result.skipped.items()]
    )
    skipped_rows = ngettext(
        "{n} feedback row was skipped: no text ({reasons}).",
        "{n} feedback rows were skipped: no text ({reasons}).",
        skipped,
    )
    st.warning(skipped_rows.format(n=count(skipped), reasons=reasons))
st.caption(result.models_note())
if result.unreadable_note():
    st.warning(result.unreadable_note())

left, right = st.columns([2, 3])
left.altair_chart(charts.sentiment_shares_bar(result.shares()), width="stretch")
right.altair_chart(charts.sentiment_distribution(scored), width="stretch")

trend = result.trend()
if len(trend) > 1:
    st.subheader(_("Over time"))
    st.altair_chart(charts.sentiment_trend(trend), width="stretch")

# --- stars ---------------------------------------------------------------------------
ratings = result.by_rating()
if not ratings.empty:
    st.subheader(_("Do the words match the stars?"))
    if result.agreement:
        a = result.agreement
        spearman = _(
            "Spearman correlation with the stars: **{whole}** for whole-text scores, **{sentences}** for "
            "sentence-level scores (the mean over a review's sentences)."
        )
        st.markdown(spearman.format(whole=f"{a['compound']:.2f}", sentences=f"{a['sentence_compound']:.2f}"))
    left, right = st.columns(2)
    left.altair_chart(charts.sentiment_by_rating(ratings), width="stretch")
    right.dataframe(rounded(friendly_columns(ratings)), hide_index=True, width="stretch")
    st.markdown(_("**Where stars and words disagree most**"))
    st.dataframe(rounded(friendly_columns(result.disagreements(10))), hide_index=True, width="stretch")
labelled = result.label_agreement()
if labelled:
    st.subheader(_("Do the scores match the people's labels?"))
    st.markdown(safe_md(words.labels_sentence(labelled, table.roles.get("label"))))
    left, right = st.columns(2)
    left.altair_chart(charts.shares_beside_people(result.people_shares()), width="stretch")
    right.markdown(_("**What the people said (rows) and what the model says (columns)**"))
    right.dataframe(result.label_confusion().rename_axis(index=_("the people said")), width="stretch")

# --- quotes ----------------------------------------------------------------------------
st.subheader(_("In their own words"))
n_quotes = st.slider(_("Quotes per side"), 1, 20, 3, key="fb_quotes")
left, right = st.columns(2)
for column, side, title in ((left, "positive", _("Most positive")), (right, "negative", _("Most negative"))):
    column.markdown(f"**{title}**")
    quotes = result.extremes(side, n_quotes)
    for _index, row in quotes.iterrows():
        who = f" — {row['customer_id']}" if "customer_id" in row and pd.notna(row["customer_id"]) else ""
        column.text(f"“{row['text']}”{who}  ({row['compound']:+.2f})")

# --- themes ----------------------------------------------------------------------------
st.subheader(_("What they talk about"))
if result.themes.empty:
    st.info(_("Themes need at least a few positive and a few negative texts in English or in Chinese."))
else:
    st.caption(
        _(
            "Words and two-word phrases found far more often in negative than in positive texts (and the reverse). "
            "Words that carry sentiment themselves, like 'terrible' or 'love', are left out, so what remains is "
            "what people talk about."
        )
    )
    left, right = st.columns(2)
    left.altair_chart(charts.themes_bar(result.themes, "negative"), width="stretch")
    right.altair_chart(charts.themes_bar(result.themes, "positive"), width="stretch")
    download_csv(friendly_columns(result.themes), "feedback_themes.csv", _("Download themes"), key="dl_themes")

# --- customers and segments ------------------------------------------------------------
per_customer = result.per_customer()
if not per_customer.empty:
    st.subheader(_("Per customer"))
    st.caption(safe_md(result.measure_reason))
    unhappy = per_customer.sort_values("mean_sentiment", kind="stable").reset_index(drop=True)
    st.dataframe(rounded(friendly_columns(unhappy)), hide_index=True, width="stretch", height=280)
    download_csv(
        friendly_columns(pipe.customers_with_sentiment()),
        "customers_with_sentiment.csv",
        _("Download the customer table with sentiment"),
        key="dl_sentiment",
    )

    chosen = st.session_state.get("segments")  # the Segments page's current labels: customer_id, segment
    groupings = pipe.groupings(chosen.set_index("customer_id")["segment"] if isinstance(chosen, pd.DataFrame) else None)
    if groupings:
        st.subheader(_("Per segment"))
        group = st.selectbox(_("Group customers by"), list(groupings), key="fb_group")
        by_segment = pipe.sentiment_by_group(groupings[group])
        left, right = st.columns([3, 2])
        left.altair_chart(charts.segment_sentiment_bar(by_segment, group), width="stretch")
        right.dataframe(rounded(friendly_columns(by_segment)), hide_index=True, width="stretch")

# --- all texts -------------------------------------------------------------------------
st.subheader(_("Every text"))
texts_panel(scored)
