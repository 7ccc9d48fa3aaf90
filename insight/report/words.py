"""The sentences the Overview and the HTML report share: each analysis's answer in a founder's words."""

from __future__ import annotations

from typing import Any

import pandas as pd

from insight.labels import days, money, period, plural, share
from insight.outcome_words import LEAVE, Outcome
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
    if h.get("refunded") is not None:
        figures["Refunded"] = money(h["refunded"], currency)
        figures["Net revenue"] = money(h["net_revenue"], currency)
    if h.get("first_date") is not None:
        figures["Period"] = period(h["first_date"], h["last_date"])
    if h.get("active_customers") is not None:
        figures[f"Active in the last {ACTIVE_DAYS} days"] = f"{h['active_customers']:,.0f}"
    if h.get("repeat_rate") is not None:
        figures["Came back for a second order"] = share(h["repeat_rate"])
    return figures


def revenue_note(headline: dict[str, Any]) -> str | None:
    """Which column was counted as revenue (what was paid), and whether refunds were taken off; None without."""
    column = headline.get("revenue_column")
    if headline.get("revenue") is None or not column:
        return None
    if " × " in column:  # no amount column: each line's quantity times its unit price
        return f"Revenue is {column} on every order line; unpaid, cancelled and closed orders are left out."
    if headline.get("refunded") is not None:
        return f"Revenue is what was paid ('{column}'); net revenue takes off the refunds."
    return f"Revenue is what was paid ('{column}'); unpaid, cancelled and closed orders are left out."


def segments_sentence(seg: Any) -> str:
    """How many groups, and the largest ones."""
    groups = [p for p in seg.personas if p.segment >= 0]
    top = ", ".join(f"{p.name} ({share(p.share)})" for p in sorted(groups, key=lambda p: -p.size)[:3])
    return f"{plural(len(groups), 'group')} of customers who behave alike. The largest: {top}."


def churn_sentence(data: Any, at_risk: int) -> str:
    """What the label says and how many customers look likely to leave now (`Pipeline.likely_leavers`; or to say
    yes: the words follow the outcome, `data.outcome`)."""
    if data.source == "derived":
        base = (
            f"{share(data.churn_rate)} of the customers who had bought by {data.cutoff:%d %b %Y} bought nothing in "
            f"the {days(data.horizon_days)} after."
        )
    else:
        base = data.outcome.say("marked", share=share(data.churn_rate))
    return f"{base} {data.outcome.say('likely', people=plural(at_risk, 'customer'))}"


def value_sentence(lifetime: Any, currency: str | None = None) -> str:
    """Expected value over the next year and how many customers are still active; when the fit cannot be trusted,
    that it is withheld and why (an unreliable figure is never stated as fact)."""
    if lifetime.verdict is not None and not lifetime.verdict.usable:
        return f"Lifetime value withheld: {lifetime.verdict.reason}"
    s = lifetime.summary()
    alive = f"on average {share(s['mean_p_alive'])} of them look still active"
    if s.get("total_clv_12m") is None:
        return f"{plural(len(lifetime.table), 'customer')} with orders; {alive}."
    return (
        f"Your {plural(len(lifetime.table), 'customer')} should bring about {money(s['total_clv_12m'], currency)} "
        f"in the next 12 months; {alive}."
    )


def feedback_sentence(fb: Any) -> str:
    """How people feel (beside the shares the people gave, when they labelled the texts), and what the unhappy
    ones talk about."""
    shares = fb.shares().set_index("label")["share"]
    text = (
        f"{share(shares['positive'])} of {plural(len(fb.valid), 'text')} are positive and "
        f"{share(shares['negative'])} negative."
    )
    people = fb.people_shares()
    if people is not None:
        said = people.set_index("label")["share"]
        text += (
            f" The people who labelled them said {share(said['positive'])} positive and "
            f"{share(said['negative'])} negative."
        )
    negative = fb.themes[fb.themes["side"] == "negative"] if len(fb.themes) else fb.themes
    if len(negative):
        text += f" Unhappy customers talk most about '{negative['term'].iloc[0]}'."
    return text


def labels_sentence(labelled: dict[str, Any], column: str | None) -> str:
    """How far the scores agree with the labels people gave, overall and per class."""
    classes = ", ".join(f"{share(v)} of the {c} ones" for c, v in labelled["per_class"].items())
    return (
        f"People labelled {plural(labelled['texts'], 'text')} in '{column}'. The model puts "
        f"{share(labelled['accuracy'])} of them in the same class ({classes}); always guessing the commonest "
        f"label would be right {share(labelled['majority'])} of the time."
    )


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


def action_sentence(
    actions: pd.DataFrame, currency: str | None, threshold: float, value: str, outcome: Outcome | None = None
) -> str:
    """The Value page's first sentence: how many valuable customers may leave (or say yes), worth how much
    (`value` names what the predicted value is, e.g. 'spend in the 90 days after the cutoff')."""
    outcome = outcome or Outcome(LEAVE)
    if actions.empty:
        return outcome.say("no_action", share=share(threshold))
    worth = money(actions["predicted_value"].sum(), currency)
    return outcome.say("action", people=plural(len(actions), "customer"), worth=worth, value=value)


def metric_sentences(
    metrics: pd.Series, precision: float, recall: float, threshold: float, folds: int, outcome: Outcome | None = None
) -> list[str]:
    """One plain sentence per number that says how good a model of the outcome is (in its words)."""
    o = outcome or Outcome(LEAVE)
    return [
        f"Each customer was scored by a model that never saw them ({folds}-fold cross-validation).",
        o.say("ranking", auc=f"{metrics['roc_auc']:.2f}", share=share(metrics["roc_auc"])),
        o.say("precision", threshold=share(threshold), share=share(precision)),
        o.say("recall", share=share(recall)),
        o.say("accuracy", share=share(metrics["accuracy"])),
        f"F1 {metrics['f1']:.2f}: precision and recall in one number (1 is perfect).",
    ]
