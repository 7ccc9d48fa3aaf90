"""Recommendations: what to offer each customer next.

Surprise models (matrix factorisation, neighbourhoods, baselines) are fitted on explicit star ratings; `implicit`'s
(ALS, BPR, item-item cosine / BM25 / TF-IDF) on purchases. `compare_models` scores them next to a popularity
baseline, every held-out customer at once; `Recommender.top_n` ranks every unseen item for every customer at
once; `recommend_all` adds item names, the reason for each pick and a labelled popularity fallback for customers
the model has never seen.
"""

from insight.lazy import lazy_exports

# Each submodule's names, imported on first use (insight/lazy.py): the first page loads none of the heavy
# libraries these stand on.
__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "content": ["ContentIndex"],
        "evaluate": ["Comparison", "compare_models", "cross_validate", "evaluate_ranking", "holdout_split"],
        "implicit_models": ["IMPLICIT_FULL", "IMPLICIT_MODELS", "IMPLICIT_QUICK"],
        "interactions": [
            "IMPLICIT_NOTE",
            "Interactions",
            "explicit_ratings",
            "implicit_ratings",
            "interactions_from_dataset",
            "item_catalog",
            "make_interactions",
            "purchases",
            "sources",
        ],
        "lists": [
            "BASIS_MODEL",
            "BASIS_OVERALL",
            "BASIS_SEGMENT",
            "customer_history",
            "reasons_in_words",
            "recommend_all",
        ],
        "models": [
            "FACTOR_MODELS",
            "FULL_COMPARISON",
            "MODELS",
            "POPULARITY",
            "QUICK_COMPARISON",
            "TOP_N",
            "comparison_models",
            "make_algo",
            "model_names",
        ],
        "ranking": ["ranking_metrics", "ranking_scores", "top_items"],
        "recommender": ["Recommender"],
    },
)
