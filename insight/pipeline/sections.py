"""The slow sections of the pages, each a function of a `Pipeline` that computes what the section shows and
returns it: a worker runs it to fill the store; the page (`ui.ask`) runs it again through a runner that only reads
the store and renders what it returns, so a card names what it needs once, here.
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


def segments(p: Pipeline) -> Any:
    """The default segmentation."""
    return p.segmentation()


def churn(p: Pipeline) -> tuple[Any, int]:
    """The churn label at the default horizon and how many customers are likely to leave (what drives the model
    is left to the Value & churn page: the Overview does not show it)."""
    return p.churn_data(), p.likely_leavers()


def value(p: Pipeline) -> Any:
    """Lifetime value."""
    return p.lifetime_value()


def feedback(p: Pipeline) -> tuple[Any, Any]:
    """Sentiment of the feedback, and its verdict."""
    return p.feedback(), p.feedback_verdict()


def offers(p: Pipeline) -> tuple[Any, Any]:
    """The model comparison and the recommendations of the best model."""
    return p.rec_comparison(), p.recommendations()


def findings(p: Pipeline) -> Any:
    """Everything the findings and the report read, at the defaults."""
    return p.answers()


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
