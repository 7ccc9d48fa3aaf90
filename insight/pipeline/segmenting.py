"""The pipeline's segments: the candidate columns, the defaults, the k sweep, the fit, its stability and map."""

from __future__ import annotations

from typing import Any

from insight import segment
from insight.errors import NotEnoughData
from insight.i18n import N_
from insight.pipeline.figures import Figures


class Segmenting(Figures):
    """Segmentations of the customers, each for a complete set of choices."""

    def segment_options(self) -> dict[str, list[str]]:
        """The columns that may describe customers: behaviour, numeric and categorical attributes."""
        return segment.candidate_features(self.ds.customers, self.ds.customer_roles)

    def segment_defaults(self) -> dict[str, Any]:
        """The segmentation choices the app starts from (k None: the sweep's suggestion)."""
        return segment.default_params(self.ds.customers, self.ds.customer_roles)

    def segment_matrix(self, features: list[str], scaling: str, log: str) -> tuple[segment.FeatureScaler, Any]:
        """The fitted scaler and the scaled customer matrix for these columns."""
        customers, roles = self.ds.customers, self.ds.customer_roles
        params = {"features": list(features), "scaling": scaling, "log": log}
        return self.run("segment.prepare", params, lambda: segment.prepare(customers, roles, features, scaling, log))

    def segment_sweep(self, features: list[str], scaling: str, log: str, algorithm: str, linkage: str) -> Any:
        """Scores for k = 2..12 and the suggested k."""
        X = self.segment_matrix(features, scaling, log)[1]
        base = {"features": list(features), "scaling": scaling, "log": log, "algorithm": algorithm, "linkage": linkage}
        return self.run("segment.sweep", base, lambda: segment.sweep(X, algorithm=algorithm, linkage=linkage))

    def kdistance(self, features: list[str], scaling: str, log: str) -> tuple[float, Any]:
        """DBSCAN's suggested radius and the sorted k-distance curve."""
        X = self.segment_matrix(features, scaling, log)[1]
        min_samples = segment.default_min_samples(X.shape[1])
        params = {"features": list(features), "scaling": scaling, "log": log}
        return self.run("segment.kdistance", params, lambda: segment.suggest_eps(X, min_samples, random_state=0))

    def segment_params(self, **choices: Any) -> dict[str, Any]:
        """Complete segmentation choices: the defaults, overridden by `choices`, with k resolved."""
        params = {**self.segment_defaults(), **{key: value for key, value in choices.items() if value is not None}}
        params["features"] = list(params["features"])
        if self.customer_gap():
            raise NotEnoughData(self.customer_gap())
        if not params["features"] and "features" not in choices:
            raise NotEnoughData(
                N_(
                    "Segments need columns that describe customers, and feedback or ratings alone have none: upload "
                    "an orders file or a customer list with them (on the Segments page you can also pick the feedback "
                    "counts)."
                )
            )
        if params["algorithm"] == "dbscan":
            params["k"] = None
        elif params.get("k") is None:
            keys = ("features", "scaling", "log", "algorithm", "linkage")
            params["k"] = self.segment_sweep(*(params[key] for key in keys)).suggested_k
        if params["algorithm"] != "dbscan":
            params["eps"] = None
        return params

    def segmentation(self, **choices: Any) -> segment.Segmentation:
        """The segments for these choices (the defaults at the suggested k when none are given)."""
        params = self.segment_params(**choices)
        self.segment_matrix(params["features"], params["scaling"], params["log"])  # validates the columns
        customers, roles = self.ds.customers, self.ds.customer_roles
        return self.run("segment.fit", params, lambda: segment.analyse(customers, roles, **params))

    def segment_stability(self, **choices: Any) -> float:
        """How much customers keep their segment when refitted on random subsamples (adjusted Rand index)."""
        params = self.segment_params(**choices)
        seg = self.segmentation(**params)
        X = self.segment_matrix(params["features"], params["scaling"], params["log"])[1]
        algorithm, k, linkage = params["algorithm"], params["k"] or 2, params["linkage"]
        return self.run(
            "segment.stability",
            params,
            lambda: segment.stability(X, seg.labels, algorithm=algorithm, k=k, linkage=linkage, eps=seg.eps),
        )

    def segment_map(self, features: list[str], scaling: str, log: str) -> segment.SegmentMap:
        """Customers on the two directions that spread them most."""
        X = self.segment_matrix(features, scaling, log)[1]
        params = {"features": list(features), "scaling": scaling, "log": log}
        return self.run("segment.map", params, lambda: segment.pca_map(X))
