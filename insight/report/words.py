"""The sentences the Overview and the HTML report share: each analysis's answer in a founder's words."""

from __future__ import annotations

from typing import Any

import pandas as pd

from insight.labels import days, money, period, plural, share
from insight.overview import ACTIVE_DAYS


def headline_figures(headline: dict[str, Any], currency: str | None = None) -> dict[str, str]:
    """The first figures, as the Overview and the report print them (only those the data gives)."""
    h = headline
    figures: dict[str, str] = {}
    if h.get("customers") is not None:
        figures["Customers"] = f"{h['customers']:,.0f}"
    if h.get("orders") is not None:
        figures["Orders"] = f"{h['orders']:,.0f}"
    if h.get("revenue") is not None:
        figures["Revenue"] = money(h["revenue"], currency)
    if h.get("first_date") is not None:
        figures["Period"] = period(h["first_date"], h["last_date"])
    if h.get("active_customers") is not None:
        figures[f"Active in the last {ACTIVE_DAYS} days"] = f"{h['active_customers']:,.0f}"
    if h.get("repeat_rate") is not None:
        figures["Came back for a second order"] = share(h["repeat_rate"])
    return figures


def segments_sentence(seg: Any) -> str:
    """How many groups, and the largest ones."""
    groups = [p for p in seg.personas if p.segment >= 0]
    top = ", ".join(f"{p.name} ({share(p.share)})" for p in sorted(groups, key=lambda p: -p.size)[:3])
    return f"{plural(len(groups), 'group')} of customers who behave alike. The largest: {top}."


def churn_sentence(data: Any, risk: pd.Series, threshold: float) -> str:
    """What the churn label says and how many customers look likely to leave now."""
    at_risk = int((risk >= threshold).sum())
    if data.source == "derived":
        base = (
            f"{share(data.churn_rate)} of the customers who had bought by {data.cutoff:%d %b %Y} bought nothing in "
            f"the {days(data.horizon_days)} after."
        )
    else:
        base = f"{share(data.churn_rate)} of customers are marked as gone in '{data.label_column}'."
    return f"{base} {plural(at_risk, 'customer')} look likely to leave now."


def value_sentence(lifetime: Any, currency: str | None = None) -> str:
    """Expected value over the next year and how many customers are still active."""
    s = lifetime.summary()
    alive = f"on average {share(s['mean_p_alive'])} of them look still active"
    if s.get("total_clv_12m") is None:
        return f"{plural(len(lifetime.table), 'customer')} with orders; {alive}."
    return (
        f"Your {plural(len(lifetime.table), 'customer')} should bring about {money(s['total_clv_12m'], currency)} "
        f"in the next 12 months; {alive}."
    )


def feedback_sentence(fb: Any) -> str:
    """How people feel, and what the unhappy ones talk about."""
    shares = fb.shares().set_index("label")["share"]
    text = (
        f"{share(shares['positive'])} of {plural(len(fb.valid), 'text')} are positive and "
        f"{share(shares['negative'])} negative."
    )
    negative = fb.themes[fb.themes["side"] == "negative"] if len(fb.themes) else fb.themes
    if len(negative):
        text += f" Unhappy customers talk most about '{negative['term'].iloc[0]}'."
    return text


def recommendations_sentence(comparison: Any, offers: pd.DataFrame) -> str:
    """Who gets a list, from which model, and how it compares with offering the most popular items."""
    table = comparison.table
    people = plural(offers["customer_id"].nunique(), "customer")
    if "hit_rate" in table and not pd.isna(table.loc[comparison.best, "hit_rate"]):
        best, popular = table.loc[comparison.best, "hit_rate"], table.loc["Popularity", "hit_rate"]
        return (
            f"Offers for {people} from {comparison.best}: its top 10 held what customers chose next "
            f"{share(best)} of the time, against {share(popular)} for simply offering the most popular items."
        )
    return f"Offers for {people} from {comparison.best}."


def action_sentence(actions: pd.DataFrame, currency: str | None, threshold: float, value: str) -> str:
    """The Value & churn page's first sentence: how many valuable customers may leave, worth how much (`value`
    names what the predicted value is, e.g. 'spend in the 90 days after the cutoff')."""
    if actions.empty:
        return (
            f"No valuable customer has a churn risk of {share(threshold)} or more right now: nobody to call first. "
            "Move the line to see who comes next."
        )
    worth = money(actions["predicted_value"].sum(), currency)
    who = plural(len(actions), "customer")
    return f"{who} worth about {worth} ({value}) look likely to leave; call these first."


def metric_sentences(metrics: pd.Series, precision: float, recall: float, threshold: float, folds: int) -> list[str]:
    """One plain sentence per number that says how good a churn model is."""
    return [
        f"Each customer was scored by a model that never saw them ({folds}-fold cross-validation).",
        f"Ranking (ROC AUC {metrics['roc_auc']:.2f}): of two customers, one who left and one who stayed, the one "
        f"who left gets the higher risk {share(metrics['roc_auc'])} of the time; a coin would manage 50%.",
        f"Precision: of the customers flagged at a risk of {share(threshold)} or more, {share(precision)} really left.",
        f"Recall: of the customers who left, {share(recall)} were flagged.",
        f"Accuracy: {share(metrics['accuracy'])} of customers were put on the right side of the line (easy to score "
        "high when few leave, so read the three above first).",
        f"F1 {metrics['f1']:.2f}: precision and recall in one number (1 is perfect).",
    ]
