"""VADER, offline and fast: nltk's analyzer and lexicon (from the installed `vaderSentiment` wheel), and the same
scores computed without its per-text overhead.

The lexicon text is read from the wheel and handed to nltk's analyzer directly, so nothing is downloaded, nothing
is written to disk and nltk's data path is left alone. nltk's `polarity_scores` spends most of its time building,
for every text, a dictionary of each word glued to each of 33 punctuation marks, to strip them again;
`FastVader.polarity_scores` strips them by looking at each word's own edges, lowercases each word once, and then
applies nltk's rules in nltk's order with nltk's arithmetic, so its four scores are nltk's to the last digit
(tests/test_sentiment_vader.py checks them on every review of the shared exports and on generated edge cases).
"""

from __future__ import annotations

import re
import string
from functools import cache
from pathlib import Path

from nltk.sentiment.vader import SentimentIntensityAnalyzer, VaderConstants

POSITIVE_AT = 0.05  # VADER's standard thresholds on the compound score
NEGATIVE_AT = -0.05
_MARKS = frozenset(string.punctuation)  # what nltk strips as punctuation
_STRIP = str.maketrans("", "", string.punctuation)  # removes them all, as nltk's REGEX_REMOVE_PUNCTUATION does
_EDGES = re.compile(f"^([{re.escape(string.punctuation)}]*)(.*?)([{re.escape(string.punctuation)}]*)$", re.S)


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


class FastVader(OfflineVader):
    """nltk's VADER with the same scores, several times faster per text (see the module docstring)."""

    def __init__(self, lexicon_text: str) -> None:
        super().__init__(lexicon_text)
        self._marks = frozenset(self.constants.PUNC_LIST)

    def words(self, text: str) -> list[str]:
        """nltk's `SentiText.words_and_emoticons`: the words of 2+ characters, a word glued to one of VADER's
        punctuation marks (before or after it) without it, when that word also stands in the text stripped of
        punctuation; other words (emoticons, contractions) as they are."""
        bare = {w for w in text.translate(_STRIP).split() if len(w) > 1}
        out = []
        for word in text.split():
            if len(word) <= 1:
                continue
            if word[0] not in _MARKS and word[-1] not in _MARKS:
                out.append(word)
                continue
            lead, _, trail = _EDGES.match(word).groups()  # the marks before and after it
            if lead and lead in self._marks and word[len(lead) :] in bare:
                word = word[len(lead) :]
            elif trail and trail in self._marks and word[: -len(trail)] in bare:
                word = word[: -len(trail)]
            out.append(word)
        return out

    def polarity_scores(self, text: str) -> dict[str, float]:
        """neg, neu, pos and compound, equal to nltk's `SentimentIntensityAnalyzer.polarity_scores`."""
        if not isinstance(text, str):
            return super().polarity_scores(text)
        words = self.words(text)
        lower = [w.lower() for w in words]
        n = len(words)
        capitals = sum(map(str.isupper, words))
        cap_diff = 0 < n - capitals < n
        first: dict[str, int] = {}
        for index, word in enumerate(words):
            first.setdefault(word, index)
        boosters, lexicon = self.constants.BOOSTER_DICT, self.lexicon
        sentiments: list[float] = []
        for item in words:
            i = first[item]  # nltk scores a repeated word in the context of its first place
            low = lower[i]
            if (i < n - 1 and low == "kind" and lower[i + 1] == "of") or low in boosters:
                sentiments.append(0)
            else:
                sentiments.append(self._valence(words, lower, i, cap_diff) if low in lexicon else 0)
        if "but" in lower:
            at = lower.index("but")
            sentiments = [s * 0.5 if k < at else s * 1.5 if k > at else s for k, s in enumerate(sentiments)]
        return self.score_valence(sentiments, text)

    def _valence(self, words: list[str], lower: list[str], i: int, cap_diff: bool) -> float:
        """nltk's `sentiment_valence` for the lexicon word at `i`, its steps and arithmetic in nltk's order."""
        c = self.constants
        valence = self.lexicon[lower[i]]
        if words[i].isupper() and cap_diff:
            valence = valence + c.C_INCR if valence > 0 else valence - c.C_INCR
        for start_i in range(3):
            before = i - (start_i + 1)
            if i > start_i and lower[before] not in self.lexicon:
                s = self._scalar(words[before], lower[before], valence, cap_diff)
                if start_i == 1 and s != 0:
                    s = s * 0.95
                if start_i == 2 and s != 0:
                    s = s * 0.9
                valence = valence + s
                valence = self._never(valence, words, lower, start_i, i)
                if start_i == 2:
                    valence = self._idioms_check(valence, words, i)
        return self._least(valence, lower, i)

    def _scalar(self, word: str, low: str, valence: float, cap_diff: bool) -> float:
        """nltk's `scalar_inc_dec` with the word's lowercase given."""
        c = self.constants
        scalar = 0.0
        if low in c.BOOSTER_DICT:
            scalar = c.BOOSTER_DICT[low]
            if valence < 0:
                scalar *= -1
            if word.isupper() and cap_diff:
                if valence > 0:
                    scalar += c.C_INCR
                else:
                    scalar -= c.C_INCR
        return scalar

    def _negated(self, low: str) -> bool:
        """nltk's `negated` of one word: a negation, or anything with "n't"."""
        return low in self.constants.NEGATE or "n't" in low

    def _never(self, valence: float, words: list[str], lower: list[str], start_i: int, i: int) -> float:
        """nltk's `_never_check` ("never so", "never this" and other negations before the word)."""
        n_scalar = self.constants.N_SCALAR
        if start_i == 0 and self._negated(lower[i - 1]):
            valence = valence * n_scalar
        if start_i == 1:
            if words[i - 2] == "never" and (words[i - 1] == "so" or words[i - 1] == "this"):
                valence = valence * 1.5
            elif self._negated(lower[i - 2]):
                valence = valence * n_scalar
        if start_i == 2:
            if (
                words[i - 3] == "never"
                and (words[i - 2] == "so" or words[i - 2] == "this")
                or (words[i - 1] == "so" or words[i - 1] == "this")
            ):
                valence = valence * 1.25
            elif self._negated(lower[i - 3]):
                valence = valence * n_scalar
        return valence

    def _least(self, valence: float, lower: list[str], i: int) -> float:
        """nltk's `_least_check` ("least" before the word, but not "at least" or "very least")."""
        if i > 1 and lower[i - 1] not in self.lexicon and lower[i - 1] == "least":
            if lower[i - 2] != "at" and lower[i - 2] != "very":
                valence = valence * self.constants.N_SCALAR
        elif i > 0 and lower[i - 1] not in self.lexicon and lower[i - 1] == "least":
            valence = valence * self.constants.N_SCALAR
        return valence


@cache
def analyzer() -> FastVader:
    """VADER with the offline lexicon, nltk's scores, fast (one per process)."""
    return FastVader(lexicon_path().read_text(encoding="utf-8"))
