"""Findings in plain words, computed from the analyses: each is a rule with its threshold beside it.

A rule returns a `Finding` only when it holds for this data; nothing here
is a canned sentence. Rules read an `Evidence` bundle, whose parts are
optional: a rule whose inputs are missing says nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from insight.formats import Figure
from insight.i18n import N_, Message, text
from insight.outcome_words import LEAVE, Outcome


@dataclass(frozen=True)
class Finding:
    """One sentence for the overview (`said`: a message with its figures, written when read, since findings are
    cached), the page that shows the detail (its key), and the figure behind it."""

    key: str
    said: Message
    page: str
    value: float

    @property
    def text(self) -> str:
        """The sentence in the active language."""
        return text(self.said)


@dataclass
class Evidence:
    """What the rules look at. `customers` may carry `segment`, `churn_risk` and `value` columns; `outcome` says
    what `churn_risk` is the chance of (leaving, saying yes …), so the sentences say it in its words."""

    customers: pd.DataFrame
    monthly: pd.DataFrame | None = None
    transactions: pd.DataFrame | None = None
    feedback: pd.DataFrame | None = None
    themes: pd.DataFrame | None = None
    offers: pd.DataFrame | None = None
    outcome: Outcome = Outcome(LEAVE)


def _pct(x: float) -> Figure:
    return Figure(float(x), "share")


CHAMPIONS_LIFT = 2.0  # Champions' share of revenue must be at least twice their share of customers


def champions_revenue(ev: Evidence) -> Finding | None:
    """Champions bring far more than their share of revenue."""
    c = ev.customers
    if not {"rfm_group", "monetary"} <= set(c.columns) or c["monetary"].sum() <= 0:
        return None
    champ = c["rfm_group"] == "Champions"
    share_customers = champ.mean()
    share_revenue = c.loc[champ, "monetary"].sum() / c["monetary"].sum()
    if share_customers == 0 or share_revenue < CHAMPIONS_LIFT * share_customers:
        return None
    return Finding(
        "champions_revenue",
        Message(
            N_("Champions are {customers} of customers and {revenue} of revenue."),
            customers=_pct(share_customers),
            revenue=_pct(share_revenue),
        ),
        "data",
        share_revenue,
    )


TOP_DECILE_SHARE = 0.40  # say so when the top 10% of customers bring at least 40% of revenue


def revenue_concentration(ev: Evidence) -> Finding | None:
    """A few customers carry the business."""
    c = ev.customers
    if "monetary" not in c or len(c) < 20 or c["monetary"].sum() <= 0:
        return None
    spend = c["monetary"].clip(lower=0).sort_values(ascending=False)
    share = spend.head(max(1, len(spend) // 10)).sum() / spend.sum()
    if share < TOP_DECILE_SHARE:
        return None
    return Finding(
        "revenue_concentration",
        Message(N_("Your top 10% of customers bring {share} of revenue."), share=_pct(share)),
        "segments",
        share,
    )


SEGMENT_RISK_LIFT = 1.5  # a segment's mean churn risk at least 1.5x the overall mean
SEGMENT_MIN_SIZE = 20  # and at least 20 customers, so it is not noise
THEME_LIFT = 2.0  # mention the top complaint when the segment uses it at least twice as often as others


def _mention_lift(ev: Evidence, members: pd.Index, term: str) -> float | None:
    fb = ev.feedback
    if fb is None or "customer_id" not in fb or "text" not in fb:
        return None
    mentions = fb["text"].astype(str).str.lower().str.contains(term.lower(), regex=False)
    inside = fb["customer_id"].isin(members)
    if inside.sum() < 5 or (~inside).sum() < 5:
        return None
    rate_in, rate_out = mentions[inside].mean(), mentions[~inside].mean()
    return float(rate_in / rate_out) if rate_out > 0 else None


def risky_segment(ev: Evidence) -> Finding | None:
    """The segment most likely to leave, and what it complains about."""
    c = ev.customers
    if not {"segment", "churn_risk"} <= set(c.columns) or c["churn_risk"].mean() <= 0:
        return None
    overall = c["churn_risk"].mean()
    by = c.groupby("segment", observed=True)["churn_risk"].agg(["mean", "size"])
    by = by[by["size"] >= SEGMENT_MIN_SIZE]
    if by.empty:
        return None
    name = by["mean"].idxmax()
    lift = by.at[name, "mean"] / overall
    if lift < SEGMENT_RISK_LIFT:
        return None
    size = Figure(int(by.at[name, "size"]), "count")
    said = Message(
        N_("{finding}."), finding=ev.outcome.message("segment_lift", name=name, customers=size, lift=f"{lift:.1f}")
    )
    if ev.themes is not None and not ev.themes.empty:
        negative = ev.themes[ev.themes["side"] == "negative"]
        if not negative.empty:
            term = str(negative["term"].iloc[0])
            mention = _mention_lift(ev, pd.Index(c.loc[c["segment"] == name, "customer_id"]), term)
            if mention is not None and mention >= THEME_LIFT:
                also = N_("{finding} and mention '{term}' {lift}× as often.")
                said = Message(also, finding=said.params["finding"], term=term, lift=f"{mention:.1f}")
    return Finding("risky_segment", said, "predict", float(lift))


TREND_CHANGE = 0.10  # report revenue moves of at least 10% between the last two quarters
YEAR_AGO_MONTHS = 15  # with 15+ months the last three are compared with the same three months a year before


def revenue_trend(ev: Evidence) -> Finding | None:
    """Revenue of the last three full months against the same months a year before when the data has them
    (so ordinary seasonality, Q4 against Q3, is not news), else against the three months before."""
    m = ev.monthly
    if m is None or len(m) < 7 or m["revenue"].isna().all():  # no amounts: no revenue to compare
        return None
    revenue = m["revenue"].to_numpy(dtype=float)
    if revenue[-1] < 0.5 * np.median(revenue[:-1]):
        revenue = revenue[:-1]  # the last month is still running
    recent = revenue[-3:].sum()
    year_ago = len(revenue) >= YEAR_AGO_MONTHS
    before = revenue[-15:-12].sum() if year_ago else revenue[-6:-3].sum()
    if before <= 0:
        return None
    change = recent / before - 1
    if abs(change) < TREND_CHANGE:
        return None
    sentences = {
        (True, True): N_("Revenue over the last three months is up {share} on the same three months a year before."),
        (False, True): N_("Revenue over the last three months is down {share} on the same three months a year before."),
        (True, False): N_(
            "Revenue over the last three months is up {share} on the three months before (no year-earlier data)."
        ),
        (False, False): N_(
            "Revenue over the last three months is down {share} on the three months before (no year-earlier data)."
        ),
    }
    return Finding(
        "revenue_trend",
        Message(sentences[(bool(change > 0), year_ago)], share=_pct(abs(change))),
        "overview",
        float(change),
    )


LOW_REPEAT = 0.30  # fewer than 30% of buyers ordering twice is worth a sentence


def low_repeat(ev: Evidence) -> Finding | None:
    """Few buyers come back."""
    c = ev.customers
    if "frequency" not in c:
        return None
    buyers = c[c["frequency"] > 0]
    if len(buyers) < 20:
        return None
    rate = (buyers["frequency"] >= 2).mean()
    if rate >= LOW_REPEAT:
        return None
    said = Message(N_("Only {share} of buyers came back for a second order."), share=_pct(rate))
    return Finding("low_repeat", said, "segments", float(rate))


RETURNS_SHARE = 0.05  # returns worth at least 5% of gross sales


def returns_share(ev: Evidence) -> Finding | None:
    """Returns eat into revenue."""
    tx = ev.transactions
    if tx is None or "amount" not in tx:
        return None
    gross = tx.loc[tx["amount"] > 0, "amount"].sum()
    returned = -tx.loc[tx["amount"] < 0, "amount"].sum()
    if gross <= 0 or returned / gross < RETURNS_SHARE:
        return None
    share = returned / gross
    said = Message(N_("Returns take back {share} of what customers spend."), share=_pct(share))
    return Finding("returns_share", said, "data", float(share))


COMPLAINT_MIN_TEXTS = 10  # the top complaint theme must appear in at least 10 negative texts


def top_complaint(ev: Evidence) -> Finding | None:
    """What unhappy customers talk about most."""
    t = ev.themes
    if t is None or t.empty:
        return None
    negative = t[t["side"] == "negative"]
    if negative.empty or int(negative["negative_texts"].iloc[0]) < COMPLAINT_MIN_TEXTS:
        return None
    row = negative.iloc[0]
    return Finding(
        "top_complaint",
        Message(
            N_("Unhappy customers most often talk about '{theme}' ({n} negative texts)."),
            theme=str(row["term"]),
            n=Figure(int(row["negative_texts"]), "count"),
        ),
        "feedback",
        float(row["negative_texts"]),
    )


AT_RISK = 0.5  # churn risk at or above this counts as at risk
VALUABLE_AT_RISK = 20  # look at the 20 most valuable at-risk customers
MIN_SHARING_OFFER = 3  # name the offer when it is the first pick for at least 3 of them


def offer_for_at_risk(ev: Evidence) -> Finding | None:
    """The offer most often top of the list for the most valuable customers at risk."""
    c, offers = ev.customers, ev.offers
    if offers is None or offers.empty or not {"churn_risk", "value"} <= set(c.columns):
        return None
    risky = c[c["churn_risk"] >= AT_RISK].nlargest(VALUABLE_AT_RISK, "value")
    top = offers[offers["customer_id"].isin(risky["customer_id"])]
    if len(risky) < 5 or top.empty:
        return None
    counts = top["item"].value_counts()
    if counts.iloc[0] < MIN_SHARING_OFFER:
        return None
    return Finding(
        "offer_for_at_risk",
        ev.outcome.message("top_offer", n=len(risky), item=counts.index[0], k=int(counts.iloc[0])),
        "recommend",
        float(counts.iloc[0]),
    )


RULES: tuple[Callable[[Evidence], Finding | None], ...] = (
    champions_revenue,
    revenue_concentration,
    risky_segment,
    revenue_trend,
    low_repeat,
    returns_share,
    top_complaint,
    offer_for_at_risk,
)


def findings(ev: Evidence) -> list[Finding]:
    """Every finding that holds for this data, in the order of `RULES`."""
    return [f for rule in RULES if (f := rule(ev)) is not None]
