"""The pipeline: every analysis the app offers, each defined once with its steps, defaults and needs.

Pages, the HTML report and the CLI all ask a `Pipeline` for results; each step runs through the runner
they provide under a fixed step name and parameters, so a result computed for one of them is reused by
the others and no model is fitted twice for the same choices.
"""

from __future__ import annotations

import contextlib
from typing import Any

import pandas as pd

from insight import overview, predict, recommend, segment, sentiment
from insight.data.assemble import missing_customers
from insight.errors import InsightError, NotEnoughData, SchemaError
from insight.i18n import N_, Message, _
from insight.pipeline.acting import Acting
from insight.pipeline.runner import MemoRunner, Runner
from insight.pipeline.verdicts import Verdicts
from insight.verdict import Withheld

NO_SEGMENT_COLUMNS = N_(
    "Segments need columns that describe customers, and feedback or ratings alone have none: upload an orders file "
    "or a customer list with them (on the Segments page you can also pick the feedback counts)."
)
NO_RECOMMENDATION_DATA = N_(
    "Recommendations need a ratings file (customer, item, rating) or an orders file with a customer and a product "
    "column. Upload one on the Data page."
)
HORIZON_DAYS = 90  # the churn horizon and lifetime-value window the app starts from
THRESHOLD = 0.5  # churn risk from which a customer is flagged, until the founder moves the slider


class Pipeline(Verdicts, Acting):
    """The analyses of one dataset, computed through `run` (default: remembered in this object only), each
    with its verdict (`Verdicts`); what rests on an unreliable result raises `Withheld` with the reason."""

    def __init__(self, dataset: Any, run: Runner | None = None) -> None:
        self.ds = dataset
        self.run = run or MemoRunner()

    # --- overview -------------------------------------------------------------------------------------

    def transactions(self) -> pd.DataFrame | None:
        """Every orders file as one standard frame (None without one)."""
        return self.ds.transactions()

    def orders_overview(self) -> dict[str, Any]:
        """Orders, revenue and order value by month and refunds, with or without a customer column."""
        tx = self.transactions()
        if tx is None:
            raise NotEnoughData(N_("The orders overview needs an orders or payments file."))
        return self.run("overview.orders", None, lambda: overview.orders_overview(tx, self.ds.revenue_column))

    def customer_gap(self) -> str | None:
        """When no customer can be told apart, the sentence saying which file would unlock the customer pages
        (segments, value and churn, recommendations); None when there are customers."""
        if len(self.ds.customers):
            return None
        return missing_customers([t for t in self.ds.tables if t.in_use])

    def headline(self) -> dict[str, float | None]:
        """Customers, revenue and repeat-purchase rate: cheap, straight from the tables (kept, as every page's
        first figures)."""
        figures = lambda: overview.headline(self.ds.customers, self.transactions(), self.ds.revenue_column)  # noqa: E731
        return self.run("overview.headline", None, figures)

    def monthly(self) -> pd.DataFrame:
        """Revenue, orders and active customers per month (NotEnoughData without dated orders)."""
        tx = self.transactions()
        if tx is None or "timestamp" not in tx:
            raise NotEnoughData(N_("Monthly revenue, the forecast and cohorts need an orders file with dates."))
        return self.run("overview.monthly", None, lambda: overview.monthly_series(tx))

    def forecast(self, column: str) -> overview.Forecast:
        """The next months of `column` (revenue or active_customers) with a backtest."""
        monthly = self.monthly()
        return self.run("overview.forecast", {"column": column}, lambda: overview.forecast(monthly, column))

    def cohorts(self) -> pd.DataFrame:
        """Share of each first-purchase month's customers who bought again N months later."""
        tx = self.transactions()
        self.monthly()  # the same need: dated orders
        return self.run("overview.cohorts", None, lambda: overview.cohort_retention(tx))

    # --- segments -------------------------------------------------------------------------------------

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
            raise NotEnoughData(NO_SEGMENT_COLUMNS)
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

    # --- churn ----------------------------------------------------------------------------------------

    def churn_source(self) -> str | None:
        """'column' (a label column), 'derived' (from dated orders) or None (no churn for this data)."""
        return predict.label_source(self.ds)

    def churn_models(self) -> list[str]:
        """The churn models the comparison offers."""
        return list(predict.CHURN_MODELS)

    def churn_data(self, horizon: int = HORIZON_DAYS) -> predict.ChurnData:
        """Who left and what the models learn from; the horizon matters only for a derived label."""
        if self.customer_gap():
            raise SchemaError(self.customer_gap())
        horizon = self._horizon(horizon)
        return self.run("predict.data", {"horizon": horizon}, lambda: predict.churn_data(self.ds, horizon_days=horizon))

    def _horizon(self, horizon: int) -> int:
        return int(horizon) if self.churn_source() == "derived" else HORIZON_DAYS

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

    def churn_curves(self, horizon: int = HORIZON_DAYS, features: list[str] | None = None) -> tuple[Any, Any]:
        """ROC and precision-recall curves of every compared model."""
        comparison = self.churn_comparison(horizon, features)
        return predict.explain.curves(comparison.y, comparison.oof)

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

    # --- value ----------------------------------------------------------------------------------------

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

    def _has_clv_columns(self) -> bool:
        tx = self.transactions()
        return tx is not None and {"customer_id", "timestamp", "amount"} <= set(tx.columns)

    def lifetime_value(self, horizon: int = HORIZON_DAYS) -> predict.clv.LifetimeValue:
        """BG/NBD and Gamma-Gamma: P(alive), expected purchases and 12-month value per customer."""
        if not self._has_clv_columns():
            raise SchemaError(N_("Lifetime value needs an orders file with customer, date and amount."))
        tx = self.transactions()
        return self.run(
            "predict.clv", {"horizon": int(horizon)}, lambda: predict.clv.lifetime_value(tx, horizon_days=horizon)
        )

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

    # --- feedback -------------------------------------------------------------------------------------

    def feedback(self, progress: Any = None) -> sentiment.FeedbackAnalysis:
        """The scored feedback and what it says (SchemaError without a feedback file)."""
        table = self.ds.table("feedback")
        if table is None:
            raise SchemaError(N_("Sentiment needs a feedback or reviews file with a text column."))
        return self.run("sentiment", None, lambda: sentiment.analyze(table.standard(), progress=progress))

    def customers_with_sentiment(self) -> pd.DataFrame:
        """The customer table with each customer's mean sentiment and number of texts."""
        return sentiment.join_customers(self.ds.customers, self.feedback().per_customer())

    def groupings(self, segments: pd.Series | None = None) -> dict[str, pd.Series]:
        """Ways to group customers (customer_id -> group): the given or suggested segments, the RFM group and
        categorical attributes with 2 to 12 values."""
        out: dict[str, pd.Series] = {}
        if segments is not None and segments.index.isin(self.ds.customers["customer_id"]).any():
            out[_("Segments (as chosen on the Segments page)")] = segments
        else:
            with contextlib.suppress(InsightError):
                out[_("Segments (suggested)")] = self.segmentation().labels_frame().set_index("customer_id")["segment"]
        customers = self.ds.customers
        for col in dict.fromkeys(["rfm_group", *self.ds.customer_roles.get("categorical", [])]):
            if col in customers.columns and 1 < customers[col].nunique() <= 12:
                name = _("RFM group") if col == "rfm_group" else col.replace("_", " ").capitalize()
                out[name] = customers.set_index("customer_id")[col]
        return out

    def sentiment_by_group(self, grouping: pd.Series) -> pd.DataFrame:
        """Mean customer sentiment and share of unhappy customers per group."""
        return sentiment.segment_sentiment(self.feedback().per_customer(), grouping)

    # --- recommendations ------------------------------------------------------------------------------

    def rec_sources(self) -> list[str]:
        """'ratings' and/or 'implicit' (purchases): what recommendations can learn from."""
        return recommend.sources(self.ds)

    def _source(self, source: str | None) -> str:
        available = self.rec_sources()
        if not available:
            raise SchemaError(NO_RECOMMENDATION_DATA)
        return source or available[0]

    def interactions(self, source: str | None = None) -> recommend.Interactions:
        """One rating per (customer, item), from the ratings file or made from purchases."""
        source = self._source(source)
        return self.run(
            "recommend.interactions", {"source": source}, lambda: recommend.interactions_from_dataset(self.ds, source)
        )

    def catalog(self) -> pd.DataFrame:
        """Item names and descriptions by item id."""
        return self.run("recommend.catalog", None, lambda: recommend.item_catalog(self.ds))

    def rec_comparison(self, source: str | None = None, full: bool = False) -> recommend.Comparison:
        """The recommendation models compared with the popularity baseline (the quick set unless `full`)."""
        source = self._source(source)
        inter = self.interactions(source)
        models = list(recommend.comparison_models(inter.source, full))
        return self.run(
            "recommend.compare",
            {"source": source, "models": models},
            lambda: recommend.compare_models(inter, models),
        )

    def recommender(self, source: str | None = None, model: str | None = None) -> recommend.Recommender:
        """One model fitted on every rating (default: the quick comparison's best)."""
        source = self._source(source)
        inter = self.interactions(source)
        name = model or self.rec_comparison(source).best
        exclude = recommend.purchases(self.ds) if source == "ratings" else None
        return self.run(
            "recommend.fit",
            {"source": source, "model": name},
            lambda: recommend.Recommender(name).fit(inter, exclude=exclude),
        )

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

    def customer_history(self, customer_id: str, source: str | None = None) -> pd.DataFrame:
        """What one customer rated or bought, most recent first."""
        return recommend.customer_history(self.interactions(source), customer_id, self.catalog())

    def content_index(self) -> recommend.ContentIndex:
        """Items that read alike, by name and description."""
        catalog = self.catalog()
        return self.run("recommend.content", None, lambda: recommend.ContentIndex().fit(catalog["text"]))
