"""What customers say and how they feel: VADER scores through nltk, offline, and the analysis around them.

`score` gives each text nltk's exact scores; `analyze` turns them into answers: shares, monthly trend,
agreement with star ratings, the most positive and negative texts, complaint and praise themes, and
per-customer / per-segment sentiment.
"""

from insight.lazy import lazy_exports

# Each submodule's names, imported on first use (insight/lazy.py): the first page loads none of the heavy
# libraries these stand on.
__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "analysis": [
            "FeedbackAnalysis",
            "analyze",
            "disagreements",
            "extremes",
            "join_customers",
            "monthly_trend",
            "per_customer",
            "rating_table",
            "segment_sentiment",
        ],
        "labels": ["SIDES", "label_agreement", "label_confusion", "people_shares", "people_sides"],
        "language": ["is_mostly_non_english"],
        "scoring": ["SCORE_COLUMNS", "label", "score", "sentences"],
        "themes": ["themes"],
        "vader": ["NEGATIVE_AT", "POSITIVE_AT", "analyzer"],
    },
)
