"""The pipeline's feedback and recommendation analyses: the scored feedback and its groupings, the interactions,
the model comparison and the fitted recommender."""

from __future__ import annotations

import contextlib
from typing import Any

import pandas as pd

from insight import recommend, sentiment
from insight.errors import InsightError, SchemaError
from insight.i18n import N_, _
from insight.pipeline.models import Models


class FeedbackAndOffers(Models):
    """What customers say and what each may want next (no verdict applied)."""

    def feedback(self, progress: Any = None) -> sentiment.FeedbackAnalysis:
        """The scored feedback and what it says (SchemaError without a feedback file)."""
        table = self.ds.table("feedback")
        if table is None:
            raise SchemaError(N_("Sentiment needs a feedback or reviews file with a text column."))
        return self.run("sentiment", None, lambda: sentiment.analyze(table.standard(), progress=progress))

    def feedback_by_rating(self) -> pd.DataFrame:
        """Mean sentiment per star rating (empty without stars beside the texts)."""
        return sentiment.rating_table(self.feedback().scored)

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

    def rec_sources(self) -> list[str]:
        """'ratings' and/or 'implicit' (purchases): what recommendations can learn from."""
        return recommend.sources(self.ds)

    def _source(self, source: str | None) -> str:
        available = self.rec_sources()
        if not available:
            raise SchemaError(
                N_(
                    "Recommendations need a ratings file (customer, item, rating) or an orders file with a customer "
                    "and a product column. Upload one on the Data page."
                )
            )
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

    def customer_history(self, customer_id: str, source: str | None = None) -> pd.DataFrame:
        """What one customer rated or bought, most recent first."""
        return recommend.customer_history(self.interactions(source), customer_id, self.catalog())

    def content_index(self) -> recommend.ContentIndex:
        """Items that read alike, by name and description."""
        catalog = self.catalog()
        return self.run("recommend.content", None, lambda: recommend.ContentIndex().fit(catalog["text"]))
