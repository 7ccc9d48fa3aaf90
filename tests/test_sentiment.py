"""Sentiment: nltk-identical scores offline, skipping, sentences, language flags, analysis, real labelled data."""

from __future__ import annotations

import csv
import itertools
import zipfile

import numpy as np
import pandas as pd
import pytest

from insight import sentiment
from insight.errors import NotEnoughData, SchemaError
from insight.pipeline import Pipeline
from insight.report import summary as report_summary
from insight.sentiment import scoring
from insight.sentiment.vader import lexicon_path
from tests.conftest import SHARED_DATA

LABELLED = SHARED_DATA / "sentiment_labelled_sentences"


def _texts() -> list[str]:
    """A few hundred texts that exercise VADER's rules: caps, boosters, negation, 'but', emoticons, !!!, ???."""
    openers = ["The delivery", "This teapot", "Customer service", "The refund", "Your shop", "The box"]
    verbs = ["was great", "was NOT good", "is kind of ok", "was extremely bad", "isn't terrible", "was late"]
    tails = ["", "!!!", " :)", " :(", ", but I love the colour.", "??", ". Never again. Really.", " 😀"]
    return [f"{a} {b}{c}" for a, b, c in itertools.product(openers, verbs, tails)]


@pytest.fixture(scope="module")
def nltk_analyzer(tmp_path_factory):
    """nltk's own analyzer, loaded the standard way: the lexicon zipped on nltk's data path (made here)."""
    import nltk
    from nltk.sentiment.vader import SentimentIntensityAnalyzer

    root = tmp_path_factory.mktemp("nltk_data")
    (root / "sentiment").mkdir()
    with zipfile.ZipFile(root / "sentiment" / "vader_lexicon.zip", "w") as zf:
        zf.write(lexicon_path(), "vader_lexicon/vader_lexicon.txt")
    nltk.data.path.insert(0, str(root))
    try:
        return SentimentIntensityAnalyzer()
    finally:
        nltk.data.path.remove(str(root))


def _assert_same_as_nltk(texts: list[str], scores: pd.DataFrame, analyzer) -> None:
    expected = pd.DataFrame([analyzer.polarity_scores(t) for t in texts])
    for col in ("neg", "neu", "pos", "compound"):
        np.testing.assert_allclose(scores[col].to_numpy(), expected[col].to_numpy(), rtol=0, atol=1e-9)


def test_scores_identical_to_nltk(nltk_analyzer):
    texts = _texts()
    assert len(texts) == 288
    scores = sentiment.score(texts)
    assert len(scores) == len(texts)
    _assert_same_as_nltk(texts, scores, nltk_analyzer)
    expected_label = np.where(
        scores["compound"] >= 0.05, "positive", np.where(scores["compound"] <= -0.05, "negative", "neutral")
    )
    assert (scores["label"].to_numpy() == expected_label).all()
    assert set(scores["label"]) == {"positive", "neutral", "negative"}


def test_parallel_loky_workers_give_the_same_scores(nltk_analyzer, monkeypatch):
    monkeypatch.setattr(scoring, "CHUNK", 40)
    monkeypatch.setattr(scoring.threading, "active_count", lambda: 3)  # as in a Streamlit server: no fork
    texts = _texts() * 2
    calls: list[float] = []
    scores = sentiment.score(texts, n_jobs=2, progress=lambda f, msg: calls.append(f))
    _assert_same_as_nltk(texts, scores, nltk_analyzer)
    assert calls[-1] == 1.0 and len(calls) > 1 and calls == sorted(calls)


FORK_CHECK = """
import os, sys, tempfile, threading, time
sys.path.insert(0, sys.argv[1])
from insight import sentiment
from insight.sentiment import scoring
from tests.test_sentiment import _texts
assert threading.active_count() == 1
parent, real, log = os.getpid(), scoring._score_strings, tempfile.mktemp()


def worker_started():
    return any(int(pid) != parent for pid in open(log).read().split())


def logged(chunk, flag=False):
    with open(log, "a") as f:
        f.write(f"{os.getpid()}\\n")
    deadline = time.monotonic() + 60
    while os.getpid() == parent and not worker_started() and time.monotonic() < deadline:
        time.sleep(0.005)  # poll: the parent waits until a worker has taken a chunk, so both take part
    return real(chunk, flag)


scoring._score_strings = logged  # forked workers inherit the patched module
scoring.CHUNK = 40
texts = _texts() * 2
scores = sentiment.score(texts, n_jobs=2)
expected = [sentiment.analyzer().polarity_scores(t)["compound"] for t in texts]
assert scores["compound"].tolist() == expected
print(len({int(pid) for pid in open(log).read().split()} - {parent}))
"""


def test_parallel_forked_workers_give_the_same_scores():
    """A single-threaded process (the CLI) forks its workers; run in a fresh interpreter to be one."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    done = subprocess.run([sys.executable, "-c", FORK_CHECK, str(ROOT)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) >= 1  # at least one chunk was scored in a forked worker process


def test_each_distinct_string_is_scored_once(monkeypatch):
    seen: list[str] = []
    real = scoring._score_strings
    monkeypatch.setattr(scoring, "_score_strings", lambda chunk, flag=False: seen.extend(chunk) or real(chunk, flag))
    texts = ["Great!", "Awful. Just awful.", "Great!"] * 500
    scores = sentiment.score(texts)
    assert sorted(seen) == sorted(["Great!", "Awful. Just awful.", "Awful.", "Just awful."])
    assert scores["compound"].iloc[0] == scores["compound"].iloc[-3]


def test_empty_missing_and_non_text_are_counted_and_skipped():
    texts = ["Love it", None, np.nan, pd.NA, "", "   ", 42, "Hate it"]
    scores = sentiment.score(texts)
    assert len(scores) == 8
    assert scores["skipped"].tolist() == [pd.NA, "missing", "missing", "missing", "empty", "empty", "not text", pd.NA]
    assert scores.loc[[0, 7], "label"].tolist() == ["positive", "negative"]
    assert scores["compound"].isna().sum() == 6 and scores["label"].isna().sum() == 6
    assert sentiment.score([]).empty


@pytest.mark.parametrize(
    ("compound", "expected"),
    [
        (0.05, "positive"),
        (0.0499, "neutral"),
        (0.0, "neutral"),
        (-0.0499, "neutral"),
        (-0.05, "negative"),
        (0.9, "positive"),
    ],
)
def test_label_uses_vader_thresholds(compound, expected):
    assert sentiment.label(pd.Series([compound])).iloc[0] == expected


def test_sentence_level_score_is_the_mean_of_sentence_compounds(nltk_analyzer):
    text = "The tea is wonderful. The delivery was a disaster! Would I order again? Maybe."
    parts = sentiment.sentences(text)
    assert parts == ["The tea is wonderful.", "The delivery was a disaster!", "Would I order again?", "Maybe."]
    row = sentiment.score([text, "Just fine"]).iloc[0]
    assert row["sentences"] == 4
    expected = np.mean([nltk_analyzer.polarity_scores(p)["compound"] for p in parts])
    assert row["sentence_compound"] == pytest.approx(expected, abs=1e-12)
    assert row["compound"] == nltk_analyzer.polarity_scores(text)["compound"]
    single = sentiment.score(["Just fine"]).iloc[0]
    assert single["sentence_compound"] == single["compound"] and single["sentences"] == 1
    assert sentiment.score([text], sentence_level=False)["sentence_compound"].isna().all()


@pytest.mark.parametrize(
    ("text", "foreign"),
    [
        ("Produit arrivé cassé, très déçu", True),
        ("El producto llegó tarde y roto, muy mal", True),
        ("Die Lieferung war sehr schlecht und leider zu spät", True),
        ("Het pakket kwam niet aan en de klantenservice reageert niet", True),
        ("Доставка ужасная, товар сломан", True),
        ("配送が遅いです", True),
        ("Screen cracked after two weeks, battery drains quickly", False),
        ("Great!", False),
        ("ok", False),
        ("The jalapeño sauce and the crème brûlée were delicious", False),
        ("Jamie Foxx absolutely IS Ray Charles.", False),
        ("12345 !!!", False),
    ],
)
def test_mostly_non_english_texts_are_flagged(text, foreign):
    assert sentiment.is_mostly_non_english(text) is foreign


def test_lexicon_comes_from_the_installed_wheel_offline(tmp_path, monkeypatch):
    """No download, no file written, nltk's data path untouched: the analyzer reads the vaderSentiment wheel."""
    import nltk

    from insight.sentiment.vader import OfflineVader

    monkeypatch.setattr(nltk, "download", lambda *a, **k: pytest.fail("nltk.download must never run"))
    path_before = list(nltk.data.path)
    monkeypatch.chdir(tmp_path)
    analyzer = OfflineVader(lexicon_path().read_text(encoding="utf-8"))
    assert len(analyzer.lexicon) > 7000 and analyzer.polarity_scores("I love it")["compound"] > 0.5
    assert nltk.data.path == path_before and not list(tmp_path.iterdir())


def _feedback(n_per: int = 6) -> pd.DataFrame:
    """Reviews with stars, dates and customers; negative ones talk about refunds, positive ones about flavour."""
    rows = []
    bad = [
        "Awful, the refund is late.",
        "Still waiting for my refund, terrible service.",
        "Refund refused. Horrible.",
    ]
    good = ["Lovely flavour, great tea.", "Wonderful flavour and nice aroma.", "Great flavour, love it!"]
    for i in range(n_per):
        for j, text in enumerate(bad):
            rows.append((f"C{j}", f"2024-0{1 + i % 3}-15", 1.0, text))
        for j, text in enumerate(good):
            rows.append((f"C{3 + j}", f"2024-0{1 + i % 3}-20", 5.0, text))
    rows.append(("C9", "2024-03-01", 5.0, "Awful, horrible, terrible, the worst."))  # stars and words disagree
    rows.append(("C9", "2024-03-02", 3.0, None))
    frame = pd.DataFrame(rows, columns=["customer_id", "timestamp", "rating", "text"])
    return frame.assign(timestamp=pd.to_datetime(frame["timestamp"]))


def test_analysis_of_reviews_with_stars():
    result = sentiment.analyze(_feedback())
    assert result.texts == 38 and result.skipped == {"missing": 1} and result.non_english == 0
    shares = result.shares().set_index("label")
    assert shares.loc["positive", "texts"] == 18 and shares.loc["negative", "texts"] == 19
    assert shares["share"].sum() == pytest.approx(1.0)
    assert set(result.agreement) == {"compound", "sentence_compound"} and result.agreement["compound"] > 0.7
    assert result.measure in result.agreement and "Spearman" in result.measure_reason

    negative = result.themes[result.themes["side"] == "negative"]
    positive = result.themes[result.themes["side"] == "positive"]
    assert negative["term"].iloc[0] == "refund" and positive["term"].iloc[0] == "flavour"
    assert not set(result.themes["term"]) & {"awful", "terrible", "great", "love"}  # sentiment words left out

    ratings = sentiment.rating_table(result.scored).set_index("rating")
    assert ratings.loc[1.0, "texts"] == 18 and ratings.loc[1.0, "mean_compound"] < -0.4
    assert ratings.loc[5.0, "mean_compound"] > 0.5
    worst = sentiment.disagreements(result.scored, n=1)
    assert worst["customer_id"].tolist() == ["C9"] and worst["gap"].iloc[0] > 1.5

    trend = sentiment.monthly_trend(result.scored)
    assert trend["month"].dt.month.tolist() == [1, 2, 3] and trend["texts"].sum() == 37

    top = sentiment.extremes(result.scored, "negative", n=1)
    assert top["text"].iloc[0] == "Awful, horrible, terrible, the worst."
    assert sentiment.extremes(result.scored, "positive", n=3)["compound"].is_monotonic_decreasing


def test_per_customer_and_segments():
    result = sentiment.analyze(_feedback(n_per=2))
    per = sentiment.per_customer(result.valid, "compound")
    assert list(per.columns) == ["customer_id", "mean_sentiment", "n_feedback"]
    c0 = result.valid[result.valid["customer_id"] == "C0"]["compound"]
    assert per.set_index("customer_id").loc["C0", "mean_sentiment"] == pytest.approx(c0.mean())
    assert per.set_index("customer_id").loc["C9", "n_feedback"] == 1  # the missing text does not count

    customers = pd.DataFrame({"customer_id": ["C0", "C3", "C77"], "monetary": [10.0, 20.0, 30.0]})
    joined = sentiment.join_customers(customers, per)
    assert joined["n_feedback"].tolist() == [2, 2, 0] and np.isnan(joined["mean_sentiment"].iloc[2])

    segments = {"C0": "Bargain hunters", "C1": "Bargain hunters", "C3": "Loyal", "C4": "Loyal"}
    table = sentiment.segment_sentiment(per, segments).set_index("segment")
    assert table.loc["Bargain hunters", "customers"] == 2 and table.loc["Bargain hunters", "share_unhappy"] == 1.0
    assert table.loc["Loyal", "mean_sentiment"] > 0.5 and table.loc["Loyal", "texts"] == 4
    series_version = sentiment.segment_sentiment(per, pd.Series(segments))
    pd.testing.assert_frame_equal(series_version.set_index("segment"), table)


def test_analysis_without_stars_dates_or_customers():
    result = sentiment.analyze(pd.DataFrame({"text": ["Great stuff", "Bad stuff", "Meh", "Ótimo produto, muito bom"]}))
    assert result.agreement is None and result.measure == "compound" and "No star ratings" in result.measure_reason
    assert result.non_english == 1
    assert sentiment.monthly_trend(result.scored).empty and sentiment.rating_table(result.scored).empty
    assert sentiment.per_customer(result.valid).empty and sentiment.disagreements(result.scored).empty
    assert result.themes.empty  # too few texts for themes


def test_analysis_errors_say_what_to_do():
    with pytest.raises(SchemaError, match="text"):
        sentiment.analyze(pd.DataFrame({"comment": ["hi"]}))
    with pytest.raises(NotEnoughData, match="Data page"):
        sentiment.analyze(pd.DataFrame({"text": ["", None, "  "]}))


def _labelled() -> pd.DataFrame:
    frames = []
    for path in sorted(LABELLED.glob("*_labelled.txt")):
        frame = pd.read_csv(path, sep="\t", header=None, names=["text", "label"], quoting=csv.QUOTE_NONE)
        frames.append(frame.assign(source=path.stem.split("_")[0]))
    return pd.concat(frames, ignore_index=True)


@pytest.mark.shared_data
def test_vader_accuracy_on_labelled_sentences(nltk_analyzer):
    data = _labelled()
    assert len(data) == 3000 and data["label"].value_counts().tolist() == [1500, 1500]
    result = sentiment.analyze(data)
    assert result.skipped == {} and result.non_english == 0
    _assert_same_as_nltk(data["text"].tolist(), result.scored, nltk_analyzer)
    agreement = sentiment.label_agreement(result.scored)
    assert {k: agreement[k] for k in ("accuracy", "roc_auc", "texts", "majority")} == {
        "accuracy": pytest.approx(0.812, abs=0.01),
        "roc_auc": pytest.approx(0.891, abs=0.01),
        "texts": 3000,
        "majority": 0.5,
    }
    per_class = agreement["per_class"]
    assert set(per_class) == {"positive", "negative"}
    assert (per_class["positive"] + per_class["negative"]) / 2 == pytest.approx(0.812, abs=0.01)  # balanced classes
    by_source = {
        s: sentiment.label_agreement(result.scored[data["source"] == s])["accuracy"] for s in ("amazon", "imdb", "yelp")
    }
    assert by_source == {
        "amazon": pytest.approx(0.834, abs=0.01),
        "imdb": pytest.approx(0.793, abs=0.01),
        "yelp": pytest.approx(0.810, abs=0.01),
    }


@pytest.mark.shared_data
def test_labelled_sentences_are_detected_as_feedback():
    from insight.data.dataset import build_dataset

    path = LABELLED / "amazon_cells_labelled.txt"
    ds = build_dataset([(path.name, path.read_bytes())])
    table = ds.table("feedback")
    assert table is not None and table.roles["text"] and table.roles["label"]
    summary = report_summary.sentiment(Pipeline(ds))
    assert summary["scored"] >= 990 and summary["label_accuracy"] == pytest.approx(0.834, abs=0.01)


def test_demo_summary_finds_the_planted_complaint_topic():
    from insight import demo
    from insight.data.dataset import load_demo
    from insight.pipeline import MemoRunner

    ds = load_demo()
    runner = MemoRunner()
    pipe = Pipeline(ds, runner)
    summary = report_summary.sentiment(pipe)
    assert demo.COMPLAINT_TOPIC in summary["negative_themes"][:3]
    assert summary["texts"] == 3000 and summary["scored"] == 3000 and summary["skipped"] == 0
    assert summary["share_positive"] + summary["share_neutral"] + summary["share_negative"] == pytest.approx(1.0)
    by_rating = summary["by_rating"]
    assert sorted(by_rating) == [1, 2, 3, 4, 5] and by_rating[1] < -0.3 < 0.5 < by_rating[5]
    assert runner.computed["sentiment"] == 1
    per = pipe.feedback().per_customer()
    assert list(per.columns) == ["customer_id", "mean_sentiment", "n_feedback"] and per["n_feedback"].sum() == 3000
    assert runner.computed["sentiment"] == 1  # the per-customer figures reuse the one scoring run
