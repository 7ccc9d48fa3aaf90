"""What customers say and how they feel: VADER scores through nltk, offline, plus the analysis around them.

nltk's `SentimentIntensityAnalyzer` is the scorer. Its lexicon comes from the installed `vaderSentiment`
wheel, zipped once (atomically) into `<data dir>/nltk_data` and put first on `nltk.data.path`, so nothing is
ever downloaded. `score` gives each text nltk's exact scores but scores every distinct text (and sentence)
once, and uses every core for large batches. The rest of the module turns scores into answers: shares,
monthly trend, agreement with star ratings, most positive/negative texts, complaint and praise themes,
and per-customer / per-segment sentiment.
"""

from __future__ import annotations

import math
import os
import re
import sys
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from insight.errors import NotEnoughData, SchemaError
from insight.store import default_data_dir, default_store

if TYPE_CHECKING:
    from nltk.sentiment.vader import SentimentIntensityAnalyzer

    from insight.dataset import Dataset

Progress = Callable[[float, str], None]

POSITIVE_AT = 0.05  # VADER's standard thresholds on the compound score
NEGATIVE_AT = -0.05
STEP = "sentiment"
PARAMS: dict[str, Any] = {}  # the analysis has no options; the store's keys already carry the code version
PARALLEL_MIN = 20_000  # distinct strings below which worker start-up costs more than it saves
CHUNK = 2_000
_LEXICON_MEMBER = "vader_lexicon/vader_lexicon.txt"
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=\S)|\s*[\r\n]+\s*")
_WORD = re.compile(r"[^\W\d_]+")
_NON_LATIN = re.compile(r"[^\W\d_a-zA-Z\u00c0-\u024f]")
SCORE_COLUMNS = ["neg", "neu", "pos", "compound", "label", "sentence_compound", "sentences", "non_english", "skipped"]


# --- offline lexicon -----------------------------------------------------------


def _source_lexicon() -> Path:
    import vaderSentiment

    return Path(vaderSentiment.__file__).with_name("vader_lexicon.txt")


def ensure_lexicon(data_dir: Path | None = None) -> Path:
    """Make the VADER lexicon loadable by nltk without a download; return the nltk_data directory used.

    The zip is written to a temporary file and renamed into place, so a concurrent or interrupted
    write never leaves a broken lexicon. An unwritable data dir falls back to the system temp dir.
    """
    import nltk

    lexicon = _source_lexicon().read_bytes()
    for root in (Path(data_dir or default_data_dir()) / "nltk_data", Path(tempfile.gettempdir()) / "insight_nltk"):
        target = root / "sentiment" / "vader_lexicon.zip"
        try:
            if not _zip_holds(target, lexicon):
                target.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
                with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf:
                    zf.writestr(_LEXICON_MEMBER, lexicon)
                os.replace(tmp, target)
        except OSError:
            continue
        if str(root) in nltk.data.path:
            nltk.data.path.remove(str(root))
        nltk.data.path.insert(0, str(root))
        return root
    raise OSError("Could not write the sentiment lexicon to the data folder or the temp folder.")


def _zip_holds(path: Path, lexicon: bytes) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            return zf.read(_LEXICON_MEMBER) == lexicon
    except (OSError, KeyError, zipfile.BadZipFile):
        return False


@cache
def analyzer() -> SentimentIntensityAnalyzer:
    """nltk's VADER analyzer with the offline lexicon (one per process)."""
    ensure_lexicon()
    from nltk.sentiment.vader import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def _score_strings(strings: list[str], flag_language: bool = False) -> list[tuple]:
    """(neg, neu, pos, compound) per string, plus whether it is mostly non-English when asked."""
    polarity = analyzer().polarity_scores
    out = []
    for s in strings:
        d = polarity(s)
        row = (d["neg"], d["neu"], d["pos"], d["compound"])
        out.append((*row, is_mostly_non_english(s)) if flag_language else row)
    return out


# --- language --------------------------------------------------------------------

# French, Spanish, Portuguese, Italian, German, Dutch: frequent words that are not also English words
_FOREIGN_TEXT = """
le la les des du une est et pas tres très avec pour dans que qui sur mais cette je nous vous ont été
el los las del una es y muy por para pero sus fue está esta estoy producto llegó
não com uma muito foi produto il gli della sono molto che stato prodotto
der das und ist nicht sehr mit für ich wir sie ein eine auf zu leider aber nur
het een niet zeer voor ik wij zijn maar ook wel erg
"""
_FOREIGN_FUNCTION_WORDS = frozenset(_FOREIGN_TEXT.split())


@cache
def _english_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    words = set(ENGLISH_STOP_WORDS) | {w for w in analyzer().lexicon if w.isalpha()}
    emoji_names = _source_lexicon().with_name("emoji_utf8_lexicon.txt")
    for line in emoji_names.read_text(encoding="utf-8").splitlines():
        words.update(_WORD.findall(line.partition("\t")[2].lower()))
    words |= {"i", "im", "ive", "dont", "didnt", "doesnt", "cant", "wont", "isnt", "wasnt", "s", "t"}
    return frozenset(words - _FOREIGN_FUNCTION_WORDS)


def is_mostly_non_english(text: str) -> bool:
    """True when a text is mostly not English (VADER only knows English words).

    Mostly non-Latin letters (Cyrillic, CJK, Arabic ...), or more frequent words of another
    European language (or accented words) than known English words, or almost no known English word in a longer text.
    """
    words = _WORD.findall(text.lower())
    if not words:
        return False
    if not text.isascii():
        letters = sum(map(len, words))
        if len(_NON_LATIN.findall(text)) > letters / 2:
            return True
    english = _english_words()
    known = sum(map(english.__contains__, words))
    foreign = sum(map(_FOREIGN_FUNCTION_WORDS.__contains__, words))
    if not text.isascii():
        foreign += sum(not w.isascii() and w not in _FOREIGN_FUNCTION_WORDS for w in words)
    if foreign >= 2 and foreign > known:
        return True
    return len(words) >= 8 and known < 0.25 * len(words)


# --- scoring ---------------------------------------------------------------------


def _skip_reason(value: Any) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "missing"
    if not isinstance(value, str):
        return "not text"
    if not value.strip():
        return "empty"
    return None


def sentences(text: str) -> list[str]:
    """The sentences of a text (split after . ! ? and at line breaks; no download needed)."""
    return [s for s in _SENTENCE_SPLIT.split(text.strip()) if s.strip()]


def label(compound: pd.Series) -> pd.Series:
    """positive / neutral / negative by VADER's standard thresholds; missing stays missing."""
    out = np.select([compound >= POSITIVE_AT, compound <= NEGATIVE_AT], ["positive", "negative"], "neutral")
    return pd.Series(out, index=compound.index, dtype="string").mask(compound.isna())


class _Batches:
    """Scores strings chunk by chunk: in worker processes for large batches (submitted at once, so the
    caller's own work overlaps theirs; while they start up, this process takes chunks from the back of the
    queue), else in this process when collected.

    Workers are forked (they start at once with the analyzer already loaded) when this process runs a
    single thread on Linux, as the CLI does; otherwise (a Streamlit server has many threads, where fork is
    unsafe) joblib's loky workers, which start fresh and are reused between calls.
    """

    def __init__(self, n_jobs: int | None, expected: int) -> None:
        if n_jobs is None:
            n_jobs = 1 if expected < PARALLEL_MIN else (os.cpu_count() or 1)
        self.executor: Any = None
        self.owned = False
        if n_jobs > 1 and sys.platform.startswith("linux") and threading.active_count() == 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            _english_words()  # the analyzer and word lists are loaded before the fork: the workers inherit them
            self.executor = ProcessPoolExecutor(n_jobs, mp_context=multiprocessing.get_context("fork"))
            self.owned = True
        elif n_jobs > 1:
            from joblib.externals.loky import get_reusable_executor

            analyzer()  # loads (and writes, once per process) the lexicon before the workers look for it
            self.executor = get_reusable_executor(max_workers=n_jobs)
        self.pending: list[tuple[list[str], bool, Any]] = []

    def submit(self, strings: list[str], flag_language: bool = False) -> None:
        for i in range(0, len(strings), CHUNK):
            chunk = strings[i : i + CHUNK]
            future = self.executor and self.executor.submit(_score_strings, chunk, flag_language)
            self.pending.append((chunk, flag_language, future))

    def collect(self, progress: Progress | None) -> dict[str, tuple]:
        total = sum(len(chunk) for chunk, _, _ in self.pending)
        done: dict[int, list[tuple]] = {}

        def finish(index: int, scores: list[tuple]) -> None:
            done[index] = scores
            if progress is not None:
                n = sum(len(self.pending[i][0]) for i in done)
                progress(n / total, f"Scored {n:,} of {total:,} distinct texts and sentences")

        for index in reversed(range(len(self.pending))):  # help from the back while the workers are busy
            chunk, flag_language, future = self.pending[index]
            if future is not None and not future.cancel():
                break
            finish(index, _score_strings(chunk, flag_language))
        for index, (_, _, future) in enumerate(self.pending):
            if index not in done:
                finish(index, future.result())
        if self.owned:
            self.executor.shutdown()
        scores: dict[str, tuple] = {}
        for index, (chunk, _, _) in enumerate(self.pending):
            scores.update(zip(chunk, done[index], strict=True))
        return scores


def score(
    texts: Iterable[Any],
    *,
    progress: Progress | None = None,
    n_jobs: int | None = None,
    sentence_level: bool = True,
) -> pd.DataFrame:
    """VADER scores for each text, one row per input in order, identical to nltk's `polarity_scores`.

    Columns: `neg`, `neu`, `pos`, `compound` (nltk's), `label` (positive/neutral/negative),
    `sentence_compound` (mean compound of the sentences; equals `compound` for one sentence; NaN when
    `sentence_level=False`), `sentences` (count), `non_english` (mostly not English: VADER cannot read
    it) and `skipped` (why a text was not scored: missing, empty or not text; its scores stay NaN).
    Each distinct text and sentence is scored once; large batches use `n_jobs` processes (default:
    all cores). `progress(fraction, message)` is called as chunks finish.
    """
    values = list(texts)
    reasons = [_skip_reason(v) for v in values]
    distinct = list(dict.fromkeys(v for v, r in zip(values, reasons, strict=True) if r is None))
    batches = _Batches(n_jobs, len(distinct))
    batches.submit(distinct, flag_language=True)
    splits = {t: sentences(t) for t in distinct} if sentence_level else {}
    known = set(distinct)
    batches.submit(
        list(dict.fromkeys(s for parts in splits.values() if len(parts) > 1 for s in parts if s not in known))
    )
    scored = batches.collect(progress)

    per_text = {}
    for text in distinct:
        *scores, foreign = scored[text]
        parts = splits.get(text)
        if parts is None:
            per_text[text] = (*scores, np.nan, pd.NA, foreign, None)
            continue
        mean = sum(scored[p][3] for p in parts) / len(parts) if len(parts) > 1 else scores[3]
        per_text[text] = (*scores, mean, len(parts), foreign, None)
    missing = {r: (np.nan, np.nan, np.nan, np.nan, np.nan, pd.NA, False, r) for r in ("missing", "empty", "not text")}
    rows = [per_text[v] if r is None else missing[r] for v, r in zip(values, reasons, strict=True)]
    out = pd.DataFrame(rows, columns=[c for c in SCORE_COLUMNS if c != "label"])
    out = out.astype({"sentences": "Int64", "non_english": bool, "skipped": "string"})
    out.insert(4, "label", label(out["compound"]))
    return out


# --- analysis --------------------------------------------------------------------


@dataclass
class FeedbackAnalysis:
    """Scored feedback and what it says.

    `scored` is the standard feedback frame (`text` and, when present, `customer_id`, `timestamp`,
    `rating`) with the `score` columns. `measure` names the score used per customer (`compound` or
    `sentence_compound`) and `measure_reason` says why; `agreement` holds each one's Spearman
    correlation with the star ratings (None without ratings); `themes` the complaint and praise themes.
    """

    scored: pd.DataFrame
    skipped: dict[str, int]
    non_english: int
    measure: str
    measure_reason: str
    agreement: dict[str, float] | None = None
    themes: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def texts(self) -> int:
        """Feedback rows, scored or not."""
        return len(self.scored)

    @property
    def valid(self) -> pd.DataFrame:
        """The rows that were scored."""
        return self.scored[self.scored["skipped"].isna()]

    def shares(self) -> pd.DataFrame:
        """Texts and share per label (positive, neutral, negative) among the scored texts."""
        counts = self.valid["label"].value_counts().reindex(["positive", "neutral", "negative"], fill_value=0)
        return pd.DataFrame(
            {"label": counts.index, "texts": counts.to_numpy(), "share": counts.to_numpy() / max(1, counts.sum())}
        )


def analyze(feedback: pd.DataFrame, *, progress: Progress | None = None, n_jobs: int | None = None) -> FeedbackAnalysis:
    """Score a standard feedback frame and work out agreement with stars and the themes."""
    if "text" not in feedback.columns:
        raise SchemaError(
            "The feedback file has no text column. On the Data page, mark the column that holds the comments as 'text'."
        )
    scores = score(feedback["text"], progress=progress, n_jobs=n_jobs)
    base = feedback.reset_index(drop=True).rename(columns={"label": "label_value"})  # a file's own 0/1 label
    scored = pd.concat([base.drop(columns=scores.columns, errors="ignore"), scores], axis=1)
    valid = scored[scored["skipped"].isna()]
    if valid.empty:
        raise NotEnoughData(
            f"None of the {len(scored):,} feedback texts could be scored: they are all empty or not text. "
            "Check on the Data page that the 'text' role points at the column holding the comments."
        )
    agreement = _agreement(valid)
    if agreement is None:
        measure, reason = "compound", "No star ratings to compare with, so each text is scored as a whole."
    else:
        measure = max(agreement, key=lambda k: (agreement[k], k == "compound"))
        other = "sentence_compound" if measure == "compound" else "compound"
        words = {"compound": "whole-text scores", "sentence_compound": "sentence-level scores"}
        reason = (
            f"{words[measure].capitalize()} agree better with the star ratings (Spearman {agreement[measure]:.2f} "
            f"vs {agreement[other]:.2f} for {words[other]}), so per-customer figures use them."
        )
    skipped = scored["skipped"].value_counts().to_dict()
    return FeedbackAnalysis(
        scored=scored,
        skipped={str(k): int(v) for k, v in skipped.items()},
        non_english=int(valid["non_english"].sum()),
        measure=measure,
        measure_reason=reason,
        agreement=agreement,
        themes=themes(valid[~valid["non_english"]]),
    )


def _agreement(valid: pd.DataFrame) -> dict[str, float] | None:
    if "rating" not in valid.columns:
        return None
    rated = valid.dropna(subset=["rating"])
    if len(rated) < 3 or rated["rating"].nunique() < 2:
        return None
    rho = {m: rated["rating"].corr(rated[m], method="spearman") for m in ("compound", "sentence_compound")}
    if any(pd.isna(v) for v in rho.values()):
        return None
    return {k: float(v) for k, v in rho.items()}


def themes(valid: pd.DataFrame, n: int = 15, min_texts: int = 3) -> pd.DataFrame:
    """Words and two-word phrases most over-represented in negative vs positive texts, and the reverse.

    Weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008) on
    presence per text; English stop words are removed and single words that carry sentiment themselves
    ("terrible", "love") are left out, so what remains is what people talk about. Columns: `side`
    (negative/positive), `term`, `z` (how strongly over-represented), `negative_texts`, `positive_texts`
    and `related` (terms found in exactly the same texts, folded into this one).
    """
    from sklearn.feature_extraction.text import CountVectorizer

    columns = ["side", "term", "z", "negative_texts", "positive_texts", "related"]
    neg, pos = valid["label"] == "negative", valid["label"] == "positive"
    if neg.sum() < min_texts or pos.sum() < min_texts:
        return pd.DataFrame(columns=columns)
    texts = valid.loc[neg | pos, "text"]
    per_sentence = CountVectorizer(stop_words="english", ngram_range=(1, 2)).build_analyzer()
    vec = CountVectorizer(
        analyzer=lambda text: [term for part in sentences(text) for term in per_sentence(part)],
        binary=True,
        min_df=min(min_texts, len(texts)),
    )
    try:
        counts = vec.fit_transform(texts)
    except ValueError:  # nothing left after stop words
        return pd.DataFrame(columns=columns)
    is_neg = neg[neg | pos].to_numpy()
    y_neg = np.asarray(counts[is_neg].sum(axis=0)).ravel().astype(float)
    y_pos = np.asarray(counts[~is_neg].sum(axis=0)).ravel().astype(float)
    total = y_neg + y_pos
    alpha, alpha0 = total, total.sum()  # the prior: the term's frequency in both groups together
    n_neg, n_pos = y_neg.sum(), y_pos.sum()
    delta = np.log((y_neg + alpha) / (n_neg + alpha0 - y_neg - alpha)) - np.log(
        (y_pos + alpha) / (n_pos + alpha0 - y_pos - alpha)
    )
    z = delta / np.sqrt(1 / (y_neg + alpha) + 1 / (y_pos + alpha))
    columns_csc = counts.tocsc()
    table = pd.DataFrame(
        {
            "term": vec.get_feature_names_out(),
            "z": z,
            "negative_texts": y_neg.astype(int),
            "positive_texts": y_pos.astype(int),
            "texts_key": [hash(columns_csc.indices[a:b].tobytes()) for a, b in pairwise(columns_csc.indptr)],
        }
    )
    lexicon = analyzer().lexicon
    table = table[table["term"].str.contains(" ") | ~table["term"].isin(list(lexicon))]
    out = []
    for side, sign in (("negative", 1), ("positive", -1)):
        ranked = table[sign * table["z"] > 0].assign(z=lambda d, s=sign: s * d["z"], words=table["term"].str.count(" "))
        ranked = ranked.sort_values(["z", "words", "term"], ascending=[False, False, True], kind="stable")
        # terms found in exactly the same texts (parts of one stock phrase) are one theme
        groups = ranked.groupby("texts_key", sort=False)["term"]
        best = ranked.drop_duplicates("texts_key").head(n)
        related = groups.agg(lambda t: ", ".join(t.iloc[1:5]))
        out.append(best.assign(side=side, related=best["texts_key"].map(related).to_numpy()))
    return pd.concat(out, ignore_index=True)[columns]


def monthly_trend(scored: pd.DataFrame) -> pd.DataFrame:
    """Mean compound, texts and share negative per calendar month (empty without dates)."""
    columns = ["month", "texts", "mean_compound", "share_negative"]
    if "timestamp" not in scored.columns:
        return pd.DataFrame(columns=columns)
    valid = scored[scored["skipped"].isna()].dropna(subset=["timestamp"])
    if valid.empty:
        return pd.DataFrame(columns=columns)
    month = pd.to_datetime(valid["timestamp"]).dt.to_period("M").dt.to_timestamp()
    out = valid.assign(month=month, negative=valid["label"] == "negative").groupby("month")
    return out.agg(
        texts=("compound", "size"), mean_compound=("compound", "mean"), share_negative=("negative", "mean")
    ).reset_index()


def rating_table(scored: pd.DataFrame) -> pd.DataFrame:
    """Texts and mean scores per star rating (empty without ratings)."""
    columns = ["rating", "texts", "mean_compound", "mean_sentence_compound"]
    if "rating" not in scored.columns:
        return pd.DataFrame(columns=columns)
    valid = scored[scored["skipped"].isna()].dropna(subset=["rating"])
    table = valid.groupby("rating").agg(
        texts=("compound", "size"),
        mean_compound=("compound", "mean"),
        mean_sentence_compound=("sentence_compound", "mean"),
    )
    return table.reset_index()[columns]


def disagreements(scored: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The texts whose stars and words disagree most (stars rescaled to -1..1 against the compound)."""
    if "rating" not in scored.columns:
        return pd.DataFrame(columns=["customer_id", "rating", "compound", "gap", "text"])
    valid = scored[scored["skipped"].isna() & ~scored["non_english"]].dropna(subset=["rating"])
    low, high = valid["rating"].min(), valid["rating"].max()
    if valid.empty or high == low:
        return pd.DataFrame(columns=["customer_id", "rating", "compound", "gap", "text"])
    stars = 2 * (valid["rating"] - low) / (high - low) - 1
    out = valid.assign(gap=(valid["compound"] - stars).abs()).nlargest(n, "gap")
    return out[[c for c in ("customer_id", "rating", "compound", "gap", "text") if c in out.columns]]


def extremes(scored: pd.DataFrame, side: str = "negative", n: int = 5) -> pd.DataFrame:
    """The n most positive or most negative distinct texts with customer id (ties: the longer text first)."""
    if side not in ("positive", "negative"):
        raise ValueError(f"side must be 'positive' or 'negative', got {side!r}")
    valid = scored[scored["skipped"].isna() & ~scored["non_english"]]
    order = valid.assign(_len=valid["text"].str.len()).sort_values(
        ["compound", "_len"], ascending=[side == "negative", False], kind="stable"
    )
    order = order.drop_duplicates("text")
    return order.head(n)[[c for c in ("customer_id", "timestamp", "rating", "compound", "text") if c in order.columns]]


def label_agreement(scored: pd.DataFrame) -> dict[str, float] | None:
    """How often VADER agrees with a two-valued label column (e.g. 0/1 reviews): positive iff compound >= 0.05.

    Returns `accuracy` and `texts` (rows with a label), or None when there is no two-valued label.
    """
    if "label_value" not in scored.columns:
        return None
    valid = scored[scored["skipped"].isna()].dropna(subset=["label_value"])
    values = pd.to_numeric(valid["label_value"], errors="coerce")
    if values.isna().any() or values.nunique() != 2:
        return None
    predicted = np.where(valid["compound"] >= POSITIVE_AT, values.max(), values.min())
    return {"accuracy": float((predicted == values).mean()), "texts": len(valid)}


def per_customer(scored: pd.DataFrame, measure: str = "compound") -> pd.DataFrame:
    """Mean sentiment and number of scored texts per customer: `customer_id, mean_sentiment, n_feedback`."""
    if "customer_id" not in scored.columns:
        return pd.DataFrame({"customer_id": pd.Series(dtype="string"), "mean_sentiment": [], "n_feedback": []})
    valid = scored[scored["skipped"].isna()].dropna(subset=["customer_id"])
    out = valid.groupby("customer_id").agg(mean_sentiment=(measure, "mean"), n_feedback=(measure, "size"))
    return out.reset_index().astype({"customer_id": "string", "n_feedback": int})


def join_customers(customers: pd.DataFrame, sentiment: pd.DataFrame) -> pd.DataFrame:
    """The customer table with `mean_sentiment` (NaN without feedback) and `n_feedback` (0) added."""
    base = customers.drop(columns=["mean_sentiment", "n_feedback"], errors="ignore")
    out = base.merge(sentiment, on="customer_id", how="left")
    out["n_feedback"] = out["n_feedback"].fillna(0).astype(int)
    return out


def segment_sentiment(sentiment: pd.DataFrame, segments: Mapping[str, Any] | pd.Series) -> pd.DataFrame:
    """Sentiment per segment from per-customer sentiment and a customer -> segment mapping.

    Columns: `segment`, `customers` (with feedback), `texts`, `mean_sentiment` (mean over those
    customers), `share_unhappy` (customers whose mean is negative).
    """
    mapping = segments if isinstance(segments, pd.Series) else pd.Series(dict(segments))
    mapping.index = mapping.index.astype(str)
    seg = sentiment.assign(segment=sentiment["customer_id"].astype(str).map(mapping)).dropna(subset=["segment"])
    table = seg.assign(unhappy=seg["mean_sentiment"] <= NEGATIVE_AT).groupby("segment", observed=True)
    out = table.agg(
        customers=("customer_id", "size"),
        texts=("n_feedback", "sum"),
        mean_sentiment=("mean_sentiment", "mean"),
        share_unhappy=("unhappy", "mean"),
    )
    return out.reset_index().sort_values("mean_sentiment", kind="stable", ignore_index=True)


# --- dataset-level entry points (cached by fingerprint) ---------------------------


def dataset_analysis(ds: Dataset, *, progress: Progress | None = None) -> FeedbackAnalysis | None:
    """The feedback analysis of a dataset (None without a feedback table), cached in the store."""
    table = ds.table("feedback")
    if table is None:
        return None
    return default_store().get_or_compute(
        ds.fingerprint, STEP, PARAMS, lambda: analyze(table.standard(), progress=progress)
    )


def customer_sentiment(ds: Dataset) -> pd.DataFrame:
    """Per-customer mean sentiment of a dataset: `customer_id, mean_sentiment, n_feedback` (empty without feedback).

    Uses the score that agrees better with star ratings when there are any (see `FeedbackAnalysis.measure`).
    """
    result = dataset_analysis(ds)
    if result is None:
        return per_customer(pd.DataFrame())
    return per_customer(result.valid, result.measure)


def summary(ds: Dataset) -> dict[str, Any]:
    """The `sentiment` key of `python -m insight analyze`."""
    result = dataset_analysis(ds)
    if result is None:
        return {}
    valid = result.valid
    shares = result.shares().set_index("label")["share"]
    out: dict[str, Any] = {
        "texts": result.texts,
        "scored": len(valid),
        "skipped": sum(result.skipped.values()),
        "skipped_reasons": result.skipped,
        "non_english": result.non_english,
        "share_positive": float(shares["positive"]),
        "share_neutral": float(shares["neutral"]),
        "share_negative": float(shares["negative"]),
        "mean_compound": float(valid["compound"].mean()),
        "mean_sentence_compound": float(valid["sentence_compound"].mean()),
        "per_customer_measure": result.measure,
        "negative_themes": result.themes.loc[result.themes["side"] == "negative", "term"].tolist(),
        "positive_themes": result.themes.loc[result.themes["side"] == "positive", "term"].tolist(),
    }
    ratings = rating_table(result.scored)
    if not ratings.empty:
        keys = [int(r) if float(r).is_integer() else float(r) for r in ratings["rating"]]
        out["by_rating"] = dict(zip(keys, ratings["mean_compound"].astype(float), strict=True))
        out["agreement"] = result.agreement
    labelled = label_agreement(result.scored)
    if labelled is not None:
        out["label_accuracy"] = labelled["accuracy"]
    return out
