"""The pipeline: every analysis the app offers, each defined once with its steps, defaults and needs.

Pages, the HTML report and the CLI all ask a `Pipeline` for results; each step runs through the runner
they provide under a fixed step name and parameters, so a result computed for one of them is reused by
the others and no model is fitted twice for the same choices.

The analyses are layered, each layer reading only the ones below it: `Base` (dataset, runner, defaults) ->
`Figures` -> `Segmenting` -> `Models` (churn, value) -> `FeedbackAndOffers` -> `Verdicts` (how far to trust
each) -> `Pipeline` (what rests on a verdict: risks, reasons, the action list, the recommendations) with
`Acting` (next orders, audiences).
"""

from __future__ import annotations

import pandas as pd

from insight import predict, recommend, segment
from insight.errors import NotEnoughData, Withheld
from insight.i18n import N_, Message
from insight.pipeline.acting import Acting
from insight.pipeline.answers import Answers, Choices, Progress, compute_answers
from insight.pipeline.base import HORIZON_DAYS, THRESHOLD
from insight.pipeline.verdicts import Verdicts

__all__ = ["HORIZON_DAYS", "THRESHOLD", "Pipeline"]


class Pipeline(Verdicts, Acting):
    """The analyses of one dataset, computed through `run` (default: remembered in this object only), each
    with its verdict (`Verdicts`); what rests on an unreliable result raises `Withheld` with the reason."""

    def answers(self, choices: Choices | None = None, progress: Progress | None = None) -> Answers:
        """Every analysis at `choices` (default: the app's defaults) as one read-only object: what the Overview,
        the report and the CLI's JSON render. Assembled from the runner's results (nothing is fitted twice)."""
        return compute_answers(self, choices or Choices(), progress)

    def likely_leavers(self, threshold: float = THRESHOLD, horizon: int = HORIZON_DAYS) -> int:
        """Customers whose churn risk today is at least `threshold` (Withheld when the risks are): the one count
        of likely leavers the Overview, the report and the JSON give."""
        return int((self.churn_risk(horizon) >= threshold).sum())

    def segments_at(self, choices: Choices) -> tuple[segment.Segmentation, int | None]:
        """The segmentation at `choices` (k, algorithm) and the sweep's suggested k (None for DBSCAN)."""
        params = self.segment_params(k=choices.k, algorithm=choices.algorithm)
        suggested = None
        if choices.algorithm != "dbscan":
            keys = ("features", "scaling", "log", "algorithm", "linkage")
            suggested = self.segment_sweep(*(params[key] for key in keys)).suggested_k
        return self.segmentation(**params), suggested

    def churn_risk(
        self, horizon: int = HORIZON_DAYS, features: list[str] | None = None, model: str | None = None
    ) -> pd.Series:
        """Each customer's churn probability today (out-of-fold for labelled customers); Withheld when the
        models do not predict who leaves."""
        self.require_churn(horizon, features, self.ds.outcome.message("risks"))
        data, key = self._churn_key(horizon, features)
        comparison = self.churn_comparison(horizon, features)
        fitted = self.churn_model(horizon, features, model)
        return self.run(
            "predict.risk",
            {**key, "model": fitted.name},
            lambda: predict.churn_risk(data, comparison, fitted),
        )

    def churn_reasons(
        self, horizon: int = HORIZON_DAYS, features: list[str] | None = None, model: str | None = None
    ) -> pd.Series:
        """Why each customer is at risk, in words (Withheld when the models do not predict who leaves)."""
        self.require_churn(horizon, features, self.ds.outcome.message("reasons"))
        data, key = self._churn_key(horizon, features)
        fitted = self.churn_model(horizon, features, model)
        return self.run(
            "predict.reasons",
            {**key, "model": fitted.name},
            lambda: predict.explain.churn_reasons(fitted.pipeline, data, data.X_now),
        )["reasons"].map(predict.explain.reasons_text)  # written in the reader's language

    def threshold_view(
        self, threshold: float, horizon: int = HORIZON_DAYS, features: list[str] | None = None, model: str | None = None
    ) -> predict.explain.ThresholdView:
        """Precision and recall of flagging customers at `threshold`, and how many are flagged today."""
        comparison = self.churn_comparison(horizon, features)
        name = self.churn_model(horizon, features, model).name
        risk = self.churn_risk(horizon, features, model)
        return predict.explain.threshold_view(comparison.y, comparison.oof[name], risk, threshold)

    def fairness(
        self, threshold: float, horizon: int = HORIZON_DAYS, features: list[str] | None = None, model: str | None = None
    ) -> tuple[pd.DataFrame, list[str]]:
        """Recall and flag rate per group of each people-describing column, with warnings for big gaps."""
        data, _key = self._churn_key(horizon, features)
        comparison = self.churn_comparison(horizon, features)
        name = self.churn_model(horizon, features, model).name
        customers = self.ds.customers
        attrs = customers.set_index(customers["customer_id"].astype(str))
        attrs = attrs[~attrs.index.duplicated()]
        return predict.fairness.fairness(attrs, data.y, comparison.oof[name], threshold, data.outcome)

    def action_list(
        self,
        threshold: float = THRESHOLD,
        horizon: int = HORIZON_DAYS,
        features: list[str] | None = None,
        model: str | None = None,
        target: str | None = None,
    ) -> tuple[pd.DataFrame, str]:
        """Valuable customers at risk, most value at risk first, and the value-tier rule in words.

        Customers a label column already marks as gone are not a to-do any more. Withheld when the churn
        models do not predict who leaves or the value model does not beat the mean.
        """
        self.require_churn(horizon, features, Message(N_("The action list")))
        data, _key = self._churn_key(horizon, features)
        risk = self.churn_risk(horizon, features, model)
        reasons = self.churn_reasons(horizon, features, model)
        spend = self.spend(horizon, target)
        if data.source == "column" and data.outcome.leaving:  # who already said yes may say yes again
            risk = risk.drop(data.y.index[data.y == 1])
        extra = None
        if self._has_clv_columns():
            try:
                lifetime = self.lifetime_value(horizon)
                if "clv_12m" in lifetime.table and lifetime.verdict.usable:
                    extra = lifetime.table.set_index("customer_id")[["clv_12m", "p_alive"]]
            except NotEnoughData:
                pass
        try:
            tiers, rule = spend.tiers, spend.tier_rule
        except Withheld as exc:
            raise Withheld(exc.verdict, Message(N_("The action list"))) from exc
        return predict.explain.action_list(risk, spend.predicted, tiers, reasons, threshold, extra=extra), rule

    def recommendations(
        self, source: str | None = None, model: str | None = None, group: str | None = None
    ) -> pd.DataFrame:
        """Top 10 for every customer with names and reasons; new customers get what is popular in `group`.

        Withheld when nothing recommends better than chance."""
        source = self._source(source)
        self.require_recommendations(source)
        rec = self.recommender(source, model)
        catalog = self.catalog()
        customers = self.ds.customers
        everyone = pd.Index(customers["customer_id"].astype(str)).union(pd.Index(rec.customers_.astype(str)))
        segments = customers.set_index("customer_id")[group] if group in customers.columns else None
        key = {"source": source, "model": rec.model, "segment": group}
        named = {"catalog": catalog, "segments": segments, "segment_name": group or "segment"}
        top10 = self.run("recommend.top10", key, lambda: recommend.recommend_all(rec, everyone, **named))
        return recommend.reasons_in_words(top10)  # in the reader's language
