"""What the answers say together: the customer table with each customer's results, and the findings' evidence."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from insight.findings import Evidence, Finding, findings
from insight.pipeline.answers import Answers
from insight.pipeline.core import Pipeline

Progress = Callable[[float, str], None]


def customers_with_results(pipe: Pipeline, a: Answers) -> pd.DataFrame:
    """The customer table plus segment, churn risk and value (12-month CLV, else spend) where available and
    not resting on an unreliable result."""
    c = pipe.ds.customers.copy()
    if a.segmentation is not None:
        c = c.merge(a.segmentation.labels_frame(), on="customer_id", how="left")
    if a.churn_risk is not None:
        c["churn_risk"] = c["customer_id"].map(a.churn_risk)
    if a.lifetime_shown is not None and "clv_12m" in a.lifetime.table:
        clv_table = a.lifetime.table
        c["value"] = c["customer_id"].map(clv_table.set_index("customer_id")["clv_12m"])
    elif "monetary" in c:
        c["value"] = c["monetary"]
    return c


def evidence(pipe: Pipeline, a: Answers) -> Evidence:
    """The findings' inputs from the analyses."""
    offers = None
    if a.offers is not None and len(a.offers):
        first = a.offers[a.offers["rank"] == 1]
        offers = pd.DataFrame({"customer_id": first["customer_id"], "item": first["item_name"]})
    fb = a.feedback if a.usable("sentiment") else None
    return Evidence(
        customers=customers_with_results(pipe, a),
        monthly=a.monthly,
        transactions=pipe.transactions(),
        feedback=fb.valid if fb is not None else None,  # the feedback rules rest on the scores: withheld with them
        themes=fb.themes if fb is not None else None,
        offers=offers,
        outcome=pipe.ds.outcome,
    )


def overview_findings(pipe: Pipeline, a: Answers) -> list[Finding]:
    """The overview's sentences: every finding that holds for these analyses."""
    return findings(evidence(pipe, a))
