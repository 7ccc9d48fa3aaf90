"""The pipeline's churn and value models: the churn label and model comparison, the spend models, lifetime value."""

from __future__ import annotations

from typing import Any

from insight import predict
from insight.errors import InsightError, SchemaError
from insight.i18n import N_
from insight.pipeline.base import HORIZON_DAYS
from insight.pipeline.segmenting import Segmenting


class Models(Segmenting):
    """Who leaves and what customers are worth: the fitted models and their comparisons (no verdict applied)."""

    def churn_models(self) -> list[str]:
        """The churn models the comparison offers."""
        return list(predict.CHURN_MODELS)

    def churn_data(self, horizon: int = HORIZON_DAYS) -> predict.ChurnData:
        """Who left and what the models learn from; the horizon matters only for a derived label."""
        if self.customer_gap():
            raise SchemaError(self.customer_gap())
        horizon = self._horizon(horizon)
        return self.run("predict.data", {"horizon": horizon}, lambda: predict.churn_data(self.ds, horizon_days=horizon))

    def _churn_key(self, horizon: int, features: list[str] | None) -> tuple[predict.ChurnData, dict[str, Any]]:
        full = self.churn_data(horizon)
        data = full.with_features(features) if features is not None else full
        return data, {"horizon": self._horizon(horizon), "features": data.features}

    def churn_comparison(self, horizon: int = HORIZON_DAYS, features: list[str] | None = None) -> Any:
        """Every churn model compared by cross-validation; the best by ROC AUC is the default."""
        data, key = self._churn_key(horizon, features)
        return self.run("predict.compare", key, lambda: predict.compare_churn_models(data))

    def churn_model(
        self, horizon: int = HORIZON_DAYS, features: list[str] | None = None, model: str | None = None
    ) -> predict.ChurnModel:
        """One churn model (default: the comparison's best) fitted on everyone."""
        data, key = self._churn_key(horizon, features)
        name = model or self.churn_comparison(horizon, features).best
        return self.run("predict.model", {**key, "model": name}, lambda: predict.fit_churn_model(data, name))

    def churn_importance(
        self, horizon: int = HORIZON_DAYS, features: list[str] | None = None, model: str | None = None
    ) -> predict.ChurnImportance:
        """What drives the churn model (default: the comparison's best), measured on held-out customers."""
        data, key = self._churn_key(horizon, features)
        name = model or self.churn_comparison(horizon, features).best
        return self.run("predict.importance", {**key, "model": name}, lambda: predict.churn_importance(data, name))

    def churn_curves(self, horizon: int = HORIZON_DAYS, features: list[str] | None = None) -> tuple[Any, Any]:
        """ROC and precision-recall curves of every compared model."""
        comparison = self.churn_comparison(horizon, features)
        return predict.explain.curves(comparison.y, comparison.oof)

    def spend_targets(self) -> list[str]:
        """Numeric customer columns (and the total of spend per category) the founder may pick as the value."""
        total = [predict.TOTAL_SPEND] if predict.spend_columns(self.ds.customers, self.ds.customer_roles) else []
        return total + [c for c in self.ds.customer_roles.get("numeric", []) if c in self.ds.customers]

    def default_spend_target(self, horizon: int = HORIZON_DAYS) -> str | None:
        """None when the next-period spend after the churn cutoff is the target, else the money customers paid.

        Raises SchemaError when there is nothing to predict.
        """
        try:
            if self.churn_source() == "derived" and self.churn_data(horizon).spend_next is not None:
                return None
        except InsightError:
            pass
        target = predict.suggest_spend_target(self.ds.customers, self.ds.customer_roles)
        if target is None:
            raise SchemaError(predict.spend.missing_value(self.ds.customers, self.ds.customer_roles))
        return target

    def spend(self, horizon: int = HORIZON_DAYS, target: str | None = None) -> predict.SpendComparison:
        """Spend models compared on held-out customers, and each customer's predicted value.

        `target` None: the default target (next-period spend after the churn cutoff, else a money column).
        """
        target = target if target is not None else self.default_spend_target(horizon)
        churn = None
        if target is None:
            churn = self.churn_data(horizon)
        customers, roles = self.ds.customers, self.ds.customer_roles
        params = {"target": target} if target is not None else {"horizon": self._horizon(horizon), "target": None}
        return self.run(
            "predict.spend",
            params,
            lambda: predict.compare_spend_models(predict.spend_data(customers, roles, churn, target, self.ds.currency)),
        )

    def lifetime_value(self, horizon: int = HORIZON_DAYS) -> predict.clv.LifetimeValue:
        """BG/NBD and Gamma-Gamma: P(alive), expected purchases and 12-month value per customer."""
        if not self._has_clv_columns():
            raise SchemaError(N_("Lifetime value needs an orders file with customer, date and amount."))
        tx = self.transactions()
        return self.run(
            "predict.clv", {"horizon": int(horizon)}, lambda: predict.clv.lifetime_value(tx, horizon_days=horizon)
        )
