"""One segmentation end to end: the fitted segments of a dataset for one set of choices."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from insight.segment.choices import default_features
from insight.segment.cluster import NOISE, Segmenter
from insight.segment.describe import (
    Profile,
    profile,
    segment_verdict,
    structureless_silhouette,
    unusual_customers,
)
from insight.segment.k_sweep import _silhouette, sweep
from insight.segment.naming import Persona, personas
from insight.segment.scaling import prepare
from insight.threads import one_thread
from insight.verdict import Verdict


@dataclass(frozen=True)
class Segmentation:
    """The fitted segments of one dataset for one set of choices: labels, profile, personas, outliers, and
    the verdict on whether the customers form natural groups."""

    params: dict[str, Any]
    customer_ids: np.ndarray
    labels: np.ndarray
    personas: list[Persona]
    profile: Profile
    silhouette: float
    unusual: pd.DataFrame
    log_columns: list[str]
    fitted_on: int
    eps: float | None = None
    reference_silhouette: float | None = None  # what k groups score on a crowd with no structure
    verdict: Verdict = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "verdict", segment_verdict(self.silhouette, self.n_segments, self.reference_silhouette)
        )

    @property
    def names(self) -> dict[int, str]:
        """Each segment's persona name, in the active language."""
        return {p.segment: p.name for p in self.personas}

    @property
    def n_segments(self) -> int:
        """Segments found (DBSCAN's noise is not counted)."""
        return int(sum(p.segment != NOISE for p in self.personas))

    def labels_frame(self, renames: dict[int, str] | None = None) -> pd.DataFrame:
        """One row per customer: `customer_id` and `segment` (its name, with the user's renames applied)."""
        names = {**self.names, **(renames or {})}
        return pd.DataFrame({"customer_id": self.customer_ids, "segment": [names[s] for s in self.labels]})


@one_thread
def analyse(
    customers: pd.DataFrame,
    roles: dict[str, Any],
    *,
    features: list[str] | None = None,
    scaling: str = "zscore",
    log: str = "auto",
    algorithm: str = "kmeans",
    k: int | None = None,
    linkage: str = "ward",
    eps: float | None = None,
    random_state: int = 0,
) -> Segmentation:
    """Segment the customers and describe the segments; k defaults to the sweep's suggestion.

    Pages and other modules call this through the cache with the same parameters to share one fit:
    `ui.cached("segment.fit", params, lambda: segment.analyse(ds.customers, ds.customer_roles, **params))`
    with `params` from `default_params` or the Segments page (which also puts the chosen labels, renamed by
    the user, in `st.session_state["segments"]`).
    """
    features = list(features) if features is not None else default_features(customers, roles)
    scaler, X = prepare(customers, roles, features, scaling, log)
    if k is None and algorithm != "dbscan":
        k = sweep(X, algorithm=algorithm, linkage=linkage, random_state=random_state).suggested_k
    model = Segmenter(algorithm=algorithm, n_segments=k or 2, linkage=linkage, eps=eps, random_state=random_state)
    labels = model.fit(X).labels_
    prof = profile(customers, scaler, labels)
    params = dict(features=features, scaling=scaling, log=log, algorithm=algorithm, k=k, linkage=linkage, eps=eps)
    return Segmentation(
        params=params,
        customer_ids=customers["customer_id"].astype(str).to_numpy(),
        labels=labels,
        personas=personas(prof),
        profile=prof,
        silhouette=_silhouette(X, labels, random_state),
        unusual=unusual_customers(customers, scaler, X, labels),
        log_columns=list(scaler.log_columns_),
        fitted_on=model.fitted_on_,
        eps=getattr(model, "eps_", None),
        reference_silhouette=structureless_silhouette(X, len(set(labels) - {NOISE}), random_state=random_state)
        if len(set(labels) - {NOISE}) >= 2
        else None,
    )
