"""The fast VADER gives nltk's scores to the last digit: on real reviews and on texts built from VADER's own traps."""

from __future__ import annotations

import csv

import pytest
from hypothesis import given
from hypothesis import strategies as st
from nltk.sentiment.vader import SentiText, VaderConstants

from insight.sentiment.vader import FastVader, OfflineVader, analyzer, lexicon_path

LEXICON = lexicon_path().read_text(encoding="utf-8")
NLTK = OfflineVader(LEXICON)  # nltk's own polarity_scores
FAST = FastVader(LEXICON)
C = VaderConstants()

# Every rule of VADER has a word that triggers it: boosters and dampeners, negations (with "n't"), "least", "but",
# "kind of", "never so", idioms, words in capitals, the marks glued to words, emoticons and contractions.
TRAPS = [
    *sorted(C.BOOSTER_DICT)[:12],
    *sorted(C.NEGATE)[:12],
    *(w for idiom in C.SPECIAL_CASE_IDIOMS for w in idiom.split()),
    "least", "at", "very", "but", "BUT", "kind", "of", "never", "so", "this", "sort",
    "good", "GOOD", "bad", "BAD", "great", "awful", "love", "hate", "ok", "not", "isn't", "don't", "DON'T",
    ":)", ":(", ":D", "<3", "lol", "-", "--", "'", '"', "a", "I", "the", "product",
]  # fmt: skip
MARKS = ["", "", "", *C.PUNC_LIST, ".,", "!!!!", "?!", "...", "(", ")", "*"]


@st.composite
def tricky_text(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(TRAPS), min_size=0, max_size=14))
    glued = [draw(st.sampled_from(MARKS)) + w + draw(st.sampled_from(MARKS)) for w in words]
    return draw(st.sampled_from([" ", "  ", "\n"])).join(glued) + draw(st.sampled_from(["", "!", "!!", "??", "???"]))


@given(tricky_text())
def test_fast_vader_scores_equal_nltks_on_vaders_traps(text: str) -> None:
    assert FAST.words(text) == SentiText(text, C.PUNC_LIST, C.REGEX_REMOVE_PUNCTUATION).words_and_emoticons
    assert FAST.polarity_scores(text) == NLTK.polarity_scores(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "!!!",
        "The food was GOOD but the service was kind of slow!!",
        "Never so happy, at least not with this one :) I don't love it... not at all???",
        "the bomb. the shit. cut the mustard, yeah right, not bad at all",
        "good good good GOOD",  # a repeated word is scored where it first stands
        "Ünïcödé words… and “quotes” aren't punctuation to VADER",
    ],
)
def test_fast_vader_scores_equal_nltks_by_hand(text: str) -> None:
    assert FAST.polarity_scores(text) == NLTK.polarity_scores(text)


@pytest.mark.shared_data
def test_fast_vader_scores_equal_nltks_on_real_reviews(shared_data) -> None:
    texts = []
    for name in ("amazon_cells_labelled.txt", "imdb_labelled.txt", "yelp_labelled.txt"):
        with open(shared_data / "sentiment_labelled_sentences" / name, encoding="utf-8") as lines:
            texts += [line.rsplit("\t", 1)[0] for line in lines]
    with open(shared_data / "exports" / "amazon_alexa_reviews.tsv", encoding="utf-8") as file:
        texts += [row["verified_reviews"] for row in csv.DictReader(file, delimiter="\t")]
    assert len(texts) == 3000 + 1000
    assert [FAST.polarity_scores(t) for t in texts] == [NLTK.polarity_scores(t) for t in texts]


def test_the_app_scores_with_the_fast_vader() -> None:
    assert isinstance(analyzer(), FastVader)
