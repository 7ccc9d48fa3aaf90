"""Time left in a long analysis, from the steps measured so far (insight/progress.py), with a clock the test moves."""

from __future__ import annotations

import pytest

from insight import progress
from insight.progress import StepClock


class Clock:
    """A clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def weights(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "WEIGHTS", {"a": 1.0, "b": 2.0, "c": 4.0})


def test_no_estimate_before_a_step_has_been_timed(weights) -> None:
    assert progress.pace({}) is None
    assert progress.time_left({}, {"a": 3.0}, ["b"]) is None
    clock = Clock()
    steps = StepClock(["a", "b"], clock)
    steps.start("a")
    clock.now += 50
    assert steps.left() is None  # fifty seconds in, still nothing finished: no made-up figure


def test_the_pace_of_finished_steps_scales_the_rest(weights) -> None:
    clock = Clock()
    steps = StepClock(["a", "b", "c"], clock)
    steps.start("a")
    clock.now += 3.0  # a (weight 1) took 3 s: 3 s per unit of weight
    assert steps.start("b")
    assert steps.measured_ == {"a": 3.0}
    assert steps.left() == pytest.approx(2 * 3 + 4 * 3)  # b and c still to run
    clock.now += 4.0  # b has run 4 of its expected 6 s
    assert steps.left() == pytest.approx(2 + 12)
    clock.now += 10.0  # b overruns: it is not expected to give time back
    assert steps.left() == pytest.approx(12)
    steps.start("c")  # b took 14 s: the pace is now (3 + 14) / (1 + 2) s per unit
    assert steps.left() == pytest.approx(4 * 17 / 3)
    assert steps.position() == "3 of 3"
    steps.finish()
    assert steps.left() == 0 and steps.elapsed() == pytest.approx(17)


def test_steps_running_side_by_side_and_unknown_steps(weights) -> None:
    # two sections in the background, one finished: each running one is expected to take its weight at that pace
    assert progress.time_left({"a": 2.0}, {"b": 1.0, "c": 9.0}) == pytest.approx(4 - 1)  # c (8 s) has overrun
    assert progress.weight("not listed") == 1.0
    assert progress.expected("c", {"a": 2.0}) == 8.0


def test_starting_the_running_step_again_changes_nothing_and_a_new_step_is_added(weights) -> None:
    clock = Clock()
    steps = StepClock(["a"], clock)
    assert steps.start("a") and not steps.start("a")
    steps.start("z")
    assert steps.steps == ["a", "z"] and steps.position() == "2 of 2"


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(None, ""), (0.4, ""), (3, "a few seconds left"), (22, "about 20 s left"), (61, "about 60 s left")],
)
def test_time_left_in_words(seconds: float | None, words: str) -> None:
    assert progress.about(seconds) == words
    assert progress.about(200) == "about 3 min left"


def test_every_overview_section_has_a_measured_weight() -> None:
    from insight.pipeline import sections

    names = {"months", "segments", "churn", "value", "feedback", "offers", "findings"}
    assert names <= set(dir(sections)) and names <= set(progress.WEIGHTS)
