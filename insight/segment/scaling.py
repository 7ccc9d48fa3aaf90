"""Which customer-table columns describe a customer, and how they are scaled for clustering."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

from insight.data.customers import MIN_CUSTOMERS
from insight.errors import NotEnoughData, SchemaError
from insight.i18n import N_
from insight.segment.choices import LOG_MODES, SCALINGS, candidate_features

SKEW_AUTO, SKEW_ON = 2.0, 0.75  # |skew| past which a column is log-transformed in "auto" / "on" mode


def _split_features(customers: pd.DataFrame, roles: dict[str, Any], features: list[str]) -> tuple[list, list]:
    cand = candidate_features(customers, roles)
    allowed = cand["behaviour"] + cand["numeric"] + cand["categorical"]
    bad = [f for f in features if f not in allowed]
    if bad:
        raise SchemaError(
            N_("These columns cannot describe customers: {value}. Pick from: {value2}."),
            value=", ".join(map(str, bad)),
            value2=", ".join(allowed) or "none available - add a customers or orders file",
        )
    if not features:
        raise SchemaError(N_("Pick at least one column that describes customers (for example spend or age)."))
    return [f for f in features if f not in cand["categorical"]], [f for f in features if f in cand["categorical"]]


class FeatureScaler(TransformerMixin, BaseEstimator):
    """Impute, log-transform skewed columns, scale numeric columns and one-hot encode categorical ones.

    Missing numbers become the column median; a column whose skew passes `SKEW_AUTO` ("auto") or `SKEW_ON`
    ("on") gets a signed log1p. One-hot columns stay 0/1 so a rare category does not become an outlier.
    """

    def __init__(self, *, numeric=(), categorical=(), scaling="zscore", log="auto", max_categories=10) -> None:
        self.numeric = numeric
        self.categorical = categorical
        self.scaling = scaling
        self.log = log
        self.max_categories = max_categories

    def raw(self, X: pd.DataFrame) -> pd.DataFrame:
        """The numeric columns as floats, missing values kept."""
        return X[list(self.numeric)].apply(pd.to_numeric, errors="coerce").astype(float)

    def logged(self, X: pd.DataFrame) -> pd.DataFrame:
        """The numeric columns after imputation and the log transform (before scaling)."""
        num = self.raw(X).fillna(self.medians_)
        for c in self.log_columns_:
            num[c] = np.sign(num[c]) * np.log1p(num[c].abs())
        return num

    def fit(self, X: pd.DataFrame, y: Any = None) -> FeatureScaler:
        if self.scaling not in SCALINGS:
            raise ValueError(f"scaling must be one of {SCALINGS}; got {self.scaling!r}.")
        if self.log not in LOG_MODES:
            raise ValueError(f"log must be one of {LOG_MODES}; got {self.log!r}.")
        num = self.raw(X)
        self.medians_ = num.median().fillna(0.0)
        num = num.fillna(self.medians_)
        limit = {"auto": SKEW_AUTO, "on": SKEW_ON, "off": np.inf}[self.log]
        skew = num.skew().fillna(0.0) if len(num) > 2 else pd.Series(0.0, index=num.columns)
        self.log_columns_ = [c for c in num.columns if abs(skew[c]) > limit and num[c].nunique() > 2]
        num = self.logged(X)
        if self.scaling == "zscore":
            center, scale = num.mean(), num.std(ddof=0)
        elif self.scaling == "minmax":
            center, scale = num.min(), num.max() - num.min()
        else:
            center, scale = num.median(), num.quantile(0.75) - num.quantile(0.25)
            scale = scale.where(scale > 0, num.std(ddof=0))
        self.center_, self.scale_ = center.to_numpy(), scale.where(scale > 0, 1.0).fillna(1.0).to_numpy()
        self.categories_ = {
            c: list(X[c].astype("string").fillna("missing").value_counts().index[: self.max_categories])
            for c in self.categorical
        }
        return self

    def transform(self, X: pd.DataFrame) -> np.ndarray:
        parts = [(self.logged(X).to_numpy() - self.center_) / self.scale_]
        for c, cats in self.categories_.items():
            values = X[c].astype("string").fillna("missing").to_numpy()
            parts.append(np.column_stack([values == cat for cat in cats]).astype(float))
        return np.hstack(parts) if parts else np.empty((len(X), 0))

    def get_feature_names_out(self, input_features: Any = None) -> list[str]:
        return list(self.numeric) + [f"{c}={cat}" for c, cats in self.categories_.items() for cat in cats]


def prepare(
    customers: pd.DataFrame, roles: dict[str, Any], features: list[str], scaling: str = "zscore", log: str = "auto"
) -> tuple[FeatureScaler, np.ndarray]:
    """Validate the chosen columns and return the fitted scaler with the scaled matrix (one row per customer)."""
    numeric, categorical = _split_features(customers, roles, list(features))
    need = MIN_CUSTOMERS["segments"]
    if len(customers) < need:
        raise NotEnoughData(
            N_("Segments need at least {need} customers; this data has {n}. Upload more."), need=need, n=len(customers)
        )
    scaler = FeatureScaler(numeric=numeric, categorical=categorical, scaling=scaling, log=log).fit(customers)
    return scaler, scaler.transform(customers)
