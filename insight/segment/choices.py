"""The segmentation choices a page starts from: which customer-table columns may describe a customer, which
ones are used by default, and the default method.

Kept apart from the fitting code (no scikit-learn here) so the Overview can ask for the defaults while the
segments are still being fitted in the background.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from insight.data.customers import BEHAVIOUR_COLUMNS
from insight.i18n import N_

SCALINGS = ("zscore", "minmax", "robust")
LOG_MODES = ("auto", "on", "off")
# Each choice in words (translated when shown); the Segments page offers these, starting from `default_params`.
SCALING_LABELS = {
    "zscore": N_("Z-score (mean 0, spread 1)"),
    "minmax": N_("Min-max (0 to 1)"),
    "robust": N_("Robust (median and quartiles)"),
}
LOG_LABELS = {"auto": N_("Log very skewed columns"), "on": N_("Log all skewed columns"), "off": N_("No log transform")}
ALGORITHM_LABELS = {
    "kmeans": N_("K-Means"),
    "agglomerative": N_("Agglomerative (hierarchical)"),
    "dbscan": N_("DBSCAN (finds its own number of groups)"),
    "gmm": N_("Gaussian mixture"),
}
# numeric behaviour columns of the customer table (not the first/last purchase dates), plus the RFM scores
BEHAVIOUR = (*(c for c in BEHAVIOUR_COLUMNS if not c.endswith("_purchase")), "r_score", "f_score", "m_score")
DEFAULT_BEHAVIOUR = ("recency_days", "frequency", "monetary", "avg_order_value")
FROM_OTHER_TABLES = ("feedback_count", "mean_stars", "ratings_count", "mean_rating", "mean_sentiment")


def candidate_features(customers: pd.DataFrame, roles: dict[str, Any]) -> dict[str, list[str]]:
    """Columns that may describe a customer: behaviour, numeric and categorical attributes (never ids or pii)."""
    banned = {"customer_id", roles.get("label"), *roles.get("pii", [])}
    behaviour = [c for c in BEHAVIOUR if c in customers.columns]
    numeric = [
        c
        for c in roles.get("numeric", [])
        if c in customers.columns
        and c not in banned
        and c not in behaviour
        and pd.api.types.is_numeric_dtype(customers[c])
    ]
    categorical = [c for c in roles.get("categorical", []) if c in customers.columns and c not in banned]
    return {"behaviour": behaviour, "numeric": numeric, "categorical": categorical}


def default_features(customers: pd.DataFrame, roles: dict[str, Any]) -> list[str]:
    """RFM-style behaviour (recency, frequency, spend, basket size) plus the numeric attributes.

    Counts and averages from the feedback and ratings files stay optional: they describe what customers
    said, which the Feedback page analyses, and are missing for most customers. With no numbers at all,
    the categorical attributes are used. Columns with a single value (or none) say nothing and are left out.
    """
    cand = {
        kind: [c for c in cols if customers[c].nunique() > 1]
        for kind, cols in candidate_features(customers, roles).items()
    }
    numeric = [c for c in cand["numeric"] if c not in FROM_OTHER_TABLES]
    return [c for c in DEFAULT_BEHAVIOUR if c in cand["behaviour"]] + numeric or cand["categorical"]


def default_params(customers: pd.DataFrame, roles: dict[str, Any]) -> dict[str, Any]:
    """The parameters of `analyse` the Segments page starts from (k None: the sweep's suggestion)."""
    features = default_features(customers, roles)
    return dict(features=features, scaling="zscore", log="auto", algorithm="kmeans", k=None, linkage="ward", eps=None)
