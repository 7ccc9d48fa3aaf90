"""How far to trust a result: `reliable`, `rough` or `unreliable`, one sentence why, and the baseline it beat.

Every analysis compares itself with a simple baseline (a coin, a one-rule guess, the mean, the most popular
items, no structure) and returns a `Verdict`. What is built on an unreliable result is withheld: the
pipeline raises `Withheld`, an `InsightError` that carries the verdict, so pages, the report and the CLI show
the reason where the result would have been.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from insight.errors import Withheld as Withheld  # defined with the other exception types; named here beside Verdict
from insight.i18n import Message, Sentences, text

Words = str | Message | Sentences  # a reason or a baseline: a message written when it is read

RELIABLE, ROUGH, UNRELIABLE = "reliable", "rough", "unreliable"
TRUST_LEVELS = (RELIABLE, ROUGH, UNRELIABLE)


@dataclass(frozen=True)
class Verdict:
    """`trust` (reliable / rough / unreliable), `why` in a founder's words, `against` the baseline it was measured
    against. Both are messages with their figures (a verdict is cached and made in workers): `reason` and `baseline`
    write them in the active language."""

    trust: str
    why: Words
    against: Words

    def __post_init__(self) -> None:
        if self.trust not in TRUST_LEVELS:
            raise ValueError(f"trust must be one of {', '.join(TRUST_LEVELS)}; got {self.trust!r}.")

    @property
    def reason(self) -> str:
        """Why, in the active language."""
        return text(self.why)

    @property
    def baseline(self) -> str:
        """What it was measured against, in the active language."""
        return text(self.against)

    @property
    def usable(self) -> bool:
        """Whether what is built on this result may be shown (anything but unreliable)."""
        return self.trust != UNRELIABLE

    def summary(self) -> dict[str, str]:
        """The JSON `verdict` key."""
        return {"trust": self.trust, "reason": self.reason, "baseline": self.baseline}


def weakest(*verdicts: Verdict | None) -> Verdict | None:
    """The least trustworthy of the given verdicts (None entries ignored)."""
    given = [v for v in verdicts if v is not None]
    return max(given, key=lambda v: TRUST_LEVELS.index(v.trust)) if given else None


BOOTSTRAP_ROUNDS = 400  # enough for a 95% interval to be stable to about ±0.01
BOOTSTRAP_MAX_ROWS = 20_000  # resample a random subset of bigger tables: the interval barely changes, it is faster
_ROUNDS_AT_ONCE = 50  # resamples held in memory together (rows x 50 counts)


def _weighted_auc(y: np.ndarray, score: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """ROC AUC of `score` for each row of `weights` (how often each customer was drawn), ties counting half.

    The same as sklearn's roc_auc_score on the resampled rows, computed for all resamples with one sort.
    """
    order = np.argsort(score, kind="mergesort")
    s, yy, w = score[order], y[order].astype(float), weights[:, order]
    starts = np.flatnonzero(np.r_[True, s[1:] != s[:-1]])  # groups of tied scores
    pos = np.add.reduceat(w * yy, starts, axis=1)
    neg = np.add.reduceat(w * (1 - yy), starts, axis=1)
    below = np.cumsum(neg, axis=1) - neg
    with np.errstate(invalid="ignore", divide="ignore"):
        return (pos * (below + 0.5 * neg)).sum(axis=1) / (pos.sum(axis=1) * neg.sum(axis=1))


def ranking_auc(y: np.ndarray, score: np.ndarray) -> float:
    """ROC AUC of `score` (ties counting half): sklearn's `roc_auc_score`, from one sort."""
    return float(_weighted_auc(np.asarray(y), np.asarray(score), np.ones((1, len(score))))[0])


def bootstrap_auc(y: np.ndarray, *scores: np.ndarray, rounds: int = BOOTSTRAP_ROUNDS, seed: int = 0) -> np.ndarray:
    """ROC AUC of each score on `rounds` bootstrap resamples of the rows: shape (rounds, len(scores)).

    The same resamples are used for every score, so differences between two columns are paired.
    """
    y = np.asarray(y)
    rng = np.random.default_rng(seed)
    rows = np.arange(len(y))
    if len(rows) > BOOTSTRAP_MAX_ROWS:
        rows = np.sort(rng.choice(rows, BOOTSTRAP_MAX_ROWS, replace=False))
    out = []
    for done in range(0, rounds, _ROUNDS_AT_ONCE):
        size = min(_ROUNDS_AT_ONCE, rounds - done)
        weights = rng.multinomial(len(rows), np.full(len(rows), 1 / len(rows)), size=size).astype(float)
        out.append(np.column_stack([_weighted_auc(y[rows], np.asarray(sc)[rows], weights) for sc in scores]))
    samples = np.vstack(out)
    return samples[np.isfinite(samples).all(axis=1)]


def interval(samples: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """The central `level` interval of bootstrap samples."""
    tail = (1 - level) / 2
    return float(np.quantile(samples, tail)), float(np.quantile(samples, 1 - tail))
