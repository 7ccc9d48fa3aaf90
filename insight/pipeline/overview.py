"""Everything at its defaults, for the overview, the HTML report and the CLI: each part or the reason it is missing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from insight.errors import InsightError
from insight.findings import Evidence, Finding, findings
from insight.pipeline.core import HORIZON_DAYS, Pipeline
from insight.verdict import Verdict

Progress = Callable[[float, str], None]


@dataclass
class Analyses:
    """Every analysis with its default settings; a part is None when the data cannot support it or it rests on
    an unreliable result (see `notes`). `verdicts` holds each analysis's verdict by section name."""

    headline: dict[str, float | None]
    monthly: pd.DataFrame | None = None
    revenue_forecast: Any = None
    active_forecast: Any = None
    cohorts: pd.DataFrame | None = None
    segmentation: Any = None
    churn: Any = None
    churn_comparison: Any = None
    churn_risk: pd.Series | None = None
    lifetime: Any = None
    feedback: Any = None
    rec_comparison: Any = None
    recommender: Any = None
    offers: pd.DataFrame | None = None
    notes: dict[str, str] = field(default_factory=dict)
    verdicts: dict[str, Verdict] = field(default_factory=dict)

    def usable(self, section: str) -> bool:
        """Whether what is built on `section` may be shown (it ran and is not unreliable)."""
        verdict = self.verdicts.get(section)
        return verdict is None or verdict.usable


def attempt(notes: dict[str, str], part: str, compute: Callable[[], Any]) -> Any:
    """`compute()`, or None with the reason noted when the data cannot support it."""
    try:
        return compute()
    except InsightError as exc:
        notes.setdefault(part, str(exc))
        return None


def collect(pipe: Pipeline, progress: Progress | None = None) -> Analyses:
    """Run (or fetch from the runner) every analysis with its defaults, noting what the data cannot support."""
    step = progress or (lambda fraction, text: None)
    out = Analyses(headline=pipe.headline())
    notes = out.notes
    step(0.05, "Monthly figures and forecast")
    out.monthly = attempt(notes, "monthly", pipe.monthly)
    if out.monthly is not None:
        out.revenue_forecast = attempt(notes, "forecast", lambda: pipe.forecast("revenue"))
        if out.revenue_forecast is not None:
            out.verdicts["forecast"] = out.revenue_forecast.verdict
        out.active_forecast = attempt(notes, "forecast", lambda: pipe.forecast("active_customers"))
        out.cohorts = attempt(notes, "cohorts", pipe.cohorts)
    step(0.2, "Segments")
    out.segmentation = attempt(notes, "segments", pipe.segmentation)
    if out.segmentation is not None:
        out.verdicts["segments"] = out.segmentation.verdict
    step(0.4, "Churn models")
    if pipe.churn_source() is None:
        notes["churn"] = pipe.ds.outcome.say("missing")
    else:
        out.churn = attempt(notes, "churn", pipe.churn_data)
        if out.churn is not None:
            out.churn_comparison = attempt(notes, "churn", pipe.churn_comparison)
        if out.churn_comparison is not None:
            out.verdicts["churn"] = attempt(notes, "churn", lambda: pipe.churn_verdict(HORIZON_DAYS))
            out.churn_risk = attempt(notes, "churn", pipe.churn_risk)
            out.headline["churn_rate"] = out.churn.churn_rate
    if pipe.churn_source() is not None or pipe.ds.customer_roles.get("numeric"):
        spend = attempt(notes, "value", lambda: pipe.spend_verdict(HORIZON_DAYS))
        if spend is not None:
            out.verdicts["spend"] = spend
    step(0.6, "Lifetime value")
    out.lifetime = attempt(notes, "lifetime value", pipe.lifetime_value)
    if out.lifetime is not None:
        out.verdicts["clv"] = out.lifetime.verdict
    step(0.7, "Feedback")
    out.feedback = attempt(notes, "feedback", pipe.feedback)
    if out.feedback is not None:
        out.headline["mean_sentiment"] = float(out.feedback.valid["compound"].mean())
        out.verdicts["sentiment"] = pipe.feedback_verdict()
    step(0.8, "Recommendations")
    out.rec_comparison = attempt(notes, "recommendations", pipe.rec_comparison)
    if out.rec_comparison is not None:
        out.verdicts["recommendations"] = out.rec_comparison.verdict
        out.recommender = pipe.recommender()
        out.offers = attempt(notes, "recommendations", pipe.recommendations)
    step(1.0, "Done")
    return out


def customers_with_results(pipe: Pipeline, a: Analyses) -> pd.DataFrame:
    """The customer table plus segment, churn risk and value (12-month CLV, else spend) where available and
    not resting on an unreliable result."""
    c = pipe.ds.customers.copy()
    if a.segmentation is not None:
        c = c.merge(a.segmentation.labels_frame(), on="customer_id", how="left")
    if a.churn_risk is not None:
        c["churn_risk"] = c["customer_id"].map(a.churn_risk)
    if a.lifetime is not None and "clv_12m" in a.lifetime.table and a.usable("clv"):
        clv_table = a.lifetime.table
        c["value"] = c["customer_id"].map(clv_table.set_index("customer_id")["clv_12m"])
    elif "monetary" in c:
        c["value"] = c["monetary"]
    return c


def evidence(pipe: Pipeline, a: Analyses) -> Evidence:
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


def overview_findings(pipe: Pipeline, a: Analyses) -> list[Finding]:
    """The overview's sentences: every finding that holds for these analyses."""
    return findings(evidence(pipe, a))
