"""The JSON of `python -m insight analyze`: the pipeline's results as plain values (a public contract, see README).

A section the data cannot support is None (not applicable) or `{"skipped": why}` (too little data); the
other sections still run. Nothing here fits a model: every result comes from the pipeline.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from insight.errors import InsightError
from insight.pipeline import Answers, Choices, Pipeline
from insight.verdict import Withheld

DEFAULTS = Choices()  # the app's choices, as the Overview starts from


def jsonable(value: Any) -> Any:
    """Numpy scalars, NaN and timestamps as plain JSON values."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return None if np.isnan(value) else float(value)
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, np.bool_):
        return bool(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _section(compute: Callable[[], Any]) -> Any:
    """One section's result, or `{"skipped": why}` when the data cannot support it (with the `verdict` when it
    was withheld as untrustworthy)."""
    try:
        return compute()
    except Withheld as exc:
        return {"skipped": str(exc), "verdict": exc.verdict.summary()}
    except InsightError as exc:
        return {"skipped": str(exc)}


def foundation(pipe: Pipeline) -> dict[str, Any]:
    """The keys `tables`, `notes` (what the founder must decide), `quality`, `cleaning_log` and `customers`."""
    ds = pipe.ds
    return {
        "tables": [
            {
                "file": t.name,
                "kind": t.kind,
                "rows": t.rows_raw,
                "roles": t.roles,
                "ignored": t.ignored(),
                "questions": t.questions,
            }
            for t in ds.tables
        ],
        "notes": ds.notes(),
        "quality": [q.summary() for q in ds.quality],
        "cleaning_log": ds.cleaning_log,
        "customers": {"count": len(ds.customers), "columns": list(ds.customers.columns)},
    }


def segments(pipe: Pipeline, choices: Choices = DEFAULTS) -> dict[str, Any]:
    """algorithm, k, suggested k, features, sizes, silhouette and personas (the answers' segmentation: the
    pipeline returns the same result for the same choices)."""
    seg, suggested = pipe.segments_at(choices)
    return {
        "algorithm": choices.algorithm,
        "k": seg.n_segments,
        "suggested_k": suggested,
        "features": list(seg.params["features"]),
        "sizes": [p.size for p in seg.personas],
        "silhouette": seg.silhouette,
        "personas": [{"name": p.name, "size": p.size, "description": p.description} for p in seg.personas],
        "verdict": seg.verdict.summary(),
    }


def churn(pipe: Pipeline, choices: Choices = DEFAULTS) -> dict[str, Any] | None:
    """The churn label, its rate, the models' cross-validated metrics, what drives the best one and how many
    customers are likely to leave at the threshold."""
    if pipe.churn_source() is None:
        return None
    horizon = choices.horizon
    data = pipe.churn_data(horizon)
    comparison = pipe.churn_comparison(horizon)
    drivers = pipe.churn_importance(horizon).importance
    metric_names = ("accuracy", "precision", "recall", "f1", "roc_auc")
    return {
        "label_source": data.source,
        "label_column": data.label_column,
        "outcome": data.outcome.name,
        "cutoff": data.cutoff.date().isoformat() if data.cutoff is not None else None,
        "horizon_days": data.horizon_days,
        "customers": len(data.X),
        "churn_rate": data.churn_rate,
        "best_model": comparison.best,
        "metrics": {name: {m: float(row[m]) for m in metric_names} for name, row in comparison.metrics.iterrows()},
        "top_features": drivers.loc[drivers["importance"] > 0, "feature"].head(5).tolist(),
        "notes": comparison.notes,
        "horizons": pipe.churn_horizons(),
        "likely_leavers": _or_none(lambda: pipe.likely_leavers(choices.threshold, horizon)),
        "threshold": choices.threshold,
        "verdict": pipe.churn_verdict(horizon).summary(),
    }


def spend(pipe: Pipeline, choices: Choices = DEFAULTS) -> dict[str, Any] | None:
    """The value target and the spend models' held-out metrics (None when there is nothing to predict)."""
    try:
        pipe.default_spend_target(choices.horizon)
    except InsightError:
        return None
    result = pipe.spend(choices.horizon)
    return {
        "target": result.target,
        "best_model": result.best,
        "metrics": {
            name: {m: float(row[m]) for m in ("mse", "rmse", "mae", "r2")} for name, row in result.metrics.iterrows()
        },
        "verdict": result.verdict.summary(),
    }


def lifetime_value(pipe: Pipeline, choices: Choices = DEFAULTS) -> dict[str, Any] | None:
    """BG/NBD and Gamma-Gamma parameters, mean P(alive), total 12-month value, warnings."""
    if not pipe._has_clv_columns():
        return None
    result = pipe.lifetime_value(choices.horizon)
    if not result.verdict.usable:
        return {"skipped": f"Lifetime value withheld: {result.verdict.reason}", "verdict": result.verdict.summary()}
    return {
        **result.summary(),
        "customers": len(result.table),
        "warnings": result.warnings,
        "verdict": result.verdict.summary(),
    }


def sentiment(pipe: Pipeline) -> dict[str, Any]:
    """Shares, mean scores, themes, agreement with stars or a label."""
    result = pipe.feedback()
    valid = result.valid
    shares = result.shares().set_index("label")["share"]
    out: dict[str, Any] = {
        "texts": result.texts,
        "scored": len(valid),
        "skipped": sum(result.skipped.values()),
        "skipped_reasons": result.skipped,
        "non_english": result.non_english,
        "share_positive": float(shares["positive"]),
        "share_neutral": float(shares["neutral"]),
        "share_negative": float(shares["negative"]),
        "mean_compound": float(valid["compound"].mean()),
        "mean_sentence_compound": float(valid["sentence_compound"].mean()),
        "per_customer_measure": result.measure,
        "negative_themes": result.themes.loc[result.themes["side"] == "negative", "term"].tolist(),
        "positive_themes": result.themes.loc[result.themes["side"] == "positive", "term"].tolist(),
    }
    ratings = pipe.feedback_by_rating()
    if not ratings.empty:
        keys = [int(r) if float(r).is_integer() else float(r) for r in ratings["rating"]]
        out["by_rating"] = dict(zip(keys, ratings["mean_compound"].astype(float), strict=True))
        out["agreement"] = result.agreement
    out["models"] = result.models
    out["unreadable_languages"] = result.unreadable
    labelled = result.label_agreement()
    if labelled is not None:
        out["label_accuracy"] = labelled["accuracy"]
        table = pipe.ds.table("feedback")
        people = result.people_shares()
        out["labels"] = {
            "column": table.roles.get("label") if table is not None else None,
            "n": labelled["texts"],
            "accuracy": labelled["accuracy"],
            "roc_auc": labelled["roc_auc"],
            "per_class": labelled["per_class"],
            "people_shares": dict(zip(people["label"], people["share"].astype(float), strict=True)),
        }
    out["verdict"] = pipe.feedback_verdict().summary()
    return out


def recommendations(pipe: Pipeline) -> dict[str, Any]:
    """Where the ratings come from, the models compared with popularity, the best, who gets a list."""
    source = pipe.rec_sources()[0]
    try:
        pipe.interactions(source)
    except InsightError as exc:
        return {"source": source, "skipped": str(exc)}
    comparison = pipe.rec_comparison(source)
    rec = pipe.recommender(source)
    metrics = {
        model: {k: (None if pd.isna(v) else float(v)) for k, v in row.items() if k != "seconds"}
        for model, row in comparison.table.to_dict(orient="index").items()
    }
    return {
        "source": comparison.source,
        "best_model": comparison.best,
        "metrics": metrics,
        "users_covered": _or_none(lambda: int(pipe.recommendations()["customer_id"].nunique())),
        "items": len(rec.items_),
        "verdict": comparison.verdict.summary(),
    }


def _or_none(compute: Callable[[], Any]) -> Any:
    """`compute()`, or None when what it rests on is withheld or missing (the JSON's null)."""
    try:
        return compute()
    except InsightError:
        return None


def report(pipe: Pipeline, a: Answers | None = None) -> dict[str, Any]:
    """Everything `analyze` writes, section by section, as JSON-able values: a rendering of the answers `a`
    (default: the pipeline's answers at the default choices)."""
    a = a or pipe.answers()
    out = foundation(pipe)
    out["overview"] = _section(pipe.orders_overview) if pipe.transactions() is not None else None
    if pipe.customer_gap():
        out["customers"]["missing"] = pipe.customer_gap()
    out["segments"] = _section(lambda: segments(pipe, a.choices))
    out["churn"] = _section(lambda: churn(pipe, a.choices))
    out["spend"] = _section(lambda: spend(pipe, a.choices))
    out["clv"] = _section(lambda: lifetime_value(pipe, a.choices))
    out["next_order"] = _section(lambda: pipe.next_order().summary()) if pipe.transactions() is not None else None
    if pipe.ds.table("feedback") is not None:
        out["sentiment"] = _section(lambda: sentiment(pipe))
    if pipe.rec_sources():
        out["recommendations"] = _section(lambda: recommendations(pipe))
    return jsonable(out)
