"""The recommendation models on offer: Surprise algorithms by name for star ratings (`implicit`'s models for
purchases live in `implicit_models`), which ones a comparison tries for each source, and how to build one."""

from __future__ import annotations

import inspect
from typing import Any

import pandas as pd
from surprise import (
    NMF,
    SVD,
    BaselineOnly,
    CoClustering,
    Dataset,
    KNNBaseline,
    KNNBasic,
    KNNWithMeans,
    Reader,
    SlopeOne,
    SVDpp,
)

from insight.errors import InsightError
from insight.i18n import N_
from insight.recommend.implicit_models import IMPLICIT_FULL, IMPLICIT_MODELS, IMPLICIT_QUICK


def _registry() -> dict[str, tuple[type, dict[str, Any]]]:
    models: dict[str, tuple[type, dict[str, Any]]] = {
        "SVD": (SVD, {}),
        "SVD++": (SVDpp, {"cache_ratings": True}),
        "NMF": (NMF, {}),
        "BaselineOnly": (BaselineOnly, {"verbose": False}),
        "SlopeOne": (SlopeOne, {}),
        "CoClustering": (CoClustering, {}),
    }
    for cls in (KNNBasic, KNNWithMeans, KNNBaseline):
        for based in ("user", "item"):
            for sim in ("cosine", "pearson", "msd"):
                options = {"name": sim, "user_based": based == "user"}
                models[f"{cls.__name__} ({based}, {sim})"] = (cls, {"sim_options": options, "verbose": False})
    return models


MODELS = _registry()
"""Every model the app offers: name -> (Surprise class, default parameters)."""
FACTOR_MODELS = ("SVD", "SVD++", "NMF", "BaselineOnly")
"""Models whose scores `Recommender` computes for all items at once from fitted factors and biases."""
FULL_COMPARISON = (
    "SVD",
    "SVD++",
    "NMF",
    "BaselineOnly",
    "SlopeOne",
    "CoClustering",
    "KNNBasic (item, cosine)",
    "KNNWithMeans (user, pearson)",
    "KNNBaseline (item, msd)",
    "KNNBaseline (user, msd)",
)
QUICK_COMPARISON = ("SVD", "SVD++", "BaselineOnly", "KNNBaseline (item, msd)")
"""A handful of fast models: the CLI's and the page's default comparison of star ratings."""
POPULARITY = "Popularity"
TOP_N = 10
MEMORY_BUDGET_BYTES = 2**30
"""Most memory one recommender may hold in dense arrays at once (1 GiB, a fair share of a small server):
the n x n arrays of a similarity model (see below) and each batch of customers `Recommender.top_n` ranks.
Every array counts: one 20,000 x 20,000 similarity is 3.2 GB, and Pearson holds seven."""
_SQUARE_ARRAYS = {"cosine": 5, "msd": 3, "pearson": 7, "pearson_baseline": 5, "SlopeOne": 4}
"""n x n arrays of 8 bytes held at once: Surprise 1.1.5's similarity functions allocate the similarity
plus 2 (msd), 4 (cosine, pearson_baseline) or 6 (pearson) working arrays of the same size; SlopeOne keeps
two (co-rating counts, deviations) and `slope_one_scores` adds about two more."""


def comparison_models(source: str, full: bool = False) -> tuple[str, ...]:
    """The models a comparison tries (popularity is always added): `implicit`'s for purchases ("implicit"),
    Surprise's for star ratings; the quick set, or every one the page offers when `full`."""
    if source == "implicit":
        return IMPLICIT_FULL if full else IMPLICIT_QUICK
    return FULL_COMPARISON if full else QUICK_COMPARISON


def model_names(source: str) -> tuple[str, ...]:
    """Every model the Recommendations page offers for a source (popularity aside)."""
    return tuple(IMPLICIT_MODELS) if source == "implicit" else tuple(MODELS)


def make_algo(model: str, params: dict[str, Any] | None = None, random_state: int = 0) -> Any:
    """A fresh Surprise algorithm for a model name from `MODELS`, with parameter overrides."""
    if model not in MODELS:
        raise InsightError(
            N_("Unknown recommendation model {model}. Choose one of: {value}."),
            model=repr(model),
            value=", ".join(MODELS),
        )
    cls, defaults = MODELS[model]
    kwargs = {**defaults, **(params or {})}
    if "random_state" in inspect.signature(cls).parameters:
        kwargs.setdefault("random_state", random_state)
    try:
        return cls(**kwargs)
    except TypeError as exc:
        raise InsightError(
            N_("Wrong parameters for {model}: {exc}. Remove or rename them."), model=model, exc=exc
        ) from exc


def _check_size(model: str, ratings: pd.DataFrame, params: dict[str, Any] | None = None) -> None:
    """Refuse a model whose n x n arrays (n customers or items) would not fit in `MEMORY_BUDGET_BYTES`."""
    defaults = MODELS.get(model, (None, {}))[1]
    sim = {**defaults, **(params or {})}.get("sim_options")
    if sim is None and model != "SlopeOne":
        return
    user_based = sim is not None and sim.get("user_based", True)
    arrays = _SQUARE_ARRAYS["SlopeOne"] if sim is None else _SQUARE_ARRAYS.get(sim.get("name", "msd").lower(), 7)
    count = ratings["customer_id" if user_based else "item_id"].nunique()
    need = arrays * 8 * count**2
    if need > MEMORY_BUDGET_BYTES:
        what = "customers" if user_based else "items"
        fit = int((MEMORY_BUDGET_BYTES / (arrays * 8)) ** 0.5)
        other = "SVD or an item-based model" if user_based else "SVD"
        raise InsightError(
            N_(
                "{model} compares every pair of {what}: this data has {count:,} {what}, which needs about "
                "{value:.1f} GB of memory, over the {round:g} GB one model may use (up to {fit:,} {what}). "
                "Choose {other} instead."
            ),
            model=model,
            what=what,
            count=count,
            value=need / 2**30,
            round=round(MEMORY_BUDGET_BYTES / 2**30, 1),
            fit=fit,
            other=other,
        )


def _surprise_data(ratings: pd.DataFrame, rating_scale: tuple[float, float]) -> Dataset:
    return Dataset.load_from_df(ratings[["customer_id", "item_id", "rating"]], Reader(rating_scale=rating_scale))
