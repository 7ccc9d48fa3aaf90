"""VADER through nltk, offline: nltk's analyzer with the lexicon of the installed `vaderSentiment` wheel.

The lexicon text is read from the wheel and handed to nltk's analyzer directly, so nothing is downloaded,
nothing is written to disk and nltk's data path is left alone; the scores are nltk's own.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from nltk.sentiment.vader import SentimentIntensityAnalyzer, VaderConstants

POSITIVE_AT = 0.05  # VADER's standard thresholds on the compound score
NEGATIVE_AT = -0.05


def lexicon_path() -> Path:
    """The VADER lexicon shipped in the `vaderSentiment` wheel."""
    import vaderSentiment

    return Path(vaderSentiment.__file__).with_name("vader_lexicon.txt")


class OfflineVader(SentimentIntensityAnalyzer):
    """nltk's `SentimentIntensityAnalyzer` built from lexicon text instead of an nltk data resource."""

    def __init__(self, lexicon_text: str) -> None:
        self.lexicon_file = lexicon_text
        self.lexicon = self.make_lex_dict()
        self.constants = VaderConstants()


@cache
def analyzer() -> SentimentIntensityAnalyzer:
    """nltk's VADER analyzer with the offline lexicon (one per process)."""
    return OfflineVader(lexicon_path().read_text(encoding="utf-8"))
