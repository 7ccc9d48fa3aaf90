"""Models made for purchases (implicit feedback), from the `implicit` library: matrix factorisation (ALS, BPR) and
item-item neighbourhoods (cosine, BM25, TF-IDF).

A purchase log says what a customer bought, not how much they liked it; these models learn from the customers x
items matrix itself (sparse, with compiled inner loops), where Surprise's would predict made-up star ratings pair
by pair. Each model here scores every item for many customers at once, the same scores as the library's own
`recommend`. Fits run on one thread: deterministic (BPR's parallel updates race) and steady on a shared server.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from scipy import sparse

from insight.errors import InsightError
from insight.i18n import N_
from insight.threads import thread_pools


def _registry() -> dict[str, tuple[Any, dict[str, Any]]]:
    from implicit.cpu.als import AlternatingLeastSquares
    from implicit.cpu.bpr import BayesianPersonalizedRanking
    from implicit.nearest_neighbours import BM25Recommender, CosineRecommender, TFIDFRecommender

    return {
        "ALS": (AlternatingLeastSquares, {"factors": 64, "iterations": 15, "regularization": 0.01}),
        "BPR": (BayesianPersonalizedRanking, {"factors": 64, "iterations": 100, "learning_rate": 0.01}),
        "Item-item (cosine)": (CosineRecommender, {"K": 100}),
        "Item-item (BM25)": (BM25Recommender, {"K": 100}),
        "Item-item (TF-IDF)": (TFIDFRecommender, {"K": 100}),
    }


IMPLICIT_MODELS = _registry()
"""Every purchase model the app offers: name -> (`implicit` class, default parameters)."""
IMPLICIT_QUICK = ("ALS", "Item-item (cosine)", "Item-item (BM25)")
"""The purchase models compared by default: each fits in about a second on a year of orders (BPR, with its
100 passes of stochastic updates, takes several and is in the full comparison)."""
IMPLICIT_FULL = tuple(IMPLICIT_MODELS)


def make_implicit(model: str, params: dict[str, Any] | None = None, random_state: int = 0) -> Any:
    """A fresh, unfitted `implicit` model for a name from `IMPLICIT_MODELS`, with parameter overrides."""
    if model not in IMPLICIT_MODELS:
        raise InsightError(
            N_("Unknown purchase model {model}. Choose one of: {value}."),
            model=repr(model),
            value=", ".join(IMPLICIT_MODELS),
        )
    cls, defaults = IMPLICIT_MODELS[model]
    kwargs = {**defaults, "num_threads": 1, **(params or {})}
    if "factors" in defaults:
        kwargs.setdefault("random_state", random_state)
    try:
        with thread_pools().limit(limits=1, user_api="blas"):  # it warns about a multi-threaded BLAS otherwise
            return cls(**kwargs)
    except TypeError as exc:
        raise InsightError(
            N_("Wrong parameters for {model}: {exc}. Remove or rename them."), model=model, exc=exc
        ) from exc


def fit_implicit(algo: Any, user_items: sparse.csr_matrix) -> Any:
    """Fit on customers x items purchase weights (CSR, float32), with BLAS on one thread as the library asks."""
    from implicit.utils import ParameterWarning

    with thread_pools().limit(limits=1, user_api="blas"), warnings.catch_warnings():
        # the item-item models hand their own re-weighted COO matrix to the base fit, which converts it and warns
        warnings.simplefilter("ignore", ParameterWarning)
        algo.fit(sparse.csr_matrix(user_items, dtype=np.float32), show_progress=False)
    return algo


def is_neighbourhood(algo: Any) -> bool:
    """Whether the model scores by item-item similarity (else by factors)."""
    return hasattr(algo, "similarity")


def implicit_scores(algo: Any, user_items: sparse.csr_matrix, users: np.ndarray) -> np.ndarray:
    """Scores of every item for the given customers (rows of `user_items`, the matrix the model was fitted on),
    as the library's `recommend` computes them: factor dot products, or the customer's weights times the item
    similarities, in the library's single precision. An item no similar item points to has no score (-inf): the
    library never recommends it."""
    if is_neighbourhood(algo):
        scores = (user_items[users] @ algo.similarity).toarray()
        scores[scores == 0] = -np.inf
        return scores
    return algo.user_factors[users] @ algo.item_factors.T


def item_vectors(algo: Any) -> np.ndarray | sparse.csr_matrix:
    """What makes items alike in the fitted model: the item factors, or the item-item similarity rows."""
    return algo.similarity if is_neighbourhood(algo) else np.asarray(algo.item_factors, dtype=float)
