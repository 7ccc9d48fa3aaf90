"""Items that read alike: TF-IDF of item names and descriptions."""

from __future__ import annotations

import numpy as np
import pandas as pd

from insight.errors import InsightError, NotEnoughData
from insight.i18n import N_
from insight.recommend.models import TOP_N


class ContentIndex:
    """Items that read alike: TF-IDF of item names / descriptions, cosine similarity.

    Fitted attributes: `items_` (item ids), `matrix_` (L2-normalised TF-IDF rows).
    """

    def fit(self, texts: pd.Series) -> ContentIndex:
        """Learn the vocabulary from one text per item (index = item id)."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        texts = texts.dropna().astype(str)
        if len(texts) < 2 or not texts.str.strip().str.len().any():
            raise NotEnoughData(N_("Similar items by name need names or descriptions for at least 2 items."))
        vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode")
        try:
            self.matrix_ = vectorizer.fit_transform(texts.to_numpy())
        except ValueError as exc:  # only stop words or punctuation
            raise NotEnoughData(
                N_("The item names have no words to compare; similar items by name are unavailable.")
            ) from exc
        self.items_ = pd.Index(texts.index.astype(str))
        return self

    def neighbours(self, item_id: str, n: int = TOP_N) -> pd.DataFrame:
        """The n items whose text is closest to `item_id`'s: item_id, similarity (0-1)."""
        i = self.items_.get_indexer([str(item_id)])[0]
        if i < 0:
            raise InsightError(
                N_("Item {item_id} has no name or description; pick another item."), item_id=repr(item_id)
            )
        sim = (self.matrix_ @ self.matrix_[i].T).toarray().ravel()
        sim[i] = -np.inf
        order = np.argsort(-sim, kind="stable")[:n]
        order = order[sim[order] > 0]
        return pd.DataFrame({"item_id": self.items_[order], "similarity": sim[order]})
