"""Scores for many texts at once: nltk's exact VADER scores, each distinct text and sentence scored once,
large batches spread over every core."""

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

from insight.sentiment.language import _english_words, is_mostly_non_english
from insight.sentiment.vader import NEGATIVE_AT, POSITIVE_AT, analyzer

Progress = Callable[[float, str], None]
PARALLEL_MIN = 20_000  # distinct strings below which worker start-up costs more than it saves
CHUNK = 2_000
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=\S)|\s*[\r\n]+\s*")
SCORE_COLUMNS = ["neg", "neu", "pos", "compound", "label", "sentence_compound", "sentences", "non_english", "skipped"]


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
