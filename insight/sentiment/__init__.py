"""What customers say and how they feel: VADER scores through nltk, offline, and the analysis around them.

`score` gives each text nltk's exact scores; `analyze` turns them into answers: shares, monthly trend,
agreement with star ratings, the most positive and negative texts, complaint and praise themes, and
per-customer / per-segment sentiment.
"""

from insight.sentiment.analysis import (
    FeedbackAnalysis,
    analyze,
    disagreements,
    extremes,
    join_customers,
    label_agreement,
    monthly_trend,
    per_customer,
    rating_table,
    segment_sentiment,
)
from insight.sentiment.language import is_mostly_non_english
from insight.sentiment.scoring import SCORE_COLUMNS, label, score, sentences
from insight.sentiment.themes import themes
from insight.sentiment.vader import NEGATIVE_AT, POSITIVE_AT, analyzer

__all__ = [
    "NEGATIVE_AT",
    "POSITIVE_AT",
    "SCORE_COLUMNS",
    "FeedbackAnalysis",
    "analyze",
    "analyzer",
    "disagreements",
    "extremes",
    "is_mostly_non_english",
    "join_customers",
    "label",
    "label_agreement",
    "monthly_trend",
    "per_customer",
    "rating_table",
    "score",
    "segment_sentiment",
    "sentences",
    "themes",
]
