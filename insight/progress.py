"""How long the rest of a long analysis will take, from the steps measured so far.

Each step has a usual share of the work (`WEIGHTS`). As steps finish, their measured seconds against their usual
shares give the pace of this machine on this data; a step still running or still to come is expected to take its
share at that pace. Before any step has finished there is no pace and no estimate (None): a figure with nothing
measured behind it would be made up.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping

WEIGHTS = {
    "loading": 2.3,
    "months": 2.2,
    "segments": 2.5,
    "churn": 8.0,
    "value": 1.1,
    "next orders": 1.1,
    "feedback": 3.0,
    "offers": 6.0,
    "findings": 0.5,
    "value_and_churn": 9.1,  # the Value & churn page's: the churn and value sections' work together
}
"""CPU seconds of each step on a year of orders (bench/order_log.py: 500,000 lines, 4,074 customers; loading as
`python -m insight analyze` reads it, the others as the Overview's sections run them), and of the feedback section
on a review export of 3,694 texts (ulta_skincare_reviews.csv). Only their ratios matter: the pace of the steps
measured scales them. The names are the Overview's sections (`insight.pipeline.sections`) plus "loading" and
the CLI's "next orders"; a step not listed counts as 1."""


def weight(step: str) -> float:
    """The usual share of the work of one step (1 for a step not in `WEIGHTS`)."""
    return WEIGHTS.get(step, 1.0)


def pace(measured: Mapping[str, float]) -> float | None:
    """Seconds per unit of weight on this machine and data, from the finished steps (None before any)."""
    if not measured:
        return None
    return sum(measured.values()) / sum(weight(step) for step in measured)


def expected(step: str, measured: Mapping[str, float]) -> float | None:
    """How long `step` should take in all, at the pace of the finished steps (None before any has finished)."""
    rate = pace(measured)
    return None if rate is None else weight(step) * rate


def time_left(
    measured: Mapping[str, float], running: Mapping[str, float] | None = None, pending: Iterable[str] = ()
) -> float | None:
    """Seconds left: each running step's expected time minus how long it has run (never below 0), plus the expected
    time of each step still to come, run one after another. None before any step has finished."""
    rate = pace(measured)
    if rate is None:
        return None
    running = running or {}
    now = sum(max(weight(step) * rate - elapsed, 0.0) for step, elapsed in running.items())
    return now + sum(weight(step) * rate for step in pending)


def about(seconds: float | None) -> str:
    """A time left in words: 'about 20 s left', 'about 2 min left'; '' when unknown or under a second."""
    if seconds is None or seconds < 1:
        return ""
    if seconds < 90:
        return f"about {max(5, round(seconds / 5) * 5):.0f} s left" if seconds >= 5 else "a few seconds left"
    return f"about {round(seconds / 60):.0f} min left"


class StepClock:
    """Times the steps of one run, one after another, and says how long the rest should take.

    `steps` are the steps expected, in order (a step started that is not among them is added); `clock` returns
    seconds (time.monotonic; tests pass their own). `measured_` holds each finished step's seconds.
    """

    def __init__(self, steps: Iterable[str], clock: Callable[[], float] = time.monotonic) -> None:
        self.steps = list(dict.fromkeys(steps))
        self.clock = clock
        self.measured_: dict[str, float] = {}
        self.running_: str | None = None
        self._started = 0.0
        self.began_ = clock()

    def start(self, step: str) -> bool:
        """Begin `step` (finishing the one running); False when it is already the one running."""
        if step == self.running_:
            return False
        self.finish()
        if step not in self.steps:
            self.steps.append(step)
        self.running_, self._started = step, self.clock()
        return True

    def finish(self) -> float | None:
        """End the running step; its seconds (None when no step was running). A step run twice adds up."""
        if self.running_ is None:
            return None
        seconds = self.clock() - self._started
        self.measured_[self.running_] = self.measured_.get(self.running_, 0.0) + seconds
        self.running_ = None
        return seconds

    def elapsed(self) -> float:
        """Seconds since the clock was made."""
        return self.clock() - self.began_

    def left(self) -> float | None:
        """Seconds the running step and the steps after it should still take (None before any step finished)."""
        running = {self.running_: self.clock() - self._started} if self.running_ else {}
        done = set(self.measured_) | set(running)
        return time_left(self.measured_, running, [s for s in self.steps if s not in done])

    def position(self) -> str:
        """'3 of 7': the running (or last finished) step's place among the steps."""
        step = self.running_ or next(reversed(self.measured_), None)
        place = self.steps.index(step) + 1 if step in self.steps else 0
        return f"{place} of {len(self.steps)}"
