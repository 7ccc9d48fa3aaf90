"""Recommendations: what to offer each customer next.

Surprise models (matrix factorisation, neighbourhoods, baselines) are fitted on explicit ratings, or on
implicit ratings made from purchases. `compare_models` scores them next to a popularity baseline;
`Recommender.top_n` ranks every unseen item for every customer at once; `recommend_all` adds item names,
the reason for each pick and a labelled popularity fallback for customers the model has never seen.
"""

from insight.recommend.content import ContentIndex
from insight.recommend.evaluate import (
    Comparison,
    compare_models,
    cross_validate,
    evaluate_ranking,
    holdout_split,
    ranking_metrics,
)
from insight.recommend.interactions import (
    IMPLICIT_NOTE,
    Interactions,
    explicit_ratings,
    implicit_ratings,
    interactions_from_dataset,
    item_catalog,
    make_interactions,
    purchases,
    sources,
)
from insight.recommend.lists import (
    BASIS_MODEL,
    BASIS_OVERALL,
    BASIS_SEGMENT,
    customer_history,
    recommend_all,
)
from insight.recommend.models import (
    FACTOR_MODELS,
    FULL_COMPARISON,
    MODELS,
    POPULARITY,
    QUICK_COMPARISON,
    TOP_N,
    make_algo,
)
from insight.recommend.recommender import Recommender

__all__ = [
    "BASIS_MODEL",
    "BASIS_OVERALL",
    "BASIS_SEGMENT",
    "FACTOR_MODELS",
    "FULL_COMPARISON",
    "IMPLICIT_NOTE",
    "MODELS",
    "POPULARITY",
    "QUICK_COMPARISON",
    "TOP_N",
    "Comparison",
    "ContentIndex",
    "Interactions",
    "Recommender",
    "compare_models",
    "cross_validate",
    "customer_history",
    "evaluate_ranking",
    "explicit_ratings",
    "holdout_split",
    "implicit_ratings",
    "interactions_from_dataset",
    "item_catalog",
    "make_algo",
    "make_interactions",
    "purchases",
    "ranking_metrics",
    "recommend_all",
    "sources",
]
