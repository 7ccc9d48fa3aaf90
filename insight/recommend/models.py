"""The recommendation models on offer (Surprise algorithms by name) and how to build one."""

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
"""A handful of fast models: the CLI's and the page's default comparison."""
POPULARITY = "Popularity"
TOP_N = 10
_MAX_SIMILARITY_ROWS = 20_000


def make_algo(model: str, params: dict[str, Any] | None = None, random_state: int = 0) -> Any:
    """A fresh Surprise algorithm for a model name from `MODELS`, with parameter overrides."""
    if model not in MODELS:
        raise InsightError(f"Unknown recommendation model {model!r}. Choose one of: {', '.join(MODELS)}.")
    cls, defaults = MODELS[model]
    kwargs = {**defaults, **(params or {})}
    if "random_state" in inspect.signature(cls).parameters:
        kwargs.setdefault("random_state", random_state)
    try:
        return cls(**kwargs)
    except TypeError as exc:
        raise InsightError(f"Wrong parameters for {model}: {exc}. Remove or rename them.") from exc


def _check_size(model: str, ratings: pd.DataFrame) -> None:
    sim = MODELS.get(model, (None, {}))[1].get("sim_options")
    if sim is None and model != "SlopeOne":
        return
    by = "customer_id" if sim is not None and sim["user_based"] else "item_id"
    count = ratings[by].nunique()
    if count > _MAX_SIMILARITY_ROWS:
        what = "customers" if by == "customer_id" else "items"
        raise InsightError(
            f"{model} compares every pair of {what}, and this data has {count:,} {what}: too many to fit in "
            "memory. Choose SVD or an item-based model instead."
        )


def _surprise_data(ratings: pd.DataFrame, rating_scale: tuple[float, float]) -> Dataset:
    return Dataset.load_from_df(ratings[["customer_id", "item_id", "rating"]], Reader(rating_scale=rating_scale))
