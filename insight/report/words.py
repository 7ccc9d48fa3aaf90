"""The sentences the Overview and the HTML report share: each analysis's answer in a founder's words."""

from __future__ import annotations

from typing import Any

import pandas as pd

from insight.formats import count, day, money, period, share
from insight.i18n import _, join, ngettext, pgettext
from insight.labels import nice_name
from insight.outcome_words import LEAVE, Outcome
from insight.overview import ACTIVE_DAYS


def customers(n: float) -> str:
    """'1 customer', '12 customers': a count of customers in the reader's words."""
    return ngettext("{n} customer", "{n} customers", n).format(n=count(n))


def sentences(said: list[str]) -> str:
    """Sentences one after another as the language writes them (a space in English, none in Chinese)."""
    out = said[0] if said else ""
    for sentence in said[1:]:
        out = pgettext("two sentences", "{first} {second}").format(first=out, second=sentence)
    return out


def headline_figures(headline: dict[str, Any], currency: str | None = None) -> dict[str, str]:
    """The first figures, as the Overview and the report print them (only those the data gives)."""
    h = headline
    figures: dict[str, str] = {}
    if h.get("customers") is not None:
        figures[_("Customers")] = count(h["customers"])
    if h.get("orders") is not None:
        figures[_("Orders")] = count(h["orders"])
    if h.get("revenue") is not None:
        figures[_("Revenue")] = money(h["revenue"], currency)
    if h.get("refunded") is not None:
        figures[_("Refunded")] = money(h["refunded"], currency)
        figures[_("Net revenue")] = money(h["net_revenue"], currency)
    if h.get("first_date") is not None:
        figures[_("Period")] = period(h["first_date"], h["last_date"])
    if h.get("active_customers") is not None:
        figures[_("Active in the last {days} days").format(days=ACTIVE_DAYS)] = count(h["active_customers"])
    if h.get("repeat_rate") is not None:
        figures[_("Came back for a second order")] = share(h["repeat_rate"])
    return figures


def revenue_note(headline: dict[str, Any]) -> str | None:
    """Which column was counted as revenue (what was paid), and whether refunds were taken off; None without."""
    column = headline.get("revenue_column")
    if headline.get("revenue") is None or not column:
        return None
    if " × " in column:  # no amount column: each line's quantity times its unit price
        line = _("Revenue is {column} on every order line; unpaid, cancelled and closed orders are left out.")
        return line.format(column=column)
    if headline.get("refunded") is not None:
        return _("Revenue is what was paid ('{column}'); net revenue takes off the refunds.").format(column=column)
    paid = _("Revenue is what was paid ('{column}'); unpaid, cancelled and closed orders are left out.")
    return paid.format(column=column)


def segments_sentence(seg: Any) -> str:
    """How many groups, and the largest ones."""
    groups = [p for p in seg.personas if p.segment >= 0]
    largest = sorted(groups, key=lambda p: -p.size)[:3]
    top = join([_("{name} ({share})").format(name=p.name, share=share(p.share)) for p in largest])
    alike = ngettext(
        "{n} group of customers who behave alike. The largest: {top}.",
        "{n} groups of customers who behave alike. The largest: {top}.",
        len(groups),
    )
    return alike.format(n=count(len(groups)), top=top)


def churn_sentence(data: Any, at_risk: int) -> str:
    """What the label says and how many customers look likely to leave now (`Pipeline.likely_leavers`; or to say
    yes: the words follow the outcome, `data.outcome`)."""
    if data.source == "derived":
        base = _("{share} of the customers who had bought by {cutoff} bought nothing in the {days} days after.").format(
            share=share(data.churn_rate), cutoff=day(data.cutoff), days=count(data.horizon_days)
        )
    else:
        base = data.outcome.say("marked", share=share(data.churn_rate))
    return sentences([base, data.outcome.say("likely", people=customers(at_risk))])


def value_sentence(lifetime: Any, currency: str | None = None) -> str:
    """Expected value over the next year and how many customers are still active; when the fit cannot be trusted,
    that it is withheld and why (an unreliable figure is never stated as fact)."""
    if lifetime.verdict is not None and not lifetime.verdict.usable:
        return _("Lifetime value withheld: {reason}").format(reason=lifetime.verdict.reason)
    s = lifetime.summary()
    alive = share(s["mean_p_alive"])
    people = customers(len(lifetime.table))
    if s.get("total_clv_12m") is None:
        return _("{people} with orders; on average {alive} of them look still active.").format(
            people=people, alive=alive
        )
    return _(
        "Your {people} should bring about {worth} in the next 12 months; on average {alive} of them look still active."
    ).format(people=people, worth=money(s["total_clv_12m"], currency), alive=alive)


def feedback_sentence(fb: Any) -> str:
    """How people feel (beside the shares the people gave, when they labelled the texts), and what the unhappy
    ones talk about."""
    shares = fb.shares().set_index("label")["share"]
    texts = ngettext(
        "{positive} of {n} text are positive and {negative} negative.",
        "{positive} of {n} texts are positive and {negative} negative.",
        len(fb.valid),
    )
    said = [
        texts.format(positive=share(shares["positive"]), n=count(len(fb.valid)), negative=share(shares["negative"]))
    ]
    people = fb.people_shares()
    if people is not None:
        given = people.set_index("label")["share"]
        labelled = _("The people who labelled them said {positive} positive and {negative} negative.")
        said.append(labelled.format(positive=share(given["positive"]), negative=share(given["negative"])))
    negative = fb.themes[fb.themes["side"] == "negative"] if len(fb.themes) else fb.themes
    if len(negative):
        said.append(_("Unhappy customers talk most about '{theme}'.").format(theme=negative["term"].iloc[0]))
    return sentences(said)


def labels_sentence(labelled: dict[str, Any], column: str | None) -> str:
    """How far the scores agree with the labels people gave, overall and per class."""
    from insight.labels import FEELINGS

    ones = _("{share} of the {label} ones")
    classes = join([ones.format(share=share(v), label=_(FEELINGS.get(c, c))) for c, v in labelled["per_class"].items()])
    said = ngettext(
        "People labelled {n} text in '{column}'. The model puts {accuracy} of them in the same class ({classes}); "
        "always guessing the commonest label would be right {majority} of the time.",
        "People labelled {n} texts in '{column}'. The model puts {accuracy} of them in the same class ({classes}); "
        "always guessing the commonest label would be right {majority} of the time.",
        labelled["texts"],
    )
    return said.format(
        n=count(labelled["texts"]),
        column=column,
        accuracy=share(labelled["accuracy"]),
        classes=classes,
        majority=share(labelled["majority"]),
    )


def recommendations_sentence(comparison: Any, offers: pd.DataFrame) -> str:
    """Who gets a list, from which model, and how it compares with offering the most popular items."""
    table = comparison.table
    people = customers(offers["customer_id"].nunique())
    if "hit_rate" in table and not pd.isna(table.loc[comparison.best, "hit_rate"]):
        best, popular = table.loc[comparison.best, "hit_rate"], table.loc["Popularity", "hit_rate"]
        return _(
            "Offers for {people} from {model}: its top 10 held what customers chose next {share} of the time, "
            "against {popular} for simply offering the most popular items."
        ).format(people=people, model=comparison.best, share=share(best), popular=share(popular))
    return _("Offers for {people} from {model}.").format(people=people, model=comparison.best)


def action_sentence(
    actions: pd.DataFrame, currency: str | None, threshold: float, value: str, outcome: Outcome | None = None
) -> str:
    """The Value page's first sentence: how many valuable customers may leave (or say yes), worth how much
    (`value` names what the predicted value is, e.g. 'spend in the 90 days after the cutoff')."""
    outcome = outcome or Outcome(LEAVE)
    if actions.empty:
        return outcome.say("no_action", share=share(threshold))
    worth = money(actions["predicted_value"].sum(), currency)
    return outcome.say("action", people=customers(len(actions)), worth=worth, value=value)


def metric_sentences(
    metrics: pd.Series, precision: float, recall: float, threshold: float, folds: int, outcome: Outcome | None = None
) -> list[str]:
    """One plain sentence per number that says how good a model of the outcome is (in its words)."""
    o = outcome or Outcome(LEAVE)
    return [
        _("Each customer was scored by a model that never saw them ({folds}-fold cross-validation).").format(
            folds=folds
        ),
        o.say("ranking", auc=f"{metrics['roc_auc']:.2f}", share=share(metrics["roc_auc"])),
        o.say("precision", threshold=share(threshold), share=share(precision)),
        o.say("recall", share=share(recall)),
        o.say("accuracy", share=share(metrics["accuracy"])),
        _("F1 {f1:.2f}: precision and recall in one number (1 is perfect).").format(f1=metrics["f1"]),
    ]


def segment_notes(seg: Any, customers: int) -> str:
    """The Segments page's notes on how the segments were fitted: columns on a log scale, a sample."""
    notes = []
    if seg.log_columns:
        uneven = _("Very uneven columns were compared on a log scale: {columns}.")
        notes.append(uneven.format(columns=join([nice_name(c) for c in seg.log_columns])))
    if seg.fitted_on < customers:
        sampled = _("Fitted on a sample of {n} customers; the rest joined the nearest group.")
        notes.append(sampled.format(n=count(seg.fitted_on)))
    return sentences(notes)


def map_caption(points: int, customers: int, explained: float) -> str:
    """What the segment map shows: each point a customer (a sample when there are many), the spread it explains."""
    if points < customers:
        sampled = _("Each point is a customer (a sample of {n}); the two axes explain {share} of the spread.")
        return sampled.format(n=count(points), share=share(explained))
    return _("Each point is a customer; the two axes explain {share} of the spread.").format(share=share(explained))


def quality_problems(q: Any) -> dict[str, str]:
    """The Data page's quality problems of one file, each with the columns it concerns (empty when none)."""
    listed = [q.type_problems, q.outliers_iqr, q.outliers_z]
    found = [join([f"{c} ({count(n)})" for c, n in problems.items()]) for problems in listed]
    return {
        _("Constant columns"): join(list(q.constant_columns)),
        _("Values that are not numbers/dates like the rest"): found[0],
        _("Outliers (IQR)"): found[1],
        _("Outliers (z > 3)"): found[2],
    }


def cutoff_sentence(data: Any, horizon: int) -> str:
    """The Value page's definition of a derived churn label: the cutoff, the horizon, how many left."""
    gone = _(
        "A customer counts as gone when they bought before **{cutoff}** and nothing in the {days} days after; "
        "the models only see orders up to then. {share} of {n} customers left. Today's risk applies the same "
        "models to everyone's orders to date."
    )
    return gone.format(cutoff=day(data.cutoff), days=horizon, share=share(data.churn_rate), n=count(len(data.X)))
