"""Scores for many texts at once: nltk's exact VADER scores for English, the Chinese model for Chinese, each
distinct text and sentence scored once, large VADER batches spread over every core. Texts in a language no
model here reads are scored by VADER but flagged, with the language named."""

from __future__ import annotations

import math
import os
import re
import sys
import threading
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd

from insight.sentiment.chinese import MODEL_NAME as CHINESE_MODEL
from insight.sentiment.chinese import score_chinese
from insight.sentiment.language import _english_words, is_mostly_non_english, language_of
from insight.sentiment.vader import NEGATIVE_AT, POSITIVE_AT, analyzer

Progress = Callable[[float, str], None]
PARALLEL_MIN = 20_000  # distinct strings below which worker start-up costs more than it saves
CHUNK = 2_000
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=\S)|(?<=[。！？])\s*(?=[^\s。！？])|\s*[\r\n]+\s*")
SCORE_COLUMNS = [
    "neg",
    "neu",
    "pos",
    "compound",
    "label",
    "sentence_compound",
    "sentences",
    "non_english",
    "language",
    "model",
    "skipped",
]
VADER_MODEL = "VADER (English)"


def _score_strings(strings: list[str], flag_language: bool = False) -> list[tuple]:
    """(neg, neu, pos, compound) per string, plus whether it is mostly non-English when asked."""
    polarity = analyzer().polarity_scores
    out = []
    for s in strings:
        d = polarity(s)
        row = (d["neg"], d["neu"], d["pos"], d["compound"])
        out.append((*row, is_mostly_non_english(s)) if flag_language else row)
    return out


def _skip_reason(value: Any) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "missing"
    if not isinstance(value, str):
        return "not text"
    if not value.strip():
        return "empty"
    return None


def sentences(text: str) -> list[str]:
    """The sentences of a text (split after . ! ? 。！？ and at line breaks; no download needed)."""
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


def _chinese_scores(texts: list[str], splits: dict[str, list[str]]) -> dict[str, tuple]:
    """(neg, neu, pos, compound) for Chinese texts and their sentences, from the Chinese model in one pass."""
    strings = list(dict.fromkeys([*texts, *(s for t in texts for s in splits.get(t, []))]))
    compound = score_chinese(strings)
    positive = (compound + 1) / 2
    return {s: (1 - p, 0.0, p, c) for s, p, c in zip(strings, positive, compound, strict=True)}


def score(
    texts: Iterable[Any],
    *,
    progress: Progress | None = None,
    n_jobs: int | None = None,
    sentence_level: bool = True,
) -> pd.DataFrame:
    """Sentiment scores for each text, one row per input in order.

    Columns: `neg`, `neu`, `pos`, `compound` (nltk's VADER scores for English, identical to its
    `polarity_scores`; for Chinese the Chinese model's 2p - 1 as `compound`, p as `pos`, 1 - p as `neg`),
    `label` (positive/neutral/negative), `sentence_compound` (mean compound of the sentences; equals
    `compound` for one sentence; NaN when `sentence_level=False`), `sentences` (count), `non_english` (in a
    language no model here reads: VADER's score is unreliable), `language` (ISO code of a text that is not
    English, when it can be told), `model` (which model scored it) and `skipped` (why a text was not scored:
    missing, empty or not text; its scores stay NaN). Each distinct text and sentence is scored once; large
    batches use `n_jobs` processes (default: all cores). `progress(fraction, message)` is called as chunks
    finish.
    """
    values = list(texts)
    reasons = [_skip_reason(v) for v in values]
    distinct = list(dict.fromkeys(v for v, r in zip(values, reasons, strict=True) if r is None))
    language = {t: None if t.isascii() else language_of(t) for t in distinct}
    chinese = [t for t in distinct if language[t] == "zh"]
    english = [t for t in distinct if language[t] != "zh"]
    splits = {t: sentences(t) for t in distinct} if sentence_level else {}
    batches = _Batches(n_jobs, len(english))
    batches.submit(english, flag_language=True)
    known = set(english)
    batches.submit(
        list(dict.fromkeys(s for t in english for s in splits.get(t, []) if len(splits[t]) > 1 and s not in known))
    )
    scored = _chinese_scores(chinese, splits)
    scored.update(batches.collect(progress))

    per_text = {}
    for text in distinct:
        if language[text] == "zh":
            scores, foreign, model = scored[text], False, CHINESE_MODEL
        else:
            *scores, foreign = scored[text]
            model = VADER_MODEL
        named = language[text] if foreign or language[text] == "zh" else None
        if foreign and named is None:
            named = language_of(text)
            named = None if named == "en" else named  # English to the word lists, not to VADER: say so
        parts = splits.get(text)
        if parts is None:
            per_text[text] = (*scores, np.nan, pd.NA, foreign, named, model, None)
            continue
        mean = sum(scored[p][3] for p in parts) / len(parts) if len(parts) > 1 else scores[3]
        per_text[text] = (*scores, mean, len(parts), foreign, named, model, None)
    blank = (np.nan, np.nan, np.nan, np.nan, np.nan, pd.NA, False, None, None)
    missing = {r: (*blank, r) for r in ("missing", "empty", "not text")}
    rows = [per_text[v] if r is None else missing[r] for v, r in zip(values, reasons, strict=True)]
    out = pd.DataFrame(rows, columns=[c for c in SCORE_COLUMNS if c != "label"])
    out = out.astype(
        {"sentences": "Int64", "non_english": bool, "language": "string", "model": "string", "skipped": "string"}
    )
    out.insert(4, "label", label(out["compound"]))
    return out
