"""The slow sections of the pages, each a function of a `Pipeline` that computes what the section shows.

A page runs one in the background the first time (`ui.computed`) and renders from the cache once it is done.
They are module-level functions, with their settings bound by `functools.partial`, so a worker process can be
sent one: a page's own lambda could not be pickled.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from insight.errors import InsightError
from insight.pipeline.core import Pipeline


def _each(*parts: Callable[[], Any]) -> None:
    """Run every part; a part the data cannot support is skipped (its page shows the reason)."""
    for part in parts:
        with contextlib.suppress(InsightError):
            part()


def months(p: Pipeline) -> None:
    """Revenue and customers by month, their forecasts and the cohorts."""
    p.monthly()
    _each(lambda: p.forecast("revenue"), lambda: p.forecast("active_customers"), p.cohorts)


def segments(p: Pipeline) -> None:
    """The default segmentation."""
    p.segmentation()


def churn(p: Pipeline) -> None:
    """Each customer's churn risk at the default horizon (what drives the model is left to the Value & churn
    page: the Overview does not show it)."""
    p.churn_risk()


def value(p: Pipeline) -> None:
    """Lifetime value."""
    p.lifetime_value()


def feedback(p: Pipeline) -> None:
    """Sentiment of the feedback."""
    p.feedback()


def offers(p: Pipeline) -> None:
    """The recommendations of the best model."""
    p.recommendations()


def findings(p: Pipeline) -> None:
    """Everything the findings and the report read, at the defaults."""
    p.answers()


def value_and_churn(p: Pipeline, horizon: int, features: list[str], model: str | None) -> None:
    """Everything the Value & churn page shows for these settings (what is withheld raises when shown)."""
    p.churn_verdict(horizon, features)
    _each(
        lambda: p.churn_risk(horizon, features, model),
        lambda: p.churn_reasons(horizon, features, model),
        lambda: p.churn_importance(horizon, features, model),
        lambda: p.spend(horizon),
        lambda: p.lifetime_value(horizon),
    )
