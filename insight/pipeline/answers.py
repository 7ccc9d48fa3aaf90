"""The answers at a set of choices: one immutable object that the Overview, the HTML report and the CLI's JSON
render. Each part is computed (or fetched) through the pipeline, so every surface shows the same figures for the
same choices, and a part the data cannot support is None with the reason in `notes`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import pandas as pd

from insight.errors import InsightError
from insight.pipeline.base import HORIZON_DAYS, THRESHOLD
from insight.verdict import Verdict, Words

if TYPE_CHECKING:
    from insight.pipeline.core import Pipeline

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class Choices:
    """What the answers depend on: the segmentation (k None: the sweep's suggestion), the churn horizon and the
    risk from which a customer counts as likely to leave."""

    k: int | None = None
    algorithm: str = "kmeans"
    horizon: int = HORIZON_DAYS
    threshold: float = THRESHOLD

    def __post_init__(self) -> None:
        if self.k is not None and self.k < 2:
            raise InsightError(f"Segments need k of 2 or more; got {self.k}. Leave k out for the suggested number.")
        if not 0 < self.threshold < 1:
            raise InsightError(f"The risk threshold is a share between 0 and 1; got {self.threshold}.")


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Answers:
    """Every analysis at `choices`; a part is None when the data cannot support it (`notes` says why).
    `verdicts` holds each analysis's verdict by section name. Read-only: the store hands it to every session."""

    choices: Choices
    headline: Mapping[str, Any]
    monthly: pd.DataFrame | None = None
    revenue_forecast: Any = None
    active_forecast: Any = None
    cohorts: pd.DataFrame | None = None
    segmentation: Any = None
    suggested_k: int | None = None
    churn: Any = None
    churn_comparison: Any = None
    churn_risk: pd.Series | None = None
    likely_leavers: int | None = None
    lifetime: Any = None
    feedback: Any = None
    rec_comparison: Any = None
    recommender: Any = None
    offers: pd.DataFrame | None = None
    notes: Mapping[str, Words] = field(default_factory=lambda: _frozen({}))
    verdicts: Mapping[str, Verdict] = field(default_factory=lambda: _frozen({}))

    def usable(self, section: str) -> bool:
        """Whether what is built on `section` may be shown (it ran and is not unreliable)."""
        verdict = self.verdicts.get(section)
        return verdict is None or verdict.usable

    @property
    def offers_coverage(self) -> int | None:
        """Customers with at least one offer (None without offers; the JSON's `users_covered`)."""
        return None if self.offers is None else int(self.offers["customer_id"].nunique())

    @property
    def lifetime_shown(self) -> Any:
        """The lifetime value when it may be shown as figures (None when missing or unreliable)."""
        return self.lifetime if self.lifetime is not None and self.usable("clv") else None


def _attempt(notes: dict[str, Words], part: str, compute: Callable[[], Any]) -> Any:
    """`compute()`, or None with the reason noted when the data cannot support it."""
    try:
        return compute()
    except InsightError as exc:
        notes.setdefault(part, exc.message)  # written in the reader's language when shown
        return None


def compute_answers(pipe: Pipeline, choices: Choices, progress: Progress | None = None) -> Answers:
    """Run (or fetch from the runner) every analysis at `choices`, noting what the data cannot support."""
    step = progress or (lambda fraction, text: None)
    notes: dict[str, Words] = {}
    verdicts: dict[str, Verdict] = {}
    parts: dict[str, Any] = {}
    headline = dict(pipe.headline())  # a copy: the cached headline is never written to
    step(0.05, "Monthly figures and forecast")
    parts["monthly"] = _attempt(notes, "monthly", pipe.monthly)
    if parts["monthly"] is not None:
        parts["revenue_forecast"] = _attempt(notes, "forecast", lambda: pipe.forecast("revenue"))
        if parts["revenue_forecast"] is not None:
            verdicts["forecast"] = parts["revenue_forecast"].verdict
        parts["active_forecast"] = _attempt(notes, "forecast", lambda: pipe.forecast("active_customers"))
        parts["cohorts"] = _attempt(notes, "cohorts", pipe.cohorts)
    step(0.2, "Segments")
    segments = _attempt(notes, "segments", lambda: pipe.segments_at(choices))
    if segments is not None:
        parts["segmentation"], parts["suggested_k"] = segments
        verdicts["segments"] = parts["segmentation"].verdict
    step(0.4, "Churn models")
    horizon = choices.horizon
    if pipe.churn_source() is None:
        notes["churn"] = pipe.ds.outcome.message("missing")
    else:
        churn = parts["churn"] = _attempt(notes, "churn", lambda: pipe.churn_data(horizon))
        if churn is not None:
            parts["churn_comparison"] = _attempt(notes, "churn", lambda: pipe.churn_comparison(horizon))
            headline["churn_rate"] = churn.churn_rate
        if parts.get("churn_comparison") is not None:
            verdicts["churn"] = _attempt(notes, "churn", lambda: pipe.churn_verdict(horizon))
            parts["churn_risk"] = _attempt(notes, "churn", lambda: pipe.churn_risk(horizon))
            if parts["churn_risk"] is not None:
                parts["likely_leavers"] = pipe.likely_leavers(choices.threshold, horizon)
    if pipe.churn_source() is not None or pipe.ds.customer_roles.get("numeric"):
        spend = _attempt(notes, "value", lambda: pipe.spend_verdict(horizon))
        if spend is not None:
            verdicts["spend"] = spend
    step(0.6, "Lifetime value")
    parts["lifetime"] = _attempt(notes, "lifetime value", lambda: pipe.lifetime_value(horizon))
    if parts["lifetime"] is not None:
        verdicts["clv"] = parts["lifetime"].verdict
    step(0.7, "Feedback")
    parts["feedback"] = _attempt(notes, "feedback", pipe.feedback)
    if parts["feedback"] is not None:
        headline["mean_sentiment"] = float(parts["feedback"].valid["compound"].mean())
        verdicts["sentiment"] = pipe.feedback_verdict()
    step(0.8, "Recommendations")
    parts["rec_comparison"] = _attempt(notes, "recommendations", pipe.rec_comparison)
    if parts["rec_comparison"] is not None:
        verdicts["recommendations"] = parts["rec_comparison"].verdict
        parts["recommender"] = pipe.recommender()
        parts["offers"] = _attempt(notes, "recommendations", pipe.recommendations)
    step(1.0, "Done")
    return Answers(choices, _frozen(headline), notes=_frozen(notes), verdicts=_frozen(verdicts), **parts)
