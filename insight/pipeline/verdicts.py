"""Each analysis's verdict, as the pipeline serves it: how far to trust a result, and what is withheld.

`Verdicts` is mixed into `Pipeline`: it reads the results the pipeline computes (through the same runner,
so nothing is fitted twice) and adds what needs more than one of them, such as which churn horizon the
data supports. What is built on an unreliable result raises `Withheld` with the reason.
"""

from __future__ import annotations

from typing import Any

from insight import predict
from insight.errors import InsightError
from insight.i18n import N_, Message
from insight.pipeline.base import HORIZON_DAYS
from insight.pipeline.feedback_offers import FeedbackAndOffers
from insight.sentiment.trust import sentiment_verdict
from insight.verdict import RELIABLE, ROUGH, UNRELIABLE, Verdict, Withheld

HORIZONS = (90, 180, 365)  # churn horizons tried for a derived label, when the order history allows them
HORIZON_HISTORY = 2  # a horizon is tried when the orders span at least twice its length
QUICK_MODELS = ("Logistic regression", "Decision tree")  # enough to tell whether a horizon predicts at all


class Verdicts(FeedbackAndOffers):
    """Each analysis's verdict, and the checks that withhold what rests on an unreliable one."""

    def churn_horizons(self) -> list[dict[str, Any]]:
        """For a derived label: per horizon the data allows, the quick check's ROC AUC, interval and trust (two
        models and the one rule, 3-fold; at the default horizon the same models as its full comparison fitted them)."""
        if self.churn_source() != "derived":
            return []
        tx = self.transactions()
        span = (tx["timestamp"].max() - tx["timestamp"].min()).days
        allowed = [h for h in HORIZONS if span >= HORIZON_HISTORY * h]

        def scan() -> list[dict[str, Any]]:
            out = []
            for horizon in allowed:
                try:
                    data = self.churn_data(horizon)
                except InsightError as exc:
                    out.append({"horizon_days": horizon, "trust": None, "reason": str(exc)})
                    continue
                models = (*QUICK_MODELS, predict.trust.RULE) if predict.churn.recency_column(data) else QUICK_MODELS
                if horizon == HORIZON_DAYS:  # its full comparison is fitted anyway (the Overview, the report): reused
                    quick = predict.churn.comparison_of(self.churn_comparison(horizon), models, data)
                else:
                    quick = predict.compare_churn_models(data, models=models, folds=3)
                auc = float(quick.metrics.at[quick.best, "roc_auc"])
                out.append(
                    {
                        "horizon_days": horizon,
                        "roc_auc": auc,
                        "trust": quick.verdict.trust,
                        "reason": quick.verdict.reason,
                    }
                )
            return out

        return self.run("predict.horizons", {"horizons": allowed}, scan)

    def churn_verdict(self, horizon: int, features: list[str] | None = None) -> Verdict:
        """The churn comparison's verdict; for a derived label that does not predict, which horizon does."""
        verdict = self.churn_comparison(horizon, features).verdict
        if verdict.trust == RELIABLE or self.churn_source() != "derived":
            return verdict
        better = [
            h for h in self.churn_horizons() if h["trust"] in (RELIABLE, ROUGH) and h["horizon_days"] != int(horizon)
        ]
        better = [h for h in better if h["trust"] == RELIABLE] or ([] if verdict.trust == ROUGH else better)
        if not better:
            others = [h["horizon_days"] for h in self.churn_horizons() if h["horizon_days"] != int(horizon)]
            tried = ", ".join(map(str, others))
            note = Message(N_("Other horizons ({tried} days) did not predict better either."), tried=tried)
            return Verdict(verdict.trust, verdict.why + (note if tried else ""), verdict.against)
        top = max(better, key=lambda h: h["roc_auc"])
        note = Message(
            N_(
                "At a {days}-day horizon the orders predict who leaves better (quick check: ROC AUC {auc:.2f}); "
                "choose that horizon."
            ),
            days=top["horizon_days"],
            auc=top["roc_auc"],
        )
        return Verdict(verdict.trust, verdict.why + note, verdict.against)

    def require_churn(self, horizon: int, features: list[str] | None, what: str) -> None:
        """Raise `Withheld` when the churn models do not predict who leaves."""
        verdict = self.churn_comparison(horizon, features).verdict
        if verdict is not None and not verdict.usable:
            raise Withheld(self.churn_verdict(horizon, features), what)

    def spend_verdict(self, horizon: int, target: str | None = None) -> Verdict:
        """The value model against predicting the mean (a refused target is an unreliable verdict)."""
        try:
            return self.spend(horizon, target).verdict
        except Withheld as exc:
            return exc.verdict

    def lifetime_verdict(self, horizon: int) -> Verdict:
        """BG/NBD against each customer's past buying rate."""
        return self.lifetime_value(horizon).verdict

    def segment_verdict(self, **choices: Any) -> Verdict:
        """Whether the customers form natural groups (silhouette against no structure)."""
        return self.segmentation(**choices).verdict

    def feedback_verdict(self) -> Verdict:
        """The sentiment scores against the upload's own stars or labels."""
        return self.run("sentiment.verdict", None, lambda: sentiment_verdict(self.feedback()))

    def rec_verdict(self, source: str | None = None) -> Verdict:
        """The recommendations against popularity and chance (purchases) or the baseline predictor (ratings)."""
        return self.rec_comparison(source).verdict

    def require_recommendations(self, source: str | None) -> None:
        """Raise `Withheld` when nothing recommends better than chance."""
        verdict = self.rec_verdict(source)
        if verdict is not None and verdict.trust == UNRELIABLE:
            raise Withheld(verdict, Message(N_("Offers")))
